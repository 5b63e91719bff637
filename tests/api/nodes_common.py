"""What the tests between nodes and with the fediverse share: not a test
module. Reading a node's database as it stands, waiting for what another
node does, and signing a request as a node or a fediverse server signs it
(HTTP Signatures: hs2019 with an Ed25519 key, rsa-sha256 with an RSA key,
as docs/nodes.md says pnyx takes them)."""
import base64
import contextlib
import email.utils
import hashlib
import json
import os
import sqlite3
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import assert_clean_exit


@contextlib.contextmanager
def peer_nodes(schedule):
    """Nodes that tell each other things on schedule (milliseconds: the
    environment's PNYX_TEST_PEER_SCHEDULE while the block runs). Yields a
    list to put each node's Server in as it starts; after the block, each
    still running (a test may stop one for good) is stopped and must exit
    cleanly, and the environment is as it was."""
    old = os.environ.get("PNYX_TEST_PEER_SCHEDULE")
    os.environ["PNYX_TEST_PEER_SCHEDULE"] = schedule
    servers = []
    try:
        yield servers
    finally:
        try:
            ends = [s.stop() for s in servers if s.proc.poll() is None]
            for end in ends:
                assert_clean_exit(*end)
        finally:
            if old is None:
                os.environ.pop("PNYX_TEST_PEER_SCHEDULE", None)
            else:
                os.environ["PNYX_TEST_PEER_SCHEDULE"] = old


def rows(db, sql, *params):
    """sql over the node's database, read-only, beside the running server."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def journal(db, action):
    """The payloads of the node's journal entries named action, in order."""
    return [json.loads(p) for (p,) in rows(
        db, "SELECT payload FROM journal WHERE action = ? ORDER BY seq", action)]


def poll(what, deadline=20):
    """what() until it is truthy, or fail at the deadline."""
    end = time.time() + deadline
    while time.time() < end:
        v = what()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("not within %s s" % deadline)


def pem_of(key):
    """The public half of key, as an actor document publishes it."""
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def signature_headers(method, path, host, key, key_id, data=None, date=None,
                      content_type=None):
    """The headers of a request signed with key under key_id: over the
    request target, host and date, the body's digest when there is a body
    (data), and the content type when one is named (as Mastodon signs a
    POST). hs2019 for an Ed25519 key, rsa-sha256 for an RSA one."""
    date = date or email.utils.formatdate(usegmt=True)
    names = ["(request-target)", "host", "date"]
    lines = ["(request-target): %s %s" % (method, path), "host: " + host, "date: " + date]
    h = {"Date": date, "Host": host}
    if data is not None:
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(data).digest()).decode()
        names.append("digest")
        lines.append("digest: " + digest)
        h["Digest"] = digest
        h["Content-Type"] = content_type or "application/activity+json"
    if content_type:
        names.append("content-type")
        lines.append("content-type: " + content_type)
    text = "\n".join(lines).encode()
    if isinstance(key, Ed25519PrivateKey):
        algorithm, sig = "hs2019", key.sign(text)
    else:
        algorithm, sig = "rsa-sha256", key.sign(text, padding.PKCS1v15(), hashes.SHA256())
    h["Signature"] = 'keyId="%s",algorithm="%s",headers="%s",signature="%s"' % (
        key_id, algorithm, " ".join(names), base64.b64encode(sig).decode())
    return h
