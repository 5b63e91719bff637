/* Unit tests for src/core/civil.c: proleptic Gregorian arithmetic,
 * round trips, leap years, weekdays and month arithmetic at month ends. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/civil.h"

static void test_civil_epoch_is_day_zero_and_a_thursday(void **state)
{
	(void)state;
	assert_int_equal(civil_days_from(1970, 1, 1), 0);
	assert_int_equal(civil_weekday(0), 3);
	assert_int_equal(civil_days_from(1969, 12, 31), -1);
	assert_int_equal(civil_weekday(-1), 2);
}

static void test_civil_known_dates_and_weekdays(void **state)
{
	(void)state;
	assert_int_equal(civil_days_from(2000, 3, 1), 11017);
	assert_int_equal(civil_weekday_of(2026, 11, 26), 3); /* Thursday */
	assert_int_equal(civil_weekday_of(2000, 1, 1), 5);   /* Saturday */
	assert_int_equal(civil_weekday_of(1600, 3, 1), 2);   /* Wednesday */
	assert_int_equal(civil_weekday_of(2011, 12, 30), 4); /* Friday */
	assert_int_equal(civil_days_from(1, 1, 1), -719162);
}

static void test_civil_round_trip_over_eight_thousand_years(void **state)
{
	(void)state;
	int64_t prev_y = 0;
	int prev_m = 0, prev_d = 0;
	for (int64_t z = -2000000; z <= 1000000; z++) {
		int64_t y;
		int m, d;
		civil_from_days(z, &y, &m, &d);
		assert_true(m >= 1 && m <= 12);
		assert_true(d >= 1 && d <= civil_days_in_month(y, m));
		assert_int_equal(civil_days_from(y, m, d), z);
		if (z > -2000000) { /* consecutive days are consecutive dates */
			if (d == 1)
				assert_int_equal(prev_d, civil_days_in_month(prev_y, prev_m));
			else
				assert_int_equal(d, prev_d + 1);
		}
		prev_y = y;
		prev_m = m;
		prev_d = d;
	}
}

static void test_civil_leap_years_century_rule(void **state)
{
	(void)state;
	assert_true(civil_is_leap(2000));
	assert_false(civil_is_leap(1900));
	assert_false(civil_is_leap(2100));
	assert_true(civil_is_leap(2024));
	assert_true(civil_is_leap(2028));
	assert_false(civil_is_leap(2027));
	assert_true(civil_is_leap(0));
	assert_true(civil_is_leap(-4));
	assert_int_equal(civil_days_in_month(2028, 2), 29);
	assert_int_equal(civil_days_in_month(2100, 2), 28);
	assert_int_equal(civil_days_in_month(2027, 4), 30);
	assert_int_equal(civil_days_in_month(2027, 13), 0);
	assert_int_equal(civil_days_from(2001, 1, 1) - civil_days_from(2000, 1, 1), 366);
}

static void test_civil_seconds_negative_and_positive(void **state)
{
	(void)state;
	struct civil_time t;
	civil_from_seconds(-1, &t);
	assert_int_equal(t.year, 1969);
	assert_int_equal(t.month, 12);
	assert_int_equal(t.day, 31);
	assert_int_equal(t.hour, 23);
	assert_int_equal(t.minute, 59);
	assert_int_equal(t.second, 59);
	assert_int_equal(civil_to_seconds(&t), -1);
	struct civil_time u = { 2038, 1, 19, 3, 14, 8 };
	assert_int_equal(civil_to_seconds(&u), 2147483648LL);
	civil_from_seconds(2147483648LL, &t);
	assert_int_equal(civil_cmp(&t, &u), 0);
}

static void test_civil_valid_rejects_feb_29_of_common_year(void **state)
{
	(void)state;
	struct civil_time t = { 2027, 2, 29, 0, 0, 0 };
	assert_false(civil_valid(&t));
	t.year = 2028;
	assert_true(civil_valid(&t));
	t.hour = 24;
	assert_false(civil_valid(&t));
	t.hour = 23;
	t.second = 60;
	assert_false(civil_valid(&t));
}

static void test_civil_add_months_clamps_at_month_end(void **state)
{
	(void)state;
	int64_t y = 2027;
	int m = 1, d = 31;
	civil_add_months(&y, &m, &d, 1);
	assert_int_equal(m, 2);
	assert_int_equal(d, 28);
	y = 2028, m = 1, d = 31;
	civil_add_months(&y, &m, &d, 1);
	assert_int_equal(d, 29);
	y = 2027, m = 3, d = 15;
	civil_add_months(&y, &m, &d, -15);
	assert_int_equal(y, 2025);
	assert_int_equal(m, 12);
	assert_int_equal(d, 15);
	civil_add_months(&y, &m, &d, 1);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 1);
}

static void test_civil_add_days_across_leap_day_and_year(void **state)
{
	(void)state;
	int64_t y = 2028;
	int m = 2, d = 28;
	civil_add_days(&y, &m, &d, 1);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	civil_add_days(&y, &m, &d, 1);
	assert_int_equal(m, 3);
	assert_int_equal(d, 1);
	civil_add_days(&y, &m, &d, -61);
	assert_int_equal(y, 2027);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
}

static void test_civil_floor_division_of_negatives(void **state)
{
	(void)state;
	assert_int_equal(civil_floor_div(-1, 7), -1);
	assert_int_equal(civil_floor_mod(-1, 7), 6);
	assert_int_equal(civil_floor_div(-7, 7), -1);
	assert_int_equal(civil_floor_mod(-7, 7), 0);
	assert_int_equal(civil_floor_div(13, 12), 1);
	int64_t y;
	int m;
	civil_from_month_index(-1, &y, &m);
	assert_int_equal(y, -1);
	assert_int_equal(m, 12);
	assert_int_equal(civil_month_index(2026, 11), 2026 * 12 + 10);
}

static void test_civil_parse_local_forms_and_refusals(void **state)
{
	(void)state;
	struct civil_time t;
	char buf[20];
	assert_int_equal(civil_parse("2027-03-28T02:30", &t), 0);
	civil_format(&t, buf);
	assert_string_equal(buf, "2027-03-28T02:30:00");
	assert_int_equal(civil_parse("2028-02-29 19:00:05", &t), 0);
	assert_int_equal(t.second, 5);
	assert_int_equal(civil_parse("20270105T190000", &t), 0);
	assert_int_equal(t.day, 5);
	assert_int_equal(t.hour, 19);
	const char *bad[] = { "", "2027-02-29T19:00", "2027-03-28T24:00", "2027-3-28T02:30",
			      "2027-03-28T02:30Z", "20270105T190000Z", "0000-01-01T00:00",
			      "2027-03-28", "2027-03-28T02:30:60", "2027-03-28X02:30",
			      "+027-03-28T02:30" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (civil_parse(bad[i], &t) == 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(civil_parse(NULL, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_epoch_is_day_zero_and_a_thursday),
		cmocka_unit_test(test_civil_known_dates_and_weekdays),
		cmocka_unit_test(test_civil_round_trip_over_eight_thousand_years),
		cmocka_unit_test(test_civil_leap_years_century_rule),
		cmocka_unit_test(test_civil_seconds_negative_and_positive),
		cmocka_unit_test(test_civil_valid_rejects_feb_29_of_common_year),
		cmocka_unit_test(test_civil_add_months_clamps_at_month_end),
		cmocka_unit_test(test_civil_add_days_across_leap_day_and_year),
		cmocka_unit_test(test_civil_floor_division_of_negatives),
		cmocka_unit_test(test_civil_parse_local_forms_and_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
