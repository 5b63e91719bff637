"""Distributed democracy by lot, its foundation (src/gov/lot,
docs/polities.md): regions, polities and their assemblies' seats,
residence and citizenship by yearly consent, through the API and the
command line, with every refusal changing nothing."""
import calendar
import json
import hashlib
import sqlite3
import time

import pytest

from conftest import error_of, run, unique


def state(db):
    """The journal's length and a hash of every table, read-only."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        h = hashlib.blake2b(digest_size=32)
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                " AND name NOT LIKE 'sqlite_%' ORDER BY name"):
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{t}"'))
            h.update(t.encode() + b"\0" + "\n".join(rows).encode() + b"\0")
        return con.execute("SELECT count(*) FROM journal").fetchone()[0], h.hexdigest()
    finally:
        con.close()


def one_year_after(t):
    """The same UTC date and time a year later; 29 February gives 1 March."""
    g = time.gmtime(t)
    y, m, d = g.tm_year + 1, g.tm_mon, g.tm_mday
    if (m, d) == (2, 29) and not calendar.isleap(y):
        m, d = 3, 1
    return calendar.timegm((y, m, d, g.tm_hour, g.tm_min, g.tm_sec))


@pytest.fixture(scope="module")
def land(srv):
    """Three communities; 'coast' names two, 'wide' is built from 'coast'
    and names one of coast's communities again, and a third; a polity
    over each, the wide one marked the widest."""
    n, s, e = (srv.add_community(unique("c"), pop) for pop in (1000, 2000, 500))
    coast, wide = unique("r"), unique("r")
    run("region", "add", coast, "--name", "The coast", "--communities", f"{n},{s}",
        "--db", srv.db, check=0)
    run("region", "add", wide, "--name", "Everywhere", "--regions", coast,
        "--communities", f"{e},{n}", "--db", srv.db, check=0)
    fishing, rights = unique("p"), unique("p")
    run("polity", "add", fishing, "--name", "Fishing rights", "--description",
        "Who fishes where, and how much.", "--region", coast, "--seats", 150,
        "--db", srv.db, check=0)
    run("polity", "add", rights, "--name", "Human rights", "--description",
        "What nobody may do to anyone.", "--region", wide, "--seats", 13,
        "--cohorts", 3, "--widest", "--db", srv.db, check=0)
    return {"north": n, "south": s, "east": e, "coast": coast, "wide": wide,
            "fishing": fishing, "rights": rights}


def test_regions_nest_and_overlap_counting_each_community_once(srv, land):
    r = srv.get(f"/api/v1/regions/{land['wide']}")
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["regions"] == [land["coast"]]
    assert sorted(w["named"]) == sorted([land["east"], land["north"]])
    assert sorted(c["slug"] for c in w["communities"]) == sorted(
        [land["north"], land["south"], land["east"]])
    assert w["population"] == 3500  # north once, though reached twice
    assert [p["slug"] for p in w["polities"]] == [land["rights"]]
    listed = {x["slug"]: x for x in srv.get("/api/v1/regions").json()["regions"]}
    assert listed[land["coast"]]["population"] == 3000
    assert listed[land["coast"]]["communities"] == 2
    assert listed[land["wide"]]["regions"] == [land["coast"]]


def test_a_polity_has_seats_in_staggered_cohorts_and_its_own_assembly(srv, land):
    p = srv.get(f"/api/v1/polities/{land['fishing']}").json()
    assert (p["seats"], p["cohorts"], p["widest"]) == (150, 6, False)
    assert p["region"]["slug"] == land["coast"]
    assert len(p["seat_list"]) == 150 and not any(s["held"] for s in p["seat_list"])
    at = p["registered_at"]
    for c in p["cohort_list"]:
        assert c["seats"] == 25 and c["held"] == 0
        # cohort i's first term is i years: renewal staggered from year one
        g = time.gmtime(at)
        assert time.gmtime(c["term_ends"])[:6] == (g.tm_year + c["cohort"],) + g[1:6]
    # a simple majority of members present, with a quorum of half the seats
    assert p["rule"]["default"] == {"kind": "simple_majority", "quorum": {"count": 75}}
    assert p["laws"] == []
    body = srv.get(f"/api/v1/bodies/{p['assembly']}").json()
    assert body["kind"] == "polity"
    r = srv.get(f"/api/v1/polities/{land['rights']}").json()
    assert (r["seats"], r["cohorts"], r["widest"]) == (13, 3, True)
    # 13 seats dealt to 3 cohorts in turn: 5, 4, 4; terms of 2, 4, 6 years
    assert [(c["seats"], time.gmtime(c["term_ends"]).tm_year - time.gmtime(
        r["registered_at"]).tm_year) for c in r["cohort_list"]] == [(5, 2), (4, 4), (4, 6)]
    assert r["rule"]["default"]["quorum"] == {"count": 7}
    listed = [x["slug"] for x in srv.get("/api/v1/polities").json()["polities"]]
    assert listed.index(land["rights"]) == 0  # the widest first


def counts(srv, slug):
    p = srv.get(f"/api/v1/polities/{slug}").json()
    return p["residents"], p["citizens"]


def test_a_newcomer_states_residence_consents_and_renews(srv, land):
    h, tok = srv.user()
    me = srv.get("/api/v1/me", token=tok).json()["citizenship"]
    assert me["status"] == "none" and me["residence"] is None
    assert me["expires_at"] is None and me["polities"] == []
    before = {k: counts(srv, land[k]) for k in ("fishing", "rights")}

    r = srv.request("PUT", "/api/v1/me/residence", {"community": land["north"]}, token=tok)
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["status"] == "resident"
    assert c["residence"]["community"] == land["north"]
    # north is in both polities' regions (the wide one twice over)
    assert sorted(p["slug"] for p in c["polities"]) == sorted([land["fishing"],
                                                              land["rights"]])
    assert counts(srv, land["fishing"]) == (before["fishing"][0] + 1, before["fishing"][1])

    t0 = int(time.time())
    r = srv.post("/api/v1/me/consent", {"affirm": True}, token=tok)
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["status"] == "citizen"
    assert c["expires_at"] == one_year_after(c["consent_given_at"])
    assert t0 <= c["consent_given_at"] <= int(time.time())
    for k in ("fishing", "rights"):
        assert counts(srv, land[k]) == (before[k][0] + 1, before[k][1] + 1)
    me = srv.get("/api/v1/me", token=tok).json()["citizenship"]
    assert (me["status"], me["expires_at"]) == ("citizen", c["expires_at"])
    assert "insurance" in me

    # renewal is the same act: a year from the day renewed
    time.sleep(1.1)
    r = srv.post("/api/v1/me/consent", {"affirm": True}, token=tok)
    assert r.status_code == 201, r.text
    assert r.json()["expires_at"] == one_year_after(r.json()["consent_given_at"])
    assert r.json()["expires_at"] > c["expires_at"]
    assert counts(srv, land["fishing"])[1] == before["fishing"][1] + 1

    # moving out of the coast leaves fishing, not the wide polity
    r = srv.request("PUT", "/api/v1/me/residence", {"community": land["east"]}, token=tok)
    assert r.status_code == 200, r.text
    assert [p["slug"] for p in r.json()["polities"]] == [land["rights"]]
    assert r.json()["status"] == "citizen"
    assert counts(srv, land["fishing"]) == before["fishing"]
    # a polity shows counts, never who
    assert h not in srv.get(f"/api/v1/polities/{land['rights']}").text


def test_refusals_change_nothing(srv, land):
    h, tok = srv.user()
    other, other_tok = srv.user()
    srv.settle()
    was = state(srv.db)
    # residence in an unknown community; not a slug; no field
    r = srv.request("PUT", "/api/v1/me/residence", {"community": "nowhere-at-all"},
                    token=tok)
    error_of(r, 404, "not_found", "community")
    error_of(srv.request("PUT", "/api/v1/me/residence", {"community": 7}, token=tok),
             400, "bad_type", "community")
    error_of(srv.request("PUT", "/api/v1/me/residence", {}, token=tok),
             400, "missing_field", "community")
    error_of(srv.request("PUT", "/api/v1/me/residence", {"community": land["north"]}),
             401, "unauthenticated")
    # consent without residence; without affirming; for someone else
    error_of(srv.post("/api/v1/me/consent", {"affirm": True}, token=tok),
             409, "lot_no_residence")
    error_of(srv.post("/api/v1/me/consent", {"affirm": False}, token=tok),
             400, "not_affirmed", "affirm")
    error_of(srv.post("/api/v1/me/consent", {"affirm": True, "person": other},
                      token=tok), 400, "unknown_field", "person")
    error_of(srv.post("/api/v1/me/consent", {"affirm": True}), 401, "unauthenticated")
    # unknown region and polity
    error_of(srv.get("/api/v1/regions/nowhere-at-all"), 404, "not_found")
    error_of(srv.get("/api/v1/polities/nowhere-at-all"), 404, "not_found")
    error_of(srv.get("/api/v1/polities/NOT_A_SLUG"), 404, "not_found")
    # nobody joins or leaves a polity's assembly: its members are seated
    assembly = srv.get(f"/api/v1/polities/{land['fishing']}").json()["assembly"]
    error_of(srv.post(f"/api/v1/bodies/{assembly}/members",
                      {"affirm": True, "basis": "lives"}, token=tok), 403, "lot_seated")
    error_of(srv.delete(f"/api/v1/bodies/{assembly}/members/me", token=tok),
             403, "not_member")
    # no route writes a region, a polity or a seat
    for method, path in (("POST", "/api/v1/regions"), ("POST", "/api/v1/polities"),
                         ("PUT", f"/api/v1/polities/{land['fishing']}"),
                         ("POST", f"/api/v1/polities/{land['fishing']}/seats"),
                         ("PUT", f"/api/v1/polities/{land['fishing']}/seats")):
        r = srv.request(method, path, {"seats": 3}, token=tok)
        assert r.status_code in (404, 405), (method, path, r.status_code)
    assert state(srv.db) == was
    # the same residence twice is refused too, after the first
    r = srv.request("PUT", "/api/v1/me/residence", {"community": land["south"]}, token=tok)
    assert r.status_code == 200, r.text
    srv.settle()
    was = state(srv.db)
    error_of(srv.request("PUT", "/api/v1/me/residence", {"community": land["south"]},
                         token=tok), 409, "conflict", "community")
    assert state(srv.db) == was


def test_cli_refusals_change_nothing(srv, land):
    srv.settle()
    was = state(srv.db)
    cases = [
        (["polity", "add", unique("p"), "--name", "N", "--description", "D",
          "--region", land["coast"], "--seats", 0], "seats"),
        (["polity", "add", unique("p"), "--name", "N", "--description", "D",
          "--region", land["coast"], "--seats", 151], "seats"),
        (["polity", "add", unique("p"), "--name", "N", "--description", "D",
          "--region", land["coast"], "--seats", 10, "--cohorts", 4], "cohorts"),
        (["polity", "add", unique("p"), "--name", "N", "--description", "D",
          "--region", "nowhere-at-all", "--seats", 10], "region"),
        (["polity", "add", unique("p"), "--name", "N", "--description", "D",
          "--region", land["coast"], "--seats", 10, "--widest"], "widest"),
        # the operator cannot register a polity again to change its seats
        (["polity", "add", land["fishing"], "--name", "N", "--description", "D",
          "--region", land["coast"], "--seats", 3], "slug"),
        (["region", "add", "loop", "--name", "Loop", "--regions", "loop"], "regions"),
        (["region", "add", unique("r"), "--name", "N", "--regions",
          f"{land['coast']},nowhere-at-all"], "regions"),
        (["region", "add", unique("r"), "--name", "N", "--communities",
          f"{land['north']},{land['north']}"], "communities"),
        (["region", "add", unique("r"), "--name", "N"], "communities"),
        (["region", "add", land["coast"], "--name", "N", "--communities",
          land["east"]], "slug"),
        (["region", "show", "nowhere-at-all"], None),
        (["polity", "show", "nowhere-at-all"], None),
    ]
    for args, field in cases:
        p = run(*args, "--db", srv.db)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        if field:
            assert f": {field}: " in p.stderr, (args, p.stderr)
    assert state(srv.db) == was


def test_cli_person_acts_on_themselves_only(srv, land):
    h, tok = srv.user()
    p = run("me", "consent", "--affirm", "--token", tok, "--db", srv.db)
    assert p.returncode == 2 and "state the community" in p.stderr, p.stderr
    p = run("me", "residence", land["south"], "--token", tok, "--db", srv.db, check=0)
    assert "resident" in p.stdout
    p = run("me", "consent", "--token", tok, "--db", srv.db)
    assert p.returncode == 2 and "affirm" in p.stderr
    p = run("me", "consent", "--affirm", "--token", tok, "--db", srv.db, check=0)
    assert "citizen: consent valid until" in p.stdout
    p = run("me", "show", "--token", "not-a-token", "--db", srv.db)
    assert p.returncode == 2
    assert srv.get("/api/v1/me", token=tok).json()["citizenship"]["status"] == "citizen"


def test_journal_verifies_and_replays(srv, land):
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db, check=0)
    assert "state matches the journal" in p.stdout, p.stdout


def test_consent_lapses_by_itself_at_expiry(start_server):
    s = start_server()
    c = s.add_community(unique("c"), 100)
    region, polity = unique("r"), unique("p")
    run("region", "add", region, "--name", "R", "--communities", c, "--db", s.db, check=0)
    run("polity", "add", polity, "--name", "P", "--description", "D", "--region",
        region, "--seats", 6, "--db", s.db, check=0)
    h, tok = s.user()
    assert s.request("PUT", "/api/v1/me/residence", {"community": c},
                     token=tok).status_code == 200
    assert s.post("/api/v1/me/consent", {"affirm": True}, token=tok).status_code == 201
    assert counts(s, polity) == (1, 1)
    # the clock reaches the expiry: nothing runs, status follows the row
    past = int(time.time()) - 1
    s.sql("UPDATE consents SET given_at = ?, expires_at = ?", past - 86400 * 365, past)
    me = s.get("/api/v1/me", token=tok).json()["citizenship"]
    assert (me["status"], me["expires_at"]) == ("resident", past)
    assert counts(s, polity) == (1, 0)
    r = s.post("/api/v1/me/consent", {"affirm": True}, token=tok)
    assert r.status_code == 201 and r.json()["status"] == "citizen"
    assert counts(s, polity) == (1, 1)


def test_the_insurance_statement_is_the_deployments(start_server, tmp_path):
    f = tmp_path / "insurance.txt"
    f.write_text("Health care, and a basic income while you serve.\n")
    s = start_server("--insurance-file", str(f))
    h, tok = s.user()
    assert s.get("/api/v1/me", token=tok).json()["citizenship"]["insurance"] == \
        "Health care, and a basic income while you serve."
    p = run("serve", "--insurance-file", str(tmp_path / "missing.txt"), "--db", s.db)
    assert p.returncode == 2 and "insurance-file" in p.stderr


# The schema of bodies and memberships before migration 14, as
# src/store/migrations.c left them after step 6 (ALTER TABLE included).
BODIES_13 = (
    "CREATE TABLE bodies_13 (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL CHECK (kind IN ('local', 'delegate')), name TEXT NOT NULL,"
    " community_id INTEGER REFERENCES communities(id), statement TEXT NOT NULL,"
    " rules TEXT NOT NULL, schedule TEXT NOT NULL,"
    " founded_by INTEGER NOT NULL REFERENCES accounts(id), founded_at INTEGER NOT NULL,"
    " secret_kinds TEXT NOT NULL DEFAULT"
    " '[\"elect_holder\",\"exclude_member\",\"readmit_member\",\"recall_holder\"]',"
    " purpose TEXT, region TEXT,"
    " weighting TEXT CHECK (weighting IN ('assembly', 'population')),"
    " founded_by_motion INTEGER REFERENCES motions(id),"
    " locals_below INTEGER NOT NULL DEFAULT 0, population_below INTEGER NOT NULL DEFAULT 0,"
    " shared_below INTEGER NOT NULL DEFAULT 0,"
    " CHECK (kind <> 'local' OR community_id IS NOT NULL))")
MEMBERSHIPS_13 = (
    "CREATE TABLE memberships_13 (body_id INTEGER NOT NULL REFERENCES bodies(id),"
    " account_id INTEGER NOT NULL REFERENCES accounts(id),"
    " status TEXT NOT NULL CHECK (status IN ('active', 'left', 'excluded')),"
    " basis TEXT NOT NULL CHECK (basis IN ('lives', 'works', 'delegate')),"
    " since INTEGER NOT NULL, PRIMARY KEY (body_id, account_id))")


def test_migration_14_rebuilds_bodies_keeping_every_row_and_reference(start_server):
    """A database of schema 13, with assemblies, members, meetings and
    motions that refer to its bodies, is migrated: every row kept, every
    reference intact, the journal's state the same, and a polity's
    assembly (kind 'polity', no founder) can then be registered."""
    s = start_server()
    h, tok = s.user()
    slug = s.found(tok).json()["slug"]
    other, otok = s.user()
    assert s.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "works"},
                  token=otok).status_code == 201
    s.settle()
    from conftest import assert_clean_exit
    assert_clean_exit(*s.stop())
    con = sqlite3.connect(s.db)
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
              for t in ("bodies", "memberships", "meetings")}
    con.executescript(
        "PRAGMA foreign_keys=OFF; BEGIN;"
        "DROP TABLE consents; DROP TABLE residences; DROP TABLE polity_seats;"
        "DROP TABLE polities; DROP TABLE region_parts; DROP TABLE region_communities;"
        "DROP TABLE regions;"
        # and what migrations 16 (enterprises), 20 (militias, and the
        # column federates of bodies), 21 (languages, and the column
        # language of bodies) and 23 (delivery corrections, and the columns
        # closed_reason of motions and dissolved_at of bodies) added, which
        # run again after 14
        "DROP TABLE enterprise_voids; DROP TABLE enterprise_admissions;"
        "DROP TABLE enterprises; DROP TABLE militia_assemblies; DROP TABLE militias;"
        "DROP TABLE person_languages; DROP TABLE delivery_corrections;"
        "ALTER TABLE motions DROP COLUMN closed_reason;"
        "DROP INDEX bodies_community;"
        + BODIES_13 + "; INSERT INTO bodies_13 SELECT id, slug, kind, name, community_id,"
        " statement, rules, schedule, founded_by, founded_at, secret_kinds, purpose,"
        " region, weighting, founded_by_motion, locals_below, population_below,"
        " shared_below FROM bodies; DROP TABLE bodies;"
        "ALTER TABLE bodies_13 RENAME TO bodies;"
        "CREATE UNIQUE INDEX bodies_one_local ON bodies(community_id) WHERE kind = 'local';"
        + MEMBERSHIPS_13 + "; INSERT INTO memberships_13 SELECT body_id, account_id,"
        " status, basis, since FROM memberships;"
        "DROP TABLE memberships; ALTER TABLE memberships_13 RENAME TO memberships;"
        "CREATE INDEX memberships_account ON memberships(account_id);"
        "DELETE FROM schema_version WHERE version IN (14, 16, 20, 21, 23); COMMIT;")
    con.close()
    # a command that opens the database to write runs migration 14
    run("community", "list", "--db", s.db, check=0)
    con = sqlite3.connect(s.db)
    # migration 14 ran again (the later ones stay as they were)
    assert con.execute("SELECT count(*) FROM schema_version WHERE version = 14"
                       ).fetchone()[0] == 1
    assert {14, 16, 20, 21, 23} <= {v for (v,) in con.execute("SELECT version FROM schema_version")}
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for t, rows in before.items():
        assert con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() == rows, t
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'bodies'").fetchone()[0]
    assert "'polity'" in sql
    con.close()
    p = run("journal", "verify", "--state", "--db", s.db, check=0)
    assert "state matches the journal" in p.stdout
    c = s.add_community()
    run("region", "add", "migrated", "--name", "M", "--communities", c, "--db", s.db,
        check=0)
    run("polity", "add", "after-14", "--name", "P", "--description", "D", "--region",
        "migrated", "--seats", 12, "--db", s.db, check=0)
    p = run("journal", "verify", "--state", "--db", s.db, check=0)
    assert "state matches the journal" in p.stdout


def test_one_seat_at_a_time_across_polities_is_the_databases_rule_too(srv, land):
    """Seats are filled by the draws (next); whatever the code will do, the
    database holds nobody in two seats at once."""
    h, tok = srv.user()
    con = sqlite3.connect(srv.db)
    try:
        account = con.execute("SELECT id FROM accounts WHERE handle = ?", (h,)).fetchone()[0]
        con.execute("SAVEPOINT probe")
        con.execute("UPDATE polity_seats SET holder_id = ? WHERE seat = 1 AND polity_id ="
                    " (SELECT id FROM polities WHERE slug = ?)", (account, land["fishing"]))
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("UPDATE polity_seats SET holder_id = ? WHERE seat = 1 AND"
                        " polity_id = (SELECT id FROM polities WHERE slug = ?)",
                        (account, land["rights"]))
        con.execute("ROLLBACK TO probe")
        con.execute("RELEASE probe")
    finally:
        con.close()


def test_a_politys_assembly_decides_its_procedure_not_its_members_nor_laws(srv, land):
    """Its members are seated by lot, its register changes by remedies
    only, it joins no federation: those kinds are not offered to it, and
    the rest of an assembly's procedure is."""
    j = srv.get(f"/api/v1/motion-kinds?body={land['fishing']}").json()
    assert j["body"] == {"slug": land["fishing"], "kind": "polity"}
    names = {k["name"] for k in j["kinds"]}
    assert {"resolution", "change_rules", "change_schedule", "declare_meeting",
            "create_office", "elect_holder", "adjourn", "amendment"} <= names
    assert not names & {"exclude_member", "readmit_member", "enact_law", "amend_law",
                        "repeal_law", "found_federation", "join_federation",
                        "elect_delegates", "answer_proposal"}
    assert all("polity" in k["decided_by"] for k in j["kinds"])


def test_a_seated_member_cannot_submit_what_a_politys_assembly_does_not_decide(
        start_server):
    """Seating comes with the draws; a membership on the basis 'lot' is
    written here by hand, as a draw will, to try the submission path."""
    s = start_server()
    c = s.add_community(unique("c"), 100)
    run("region", "add", "seated", "--name", "R", "--communities", c, "--db", s.db, check=0)
    run("polity", "add", "seated-p", "--name", "P", "--description", "D", "--region",
        "seated", "--seats", 6, "--db", s.db, check=0)
    h, tok = s.user()
    s.sql("INSERT INTO memberships(body_id, account_id, status, basis, since)"
          " SELECT b.id, a.id, 'active', 'lot', 0 FROM bodies b, accounts a"
          " WHERE b.slug = 'seated-p' AND a.handle = ?", h)
    s.settle()
    was = state(s.db)
    for kind, status, code in (("exclude_member", 403, "fed_kind"),
                               ("join_federation", 403, "fed_kind"),
                               ("enact_law", 403, "fed_no_laws")):
        r = s.post("/api/v1/bodies/seated-p/motions",
                   {"kind": kind, "title": "T", "text": "x",
                    "params": {"member": h, "reasons": "r", "hearing": "h"}
                    if kind == "exclude_member" else
                    {"federation": "nowhere-at-all"} if kind == "join_federation"
                    else None}, token=tok)
        error_of(r, status, code, "kind")
    assert state(s.db) == was
    r = s.post("/api/v1/bodies/seated-p/motions",
               {"kind": "resolution", "title": "We meet", "text": "Resolved."}, token=tok)
    assert r.status_code == 201, r.text


def test_a_cycle_written_by_hand_is_named_and_reads_still_end(start_server):
    """No command can make a region contain itself (regions never change
    once added); a direct edit can. Reading the region still ends (each
    region is walked once), and verifying the state names the edit."""
    s = start_server()
    a, b = s.add_community(unique("c"), 10), s.add_community(unique("c"), 20)
    run("region", "add", "inner", "--name", "Inner", "--communities", a, "--db", s.db,
        check=0)
    run("region", "add", "outer", "--name", "Outer", "--regions", "inner",
        "--communities", b, "--db", s.db, check=0)
    s.sql("INSERT INTO region_parts(region_id, part_id) SELECT i.id, o.id"
          " FROM regions i, regions o WHERE i.slug = 'inner' AND o.slug = 'outer'")
    r = s.get("/api/v1/regions/inner")
    assert r.status_code == 200 and r.json()["population"] == 30, r.text
    p = run("journal", "verify", "--state", "--json", "--db", s.db)
    assert p.returncode == 1
    d = json.loads(p.stdout)["state"]["difference"]
    assert (d["table"], d["column"]) == ("region_parts", "(row)"), d
