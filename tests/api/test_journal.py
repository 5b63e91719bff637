"""The journal over HTTP: GET /api/v1/journal?after=N&limit=M and
GET /api/v1/journal/verify. Anyone may read and verify it."""
import json

import pytest

from conftest import error_of, run


def test_journal_lists_entries_in_order(srv):
    for _ in range(3):
        srv.signup()
    r = srv.get("/api/v1/journal")
    assert r.status_code == 200
    entries = r.json()["entries"]
    seqs = [e["seq"] for e in entries]
    assert seqs == list(range(1, len(seqs) + 1))
    e = entries[-1]
    assert set(e) >= {"seq", "at", "actor", "body", "action", "payload",
                      "prev", "hash"}
    assert len(e["hash"]) == 64
    assert entries[-2]["hash"] == e["prev"]


def test_journal_after_and_limit(srv):
    for _ in range(4):
        srv.signup()
    all_ = srv.get("/api/v1/journal").json()["entries"]
    n = len(all_)
    page = srv.get("/api/v1/journal?after=1&limit=2").json()["entries"]
    assert [e["seq"] for e in page] == [2, 3]
    tail = srv.get(f"/api/v1/journal?after={n}").json()["entries"]
    assert tail == []
    assert srv.get(f"/api/v1/journal?after={n - 1}").json()["entries"] == \
        all_[-1:]


def test_journal_default_page_is_100(srv):
    n = srv.get("/api/v1/health").json()["journal"]["entries"]
    got = srv.get("/api/v1/journal").json()["entries"]
    assert len(got) == min(n, 100)


@pytest.mark.parametrize("query,field,code", [
    ("after=x", "after", "bad_type"), ("after=-1", "after", "out_of_range"),
    ("after=1.5", "after", "bad_type"), ("after=", "after", "bad_type"),
    ("limit=0", "limit", "out_of_range"),
    ("limit=1001", "limit", "out_of_range"),
    ("limit=ten", "limit", "bad_type"),
    ("after=99999999999999999999", "after", "out_of_range")])
def test_journal_bad_query(srv, query, field, code):
    error_of(srv.get("/api/v1/journal?" + query), 400, code, field)


def test_journal_verify(srv):
    srv.signup()
    r = srv.get("/api/v1/journal/verify")
    assert r.status_code == 200
    v = r.json()
    assert v["ok"] is True
    n = srv.get("/api/v1/health").json()["journal"]["entries"]
    assert v["entries"] == n and v["head_seq"] == n
    assert v["broken_seq"] is None and v["reason"] is None
    assert len(v["public_key"]) == 64 and len(v["head_hash"]) == 64
    # The same answer the command line gives.
    cli = json.loads(run("journal", "verify", "--json", "--db", srv.db,
                         check=0).stdout)
    for k in ("ok", "entries", "head_seq", "head_hash", "public_key"):
        assert cli[k] == v[k], k


def test_journal_verify_reports_a_changed_entry(start_server):
    s = start_server()
    for _ in range(3):
        s.signup()
    # Change one byte of entry 2 behind the server's back (the triggers
    # forbid updates, so drop them first, as an attacker would).
    s.sql("DROP TRIGGER journal_no_update")
    s.sql("UPDATE journal SET actor = 'mallory' WHERE seq = 2")
    v = s.get("/api/v1/journal/verify").json()
    assert v["ok"] is False
    assert v["broken_seq"] == 2
    assert v["reason"]


def test_journal_routes_take_no_writes(srv):
    error_of(srv.post("/api/v1/journal", {}), 405, "method")
    error_of(srv.delete("/api/v1/journal"), 405, "method")
