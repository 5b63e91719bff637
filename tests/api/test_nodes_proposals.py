"""A proposal travels between nodes (issue 17; docs/nodes.md, "Proposals
across nodes"): two `pnyx serve` processes on loopback ports, each with
its own database.

Node H hosts the delegate assembly coast, whose members are the local
assembly cove (on H) and two local assemblies of node M, north and south,
each accepted by coast's decision. Coast adopts a proposal: its version
travels to M signed (Offer); north sends an amendment back (Reject with
its counter-text), coast adopts a second version, north accepts it and
south rejects it, each by its own decision, the answers travelling back
signed. The condition (two local assemblies) is met once cove accepts
too: the law enters cove's register on H and, by north's own acceptance,
north's register on M (told by a signed Announce); south's register is
untouched. Forged, replayed and misaddressed activities change nothing.
"""
import base64
import json

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import RULES, decide, run, schedule_now, unique
from test_nodes_federation import (AS, journal, node_key, poll, post_signed, relations, rows,
                                   sign_activity, two_nodes)


def laws(node, slug):
    r = node.get(f"/api/v1/bodies/{slug}/laws")
    assert r.status_code == 200, r.text
    return r.json()["laws"]


def offers(node, slug):
    return relations(node, slug)[0]["offers"]


@pytest.fixture(scope="module")
def fed(tmp_path_factory):
    """coast on H with cove; north and south on M, accepted by coast."""
    with two_nodes(tmp_path_factory) as (h, m):
        fh, th = h.user()
        fm, tm = m.user()
        cove = h.found(th, community=h.add_community(population=3000), rule=RULES,
                       schedule=schedule_now()).json()["slug"]
        coast = unique("c")
        assert decide(h, cove, th, "found_federation", {
            "slug": coast, "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(),
            "delegate": fh, "mandate": "Speak for the cove."})["status"] == "adopted"
        actor = f"{h.base}/bodies/{coast}"
        locals_ = {}
        for name, pop in (("north", 2000), ("south", 5000)):
            slug = m.found(tm, community=m.add_community(population=pop), rule=RULES,
                           schedule=schedule_now()).json()["slug"]
            assert decide(m, slug, tm, "join_remote_federation",
                          {"actor": actor})["status"] == "adopted"
            locals_[name] = slug
        asked = poll(lambda: len(relations(h, coast)) == 2 and relations(h, coast))
        for r in asked:
            assert decide(h, coast, th, "accept_remote_member",
                          {"request": r["id"]})["status"] == "adopted"
        for slug in locals_.values():
            poll(lambda: relations(m, slug)[0]["status"] == "active")
        yield {"h": h, "m": m, "th": th, "tm": tm, "cove": cove, "coast": coast,
               "actor": actor, **locals_}


def answer_remote(f, slug, offer, answer, counter=None):
    params = {"offer": offer, "answer": answer, "reasons": "We talked it over."}
    if counter:
        params["counter_text"] = counter
    d = decide(f["m"], slug, f["tm"], "answer_remote_proposal", params,
               title=f"Our answer: {answer}")
    assert d["status"] == "adopted", d
    return d


def remote_answers(f, proposal):
    st = f["h"].get(f"/api/v1/proposals/{proposal}/status")
    assert st.status_code == 200, st.text
    return st.json()


@pytest.fixture(scope="module")
def travelled(fed):
    """The whole journey, step by step; the tests below read what it left."""
    f, h, m = fed, fed["h"], fed["m"]
    cond = {"kind": "at_least", "n": 2}
    d = decide(h, f["coast"], f["th"], "adopt_proposal",
               {"condition": cond, "rationale": "Buses at night."},
               title="Night buses", text="Buses run all night on weekends.")
    assert d["status"] == "adopted", d
    proposal = d["effect"]["proposal"]["id"] if "effect" in d else None
    if proposal is None:
        proposal = h.get(f"/api/v1/bodies/{f['coast']}/proposals").json()[
            "originated"][0]["id"]
    # the version reached both assemblies on M, with its text: an offer only
    north1 = poll(lambda: offers(m, f["north"]))
    south1 = poll(lambda: offers(m, f["south"]))
    assert [(o["side"], o["version"], o["title"], o["text"], o["condition"])
            for o in north1] == [("received", 1, "Night buses",
                                  "Buses run all night on weekends.", cond)]
    assert north1[0]["proposal"] == f"{h.base}/api/v1/proposals/{proposal}"
    assert laws(m, f["north"]) == [] and laws(m, f["south"]) == []
    # north sends an amendment back up
    amend = answer_remote(f, f["north"], north1[0]["id"], "amend",
                          "Buses run all night, every night.")
    poll(lambda: [a["answer"] for a in remote_answers(f, proposal)["remote"]
                  if a["answer"]] == ["amend"])
    # coast adopts a second version; it travels down again
    d2 = decide(h, f["coast"], f["th"], "new_proposal_version",
                {"proposal": proposal}, title="Night buses",
                text="Buses run all night, every night.")
    assert d2["status"] == "adopted", d2
    north2 = poll(lambda: [o for o in offers(m, f["north"]) if o["version"] == 2])
    south2 = poll(lambda: [o for o in offers(m, f["south"]) if o["version"] == 2])
    accept = answer_remote(f, f["north"], north2[0]["id"], "accept")
    reject = answer_remote(f, f["south"], south2[0]["id"], "reject")

    def answered():
        got = {(a["body"], a["version"], a["answer"]) for a in
               remote_answers(f, proposal)["remote"] if a["answer"]}
        return {(f["coast"], 2, "accept"), (f["coast"], 2, "reject")} <= got
    poll(answered)
    before_cove = remote_answers(f, proposal)
    # cove accepts on H: two local assemblies now, the condition is met
    d3 = decide(h, f["cove"], f["th"], "answer_proposal",
                {"proposal": proposal, "version": 2, "answer": "accept"})
    assert d3["status"] == "adopted", d3
    north_law = poll(lambda: laws(m, f["north"]))
    return {"proposal": proposal, "amend": amend, "accept": accept, "reject": reject,
            "before_cove": before_cove, "north_law": north_law, "south1": south1,
            "north2": north2, "south2": south2, "cove_answer": d3}


def test_the_law_enters_only_the_registers_that_accepted(fed, travelled):
    f, h, m = fed, fed["h"], fed["m"]
    # before cove accepted: one local assembly of two, not met, no law
    v2 = [v for v in travelled["before_cove"]["versions"] if v["version"] == 2][0]
    assert (v2["locals"], v2["locals_accepted"], v2["met"]) == (3, 1, False)
    assert (v2["population"], v2["population_accepted"]) == (10000, 2000)
    # after: met, counted from what each node reported
    st = remote_answers(f, travelled["proposal"])
    v2 = [v for v in st["versions"] if v["version"] == 2][0]
    assert (v2["locals_accepted"], v2["met"]) == (2, True)
    assert v2["population_accepted"] == 5000
    # the tree's own numbers for coast agree: three local assemblies
    # beneath it (cove here, north and south there), 10,000 people
    assert (st["tree"]["locals"], st["tree"]["population"]) == (3, 10000), st["tree"]
    assert st["tree"]["sums"]["2"]["locals_accepted"] == 2
    # cove's register on H has the law, linked to its own acceptance
    assert [l["title"] for l in laws(h, f["cove"])] == ["Night buses"]
    # north's register on M has it, by north's own acceptance
    law = travelled["north_law"]
    assert [(l["number"], l["title"]) for l in law] == [(1, "Night buses")]
    full = m.get(f"/api/v1/bodies/{f['north']}/laws/1").json()
    assert "every night" in json.dumps(full)
    assert travelled["accept"]["id"] in [v.get("motion") for v in full["versions"]]
    # M's journal says the law was made from a proposal, by north's decision
    made = journal(m.db, "law.from_proposal")
    assert [(e["proposal"], e["proposal_version"], e["law"], e["accepted_by"])
            for e in made] == [(f"{h.base}/api/v1/proposals/{travelled['proposal']}", 2, 1,
                                travelled["accept"]["id"])]
    # south rejected: nothing in its register
    assert laws(m, f["south"]) == []
    north2 = [o for o in offers(m, f["north"]) if o["version"] == 2][0]
    assert north2["met_at"] and north2["law"] == 1
    assert [a["answer"] for a in north2["answers"]] == ["accept"]
    # the status names each remote assembly, its node and what it reported
    remote = {(a["assembly"].rsplit("/", 1)[1], a["version"]): a for a in st["remote"]}
    n2 = remote[(f["north"], 2)]
    assert n2["node"] == m.base and n2["answer"] == "accept" and n2["population"] == 2000
    assert n2["decision"] == f"{m.base}/motion.html?id={travelled['accept']['id']}"
    assert n2["told_met"]
    assert remote[(f["south"], 2)]["answer"] == "reject"
    assert not remote[(f["south"], 2)]["told_met"]
    n1 = remote[(f["north"], 1)]
    assert (n1["answer"], n1["counter_text"]) == ("amend", "Buses run all night, every night.")
    # and so does `pnyx proposal status`
    out = run("proposal", "status", str(travelled["proposal"]), "--db", h.db).stdout
    assert (f"{m.base}/bodies/{f['north']}, version 2: accepted, for 2000 people (its"
            f" decision: {m.base}/motion.html?id={travelled['accept']['id']})") in out, out
    assert f"{m.base}/bodies/{f['south']}, version 2: rejected" in out, out
    # each answer H took is journalled with M's signature
    answers = [e["activity"] for e in journal(h.db, "node.receive")
               if e["activity"]["type"] in ("Accept", "Reject")
               and "pnyx:answer" in e["activity"]]
    assert [a["pnyx:answer"]["answer"] for a in answers] == ["amend", "accept", "reject"]


def m_state(f):
    m = f["m"]
    return (rows(m.db, "SELECT * FROM laws ORDER BY id"),
            rows(m.db, "SELECT * FROM law_versions ORDER BY 1"),
            rows(m.db, "SELECT * FROM node_offers ORDER BY id"),
            rows(m.db, "SELECT * FROM node_answers ORDER BY id"),
            rows(m.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))


def h_state(f):
    h = f["h"]
    return (rows(h.db, "SELECT * FROM node_answers ORDER BY id"),
            rows(h.db, "SELECT * FROM proposal_sums ORDER BY 1, 2, 3"),
            rows(h.db, "SELECT * FROM laws ORDER BY id"),
            rows(h.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))


def test_nothing_forged_or_replayed_writes_a_register(fed, travelled):
    f, h, m = fed, fed["h"], fed["m"]
    hkey, mkey = node_key(h.db), node_key(m.db)
    hid = f"{f['actor']}#main-key"
    south_inbox = f"/bodies/{f['south']}/inbox"
    announce = [e for e in journal(m.db, "node.receive")
                if e["activity"]["type"] == "Announce"][0]["activity"]
    base = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}], "actor": f["actor"],
            "type": "Announce"}
    south_offer = rows(m.db, "SELECT activity_id FROM node_offers WHERE id = ?",
                       travelled["south2"][0]["id"])[0][0]
    met = {"proposal": f"{h.base}/api/v1/proposals/{travelled['proposal']}", "version": 2}
    before_m, before_h = m_state(f), h_state(f)
    refusals = len(journal(m.db, "node.refuse"))

    def announce_to_south(key, kid, **more):
        act = dict(base, id=f"{h.base}/activities/forged-{unique()}",
                   object=south_offer, **{"pnyx:conditionMet": met})
        act.update(more)
        return post_signed(m, south_inbox, sign_activity(act, key, kid), key, kid)

    # 1. "met", for south, signed with a key that is not H's
    other = Ed25519PrivateKey.generate()
    r = announce_to_south(other, hid)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"
    # 2. the real Announce north took, sent again: dropped
    r = post_signed(m, f"/bodies/{f['north']}/inbox", announce, hkey, hid)
    assert r.status_code == 202 and r.json()["duplicate"] is True
    # 3. the same Announce, addressed to south's inbox: not south's offer
    r = post_signed(m, south_inbox, announce, hkey, hid)
    assert r.status_code == 202 and r.json()["duplicate"] is True
    fresh = dict(announce, id=f"{h.base}/activities/again-{unique()}")
    r = post_signed(m, south_inbox, sign_activity(fresh, hkey, hid), hkey, hid)
    assert r.status_code == 400 and r.json()["error"]["field"] == "object", r.text
    # 4. "met" signed by M itself, for H's assembly: M speaks for H
    act = sign_activity(dict(base, id=f"{m.base}/activities/x-{unique()}",
                             object=south_offer, **{"pnyx:conditionMet": met}),
                        mkey, f"{m.base}/bodies/{f['north']}#main-key")
    assert post_signed(m, south_inbox, act, mkey,
                       f"{m.base}/bodies/{f['north']}#main-key").status_code in (401, 403)
    # 5. a law written directly: no such activity
    r = announce_to_south(hkey, hid, type="Create",
                          object={"type": "pnyx:Law", "name": "Forged", "content": "x"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "object"
    r = announce_to_south(hkey, hid, type="Update",
                          object={"type": "pnyx:Law", "name": "Forged", "content": "x"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "type"
    assert m_state(f) == before_m
    assert len(journal(m.db, "node.refuse")) == refusals + 5
    # 6. H itself says "met" for south's offer (south rejected it): taken
    # as news, and no law enters south's register
    r = announce_to_south(hkey, hid)
    assert r.status_code == 202, r.text
    assert laws(m, f["south"]) == []
    assert rows(m.db, "SELECT met_at IS NOT NULL, law_number FROM node_offers WHERE"
                " activity_id = ?", south_offer) == [(1, None)]
    assert m_state(f)[:2] == before_m[:2]
    # 7. at H: an answer claiming to be south's acceptance, signed by a
    # stranger; and one signed by M for north's offer but in south's name
    inbox = f"/bodies/{f['coast']}/inbox"
    offer = f"{h.base}/activities/" + rows(
        h.db, "SELECT activity_id FROM node_offers WHERE side = 'sent' AND version = 2"
        " ORDER BY id")[0][0]
    ans = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}], "type": "Accept",
           "actor": f"{m.base}/bodies/{f['south']}", "object": offer,
           "pnyx:decision": {"id": 1, "url": f"{m.base}/motion.html?id=1", "title": "x"},
           "pnyx:answer": {"answer": "accept", "reasons": "", "population": 5000}}
    mid = f"{m.base}/bodies/{f['south']}#main-key"
    r = post_signed(h, inbox, sign_activity(dict(ans, id=f"{m.base}/activities/f1"),
                                            other, mid), other, mid)
    assert r.status_code == 401
    r = post_signed(h, inbox, sign_activity(dict(ans, id=f"{m.base}/activities/f2"),
                                            mkey, mid), mkey, mid)
    assert r.status_code == 403 and r.json()["error"]["field"] == "actor", r.text
    # an answer whose decision is on another node
    nid = f"{m.base}/bodies/{f['north']}#main-key"
    wrong = dict(ans, id=f"{m.base}/activities/f3", actor=f"{m.base}/bodies/{f['north']}",
                 **{"pnyx:decision": {"id": 1, "url": "http://127.0.0.1:9/motion.html?id=1",
                                      "title": "x"}})
    r = post_signed(h, inbox, sign_activity(wrong, mkey, nid), mkey, nid)
    assert r.status_code == 403 and r.json()["error"]["field"] == "pnyx:decision", r.text
    assert h_state(f) == before_h


def test_refusals_of_the_answering_kind(fed, travelled):
    f, m = fed, fed["m"]
    url = f"/api/v1/bodies/{f['north']}/motions"
    offer = travelled["north2"][0]["id"]

    def submit(params):
        return m.post(url, {"kind": "answer_remote_proposal", "title": "Answer",
                            "params": params}, token=f["tm"])
    r = submit({"offer": 999999, "answer": "accept"})
    assert r.status_code == 404 and r.json()["error"]["field"] == "params.offer"
    # south's offer is not north's to answer
    r = submit({"offer": travelled["south2"][0]["id"], "answer": "accept"})
    assert r.status_code == 404 and r.json()["error"]["field"] == "params.offer"
    r = submit({"offer": offer, "answer": "amend"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "params.counter_text"
    r = submit({"offer": offer, "answer": "accept", "counter_text": "More."})
    assert r.status_code == 400 and r.json()["error"]["field"] == "params.counter_text"
    r = submit({"offer": offer, "answer": "maybe"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "params.answer"


def test_a_member_accepted_later_is_offered_what_stands(fed, travelled):
    """west, a third assembly of M, joins coast after the proposal: once
    coast accepts it, the latest version is offered to it too."""
    f, h, m = fed, fed["h"], fed["m"]
    west = m.found(f["tm"], community=m.add_community(population=1000), rule=RULES,
                   schedule=schedule_now()).json()["slug"]
    assert decide(m, west, f["tm"], "join_remote_federation",
                  {"actor": f["actor"]})["status"] == "adopted"
    mine = f"{m.base}/bodies/{west}"
    asked = poll(lambda: [r for r in relations(h, f["coast"]) if r["remote"] == mine])
    assert decide(h, f["coast"], f["th"], "accept_remote_member",
                  {"request": asked[0]["id"]})["status"] == "adopted"
    got = poll(lambda: offers(m, west))
    assert [(o["version"], o["text"]) for o in got] == [
        (2, "Buses run all night, every night.")]
    assert laws(m, west) == []


def test_both_journals_prove_their_state(fed, travelled):
    for s in (fed["h"], fed["m"]):
        s.settle(quiet=0.5)
        p = run("journal", "verify", "--state", "--json", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr
        assert json.loads(p.stdout)["state"]["ok"]
