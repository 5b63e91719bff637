"""Signed fetches (docs/nodes.md, "Signed fetches"): the node signs each
GET of another server's actor with its own actor's key (BASE/actor:
RSA towards the fediverse, as Mastodon's secure mode checks, Ed25519
between pnyx nodes), and with --authorized-fetch answers its own actor
documents, outboxes, posts and followers only to signed GETs whose key
verifies. WebFinger, NodeInfo, /actor (the key such a check needs) and a
browser's 303 to a body's page are always answered.

A fediverse server is played here as Mastodon behaves (an RSA user,
requests signed rsa-sha256); every signature pnyx makes is verified with
python3-cryptography, independently of pnyx. Two pnyx nodes that both
require signed fetches still federate: each fetches the other's actor
signed, and checks the other's signature with the key at its /actor.
"""
import base64
import http.server
import json
import threading
import time

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from conftest import RULES, Server, assert_clean_exit, decide, schedule_now, unique
from nodes_common import pem_of, signature_headers

AS = {"Accept": "application/activity+json"}
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"


def params_of(signature):
    p = dict(x.split("=", 1) for x in signature.split(","))
    return {k: v.strip('"') for k, v in p.items()}


class Mastodon:
    """One RSA user; records the headers of every GET of its actor."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.gets = []
        m = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                m.gets.append((self.path, dict(self.headers)))
                me = m.id
                pem = pem_of(m.key)
                data = json.dumps({
                    "@context": [AS_CONTEXT, "https://w3id.org/security/v1"],
                    "id": me, "type": "Person", "preferredUsername": "ada",
                    "inbox": me + "/inbox",
                    "publicKey": {"id": me + "#main-key", "owner": me,
                                  "publicKeyPem": pem}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.id = self.base + "/users/ada"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def signed(self, node, path, date=None, key=None):
        """GET path of node, signed as Mastodon signs a fetch."""
        h = signature_headers("get", path, node.base.split("://", 1)[1], key or self.key,
                              self.id + "#main-key", date=date)
        return requests.get(node.base + path, headers=dict(AS, **h), timeout=30)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def sign_post(m, node, path, act):
    data = json.dumps(act).encode()
    h = signature_headers("post", path, node.base.split("://", 1)[1], m.key,
                          m.id + "#main-key", data)
    return requests.post(node.base + path, data=data, headers=h, timeout=30)


@pytest.fixture(scope="module")
def secure(tmp_path_factory):
    node = Server(str(tmp_path_factory.mktemp("secure")), args=("--authorized-fetch",))
    m = Mastodon()
    try:
        handle, tok = node.user()
        slug = node.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
        yield {"node": node, "m": m, "slug": slug, "handle": handle}
    finally:
        m.stop()
        assert_clean_exit(*node.stop())


def test_the_node_signs_its_fetch_of_a_follower(secure):
    """A follow makes the node fetch the follower's actor: the GET is
    signed with the node's RSA key, which its /actor publishes."""
    node, m, slug = secure["node"], secure["m"], secure["slug"]
    r = sign_post(m, node, "/inbox", {
        "@context": AS_CONTEXT, "id": m.id + "/follows/1", "type": "Follow",
        "actor": m.id, "object": f"{node.base}/bodies/{slug}"})
    assert r.status_code == 202, r.text
    path, h = m.gets[-1]
    assert path == "/users/ada"
    p = params_of(h["Signature"])
    assert p["algorithm"] == "rsa-sha256"
    assert p["keyId"] == node.base + "/actor#main-key"
    assert p["headers"].split()[:3] == ["(request-target)", "host", "date"]
    # the key, read where a server in secure mode reads it: unsigned
    doc = requests.get(node.base + "/actor", headers=AS, timeout=10)
    assert doc.status_code == 200, doc.text
    doc = doc.json()
    assert doc["type"] == "Application" and doc["id"] == node.base + "/actor"
    assert doc["publicKey"]["id"] == p["keyId"]
    assert doc["inbox"] == node.base + "/inbox"
    key = serialization.load_pem_public_key(doc["publicKey"]["publicKeyPem"].encode())
    lines = []
    for name in p["headers"].split():
        if name == "(request-target)":
            lines.append("(request-target): get " + path)
        else:
            lines.append("%s: %s" % (name, {k.lower(): v for k, v in h.items()}[name]))
    key.verify(base64.b64decode(p["signature"]), "\n".join(lines).encode(),
               padding.PKCS1v15(), hashes.SHA256())


def test_unsigned_fetches_of_actor_documents_are_refused(secure):
    node, slug, handle = secure["node"], secure["slug"], secure["handle"]
    for path in (f"/bodies/{slug}", f"/people/{handle}", f"/bodies/{slug}/outbox",
                 f"/bodies/{slug}/followers", f"/bodies/{slug}/posts/motion-1"):
        r = requests.get(node.base + path, headers=AS, timeout=10)
        assert r.status_code == 401, (path, r.text)
        e = r.json()["error"]
        assert (e["code"], e["field"]) == ("bad_signature", "signature"), path
        assert "authorized fetch" in e["message"]
    # what finding and checking need stays open, and a browser still goes
    # to the body's page
    host = node.base.split("://", 1)[1]
    assert requests.get(node.base + "/.well-known/webfinger", params={
        "resource": f"acct:{slug}@{host}"}, timeout=10).status_code == 200
    assert requests.get(node.base + "/nodeinfo/2.1", timeout=10).status_code == 200
    assert requests.get(node.base + "/actor", headers=AS, timeout=10).status_code == 200
    r = requests.get(node.base + f"/bodies/{slug}", allow_redirects=False, timeout=10)
    assert r.status_code == 303


def test_signed_fetches_are_answered_and_bad_ones_refused(secure):
    node, m, slug, handle = secure["node"], secure["m"], secure["slug"], secure["handle"]
    for path in (f"/bodies/{slug}", f"/people/{handle}", f"/bodies/{slug}/outbox",
                 f"/bodies/{slug}/followers"):
        r = m.signed(node, path)
        assert r.status_code == 200, (path, r.text)
    assert m.signed(node, f"/bodies/{slug}").json()["id"] == f"{node.base}/bodies/{slug}"
    # another key under the user's keyId; a date from long ago
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    r = m.signed(node, f"/bodies/{slug}", key=other)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"
    r = m.signed(node, f"/bodies/{slug}", date="Mon, 02 Jan 2023 10:00:00 GMT")
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"


def test_without_the_setting_unsigned_fetches_are_answered(srv):
    handle, tok = srv.user()
    slug = srv.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
    assert srv.get(f"/bodies/{slug}", headers=AS).status_code == 200
    assert srv.get(f"/people/{handle}", headers=AS).status_code == 200


def test_two_nodes_that_require_signed_fetches_still_federate(tmp_path_factory):
    """Each fetches the other's actor signed (Ed25519, keyId BASE/actor),
    and each checks the other's signature with the key at its /actor,
    which is answered unsigned: no loop, and the join goes through."""
    a = Server(str(tmp_path_factory.mktemp("sa")), args=("--authorized-fetch",))
    b = Server(str(tmp_path_factory.mktemp("sb")), args=("--authorized-fetch",))
    try:
        fa, ta = a.user()
        fb, tb = b.user()
        harbour = a.found(ta, rule=RULES, schedule=schedule_now()).json()["slug"]
        cove = b.found(tb, rule=RULES, schedule=schedule_now()).json()["slug"]
        coast = unique("c")
        assert decide(b, cove, tb, "found_federation", {
            "slug": coast, "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(), "delegate": fb,
            "mandate": "Speak for the cove."})["status"] == "adopted"
        m = decide(a, harbour, ta, "join_remote_federation",
                   {"actor": f"{b.base}/bodies/{coast}"}, title="Join the coast")
        assert m["status"] == "adopted", m
        end = time.time() + 20
        offered = []
        while time.time() < end and not offered:
            offered = b.get(f"/api/v1/bodies/{coast}/remote").json()["relations"]
            time.sleep(0.1)
        assert [(r["remote"], r["status"]) for r in offered] == [
            (f"{a.base}/bodies/{harbour}", "offered")], a.stderr() + b.stderr()
    finally:
        for s in (a, b):
            assert_clean_exit(*s.stop())
