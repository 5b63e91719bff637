"""The build checks the translations of the main path (docs/translating.md):
`make po-check` (run by every build before the catalogues are embedded)
fails under CI=true, and warns otherwise, when a po/LANG.po lacks a
translation of a string of the main path: missing, empty or fuzzy. Run on
a copy of the sources, so the repository's own files are never touched;
only the check runs (xgettext and msgcmp), nothing is compiled. Also: the
command line speaks the language of LANGUAGE, and the JSON catalogue the
pages read holds what po/es.po holds."""
import json
import os
import re
import shutil
import subprocess

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PNYX = os.environ.get("PNYX_BIN") or os.path.join(TOP, "pnyx")

needs_gettext = pytest.mark.skipif(shutil.which("msgcmp") is None,
                                   reason="gettext (scripts/deps) is not installed")


def copy(tmp_path):
    d = tmp_path / "src-copy"
    d.mkdir()
    for name in ("Makefile", "po", "src", "web", "tools"):
        src = os.path.join(TOP, name)
        if os.path.isdir(src):
            shutil.copytree(src, d / name)
        else:
            shutil.copy(src, d / name)
    return d


def po_check(d, ci=True):
    env = dict(os.environ)
    # neither CI from the environment (a CI runner sets it) nor the
    # variables of a make this suite runs under (make CI=true test passes
    # CI=true on to every make below it through MAKEFLAGS)
    for k in ("CI", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"):
        env.pop(k, None)
    args = ["make", "--no-print-directory", "-C", str(d), "po-check"]
    if ci:
        args.append("CI=true")
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def entry_span(text, msgid):
    """(start, end) of the entry of msgid in a .po file's text."""
    i = text.index('\nmsgid "%s"\n' % msgid)
    start = text.rindex("\n\n", 0, i) + 2
    end = text.index("\n\n", i)
    return start, end


@needs_gettext
def test_the_main_path_is_complete_in_every_language(tmp_path):
    p = po_check(copy(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr


@needs_gettext
@pytest.mark.parametrize("how", ["empty", "fuzzy", "missing"])
def test_a_missing_translation_of_the_main_path_fails_the_build(tmp_path, how):
    """"Attendance" (the minutes) and "Open votes" (the home page): taken
    out of po/es.po one way or another, the check fails under CI=true and
    names the file, and a developer's build only warns."""
    d = copy(tmp_path)
    po = d / "po" / "es.po"
    text = po.read_text(encoding="utf-8")
    for msgid in ("Attendance", "Open votes"):
        start, end = entry_span(text, msgid)
        entry = text[start:end]
        if how == "empty":
            entry = re.sub(r'\nmsgstr ".*"$', '\nmsgstr ""', entry)
        elif how == "fuzzy":
            entry = "#, fuzzy\n" + entry
        else:
            entry = ""
        text = text[:start] + entry + text[end:]
    po.write_text(text, encoding="utf-8")
    p = po_check(d)
    assert p.returncode != 0, p.stdout + p.stderr
    assert "po/es.po lacks translations of the main path" in p.stdout + p.stderr
    p = po_check(d, ci=False)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "warning: untranslated strings on the main path" in p.stdout + p.stderr


def run(*args, lang=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "PNYX_DB")}
    env.update(lang or {})
    return subprocess.run([PNYX, *args], capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.parametrize("env", [{"LANGUAGE": "es"}, {"LANG": "es_ES.UTF-8"},
                                 {"LC_ALL": "es_AR.UTF-8"},
                                 {"LANGUAGE": "fr:es", "LANG": "fr_FR.UTF-8"}])
def test_the_command_line_speaks_the_language_of_the_environment(env):
    p = run("--help", lang=env)
    assert p.returncode == 0
    assert p.stdout.startswith("uso: pnyx ORDEN"), p.stdout
    assert "serve        servir la API JSON y la interfaz del navegador" in p.stdout
    p = run("serve", "--no-such-option", lang=env)
    assert p.returncode == 2
    assert p.stderr == "pnyx serve: opción desconocida '--no-such-option'" \
                       " (véase pnyx help serve)\n", p.stderr


def test_english_by_default_and_for_a_language_pnyx_does_not_speak(tmp_path):
    for env in ({}, {"LANG": "fr_FR.UTF-8"}, {"LANGUAGE": "es", "LC_ALL": "C"}):
        p = run("--help", lang=env)
        assert p.stdout.startswith("usage: pnyx COMMAND"), (env, p.stdout)
    db = str(tmp_path / "x.db")
    p = run("init", "--db", db, lang={"LANGUAGE": "es"})
    assert p.returncode == 0, p.stderr
    assert re.match(r"creada .*x\.db \(esquema \d+\)\nclave pública del nodo: [0-9a-f]{64}\n$",
                    p.stdout), p.stdout


def test_the_pages_catalogue_is_the_po_file(tmp_path):
    """/i18n/es.json, built from po/es.po, holds its translations (the
    build embeds it; here it is read from the build tree of PNYX_BIN)."""
    build = os.path.dirname(os.path.realpath(PNYX))
    path = os.path.join(build, "gen", "web", "i18n", "es.json")
    if not os.path.exists(path):
        pytest.skip("no build tree beside " + PNYX)
    cat = json.load(open(path, encoding="utf-8"))
    assert cat["Open votes"] == "Votaciones abiertas"
    assert cat["{n} member"] == ["{n} miembro", "{n} miembros"]
    # of the header, only the plural rule the pages choose forms by
    # (web/js/plural.js): never the translator's name or dates
    assert cat[""] == {"nplurals": 2, "plural": "(n != 1)"}
