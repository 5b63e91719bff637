"""No wage labour, by construction (issue 15 item 3): no route, kind of
motion or field can create an unequal member of an enterprise (or of a
militia, whose officers have duties only).

Walks the routes table (`pnyx routes --json`) and the kinds tables (GET
/api/v1/motion-kinds, every table the registry holds) for a field by
which one member could be set above another, then tries those fields
where a member is made or changed: founding an enterprise, joining it,
and every kind of motion an enterprise or a militia decides. Each try is
refused naming the field, and changes nothing."""
import json

import pytest

from conftest import RULES, decide, error_of, run, schedule_now, settled_hash, unique

# The fields someone would reach for to make a member unequal.
LIKELY = ["role", "wage", "wages", "salary", "pay", "employee", "employer",
          "employed", "manager", "boss", "supervisor", "weight", "votes",
          "vote_weight", "rank", "grade", "seniority", "owner", "shares", "stake",
          "hire", "hired", "contract", "hours", "privilege", "superior"]


def body_fields(route):
    return {f["name"] for f in route["body"]}


@pytest.fixture(scope="module")
def shop(srv):
    """A local assembly (founder f, member m), a workshop f founded with
    m admitted and joined, and a militia the assembly formed, which both
    joined."""
    (f, ftok), (m, mtok) = srv.user(), srv.user()
    comm = srv.add_community()
    r = srv.found(ftok, community=comm, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    local = r.json()["slug"]
    assert srv.post(f"/api/v1/bodies/{local}/members", {"affirm": True, "basis": "lives"},
                    token=mtok).status_code == 201
    r = srv.post("/api/v1/enterprises", {
        "name": "Workshop", "slug": unique("w"), "community": comm, "purpose": "Repairs.",
        "provides": "Repairs", "rule": RULES, "schedule": schedule_now(),
        "founders": [m]}, token=ftok)
    assert r.status_code == 201, r.text
    workshop = r.json()["slug"]
    militia = unique("m")
    assert decide(srv, local, ftok, "form_militia", {
        "slug": militia, "name": "Watch", "purpose": "Fire watch.", "rule": RULES,
        "schedule": schedule_now()})["status"] == "adopted"
    for who in (ftok, mtok):
        assert srv.post(f"/api/v1/bodies/{militia}/members",
                        {"affirm": True, "basis": "volunteer"},
                        token=who).status_code == 201
    return {"f": f, "ftok": ftok, "m": m, "mtok": mtok, "comm": comm, "local": local,
            "workshop": workshop, "militia": militia}


def test_no_route_and_no_kind_has_such_a_field(srv):
    routes = json.loads(run("routes", "--json", check=0).stdout)
    assert routes, "the routes table is empty"
    for r in routes:
        assert not body_fields(r) & set(LIKELY), (r["method"], r["path"])
        assert "{handle}" not in r["path"] or r["method"] == "GET", \
            ("a route acting on another person by name", r["method"], r["path"])
    kinds = srv.get("/api/v1/motion-kinds").json()["kinds"]
    assert len(kinds) > 30, "the kinds tables were not all walked"
    for k in kinds:
        assert not {p["name"] for p in k["params"]} & set(LIKELY), k["name"]


def test_trying_the_fields_is_refused_and_changes_nothing(srv, shop):
    ftok, mtok = shop["ftok"], shop["mtok"]
    routes = {(r["method"], r["path"]): r for r in
              json.loads(run("routes", "--json", check=0).stdout)}
    other, otok = srv.user()
    before = settled_hash(srv)
    # founding: no founder, no co-founder is more than a member
    found = routes[("POST", "/api/v1/enterprises")]
    base = {"name": "Unequal", "slug": unique("u"), "community": shop["comm"],
            "purpose": "P", "provides": "X", "rule": RULES, "schedule": schedule_now()}
    assert set(base) <= body_fields(found)
    for field in LIKELY:
        error_of(srv.post("/api/v1/enterprises", {**base, field: "manager"}, token=ftok),
                 400, "unknown_field", field)
    # joining: every member joins on the same terms
    for body in (shop["workshop"], shop["militia"]):
        basis = "volunteer" if body == shop["militia"] else "works"
        for field in LIKELY:
            error_of(srv.post(f"/api/v1/bodies/{body}/members",
                              {"affirm": True, "basis": basis, field: 2}, token=otok),
                     400, "unknown_field", field)
    # every kind an enterprise or a militia decides: none takes such a
    # parameter, so a motion naming one is refused before it exists
    for body, tok in ((shop["workshop"], ftok), (shop["militia"], ftok)):
        kinds = srv.get(f"/api/v1/motion-kinds?body={body}").json()["kinds"]
        assert kinds
        for k in kinds:
            for field in ("role", "wage", "weight", "manager"):
                r = srv.post(f"/api/v1/bodies/{body}/motions", {
                    "kind": k["name"], "title": "Unequal", "text": "T",
                    "params": {field: "x"}}, token=tok)
                error_of(r, 400, "unknown_field", "params")
                assert field in r.json()["error"]["message"], (k["name"], r.text)
    assert settled_hash(srv) == before


def test_a_member_is_one_row_like_every_other(srv, shop):
    """Whatever was tried above, the members read back the same: one row
    each, the same fields, the same basis, nothing that ranks them."""
    for body, basis in ((shop["workshop"], "works"), (shop["militia"], "volunteer")):
        members = [x for x in srv.get(f"/api/v1/bodies/{body}/members").json()["members"]
                   if x["status"] == "active"]
        assert {x["handle"] for x in members} >= {shop["f"]} and members
        assert {x["basis"] for x in members} == {basis}
        assert len({tuple(sorted(x)) for x in members}) == 1, members
        for x in members:
            assert not set(x) & set(LIKELY), x
