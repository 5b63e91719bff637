"""Workplaces that govern themselves, their foundation (issue 15 sections
1-3, src/gov/economy, docs/economy.md): enterprises are bodies located in a
community, founded by a member of its local assembly, joined only by their
own decision, left freely; every member one equal vote; bound by local law.
Every refusal is shown to change nothing (the journal and every table)."""
import json
import re
import sqlite3

import pytest

from conftest import (RULES, decide, error_of, join, run, schedule_now, settled_hash,
                      submit)

ENTERPRISES = "/api/v1/enterprises"


def enterprise_body(community, **fields):
    body = {"name": "The Bakery", "community": community,
            "purpose": "Bread for the neighbourhood, baked by those who eat it.",
            "provides": "Bread, 400 loaves a day", "rule": RULES,
            "schedule": schedule_now()}
    body.update(fields)
    return body


def members_of(srv, slug):
    return {m["handle"]: m for m in
            srv.get(f"/api/v1/bodies/{slug}/members").json()["members"]}


def join_as(srv, slug, tok, basis="works", **extra):
    return srv.post(f"/api/v1/bodies/{slug}/members",
                    {"affirm": True, "basis": basis, **extra}, token=tok)


@pytest.fixture(scope="module")
def town(srv):
    """A local assembly (founder f; members b, c) in community comm, and a
    bakery f founded there with b as co-founder (b has joined); o is
    signed in and belongs nowhere; comm2 has no assembly."""
    people = {k: srv.user() for k in "fbcdo"}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    comm = srv.add_community()
    r = srv.found(tok["f"], community=comm, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    local = r.json()["slug"]
    for k in "bc":
        join(srv, local, tok[k])
    r = srv.post(ENTERPRISES, enterprise_body(comm, founders=[h["b"]]), token=tok["f"])
    assert r.status_code == 201, r.text
    bakery = r.json()["slug"]
    assert join_as(srv, bakery, tok["b"]).status_code == 201
    return {"tok": tok, "h": h, "comm": comm, "local": local, "bakery": bakery,
            "comm2": srv.add_community()}


# -- founding -------------------------------------------------------------

def test_an_enterprise_is_a_body_of_its_community(srv, town):
    e = srv.get(f"{ENTERPRISES}/{town['bakery']}").json()
    assert e["slug"] == "the-bakery" and e["name"] == "The Bakery"
    assert e["community"] == town["comm"]
    assert e["assembly"]["slug"] == town["local"]
    assert e["provides"] == "Bread, 400 loaves a day"
    assert e["purpose"].startswith("Bread for the neighbourhood")
    assert e["rules"]["default"] == RULES["default"] and e["schedule_text"]
    assert e["conditions"] == {"text": "", "motion": None, "at": None}
    assert {m["handle"] for m in e["member_list"]} == {town["h"]["f"], town["h"]["b"]}
    assert e["admitted"] == [] and e["members"] == 2
    body = srv.get(f"/api/v1/bodies/{town['bakery']}").json()
    assert body["kind"] == "enterprise" and body["community"] == town["comm"]
    # it meets as any body does: its meeting is in session now
    assert srv.get(f"/api/v1/bodies/{town['bakery']}/meetings").json()["upcoming"]
    listed = srv.get(f"{ENTERPRISES}?community={town['comm']}").json()["enterprises"]
    assert [x["slug"] for x in listed] == [town["bakery"]]
    assert town["bakery"] in {x["slug"] for x in srv.get(ENTERPRISES).json()["enterprises"]}
    error_of(srv.get(f"{ENTERPRISES}?community=nowhere-at-all"), 404, "not_found",
             "community")
    error_of(srv.get(f"{ENTERPRISES}/no-such-one"), 404, "not_found")
    # a local assembly is no enterprise
    error_of(srv.get(f"{ENTERPRISES}/{town['local']}"), 404, "not_found")


def test_founders_named_are_admitted_and_join_by_their_own_act(srv, town):
    tok, h = town["tok"], town["h"]
    r = srv.post(ENTERPRISES, enterprise_body(town["comm"], name="The School",
                                              founders=[h["c"]]), token=tok["f"])
    assert r.status_code == 201, r.text
    e = r.json()
    assert [m["handle"] for m in e["member_list"]] == [h["f"]]
    assert [(x["handle"], x["motion"]) for x in e["admitted"]] == [(h["c"], None)]
    assert join_as(srv, e["slug"], tok["c"]).status_code == 201
    e = srv.get(f"{ENTERPRISES}/{e['slug']}").json()
    assert e["admitted"] == [] and e["members"] == 2
    # the admission is taken: after leaving, joining again needs a new one
    assert srv.delete(f"/api/v1/bodies/{e['slug']}/members/me",
                      token=tok["c"]).status_code == 204
    before = settled_hash(srv)
    error_of(join_as(srv, e["slug"], tok["c"]), 403, "enterprise_not_admitted")
    assert settled_hash(srv) == before


def test_founding_refusals_change_nothing(srv, town):
    tok, h = town["tok"], town["h"]
    before = settled_hash(srv)
    body = enterprise_body(town["comm"], name="Refused")
    # nobody signed in
    error_of(srv.post(ENTERPRISES, body), 401, "unauthenticated")
    # not a member of the community's local assembly
    error_of(srv.post(ENTERPRISES, body, token=tok["o"]), 403, "enterprise_not_local",
             "community")
    # a community without a local assembly: its laws come first
    error_of(srv.post(ENTERPRISES, enterprise_body(town["comm2"]), token=tok["f"]),
             409, "enterprise_no_assembly", "community")
    error_of(srv.post(ENTERPRISES, enterprise_body("no-such-place"), token=tok["f"]),
             404, "not_found", "community")
    # bad input, each naming its field
    for field, value, status, code in (
            ("provides", "", 400, "out_of_range"),
            ("purpose", "", 400, "out_of_range"),
            ("name", "", 400, "out_of_range"),
            ("slug", "Not A Slug", 400, "bad_input"),
            ("founders", "everyone", 400, "bad_type"),
            ("founders", [h["f"]], 400, "bad_input"),
            ("founders", ["nobody-by-that-name"], 404, "not_found"),
            ("founders", [h["c"], h["c"]], 400, "bad_input"),
            ("rule", {"kind": "dictator"}, 400, "rule_kind"),
            ("wage", 10, 400, "unknown_field")):
        r = srv.post(ENTERPRISES, {**body, field: value}, token=tok["f"])
        assert r.status_code == status, (field, r.text)
        err = r.json()["error"]
        assert err["code"] == code, (field, err)
        assert err["field"] and err["field"].split(".")[0] in (field, "rule"), (field, err)
    body.pop("provides")
    error_of(srv.post(ENTERPRISES, body, token=tok["f"]), 400, "missing_field", "provides")
    # a slug taken by another body
    error_of(srv.post(ENTERPRISES, enterprise_body(town["comm"], slug=town["local"]),
                      token=tok["f"]), 409, "exists", "slug")
    assert settled_hash(srv) == before


# -- joining and leaving ----------------------------------------------------

def test_joining_without_the_enterprises_decision_is_refused(srv, town):
    tok = town["tok"]
    before = settled_hash(srv)
    error_of(join_as(srv, town["bakery"], tok["d"]), 403, "enterprise_not_admitted")
    error_of(join_as(srv, town["bakery"], tok["o"]), 403, "enterprise_not_admitted")
    assert settled_hash(srv) == before
    assert town["h"]["d"] not in members_of(srv, town["bakery"])


def test_admitted_by_decision_then_joining_as_an_equal(srv, town):
    tok, h, bakery = town["tok"], town["h"], town["bakery"]
    # the enterprise sets its conditions, then admits d
    r = decide(srv, bakery, tok["f"], "set_conditions", title="Who may join",
               text="Anyone who bakes with us for a month and shares the night shifts.")
    assert r["status"] == "adopted", r
    e = srv.get(f"{ENTERPRISES}/{bakery}").json()
    assert e["conditions"]["text"].startswith("Anyone who bakes")
    assert e["conditions"]["motion"] == r["id"]
    r = decide(srv, bakery, tok["f"], "admit_member", {"member": h["d"]},
               title="Admit d")
    assert r["status"] == "adopted", r
    e = srv.get(f"{ENTERPRISES}/{bakery}").json()
    assert [(x["handle"], x["motion"]) for x in e["admitted"]] == [(h["d"], r["id"])]
    # the person admitted is told, since they join by their own act
    srv.settle()
    notes = srv.get("/api/v1/me/notifications", token=tok["d"]).json()["notifications"]
    told = [n for n in notes if n["what"] == "admission"]
    assert len(told) == 1, notes
    assert "The Bakery admitted you as a member" in told[0]["text"]
    assert told[0]["link"] == f"/enterprise.html?slug={bakery}"
    # admitted twice: refused at submission, nothing changes
    before = settled_hash(srv)
    error_of(srv.post(f"/api/v1/bodies/{bakery}/motions", {
        "kind": "admit_member", "title": "Again", "text": "",
        "params": {"member": h["d"]}}, token=tok["f"]), 409, "conflict", "params.member")
    # the basis of membership of an enterprise is working in it
    error_of(join_as(srv, bakery, tok["d"], basis="lives"), 400, "bad_input", "basis")
    error_of(join_as(srv, bakery, tok["d"], enterprise=bakery), 400, "bad_input",
             "enterprise")
    error_of(srv.post(f"/api/v1/bodies/{bakery}/members", {"basis": "works"},
                      token=tok["d"]), 400, "missing_field", "affirm")
    assert settled_hash(srv) == before
    r = join_as(srv, bakery, tok["d"])
    assert r.status_code == 201, r.text
    m = members_of(srv, bakery)[h["d"]]
    assert (m["status"], m["basis"]) == ("active", "works")
    # members of an enterprise are already members
    error_of(join_as(srv, bakery, tok["d"]), 409, "already_member")


def test_leaving_is_always_free_and_immediate(srv, town):
    tok, h, bakery = town["tok"], town["h"], town["bakery"]
    people = {k: srv.user() for k in "xy"}
    for k in "xy":
        r = decide(srv, bakery, tok["f"], "admit_member", {"member": people[k][0]})
        assert r["status"] == "adopted", r
        assert join_as(srv, bakery, people[k][1]).status_code == 201
    # x holds an office; leaving is still free, and the office is given up
    assert decide(srv, bakery, tok["f"], "create_office", {
        "name": "coordinator", "duties": "Keeps the rota."})["status"] == "adopted"
    assert decide(srv, bakery, tok["f"], "elect_holder", {
        "office": "coordinator", "holder": people["x"][0]})["status"] == "adopted"
    offices = srv.get(f"{ENTERPRISES}/{bakery}").json()["offices"]
    assert [(o["name"], o["holder"]) for o in offices] == [("coordinator", people["x"][0])]
    for k in "xy":
        r = srv.delete(f"/api/v1/bodies/{bakery}/members/me", token=people[k][1])
        assert r.status_code == 204, r.text
        assert members_of(srv, bakery)[people[k][0]]["status"] == "left"
    offices = srv.get(f"{ENTERPRISES}/{bakery}").json()["offices"]
    assert [(o["name"], o["holder"]) for o in offices] == [("coordinator", None)]


def test_exclusion_with_reasons_and_a_hearing_as_assemblies_do(srv, town):
    tok, bakery = town["tok"], town["bakery"]
    z, ztok = srv.user()
    assert decide(srv, bakery, tok["f"], "admit_member", {"member": z})["status"] == "adopted"
    assert join_as(srv, bakery, ztok).status_code == 201
    before = settled_hash(srv)
    # reasons and hearing are required, as in an assembly
    error_of(srv.post(f"/api/v1/bodies/{bakery}/motions", {
        "kind": "exclude_member", "title": "Exclude", "text": "",
        "params": {"member": z}}, token=tok["f"]), 400, "missing_field", "params.reasons")
    assert settled_hash(srv) == before
    r = decide(srv, bakery, tok["f"], "exclude_member", {
        "member": z, "reasons": "Took the ovens' takings for themself.",
        "hearing": "Heard on Tuesday; they did not dispute it."})
    assert r["status"] == "adopted", r
    assert members_of(srv, bakery)[z]["status"] == "excluded"
    # an excluded person is not admitted again but readmitted, by its own kind
    error_of(srv.post(f"/api/v1/bodies/{bakery}/motions", {
        "kind": "admit_member", "title": "Admit", "text": "",
        "params": {"member": z}}, token=tok["f"]), 409, "conflict", "params.member")
    error_of(join_as(srv, bakery, ztok), 403, "excluded")


# -- bound by local law -----------------------------------------------------

def test_an_enterprise_never_writes_the_local_law(srv, town):
    tok, bakery, local = town["tok"], town["bakery"], town["local"]
    laws_before = srv.get(f"/api/v1/bodies/{local}/laws").json()
    before = settled_hash(srv)
    for kind, params in (("enact_law", None), ("amend_law", {"law": 1}),
                         ("repeal_law", {"law": 1})):
        body = {"kind": kind, "title": "Bread is free", "text": "All bread is free."}
        if params:
            body["params"] = params
        error_of(srv.post(f"/api/v1/bodies/{bakery}/motions", body, token=tok["f"]),
                 403, "enterprise_no_laws", "kind")
    # nor a delegate assembly's business (it federates by its own kinds:
    # tests/api/test_entfed.py)
    error_of(srv.post(f"/api/v1/bodies/{bakery}/motions", {
        "kind": "suspend_member", "title": "F", "text": "",
        "params": {"member": local}}, token=tok["f"]), 403, "fed_kind", "kind")
    assert settled_hash(srv) == before
    assert srv.get(f"/api/v1/bodies/{local}/laws").json() == laws_before
    kinds = {k["name"] for k in
             srv.get(f"/api/v1/motion-kinds?body={bakery}").json()["kinds"]}
    assert not kinds & {"enact_law", "amend_law", "repeal_law"}
    assert {"admit_member", "set_conditions", "exclude_member"} <= kinds
    # and a local assembly never decides an enterprise's own kinds
    error_of(srv.post(f"/api/v1/bodies/{local}/motions", {
        "kind": "admit_member", "title": "A", "text": "",
        "params": {"member": town["h"]["o"]}}, token=tok["f"]), 403, "fed_kind", "kind")


# -- "works" points at a real enterprise ------------------------------------

def test_works_basis_of_the_local_assembly_names_the_enterprise(srv, town):
    tok, h, bakery, local = town["tok"], town["h"], town["bakery"], town["local"]
    before = settled_hash(srv)
    # o works nowhere here: refused, naming the enterprise
    error_of(join_as(srv, local, tok["o"], enterprise=bakery), 409, "conflict",
             "enterprise")
    error_of(join_as(srv, local, tok["o"], enterprise="no-such-bakery"), 404,
             "not_found", "enterprise")
    error_of(join_as(srv, local, tok["o"], basis="lives", enterprise=bakery), 400,
             "bad_input", "enterprise")
    assert settled_hash(srv) == before
    # d works at the bakery (admitted above) and joins the assembly on that basis
    d = srv.user()
    assert decide(srv, bakery, tok["f"], "admit_member", {"member": d[0]})["status"] \
        == "adopted"
    assert join_as(srv, bakery, d[1]).status_code == 201
    r = join_as(srv, local, d[1], enterprise=bakery)
    assert r.status_code == 201, r.text
    assert r.json()["enterprise"] == bakery
    m = members_of(srv, local)[d[0]]
    assert (m["basis"], m["enterprise"]) == ("works", bakery)
    # an enterprise of another community is no basis here
    other = srv.user()
    comm3 = srv.add_community()
    r = srv.found(other[1], community=comm3, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    before = settled_hash(srv)
    error_of(join_as(srv, r.json()["slug"], d[1], enterprise=bakery), 409, "conflict",
             "enterprise")
    assert settled_hash(srv) == before
    # work in a place not registered here stays a basis, pointing nowhere
    e = srv.user()
    assert join_as(srv, local, e[1]).status_code == 201
    assert "enterprise" not in members_of(srv, local)[e[0]]


# -- no wage labour, by construction ----------------------------------------

UNEQUAL = re.compile(r"employ|wage|salar|hire|hiring|boss|manager|owner|share"
                     r"holder|superior|subordinate|\brank\b|seniority|weight|privilege",
                     re.I)


def test_no_route_kind_or_field_can_create_an_unequal_member(srv, town):
    """Walk what can make or change a member of an enterprise: the kinds an
    enterprise decides (names, labels, summaries, parameters), every route
    (paths, bodies' fields, summaries) and every column of the schema. No
    word of hiring, wages or rank appears, the kinds an enterprise decides
    are exactly those reviewed here, and a membership row has no column that
    could set one member above another."""
    kinds = srv.get(f"/api/v1/motion-kinds?body={town['bakery']}").json()["kinds"]
    assert sorted(k["name"] for k in kinds) == sorted([
        "resolution", "amendment", "authorise_remote_vote", "hide_comment",
        "adjourn", "change_rules", "change_schedule", "declare_meeting",
        "exclude_member", "readmit_member", "create_office", "elect_holder",
        "recall_holder", "create_committee", "revoke_committee", "admit_member",
        "set_conditions",
        # what the enterprise commits to provide (standing.c's record):
        # about its work, never about a member
        "state_commitment",
        # its federations (test_entfed.py): decisions about bodies, seats of
        # delegates its members elect and recall, answers to proposals;
        # none about anyone's membership, work or share in the enterprise
        "found_federation", "join_federation", "leave_federation",
        "elect_delegates", "recall_delegate", "answer_proposal"]), \
        "a new kind an enterprise decides: review it for equality"
    for k in kinds:
        words = [k["name"], k["label"], k["summary"], k["text_label"]]
        for p in k["params"]:
            # a federation weighs its member bodies' voices, never people's;
            # a federation of enterprises gives each one voice (test_entfed)
            if (k["name"], p["name"]) == ("found_federation", "weighting"):
                continue
            words += [p["name"], p["label"], p["description"]]
        for w in words:
            assert not UNEQUAL.search(w or ""), (k["name"], w)
    # committees of an enterprise may be given no power over membership
    create = next(k for k in kinds if k["name"] == "create_committee")
    grantable = {c["value"] for p in create["params"] if p["name"] == "decision_kinds"
                 for c in p["choices"]}
    assert not grantable & {"admit_member", "exclude_member", "readmit_member"}
    routes = json.loads(run("routes", "--json", check=0).stdout)
    for r in routes:
        words = [r["path"], r["summary"]] + [json.dumps(f) for f in r["body"]]
        for w in words:
            assert not UNEQUAL.search(w), (r["method"], r["path"], w)
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True, timeout=10)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in tables:
            for col in con.execute(f'PRAGMA table_info("{t}")'):
                name = col[1]
                # federations weigh assemblies by population, never people
                if t == "bodies" and name == "weighting":
                    continue
                assert not UNEQUAL.search(name), (t, name)
        cols = [c[1] for c in con.execute("PRAGMA table_info(memberships)")]
        assert cols == ["body_id", "account_id", "status", "basis", "since",
                        "enterprise_id"]
    finally:
        con.close()


def test_every_member_one_equal_vote(srv, town):
    """In an enterprise each member's ballot counts one: three yes of
    four present, whoever founded it or holds its office."""
    tok, bakery = town["tok"], town["bakery"]
    people = [srv.user() for _ in range(2)]
    for p in people:
        assert decide(srv, bakery, tok["f"], "admit_member",
                      {"member": p[0]})["status"] == "adopted"
        assert join_as(srv, bakery, p[1]).status_code == 201
    m = submit(srv, bakery, tok["f"], title="Open on Sundays")
    voters = [tok["f"], tok["b"]] + [p[1] for p in people]
    for t in voters:
        code = srv.get(f"/api/v1/meetings/{m['meeting']}/code", token=tok["f"]).json()
        srv.post(f"/api/v1/meetings/{m['meeting']}/checkins", {"code": code["code"]},
                 token=t)
    assert srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"},
                    token=tok["f"]).status_code == 200
    for t, pos in zip(voters, ["no", "yes", "yes", "yes"]):
        r = srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": pos}, token=t)
        assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/motions/{m['id']}/voting/close", token=tok["f"])
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["status"] == "adopted"
    counts = res["result"]
    assert (counts["yes"], counts.get("weighted")) == (3, None), counts


def test_the_journal_rebuilds_the_enterprises(srv, town):
    srv.settle()
    p = run("journal", "verify", "--state", "--json", "--db", srv.db, check=0)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["ok"] and j["state"]["ok"], j
    assert j["state"]["replayed"] == j["entries"]


# -- the command line -------------------------------------------------------

def test_the_command_line_founds_lists_shows_joins_and_leaves(srv, town):
    """pnyx enterprise, as the person a token signs in, under the API's
    rules: its refusals exit 2 and change nothing."""
    tok, h, comm = town["tok"], town["h"], town["comm"]
    sched = json.dumps(dict(schedule_now(), place="The workshop"))
    slug = "repair-" + h["f"][-6:]
    before = settled_hash(srv)
    # not a member of the local assembly: refused, exit 2, nothing changed
    p = run("enterprise", "found", slug, "--name", "Repair", "--community", comm,
            "--purpose", "Fix what breaks.", "--provides", "Repairs", "--schedule",
            sched, "--token", tok["o"], "--db", srv.db)
    assert p.returncode == 2 and "local assembly" in p.stderr, p.stderr
    p = run("enterprise", "found", slug, "--name", "Repair", "--community", comm,
            "--db", srv.db)
    assert p.returncode == 2 and "--purpose" in p.stderr, p.stderr
    p = run("enterprise", "found", slug, "--name", "Repair", "--community", comm,
            "--purpose", "P", "--provides", "R", "--schedule", "{not json",
            "--token", tok["f"], "--db", srv.db)
    assert p.returncode == 2 and "--schedule" in p.stderr, p.stderr
    p = run("enterprise", "join", town["bakery"], "--affirm", "--token", tok["o"],
            "--db", srv.db)
    assert p.returncode == 2 and "admit" in p.stderr, p.stderr
    assert settled_hash(srv) == before
    p = run("enterprise", "found", slug, "--name", "The Repair Workshop", "--community",
            comm, "--purpose", "Fix what breaks, teach who asks.", "--provides",
            "Repairs of bicycles, radios and chairs", "--schedule", sched,
            "--founders", h["c"], "--token", tok["f"], "--db", srv.db)
    assert p.returncode == 0, p.stderr
    assert f"founded enterprise {slug}" in p.stdout
    p = run("enterprise", "join", slug, "--affirm", "--token", tok["c"], "--db", srv.db)
    assert p.returncode == 0, p.stderr
    p = run("enterprise", "list", "--community", comm, "--db", srv.db)
    assert p.returncode == 0 and slug in p.stdout and town["bakery"] in p.stdout
    p = run("enterprise", "show", slug, "--db", srv.db)
    assert p.returncode == 0, p.stderr
    assert "Repairs of bicycles" in p.stdout and "members (2, each one equal vote)" \
        in p.stdout
    j = json.loads(run("enterprise", "show", slug, "--json", "--db", srv.db).stdout)
    assert {m["handle"] for m in j["member_list"]} == {h["f"], h["c"]}
    p = run("enterprise", "leave", slug, "--token", tok["c"], "--db", srv.db)
    assert p.returncode == 0, p.stderr
    j = json.loads(run("enterprise", "show", slug, "--json", "--db", srv.db).stdout)
    assert [m["handle"] for m in j["member_list"]] == [h["f"]]
    p = run("enterprise", "show", "no-such-workshop", "--db", srv.db)
    assert p.returncode == 2


# -- void under local law (issue 15 section 2) ------------------------------

def test_the_local_assembly_voids_an_enterprise_decision_under_its_law(srv, town):
    """The assembly of the bakery's community declares void, by its own
    decision with reasons, an admission and conditions that conflict with
    a named law: they lose their effect at once, both records linked.
    Every refusal changes nothing."""
    tok, h, bakery, local = town["tok"], town["h"], town["bakery"], town["local"]
    law = decide(srv, local, tok["f"], "enact_law", title="Night work",
                 text="Nobody under eighteen works at night.")
    assert law["status"] == "adopted", law
    number = srv.get(f"/api/v1/bodies/{local}/laws").json()["laws"][-1]["number"]
    young, ytok = srv.user()
    admit = decide(srv, bakery, tok["f"], "admit_member", {"member": young},
                   title="Admit the apprentice")
    assert admit["status"] == "adopted", admit
    assert join_as(srv, bakery, ytok).status_code == 201
    first = decide(srv, bakery, tok["f"], "set_conditions", title="First",
                   text="Anyone who bakes with us a month.")
    second = decide(srv, bakery, tok["f"], "set_conditions", title="Second",
                    text="Anyone, from fourteen, on night shifts.")
    office = decide(srv, bakery, tok["f"], "create_office", {
        "name": "treasurer of stock", "duties": "Counts the flour."})
    local_motion = decide(srv, local, tok["f"], "resolution", title="Bread matters",
                          text="We like bread.")

    def void(decision, law_n=number, reasons="Night work under eighteen.", slug=local,
             who="f"):
        return srv.post(f"/api/v1/bodies/{slug}/motions", {
            "kind": "void_enterprise_decision", "title": "Void", "text": "",
            "params": {"decision": decision, "law": law_n, "reasons": reasons}},
            token=tok[who])

    other, otok = srv.user()
    r = srv.found(otok, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    before = settled_hash(srv)
    # an enterprise never voids anything: the kind is the assembly's
    error_of(void(admit["id"], slug=bakery), 403, "fed_kind", "kind")
    # not an enterprise's decision; a kind not voidable yet; no such law
    error_of(void(local_motion["id"]), 409, "conflict", "params.decision")
    error_of(void(office["id"]), 409, "conflict", "params.decision")
    error_of(void(999999), 404, "not_found", "params.decision")
    error_of(void(admit["id"], law_n=999), 404, "not_found", "params.law")
    error_of(void(admit["id"], reasons=""), 400, "out_of_range", "params.reasons")
    # nobody outside the assembly moves it
    error_of(void(admit["id"], who="o"), 403, "not_member")
    # another community's assembly has no say over this enterprise
    r2 = srv.post(f"/api/v1/bodies/{r.json()['slug']}/motions", {
        "kind": "void_enterprise_decision", "title": "Void", "text": "",
        "params": {"decision": admit["id"], "law": 1, "reasons": "No."}}, token=otok)
    assert r2.status_code in (404, 409), r2.text
    assert r2.json()["error"]["field"] in ("params.decision", "params.law")
    assert settled_hash(srv) == before

    # the admission is void: the apprentice's membership ends at once
    v = decide(srv, local, tok["f"], "void_enterprise_decision",
               {"decision": admit["id"], "law": number,
                "reasons": "The apprentice is sixteen: night work under eighteen."},
               title="The apprentice's admission is void")
    assert v["status"] == "adopted", v
    assert members_of(srv, bakery)[young]["status"] == "left"
    assert srv.get(f"/api/v1/motions/{admit['id']}").json()["voided_by"] == v["id"]
    assert srv.get(f"/api/v1/motions/{v['id']}").json()["params"]["decision"] == admit["id"]
    e = srv.get(f"{ENTERPRISES}/{bakery}").json()
    assert [(x["decision"], x["by"], x["law"], x["law_title"]) for x in e["voided"]] == \
        [(admit["id"], v["id"], number, "Night work")]
    # voided once only
    error_of(void(admit["id"]), 409, "conflict", "params.decision")
    # the second conditions are void: the first are in force again
    v2 = decide(srv, local, tok["f"], "void_enterprise_decision",
                {"decision": second["id"], "law": number, "reasons": "Fourteen at night."})
    assert v2["status"] == "adopted", v2
    cond = srv.get(f"{ENTERPRISES}/{bakery}").json()["conditions"]
    assert (cond["text"], cond["motion"]) == ("Anyone who bakes with us a month.",
                                              first["id"])
    # a waiting admission voided: joining on it is refused
    later, ltok = srv.user()
    admit2 = decide(srv, bakery, tok["f"], "admit_member", {"member": later})
    assert decide(srv, local, tok["f"], "void_enterprise_decision", {
        "decision": admit2["id"], "law": number, "reasons": "Also sixteen."})["status"] \
        == "adopted"
    assert later not in {x["handle"] for x in
                         srv.get(f"{ENTERPRISES}/{bakery}").json()["admitted"]}
    before = settled_hash(srv)
    error_of(join_as(srv, bakery, ltok), 403, "enterprise_not_admitted")
    assert settled_hash(srv) == before
    # the enterprise may admit them again, lawfully, later
    assert decide(srv, bakery, tok["f"], "admit_member", {"member": later})["status"] \
        == "adopted"


def test_every_decision_with_an_effect_outside_the_enterprise_can_be_voided(srv, town):
    """Beyond admissions, conditions and answers: a commitment, an
    exclusion, founding or joining a federation and electing its delegates
    reach outside the enterprise, so the local assembly may declare them
    void under its law; each loses its effect at once. Leaving a
    federation and recalling a delegate are rights no law takes away."""
    tok, h, bakery, local = town["tok"], town["h"], town["bakery"], town["local"]
    assert decide(srv, local, tok["f"], "enact_law", title="Fair dealing",
                  text="No workplace shuts anyone out for their union.")["status"] == "adopted"
    number = srv.get(f"/api/v1/bodies/{local}/laws").json()["laws"][-1]["number"]

    def void(decision, reasons="It conflicts with fair dealing."):
        return decide(srv, local, tok["f"], "void_enterprise_decision",
                      {"decision": decision, "law": number, "reasons": reasons})

    def commitments():
        return {k["id"]: k for k in
                srv.get(f"{ENTERPRISES}/{bakery}/contributions").json()["commitments"]}

    # a commitment replaced by another: voiding the new one brings back the old
    a = decide(srv, bakery, tok["f"], "state_commitment", {
        "action": "produce", "what": "Rye", "quantity": 40, "unit": "loaves",
        "period": "week"})
    [old] = [k for k in commitments().values() if k["motion"] == a["id"]]
    b = decide(srv, bakery, tok["f"], "state_commitment", {
        "action": "produce", "what": "Rye", "quantity": 10, "unit": "loaves",
        "period": "week", "replaces": old["id"]})
    assert commitments()[old["id"]]["ended_by"] == b["id"]
    v = void(b["id"])
    assert v["status"] == "adopted", v
    [new] = [k for k in commitments().values() if k["motion"] == b["id"]]
    assert new["ended_by"] == v["id"]
    assert commitments()[old["id"]]["ended_by"] is None

    # an exclusion: the person is a member again
    z, ztok = srv.user()
    assert decide(srv, bakery, tok["f"], "admit_member", {"member": z})["status"] == "adopted"
    assert join_as(srv, bakery, ztok).status_code == 201
    x = decide(srv, bakery, tok["f"], "exclude_member", {
        "member": z, "reasons": "Joined a union.", "hearing": "Heard on Monday."})
    assert x["status"] == "adopted" and members_of(srv, bakery)[z]["status"] == "excluded"
    assert void(x["id"])["status"] == "adopted"
    assert members_of(srv, bakery)[z]["status"] == "active"

    # a federation founded with a delegate, another enterprise joining it,
    # a second delegate elected: each voided, each effect undone
    fed = "trade" + bakery[-6:].replace("-", "")
    found = decide(srv, bakery, tok["f"], "found_federation", {
        "slug": fed, "name": "The flour trade", "purpose": "economy",
        "region": "the valley", "statement": "Flour, as equals.", "rule": RULES,
        "schedule": schedule_now(), "delegate": h["f"], "mandate": "Share the mill."})
    assert found["status"] == "adopted", found
    elect = decide(srv, bakery, tok["f"], "elect_delegates", {
        "federation": fed, "delegate": h["b"], "mandate": "Speak for the ovens."})
    assert elect["status"] == "adopted", elect
    r = srv.post(ENTERPRISES, enterprise_body(town["comm"], name="The Mill Shop",
                                              slug="mill-" + fed), token=tok["c"])
    assert r.status_code == 201, r.text
    shop = r.json()["slug"]
    joined = decide(srv, shop, tok["c"], "join_federation", {"federation": fed})
    assert joined["status"] == "adopted", joined
    recall = decide(srv, bakery, tok["f"], "recall_delegate",
                    {"federation": fed, "delegate": h["f"]})
    assert recall["status"] == "adopted", recall

    def status_in(body):
        return {m["federation"]: m["status"] for m in
                srv.get(f"/api/v1/bodies/{body}/federations").json()["memberships"]}

    before = settled_hash(srv)
    # recalling and leaving are rights: never void
    r = srv.post(f"/api/v1/bodies/{local}/motions", {
        "kind": "void_enterprise_decision", "title": "Void", "text": "",
        "params": {"decision": recall["id"], "law": number, "reasons": "No."}},
        token=tok["f"])
    error_of(r, 409, "conflict", "params.decision")
    assert settled_hash(srv) == before
    assert members_of(srv, fed)[h["b"]]["status"] == "active"
    assert void(elect["id"])["status"] == "adopted"
    assert members_of(srv, fed)[h["b"]]["status"] == "left"
    assert status_in(shop)[fed] == "active"
    assert void(joined["id"])["status"] == "adopted"
    assert status_in(shop)[fed] == "left"
    assert status_in(bakery)[fed] == "active"
    assert void(found["id"])["status"] == "adopted"
    assert status_in(bakery)[fed] == "left"
    srv.settle()
    p = run("journal", "verify", "--state", "--json", "--db", srv.db, check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j
