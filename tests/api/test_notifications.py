"""Notifications (issue 12, section 3): each person sees what concerns
them, made from the journal by the server's notifier (src/gov/notice).

- A motion submitted, a vote opened, a result: the active members of the
  assembly, never the one who acted, never someone who left or a
  stranger; a meeting beginning: its members, once.
- GET /api/v1/me/notifications (newest first, paged), .../count, POST
  .../read (one, or all up to an id), GET and PUT /api/v1/me/settings.
- Refusals: anonymous, another person's notification, bad input naming
  the field; each changes nothing (journal and state).
- Notifications are not governance state: `journal verify --state` stays
  clean with them.
"""
import sqlite3
import time

from conftest import error_of, run
from test_federation import decide, fed  # noqa: F401 (a fixture)
from test_newcomer import check_in, journal_length, town


def wait_for(fn, timeout=15):
    """Poll fn until it returns something true; that value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError("timed out")


def notes(srv, token, **q):
    qs = "&".join(f"{k}={v}" for k, v in q.items())
    r = srv.get("/api/v1/me/notifications" + ("?" + qs if qs else ""), token=token)
    assert r.status_code == 200, r.text
    return r.json()


def unread(srv, token):
    r = srv.get("/api/v1/me/notifications/count", token=token)
    assert r.status_code == 200, r.text
    return r.json()["unread"]


def with_text(srv, token, what, needle):
    return [n for n in notes(srv, token)["notifications"]
            if n["what"] == what and needle in n["text"]]


def submit(srv, slug, token, title):
    r = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": title, "text": "Text."}, token=token)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_motion_vote_and_result_reach_the_members_not_the_actor_nor_strangers(srv):
    slug, meeting, tok = town(srv, members=3)
    _, stranger = srv.user()
    mid = submit(srv, slug, tok["a"], "Plant trees")
    for k in "bc":
        got = wait_for(lambda: with_text(srv, tok[k], "motion", "Plant trees"))
        assert got[0]["link"] == f"/motion.html?id={mid}"
        assert got[0]["read"] is False
        assert "\u201cPlant trees\u201d" in got[0]["text"]
    # the one who submitted it is not told of their own act
    assert not with_text(srv, tok["a"], "motion", "Plant trees")
    # nor is a stranger
    assert notes(srv, stranger)["notifications"] == []
    assert unread(srv, stranger) == 0

    # a vote opens, by a: b and c are told
    code = check_in(srv, meeting, tok["a"])
    for k in "bc":
        check_in(srv, meeting, tok[k], code)
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok["a"])
    assert r.status_code == 200, r.text
    for k in "bc":
        wait_for(lambda: with_text(srv, tok[k], "vote", "Plant trees"))
    for k in "abc":
        assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["a"])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    for k in "bc":
        got = wait_for(lambda: with_text(srv, tok[k], "result", "Plant trees"))
        assert "adopted" in got[0]["text"]
        # how anyone voted is never in a notification
        assert "yes" not in got[0]["text"].lower().split()
    assert notes(srv, stranger)["notifications"] == []


def test_a_member_who_left_is_told_nothing_after_leaving(srv):
    slug, meeting, tok = town(srv, members=3)
    submit(srv, slug, tok["a"], "Before leaving")
    wait_for(lambda: with_text(srv, tok["c"], "motion", "Before leaving"))
    r = srv.delete(f"/api/v1/bodies/{slug}/members/me", token=tok["c"])
    assert r.status_code in (200, 204), r.text
    submit(srv, slug, tok["a"], "After leaving")
    wait_for(lambda: with_text(srv, tok["b"], "motion", "After leaving"))
    assert not with_text(srv, tok["c"], "motion", "After leaving")
    # what c received while a member stays theirs
    assert with_text(srv, tok["c"], "motion", "Before leaving")


def test_a_meeting_beginning_is_noted_once_per_member(srv):
    """Everyone who is a member when a meeting begins is told, once. The
    meeting is an extra one declared to begin a few seconds on, so that
    both are members by then: the regular meeting of town() begins at once,
    and under load the notifier may see it begin before b has joined (b,
    not yet a member then, is rightly not told)."""
    slug, _, tok = town(srv, members=2)
    starts = int(time.time()) + 4
    decide(srv, slug, tok["a"], "declare_meeting",
           {"starts_at": starts, "place": "The town hall"})
    extra = next(m["id"] for m in srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"]
                 if m["starts_at"] == starts)
    for k in "ab":
        got = wait_for(lambda: [n for n in notes(srv, tok[k])["notifications"]
                                if n["what"] == "meeting"
                                and n["link"] == f"/meeting.html?id={extra}"], timeout=30)
        assert len(got) == 1, got
        assert "has begun" in got[0]["text"]
    time.sleep(1.2)  # two more passes of the notifier: still once
    assert len([n for n in notes(srv, tok["a"])["notifications"]
                if n["link"] == f"/meeting.html?id={extra}"]) == 1


def test_list_is_newest_first_and_paged_and_marking_read_lowers_the_count(srv):
    slug, meeting, tok = town(srv, members=2)
    for i in range(5):
        submit(srv, slug, tok["a"], f"Paged {i}")
    wait_for(lambda: len(with_text(srv, tok["b"], "motion", "Paged")) == 5)
    # and the notifier's clock has passed (the meeting's beginning, noted
    # for b when b joined before it passed): the list no longer changes
    def stable():
        first = notes(srv, tok["b"])
        time.sleep(1.2)
        return notes(srv, tok["b"]) == first
    wait_for(stable, timeout=30)
    every = notes(srv, tok["b"])
    ids = [n["id"] for n in every["notifications"]]
    assert ids == sorted(ids, reverse=True)
    assert every["unread"] == len(ids)
    assert every["next"] is None
    page = notes(srv, tok["b"], limit=2)
    assert [n["id"] for n in page["notifications"]] == ids[:2]
    assert page["next"] == ids[1]
    page2 = notes(srv, tok["b"], limit=2, before=page["next"])
    assert [n["id"] for n in page2["notifications"]] == ids[2:4]

    before = unread(srv, tok["b"])
    r = srv.post("/api/v1/me/notifications/read", {"id": ids[0]}, token=tok["b"])
    assert r.status_code == 200, r.text
    assert r.json() == {"marked": 1, "unread": before - 1}
    # again: nothing more to mark
    r = srv.post("/api/v1/me/notifications/read", {"id": ids[0]}, token=tok["b"])
    assert r.json() == {"marked": 0, "unread": before - 1}
    r = srv.post("/api/v1/me/notifications/read", {"up_to": ids[2]}, token=tok["b"])
    # ids[2] and every older one (ids[0] was read already, ids[1] is newer)
    assert r.status_code == 200, r.text
    assert r.json() == {"marked": len(ids) - 2, "unread": 1}
    assert unread(srv, tok["b"]) == 1
    listed = {n["id"]: n["read"] for n in notes(srv, tok["b"])["notifications"]}
    assert listed[ids[0]] and listed[ids[2]] and listed[ids[-1]]
    assert not listed[ids[1]]


def test_settings_take_an_address_and_mail_is_off_by_default(srv):
    _, token = srv.user()
    r = srv.get("/api/v1/me/settings", token=token)
    assert r.status_code == 200 and r.json() == {"email": None, "mail": False}
    r = srv.request("PUT", "/api/v1/me/settings",
                    {"email": "ana@example.org", "mail": True}, token=token)
    assert r.status_code == 200, r.text
    assert r.json() == {"email": "ana@example.org", "mail": True}
    r = srv.request("PUT", "/api/v1/me/settings", {"mail": False}, token=token)
    assert r.json() == {"email": None, "mail": False}


def test_refusals_change_nothing(srv):
    slug, meeting, tok = town(srv, members=2)
    submit(srv, slug, tok["a"], "Refusals")
    mine = wait_for(lambda: with_text(srv, tok["b"], "motion", "Refusals"))[0]
    srv.settle()  # the meeting's beginning, too, is announced by then
    entries = journal_length(srv)
    count_b = unread(srv, tok["b"])

    # anonymous
    for method, path, body in (
            ("GET", "/api/v1/me/notifications", None),
            ("GET", "/api/v1/me/notifications/count", None),
            ("POST", "/api/v1/me/notifications/read", {"id": mine["id"]}),
            ("GET", "/api/v1/me/settings", None),
            ("PUT", "/api/v1/me/settings", {"mail": False})):
        error_of(srv.request(method, path, body), 401, "unauthenticated")
    # another person's notification: not found, as if it did not exist
    error_of(srv.post("/api/v1/me/notifications/read", {"id": mine["id"]},
                      token=tok["a"]), 404, "not_found", "id")
    # bad input, each naming its field
    error_of(srv.post("/api/v1/me/notifications/read", {}, token=tok["b"]),
             400, "bad_input", "id")
    error_of(srv.post("/api/v1/me/notifications/read",
                      {"id": mine["id"], "up_to": mine["id"]}, token=tok["b"]),
             400, "bad_input", "id")
    error_of(srv.post("/api/v1/me/notifications/read", {"id": 0}, token=tok["b"]),
             400, "out_of_range", "id")
    error_of(srv.post("/api/v1/me/notifications/read", {"id": "x"}, token=tok["b"]),
             400, "bad_type", "id")
    error_of(srv.get("/api/v1/me/notifications?limit=0", token=tok["b"]),
             400, "out_of_range", "limit")
    r = srv.get("/api/v1/me/notifications?before=x", token=tok["b"])
    assert r.status_code == 400 and r.json()["error"]["field"] == "before", r.text
    for bad in ("no-at-sign", "a@b", "two@@example.org", "sp ace@example.org",
                "a@example.org\r\nBcc: x@example.org", "<a@example.org>"):
        error_of(srv.request("PUT", "/api/v1/me/settings", {"email": bad, "mail": True},
                             token=tok["b"]), 400, "bad_input", "email")
    error_of(srv.request("PUT", "/api/v1/me/settings", {"mail": True}, token=tok["b"]),
             400, "bad_input", "mail")
    error_of(srv.request("PUT", "/api/v1/me/settings", {"email": "a@example.org"},
                         token=tok["b"]), 400, "missing_field", "mail")
    # nothing changed
    assert journal_length(srv) == entries
    assert unread(srv, tok["b"]) == count_b
    assert srv.get("/api/v1/me/settings", token=tok["b"]).json() == {
        "email": None, "mail": False}
    assert mine["id"] in [n["id"] for n in notes(srv, tok["b"])["notifications"]
                          if not n["read"]]


def test_notifications_are_not_state_and_verify_stays_clean(srv):
    slug, meeting, tok = town(srv, members=2)
    submit(srv, slug, tok["a"], "Not state")
    wait_for(lambda: with_text(srv, tok["b"], "motion", "Not state"))
    run("journal", "verify", "--state", "--db", srv.db, check=0)


def test_health_reports_mail_not_configured(srv):
    h = srv.get("/api/v1/health").json()
    assert h["mail"]["configured"] is False
    assert h["mail"]["queued"] == 0 and h["mail"]["last_error"] is None


def test_a_proposal_offered_reaches_the_members_of_the_assemblies_offered(srv, fed):
    t, tok, s = fed["transit"], fed["tok"], fed["slug"]
    _, stranger = srv.user()
    d = decide(srv, t, tok["a"], "adopt_proposal",
               {"rationale": "Shift workers.",
                "condition": {"kind": "share_of_population", "percent": 50}},
               title="Night trams", text="Trams all night.")
    assert d["status"] == "adopted"
    pid = [p["id"] for p in srv.get(f"/api/v1/bodies/{t}/proposals").json()["originated"]
           if p["title"] == "Night trams"][0]
    # d is a member of b's assembly, offered the proposal; b and c founded theirs
    for k in "bcd":
        got = wait_for(lambda: with_text(srv, tok[k], "proposal", "Night trams"))
        assert got[0]["link"] == f"/proposal.html?id={pid}", got
        assert "Transit offers a proposal" in got[0]["text"]
    # a decided it: not told of their own act; a stranger: nothing
    assert not with_text(srv, tok["a"], "proposal", "Night trams")
    assert notes(srv, stranger)["notifications"] == []


def test_a_rebuilt_database_does_not_announce_its_history_again(srv, tmp_path):
    slug, meeting, tok = town(srv, members=2)
    submit(srv, slug, tok["a"], "Rebuilt")
    wait_for(lambda: with_text(srv, tok["b"], "motion", "Rebuilt"))
    new = str(tmp_path / "rebuilt.db")
    run("journal", "replay", "--into", new, "--db", srv.db, check=0)
    con = sqlite3.connect(new)
    try:
        head = con.execute("SELECT max(seq) FROM journal").fetchone()[0]
        assert con.execute("SELECT seq FROM notice_cursor").fetchone()[0] == head
        assert con.execute("SELECT count(*) FROM notifications").fetchone()[0] == 0
    finally:
        con.close()


def test_an_online_vote_opening_by_the_clock_is_announced_once(srv):
    slug, meeting, tok = town(srv, members=3)
    mid = submit(srv, slug, tok["c"], "Vote from home")
    now = int(time.time())
    d = decide(srv, slug, tok["a"], "authorise_remote_vote",
               {"motion": mid, "mode": "online", "opens_at": now,
                "closes_at": now + 7200}, title="Online")
    assert d["status"] == "adopted", d
    for k in "abc":
        got = wait_for(lambda: with_text(srv, tok[k], "vote",
                                         "Voting online has opened on \u201cVote from home\u201d"))
        assert got[0]["link"] == f"/motion.html?id={mid}"
    time.sleep(1.2)
    assert len(with_text(srv, tok["b"], "vote", "Vote from home")) == 1
    _, stranger = srv.user()
    assert notes(srv, stranger)["notifications"] == []


def test_an_answer_to_a_comment_reaches_its_author_alone(srv):
    slug, meeting, tok = town(srv, members=3)
    mid = submit(srv, slug, tok["a"], "Talked over")
    r = srv.post(f"/api/v1/motions/{mid}/comments", {"text": "Why now?"}, token=tok["b"])
    assert r.status_code == 201, r.text
    first = r.json()["id"]
    r = srv.post(f"/api/v1/motions/{mid}/comments",
                 {"text": "Because the bridge is old.", "reply_to": first}, token=tok["c"])
    assert r.status_code == 201, r.text
    got = wait_for(lambda: with_text(srv, tok["b"], "reply", "answered your comment"))
    assert "\u201cTalked over\u201d" in got[0]["text"]
    assert got[0]["link"] == f"/motion.html?id={mid}"
    time.sleep(1.2)
    for k in "ac":
        assert not [n for n in notes(srv, tok[k])["notifications"] if n["what"] == "reply"]


def test_read_notifications_are_kept_for_keep_read_days_unread_ones_always(start_server):
    """`pnyx serve --keep-read DAYS`: the notifier deletes at start (and
    every hour) the notifications read more than DAYS ago; one not yet
    read stays, however old; `--keep-read 0` keeps everything."""
    srv = start_server("--keep-read", "30")
    slug, _, tok = town(srv, members=3)
    submit(srv, slug, tok["a"], "Old news")
    submit(srv, slug, tok["a"], "Fresh news")
    for k in "bc":
        wait_for(lambda: len(with_text(srv, tok[k], "motion", "news")) == 2)
    old = with_text(srv, tok["b"], "motion", "Old news")[0]["id"]
    fresh = with_text(srv, tok["b"], "motion", "Fresh news")[0]["id"]
    for nid in (old, fresh):
        r = srv.post("/api/v1/me/notifications/read", {"id": nid}, token=tok["b"])
        assert r.status_code == 200, r.text
    srv.settle()
    # as if 31 days had passed since b read "Old news" and c was told of
    # both (c never read them); "Fresh news" was read 29 days ago
    day = 86400
    srv.sql("UPDATE notifications SET at = at - 40 * ?", day)
    srv.sql("UPDATE notifications SET read_at = read_at - 31 * ? WHERE id = ?", day, old)
    srv.sql("UPDATE notifications SET read_at = read_at - 29 * ? WHERE id = ?", day, fresh)
    srv.restart("--keep-read", "0")
    srv.settle()
    assert len(with_text(srv, tok["b"], "motion", "news")) == 2
    srv.restart("--keep-read", "30")
    wait_for(lambda: not with_text(srv, tok["b"], "motion", "Old news"))
    assert [n["id"] for n in with_text(srv, tok["b"], "motion", "news")] == [fresh]
    assert len(with_text(srv, tok["c"], "motion", "news")) == 2
    assert unread(srv, tok["c"]) >= 2
    run("journal", "verify", "--state", "--db", srv.db, check=0)


def test_keep_options_are_checked(tmp_path):
    run("init", "--db", tmp_path / "k.db", check=0)
    for opt, bad in (("--keep-read", "-1"), ("--keep-mail", "36501"),
                     ("--keep-mail", "soon")):
        p = run("serve", "--db", tmp_path / "k.db", "--listen", "127.0.0.1:0",
                opt, bad, check=2)
        assert opt in p.stderr
