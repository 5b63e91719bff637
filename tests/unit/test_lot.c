/* The calendar of citizenship (src/gov/lot): a consent is valid until the
 * same date and time a year later, in UTC; a consent given on 29 February
 * runs to 1 March of a common year, and to 28 February never. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/civil.h"
#include "gov/lot/lot.h"

static int64_t at(int64_t y, int m, int d, int hh, int mm)
{
	struct civil_time t = { y, m, d, hh, mm, 0 };
	return civil_to_seconds(&t);
}

static void test_one_year_is_the_same_date_and_time_a_year_later(void **state)
{
	(void)state;
	assert_int_equal(lot_one_year_after(at(2026, 12, 6, 7, 10)), at(2027, 12, 6, 7, 10));
	/* across a leap day: 366 days */
	assert_int_equal(lot_one_year_after(at(2027, 3, 1, 0, 0)) - at(2027, 3, 1, 0, 0),
			 366 * 86400);
	assert_int_equal(lot_one_year_after(at(2026, 1, 31, 23, 59)),
			 at(2027, 1, 31, 23, 59));
}

static void test_29_february_gives_1_march_of_a_common_year(void **state)
{
	(void)state;
	assert_int_equal(lot_one_year_after(at(2028, 2, 29, 12, 0)), at(2029, 3, 1, 12, 0));
	/* and from 28 February of a year before a leap year, 28 February */
	assert_int_equal(lot_one_year_after(at(2027, 2, 28, 12, 0)), at(2028, 2, 28, 12, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_year_is_the_same_date_and_time_a_year_later),
		cmocka_unit_test(test_29_february_gives_1_march_of_a_common_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
