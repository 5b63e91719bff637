"""bench/economy/round.py: a whole round of the sharing economy through
the real server's path (issue 16, item 8; docs/sharing.md "Speed").

1. A real server: a local assembly joins an economy, its bakery (in good
   standing) offers flour and oven time, and the assembly declares both
   scarce by decision, with five categories of need.
2. `pnyx economy seed-bench` writes REQUESTS requests over GOODS goods
   declared scarce like those two (half products, half services) into the
   tables a request writes, each round due: a million requests cannot go
   through the API in a bench's time. It is the one bench-only step.
3. `pnyx economy close-due` closes every round (each good's commitment
   published, products allocated, a journal entry per round) in one
   transaction, then `pnyx economy draw-due` enters one public source and
   allocates every service by lot (a journal entry per round): the real
   code of `pnyx economy close` and `draw`, measured as processes (wall
   time and peak memory).
4. Side by side on a copy of the same database: the straightforward way,
   every round closed and drawn in its own transaction (as closing them one
   by one through the API does), with `--each`. Both must give every round
   the same result hash.
5. `pnyx verify round` checks the most wanted good's round from its record.

Prints "NAME VALUE" lines for bench/economy/run.
Times: the wall clock (what a member waits, with every write on disk:
the database runs with synchronous=FULL) and the CPU time (what the
shared machine disturbs less).
Usage: round.py TMPDIR REQUESTS GOODS SEED [--no-baseline]
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
from conftest import (PNYX, RULES, Server, decide, join, schedule_now)  # noqa: E402

CATEGORIES = ("Medical need: 20; Families with children: 15; Elders: 10;"
              " Disabilities: 5; Everyone")


def setup(tmp):
    srv = Server(tmp)
    try:
        f, ftok = srv.user()
        b, btok = srv.user()
        comm = srv.add_community()
        r = srv.found(ftok, community=comm, rule=RULES, schedule=schedule_now(),
                      name="Harbour")
        assert r.status_code == 201, r.text
        local = r.json()["slug"]
        join(srv, local, btok)
        r = srv.post("/api/v1/enterprises", {
            "name": "The Bakery", "community": comm, "purpose": "Bread for all.",
            "provides": "Bread", "rule": RULES, "schedule": schedule_now(),
            "founders": [b]}, token=ftok)
        assert r.status_code == 201, r.text
        bakery = r.json()["slug"]
        r = srv.post(f"/api/v1/bodies/{bakery}/members", {"affirm": True, "basis": "works"},
                     token=btok)
        assert r.status_code == 201, r.text
        d = decide(srv, local, ftok, "join_sharing_economy",
                   {"economy": "bench", "name": "The Bench Commons"})
        assert d["status"] == "adopted", d
        d = decide(srv, local, ftok, "decide_standing", {"enterprise": bakery,
                   "standing": "good"}, text="It delivers.")
        assert d["status"] == "adopted", d
        goods = []
        for g in ({"kind": "product", "name": "Flour", "unit": "kg", "units": "kg",
                   "stock": 100},
                  {"kind": "service", "name": "Oven time", "unit": "hour",
                   "units": "hours", "stock": 6}):
            r = srv.post(f"/api/v1/enterprises/{bakery}/goods", g, token=btok)
            assert r.status_code == 201, r.text
            goods.append(r.json()["id"])
        for g in goods:
            d = decide(srv, local, ftok, "declare_scarce", {
                "good": g, "categories": CATEGORIES, "cap": 0, "round_days": 7},
                text="The harvest failed.")
            assert d["status"] == "adopted", d
        return local, ftok
    finally:
        srv.stop()


def timed(*args):
    """Run pnyx; (wall ms, CPU ms (user and system), peak memory kB, stdout)."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", PNYX, *map(str, args)],
                       capture_output=True, text=True)
    ms = (time.monotonic() - t0) * 1000
    if p.returncode != 0:
        sys.exit(f"round.py: pnyx {' '.join(map(str, args))}: {p.stderr}")
    user, system, kb = p.stderr.strip().splitlines()[-1].split()
    return ms, (float(user) + float(system)) * 1000, int(kb), p.stdout


def results(db):
    c = sqlite3.connect(db)
    rows = c.execute("SELECT good_id, hex(result_hash) FROM rounds WHERE result_hash"
                     " IS NOT NULL ORDER BY good_id").fetchall()
    entries = c.execute("SELECT count(*) FROM journal WHERE action IN ('round.close',"
                        " 'round.draw')").fetchone()[0]
    c.close()
    return rows, entries


def copy_db(src, dst):
    c = sqlite3.connect(src)
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    shutil.copyfile(src, dst)
    shutil.copyfile(src + ".key", dst + ".key")  # the node's signing key


def main():
    tmp, n, goods, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    baseline = "--no-baseline" not in sys.argv
    local, tok = setup(tmp)
    db = os.path.join(tmp, "t.db")
    os.environ["PNYX_TOKEN"] = tok
    ms, _, _, _ = timed("economy", "seed-bench", local, "--requests", n, "--goods", goods,
                        "--seed", seed, "--db", db)
    print("seed_ms", round(ms))
    if baseline:
        copy_db(db, os.path.join(tmp, "each.db"))
    wall, cpu, kb, _ = timed("economy", "close-due", local, "--db", db)
    print("close_wall_ms", round(wall))
    print("close_cpu_ms", round(cpu))
    print("close_kb", kb)
    wall, cpu, kb, _ = timed("economy", "draw-due", local, "--source",
                             "bench: the dice thrown at the assembly", "--db", db)
    print("draw_wall_ms", round(wall))
    print("draw_cpu_ms", round(cpu))
    print("draw_kb", kb)
    rows, entries = results(db)
    print("rounds", len(rows))
    print("entries", entries)
    if baseline:
        each = os.path.join(tmp, "each.db")
        wall, cpu, _, _ = timed("economy", "close-due", local, "--each", "--db", each)
        print("each_close_wall_ms", round(wall))
        print("each_close_cpu_ms", round(cpu))
        wall, cpu, _, _ = timed("economy", "draw-due", local, "--each", "--source",
                                "bench: the dice thrown at the assembly", "--db", each)
        print("each_draw_wall_ms", round(wall))
        print("each_draw_cpu_ms", round(cpu))
        erows, _ = results(each)
        print("each_same", int(erows == rows))
        os.remove(each)
        os.remove(each + ".key")
    # the most wanted good's round, verified from its published record
    c = sqlite3.connect(db)
    rid = c.execute("SELECT round_id FROM round_requests GROUP BY round_id ORDER BY"
                    " count(*) DESC LIMIT 1").fetchone()[0]
    c.close()
    rec = subprocess.run([PNYX, "economy", "round", str(rid), "--json", "--db", db],
                         capture_output=True, text=True, check=True).stdout
    path = os.path.join(tmp, "round.json")
    with open(path, "w") as fh:
        fh.write(rec)
    v = subprocess.run([PNYX, "verify", "round", path], capture_output=True, text=True)
    print("verified", int(v.returncode == 0))
    print("verified_requests", len(json.loads(rec)["requests"]))


if __name__ == "__main__":
    main()
