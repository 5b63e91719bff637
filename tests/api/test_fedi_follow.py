"""Following a body from the fediverse (docs/nodes.md, "Followers"):
people of another server, played here by the test as Mastodon behaves
(actors with RSA keys, requests signed rsa-sha256 over (request-target)
host date digest content-type, a shared inbox), follow an assembly; pnyx
answers with an Accept and sends each motion the assembly adopts as a post,
once per shared inbox, signed with its RSA key. Every signature pnyx sends
is verified here with python3-cryptography, independently of pnyx; every
refusal is checked to change nothing. tests/api/test_fedi_interop.py does
the same with Fedify, an implementation that is not ours."""
import base64
import email.utils
import hashlib
import http.server
import json
import sqlite3
import threading
import time

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import decide, error_of, schedule_now, settled_hash, RULES
from nodes_common import pem_of, signature_headers

AS = {"Accept": "application/activity+json"}
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"


class Fediverse:
    """A server of the fediverse: users with RSA keys (or Ed25519, for one),
    their inboxes and a shared inbox, recording what pnyx delivers after
    checking its signature with the key pnyx's actor publishes."""

    def __init__(self, pnyx):
        self.pnyx = pnyx
        self.keys = {}
        self.received = []  # (path, activity)
        self.bad = []       # what did not verify
        fed = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                if not self.path.startswith("/users/") or name not in fed.keys:
                    self.send_error(404)
                    return
                data = json.dumps(fed.actor(name)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    fed.verify(self, body)
                    fed.received.append((self.path, json.loads(body)))
                    status = 202
                except Exception as e:  # recorded, and answered 401
                    fed.bad.append(repr(e))
                    status = 401
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def user(self, name, ed25519=False):
        self.keys[name] = (Ed25519PrivateKey.generate() if ed25519 else
                           rsa.generate_private_key(public_exponent=65537, key_size=2048))
        return self.id(name)

    def id(self, name):
        return f"{self.base}/users/{name}"

    def actor(self, name):
        me = self.id(name)
        return {"@context": [AS_CONTEXT, "https://w3id.org/security/v1"],
                "id": me, "type": "Person", "preferredUsername": name,
                "inbox": me + "/inbox", "endpoints": {"sharedInbox": self.base + "/inbox"},
                "publicKey": {"id": me + "#main-key", "owner": me,
                              "publicKeyPem": pem_of(self.keys[name])}}

    def verify(self, handler, body):
        """pnyx's request: rsa-sha256 over (request-target) host date
        digest, with the RSA key of the actor document its keyId names."""
        params = dict(p.split("=", 1) for p in handler.headers["Signature"].split(","))
        params = {k: v.strip('"') for k, v in params.items()}
        assert params["algorithm"] == "rsa-sha256", params
        assert params["headers"] == "(request-target) host date digest", params
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        assert handler.headers["Digest"] == digest
        actor_url, frag = params["keyId"].split("#")
        assert frag == "main-key"
        doc = requests.get(actor_url, headers=AS, timeout=10).json()
        assert doc["publicKey"]["id"] == params["keyId"]
        assert json.loads(body)["actor"] == doc["id"]
        key = serialization.load_pem_public_key(doc["publicKey"]["publicKeyPem"].encode())
        text = "(request-target): post %s\nhost: %s\ndate: %s\ndigest: %s" % (
            handler.path, handler.headers["Host"], handler.headers["Date"], digest)
        key.verify(base64.b64decode(params["signature"]), text.encode(),
                   padding.PKCS1v15(), hashes.SHA256())

    def post(self, name, path, activity, key_name=None, raw=None):
        """POST activity to pnyx at path, signed as Mastodon signs, with
        name's key (or key_name's)."""
        data = raw if raw is not None else json.dumps(activity).encode()
        h = signature_headers("post", path, self.pnyx.base.split("://", 1)[1],
                              self.keys[key_name or name], self.id(name) + "#main-key",
                              data, content_type="application/activity+json")
        return requests.post(self.pnyx.base + path, data=data, headers=h, timeout=30)

    def wait(self, pred, what, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = [a for p, a in self.received if pred(p, a)]
            if got:
                return got
            time.sleep(0.05)
        raise AssertionError(f"no {what} arrived: {self.received} {self.bad}")

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def world(srv):
    handle, tok = srv.user()
    r = srv.found(tok, slug="quay", name="Quay Assembly", rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    assert srv.found(tok, slug="weir", schedule=schedule_now()).status_code == 201
    fed = Fediverse(srv)
    yield {"tok": tok, "fed": fed}
    fed.stop()


def follow(fed, name, n=1, obj=None, srv=None):
    return {"@context": AS_CONTEXT, "id": f"{fed.id(name)}/follows/{n}", "type": "Follow",
            "actor": fed.id(name), "object": obj}


def followers(srv, slug="quay"):
    return srv.get(f"/bodies/{slug}/followers", headers=AS).json()


def test_a_follow_signed_as_mastodon_signs_is_recorded_and_accepted(srv, world):
    fed = world["fed"]
    bo = fed.user("bo")
    quay = srv.base + "/bodies/quay"
    r = fed.post("bo", "/bodies/quay/inbox", follow(fed, "bo", obj=quay))
    assert r.status_code == 202, r.text
    assert r.json()["followed"] == "quay"
    assert followers(srv)["orderedItems"] == [bo]
    [accept] = fed.wait(lambda p, a: a["type"] == "Accept", "Accept")
    assert accept["actor"] == quay and accept["to"] == [bo]
    assert accept["object"]["id"] == f"{bo}/follows/1"
    assert accept["object"]["type"] == "Follow"
    # the same Follow again (Mastodon sends it again when unsure) changes
    # nothing but is answered again
    r = fed.post("bo", "/bodies/quay/inbox", follow(fed, "bo", obj=quay))
    assert r.status_code == 202, r.text
    assert followers(srv)["totalItems"] == 1
    # an Ed25519 key (hs2019) is taken too; the shared inbox finds the body
    cy = fed.user("cy", ed25519=True)
    r = fed.post("cy", "/inbox", follow(fed, "cy", obj=quay))
    assert r.status_code == 202, r.text
    assert followers(srv)["orderedItems"] == [cy, bo]
    assert not fed.bad, fed.bad


def outbox_rows(srv):
    """(activity id, inbox, status) of every delivery to the fediverse."""
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute("SELECT json_extract(activity, '$.id'), inbox, status"
                           " FROM node_outbox WHERE signer = 'rsa'"
                           " AND json_extract(activity, '$.type') = 'Create'").fetchall()
    finally:
        con.close()


def test_an_adopted_motion_reaches_each_shared_inbox_once(srv, world):
    fed = world["fed"]
    # a body nobody follows decides first: it sends nothing
    decide(srv, "weir", world["tok"], "resolution", title="Nothing to tell", text="Quiet.")
    decide(srv, "quay", world["tok"], "resolution", title="Paint the harbour wall",
           text="Blue.")
    [create] = fed.wait(lambda p, a: a["type"] == "Create", "post")
    note = create["object"]
    assert "Adopted: “Paint the harbour wall”" in note["content"]
    assert note["url"].startswith(srv.base + "/motion.html?id=")
    assert create["actor"] == srv.base + "/bodies/quay"
    # bo and cy share their server's inbox: one delivery, to it; every
    # delivery of a post is queued at once, and weir's came before
    deadline = time.monotonic() + 10
    while outbox_rows(srv) != [(create["id"], fed.base + "/inbox", "delivered")]:
        assert time.monotonic() < deadline, outbox_rows(srv)
        time.sleep(0.05)
    # the outbox lists the same post
    box = srv.get("/bodies/quay/outbox?page=1", headers=AS).json()
    assert create["id"] in [c["id"] for c in box["orderedItems"]]
    # the meeting closes: its post follows, with a link to the minutes
    motion = note["url"].split("id=")[1]
    meeting = srv.get(f"/api/v1/motions/{motion}").json()["meeting"]
    r = srv.post(f"/api/v1/meetings/{meeting}/close", token=world["tok"])
    assert r.status_code == 200, r.text
    [closed] = fed.wait(lambda p, a: a["type"] == "Create" and "meeting" in a["id"],
                        "post of the meeting")
    assert closed["object"]["url"] == f"{srv.base}/meeting.html?id={meeting}"
    assert "minutes" in closed["object"]["content"]
    assert not fed.bad, fed.bad


def test_refusals_change_nothing(srv, world):
    fed = world["fed"]
    fed.user("dee")
    quay = srv.base + "/bodies/quay"
    before = settled_hash(srv)
    # signed with a key that is not the actor's
    error_of(fed.post("dee", "/bodies/quay/inbox", follow(fed, "dee", obj=quay),
                      key_name="bo"), 401, "bad_signature", "signature")
    # an actor speaking for another: dee signs, the activity says bo
    act = follow(fed, "bo", n=9, obj=quay)
    error_of(fed.post("dee", "/bodies/quay/inbox", act), 403, "forbidden", "actor")
    # a body of another node, a body of another inbox, no body
    error_of(fed.post("dee", "/bodies/quay/inbox",
                      follow(fed, "dee", obj="https://elsewhere.example/bodies/quay")),
             400, "bad_input", "object")
    error_of(fed.post("dee", "/bodies/quay/inbox",
                      follow(fed, "dee", obj=srv.base + "/bodies/weir")),
             400, "bad_input", "object")
    error_of(fed.post("dee", "/inbox", follow(fed, "dee", obj=srv.base + "/bodies/nobody")),
             404, "not_found")
    # an Undo of another's follow
    undo = {"@context": AS_CONTEXT, "id": fed.id("dee") + "/undo/1", "type": "Undo",
            "actor": fed.id("dee"), "object": follow(fed, "bo", obj=quay)}
    error_of(fed.post("dee", "/inbox", undo), 403, "forbidden", "object")
    # the shared inbox takes follows only
    error_of(fed.post("dee", "/inbox", {"type": "Like", "actor": fed.id("dee")}), 400,
             "bad_input", "type")
    # too large
    big = follow(fed, "dee", obj=quay)
    big["summary"] = "x" * 70000
    error_of(fed.post("dee", "/bodies/quay/inbox", big), 413, "too_large", "body")
    assert settled_hash(srv) == before
    # dee's own follow is taken, and dee's own Undo of it
    r = fed.post("dee", "/bodies/quay/inbox", follow(fed, "dee", obj=quay))
    assert r.status_code == 202, r.text
    assert fed.id("dee") in followers(srv)["orderedItems"]
    undo_dee = {"@context": AS_CONTEXT, "id": fed.id("dee") + "/undo/2", "type": "Undo",
                "actor": fed.id("dee"), "object": follow(fed, "dee", obj=quay)}
    r = fed.post("dee", "/bodies/quay/inbox", undo_dee)
    assert r.status_code == 202 and r.json()["removed"] == 1, r.text
    assert fed.id("dee") not in followers(srv)["orderedItems"]


def test_an_undo_naming_the_follow_by_its_id(srv, world):
    """Some servers send the Follow's id alone in an Undo: it takes back
    that follow of its sender, and nobody else's."""
    fed = world["fed"]
    cy = fed.id("cy")
    assert cy in followers(srv)["orderedItems"]
    undo = {"@context": AS_CONTEXT, "id": cy + "/undo/1", "type": "Undo", "actor": cy,
            "object": f"{cy}/follows/1"}
    # bo naming cy's follow removes nothing
    r = fed.post("bo", "/inbox", {**undo, "actor": fed.id("bo")})
    assert r.status_code == 202 and r.json()["removed"] == 0, r.text
    assert cy in followers(srv)["orderedItems"]
    r = fed.post("cy", "/inbox", undo)
    assert r.status_code == 202 and r.json()["removed"] == 1, r.text
    assert cy not in followers(srv)["orderedItems"]


def test_a_changed_body_is_refused(srv, world):
    fed = world["fed"]
    quay = srv.base + "/bodies/quay"
    data = json.dumps(follow(fed, "dee", n=5, obj=quay)).encode()
    host = srv.base.split("://", 1)[1]
    date = email.utils.formatdate(usegmt=True)
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(data).digest()).decode()
    text = "(request-target): post /bodies/quay/inbox\nhost: %s\ndate: %s\ndigest: %s" % (
        host, date, digest)
    sig = fed.keys["dee"].sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    h = {"Date": date, "Digest": digest, "Host": host, "Content-Type": "application/json",
         "Signature": 'keyId="%s#main-key",algorithm="rsa-sha256",headers="(request-target)'
                      ' host date digest",signature="%s"'
                      % (fed.id("dee"), base64.b64encode(sig).decode())}
    before = settled_hash(srv)
    changed = data.replace(b"follows/5", b"follows/6")
    error_of(requests.post(srv.base + "/bodies/quay/inbox", data=changed, headers=h,
                           timeout=30), 401, "bad_signature", "digest")
    assert settled_hash(srv) == before
    # the same request unchanged is taken
    r = requests.post(srv.base + "/bodies/quay/inbox", data=data, headers=h, timeout=30)
    assert r.status_code == 202, r.text


def test_an_address_sending_too_many_is_told_to_wait(srv, world):
    """Last in the module: it spends the loopback address's allowance."""
    before = settled_hash(srv)
    codes = set()
    for _ in range(310):
        r = srv.post("/inbox", {"type": "Follow"})
        codes.add(r.status_code)
        if r.status_code == 429:
            break
    error_of(r, 429, "rate_limited")
    assert codes == {401, 429}, codes
    assert settled_hash(srv) == before
