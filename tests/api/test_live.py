"""Live meetings at scale, over HTTP (issue #12, section 4): many screens
follow one meeting while its members vote from their own devices.

300 members check in, 300 live streams are open (real connections), 300
votes come from concurrent clients: every stream sees the final count;
while the votes pour in a stream gets at most about four updates a
second; each delta is small. A stream that reconnects with Last-Event-ID
gets exactly what it missed; one whose id the server no longer knows gets
a snapshot. (The full size, 5,000 of each, is bench/meeting/run.)

Accounts and their sessions are written into the database directly (one
signed-up account's password hash copied, a random token whose BLAKE2b-256
the sessions table keeps, as src/gov/people/account.c does): hashing 600
passwords would take minutes and is not what is tested here. Joining,
checking in and voting go through the API as any member's would.
"""
import asyncio
import hashlib
import json
import secrets
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import unique
from test_assembly import schedule_now

N = 300
DELTA_MAX = 1024


def bulk_members(srv, founder_handle, n):
    """n accounts with sessions, straight into the database: [(handle, token)]."""
    con = sqlite3.connect(srv.db, timeout=30)
    try:
        (pw,) = con.execute("SELECT password_hash FROM accounts WHERE handle = ?",
                            (founder_handle,)).fetchone()
        now = int(time.time())
        people = []
        for _ in range(n):
            handle, token = unique("m"), secrets.token_urlsafe(32)
            cur = con.execute("INSERT INTO accounts(handle, display_name, password_hash,"
                              " created_at) VALUES (?,?,?,?)",
                              (handle, handle.title(), pw, now))
            con.execute("INSERT INTO sessions(token_hash, account_id, created_at,"
                        " expires_at) VALUES (?,?,?,?)",
                        (hashlib.blake2b(token.encode(), digest_size=32).digest(),
                         cur.lastrowid, now, now + 86400))
            people.append((handle, token))
        con.commit()
        return people
    finally:
        con.close()


def in_parallel(fn, items, workers=16):
    with ThreadPoolExecutor(workers) as ex:
        return list(ex.map(fn, items))


@pytest.fixture(scope="module")
def hall(srv):
    """An assembly in session with N + 1 members checked in."""
    founder, tok = srv.user()
    community = srv.add_community(population=40000)
    r = srv.found(tok, community=community, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    m = meeting["id"]
    people = bulk_members(srv, founder, N)

    def join(p):
        r = srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                     token=p[1])
        assert r.status_code == 201, r.text
    in_parallel(join, people)

    r = srv.get(f"/api/v1/meetings/{m}/code", token=tok)
    assert r.status_code == 200, r.text
    code = r.json()["code"]

    def check_in(tok_):
        # a code is good for two windows of ROOM_CODE_SECONDS: long enough
        r = srv.post(f"/api/v1/meetings/{m}/checkins", {"code": code}, token=tok_)
        assert r.status_code == 201, r.text
    in_parallel(check_in, [tok] + [p[1] for p in people])
    return {"slug": slug, "meeting": m, "tok": tok, "people": people}


def motion_to_vote(srv, hall, title):
    r = srv.post(f"/api/v1/bodies/{hall['slug']}/motions",
                 {"kind": "resolution", "title": title, "text": "Counted live."},
                 token=hall["tok"])
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=hall["tok"])
    assert r.status_code == 200, r.text
    return mid


# ---- a raw server-sent events client ------------------------------------

class Stream:
    """One live stream on its own connection: every event with its id,
    name, data and size on the wire."""

    def __init__(self, port, path, last_id=None):
        self.port, self.path, self.last_id = port, path, last_id
        self.events = []  # (time, id, name, data, wire bytes)
        self.bytes = 0
        self.seen = asyncio.Event()

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = f"GET {self.path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
        if self.last_id:
            head += f"Last-Event-ID: {self.last_id}\r\n"
        self.writer.write((head + "\r\n").encode())
        status = await self.reader.readuntil(b"\r\n\r\n")
        assert status.startswith(b"HTTP/1.1 200"), status
        self.task = asyncio.ensure_future(self._read())

    async def _read(self):
        """Undo the chunked encoding and split events on blank lines."""
        buf = b""
        try:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                if size == 0:
                    return
                buf += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
                while b"\n\n" in buf:
                    raw, buf = buf.split(b"\n\n", 1)
                    self._event(raw)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            return

    def _event(self, raw):
        self.bytes += len(raw) + 2
        fields = {}
        for line in raw.decode().split("\n"):
            if line.startswith(":"):
                continue
            k, _, v = line.partition(": ")
            fields[k] = v
        if "data" not in fields:
            return
        self.events.append((time.time(), fields.get("id"), fields.get("event"),
                            json.loads(fields["data"]), len(raw) + 2))
        self.seen.set()

    def named(self, name):
        return [e for e in self.events if e[2] == name]

    def counts_of(self, motion):
        """The last counts this stream knows of motion (snapshot or delta)."""
        last = None
        for _, _, name, data, _ in self.events:
            if name == "meeting":
                last = next((c for c in data["votes"] if c["motion"] == motion), last)
            elif name == "counts" and data["motion"] == motion:
                last = data
        return last

    async def close(self):
        self.task.cancel()
        self.writer.close()


async def post(port, path, token, body):
    """One request on its own connection; the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = json.dumps(body).encode()
    writer.write((f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
                  f"Connection: close\r\n\r\n").encode() + data)
    status = await reader.readline()
    await reader.read()
    writer.close()
    return int(status.split()[1])


async def until(cond, timeout):
    deadline = time.time() + timeout
    while not cond():
        assert time.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


# ---- the tests -------------------------------------------------------------

def test_every_stream_sees_the_final_count_of_a_burst(srv, hall):
    mid = motion_to_vote(srv, hall, "Many hands")
    path = f"/api/v1/meetings/{hall['meeting']}/events"
    positions = ["yes" if i % 3 else "no" for i in range(N)]
    want = {"yes": positions.count("yes"), "no": positions.count("no")}

    async def run():
        streams = [Stream(srv.port, path) for _ in range(N)]
        for i in range(0, N, 50):
            await asyncio.gather(*(s.open() for s in streams[i:i + 50]))
        await until(lambda: all(s.events for s in streams), 30)
        for s in streams:
            assert s.events[0][2] == "meeting"
            assert s.counts_of(mid)["voted"] == 0
            # past EVENTS_NAMES_MAX present the stream counts, not names
            m = s.events[0][3]["meeting"]
            assert m["attendance"] == N + 1 and "present" not in m
        began = time.time()
        codes = await asyncio.gather(*(
            post(srv.port, f"/api/v1/motions/{mid}/votes", p[1], {"position": pos})
            for p, pos in zip(hall["people"], positions)))
        cast = time.time()
        assert codes == [201] * N
        await until(lambda: all((s.counts_of(mid) or {}).get("voted") == N
                                for s in streams), 20)
        for s in streams:
            c = s.counts_of(mid)
            assert c["counts"] == want and c["voted"] == N, c
        for s in streams:
            await s.close()
        return streams, began, cast

    streams, began, cast = asyncio.run(run())
    # while the votes poured in, a stream got at most about four updates a
    # second (plus the first and the last)
    span = cast - began
    bound = int(span / 0.25) + 3
    for s in streams:
        updates = [e for e in s.events[1:] if e[2] == "counts" and e[3]["motion"] == mid]
        assert 1 <= len(updates) <= bound, (len(updates), span)
    # the deltas are small: the counts of one motion, not the meeting
    deltas = [e for s in streams for e in s.events[1:]]
    assert deltas and max(e[4] for e in deltas) < DELTA_MAX, max(e[4] for e in deltas)
    # ids grow along each stream
    for s in streams:
        seqs = [int(e[1].split("-")[1]) for e in s.events]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert srv.post(f"/api/v1/motions/{mid}/voting/close",
                    token=hall["tok"]).status_code == 200


def test_a_reconnecting_stream_gets_exactly_what_it_missed(srv, hall):
    path = f"/api/v1/meetings/{hall['meeting']}/events"
    people = hall["people"][:6]

    async def run():
        stay, leave = Stream(srv.port, path), Stream(srv.port, path)
        await stay.open()
        await leave.open()
        await until(lambda: stay.events and leave.events, 10)
        mid = await asyncio.get_running_loop().run_in_executor(
            None, motion_to_vote, srv, hall, "Resume")
        await until(lambda: stay.counts_of(mid) and leave.counts_of(mid), 10)
        last = leave.events[-1][1]
        await leave.close()
        # what happens while it is away: six votes, a few updates apart
        for p in people:
            assert await post(srv.port, f"/api/v1/motions/{mid}/votes", p[1],
                              {"position": "yes"}) == 201
            await asyncio.sleep(0.3)
        await until(lambda: (stay.counts_of(mid) or {}).get("voted") == len(people), 10)
        back = Stream(srv.port, path, last_id=last)
        await back.open()
        await until(lambda: back.counts_of(mid) and
                    back.counts_of(mid)["voted"] == len(people), 10)
        await asyncio.sleep(0.6)  # and nothing more comes
        missed = [e[1:4] for e in stay.events
                  if int(e[1].split("-")[1]) > int(last.split("-")[1])]
        got = [e[1:4] for e in back.events]
        for s in (stay, back):
            await s.close()
        return mid, missed, got

    mid, missed, got = asyncio.run(run())
    assert len(missed) >= 3, missed  # each vote an update of its own
    # what it missed, in order, successive counts of the motion merged:
    # the last one wins
    later = [i for i, e in enumerate(missed) if e[1] == "counts"]
    assert got == [e for i, e in enumerate(missed)
                   if e[1] != "counts" or i == later[-1]]
    assert got[-1][2]["voted"] == len(people)
    assert srv.post(f"/api/v1/motions/{mid}/voting/close",
                    token=hall["tok"]).status_code == 200


def test_the_meeting_and_its_events_say_how_far_the_journal_reached(srv, hall):
    """GET /meetings/{id} says "as_of" (the journal's last entry in its
    read) and every event's id ends with the same for its reading, so a
    page applies only events read at least as far as its own read. Past
    EVENTS_NAMES_MAX present the reply counts and does not name: the
    signed-in caller learns from "checked_in" whether they are in."""
    m = hall["meeting"]
    srv.settle()
    r = srv.get(f"/api/v1/meetings/{m}", token=hall["tok"])
    assert r.status_code == 200, r.text
    got = r.json()
    head = srv.get("/api/v1/health").json()["journal"]["entries"]
    assert got["as_of"] == head
    assert got["attendance"] == N + 1
    assert "present" not in got and "departed" not in got
    assert got["checked_in"] is True
    assert len(r.content) < 16384, len(r.content)  # not 300 names
    anon = srv.get(f"/api/v1/meetings/{m}").json()
    assert "checked_in" not in anon and anon["as_of"] == head
    path = f"/api/v1/meetings/{m}/events"

    async def run():
        s = Stream(srv.port, path)
        await s.open()
        await until(lambda: s.events, 10)
        first = s.events[0][1]
        mid = await asyncio.get_running_loop().run_in_executor(
            None, motion_to_vote, srv, hall, "As of")
        await until(lambda: s.counts_of(mid), 10)
        await s.close()
        return first, [e[1] for e in s.events]

    first, ids = asyncio.run(run())
    parts = first.split("-")
    assert len(parts) == 3 and int(parts[2]) <= head, first
    # the motion and its vote are journal entries: what shows them was
    # read past the page's own read
    assert int(ids[-1].split("-")[2]) > head, ids
    asof = [int(i.split("-")[2]) for i in ids]
    assert asof == sorted(asof)
    mid = srv.get(f"/api/v1/bodies/{hall['slug']}/motions").json()["motions"]
    mid = next(x["id"] for x in mid if x["title"] == "As of")
    assert srv.post(f"/api/v1/motions/{mid}/voting/close",
                    token=hall["tok"]).status_code == 200


def test_a_small_meeting_names_who_is_present(srv):
    """Up to EVENTS_NAMES_MAX present, the meeting names them."""
    _, tok = srv.user()
    r = srv.found(tok, community=srv.add_community(population=900),
                  schedule=schedule_now())
    assert r.status_code == 201, r.text
    m = srv.get(f"/api/v1/bodies/{r.json()['slug']}/meetings").json()["upcoming"][0]["id"]
    code = srv.get(f"/api/v1/meetings/{m}/code", token=tok).json()["code"]
    assert srv.post(f"/api/v1/meetings/{m}/checkins", {"code": code},
                    token=tok).status_code == 201
    got = srv.get(f"/api/v1/meetings/{m}", token=tok).json()
    assert [p["handle"] for p in got["present"]] == [got["present"][0]["handle"]]
    assert got["attendance"] == 1 and got["checked_in"] is True


def test_an_unknown_last_event_id_gets_a_snapshot(srv, hall):
    path = f"/api/v1/meetings/{hall['meeting']}/events"

    async def first_of(last_id):
        s = Stream(srv.port, path, last_id=last_id)
        await s.open()
        await until(lambda: s.events, 10)
        await s.close()
        return s.events[0]

    async def run():
        # an id this topic had before every stream of it closed: once the
        # server has seen them go (at the next change) it forgets the topic,
        # and with it the events after that id
        old = (await first_of(None))[1]
        for i in range(3):
            r = srv.post(f"/api/v1/bodies/{hall['slug']}/motions",
                         {"kind": "resolution", "title": f"Later {i}",
                          "text": "Changes things."}, token=hall["tok"])
            assert r.status_code == 201, r.text
            await asyncio.sleep(0.4)
        return [await first_of(x) for x in (old, "0-1", "garbage", "")]

    for ev in asyncio.run(run()):
        assert ev[2] == "meeting" and ev[3]["meeting"]["id"] == hall["meeting"], ev[2:4]


def test_stream_of_no_meeting_is_refused_and_changes_nothing(srv, hall):
    r = requests.get(srv.url("/api/v1/meetings/999999/events"), timeout=10)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_a_small_meeting_streams_who_arrives(srv):
    """Up to EVENTS_NAMES_MAX present, a check-in is one line: who came."""
    (founder, tok), (other, tok2) = srv.user(), srv.user()
    slug = srv.found(tok, schedule=schedule_now()).json()["slug"]
    assert srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                    token=tok2).status_code == 201
    m = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]["id"]
    code = srv.get(f"/api/v1/meetings/{m}/code", token=tok).json()["code"]
    assert srv.post(f"/api/v1/meetings/{m}/checkins", {"code": code},
                    token=tok).status_code == 201

    async def run():
        s = Stream(srv.port, f"/api/v1/meetings/{m}/events")
        await s.open()
        await until(lambda: s.events, 10)
        assert [p["handle"] for p in s.events[0][3]["meeting"]["present"]] == [founder]
        assert await post(srv.port, f"/api/v1/meetings/{m}/checkins", tok2,
                          {"code": code}) == 201
        await until(lambda: s.named("present"), 10)
        await asyncio.sleep(0.3)
        await s.close()
        return s

    s = asyncio.run(run())
    (ev,) = s.named("present")
    assert ev[3]["count"] == 2 and ev[3]["left"] == []
    assert [p["handle"] for p in ev[3]["arrived"]] == [other]
    assert ev[4] < DELTA_MAX
    assert [e[3]["attendance"] for e in s.named("state")] == [2]
