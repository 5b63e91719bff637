"""Shared fixtures for command-line tests: the binary under test and a
fresh temporary directory per test."""
import os
import subprocess

import pytest

PNYX = os.environ.get("PNYX_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "pnyx")
SHARED = os.environ.get("PNYX_SHARED") or os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared")
SAN = os.environ.get("PNYX_VARIANT") == "san"


def run(*args, check=None, input=None, env=None, timeout=300):
    """Run pnyx with args; return the CompletedProcess (text mode)."""
    e = dict(os.environ)
    e.pop("PNYX_DB", None)
    if env:
        e.update(env)
    p = subprocess.run([PNYX, *map(str, args)], capture_output=True,
                       text=True, input=input, env=e, timeout=timeout)
    if check is not None:
        assert p.returncode == check, (p.returncode, p.stdout, p.stderr)
    return p


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.db"
    run("init", "--db", path, check=0)
    return path
