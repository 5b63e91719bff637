"""The demo as a newcomer meets it (issue 12, section 5): right after
`pnyx demo`, a meeting of the Harbour Assembly is in session at the
current time, declared by a decision at an earlier meeting, with motions
and an amendment on its agenda, members checked in and a vote open; and
everything the demo did is in a journal that verifies."""
import json
import time

from conftest import run


def load(db):
    run("demo", "--db", db, check=0)
    return db


def test_a_meeting_is_in_session_now_with_motions_and_an_amendment(db):
    before = int(time.time())
    load(db)
    out = json.loads(run("meeting", "list", "harbour", "--json", "--db", db, check=0).stdout)
    live = [m for m in out["upcoming"] if m["state"] == "open"]
    assert len(live) == 1, out["upcoming"]
    live = live[0]
    # open at the current time: begun a few minutes ago, well inside its window
    assert before - 15 * 60 <= live["starts_at"] <= before
    assert live["kind"] == "extra" and live["attendance"] == 4
    # declared by an adopted declare_meeting motion at an earlier meeting
    declared = json.loads(run("motion", "show", live["declared_by"], "--json",
                              "--db", db, check=0).stdout)
    assert declared["kind"] == "declare_meeting"
    assert declared["result"]["outcome"] == "adopted"
    assert declared["params"]["starts_at"] == live["starts_at"]

    shown = json.loads(run("meeting", "show", live["id"], "--json", "--db", db, check=0).stdout)
    assert shown["state"] == "open"
    assert {p["handle"] for p in shown["present"]} == {"amara", "bruno", "chen", "dolores"}
    kinds = [m["kind"] for m in shown["agenda"]]
    assert kinds == ["enact_law", "resolution"]
    market = shown["agenda"][0]
    assert market["title"] == "A Saturday market on the quay"
    [amendment] = market["amendments"]
    assert amendment["kind"] == "amendment" and amendment["status"] == "voting"
    counts = json.loads(run("motion", "show", amendment["id"], "--json", "--db", db,
                            check=0).stdout)
    assert counts["amends"] == market["id"]
    # the motions in session are discussed: comments and a thread of replies
    talk = json.loads(run("comment", "list", "motion", market["id"], "--json",
                          "--db", db, check=0).stdout)
    assert talk["open"] and len(talk["comments"]) == 4
    assert [c["depth"] for c in talk["comments"]] == [0, 1, 2, 0]
    assert {c["author"] for c in talk["comments"]} == {"dolores", "bruno", "amara"}
    assert all(c["state"] == "shown" for c in talk["comments"])
    other = json.loads(run("comment", "list", "motion", shown["agenda"][1]["id"], "--json",
                           "--db", db, check=0).stdout)
    assert [c["author"] for c in other["comments"]] == ["emeka"]
    # the text version of the command shows it too
    text = run("meeting", "show", live["id"], "--db", db, check=0).stdout
    assert "open" in text and "A Saturday market on the quay" in text


def test_everything_the_demo_tells_has_happened_when_it_is_loaded(db):
    """No entry of the demo's journal is dated after the moment it was
    loaded (its enterprises, deliveries and draws were once minutes ahead);
    the motions it leaves on agendas go to meetings still to come."""
    import sqlite3
    load(db)
    after = int(time.time())
    con = sqlite3.connect(db)
    try:
        late = con.execute("SELECT seq, action, body, at - ? FROM journal WHERE at > ?",
                           (after, after)).fetchall()
        pending = con.execute(
            "SELECT m.kind, g.starts_at FROM motions m JOIN meetings g ON g.id ="
            " m.meeting_id WHERE m.kind IN ('standing_cycle', 'decide_standing')"
            " AND m.status IN ('submitted', 'voting')").fetchall()
    finally:
        con.close()
    assert late == [], late
    assert sorted(k for k, _ in pending) == ["decide_standing", "standing_cycle"]
    assert all(at > after for _, at in pending), pending


def test_the_demo_journal_verifies_and_replays_to_the_same_state(db):
    load(db)
    run("journal", "verify", "--db", db, check=0)
    p = run("journal", "verify", "--state", "--db", db, check=0)
    assert "state matches the journal" in p.stdout


def test_a_federation_of_three_levels_with_answers_of_each_kind(db):
    load(db)
    council = json.loads(run("federation", "show", "regional-food", "--json", "--db", db,
                             check=0).stdout)
    assert council["kind"] == "delegate"
    assert [m["body"] for m in council["members"]] == ["uplands-food"]
    uplands = json.loads(run("federation", "show", "uplands-food", "--json", "--db", db,
                             check=0).stdout)
    assert sorted(m["body"] for m in uplands["members"]) == \
        ["eastfield", "north-hill", "riverside", "saltmarsh"]
    [mills] = council["proposals"]["originated"]
    assert mills["title"] == "Shared grain mills"
    st = json.loads(run("proposal", "status", mills["id"], "--json", "--db", db,
                        check=0).stdout)
    assert st["body"] == "regional-food"
    [mid] = st["tree"]["children"]
    assert mid["body"] == "uplands-food" and mid["kind"] == "delegate"
    locals_ = {c["body"]: c for c in mid["children"]}
    assert {b: c["kind"] for b, c in locals_.items()} == dict.fromkeys(
        ["north-hill", "eastfield", "saltmarsh", "riverside"], "local")
    answers = {b: c["answers"] for b, c in locals_.items()}
    text = run("proposal", "status", mills["id"], "--db", db, check=0).stdout
    assert "north-hill (local, 31080 people)  v1 accept" in text
    assert "eastfield (local, 14260 people)  v1 accept" in text
    assert "saltmarsh (local, 6830 people)  v1 amend" in text
    assert "riverside (local, 12540 people)  v1 reject" in text
    assert answers["saltmarsh"] and answers["riverside"]
    v1 = st["versions"][0]
    assert (v1["locals"], v1["locals_accepted"], v1["met"]) == (4, 2, True)
    # the amendment carries its counter-text, the rejection its reasons
    shown = json.loads(run("proposal", "show", mills["id"], "--json", "--db", db,
                           check=0).stdout)
    flat = json.dumps(shown)
    assert "tide mill" in flat and "river survey" in flat
    # met: the proposal entered the registers of those that accepted, only
    for body, has in [("north-hill", True), ("eastfield", True),
                      ("saltmarsh", False), ("riverside", False)]:
        laws = json.loads(run("law", "list", body, "--json", "--db", db, check=0).stdout)
        assert [l["title"] for l in laws] == (["Shared grain mills"] if has else []), body


def test_a_volunteer_militia_formed_by_the_harbour_assembly(db):
    """The Harbour Assembly formed its flood watch by a decision at its
    second meeting; three of its members volunteered."""
    load(db)
    m = json.loads(run("militia", "show", "harbour-flood-watch", "--json", "--db", db,
                       check=0).stdout)
    assert m["status"] == "active" and m["purpose"].startswith("Watch the sea wall")
    assert [(a["slug"], bool(a["adopted_by"])) for a in m["assemblies"]] == \
        [("harbour", True)]
    assert sorted(v["handle"] for v in m["member_list"]) == ["amara", "chen", "emeka"]
    shown = json.loads(run("motion", "show", m["assemblies"][0]["adopted_by"], "--json",
                           "--db", db, check=0).stdout)
    assert shown["kind"] == "form_militia" and shown["status"] == "adopted"


def test_the_help_names_the_password_the_demo_sets(db):
    """`pnyx help demo` writes the password as a literal (one message of
    the catalogue): it is the one the demo gives its accounts."""
    import re
    out = run("demo", "--db", db, check=0).stdout
    password = re.search(r"with the password '([^']+)'", out).group(1)
    assert f"with the password '{password}'" in run("help", "demo", check=0).stdout


def test_a_citizen_petitions_the_coasts_assembly_drawn_by_lot(db):
    """The demo shows the harm question (docs/cases.md): the coast's civil
    service is registered, and Dolores's petition about what no law of the
    coast says waits for its assembly's decision to take it up."""
    load(db)
    c = json.loads(run("case", "list", "coast-fishing", "--json", "--db", db,
                       check=0).stdout)
    assert [s["handle"] for s in c["civil_service"]] == ["emeka"]
    assert [(x["title"], x["state"], x["law"], x["petitioner"]["handle"])
            for x in c["cases"]] == [("Anchors over the eelgrass", "petitioned", None,
                                      "dolores")]
    shown = json.loads(run("case", "show", c["cases"][0]["id"], "--json", "--db", db,
                           check=0).stdout)
    assert shown["absence"] == "anchoring over the eelgrass beds of the bay"


def test_a_sharing_economy_at_saltmarsh(db, tmp_path):
    """The demo shows the sharing economy (docs/sharing.md): Saltmarsh
    joined (founded) the Saltmarsh Commons by decision and found its tide
    mill in good standing; the mill offers bread (a product) and a cargo
    bike (a unique item), both members took bread, flour was declared
    scarce and its round allocated by need then in equal shares, and the
    bike, lent by lot, is held by its winner until its date; each round
    verifies from its published record alone."""
    load(db)
    e = json.loads(run("economy", "saltmarsh-commons", "--json", "--db", db,
                       check=0).stdout)
    assert [(a["slug"], bool(a["decision"])) for a in e["assemblies"]] == [
        ("saltmarsh", True)]
    goods = {g["name"]: g for g in e["goods"]}
    assert (goods["Rye bread"]["kind"], goods["Cargo bike"]["kind"]) == ("product", "item")
    assert sorted(t["by"] for t in e["takes"] if t["good_name"] == "Rye bread") == [
        "quentin", "quentin", "sami"]
    flour = json.loads(run("economy", "good", goods["Rye flour"]["id"], "--json", "--db", db,
                           check=0).stdout)
    assert flour["scarce"] and flour["policy"]["categories"][0]["name"] == \
        "Families with children"
    bike = json.loads(run("economy", "good", goods["Cargo bike"]["id"], "--json", "--db", db,
                          check=0).stdout)
    assert bike["holder"] in ("quentin", "sami") and bike["due_at"] > time.time()
    assert [h["state"] for h in bike["holds"]] == ["collected"]
    for good in (flour, bike):
        [done] = [r for r in good["rounds"] if r["state"] == "allocated"]
        p = run("economy", "round", done["id"], "--json", "--db", db, check=0)
        f = tmp_path / f"round-{done['id']}.json"
        f.write_text(p.stdout)
        assert "verified: round" in run("verify", "round", f, check=0).stdout
    [done] = [r for r in flour["rounds"] if r["state"] == "allocated"]
    rec = json.loads((tmp_path / f"round-{done['id']}.json").read_text())
    assert [(x["reserve"], x["demand"], x["total"]) for x in rec["figures"]] == [
        (12, 20, 20), (0, 20, 10)]
