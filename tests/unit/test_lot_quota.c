/* The quotas of a polity's draws, as written (src/gov/lot/quota.c,
 * docs/polities.md "Stratified renewals"): "category: value min-max, ...;
 * category: ...", parsed into [{"category","value","min","max"}] and
 * written back the same; "none" is no quotas; text that is not quotas is
 * refused naming the field, and quotas no draw of the cohort's seats can
 * meet are refused as infeasible. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/errors.h"
#include "gov/lot/lot_apply.h"

static json_t *parse(const char *text, int64_t lo, int64_t hi, int *rc, struct px_error *err)
{
	json_t *q = NULL;
	memset(err, 0, sizeof(*err));
	*rc = lot_quotas_parse(text, lo, hi, "quotas", &q, err);
	return q;
}

static void test_quotas_parse_and_write_back(void **state)
{
	(void)state;
	struct px_error err;
	int rc;
	json_t *q = parse("gender: women 2-3, men 2-3; district:north 1 ,care home 0-2",
			  5, 5, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(json_array_size(q), 4);
	json_t *e = json_array_get(q, 3);
	assert_string_equal(json_string_value(json_object_get(e, "category")), "district");
	assert_string_equal(json_string_value(json_object_get(e, "value")), "care home");
	assert_int_equal(json_integer_value(json_object_get(e, "min")), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "max")), 2);
	/* a single number is exactly that many seats */
	e = json_array_get(q, 2);
	assert_int_equal(json_integer_value(json_object_get(e, "min")), 1);
	assert_int_equal(json_integer_value(json_object_get(e, "max")), 1);
	char *text = lot_quotas_text(q);
	assert_string_equal(text, "gender: women 2-3, men 2-3; district: north 1, care home 0-2");
	/* written back, it parses to the same */
	json_t *again = parse(text, 5, 5, &rc, &err);
	assert_int_equal(rc, 0);
	assert_true(json_equal(q, again));
	json_t *cats = lot_quota_categories(q);
	assert_int_equal(json_array_size(cats), 2);
	assert_true(lot_quota_has(q, "district", "care home"));
	assert_false(lot_quota_has(q, "district", "women"));
	free(text);
	json_decref(cats);
	json_decref(again);
	json_decref(q);
}

static void test_none_is_no_quotas(void **state)
{
	(void)state;
	struct px_error err;
	int rc;
	assert_null(parse("none", 4, 4, &rc, &err));
	assert_int_equal(rc, 0);
}

static void test_text_that_is_not_quotas_is_refused_naming_the_field(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "gender women 2", "gender: women", "gender: women x", "gender: women 3-2",
		"gender: women 2, WOMEN 1", "gender: a 1; Gender: b 1", "id: a 1", ": a 1",
		"gender: , men 1", "gender: women 1-", "gender: women 200", "gender: wo\"men 1",
		"gender: women 1\nage: old 1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct px_error err;
		int rc;
		json_t *q = parse(bad[i], 4, 4, &rc, &err);
		assert_null(q);
		assert_true(rc == PX_E_BAD_INPUT || rc == PX_E_OUT_OF_RANGE);
		assert_string_equal(err.field, "quotas");
	}
}

static void test_quotas_no_draw_can_meet_are_infeasible(void **state)
{
	(void)state;
	struct px_error err;
	int rc;
	/* minimums above the smallest cohort's seats */
	assert_null(parse("gender: women 3, men 2", 4, 5, &rc, &err));
	assert_int_equal(rc, PX_E_INFEASIBLE);
	assert_non_null(strstr(err.detail, "more than the 4 seats"));
	/* maximums below the largest, once "undeclared" is named */
	assert_null(parse("gender: women 0-2, men 0-2, undeclared 0", 4, 5, &rc, &err));
	assert_int_equal(rc, PX_E_INFEASIBLE);
	/* without it, those who did not say take the rest */
	json_t *q = parse("gender: women 0-2, men 0-2", 4, 5, &rc, &err);
	assert_int_equal(rc, 0);
	json_decref(q);
}

/* A large pool's lottery has as many tickets as it needs: 50,000 people
 * for 25 seats give each a chance of 1 in 2,000, and 1,000 tickets of 25
 * seats (25,000 seats) would leave half of them on no ticket; the draw's
 * lottery gives the least likely person about ten tickets' worth, and
 * every person is on a panel (docs/sortition.md 8.4). */
static void test_a_large_pool_puts_everyone_on_a_ticket(void **state)
{
	(void)state;
	struct px_error err;
	int rc;
	enum { N = 50000, K = 25 };
	json_t *q = parse("gender: women 8-12, men 13-17; district: a 3-7, b 3-7, c 3-7,"
			  " d 3-7, e 3-7", K, K, &rc, &err);
	assert_int_equal(rc, 0);
	json_t *cats = json_pack("[s, s]", "gender", "district");
	json_t *profiles = json_array(), *leaves = json_array();
	static const char *const district[] = { "a", "b", "c", "d", "e" };
	for (size_t i = 0; i < N; i++) {
		char leaf[16];
		snprintf(leaf, sizeof(leaf), "%06zu", i);
		json_array_append_new(leaves, json_string(leaf));
		json_array_append_new(profiles, json_pack("[s, s]",
			i % 5 < 2 ? "women" : "men", district[(i / 5) % 5]));
	}
	json_t *in = json_pack("{s:o, s:o, s:o}", "quotas", q, "categories", cats,
			       "profiles", profiles);
	json_t *strata = NULL;
	memset(&err, 0, sizeof(err));
	assert_int_equal(lot_strata_compute(in, K, leaves, &strata, &err), 0);
	const json_t *lot = json_object_get(strata, "lottery");
	assert_non_null(lot);
	json_int_t m = json_integer_value(json_object_get(lot, "tickets"));
	assert_true(m > 1000);
	char *on = calloc(N, 1);
	assert_non_null(on);
	json_int_t sum = 0;
	size_t i;
	json_t *panel;
	json_array_foreach(json_object_get(lot, "panels"), i, panel) {
		sum += json_integer_value(json_object_get(panel, "tickets"));
		size_t j;
		json_t *pos;
		assert_int_equal(json_array_size(json_object_get(panel, "members")), K);
		json_array_foreach(json_object_get(panel, "members"), j, pos)
			on[json_integer_value(pos)] = 1;
	}
	assert_int_equal(sum, m);
	for (i = 0; i < N; i++)
		if (!on[i])
			fail_msg("person %zu is on no ticket of %lld", i, (long long)m);
	free(on);
	json_decref(strata);
	json_decref(in);
	json_decref(leaves);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotas_parse_and_write_back),
		cmocka_unit_test(test_none_is_no_quotas),
		cmocka_unit_test(test_text_that_is_not_quotas_is_refused_naming_the_field),
		cmocka_unit_test(test_quotas_no_draw_can_meet_are_infeasible),
		cmocka_unit_test(test_a_large_pool_puts_everyone_on_a_ticket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
