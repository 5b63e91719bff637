"""The command line's view of a federation, on the demo: the Harbour
Assembly founded the Coast Transport Federation by a decision, with Amara
as its delegate, and the federation adopted a proposal (Night ferries)
that is offered to Harbour and not yet answered."""
import json

from conftest import run


def demo(db):
    run("demo", "--db", db, check=0)
    return db


def test_federation_show(db):
    demo(db)
    out = json.loads(run("federation", "show", "coast-transport", "--json", "--db", db,
                         check=0).stdout)
    assert out["kind"] == "delegate" and out["purpose"] == "transport"
    assert [m["body"] for m in out["members"]] == ["harbour"]
    d = out["members"][0]["delegates"][0]
    assert d["handle"] == "amara" and "night ferries" in d["mandate"]
    assert out["proposals"]["originated"][0]["title"] == "Night ferries"
    text = run("federation", "show", "harbour", "--db", db, check=0).stdout
    assert "harbour is a member of coast-transport" in text
    dl = json.loads(run("federation", "delegations", "harbour", "--json", "--db", db,
                        check=0).stdout)
    assert [x["handle"] for x in dl] == ["amara"] and "recalled_by" not in dl[0]


def test_proposal_status_in_flight(db):
    demo(db)
    st = json.loads(run("proposal", "status", "1", "--json", "--db", db, check=0).stdout)
    assert st["body"] == "coast-transport" and st["latest"] == 1
    v1 = st["versions"][0]
    assert (v1["locals"], v1["locals_accepted"], v1["population"], v1["met"]) == \
        (1, 0, 18400, False)
    assert [c["body"] for c in st["tree"]["children"]] == ["harbour"]
    assert st["tree"]["children"][0]["answers"] == {}
    text = run("proposal", "status", "1", "--db", db, check=0).stdout
    assert "0 of 18400 people accepted: not met" in text
    shown = json.loads(run("proposal", "show", "1", "--json", "--db", db, check=0).stdout)
    assert shown["versions"][0]["condition"] == {"kind": "share_of_population",
                                                 "percent": 50}
    assert "(delegate assembly, 1 local assembly beneath, 18400 people)" in text
    part = json.loads(run("proposal", "status", "1", "--under", "harbour", "--json",
                          "--db", db, check=0).stdout)
    assert part["under"] == "harbour" and part["tree"]["body"] == "harbour"
    assert part["tree"]["kind"] == "local" and part["versions"] == st["versions"]
    listed = run("proposal", "list", "harbour", "--db", db, check=0).stdout
    assert "Night ferries (from coast-transport): not answered" in listed


def test_refusals(db):
    demo(db)
    for args, needle in [
            (["proposal", "status", "0"], "number"),
            (["proposal", "status"], "status ID"),
            (["proposal", "frob", "1"], "status ID"),
            (["federation", "show"], "show SLUG"),
    ]:
        p = run(*args, "--db", db)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert p.stderr.startswith("pnyx ") and needle in p.stderr, p.stderr
    p = run("proposal", "status", "99", "--db", db)
    assert p.returncode != 0 and "no proposal 99" in p.stderr
    p = run("proposal", "status", "1", "--under", "nowhere", "--db", db)
    assert p.returncode != 0 and "under" in p.stderr and "nowhere" in p.stderr, p.stderr
    p = run("federation", "show", "nowhere", "--db", db)
    assert p.returncode != 0 and "nowhere" in p.stderr
