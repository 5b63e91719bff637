"""Delegates from other nodes vote (issue 17; docs/nodes.md, "Delegates
from other nodes vote"): two `pnyx serve` processes on loopback ports.

Node H hosts the delegate assembly coast (member: cove, on H, whose
delegate is ch). Node M's local assembly north joined coast, and elected
its delegate nd by its own decision: a signed credential. nd has no
account on H: signed in on M, nd votes on coast's motions, and M sends
the vote signed, naming the credential. H counts it with the weight of
north's seat. When north recalls nd, the recall takes effect on arrival:
the seat ends and nd's vote on a motion still open is withdrawn at once;
a vote sent after (or a forged one) is refused and changes nothing.
"""
import pytest

from conftest import decide, run, submit, unique
from nodes_coast import afar, coast_nodes, open_motion, vote_from_m
from test_nodes_federation import AS, journal, node_key, poll, post_signed, rows, sign_activity


@pytest.fixture(scope="module")
def fed(tmp_path_factory):
    def other_joins_north(f):
        f["other"], f["to"] = f["m"].user()
        r = f["m"].post(f"/api/v1/bodies/{f['north']}/members",
                        {"affirm": True, "basis": "lives"}, token=f["to"])
        assert r.status_code == 201, r.text

    with coast_nodes(tmp_path_factory, before_joining=other_joins_north) as f:
        yield f


def test_a_delegate_from_another_node_votes_with_their_seat(fed):
    f, h, m = fed, fed["h"], fed["m"]
    motion = open_motion(f, "Night buses on the coast road")
    r = h.post(f"/api/v1/motions/{motion}/votes", {"position": "no"}, token=f["th"])
    assert r.status_code == 201, r.text
    r = vote_from_m(f, motion, "yes")
    assert r.status_code == 202, r.text
    assert r.json()["to"] == f["actor"]
    got = poll(lambda: afar(f, motion))
    assert [(v["delegate"], v["assembly"], v["position"]) for v in got] == [
        (f"{m.base}/people/{f['nd']}", f"{m.base}/bodies/{f['north']}", "yes")]
    # the live counts weigh it as north's seat: one voice each
    w = h.get(f"/api/v1/motions/{motion}/counts").json()["weighted"]
    assert (w["counts"].get("yes"), w["counts"].get("no"), w["members"]) == (1, 1, 2), w
    # nd changes their mind while the vote is open: the last one counts
    assert vote_from_m(f, motion, "abstain").status_code == 202
    poll(lambda: [v["position"] for v in afar(f, motion)] == ["abstain"])
    r = h.post(f"/api/v1/motions/{motion}/voting/close", token=f["th"])
    assert r.status_code == 200, r.text
    res = r.json()["result"]["counts"]
    assert (res.get("no"), res.get("abstain"), res.get("yes", 0)) == (1, 1, 0), res
    # H journalled each vote as received, signed by M
    votes = [e for e in journal(h.db, "node.receive") if e["activity"]["type"] == "Create"]
    assert [v["activity"]["object"]["position"] for v in votes] == ["yes", "abstain"]
    assert all(v["activity"]["object"]["voter"] == f"{m.base}/people/{f['nd']}"
               for v in votes)


def h_state(f):
    h = f["h"]
    return (rows(h.db, "SELECT * FROM node_votes ORDER BY 1, 2, 3"),
            rows(h.db, "SELECT * FROM node_credentials ORDER BY id"),
            rows(h.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))


def test_refusals(fed):
    f, h, m = fed, fed["h"], fed["m"]
    motion = open_motion(f, "Refusals")
    # a member of north who is no delegate
    r = vote_from_m(f, motion, "yes", token=f["to"])
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", r.text
    # a delegate assembly north does not belong to
    r = vote_from_m(f, motion, "yes", actor="http://127.0.0.1:9/bodies/far")
    assert r.status_code == 409 and r.json()["error"]["field"] == "actor", r.text
    r = vote_from_m(f, motion, "maybe")
    assert r.status_code == 400 and r.json()["error"]["field"] == "position", r.text
    # at H, signed by M: a motion of cove (not coast's), a motion of
    # another node, a position the rule does not offer
    key = node_key(m.db)
    kid = f"{m.base}/bodies/{f['north']}#main-key"
    cred = rows(h.db, "SELECT credential_id FROM node_credentials")[0][0]
    cove_motion = submit(h, f["cove"], f["th"], title="Cove's")["id"]
    before = h_state(f)
    for target, position, status, code in (
            (f"{h.base}/api/v1/motions/{cove_motion}", "yes", 403, "forbidden"),
            (f"http://127.0.0.1:9/api/v1/motions/{motion}", "yes", 403, "foreign_effect"),
            (f"{h.base}/api/v1/motions/{motion}", "block", 400, "rule_position")):
        act = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}],
               "id": f"{m.base}/activities/test-{unique()}", "type": "Create",
               "actor": f"{m.base}/bodies/{f['north']}",
               "object": {"type": "pnyx:Vote", "motion": target, "position": position,
                          "voter": f"{m.base}/people/{f['nd']}", "credential": cred}}
        r = post_signed(h, f"/bodies/{f['coast']}/inbox", sign_activity(act, key, kid),
                        key, kid)
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), r.text
    assert h_state(f) == before


def test_a_recall_ends_the_vote_at_once(fed):
    f, h, m = fed, fed["h"], fed["m"]
    motion = open_motion(f, "Still open when the recall comes")
    assert vote_from_m(f, motion, "yes").status_code == 202
    poll(lambda: afar(f, motion))
    sent = [e for e in journal(h.db, "node.receive")
            if e["activity"]["type"] == "Create"][-1]["activity"]
    d = decide(m, f["north"], f["tm"], "recall_remote_delegate",
               {"actor": f["actor"], "delegate": f["nd"]})
    assert d["status"] == "adopted", d
    # on arrival: the seat ended, the vote on the open motion withdrawn
    poll(lambda: not afar(f, motion))
    w = h.get(f"/api/v1/motions/{motion}/counts").json()["weighted"]
    # north is still a member (its voice counts among the members'), with
    # no seat to vote with until it elects another delegate
    assert not w["counts"].get("yes") and w["members"] == 2, w
    # nd votes again: M refuses, nd holds no seat now
    r = vote_from_m(f, motion, "yes")
    assert r.status_code == 403, r.text
    # the vote sent before, sent again under a new id and M's signature:
    # refused at H, nothing changes
    key = node_key(m.db)
    kid = f"{m.base}/bodies/{f['north']}#main-key"
    before = h_state(f)
    again = dict(sent, id=f"{m.base}/activities/again-{unique()}")
    r = post_signed(h, f"/bodies/{f['coast']}/inbox", sign_activity(again, key, kid),
                    key, kid)
    assert r.status_code == 403 and r.json()["error"]["field"] == "object", r.text
    assert h_state(f) == before


def test_both_journals_prove_their_state(fed):
    for s in (fed["h"], fed["m"]):
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr
