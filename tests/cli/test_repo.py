"""The repository itself: no merge left half done, and the set-up scripts
parse. (Several people merge into main; a conflict marker committed by
mistake must fail the suite, not a user's first `make run`.)"""
import os
import re
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
