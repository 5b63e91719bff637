/* Unit tests for src/core/rrule.c: validation messages, the canonical
 * form, descriptions, and expansion across daylight-saving changes
 * (Europe/Berlin, America/New_York, Australia/Sydney, Pacific/Apia), month
 * ends, missing fifth weekdays, leap years, INTERVAL, WKST, COUNT, UNTIL
 * and the window cap. Zones come from the system tz database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/rrule.h"
#include "core/strbuf.h"
#include "core/tzif.h"
#include "gov/assembly/assembly.h"

static const struct tz_zone *zone(const char *name)
{
	const struct tz_zone *z = NULL;
	assert_int_equal(tzdb_get(name, &z, NULL), 0);
	return z;
}

static int64_t utc(int64_t y, int mo, int d, int h, int mi)
{
	struct civil_time t = { y, mo, d, h, mi, 0 };
	return civil_to_seconds(&t);
}

static struct rrule parse(const char *text)
{
	struct rrule r;
	struct px_error err;
	if (rrule_parse(text, &r, &err))
		fail_msg("%s: %s", text, px_error_message(&err));
	return r;
}

/* Expand and render the occurrences as "YYYY-MM-DD HH:MM ABBR; ...". */
static char out[8192];
static const char *expand(const char *tz, const char *rule, int64_t y, int mo,
			  int d, int h, int mi, int64_t from, int64_t to,
			  size_t cap, int *truncated)
{
	const struct tz_zone *z = zone(tz);
	struct rrule r = parse(rule);
	struct civil_time dt = { y, mo, d, h, mi, 0 };
	int64_t at[200];
	size_t n = 0;
	int tr = 0;
	assert_int_equal(rrule_expand(&r, &dt, z, from, to, at, cap, &n, &tr), 0);
	if (truncated)
		*truncated = tr;
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		struct tz_local l;
		assert_int_equal(tz_to_local(z, at[i], &l), 0);
		if (i > 0)
			assert_true(at[i] > at[i - 1]);
		len += (size_t)snprintf(out + len, sizeof(out) - len,
					"%s%04lld-%02d-%02d %02d:%02d %s",
					i ? "; " : "", (long long)l.time.year,
					l.time.month, l.time.day, l.time.hour,
					l.time.minute, l.abbr);
	}
	return out;
}

static const char *year(const char *tz, const char *rule, int64_t y, int mo,
			int d, int h, int mi, int64_t from_year, int64_t to_year)
{
	return expand(tz, rule, y, mo, d, h, mi, utc(from_year, 1, 1, 0, 0),
		      utc(to_year, 1, 1, 0, 0), 200, NULL);
}

static void refused(const char *text, const char *detail)
{
	struct rrule r;
	struct px_error err;
	px_error_clear(&err);
	if (rrule_parse(text, &r, &err) != PX_E_BAD_RRULE)
		fail_msg("accepted %s", text);
	assert_string_equal(err.field, "rrule");
	if (strcmp(err.detail, detail))
		fail_msg("%s: got \"%s\", want \"%s\"", text, err.detail, detail);
}

static void test_rrule_validation_names_the_part(void **state)
{
	(void)state;
	refused("FREQ=WEEKLY;BYDAY=XX", "BYDAY: unknown day 'XX'");
	refused("FREQ=WEEKLY;BYDAY=MO,", "BYDAY: empty value");
	/* FREQ=DAILY and YEARLY are accepted since libical expands rules
	 * (test_rrule_rules_the_old_subset_refused); finer ones are not. */
	refused("FREQ=HOURLY", "FREQ: meetings repeat daily at most, not 'HOURLY';"
		" name the times of day with BYHOUR and BYMINUTE");
	refused("FREQ=MINUTELY;BYHOUR=9", "FREQ: meetings repeat daily at most, not"
		" 'MINUTELY'; name the times of day with BYHOUR and BYMINUTE");
	refused("FREQ=SOMETIMES", "FREQ: unknown frequency 'SOMETIMES'");
	refused("INTERVAL=2", "FREQ: missing");
	refused("", "FREQ: missing");
	refused("FREQ=WEEKLY;INTERVAL=0",
		"INTERVAL: '0' is not a whole number from 1 to 1000");
	refused("FREQ=WEEKLY;INTERVAL=2x",
		"INTERVAL: '2X' is not a whole number from 1 to 1000");
	refused("FREQ=WEEKLY;FREQ=MONTHLY", "FREQ: given twice");
	/* BYSETPOS is accepted with MONTHLY and YEARLY (see below). */
	refused("FREQ=WEEKLY;BYSETPOS=1", "BYSETPOS: needs another BY part to choose from");
	refused("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=1",
		"BYSETPOS: pnyx accepts it with FREQ=MONTHLY or YEARLY");
	refused("FREQ=MONTHLY;BYDAY=MO;BYHOUR=9,19;BYSETPOS=1",
		"BYSETPOS: pnyx accepts it with one time of day only");
	refused("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS: '0' must be 1 to 366 or -1 to -366");
	refused("FREQ=YEARLY;BYDAY=54MO", "BYDAY: ordinal in '54MO' must be 1 to 53 or -1 to -53");
	refused("FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO",
		"BYDAY: ordinals such as 1MO cannot be combined with BYWEEKNO");
	refused("FREQ=MONTHLY;BYWEEKNO=20", "BYWEEKNO: only allowed with FREQ=YEARLY");
	refused("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO: '54' must be 1 to 53 or -1 to -53");
	refused("FREQ=DAILY;BYYEARDAY=100", "BYYEARDAY: only allowed with FREQ=YEARLY");
	refused("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY: '367' must be 1 to 366 or -1 to -366");
	refused("FREQ=YEARLY;BYMONTH=13", "BYMONTH: '13' is not a whole number from 1 to 12");
	refused("FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=31,-31",
		"BYMONTHDAY: no month named in BYMONTH has such a day");
	refused("FREQ=DAILY;BYDAY=1MO", "BYDAY: ordinals such as 1MO need FREQ=MONTHLY");
	refused("FREQ=WEEKLY;BYSECOND=61", "BYSECOND: '61' is not a whole number from 0 to 60");
	refused("FREQ=WEEKLY;COLOUR=RED", "COLOUR: unknown rule part");
	refused("FREQ=WEEKLY;BYDAY", "BYDAY: expected NAME=VALUE");
	refused("FREQ=WEEKLY;;BYDAY=MO", "empty rule part (two ';' in a row?)");
	refused("FREQ=WEEKLY;BYDAY=1MO", "BYDAY: ordinals such as 1MO need FREQ=MONTHLY");
	refused("FREQ=MONTHLY;BYDAY=6MO", "BYDAY: ordinal in '6MO' must be 1 to 5 or -1 to -5");
	refused("FREQ=MONTHLY;BYDAY=0MO", "BYDAY: ordinal in '0MO' must be 1 to 5 or -1 to -5");
	refused("FREQ=MONTHLY;BYDAY=--1MO", "BYDAY: ordinal in '--1MO' must be 1 to 5 or -1 to -5");
	refused("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY: '0' must be 1 to 31 or -1 to -31");
	refused("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY: '32' must be 1 to 31 or -1 to -31");
	refused("FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY: not allowed with FREQ=WEEKLY");
	refused("FREQ=WEEKLY;BYHOUR=24", "BYHOUR: '24' is not a whole number from 0 to 23");
	refused("FREQ=WEEKLY;BYMINUTE=60", "BYMINUTE: '60' is not a whole number from 0 to 59");
	refused("FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z", "COUNT: cannot be combined with UNTIL");
	refused("FREQ=WEEKLY;UNTIL=20270101",
		"UNTIL: '20270101' is not a UTC date-time like 20271231T235959Z");
	refused("FREQ=WEEKLY;UNTIL=20270230T000000Z",
		"UNTIL: '20270230T000000Z' is not a valid date and time");
	refused("FREQ=WEEKLY;WKST=XX", "WKST: unknown day 'XX'");
	refused("FREQ=WEEKLY; BYDAY=MO", "the rule may hold only printable ASCII without spaces");
}

static void test_rrule_canonical_form_round_trips(void **state)
{
	(void)state;
	const char *cases[][2] = {
		{ "freq=monthly;byday=-1fr,1mo;byhour=18;byminute=30",
		  "FREQ=MONTHLY;BYDAY=1MO,-1FR;BYHOUR=18;BYMINUTE=30" },
		{ "RRULE:BYDAY=TU;FREQ=WEEKLY;INTERVAL=2;WKST=SU",
		  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU" },
		{ "FREQ=MONTHLY;BYMONTHDAY=15,-1,1,+3;INTERVAL=1;COUNT=10",
		  "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=-1,1,3,15" },
		{ "FREQ=WEEKLY;UNTIL=20271231T235959Z;BYHOUR=19,9;BYMINUTE=0;WKST=MO",
		  "FREQ=WEEKLY;UNTIL=20271231T235959Z;BYHOUR=9,19;BYMINUTE=0" },
		{ "FREQ=MONTHLY;BYDAY=+2WE,WE,-5WE", "FREQ=MONTHLY;BYDAY=-5WE,WE,2WE" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rrule r = parse(cases[i][0]), again;
		struct strbuf sb;
		sb_init(&sb, 0);
		assert_int_equal(rrule_format(&r, &sb), 0);
		assert_string_equal(sb.buf, cases[i][1]);
		again = parse(sb.buf);
		assert_memory_equal(&r, &again, sizeof(r));
		sb_release(&sb);
	}
}

static void described(const char *rule, int64_t y, int mo, int d, int h,
		      int mi, const char *want)
{
	struct rrule r = parse(rule);
	struct civil_time dt = { y, mo, d, h, mi, 0 };
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(rrule_describe(&r, &dt, &sb), 0);
	if (strcmp(sb.buf, want))
		fail_msg("%s: got \"%s\", want \"%s\"", rule, sb.buf, want);
	sb_release(&sb);
}

static void described_in(const char *lang, const char *rule, int64_t y, int mo, int d,
			 int h, int mi, const char *want)
{
	struct rrule r;
	assert_int_equal(rrule_parse(rule, &r, NULL), 0);
	struct civil_time dt = { y, mo, d, h, mi, 0 };
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(rrule_describe_in(&r, &dt, lang, &sb), 0);
	if (strcmp(sb.buf, want))
		fail_msg("%s %s: got \"%s\", want \"%s\"", lang, rule, sb.buf, want);
	sb_release(&sb);
}

/* Spanish: a whole sentence per shape, names, lists and dates by ICU; a
 * rarer rule quoted in a Spanish sentence; English as rrule_describe. */
static void test_rrule_describe_in_spanish(void **state)
{
	(void)state;
	described_in("es", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0", 2027, 1, 5, 0, 0,
		     "cada martes a las 19:00");
	described_in("es", "FREQ=WEEKLY;BYDAY=MO,WE,FR", 2027, 1, 4, 7, 0,
		     "cada lunes, miércoles y viernes a las 07:00");
	described_in("es", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", 2027, 1, 7, 13, 30,
		     "cada 2 semanas, el jueves a las 13:30");
	described_in("es", "FREQ=WEEKLY", 2027, 1, 9, 1, 0, "cada sábado a la 01:00");
	described_in("es", "FREQ=MONTHLY;BYDAY=1TH", 2027, 1, 7, 19, 0,
		     "el primer jueves de cada mes a las 19:00");
	described_in("es", "FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA,-1SU", 2027, 1, 2, 10, 0,
		     "el primer sábado y el último domingo de cada 3 meses a las 10:00");
	described_in("es", "FREQ=MONTHLY;BYMONTHDAY=1,15", 2027, 1, 1, 9, 0,
		     "los días 1 y 15 de cada mes a las 09:00");
	described_in("es", "FREQ=MONTHLY", 2027, 1, 22, 9, 0,
		     "el día 22 de cada mes a las 09:00");
	described_in("es", "FREQ=MONTHLY;BYMONTHDAY=-1", 2027, 1, 31, 18, 0,
		     "el último día de cada mes a las 18:00");
	described_in("es", "FREQ=DAILY;INTERVAL=3", 2027, 1, 1, 7, 30,
		     "cada 3 días a las 07:30");
	described_in("es", "FREQ=YEARLY", 2027, 12, 8, 19, 0,
		     "cada año, el 8 de diciembre a las 19:00");
	described_in("es", "FREQ=WEEKLY;BYHOUR=9,19;BYMINUTE=0;COUNT=12", 2027, 1, 4, 0, 0,
		     "cada lunes a las 09:00 y 19:00, 12 veces");
	described_in("es", "FREQ=WEEKLY;COUNT=1", 2027, 1, 4, 18, 0,
		     "cada lunes a las 18:00, 1 vez");
	described_in("es", "FREQ=WEEKLY;UNTIL=20270630T215900Z", 2027, 1, 4, 18, 0,
		     "cada lunes a las 18:00, hasta el 30 jun 2027, 21:59 UTC");
	described_in("es", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", 2027, 1, 4, 18, 0,
		     "según la regla FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1");
	described_in("en", "FREQ=WEEKLY;BYDAY=MO,TH", 2027, 1, 7, 19, 30,
		     "every Monday and Thursday at 19:30");
	described_in("xx", "FREQ=WEEKLY;BYDAY=MO,TH", 2027, 1, 7, 19, 30,
		     "every Monday and Thursday at 19:30");
}

static void test_rrule_describe_in_english(void **state)
{
	(void)state;
	described("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
		  2027, 1, 5, 0, 0, "every 2nd Tuesday at 19:00");
	described("FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=18;BYMINUTE=30",
		  2027, 1, 1, 0, 0, "last Friday of each month at 18:30");
	described("FREQ=WEEKLY", 2027, 1, 7, 19, 30, "every Thursday at 19:30");
	described("FREQ=WEEKLY;BYDAY=MO,TH", 2027, 1, 7, 19, 30,
		  "every Monday and Thursday at 19:30");
	described("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE,FR", 2027, 1, 4, 7, 0,
		  "every 3rd week on Monday, Wednesday and Friday at 07:00");
	described("FREQ=MONTHLY;BYDAY=1MO,3MO", 2027, 1, 4, 19, 0,
		  "first and third Monday of each month at 19:00");
	described("FREQ=MONTHLY;INTERVAL=2;BYDAY=1SA,-1SU", 2027, 1, 4, 10, 0,
		  "first Saturday and last Sunday of every 2nd month at 10:00");
	described("FREQ=MONTHLY;BYMONTHDAY=1,15,-1", 2027, 1, 1, 9, 0,
		  "the 1st, the 15th and the last day of each month at 09:00");
	described("FREQ=MONTHLY", 2027, 1, 22, 9, 0, "the 22nd of each month at 09:00");
	described("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", 2027, 1, 1, 20, 0,
		  "every Friday falling on the 13th of each month at 20:00");
	described("FREQ=WEEKLY;BYHOUR=9,19;BYMINUTE=0,30;COUNT=3", 2027, 1, 4, 0, 0,
		  "every Monday at 09:00, 09:30, 19:00 and 19:30, 3 times");
	described("FREQ=WEEKLY;UNTIL=20270630T215900Z", 2027, 1, 4, 18, 0,
		  "every Monday at 18:00, until 2027-06-30 21:59 UTC");
	described("FREQ=MONTHLY;INTERVAL=11;BYMONTHDAY=-2", 2027, 1, 4, 18, 0,
		  "the second-to-last day of every 11th month at 18:00");
}

static void test_rrule_weekly_keeps_wall_time_across_berlin_dst(void **state)
{
	(void)state;
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
		       2027, 3, 1, 0, 0, utc(2027, 3, 20, 0, 0), utc(2027, 4, 8, 0, 0),
		       200, NULL),
		"2027-03-23 19:00 CET; 2027-03-30 19:00 CEST; 2027-04-06 19:00 CEST");
}

static void test_rrule_time_in_spring_gap_moves_forward_and_fold_takes_first(void **state)
{
	(void)state;
	/* Sundays at 02:30: 2027-03-28 has no 02:30 in Berlin (03:30 CEST
	 * instead); 2027-10-31 has two (the first, CEST, is taken). */
	assert_string_equal(
		year("Europe/Berlin", "FREQ=MONTHLY;BYDAY=-1SU;BYHOUR=2;BYMINUTE=30",
		     2027, 3, 1, 0, 0, 2027, 2028),
		"2027-03-28 03:30 CEST; 2027-04-25 02:30 CEST; 2027-05-30 02:30 CEST; "
		"2027-06-27 02:30 CEST; 2027-07-25 02:30 CEST; 2027-08-29 02:30 CEST; "
		"2027-09-26 02:30 CEST; 2027-10-31 02:30 CEST; 2027-11-28 02:30 CET; "
		"2027-12-26 02:30 CET");
	/* Within one period, a gap-shifted 02:30 (= 03:30) and a real 03:30
	 * are the same instant: it appears once. */
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2,3;BYMINUTE=30",
		       2027, 3, 1, 0, 0, utc(2027, 3, 27, 0, 0), utc(2027, 3, 29, 0, 0),
		       200, NULL),
		"2027-03-28 03:30 CEST");
}

static void test_rrule_new_york_gap_and_fold(void **state)
{
	(void)state;
	assert_string_equal(
		expand("America/New_York", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=1,2;BYMINUTE=30",
		       2026, 3, 1, 0, 0, utc(2026, 3, 7, 0, 0), utc(2026, 3, 10, 0, 0),
		       200, NULL),
		"2026-03-08 01:30 EST; 2026-03-08 03:30 EDT");
	assert_string_equal(
		expand("America/New_York", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=1;BYMINUTE=30",
		       2026, 3, 1, 0, 0, utc(2026, 10, 31, 0, 0), utc(2026, 11, 9, 0, 0),
		       200, NULL),
		"2026-11-01 01:30 EDT; 2026-11-08 01:30 EST");
}

static void test_rrule_sydney_southern_hemisphere_dst(void **state)
{
	(void)state;
	/* First Sunday of October (spring) and of April (autumn) at 02:30. */
	assert_string_equal(
		year("Australia/Sydney", "FREQ=MONTHLY;INTERVAL=6;BYDAY=1SU;BYHOUR=2;BYMINUTE=30",
		     2026, 4, 1, 0, 0, 2026, 2028),
		"2026-04-05 02:30 AEDT; 2026-10-04 03:30 AEDT; "
		"2027-04-04 02:30 AEDT; 2027-10-03 03:30 AEDT");
	assert_string_equal(
		expand("Australia/Sydney", "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=18;BYMINUTE=0",
		       2026, 1, 1, 0, 0, utc(2026, 3, 1, 0, 0), utc(2026, 5, 2, 0, 0), 200, NULL),
		"2026-03-01 18:00 AEDT; 2026-04-01 18:00 AEDT; 2026-05-01 18:00 AEST");
}

static void test_rrule_apia_skipped_friday_moves_to_saturday(void **state)
{
	(void)state;
	/* Friday 2011-12-30 did not exist in Samoa; the RFC 5545 gap rule
	 * moves the 12:00 meeting forward by the 24-hour gap. */
	assert_string_equal(
		expand("Pacific/Apia", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=12;BYMINUTE=0",
		       2011, 12, 1, 0, 0, utc(2011, 12, 20, 0, 0), utc(2012, 1, 10, 0, 0),
		       200, NULL),
		"2011-12-23 12:00 -10; 2011-12-31 12:00 +14; 2012-01-06 12:00 +14");
}

static void test_rrule_bymonthday_31_skips_short_months(void **state)
{
	(void)state;
	assert_string_equal(
		year("Europe/Berlin", "FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=19;BYMINUTE=0",
		     2027, 1, 1, 0, 0, 2027, 2028),
		"2027-01-31 19:00 CET; 2027-03-31 19:00 CEST; 2027-05-31 19:00 CEST; "
		"2027-07-31 19:00 CEST; 2027-08-31 19:00 CEST; 2027-10-31 19:00 CET; "
		"2027-12-31 19:00 CET");
}

static void test_rrule_bymonthday_minus_one_is_last_day_in_leap_year(void **state)
{
	(void)state;
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=12;BYMINUTE=0",
		       2027, 1, 1, 0, 0, utc(2028, 1, 15, 0, 0), utc(2028, 4, 15, 0, 0),
		       200, NULL),
		"2028-01-31 12:00 CET; 2028-02-29 12:00 CET; 2028-03-31 12:00 CEST");
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=12;BYMINUTE=0",
		       2027, 1, 1, 0, 0, utc(2027, 2, 1, 0, 0), utc(2027, 3, 1, 0, 0),
		       200, NULL),
		"2027-02-28 12:00 CET");
}

static void test_rrule_feb_29_only_in_leap_years(void **state)
{
	(void)state;
	assert_string_equal(
		year("UTC", "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=29", 2023, 2, 1, 10, 0,
		     2023, 2034),
		"2024-02-29 10:00 UTC; 2028-02-29 10:00 UTC; 2032-02-29 10:00 UTC");
}

static void test_rrule_fifth_friday_only_when_it_exists(void **state)
{
	(void)state;
	assert_string_equal(
		year("Europe/Berlin", "FREQ=MONTHLY;BYDAY=5FR;BYHOUR=19;BYMINUTE=0",
		     2026, 1, 1, 0, 0, 2026, 2027),
		"2026-01-30 19:00 CET; 2026-05-29 19:00 CEST; "
		"2026-07-31 19:00 CEST; 2026-10-30 19:00 CET");
	/* -5MO: the first Monday of a month that has five. */
	assert_string_equal(
		year("UTC", "FREQ=MONTHLY;BYDAY=-5MO", 2026, 1, 1, 9, 0, 2026, 2026 + 1),
		"2026-03-02 09:00 UTC; 2026-06-01 09:00 UTC; "
		"2026-08-03 09:00 UTC; 2026-11-02 09:00 UTC");
}

static void test_rrule_last_friday_and_first_monday_with_interval(void **state)
{
	(void)state;
	assert_string_equal(
		year("UTC", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;BYHOUR=18;BYMINUTE=30",
		     2027, 1, 1, 0, 0, 2027, 2027 + 1),
		"2027-01-04 18:30 UTC; 2027-01-29 18:30 UTC; 2027-03-01 18:30 UTC; "
		"2027-03-26 18:30 UTC; 2027-05-03 18:30 UTC; 2027-05-28 18:30 UTC; "
		"2027-07-05 18:30 UTC; 2027-07-30 18:30 UTC; 2027-09-06 18:30 UTC; "
		"2027-09-24 18:30 UTC; 2027-11-01 18:30 UTC; 2027-11-26 18:30 UTC");
}

static void test_rrule_wkst_changes_biweekly_sets_rfc5545_example(void **state)
{
	(void)state;
	/* RFC 5545 section 3.3.10: DTSTART 1997-08-05 09:00, every other
	 * week on TU and SU, COUNT=4: WKST=MO gives Aug 5, 10, 19, 24;
	 * WKST=SU gives Aug 5, 17, 19, 31. */
	assert_string_equal(
		year("America/New_York", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
		     1997, 8, 5, 9, 0, 1997, 1998),
		"1997-08-05 09:00 EDT; 1997-08-10 09:00 EDT; "
		"1997-08-19 09:00 EDT; 1997-08-24 09:00 EDT");
	assert_string_equal(
		year("America/New_York", "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
		     1997, 8, 5, 9, 0, 1997, 1998),
		"1997-08-05 09:00 EDT; 1997-08-17 09:00 EDT; "
		"1997-08-19 09:00 EDT; 1997-08-31 09:00 EDT");
}

static void test_rrule_count_counts_from_dtstart_not_window(void **state)
{
	(void)state;
	/* COUNT=5 weekly from 2027-01-04: the 4th and 5th fall in the window. */
	assert_string_equal(
		expand("UTC", "FREQ=WEEKLY;COUNT=5", 2027, 1, 4, 19, 0,
		       utc(2027, 1, 20, 0, 0), utc(2027, 12, 1, 0, 0), 200, NULL),
		"2027-01-25 19:00 UTC; 2027-02-01 19:00 UTC");
}

static void test_rrule_until_is_inclusive(void **state)
{
	(void)state;
	assert_string_equal(
		year("UTC", "FREQ=WEEKLY;UNTIL=20270118T190000Z", 2027, 1, 4, 19, 0, 2027, 2028),
		"2027-01-04 19:00 UTC; 2027-01-11 19:00 UTC; 2027-01-18 19:00 UTC");
}

static void test_rrule_dtstart_off_rule_is_not_an_occurrence(void **state)
{
	(void)state;
	/* DTSTART is a Wednesday; the rule says Mondays. */
	assert_string_equal(
		year("UTC", "FREQ=WEEKLY;BYDAY=MO;COUNT=2", 2027, 1, 6, 19, 0, 2027, 2028),
		"2027-01-11 19:00 UTC; 2027-01-18 19:00 UTC");
	/* Same day, but before DTSTART's time: not part of the set. */
	assert_string_equal(
		year("UTC", "FREQ=WEEKLY;BYHOUR=9,21;COUNT=2", 2027, 1, 6, 19, 0, 2027, 2028),
		"2027-01-06 21:00 UTC; 2027-01-13 09:00 UTC");
}

static void test_rrule_window_is_half_open_and_capped(void **state)
{
	(void)state;
	int truncated = 0;
	/* from is inclusive, to exclusive. */
	assert_string_equal(
		expand("UTC", "FREQ=WEEKLY", 2027, 1, 4, 19, 0, utc(2027, 1, 11, 19, 0),
		       utc(2027, 1, 25, 19, 0), 200, &truncated),
		"2027-01-11 19:00 UTC; 2027-01-18 19:00 UTC");
	assert_false(truncated);
	assert_string_equal(
		expand("UTC", "FREQ=WEEKLY", 2027, 1, 4, 19, 0, utc(2027, 1, 1, 0, 0),
		       utc(2028, 1, 1, 0, 0), 3, &truncated),
		"2027-01-04 19:00 UTC; 2027-01-11 19:00 UTC; 2027-01-18 19:00 UTC");
	assert_true(truncated);
	/* An empty or reversed window. */
	assert_string_equal(
		expand("UTC", "FREQ=WEEKLY", 2027, 1, 4, 19, 0, utc(2028, 1, 1, 0, 0),
		       utc(2027, 1, 1, 0, 0), 3, &truncated), "");
}

static void test_rrule_far_window_matches_expansion_from_start(void **state)
{
	(void)state;
	/* Without COUNT the expansion jumps to the window; the result must
	 * equal the tail of a walk from DTSTART. */
	const char *rules[] = { "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR;BYHOUR=7,19;BYMINUTE=15",
				"FREQ=MONTHLY;INTERVAL=5;BYDAY=2TU,-1SA;BYHOUR=10;BYMINUTE=0",
				"FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=31,-3" };
	for (size_t i = 0; i < 3; i++) {
		char far[8192];
		snprintf(far, sizeof(far), "%s",
			 expand("Europe/Berlin", rules[i], 2020, 2, 29, 7, 15,
				utc(2031, 6, 1, 0, 0), utc(2032, 6, 1, 0, 0), 200, NULL));
		assert_true(strlen(far) > 0);
		char from_start[8192];
		struct rrule r = parse(rules[i]);
		struct civil_time dt = { 2020, 2, 29, 7, 15, 0 };
		int64_t at[2000];
		size_t n;
		int tr;
		const struct tz_zone *z = zone("Europe/Berlin");
		assert_int_equal(rrule_expand(&r, &dt, z, utc(2020, 1, 1, 0, 0),
					      utc(2032, 6, 1, 0, 0), at, 2000, &n, &tr), 0);
		assert_false(tr);
		size_t len = 0;
		from_start[0] = '\0';
		for (size_t k = 0; k < n; k++) {
			if (at[k] < utc(2031, 6, 1, 0, 0))
				continue;
			struct tz_local l;
			tz_to_local(z, at[k], &l);
			len += (size_t)snprintf(from_start + len, sizeof(from_start) - len,
						"%s%04lld-%02d-%02d %02d:%02d %s",
						len ? "; " : "", (long long)l.time.year,
						l.time.month, l.time.day, l.time.hour,
						l.time.minute, l.abbr);
		}
		assert_string_equal(far, from_start);
	}
}

static void test_rrule_bad_dtstart_refused(void **state)
{
	(void)state;
	struct rrule r = parse("FREQ=WEEKLY");
	struct civil_time dt = { 2027, 2, 29, 19, 0, 0 };
	int64_t at[4];
	size_t n;
	int tr;
	assert_int_equal(rrule_expand(&r, &dt, zone("UTC"), 0, utc(2030, 1, 1, 0, 0),
				      at, 4, &n, &tr), PX_E_BAD_DATETIME);
	dt.year = 10000;
	dt.month = 1;
	assert_int_equal(rrule_expand(&r, &dt, zone("UTC"), 0, utc(2030, 1, 1, 0, 0),
				      at, 4, &n, &tr), PX_E_BAD_DATETIME);
}

static void test_rrule_never_matching_rule_ends(void **state)
{
	(void)state;
	/* April every 12 months never has a 31st: the walk ends at the
	 * window (and at year 9999 for an unbounded one). */
	assert_string_equal(
		expand("UTC", "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", 2027, 4, 1, 9, 0,
		       INT64_MIN, INT64_MAX, 10, NULL), "");
	assert_string_equal(
		expand("UTC", "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;COUNT=2", 2027, 4, 1,
		       9, 0, INT64_MIN, INT64_MAX, 10, NULL), "");
}

/* Rules outside the subset the hand-written expander knew, now expanded
 * by libical: DAILY, YEARLY, BYSETPOS, BYYEARDAY, BYWEEKNO, BYMONTH. The
 * expected dates are worked out by hand from the calendar. */
static void test_rrule_rules_the_old_subset_refused(void **state)
{
	(void)state;
	/* The last weekday of each month: 2027-01-31 and 02-28 are Sundays. */
	assert_string_equal(
		expand("UTC", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=18;BYMINUTE=0",
		       2027, 1, 1, 0, 0, utc(2027, 1, 1, 0, 0), utc(2027, 5, 1, 0, 0), 200, NULL),
		"2027-01-29 18:00 UTC; 2027-02-26 18:00 UTC; 2027-03-31 18:00 UTC; "
		"2027-04-30 18:00 UTC");
	/* BYSETPOS picks from the whole first month, then drops what is
	 * before DTSTART: January's first weekday (the 1st) is not replaced
	 * by the 15th. */
	assert_string_equal(
		expand("UTC", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1;BYHOUR=9;BYMINUTE=0",
		       2027, 1, 15, 0, 0, utc(2027, 1, 1, 0, 0), utc(2027, 3, 15, 0, 0), 200, NULL),
		"2027-02-01 09:00 UTC; 2027-03-01 09:00 UTC");
	/* The 100th and the last day of the year (2028 is a leap year). */
	assert_string_equal(
		year("UTC", "FREQ=YEARLY;BYYEARDAY=100,-1;BYHOUR=12;BYMINUTE=0",
		     2027, 1, 1, 0, 0, 2027, 2029),
		"2027-04-10 12:00 UTC; 2027-12-31 12:00 UTC; 2028-04-09 12:00 UTC; "
		"2028-12-31 12:00 UTC");
	/* Monday of ISO week 1: week 1 of 2030 starts on 2029-12-31. */
	assert_string_equal(
		year("UTC", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
		     2027, 1, 1, 0, 0, 2027, 2030),
		"2027-01-04 09:00 UTC; 2028-01-03 09:00 UTC; 2029-01-01 09:00 UTC; "
		"2029-12-31 09:00 UTC");
	/* DAILY keeps the wall time across Berlin's spring change. */
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=DAILY;INTERVAL=10;BYHOUR=8;BYMINUTE=0",
		       2027, 3, 20, 0, 0, utc(2027, 3, 1, 0, 0), utc(2027, 4, 10, 0, 0), 200, NULL),
		"2027-03-20 08:00 CET; 2027-03-30 08:00 CEST; 2027-04-09 08:00 CEST");
	/* Weekends of December 2027 (the 4th is a Saturday). */
	assert_string_equal(
		expand("UTC", "FREQ=DAILY;BYDAY=SA,SU;BYMONTH=12;BYHOUR=10;BYMINUTE=0",
		       2027, 1, 1, 0, 0, utc(2027, 1, 1, 0, 0), utc(2027, 12, 13, 0, 0), 200, NULL),
		"2027-12-04 10:00 UTC; 2027-12-05 10:00 UTC; 2027-12-11 10:00 UTC; "
		"2027-12-12 10:00 UTC");
	/* A yearly rule from February 29th happens in leap years only. */
	assert_string_equal(year("UTC", "FREQ=YEARLY", 2024, 2, 29, 10, 0, 2024, 2031),
			    "2024-02-29 10:00 UTC; 2028-02-29 10:00 UTC");
	/* The same far window as from the start, with BYSETPOS. */
	char far[8192];
	snprintf(far, sizeof(far), "%s",
		 expand("Europe/Berlin",
			"FREQ=MONTHLY;INTERVAL=5;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;BYHOUR=10",
			2020, 2, 29, 7, 15, utc(2031, 6, 1, 0, 0), utc(2032, 6, 1, 0, 0), 200, NULL));
	assert_true(strlen(far) > 0);
	const char *all = expand("Europe/Berlin",
				 "FREQ=MONTHLY;INTERVAL=5;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;BYHOUR=10",
				 2020, 2, 29, 7, 15, utc(2020, 1, 1, 0, 0), utc(2032, 6, 1, 0, 0),
				 200, NULL);
	assert_non_null(strstr(all, far));
	assert_int_equal(strlen(strstr(all, far)), strlen(far));
}

static void test_rrule_until_is_an_instant_in_the_zone(void **state)
{
	(void)state;
	/* 19:00 in Berlin is 18:00Z in winter and 17:00Z in summer: UNTIL
	 * is compared with the instant, inclusive. */
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0;"
		       "UNTIL=20270330T170000Z", 2027, 3, 1, 0, 0, utc(2027, 3, 20, 0, 0),
		       utc(2027, 4, 8, 0, 0), 200, NULL),
		"2027-03-23 19:00 CET; 2027-03-30 19:00 CEST");
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0;"
		       "UNTIL=20270330T165959Z", 2027, 3, 1, 0, 0, utc(2027, 3, 20, 0, 0),
		       utc(2027, 4, 8, 0, 0), 200, NULL),
		"2027-03-23 19:00 CET");
	/* COUNT counts instants: 02:30 and 03:30 on the spring-forward Sunday
	 * are one instant, so the fourth is in April. */
	assert_string_equal(
		expand("Europe/Berlin", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2,3;BYMINUTE=30;COUNT=4",
		       2027, 3, 21, 0, 0, utc(2027, 3, 1, 0, 0), utc(2027, 5, 1, 0, 0), 200, NULL),
		"2027-03-21 02:30 CET; 2027-03-21 03:30 CET; 2027-03-28 03:30 CEST; "
		"2027-04-04 02:30 CEST");
}

static void test_rrule_new_parts_round_trip_and_describe(void **state)
{
	(void)state;
	struct rrule r = parse("byweekno=1;freq=yearly;byday=mo;bysetpos=1;wkst=su;"
			       "bymonth=1,12;bysecond=0"), again;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(rrule_format(&r, &sb), 0);
	assert_string_equal(sb.buf, "FREQ=YEARLY;BYMONTH=1,12;BYWEEKNO=1;BYDAY=MO;"
			    "BYSECOND=0;BYSETPOS=1;WKST=SU");
	again = parse(sb.buf);
	assert_memory_equal(&r, &again, sizeof(r));
	sb_release(&sb);
	described("FREQ=DAILY;BYHOUR=9;BYMINUTE=0", 2027, 1, 1, 0, 0, "every day at 09:00");
	described("FREQ=DAILY;INTERVAL=3", 2027, 1, 1, 7, 30, "every 3rd day at 07:30");
	described("FREQ=DAILY;BYDAY=SA,SU;BYMONTH=12", 2027, 1, 1, 10, 0,
		  "every Saturday and Sunday in December at 10:00");
	described("FREQ=YEARLY", 2024, 2, 29, 10, 0, "29 February every year at 10:00");
	described("FREQ=YEARLY;INTERVAL=2;BYMONTH=7;BYMONTHDAY=14", 2027, 1, 1, 12, 0,
		  "the 14th in July every 2nd year at 12:00");
	described("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=18;BYMINUTE=0",
		  2027, 1, 1, 0, 0, "the last of every Monday, Tuesday, Wednesday, Thursday"
		  " and Friday of each month at 18:00");
	described("FREQ=YEARLY;BYYEARDAY=100,-1", 2027, 1, 1, 12, 0,
		  "the 100th day and the last day of the year every year at 12:00");
	described("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", 2027, 1, 1, 9, 0,
		  "every Monday of week 1 every year at 09:00");
	described("FREQ=YEARLY;BYDAY=20MO,-1FR", 2027, 1, 1, 9, 0,
		  "20th Monday and last Friday every year at 09:00");
}

static int teardown(void **state)
{
	(void)state;
	tzdb_clear();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rrule_validation_names_the_part),
		cmocka_unit_test(test_rrule_canonical_form_round_trips),
		cmocka_unit_test(test_rrule_describe_in_english),
		cmocka_unit_test(test_rrule_describe_in_spanish),
		cmocka_unit_test(test_rrule_weekly_keeps_wall_time_across_berlin_dst),
		cmocka_unit_test(test_rrule_time_in_spring_gap_moves_forward_and_fold_takes_first),
		cmocka_unit_test(test_rrule_new_york_gap_and_fold),
		cmocka_unit_test(test_rrule_sydney_southern_hemisphere_dst),
		cmocka_unit_test(test_rrule_apia_skipped_friday_moves_to_saturday),
		cmocka_unit_test(test_rrule_bymonthday_31_skips_short_months),
		cmocka_unit_test(test_rrule_bymonthday_minus_one_is_last_day_in_leap_year),
		cmocka_unit_test(test_rrule_feb_29_only_in_leap_years),
		cmocka_unit_test(test_rrule_fifth_friday_only_when_it_exists),
		cmocka_unit_test(test_rrule_last_friday_and_first_monday_with_interval),
		cmocka_unit_test(test_rrule_wkst_changes_biweekly_sets_rfc5545_example),
		cmocka_unit_test(test_rrule_count_counts_from_dtstart_not_window),
		cmocka_unit_test(test_rrule_until_is_inclusive),
		cmocka_unit_test(test_rrule_dtstart_off_rule_is_not_an_occurrence),
		cmocka_unit_test(test_rrule_window_is_half_open_and_capped),
		cmocka_unit_test(test_rrule_far_window_matches_expansion_from_start),
		cmocka_unit_test(test_rrule_bad_dtstart_refused),
		cmocka_unit_test(test_rrule_never_matching_rule_ends),
		cmocka_unit_test(test_rrule_rules_the_old_subset_refused),
		cmocka_unit_test(test_rrule_until_is_an_instant_in_the_zone),
		cmocka_unit_test(test_rrule_new_parts_round_trip_and_describe),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
