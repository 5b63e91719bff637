/* Unit tests for src/core/ratify.c: an implementation condition over the
 * tree of assemblies beneath a proposal's originator, at each edge: a
 * share exactly at its threshold and one below, at-least-N at N and N-1,
 * a delegate assembly that did not accept cutting off its locals, a local
 * reached through two federations counted once, every one of a named set,
 * and malformed trees refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/errors.h"
#include "core/ratify.h"

/* Regional (0) with districts 1 and 2; district 1 has locals 10, 11, 12;
 * district 2 has locals 20, 21. Populations 100, 200, 300, 400, 500. */
static void tree(struct ratify_node n[6 + 1])
{
	memset(n, 0, 7 * sizeof(*n));
	n[0] = (struct ratify_node){ .id = 1, .parent = -1 };
	n[1] = (struct ratify_node){ .id = 2, .parent = 0, .accepted = 1 };
	n[2] = (struct ratify_node){ .id = 10, .parent = 1, .local = 1, .population = 100 };
	n[3] = (struct ratify_node){ .id = 11, .parent = 1, .local = 1, .population = 200 };
	n[4] = (struct ratify_node){ .id = 12, .parent = 1, .local = 1, .population = 300 };
	n[5] = (struct ratify_node){ .id = 3, .parent = 0, .accepted = 1 };
	n[6] = (struct ratify_node){ .id = 20, .parent = 5, .local = 1, .population = 400 };
}

static void test_ratify_at_least_n_met_at_n_not_at_n_minus_one(void **state)
{
	(void)state;
	struct ratify_node n[7];
	struct ratify_result r;
	struct ratify_condition c = { .kind = RATIFY_AT_LEAST, .n = 3 };
	tree(n);
	n[2].accepted = n[3].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_int_equal(r.locals, 4);
	assert_int_equal(r.locals_accepted, 2);
	assert_false(r.met);
	n[6].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_int_equal(r.locals_accepted, 3);
	assert_true(r.met);
	assert_true(n[6].counts);
	assert_false(n[4].counts);
}

static void test_ratify_share_of_assemblies_exactly_at_threshold(void **state)
{
	(void)state;
	struct ratify_node n[7];
	struct ratify_result r;
	struct ratify_condition c = { .kind = RATIFY_SHARE_ASSEMBLIES, .percent = 50 };
	tree(n);
	n[2].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_false(r.met); /* 1 of 4 = 25% */
	n[3].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_true(r.met);  /* 2 of 4 = 50%, exactly */
	c.percent = 51;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_false(r.met);
}

static void test_ratify_share_of_population_edges(void **state)
{
	(void)state;
	struct ratify_node n[7];
	struct ratify_result r;
	/* total 1000: locals 10 and 20 have 100 + 400 = 500 = 50% */
	struct ratify_condition c = { .kind = RATIFY_SHARE_POPULATION, .percent = 50 };
	tree(n);
	n[2].accepted = n[6].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_int_equal(r.population, 1000);
	assert_int_equal(r.population_accepted, 500);
	assert_true(r.met);
	n[2].accepted = 0;
	n[3].accepted = 0;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_false(r.met); /* 400 of 1000 */
	/* nobody accepted a share of an empty population: not met */
	n[6].accepted = 0;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_false(r.met);
}

static void test_ratify_district_that_did_not_accept_cuts_off_its_locals(void **state)
{
	(void)state;
	struct ratify_node n[7];
	struct ratify_result r;
	struct ratify_condition c = { .kind = RATIFY_AT_LEAST, .n = 1 };
	tree(n);
	n[5].accepted = 0; /* district 2 rejected: local 20 was never offered */
	n[6].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_int_equal(r.locals_accepted, 0);
	assert_false(n[6].counts);
	assert_false(r.met);
}

static void test_ratify_local_in_two_federations_counts_once(void **state)
{
	(void)state;
	struct ratify_node n[8];
	struct ratify_result r;
	struct ratify_condition c = { .kind = RATIFY_AT_LEAST, .n = 2 };
	tree(n);
	/* local 10 also belongs to district 2 */
	n[7] = (struct ratify_node){ .id = 10, .parent = 5, .local = 1,
				     .population = 100, .accepted = 1 };
	n[2].accepted = 1;
	n[1].accepted = 0; /* counted through district 2 only */
	assert_int_equal(ratify_evaluate(n, 8, &c, &r), 0);
	assert_int_equal(r.locals, 4);
	assert_int_equal(r.population, 1000);
	assert_int_equal(r.locals_accepted, 1);
	assert_true(n[2].counts); /* counted wherever it appears */
	assert_false(r.met);
}

static void test_ratify_all_of_named_set(void **state)
{
	(void)state;
	struct ratify_node n[7];
	struct ratify_result r;
	const int64_t named[] = { 10, 20 }, missing[] = { 10, 99 };
	struct ratify_condition c = { .kind = RATIFY_ALL_OF, .named = named, .n_named = 2 };
	tree(n);
	n[2].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_false(r.met);
	assert_int_equal(r.named_accepted, 1);
	n[6].accepted = 1;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_true(r.met);
	c.named = missing; /* an assembly not beneath: never met */
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), 0);
	assert_false(r.met);
}

static void test_ratify_refuses_bad_trees_and_conditions(void **state)
{
	(void)state;
	struct ratify_node n[7];
	struct ratify_result r;
	struct ratify_condition c = { .kind = RATIFY_AT_LEAST, .n = 1 };
	tree(n);
	n[3].parent = 4; /* child before parent */
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), PX_E_BAD_INPUT);
	tree(n);
	n[3].parent = 2; /* a local has no members */
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), PX_E_BAD_INPUT);
	tree(n);
	c.n = 0;
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), PX_E_BAD_INPUT);
	c = (struct ratify_condition){ .kind = RATIFY_SHARE_POPULATION, .percent = 101 };
	assert_int_equal(ratify_evaluate(n, 7, &c, &r), PX_E_BAD_INPUT);
	assert_int_equal(ratify_kind_parse("share_of_population"), RATIFY_SHARE_POPULATION);
	assert_int_equal(ratify_kind_parse("most"), -1);
	assert_string_equal(ratify_kind_name(RATIFY_ALL_OF), "all_of");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratify_at_least_n_met_at_n_not_at_n_minus_one),
		cmocka_unit_test(test_ratify_share_of_assemblies_exactly_at_threshold),
		cmocka_unit_test(test_ratify_share_of_population_edges),
		cmocka_unit_test(test_ratify_district_that_did_not_accept_cuts_off_its_locals),
		cmocka_unit_test(test_ratify_local_in_two_federations_counts_once),
		cmocka_unit_test(test_ratify_all_of_named_set),
		cmocka_unit_test(test_ratify_refuses_bad_trees_and_conditions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
