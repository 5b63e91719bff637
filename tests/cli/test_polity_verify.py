"""pnyx polity verify SLUG [--renewal ID] --server URL: anyone's check of
a polity's renewal from what a server publishes (docs/polities.md, "How
to verify"). The record and result here are made by pnyx commit and pnyx
draw themselves (docs/sortition.md), and served by a small HTTP server in
the shapes of the API (GET /api/v1/polities/{slug}/renewals,
/api/v1/renewals/{id}, .../record, .../result), so that every way a
published renewal can differ is tried: a leaf changed, the record changed,
a seed that is not the text's, a commitment that is not the record's. The
same command against a real pnyx serve is in tests/api/test_lot_draws.py
once the draws exist on the server."""
import http.server
import json
import os
import subprocess
import threading

import pytest

PNYX = os.environ.get("PNYX_BIN", "./pnyx")
SEED_TEXT = "Dice thrown at the public drawing session: 3 1 6 6 2 5 4 4 1 2"


def run(*args):
    return subprocess.run([PNYX, *map(str, args)], capture_output=True, text=True,
                          timeout=60)


class Published:
    """What a server publishes about one polity's renewals."""

    def __init__(self, tmp_path, n=40, seats=5, alternates=5):
        ids = [f"citizen{i:03d}" for i in range(n)]
        pool = tmp_path / "pool.csv"
        pool.write_text("id\n" + "\n".join(ids) + "\n")
        salted, record = tmp_path / "salted.csv", tmp_path / "record.txt"
        out = run("commit", "--pool", pool, "--add-salts", salted, "--record", record)
        assert out.returncode == 0, out.stderr
        self.commitment = out.stdout.strip()
        self.record = record.read_text()
        rows = [l.split(",") for l in salted.read_text().splitlines()[1:]]
        self.salts = {r[0]: r[-1] for r in rows}
        out = run("draw", "--pool", salted, "--seats", seats, "--alternates", alternates,
                  "--seed", SEED_TEXT, "--json")
        assert out.returncode == 0, out.stderr
        full = json.loads(out.stdout)
        self.drawn_ids = full["drawn"]
        # the API's result: ids withheld, leaves stated
        self.result = {"commitment": full["commitment"], "seed": full["seed"],
                       "drawn": [], "alternates": [],
                       "drawn_leaves": full["drawn_leaves"],
                       "alternate_leaves": full["alternate_leaves"]}
        self.result3 = json.loads(json.dumps(self.result))
        self.renewal = {"id": 7, "polity": {"slug": "fishing", "name": "Fishing"},
                        "cohort": 2, "kind": "regular", "status": "drawn",
                        "seats": seats, "alternates": alternates,
                        "commitment": self.commitment, "seed_text": SEED_TEXT,
                        "seed": full["seed"], "pool_size": n}
        self.renewals = [
            {"id": 3, "cohort": 1, "kind": "regular", "status": "drawn",
             "draw_at": 1000, "commit_at": 0, "pool_size": n, "seats": seats},
            {"id": 7, "cohort": 2, "kind": "regular", "status": "drawn",
             "draw_at": 2000, "commit_at": 1000, "pool_size": n, "seats": seats},
            {"id": None, "cohort": 3, "kind": "regular", "status": "scheduled",
             "draw_at": 3000, "commit_at": 2000, "pool_size": None, "seats": seats}]
        self.hits = []

    def answer(self, path):
        self.hits.append(path)
        if path == "/api/v1/polities/fishing/renewals":
            return 200, "application/json", json.dumps({"renewals": self.renewals})
        # renewal 3 publishes the same pool and draw as 7 (enough for --all)
        for rid in ("3", "7"):
            if path == "/api/v1/renewals/" + rid:
                return 200, "application/json", json.dumps(dict(self.renewal, id=int(rid)))
            if path == f"/api/v1/renewals/{rid}/record":
                return 200, "text/plain", self.record
            if path == f"/api/v1/renewals/{rid}/result":
                return 200, "application/json", json.dumps(
                    self.result if rid == "7" else self.result3)
        return 404, "application/json", json.dumps(
            {"error": {"code": "not_found", "message": "no such thing here"}})


def serve(pub):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, ctype, body = pub.answer(self.path)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    pub.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return httpd


@pytest.fixture
def server(tmp_path):
    pub = Published(tmp_path)
    httpd = serve(pub)
    yield pub
    httpd.shutdown()
    httpd.server_close()


def test_a_published_renewal_is_verified(server):
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", server.url)
    assert out.returncode == 0, out.stderr
    assert "renewal 7 of fishing, cohort 2: drawn" in out.stdout
    assert "verified: the 5 drawn and 5 alternates are exactly the draw from the record" \
        in out.stdout
    # without --renewal: the latest drawn one (7, not 3 nor the scheduled one)
    server.hits.clear()
    out = run("polity", "verify", "fishing", "--server", server.url + "/")
    assert out.returncode == 0, out.stderr
    assert "/api/v1/renewals/7/record" in server.hits
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", server.url,
              "--json")
    assert out.returncode == 0, out.stderr
    v = json.loads(out.stdout)
    assert v["verified"] is True and v["mode"] == "record" and v["people"] == 40
    assert v["leaves_checked"] is True and v["ids_checked"] is False


def test_the_same_result_is_verified_by_pnyx_verify_from_files(server, tmp_path):
    """pnyx verify --record reads the API's result (ids empty, leaves
    stated) as polity verify does."""
    (tmp_path / "r.txt").write_text(server.record)
    (tmp_path / "res.json").write_text(json.dumps(server.result))
    out = run("verify", "--record", tmp_path / "r.txt", "--result", tmp_path / "res.json",
              "--seats", 5, "--seed", SEED_TEXT)
    assert out.returncode == 0, out.stderr


def test_a_receipt_is_checked_against_the_published_record(server):
    who = server.drawn_ids[0]
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", server.url,
              "--receipt", who, "--salt", server.salts[who])
    assert out.returncode == 0, out.stderr
    assert f"'{who}' is one of the 40 people committed to" in out.stdout
    other = next(i for i in server.salts if i != who)
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", server.url,
              "--receipt", who, "--salt", server.salts[other])
    assert out.returncode == 1
    assert "not in the record" in out.stderr
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", server.url,
              "--receipt", who, "--salt", "abc")
    assert out.returncode == 2


def flip(hexstr):
    return hexstr[:-1] + ("0" if hexstr[-1] != "0" else "1")


def test_every_difference_is_found_and_named(server):
    args = ["polity", "verify", "fishing", "--renewal", 7, "--server", server.url]
    good = json.loads(json.dumps(server.result))
    # the second drawn leaf is not the one the seed ranks second
    server.result["drawn_leaves"][1] = good["alternate_leaves"][0]
    out = run(*args)
    assert out.returncode == 1 and "drawn 2 is not the leaf the rules give" in out.stderr
    # two alternates swapped
    server.result = json.loads(json.dumps(good))
    a = server.result["alternate_leaves"]
    a[0], a[1] = a[1], a[0]
    out = run(*args)
    assert out.returncode == 1 and "alternate 1" in out.stderr
    # a seed that is not the hash of the text the renewal states
    server.result = json.loads(json.dumps(good))
    server.renewal["seed_text"] = SEED_TEXT + " "
    out = run(*args)
    assert out.returncode == 1 and "the seed from this source is" in out.stderr
    server.renewal["seed_text"] = SEED_TEXT
    # a record changed after its commitment
    rec = server.record
    leaf = next(l for l in rec.splitlines() if len(l) == 64)
    server.record = rec.replace(leaf, flip(leaf))
    out = run(*args)
    assert out.returncode == 1
    assert "do not hash to its commitment" in out.stderr or "canonical" in out.stderr
    server.record = rec
    # a renewal that published another commitment than its record's
    server.renewal["commitment"] = flip(server.commitment)
    out = run(*args)
    assert out.returncode == 1 and "the renewal published" in out.stderr
    server.renewal["commitment"] = server.commitment
    # one seat fewer than drawn
    server.renewal["seats"] = 4
    out = run(*args)
    assert out.returncode == 1 and "--seats is 4" in out.stderr
    server.renewal["seats"] = 5
    assert run(*args).returncode == 0


def test_a_committed_renewal_checks_its_record_only(server):
    server.renewal["status"] = "committed"
    server.renewal["seed_text"] = None
    server.hits.clear()
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", server.url)
    assert out.returncode == 0, out.stderr
    assert "hashes to its commitment" in out.stdout and "nothing is drawn yet" in out.stdout
    assert "/api/v1/renewals/7/result" not in server.hits


def test_unreadable_or_wrong_exits_2(server):
    url = server.url
    cases = [
        (["polity", "verify", "fishing"], "--server"),
        (["polity", "verify", "--server", url], "verify SLUG"),
        (["polity", "verify", "Fish ing", "--server", url], "not a polity's name"),
        (["polity", "verify", "fishing", "--server", "ftp://x"], "http://"),
        (["polity", "verify", "fishing", "--server", url, "--salt", "00"], "--receipt"),
        (["polity", "verify", "fishing", "--renewal", 0, "--server", url], "renewal"),
        (["polity", "verify", "fishing", "--renewal", 9, "--server", url],
         "the server answered 404: no such thing here"),
        (["polity", "verify", "other", "--server", url], "404"),
        (["polity", "verify", "fishing", "--server", "http://127.0.0.1:1"], "connect"),
    ]
    for args, needle in cases:
        out = run(*args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert needle in out.stderr, (args, out.stderr)
    # a renewal of another polity
    server.renewal["polity"]["slug"] = "forests"
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", url)
    assert out.returncode == 2 and "of the polity forests, not fishing" in out.stderr
    server.renewal["polity"]["slug"] = "fishing"
    # nothing committed yet
    server.renewals = [r for r in server.renewals if r["status"] == "scheduled"]
    out = run("polity", "verify", "fishing", "--server", url)
    assert out.returncode == 2 and "no renewal of fishing has been committed" in out.stderr
    # a result that is not JSON
    server.result = "drawn 5"
    out = run("polity", "verify", "fishing", "--renewal", 7, "--server", url)
    assert out.returncode == 2, out.stderr


def test_every_renewal_of_a_polity_at_once(server):
    out = run("polity", "verify", "fishing", "--all", "--server", server.url)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("verified: the 5 drawn") == 2
    assert out.stdout.index("renewal 3 of") < out.stdout.index("renewal 7 of")
    assert "all 2 renewals of fishing verified" in out.stdout
    # one of them differs: named, and the whole check fails
    server.result3["drawn_leaves"][0] = server.result3["alternate_leaves"][4]
    out = run("polity", "verify", "fishing", "--all", "--server", server.url)
    assert out.returncode == 1
    assert "drawn 1 is not the leaf the rules give" in out.stderr
    assert "1 of the 2 renewals of fishing did not verify" in out.stderr
    assert "renewal 7 of fishing" in out.stdout  # the others are still checked
    for extra in (["--renewal", 7], ["--json"], ["--receipt", "x"]):
        out = run("polity", "verify", "fishing", "--all", "--server", server.url, *extra)
        assert out.returncode == 2 and "--all verifies every renewal" in out.stderr


def test_a_pool_smaller_than_the_seats_is_drawn_whole(tmp_path):
    """A renewal of 6 seats from a pool of 3 draws all 3 (the other seats
    wait for a supplementary renewal), with no alternates."""
    pub = Published(tmp_path, n=3, seats=3, alternates=0)
    pub.renewal["seats"] = 6
    httpd = serve(pub)
    try:
        out = run("polity", "verify", "fishing", "--renewal", 7, "--server", pub.url)
        assert out.returncode == 0, out.stderr
        assert "the 3 drawn and 0 alternates are exactly the draw" in out.stdout
        # one leaf left out is still a difference
        pub.result["drawn_leaves"] = pub.result["drawn_leaves"][:2]
        out = run("polity", "verify", "fishing", "--renewal", 7, "--server", pub.url)
        assert out.returncode == 1 and "--seats is 3" in out.stderr, out.stderr
    finally:
        httpd.shutdown()
        httpd.server_close()
