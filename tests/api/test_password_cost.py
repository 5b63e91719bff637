"""`pnyx serve --password-cost`: the argon2id limits of a password's hash.
The other API tests run at `minimum` (conftest.Server); these start
servers at the default and check what a real node stores."""
import sqlite3

from conftest import PASSWORD, Server, assert_clean_exit, run

INTERACTIVE = "$argon2id$v=19$m=65536,t=2,p=1$"
MODERATE = "$argon2id$v=19$m=262144,t=3,p=1$"
MINIMUM = "$argon2id$v=19$m=8,t=1,p=1$"


def stored(srv, handle):
    with sqlite3.connect(srv.db) as c:
        (h,) = c.execute("SELECT password_hash FROM accounts WHERE handle = ?",
                         (handle,)).fetchone()
    return h


def signin(srv, handle, password=PASSWORD):
    return srv.post("/api/v1/sessions", {"handle": handle, "password": password})


def test_the_default_is_argon2id_at_the_interactive_limits(tmp_path):
    srv = Server(str(tmp_path), password_cost=None)
    try:
        who = srv.signup()
        assert stored(srv, who).startswith(INTERACTIVE)
        assert signin(srv, who).status_code == 201
        assert stored(srv, who).startswith(INTERACTIVE)
        assert "password-cost" not in srv.stderr()
    finally:
        assert_clean_exit(*srv.stop())


def test_minimum_warns_and_a_later_sign_in_stores_the_chosen_cost(tmp_path):
    """Accounts made at the least cost keep working when the operator
    chooses another; each sign-in with the right password stores its hash
    again at the cost now chosen; a wrong one changes nothing."""
    srv = Server(str(tmp_path), args=("--password-cost", "minimum"))
    try:
        assert "--password-cost minimum" in srv.stderr()
        assert "test suites" in srv.stderr()
        a, b = srv.signup(), srv.signup()
        assert stored(srv, a).startswith(MINIMUM)
        before_b = stored(srv, b)

        srv.restart("--password-cost", "interactive")
        r = signin(srv, a, "not the password at all")
        assert r.status_code == 401, r.text
        assert stored(srv, a).startswith(MINIMUM)
        assert signin(srv, a).status_code == 201
        assert stored(srv, a).startswith(INTERACTIVE)
        assert stored(srv, b) == before_b, "only who signed in is hashed again"
        assert signin(srv, a).status_code == 201

        srv.restart("--password-cost", "moderate")
        assert signin(srv, a).status_code == 201
        assert stored(srv, a).startswith(MODERATE)
        c = srv.signup()
        assert stored(srv, c).startswith(MODERATE)
        assert signin(srv, b).status_code == 201
        assert stored(srv, b).startswith(MODERATE)
    finally:
        assert_clean_exit(*srv.stop())


def test_the_cost_from_the_configuration_file(tmp_path):
    conf = tmp_path / "pnyx.conf"
    conf.write_text("password-cost = moderate\n")
    d = tmp_path / "s"
    d.mkdir()
    srv = Server(str(d), args=("--config", str(conf)), password_cost=None)
    try:
        who = srv.signup()
        assert stored(srv, who).startswith(MODERATE)
    finally:
        assert_clean_exit(*srv.stop())


def test_a_cost_it_does_not_know_stops_the_start(tmp_path):
    db = tmp_path / "t.db"
    run("init", "--db", db, check=0)
    p = run("serve", "--db", db, "--listen", "127.0.0.1:0", "--password-cost", "cheap")
    assert p.returncode == 2, p.stderr
    assert "--password-cost" in p.stderr and "'cheap'" in p.stderr
    conf = tmp_path / "bad.conf"
    conf.write_text("# a comment\npassword-cost = low\n")
    p = run("serve", "--db", db, "--listen", "127.0.0.1:0", "--config", conf)
    assert p.returncode == 2, p.stderr
    assert "password-cost" in p.stderr and "low" in p.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM accounts").fetchone() == (0,)
