"""docs/journal.md is a specification: this test is an independent
verifier written from it alone (Python's hashlib BLAKE2b and the
cryptography package's Ed25519), run against a database pnyx wrote."""
import hashlib
import sqlite3
import struct

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
