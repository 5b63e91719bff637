"""Refusals generated from the route table (issue 11 section 6).

Every route of `pnyx routes --json` is tried by every kind of caller who
might be refused: nobody signed in, a bad token, a signed-in person who
belongs nowhere, a member who left, an excluded member, a member of
another assembly, a recalled delegate, a committee member acting outside
the committee's powers, and the holder of a recalled office. The expected
outcome comes from EXPECT: a default per auth level, then per route where
the route says more. A refusal must be the JSON error body with the
expected status and code, and must change nothing: the journal's length
and a hash of every table of the database (read directly, read-only) are
the same after as before. What a caller may do is run too when it only
reads (it must answer 2xx); what they may do that changes something is
left to the tests of that route, so the fixture stays as it is.

A route that is not in EXPECT fails test_every_route_has_expectations:
a new route joins the matrix by a row."""
import json
import secrets
import time

import pytest

from conftest import RULES, checkin, decide, run, schedule_now, state_hash, submit, unique

CALLERS = ["anonymous", "bad_token", "nonmember", "left", "excluded",
           "other_member", "recalled_delegate", "committee_outside",
           "recalled_office"]

# Outcomes: ("refuse", status, code) is run and must be refused, changing
# nothing; "read" is run and must answer 2xx; "act" is allowed and
# changes something, so it is not run here.
UNAUTH = ("refuse", 401, "unauthenticated")
NOT_MEMBER = ("refuse", 403, "not_member")
EXCLUDED = ("refuse", 403, "excluded")
FORBIDDEN = ("refuse", 403, "forbidden")

# By auth level, for a route's method: reads and changes.
BY_AUTH = {
    # credentials are not looked at: everyone may
    "none": {c: "read" for c in CALLERS},
    # anyone may read; a script's wrong token is an error
    "optional": {**{c: "read" for c in CALLERS}, "bad_token": UNAUTH},
    # signed in, and acting within an assembly: outsiders refused
    "required": {"anonymous": UNAUTH, "bad_token": UNAUTH,
                 "nonmember": NOT_MEMBER, "left": NOT_MEMBER,
                 "excluded": EXCLUDED, "other_member": NOT_MEMBER,
                 "recalled_delegate": NOT_MEMBER,
                 "committee_outside": "act", "recalled_office": "act"},
}

# Rows for routes that say more than their auth level: callers not named
# keep the default.
SELF_SERVICE = {"nonmember": "act", "left": "act", "excluded": "act",
                "other_member": "act", "recalled_delegate": "act"}
SIGNED_IN = ["nonmember", "left", "excluded", "other_member",
             "recalled_delegate", "committee_outside", "recalled_office"]
SIGNED_IN_READ = {c: "read" for c in SIGNED_IN}
SIGNED_IN_ACT = {c: "act" for c in SIGNED_IN}
EXPECT = {
    # the node seen from the fediverse (tests/api/test_actors.py): public
    ("GET", "/.well-known/webfinger"): {},
    ("GET", "/.well-known/nodeinfo"): {},
    ("GET", "/nodeinfo/2.1"): {},
    ("GET", "/actor"): {},
    ("GET", "/bodies/{slug}"): {},
    ("GET", "/bodies/{slug}/outbox"): {},
    ("GET", "/bodies/{slug}/posts/{post}"): {},
    ("GET", "/bodies/{slug}/followers"): {},
    # an inbox journals every activity, taken or refused (node.refuse), so
    # a refusal there changes the journal by design: its refusals are
    # tests/api/test_nodes_federation.py's, each checked to change nothing
    # else; credentials are not what it looks at (HTTP signatures are)
    ("POST", "/bodies/{slug}/inbox"): {c: "act" for c in CALLERS},
    # the shared inbox takes a Follow or its Undo from the fediverse, signed
    # (tests/api/test_fedi_follow.py refuses each wrong one and checks it
    # changes nothing); credentials are not looked at, and what is not a
    # follow is refused by its type
    ("POST", "/inbox"): {c: ("refuse", 400, "bad_input") for c in CALLERS},
    ("GET", "/api/v1/bodies/{slug}/remote"): {},
    # a delegate votes in a delegate assembly on another node
    # (test_nodes_votes.py): members of the assembly only
    ("POST", "/api/v1/bodies/{slug}/remote/votes"): {},
    ("GET", "/people/{handle}"): {},
    ("GET", "/api/v1/health"): {},
    ("POST", "/api/v1/accounts"): {c: "act" for c in CALLERS},
    ("POST", "/api/v1/sessions"): {c: "act" for c in CALLERS},
    ("DELETE", "/api/v1/sessions/current"): SELF_SERVICE,
    ("GET", "/api/v1/me"): {c: "read" for c in SELF_SERVICE},
    # notifications and settings: one's own, whoever one is; marking read
    # and changing settings act on one's own rows only (their refusals:
    # tests/api/test_notifications.py)
    ("GET", "/api/v1/me/notifications"): SIGNED_IN_READ,
    ("GET", "/api/v1/me/notifications/count"): SIGNED_IN_READ,
    ("POST", "/api/v1/me/notifications/read"): SIGNED_IN_ACT,
    ("GET", "/api/v1/me/settings"): SIGNED_IN_READ,
    ("PUT", "/api/v1/me/settings"): SIGNED_IN_ACT,
    ("PUT", "/api/v1/me/language"): SIGNED_IN_ACT,
    ("PUT", "/api/v1/me/residence"): SIGNED_IN_ACT,
    ("POST", "/api/v1/me/consent"): SIGNED_IN_ACT,
    # one's own profile (its refusals: tests/api/test_lot_quotas.py)
    ("PUT", "/api/v1/me/profile"): SIGNED_IN_ACT,
    ("GET", "/api/v1/regions"): {},
    ("GET", "/api/v1/regions/{slug}"): {},
    ("GET", "/api/v1/polities"): {},
    ("GET", "/api/v1/polities/{slug}"): {},
    # service by lot: reads are public; the witness, the answer, the
    # clerk's decision and resigning are refused for a renewal or summons
    # that does not exist here (their refusals of wrong callers and states:
    # tests/api/test_renewals.py)
    ("GET", "/api/v1/polities/{slug}/renewals"): {},
    # the excuses waiting: the clerk's; while the office is vacant (as
    # here), the assembly's members' (nobody here holds a seat)
    ("GET", "/api/v1/polities/{slug}/excuses"): {c: FORBIDDEN for c in SIGNED_IN},
    ("GET", "/api/v1/renewals/{id}"): {c: ("refuse", 404, "not_found")
                                       for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/renewals/{id}/record"): {c: ("refuse", 404, "not_found")
                                              for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/renewals/{id}/result"): {c: ("refuse", 404, "not_found")
                                              for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/renewals/{id}/lottery"): {c: ("refuse", 404, "not_found")
                                               for c in CALLERS if c != "bad_token"},
    ("POST", "/api/v1/renewals/{id}/seed"): {c: ("refuse", 404, "not_found")
                                             for c in SIGNED_IN},
    ("GET", "/api/v1/me/summons"): SIGNED_IN_READ,
    ("POST", "/api/v1/summons/{id}/answer"): {c: ("refuse", 404, "not_found")
                                              for c in SIGNED_IN},
    ("POST", "/api/v1/summons/{id}/excuse"): {c: ("refuse", 404, "not_found")
                                              for c in SIGNED_IN},
    ("POST", "/api/v1/me/seat/resign"): {c: ("refuse", 409, "conflict")
                                         for c in SIGNED_IN},
    # the harm question (its refusals of wrong callers and states:
    # tests/api/test_cases.py): reads are public; nobody here is a
    # citizen of the polity, so nobody may petition it; the civil
    # service's acts are refused for a case that does not exist here
    ("GET", "/api/v1/polities/{slug}/cases"): {},
    ("GET", "/api/v1/polities/{slug}/cases.ics"): {},
    ("POST", "/api/v1/polities/{slug}/cases"): {c: FORBIDDEN for c in SIGNED_IN},
    ("GET", "/api/v1/cases/{id}"): {c: ("refuse", 404, "not_found")
                                    for c in CALLERS if c != "bad_token"},
    ("POST", "/api/v1/cases/{id}/recommendations"): {c: ("refuse", 404, "not_found")
                                                     for c in SIGNED_IN},
    ("POST", "/api/v1/cases/{id}/reports"): {c: ("refuse", 404, "not_found")
                                             for c in SIGNED_IN},
    # evidence (tests/api/test_case_evidence.py): anyone signed in submits
    # to a case in hearing, anyone reads; here the case is not there
    ("POST", "/api/v1/cases/{id}/evidence"): {c: ("refuse", 404, "not_found")
                                              for c in SIGNED_IN},
    ("GET", "/api/v1/cases/{id}/evidence"): {c: ("refuse", 404, "not_found")
                                             for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/cases/{id}/evidence/{evidence}/files/{n}"): {
        c: ("refuse", 404, "not_found") for c in CALLERS if c != "bad_token"},
    # testimony (tests/api/test_case_testimony.py): the clerk records at
    # the meeting; here the case is not there. The witnesses of a meeting
    # are public (none scheduled at this one)
    ("POST", "/api/v1/cases/{id}/testimony/{witness}"): {
        c: ("refuse", 404, "not_found") for c in SIGNED_IN},
    ("GET", "/api/v1/meetings/{id}/testimony"): {},
    # founding an enterprise in Harbour's community: only its active
    # members (the rest of its refusals: tests/api/test_economy.py)
    ("POST", "/api/v1/enterprises"): {
        **{c: ("refuse", 403, "enterprise_not_local")
           for c in ("nonmember", "left", "excluded", "other_member")},
        "recalled_delegate": "act", "committee_outside": "act",
        "recalled_office": "act"},
    ("GET", "/api/v1/enterprises"): {},
    ("GET", "/api/v1/enterprises/{slug}"): {},
    # contributions and standing (their other refusals:
    # tests/api/test_standing.py): only the enterprise's active members
    # record a delivery, and nobody here took anything from it
    ("GET", "/api/v1/enterprises/{slug}/contributions"): {},
    ("POST", "/api/v1/enterprises/{slug}/deliveries"): {
        c: ("refuse", 403, "not_member") for c in SIGNED_IN},
    # a correction: the delivery's recorder only, an active member
    ("POST", "/api/v1/enterprises/{slug}/deliveries/{id}/correction"): {
        c: ("refuse", 403, "not_member") for c in SIGNED_IN},
    ("POST", "/api/v1/enterprises/{slug}/appreciations"): {
        c: ("refuse", 403, "appreciation_nothing_taken") for c in SIGNED_IN},
    ("GET", "/api/v1/enterprises/{slug}/valueflows"): {},
    ("GET", "/api/v1/enterprises/{slug}/standing"): {},
    ("GET", "/api/v1/people/{handle}/standing"): {},
    # one's own basis, whoever one is
    ("PUT", "/api/v1/me/standing-basis"): SIGNED_IN_ACT,
    # a local assembly's review; the recalled delegate tries it on the
    # delegate assembly, which has none
    ("GET", "/api/v1/bodies/{slug}/standing"): {
        "recalled_delegate": ("refuse", 404, "not_found")},
    # the sharing economy (its refusals of wrong callers, standing and
    # state: tests/api/test_sharing.py): there is none here, nor any
    # good; only the enterprise's active members offer to it
    ("GET", "/api/v1/economies"): {},
    ("GET", "/api/v1/economies/{slug}"): {c: ("refuse", 404, "not_found")
                                          for c in CALLERS if c != "bad_token"},
    ("POST", "/api/v1/enterprises/{slug}/goods"): {
        c: ("refuse", 403, "not_member") for c in SIGNED_IN},
    ("GET", "/api/v1/goods/{id}"): {c: ("refuse", 404, "not_found")
                                    for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/goods/{id}/loans"): {c: ("refuse", 404, "not_found")
                                          for c in CALLERS if c != "bad_token"},
    ("PUT", "/api/v1/goods/{id}/stock"): {c: ("refuse", 404, "not_found")
                                          for c in SIGNED_IN},
    ("POST", "/api/v1/goods/{id}/takes"): {c: ("refuse", 404, "not_found")
                                           for c in SIGNED_IN},
    ("POST", "/api/v1/goods/{id}/return"): {c: ("refuse", 404, "not_found")
                                            for c in SIGNED_IN},
    ("POST", "/api/v1/goods/{id}/renew"): {c: ("refuse", 404, "not_found")
                                           for c in SIGNED_IN},
    ("POST", "/api/v1/goods/{id}/collect"): {c: ("refuse", 404, "not_found")
                                             for c in SIGNED_IN},
    ("POST", "/api/v1/goods/{id}/requests"): {c: ("refuse", 404, "not_found")
                                              for c in SIGNED_IN},
    ("POST", "/api/v1/goods/{id}/rankings"): {c: ("refuse", 404, "not_found")
                                              for c in SIGNED_IN},
    ("GET", "/api/v1/rounds/{id}"): {c: ("refuse", 404, "not_found")
                                     for c in CALLERS if c != "bad_token"},
    ("POST", "/api/v1/rounds/{id}/close"): {c: ("refuse", 404, "not_found")
                                            for c in SIGNED_IN},
    ("POST", "/api/v1/rounds/{id}/draw"): {c: ("refuse", 404, "not_found")
                                           for c in SIGNED_IN},
    # a request's evidence of need: no request with evidence here; the
    # refusals of its readers and reviewers are tests/api/test_sharing_need.py's
    ("GET", "/api/v1/requests/{id}/evidence"): {c: ("refuse", 404, "not_found")
                                                for c in SIGNED_IN},
    ("GET", "/api/v1/requests/{id}/evidence/{n}"): {c: ("refuse", 404, "not_found")
                                                    for c in SIGNED_IN},
    ("POST", "/api/v1/requests/{id}/review"): {c: ("refuse", 404, "not_found")
                                               for c in SIGNED_IN},
    # every round due, closed or drawn at once: the world's assembly has
    # none; the recalled delegate names the delegate assembly, no local one
    ("POST", "/api/v1/bodies/{slug}/rounds/close"): {
        c: ("refuse", 404 if c == "recalled_delegate" else 409,
            "not_found" if c == "recalled_delegate" else "conflict") for c in SIGNED_IN},
    ("POST", "/api/v1/bodies/{slug}/rounds/draw"): {
        c: ("refuse", 404 if c == "recalled_delegate" else 409,
            "not_found" if c == "recalled_delegate" else "conflict") for c in SIGNED_IN},
    # a local assembly's economy: anyone reads it; the recalled delegate
    # asks the delegate assembly's, which is no local assembly
    ("GET", "/api/v1/bodies/{slug}/economy"): {
        "recalled_delegate": ("refuse", 404, "not_found")},
    ("GET", "/api/v1/me/sharing"): SIGNED_IN_READ,
    ("PUT", "/api/v1/me/sharing"): SIGNED_IN_ACT,
    ("GET", "/api/v1/people/{handle}/takes"): {},
    # households and barter (their refusals: tests/api/test_sharing_barter.py):
    # there is no household here, nor any barter; anyone signed in may
    # declare a household and read their own
    ("POST", "/api/v1/households"): SIGNED_IN_ACT,
    ("GET", "/api/v1/households/{slug}"): {c: ("refuse", 404, "not_found")
                                           for c in CALLERS if c != "bad_token"},
    ("POST", "/api/v1/households/{slug}/invite"): {c: ("refuse", 404, "not_found")
                                                   for c in SIGNED_IN},
    ("POST", "/api/v1/households/{slug}/join"): {c: ("refuse", 404, "not_found")
                                                 for c in SIGNED_IN},
    ("POST", "/api/v1/households/{slug}/leave"): {c: ("refuse", 404, "not_found")
                                                  for c in SIGNED_IN},
    ("GET", "/api/v1/me/household"): SIGNED_IN_READ,
    ("POST", "/api/v1/barters"): {c: ("refuse", 404, "not_found") for c in SIGNED_IN},
    ("GET", "/api/v1/barters/{id}"): {c: ("refuse", 404, "not_found")
                                      for c in CALLERS if c != "bad_token"},
    ("POST", "/api/v1/barters/{id}/confirm"): {c: ("refuse", 404, "not_found")
                                               for c in SIGNED_IN},
    ("POST", "/api/v1/barters/{id}/withdraw"): {c: ("refuse", 404, "not_found")
                                                for c in SIGNED_IN},
    ("POST", "/api/v1/barters/{id}/decline"): {c: ("refuse", 404, "not_found")
                                               for c in SIGNED_IN},
    # only a local assembly allots: the recalled delegate's is a delegate assembly
    ("GET", "/api/v1/bodies/{slug}/allotments"): {
        "recalled_delegate": ("refuse", 404, "not_found")},
    # militias are read by anyone (their refusals: tests/api/test_militia.py)
    ("GET", "/api/v1/militias"): {},
    ("GET", "/api/v1/militias/{slug}"): {},
    ("GET", "/api/v1/communities"): {},
    ("GET", "/api/v1/communities/{slug}"): {},
    ("POST", "/api/v1/bodies"): SELF_SERVICE,
    ("GET", "/api/v1/bodies"): {},
    ("GET", "/api/v1/bodies/{slug}"): {},
    # joining: anyone but the excluded; members are members already
    ("POST", "/api/v1/bodies/{slug}/members"): {
        "nonmember": "act", "left": "act", "excluded": EXCLUDED,
        "other_member": "act",
        "recalled_delegate": ("refuse", 403, "fed_delegates"),
        "committee_outside": ("refuse", 409, "already_member"),
        "recalled_office": ("refuse", 409, "already_member")},
    ("GET", "/api/v1/bodies/{slug}/members"): {},
    ("DELETE", "/api/v1/bodies/{slug}/members/me"): {},
    # a divided assembly's members choose their new community; these
    # assemblies never divided: nothing to choose, nobody to list (the
    # refusals after a division: tests/api/test_communities.py)
    ("POST", "/api/v1/bodies/{slug}/choice"): {c: ("refuse", 409, "conflict")
                                               for c in SIGNED_IN},
    ("GET", "/api/v1/bodies/{slug}/division"): {c: ("refuse", 409, "conflict")
                                                for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/me/communities"): SIGNED_IN_READ,
    ("GET", "/api/v1/unions/{slug}"): {c: ("refuse", 404, "not_found")
                                       for c in CALLERS if c != "bad_token"},
    ("GET", "/api/v1/bodies/{slug}/meetings"): {},
    ("GET", "/api/v1/bodies/{slug}/calendar.ics"): {},
    ("GET", "/api/v1/bodies/{slug}/offices"): {},
    ("GET", "/api/v1/meetings/{id}"): {},
    ("GET", "/api/v1/meetings/{id}/events"): {},
    # once there is a clerk, only the clerk or the facilitator shows it
    ("GET", "/api/v1/meetings/{id}/code"): {
        "committee_outside": FORBIDDEN, "recalled_office": FORBIDDEN},
    ("GET", "/api/v1/meetings/{id}/code.svg"): {
        "committee_outside": FORBIDDEN, "recalled_office": FORBIDDEN},
    ("POST", "/api/v1/meetings/{id}/checkins"): {},
    ("POST", "/api/v1/meetings/{id}/close"): {"recalled_office": FORBIDDEN},
    # the meeting is in session: no minutes yet, for anyone
    ("GET", "/api/v1/meetings/{id}/minutes"): {
        c: ("refuse", 409, "conflict") for c in CALLERS},
    ("PUT", "/api/v1/meetings/{id}/agenda"): {"recalled_office": FORBIDDEN},
    ("GET", "/api/v1/meetings/{id}/speakers"): {},
    ("POST", "/api/v1/meetings/{id}/speakers"): {},
    ("DELETE", "/api/v1/meetings/{id}/speakers/me"): {},
    ("POST", "/api/v1/meetings/{id}/speakers/next"): {"recalled_office": FORBIDDEN},
    ("POST", "/api/v1/bodies/{slug}/motions"): {
        "committee_outside": ("refuse", 403, "out_of_scope")},
    ("GET", "/api/v1/bodies/{slug}/motions"): {},
    ("GET", "/api/v1/motions/{id}"): {},
    ("GET", "/api/v1/motion-kinds"): {},
    ("DELETE", "/api/v1/motions/{id}"): {
        "committee_outside": FORBIDDEN, "recalled_office": FORBIDDEN},
    ("POST", "/api/v1/motions/{id}/advice"): {},
    ("GET", "/api/v1/motions/{id}/comments"): {},
    ("POST", "/api/v1/motions/{id}/comments"): {},
    ("POST", "/api/v1/motions/{id}/voting"): {"recalled_office": FORBIDDEN},
    ("POST", "/api/v1/motions/{id}/voting/close"): {"recalled_office": FORBIDDEN},
    ("POST", "/api/v1/motions/{id}/votes"): {},
    ("PUT", "/api/v1/motions/{id}/hands"): {"recalled_office": FORBIDDEN},
    ("GET", "/api/v1/motions/{id}/counts"): {},
    ("GET", "/api/v1/bodies/{slug}/laws"): {},
    ("GET", "/api/v1/bodies/{slug}/laws.md"): {},
    ("GET", "/api/v1/bodies/{slug}/laws/{number}"): {},
    ("GET", "/api/v1/bodies/{slug}/laws/{number}/diff"): {},
    ("GET", "/api/v1/bodies/{slug}/federations"): {},
    ("GET", "/api/v1/bodies/{slug}/delegations"): {},
    ("GET", "/api/v1/bodies/{slug}/declarations"): {},
    ("GET", "/api/v1/bodies/{slug}/proposals"): {},
    ("GET", "/api/v1/proposals/{id}"): {},
    ("GET", "/api/v1/proposals/{id}/status"): {},
    ("GET", "/api/v1/proposals/{id}/events"): {},
    ("GET", "/api/v1/proposals/{id}/comments"): {},
    # the proposal is Transit's, offered to Hill and Harbour: Harbour's
    # members (the recalled delegate among them) take part as members of
    # Harbour; the one excluded from Harbour is refused as excluded
    ("POST", "/api/v1/proposals/{id}/comments"): {"recalled_delegate": "act"},
    # only its author withdraws a comment (f's, here); nobody else, member
    # or not, whatever office they hold
    ("POST", "/api/v1/comments/{id}/withdraw"): {
        **{c: FORBIDDEN for c in ("nonmember", "left", "excluded", "other_member",
                                  "recalled_delegate", "committee_outside",
                                  "recalled_office")}},
    ("GET", "/api/v1/journal"): {},
    ("GET", "/api/v1/journal/verify"): {},
    ("POST", "/api/v1/tally"): {c: "act" for c in CALLERS},
}

# Which motion of the caller's assembly a /motions/{id} route acts on.
MOTION_ROLE = {
    ("DELETE", "/api/v1/motions/{id}"): "draft",
    ("POST", "/api/v1/motions/{id}/voting"): "draft",
    ("PUT", "/api/v1/motions/{id}/hands"): "hands",
}


def routes():
    return json.loads(run("routes", "--json", check=0).stdout)


def expected(route, caller):
    rows = EXPECT.get((route["method"], route["path"]))
    assert rows is not None, f"{route['method']} {route['path']} has no row in EXPECT"
    out = rows.get(caller, BY_AUTH[route["auth"]][caller])
    if out == "read" and route["method"] != "GET":
        out = "act"
    return out


def test_every_route_has_expectations():
    missing = [f"{r['method']} {r['path']}" for r in routes()
               if (r["method"], r["path"]) not in EXPECT]
    assert not missing, "add rows to EXPECT for: " + ", ".join(missing)
    known = {(r["method"], r["path"]) for r in routes()}
    stale = [k for k in EXPECT if k not in known]
    assert not stale, f"EXPECT names routes that do not exist: {stale}"


# -- the fixture: a federation with every kind of caller -----------------

@pytest.fixture(scope="module")
def world(srv, harbour):
    """Harbour (conftest's fixture: founder f, clerk cl), with a member
    who left, an excluded member, a committee member, a recalled clerk and
    a recalled delegate to the delegate assembly 'transit' (founded by
    Hill, whose founder h is its active delegate); Dale's founder is a
    member elsewhere; n belongs nowhere. Harbour and transit are in
    session, each with a motion open for voting, a draft, and (Harbour) a
    show of hands."""
    tok, handle, transit = harbour["tok"], harbour["handle"], harbour["transit"]
    hill, f = harbour["hill"], harbour["tok"]["f"]
    harbour = harbour["harbour"]
    assert decide(srv, harbour, f, "create_committee", {
        "name": "Works", "scope": "The quay.", "decision_kinds": ["resolution"],
        "members": [handle["comm"], handle["f"]],
        "ends_at": int(time.time()) + 86400 * 30})["status"] == "adopted"
    committee = srv.get(f"/api/v1/bodies/{harbour}/offices").json()["committees"][0]["id"]
    assert decide(srv, harbour, f, "create_office", {
        "name": "clerk", "duties": "Minutes and counts."})["status"] == "adopted"
    assert decide(srv, harbour, f, "create_office", {
        "name": "facilitator", "duties": "The floor."})["status"] == "adopted"
    # the chair: while offices are vacant every member present; then the
    # holders, exclerk and then cl (exclerk and cl check in first)
    mh = srv.get(f"/api/v1/bodies/{harbour}/meetings").json()["upcoming"][0]["id"]
    for k in ("cl", "comm", "exclerk"):
        checkin(srv, mh, f, tok[k])
    chair = f
    for office in ("clerk", "facilitator"):
        assert decide(srv, harbour, f, "elect_holder", {
            "office": office, "holder": handle["exclerk"]},
            chair=chair)["status"] == "adopted"
        chair = tok["exclerk"]
    for office in ("clerk", "facilitator"):
        assert decide(srv, harbour, f, "recall_holder", {"office": office},
                      chair=chair)["status"] == "adopted"
        assert decide(srv, harbour, f, "elect_holder", {
            "office": office, "holder": handle["cl"]},
            chair=f if chair == tok["exclerk"] else chair)["status"] == "adopted"
        chair = tok["cl"]
    assert decide(srv, harbour, f, "enact_law", title="Quay law",
                  text="Boats moor at the quay.", chair=chair)["status"] == "adopted"
    assert decide(srv, hill, tok["h"], "resolution", text="Resolved.")["status"] == "adopted"
    militia = unique("m")
    assert decide(srv, hill, tok["h"], "form_militia", {
        "slug": militia, "name": "Hill watch", "purpose": "Fire watch.",
        "rule": RULES, "schedule": schedule_now()})["status"] == "adopted"

    # what the callers act on
    vote = submit(srv, harbour, f)["id"]
    r = srv.post(f"/api/v1/motions/{vote}/voting", {"mode": "devices"}, token=tok["cl"])
    assert r.status_code == 200, r.text
    hands = submit(srv, harbour, f)["id"]
    r = srv.post(f"/api/v1/motions/{hands}/voting", {"mode": "hands"}, token=tok["cl"])
    assert r.status_code == 200, r.text
    draft = submit(srv, harbour, f)["id"]

    mt = srv.get(f"/api/v1/bodies/{transit}/meetings").json()["upcoming"][0]["id"]
    checkin(srv, mt, tok["h"], tok["h"])
    tvote = submit(srv, transit, tok["h"])["id"]
    r = srv.post(f"/api/v1/motions/{tvote}/voting", {"mode": "devices"}, token=tok["h"])
    assert r.status_code == 200, r.text
    tdraft = submit(srv, transit, tok["h"])["id"]
    assert decide(srv, transit, tok["h"], "adopt_proposal", {
        "rationale": "Shift workers.", "condition": {"kind": "at_least", "n": 1}},
        title="Night buses", text="Buses all night.")["status"] == "adopted"
    proposal = srv.get(f"/api/v1/bodies/{transit}/proposals").json()["originated"][0]["id"]
    r = srv.post(f"/api/v1/motions/{vote}/comments", {"text": "f's own words."}, token=f)
    assert r.status_code == 201, r.text
    comment = r.json()["id"]

    realm = {
        "harbour": {"slug": harbour, "meeting": mh, "code_tok": tok["cl"],
                    "motion": {"vote": vote, "draft": draft, "hands": hands}},
        "transit": {"slug": transit, "meeting": mt, "code_tok": tok["h"],
                    "motion": {"vote": tvote, "draft": tdraft, "hands": tvote}},
    }
    callers = {
        "anonymous": None, "bad_token": secrets.token_urlsafe(32),
        "nonmember": tok["n"], "left": tok["left"], "excluded": tok["excl"],
        "other_member": tok["other"], "recalled_delegate": tok["deleg"],
        "committee_outside": tok["comm"], "recalled_office": tok["exclerk"],
    }
    community = srv.add_community()
    region, polity = unique("r"), unique("p")
    run("region", "add", region, "--name", "R", "--communities", community,
        "--db", srv.db, check=0)
    run("polity", "add", polity, "--name", "P", "--description", "D",
        "--region", region, "--seats", 6, "--db", srv.db, check=0)
    harbour_community = srv.get(f"/api/v1/bodies/{harbour}").json()["community"]
    r = srv.post("/api/v1/enterprises", {
        "name": "Harbour Ropes", "slug": unique("e"), "community": harbour_community,
        "purpose": "Rope for the boats.", "provides": "Rope", "rule": RULES,
        "schedule": schedule_now()}, token=f)
    assert r.status_code == 201, r.text
    world = {"realm": realm, "callers": callers, "committee": committee,
             "proposal": proposal, "comment": comment, "community": community,
             "region": region, "polity": polity, "enterprise": r.json()["slug"],
             "militia": militia,
             "harbour_community": harbour_community}
    srv.settle()  # the notifier's writes are not a refusal's
    return world


# -- the matrix ------------------------------------------------------------

def request_for(world, srv, route, caller):
    """The path and body with which caller tries route."""
    path = route["path"]
    laws = "/laws" in path  # only local assemblies have laws
    r = world["realm"]["transit" if caller == "recalled_delegate" and not laws
                       else "harbour"]
    motion = r["motion"][MOTION_ROLE.get((route["method"], path), "vote")]
    if path.startswith("/api/v1/communities/"):
        path = path.replace("{slug}", world["community"])
    if path.startswith("/api/v1/regions/"):
        path = path.replace("{slug}", world["region"])
    if path.startswith("/api/v1/polities/"):
        path = path.replace("{slug}", world["polity"])
    if path.startswith("/api/v1/enterprises/"):
        path = path.replace("{slug}", world["enterprise"])
    if path.startswith("/api/v1/militias/"):
        path = path.replace("{slug}", world["militia"])
    path = path.replace("{slug}", r["slug"]).replace("{number}", "1")
    if path == "/.well-known/webfinger":
        path += "?resource=acct:%s@%s" % (r["slug"], srv.base.split("://", 1)[1])
    if "{handle}" in path:
        path = path.replace("{handle}", srv.get(
            f"/api/v1/bodies/{r['slug']}/members").json()["members"][0]["handle"])
    if "{post}" in path:  # the newest post of the body's outbox
        page = srv.get(f"/bodies/{r['slug']}/outbox?page=1",
                       headers={"Accept": "application/activity+json"}).json()
        path = path.replace("{post}", page["orderedItems"][0]["object"]["id"].rsplit("/", 1)[1])
    if path.startswith("/api/v1/meetings/"):
        path = path.replace("{id}", str(r["meeting"]))
    elif path.startswith("/api/v1/motions/"):
        path = path.replace("{id}", str(motion))
    elif path.startswith("/api/v1/proposals/"):
        path = path.replace("{id}", str(world["proposal"]))
    elif path.startswith("/api/v1/comments/"):
        path = path.replace("{id}", str(world["comment"]))
    elif path.startswith("/api/v1/enterprises/"):  # a delivery
        path = path.replace("{id}", "1")
    elif path.startswith(("/api/v1/renewals/", "/api/v1/summons/", "/api/v1/cases/",
                          "/api/v1/goods/", "/api/v1/rounds/", "/api/v1/requests/")):
        path = path.replace("{id}", "999999").replace("{evidence}", "1").replace("{n}", "1")
        path = path.replace("{witness}", "1")
    body = None
    key = (route["method"], route["path"])
    if key == ("POST", "/api/v1/bodies/{slug}/members"):
        body = {"affirm": True, "basis": "lives"}
    elif key == ("POST", "/api/v1/bodies/{slug}/choice"):
        body = {"community": world["community"]}
    elif key == ("POST", "/api/v1/meetings/{id}/checkins"):
        code = srv.get(f"/api/v1/meetings/{r['meeting']}/code",
                       token=r["code_tok"]).json()["code"]
        body = {"code": code}
    elif key == ("PUT", "/api/v1/meetings/{id}/agenda"):
        body = {"order": [r["motion"]["draft"]]}
    elif key == ("POST", "/api/v1/bodies/{slug}/motions"):
        body = {"kind": "resolution", "title": "T", "text": "x"}
        if caller == "committee_outside":
            body = {"kind": "enact_law", "title": "L", "text": "x",
                    "committee": world["committee"]}
    elif key in (("POST", "/api/v1/motions/{id}/comments"),
                 ("POST", "/api/v1/proposals/{id}/comments")):
        body = {"text": "A thought."}
    elif key == ("POST", "/api/v1/motions/{id}/advice"):
        body = {"position": "yes"}
    elif key == ("POST", "/api/v1/motions/{id}/voting"):
        body = {"mode": "devices"}
    elif key == ("POST", "/api/v1/motions/{id}/votes"):
        body = {"position": "yes"}
    elif key == ("POST", "/api/v1/bodies/{slug}/remote/votes"):
        body = {"actor": "http://127.0.0.1:9/bodies/far", "motion": 1, "position": "yes"}
    elif key == ("PUT", "/api/v1/motions/{id}/hands"):
        body = {"counts": {"yes": 1}}
    elif key == ("POST", "/api/v1/renewals/{id}/seed"):
        body = {"text": "dice:1"}
    elif key == ("POST", "/api/v1/summons/{id}/answer"):
        body = {"answer": "accept"}
    elif key == ("POST", "/api/v1/summons/{id}/excuse"):
        body = {"grant": True, "reason": "Ill."}
    elif key == ("POST", "/api/v1/polities/{slug}/cases"):
        body = {"absence": "night noise", "title": "Noise", "statement": "It wakes us."}
    elif key == ("POST", "/api/v1/cases/{id}/recommendations"):
        body = {"title": "T", "text": "x", "rationale": "r", "effect": "e", "measures": "m",
                "alternatives": "a"}
    elif key == ("POST", "/api/v1/cases/{id}/reports"):
        body = {"text": "Complaints fell."}
    elif key == ("POST", "/api/v1/cases/{id}/evidence"):
        body = {"text": "Noise readings.", "files": [
            {"name": "readings.txt", "type": "text/plain", "data": "MjAgZEI="}]}
    elif key == ("POST", "/api/v1/cases/{id}/testimony/{witness}"):
        body = {"outcome": "testified", "summary": "Heard."}
    elif key == ("POST", "/api/v1/me/seat/resign"):
        body = {"polity": world["polity"]}
    elif key == ("POST", "/api/v1/enterprises/{slug}/deliveries"):
        body = {"action": "produce", "what": "Rope", "quantity": 1, "unit": "metres"}
    elif key == ("POST", "/api/v1/enterprises/{slug}/deliveries/{id}/correction"):
        body = {"reason": "Miscounted.", "quantity": 2}
    elif key == ("POST", "/api/v1/enterprises/{slug}/goods"):
        body = {"kind": "product", "name": "Rope", "unit": "metre", "units": "metres",
                "stock": 1}
    elif key == ("PUT", "/api/v1/goods/{id}/stock"):
        body = {"stock": 1}
    elif key == ("POST", "/api/v1/goods/{id}/takes"):
        body = {"quantity": 1}
    elif key == ("POST", "/api/v1/goods/{id}/requests"):
        body = {"category": "Everyone", "amount": 1}
    elif key == ("POST", "/api/v1/bodies/{slug}/rounds/draw"):
        body = {"source": "dice:1"}
    elif key == ("POST", "/api/v1/goods/{id}/rankings"):
        body = {"ranking": [1, 2]}
    elif key == ("POST", "/api/v1/rounds/{id}/draw"):
        body = {"source": "dice:1"}
    elif key == ("POST", "/api/v1/requests/{id}/review"):
        body = {"verdict": "refused", "reason": "Not shown."}
    elif key == ("POST", "/api/v1/households/{slug}/invite"):
        body = {"person": "nobody-at-all"}
    elif key == ("POST", "/api/v1/barters"):
        body = {"household": "no-such-household", "member": "nobody-at-all",
                "household_gives": "Eggs", "household_quantity": 1, "household_unit": "egg",
                "other_gives": "Rope", "other_quantity": 1, "other_unit": "m"}
    elif key == ("POST", "/api/v1/enterprises/{slug}/appreciations"):
        body = {"text": "Strong rope.", "met_need": True}
    elif key == ("POST", "/api/v1/enterprises"):
        body = {"name": "A", "slug": unique("e"), "community": world["harbour_community"],
                "purpose": "P", "provides": "X", "rule": RULES, "schedule": schedule_now()}
    elif key == ("POST", "/api/v1/bodies"):
        body = {"name": "A", "community": world["community"], "statement": "S",
                "rule": RULES, "schedule": schedule_now()}
    return path, body


def cases():
    return [(r, c) for r in routes() for c in CALLERS]


CASES = cases()


@pytest.mark.parametrize("route,caller", CASES,
                         ids=[f"{r['method']} {r['path']} {c}" for r, c in CASES])
def test_refusal_matrix(srv, world, route, caller):
    want = expected(route, caller)
    if want == "act":
        pytest.skip("allowed, and it changes something: tested with its route")
    path, body = request_for(world, srv, route, caller)
    token = world["callers"][caller]
    before = state_hash(srv.db)
    if route["path"].endswith("/events"):
        import requests
        h = {"Authorization": "Bearer " + token} if token else {}
        r = requests.get(srv.url(path), headers=h, stream=True, timeout=10)
        r.close()
    else:
        r = srv.request(route["method"], path, body, token=token)
    if want == "read":
        assert 200 <= r.status_code < 300, (r.status_code, r.text[:300])
        return
    _, status, code = want
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["Content-Type"] == "application/json"
    e = r.json()["error"]
    assert e["code"] == code, e
    assert isinstance(e["message"], str) and e["message"]
    assert "field" in e
    assert state_hash(srv.db) == before, "a refusal changed the database"
