"""Languages (docs/translating.md): a person's language of the pages, an
assembly's language of its minutes, error messages in the language of
Accept-Language, and Spanish minutes without a word of the English left.

The catalogues read here are the project's own po/pnyx.pot and po/es.po:
the test checks the server's output against the msgids and msgstrs the
build compiled in."""
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time

import pytest

from conftest import PNYX, decide, error_of, run, schedule_now, settled_hash

TOP = os.path.join(os.path.dirname(__file__), "..", "..")


def po_entries(path):
    """[{msgid, plural, msgstr: [forms], refs: [file...], fuzzy}] of a .po
    or .pot file (the subset of the format msgfmt writes and reads here)."""
    entries, cur, key = [], None, None

    def unq(s):
        s = s.strip()[1:-1]
        return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(
            m.group(1), m.group(1)), s)
    for line in open(os.path.join(TOP, path), encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#~"):
            continue
        if line.startswith("#:"):
            if cur is None or "msgid" in cur:
                cur = {"refs": [], "flags": ""}
                entries.append(cur)
            cur["refs"] += [r.rsplit(":", 1)[0] for r in line[2:].split()]
        elif line.startswith("#,"):
            if cur is None or "msgid" in cur:
                cur = {"refs": [], "flags": ""}
                entries.append(cur)
            cur["flags"] += line
        elif line.startswith("msgid_plural "):
            key = "plural"
            cur[key] = unq(line[13:])
        elif line.startswith("msgid "):
            if cur is None or "msgid" in cur:
                cur = {"refs": [], "flags": ""}
                entries.append(cur)
            key = "msgid"
            cur[key] = unq(line[6:])
            cur["msgstr"] = []
        elif line.startswith("msgstr"):
            key = "msgstr"
            cur["msgstr"].append(unq(line.split(" ", 1)[1]))
        elif line.startswith('"') and key:
            if key == "msgstr":
                cur["msgstr"][-1] += unq(line)
            else:
                cur[key] += unq(line)
    return [e for e in entries if e.get("msgid")]


def fragments(text):
    """The runs of words of a message between its values and its Markdown:
    "**Result: %s.** %s\\n\\nRule in force: %s.\\n" gives "Result:" and
    "Rule in force:"; only runs of two words or more, which cannot be a
    name or a number by chance."""
    parts = re.split(r"%(?:\d+\$)?[-#0 +']*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGcspn%]"
                     r"|\{\w+\}|\n|\*\*|#+ |^- |[“”«»()@]", text)
    out = []
    for p in parts:
        p = p.strip(" .,;:")
        if len(re.findall(r"[A-Za-z]+", p)) >= 2:
            out.append(p)
    return out


@pytest.fixture(scope="module")
def es():
    return {e["msgid"]: e for e in po_entries("po/es.po")}


def test_a_person_chooses_the_language_of_the_pages(srv):
    """PUT /me/language keeps the choice (GET /me shows it, null before
    and after clearing it); it is a preference, not a decision: the
    journal does not grow."""
    _, tok = srv.user()
    assert srv.get("/api/v1/me", token=tok).json()["language"] is None
    before = srv.get("/api/v1/health").json()["journal"]["entries"]
    r = srv.request("PUT", "/api/v1/me/language", {"language": "es"}, token=tok)
    assert r.status_code == 200, r.text
    assert r.json() == {"language": "es"}
    assert srv.get("/api/v1/me", token=tok).json()["language"] == "es"
    r = srv.request("PUT", "/api/v1/me/language", {"language": ""}, token=tok)
    assert r.status_code == 200 and r.json() == {"language": None}, r.text
    assert srv.get("/api/v1/me", token=tok).json()["language"] is None
    assert srv.get("/api/v1/health").json()["journal"]["entries"] == before


@pytest.mark.parametrize("body,status,code", [
    ({"language": "xx"}, 400, "bad_input"),
    ({"language": "es-ES"}, 400, "bad_input"),
    ({"language": "ES"}, 400, "bad_input"),
    ({"language": 7}, 400, "bad_type"),
    ({}, 400, "missing_field"),
])
def test_a_language_pnyx_does_not_speak_is_refused_and_changes_nothing(srv, body, status, code):
    _, tok = srv.user()
    assert srv.request("PUT", "/api/v1/me/language", {"language": "es"},
                       token=tok).status_code == 200
    before = settled_hash(srv)
    r = srv.request("PUT", "/api/v1/me/language", body, token=tok)
    error_of(r, status, code, "language")
    assert settled_hash(srv) == before
    assert srv.get("/api/v1/me", token=tok).json()["language"] == "es"


def test_signed_out_nobody_sets_a_language(srv):
    before = settled_hash(srv)
    r = srv.request("PUT", "/api/v1/me/language", {"language": "es"})
    error_of(r, 401, "unauthenticated")
    r = srv.request("PUT", "/api/v1/me/language", {"language": "es"}, token="x" * 43)
    error_of(r, 401, "unauthenticated")
    assert settled_hash(srv) == before


def test_error_messages_follow_accept_language_and_codes_stay(srv, es):
    """The same refusal in Spanish and in English: the code and the field
    are the same, the message is the catalogue's."""
    en = srv.request("PUT", "/api/v1/me/language", {"language": "es"})
    sp = srv.request("PUT", "/api/v1/me/language", {"language": "es"},
                     headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.8"})
    e_en, e_es = error_of(en, 401, "unauthenticated"), error_of(sp, 401, "unauthenticated")
    assert e_en["message"] == "sign in first"
    assert e_es["message"] == es["sign in first"]["msgstr"][0] != e_en["message"]
    # quality values: English preferred over Spanish reads in English
    r = srv.request("PUT", "/api/v1/me/language", {"language": "es"},
                    headers={"Accept-Language": "es;q=0.5, en;q=0.9"})
    assert error_of(r, 401, "unauthenticated")["message"] == "sign in first"
    # a language pnyx does not speak: English
    r = srv.request("PUT", "/api/v1/me/language", {"language": "es"},
                    headers={"Accept-Language": "fr-FR, de"})
    assert error_of(r, 401, "unauthenticated")["message"] == "sign in first"
    # a message of the domain, with the field named, in Spanish
    _, tok = srv.user()
    r = srv.request("PUT", "/api/v1/me/language", {"language": "xx"}, token=tok,
                    headers={"Accept-Language": "es"})
    e = error_of(r, 400, "bad_input", "language")
    assert e["message"] == es["language is a language pnyx speaks, written as"
                              " its code (en, es)"]["msgstr"][0]


def test_an_assembly_founded_in_a_language_it_does_not_speak_is_refused(srv):
    _, tok = srv.user()
    community = srv.add_community()
    before = settled_hash(srv)
    for bad in ("xx", "spanish", "es_ES"):
        error_of(srv.found(tok, community=community, language=bad), 400, "bad_input",
                 "language")
    error_of(srv.found(tok, community=community, language=3), 400, "bad_type", "language")
    assert settled_hash(srv) == before
    r = srv.found(tok, community=community)
    assert r.status_code == 201 and r.json()["language"] == "en", r.text


def spanish_minutes(srv):
    """A meeting of an assembly founded in Spanish, with what the minutes
    tell: an amended law adopted, a resolution rejected, a member checked
    in by the clerk, a member who left; closed. Its minutes (Markdown)."""
    tok = {k: srv.user() for k in "abc"}
    r = srv.found(tok["a"][1], name="Asamblea de Vallecas", language="es",
                  rule={"kind": "simple_majority"}, schedule=schedule_now())
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["language"] == "es"
    slug = body["slug"]
    for k in "bc":
        r = srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                     token=tok[k][1])
        assert r.status_code == 201, r.text
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]["id"]
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["a"][1]).json()["code"]
    for k in "ab":
        assert srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                        token=tok[k][1]).status_code == 201
    # c comes in and leaves the assembly during the meeting
    assert srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                    token=tok["c"][1]).status_code == 201
    r = srv.delete(f"/api/v1/bodies/{slug}/members/me", token=tok["c"][1])
    assert r.status_code in (200, 204), r.text

    def post(who, **b):
        r = srv.post(f"/api/v1/bodies/{slug}/motions", b, token=tok[who][1])
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def vote(mid, position):
        assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                        token=tok["a"][1]).status_code == 200
        for k in "ab":
            assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": position},
                            token=tok[k][1]).status_code == 201
        r = srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["a"][1])
        assert r.status_code == 200, r.text
    law = post("b", kind="enact_law", title="Horas de descanso",
               text="Sin ruido después de las 22:00.")
    amendment = post("a", kind="amendment", title="Más tarde",
                     text="Sin ruido después de las 23:00.", amends=law)
    vote(amendment, "yes")
    vote(law, "yes")
    vote(post("a", kind="resolution", title="Pintar el puente", text="De azul."), "no")
    r = srv.post(f"/api/v1/meetings/{meeting}/close", token=tok["a"][1])
    assert r.status_code == 200, r.text
    md = srv.get(f"/api/v1/meetings/{meeting}/minutes").text
    if os.environ.get("SHOW_MINUTES"):
        print(md)
    return md


def test_the_minutes_of_an_assembly_in_spanish_are_in_spanish(srv, es):
    """Every message the minutes are made of (po/pnyx.pot entries of
    minutes.c, rule.c and the kinds tables the minutes name) is translated
    in po/es.po, and none of the English of those messages is left in the
    minutes of a Spanish assembly; the dates are ICU's Spanish."""
    pot = po_entries("po/pnyx.pot")
    sources = ("src/gov/procedure/minutes.c", "src/core/rule.c")
    used = [e for e in pot if any(r in sources for r in e["refs"])]
    assert len(used) > 40, "the minutes' messages are marked for translation"
    untranslated = [e["msgid"] for e in used
                    if e["msgid"] not in es or not all(es[e["msgid"]]["msgstr"])
                    or "fuzzy" in es[e["msgid"]]["flags"]]
    assert not untranslated, untranslated

    md = spanish_minutes(srv)
    assert md.startswith("# Acta de la reunión ordinaria de Asamblea de Vallecas"), md
    assert "## Asistencia" in md and "## Mociones" in md, md
    assert "**Resultado: aprobada.**" in md and "**Resultado: rechazada.**" in md, md
    assert "dejó la asamblea" in md, md
    assert "«Más tarde»" in md, md
    # ICU's Spanish: a weekday and a month in words, "de" between
    assert re.search(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d+ de "
                     r"(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
                     r"octubre|noviembre|diciembre) de \d{4}", md), md
    # no English left: any run of words of the English messages the
    # minutes are made of (and the kinds' summaries) that its Spanish
    # does not share
    kinds = ("src/gov/assembly/assembly_kinds.c", "src/gov/procedure/procedure_kinds.c",
             "src/gov/procedure/meeting.c")
    checked = [e for e in pot if any(r in sources + kinds for r in e["refs"])]
    leaks = []
    for e in checked:
        tr = es.get(e["msgid"], {}).get("msgstr", [])
        for english in [e["msgid"]] + ([e["plural"]] if "plural" in e else []):
            for f in fragments(english):
                if f in md and not any(f in t for t in tr):
                    leaks.append(f)
    assert not leaks, (leaks, md)
    # and the words English minutes are made of, to catch a string that
    # was never marked for translation
    for word in ("Minutes", "Attendance", "Motions", "present at the close", "Result",
                 "Rule in force", "Proposed by", "arrived", "Original text", "quorum of"):
        assert not re.search(r"\b%s\b" % word, md), (word, md)


def test_the_assemblys_language_is_rebuilt_from_the_journal(srv, tmp_path):
    """body.found journals the language; `pnyx journal verify --state`
    rebuilds it and compares it: a copy whose language was changed behind
    the journal's back no longer verifies."""
    _, tok = srv.user()
    r = srv.found(tok, language="es")
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    srv.settle()
    p = run("journal", "verify", "--state", "--db", srv.db)
    assert p.returncode == 0, p.stdout + p.stderr
    copy = str(tmp_path / "copy.db")
    con = sqlite3.connect(srv.db)
    try:
        con.execute("VACUUM INTO ?", (copy,))
    finally:
        con.close()
    shutil.copy(srv.db + ".key", copy + ".key")
    con = sqlite3.connect(copy)
    with con:
        con.execute("UPDATE bodies SET language = 'en' WHERE slug = ?", (slug,))
    con.close()
    p = run("journal", "verify", "--state", "--db", copy)
    assert p.returncode != 0, p.stdout + p.stderr
    assert "bodies" in p.stdout + p.stderr, p.stdout + p.stderr


NOTICE_SOURCES = ("src/gov/notice/notice.c", "src/gov/notice/notice_mail.c")


def untranslated_of(sources, es):
    """The msgids of po/pnyx.pot marked in sources that po/es.po lacks,
    leaves empty (any form) or marks fuzzy."""
    pot = po_entries("po/pnyx.pot")
    used = [e for e in pot if any(r in sources for r in e["refs"])]
    assert used, sources
    return [e["msgid"] for e in used
            if e["msgid"] not in es or not all(es[e["msgid"]]["msgstr"])
            or "fuzzy" in es[e["msgid"]]["flags"]], used


def english_leaks(text, used, es):
    """The runs of words of the English messages used that are in text and
    that their Spanish does not share."""
    leaks = []
    for e in used:
        tr = es.get(e["msgid"], {}).get("msgstr", [])
        for english in [e["msgid"]] + ([e["plural"]] if "plural" in e else []):
            for f in fragments(english):
                if f in text and not any(f in t for t in tr):
                    leaks.append(f)
    return leaks


def test_notifications_are_written_in_their_readers_language(srv, es):
    """Every kind of notification and the words of the e-mails
    (src/gov/notice) is translated; each person reads theirs in their own
    language: the one they chose, else their assembly's, else English.
    In a Spanish assembly: b (no choice) reads Spanish, c (chose English)
    English; in an English assembly, d (chose Spanish) reads Spanish."""
    missing, used = untranslated_of(NOTICE_SOURCES, es)
    assert not missing, missing
    assert len(used) >= 20, "every notification's words are marked"

    from test_newcomer import town
    from test_notifications import notes, wait_for
    tok = {k: srv.user()[1] for k in "abcd"}
    r = srv.found(tok["a"], name="Asamblea de Gràcia", language="es",
                  rule={"kind": "simple_majority"}, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    for k in "bc":
        assert srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                        token=tok[k]).status_code == 201
    for k, lang in (("c", "en"), ("d", "es")):
        assert srv.request("PUT", "/api/v1/me/language", {"language": lang},
                           token=tok[k]).status_code == 200
    meeting = srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"][0]["id"]
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok["a"]).json()["code"]
    for k in "ab":
        assert srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                        token=tok[k]).status_code == 201
    r = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": "Fuente nueva", "text": "En la plaza."},
                 token=tok["a"])
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    assert srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"},
                    token=tok["a"]).status_code == 200
    for k in "ab":
        assert srv.post(f"/api/v1/motions/{mid}/votes", {"position": "yes"},
                        token=tok[k]).status_code == 201
    assert srv.post(f"/api/v1/motions/{mid}/voting/close", token=tok["a"]).status_code == 200

    def texts(k, n):
        def got():
            xs = [x for x in notes(srv, tok[k])["notifications"]
                  if x["link"] == f"/motion.html?id={mid}"]
            return xs if len(xs) >= n else None
        return {x["what"]: x["text"] for x in wait_for(got)}
    b, c = texts("b", 3), texts("c", 3)
    assert b["motion"] == "Nueva moción en el orden del día de Asamblea de Gràcia: «Fuente nueva»", b
    assert b["vote"] == "Se ha abierto la votación sobre «Fuente nueva» en Asamblea de Gràcia", b
    assert b["result"] == "Asamblea de Gràcia aprobó «Fuente nueva»", b
    assert not english_leaks(" ".join(b.values()), used, es), b
    assert c["motion"] == "New motion on the agenda in Asamblea de Gràcia: \u201cFuente nueva\u201d", c
    assert c["result"] == "Asamblea de Gràcia adopted \u201cFuente nueva\u201d", c

    # an English assembly: d chose Spanish, e did not
    slug2, _, tok2 = town(srv, members=1)
    for k in ("d",):
        assert srv.post(f"/api/v1/bodies/{slug2}/members", {"affirm": True, "basis": "lives"},
                        token=tok[k]).status_code == 201
    _, e = srv.user()
    assert srv.post(f"/api/v1/bodies/{slug2}/members", {"affirm": True, "basis": "lives"},
                    token=e).status_code == 201
    r = srv.post(f"/api/v1/bodies/{slug2}/motions",
                 {"kind": "resolution", "title": "Bench", "text": "By the river."},
                 token=tok2["a"])
    assert r.status_code == 201, r.text
    link = f"/motion.html?id={r.json()['id']}"
    d = wait_for(lambda: [x for x in notes(srv, tok["d"])["notifications"] if x["link"] == link])
    en = wait_for(lambda: [x for x in notes(srv, e)["notifications"] if x["link"] == link])
    assert d[0]["text"] == "Nueva moción en el orden del día de Assembly: «Bench»", d
    assert en[0]["text"] == "New motion on the agenda in Assembly: \u201cBench\u201d", en


def test_every_error_code_has_its_message_in_spanish(srv, es):
    """Every human message of the error registry (src/core/errors.def) is
    translated, and the server says them in Spanish under
    Accept-Language: es (a route that does not exist, a body that is not
    JSON, a method the route does not take), codes and fields unchanged."""
    registry = dict(re.findall(r'^X\((\w+),\s*\d+,\s*"((?:[^"\\]|\\.)*)"\)',
                               open(os.path.join(TOP, "src/core/errors.def"),
                                    encoding="utf-8").read(), re.M))
    assert len(registry) > 60, registry
    missing = [m for m in registry.values() if m not in es or not es[m]["msgstr"][0]
               or "fuzzy" in es[m]["flags"]]
    assert not missing, missing

    def spanish(code):
        return es[registry[code]]["msgstr"][0]
    _, tok = srv.user()
    h = {"Accept-Language": "es"}
    e = error_of(srv.request("GET", "/api/v1/nothing-here", headers=h), 404, "not_found")
    assert e["message"] == spanish("NOT_FOUND") != registry["NOT_FOUND"], e
    e = error_of(srv.request("POST", "/api/v1/bodies", data="{not json", token=tok,
                             headers=h), 400, "bad_json")
    # what follows the colon is the JSON library's own diagnostic
    assert e["message"].startswith(spanish("BAD_JSON") + ": "), e
    e = error_of(srv.request("DELETE", "/api/v1/health", headers=h), 405, "method")
    assert e["message"] == spanish("METHOD"), e


def test_an_assembly_changes_its_language_by_decision_from_the_next_meeting(srv):
    """change_language: refused for a language pnyx does not speak, for the
    one the assembly speaks already, and for a stranger, each changing
    nothing; adopted during a meeting, that meeting keeps its language (its
    minutes, its projector) and the next speaks the new one."""
    from conftest import decide
    from test_newcomer import check_in, town
    from test_notifications import wait_for
    slug, meeting, tok = town(srv, members=1)
    _, stranger = srv.user()

    def submit(token, language):
        return srv.post(f"/api/v1/bodies/{slug}/motions", {
            "kind": "change_language", "title": "Our language", "text": "",
            "params": {"language": language}}, token=token)
    before = settled_hash(srv)
    for bad in ("xx", "ES", "es-ES", "spanish"):
        error_of(submit(tok["a"], bad), 400, "bad_input", "params.language")
    error_of(submit(tok["a"], "en"), 409, "conflict", "params.language")
    error_of(submit(stranger, "es"), 403, "not_member")
    assert settled_hash(srv) == before
    assert srv.get(f"/api/v1/bodies/{slug}").json()["language"] == "en"

    starts = int(time.time()) + 3
    assert decide(srv, slug, tok["a"], "declare_meeting",
                  {"starts_at": starts, "place": "The square"})["status"] == "adopted"
    m = decide(srv, slug, tok["a"], "change_language", {"language": "es"})
    assert m["status"] == "adopted", m
    assert srv.get(f"/api/v1/bodies/{slug}").json()["language"] == "es"
    # the meeting under way keeps English; the next one speaks Spanish
    assert srv.get(f"/api/v1/meetings/{meeting}").json()["language"] == "en"
    extra = next(x for x in srv.get(f"/api/v1/bodies/{slug}/meetings").json()["upcoming"]
                 if x["starts_at"] == starts)
    assert extra["language"] == "es", extra
    assert srv.post(f"/api/v1/meetings/{meeting}/close", token=tok["a"]).status_code == 200
    md = srv.get(f"/api/v1/meetings/{meeting}/minutes").text
    assert md.startswith("# Minutes of the regular meeting"), md
    assert "change the language of the minutes and the projector" in md, md
    # the next meeting: checked in, closed, its minutes in Spanish
    wait_for(lambda: srv.get(f"/api/v1/meetings/{extra['id']}").json()["state"] == "open")
    check_in(srv, extra["id"], tok["a"])
    assert srv.post(f"/api/v1/meetings/{extra['id']}/close",
                    token=tok["a"]).status_code == 200
    md = srv.get(f"/api/v1/meetings/{extra['id']}/minutes").text
    assert md.startswith("# Acta de la reunión extraordinaria"), md
    # the journal says what changed, and from what
    entries = srv.get("/api/v1/journal?limit=1000").json()["entries"]
    effects = [(e["payload"] if isinstance(e["payload"], dict) else json.loads(e["payload"]))
               .get("effect", {}) for e in entries if e["action"] == "motion.decide"]
    assert {"from": "en", "to": "es"} in [x.get("language") for x in effects], effects


def test_refusals_of_polities_enterprises_and_cases_read_in_spanish(srv, es):
    """The rules of service by lot, of the sharing economy and of the harm
    question refuse in the reader's language, with the values of the
    request put back and the code and field unchanged (the messages of
    src/gov/lot, src/gov/economy, src/gov/sharing and src/gov/cases)."""
    _, tok = srv.user()
    h = {"Accept-Language": "es"}

    def spanish(msgid, *values):
        s = es[msgid]["msgstr"][0]
        assert s and s != msgid, msgid
        for v in values:
            s = re.sub(r"%(?:lld|s)", str(v), s, count=1)
        return s
    cases = [
        ("POST", "/api/v1/polities/nowhere/cases",
         {"title": "x", "statement": "y", "absence": "z"}, 404, "not_found", None,
         spanish("no polity '%s'", "nowhere")),
        ("GET", "/api/v1/enterprises/nowhere", None, 404, "not_found", None,
         spanish("no enterprise '%s'", "nowhere")),
        ("POST", "/api/v1/summons/987654/answer", {"answer": "accept"}, 404, "not_found",
         None, spanish("no summons %lld", 987654)),
        ("GET", "/api/v1/cases/987654", None, 404, "not_found", None,
         spanish("no case %lld", 987654)),
        ("GET", "/api/v1/economies/nowhere", None, 404, "not_found", None,
         spanish("no sharing economy '%s'", "nowhere")),
        ("POST", "/api/v1/goods/987654/takes", {"quantity": 1}, 404, "not_found", None,
         spanish("no good %lld in any register", 987654)),
    ]
    for method, path, body, status, code, field, want in cases:
        e = error_of(srv.request(method, path, body, token=tok, headers=h), status, code,
                     field)
        assert e["message"] == want, (path, e)
        en = error_of(srv.request(method, path, body, token=tok), status, code, field)
        assert en["message"] != want, (path, en)
    # a refusal naming its field: consent is explicit
    r = srv.request("POST", "/api/v1/me/consent", {"affirm": False}, token=tok, headers=h)
    e = error_of(r, 400, "not_affirmed", "affirm")
    assert e["message"] == spanish("consent is an explicit act: affirm that you consent to"
                                   " citizenship for a year"), e


def test_an_office_and_a_status_are_said_in_the_readers_words(srv, es):
    """A refusal for want of an office names the office in Spanish (the
    clerk, the facilitator), and one for a motion's status says the status
    in Spanish: each message whole, not an English word put inside a
    Spanish sentence."""
    _, tok = srv.user()
    _, other = srv.user()
    r = srv.found(tok, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    r = srv.post(f"/api/v1/bodies/{slug}/members", {"affirm": True, "basis": "lives"},
                 token=other)
    assert r.status_code == 201, r.text
    m = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": "A motion", "text": "Text."}, token=tok)
    assert m.status_code == 201, m.text
    # the other member, not checked in, sets the order of the agenda: nobody
    # holds the office of facilitator
    r = srv.request("PUT", f"/api/v1/meetings/{m.json()['meeting']}/agenda",
                    {"order": [m.json()["id"]]}, token=other,
                    headers={"Accept-Language": "es"})
    e = error_of(r, 403, "forbidden")
    assert e["message"] == es["nobody holds the office of facilitator: a member checked"
                              " in at the meeting may do this"]["msgstr"][0], e
    assert "clerk" not in e["message"] and "facilitator" not in e["message"], e
    # a motion's status, said whole in Spanish: withdrawn twice
    mid = m.json()["id"]
    r = srv.request("DELETE", f"/api/v1/motions/{mid}", token=tok)
    assert r.status_code in (200, 204), r.text
    r = srv.request("DELETE", f"/api/v1/motions/{mid}", token=tok,
                    headers={"Accept-Language": "es"})
    e = error_of(r, 409, "conflict")
    assert e["message"] == es["the motion was withdrawn"]["msgstr"][0], e


def es_text(es, msgid, *values):
    """msgid's Spanish (which must differ from the English), with values
    written in its %lld and %s in order."""
    s = es[msgid]["msgstr"][0]
    assert s and s != msgid and "fuzzy" not in es[msgid]["flags"], msgid
    for v in values:
        s = re.sub(r"%(?:lld|s)", str(v), s, count=1)
    return s


def entry(meeting, mid):
    """The agenda entry of motion mid (top level or an amendment)."""
    for e in meeting["agenda"]:
        for x in [e] + e.get("amendments", []):
            if x["id"] == mid:
                return x
    raise AssertionError((mid, meeting["agenda"]))


def journal_length(srv):
    return srv.get("/api/v1/health").json()["journal"]["entries"]


ES = {"Accept-Language": "es"}


def test_why_a_vote_cannot_open_is_said_in_the_readers_language(srv, es):
    """An agenda entry's cannot_open_vote is written in the request's
    language from the same reason as its code: not_in_session (the
    meeting has not begun), remote (the assembly sent the vote online);
    the code stays, English without Accept-Language; and the refusal to
    open that vote says the same in Spanish and changes nothing."""
    _, tok = srv.user()
    # not_in_session: a meeting two days from now
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][later.weekday()]
    r = srv.found(tok, schedule={"rrule": f"FREQ=WEEKLY;BYDAY={day};BYHOUR={later.hour};"
                                 f"BYMINUTE={later.minute}", "tz": "UTC", "place": "The hall"})
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    m = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": "Later", "text": "Text."}, token=tok)
    assert m.status_code == 201, m.text
    mid, meeting = m.json()["id"], m.json()["meeting"]
    e = entry(srv.get(f"/api/v1/meetings/{meeting}", token=tok, headers=ES).json(), mid)
    assert e["can_open_vote"] is False and e["cannot_open_vote_code"] == "not_in_session", e
    words = "decisions are taken only while the meeting is in session"
    assert e["cannot_open_vote"] == es_text(es, words), e
    e = entry(srv.get(f"/api/v1/meetings/{meeting}", token=tok).json(), mid)
    assert e["cannot_open_vote_code"] == "not_in_session" and e["cannot_open_vote"] == words

    # remote: the assembly in session sends a motion's vote online
    r = srv.found(tok, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    m = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": "Online", "text": "Text."}, token=tok)
    assert m.status_code == 201, m.text
    mid, meeting = m.json()["id"], m.json()["meeting"]
    now = int(time.time())
    decide(srv, slug, tok, "authorise_remote_vote",
           {"motion": mid, "mode": "online", "opens_at": now + 3600, "closes_at": now + 7200})
    e = entry(srv.get(f"/api/v1/meetings/{meeting}", token=tok, headers=ES).json(), mid)
    words = "the assembly decided to hold this vote online or by mail, in the window it set"
    assert e["cannot_open_vote_code"] == "remote", e
    assert e["cannot_open_vote"] == es_text(es, words), e
    assert entry(srv.get(f"/api/v1/meetings/{meeting}", token=tok).json(),
                 mid)["cannot_open_vote"] == words
    before = settled_hash(srv)
    r = srv.post(f"/api/v1/motions/{mid}/voting", {"mode": "devices"}, token=tok, headers=ES)
    err = error_of(r, 409, "conflict")
    assert err["message"] == es_text(es, words), err
    assert settled_hash(srv) == before


def test_a_vote_on_an_amendment_of_a_closed_motion_cannot_open(start_server, es):
    """amended_closed: an amendment whose motion is no longer open to
    amendment. pnyx's own rules withdraw or void a motion's amendments with
    it, so only an edit of the database outside them (an operator's, made
    here with SQL on a server of its own) leaves one behind; the meeting
    says why in the reader's language, and opening the vote is refused in
    the same words, changing nothing."""
    srv = start_server()
    _, tok = srv.user()
    r = srv.found(tok, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    law = srv.post(f"/api/v1/bodies/{slug}/motions",
                   {"kind": "resolution", "title": "Nets", "text": "Nets are shared."},
                   token=tok).json()
    amd = srv.post(f"/api/v1/bodies/{slug}/motions",
                   {"kind": "amendment", "title": "Nets, lent", "text": "Nets are lent.",
                    "amends": law["id"]}, token=tok)
    assert amd.status_code == 201, amd.text
    amd = amd.json()["id"]
    assert srv.sql("UPDATE motions SET status = 'rejected' WHERE id = ?", law["id"]) == 1
    e = entry(srv.get(f"/api/v1/meetings/{law['meeting']}", token=tok, headers=ES).json(),
              amd)
    words = "the amended motion is no longer open to amendment"
    assert e["cannot_open_vote_code"] == "amended_closed", e
    assert e["cannot_open_vote"] == es_text(es, words), e
    # the chair is checked in: only the amended motion stands in the way
    code = srv.get(f"/api/v1/meetings/{law['meeting']}/code", token=tok).json()["code"]
    assert srv.post(f"/api/v1/meetings/{law['meeting']}/checkins", {"code": code},
                    token=tok).status_code == 201
    before = journal_length(srv)
    r = srv.post(f"/api/v1/motions/{amd}/voting", {"mode": "devices"}, token=tok, headers=ES)
    err = error_of(r, 409, "conflict")
    assert err["message"] == es_text(es, words), err
    assert journal_length(srv) == before
    assert srv.get(f"/api/v1/motions/{amd}").json()["status"] == "submitted"


def test_closing_and_results_are_written_in_the_readers_language(srv, es):
    """Why a meeting cannot close yet (closing.reason), a result's text and
    rule_text (the motion, the vote's close, the meeting's agenda) are
    written in the request's language from their numbers; the journal keeps
    the English the decision was recorded with."""
    _, tok = srv.user()
    r = srv.found(tok, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    m = srv.post(f"/api/v1/bodies/{slug}/motions",
                 {"kind": "resolution", "title": "Paint the bridge", "text": "Blue."},
                 token=tok).json()
    meeting = m["meeting"]
    # nobody checked in: the quorum is not there
    cl = srv.get(f"/api/v1/meetings/{meeting}", token=tok, headers=ES).json()["closing"]
    en = srv.get(f"/api/v1/meetings/{meeting}", token=tok).json()["closing"]
    assert cl["code"] == en["code"] == "meeting_no_quorum", cl
    fmt = ("%lld present and the quorum is %lld: until it lapses the meeting stays open"
           " for members to arrive")
    assert cl["reason"] == es_text(es, fmt, cl["present"], cl["quorum"]), cl
    assert en["reason"] == fmt.replace("%lld", str(en["present"]), 1).replace(
        "%lld", str(en["quorum"]), 1), en
    code = srv.get(f"/api/v1/meetings/{meeting}/code", token=tok).json()["code"]
    assert srv.post(f"/api/v1/meetings/{meeting}/checkins", {"code": code},
                    token=tok).status_code == 201
    # present now, one motion undecided
    cl = srv.get(f"/api/v1/meetings/{meeting}", token=tok, headers=ES).json()["closing"]
    assert cl["code"] == "meeting_undecided", cl
    assert cl["reason"] == es_text(es, "%lld motion(s) on the agenda are undecided: decide"
                                   " them, or adopt a motion to adjourn", 1), cl
    r = srv.post(f"/api/v1/motions/{m['id']}/voting", {"mode": "devices"}, token=tok)
    assert r.status_code == 200, r.text
    cl = srv.get(f"/api/v1/meetings/{meeting}", token=tok, headers=ES).json()["closing"]
    assert cl["reason"] == es_text(es, "close the vote in progress before closing the"
                                   " meeting"), cl
    assert srv.post(f"/api/v1/motions/{m['id']}/votes", {"position": "yes"},
                    token=tok).status_code == 201
    closed = srv.post(f"/api/v1/motions/{m['id']}/voting/close", token=tok, headers=ES)
    assert closed.status_code == 200, closed.text
    result = closed.json()["result"]
    english = srv.get(f"/api/v1/motions/{m['id']}").json()["result"]
    assert english["text"].startswith("adopted"), english
    assert result["outcome"] == english["outcome"] == "adopted"
    assert result["text"] != english["text"] and result["text"].startswith("aprobada"), result
    assert result["rule_text"] != english["rule_text"], result
    assert result["rule_text"].startswith("mayoría simple"), result
    shown = srv.get(f"/api/v1/motions/{m['id']}", headers=ES).json()["result"]
    assert shown["text"] == result["text"] and shown["rule_text"] == result["rule_text"]
    item = entry(srv.get(f"/api/v1/meetings/{meeting}", token=tok, headers=ES).json(),
                 m["id"])
    assert item["result_text"] == result["text"], item
    assert entry(srv.get(f"/api/v1/meetings/{meeting}", token=tok).json(),
                 m["id"])["result_text"] == english["text"]
    # no run of words of the English messages a result is made of
    pot = po_entries("po/pnyx.pot")
    used = [e for e in pot if "src/core/rule.c" in e["refs"]]
    leaks = english_leaks(result["text"] + "\n" + result["rule_text"], used, es)
    assert not leaks, (leaks, result)
    # the journal keeps the decision's English
    srv.settle()
    con = sqlite3.connect(srv.db)
    try:
        rows = [json.loads(p) for (p,) in con.execute(
            "SELECT payload FROM journal WHERE action = 'motion.decide'")]
    finally:
        con.close()
    mine = [p for p in rows if p["motion"] == m["id"]]
    assert mine and mine[0]["text"] == english["text"], mine


def test_a_void_motion_is_said_in_words(srv, es):
    """A motion whose effect could not apply is void; a refusal that names
    its status says so in a whole sentence in the reader's language, not
    with the status's code ("the motion is void")."""
    _, tok = srv.user()
    r = srv.found(tok, schedule=schedule_now())
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]

    def post(**body):
        r = srv.post(f"/api/v1/bodies/{slug}/motions", body, token=tok)
        assert r.status_code == 201, r.text
        return r.json()
    target = post(kind="resolution", title="Online", text="Text.")
    now = int(time.time())
    online = post(kind="authorise_remote_vote", title="Vote it online", text="",
                  params={"motion": target["id"], "mode": "online", "opens_at": now + 3600,
                          "closes_at": now + 7200})
    code = srv.get(f"/api/v1/meetings/{online['meeting']}/code", token=tok).json()["code"]
    assert srv.post(f"/api/v1/meetings/{online['meeting']}/checkins", {"code": code},
                    token=tok).status_code == 201
    assert srv.post(f"/api/v1/motions/{online['id']}/voting", {"mode": "devices"},
                    token=tok).status_code == 200
    assert srv.post(f"/api/v1/motions/{online['id']}/votes", {"position": "yes"},
                    token=tok).status_code == 201
    # the motion it would send online is withdrawn meanwhile: the decision
    # cannot apply
    assert srv.delete(f"/api/v1/motions/{target['id']}", token=tok).status_code in (200, 204)
    r = srv.post(f"/api/v1/motions/{online['id']}/voting/close", token=tok)
    assert r.status_code == 200 and r.json()["status"] == "void", r.text
    before = settled_hash(srv)
    r = srv.delete(f"/api/v1/motions/{online['id']}", token=tok, headers=ES)
    e = error_of(r, 409, "conflict")
    assert e["message"] == es_text(es, "the motion is void: its effect could not apply"), e
    e = error_of(srv.delete(f"/api/v1/motions/{online['id']}", token=tok), 409, "conflict")
    assert e["message"] == "the motion is void: its effect could not apply", e
    assert settled_hash(srv) == before


def test_a_persons_own_commands_read_in_spanish(srv, es):
    """`pnyx me` under LANGUAGE=es: a residence stated, consent given, and
    what it shows, in Spanish (the command line's messages, src/cli)."""
    _, tok = srv.user()
    community = srv.add_community()
    env = dict(os.environ, LANGUAGE="es", LANG="C.UTF-8", LC_ALL="", LC_MESSAGES="")
    env.pop("PNYX_DB", None)

    def me(*args):
        p = subprocess.run([PNYX, "me", *args, "--token", tok, "--db", srv.db],
                           capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, (args, p.stdout, p.stderr)
        return p.stdout
    out = me("residence", community)
    assert out.startswith(es_text(es, "lives in %s (%s)\n", community.title(), community)), out
    assert es_text(es, "resident: no consent given") in out, out
    out = me("consent", "--affirm")
    assert es_text(es, "citizen: consent valid until %s\n", "")[:-1] in out, out
    out = me("summons")
    assert out == "", out
    out = me("show")
    for english in ("lives in", "consent valid until", "citizen:"):
        assert english not in out, (english, out)
    assert "vive en" in out and "ciudadano: consentimiento vigente hasta el" in out, out


@pytest.mark.parametrize("rrule, en, es_words", [
    ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
     "every Tuesday at 19:00", "cada martes a las 19:00"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;BYHOUR=18;BYMINUTE=30",
     "every 2nd week on Monday and Thursday at 18:30",
     "cada 2 semanas, el lunes y jueves a las 18:30"),
    ("FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=13;BYMINUTE=0",
     "last Friday of each month at 13:00", "el último viernes de cada mes a las 13:00"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=9;BYMINUTE=0",
     "the 1st and the 15th of each month at 09:00",
     "los días 1 y 15 de cada mes a las 09:00"),
    ("FREQ=DAILY;INTERVAL=3;BYHOUR=1;BYMINUTE=0",
     "every 3rd day at 01:00", "cada 3 días a la 01:00"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA;BYHOUR=10;BYMINUTE=0",
     "first Saturday of every 2nd month at 10:00",
     "el primer sábado de cada 2 meses a las 10:00"),
    # a rarer rule: quoted, in a Spanish sentence
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=18;BYMINUTE=0",
     "the last of every Monday, Tuesday, Wednesday, Thursday and Friday of each month"
     " at 18:00",
     "según la regla FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=18;BYMINUTE=0;BYSETPOS=-1"),
])
def test_a_schedule_in_words_is_in_the_readers_language(srv, rrule, en, es_words):
    """schedule_text of an assembly in the request's language: a whole
    Spanish sentence with ICU's weekday names, lists and dates; the rule
    itself (schedule.rrule) the same in both. Counts and ends, which a
    regular schedule has not, are in tests/unit/test_rrule.c."""
    _, tok = srv.user()
    r = srv.found(tok, schedule={"rrule": rrule, "tz": "Europe/Madrid", "place": "Hall"})
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    got_en = srv.get(f"/api/v1/bodies/{slug}").json()
    got_es = srv.get(f"/api/v1/bodies/{slug}", headers={"Accept-Language": "es"}).json()
    assert got_en["schedule_text"] == en, got_en["schedule_text"]
    assert got_es["schedule_text"] == es_words, got_es["schedule_text"]
    assert got_es["schedule"] == got_en["schedule"]
