"""The baseline of bench/economy/run: a straightforward Python program of
docs/sharing.md (tests/cli/sharing_ref.py: sorted per good, Fraction for
the levels, the pure Python ChaCha20 of sortition_ref.py for the orders).
It reads the round that ration_bench dumped, allocates it good by good,
and prints the time and the hash of its allocations ("num/den" per
request, in generated order), which must equal pnyx's. Times are CPU
time, as ration_bench's.

Usage: baseline.py DUMP_FILE
"""
import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "cli"))
import sharing_ref as sr  # noqa: E402


def main():
    t0 = time.process_time()
    goods = []
    with open(sys.argv[1]) as f:
        _, seed_hex, _, n = f.readline().split()
        round_seed = bytes.fromhex(seed_hex)
        for line in f:
            w = line.split()
            if w[0] == "good":
                goods.append(({
                    "id": w[1], "kind": "units" if w[2] == "1" else "divisible",
                    "supply": int(w[3]), "share_den": 100,
                    "categories": [tuple(int(x) for x in c.split("/")) for c in w[5:10]],
                    "flow": [int(x) for x in w[10:15]], "requests": []}, {}))
            else:
                leaf = bytes.fromhex(w[0])
                goods[-1][0]["requests"].append((leaf, int(w[1]), int(w[2])))
                goods[-1][1][leaf] = int(w[3])
    t1 = time.process_time()
    alloc = [None] * int(n)
    for g, gen in goods:
        _, out = sr.allocate(g, round_seed)
        for leaf, (a, _) in out.items():
            alloc[gen[leaf]] = a
    t2 = time.process_time()
    hh = hashlib.blake2b(digest_size=32)
    for a in alloc:
        hh.update(b"%d/%d\n" % (a.numerator, a.denominator))
    print(f"read_ms {1e3 * (t1 - t0):.0f}")
    print(f"alloc_ms {1e3 * (t2 - t1):.0f}")
    print(f"alloc_hash {hh.hexdigest()}")


main()
