"""Your own vote (issue 12, section 2), over HTTP.

- The motion tells a signed-in member what they voted ("my_vote"), on any
  device: the position on an open ballot; on a secret ballot only that
  they voted, never how.
- On an open ballot a member may change their vote until the vote closes:
  each change is a new journal entry (vote.change), and the count uses the
  latest. Voting the same position again is refused and changes nothing.
- On a secret ballot the vote is final: changing it is refused, clearly,
  and changes nothing.
- The list of motions being voted on says, for the caller, which they
  voted on ("voted"), so the home page stops listing them.
"""
import json

from conftest import error_of, run
from test_newcomer import check_in, journal_length, town


def setup_vote(srv, secret=False):
    slug, meeting, tok = town(srv, members=3)
    code = check_in(srv, meeting, tok["a"])
    for k in "bc":
        check_in(srv, meeting, tok[k], code)
    body = {"kind": "resolution", "title": "Plant trees", "text": "Along the river."}
    if secret:
        # a secret ballot by the assembly's default: an exclusion (of c)
        c = srv.get("/api/v1/me", token=tok["c"]).json()["handle"]
        body = {"kind": "exclude_member", "title": "Exclude c", "text": "",
                "params": {"member": c, "reasons": "Works to restore class inequality.",
                           "hearing": "c was heard."}}
    r = srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok["a"])
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    assert r.json()["ballot"] == ("secret" if secret else "open")
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok["a"])
    assert r.status_code == 200, r.text
    return slug, meeting, tok, mid


def vote(srv, mid, token, position):
    return srv.post(f"/api/v1/motions/{mid}/votes", {"position": position}, token=token)


def counts(srv, mid):
    return srv.get(f"/api/v1/motions/{mid}/counts").json()


def test_open_ballot_shows_your_vote_and_you_may_change_it(srv):
    slug, meeting, tok, mid = setup_vote(srv)
    assert "my_vote" not in srv.get(f"/api/v1/motions/{mid}", token=tok["b"]).json()
    assert vote(srv, mid, tok["b"], "yes").status_code == 201
    assert vote(srv, mid, tok["c"], "yes").status_code == 201
    mo = srv.get(f"/api/v1/motions/{mid}", token=tok["b"]).json()
    assert mo["my_vote"] == {"position": "yes", "may_change": True}
    # another device: a second session of the same account
    handle = srv.get("/api/v1/me", token=tok["b"]).json()["handle"]
    other = srv.signin(handle)
    assert srv.get(f"/api/v1/motions/{mid}", token=other).json()["my_vote"]["position"] == "yes"
    # signed out, nobody's vote is "mine"
    assert "my_vote" not in srv.get(f"/api/v1/motions/{mid}").json()
    # the list says which I voted on
    listed = srv.get(f"/api/v1/bodies/{slug}/motions?status=voting", token=tok["b"]).json()
    assert [(m["id"], m["voted"]) for m in listed["motions"]] == [(mid, True)]
    listed = srv.get(f"/api/v1/bodies/{slug}/motions?status=voting", token=tok["a"]).json()
    assert [(m["id"], m["voted"]) for m in listed["motions"]] == [(mid, False)]
    # the same position again: refused, nothing changes
    before = journal_length(srv)
    error_of(vote(srv, mid, tok["b"], "yes"), 409, "already_voted", "position")
    assert journal_length(srv) == before
    # a change: a new journal entry, the count follows
    r = vote(srv, mid, other, "no")
    assert r.status_code == 201, r.text
    assert r.json()["changed"] is True and r.json()["position"] == "no"
    assert journal_length(srv) == before + 1
    last = srv.get(f"/api/v1/journal?after={before}").json()["entries"]
    assert [(e["action"], e["payload"]["position"], e["payload"]["was"])
            for e in last] == [("vote.change", "no", "yes")]
    c = counts(srv, mid)
    assert c["counts"] == {"yes": 1, "no": 1} and c["voted"] == 2
    assert srv.get(f"/api/v1/motions/{mid}", token=tok["b"]).json()["my_vote"][
        "position"] == "no"
    # a position the rule does not offer is refused as before
    error_of(vote(srv, mid, tok["b"], "block"), 400, "rule_position", "position")
    # closed: the latest vote counts, no more changes
    r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["a"])
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["status"] == "rejected" and res["result"]["counts"] == {"yes": 1, "no": 1}
    votes = {v["member"]: v["position"] for v in res["votes"]}
    assert votes[handle] == "no" and len(votes) == 2
    before = journal_length(srv)
    error_of(vote(srv, mid, tok["b"], "yes"), 409, "not_voting")
    assert journal_length(srv) == before
    assert srv.get(f"/api/v1/motions/{mid}", token=tok["b"]).json()["my_vote"] == {
        "position": "no", "may_change": False}
    # the journal alone rebuilds the latest vote (replay's vote.change rule)
    p = run("journal", "verify", "--state", "--json", "--db", srv.db)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["state"]["ok"], j


def test_secret_ballot_says_you_voted_never_how_and_is_final(srv):
    slug, meeting, tok, mid = setup_vote(srv, secret=True)
    assert vote(srv, mid, tok["b"], "yes").status_code == 201
    mo = srv.get(f"/api/v1/motions/{mid}", token=tok["b"]).json()
    assert mo["my_vote"] == {"voted": True, "may_change": False}
    assert "yes" not in str(mo["my_vote"])
    listed = srv.get(f"/api/v1/bodies/{slug}/motions?status=voting", token=tok["b"]).json()
    assert [m["voted"] for m in listed["motions"]] == [True]
    before, c = journal_length(srv), counts(srv, mid)
    e = error_of(vote(srv, mid, tok["b"], "no"), 409, "already_voted", "position")
    assert "secret" in e["message"] and "final" in e["message"]
    error_of(vote(srv, mid, tok["b"], "yes"), 409, "already_voted", "position")
    assert journal_length(srv) == before and counts(srv, mid) == c
    # an outsider and a member not checked in are refused as before
    error_of(vote(srv, mid, srv.user()[1], "no"), 403, "not_member")
