"""A newcomer holds the first meeting (issue 12, section 2), over HTTP.

- The meeting state follows the clock: a live stream opened before a
  meeting begins receives its "open" state within 2 s of the start, though
  nothing was written in between (the event hub wakes at the boundary).
- The first room code: before anyone is in the room, any active member of
  an assembly without clerk or facilitator reads the code; once someone is
  in, only those in the room do.
- Motions go where people expect: a motion may name the meeting whose
  agenda it is for; it goes there when that agenda is open, and is refused
  (naming the field, changing nothing) when it is not.
"""
import datetime
import json
import queue
import threading
import time

import requests

from conftest import decide, error_of

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def schedule_now(floor=True, tz="UTC"):
    """This very minute, in UTC; tz a zone whose clock is UTC's all year."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": tz, "place": "The hall", "floor_motions": floor}


def town(srv, members=1, floor=True, tz="UTC"):
    """An assembly in session now, founded by a, with members b, c...;
    nobody checked in. Returns (slug, meeting id, tokens by letter)."""
    tok = {k: srv.user()[1] for k in "abcdefg"[:members]}
    r = srv.found(tok["a"], rule={"kind": "simple_majority"},
                  schedule=schedule_now(floor, tz))
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    for k in list(tok)[1:]:
        r = srv.post(f"/api/v1/bodies/{slug}/members",
                     {"affirm": True, "basis": "lives"}, token=tok[k])
        assert r.status_code == 201, r.text
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    return slug, meeting["id"], tok


def journal_length(srv):
    return srv.get("/api/v1/health").json()["journal"]["entries"]


def check_in(srv, meeting, token, code=None):
    code = code or srv.get(f"/api/v1/meetings/{meeting}/code",
                           token=token).json()["code"]
    r = srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                 token=token)
    assert r.status_code == 201, r.text
    return code


def declare_meeting(srv, slug, meeting, token, starts_at):
    """Adopt, at the meeting in session, a motion declaring an extra
    meeting at starts_at; its id."""
    r = srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "declare_meeting", "title": "Meet again soon",
        "params": {"starts_at": starts_at, "place": "The hall"}}, token=token)
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                    token=token).status_code == 200
    assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                    token=token).status_code == 201
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=token)
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    extra = [m for m in srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"]
             if m["starts_at"] == starts_at]
    assert len(extra) == 1 and extra[0]["kind"] == "extra", extra
    return extra[0]["id"]


def stream_states(srv, meeting, out, stop):
    """Put (time received, state) for each event of the meeting's stream."""
    r = requests.get(srv.url(f"/api/v1/meetings/{meeting}/events"),
                     stream=True, timeout=30)
    name = None
    try:
        for line in r.iter_lines(decode_unicode=True):
            if stop.is_set():
                break
            if line and line.startswith("event: "):
                name = line[7:]
            if line and line.startswith("data: "):
                data = json.loads(line[6:])
                # the snapshot, then the fields that changed
                if name == "meeting":
                    out.put((time.time(), data["meeting"]["state"]))
                elif name == "state" and "state" in data:
                    out.put((time.time(), data["state"]))
    finally:
        r.close()


def test_stream_shows_the_meeting_open_at_its_time_without_any_write(srv):
    slug, meeting, tok = town(srv)
    check_in(srv, meeting, tok["a"])
    starts = int(time.time()) + 5
    extra = declare_meeting(srv, slug, meeting, tok["a"], starts)
    events, stop = queue.Queue(), threading.Event()
    reader = threading.Thread(target=stream_states, args=(srv, extra, events, stop),
                              daemon=True)
    reader.start()
    at, state = events.get(timeout=10)
    assert state == "scheduled" and at < starts
    before = journal_length(srv)
    # nothing is written from here on: the clock alone opens the meeting
    at, state = events.get(timeout=starts - time.time() + 5)
    assert state == "open"
    assert at - starts < 2.0, f"seen {at - starts:.2f} s after the start"
    assert at >= starts - 0.05
    assert journal_length(srv) == before
    # a page read sees the same state
    assert srv.get(f"/api/v1/meetings/{extra}").json()["state"] == "open"
    stop.set()


def test_first_room_code_any_member_before_anyone_is_in(srv):
    slug, meeting, tok = town(srv, members=3)
    outsider = srv.user()[1]
    before = journal_length(srv)
    error_of(srv.get(f"/api/v1/meetings/{meeting}/code", token=outsider),
             403, "not_member")
    error_of(srv.get(f"/api/v1/meetings/{meeting}/code"), 401, "unauthenticated")
    assert journal_length(srv) == before
    # nobody in the room, no clerk: b (not the founder) may open it
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["b"]).json()["code"]
    assert len(code) == 8 and code.isdigit()
    check_in(srv, meeting, tok["b"], code)
    # now the room has started: c, at home, cannot read the code
    error_of(srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["c"]),
             403, "not_checked_in")
    m = srv.get(f"/api/v1/meetings/{meeting}").json()
    assert [p["handle"] for p in m["present"]] == [m["present"][0]["handle"]]


def motion_count(srv, slug):
    return len(srv.get(f"/api/v1/bodies/{slug}/motions").json()["motions"])


def test_motion_goes_to_the_meeting_it_names(srv):
    # without motions from the floor: the agenda of a meeting in session is
    # closed, the next one's is open
    slug, meeting, tok = town(srv, floor=False)
    upcoming = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"]
    later = [m for m in upcoming if m["state"] == "scheduled"]
    assert len(later) >= 2
    second = later[1]["id"]
    r = srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "For the second", "text": "Text.",
        "meeting": second}, token=tok["a"])
    assert r.status_code == 201, r.text
    assert r.json()["meeting"] == second
    assert r.json()["meeting_starts_at"] == later[1]["starts_at"]
    # without a meeting named: the next one whose agenda is open
    r = srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "For the next", "text": "Text."},
        token=tok["a"])
    assert r.status_code == 201 and r.json()["meeting"] == later[0]["id"], r.text
    n = journal_length(srv)
    entries = srv.get(f"/api/v1/journal?after={n - 2}").json()["entries"]
    assert [(e["action"], e["payload"]["meeting"]) for e in entries] == [
        ("motion.submit", second), ("motion.submit", later[0]["id"])]
    n, before = motion_count(srv, slug), journal_length(srv)
    # the meeting in session does not take motions from the floor
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "Now", "text": "Text.", "meeting": meeting}, token=tok["a"]),
        409, "conflict", "meeting")
    # another assembly's meeting, a meeting that does not exist, bad input
    other_slug, other, _ = town(srv)
    n_other = motion_count(srv, other_slug)
    outsider = srv.user()[1]
    before = journal_length(srv)
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "Elsewhere", "text": "Text.", "meeting": other},
        token=tok["a"]), 404, "not_found", "meeting")
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "Nowhere", "text": "Text.", "meeting": 999999},
        token=tok["a"]), 404, "not_found", "meeting")
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "Typed", "text": "Text.", "meeting": "soon"},
        token=tok["a"]), 400, "bad_type", "meeting")
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "Zero", "text": "Text.", "meeting": 0},
        token=tok["a"]), 400, "out_of_range", "meeting")
    # an amendment goes where its motion is
    first = srv.get(f"/api/v1/bodies/{slug}/motions").json()["motions"][0]["id"]
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "amendment", "title": "Amend", "text": "Text.", "amends": first,
        "meeting": second}, token=tok["a"]), 400, "bad_input", "meeting")
    # only members submit
    error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "Outsider", "text": "Text.",
        "meeting": second}, token=outsider), 403, "not_member")
    assert motion_count(srv, slug) == n and motion_count(srv, other_slug) == n_other
    assert journal_length(srv) == before


def test_motion_from_the_floor_goes_to_the_meeting_in_session(srv):
    slug, meeting, tok = town(srv, floor=True)
    r = srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "resolution", "title": "From the floor", "text": "Text.", "meeting": meeting},
        token=tok["a"])
    assert r.status_code == 201 and r.json()["meeting"] == meeting, r.text


def test_room_code_letters_are_a_slip_not_a_guess(srv):
    """Five wrong codes lock a member out for a while; typing letters or
    too few digits is refused as bad input and is not counted."""
    slug, meeting, tok = town(srv, members=2)
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["a"]).json()["code"]
    before = journal_length(srv)
    for slip in ["abcdef", "12345", "1234567", "12 345", "l23456", "１２３"]:
        error_of(srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": slip},
                          token=tok["b"]), 400, "bad_input", "code")
    error_of(srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": ""},
                      token=tok["b"]), 400, "out_of_range", "code")
    assert journal_length(srv) == before
    assert srv.get(f"/api/v1/meetings/{meeting}").json()["present"] == []
    r = srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code}, token=tok["b"])
    assert r.status_code == 201, r.text


def test_unknown_browser_path_gets_a_404_page_programs_get_json(srv):
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    r = srv.get("/no-such-page.html", headers=html)
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Page not found</h1>" in r.text and "<html" in r.text
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    # programs, and anything under /api/, keep the JSON error
    error_of(srv.get("/no-such-page.html"), 404, "not_found")
    error_of(srv.get("/api/v1/nothing", headers=html), 404, "not_found")
    # pages that exist are unchanged
    assert srv.get("/meeting.html", headers=html).status_code == 200


def test_calendar_events_link_back_to_their_meeting(srv):
    import icalendar
    slug, meeting, _ = town(srv)
    r = srv.get(f"/api/v1/bodies/{slug}/calendar.ics")
    assert r.status_code == 200
    cal = icalendar.Calendar.from_ical(r.content)
    events = [e for e in cal.walk("VEVENT")]
    assert events
    urls = {str(e["URL"]) for e in events}
    assert f"{srv.base}/meeting.html?id={meeting}" in urls
    for u in urls:
        assert u.startswith(srv.base + "/meeting.html?id=")
    # a Host header that is not a host name gives no URL, not a broken one
    r = srv.get(f"/api/v1/bodies/{slug}/calendar.ics",
                headers={"Host": "evil\"host"})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        cal = icalendar.Calendar.from_ical(r.content)
        assert all("URL" not in e for e in cal.walk("VEVENT"))


def adopt(srv, mid, tokens):
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                    token=tokens[0]).status_code == 200
    for t in tokens:
        assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                        token=t).status_code == 201
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tokens[0])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text


def test_texts_are_kept_on_the_motion_and_in_the_minutes(srv):
    """A motion changed by two adopted amendments shows its original text,
    each amendment and the final text; so do the minutes, written in
    words (times in the assembly's zone, no kind names, no "(s)")."""
    # Iceland keeps UTC's clock all year, without daylight saving time
    slug, meeting, tok = town(srv, members=2, tz="Atlantic/Reykjavik")
    code = check_in(srv, meeting, tok["a"])
    check_in(srv, meeting, tok["b"], code)
    post = lambda **b: srv.post(f"/api/v1/bodies/{slug}/motions", b, token=tok["b"])
    law = post(kind="enact_law", title="Quiet hours", text="No noise after 22:00.").json()
    a1 = post(kind="amendment", title="Later", text="No noise after 23:00.",
              amends=law["id"]).json()
    a2 = post(kind="amendment", title="Weekdays", text="No noise after 23:00 on weekdays.",
              amends=law["id"]).json()
    a3 = post(kind="amendment", title="Never", text="Noise at any hour.",
              amends=law["id"]).json()
    assert "original_text" not in srv.get(f"/api/v1/motions/{law['id']}").json()
    adopt(srv, a1["id"], [tok["a"], tok["b"]])
    adopt(srv, a2["id"], [tok["a"], tok["b"]])
    # a3 rejected: it changes nothing and is not listed as a change
    srv.post(f"/api/v1/motions/{a3['id']}/voting", {"mode": "devices"}, token=tok["a"])
    for t in (tok["a"], tok["b"]):
        srv.post(f"/api/v1/motions/{a3['id']}/votes", {"position": "no"}, token=t)
    assert srv.post(f"/api/v1/motions/{a3['id']}/voting/close",
                    token=tok["a"]).json()["status"] == "rejected"
    mo = srv.get(f"/api/v1/motions/{law['id']}").json()
    assert mo["original_text"] == "No noise after 22:00."
    assert [(x["id"], x["text"]) for x in mo["amended_by"]] == [
        (a1["id"], "No noise after 23:00."),
        (a2["id"], "No noise after 23:00 on weekdays.")]
    assert mo["text"] == "No noise after 23:00 on weekdays."
    adopt(srv, law["id"], [tok["a"], tok["b"]])
    r = srv.post(f"/api/v1/meetings/{meeting}/close", token=tok["a"])
    assert r.status_code == 200, r.text
    md = srv.get(f"/api/v1/meetings/{meeting}/minutes").text
    i = md.index("**Original text:**\n\nNo noise after 22:00.")
    j = md.index(f"Amended by motion {a1['id']}, the adopted amendment “Later”")
    k = md.index(f"Amended by motion {a2['id']}, the adopted amendment “Weekdays”")
    f = md.index("**Final text:**\n\nNo noise after 23:00 on weekdays.")
    assert i < j < k < f
    assert "Never" in md and "“Never”" not in md  # listed, not as a change
    for raw in ("UTC", "(s)", "enact_law", "no_quorum", "(motion "):
        assert raw not in md, (raw, md)
    assert "Times are Atlantic/Reykjavik time." in md
    assert "2 members present at the close." in md
    assert "enact a new law" in md


def test_a_page_about_something_unknown_answers_404(srv):
    """The pages about one meeting, motion, proposal, assembly, law or
    community answer 404 when it does not exist (the page itself, which
    says so in words), and 200 when it does."""
    slug, meeting, tok = town(srv)
    decide(srv, slug, tok["a"], "enact_law", title="Quiet hours", text="After ten.")
    law = srv.get(f"/api/v1/bodies/{slug}/laws").json()["laws"][0]["number"]
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    motion = srv.post(f"/api/v1/bodies/{slug}/motions",
                      {"kind": "resolution", "title": "Hello", "text": "Hello."},
                      token=tok["a"]).json()["id"]
    community = srv.get(f"/api/v1/bodies/{slug}").json()["community"]
    known = [f"/meeting.html?id={meeting}", f"/projector.html?id={meeting}",
             f"/motion.html?id={motion}", f"/assembly.html?slug={slug}",
             f"/laws.html?slug={slug}", f"/laws.html?slug={slug}&law={law}",
             f"/community.html?slug={community}"]
    unknown = ["/meeting.html?id=999999", "/meeting.html?id=abc",
               "/projector.html?id=999999", "/motion.html?id=999999",
               "/proposal.html?id=999999", "/assembly.html?slug=nowhere",
               "/laws.html?slug=nowhere", f"/laws.html?slug={slug}&law={law + 1}",
               f"/laws.html?slug={slug}&law=0", f"/laws.html?slug={slug}&law=abc",
               f"/laws.html?slug=nowhere&law={law}", "/community.html?slug=nowhere"]
    for p in known:
        r = srv.get(p, headers=html)
        assert r.status_code == 200, p
    for p in unknown:
        for headers in (html, {}):
            r = srv.get(p, headers=headers)
            assert r.status_code == 404, p
            assert r.headers["Content-Type"] == "text/html; charset=utf-8", p
            assert "<html" in r.text and "script-src 'self'" in \
                r.headers["Content-Security-Policy"], p
