"""bench/meeting/load.py: the load of one large meeting, against pnyx or
against bench/meeting/raw_sse (the baseline), with the same clients.

    load.py pnyx URL DB MEMBERS STREAMS VOTE_CLIENTS SERVER_PID
    load.py raw  URL -  MEMBERS STREAMS VOTE_CLIENTS SERVER_PID

Phases, each timed:
  setup    (pnyx) an assembly of a community of 40,000 whose meeting is in
           session now; MEMBERS accounts with sessions written into the
           database directly (one real sign-up's password hash copied, a
           random token per account whose BLAKE2b-256 the sessions table
           keeps, as src/gov/people/account.c does: hashing 10,000
           passwords would take most of an hour and is not what is
           measured); then every member joins through the API;
  checkin  every member checks in with the room code (API);
  votes-0  a vote opened, every member votes, no stream open: votes/s;
  streams  STREAMS live streams opened, each waiting for its snapshot;
  votes-N  a second vote, every member votes while the streams are open:
           votes/s, the time from the last vote's answer until every
           stream has seen the final count, health latency meanwhile,
           bytes per stream.
Votes come from VOTE_CLIENTS concurrent connections (kept alive), each
taking the next member's vote until all have voted. The streams run in a
process of their own and a health probe in a third, so that none of the
three clients' own delays are counted as the server's.

Prints one line of JSON with the figures.
"""
import asyncio
import hashlib
import json
import multiprocessing as mp
import os
import re
import resource
import secrets
import socket
import sqlite3
import statistics
import sys
import time
import datetime
import urllib.parse

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
PASSWORD = "correct horse battery"


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# ---- HTTP on raw connections -------------------------------------------

class Conn:
    """One kept-alive HTTP/1.1 connection for JSON requests."""

    def __init__(self, host, port):
        self.host, self.port, self.r, self.w = host, port, None, None

    async def request(self, method, path, body=None, token=None):
        if self.w is None:
            self.r, self.w = await asyncio.open_connection(self.host, self.port)
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: x\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        self.w.write(head.encode() + b"\r\n" + data)
        status = await self.r.readline()
        length, close = 0, False
        while True:
            line = await self.r.readline()
            if line in (b"\r\n", b""):
                break
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length":
                length = int(v)
            elif k.lower() == "connection" and "close" in v.lower():
                close = True
        payload = await self.r.readexactly(length) if length else b""
        if close:
            self.close()
        return int(status.split()[1]), payload

    def close(self):
        if self.w:
            self.w.close()
        self.r = self.w = None


async def many(host, port, jobs, clients):
    """Run jobs [(method, path, body, token)] over `clients` connections;
    returns ([status], first send, last answer)."""
    queue = list(reversed(jobs))
    statuses = []
    first = time.time()
    last = [first]

    async def worker():
        c = Conn(host, port)
        while queue:
            job = queue.pop()
            for attempt in range(3):
                try:
                    s, _ = await c.request(*job)
                    break
                except (ConnectionError, asyncio.IncompleteReadError):
                    c.close()
                    s = 0
            statuses.append(s)
            last[0] = time.time()
        c.close()
    await asyncio.gather(*(worker() for _ in range(min(clients, len(jobs)))))
    return statuses, first, last[0]


# ---- setup of a meeting in session (pnyx) -----------------------------------

def setup_pnyx(host, port, db, members):
    def one(method, path, body=None, token=None):
        async def go():
            c = Conn(host, port)
            try:
                return await c.request(method, path, body, token)
            finally:
                c.close()
        s, payload = asyncio.run(go())
        return s, (json.loads(payload) if payload else None)

    handle = "chair" + secrets.token_hex(4)
    s, _ = one("POST", "/api/v1/accounts", {"handle": handle, "display_name": "The chair",
                                            "password": PASSWORD})
    assert s == 201, s
    s, r = one("POST", "/api/v1/sessions", {"handle": handle, "password": PASSWORD})
    assert s == 201, s
    chair = r["token"]
    now = datetime.datetime.now(datetime.timezone.utc)
    s, r = one("POST", "/api/v1/bodies", {
        "name": "Town Assembly", "community": "town", "statement": "We are equals.",
        "rule": {"kind": "simple_majority", "quorum": {"fraction": "1/10"}},
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
                     % (DAYS[now.weekday()], now.hour, now.minute),
                     "tz": "UTC", "place": "The square", "floor_motions": True}},
        token=chair)
    assert s == 201, (s, r)
    slug = r["slug"]
    s, r = one("GET", f"/api/v1/bodies/{slug}/meetings")
    meeting = r["upcoming"][0]["id"]

    con = sqlite3.connect(db, timeout=60)
    (pw,) = con.execute("SELECT password_hash FROM accounts WHERE handle = ?",
                        (handle,)).fetchone()
    tokens, t = [], int(time.time())
    for i in range(members):
        token = secrets.token_urlsafe(32)
        cur = con.execute("INSERT INTO accounts(handle, display_name, password_hash,"
                          " created_at) VALUES (?,?,?,?)",
                          (f"m{i:05d}", f"Member {i}", pw, t))
        con.execute("INSERT INTO sessions(token_hash, account_id, created_at, expires_at)"
                    " VALUES (?,?,?,?)",
                    (hashlib.blake2b(token.encode(), digest_size=32).digest(),
                     cur.lastrowid, t, t + 86400))
        tokens.append(token)
    con.commit()
    con.close()
    joins = [("POST", f"/api/v1/bodies/{slug}/members",
              {"affirm": True, "basis": "lives"}, tk) for tk in tokens]
    st, a, b = asyncio.run(many(host, port, joins, 50))
    assert st.count(201) == members, {x: st.count(x) for x in set(st)}
    motions = []
    for title in ("Without streams", "With streams"):
        s, r = one("POST", f"/api/v1/bodies/{slug}/motions",
                   {"kind": "resolution", "title": title, "text": "Counted."}, chair)
        assert s == 201, (s, r)
        motions.append(r["id"])
    return {"chair": chair, "slug": slug, "meeting": meeting, "tokens": tokens,
            "motions": motions, "joins_per_s": members / (b - a)}


def room_code(host, port, ctx):
    async def go():
        c = Conn(host, port)
        try:
            return await c.request("GET", f"/api/v1/meetings/{ctx['meeting']}/code",
                                   token=ctx["chair"])
        finally:
            c.close()
    s, payload = asyncio.run(go())
    assert s == 200, s
    return json.loads(payload)["code"]


def open_vote(host, port, ctx, motion):
    if not ctx.get("chair"):
        return

    async def go():
        c = Conn(host, port)
        try:
            return await c.request("POST", f"/api/v1/motions/{motion}/voting",
                                   {"mode": "devices"}, ctx["chair"])
        finally:
            c.close()
    s, _ = asyncio.run(go())
    assert s == 200, s


def close_vote(host, port, ctx, motion):
    if not ctx.get("chair"):
        return

    async def go():
        c = Conn(host, port)
        try:
            return await c.request("POST", f"/api/v1/motions/{motion}/voting/close",
                                   None, ctx["chair"])
        finally:
            c.close()
    s, _ = asyncio.run(go())
    assert s == 200, s


# ---- the streams (a process of their own) --------------------------------

def streams_proc(host, port, path, n, motion, want, ready, out):
    """Open n streams; report when all have their snapshot; then report,
    for each, when it saw `want` votes counted on motion."""
    raise_fd_limit()
    pat = re.compile(rb'"motion":%d,"status":"voting","round":\d+,"voted":(\d+)' % motion)

    async def one(i, seen, opened, got_first):
        r = w = None
        for attempt in range(20):
            try:
                r, w = await asyncio.open_connection(host, port)
                break
            except OSError:
                await asyncio.sleep(0.2 * (attempt + 1))
        if w is None:
            return 0, 0
        w.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".encode())
        head = await r.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            w.close()
            return 0, 0
        opened[0] += 1
        total, tail, first = 0, b"", True
        try:
            while True:
                data = await r.read(65536)
                if not data:
                    break
                total += len(data)
                if first and b"\n\n" in data:
                    first = False
                    got_first[0] += 1
                buf = tail + data
                for m in pat.finditer(buf):
                    if int(m.group(1)) >= want and i not in seen:
                        seen[i] = time.time()
                tail = buf[-200:]
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            w.close()
        return total, 1

    async def main():
        seen, opened, got_first = {}, [0], [0]
        tasks = []
        for i in range(n):
            tasks.append(asyncio.ensure_future(one(i, seen, opened, got_first)))
            if i % 200 == 199:
                await asyncio.sleep(0.02)
        deadline = time.time() + 120
        while got_first[0] < n and time.time() < deadline:
            if all(t.done() for t in tasks):
                break
            await asyncio.sleep(0.1)
        ready.put({"opened": opened[0], "snapshots": got_first[0]})
        deadline = time.time() + 180
        while len(seen) < opened[0] and time.time() < deadline:
            await asyncio.sleep(0.01)
        for t in tasks:
            t.cancel()
        res = await asyncio.gather(*tasks, return_exceptions=True)
        sizes = [x[0] for x in res if isinstance(x, tuple) and x[1]]
        out.put({"opened": opened[0], "seen": len(seen),
                 "last_seen": max(seen.values()) if seen else None,
                 "bytes": sizes})
    asyncio.run(main())


def health_proc(host, port, stop, out):
    """GET /api/v1/health on a new connection every 10 ms; latencies in ms."""
    lat = []
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while s.recv(65536):
                pass
            s.close()
            lat.append((time.perf_counter() - t0) * 1000)
        except OSError:
            lat.append(10000.0)
        time.sleep(0.01)
    out.put(lat)


def rss_peak_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def cpu_s(pid):
    """User and system CPU seconds the server used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] if xs else None


def main():
    kind, url, db, members, nstreams, clients, pid = sys.argv[1:8]
    members, nstreams, clients, pid = int(members), int(nstreams), int(clients), int(pid)
    u = urllib.parse.urlparse(url)
    host, port = u.hostname, u.port
    raise_fd_limit()
    res = {"server": kind, "members": members, "streams": nstreams, "vote_clients": clients}

    t = time.time()
    if kind == "pnyx":
        ctx = setup_pnyx(host, port, db, members)
        res["joins_per_s"] = round(ctx["joins_per_s"])
        code = room_code(host, port, ctx)
    else:
        ctx = {"meeting": 1, "motions": [1, 2], "chair": None,
               "tokens": [secrets.token_urlsafe(32) for _ in range(members)]}
        code = "000000"
    res["setup_s"] = round(time.time() - t, 1)
    m = ctx["meeting"]
    checkins = [("POST", f"/api/v1/meetings/{m}/checkins", {"code": code}, tk)
                for tk in ctx["tokens"]]
    st, a, b = asyncio.run(many(host, port, checkins, clients))
    assert st.count(201) == members, {x: st.count(x) for x in set(st)}
    res["checkins_per_s"] = round(members / (b - a))
    if ctx["chair"]:  # the chair opens and closes the votes from the room
        st, _, _ = asyncio.run(many(host, port, [("POST", f"/api/v1/meetings/{m}/checkins",
                                                  {"code": code}, ctx["chair"])], 1))
        assert st == [201], st

    def vote(motion):
        jobs = [("POST", f"/api/v1/motions/{motion}/votes", {"position": "yes"}, tk)
                for tk in ctx["tokens"]]
        c0 = cpu_s(pid)
        st, a, b = asyncio.run(many(host, port, jobs, clients))
        assert st.count(201) == members, {x: st.count(x) for x in set(st)}
        vote.cpu_ms = (cpu_s(pid) - c0) * 1000 / members
        return members / (b - a), b - a, b

    m0, m1 = ctx["motions"]
    open_vote(host, port, ctx, m0)
    vps0, _, _ = vote(m0)
    res["votes_per_s_no_streams"] = round(vps0)
    res["cpu_ms_per_vote_no_streams"] = round(vote.cpu_ms, 3)
    close_vote(host, port, ctx, m0)

    open_vote(host, port, ctx, m1)
    mpc = mp.get_context("fork")
    ready, sout, hout, stop = mpc.Queue(), mpc.Queue(), mpc.Queue(), mpc.Event()
    sp = mpc.Process(target=streams_proc, args=(host, port, f"/api/v1/meetings/{m}/events",
                                                nstreams, m1, members, ready, sout))
    t = time.time()
    sp.start()
    r = ready.get(timeout=300)
    res["streams_open_s"] = round(time.time() - t, 1)
    res["streams_ready"] = r["snapshots"]
    hp = mpc.Process(target=health_proc, args=(host, port, stop, hout))
    hp.start()
    time.sleep(0.5)
    vps, span, last_vote = vote(m1)
    res["votes_per_s_with_streams"] = round(vps)
    res["cpu_ms_per_vote_with_streams"] = round(vote.cpu_ms, 3)
    res["votes_span_s"] = round(span, 1)
    s = sout.get(timeout=400)
    stop.set()
    lat = hout.get(timeout=60)
    sp.join(30)
    hp.join(30)
    res["streams_open"] = s["opened"]
    res["streams_saw_final"] = s["seen"]
    res["final_after_last_vote_s"] = (round(s["last_seen"] - last_vote, 3)
                                      if s["last_seen"] else None)
    res["health_p50_ms"] = round(pct(lat, 50), 1)
    res["health_p99_ms"] = round(pct(lat, 99), 1)
    res["health_probes"] = len(lat)
    res["bytes_per_stream"] = round(statistics.mean(s["bytes"])) if s["bytes"] else None
    res["peak_rss_mb"] = round(rss_peak_mb(pid), 1)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
