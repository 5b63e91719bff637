"""Two routes for the browser interface: the room code as a QR code
(GET /api/v1/meetings/{id}/code.svg, for the projector) and counting a
ballot file without storing anything (POST /api/v1/tally, for the tally
page). The ballot files here are small ones written for these tests."""
import datetime
import json
import re
import subprocess

import pytest

from conftest import PNYX, error_of

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# Three candidates, two seats, 9 ballots: Ann has 4 first preferences,
# over the Droop quota of 4 (9 / 3 + 1 = 4), and her surplus is none.
BLT = """3 2
4 1 2 0
3 2 3 0
2 3 1 0
0
"Ann"
"Bob"
"Cy"
"Test election"
"""

SOI = """# NUMBER ALTERNATIVES: 3
# ALTERNATIVE NAME 1: Red
# ALTERNATIVE NAME 2: Green
# ALTERNATIVE NAME 3: Blue
3: 1,2,3
2: 2,3
1: 3
"""


def schedule_now():
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"rrule": "FREQ=WEEKLY;BYDAY=%s;BYHOUR=%d;BYMINUTE=%d"
            % (DAYS[now.weekday()], now.hour, now.minute),
            "tz": "UTC", "place": "The hall"}


@pytest.fixture(scope="module")
def room(srv):
    a, b = srv.user(), srv.user()
    r = srv.found(a[1], rule={"kind": "simple_majority"}, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]
    assert meeting["state"] == "open", meeting
    return {"slug": slug, "a": a[1], "outsider": b[1], "meeting": meeting["id"]}


def test_code_svg_encodes_the_meeting_page_with_the_code(srv, room):
    m = room["meeting"]
    code = srv.get(f"/api/v1/meetings/{m}/code", token=room["a"]).json()["code"]
    r = srv.get(f"/api/v1/meetings/{m}/code.svg", token=room["a"])
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "image/svg+xml"
    assert r.headers["Cache-Control"] == "no-store"
    svg = r.text
    assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    assert f"<title>Room code {code}</title>" in svg
    # The URL http://127.0.0.1:PORT/meeting.html?id=M&code=NNNNNN is 50-60
    # bytes: QR version 4 or 5 at level M, 33 or 37 modules + 8 quiet.
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert size in (41, 45), size
    assert "<script" not in svg


def test_code_svg_has_the_permission_of_code(srv, room):
    m = room["meeting"]
    error_of(srv.get(f"/api/v1/meetings/{m}/code.svg"), 401, "unauthenticated")
    error_of(srv.get(f"/api/v1/meetings/{m}/code.svg", token=room["outsider"]),
             403, "not_member")
    error_of(srv.get("/api/v1/meetings/999999/code.svg", token=room["a"]),
             404, "not_found")
    # A meeting that is not open has no code.
    later = srv.get(f"/api/v1/bodies/{room['slug']}/meetings").json()["upcoming"][1]
    error_of(srv.get(f"/api/v1/meetings/{later['id']}/code.svg", token=room["a"]),
             409, "not_open")


def cli_tally(tmp_path, name, text, *args):
    p = tmp_path / name
    p.write_text(text)
    out = subprocess.run([PNYX, "tally", "--json", *args, str(p)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_tally_blt_stv_matches_the_command_line(srv, tmp_path):
    r = srv.post("/api/v1/tally", {"method": "stv-scottish", "ballots": BLT,
                                   "format": "blt"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got == cli_tally(tmp_path, "e.blt", BLT, "--method", "stv-scottish")
    assert got["seats"] == 2 and len(got["elected"]) == 2
    assert got["rounds"] and "votes" in got["rounds"][0]


def test_tally_guesses_format_from_name_and_takes_seats(srv, tmp_path):
    r = srv.post("/api/v1/tally", {"method": "plurality", "ballots": SOI,
                                   "name": "colours.soi"})
    assert r.status_code == 200, r.text
    assert r.json() == cli_tally(tmp_path, "c.soi", SOI, "--method", "plurality")
    assert r.json()["elected"] == ["Red"]
    r = srv.post("/api/v1/tally", {"method": "stv-wigm", "ballots": SOI,
                                   "format": "soi", "seats": 2})
    assert r.status_code == 200, r.text
    assert r.json()["seats"] == 2


def test_tally_bad_file_names_its_line(srv):
    bad = BLT.replace("2 3 1 0", "2 3 x 0")
    e = error_of(srv.post("/api/v1/tally", {"method": "stv-scottish",
                                            "ballots": bad, "format": "blt"}),
                 400, "ballot_syntax", "ballots")
    assert e["message"].startswith("line 4: "), e


def test_tally_refusals(srv):
    e = error_of(srv.post("/api/v1/tally", {"method": "coin-toss", "ballots": BLT}),
                 400, "bad_input", "method")
    assert "schulze" in e["message"]
    error_of(srv.post("/api/v1/tally", {"method": "debian", "ballots": "V: 12\n",
                                        "format": "debian", "seats": 2}),
             400, "out_of_range", "seats")
    error_of(srv.post("/api/v1/tally", {"method": "plurality", "ballots": "1 2 3\n"}),
             400, "bad_input", "format")
    error_of(srv.post("/api/v1/tally", {"method": "plurality", "ballots": SOI,
                                        "format": "xls"}), 400, "bad_input", "format")
    error_of(srv.post("/api/v1/tally", {"method": "plurality"}),
             400, "missing_field", "ballots")
    error_of(srv.post("/api/v1/tally", {"method": "plurality", "ballots": SOI,
                                        "format": "soi", "store": True}),
             400, "unknown_field", "store")
