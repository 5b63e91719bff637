"""The edges of docs/sortition.md that an independent reimplementation
found open or broken (issue 11, section 9): the pool file's CSV rules
(section 2.1), the seed source's characters (section 3), `--seats 0` and
clamped alternates, and `pnyx verify`, which must check everything a
result states, in both modes, in the order of section 6.1, with the
`--json` verdict. Each case runs through pnyx and through the
independent program tests/cli/sortition_ref.py, and both must agree.

Real pools: ../shared/data/sortition/sortition_algorithms_fixture_150_22/
candidates.csv (the Sortition Foundation's sortition-algorithms test
fixture, commit 2fcf2fc, GPL-3.0) and example_small_20/respondents.csv
(Flanigan et al.'s replication data, commit 6ad2d5f, GPL-3.0), read in
place."""
import json
import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import sortition_ref as ref  # noqa: E402

PNYX = os.environ.get("PNYX_BIN", "./pnyx")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("PNYX_SHARED", os.path.join(ROOT, "..", "shared"))
DATA = os.path.join(SHARED, "data", "sortition")
FIXTURE = os.path.join(DATA, "sortition_algorithms_fixture_150_22", "candidates.csv")
SMALL = os.path.join(DATA, "example_small_20", "respondents.csv")
EIGHT = ["ada", "grace", "alan", "edsger", "barbara", "donald", "frances", "john"]
SALT = "00" * 31 + "01"


def run(*args):
    return subprocess.run([PNYX, *args], capture_output=True)


def text(p):
    return p.stderr.decode("utf-8", "replace")


def vectors():
    doc = open(os.path.join(ROOT, "docs", "sortition.md"), encoding="utf-8").read()
    block = re.search(r"```vectors\n(.*?)```", doc, re.S).group(1)
    v = {}
    for line in block.splitlines():
        if line.strip() and not line.startswith("#"):
            k, rest = line.split(None, 1)
            v[k] = rest.strip()
    return v


# --- the pool file ----------------------------------------------------------

# (name, file bytes, id column or None, error line or None)
CSV_CASES = [
    ("lf", b"id\nada\ngrace\n", None, None),
    ("crlf", b"id\r\nada\r\ngrace\r\n", None, None),
    ("mixed line ends", b"id\r\nada\ngrace\r\n", None, None),
    ("bom", b"\xef\xbb\xbfid,x\nada,1\ngrace,2\n", None, None),
    ("no final line end", b"id\nada\ngrace", None, None),
    ("blank lines anywhere", b"\n\r\nid\n\nada\n\r\n\ngrace\n\n", None, None),
    ("cr only", b"id\rada\rgrace\r", None, 1),
    ("cr only after a good line", b"id,x\nada,1\rgrace,2\r", None, 2),
    ("bare cr after a quote", b'id\n"ada"\rgrace\n', None, 2),
    ("quoted ids", b'x,id\n1,"a,b"\n2,"say ""hi"""\n3,c\n', None, None),
    ("line break inside a quoted id", b'id\n"a\nb"\nc\n', None, 2),
    ("line break inside another quoted field", b'id,note\na,"two\nlines"\nb,x\n', None, None),
    ("unclosed quote", b'id\na\n"b\nc\n', None, 3),
    ("quote inside a field", b'id\na"b\n', None, 2),
    ("text after a closing quote", b'id\n"a"b\n', None, 2),
    ("too few fields", b"id,x\na,1\nb\n", None, 3),
    ("too many fields", b"id,x\na,1,2\n", None, 2),
    ("header matched without case", b"name,ID\nAda,ada\nGrace,grace\n", None, None),
    ("a padded header is another name", b"name, id\nAda,ada\nGrace,grace\n", None, None),
    ("the first of two id columns", b"id,id\na,x\nb,x\n", None, None),
    ("id column named", b"name,who\nAda,a\nGrace,g\n", "WHO", None),
    ("id column missing", b"name\nAda\n", "who", 1),
    ("spaces are part of an id", b"id\nada\n ada\nada \n", None, None),
    ("a line of spaces is a person", b"id\nada\n  \n", None, None),
    ("empty id", b'id,x\n"",1\n', None, 2),
    ("tab in an id", b'id\n"a\tb"\n', None, 2),
    ("control character elsewhere", b'id,note\na,"x\x01y"\n', None, None),
    ("not utf-8 in an id", b"id\na\xff\n", None, 2),
    ("not utf-8 elsewhere", b"id,note\na,\xff\n", None, None),
    ("overlong utf-8 in an id", b"id\n\xc0\xaf\n", None, 2),
    ("nul byte", b"id\na\x00b\n", None, 2),
    ("duplicate id", b"id\na\nb\na\n", None, 4),
    ("duplicate id with different salts",
     b"id,salt\na," + SALT.encode() + b"\nb,\na," + (SALT[:-1] + "2").encode() + b"\n", None, 4),
    ("salt in capitals", b"id,salt\na," + SALT.upper().encode() + b"\nb,\n", None, None),
    ("salt too short", b"id,salt\na," + SALT[:-1].encode() + b"\n", None, 2),
    ("salt not hex", b"id,salt\na,0x" + SALT[2:].encode() + b"\n", None, 2),
    ("salt column matched without case", b"id,SALT\na," + SALT.encode() + b"\n", None, None),
    ("header only: the empty pool", b"id,x\n", None, None),
    ("nothing but blank lines", b"\n\r\n\n", None, 1),
    ("empty file", b"", None, 1),
]


@pytest.mark.parametrize("name,data,column,line", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_pool_file_rules_agree_with_the_reference(tmp_path, name, data, column, line):
    p = tmp_path / "pool.csv"
    p.write_bytes(data)
    args = ["commit", "--pool", str(p), "--json"] + (["--id-column", column] if column else [])
    out = run(*args)
    try:
        people = ref.read_pool(data, column)
        got = None
    except ref.PoolError as e:
        got = e.line
    assert got == line, (name, got)
    if line is None:
        assert out.returncode == 0, text(out)
        res = json.loads(out.stdout)
        leaves = sorted(ref.leaf(i, s) for i, s in people)
        assert res == {"commitment": ref.commit_leaves(leaves).hex(), "people": len(people)}
    else:
        assert out.returncode == 2, (name, out.stdout)
        assert f"pool.csv:{line}:" in text(out), text(out)


def test_line_ends_and_bom_do_not_change_the_commitment(tmp_path):
    def commit(data):
        p = tmp_path / "p.csv"
        p.write_bytes(data)
        return run("commit", "--pool", str(p)).stdout.strip()
    lf = commit(b"id\nada\ngrace\n")
    assert commit(b"\xef\xbb\xbfid\r\nada\r\ngrace") == lf
    assert commit(b"id\n\nada\n\ngrace\n\n") == lf
    # spaces are not trimmed: another id, another commitment
    assert commit(b"id\nada \ngrace\n") != lf
    # a salt in capitals is the same salt
    assert commit(b"id,salt\nada," + SALT.upper().encode() + b"\n") == \
        commit(b"id,salt\nada," + SALT.encode() + b"\n")


def test_the_empty_pool_commits_and_draws_nobody(tmp_path):
    v = vectors()
    p = tmp_path / "p.csv"
    p.write_bytes(b"id\n")
    assert run("commit", "--pool", str(p)).stdout.decode().strip() == v["commitment_empty"]
    out = run("draw", "--pool", str(p), "--seats", "0", "--seed", "x", "--json")
    assert out.returncode == 0, text(out)
    r = json.loads(out.stdout)
    assert r["drawn"] == [] and r["alternates"] == []
    assert run("draw", "--pool", str(p), "--seats", "1", "--seed", "x").returncode == 2


# --- real pools ---------------------------------------------------------------

def test_the_sortition_foundation_fixture_as_a_pool(tmp_path):
    raw = open(FIXTURE, "rb").read()
    ids = [i for i, _ in ref.read_pool(raw, "nationbuilder_id")]
    assert len(ids) == 150
    commits = set()
    for name, data in [("lf", raw), ("crlf", raw.replace(b"\n", b"\r\n")),
                       ("bom", b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"))]:
        p = tmp_path / f"{name}.csv"
        p.write_bytes(data)
        out = run("commit", "--pool", str(p), "--id-column", "nationbuilder_id")
        assert out.returncode == 0, text(out)
        commits.add(out.stdout.strip())
    assert commits == {ref.commit_leaves(sorted(ref.leaf(i) for i in ids)).hex().encode()}
    # saved with classic Mac line ends it is an error, not an empty pool
    p = tmp_path / "cr.csv"
    p.write_bytes(raw.replace(b"\n", b"\r"))
    out = run("commit", "--pool", str(p), "--id-column", "nationbuilder_id")
    assert out.returncode == 2
    assert "cr.csv:1: a carriage return without a line feed" in text(out)
    # a panel of 22 and its verification from the pool and from the record
    args = ["--seats", "22", "--seed", "euromillions 2026-11-27: 4 17 23 38 44 * 2 9"]
    pool = str(tmp_path / "lf.csv")
    out = run("draw", "--pool", pool, "--id-column", "nationbuilder_id", *args,
              "--json")
    r = json.loads(out.stdout)
    assert r == ref.draw(ids, 22, args[3])
    (tmp_path / "r.json").write_text(json.dumps(r))
    assert run("commit", "--pool", pool, "--id-column", "nationbuilder_id",
               "--record", str(tmp_path / "rec.txt")).returncode == 0
    for mode in (["--pool", pool, "--id-column", "nationbuilder_id"],
                 ["--record", str(tmp_path / "rec.txt")]):
        out = run("verify", *mode, *args, "--result", str(tmp_path / "r.json"))
        assert out.returncode == 0, text(out)


def test_a_pool_whose_first_column_repeats_is_refused(tmp_path):
    # Flanigan et al.'s respondents have no id column: the first column
    # (gender) is taken as the id, and "female" appears twice.
    out = run("commit", "--pool", SMALL)
    assert out.returncode == 2
    assert "respondents.csv:3: the id 'female' appears twice (also on line 2)" in text(out)
    with pytest.raises(ref.PoolError) as e:
        ref.read_pool(open(SMALL, "rb").read())
    assert e.value.line == 3


# --- the seed source ----------------------------------------------------------

def test_a_source_may_hold_line_breaks_as_published(tmp_path):
    v = vectors()
    pool = tmp_path / "p.csv"
    pool.write_text("id\n" + "\n".join(EIGHT) + "\n")
    src = v["source"] + "\n"
    out = run("draw", "--pool", str(pool), "--seats", "3", "--seed", src, "--json")
    assert out.returncode == 0, text(out)
    r = json.loads(out.stdout)
    assert r == ref.draw(EIGHT, 3, src)
    assert r["seed"] == v["seed_source_with_line_feed"]
    assert r["drawn"] == v["drawn_3_source_with_line_feed"].split()
    assert r["seed"] != v["seed"]
    # the same bytes from a file, the final line feed included
    f = tmp_path / "source.txt"
    f.write_bytes(src.encode())
    out2 = run("draw", "--pool", str(pool), "--seats", "3", "--seed-file", str(f), "--json")
    assert json.loads(out2.stdout) == r
    (tmp_path / "r.json").write_bytes(out.stdout)
    assert run("verify", "--pool", str(pool), "--seats", "3", "--seed-file", str(f),
               "--result", str(tmp_path / "r.json")).returncode == 0
    assert run("verify", "--pool", str(pool), "--seats", "3", "--seed", v["source"],
               "--result", str(tmp_path / "r.json")).returncode == 1
    # tabs and CRLF too; other control characters never
    for ok in ("a\tb", "line 1\r\nline 2\r\n"):
        assert ref.source_ok(ok)
        assert run("draw", "--pool", str(pool), "--seats", "1", "--seed", ok).returncode == 0
    for bad in ("", "a\x01b", "bell\x07", "del\x7f"):
        assert not ref.source_ok(bad)
        out = run("draw", "--pool", str(pool), "--seats", "1", "--seed", bad)
        assert out.returncode == 2, bad
        assert "--seed" in text(out)
    f.write_bytes(b"a\x00b")
    assert run("draw", "--pool", str(pool), "--seats", "1", "--seed-file", str(f)).returncode == 2
    assert run("draw", "--pool", str(pool), "--seats", "1", "--seed", "x",
               "--seed-file", str(f)).returncode == 2


# --- seats and alternates -----------------------------------------------------

def test_seats_0_ranks_everyone_as_alternates(tmp_path):
    v = vectors()
    pool = tmp_path / "p.csv"
    pool.write_text("id\n" + "\n".join(EIGHT) + "\n")
    out = run("draw", "--pool", str(pool), "--seats", "0", "--seed", v["source"], "--json")
    r = json.loads(out.stdout)
    assert r["drawn"] == []
    assert r["alternates"] == v["alternates_seats_0"].split()
    assert r == ref.draw(EIGHT, 0, v["source"])
    # a longer list begins with the shorter one
    assert r["alternates"][:3] == v["drawn_3"].split()


def test_alternates_beyond_the_pool_are_clamped(tmp_path):
    pool = tmp_path / "p.csv"
    pool.write_text("id\n" + "\n".join(EIGHT) + "\n")
    out = run("draw", "--pool", str(pool), "--seats", "3", "--seed", "s",
              "--alternates", "100", "--json")
    r = json.loads(out.stdout)
    assert len(r["alternates"]) == 5
    assert r == ref.draw(EIGHT, 3, "s", 100)
    (tmp_path / "r.json").write_text(json.dumps(r))
    assert run("verify", "--pool", str(pool), "--seats", "3", "--seed", "s",
               "--result", str(tmp_path / "r.json")).returncode == 0


# --- verify -------------------------------------------------------------------

def tamper(r, how):
    r = json.loads(json.dumps(r))
    if how == "drawn leaf changed":
        r["drawn_leaves"][1] = "00" * 32
    elif how == "alternate leaf changed":
        r["alternate_leaves"][-1] = "ff" * 32
    elif how == "leaves swapped":
        r["drawn_leaves"][0], r["drawn_leaves"][1] = r["drawn_leaves"][1], r["drawn_leaves"][0]
    elif how == "alternates cut, leaves kept":
        r["alternates"] = r["alternates"][:2]
    elif how == "alternate leaves cut, ids kept":
        r["alternate_leaves"] = r["alternate_leaves"][:2]
    elif how == "alternate leaves dropped":
        del r["alternate_leaves"]
    elif how == "drawn ids swapped":
        r["drawn"][0], r["drawn"][1] = r["drawn"][1], r["drawn"][0]
    elif how == "commitment changed":
        r["commitment"] = "00" * 32
    elif how == "seed changed":
        r["seed"] = "00" * 32
    elif how == "commitment and seed changed":
        r["commitment"] = "00" * 32
        r["seed"] = "00" * 32
    elif how == "lists and commitment changed":
        r["alternates"] = r["alternates"][:1]
        r["commitment"] = "00" * 32
    elif how == "one drawn too many":
        r["drawn"].append(r["alternates"][0])
        r["drawn_leaves"].append(r["alternate_leaves"][0])
        r["alternates"] = r["alternates"][1:]
        r["alternate_leaves"] = r["alternate_leaves"][1:]
    return r


# (tampering, failing check and position from a pool, from a record)
TAMPERINGS = [
    ("drawn leaf changed", ("drawn_leaf", 2), ("drawn_leaf", 2)),
    ("alternate leaf changed", ("alternate_leaf", 5), ("alternate_leaf", 5)),
    ("leaves swapped", ("drawn_leaf", 1), ("drawn_leaf", 1)),
    ("alternates cut, leaves kept", ("lists", 0), ("lists", 0)),
    ("alternate leaves cut, ids kept", ("lists", 0), ("lists", 0)),
    ("alternate leaves dropped", ("lists", 0), ("lists", 0)),
    ("drawn ids swapped", ("drawn", 1), None),   # a record holds no ids
    ("commitment changed", ("commitment", 0), ("commitment", 0)),
    ("seed changed", ("seed", 0), ("seed", 0)),
    ("commitment and seed changed", ("commitment", 0), ("commitment", 0)),
    ("lists and commitment changed", ("lists", 0), ("lists", 0)),
    ("one drawn too many", ("seats", 0), ("seats", 0)),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    d = tmp_path_factory.mktemp("pub")
    salts = {i: bytes([n + 1]) * 32 for n, i in enumerate(EIGHT)}
    pool = d / "p.csv"
    pool.write_text("id,salt\n" + "".join(f"{i},{salts[i].hex()}\n" for i in EIGHT))
    rec = d / "rec.txt"
    assert run("commit", "--pool", str(pool), "--record", str(rec)).returncode == 0
    args = ["--seats", "3", "--seed", "dice:6,6,1"]
    r = json.loads(run("draw", "--pool", str(pool), *args, "--json").stdout)
    assert r == ref.draw(EIGHT, 3, "dice:6,6,1", salts=salts)
    return {"dir": d, "pool": str(pool), "record": str(rec), "args": args,
            "result": r, "salts": salts}


@pytest.mark.parametrize("how,from_pool,from_record", TAMPERINGS,
                         ids=[t[0] for t in TAMPERINGS])
def test_verify_checks_everything_a_result_states_in_both_modes(
        published, how, from_pool, from_record):
    pub = published
    r = tamper(pub["result"], how)
    path = pub["dir"] / "t.json"
    path.write_text(json.dumps(r))
    leaves = [l for l, _ in ref.pool_order(EIGHT, pub["salts"])]
    for mode, want, kw in (
            (["--pool", pub["pool"]], from_pool, {"ids": EIGHT, "salts": pub["salts"]}),
            (["--record", pub["record"]], from_record, {"leaves": leaves})):
        assert ref.verify(r, 3, "dice:6,6,1", **kw) == want, (mode[0], how)
        out = run("verify", *mode, *pub["args"], "--result", str(path), "--json")
        verdict = json.loads(out.stdout)
        if want is None:
            assert out.returncode == 0, text(out)
            assert verdict["verified"] is True
            assert verdict["ids_checked"] is False
            continue
        assert out.returncode == 1, (mode[0], how, out.stdout)
        assert verdict["verified"] is False
        f = verdict["failure"]
        assert (f["check"], f.get("position", 0)) == want, (mode[0], how, f)
        assert f["message"] in text(out)


def test_verify_json_when_everything_holds(published):
    pub = published
    path = pub["dir"] / "ok.json"
    path.write_text(json.dumps(pub["result"]))
    out = run("verify", "--pool", pub["pool"], *pub["args"], "--result", str(path), "--json")
    assert out.returncode == 0
    assert json.loads(out.stdout) == {
        "verified": True, "mode": "pool", "people": 8, "drawn": 3, "alternates": 5,
        "ids_checked": True, "leaves_checked": True}
    out = run("verify", "--record", pub["record"], *pub["args"], "--result", str(path))
    assert out.returncode == 0
    assert "a record holds no ids" in out.stdout.decode()
    out = run("verify", "--record", pub["record"], *pub["args"], "--result", str(path), "--json")
    assert json.loads(out.stdout)["ids_checked"] is False
    # receipts
    i = "grace"
    out = run("verify", "--record", pub["record"], "--receipt", i,
              "--salt", pub["salts"][i].hex(), "--json")
    assert out.returncode == 0
    assert json.loads(out.stdout) == {"verified": True, "mode": "receipt", "people": 8}
    out = run("verify", "--record", pub["record"], "--receipt", i, "--json")
    assert out.returncode == 1
    assert json.loads(out.stdout)["failure"]["check"] == "receipt"


def test_verify_refuses_malformed_results_with_exit_2(published, tmp_path):
    pub = published
    for body in ('{"drawn": "ada"}', '{"drawn_leaves": [1]}', '{"commitment": 5, "drawn": []}',
                 '{"seed": "x"}', "[1, 2]", "{"):
        p = tmp_path / "bad.json"
        p.write_text(body)
        out = run("verify", "--pool", pub["pool"], *pub["args"], "--result", str(p), "--json")
        assert out.returncode == 2, body
        assert out.stdout == b""  # no verdict: the input was not a result
    p = tmp_path / "ok.json"
    p.write_text(json.dumps(pub["result"]))
    assert run("verify", "--pool", pub["pool"], "--record", pub["record"], *pub["args"],
               "--result", str(p)).returncode == 2


def test_the_edge_vectors_hold_for_the_reference_and_for_pnyx(tmp_path):
    v = vectors()
    salts = {"ada": bytes(range(32))}
    r = ref.draw(["ada", "grace", "alan"], 1, "dice:6", salts=salts)
    assert (r["commitment"], r["seed"]) == (v["commitment_mixed_salts"], v["seed_mixed_salts"])
    assert r["drawn"] == v["drawn_1_mixed_salts"].split()
    assert r["alternates"] == v["alternates_mixed_salts"].split()
    pool = tmp_path / "p.csv"
    pool.write_text("id,salt\nada," + bytes(range(32)).hex() + "\ngrace,\nalan,\n")
    out = run("draw", "--pool", str(pool), "--seats", "1", "--seed", "dice:6", "--json")
    assert json.loads(out.stdout) == r
    assert ref.draw(EIGHT, 0, v["source"])["alternates"] == v["alternates_seats_0"].split()
    r = ref.draw(EIGHT, 3, v["source"] + "\n")
    assert r["seed"] == v["seed_source_with_line_feed"]
    assert r["drawn"] == v["drawn_3_source_with_line_feed"].split()


def test_record_file_rules(published, tmp_path):
    pub = published
    rec = open(pub["record"]).read()
    res = tmp_path / "r.json"
    res.write_text(json.dumps(pub["result"]))

    def check(body):
        p = tmp_path / "rec.txt"
        p.write_text(body)
        return run("verify", "--record", str(p), *pub["args"], "--result", str(res))
    assert check(rec.upper().replace("COMMITMENT", "commitment")).returncode == 0
    assert check(rec.replace("\n", "\r\n") + "\n\n# end\n").returncode == 0
    commit_line = [l for l in rec.splitlines() if l.startswith("commitment ")][0]
    out = check(rec + commit_line + "\n")
    assert out.returncode == 2 and "second commitment" in text(out)
    assert check("\n".join(l for l in rec.splitlines()
                           if not l.startswith("commitment")) + "\n").returncode == 2
    assert check(rec + "xyz\n").returncode == 2
    leaves = [l for l in rec.splitlines() if re.fullmatch(r"[0-9a-f]{64}", l)]
    swapped = rec.replace(leaves[0], "TMP").replace(leaves[1], leaves[0]).replace("TMP", leaves[1])
    out = check(swapped)
    assert out.returncode == 1 and "canonical" in text(out)
