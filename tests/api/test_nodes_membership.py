"""Memberships across nodes: declarations, suspensions and departures
(issue 17, item 6; docs/nodes.md, "Declarations and suspensions" and
"Leaving"): two `pnyx serve` processes on loopback ports.

Node H hosts the delegate assembly coast (founded by cove, on H). Node M's
local assemblies north and south joined coast, each by its decision, and
coast accepted each by its own; north elected its delegate nd.

coast's declaration about a decision of cove reaches north and south as
a signed Create, recorded on their node and nothing else. coast suspends
north by its decision: at once on H (nd's seat is empty, nd's vote on a
motion still open withdrawn, north's voice out of the count), and M
records it when the signed Update arrives (nd's votes are not sent while
it lasts); coast restores it, and nd votes again.

north leaves coast by its decision: the relation ends on M at once, nd's
seat with it, and the signed Leave ends it on H on arrival, withdrawing
nd's vote on a motion still open, as leaving does on one node. coast
then ends south's membership by its decision (remove_remote_member):
ended on H, and on M when the signed Remove arrives. With no relation
left, H no longer takes anything from M but a new request to join, and M
nothing from H: the trust list shrank with the relations. Forged,
misaddressed and replayed activities change nothing.
"""
import json
import pytest

from conftest import checkin, decide, run, submit, unique
from nodes_coast import afar, coast_nodes, open_motion, relations, vote_from_m
from test_nodes_federation import AS, journal, node_key, poll, post_signed, rows, sign_activity


def peers(node):
    p = run("peers", "--json", "--db", node.db, check=0)
    return {x["origin"]: x["relations"] for x in json.loads(p.stdout)["peers"]}


@pytest.fixture(scope="module")
def fed(tmp_path_factory):
    with coast_nodes(tmp_path_factory, others=("south",)) as f:
        by_actor = {r["remote"]: r["id"] for r in relations(f["h"], f["coast"])}
        f["north_rel"] = by_actor[f"{f['m'].base}/bodies/{f['north']}"]
        f["south_rel"] = by_actor[f"{f['m'].base}/bodies/{f['south']}"]
        yield f


def rel_of(node, slug, rid):
    return next(r for r in relations(node, slug) if r["id"] == rid)


def state(node):
    return (rows(node.db, "SELECT * FROM node_relations ORDER BY id"),
            rows(node.db, "SELECT * FROM node_credentials ORDER BY id"),
            rows(node.db, "SELECT * FROM node_votes ORDER BY 1, 2, 3"),
            rows(node.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))


def refused(r, status, code, field=None):
    assert r.status_code == status, r.text
    e = r.json()["error"]
    assert e["code"] == code, e
    if field:
        assert e["field"] == field, e


def submit_refused(node, slug, tok, kind, params, status, field):
    r = node.post(f"/api/v1/bodies/{slug}/motions",
                  {"kind": kind, "title": "No", "text": "", "params": params}, token=tok)
    assert r.status_code == status, r.text
    assert r.json()["error"]["field"] == field, r.text


def effect(node, motion):
    """What the decision did, as its node journalled it."""
    got = [e for e in journal(node.db, "motion.decide") if e["motion"] == motion]
    assert len(got) == 1, got
    return got[0]["effect"]


def test_refusals_of_the_kinds(fed):
    f, h, m = fed, fed["h"], fed["m"]
    before = (state(h), state(m))
    # an assembly leaves only what it belongs to
    submit_refused(m, f["north"], f["tm"], "leave_remote_federation",
                   {"actor": f"{h.base}/bodies/elsewhere"}, 409, "params.actor")
    submit_refused(m, f["north"], f["tm"], "leave_remote_federation",
                   {"actor": "not an address"}, 409, "params.actor")
    # a delegate assembly ends only a membership it holds, by its number
    submit_refused(h, f["coast"], f["th"], "remove_remote_member",
                   {"member": 999999}, 404, "params.member")
    submit_refused(h, f["coast"], f["th"], "remove_remote_member",
                   {"member": "two"}, 400, "params.member")
    # a member not suspended is not restored
    submit_refused(h, f["coast"], f["th"], "restore_remote_member",
                   {"member": f["south_rel"]}, 409, "params.member")
    submit_refused(h, f["coast"], f["th"], "suspend_remote_member",
                   {"member": 999999}, 404, "params.member")
    # and only a delegate assembly decides them: a local assembly cannot
    for kind in ("remove_remote_member", "suspend_remote_member", "restore_remote_member"):
        r = h.post(f"/api/v1/bodies/{f['cove']}/motions",
                   {"kind": kind, "title": "No", "text": "",
                    "params": {"member": f["south_rel"]}}, token=f["th"])
        assert 400 <= r.status_code < 500 and r.json()["error"]["field"] == "kind", r.text
    assert (state(h), state(m)) == before


def test_a_declaration_reaches_the_members_on_other_nodes(fed):
    f, h, m = fed, fed["h"], fed["m"]
    about = submit(h, f["cove"], f["th"], title="Cove's ferry hours")["id"]
    r = h.post(f"/api/v1/motions/{about}/voting", {"mode": "devices"}, token=f["th"])
    assert r.status_code == 200, r.text
    h.post(f"/api/v1/motions/{about}/votes", {"position": "yes"}, token=f["th"])
    r = h.post(f"/api/v1/motions/{about}/voting/close", token=f["th"])
    assert r.status_code == 200, r.text
    d = decide(h, f["coast"], f["th"], "declaration", {"motion": about},
               title="On the ferry hours", text="The coast welcomes the cove's ferry hours.")
    assert d["status"] == "adopted", d
    for slug in (f["north"], f["south"]):
        got = poll(lambda: relations(m, slug)[0]["declarations"])
        assert [(g["title"], g["text"], g["about"], g["decision"]) for g in got] == [
            ("On the ferry hours", "The coast welcomes the cove's ferry hours.",
             f"{h.base}/motion.html?id={about}", f"{h.base}/motion.html?id={d['id']}")]
    # it changed nothing else on M: no law, no membership
    assert all(r["status"] == "active" and not r.get("suspended_by")
               for r in relations(m, f["north"]))
    sent = [e for e in journal(m.db, "node.receive") if e["activity"]["type"] == "Create"
            and e["activity"]["to"] == [f"{m.base}/bodies/{f['north']}"]][0]["activity"]
    key = node_key(h.db)
    kid = f"{f['actor']}#main-key"
    before = state(m), rows(m.db, "SELECT * FROM node_declarations ORDER BY id")
    # the same resent is a duplicate; one about another node's decision, or
    # addressed to another inbox, is refused
    r = post_signed(m, f"/bodies/{f['north']}/inbox", sent, key, kid)
    assert r.status_code == 202 and r.json().get("duplicate") is True, r.text
    bad = dict(sent, id=f"{h.base}/activities/d-{unique()}",
               object=dict(sent["object"], about="http://127.0.0.1:9/motion.html?id=1"))
    r = post_signed(m, f"/bodies/{f['north']}/inbox", sign_activity(bad, key, kid), key, kid)
    refused(r, 403, "foreign_effect", "object")
    r = post_signed(m, f"/bodies/{f['south']}/inbox",
                    sign_activity(dict(sent, id=f"{h.base}/activities/d-{unique()}"), key, kid),
                    key, kid)
    refused(r, 400, "bad_input", "to")
    assert (state(m), rows(m.db, "SELECT * FROM node_declarations ORDER BY id")) == before


def version1(h, proposal):
    st = h.get(f"/api/v1/proposals/{proposal}/status")
    assert st.status_code == 200, st.text
    v = [v for v in st.json()["versions"] if v["version"] == 1][0]
    return v["locals"], v["locals_accepted"], v["met"]


def test_a_suspended_members_acceptance_counts_only_once_restored(fed):
    f, h, m = fed, fed["h"], fed["m"]
    d = decide(h, f["coast"], f["th"], "adopt_proposal",
               {"condition": {"kind": "at_least", "n": 2}, "rationale": "Shift workers."},
               title="Night ferries", text="Ferries run all night.")
    assert d["status"] == "adopted", d
    proposal = [e for e in journal(h.db, "motion.decide")
                if e["motion"] == d["id"]][0]["effect"]["proposal"]["id"]
    offers = {}
    for slug in (f["north"], f["south"]):
        offers[slug] = poll(lambda: [o for o in relations(m, slug)[0]["offers"]
                                     if o["title"] == "Night ferries"])[0]["id"]
    # cove, north and south beneath coast; north accepts: 1 of 3
    a = decide(m, f["north"], f["tm"], "answer_remote_proposal",
               {"offer": offers[f["north"]], "answer": "accept"})
    assert a["status"] == "adopted", a
    poll(lambda: version1(h, proposal) == (3, 1, False))
    # coast suspends south, which accepts meanwhile: recorded, not counted
    s = decide(h, f["coast"], f["th"], "suspend_remote_member", {"member": f["south_rel"]})
    assert s["status"] == "adopted", s
    assert version1(h, proposal) == (2, 1, False)
    poll(lambda: relations(m, f["south"])[0].get("suspended_by"))
    a = decide(m, f["south"], f["ts"], "answer_remote_proposal",
               {"offer": offers[f["south"]], "answer": "accept"})
    assert a["status"] == "adopted", a
    poll(lambda: [x for x in h.get(f"/api/v1/proposals/{proposal}/status").json()["remote"]
                  if x["answer"] == "accept" and x["assembly"].endswith(f["south"])])
    assert version1(h, proposal) == (2, 1, False)
    assert not laws(m, f["north"])
    # restored: its acceptance counts, the condition is met, and the law
    # enters both registers, each by its own acceptance
    r = decide(h, f["coast"], f["th"], "restore_remote_member", {"member": f["south_rel"]})
    assert r["status"] == "adopted", r
    assert version1(h, proposal) == (3, 2, True)
    for slug in (f["north"], f["south"]):
        poll(lambda: laws(m, slug))
    # north's acceptance leaves the count when it leaves (test below)
    fed["ferries"] = proposal


def laws(node, slug):
    r = node.get(f"/api/v1/bodies/{slug}/laws")
    assert r.status_code == 200, r.text
    return r.json()["laws"]


def test_a_suspension_takes_effect_at_once_and_is_told(fed):
    f, h, m = fed, fed["h"], fed["m"]
    motion = open_motion(f, "Open when north is suspended")
    assert vote_from_m(f, motion, "yes").status_code == 202
    poll(lambda: afar(f, motion))
    members = h.get(f"/api/v1/motions/{motion}/counts").json()["weighted"]["members"]
    sent_vote = [e for e in journal(h.db, "node.receive")
                 if e["activity"]["type"] == "Create"][-1]["activity"]
    d = decide(h, f["coast"], f["th"], "suspend_remote_member", {"member": f["north_rel"]},
               title="Suspend north")
    assert d["status"] == "adopted", d
    e = effect(h, d["id"])
    assert e["suspended"] == f"{m.base}/bodies/{f['north']}" and e["votes_withdrawn"] == 1, e
    # on H at once: the vote withdrawn, north's voice out of the count
    assert not afar(f, motion)
    w = h.get(f"/api/v1/motions/{motion}/counts").json()["weighted"]
    assert w["members"] == members - 1 and not w["counts"].get("yes"), w
    assert rel_of(h, f["coast"], f["north_rel"])["suspended_by"] == f"suspend-{d['id']}"
    # on M when the Update arrives
    poll(lambda: relations(m, f["north"])[0].get("suspended_by"))
    assert relations(m, f["north"])[0]["suspended_by"] == \
        f"{h.base}/activities/suspend-{d['id']}"
    # nd's vote is not sent while it lasts, and one forged is refused at H
    r = vote_from_m(f, motion, "yes")
    assert r.status_code == 409 and r.json()["error"]["field"] == "actor", r.text
    key = node_key(m.db)
    kid = f"{m.base}/bodies/{f['north']}#main-key"
    before = state(h)
    r = post_signed(h, f"/bodies/{f['coast']}/inbox",
                    sign_activity(dict(sent_vote, id=f"{m.base}/activities/v-{unique()}"),
                                  key, kid), key, kid)
    refused(r, 409, "conflict", "actor")
    # M cannot speak for coast: a membership's news from M is refused
    upd = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}],
           "id": f"{m.base}/activities/u-{unique()}", "type": "Update",
           "actor": f"{m.base}/bodies/{f['south']}", "to": [f["actor"]],
           "object": {"type": "pnyx:Membership", "member": f"{h.base}/bodies/{f['coast']}",
                      "status": "active", "group": f["actor"]}}
    r = post_signed(h, f"/bodies/{f['coast']}/inbox", sign_activity(upd, key, kid), key, kid)
    assert r.status_code in (403, 409), r.text
    assert state(h) == before
    # coast restores north: nd votes again, and it counts
    d = decide(h, f["coast"], f["th"], "restore_remote_member", {"member": f["north_rel"]},
               title="Restore north")
    assert d["status"] == "adopted", d
    assert rel_of(h, f["coast"], f["north_rel"]).get("suspended_by") is None
    poll(lambda: relations(m, f["north"])[0].get("suspended_by") is None)
    assert vote_from_m(f, motion, "no").status_code == 202
    poll(lambda: [v["position"] for v in afar(f, motion) or []] == ["no"])
    r = h.post(f"/api/v1/motions/{motion}/voting/close", token=f["th"])
    assert r.status_code == 200, r.text


def test_leaving_ends_the_membership_on_both_nodes_at_once(fed):
    f, h, m = fed, fed["h"], fed["m"]
    assert peers(h)[m.base] == 2 and peers(m)[h.base] == 2
    # nd votes on a motion of coast still open
    mo = submit(h, f["coast"], f["th"], title="Still open when north leaves")
    checkin(h, mo["meeting"], f["th"], f["th"])
    r = h.post(f"/api/v1/motions/{mo['id']}/voting", {"mode": "devices"}, token=f["th"])
    assert r.status_code == 200, r.text
    r = m.post(f"/api/v1/bodies/{f['north']}/remote/votes",
               {"actor": f["actor"], "motion": mo["id"], "position": "yes"}, token=f["tm"])
    assert r.status_code == 202, r.text

    def afar():
        return h.get(f"/api/v1/motions/{mo['id']}").json().get("votes_from_other_nodes")
    poll(afar)
    sent_vote = [e for e in journal(h.db, "node.receive")
                 if e["activity"]["type"] == "Create"][-1]["activity"]
    d = decide(m, f["north"], f["tm"], "leave_remote_federation", {"actor": f["actor"]},
               title="Leave the coast's assembly")
    assert d["status"] == "adopted", d
    e = effect(m, d["id"])
    assert e["left"] == f["actor"] and e["seats_ended"] == 1, e
    # on M at once: the relation ended by that decision, the seat too
    mine = relations(m, f["north"])[0]
    assert (mine["status"], mine["ended_by"]) == ("ended", f"leave-{d['id']}")
    assert mine["delegates"][0]["recalled_at"] is not None
    # on H on arrival: ended by the Leave, the seat and the open vote gone
    leave_id = f"{m.base}/activities/leave-{d['id']}"
    poll(lambda: rel_of(h, f["coast"], f["north_rel"])["status"] == "ended")
    theirs = rel_of(h, f["coast"], f["north_rel"])
    assert theirs["ended_by"] == leave_id
    assert theirs["delegates"][0]["recalled_at"] is not None
    assert not afar()
    got = [e for e in journal(h.db, "node.receive") if e["activity"]["type"] == "Leave"]
    assert [(g["activity"]["id"], g["effect"]["ended"]) for g in got] == [(leave_id, "left")]
    # the trust list shrank: one relation left between the two nodes
    assert peers(h)[m.base] == 1 and peers(m)[h.base] == 1
    # its acceptance of the ferries left the count with it
    assert version1(h, f["ferries"])[:2] == (2, 1)
    # north's delegate votes no more: refused on M, nothing sent
    r = m.post(f"/api/v1/bodies/{f['north']}/remote/votes",
               {"actor": f["actor"], "motion": mo["id"], "position": "no"}, token=f["tm"])
    assert r.status_code in (403, 409), r.text
    # what M sends for north now is refused at H and changes nothing
    key = node_key(m.db)
    kid = f"{m.base}/bodies/{f['north']}#main-key"
    inbox = f"/bodies/{f['coast']}/inbox"
    before = state(h)
    again = dict(sent_vote, id=f"{m.base}/activities/again-{unique()}")
    r = post_signed(h, inbox, sign_activity(again, key, kid), key, kid)
    refused(r, 409, "conflict", "actor")
    leave = got[0]["activity"]
    r = post_signed(h, inbox, sign_activity(dict(leave, id=f"{m.base}/activities/l-{unique()}"),
                                            key, kid), key, kid)
    refused(r, 409, "conflict", "actor")
    # the very Leave resent is a duplicate
    r = post_signed(h, inbox, leave, key, kid)
    assert r.status_code == 202 and r.json().get("duplicate") is True, r.text
    # a Leave naming an assembly of another node, or another inbox's
    for obj, status, code in (("http://127.0.0.1:9/bodies/far", 403, "foreign_effect"),
                              (f"{h.base}/bodies/{f['cove']}", 400, "bad_input")):
        act = dict(leave, id=f"{m.base}/activities/l-{unique()}", object=obj)
        r = post_signed(h, inbox, sign_activity(act, key, kid), key, kid)
        refused(r, status, code, "object")
    assert state(h) == before


def test_a_delegate_assembly_ends_a_membership_by_decision(fed):
    f, h, m = fed, fed["h"], fed["m"]
    d = decide(h, f["coast"], f["th"], "remove_remote_member", {"member": f["south_rel"]},
               title="South's node is gone")
    assert d["status"] == "adopted", d
    e = effect(h, d["id"])
    assert e["removed"] == f"{m.base}/bodies/{f['south']}" and e["seats_ended"] == 0, e
    assert rel_of(h, f["coast"], f["south_rel"])["status"] == "ended"
    remove_id = f"{h.base}/activities/remove-{d['id']}"
    poll(lambda: relations(m, f["south"])[0]["status"] == "ended")
    assert relations(m, f["south"])[0]["ended_by"] == remove_id
    got = [e for e in journal(m.db, "node.receive") if e["activity"]["type"] == "Remove"]
    assert [(g["activity"]["object"], g["activity"]["target"], g["effect"]["ended"])
            for g in got] == [(f"{m.base}/bodies/{f['south']}", f["actor"], "removed")]
    # no relation is left between the nodes: neither trusts the other now
    assert peers(h)[m.base] == 0 and peers(m)[h.base] == 0
    key = node_key(h.db)
    kid = f"{f['actor']}#main-key"
    before = state(m)
    removal = got[0]["activity"]
    r = post_signed(m, f"/bodies/{f['north']}/inbox",
                    sign_activity(dict(removal, id=f"{h.base}/activities/r-{unique()}",
                                       object=f"{m.base}/bodies/{f['north']}"), key, kid),
                    key, kid)
    refused(r, 403, "unknown_peer")
    assert state(m) == before
    # the same delegate assembly cannot end it twice
    submit_refused(h, f["coast"], f["th"], "remove_remote_member",
                   {"member": f["south_rel"]}, 409, "params.member")
    # and an operator has no command to add or remove a relation
    before = state(h)
    run("peers", "remove", m.base, "--db", h.db, check=2)
    assert state(h) == before


def test_one_that_left_while_suspended_comes_back_suspended(fed):
    f, h, m = fed, fed["h"], fed["m"]

    def join_again(expect_still):
        d = decide(m, f["south"], f["ts"], "join_remote_federation", {"actor": f["actor"]})
        assert d["status"] == "adopted", d
        req = poll(lambda: [r for r in relations(h, f["coast"])
                            if r["status"] == "offered"])[0]
        a = decide(h, f["coast"], f["th"], "accept_remote_member", {"request": req["id"]})
        assert a["status"] == "adopted", a
        assert bool(effect(h, a["id"]).get("still_suspended")) == expect_still
        poll(lambda: relations(m, f["south"])[-1]["status"] == "active")
        return req["id"]

    # south was removed, not suspended: it comes back as any member
    rel = join_again(False)
    assert rel_of(h, f["coast"], rel).get("suspended_by") is None
    # suspended, it leaves; accepted again, it is suspended again, and told
    d = decide(h, f["coast"], f["th"], "suspend_remote_member", {"member": rel})
    assert d["status"] == "adopted", d
    poll(lambda: relations(m, f["south"])[-1].get("suspended_by"))
    assert decide(m, f["south"], f["ts"], "leave_remote_federation",
                  {"actor": f["actor"]})["status"] == "adopted"
    poll(lambda: rel_of(h, f["coast"], rel)["status"] == "ended")
    again = join_again(True)
    assert rel_of(h, f["coast"], again)["suspended_by"]
    poll(lambda: relations(m, f["south"])[-1].get("suspended_by"))


def test_both_journals_prove_their_state(fed):
    for s in (fed["h"], fed["m"]):
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr
