"""Checked storage (STYLE.md habit 12, docs/storage.md): a step of a
statement answers a row, done or an error, and only src/store/ talks to
SQLite's stepping and execution calls directly. Everything else uses the
checked row API of store/store.h (store_step, store_next, store_run,
store_int64, store_exists, store_exec and the savepoint helpers), so an
I/O error can never be read as "no more rows"."""
import os
import re

TOP = os.path.join(os.path.dirname(__file__), "..", "..")
SRC = os.path.join(TOP, "src")

# calls whose result decides between a row, done and an error, or that
# run SQL unchecked (SAVEPOINT / ROLLBACK TO / RELEASE were once such)
RAW = re.compile(r"\b(sqlite3_step|sqlite3_exec)\s*\(")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def sources():
    for root, _dirs, files in os.walk(SRC):
        for f in files:
            if f.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(root, f), SRC)
                with open(os.path.join(SRC, rel), encoding="utf-8") as fh:
                    yield rel, fh.read()


def violations(files):
    bad = []
    for rel, text in files:
        if rel.split(os.sep)[0] == "store":
            continue
        code = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        for m in RAW.finditer(code):
            line = code.count("\n", 0, m.start()) + 1
            bad.append(f"src/{rel}:{line}: {m.group(1)} outside src/store/"
                       " (use the checked row API of store/store.h)")
    return bad


def test_nothing_outside_store_steps_or_execs_sqlite():
    bad = violations(sources())
    assert not bad, "\n".join(bad)


def test_the_check_catches_a_raw_step():
    probes = [
        ("gov/procedure/probe.c", "while (sqlite3_step(st) == SQLITE_ROW)\n"),
        ("http/probe.c", "int rc = sqlite3_step (st);\n"),
        ("cli/probe.c", 'sqlite3_exec(db, "RELEASE effect", NULL, NULL, NULL);\n'),
    ]
    for probe in probes:
        assert len(violations([probe])) == 1, probe
    allowed = [
        ("store/probe.c", "int src = sqlite3_step(st);\n"),
        ("gov/probe.c", "/* nothing here calls sqlite3_step(st) */\n"),
        ("gov/probe.c", "rc = store_step(st, &row);\n"),
    ]
    assert violations(allowed) == []
