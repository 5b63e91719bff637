/* Unit tests for src/gov/assembly/rule_json.c: rules, rule sets and tallies to and
 * from JSON; every refusal names its field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/rule.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, &jerr);
	if (!j)
		fail_msg("bad test JSON: %s: %s", text, jerr.text);
	return j;
}

/* Parse text as a rule (prefix "rule") and return the code. */
static int rule_code(const char *text, struct decision_rule *out,
		     struct px_error *err)
{
	json_t *j = parse(text);
	px_error_clear(err);
	int rc = rule_from_json(j, out, "rule", err);
	json_decref(j);
	return rc;
}

static void expect_refusal(const char *text, int code, const char *field)
{
	struct decision_rule r;
	struct px_error err;
	int rc = rule_code(text, &r, &err);
	if (rc != code)
		fail_msg("%s: got %s, want %s (%s)", text, px_code_name(rc),
			 px_code_name(code), px_error_message(&err));
	assert_int_equal(err.code, code);
	assert_non_null(err.field);
	assert_string_equal(err.field, field);
}

/* text -> rule -> JSON text must equal want (canonical form). */
static void expect_round_trip(const char *text, const char *want)
{
	struct decision_rule r, r2;
	struct px_error err;
	int rc = rule_code(text, &r, &err);
	if (rc)
		fail_msg("%s: %s", text, px_error_message(&err));
	json_t *j = rule_to_json(&r);
	assert_non_null(j);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, want);
	assert_int_equal(rule_from_json(j, &r2, "rule", &err), 0);
	assert_true(rule_equal(&r, &r2));
	free(s);
	json_decref(j);
}

static void test_rule_json_round_trips_every_kind(void **state)
{
	(void)state;
	expect_round_trip("{\"kind\":\"simple_majority\"}",
			  "{\"kind\":\"simple_majority\"}");
	expect_round_trip("{\"kind\":\"absolute_majority\",\"quorum\":{\"count\":5}}",
			  "{\"kind\":\"absolute_majority\",\"quorum\":{\"count\":5}}");
	expect_round_trip("{\"kind\":\"supermajority\",\"fraction\":\"2/3\","
			  "\"base\":\"cast\",\"quorum\":{\"count\":5}}",
			  "{\"base\":\"cast\",\"fraction\":\"2/3\",\"kind\":"
			  "\"supermajority\",\"quorum\":{\"count\":5}}");
	expect_round_trip("{\"kind\":\"supermajority\",\"fraction\":\"3/4\","
			  "\"base\":\"members\"}",
			  "{\"base\":\"members\",\"fraction\":\"3/4\",\"kind\":"
			  "\"supermajority\"}");
	expect_round_trip("{\"kind\":\"consensus\",\"quorum\":{\"fraction\":\"1/4\"}}",
			  "{\"kind\":\"consensus\",\"quorum\":{\"fraction\":\"1/4\"}}");
	expect_round_trip("{\"kind\":\"consent\"}", "{\"kind\":\"consent\"}");
	expect_round_trip("{\"kind\":\"unanimity\"}", "{\"kind\":\"unanimity\"}");
	expect_round_trip("{\"kind\":\"hybrid\",\"rounds\":3,\"fraction\":\"2/3\","
			  "\"base\":\"present\"}",
			  "{\"base\":\"present\",\"fraction\":\"2/3\",\"kind\":"
			  "\"hybrid\",\"rounds\":3}");
}

static void test_rule_json_reduces_fractions_and_drops_empty_quorum(void **state)
{
	(void)state;
	expect_round_trip("{\"kind\":\"supermajority\",\"fraction\":\"4/6\","
			  "\"base\":\"cast\",\"quorum\":{\"fraction\":\"2/8\"}}",
			  "{\"base\":\"cast\",\"fraction\":\"2/3\",\"kind\":"
			  "\"supermajority\",\"quorum\":{\"fraction\":\"1/4\"}}");
	expect_round_trip("{\"kind\":\"supermajority\",\"fraction\":\"1\","
			  "\"base\":\"present\"}",
			  "{\"base\":\"present\",\"fraction\":\"1/1\",\"kind\":"
			  "\"supermajority\"}");
	expect_round_trip("{\"kind\":\"consent\",\"quorum\":{\"count\":0}}",
			  "{\"kind\":\"consent\"}");
	expect_round_trip("{\"kind\":\"consent\",\"quorum\":{\"fraction\":\"0/5\"}}",
			  "{\"kind\":\"consent\"}");
	expect_round_trip("{\"kind\":\"consent\",\"quorum\":null}",
			  "{\"kind\":\"consent\"}");
}

static void test_rule_json_refuses_missing_and_unknown_fields(void **state)
{
	(void)state;
	expect_refusal("{}", PX_E_MISSING_FIELD, "rule.kind");
	expect_refusal("[]", PX_E_BAD_TYPE, "rule");
	expect_refusal("{\"kind\":7}", PX_E_BAD_TYPE, "rule.kind");
	expect_refusal("{\"kind\":\"plurality\"}", PX_E_RULE_KIND, "rule.kind");
	expect_refusal("{\"kind\":\"consensus\",\"colour\":1}",
		       PX_E_UNKNOWN_FIELD, "rule");
	expect_refusal("{\"kind\":\"supermajority\",\"base\":\"cast\"}",
		       PX_E_MISSING_FIELD, "rule.fraction");
	expect_refusal("{\"kind\":\"supermajority\",\"fraction\":\"2/3\"}",
		       PX_E_MISSING_FIELD, "rule.base");
	expect_refusal("{\"kind\":\"hybrid\",\"fraction\":\"2/3\",\"base\":\"cast\"}",
		       PX_E_MISSING_FIELD, "rule.rounds");
	expect_refusal("{\"kind\":\"consensus\",\"quorum\":{}}",
		       PX_E_MISSING_FIELD, "rule.quorum");
	expect_refusal("{\"kind\":\"consensus\",\"quorum\":{\"size\":3}}",
		       PX_E_UNKNOWN_FIELD, "rule.quorum");
	expect_refusal("{\"kind\":\"consensus\",\"quorum\":5}",
		       PX_E_BAD_TYPE, "rule.quorum");
	expect_refusal("{\"kind\":\"consensus\",\"quorum\":{\"count\":3,"
		       "\"fraction\":\"1/2\"}}", PX_E_BAD_INPUT, "rule.quorum");
}

static void test_rule_json_refuses_parameters_the_kind_does_not_take(void **state)
{
	(void)state;
	expect_refusal("{\"kind\":\"simple_majority\",\"fraction\":\"2/3\"}",
		       PX_E_RULE_PARAM, "rule.fraction");
	expect_refusal("{\"kind\":\"consensus\",\"base\":\"cast\"}",
		       PX_E_RULE_PARAM, "rule.base");
	expect_refusal("{\"kind\":\"supermajority\",\"fraction\":\"2/3\","
		       "\"base\":\"cast\",\"rounds\":2}",
		       PX_E_RULE_PARAM, "rule.rounds");
}

static void test_rule_json_refuses_bad_fractions(void **state)
{
	(void)state;
	const char *const bad_range[] = { "4/3", "2/0", "-1/2", "1/-2",
		"3000000000/4000000000" };
	const char *const bad_text[] = { "", "2/", "/3", "two thirds", "2/3 ",
		" 2/3", "2//3", "0.66", "2/3/4" };
	char buf[200];

	for (size_t i = 0; i < sizeof(bad_range) / sizeof(bad_range[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"kind\":\"supermajority\","
			 "\"base\":\"cast\",\"fraction\":\"%s\"}", bad_range[i]);
		expect_refusal(buf, PX_E_OUT_OF_RANGE, "rule.fraction");
	}
	for (size_t i = 0; i < sizeof(bad_text) / sizeof(bad_text[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"kind\":\"supermajority\","
			 "\"base\":\"cast\",\"fraction\":\"%s\"}", bad_text[i]);
		expect_refusal(buf, PX_E_BAD_INPUT, "rule.fraction");
	}
	/* A supermajority is more than one half. */
	expect_refusal("{\"kind\":\"supermajority\",\"base\":\"cast\","
		       "\"fraction\":\"1/2\"}", PX_E_OUT_OF_RANGE, "rule.fraction");
	expect_refusal("{\"kind\":\"supermajority\",\"base\":\"cast\","
		       "\"fraction\":\"0\"}", PX_E_OUT_OF_RANGE, "rule.fraction");
	expect_refusal("{\"kind\":\"supermajority\",\"base\":\"cast\","
		       "\"fraction\":0.67}", PX_E_BAD_TYPE, "rule.fraction");
	expect_refusal("{\"kind\":\"supermajority\",\"base\":\"cast\","
		       "\"fraction\":\"2/3\\u0000x\"}", PX_E_BAD_TYPE,
		       "rule.fraction");
	expect_refusal("{\"kind\":\"consent\",\"quorum\":{\"fraction\":\"5/4\"}}",
		       PX_E_OUT_OF_RANGE, "rule.quorum.fraction");
	expect_refusal("{\"kind\":\"consent\",\"quorum\":{\"fraction\":\"1/0\"}}",
		       PX_E_OUT_OF_RANGE, "rule.quorum.fraction");
}

static void test_rule_json_refuses_bad_counts_bases_and_rounds(void **state)
{
	(void)state;
	expect_refusal("{\"kind\":\"consent\",\"quorum\":{\"count\":-1}}",
		       PX_E_OUT_OF_RANGE, "rule.quorum.count");
	expect_refusal("{\"kind\":\"consent\",\"quorum\":{\"count\":1000000001}}",
		       PX_E_OUT_OF_RANGE, "rule.quorum.count");
	expect_refusal("{\"kind\":\"consent\",\"quorum\":{\"count\":2.0}}",
		       PX_E_BAD_TYPE, "rule.quorum.count");
	expect_refusal("{\"kind\":\"consent\",\"quorum\":{\"count\":\"5\"}}",
		       PX_E_BAD_TYPE, "rule.quorum.count");
	expect_refusal("{\"kind\":\"supermajority\",\"fraction\":\"2/3\","
		       "\"base\":\"voters\"}", PX_E_OUT_OF_RANGE, "rule.base");
	expect_refusal("{\"kind\":\"supermajority\",\"fraction\":\"2/3\","
		       "\"base\":\"none\"}", PX_E_OUT_OF_RANGE, "rule.base");
	expect_refusal("{\"kind\":\"hybrid\",\"fraction\":\"2/3\","
		       "\"base\":\"cast\",\"rounds\":0}",
		       PX_E_OUT_OF_RANGE, "rule.rounds");
	expect_refusal("{\"kind\":\"hybrid\",\"fraction\":\"2/3\","
		       "\"base\":\"cast\",\"rounds\":101}",
		       PX_E_OUT_OF_RANGE, "rule.rounds");
	expect_refusal("{\"kind\":\"hybrid\",\"fraction\":\"2/3\","
		       "\"base\":\"cast\",\"rounds\":-3}",
		       PX_E_OUT_OF_RANGE, "rule.rounds");
}

static void test_rule_json_failure_leaves_output_untouched(void **state)
{
	(void)state;
	struct decision_rule r, before;
	struct px_error err;
	memset(&r, 0x5a, sizeof(r));
	before = r;
	assert_int_equal(rule_code("{\"kind\":\"supermajority\",\"base\":"
				   "\"cast\",\"fraction\":\"9/8\"}", &r, &err),
			 PX_E_OUT_OF_RANGE);
	assert_memory_equal(&r, &before, sizeof(r));
}

/* ---- rule sets ------------------------------------------------------ */

static int set_code(const char *text, struct rule_set *s, struct px_error *err)
{
	json_t *j = parse(text);
	px_error_clear(err);
	int rc = rule_set_from_json(j, s, "rule", err);
	json_decref(j);
	return rc;
}

static void test_rule_set_json_round_trips_and_looks_up_by_kind(void **state)
{
	(void)state;
	struct rule_set s, s2;
	struct px_error err;
	const char *text =
		"{\"by_kind\":{\"exclude_member\":{\"base\":\"members\","
		"\"fraction\":\"2/3\",\"kind\":\"supermajority\"},"
		"\"change_rules\":{\"base\":\"cast\",\"fraction\":\"3/4\","
		"\"kind\":\"supermajority\",\"quorum\":{\"count\":10}}},"
		"\"default\":{\"kind\":\"simple_majority\",\"quorum\":"
		"{\"count\":5}}}";
	assert_int_equal(set_code(text, &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.by_kind[0].motion_kind, "change_rules");
	assert_int_equal(rule_set_lookup(&s, "change_rules")->fraction.num, 3);
	assert_int_equal(rule_set_lookup(&s, "exclude_member")->base,
			 RULE_BASE_MEMBERS);
	assert_ptr_equal(rule_set_lookup(&s, "enact_law"), &s.def);
	assert_ptr_equal(rule_set_lookup(&s, NULL), &s.def);

	json_t *j = rule_set_to_json(&s);
	char *out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(out,
		"{\"by_kind\":{\"change_rules\":{\"base\":\"cast\",\"fraction\":"
		"\"3/4\",\"kind\":\"supermajority\",\"quorum\":{\"count\":10}},"
		"\"exclude_member\":{\"base\":\"members\",\"fraction\":\"2/3\","
		"\"kind\":\"supermajority\"}},\"default\":{\"kind\":"
		"\"simple_majority\",\"quorum\":{\"count\":5}}}");
	assert_int_equal(rule_set_from_json(j, &s2, "rule", &err), 0);
	assert_int_equal(s2.n, 2);
	assert_true(rule_equal(&s.def, &s2.def));
	free(out);
	json_decref(j);
}

static void test_rule_set_json_accepts_a_bare_rule(void **state)
{
	(void)state;
	struct rule_set s;
	struct px_error err;
	assert_int_equal(set_code("{\"kind\":\"consensus\"}", &s, &err), 0);
	assert_int_equal(s.def.kind, RULE_CONSENSUS);
	assert_int_equal(s.n, 0);
	/* Errors in a bare rule name the rule's own fields. */
	assert_int_equal(set_code("{\"kind\":\"consensus\",\"base\":\"cast\"}",
				  &s, &err), PX_E_RULE_PARAM);
	assert_string_equal(err.field, "rule.base");
	/* "default" alone without by_kind is a set. */
	assert_int_equal(set_code("{\"default\":{\"kind\":\"consent\"}}", &s,
				  &err), 0);
	assert_int_equal(s.def.kind, RULE_CONSENT);
}

static void expect_set_refusal(const char *text, int code, const char *field,
			       const char *detail_part)
{
	struct rule_set s;
	struct px_error err;
	int rc = set_code(text, &s, &err);
	if (rc != code)
		fail_msg("%s: got %s, want %s (%s)", text, px_code_name(rc),
			 px_code_name(code), px_error_message(&err));
	assert_string_equal(err.field, field);
	if (detail_part && !strstr(px_error_message(&err), detail_part))
		fail_msg("detail \"%s\" lacks \"%s\"", px_error_message(&err),
			 detail_part);
}

static void test_rule_set_json_refusals_name_the_field(void **state)
{
	(void)state;
	expect_set_refusal("{\"by_kind\":{}}", PX_E_MISSING_FIELD,
			   "rule.default", NULL);
	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"extra\":1}",
			   PX_E_UNKNOWN_FIELD, "rule", "rule.extra");
	expect_set_refusal("{\"default\":{\"kind\":\"consent\",\"rounds\":2}}",
			   PX_E_RULE_PARAM, "rule.default.rounds", NULL);
	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"by_kind\":[]}",
			   PX_E_BAD_TYPE, "rule.by_kind", NULL);
	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"by_kind\":"
			   "{\"Change-Rules\":{\"kind\":\"consent\"}}}",
			   PX_E_RULE_MOTION_KIND, "rule.by_kind", "Change-Rules");
	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"by_kind\":"
			   "{\"\":{\"kind\":\"consent\"}}}",
			   PX_E_RULE_MOTION_KIND, "rule.by_kind", NULL);
	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"by_kind\":"
			   "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":"
			   "{\"kind\":\"consent\"}}}",
			   PX_E_RULE_MOTION_KIND, "rule.by_kind", NULL);
	expect_set_refusal("{\"default\":{\"kind\":\"simple_majority\"},"
			   "\"by_kind\":{\"change_rules\":{\"kind\":"
			   "\"supermajority\",\"base\":\"cast\",\"fraction\":"
			   "\"7/6\"}}}", PX_E_OUT_OF_RANGE,
			   "rule.by_kind.*.fraction",
			   "rule.by_kind.change_rules.fraction");
}

static void test_rule_set_json_refuses_too_many_kinds_and_non_objects(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(sb_adds(&sb, "{\"default\":{\"kind\":\"consent\"},"
				 "\"by_kind\":{"), 0);
	for (int i = 0; i <= RULE_SET_MAX; i++)
		assert_int_equal(sb_addf(&sb, "%s\"k_%c%c\":{\"kind\":\"consent\"}",
					 i ? "," : "", 'a' + i / 26,
					 'a' + i % 26), 0);
	assert_int_equal(sb_adds(&sb, "}}"), 0);
	expect_set_refusal(sb.buf, PX_E_TOO_LARGE, "rule.by_kind", NULL);
	sb_release(&sb);

	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"by_kind\":"
			   "{\"enact_law\":\"consent\"}}", PX_E_BAD_TYPE,
			   "rule.by_kind.*", "rule.by_kind.enact_law must be");
	expect_set_refusal("{\"default\":{\"kind\":\"consent\"},\"by_kind\":"
			   "{\"enact_law\":{}}}", PX_E_MISSING_FIELD,
			   "rule.by_kind.*.kind", "rule.by_kind.enact_law.kind");
	expect_set_refusal("{\"default\":null}", PX_E_BAD_TYPE,
			   "rule.default", NULL);
}

static void test_rule_set_json_refuses_a_weaker_rule_for_a_kind(void **state)
{
	(void)state;
	/* Two thirds by default; a simple majority to change the rules would
	 * be a way round it. */
	expect_set_refusal("{\"default\":{\"kind\":\"supermajority\",\"base\":"
			   "\"cast\",\"fraction\":\"2/3\"},\"by_kind\":{"
			   "\"change_rules\":{\"kind\":\"simple_majority\"}}}",
			   PX_E_RULE_WEAKER, "rule.by_kind", "change_rules");
	/* A lower quorum with the same vote rule is weaker too. */
	expect_set_refusal("{\"default\":{\"kind\":\"consent\",\"quorum\":"
			   "{\"count\":10}},\"by_kind\":{\"enact_law\":"
			   "{\"kind\":\"consent\",\"quorum\":{\"count\":9}}}}",
			   PX_E_RULE_WEAKER, "rule.by_kind", "enact_law");
	/* Incomparable rules are accepted: consensus against a majority. */
	struct rule_set s;
	struct px_error err;
	assert_int_equal(set_code("{\"default\":{\"kind\":\"supermajority\","
				  "\"base\":\"cast\",\"fraction\":\"2/3\"},"
				  "\"by_kind\":{\"exclude_member\":{\"kind\":"
				  "\"consensus\"}}}", &s, &err), 0);
}

/* ---- tallies and results ------------------------------------------- */

static void test_rule_tally_json_reads_counts_and_refuses_negatives(void **state)
{
	(void)state;
	struct rule_tally t;
	struct px_error err;
	json_t *j = parse("{\"members\":30,\"present\":22,\"yes\":14,\"no\":6,"
			  "\"abstain\":2,\"round\":2}");
	assert_int_equal(rule_tally_from_json(j, &t, &err), 0);
	assert_int_equal(t.members, 30);
	assert_int_equal(t.abstain, 2);
	assert_int_equal(t.blocks, 0);
	assert_int_equal(t.round, 2);
	json_t *back = rule_tally_to_json(&t);
	assert_int_equal(json_integer_value(json_object_get(back, "yes")), 14);
	json_decref(back);
	json_decref(j);

	j = parse("{\"members\":30,\"present\":22,\"yes\":-1}");
	assert_int_equal(rule_tally_from_json(j, &t, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "tally.yes");
	json_decref(j);
	j = parse("{\"present\":22}");
	assert_int_equal(rule_tally_from_json(j, &t, &err), PX_E_MISSING_FIELD);
	assert_string_equal(err.field, "tally.members");
	json_decref(j);
	j = parse("{\"members\":3,\"present\":2,\"maybe\":1}");
	assert_int_equal(rule_tally_from_json(j, &t, &err), PX_E_UNKNOWN_FIELD);
	json_decref(j);
}

static void test_rule_result_json_records_rule_and_numbers(void **state)
{
	(void)state;
	struct decision_rule r;
	struct px_error err;
	struct rule_result res;
	struct rule_tally t = { .members = 30, .present = 22, .yes = 14,
				.no = 6, .abstain = 2 };
	assert_int_equal(rule_code("{\"kind\":\"supermajority\",\"fraction\":"
				   "\"2/3\",\"base\":\"cast\",\"quorum\":"
				   "{\"count\":5}}", &r, &err), 0);
	assert_int_equal(rule_evaluate(&r, &t, &res, &err), 0);
	json_t *j = rule_result_to_json(&r, &res);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "outcome")),
			    "adopted");
	assert_int_equal(json_integer_value(json_object_get(j, "threshold")), 14);
	assert_int_equal(json_integer_value(json_object_get(j, "base")), 20);
	assert_string_equal(json_string_value(json_object_get(j, "rule_text")),
			    "at least two thirds of votes cast in favour, "
			    "with a quorum of 5 members");
	assert_string_equal(json_string_value(json_object_get(j, "text")),
			    "adopted: 14 yes of 20, at least 14 needed; "
			    "22 present, quorum 5");
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(j, "rule"), "fraction")), "2/3");
	json_decref(j);
}

static void test_rule_json_absent_rule_is_a_missing_field(void **state)
{
	(void)state;
	struct decision_rule r;
	struct rule_set s;
	struct px_error err;
	assert_int_equal(rule_from_json(NULL, &r, "rule", &err),
			 PX_E_MISSING_FIELD);
	assert_string_equal(err.field, "rule");
	assert_int_equal(rule_set_from_json(NULL, &s, "rules", &err),
			 PX_E_MISSING_FIELD);
	assert_string_equal(err.field, "rules");
}

static void test_rule_positions_json_lists_the_ballot(void **state)
{
	(void)state;
	struct decision_rule r;
	struct px_error err;
	assert_int_equal(rule_code("{\"kind\":\"hybrid\",\"rounds\":1,"
				   "\"fraction\":\"2/3\",\"base\":\"cast\"}",
				   &r, &err), 0);
	json_t *a = rule_positions_to_json(rule_positions(&r, 1));
	char *s = json_dumps(a, JSON_COMPACT);
	assert_string_equal(s, "[\"yes\",\"block\",\"stand_aside\"]");
	free(s);
	json_decref(a);
	a = rule_positions_to_json(rule_positions(&r, 2));
	s = json_dumps(a, JSON_COMPACT);
	assert_string_equal(s, "[\"yes\",\"no\",\"abstain\"]");
	free(s);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_json_round_trips_every_kind),
		cmocka_unit_test(test_rule_json_reduces_fractions_and_drops_empty_quorum),
		cmocka_unit_test(test_rule_json_refuses_missing_and_unknown_fields),
		cmocka_unit_test(test_rule_json_refuses_parameters_the_kind_does_not_take),
		cmocka_unit_test(test_rule_json_refuses_bad_fractions),
		cmocka_unit_test(test_rule_json_refuses_bad_counts_bases_and_rounds),
		cmocka_unit_test(test_rule_json_failure_leaves_output_untouched),
		cmocka_unit_test(test_rule_set_json_round_trips_and_looks_up_by_kind),
		cmocka_unit_test(test_rule_set_json_accepts_a_bare_rule),
		cmocka_unit_test(test_rule_set_json_refusals_name_the_field),
		cmocka_unit_test(test_rule_set_json_refuses_too_many_kinds_and_non_objects),
		cmocka_unit_test(test_rule_set_json_refuses_a_weaker_rule_for_a_kind),
		cmocka_unit_test(test_rule_tally_json_reads_counts_and_refuses_negatives),
		cmocka_unit_test(test_rule_result_json_records_rule_and_numbers),
		cmocka_unit_test(test_rule_json_absent_rule_is_a_missing_field),
		cmocka_unit_test(test_rule_positions_json_lists_the_ballot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
