"""The reports of the technical commands in Spanish (docs/translating.md):
`pnyx commit`, `pnyx verify` (a draw, a receipt, a tampered result),
`pnyx tally` (a real count: the Dáil election of 2002 in Dublin
North, 4 seats, 43,942 ballots, PrefLib's Irish dataset 00001 as
/work/shared/data/elections/README.md cites it) and `pnyx rule check|evaluate` under LANGUAGE=es.
Each fails on a run of words of an English message of the command line
left in the Spanish output, and checks that the English reads as it
always did, so that a check cannot pass on empty output."""
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
    for word in ("Method:", "Seats:   4", "Ballots: 43,942", "Elected:", "Ranking:",
                 "Quota:   8789.00000", "Seed:    pnyx-tally (0 lots drawn)", "Stages:",
                 "non-transferable"):
        assert word in en, (word, en[:600])
    # the stages' labels are the count's record (its JSON's "label"), quoted
    data = run("tally", "--method", "stv-scottish", "--seats", "4", "--json", DUBLIN,
               env=EN, check=0).stdout
    assert not leaks(es, data), leaks(es, data)
    # every column of the stage table starts where its header does
    table = es[es.index("\n\n", es.index("Etapas:")) + 2:].splitlines()
    width = len(table[0])
    for line in table[1:]:
        if line.startswith(("Traspasos", " ")) or not line:
            break
        assert len(line.split("  ")[0]) <= width, line


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
