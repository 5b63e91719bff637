"""A node rotates its key (issue 17; docs/nodes.md, "Key rotation"): three
`pnyx serve` processes on loopback ports.

Node H hosts the delegate assembly coast; node M's north and node X's
west joined it. While H is down, north elects a delegate: the credential
waits in M's outbox, signed with M's key. M is stopped and its operator
runs `pnyx node rotate-key` (refused while M serves): M journals the
rotation, publishes the new key in its actor documents, and queues for H
(the one node it has a relationship with) an Update signed with the OLD
key announcing the new, ahead of the credential, now signed again with
the new key. H comes back on its address: it takes the rotation (the
request signed with the new key, the activity with the old it had
pinned), then the credential. From then on H refuses M's old key; what
it journalled before still verifies, with the key of its time. X, which
has no relationship with M, is not told.
"""
import base64
import json
import os
import socket

import pytest
import requests
from cryptography.hazmat.primitives import serialization

from test_actors import multikey_ed25519
from conftest import RULES, Server, assert_clean_exit, decide, run, schedule_now, unique
from nodes_common import peer_nodes
from test_nodes_federation import (AS, SCHEDULE, journal, node_key, poll, post_signed,
                                   rows, sign_activity)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def relations(node, slug):
    r = node.get(f"/api/v1/bodies/{slug}/remote")
    assert r.status_code == 200, r.text
    return r.json()["relations"]


def raw(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw).hex()


def pem_key(node, slug):
    """The node's Ed25519 key as a body's actor document publishes it: the
    Multikey of assertionMethod (publicKey is the RSA key that signs what
    goes to fediverse followers, docs/nodes.md)."""
    doc = requests.get(f"{node.base}/bodies/{slug}",
                       headers={"Accept": "application/activity+json"}, timeout=10).json()
    [method] = doc["assertionMethod"]
    return multikey_ed25519(method["publicKeyMultibase"]).hex()


def start_again(node, port):
    """Serve a stopped node's database again, on its address."""
    node._err = open(node.stderr_path, "a")
    node._launch(("--listen", f"127.0.0.1:{port}"))


def peer_keys(node):
    p = run("peers", "--json", "--db", node.db, check=0)
    return {x["origin"]: x["key"] for x in json.loads(p.stdout)["peers"]}


@pytest.fixture(scope="module")
def fed(tmp_path_factory):
    hport, mport = free_port(), free_port()
    with peer_nodes(SCHEDULE) as servers:
        h = Server(str(tmp_path_factory.mktemp("node_h")), ("--listen", f"127.0.0.1:{hport}"))
        servers.append(h)
        m = Server(str(tmp_path_factory.mktemp("node_m")), ("--listen", f"127.0.0.1:{mport}"))
        servers.append(m)
        x = Server(str(tmp_path_factory.mktemp("node_x")))
        servers.append(x)
        ch, th = h.user()
        nd, tm = m.user()
        xd, tx = x.user()
        cove = h.found(th, rule=RULES, schedule=schedule_now()).json()["slug"]
        coast = unique("c")
        assert decide(h, cove, th, "found_federation", {
            "slug": coast, "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(),
            "delegate": ch, "mandate": "Speak for the cove."})["status"] == "adopted"
        actor = f"{h.base}/bodies/{coast}"
        north = m.found(tm, rule=RULES, schedule=schedule_now()).json()["slug"]
        west = x.found(tx, rule=RULES, schedule=schedule_now()).json()["slug"]
        for node, slug, tok in ((m, north, tm), (x, west, tx)):
            assert decide(node, slug, tok, "join_remote_federation",
                          {"actor": actor})["status"] == "adopted"
        asked = poll(lambda: len(relations(h, coast)) == 2 and relations(h, coast))
        for rel in asked:
            assert decide(h, coast, th, "accept_remote_member",
                          {"request": rel["id"]})["status"] == "adopted"
        for node, slug in ((m, north), (x, west)):
            poll(lambda: relations(node, slug)[0]["status"] == "active")
        yield {"h": h, "m": m, "x": x, "th": th, "tm": tm, "nd": nd, "coast": coast,
               "north": north, "west": west, "actor": actor, "hport": hport,
               "mport": mport, "servers": servers}


@pytest.fixture(scope="module")
def rotated(fed):
    f, h, m = fed, fed["h"], fed["m"]
    old_key = node_key(m.db)
    old_pem = pem_key(m, f["north"])
    assert old_pem == raw(old_key)
    assert peer_keys(h)[m.base] == raw(old_key)
    # a vote-free first activity, journalled at H with the old key
    first = journal(h.db, "node.receive")
    assert any(e["peer"] == m.base and e["key"] == raw(old_key) for e in first)
    # H goes down; north elects its delegate: the credential waits
    assert_clean_exit(*h.stop())
    d = decide(m, f["north"], f["tm"], "elect_remote_delegate", {
        "actor": f["actor"], "delegate": f["nd"], "mandate": "Night buses."})
    assert d["status"] == "adopted", d
    # the operator may not rotate under a running server
    p = run("node", "rotate-key", "--db", m.db, check=1)
    assert "stop it first" in p.stderr
    assert raw(node_key(m.db)) == raw(old_key)
    assert_clean_exit(*m.stop())
    with open(m.db + ".key", "rb") as fh:
        old_bytes = fh.read()
    p = run("node", "rotate-key", "--db", m.db, "--json", check=0)
    out = json.loads(p.stdout)
    new_key = node_key(m.db)
    assert out["old_key"] == raw(old_key) and out["new_key"] == raw(new_key)
    assert out["old_key"] != out["new_key"]
    assert out["told"] == [h.base] and out["resigned"] == 1, out
    # journalled, and the journal proves the state with the new key
    rot = journal(m.db, "node.rotate_key")
    assert [(r["old_key"], r["new_key"]) for r in rot] == [(out["old_key"], out["new_key"])]
    assert run("journal", "verify", "--state", "--db", m.db).returncode == 0
    # as if M had crashed after the commit, before the new key file took
    # the old one's place: the next start completes the rotation
    with open(m.db + ".key", "rb") as fh:
        new_bytes = fh.read()
    with open(m.db + ".key.new", "wb") as fh:
        fh.write(new_bytes)
    with open(m.db + ".key", "wb") as fh:
        fh.write(old_bytes)
    start_again(m, f["mport"])
    assert not os.path.exists(m.db + ".key.new")
    assert raw(node_key(m.db)) == raw(new_key)
    assert pem_key(m, f["north"]) == raw(new_key)
    start_again(h, f["hport"])
    return {"old": old_key, "new": new_key, "elected": d["id"]}


def test_the_peer_learns_the_new_key_before_what_is_signed_with_it(fed, rotated):
    f, h, m = fed, fed["h"], fed["m"]
    got = poll(lambda: [r for r in relations(h, f["coast"]) if r["delegates"]])
    assert got[0]["delegates"][0]["delegate"] == f"{m.base}/people/{f['nd']}"
    assert peer_keys(h)[m.base] == raw(rotated["new"])
    taken = [e for e in journal(h.db, "node.receive") if e["peer"] == m.base]
    upd, add = taken[-2], taken[-1]
    # the rotation: its own signature by the old key, which H had pinned
    assert upd["activity"]["type"] == "Update" and upd["key"] == raw(rotated["old"])
    assert upd["activity"]["object"]["previousKey"] == raw(rotated["old"])
    rotated["old"].public_key().verify(
        base64.b64decode(upd["activity"]["signature"]["signatureValue"]),
        json.dumps({k: v for k, v in upd["activity"].items() if k != "signature"},
                   sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    # the credential decided before the rotation, signed again with the new key
    assert add["activity"]["type"] == "Add" and add["key"] == raw(rotated["new"])
    assert add["activity"]["pnyx:decision"]["id"] == rotated["elected"]
    # X has no relationship with M: it was not told, and knows M not at all
    assert m.base not in peer_keys(f["x"])
    # M's outbox: the rotation went first, then the credential
    out = json.loads(run("outbox", "--json", "--db", m.db, check=0).stdout)["outbox"]
    assert [(o["type"], o["status"]) for o in out[:2]] == [
        ("Add", "delivered"), ("Update", "delivered")]


def test_the_old_key_is_refused_after_the_rotation(fed, rotated):
    f, h, m = fed, fed["h"], fed["m"]
    old, new = rotated["old"], rotated["new"]
    kid = f"{m.base}/bodies/{f['north']}#main-key"
    inbox = f"/bodies/{f['coast']}/inbox"
    state = lambda: (rows(h.db, "SELECT * FROM node_credentials ORDER BY id"),  # noqa: E731
                     rows(h.db, "SELECT * FROM node_peers ORDER BY 1"),
                     rows(h.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))
    before = state()
    recall = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}],
              "id": f"{m.base}/activities/recall-{unique()}", "type": "Remove",
              "actor": f"{m.base}/bodies/{f['north']}", "target": f["actor"],
              "object": f"{m.base}/activities/credential-{rotated['elected']}"}
    # signed with the old key throughout: refused
    r = post_signed(h, inbox, sign_activity(recall, old, kid), old, kid)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature", r.text
    # a request with the new key over an activity signed with the old: refused
    r = post_signed(h, inbox, sign_activity(recall, old, kid), new, kid)
    assert r.status_code == 401 and r.json()["error"]["field"] == "signature", r.text
    # the rotation resent is a duplicate
    upd = [e for e in journal(h.db, "node.receive")
           if e["activity"]["type"] == "Update"][-1]["activity"]
    r = post_signed(h, inbox, upd, new, kid)
    assert r.status_code == 202 and r.json().get("duplicate") is True, r.text
    # a second rotation forged by whoever holds the OLD key only: refused
    forged = dict(upd, id=f"{m.base}/activities/key-{unique()}")
    r = post_signed(h, inbox, sign_activity(forged, old, kid), old, kid)
    assert r.status_code == 401, r.text
    assert state() == before
    assert journal(h.db, "node.refuse")[-1]["code"] == "bad_signature"


def test_every_journal_still_proves_its_state(fed, rotated):
    for s in fed["servers"]:
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr
    words = run("journal", "show", "--db", fed["m"].db, check=0).stdout
    assert "Signing key of this node renewed" in words
