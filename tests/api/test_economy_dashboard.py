"""One local assembly's economy at a glance, and its rounds closed together
(issue 16, items 7 and 8; src/gov/sharing/dashboard.c, rounds_batch.c;
docs/sharing.md "The economy dashboard").

Harbour's assembly declares flour (a product) and oven time (a service)
scarce; members ask in their rounds; `POST
/api/v1/bodies/{slug}/rounds/close` (`pnyx economy close-due`) closes every
round whose date has passed at once, each journalled as `pnyx economy
close` journals one, and `pnyx economy draw-due` draws every round waiting
for its seed from one public source. The dashboard (GET
/api/v1/bodies/{slug}/economy, `pnyx economy dashboard`) then shows each
good's policy and rounds and the need left unmet by category, with figures
checked against the rounds' own records. Refusals change nothing; the
replay rebuilds it all."""
import json
import os
import sqlite3
import sys
from fractions import Fraction

import pytest

from conftest import (RULES, Server, assert_clean_exit, decide, error_of, join, run,
                      schedule_now, settled_hash, state_hash)

DAY = 86400
ENT = "/api/v1/enterprises"

# the independent reimplementation of docs/sharing.md (tests/cli)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import sharing_ref  # noqa: E402
import sortition_ref  # noqa: E402


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("economy")), init_args=("--controlled-clock",))
    yield s
    assert_clean_exit(*s.stop())


@pytest.fixture(scope="module")
def town(srv):
    """Harbour (f founded it; b and c members, bakers in good standing;
    o a member with no standing) joined the economy "coast"; its bakery
    offers flour and oven time, both declared scarce. Dale (g) is another
    assembly."""
    people = {k: srv.user() for k in "fbcog"}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    comm = srv.add_community()
    r = srv.found(tok["f"], community=comm, rule=RULES, schedule=schedule_now(),
                  name="Harbour")
    assert r.status_code == 201, r.text
    local = r.json()["slug"]
    for k in "bco":
        join(srv, local, tok[k])
    r = srv.found(tok["g"], community=srv.add_community(), rule=RULES,
                  schedule=schedule_now(), name="Dale")
    assert r.status_code == 201, r.text
    dale = r.json()["slug"]
    r = srv.post(ENT, {"name": "The Bakery", "community": comm,
                       "purpose": "Bread, run by those who bake it.", "provides": "Bread",
                       "rule": RULES, "schedule": schedule_now(),
                       "founders": [h["b"], h["c"]]}, token=tok["f"])
    assert r.status_code == 201, r.text
    bakery = r.json()["slug"]
    for k in "bc":
        r = srv.post(f"/api/v1/bodies/{bakery}/members", {"affirm": True,
                     "basis": "works"}, token=tok[k])
        assert r.status_code == 201, r.text
    d = decide(srv, local, tok["f"], "join_sharing_economy",
               {"economy": "coast", "name": "The Coast Commons"})
    assert d["status"] == "adopted", d
    d = decide(srv, local, tok["f"], "decide_standing",
               {"enterprise": bakery, "standing": "good"}, text="It bakes.")
    assert d["status"] == "adopted", d
    goods = {}
    for key, g in (("flour", {"kind": "product", "name": "Flour", "unit": "kilogram",
                              "units": "kilograms", "stock": 10}),
                   ("oven", {"kind": "service", "name": "Oven time", "unit": "hour",
                             "units": "hours", "stock": 2})):
        r = srv.post(f"{ENT}/{bakery}/goods", g, token=tok["b"])
        assert r.status_code == 201, r.text
        goods[key] = r.json()["id"]
    return {"tok": tok, "h": h, "local": local, "dale": dale, "bakery": bakery, **goods}


def dash(srv, slug):
    r = srv.get(f"/api/v1/bodies/{slug}/economy")
    assert r.status_code == 200, r.text
    return r.json()


def test_before_anything_is_scarce_the_dashboard_says_so(srv, town):
    d = dash(srv, town["local"])
    assert (d["assembly_name"], d["economy"], d["economy_name"]) == (
        "Harbour", "coast", "The Coast Commons")
    assert (d["goods"], d["unmet"], d["scarce_goods"], d["rounds_allocated"]) == (
        [], [], 0, 0)
    d = dash(srv, town["dale"])
    assert (d["economy"], d["goods"]) == (None, [])
    error_of(srv.get("/api/v1/bodies/nowhere/economy"), 404, "not_found", "slug")
    p = run("economy", "dashboard", "nowhere", "--db", srv.db)
    assert p.returncode == 2 and "nowhere" in p.stderr, (p.returncode, p.stderr)


def test_rounds_due_are_closed_together_and_the_dashboard_shows_them(srv, town):
    tok = town["tok"]
    for key, cats in (("flour", "Medical need: 30; Everyone"),
                      ("oven", "Medical need: 50; Everyone")):
        d = decide(srv, town["local"], tok["f"], "declare_scarce", {
            "good": town[key], "categories": cats, "cap": 0, "round_days": 7},
            text="Short this season.")
        assert d["status"] == "adopted", d
    asks = (("flour", "c", "Medical need", 2), ("flour", "b", "Everyone", 5),
            ("flour", "f", "Everyone", 5), ("oven", "c", "Medical need", 1),
            ("oven", "b", "Everyone", 1), ("oven", "f", "Everyone", 2))
    for key, who, cat, amount in asks:
        r = srv.post(f"/api/v1/goods/{town[key]}/requests",
                     {"category": cat, "amount": amount}, token=tok[who])
        assert r.status_code == 201, r.text
    env_f = {"PNYX_TOKEN": tok["f"]}
    # nothing is due before the rounds' date (the command reads the
    # database's controlled clock, as the server does)
    before = settled_hash(srv)
    p = run_env(env_f, "economy", "close-due", town["local"], "--db", srv.db)
    assert p.returncode == 2 and "no round of this assembly is due" in p.stderr, p.stderr
    assert state_hash(srv.db) == before
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    before = settled_hash(srv)
    # refused: someone outside the assembly, a bad source, no token; nothing changes
    p = run_env({"PNYX_TOKEN": tok["g"]}, "economy", "close-due", town["local"],
                "--db", srv.db)
    assert p.returncode == 2 and "member" in p.stderr, p.stderr
    p = run("economy", "close-due", town["local"], "--db", srv.db)
    assert p.returncode == 2 and "token" in p.stderr, p.stderr
    due = f"/api/v1/bodies/{town['local']}/rounds"
    error_of(srv.post(f"{due}/close", token=tok["g"]), 403, "not_member", None)
    error_of(srv.post(f"{due}/draw", {"source": "x"}, token=tok["f"]), 409, "conflict", None)
    error_of(srv.post(f"{due}/draw", {}, token=tok["f"]), 400, "missing_field", "source")
    error_of(srv.post(f"/api/v1/bodies/{town['dale']}/rounds/close", token=tok["g"]),
             409, "conflict", None)
    p = run_env(env_f, "economy", "draw-due", town["local"], "--db", srv.db)
    assert p.returncode == 2 and "source" in p.stderr, p.stderr
    assert state_hash(srv.db) == before
    r = srv.post(f"{due}/close", token=tok["c"])
    assert r.status_code == 200, r.text
    assert r.json() == {"assembly": town["local"], "rounds": 2, "requests": 6}
    p = run_env(env_f, "economy", "draw-due", town["local"], "--source",
                "dice thrown at the meeting: 3 5 1", "--db", srv.db)
    assert p.returncode == 0 and "drew 1 round (3 requests)" in p.stdout, p.stdout
    # each round is journalled exactly as closing it alone journals it
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True)
    entries = con.execute("SELECT action, payload FROM journal WHERE action LIKE"
                          " 'round.%' AND action != 'round.request' ORDER BY seq").fetchall()
    con.close()
    assert [a for a, _ in entries] == ["round.close", "round.close", "round.draw"], entries
    assert [sorted(json.loads(p)) for _, p in entries] == [
        ["commitment", "round", "supply"]] * 2 + [["round", "source"]]
    rounds = {k: srv.get(f"/api/v1/goods/{town[k]}").json()["rounds"] for k in
              ("flour", "oven")}
    recs = {k: srv.get(f"/api/v1/rounds/{v[-1]['id']}").json() for k, v in rounds.items()}
    assert all(r["state"] == "allocated" for r in recs.values())
    assert [len(v) for v in rounds.values()] == [2, 2]  # the next rounds are open
    d = dash(srv, town["local"])
    assert (d["scarce_goods"], d["rounds_allocated"]) == (2, 2)
    by = {g["name"]: g for g in d["goods"]}
    assert sorted(by) == ["Flour", "Oven time"]
    for key, name in (("flour", "Flour"), ("oven", "Oven time")):
        g, rec = by[name], recs[key]
        assert g["scarce"] and g["categories"] == rec["categories"]
        assert g["open_round"] == rounds[key][0]["id"]
        [r] = g["rounds"]
        assert (r["id"], r["supply"], r["requested"], r["requests"]) == (
            rec["id"], rec["supply"], sum(q["amount"] for q in rec["requests"]), 3)
        assert r["shared"] == sum(f["total"] for f in rec["figures"])
    assert by["Flour"]["rounds"][0]["shared"] == 10
    assert by["Oven time"]["rounds"][0]["shared"] == 2
    # unmet need by category, counted from every request's allocation
    want = {}
    for rec in recs.values():
        for q in rec["requests"]:
            name = rec["categories"][q["category"]]["name"]
            w = want.setdefault(name, [0, 0, 0])
            w[0] += 1
            w[1] += q["num"] >= q["amount"] * q["den"]
            w[2] += q["num"] == 0
    assert {u["category"]: [u["requests"], u["met"], u["none"]] for u in d["unmet"]} == want
    assert [u["category"] for u in d["unmet"]] == ["Medical need", "Everyone"]
    for u in d["unmet"]:
        assert u["partly"] == u["requests"] - u["met"] - u["none"]
        assert u["short"] == u["requests"] - u["met"]
    # the medical need was met in full; everyone else went short somewhere
    assert d["unmet"][0]["met"] == 2
    # the command line prints the same figures in words
    p = run("economy", "dashboard", town["local"], "--db", srv.db)
    assert p.returncode == 0, p.stderr
    assert "Harbour: 2 goods declared scarce, 2 rounds shared" in p.stdout, p.stdout
    assert "supply 10 kilograms, asked 12 kilograms, shared 10 kilograms" in p.stdout
    assert "Medical need" in p.stdout and "received all they asked" in p.stdout
    p = run("economy", "dashboard", town["local"], "--db", srv.db, "--json")
    assert json.loads(p.stdout) == dash(srv, town["local"])
    # nothing waits for a seed any more, nothing is due: refused, nothing changes
    before = settled_hash(srv)
    p = run_env(env_f, "economy", "draw-due", town["local"], "--source", "again",
                "--db", srv.db)
    assert p.returncode == 2 and "waiting for its seed" in p.stderr, p.stderr
    p = run_env(env_f, "economy", "close-due", town["local"], "--db", srv.db)
    assert p.returncode == 2, p.stderr
    error_of(srv.post(f"{due}/close", token=tok["f"]), 409, "conflict", None)
    assert state_hash(srv.db) == before


def test_alternatives_ranked_and_shared_by_probabilistic_serial(srv, town, tmp_path):
    """Two cargo bikes and the workshop's two hours are alternatives: each
    person ranks those they would accept and receives one at most. The
    shares are the eating algorithm's, exactly; who receives what is the
    dependent rounding drawn from the round's seed; both recomputed here by
    the independent tests/cli/sharing_ref.py and by pnyx verify round."""
    tok, h = town["tok"], town["h"]
    ids = {}
    for key, g in (("red", {"kind": "item", "name": "Red cargo bike", "stock": 1}),
                   ("blue", {"kind": "item", "name": "Blue cargo bike", "stock": 1}),
                   ("shop", {"kind": "service", "name": "Workshop", "unit": "hour",
                             "units": "hours", "stock": 2})):
        r = srv.post(f"{ENT}/{town['bakery']}/goods", g, token=tok["b"])
        assert r.status_code == 201, r.text
        ids[key] = r.json()["id"]
    red, blue, shop = ids["red"], ids["blue"], ids["shop"]
    motions = f"/api/v1/bodies/{town['local']}/motions"
    base = {"good": red, "categories": "Everyone", "cap": 1, "round_days": 7}

    def refused(params, status, code, field):
        error_of(srv.post(motions, {"kind": "declare_scarce", "title": "Bikes",
                                    "text": "Few.", "params": {**base, **params}},
                          token=tok["f"]), status, code, field)
        assert state_hash(srv.db) == before

    before = settled_hash(srv)

    refused({"method": "probabilistic_serial"}, 400, "missing_field", "params.alternatives")
    refused({"alternatives": f"{blue}"}, 400, "bad_input", "params.alternatives")
    refused({"method": "probabilistic_serial", "alternatives": f"{blue}, {blue}"},
            400, "bad_input", "params.alternatives")
    refused({"method": "probabilistic_serial", "alternatives": f"{blue}, {town['flour']}"},
            409, "conflict", "params.alternatives")  # flour is scarce already
    refused({"method": "probabilistic_serial", "alternatives": "4x"},
            400, "bad_input", "params.alternatives")
    refused({"method": "lottery", "alternatives": f"{blue}"}, 400, "bad_input",
            "params.method")
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        **base, "method": "probabilistic_serial", "alternatives": f"{blue}, {shop}"},
        title="Bikes and the workshop are scarce", text="Everyone wants one.")
    assert d["status"] == "adopted", d.get("result", {}).get("void_reason")
    # each alternative is scarce now: nobody takes it freely
    error_of(srv.post(f"/api/v1/goods/{shop}/takes", {"quantity": 1}, token=tok["c"]),
             409, "sharing_scarce", None)
    [rnd] = srv.get(f"/api/v1/goods/{red}").json()["rounds"]
    rank = f"/api/v1/goods/{red}/rankings"
    before = settled_hash(srv)
    for body, status, code in (({"ranking": [red, town["flour"]]}, 400, "bad_input"),
                               ({"ranking": [red, red]}, 400, "bad_input"),
                               ({"ranking": []}, 400, "out_of_range"),
                               ({"ranking": "red"}, 400, "bad_type")):
        error_of(srv.post(rank, body, token=tok["c"]), status, code, "ranking")
    error_of(srv.post(f"/api/v1/goods/{red}/requests", {"category": "Everyone",
                                                       "amount": 1}, token=tok["c"]),
             400, "missing_field", "ranking")
    error_of(srv.post(rank, {"ranking": [red]}, token=tok["o"]), 403, "sharing_standing",
             None)
    error_of(srv.post(f"/api/v1/goods/{town['flour']}/rankings", {"ranking": [red]},
                      token=tok["c"]), 400, "bad_input", "ranking")
    assert state_hash(srv.db) == before
    lists = {"b": [red, blue], "c": [red, shop, blue], "f": [red]}
    receipts = {}
    for who, ranking in lists.items():
        r = srv.post(rank, {"ranking": ranking}, token=tok[who])
        assert r.status_code == 201, r.text
        receipts[who] = r.json()
        assert receipts[who]["ranking"] == ranking
    error_of(srv.post(rank, {"ranking": [blue]}, token=tok["b"]), 409, "conflict", None)
    p = run_env({"PNYX_TOKEN": tok["o"]}, "economy", "rank", str(red), "--ranking",
                f"{red},{blue}", "--db", srv.db)
    assert p.returncode == 2 and "standing" in p.stderr, p.stderr
    # the round's date: closed (commitment over every ranking), then drawn
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/close", token=tok["c"])
    assert r.status_code == 200, r.text
    rec = r.json()
    assert (rec["state"], rec["policy"]) == ("waiting_for_seed", "probabilistic_serial")
    assert [(a["id"], a["supply"]) for a in rec["alternatives"]] == [
        (red, 1), (blue, 1), (shop, 2)]
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/draw", {"source": "two dice: 4 2"},
                 token=tok["c"])
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["state"] == "allocated"
    # the independent program: the same shares, exactly, and the same draw
    order = [q["leaf"] for q in rec["requests"]]
    assert order == sorted(order)
    alts = [a["id"] for a in rec["alternatives"]]
    by_leaf = {x["leaf"]: who for who, x in receipts.items()}
    ref_lists = [[alts.index(g) for g in lists[by_leaf[q["leaf"]]]] for q in rec["requests"]]
    shares = sharing_ref.ps_eat(ref_lists, [1, 1, 2])
    for q, row in zip(rec["requests"], shares):
        assert [Fraction(n, d) for n, d in q["shares"]] == row, (q, row)
    # three want the red bike first: a third each; the workshop's two hours
    # go to whoever has the blue bike or nothing left
    assert [Fraction(n, d) for n, d in rec["requests"][0]["shares"]][0] == Fraction(1, 3)
    inputs = sharing_ref.ps_inputs_hash(
        [(str(a["id"]), a["supply"]) for a in rec["alternatives"]],
        [(bytes.fromhex(q["leaf"]), li) for q, li in zip(rec["requests"], ref_lists)])
    assert sharing_ref.round_commit([inputs]).hex() == rec["commitment"]
    seed = sortition_ref.seed_of(bytes.fromhex(rec["commitment"]), "two dice: 4 2")
    drawn = sharing_ref.ps_draw(ref_lists, shares, seed)
    assert [q["assigned"] for q in rec["requests"]] == [
        alts[j] if j >= 0 else None for j in drawn]
    assert sharing_ref.ps_result_hash(inputs, shares, drawn).hex() == rec["result_hash"]
    winner = next(by_leaf[q["leaf"]] for q in rec["requests"] if q["assigned"] == red)
    g = srv.get(f"/api/v1/goods/{red}").json()
    assert (g["stock"], g["holder"]) == (0, h[winner])
    # the bike received by probabilistic serial begins its loan history
    [loan] = srv.get(f"/api/v1/goods/{red}/loans").json()["loans"]
    assert (loan["holder"], loan["how"], loan["round"], loan["open"]) == (
        h[winner], "round", rnd["id"], True), loan
    # pnyx verify round, from the record alone, with a receipt
    f = tmp_path / "ps.json"
    f.write_text(json.dumps(rec))
    c = receipts["c"]
    p = run("verify", "round", f, "--receipt", h["c"], "--salt", c["salt"])
    assert p.returncode == 0 and "verified: round" in p.stdout, p.stdout + p.stderr
    forged = json.loads(json.dumps(rec))
    forged["requests"][0]["shares"][0] = [1, 2]
    f.write_text(json.dumps(forged))
    p = run("verify", "round", f, "--json")
    assert p.returncode == 1 and json.loads(p.stdout)["verified"] is False, p.stdout
    forged = json.loads(json.dumps(rec))
    forged["alternatives"][2]["supply"] = 3
    f.write_text(json.dumps(forged))
    p = run("verify", "round", f, "--json")
    assert "commitment" in json.loads(p.stdout)["difference"], p.stdout
    # an allocation is never changed after publication
    before = settled_hash(srv)
    error_of(srv.post(f"/api/v1/rounds/{rnd['id']}/draw", {"source": "again"},
                      token=tok["c"]), 409, "conflict", None)
    assert state_hash(srv.db) == before


def test_the_dashboard_page_is_served_and_linked(srv, town):
    r = srv.request("GET", f"/economy.html?assembly={town['local']}")
    assert r.status_code == 200 and "/js/pages/economy.js" in r.text
    assert srv.request("GET", "/economy.html?assembly=nowhere").status_code == 404


def test_replay_rebuilds_rounds_closed_together(srv, town, tmp_path):
    p = run("journal", "verify", "--state", "--db", srv.db)
    assert p.returncode == 0, p.stdout + p.stderr
    # a ranking, like an amount, is committed to, never said in the journal
    # (docs/sharing.md, "What the journal says of a request")
    import sqlite3
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True, timeout=10)
    asked = [json.loads(p) for (p,) in con.execute(
        "SELECT payload FROM journal WHERE action = 'round.request'")]
    ranked = con.execute("SELECT count(*) FROM round_requests WHERE ranking IS NOT NULL"
                         ).fetchone()[0]
    con.close()
    assert ranked and asked
    assert all(set(q) == {"good", "round", "request", "commitment"} for q in asked), asked


def run_env(env, *args):
    import os
    import subprocess
    from conftest import PNYX
    e = dict(os.environ)
    e.pop("PNYX_DB", None)
    e.pop("PNYX_TOKEN", None)
    e.update(env)
    return subprocess.run([PNYX, *map(str, args)], capture_output=True, text=True, env=e,
                          timeout=60)
