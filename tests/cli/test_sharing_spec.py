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


def test_probabilistic_serial_vector_of_the_page():
    v = vectors()
    lists = [[int(x) for x in p.split()] for p in v["ps_lists"].split(";")]
    supply = [int(x) for x in v["ps_supply"].split()]
    shares = sr.ps_eat(lists, supply)
    want = [[Fraction(x) for x in p.split()] for p in v["ps_shares"].split(";")]
    assert shares == want
    got = sr.ps_draw(lists, shares, bytes.fromhex(v["ps_seed"]))
    assert got == [int(x) for x in v["ps_assigned"].split()]


def test_probabilistic_serial_examples_of_the_page():
    # section 5: the three-person example
    assert sr.ps_eat([[0, 1, 2], [0, 2, 1], [1, 0, 2]], [1, 1, 1]) == [
        [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)],
        [Fraction(1, 2), Fraction(1, 2), 0],
        [Fraction(3, 4), 0, Fraction(1, 4)]]
    # Bogomolnaia and Moulin's: first choice 1/2, third 1/2
    for row in sr.ps_eat([[0, 1, 2, 3]] * 2 + [[1, 0, 3, 2]] * 2, [1] * 4):
        assert row == [Fraction(1, 2), 0, Fraction(1, 2), 0]


class _Branch(Exception):
    pass


def test_probabilistic_serial_draw_keeps_the_shares_in_expectation():
    """The exact expectation of the draw, by following both branches of
    every choice with their probabilities (no sampling): it is the shares
    themselves, on the page's six-person vector and the three-person
    example."""
    v = vectors()
    cases = [([[int(x) for x in p.split()] for p in v["ps_lists"].split(";")],
              [int(x) for x in v["ps_supply"].split()]),
             ([[0, 1, 2], [0, 2, 1], [1, 0, 2]], [1, 1, 1])]
    for lists, supply in cases:
        shares = sr.ps_eat(lists, supply)
        expected = [[Fraction(0)] * len(li) for li in lists]
        leaves = 0

        def run(script):
            nonlocal leaves
            state = {"i": 0, "p": Fraction(1)}

            def choose(alpha, beta):
                i = state["i"]
                if i == len(script):
                    raise _Branch
                state["i"] += 1
                up = script[i]
                state["p"] *= Fraction(beta if up else alpha, alpha + beta)
                return up

            try:
                got = sr.ps_draw(lists, shares, None, choose)
            except _Branch:
                run(script + [True])
                run(script + [False])
                return
            leaves += 1
            for i, li in enumerate(lists):
                if got[i] >= 0:
                    expected[i][li.index(got[i])] += state["p"]

        run([])
        assert leaves > 1
        assert expected == shares
