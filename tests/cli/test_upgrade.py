"""Upgrades: a database written by an earlier pnyx is upgraded when opened,
after a copy of it as it was is written beside it; its journal still
verifies, and the state replays from it. A database written by a newer
pnyx (a schema step this one does not know) is refused before anything is
written. The fixtures are in tests/fixtures (README.md there)."""
import gzip
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess

import pytest

from conftest import PNYX, run

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures")


def fixture_db(tmp_path, step):
    path = tmp_path / f"old{step}.db"
    with gzip.open(os.path.join(FIXTURES, f"schema-{step}.db.gz"), "rb") as src, \
            open(path, "wb") as out:
        shutil.copyfileobj(src, out)
    shutil.copy(os.path.join(FIXTURES, f"schema-{step}.db.key"), str(path) + ".key")
    os.chmod(str(path) + ".key", 0o600)
    return path


def steps(path):
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1")]
    finally:
        con.close()


def count(path, table):
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def latest(tmp_path):
    fresh = tmp_path / "fresh.db"
    run("init", "--db", fresh, check=0)
    return steps(fresh)


@pytest.mark.parametrize("step", [13, 14])
def test_an_older_database_is_upgraded_after_a_copy_and_still_verifies(tmp_path, step):
    path = fixture_db(tmp_path, step)
    assert max(steps(path)) == step
    before = digest(path)
    entries = count(path, "journal")
    want = latest(tmp_path)
    assert max(want) >= step
    # a write with this pnyx upgrades it
    run("community", "add", "upgraded", "--name", "Upgraded", "--population", "10",
        "--db", path, check=0)
    assert steps(path) == want
    copies = sorted(p.name for p in tmp_path.iterdir() if ".before-step-" in p.name)
    if max(want) == step:
        assert copies == [], "nothing to upgrade: no copy"
    else:
        first = min(v for v in want if v not in range(1, step + 1))
        assert copies == [f"old{step}.db.before-step-{first}"], copies
        copy = tmp_path / copies[0]
        # the copy is the database as it was: its steps, its journal
        assert max(steps(copy)) == step
        assert count(copy, "journal") == entries
        # opened again, nothing more is copied, and the copy is untouched
        kept = digest(copy)
        run("community", "add", "again", "--name", "Again", "--population", "10",
            "--db", path, check=0)
        assert sorted(p.name for p in tmp_path.iterdir()
                      if ".before-step-" in p.name) == copies
        assert digest(copy) == kept
    assert digest(path) != before
    assert count(path, "journal") > entries
    p = run("journal", "verify", "--db", path, "--state")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "state matches the journal" in p.stdout


def test_serve_says_where_the_copy_from_before_the_upgrade_is(tmp_path):
    path = fixture_db(tmp_path, 13)
    server = subprocess.Popen([PNYX, "serve", "--listen", "127.0.0.1:0", "--db", str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("pnyx: serving "), line + server.stderr.read()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    m = re.search(r"upgraded to schema step (\d+); a copy from before is (\S+)", err)
    assert m, err
    assert int(m.group(1)) == max(latest(tmp_path))
    assert m.group(2) == str(path) + ".before-step-14"
    assert os.path.exists(m.group(2))


@pytest.mark.parametrize("command", [
    ["community", "add", "later", "--name", "Later", "--population", "5"],
    ["serve", "--listen", "127.0.0.1:0"],
])
def test_a_database_from_a_newer_pnyx_is_refused_and_left_alone(tmp_path, command):
    path = tmp_path / "t.db"
    run("init", "--db", path, check=0)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version(version, applied_at) VALUES (9999, 0)")
    con.commit()
    con.close()
    before = digest(path)
    listing = sorted(os.listdir(tmp_path))
    p = run(*command, "--db", path, timeout=60)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "schema step 9999 is unknown to this pnyx" in p.stderr, p.stderr
    assert "nothing was changed" in p.stderr
    assert digest(path) == before
    assert sorted(os.listdir(tmp_path)) == listing
