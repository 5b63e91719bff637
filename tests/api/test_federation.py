"""Voluntary federation over HTTP. Three local assemblies whose meetings
are in session now (their schedule names this minute, in UTC, and they
take motions from the floor) found a transport federation, send and
recall delegates, and answer a proposal that is amended once and takes
effect only where it was accepted. Every change goes through a motion
decided at a meeting; the federation routes only read. The delegate
assembly's attempts to legislate are refused, and so are joining it
directly and a cycle."""
import json

import pytest
import requests

from conftest import RULES, decide, error_of, schedule_now, unique

@pytest.fixture(scope="module")
def fed(srv):
    """Locals a, b, c (founders a, b, c; populations 1000, 2000, 3000)
    in the delegate assembly 'transit', each with its founder as delegate;
    d is a member of b."""
    people = {k: srv.user() for k in "abcd"}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    slugs = {}
    for i, k in enumerate("abc"):
        community = srv.add_community(population=1000 * (i + 1))
        r = srv.found(tok[k], community=community, rule=RULES, schedule=schedule_now())
        assert r.status_code == 201, r.text
        slugs[k] = r.json()["slug"]
    r = srv.post(f"/api/v1/bodies/{slugs['b']}/members",
                 {"affirm": True, "basis": "lives"}, token=tok["d"])
    assert r.status_code == 201, r.text
    transit = unique("t")
    m = decide(srv, slugs["a"], tok["a"], "found_federation", {
        "slug": transit, "name": "Transit", "purpose": "transport",
        "region": "the valley", "statement": "We coordinate as equals.",
        "rule": RULES, "schedule": schedule_now(),
        "delegate": handle["a"], "mandate": "Argue for night buses."})
    assert m["status"] == "adopted", m
    for k in "bc":
        assert decide(srv, slugs[k], tok[k], "join_federation",
                      {"federation": transit})["status"] == "adopted"
        assert decide(srv, slugs[k], tok[k], "elect_delegates",
                      {"federation": transit, "delegate": handle[k],
                       "mandate": "Speak for us."})["status"] == "adopted"
    return {"tok": tok, "handle": handle, "slug": slugs, "transit": transit}


def test_federation_shows_members_delegates_and_mandates(srv, fed):
    r = srv.get(f"/api/v1/bodies/{fed['transit']}/federations")
    assert r.status_code == 200, r.text
    j = r.json()
    assert j["kind"] == "delegate" and j["purpose"] == "transport"
    assert j["population"] == 6000 and j["weighting"] == "assembly"
    members = {m["body"]: m for m in j["members"]}
    assert set(members) == set(fed["slug"].values())
    a = members[fed["slug"]["a"]]
    assert a["status"] == "active"
    assert a["delegates"][0]["handle"] == fed["handle"]["a"]
    assert a["delegates"][0]["mandate"] == "Argue for night buses."
    r = srv.get(f"/api/v1/bodies/{fed['slug']['b']}/federations")
    assert r.json()["memberships"][0]["federation"] == fed["transit"]
    members = srv.get(f"/api/v1/bodies/{fed['transit']}/members").json()
    assert members  # the delegates, basis 'delegate'
    error_of(srv.get("/api/v1/bodies/nope-nope/federations"), 404, "not_found")


def test_nobody_joins_a_delegate_assembly_directly(srv, fed):
    error_of(srv.post(f"/api/v1/bodies/{fed['transit']}/members",
                      {"affirm": True, "basis": "lives"}, token=fed["tok"]["d"]),
             403, "fed_delegates")
    error_of(srv.delete(f"/api/v1/bodies/{fed['transit']}/members/me",
                        token=fed["tok"]["a"]), 403, "fed_delegates")


def test_delegate_assembly_cannot_legislate(srv, fed):
    t, tok = fed["transit"], fed["tok"]["a"]
    for kind, params in [("enact_law", None), ("amend_law", {"law": 1}),
                         ("repeal_law", {"law": 1})]:
        body = {"kind": kind, "title": "A law", "text": "Binding text."}
        if params:
            body["params"] = params
        error_of(srv.post(f"/api/v1/bodies/{t}/motions", body, token=tok),
                 403, "fed_no_laws", "kind")
    assert srv.get(f"/api/v1/bodies/{t}/laws").json()["laws"] == []
    # a local assembly does not adopt proposals
    error_of(srv.post(f"/api/v1/bodies/{fed['slug']['a']}/motions",
                      {"kind": "adopt_proposal", "title": "P", "text": "T",
                       "params": {"condition": {"kind": "at_least", "n": 1}}},
                      token=tok), 403, "fed_kind", "kind")


def test_cycle_refused(srv, fed):
    error_of(srv.post(f"/api/v1/bodies/{fed['transit']}/motions",
                      {"kind": "join_federation", "title": "Loop",
                       "params": {"federation": fed["transit"]}},
                      token=fed["tok"]["a"]), 409, "fed_cycle", "params.federation")


def test_recall_in_the_middle_of_a_vote(srv, fed):
    t, tok = fed["transit"], fed["tok"]
    r = srv.post(f"/api/v1/bodies/{t}/motions",
                 {"kind": "resolution", "title": "Trams", "text": "Trams."},
                 token=tok["a"])
    assert r.status_code == 201, r.text
    m = r.json()
    code = srv.get(f"/api/v1/meetings/{m['meeting']}/code", token=tok["a"]).json()["code"]
    for k in "ab":
        srv.post(f"/api/v1/meetings/{m['meeting']}/checkins", {"code": code}, token=tok[k])
    assert srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    assert srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": "no"},
                    token=tok["b"]).status_code == 201
    d = decide(srv, fed["slug"]["b"], tok["b"], "recall_delegate",
               {"federation": t, "delegate": fed["handle"]["b"]})
    assert d["status"] == "adopted"
    got = srv.get(f"/api/v1/motions/{m['id']}").json()
    assert got["votes"] == []  # b's vote was withdrawn
    error_of(srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": "no"},
                      token=tok["b"]), 403, "not_member")
    dl = srv.get(f"/api/v1/bodies/{fed['slug']['b']}/delegations").json()["delegations"]
    assert dl[0]["recalled_by"] == d["id"]
    # d replaces b
    assert decide(srv, fed["slug"]["b"], tok["b"], "elect_delegates",
                  {"federation": t, "delegate": fed["handle"]["d"],
                   "mandate": "No trams."})["status"] == "adopted"


def test_proposal_amended_takes_effect_where_accepted(srv, fed):
    t, tok, s = fed["transit"], fed["tok"], fed["slug"]
    d = decide(srv, t, tok["a"], "adopt_proposal",
               {"rationale": "Shift workers.",
                "condition": {"kind": "share_of_population", "percent": 50}},
               title="Night buses", text="Buses all night.")
    assert d["status"] == "adopted"
    pid = srv.get(f"/api/v1/bodies/{t}/proposals").json()["originated"][0]["id"]
    offered = srv.get(f"/api/v1/bodies/{s['c']}/proposals").json()["offered"]
    assert offered[0]["id"] == pid and offered[0]["version"] == 1
    decide(srv, s["c"], tok["c"], "answer_proposal",
           {"proposal": pid, "version": 1, "answer": "amend",
            "counter_text": "Buses until 2 am.", "reasons": "Cost."})
    decide(srv, t, tok["a"], "new_proposal_version",
           {"proposal": pid, "rationale": "c's amendment."},
           title="Night buses until 2", text="Buses until 2 am.")
    decide(srv, s["a"], tok["a"], "answer_proposal",
           {"proposal": pid, "version": 2, "answer": "accept"})
    st = srv.get(f"/api/v1/proposals/{pid}/status").json()
    v2 = st["versions"][1]
    assert (v2["population_accepted"], v2["population"], v2["met"]) == (1000, 6000, False)
    decide(srv, s["c"], tok["c"], "answer_proposal",
           {"proposal": pid, "version": 2, "answer": "accept"})
    st = srv.get(f"/api/v1/proposals/{pid}/status").json()
    v2 = st["versions"][1]
    assert (v2["population_accepted"], v2["met"]) == (4000, True)
    assert v2["locals_accepted"] == 2
    tree = {n["body"]: n for n in st["tree"]["children"]}
    assert tree[s["a"]]["answers"] == {"2": "accept"}
    assert tree[s["c"]]["answers"] == {"1": "amend", "2": "accept"}
    assert tree[s["c"]]["law"]["proposal_version"] == 2
    assert "law" not in tree[s["b"]]
    laws = srv.get(f"/api/v1/bodies/{s['c']}/laws").json()["laws"]
    assert [law["title"] for law in laws] == ["Night buses until 2"]
    assert srv.get(f"/api/v1/bodies/{s['b']}/laws").json()["laws"] == []
    p = srv.get(f"/api/v1/proposals/{pid}").json()
    assert [v["version"] for v in p["versions"]] == [1, 2]
    assert p["answers"][0]["counter_text"] == "Buses until 2 am."
    assert "answers_total" not in p
    # a page of answers: those to version 2, the latest one
    page = srv.get(f"/api/v1/proposals/{pid}?version=2&limit=1").json()
    assert [(a["body"], a["version"]) for a in page["answers"]] == [(s["c"], 2)]
    assert page["answers_total"] == 2 and len(page["versions"]) == 2
    for q, field in [("version=0", "version"), ("limit=0", "limit"),
                     ("limit=10001", "limit"), ("version=x", "version")]:
        r = srv.get(f"/api/v1/proposals/{pid}?{q}")
        assert r.status_code == 400, (q, r.text)
        assert r.json()["error"]["field"] == field
    error_of(srv.get("/api/v1/proposals/999999"), 404, "not_found")
    error_of(srv.get("/api/v1/proposals/999999/status"), 404, "not_found")

    # the running counts: a tree, read from the sums; the originator
    # shows the local assemblies beneath it and how many accepted
    assert st["counted"] == "sums"
    assert (st["tree"]["locals"], st["tree"]["population"], st["tree"]["members"]) \
        == (3, 6000, 3)
    assert st["tree"]["sums"]["2"] == {"locals_accepted": 2, "population_accepted": 4000}
    assert "children_omitted" not in st["tree"]
    # reading part of the tree: from an assembly beneath the originator
    sub = srv.get(f"/api/v1/proposals/{pid}/status?under={s['c']}").json()
    assert sub["under"] == s["c"] and sub["body"] == t
    assert sub["tree"]["body"] == s["c"] and sub["tree"]["counts"] == [2]
    assert sub["versions"] == st["versions"]
    same = srv.get(f"/api/v1/proposals/{pid}/status?under={t}").json()
    assert same["tree"]["body"] == t
    error_of(srv.get(f"/api/v1/proposals/{pid}/status?under=no-such-body"),
             404, "not_found", "under")
    error_of(srv.get(f"/api/v1/proposals/{pid}/status?under=%FF%FE"),
             404, "not_found", "under")
    outside = srv.found(srv.user()[1], community=srv.add_community(population=10),
                        rule=RULES, schedule=schedule_now()).json()["slug"]
    error_of(srv.get(f"/api/v1/proposals/{pid}/status?under={outside}"),
             404, "not_found", "under")


def test_declaration_is_public(srv, fed):
    s, tok = fed["slug"], fed["tok"]
    d = decide(srv, s["b"], tok["b"], "resolution", title="Close the road",
               text="The road is closed.")
    decide(srv, s["a"], tok["a"], "declaration", {"motion": d["id"]},
           title="On the road", text="This harms our neighbours.")
    j = srv.get(f"/api/v1/bodies/{s['b']}/declarations").json()
    assert j["about_its_decisions"][0]["about"]["motion"] == d["id"]
    assert j["about_its_decisions"][0]["body"] == s["a"]
    # the assemblies' names, for the pages (issue 20)
    name = {k: srv.get(f"/api/v1/bodies/{s[k]}").json()["name"] for k in "ab"}
    about = j["about_its_decisions"][0]
    assert (about["body_name"], about["about"]["body_name"]) == (name["a"], name["b"])
    assert (about["title"], about["text"]) == ("On the road", "This harms our neighbours.")
    made = srv.get(f"/api/v1/bodies/{s['a']}/declarations").json()["adopted"]
    assert made == j["about_its_decisions"][:1], made


def test_declarations_are_paged_newest_first(srv, fed):
    """?limit=N (1 to 200, default 50) declarations a page over both lists
    together, newest first; `next` is the `before` of the page after, null
    on the last; ?about=MOTION keeps those about one decision."""
    s, tok = fed["slug"], fed["tok"]
    d = [decide(srv, s["b"], tok["b"], "resolution", title=f"Road {i}",
                text="The road is closed.")["id"] for i in range(2)]
    made = [decide(srv, s["a"], tok["a"], "declaration", {"motion": d[i % 2]},
                   title=f"On road {i}", text="We disagree.")["id"] for i in range(3)]
    path = f"/api/v1/bodies/{s['b']}/declarations"
    full = srv.get(path).json()
    assert full["next"] is None
    mine = [x for x in full["about_its_decisions"] if x["motion"] in made]
    assert [x["motion"] for x in mine] == made[::-1]
    # page by two through everything
    seen, before = [], None
    while True:
        page = srv.get(path + "?limit=2" + (f"&before={before}" if before else "")).json()
        got = page["adopted"] + page["about_its_decisions"]
        assert 1 <= len(got) <= 2
        seen += got
        before = page["next"]
        if before is None:
            break
        assert before == min(x["id"] for x in got)
    assert sorted(x["id"] for x in seen) == sorted(
        x["id"] for x in full["adopted"] + full["about_its_decisions"])
    assert len({x["id"] for x in seen}) == len(seen)
    # about one decision only
    one = srv.get(path + f"?about={d[0]}").json()
    assert [x["motion"] for x in one["about_its_decisions"]] == [made[2], made[0]]
    assert srv.get(path + "?about=999999").json() == {
        "adopted": [], "about_its_decisions": [], "next": None}
    for q, field in (("limit=0", "limit"), ("limit=201", "limit"), ("before=0", "before"),
                     ("before=x", "before"), ("about=-1", "about"), ("about=x", "about")):
        r = srv.get(path + "?" + q)
        assert r.status_code == 400, (q, r.text)
        assert r.json()["error"]["field"] == field, (q, r.text)


def next_event(lines):
    """The event name and parsed data of the next server-sent event."""
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            return name, json.loads(line[6:])
    raise AssertionError("stream ended")


def test_proposal_status_streams_as_answers_come_in(srv, fed):
    t, tok, s = fed["transit"], fed["tok"], fed["slug"]
    decide(srv, t, tok["a"], "adopt_proposal",
           {"rationale": "Safer streets.", "condition": {"kind": "at_least", "n": 2}},
           title="Bike lanes", text="A bike lane on every main road.")
    pid = srv.get(f"/api/v1/bodies/{t}/proposals").json()["originated"][0]["id"]
    r = requests.get(srv.url(f"/api/v1/proposals/{pid}/events"), stream=True, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/event-stream"
    lines = r.iter_lines(decode_unicode=True)
    name, first = next_event(lines)
    assert name == "proposal" and first["id"] == pid
    assert first["versions"][0]["locals_accepted"] == 0
    # the many writes of a decision (motion, vote, close) send one event:
    # only the answer changes what the stream shows
    decide(srv, s["a"], tok["a"], "answer_proposal",
           {"proposal": pid, "version": 1, "answer": "accept"})
    name, ev = next_event(lines)
    assert name == "proposal"
    assert (ev["versions"][0]["locals_accepted"], ev["versions"][0]["met"]) == (1, False)
    decide(srv, s["b"], tok["b"], "answer_proposal",
           {"proposal": pid, "version": 1, "answer": "accept"})
    _, ev = next_event(lines)
    assert (ev["versions"][0]["locals_accepted"], ev["versions"][0]["met"]) == (2, True)
    r.close()
    error_of(srv.get("/api/v1/proposals/999999/events"), 404, "not_found")
    error_of(srv.get("/api/v1/proposals/zero/events"), 404, "not_found")


def test_leaving_while_suspended_does_not_end_the_suspension(srv, fed):
    t, tok, s, handle = fed["transit"], fed["tok"], fed["slug"], fed["handle"]

    def status_of(slug):
        members = srv.get(f"/api/v1/bodies/{t}/federations").json()["members"]
        return [m["status"] for m in members if m["body"] == slug][0]

    assert decide(srv, t, tok["a"], "suspend_member",
                  {"member": s["c"]})["status"] == "adopted"
    assert status_of(s["c"]) == "suspended"
    # c leaves by its own decision, then joins again: still suspended
    assert decide(srv, s["c"], tok["c"], "leave_federation",
                  {"federation": t})["status"] == "adopted"
    assert status_of(s["c"]) == "left"
    d = decide(srv, s["c"], tok["c"], "join_federation", {"federation": t})
    assert d["status"] == "adopted"
    assert status_of(s["c"]) == "suspended"
    # while suspended it cannot join again either
    r = srv.post(f"/api/v1/bodies/{s['c']}/motions",
                 {"kind": "join_federation", "title": "Again", "params": {"federation": t}},
                 token=tok["c"])
    error_of(r, 409, "conflict", "params.federation")
    # only the federation restores it
    assert decide(srv, t, tok["a"], "restore_member",
                  {"member": s["c"]})["status"] == "adopted"
    assert status_of(s["c"]) == "active"
    assert decide(srv, s["c"], tok["c"], "elect_delegates",
                  {"federation": t, "delegate": handle["c"],
                   "mandate": "Speak for us."})["status"] == "adopted"
