/* Unit tests for the registry of kinds of motion: each domain contributes
 * its own table (gov/kinds.c lists them); every row is complete, a name is
 * found in exactly one table, and the registry finds every row by name. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "gov/procedure/procedure.h"

static void test_kinds_every_row_is_complete(void **state)
{
	(void)state;
	size_t rows = 0;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++) {
			assert_non_null(k->summary);
			assert_non_null(k->check);
			assert_non_null(k->apply);
			rows++;
		}
	assert_true(rows >= 28); /* 16 of an assembly, 12 of federation */
}

static void test_kinds_names_are_unique_across_domains(void **state)
{
	(void)state;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++) {
			int seen = 0;
			for (size_t u = 0; gov_kind_tables[u]; u++)
				for (const struct motion_kind *l = gov_kind_tables[u]; l->name; l++)
					seen += !strcmp(k->name, l->name);
			assert_int_equal(seen, 1);
			assert_ptr_equal(motion_kind_find(k->name), k);
		}
}

static void test_kinds_find_refuses_unknown_and_null(void **state)
{
	(void)state;
	assert_null(motion_kind_find(NULL));
	assert_null(motion_kind_find(""));
	assert_null(motion_kind_find("enact_laws"));
	assert_non_null(motion_kind_find("enact_law"));
	assert_non_null(motion_kind_find("answer_proposal"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_every_row_is_complete),
		cmocka_unit_test(test_kinds_names_are_unique_across_domains),
		cmocka_unit_test(test_kinds_find_refuses_unknown_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
