"""A decision's record holds every vote it counted (issue 20, point 1).

When a vote closes, the motion is decided before its effect runs, so an
effect that ends seats or memberships (a suspension, an exclusion, a
recall, leaving a federation) withdraws the running votes of the people it
removes everywhere except on the decision itself. The first test is the
defect as found: a delegate assembly suspends a member whose delegate voted
"no", and the motion lost that vote while its counts kept it.

The second drives every kind of motion the server lists (GET
/api/v1/motion-kinds: a kind added later fails here until it has a
scenario) to a decision where yes, no and abstain are cast (the positions
a majority rule offers; decisions under consensus and consent add stand
aside, block and objection), the people the effect removes voting too,
and checks over every decided motion that the votes listed, the counts,
the minutes and the journal's decision agree, and that the replay
rebuilds the same."""
import collections
import datetime
import json
import re
import time

import pytest

from conftest import decide as decide_there, run, unique

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
RULES = {"default": {"kind": "simple_majority"}}


def schedule_now(place="The hall"):
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": place, "floor_motions": True}


def now():
    return int(datetime.datetime.now(datetime.timezone.utc).timestamp())


class Body:
    """An assembly in session (its schedule names this minute)."""

    def __init__(self, srv, tok, slug):
        self.srv, self.tok, self.slug = srv, tok, slug
        m = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
        assert m["state"] == "open", m
        self.meeting = m["id"]
        self.chair = None  # whoever opens, until a clerk is elected
        self.shows = None  # one in the room, who shows the code

    def checkin(self, *who):
        for k in who:
            r = self.srv.get(f"/api/v1/meetings/{self.meeting}/code",
                             token=self.tok[self.shows or k])
            assert r.status_code == 200, r.text
            code = r.json()["code"]
            r = self.srv.post(f"/api/v1/meetings/{self.meeting}/checkins",
                              {"code": code}, token=self.tok[k])
            assert r.status_code in (200, 201), r.text
            self.shows = self.shows or k

    def submit(self, who, kind, params=None, title="A motion", text="Text.", **extra):
        body = {"kind": kind, "title": title, "text": text, **extra}
        if params is not None:
            body["params"] = params
        r = self.srv.post(f"/api/v1/bodies/{self.slug}/motions", body, token=self.tok[who])
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def open(self, mid, opener):
        r = self.srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                          token=self.tok[opener])
        assert r.status_code == 200, r.text

    def cast(self, mid, votes):
        for who, pos in votes:
            r = self.srv.post(f"/api/v1/motions/{mid}/votes", {"position": pos},
                              token=self.tok[who])
            assert r.status_code == 201, (who, pos, r.text)

    def close(self, mid, closer):
        r = self.srv.post(f"/api/v1/motions/{mid}/voting/close", token=self.tok[closer])
        assert r.status_code == 200, r.text
        return r.json()

    def decide(self, kind, params=None, votes=(), title="A motion", text="Text.",
               opener=None, **extra):
        opener = opener or self.chair or votes[0][0]
        mid = self.submit(votes[0][0], kind, params, title, text, **extra)
        self.open(mid, opener)
        self.cast(mid, votes)
        d = self.close(mid, opener)
        assert d["status"] == "adopted", d
        return mid


def journal(srv):
    """Every entry, paged."""
    out, after = [], 0
    while True:
        page = srv.get(f"/api/v1/journal?after={after}&limit=1000").json()["entries"]
        if not page:
            return out
        out += page
        after = page[-1]["seq"]


def people(srv, keys):
    p = {k: srv.user() for k in keys}
    return {k: v[1] for k, v in p.items()}, {k: v[0] for k, v in p.items()}


def local(srv, tok, founder, members=(), population=1000):
    r = srv.found(tok[founder], community=srv.add_community(population=population),
                  rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    for k in members:
        r = srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                     token=tok[k])
        assert r.status_code == 201, r.text
    b = Body(srv, tok, slug)
    b.checkin(founder, *members)
    return b


def found_federation(srv, tok, h, a, delegate):
    t = unique("t")
    a.decide("found_federation", {"slug": t, "name": "Transit", "purpose": "transport",
                                  "region": "the valley", "statement": "As equals.",
                                  "rule": RULES, "schedule": schedule_now(),
                                  "delegate": h[delegate], "mandate": "Night buses."},
             votes=[(delegate, "yes")])
    return t


def join(b, t, delegate, h, votes=None):
    votes = votes or [(delegate, "yes")]
    b.decide("join_federation", {"federation": t}, votes=votes)
    b.decide("elect_delegates", {"federation": t, "delegate": h[delegate],
                                 "mandate": "Speak for us."}, votes=votes)


def test_a_suspension_keeps_the_suspended_delegates_vote(srv):
    tok, h = people(srv, "afk")
    a, b, c = local(srv, tok, "a"), local(srv, tok, "f"), local(srv, tok, "k")
    t = found_federation(srv, tok, h, a, "a")
    join(b, t, "f", h)
    join(c, t, "k", h)
    fed = Body(srv, tok, t)
    fed.checkin("a", "f", "k")
    # another vote is running, and k has voted on it
    other = fed.submit("a", "resolution", title="Night buses")
    fed.open(other, "a")
    fed.cast(other, [("a", "yes"), ("k", "yes")])
    # the delegate assembly suspends c; c's delegate votes no
    s = fed.submit("a", "suspend_member", {"member": c.slug}, title="Suspend c")
    fed.open(s, "a")
    fed.cast(s, [("a", "yes"), ("f", "yes"), ("k", "no")])
    d = fed.close(s, "a")
    assert d["status"] == "adopted", d
    assert d["result"]["counts"]["yes"] == 2 and d["result"]["counts"]["no"] == 1, d
    m = srv.get(f"/api/v1/motions/{s}").json()
    assert sorted((v["member"], v["position"]) for v in m["votes"]) == sorted(
        [(h["a"], "yes"), (h["f"], "yes"), (h["k"], "no")]), m["votes"]
    # only k's vote on the other, still running, motion was withdrawn
    running = srv.get(f"/api/v1/motions/{other}").json()
    assert [v["member"] for v in running["votes"]] == [h["a"]], running["votes"]
    decide = [e for e in journal(srv) if e["action"] == "motion.decide"
              and e["payload"]["motion"] == s]
    assert len(decide) == 1
    assert decide[0]["payload"]["effect"]["member"]["votes_withdrawn"] == 1, decide
    # k is no longer seated: a vote now is refused
    r = srv.post(f"/api/v1/motions/{other}/votes", {"position": "no"}, token=tok["k"])
    assert r.status_code == 403, r.text


# ---- every kind of motion ----------------------------------------------

A_VOTES = [("a", "yes"), ("b", "yes"), ("c", "yes"), ("d", "no"), ("e", "abstain")]
FOUR = [("a", "yes"), ("b", "yes"), ("c", "no"), ("d", "abstain")]
B_VOTES = [("f", "yes"), ("g", "yes"), ("i", "no"), ("j", "abstain")]


def every_kind(srv, remote):
    """Decide a motion of every kind; returns {kind: motion id} and the
    meetings to close, in an order where each can close. remote is
    another node, whose assemblies ask to join the federation here
    (docs/nodes.md)."""
    tok, h = people(srv, "abcdefgijklmnop")
    a = local(srv, tok, "a", "bcde")
    b = local(srv, tok, "f", "gij", population=2000)
    c = local(srv, tok, "k", population=3000)
    d = local(srv, tok, "l", population=4000)
    done = {}

    # the procedure, in a: a resolution, an amendment, an online vote
    done["resolution"] = a.decide("resolution", votes=A_VOTES)
    parent = a.submit("a", "resolution", title="Nets")
    done["amendment"] = a.decide("amendment", votes=A_VOTES, title="Nets, amended",
                                 text="Nets are lent.", amends=parent)
    a.open(parent, "a")
    a.cast(parent, A_VOTES)
    a.close(parent, "a")
    online = a.submit("c", "resolution", title="Online")
    done["authorise_remote_vote"] = a.decide(
        "authorise_remote_vote", {"motion": online, "mode": "online",
                                  "opens_at": now(), "closes_at": now() + 7200},
        votes=A_VOTES)
    # the assembly's own life
    done["enact_law"] = a.decide("enact_law", votes=A_VOTES, title="Quiet hours",
                                 text="No noise after ten.")
    done["amend_law"] = a.decide("amend_law", {"law": 1}, votes=A_VOTES,
                                 title="Quiet hours", text="No noise after eleven.")
    done["repeal_law"] = a.decide("repeal_law", {"law": 1}, votes=A_VOTES)
    done["change_rules"] = a.decide("change_rules", {"rules": RULES}, votes=A_VOTES)
    done["change_schedule"] = a.decide("change_schedule",
                                       {"schedule": schedule_now("The new hall")},
                                       votes=A_VOTES)
    done["declare_meeting"] = a.decide("declare_meeting",
                                       {"starts_at": now() + 9 * 86400, "place": "The quay"},
                                       votes=A_VOTES)
    done["create_office"] = a.decide("create_office", {"name": "clerk",
                                                       "duties": "Keeps the minutes."},
                                     votes=A_VOTES)
    done["elect_holder"] = a.decide("elect_holder", {"office": "clerk", "holder": h["b"]},
                                    votes=A_VOTES)
    a.chair = "b"
    # the clerk votes against their own recall
    done["recall_holder"] = a.decide("recall_holder", {"office": "clerk"},
                                     votes=[("a", "yes"), ("c", "yes"), ("e", "yes"),
                                            ("b", "no"), ("d", "abstain")])
    a.chair = None
    done["create_committee"] = a.decide("create_committee", {
        "name": "Works", "scope": "The quay.", "decision_kinds": ["resolution"],
        "members": [h["a"], h["b"]], "ends_at": now() + 86400}, votes=A_VOTES)
    cid = srv.get(f"/api/v1/bodies/{a.slug}/offices").json()["committees"][0]["id"]
    done["revoke_committee"] = a.decide("revoke_committee", {"committee": cid},
                                        votes=A_VOTES)
    # the minutes of this meeting keep its language; the next speak Spanish
    done["change_language"] = a.decide("change_language", {"language": "es"},
                                       votes=A_VOTES)

    # the federation: a founds it, b, c and d join, each with one delegate
    t = found_federation(srv, tok, h, a, "a")
    done["found_federation"] = max(m["id"] for m in srv.get(
        f"/api/v1/bodies/{a.slug}/motions").json()["motions"])
    join(b, t, "f", h, B_VOTES)
    b_motions = srv.get(f"/api/v1/bodies/{b.slug}/motions").json()["motions"]
    done["join_federation"] = min(m["id"] for m in b_motions if m["kind"] ==
                                  "join_federation")
    done["elect_delegates"] = min(m["id"] for m in b_motions if m["kind"] ==
                                  "elect_delegates")
    join(c, t, "k", h)
    join(d, t, "l", h)
    fed = Body(srv, tok, t)
    fed.checkin("a", "f", "k", "l")
    F_VOTES = [("a", "yes"), ("f", "yes"), ("k", "no"), ("l", "abstain")]
    done["adopt_proposal"] = fed.decide(
        "adopt_proposal", {"rationale": "Shift workers.",
                           "condition": {"kind": "share_of_population", "percent": 50}},
        votes=F_VOTES, title="Night buses", text="Buses all night.")
    pid = srv.get(f"/api/v1/bodies/{t}/proposals").json()["originated"][0]["id"]
    done["answer_proposal"] = b.decide("answer_proposal", {
        "proposal": pid, "version": 1, "answer": "amend", "counter_text": "Until 2 am.",
        "reasons": "Cost."}, votes=B_VOTES)
    done["new_proposal_version"] = fed.decide(
        "new_proposal_version", {"proposal": pid, "rationale": "b's amendment."},
        votes=F_VOTES, title="Night buses until 2", text="Until 2 am.")
    # c's delegate votes against the suspension of c
    done["suspend_member"] = fed.decide("suspend_member", {"member": c.slug},
                                        votes=F_VOTES)
    done["restore_member"] = fed.decide("restore_member", {"member": c.slug},
                                        votes=[("a", "yes"), ("f", "yes"), ("l", "no")])
    fed.checkin("k")
    done["declaration"] = a.decide("declaration", {"motion": done["join_federation"]},
                                   votes=A_VOTES, title="On b joining")
    # two assemblies of another node ask to join the federation (each by
    # its decision there); the federation accepts one and refuses the
    # other, by its own; a asks to join an assembly of that node
    rhandle, rtok = remote.user()
    asking = []
    for _ in range(2):
        slug = remote.found(rtok, rule=RULES, schedule=schedule_now()).json()["slug"]
        assert decide_there(remote, slug, rtok, "join_remote_federation",
                            {"actor": f"{srv.base}/bodies/{t}"})["status"] == "adopted"
        asking.append(slug)
    deadline = time.time() + 15
    while len(srv.get(f"/api/v1/bodies/{t}/remote").json()["relations"]) < 2:
        assert time.time() < deadline, "the requests did not arrive"
        time.sleep(0.05)
    requests_ = [r["id"] for r in srv.get(f"/api/v1/bodies/{t}/remote").json()["relations"]]
    done["accept_remote_member"] = fed.decide("accept_remote_member",
                                              {"request": requests_[0]}, votes=F_VOTES)
    done["refuse_remote_member"] = fed.decide("refuse_remote_member",
                                              {"request": requests_[1]}, votes=F_VOTES)
    # ... which accepts a, by its decision there; a elects a delegate to
    # it and recalls them
    rfed = unique("rf")
    assert decide_there(remote, asking[0], rtok, "found_federation", {
        "slug": rfed, "name": "Far", "purpose": "general", "region": "far",
        "statement": "Equals.", "rule": RULES, "schedule": schedule_now(),
        "delegate": rhandle, "mandate": "Speak."})["status"] == "adopted"
    far = f"{remote.base}/bodies/{rfed}"
    done["join_remote_federation"] = a.decide(
        "join_remote_federation", {"actor": far}, votes=A_VOTES)
    deadline = time.time() + 15
    while not remote.get(f"/api/v1/bodies/{rfed}/remote").json()["relations"]:
        assert time.time() < deadline, "the request did not arrive"
        time.sleep(0.05)
    request = remote.get(f"/api/v1/bodies/{rfed}/remote").json()["relations"][0]["id"]
    assert decide_there(remote, rfed, rtok, "accept_remote_member",
                        {"request": request})["status"] == "adopted"
    while srv.get(f"/api/v1/bodies/{a.slug}/remote").json()["relations"][0][
            "status"] != "active":
        assert time.time() < deadline, "the acceptance did not arrive"
        time.sleep(0.05)
    # far offers a proposal to its members; a answers it, by its decision
    assert decide_there(remote, rfed, rtok, "adopt_proposal", {
        "condition": {"kind": "at_least", "n": 1}}, title="Shared nets",
        text="Nets are shared along the coast.")["status"] == "adopted"
    while not srv.get(f"/api/v1/bodies/{a.slug}/remote").json()["relations"][0]["offers"]:
        assert time.time() < deadline + 15, "the offer did not arrive"
        time.sleep(0.05)
    offer = srv.get(f"/api/v1/bodies/{a.slug}/remote").json()["relations"][0]["offers"][0]
    done["answer_remote_proposal"] = a.decide("answer_remote_proposal", {
        "offer": offer["id"], "answer": "accept"}, votes=A_VOTES)
    done["elect_remote_delegate"] = a.decide("elect_remote_delegate", {
        "actor": far, "delegate": h["a"], "mandate": "Speak for us."}, votes=A_VOTES)
    done["recall_remote_delegate"] = a.decide("recall_remote_delegate", {
        "actor": far, "delegate": h["a"]}, votes=A_VOTES)
    # a leaves far, by its decision; the federation suspends the assembly
    # of the other node it accepted, restores it, and ends its membership,
    # each by its own
    done["leave_remote_federation"] = a.decide("leave_remote_federation", {"actor": far},
                                               votes=A_VOTES)
    done["suspend_remote_member"] = fed.decide("suspend_remote_member",
                                               {"member": requests_[0]}, votes=F_VOTES)
    done["restore_remote_member"] = fed.decide("restore_remote_member",
                                               {"member": requests_[0]}, votes=F_VOTES)
    done["remove_remote_member"] = fed.decide("remove_remote_member",
                                              {"member": requests_[0]}, votes=F_VOTES)
    # b recalls its delegate, who votes against it; then elects g
    done["recall_delegate"] = b.decide("recall_delegate", {"federation": t,
                                                           "delegate": h["f"]},
                                       votes=[("g", "yes"), ("i", "yes"), ("f", "no"),
                                              ("j", "abstain")])
    b.decide("elect_delegates", {"federation": t, "delegate": h["g"],
                                 "mandate": "Speak for us."}, votes=B_VOTES)
    fed.checkin("g")
    # d leaves: its delegate l voted on a vote still running in the
    # federation, and on the motion to leave
    done["change_weighting"] = fed.submit("a", "change_weighting",
                                          {"weighting": "population"})
    fed.open(done["change_weighting"], "a")
    fed.cast(done["change_weighting"], [("a", "yes"), ("g", "yes"), ("k", "no"),
                                        ("l", "abstain")])
    done["leave_federation"] = d.decide("leave_federation", {"federation": t},
                                        votes=[("l", "yes")])
    assert fed.close(done["change_weighting"], "a")["status"] == "adopted"
    # a member of a is excluded (voting no), then readmitted
    done["exclude_member"] = a.decide("exclude_member", {
        "member": h["e"], "reasons": "Restores inequality.", "hearing": "e was heard."},
        votes=[("a", "yes"), ("b", "yes"), ("c", "yes"), ("e", "no"), ("d", "abstain")])
    done["readmit_member"] = a.decide("readmit_member", {"member": h["e"]}, votes=FOUR)
    # a discussion: b's comment on a motion of a, hidden by a's decision
    # (the motion discussed stays undecided: the adjournment carries it)
    talked = a.submit("a", "resolution", title="Discussed")
    r = srv.post(f"/api/v1/motions/{talked}/comments", {"text": "Something unkind."},
                 token=tok["b"])
    assert r.status_code == 201, r.text
    done["hide_comment"] = a.decide("hide_comment", {"comment": r.json()["id"],
                                                     "reason": "Unkind."}, votes=FOUR)
    # an enterprise of a's community (founded by a, with b, c and d), its
    # own kinds, and a's decision voiding one under a law of a
    comm = srv.get(f"/api/v1/bodies/{a.slug}").json()["community"]
    r = srv.post("/api/v1/enterprises", {
        "name": "The Bakery", "community": comm, "purpose": "Bread for all.",
        "provides": "Bread", "rule": RULES, "schedule": schedule_now(),
        "founders": [h["b"], h["c"], h["d"]]}, token=tok["a"])
    assert r.status_code == 201, r.text
    ent_slug = r.json()["slug"]
    for k in "bcd":
        r = srv.post(f"/api/v1/bodies/{ent_slug}/members",
                     {"affirm": True, "basis": "works"}, token=tok[k])
        assert r.status_code == 201, r.text
    ent = Body(srv, tok, ent_slug)
    ent.checkin("a", "b", "c", "d")
    done["set_conditions"] = ent.decide("set_conditions", votes=FOUR, title="Who may join",
                                        text="Whoever bakes with us.")
    done["admit_member"] = ent.decide("admit_member", {"member": h["e"]}, votes=FOUR)
    a.decide("enact_law", votes=FOUR, title="Bread", text="Nobody is admitted at night.")
    law = max(x["number"] for x in srv.get(f"/api/v1/bodies/{a.slug}/laws").json()["laws"])
    done["void_enterprise_decision"] = a.decide(
        "void_enterprise_decision", {"decision": done["admit_member"], "law": law,
                                     "reasons": "Admitted at night."}, votes=FOUR)
    # what the bakery commits to provide, and a's decisions of its review
    # cycle and of the bakery's standing, then of a person's by name
    done["state_commitment"] = ent.decide("state_commitment", {
        "action": "produce", "what": "Bread", "quantity": 300, "unit": "loaves",
        "period": "week"}, votes=FOUR)
    done["standing_cycle"] = a.decide("standing_cycle", {"months": 12}, votes=FOUR)
    done["decide_standing"] = a.decide("decide_standing", {
        "enterprise": ent_slug, "standing": "probation",
        "must_change": "Bake for the night shift too.", "review_by": now() + 90 * 86400},
        votes=FOUR, text="Its record shows no bread delivered yet.")
    a.decide("decide_standing", {"person": h["b"], "standing": "good"}, votes=FOUR,
             text="Works at the bakery and the school.")
    # a volunteer militia a forms alone, two of its members volunteer, and a
    # dissolves it: their memberships end
    watch = unique("watch")
    done["form_militia"] = a.decide("form_militia", {
        "slug": watch, "name": "Quay watch", "purpose": "Watch the quay at night.",
        "rule": RULES, "schedule": schedule_now("The quay")}, votes=FOUR)
    for k in "bc":
        r = srv.post(f"/api/v1/bodies/{watch}/members",
                     {"affirm": True, "basis": "volunteer"}, token=tok[k])
        assert r.status_code == 201, r.text
    done["dissolve_militia"] = a.decide("dissolve_militia", {"militia": watch},
                                        votes=FOUR)
    # the sharing economy (src/gov/sharing): a founds one; the bakery, in
    # good standing, offers bread; a declares it scarce and lifts it; a
    # leaves the economy
    done["join_sharing_economy"] = a.decide("join_sharing_economy", {
        "economy": unique("coast"), "name": "The coast commons"}, votes=FOUR)
    a.decide("decide_standing", {"enterprise": ent_slug, "standing": "good"}, votes=FOUR,
             text="It bakes for the night shift now.")
    r = srv.post(f"/api/v1/enterprises/{ent_slug}/goods", {
        "kind": "product", "name": "Bread", "unit": "loaf", "units": "loaves",
        "stock": 100}, token=tok["b"])
    assert r.status_code == 201, r.text
    bread = r.json()["id"]
    done["declare_scarce"] = a.decide("declare_scarce", {
        "good": bread, "categories": "Families with children: 50; Everyone", "cap": 3,
        "round_days": 7}, votes=FOUR, text="The mill is flooded.")
    done["lift_scarcity"] = a.decide("lift_scarcity", {"good": bread}, votes=FOUR)
    # a federation a founds proposes a policy for the bread, and its end;
    # a's acceptance of each applies it (docs/sharing.md); its own, so
    # that its votes are counted one voice each
    t2 = found_federation(srv, tok, h, a, "a")
    sfed = Body(srv, tok, t2)
    sfed.checkin("a")
    for kind, extra in (("propose_scarcity", {"categories": "Everyone", "cap": 0,
                                              "round_days": 7}),
                        ("propose_lift_scarcity", {})):
        done[kind] = sfed.decide(kind, {"good": bread, **extra, "rationale": "Shared.",
                                        "condition": {"kind": "at_least", "n": 1}},
                                 votes=[("a", "yes")], title="Bread",
                                 text="Across the coast.")
        sp = srv.get(f"/api/v1/bodies/{t2}/proposals").json()["originated"][0]["id"]
        a.decide("answer_proposal", {"proposal": sp, "version": 1, "answer": "accept"},
                 votes=FOUR)
    assert srv.get(f"/api/v1/goods/{bread}").json()["policies"][0]["proposal"]
    done["grant_mutual_aid"] = a.decide("grant_mutual_aid", {
        "good": bread, "person": h["e"], "quantity": 2}, votes=FOUR, text="In need.")
    # e's household, out of the economy by e's own act: a allots it a plot,
    # revokes it, and sets its terms of barter
    house = unique("house")
    r = srv.post("/api/v1/households", {"slug": house, "name": "E's house"}, token=tok["e"])
    assert r.status_code == 201, r.text
    r = srv.request("PUT", "/api/v1/me/sharing", {"opted_out": True}, token=tok["e"])
    assert r.status_code == 200, r.text
    done["allot_means"] = a.decide("allot_means", {
        "household": house, "what": "The east plot", "purpose": "Vegetables",
        "priority": "Fallow; e mends the commons' nets."}, votes=FOUR)
    plot = srv.get(f"/api/v1/bodies/{a.slug}/allotments").json()["allotments"][0]["id"]
    done["revoke_allotment"] = a.decide("revoke_allotment", {"allotment": plot},
                                        votes=FOUR, text="The school needs it.")
    done["set_barter_terms"] = a.decide("set_barter_terms", {
        "taken_goods": "refused", "classes": "Medicine"}, votes=FOUR)
    done["leave_sharing_economy"] = a.decide("leave_sharing_economy", {}, votes=FOUR)
    # a community divides by its decision (src/gov/community): the three
    # voting no or abstaining become members of nothing until they choose
    e = local(srv, tok, "m", "nop", population=900)
    part = unique("part")
    done["divide_community"] = e.decide("divide_community", {
        "communities": [{"name": f"Part {i}", "slug": f"{part}-{i}", "areas": f"Street {i}",
                         "population": 300, "schedule": schedule_now()} for i in (1, 2, 3)],
        "regional_name": "The parts", "regional_slug": part + "-all"},
        votes=[("m", "yes"), ("n", "yes"), ("o", "no"), ("p", "abstain")])
    # two communities unite, each by its decision: the union takes place at
    # the second adoption
    u1 = local(srv, tok, "o", population=500)
    u2 = local(srv, tok, "p", population=700)
    whole = unique("whole")
    sched = schedule_now("The joint hall")
    for body, other, who in ((u1, u2, "o"), (u2, u1, "p")):
        done["unite_communities"] = body.decide("unite_communities", {
            "with": [other.slug], "slug": whole, "name": "Whole", "areas": "Both banks.",
            "statement": "As equals.", "rule": RULES, "schedule": sched},
            votes=[(who, "yes")])
    # the positions the majority rules do not offer, under the rules that
    # do: consensus (stand aside, block) and consent (objection); adopted
    # or not, each decision's record is checked the same
    for rule, ballots in (("consensus", [[("a", "yes"), ("b", "stand_aside"), ("c", "yes"),
                                          ("d", "yes")],
                                         [("a", "yes"), ("b", "block"), ("c", "stand_aside"),
                                          ("d", "yes")]]),
                          ("consent", [[("a", "yes"), ("b", "abstain"), ("c", "objection"),
                                        ("d", "yes")]])):
        a.decide("change_rules", {"rules": {"default": RULES["default"], "by_kind": {
            "resolution": {"kind": rule}}}}, votes=FOUR)
        for votes in ballots:
            mid = a.submit("a", "resolution", title="By " + rule)
            a.open(mid, "a")
            a.cast(mid, votes)
            a.close(mid, "a")
    # a's meeting ends by a motion to adjourn; the others close
    done["adjourn"] = a.decide("adjourn", votes=FOUR, title="Adjourn", text="")
    for body, who in ((fed, "a"), (sfed, "a"), (b, "g"), (c, "k"), (d, "l"), (ent, "a"),
                      (e, "m"), (u1, "o"), (u2, "p")):
        r = srv.post(f"/api/v1/meetings/{body.meeting}/close", token=tok[who])
        assert r.status_code == 200, (body.slug, r.text)
    return done, [a.meeting, fed.meeting, sfed.meeting, b.meeting, c.meeting, d.meeting,
                  ent.meeting, e.meeting, u1.meeting, u2.meeting]


VOTES_LINE = re.compile(r"^Votes \(open ballot\): (.*)\.$", re.M)
WORDS = {"stand aside": "stand_aside"}


def minutes_votes(srv, meeting):
    """{motion id: sorted [(member, position)]} from a meeting's minutes."""
    r = srv.get(f"/api/v1/meetings/{meeting}/minutes")
    assert r.status_code == 200, r.text
    out = {}
    for section in re.split(r"\n(?=#+ )", r.text):
        mid = re.search(r"^Motion (\d+): ", section, re.M)
        line = VOTES_LINE.search(section)
        if mid and line:
            out[int(mid.group(1))] = sorted(
                (who, WORDS.get(pos, pos)) for who, pos in
                (v.split(": ", 1) for v in line.group(1).split("; ")))
    return out


# The kinds of a polity's assembly, whose members are seated by lot: their
# scenario needs the server's controlled clock (test below).
POLITY_KINDS = {"polity_settings", "remove_seat"}
# The kinds of a case (src/gov/cases), decided by a polity's assembly too.
CASE_KINDS = {"take_up_case", "harm_question", "charge_civil_service", "remedy_question",
              "review_case", "seal_evidence", "set_case_rules", "request_evidence_brief",
              "schedule_testimony"}
POLITY_KINDS |= CASE_KINDS


def test_every_kind_records_every_vote_it_counted(start_server):
    srv = start_server()  # its own journal: every decision in it is checked
    kinds = {k["name"] for k in srv.get("/api/v1/motion-kinds").json()["kinds"]}
    done, meetings = every_kind(srv, start_server())
    assert kinds == set(done) | POLITY_KINDS, ("kinds without a scenario here",
                                               kinds - set(done) - POLITY_KINDS)
    positions = check_records(srv, done, meetings, kinds - POLITY_KINDS)
    # every position a vote can take (vote.c, vote_positions) was cast
    assert positions == {"yes", "no", "abstain", "stand_aside", "block", "objection"}, \
        positions


def check_records(srv, done, meetings, kinds):
    """Over every decided motion: the votes listed, the counts, the
    minutes and the journal's decision agree, and the replay rebuilds the
    same. Returns the positions cast."""
    minutes = {}
    for m in meetings:
        minutes.update(minutes_votes(srv, m))
    decided = {e["payload"]["motion"]: e["payload"] for e in journal(srv)
               if e["action"] == "motion.decide"}
    problems, positions = [], set()
    checked, checked_ids = set(), set()
    for mid, entry in sorted(decided.items()):
        m = srv.get(f"/api/v1/motions/{mid}").json()
        if m["ballot"] != "open" or m["vote_mode"] != "devices" or m.get("ranked"):
            continue
        listed = collections.Counter(v["position"] for v in m["votes"])
        counts = {k: n for k, n in m["result"]["counts"].items() if k != "weighted"}
        journalled = {k: n for k, n in entry["result"]["counts"].items()
                      if k != "weighted"}
        votes = sorted((v["member"], v["position"]) for v in m["votes"])
        positions |= set(listed)
        if dict(listed) != counts or counts != journalled:
            problems.append((m["kind"], mid, "listed", dict(listed), "counts", counts,
                             "journal", journalled))
        if minutes.get(mid) != votes:
            problems.append((m["kind"], mid, "minutes", minutes.get(mid), "votes", votes))
        checked.add(m["kind"])
        checked_ids.add(mid)
    assert not problems, problems
    assert checked == kinds, kinds - checked
    assert set(done.values()) <= checked_ids, set(done.values()) - checked_ids
    # the replay rebuilds the same votes: the decision before its effect
    p = run("journal", "verify", "--state", "--json", "--db", srv.db, check=None)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["state"]["ok"], j
    return positions


def test_the_polity_assemblys_kinds_record_every_vote(tmp_path):
    """polity_settings and remove_seat, decided by members seated by lot
    (a renewal drawn on the server's controlled clock), the removed member
    voting too: the same record checks as every other kind."""
    import time
    from conftest import Server, assert_clean_exit
    (tmp_path / "lot").mkdir()
    srv = Server(str(tmp_path / "lot"), init_args=("--controlled-clock",))
    try:
        c = srv.add_community()
        reg, pol = unique("r"), unique("p")
        run("region", "add", reg, "--name", "R", "--communities", c, "--db", srv.db,
            check=0)
        run("polity", "add", pol, "--name", "P", "--description", "D", "--region", reg,
            "--seats", 4, "--cohorts", 1, "--db", srv.db, check=0)
        time.sleep(1.1)  # consent given after the polity's registration
        names = [srv.signup() for _ in range(5)]
        tok = {n: srv.signin(n) for n in names}
        for n in names:
            r = srv.request("PUT", "/api/v1/me/residence", {"community": c}, token=tok[n])
            assert r.status_code == 200, r.text
        draw_at = srv.get(f"/api/v1/polities/{pol}").json()["next_renewal"]["draw_at"]

        def clock(t, consent=False):
            run("polity", "renew", pol, "--at", "@%d" % t, "--db", srv.db, check=0)
            for n in names:  # sessions run on the same clock
                tok[n] = srv.signin(n)
                if consent:
                    r = srv.post("/api/v1/me/consent", {"affirm": True}, token=tok[n])
                    assert r.status_code == 201, r.text
        clock(draw_at - 15 * 86400, consent=True)
        clock(draw_at - 14 * 86400)
        clock(draw_at)
        rid = [r for r in srv.get(f"/api/v1/polities/{pol}/renewals").json()["renewals"]
               if r["status"] == "committed"][0]["id"]
        for n in names[:2]:
            g = srv.post(f"/api/v1/renewals/{rid}/seed", {"text": "dice:4"},
                         token=tok[n]).json()
        assert g["status"] == "drawn", g
        seated = []
        for n in names:
            for m in srv.get("/api/v1/me/summons", token=tok[n]).json()["summons"]:
                r = srv.post(f"/api/v1/summons/{m['id']}/answer", {"answer": "accept"},
                             token=tok[n])
                assert r.status_code == 200, r.text
                seated.append(n)
        assert len(seated) == 4, seated
        a, b, c2, d = seated
        meeting = [m for m in srv.get(f"/api/v1/bodies/{pol}/meetings").json()["upcoming"]
                   if m["starts_at"] > draw_at][0]
        done = {}
        motions = {}
        for kind, params, title in (
                ("polity_settings", {"witnesses": 3, "seats": 5, "no_answer": "defer"},
                 "Three witnesses, five seats, the silent deferred"),
                ("remove_seat", {"member": d, "reasons": "Never came."}, "Remove d")):
            r = srv.post(f"/api/v1/bodies/{pol}/motions", {
                "kind": kind, "title": title, "params": params}, token=tok[a])
            assert r.status_code == 201, r.text
            motions[kind] = r.json()["id"]
        clock(meeting["starts_at"] + 60)
        for n in (a, b, c2, d):
            code = srv.get(f"/api/v1/meetings/{meeting['id']}/code", token=tok[a]).json()
            r = srv.post(f"/api/v1/meetings/{meeting['id']}/checkins", {"code": code["code"]},
                         token=tok[n])
            assert r.status_code in (200, 201), r.text
        for kind, mid in motions.items():
            r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok[a])
            assert r.status_code == 200, r.text
            for n, pos in ((a, "yes"), (b, "yes"), (c2, "no"), (d, "abstain")):
                r = srv.post(f"/api/v1/motions/{mid}/votes", {"position": pos}, token=tok[n])
                assert r.status_code == 201, (kind, n, r.text)
            r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok[a])
            assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
            done[kind] = mid
        r = srv.post(f"/api/v1/meetings/{meeting['id']}/close", token=tok[a])
        assert r.status_code == 200, r.text
        positions = check_records(srv, done, [meeting["id"]], POLITY_KINDS - CASE_KINDS)
        assert positions == {"yes", "no", "abstain"}, positions
        # the settings decided: five seats from the cohort's next renewal
        p = srv.get(f"/api/v1/polities/{pol}").json()
        assert (p["seats"], p["settings"]["no_answer"]) == (5, "defer"), p
        assert [c["next_seats"] for c in p["cohort_list"]] == [5]
        # d's seat is gone, d's vote on it kept
        m = srv.get(f"/api/v1/motions/{done['remove_seat']}").json()
        assert (d, "abstain") in {(v["member"], v["position"]) for v in m["votes"]}
    finally:
        assert_clean_exit(*srv.stop())


def test_the_kinds_of_a_case_record_every_vote(tmp_path):
    """Each step of a case (docs/cases.md), decided by members seated by
    lot: the harm question and the remedy's, whose "no" has an effect of
    its own (no harm; the remedy approved and the register changed), and
    a review a year later on the controlled clock: the same record checks
    as every other kind."""
    from conftest import Server, assert_clean_exit
    from test_cases import Polity
    (tmp_path / "cases").mkdir()
    srv = Server(str(tmp_path / "cases"), init_args=("--controlled-clock",))
    try:
        w = Polity(srv)
        w.floor()
        meetings = [w.meeting_id]
        adopt, reject = ("yes", "yes", "no", "abstain"), ("no", "no", "yes", "abstain")
        r = srv.post(f"/api/v1/polities/{w.slug}/cases", {
            "absence": "moorings for visiting boats", "title": "No moorings",
            "statement": "Visitors moor on the fishing quay."}, token=w.tok[w.others[0]])
        assert r.status_code == 201, r.text
        cid = r.json()["id"]
        done = {}
        done["take_up_case"] = w.decide("take_up_case", {"case": cid, "decision": "take_up"},
                                        adopt)["id"]
        # in hearing: a piece of evidence, sealed by the assembly; the
        # rules of its cases
        r = srv.post(f"/api/v1/cases/{cid}/evidence", {"text": "Photos of the crews."},
                     token=w.tok[w.others[1]])
        assert r.status_code == 201, r.text
        done["seal_evidence"] = w.decide("seal_evidence", {
            "case": cid, "evidence": r.json()["id"], "reasons": "Faces."}, adopt)["id"]
        done["set_case_rules"] = w.decide("set_case_rules", {
            "petitioners": "residents", "anonymous_evidence": "yes"}, adopt)["id"]
        done["request_evidence_brief"] = w.decide("request_evidence_brief", {
            "case": cid, "deadline": w.now + 10 * 86400}, adopt)["id"]
        # witnesses heard at the assembly's next meeting
        nxt = [m for m in srv.get(f"/api/v1/bodies/{w.slug}/meetings").json()["upcoming"]
               if m["starts_at"] > w.now][0]
        done["schedule_testimony"] = w.decide("schedule_testimony", {
            "case": cid, "meeting": nxt["id"], "witnesses": [
                {"name": "The harbour master", "at": nxt["starts_at"] + 1800}]},
            adopt)["id"]
        done["harm_question"] = w.decide("harm_question", {"case": cid,
                                         "findings": "Boats collide."}, adopt)["id"]
        done["charge_civil_service"] = w.decide("charge_civil_service", {
            "case": cid, "deadline": w.now + 30 * 86400}, adopt)["id"]
        r = srv.post(f"/api/v1/cases/{cid}/recommendations", {
            "title": "Visitors' moorings", "text": "Visitors moor at the east pontoon.",
            "rationale": "r", "effect": "e", "measures": "m", "alternatives": "a"},
            token=w.tok[w.servant])
        assert r.status_code == 201, r.text
        rec = r.json()["recommendations"][0]["id"]
        d = w.decide("remedy_question", {"case": cid, "recommendation": rec}, reject)
        assert d["status"] == "rejected" and d["result"].get("void_reason") is None, d
        done["remedy_question"] = d["id"]
        w.end()
        w.clock(w.case(cid)["review_at"] + 60)
        w.session()
        meetings.append(w.meeting_id)
        w.decide("harm_question", {"case": cid, "findings": "No collisions."}, reject)
        done["review_case"] = w.decide("review_case", {"case": cid, "outcome": "confirm"},
                                       adopt)["id"]
        w.end()
        # the assembly took motions from the floor first (change_schedule)
        positions = check_records(srv, done, meetings, CASE_KINDS | {"change_schedule"})
        assert positions == {"yes", "no", "abstain"}, positions
        assert srv.get(f"/api/v1/bodies/{w.slug}/laws/1").json()["versions"][0]["case"] == cid
    finally:
        assert_clean_exit(*srv.stop())
