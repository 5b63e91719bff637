"""Evidence on a case of the harm question (issue 14 item 2, docs/cases.md),
and the rules of a polity's cases its assembly sets (item 1: who may
petition; whether evidence may be anonymous), on the API.

One polity of four seats drawn by lot (tests/api/test_cases.py's Polity),
one server for the module. A case in hearing takes evidence: a text and
files, each with its BLAKE2b-256 hash (checked here with hashlib), a file
downloaded as an attachment; anonymous evidence only once the assembly
allows it; a piece sealed by the assembly's decision is seen whole by its
members, and by the public only as when and why it was sealed. Every
refusal leaves the journal and the state as they were; the replay
rebuilds the evidence and catches a byte changed outside the journal."""
import base64
import hashlib
import json
import select
import shutil
import socket
import sqlite3
import time

import pytest

from conftest import Server, assert_clean_exit, error_of, run, settled_hash, state_hash
from test_cases import YES, Polity

DAY = 86400
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
       b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01"
       b"\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
CSV = "night,complaints\n2026-03-01,14\n2026-03-02,11\nnoche de sábado,9\n".encode()


def b2(data):
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def f(name, type_, data):
    return {"name": name, "type": type_, "data": base64.b64encode(data).decode()}


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    d = tmp_path_factory.mktemp("evidence")
    srv = Server(str(d), init_args=("--controlled-clock",))
    try:
        p = Polity(srv)
        p.floor()
        yield p
    finally:
        assert_clean_exit(*srv.stop())


def evidence(w, cid, who, **body):
    return w.srv.post(f"/api/v1/cases/{cid}/evidence", body,
                      token=w.tok[who] if who else None)


def listing(w, cid, who=None):
    r = w.srv.get(f"/api/v1/cases/{cid}/evidence", token=w.tok[who] if who else None)
    assert r.status_code == 200, r.text
    return r.json()


def petition(w, who, **body):
    return w.srv.post(f"/api/v1/polities/{w.slug}/cases", body, token=w.tok[who])


def test_evidence_heard_sealed_and_replayed(w, tmp_path):
    srv = w.srv
    citizen, member, other = w.others[0], w.seated[0], w.others[1]
    r = petition(w, citizen, absence="diesel fumes from idling trawlers",
                 title="Fumes on the quay", statement="Trawlers idle their engines all day.")
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    # a second case, left before the assembly: not in hearing yet
    r = petition(w, other, absence="nets left on the slipway", title="Nets",
                 statement="Nets block the slipway.")
    assert r.status_code == 201, r.text
    waiting = r.json()["id"]
    w.decide("take_up_case", {"case": cid, "decision": "take_up"}, YES)

    # a citizen's evidence: a text and three files, each with its hash
    text = "Readings of the harbour's air monitor, **March**; photo of the quay."
    r = evidence(w, cid, citizen, text=text, files=[
        f("readings.pdf", "application/pdf", PDF), f("quay.png", "image/png", PNG),
        f("complaints (março).csv", "text/csv", CSV)])
    assert r.status_code == 201, r.text
    e = r.json()
    assert (e["submitter"]["handle"], e["text"], e["sealed"]) == (citizen, text, False), e
    assert e["text_hash"] == b2(text.encode())
    assert [(x["n"], x["name"], x["type"], x["size"], x["hash"]) for x in e["files"]] == [
        (1, "readings.pdf", "application/pdf", len(PDF), b2(PDF)),
        (2, "quay.png", "image/png", len(PNG), b2(PNG)),
        (3, "complaints (março).csv", "text/csv", len(CSV), b2(CSV))], e["files"]
    first = e["id"]
    # the journal holds the hashes, never the bytes nor the names
    j = srv.get("/api/v1/journal?after=0&limit=500").json()["entries"]
    entry = [x for x in j if x["action"] == "case.evidence"][-1]
    assert entry["actor"] == citizen
    assert [i["hash"] for i in entry["payload"]["items"]] == [
        b2(text.encode()), b2(PDF), b2(PNG), b2(CSV)], entry
    assert "readings.pdf" not in json.dumps(entry) and "Readings" not in json.dumps(entry)

    # downloaded as an attachment, the bytes hash to what the list says
    r = srv.get(f"/api/v1/cases/{cid}/evidence/{first}/files/3")
    assert r.status_code == 200, r.text
    assert r.content == CSV and b2(r.content) == e["files"][2]["hash"]
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == (
        "attachment; filename=\"complaints (mar_o).csv\"; "
        "filename*=UTF-8''complaints%20%28mar%C3%A7o%29.csv"), r.headers
    assert r.headers["X-Content-Hash"] == b2(CSV)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    r = srv.get(f"/api/v1/cases/{cid}/evidence/{first}/files/1")
    assert (r.content, r.headers["Content-Type"]) == (PDF, "application/pdf")
    r = srv.get(f"/api/v1/cases/{cid}/evidence/{first}/files/0")
    assert r.content == text.encode() and r.headers["Content-Type"].startswith("text/markdown")

    # the assembly seals the first piece, with its reasons
    reasons = "The photograph shows the faces of the crews."
    d = w.decide("seal_evidence", {"case": cid, "evidence": first, "reasons": reasons}, YES,
                 title="Seal the photograph")
    assert d["status"] == "adopted", d
    pub = {x["id"]: x for x in listing(w, cid)["evidence"]}
    assert pub[first]["sealed"] is True
    assert pub[first]["seal"] == {"at": pub[first]["seal"]["at"], "motion": d["id"],
                                  "reasons": reasons}
    assert not {"text", "files", "text_hash"} & set(pub[first]), pub[first]
    # to a citizen who is no member, as to the public: sealed
    assert "text" not in {x["id"]: x for x in listing(w, cid, other)["evidence"]}[first]
    # the assembly's members see everything
    mine = listing(w, cid, member)
    assert mine["sees_sealed"] is True
    full = {x["id"]: x for x in mine["evidence"]}[first]
    assert full["text"] == text and len(full["files"]) == 3 and full["sealed"] is True
    r = srv.get(f"/api/v1/cases/{cid}/evidence/{first}/files/2", token=w.tok[member])
    assert r.status_code == 200 and r.content == PNG
    c = w.case(cid)
    assert [s["step"] for s in c["steps"]][-2:] == ["evidence", "evidence_sealed"]
    assert c["steps"][-1]["motion"]["id"] == d["id"]

    # a resident of the region who gave no consent is no citizen
    resident = srv.signup()
    w.tok[resident] = srv.signin(resident)
    r = srv.request("PUT", "/api/v1/me/residence", {"community": w.community},
                    token=w.tok[resident])
    assert r.status_code == 200, r.text
    w.resident = resident

    # refusals: each changes nothing
    before = settled_hash(srv)
    for tok in (None, w.tok[other], w.tok[w.servant]):
        error_of(srv.get(f"/api/v1/cases/{cid}/evidence/{first}/files/2", token=tok), 403,
                 "forbidden")
    big = b"%PDF-" + b"0" * (2 << 20)
    for r, status, code, field in (
            (evidence(w, cid, None, text="x"), 401, "unauthenticated", None),
            # who may petition: by default, only a citizen
            (petition(w, resident, absence="x", title="t", statement="s"), 403, "forbidden",
             None),
            # not in hearing yet; anonymous before the assembly allows it
            (evidence(w, waiting, citizen, text="Too early."), 409, "conflict", None),
            (evidence(w, cid, other, text="I work on a trawler.", anonymous=True), 403,
             "forbidden", "anonymous"),
            (evidence(w, cid, citizen), 400, "missing_field", "text"),
            (evidence(w, cid, citizen, text=""), 400, "out_of_range", "text"),
            (evidence(w, 9999, citizen, text="x"), 404, "not_found", None),
            (evidence(w, cid, citizen, text="x", files=[f("big.pdf", "application/pdf", big)]),
             413, "too_large", "files[0].data"),
            (evidence(w, cid, citizen, text="x", files=[
                f("a.pdf", "application/pdf", b"%PDF-" + b"1" * (1536 << 10))] * 3),
             413, "too_large", "files"),
            (evidence(w, cid, citizen, text="x", files=[f("a.exe", "application/x-msdownload",
                                                         b"MZ\x90\x00")]),
             400, "bad_input", "files[0].type"),
            (evidence(w, cid, citizen, text="x", files=[f("a.png", "image/png", PDF)]),
             400, "bad_input", "files[0].data"),
            (evidence(w, cid, citizen, text="x", files=[f("a.txt", "text/plain", b"a\0b")]),
             400, "bad_input", "files[0].data"),
            (evidence(w, cid, citizen, text="x", files=[f("../a.pdf", "application/pdf", PDF)]),
             400, "bad_input", "files[0].name"),
            (evidence(w, cid, citizen, text="x", files=[f("a.pdf", "application/pdf", PDF)] * 5),
             400, "out_of_range", "files"),
            (evidence(w, cid, citizen, text="x", files=[{"name": "a.pdf", "type":
                                                         "application/pdf", "data": "%%%"}]),
             400, "bad_input", "files[0].data"),
            (evidence(w, cid, citizen, text="x", files=[{"name": "a.pdf", "data": "AA=="}]),
             400, "missing_field", "files[0].type"),
            (evidence(w, cid, citizen, text="x", files=[dict(f("a.pdf", "application/pdf", PDF),
                                                              path="/etc")]),
             400, "unknown_field", "files[0].path"),
            (srv.get(f"/api/v1/cases/{cid}/evidence/{first}/files/9"), 404, "not_found", None),
            (srv.get(f"/api/v1/cases/{cid}/evidence/999/files/1"), 404, "not_found", None),
            (srv.get("/api/v1/cases/9999/evidence"), 404, "not_found", None),
            # sealing: twice, a piece that is not there, by the civil service
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "seal_evidence", "title": "Seal", "params": {
                    "case": cid, "evidence": first, "reasons": "r"}}, token=w.tok[member]),
             409, "conflict", "params.evidence"),
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "seal_evidence", "title": "Seal", "params": {
                    "case": cid, "evidence": 999, "reasons": "r"}}, token=w.tok[member]),
             404, "not_found", "params.evidence"),
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "seal_evidence", "title": "Seal", "params": {
                    "case": cid, "evidence": first}}, token=w.tok[member]),
             400, "missing_field", "params.reasons"),
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "seal_evidence", "title": "Seal", "params": {
                    "case": cid, "evidence": first, "reasons": "r"}},
                token=w.tok[w.servant]), 403, "not_member", None),
            # a case of the polity sealed by the assembly of another
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "seal_evidence", "title": "Seal", "params": {
                    "case": 9999, "evidence": first, "reasons": "r"}},
                token=w.tok[member]), 404, "not_found", "params.case")):
        error_of(r, status, code, field)
    assert settled_hash(srv) == before

    # anonymous evidence, now the assembly allows it
    assert listing(w, cid)["anonymous_allowed"] is False
    d = w.decide("set_case_rules", {"petitioners": "citizens", "anonymous_evidence": "yes"},
                 YES, title="Evidence may be anonymous")
    assert d["status"] == "adopted", d
    assert listing(w, cid)["anonymous_allowed"] is True
    r = evidence(w, cid, other, text="I work on a trawler: the engines never stop.",
                 anonymous=True, files=[f("log.txt", "text/plain", b"05:00 engine on\n")])
    assert r.status_code == 201, r.text
    anon = r.json()
    assert anon["submitter"] is None, anon
    j = srv.get("/api/v1/journal?after=0&limit=500").json()["entries"]
    entry = [x for x in j if x["action"] == "case.evidence"][-1]
    assert entry["actor"] == "anonymous" and entry["payload"]["person"] is None, entry
    assert other not in json.dumps(entry)


    w.cid = cid
    # the hearing closes with the harm question: no evidence after it
    w.decide("harm_question", {"case": cid, "findings": "The fumes reach the school."}, YES)
    before = settled_hash(srv)
    error_of(evidence(w, cid, citizen, text="Late."), 409, "conflict")
    assert state_hash(srv.db) == before

    # the command line shows the public's view
    p = run("case", "show", cid, "--db", srv.db, check=0)
    assert "sealed" in p.stdout and reasons in p.stdout and b2(CSV) not in p.stdout, p.stdout
    assert b2(b"05:00 engine on\n") in p.stdout and "anonymous" in p.stdout, p.stdout

    # the replay rebuilds the evidence, copying only bytes that hash to
    # their entries; a byte or a hash changed is named
    p = run("journal", "verify", "--state", "--json", "--db", srv.db)
    assert p.returncode == 0 and json.loads(p.stdout)["state"]["ok"], p.stdout
    copy = str(tmp_path / "copy.db")
    run("backup", "--db", srv.db, copy, check=0)
    for sql, table, column in (
            ("UPDATE case_evidence_content SET bytes = CAST(replace(CAST(bytes AS TEXT),"
             " '14', '41') AS BLOB) WHERE n = 3", "case_evidence_content", "(row)"),
            ("UPDATE case_evidence_files SET hash = replace(hash, substr(hash, 1, 1), 'x')"
             " WHERE n = 1", "case_evidence_files", "hash"),
            ("UPDATE case_evidence SET sealed_reasons = 'none' WHERE sealed_at IS NOT NULL",
             "case_evidence", "sealed_reasons"),
            ("UPDATE polity_case_rules SET anonymous_evidence = 0", "polity_case_rules",
             "anonymous_evidence")):
        db = str(tmp_path / ("e-" + table + ".db"))
        shutil.copy(copy, db)
        con = sqlite3.connect(db)
        assert con.execute(sql).rowcount >= 1, sql
        con.commit()
        con.close()
        p = run("journal", "verify", "--state", "--json", "--db", db)
        j = json.loads(p.stdout)
        assert p.returncode == 1, (sql, j)
        diff = j["state"]["difference"]
        assert (diff["table"], diff["column"]) == (table, column), (sql, diff)


def test_who_may_petition_and_a_case_between_two_polities(w, tmp_path):
    """The assembly's rule on who may petition is checked on every
    petition; a case is about a law of its own polity's register, and only
    that polity's assembly decides it."""
    srv = w.srv
    citizen, member, resident = w.others[0], w.seated[0], w.resident
    w.tok[resident] = srv.signin(resident)
    # the meeting of the first test goes on
    d = w.decide("set_case_rules", {"petitioners": "members", "anonymous_evidence": "no"}, YES,
                 title="Only the assembly's members petition")
    assert d["status"] == "adopted", d
    # the first case's remedy writes law 1 into this polity's register
    w.decide("charge_civil_service", {"case": w.cid, "deadline": w.now + 30 * DAY}, YES)
    r = srv.post(f"/api/v1/cases/{w.cid}/recommendations", {
        "title": "Engines off at the quay", "text": "1. Engines off after ten minutes.\n",
        "rationale": "r", "effect": "e", "measures": "m", "alternatives": "a"},
        token=w.tok[w.servant])
    assert r.status_code == 201, r.text
    rec = r.json()["recommendations"][0]["id"]
    w.decide("remedy_question", {"case": w.cid, "recommendation": rec}, ("no",) * 4)
    assert w.case(w.cid)["remedy"]["law"] == 1
    # a second polity over the same region, its register empty, its rule
    # the default: any citizen petitions it
    reg, other = "r" + w.slug, "q" + w.slug
    run("region", "add", reg, "--name", "R2", "--communities", w.community, "--db", srv.db,
        check=0)
    run("polity", "add", other, "--name", "Inland waters", "--description", "Rivers",
        "--region", reg, "--seats", 4, "--cohorts", 1, "--db", srv.db, check=0)
    r = srv.post(f"/api/v1/polities/{other}/cases", {
        "absence": "weirs", "title": "Weirs", "statement": "Weirs stop the eels."},
        token=w.tok[citizen])
    assert r.status_code == 201, r.text
    theirs = r.json()["id"]

    body = {"absence": "the price of moorings", "title": "Moorings", "statement": "Too dear."}
    before = settled_hash(srv)
    # only the members petition this polity now
    for who in (citizen, resident):
        e = error_of(petition(w, who, **body), 403, "forbidden")
        assert "members of the polity's assembly" in e["message"], e
    # law 1 is this polity's, not the other's: no case on it there
    e = error_of(srv.post(f"/api/v1/polities/{other}/cases", dict(
        law=1, title="Engines", statement="The law on engines harms the eels."),
        token=w.tok[citizen]), 404, "not_found", "law")
    assert "this polity's register" in e["message"], e
    # this polity's assembly decides none of the other's cases
    for kind, params in (("take_up_case", {"case": theirs, "decision": "take_up"}),
                         ("seal_evidence", {"case": theirs, "evidence": 1, "reasons": "r"})):
        e = error_of(srv.post(f"/api/v1/bodies/{w.slug}/motions", {
            "kind": kind, "title": "Theirs", "params": params}, token=w.tok[member]),
            403, "forbidden", "params.case")
        assert "another polity" in e["message"], e
    assert state_hash(srv.db) == before

    r = petition(w, member, **body)
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    w.decide("set_case_rules", {"petitioners": "residents", "anonymous_evidence": "no"}, YES)
    # the same law, petitioned in its own polity by a resident, is a case
    r = petition(w, resident, law=1, title="Engines", statement="Ten minutes is too long.")
    assert r.status_code == 201 and r.json()["law_title"] == "Engines off at the quay", r.text

    # an evidence brief asked of the civil service, flagged once overdue
    w.decide("take_up_case", {"case": mid, "decision": "take_up"}, YES)
    due = w.now + 2 * DAY
    w.decide("request_evidence_brief", {"case": mid, "deadline": due,
                                        "instructions": "What do moorings cost elsewhere?"},
             YES, title="An evidence brief on moorings")
    assert w.case(mid)["steps"][-1]["step"] == "brief_requested"
    w.end()
    w.clock(due + 3600)
    c = w.case(mid)
    assert (c["brief_due"], c["brief_overdue"]) == (due, True), c
    lst = srv.get(f"/api/v1/polities/{w.slug}/cases").json()
    assert mid in [x["id"] for x in lst["dashboard"]["overdue"]]
    owed = listing(w, mid)["brief_owed"]
    assert (owed["deadline"], owed["overdue"], owed["instructions"]) == (
        due, True, "What do moorings cost elsewhere?"), owed
    p = run("case", "list", w.slug, "--db", srv.db, check=0)
    assert "[evidence brief overdue]" in p.stdout, p.stdout
    before = settled_hash(srv)
    for r, status, code, field in (
            # only a civil servant, in their name, while one is owed
            (evidence(w, mid, citizen, text="My brief.", brief=True), 403, "forbidden",
             "brief"),
            (evidence(w, mid, w.servant, text="Brief.", brief=True, anonymous=True), 400,
             "bad_input", "anonymous"),
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "request_evidence_brief", "title": "Another", "params": {
                    "case": mid, "deadline": w.now + 5 * DAY}}, token=w.tok[member]),
             409, "conflict", "params.case"),
            (srv.post(f"/api/v1/bodies/{w.slug}/motions", {
                "kind": "request_evidence_brief", "title": "Not in hearing", "params": {
                    "case": w.cid, "deadline": w.now + 5 * DAY}}, token=w.tok[member]),
             409, "conflict", "params.case")):
        error_of(r, status, code, field)
    assert state_hash(srv.db) == before
    r = evidence(w, mid, w.servant, brief=True, text="Moorings cost 40 a month in the "
                 "two nearest ports.", files=[f("moorings.csv", "text/csv", CSV)])
    assert r.status_code == 201, r.text
    b = r.json()
    assert (b["brief"], b["submitter"]["handle"]) == (True, w.servant), b
    assert listing(w, mid)["brief_owed"] is None
    c = w.case(mid)
    assert (c["brief_overdue"], c["steps"][-1]["step"]) == (False, "brief_submitted"), c
    # no brief is owed now: one more is refused
    error_of(evidence(w, mid, w.servant, text="Again.", brief=True), 409, "conflict", "brief")
    srv.settle()
    p = run("journal", "verify", "--state", "--json", "--db", srv.db)
    assert p.returncode == 0 and json.loads(p.stdout)["state"]["ok"], p.stdout


def upload(w, tok, n=5 << 20):
    """An evidence upload begun by hand on its own connection: its head,
    a body of n bytes announced, and the body's first bytes only (the
    rest never comes unless the caller sends it). tok None: no
    credentials."""
    host, port = w.srv.base.split("://", 1)[1].rstrip("/").split(":")
    # generous: under a loaded machine (the suite's two lanes on two
    # cores) an answer once took more than 10 s
    s = socket.create_connection((host, int(port)), timeout=60)
    auth = f"Authorization: Bearer {tok}\r\n" if tok else ""
    s.sendall((f"POST /api/v1/cases/{w.cid}/evidence HTTP/1.1\r\nHost: x\r\n"
               f"{auth}Content-Type: application/json\r\n"
               f"Content-Length: {n}\r\n\r\n").encode() + b"{\"text\": \"")
    return s


def answer(s):
    """The status and the lower-cased head of the answer on s."""
    got = b""
    while b"\r\n\r\n" not in got:
        more = s.recv(4096)
        assert more, ("the server closed the connection before answering", got)
        got += more
    head = got.split(b"\r\n\r\n", 1)[0]
    return int(head.split(b" ", 2)[1]), head.decode("latin-1").lower()


def small_upload(w, tok):
    """A whole upload of 40 bytes: its status (409 once the case's
    hearing is over: received, then refused)."""
    s = upload(w, tok, 40)
    try:
        s.sendall(b'x"}' + b" " * 27)
        return answer(s)[0]
    finally:
        s.close()


def test_large_bodies_are_few_at_a_time(w):
    """Evidence takes a body of up to 8 MiB (the server's limit is smaller
    for every other route), and only 8 such bodies are received at once:
    of 9 begun together, one is told to come back (503), and once one
    ends, one more may come."""
    srv = w.srv
    tok = w.tok[w.others[0]]
    # one account sends at most two at a time: nine are sent by five, none
    # of them the account that asks again once one has ended (while its
    # own two were still being let go, it would rightly be told 429)
    senders = [t for t in w.tok.values() if t != tok][:5]
    tokens = [t for t in senders for _ in range(2)]

    # past 8 MiB, refused before its body; past the server's limit
    # elsewhere, refused too
    s = upload(w, tok, 9 << 20)
    assert answer(s)[0] == 413
    s.close()
    r = srv.post(f"/api/v1/polities/{w.slug}/cases", {
        "absence": "x", "title": "t", "statement": "é" * 100000}, token=tok)
    assert r.status_code == 413, r.text
    # Nine at once: one of them is told to come back, the other eight are
    # received (no answer until their bodies end). Which one is not the
    # ninth sent, always: the server's threads may read the ninth's head
    # before an earlier one's.
    nine = [upload(w, tokens[i]) for i in range(9)]
    try:
        answered, _, _ = select.select(nine, [], [], 60)
        assert len(answered) >= 1, "none of the nine was answered"
        first = answered[0]
        assert answer(first)[0] == 503
        others = [s for s in nine if s is not first]
        more, _, _ = select.select(others, [], [], 1)
        assert more == [], "only one of the nine is refused; the rest are received"
    finally:
        for s in nine:
            s.close()
    # the 8 are gone once their connections end: one more is received
    deadline = time.time() + 30
    while (code := small_upload(w, tok)) == 503 and time.time() < deadline:
        time.sleep(0.1)
    assert code == 409, code  # received and refused: this case's hearing is over


def test_large_bodies_without_credentials_are_refused_before_them(w):
    """A large body's route that needs an account refuses a request without
    credentials (401) before reading its body, and such a request takes
    none of the 8 places: with nine of them still connected, a signed-in
    request is received."""
    anonymous = []
    try:
        for _ in range(9):
            anonymous.append(upload(w, None))
            assert answer(anonymous[-1])[0] == 401
        assert small_upload(w, w.tok[w.others[0]]) == 409
    finally:
        for s in anonymous:
            s.close()


def test_one_account_sends_two_large_bodies_at_a_time(w):
    """One account holds at most two of the eight places: its third large
    request is refused (429, with Retry-After) before its body, while
    another account's is received; a token the server does not know is
    refused (401) before its body too. Neither refusal touches the
    journal."""
    srv = w.srv
    mine, other = w.tok[w.others[0]], w.tok[w.others[1]]
    before = srv.get("/api/v1/journal/verify").json()["entries"]
    held = [upload(w, mine), upload(w, mine)]
    try:
        # the two are received: neither is answered
        r, _, _ = select.select(held, [], [], 1)
        assert r == []
        third = upload(w, mine)
        try:
            code, head = answer(third)
            assert code == 429
            assert "retry-after:" in head
        finally:
            third.close()
        assert small_upload(w, other) == 409
        s = upload(w, "x" * 43)
        try:
            assert answer(s)[0] == 401
        finally:
            s.close()
    finally:
        for s in held:
            s.close()
    assert srv.get("/api/v1/journal/verify").json()["entries"] == before
    # the account's places come back once its requests end
    deadline = time.time() + 30
    while (code := small_upload(w, mine)) == 429 and time.time() < deadline:
        time.sleep(0.1)
    assert code == 409, code
