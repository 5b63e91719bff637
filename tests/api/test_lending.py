"""Lending single items, completed (issue 16 item 5; src/gov/sharing/lending.c;
docs/sharing.md "Lending a scarce item for a time").

A unique item won in a round waits for its winner (a hold) for the
policy's collect_days; not collected by then, the server's clock expires
the hold (a journal entry of its own) and it passes to the next by the
round's lottery order. A returned item rests buffer_days before it is lent
again. The holder is reminded a day before the return date and on it; the
person an item waits for, when it is ready and a day before the hold
expires. Time moves by the controlled clock; the server's clock runs every
second (--tick 1), so each deadline is awaited with a deadline, never a
sleep. Replay rebuilds it all."""
import json
import time

import pytest

from conftest import (RULES, SETTLED_AT_CURSOR, Server, assert_clean_exit, decide, error_of,
                      join, run, schedule_now, settled_hash, state_hash)

ENT = "/api/v1/enterprises"
DAY = 86400


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(str(tmp_path_factory.mktemp("lending")), ("--tick", "1"),
               init_args=("--controlled-clock",))
    # what the clock brings is awaited by until(), never by settling
    s.settle_at_cursor = SETTLED_AT_CURSOR
    yield s
    assert_clean_exit(*s.stop())


def until(what, fn, timeout=20):
    """fn() once it is truthy, polled with a deadline."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        assert time.time() < deadline, "never came: " + what
        time.sleep(0.1)


def advance(srv, seconds):
    assert srv.sql("UPDATE sim_clock SET offset = offset + ?", seconds) == 1


def notes(srv, tok):
    r = srv.get("/api/v1/me/notifications", token=tok)
    assert r.status_code == 200, r.text
    return [n["text"] for n in r.json()["notifications"]]


@pytest.fixture(scope="module")
def town(srv):
    """Harbour's assembly (f founded it; b, c, e members, each in good
    standing by a recorded basis) joined the economy "bay"; its workshop
    (f) in good standing offers a cargo bike and a lathe (items) and
    flour (a product)."""
    people = {k: srv.user() for k in "fbce"}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    comm = srv.add_community()
    r = srv.found(tok["f"], community=comm, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    local = r.json()["slug"]
    for k in "bce":
        join(srv, local, tok[k])
    r = srv.post(ENT, {"name": "The Workshop", "community": comm,
                       "purpose": "Tools, run by those who work in it.",
                       "provides": "Tools", "rule": RULES, "schedule": schedule_now(),
                       "founders": []}, token=tok["f"])
    assert r.status_code == 201, r.text
    shop = r.json()["slug"]
    d = decide(srv, local, tok["f"], "join_sharing_economy",
               {"economy": "bay", "name": "The Bay Commons"}, title="Share")
    assert d["status"] == "adopted", d
    d = decide(srv, local, tok["f"], "decide_standing",
               {"enterprise": shop, "standing": "good"}, text="The record shows it.")
    assert d["status"] == "adopted", d
    for k in "fbce":
        r = srv.request("PUT", "/api/v1/me/standing-basis", {"basis": "retired"},
                        token=tok[k])
        assert r.status_code == 200, r.text
    d = decide(srv, local, tok["f"], "decide_standing",
               {"person": h["e"], "standing": "good"}, text="Cares for the garden.")
    assert d["status"] == "adopted", d
    goods = {}
    for key, offer in (("bike", {"kind": "item", "name": "Cargo bike", "stock": 1}),
                       ("lathe", {"kind": "item", "name": "Lathe", "stock": 1}),
                       ("flour", {"kind": "product", "name": "Flour", "unit": "kilogram",
                                  "units": "kilograms", "stock": 5})):
        r = srv.post(f"{ENT}/{shop}/goods", offer, token=tok["f"])
        assert r.status_code == 201, r.text
        goods[key] = r.json()["id"]
    return {"tok": tok, "h": h, "local": local, "shop": shop, **goods}


def test_lending_terms_are_validated_naming_the_field(srv, town):
    tok = town["tok"]
    before = settled_hash(srv)
    base = {"categories": "Everyone", "cap": 1, "round_days": 7, "loan_days": 7}
    for params, status, code, field in (
            ({"good": town["flour"], "collect_days": 2}, 400, "bad_input",
             "params.collect_days"),
            ({"good": town["flour"], "buffer_days": 1}, 400, "bad_input",
             "params.buffer_days"),
            ({"good": town["bike"], "collect_days": 31}, 400, "out_of_range",
             "params.collect_days"),
            ({"good": town["bike"], "buffer_days": -1}, 400, "out_of_range",
             "params.buffer_days"),
            ({"good": town["bike"], "buffer_days": "a day"}, 400, "bad_type",
             "params.buffer_days")):
        r = srv.post(f"/api/v1/bodies/{town['local']}/motions", {
            "kind": "declare_scarce", "title": "Scarce", "text": "Few.",
            "params": {**base, **({"loan_days": 0} if params["good"] == town["flour"]
                                  else {}), **params}}, token=tok["f"])
        error_of(r, status, code, field)
    assert state_hash(srv.db) == before


def round_places(srv, rnd, tok):
    """Each person's place in the round, read from their own receipts."""
    places = {}
    for k, t in tok.items():
        for q in srv.get(f"/api/v1/rounds/{rnd}", token=t).json()["requests"]:
            if q.get("mine"):
                places[k] = (q["category"], q["place"], q["num"])
    return places


def test_a_hold_not_collected_expires_and_passes_to_the_next_by_lot(srv, town):
    tok, h = town["tok"], town["h"]
    bike = f"/api/v1/goods/{town['bike']}"
    d = decide(srv, town["local"], tok["f"], "declare_scarce", {
        "good": town["bike"], "categories": "Everyone", "cap": 1, "round_days": 7,
        "loan_days": 7, "collect_days": 2, "buffer_days": 1},
        title="The bike is scarce", text="Everyone wants it.")
    assert d["status"] == "adopted", d
    g = srv.get(bike).json()
    assert (g["policy"]["collect_days"], g["policy"]["buffer_days"],
            g["policy"]["loan_days"]) == (2, 1, 7)
    [rnd] = g["rounds"]
    for k in "bce":
        r = srv.post(f"{bike}/requests", {"category": "Everyone", "amount": 1},
                     token=tok[k])
        assert r.status_code == 201, r.text
    advance(srv, 7 * DAY)
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/close", token=tok["f"])
    assert r.status_code == 200, r.text
    r = srv.post(f"/api/v1/rounds/{rnd['id']}/draw", {"source": "dice:2,7,1,8"},
                 token=tok["f"])
    assert r.status_code == 200, r.text
    drawn = r.json()["allocated_at"]
    places = round_places(srv, rnd["id"], {k: tok[k] for k in "bce"})
    order = sorted("bce", key=lambda k: places[k][:2])
    first, second, third = order
    assert places[first][2] == 1
    # won, the bike waits for its winner: nobody holds it yet
    g = srv.get(bike).json()
    assert (g["holder"], g["stock"]) == (None, 0)
    assert (g["hold"]["for"], g["hold"]["since"], g["hold"]["until"], g["hold"]["ready"]) == (
        h[first], drawn, drawn + 2 * DAY, True)
    # only the winner collects it; nothing changes for anyone else
    before = settled_hash(srv)
    error_of(srv.post(f"{bike}/collect", token=tok[second]), 403, "forbidden", None)
    error_of(srv.post("/api/v1/goods/999999/collect", token=tok[first]), 404,
             "not_found", None)
    assert state_hash(srv.db) == before
    # told it is ready, then a day before the hold expires
    until("ready", lambda: any("Cargo bike is ready for you" in t
                               for t in notes(srv, tok[first])))
    advance(srv, DAY + 60)
    until("expiring", lambda: any("Your hold on Cargo bike expires tomorrow" in t
                                  for t in notes(srv, tok[first])))
    # not collected: by the clock alone it passes to the next by lot
    advance(srv, DAY)
    g = until("passed on", lambda: (lambda x: x if x["hold"] and x["hold"]["for"] ==
                                    h[second] else None)(srv.get(bike).json()))
    assert [(x["for"], x["state"]) for x in g["holds"]] == [
        (h[second], "waiting"), (h[first], "expired")]
    until("ready for the next", lambda: any("Cargo bike is ready for you" in t
                                            for t in notes(srv, tok[second])))
    before = settled_hash(srv)
    error_of(srv.post(f"{bike}/collect", token=tok[first]), 403, "forbidden", None)
    assert state_hash(srv.db) == before
    r = srv.post(f"{bike}/collect", token=tok[second])
    assert r.status_code == 200, r.text
    g = r.json()
    assert (g["holder"], g["hold"], g["holds"][0]["state"]) == (h[second], None,
                                                                "collected")
    assert g["due_at"] > drawn + 9 * DAY - 5
    p = run("journal", "show", "--db", srv.db, "--json", check=0)
    expired = [e for e in json.loads(p.stdout)
               if e["action"] == "good.hold_expire"]
    assert [(e["actor"], e["payload"]["good"]) for e in expired] == [
        ("operator", town["bike"])], expired
    town["order"] = order


def test_loan_reminders_renewal_and_rest_between_loans(srv, town):
    tok, h = town["tok"], town["h"]
    first, second, third = town["order"]
    bike = f"/api/v1/goods/{town['bike']}"
    g = srv.get(bike).json()
    due = g["due_at"]
    [rnd2] = [x for x in g["rounds"] if x["state"] in ("open", "due")]
    # the first asks again in the round now open: the loan is not renewed
    r = srv.post(f"{bike}/requests", {"category": "Everyone", "amount": 1},
                 token=tok[first])
    assert r.status_code == 201, r.text
    before = settled_hash(srv)
    error_of(srv.post(f"{bike}/renew", token=tok[second]), 409, "conflict", None)
    assert state_hash(srv.db) == before
    # reminded a day before the date, then on it
    now = lambda: int(time.time()) + srv_offset(srv)  # noqa: E731
    advance(srv, due - DAY + 60 - now())
    until("tomorrow", lambda: any("Cargo bike is due back tomorrow" in t
                                  for t in notes(srv, tok[second])))
    advance(srv, DAY)
    until("today", lambda: any("Cargo bike is due back today" in t
                               for t in notes(srv, tok[second])))
    # overdue: no other item for the holder, taken or collected
    before = settled_hash(srv)
    e = error_of(srv.post(f"/api/v1/goods/{town['lathe']}/takes", {"quantity": 1},
                          token=tok[second]), 409, "conflict", None)
    assert "Cargo bike" in e["message"], e
    assert state_hash(srv.db) == before
    # returned, it rests a day: won again, it waits until the rest is over
    r = srv.post(f"{bike}/return", token=tok[second])
    assert r.status_code == 200, r.text
    returned = r.json()
    assert returned["rests_until"] > due and returned["stock"] == 1 and returned["resting"]
    r = srv.post(f"/api/v1/rounds/{rnd2['id']}/close", token=tok["f"])
    assert r.status_code == 200, r.text
    r = srv.post(f"/api/v1/rounds/{rnd2['id']}/draw", {"source": "dice:6,6"},
                 token=tok["f"])
    assert r.status_code == 200, r.text
    g = srv.get(bike).json()
    assert (g["hold"]["for"], g["hold"]["since"], g["hold"]["until"], g["hold"]["ready"]) == (
        h[first], returned["rests_until"], returned["rests_until"] + 2 * DAY, False)
    before = settled_hash(srv)
    e = error_of(srv.post(f"{bike}/collect", token=tok[first]), 409, "conflict", None)
    assert "rests" in e["message"], e
    assert state_hash(srv.db) == before
    advance(srv, DAY)
    r = srv.post(f"{bike}/collect", token=tok[first])
    assert r.status_code == 200 and r.json()["holder"] == h[first], r.text
    r = srv.post(f"{bike}/return", token=tok[first])
    assert r.status_code == 200, r.text


def test_an_items_loan_history_with_notes_on_its_condition(srv, town):
    """Who held the bike when, how it came to them, its holds; a return
    may leave a note on the item's condition. Anyone reads it, as the
    good itself; a product has no loans."""
    tok, h = town["tok"], town["h"]
    first, second, third = town["order"]
    loans = srv.get(f"/api/v1/goods/{town['bike']}/loans").json()
    assert loans["name"] == "Cargo bike" and loans["holder"] is None, loans
    # newest first: the first collected it after its rest, the second before
    assert [(x["holder"], x["how"], x["open"]) for x in loans["loans"]] == [
        (h[first], "hold", False), (h[second], "hold", False)], loans["loans"]
    assert all(x["returned_at"] >= x["from"] and x["renewals"] == 0
               for x in loans["loans"])
    assert loans["loans"][1]["late"], loans["loans"][1]
    assert sorted((x["for"], x["state"]) for x in loans["holds"]) == sorted([
        (h[first], "expired"), (h[second], "collected"), (h[first], "collected")])
    # the lathe, taken freely, returned with a note on its condition
    lathe = f"/api/v1/goods/{town['lathe']}"
    r = srv.post(f"{lathe}/takes", {"quantity": 1}, token=tok["c"])
    assert r.status_code == 201, r.text
    before = settled_hash(srv)
    for body, status, code, field in (
            ({"condition": "x" * 201}, 400, "out_of_range", "condition"),
            ({"condition": "blunt\nchisel"}, 400, "bad_input", "condition"),
            ({"condition": 3}, 400, "bad_type", "condition"),
            ({"price": 3}, 400, "unknown_field", "price")):
        error_of(srv.post(f"{lathe}/return", body, token=tok["c"]), status, code, field)
    error_of(srv.post(f"{lathe}/return", {"condition": "fine"}, token=tok["b"]), 403,
             "forbidden", None)
    error_of(srv.post(f"{lathe}/return", {"condition": "fine"}), 401,
             "unauthenticated", None)
    assert state_hash(srv.db) == before
    r = srv.post(f"{lathe}/return", {"condition": "Chuck key worn; works."},
                 token=tok["c"])
    assert r.status_code == 200 and r.json()["holder"] is None, r.text
    [loan] = srv.get(f"{lathe}/loans").json()["loans"]
    assert (loan["holder"], loan["how"], loan["round"], loan["due_at"],
            loan["condition_note"], loan["late"]) == (
        h["c"], "take", None, None, "Chuck key worn; works.", False), loan
    p = run("journal", "show", "--db", srv.db, "--json", check=0)
    [ret] = [e for e in json.loads(p.stdout) if e["action"] == "good.return"
             and e["payload"]["good"] == town["lathe"]]
    assert ret["payload"]["condition"] == "Chuck key worn; works.", ret
    # refusals of reading: no such good, and a product
    error_of(srv.get("/api/v1/goods/999999/loans"), 404, "not_found", None)
    error_of(srv.get(f"/api/v1/goods/{town['flour']}/loans"), 409, "conflict", None)
    # the command line: a return with a note, and the history in words
    r = srv.post(f"{lathe}/takes", {"quantity": 1}, token=tok["b"])
    assert r.status_code == 201, r.text
    p = run("economy", "return", str(town["lathe"]), "--condition", "Oiled.",
            "--token", tok["b"], "--db", srv.db, check=0)
    p = run("economy", "loans", str(town["lathe"]), "--db", srv.db, check=0)
    assert f"@{h['b']}, taken, returned" in p.stdout, p.stdout
    assert "condition: Oiled." in p.stdout and "condition: Chuck key worn" in p.stdout
    p = run("economy", "loans", str(town["bike"]), "--db", srv.db, check=0)
    assert "collected (round" in p.stdout and "expired" in p.stdout, p.stdout
    p = run("economy", "loans", str(town["flour"]), "--db", srv.db, check=2)
    assert "only a unique item is lent" in p.stderr, p.stderr
    p = run("economy", "loans", "abc", "--db", srv.db, check=2)
    p = run("economy", "return", str(town["lathe"]), "--condition", "a\nb",
            "--token", tok["b"], "--db", srv.db, check=2)


def srv_offset(srv):
    import sqlite3
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        return con.execute("SELECT offset FROM sim_clock").fetchone()[0]
    finally:
        con.close()


def test_the_command_line_collects_and_the_journal_says_it(srv, town):
    p = run("journal", "show", "--db", srv.db, check=0)
    for words in ("Lent item collected by whoever it waited for",
                  "Hold on a lent item expired: passed to the next by lot"):
        assert words in p.stdout, words
    p = run("economy", "collect", str(town["lathe"]), "--token", town["tok"]["b"],
            "--db", srv.db, check=2)
    assert "does not wait for you" in p.stderr, p.stderr


def test_standing_reviews_read_what_each_took(srv, town):
    """The record is what standing reviews read: beside its contributions,
    each enterprise and person under review shows what they took from the
    sharing economy, good by good (takes, and shares of rounds)."""
    tok, h = town["tok"], town["h"]
    r = srv.post(f"{ENT}/{town['shop']}/goods", {
        "kind": "product", "name": "Oil", "unit": "litre", "units": "litres",
        "stock": 20}, token=tok["f"])
    assert r.status_code == 201, r.text
    oil = r.json()["id"]
    for q in (2, 3):
        r = srv.post(f"/api/v1/goods/{oil}/takes", {"quantity": q}, token=tok["c"])
        assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/goods/{oil}/takes", {"quantity": 4, "on_behalf": town["shop"]},
                 token=tok["f"])
    assert r.status_code == 201, r.text
    rev = srv.get(f"/api/v1/bodies/{town['local']}/standing").json()
    [shop] = rev["enterprises"]
    assert [(x["name"], x["takes"], x["quantity"]) for x in shop["taken"]["goods"]] == [
        ("Oil", 1, 4)], shop["taken"]
    bases = {b["handle"]: b["taken"] for b in rev["bases"]}
    c = {x["name"]: x for x in bases[h["c"]]["goods"]}
    assert (c["Oil"]["takes"], c["Oil"]["quantity"], c["Oil"]["rounds"]) == (2, 5, 0), c
    # the bike, won in rounds, counts as one round for each who collected
    # or won it; the lottery's winners are the people the holds record
    won = {k for k in "bce" if any(
        q.get("mine") and q.get("num") for rnd in srv.get(
            f"/api/v1/goods/{town['bike']}").json()["rounds"]
        for q in srv.get(f"/api/v1/rounds/{rnd['id']}", token=tok[k]).json()["requests"])}
    for k in won:
        bike = {x["name"]: x for x in bases[h[k]]["goods"]}["Cargo bike"]
        assert bike["rounds"] >= 1 and bike["received_den"] == 1, bike
    # e was decided by name: their period starts at that decision
    [e] = [p for p in rev["people"] if p["person"] == h["e"]]
    assert e["taken"]["since"] == e["decided_at"] > 0, e
    assert bases[h["e"]]["since"] == e["decided_at"]
    p = run("standing", "--assembly", town["local"], "--db", srv.db, check=0)
    assert "The Workshop took from the sharing economy:" in p.stdout, p.stdout
    assert "Oil: 4 litres in 1 take" in p.stdout, p.stdout
    assert "Oil: 5 litres in 2 takes" in p.stdout, p.stdout


def test_replay_rebuilds_holds_rests_and_loans(srv, town):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, "--json", check=0)
    j = json.loads(p.stdout)
    assert j["ok"] and j["state"]["ok"], j
    import shutil
    import sqlite3
    for table, sql in (("item_holds", "UPDATE item_holds SET state = 'collected'"
                        " WHERE state = 'expired'"),
                       ("item_rests", "UPDATE item_rests SET until = until + 1"),
                       ("loans", "UPDATE loans SET condition_note = 'scratched'"
                        " WHERE condition_note <> ''")):
        edited = str(srv.dir) + f"/{table}.db"
        run("backup", "--db", srv.db, edited, check=0)
        con = sqlite3.connect(edited)
        assert con.execute(sql).rowcount >= 1
        con.commit()
        con.close()
        p = run("journal", "verify", "--state", "--db", edited, "--json")
        assert json.loads(p.stdout)["state"]["difference"]["table"] == table, p.stdout
        shutil.os.remove(edited)
