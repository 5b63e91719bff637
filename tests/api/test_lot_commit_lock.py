"""A stratified commitment computes LEXIMIN outside its write transaction
(docs/polities.md, "Scale"; src/gov/lot/renewal.c, lot_prepare_commits).

The distribution over a large pool can take seconds: it is computed from
a snapshot of the pool read in a read transaction, with no write
transaction open, then a short write transaction reads the pool again and
takes the prepared result only when the pool, the seats, the quotas and
the profiles are still the same (and computes it again otherwise).

PNYX_TEST_STRATA_DELAY_MS (tests only) makes each computation last 3 s
longer: writes made meanwhile by the server are answered at once, and
the commitment is the one the rules give (replay and `pnyx polity verify`
check it). A profile changed during the computation is the one the
commitment holds."""
import json
import os
import subprocess
import time

import pytest

from conftest import PNYX, Server, assert_clean_exit, run, unique

DAY = 86400
DELAY_MS = 3000
QUOTAS = "gender: women 1-2, men 1-2"


class World:
    pass


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("lotlock")), init_args=("--controlled-clock",))
    x = World()
    x.srv = srv
    c, x.far, x.far2 = srv.add_community(), srv.add_community(), srv.add_community()
    reg = unique("r")
    run("region", "add", reg, "--name", "Coast", "--communities", c, "--db", srv.db, check=0)
    x.p, x.q = unique("p"), unique("p")
    for slug in (x.p, x.q):
        run("polity", "add", slug, "--name", "Fishing " + slug, "--description", "Fish.",
            "--region", reg, "--seats", 3, "--cohorts", 1, "--quotas", QUOTAS,
            "--db", srv.db, check=0)
    time.sleep(1.1)  # consent after registration: valid on its anniversary
    x.names, x.tok = [], {}
    for i in range(8):
        h, t = srv.user()
        x.names.append(h)
        x.tok[h] = t
        assert srv.request("PUT", "/api/v1/me/residence", {"community": c},
                           token=t).status_code == 200
        assert srv.post("/api/v1/me/consent", {"affirm": True}, token=t).status_code == 201
        gender = "women" if i % 2 else "men"
        assert srv.request("PUT", "/api/v1/me/profile", {"profile": {"gender": gender}},
                           token=t).status_code == 200
    # someone who lives elsewhere, whose moves change no pool
    x.mover, _ = srv.user()
    x.draw_at = srv.get(f"/api/v1/polities/{x.p}").json()["next_renewal"]["draw_at"]
    # the clock to a day before the commitments are due; sessions run on it,
    # so everyone signs in again (and renews consent, as citizens do)
    run("polity", "renew", x.p, "--at", "@%d" % (x.draw_at - 15 * DAY), "--db", srv.db,
        check=0)
    for h in x.names:
        x.tok[h] = srv.signin(h)
        assert srv.post("/api/v1/me/consent", {"affirm": True},
                        token=x.tok[h]).status_code == 201
    x.mtok = srv.signin(x.mover)
    yield x
    assert_clean_exit(*srv.stop())


def renew_slowly(w, slug):
    env = dict(os.environ, PNYX_TEST_STRATA_DELAY_MS=str(DELAY_MS))
    env.pop("PNYX_DB", None)
    return subprocess.Popen([PNYX, "polity", "renew", slug, "--at",
                             "@%d" % (w.draw_at - 14 * DAY), "--db", w.srv.db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)


def committed(w, slug):
    r = w.srv.get(f"/api/v1/polities/{slug}/renewals").json()["renewals"]
    return [x for x in r if x["id"] and x["status"] == "committed"]


def test_writes_go_on_while_leximin_runs(w):
    t0 = time.monotonic()
    proc = renew_slowly(w, w.p)
    latencies, where = [], [w.far, w.far2]
    # the mover moves back and forth, each move a journalled write, for as
    # long as the commitment is being made
    while proc.poll() is None:
        a = time.monotonic()
        r = w.srv.request("PUT", "/api/v1/me/residence",
                          {"community": where[len(latencies) % 2]}, token=w.mtok)
        assert r.status_code == 200, r.text
        latencies.append(time.monotonic() - a)
    out, err = proc.communicate()
    took = time.monotonic() - t0
    assert proc.returncode == 0, out + err
    # the computation took its delay, once, outside the transaction: every
    # write made meanwhile was answered at once
    assert took >= DELAY_MS / 1000, took
    assert len(latencies) >= 5 and max(latencies) < 1.0, (took, sorted(latencies)[-3:])
    assert took < 2 * DELAY_MS / 1000, took  # not computed a second time
    r, = committed(w, w.p)
    g = w.srv.get(f"/api/v1/renewals/{r['id']}").json()
    assert g["pool_size"] == 8 and g["stratified"], g
    lot = w.srv.get(f"/api/v1/renewals/{r['id']}/lottery").json()
    assert lot["panels"] and lot["lottery"]["commitment"], lot
    # the result is the rules' own: replay checks every panel against the
    # quotas and the published profiles against the entry
    p = run("journal", "verify", "--state", "--json", "--db", w.srv.db)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["state"]["ok"], j["state"]


def test_a_profile_changed_meanwhile_is_the_one_committed(w):
    """Someone in the pool changes their answer while the distribution is
    computed: the transaction sees the pool's profiles changed, computes
    again, and commits the new answer."""
    who = w.names[0]
    t0 = time.monotonic()
    proc = renew_slowly(w, w.q)
    changed = False
    while proc.poll() is None:
        if not changed and time.monotonic() - t0 > DELAY_MS / 3000:
            r = w.srv.request("PUT", "/api/v1/me/profile", {"profile": {"gender": "women"}},
                              token=w.tok[who])
            assert r.status_code == 200, r.text
            changed = True
        else:
            w.srv.get("/api/v1/polities")
    out, err = proc.communicate()
    took = time.monotonic() - t0
    assert proc.returncode == 0 and changed, out + err
    # computed twice: before the transaction, then again in it
    assert took >= 2 * DELAY_MS / 1000, took
    r, = committed(w, w.q)
    mine = [x for x in w.srv.get("/api/v1/me/summons", token=w.tok[who]).json()["receipts"]
            if x["renewal"] == r["id"]]
    assert len(mine) == 1, mine
    lot = w.srv.get(f"/api/v1/renewals/{r['id']}/lottery").json()
    # the published respondents: a leaf and its answers a line
    rows = [[v.strip('"') for v in ln.split(",")]
            for ln in lot["respondents_csv"].splitlines() if ln]
    prof = {row[0]: row[1:] for row in rows[1:]}
    assert prof[mine[0]["leaf"]] == ["women"], (rows[0], prof[mine[0]["leaf"]])
    p = run("journal", "verify", "--state", "--json", "--db", w.srv.db)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["state"]["ok"], j["state"]
