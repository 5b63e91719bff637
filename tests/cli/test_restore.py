"""Backups and restore, as an operator drills them: write, back up, write
more, restore, and see exactly what the restore lost; the refusals change
nothing. Also the rotation the Debian package's daily timer runs."""
import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess

import pytest

from conftest import PNYX, run


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def snapshot(tmp_path):
    """Every file under tmp_path with its digest: a refusal changes none."""
    out = {}
    for root, _, files in os.walk(tmp_path):
        for f in files:
            out[os.path.join(root, f)] = digest(os.path.join(root, f))
    return out


def add(db, slug):
    run("community", "add", slug, "--name", slug.title(), "--population", "100",
        "--db", db, check=0)


def slugs(db):
    p = run("community", "list", "--json", "--db", db, check=0)
    import json
    return [c["slug"] for c in json.loads(p.stdout)]


def backup(db, tmp_path):
    out = tmp_path / "bk" / "copy.db"
    out.parent.mkdir(exist_ok=True)
    if out.exists():
        out.unlink()
    p = run("backup", out, "--db", db, check=0)
    assert re.search(r"backed up .* to .*copy\.db: \d+ journal entr(y|ies), verified", p.stdout)
    return out


def test_the_drill_write_back_up_write_restore_verify(tmp_path, db):
    add(db, "harbour")
    copy = backup(db, tmp_path)
    add(db, "saltmarsh")
    add(db, "hill")
    # the dry run says what would be lost, and changes nothing
    before = snapshot(tmp_path)
    p = run("restore", "--dry-run", "--db", db, copy, check=0)
    assert "restoring would lose 2 journal entries written after the copy (#2 to #3)" in p.stdout
    lines = [l for l in p.stdout.splitlines() if l.startswith("  #")]
    assert len(lines) == 2
    assert "community.add  by operator" in lines[0] and '"slug":"saltmarsh"' in lines[0]
    assert '"slug":"hill"' in lines[1]
    assert "nothing was changed" in p.stdout
    assert snapshot(tmp_path) == before
    # the restore
    p = run("restore", "--db", db, copy, check=0)
    assert "restoring loses 2 journal entries" in p.stdout
    m = re.search(r"the database it replaced is (\S+)$", p.stdout.strip())
    assert m, p.stdout
    kept = m.group(1)
    assert slugs(db) == ["harbour"]
    v = run("journal", "verify", "--state", "--db", db, check=0)
    assert "state matches the journal: 1 entry replayed" in v.stdout
    # what it replaced is kept whole: all three, and it verifies
    assert sorted(slugs(kept)) == ["harbour", "hill", "saltmarsh"]
    run("journal", "verify", "--db", kept, check=0)
    # the node goes on from the restored state
    add(db, "moor")
    assert slugs(db) == ["harbour", "moor"]
    run("journal", "verify", "--state", "--db", db, check=0)


def test_nothing_lost_when_nothing_was_written_after(tmp_path, db):
    add(db, "harbour")
    copy = backup(db, tmp_path)
    p = run("restore", "--db", db, copy, check=0)
    assert "nothing is lost" in p.stdout


def refused(tmp_path, db, copy, message, status=1):
    before = snapshot(tmp_path)
    p = run("restore", "--db", db, copy)
    assert p.returncode == status, (p.returncode, p.stdout, p.stderr)
    assert message in p.stderr, p.stderr
    assert snapshot(tmp_path) == before
    return p


def test_refused_while_a_server_runs(tmp_path, db):
    add(db, "harbour")
    copy = backup(db, tmp_path)
    add(db, "hill")
    srv = subprocess.Popen([PNYX, "serve", "--listen", "127.0.0.1:0", "--db", str(db)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert srv.stdout.readline().startswith("pnyx: serving ")
        p = run("restore", "--db", db, copy)
        assert p.returncode == 1, p.stdout + p.stderr
        assert "a server is running on" in p.stderr and "nothing was changed" in p.stderr
    finally:
        srv.terminate()
        srv.communicate(timeout=30)
    assert sorted(slugs(db)) == ["harbour", "hill"]
    # stopped, it goes through
    run("restore", "--db", db, copy, check=0)
    assert slugs(db) == ["harbour"]


def test_a_server_does_not_start_while_a_restore_holds_the_database(tmp_path, db):
    fd = os.open(db, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        p = run("serve", "--listen", "127.0.0.1:0", "--db", db, timeout=60)
        assert p.returncode == 1
        assert "pnyx restore is replacing it" in p.stderr
    finally:
        os.close(fd)


def test_refused_a_copy_that_does_not_verify(tmp_path, db):
    add(db, "harbour")
    copy = backup(db, tmp_path)
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER journal_no_update")
    con.execute("UPDATE journal SET payload = replace(payload, 'harbour', 'harb0ur')")
    con.commit()
    con.close()
    refused(tmp_path, db, copy, "does not verify (entry 1")


def test_refused_another_nodes_copy(tmp_path, db):
    other = tmp_path / "other.db"
    run("init", "--db", other, check=0)
    add(other, "elsewhere")
    copy = tmp_path / "other-copy.db"
    run("backup", copy, "--db", other, check=0)
    add(db, "harbour")
    refused(tmp_path, db, copy, "was signed by another node's key")


def test_refused_a_copy_whose_journal_went_another_way(tmp_path, db):
    # the same node's key, two histories: a copy of the database taken
    # aside and written to differently
    add(db, "harbour")
    twin = tmp_path / "twin.db"
    run("backup", twin, "--db", db, check=0)
    shutil.copy(str(db) + ".key", str(twin) + ".key")
    add(twin, "elsewhere")
    add(db, "hill")
    copy = tmp_path / "twin-copy.db"
    run("backup", copy, "--db", twin, check=0)
    refused(tmp_path, db, copy, "is not the beginning of this node's (entry 2 differs)")


@pytest.mark.parametrize("args, message", [
    ([], "name the backup"),
    (["nowhere.db"], "nowhere.db"),
])
def test_bad_usage(tmp_path, db, args, message):
    p = run("restore", "--db", db, *[tmp_path / a for a in args])
    assert p.returncode == 2 and message in p.stderr, p.stderr


def test_refused_when_there_is_no_database(tmp_path, db):
    add(db, "harbour")
    copy = backup(db, tmp_path)
    p = run("restore", "--db", tmp_path / "none.db", copy)
    assert p.returncode == 2 and "does not exist" in p.stderr


def test_rotation_keeps_the_newest(tmp_path, db):
    add(db, "harbour")
    d = tmp_path / "backups"
    d.mkdir()
    (d / "notes.txt").write_text("not a copy")
    names = []
    for i in range(4):
        add(db, f"c{i}")
        p = run("backup", "--rotate", d, "--keep", "2", "--db", db, check=0)
        m = re.search(r"to (\S+): \d+ journal entries, verified", p.stdout)
        names.append(os.path.basename(m.group(1)))
    assert all(re.fullmatch(r"pnyx-\d{8}T\d{6}Z(-\d+)?\.db", n) for n in names), names
    assert sorted(os.listdir(d)) == sorted(names[-2:] + ["notes.txt"]), (names, os.listdir(d))
    # the newest is the latest state
    assert "c3" in slugs(d / names[-1])
    p = run("backup", "--rotate", d, "out.db", "--db", db)
    assert p.returncode == 2 and "not both" in p.stderr
    p = run("backup", "--rotate", tmp_path / "nowhere", "--db", db)
    assert p.returncode == 2 and "not a directory" in p.stderr


def test_a_copy_that_does_not_verify_is_kept_aside_and_nothing_rotated(tmp_path, db):
    add(db, "harbour")
    d = tmp_path / "backups"
    d.mkdir()
    run("backup", "--rotate", d, "--keep", "1", "--db", db, check=0)
    first = sorted(os.listdir(d))
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER journal_no_update")
    con.execute("UPDATE journal SET payload = replace(payload, 'harbour', 'harb0ur')")
    con.commit()
    con.close()
    p = run("backup", "--rotate", d, "--keep", "1", "--db", db)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "does not verify" in p.stderr and ".unverified" in p.stderr
    now = sorted(os.listdir(d))
    assert first[0] in now, "the older good copy stays"
    assert any(n.endswith(".db.unverified") for n in now)
