"""Households outside the sharing economy, allotments and barter (issue 16
item 6; src/gov/sharing/household.c and allot_kinds.c; docs/sharing.md
"Households, allotments and barter").

A person declares a household and invites others, who join by their own
act; the household is out of the sharing economy when each member opted
out by their own act, and then none of them takes. The local assembly, by
decision, allots land or means of production to such a household (never
to one whose members still take) or to a workshop of its economy, states
the priority it found, and revokes it by decision only. The assembly's
terms of membership say what its members may not barter; a barter
between the household and a member or an enterprise is recorded by one
side and confirmed by the other, checked against the terms when
recorded; what an enterprise receives joins the register. No price, no
money. Every refusal is shown to change nothing; replay rebuilds it all."""
import json

import pytest

from conftest import (SETTLED_AT_CURSOR, Server, assert_clean_exit, decide, error_of, join, run,
                      settled_hash, state_hash)
from sharing_town import ENT, build_town


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("barter")))
    s.settle_at_cursor = SETTLED_AT_CURSOR  # no clock, no peers: see conftest
    yield s
    assert_clean_exit(*s.stop())


def motion(srv, body, tok, kind, params, text="Reasons."):
    return srv.post(f"/api/v1/bodies/{body}/motions", {
        "kind": kind, "title": "A motion", "text": text, "params": params}, token=tok)


@pytest.fixture(scope="module")
def town(srv):
    """Harbour (f founded it; b, m, n, x members) joined the economy
    "coast"; its bakery (f, b) is in good standing and offers rye bread,
    of which b took two loaves. m and n will make a household. Dale (g),
    another community, did not join; its mill neither."""
    town = build_town(srv, "fbmnxg", "bmnx")
    tok, local, bakery = town["tok"], town["local"], town["bakery"]
    d = decide(srv, local, tok["f"], "join_sharing_economy",
               {"economy": "coast", "name": "The Coast Commons"}, title="Share")
    assert d["status"] == "adopted", d
    d = decide(srv, local, tok["f"], "decide_standing",
               {"enterprise": bakery, "standing": "good"}, text="The record shows it.")
    assert d["status"] == "adopted", d
    r = srv.post(f"{ENT}/{bakery}/goods", {
        "kind": "product", "name": "Rye bread", "description": "Sourdough.",
        "unit": "loaf", "units": "loaves", "stock": 40}, token=tok["b"])
    assert r.status_code == 201, r.text
    bread = r.json()["id"]
    r = srv.post(f"/api/v1/goods/{bread}/takes", {"quantity": 2}, token=tok["b"])
    assert r.status_code == 201, r.text
    town["bread"] = bread
    return town


def test_a_household_is_declared_and_joined_by_each_member_s_own_act(srv, town):
    tok, h = town["tok"], town["h"]
    before = settled_hash(srv)
    for body, code, field in (
            ({"slug": "Millers!", "name": "The Millers"}, (400, "bad_input"), "slug"),
            ({"slug": "millers"}, (400, "missing_field"), "name"),
            ({"slug": "millers", "name": "The Millers", "members": ["nobody-here"]},
             (404, "not_found"), "members"),
            ({"slug": "millers", "name": "The Millers", "members": [h["m"]]},
             (400, "bad_input"), "members"),
            ({"slug": "millers", "name": "The Millers", "price": 3},
             (400, "unknown_field"), "price")):
        error_of(srv.post("/api/v1/households", body, token=tok["m"]), *code, field)
    error_of(srv.post("/api/v1/households", {"slug": "millers", "name": "M"}), 401,
             "unauthenticated")
    assert state_hash(srv.db) == before
    r = srv.post("/api/v1/households", {"slug": "millers", "name": "The Millers",
                                        "members": [h["n"]]}, token=tok["m"])
    assert r.status_code == 201, r.text
    hh = r.json()
    assert (hh["slug"], hh["name"], hh["declared_by"], hh["opted_out"]) == (
        "millers", "The Millers", h["m"], False)
    assert [(x["handle"], x["joined_at"] is not None) for x in hh["members"]] == [
        (h["m"], True), (h["n"], False)]
    before = settled_hash(srv)
    # nobody joins uninvited; the same short name twice; one household at a time
    error_of(srv.post("/api/v1/households/millers/join", token=tok["x"]), 403, "forbidden",
             "household")
    error_of(srv.post("/api/v1/households", {"slug": "millers", "name": "Again"},
                      token=tok["x"]), 409, "conflict", "slug")
    error_of(srv.post("/api/v1/households", {"slug": "other", "name": "Other"},
                      token=tok["m"]), 409, "conflict", "slug")
    error_of(srv.post("/api/v1/households/nowhere/join", token=tok["n"]), 404,
             "not_found", "household")
    error_of(srv.post("/api/v1/households/millers/leave", token=tok["x"]), 409,
             "conflict", "household")
    error_of(srv.post("/api/v1/households/millers/invite", {"person": h["x"]},
                      token=tok["x"]), 403, "forbidden", "household")
    assert state_hash(srv.db) == before
    me = srv.get("/api/v1/me/household", token=tok["n"]).json()
    assert me["household"] is None and [i["slug"] for i in me["invited"]] == ["millers"]
    r = srv.post("/api/v1/households/millers/join", token=tok["n"])
    assert r.status_code == 200, r.text
    assert all(x["joined_at"] for x in r.json()["members"])
    error_of(srv.post("/api/v1/households/millers/join", token=tok["n"]), 403, "forbidden",
             "household")
    # x is invited, and declines by leaving
    r = srv.post("/api/v1/households/millers/invite", {"person": h["x"]}, token=tok["n"])
    assert r.status_code == 200, r.text
    r = srv.post("/api/v1/households/millers/leave", token=tok["x"])
    assert r.status_code == 200, r.text
    assert [x["handle"] for x in r.json()["members"]] == [h["m"], h["n"]]


def test_a_household_opts_out_when_each_member_does(srv, town):
    tok, h = town["tok"], town["h"]
    # while its members take, nothing is allotted and nothing bartered
    r = motion(srv, town["local"], tok["f"], "allot_means", {
        "household": "millers", "what": "The south field", "purpose": "Grow rye",
        "priority": "They grind the whole valley's grain."})
    error_of(r, 409, "conflict", "params.household")
    r = srv.request("PUT", "/api/v1/me/sharing", {"opted_out": True}, token=tok["m"])
    assert r.status_code == 200, r.text
    hh = srv.get("/api/v1/households/millers").json()
    assert hh["opted_out"] is False  # n still takes
    assert [x["opted_out"] for x in hh["members"]] == [True, False]
    r = motion(srv, town["local"], tok["f"], "allot_means", {
        "household": "millers", "what": "The south field", "purpose": "Grow rye",
        "priority": "They grind the whole valley's grain."})
    error_of(r, 409, "conflict", "params.household")
    r = srv.request("PUT", "/api/v1/me/sharing", {"opted_out": True}, token=tok["n"])
    assert r.status_code == 200, r.text
    assert srv.get("/api/v1/households/millers").json()["opted_out"] is True
    # a household's members who opted out do not take
    for k in "mn":
        error_of(srv.post(f"/api/v1/goods/{town['bread']}/takes", {"quantity": 1},
                          token=tok[k]), 403, "sharing_opted_out")


def test_the_assembly_allots_means_by_decision_and_revokes_them(srv, town):
    tok, h = town["tok"], town["h"]
    before = settled_hash(srv)
    for body, who, params, code, field in (
            # neither, both, unknown, and a household whose members did not opt out
            (town["local"], "f", {"what": "A lathe", "purpose": "Repairs",
                                  "priority": "p"}, (400, "missing_field"),
             "params.household"),
            (town["local"], "f", {"household": "millers", "workshop": town["bakery"],
                                  "what": "A lathe", "purpose": "Repairs", "priority": "p"},
             (400, "bad_input"), "params.workshop"),
            (town["local"], "f", {"household": "nowhere", "what": "A lathe",
                                  "purpose": "Repairs", "priority": "p"},
             (404, "not_found"), "params.household"),
            # a workshop not in this economy
            (town["local"], "f", {"workshop": town["mill"], "what": "A lathe",
                                  "purpose": "Repairs", "priority": "p"},
             (403, "sharing_outside"), "params.workshop"),
            # an assembly that is in no sharing economy
            (town["dale"], "g", {"household": "millers", "what": "A lathe",
                                 "purpose": "Repairs", "priority": "p"},
             (403, "sharing_outside"), "kind"),
            # a quantity without its unit; money
            (town["local"], "f", {"household": "millers", "what": "Land", "quantity": 2,
                                  "purpose": "Rye", "priority": "p"},
             (400, "missing_field"), "params.unit"),
            (town["local"], "f", {"household": "millers", "what": "Land worth 500 euros",
                                  "purpose": "Rye", "priority": "p"},
             (400, "bad_input"), "params.what"),
            (town["local"], "f", {"household": "millers", "what": "Land", "purpose": "Rye",
                                  "priority": "p", "price": 5},
             (400, "unknown_field"), "params")):
        error_of(motion(srv, body, tok[who], "allot_means", params), *code, field)
    # only a member of the assembly moves it; an enterprise cannot allot
    r = motion(srv, town["local"], tok["g"], "allot_means", {
        "household": "millers", "what": "Land", "purpose": "Rye", "priority": "p"})
    assert r.status_code == 403, r.text
    r = motion(srv, town["bakery"], tok["b"], "allot_means", {
        "household": "millers", "what": "Land", "purpose": "Rye", "priority": "p"})
    assert r.status_code == 403, r.text
    assert state_hash(srv.db) == before
    d = decide(srv, town["local"], tok["f"], "allot_means", {
        "household": "millers", "what": "The south field", "quantity": 2,
        "unit": "hectares", "purpose": "Grow rye for themselves",
        "priority": "The field lies fallow; they grind the valley's grain for the commons."},
        title="The south field for the Millers")
    assert d["status"] == "adopted", d
    d2 = decide(srv, town["local"], tok["f"], "allot_means", {
        "workshop": town["bakery"], "what": "The old forge", "purpose": "A second oven",
        "priority": "Nobody uses it; the bakery feeds the town."}, title="The forge")
    assert d2["status"] == "adopted", d2
    a = srv.get(f"/api/v1/bodies/{town['local']}/allotments").json()
    [forge, field] = a["allotments"]
    assert (field["household"], field["what"], field["quantity"], field["unit"],
            field["decision"], field["decision_title"], field["revoked_at"]) == (
        "millers", "The south field", 2, "hectares", d["id"],
        "The south field for the Millers", None)
    assert field["priority"].startswith("The field lies fallow")
    assert (forge["workshop"], forge["household"], forge["quantity"]) == (
        town["bakery"], None, None)
    hh = srv.get("/api/v1/households/millers").json()
    assert [x["id"] for x in hh["allotments"]] == [field["id"]]
    # revoked by the assembly's decision only
    before = settled_hash(srv)
    r = motion(srv, town["dale"], tok["g"], "revoke_allotment", {"allotment": field["id"]})
    error_of(r, 403, "forbidden", "params.allotment")
    r = motion(srv, town["local"], tok["g"], "revoke_allotment", {"allotment": field["id"]})
    assert r.status_code == 403, r.text
    r = motion(srv, town["local"], tok["f"], "revoke_allotment", {"allotment": 999999})
    error_of(r, 404, "not_found", "params.allotment")
    r = motion(srv, town["local"], tok["f"], "revoke_allotment", {"allotment": field["id"]},
               text="")
    error_of(r, 400, "out_of_range", "text")
    assert state_hash(srv.db) == before
    d3 = decide(srv, town["local"], tok["f"], "revoke_allotment", {"allotment": forge["id"]},
                title="The forge back", text="The bakery built its own oven.")
    assert d3["status"] == "adopted", d3
    a = srv.get(f"/api/v1/bodies/{town['local']}/allotments").json()
    assert [(x["id"], x["revoked_by"]) for x in a["allotments"]] == [
        (forge["id"], d3["id"]), (field["id"], None)]
    r = motion(srv, town["local"], tok["f"], "revoke_allotment", {"allotment": forge["id"]})
    error_of(r, 409, "conflict", "params.allotment")
    error_of(srv.get("/api/v1/bodies/nowhere/allotments"), 404, "not_found", "slug")


def barter(srv, tok, **body):
    base = {"household": "millers", "household_gives": "Eggs", "household_quantity": 12,
            "household_unit": "eggs", "other_gives": "A knitted scarf",
            "other_quantity": 1, "other_unit": "scarf"}
    base.update(body)
    return srv.post("/api/v1/barters", {k: v for k, v in base.items() if v is not None},
                    token=tok)


def test_terms_of_membership_constrain_what_a_member_barters(srv, town):
    tok, h = town["tok"], town["h"]
    r = motion(srv, town["local"], tok["f"], "set_barter_terms",
               {"taken_goods": "sometimes"})
    error_of(r, 400, "bad_input", "params.taken_goods")
    r = motion(srv, town["local"], tok["f"], "set_barter_terms",
               {"taken_goods": "refused", "classes": "x" * 61})
    error_of(r, 400, "bad_input", "params.classes")
    d = decide(srv, town["local"], tok["f"], "set_barter_terms",
               {"taken_goods": "refused", "classes": "Medicine; seed grain"},
               title="Terms of barter")
    assert d["status"] == "adopted", d
    t = srv.get(f"/api/v1/bodies/{town['local']}/allotments").json()["barter_terms"]
    assert (t["decision"], t["taken_goods_refused"], t["classes"]) == (
        d["id"], True, ["Medicine", "seed grain"])
    before = settled_hash(srv)
    # b took rye bread from the economy: not b's to barter
    r = barter(srv, tok["m"], member=h["b"], other_gives="Rye bread", other_unit="loaf")
    e = error_of(r, 409, "conflict", "other_gives")
    assert "taken from the sharing economy" in e["message"] and str(d["id"]) in \
        e["message"], e
    # a class the terms name
    r = barter(srv, tok["m"], member=h["b"], other_gives="Seed grain, winter rye",
               other_unit="kg")
    e = error_of(r, 409, "conflict", "other_gives")
    assert "seed grain" in e["message"], e
    # no price, no money
    error_of(barter(srv, tok["m"], member=h["b"], price=4), 400, "unknown_field", "price")
    error_of(barter(srv, tok["m"], member=h["b"], other_gives="10 euros"), 400,
             "bad_input", "other_gives")
    error_of(barter(srv, tok["m"], member=h["b"], household_unit="$"), 400, "bad_input",
             "household_unit")
    error_of(barter(srv, tok["m"], member=h["b"], household_gives="Eggs, paid in cash"),
             400, "bad_input", "household_gives")
    # bad input; neither side, both sides
    error_of(barter(srv, tok["m"]), 400, "missing_field", "member")
    error_of(barter(srv, tok["m"], member=h["b"], enterprise=town["bakery"]), 400,
             "bad_input", "enterprise")
    error_of(barter(srv, tok["m"], member=h["b"], household_quantity=0), 400,
             "out_of_range", "household_quantity")
    # someone outside the economy, or inside the household
    error_of(barter(srv, tok["m"], member=h["g"]), 403, "sharing_outside", "member")
    error_of(barter(srv, tok["m"], member=h["n"]), 400, "bad_input", "member")
    error_of(barter(srv, tok["m"], enterprise=town["mill"]), 403, "sharing_outside",
             "enterprise")
    # a third party records nothing
    error_of(barter(srv, tok["x"], member=h["b"]), 403, "forbidden")
    error_of(barter(srv, None, member=h["b"]), 401, "unauthenticated")
    assert state_hash(srv.db) == before


def test_a_barter_is_recorded_by_one_side_and_confirmed_by_the_other(srv, town):
    tok, h = town["tok"], town["h"]
    r = barter(srv, tok["m"], member=h["b"])
    assert r.status_code == 201, r.text
    b = r.json()
    assert (b["household"], b["member"], b["household_gives"], b["household_quantity"],
            b["other_gives"], b["recorded_by"], b["recorded_side"], b["confirmed_at"]) == (
        "millers", h["b"], "Eggs", 12, "A knitted scarf", h["m"], "household", None)
    before = settled_hash(srv)
    # neither who recorded it, nor the household's other member, nor a third
    for k in "mnx":
        error_of(srv.post(f"/api/v1/barters/{b['id']}/confirm", token=tok[k]), 403,
                 "forbidden", "barter")
    error_of(srv.post("/api/v1/barters/999999/confirm", token=tok["b"]), 404, "not_found",
             "barter")
    assert state_hash(srv.db) == before
    r = srv.post(f"/api/v1/barters/{b['id']}/confirm", token=tok["b"])
    assert r.status_code == 200, r.text
    assert (r.json()["confirmed_by"], r.json()["good"]) == (h["b"], None)
    error_of(srv.post(f"/api/v1/barters/{b['id']}/confirm", token=tok["b"]), 409,
             "conflict", "barter")
    # the member records; the household confirms
    # (cashews are not cash: money is refused as a word, not as letters)
    r = barter(srv, tok["b"], member=h["b"], household_gives="Cashew nuts",
               household_quantity=2, household_unit="jars", other_gives="Mended boots",
               other_unit="pair")
    assert r.status_code == 201, r.text
    assert r.json()["recorded_side"] == "other"
    error_of(srv.post(f"/api/v1/barters/{r.json()['id']}/confirm", token=tok["b"]), 403,
             "forbidden", "barter")
    r = srv.post(f"/api/v1/barters/{r.json()['id']}/confirm", token=tok["n"])
    assert r.status_code == 200 and r.json()["confirmed_by"] == h["n"], r.text


def test_what_an_enterprise_receives_by_barter_joins_the_register(srv, town):
    tok, h = town["tok"], town["h"]
    r = barter(srv, tok["n"], enterprise=town["bakery"], household_gives="Rye flour",
               household_quantity=20, household_unit="kg", other_gives="Oven time",
               other_quantity=3, other_unit="hours")
    assert r.status_code == 201, r.text
    b = r.json()
    r = srv.post(f"/api/v1/barters/{b['id']}/confirm", token=tok["b"])
    assert r.status_code == 200, r.text
    g = srv.get(f"/api/v1/goods/{r.json()['good']}").json()
    assert (g["name"], g["stock"], g["unit"], g["enterprise"], g["economy"]) == (
        "Rye flour", 20, "kg", town["bakery"], "coast")
    # more of it, into the same good
    before = settled_hash(srv)
    error_of(barter(srv, tok["n"], enterprise=town["bakery"], household_gives="Rye flour",
                    household_quantity=5, household_unit="kg", into_good=999999),
             404, "not_found", "into_good")
    error_of(barter(srv, tok["n"], member=h["b"], into_good=g["id"]), 400, "bad_input",
             "into_good")
    assert state_hash(srv.db) == before
    r = barter(srv, tok["b"], enterprise=town["bakery"], household_gives="Rye flour",
               household_quantity=5, household_unit="kg", other_gives="Oven time",
               other_quantity=1, other_unit="hour", into_good=g["id"])
    assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/barters/{r.json()['id']}/confirm", token=tok["m"])
    assert r.status_code == 200 and r.json()["good"] == g["id"], r.text
    assert srv.get(f"/api/v1/goods/{g['id']}").json()["stock"] == 25
    hh = srv.get("/api/v1/households/millers").json()
    assert len(hh["barters"]) == 4 and all(x["confirmed_at"] for x in hh["barters"])


def act(srv, barter_id, verb, tok):
    return srv.post(f"/api/v1/barters/{barter_id}/{verb}", token=tok)


def test_who_recorded_a_barter_never_confirms_it_even_on_both_sides(srv, town):
    """n, of the household, also works at the bakery (admitted by its
    decision, then joining by their own act): the barter n records
    between them stands on both sides, and still n neither confirms nor
    declines it; another of the bakery's members does."""
    tok, h = town["tok"], town["h"]
    d = decide(srv, town["bakery"], tok["f"], "admit_member", {"member": h["n"]},
               title="Admit n")
    assert d["status"] == "adopted", d
    r = srv.post(f"/api/v1/bodies/{town['bakery']}/members",
                 {"affirm": True, "basis": "works"}, token=tok["n"])
    assert r.status_code == 201, r.text
    r = barter(srv, tok["n"], enterprise=town["bakery"], household_gives="Honey",
               household_quantity=2, household_unit="jars", other_gives="Oven time",
               other_quantity=1, other_unit="hour")
    assert r.status_code == 201, r.text
    b = r.json()
    assert (b["recorded_by"], b["recorded_side"]) == (h["n"], "household")
    before = settled_hash(srv)  # the journal's length and every table
    for verb in ("confirm", "decline"):
        e = error_of(act(srv, b["id"], verb, tok["n"]), 403, "forbidden", "barter")
        assert "who recorded it" in e["message"], e
    assert state_hash(srv.db) == before
    assert srv.get(f"/api/v1/barters/{b['id']}").json()["confirmed_at"] is None
    r = act(srv, b["id"], "confirm", tok["f"])
    assert r.status_code == 200 and r.json()["confirmed_by"] == h["f"], r.text


def test_an_open_barter_is_withdrawn_by_its_side_or_declined_by_the_other(srv, town):
    tok, h = town["tok"], town["h"]
    mine = barter(srv, tok["m"], member=h["b"], household_gives="Pears",
                  household_unit="kg").json()
    theirs = barter(srv, tok["b"], member=h["b"], household_gives="Plums",
                    household_unit="kg").json()
    done = barter(srv, tok["m"], member=h["b"], household_gives="Quinces",
                  household_unit="kg").json()
    assert act(srv, done["id"], "confirm", tok["b"]).status_code == 200
    before = settled_hash(srv)  # the journal's length and every table
    # the wrong side, a third party, nobody signed in, no such barter
    for bid, verb, k, code in (
            (mine["id"], "withdraw", "b", (403, "forbidden", "barter")),
            (mine["id"], "withdraw", "x", (403, "forbidden", "barter")),
            (mine["id"], "decline", "m", (403, "forbidden", "barter")),
            (mine["id"], "decline", "n", (403, "forbidden", "barter")),
            (mine["id"], "decline", "x", (403, "forbidden", "barter")),
            (theirs["id"], "withdraw", "m", (403, "forbidden", "barter")),
            (theirs["id"], "withdraw", "n", (403, "forbidden", "barter")),
            (theirs["id"], "decline", "b", (403, "forbidden", "barter")),
            (999999, "withdraw", "m", (404, "not_found", "barter")),
            (999999, "decline", "b", (404, "not_found", "barter")),
            # confirmed: neither withdrawn nor declined
            (done["id"], "withdraw", "m", (409, "conflict", "barter")),
            (done["id"], "decline", "b", (409, "conflict", "barter"))):
        error_of(act(srv, bid, verb, tok[k]), *code)
    for verb in ("withdraw", "decline"):
        error_of(act(srv, mine["id"], verb, None), 401, "unauthenticated")
    assert state_hash(srv.db) == before
    # n withdraws what m recorded for their household; b declines the other
    r = act(srv, mine["id"], "withdraw", tok["n"])
    assert r.status_code == 200, r.text
    assert (r.json()["ended"], r.json()["ended_by"], r.json()["confirmed_at"]) == (
        "withdrawn", h["n"], None)
    r = act(srv, theirs["id"], "withdraw", tok["b"])
    assert r.status_code == 200 and r.json()["ended"] == "withdrawn", r.text
    declined = barter(srv, tok["b"], member=h["b"], household_gives="Figs",
                      household_unit="kg").json()
    r = act(srv, declined["id"], "decline", tok["m"])
    assert r.status_code == 200, r.text
    assert (r.json()["ended"], r.json()["ended_by"]) == ("declined", h["m"])
    # ended is ended: nothing more happens to it
    before = settled_hash(srv)  # the journal's length and every table
    for bid, k in ((mine["id"], "b"), (declined["id"], "n")):
        for verb, who in (("confirm", k), ("withdraw", "m"), ("withdraw", "b"),
                          ("decline", k)):
            error_of(act(srv, bid, verb, tok[who]), 409, "conflict", "barter")
    assert state_hash(srv.db) == before
    listed = {x["id"]: x["ended"] for x in
              srv.get("/api/v1/households/millers").json()["barters"]}
    assert (listed[mine["id"]], listed[theirs["id"]], listed[declined["id"]],
            listed[done["id"]]) == ("withdrawn", "withdrawn", "declined", None)


def test_mutual_aid_reaches_a_household_outside_the_economy(srv, town):
    tok, h = town["tok"], town["h"]
    d = decide(srv, town["local"], tok["f"], "grant_mutual_aid",
               {"good": town["bread"], "person": h["m"], "quantity": 2},
               title="Bread for the Millers", text="Their rye failed this year.")
    assert d["status"] == "adopted", d
    [t] = srv.get(f"/api/v1/people/{h['m']}/takes").json()["takes"]
    assert (t["good_name"], t["quantity"], t["mutual_aid"]) == ("Rye bread", 2, d["id"])
    # and the household's page shows it, beside its allotments and barters
    [x] = srv.get("/api/v1/households/millers").json()["mutual_aid"]
    assert (x["by"], x["good_name"], x["quantity"], x["unit"], x["units"],
            x["mutual_aid"]) == (h["m"], "Rye bread", 2, "loaf", "loaves", d["id"])


def test_the_command_line_reads_and_acts(srv, town):
    tok, h = town["tok"], town["h"]
    p = run("economy", "household", "millers", "--db", srv.db, check=0)
    assert "The Millers (millers): out of the sharing economy" in p.stdout, p.stdout
    assert "allotment" in p.stdout and "The south field" in p.stdout, p.stdout
    p = run("economy", "allotments", town["local"], "--db", srv.db, check=0)
    assert "The old forge" in p.stdout and "revoked" in p.stdout, p.stdout
    assert "are not bartered; nor Medicine, seed grain" in p.stdout, p.stdout
    p = run("economy", "barter", "--household", "millers", "--member", "@" + h["b"],
            "--household-gives", "Plums", "--household-quantity", "3",
            "--household-unit", "kg", "--other-gives", "A basket", "--other-quantity", "1",
            "--other-unit", "basket", "--token", tok["m"], "--db", srv.db, check=0)
    assert "waiting for the other side to confirm" in p.stdout, p.stdout
    bid = p.stdout.split()[1].rstrip(":")
    p = run("economy", "confirm", bid, "--token", tok["b"], "--db", srv.db, check=0)
    assert "confirmed" in p.stdout, p.stdout
    before = settled_hash(srv)
    p = run("economy", "barter", "--household", "millers", "--member", h["b"],
            "--household-gives", "Plums", "--household-quantity", "3",
            "--household-unit", "kg", "--other-gives", "Medicine", "--other-quantity", "1",
            "--other-unit", "box", "--token", tok["m"], "--db", srv.db, check=2)
    assert "terms of membership" in p.stderr, p.stderr
    # withdraw and decline, and their refusals (exit 2, nothing changed)
    ids = []
    for k in "mb":
        p = run("economy", "barter", "--household", "millers", "--member", h["b"],
                "--household-gives", "Plums", "--household-quantity", "3",
                "--household-unit", "kg", "--other-gives", "A basket",
                "--other-quantity", "1", "--other-unit", "basket", "--token", tok[k],
                "--db", srv.db, check=0)
        ids.append(p.stdout.split()[1].rstrip(":"))
    before = settled_hash(srv)
    def barter_cli(verb, bid, who, check):
        token = ("--token", tok[who]) if who else ()
        return run("economy", "barter", verb, bid, *token, "--db", srv.db, check=check)

    for verb, bid, who, words in (
            ("withdraw", ids[0], "b", "only the side that recorded a barter withdraws it"),
            ("decline", ids[1], "b", "only the other side declines a barter"),
            ("decline", "nine", "b", "ID is a barter's number"),
            ("withdraw", ids[0], None, "--token")):
        p = barter_cli(verb, bid, who, 2)
        assert words in p.stderr, p.stderr
    assert state_hash(srv.db) == before
    p = barter_cli("withdraw", ids[0], "m", 0)
    assert "withdrawn by the side that recorded it" in p.stdout, p.stdout
    p = barter_cli("decline", ids[1], "n", 0)
    assert "declined by the other side" in p.stdout, p.stdout
    p = barter_cli("decline", ids[1], "m", 2)
    assert "declined by the other side" in p.stderr, p.stderr
    before = settled_hash(srv)
    p = run("economy", "household", "--token", tok["n"], "--db", srv.db, "--json", check=0)
    assert json.loads(p.stdout)["household"]["slug"] == "millers"
    assert state_hash(srv.db) == before


def test_the_terms_of_every_assembly_a_member_belongs_to_bind_them(srv, town):
    """b is a member of Harbour (which refuses goods taken from the economy)
    and of Dale, which joins the economy and refuses tobacco: both terms
    are checked, not only the first."""
    tok, h = town["tok"], town["h"]
    d = decide(srv, town["dale"], tok["g"], "join_sharing_economy", {"economy": "coast"},
               title="Join the coast")
    assert d["status"] == "adopted", d
    join(srv, town["dale"], tok["b"])
    d = decide(srv, town["dale"], tok["g"], "set_barter_terms",
               {"taken_goods": "allowed", "classes": "Tobacco"}, title="No tobacco")
    assert d["status"] == "adopted", d
    before = settled_hash(srv)
    e = error_of(barter(srv, tok["m"], member=h["b"], other_gives="Tobacco leaves",
                        other_unit="bundle"), 409, "conflict", "other_gives")
    assert e["message"] == (f"the terms of membership of Dale (decision {d['id']}) say a"
                            " member does not barter Tobacco"), e
    assert state_hash(srv.db) == before
    d = decide(srv, town["dale"], tok["g"], "leave_sharing_economy", {}, title="Leave")
    assert d["status"] == "adopted", d
    # Dale's terms no longer bind: it left the economy
    r = barter(srv, tok["m"], member=h["b"], other_gives="Tobacco leaves",
               other_unit="bundle")
    assert r.status_code == 201, r.text


def test_replay_rebuilds_households_allotments_and_barter(srv, town):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j
    p = run("journal", "show", "--db", srv.db, check=0)
    for words in ("Household declared", "Household joined", "Barter recorded",
                  "Barter confirmed by the other side",
                  "Barter withdrawn by the side that recorded it",
                  "Barter declined by the other side"):
        assert words in p.stdout, words
