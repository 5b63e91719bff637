"""The baseline of bench/economy/run: a straightforward Python program of
docs/sharing.md, sort-based, one good at a time, with Fraction for the
levels and the random orders of tests/cli/sortition_ref.py (pure Python
ChaCha20). It reads the round that ration_bench dumped, allocates it, and
prints the time and the hash of its allocations ("num/den" per request,
in generated order), which must equal pnyx's. Times are CPU time, as
ration_bench's.

Usage: baseline.py DUMP_FILE
"""
import hashlib
import os
import struct
import sys
import time
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "cli"))
import sortition_ref as ref  # noqa: E402

TAG_ORDER = b"pnyx/sharing/v1/order"


def order_seed(round_seed, good_id, category):
    b = good_id.encode()
    return ref.h(TAG_ORDER, round_seed, struct.pack(">I", len(b)), b,
                 struct.pack(">I", category))


def allocate(good, round_seed):
    """good: (id, units, supply, [(share, cap)], flow, [(leaf, cat, amount, gen)])
    -> [(gen, Fraction)]"""
    gid, units, supply, cats, flow, reqs = good
    reqs = sorted(reqs)  # canonical: by leaf
    def capped(r):
        cap = cats[r[1]][1]
        return min(r[2], cap) if cap else r[2]
    by_cat = [[r for r in reqs if r[1] == c] for c in range(len(cats))]
    demand = [sum(capped(r) for r in rs) for rs in by_cat]
    total = [min(supply * s // 100, d) for (s, _), d in zip(cats, demand)]
    left = supply - sum(total)
    for c in flow:
        more = min(demand[c] - total[c], left)
        total[c] += more
        left -= more
    out = []
    for c, rs in enumerate(by_cat):
        if not units:
            want = sorted(capped(r) for r in rs)
            rem, k, level = total[c], len(want), None
            for d in want:
                if d * k > rem:
                    level = Fraction(rem, k)
                    break
                rem -= d
                k -= 1
            for r in rs:
                d = capped(r)
                out.append((r[3], Fraction(d) if level is None or d <= level else level))
        else:
            rem = total[c]
            for p in ref.rank(order_seed(round_seed, gid, c), len(rs), len(rs)):
                r = rs[p]
                give = min(capped(r), rem)
                rem -= give
                out.append((r[3], Fraction(give)))
    return out


def main():
    t0 = time.process_time()
    goods = []
    with open(sys.argv[1]) as f:
        _, seed_hex, _, n = f.readline().split()
        round_seed = bytes.fromhex(seed_hex)
        for line in f:
            w = line.split()
            if w[0] == "good":
                cats = [tuple(int(x) for x in c.split("/")) for c in w[5:10]]
                goods.append((w[1], w[2] == "1", int(w[3]), cats,
                              [int(x) for x in w[10:15]], []))
            else:
                goods[-1][5].append((bytes.fromhex(w[0]), int(w[1]), int(w[2]), int(w[3])))
    t1 = time.process_time()
    alloc = [None] * int(n)
    for g in goods:
        for gen, a in allocate(g, round_seed):
            alloc[gen] = a
    t2 = time.process_time()
    hh = hashlib.blake2b(digest_size=32)
    for a in alloc:
        hh.update(b"%d/%d\n" % (a.numerator, a.denominator))
    print(f"read_ms {1e3 * (t1 - t0):.0f}")
    print(f"alloc_ms {1e3 * (t2 - t1):.0f}")
    print(f"alloc_hash {hh.hexdigest()}")


main()
