"""Nothing acknowledged is ever lost: what the server confirmed is on disk
before the reply, so killing the server outright (SIGKILL: no shutdown,
no checkpoint) loses none of it, and the journal still verifies."""
import signal
import sqlite3

from conftest import run


def test_acknowledged_effects_survive_sigkill(start_server):
    srv = start_server()
    handles = []
    for _ in range(5):
        handles.append(srv.signup())  # each 201 is an acknowledgement
    h, tok = handles[0], srv.signin(handles[0])
    r = srv.found(tok)
    assert r.status_code == 201
    slug = r.json()["slug"]
    srv.proc.send_signal(signal.SIGKILL)
    srv.proc.wait(timeout=30)
    srv.proc.stdout.close()
    con = sqlite3.connect(srv.db)
    have = {row[0] for row in con.execute("SELECT handle FROM accounts")}
    assert set(handles) <= have
    assert con.execute("SELECT count(*) FROM bodies WHERE slug = ?", (slug,)).fetchone()[0] == 1
    con.close()
    p = run("journal", "verify", "--db", srv.db, check=0)
    assert "journal intact" in p.stdout
