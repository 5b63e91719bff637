"""The reports of the technical commands in Spanish (docs/translating.md):
`pnyx commit`, `pnyx verify` (a draw, a receipt, a tampered result),
`pnyx tally` (a real count: the Dáil election of 2002 in Dublin
North, 4 seats, 43,942 ballots, PrefLib's Irish dataset 00001 as
/work/shared/data/elections/README.md cites it) and `pnyx rule check|evaluate` under LANGUAGE=es.
Each fails on a run of words of an English message of the command line
left in the Spanish output, and checks that the English reads as it
always did, so that a check cannot pass on empty output."""
import json
import os
import re

from conftest import run
from test_cli_spanish import ES, EN, catalogue, pot_messages, runs, within

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"
DUBLIN = os.path.join(SHARED, "data", "elections", "dublin_north_2002.soi")
EIGHT = ["ada", "bo", "cy", "di", "ed", "flo", "gus", "hal"]
TWO_THIRDS = ('{"kind": "supermajority", "fraction": "2/3", "base": "cast",'
              ' "quorum": {"count": 5}}')


def leaks(text, data=""):
    """Runs of three words or more of the command line's English messages
    found in text and not in their Spanish (nor in the data shown)."""
    cat = catalogue()
    out = []
    for m in pot_messages(leave_out=("src/cli/cmd_demo.c",)):
        tr = cat.get(m)
        tr = tr if isinstance(tr, list) else [tr] if tr else []
        for r in (r for r in runs(m) if len(r.split()) >= 3):
            if within(r, text) and not any(r in t for t in tr) and r not in data:
                out.append(r)
    return out


def both(*args, check=0):
    es = run(*args, env=ES, check=check).stdout
    en = run(*args, env=EN, check=check).stdout
    return es, en


def pool(tmp_path):
    path = tmp_path / "pool.csv"
    path.write_text("id,name\n" + "".join(f"{i},Name {i}\n" for i in EIGHT))
    return str(path)


def test_commit_and_verify_report_in_spanish(tmp_path):
    p = pool(tmp_path)
    args = ["--pool", p, "--seats", "3", "--seed", "lottery 2026-11-27: 4 17 23"]
    (tmp_path / "r.json").write_text(run("draw", *args, "--alternates", "2", "--json",
                                         env=EN, check=0).stdout)
    es, en = both("verify", *args, "--result", str(tmp_path / "r.json"))
    assert es.startswith("verificado: los 3 sorteados y 2 suplentes son exactamente"
                         " el sorteo"), es
    assert en.startswith("verified: the 3 drawn and 2 alternates are exactly the draw"), en
    assert not leaks(es), leaks(es)
    # the commitment is a hash, the same in every language
    es, en = both("commit", "--pool", p)
    assert es == en and re.fullmatch(r"[0-9a-f]{64}\n", es), es


def test_verify_round_of_a_receipt_reads_in_spanish(tmp_path):
    p = pool(tmp_path)
    salted = tmp_path / "salted.csv"
    record = tmp_path / "record.txt"
    run("commit", "--pool", p, "--add-salts", str(salted), "--record", str(record),
        env=EN, check=0)
    es, en = both("verify", "--record", str(record), "--receipt", "cy", "--salt",
                  re.search(r"^cy,.*,([0-9a-f]+)$", salted.read_text(), re.M).group(1))
    assert es.startswith("verificado: «cy» es una de las 8 personas comprometidas"), es
    assert en.startswith("verified: 'cy' is one of the 8 people committed to"), en
    assert not leaks(es), leaks(es)


def test_tally_reports_in_spanish_with_numbers_by_icu():
    es, en = both("tally", "--method", "stv-scottish", "--seats", "4", DUBLIN)
    for word in ("Método:", "Puestos:", "Papeletas: 43.942", "Elegidos:",
                 "Clasificación:", "Semilla:", "Etapas:", "intransferibles", "cuota"):
        assert word in es, (word, es[:600])
    # the quota's decimals by ICU too, every place the count keeps
    assert "Cuota:     8789,00000" in es, es[:600]
    for word in ("Method:", "Seats:   4", "Ballots: 43,942", "Elected:", "Ranking:",
                 "Quota:   8,789.00000", "Seed:    pnyx-tally (0 lots drawn)", "Stages:",
                 "non-transferable"):
        assert word in en, (word, en[:600])
    # the stages in the reader's words, from the codes the count keeps
    # beside its English record (the JSON's "label" is as it was)
    assert "  2. etapa 2: eliminación de David Henry Walshe C.C. Csp" in es, es
    assert "  8. etapa 8: excedente de Trevor Sargent G.P." in es, es
    assert "  2. stage 2: exclusion of David Henry Walshe C.C. Csp" in en, en
    data = run("tally", "--method", "stv-scottish", "--seats", "4", "--json", DUBLIN,
               env=ES, check=0).stdout
    rounds = json.loads(data)["rounds"]
    assert rounds[1]["label"] == "stage 2: exclusion of David Henry Walshe C.C. Csp"
    assert rounds[1]["code"] == "stv_exclusion"
    assert rounds[1]["args"] == ["2", "David Henry Walshe C.C. Csp"]
    assert rounds[7]["code"] == "stv_surplus" and rounds[0]["code"] == "stv_first"
    assert not leaks(es), leaks(es)
    assert "stage" not in es and "exclusion of" not in es
    # every column of the stage table starts where its header does
    table = es[es.index("\n\n", es.index("Etapas:")) + 2:].splitlines()
    width = len(table[0])
    for line in table[1:]:
        if line.startswith(("Traspasos", " ")) or not line:
            break
        assert len(line.split("  ")[0]) <= width, line


def test_a_counts_notes_read_in_spanish():
    """The notes of a count (a tie broken by lot, candidates deemed
    elected; the Debian constitution's majority test) in the reader's
    words, their JSON kept in English with each note's code and values.
    Files: stv-rs's test ballots (Apache-2.0) and Debian's 2010 GR
    (its official tally sheet), as /work/shared/data/elections/README.md
    cites them."""
    ties = os.path.join(SHARED, "data", "elections", "blt", "stv-rs",
                        "ties_tie_break_implicit.blt")
    args = ("tally", "--method", "stv-wigm", "--seed", "dice 3 1 4", ties)
    es, en = both(*args)
    assert ("eliminación: empate entre Banana, Cherry deshecho por sorteo"
            " (semilla «dice 3 1 4», extracción 1): Cherry") in es, es
    assert ("exclusion: tie between Banana, Cherry broken by lot"
            " (seed \"dice 3 1 4\", draw 1): Cherry") in en, en
    assert "1 candidato que sigue en el recuento para 1 vacante: se le da por elegido" in es
    assert "1 continuing candidate for 1 vacancy: deemed elected (D.3)" in en
    assert not leaks(es), leaks(es)
    r = json.loads(run(*args, "--json", env=ES, check=0).stdout)
    assert r["notes"][0].startswith("exclusion: tie between Banana, Cherry broken by lot")
    assert [n["code"] for n in r["note_codes"]] == ["tie_lot", "deemed_elected"]
    assert r["note_codes"][0]["args"] == ["exclusion", "Banana, Cherry", "dice 3 1 4", "1",
                                          "Cherry"]
    gr = os.path.join(SHARED, "data", "elections", "debian", "debian_2010_002_gr.tally.txt")
    es, en = both("tally", "--method", "debian", "--majority", "1:30", gr)
    assert "no vence a la opción por defecto por 30:1 (285 a 14)" in es, es
    assert "does not defeat the default option by 30:1 (285 to 14)" in en, en
    assert "opción por defecto:" in es and "default option:" in en
    assert not leaks(es), leaks(es)


def test_a_difference_is_named_in_spanish_and_its_json_in_english(tmp_path):
    """verify names what differs in the reader's language on stderr; its
    --json keeps the English message for programs, beside its code."""
    p = pool(tmp_path)
    args = ["--pool", p, "--seats", "3", "--seed", "lottery 2026-11-27: 4 17 23"]
    r = json.loads(run("draw", *args, "--json", env=EN, check=0).stdout)
    r["drawn"][0], r["drawn"][1] = r["drawn"][1], r["drawn"][0]
    (tmp_path / "r.json").write_text(json.dumps(r))
    es = run("verify", *args, "--result", str(tmp_path / "r.json"), env=ES, check=1)
    assert ("el sorteado 1 es «%s» en el resultado, pero «%s» según las reglas"
            % (r["drawn"][0], r["drawn"][1])) in es.stderr, es.stderr
    assert not leaks(es.stderr), leaks(es.stderr)
    en = run("verify", *args, "--result", str(tmp_path / "r.json"), env=EN, check=1)
    assert "drawn 1 is '%s' in the result but '%s' by the rules" % (
        r["drawn"][0], r["drawn"][1]) in en.stderr, en.stderr
    j = json.loads(run("verify", *args, "--result", str(tmp_path / "r.json"), "--json",
                       env=ES, check=1).stdout)
    assert j["failure"]["check"] == "drawn"
    assert j["failure"]["message"].startswith("drawn 1 is '"), j
    # the pool's commitment, named for what it is
    r = json.loads(run("draw", *args, "--json", env=EN, check=0).stdout)
    r["commitment"] = "0" * 64
    (tmp_path / "c.json").write_text(json.dumps(r))
    es = run("verify", *args, "--result", str(tmp_path / "c.json"), env=ES, check=1)
    assert "el compromiso del censo es " in es.stderr, es.stderr


def test_select_reports_in_spanish():
    """pnyx select's report: its words and its probabilities (ICU's
    decimals) in the reader's language; --json unchanged. The pool is the
    Sortition Foundation's example_small_20 (/work/shared/data/sortition)."""
    d = os.path.join(SHARED, "data", "sortition", "example_small_20")
    args = ("select", "--categories", os.path.join(d, "categories.csv"), "--respondents",
            os.path.join(d, "respondents.csv"), "--panel-size", "20", "--seed", "dice:4,4")
    es, en = both(*args)
    for word in ("algoritmo leximin", "personas ", "tamaño del panel 20", "probabilidad mínima 0,",
                 "lotería de ", "semilla ", "elegido: el panel ", "cuotas: todas cumplidas",
                 "probabilidades de "):
        assert word in es, (word, es[:800])
    for word in ("algorithm leximin", "panel size 20", "lowest probability 0.",
                 "quotas: all met", "probabilities of "):
        assert word in en, (word, en[:800])
    assert not leaks(es), leaks(es)
    assert not re.search(r"\b0\.\d{9}\b", es) and re.search(r"\b0,\d{9}\b", es)
    # the rounding's name in words, its code in the JSON
    assert re.search(r"^redondeo (óptimo|heurístico|mejorado), ", es, re.M), es[:800]


def test_restore_lists_what_it_would_lose_in_spanish(tmp_path):
    db, copy = tmp_path / "a.db", tmp_path / "b.db"
    run("init", "--db", db, env=EN, check=0)
    run("backup", "--db", db, copy, env=EN, check=0)
    run("community", "add", "vall", "--name", "Vallecas", "--population", 12000, "--db", db,
        env=EN, check=0)
    es, en = both("restore", "--db", db, "--dry-run", copy)
    line = [l for l in es.splitlines() if l.startswith("  #")]
    assert len(line) == 1 and "community.add  por operator" in line[0], es
    # the time by ICU, in UTC and saying so
    assert re.search(r"  #\d+  \d+ \w+ \d{4}, \d+:\d\d UTC  ", line[0]), line
    assert re.search(r"  #\d+  \d+ \w+ \d{4}, \d+:\d\d UTC  community.add  by operator", en), en
    assert not leaks(es), leaks(es)


def test_rule_reports_in_spanish():
    es, en = both("rule", "check", TWO_THIRDS)
    assert es.startswith("regla: "), es
    assert en == ("rule: at least two thirds of votes cast in favour, "
                  "with a quorum of 5 members\n"), en
    assert not leaks(es), leaks(es)
    es, en = both("rule", "evaluate", TWO_THIRDS, "--members", "30", "--present", "20",
                  "--yes", "14", "--no", "6")
    assert "regla: " in es and "rule: " in en, (es, en)
    assert not leaks(es), leaks(es)
