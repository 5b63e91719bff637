"""Which addresses a node reaches (docs/nodes.md, "Which addresses a node
reaches"): with peer-addresses = public, the node fetches no key or actor
from, and delivers nothing to, an address of its own machine or network,
whatever a sender names in its signature's keyId or an assembly in the
address it decides to join.

A trap played by the test listens on loopback and serves a valid actor
document to anyone who asks: with the setting on, an inbox request whose
keyId names it, by 127.0.0.1, by a name that resolves to loopback
(localhost), by [::1] or by the IPv4-mapped [::ffff:127.0.0.1], is refused
and the trap sees no request at all; so is one naming 10.0.0.1 or the
link-local 169.254.169.254, at once (the guard refuses before connecting,
where a connection would wait its 5-second limit). The same request to the
same node with peer-addresses = any does reach the trap: the trap works,
and the setting is what stops it. The refusals of pnyx messages are
journalled (node.refuse) and change nothing else; a follow's is logged.
"""
import http.server
import json
import socket
import threading
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import RULES, Server, assert_clean_exit, decide, run, schedule_now
from nodes_common import pem_of, rows
from test_nodes_federation import post_signed, sign_activity

AS = "https://www.w3.org/ns/activitystreams"


class Trap(http.server.ThreadingHTTPServer):
    """Serves an actor document with an Ed25519 key at any /bodies/ path,
    and records every request it gets."""
    key = Ed25519PrivateKey.generate()

    def __init__(self, family, host):
        self.address_family = family
        self.seen = []
        trap = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                trap.seen.append(("GET", self.path))
                pem = pem_of(trap.key)
                me = "http://%s%s" % (self.headers["Host"], self.path)
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
                trap.seen.append(("POST", self.path))
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__((host, 0), H)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()


def signed_post(node, path, act, key_id):
    """POST act to node, signed (HTTP signature and the activity's own)
    with the trap's key under key_id."""
    return post_signed(node, path, sign_activity(act, Trap.key, key_id), Trap.key, key_id)


def join_from(origin, node, slug):
    actor = origin + "/bodies/elsewhere"
    act = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}],
           "id": origin + "/activities/join-1", "type": "Join", "actor": actor,
           "object": f"{node.base}/bodies/{slug}",
           "to": [f"{node.base}/bodies/{slug}"]}
    return act, actor + "#ed25519-key"


def state(node):
    return (rows(node.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"),
            rows(node.db, "SELECT * FROM node_relations"),
            rows(node.db, "SELECT * FROM node_inbox"),
            rows(node.db, "SELECT * FROM node_peers"))


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """A node with peer-addresses = public (what the Debian configuration
    sets; the tests' helper sets any), a delegate assembly on it, and the
    traps on IPv4 and IPv6 loopback."""
    node = Server(str(tmp_path_factory.mktemp("public")), args=(
        "--peer-addresses", "public"))
    v4 = Trap(socket.AF_INET, "127.0.0.1")
    v6 = Trap(socket.AF_INET6, "::1")
    try:
        founder, tok = node.user()
        cove = node.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
        assert decide(node, cove, tok, "found_federation", {
            "slug": "coast", "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(), "delegate": founder,
            "mandate": "Speak for the cove."})["status"] == "adopted"
        yield {"node": node, "v4": v4, "v6": v6, "cove": cove, "tok": tok}
    finally:
        for t in (v4, v6):
            t.shutdown()
            t.server_close()
        assert_clean_exit(*node.stop())


def origins(s):
    p4, p6 = s["v4"].port, s["v6"].port
    return [("127.0.0.1", f"http://127.0.0.1:{p4}"),
            ("localhost", f"http://localhost:{p4}"),
            ("[::1]", f"http://[::1]:{p6}"),
            ("[::ffff:127.0.0.1]", f"http://[::ffff:127.0.0.1]:{p4}")]


def test_a_join_whose_key_is_on_loopback_is_refused_without_a_fetch(setting):
    node = setting["node"]
    path = "/bodies/coast/inbox"
    before = state(node)
    refusals = len(rows(node.db, "SELECT 1 FROM journal WHERE action = 'node.refuse'"))
    for name, origin in origins(setting):
        act, key_id = join_from(origin, node, "coast")
        r = signed_post(node, path, act, key_id)
        # no key fetched: the node is as unknown as one that gave none
        assert r.status_code == 403, (name, r.text)
        assert r.json()["error"]["code"] == "unknown_peer", (name, r.text)
        refusals += 1
        got = rows(node.db, "SELECT payload FROM journal WHERE action = 'node.refuse'"
                   " ORDER BY seq")
        assert len(got) == refusals, name
        assert json.loads(got[-1][0])["code"] == "unknown_peer"
        assert "is not a public address" in node.stderr(), name
    assert setting["v4"].seen == [] and setting["v6"].seen == []
    assert state(node) == before


def test_private_link_local_and_cgnat_keys_are_refused_at_once(setting):
    node = setting["node"]
    before = state(node)
    for host in ("10.0.0.1", "169.254.169.254", "100.64.0.1", "192.168.1.1",
                 "[fd00::1]", "[::ffff:10.0.0.1]", "0.0.0.0"):
        act, key_id = join_from(f"http://{host}:81", node, "coast")
        t = time.time()
        r = signed_post(node, "/bodies/coast/inbox", act, key_id)
        # refused before any connection: a connection would wait its 5 s
        assert time.time() - t < 3, host
        assert r.status_code == 403, (host, r.text)
        assert f"{host.strip('[]')} is not a public address" in node.stderr(), host
    assert state(node) == before


def test_a_follow_whose_key_is_on_loopback_is_refused_without_a_fetch(setting):
    node = setting["node"]
    before = rows(node.db, "SELECT * FROM node_followers")
    for name, origin in origins(setting):
        actor = origin + "/bodies/reader"
        act = {"@context": AS, "id": actor + "#follow-1", "type": "Follow",
               "actor": actor, "object": f"{node.base}/bodies/{setting['cove']}"}
        r = signed_post(node, "/inbox", act, actor + "#main-key")
        assert r.status_code == 401, (name, r.text)
    assert setting["v4"].seen == [] and setting["v6"].seen == []
    assert rows(node.db, "SELECT * FROM node_followers") == before


def test_a_decision_to_join_an_assembly_on_loopback_is_not_delivered(setting):
    """The assembly decides (a decision stands); the node refuses to reach
    the address: the delivery waits with the reason, and nothing goes."""
    node, v4 = setting["node"], setting["v4"]
    target = f"http://localhost:{v4.port}/bodies/coast"
    m = decide(node, setting["cove"], setting["tok"], "join_remote_federation",
               {"actor": target}, title="Join a coast on loopback")
    assert m["status"] == "adopted", m
    end = time.time() + 15
    out = []
    while time.time() < end:
        out = json.loads(run("outbox", "--json", "--db", node.db, check=0).stdout)["outbox"]
        if out and out[0].get("last_error"):
            break
        time.sleep(0.1)
    assert out and "not a public address" in out[0]["last_error"], out
    assert out[0]["status"] != "delivered"
    assert v4.seen == []


def test_with_any_the_same_join_reaches_the_trap(setting):
    """The control: the trap answers, and the setting is what kept the
    node from it. Restarted with peer-addresses = any, the node fetches the
    key the Join names, on loopback."""
    node, v4 = setting["node"], setting["v4"]
    node.restart("--peer-addresses", "any")
    try:
        act, key_id = join_from(f"http://127.0.0.1:{v4.port}", node, "coast")
        signed_post(node, "/bodies/coast/inbox", act, key_id)
        assert ("GET", "/bodies/elsewhere") in v4.seen
    finally:
        node.restart("--peer-addresses", "public")


def test_the_setting_takes_public_or_any_only(tmp_path):
    db = tmp_path / "t.db"
    run("init", "--db", db, check=0)
    p = run("serve", "--db", db, "--peer-addresses", "private")
    assert p.returncode == 2
    assert "--peer-addresses" in p.stderr and "'private'" in p.stderr
    conf = tmp_path / "pnyx.conf"
    conf.write_text("peer-addresses = sometimes\n")
    p = run("serve", "--config", conf, "--db", db)
    assert p.returncode == 2 and "'sometimes'" in p.stderr
