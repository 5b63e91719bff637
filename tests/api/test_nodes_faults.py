"""Faults between two nodes (issue 17, item 7; docs/nodes.md, "Four
nodes, and faults"): a partition that heals, and deliveries duplicated and
reordered, end in the state the same decisions reach without a fault;
nothing is applied twice, and what is refused is journalled on the node
that refused it.

Node B is reached through a TCP proxy played by the test (B's public
address is the proxy's): blocking the proxy cuts A's deliveries to B
(connections refused) while A's assemblies go on deciding, and nothing
is half-delivered while it is blocked, so the test can then deliver A's
queued activities itself, signed with A's key as A signed them, in
another order and twice, before the proxy lets A's own deliveries through.

The fault-free end state is the one tests/api/test_nodes_federation.py
checks for the same decisions: the member's first delegate seated, then
recalled; the second seated with the mandate decided.
"""
import contextlib
import json

import pytest

from conftest import RULES, Server, decide, run, schedule_now, unique
from nodes_common import journal, peer_nodes, poll, rows
from nodes_proxy import Proxy, deliver_as

SCHEDULE = "50,400,60"  # retries every 50 to 400 ms


def deliver_as_a(nodes, activity_text):
    """POST one of A's queued activities to B as A's deliverer does: the
    activity as A signed it, the request signed with A's key, the Host
    the proxy's (B's public address)."""
    return deliver_as(nodes["a"], nodes["b"], "127.0.0.1:%d" % nodes["proxy"].port,
                      f"/bodies/{nodes['coast']}/inbox", activity_text)


def delegates(node, slug):
    rel = node.get(f"/api/v1/bodies/{slug}/remote").json()["relations"]
    assert len(rel) == 1 and rel[0]["status"] == "active", rel
    return [(d["delegate"].rsplit("/", 1)[-1], d["mandate"], bool(d["recalled_at"]))
            for d in rel[0]["delegates"]]


def queued(db):
    return rows(db, "SELECT id, json_extract(activity, '$.type'), activity, attempts"
                " FROM node_outbox"
                " WHERE status = 'queued' ORDER BY id")


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    proxy = Proxy()
    with contextlib.closing(proxy), peer_nodes(SCHEDULE) as servers:
        a = Server(str(tmp_path_factory.mktemp("fa")))
        servers.append(a)
        b = Server(str(tmp_path_factory.mktemp("fb")), args=("--public-url", proxy.base))
        servers.append(b)
        proxy.upstream = b.port
        fa, ta = a.user()
        fb, tb = b.user()
        harbour = a.found(ta, name="Harbour Assembly", rule=RULES,
                          schedule=schedule_now()).json()["slug"]
        cove = b.found(tb, rule=RULES, schedule=schedule_now()).json()["slug"]
        coast = unique("c")
        assert decide(b, cove, tb, "found_federation", {
            "slug": coast, "name": "Coast Transport", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(), "delegate": fb,
            "mandate": "Speak for the cove."})["status"] == "adopted"
        coast_actor = f"{proxy.base}/bodies/{coast}"
        assert decide(a, harbour, ta, "join_remote_federation",
                      {"actor": coast_actor})["status"] == "adopted"
        offered = poll(lambda: b.get(f"/api/v1/bodies/{coast}/remote").json()["relations"])
        assert decide(b, coast, tb, "accept_remote_member",
                      {"request": offered[0]["id"]})["status"] == "adopted"
        poll(lambda: a.get(f"/api/v1/bodies/{harbour}/remote").json()["relations"][0]
             ["status"] == "active")
        yield {"a": a, "b": b, "proxy": proxy, "ta": ta, "fa": fa, "harbour": harbour,
               "coast": coast, "coast_actor": coast_actor}


def test_a_partition_that_heals(nodes):
    """B unreachable while A elects its delegate: the credential waits in
    A's outbox, tried again and again; healed, it arrives once."""
    a, b, proxy = nodes["a"], nodes["b"], nodes["proxy"]
    proxy.blocked = True
    m = decide(a, nodes["harbour"], nodes["ta"], "elect_remote_delegate", {
        "actor": nodes["coast_actor"], "delegate": nodes["fa"],
        "mandate": "Argue for night buses."}, title="Our delegate")
    assert m["status"] == "adopted", m
    poll(lambda: [q for q in queued(a.db) if q[1] == "Add" and q[3] >= 3])
    assert delegates(b, nodes["coast"]) == []
    proxy.blocked = False
    poll(lambda: not queued(a.db))
    assert delegates(b, nodes["coast"]) == [(nodes["fa"], "Argue for night buses.", False)]
    adds = [e for e in journal(b.db, "node.receive") if e["activity"]["type"] == "Add"]
    assert len(adds) == 1
    assert adds[0]["activity"]["pnyx:decision"]["id"] == m["id"]


def test_duplicated_and_reordered_deliveries(nodes):
    """A recalls its delegate and elects them again with a new mandate,
    while B is unreachable. B then gets the second decision first, both
    twice, and A's own deliveries after: the end state is the fault-free
    one, each activity taken once, the one out of order refused and
    journalled (and taken when it comes again in its place)."""
    a, b, proxy = nodes["a"], nodes["b"], nodes["proxy"]
    proxy.blocked = True
    r1 = decide(a, nodes["harbour"], nodes["ta"], "recall_remote_delegate", {
        "actor": nodes["coast_actor"], "delegate": nodes["fa"]}, title="Recall")
    assert r1["status"] == "adopted", r1
    e2 = decide(a, nodes["harbour"], nodes["ta"], "elect_remote_delegate", {
        "actor": nodes["coast_actor"], "delegate": nodes["fa"],
        "mandate": "Now argue for ferries."}, title="Again")
    assert e2["status"] == "adopted", e2
    waiting = poll(lambda: len(queued(a.db)) == 2 and queued(a.db))
    assert [q[1] for q in waiting] == ["Remove", "Add"]
    remove, add = waiting[0][2], waiting[1][2]
    refused_before = len(journal(b.db, "node.refuse"))
    # the later first: refused, since the first delegate still sits, and
    # the refusal journalled on B, with nothing else changed
    seats = delegates(b, nodes["coast"])
    first = deliver_as_a(nodes, add)
    assert first.status_code == 409, first.text
    assert first.json()["error"]["code"] == "conflict"
    got = journal(b.db, "node.refuse")
    assert len(got) == refused_before + 1 and got[-1]["code"] == "conflict"
    assert (got[-1]["activity"], got[-1]["type"], got[-1]["signed"]) == (
        json.loads(add)["id"], "Add", True)
    assert delegates(b, nodes["coast"]) == seats
    # then the earlier, twice
    for _ in range(2):
        r = deliver_as_a(nodes, remove)
        assert r.status_code == 202, r.text
    assert deliver_as_a(nodes, remove).json().get("duplicate") is True
    # the later again, now in its place
    r = deliver_as_a(nodes, add)
    assert r.status_code == 202, r.text
    # healed: A's own deliveries of both arrive as duplicates
    proxy.blocked = False
    poll(lambda: not queued(a.db))
    assert sorted(delegates(b, nodes["coast"])) == [
        (nodes["fa"], "Argue for night buses.", True),
        (nodes["fa"], "Now argue for ferries.", False)]
    ids = [e["activity"]["id"] for e in journal(b.db, "node.receive")]
    assert len(ids) == len(set(ids)), ids
    assert json.loads(remove)["id"] in ids and json.loads(add)["id"] in ids
    # A's record agrees, and both journals rebuild their state
    mine = a.get(f"/api/v1/bodies/{nodes['harbour']}/remote").json()["relations"][0]
    assert sorted((d["delegate"], bool(d["recalled_at"])) for d in mine["delegates"]) == [
        (nodes["fa"], False), (nodes["fa"], True)]
    for s in (a, b):
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr


def test_each_side_shows_the_other_assembly_by_its_name(nodes):
    """Issue 17: an assembly on another node is shown by the name its
    actor document gives, kept when this node fetched it (the delegate
    assembly's before the request to join went; the asking assembly's
    when its request came), not by the last part of its address."""
    a, b = nodes["a"], nodes["b"]
    mine = a.get(f"/api/v1/bodies/{nodes['harbour']}/remote").json()["relations"]
    assert [(r["remote"], r["remote_name"]) for r in mine] == [
        (nodes["coast_actor"], "Coast Transport")]
    theirs = b.get(f"/api/v1/bodies/{nodes['coast']}/remote").json()["relations"]
    assert [(r["remote"], r["remote_name"]) for r in theirs] == [
        (f"{a.base}/bodies/{nodes['harbour']}", "Harbour Assembly")]
