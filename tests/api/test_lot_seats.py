"""Service by lot, the parts the polity's assembly decides (issue 13,
items 4 and 5; docs/polities.md): the number of its seats, which each
cohort takes at its next renewal; the excuses its clerk decides; what a
summons left unanswered becomes; and the live meeting states on the
server's controlled clock.

One server on a controlled clock (pnyx init --controlled-clock), moved
forward with `pnyx polity renew SLUG --at`. The polity has 6 seats in 2
cohorts (3 each, renewed every 3 years); the tests run in order, as the
years pass."""
import hashlib
import json
import secrets
import shutil
import sqlite3
import time

import pytest
import requests

from conftest import Server, assert_clean_exit, error_of, run, settled_hash, unique

DAY = 86400


class World:
    pass


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("seats")), init_args=("--controlled-clock",))
    x = World()
    x.srv = srv
    c = srv.add_community()
    reg = unique("r")
    x.p, x.q = unique("p"), unique("p")
    run("region", "add", reg, "--name", "R", "--communities", c, "--db", srv.db, check=0)
    run("polity", "add", x.p, "--name", "Fishing", "--description", "Fish.",
        "--region", reg, "--seats", 6, "--cohorts", 2, "--db", srv.db, check=0)
    # another polity over the same people, never drawn here
    run("polity", "add", x.q, "--name", "Water", "--description", "Water.",
        "--region", reg, "--seats", 1, "--cohorts", 1, "--db", srv.db, check=0)
    time.sleep(1.1)  # consent given after the registration
    x.names, x.tok = people(srv, 9)
    for h in x.names:
        assert srv.request("PUT", "/api/v1/me/residence", {"community": c},
                           token=x.tok[h]).status_code == 200

    def clock(t, consent=False):
        run("polity", "renew", x.p, "--at", "@%d" % t, "--db", srv.db, check=0)
        for h in x.names if consent else ():
            assert srv.post("/api/v1/me/consent", {"affirm": True},
                            token=x.tok[h]).status_code == 201
    x.clock = clock
    x.d1 = srv.get(f"/api/v1/polities/{x.p}").json()["next_renewal"]["draw_at"]
    clock(x.d1 - 15 * DAY, consent=True)
    clock(x.d1 - 14 * DAY)
    clock(x.d1)
    rid = committed(x)["id"]
    draw(x, rid, x.names[:2])
    x.seated = []
    for h in x.names:
        for m in summons_of(x, h, "summoned"):
            r = srv.post(f"/api/v1/summons/{m['id']}/answer", {"answer": "accept"},
                         token=x.tok[h])
            assert r.status_code == 200, r.text
            x.seated.append(h)
    assert len(x.seated) == 3, x.seated
    x.others = [h for h in x.names if h not in x.seated]
    yield x
    assert_clean_exit(*srv.stop())


def people(srv, n):
    """n accounts, signed up through the API, with sessions that outlast
    the years the clock moves here, written into the database directly
    (the token's BLAKE2b-256, as src/gov/people/account.c keeps it;
    sessions are not journalled): signing everyone in again after each
    move would hash passwords for most of this module's time, and is not
    what is tested here. Everything else goes through the API."""
    names = [srv.signup() for _ in range(n)]
    tok = {}
    con = sqlite3.connect(srv.db, timeout=30)
    try:
        for h in names:
            t = secrets.token_urlsafe(32)
            (aid,) = con.execute("SELECT id FROM accounts WHERE handle = ?", (h,)).fetchone()
            con.execute("INSERT INTO sessions(token_hash, account_id, created_at,"
                        " expires_at) VALUES (?,?,?,?)",
                        (hashlib.blake2b(t.encode(), digest_size=32).digest(), aid,
                         int(time.time()), 2 ** 40))
            tok[h] = t
        con.commit()
        return names, tok
    finally:
        con.close()


def committed(w, cohort=None):
    """The regular renewal committed (of cohort)."""
    rs = w.srv.get(f"/api/v1/polities/{w.p}/renewals").json()["renewals"]
    r = [r for r in rs if r["status"] == "committed" and r["kind"] == "regular"
         and cohort in (None, r["cohort"])]
    assert len(r) == 1, rs
    return r[0]


def draw(w, rid, witnesses):
    for h in witnesses:
        g = w.srv.post(f"/api/v1/renewals/{rid}/seed", {"text": "dice:%d" % rid},
                       token=w.tok[h]).json()
    assert g["status"] == "drawn", g


def summons_of(w, h, state=None):
    return [m for m in w.srv.get("/api/v1/me/summons", token=w.tok[h]).json()["summons"]
            if state is None or m["state"] == state]


def polity(w):
    return w.srv.get(f"/api/v1/polities/{w.p}").json()


def quorum(w):
    return polity(w)["rule"]["default"]["quorum"]["count"]


def meeting_in_session(w, motions, voters):
    """The assembly's next meeting: the clock at its start, the voters
    checked in, each motion put to the vote and adopted."""
    mid = motions[0]["meeting"]
    mt = w.srv.get(f"/api/v1/meetings/{mid}").json()
    w.clock(mt["starts_at"] + 60)
    chair = voters[0]
    for h in voters:
        code = w.srv.get(f"/api/v1/meetings/{mid}/code", token=w.tok[chair])
        assert code.status_code == 200, code.text
        r = w.srv.post(f"/api/v1/meetings/{mid}/checkins", {"code": code.json()["code"]},
                       token=w.tok[h])
        assert r.status_code in (201, 409), r.text
    for m in motions:
        r = w.srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"},
                       token=w.tok[chair])
        assert r.status_code == 200, r.text
        for h in voters:
            r = w.srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": "yes"},
                           token=w.tok[h])
            assert r.status_code == 201, r.text
        r = w.srv.post(f"/api/v1/motions/{m['id']}/voting/close", token=w.tok[chair])
        assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    return mid


def motion(w, who, params, title="Settings", kind="polity_settings"):
    r = w.srv.post(f"/api/v1/bodies/{w.p}/motions",
                   {"kind": kind, "title": title, "params": params}, token=w.tok[who])
    assert r.status_code == 201, r.text
    return r.json()


def first_event(srv, path, timeout=10):
    """The first event of a live stream: (name, data)."""
    with requests.get(srv.url(path), stream=True, timeout=timeout) as r:
        assert r.status_code == 200, r.text
        name, data = None, []
        for line in r.iter_lines(decode_unicode=True):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif not line and data:
                return name, json.loads("\n".join(data))
    raise AssertionError("the stream ended without an event")


def test_live_meeting_states_follow_the_controlled_clock(w):
    """The server's clock is three years ahead of the wall's: a meeting
    in session by it is in session in its live stream too, not scheduled
    by the wall's time."""
    nxt = [m for m in w.srv.get(f"/api/v1/bodies/{w.p}/meetings").json()["upcoming"]
           if m["starts_at"] > w.d1][0]
    assert nxt["starts_at"] > time.time() + 300 * DAY  # years from the wall's now
    w.clock(nxt["starts_at"] + 60)
    assert w.srv.get(f"/api/v1/meetings/{nxt['id']}").json()["state"] == "open"
    name, data = first_event(w.srv, f"/api/v1/meetings/{nxt['id']}/events")
    assert name == "meeting" and data["meeting"]["state"] == "open", (name, data)


def test_seats_refusals_change_nothing(w):
    a = w.seated[0]
    before = settled_hash(w.srv)
    for seats, status, code in ((0, 400, "out_of_range"), (151, 400, "out_of_range"),
                                (1, 400, "out_of_range"), (6, 400, "bad_input"),
                                ("many", 400, "bad_input")):
        r = w.srv.post(f"/api/v1/bodies/{w.p}/motions",
                       {"kind": "polity_settings", "title": "T",
                        "params": {"seats": seats}}, token=w.tok[a])
        assert r.status_code == status and r.json()["error"]["field"] == "params.seats", \
            (seats, r.text)
    error_of(w.srv.post(f"/api/v1/bodies/{w.p}/motions",
                        {"kind": "polity_settings", "title": "T",
                         "params": {"no_answer": "forget"}}, token=w.tok[a]),
             400, "bad_input", "params.no_answer")
    # quotas decided with new seats are checked against the new seats: two
    # seats make cohorts of one, which cannot hold two women (three seats a
    # cohort now could)
    e = error_of(w.srv.post(f"/api/v1/bodies/{w.p}/motions",
                            {"kind": "polity_settings", "title": "T",
                             "params": {"seats": 2, "quotas": "gender: women 2-3"}},
                            token=w.tok[a]),
                 422, "infeasible", "params.quotas")
    assert "more than the 1 seats of a cohort's draw" in e["message"], e
    assert settled_hash(w.srv) == before
    # and the seats and quotas that fit together are taken: cohorts of six
    # hold four women, which cohorts of three could not
    r = w.srv.post(f"/api/v1/bodies/{w.p}/motions",
                   {"kind": "polity_settings", "title": "Twelve seats, four women",
                    "params": {"seats": 12, "quotas": "gender: women 4-6"}}, token=w.tok[a])
    assert r.status_code == 201, r.text
    assert w.srv.request("DELETE", f"/api/v1/motions/{r.json()['id']}",
                         token=w.tok[a]).status_code == 204
    before = settled_hash(w.srv)
    # someone who holds no seat moves nothing in the assembly
    error_of(w.srv.post(f"/api/v1/bodies/{w.p}/motions",
                        {"kind": "polity_settings", "title": "T",
                         "params": {"seats": 9}}, token=w.tok[w.others[0]]),
             403, "not_member")
    assert settled_hash(w.srv) == before


def test_fewer_seats_close_at_each_cohorts_renewal(w):
    """Six seats become two: nobody's term is cut. Cohort 2's seats close
    at its renewal (its term ends in year 6), cohort 1's, all held, at
    theirs (year 9); the polity shows which close and when."""
    a = w.seated[0]
    assert quorum(w) == 3
    fewer = motion(w, a, {"seats": 2}, "Two seats")
    defer = motion(w, a, {"no_answer": "defer"}, "Defer the silent")
    office = motion(w, a, {"name": "clerk", "duties": "Decides excuses."}, "A clerk",
                    kind="create_office")
    meeting_in_session(w, [fewer, defer, office], w.seated)
    p = polity(w)
    assert p["seats"] == 2 and p["settings"]["no_answer"] == "defer"
    assert [(c["cohort"], c["seats"], c["held"], c["next_seats"])
            for c in p["cohort_list"]] == [(1, 3, 3, 1), (2, 3, 0, 1)]
    closing = {s["seat"]: (s["held"], s["closing"]) for s in p["seat_list"]}
    assert closing == {1: (True, False), 2: (False, False), 3: (True, True),
                       4: (False, True), 5: (True, True), 6: (False, True)}, closing
    assert quorum(w) == 3  # the seats that exist: six still
    out = run("polity", "show", w.p, "--db", w.srv.db, check=0).stdout
    assert "assembly %s: 2 seats in 2 cohorts (6 now: each cohort takes its share" \
        % w.p in out, out
    assert "cohort 1: 3 seats, 3 held, term ends" in out and ", then 1 seat\n" in out, out
    # the members keep their seats, and their membership
    members = {m["handle"] for m in w.srv.get(f"/api/v1/bodies/{w.p}/members").json()
               ["members"]}
    assert set(w.seated) <= members
    assert p["next_renewal"]["cohort"] == 2 and p["next_renewal"]["seats"] == 1


def test_cohort_two_renewed_with_its_share(w):
    p = polity(w)
    w.d2 = [c for c in p["cohort_list"] if c["cohort"] == 2][0]["term_ends"]
    w.clock(w.d2 - 15 * DAY, consent=True)
    w.clock(w.d2 - 14 * DAY)
    r = committed(w)
    assert r["cohort"] == 2 and r["seats"] == 1
    # decided after the commitment: cohort 2's next term keeps its one
    # seat; the other cohort's share waits for its own renewal
    w.clock(w.d2)
    p = polity(w)
    assert [(c["cohort"], c["seats"], c["next_seats"]) for c in p["cohort_list"]] == [
        (1, 3, 1), (2, 1, 1)]
    assert sorted(s["seat"] for s in p["seat_list"]) == [1, 2, 3, 5]
    assert quorum(w) == 2  # half of the four seats now, rounded up
    w.rid2 = r["id"]
    j = [e for e in journal(w) if e["action"] == "renewal.term"][-1]
    assert j["payload"]["cohort"] == 2 and j["payload"]["seats"] == 1, j


def journal(w):
    """The journal's entries, read directly (read-only)."""
    con = sqlite3.connect("file:%s?mode=ro" % w.srv.db, uri=True, timeout=10)
    try:
        return [{"seq": q, "action": a, "payload": json.loads(p)} for q, a, p in
                con.execute("SELECT seq, action, payload FROM journal ORDER BY seq")]
    finally:
        con.close()


def test_no_answer_defers_when_the_polity_says_so(w):
    """no_answer "defer": a summons left unanswered at its deadline (after
    the reminder a week before) is deferred to the cohort's next renewal,
    and the seat goes to the next alternate."""
    others = [h for h in w.names if h not in w.seated]
    draw(w, w.rid2, others[:2])
    silent, = [h for h in others if summons_of(w, h, "summoned")]
    m, = summons_of(w, silent, "summoned")
    assert m["no_answer"] == "defer", m
    # the notification says so
    deadline = time.time() + 30
    while True:
        notes = [n["text"] for n in w.srv.get("/api/v1/me/notifications",
                                              token=w.tok[silent]).json()["notifications"]
                 if "drawn by lot" in n["text"]]
        if notes or time.time() > deadline:
            break
        time.sleep(0.3)
    assert len(notes) == 1 and notes[0].endswith(
        "or the seat goes to the next alternate and you are summoned again at the next"
        " renewal"), notes
    w.clock(m["deadline"] + 60)
    m2, = [x for x in summons_of(w, silent) if x["id"] == m["id"]]
    assert m2["state"] == "deferred", m2
    lapse = [e for e in journal(w) if e["action"] == "summons.lapse"][-1]
    assert lapse["payload"]["outcome"] == "deferred", lapse
    # the journal says what became of it, on its page and on the command line
    shown = run("journal", "show", "--after", lapse["seq"] - 1, "--limit", 1,
                "--db", w.srv.db).stdout
    assert "Summons unanswered by its deadline: deferred to the next renewal" in shown, shown
    nxt = [h for h in others if h != silent and summons_of(w, h, "summoned")]
    assert len(nxt) == 1, nxt
    w.silent, w.second = silent, nxt[0]


def test_excuses_for_the_clerk(w):
    """Excuses while the clerk office is vacant are the polity's rule's
    (granted); once a clerk is elected, the clerk lists and decides them.
    Refusals: not the clerk, already decided, another polity."""
    srv, a, b = w.srv, w.seated[0], w.seated[1]
    # vacant: the members see the list (nothing waits: the rule decided)
    r = srv.get(f"/api/v1/polities/{w.p}/excuses", token=w.tok[b])
    assert r.status_code == 200 and r.json()["decided_by"] == "rule", r.text
    error_of(srv.get(f"/api/v1/polities/{w.p}/excuses", token=w.tok[w.second]),
             403, "forbidden")
    elect = motion(w, a, {"office": "clerk", "holder": a}, "Elect a clerk",
                   kind="elect_holder")
    meeting_in_session(w, [elect], w.seated)
    m = [x for x in summons_of(w, w.second, "summoned")]
    if not m:  # the clock passed the deadline meanwhile: the next one
        w.second, = [h for h in w.names if summons_of(w, h, "summoned")]
        m = summons_of(w, w.second, "summoned")
    m, = m
    r = srv.post(f"/api/v1/summons/{m['id']}/answer",
                 {"answer": "excuse", "reason": "hardship"}, token=w.tok[w.second])
    assert r.status_code == 200 and r.json()["state"] == "excuse_requested", r.text
    ex = srv.get(f"/api/v1/polities/{w.p}/excuses", token=w.tok[a])
    assert ex.status_code == 200, ex.text
    ex = ex.json()
    assert ex["decided_by"] == "clerk" and ex["clerk_office_held"]
    assert [(q["summons"], q["person"], q["reason"]) for q in ex["requests"]] == [
        (m["id"], w.second, "hardship")]
    assert "hardship" in ex["reasons"]
    # from the command line too, as the clerk
    p = run("me", "excuses", w.p, "--token", w.tok[a], "--db", srv.db, check=0)
    assert f"summons {m['id']}: {w.second} asks to be excused: hardship" in p.stdout
    before = settled_hash(srv)
    for who in (b, w.second):  # a member, the person: not the clerk
        error_of(srv.get(f"/api/v1/polities/{w.p}/excuses", token=w.tok[who]),
                 403, "forbidden")
        error_of(srv.post(f"/api/v1/summons/{m['id']}/excuse",
                          {"grant": True, "reason": "Fine."}, token=w.tok[who]),
                 403, "forbidden")
    # another polity: its office is vacant and the clerk holds no seat there
    error_of(srv.get(f"/api/v1/polities/{w.q}/excuses", token=w.tok[a]), 403, "forbidden")
    error_of(srv.get(f"/api/v1/polities/{unique('p')}/excuses", token=w.tok[a]),
             404, "not_found", "polity")
    p = run("me", "excuse", str(m["id"]), "grant", "--token", w.tok[b], "--db", srv.db)
    assert p.returncode == 2 and "reason" in p.stderr, p.stderr
    p = run("me", "excuses", w.p, "--token", w.tok[b], "--db", srv.db)
    assert p.returncode == 2 and "clerk" in p.stderr, p.stderr
    p = run("me", "excuse", str(m["id"]), "grant", "--reason", "Fine.", "--token",
            w.tok[b], "--db", srv.db)
    assert p.returncode == 2 and "clerk" in p.stderr, p.stderr
    assert settled_hash(srv) == before
    p = run("me", "excuse", str(m["id"]), "refuse", "--reason", "Hardship is not shown.",
            "--token", w.tok[a], "--db", srv.db, check=0)
    assert f"summons {m['id']}: Summoned: an answer is awaited" in p.stdout, p.stdout
    # the person's reason stays, and the clerk's is kept beside it: in the
    # API and on the command line
    mine, = [x for x in srv.get("/api/v1/me/summons", token=w.tok[w.second]).json()[
        "summons"] if x["id"] == m["id"]]
    assert mine["reason"] == "hardship", mine
    assert mine["excuse_decision"] == {"decision": "refused",
                                       "reason": "Hardship is not shown."}, mine
    p = run("me", "summons", "--token", w.tok[w.second], "--db", srv.db)
    assert "  you asked to be excused: hardship\n" in p.stdout, p.stdout
    assert "  the clerk refused your excuse: Hardship is not shown.\n" in p.stdout, p.stdout
    assert srv.get(f"/api/v1/polities/{w.p}/excuses", token=w.tok[a]).json()[
        "requests"] == []
    before = settled_hash(srv)
    error_of(srv.post(f"/api/v1/summons/{m['id']}/excuse",
                      {"grant": True, "reason": "Again."}, token=w.tok[a]),
             409, "conflict")
    assert settled_hash(srv) == before


def test_more_seats_later_and_deferring_once(w):
    """Two seats become five before cohort 1's renewal: it keeps three
    (none of its seats close any more), and cohort 2 grows to two at its
    renewal, a new seat numbered after the others. The one deferred for
    not answering is summoned ahead of that draw; silent again, the seat
    goes on (deferring is once)."""
    a = w.seated[0]
    more = motion(w, a, {"seats": 5}, "Five seats")
    voters = [h for h in w.seated]
    mid = more["meeting"]
    mt = w.srv.get(f"/api/v1/meetings/{mid}").json()
    meeting_in_session(w, [more], voters)
    p = polity(w)
    assert p["seats"] == 5
    assert [(c["cohort"], c["seats"], c["next_seats"]) for c in p["cohort_list"]] == [
        (1, 3, 3), (2, 1, 2)]
    assert not any(s["closing"] for s in p["seat_list"]), p["seat_list"]
    assert mt["starts_at"] > 0
    d3 = [c for c in p["cohort_list"] if c["cohort"] == 1][0]["term_ends"]
    d4 = [c for c in p["cohort_list"] if c["cohort"] == 2][0]["term_ends"]
    # cohort 1's renewal (year 9): its outgoing members, seated and
    # citizens at the commitment, are not in its pool (docs/polities.md,
    # choice 31)
    w.clock(d3 - 15 * DAY, consent=True)
    w.clock(d3 - 14 * DAY)
    r1 = committed(w, 1)
    for h in w.seated:
        assert r1["id"] not in [x["renewal"] for x in w.srv.get(
            "/api/v1/me/summons", token=w.tok[h]).json()["receipts"]], h
    in_pool = [h for h in w.names if r1["id"] in [x["renewal"] for x in w.srv.get(
        "/api/v1/me/summons", token=w.tok[h]).json()["receipts"]]]
    assert in_pool and r1["pool_size"] == len(in_pool), (in_pool, r1)
    w.clock(d4 - 15 * DAY, consent=True)  # cohort 1's draw is not made here
    w.clock(d4 - 14 * DAY)
    p = polity(w)
    assert [(c["cohort"], c["seats"]) for c in p["cohort_list"]] == [(1, 3), (2, 1)]
    r = committed(w, 2)
    # two seats: those who deferred (by silence) are summoned again ahead of
    # the draw, which draws the rest
    # (three deferred: two are summoned again, as many as the seats; the
    # third waits for the cohort's following renewal)
    again = [h for h in w.names for m in summons_of(w, h, "summoned")
             if m["renewal"] == r["id"]]
    deferred = [h for h in w.names if summons_of(w, h, "deferred")]
    assert len(again) == min(2, len(deferred)) and r["seats"] == 2 - len(again), (again, r)
    w.silent = again[0]
    m, = summons_of(w, w.silent, "summoned")
    assert m["no_answer"] == "vacate", m  # deferred once already
    w.clock(d4)
    p = polity(w)
    assert [(c["cohort"], c["seats"]) for c in p["cohort_list"]] == [(1, 3), (2, 2)]
    assert sorted(s["seat"] for s in p["seat_list"]) == [1, 2, 3, 5, 6]
    assert quorum(w) == 3
    w.clock(m["deadline"] + 60)
    m2, = [x for x in summons_of(w, w.silent) if x["id"] == m["id"]]
    assert m2["state"] == "no_answer", m2
    p = run("journal", "verify", "--state", "--json", "--db", w.srv.db)
    assert p.returncode == 0, p.stdout + p.stderr


def test_replay_rebuilds_the_seats(w, tmp_path):
    """The seats decided, added and closed, the quorum and the outcomes of
    lapsed summons are rebuilt from the journal alone; an edit to any of
    them is named."""
    w.srv.settle()
    copy = str(tmp_path / "copy.db")
    run("backup", "--db", w.srv.db, copy, check=0)
    new = str(tmp_path / "new.db")
    run("journal", "replay", "--db", copy, "--into", new, "--json", check=0)
    p = run("journal", "verify", "--state", "--json", "--db", new)
    assert p.returncode == 0 and json.loads(p.stdout)["state"]["ok"], p.stdout
    for sql, table, column in (
            ("UPDATE polities SET seats = 6 WHERE seats = 5", "polities", "seats"),
            ("DELETE FROM polity_seats WHERE seat = 6", "polity_seats", None),
            ("UPDATE summons SET state = 'no_answer' WHERE state = 'deferred'",
             "summons", "state"),
            ("UPDATE bodies SET rules = replace(rules, '\"count\":3', '\"count\":2')"
             " WHERE kind = 'polity'", "bodies", "rules")):
        db = str(tmp_path / ("e-" + table + ".db"))
        shutil.copy(copy, db)
        con = sqlite3.connect(db)
        assert con.execute(sql).rowcount >= 1, sql
        con.commit()
        con.close()
        p = run("journal", "verify", "--state", "--json", "--db", db)
        d = json.loads(p.stdout)["state"]["difference"]
        assert p.returncode == 1 and d["table"] == table, (sql, d)
        assert column is None or d["column"] == column, (sql, d)
