"""Good standing in the sharing economy, and contributions and reputation
without prices (issue 15 sections 5 and 6; src/gov/economy/standing.c and
contributions.c; docs/economy.md).

An enterprise states commitments by its own decision and records what it
delivers; whoever took a delivery appreciates it (words and whether it met
the need: no score); the local assembly decides each enterprise's standing
at its meeting, citing that record, on a cycle it sets; reviews open on
their date by themselves. The server runs on a controlled clock (pnyx init
--controlled-clock) so that a review's date can come without waiting; the
test that moves it runs last. Every refusal is shown to change nothing."""
import json
import time

import pytest

from conftest import Server, assert_clean_exit, decide, error_of, run, settled_hash, state_hash
from sharing_town import ENT, build_town, found_enterprise

DAY = 86400


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("standing")), init_args=("--controlled-clock",))
    yield s
    assert_clean_exit(*s.stop())


@pytest.fixture(scope="module")
def town(srv):
    """Harbour's local assembly (f founded it; b, c, d members) with a
    bakery (f, b) and a school (d) in its community; Dale, another
    community, with its own assembly (g) and mill (g); o belongs nowhere."""
    town = build_town(srv, "fbcdgo", "bcd")
    town["school"] = found_enterprise(srv, town["tok"]["d"], town["community"],
                                      "The School")
    return town


def deliver(srv, town, who="b", slug=None, **body):
    r = srv.post(f"{ENT}/{slug or town['bakery']}/deliveries", body,
                 token=town["tok"][who])
    assert r.status_code == 201, r.text
    return r.json()


# -- contributions ---------------------------------------------------------

def test_commitments_deliveries_and_appreciations(srv, town):
    tok, h = town["tok"], town["h"]
    d = decide(srv, town["bakery"], tok["f"], "state_commitment",
               {"action": "produce", "what": "Bread", "quantity": 400,
                "unit": "loaves", "period": "week"}, title="Bread for all")
    assert d["status"] == "adopted", d
    c = srv.get(f"{ENT}/{town['bakery']}/contributions").json()
    [k] = c["commitments"]
    assert (k["action"], k["what"], k["quantity"], k["unit"], k["period"]) == \
        ("produce", "Bread", 400, "loaves", "week")
    assert k["motion"] == d["id"] and k["ended_by"] is None
    town["commitment"] = k["id"]
    # against the commitment: its action, what and unit are the defaults
    to_c = deliver(srv, town, commitment=k["id"], quantity=30, to=h["c"])
    assert (to_c["what"], to_c["unit"], to_c["action"], to_c["to"]) == \
        ("Bread", "loaves", "produce", h["c"])
    assert to_c["recorded_by"] == h["b"]
    to_school = deliver(srv, town, commitment=k["id"], quantity=50,
                        to_enterprise=town["school"], note="For the lunches.")
    deliver(srv, town, who="f", action="deliverService", what="Oven repairs",
            quantity=2, unit="hours")
    # whoever took it appreciates it: a person, and a member for the school
    r = srv.post(f"{ENT}/{town['bakery']}/appreciations",
                 {"text": "Good bread, on time.", "met_need": True}, token=tok["c"])
    assert r.status_code == 201, r.text
    a = r.json()
    assert (a["delivery"], a["by"], a["met_need"]) == (to_c["id"], h["c"], True)
    r = srv.post(f"{ENT}/{town['bakery']}/appreciations",
                 {"text": "Too little for the children.", "met_need": False,
                  "on_behalf": town["school"]}, token=tok["d"])
    assert r.status_code == 201, r.text
    assert r.json()["on_behalf"] == town["school"]
    assert r.json()["delivery"] == to_school["id"]
    c = srv.get(f"{ENT}/{town['bakery']}/contributions").json()
    assert [x["quantity"] for x in c["deliveries"]] == [2, 50, 30]
    assert {x["text"]: x["met_need"] for x in c["appreciations"]} == {
        "Good bread, on time.": True, "Too little for the children.": False}
    # what the school took is the bakery's delivery to it
    took = srv.get(f"{ENT}/{town['school']}/contributions").json()["took"]
    assert [(x["enterprise"], x["quantity"]) for x in took] == [(town["bakery"], 50)]
    # the record: this month, the commitment asked for about a week's share
    # (less, the month having barely begun) and 80 loaves went against it
    month = c["record"]["months"][-1]
    [row] = month["commitments"]
    assert row["id"] == k["id"] and row["delivered"] == 80 and row["committed"] >= 0
    [rk] = c["record"]["commitments"]
    assert rk["delivered"] == 80
    assert c["record"]["other_deliveries"] == 1
    assert c["record"]["appreciations"] == {"met_need": 1, "did_not": 1}
    school_rec = srv.get(f"{ENT}/{town['school']}/contributions").json()["record"]
    assert [(x["from"], x["quantity"]) for x in school_rec["took"]] == \
        [(town["bakery"], 50)]


def test_a_commitment_is_replaced_or_ended_by_a_later_decision(srv, town):
    tok = town["tok"]
    d = decide(srv, town["school"], tok["d"], "state_commitment",
               {"action": "deliverService", "what": "Lessons", "quantity": 20,
                "unit": "hours", "period": "week"})
    first = srv.get(f"{ENT}/{town['school']}/contributions").json()["commitments"][0]
    d2 = decide(srv, town["school"], tok["d"], "state_commitment",
                {"action": "deliverService", "what": "Lessons", "quantity": 25,
                 "unit": "hours", "period": "week", "replaces": first["id"]})
    assert d2["status"] == "adopted", (d, d2)
    ks = {k["id"]: k for k in
          srv.get(f"{ENT}/{town['school']}/contributions").json()["commitments"]}
    assert ks[first["id"]]["ended_by"] == d2["id"]
    [new] = [k for k in ks.values() if k["ended_by"] is None]
    assert new["quantity"] == 25
    decide(srv, town["school"], tok["d"], "state_commitment",
           {"action": "deliverService", "what": "Lessons", "quantity": 0,
            "unit": "hours", "period": "week", "replaces": new["id"]})
    ks = srv.get(f"{ENT}/{town['school']}/contributions").json()["commitments"]
    assert all(k["ended_by"] for k in ks) and len(ks) == 2


def test_contribution_refusals_change_nothing(srv, town):
    tok, h = town["tok"], town["h"]
    srv.settle()
    before = state_hash(srv.db)
    bakery = town["bakery"]
    dl, ap = f"{ENT}/{bakery}/deliveries", f"{ENT}/{bakery}/appreciations"
    good = {"action": "transfer", "what": "Flour", "quantity": 1, "unit": "sacks"}
    # recording is for the enterprise's members
    error_of(srv.post(dl, good), 401, "unauthenticated")
    error_of(srv.post(dl, good, token=tok["o"]), 403, "not_member")
    error_of(srv.post(dl, good, token=tok["c"]), 403, "not_member")
    error_of(srv.post(f"{ENT}/no-such/deliveries", good, token=tok["b"]), 404,
             "not_found")
    for body, status, code, field in (
            ({**good, "quantity": 0}, 400, "out_of_range", "quantity"),
            ({**good, "action": "sell"}, 400, "bad_input", "action"),
            ({"what": "Flour", "quantity": 1, "unit": "sacks"}, 400, "missing_field",
             "action"),
            ({**good, "what": ""}, 400, "out_of_range", "what"),
            ({**good, "unit": "x" * 41}, 400, "out_of_range", "unit"),
            ({**good, "price": 3}, 400, "unknown_field", "price"),
            ({**good, "commitment": 999999}, 404, "not_found", "commitment"),
            ({**good, "to": "nobody-at-all"}, 404, "not_found", "to"),
            ({**good, "to": h["c"], "to_enterprise": town["school"]}, 400, "bad_input",
             "to_enterprise"),
            ({**good, "to_enterprise": bakery}, 400, "bad_input", "to_enterprise"),
            ({**good, "at": 4102444800}, 400, "out_of_range", "at"),
            ({**good, "at": 1000}, 400, "out_of_range", "at")):
        error_of(srv.post(dl, body, token=tok["b"]), status, code, field)
    # appreciation: only by someone who took something
    error_of(srv.post(ap, {"text": "Lovely.", "met_need": True}), 401, "unauthenticated")
    error_of(srv.post(ap, {"text": "Lovely.", "met_need": True}, token=tok["o"]),
             403, "appreciation_nothing_taken")
    error_of(srv.post(ap, {"text": "Lovely.", "met_need": True, "on_behalf":
                           town["mill"]}, token=tok["g"]),
             403, "appreciation_nothing_taken")
    # c took one delivery and appreciated it already
    error_of(srv.post(ap, {"text": "Again.", "met_need": True}, token=tok["c"]),
             409, "conflict", "delivery")
    mine = srv.get(f"{ENT}/{bakery}/contributions").json()["deliveries"]
    to_c = [x for x in mine if x["to"] == h["c"]][0]["id"]
    to_school = [x for x in mine if x["to_enterprise"] == town["school"]][0]["id"]
    error_of(srv.post(ap, {"text": "Again.", "met_need": True, "delivery": to_c},
                      token=tok["c"]), 409, "conflict", "delivery")
    # a delivery to someone else is not theirs to appreciate
    error_of(srv.post(ap, {"text": "Mine?", "met_need": True, "delivery": to_school},
                      token=tok["c"]), 403, "appreciation_nothing_taken", "delivery")
    error_of(srv.post(ap, {"text": "Mine?", "met_need": True, "delivery": 999999},
                      token=tok["c"]), 404, "not_found", "delivery")
    # a member does not appreciate their own enterprise's work
    error_of(srv.post(ap, {"text": "We are good.", "met_need": True}, token=tok["b"]),
             403, "forbidden")
    # speaking for an enterprise one is not a member of
    error_of(srv.post(ap, {"text": "For them.", "met_need": True,
                           "on_behalf": town["school"]}, token=tok["c"]),
             403, "forbidden", "on_behalf")
    for body, code, field in (({"met_need": True}, "missing_field", "text"),
                              ({"text": "", "met_need": True}, "out_of_range", "text"),
                              ({"text": "x" * 1001, "met_need": True}, "out_of_range",
                               "text"),
                              ({"text": "Fine."}, "missing_field", "met_need"),
                              ({"text": "Fine.", "met_need": "yes"}, "bad_type",
                               "met_need"),
                              ({"text": "Fine.", "met_need": True, "stars": 5},
                               "unknown_field", "stars")):
        error_of(srv.post(ap, body, token=tok["c"]), 400, code, field)
    assert state_hash(srv.db) == before


def test_valueflows_export(srv, town):
    r = srv.get(f"{ENT}/{town['bakery']}/valueflows")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/ld+json"
    doc = r.json()
    assert doc["@context"]["vf"] == "https://w3id.org/valueflows/ont/vf#"
    by_type = {}
    for n in doc["@graph"]:
        by_type.setdefault(n["@type"], []).append(n)
    [k] = by_type["vf:Commitment"]
    assert k["vf:action"] == "produce" and k["vf:provider"] == \
        f"urn:pnyx:enterprise:{town['bakery']}"
    assert k["vf:resourceQuantity"]["om2:hasNumericalValue"] == 400
    events = {n["@id"]: n for n in by_type["vf:EconomicEvent"]}
    assert len(events) == 3
    fulfilling = [e for e in events.values() if "vf:fulfills" in e]
    assert {e["vf:fulfills"]["vf:fulfills"] for e in fulfilling} == {k["@id"]}
    assert {e.get("vf:receiver") for e in events.values()} == {
        f"urn:pnyx:person:{town['h']['c']}", f"urn:pnyx:enterprise:{town['school']}",
        None}
    apps = by_type["vf:Appreciation"]
    assert {a["vf:appreciationOf"] for a in apps} <= set(events)
    assert sorted(a["pnyx:metNeed"] for a in apps) == [False, True]
    assert all(e["vf:hasPointInTime"].endswith("Z") for e in events.values())
    error_of(srv.get(f"{ENT}/no-such/valueflows"), 404, "not_found")


# -- standing --------------------------------------------------------------

def test_the_local_assembly_decides_standing_at_its_meeting(srv, town):
    tok, h, local = town["tok"], town["h"], town["local"]
    s = srv.get(f"{ENT}/{town['bakery']}/standing").json()
    assert s["standing"] is None and s["history"] == [] and s["due_at"] is None
    assert s["review_open"] is False and s["assembly"]["slug"] == local
    d = decide(srv, local, tok["f"], "standing_cycle", {"months": 12},
               title="Review each enterprise yearly")
    assert d["status"] == "adopted", d
    d = decide(srv, local, tok["f"], "decide_standing",
               {"enterprise": town["bakery"], "standing": "good"},
               title="The bakery is in good standing",
               text="It delivered 80 loaves against its commitment; the school"
                    " wants more.")
    assert d["status"] == "adopted" and d["meeting"], d
    s = srv.get(f"{ENT}/{town['bakery']}/standing").json()
    assert s["standing"]["standing"] == "good" and s["standing"]["motion"] == d["id"]
    assert s["cycle"]["months"] == 12
    # due a year after the decision, not open yet
    decided = s["standing"]["decided_at"]
    assert 365 * DAY <= s["due_at"] - decided <= 366 * DAY and not s["review_open"]
    [hist] = s["history"]
    # the decision cites the record as it read it
    [k] = hist["record"]["commitments"]
    assert (k["what"], k["delivered"]) == ("Bread", 80)
    assert hist["record"]["appreciations"] == {"met_need": 1, "did_not": 1}
    assert hist["reasons"].startswith("It delivered 80 loaves")
    # probation: what must change, and a review by its date
    by = decided + 30 * DAY
    d = decide(srv, local, tok["f"], "decide_standing",
               {"enterprise": town["bakery"], "standing": "probation",
                "must_change": "Bake enough for the school's lunches.",
                "review_by": by},
               title="The bakery on probation", text="The school's need was not met.")
    assert d["status"] == "adopted", d
    s = srv.get(f"{ENT}/{town['bakery']}/standing").json()
    assert s["standing"]["standing"] == "probation" and s["due_at"] == by
    assert s["standing"]["must_change"].startswith("Bake enough")
    assert [x["standing"] for x in s["history"]] == ["probation", "good"]
    # the record since the last decision starts again
    assert s["history"][0]["record"]["commitments"][0]["delivered"] == 0


def test_a_persons_standing_follows_their_enterprise_a_basis_or_a_decision(srv, town):
    tok, h, local = town["tok"], town["h"], town["local"]
    p = srv.get(f"/api/v1/people/{h['b']}/standing").json()
    assert p["standing"] == {"standing": "probation", "source": "enterprise",
                             "enterprise": town["bakery"]}
    assert [e["slug"] for e in p["enterprises"]] == [town["bakery"]]
    p = srv.get(f"/api/v1/people/{h['c']}/standing").json()
    assert p["standing"] == {"standing": None, "source": "none"}
    # c records a basis: retired counts as contributing reasonably
    r = srv.request("PUT", "/api/v1/me/standing-basis",
                    {"basis": "retired", "note": "Forty years at the docks."},
                    token=tok["c"])
    assert r.status_code == 200, r.text
    assert r.json()["standing"] == {"standing": "good", "source": "basis"}
    assert r.json()["basis"]["basis"] == "retired"
    # open to the assembly's review: a decision by name prevails
    d = decide(srv, local, tok["f"], "decide_standing",
               {"person": h["c"], "standing": "outside"},
               title="c outside the sharing economy", text="Never retired.")
    assert d["status"] == "adopted", d
    p = srv.get(f"/api/v1/people/{h['c']}/standing").json()
    assert p["standing"]["standing"] == "outside" and p["standing"]["source"] == "by_name"
    assert p["history"][0]["record"]["basis"]["basis"] == "retired"
    # clearing a basis
    r = srv.request("PUT", "/api/v1/me/standing-basis", {"basis": "none"},
                    token=tok["d"])
    assert r.status_code == 200 and r.json()["basis"] is None
    error_of(srv.get("/api/v1/people/no-such-person/standing"), 404, "not_found")


def test_the_assemblys_standing_review(srv, town):
    tok, h, local = town["tok"], town["h"], town["local"]
    m = srv.post(f"/api/v1/bodies/{local}/motions",
                 {"kind": "decide_standing", "title": "The school in good standing",
                  "text": "Lessons given.", "params": {"enterprise": town["school"],
                                                       "standing": "good"}},
                 token=tok["d"])
    assert m.status_code == 201, m.text
    r = srv.get(f"/api/v1/bodies/{local}/standing").json()
    assert r["cycle"]["months"] == 12
    ents = {e["slug"]: e for e in r["enterprises"]}
    assert set(ents) == {town["bakery"], town["school"]}  # not the mill: Dale's
    assert ents[town["bakery"]]["standing"]["standing"] == "probation"
    assert ents[town["school"]]["standing"] is None
    assert ents[town["school"]]["record"]["months"]
    assert [p["person"] for p in r["people"]] == [h["c"]]
    assert [b["handle"] for b in r["bases"]] == [h["c"]]
    assert [(p["motion"], p["enterprise"]) for p in r["pending"]] == \
        [(m.json()["id"], town["school"])]
    error_of(srv.get(f"/api/v1/bodies/{town['bakery']}/standing"), 404, "not_found")
    error_of(srv.get("/api/v1/bodies/no-such/standing"), 404, "not_found")
    # the command line reads the same
    p = run("standing", town["bakery"], "--db", srv.db, check=0)
    assert "on probation" in p.stdout and "Bake enough" in p.stdout, p.stdout
    p = run("standing", "@" + h["c"], "--db", srv.db, check=0)
    assert "not a member of the sharing economy" in p.stdout and "by name" in p.stdout
    p = run("standing", "--assembly", local, "--db", srv.db, "--json", check=0)
    assert json.loads(p.stdout)["assembly"] == local
    p = run("standing", "--db", srv.db, check=0)
    assert town["school"] in p.stdout and town["mill"] in p.stdout
    p = run("standing", "no-such", "--db", srv.db)
    assert p.returncode == 2 and "no enterprise" in p.stderr, p.stderr
    p = run("standing", town["bakery"], "--assembly", local, "--db", srv.db)
    assert p.returncode == 2, p.stderr


def test_a_delivery_recorded_by_mistake_is_corrected_by_its_recorder(srv, town):
    """Its recorder corrects it, within a week, once, never silently: a new
    record points at the old, which stays marked; the record the assembly
    reads is the corrected one; a standing decision keeps what it read."""
    tok, h, school = town["tok"], town["h"], town["school"]

    def correct(delivery, who="d", slug=None, **body):
        return srv.post(f"{ENT}/{slug or school}/deliveries/{delivery}/correction",
                        body, token=tok[who])

    def others():
        return srv.get(f"{ENT}/{school}/contributions").json()["record"]["other_deliveries"]

    before_count = others()
    lessons = deliver(srv, town, who="d", slug=school, action="deliverService",
                      what="Lessons", quantity=3, unit="hours", to=h["c"])
    assert others() == before_count + 1
    baked = [x for x in srv.get(f"{ENT}/{town['bakery']}/contributions").json()["deliveries"]
             if x["recorded_by"] == h["b"]][0]
    before = settled_hash(srv)
    # anyone but its recorder; not a member; bad input
    error_of(correct(baked["id"], who="f", slug=town["bakery"], reason="No.", quantity=1),
             403, "forbidden", "delivery")
    error_of(correct(lessons["id"], who="c", reason="No.", quantity=1), 403, "not_member")
    error_of(correct(lessons["id"], quantity=4), 400, "missing_field", "reason")
    error_of(correct(lessons["id"], reason="x", quantity=0), 400, "out_of_range", "quantity")
    error_of(correct(lessons["id"], reason="x", did_not_happen=True, quantity=2), 400,
             "bad_input", "did_not_happen")
    error_of(correct(999999, reason="x", quantity=2), 404, "not_found", "delivery")
    # the bakery's standing decision read its deliveries: they stand
    error_of(correct(baked["id"], who="b", slug=town["bakery"], reason="Miscounted.",
                     quantity=1), 409, "conflict", "delivery")
    assert settled_hash(srv) == before

    # the recorder corrects it: what is not given stays as it was
    r = correct(lessons["id"], reason="It was four hours, not three.", quantity=4)
    assert r.status_code == 201, r.text
    old = r.json()
    k = old["corrected"]
    assert (k["by"], k["reason"]) == (h["d"], "It was four hours, not three.")
    c = srv.get(f"{ENT}/{school}/contributions").json()
    rows = {x["id"]: x for x in c["deliveries"]}
    new = rows[k["replacement"]]
    assert (new["what"], new["quantity"], new["unit"], new["to"], new["at"]) == \
        ("Lessons", 4, "hours", h["c"], lessons["at"])
    assert new["corrects"] == {"delivery": lessons["id"],
                               "reason": "It was four hours, not three."}
    assert rows[lessons["id"]]["corrected"]["replacement"] == new["id"]
    assert c["record"]["other_deliveries"] == before_count + 1  # the corrected one
    vf = srv.get(f"{ENT}/{school}/valueflows").json()
    ev = {n["@id"]: n for n in vf["@graph"]}
    assert ev[f"urn:pnyx:event:{new['id']}"]["vf:corrects"] == \
        f"urn:pnyx:event:{lessons['id']}"
    before = settled_hash(srv)
    # once: not again, nor its correction
    error_of(correct(lessons["id"], reason="Again.", quantity=5), 409, "conflict",
             "delivery")
    error_of(correct(new["id"], reason="Again.", quantity=5), 409, "conflict", "delivery")
    # a corrected delivery is not appreciated: its correction is
    error_of(srv.post(f"{ENT}/{school}/appreciations", {"text": "Good.", "met_need": True,
                                                        "delivery": lessons["id"]},
                      token=tok["c"]), 409, "conflict", "delivery")
    assert settled_hash(srv) == before

    # appreciated: it happened, and the appreciation follows its correction
    more = deliver(srv, town, who="d", slug=school, action="deliverService",
                   what="Reading help", quantity=2, unit="hours", to=h["c"])
    r = srv.post(f"{ENT}/{school}/appreciations", {"text": "My son reads now.",
                 "met_need": True, "delivery": more["id"]}, token=tok["c"])
    assert r.status_code == 201, r.text
    before = settled_hash(srv)
    error_of(correct(more["id"], reason="Never happened.", did_not_happen=True),
             409, "conflict", "did_not_happen")
    error_of(correct(more["id"], reason="To the mill.", to_enterprise=town["mill"]),
             409, "conflict", "to")
    assert settled_hash(srv) == before
    r = correct(more["id"], reason="Three hours.", quantity=3)
    assert r.status_code == 201, r.text
    moved = [a for a in srv.get(f"{ENT}/{school}/contributions").json()["appreciations"]
             if a["text"] == "My son reads now."]
    assert [(a["delivery"], a["quantity"]) for a in moved] == \
        [(r.json()["corrected"]["replacement"], 3)]

    # nothing happened: no new record, and the record no longer counts it
    ghost = deliver(srv, town, who="d", slug=school, action="deliverService",
                    what="Lessons", quantity=1, unit="hours")
    n = others()
    p = run("enterprise", "correct", school, ghost["id"], "--reason", "Recorded twice.",
            "--did-not-happen", "--token", tok["d"], "--db", srv.db, check=0)
    assert p.returncode == 0 and "did not happen" in p.stdout, p.stderr
    assert others() == n - 1
    got = {x["id"]: x for x in srv.get(f"{ENT}/{school}/contributions").json()["deliveries"]}
    assert got[ghost["id"]]["corrected"]["replacement"] is None
    p = run("enterprise", "correct", school, ghost["id"], "--reason", "Again.",
            "--quantity", "2", "--token", tok["d"], "--db", srv.db)
    assert p.returncode == 2 and "corrected already" in p.stderr, p.stderr

    # a week on, the record stands
    late = deliver(srv, town, who="d", slug=school, action="deliverService",
                   what="Lessons", quantity=1, unit="hours")
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 8 * DAY) == 1
    try:
        before = settled_hash(srv)
        error_of(correct(late["id"], reason="Late.", quantity=2), 409, "conflict",
                 "delivery")
        assert settled_hash(srv) == before
    finally:
        assert srv.sql("UPDATE sim_clock SET offset = offset - ?", 8 * DAY) == 1


def test_standing_refusals_change_nothing(srv, town):
    tok, h, local = town["tok"], town["h"], town["local"]
    srv.settle()
    before = state_hash(srv.db)
    motions = f"/api/v1/bodies/{local}/motions"

    def standing(params, who="f", body=local, kind="decide_standing"):
        return srv.post(f"/api/v1/bodies/{body}/motions",
                        {"kind": kind, "title": "Standing", "text": "The record.",
                         "params": params}, token=tok[who])
    ok = {"enterprise": town["bakery"], "standing": "good"}
    soon = int(time.time()) + 60 * DAY
    # not the local assembly: an enterprise, a non-member, nobody
    error_of(standing(ok, body=town["bakery"]), 403, "fed_kind", "kind")
    error_of(standing({"enterprise": town["bakery"], "standing": "good"},
                      who="g", body=town["dale"]), 403, "standing_elsewhere",
             "params.enterprise")
    error_of(standing(ok, who="o"), 403, "not_member")
    error_of(srv.post(motions, {"kind": "decide_standing", "title": "S", "text": "R",
                                "params": ok}), 401, "unauthenticated")
    # never a committee: the kind cannot be granted to one
    error_of(standing({"name": "Standing committee", "scope": "Reviews.",
                       "decision_kinds": ["decide_standing"], "members": [h["f"]],
                       "ends_at": 4102444800}, kind="create_committee"),
             400, "bad_input", "params.decision_kinds")
    # an enterprise of another community, a person not of this assembly
    error_of(standing({"enterprise": town["mill"], "standing": "good"}), 403,
             "standing_elsewhere", "params.enterprise")
    error_of(standing({"person": h["o"], "standing": "good"}), 403,
             "standing_elsewhere", "params.person")
    # bad input, each naming its field
    for params, status, code, field in (
            ({"standing": "good"}, 400, "bad_input", "params.enterprise"),
            ({**ok, "person": h["b"]}, 400, "bad_input", "params.enterprise"),
            ({"enterprise": "no-such", "standing": "good"}, 404, "not_found",
             "params.enterprise"),
            ({"person": "no-such-person", "standing": "good"}, 404, "not_found",
             "params.person"),
            ({"enterprise": town["bakery"]}, 400, "missing_field", "params.standing"),
            ({**ok, "standing": "great"}, 400, "bad_input", "params.standing"),
            ({**ok, "standing": "probation", "review_by": soon}, 400,
             "missing_field", "params.must_change"),
            ({**ok, "standing": "probation", "must_change": "More."}, 400,
             "missing_field", "params.review_by"),
            ({**ok, "standing": "probation", "must_change": "More.", "review_by": 1000},
             400, "out_of_range", "params.review_by"),
            ({**ok, "must_change": "More."}, 400, "bad_input", "params.must_change"),
            ({**ok, "review_by": soon}, 400, "bad_input", "params.review_by"),
            ({**ok, "score": 5}, 400, "unknown_field", "params")):
        error_of(standing(params), status, code, field)
    r = srv.post(motions, {"kind": "decide_standing", "title": "S", "text": "",
                           "params": ok}, token=tok["f"])
    error_of(r, 400, "out_of_range", "text")
    for months, code in ((0, "out_of_range"), (61, "out_of_range"), ("x", "bad_type")):
        error_of(standing({"months": months}, kind="standing_cycle"), 400, code,
                 "params.months")
    # a person's basis: their own, one of the bases
    basis = "/api/v1/me/standing-basis"
    error_of(srv.request("PUT", basis, {"basis": "retired"}), 401, "unauthenticated")
    error_of(srv.request("PUT", basis, {"basis": "rich"}, token=tok["b"]), 400,
             "bad_input", "basis")
    error_of(srv.request("PUT", basis, {"note": "x"}, token=tok["b"]), 400,
             "missing_field", "basis")
    error_of(srv.request("PUT", basis, {"basis": "carer", "note": "x" * 1001},
                         token=tok["b"]), 400, "out_of_range", "note")
    assert state_hash(srv.db) == before


def test_replay_rebuilds_standing_and_contributions(srv, town):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j


def test_a_review_opens_on_its_date_by_itself(srv, town):
    """Runs last: it moves the server's controlled clock a year on."""
    before = srv.get(f"/api/v1/bodies/{town['local']}/standing").json()
    assert not any(e["review_open"] for e in before["enterprises"])
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 400 * DAY) == 1
    after = srv.get(f"/api/v1/bodies/{town['local']}/standing").json()
    ents = {e["slug"]: e for e in after["enterprises"]}
    # the bakery's probation date came; the school, never reviewed, is a
    # cycle past its founding
    assert ents[town["bakery"]]["review_open"] and ents[town["school"]]["review_open"]
    s = srv.get(f"{ENT}/{town['school']}/standing").json()
    founded = srv.get(f"{ENT}/{town['school']}").json()["founded_at"]
    assert s["review_open"] and 365 * DAY <= s["due_at"] - founded <= 366 * DAY

    # the year's record: the bakery's 400 loaves a week, prorated over the
    # window (this month and the eleven before, on the server's clock),
    # the same in total as month by month, within rounding
    import datetime
    import sqlite3
    con = sqlite3.connect(srv.db)
    offset = con.execute("SELECT offset FROM sim_clock").fetchone()[0]
    con.close()
    rec = srv.get(f"{ENT}/{town['bakery']}/contributions").json()["record"]
    now = int(time.time()) + offset
    d = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
    idx = d.year * 12 + d.month - 1 - 11
    start = int(datetime.datetime(idx // 12, idx % 12 + 1, 1,
                                  tzinfo=datetime.timezone.utc).timestamp())
    assert rec["from"] == start and len(rec["months"]) == 12
    [k] = [k for k in rec["commitments"] if k["id"] == town["commitment"]]
    since = srv.get(f"{ENT}/{town['bakery']}/contributions").json()["commitments"][0]
    assert since["id"] == town["commitment"]
    want = 400 * (now - max(start, since["since"])) / 604800
    assert abs(k["committed"] - want) <= 2, (k, want)
    monthly = sum(c["committed"] for m in rec["months"] for c in m["commitments"]
                  if c["id"] == k["id"])
    assert abs(monthly - k["committed"]) <= 12, (monthly, k)


def test_a_review_opening_is_told_once_to_those_reviewed_and_the_assembly(srv, town):
    """Runs after the clock moved a year on: the school's review opened
    weeks before, too long ago to be news; the clock is set to an hour
    after its date, and the server's notifier tells the school's members
    and the assembly's, once, and nobody else."""
    import sqlite3
    school, local = town["school"], town["local"]
    # a year on, the sessions of the fixture have expired: sign in again
    tok = {k: srv.signin(h) for k, h in town["h"].items()}

    def told(who):
        r = srv.get("/api/v1/me/notifications", token=tok[who])
        assert r.status_code == 200, r.text
        return [n for n in r.json()["notifications"]
                if n["what"] == "standing" and "The School" in n["text"]]

    srv.settle()
    assert told("d") == [] and told("f") == []  # opened 35 days ago: not news
    due = srv.get(f"{ENT}/{school}/standing").json()["due_at"]
    con = sqlite3.connect(srv.db)
    offset = con.execute("SELECT offset FROM sim_clock").fetchone()[0]
    con.close()
    now = int(time.time()) + offset
    assert srv.sql("UPDATE sim_clock SET offset = ?", offset - (now - due) + 3600) == 1
    deadline = time.time() + 20
    while not (told("d") and told("f")) and time.time() < deadline:
        time.sleep(0.1)
    [n] = told("d")  # a member of the school and of the assembly: told once
    assert n["link"] == f"/standing.html?assembly={local}", n
    assert n["text"].startswith("The review of The School's standing"), n
    assert len(told("f")) == 1 and len(told("b")) == 1 and len(told("c")) == 1
    assert told("o") == [] and told("g") == []  # nobody concerned; another town
    srv.settle()
    assert len(told("d")) == 1 and len(told("f")) == 1  # once
