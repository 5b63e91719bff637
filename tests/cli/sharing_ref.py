"""An independent implementation of the allocation of docs/sharing.md, in
plain Python (Fraction for the levels; the draw of sortition_ref.py), for
tests/cli/test_sharing_spec.py and the baseline of bench/economy/run.

A good is a dict: id, kind ("divisible" or "units"), supply, share_den,
categories [(share, cap)], flow [category], requests [(leaf, category,
amount)] in any order."""
import struct
from fractions import Fraction

import sortition_ref as ref

TAG_GOOD = b"pnyx/sharing/v1/good"
TAG_ROUND = b"pnyx/sharing/v1/round"
TAG_ORDER = b"pnyx/sharing/v1/order"
TAG_RESULT = b"pnyx/sharing/v1/result"
TAG_REQUEST = b"pnyx/sharing/v1/request"
TAG_REVIEW = b"pnyx/sharing/v1/review"


def u(n, x):
    return x.to_bytes(n, "big")


def text(s):
    b = s.encode()
    return u(4, len(b)) + b


def request_commitment(request, round_id, category, amount, leaf, salt, ranking=(),
                       items=()):
    """What a round.request entry says of the request (docs/sharing.md,
    "What the journal says of a request"): items are (type, size, hash)."""
    parts = [TAG_REQUEST, u(8, request), u(8, round_id), u(4, category), u(8, amount),
             leaf, salt, u(4, len(ranking))] + [u(8, g) for g in ranking]
    parts.append(u(4, len(items)))
    for kind, size, digest in items:
        parts += [text(kind), u(8, size), text(digest)]
    return ref.h(*parts)


def review_commitment(request, salt, verdict, reason):
    return ref.h(TAG_REVIEW, u(8, request), salt, text(verdict), text(reason))


def good_hash(g):
    gid = g["id"].encode()
    parts = [TAG_GOOD, u(4, len(gid)), gid, u(1, 2 if g["kind"] == "units" else 1),
             u(8, g["supply"]), u(4, len(g["categories"])), u(8, g["share_den"])]
    for share, cap in g["categories"]:
        parts += [u(8, share), u(8, cap)]
    parts += [u(4, c) for c in g["flow"]]
    parts.append(u(8, len(g["requests"])))
    for leaf, cat, amount in sorted(g["requests"]):
        parts += [leaf, u(4, cat), u(8, amount)]
    return ref.h(*parts)


def round_commit(hashes):
    return ref.h(TAG_ROUND, u(8, len(hashes)), *hashes)


def order_seed(round_seed, good_id, category):
    b = good_id.encode()
    return ref.h(TAG_ORDER, round_seed, struct.pack(">I", len(b)), b,
                 struct.pack(">I", category))


def allocate(g, round_seed):
    """-> (categories [dict], {leaf: (Fraction, place)}), places 1-based
    (0 for a divisible good)."""
    reqs = sorted(g["requests"])  # canonical: by leaf
    cats = g["categories"]

    def capped(r):
        cap = cats[r[1]][1]
        return min(r[2], cap) if cap else r[2]

    by_cat = [[r for r in reqs if r[1] == c] for c in range(len(cats))]
    figs = []
    for (share, _), rs in zip(cats, by_cat):
        reserve = g["supply"] * share // g["share_den"]
        demand = sum(capped(r) for r in rs)
        figs.append({"reserve": reserve, "demand": demand,
                     "from_reserve": min(reserve, demand), "flowed": 0})
    left = g["supply"] - sum(f["from_reserve"] for f in figs)
    for c in g["flow"]:
        f = figs[c]
        f["flowed"] = min(f["demand"] - f["from_reserve"], left)
        left -= f["flowed"]
    out = {}
    for c, rs in enumerate(by_cat):
        f = figs[c]
        f["total"] = total = f["from_reserve"] + f["flowed"]
        f["full"], f["level"] = True, Fraction(0)
        if g["kind"] == "divisible":
            rem, k = total, len(rs)
            for d in sorted(capped(r) for r in rs):
                if d * k > rem:
                    f["full"], f["level"] = False, Fraction(rem, k)
                    break
                rem -= d
                k -= 1
            for r in rs:
                d = capped(r)
                a = Fraction(d) if f["full"] or d <= f["level"] else f["level"]
                out[r[0]] = (a, 0)
        else:
            f["full"] = total == f["demand"]
            rem = total
            order = ref.rank(order_seed(round_seed, g["id"], c), len(rs), len(rs))
            for place, p in enumerate(order, 1):
                r = rs[p]
                give = min(capped(r), rem)
                rem -= give
                out[r[0]] = (Fraction(give), place)
    return figs, out


def result_hash(g, figs, out):
    parts = [TAG_RESULT, good_hash(g)]
    for f in figs:
        parts += [u(8, f["reserve"]), u(8, f["demand"]), u(8, f["from_reserve"]),
                  u(8, f["flowed"]), u(8, f["total"]), u(1, int(f["full"])),
                  u(8, f["level"].numerator), u(8, f["level"].denominator)]
    for leaf, cat, _ in sorted(g["requests"], key=lambda r: (r[1], r[0])):
        a, place = out[leaf]
        parts += [u(8, a.numerator), u(8, a.denominator), u(4, place)]
    return ref.h(*parts)


def good_from_record(rec):
    """A round's published record (GET /api/v1/rounds/{id}, docs/sharing.md
    section 6) as a good: each request under the category it is counted
    in (a request moved at the close for evidence of need not accepted
    names the one it asked under in moved_from, and counts here); with
    rest_category, one more category past the policy's, reserving
    nothing, last in the flow order."""
    cats = [(c["share"], rec["cap"]) for c in rec["categories"]]
    if rec.get("rest_category"):
        cats.append((0, rec["cap"]))
    return {"id": str(rec["good"]), "kind": rec["kind"], "supply": rec["supply"],
            "share_den": 100, "categories": cats, "flow": list(range(len(cats))),
            "requests": [(bytes.fromhex(q["leaf"]), q["category"], q["amount"])
                         for q in rec["requests"]]}


def ps_eat(lists, supply):
    """Probabilistic serial: lists[i] is person i's ranking (alternative
    indices, best first); -> shares[i][k] for the k-th alternative of
    lists[i], as Fractions."""
    left = [Fraction(q) for q in supply]
    share = [[Fraction(0)] * len(li) for li in lists]
    at = [0] * len(lists)
    t = Fraction(0)
    while t < 1:
        eaters = {}
        for i, li in enumerate(lists):
            while at[i] < len(li) and left[li[at[i]]] == 0:
                at[i] += 1
            if at[i] < len(li):
                eaters.setdefault(li[at[i]], []).append(i)
        if not eaters:
            break
        span = min([1 - t] + [left[j] / len(who) for j, who in eaters.items()])
        for j, who in eaters.items():
            for i in who:
                share[i][at[i]] += span
            left[j] -= span * len(who)
        t += span
    return share


def ps_draw(lists, shares, seed, choose=None):
    """docs/sharing.md section 5, "Drawing who receives what": -> the
    alternative each person receives, or -1. choose(alpha, beta) says
    whether the even edges gain alpha; by default it draws from the
    stream keyed by seed, as the page says."""
    if choose is None:
        st = ref.Stream(seed)

        def choose(alpha, beta):
            return st.below(alpha + beta) < beta

    from math import lcm
    n = len(lists)
    L = lcm(*[s.denominator for row in shares for s in row]) if shares else 1
    edges = []  # [person vertex, alternative vertex, weight]
    for i, (li, row) in enumerate(zip(lists, shares)):
        for j, s in zip(li, row):
            if s > 0:
                edges.append([i, n + j, int(s * L)])
    nv = n + max([e[1] - n + 1 for e in edges], default=0)
    adj = [[] for _ in range(nv)]
    for k, (a, b, _) in enumerate(edges):
        adj[a].append(k)
        adj[b].append(k)
    frac = lambda k: 0 < edges[k][2] < L  # noqa: E731

    def walk(v):
        seen, path, prev = {v: 0}, [], None
        while True:
            k = next((k for k in adj[v] if k != prev and frac(k)), None)
            if k is None:
                return path, v, False
            w = edges[k][0] if edges[k][1] == v else edges[k][1]
            path.append(k)
            if w in seen:
                return path[seen[w]:], None, True
            seen[w] = len(path)
            prev, v = k, w

    v = 0
    while v < nv:
        if not any(frac(k) for k in adj[v]):
            v += 1
            continue
        path, dead, cycle = walk(v)
        if not cycle:
            path, dead, cycle = walk(dead)
        even = [edges[k][2] for k in path[0::2]]
        odd = [edges[k][2] for k in path[1::2]]
        alpha = min([L - x for x in even] + odd)
        beta = min(even + [L - x for x in odd])
        if choose(alpha, beta):
            step_even, step_odd = alpha, -alpha
        else:
            step_even, step_odd = -beta, beta
        for pos, k in enumerate(path):
            edges[k][2] += step_even if pos % 2 == 0 else step_odd
    out = [-1] * n
    for a, b, x in edges:
        if x == L:
            out[a] = b - n
    return out


TAG_PS = b"pnyx/sharing/v1/ps"
TAG_PS_RESULT = b"pnyx/sharing/v1/ps-result"


def ps_inputs_hash(alternatives, requests):
    """docs/sharing.md section 5, "A round of alternatives": alternatives
    [(id text, supply)] in the policy's order; requests [(leaf, [index of
    each ranked alternative])] in any order."""
    parts = [TAG_PS, u(8, len(alternatives))]
    for gid, supply in alternatives:
        b = gid.encode()
        parts += [u(4, len(b)), b, u(8, supply)]
    parts.append(u(8, len(requests)))
    for leaf, ranked in sorted(requests):
        parts += [leaf, u(4, len(ranked))] + [u(4, j) for j in ranked]
    return ref.h(*parts)


def ps_result_hash(inputs, shares, assigned):
    """shares[i], assigned[i] (index or -1) of the i-th request in
    canonical order (ascending leaves)."""
    parts = [TAG_PS_RESULT, inputs]
    for row, a in zip(shares, assigned):
        for s in row:
            parts += [u(8, s.numerator), u(8, s.denominator)]
        parts.append(u(4, a + 1))
    return ref.h(*parts)
