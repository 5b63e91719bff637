"""pnyx polity verify against a real pnyx serve (issue 13 items 5 and 7;
docs/polities.md, "How to verify a renewal"): a renewal committed by the
server's clock and drawn by its witnesses is re-derived by anyone from
what the server publishes, and each citizen finds their leaf in the
published record from their receipt. The differences a record or result
can hold are tried in tests/cli/test_polity_verify.py against a server
that serves them; here, what pnyx itself publishes verifies, and a
witness's seed that the result does not match would not."""
import json
import os
import time

import pytest

from conftest import Server, assert_clean_exit, run, unique

DAY = 86400


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("lotv")), init_args=("--controlled-clock",))
    c = srv.add_community()
    region, slug = unique("r"), unique("p")
    run("region", "add", region, "--name", "Estuary", "--communities", c,
        "--db", srv.db, check=0)
    run("polity", "add", slug, "--name", "Estuary water", "--description", "Water.",
        "--region", region, "--seats", 6, "--db", srv.db, check=0)
    time.sleep(1.1)  # consent after the registration: valid on its anniversary
    people = []
    for _ in range(7):
        h, t = srv.user()
        assert srv.request("PUT", "/api/v1/me/residence", {"community": c},
                           token=t).status_code == 200
        assert srv.post("/api/v1/me/consent", {"affirm": True}, token=t).status_code == 201
        people.append(h)
    d = srv.get(f"/api/v1/polities/{slug}").json()["next_renewal"]["draw_at"]
    yield srv, slug, people, d
    assert_clean_exit(*srv.stop())


def verify(srv, slug, *extra):
    return run("polity", "verify", slug, "--server", srv.base, *extra)


def test_nothing_to_verify_before_the_commitment(w):
    srv, slug, _, _ = w
    p = verify(srv, slug)
    assert p.returncode == 2 and "no renewal" in p.stderr, p.stderr


def test_a_renewal_verified_from_what_the_server_publishes(w):
    srv, slug, people, d = w
    run("polity", "renew", slug, "--at", "@%d" % d, "--db", srv.db, check=0)
    tok = {}
    for h in people:
        tok[h] = srv.signin(h)
        assert srv.post("/api/v1/me/consent", {"affirm": True},
                        token=tok[h]).status_code == 201
    rid = next(r["id"] for r in srv.get(f"/api/v1/polities/{slug}/renewals").json()
               ["renewals"] if r["status"] == "committed")
    # committed, not drawn: the record checks against its commitment
    p = verify(srv, slug, "--renewal", rid)
    assert p.returncode == 0, p.stderr
    assert "hashes to its commitment" in p.stdout and "nothing is drawn yet" in p.stdout
    # every citizen finds their leaf with their receipt, before the draw
    receipts = {}
    for h in people:
        rc = srv.get("/api/v1/me/summons", token=tok[h]).json()["receipts"]
        assert len(rc) == 1 and rc[0]["renewal"] == rid
        receipts[h] = rc[0]["salt"]
        p = verify(srv, slug, "--renewal", rid, "--receipt", h, "--salt", rc[0]["salt"])
        assert p.returncode == 0 and "is one of the 7 people" in p.stdout, p.stderr
    # someone else's salt does not make my leaf
    a, b = people[0], people[1]
    p = verify(srv, slug, "--renewal", rid, "--receipt", a, "--salt", receipts[b])
    assert p.returncode == 1 and "not in the record" in p.stderr
    # two witnesses enter the same text: the draw is made
    text = "Dice at the estuary: 6 6 1 3 5 2"
    for h in people[:2]:
        r = srv.post(f"/api/v1/renewals/{rid}/seed", {"text": text}, token=tok[h])
        assert r.status_code in (200, 201), r.text
    g = srv.get(f"/api/v1/renewals/{rid}").json()
    assert g["status"] == "drawn"
    # the renewal names its own command; it verifies, latest first too
    cmd = g["verify"].split()
    assert cmd[:3] == ["pnyx", "polity", "verify"]
    p = run(*cmd[1:])
    assert p.returncode == 0, p.stderr
    assert "verified: the %d drawn and %d alternates are exactly the draw from the record" % (
        g["seats"], len(g["alternate_list"])) in p.stdout, p.stdout
    p = verify(srv, slug, "--all")
    assert p.returncode == 0 and "all 1 renewals of %s verified" % slug in p.stdout, p.stderr
    p = verify(srv, slug, "--json")
    assert p.returncode == 0, p.stderr
    v = json.loads(p.stdout)
    assert v["verified"] and v["people"] == 7 and v["drawn"] == g["seats"]
    assert v["alternates"] == len(g["alternate_list"]) and v["leaves_checked"]
    # the same files, downloaded, verify offline with pnyx verify --record
    rec = srv.get(f"/api/v1/renewals/{rid}/record").text
    res = srv.get(f"/api/v1/renewals/{rid}/result").text
    path = os.path.join(srv.dir, "rec.txt")
    with open(path, "w") as f:
        f.write(rec)
    with open(path + ".json", "w") as f:
        f.write(res)
    p = run("verify", "--record", path, "--result", path + ".json", "--seats", g["seats"],
            "--seed", text)
    assert p.returncode == 0, p.stderr
    # with another seed text, the published result is not the draw
    p = run("verify", "--record", path, "--result", path + ".json", "--seats", g["seats"],
            "--seed", text + ".")
    assert p.returncode == 1
    # served at a public address (--public-url), the command names it
    srv.restart("--public-url", "https://assembly.example.org/")
    g = srv.get(f"/api/v1/renewals/{rid}").json()
    assert g["verify"] == (f"pnyx polity verify {slug} --renewal {rid}"
                           " --server https://assembly.example.org"), g["verify"]
