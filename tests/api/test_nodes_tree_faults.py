"""The federation tree of issue 17, item 6, with faults (item 7;
docs/nodes.md, "Four nodes, and faults"): the same four nodes, the same
decisions (nodes_tree.py), and

1. node C killed (SIGKILL, a crash) once ridge has received the proposal
   and before it answers, and served again on the same database and
   address while the proposal travels on;
2. a partition that heals: node D is reached through a TCP proxy the test
   blocks (nodes_proxy.py) from when the proposal is sent down until both
   offers beneath wait, B's for dune and C's for delta;
3. those waiting deliveries duplicated and reordered: the test delivers
   them itself, as B and C signed them, C's first though B sent first,
   each twice, before the healed proxy lets the nodes' own deliveries
   through;
4. forged activities at the middle nodes B and C: a bad signature, a node
   nobody decided to trust, a replay of an old activity (the very one,
   under a new id, and with an old date), and answers that claim an effect
   in another node's register.

The end state is checked as test_nodes_tree.py checks the fault-free one
(the same functions): the seats, every register, and top's status of who
answered and which node reported what. Nothing forged takes effect, each
refusal is a node.refuse entry in the receiving node's journal, each node
takes each activity once, and `pnyx journal verify --state` passes on
every node."""
import json
import signal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import unique
from nodes_proxy import Proxy, deliver_as
from nodes_tree import (check_journals, check_registers, check_seats, check_status,
                        elect_everywhere_and_recall_one, grow_tree, pass_proposal, received)
from test_nodes_federation import (AS, free_port, journal, node_key, poll, post_signed, rows,
                                   sign_activity)

# retries every 50 to 400 ms, and a peer is unavailable only after a
# minute: longer than any fault here lasts
SCHEDULE = "50,400,60"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    proxy = Proxy()
    args = {"C": ("--listen", "127.0.0.1:%d" % free_port()),
            "D": ("--public-url", proxy.base)}

    def started(nodes):
        proxy.upstream = nodes["D"].port
    try:
        with grow_tree(tmp_path_factory, "faults_", args, SCHEDULE, started) as w:
            w["proxy"] = proxy
            w["recall"] = elect_everywhere_and_recall_one(w)
            yield w
    finally:
        proxy.close()


def waiting(sender, receiver):
    """What sender's outbox holds for receiver, not delivered yet, tried at
    least twice (the partition is felt)."""
    return rows(sender.db, "SELECT activity FROM node_outbox WHERE peer = ? AND"
                " status = 'queued' AND attempts >= 2 ORDER BY id", receiver.public)


def queued(node):
    return rows(node.db, "SELECT id FROM node_outbox WHERE status = 'queued'")


@pytest.fixture(scope="module")
def passed(tree):
    w = tree
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    proxy, faults = w["proxy"], {}

    def at(step):
        if step == "sent":
            # 1. C crashes once ridge has the proposal, before it answers
            poll(lambda: received(c, w["ridge"], 1))
            c.proc.send_signal(signal.SIGKILL)
            c.proc.wait(timeout=10)
            # 2. D cut off from the nodes above it
            proxy.blocked = True
        elif step == "bay accepted":
            # bay's offer to dune waits on B; C comes back on its database
            # and address, and ridge still has the proposal to answer
            faults["B"] = poll(lambda: waiting(b, d))
            assert [json.loads(x)["type"] for (x,) in faults["B"]] == ["Offer"]
            origin = c.base
            c._err = open(c.stderr_path, "a")
            c._launch(c.args)
            assert c.base == origin
        elif step == "ridge accepted":
            faults["C"] = poll(lambda: waiting(c, d))
            assert [json.loads(x)["type"] for (x,) in faults["C"]] == ["Offer"]
            assert received(d, w["dune"], 1) == [] and received(d, w["delta"], 1) == []
            # 3. delivered by the test: C's before B's, each twice; the
            # second is taken as a duplicate and changes nothing
            host = "127.0.0.1:%d" % proxy.port
            for name, local in (("C", w["delta"]), ("B", w["dune"])):
                (text,) = faults[name][0]
                for again in (False, True):
                    r = deliver_as(w["nodes"][name], d, host, f"/bodies/{local}/inbox", text)
                    assert r.status_code == 202, r.text
                    assert bool(r.json().get("duplicate")) == again, r.text
                assert len(received(d, local, 1)) == 1
            # healed: B's and C's own deliveries arrive as duplicates
            proxy.blocked = False
            poll(lambda: not queued(b) and not queued(c))
    got = pass_proposal(w, at)
    got["faults"] = faults
    return got


def test_the_seats_are_the_fault_free_ones(tree, passed):
    check_seats(tree, tree["recall"])


def test_the_registers_are_the_fault_free_ones(tree, passed):
    check_registers(tree)


def test_the_status_at_the_top_is_the_fault_free_one(tree, passed):
    check_status(tree, passed)


def test_each_delivery_duplicated_was_taken_once(tree, passed):
    d = tree["nodes"]["D"]
    offers = [e["activity"]["id"] for e in journal(d.db, "node.receive")
              if e["activity"]["type"] == "Offer"]
    for sender in "BC":
        (text,) = passed["faults"][sender][0]
        assert offers.count(json.loads(text)["id"]) == 1
    # two versions, to each of dune and delta
    assert len(offers) == 4


def state(node):
    """What a forged activity could change on a node."""
    return (rows(node.db, "SELECT * FROM node_offers ORDER BY id"),
            rows(node.db, "SELECT * FROM node_answers ORDER BY id"),
            rows(node.db, "SELECT * FROM node_relations ORDER BY id"),
            rows(node.db, "SELECT * FROM laws ORDER BY id"),
            rows(node.db, "SELECT * FROM proposal_sums ORDER BY 1, 2, 3"),
            rows(node.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))


def refusals(node):
    return journal(node.db, "node.refuse")


def test_forged_activities_at_the_middle_nodes_are_refused_and_journalled(tree, passed):
    w = tree
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    for s in w["nodes"].values():
        s.settle(quiet=0.5)
    before = {n: state(w["nodes"][n]) for n in "ABCD"}
    was = {n: len(refusals(w["nodes"][n])) for n in "BC"}
    bay_inbox, ridge_inbox = f"/bodies/{w['bay']}/inbox", f"/bodies/{w['ridge']}/inbox"
    dune, delta = f"{d.public}/bodies/{w['dune']}", f"{d.public}/bodies/{w['delta']}"
    dkey = node_key(d.db)

    def offer_from(node, slug, to, version):
        """The id of the offer node's slug sent to the assembly to."""
        return f"{node.public}/activities/" + rows(
            node.db, "SELECT o.activity_id FROM node_offers o JOIN node_relations r ON"
            " r.id = o.relation_id WHERE o.side = 'sent' AND o.version = ? AND"
            " r.remote_actor = ?", version, to)[0][0]

    def answer(actor, offer, what="accept"):
        return {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}],
                "type": "Accept" if what == "accept" else "Reject",
                "id": f"{d.public}/activities/f-{unique()}", "actor": actor,
                "object": offer,
                "pnyx:decision": {"id": 1, "url": f"{d.public}/motion.html?id=1",
                                  "title": "x"},
                "pnyx:answer": {"answer": what, "reasons": "", "population": 50000}}

    def refused(node, r, status, field=None, code=None):
        assert r.status_code in (status if isinstance(status, tuple) else (status,)), r.text
        if field:
            assert r.json()["error"]["field"] == field, r.text
        if code:
            assert r.json()["error"]["code"] == code, r.text
        got = refusals(node)[-1]
        assert got["activity"] == json.loads(r.request.body)["id"], got
    # B: delta rejects bay's offer to dune, signed with a key that is not
    # D's (a bad signature)
    other, kid = Ed25519PrivateKey.generate(), f"{delta}#main-key"
    act = sign_activity(answer(delta, offer_from(b, w["bay"], dune, 2), "reject"), other, kid)
    refused(b, post_signed(b, bay_inbox, act, other, kid), 401, code="bad_signature")
    # B: a node nobody here decided to trust answers for dune
    stranger, sid = Ed25519PrivateKey.generate(), "http://127.0.0.1:9/bodies/far#main-key"
    act = dict(answer("http://127.0.0.1:9/bodies/far", offer_from(b, w["bay"], dune, 2)),
               id=f"http://127.0.0.1:9/activities/f-{unique()}")
    r = post_signed(b, bay_inbox, sign_activity(act, stranger, sid), stranger, sid)
    assert r.status_code in (401, 403), r.text
    assert len(refusals(b)) == was["B"] + 2
    # B: an effect in another node's register: D, signed as D, answers in
    # bay's inbox the offer C made to delta
    kid = f"{delta}#main-key"
    act = sign_activity(answer(delta, offer_from(c, w["ridge"], delta, 2)), dkey, kid)
    r = post_signed(b, bay_inbox, act, dkey, kid)
    assert r.status_code in (400, 403, 409), r.text
    assert len(refusals(b)) == was["B"] + 3
    # C: dune answers the offer C made to delta (an assembly speaking for
    # another's place in ridge)
    kid = f"{dune}#main-key"
    act = sign_activity(answer(dune, offer_from(c, w["ridge"], delta, 2)), dkey, kid)
    refused(c, post_signed(c, ridge_inbox, act, dkey, kid), 403, field="actor")
    # C: B signs delta's answer: a node speaking for an assembly on another
    bkey, kid = node_key(b.db), f"{b.public}/bodies/{w['bay']}#main-key"
    act = sign_activity(answer(delta, offer_from(c, w["ridge"], delta, 2)), bkey, kid)
    r = post_signed(c, ridge_inbox, act, bkey, kid)
    assert r.status_code in (401, 403), r.text
    assert len(refusals(c)) == was["C"] + 2
    # C: an old activity replayed: top's first offer to ridge, the very
    # one (a duplicate, dropped), under a new id (that version was offered
    # already), and recorded long ago (its Date is stale)
    first = [e for e in journal(c.db, "node.receive") if e["activity"]["type"] == "Offer"
             and e["activity"]["actor"].startswith(a.public)][0]["activity"]
    akey, kid = node_key(a.db), f"{a.public}/bodies/{w['top']}#main-key"
    r = post_signed(c, ridge_inbox, first, akey, kid)
    assert r.status_code == 202 and r.json()["duplicate"] is True, r.text
    again = sign_activity(dict(first, id=f"{a.public}/activities/again-{unique()}"), akey, kid)
    refused(c, post_signed(c, ridge_inbox, again, akey, kid), 409, field="object")
    r = post_signed(c, ridge_inbox, again, akey, kid, date="Mon, 02 Jan 2023 10:00:00 GMT")
    assert r.status_code == 401, r.text
    assert len(refusals(c)) == was["C"] + 4
    # A: B reports, signed as B, that west (an assembly of A, which never
    # joined bay) accepted beneath bay: an effect in A's own register
    wa = len(refusals(a))
    bay, bkid = f"{b.public}/bodies/{w['bay']}", f"{b.public}/bodies/{w['bay']}#main-key"
    report = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}], "type": "Accept",
              "id": f"{b.public}/activities/f-{unique()}", "actor": bay,
              "object": offer_from(a, w["top"], bay, 2),
              "pnyx:decision": {"id": 1, "url": f"{b.public}/motion.html?id=1", "title": "x"},
              "pnyx:answer": {"answer": "accept", "reasons": "", "population": 9000,
                              "locals": 3, "beneath": [
                                  {"assembly": f"{a.public}/bodies/{w['west']}",
                                   "node": a.public, "reportedBy": a.public,
                                   "answer": "accept", "population": 6000}]}}
    r = post_signed(a, f"/bodies/{w['top']}/inbox", sign_activity(report, bkey, bkid),
                    bkey, bkid)
    refused(a, r, 403, field="pnyx:answer")
    assert len(refusals(a)) == wa + 1
    # nothing forged took effect, on any node
    for s in w["nodes"].values():
        s.settle(quiet=0.3)
    assert {n: state(w["nodes"][n]) for n in "ABCD"} == before


def test_every_journal_proves_its_state(tree, passed):
    check_journals(tree)
