"""Command-line tests of `pnyx rule check|evaluate`: decision rules tried
without a database (docs/rules.md). Each case is one subprocess; all are
quick, so both variants run them all."""
import json

import pytest

from conftest import run

TWO_THIRDS = json.dumps({"kind": "supermajority", "fraction": "2/3",
                         "base": "cast", "quorum": {"count": 5}})
RULE_SET = json.dumps({
    "default": {"kind": "simple_majority", "quorum": {"fraction": "1/4"}},
    "by_kind": {"change_rules": {"kind": "supermajority", "fraction": "2/3",
                                 "base": "cast",
                                 "quorum": {"fraction": "1/3"}}}})


def test_check_describes_a_rule():
    p = run("rule", "check", TWO_THIRDS, check=0)
    assert p.stdout == ("rule: at least two thirds of votes cast in favour, "
                        "with a quorum of 5 members\n")


def test_check_json_gives_canonical_form(tmp_path):
    f = tmp_path / "rules.json"
    f.write_text(json.dumps({"kind": "supermajority", "fraction": "4/6",
                             "base": "present"}))
    p = run("rule", "check", "@%s" % f, "--json", check=0)
    out = json.loads(p.stdout)
    assert out["rules"] == {"default": {"kind": "supermajority",
                                        "fraction": "2/3",
                                        "base": "present"},
                            "by_kind": {}}
    assert out["default_text"].startswith("at least two thirds of members")


def test_check_lists_rules_per_kind():
    p = run("rule", "check", RULE_SET, check=0)
    lines = p.stdout.splitlines()
    assert lines[0].startswith("default: a simple majority")
    assert lines[1] == ("change_rules: at least two thirds of votes cast in "
                        "favour, with a quorum of one third of all members")


@pytest.mark.parametrize("rule,field", [
    ('{"kind":"supermajority","fraction":"3/2","base":"cast"}',
     "rule.fraction"),
    ('{"kind":"supermajority","fraction":"2/0","base":"cast"}',
     "rule.fraction"),
    ('{"kind":"supermajority","fraction":"2/3"}', "rule.base"),
    ('{"kind":"consensus","colour":"red"}', "rule"),
    ('{"kind":"majority"}', "rule.kind"),
    ('{"kind":"consent","quorum":{"count":-2}}', "rule.quorum.count"),
    ('{"default":{"kind":"supermajority","fraction":"2/3","base":"cast"},'
     '"by_kind":{"change_rules":{"kind":"simple_majority"}}}',
     "rule.by_kind"),
])
def test_check_refuses_bad_rules_naming_the_field(rule, field):
    p = run("rule", "check", rule, check=2)
    assert p.stderr.startswith("pnyx rule: %s: " % field), p.stderr
    assert p.stdout == ""


def test_check_bad_json_file_names_file_and_line(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text('{"kind":\n "consensus",\n}\n')
    p = run("rule", "check", "@%s" % f, check=2)
    assert "%s:3:" % f in p.stderr


def test_evaluate_exact_threshold_adopts_and_one_short_rejects():
    p = run("rule", "evaluate", TWO_THIRDS, "--members", 30, "--present", 20,
            "--yes", 10, "--no", 5, "--abstain", 5, check=0)
    assert p.stdout.splitlines()[0] == (
        "adopted: 10 yes of 15, at least 10 needed; 20 present, quorum 5")
    p = run("rule", "evaluate", TWO_THIRDS, "--members", 30, "--present", 20,
            "--yes", 9, "--no", 5, check=0)
    assert p.stdout.startswith("rejected: 9 yes of 14, at least 10 needed")


def test_evaluate_quorum_one_short():
    p = run("rule", "evaluate", TWO_THIRDS, "--members", 30, "--present", 4,
            "--yes", 4, "--json", check=0)
    out = json.loads(p.stdout)
    assert out["outcome"] == "no_quorum"
    assert out["quorum"] == 5 and out["present"] == 4


def test_evaluate_picks_the_rule_of_the_motion_kind():
    args = ("--members", 12, "--present", 4, "--yes", 3, "--no", 1, "--json")
    out = json.loads(run("rule", "evaluate", RULE_SET, *args, check=0).stdout)
    assert out["outcome"] == "adopted" and out["quorum"] == 3
    out = json.loads(run("rule", "evaluate", RULE_SET, *args,
                         "--motion-kind", "change_rules", check=0).stdout)
    assert out["outcome"] == "adopted" and out["quorum"] == 4
    assert out["rule"]["fraction"] == "2/3"
    out = json.loads(run("rule", "evaluate", RULE_SET, "--members", 12,
                         "--present", 3, "--yes", 3, "--motion-kind",
                         "change_rules", "--json", check=0).stdout)
    assert out["outcome"] == "no_quorum"


def test_evaluate_hybrid_rounds():
    rule = json.dumps({"kind": "hybrid", "rounds": 2, "fraction": "3/4",
                       "base": "present"})
    out = json.loads(run("rule", "evaluate", rule, "--members", 30,
                         "--present", 20, "--yes", 19, "--blocks", 1,
                         "--round", 2, "--json", check=0).stdout)
    assert out["outcome"] == "next_round" and out["applied"] == "consensus"
    out = json.loads(run("rule", "evaluate", rule, "--members", 30,
                         "--present", 20, "--yes", 15, "--no", 5,
                         "--round", 3, "--json", check=0).stdout)
    assert out["outcome"] == "adopted" and out["applied"] == "supermajority"
    assert out["threshold"] == 15


@pytest.mark.parametrize("args,needle", [
    (("--members", 3, "--present", 4), "tally.present"),
    (("--members", 5, "--present", 4, "--yes", 3, "--no", 2), "tally.present"),
    (("--members", 5, "--present", 4, "--blocks", 1), "tally.blocks"),
    (("--present", 4), "--members"),
    (("--members", 5, "--present", 4, "--yes", -1), "--yes"),
])
def test_evaluate_refuses_bad_counts(args, needle):
    p = run("rule", "evaluate", TWO_THIRDS, *args, check=2)
    assert needle in p.stderr, p.stderr


def test_usage_errors():
    assert "say 'check RULE'" in run("rule", check=2).stderr
    assert "say 'check RULE'" in run("rule", "judge", "{}", check=2).stderr
    p = run("rule", "evaluate", TWO_THIRDS, "--members", 5, "--present", 4,
            "--motion-kind", "Change", check=2)
    assert "--motion-kind" in p.stderr
    assert "usage: pnyx rule" in run("help", "rule", check=0).stdout
