"""Communities, local assemblies and membership: GET /api/v1/communities,
GET /api/v1/communities/{slug}, POST/GET /api/v1/bodies,
GET /api/v1/bodies/{slug}, POST/GET /api/v1/bodies/{slug}/members,
DELETE /api/v1/bodies/{slug}/members/me. Every refusal of authority, one
assembly per community, and exclusion (set directly in the database,
since no route may exclude) refusing every action of the excluded."""
import json
import re

import pytest

from conftest import RULE, SCHEDULE, error_of, run, unique

BODIES = "/api/v1/bodies"


def members_path(slug):
    return f"{BODIES}/{slug}/members"


def found_body(community_slug, **over):
    b = {"name": "Harbour Assembly", "community": community_slug,
         "statement": "We are equals and help each other.",
         "rule": RULE, "schedule": SCHEDULE}
    b.update(over)
    return b


@pytest.fixture
def assembly(srv):
    """A founded assembly: (slug, founder handle, founder token)."""
    h, tok = srv.user()
    r = srv.found(tok)
    assert r.status_code == 201, r.text
    return r.json()["slug"], h, tok


def exclude(srv, slug, handle):
    n = srv.sql("UPDATE memberships SET status = 'excluded' WHERE"
                " body_id = (SELECT id FROM bodies WHERE slug = ?) AND"
                " account_id = (SELECT id FROM accounts WHERE handle = ?)",
                slug, handle)
    assert n == 1


# -- communities ----------------------------------------------------------

def test_list_communities(srv):
    slug = srv.add_community(population=23456, name="Old Town")
    r = srv.get("/api/v1/communities")
    assert r.status_code == 200
    c = [c for c in r.json()["communities"] if c["slug"] == slug]
    assert c == [{"slug": slug, "name": "Old Town", "population": 23456,
                  "assembly": None}]


def test_get_community(srv, assembly):
    slug = srv.add_community(population=5)
    r = srv.get(f"/api/v1/communities/{slug}")
    assert r.status_code == 200
    assert r.json()["slug"] == slug and r.json()["population"] == 5
    # A community with an assembly names it.
    body_slug = assembly[0]
    comm = srv.get(f"{BODIES}/{body_slug}").json()["community"]
    assert srv.get(f"/api/v1/communities/{comm}").json()["assembly"] == \
        body_slug


def test_get_community_unknown(srv):
    error_of(srv.get("/api/v1/communities/no-such-place"), 404, "not_found")


def test_communities_cannot_be_added_through_the_api(srv):
    r = srv.post("/api/v1/communities", {"slug": "x1", "name": "X",
                                         "population": 1})
    error_of(r, 405, "method")


# -- founding -------------------------------------------------------------

def test_found_assembly(srv):
    h, tok = srv.user()
    comm = srv.add_community(population=12000)
    r = srv.post(BODIES, found_body(comm), token=tok)
    assert r.status_code == 201, r.text
    b = r.json()
    assert b["community"] == comm
    assert b["slug"] == comm  # derived from the community
    assert b["kind"] == "local"
    assert b["members"] == 1
    assert b["schedule"]["tz"] == "Europe/Lisbon"
    # The founder is the first member.
    ms = srv.get(members_path(b["slug"])).json()["members"]
    assert [(m["handle"], m["status"]) for m in ms] == [(h, "active")]
    # And it is journaled, by the founder.
    entries = srv.get("/api/v1/journal?limit=1000").json()["entries"]
    assert any(e["action"] == "body.found" and e["actor"] == h and
               e["body"] == b["slug"] for e in entries)


def test_found_with_cookie_and_explicit_slug_and_basis(srv):
    h, tok = srv.user()
    comm = srv.add_community()
    slug = unique("b")
    r = srv.post(BODIES, found_body(comm, slug=slug, basis="works"),
                 cookie=tok)
    assert r.status_code == 201, r.text
    assert r.json()["slug"] == slug
    ms = srv.get(members_path(slug)).json()["members"]
    assert ms[0]["basis"] == "works"


def test_found_anonymous_refused(srv):
    comm = srv.add_community()
    error_of(srv.post(BODIES, found_body(comm)), 401, "unauthenticated")
    assert srv.get(f"/api/v1/communities/{comm}").json()["assembly"] is None


def test_found_with_cookie_needs_json_type(srv):
    _, tok = srv.user()
    comm = srv.add_community()
    r = srv.post(BODIES, cookie=tok, data=json.dumps(found_body(comm)),
                 headers={"Content-Type": "text/plain"})
    error_of(r, 415, "bad_media_type")
    assert srv.get(f"/api/v1/communities/{comm}").json()["assembly"] is None


def test_found_with_bearer_needs_no_content_type(srv):
    _, tok = srv.user()
    comm = srv.add_community()
    r = srv.post(BODIES, token=tok, data=json.dumps(found_body(comm)),
                 json_type=False)
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("field", ["name", "community", "statement",
                                   "rule", "schedule"])
def test_found_missing_field(srv, field):
    _, tok = srv.user()
    b = found_body(srv.add_community())
    del b[field]
    error_of(srv.post(BODIES, b, token=tok), 400, "missing_field", field)


@pytest.mark.parametrize("field,value", [
    ("name", 1), ("slug", 7), ("community", ["x"]), ("statement", False),
    ("rule", "majority"), ("rule", [RULE]), ("schedule", "weekly"),
    ("basis", 1)])
def test_found_wrong_type(srv, field, value):
    _, tok = srv.user()
    b = found_body(srv.add_community(), **{field: value})
    error_of(srv.post(BODIES, b, token=tok), 400, "bad_type", field)


@pytest.mark.parametrize("field,value", [
    ("name", ""), ("name", "n" * 121), ("slug", "a"), ("slug", "s" * 65),
    ("statement", ""), ("statement", "s" * 20001)])
def test_found_out_of_range(srv, field, value):
    _, tok = srv.user()
    b = found_body(srv.add_community(), **{field: value})
    error_of(srv.post(BODIES, b, token=tok), 400, "out_of_range", field)


def test_found_bad_basis(srv):
    _, tok = srv.user()
    b = found_body(srv.add_community(), basis="visits")
    error_of(srv.post(BODIES, b, token=tok), 400, "bad_input", "basis")


def test_found_bad_slug_characters(srv):
    _, tok = srv.user()
    b = found_body(srv.add_community(), slug="Not A Slug")
    r = srv.post(BODIES, b, token=tok)
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "slug"


def test_found_unknown_community(srv):
    _, tok = srv.user()
    error_of(srv.post(BODIES, found_body("no-such-place"), token=tok), 404,
             "not_found", "community")


@pytest.mark.parametrize("rule,code,field", [
    ({"kind": "dictatorship"}, "rule_kind", "rule.kind"),
    ({"kind": "supermajority"}, "missing_field", "rule.fraction"),
    ({"kind": "simple_majority", "colour": "red"}, "unknown_field", "rule"),
])
def test_found_bad_rule_names_the_field(srv, rule, code, field):
    # The domain checks the rule (src/gov/assembly/rule_json.c); the edge passes
    # its refusal through with the field it names.
    _, tok = srv.user()
    comm = srv.add_community()
    r = srv.post(BODIES, found_body(comm, rule=rule), token=tok)
    e = error_of(r, 400, code, field)
    assert "rule" in e["message"]
    assert srv.get(f"/api/v1/communities/{comm}").json()["assembly"] is None


@pytest.mark.parametrize("key,field", [
    ("rrule", "schedule.rrule"), ("tz", "schedule.tz"),
    ("place", "schedule.place")])
def test_found_schedule_missing_part(srv, key, field):
    _, tok = srv.user()
    sched = dict(SCHEDULE)
    del sched[key]
    r = srv.post(BODIES, found_body(srv.add_community(), schedule=sched),
                 token=tok)
    error_of(r, 400, "missing_field", field)


def test_found_schedule_bad_zone(srv):
    _, tok = srv.user()
    sched = dict(SCHEDULE, tz="Mars/Olympus_Mons")
    r = srv.post(BODIES, found_body(srv.add_community(), schedule=sched),
                 token=tok)
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "schedule.tz"


def test_second_assembly_for_a_community_refused(srv):
    _, t1 = srv.user()
    _, t2 = srv.user()
    comm = srv.add_community()
    assert srv.post(BODIES, found_body(comm), token=t1).status_code == 201
    error_of(srv.post(BODIES, found_body(comm, slug=unique("b")),
                      token=t2), 409, "has_assembly", "community")
    # Not even the founder may found a second.
    error_of(srv.post(BODIES, found_body(comm, slug=unique("b")),
                      token=t1), 409, "has_assembly", "community")


def test_found_taken_slug_refused(srv, assembly):
    _, tok = srv.user()
    error_of(srv.post(BODIES, found_body(srv.add_community(),
                                         slug=assembly[0]), token=tok),
             409, "exists", "slug")


# -- listing and showing --------------------------------------------------

def test_list_bodies(srv, assembly):
    r = srv.get(BODIES)
    assert r.status_code == 200
    mine = [b for b in r.json()["bodies"] if b["slug"] == assembly[0]]
    assert len(mine) == 1 and mine[0]["members"] == 1


def test_get_body(srv, assembly):
    r = srv.get(f"{BODIES}/{assembly[0]}")
    assert r.status_code == 200
    b = r.json()
    assert b["statement"] == "We are equals."
    assert b["rules"]["default"]["kind"] == "simple_majority"
    assert b["schedule"]["rrule"] == SCHEDULE["rrule"]


def test_get_body_unknown(srv):
    error_of(srv.get(f"{BODIES}/no-such-body"), 404, "not_found")


# -- joining --------------------------------------------------------------

def test_join(srv, assembly):
    h, tok = srv.user()
    r = srv.post(members_path(assembly[0]),
                 {"affirm": True, "basis": "works"}, token=tok)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "active"
    ms = {m["handle"]: m for m in
          srv.get(members_path(assembly[0])).json()["members"]}
    assert ms[h]["basis"] == "works" and ms[h]["status"] == "active"
    assert srv.get(f"{BODIES}/{assembly[0]}").json()["members"] == 2


def test_join_with_cookie(srv, assembly):
    _, tok = srv.user()
    r = srv.post(members_path(assembly[0]),
                 {"affirm": True, "basis": "lives"}, cookie=tok)
    assert r.status_code == 201, r.text


def test_join_with_cookie_needs_json_type(srv, assembly):
    _, tok = srv.user()
    r = srv.post(members_path(assembly[0]), cookie=tok,
                 data=json.dumps({"affirm": True, "basis": "lives"}),
                 headers={"Content-Type": "text/plain"})
    error_of(r, 415, "bad_media_type")


def test_join_anonymous_refused(srv, assembly):
    error_of(srv.post(members_path(assembly[0]),
                      {"affirm": True, "basis": "lives"}), 401,
             "unauthenticated")


def test_join_without_affirming_refused(srv, assembly):
    _, tok = srv.user()
    error_of(srv.post(members_path(assembly[0]),
                      {"affirm": False, "basis": "lives"}, token=tok),
             400, "not_affirmed", "affirm")


@pytest.mark.parametrize("field", ["affirm", "basis"])
def test_join_missing_field(srv, assembly, field):
    _, tok = srv.user()
    b = {"affirm": True, "basis": "lives"}
    del b[field]
    error_of(srv.post(members_path(assembly[0]), b, token=tok), 400,
             "missing_field", field)


@pytest.mark.parametrize("field,value,code", [
    ("affirm", "yes", "bad_type"), ("affirm", 1, "bad_type"),
    ("basis", 2, "bad_type"), ("basis", "visits", "bad_input"),
    ("basis", "LIVES", "bad_input")])
def test_join_bad_field(srv, assembly, field, value, code):
    _, tok = srv.user()
    b = {"affirm": True, "basis": "lives", field: value}
    error_of(srv.post(members_path(assembly[0]), b, token=tok), 400, code,
             field)


def test_join_naming_someone_else_refused(srv, assembly):
    # The body has no field for another person: joining is for oneself.
    _, tok = srv.user()
    other = srv.signup()
    error_of(srv.post(members_path(assembly[0]),
                      {"affirm": True, "basis": "lives", "handle": other},
                      token=tok), 400, "unknown_field", "handle")


def test_join_twice_refused(srv, assembly):
    _, tok = srv.user()
    b = {"affirm": True, "basis": "lives"}
    assert srv.post(members_path(assembly[0]), b, token=tok).status_code \
        == 201
    error_of(srv.post(members_path(assembly[0]), b, token=tok), 409,
             "already_member")


def test_join_unknown_body(srv):
    _, tok = srv.user()
    error_of(srv.post(members_path("no-such-body"),
                      {"affirm": True, "basis": "lives"}, token=tok),
             404, "not_found")


# -- members list ---------------------------------------------------------

def test_list_members(srv, assembly):
    r = srv.get(members_path(assembly[0]))
    assert r.status_code == 200
    m = r.json()["members"][0]
    assert set(m) >= {"handle", "display_name", "status", "basis", "since"}


def test_list_members_unknown_body(srv):
    error_of(srv.get(members_path("no-such-body")), 404, "not_found")


# -- leaving --------------------------------------------------------------

def test_leave_and_rejoin(srv, assembly):
    h, tok = srv.user()
    path = members_path(assembly[0])
    assert srv.post(path, {"affirm": True, "basis": "lives"},
                    token=tok).status_code == 201
    r = srv.delete(path + "/me", token=tok)
    assert r.status_code == 204, r.text
    ms = {m["handle"]: m for m in srv.get(path).json()["members"]}
    assert h not in ms or ms[h]["status"] == "left"
    error_of(srv.delete(path + "/me", token=tok), 403, "not_member")
    # Leaving is free, and so is coming back.
    assert srv.post(path, {"affirm": True, "basis": "lives"},
                    token=tok).status_code == 201


def test_leave_with_cookie_needs_json_type(srv, assembly):
    h, tok = srv.user()
    path = members_path(assembly[0])
    srv.post(path, {"affirm": True, "basis": "lives"}, token=tok)
    error_of(srv.delete(path + "/me", cookie=tok, json_type=False), 415,
             "bad_media_type")
    assert srv.delete(path + "/me", cookie=tok).status_code == 204


def test_leave_anonymous_refused(srv, assembly):
    error_of(srv.delete(members_path(assembly[0]) + "/me"), 401,
             "unauthenticated")


def test_leave_when_not_member_refused(srv, assembly):
    _, tok = srv.user()
    error_of(srv.delete(members_path(assembly[0]) + "/me", token=tok), 403,
             "not_member")


def test_leave_unknown_body(srv):
    _, tok = srv.user()
    error_of(srv.delete(members_path("no-such-body") + "/me", token=tok),
             404, "not_found")


def test_founder_may_leave(srv, assembly):
    slug, h, tok = assembly
    assert srv.delete(members_path(slug) + "/me", token=tok).status_code \
        == 204


# -- exclusion ------------------------------------------------------------

def test_excluded_member_refused_every_action(srv, assembly):
    slug = assembly[0]
    path = members_path(slug)
    h, tok = srv.user()
    assert srv.post(path, {"affirm": True, "basis": "lives"},
                    token=tok).status_code == 201
    exclude(srv, slug, h)
    error_of(srv.delete(path + "/me", token=tok), 403, "excluded")
    error_of(srv.post(path, {"affirm": True, "basis": "lives"}, token=tok),
             403, "excluded")
    ms = {m["handle"]: m for m in srv.get(path).json()["members"]}
    assert ms[h]["status"] == "excluded"
    # Still excluded: the record of exclusion stays.
    error_of(srv.post(path, {"affirm": True, "basis": "works"},
                      cookie=tok), 403, "excluded")


def test_excluded_founder_refused(srv):
    h, tok = srv.user()
    r = srv.found(tok)
    slug = r.json()["slug"]
    exclude(srv, slug, h)
    error_of(srv.delete(members_path(slug) + "/me", token=tok), 403,
             "excluded")
    error_of(srv.post(members_path(slug), {"affirm": True,
                                           "basis": "lives"}, token=tok),
             403, "excluded")


def test_exclusion_in_one_assembly_not_another(srv, assembly):
    h, tok = srv.user()
    _, t2 = srv.user()
    other = srv.found(t2).json()["slug"]
    for s in (assembly[0], other):
        srv.post(members_path(s), {"affirm": True, "basis": "lives"},
                 token=tok)
    exclude(srv, assembly[0], h)
    assert srv.delete(members_path(other) + "/me", token=tok).status_code \
        == 204


# -- no route changes another person's membership -------------------------

def test_no_route_changes_another_persons_membership():
    routes = json.loads(run("routes", "--json", check=0).stdout)
    person_fields = {"handle", "account", "member", "account_id", "user",
                     "status"}
    membership = [r for r in routes if "/members" in r["path"]]
    changing = [r for r in membership if r["method"] != "GET"]
    # Exactly: join (the caller) and leave (the caller, ".../me").
    assert sorted((r["method"], r["path"]) for r in changing) == [
        ("DELETE", "/api/v1/bodies/{slug}/members/me"),
        ("POST", "/api/v1/bodies/{slug}/members")]
    for r in changing:
        assert r["auth"] == "required"
        assert not person_fields & {f["name"] for f in r["body"]}
        # No path parameter can name a person.
        assert r["path"].count("{") == 1
    # And no other route mentions members or memberships at all.
    for r in routes:
        if r not in membership and r["method"] != "GET":
            assert "member" not in r["path"]
            assert not {"status"} & {f["name"] for f in r["body"]}


def test_other_person_cannot_leave_for_someone(srv, assembly):
    slug, founder, _ = assembly
    _, tok = srv.user()
    # No path names a member: /members/{handle} does not exist.
    error_of(srv.delete(members_path(slug) + "/" + founder, token=tok), 404,
             "not_found")
    r = srv.request("PUT", members_path(slug) + "/me", token=tok, body={})
    error_of(r, 405, "method")
    ms = {m["handle"]: m for m in srv.get(members_path(slug)).json()["members"]}
    assert ms[founder]["status"] == "active"


def test_found_with_longest_statement_in_multibyte_script(srv):
    # 20,000 characters of 3-byte UTF-8 fit under the body limit.
    _, tok = srv.user()
    statement = "平" * 20000
    r = srv.post(BODIES, found_body(srv.add_community(),
                                    statement=statement), token=tok)
    assert r.status_code == 201, r.text
    assert srv.get(f"{BODIES}/{r.json()['slug']}").json()["statement"] == \
        statement


# -- schedules: any RFC 5545 rule, with a bound ----------------------------

def test_found_schedule_rule_the_old_expander_refused(srv):
    # The last weekday of each month (BYSETPOS) was refused before libical
    # expanded rules (src/core/rrule.c); every meeting pnyx puts on the
    # calendar is a weekday with no later weekday in its month.
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo
    _, tok = srv.user()
    sched = dict(SCHEDULE, rrule="FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR;"
                 "BYHOUR=18;BYMINUTE=0")
    r = srv.post(BODIES, found_body(srv.add_community(), schedule=sched), token=tok)
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    body = srv.get(f"{BODIES}/{slug}").json()
    assert body["schedule"]["rrule"] == ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=18;"
                                         "BYMINUTE=0;BYSETPOS=-1")
    up = srv.get(f"{BODIES}/{slug}/meetings").json()["upcoming"]
    assert len(up) >= 12
    lisbon = ZoneInfo("Europe/Lisbon")
    for m in up:
        t = datetime.fromtimestamp(m["starts_at"], lisbon)
        assert (t.hour, t.minute) == (18, 0), t
        assert t.weekday() < 5, t
        d = t + timedelta(days=1)
        while d.month == t.month:
            assert d.weekday() >= 5, (t, d)
            d += timedelta(days=1)


@pytest.mark.parametrize("rrule,words", [
    # three a day: 1191 in 397 days, one more when the span crosses the
    # autumn change of clocks (the span is of instants)
    ("FREQ=DAILY;BYHOUR=8,13,18;BYMINUTE=0",
     r"^this rule makes 119[12] meetings within 397 days; a schedule makes at most 800"),
    ("FREQ=WEEKLY;BYHOUR=9;BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17",
     r"at most 800"),
    # February 29th falling on a Monday: 2016, then 2044 (so this holds
    # for tests run until 2039)
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYHOUR=9",
     r"^this rule makes no meeting in the next 4 years"),
])
def test_found_schedule_bound_on_meetings(srv, rrule, words):
    # A schedule makes at most 800 meetings in any 397 days (two a day) and
    # at least one in its first four years; refused, nothing is founded.
    _, tok = srv.user()
    comm = srv.add_community()
    sched = dict(SCHEDULE, rrule=rrule)
    e = error_of(srv.post(BODIES, found_body(comm, schedule=sched), token=tok),
                 400, "bad_rrule", "schedule.rrule")
    assert re.search(words, e["message"]), e
    assert srv.get(f"/api/v1/communities/{comm}").json()["assembly"] is None


def test_found_schedule_twice_a_day_is_within_the_bound(srv):
    _, tok = srv.user()
    sched = dict(SCHEDULE, rrule="FREQ=DAILY;BYHOUR=8,18;BYMINUTE=0")
    r = srv.post(BODIES, found_body(srv.add_community(), schedule=sched), token=tok)
    assert r.status_code == 201, r.text
