"""Four nodes, and faults (issue 17, items 6 and 7; docs/nodes.md): four
`pnyx serve` processes on loopback ports, each with its own database.

Node H hosts the delegate assembly coast and the local assembly cove;
nodes N, S and E each run one local assembly (north, south, east), which
joined coast by its own decision and was accepted by coast's. While E is
down (killed, not stopped: a crash), coast adopts a proposal and then a
second version; north and cove accept, south rejects, and the condition
(three local assemblies) is not met yet. H crashes too, with what it
owes E waiting, and comes back. E comes back on the same address: H
catches it up, the two versions in the order they were
decided; east accepts the second, the condition is met, and the law
enters the registers of cove, north and east, each by its own
acceptance, and not south's.

Then the faults that are not crashes: a node replaying an old activity
(the very one, or the same under a new id) changes nothing; and when H
rolls its journal back, `pnyx journal audit` on N names what H showed and
no longer has."""
import signal
import sqlite3

import pytest

from conftest import RULES, Server, decide, run, schedule_now, unique
from nodes_common import peer_nodes
from test_nodes_federation import (SCHEDULE, free_port, journal, node_key, poll,
                                   post_signed, rows, sign_activity)


def relations(node, slug):
    r = node.get(f"/api/v1/bodies/{slug}/remote")
    assert r.status_code == 200, r.text
    return r.json()["relations"]


def offers(node, slug):
    rel = relations(node, slug)
    return rel[0]["offers"] if rel else []


def laws(node, slug):
    return [law["title"] for law in node.get(f"/api/v1/bodies/{slug}/laws").json()["laws"]]


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    nodes = {}
    with peer_nodes(SCHEDULE) as servers:
        for name in "HNSE":
            args = ("--listen", "127.0.0.1:%d" % free_port()) if name in "HE" else ()
            nodes[name] = Server(str(tmp_path_factory.mktemp("node_" + name)), args=args)
            servers.append(nodes[name])
            nodes[name].args = args
        h = nodes["H"]
        fh, th = h.user()
        cove = h.found(th, rule=RULES, schedule=schedule_now()).json()["slug"]
        coast = unique("c")
        assert decide(h, cove, th, "found_federation", {
            "slug": coast, "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(),
            "delegate": fh, "mandate": "Speak for the cove."})["status"] == "adopted"
        actor = f"{h.base}/bodies/{coast}"
        world = {"H": h, "th": th, "cove": cove, "coast": coast, "actor": actor,
                 "nodes": nodes}
        for name, local in (("N", "north"), ("S", "south"), ("E", "east")):
            n = nodes[name]
            _, tok = n.user()
            slug = n.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
            assert decide(n, slug, tok, "join_remote_federation",
                          {"actor": actor})["status"] == "adopted"
            world[local] = (n, slug, tok)
        asked = poll(lambda: len(relations(h, coast)) == 3 and relations(h, coast))
        for r in asked:
            assert decide(h, coast, th, "accept_remote_member",
                          {"request": r["id"]})["status"] == "adopted"
        for local in ("north", "south", "east"):
            n, slug, _ = world[local]
            poll(lambda: relations(n, slug)[0]["status"] == "active")
        yield world


def answer(world, local, version, what):
    n, slug, tok = world[local]
    offer = poll(lambda: [o for o in offers(n, slug) if o["version"] == version])[0]
    d = decide(n, slug, tok, "answer_remote_proposal", {"offer": offer["id"], "answer": what})
    assert d["status"] == "adopted", d
    return d


@pytest.fixture(scope="module")
def decided(four):
    w, h = four, four["H"]
    east = w["nodes"]["E"]
    # E crashes
    east.proc.send_signal(signal.SIGKILL)
    east.proc.wait(timeout=10)
    d = decide(h, w["coast"], w["th"], "adopt_proposal",
               {"condition": {"kind": "at_least", "n": 3}}, title="Night buses",
               text="Buses run at night.")
    assert d["status"] == "adopted", d
    proposal = h.get(f"/api/v1/bodies/{w['coast']}/proposals").json()["originated"][0]["id"]
    assert decide(h, w["coast"], w["th"], "new_proposal_version", {"proposal": proposal},
                  title="Night buses", text="Buses run all night.")["status"] == "adopted"
    answer(w, "north", 2, "accept")
    answer(w, "south", 2, "reject")
    assert decide(h, w["cove"], w["th"], "answer_proposal", {
        "proposal": proposal, "version": 2, "answer": "accept"})["status"] == "adopted"

    def status():
        return [v for v in h.get(f"/api/v1/proposals/{proposal}/status").json()["versions"]
                if v["version"] == 2][0]
    poll(lambda: status()["locals_accepted"] == 2)
    assert not status()["met"] and laws(*w["north"][:2]) == []
    # what waits for E, in order
    e_origin = east.base
    waiting = rows(h.db, "SELECT json_extract(activity, '$.object.version'), status FROM"
                   " node_outbox WHERE peer = ? ORDER BY id", e_origin)
    assert [v for v, s in waiting if v] == [1, 2], waiting
    assert all(s == "queued" for v, s in waiting if v)
    # H crashes too, with those activities waiting, and comes back: what
    # it acknowledged is still there to send
    h_origin = h.base
    h.proc.send_signal(signal.SIGKILL)
    h.proc.wait(timeout=10)
    h._err = open(h.stderr_path, "a")
    h._launch(h.args)
    assert h.base == h_origin
    # E comes back, on the same address
    east._err = open(east.stderr_path, "a")
    east._launch(east.args)
    assert east.base == e_origin
    n, slug, _ = w["east"]
    got = poll(lambda: len(offers(n, slug)) == 2 and offers(n, slug))
    assert sorted((o["id"], o["version"]) for o in got) == [(got[1]["id"], 1),
                                                            (got[0]["id"], 2)]
    answer(w, "east", 2, "accept")
    poll(lambda: status()["met"])
    return {"proposal": proposal}


def test_a_node_down_catches_up_and_the_law_enters_where_accepted(four, decided):
    w, h = four, four["H"]
    assert laws(h, w["cove"]) == ["Night buses"]
    for local in ("north", "east"):
        n, slug, _ = w[local]
        poll(lambda: laws(n, slug) == ["Night buses"])
    n, slug, _ = w["south"]
    assert laws(n, slug) == []
    st = h.get(f"/api/v1/proposals/{decided['proposal']}/status").json()
    v2 = [v for v in st["versions"] if v["version"] == 2][0]
    assert (v2["locals"], v2["locals_accepted"], v2["met"]) == (4, 3, True)
    got = {(a["node"], a["version"], a["answer"]) for a in st["remote"] if a["answer"]}
    assert got == {(w["north"][0].base, 2, "accept"), (w["south"][0].base, 2, "reject"),
                   (w["east"][0].base, 2, "accept")}
    # E's outbox and H's agree that everything was delivered
    out = rows(h.db, "SELECT count(*) FROM node_outbox WHERE status <> 'delivered'")
    assert out == [(0,)]


def test_an_old_activity_replayed_changes_nothing(four, decided):
    w, h = four, four["H"]
    n, slug, _ = w["east"]
    first = [e for e in journal(n.db, "node.receive")
             if e["activity"]["type"] == "Offer"][0]["activity"]
    key, kid = node_key(h.db), f"{w['actor']}#main-key"
    before = (rows(n.db, "SELECT * FROM node_offers ORDER BY id"),
              rows(n.db, "SELECT * FROM laws ORDER BY id"),
              rows(n.db, "SELECT count(*) FROM journal"))
    # the very activity, resent: dropped as a duplicate
    r = post_signed(n, f"/bodies/{slug}/inbox", first, key, kid)
    assert r.status_code == 202 and r.json()["duplicate"] is True
    assert before[2] == rows(n.db, "SELECT count(*) FROM journal")
    # the same offer under a new id: that version was offered already
    again = sign_activity(dict(first, id=f"{h.base}/activities/offer-again-{unique()}"),
                          key, kid)
    r = post_signed(n, f"/bodies/{slug}/inbox", again, key, kid)
    assert r.status_code == 409 and r.json()["error"]["field"] == "object", r.text
    # a request recorded long ago, replayed: its Date is stale
    r = post_signed(n, f"/bodies/{slug}/inbox", again, key, kid,
                    date="Mon, 02 Jan 2023 10:00:00 GMT")
    assert r.status_code == 401
    assert before[:2] == (rows(n.db, "SELECT * FROM node_offers ORDER BY id"),
                          rows(n.db, "SELECT * FROM laws ORDER BY id"))


def test_every_journal_proves_its_state(four, decided):
    for s in four["nodes"].values():
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr


def test_audit_catches_a_node_that_rolls_back(four, decided):
    """Last: it leaves H rolled back."""
    w, h = four, four["H"]
    n = w["north"][0]
    p = run("journal", "audit", h.base, "--db", n.db)
    assert p.returncode == 0, p.stdout + p.stderr
    seen = rows(n.db, "SELECT head_seq FROM node_inbox WHERE peer = ? ORDER BY head_seq",
                h.base)
    h.settle(quiet=0.5)
    con = sqlite3.connect(h.db, timeout=10)
    con.execute("DROP TRIGGER journal_no_delete")
    con.execute("DELETE FROM journal WHERE seq >= ?", (seen[-1][0],))
    con.commit()
    con.close()
    p = run("journal", "audit", h.base, "--db", n.db)
    assert p.returncode == 1 and "ROLLED BACK" in p.stdout, p.stdout + p.stderr
