"""Electing several delegates at once by STV over HTTP (docs/federation.md,
"Delegates"). A local assembly in session now (its schedule names this
minute) with five members founds a delegate assembly and elects two
delegates by ranked ballots cast on devices; the count is kept in the
motion's result and read back by `pnyx motion show`. Every refusal is a
4xx JSON error naming the field, and changes nothing."""
import datetime

import pytest

from conftest import error_of, run, unique

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
RULES = {"default": {"kind": "simple_majority"}}


def schedule_now():
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": "The hall", "floor_motions": True}


@pytest.fixture(scope="module")
def town(srv):
    """Founder a, members b..e, outsider f; everyone but f checked in;
    the town founded the delegate assembly 'transit' (no delegate yet)."""
    people = {k: srv.user() for k in "abcdef"}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    r = srv.found(tok["a"], rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    for k in "bcde":
        r = srv.post(f"/api/v1/bodies/{slug}/members",
                     {"affirm": True, "basis": "lives"}, token=tok[k])
        assert r.status_code == 201, r.text
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    code = srv.get(f"/api/v1/meetings/{meeting['id']}/code", token=tok["a"]).json()["code"]
    for k in "abcde":
        r = srv.post(f"/api/v1/meetings/{meeting['id']}/checkins", {"code": code},
                     token=tok[k])
        assert r.status_code == 201, r.text
    transit = unique("t")
    m = submit(srv, slug, tok["a"], "found_federation", {
        "slug": transit, "name": "Transit", "purpose": "transport",
        "region": "the valley", "statement": "We coordinate as equals.",
        "rule": RULES, "schedule": schedule_now()}).json()
    assert srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    assert srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": "yes"},
                    token=tok["a"]).status_code == 201
    assert srv.post(f"/api/v1/motions/{m['id']}/voting/close",
                    token=tok["a"]).json()["status"] == "adopted"
    return {"slug": slug, "tok": tok, "handle": handle, "transit": transit}


def submit(srv, slug, tok, kind, params, title="A motion", text=""):
    body = {"kind": kind, "title": title, "text": text}
    if params is not None:
        body["params"] = params
    return srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok)


def stv_params(town, *who, seats=2, **extra):
    p = {"federation": town["transit"], "seats": seats,
         "candidates": [town["handle"][k] for k in who],
         "mandate": "Argue for night buses."}
    p.update(extra)
    return p


def test_two_delegates_elected_by_ranked_ballots(srv, town):
    h, tok = town["handle"], town["tok"]
    r = submit(srv, town["slug"], tok["a"], "elect_delegates", stv_params(town, "a", "b", "c"))
    assert r.status_code == 201, r.text
    m = r.json()
    assert m["params"]["method"] == "stv-meek" and m["ranked"] is True
    # a show of hands is refused: nothing changes
    error_of(srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "hands"},
                      token=tok["a"]), 400, "bad_input", "mode")
    assert srv.get(f"/api/v1/motions/{m['id']}").json()["status"] == "submitted"
    r = srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"}, token=tok["a"])
    assert r.status_code == 200, r.text
    # 5 ballots, 2 seats, quota 5/3: a is elected on first preferences
    # and its surplus puts b ahead of c
    ballots = {"a": "ab", "b": "ba", "c": "ca", "d": "ac", "e": "ab"}
    for k, order in ballots.items():
        r = srv.post(f"/api/v1/motions/{m['id']}/votes",
                     {"ranking": [h[x] for x in order]}, token=tok[k])
        assert r.status_code == 201, r.text
    live = srv.get(f"/api/v1/motions/{m['id']}/counts").json()
    assert live["voted"] == 5 and live["ranked"] is True
    r = srv.post(f"/api/v1/motions/{m['id']}/voting/close", token=tok["a"])
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "adopted", done
    count = done["result"]["count"]
    assert set(count["elected"]) == {h["a"], h["b"]}
    assert count["method"] == "stv-meek" and count["seats"] == 2
    assert len(count["rounds"]) >= 1 and count["rounds"][0]["votes"][h["a"]]
    assert done["result"]["ballots"] == 5 and done["result"]["withdrawn"] == []
    assert {v["member"]: v["ranking"] for v in done["votes"]}[h["d"]] == [h["a"], h["c"]]
    fed = srv.get(f"/api/v1/bodies/{town['transit']}/federations").json()
    seats = [d for mem in fed["members"] for d in mem["delegates"]]
    assert {d["handle"] for d in seats} == {h["a"], h["b"]}
    assert all(d["mandate"] == "Argue for night buses." and d["elected_by"] == m["id"]
               for d in seats)
    # the command line shows the count
    out = run("motion", "show", m["id"], "--db", srv.db, check=0).stdout
    assert "count: stv-meek, 2 seats" in out and "elected:" in out
    assert h["a"] in out.split("elected:")[1].splitlines()[0]
    town["elected_motion"] = m["id"]


def test_submission_refusals_name_the_field(srv, town):
    tok = town["tok"]
    before = len(srv.get(f"/api/v1/bodies/{town['slug']}/motions").json()["motions"])
    cases = [
        (stv_params(town, "c", "d", seats=3), 400, "out_of_range", "params.candidates"),
        (stv_params(town, "c", "d", seats=1), 400, "out_of_range", "params.seats"),
        (stv_params(town, "c", "d", seats=51), 400, "out_of_range", "params.seats"),
        (stv_params(town, "c", "f"), 409, "conflict", "params.candidates"),
        (stv_params(town, "c", "c"), 400, "bad_input", "params.candidates"),
        (stv_params(town, "c", "d", delegate=town["handle"]["c"]), 400, "bad_input",
         "params.delegate"),
        (stv_params(town, "c", "d", method="borda"), 400, "bad_input", "params.method"),
        ({"federation": town["transit"], "seats": 2, "mandate": "M"}, 400,
         "missing_field", "params.candidates"),
        ({"federation": town["transit"], "candidates": ["x", "y"], "mandate": "M"}, 400,
         "missing_field", "params.seats"),
        ({"federation": town["transit"], "seats": 2, "candidates": "c d",
          "mandate": "M"}, 400, "bad_type", "params.candidates"),
    ]
    for params, status, code, field in cases:
        error_of(submit(srv, town["slug"], tok["a"], "elect_delegates", params),
                 status, code, field)
    # a candidate who already holds a seat (elected above)
    if "elected_motion" in town:
        error_of(submit(srv, town["slug"], tok["a"], "elect_delegates",
                        stv_params(town, "a", "c", "d")), 409, "conflict",
                 "params.candidates")
    after = len(srv.get(f"/api/v1/bodies/{town['slug']}/motions").json()["motions"])
    assert after == before


def test_ballot_refusals_name_the_field(srv, town):
    h, tok = town["handle"], town["tok"]
    m = submit(srv, town["slug"], tok["a"], "elect_delegates",
               stv_params(town, "c", "d", "e")).json()
    yn = submit(srv, town["slug"], tok["a"], "resolution", None, title="Buses",
                text="More buses.").json()
    for x in (m, yn):
        r = srv.post(f"/api/v1/motions/{x['id']}/voting", {"mode": "devices"},
                     token=tok["a"])
        assert r.status_code == 200, r.text
    url = f"/api/v1/motions/{m['id']}/votes"
    cases = [
        ({"position": "yes"}, 400, "bad_input", "position"),
        ({"position": "yes", "ranking": [h["c"]]}, 400, "bad_input", "ranking"),
        ({}, 400, "missing_field", "position"),
        ({"ranking": h["c"]}, 400, "bad_type", "ranking"),
        ({"ranking": []}, 400, "out_of_range", "ranking"),
        ({"ranking": [h["c"], h["a"]]}, 400, "bad_input", "ranking"),
        ({"ranking": [h["c"], h["c"]]}, 400, "bad_input", "ranking"),
        ({"ranking": [h["c"], 7]}, 400, "bad_type", "ranking"),
    ]
    for body, status, code, field in cases:
        error_of(srv.post(url, body, token=tok["b"]), status, code, field)
    error_of(srv.post(f"/api/v1/motions/{yn['id']}/votes", {"ranking": [h["c"]]},
                      token=tok["b"]), 400, "bad_input", "ranking")
    error_of(srv.post(url, {"ranking": [h["c"]]}, token=tok["f"]), 403, "not_member")
    error_of(srv.post(url, {"ranking": [h["c"]]}), 401, "unauthenticated")
    # nothing was recorded
    counts = f"/api/v1/motions/{m['id']}/counts"
    assert srv.get(counts).json()["voted"] == 0
    assert srv.get(f"/api/v1/motions/{m['id']}").json()["votes"] == []
    # a ballot is final
    assert srv.post(url, {"ranking": [h["d"], h["c"]]}, token=tok["b"]).status_code == 201
    error_of(srv.post(url, {"ranking": [h["c"]]}, token=tok["b"]), 409, "already_voted")
    assert srv.get(counts).json()["voted"] == 1
    # fewer ballots than seats: rejected, nobody seated
    r = srv.post(f"/api/v1/motions/{m['id']}/voting/close", token=tok["a"])
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
    assert "1 ballot(s) for 2 seats" in r.json()["result"]["text"]
