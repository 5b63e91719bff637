"""bench/discussion/threads.py: what reading a discussion costs.

A real `pnyx serve` on a temporary database; one assembly, one motion,
and threads of SIZES comments (a mix of comments and replies nesting up
to three deep, each about 300 characters of Markdown with a link and a
list). The comments are written into the database directly: this
measures reading, and writing them through the API would first meet the
limit of 30 comments an hour per person. Printed side by side, best of
three: GET /api/v1/motions/{id} (the motion itself: the baseline) and
GET /api/v1/motions/{id}/comments (the thread in order, each comment's
Markdown rendered to HTML by cmark), with the reply's size."""
import os
import random
import sqlite3
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
from conftest import Server  # noqa: E402

SIZES = [int(x) for x in os.environ.get("DISCUSSION_SIZES", "100,1000,5000").split(",")]
TEXT = ("A point about the quay, with **emphasis**, a [link](https://example.org/plan)"
        " and\n\n- a first reason\n- a second reason\n\nThat is all. ") * 2
RULES = {"default": {"kind": "simple_majority"}}
SCHEDULE = {"rrule": "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0", "tz": "UTC",
            "place": "The hall"}


def best(srv, path):
    out = None
    for _ in range(3):
        t0 = time.perf_counter()
        r = srv.get(path)
        dt = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200, r.text
        out = (min(out[0], dt), len(r.content)) if out else (dt, len(r.content))
    return out


def main():
    srv = Server(tempfile.mkdtemp(prefix="pnyx-bench-discussion-"))
    try:
        handle, tok = srv.user()
        slug = srv.found(tok, rule=RULES, schedule=SCHEDULE).json()["slug"]
        con = sqlite3.connect(srv.db, timeout=10)
        author = con.execute("SELECT id FROM accounts WHERE handle = ?",
                             (handle,)).fetchone()[0]
        random.seed(12)
        print(f"{'comments':>9} {'motion ms':>10} {'thread ms':>10} {'ratio':>7}"
              f" {'reply MB':>9} {'us/comment':>11}")
        nid = 0
        for n in SIZES:
            m = srv.post(f"/api/v1/bodies/{slug}/motions",
                         {"kind": "resolution", "title": f"{n} comments", "text": "x"},
                         token=tok).json()["id"]
            depth, rows = {}, []
            first = nid + 1
            for _ in range(n):
                nid += 1
                parent = random.randint(first, nid - 1) if nid > first else None
                if parent and random.random() < 0.6 and depth[parent] < 3:
                    depth[nid] = depth[parent] + 1
                else:
                    parent, depth[nid] = None, 0
                rows.append((nid, m, parent, depth[nid], author, TEXT, 1700000000 + nid))
            con.executemany("INSERT INTO comments(id, motion_id, reply_to, depth,"
                            " author_id, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            con.commit()
            base, _ = best(srv, f"/api/v1/motions/{m}")
            thread, size = best(srv, f"/api/v1/motions/{m}/comments")
            print(f"{n:>9} {base:>10.1f} {thread:>10.1f} {thread / base:>6.0f}x"
                  f" {size / 1e6:>9.2f} {thread * 1000 / n:>11.0f}")
        con.close()
    finally:
        srv.stop()


main()
