"""Scarcity shared across a federation of economies (issue 16 item 3;
src/gov/sharing/scarcity_fed.c; docs/sharing.md "Scarcity shared across a
federation").

Three local assemblies in two sharing economies: Harbour (where the
bakery is, whose flour and oven time are in the register) and Dale in
"coast", Hill in "hills". Harbour founded the delegate assembly Commons,
which Dale and Hill joined. Commons proposes a rationing policy for the
flour; it applies only once the condition is met and Harbour (the good's
own assembly) accepted, and then the members of every assembly that
accepted ask in its rounds, whichever economy they are in; a member of an
assembly that rejected is refused, naming why. When Harbour rejects,
nothing changes even though the condition is met. A proposal to lift
ends it the same way. Every refusal leaves the state and the journal as
they were; the replay rebuilds it all."""
import json

import pytest

from conftest import (RULES, Server, assert_clean_exit, decide, error_of, join, run,
                      schedule_now, settled_hash, state_hash, unique)
from sharing_town import ENT, found_enterprise

DAY = 86400


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("sharefed")), init_args=("--controlled-clock",))
    yield s
    assert_clean_exit(*s.stop())


def motion(srv, slug, tok, kind, params, title="A motion", text="Why."):
    return srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": kind, "title": title, "text": text, "params": params}, token=tok)


@pytest.fixture(scope="module")
def world(srv):
    """Harbour (founder ha, member a2), Dale (hb, b2), Hill (hc, c2); n
    belongs nowhere. Harbour and Dale in the economy coast, Hill in hills.
    The bakery (ha) of Harbour's community, in good standing, offers flour
    and oven time. Commons: founded by Harbour (delegate ha), joined by
    Dale (hb) and Hill (hc). Far: a delegate assembly of Dale alone."""
    people = {k: srv.user() for k in ("ha", "a2", "hb", "b2", "hc", "c2", "n")}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    slug, comm = {}, {}
    for k, f, m in (("harbour", "ha", "a2"), ("dale", "hb", "b2"), ("hill", "hc", "c2")):
        comm[k] = srv.add_community()
        r = srv.found(tok[f], community=comm[k], rule=RULES, schedule=schedule_now())
        assert r.status_code == 201, r.text
        slug[k] = r.json()["slug"]
        join(srv, slug[k], tok[m])
    for k, f, eco, name in (("harbour", "ha", "coast", "The Coast Commons"),
                            ("dale", "hb", "coast", None),
                            ("hill", "hc", "hills", "The Hill Commons")):
        p = {"economy": eco}
        if name:
            p["name"] = name
        assert decide(srv, slug[k], tok[f], "join_sharing_economy", p)["status"] == \
            "adopted"
    bakery = found_enterprise(srv, tok["ha"], comm["harbour"], "The Bakery")
    assert decide(srv, slug["harbour"], tok["ha"], "decide_standing",
                  {"enterprise": bakery, "standing": "good"},
                  text="The record shows it.")["status"] == "adopted"
    goods = {}
    for key, offer in (("flour", {"kind": "product", "name": "Flour", "unit": "kilogram",
                                  "units": "kilograms", "stock": 10}),
                       ("oven", {"kind": "service", "name": "Oven time", "unit": "hour",
                                 "units": "hours", "stock": 6})):
        r = srv.post(f"{ENT}/{bakery}/goods", offer, token=tok["ha"])
        assert r.status_code == 201, r.text
        goods[key] = r.json()["id"]
    # the members without an enterprise are in good standing by their basis
    for k in ("a2", "b2", "c2", "n"):
        r = srv.request("PUT", "/api/v1/me/standing-basis", {"basis": "retired"},
                        token=tok[k])
        assert r.status_code == 200, r.text
    commons = unique("commons")
    assert decide(srv, slug["harbour"], tok["ha"], "found_federation", {
        "slug": commons, "name": "Commons", "purpose": "economy", "region": "the coast",
        "statement": "We share as equals.", "rule": RULES, "schedule": schedule_now(),
        "delegate": h["ha"], "mandate": "Share what is short."})["status"] == "adopted"
    for k, f in (("dale", "hb"), ("hill", "hc")):
        assert decide(srv, slug[k], tok[f], "join_federation",
                      {"federation": commons})["status"] == "adopted"
        assert decide(srv, slug[k], tok[f], "elect_delegates", {
            "federation": commons, "delegate": h[f],
            "mandate": "Speak for us."})["status"] == "adopted"
    far = unique("far")
    assert decide(srv, slug["dale"], tok["hb"], "found_federation", {
        "slug": far, "name": "Far", "purpose": "economy", "region": "the dale",
        "statement": "We share as equals.", "rule": RULES, "schedule": schedule_now(),
        "delegate": h["hb"], "mandate": "Share."})["status"] == "adopted"
    return {"tok": tok, "h": h, "slug": slug, "commons": commons, "far": far,
            "bakery": bakery, "comm": comm, **goods}


POLICY = {"categories": "Medical need: 30; Everyone", "cap": 0, "round_days": 7}


def test_refusals_of_a_proposed_policy_change_nothing(srv, world):
    tok, s, c = world["tok"], world["slug"], world["commons"]
    flour = world["flour"]
    before = settled_hash(srv)
    good = {"good": flour, **POLICY, "condition": {"kind": "at_least", "n": 2}}
    # a local assembly declares by its own decision; it does not propose
    error_of(motion(srv, s["harbour"], tok["ha"], "propose_scarcity", good),
             403, "fed_kind", "kind")
    # someone who is not a delegate there
    error_of(motion(srv, c, tok["n"], "propose_scarcity", good), 403, "not_member")
    # bad input, each naming its field
    error_of(motion(srv, c, tok["ha"], "propose_scarcity", {**good, "good": 99999}),
             404, "not_found", "params.good")
    error_of(motion(srv, c, tok["ha"], "propose_scarcity",
                    {k: v for k, v in good.items() if k != "condition"}),
             400, "missing_field", "params.condition")
    error_of(motion(srv, c, tok["ha"], "propose_scarcity",
                    {**good, "categories": "Medical: 80; Families: 30"}),
             400, "out_of_range", "params.categories")
    error_of(motion(srv, c, tok["ha"], "propose_scarcity",
                    {**good, "condition": {"kind": "at_least", "n": 0}}),
             400, "out_of_range", "params.condition")
    error_of(motion(srv, c, tok["ha"], "propose_scarcity", {**good, "price": 3}),
             400, "unknown_field", "params")
    # a federation the good's assembly is not in: its acceptance could never come
    error_of(motion(srv, world["far"], tok["hb"], "propose_scarcity", good),
             403, "forbidden", "params.good")
    # the wrong state: lifting what is not scarce
    error_of(motion(srv, c, tok["ha"], "propose_lift_scarcity",
                    {"good": flour, "condition": {"kind": "at_least", "n": 1}}),
             409, "conflict", "params.good")
    assert settled_hash(srv) == before


def accepted(srv, world, k, pid, answer="accept"):
    f = {"harbour": "ha", "dale": "hb", "hill": "hc"}[k]
    d = decide(srv, world["slug"][k], world["tok"][f], "answer_proposal",
               {"proposal": pid, "version": 1, "answer": answer})
    assert d["status"] == "adopted", d
    return d


def test_a_policy_applies_where_the_goods_assembly_accepts_and_pools_requests(srv, world):
    tok, s, c, flour = world["tok"], world["slug"], world["commons"], world["flour"]
    d = decide(srv, c, tok["ha"], "propose_scarcity",
               {"good": flour, **POLICY, "rationale": "The mill flooded.",
                "condition": {"kind": "at_least", "n": 2}},
               title="Share the flour", text="Flour is short across the coast.")
    assert d["status"] == "adopted", d
    pid = srv.get(f"/api/v1/bodies/{c}/proposals").json()["originated"][0]["id"]
    world["flour_proposal"] = pid
    # the proposal shows the policy it carries
    p = srv.get(f"/api/v1/proposals/{pid}").json()
    sc = p["scarcity"]
    assert (sc["good"], sc["action"], sc["good_name"]) == (flour, "declare", "Flour")
    assert sc["params"]["categories"] == POLICY["categories"]
    assert [x["name"] for x in sc["params"]["policy"]] == ["Medical need", "Everyone"]
    # Dale rejects, Hill accepts: the condition (2) is not met yet
    accepted(srv, world, "dale", pid, "reject")
    accepted(srv, world, "hill", pid)
    g = srv.get(f"/api/v1/goods/{flour}").json()
    assert g["policy"] is None
    # Harbour, the good's own assembly, accepts: met, and scarce by its acceptance
    acc = accepted(srv, world, "harbour", pid)
    g = srv.get(f"/api/v1/goods/{flour}").json()
    pol = g["policy"]
    assert pol is not None
    assert (pol["decision"], pol["assembly"], pol["proposal"], pol["federation"]) == (
        acc["id"], s["harbour"], pid, c)
    assert [(x["slug"], x["declares"]) for x in pol["pool"]] == sorted(
        [(s["harbour"], True), (s["hill"], False)])
    [rnd] = g["rounds"]
    assert rnd["state"] == "open"
    # nobody takes it freely
    error_of(srv.post(f"/api/v1/goods/{flour}/takes", {"quantity": 1}, token=tok["a2"]),
             409, "sharing_scarce", None)
    # the good's answer says who may ask, by the rule a request meets
    # (the page shows its form by it): pooled or not, whatever the economy
    for k, may, code in (("a2", True, None), ("c2", True, None),
                         ("b2", False, "sharing_not_pooled"),
                         ("n", False, "sharing_not_pooled")):
        g = srv.get(f"/api/v1/goods/{flour}", token=tok[k]).json()
        assert g["may_request"] is may, (k, g)
        assert (g["why_not"] or {}).get("code") == code, (k, g["why_not"])
    g = srv.get(f"/api/v1/goods/{flour}", token=tok["b2"]).json()
    assert f"{s['dale']} rejected it" in g["why_not"]["message"], g["why_not"]
    g = srv.get(f"/api/v1/goods/{flour}").json()
    assert (g["may_request"], g["why_not"]) == (None, None)
    # Moor joins Commons and accepts, but is in no sharing economy: its
    # member may take nothing freely, yet is pooled, and the good says so
    mf, mtok = srv.user()
    mm, m2 = srv.user()
    r = srv.found(mtok, community=srv.add_community(), rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    moor = r.json()["slug"]
    join(srv, moor, m2)
    assert decide(srv, moor, mtok, "join_federation", {"federation": c})["status"] == \
        "adopted"
    assert decide(srv, moor, mtok, "elect_delegates", {
        "federation": c, "delegate": mf, "mandate": "Speak for us."})["status"] == "adopted"
    assert decide(srv, moor, mtok, "answer_proposal", {
        "proposal": pid, "version": 1, "answer": "accept"})["status"] == "adopted"
    r = srv.request("PUT", "/api/v1/me/standing-basis", {"basis": "retired"}, token=m2)
    assert r.status_code == 200, r.text
    me = srv.get("/api/v1/me/sharing", token=m2).json()
    assert (me["economy"], me["may_take"], me["why_not"]) == (None, False,
                                                             "sharing_outside"), me
    g = srv.get(f"/api/v1/goods/{flour}", token=m2).json()
    assert (g["may_request"], g["why_not"]) == (True, None), g
    world["moor"] = (moor, m2)
    # pooled: a member of Harbour and one of Hill (the other economy) ask
    req = f"/api/v1/goods/{flour}/requests"
    for k, cat, n in (("a2", "Everyone", 6), ("c2", "Medical need", 4)):
        r = srv.post(req, {"category": cat, "amount": n}, token=tok[k])
        assert r.status_code == 201, r.text
    # Dale rejected: its member is refused, though Dale is in the good's economy
    before = settled_hash(srv)
    e = error_of(srv.post(req, {"category": "Everyone", "amount": 1}, token=tok["b2"]),
                 403, "sharing_not_pooled", None)
    assert f"proposal {pid} " in e["message"] and f"{s['dale']} rejected it" in \
        e["message"], e
    e = error_of(srv.post(req, {"category": "Everyone", "amount": 1}, token=tok["n"]),
                 403, "sharing_not_pooled", None)
    assert "you are a member of none" in e["message"], e
    error_of(srv.post(req, {"category": "Everyone", "amount": 1}), 401,
             "unauthenticated", None)
    assert settled_hash(srv) == before
    # the round closes on its date and shares among the pooled requests
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/close", token=tok["a2"])
    assert r.status_code == 200, r.text
    rec = srv.get(f"/api/v1/rounds/{rnd['id']}").json()
    assert len(rec["requests"]) == 2
    # the journal: Harbour's law from the proposal, with the policy it brought,
    # inside Harbour's accepting decision
    entries = journal(srv)
    law = [e for e in entries if e["action"] == "law.from_proposal"
           and e["payload"]["proposal"] == pid and e["body"] == s["harbour"]]
    assert len(law) == 1, law
    assert law[0]["payload"]["accepted_by"] == acc["id"]
    assert law[0]["payload"]["scarcity"] == {"good": flour, "action": "declare"}
    hill = [e for e in entries if e["action"] == "law.from_proposal"
            and e["payload"]["proposal"] == pid and e["body"] == s["hill"]]
    assert len(hill) == 1 and "scarcity" not in hill[0]["payload"], hill


def journal(srv):
    out, after = [], 0
    while True:
        page = srv.get(f"/api/v1/journal?after={after}&limit=1000").json()["entries"]
        if not page:
            return out
        out += page
        after = page[-1]["seq"]


def test_nothing_changes_when_the_goods_assembly_rejects(srv, world):
    tok, s, c, oven = world["tok"], world["slug"], world["commons"], world["oven"]
    d = decide(srv, c, tok["ha"], "propose_scarcity",
               {"good": oven, **POLICY, "condition": {"kind": "at_least", "n": 1}},
               title="Share the oven", text="Few hours.")
    assert d["status"] == "adopted", d
    pid = srv.get(f"/api/v1/bodies/{c}/proposals").json()["originated"][0]["id"]
    accepted(srv, world, "harbour", pid, "reject")
    accepted(srv, world, "hill", pid)
    accepted(srv, world, "dale", pid)
    st = srv.get(f"/api/v1/proposals/{pid}/status").json()
    assert st["versions"][0]["met"] is True
    g = srv.get(f"/api/v1/goods/{oven}").json()
    assert (g["policy"], g["rounds"], g["policies"]) == (None, [], [])
    # still taken freely, by Harbour's members
    r = srv.post(f"/api/v1/goods/{oven}/takes", {"quantity": 1}, token=tok["a2"])
    assert r.status_code == 201, r.text
    error_of(srv.post(f"/api/v1/goods/{oven}/requests",
                      {"category": "Everyone", "amount": 1}, token=tok["c2"]),
             409, "conflict", None)


def test_a_proposal_to_lift_ends_it_where_the_goods_assembly_accepts(srv, world):
    tok, s, c, flour = world["tok"], world["slug"], world["commons"], world["flour"]
    # declaring again while it is scarce is refused
    error_of(motion(srv, c, tok["ha"], "propose_scarcity",
                    {"good": flour, **POLICY, "condition": {"kind": "at_least", "n": 1}}),
             409, "conflict", "params.good")
    d = decide(srv, c, tok["ha"], "propose_lift_scarcity",
               {"good": flour, "condition": {"kind": "at_least", "n": 1}},
               title="Flour is back", text="The mill works again.")
    assert d["status"] == "adopted", d
    pid = srv.get(f"/api/v1/bodies/{c}/proposals").json()["originated"][0]["id"]
    assert srv.get(f"/api/v1/proposals/{pid}").json()["scarcity"]["action"] == "lift"
    # Hill's acceptance meets the condition, but only Harbour's lifts it
    accepted(srv, world, "hill", pid)
    assert srv.get(f"/api/v1/goods/{flour}").json()["policy"] is not None
    acc = accepted(srv, world, "harbour", pid)
    g = srv.get(f"/api/v1/goods/{flour}").json()
    assert g["policy"] is None
    assert g["policies"][0]["lifted_by"] == acc["id"]
    assert g["policies"][0]["proposal"] == world["flour_proposal"]


def test_the_cli_shows_the_policy_and_its_pool(srv, world):
    p = run("proposal", "show", str(world["flour_proposal"]), "--db", srv.db, check=0)
    assert "Flour" in p.stdout and "Medical need" in p.stdout, p.stdout
    p = run("economy", "good", str(world["flour"]), "--db", srv.db, check=0)
    assert f"proposal {world['flour_proposal']}" in p.stdout, p.stdout


def test_an_item_overdue_in_any_economy_blocks_another(srv, world):
    """Hill's c2, pooled by a federation's policy, borrows the bakery's
    bread tin from the coast; once it is overdue, no item of Hill's own
    economy is lent to c2 either (the block looks at every item held)."""
    tok, s, c = world["tok"], world["slug"], world["commons"]
    r = srv.post(f"{ENT}/{world['bakery']}/goods", {"kind": "item", "name": "Bread tin",
                                                   "stock": 1}, token=tok["ha"])
    assert r.status_code == 201, r.text
    tin = r.json()["id"]
    tools = found_enterprise(srv, tok["hc"], world["comm"]["hill"], "Hill Tools")
    assert decide(srv, s["hill"], tok["hc"], "decide_standing",
                  {"enterprise": tools, "standing": "good"},
                  text="The record shows it.")["status"] == "adopted"
    r = srv.post(f"{ENT}/{tools}/goods", {"kind": "item", "name": "Ladder", "stock": 1},
                 token=tok["hc"])
    assert r.status_code == 201, r.text
    ladder = r.json()["id"]
    assert decide(srv, c, tok["ha"], "propose_scarcity", {
        "good": tin, "categories": "Everyone", "cap": 1, "round_days": 1, "loan_days": 2,
        "condition": {"kind": "at_least", "n": 1}},
        title="Lend the tin", text="One tin.")["status"] == "adopted"
    pid = srv.get(f"/api/v1/bodies/{c}/proposals").json()["originated"][0]["id"]
    accepted(srv, world, "hill", pid)
    accepted(srv, world, "harbour", pid)
    [rnd] = srv.get(f"/api/v1/goods/{tin}").json()["rounds"]
    r = srv.post(f"/api/v1/goods/{tin}/requests", {"category": "Everyone", "amount": 1},
                 token=tok["c2"])
    assert r.status_code == 201, r.text
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", DAY) == 1
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/close", token=tok["a2"])
    assert r.status_code == 200, r.text
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/draw", {"source": "dice:4,2"},
                 token=tok["a2"])
    assert r.status_code == 200, r.text
    # won, lent at once (the policy has no days to collect in)
    assert srv.get(f"/api/v1/goods/{tin}").json()["holder"] == world["h"]["c2"]
    # not overdue yet: the ladder of Hill's own economy is lent
    g = srv.get(f"/api/v1/goods/{ladder}").json()
    assert g["holder"] is None
    # six days on (a week in all: the weekly meetings are in session again)
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 6 * DAY) == 1
    before = settled_hash(srv)
    e = error_of(srv.post(f"/api/v1/goods/{ladder}/takes", {"quantity": 1},
                          token=tok["c2"]), 409, "conflict", None)
    assert "Bread tin" in e["message"], e
    assert settled_hash(srv) == before
    # returned, the block is gone
    r = srv.post(f"/api/v1/goods/{tin}/return", token=tok["c2"])
    assert r.status_code == 200, r.text
    r = srv.post(f"/api/v1/goods/{ladder}/takes", {"quantity": 1}, token=tok["c2"])
    assert r.status_code == 201, r.text


def test_replay_rebuilds_policies_from_proposals(srv, world):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j


def test_a_policy_that_can_no_longer_apply_is_not_applied_and_the_entry_says_why(srv, world):
    tok, s, c = world["tok"], world["slug"], world["commons"]
    r = srv.post(f"{ENT}/{world['bakery']}/goods", {
        "kind": "product", "name": "Rye bread", "unit": "loaf", "units": "loaves",
        "stock": 30}, token=tok["ha"])
    assert r.status_code == 201, r.text
    bread = r.json()["id"]
    assert decide(srv, c, tok["ha"], "propose_scarcity",
                  {"good": bread, **POLICY, "condition": {"kind": "at_least", "n": 1}},
                  title="Share the bread", text="Bread is short.")["status"] == "adopted"
    pid = srv.get(f"/api/v1/bodies/{c}/proposals").json()["originated"][0]["id"]
    # meanwhile Harbour declares it scarce by its own decision
    own = decide(srv, s["harbour"], tok["ha"], "declare_scarce",
                 {"good": bread, "categories": "Everyone", "cap": 2, "round_days": 3},
                 text="The oven broke.")
    assert own["status"] == "adopted", own
    acc = accepted(srv, world, "harbour", pid)
    g = srv.get(f"/api/v1/goods/{bread}").json()
    assert (g["policy"]["decision"], g["policy"]["proposal"], g["policy"]["cap"]) == (
        own["id"], None, 2)
    assert len(g["policies"]) == 1
    [law] = [e for e in journal(srv) if e["action"] == "law.from_proposal"
             and e["payload"]["proposal"] == pid]
    sc = law["payload"]["scarcity"]
    assert (sc["good"], sc["action"], law["payload"]["accepted_by"]) == (
        bread, "declare", acc["id"])
    # a code the entry keeps; each reader's page words it in their language
    assert sc["not_applied"] == "scarce_already", sc
    p = run("journal", "show", "--db", srv.db, "--after", str(law["seq"] - 1), "--limit", "1",
            check=0)
    assert "its rationing policy not applied: the good was scarce already" in p.stdout, \
        p.stdout
    import os
    import subprocess
    p = subprocess.run([os.environ["PNYX_BIN"], "journal", "show", "--db", srv.db, "--after",
                        str(law["seq"] - 1), "--limit", "1"], capture_output=True, text=True,
                       env={**os.environ, "LC_ALL": "es_ES.UTF-8", "LANG": "es_ES.UTF-8",
                            "LANGUAGE": "es"}, timeout=60)
    assert "la política de racionamiento no se aplicó" in p.stdout, p.stdout
    # Harbour lifts its own policy; a later version of the proposal taking
    # effect there does not try the policy again: it had its one chance
    assert decide(srv, s["harbour"], tok["ha"], "lift_scarcity", {"good": bread},
                  text="The oven is mended.")["status"] == "adopted"
    assert decide(srv, c, tok["ha"], "new_proposal_version",
                  {"proposal": pid, "rationale": "Clearer."},
                  title="Share the bread", text="Bread is short; share it.")[
                      "status"] == "adopted"
    d = decide(srv, s["harbour"], tok["ha"], "answer_proposal",
               {"proposal": pid, "version": 2, "answer": "accept"})
    assert d["status"] == "adopted", d
    g = srv.get(f"/api/v1/goods/{bread}").json()
    assert g["policy"] is None and len(g["policies"]) == 1, g["policies"]
    v2 = [e for e in journal(srv) if e["action"] == "law.from_proposal"
          and e["payload"]["proposal"] == pid and e["payload"]["proposal_version"] == 2]
    assert len(v2) == 1 and "scarcity" not in v2[0]["payload"], v2


def test_a_changed_policy_row_is_caught_by_the_replay(srv, world, tmp_path):
    import shutil
    import sqlite3
    srv.settle()
    for sql, table, column in (
            ("UPDATE scarcities SET proposal_id = NULL WHERE proposal_id IS NOT NULL",
             "scarcities", "proposal_id"),
            ("UPDATE proposal_scarcities SET params = '{}'", "proposal_scarcities",
             "params")):
        copy = str(tmp_path / (table + ".db"))
        run("backup", "--db", srv.db, copy, check=0)
        con = sqlite3.connect(copy)
        assert con.execute(sql).rowcount >= 1
        con.commit()
        con.close()
        p = run("journal", "verify", "--state", "--db", copy, "--json")
        d = json.loads(p.stdout)["state"]["difference"]
        assert (d["table"], d["column"]) == (table, column), d
