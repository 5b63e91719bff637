"""Every kind of entry the journal can hold has words on the journal page.

The kinds are those gov/replay knows (kinds[] in src/gov/replay/replay.c:
replay refuses an entry of any other kind, so no other can be in a journal
that verifies); the words are JOURNAL_ACTIONS in web/js/text.js. A new
kind of entry without words fails here, as does words for a kind that no
longer exists."""
import os
import re
import sqlite3

from conftest import run

TOP = os.path.join(os.path.dirname(__file__), "..", "..")


def read(path):
    with open(os.path.join(TOP, path), encoding="utf-8") as f:
        return f.read()


def replay_kinds():
    src = read("src/gov/replay/replay.c")
    table = re.search(r"\} kinds\[\] = \{(.*?)\{ NULL", src, re.S)
    assert table, "kinds[] not found in replay.c"
    kinds = re.findall(r'\{ "([a-z_]+\.[a-z_.]+)",', table.group(1))
    assert len(kinds) >= 20, kinds
    return kinds


def words():
    src = read("web/js/text.js")
    table = re.search(r"export const JOURNAL_ACTIONS = \{(.*?)\n\};", src, re.S)
    assert table, "JOURNAL_ACTIONS not found in text.js"
    # each kind's words, marked for translation: t('Words')
    pairs = re.findall(r"'([a-z_]+\.[a-z_.]+)': (?:t\()?'([^']+)'\)?,", table.group(1))
    return dict(pairs)


def test_every_kind_of_entry_has_words():
    w = words()
    missing = [k for k in replay_kinds() if k not in w]
    assert not missing, f"journal kinds without words in web/js/text.js: {missing}"


def test_no_words_for_a_kind_that_does_not_exist():
    stale = sorted(set(words()) - set(replay_kinds()))
    assert not stale, stale


def test_the_words_are_words():
    for kind, text in words().items():
        assert text[0].isupper() and "." not in text and "_" not in text, (kind, text)
    assert len(set(words().values())) == len(words()), "two kinds, the same words"


def test_every_kind_the_demo_journals_is_known(db):
    run("demo", "--db", db, check=0)
    con = sqlite3.connect(db)
    seen = {a for (a,) in con.execute("SELECT DISTINCT action FROM journal")}
    assert seen <= set(replay_kinds()), seen - set(replay_kinds())
    assert seen <= set(words())


def c_words():
    """The words `pnyx journal show` prints (src/cli/cmd_journal.c)."""
    src = read("src/cli/cmd_journal.c")
    acts = re.search(r"\} action_words\[\] = \{(.*?)\n\};", src, re.S)
    lapse = re.search(r"\} lapse_words\[\] = \{(.*?)\n\};", src, re.S)
    assert acts and lapse, "action_words or lapse_words not found in cmd_journal.c"
    # each kind's words, marked for translation: N_("Words")
    return (dict(re.findall(r'\{ "([a-z_.]+)", N_\("([^"]+)"\) \},', acts.group(1))),
            dict(re.findall(r'\{ "([a-z_]+)", N_\("([^"]+)"\) \},', lapse.group(1))))


def lapse_words():
    src = read("web/js/text.js")
    table = re.search(r"export const LAPSE_OUTCOMES = \{(.*?)\n\};", src, re.S)
    assert table, "LAPSE_OUTCOMES not found in text.js"
    # each outcome's words, marked for translation: t('Words')
    return dict(re.findall(r"'([a-z_]+)': (?:t\()?'([^']+)'\)?,", table.group(1)))


def test_the_command_line_says_what_the_page_says():
    acts, lapse = c_words()
    assert acts == words()
    assert lapse == lapse_words()


def test_each_end_of_an_unanswered_summons_has_its_words():
    """A summons that reached its deadline became what the polity's rules
    say (lapse_outcome in src/gov/lot/summons.c): each outcome has words
    of its own, none the same, and none says "unanswered" of an excuse."""
    src = read("src/gov/lot/summons.c")
    fn = re.search(r"static int lapse_outcome\(.*?\n\}", src, re.S).group(0)
    outcomes = set(re.findall(r'\*out = "([a-z_]+)";', fn))
    assert outcomes == {"no_answer", "excused", "deferred"}, outcomes
    w = lapse_words()
    assert set(w) == outcomes, w
    assert len(set(w.values())) == len(w)
    assert "unanswered" not in w["excused"] and "deferred" in w["deferred"], w
    for text in w.values():
        assert text[0].isupper() and "_" not in text, text


def not_applied_tables():
    """The words for a policy not applied, on the page and the command line."""
    js = re.search(r"export const NOT_APPLIED = \{(.*?)\n\};", read("web/js/text.js"), re.S)
    c = re.search(r"\} not_applied_words\[\] = \{(.*?)\n\};", read("src/cli/cmd_journal.c"),
                  re.S)
    assert js and c, "NOT_APPLIED or not_applied_words not found"
    return (dict(re.findall(r"'([a-z_]+)': t\('([^']+)'\),", js.group(1))),
            dict(re.findall(r'\{ "([a-z_]+)", N_\("([^"]+)"\) \},', c.group(1))))


def test_a_policy_not_applied_has_words_for_each_code():
    """Each code not_applied keeps (src/gov/sharing/scarcity_fed.c) has its
    words, the same on the page and the command line."""
    fn = re.search(r"static int not_applied\(.*?\n\}", read("src/gov/sharing/scarcity_fed.c"),
                   re.S).group(0)
    codes = set(re.findall(r'"([a-z_]+)"', fn)) - {"not_applied", "error", "field"}
    js, c = not_applied_tables()
    assert js == c and set(js) == codes, (js, c, codes)
    assert len(set(js.values())) == len(js)
