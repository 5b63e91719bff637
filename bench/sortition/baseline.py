"""The baseline for bench/sortition/run: a straightforward Python program
implementing the same specification (tests/cli/sortition_ref.py), timed
on the same pool: committing it, and the draw from the committed pool."""
import csv
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "cli"))
import sortition_ref as ref  # noqa: E402


def main():
    path, k, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    t0 = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = next(r)
        col = header.index("id") if "id" in header else 0
        ids = [row[col] for row in r]
    t1 = time.perf_counter()
    order = ref.pool_order(ids)
    c = ref.commit_leaves([l for l, _ in order])
    t2 = time.perf_counter()
    seed = ref.seed_of(c, source)
    drawn = [order[p][1] for p in ref.rank(seed, len(order), k)]
    t3 = time.perf_counter()
    print(f"read_ms {1e3 * (t1 - t0):.1f}")
    print(f"commit_ms {1e3 * (t2 - t1):.1f}")
    print(f"draw_ms {1e3 * (t3 - t2):.3f}")
    print(f"total_ms {1e3 * (t3 - t0):.1f}")
    print(f"first {drawn[0]}")


main()
