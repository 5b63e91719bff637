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


def u(n, x):
    return x.to_bytes(n, "big")


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
