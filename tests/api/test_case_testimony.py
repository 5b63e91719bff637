"""Testimony on a case of the harm question (issue 14 item 2, docs/cases.md):
the polity's assembly schedules witnesses at one of its meetings still to
come (schedule_testimony: each a person here by handle, or the name of
someone without an account, with a time within that meeting); at that
meeting, while it is open, the clerk (the office vacant: a member checked
in) records whether each testified or did not appear, with a summary; the
minutes of the meeting list it, the case shows it, and the replay
rebuilds it.

One polity of four seats drawn by lot (tests/api/test_cases.py's Polity)
on a controlled clock, one server for the module. Every refusal leaves the
journal and the state as they were."""
import json
import sqlite3
import time

import pytest

from conftest import Server, assert_clean_exit, error_of, run, settled_hash, state_hash
from test_cases import YES, Polity

HOUR = 3600


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    d = tmp_path_factory.mktemp("testimony")
    srv = Server(str(d), init_args=("--controlled-clock",))
    try:
        p = Polity(srv)
        p.floor()
        yield p
    finally:
        assert_clean_exit(*srv.stop())


def motion(w, params, who=None):
    return w.srv.post(f"/api/v1/bodies/{w.slug}/motions", {
        "kind": "schedule_testimony", "title": "Hear the witnesses", "params": params},
        token=w.tok[who or w.seated[0]])


def record(w, cid, witness, who, **body):
    return w.srv.post(f"/api/v1/cases/{cid}/testimony/{witness}", body,
                      token=w.tok[who] if who else None)


def test_testimony_scheduled_recorded_and_in_the_minutes(w, tmp_path):
    srv = w.srv
    citizen, other, member = w.others[0], w.others[1], w.seated[0]
    r = srv.post(f"/api/v1/polities/{w.slug}/cases", {
        "absence": "night dredging in the harbour", "title": "Dredging at night",
        "statement": "The dredger works all night beside the houses."},
        token=w.tok[citizen])
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = srv.post(f"/api/v1/polities/{w.slug}/cases", {
        "absence": "gulls", "title": "Gulls", "statement": "Gulls."}, token=w.tok[other])
    assert r.status_code == 201, r.text
    waiting = r.json()["id"]  # petitioned, never taken up: not in hearing
    w.decide("take_up_case", {"case": cid, "decision": "take_up"}, YES)

    now_meeting = w.meeting_id
    up = srv.get(f"/api/v1/bodies/{w.slug}/meetings").json()["upcoming"]
    target = [m for m in up if m["starts_at"] > w.now][0]
    t0 = target["starts_at"]
    # a meeting of another assembly (a town's, founded by a citizen)
    r = srv.found(w.tok[other])
    assert r.status_code == 201, r.text
    theirs = srv.get(f"/api/v1/bodies/{r.json()['slug']}/meetings").json()["upcoming"][0]["id"]

    good = [{"handle": citizen, "at": t0 + HOUR}, {"name": "Marta Quay", "at": t0 + 2 * HOUR}]
    before = settled_hash(srv)
    for params, status, code, field, words in (
            ({"case": waiting, "meeting": target["id"], "witnesses": good}, 409, "conflict",
             "params.case", "petitioned"),
            ({"case": cid, "meeting": now_meeting, "witnesses": good}, 409, "conflict",
             "params.meeting", "begun already"),
            ({"case": cid, "meeting": theirs, "witnesses": good}, 403, "forbidden",
             "params.meeting", "not a meeting of this assembly"),
            ({"case": cid, "meeting": 999999, "witnesses": good}, 404, "not_found",
             "params.meeting", "no meeting"),
            ({"case": cid, "meeting": target["id"], "witnesses": []}, 400, "out_of_range",
             "params.witnesses", "witnesses lists"),
            ({"case": cid, "meeting": target["id"], "witnesses": [
                {"name": "Early", "at": t0 - 60}]}, 400, "out_of_range",
             "params.witnesses", "outside the meeting"),
            ({"case": cid, "meeting": target["id"], "witnesses": [
                {"name": "Late", "at": t0 + 13 * HOUR}]}, 400, "out_of_range",
             "params.witnesses", "outside the meeting"),
            ({"case": cid, "meeting": target["id"], "witnesses": [
                {"handle": citizen, "at": t0}, {"handle": citizen, "at": t0 + 60}]}, 400,
             "bad_input", "params.witnesses", "named twice"),
            ({"case": cid, "meeting": target["id"], "witnesses": [
                {"name": "Ann", "at": t0}, {"name": "Ann", "at": t0 + 60}]}, 400,
             "bad_input", "params.witnesses", "named twice"),
            ({"case": cid, "meeting": target["id"], "witnesses": [
                {"name": "Ann", "handle": citizen, "at": t0}]}, 400, "bad_input",
             "params.witnesses", "a handle or a name"),
            ({"case": cid, "meeting": target["id"], "witnesses": [
                {"handle": "nobody-here", "at": t0}]}, 404, "not_found",
             "params.witnesses", "no person @nobody-here"),
            ({"case": cid, "meeting": target["id"], "witnesses": ["Ann"]}, 400, "bad_type",
             "params.witnesses", None)):
        e = error_of(motion(w, params), status, code, field)
        assert words is None or words in e["message"], (params, e)
    # a citizen holding no seat moves nothing in the assembly
    error_of(motion(w, {"case": cid, "meeting": target["id"], "witnesses": good}, citizen),
             403, "not_member")
    assert state_hash(srv.db) == before

    d = w.decide("schedule_testimony", {"case": cid, "meeting": target["id"],
                                        "witnesses": good}, YES, title="Hear the witnesses")
    assert d["status"] == "adopted", d
    c = w.case(cid)
    assert c["steps"][-1]["step"] == "testimony_scheduled", c["steps"]
    t = c["testimony"]
    assert [(x["handle"], x["name"], x["at"], x["meeting"], x["outcome"]) for x in t] == [
        (citizen, citizen.title(), t0 + HOUR, target["id"], None),
        (None, "Marta Quay", t0 + 2 * HOUR, target["id"], None)], t
    first, second = t[0]["id"], t[1]["id"]
    # the witness who is a person here is told, once, with a link to the
    # case (the notifier runs on the server's clock: poll with a deadline)
    told, end = [], time.time() + 20
    while not told and time.time() < end:
        told = [n for n in srv.get("/api/v1/me/notifications", token=w.tok[citizen])
                .json()["notifications"] if n["link"] == f"/case.html?id={cid}"
                and "witness" in n["text"]]
        time.sleep(0.2)
    assert len(told) == 1 and f"case {cid} (Dredging at night)" in told[0]["text"], told
    at = srv.get(f"/api/v1/meetings/{target['id']}/testimony", token=w.tok[member]).json()
    assert (at["open"], at["may_record"], [x["id"] for x in at["witnesses"]]) == (
        False, False, [first, second]), at

    # before its meeting, nothing is recorded
    before = settled_hash(srv)
    error_of(record(w, cid, first, member, outcome="testified"), 409, "not_open")
    w.end()
    w.session()
    assert w.meeting_id == target["id"]
    at = srv.get(f"/api/v1/meetings/{target['id']}/testimony", token=w.tok[member]).json()
    assert (at["open"], at["may_record"]) == (True, True), at
    assert srv.get(f"/api/v1/meetings/{target['id']}/testimony",
                   token=w.tok[citizen]).json()["may_record"] is False

    # refusals at the meeting: nothing changes
    before = settled_hash(srv)
    for who, witness, body, status, code, field in (
            (None, first, {"outcome": "testified"}, 401, "unauthenticated", None),
            (citizen, first, {"outcome": "testified"}, 403, "not_member", None),
            (member, first, {"outcome": "maybe"}, 400, "bad_input", "outcome"),
            (member, first, {}, 400, "missing_field", "outcome"),
            (member, first, {"outcome": "testified", "summary": "x" * 2001}, 400,
             "out_of_range", "summary"),
            (member, 999999, {"outcome": "absent"}, 404, "not_found", "witness")):
        error_of(record(w, cid, witness, who, **body), status, code, field)
    error_of(record(w, waiting, first, member, outcome="absent"), 404, "not_found", "witness")
    assert state_hash(srv.db) == before

    # the clerk's office is vacant: a member checked in records
    summary = "Described the noise from midnight to five; brought a log of nights."
    r = record(w, cid, first, member, outcome="testified", summary=summary)
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["summary"], r.json()["recorded_by"]) == (
        "testified", summary, member)
    r = record(w, cid, second, w.seated[1], outcome="testified")
    assert r.status_code == 200, r.text
    # corrected during the meeting: she did not appear
    r = record(w, cid, second, w.seated[1], outcome="absent")
    assert r.status_code == 200 and r.json()["outcome"] == "absent", r.text
    j = srv.get("/api/v1/journal?after=0&limit=1000").json()["entries"]
    e = [x for x in j if x["action"] == "case.testimony"]
    assert [(x["actor"], x["payload"]["witness"], x["payload"]["outcome"]) for x in e] == [
        (member, first, "testified"), (w.seated[1], second, "testified"),
        (w.seated[1], second, "absent")], e

    # once the assembly elects a clerk, the clerk alone records
    clerk = w.seated[2]
    assert w.decide("create_office", {"name": "clerk", "duties": "Keeps the minutes."},
                    YES)["status"] == "adopted"
    assert w.decide("elect_holder", {"office": "clerk", "holder": clerk},
                    YES)["status"] == "adopted"
    before = settled_hash(srv)
    e = error_of(record(w, cid, first, member, outcome="absent"), 403, "forbidden")
    assert "clerk" in e["message"], e
    assert state_hash(srv.db) == before
    r = record(w, cid, first, clerk, outcome="testified", summary=summary)
    assert r.status_code == 200 and r.json()["recorded_by"] == clerk, r.text

    r = srv.post(f"/api/v1/meetings/{target['id']}/close", token=w.tok[clerk])
    assert r.status_code == 200, r.text
    m = srv.get(f"/api/v1/meetings/{target['id']}/minutes").text
    assert "## Testimony" in m, m
    assert (f"- {citizen.title()} (@{citizen}), scheduled " in m and
            f"in case {cid} (Dredging at night): testified. {summary}" in m), m
    assert f"- Marta Quay, scheduled " in m and "(Dredging at night): did not appear" in m, m
    p = run("meeting", "minutes", str(target["id"]), "--db", srv.db, check=0)
    assert "Marta Quay" in p.stdout and "did not appear" in p.stdout, p.stdout
    # the meeting closed, nothing more is recorded
    before = settled_hash(srv)
    error_of(record(w, cid, first, member, outcome="absent"), 409, "not_open")
    assert state_hash(srv.db) == before
    c = w.case(cid)
    assert [(x["outcome"], x["summary"]) for x in c["testimony"]] == [
        ("testified", summary), ("absent", None)], c["testimony"]
    p = run("case", "show", str(cid), "--db", srv.db, check=0)
    assert "Marta Quay" in p.stdout and "did not appear" in p.stdout, p.stdout

    # the replay rebuilds the witnesses and what the clerk recorded
    p = run("journal", "verify", "--state", "--json", "--db", srv.db)
    assert p.returncode == 0 and json.loads(p.stdout)["state"]["ok"], p.stdout
    # a record changed outside the journal is named
    db = str(tmp_path / "copy.db")
    run("backup", "--db", srv.db, db, check=0)
    con = sqlite3.connect(db)
    assert con.execute("UPDATE case_testimony SET outcome = 'testified'"
                       " WHERE outcome = 'absent'").rowcount == 1
    con.commit()
    con.close()
    p = run("journal", "verify", "--state", "--json", "--db", db)
    diff = json.loads(p.stdout)["state"]["difference"]
    assert p.returncode == 1 and (diff["table"], diff["column"]) == (
        "case_testimony", "outcome"), diff
