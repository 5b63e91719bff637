"""docs/journal.md is a specification: this test is an independent
verifier written from it alone (Python's hashlib BLAKE2b and the
cryptography package's Ed25519), run against a database pnyx wrote."""
import hashlib
import json
import sqlite3
import struct

import pytest

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from conftest import run


def lp(b):
    return struct.pack(">Q", len(b)) + b


def entry_hash(prev, seq, at, actor, body, action, payload):
    h = hashlib.blake2b(digest_size=32)
    h.update(b"pnyx-journal-v1")
    h.update(prev)
    h.update(struct.pack(">Q", seq))
    h.update(struct.pack(">q", at))
    for field in (actor, body or "", action, payload):
        h.update(lp(field.encode("utf-8")))
    return h.digest()


def test_independent_verifier_agrees(db):
    run("demo", "--db", db, check=0)
    con = sqlite3.connect(db)
    prev = bytes(32)
    n = 0
    for seq, at, actor, body, action, payload, sprev, shash in con.execute(
            "SELECT seq, at, actor, body, action, payload, prev, hash"
            " FROM journal ORDER BY seq"):
        n += 1
        assert seq == n
        assert sprev == prev
        h = entry_hash(prev, seq, at, actor, body, action, payload)
        assert h == shash, seq
        prev = h
    hseq, hhash, sig = con.execute(
        "SELECT seq, hash, signature FROM journal_head").fetchone()
    assert (hseq, hhash) == (n, prev)
    pk = con.execute("SELECT public_key FROM node").fetchone()[0]
    msg = b"pnyx-journal-head-v1" + struct.pack(">Q", hseq) + hhash
    Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)  # raises if bad
    # and the key file holds the matching secret key (seed, then public key)
    key = open(str(db) + ".key", "rb").read()
    assert len(key) == 64 and key[32:] == pk


# ---- the edges (issue 11, section 9) ----------------------------------
#
# An independent verifier written from docs/journal.md ("Verifying"), in
# the order of checks the page gives. It answers (ok, broken_seq): 0 names
# no entry (the node's key or the head of an empty journal).

def independent_verify(path):
    con = sqlite3.connect(str(path))
    con.text_factory = bytes  # the bytes as stored; types from typeof()
    node = con.execute("SELECT typeof(public_key), public_key FROM node"
                       " WHERE id = 1").fetchall()
    if len(node) != 1 or node[0][0] != b"blob" or len(node[0][1]) != 32:
        return False, 0
    pk = node[0][1]
    prev = bytes(32)
    n = 0
    cols = ("seq", "at", "actor", "body", "action", "payload", "prev", "hash")
    sql = "SELECT " + ", ".join(cols) + ", " + ", ".join(
        "typeof(%s)" % c for c in cols) + " FROM journal ORDER BY seq"
    want = [b"integer", b"integer", b"text", (b"text", b"null"), b"text",
            b"text", b"blob", b"blob"]
    for row in con.execute(sql):
        seq, at, actor, body, action, payload, sprev, shash = row[:8]
        types = row[8:]
        n += 1
        if seq != n:
            return False, n
        ok = all(t in w if isinstance(w, tuple) else t == w
                 for t, w in zip(types, want))
        ok = ok and body != b"" and len(sprev) == 32 and len(shash) == 32
        if not ok:
            return False, seq
        if sprev != prev:
            return False, seq
        h = hashlib.blake2b(digest_size=32)
        h.update(b"pnyx-journal-v1" + prev + struct.pack(">Q", seq) +
                 struct.pack(">q", at))
        for field in (actor, body or b"", action, payload):
            h.update(lp(field))
        if h.digest() != shash:
            return False, seq
        prev = shash
    head = con.execute("SELECT seq, typeof(hash), hash, typeof(signature),"
                       " signature FROM journal_head WHERE id = 1").fetchall()
    if not head:
        return False, n
    hseq, htype, hhash, stype, sig = head[0]
    if hseq != n:
        return False, hseq + 1 if hseq < n else n + 1
    if htype != b"blob" or hhash != prev:
        return False, n
    msg = b"pnyx-journal-head-v1" + struct.pack(">Q", hseq) + hhash
    try:
        if stype != b"blob":
            raise ValueError
        Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)
    except Exception:
        return False, n
    return True, 0


def pnyx_verify(path):
    import json
    p = run("journal", "verify", "--json", "--db", path)
    assert p.returncode in (0, 1), (p.returncode, p.stderr)
    j = json.loads(p.stdout)
    assert j["ok"] == (p.returncode == 0)
    return j["ok"], j.get("broken_seq", 0)


def tamper(path, *sql):
    con = sqlite3.connect(str(path))
    con.execute("DROP TRIGGER IF EXISTS journal_no_update")
    con.execute("DROP TRIGGER IF EXISTS journal_no_delete")
    for s in sql:
        con.execute(s)
    con.commit()
    con.close()


def three_entries(db):
    for slug in ("north", "south", "east"):
        run("community", "add", slug, "--name", slug.title(),
            "--population", "100", "--db", db, check=0)


# Each vector: what is done to a journal of three entries, and the entry
# both verifiers must name (None: intact). docs/journal.md lists them.
EDGE_VECTORS = [
    ("intact", [], None),
    ("prev stored as text with the right bytes",
     ["UPDATE journal SET prev = CAST(prev AS TEXT) WHERE seq = 2"], 2),
    ("hash stored as text with the right bytes",
     ["UPDATE journal SET hash = CAST(hash AS TEXT) WHERE seq = 3"], 3),
    ("prev one byte short",
     ["UPDATE journal SET prev = substr(prev, 1, 31) WHERE seq = 2"], 2),
    ("head removed", ["DELETE FROM journal_head"], 3),
    ("every entry and the head removed",
     ["DELETE FROM journal", "DELETE FROM journal_head"], 0),
    ("every entry removed, head kept", ["DELETE FROM journal"], 1),
    ("head hash stored as text",
     ["UPDATE journal_head SET hash = CAST(hash AS TEXT)"], 3),
    ("node key stored as text",
     ["UPDATE node SET public_key = CAST(public_key AS TEXT)"], 0),
]


@pytest.mark.parametrize("name,sql,broken", EDGE_VECTORS,
                         ids=[v[0] for v in EDGE_VECTORS])
def test_edges_pnyx_and_independent_verifier_agree(db, name, sql, broken):
    three_entries(db)
    tamper(db, *sql)
    want = (True, 0) if broken is None else (False, broken)
    assert independent_verify(db) == want
    assert pnyx_verify(db) == want


def test_a_fresh_journal_has_a_signed_head(db):
    # init signs the head of the empty journal: seq 0, 32 zero bytes
    con = sqlite3.connect(str(db))
    assert con.execute("SELECT count(*) FROM journal").fetchone()[0] == 0
    hseq, hhash = con.execute("SELECT seq, hash FROM journal_head").fetchone()
    assert (hseq, hhash) == (0, bytes(32))
    assert independent_verify(db) == (True, 0)
    assert pnyx_verify(db) == (True, 0)
    # and without it an empty journal is broken, not "intact, 0 entries"
    tamper(db, "DELETE FROM journal_head")
    assert independent_verify(db) == (False, 0)
    p = run("journal", "verify", "--db", db, check=1)
    assert "head is missing" in p.stdout


@pytest.mark.parametrize("content", [b"", b"not a key", bytes(64), None])
def test_verify_needs_no_secret_key(db, content):
    """Verifying reads only public data: a missing, empty, malformed or
    unreadable key file changes nothing."""
    three_entries(db)
    key = str(db) + ".key"
    if content is None:
        import os
        os.remove(key)
    else:
        with open(key, "wb") as f:
            f.write(content)
    assert pnyx_verify(db) == (True, 0)
    run("journal", "show", "--db", db, check=0)


def test_signing_with_another_nodes_key_is_refused(db, tmp_path):
    three_entries(db)
    other = tmp_path / "other.db"
    run("init", "--db", other, check=0)
    with open(str(other) + ".key", "rb") as f:
        foreign = f.read()
    with open(str(db) + ".key", "wb") as f:
        f.write(foreign)
    con = sqlite3.connect(str(db))
    before = con.execute("SELECT count(*) FROM journal").fetchone()[0]
    con.close()
    p = run("community", "add", "west", "--name", "West", "--population",
            "5", "--db", db)
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "does not match the node's public key" in p.stderr
    con = sqlite3.connect(str(db))
    assert con.execute("SELECT count(*) FROM journal").fetchone()[0] == before
    assert con.execute("SELECT count(*) FROM communities WHERE slug = 'west'"
                       ).fetchone()[0] == 0
    con.close()
    assert pnyx_verify(db) == (True, 0)


# ---- replay, from docs/journal.md ("The rules of replay") alone --------
#
# The entry-level rules, written again in Python: the rows that entries
# make directly (not the effects of adopted motions, which the page
# delegates to each kind). Compared with the tables pnyx keeps.

def canon(v):
    return json.dumps(v, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def independent_replay(path):
    con = sqlite3.connect(str(path))
    accounts, communities, attendance, votes, voters, advisory = {}, {}, set(), {}, set(), {}
    motions, meetings, ballots = {}, {}, {}
    for seq, at, actor, body, action, payload in con.execute(
            "SELECT seq, at, actor, body, action, payload FROM journal ORDER BY seq"):
        p = json.loads(payload)
        if action == "account.create":
            accounts[len(accounts) + 1] = (p["handle"], p["display_name"], at)
        elif action == "community.add":
            communities[len(communities) + 1] = (p["slug"], p["name"], p["population"], at)
        elif action == "motion.submit":
            motions[p["motion"]] = (body, p["kind"], p["title"], canon(p["params"]),
                                    actor, at)
            if p.get("meeting"):
                meetings.setdefault((body, p["meeting_at"]), p["meeting_place"])
        elif action == "meeting.checkin":
            meetings.setdefault((body, p["meeting_at"]), p["meeting_place"])
            attendance.add((body, p["meeting_at"], p["member"], at, p["method"]))
        elif action == "motion.advise":
            advisory[(p["motion"], actor)] = (p["position"], p["comment"], at)
        elif action == "vote.open":
            ballots[p["motion"]] = p["ballot"]
        elif action == "vote.cast" and "position" in p:
            votes[(p["motion"], p["round"], p["voter"])] = p["position"]
        elif action == "vote.cast" and "ranking" not in p:
            voters.add((p["motion"], p["round"], p["voter"]))
    con.close()
    return accounts, communities, attendance, votes, voters, advisory, motions, meetings


def test_an_independent_replay_agrees(db):
    run("demo", "--db", db, check=0)
    accounts, communities, attendance, votes, voters, advisory, motions, meetings = \
        independent_replay(db)
    con = sqlite3.connect(str(db))
    assert accounts == {i: (h, n, c) for i, h, n, c in con.execute(
        "SELECT id, handle, display_name, created_at FROM accounts")}
    assert communities == {i: (s, n, p, c) for i, s, n, p, c in con.execute(
        "SELECT id, slug, name, population, created_at FROM communities")}
    assert attendance == set(con.execute(
        "SELECT b.slug, m.starts_at, a.handle, t.checked_in_at, t.method FROM attendance t"
        " JOIN meetings m ON m.id = t.meeting_id JOIN bodies b ON b.id = m.body_id"
        " JOIN accounts a ON a.id = t.account_id"))
    assert votes == {(m, r, h): p for m, r, h, p in con.execute(
        "SELECT v.motion_id, v.round, a.handle, v.position FROM votes v"
        " JOIN accounts a ON a.id = v.account_id")}
    assert voters == set(con.execute(
        "SELECT v.motion_id, v.round, a.handle FROM voters v"
        " JOIN accounts a ON a.id = v.account_id"))
    assert advisory == {(m, h): (p, c, t) for m, h, p, c, t in con.execute(
        "SELECT x.motion_id, a.handle, x.position, x.comment, x.at FROM advisory x"
        " JOIN accounts a ON a.id = x.account_id")}
    assert motions == {i: (b, k, t, p, h, s) for i, b, k, t, p, h, s in con.execute(
        "SELECT m.id, b.slug, m.kind, m.title, m.params, a.handle, m.submitted_at"
        " FROM motions m JOIN bodies b ON b.id = m.body_id"
        " JOIN accounts a ON a.id = m.proposer")}
    # every meeting an entry names, with its place
    for (slug, start), place in meetings.items():
        assert con.execute("SELECT m.place FROM meetings m JOIN bodies b ON b.id ="
                           " m.body_id WHERE b.slug = ? AND m.starts_at = ?",
                           (slug, start)).fetchone() == (place,)
    assert motions and attendance and votes  # the demo has them
    con.close()
