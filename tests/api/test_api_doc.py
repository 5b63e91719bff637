"""docs/api.md stays in step with the route table: every route of
`pnyx routes --json` has a `### \\`METHOD PATH\\`` section with the same
auth level and the same body fields (name, type, required), and every
section names a route that exists."""
import json
import os
import re

from conftest import run

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "api.md")
HEADING = re.compile(r"^### `([A-Z]+) (/\S*)`\s*$")
AUTH = re.compile(r"^Auth: (none|optional|required)\.\s*$")
ROW = re.compile(r"^\| `([a-z_]+)` \| ([a-z]+) \| (yes|no) \|")


def doc_sections():
    """{(method, path): {"auth": ..., "fields": {name: (type, req)}}}"""
    sections = {}
    cur = None
    with open(DOC) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                cur = None
            m = HEADING.match(line)
            if m:
                key = (m.group(1), m.group(2))
                assert key not in sections, f"{key} documented twice"
                cur = sections[key] = {"auth": None, "fields": {}}
                continue
            if cur is None:
                continue
            m = AUTH.match(line)
            if m:
                assert cur["auth"] is None, "two Auth lines"
                cur["auth"] = m.group(1)
            m = ROW.match(line)
            if m:
                cur["fields"][m.group(1)] = (m.group(2), m.group(3) == "yes")
    return sections


def table_routes():
    out = run("routes", "--json", check=0).stdout
    return {(r["method"], r["path"]): r for r in json.loads(out)}


def test_every_route_is_documented():
    doc = doc_sections()
    missing = set(table_routes()) - set(doc)
    assert not missing, f"routes missing from docs/api.md: {sorted(missing)}"


def test_every_documented_route_exists():
    extra = set(doc_sections()) - set(table_routes())
    assert not extra, f"docs/api.md lists routes that do not exist: " \
                      f"{sorted(extra)}"


def test_auth_levels_match():
    doc = doc_sections()
    for key, r in table_routes().items():
        assert doc[key]["auth"] == r["auth"], key


def test_body_fields_match():
    doc = doc_sections()
    for key, r in table_routes().items():
        want = {f["name"]: (f["type"], f["required"]) for f in r["body"]}
        assert doc[key]["fields"] == want, key


def test_text_listing_matches_json():
    text = run("routes", check=0).stdout.splitlines()
    routes = table_routes()
    assert len(text) == len(routes)
    for line in text:
        method, path, auth = line.split()[:3]
        assert routes[(method, path)]["auth"] == auth


def test_routes_help_and_bad_option():
    assert "--json" in run("help", "routes", check=0).stdout
    p = run("routes", "--nonsense")
    assert p.returncode == 2 and "pnyx routes:" in p.stderr
