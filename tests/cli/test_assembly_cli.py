"""The command line's view of an assembly at work, on the demo (whose
Harbour Assembly has held two meetings and is meeting now): meetings, minutes, motions, the
law register with a diff, and the calendar feed, read back by an iCalendar
parser that is not ours (python3-icalendar, Debian)."""
import json

import icalendar

from conftest import run


def demo(db):
    run("demo", "--db", db, check=0)
    return db


def test_meetings_minutes_and_calendar(db):
    demo(db)
    out = json.loads(run("meeting", "list", "harbour", "--json", "--db", db, check=0).stdout)
    past = [m for m in out["past"] if m["state"] == "closed"]
    assert len(past) == 2
    # the demo's extra meeting is in session now (tests/cli/test_demo.py);
    # every other upcoming meeting is still ahead
    assert [m["state"] for m in out["upcoming"]][:1] == ["open"]
    assert all(m["state"] == "scheduled" for m in out["upcoming"][1:])
    first = min(past, key=lambda m: m["starts_at"])
    shown = json.loads(run("meeting", "show", first["id"], "--json", "--db", db, check=0).stdout)
    assert [p["handle"] for p in shown["present"]] == ["amara", "bruno", "chen", "dolores", "emeka"]
    assert [m["status"] for m in shown["agenda"]] == ["adopted"] * 3
    md = run("meeting", "minutes", first["id"], "--db", db, check=0).stdout
    assert "## Attendance" in md and "Quiet hours" in md and "amendment" in md
    html = run("meeting", "minutes", first["id"], "--html", "--db", db, check=0).stdout
    assert html.startswith("<h1>") and "<script" not in html

    ics = run("meeting", "calendar", "harbour", "--db", db, check=0).stdout
    cal = icalendar.Calendar.from_ical(ics)
    events = list(cal.walk("VEVENT"))
    assert len(events) >= 50  # weekly, a year ahead
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts[0].timestamp() == first["starts_at"]
    assert all(str(e["LOCATION"]) == "Fishermen's Hall, 4 Quay Street" for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    # (CRLF line ends and folding are checked by the writer's unit tests:
    # text-mode pipes here turn CRLF into LF)


def test_motions_and_laws(db):
    demo(db)
    adopted = json.loads(run("motion", "list", "harbour", "--status", "adopted", "--json",
                             "--db", db, check=0).stdout)
    assert {m["kind"] for m in adopted} >= {"enact_law", "amend_law", "amendment",
                                            "create_office", "elect_holder"}
    quiet = next(m for m in adopted if m["title"] == "Quiet hours")
    shown = json.loads(run("motion", "show", quiet["id"], "--json", "--db", db, check=0).stdout)
    assert shown["result"]["outcome"] == "adopted"
    assert shown["rule"]["kind"] == "simple_majority"
    assert "23:00" in shown["text"]  # the adopted amendment's text
    laws = json.loads(run("law", "list", "harbour", "--json", "--db", db, check=0).stdout)
    assert [(l["number"], l["version"]) for l in laws] == [(1, 1), (2, 2)]
    law = json.loads(run("law", "show", "harbour", "2", "--json", "--db", db, check=0).stdout)
    assert [v["change"] for v in law["versions"]] == ["enact", "amend"]
    diff = json.loads(run("law", "diff", "harbour", "2", "--json", "--db", db, check=0).stdout)
    assert (diff["added"], diff["deleted"]) == (2, 1)
    text = run("law", "diff", "harbour", "2", "--db", db, check=0).stdout
    assert "+ - Anyone may borrow a tool for up to three weeks." in text
    export = run("law", "export", "harbour", "--db", db, check=0).stdout
    assert export.startswith("# Laws of Harbour Assembly") and "## Law 2:" in export


def test_refusals_exit_2_and_change_nothing(db):
    demo(db)
    before = run("journal", "verify", "--json", "--db", db, check=0).stdout
    for args, needle in [
        (["meeting", "show", "x"], "number"),
        (["meeting", "show", "999999"], "no meeting"),
        (["meeting", "list", "atlantis"], "no body"),
        (["meeting", "minutes", "4"], "closed"),
        (["motion", "list", "harbour", "--status", "pending"], "status"),
        (["motion", "show", "0"], "number"),
        (["law", "show", "harbour", "9"], "no law 9"),
        (["law", "diff", "harbour", "1", "--from", "1"], "from"),
        (["law", "diff", "harbour", "2", "--to", "7"], "versions 1 to 2"),
        (["law", "frob", "harbour"], "say"),
    ]:
        p = run(*args, "--db", db)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert needle in p.stderr, (args, p.stderr)
    assert json.loads(run("journal", "verify", "--json", "--db", db, check=0).stdout) == \
        json.loads(before)


def test_motion_kinds(db):
    """`pnyx motion kinds [SLUG]`: the table of kinds, as the API serves it;
    with a local assembly, without the delegate assemblies' own kinds."""
    demo(db)
    every = json.loads(run("motion", "kinds", "--json", "--db", db, check=0).stdout)
    names = [k["name"] for k in every["kinds"]]
    assert len(names) == len(set(names)) >= 28
    harbour = json.loads(run("motion", "kinds", "harbour", "--json", "--db", db,
                             check=0).stdout)
    assert harbour["body"] == {"slug": "harbour", "kind": "local"}
    local = {k["name"] for k in harbour["kinds"]}
    assert "enact_law" in local and "change_schedule" in local
    assert not local & {"adopt_proposal", "new_proposal_version", "suspend_member",
                        "restore_member", "change_weighting"}
    text = run("motion", "kinds", "harbour", "--db", db, check=0).stdout
    assert "create_committee" in text and "decision_kinds" in text
    for args, needle in [(["motion", "kinds", "atlantis"], "no assembly 'atlantis'"),
                         (["motion", "kinds", "harbour", "x"], "unexpected")]:
        p = run(*args, "--db", db)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert needle in p.stderr and not p.stdout, (args, p.stderr)
