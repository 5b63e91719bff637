"""The repository itself: no merge left half done, and the set-up scripts
parse. (Several people merge into main; a conflict marker committed by
mistake must fail the suite, not a user's first `make run`.)"""
import filecmp
import os
import re
import shutil
import subprocess

TOP = os.path.join(os.path.dirname(__file__), "..", "..")
MARKER = re.compile(rb"^(<<<<<<<|>>>>>>>) |^=======$", re.M)


def tracked():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=TOP, capture_output=True,
                         check=True).stdout
    return [f for f in out.decode().split("\0") if f]


def test_no_conflict_markers_in_tracked_files():
    bad = []
    for name in tracked():
        path = os.path.join(TOP, name)
        if not os.path.isfile(path) or name.endswith((".png", ".lock")):
            continue
        with open(path, "rb") as f:
            if MARKER.search(f.read()):
                bad.append(name)
    assert not bad, bad


def test_setup_scripts_parse():
    for script, shell in [("scripts/deps", "sh"), ("scripts/run", "sh"),
                          ("tests/run", "bash"), (".ci/run", "bash"),
                          ("bench/run", "bash")]:
        subprocess.run([shell, "-n", os.path.join(TOP, script)], check=True)


def _install(where):
    """`make pnyx` in a copy of the Makefile, build/rel/pnyx taken as built:
    the sub-make that would compile it is `true`."""
    return subprocess.run(["make", "--no-print-directory", "MAKE=true",
                           "-o", "check-deps", "pnyx"], cwd=where,
                          capture_output=True, text=True, timeout=60)


def test_make_installs_pnyx_while_it_serves_and_only_when_changed(tmp_path):
    """`make` while `./pnyx serve` runs from the checkout (issue 20): the
    new binary is renamed over ./pnyx (no "Text file busy"), the server
    keeps running, and an unchanged binary is not copied again."""
    pnyx = os.environ.get("PNYX_BIN") or os.path.join(TOP, "build", "rel", "pnyx")
    shutil.copy(os.path.join(TOP, "Makefile"), tmp_path / "Makefile")
    (tmp_path / "build" / "rel").mkdir(parents=True)
    built = tmp_path / "build" / "rel" / "pnyx"
    shutil.copy2(pnyx, built)
    p = _install(tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    installed = tmp_path / "pnyx"
    assert filecmp.cmp(built, installed, shallow=False)
    subprocess.run([str(installed), "init", "--db", str(tmp_path / "t.db")],
                   check=True, capture_output=True)
    server = subprocess.Popen([str(installed), "serve", "--listen", "127.0.0.1:0",
                               "--db", str(tmp_path / "t.db")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().startswith("pnyx: serving "), server.stderr.read()
        # the same binary, built again: nothing is copied
        before = os.stat(installed)
        os.utime(built)
        p = _install(tmp_path)
        assert p.returncode == 0, p.stdout + p.stderr
        assert "installed" not in p.stdout, p.stdout
        after = os.stat(installed)
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        # a changed binary replaces the running one's file
        with open(built, "ab") as f:
            f.write(b"\0")
        p = _install(tmp_path)
        assert p.returncode == 0, p.stdout + p.stderr
        assert filecmp.cmp(built, installed, shallow=False)
        assert not (tmp_path / "pnyx.tmp").exists()
        assert server.poll() is None, "the running server stopped"
    finally:
        server.terminate()
        server.wait(timeout=30)
