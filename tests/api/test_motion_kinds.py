"""GET /api/v1/motion-kinds: the one table of kinds of motion, as the
server checks them. Anyone may read it; ?body=slug lists what that
assembly may decide, and that list is exactly what submitting there
accepts (a kind left out is refused with fed_kind / fed_no_laws, a kind
listed never is)."""
import os
import re
import sqlite3
import time

import pytest

from conftest import error_of, unique
from test_federation import RULES, decide, schedule_now

TYPES = {"text", "markdown", "integer", "time", "choice", "slug", "handle",
         "member", "members", "office", "law", "committee", "motion",
         "decision", "proposal", "federation", "assembly", "kinds", "rules",
         "schedule", "condition", "communities", "assemblies", "witnesses"}
DELEGATE_ONLY = {"suspend_member", "restore_member", "adopt_proposal",
                 "new_proposal_version", "change_weighting",
                 "accept_remote_member", "refuse_remote_member",
                 "remove_remote_member", "suspend_remote_member",
                 "restore_remote_member",
                 # a rationing policy shared across a federation (docs/sharing.md)
                 "propose_scarcity", "propose_lift_scarcity"}
LOCAL_ONLY = {"enact_law", "amend_law", "repeal_law", "exclude_member",
              "readmit_member", "void_enterprise_decision", "decide_standing",
              "standing_cycle", "form_militia", "dissolve_militia", "divide_community",
              "unite_communities",
              # (answer_remote_proposal is not here: a delegate assembly
              # answers a proposal from another node too, and offers it
              # on to its members; docs/nodes.md, "Two levels across nodes")
              # its sharing economy (docs/sharing.md)
              "join_sharing_economy", "leave_sharing_economy", "declare_scarce",
              "lift_scarcity", "grant_mutual_aid",
              # allotments to those outside it and its terms of barter
              "allot_means", "revoke_allotment", "set_barter_terms"}
# a polity's assembly alone (src/gov/lot/lot_kinds.c, docs/polities.md; the
# steps of a case: src/gov/cases/cases_kinds.c, docs/cases.md)
POLITY_ONLY = {"polity_settings", "remove_seat", "take_up_case", "harm_question",
               "charge_civil_service", "remedy_question", "review_case", "seal_evidence",
               "set_case_rules", "request_evidence_brief", "schedule_testimony"}
# an enterprise's own (src/gov/economy): no assembly decides them
ENTERPRISE_ONLY = {"admit_member", "set_conditions", "state_commitment"}


def journal_length(srv):
    return srv.get("/api/v1/health").json()["journal"]["entries"]


def state(srv):
    """Counts of the tables a submission would touch."""
    con = sqlite3.connect(srv.db, timeout=10)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("motions", "bodies", "laws", "committees"))
    finally:
        con.close()


@pytest.fixture(scope="module")
def bodies(srv):
    """A local assembly meeting now, and the delegate assembly it founded
    with its founder as delegate (so the founder is a member of both)."""
    handle, tok = srv.user()
    r = srv.found(tok, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    local = r.json()["slug"]
    fed = unique("f")
    m = decide(srv, local, tok, "found_federation", {
        "slug": fed, "name": "Kinds", "purpose": "general",
        "region": "here", "statement": "Equals.", "rule": RULES,
        "schedule": schedule_now(), "delegate": handle,
        "mandate": "Try every kind."})
    assert m["status"] == "adopted", m
    return {"tok": tok, "local": local, "delegate": fed}


def kinds(srv, query=""):
    r = srv.get("/api/v1/motion-kinds" + query)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/json"
    return r.json()


def test_motion_kinds_shape(srv):
    before = journal_length(srv)
    j = kinds(srv)
    assert "body" not in j
    names = [k["name"] for k in j["kinds"]]
    assert len(names) == len(set(names)) >= 28
    for k in j["kinds"]:
        assert set(k) == {"name", "label", "summary", "decided_by",
                          "needs_text", "text_label", "writes_law", "amends",
                          "in_session", "params"}, k
        assert k["label"] and k["summary"] and k["text_label"]
        assert k["decided_by"] and set(k["decided_by"]) <= \
            {"local", "delegate", "committee", "polity", "enterprise", "militia"}
        seen = set()
        for p in k["params"]:
            assert {"name", "type", "required", "label", "description"} <= set(p)
            assert p["type"] in TYPES, p
            assert p["name"] not in seen
            seen.add(p["name"])
            if p["type"] in ("choice", "kinds"):
                assert p["choices"] and all(c["value"] and c["label"]
                                            for c in p["choices"]), p
            if "max" in p:
                assert p["min"] <= p["max"], p
    by = {k["name"]: k for k in j["kinds"]}
    assert {n for n, k in by.items() if k["writes_law"]} == \
        {"enact_law", "amend_law", "repeal_law"}
    assert [n for n, k in by.items() if k["amends"]] == ["amendment"]
    # every kind the issue named can be decided from a form: its fields
    # are described
    assert [p["name"] for p in by["change_schedule"]["params"]] == ["schedule"]
    assert by["change_schedule"]["params"][0]["type"] == "schedule"
    assert [p["name"] for p in by["change_rules"]["params"]] == \
        ["rules", "secret_ballot"]
    assert [p["type"] for p in by["create_committee"]["params"]] == \
        ["text", "markdown", "kinds", "members", "time"]
    assert [p["type"] for p in by["revoke_committee"]["params"]] == ["committee"]
    assert [p["name"] for p in by["authorise_remote_vote"]["params"]] == \
        ["motion", "mode", "opens_at", "closes_at"]
    mode = by["authorise_remote_vote"]["params"][1]
    assert [c["value"] for c in mode["choices"]] == ["online", "mail"]
    # a committee may be granted only what its row allows
    granted = {c["value"] for c in by["create_committee"]["params"][2]["choices"]}
    assert granted == {n for n, k in by.items() if "committee" in k["decided_by"]}
    assert not granted & {"enact_law", "change_rules", "create_committee",
                          "amendment", "authorise_remote_vote"}
    assert journal_length(srv) == before


def test_motion_kinds_anonymous_ignores_credentials(srv):
    r = srv.get("/api/v1/motion-kinds", token="not-a-token")
    assert r.status_code == 200, r.text


def test_motion_kinds_unknown_body_is_a_404_naming_body(srv, bodies):
    before, tables = journal_length(srv), state(srv)
    error_of(srv.get("/api/v1/motion-kinds?body=" + unique("none")),
             404, "not_found", "body")
    error_of(srv.get("/api/v1/motion-kinds?body="), 404, "not_found", "body")
    assert journal_length(srv) == before and state(srv) == tables


def test_motion_kinds_for_a_local_and_a_delegate_assembly(srv, bodies):
    everything = {k["name"] for k in kinds(srv)["kinds"]}
    local = kinds(srv, "?body=" + bodies["local"])
    assert local["body"] == {"slug": bodies["local"], "kind": "local"}
    local = {k["name"] for k in local["kinds"]}
    fed = kinds(srv, "?body=" + bodies["delegate"])
    assert fed["body"] == {"slug": bodies["delegate"], "kind": "delegate"}
    fed = {k["name"] for k in fed["kinds"]}
    assert local == everything - DELEGATE_ONLY - ENTERPRISE_ONLY - POLITY_ONLY
    assert fed == everything - LOCAL_ONLY - ENTERPRISE_ONLY - POLITY_ONLY
    assert not fed & {"enact_law", "amend_law", "repeal_law"}


@pytest.mark.parametrize("which", ["local", "delegate"])
def test_motion_kinds_listed_are_exactly_what_submitting_allows(srv, bodies, which):
    """Every kind is submitted (with a text, no params) to the assembly:
    one listed for it is never refused for its kind; one not listed is
    refused for its kind (403, naming "kind"), and that changes nothing."""
    slug, tok = bodies[which], bodies["tok"]
    listed = {k["name"] for k in kinds(srv, "?body=" + slug)["kinds"]}
    for k in kinds(srv)["kinds"]:
        before, tables = journal_length(srv), state(srv)
        r = srv.post(f"/api/v1/bodies/{slug}/motions",
                     {"kind": k["name"], "title": "Try " + k["name"],
                      "text": "A text."}, token=tok)
        if k["name"] in listed:
            assert r.status_code in (201, 400, 404, 409), (k["name"], r.text)
            if r.status_code != 201:
                assert r.json()["error"]["code"] not in ("fed_kind", "fed_no_laws")
        else:
            code = "fed_no_laws" if k["writes_law"] else "fed_kind"
            error_of(r, 403, code, "kind")
            assert journal_length(srv) == before and state(srv) == tables


def test_motion_kinds_params_are_what_the_check_takes(srv, bodies):
    """A key the row does not declare is refused naming "params"; with
    none given, the first required parameter is the one named missing."""
    slug, tok = bodies["local"], bodies["tok"]
    for k in kinds(srv, "?body=" + slug)["kinds"]:
        before, tables = journal_length(srv), state(srv)
        body = {"kind": k["name"], "title": "Try", "text": "A text.",
                "params": {"not_a_parameter": 1}}
        if k["amends"]:
            continue  # needs a motion to amend; amendment takes no params
        error_of(srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok),
                 400, "unknown_field", "params")
        required = [p["name"] for p in k["params"] if p["required"]]
        if required:
            body["params"] = {}
            r = srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok)
            assert r.status_code == 400, (k["name"], r.text)
            assert r.json()["error"]["field"] == "params." + required[0], \
                (k["name"], r.text)
        assert journal_length(srv) == before and state(srv) == tables


TEXTS = {"text", "markdown", "slug", "handle", "office", "federation", "assembly"}
NUMBERS = {"integer", "law", "committee", "motion", "decision", "proposal"}


def test_motion_kinds_bounds_are_the_checks(srv, bodies):
    """The table does not promise what the check refuses: for each kind,
    a value of its first parameter just outside the bounds the table
    states is refused naming that parameter (the first is checked first:
    see the test above), and nothing changes."""
    tok = bodies["tok"]
    tried = 0
    for which in ("local", "delegate"):
        slug = bodies[which]
        for k in kinds(srv, "?body=" + slug)["kinds"]:
            if not k["params"] or k["amends"]:
                continue
            p = k["params"][0]
            outside = []
            if p["type"] in TEXTS:
                if "max" in p:
                    outside.append("a" * (p["max"] + 1))
                if p.get("min", 0) >= 1:
                    outside.append("")
            if p["type"] in NUMBERS:
                if "max" in p and p["max"] < 2 ** 62:
                    outside.append(p["max"] + 1)
                if "min" in p:
                    outside.append(p["min"] - 1)
            for v in outside:
                before, tables = journal_length(srv), state(srv)
                r = srv.post(f"/api/v1/bodies/{slug}/motions",
                             {"kind": k["name"], "title": "Out of bounds",
                              "text": "A text.", "params": {p["name"]: v}},
                             token=tok)
                assert 400 <= r.status_code < 500, (k["name"], v, r.text)
                assert r.json()["error"]["field"] == "params." + p["name"], \
                    (k["name"], repr(v)[:20], r.text)
                assert journal_length(srv) == before and state(srv) == tables
                tried += 1
    assert tried >= 30


def doc_rows():
    """{kind: text of its parameters column} from the tables of kinds in
    docs/meetings.md, docs/federation.md, docs/economy.md and docs/sharing.md
    (rows "| `kind`[, `kind`] |
    parameters | ...")."""
    here = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
    rows = {}
    for name in ("meetings.md", "federation.md", "economy.md", "sharing.md"):
        with open(os.path.join(here, name)) as f:
            for line in f:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if len(cells) < 2 or not re.fullmatch(r"(`[a-z_]+`(, )?)+", cells[0]):
                    continue
                for kind in re.findall(r"`([a-z_]+)`", cells[0]):
                    assert kind not in rows, f"{kind} documented twice"
                    rows[kind] = cells[1]
    return rows


def test_motion_kinds_docs_list_every_kind_and_parameter(srv):
    """The docs' tables of kinds say what the table says: every kind has
    its row, and its row names every parameter the kind takes."""
    rows = doc_rows()
    for k in kinds(srv)["kinds"]:
        assert k["name"] in rows, f"{k['name']} missing from the docs' tables"
        named = set(re.findall(r"`([a-z_]+)`", rows[k["name"]]))
        missing = {p["name"] for p in k["params"]} - named
        assert not missing, f"{k['name']}: docs omit {sorted(missing)}"


# One spec rule a case, for kinds of each domain: (assembly, kind, params,
# status, code, field). The row's spec decides these before the kind's
# own check runs.
SPEC_CASES = [
    # procedure
    ("local", "authorise_remote_vote", {}, 400, "missing_field", "params.motion"),
    ("local", "authorise_remote_vote", {"motion": "1"}, 400, "bad_type",
     "params.motion"),
    ("local", "authorise_remote_vote", {"motion": 0}, 400, "out_of_range",
     "params.motion"),
    ("local", "authorise_remote_vote", {"motion": 1, "mode": "fax"}, 400,
     "bad_input", "params.mode"),
    ("local", "adjourn", {"when": "now"}, 400, "unknown_field", "params"),
    # assembly
    ("local", "declare_meeting", {"starts_at": int(time.time()) + 86400}, 400,
     "missing_field", "params.place"),
    ("local", "declare_meeting", {"starts_at": "tomorrow", "place": "Hall"}, 400,
     "bad_type", "params.starts_at"),
    ("local", "declare_meeting", {"starts_at": 1, "place": "Hall"}, 400,
     "out_of_range", "params.starts_at"),
    ("local", "create_office", {"name": "Scribe", "duties": "Notes.",
                                "salary": 1}, 400, "unknown_field", "params"),
    ("local", "create_committee", {"name": "C", "scope": "S",
                                   "decision_kinds": ["enact_law"]}, 400,
     "bad_input", "params.decision_kinds"),
    ("local", "create_committee", {"name": "C", "scope": "S",
                                   "decision_kinds": ["resolution"],
                                   "members": "everyone"}, 400, "bad_type",
     "params.members"),
    # federation
    ("local", "found_federation", {"slug": "Not A Slug"}, 400, "bad_input",
     "params.slug"),
    ("local", "elect_delegates", {"federation": "x"}, 400, "out_of_range",
     "params.federation"),
    ("delegate", "change_weighting", {}, 400, "missing_field", "params.weighting"),
    ("delegate", "change_weighting", {"weighting": 2}, 400, "bad_type",
     "params.weighting"),
    ("delegate", "change_weighting", {"weighting": "wealth"}, 400, "bad_input",
     "params.weighting"),
    ("local", "answer_proposal", {"proposal": 1, "version": 2 ** 31}, 400,
     "out_of_range", "params.version"),
]


@pytest.mark.parametrize("which,kind,params,status,code,field", SPEC_CASES,
                         ids=[f"{c[1]}-{c[5]}-{c[4]}" for c in SPEC_CASES])
def test_motion_kinds_spec_refusals_change_nothing(srv, bodies, which, kind, params,
                                                  status, code, field):
    """Each rule of the spec (missing, wrong type, out of range, not
    among the values allowed, undeclared key) refuses naming the field,
    and the refusal leaves the journal and the state as they were."""
    before, tables = journal_length(srv), state(srv)
    r = srv.post(f"/api/v1/bodies/{bodies[which]}/motions",
                 {"kind": kind, "title": "By the spec", "text": "A text.",
                  "params": params}, token=bodies["tok"])
    error_of(r, status, code, field)
    assert journal_length(srv) == before and state(srv) == tables
