/*
 * civil.c: proleptic Gregorian arithmetic. days_from/from_days use the
 * 400-year era decomposition (146097 days per era, eras start on March 1
 * so the leap day is the last day of the shifted year), which needs no
 * tables and no loops. Invariant: civil_from_days(civil_days_from(y,m,d))
 * gives back (y,m,d) for every valid date.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "banned.h"

int64_t civil_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t civil_floor_mod(int64_t a, int64_t b)
{
	return a - civil_floor_div(a, b) * b;
}

int civil_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int civil_days_in_month(int64_t year, int month)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && civil_is_leap(year))
		return 29;
	return len[month - 1];
}

int64_t civil_days_from(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = civil_floor_div(y, 400);
	int64_t yoe = y - era * 400;                               /* 0..399 */
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* 0..146096 */
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
	z += 719468;
	int64_t era = civil_floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (m <= 2);
	*month = m;
	*day = d;
}

int civil_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)civil_floor_mod(days + 3, 7);
}

int civil_weekday_of(int64_t year, int month, int day)
{
	return civil_weekday(civil_days_from(year, month, day));
}

int64_t civil_to_seconds(const struct civil_time *t)
{
	return civil_days_from(t->year, t->month, t->day) * CIVIL_DAY +
	       t->hour * 3600 + t->minute * 60 + t->second;
}

void civil_from_seconds(int64_t s, struct civil_time *t)
{
	int64_t days = civil_floor_div(s, CIVIL_DAY);
	int64_t sec = s - days * CIVIL_DAY;
	civil_from_days(days, &t->year, &t->month, &t->day);
	t->hour = (int)(sec / 3600);
	t->minute = (int)(sec / 60 % 60);
	t->second = (int)(sec % 60);
}

int civil_valid(const struct civil_time *t)
{
	return t->year >= -CIVIL_YEAR_MAX && t->year <= CIVIL_YEAR_MAX &&
	       t->month >= 1 && t->month <= 12 && t->day >= 1 &&
	       t->day <= civil_days_in_month(t->year, t->month) &&
	       t->hour >= 0 && t->hour <= 23 && t->minute >= 0 &&
	       t->minute <= 59 && t->second >= 0 && t->second <= 59;
}

int civil_cmp(const struct civil_time *a, const struct civil_time *b)
{
	int64_t x[6] = { a->year, a->month, a->day, a->hour, a->minute, a->second };
	int64_t y[6] = { b->year, b->month, b->day, b->hour, b->minute, b->second };
	for (int i = 0; i < 6; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

void civil_add_days(int64_t *year, int *month, int *day, int64_t n)
{
	civil_from_days(civil_days_from(*year, *month, *day) + n, year, month, day);
}

int64_t civil_month_index(int64_t year, int month)
{
	return year * 12 + (month - 1);
}

void civil_from_month_index(int64_t idx, int64_t *year, int *month)
{
	*year = civil_floor_div(idx, 12);
	*month = (int)(idx - *year * 12) + 1;
}

void civil_add_months(int64_t *year, int *month, int *day, int64_t n)
{
	civil_from_month_index(civil_month_index(*year, *month) + n, year, month);
	int len = civil_days_in_month(*year, *month);
	if (*day > len)
		*day = len;
}

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int civil_parse(const char *s, struct civil_time *out)
{
	struct civil_time t = { 0 };
	size_t n = s ? strlen(s) : 0;
	if (n == 15 && s[8] == 'T') {
		t.year = digits(s, 4);
		t.month = digits(s + 4, 2);
		t.day = digits(s + 6, 2);
		t.hour = digits(s + 9, 2);
		t.minute = digits(s + 11, 2);
		t.second = digits(s + 13, 2);
	} else if ((n == 16 || n == 19) && s[4] == '-' && s[7] == '-' &&
		   (s[10] == 'T' || s[10] == ' ') && s[13] == ':' &&
		   (n == 16 || s[16] == ':')) {
		t.year = digits(s, 4);
		t.month = digits(s + 5, 2);
		t.day = digits(s + 8, 2);
		t.hour = digits(s + 11, 2);
		t.minute = digits(s + 14, 2);
		t.second = n == 19 ? digits(s + 17, 2) : 0;
	} else {
		return -1;
	}
	if (t.year < 1 || !civil_valid(&t))
		return -1;
	*out = t;
	return 0;
}

void civil_format(const struct civil_time *t, char buf[20])
{
	/* Fields are reduced to their widths so the output always fits;
	 * a valid time in years 1..9999 is written unchanged. */
	unsigned v[6] = { (unsigned)civil_floor_mod(t->year, 10000),
			  (unsigned)t->month % 100u, (unsigned)t->day % 100u,
			  (unsigned)t->hour % 100u, (unsigned)t->minute % 100u,
			  (unsigned)t->second % 100u };
	snprintf(buf, 20, "%04u-%02u-%02uT%02u:%02u:%02u", v[0], v[1], v[2],
		 v[3], v[4], v[5]);
}
