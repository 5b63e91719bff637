"""Need shown by evidence a named committee reviews (issue 16 item 3;
src/gov/sharing/need.c, src/gov/evidence.c; docs/sharing.md "Evidence of
need").

Harbour declares flour scarce with "Medical need: 30; Everyone", the
medical need shown by evidence its committee Care (f, e) reviews. Five
ask: c with a letter and a scan (accepted), e (a member of Care, accepted
by f), x (refused), b (never reviewed) and f under Everyone. At the close
x and b are counted under Everyone, and the record, which names nobody,
lets anyone recompute the allocation (tests/cli/sharing_ref.py). A second
good whose categories all reserve a share sends the moved request to the
unreserved rest. Every refusal is shown to change nothing; only the
requester and the committee read the evidence, and the journal holds only
its hashes; the replay rebuilds it all, bytes included."""
import base64
import hashlib
import json
import os
import sqlite3
import sys
import time

import pytest

from conftest import (Server, assert_clean_exit, decide, error_of, run, settled_hash, state_hash,
                      verify_edited)
from sharing_town import ENT, build_town

DAY = 86400

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import sharing_ref  # noqa: E402
import sortition_ref  # noqa: E402

LETTER = "Dr. Ruiz: c needs a gluten-free diet and bakes at home (letter attached)."
# the first bytes of a PNG image, then anything: pnyx checks the kind, not the picture
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def b2(data):
    return hashlib.blake2b(data, digest_size=32).hexdigest()


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("need")), init_args=("--controlled-clock",))
    yield s
    assert_clean_exit(*s.stop())


@pytest.fixture(scope="module")
def town(srv):
    """Harbour (f; b, c, e, x members) in the economy "coast", its bakery
    (f, b) in good standing, c, e and x in good standing by their basis;
    Harbour's committee Care (f, e); Dale (g) with its own committee."""
    town = build_town(srv, "fbcegx", "bcex")
    tok, h = town["tok"], town["h"]
    assert decide(srv, town["local"], tok["f"], "join_sharing_economy",
                  {"economy": "coast", "name": "The Coast Commons"})["status"] == "adopted"
    assert decide(srv, town["local"], tok["f"], "decide_standing",
                  {"enterprise": town["bakery"], "standing": "good"},
                  text="The record shows it.")["status"] == "adopted"
    for k in "cex":
        r = srv.request("PUT", "/api/v1/me/standing-basis", {"basis": "retired"},
                        token=tok[k])
        assert r.status_code == 200, r.text
    ends = int(time.time()) + 365 * DAY
    assert decide(srv, town["local"], tok["f"], "create_committee", {
        "name": "Care", "scope": "Evidence of need.", "decision_kinds": ["resolution"],
        "members": [h["f"], h["e"]], "ends_at": ends})["status"] == "adopted"
    assert decide(srv, town["dale"], tok["g"], "create_committee", {
        "name": "Dale care", "scope": "Theirs.", "decision_kinds": ["resolution"],
        "members": [h["g"]], "ends_at": ends})["status"] == "adopted"
    town["care"] = srv.get(f"/api/v1/bodies/{town['local']}/offices").json()[
        "committees"][0]["id"]
    town["dale_care"] = srv.get(f"/api/v1/bodies/{town['dale']}/offices").json()[
        "committees"][0]["id"]
    for name, stock in (("Flour", 10), ("Oil", 10)):
        r = srv.post(f"{ENT}/{town['bakery']}/goods", {
            "kind": "product", "name": name, "unit": "kilogram", "units": "kilograms",
            "stock": stock}, token=tok["b"])
        assert r.status_code == 201, r.text
        town[name.lower()] = r.json()["id"]
    return town


def motion(srv, town, params):
    return srv.post(f"/api/v1/bodies/{town['local']}/motions", {
        "kind": "declare_scarce", "title": "Scarce", "text": "The mill flooded.",
        "params": params}, token=town["tok"]["f"])


def test_the_policy_names_a_committee_of_the_declaring_assembly(srv, town):
    base = {"good": town["flour"], "categories": "Medical need: 30; Everyone", "cap": 0,
            "round_days": 7}
    # a committee revoked reviews nothing: it cannot be named
    ends = int(time.time()) + 365 * DAY
    assert decide(srv, town["local"], town["tok"]["f"], "create_committee", {
        "name": "Old care", "scope": "Evidence.", "decision_kinds": ["resolution"],
        "members": [town["h"]["f"]], "ends_at": ends})["status"] == "adopted"
    old = [c["id"] for c in srv.get(f"/api/v1/bodies/{town['local']}/offices").json()[
        "committees"] if c["name"] == "Old care"][0]
    assert decide(srv, town["local"], town["tok"]["f"], "revoke_committee",
                  {"committee": old})["status"] == "adopted"
    before = settled_hash(srv)
    error_of(motion(srv, town, {**base, "evidence": "Medical need = Old care"}), 409,
             "committee_closed", "params.evidence")
    for evidence, status, code in (
            ("Medical need = Nobody", 404, "not_found"),            # no such committee
            ("Medical need = Dale care", 404, "not_found"),         # another assembly's
            (f"Medical need = {town['dale_care']}", 404, "not_found"),
            ("Pets = Care", 404, "not_found"),                      # no such category
            ("Medical need Care", 400, "bad_input"),
            ("Medical need = Care; Medical need = Care", 400, "bad_input")):
        error_of(motion(srv, town, {**base, "evidence": evidence}), status, code,
                 "params.evidence")
    error_of(motion(srv, town, {**base, "evidence": "Medical need = Care",
                                "method": "probabilistic_serial", "alternatives": "1"}),
             400, "bad_input", "params.evidence")
    assert state_hash(srv.db) == before
    d = decide(srv, town["local"], town["tok"]["f"], "declare_scarce",
               {**base, "evidence": "Medical need = Care"}, title="Flour is scarce",
               text="The mill flooded.")
    assert d["status"] == "adopted", d
    policy = srv.get(f"/api/v1/goods/{town['flour']}").json()["policy"]
    assert policy["categories"] == [
        {"name": "Medical need", "share": 30,
         "evidence": {"committee": town["care"], "committee_name": "Care"}},
        {"name": "Everyone", "share": 0}], policy
    # the decision's record keeps the parsed form
    m = srv.get(f"/api/v1/motions/{d['id']}").json()
    assert "Care" in json.dumps(m), m


def ask(srv, town, who, category, amount, **ev):
    body = {"category": category, "amount": amount, **ev}
    return srv.post(f"/api/v1/goods/{town['flour']}/requests", body, token=town["tok"][who])


def test_a_request_under_it_carries_evidence_only_its_readers_see(srv, town):
    tok = town["tok"]
    png = {"name": "scan.png", "type": "image/png", "data": base64.b64encode(PNG).decode()}
    before = settled_hash(srv)
    error_of(ask(srv, town, "x", "Medical need", 3), 400, "missing_field", "evidence_text")
    error_of(ask(srv, town, "x", "Everyone", 3, evidence_text="I am hungry."), 400,
             "bad_input", "evidence_text")
    error_of(ask(srv, town, "x", "Medical need", 3, files=[{**png, "type": "text/html"}]),
             400, "bad_input", "files[0].type")
    error_of(ask(srv, town, "x", "Medical need", 3, files=[{**png, "data": base64.b64encode(
        b"GIF89a not a png").decode()}]), 400, "bad_input", "files[0].data")
    error_of(ask(srv, town, "x", "Medical need", 3, files=[{**png, "name": "../a.png"}]),
             400, "bad_input", "files[0].name")
    error_of(ask(srv, town, "x", "Medical need", 3, evidence_text="x", files=[png] * 5),
             400, "out_of_range", "files")
    assert state_hash(srv.db) == before
    town["req"] = {}
    for who, cat, amount, ev in (
            ("c", "Medical need", 3, {"evidence_text": LETTER, "files": [png]}),
            ("e", "Medical need", 2, {"evidence_text": "My prescription."}),
            ("x", "Medical need", 3, {"evidence_text": "A letter about my aunt."}),
            ("b", "Medical need", 3, {"evidence_text": "Trust me."}),
            ("f", "Everyone", 4, {})):
        r = ask(srv, town, who, cat, amount, **ev)
        assert r.status_code == 201, r.text
        town["req"][who] = r.json()
    c = town["req"]["c"]["request"]
    # the requester and the committee's members read it; nobody else
    for who in "cef":
        r = srv.get(f"/api/v1/requests/{c}/evidence", token=tok[who])
        assert r.status_code == 200, r.text
        ev = r.json()
        assert (ev["text"], ev["committee"]["name"], ev["verdict"], ev["mine"],
                ev["may_review"]) == (LETTER, "Care", None, who == "c", who != "c"), ev
        assert ev["text_hash"] == b2(LETTER.encode())
        assert ev["requester"]["handle"] == town["h"]["c"]
        assert [(f["name"], f["type"], f["size"], f["hash"]) for f in ev["files"]] == [
            ("scan.png", "image/png", len(PNG), b2(PNG))]
    for who in "bx":
        error_of(srv.get(f"/api/v1/requests/{c}/evidence", token=tok[who]), 403,
                 "forbidden", None)
        error_of(srv.get(f"/api/v1/requests/{c}/evidence/1", token=tok[who]), 403,
                 "forbidden", None)
    error_of(srv.get(f"/api/v1/requests/{c}/evidence"), 401, "unauthenticated", None)
    r = srv.get(f"/api/v1/requests/{c}/evidence/1", token=tok["e"])
    assert (r.status_code, r.content, r.headers["X-Content-Hash"]) == (200, PNG, b2(PNG))
    assert "attachment" in r.headers["Content-Disposition"]
    r = srv.get(f"/api/v1/requests/{c}/evidence/0", token=tok["c"])
    assert r.content.decode() == LETTER
    error_of(srv.get(f"/api/v1/requests/{town['req']['f']['request']}/evidence",
                     token=tok["f"]), 404, "not_found", None)
    # the public journal says who asked in which round, never under which
    # category, how much, nor the evidence's hashes: it commits to them,
    # and c recomputes the commitment from the receipt (sharing_ref.py)
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True, timeout=10)
    entries = [json.loads(p) for (p,) in con.execute(
        "SELECT payload FROM journal WHERE action = 'round.request'")]
    con.close()
    mine = next(p for p in entries if p["request"] == c)
    assert set(mine) == {"good", "round", "request", "commitment"}, mine
    rc = town["req"]["c"]
    assert sharing_ref.request_commitment(
        c, rc["round"], rc["category"], rc["amount"], bytes.fromhex(rc["leaf"]),
        bytes.fromhex(rc["salt"]), items=[("text/markdown", len(LETTER), b2(LETTER.encode())),
                                          ("image/png", len(PNG), b2(PNG))]
    ).hex() == mine["commitment"]
    blob = json.dumps(entries)
    assert "Ruiz" not in blob and "scan.png" not in blob and b2(PNG) not in blob
    # the round's record names nobody, and shows the committee its list
    rnd = town["req"]["c"]["round"]
    town["round"] = rnd
    public = srv.get(f"/api/v1/rounds/{rnd}").json()
    assert public["to_review"] == [] and "Ruiz" not in json.dumps(public)
    listed = srv.get(f"/api/v1/rounds/{rnd}", token=tok["e"]).json()["to_review"]
    assert sorted(x["request"] for x in listed) == sorted(
        town["req"][k]["request"] for k in "cxb")  # not e's own


def test_a_member_of_the_committee_reviews_before_the_close(srv, town):
    tok, req = town["tok"], town["req"]
    review = lambda who, whose, verdict, reason: srv.post(  # noqa: E731
        f"/api/v1/requests/{req[whose]['request']}/review",
        {"verdict": verdict, "reason": reason}, token=tok[who])
    before = settled_hash(srv)
    error_of(review("b", "c", "accepted", "Fine."), 403, "forbidden", None)
    error_of(review("x", "c", "accepted", "Fine."), 403, "forbidden", None)
    error_of(review("e", "e", "accepted", "Mine."), 403, "forbidden", None)
    error_of(review("e", "c", "maybe", "Fine."), 400, "bad_input", "verdict")
    error_of(review("e", "c", "accepted", ""), 400, "out_of_range", "reason")
    error_of(review("e", "c", "accepted", "two\nlines"), 400, "bad_input", "reason")
    error_of(srv.post("/api/v1/requests/999999/review", {"verdict": "accepted",
                                                          "reason": "x"}, token=tok["e"]),
             404, "not_found", None)
    assert state_hash(srv.db) == before
    r = review("e", "c", "accepted", "The doctor's letter is clear.")
    assert r.status_code == 200 and r.json()["verdict"] == "accepted", r.text
    r = review("f", "e", "accepted", "The prescription is current.")
    assert r.status_code == 200, r.text
    r = review("f", "x", "refused", "The letter is about someone else.")
    assert r.status_code == 200 and r.json()["reviewed_by"] == town["h"]["f"], r.text
    before = settled_hash(srv)
    error_of(review("f", "c", "refused", "Again."), 409, "conflict", None)
    assert state_hash(srv.db) == before
    # the requester reads the state of their evidence on the round
    mine = [q for q in srv.get(f"/api/v1/rounds/{town['round']}", token=tok["x"]).json()[
        "requests"] if q.get("mine")]
    assert mine[0]["evidence"] == {"committee": "Care", "verdict": "refused",
                                   "reason": "The letter is about someone else."}, mine
    # and x is told, with the reason (the notifier runs a moment after)
    told, end = [], time.time() + 20
    while not told and time.time() < end:
        told = [n for n in srv.get("/api/v1/me/notifications", token=tok["x"]).json()[
            "notifications"] if "someone else" in n["text"]]
        time.sleep(0.2)
    assert len(told) == 1 and "Flour" in told[0]["text"], told


def test_the_public_journal_ties_no_need_and_no_verdict_to_anyone(srv, town):
    """Who asked in which round is public, as who voted is; the category,
    the amount, the leaf, the evidence, and the committee's verdict and
    reason are the requester's and the committee's (docs/sharing.md,
    "What the journal says of a request")."""
    req = town["req"]
    secrets = ["Medical need", LETTER, b2(LETTER.encode()), b2(PNG),
               "The doctor's letter is clear.", "The prescription is current.",
               "The letter is about someone else.", "accepted", "refused"]
    secrets += [req[k]["leaf"] for k in req] + [req[k]["salt"] for k in req]
    for token in (None, town["tok"]["b"]):  # anonymous, and another member
        r = srv.get("/api/v1/journal?limit=1000", token=token)
        assert r.status_code == 200, r.text
        entries = [e for e in r.json()["entries"] if e["action"].startswith("round.")]
        assert {e["action"] for e in entries} == {"round.request", "round.review"}, entries
        for e in entries:
            keys = {"round.request": {"good", "round", "request", "commitment"},
                    "round.review": {"round", "commitment"}}[e["action"]]
            assert set(e["payload"]) == keys, e
            blob = json.dumps(e)
            assert not [x for x in secrets if x in blob], e
    # three reviews by two members of Care are public, in round R
    reviews = [e for e in entries if e["action"] == "round.review"]
    assert sorted(e["actor"] for e in reviews) == sorted(
        [town["h"]["e"], town["h"]["f"], town["h"]["f"]])
    assert {e["payload"]["round"] for e in reviews} == {town["round"]}
    # the requester checks the review of their own request from the receipt
    x = req["x"]
    want = sharing_ref.review_commitment(x["request"], bytes.fromhex(x["salt"]), "refused",
                                         "The letter is about someone else.").hex()
    assert want in [e["payload"]["commitment"] for e in reviews]
    # the round, read anonymously or by another member, lists requests by
    # leaf and category, with nobody's request number but one's own
    for token, own in ((None, None), (town["tok"]["b"], "b")):
        rnd = srv.get(f"/api/v1/rounds/{town['round']}", token=token).json()
        for q in rnd["requests"]:
            assert ("request" in q) == (q["leaf"] == (req[own]["leaf"] if own else 0)), q
        assert [q["leaf"] for q in rnd["requests"]] == sorted(
            (q["leaf"] for q in rnd["requests"]),
            key=lambda leaf: ([q["category"] for q in rnd["requests"] if q["leaf"] == leaf],
                              leaf))
        assert not [h for h in town["h"].values() if h in json.dumps(rnd)]
        # the good and the assembly's economy name nobody who asked either
        for path in (f"/api/v1/goods/{town['flour']}",
                     f"/api/v1/bodies/{town['local']}/economy"):
            r = srv.get(path, token=token)
            assert r.status_code == 200, r.text
            blob = json.dumps(r.json())
            assert not [town["h"][k] for k in "cexb" if town["h"][k] in blob], (path, blob)
            assert not [x for x in secrets if x in blob and x != "Medical need"], path


def test_at_the_close_unaccepted_evidence_leaves_the_reserve(srv, town, tmp_path):
    tok, req = town["tok"], town["req"]
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    r = srv.post(f"/api/v1/rounds/{town['round']}/close", token=tok["c"])
    assert r.status_code == 200, r.text
    rec = r.json()
    leaf = {k: req[k]["leaf"] for k in req}
    got = {q["leaf"]: (q["category"], q.get("moved_from"), q["num"], q["den"])
           for q in rec["requests"]}
    # c and e keep the medical reserve; x (refused) and b (never reviewed)
    # are counted under Everyone beside f, and share what is left equally
    assert got == {leaf["c"]: (0, None, 3, 1), leaf["e"]: (0, None, 2, 1),
                   leaf["x"]: (1, 0, 5, 3), leaf["b"]: (1, 0, 5, 3),
                   leaf["f"]: (1, None, 5, 3)}, got
    assert rec["rest_category"] is False
    assert [(f["reserve"], f["demand"], f["total"]) for f in rec["figures"]] == [
        (3, 5, 5), (0, 10, 5)]
    # the reference recomputes it from the record alone
    g = sharing_ref.good_from_record(rec)
    assert sharing_ref.round_commit([sharing_ref.good_hash(g)]).hex() == rec["commitment"]
    figs, out = sharing_ref.allocate(g, bytes(32))
    assert sharing_ref.result_hash(g, figs, out).hex() == rec["result_hash"]
    f = tmp_path / "round.json"
    f.write_text(json.dumps(rec))
    p = run("verify", "round", f, "--receipt", town["h"]["x"], "--salt",
            req["x"]["salt"], check=0)
    assert "verified: round" in p.stdout and "received 5/3" in p.stdout, p.stdout
    # nobody reviews once the round is closed
    before = settled_hash(srv)
    error_of(srv.post(f"/api/v1/requests/{req['b']['request']}/review",
                      {"verdict": "accepted", "reason": "Late."}, token=tok["e"]),
             409, "conflict", None)
    assert state_hash(srv.db) == before


def test_a_policy_of_reserves_only_moves_to_the_unreserved_rest(srv, town, tmp_path):
    tok = town["tok"]
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        "good": town["oil"], "categories": "Medical need: 60; Families: 40",
        "evidence": f"Medical need = {town['care']}",  # by its number
        "cap": 0, "round_days": 7}, title="Oil is scarce", text="No press.")
    assert d["status"] == "adopted", d
    asks = {}
    for who, cat, amount, ev in (("x", "Medical need", 6, {"evidence_text": "A note."}),
                                 ("f", "Families", 5, {})):
        r = srv.post(f"/api/v1/goods/{town['oil']}/requests",
                     {"category": cat, "amount": amount, **ev}, token=tok[who])
        assert r.status_code == 201, r.text
        asks[who] = r.json()
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    r = srv.post(f"/api/v1/rounds/{asks['x']['round']}/close", token=tok["c"])
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["rest_category"] is True
    got = {q["leaf"]: (q["category"], q.get("moved_from"), q["num"]) for q in rec["requests"]}
    assert got == {asks["x"]["leaf"]: (2, 0, 5), asks["f"]["leaf"]: (1, None, 5)}, got
    assert [(f["reserve"], f["demand"], f["total"]) for f in rec["figures"]] == [
        (6, 0, 0), (4, 5, 5), (0, 6, 5)]
    g = sharing_ref.good_from_record(rec)
    figs, out = sharing_ref.allocate(g, bytes(32))
    assert sharing_ref.result_hash(g, figs, out).hex() == rec["result_hash"]
    f = tmp_path / "oil.json"
    f.write_text(json.dumps(rec))
    run("verify", "round", f, check=0)
    # without the rest the record's inputs do not make its commitment
    rec["rest_category"] = False
    f.write_text(json.dumps(rec))
    p = run("verify", "round", f, "--json", check=None)
    assert p.returncode != 0


def test_the_command_line_requests_reads_and_reviews(srv, town, tmp_path):
    tok = town["tok"]
    d = decide(srv, town["local"], tok["f"], "lift_scarcity", {"good": town["flour"]},
               title="Flour again")
    assert d["status"] == "adopted", d
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        "good": town["flour"], "categories": "Medical need: 30; Everyone",
        "evidence": "Medical need = Care", "cap": 0, "round_days": 7},
        title="Flour is scarce again", text="The mill flooded again.")
    assert d["status"] == "adopted", d
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    before = settled_hash(srv)
    p = run("economy", "request", town["flour"], "--category", "Medical need", "--amount",
            "2", "--token", tok["c"], "--db", srv.db, check=2)
    assert "evidence" in p.stderr, p.stderr
    bad = tmp_path / "scan.exe"
    bad.write_bytes(PNG)
    run("economy", "request", town["flour"], "--category", "Medical need", "--amount",
        "2", "--evidence", bad, "--token", tok["c"], "--db", srv.db, check=2)
    assert state_hash(srv.db) == before
    p = run("economy", "request", town["flour"], "--category", "Medical need", "--amount",
            "2", "--evidence-text", LETTER, "--evidence", scan, "--token", tok["c"],
            "--db", srv.db, "--json", check=0)
    request = json.loads(p.stdout)["request"]
    p = run("economy", "evidence", request, "--token", tok["e"], "--db", srv.db, check=0)
    assert LETTER in p.stdout and "scan.png" in p.stdout and b2(PNG) in p.stdout, p.stdout
    out = tmp_path / "got.png"
    run("economy", "evidence", request, "--file", "1", "--out", out, "--token", tok["e"],
        "--db", srv.db, check=0)
    assert out.read_bytes() == PNG
    before = settled_hash(srv)
    p = run("economy", "evidence", request, "--token", tok["b"], "--db", srv.db, check=2)
    assert "committee" in p.stderr, p.stderr
    run("economy", "review", request, "--accept", "--reason", "Fine.", "--token", tok["b"],
        "--db", srv.db, check=2)
    run("economy", "review", request, "--reason", "Fine.", "--token", tok["e"],
        "--db", srv.db, check=2)
    assert state_hash(srv.db) == before
    p = run("economy", "review", request, "--accept", "--reason", "The letter is clear.",
            "--token", tok["e"], "--db", srv.db, check=0)
    assert "accepted" in p.stdout, p.stdout


def test_replay_rebuilds_the_evidence_and_its_reviews(srv, town, tmp_path):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j
    # bytes changed outside the journal are named
    copy = str(tmp_path / "copy.db")
    run("backup", "--db", srv.db, copy, check=0)
    for sql, table, column in (
            ("UPDATE round_evidence_content SET bytes = X'00' WHERE n = 1",
             "round_evidence_content", None),
            ("UPDATE round_requests SET moved_to = NULL WHERE moved_to IS NOT NULL",
             "round_requests", "moved_to")):
        d = verify_edited(copy, str(tmp_path / (table + ".db")), sql)["state"]["difference"]
        assert d["table"] == table, d
        if column:
            assert d["column"] == column, d
    # a verdict, a reason or an evidence hash changed beside its sealed
    # entry: the entry no longer hashes to its commitment, and is named
    con = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    review_seqs = [s for (s,) in con.execute(
        "SELECT seq FROM journal WHERE action = 'round.review' ORDER BY seq")]
    x = town["req"]["x"]["request"]
    x_seq = con.execute("SELECT seq FROM journal WHERE action = 'round.request' AND"
                        " json_extract(payload, '$.request') = ?", (x,)).fetchone()[0]
    con.close()
    for name, sql, action, seqs in (
            ("verdict", "UPDATE round_evidence SET verdict = 'accepted' WHERE verdict ="
             " 'refused'", "round.review", review_seqs),
            ("reason", "UPDATE round_evidence SET reason = 'Other.' WHERE request_id ="
             f" {x}", "round.review", review_seqs),
            ("moment", "UPDATE round_evidence SET reviewed_at = reviewed_at + 1 WHERE"
             f" request_id = {x}", "round.review", review_seqs),
            ("hash", "UPDATE round_evidence_files SET hash = lower(hex(zeroblob(32)))"
             f" WHERE request_id = {x}", "round.request", [x_seq])):
        j = verify_edited(copy, str(tmp_path / (name + ".db")), sql)
        r = j["state"]["replay"]
        assert not j["ok"] and r["action"] == action and r["seq"] in seqs, j
        assert "commitment" in r["reason"], r
    p = run("journal", "show", "--db", srv.db, check=0)
    assert "Evidence of need reviewed by a committee" in p.stdout
    # what journal show prints of a request or review ties nothing to anyone
    assert "The letter is about someone else." not in p.stdout
    assert town["req"]["x"]["leaf"] not in p.stdout


def test_entries_written_before_sealing_still_replay(srv, town, tmp_path):
    """A journal from before the change holds x's request with its
    category, amount, leaf and evidence, and the review with its verdict
    and reason: replay applies those forms as they are (both forms in one
    journal), and the database replay --into writes verifies."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
    from journal_rewrite import rewrite
    srv.settle()
    db = tmp_path / "old.db"
    src, out = sqlite3.connect(srv.db), sqlite3.connect(str(db))
    src.backup(out)
    src.close()
    out.close()
    import shutil
    shutil.copy(srv.db + ".key", str(db) + ".key")
    x = town["req"]["x"]
    con = sqlite3.connect(str(db))
    req_seq = con.execute("SELECT seq FROM journal WHERE action = 'round.request' AND"
                          " json_extract(payload, '$.request') = ?",
                          (x["request"],)).fetchone()[0]
    good = con.execute("SELECT r.good_id FROM rounds r WHERE r.id = ?",
                       (x["round"],)).fetchone()[0]
    items = [{"n": n, "type": t, "size": z, "hash": hh} for n, t, z, hh in con.execute(
        "SELECT n, type, size, hash FROM round_evidence_files WHERE request_id = ?"
        " ORDER BY n", (x["request"],))]
    verdict, reason = con.execute("SELECT verdict, reason FROM round_evidence WHERE"
                                  " request_id = ?", (x["request"],)).fetchone()
    want = sharing_ref.review_commitment(x["request"], bytes.fromhex(x["salt"]), verdict,
                                         reason).hex()
    rev_seq = con.execute("SELECT seq FROM journal WHERE action = 'round.review' AND"
                          " json_extract(payload, '$.commitment') = ?", (want,)).fetchone()[0]
    con.close()
    # asked before the change, reviewed after it; then both before
    for seq, payload in ((req_seq, {"good": good, "round": x["round"],
                                    "category": x["category"], "amount": x["amount"],
                                    "leaf": x["leaf"], "evidence": {"items": items}}),
                         (rev_seq, {"request": x["request"], "verdict": verdict,
                                    "reason": reason})):
        rewrite(db, seq, payload)
        p = run("journal", "verify", "--state", "--db", db, "--json", check=0)
        j = json.loads(p.stdout)
        assert j["ok"] and j["state"]["ok"], j
        new = tmp_path / f"new{seq}.db"
        run("journal", "replay", "--db", db, "--into", new, check=0)
        p = run("journal", "verify", "--state", "--db", new, "--json", check=0)
        j = json.loads(p.stdout)
        assert j["ok"] and j["state"]["ok"], j
