"""Two pnyx nodes federate (issue 17, items 2-4; docs/nodes.md): two
`pnyx serve` processes on loopback ports, each with its own database.

A local assembly on node A decides to join a delegate assembly hosted on
node B: the decision makes the relationship and queues a Join, signed
with HTTP Signatures and over its canonical form with A's key; B checks
both, journals the activity with its signature and offers the request to
the delegate assembly, which accepts by its own decision; the Accept,
delivered back, completes the relationship on A. Nothing takes effect on
arrival otherwise; forged, replayed and misaddressed activities are
refused and the refusal journalled, with nothing else changed.

Delivery is tested against a peer played by this test (a small HTTP
server that checks A's signatures with python3-cryptography, an
implementation independent of pnyx's): one that answers 500 then 202, one
that is down then up (marked unavailable meanwhile), one that refuses with
400 for good. The retry schedule comes from the test hook
PNYX_TEST_PEER_SCHEDULE (milliseconds), so no test waits for the
production schedule: each polls with a deadline.
"""
import base64
import contextlib
import hashlib
import http.server
import json
import socket
import sqlite3
import subprocess
import threading

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)

from conftest import (PNYX, RULES, Server, decide, run,
                      schedule_now, unique)
# shared with the other tests between nodes, which import them from here too
from nodes_common import journal, peer_nodes, poll, rows, signature_headers  # noqa: F401

AS = "https://www.w3.org/ns/activitystreams"
SCHEDULE = "50,400,1"  # base 50 ms, at most 400 ms, unavailable after 1 s


def node_key(db):
    """The node's Ed25519 key, as libsodium wrote it (seed, then public)."""
    with open(db + ".key", "rb") as f:
        return Ed25519PrivateKey.from_private_bytes(f.read()[:32])


def canonical(obj):
    """RFC 8785 for what pnyx signs (no numbers but integers, keys in the
    Basic Multilingual Plane): sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def sign_activity(act, key, key_id):
    act = {k: v for k, v in act.items() if k != "signature"}
    sig = key.sign(canonical(act))
    act["signature"] = {"type": "pnyx:JcsEd25519Signature", "creator": key_id,
                        "signatureValue": base64.b64encode(sig).decode()}
    return act


def post_signed(node, path, body, key, key_id, date=None, headers=None):
    """POST body to node at path with an hs2019 HTTP signature by key."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    h = signature_headers("post", path, "127.0.0.1:%d" % node.port, key, key_id, data,
                          date=date)
    h.update(headers or {})
    return requests.post(node.base + path, data=data, headers=h, timeout=30)


def verify_http_signature(handler, body, pk):
    """What a peer does with A's request: the signature over the request
    target, host, date and digest, with A's key (python3-cryptography)."""
    params = dict(p.split("=", 1) for p in handler.headers["Signature"].split(","))
    params = {k: v.strip('"') for k, v in params.items()}
    assert params["algorithm"] == "hs2019"
    assert params["headers"] == "(request-target) host date digest"
    digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert handler.headers["Digest"] == digest
    text = "(request-target): post %s\nhost: %s\ndate: %s\ndigest: %s" % (
        handler.path, handler.headers["Host"], handler.headers["Date"], digest)
    pk.verify(base64.b64decode(params["signature"]), text.encode())
    return params["keyId"]


class Peer:
    """A node played by the test: serves an actor document with its own
    key, and answers its inbox with the statuses given, in turn (the last
    repeated), checking every signature A sends."""

    def __init__(self, a_public, statuses, port=0):
        self.key = Ed25519PrivateKey.generate()
        self.statuses = list(statuses)
        self.received = []
        self.a_public = a_public
        peer = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                if not self.path.startswith("/bodies/"):
                    self.send_error(404)
                    return
                pem = peer.key.public_key().public_bytes(
                    serialization.Encoding.PEM,
                    serialization.PublicFormat.SubjectPublicKeyInfo).decode()
                me = peer.base + self.path
                doc = {"@context": [AS], "id": me, "type": "Group",
                       "inbox": me + "/inbox",
                       "publicKey": {"id": me + "#main-key", "owner": me,
                                     "publicKeyPem": pem}}
                data = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key_id = verify_http_signature(self, body, peer.a_public)
                act = json.loads(body)
                sig = base64.b64decode(act["signature"]["signatureValue"])
                peer.a_public.verify(sig, canonical(
                    {k: v for k, v in act.items() if k != "signature"}))
                assert key_id == act["actor"] + "#ed25519-key"
                status = peer.statuses.pop(0) if len(peer.statuses) > 1 \
                    else peer.statuses[0]
                peer.received.append((status, act))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
        self.port = self.httpd.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@contextlib.contextmanager
def two_nodes(tmp_path_factory, first="node_h", second="node_m"):
    """Two `pnyx serve` processes on loopback ports that tell each other
    things on SCHEDULE; both stopped after, each exiting cleanly (the
    fixtures of this file, of test_nodes_proposals.py and of
    nodes_coast.py)."""
    with peer_nodes(SCHEDULE) as servers:
        a = Server(str(tmp_path_factory.mktemp(first)))
        servers.append(a)
        b = Server(str(tmp_path_factory.mktemp(second)))
        servers.append(b)
        yield a, b


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """Node A with the local assembly harbour (founder fa); node B with the
    local assembly cove (founder fb), which founded the delegate assembly
    coast."""
    with two_nodes(tmp_path_factory, "node_a", "node_b") as (a, b):
        fa, ta = a.user()
        fb, tb = b.user()
        harbour = a.found(ta, rule=RULES, schedule=schedule_now()).json()["slug"]
        cove = b.found(tb, rule=RULES, schedule=schedule_now()).json()["slug"]
        coast = unique("c")
        assert decide(b, cove, tb, "found_federation", {
            "slug": coast, "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(),
            "delegate": fb, "mandate": "Speak for the cove."})["status"] == "adopted"
        yield {"a": a, "b": b, "ta": ta, "tb": tb, "fa": fa, "harbour": harbour,
               "cove": cove, "coast": coast}


def relations(node, slug):
    r = node.get(f"/api/v1/bodies/{slug}/remote")
    assert r.status_code == 200, r.text
    return r.json()["relations"]


@pytest.fixture(scope="module")
def joined(nodes):
    """harbour (A) asked to join coast (B) by its decision, and coast
    accepted by its own: the steps the first test checks one by one."""
    a, b = nodes["a"], nodes["b"]
    coast_actor = f"{b.base}/bodies/{nodes['coast']}"
    m = decide(a, nodes["harbour"], nodes["ta"], "join_remote_federation",
               {"actor": coast_actor}, title="Join the coast's transport assembly")
    assert m["status"] == "adopted", m
    mine = relations(a, nodes["harbour"])
    assert [(r["remote"], r["side"], r["status"]) for r in mine] == [
        (coast_actor, "member", "requested")]
    offered = poll(lambda: relations(b, nodes["coast"]))
    assert [(r["remote"], r["side"], r["status"]) for r in offered] == [
        (f"{a.base}/bodies/{nodes['harbour']}", "host", "offered")]
    request = offered[0]["id"]
    # the request took no effect by itself: harbour is no member of coast
    fed = b.get(f"/api/v1/bodies/{nodes['coast']}/federations").json()
    assert [m["body"] for m in fed["members"]] == [nodes["cove"]]
    accepted = decide(b, nodes["coast"], nodes["tb"], "accept_remote_member",
                      {"request": request}, title="Welcome the harbour")
    assert accepted["status"] == "adopted", accepted
    poll(lambda: relations(a, nodes["harbour"])[0]["status"] == "active")
    return {"request": request, "coast_actor": coast_actor, "motion": m["id"],
            "accepted": accepted["id"]}


def test_join_takes_effect_only_by_both_decisions(nodes, joined):
    a, b = nodes["a"], nodes["b"]
    # B journalled the Join as received, with A's signature over its
    # canonical form and the key that verified it: checkable by anyone
    got = journal(b.db, "node.receive")
    join = got[0]["activity"]
    assert join["type"] == "Join" and join["object"] == joined["coast_actor"]
    assert join["pnyx:decision"]["id"] == joined["motion"]
    assert join["@context"][0] == AS
    assert set(join["pnyx:journalHead"]) == {"seq", "hash"}
    a_key = node_key(a.db).public_key()
    assert got[0]["key"] == a_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    a_key.verify(base64.b64decode(join["signature"]["signatureValue"]),
                 canonical({k: v for k, v in join.items() if k != "signature"}))
    assert got[0]["effect"] == {"body": nodes["coast"], "status": "offered",
                                "relation": joined["request"]}
    # and A the Accept, B's decision, naming the Join it answers
    acc = journal(a.db, "node.receive")[0]["activity"]
    assert acc["type"] == "Accept" and acc["object"] == join["id"]
    assert acc["pnyx:decision"]["id"] == joined["accepted"]
    mine = relations(a, nodes["harbour"])[0]
    assert mine["status"] == "active" and mine["motion"] == joined["motion"]
    theirs = relations(b, nodes["coast"])[0]
    assert theirs["status"] == "active" and theirs["decided_by"] == joined["accepted"]
    # the outboxes say both were delivered, once each
    out = json.loads(run("outbox", "--json", "--db", a.db, check=0).stdout)["outbox"]
    assert [(o["type"], o["status"], o["attempts"]) for o in out] == [
        ("Join", "delivered", 1)]
    peers = json.loads(run("peers", "--json", "--db", b.db, check=0).stdout)["peers"]
    assert [(p["origin"], p["state"], p["relations"]) for p in peers] == [
        (a.base, "active", 1)]
    assert "Join" in run("outbox", "--db", a.db, check=0).stdout
    # both journals still prove their state
    for s in (a, b):
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr


def forge(nodes, **fields):
    """An activity as A would send it, signed with A's own key."""
    a = nodes["a"]
    act = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}],
           "id": f"{a.base}/activities/test-{unique()}", "type": "Join",
           "actor": f"{a.base}/bodies/{nodes['harbour']}",
           "object": f"{nodes['b'].base}/bodies/{nodes['coast']}"}
    act.update(fields)
    return act


def b_state(nodes):
    b = nodes["b"]
    return (rows(b.db, "SELECT * FROM node_relations ORDER BY id"),
            rows(b.db, "SELECT * FROM node_inbox ORDER BY 1"),
            rows(b.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"),
            len(journal(b.db, "node.refuse")))


def refused(nodes, r, status, code, field):
    before = refused.before
    assert r.status_code == status, r.text
    e = r.json()["error"]
    assert (e["code"], e["field"]) == (code, field), e
    after = b_state(nodes)
    assert after[:3] == before[:3]
    assert after[3] == before[3] + 1
    last = journal(nodes["b"].db, "node.refuse")[-1]
    assert last["code"] == code
    refused.before = after
    return last


def test_refusals_are_journalled_and_change_nothing(nodes, joined):
    a, b = nodes["a"], nodes["b"]
    key = node_key(a.db)
    key_id = f"{a.base}/bodies/{nodes['harbour']}#main-key"
    inbox = f"/bodies/{nodes['coast']}/inbox"
    refused.before = b_state(nodes)
    # no signature at all
    r = requests.post(b.base + inbox, data=json.dumps(forge(nodes)),
                      headers={"Content-Type": "application/activity+json"})
    refused(nodes, r, 401, "bad_signature", "signature")
    # signed by a key that is not A's
    other = Ed25519PrivateKey.generate()
    act = sign_activity(forge(nodes), other, key_id)
    refused(nodes, post_signed(b, inbox, act, other, key_id), 401, "bad_signature",
            "signature")
    # A's HTTP signature, but the activity changed after A signed it
    act = sign_activity(forge(nodes), key, key_id)
    act["object"] = f"{b.base}/bodies/{nodes['cove']}"
    refused(nodes, post_signed(b, inbox, act, key, key_id), 401, "bad_signature",
            "signature")
    # a Date from long ago: a recorded request replayed
    old = "Mon, 02 Jan 2023 10:00:00 GMT"
    act = sign_activity(forge(nodes), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id, date=old), 401,
            "bad_signature", "signature")
    # a node no assembly of B has a relationship with (its key, its name)
    stranger = "http://127.0.0.1:9"
    act = sign_activity(forge(nodes, type="Accept", actor=stranger + "/bodies/x",
                              id=stranger + "/activities/1"), other,
                        stranger + "/bodies/x#main-key")
    refused(nodes, post_signed(b, inbox, act, other, stranger + "/bodies/x#main-key"),
            403, "unknown_peer", "signature")
    # A speaking for an assembly of another node
    act = sign_activity(forge(nodes, actor="http://127.0.0.1:9/bodies/x"), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 403, "foreign_effect",
            "actor")
    # A asking of an assembly that is not on B: an effect in another register
    act = sign_activity(forge(nodes, object="http://127.0.0.1:9/bodies/coast"),
                        key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 403, "foreign_effect",
            "object")
    # a kind of activity B does not take, from a peer it trusts
    act = sign_activity(forge(nodes, type="Delete"), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 400, "bad_input", "type")
    # an Accept for a request B never sent
    act = sign_activity(forge(nodes, type="Accept",
                              object=f"{b.base}/activities/join-999"), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 409, "conflict", "object")
    # the same request again, under a new id: already before coast
    act = sign_activity(forge(nodes), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 409, "conflict", "actor")
    # not JSON
    refused(nodes, post_signed(b, inbox, b"{", key, key_id), 400, "bad_json", "body")
    # a credential from an assembly of A that coast never accepted
    cred = {"type": "pnyx:Credential", "delegate": f"{a.base}/people/{nodes['fa']}",
            "mandate": "Speak.", "electedBy": f"{a.base}/motion.html?id=1"}
    act = sign_activity(forge(nodes, type="Add", actor=f"{a.base}/bodies/elsewhere",
                              object=cred, target=f"{b.base}/bodies/{nodes['coast']}"),
                        key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 409, "conflict", "actor")
    # a credential naming a person of another node
    act = sign_activity(forge(nodes, type="Add", object=dict(
        cred, delegate="http://127.0.0.1:9/people/x"),
        target=f"{b.base}/bodies/{nodes['coast']}"), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 403, "foreign_effect",
            "object")
    # a credential for a delegate assembly of another node
    act = sign_activity(forge(nodes, type="Add", object=cred,
                              target="http://127.0.0.1:9/bodies/coast"), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 403, "foreign_effect",
            "target")
    # a recall of a credential nobody holds
    act = sign_activity(forge(nodes, type="Remove",
                              object=f"{a.base}/activities/credential-999",
                              target=f"{b.base}/bodies/{nodes['coast']}"), key, key_id)
    refused(nodes, post_signed(b, inbox, act, key, key_id), 409, "conflict", "object")


def test_a_delegate_is_credited_then_recalled_across_nodes(nodes, joined):
    """harbour elects its delegate to coast by its decision: B records the
    signed credential naming that decision; harbour recalls them: the seat
    ends on B as soon as the recall arrives."""
    a, b = nodes["a"], nodes["b"]
    person = f"{a.base}/people/{nodes['fa']}"
    m = decide(a, nodes["harbour"], nodes["ta"], "elect_remote_delegate", {
        "actor": joined["coast_actor"], "delegate": nodes["fa"],
        "mandate": "Argue for night buses."}, title="Our delegate to the coast")
    assert m["status"] == "adopted", m
    seats = poll(lambda: relations(b, nodes["coast"])[0]["delegates"])
    assert [(d["delegate"], d["mandate"], d["elected_by"], d["recalled_at"])
            for d in seats] == [(person, "Argue for night buses.",
                                 f"{a.base}/motion.html?id={m['id']}", None)]
    add = journal(b.db, "node.receive")[-1]["activity"]
    assert add["type"] == "Add" and add["pnyx:decision"]["id"] == m["id"]
    node_key(a.db).public_key().verify(
        base64.b64decode(add["signature"]["signatureValue"]),
        canonical({k: v for k, v in add.items() if k != "signature"}))
    # the same person elected again while seated: refused at submission
    r = a.post(f"/api/v1/bodies/{nodes['harbour']}/motions", {
        "kind": "elect_remote_delegate", "title": "Again", "params": {
            "actor": joined["coast_actor"], "delegate": nodes["fa"],
            "mandate": "Again."}}, token=nodes["ta"])
    assert r.status_code == 409 and r.json()["error"]["field"] == "params.delegate"
    m2 = decide(a, nodes["harbour"], nodes["ta"], "recall_remote_delegate", {
        "actor": joined["coast_actor"], "delegate": nodes["fa"]})
    assert m2["status"] == "adopted", m2
    poll(lambda: relations(b, nodes["coast"])[0]["delegates"][0]["recalled_at"])
    mine = relations(a, nodes["harbour"])[0]["delegates"]
    assert [(d["delegate"], d["motion"], bool(d["recalled_at"])) for d in mine] == [
        (nodes["fa"], m["id"], True)]
    # a member assembly only elects to where it was accepted
    r = a.post(f"/api/v1/bodies/{nodes['harbour']}/motions", {
        "kind": "elect_remote_delegate", "title": "Elsewhere", "params": {
            "actor": "http://127.0.0.1:9/bodies/far", "delegate": nodes["fa"],
            "mandate": "Speak."}}, token=nodes["ta"])
    assert r.status_code == 409 and r.json()["error"]["field"] == "params.actor"


def test_a_resent_activity_is_dropped(nodes, joined):
    """The Join A delivered, sent again with a fresh signature (a resend
    after a crash, or a replay): taken once, never twice."""
    a, b = nodes["a"], nodes["b"]
    key = node_key(a.db)
    key_id = f"{a.base}/bodies/{nodes['harbour']}#main-key"
    join = journal(b.db, "node.receive")[0]["activity"]
    before = b_state(nodes)
    r = post_signed(b, f"/bodies/{nodes['coast']}/inbox", join, key, key_id)
    assert r.status_code == 202, r.text
    assert r.json() == {"id": join["id"], "duplicate": True}
    assert b_state(nodes) == before


def test_trust_comes_only_from_a_decision(nodes, joined):
    """No command adds a peer; the motion's address is checked."""
    a = nodes["a"]
    p = run("peers", "add", "http://127.0.0.1:9", "--db", a.db)
    assert p.returncode == 2
    for bad in ("not a url", f"{a.base}/bodies/{nodes['harbour']}",
                "http://127.0.0.1:9/people/someone"):
        r = a.post(f"/api/v1/bodies/{nodes['harbour']}/motions",
                   {"kind": "join_remote_federation", "title": "Join",
                    "params": {"actor": bad}}, token=nodes["ta"])
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["error"]["field"] == "params.actor"
    r = a.post(f"/api/v1/bodies/{nodes['harbour']}/motions",
               {"kind": "join_remote_federation", "title": "Join",
                "params": {"actor": joined["coast_actor"]}}, token=nodes["ta"])
    assert r.status_code == 409 and r.json()["error"]["field"] == "params.actor"
    # a local assembly decides no acceptance
    r = nodes["b"].post(f"/api/v1/bodies/{nodes['cove']}/motions",
                        {"kind": "accept_remote_member", "title": "Accept",
                         "params": {"request": joined["request"]}}, token=nodes["tb"])
    assert r.status_code == 403, r.text
    # an answered request is not answered again
    r = nodes["b"].post(f"/api/v1/bodies/{nodes['coast']}/motions",
                        {"kind": "refuse_remote_member", "title": "Refuse",
                         "params": {"request": joined["request"]}}, token=nodes["tb"])
    assert r.status_code == 409 and r.json()["error"]["field"] == "params.request"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def outbox_row(db, peer):
    got = rows(db, "SELECT status, attempts, last_status FROM node_outbox WHERE peer = ?"
               " ORDER BY id", peer)
    return got


def test_delivery_retries_a_peer_that_fails_then_takes(nodes):
    a = nodes["a"]
    pk = node_key(a.db).public_key()
    peer = Peer(pk, [500, 202])
    try:
        m = decide(a, nodes["harbour"], nodes["ta"], "join_remote_federation",
                   {"actor": f"{peer.base}/bodies/far"})
        assert m["status"] == "adopted", m
        poll(lambda: outbox_row(a.db, peer.base) == [("delivered", 2, 202)])
        assert [s for s, _ in peer.received] == [500, 202]
        # the same activity, byte for byte the same id, both times
        assert peer.received[0][1] == peer.received[1][1]
        assert peer.received[1][1]["type"] == "Join"
    finally:
        peer.stop()


def test_delivery_waits_for_a_peer_that_is_down(nodes):
    """Down: retried with growing waits, marked unavailable after the
    schedule's time; up again: delivered, in order, and available."""
    a = nodes["a"]
    pk = node_key(a.db).public_key()
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    for name in ("one", "two"):
        m = decide(a, nodes["harbour"], nodes["ta"], "join_remote_federation",
                   {"actor": f"{base}/bodies/{name}"})
        assert m["status"] == "adopted", m
    poll(lambda: rows(a.db, "SELECT state FROM node_peers WHERE origin = ?", base)
         == [("unavailable",)])
    got = outbox_row(a.db, base)
    assert got[0][0] == "queued" and got[0][1] >= 2
    assert got[1] == ("queued", 0, None)  # the queue is ordered: it waits its turn
    peer = Peer(pk, [202], port=port)
    try:
        poll(lambda: [r[0] for r in outbox_row(a.db, base)] == ["delivered"] * 2)
        assert [act["object"] for _, act in peer.received] == [
            f"{base}/bodies/one", f"{base}/bodies/two"]
        assert rows(a.db, "SELECT state, failing_since FROM node_peers WHERE origin = ?",
                    base) == [("active", None)]
    finally:
        peer.stop()


def test_a_refusal_is_final_and_the_queue_goes_on(nodes):
    a = nodes["a"]
    peer = Peer(node_key(a.db).public_key(), [400, 202])
    try:
        for name in ("xx", "yy"):
            assert decide(a, nodes["harbour"], nodes["ta"], "join_remote_federation",
                          {"actor": f"{peer.base}/bodies/{name}"})["status"] == "adopted"
        poll(lambda: outbox_row(a.db, peer.base) == [("refused", 1, 400),
                                                     ("delivered", 1, 202)])
    finally:
        peer.stop()


def test_both_journals_prove_their_state(nodes, joined):
    """After everything above (requests, answers, refusals, deliveries),
    each node's journal rebuilds its state: the relations and the
    activities taken are replayed from node.receive, whose signatures are
    checked again, and the refusals change nothing."""
    for s in (nodes["a"], nodes["b"]):
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--json", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr
        assert json.loads(p.stdout)["state"]["ok"]
    assert journal(nodes["b"].db, "node.refuse")


def test_audit_detects_a_peer_that_rolls_back_its_journal(nodes, joined):
    """B recorded the journal heads A's activities carried. While A's
    journal still has them, `pnyx journal audit` on B says so; once A's
    journal is cut back (an old backup put back, or a direct edit by whoever
    holds the database), the audit fails naming the entry lost. Last in
    this module: it leaves A rolled back."""
    a, b = nodes["a"], nodes["b"]
    seen = rows(b.db, "SELECT head_seq, head_hash FROM node_inbox WHERE peer = ?"
                " ORDER BY head_seq", a.base)
    assert len(seen) >= 2, seen  # the Join, the credential, the recall
    p = run("journal", "audit", a.base, "--db", b.db)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "%d journal heads" % len(seen) in p.stdout
    assert run("journal", "audit", "not-a-node", "--db", b.db).returncode == 2
    # A rolls back to before the last head it showed
    cut = seen[-1][0]
    a.settle(quiet=0.5)
    con = sqlite3.connect(a.db, timeout=10)
    con.execute("DROP TRIGGER journal_no_delete")
    con.execute("DELETE FROM journal WHERE seq >= ?", (cut,))
    con.commit()
    con.close()
    p = run("journal", "audit", a.base, "--json", "--db", b.db)
    assert p.returncode == 1, p.stdout + p.stderr
    out = json.loads(p.stdout)
    assert not out["ok"]
    assert [x["seq"] for x in out["rolled_back"]] == [s for s, _ in seen if s >= cut]
    assert out["rolled_back"][0]["now"] is None
    p = run("journal", "audit", a.base, "--db", b.db)
    assert p.returncode == 1 and "ROLLED BACK" in p.stdout
