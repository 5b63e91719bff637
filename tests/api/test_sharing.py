"""The sharing economy: its register and taking freely (issue 16 items 1
and 2; src/gov/sharing; docs/sharing.md).

A local assembly joins a sharing economy by its own decision (the first
to name one founds it); the enterprises of its community in good standing
offer products, unique items and services to the register and keep their
stock up to date; a member of the assembly in good standing takes what is
not scarce, with nothing but a record (who, what, how much, when), and
an item taken is held until returned. People not in good standing, people
outside the economy's assemblies and people who opted out cannot take.
Every refusal is shown to change nothing; the replay rebuilds it all."""
import json
import os
import sys

import pytest

from conftest import (Server, assert_clean_exit, decide, error_of, run, settled_hash, state_hash,
                      verify_edited)
from sharing_town import ENT, build_town, found_enterprise

DAY = 86400

# the independent reimplementation of docs/sharing.md (tests/cli)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import sharing_ref  # noqa: E402
import sortition_ref  # noqa: E402


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("sharing")), init_args=("--controlled-clock",))
    yield s
    assert_clean_exit(*s.stop())


@pytest.fixture(scope="module")
def town(srv):
    """Harbour's local assembly (f founded it; b, c, d members) joined the
    sharing economy "coast"; its bakery (f, b) is in good standing, its
    school (d) on probation; Dale (g), another community, did not join;
    c has no enterprise and no basis yet."""
    town = build_town(srv, "fbcdg", "bcd")
    town["school"] = found_enterprise(srv, town["tok"]["d"], town["community"],
                                      "The School")
    return town


def test_an_assembly_joins_or_founds_a_sharing_economy_by_decision(srv, town):
    tok = town["tok"]
    assert srv.get("/api/v1/economies").json()["economies"] == []
    # naming a new economy without its name is refused at submission
    r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
        "kind": "join_sharing_economy", "title": "Join", "text": "",
        "params": {"economy": "coast"}}, token=tok["f"])
    error_of(r, 400, "missing_field", "params.name")
    d = decide(srv, town["local"], tok["f"], "join_sharing_economy",
               {"economy": "coast", "name": "The Coast Commons"}, title="Share")
    assert d["status"] == "adopted", d
    [e] = srv.get("/api/v1/economies").json()["economies"]
    assert (e["slug"], e["name"], e["goods"]) == ("coast", "The Coast Commons", 0)
    assert [a["slug"] for a in e["assemblies"]] == [town["local"]]
    assert e["assemblies"][0]["decision"] == d["id"]
    # one economy at a time
    r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
        "kind": "join_sharing_economy", "title": "Again", "text": "",
        "params": {"economy": "other", "name": "Other"}}, token=tok["f"])
    error_of(r, 409, "conflict", "params.economy")
    # the bakery is in good standing, the school on probation
    for ent, standing, extra in ((town["bakery"], "good", {}),
                                 (town["school"], "probation",
                                  {"must_change": "Open on Saturdays.",
                                   "review_by": srv_now(srv) + 90 * 86400})):
        d = decide(srv, town["local"], tok["f"], "decide_standing",
                   {"enterprise": ent, "standing": standing, **extra},
                   text="The record shows it.")
        assert d["status"] == "adopted", d


def srv_now(srv):
    import time
    return int(time.time())


def test_an_enterprise_in_good_standing_offers_goods(srv, town):
    tok = town["tok"]
    r = srv.post(f"{ENT}/{town['bakery']}/goods", {
        "kind": "product", "name": "Rye bread", "description": "Sourdough, baked at dawn.",
        "unit": "loaf", "units": "loaves", "stock": 40}, token=tok["b"])
    assert r.status_code == 201, r.text
    g = r.json()
    assert (g["kind"], g["name"], g["unit"], g["units"], g["stock"], g["enterprise"],
            g["economy"]) == ("product", "Rye bread", "loaf", "loaves", 40,
                              town["bakery"], "coast")
    town["bread"] = g["id"]
    r = srv.post(f"{ENT}/{town['bakery']}/goods", {
        "kind": "item", "name": "Cargo bike", "condition": "Good; new brakes.",
        "location": "Behind the bakehouse", "stock": 1}, token=tok["f"])
    assert r.status_code == 201, r.text
    bike = r.json()
    assert (bike["unit"], bike["units"], bike["holder"]) == ("item", "items", None)
    town["bike"] = bike["id"]
    r = srv.post(f"{ENT}/{town['bakery']}/goods", {
        "kind": "service", "name": "Oven time", "unit": "hour", "units": "hours",
        "stock": 6}, token=tok["b"])
    assert r.status_code == 201, r.text
    town["oven"] = r.json()["id"]
    # the register, with its filters
    reg = srv.get("/api/v1/economies/coast").json()
    assert [x["name"] for x in reg["goods"]] == ["Cargo bike", "Oven time", "Rye bread"]
    assert [x["name"] for x in srv.get("/api/v1/economies/coast?q=SOURDOUGH").json()[
        "goods"]] == ["Rye bread"]
    assert [x["name"] for x in srv.get("/api/v1/economies/coast?kind=service").json()[
        "goods"]] == ["Oven time"]
    assert srv.get(f"/api/v1/economies/coast?enterprise={town['school']}").json()[
        "goods"] == []
    error_of(srv.get("/api/v1/economies/coast?kind=money"), 400, "bad_input", "kind")
    # the enterprise keeps its stock up to date
    r = srv.request("PUT", f"/api/v1/goods/{town['bread']}/stock",
                    {"stock": 60, "note": "The second batch."}, token=tok["f"])
    assert r.status_code == 200, r.text
    g = r.json()
    assert g["stock"] == 60
    assert [(x["stock"], x["previous"], x["by"]) for x in g["stock_history"]] == [
        (60, 40, town["h"]["f"])]


def test_offer_refusals_change_nothing(srv, town):
    tok = town["tok"]
    before = settled_hash(srv)
    good = {"kind": "product", "name": "Flour", "unit": "kilogram", "units": "kilograms",
            "stock": 10}
    # no price, no money: a field that holds one is refused by name
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", {**good, "price": 3},
                      token=tok["b"]), 400, "unknown_field", "price")
    # a member of another enterprise
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", good, token=tok["d"]),
             403, "not_member", None)
    # an enterprise not in good standing
    error_of(srv.post(f"{ENT}/{town['school']}/goods", good, token=tok["d"]),
             403, "sharing_standing", "enterprise")
    # nobody signed in
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", good), 401, "unauthenticated", None)
    # bad input, each naming its field
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", {**good, "kind": "share"},
                      token=tok["b"]), 400, "bad_input", "kind")
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", {**good, "stock": -1},
                      token=tok["b"]), 400, "out_of_range", "stock")
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", {
        "kind": "product", "name": "Flour", "stock": 3}, token=tok["b"]),
        400, "missing_field", "unit")
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", {
        "kind": "item", "name": "Two bikes", "stock": 2}, token=tok["b"]),
        400, "out_of_range", "stock")
    error_of(srv.post(f"{ENT}/{town['bakery']}/goods", {**good, "condition": "Fine"},
                      token=tok["b"]), 400, "bad_input", "condition")
    # stock: only the enterprise's members, never an item's
    error_of(srv.request("PUT", f"/api/v1/goods/{town['bread']}/stock", {"stock": 1},
                         token=tok["c"]), 403, "not_member", None)
    error_of(srv.request("PUT", f"/api/v1/goods/{town['bike']}/stock", {"stock": 1},
                         token=tok["b"]), 409, "conflict", "stock")
    error_of(srv.request("PUT", "/api/v1/goods/999999/stock", {"stock": 1},
                         token=tok["b"]), 404, "not_found", None)
    assert state_hash(srv.db) == before
    # an enterprise whose assembly joined no economy (Dale's mill, once
    # its standing is good) is refused naming the enterprise
    d = decide(srv, town["dale"], tok["g"], "decide_standing",
               {"enterprise": town["mill"], "standing": "good"}, text="Fine.")
    assert d["status"] == "adopted", d
    before = settled_hash(srv)
    error_of(srv.post(f"{ENT}/{town['mill']}/goods", good, token=tok["g"]),
             403, "sharing_outside", "enterprise")
    assert state_hash(srv.db) == before


def test_a_member_in_good_standing_takes_freely(srv, town):
    tok, h = town["tok"], town["h"]
    # b works at the bakery, in good standing: b's standing follows it
    r = srv.post(f"/api/v1/goods/{town['bread']}/takes", {"quantity": 2}, token=tok["b"])
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["good"], t["quantity"], t["by"], t["on_behalf"], t["unit"], t["units"]) == \
        (town["bread"], 2, h["b"], None, "loaf", "loaves")
    assert srv.get(f"/api/v1/goods/{town['bread']}").json()["stock"] == 58
    # c recorded a basis (retired): in good standing
    r = srv.request("PUT", "/api/v1/me/standing-basis", {"basis": "retired"},
                    token=tok["c"])
    assert r.status_code == 200, r.text
    me = srv.get("/api/v1/me/sharing", token=tok["c"]).json()
    assert (me["may_take"], me["standing"], me["economy"]["slug"]) == (True, "good", "coast")
    r = srv.post(f"/api/v1/goods/{town['oven']}/takes", {"quantity": 3}, token=tok["c"])
    assert r.status_code == 201, r.text
    # for an enterprise: the bakery takes oven time... of its own? the
    # school is on probation, so f takes bread for the bakery
    r = srv.post(f"/api/v1/goods/{town['bread']}/takes",
                 {"quantity": 10, "on_behalf": town["bakery"]}, token=tok["f"])
    assert r.status_code == 201, r.text
    assert (r.json()["on_behalf"], r.json()["on_behalf_name"]) == (town["bakery"],
                                                                   "The Bakery")
    # an item is held by whoever took it, until they return it
    r = srv.post(f"/api/v1/goods/{town['bike']}/takes", {"quantity": 1}, token=tok["c"])
    assert r.status_code == 201, r.text
    bike = srv.get(f"/api/v1/goods/{town['bike']}").json()
    assert (bike["holder"], bike["stock"]) == (h["c"], 0)
    r = srv.post(f"/api/v1/goods/{town['bike']}/takes", {"quantity": 1}, token=tok["b"])
    error_of(r, 409, "conflict", "quantity")
    error_of(srv.post(f"/api/v1/goods/{town['bike']}/return", token=tok["b"]),
             403, "forbidden", None)
    r = srv.post(f"/api/v1/goods/{town['bike']}/return", token=tok["c"])
    assert r.status_code == 200, r.text
    assert (r.json()["holder"], r.json()["stock"]) == (None, 1)
    # the record: who, what, how much, when
    mine = srv.get("/api/v1/me/sharing", token=tok["c"]).json()["takes"]
    assert [(x["good_name"], x["quantity"], x["returned_at"] is not None)
            for x in mine] == [("Cargo bike", 1, True), ("Oven time", 3, False)]
    theirs = srv.get(f"/api/v1/people/{h['b']}/takes").json()["takes"]
    assert [(x["good_name"], x["quantity"]) for x in theirs] == [("Rye bread", 2)]
    reg = srv.get("/api/v1/economies/coast").json()
    assert len(reg["takes"]) == 4
    assert reg["takes"][0]["by"] == h["c"]


def test_take_refusals_change_nothing(srv, town):
    tok, h = town["tok"], town["h"]
    bread = f"/api/v1/goods/{town['bread']}/takes"
    before = settled_hash(srv)
    # d works only at the school, on probation: not in good standing
    error_of(srv.post(bread, {"quantity": 1}, token=tok["d"]), 403, "sharing_standing",
             None)
    me = srv.get("/api/v1/me/sharing", token=tok["d"]).json()
    assert (me["may_take"], me["why_not"], me["standing"]) == (False, "sharing_standing",
                                                               "probation")
    # for an enterprise not in good standing
    error_of(srv.post(bread, {"quantity": 1, "on_behalf": town["school"]}, token=tok["d"]),
             403, "sharing_standing", "on_behalf")
    # for an enterprise one does not work in
    error_of(srv.post(bread, {"quantity": 1, "on_behalf": town["school"]}, token=tok["b"]),
             403, "not_member", "on_behalf")
    # g's assembly did not join this economy
    error_of(srv.post(bread, {"quantity": 1}, token=tok["g"]), 403, "sharing_outside", None)
    # more than there is; not a whole item; bad numbers
    error_of(srv.post(bread, {"quantity": 1000}, token=tok["b"]), 409, "conflict",
             "quantity")
    error_of(srv.post(f"/api/v1/goods/{town['bike']}/takes", {"quantity": 2},
                      token=tok["b"]), 400, "out_of_range", "quantity")
    error_of(srv.post(bread, {"quantity": 0}, token=tok["b"]), 400, "out_of_range",
             "quantity")
    error_of(srv.post(bread, {"quantity": 1, "price": 2}, token=tok["b"]), 400,
             "unknown_field", "price")
    error_of(srv.post(bread, {"quantity": 1}), 401, "unauthenticated", None)
    error_of(srv.post("/api/v1/goods/999999/takes", {"quantity": 1}, token=tok["b"]),
             404, "not_found", None)
    # only an item is returned, by whoever holds it
    error_of(srv.post(f"/api/v1/goods/{town['bread']}/return", token=tok["b"]),
             409, "conflict", None)
    error_of(srv.post(f"/api/v1/goods/{town['bike']}/return", token=tok["b"]),
             403, "forbidden", None)
    assert state_hash(srv.db) == before
    # b opts out, by their own act: then b cannot take, until back in
    r = srv.request("PUT", "/api/v1/me/sharing", {"opted_out": True}, token=tok["b"])
    assert r.status_code == 200, r.text
    assert (r.json()["opted_out"], r.json()["why_not"]) == (True, "sharing_opted_out")
    before = settled_hash(srv)
    error_of(srv.post(bread, {"quantity": 1}, token=tok["b"]), 403, "sharing_opted_out",
             None)
    error_of(srv.request("PUT", "/api/v1/me/sharing", {"opted_out": True}, token=tok["b"]),
             409, "conflict", "opted_out")
    error_of(srv.request("PUT", "/api/v1/me/sharing", {}, token=tok["b"]),
             400, "missing_field", "opted_out")
    assert state_hash(srv.db) == before
    r = srv.request("PUT", "/api/v1/me/sharing", {"opted_out": False}, token=tok["b"])
    assert r.status_code == 200 and r.json()["may_take"], r.text
    r = srv.post(bread, {"quantity": 1}, token=tok["b"])
    assert r.status_code == 201, r.text
    assert h["b"] == r.json()["by"]


def test_scarcity_is_declared_and_lifted_by_the_assembly(srv, town):
    tok = town["tok"]
    oven = f"/api/v1/goods/{town['oven']}"
    # a policy set by anyone but the local assembly is refused: the
    # bakery (an enterprise) cannot decide it, nor Dale for Harbour's good
    r = srv.post(f"/api/v1/bodies/{town['bakery']}/motions", {
        "kind": "declare_scarce", "title": "Ours", "text": "Few hours.",
        "params": {"good": town["oven"], "categories": "Everyone", "cap": 1,
                   "round_days": 7}}, token=tok["b"])
    assert r.status_code == 403, r.text
    r = srv.post(f"/api/v1/bodies/{town['dale']}/motions", {
        "kind": "declare_scarce", "title": "Theirs", "text": "Few hours.",
        "params": {"good": town["oven"], "categories": "Everyone", "cap": 1,
                   "round_days": 7}}, token=tok["g"])
    error_of(r, 403, "forbidden", "params.good")
    for cats, code, field in (("Medical: 60; Families: 50", "out_of_range",
                               "params.categories"),
                              ("Medical: lots", "bad_input", "params.categories"),
                              ("A; A", "bad_input", "params.categories"),
                              (";", "bad_input", "params.categories")):
        r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
            "kind": "declare_scarce", "title": "Scarce", "text": "Few hours.",
            "params": {"good": town["oven"], "categories": cats, "cap": 1,
                       "round_days": 7}}, token=tok["f"])
        error_of(r, 400 if code != "forbidden" else 403, code, field)
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        "good": town["oven"], "categories": "Medical need: 30; Families with children: 20;"
        " Everyone", "cap": 2, "round_days": 7}, title="Oven time is scarce",
        text="The winter baking.")
    assert d["status"] == "adopted", d
    g = srv.get(oven).json()
    assert g["scarce"] is True
    p = g["policy"]
    assert (p["decision"], p["cap"], p["round_days"], p["assembly"]) == (
        d["id"], 2, 7, town["local"])
    assert p["categories"] == [{"name": "Medical need", "share": 30},
                               {"name": "Families with children", "share": 20},
                               {"name": "Everyone", "share": 0}]
    assert [x["scarce"] for x in srv.get("/api/v1/economies/coast?kind=service"
                                         ).json()["goods"]] == [True]
    # taking a scarce good outside a round is refused, changing nothing
    before = settled_hash(srv)
    error_of(srv.post(f"{oven}/takes", {"quantity": 1}, token=tok["c"]), 409,
             "sharing_scarce", None)
    r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
        "kind": "declare_scarce", "title": "Again", "text": "x",
        "params": {"good": town["oven"], "categories": "Everyone", "cap": 0,
                   "round_days": 7}}, token=tok["f"])
    error_of(r, 409, "conflict", "params.good")
    assert state_hash(srv.db) == before
    # lifted by decision: taken freely again
    d = decide(srv, town["local"], tok["f"], "lift_scarcity", {"good": town["oven"]},
               title="Enough oven time")
    assert d["status"] == "adopted", d
    g = srv.get(oven).json()
    assert (g["scarce"], g["policy"], g["policies"][0]["lifted_by"]) == (False, None, d["id"])
    r = srv.post(f"{oven}/takes", {"quantity": 1}, token=tok["c"])
    assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
        "kind": "lift_scarcity", "title": "Lift again", "text": "",
        "params": {"good": town["oven"]}}, token=tok["f"])
    error_of(r, 409, "conflict", "params.good")


def verify_round(rec):
    """Recompute a round from its published record alone, as docs/sharing.md
    says anyone can: the commitment, the seed from the named source, every
    allocation and place, and the result's hash."""
    g = {"id": str(rec["good"]), "kind": rec["kind"], "supply": rec["supply"],
         "share_den": 100, "categories": [(c["share"], rec["cap"]) for c in rec["categories"]],
         "flow": list(range(len(rec["categories"]))),
         "requests": [(bytes.fromhex(q["leaf"]), q["category"], q["amount"])
                      for q in rec["requests"]]}
    commitment = sharing_ref.round_commit([sharing_ref.good_hash(g)])
    assert commitment.hex() == rec["commitment"]
    seed = (sortition_ref.seed_of(commitment, rec["source"]) if rec["kind"] == "units"
            else bytes(32))
    figs, out = sharing_ref.allocate(g, seed)
    for q in rec["requests"]:
        a, place = out[bytes.fromhex(q["leaf"])]
        assert (q["num"], q["den"], q["place"]) == (a.numerator, a.denominator, place), q
    for f, mine in zip(figs, rec["figures"]):
        assert (f["reserve"], f["demand"], f["total"]) == (
            mine["reserve"], mine["demand"], mine["total"])
    assert sharing_ref.result_hash(g, figs, out).hex() == rec["result_hash"]


def test_a_scarce_good_is_shared_in_rounds_by_need_then_equally_or_by_lot(srv, town,
                                                                          tmp_path):
    tok, h = town["tok"], town["h"]
    offer = {"kind": "product", "name": "Flour", "unit": "kilogram", "units": "kilograms",
             "stock": 10}
    r = srv.post(f"{ENT}/{town['bakery']}/goods", offer, token=tok["b"])
    assert r.status_code == 201, r.text
    flour = r.json()["id"]
    # not scarce: nothing to request, it is taken freely
    error_of(srv.post(f"/api/v1/goods/{flour}/requests",
                      {"category": "Everyone", "amount": 1}, token=tok["c"]),
             409, "conflict", None)
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        "good": flour, "categories": "Medical need: 30; Everyone", "cap": 0,
        "round_days": 7}, title="Flour is scarce", text="The mill flooded.")
    assert d["status"] == "adopted", d
    [rnd] = srv.get(f"/api/v1/goods/{flour}").json()["rounds"]
    assert (rnd["state"], rnd["requests"]) == ("open", 0)
    town["flour"], town["flour_round"] = flour, rnd["id"]
    req = f"/api/v1/goods/{flour}/requests"
    receipts = {}
    for who, cat, amount in (("c", "Medical need", 2), ("b", "Everyone", 5),
                             ("f", "Everyone", 5)):
        r = srv.post(req, {"category": cat, "amount": amount}, token=tok[who])
        assert r.status_code == 201, r.text
        receipts[who] = r.json()
    # the receipt: the leaf is the hash of the handle and the salt
    c = receipts["c"]
    assert sortition_ref.leaf(h["c"], bytes.fromhex(c["salt"])).hex() == c["leaf"]
    before = settled_hash(srv)
    error_of(srv.post(req, {"category": "Everyone", "amount": 1}, token=tok["c"]),
             409, "conflict", None)  # one request a round
    error_of(srv.post(req, {"category": "Pets", "amount": 1}, token=tok["c"]),
             404, "not_found", "category")
    error_of(srv.post(req, {"category": "Everyone", "amount": 0}, token=tok["c"]),
             400, "out_of_range", "amount")
    e = error_of(srv.post(req, {"category": "Everyone", "amount": 10 ** 13},
                          token=tok["c"]), 400, "out_of_range", "amount")
    assert "1000000000000" in e["message"], e
    error_of(srv.post(req, {"category": "Everyone", "amount": 1}, token=tok["d"]),
             403, "sharing_standing", None)
    error_of(srv.post(req, {"category": "Everyone", "amount": 1}, token=tok["g"]),
             403, "sharing_outside", None)
    error_of(srv.post(f"/api/v1/goods/{flour}/takes", {"quantity": 1}, token=tok["c"]),
             409, "sharing_scarce", None)
    # closed on its date, not before, and only by the assembly's members
    close = f"/api/v1/rounds/{rnd['id']}/close"
    error_of(srv.post(close, token=tok["c"]), 409, "conflict", None)
    assert state_hash(srv.db) == before
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    before = settled_hash(srv)
    error_of(srv.post(close, token=tok["g"]), 403, "not_member", None)
    error_of(srv.post(f"/api/v1/rounds/{rnd['id']}/draw", {"source": "dice:1"},
                      token=tok["c"]), 409, "conflict", None)
    assert state_hash(srv.db) == before
    r = srv.post(close, token=tok["c"])
    assert r.status_code == 200, r.text
    rec = r.json()
    # flour is divisible: allocated at once, by need, then equal shares
    assert (rec["state"], rec["supply"], rec["kind"]) == ("allocated", 10, "divisible")
    assert [(f["reserve"], f["demand"], f["total"]) for f in rec["figures"]] == [
        (3, 2, 2), (0, 10, 8)]
    got = {q["leaf"]: (q["num"], q["den"]) for q in rec["requests"]}
    assert got == {receipts["c"]["leaf"]: (2, 1), receipts["b"]["leaf"]: (4, 1),
                   receipts["f"]["leaf"]: (4, 1)}
    verify_round(rec)
    # pnyx verify round: from the published record alone, with a receipt
    f = tmp_path / "round.json"
    f.write_text(json.dumps(rec))
    p = run("verify", "round", f, "--receipt", h["c"], "--salt", c["salt"], check=0)
    assert "verified: round" in p.stdout and "received 2/1" in p.stdout, p.stdout
    forged = json.loads(json.dumps(rec))
    for q in forged["requests"]:
        if q["num"] == 4:
            q["num"] = 5
            break
    f.write_text(json.dumps(forged))
    p = run("verify", "round", f, "--json", check=1)
    assert json.loads(p.stdout)["verified"] is False, p.stdout
    # the record names nobody; each finds their own request with the receipt
    assert h["c"] not in json.dumps(srv.get(f"/api/v1/rounds/{rnd['id']}").json())
    mine = [q for q in srv.get(f"/api/v1/rounds/{rnd['id']}", token=tok["c"]).json()[
        "requests"] if q.get("mine")]
    assert [(q["num"], q["salt"]) for q in mine] == [(2, c["salt"])]
    g = srv.get(f"/api/v1/goods/{flour}").json()
    assert g["stock"] == 0
    assert [x["state"] for x in g["rounds"]] == ["open", "allocated"]
    # an allocation is never changed after publication
    before = settled_hash(srv)
    error_of(srv.post(close, token=tok["c"]), 409, "conflict", None)
    error_of(srv.post(f"/api/v1/rounds/{rnd['id']}/draw", {"source": "dice:6"},
                      token=tok["c"]), 409, "conflict", None)
    assert state_hash(srv.db) == before

    # a unique item by lot: the bike, asked for by three
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        "good": town["bike"], "categories": "Everyone", "cap": 1, "round_days": 7,
        "loan_days": 7},
        title="The bike is scarce", text="Everyone wants it.")
    assert d["status"] == "adopted", d
    [bike_round] = srv.get(f"/api/v1/goods/{town['bike']}").json()["rounds"]
    for who in "bcf":
        r = srv.post(f"/api/v1/goods/{town['bike']}/requests",
                     {"category": "Everyone", "amount": 1}, token=tok[who])
        assert r.status_code == 201, r.text
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 7 * DAY) == 1
    r = srv.post(f"/api/v1/rounds/{bike_round['id']}/close", token=tok["b"])
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["result_hash"]) == ("waiting_for_seed", None)
    error_of(srv.post(f"/api/v1/rounds/{bike_round['id']}/draw", {"source": ""},
                      token=tok["b"]), 400, "out_of_range", "source")
    r = srv.post(f"/api/v1/rounds/{bike_round['id']}/draw",
                 {"source": "dice:3,1,4,1,5,9"}, token=tok["b"])
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["state"] == "allocated" and rec["source"] == "dice:3,1,4,1,5,9"
    assert sorted(q["place"] for q in rec["requests"]) == [1, 2, 3]
    assert sorted(q["num"] for q in rec["requests"]) == [0, 0, 1]
    verify_round(rec)
    f.write_text(json.dumps(rec))
    run("verify", "round", f, check=0)
    winner = next(q["leaf"] for q in rec["requests"] if q["num"] == 1)
    bike = srv.get(f"/api/v1/goods/{town['bike']}").json()
    holder = next(k for k in "bcf" if k == [
        x for x in "bcf" if srv.get(f"/api/v1/rounds/{bike_round['id']}",
                                    token=tok[x]).json()["requests"]
        and any(q.get("mine") and q["leaf"] == winner for q in srv.get(
            f"/api/v1/rounds/{bike_round['id']}", token=tok[x]).json()["requests"])][0])
    assert (bike["holder"], bike["stock"]) == (h[holder], 0)
    drawn_at = srv.get(f"/api/v1/rounds/{bike_round['id']}").json()["allocated_at"]
    assert bike["due_at"] == drawn_at + 7 * DAY
    # lent for a week: renewed while nobody else asked, not once someone has
    other = next(k for k in "bcf" if k != holder)
    renew = f"/api/v1/goods/{town['bike']}/renew"
    error_of(srv.post(renew, token=tok[other]), 403, "forbidden", None)
    r = srv.post(renew, token=tok[holder])
    assert r.status_code == 200 and r.json()["due_at"] == drawn_at + 14 * DAY, r.text
    r = srv.post(f"/api/v1/goods/{town['bike']}/requests",
                 {"category": "Everyone", "amount": 1}, token=tok[other])
    assert r.status_code == 201, r.text
    before = settled_hash(srv)
    error_of(srv.post(renew, token=tok[holder]), 409, "conflict", None)
    assert state_hash(srv.db) == before
    # overdue: the holder is lent no other item until the bike is back
    r = srv.post(f"{ENT}/{town['bakery']}/goods", {"kind": "item", "name": "Ladder",
                                                   "stock": 1}, token=tok["b"])
    assert r.status_code == 201, r.text
    ladder = r.json()["id"]
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", 14 * DAY) == 1
    before = settled_hash(srv)
    r = srv.post(f"/api/v1/goods/{ladder}/takes", {"quantity": 1}, token=tok[holder])
    e = error_of(r, 409, "conflict", None)
    assert "Cargo bike" in e["message"] and "overdue" in e["message"], e
    assert state_hash(srv.db) == before
    r = srv.post(f"/api/v1/goods/{town['bike']}/return", token=tok[holder])
    assert r.status_code == 200 and r.json()["due_at"] is None, r.text
    # its loan history: won in the round, renewed once, returned late
    loan = srv.get(f"/api/v1/goods/{town['bike']}/loans").json()["loans"][0]
    assert (loan["holder"], loan["how"], loan["round"], loan["from"], loan["due_at"],
            loan["renewals"], loan["open"], loan["late"]) == (
        h[holder], "round", bike_round["id"], drawn_at, drawn_at + 14 * DAY, 1, False,
        True), loan
    r = srv.post(f"/api/v1/goods/{ladder}/takes", {"quantity": 1}, token=tok[holder])
    assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/goods/{ladder}/return", token=tok[holder])
    assert r.status_code == 200, r.text
    d = decide(srv, town["local"], tok["f"], "lift_scarcity", {"good": town["bike"]},
               title="Enough bikes")
    assert d["status"] == "adopted", d
    d = decide(srv, town["local"], tok["f"], "lift_scarcity", {"good": flour},
               title="The mill works again")
    assert d["status"] == "adopted", d


def test_the_assembly_provides_for_someone_outside_by_mutual_aid(srv, town):
    tok, h = town["tok"], town["h"]
    bread = srv.get(f"/api/v1/goods/{town['bread']}").json()
    # d is not in good standing: cannot take, but the assembly provides
    before = settled_hash(srv)
    for params, code, field in (
            ({"good": town["bread"], "person": h["d"], "quantity": bread["stock"] + 1},
             (409, "conflict"), "params.quantity"),
            ({"good": 999999, "person": h["d"], "quantity": 1}, (404, "not_found"),
             "params.good"),
            ({"good": town["bread"], "person": "nobody", "quantity": 1},
             (404, "not_found"), "params.person")):
        r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
            "kind": "grant_mutual_aid", "title": "Aid", "text": "In need.",
            "params": params}, token=tok["f"])
        error_of(r, *code, field)
    # only a local assembly grants it: an enterprise cannot
    r = srv.post(f"/api/v1/bodies/{town['bakery']}/motions", {
        "kind": "grant_mutual_aid", "title": "Aid", "text": "In need.",
        "params": {"good": town["bread"], "person": h["d"], "quantity": 1}}, token=tok["b"])
    assert r.status_code == 403, r.text
    assert state_hash(srv.db) == before
    d = decide(srv, town["local"], tok["f"], "grant_mutual_aid",
               {"good": town["bread"], "person": h["d"], "quantity": 3},
               title="Bread for the school's teacher", text="Her enterprise is on probation.")
    assert d["status"] == "adopted", d
    [t] = srv.get(f"/api/v1/people/{h['d']}/takes").json()["takes"]
    assert (t["good"], t["quantity"], t["mutual_aid"]) == (town["bread"], 3, d["id"])
    assert srv.get(f"/api/v1/goods/{town['bread']}").json()["stock"] == bread["stock"] - 3


def test_leaving_the_economy_by_decision(srv, town):
    tok = town["tok"]
    d = decide(srv, town["dale"], tok["g"], "join_sharing_economy",
               {"economy": "coast"}, title="Join the coast")
    assert d["status"] == "adopted", d
    e = srv.get("/api/v1/economies/coast").json()
    assert sorted(a["slug"] for a in e["assemblies"]) == sorted([town["local"], town["dale"]])
    d = decide(srv, town["dale"], tok["g"], "leave_sharing_economy", {}, title="Leave")
    assert d["status"] == "adopted", d
    e = srv.get("/api/v1/economies/coast").json()
    assert [a["slug"] for a in e["assemblies"]] == [town["local"]]
    r = srv.post(f"/api/v1/bodies/{town['dale']}/motions", {
        "kind": "leave_sharing_economy", "title": "Leave again", "text": ""},
        token=tok["g"])
    error_of(r, 409, "conflict", "kind")


def test_the_command_line_reads_and_acts(srv, town):
    p = run("economy", "--db", srv.db, check=0)
    assert "The Coast Commons (coast): 5 goods offered" in p.stdout, p.stdout
    p = run("economy", "coast", "--search", "bread", "--db", srv.db, check=0)
    assert "Rye bread" in p.stdout and "44 loaves in stock" in p.stdout, p.stdout
    assert "(coast): 1 good listed" in p.stdout, p.stdout
    p = run("economy", "good", str(town["oven"]), "--db", srv.db, check=0)
    assert "3 hours of Oven time" in p.stdout, p.stdout
    p = run("economy", "takes", "@" + town["h"]["c"], "--db", srv.db, "--json", check=0)
    # (the ladder too, when the lot lent c the bike: only the oven's here)
    assert [x["quantity"] for x in json.loads(p.stdout)["takes"]
            if x["good"] == town["oven"]] == [1, 3]
    # a take as a person, with their token; a refusal is a message and exit 2
    p = run("economy", "take", str(town["bread"]), "--quantity", "1", "--token",
            town["tok"]["c"], "--db", srv.db, check=0)
    assert "took 1 loaf of Rye bread" in p.stdout, p.stdout
    before = settled_hash(srv)
    p = run("economy", "take", str(town["bread"]), "--token", town["tok"]["d"],
            "--db", srv.db, check=2)
    assert "good standing" in p.stderr, p.stderr
    p = run("economy", "take", "x", "--token", town["tok"]["c"], "--db", srv.db, check=2)
    # a round, as the command line shows it; a request where no round is open
    p = run("economy", "round", town["flour_round"], "--db", srv.db, check=0)
    assert "of Flour: allocated" in p.stdout and \
        "Medical need: reserved 3, asked 2, received 2" in p.stdout, p.stdout
    p = run("economy", "request", town["bread"], "--category", "Everyone", "--token",
            town["tok"]["c"], "--db", srv.db)
    assert p.returncode != 0 and "not scarce" in p.stderr, (p.returncode, p.stderr)
    assert state_hash(srv.db) == before


def test_replay_rebuilds_the_sharing_economy(srv, town, tmp_path):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j
    # an allocation changed after publication is caught and named
    copy = str(tmp_path / "edited.db")
    run("backup", "--db", srv.db, copy, check=0)
    for sql, table, column in (
            ("UPDATE round_allocations SET num = num + 1 WHERE num > 0",
             "round_allocations", "num"),
            ("UPDATE rounds SET source = 'dice:6' WHERE source IS NOT NULL", "rounds",
             "source")):
        d = verify_edited(copy, str(tmp_path / (table + ".db")), sql)["state"]["difference"]
        assert (d["table"], d["column"]) == (table, column), d
    p = run("journal", "show", "--db", srv.db, check=0)
    for words in ("Good offered to the sharing economy", "Taken freely from the sharing"
                  " economy", "Item returned to the sharing economy",
                  "Stock of a good updated by its enterprise",
                  "Opted out of the sharing economy, or back in"):
        assert words in p.stdout, words
