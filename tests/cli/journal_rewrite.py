"""Rewrite a database's journal from one entry on as a node holding its
key could (docs/journal.md: each entry's hash chains the one before; the
head is signed with the node's Ed25519 key, kept beside the database).

The chain and the signature then verify, so what remains to catch a
changed payload is replay: tests use this to show that `pnyx journal
verify --state` refuses what the domain refuses, with the reason."""
import hashlib
import json
import sqlite3
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def sign_head(db, seq, h):
    """Sign the head as the node does, with its key file."""
    with open(str(db) + ".key", "rb") as f:
        seed = f.read()[:32]
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return key.sign(b"pnyx-journal-head-v1" + struct.pack(">Q", seq) + h)


def _lp(b):
    return struct.pack(">Q", len(b)) + b


def rewrite(db, seq, payload):
    """Replace entry seq's payload (a dict, written as the node writes it)
    and re-chain every entry from it on, then re-sign the head. The
    journal's no-update trigger is dropped on this copy."""
    con = sqlite3.connect(str(db))
    try:
        con.execute("DROP TRIGGER IF EXISTS journal_no_update")
        prev = con.execute("SELECT prev FROM journal WHERE seq = ?", (seq,)).fetchone()[0]
        rows = con.execute("SELECT seq, at, actor, body, action, payload FROM journal"
                           " WHERE seq >= ? ORDER BY seq", (seq,)).fetchall()
        for s, a, actor, body, action, p in rows:
            if s == seq:
                p = json.dumps(payload, separators=(",", ":"), sort_keys=True)
            hh = hashlib.blake2b(digest_size=32)
            hh.update(b"pnyx-journal-v1" + prev + struct.pack(">Q", s) + struct.pack(">q", a))
            for field in (actor, body or "", action, p):
                hh.update(_lp(field.encode()))
            h = hh.digest()
            con.execute("UPDATE journal SET payload = ?, prev = ?, hash = ? WHERE seq = ?",
                        (p, prev, h, s))
            prev = h
        last = rows[-1][0]
        con.execute("UPDATE journal_head SET hash = ?, signature = ? WHERE id = 1",
                    (prev, sign_head(db, last, prev)))
        con.commit()
        return last
    finally:
        con.close()
