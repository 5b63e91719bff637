"""The federation tree of issue 17, item 6, over four nodes: not a test
module, the builder and the steps test_nodes_tree.py runs fault-free and
test_nodes_tree_faults.py runs with faults, and the checks of the end
state both make (docs/nodes.md, "Two levels across nodes").

    A   top (the top delegate assembly), founded by the local assembly west
    B   bay (an intermediate delegate assembly), founded by the local bight
    C   ridge (an intermediate delegate assembly), founded by the local crest
    D   the local assemblies dune and delta
"""
import contextlib

from conftest import RULES, Server, decide, run, schedule_now, unique
from nodes_common import peer_nodes
from test_nodes_federation import SCHEDULE, journal, poll


def relations(node, slug):
    r = node.get(f"/api/v1/bodies/{slug}/remote")
    assert r.status_code == 200, r.text
    return r.json()["relations"]


def laws(node, slug):
    return [law["title"] for law in node.get(f"/api/v1/bodies/{slug}/laws").json()["laws"]]


def received(node, slug, version):
    return [o for r in relations(node, slug) for o in r["offers"]
            if o["side"] == "received" and o["version"] == version]


def federation(srv, tok, local, slug, delegate, what):
    assert decide(srv, local, tok, "found_federation", {
        "slug": slug, "name": what, "purpose": "transport", "region": what,
        "statement": "We coordinate as equals.", "rule": RULES,
        "schedule": schedule_now(), "delegate": delegate,
        "mandate": f"Speak for {local}."})["status"] == "adopted"


def join(member_node, member, tok, host_node, host, host_tok):
    """member asks to join host on another node; host accepts: both by
    decision."""
    actor = f"{host_node.public}/bodies/{host}"
    assert decide(member_node, member, tok, "join_remote_federation",
                  {"actor": actor})["status"] == "adopted"
    mine = f"{member_node.public}/bodies/{member}"
    asked = poll(lambda: [r for r in relations(host_node, host) if r["remote"] == mine])
    assert decide(host_node, host, host_tok, "accept_remote_member",
                  {"request": asked[0]["id"]})["status"] == "adopted"
    poll(lambda: [r for r in relations(member_node, member)
                  if r["remote"] == actor and r["status"] == "active"])
    return actor


@contextlib.contextmanager
def grow_tree(tmp_path_factory, prefix="tree_", args=None, schedule=SCHEDULE, started=None):
    """The four nodes, their assemblies, and the joins. args: each node's
    extra `pnyx serve` arguments, by name (kept as srv.args); started(nodes)
    runs once all four serve (a proxy learns its upstream). Yields w: the
    nodes, each founder and token (fX, tX), each slug, and the actors of
    top, bay and ridge; every node still running after is stopped and
    must exit cleanly."""
    nodes = {}
    with peer_nodes(schedule) as servers:
        for name in "ABCD":
            extra = (args or {}).get(name, ())
            nodes[name] = Server(str(tmp_path_factory.mktemp(prefix + name)), args=extra)
            servers.append(nodes[name])
            nodes[name].args = extra
            # the address other nodes know it by (a proxy's, for one
            # reached through a proxy)
            nodes[name].public = (extra[list(extra).index("--public-url") + 1]
                                  if "--public-url" in extra else nodes[name].base)
        if started:
            started(nodes)
        a, b, c, d = (nodes[n] for n in "ABCD")
        w = {"nodes": nodes}
        for name, srv in nodes.items():
            w["f" + name], w["t" + name] = srv.user()

        def local(srv, tok, pop):
            return srv.found(tok, community=srv.add_community(population=pop), rule=RULES,
                             schedule=schedule_now()).json()["slug"]
        w["west"] = local(a, w["tA"], 6000)
        w["bight"] = local(b, w["tB"], 2000)
        w["crest"] = local(c, w["tC"], 3000)
        w["dune"] = local(d, w["tD"], 1000)
        w["delta"] = local(d, w["tD"], 4000)
        w["top"], w["bay"], w["ridge"] = unique("top"), unique("bay"), unique("ridge")
        federation(a, w["tA"], w["west"], w["top"], w["fA"], "The coast")
        federation(b, w["tB"], w["bight"], w["bay"], w["fB"], "The bay")
        federation(c, w["tC"], w["crest"], w["ridge"], w["fC"], "The ridge")
        # the intermediate delegate assemblies join top; the assemblies of
        # D join them: each by its own decision and the host's
        w["top_actor"] = join(b, w["bay"], w["tB"], a, w["top"], w["tA"])
        join(c, w["ridge"], w["tC"], a, w["top"], w["tA"])
        w["bay_actor"] = join(d, w["dune"], w["tD"], b, w["bay"], w["tB"])
        w["ridge_actor"] = join(d, w["delta"], w["tD"], c, w["ridge"], w["tC"])
        yield w


def elect(srv, slug, tok, actor, delegate):
    m = decide(srv, slug, tok, "elect_remote_delegate", {
        "actor": actor, "delegate": delegate, "mandate": "Night buses, if the towns agree."},
        title="Our delegate")
    assert m["status"] == "adopted", m
    return m


def seats(srv, slug):
    return [(x["delegate"], x["recalled_at"] is None) for r in relations(srv, slug)
            if r["side"] == "host" for x in r["delegates"]]


def elect_everywhere_and_recall_one(w):
    """bay and ridge elect their delegates to top, dune and delta theirs;
    delta recalls its delegate, and the seat on C ends as the recall
    arrives. Returns the recall's decision."""
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    elect(b, w["bay"], w["tB"], w["top_actor"], w["fB"])
    elect(c, w["ridge"], w["tC"], w["top_actor"], w["fC"])
    elect(d, w["dune"], w["tD"], w["bay_actor"], w["fD"])
    elect(d, w["delta"], w["tD"], w["ridge_actor"], w["fD"])
    poll(lambda: len(seats(a, w["top"])) == 2)
    poll(lambda: seats(c, w["ridge"]) == [(f"{d.public}/people/{w['fD']}", True)])
    m = decide(d, w["delta"], w["tD"], "recall_remote_delegate",
               {"actor": w["ridge_actor"], "delegate": w["fD"]})
    assert m["status"] == "adopted", m
    poll(lambda: seats(c, w["ridge"]) == [(f"{d.public}/people/{w['fD']}", False)])
    return m


def check_seats(w, recall):
    """The seats every node shows after the elections and the recall."""
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    assert sorted(seats(a, w["top"])) == sorted([
        (f"{b.public}/people/{w['fB']}", True), (f"{c.public}/people/{w['fC']}", True)])
    assert seats(c, w["ridge"]) == [(f"{d.public}/people/{w['fD']}", False)]
    # dune's delegate to bay is untouched
    assert seats(b, w["bay"]) == [(f"{d.public}/people/{w['fD']}", True)]
    removes = [e for e in journal(c.db, "node.receive") if e["activity"]["type"] == "Remove"]
    assert len(removes) == 1 and removes[0]["activity"]["pnyx:decision"]["id"] == recall["id"]


def answer_remote(srv, slug, tok, offer, what, counter=None):
    params = {"offer": offer, "answer": what}
    if counter:
        params["counter_text"] = counter
    m = decide(srv, slug, tok, "answer_remote_proposal", params, title=f"We {what}")
    assert m["status"] == "adopted", m
    return m


def relayed(srv, slug):
    """The proposal a delegate assembly relays, as its node numbers it."""
    got = srv.get(f"/api/v1/bodies/{slug}/proposals").json()["originated"]
    return got[0]["id"] if got else None


def answer_here(srv, slug, tok, proposal, version, what):
    m = decide(srv, slug, tok, "answer_proposal",
               {"proposal": proposal, "version": version, "answer": what})
    assert m["status"] == "adopted", m


def pass_proposal(w, at=lambda step: None):
    """top adopts a proposal with a condition (three local assemblies);
    bay and ridge accept it, which offers it beneath them; dune sends an
    amendment up; top adopts a second version, which bight, dune and crest
    accept and delta rejects. at(step) runs at each named step (what a
    test with faults does there): "sent" once top has adopted version 1,
    "bay accepted" and "ridge accepted" once each has accepted it."""
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    m = decide(a, w["top"], w["tA"], "adopt_proposal",
               {"condition": {"kind": "at_least", "n": 3}}, title="Night buses",
               text="Buses run at night.")
    assert m["status"] == "adopted", m
    proposal = a.get(f"/api/v1/bodies/{w['top']}/proposals").json()["originated"][0]["id"]

    def status():
        return a.get(f"/api/v1/proposals/{proposal}/status").json()

    def remote(version):
        return {r["assembly"]: r for r in status()["remote"] if r["version"] == version}
    at("sent")
    # version 1 reaches bay (B) and ridge (C); both accept, which offers it
    # to the assemblies beneath them, on their node and on D
    for srv, slug, tok, step in ((b, w["bay"], w["tB"], "bay accepted"),
                                 (c, w["ridge"], w["tC"], "ridge accepted")):
        offer = poll(lambda: received(srv, slug, 1))[0]
        answer_remote(srv, slug, tok, offer["id"], "accept")
        at(step)
    dune1 = poll(lambda: received(d, w["dune"], 1))[0]
    assert (dune1["title"], dune1["text"]) == ("Night buses", "Buses run at night.")
    assert dune1["proposal"] == f"{b.public}/api/v1/proposals/{relayed(b, w['bay'])}"
    # dune sends an amendment up: bay's node reports it to top
    answer_remote(d, w["dune"], w["tD"], dune1["id"], "amend",
                  "Buses run all night, every night.")
    bay_at_top = f"{b.public}/bodies/{w['bay']}"
    up = poll(lambda: [x for x in remote(1).get(bay_at_top, {}).get("beneath", [])
                       if x["answer"] == "amend"])
    assert up == [{"assembly": f"{d.public}/bodies/{w['dune']}", "node": d.public,
                   "reportedBy": d.public, "answer": "amend",
                   "counterText": "Buses run all night, every night.",
                   "population": 1000, "decision": up[0]["decision"],
                   "activity": up[0]["activity"]}]
    assert up[0]["decision"].startswith(d.public + "/motion.html?id=")
    assert not [v for v in status()["versions"] if v["met"]]
    # top adopts a second version, with the amendment's text
    m2 = decide(a, w["top"], w["tA"], "new_proposal_version", {"proposal": proposal},
                title="Night buses", text="Buses run all night, every night.")
    assert m2["status"] == "adopted", m2
    for srv, slug, tok in ((b, w["bay"], w["tB"]), (c, w["ridge"], w["tC"])):
        offer = poll(lambda: received(srv, slug, 2))[0]
        answer_remote(srv, slug, tok, offer["id"], "accept")
    answer_here(b, w["bight"], w["tB"], relayed(b, w["bay"]), 2, "accept")
    answer_remote(d, w["dune"], w["tD"], poll(lambda: received(d, w["dune"], 2))[0]["id"],
                  "accept")
    # two of three: not met yet
    poll(lambda: remote(2).get(bay_at_top, {}).get("locals") == 2)
    v2 = [v for v in status()["versions"] if v["version"] == 2][0]
    assert (v2["locals_accepted"], v2["met"]) == (2, False)
    assert laws(b, w["bight"]) == [] and laws(d, w["dune"]) == []
    answer_remote(d, w["delta"], w["tD"],
                  poll(lambda: received(d, w["delta"], 2))[0]["id"], "reject")
    answer_here(c, w["crest"], w["tC"], relayed(c, w["ridge"]), 2, "accept")
    poll(lambda: [v for v in status()["versions"] if v["version"] == 2][0]["met"])
    return {"proposal": proposal, "status": status, "remote": remote}


def check_registers(w):
    """The law in the registers of bight (B), crest (C) and dune (D) only,
    each made by that assembly's own acceptance."""
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    poll(lambda: laws(b, w["bight"]) == ["Night buses"])
    poll(lambda: laws(c, w["crest"]) == ["Night buses"])
    poll(lambda: laws(d, w["dune"]) == ["Night buses"])
    assert laws(d, w["delta"]) == [] and laws(a, w["west"]) == []
    entered = [e for e in journal(d.db, "law.from_proposal")]
    assert len(entered) == 1 and entered[0]["proposal"].startswith(b.public)
    for srv, slug in ((b, w["bight"]), (c, w["crest"])):
        assert len(journal(srv.db, "law.from_proposal")) == 1
    assert journal(a.db, "law.from_proposal") == []
    # no delegate assembly has a law
    for srv, slug in ((a, w["top"]), (b, w["bay"]), (c, w["ridge"])):
        assert laws(srv, slug) == []


def check_status(w, passed):
    """top's status: version 2 met by three local assemblies, and for each
    assembly beneath which node reported what; the command line says the
    same, and each report is journalled as its sender signed it."""
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    st = passed["status"]()
    v2 = [v for v in st["versions"] if v["version"] == 2][0]
    assert (v2["locals_accepted"], v2["met"]) == (3, True)
    r2 = passed["remote"](2)
    bay, ridge = r2[f"{b.public}/bodies/{w['bay']}"], r2[f"{c.public}/bodies/{w['ridge']}"]
    assert (bay["node"], bay["answer"], bay["locals"]) == (b.public, "accept", 2)
    assert (ridge["node"], ridge["answer"], ridge["locals"]) == (c.public, "accept", 1)
    assert bay["population"] == 2000 + 1000 and ridge["population"] == 3000
    got = sorted((x["assembly"], x["node"], x["reportedBy"], x["answer"])
                 for x in bay["beneath"] + ridge["beneath"])
    assert got == sorted([
        (f"{b.public}/bodies/{w['bight']}", b.public, b.public, "accept"),
        (f"{d.public}/bodies/{w['dune']}", d.public, d.public, "accept"),
        (f"{c.public}/bodies/{w['crest']}", c.public, c.public, "accept"),
        (f"{d.public}/bodies/{w['delta']}", d.public, d.public, "reject")])
    # version 1: both accepted, dune's amendment reported by D through bay
    r1 = passed["remote"](1)
    assert sorted((x["node"], x["answer"]) for x in r1.values()) == sorted(
        [(b.public, "accept"), (c.public, "accept")])
    assert [(x["assembly"], x["reportedBy"], x["answer"])
            for x in r1[f"{b.public}/bodies/{w['bay']}"]["beneath"]] == [
        (f"{d.public}/bodies/{w['dune']}", d.public, "amend")]
    # the command line says the same
    p = run("proposal", "status", str(passed["proposal"]), "--db", a.db)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "    2 local assemblies beneath it accepted\n" in p.stdout
    assert (f"    {d.public}/bodies/{w['delta']} (on {d.public}): rejected, reported by"
            f" {d.public}\n") in p.stdout
    # each report is an activity signed by the node that sent it
    reports = [e["activity"] for e in journal(a.db, "node.receive")
               if e["activity"]["type"] == "Accept" and "pnyx:answer" in e["activity"]]
    senders = {x["actor"] for x in reports}
    assert senders == {f"{b.public}/bodies/{w['bay']}", f"{c.public}/bodies/{w['ridge']}"}
    # and what a node relayed is what the other node signed to it: dune's
    # acceptance is journalled on B as D sent it
    dune_answer = [x for x in bay["beneath"] if x["node"] == d.public][0]["activity"]
    assert [e for e in journal(b.db, "node.receive")
            if e["activity"]["id"] == dune_answer]


def check_journals(w):
    """Each node took each activity once, and its journal proves its
    state."""
    for s in w["nodes"].values():
        s.settle(quiet=0.5)
        ids = [e["activity"]["id"] for e in journal(s.db, "node.receive")]
        assert len(ids) == len(set(ids)), ids
        p = run("journal", "verify", "--state", "--db", s.db)
        assert p.returncode == 0, p.stdout + p.stderr


# ---- shares across two levels (docs/nodes.md, "Shares across two levels") ----

def offered(node, slug, title):
    """The offers a body received of the proposal titled title."""
    return [o for r in relations(node, slug) for o in r["offers"]
            if o["side"] == "received" and o["title"] == title]


def originated(srv, slug, title):
    """The proposal titled title that slug originated (or relays)."""
    got = [p["id"] for p in srv.get(f"/api/v1/bodies/{slug}/proposals").json()["originated"]
           if p["title"] == title]
    return got[0] if got else None


def adopt_at_top(w, title, condition):
    a = w["nodes"]["A"]
    m = decide(a, w["top"], w["tA"], "adopt_proposal", {"condition": condition},
               title=title, text=f"{title}, if the towns agree.")
    assert m["status"] == "adopted", m
    return originated(a, w["top"], title)


def top_status(w, proposal):
    st = w["nodes"]["A"].get(f"/api/v1/proposals/{proposal}/status").json()
    return st["versions"][-1], {r["assembly"]: r for r in st["remote"] if r["version"] == 1}


def accept_in_middle(w, srv, mid, tok, title):
    """A delegate assembly in the middle accepts version 1 of title."""
    answer_remote(srv, mid, tok, poll(lambda: offered(srv, mid, title))[0]["id"], "accept")
    return poll(lambda: originated(srv, mid, title))


def settle_all(w):
    for s in w["nodes"].values():
        s.settle(quiet=0.5)


def pass_shares(w):
    """Two proposals whose conditions are shares, counted at the top over
    the whole tree: 5 local assemblies (west on A; bight on B and dune on
    D beneath bay; crest on C and delta on D beneath ridge) of 16,000
    people (6,000 + 2,000 + 1,000 + 3,000 + 4,000). Before reports carried
    their totals, bay and ridge each counted as one local assembly of the
    population they reported accepting, a whole of 3 assemblies; each
    step below says where that wrong whole would have met the condition.
    Returns the two proposals."""
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    bay, ridge = f"{b.public}/bodies/{w['bay']}", f"{c.public}/bodies/{w['ridge']}"
    # 1. a share of the assemblies, 60%: bay accepts, and beneath it bight
    # and dune: 2 of 5 is 40%, not met. (The wrong whole: 2 of 3, 67%, met.)
    bikes = adopt_at_top(w, "Shared bikes", {"kind": "share_of_assemblies", "percent": 60})
    relayed_b = accept_in_middle(w, b, w["bay"], w["tB"], "Shared bikes")
    answer_here(b, w["bight"], w["tB"], relayed_b, 1, "accept")
    answer_remote(d, w["dune"], w["tD"],
                  poll(lambda: offered(d, w["dune"], "Shared bikes"))[0]["id"], "accept")
    poll(lambda: top_status(w, bikes)[1].get(bay, {}).get("locals") == 2)
    v, remote = top_status(w, bikes)
    assert (v["locals_accepted"], v["locals"], v["met"]) == (2, 5, False), v
    assert remote[bay]["totals"] == {"locals": 2, "population": 3000}
    assert remote[bay]["node"] == b.public
    settle_all(w)
    assert "Shared bikes" not in laws(b, w["bight"]) + laws(d, w["dune"])
    # ridge accepts, and beneath it crest: 3 of 5 is 60%, met; the law
    # enters the three accepting registers and no other
    relayed_c = accept_in_middle(w, c, w["ridge"], w["tC"], "Shared bikes")
    answer_here(c, w["crest"], w["tC"], relayed_c, 1, "accept")
    poll(lambda: top_status(w, bikes)[0]["met"])
    v, remote = top_status(w, bikes)
    assert (v["locals_accepted"], v["locals"]) == (3, 5), v
    assert (v["population_accepted"], v["population"]) == (6000, 16000), v
    assert remote[ridge]["totals"] == {"locals": 2, "population": 7000}
    for srv, slug in ((b, w["bight"]), (d, w["dune"]), (c, w["crest"])):
        poll(lambda: "Shared bikes" in laws(srv, slug))
    settle_all(w)
    assert "Shared bikes" not in laws(d, w["delta"]) + laws(a, w["west"])
    # 2. a share of the population, 20%: ridge accepts, and beneath it
    # crest: 3,000 of 16,000 is 18.75%, not met. (The wrong whole: west's
    # 6,000, and what bay and ridge last reported accepting, 3,000 each:
    # 3,000 of 12,000 is 25%, met.)
    lights = adopt_at_top(w, "Harbour lights",
                          {"kind": "share_of_population", "percent": 20})
    relayed_c = accept_in_middle(w, c, w["ridge"], w["tC"], "Harbour lights")
    answer_here(c, w["crest"], w["tC"], relayed_c, 1, "accept")
    poll(lambda: top_status(w, lights)[1].get(ridge, {}).get("locals") == 1)
    v, remote = top_status(w, lights)
    assert (v["population_accepted"], v["population"], v["met"]) == (3000, 16000, False), v
    settle_all(w)
    assert "Harbour lights" not in laws(c, w["crest"])
    # delta accepts too: 7,000 of 16,000 is 43.75%, met
    answer_remote(d, w["delta"], w["tD"],
                  poll(lambda: offered(d, w["delta"], "Harbour lights"))[0]["id"], "accept")
    poll(lambda: top_status(w, lights)[0]["met"])
    v, remote = top_status(w, lights)
    assert (v["population_accepted"], v["population"]) == (7000, 16000), v
    assert (v["locals_accepted"], v["locals"]) == (2, 5), v
    for srv, slug in ((c, w["crest"]), (d, w["delta"])):
        poll(lambda: "Harbour lights" in laws(srv, slug))
    settle_all(w)
    for srv, slug in ((b, w["bight"]), (d, w["dune"]), (a, w["west"])):
        assert "Harbour lights" not in laws(srv, slug)
    return {"bikes": bikes, "lights": lights}
