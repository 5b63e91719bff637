"""The harm question (issue 14, docs/cases.md), on the API.

One polity of four seats drawn by lot on the server's controlled clock; a
civil servant registered before the draw (never in its pool); citizens
who are not seated. A case on an absence runs from a petition to a remedy
that writes law 1 into the polity's register; a second case on law 1 runs
to an amendment (with its diff), after a rejected recommendation; a year
later on the same clock both reviews open by themselves: one remedy is
confirmed, the other withdrawn (the law's previous version back, as a new
version). Every refusal of the issue's item 8 that this part builds is
tested, each leaving the journal and the state as they were; the replay
rebuilds the same state."""
import json
import shutil
import sqlite3
import time

import pytest

from conftest import Server, assert_clean_exit, error_of, run, settled_hash, unique

DAY = 86400


class Polity:
    """A polity whose assembly of `seats` is seated by lot, on a controlled
    clock, with a civil servant and citizens who hold no seat."""

    def __init__(self, srv, seats=4, people=7):
        self.srv = srv
        c = srv.add_community()
        self.community = c
        reg, self.slug = unique("r"), unique("p")
        run("region", "add", reg, "--name", "R", "--communities", c, "--db", srv.db, check=0)
        run("polity", "add", self.slug, "--name", "Coastal waters",
            "--description", "Fishing and the harbour", "--region", reg,
            "--seats", seats, "--cohorts", 1, "--db", srv.db, check=0)
        time.sleep(1.1)  # consent given after the polity's registration
        self.names = [srv.signup() for _ in range(people)]
        self.servant = srv.signup(display_name="Civil Servant")
        self.tok = {}
        for n in self.names + [self.servant]:
            self.tok[n] = srv.signin(n)
            r = srv.request("PUT", "/api/v1/me/residence", {"community": c},
                            token=self.tok[n])
            assert r.status_code == 200, r.text
        p = run("polity", "civil-servant", "add", self.slug, self.servant, "--db", srv.db,
                "--json", check=0)
        assert json.loads(p.stdout)["handle"] == self.servant
        draw_at = srv.get(f"/api/v1/polities/{self.slug}").json()["next_renewal"]["draw_at"]
        self.now = self.signed = None
        self.clock(draw_at - 15 * DAY, consent=True)
        self.clock(draw_at - 14 * DAY)
        pool = srv.get(f"/api/v1/polities/{self.slug}/renewals").json()["renewals"]
        committed = [r for r in pool if r["status"] == "committed"][0]
        # the civil servant, a citizen of the region, is not in the pool
        assert committed["pool_size"] == people, committed
        self.clock(draw_at)
        g = None
        for n in self.names[:2]:
            g = srv.post(f"/api/v1/renewals/{committed['id']}/seed", {"text": "dice:4"},
                         token=self.tok[n]).json()
        assert g["status"] == "drawn", g
        self.seated = []
        for n in self.names:
            for m in srv.get("/api/v1/me/summons", token=self.tok[n]).json()["summons"]:
                r = srv.post(f"/api/v1/summons/{m['id']}/answer", {"answer": "accept"},
                             token=self.tok[n])
                assert r.status_code == 200, r.text
                self.seated.append(n)
        assert len(self.seated) == seats, self.seated
        self.others = [n for n in self.names if n not in self.seated]

    def clock(self, t, consent=False):
        """Move the server's clock to t (never back); sign in again once
        the sessions would have expired."""
        if self.now and t < self.now:
            t = self.now
        run("polity", "renew", self.slug, "--at", "@%d" % t, "--db", self.srv.db, check=0)
        if consent or not self.now or t - self.signed > 20 * DAY:
            self.signed = t
            for n in self.names + [self.servant]:
                self.tok[n] = self.srv.signin(n)
                if consent:
                    r = self.srv.post("/api/v1/me/consent", {"affirm": True},
                                      token=self.tok[n])
                    assert r.status_code == 201, r.text
        self.now = t

    def submit(self, kind, params, title="A motion", text="", who=None):
        r = self.srv.post(f"/api/v1/bodies/{self.slug}/motions", {
            "kind": kind, "title": title, "text": text, "params": params},
            token=self.tok[who or self.seated[0]])
        assert r.status_code == 201, r.text
        return r.json()

    def session(self, after=None):
        """The assembly's next meeting after `after` (default: now) opens;
        everyone seated checks in."""
        after = after or self.now
        m = [m for m in self.srv.get(f"/api/v1/bodies/{self.slug}/meetings").json()["upcoming"]
             if m["starts_at"] > after][0]
        self.meeting_id = m["id"]
        self.clock(m["starts_at"] + 60)
        a = self.seated[0]
        for n in self.seated:
            code = self.srv.get(f"/api/v1/meetings/{m['id']}/code", token=self.tok[a]).json()
            r = self.srv.post(f"/api/v1/meetings/{m['id']}/checkins", {"code": code["code"]},
                              token=self.tok[n])
            assert r.status_code in (200, 201), r.text

    def vote(self, motion, positions):
        a = self.seated[0]
        r = self.srv.post(f"/api/v1/motions/{motion['id']}/voting", {"mode": "devices"},
                          token=self.tok[a])
        assert r.status_code == 200, r.text
        for n, pos in zip(self.seated, positions):
            r = self.srv.post(f"/api/v1/motions/{motion['id']}/votes", {"position": pos},
                              token=self.tok[n])
            assert r.status_code == 201, r.text
        r = self.srv.post(f"/api/v1/motions/{motion['id']}/voting/close", token=self.tok[a])
        assert r.status_code == 200, r.text
        return r.json()

    def end(self):
        r = self.srv.post(f"/api/v1/meetings/{self.meeting_id}/close",
                          token=self.tok[self.seated[0]])
        assert r.status_code == 200, r.text

    def decide(self, kind, params, positions, title="A motion", text=""):
        """A motion moved from the floor of the meeting in session, voted."""
        m = self.submit(kind, params, title, text)
        assert m["meeting"] == self.meeting_id, m
        return self.vote(m, positions)

    def floor(self):
        """At its first meeting the assembly decides to take motions from
        the floor: each step of a case is then moved and decided as the
        meeting goes."""
        m = self.submit("change_schedule", {"schedule": {
            "rrule": "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=18;BYMINUTE=0", "tz": "UTC",
            "place": "The harbour master's hall", "floor_motions": True}},
            title="Motions from the floor")
        self.session()
        assert self.vote(m, ("yes",) * len(self.seated))["status"] == "adopted"

    def case(self, cid):
        r = self.srv.get(f"/api/v1/cases/{cid}")
        assert r.status_code == 200, r.text
        return r.json()


YES = ("yes", "yes", "yes", "no")
NO = ("no", "no", "no", "yes")


@pytest.fixture(scope="module")
def w(tmp_path_factory):
    d = tmp_path_factory.mktemp("cases")
    srv = Server(str(d), init_args=("--controlled-clock",))
    try:
        p = Polity(srv)
        p.floor()
        yield p
    finally:
        assert_clean_exit(*srv.stop())


def journal_len(srv):
    return srv.get("/api/v1/journal?limit=1").json().get("head", {}).get("seq")


def unchanged(w, before, *calls):
    """Each call is refused and leaves the state as it was."""
    for c in calls:
        c()
    assert settled_hash(w.srv) == before


def petition(w, who, **body):
    return w.srv.post(f"/api/v1/polities/{w.slug}/cases", body, token=w.tok[who])


def test_the_cycle_from_petition_to_review(w):
    srv = w.srv
    citizen = w.others[0]
    # a petition on an absence: the register is empty at the start
    r = petition(w, citizen, absence="the noise of night-time unloading at the harbour",
                 title="Night unloading keeps the old town awake",
                 statement="Trucks unload fish from 2 to 5 in the morning.")
    assert r.status_code == 201, r.text
    c = r.json()
    cid = c["id"]
    assert (c["state"], c["law"], c["petitioner"]["handle"]) == ("petitioned", None, citizen)
    assert [s["step"] for s in c["steps"]] == ["petitioned"]

    # taken up, then the harm question: yes, with the findings
    d = w.decide("take_up_case", {"case": cid, "decision": "take_up",
                                  "reasons": "It concerns hundreds of residents."}, YES)
    assert d["status"] == "adopted", d
    assert w.case(cid)["state"] == "hearing"
    findings = "About 400 residents lose sleep three nights a week; noise logs attached."
    d = w.decide("harm_question", {"case": cid, "findings": findings}, YES,
                 title="Does the silence of the law on night unloading allow harm?")
    c = w.case(cid)
    assert (c["state"], c["findings"]) == ("harm_found", findings), c
    step = c["steps"][-1]
    assert step["step"] == "harm_found" and step["motion"]["id"] == d["id"]
    assert {v["handle"] for v in step["motion"]["voters"]} == set(w.seated)
    assert step["motion"]["meeting"] == d["meeting"]

    # the civil service is charged with a remedy by a deadline
    deadline = w.now + 60 * DAY
    w.decide("charge_civil_service", {"case": cid, "deadline": deadline,
                                      "instructions": "Find the least costly remedy."}, YES)
    c = w.case(cid)
    assert (c["state"], c["deadline"], c["overdue"]) == ("remedy_requested", deadline, False)

    # the civil servant recommends a new law
    rec = {"title": "Quiet hours at the harbour",
           "text": "1. No unloading between 23:00 and 06:00 within 300 m of homes.\n",
           "rationale": "Most noise comes from the trucks' refrigeration.",
           "effect": "Nights without unloading noise.",
           "measures": "Complaints per month; night-time noise readings.",
           "alternatives": "Noise walls (costly); electric trucks (slow to come)."}
    r = srv.post(f"/api/v1/cases/{cid}/recommendations", rec, token=w.tok[w.servant])
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["state"] == "recommendation_received"
    r1 = c["recommendations"][0]
    assert (r1["law"], r1["diff"]["added"], r1["diff"]["deleted"]) == (None, 1, 0), r1

    # the same question on the recommendation: "no" approves it, and law
    # 1 enters the polity's register in the same decision
    laws = srv.get(f"/api/v1/bodies/{w.slug}/laws").json()
    assert laws == [] or laws.get("laws") == [], laws
    d = w.decide("remedy_question", {"case": cid, "recommendation": r1["id"]}, NO,
                 title="Would the law so changed still allow harm?")
    assert d["status"] == "rejected", d["result"].get("void_reason")
    c = w.case(cid)
    assert c["state"] == "in_force", c
    assert c["remedy"]["law"] == 1 and c["remedy"]["version"] == 1, c
    law = srv.get(f"/api/v1/bodies/{w.slug}/laws/1").json()
    v = law["versions"][-1]
    assert (v["title"], v["text"], v["change"], v["case_change"], v["motion"],
            v["case"]) == (rec["title"], rec["text"], "enact", "remedy", d["id"], cid), law
    first_review = c["review_at"]
    assert 364 * DAY <= first_review - w.now <= 367 * DAY, (first_review, w.now)

    # a second case, on law 1: a recommendation rejected, then an
    # amendment approved, with its diff
    r = petition(w, w.others[1], law=1, title="Quiet hours stop the dawn market",
                 statement="Fresh fish must be unloaded by 05:00 for the market.")
    assert r.status_code == 201, r.text
    cid2 = r.json()["id"]
    assert r.json()["law_title"] == rec["title"]
    w.decide("take_up_case", {"case": cid2, "decision": "take_up"}, YES)
    w.decide("harm_question", {"case": cid2, "findings": "The market loses its fish."}, YES)
    w.decide("charge_civil_service", {"case": cid2, "deadline": w.now + 90 * DAY}, YES)
    amend = dict(rec, law=1, title="Quiet hours at the harbour, with a market window",
                 text="1. No unloading between 23:00 and 04:00 within 300 m of homes.\n")
    del amend["title"]
    r = srv.post(f"/api/v1/cases/{cid2}/recommendations", amend, token=w.tok[w.servant])
    assert r.status_code == 201, r.text
    bad = r.json()["recommendations"][0]
    assert (bad["law"], bad["base_version"], bad["title"]) == (1, 1, rec["title"]), bad
    assert [(x["op"], x["text"]) for x in bad["diff"]["lines"]] == [
        ("del", rec["text"].strip()), ("add", amend["text"].strip())], bad["diff"]
    d = w.decide("remedy_question", {"case": cid2, "recommendation": bad["id"],
                                     "reasons": "04:00 is still too early."}, YES)
    assert d["status"] == "adopted"
    c2 = w.case(cid2)
    assert c2["state"] == "remedy_requested", c2
    assert c2["recommendations"][0]["state"] == "rejected"
    assert c2["recommendations"][0]["reasons"] == "04:00 is still too early."
    # the register did not change: only an approving vote changes it
    assert len(srv.get(f"/api/v1/bodies/{w.slug}/laws/1").json()["versions"]) == 1
    amend["text"] = "1. No unloading between 23:00 and 05:00 within 300 m of homes.\n"
    r = srv.post(f"/api/v1/cases/{cid2}/recommendations", amend, token=w.tok[w.servant])
    assert r.status_code == 201, r.text
    good = r.json()["recommendations"][1]
    d = w.decide("remedy_question", {"case": cid2, "recommendation": good["id"],
                                     "review_at": w.now + 400 * DAY}, NO)
    law = srv.get(f"/api/v1/bodies/{w.slug}/laws/1").json()
    assert [v["text"] for v in law["versions"]] == [rec["text"], amend["text"]]
    assert law["versions"][1]["case"] == cid2
    c2 = w.case(cid2)
    assert (c2["state"], c2["law_now"]["version"]) == ("in_force", 2), c2

    # the polity's dashboard
    lst = srv.get(f"/api/v1/polities/{w.slug}/cases").json()
    assert {c["id"] for c in lst["dashboard"]["in_force"]} == {cid, cid2}
    assert lst["civil_service"][0]["handle"] == w.servant
    only = srv.get(f"/api/v1/polities/{w.slug}/cases?state=in_force").json()["cases"]
    assert {c["id"] for c in only} == {cid, cid2}
    error_of(srv.get(f"/api/v1/polities/{w.slug}/cases?state=nonsense"), 400,
             "bad_input", "state")

    w.end()

    # a year later: the first review opens by itself on the clock
    w.clock(first_review + 60)
    c = w.case(cid)
    assert c["state"] == "under_review", c
    assert c["steps"][-1]["step"] == "review_opened"
    assert w.case(cid2)["state"] == "in_force"  # its date is later
    r = srv.post(f"/api/v1/cases/{cid}/reports", {
        "text": "Complaints fell from 40 to 3 a month."}, token=w.tok[w.servant])
    assert r.status_code == 201, r.text
    assert r.json()["steps"][-1]["step"] == "reported"
    w.session()
    # the review's decision waits for its harm question
    error_of(srv.post(f"/api/v1/bodies/{w.slug}/motions", {
        "kind": "review_case", "title": "Confirm", "params": {
            "case": cid, "outcome": "confirm"}}, token=w.tok[w.seated[0]]),
        409, "conflict", "params.case")
    w.decide("harm_question", {"case": cid, "findings": "No more complaints."}, NO)
    assert w.case(cid)["review_harm"] is False
    # confirm is all the review's answer allows, with revise refused
    error_of(srv.post(f"/api/v1/bodies/{w.slug}/motions", {
        "kind": "review_case", "title": "Revise", "params": {
            "case": cid, "outcome": "revise"}}, token=w.tok[w.seated[0]]),
        409, "conflict", "params.outcome")
    w.decide("review_case", {"case": cid, "outcome": "confirm"}, YES)
    c = w.case(cid)
    assert c["state"] == "in_force" and c["review_at"] > w.now + 300 * DAY, c

    # the second remedy's review: harm found again, the remedy withdrawn:
    # the law's previous version back in force as version 3
    w.end()
    w.clock(c2["review_at"] + 60)
    assert w.case(cid2)["state"] == "under_review"
    w.session()
    w.decide("harm_question", {"case": cid2, "findings": "Homes are awake at 04:30."}, YES)
    w.decide("review_case", {"case": cid2, "outcome": "withdraw",
                             "reasons": "The market window harms the sleepers."}, YES)
    w.end()
    c2 = w.case(cid2)
    assert c2["state"] == "withdrawn", c2
    law = srv.get(f"/api/v1/bodies/{w.slug}/laws/1").json()
    assert [(v["text"], v["change"], v["case_change"]) for v in law["versions"]] == [
        (rec["text"], "enact", "remedy"), (amend["text"], "amend", "remedy"),
        (rec["text"], "amend", "withdrawal")]

    # the command line shows the same
    p = run("case", "list", w.slug, "--db", srv.db, check=0)
    assert "withdrawn" in p.stdout and "in_force" in p.stdout, p.stdout
    p = run("case", "show", cid2, "--db", srv.db, "--json", check=0)
    assert json.loads(p.stdout)["state"] == "withdrawn"
    p = run("case", "show", cid2, "--db", srv.db, check=0)
    assert "remedy_approved" in p.stdout and "withdrawn" in p.stdout, p.stdout

    # the journal has every step, and the replay rebuilds the same state
    p = run("journal", "verify", "--state", "--json", "--db", srv.db, check=None)
    j = json.loads(p.stdout)
    assert p.returncode == 0 and j["state"]["ok"], j


def test_refusals_change_nothing(w):
    srv = w.srv
    citizen, member = w.others[0], w.seated[0]
    # a year has passed in the cycle's test: the citizen renews consent
    r = srv.post("/api/v1/me/consent", {"affirm": True}, token=w.tok[citizen])
    assert r.status_code == 201, r.text
    base = petition(w, citizen, absence="boats left to rot at the quay", title="Wrecks",
                    statement="Wrecks leak oil.")
    assert base.status_code == 201, base.text
    cid = base.json()["id"]
    outsider = srv.signup()
    otok = srv.signin(outsider)
    before = settled_hash(srv)
    law_kinds = srv.get(f"/api/v1/motion-kinds?body={w.slug}").json()["kinds"]
    assert not {"enact_law", "amend_law", "repeal_law"} & {k["name"] for k in law_kinds}

    def refused(r, status, code, field=None):
        return lambda: error_of(r() if callable(r) else r, status, code, field)

    unchanged(
        w, before,
        # a petition: by nobody signed in, by a resident who is no citizen,
        # with bad input, on a law the register does not hold
        refused(lambda: srv.post(f"/api/v1/polities/{w.slug}/cases", {
            "absence": "x", "title": "t", "statement": "s"}), 401, "unauthenticated"),
        refused(lambda: srv.post(f"/api/v1/polities/{w.slug}/cases", {
            "absence": "x", "title": "t", "statement": "s"}, token=otok), 403, "forbidden"),
        refused(lambda: petition(w, citizen, absence="x", statement="s"), 400,
                "missing_field", "title"),
        refused(lambda: petition(w, citizen, title="t", statement="s"), 400,
                "missing_field", "absence"),
        refused(lambda: petition(w, citizen, law=1, absence="x", title="t",
                                 statement="s"), 400, "bad_input", "absence"),
        refused(lambda: petition(w, citizen, law=99, title="t", statement="s"), 404,
                "not_found", "law"),
        refused(lambda: srv.post("/api/v1/polities/nowhere/cases", {
            "absence": "x", "title": "t", "statement": "s"}, token=w.tok[citizen]),
            404, "not_found"),
        # the civil service never moves, votes or decides: not a member
        refused(lambda: srv.post(f"/api/v1/bodies/{w.slug}/motions", {
            "kind": "take_up_case", "title": "Take it", "params": {
                "case": cid, "decision": "take_up"}}, token=w.tok[w.servant]),
            403, "not_member"),
        # nor recommends before the assembly asks; nor does anyone else
        refused(lambda: srv.post(f"/api/v1/cases/{cid}/recommendations", {
            "text": "t", "title": "t", "rationale": "r", "effect": "e", "measures": "m",
            "alternatives": "a"}, token=w.tok[w.servant]), 409, "conflict"),
        refused(lambda: srv.post(f"/api/v1/cases/{cid}/recommendations", {
            "text": "t", "title": "t", "rationale": "r", "effect": "e", "measures": "m",
            "alternatives": "a"}, token=w.tok[member]), 403, "forbidden"),
        refused(lambda: srv.post(f"/api/v1/cases/{cid}/recommendations", {
            "title": "t", "rationale": "r", "effect": "e", "measures": "m",
            "alternatives": "a"}, token=w.tok[w.servant]), 400, "missing_field", "text"),
        refused(lambda: srv.post(f"/api/v1/cases/{cid}/reports", {"text": "r"},
                                 token=w.tok[w.servant]), 409, "conflict"),
        refused(lambda: srv.post("/api/v1/cases/9999/reports", {"text": "r"},
                                 token=w.tok[w.servant]), 404, "not_found"),
        # a step out of order: the harm question before the case is taken up
        refused(lambda: srv.post(f"/api/v1/bodies/{w.slug}/motions", {
            "kind": "harm_question", "title": "Harm?", "params": {
                "case": cid, "findings": "f"}}, token=w.tok[member]),
            409, "conflict", "params.case"),
        refused(lambda: srv.post(f"/api/v1/bodies/{w.slug}/motions", {
            "kind": "take_up_case", "title": "Take it", "params": {
                "case": 9999, "decision": "take_up"}}, token=w.tok[member]),
            404, "not_found", "params.case"),
        # the polity's register changes only by a remedy: no ordinary law
        refused(lambda: srv.post(f"/api/v1/bodies/{w.slug}/motions", {
            "kind": "enact_law", "title": "A law", "text": "Text."}, token=w.tok[member]),
            403, "fed_no_laws", "kind"),
        refused(lambda: srv.post(f"/api/v1/bodies/{w.slug}/motions", {
            "kind": "amend_law", "title": "Law 1", "text": "Text.", "params": {"law": 1}},
            token=w.tok[member]), 403, "fed_no_laws", "kind"),
        # no route reads a case that is not there
        refused(lambda: srv.get("/api/v1/cases/9999"), 404, "not_found"),
    )
    # a seated member cannot become a civil servant; the operator's
    # command is the only way in, and it says why
    p = run("polity", "civil-servant", "add", w.slug, member, "--db", srv.db)
    assert p.returncode == 2 and "never a member" in p.stderr, p.stderr
    p = run("polity", "civil-servant", "add", w.slug, w.servant, "--db", srv.db)
    assert p.returncode == 2 and "already" in p.stderr, p.stderr
    # nor an alternate of the draw, who may be called to a seat
    p = run("polity", "civil-servant", "add", w.slug, w.others[2], "--db", srv.db)
    assert p.returncode == 2 and "alternate" in p.stderr, p.stderr
    assert settled_hash(srv) == before


def test_only_the_polity_assembly_decides_a_case(w, tmp_path):
    """A local assembly is never offered the kinds of a case, and refused
    them when it moves one."""
    srv = w.srv
    h, tok = srv.user()
    r = srv.found(tok)
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    kinds = {k["name"] for k in srv.get(f"/api/v1/motion-kinds?body={slug}").json()["kinds"]}
    assert not kinds & {"take_up_case", "harm_question", "charge_civil_service",
                        "remedy_question", "review_case"}, kinds
    cid = srv.get(f"/api/v1/polities/{w.slug}/cases").json()["cases"][0]["id"]
    before = settled_hash(srv)
    e = error_of(srv.post(f"/api/v1/bodies/{slug}/motions", {
        "kind": "take_up_case", "title": "Take it", "params": {
            "case": cid, "decision": "take_up"}}, token=tok), 403, "fed_kind", "kind")
    assert "polity's assembly" in e["message"], e
    assert settled_hash(srv) == before


def test_the_journal_rebuilds_every_case(w, tmp_path):
    """The replay writes the same cases, steps, recommendations, civil
    service and law versions; an edit of any of them is caught and named."""
    srv = w.srv
    srv.settle()
    new = str(tmp_path / "new.db")
    run("journal", "replay", "--db", srv.db, "--into", new, "--json", check=0)
    p = run("journal", "verify", "--state", "--json", "--db", new)
    assert p.returncode == 0 and json.loads(p.stdout)["state"]["ok"], p.stdout
    copy = str(tmp_path / "copy.db")
    run("backup", "--db", srv.db, copy, check=0)
    for sql, table, column in (
            ("UPDATE cases SET state = 'declined' WHERE state = 'withdrawn'", "cases", "state"),
            ("UPDATE cases SET findings = 'none' WHERE findings IS NOT NULL", "cases",
             "findings"),
            ("UPDATE case_steps SET actor = 'someone'", "case_steps", "actor"),
            ("UPDATE case_recommendations SET state = 'approved' WHERE state = 'rejected'",
             "case_recommendations", "state"),
            ("UPDATE civil_servants SET added_at = added_at + 1", "civil_servants",
             "added_at"),
            ("UPDATE law_versions SET case_id = NULL WHERE case_id IS NOT NULL",
             "law_versions", "case_id")):
        db = str(tmp_path / ("e-" + table + ".db"))
        shutil.copy(copy, db)
        con = sqlite3.connect(db)
        assert con.execute(sql).rowcount >= 1, sql
        con.commit()
        con.close()
        p = run("journal", "verify", "--state", "--json", "--db", db)
        j = json.loads(p.stdout)
        assert p.returncode == 1, (sql, j)
        d = j["state"]["difference"]
        assert (d["table"], d["column"]) == (table, column), (sql, d)


def test_an_overdue_recommendation_is_flagged_and_told(w):
    """Past its deadline without a recommendation, a case is flagged on its
    page and in the polity's dashboard, and the assembly's members and the
    civil service are told once."""
    srv = w.srv
    citizen = w.others[1]
    r = srv.post("/api/v1/me/consent", {"affirm": True}, token=w.tok[citizen])
    assert r.status_code == 201, r.text
    r = petition(w, citizen, absence="gulls fed at the fish market", title="Gulls",
                 statement="Gulls attack children at the market.")
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    w.session()
    w.decide("take_up_case", {"case": cid, "decision": "take_up"}, YES)
    w.decide("harm_question", {"case": cid, "findings": "Children are bitten."}, YES)
    deadline = w.now + 2 * DAY
    w.decide("charge_civil_service", {"case": cid, "deadline": deadline}, YES)
    w.end()
    c = w.case(cid)
    assert (c["state"], c["overdue"]) == ("remedy_requested", False), c
    w.clock(deadline + 3600)
    c = w.case(cid)
    assert c["overdue"] is True, c
    lst = srv.get(f"/api/v1/polities/{w.slug}/cases").json()
    assert [x["id"] for x in lst["dashboard"]["overdue"]] == [cid]
    # the notifier runs on the server's clock: poll with a deadline
    told = {}
    end = time.time() + 20
    while time.time() < end and len(told) < 2:
        for who in (w.servant, w.seated[0]):
            items = srv.get("/api/v1/me/notifications", token=w.tok[who]).json()
            hits = [n for n in items["notifications"]
                    if n["link"] == f"/case.html?id={cid}" and "overdue" in n["text"]]
            if hits:
                told[who] = hits
        time.sleep(0.2)
    assert set(told) == {w.servant, w.seated[0]}, told
    assert all(len(v) == 1 for v in told.values()), told
    p = run("case", "list", w.slug, "--db", srv.db, check=0)
    assert "[recommendation overdue]" in p.stdout, p.stdout
    # the calendar: the hearings, the review to come, the recommendation due
    r = srv.get(f"/api/v1/polities/{w.slug}/cases.ics")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    feed = r.text.replace("\r\n ", "")
    assert f"SUMMARY:Recommendation due of case {cid}: Gulls" in feed, feed
    assert f"SUMMARY:Hearing of case {cid}: Gulls" in feed, feed
    assert "SUMMARY:Review of the remedy of case 1: Night unloading" in feed, feed
    assert feed.count("BEGIN:VEVENT") >= 4, feed
    error_of(srv.get("/api/v1/polities/nowhere/cases.ics"), 404, "not_found")
