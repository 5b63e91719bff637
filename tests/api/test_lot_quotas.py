"""Stratification by quotas in the renewals (issue 13 item 5: "A polity
may require stratification by quotas ..."; docs/polities.md, "Stratified
renewals"): residents declare a profile, a polity's quotas are named at
registration and changed by its assembly's polity_settings, a renewal with
quotas is drawn by LEXIMIN and the transparent lottery, every quota holds
on the seated cohort and after a vacancy, and anyone re-derives it with
`pnyx polity verify`, which catches a changed lottery or draw.

The pick is recomputed here independently of pnyx by the reader of
docs/sortition.md (tests/cli/sortition_ref.py): the lottery's commitment,
the seed from it and the witnesses' text, the ticket drawn."""
import http.server
import json
import os
import sys
import threading
import time

import pytest
import requests

from conftest import Server, assert_clean_exit, error_of, run, settled_hash, unique

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
import sortition_ref  # noqa: E402

DAY = 86400
QUOTAS = "gender: women 2, men 2; district: north 1-3, south 1-3"
PROFILES = [  # (gender, district); None: left undeclared
    ("women", "north"), ("women", "north"), ("women", "south"), ("women", "south"),
    ("men", "north"), ("men", "south"), ("men", "south"), ("men", "south"),
    (None, "north"), (None, None)]


class World:
    pass


def journal_len(srv):
    return len(srv.get("/api/v1/journal?limit=1000").json()["entries"])


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("lotq")), init_args=("--controlled-clock",))
    x = World()
    x.srv = srv
    x.c, x.c2 = srv.add_community(), srv.add_community()
    x.reg, x.reg2 = unique("r"), unique("r")
    run("region", "add", x.reg, "--name", "Coast", "--communities", x.c, "--db", srv.db,
        check=0)
    run("region", "add", x.reg2, "--name", "Islands", "--communities", x.c2,
        "--db", srv.db, check=0)
    x.p, x.q = unique("p"), unique("p")
    # 4 seats in one cohort (a quorum of 2 the seated can reach), renewed
    # after six years
    run("polity", "add", x.p, "--name", "Fishing", "--description", "Fish.",
        "--region", x.reg, "--seats", 4, "--cohorts", 1, "--quotas", QUOTAS,
        "--db", srv.db, check=0)
    # quotas the islands' pool cannot meet: nobody declares "women"
    run("polity", "add", x.q, "--name", "Ferries", "--description", "Ferries.",
        "--region", x.reg2, "--seats", 12, "--quotas", "gender: women 1-2, men 0-2",
        "--db", srv.db, check=0)
    time.sleep(1.1)  # consent after registration: valid on its anniversary
    x.names, x.tok, x.prof = [], {}, {}
    for g, d in PROFILES:
        h, t = srv.user()
        x.names.append(h)
        x.tok[h] = t
        assert srv.request("PUT", "/api/v1/me/residence", {"community": x.c},
                           token=t).status_code == 200
        assert srv.post("/api/v1/me/consent", {"affirm": True}, token=t).status_code == 201
        prof = {k: v for k, v in (("gender", g), ("district", d)) if v}
        r = srv.request("PUT", "/api/v1/me/profile", {"profile": prof}, token=t)
        assert r.status_code == 200, r.text
        x.prof[h] = prof
    x.islanders = []
    for _ in range(2):
        h, t = srv.user()
        x.islanders.append(h)
        x.tok[h] = t
        assert srv.request("PUT", "/api/v1/me/residence", {"community": x.c2},
                           token=t).status_code == 200
        assert srv.post("/api/v1/me/consent", {"affirm": True}, token=t).status_code == 201
        assert srv.request("PUT", "/api/v1/me/profile", {"profile": {"gender": "men"}},
                           token=t).status_code == 200
    x.draw_at = srv.get(f"/api/v1/polities/{x.p}").json()["next_renewal"]["draw_at"]
    x.q_draw_at = srv.get(f"/api/v1/polities/{x.q}").json()["next_renewal"]["draw_at"]
    yield x
    assert_clean_exit(*srv.stop())


def clock(w, slug, t, signin=True, consent=True):
    """Move the controlled clock; sessions (30 days) and consent (a year)
    run on it, so people sign in and renew their consent when asked."""
    run("polity", "renew", slug, "--at", "@%d" % t, "--db", w.srv.db, check=0)
    for h in (w.islanders if slug == w.q else w.names) if signin else ():
        w.tok[h] = w.srv.signin(h)
        if consent:
            assert w.srv.post("/api/v1/me/consent", {"affirm": True},
                              token=w.tok[h]).status_code == 201


def test_quotas_are_a_setting_named_at_registration(w):
    s = w.srv.get(f"/api/v1/polities/{w.p}").json()["settings"]
    assert s["quotas_text"] == QUOTAS
    assert {(q["category"], q["value"], q["min"], q["max"]) for q in s["quotas"]} == {
        ("gender", "women", 2, 2), ("gender", "men", 2, 2),
        ("district", "north", 1, 3), ("district", "south", 1, 3)}


BAD_QUOTAS = [
    ("gender women 2", "category"),                       # no colon
    ("gender: women", "value min-max"),                   # no seats
    ("gender: women 3-2", "no greater"),                  # min above max
    ("gender: women 2, women 1", "twice"),                # a value twice
    ("id: a 1", "category"),                              # the id column
    ("gender: women 3, men 2", "more than the 4 seats"),  # no draw can meet it
    ("gender: women 1, men 1, undeclared 0", "fewer than"),
]


def test_bad_quotas_at_registration_change_nothing(w):
    before = settled_hash(w.srv)
    for quotas, words in BAD_QUOTAS:
        p = run("polity", "add", unique("p"), "--name", "X", "--description", "X.",
                "--region", w.reg, "--seats", 24, "--quotas", quotas, "--db", w.srv.db)
        assert p.returncode == 2 and words in p.stderr, (quotas, p.returncode, p.stderr)
    assert settled_hash(w.srv) == before


def test_profile_is_the_persons_own(w):
    srv, h = w.srv, w.names[0]
    me = srv.get("/api/v1/me", token=w.tok[h]).json()["citizenship"]
    assert me["profile"] == {"gender": "women", "district": "north"}
    cats = {c["category"]: c["values"] for c in me["profile_categories"]}
    assert cats == {"gender": ["women", "men"], "district": ["north", "south"]}
    # nobody else's page shows it, and no polity lists profiles
    other = srv.get("/api/v1/me", token=w.tok[w.names[4]]).json()["citizenship"]
    assert other["profile"] == {"gender": "men", "district": "north"}
    assert "women" not in json.dumps(srv.get(f"/api/v1/polities/{w.p}").json()
                                     .get("residents", ""))
    before, n = settled_hash(srv), journal_len(srv)
    # someone else's profile: the body names no person
    error_of(srv.request("PUT", "/api/v1/me/profile", {
        "person": w.names[1], "profile": {"gender": "men"}}, token=w.tok[h]),
        400, "unknown_field", "person")
    # a category or value no polity uses
    error_of(srv.request("PUT", "/api/v1/me/profile", {"profile": {"height": "tall"}},
                         token=w.tok[h]), 400, "bad_input", "profile")
    error_of(srv.request("PUT", "/api/v1/me/profile", {"profile": {"gender": "other"}},
                         token=w.tok[h]), 400, "bad_input", "profile")
    error_of(srv.request("PUT", "/api/v1/me/profile", {"profile": ["women"]},
                         token=w.tok[h]), 400, "bad_type", "profile")
    error_of(srv.request("PUT", "/api/v1/me/profile", {"profile": {"gender": "men"}}),
             401, "unauthenticated", None)
    assert settled_hash(srv) == before and journal_len(srv) == n
    # the command line acts for the person whose token it is
    p = run("me", "profile", "--token", w.tok[h], "--db", srv.db, check=0)
    assert "profile: gender = women" in p.stdout, p.stdout
    p = run("me", "profile", "gender", "--token", w.tok[h], "--db", srv.db)
    assert p.returncode == 2 and "CATEGORY=VALUE" in p.stderr
    p = run("me", "profile", "gender=women", "district=south", "--token", w.tok[h],
            "--db", srv.db, check=0)
    assert "profile: district = south" in p.stdout
    p = run("me", "profile", "gender=women", "district=north", "--json", "--token",
            w.tok[h], "--db", srv.db, check=0)
    assert json.loads(p.stdout)["profile"] == {"gender": "women", "district": "north"}


def test_quotas_the_pool_cannot_meet_are_said_and_the_draw_is_uniform(w):
    srv = w.srv
    clock(w, w.q, w.q_draw_at - 14 * DAY, signin=False)
    rid = next(x["id"] for x in srv.get(f"/api/v1/polities/{w.q}/renewals").json()
               ["renewals"] if x["status"] == "committed")
    g = srv.get(f"/api/v1/renewals/{rid}").json()
    assert g["stratified"] is True and "lottery" not in g
    assert g["quotas_unmet"] and any("women" in r for r in g["quotas_unmet"]), g
    lot = srv.get(f"/api/v1/renewals/{rid}/lottery").json()
    assert lot["unmet"] == g["quotas_unmet"] and "panels" not in lot
    clock(w, w.q, w.q_draw_at)
    for h in w.islanders[:2]:
        g = srv.post(f"/api/v1/renewals/{rid}/seed", {"text": "dice:2"},
                     token=w.tok[h]).json()
    assert g["status"] == "drawn" and len(g["drawn"]) == 2
    assert g["quotas_met"] is False
    # uniform: pnyx polity verify re-derives it as any renewal
    p = run("polity", "verify", w.q, "--renewal", rid, "--server", srv.base)
    assert p.returncode == 0, p.stdout + p.stderr
    # a renewal without quotas publishes no lottery
    error_of(srv.get("/api/v1/renewals/999999/lottery"), 404, "not_found", None)


def fits(people, quotas, seats):
    """No answer above its maximum, and in every question the minimums
    still missing fit in the seats left."""
    missing = {}
    for q in quotas:
        n = sum(1 for p in people if p[q["category"]] == q["value"])
        if n > q["max"]:
            return False
        missing[q["category"]] = missing.get(q["category"], 0) + max(0, q["min"] - n)
    return all(m <= seats - len(people) for m in missing.values())


def panel_counts(members, prof_of):
    c = {}
    for m in members:
        for k, v in prof_of[m].items():
            c[(k, v)] = c.get((k, v), 0) + 1
    return c


def meets(counts, quotas):
    return all(q["min"] <= counts.get((q["category"], q["value"]), 0) <= q["max"]
               for q in quotas)


def test_stratified_commitment(w):
    srv = w.srv
    clock(w, w.p, w.draw_at - 15 * DAY)  # everyone's consent renewed
    clock(w, w.p, w.draw_at - 14 * DAY, signin=False)
    r = srv.get(f"/api/v1/polities/{w.p}/renewals").json()["renewals"]
    w.rid = next(x["id"] for x in r if x["status"] == "committed")
    g = srv.get(f"/api/v1/renewals/{w.rid}").json()
    assert g["stratified"] is True and g["pool_size"] == 10 and g["seats"] == 4
    assert g["quotas_unmet"] is None and g["lottery"]["tickets"] == 1000
    lot = srv.get(f"/api/v1/renewals/{w.rid}/lottery").json()
    # each leaf's profile, as the person declared it (undeclared otherwise)
    rows = [ln.split(",") for ln in lot["respondents_csv"].splitlines()]
    assert rows[0] == ["id", '"gender"', '"district"']
    w.prof_of = {r[0]: {"gender": r[1].strip('"'), "district": r[2].strip('"')}
                 for r in rows[1:]}
    for h in w.names:
        leaf = srv.get("/api/v1/me/summons", token=w.tok[h]).json()["receipts"][0]["leaf"]
        want = {"gender": w.prof[h].get("gender", "undeclared"),
                "district": w.prof[h].get("district", "undeclared")}
        assert w.prof_of[leaf] == want
    # the effective quotas: the polity's, and each category's "undeclared"
    assert {"category": "gender", "value": "undeclared", "min": 0, "max": 4} in lot["quotas"]
    # every panel of the lottery seats 4 distinct leaves meeting every quota
    tickets = 0
    for p in lot["panels"]:
        assert len(set(p["members"])) == 4
        assert meets(panel_counts(p["members"], w.prof_of), lot["quotas"]), p
        tickets += p["tickets"]
    assert tickets == 1000
    com, _ = sortition_ref.lottery_commitment(
        [(p["tickets"], p["members"]) for p in lot["panels"]])
    assert com.hex() == lot["lottery"]["commitment"] == g["lottery"]["commitment"]
    # LEXIMIN: the undeclared gender never fits (women 2 + men 2 = 4 seats);
    # everyone else has a chance, the probabilities sum to the seats
    probs = {tuple(t["profile"]): t["probability"] for t in lot["types"]}
    assert probs[("undeclared", "north")] == 0 and probs[("undeclared", "undeclared")] == 0
    assert sum(t["probability"] * t["people"] for t in lot["types"]) == pytest.approx(4)
    assert min(p for k, p in probs.items() if k[0] != "undeclared") > 0.3
    # the journal holds the strata with the leaves, never a handle
    con = [e for e in srv.get("/api/v1/journal?limit=1000").json()["entries"]
           if e["action"] == "renewal.commit"]
    assert con, "no commit entry"


def seed_in(w, rid, text):
    for h in w.names[:2]:
        g = w.srv.post(f"/api/v1/renewals/{rid}/seed", {"text": text},
                       token=w.tok[h]).json()
    return g


def predict(lot, rec, text):
    """The panel and the alternates a seed text gives, recomputed here."""
    import struct
    _, enc = sortition_ref.lottery_commitment(
        [(p["tickets"], p["members"]) for p in lot["panels"]])
    seed = sortition_ref.seed_of(bytes.fromhex(lot["lottery"]["commitment"]), text)
    j = sortition_ref.Stream(seed).below(1000)
    for body, mult in enc:
        if j < mult:
            break
        j -= mult
    by_body = {}
    for p in lot["panels"]:
        ms = sorted(m.encode() for m in p["members"])
        b = struct.pack(">I", len(ms)) + b"".join(struct.pack(">I", len(m)) + m for m in ms)
        by_body[b] = sorted(p["members"])
    panel = by_body[body]
    ranked = [rec[i] for i in sortition_ref.rank(seed, len(rec), len(rec))
              if rec[i] not in panel]
    return seed, panel, ranked


def test_stratified_draw_seats_the_panel_the_seed_picks(w):
    srv = w.srv
    clock(w, w.p, w.draw_at, signin=False)  # sessions of 15 days ago hold
    lot = srv.get(f"/api/v1/renewals/{w.rid}/lottery").json()
    rec = [ln for ln in srv.get(f"/api/v1/renewals/{w.rid}/record").text.splitlines()
           if ln and not ln.startswith("#")][1:]
    # dice whose first alternate is not a woman, so that a woman's vacancy
    # (next test) passes over someone who does not fit, and whose ranked
    # alternates hold a woman who fits that vacancy (the pool's leaves are
    # new each run: without this, the one woman who fits was now and then
    # left off the list of alternates, and the vacancy went to a
    # supplementary renewal instead)
    leaf_of = {h: srv.get("/api/v1/me/summons", token=w.tok[h]).json()["receipts"][0]
               ["leaf"] for h in w.names}
    n_alt = srv.get(f"/api/v1/renewals/{w.rid}").json()["alternates"]
    for n in range(200):
        text = "Dice at the harbour: %d" % n
        seed, panel, ranked = predict(lot, rec, text)
        if w.prof_of[ranked[0]]["gender"] == "women":
            continue
        leaving = next(leaf_of[h] for h in w.names if leaf_of[h] in panel and
                       w.prof_of[leaf_of[h]]["gender"] == "women")
        holding = [w.prof_of[x] for x in panel if x != leaving]
        if any(fits(holding + [w.prof_of[x]], lot["quotas"], 4) for x in ranked[:n_alt]):
            break
    else:
        pytest.fail("no dice among 200 give a vacancy an alternate fills")
    g = seed_in(w, w.rid, text)
    assert g["status"] == "drawn", g
    assert g["seed"] == seed.hex()
    assert sorted(d["leaf"] for d in g["drawn"]) == panel
    # the alternates: the rest of the pool as the same seed ranks it
    assert [a["leaf"] for a in g["alternate_list"]] == ranked[:len(g["alternate_list"])]
    # everyone summoned accepts: every quota holds on the seated cohort
    w.seated = {}
    for h in w.names:
        for m in srv.get("/api/v1/me/summons", token=w.tok[h]).json()["summons"]:
            if m["state"] == "summoned":
                r = srv.post(f"/api/v1/summons/{m['id']}/answer", {"answer": "accept"},
                             token=w.tok[h])
                assert r.status_code == 200, r.text
                w.seated[h] = m
    assert len(w.seated) == 4
    counts = panel_counts([srv.get("/api/v1/me/summons", token=w.tok[h]).json()
                           ["receipts"][0]["leaf"] for h in w.seated], w.prof_of)
    assert meets(counts, lot["quotas"]), counts
    g = srv.get(f"/api/v1/renewals/{w.rid}").json()
    assert g["quotas_met"] is True and g["quotas_seated"] == 4
    shown = {(q["category"], q["value"]): q["seats"] for q in g["quotas"]}
    assert shown[("gender", "women")] == 2 and shown[("gender", "men")] == 2
    assert shown[("district", "north")] == counts.get(("district", "north"), 0)


def test_a_vacancy_goes_to_the_next_alternate_who_keeps_the_quotas(w):
    srv = w.srv
    woman = next(h for h in w.seated if w.prof[h].get("gender") == "women")
    g = srv.get(f"/api/v1/renewals/{w.rid}").json()
    waiting = [a for a in g["alternate_list"] if a["state"] == "waiting"]
    r = srv.post("/api/v1/me/seat/resign", {"polity": w.p}, token=w.tok[woman])
    assert r.status_code == 200, r.text
    g = srv.get(f"/api/v1/renewals/{w.rid}").json()
    called = [a for a in g["alternate_list"] if a["state"] == "summoned"]
    assert len(called) == 1
    # the first waiting alternate whose profile keeps every quota reachable
    # (the rule of docs/polities.md, recomputed here): a woman, and one
    # whose district leaves every district's minimum reachable; those
    # before her who do not fit wait for a vacancy they fit
    lot = srv.get(f"/api/v1/renewals/{w.rid}").json()["quotas"]
    holding = [w.prof_of[a["leaf"]] for a in g["drawn"] + g["alternate_list"]
               if a["state"] in ("summoned", "accepted") and a["leaf"] != called[0]["leaf"]]
    fit = [a for a in waiting if fits(holding + [w.prof_of[a["leaf"]]], lot, 4)]
    assert w.prof_of[fit[0]["leaf"]]["gender"] == "women"
    assert called[0]["leaf"] == fit[0]["leaf"]
    before = [a for a in waiting if a["rank"] < called[0]["rank"]]
    assert before and all(a["state"] == "waiting" for a in g["alternate_list"]
                          if a["leaf"] in {b["leaf"] for b in before})
    assert g["quotas_met"] is True and g["quotas_seated"] == 4
    h = next(h for h in w.names
             if srv.get("/api/v1/me/summons", token=w.tok[h]).json()["receipts"][0]["leaf"]
             == called[0]["leaf"])
    m = [m for m in srv.get("/api/v1/me/summons", token=w.tok[h]).json()["summons"]
         if m["state"] == "summoned"][0]
    assert srv.post(f"/api/v1/summons/{m['id']}/answer", {"answer": "accept"},
                    token=w.tok[h]).status_code == 200


def test_polity_verify_recomputes_leximin_and_the_pick(w):
    p = run("polity", "verify", w.p, "--renewal", w.rid, "--server", w.srv.base)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "LEXIMIN recomputed" in p.stdout and "exactly the 4 leaves drawn" in p.stdout
    # offline, from the downloaded lottery: pnyx verify of a panel lottery
    lot = w.srv.get(f"/api/v1/renewals/{w.rid}/lottery").json()
    d = w.srv.dir
    for name, key in (("cats.csv", "categories_csv"), ("resp.csv", "respondents_csv")):
        with open(os.path.join(d, name), "w") as f:
            f.write(lot[key])
    with open(os.path.join(d, "lottery.json"), "w") as f:
        json.dump(lot, f)
    p = run("verify", "--result", os.path.join(d, "lottery.json"), "--seed", lot["source"],
            "--categories", os.path.join(d, "cats.csv"),
            "--respondents", os.path.join(d, "resp.csv"))
    assert p.returncode == 0 and "exactly the published panel" in p.stdout, \
        p.stdout + p.stderr
    assert "meet the quotas" in p.stdout


class Tamper:
    """Serves what the real server publishes, with one thing changed."""

    def __init__(self, base, change):
        self.base, self.change = base, change
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                r = requests.get(outer.base + self.path, timeout=30)
                body, ctype = r.content, r.headers["Content-Type"]
                if ctype.startswith("application/json"):
                    o = r.json()
                    outer.change(self.path, o)
                    body = json.dumps(o).encode()
                self.send_response(r.status_code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def move_ticket(path, o):
    if path.endswith("/lottery"):
        ps = sorted(o["panels"], key=lambda p: -p["tickets"])
        ps[0]["tickets"] -= 1
        ps[1]["tickets"] += 1


def shift_probability(path, o):
    if path.endswith("/lottery"):
        o["types"][0]["probability"] += 0.01


def change_drawn(path, o):
    if path.endswith("/result"):
        o["drawn_leaves"][0], o["alternate_leaves"][0] = \
            o["alternate_leaves"][0], o["drawn_leaves"][0]


def break_quota(path, o):
    if path.endswith("/lottery"):
        o["categories_csv"] = o["categories_csv"].replace(
            '"women",2,2', '"women",3,3').replace('"men",2,2', '"men",1,1')


@pytest.mark.parametrize("change,words", [
    (move_ticket, "commitment"),
    (shift_probability, "LEXIMIN recomputed differs"),
    (change_drawn, "not the leaves drawn"),
    (break_quota, "LEXIMIN recomputed differs"),
])
def test_polity_verify_catches_a_tampered_renewal(w, change, words):
    t = Tamper(w.srv.base, change)
    try:
        p = run("polity", "verify", w.p, "--renewal", w.rid, "--server", t.url)
    finally:
        t.close()
    assert p.returncode == 1 and words in p.stderr, (p.returncode, p.stdout, p.stderr)


def test_the_assembly_changes_the_quotas_by_decision(w):
    srv = w.srv
    members = [h for h in w.names if any(
        m["state"] == "accepted" for m in srv.get("/api/v1/me/summons",
                                                  token=w.tok[h]).json()["summons"])]
    member = members[0]
    outsider = next(h for h in w.names if h not in members)
    before, n = settled_hash(srv), journal_len(srv)
    # only the polity's assembly changes them: not someone outside it
    error_of(srv.post(f"/api/v1/bodies/{w.p}/motions", {
        "kind": "polity_settings", "title": "Quotas",
        "params": {"quotas": "none"}}, token=w.tok[outsider]), 403, "not_member", None)
    for bad, code, status in (("gender: women x", "bad_input", 400),
                              ("gender: women 5", "infeasible", 422)):
        r = srv.post(f"/api/v1/bodies/{w.p}/motions", {
            "kind": "polity_settings", "title": "Quotas",
            "params": {"quotas": bad}}, token=w.tok[member])
        error_of(r, status, code, "params.quotas")
    # fewer seats than the quotas in force need: refused, naming the seats
    # (two women and two men do not fit cohorts of three)
    e = error_of(srv.post(f"/api/v1/bodies/{w.p}/motions", {
        "kind": "polity_settings", "title": "Three seats",
        "params": {"seats": 3}}, token=w.tok[member]), 422, "infeasible", "params.seats")
    assert "do not fit cohorts of 3 to 3 seats" in e["message"], e
    assert settled_hash(srv) == before and journal_len(srv) == n
    r = srv.post(f"/api/v1/bodies/{w.p}/motions", {
        "kind": "polity_settings", "title": "Quotas by district only",
        "params": {"quotas": "district: north 1-3, south 1-3"}}, token=w.tok[member])
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    meeting = [m for m in srv.get(f"/api/v1/bodies/{w.p}/meetings").json()["upcoming"]
               if m["starts_at"] > w.draw_at][0]
    clock(w, w.p, meeting["starts_at"] + 60, consent=False)
    code = srv.get(f"/api/v1/meetings/{meeting['id']}/code", token=w.tok[member]).json()
    for h in members:
        r = srv.post(f"/api/v1/meetings/{meeting['id']}/checkins", {"code": code["code"]},
                     token=w.tok[h])
        assert r.status_code in (200, 201), r.text
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=w.tok[member])
    assert r.status_code == 200, r.text
    for h in members:
        r = srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"}, token=w.tok[h])
        assert r.status_code == 201, r.text
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=w.tok[member])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    s = srv.get(f"/api/v1/polities/{w.p}").json()["settings"]
    assert s["quotas_text"] == "district: north 1-3, south 1-3"


def test_a_supplementary_renewal_draws_under_what_the_quotas_leave(w):
    """When no waiting alternate fits a vacancy, a supplementary renewal is
    committed at once, under the polity's quotas now (its assembly made
    them district only) less what the cohort's seats still hold."""
    srv = w.srv
    sups = []
    for _ in range(4):
        sups = [r for r in srv.get(f"/api/v1/polities/{w.p}/renewals").json()["renewals"]
                if r["kind"] == "supplementary"]
        if sups:
            break
        g = srv.get(f"/api/v1/renewals/{w.rid}").json()
        held = {a["leaf"] for a in g["drawn"] + g["alternate_list"]
                if a["state"] == "accepted"}
        woman = next(h for h in w.names if w.prof[h].get("gender") == "women" and
                     srv.get("/api/v1/me/summons", token=w.tok[h]).json()["receipts"][0]
                     ["leaf"] in held)
        r = srv.post("/api/v1/me/seat/resign", {"polity": w.p}, token=w.tok[woman])
        assert r.status_code == 200, r.text
        # a woman called, if one waits: the first draw's quotas still bind it
        g = srv.get(f"/api/v1/renewals/{w.rid}").json()
        for a in g["alternate_list"]:
            if a["state"] == "summoned":
                assert w.prof_of[a["leaf"]]["gender"] == "women", a
                h = next(h for h in w.names if srv.get(
                    "/api/v1/me/summons", token=w.tok[h]).json()["receipts"][0]["leaf"]
                    == a["leaf"])
                m = [m for m in srv.get("/api/v1/me/summons", token=w.tok[h]).json()
                     ["summons"] if m["state"] == "summoned"][0]
                assert srv.post(f"/api/v1/summons/{m['id']}/answer",
                                {"answer": "accept"}, token=w.tok[h]).status_code == 200
    assert sups, "the alternates never ran out"
    g = srv.get(f"/api/v1/renewals/{w.rid}").json()
    held = [w.prof_of[a["leaf"]] for a in g["drawn"] + g["alternate_list"]
            if a["state"] in ("summoned", "accepted")]
    sup = srv.get(f"/api/v1/renewals/{sups[0]['id']}").json()
    assert sup["stratified"] is True and sup["seats"] == 4 - len(held)
    k = sup["seats"]
    want = {}
    for v, lo, hi in (("north", 1, 3), ("south", 1, 3), ("undeclared", 0, 4)):
        n = sum(1 for p in held if p["district"] == v)
        want[("district", v)] = (max(0, lo - n), max(0, min(hi - n, k)))
    assert {(q["category"], q["value"]): (q["min"], q["max"])
            for q in sup["quotas"]} == want


def test_replay_rebuilds_the_state(w):
    # the islands' later cohorts were committed by the clock with nobody in
    # their pool (their consent lapsed): said, not an error
    empty = [r for r in w.srv.get(f"/api/v1/polities/{w.q}/renewals").json()["renewals"]
             if r["id"] and r["pool_size"] == 0]
    assert empty
    g = w.srv.get(f"/api/v1/renewals/{empty[0]['id']}").json()
    assert g["quotas_unmet"] == ["the pool has fewer people than seats"]
    p = run("journal", "verify", "--state", "--json", "--db", w.srv.db, check=None)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["ok"] and j["state"]["ok"], j["state"]
    assert j["state"]["replayed"] == j["entries"]


def _copy_db(srv, dest):
    """A consistent copy of the live database (SQLite's backup), and its key."""
    import shutil
    import sqlite3
    src, out = sqlite3.connect(srv.db), sqlite3.connect(str(dest))
    try:
        src.backup(out)
    finally:
        src.close()
        out.close()
    shutil.copy(srv.db + ".key", str(dest) + ".key")


def _tickets_below_the_floor(e):
    e["strata"]["lottery"]["tickets"] = 999


def _tickets_above_the_cap(e):
    e["strata"]["lottery"]["tickets"] = 3_000_000 // 4 + 1


def _a_seat_outside_the_pool(e):
    e["strata"]["lottery"]["panels"][0]["members"][-1] = e["pool_size"]


def _a_seat_named_twice(e):
    m = e["strata"]["lottery"]["panels"][0]["members"]
    m[1] = m[0]


def _other_quotas(e):
    e["strata"]["quotas"][0]["max"] += 1


def _other_categories(e):
    e["strata"]["categories"].reverse()


def _profiles_not_the_records(e):
    e["strata"]["profiles_hash"] = "00" * 32


@pytest.mark.parametrize("change,words", [
    (_tickets_below_the_floor, "a lottery of 1000 to 750000 tickets"),
    (_tickets_above_the_cap, "a lottery of 1000 to 750000 tickets"),
    (_a_seat_outside_the_pool, "names a position outside the pool, or twice"),
    (_a_seat_named_twice, "names a position outside the pool, or twice"),
    (_other_quotas, "the quotas are not the polity's for this draw"),
    (_other_categories, "a renewal with quotas gives a profile for each leaf"),
    (_profiles_not_the_records, "the published profiles do not hash to the commitment's"),
])
def test_replay_refuses_a_stored_lottery_the_polity_could_not_have_drawn(
        w, tmp_path, change, words):
    """The strata of a renewal's commitment are checked again at replay
    (lot_apply_strata): a journal rewritten by whoever holds the node's key,
    its chain and signature intact, does not rebuild a draw the polity's
    quotas, its pool or the lottery's bounds forbid; replay names the
    entry and why, and nothing is written to the database."""
    from journal_rewrite import rewrite
    db = tmp_path / "t.db"
    _copy_db(w.srv, db)
    import sqlite3
    con = sqlite3.connect(str(db))
    seq, payload = next(
        (s, json.loads(p)) for s, p in con.execute(
            "SELECT seq, payload FROM journal WHERE action = 'renewal.commit'"
            " ORDER BY seq")
        if json.loads(p).get("renewal") == w.rid)
    con.close()
    assert payload["strata"]["lottery"]["tickets"] == 1000
    # the untouched copy replays (the rewrite itself changes nothing)
    rewrite(db, seq, payload)
    p = run("journal", "verify", "--state", "--json", "--db", db, check=None)
    assert p.returncode == 0, p.stdout
    change(payload)
    rewrite(db, seq, payload)
    size = os.path.getsize(db)
    p = run("journal", "verify", "--state", "--json", "--db", db, check=None)
    assert p.returncode == 1, (p.stdout, p.stderr)
    j = json.loads(p.stdout)
    assert "broken_seq" not in j, j  # the chain and the head's signature hold
    r = j["state"]["replay"]
    assert r["seq"] == seq and r["action"] == "renewal.commit", r
    assert words in r["reason"], r
    assert os.path.getsize(db) == size
