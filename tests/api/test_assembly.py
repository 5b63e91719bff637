"""The local assembly at work, over HTTP: an assembly whose regular
meeting is in session now (its schedule names this very minute, in UTC,
and it takes motions from the floor), members checking in with the room
code, an amendment decided before its motion, a law entering the
register, a secret ballot, the meeting closed with its minutes, and each
refusal the issue names. The calendar feed is read by python3-icalendar,
a parser that is not ours."""
import datetime
import json
import re
import sqlite3

import icalendar
import pytest
import requests

from conftest import error_of, unique

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def schedule_now():
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": "The hall", "floor_motions": True}


RULES = {"default": {"kind": "simple_majority"},
         "by_kind": {"change_rules": {"kind": "supermajority",
                                      "fraction": "2/3", "base": "cast"}}}


@pytest.fixture(scope="module")
def town(srv):
    """An assembly in session: founder a, members b and c, outsider d."""
    people = {k: srv.user() for k in "abcd"}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    r = srv.found(tok["a"], rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    for k in "bc":
        r = srv.post(f"/api/v1/bodies/{slug}/members",
                     {"affirm": True, "basis": "lives"}, token=tok[k])
        assert r.status_code == 201, r.text
    r = srv.get(f"/api/v1/bodies/{slug}/meetings")
    meeting = r.json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    code = srv.get(f"/api/v1/meetings/{meeting['id']}/code", token=tok["a"]).json()["code"]
    for k in "ab":
        r = srv.post(f"/api/v1/meetings/{meeting['id']}/checkins", {"code": code},
                     token=tok[k])
        assert r.status_code == 201, r.text
    return {"slug": slug, "tok": tok, "handle": handle, "meeting": meeting["id"],
            "code": code}


def submit(srv, town, who, **body):
    body.setdefault("title", "A motion")
    body.setdefault("text", "Text.")
    return srv.post(f"/api/v1/bodies/{town['slug']}/motions", body,
                    token=town["tok"][who])


def vote_through(srv, town, mid, votes, mode="devices", opener="a"):
    tok = town["tok"]
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": mode}, token=tok[opener])
    assert r.status_code == 200, r.text
    for who, pos in votes:
        r = srv.post(f"/api/v1/motions/{mid}/votes", {"position": pos}, token=tok[who])
        assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok[opener])
    assert r.status_code == 200, r.text
    return r.json()


def test_checkin_refusals(srv, town):
    m, tok = town["meeting"], town["tok"]
    # eight digits, as the room shows them: "1234 5678"
    assert re.fullmatch(r"\d{8}", town["code"])
    # not eight digits: a slip, refused as bad input (not counted as a guess)
    for slip in ["0000000x", "000001", "0000001", "000000001", "0000-0001"]:
        error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": slip},
                          token=tok["c"]), 400, "bad_input", "code")
    wrong = "00000001" if town["code"] != "00000001" else "00000002"
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": wrong}, token=tok["c"]),
             403, "bad_code", "code")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": wrong[:4] + " " + wrong[4:]},
                      token=tok["c"]), 403, "bad_code", "code")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": town["code"]},
                      token=tok["d"]), 403, "not_member")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {}, token=tok["c"]),
             400, "bad_input", "code")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": "1", "member": "x"},
                      token=tok["c"]), 400, "bad_input", "member")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": 123456},
                      token=tok["c"]), 400, "bad_type", "code")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": town["code"]}),
             401, "unauthenticated")
    error_of(srv.get(f"/api/v1/meetings/{m}/code", token=tok["d"]), 403, "not_member")
    error_of(srv.post("/api/v1/meetings/999999/checkins", {"code": "1"}, token=tok["c"]),
             404, "not_found")
    error_of(srv.get("/api/v1/meetings/abc"), 404, "not_found")
    # only an elected clerk checks others in: the vacancy does not stretch
    # to vouching for someone absent
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"member": town["handle"]["c"]},
                      token=tok["a"]), 403, "forbidden", "member")
    # at home, c cannot read the code now that the room has started
    error_of(srv.get(f"/api/v1/meetings/{m}/code", token=tok["c"]), 403, "not_checked_in")
    code = srv.get(f"/api/v1/meetings/{m}/code", token=tok["b"]).json()["code"]
    # typed with the space the room's screen shows between the groups
    r = srv.post(f"/api/v1/meetings/{m}/checkins", {"code": code[:4] + " " + code[4:]},
                 token=tok["c"])
    assert r.status_code == 201, r.text
    present = srv.get(f"/api/v1/meetings/{m}").json()["present"]
    assert {p["handle"] for p in present} == {town["handle"][k] for k in "abc"}


def test_law_with_amendment(srv, town):
    tok = town["tok"]
    r = submit(srv, town, "a", kind="enact_law", title="Quiet hours",
               text="No noise after 22:00.")
    assert r.status_code == 201, r.text
    law = r.json()
    assert law["meeting"] == town["meeting"] and law["ballot"] == "open"
    r = submit(srv, town, "b", kind="amendment", title="Later",
               text="No noise after 23:00.", amends=law["id"])
    assert r.status_code == 201, r.text
    amend = r.json()["id"]
    # the amendment first
    error_of(srv.post(f"/api/v1/motions/{law['id']}/voting", {"mode": "devices"},
                      token=tok["a"]), 409, "conflict")
    r = srv.post(f"/api/v1/motions/{amend}/voting", {"mode": "devices"}, token=tok["a"])
    assert r.status_code == 200, r.text
    assert r.json()["rule"] == {"kind": "simple_majority"}
    for who, pos in [("a", "yes"), ("b", "yes"), ("c", "no")]:
        r = srv.post(f"/api/v1/motions/{amend}/votes", {"position": pos}, token=tok[who])
        assert r.status_code == 201, r.text
    # the same vote again is refused (a change is allowed on an open
    # ballot: tests/api/test_own_vote.py)
    error_of(srv.post(f"/api/v1/motions/{amend}/votes", {"position": "yes"},
                      token=tok["b"]), 409, "already_voted", "position")
    error_of(srv.post(f"/api/v1/motions/{amend}/votes", {"position": "yes"},
                      token=tok["d"]), 403, "not_member")
    error_of(srv.post(f"/api/v1/motions/{amend}/votes", {"position": "maybe"},
                      token=tok["a"]), 400, "bad_input", "position")
    counts = srv.get(f"/api/v1/motions/{amend}/counts").json()
    assert counts["counts"] == {"yes": 2, "no": 1} and counts["present"] == 3
    r = srv.post(f"/api/v1/motions/{amend}/voting/close", token=tok["a"])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    # after the close
    error_of(srv.post(f"/api/v1/motions/{amend}/votes", {"position": "yes"},
                      token=tok["c"]), 409, "not_voting")
    result = vote_through(srv, town, law["id"], [("a", "yes"), ("b", "yes"), ("c", "no")])
    assert result["status"] == "adopted"
    assert result["result"]["rule"] == {"kind": "simple_majority"}
    laws = srv.get(f"/api/v1/bodies/{town['slug']}/laws").json()["laws"]
    assert [(l["title"], l["status"]) for l in laws] == [("Quiet hours", "in_force")]
    one = srv.get(f"/api/v1/bodies/{town['slug']}/laws/1").json()
    assert one["versions"][0]["text"] == "No noise after 23:00."
    assert one["versions"][0]["motion"] == law["id"]
    md = srv.get(f"/api/v1/bodies/{town['slug']}/laws.md")
    assert md.headers["Content-Type"].startswith("text/markdown")
    assert "## Law 1: Quiet hours" in md.text
    diff = srv.get(f"/api/v1/bodies/{town['slug']}/laws/1/diff").json()
    assert diff["added"] == 1 and diff["deleted"] == 0
    error_of(srv.get(f"/api/v1/bodies/{town['slug']}/laws/1/diff?to=5"), 400,
             "out_of_range", "to")
    # a law the register does not have, or that no number can name: 404
    # (the law register page says so in its heading: tests/browser)
    for n in ("9", "0", "abc", "9/diff"):
        error_of(srv.get(f"/api/v1/bodies/{town['slug']}/laws/{n}"), 404, "not_found")
    error_of(srv.get("/api/v1/bodies/nowhere/laws/1"), 404, "not_found")


def test_submission_refusals_change_nothing(srv, town):
    before = srv.get(f"/api/v1/bodies/{town['slug']}/motions").json()["motions"]
    error_of(submit(srv, town, "a", kind="nonsense"), 400, "bad_input", "kind")
    error_of(srv.post(f"/api/v1/bodies/{town['slug']}/motions", {"title": "x"},
                      token=town["tok"]["a"]), 400, "missing_field", "kind")
    error_of(submit(srv, town, "a", kind="repeal_law", params={"law": 99}), 404,
             "not_found", "params.law")
    error_of(submit(srv, town, "a", kind="change_rules", params={"rules": {"kind": "x"}}),
             400, "rule_kind", "params.rules.kind")
    error_of(submit(srv, town, "a", kind="resolution", params=[1]), 400, "bad_type",
             "params")
    error_of(submit(srv, town, "d", kind="resolution"), 403, "not_member")
    error_of(srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                      {"kind": "resolution", "title": "t"}), 401, "unauthenticated")
    after = srv.get(f"/api/v1/bodies/{town['slug']}/motions").json()["motions"]
    assert before == after


def test_advice_is_shown_never_counted(srv, town):
    tok = town["tok"]
    mid = submit(srv, town, "a", kind="resolution", title="Thanks",
                 text="We thank the volunteers.").json()["id"]
    r = srv.post(f"/api/v1/motions/{mid}/advice", {"position": "no", "comment": "Too soon"},
                 token=tok["c"])
    assert r.status_code == 201, r.text
    error_of(srv.post(f"/api/v1/motions/{mid}/advice", {"position": "no"},
                      token=tok["d"]), 403, "not_member")
    result = vote_through(srv, town, mid, [("a", "yes"), ("b", "yes")])
    assert result["result"]["counts"] == {"yes": 2}
    assert [a["comment"] for a in result["advisory"]] == ["Too soon"]


def next_event(lines, want=None):
    """The name and data (parsed) of the next server-sent event, or of the
    next one named want."""
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            if want is None or name == want:
                return name, json.loads(line[6:])
            name = None
    raise AssertionError("stream ended")


def test_live_events_follow_the_vote(srv, town):
    """A snapshot first, then what changed: the item and the counts."""
    tok = town["tok"]
    mid = submit(srv, town, "b", kind="resolution", title="Live",
                 text="Counted live.").json()["id"]
    r = requests.get(srv.url(f"/api/v1/meetings/{town['meeting']}/events"),
                     stream=True, timeout=20)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/event-stream"
    lines = r.iter_lines(decode_unicode=True)
    name, first = next_event(lines)
    assert name == "meeting"
    assert first["meeting"]["id"] == town["meeting"] and first["votes"] == []
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    # the meeting's own fields may change too (closing waits for the vote)
    name, item = next_event(lines, "item")
    assert item["id"] == mid and item["status"] == "voting"
    name, ev = next_event(lines)
    assert name == "counts" and ev["motion"] == mid and ev["voted"] == 0
    assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                    token=tok["b"]).status_code == 201
    name, ev = next_event(lines)
    assert name == "counts" and ev["counts"] == {"yes": 1} and ev["voted"] == 1
    assert srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["a"]).status_code == 200
    name, item = next_event(lines, "item")
    assert (item["id"], item["status"]) == (mid, "adopted")
    name, ev = next_event(lines)
    assert name == "counts" and ev == {"motion": mid, "ended": True}
    r.close()
    error_of(srv.get("/api/v1/meetings/999999/events"), 404, "not_found")


def test_secret_ballot_and_exclusion(srv, town):
    tok, handle = town["tok"], town["handle"]
    r = submit(srv, town, "a", kind="exclude_member", title="Exclude c", text="",
               params={"member": handle["c"], "reasons": "Works to restore class"
                       " inequality.", "hearing": "c was heard."})
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    assert r.json()["ballot"] == "secret"
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok["b"])
    assert r.status_code == 200
    for who, pos in [("a", "yes"), ("b", "yes"), ("c", "no")]:
        r = srv.post(f"/api/v1/motions/{mid}/votes", {"position": pos}, token=tok[who])
        assert r.status_code == 201, r.text
    live = srv.get(f"/api/v1/motions/{mid}/counts").json()
    assert live["voted"] == 3 and live["counts"] is None  # secret while it runs
    con = sqlite3.connect(srv.db)
    assert con.execute("SELECT count(*) FROM votes WHERE motion_id=?", (mid,)).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM voters WHERE motion_id=?", (mid,)).fetchone()[0] == 3
    assert dict(con.execute("SELECT position, n FROM ballot_counts WHERE motion_id=?",
                            (mid,)).fetchall()) == {"yes": 2, "no": 1, "abstain": 0}
    con.close()
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["b"])
    assert r.json()["status"] == "adopted"
    assert "votes" not in r.json()
    members = srv.get(f"/api/v1/bodies/{town['slug']}/members").json()["members"]
    assert {m["handle"]: m["status"] for m in members}[handle["c"]] == "excluded"
    # the excluded member is refused everything
    slug = town["slug"]
    error_of(srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                      token=tok["c"]), 403, "excluded")
    error_of(srv.delete(f"/api/v1/bodies/{slug}/members/me", token=tok["c"]), 403, "excluded")
    error_of(submit(srv, town, "c", kind="resolution"), 403, "excluded")
    error_of(srv.post(f"/api/v1/meetings/{town['meeting']}/speakers", token=tok["c"]),
             403, "excluded")


def test_no_route_changes_laws_rules_or_members_directly(srv, town):
    slug = town["slug"]
    tok = town["tok"]["a"]
    for method, path in [("PUT", f"/api/v1/bodies/{slug}/laws/1"),
                         ("POST", f"/api/v1/bodies/{slug}/laws"),
                         ("DELETE", f"/api/v1/bodies/{slug}/laws/1"),
                         ("PUT", f"/api/v1/bodies/{slug}"),
                         ("PATCH", f"/api/v1/bodies/{slug}"),
                         ("PUT", f"/api/v1/bodies/{slug}/members"),
                         ("DELETE", f"/api/v1/bodies/{slug}/members/{town['handle']['b']}"),
                         ("POST", f"/api/v1/bodies/{slug}/offices")]:
        r = srv.request(method, path, {"status": "excluded"}, token=tok)
        assert r.status_code in (404, 405), (method, path, r.status_code)


def test_close_meeting_minutes_and_after(srv, town):
    tok, m = town["tok"], town["meeting"]
    error_of(srv.post(f"/api/v1/meetings/{m}/close", token=town["tok"]["d"]), 403, "not_member")
    error_of(srv.get(f"/api/v1/meetings/{m}/minutes"), 409, "conflict")
    r = srv.post(f"/api/v1/meetings/{m}/close", token=tok["a"])
    assert r.status_code == 200, r.text
    md = srv.get(f"/api/v1/meetings/{m}/minutes")
    assert md.headers["Content-Type"].startswith("text/markdown")
    assert "## Attendance" in md.text and "Quiet hours" in md.text
    html = srv.get(f"/api/v1/meetings/{m}/minutes?format=html")
    assert html.headers["Content-Type"].startswith("text/html") and "<h1>" in html.text
    error_of(srv.get(f"/api/v1/meetings/{m}/minutes?format=pdf"), 400, "bad_input", "format")
    error_of(srv.post(f"/api/v1/meetings/{m}/close", token=tok["a"]), 409, "not_open")
    # nothing more is decided at a closed meeting; the motion waits for the next
    mid = submit(srv, town, "a", kind="resolution").json()["id"]
    assert srv.get(f"/api/v1/motions/{mid}").json()["meeting"] != m
    error_of(srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok["a"]),
             409, "not_open")
    error_of(srv.post(f"/api/v1/meetings/{m}/checkins", {"code": town["code"]},
                      token=tok["b"]), 409, "not_open")


def test_calendar_feed_parses_with_an_independent_parser(srv, town):
    r = srv.get(f"/api/v1/bodies/{town['slug']}/calendar.ics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/calendar")
    assert b"\r\n" in r.content and all(len(l) <= 75 for l in r.content.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) >= 52
    assert all(str(e["LOCATION"]) == "The hall" for e in events)
    error_of(srv.get("/api/v1/bodies/atlantis/calendar.ics"), 404, "not_found")


def test_journal_holds_every_effect(srv, town):
    entries = srv.get("/api/v1/journal?limit=1000").json()["entries"]
    actions = [e["action"] for e in entries if e["body"] == town["slug"]]
    for a in ["body.found", "meeting.checkin", "motion.submit", "vote.open",
              "vote.cast", "motion.decide", "meeting.close"]:
        assert a in actions, a
    assert srv.get("/api/v1/journal/verify").json()["ok"] is True
