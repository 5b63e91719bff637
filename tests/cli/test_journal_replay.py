"""`pnyx journal replay` and `pnyx journal verify --state` (issue 11,
section 5; docs/journal.md, "Replay"). The demonstration database (made
through the domain layer: assemblies, meetings, votes, laws, a federation
and a proposal) replays exactly; each direct edit of a governance table,
which the hash chain cannot see, is caught and named: table, row, column
and both values. tests/api/test_replay.py drives every kind of motion."""
import json
import os
import shutil
import sqlite3

import pytest

from conftest import run
from journal_rewrite import rewrite


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    run("init", "--db", path, check=0)
    run("demo", "--db", path, check=0)
    return path


def copy(demo, tmp_path):
    db = tmp_path / "t.db"
    shutil.copy(demo, db)
    shutil.copy(str(demo) + ".key", str(db) + ".key")
    return db


def sql(db, *statements):
    con = sqlite3.connect(str(db))
    n = 0
    for s in statements:
        n += max(con.execute(s).rowcount, 0)
    con.commit()
    con.close()
    return n


def state(db):
    p = run("journal", "verify", "--state", "--json", "--db", db)
    assert p.returncode in (0, 1), (p.returncode, p.stderr)
    j = json.loads(p.stdout)
    assert j["ok"] == (p.returncode == 0)
    return j


def journal_length(db):
    con = sqlite3.connect(str(db))
    n = con.execute("SELECT count(*) FROM journal").fetchone()[0]
    con.close()
    return n


def test_the_demo_replays_exactly(demo, tmp_path):
    j = state(demo)
    assert j["ok"] and j["state"]["ok"], j
    assert j["state"]["replayed"] == j["entries"] > 50
    p = run("journal", "verify", "--state", "--db", demo, check=0)
    assert "state matches the journal: %d entries replayed" % j["entries"] in p.stdout
    # nothing was written, to the database or its journal
    assert journal_length(demo) == j["entries"]


def test_migration_13_keeps_the_original_text_of_amended_motions(demo, tmp_path):
    """A database from before migration 13 gets each amended motion's text
    as submitted from its motion.submit entry; replay (which keeps it as
    the amendment is adopted) then agrees with it, column for column."""
    db = copy(demo, tmp_path)
    con = sqlite3.connect(str(db))
    amended = con.execute(
        "SELECT m.id, m.original_text FROM motions m WHERE EXISTS (SELECT 1"
        " FROM motions a WHERE a.parent_id = m.id AND a.kind = 'amendment'"
        " AND a.status = 'adopted')").fetchall()
    con.close()
    assert amended and all(t for _, t in amended), amended
    sql(db, "ALTER TABLE motions DROP COLUMN original_text",
        "DELETE FROM schema_version WHERE version = 13")
    # a command that opens the database to write runs migration 13 again
    run("community", "list", "--db", db, check=0)
    j = state(db)
    assert j["ok"] and j["state"]["ok"], j
    con = sqlite3.connect(str(db))
    again = con.execute("SELECT id, original_text FROM motions WHERE original_text"
                        " IS NOT NULL ORDER BY id").fetchall()
    con.close()
    assert again == sorted(amended)


def test_replay_writes_a_database_that_verifies(demo, tmp_path):
    new = tmp_path / "new.db"
    p = run("journal", "replay", "--db", demo, "--into", new, check=0)
    assert p.stdout.startswith("replayed ") and str(new) in p.stdout
    assert p.stderr == ""  # progress only on a terminal
    j = state(new)
    assert j["ok"] and j["state"]["ok"], j
    assert j["head_hash"] == state(demo)["head_hash"]
    con = sqlite3.connect(str(new))
    # rebuilt accounts have no password: it is never journalled
    assert con.execute("SELECT count(*) FROM accounts WHERE password_hash <> ''"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    con.close()
    assert not os.path.exists(str(new) + ".key")


# Direct edits of the state tables, which the hash chain does not cover:
# the edit, then the table and column verify --state must name.
EDITS = [
    ("a membership's status",
     ["UPDATE memberships SET status = 'excluded' WHERE rowid ="
      " (SELECT min(rowid) FROM memberships)"], "memberships", "status"),
    ("an inserted member",
     ["INSERT INTO memberships(body_id, account_id, status, basis, since)"
      " VALUES ((SELECT min(id) FROM bodies),"
      " (SELECT max(id) FROM accounts), 'active', 'lives', 0)"
      " ON CONFLICT DO UPDATE SET since = 0"], "memberships", None),
    ("an inserted law citing a motion that does not exist",
     ["INSERT INTO laws(body_id, number, status) VALUES (1, 99, 'in_force')",
      "INSERT INTO law_versions(law_id, version, title, text, change, motion_id, at)"
      " VALUES (last_insert_rowid(), 1, 'Fake', 'x', 'enact', 9999, 0)"], "laws", "(row)"),
    ("a law version's text",
     ["UPDATE law_versions SET text = 'Something else.' WHERE rowid ="
      " (SELECT max(rowid) FROM law_versions)"], "law_versions", "text"),
    ("a deleted vote",
     ["DELETE FROM votes WHERE rowid = (SELECT min(rowid) FROM votes)"],
     "votes", "(row)"),
    ("a changed vote choice",
     ["UPDATE votes SET position = CASE position WHEN 'yes' THEN 'no' ELSE 'yes' END"
      " WHERE rowid = (SELECT min(rowid) FROM votes)"], "votes", "position"),
    ("a changed motion result",
     ["UPDATE motions SET status = 'rejected' WHERE status = 'adopted'"],
     "motions", "status"),
    ("a changed count in a motion's result",
     ["UPDATE motions SET result = json_set(result, '$.counts.yes', 99)"
      " WHERE result IS NOT NULL AND json_extract(result, '$.counts.yes') IS NOT NULL"],
     "motions", "result"),
    ("a deleted attendance row",
     ["DELETE FROM attendance WHERE rowid = (SELECT min(rowid) FROM attendance)"],
     "attendance", "(row)"),
    ("a changed rule set",
     ["UPDATE bodies SET rules = '{\"default\":{\"kind\":\"consensus\"}}'"
      " WHERE id = 1"], "bodies", "rules"),
    ("a changed schedule",
     ["UPDATE bodies SET schedule = replace(schedule, 'FREQ', 'freq') WHERE id = 1"],
     "bodies", "schedule"),
    ("rewritten minutes",
     ["UPDATE meetings SET minutes = 'Nothing happened.' WHERE closed_at IS NOT NULL"],
     "meetings", "minutes"),
    ("a deleted account",
     ["PRAGMA foreign_keys = OFF",
      "DELETE FROM accounts WHERE id = (SELECT max(id) FROM accounts)"],
     "accounts", "(row)"),
    ("a community's population",
     ["UPDATE communities SET population = population + 1"], "communities",
     "population"),
    ("a federation membership",
     ["UPDATE federation_members SET status = 'suspended'"], "federation_members",
     "status"),
    ("a proposal's text",
     ["UPDATE proposal_versions SET text = 'Other.'"], "proposal_versions", "text"),
]


@pytest.mark.parametrize("name,statements,table,column", EDITS,
                         ids=[e[0] for e in EDITS])
def test_each_direct_edit_is_caught_and_named(demo, tmp_path, name, statements,
                                              table, column):
    db = copy(demo, tmp_path)
    assert sql(db, *statements) >= 1, name
    before = journal_length(db)
    j = state(db)
    assert not j["ok"] and "broken_seq" not in j, j  # the chain is intact
    d = j["state"]["difference"]
    assert d["table"] == table, d
    if column:
        assert d["column"] == column, d
    assert set(d) == {"table", "key", "column", "live", "replayed"}
    assert d["live"] != d["replayed"]
    # the text form names the same
    p = run("journal", "verify", "--state", "--db", db, check=1)
    assert f"state DIFFERS from the journal: table {table}, row {d['key']}," in p.stdout
    assert journal_length(db) == before


def test_a_broken_chain_is_named_before_the_state(demo, tmp_path):
    db = copy(demo, tmp_path)
    sql(db, "DROP TRIGGER journal_no_update",
        "UPDATE journal SET payload = payload || ' ' WHERE seq = 3")
    j = state(db)
    assert j["broken_seq"] == 3 and "state" not in j, j


def test_an_entry_written_before_migration_9_is_named(demo, tmp_path):
    """Entries before journal_replay_from lack the meeting's start: replay
    says which entry, and why, instead of guessing."""
    db = copy(demo, tmp_path)
    con = sqlite3.connect(str(db))
    seq, payload = con.execute("SELECT seq, payload FROM journal WHERE action ="
                               " 'meeting.checkin' ORDER BY seq LIMIT 1").fetchone()
    con.close()
    old = json.loads(payload)
    for k in ("meeting_at", "meeting_place"):
        old.pop(k)
    # rewrite the journal from that entry on as an old node would have
    # written it, re-chained and re-signed with the node's key
    last = rewrite(db, seq, old)
    con = sqlite3.connect(str(db))
    con.execute("UPDATE journal_replay_from SET seq = ?", (last + 1,))
    con.commit()
    con.close()
    j = state(db)
    assert "broken_seq" not in j, j  # the chain is intact
    r = j["state"]["replay"]
    assert r["seq"] == seq and r["action"] == "meeting.checkin", r
    assert "migration 9" in r["reason"] and "cannot be rebuilt" in r["reason"]
    p = run("journal", "verify", "--state", "--db", db, check=1)
    assert f"state CANNOT BE REBUILT at entry {seq} (meeting.checkin)" in p.stdout


def request_entry(db, column="min"):
    """The first request of the demo and the seq of its round.request entry."""
    con = sqlite3.connect(str(db))
    rid = con.execute(f"SELECT {column}(id) FROM round_requests").fetchone()[0]
    seq = con.execute("SELECT seq FROM journal WHERE action = 'round.request' AND"
                      " json_extract(payload, '$.request') = ?", (rid,)).fetchone()[0]
    con.close()
    return rid, seq


@pytest.mark.parametrize("column,edit", [
    ("category", "category = category + 1"),
    ("amount", "amount = amount + 1"),
    ("leaf", "leaf = zeroblob(32)"),
])
def test_a_request_edited_beside_its_sealed_entry_is_named(demo, tmp_path, column, edit):
    """The journal says who asked in which round and commits to the rest
    (docs/sharing.md "What the journal says of a request"): replay reads
    the request from the database and refuses the entry it no longer
    hashes to, by its seq."""
    db = copy(demo, tmp_path)
    rid, seq = request_entry(db)
    assert sql(db, f"UPDATE round_requests SET {edit} WHERE id = {rid}") == 1
    j = state(db)
    assert not j["ok"] and "broken_seq" not in j, j
    r = j["state"]["replay"]
    assert (r["seq"], r["action"]) == (seq, "round.request"), r
    assert "commitment" in r["reason"], r
    p = run("journal", "verify", "--state", "--db", db, check=1)
    assert f"state CANNOT BE REBUILT at entry {seq} (round.request)" in p.stdout


def test_a_request_without_its_salt_is_named(demo, tmp_path):
    db = copy(demo, tmp_path)
    rid, seq = request_entry(db, "max")
    assert sql(db, f"DELETE FROM round_salts WHERE request_id = {rid}") == 1
    r = state(db)["state"]["replay"]
    assert (r["seq"], r["action"]) == (seq, "round.request"), r


def test_the_demo_says_no_need_in_its_journal(demo):
    con = sqlite3.connect(str(demo))
    rows = con.execute("SELECT payload FROM journal WHERE action = 'round.request'"
                       ).fetchall()
    con.close()
    assert rows
    for (p,) in rows:
        assert set(json.loads(p)) == {"good", "round", "request", "commitment"}, p


def test_a_request_entry_written_before_sealing_still_replays(demo, tmp_path):
    """A node's journal from before the change carries the request in
    clear: replay applies that form as it is, and replay --into writes a
    database that verifies."""
    db = copy(demo, tmp_path)
    rid, seq = request_entry(db)
    con = sqlite3.connect(str(db))
    good, rnd, cat, amount, leaf = con.execute(
        "SELECT r.good_id, q.round_id, q.category, q.amount, hex(q.leaf) FROM round_requests"
        " q JOIN rounds r ON r.id = q.round_id WHERE q.id = ?", (rid,)).fetchone()
    con.close()
    rewrite(db, seq, {"good": good, "round": rnd, "category": cat, "amount": amount,
                      "leaf": leaf.lower()})
    j = state(db)
    assert j["ok"] and j["state"]["ok"], j
    new = tmp_path / "new.db"
    run("journal", "replay", "--db", db, "--into", new, check=0)
    j = state(new)
    assert j["ok"] and j["state"]["ok"], j


@pytest.mark.parametrize("args,msg", [
    (["replay"], "replay needs --into"),
    (["show", "--state"], "--state is for verify"),
    (["verify", "--into", "x.db"], "--into is for replay"),
])
def test_usage_errors(demo, args, msg):
    p = run("journal", *args, "--db", demo, check=2)
    assert msg in p.stderr


def test_replay_refuses_an_existing_file_and_the_live_database(demo, tmp_path):
    there = tmp_path / "there.db"
    there.write_bytes(b"keep me")
    p = run("journal", "replay", "--db", demo, "--into", there)
    assert p.returncode == 2 and "already exists" in p.stderr
    assert there.read_bytes() == b"keep me"
    p = run("journal", "replay", "--db", demo, "--into", demo, check=2)
    assert "a new database" in p.stderr


def test_progress_on_a_terminal(demo, tmp_path):
    """On a terminal, stderr shows the entries replayed, ending with the
    count; elsewhere (above) it stays silent."""
    import pty
    import subprocess
    from conftest import PNYX
    master, slave = pty.openpty()
    p = subprocess.run([PNYX, "journal", "replay", "--db", str(demo), "--into",
                        str(tmp_path / "n.db")], stdout=subprocess.PIPE,
                       stderr=slave, timeout=120)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert p.returncode == 0
    n = journal_length(demo)
    assert f"replaying the journal: {n} of {n} entries".encode() in out, out
