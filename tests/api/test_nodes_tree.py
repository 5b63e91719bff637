"""The federation scenario over four nodes, with two levels of delegate
assemblies (issue 17, item 6; docs/nodes.md, "Two levels across nodes").

Four `pnyx serve` processes, each with its own database:

    A   top (the top delegate assembly), founded by the local assembly west
    B   bay (an intermediate delegate assembly), founded by the local bight
    C   ridge (an intermediate delegate assembly), founded by the local crest
    D   the local assemblies dune and delta

bay and ridge join top, each by its own decision and top's; dune joins
bay and delta joins ridge across nodes. Delegates are elected by
decisions at every level; delta recalls its delegate to ridge, and the
seat ends on C as the recall arrives. top adopts a proposal with a
condition (three local assemblies); bay and ridge accept it, which offers
it to the assemblies beneath them, on their own node and on D. dune sends
an amendment up: it reaches top through bay's report, naming D as the
node that reported it. top adopts a second version; it travels down the
same way; bight, dune and crest accept, delta rejects. The condition is
met at top from the reports of B and C, and the law enters the registers
of bight (B), crest (C) and dune (D), and not delta's nor west's. top's
status shows, for each assembly beneath, which node reported what."""
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import run, unique
from nodes_tree import (adopt_at_top, check_journals, check_registers, check_seats,
                        check_status, elect_everywhere_and_recall_one, grow_tree,
                        pass_proposal, pass_shares, top_status)
from test_nodes_federation import AS, journal, node_key, poll, post_signed, rows, sign_activity


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    with grow_tree(tmp_path_factory) as w:
        yield w


def test_delegates_are_elected_at_every_level_and_one_is_recalled_at_once(tree):
    check_seats(tree, elect_everywhere_and_recall_one(tree))


@pytest.fixture(scope="module")
def passed(tree):
    return pass_proposal(tree)


def test_the_law_enters_only_the_accepting_registers_on_every_node(tree, passed):
    check_registers(tree)


def test_the_status_at_the_top_shows_which_node_reported_what(tree, passed):
    check_status(tree, passed)


def top_state(a):
    return (rows(a.db, "SELECT * FROM node_answers ORDER BY id"),
            rows(a.db, "SELECT * FROM proposal_sums ORDER BY 1, 2, 3"),
            rows(a.db, "SELECT count(*) FROM journal WHERE action <> 'node.refuse'"))


def test_forged_and_unknown_reports_are_refused_and_journalled(tree, passed):
    w = tree
    a, b, c, d = (w["nodes"][n] for n in "ABCD")
    inbox = f"/bodies/{w['top']}/inbox"
    bay = f"{b.base}/bodies/{w['bay']}"
    offer = f"{a.base}/activities/" + rows(
        a.db, "SELECT o.activity_id FROM node_offers o JOIN node_relations r ON"
        " r.id = o.relation_id WHERE o.side = 'sent' AND o.version = 2 AND"
        " r.remote_actor = ?", bay)[0][0]
    report = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}], "type": "Accept", "actor": bay,
              "object": offer,
              "pnyx:decision": {"id": 1, "url": f"{b.base}/motion.html?id=1", "title": "x"},
              "pnyx:answer": {"answer": "accept", "reasons": "", "population": 90000,
                              "locals": 40, "beneath": []}}
    kid = f"{bay}#main-key"
    before, refused = top_state(a), len(journal(a.db, "node.refuse"))
    # 1. forty local assemblies, signed with a key that is not B's
    other = Ed25519PrivateKey.generate()
    act = sign_activity(dict(report, id=f"{b.base}/activities/f-{unique()}"), other, kid)
    r = post_signed(a, inbox, act, other, kid)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"
    # 2. signed by B, but what lies beneath names no node
    bkey = node_key(b.db)
    bad = dict(report, id=f"{b.base}/activities/f-{unique()}")
    bad["pnyx:answer"] = dict(report["pnyx:answer"], beneath=[{"answer": "accept"}])
    r = post_signed(a, inbox, sign_activity(bad, bkey, kid), bkey, kid)
    assert r.status_code == 400 and r.json()["error"]["field"] == "pnyx:answer", r.text
    # 3. locals without what they answered
    bad = dict(report, id=f"{b.base}/activities/f-{unique()}")
    bad["pnyx:answer"] = {"answer": "accept", "reasons": "", "population": 1, "locals": 5}
    r = post_signed(a, inbox, sign_activity(bad, bkey, kid), bkey, kid)
    assert r.status_code == 400 and r.json()["error"]["field"] == "pnyx:answer", r.text
    # 4. C reports for bay's offer: it speaks for another node's assembly
    ckey, cid = node_key(c.db), f"{c.base}/bodies/{w['ridge']}#main-key"
    act = dict(report, id=f"{c.base}/activities/f-{unique()}",
               actor=f"{c.base}/bodies/{w['ridge']}",
               **{"pnyx:decision": {"id": 1, "url": f"{c.base}/motion.html?id=1",
                                    "title": "x"}})
    r = post_signed(a, inbox, sign_activity(act, ckey, cid), ckey, cid)
    assert r.status_code == 403 and r.json()["error"]["field"] == "actor", r.text
    # 5. a node nobody here decided to trust
    stranger = Ed25519PrivateKey.generate()
    sid = "http://127.0.0.1:9/bodies/far#main-key"
    act = dict(report, id="http://127.0.0.1:9/activities/f-1",
               actor="http://127.0.0.1:9/bodies/far",
               **{"pnyx:decision": {"id": 1, "url": "http://127.0.0.1:9/motion.html?id=1",
                                    "title": "x"}})
    r = post_signed(a, inbox, sign_activity(act, stranger, sid), stranger, sid)
    assert r.status_code in (401, 403), r.text
    assert top_state(a) == before
    assert len(journal(a.db, "node.refuse")) == refused + 5


@pytest.fixture(scope="module")
def shares(tree, passed):
    return pass_shares(tree)


def test_a_share_counts_every_assembly_beneath_the_middle_nodes(tree, shares):
    """Each middle node reports how many local assemblies there are beneath
    it in all, with their population; the top counts a share of that
    whole, and the command line shows who reported it."""
    a, b, c = (tree["nodes"][n] for n in "ABC")
    p = run("proposal", "status", str(shares["bikes"]), "--db", a.db)
    assert p.returncode == 0, p.stdout + p.stderr
    assert ": 3 of 5 local assemblies, 6000 of 16000 people accepted: met\n" in p.stdout
    assert (f"    of 2 local assemblies beneath it in all, 3000 people, as {b.public}"
            " reported\n") in p.stdout
    assert (f"    of 2 local assemblies beneath it in all, 7000 people, as {c.public}"
            " reported\n") in p.stdout
    # what bay relays is listed as relayed, from top, with the proposal's
    # address on A (API and command line)
    got = b.get(f"/api/v1/bodies/{tree['bay']}/proposals").json()["originated"]
    assert got and all(x["relayed"]["from"] == tree["top_actor"] and
                       x["relayed"]["proposal"].startswith(f"{a.public}/api/v1/proposals/")
                       for x in got), got
    here = tree["nodes"]["A"].get(f"/api/v1/bodies/{tree['top']}/proposals").json()
    assert all(x["relayed"] is None for x in here["originated"])
    p = run("proposal", "list", tree["bay"], "--db", b.db)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"  relayed  v1   Shared bikes (from {tree['top_actor']})\n" in p.stdout, p.stdout
    # the totals are in what B signed: its report, as A journalled it
    reports = [e["activity"]["pnyx:answer"] for e in journal(a.db, "node.receive")
               if e["activity"]["actor"] == f"{b.public}/bodies/{tree['bay']}"
               and "locals" in e["activity"].get("pnyx:answer", {})]
    assert reports and all("totalLocals" in x and "totalPopulation" in x for x in reports)
    assert (reports[-1]["totalLocals"], reports[-1]["totalPopulation"]) == (2, 3000)


def offer_to(a, bay, proposal):
    return f"{a.base}/activities/" + rows(
        a.db, "SELECT o.activity_id FROM node_offers o JOIN node_relations r ON"
        " r.id = o.relation_id WHERE o.side = 'sent' AND o.proposal_id = ? AND"
        " r.remote_actor = ?", proposal, bay)[0][0]


def test_totals_fewer_than_accepted_are_refused_and_journalled(tree, shares):
    """The top cannot count the assemblies beneath a middle node (they are
    on that node and on nodes it has no relationship with): it takes the
    signed totals, but never fewer than the report says accepted."""
    w = tree
    a, b = w["nodes"]["A"], w["nodes"]["B"]
    bay = f"{b.base}/bodies/{w['bay']}"
    kid, bkey = f"{bay}#main-key", node_key(b.db)
    report = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}], "type": "Accept", "actor": bay,
              "object": offer_to(a, bay, shares["lights"]),
              "pnyx:decision": {"id": 1, "url": f"{b.base}/motion.html?id=1", "title": "x"}}
    bad = [{"locals": 4, "totalLocals": 3, "totalPopulation": 9000},
           {"locals": 2, "totalLocals": 40, "totalPopulation": 10},
           {"locals": 2, "totalLocals": 40},
           {"totalLocals": 40, "totalPopulation": 90000}]
    before, refused = top_state(a), len(journal(a.db, "node.refuse"))
    for extra in bad:
        ans = dict({"answer": "accept", "reasons": "", "population": 3000}, **extra)
        if "locals" in extra:
            ans["beneath"] = []
        act = dict(report, id=f"{b.base}/activities/f-{unique()}", **{"pnyx:answer": ans})
        r = post_signed(a, f"/bodies/{w['top']}/inbox", sign_activity(act, bkey, kid),
                        bkey, kid)
        assert r.status_code == 400, (extra, r.text)
        assert r.json()["error"]["field"] == "pnyx:answer", r.text
    assert top_state(a) == before
    assert len(journal(a.db, "node.refuse")) == refused + len(bad)


def test_a_report_without_totals_never_passes_the_whole(tree, shares):
    """A report from a node that does not send totals yet (signed by B, as
    an older pnyx would): bay counts as the assemblies it says accepted,
    at least one, so the share stays within the whole."""
    w = tree
    a, b = w["nodes"]["A"], w["nodes"]["B"]
    bay = f"{b.base}/bodies/{w['bay']}"
    kid, bkey = f"{bay}#main-key", node_key(b.db)
    ferries = adopt_at_top(w, "Night ferries", {"kind": "share_of_assemblies",
                                                "percent": 100})
    poll(lambda: rows(a.db, "SELECT 1 FROM node_offers WHERE side = 'sent' AND"
                      " proposal_id = ?", ferries))
    act = {"@context": [AS, {"pnyx": "urn:pnyx:ns#"}], "type": "Accept", "actor": bay,
           "id": f"{b.base}/activities/old-{unique()}",
           "object": offer_to(a, bay, ferries),
           "pnyx:decision": {"id": 1, "url": f"{b.base}/motion.html?id=1", "title": "x"},
           "pnyx:answer": {"answer": "accept", "reasons": "", "population": 9000,
                           "locals": 5, "beneath": []}}
    r = post_signed(a, f"/bodies/{w['top']}/inbox", sign_activity(act, bkey, kid), bkey, kid)
    assert r.status_code in (200, 202), r.text
    v, remote = top_status(w, ferries)
    assert remote[bay]["totals"] is None and remote[bay]["locals"] == 5
    # west (1, 6,000), bay as it said (5, 9,000), ridge's totals (2, 7,000)
    assert (v["locals_accepted"], v["locals"]) == (5, 8), v
    assert (v["population_accepted"], v["population"]) == (9000, 22000), v
    assert not v["met"]
    p = run("proposal", "status", str(ferries), "--db", a.db)
    assert "    its node did not say how many there are in all" in p.stdout, p.stdout


def test_every_journal_proves_its_state(tree, passed):
    check_journals(tree)
