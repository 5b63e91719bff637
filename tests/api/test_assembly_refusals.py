"""Each refusal issue 3 names, over HTTP, with a meeting in session now:
a vote by someone not checked in; a decision at a gathering the assembly
neither scheduled nor declared; a recalled clerk recording counts; an
online vote the assembly did not authorise; a committee outside its
scope; a second vote and a vote after the close. (The same refusals with
a controlled clock, including a committee after its end date, are in
tests/unit/test_assembly.c.)"""
import datetime

import pytest

from conftest import error_of
from test_assembly import RULES, schedule_now


@pytest.fixture(scope="module")
def town(srv):
    people = {k: srv.user() for k in "abcde"}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    slug = srv.found(tok["a"], rule=RULES, schedule=schedule_now()).json()["slug"]
    for k in "bcde":
        assert srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                        token=tok[k]).status_code == 201
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]["id"]
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["a"]).json()["code"]
    for k in "abcd":  # e stays at home
        assert srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                        token=tok[k]).status_code == 201
    return {"slug": slug, "tok": tok, "handle": handle, "meeting": meeting}


def motion(srv, town, who="a", **body):
    body.setdefault("kind", "resolution")
    body.setdefault("title", "A motion")
    body.setdefault("text", "Text.")
    r = srv.post(f"/api/v1/bodies/{town['slug']}/motions", body, token=town["tok"][who])
    assert r.status_code == 201, r.text
    return r.json()["id"]


def decide(srv, town, **body):
    mid = motion(srv, town, **body)
    tok = town["tok"]
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    for k in "abcd":
        assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["a"])
    assert r.json()["status"] == "adopted", r.text
    return r.json()


def test_vote_by_someone_not_checked_in(srv, town):
    mid = motion(srv, town)
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                    token=town["tok"]["a"]).status_code == 200
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                      token=town["tok"]["e"]), 403, "not_checked_in")
    assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                    token=town["tok"]["b"]).status_code == 201
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                      token=town["tok"]["b"]), 409, "already_voted", "position")
    assert srv.post(f"/api/v1/motions/{mid}/voting/close",
                    token=town["tok"]["a"]).status_code == 200
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "no"},
                      token=town["tok"]["c"]), 409, "not_voting")


def test_no_decision_at_a_gathering_not_scheduled_or_declared(srv, town):
    """A second assembly whose only meetings are in the future: nothing it
    holds now can decide, whatever its members do."""
    now = datetime.datetime.now(datetime.timezone.utc)
    later = {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=0"
             % (["MO", "TU", "WE", "TH", "FR", "SA", "SU"][(now.weekday() + 3) % 7], now.hour),
             "tz": "UTC", "place": "Elsewhere"}
    r = srv.found(town["tok"]["a"], schedule=later)
    slug = r.json()["slug"]
    m = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert m["state"] == "scheduled"
    mid = srv.post(f"/api/v1/bodies/{slug}/motions",
                   {"kind": "resolution", "title": "Now", "text": "Decide now."},
                   token=town["tok"]["a"]).json()["id"]
    error_of(srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                      token=town["tok"]["a"]), 409, "not_open")
    error_of(srv.get(f"/api/v1/meetings/{m['id']}/code", token=town["tok"]["a"]),
             409, "not_open")


def test_recalled_clerk_cannot_record_counts(srv, town):
    tok, h = town["tok"], town["handle"]
    decide(srv, town, kind="create_office", title="Clerk", text="",
           params={"name": "clerk", "duties": "Minutes and counts."})
    decide(srv, town, kind="elect_holder", title="b as clerk", text="",
           params={"office": "clerk", "holder": h["b"]})
    offices = srv.get(f"/api/v1/bodies/{town['slug']}/offices").json()["offices"]
    assert offices == [{"name": "clerk", "duties": "Minutes and counts.", "holder": h["b"]}]
    decide(srv, town, kind="recall_holder", title="Recall b", text="",
           params={"office": "clerk"})
    decide(srv, town, kind="elect_holder", title="c as clerk", text="",
           params={"office": "clerk", "holder": h["c"]})
    mid = motion(srv, town)
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "hands"},
                    token=tok["c"]).status_code == 200
    error_of(srv.request("PUT", f"/api/v1/motions/{mid}/hands", {"counts": {"yes": 3}},
                         token=tok["b"]), 403, "forbidden")
    error_of(srv.request("PUT", f"/api/v1/motions/{mid}/hands", {"counts": {"yes": 9}},
                         token=tok["c"]), 400, "out_of_range", "counts")
    error_of(srv.request("PUT", f"/api/v1/motions/{mid}/hands", {"counts": {"block": 1}},
                         token=tok["c"]), 400, "rule_position", "counts")
    r = srv.request("PUT", f"/api/v1/motions/{mid}/hands", {"counts": {"yes": 3, "no": 1}},
                    token=tok["c"])
    assert r.status_code == 200, r.text
    # a show of hands stores no individual votes
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"}, token=tok["d"]),
             409, "conflict")
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["c"])
    assert r.json()["status"] == "adopted" and "votes" not in r.json()


def test_online_vote_only_when_authorised(srv, town):
    mid = motion(srv, town)
    # e, at home, cannot vote: no vote is open, and none online until the
    # assembly authorises one
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                      token=town["tok"]["e"]), 409, "not_voting")
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
    decide(srv, town, kind="authorise_remote_vote", title="Online", text="",
           params={"motion": mid, "mode": "online", "opens_at": now + 3600,
                   "closes_at": now + 7200})
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                      token=town["tok"]["e"]), 403, "not_authorised")
    error_of(srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                      token=town["tok"]["a"]), 409, "conflict")
    shown = srv.get(f"/api/v1/motions/{mid}").json()
    assert shown["remote_vote"]["mode"] == "online"


def test_committee_outside_its_scope(srv, town):
    tok, h = town["tok"], town["handle"]
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
    r = decide(srv, town, kind="create_committee", title="Works", text="",
               params={"name": "Works", "scope": "The quay.", "decision_kinds": ["resolution"],
                       "members": [h["a"], h["b"]], "ends_at": now + 86400})
    cid = srv.get(f"/api/v1/bodies/{town['slug']}/offices").json()["committees"][0]["id"]
    error_of(srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                      {"kind": "enact_law", "title": "A law", "text": "x", "committee": cid},
                      token=tok["a"]), 403, "out_of_scope", "kind")
    error_of(srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                      {"kind": "resolution", "title": "R", "text": "x", "committee": cid},
                      token=tok["c"]), 403, "forbidden", "committee")
    r = srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                 {"kind": "resolution", "title": "R", "text": "x", "committee": cid},
                 token=tok["a"])
    assert r.status_code == 201 and r.json()["committee"] == cid
    mid = r.json()["id"]
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "committee"},
                    token=tok["b"]).status_code == 200
    for k in "ab":
        assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    error_of(srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"}, token=tok["c"]),
             403, "forbidden", "committee")
    assert srv.post(f"/api/v1/motions/{mid}/voting/close",
                    token=tok["a"]).json()["status"] == "adopted"


def test_room_code_cannot_be_guessed(srv, town):
    """Five wrong codes per member and meeting, then nothing, not even the
    right code, until the window passes: a hundred million codes cannot be
    tried."""
    m, tok = town["meeting"], town["tok"]
    for guess in ["00000001", "00000002", "00000003", "00000004", "00000005"]:
        r = srv.post(f"/api/v1/meetings/{m}/checkins", {"code": guess}, token=tok["e"])
        if r.status_code == 201:  # a lucky guess: one in 20,000,000
            pytest.skip("guessed the code")
        error_of(r, 403, "bad_code", "code")
    # the code from the clerk's screen (c was elected clerk above)
    code = srv.get(f"/api/v1/meetings/{m}/code", token=tok["c"]).json()["code"]
    r = srv.post(f"/api/v1/meetings/{m}/checkins", {"code": code}, token=tok["e"])
    error_of(r, 429, "rate_limited", "code")
    assert int(r.headers["Retry-After"]) > 0
    # others are not affected
    assert srv.post(f"/api/v1/meetings/{m}/checkins", {"code": code},
                    token=tok["b"]).status_code == 201
