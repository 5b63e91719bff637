"""Volunteer militias (issue 15 item 7, src/gov/economy/militia.c,
docs/economy.md): formed by the same decision of one or more local
assemblies (it exists once all have adopted the same terms), with the
purpose stated there; joined and left freely by the members of those
assemblies; officers elected and recalled by its members at any moment,
with duties only and no power over anyone's membership; dissolved by any
assembly that formed it; nothing it decides is law. Every refusal is
shown to change nothing."""
import json
import time

import pytest

from conftest import RULES, decide, error_of, run, schedule_now, settled_hash, unique

MILITIAS = "/api/v1/militias"
PURPOSE = "Flood watch on the river banks, and help with evacuation when it rises."


# The schedule of the militias' meetings, the same in every assembly's
# terms (made once: a minute passing between two adoptions must not make
# their terms differ)
SCHEDULE = schedule_now()


def terms(slug, with_="", **extra):
    t = {"slug": slug, "name": "River watch", "purpose": PURPOSE, "with": with_,
         "rule": RULES, "schedule": SCHEDULE}
    t.update(extra)
    return t


def motion(srv, slug, tok, kind, params, title="A motion", text=""):
    return srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": kind, "title": title, "text": text, "params": params}, token=tok)


def volunteer(srv, slug, tok, basis="volunteer"):
    return srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": basis},
                    token=tok)


def members_of(srv, slug):
    return {m["handle"]: m for m in
            srv.get(f"/api/v1/bodies/{slug}/members").json()["members"]}


@pytest.fixture(scope="module")
def towns(srv):
    """Local assemblies up (founder a, member c) and down (founder b) form
    the militia; a third, far (founder f), did not; o belongs nowhere."""
    people = {k: srv.user() for k in "abcfo"}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    local = {}
    for name, founder in (("up", "a"), ("down", "b"), ("far", "f")):
        r = srv.found(tok[founder], community=srv.add_community(), rule=RULES,
                      schedule=schedule_now())
        assert r.status_code == 201, r.text
        local[name] = r.json()["slug"]
    assert srv.post(f"/api/v1/bodies/{local['up']}/members",
                    {"affirm": True, "basis": "lives"}, token=tok["c"]).status_code == 201
    return {"tok": tok, "h": h, "local": local, "slug": unique("river")}


def test_formed_once_every_assembly_adopted_the_same_terms(srv, towns):
    tok, local, slug = towns["tok"], towns["local"], towns["slug"]
    r = decide(srv, local["up"], tok["a"], "form_militia", terms(slug, local["down"]),
               title="Form the river watch with down")
    assert r["status"] == "adopted", r
    m = srv.get(f"{MILITIAS}/{slug}").json()
    assert m["status"] == "forming" and m["purpose"] == PURPOSE
    assert {a["slug"]: a["adopted_by"] for a in m["assemblies"]} == \
        {local["up"]: r["id"], local["down"]: None}
    assert "member_list" not in m
    # nobody volunteers in a militia that does not exist yet
    error_of(volunteer(srv, slug, tok["a"]), 404, "not_found")
    before = settled_hash(srv)
    # other terms: refused, naming the term that differs
    error_of(motion(srv, local["down"], tok["b"], "form_militia",
                    terms(slug, local["up"], purpose="Patrol the streets.")),
             409, "conflict", "params.purpose")
    error_of(motion(srv, local["down"], tok["b"], "form_militia",
                    terms(slug, f"{local['up']}, {local['far']}")),
             409, "conflict", "params.with")
    # an assembly the formation does not name
    error_of(motion(srv, local["far"], tok["f"], "form_militia",
                    terms(slug, f"{local['up']}, {local['down']}")),
             409, "conflict", "params.with")
    # up adopted already
    error_of(motion(srv, local["up"], tok["a"], "form_militia",
                    terms(slug, local["down"])), 409, "conflict", "params.slug")
    assert settled_hash(srv) == before
    r = decide(srv, local["down"], tok["b"], "form_militia", terms(slug, local["up"]),
               title="Form the river watch with up")
    assert r["status"] == "adopted", r
    m = srv.get(f"{MILITIAS}/{slug}").json()
    assert m["status"] == "active" and m["formed_at"] and m["members"] == 0
    assert all(a["adopted_by"] for a in m["assemblies"])
    assert m["member_list"] == [] and m["offices"] == [] and m["schedule_text"]
    body = srv.get(f"/api/v1/bodies/{slug}").json()
    assert body["kind"] == "militia"
    listed = {x["slug"]: x for x in srv.get(MILITIAS).json()["militias"]}
    assert listed[slug]["status"] == "active"


def test_formation_refusals_change_nothing(srv, towns):
    tok, local = towns["tok"], towns["local"]
    before = settled_hash(srv)
    for params, status, code, field in (
            (terms(towns["slug"]), 409, "exists", "params.slug"),
            (terms(local["down"]), 409, "exists", "params.slug"),
            (terms(unique("m"), "no-such-assembly"), 404, "not_found", "params.with"),
            (terms(unique("m"), local["up"]), 400, "bad_input", "params.with"),
            (terms(unique("m"), f"{local['down']} {local['down']}"), 400, "bad_input",
             "params.with"),
            (terms(unique("m"), purpose=""), 400, "out_of_range", "params.purpose"),
            (terms(unique("m"), wage=10), 400, "unknown_field", "params")):
        error_of(motion(srv, local["up"], tok["a"], "form_militia", params), status, code,
                 field)
    # only a local assembly forms one; a militia forms none
    error_of(motion(srv, towns["slug"], tok["a"], "form_militia", terms(unique("m"))),
             403, "not_member")
    assert settled_hash(srv) == before


def test_volunteers_join_and_leave_freely(srv, towns):
    tok, h, slug, local = towns["tok"], towns["h"], towns["slug"], towns["local"]
    before = settled_hash(srv)
    # only members of the assemblies that formed it volunteer
    error_of(volunteer(srv, slug, tok["o"]), 403, "militia_not_local")
    error_of(volunteer(srv, slug, tok["f"]), 403, "militia_not_local")
    # the basis is volunteering, and only in a militia
    error_of(volunteer(srv, slug, tok["a"], basis="works"), 400, "bad_input", "basis")
    error_of(volunteer(srv, local["far"], tok["o"]), 400, "bad_input", "basis")
    assert settled_hash(srv) == before
    # no decision of anyone: each joins by their own act
    for k in "abc":
        r = volunteer(srv, slug, tok[k])
        assert r.status_code == 201, r.text
    m = members_of(srv, slug)
    assert {(k, m[h[k]]["basis"]) for k in "abc"} == {(k, "volunteer") for k in "abc"}
    r = srv.delete(f"/api/v1/bodies/{slug}/members/me", token=tok["c"])
    assert r.status_code == 204, r.text
    assert members_of(srv, slug)[h["c"]]["status"] == "left"
    assert volunteer(srv, slug, tok["c"]).status_code == 201
    got = srv.get(f"{MILITIAS}/{slug}").json()
    assert {x["handle"] for x in got["member_list"]} == {h[k] for k in "abc"}


def test_officers_have_duties_only(srv, towns):
    tok, h, slug = towns["tok"], towns["h"], towns["slug"]
    assert decide(srv, slug, tok["a"], "create_office", {
        "name": "watch coordinator", "duties": "Keeps the rota of the night watch."
    })["status"] == "adopted"
    assert decide(srv, slug, tok["a"], "elect_holder", {
        "office": "watch coordinator", "holder": h["c"]})["status"] == "adopted"
    offices = srv.get(f"{MILITIAS}/{slug}").json()["offices"]
    assert [(o["name"], o["holder"]) for o in offices] == [("watch coordinator", h["c"])]
    before = settled_hash(srv)
    # the officer has no power over anyone's membership: no kind a militia
    # decides admits, excludes or readmits, and no route removes another
    for kind, params in (("exclude_member", {"member": h["b"], "reasons": "r",
                                             "hearing": "h"}),
                         ("admit_member", {"member": h["o"]}),
                         ("readmit_member", {"member": h["b"]})):
        error_of(motion(srv, slug, tok["c"], kind, params), 403, "fed_kind", "kind")
    r = srv.delete(f"/api/v1/bodies/{slug}/members/{h['b']}", token=tok["c"])
    assert r.status_code in (404, 405), r.text
    # nor may a committee be given such a power
    error_of(motion(srv, slug, tok["c"], "create_committee", {
        "name": "Gate", "scope": "s", "decision_kinds": ["exclude_member"],
        "members": [h["c"]]}), 400, "bad_input", "params.decision_kinds")
    assert settled_hash(srv) == before
    assert members_of(srv, slug)[h["b"]]["status"] == "active"
    kinds = sorted(k["name"] for k in
                   srv.get(f"/api/v1/motion-kinds?body={slug}").json()["kinds"])
    assert kinds == sorted([
        "resolution", "amendment", "authorise_remote_vote", "hide_comment", "adjourn",
        "change_rules", "change_schedule", "declare_meeting", "create_office",
        "elect_holder", "recall_holder", "create_committee", "revoke_committee"]), \
        "a new kind a militia decides: review it for power over members"
    # recalled at any moment, by the members
    assert decide(srv, slug, tok["a"], "recall_holder",
                  {"office": "watch coordinator"})["status"] == "adopted"
    offices = srv.get(f"{MILITIAS}/{slug}").json()["offices"]
    assert [(o["name"], o["holder"]) for o in offices] == [("watch coordinator", None)]


def test_nothing_a_militia_decides_is_law(srv, towns):
    tok, slug, local = towns["tok"], towns["slug"], towns["local"]
    laws = {s: srv.get(f"/api/v1/bodies/{s}/laws").json() for s in local.values()}
    before = settled_hash(srv)
    for kind, params in (("enact_law", None), ("amend_law", {"law": 1}),
                         ("repeal_law", {"law": 1})):
        body = {"kind": kind, "title": "Curfew", "text": "Nobody out after dark."}
        if params:
            body["params"] = params
        error_of(srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok["a"]),
                 403, "militia_no_laws", "kind")
    # nor does it federate, or decide an assembly's business
    error_of(motion(srv, slug, tok["a"], "join_federation", {"federation": "x-x"}),
             403, "fed_kind", "kind")
    error_of(motion(srv, slug, tok["a"], "dissolve_militia", {"militia": slug}),
             403, "fed_kind", "kind")
    assert settled_hash(srv) == before
    assert {s: srv.get(f"/api/v1/bodies/{s}/laws").json()
            for s in local.values()} == laws


def test_dissolved_by_an_assembly_that_formed_it(srv, towns):
    tok, h, slug, local = towns["tok"], towns["h"], towns["slug"], towns["local"]
    assert decide(srv, slug, tok["a"], "elect_holder", {
        "office": "watch coordinator", "holder": h["a"]})["status"] == "adopted"
    # business still open when it is dissolved: a motion on the agenda, and
    # its meetings to come (the weekly schedule's)
    r = motion(srv, slug, tok["a"], "resolution", {}, title="Buy sandbags",
               text="Ask the sharing economy for sandbags.")
    assert r.status_code == 201, r.text
    pending = r.json()["id"]
    ahead = [m for m in srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"]
             if m["starts_at"] > time.time() + 3600]
    assert ahead, "the schedule makes meetings to come"
    before = settled_hash(srv)
    error_of(motion(srv, local["far"], tok["f"], "dissolve_militia", {"militia": slug}),
             403, "forbidden", "params.militia")
    error_of(motion(srv, local["up"], tok["a"], "dissolve_militia",
                    {"militia": "no-such-militia"}), 404, "not_found", "params.militia")
    assert settled_hash(srv) == before
    r = decide(srv, local["down"], tok["b"], "dissolve_militia", {"militia": slug},
               title="Dissolve the river watch")
    assert r["status"] == "adopted", r
    m = srv.get(f"{MILITIAS}/{slug}").json()
    assert m["status"] == "dissolved" and m["dissolved_by"] == r["id"]
    assert m["member_list"] == [] and m["members"] == 0
    assert [o["holder"] for o in m["offices"]] == [None]
    assert all(x["status"] == "left" for x in members_of(srv, slug).values())
    # its open motions are closed, saying why; its meetings to come do not
    # happen, and none is made again
    mo = srv.get(f"/api/v1/motions/{pending}").json()
    assert (mo["status"], mo["closed_reason"]) == ("withdrawn", "the militia was dissolved")
    assert mo["decided_at"] >= r["decided_at"] - 1
    for _ in range(2):  # the list makes the schedule's meetings, if any
        left = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"]
        assert not [m for m in left if m["starts_at"] > mo["decided_at"]], left
    p = run("militia", "show", slug, "--db", srv.db, check=0)
    assert p.returncode == 0, p.stderr
    before = settled_hash(srv)
    error_of(volunteer(srv, slug, tok["c"]), 409, "militia_dissolved")
    error_of(motion(srv, local["up"], tok["a"], "dissolve_militia", {"militia": slug}),
             409, "militia_dissolved", "params.militia")
    assert settled_hash(srv) == before


def test_a_formation_under_way_ended_by_an_assembly_it_names(srv, towns):
    """An assembly that adopted a formation, or is named in it, may end it
    before the others adopt: it is never formed, and nobody completes it."""
    tok, local = towns["tok"], towns["local"]
    slug = unique("ferry")
    assert decide(srv, local["up"], tok["a"], "form_militia",
                  terms(slug, local["far"]))["status"] == "adopted"
    before = settled_hash(srv)
    # down is not named in it
    error_of(motion(srv, local["down"], tok["b"], "dissolve_militia",
                    {"militia": slug}), 403, "forbidden", "params.militia")
    assert settled_hash(srv) == before
    r = decide(srv, local["far"], tok["f"], "dissolve_militia", {"militia": slug},
               title="We will not form it")
    assert r["status"] == "adopted", r
    m = srv.get(f"{MILITIAS}/{slug}").json()
    assert (m["status"], m["dissolved_by"], m["formed_at"]) == ("dissolved", r["id"], None)
    assert "member_list" not in m
    before = settled_hash(srv)
    error_of(motion(srv, local["far"], tok["f"], "form_militia", terms(slug, local["up"])),
             409, "militia_dissolved", "params.slug")
    error_of(srv.get(f"/api/v1/bodies/{slug}"), 404, "not_found")
    assert settled_hash(srv) == before


def test_a_militia_of_one_assembly_and_the_journal_rebuilds_them(srv, towns):
    tok, local = towns["tok"], towns["local"]
    slug = unique("far")
    r = decide(srv, local["far"], tok["f"], "form_militia", terms(slug))
    assert r["status"] == "adopted", r
    assert srv.get(f"{MILITIAS}/{slug}").json()["status"] == "active"
    srv.settle()
    p = run("journal", "verify", "--state", "--json", "--db", srv.db, check=0)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["ok"] and j["state"]["ok"], j


def test_the_command_line_lists_and_shows_militias(srv, towns):
    p = run("militia", "list", "--db", srv.db, check=0)
    assert p.returncode == 0, p.stderr
    assert "River watch" in p.stdout and "dissolved" in p.stdout
    p = run("militia", "show", towns["slug"], "--db", srv.db, check=0)
    assert p.returncode == 0, p.stderr
    assert PURPOSE in p.stdout and towns["local"]["up"] in p.stdout
    p = run("militia", "show", towns["slug"], "--json", "--db", srv.db, check=0)
    assert json.loads(p.stdout)["slug"] == towns["slug"]
    p = run("militia", "show", "no-such-militia", "--db", srv.db, check=2)
    assert "no militia" in p.stderr, p.stderr
    run("militia", "frobnicate", "--db", srv.db, check=2)
