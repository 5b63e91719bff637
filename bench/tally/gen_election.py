#!/usr/bin/env python3
"""gen_election.py: write a deterministic synthetic election as PrefLib .soi.

    gen_election.py OUT [BALLOTS] [OPTIONS] [SEED]

Voters belong to one of five factions, each with its own order of the
options; a voter's order is the faction's with a few random neighbour swaps,
cut after 1 to OPTIONS places (longer ballots more likely). Identical
ballots are merged into "count: a,b,..." lines, as PrefLib does. The same
arguments always give the same file.
"""
import random
import sys
from collections import Counter


def main():
    out = sys.argv[1]
    nballots = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    nopt = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 2024)
    factions = []
    for _ in range(5):
        order = list(range(1, nopt + 1))
        rng.shuffle(order)
        factions.append(order)
    counts = Counter()
    for _ in range(nballots):
        order = list(rng.choice(factions))
        for _ in range(rng.randrange(0, 8)):
            i = rng.randrange(nopt - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        cut = nopt - int(rng.triangular(0, nopt, 0))
        counts[tuple(order[:max(1, cut)])] += 1
    with open(out, 'w') as f:
        f.write('# TITLE: synthetic election for bench/tally\n')
        f.write('# DATA TYPE: soi\n')
        f.write(f'# NUMBER ALTERNATIVES: {nopt}\n')
        f.write(f'# NUMBER VOTERS: {nballots}\n')
        f.write(f'# NUMBER UNIQUE ORDERS: {len(counts)}\n')
        for k in range(1, nopt + 1):
            f.write(f'# ALTERNATIVE NAME {k}: option {k}\n')
        for order, c in sorted(counts.items(), key=lambda kv: -kv[1]):
            f.write(f'{c}: {",".join(map(str, order))}\n')


if __name__ == '__main__':
    main()
