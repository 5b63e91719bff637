"""The command line in Spanish (docs/translating.md): with LANGUAGE=es,
the help of every command on the main path, the progress and results of
the commands an operator runs (init, community, journal, backup, restore)
and their refusals read in Spanish. Two checks, each able to fail on its
own: no run of words of an English message of the command line that its
Spanish does not share (the catalogue's msgids, po/pnyx.pot), and no
English-only word (a list) once the command names, options and data are
set aside. The same commands in English are checked to say what the
English messages say, so that a check cannot pass by printing nothing."""
import gettext
import json
import os
import re

import pytest

from conftest import PNYX, run

TOP = os.path.join(os.path.dirname(__file__), "..", "..")
ES = {"LANGUAGE": "es", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
EN = {"LANGUAGE": "", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

# Words of English that Spanish never uses as words.
ENGLISH = re.compile(r"\b(the|is|of|and|not|was|has|must|cannot|needs|takes|entries|"
                     r"entry|usage|with|from|which|when|nothing|changed|every|"
                     r"lost|intact|signed|added|replayed)\b", re.I)


def pending():
    """The command files whose usage is not translated yet (the Makefile's
    I18N_CLI_PENDING): their help is not checked here."""
    mk = open(os.path.join(TOP, "Makefile"), encoding="utf-8").read()
    m = re.search(r"^I18N_CLI_PENDING\s*:=((?:.*\\\n)*.*)$", mk, re.M)
    assert m, "I18N_CLI_PENDING in the Makefile"
    names = set()
    for path in re.findall(r"src/cli/\w+\.c", m.group(1)):
        src = open(os.path.join(TOP, path), encoding="utf-8").read()
        names |= set(re.findall(r"const char cmd_(\w+)_usage\[\]", src))
    return names


def commands():
    out = run("help", env=EN, check=0).stdout
    names = re.findall(r"^  ([a-z]+)  ", out, re.M)
    assert len(names) > 20, out
    return names


def pot_messages(leave_out=()):
    """The English msgids (and plurals) marked in src/cli, src/store and
    the error registry (less those only the files leave_out mark)."""
    msgs, cur, refs = [], None, []
    for line in open(os.path.join(TOP, "po", "pnyx.pot"), encoding="utf-8"):
        if line.startswith("#:"):
            refs += line[2:].split()
        elif line.startswith(("msgid ", "msgid_plural ")):
            cur = json.loads(line.split(" ", 1)[1])
            msgs.append([cur, refs])
            refs = []
        elif line.startswith('"') and msgs and cur is not None:
            msgs[-1][0] += json.loads(line)
        elif line.startswith("msgstr"):
            cur = None
    keep = ("src/cli/", "src/store/", "src/core/errors.def")
    return [m for m, r in msgs if m and any(x.startswith(keep) and
                                            not x.startswith(leave_out) for x in r)]


def within(run_, text):
    """Whether the run of words is in text as words (not inside a longer
    word: "s hex" is not in "dígitos hexadecimales")."""
    return re.search(r"(?<!\w)" + re.escape(run_) + r"(?!\w)", text) is not None


def catalogue():
    """The Spanish catalogue the binary embeds (the build's gen/mo/es, made
    by msgfmt from po/es.po): msgid -> msgstr, or the list of plural forms.
    Not the pages' gen/web/i18n/es.json, which holds only what the pages
    show."""
    build = os.path.dirname(os.path.realpath(PNYX))
    path = os.path.join(build, "gen", "mo", "es")
    if not os.path.exists(path):
        pytest.skip("no build tree beside " + PNYX)
    with open(path, "rb") as f:
        raw = gettext.GNUTranslations(f)._catalog
    cat = {}
    for key, value in raw.items():
        if isinstance(key, tuple):
            cat.setdefault(key[0], []).append(value)
        else:
            cat[key] = value
    return cat


def runs(text):
    """Runs of two words or more of a message, between its values."""
    parts = re.split(r"%(?:\d+\$)?[-#0 +']*\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXsc%]"
                     r"|\n|[()'\"«»:;]", text)
    out = []
    for p in parts:
        p = p.strip(" .,")
        if len(re.findall(r"[A-Za-z]+", p)) >= 2 and not re.search(r"--|pnyx|[A-Z]{3}|/|\.md", p):
            out.append(p)
    return out


def prose(text):
    """text without what is not words of a language: the command and its
    options, metavariables, file names, hashes and the data typed."""
    # a subcommand named by an English word of ENGLISH, as the help names
    # it: "pnyx economy takes @HANDLE", "takes: what a person took"
    text = re.sub(r"pnyx [a-z]+ takes\b|\btakes(?=:)", " ", text)
    text = re.sub(r"pnyx(?: [a-z]+)?", " ", text)
    text = re.sub(r"--[a-z][a-z-]*|\$[A-Z_]+|[A-Z][A-Z0-9_.-]{1,}|\b[0-9a-f]{16,}\b", " ", text)
    text = re.sub(r"\S+\.(db|md|json|csv)\b|'[^']*'|\b(vall|Vallecas|nope|bogus|x)\b", " ",
                  text)
    # the words of command lines: subcommands and the kinds they name
    return re.sub(r"\b(list|show|add|verify|replay|diff|export|minutes|calendar|kinds|status|"
                  r"delegations|withdraw|motion|proposal|none|optional|required|"
                  r"submitted|voting|adopted|rejected|no_quorum|withdrawn|form_militia|"
                  r"dissolve_militia|decide_standing|[a-z]+_[a-z_]+)\b", " ", text)


def scenario(tmp_path, env):
    """The operator's commands and their refusals: [(what, output)]."""
    db, copy, into = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "r.db"
    for p in (db, copy, into):
        for suffix in ("", ".key"):
            if os.path.exists(str(p) + suffix):
                os.remove(str(p) + suffix)
    out = []

    def do(*args, check):
        p = run(*args, env=env, check=check)
        out.append((" ".join(map(str, args)), p.stdout + p.stderr))
    do("init", "--db", db, check=0)
    do("community", "add", "vall", "--name", "Vallecas", "--population", 12000, "--db", db,
       check=0)
    do("community", "list", "--db", db, check=0)
    do("journal", "verify", "--state", "--db", db, check=0)
    do("backup", "--db", db, copy, check=0)
    do("restore", "--db", db, "--dry-run", copy, check=0)
    do("journal", "replay", "--into", into, "--db", db, check=0)
    # refusals
    do("meeting", "show", "x", "--db", db, check=2)
    do("journal", "replay", "--db", db, check=2)
    do("backup", "--db", db, check=2)
    do("community", "bogus", "--db", db, check=2)
    do("law", "list", "nope", "--db", db, check=2)
    do("motion", "list", "nope", "--db", db, check=2)
    do("restore", "--db", db, check=2)
    do("bogus", check=2)
    do("meeting", "--bogus", check=2)
    do("init", "--db", db, check=2)
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    t = tmp_path_factory.mktemp("cli")
    es = scenario(t, ES)
    en = scenario(t, EN)
    for name in commands():
        if name in pending():
            continue
        es.append(("help " + name, run("help", name, env=ES, check=0).stdout))
        en.append(("help " + name, run("help", name, env=EN, check=0).stdout))
    return es, en


def test_the_english_is_what_the_checks_look_for(both):
    """In English the same output holds English words and runs of the
    catalogue's messages: the checks below would see them."""
    _, en = both
    msgs = pot_messages()
    for what, text in en:
        if what.startswith("help "):
            assert ENGLISH.search(prose(text)), (what, text)
    hits = [what for what, text in en if any(within(r, text) for m in msgs for r in runs(m))]
    assert len(hits) >= len(en) * 3 // 4, (len(hits), len(en), set(w for w, _ in en) - set(hits))


def test_the_command_line_reads_in_spanish(both):
    es, _ = both
    cat = catalogue()
    leaks = []
    for m in pot_messages():
        tr = cat.get(m)
        tr = tr if isinstance(tr, list) else [tr] if tr else []
        for r in runs(m):
            for what, text in es:
                if within(r, text) and not any(r in t for t in tr):
                    leaks.append((what, r))
    assert not leaks, leaks
    words = [(what, ENGLISH.findall(prose(text)), text) for what, text in es
             if ENGLISH.search(prose(text))]
    assert not words, words
    # and it is Spanish: a few of its words
    joined = "\n".join(text for _, text in es)
    for word in ("uso:", "diario intacto", "no se cambió nada", "copiada",
                 "una reunión se nombra por su número", "no hay ninguna asamblea"):
        assert word in joined, word


def test_numbers_are_written_as_the_language_writes_them(both):
    """The population of `community list`, by ICU: 12.000 in Spanish,
    12,000 in English."""
    es, en = both
    lists = [text for what, text in es if what.startswith("community list")]
    assert re.search(r"Vallecas\s+12\.000\b", lists[0]), lists
    lists = [text for what, text in en if what.startswith("community list")]
    assert re.search(r"Vallecas\s+12,000\b", lists[0]), lists


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """The printed results of the commands people run most (meeting,
    motion, law, case, outbox, federation, proposal, enterprise, polity,
    militia, standing, region, economy, comment), over the demo, in Spanish and in English:
    [(what, es, en)]. The demo's texts are data in English; the messages
    the assemblies' rules write (a result, a refusal to close) are the
    server's, not the command line's. Each with its --json: what a
    command prints as its data says (a name, a title), it quotes."""
    db = tmp_path_factory.mktemp("results") / "demo.db"
    run("init", "--db", db, env=EN, check=0)
    run("demo", "--db", db, env=EN, check=0)
    meetings = json.loads(run("meeting", "list", "harbour", "--json", "--db", db, env=EN,
                              check=0).stdout)
    live = [m for m in meetings["upcoming"] if m["state"] == "open"][0]["id"]
    laws = json.loads(run("law", "list", "harbour", "--json", "--db", db, env=EN,
                          check=0).stdout)
    out = []
    for args in (("meeting", "list", "harbour"), ("meeting", "show", live),
                 ("motion", "list", "harbour"), ("motion", "show", 1),
                 ("motion", "kinds", "harbour"), ("law", "show", "harbour", laws[0]["number"]),
                 ("case", "list", "coast-fishing"), ("outbox",), ("peers",),
                 # (the delegate assembly before the member: the checks
                 # below read "federation show" as the member's)
                 ("federation", "show", "coast-transport"),
                 ("federation", "show", "harbour"), ("proposal", "status", 1),
                 ("proposal", "list", "harbour"),
                 ("enterprise", "list"), ("enterprise", "show", "harbour-bakery"),
                 ("polity", "list"), ("polity", "show", "coast-fishing"),
                 ("militia", "list"), ("militia", "show", "harbour-flood-watch"),
                 ("standing",), ("standing", "harbour-bakery"),
                 ("standing", "--assembly", "harbour"), ("region", "list"),
                 ("region", "show", "east-coast"), ("economy",),
                 ("comment", "list", "motion", 1), ("law", "list", "harbour"),
                 ("journal", "show", "--limit", 3)):
        es = run(*args, "--db", db, env=ES, check=0).stdout
        en = run(*args, "--db", db, env=EN, check=0).stdout
        data = run(*args, "--json", "--db", db, env=EN, check=0).stdout
        out.append((" ".join(map(str, args)), es, en, data))
    return out


def test_no_code_of_a_kind_of_motion_is_shown(results):
    """meeting show and motion list/show name each kind of motion in words
    (its label in the kinds table), in either language: no code such as
    change_language or "law" alone (in English, the codes of two words)."""
    seen = set()
    for what, es, en, data in results:
        if what.split()[0] not in ("meeting", "motion") or what.startswith("motion kinds"):
            continue
        codes = set(re.findall(r'"kind": "([a-z_]+)"', data)) - {"regular", "extra"}
        seen |= codes
        # an English label may hold a one-word code ("A resolution ...")
        for text, shown in ((es, codes), (en, {c for c in codes if "_" in c})):
            for code in shown:
                assert not re.search(r"(?<![\w-])" + code + r"(?![\w-])", text), (what, code,
                                                                                  text)
    assert {"amendment", "decide_standing"} <= seen, seen


def test_columns_are_padded_by_what_the_reader_sees(results):
    """A column after an accented header (SITUACIÓN, REGIÓN) starts where
    the data's does: printf pads by bytes, the command line by display
    width (cli_pad)."""
    text = {what: es for what, es, en, data in results}
    for what, header, col in (("standing", "REVISIÓN", 58), ("polity list", "PUESTOS", 69),
                              ("enterprise list", "MIEMBROS", 69)):
        lines = text[what].splitlines()
        assert lines[0].index(header) == col, lines[0]
        for line in lines[1:]:
            if line.strip():
                # the column before ends in a space at the same place
                assert line[col - 1] == " " and line[col] != " " or \
                    line[:col].rstrip() != line[:col], (what, line)
        assert len(lines) > 1, lines


def test_the_results_of_the_commands_read_in_spanish(results):
    """No run of words of a message of the command line is left in English
    in the results, and their labels are Spanish where the English has
    English ones (so that the check cannot pass on empty output). The demo's
    own words (its names and texts, src/cli/cmd_demo.c) are its data here,
    and a run of two words ("in good") is as likely a piece of data; so is
    a run in what the command gives as data (its --json)."""
    cat = catalogue()
    leaks = []
    for m in pot_messages(leave_out=("src/cli/cmd_demo.c",)):
        tr = cat.get(m)
        tr = tr if isinstance(tr, list) else [tr] if tr else []
        for r in (r for r in runs(m) if len(r.split()) >= 3):
            for what, es, en, data in results:
                if within(r, es) and not any(r in t for t in tr) and r not in data:
                    leaks.append((what, r))
    assert not leaks, leaks
    text = {what.split()[0] + " " + (what.split() + [""])[1]: (es, en)
            for what, es, en, _ in results}
    for what, es_word, en_word in (("meeting list", "próximas:", "coming:"),
                                   ("meeting show", "orden del día:", "agenda:"),
                                   ("meeting show", "presentes:", "present:"),
                                   ("motion show", "propuesta por:", "proposed by:"),
                                   ("motion kinds", "Una resolución", "A resolution"),
                                   ("motion kinds", "(opcional)", "(optional)"),
                                   ("law show", "-- versión 1 (", "-- version 1 ("),
                                   ("case list", "función pública:", "civil service:"),
                                   ("outbox ", "INTENTOS", "ATTEMPTS"),
                                   ("peers ", "ÚLTIMO ÉXITO", "LAST SUCCESS"),
                                   ("federation show", "es miembro de", "is a member of"),
                                   ("proposal status", "personas aceptaron: no cumplida",
                                    "people accepted: not met"),
                                   ("proposal status", "1 asamblea local por debajo",
                                    "1 local assembly beneath"),
                                   ("proposal list", "ofrecida", "offered"),
                                   ("proposal status", "(asamblea de delegados,",
                                    "(delegate assembly,"),
                                   ("enterprise list", "COMUNIDAD", "COMMUNITY"),
                                   ("enterprise show", "finalidad:", "purpose:"),
                                   ("enterprise show", "sujeta a las leyes de",
                                    "bound by the laws of"),
                                   ("enterprise show", "condiciones de membresía: aún no",
                                    "conditions of membership: none set yet"),
                                   ("polity list", "CIUDADANOS", "CITIZENS"),
                                   ("polity show", "cohorte 1: 25 puestos",
                                    "cohort 1: 25 seats"),
                                   ("polity show", "residentes ", "residents "),
                                   ("militia list", "FORMADA POR", "FORMED BY"),
                                   ("militia show", "voluntarios (3, cada uno",
                                    "volunteers (3, each"),
                                   ("militia show", "por su decisión", "by its decision"),
                                   ("standing ", "SITUACIÓN", "STANDING"),
                                   ("standing harbour-bakery", "aún sin decidir",
                                    "not decided yet"),
                                   ("standing --assembly", "en el orden del día: decisión",
                                    "on the agenda: decision"),
                                   ("region list", "POBLACIÓN", "POPULATION"),
                                   ("region show", "en 2 comunidades", "in 2 communities"),
                                   # numbers as the language writes them (ICU)
                                   ("region show", "población 25.230",
                                    "population 25,230"),
                                   ("region list", " 25.230\n", " 25,230\n"),
                                   ("polity show", "población 25.230",
                                    "population 25,230"),
                                   # the demo's economy (Saltmarsh's)
                                   ("economy ", "3 bienes ofrecidos", "3 goods offered"),
                                   ("comment list", "aún no hay comentarios",
                                    "no comments yet"),
                                   # kinds of motion in words, not their codes
                                   ("motion list", "Aprobar una ley nueva", "Enact a new law"),
                                   ("motion show", "Aprobar una ley nueva", "Enact a new law"),
                                   ("meeting show", "Una resolución (una decisión sin otro",
                                    "A resolution (a decision with no other")):
        es, en = text[what]
        assert es_word in es and es_word not in en, (what, es_word, es)
        assert en_word in en and en_word not in es, (what, en_word, en)


def test_codes_dates_and_words_left_in_english_are_gone(results):
    """What the command line printed as recorded, in English whatever the
    language: a law's status code (in_force), a federation's weighting and
    its members' kinds and states, the words of a journal entry, and dates
    in ISO form (a journal entry's time, a cohort's term). Now each in the
    reader's words, and a meeting's time in its assembly's time zone (the
    demo's Harbour keeps Europe/Lisbon), saying which."""
    text = {what: (es, en) for what, es, en, _ in results}
    es, en = text["law list harbour"]
    assert "en vigor" in es and "in force" in en, (es, en)
    assert "in_force" not in es + en
    es, en = text["federation show coast-transport"]
    assert "un voto por asamblea" in es and "one vote per assembly" in en, (es, en)
    assert "(asamblea local, activa)" in es and "(local assembly, active)" in en, (es, en)
    assert "weighting by assembly" not in en and "18.400 personas" in es
    es, en = text["journal show --limit 3"]
    assert "Comunidad añadida" in es and "Community added" in en, (es, en)
    for t in (es, en):
        assert not re.search(r"\d{4}-\d\d-\d\dT", t), t
        assert " UTC " in t, t
    es, en = text["meeting list harbour"]
    for t in (es, en):
        assert "Europe/Lisbon" in t and "UTC" not in t, t
    assert re.search(r"\b\d+ dic 2026, 19:00 Europe/Lisbon", es), es
    assert re.search(r"\b\d+ Dec 2026, 19:00 Europe/Lisbon", en), en
    es, en = text["polity show coast-fishing"]
    for t in (es, en):
        assert not re.search(r"\d{4}-\d\d-\d\d", t), t
    assert re.search(r"el mandato acaba el \d+ \w+ \d{4}", es), es
