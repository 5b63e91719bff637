"""Reads never write; a page is one moment (issue 11, section 4).

An anonymous GET of an assembly's meetings or calendar leaves the database
byte for byte as it was and never takes the write lock: it answers while
another connection holds a write transaction. Meetings are made when the
schedule is set (founding) and by the server's clock (at start and every
--tick seconds), a year ahead, so a read never has to make them. A page is
built from one snapshot: the journal check never mixes the entries of one
moment with the signed head of the next (it reported an intact journal
broken under concurrent writes), and under concurrent check-ins the
meeting page's count and its list of those present always agree."""
import hashlib
import os
import re
import sqlite3
import subprocess
import threading
import time

import requests

from conftest import PNYX, Server, assert_clean_exit, unique

DAY = 86400


def db_bytes(db):
    """A digest of the database and its write-ahead log, byte for byte."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = db + suffix
        if os.path.exists(path):
            with open(path, "rb") as f:
                h.update(f.read())
        h.update(b"|")
    return h.hexdigest()


def scalar(db, sql, *params):
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def found_town(srv):
    handle, tok = srv.user()
    r = srv.found(tok)
    assert r.status_code == 201, r.text
    return r.json()["slug"], tok


def test_founding_makes_a_year_of_meetings_at_once(srv):
    slug, _ = found_town(srv)
    # Straight from the database, before anyone reads a page: weekly
    # meetings a year ahead (52 or 53 of them).
    n = scalar(srv.db, "SELECT count(*) FROM meetings m JOIN bodies b"
               " ON b.id = m.body_id WHERE b.slug = ?", slug)
    assert n >= 52, n
    last = scalar(srv.db, "SELECT max(starts_at) FROM meetings m JOIN bodies b"
                  " ON b.id = m.body_id WHERE b.slug = ?", slug)
    assert last > time.time() + 358 * DAY


def test_anonymous_reads_leave_the_database_unchanged(srv):
    slug, _ = found_town(srv)
    # The last weeks of the year ahead are missing, as when the clock has
    # not run for a while: a read that made meetings would make them now.
    cut = int(time.time()) + 300 * DAY
    removed = srv.sql("DELETE FROM meetings WHERE starts_at > ? AND body_id ="
                      " (SELECT id FROM bodies WHERE slug = ?)", cut, slug)
    assert removed >= 8
    srv.settle()  # the notifications of the founding, written after it
    watcher = sqlite3.connect(srv.db, timeout=10)
    version = watcher.execute("PRAGMA data_version").fetchone()[0]
    rows = scalar(srv.db, "SELECT count(*) FROM meetings")
    before = db_bytes(srv.db)
    for _ in range(3):
        r = srv.get(f"/api/v1/bodies/{slug}/meetings")
        assert r.status_code == 200, r.text
        # the horizon of a year: no gap in what the page shows
        assert len(r.json()["upcoming"]) == 12
        r = srv.get(f"/api/v1/bodies/{slug}/calendar.ics")
        assert r.status_code == 200, r.text
        assert r.text.count("BEGIN:VEVENT") >= 40
    assert db_bytes(srv.db) == before
    assert scalar(srv.db, "SELECT count(*) FROM meetings") == rows
    # no other connection committed anything meanwhile
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == version
    watcher.close()


def test_reads_answer_while_another_connection_holds_the_write_lock(srv):
    slug, tok = found_town(srv)
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]["id"]
    paths = [f"/api/v1/bodies/{slug}/meetings", f"/api/v1/bodies/{slug}/calendar.ics",
             f"/api/v1/bodies/{slug}", f"/api/v1/bodies/{slug}/members",
             f"/api/v1/meetings/{meeting}", f"/api/v1/bodies/{slug}/motions",
             "/api/v1/journal", "/api/v1/me"]
    locker = sqlite3.connect(srv.db, timeout=10, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        for path in paths:
            t = time.monotonic()
            r = srv.request("GET", path, token=tok)
            assert r.status_code == 200, (path, r.text)
            # a reader that waited for the lock would wait 5 s and more
            assert time.monotonic() - t < 2, path
    finally:
        locker.execute("ROLLBACK")
        locker.close()


def start_on(db, *args):
    """pnyx serve on an existing database; returns (process, base URL)."""
    err = open(db + ".serve.err", "w")
    p = subprocess.Popen([PNYX, "serve", "--listen", "127.0.0.1:0", "--db", db,
                          *args], stdout=subprocess.PIPE, stderr=err, text=True)
    line = p.stdout.readline().rstrip("\n")
    m = re.match(r"pnyx: serving (http://127\.0\.0\.1:\d+)/$", line)
    assert m, (line, open(db + ".serve.err").read())
    return p, m.group(1), err


def test_the_clock_makes_meetings_at_start_and_on_each_tick(tmp_path):
    d = tmp_path / "s"
    d.mkdir()
    s = Server(str(d), ("--tick", "1"))
    slug, _ = found_town(s)
    count = ("SELECT count(*) FROM meetings m JOIN bodies b ON b.id = m.body_id"
             " WHERE b.slug = ?")
    full = scalar(s.db, count, slug)
    cut = int(time.time()) + 200 * DAY
    delete = ("DELETE FROM meetings WHERE starts_at > ? AND body_id ="
              " (SELECT id FROM bodies WHERE slug = ?)")
    # on a tick, without any request
    assert s.sql(delete, cut, slug) > 0
    deadline = time.time() + 10
    while scalar(s.db, count, slug) < full and time.time() < deadline:
        time.sleep(0.2)
    assert scalar(s.db, count, slug) == full
    assert_clean_exit(*s.stop())
    # at start, before the server says it is serving
    assert s.sql(delete, cut, slug) > 0
    p, base, err = start_on(s.db)
    try:
        assert scalar(s.db, count, slug) == full
        assert requests.get(base + "/api/v1/health", timeout=10).status_code == 200
    finally:
        p.terminate()
        assert p.wait(timeout=30) == 0
        p.stdout.close()
        err.close()


def test_tick_is_checked():
    out = subprocess.run([PNYX, "serve", "--tick", "0"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "tick" in out.stderr


def test_a_meeting_page_is_one_moment(srv):
    """Members check in as fast as they can while others read
    the meeting page: its attendance count and its list of those present
    come from one snapshot, so they always agree."""
    import datetime
    now = datetime.datetime.now(datetime.timezone.utc)
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    sched = {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
             % (days[now.weekday()], now.hour, now.minute),
             "tz": "UTC", "place": "The hall"}
    clerk, ctok = srv.user()
    r = srv.found(ctok, schedule=sched)
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    members = []
    for _ in range(30):
        h, t = srv.user()
        r = srv.post(f"/api/v1/bodies/{slug}/members",
                     {"affirm": True, "basis": "lives"}, token=t)
        assert r.status_code == 201, r.text
        members.append(t)
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    mid = meeting["id"]
    # the founder opens the meeting with the room code; the others check
    # in with it while the page is read
    code = srv.get(f"/api/v1/meetings/{mid}/code", token=ctok).json()["code"]
    r = srv.post(f"/api/v1/meetings/{mid}/checkins", {"code": code}, token=ctok)
    assert r.status_code == 201, r.text
    stop = threading.Event()
    bad = []
    seen = set()

    def reader():
        while not stop.is_set():
            j = srv.get(f"/api/v1/meetings/{mid}").json()
            seen.add(j["attendance"])
            if j["attendance"] != len(j["present"]):
                bad.append((j["attendance"], len(j["present"])))
    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for t in members:
            r = srv.post(f"/api/v1/meetings/{mid}/checkins", {"code": code}, token=t)
            assert r.status_code == 201, r.text
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not bad, bad[:5]
    assert len(seen) > 3  # the readers did see the page change


def test_journal_verify_reads_one_moment_while_entries_are_added(start_server):
    """GET /journal/verify reads every entry and then the signed head: from
    two moments, an entry committed in between made an intact journal look
    broken. In one read transaction it never does."""
    s = start_server()
    _, tok = s.user()
    r = s.found(tok)
    slug = r.json()["slug"]
    _, other = s.user()
    for _ in range(150):  # a journal long enough to take a while to verify
        assert s.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                      token=other).status_code == 201
        assert s.delete(f"/api/v1/bodies/{slug}/members/me", token=other).status_code in (200, 204)
    stop = threading.Event()
    broken = []

    def writer():
        while not stop.is_set():
            s.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                   token=other)
            s.delete(f"/api/v1/bodies/{slug}/members/me", token=other)
    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for _ in range(300):
            j = requests.get(s.url("/api/v1/journal/verify"), timeout=30).json()
            if not j.get("ok"):
                broken.append(j)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not broken, broken[:3]


def test_journal_verify_on_the_command_line_reads_one_moment(start_server):
    """`pnyx journal verify` beside a running server that adds entries."""
    s = start_server()
    _, tok = s.user()
    slug = s.found(tok).json()["slug"]
    _, other = s.user()
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            s.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                   token=other)
            s.delete(f"/api/v1/bodies/{slug}/members/me", token=other)
    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    failed = []
    try:
        for _ in range(60):
            p = subprocess.run([PNYX, "journal", "verify", "--db", s.db],
                               capture_output=True, text=True)
            if p.returncode != 0:
                failed.append(p.stdout + p.stderr)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not failed, failed[:2]
