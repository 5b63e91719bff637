"""The limits docs/meetings.md states, as the server enforces them (issue
20): an online vote's window lasts at least an hour (and at most 90 days,
opening within a year); a committee's end lies in the future (at most ten
years ahead). Each refusal names its field and changes nothing."""
import datetime
import time

import pytest

from conftest import error_of

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def schedule_now():
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": "The hall", "floor_motions": True}


@pytest.fixture(scope="module")
def town(srv):
    handle, tok = srv.user()
    r = srv.found(tok, community=srv.add_community(),
                  rule={"default": {"kind": "simple_majority"}}, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    r = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": "Held online", "text": "Text."}, token=tok)
    assert r.status_code == 201, r.text
    return {"slug": slug, "tok": tok, "handle": handle, "motion": r.json()["id"]}


def journal_head(srv):
    return srv.get("/api/v1/journal/verify").json()["head_seq"]


def refused(srv, town, kind, params, field, words):
    before = journal_head(srv)
    motions = srv.get(f"/api/v1/bodies/{town['slug']}/motions").json()["motions"]
    r = srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                 {"kind": kind, "title": "A motion", "text": "Text.", "params": params},
                 token=town["tok"])
    e = error_of(r, 400, "out_of_range", field)
    assert words in e["message"], e
    assert journal_head(srv) == before
    assert srv.get(f"/api/v1/bodies/{town['slug']}/motions").json()["motions"] == motions
    return e


@pytest.mark.parametrize("length,ok", [(3599, False), (3600, True),
                                       (90 * 86400, True), (90 * 86400 + 1, False)])
def test_an_online_vote_lasts_at_least_an_hour_and_at_most_90_days(srv, town, length, ok):
    opens = int(time.time()) + 600
    params = {"motion": town["motion"], "mode": "online", "opens_at": opens,
              "closes_at": opens + length}
    if ok:
        r = srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                     {"kind": "authorise_remote_vote", "title": "Online", "text": "",
                      "params": params}, token=town["tok"])
        assert r.status_code == 201, r.text
    else:
        refused(srv, town, "authorise_remote_vote", params, "params.closes_at",
                "at least an hour and at most 90 days after it opens")


@pytest.mark.parametrize("offset,ok", [(-60, False), (0, False), (3600, True),
                                       (11 * 366 * 86400, False)])
def test_a_committee_ends_in_the_future(srv, town, offset, ok):
    params = {"name": "Works", "scope": "The quay.", "decision_kinds": ["resolution"],
              "members": [town["handle"]], "ends_at": int(time.time()) + offset}
    if ok:
        r = srv.post(f"/api/v1/bodies/{town['slug']}/motions",
                     {"kind": "create_committee", "title": "Works", "text": "",
                      "params": params}, token=town["tok"])
        assert r.status_code == 201, r.text
    else:
        refused(srv, town, "create_committee", params, "params.ends_at",
                "must lie in the future, at most ten years ahead")
