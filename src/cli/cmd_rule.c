/*
 * cmd_rule.c: `pnyx rule check|evaluate`: try a decision rule or rule set
 * without a database, before an assembly adopts it. check validates it
 * and says it in words; evaluate applies it to the counts of a vote and
 * shows the numbers that decided. Both are pure (core/rule.c and
 * gov/assembly/rule_json.c do the work); bad input exits 2 naming the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/errors.h"
#include "core/rule.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_rule_usage[] = N_(
	"usage: pnyx rule check RULE [--json]\n"
	"       pnyx rule evaluate RULE --members N --present N [--yes N] [--no N]\n"
	"                 [--abstain N] [--blocks N] [--stand-asides N]\n"
	"                 [--objections N] [--round N] [--motion-kind NAME] [--json]\n\n"
	"RULE is a decision rule or a rule set in JSON (docs/rules.md), given on\n"
	"the command line or as @FILE, for example\n"
	"  '{\"kind\":\"supermajority\",\"fraction\":\"2/3\",\"base\":\"cast\",\n"
	"    \"quorum\":{\"count\":5}}'\n\n"
	"check: validate it and print it in words (with --json: its canonical\n"
	"form and the words).\n"
	"evaluate: apply it to the counts of one vote and print the outcome\n"
	"(adopted, rejected, no_quorum, or next_round for a hybrid rule's\n"
	"consensus rounds) with the quorum, base and threshold that decided it.\n"
	"With a rule set, --motion-kind picks the rule of that kind of motion\n"
	"(the default rule otherwise). --round is the hybrid round, from 1.\n\n"
	"Exit 0 when the rule is valid (whatever the outcome of the vote), 2 when\n"
	"the rule or the counts are refused, naming the field.\n");

/* The rule text: inline JSON, or @FILE. Parse errors name file and line. */
static json_t *load_rule(const char *arg)
{
	json_error_t jerr;
	json_t *j;

	if (arg[0] == '@') {
		j = json_load_file(arg + 1, JSON_REJECT_DUPLICATES, &jerr);
		if (!j)
			cli_errorf("rule", CLI_USAGE, "%s:%d:%d: %s", arg + 1,
				   jerr.line, jerr.column, jerr.text);
	} else {
		j = json_loads(arg, JSON_REJECT_DUPLICATES, &jerr);
		if (!j)
			cli_errorf("rule", CLI_USAGE, "RULE:%d:%d: %s",
				   jerr.line, jerr.column, jerr.text);
	}
	return j;
}

static void print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text)
		puts(text);
	free(text);
}

static int check(const struct rule_set *set, int json)
{
	struct strbuf sb;
	int rc = 0;

	sb_init(&sb, 0);
	if (json) {
		json_t *out = json_object();
		json_t *by = json_object();
		json_object_set_new(out, "rules", rule_set_to_json(set));
		rc = rule_describe(&set->def, &sb);
		json_object_set_new(out, "default_text", json_string(sb.buf));
		for (size_t i = 0; !rc && i < set->n; i++) {
			sb_reset(&sb);
			rc = rule_describe(&set->by_kind[i].rule, &sb);
			json_object_set_new(by, set->by_kind[i].motion_kind,
					    json_string(sb.buf));
		}
		json_object_set_new(out, "by_kind_text", by);
		print_json(out);
		json_decref(out);
	} else {
		rc = rule_describe_in(&set->def, cli_lang(), &sb);
		/* TRANSLATORS: the rule of every decision a kind has none of its own for */
		printf(set->n ? _("default: %s\n") : _("rule: %s\n"), sb.buf);
		for (size_t i = 0; !rc && i < set->n; i++) {
			sb_reset(&sb);
			rc = rule_describe_in(&set->by_kind[i].rule, cli_lang(), &sb);
			/* the kind as the rule set names it: the key people wrote */
			printf("%s: %s\n", set->by_kind[i].motion_kind, sb.buf);
		}
	}
	sb_release(&sb);
	return rc ? CLI_FAIL : CLI_OK;
}

static int evaluate(const struct rule_set *set, const char *motion_kind,
		    const struct rule_tally *t, int json)
{
	const struct decision_rule *r = rule_set_lookup(set, motion_kind);
	struct rule_result res;
	struct px_error err = { 0 };
	struct strbuf sb;
	int rc;

	if (motion_kind && !rule_motion_kind_valid(motion_kind))
		return cli_errorf("rule", CLI_USAGE, "--motion-kind: \"%s\" is "
				  "not 1-40 characters a-z or _", motion_kind);
	rc = rule_evaluate(r, t, &res, &err);
	if (rc)
		return cli_report("rule", &err);
	if (json) {
		json_t *out = rule_result_to_json(r, &res);
		if (!out)
			return cli_errorf("rule", CLI_FAIL, "out of memory");
		print_json(out);
		json_decref(out);
		return CLI_OK;
	}
	sb_init(&sb, 0);
	rc = rule_result_describe_in(&res, cli_lang(), &sb);
	if (!rc)
		printf("%s\n", sb.buf);
	sb_reset(&sb);
	if (!rc)
		rc = rule_describe_in(r, cli_lang(), &sb);
	if (!rc)
		printf(_("rule: %s\n"), sb.buf);
	sb_release(&sb);
	return rc ? CLI_FAIL : CLI_OK;
}

int cmd_rule(int argc, char **argv)
{
	const char *pos[2], *motion_kind = NULL;
	int64_t members = -1, present = -1, yes = 0, no = 0, abstain = 0;
	int64_t blocks = 0, stand_asides = 0, objections = 0, round = 0;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "members", OPT_INT, &members, 0, RULE_COUNT_MAX },
		{ "present", OPT_INT, &present, 0, RULE_COUNT_MAX },
		{ "yes", OPT_INT, &yes, 0, RULE_COUNT_MAX },
		{ "no", OPT_INT, &no, 0, RULE_COUNT_MAX },
		{ "abstain", OPT_INT, &abstain, 0, RULE_COUNT_MAX },
		{ "blocks", OPT_INT, &blocks, 0, RULE_COUNT_MAX },
		{ "stand-asides", OPT_INT, &stand_asides, 0, RULE_COUNT_MAX },
		{ "objections", OPT_INT, &objections, 0, RULE_COUNT_MAX },
		{ "round", OPT_INT, &round, 1, INT32_MAX },
		{ "motion-kind", OPT_STRING, &motion_kind, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	struct rule_set *set = NULL;
	struct px_error err = { 0 };
	json_t *j = NULL;
	size_t npos;
	int is_eval, rc = cli_parse(cli_find("rule"), opts, argc, argv, pos, 2,
				    &npos);

	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 2 || (strcmp(pos[0], "check") && strcmp(pos[0], "evaluate")))
		return cli_errorf("rule", CLI_USAGE,
				  "say 'check RULE' or 'evaluate RULE' "
				  "(see pnyx help rule)");
	is_eval = !strcmp(pos[0], "evaluate");
	if (is_eval && (members < 0 || present < 0))
		return cli_errorf("rule", CLI_USAGE,
				  "evaluate needs --members and --present");

	j = load_rule(pos[1]);
	if (!j)
		return CLI_USAGE;
	set = malloc(sizeof(*set));
	if (!set) {
		rc = cli_errorf("rule", CLI_FAIL, "out of memory");
		goto out;
	}
	if (rule_set_from_json(j, set, "rule", &err)) {
		rc = cli_report("rule", &err);
		goto out;
	}
	if (is_eval) {
		struct rule_tally t = {
			.members = members, .present = present, .yes = yes,
			.no = no, .abstain = abstain, .blocks = blocks,
			.stand_asides = stand_asides, .objections = objections,
			.round = (int32_t)round,
		};
		rc = evaluate(set, motion_kind, &t, json);
	} else {
		rc = check(set, json);
	}
out:
	free(set);
	json_decref(j);
	return rc;
}
