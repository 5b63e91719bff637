"""docs/sharing.md against an independent implementation of it
(sharing_ref.py): the test vector (which tests/unit/test_ration.c checks
against pnyx), the worked examples of the page, and the guarantees it
states, on random rounds. No pnyx process: the allocation has no command
yet (the domain comes next), so pnyx's side is the unit test and the
bench, which compares a million requests with this program."""
import os
import random
import re
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(__file__))
import sharing_ref as sr  # noqa: E402
import sortition_ref as ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def vectors():
    text = open(os.path.join(ROOT, "docs", "sharing.md"), encoding="utf-8").read()
    block = re.search(r"```vectors\n(.*?)```", text, re.S).group(1)
    v = {}
    for line in block.splitlines():
        if line.strip() and not line.startswith("#"):
            k, rest = line.split(None, 1)
            v[k] = rest.strip()
    return v


def test_vector_of_the_page():
    v = vectors()
    ids = {"A": 1, "B": 3, "C": 2, "D": 1}
    g = {"id": "bikes", "kind": "units", "supply": 5, "share_den": 1,
         "categories": [(1, 2)], "flow": [0],
         "requests": [(ref.leaf(i), 0, a) for i, a in ids.items()]}
    figs, out = sr.allocate(g, bytes.fromhex(v["round_seed"]))
    name = {ref.leaf(i): i for i in ids}
    order = sorted(out, key=lambda leaf: out[leaf][1])
    assert " ".join(name[leaf] for leaf in order) == v["order"]
    assert " ".join(f"{i}:{out[ref.leaf(i)][0]}" for i in sorted(ids)) == v["allocation"]
    assert sr.good_hash(g).hex() == v["good_hash"]
    assert sr.result_hash(g, figs, out).hex() == v["result_hash"]


def test_flour_example_of_section_2():
    reqs = [("m1", 0, 10), ("m2", 0, 15), ("f1", 1, 20), ("f2", 1, 20), ("f3", 1, 20),
            ("e1", 2, 50), ("e2", 2, 50)]
    g = {"id": "flour", "kind": "divisible", "supply": 100, "share_den": 100,
         "categories": [(30, 0), (20, 0), (0, 0)], "flow": [0, 1, 2],
         "requests": [(ref.leaf(i), c, a) for i, c, a in reqs]}
    figs, out = sr.allocate(g, bytes(32))
    table = [[f[k] for k in ("reserve", "demand", "from_reserve", "flowed", "total")]
             for f in figs]
    assert table == [[30, 25, 25, 0, 25], [20, 60, 20, 40, 60], [0, 100, 0, 15, 15]]
    got = {i: out[ref.leaf(i)][0] for i, _, _ in reqs}
    assert got == {"m1": 10, "m2": 15, "f1": 20, "f2": 20, "f3": 20,
                   "e1": Fraction(15, 2), "e2": Fraction(15, 2)}


def test_level_example_of_section_3():
    g = {"id": "flour", "kind": "divisible", "supply": 10, "share_den": 1,
         "categories": [(1, 0)], "flow": [0],
         "requests": [(ref.leaf(i), 0, a) for i, a in zip("abcd", (5, 2, 5, 5))]}
    figs, out = sr.allocate(g, bytes(32))
    assert figs[0]["level"] == Fraction(8, 3)
    assert sorted(a for a, _ in out.values()) == [2, Fraction(8, 3), Fraction(8, 3),
                                                  Fraction(8, 3)]


def test_guarantees_of_the_page_on_random_rounds():
    rnd = random.Random(16)
    for _ in range(300):
        nc = rnd.randint(1, 4)
        den = rnd.randint(1, 10)
        left, cats = den, []
        for _ in range(nc):
            s = rnd.randint(0, left)
            left -= s
            cats.append((s, rnd.choice([0, 0, rnd.randint(1, 9)])))
        flow = list(range(nc))
        rnd.shuffle(flow)
        n = rnd.randint(0, 25)
        g = {"id": "g", "kind": rnd.choice(["divisible", "units"]),
             "supply": rnd.randint(0, 120), "share_den": den, "categories": cats,
             "flow": flow,
             "requests": [(rnd.randbytes(32), rnd.randrange(nc), rnd.randint(1, 12))
                          for _ in range(n)]}
        figs, out = sr.allocate(g, rnd.randbytes(32))
        demand = sum(f["demand"] for f in figs)
        assert sum(f["total"] for f in figs) == min(g["supply"], demand)
        for c, f in enumerate(figs):
            assert f["total"] >= min(f["reserve"], f["demand"])
            got = [out[leaf][0] for leaf, cat, _ in g["requests"] if cat == c]
            assert sum(got) == f["total"]
        for leaf, cat, amount in g["requests"]:
            cap = cats[cat][1]
            assert out[leaf][0] <= (min(amount, cap) if cap else amount)
        # a permutation of the requests changes nothing
        g2 = dict(g, requests=list(reversed(g["requests"])))
        assert sr.result_hash(g2, *sr.allocate(g2, bytes(32))) == \
            sr.result_hash(g, *sr.allocate(g, bytes(32)))
