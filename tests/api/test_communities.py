"""A community divides, or unites with others, by its own decision (issue
21, src/gov/community, docs/communities.md). Division: the new
communities and assemblies, the register copied and linked, offices and
committees ended, the regional delegate assembly with the new assemblies
as members, federation memberships passed on, the old assembly deciding
nothing more. Members then choose their new community. Every refusal is
shown to change nothing."""
import json
import time

import pytest

from conftest import (RULES, decide, error_of, run, schedule_now, settled_hash, state_hash,
                      unique)

# stricter rules for two kinds: division, without a rule of its own, is
# decided by the strictest (three quarters of those present beats two
# thirds of votes cast: a larger fraction of a larger base)
OLD_RULES = {"default": {"kind": "simple_majority"},
             "by_kind": {"change_rules": {"kind": "supermajority", "fraction": "2/3",
                                          "base": "cast"},
                         "exclude_member": {"kind": "supermajority", "fraction": "3/4",
                                            "base": "present"}}}


def motion(srv, slug, tok, kind, params, title="A motion", text=""):
    return srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": kind, "title": title, "text": text, "params": params}, token=tok)


def new_communities(prefix, shares, areas=None):
    return [{"name": f"{prefix.title()} {i + 1}", "slug": f"{prefix}-{i + 1}",
             "areas": (areas or ["The streets north of the river",
                                 "The old town, between the walls",
                                 "The harbour and the fishermen's quarter"])[i % 3],
             "population": p, "schedule": schedule_now()}
            for i, p in enumerate(shares)]


@pytest.fixture(scope="module")
def town(srv):
    """Riverton (population 9000; founder a, members b and c) with two
    laws in force and one repealed, a clerk (b), a committee, and a
    membership of the delegate assembly Valley (founded by Hill, founder
    h). o belongs nowhere."""
    people = {k: srv.user() for k in "abcho"}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    community = srv.add_community(population=9000)
    r = srv.found(tok["a"], community=community, rule=OLD_RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    old = r.json()["slug"]
    for k in "bc":
        assert srv.post(f"/api/v1/bodies/{old}/members", {"affirm": True, "basis": "lives"},
                        token=tok[k]).status_code == 201
    a = tok["a"]
    assert decide(srv, old, a, "enact_law", title="Quiet hours",
                  text="No noise after ten.")["status"] == "adopted"
    assert decide(srv, old, a, "enact_law", title="Bread",
                  text="The bakery opens at six.")["status"] == "adopted"
    assert decide(srv, old, a, "amend_law", {"law": 2}, title="Bread",
                  text="The bakery opens at five.")["status"] == "adopted"
    assert decide(srv, old, a, "enact_law", title="Old rule",
                  text="Gone.")["status"] == "adopted"
    assert decide(srv, old, a, "repeal_law", {"law": 3})["status"] == "adopted"
    assert decide(srv, old, a, "create_office", {"name": "clerk",
                  "duties": "Keeps the minutes."})["status"] == "adopted"
    assert decide(srv, old, a, "elect_holder", {"office": "clerk",
                  "holder": h["b"]})["status"] == "adopted"
    assert decide(srv, old, a, "create_committee", {
        "name": "Works", "scope": "The quay.", "decision_kinds": ["resolution"],
        "members": [h["a"], h["b"]], "ends_at": int(time.time()) + 86400 * 365})["status"] == "adopted"
    hill = srv.found(tok["h"], rule=RULES, schedule=schedule_now()).json()["slug"]
    valley = unique("valley")
    assert decide(srv, hill, tok["h"], "found_federation", {
        "slug": valley, "name": "Valley", "purpose": "general", "region": "the valley",
        "statement": "We coordinate as equals.", "rule": RULES,
        "schedule": schedule_now(), "delegate": h["h"],
        "mandate": "Speak for the hill."})["status"] == "adopted"
    assert decide(srv, old, a, "join_federation", {"federation": valley})["status"] \
        == "adopted"
    # a proposal in flight: Valley offers it, Riverton accepts, the
    # condition (two assemblies) is not met yet
    d = decide(srv, valley, tok["h"], "adopt_proposal",
               {"condition": {"kind": "at_least", "n": 2}}, title="Night buses",
               text="Buses all night.")
    assert d["status"] == "adopted", d
    pid = srv.get(f"/api/v1/bodies/{valley}/proposals").json()["originated"][0]["id"]
    assert decide(srv, old, a, "answer_proposal", {"proposal": pid, "version": 1,
                                                    "answer": "accept"})["status"] == "adopted"
    return {"tok": tok, "h": h, "old": old, "community": community, "valley": valley,
            "prefix": unique("r"), "proposal": pid}


def test_refusals_of_a_division_change_nothing(srv, town):
    tok, old, prefix = town["tok"], town["old"], town["prefix"]
    before = settled_hash(srv)
    good = {"communities": new_communities(prefix, [3000, 3000, 3000]),
            "regional_name": "Riverton region", "regional_slug": prefix + "-region"}

    def refused(params, status, code, field, who="a"):
        e = error_of(motion(srv, old, tok[who], "divide_community", params), status, code,
                     field)
        return e["message"]
    # the populations do not add up to the community's 9000
    msg = refused(dict(good, communities=new_communities(prefix, [3000, 3000, 2000])),
                  400, "bad_input", "params.communities")
    assert "8000" in msg and "9000" in msg
    # one community is no division; a row without its name, or its schedule
    refused(dict(good, communities=new_communities(prefix, [9000])), 400, "out_of_range",
            "params.communities")
    rows = new_communities(prefix, [3000, 3000, 3000])
    del rows[1]["name"]
    assert "2" in refused(dict(good, communities=rows), 400, "missing_field",
                          "params.communities.name")
    rows = new_communities(prefix, [3000, 3000, 3000])
    del rows[2]["schedule"]
    refused(dict(good, communities=rows), 400, "missing_field",
            "params.communities.schedule")
    rows = new_communities(prefix, [3000, 3000, 3000])
    rows[0]["population"] = "many"
    refused(dict(good, communities=rows), 400, "out_of_range",
            "params.communities.population")
    rows = new_communities(prefix, [3000, 3000, 3000])
    rows[0]["mayor"] = "nobody"
    refused(dict(good, communities=rows), 400, "unknown_field", "params.communities")
    # a short name taken already (the old community's), or twice
    rows = new_communities(prefix, [3000, 3000, 3000])
    rows[1]["slug"] = town["community"]
    refused(dict(good, communities=rows), 409, "exists", "params.communities.slug")
    rows = new_communities(prefix, [3000, 3000, 3000])
    rows[2]["slug"] = rows[0]["slug"]
    refused(dict(good, communities=rows), 400, "bad_input", "params.communities.slug")
    refused(dict(good, regional_slug=prefix + "-1"), 400, "bad_input",
            "params.regional_slug")
    refused(dict(good, regional_slug=town["valley"]), 409, "exists",
            "params.regional_slug")
    del good["regional_name"]
    refused(good, 400, "missing_field", "params.regional_name")
    # not a member; a delegate assembly never divides (it has no community)
    refused(dict(good, regional_name="R"), 403, "not_member", None, who="o")
    e = error_of(motion(srv, town["valley"], tok["h"], "divide_community",
                        dict(good, regional_name="R")), 403, "fed_kind", "kind")
    assert "divide_community" in e["message"]
    assert state_hash(srv.db) == before


def test_the_operator_registers_communities_and_never_divides_one(srv, town):
    before = settled_hash(srv)
    # the command line has no way to divide, merge or re-bound a community
    for sub in ("divide", "merge", "unite", "bounds", "set"):
        p = run("community", sub, town["community"], "--db", srv.db)
        assert p.returncode == 2, (sub, p.stdout, p.stderr)
        assert "decision" in p.stderr, p.stderr
    # adding one that exists is refused; adding a new one still works
    p = run("community", "add", town["community"], "--name", "X", "--population", "5",
            "--db", srv.db)
    assert p.returncode != 0
    assert state_hash(srv.db) == before


def test_a_division_by_decision(srv, town):
    tok, h, old, prefix = town["tok"], town["h"], town["old"], town["prefix"]
    params = {"communities": new_communities(prefix, [4000, 3000, 2000]),
              "regional_name": "Riverton region", "regional_slug": prefix + "-region"}
    # a motion still undecided when the assembly divides
    pending = motion(srv, old, tok["c"], "resolution", None, title="A bench",
                     text="A bench by the river.")
    assert pending.status_code == 201, pending.text
    r = motion(srv, old, tok["a"], "divide_community", params, title="Divide Riverton",
               text="Three neighbourhoods, each able to meet in one room.")
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    meeting = r.json()["meeting"]
    # everyone checks in (b, the clerk, shows the room code), and votes
    for k in "abc":
        code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["b"]).json()["code"]
        assert srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                        token=tok[k]).status_code in (201, 409)
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok["b"])
    assert r.status_code == 200, r.text
    # the strictest rule the assembly set decides it
    assert r.json()["rule"] == OLD_RULES["by_kind"]["exclude_member"], r.json()["rule"]
    for k in "abc":
        assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["b"])
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["status"] == "adopted", d
    slugs = [c["slug"] for c in params["communities"]]
    region = prefix + "-region"

    # the new communities and their assemblies, with the laws in force
    for c, pop in zip(slugs, (4000, 3000, 2000)):
        com = srv.get(f"/api/v1/communities/{c}").json()
        assert com["population"] == pop and com["assembly"] == c, com
        assert com["areas"] == next(x["areas"] for x in params["communities"]
                                    if x["slug"] == c)
        b = srv.get(f"/api/v1/bodies/{c}").json()
        assert b["kind"] == "local" and b["members"] == 0
        assert b["rules"] == srv.get(f"/api/v1/bodies/{old}").json()["rules"]
        assert b["lineage"]["came_from"] == [{"slug": old, "name": "Assembly",
                                              "kind": "local", "how": "divided",
                                              "motion": mid}]
        laws = srv.get(f"/api/v1/bodies/{c}/laws").json()["laws"]
        assert [(x["number"], x["title"], x["version"], x["status"]) for x in laws] == \
            [(1, "Quiet hours", 1, "in_force"), (2, "Bread", 1, "in_force")]
        law = srv.get(f"/api/v1/bodies/{c}/laws/2").json()
        assert law["versions"][0]["text"] == "The bakery opens at five."
        assert law["versions"][0]["motion"] == mid
        assert law["origins"] == [{"body": old, "number": 2, "motion": mid}], law
    # the regional assembly, the three its members; the old federation
    # membership passed to it
    fed = srv.get(f"/api/v1/bodies/{region}/federations").json()
    assert fed["kind"] == "delegate"
    assert sorted(m["body"] for m in fed["members"] if m["status"] == "active") == \
        sorted(slugs)
    assert [(m["federation"], m["status"]) for m in fed["memberships"]] == \
        [(town["valley"], "active")]
    mine = srv.get(f"/api/v1/bodies/{old}/federations").json()["memberships"]
    assert [(m["federation"], m["status"]) for m in mine] == [(town["valley"], "left")]
    # the proposal in flight: the old assembly's answer stands on record;
    # the regional assembly receives the version still open, to answer
    answers = srv.get(f"/api/v1/proposals/{town['proposal']}").json()["answers"]
    assert [(x["body"], x["answer"]) for x in answers] == [(old, "accept")]
    offered = srv.get(f"/api/v1/bodies/{region}/proposals").json()["offered"]
    assert [(x["id"], x["version"], x["answer"]) for x in offered] == \
        [(town["proposal"], 1, None)], offered
    # the old assembly: divided, its offices empty, its committee ended
    body = srv.get(f"/api/v1/bodies/{old}").json()
    assert body["lineage"]["ended"]["how"] == "divided"
    assert body["lineage"]["ended"]["motion"] == mid
    assert sorted(x["slug"] for x in body["lineage"]["became"]) == sorted(slugs + [region])
    # what it had on its agenda will never be decided
    assert srv.get(f"/api/v1/motions/{pending.json()['id']}").json()["status"] == "void"
    off = srv.get(f"/api/v1/bodies/{old}/offices").json()
    assert [o["holder"] for o in off["offices"]] == [None]
    assert [c["state"] for c in off["committees"]] != ["in_force"], off
    town.update(slugs=slugs, region=region, divided_by=mid, pending=pending.json()["id"])


def test_a_divided_assembly_decides_nothing_more(srv, town):
    tok, old = town["tok"], town["old"]
    before = settled_hash(srv)
    e = error_of(motion(srv, old, tok["a"], "resolution", None, text="Still here?"),
                 409, "divided", None)
    assert "new assemblies" in e["message"]
    error_of(srv.post(f"/api/v1/bodies/{old}/members", {"affirm": True, "basis": "lives"},
                      token=tok["o"]), 409, "divided", None)
    # no vote opens there either (its motion left undecided is void)
    error_of(srv.post(f"/api/v1/motions/{town['pending']}/voting",
                      {"mode": "devices"}, token=tok["b"]), 409, "divided", None)
    assert state_hash(srv.db) == before
    # the list of assemblies says it ended, and how; the new ones have not
    listed = {b["slug"]: b for b in srv.get("/api/v1/bodies").json()["bodies"]}
    ended = listed[old]["ended"]
    assert ended["how"] == "divided" and ended["at"] > 0, listed[old]
    assert all("ended" not in b for k, b in listed.items() if k != old)


def test_members_choose_their_new_community(srv, town):
    tok, h, slugs, old = town["tok"], town["h"], town["slugs"], town["old"]
    # each member was told, where notifications land (but b, who closed
    # the vote)
    deadline = time.time() + 20
    while True:
        told = [n for n in srv.get("/api/v1/me/notifications", token=tok["c"]).json()
                ["notifications"] if n["what"] == "division"]
        if told or time.time() > deadline:
            break
        time.sleep(0.1)
    assert [n["link"] for n in told] == [f"/assembly.html?slug={old}"], told
    assert "say which new community" in told[0]["text"]
    mine = srv.get("/api/v1/me/communities", token=tok["b"]).json()["choices"]
    assert len(mine) == 1 and mine[0]["from"]["slug"] == old and mine[0]["chosen"] is None
    assert [c["slug"] for c in mine[0]["choices"]] == slugs
    assert mine[0]["choices"][0]["areas"] == "The streets north of the river"
    div = srv.get(f"/api/v1/bodies/{old}/division").json()
    assert sorted(div["to_choose"]) == sorted(h[k] for k in "abc") and div["chosen"] == []
    # nobody acts in a new assembly before choosing it, nor joins one
    # directly
    before = settled_hash(srv)
    error_of(motion(srv, slugs[0], tok["b"], "resolution", None, text="Hello"), 403,
             "not_member", None)
    error_of(srv.post(f"/api/v1/bodies/{slugs[0]}/members",
                      {"affirm": True, "basis": "lives"}, token=tok["b"]), 409, "conflict",
             "community")
    # someone who was not a member has nothing to choose
    error_of(srv.post(f"/api/v1/bodies/{old}/choice", {"community": slugs[0]},
                      token=tok["o"]), 403, "not_member", "from")
    error_of(srv.post(f"/api/v1/bodies/{old}/choice", {"community": town["valley"]},
                      token=tok["b"]), 404, "not_found", "community")
    error_of(srv.post(f"/api/v1/bodies/{old}/choice", {}, token=tok["b"]), 400,
             "missing_field", "community")
    error_of(srv.post(f"/api/v1/bodies/{slugs[0]}/choice", {"community": slugs[1]},
                      token=tok["b"]), 409, "conflict", "from")
    assert state_hash(srv.db) == before

    r = srv.post(f"/api/v1/bodies/{old}/choice", {"community": slugs[0]}, token=tok["b"])
    assert r.status_code == 201, r.text
    members = srv.get(f"/api/v1/bodies/{slugs[0]}/members").json()["members"]
    assert [(m["handle"], m["status"], m["basis"]) for m in members] == \
        [(h["b"], "active", "lives")]
    # a member of one: refused a second, directly
    before = settled_hash(srv)
    e = error_of(srv.post(f"/api/v1/bodies/{slugs[1]}/members",
                          {"affirm": True, "basis": "lives"}, token=tok["b"]), 409,
                 "conflict", "community")
    assert slugs[0] in e["message"]
    assert state_hash(srv.db) == before
    # one change within the period: b moves to the second, and leaves the
    # first
    r = srv.post(f"/api/v1/bodies/{old}/choice", {"community": slugs[1]}, token=tok["b"])
    assert r.status_code == 201, r.text
    assert r.json()["changed"] is True
    st = {m["handle"]: m["status"] for m in
          srv.get(f"/api/v1/bodies/{slugs[0]}/members").json()["members"]}
    assert st == {h["b"]: "left"}
    before = settled_hash(srv)
    e = error_of(srv.post(f"/api/v1/bodies/{old}/choice", {"community": slugs[2]},
                          token=tok["b"]), 409, "conflict", "community")
    assert "30 days" in e["message"]
    assert state_hash(srv.db) == before
    mine = srv.get("/api/v1/me/communities", token=tok["b"]).json()["choices"]
    assert mine[0]["chosen"] == slugs[1] and mine[0]["may_change"] is False
    # the command line says the same, and refuses the same
    p = run("me", "communities", "--token", tok["b"], "--db", srv.db, check=0)
    assert f"divided: {slugs[1]}" in p.stdout and "north of the river" in p.stdout
    p = run("me", "choose", old, slugs[2], "--token", tok["b"], "--db", srv.db)
    assert p.returncode == 2 and "30 days" in p.stderr, (p.stdout, p.stderr)
    assert state_hash(srv.db) == before
    # a chooses by the API, c by the command line; the new assembly
    # decides, and changes its laws
    assert srv.post(f"/api/v1/bodies/{old}/choice", {"community": slugs[0]},
                    token=tok["a"]).status_code == 201
    p = run("me", "choose", old, slugs[0], "--token", tok["c"], "--db", srv.db, check=0)
    assert p.stdout == f"you are a member of {slugs[0]}\n"
    assert decide(srv, slugs[0], tok["a"], "amend_law", {"law": 1}, title="Quiet hours",
                  text="No noise after eleven.")["status"] == "adopted"
    law = srv.get(f"/api/v1/bodies/{slugs[0]}/laws/1").json()
    assert [v["version"] for v in law["versions"]] == [1, 2]
    # the others' registers are their own: unchanged
    assert len(srv.get(f"/api/v1/bodies/{slugs[1]}/laws/1").json()["versions"]) == 1
    div = srv.get(f"/api/v1/bodies/{old}/division").json()
    assert div["to_choose"] == []
    assert {c["handle"]: c["community"] for c in div["chosen"]} == \
        {h["a"]: slugs[0], h["b"]: slugs[1], h["c"]: slugs[0]}


UNITED_SCHEDULE = schedule_now()


def union_terms(town, with_, **extra):
    t = {"with": with_, "slug": town["prefix"] + "-united", "name": "Riverton again",
         "areas": "North of the river and the old town.", "statement": "We are equals.",
         "rule": RULES, "schedule": UNITED_SCHEDULE}
    t.update(extra)
    return t


def test_two_new_communities_unite_again(srv, town):
    tok, h, slugs, region = town["tok"], town["h"], town["slugs"], town["region"]
    one, two = slugs[0], slugs[1]  # a and c in one, b in two
    united = town["prefix"] + "-united"
    before = settled_hash(srv)
    # refusals: an assembly that ended, itself, a delegate assembly, a
    # short name taken
    error_of(motion(srv, one, tok["a"], "unite_communities",
                    union_terms(town, [town["old"]])), 409, "divided", "params.with")
    error_of(motion(srv, one, tok["a"], "unite_communities", union_terms(town, [one])),
             400, "bad_input", "params.with")
    error_of(motion(srv, one, tok["a"], "unite_communities", union_terms(town, [region])),
             400, "bad_input", "params.with")
    error_of(motion(srv, one, tok["a"], "unite_communities",
                    union_terms(town, [two], slug=town["community"])), 409, "exists",
             "params.slug")
    error_of(motion(srv, one, tok["a"], "unite_communities", union_terms(town, [])), 400,
             "out_of_range", "params.with")
    assert state_hash(srv.db) == before

    # one adopts: nothing happens to anyone until two has too
    d = decide(srv, one, tok["a"], "unite_communities", union_terms(town, [two]),
               title="Unite with the old town")
    assert d["status"] == "adopted", d
    u = srv.get(f"/api/v1/unions/{united}").json()
    assert u["status"] == "adopting"
    assert [(x["slug"], x["adopted_by"]) for x in u["assemblies"]] == \
        [(one, d["id"]), (two, None)]
    error_of(srv.get(f"/api/v1/bodies/{united}"), 404, "not_found")
    assert srv.get(f"/api/v1/bodies/{one}").json()["lineage"]["ended"] is None
    # a union adopted by only some: the others adopt the same terms, or
    # nothing; the first may not adopt it twice
    before = settled_hash(srv)
    error_of(motion(srv, one, tok["a"], "unite_communities", union_terms(town, [two])),
             409, "conflict", "params.slug")
    e = error_of(motion(srv, two, tok["b"], "unite_communities",
                        union_terms(town, [one], name="Another name")), 409, "conflict",
                 "params.name")
    assert "same terms" in e["message"]
    error_of(motion(srv, slugs[2], tok["b"], "unite_communities",
                    union_terms(town, [one])), 403, "not_member", None)
    assert state_hash(srv.db) == before

    d2 = decide(srv, two, tok["b"], "unite_communities", union_terms(town, [one]),
                title="Unite with the north")
    assert d2["status"] == "adopted", d2
    assert srv.get(f"/api/v1/unions/{united}").json()["status"] == "united"
    listed = {b["slug"]: b for b in srv.get("/api/v1/bodies").json()["bodies"]}
    assert listed[one]["ended"]["how"] == listed[two]["ended"]["how"] == "united"
    assert "ended" not in listed[united]
    body = srv.get(f"/api/v1/bodies/{united}").json()
    assert body["members"] == 3 and body["population"] == 7000
    assert sorted(x["slug"] for x in body["lineage"]["came_from"]) == [one, two]
    members = {m["handle"]: m["status"] for m in
               srv.get(f"/api/v1/bodies/{united}/members").json()["members"]}
    assert members == {h[k]: "active" for k in "abc"}
    # the register merged: Bread, alike in both, once; the two versions
    # of the quiet hours each, marked with where they came from
    laws = srv.get(f"/api/v1/bodies/{united}/laws").json()["laws"]
    assert [(x["number"], x["title"]) for x in laws] == \
        [(1, "Bread"), (2, "Quiet hours"), (3, "Quiet hours")]
    origins = [[(o["body"], o["number"]) for o in
                srv.get(f"/api/v1/bodies/{united}/laws/{n}").json()["origins"]]
               for n in (1, 2, 3)]
    assert origins == [[(one, 2), (two, 2)], [(one, 1)], [(two, 1)]]
    assert srv.get(f"/api/v1/bodies/{united}/laws/2").json()["versions"][0]["text"] == \
        "No noise after eleven."
    # the federation memberships merged: the regional assembly has the
    # united assembly and the third
    fed = srv.get(f"/api/v1/bodies/{region}/federations").json()
    assert sorted(m["body"] for m in fed["members"] if m["status"] == "active") == \
        sorted([united, slugs[2]])
    # the old assemblies decide nothing more
    before = settled_hash(srv)
    for slug, who in ((one, "a"), (two, "b")):
        error_of(motion(srv, slug, tok[who], "resolution", None, text="Still?"), 409,
                 "united", None)
        assert srv.get(f"/api/v1/bodies/{slug}").json()["lineage"]["became"][0]["slug"] \
            == united
    assert state_hash(srv.db) == before


def test_the_division_replays(srv, town):
    p = run("journal", "verify", "--state", "--json", "--db", srv.db)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["state"]["ok"], j
