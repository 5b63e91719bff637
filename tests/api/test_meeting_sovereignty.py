"""The sovereign meeting over HTTP (issue 12, section 1), in assemblies
whose regular meeting is in session now and whose quorum is 3: nobody
ends a meeting alone, only quorum with a decided agenda or an adopted
motion to adjourn closes it; members who leave stop counting at once and
the record of their stay is kept; whoever closes a vote is told how many
present have not voted and is named in the journal. Every refusal is
checked to change nothing (journal length, meeting state)."""
import datetime

import pytest

from conftest import error_of, run

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
QUORUM3 = {"default": {"kind": "simple_majority", "quorum": {"count": 3}}}


def schedule_now(floor):
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": "The hall", "floor_motions": floor}


def town(srv, floor=True, members="abcd"):
    """An assembly in session: founder a, members b, c, d; outsider e."""
    people = {k: srv.user() for k in "abcde"}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    r = srv.found(tok["a"], rule=QUORUM3, schedule=schedule_now(floor))
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    for k in members[1:]:
        r = srv.post(f"/api/v1/bodies/{slug}/members",
                     {"affirm": True, "basis": "lives"}, token=tok[k])
        assert r.status_code == 201, r.text
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    return {"slug": slug, "tok": tok, "handle": handle, "meeting": meeting["id"]}


def arrive(srv, t, *who):
    m = t["meeting"]
    for k in who:
        r = srv.get(f"/api/v1/meetings/{m}/code", token=t["tok"][k])
        if r.status_code != 200:  # the room has started: someone in it reads it
            r = srv.get(f"/api/v1/meetings/{m}/code", token=t["tok"]["a"])
        assert r.status_code == 200, r.text
        r = srv.post(f"/api/v1/meetings/{m}/checkins", {"code": r.json()["code"]},
                     token=t["tok"][k])
        assert r.status_code == 201, r.text


def submit(srv, t, who, **body):
    body.setdefault("title", "A motion")
    body.setdefault("text", "Text.")
    return srv.post(f"/api/v1/bodies/{t['slug']}/motions", body, token=t["tok"][who])


def journal_len(srv):
    return srv.get("/api/v1/journal/verify").json()["entries"]


def journal(srv):
    out, after = [], 0
    while True:
        page = srv.get(f"/api/v1/journal?after={after}&limit=1000").json()["entries"]
        if not page:
            return out
        out += page
        after = page[-1]["seq"]


def meeting(srv, t, who="a"):
    return srv.get(f"/api/v1/meetings/{t['meeting']}", token=t["tok"][who]).json()


def close(srv, t, who):
    return srv.post(f"/api/v1/meetings/{t['meeting']}/close", token=t["tok"][who])


def test_first_to_arrive_cannot_close_the_meeting_alone(srv):
    t = town(srv)
    r = submit(srv, t, "b", kind="resolution", title="Greet")
    assert r.status_code == 201, r.text
    mo = r.json()["id"]
    arrive(srv, t, "a")
    n = journal_len(srv)
    e = error_of(close(srv, t, "a"), 409, "meeting_no_quorum")
    assert "1 present and the quorum is 3" in e["message"]
    assert journal_len(srv) == n
    m = meeting(srv, t)
    assert m["state"] == "open"
    assert m["closing"] == {"allowed": False, "present": 1, "quorum": 3, "undecided": 1,
                            "code": "meeting_no_quorum", "reason": e["message"]}

    arrive(srv, t, "b", "c")
    n = journal_len(srv)
    error_of(close(srv, t, "a"), 409, "meeting_undecided")
    # wrong callers: not in the room, not a member, nobody signed in
    error_of(close(srv, t, "d"), 403, "forbidden")
    error_of(close(srv, t, "e"), 403, "not_member")
    error_of(srv.post(f"/api/v1/meetings/{t['meeting']}/close"), 401, "unauthenticated")
    error_of(srv.post("/api/v1/meetings/999999/close", token=t["tok"]["a"]),
             404, "not_found")
    assert journal_len(srv) == n
    assert meeting(srv, t)["state"] == "open"
    assert meeting(srv, t)["closing"]["code"] == "meeting_undecided"

    # decided: now it closes
    tok = t["tok"]
    assert srv.post(f"/api/v1/motions/{mo}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    for k in "abc":
        assert srv.post(f"/api/v1/motions/{mo}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    assert srv.post(f"/api/v1/motions/{mo}/voting/close", token=tok["a"]).status_code == 200
    assert meeting(srv, t)["closing"]["allowed"] is True
    r = close(srv, t, "b")
    assert r.status_code == 200, r.text
    assert meeting(srv, t)["state"] == "closed"


@pytest.mark.parametrize("floor", [True, False])
def test_motion_to_adjourn_closes_it_and_carries_the_rest(srv, floor):
    t = town(srv, floor=floor)
    tok = t["tok"]
    arrive(srv, t, "a", "b", "c")
    r = submit(srv, t, "b", kind="resolution", title="Not reached")
    assert r.status_code == 201, r.text
    rest = r.json()["id"]
    # from the floor only where the assembly takes motions from the floor
    assert (r.json()["meeting"] == t["meeting"]) == floor
    n = journal_len(srv)
    error_of(submit(srv, t, "a", kind="adjourn", title="Adjourn",
                    params={"until": "later"}), 400, "unknown_field", "params")
    error_of(submit(srv, t, "e", kind="adjourn", title="Adjourn"), 403, "not_member")
    assert journal_len(srv) == n
    r = submit(srv, t, "a", kind="adjourn", title="Adjourn", text="")
    assert r.status_code == 201, r.text
    adj = r.json()
    # a motion to adjourn goes to the meeting in session, floor or not
    assert adj["meeting"] == t["meeting"], adj
    assert srv.post(f"/api/v1/motions/{adj['id']}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    for k in "abc":
        assert srv.post(f"/api/v1/motions/{adj['id']}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    r = srv.post(f"/api/v1/motions/{adj['id']}/voting/close", token=tok["c"])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    m = meeting(srv, t)
    assert m["state"] == "closed"
    md = srv.get(f"/api/v1/meetings/{t['meeting']}/minutes").text
    assert "### Adjourn" in md and "**Result: adopted.**" in md
    assert ("Not reached" in md and "not reached; carried to the next meeting" in md) == floor
    assert srv.get(f"/api/v1/motions/{rest}").json()["meeting"] != t["meeting"]
    entries = journal(srv)
    closes = [e for e in entries if e["action"] == "meeting.close"
              and e["payload"]["meeting"] == t["meeting"]]
    assert closes and closes[0]["payload"]["adjourned_by"] == adj["id"]
    # nothing is adjourned between meetings
    error_of(submit(srv, t, "a", kind="adjourn", title="Adjourn again"),
             409, "not_open", "kind")


def test_members_who_left_no_longer_count(srv):
    """Three check in, two leave: the one left cannot enact a law under a
    quorum of 3, and the minutes keep all three stays with why."""
    t = town(srv)
    tok, h = t["tok"], t["handle"]
    r = submit(srv, t, "a", kind="enact_law", title="Quiet hours",
               text="No noise after 22:00.")
    assert r.status_code == 201, r.text
    law = r.json()["id"]
    arrive(srv, t, "a", "b", "c")
    assert srv.post(f"/api/v1/motions/{law}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    assert srv.post(f"/api/v1/motions/{law}/votes", {"position": "yes"},
                    token=tok["b"]).status_code == 201
    for k in "bc":
        r = srv.delete(f"/api/v1/bodies/{t['slug']}/members/me", token=tok[k])
        assert r.status_code in (200, 204), r.text
    counts = srv.get(f"/api/v1/motions/{law}/counts").json()
    assert counts["present"] == 1 and counts["voted"] == 0, counts  # b's vote taken back
    assert counts["not_voted"] == 1
    assert srv.post(f"/api/v1/motions/{law}/votes", {"position": "yes"},
                    token=tok["a"]).status_code == 201
    r = srv.post(f"/api/v1/motions/{law}/voting/close", token=tok["a"])
    assert r.status_code == 200 and r.json()["status"] == "no_quorum", r.text
    assert srv.get(f"/api/v1/bodies/{t['slug']}/laws").json()["laws"] == []

    m = meeting(srv, t)
    assert [p["handle"] for p in m["present"]] == [h["a"]]
    assert m["attendance"] == 1
    assert {(d["handle"], d["reason"]) for d in m["departed"]} == \
        {(h["b"], "left"), (h["c"], "left")}
    assert all(d["left_at"] >= d["at"] for d in m["departed"])
    n = journal_len(srv)
    error_of(close(srv, t, "a"), 409, "meeting_no_quorum")
    assert journal_len(srv) == n
    entries = journal(srv)
    departs = [e for e in entries if e["action"] == "meeting.depart"
               and e["payload"]["meeting"] == t["meeting"]]
    assert {(e["actor"], e["payload"]["reason"]) for e in departs} == \
        {(h["b"], "left"), (h["c"], "left")}
    # the command line shows who left, and why the meeting cannot close yet
    p = run("meeting", "show", t["meeting"], "--db", srv.db, check=0)
    assert f"left: {h['b']} (left the assembly)" in p.stdout and "closing: not yet" in p.stdout


def test_vote_state_counts_who_has_not_voted_and_journal_names_closer(srv):
    t = town(srv)
    tok, h = t["tok"], t["handle"]
    r = submit(srv, t, "a", kind="resolution", title="Greet")
    mo = r.json()["id"]
    arrive(srv, t, "a", "b", "c")
    assert srv.post(f"/api/v1/motions/{mo}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    assert srv.get(f"/api/v1/motions/{mo}/counts").json()["not_voted"] == 3
    for k in "ab":
        assert srv.post(f"/api/v1/motions/{mo}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    assert srv.get(f"/api/v1/motions/{mo}/counts").json()["not_voted"] == 1
    # the offices are vacant: any member present may close it, c too
    # (d, not in the room, may not)
    n = journal_len(srv)
    error_of(srv.post(f"/api/v1/motions/{mo}/voting/close", token=tok["d"]), 403, "forbidden")
    assert journal_len(srv) == n
    r = srv.post(f"/api/v1/motions/{mo}/voting/close", token=tok["c"])
    assert r.status_code == 200, r.text
    assert "not_voted" not in srv.get(f"/api/v1/motions/{mo}/counts").json()
    entries = journal(srv)
    decided = [e for e in entries if e["action"] == "motion.decide"
               and e["payload"]["motion"] == mo]
    assert len(decided) == 1 and decided[0]["actor"] == h["c"]


def test_meeting_says_which_votes_may_open(srv):
    """The meeting state says of each agenda entry whether its vote may be
    opened now, and why not, as the domain decides: a motion whose
    amendment is undecided or being voted may not; the amendment may; a
    refused opening changes nothing."""
    t = town(srv)
    arrive(srv, t, "a", "b", "c")
    law = submit(srv, t, "a", kind="enact_law", title="Quiet hours",
                 text="No noise after 22:00.").json()
    amd = submit(srv, t, "b", kind="amendment", title="Later",
                 text="No noise after 23:00.", amends=law["id"]).json()

    def entries():
        m = meeting(srv, t)
        top = next(e for e in m["agenda"] if e["id"] == law["id"])
        return top, top["amendments"][0]

    top, sub = entries()
    assert top["can_open_vote"] is False
    assert "amendment" in top["cannot_open_vote"]
    # the reason as a code and a count, which the pages say in their
    # reader's language (the words above are the API's English)
    assert top["cannot_open_vote_code"] == "amendments"
    assert top["cannot_open_vote_count"] == 1
    assert sub["can_open_vote"] is True and "cannot_open_vote" not in sub
    assert "cannot_open_vote_code" not in sub
    before = journal_len(srv)
    r = srv.post(f"/api/v1/motions/{law['id']}/voting", {"mode": "devices"},
                 token=t["tok"]["a"])
    assert r.status_code == 409, r.text
    assert journal_len(srv) == before
    # the amendment being voted: neither may open
    r = srv.post(f"/api/v1/motions/{amd['id']}/voting", {"mode": "devices"},
                 token=t["tok"]["a"])
    assert r.status_code == 200, r.text
    top, sub = entries()
    assert top["can_open_vote"] is False and "amendment" in top["cannot_open_vote"]
    assert sub["can_open_vote"] is False and "voting" in sub["cannot_open_vote"]
    # a motion being voted has no code: the page shows no reason for it
    assert "cannot_open_vote_code" not in sub
    for k in "abc":
        r = srv.post(f"/api/v1/motions/{amd['id']}/votes", {"position": "yes"},
                     token=t["tok"][k])
        assert r.status_code in (200, 201), r.text
    r = srv.post(f"/api/v1/motions/{amd['id']}/voting/close", {}, token=t["tok"]["a"])
    assert r.status_code == 200, r.text
    top, sub = entries()
    assert top["can_open_vote"] is True and sub["can_open_vote"] is False
