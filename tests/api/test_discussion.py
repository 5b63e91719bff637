"""Discussion (issue 12, section 3): members comment on motions and
proposals in Markdown, rendered safely, and reply to each other; an author
withdraws their own comment; only an adopted hide_comment motion of the
assembly hides someone's. Comments are advice: never counted. Every
refusal is tried and must change nothing (journal and every table)."""
import json
import os

import pytest

from conftest import decide, join, run, settled_hash, state_hash, submit


@pytest.fixture(scope="module")
def world(srv, harbour):
    """conftest's Harbour, Dale, Hill and Transit, and a, a member of
    Harbour; Transit made a proposal, offered to Hill and Harbour.
    Harbour and Transit are in session, each with an undecided motion."""
    a = srv.user()
    join(srv, harbour["harbour"], a[1])
    tok = {**harbour["tok"], "a": a[1]}
    handle = {**harbour["handle"], "a": a[0]}
    transit, dale = harbour["transit"], harbour["dale"]
    f, harbour = tok["f"], harbour["harbour"]
    assert decide(srv, transit, tok["h"], "adopt_proposal", {
        "rationale": "Shift workers.", "condition": {"kind": "at_least", "n": 1}},
        title="Night buses", text="Buses all night.")["status"] == "adopted"
    proposal = srv.get(f"/api/v1/bodies/{transit}/proposals").json()["originated"][0]["id"]
    motion = submit(srv, harbour, f, title="A bench on the quay")["id"]
    tmotion = submit(srv, transit, tok["h"], title="Buses")["id"]
    dmotion = submit(srv, dale, tok["other"], title="Dale's own")["id"]
    return {"tok": tok, "handle": handle, "harbour": harbour, "dale": dale,
            "transit": transit, "proposal": proposal, "motion": motion,
            "tmotion": tmotion, "dmotion": dmotion}


def comment(srv, tok, motion, text, reply_to=None, target="motions"):
    body = {"text": text}
    if reply_to:
        body["reply_to"] = reply_to
    r = srv.post(f"/api/v1/{target}/{motion}/comments", body, token=tok)
    assert r.status_code == 201, r.text
    return r.json()


def thread(srv, motion, token=None, target="motions"):
    r = srv.get(f"/api/v1/{target}/{motion}/comments", token=token)
    assert r.status_code == 200, r.text
    return r.json()


def entries(srv, action):
    out, after = [], 0
    while True:
        r = srv.get(f"/api/v1/journal?after={after}&limit=1000")
        assert r.status_code == 200, r.text
        page = r.json()["entries"]
        out += [e for e in page if e["action"] == action]
        if len(page) < 1000:
            return out
        after = page[-1]["seq"]


def test_members_discuss_a_motion_in_threads(srv, world):
    tok, h, m = world["tok"], world["handle"], world["motion"]
    c1 = comment(srv, tok["f"], m, "We need **shade** there.")
    c2 = comment(srv, tok["a"], m, "Agreed; and a tap.", reply_to=c1["id"])
    c3 = comment(srv, tok["f"], m, "A tap costs little.", reply_to=c2["id"])
    c4 = comment(srv, tok["a"], m, "Another point entirely.")
    assert (c1["depth"], c2["depth"], c3["depth"], c4["depth"]) == (0, 1, 2, 0)
    assert c2["reply_to"] == c1["id"] and c1["reply_to"] is None
    t = thread(srv, m, tok["a"])
    # each comment followed by its replies, oldest first
    assert [c["id"] for c in t["comments"]] == [c1["id"], c2["id"], c3["id"], c4["id"]]
    first = t["comments"][0]
    assert first["author"] == h["f"] and first["state"] == "shown"
    assert first["text"] == "We need **shade** there."
    assert "<strong>shade</strong>" in first["html"]
    assert [c["mine"] for c in t["comments"]] == [False, True, False, True]
    assert t["open"] and t["may_comment"] and t["target"] == "motion"
    # public: anyone reads, and nobody signed in may comment
    anon = thread(srv, m)
    assert not anon["may_comment"] and len(anon["comments"]) == 4
    assert not thread(srv, m, tok["n"])["may_comment"]
    # the journal: what notifications and replay read
    e = [x for x in entries(srv, "comment.add") if x["payload"]["comment"] == c2["id"]][0]
    p = e["payload"]
    assert p["target"] == "motion" and p["target_id"] == m and p["motion"] == m
    assert p["reply_to"] == c1["id"] and p["handle"] == h["a"]
    assert p["text"] == "Agreed; and a tap." and isinstance(p["author"], int)
    assert e["body"] == world["harbour"]
    top = [x for x in entries(srv, "comment.add") if x["payload"]["comment"] == c1["id"]][0]
    assert top["payload"]["reply_to"] is None


def test_raw_html_and_javascript_links_render_inert(srv, world):
    tok, m = world["tok"], world["motion"]
    text = ("<script>alert(1)</script>\n\n[click](javascript:alert(2)) and "
            "<img src=x onerror=alert(3)>")
    c = comment(srv, tok["a"], m, text)
    assert c["text"] == text  # stored as written
    html = c["html"].lower()
    assert "<script" not in html and "javascript:" not in html
    assert "<img" not in html and "onerror" not in html
    assert ">click</a>" in html  # the link's words stay, its address does not


def test_replies_nest_three_deep(srv, world):
    tok, m = world["tok"], world["motion"]
    c = comment(srv, tok["a"], m, "Level 0")
    for depth in (1, 2, 3):
        c = comment(srv, tok["f"], m, f"Level {depth}", reply_to=c["id"])
        assert c["depth"] == depth
    before = settled_hash(srv)  # the notifier tells of each reply, a moment after it
    r = srv.post(f"/api/v1/motions/{m}/comments",
                 {"text": "Too deep", "reply_to": c["id"]}, token=tok["a"])
    assert r.status_code == 400 and r.json()["error"]["field"] == "reply_to", r.text
    assert state_hash(srv.db) == before


def refusals(w):
    t = w["tok"]
    m, tm, dm = w["motion"], w["tmotion"], w["dmotion"]
    ok = {"text": "Fine words."}
    return [
        ("anonymous", None, f"/api/v1/motions/{m}/comments", ok, 401, "unauthenticated", None),
        ("non-member", t["n"], f"/api/v1/motions/{m}/comments", ok, 403, "not_member", None),
        ("member who left", t["left"], f"/api/v1/motions/{m}/comments", ok, 403,
         "not_member", None),
        ("excluded", t["excl"], f"/api/v1/motions/{m}/comments", ok, 403, "excluded", None),
        ("recalled delegate", t["deleg"], f"/api/v1/motions/{tm}/comments", ok, 403,
         "not_member", None),
        ("another assembly's motion", t["a"], f"/api/v1/motions/{dm}/comments", ok, 403,
         "not_member", None),
        ("empty text", t["a"], f"/api/v1/motions/{m}/comments", {"text": ""}, 400,
         "out_of_range", "text"),
        ("white space", t["a"], f"/api/v1/motions/{m}/comments", {"text": " \n\t "}, 400,
         "bad_input", "text"),
        ("oversized", t["a"], f"/api/v1/motions/{m}/comments", {"text": "x" * 10001}, 400,
         "out_of_range", "text"),
        ("no text", t["a"], f"/api/v1/motions/{m}/comments", {}, 400,
         "missing_field", "text"),
        ("text not a string", t["a"], f"/api/v1/motions/{m}/comments", {"text": 5}, 400,
         "bad_type", "text"),
        ("unknown field", t["a"], f"/api/v1/motions/{m}/comments",
         {"text": "x", "parent": 1}, 400, "unknown_field", "parent"),
        ("reply to a comment of another motion", t["a"], f"/api/v1/motions/{m}/comments",
         {"text": "x", "reply_to": w["other_comment"]}, 400, "bad_input", "reply_to"),
        ("reply to no comment", t["a"], f"/api/v1/motions/{m}/comments",
         {"text": "x", "reply_to": 99999999}, 400, "bad_input", "reply_to"),
        ("no such motion", t["a"], "/api/v1/motions/99999999/comments", ok, 404,
         "not_found", None),
        ("proposal: non-member", t["n"], f"/api/v1/proposals/{w['proposal']}/comments", ok,
         403, "not_member", None),
        ("proposal: not offered to their assembly", t["other"],
         f"/api/v1/proposals/{w['proposal']}/comments", ok, 403, "not_member", None),
        ("proposal: excluded from an assembly it was offered to", t["excl"],
         f"/api/v1/proposals/{w['proposal']}/comments", ok, 403, "excluded", None),
        ("no such proposal", t["a"], "/api/v1/proposals/99999999/comments", ok, 404,
         "not_found", None),
    ]


def test_every_refusal_changes_nothing(srv, world):
    # a comment on Dale's motion, to reply to from Harbour's
    world["other_comment"] = comment(srv, world["tok"]["other"], world["dmotion"],
                                     "Ours.")["id"]
    srv.settle()  # the notifier's own writes are not the refusals'
    for name, token, path, body, status, code, field in refusals(world):
        before = state_hash(srv.db)
        r = srv.post(path, body, token=token)
        assert r.status_code == status, (name, r.status_code, r.text)
        e = r.json()["error"]
        assert e["code"] == code and e["field"] == field, (name, e)
        assert e["message"], name
        assert state_hash(srv.db) == before, name


def test_an_author_withdraws_their_own_comment_once(srv, world):
    tok, m = world["tok"], world["motion"]
    c = comment(srv, tok["a"], m, "I spoke too soon.")
    reply = comment(srv, tok["f"], m, "No matter.", reply_to=c["id"])
    srv.settle()  # the notifier tells the author of the reply
    path = f"/api/v1/comments/{c['id']}/withdraw"
    for who, status, code in ((None, 401, "unauthenticated"), ("f", 403, "forbidden"),
                              ("n", 403, "forbidden"), ("excl", 403, "forbidden")):
        before = state_hash(srv.db)
        r = srv.post(path, token=tok[who] if who else None)
        assert r.status_code == status and r.json()["error"]["code"] == code, (who, r.text)
        assert state_hash(srv.db) == before, who
    r = srv.post(path, token=tok["a"])
    assert r.status_code == 200, r.text
    w = r.json()
    assert w["state"] == "withdrawn" and "text" not in w and "html" not in w
    assert w["withdrawn_at"] >= w["at"]
    before = settled_hash(srv)
    r = srv.post(path, token=tok["a"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict", r.text
    r = srv.post("/api/v1/comments/99999999/withdraw", token=tok["a"])
    assert r.status_code == 404, r.text
    assert state_hash(srv.db) == before
    # it stays in its place, without its words; its replies stay
    t = thread(srv, m)
    ids = [x["id"] for x in t["comments"]]
    assert ids.index(reply["id"]) == ids.index(c["id"]) + 1
    shown = t["comments"][ids.index(c["id"])]
    assert shown["state"] == "withdrawn" and "text" not in shown
    # replying to a withdrawn comment is still possible
    comment(srv, tok["f"], m, "Still, a thought.", reply_to=c["id"])
    e = [x for x in entries(srv, "comment.withdraw") if x["payload"]["comment"] == c["id"]]
    assert len(e) == 1 and e[0]["payload"]["target"] == "motion"
    assert e[0]["payload"]["motion"] == m and e[0]["actor"] == world["handle"]["a"]


def test_a_decided_motion_keeps_its_discussion_closed(srv, world):
    tok = world["tok"]
    d = submit(srv, world["harbour"], tok["f"], title="Soon decided")["id"]
    c = comment(srv, tok["a"], d, "Before the vote.")
    srv.post(f"/api/v1/motions/{d}/voting", {"mode": "devices"}, token=tok["f"])
    srv.post(f"/api/v1/motions/{d}/votes", {"position": "yes"}, token=tok["f"])
    r = srv.post(f"/api/v1/motions/{d}/voting/close", token=tok["f"])
    assert r.status_code == 200 and r.json()["status"] == "adopted", r.text
    # comments are never counted: one yes, whatever was said
    assert r.json()["result"]["counts"]["yes"] == 1
    assert sum(r.json()["result"]["counts"].values()) == 1
    before = settled_hash(srv)
    r = srv.post(f"/api/v1/motions/{d}/comments", {"text": "After."}, token=tok["a"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict", r.text
    assert state_hash(srv.db) == before
    t = thread(srv, d, tok["a"])
    assert not t["open"] and not t["may_comment"] and t["closed_because"] == "adopted"
    assert [x["id"] for x in t["comments"]] == [c["id"]]
    # the author may still withdraw what they said
    assert srv.post(f"/api/v1/comments/{c['id']}/withdraw", token=tok["a"]).status_code == 200


def test_only_a_decision_of_the_assembly_hides_a_comment(srv, world):
    tok, h, m = world["tok"], world["handle"], world["motion"]
    c = comment(srv, tok["a"], m, "Something hurtful.")
    # nobody else may make it disappear: not the founder, not a chair
    r = srv.post(f"/api/v1/comments/{c['id']}/withdraw", token=tok["f"])
    assert r.status_code == 403, r.text
    # the motion's checks: a comment of another assembly's discussion,
    # missing or bad params
    before = settled_hash(srv)
    for params, status, field in (
            ({"comment": world["other_comment"], "reason": "No."}, 404, "params.comment"),
            ({"comment": 99999999, "reason": "No."}, 404, "params.comment"),
            ({"comment": c["id"]}, 400, "params.reason"),
            ({"comment": c["id"], "reason": ""}, 400, "params.reason"),
            ({"comment": "one", "reason": "No."}, 400, "params.comment"),
            ({"reason": "No."}, 400, "params.comment")):
        r = srv.post(f"/api/v1/bodies/{world['harbour']}/motions",
                     {"kind": "hide_comment", "title": "Hide", "params": params},
                     token=tok["f"])
        assert r.status_code == status and r.json()["error"]["field"] == field, (params, r.text)
    assert state_hash(srv.db) == before
    d = decide(srv, world["harbour"], tok["f"], "hide_comment",
               {"comment": c["id"], "reason": "It named a neighbour unkindly."},
               title="Hide a comment")
    assert d["status"] == "adopted", d
    t = thread(srv, m)
    hidden = [x for x in t["comments"] if x["id"] == c["id"]][0]
    assert hidden["state"] == "hidden" and hidden["hidden_by"] == d["id"]
    assert hidden["hidden_reason"] == "It named a neighbour unkindly."
    assert "text" not in hidden and "html" not in hidden
    dec = [x for x in entries(srv, "motion.decide") if x["payload"]["motion"] == d["id"]][0]
    assert dec["payload"]["effect"]["comment_hidden"] == {
        "comment": c["id"], "reason": "It named a neighbour unkindly.", "author": h["a"]}
    # then: no reply to it, no withdrawal, no second hide
    before = settled_hash(srv)
    r = srv.post(f"/api/v1/motions/{m}/comments", {"text": "x", "reply_to": c["id"]},
                 token=tok["f"])
    assert r.status_code == 409 and r.json()["error"]["field"] == "reply_to", r.text
    r = srv.post(f"/api/v1/comments/{c['id']}/withdraw", token=tok["a"])
    assert r.status_code == 409, r.text
    r = srv.post(f"/api/v1/bodies/{world['harbour']}/motions",
                 {"kind": "hide_comment", "title": "Again",
                  "params": {"comment": c["id"], "reason": "Twice."}}, token=tok["f"])
    assert r.status_code == 409 and r.json()["error"]["field"] == "params.comment", r.text
    assert state_hash(srv.db) == before


def test_a_hide_void_when_the_author_withdrew_first(srv, world):
    tok, m = world["tok"], world["motion"]
    c = comment(srv, tok["a"], m, "Regrettable.")
    mid = submit(srv, world["harbour"], tok["f"], kind="hide_comment", title="Hide",
                 text="", params={"comment": c["id"], "reason": "Unkind."})["id"]
    assert srv.post(f"/api/v1/comments/{c['id']}/withdraw", token=tok["a"]).status_code == 200
    srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok["f"])
    srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"}, token=tok["f"])
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["f"])
    assert r.status_code == 200 and r.json()["status"] == "void", r.text
    t = thread(srv, m)
    assert [x for x in t["comments"] if x["id"] == c["id"]][0]["state"] == "withdrawn"


def test_members_of_the_assemblies_a_proposal_reaches_discuss_it(srv, world):
    tok, p = world["tok"], world["proposal"]
    c = comment(srv, tok["h"], p, "Drivers agree.", target="proposals")
    # Harbour was offered it: its members speak, the recalled delegate
    # among them (as a member of Harbour)
    r = comment(srv, tok["a"], p, "Our night shift needs it.", reply_to=c["id"],
                target="proposals")
    assert r["depth"] == 1
    comment(srv, tok["deleg"], p, "As a member of Harbour: yes.", target="proposals")
    t = thread(srv, p, tok["a"], target="proposals")
    assert t["target"] == "proposal" and t["open"] and t["may_comment"]
    assert len(t["comments"]) == 3
    e = [x for x in entries(srv, "comment.add") if x["payload"]["comment"] == r["id"]][0]
    assert e["payload"]["target"] == "proposal" and e["payload"]["proposal"] == p
    assert e["body"] == world["transit"]
    # a reply must stay in the proposal's discussion
    before = settled_hash(srv)
    r2 = srv.post(f"/api/v1/proposals/{p}/comments",
                  {"text": "x", "reply_to": world["other_comment"]}, token=tok["a"])
    assert r2.status_code == 400 and r2.json()["error"]["field"] == "reply_to"
    # Harbour cannot hide it: Transit holds the discussion
    r2 = srv.post(f"/api/v1/bodies/{world['harbour']}/motions",
                  {"kind": "hide_comment", "title": "Hide",
                   "params": {"comment": c["id"], "reason": "No."}}, token=tok["f"])
    assert r2.status_code == 404 and r2.json()["error"]["field"] == "params.comment"
    assert state_hash(srv.db) == before
    d = decide(srv, world["transit"], tok["h"], "hide_comment",
               {"comment": r["id"], "reason": "Off topic."}, title="Hide")
    assert d["status"] == "adopted", d
    t = thread(srv, p, target="proposals")
    assert [x["state"] for x in t["comments"]] == ["shown", "hidden", "shown"]


def test_the_command_line_discusses_as_the_token_says(srv, world):
    tok, m = world["tok"], world["motion"]
    p = run("comment", "add", "motion", m, "--text", "From the terminal.",
            "--token", tok["a"], "--db", srv.db, "--json", check=0)
    c = json.loads(p.stdout)
    assert c["text"] == "From the terminal." and c["author"] == world["handle"]["a"]
    p = run("comment", "add", "motion", m, "--text", "A reply.", "--reply-to", c["id"],
            "--token", tok["f"], "--db", srv.db, check=0)
    assert "added" in p.stdout
    p = run("comment", "list", "motion", m, "--db", srv.db, check=0)
    assert "From the terminal." in p.stdout and "    A reply." in p.stdout
    p = run("comment", "list", "motion", m, "--db", srv.db, "--json", check=0)
    assert json.loads(p.stdout)["target_id"] == m
    before = settled_hash(srv)
    for args, words in (
            (["add", "motion", m, "--text", "x"], "token"),
            (["add", "motion", m, "--text", "", "--token", tok["a"]], "characters"),
            (["add", "law", m, "--text", "x", "--token", tok["a"]], "motion or a proposal"),
            (["add", "motion", m, "--text", "x", "--token", "nonsense"], "token"),
            (["add", "motion", m, "--text", "x", "--token", tok["n"]], "only active members"),
            (["withdraw", c["id"], "--token", tok["f"]], "author"),
            (["list", "motion", "x"], "number"),
            (["frobnicate"], "say")):
        p = run("comment", *args, "--db", srv.db)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert words in p.stderr, (args, p.stderr)
    assert state_hash(srv.db) == before
    p = run("comment", "withdraw", c["id"], "--token", tok["a"], "--db", srv.db, check=0)
    assert "withdrawn" in p.stdout
    p = run("comment", "list", "motion", m, "--db", srv.db, check=0)
    assert "[withdrawn by its author]" in p.stdout
    assert os.path.exists(srv.db)


def test_one_person_writes_at_most_thirty_comments_an_hour(srv, world):
    """Each comment is a permanent journal entry: a flood is refused with
    429 and Retry-After, and changes nothing."""
    handle, tok = srv.user()
    join(srv, world["harbour"], tok)
    m = world["motion"]
    for i in range(30):
        comment(srv, tok, m, f"Point {i}.")
    before = settled_hash(srv)
    r = srv.post(f"/api/v1/motions/{m}/comments", {"text": "One more."}, token=tok)
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited", r.text
    assert 1 <= int(r.headers["Retry-After"]) <= 3600
    r = srv.post(f"/api/v1/proposals/{world['proposal']}/comments", {"text": "Here?"},
                 token=tok)
    assert r.status_code == 429, r.text
    assert state_hash(srv.db) == before
    # someone else still speaks
    comment(srv, world["tok"]["f"], m, "I still may.")


def test_delegates_discuss_their_delegate_assemblys_motions(srv, world):
    tok = world["tok"]
    c = comment(srv, tok["h"], world["tmotion"], "As Hill's delegate: yes.")
    assert c["author"] == world["handle"]["h"]
    t = thread(srv, world["tmotion"], tok["h"])
    assert t["may_comment"] and t["body"] == world["transit"]
    # Harbour's members are not Transit's: only its delegates are
    assert not thread(srv, world["tmotion"], tok["a"])["may_comment"]


def test_an_author_who_left_may_still_withdraw_their_words(srv, start_server):
    s = start_server()
    (fh, f), (ah, a) = s.user(), s.user()
    slug = s.found(f).json()["slug"]
    join(s, slug, a)
    m = submit(s, slug, f)["id"]
    c = comment(s, a, m, "Said while a member.")
    assert s.delete(f"/api/v1/bodies/{slug}/members/me", token=a).status_code in (200, 204)
    r = s.post(f"/api/v1/motions/{m}/comments", {"text": "And now?"}, token=a)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_member", r.text
    r = s.post(f"/api/v1/comments/{c['id']}/withdraw", token=a)
    assert r.status_code == 200 and r.json()["state"] == "withdrawn", r.text
    p = run("journal", "verify", "--state", "--db", s.db, check=0)
    assert "state matches the journal" in p.stdout
