"""Federations of enterprises (issue 15 item 4, src/gov/federation/
fed_enterprise.c, docs/economy.md): enterprises federate as assemblies do,
in a delegate assembly with a purpose, within and beyond their community.
Each joins by its own decision and elects recallable delegates; a proposal
travels down and takes effect in an enterprise only by that enterprise's
own decision (accept, amend, reject); nothing it decides writes any law
register, and the local assembly may still declare an enterprise's
acceptance void under its law. Every refusal changes nothing."""
import pytest

from conftest import RULES, decide, error_of, run, schedule_now, settled_hash, unique

ENTERPRISES = "/api/v1/enterprises"


def found_enterprise(srv, tok, community, name):
    r = srv.post(ENTERPRISES, {
        "name": name, "community": community, "rule": RULES,
        "schedule": schedule_now(), "purpose": f"{name}: cloth woven by those who wear it.",
        "provides": "Cloth"}, token=tok)
    assert r.status_code == 201, r.text
    return r.json()["slug"]


def motion(srv, slug, tok, kind, params, title="A motion", text=""):
    return srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": kind, "title": title, "text": text, "params": params}, token=tok)


def laws_everywhere(srv, slugs):
    return {s: srv.get(f"/api/v1/bodies/{s}/laws").json()["laws"] for s in slugs}


@pytest.fixture(scope="module")
def trade(srv):
    """Communities north and south, each with a local assembly; the
    weavers (founder w) and the dyers (founder y) in north, the tailors
    (founder t) in south. The weavers found 'the textile trade' and the
    others join it by their own decisions, each electing a delegate."""
    people = {k: srv.user() for k in "wyto"}
    tok = {k: v[1] for k, v in people.items()}
    h = {k: v[0] for k, v in people.items()}
    north, south = srv.add_community(), srv.add_community()
    locals_ = {}
    for comm, founder, others in ((north, "w", "y"), (south, "t", "")):
        r = srv.found(tok[founder], community=comm, rule=RULES, schedule=schedule_now())
        assert r.status_code == 201, r.text
        locals_[comm] = r.json()["slug"]
        for k in others:
            assert srv.post(f"/api/v1/bodies/{locals_[comm]}/members",
                            {"affirm": True, "basis": "lives"},
                            token=tok[k]).status_code == 201
    ent = {"w": found_enterprise(srv, tok["w"], north, "Weavers"),
           "y": found_enterprise(srv, tok["y"], north, "Dyers"),
           "t": found_enterprise(srv, tok["t"], south, "Tailors")}
    fed = unique("textile")
    r = decide(srv, ent["w"], tok["w"], "found_federation", {
        "slug": fed, "name": "The textile trade", "purpose": "economy",
        "region": "north and south", "statement": "Cloth, as equals.",
        "rule": RULES, "schedule": schedule_now(), "delegate": h["w"],
        "mandate": "Share the looms."}, title="Found the textile trade")
    assert r["status"] == "adopted", r
    for k in "yt":
        assert decide(srv, ent[k], tok[k], "join_federation",
                      {"federation": fed})["status"] == "adopted"
        assert decide(srv, ent[k], tok[k], "elect_delegates", {
            "federation": fed, "delegate": h[k],
            "mandate": "Speak for us."})["status"] == "adopted"
    return {"tok": tok, "h": h, "ent": ent, "fed": fed, "north": north,
            "south": south, "locals": locals_}


def test_three_enterprises_of_two_communities_federate(srv, trade):
    j = srv.get(f"/api/v1/bodies/{trade['fed']}/federations").json()
    assert j["kind"] == "delegate" and j["federates"] == "enterprises"
    assert j["purpose"] == "economy" and j["weighting"] == "assembly"
    members = {m["body"]: m for m in j["members"]}
    assert set(members) == set(trade["ent"].values())
    assert all(m["status"] == "active" for m in members.values())
    for k, slug in trade["ent"].items():
        assert [d["handle"] for d in members[slug]["delegates"]] == [trade["h"][k]]
    # each enterprise's page lists the federation it belongs to
    mine = srv.get(f"/api/v1/bodies/{trade['ent']['t']}/federations").json()
    assert [m["federation"] for m in mine["memberships"]] == [trade["fed"]]
    # the delegates sit in it, one voice per enterprise
    seated = {m["handle"] for m in
              srv.get(f"/api/v1/bodies/{trade['fed']}/members").json()["members"]
              if m["status"] == "active"}
    assert seated == {trade["h"][k] for k in "wyt"}
    # and the command line shows it with the enterprise
    p = run("enterprise", "show", trade["ent"]["t"], "--db", srv.db, check=0)
    assert f"federation The textile trade ({trade['fed']}): a member" in p.stdout, p.stdout
    p = run("federation", "show", trade["fed"], "--db", srv.db, check=0)
    assert f"{trade['fed']}: delegate assembly of enterprises for economy, north and" \
        " south; one voice per member" in p.stdout, p.stdout
    assert f"  {trade['ent']['t']} (enterprise, active)" in p.stdout, p.stdout


def test_a_proposal_takes_effect_only_where_an_enterprise_accepts_it(srv, trade):
    tok, ent, fed = trade["tok"], trade["ent"], trade["fed"]
    locals_ = list(trade["locals"].values())
    laws_before = laws_everywhere(srv, locals_ + list(ent.values()))
    # the delegates adopt a proposal, with no condition: each enterprise's
    # own decision is its effect there
    r = decide(srv, fed, tok["w"], "adopt_proposal", {"rationale": "Less waste."},
               title="Share offcuts", text="Offcuts go to the common store weekly.")
    assert r["status"] == "adopted", r
    pid = srv.get(f"/api/v1/bodies/{fed}/proposals").json()["originated"][0]["id"]
    for k in "wyt":
        offered = srv.get(f"/api/v1/bodies/{ent[k]}/proposals").json()["offered"]
        assert [(o["id"], o["version"], o["answer"]) for o in offered] == \
            [(pid, 1, None)], offered
    answers = {"w": "accept", "y": "accept", "t": "reject"}
    for k, a in answers.items():
        r = decide(srv, ent[k], tok[k], "answer_proposal", {
            "proposal": pid, "version": 1, "answer": a,
            "reasons": "Decided at our meeting."})
        assert r["status"] == "adopted", r
    p = srv.get(f"/api/v1/proposals/{pid}").json()
    got = {a["body"]: a["answer"] for a in p["answers"]}
    assert got == {ent[k]: a for k, a in answers.items()}
    for k, a in answers.items():
        offered = srv.get(f"/api/v1/bodies/{ent[k]}/proposals").json()["offered"]
        assert offered[0]["answer"] == a
    # no law register anywhere changed: an enterprise writes none, and no
    # local assembly is beneath a federation of enterprises
    assert laws_everywhere(srv, locals_ + list(ent.values())) == laws_before
    st = srv.get(f"/api/v1/proposals/{pid}/status").json()
    assert st["versions"][0]["met"] is False
    assert st["versions"][0]["locals_accepted"] == 0
    trade["pid"] = pid


def test_the_local_assembly_voids_an_enterprise_acceptance_under_its_law(srv, trade):
    """Never above local law: north's assembly enacts a law, then declares
    the dyers' acceptance void under it; the acceptance is withdrawn."""
    tok, ent, pid = trade["tok"], trade["ent"], trade["pid"]
    north = trade["locals"][trade["north"]]
    r = decide(srv, north, tok["w"], "enact_law", title="Offcuts stay local",
               text="Offcuts are kept in the community's own store.")
    assert r["status"] == "adopted", r
    law = srv.get(f"/api/v1/bodies/{north}/laws").json()["laws"][-1]["number"]
    accept = next(a["motion"] for a in srv.get(f"/api/v1/proposals/{pid}").json()["answers"]
                  if a["body"] == ent["y"])
    # the tailors are in another community: not north's to void
    reject = next(a["motion"] for a in srv.get(f"/api/v1/proposals/{pid}").json()["answers"]
                  if a["body"] == ent["t"])
    before = settled_hash(srv)
    error_of(motion(srv, north, tok["w"], "void_enterprise_decision", {
        "decision": reject, "law": law, "reasons": "r"}), 409, "conflict",
        "params.decision")
    assert settled_hash(srv) == before
    r = decide(srv, north, tok["w"], "void_enterprise_decision", {
        "decision": accept, "law": law,
        "reasons": "The law keeps offcuts in the community's store."})
    assert r["status"] == "adopted", r
    offered = srv.get(f"/api/v1/bodies/{ent['y']}/proposals").json()["offered"]
    assert offered[0]["answer"] == "repealed"
    latest = [a for a in srv.get(f"/api/v1/proposals/{pid}").json()["answers"]
              if a["body"] == ent["y"]][-1]
    assert (latest["answer"], latest["motion"]) == ("repealed", r["id"])
    voided = srv.get(f"{ENTERPRISES}/{ent['y']}").json()["voided"]
    assert [(v["decision"], v["by"]) for v in voided] == [(accept, r["id"])]
    # the weavers' acceptance stands: their decision was not voided
    offered = srv.get(f"/api/v1/bodies/{ent['w']}/proposals").json()["offered"]
    assert offered[0]["answer"] == "accept"


def test_an_enterprise_joins_only_by_its_own_decision(srv, trade):
    """Nobody else's act makes an enterprise a member: not a join of the
    federation's body, not a motion of another body naming it, not the
    federation's own kinds about members."""
    tok, ent, fed = trade["tok"], trade["ent"], trade["fed"]
    outsider = found_enterprise(srv, tok["w"], trade["north"], "Spinners")
    before = settled_hash(srv)
    # joining the delegate assembly directly: refused
    error_of(srv.post(f"/api/v1/bodies/{fed}/members", {"affirm": True,
                                                         "basis": "works"},
                      token=tok["o"]), 403, "fed_delegates")
    # another enterprise's motion cannot name one to join
    error_of(motion(srv, ent["w"], tok["w"], "join_federation",
                    {"federation": fed, "member": outsider}), 400, "unknown_field",
             "params")
    # the federation restores or suspends only members that joined
    error_of(motion(srv, fed, tok["w"], "restore_member", {"member": outsider}),
             409, "conflict", "params.member")
    assert settled_hash(srv) == before
    mine = srv.get(f"/api/v1/bodies/{outsider}/federations").json()
    assert mine["memberships"] == []


def test_kinds_that_make_no_sense_across_the_two_kinds_of_federation(srv, trade):
    tok, ent, fed = trade["tok"], trade["ent"], trade["fed"]
    north = trade["locals"][trade["north"]]
    before = settled_hash(srv)
    # a local assembly joins no federation of enterprises
    error_of(motion(srv, north, tok["w"], "join_federation", {"federation": fed}),
             409, "fed_members", "params.federation")
    # an enterprise joins no federation of assemblies
    assemblies = unique("valley")
    assert decide(srv, north, tok["w"], "found_federation", {
        "slug": assemblies, "name": "The valley", "purpose": "transport",
        "region": "the valley", "statement": "S", "rule": RULES,
        "schedule": schedule_now(), "delegate": trade["h"]["w"],
        "mandate": "Buses."})["status"] == "adopted"
    before = settled_hash(srv)
    error_of(motion(srv, ent["y"], tok["y"], "join_federation",
                    {"federation": assemblies}), 409, "fed_members", "params.federation")
    # nor does either kind of federation join the other
    error_of(motion(srv, fed, tok["w"], "join_federation", {"federation": assemblies}),
             409, "fed_members", "params.federation")
    # enterprises have no population to weigh
    error_of(motion(srv, fed, tok["w"], "change_weighting", {"weighting": "population"}),
             400, "bad_input", "params.weighting")
    error_of(motion(srv, ent["y"], tok["y"], "found_federation", {
        "slug": unique("x"), "name": "X", "purpose": "economy", "region": "r",
        "statement": "S", "rule": RULES, "schedule": schedule_now(),
        "weighting": "population"}), 400, "bad_input", "params.weighting")
    # a proposal of a federation of enterprises has no condition over
    # local assemblies; one of assemblies needs one
    error_of(motion(srv, fed, tok["w"], "adopt_proposal", {
        "condition": {"kind": "at_least", "n": 1}}, text="T"), 400, "bad_input",
        "params.condition")
    error_of(motion(srv, assemblies, tok["w"], "adopt_proposal", {}, text="T"), 400,
             "missing_field", "params.condition")
    # a local assembly's own kinds are not an enterprise's
    error_of(motion(srv, ent["y"], tok["y"], "declaration", {"motion": 1}, text="D"), 403,
             "fed_kind", "kind")
    assert settled_hash(srv) == before


def test_a_proposal_never_writes_law(srv, trade):
    """Nothing a federation of enterprises decides writes a register: its
    kinds that would are refused, and its proposals' acceptances write
    none (above)."""
    tok, fed, ent = trade["tok"], trade["fed"], trade["ent"]
    before = settled_hash(srv)
    for kind, params in (("enact_law", None), ("amend_law", {"law": 1}),
                         ("repeal_law", {"law": 1})):
        body = {"kind": kind, "title": "All cloth is ours", "text": "Binding."}
        if params:
            body["params"] = params
        error_of(srv.post(f"/api/v1/bodies/{fed}/motions", body, token=tok["w"]),
                 403, "fed_no_laws", "kind")
        error_of(srv.post(f"/api/v1/bodies/{ent['t']}/motions", body, token=tok["t"]),
                 403, "enterprise_no_laws", "kind")
    assert settled_hash(srv) == before
    assert srv.get(f"/api/v1/bodies/{fed}/laws").json()["laws"] == []


def test_a_delegate_recalled_at_once(srv, trade):
    tok, h, ent, fed = trade["tok"], trade["h"], trade["ent"], trade["fed"]
    r = decide(srv, ent["t"], tok["t"], "recall_delegate",
               {"federation": fed, "delegate": h["t"]})
    assert r["status"] == "adopted", r
    members = {m["body"]: m for m in
               srv.get(f"/api/v1/bodies/{fed}/federations").json()["members"]}
    assert members[ent["t"]]["delegates"] == []
    # the enterprise leaves by its own decision, too
    assert decide(srv, ent["t"], tok["t"], "leave_federation",
                  {"federation": fed})["status"] == "adopted"
    members = {m["body"]: m for m in
               srv.get(f"/api/v1/bodies/{fed}/federations").json()["members"]}
    assert members[ent["t"]]["status"] == "left"
