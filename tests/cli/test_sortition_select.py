"""pnyx select and the verification of its lottery, on the public
instances of ../shared/data/sortition:

- example_small_20 and example_large_200, from the replication data of
  Flanigan, Gölz, Gupta, Hennig and Procaccia, Nature 596 (2021)
  (github.com/pgoelz/citizensassemblies-replication, GPL-3.0): the LEXIMIN
  minimum probability must equal the published figure
  (published_stats.csv) to 1e-6, and the whole sorted probability vector
  the published LexiMin curve;
- sortition_algorithms_fixture_150_22, the Sortition Foundation's test
  fixture (github.com/sortitionfoundation/sortition-algorithms, GPL-3.0),
  in their features.csv/candidates.csv format.

Every probability vector is checked for feasibility: each probability in
[0, 1], the sum equal to the panel size, each panel of the lottery
meeting every quota (recomputed here from the CSV files), tickets summing
to the lottery size. All cases run under both variants: working on types,
example_large_200 (2,000 people, 3 types) takes well under a second even
under the sanitizers; only the LEGACY sampling test uses fewer samples
under PNYX_VARIANT=san (GLPK, which does the rounding's integer
programs, is the system library, not instrumented, so the default rounding
takes about 3 s on the fixture under both variants).

The rounding to M tickets (docs/sortition.md section 8.4) is checked on
every instance: the default (integer programs, after Flanigan, Kehne and
Procaccia, NeurIPS 2021) is never worse than the heuristic, and the
lottery's largest deviation from LEXIMIN, recomputed here from the
published panels, is the one reported.
"""
import csv
import json
import os
import subprocess
import time

import pytest

PNYX = os.environ.get("PNYX_BIN", "./pnyx")
SHARED = os.environ.get("PNYX_SHARED", "../shared")
DATA = os.path.join(SHARED, "data", "sortition")
SAN = os.environ.get("PNYX_VARIANT") == "san"

INSTANCES = {
    "example_small_20": ("categories.csv", "respondents.csv", 20),
    "example_large_200": ("categories.csv", "respondents.csv", 200),
    "sortition_algorithms_fixture_150_22": ("features.csv", "candidates.csv", 22),
}


def run(*args):
    return subprocess.run([PNYX, *args], capture_output=True, text=True)


def published(instance):
    with open(os.path.join(DATA, "published_stats.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["instance"] == instance:
                return row
    return None


def published_curve(instance):
    path = os.path.join(DATA, instance, "reference_output",
                        f"{instance}_prob_allocs_data.csv")
    with open(path, newline="") as f:
        return sorted(float(r["selection probability"]) for r in csv.DictReader(f)
                      if r["algorithm"].startswith("LexiMin"))


def read_instance(instance):
    cats_file, resp_file, k = INSTANCES[instance]
    d = os.path.join(DATA, instance)
    with open(os.path.join(d, cats_file), newline="") as f:
        rows = list(csv.DictReader(f))
    quotas = {}
    for r in rows:
        cat = r.get("category") or r["feature"]
        val = r["feature"] if "category" in r else r["value"]
        quotas[(cat.strip(), val.strip())] = (int(r["min"]), min(int(r["max"]), k))
    with open(os.path.join(d, resp_file), newline="") as f:
        people = list(csv.DictReader(f))
    idcol = next((c for c in people[0] if c == "id" or c.endswith("_id")), None)
    ids = {}
    for n, p in enumerate(people, 1):
        pid = p[idcol] if idcol else str(n)
        ids[pid] = {c: p[c].strip() for c, _ in quotas}
    return os.path.join(d, cats_file), os.path.join(d, resp_file), k, quotas, ids


def check_feasible(res, k, quotas, ids):
    probs = res["probabilities"]
    assert set(probs) == set(ids)
    assert all(-1e-9 <= p <= 1 + 1e-9 for p in probs.values())
    assert abs(sum(probs.values()) - k) < 1e-6
    assert abs(res["min_probability"] - min(probs.values())) < 1e-9
    tickets = res["lottery"]["tickets"]
    assert sum(p["tickets"] for p in res["panels"]) == tickets
    lot = {i: 0 for i in ids}
    for panel in res["panels"]:
        members = panel["members"]
        assert len(members) == k == len(set(members))
        seats = {q: 0 for q in quotas}
        for m in members:
            lot[m] += panel["tickets"]
            for cat, val in ids[m].items():
                seats[(cat, val)] += 1
        for q, (lo, hi) in quotas.items():
            assert lo <= seats[q] <= hi, (q, seats[q])
    # The lottery stays close to the LEXIMIN probabilities it rounds.
    worst = max(abs(lot[i] / tickets - probs[i]) for i in ids)
    assert worst <= 0.02, worst
    assert abs(res["lottery"]["min_probability"] - min(lot[i] / tickets for i in ids)) < 1e-9


def select(instance, *extra):
    cats, resp, k, quotas, ids = read_instance(instance)
    out = run("select", "--categories", cats, "--respondents", resp,
              "--panel-size", str(k), "--json", *extra)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), k, quotas, ids


@pytest.mark.parametrize("instance", ["example_small_20", "example_large_200"])
def test_leximin_matches_published_optimum(instance):
    res, k, quotas, ids = select(instance, "--seed", "dice:6,6,1")
    row = published(instance)
    assert abs(res["min_probability"] - float(row["leximin_min_prob_csv"])) < 1e-6
    assert res["min_probability"] <= seat_bound(k, quotas, ids) + 1e-9
    curve = published_curve(instance)
    mine = sorted(res["probabilities"].values())
    assert len(curve) == len(mine)
    assert max(abs(a - b) for a, b in zip(curve, mine)) < 1e-6
    check_feasible(res, k, quotas, ids)


def seat_bound(k, quotas, ids):
    """An upper bound on anyone's minimum probability, independent of any
    solver: a value f can never hold more than
    min(max_f, k - sum of the other values' minimums in its category) seats,
    so its members' average probability, hence the smallest, is at most
    that over the number of people who have f."""
    best = 1.0
    for (cat, val), (lo, hi) in quotas.items():
        have = sum(1 for p in ids.values() if p[cat] == val)
        if not have:
            continue
        others = sum(l for (c, v), (l, _) in quotas.items() if c == cat and v != val)
        best = min(best, min(hi, k - others) / have)
    return best


def test_leximin_on_sortition_foundation_fixture_is_optimal_and_feasible():
    res, k, quotas, ids = select("sortition_algorithms_fixture_150_22")
    check_feasible(res, k, quotas, ids)
    # The regions' minimums add up to the panel size, so Highlands and
    # Islands (22 people, minimum 2) always has exactly 2 seats: nobody's
    # minimum can exceed 2/22, and LEXIMIN reaches that bound.
    bound = seat_bound(k, quotas, ids)
    assert abs(bound - 2 / 22) < 1e-12
    assert abs(res["min_probability"] - bound) < 1e-6
    # LEXIMIN's minimum is MAXIMIN's optimum; the two runs agree.
    mm, *_ = select("sortition_algorithms_fixture_150_22", "--algorithm", "maximin")
    assert abs(mm["min_probability"] - res["min_probability"]) < 1e-6
    check_feasible(mm, k, quotas, ids)
    # LEXIMIN does better than MAXIMIN further up the sorted vector, never worse
    # at its first point of difference.
    a = sorted(res["probabilities"].values())
    b = sorted(mm["probabilities"].values())
    diff = next((x - y for x, y in zip(a, b) if abs(x - y) > 1e-6), 0)
    assert diff >= 0


def test_selected_panel_verifies_and_tampering_is_caught(tmp_path):
    cats, resp, *_ = read_instance("sortition_algorithms_fixture_150_22")
    res, k, quotas, ids = select("sortition_algorithms_fixture_150_22",
                                 "--seed", "beacon:00ff", "--panels", "200")
    assert res["lottery"]["tickets"] == 200
    panel = res["panel"]
    assert len(panel) == k
    assert any(sorted(p["members"]) == sorted(panel) for p in res["panels"])
    f = tmp_path / "sel.json"
    f.write_text(json.dumps(res))
    out = run("verify", "--result", str(f), "--seed", "beacon:00ff",
              "--categories", cats, "--respondents", resp)
    assert out.returncode == 0, out.stderr
    assert "meet the quotas" in out.stdout
    # Another panel of the lottery in place of the one picked.
    other = next(p["members"] for p in res["panels"]
                 if sorted(p["members"]) != sorted(panel))
    bad = dict(res, panel=other)
    f.write_text(json.dumps(bad))
    assert run("verify", "--result", str(f), "--seed", "beacon:00ff").returncode == 1
    # A lottery with a ticket moved no longer matches its commitment.
    bad = json.loads(json.dumps(res))
    bad["panels"][0]["tickets"] += 1
    bad["panels"][1]["tickets"] -= 1
    bad["panels"] = [p for p in bad["panels"] if p["tickets"] > 0]
    f.write_text(json.dumps(bad))
    out = run("verify", "--result", str(f), "--seed", "beacon:00ff")
    assert out.returncode == 1
    assert "commitment" in out.stderr


def test_infeasible_quotas_are_explained(tmp_path):
    cats = tmp_path / "cats.csv"
    cats.write_text("category,feature,min,max\ngender,female,15,20\ngender,male,9,20\n"
                    "leaning,liberal,9,20\nleaning,conservative,9,20\n")
    resp = os.path.join(DATA, "example_small_20", "respondents.csv")
    out = run("select", "--categories", str(cats), "--respondents", resp,
              "--panel-size", "20")
    assert out.returncode == 2
    assert "gender: the minimums add up to 24" in out.stderr


def test_jointly_infeasible_quotas_name_the_conflicting_ones(tmp_path):
    # Two women, both liberal; a panel of 2 needs 2 women and 2 conservatives.
    cats = tmp_path / "c.csv"
    cats.write_text("category,feature,min,max\ng,f,2,2\ng,m,0,2\nl,lib,0,0\nl,con,2,2\n")
    resp = tmp_path / "r.csv"
    resp.write_text("id,g,l\n1,f,lib\n2,f,lib\n3,m,con\n4,m,con\n")
    out = run("select", "--categories", str(cats), "--respondents", str(resp),
              "--panel-size", "2")
    assert out.returncode == 2
    assert "conflicts with the others" in out.stderr


@pytest.mark.parametrize("cats,resp,where", [
    ("category,feature,min,max\ng,f,1,x\n", "id,g\n1,f\n", "c.csv:2:"),
    ("category,feature,min,max\ng,f,2,1\n", "id,g\n1,f\n", "c.csv:2:"),
    ("category,feature,min,max\ng,f,0,1\n", "id,g\n1,f\n2,m\n", "r.csv:3:"),
    ("category,feature,min,max\ng,f,0,1\n", "id,h\n1,f\n", "r.csv:1:"),
    ("category,feature,min,max\ng,f,0,1\n", "id,g\n1,f\n1,f\n", "r.csv:3:"),
    ("category,feature,min,max\ng,f,0,1\n", "id,g\n1,f\n\"a\nb\",f\n", "r.csv:3:"),
])
def test_bad_quota_files_name_file_and_line(tmp_path, cats, resp, where):
    (tmp_path / "c.csv").write_text(cats)
    (tmp_path / "r.csv").write_text(resp)
    out = run("select", "--categories", str(tmp_path / "c.csv"),
              "--respondents", str(tmp_path / "r.csv"), "--panel-size", "1")
    assert out.returncode == 2
    assert where in out.stderr, out.stderr


def test_lottery_commitment_and_pick_agree_with_reference():
    # docs/sortition.md section 8.5, recomputed by the independent program.
    import sys
    sys.path.insert(0, os.path.dirname(__file__))
    import sortition_ref as ref
    res, *_ = select("example_small_20", "--seed", "dice:2,5", "--panels", "300")
    c, enc = ref.lottery_commitment([(p["tickets"], p["members"]) for p in res["panels"]])
    assert c.hex() == res["lottery"]["commitment"]
    seed = ref.seed_of(c, "dice:2,5")
    assert seed.hex() == res["seed"]
    j = ref.Stream(seed).below(300)
    for i, (body, mult) in enumerate(enc):
        if j < mult:
            break
        j -= mult
    assert res["pick"] == i + 1
    assert [p["members"] for p in res["panels"]][i] == sorted(res["panel"])


def test_legacy_lottery_is_feasible_and_less_fair_than_leximin(tmp_path):
    # LEGACY's probabilities are the shares of M sampled panels. With
    # 10,000 samples on example_small_20 its minimum should fall under the
    # published 99% upper confidence bound (published_stats.csv,
    # legacy_min_prob_ucb99). Fewer samples under the sanitizer build.
    m = 10000 if not SAN else 500
    res, k, quotas, ids = select("example_small_20", "--algorithm", "legacy",
                                 "--panels", str(m), "--seed", "dice:3")
    assert res["algorithm"] == "legacy"
    assert res["lottery"]["tickets"] == m
    probs = res["probabilities"]
    assert abs(sum(probs.values()) - k) < 1e-6
    for panel in res["panels"]:
        seats = {q: 0 for q in quotas}
        for pid in panel["members"]:
            for cat, val in ids[pid].items():
                seats[(cat, val)] += 1
        assert all(lo <= seats[q] <= hi for q, (lo, hi) in quotas.items())
    if not SAN:
        assert res["min_probability"] <= float(published("example_small_20")["legacy_min_prob_ucb99"])
    assert res["min_probability"] < 0.1 - 0.05
    f = tmp_path / "legacy.json"
    f.write_text(json.dumps(res))
    assert run("verify", "--result", str(f), "--seed", "dice:3").returncode == 0


def test_drawn_panel_reports_its_seats_per_quota():
    res, k, quotas, ids = select("sortition_algorithms_fixture_150_22", "--seed", "dice:5")
    assert res["quotas_met"] is True
    seats = {q: 0 for q in quotas}
    for pid in res["panel"]:
        for cat, val in ids[pid].items():
            seats[(cat, val)] += 1
    got = {(q["category"], q["value"]): q["seats"] for q in res["quotas"]}
    assert got == seats
    for q in res["quotas"]:
        assert q["min"] <= q["seats"] <= q["max"]


def test_pick_from_a_published_lottery_matches_and_verifies(tmp_path):
    cats, resp, k, quotas, ids = read_instance("example_small_20")
    lot, *_ = select("example_small_20", "--panels", "150")
    assert "panel" not in lot and "seed" not in lot
    f = tmp_path / "lottery.json"
    f.write_text(json.dumps(lot))
    out = run("select", "--lottery", str(f), "--seed", "dice:4,4", "--json")
    assert out.returncode == 0, out.stderr
    picked = json.loads(out.stdout)
    direct, *_ = select("example_small_20", "--panels", "150", "--seed", "dice:4,4")
    assert picked["panel"] == direct["panel"]
    assert picked["pick"] == direct["pick"]
    g = tmp_path / "picked.json"
    g.write_text(out.stdout)
    out = run("verify", "--result", str(g), "--seed", "dice:4,4",
              "--categories", cats, "--respondents", resp)
    assert out.returncode == 0, out.stderr
    # A lottery altered after publication no longer matches its commitment.
    lot["panels"][0]["members"][0] = "no-such-person"
    f.write_text(json.dumps(lot))
    out = run("select", "--lottery", str(f), "--seed", "dice:4,4")
    assert out.returncode == 1
    assert "commitment" in out.stderr
    assert run("select", "--lottery", str(f)).returncode == 2


def lottery_deviation(res, ids):
    """The largest |tickets - M p| over everyone, in tickets, from the
    published panels and probabilities."""
    m = res["lottery"]["tickets"]
    lot = {i: 0 for i in ids}
    for panel in res["panels"]:
        for pid in panel["members"]:
            lot[pid] += panel["tickets"]
    return max(abs(lot[i] - m * res["probabilities"][i]) for i in ids)


FIXTURE = "sortition_algorithms_fixture_150_22"


@pytest.mark.parametrize("instance", list(INSTANCES))
def test_optimal_rounding_is_no_worse_than_the_heuristic(instance):
    opt, k, quotas, ids = select(instance)
    heu, *_ = select(instance, "--rounding", "heuristic")
    assert heu["rounding"] == "heuristic"
    assert opt["rounding"] in ("optimal", "improved")
    check_feasible(opt, k, quotas, ids)
    check_feasible(heu, k, quotas, ids)
    d_opt, d_heu = lottery_deviation(opt, ids), lottery_deviation(heu, ids)
    assert d_opt <= d_heu + 1e-6
    assert abs(d_opt - 1000 * opt["lottery"]["max_deviation"]) < 1e-6
    assert abs(d_heu - 1000 * opt["lottery"]["heuristic_max_deviation"]) < 1e-6
    assert abs(d_heu - 1000 * heu["lottery"]["max_deviation"]) < 1e-6
    if instance == FIXTURE:
        # LEXIMIN's probabilities are unique, its panels are not: the
        # rounding's figures belong to the distribution LEXIMIN returns.
        # Column generation's was 7/3 tickets off with the heuristic, then
        # 2.0, then 1.89 (1.61 with the integer programs); the relaxed
        # optimum's decomposition (docs/sortition.md 8.3) rounds better:
        # with 169 panels the heuristic left someone 1.61 tickets (of
        # 1000) away from LEXIMIN, the integer programs 1.09; with the
        # faster local search (4 swaps a step, its order kept by merging:
        # 172 panels) 1.67 and 1.00 with the default 1000 nodes, not
        # proven optimal by GLPK.
        assert abs(d_heu - 1.6667) < 1e-3
        assert d_opt <= 1.0001
        assert opt["rounding"] in ("optimal", "improved")
        if opt["rounding"] == "improved":
            assert 0 < opt["lottery"]["rounding_lower_bound"] * 1000 <= d_opt
    else:
        # 3 types: the rounding is exact, and the search proves it.
        assert d_opt < 1e-6 and opt["rounding"] == "optimal"


def test_rounding_is_deterministic_and_falls_back_when_the_search_is_cut_short():
    a, *_ = select(FIXTURE, "--rounding-nodes", "100")
    b, *_ = select(FIXTURE, "--rounding-nodes", "100")
    assert a["lottery"]["commitment"] == b["lottery"]["commitment"]
    # One node per program: nothing better than the heuristic is found,
    # so the heuristic is used, and the output says so and why.
    c, k, quotas, ids = select(FIXTURE, "--rounding-nodes", "1")
    assert c["rounding"] == "heuristic"
    assert "node limit" in c["lottery"]["rounding_fallback"]
    h, *_ = select(FIXTURE, "--rounding", "heuristic")
    assert c["lottery"]["commitment"] == h["lottery"]["commitment"]
    check_feasible(c, k, quotas, ids)


def test_time_limit_bounds_the_rounding_too():
    """--time-limit bounds the whole run: on the fixture LEXIMIN ends in
    well under a second (a little more on a loaded machine), and the
    rounding's integer programs, allowed a search of 100,000 nodes each
    (about a minute here), stop when the limit (at least a second for
    them) has passed, keeping the best rounding found."""
    cats, resp, k, quotas, ids = read_instance(FIXTURE)
    began = time.monotonic()
    out = run("select", "--categories", cats, "--respondents", resp, "--panel-size", str(k),
              "--rounding-nodes", "100000", "--time-limit", "3", "--json")
    took = time.monotonic() - began
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert took < 3 + 15, took
    # not proven: either an improvement cut short, or the heuristic with why
    assert res["rounding"] in ("improved", "heuristic")
    if res["rounding"] == "heuristic":
        assert "time limit" in res["lottery"]["rounding_fallback"]
    assert res["lottery"]["max_deviation"] <= res["lottery"]["heuristic_max_deviation"] + 1e-12
    check_feasible(res, k, quotas, ids)


def test_bad_rounding_is_refused():
    cats, resp, k, *_ = read_instance("example_small_20")
    out = run("select", "--categories", cats, "--respondents", resp,
              "--panel-size", str(k), "--rounding", "stochastic")
    assert out.returncode == 2
    assert "--rounding must be optimal or heuristic" in out.stderr


def national(tmp_path, n, k=150, categories=6):
    """A generated national pool (bench/sortition/gen_national.py, fixed
    seed): six correlated categories (or the first few), volunteers skewed
    older and more educated, quotas at the population's shares +/- 10%
    of k."""
    out = tmp_path / f"nat{n}_{k}_{categories}"
    r = subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "..",
                        "..", "bench", "sortition", "gen_national.py"), str(n), str(out),
                        "--panel-size", str(k), "--categories", str(categories)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    quotas = {}
    with open(out / "categories.csv", newline="") as f:
        for row in csv.DictReader(f):
            quotas[(row["category"], row["feature"])] = (int(row["min"]), int(row["max"]))
    with open(out / "respondents.csv", newline="") as f:
        ids = {p["id"]: {c: p[c] for c, _ in quotas} for p in csv.DictReader(f)}
    return str(out / "categories.csv"), str(out / "respondents.csv"), k, quotas, ids


def test_time_limit_stops_with_the_best_found_and_says_it_is_not_optimal(tmp_path):
    """Issue 19, section 5: 10,000 generated people of 2,134 types take
    a few seconds to solve to the end (about 7 s on an idle machine with
    the relaxed path of issue 19, about 2 s of processor since its local
    search was made faster; 2,000 people take well under a second, too
    little to be sure to stop); --time-limit 1 stops after
    about 1 s with a
    distribution that is feasible (every panel within every quota,
    probabilities summing to k) and marked "optimal": false, and standard
    error, not a terminal here, says how it ended in a line of its own."""
    cats, resp, k, quotas, ids = national(tmp_path, 10000)
    began = time.monotonic()
    out = run("select", "--categories", cats, "--respondents", resp, "--panel-size", str(k),
              "--time-limit", "1", "--rounding", "heuristic", "--json")
    took = time.monotonic() - began
    assert out.returncode == 0, out.stderr
    # the limit bounds the whole run, the rounding and the output included:
    # the heuristic rounding alone once took 40 s after the 2 s (issue 19);
    # 15 s of margin for a loaded machine and the sanitizer build
    assert took < 1 + 15, took
    res = json.loads(out.stdout)
    assert res["optimal"] is False
    assert "leximin: 10000 people of 2134 types, panels of 150" in out.stderr
    assert "stopped by --time-limit after" in out.stderr
    assert "NOT proven optimal" in out.stderr
    probs = res["probabilities"]
    assert abs(sum(probs.values()) - k) < 1e-6
    assert all(-1e-9 <= p <= 1 + 1e-9 for p in probs.values())
    for panel in res["panels"]:
        seats = {q: 0 for q in quotas}
        for m in panel["members"]:
            for cat, val in ids[m].items():
                seats[(cat, val)] += 1
        for q, (lo, hi) in quotas.items():
            assert lo <= seats[q] <= hi, (q, seats[q])
    # stopped early, a real distribution, not an empty one: everyone has a
    # chance (the opening phase seats every type before anything else), and
    # nobody's least chance beats the uniform k/n, which no distribution
    # within quotas can. How far above nothing it got depends on how much
    # processor the 1 s was given (under a loaded machine a third of it),
    # so the figure itself is the bench's (bench/sortition), not this test's.
    # (How far it got: stopped while decomposing, or inside column
    # generation's first linear program, every panel found equally likely.)
    assert 0 < res["min_probability"] <= k / len(ids) + 1e-9
    # the default rounding (integer programs) has what is left of the
    # limit, at least a second, then keeps the best rounding found
    began = time.monotonic()
    text = run("select", "--categories", cats, "--respondents", resp, "--panel-size",
               str(k), "--time-limit", "1")
    took = time.monotonic() - began
    assert text.returncode == 0, text.stderr
    assert "optimal no: stopped by --time-limit" in text.stdout
    assert took < 1 + 1 + 15, took


def test_a_draw_solved_to_the_end_says_so():
    res, _, _, _ = select("example_small_20")
    assert res["optimal"] is True
    out = run("select", "--categories", os.path.join(DATA, "example_small_20", "categories.csv"),
              "--respondents", os.path.join(DATA, "example_small_20", "respondents.csv"),
              "--panel-size", "20", "--json")
    assert "leximin: done in" in out.stderr and "levels" in out.stderr
    assert "optimal no" not in run(
        "select", "--categories", os.path.join(DATA, "example_small_20", "categories.csv"),
        "--respondents", os.path.join(DATA, "example_small_20", "respondents.csv"),
        "--panel-size", "20").stdout


@pytest.mark.parametrize("bad", ["0", "-3", "soon"])
def test_bad_time_limit_is_refused(bad):
    d = os.path.join(DATA, "example_small_20")
    out = run("select", "--categories", os.path.join(d, "categories.csv"),
              "--respondents", os.path.join(d, "respondents.csv"), "--panel-size", "20",
              "--time-limit", bad)
    assert out.returncode == 2
    assert "time-limit" in out.stderr
    assert out.stdout == ""


def lottery_chances(res, ids):
    m = res["lottery"]["tickets"]
    lot = {i: 0 for i in ids}
    for panel in res["panels"]:
        for pid in panel["members"]:
            lot[pid] += panel["tickets"]
    return {i: t / m for i, t in lot.items()}


def test_tickets_grow_with_the_pool_so_nobody_is_left_without_one(tmp_path):
    """Issue 19: on a generated pool of 8,000 people in four categories
    with panels of 8 (as thin as 100,000 people with panels of 150: k/N
    0.001), the least LEXIMIN chance is 0.00084, under one ticket of
    1000, and a lottery of 1000 tickets (still there with --panels 1000)
    leaves someone on none. By default the lottery has enough tickets that
    the least likely person holds about 10 (docs/sortition.md 8.4): every
    chance positive, the least within the rounding's deviation of
    LEXIMIN's."""
    cats, resp, k, quotas, ids = national(tmp_path, 8000, k=8, categories=4)
    base = ["select", "--categories", cats, "--respondents", resp, "--panel-size", str(k),
            "--json"]
    out = run(*base, "--panels", "1000")
    assert out.returncode == 0, out.stderr
    thin = json.loads(out.stdout)
    assert thin["lottery"]["tickets"] == 1000
    least = thin["min_probability"]
    assert 0 < least * 1000 < 1
    assert thin["lottery"]["min_probability"] == 0
    assert min(lottery_chances(thin, ids).values()) == 0

    out = run(*base)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["min_probability"] == least  # the same LEXIMIN
    m = res["lottery"]["tickets"]
    assert m % 1000 == 0 and m >= 10 / least and m - 1000 < 10 / least
    chances = lottery_chances(res, ids)
    assert min(chances.values()) > 0
    assert abs(res["lottery"]["min_probability"] - min(chances.values())) < 1e-9
    dev = res["lottery"]["max_deviation"]
    assert max(abs(chances[i] - res["probabilities"][i]) for i in ids) <= dev + 1e-9
    assert res["lottery"]["min_probability"] >= least - dev - 1e-9
    for panel in res["panels"]:
        assert len(panel["members"]) == k
        seats = {q_: 0 for q_ in quotas}
        for pid in panel["members"]:
            for cat, val in ids[pid].items():
                seats[(cat, val)] += 1
        assert all(lo <= seats[q_] <= hi for q_, (lo, hi) in quotas.items())
    assert sum(p["tickets"] for p in res["panels"]) == m


def test_published_instances_keep_a_thousand_tickets():
    """The rule changes nothing where 1000 tickets already give everyone
    ten or more: the published instances' least chances are 0.09 to 0.1."""
    for instance in INSTANCES:
        res, *_ = select(instance, "--rounding", "heuristic")
        assert res["lottery"]["tickets"] == 1000, instance
