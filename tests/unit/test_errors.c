/* Unit tests for the error registry (src/core/errors.def): every code has
 * a lower-case name, a 4xx/5xx status and a message, and names are unique. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <string.h>

#include "core/errors.h"

static void test_errors_every_code_has_name_status_message(void **state)
{
	(void)state;
	for (int c = 1; c < PX_E__COUNT; c++) {
		const char *name = px_code_name(c);
		assert_non_null(name);
		assert_true(strlen(name) > 1);
		for (const char *p = name; *p; p++)
			assert_true(islower((unsigned char)*p) || *p == '_' ||
				    isdigit((unsigned char)*p));
		int st = px_code_status(c);
		assert_true(st >= 400 && st <= 599);
		assert_true(strlen(px_code_message(c)) > 3);
	}
}

static void test_errors_names_are_unique_and_round_trip(void **state)
{
	(void)state;
	for (int c = 1; c < PX_E__COUNT; c++) {
		assert_int_equal(px_code_by_name(px_code_name(c)), c);
		for (int d = c + 1; d < PX_E__COUNT; d++)
			assert_string_not_equal(px_code_name(c), px_code_name(d));
	}
	assert_int_equal(px_code_by_name("no_such_code"), -1);
}

static void test_errors_known_statuses(void **state)
{
	(void)state;
	assert_int_equal(px_code_status(PX_E_NOT_FOUND), 404);
	assert_int_equal(px_code_status(PX_E_METHOD), 405);
	assert_int_equal(px_code_status(PX_E_TOO_LARGE), 413);
	assert_int_equal(px_code_status(PX_E_UNAUTHENTICATED), 401);
	assert_int_equal(px_code_status(PX_E_RATE_LIMITED), 429);
	assert_string_equal(px_code_name(PX_E_BAD_MEDIA_TYPE), "bad_media_type");
}

static void test_errors_out_of_range_code_is_internal(void **state)
{
	(void)state;
	assert_int_equal(px_code_status(-1), 500);
	assert_int_equal(px_code_status(PX_E__COUNT), 500);
	assert_string_equal(px_code_name(9999), "internal");
}

static void test_errors_fail_fills_field_and_detail(void **state)
{
	(void)state;
	struct px_error e = { 0 };
	assert_int_equal(px_fail(&e, PX_E_MISSING_FIELD, "handle", NULL),
			 PX_E_MISSING_FIELD);
	assert_string_equal(e.field, "handle");
	assert_string_equal(px_error_message(&e), px_code_message(PX_E_MISSING_FIELD));
	px_fail(&e, PX_E_OUT_OF_RANGE, "seats", "seats must be %d or more", 1);
	assert_string_equal(px_error_message(&e), "seats must be 1 or more");
	assert_int_equal(px_fail(NULL, PX_E_BAD_INPUT, "x", "y"), PX_E_BAD_INPUT);
	px_error_clear(&e);
	assert_int_equal(e.code, PX_OK);
	assert_null(e.field);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_every_code_has_name_status_message),
		cmocka_unit_test(test_errors_names_are_unique_and_round_trip),
		cmocka_unit_test(test_errors_known_statuses),
		cmocka_unit_test(test_errors_out_of_range_code_is_internal),
		cmocka_unit_test(test_errors_fail_fills_field_and_detail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
