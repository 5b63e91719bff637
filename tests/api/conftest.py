"""Fixtures for the API tests: a real `pnyx serve` on a loopback port with
a temporary database.

Each test module gets one server (fixture `srv`); tests that need a fresh
one (rate limits, shutdown) start their own with `start_server`. A server
listens on 127.0.0.1:0 and the port is read from the URL it prints, so no
two servers race for a port. On teardown the server gets SIGTERM and must
exit with status 0; under the sanitizer variant (PNYX_VARIANT=san) its
stderr must show no sanitizer report.
"""
import datetime
import hashlib
import json
import os
import re
import secrets
import select
import signal
import sqlite3
import subprocess
import time

import pytest
import requests

PNYX = os.environ.get("PNYX_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "pnyx")
SAN = os.environ.get("PNYX_VARIANT") == "san"
PASSWORD = "correct horse battery"
SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "ThreadSanitizer",
                   "runtime error:",
                   "UndefinedBehaviorSanitizer")

# A rule set and schedule the domain accepts (see src/gov/assembly/assembly.h and
# body.h).
RULE = {"kind": "simple_majority", "quorum": {"fraction": "1/10"}}
SCHEDULE = {"rrule": "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
            "tz": "Europe/Lisbon", "place": "Fishermen's Hall"}


def run(*args, check=None, timeout=60):
    """Run the pnyx command line; return the CompletedProcess."""
    env = dict(os.environ)
    env.pop("PNYX_DB", None)
    p = subprocess.run([PNYX, *map(str, args)], capture_output=True,
                       text=True, env=env, timeout=timeout)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout, p.stderr)
    return p


def unique(prefix="u"):
    """A fresh handle or slug: a letter, then lower-case hex."""
    return prefix + secrets.token_hex(5)


class Server:
    """A running `pnyx serve` with its own database."""

    def __init__(self, tmp, args=(), communities=(), init_args=(),
                 password_cost="minimum"):
        self.dir = tmp
        self.password_cost = password_cost
        self.db = os.path.join(tmp, "t.db")
        run("init", "--db", self.db, *init_args, check=0)
        for slug, pop in communities:
            self.add_community(slug, pop)
        self.stderr_path = os.path.join(tmp, "serve.err")
        self._err = open(self.stderr_path, "w")
        self._launch(args)

    def restart(self, *args):
        """Stop the server cleanly and serve the same database again, with
        args (the first start's are not kept)."""
        assert_clean_exit(*self.stop())
        self._err = open(self.stderr_path, "a")
        self._launch(args)

    def _launch(self, args):
        # Tests create many accounts from one address; the tests of the
        # sign-up limit start servers with the limit they test.
        if "--signups-per-hour" not in args:
            args = ("--signups-per-hour", "100000", *args)
        # Every node of these tests, and the peers the tests play, are on
        # loopback, which a node reaches only with peer-addresses = any
        # (the default, public, is tested in test_nodes_addresses.py).
        if "--peer-addresses" not in args:
            args = ("--peer-addresses", "any", *args)
        # Thousands of accounts are made and signed in with: at argon2id's
        # interactive limits that was half the processor time of the API
        # tests. test_password_cost.py starts servers at the default.
        if self.password_cost and "--password-cost" not in args:
            args = ("--password-cost", self.password_cost, *args)
        self.proc = subprocess.Popen(
            [PNYX, "serve", "--listen", "127.0.0.1:0", "--db", self.db,
             *args],
            stdout=subprocess.PIPE, stderr=self._err, text=True)
        line = self._read_line(30)
        m = re.match(r"pnyx: serving (http://127\.0\.0\.1:(\d+)/)$", line)
        assert m, (line, self.stderr())
        self.base = m.group(1).rstrip("/")
        self.port = int(m.group(2))
        self._wait_healthy()

    def _read_line(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if r:
                return self.proc.stdout.readline().rstrip("\n")
            if self.proc.poll() is not None:
                break
        raise AssertionError("server did not start: " + self.stderr())

    def _wait_healthy(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.url("/api/v1/health"),
                                timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise AssertionError("server not healthy: " + self.stderr())

    def url(self, path):
        return self.base + path

    def stderr(self):
        self._err.flush()
        with open(self.stderr_path) as f:
            return f.read()

    def add_community(self, slug=None, population=10000, name=None):
        slug = slug or unique("c")
        run("community", "add", slug, "--name", name or slug.title(),
            "--population", population, "--db", self.db, check=0)
        return slug

    def sql(self, statement, *params):
        """Change the database directly, as no route may (exclusion)."""
        con = sqlite3.connect(self.db, timeout=10)
        try:
            cur = con.execute(statement, params)
            con.commit()
            return cur.rowcount
        finally:
            con.close()

    # What settle waits for once the notifier's cursor has reached the
    # journal's head (None: that is not looked at, and settle waits
    # quiet seconds). A module whose server writes nothing else on its
    # own (no clock thread, no peers) may set it (SETTLED_AT_CURSOR).
    settle_at_cursor = None

    def settle(self, quiet=1.5, timeout=30):
        """Wait until no connection has committed anything for quiet
        seconds: the server's notifier (src/gov/notice) writes the
        notifications of each decision a moment after it, from a thread
        of its own, and a test that watches the database for writes must
        let it finish first. With settle_at_cursor, it is enough that the
        notifier has fanned out every journal entry (notice_cursor at the
        journal's head, written in the transaction of its fan-out) and
        nothing was committed for that long: more than one of its wakes
        (src/http/notifier.c, POLL_MS), so its pass over the clock found
        nothing either."""
        con = sqlite3.connect(self.db, timeout=10)
        try:
            last, since = None, time.time()
            deadline = time.time() + timeout
            while time.time() < deadline:
                v = con.execute("PRAGMA data_version").fetchone()[0]
                if v != last:
                    last, since = v, time.time()
                elif time.time() - since >= quiet:
                    return
                elif (self.settle_at_cursor is not None
                      and time.time() - since >= self.settle_at_cursor
                      and con.execute(
                          "SELECT (SELECT seq FROM notice_cursor WHERE id = 1) >="
                          " (SELECT coalesce(max(seq), 0) FROM journal)").fetchone()[0]):
                    return
                time.sleep(0.1)
        finally:
            con.close()
        raise AssertionError("the database did not settle: " + self.stderr())

    # -- requests --------------------------------------------------------
    def request(self, method, path, body=None, token=None, cookie=None,
                headers=None, data=None, json_type=True):
        """One request. body is sent as JSON; token as a bearer token;
        cookie as the session cookie (with a JSON content type unless
        json_type is False)."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if cookie:
            h["Cookie"] = "pnyx_session=" + cookie
        if body is not None:
            data = json.dumps(body)
        if json_type and "Content-Type" not in h and method not in (
                "GET", "HEAD"):
            h["Content-Type"] = "application/json"
        return requests.request(method, self.url(path), data=data,
                                headers=h, timeout=60)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def signup(self, handle=None, display_name=None):
        handle = handle or unique()
        r = self.post("/api/v1/accounts", {
            "handle": handle, "display_name": display_name or handle.title(),
            "password": PASSWORD})
        assert r.status_code == 201, r.text
        return handle

    def signin(self, handle, password=PASSWORD):
        r = self.post("/api/v1/sessions",
                      {"handle": handle, "password": password})
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def user(self):
        """A new account, signed in: (handle, token)."""
        h = self.signup()
        return h, self.signin(h)

    def found(self, token, community=None, **fields):
        body = {"name": "Assembly", "community": community or
                self.add_community(), "statement": "We are equals.",
                "rule": RULE, "schedule": SCHEDULE}
        body.update(fields)
        return self.post("/api/v1/bodies", body, token=token)

    # -- stopping --------------------------------------------------------
    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("server did not stop: " + self.stderr())
        self.proc.stdout.close()
        err = self.stderr()
        self._err.close()
        return rc, err


def assert_clean_exit(rc, err):
    assert rc == 0, err
    for mark in SANITIZER_MARKS:
        assert mark not in err, err


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("srv")))
    yield s
    assert_clean_exit(*s.stop())


@pytest.fixture
def start_server(tmp_path):
    """Start servers of one's own (each with its own database); all are
    stopped and checked at the end of the test."""
    started = []

    def start(*args):
        d = tmp_path / f"s{len(started)}"
        d.mkdir()
        s = Server(str(d), args)
        started.append(s)
        return s
    yield start
    for s in started:
        if s.proc.returncode is None:
            assert_clean_exit(*s.stop())


def error_of(r, status, code, field=None):
    """Assert r is the error {status, code, field}; return its body."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"] == "application/json"
    e = r.json()["error"]
    assert e["code"] == code, e
    assert e["field"] == field, e
    assert isinstance(e["message"], str) and e["message"]
    return e


# -- an assembly's life, for the tests that need a world -----------------

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
RULES = {"default": {"kind": "simple_majority"}}


def schedule_now():
    """A weekly schedule whose meeting is this minute, in UTC, taking
    motions from the floor: an assembly founded with it is in session."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": "The hall", "floor_motions": True}


def join(srv, slug, tok):
    r = srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                 token=tok)
    assert r.status_code == 201, r.text


def checkin(srv, meeting, code_tok, tok):
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=code_tok).json()["code"]
    r = srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code}, token=tok)
    assert r.status_code in (201, 409), r.text


def submit(srv, slug, tok, **body):
    body.setdefault("kind", "resolution")
    body.setdefault("title", "A motion")
    body.setdefault("text", "Text.")
    r = srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok)
    assert r.status_code == 201, r.text
    return r.json()


def decide(srv, slug, tok, kind, params=None, title="A motion", text="", chair=None):
    """Submit, open, vote yes, close; the voter is already checked in (or
    is checked in here while there is no clerk). chair opens and closes."""
    chair = chair or tok
    body = {"kind": kind, "title": title, "text": text}
    if params is not None:
        body["params"] = params
    m = submit(srv, slug, tok, **body)
    r = srv.get(f"/api/v1/meetings/{m['meeting']}/code", token=tok)
    if r.status_code == 200:
        srv.post(f"/api/v1/meetings/{m['meeting']}/checkins", {"code": r.json()["code"]},
                 token=tok)
    r = srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"}, token=chair)
    assert r.status_code == 200, r.text
    r = srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": "yes"}, token=tok)
    assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/motions/{m['id']}/voting/close", token=chair)
    assert r.status_code == 200, r.text
    return r.json()


def verify_edited(copy, edited, sql):
    """`pnyx journal verify --state --json` of edited: a copy of the database
    copy in which sql changed at least one row (a change made outside the
    journal, which the verification must name). The JSON it printed."""
    import shutil
    shutil.copy(copy, edited)
    con = sqlite3.connect(edited)
    try:
        assert con.execute(sql).rowcount >= 1, sql
        con.commit()
    finally:
        con.close()
    return json.loads(run("journal", "verify", "--state", "--db", edited, "--json").stdout)


def state_hash(db):
    """(journal length, a hash of every table's rows), read-only and
    outside the server: what a refusal must leave as it found it."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        h = hashlib.blake2b(digest_size=32)
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for t in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            h.update(t.encode() + b"\0" + "\n".join(rows).encode() + b"\0")
        n = con.execute("SELECT count(*) FROM journal").fetchone()[0]
        return n, h.hexdigest()
    finally:
        con.close()


# Server.settle_at_cursor for a module whose server writes nothing on its
# own but the notifier's fan-out: a notifier wake (500 ms) and a margin.
SETTLED_AT_CURSOR = 0.7


def settled_hash(srv):
    """state_hash once the notifier has written what it owed (its writes,
    a moment after each decision, are not the ones a test watches for)."""
    srv.settle()
    return state_hash(srv.db)


@pytest.fixture(scope="module")
def harbour(srv):
    """The assemblies the refusal tests act in. Harbour (founder f;
    members cl, left, excl, deleg, comm, exclerk; left has left, excl is
    excluded), Dale (founder other) and Hill (founder h), all in session;
    Hill founded the delegate assembly Transit (h its delegate), Harbour
    joined it and elected deleg, then recalled them; n belongs nowhere.
    {"tok", "handle", "harbour", "dale", "hill", "transit"}."""
    who = ["f", "cl", "left", "excl", "deleg", "comm", "exclerk", "other",
           "h", "n"]
    people = {k: srv.user() for k in who}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    slug = {k: srv.found(tok[f], rule=RULES, schedule=schedule_now()).json()["slug"]
            for k, f in (("harbour", "f"), ("dale", "other"), ("hill", "h"))}
    for k in ("cl", "left", "excl", "deleg", "comm", "exclerk"):
        join(srv, slug["harbour"], tok[k])
    assert srv.delete(f"/api/v1/bodies/{slug['harbour']}/members/me",
                      token=tok["left"]).status_code in (200, 204)
    f = tok["f"]
    assert decide(srv, slug["harbour"], f, "exclude_member", {
        "member": handle["excl"], "reasons": "Works to restore class inequality.",
        "hearing": "Heard."})["status"] == "adopted"
    transit = unique("t")
    assert decide(srv, slug["hill"], tok["h"], "found_federation", {
        "slug": transit, "name": "Transit", "purpose": "transport",
        "region": "the valley", "statement": "We coordinate as equals.",
        "rule": RULES, "schedule": schedule_now(),
        "delegate": handle["h"], "mandate": "Night buses."})["status"] == "adopted"
    assert decide(srv, slug["harbour"], f, "join_federation",
                  {"federation": transit})["status"] == "adopted"
    assert decide(srv, slug["harbour"], f, "elect_delegates", {
        "federation": transit, "delegate": handle["deleg"],
        "mandate": "Speak for us."})["status"] == "adopted"
    assert decide(srv, slug["harbour"], f, "recall_delegate", {
        "federation": transit, "delegate": handle["deleg"]})["status"] == "adopted"
    return {"tok": tok, "handle": handle, "transit": transit, **slug}
