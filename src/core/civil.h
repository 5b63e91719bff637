/*
 * civil.h: proleptic Gregorian calendar arithmetic on plain integers.
 *
 * Days are counted from 1970-01-01 (day 0), seconds from 1970-01-01T00:00:00
 * in the same "civil" frame; nothing here knows about time zones, leap
 * seconds or the clock, and nothing uses libc time functions (which keep
 * global state). Weekdays follow ISO 8601 and RFC 5545: 0 = Monday ...
 * 6 = Sunday. Years are int64_t so that any int64_t second count maps to a
 * date without overflow; months are 1..12, days 1..31.
 */
#ifndef PNYX_CIVIL_H
#define PNYX_CIVIL_H

#include <stdint.h>

#define CIVIL_DAY 86400

/* A wall-clock date and time, without zone. */
struct civil_time {
	int64_t year;
	int month;  /* 1..12 */
	int day;    /* 1..days in month */
	int hour;   /* 0..23 */
	int minute; /* 0..59 */
	int second; /* 0..59 (no leap seconds) */
};

int civil_is_leap(int64_t year);
int civil_days_in_month(int64_t year, int month);

/* Days from 1970-01-01 to year-month-day; month and day must be valid
 * (month 1..12, day 1..31; a day past the month's end rolls over). */
int64_t civil_days_from(int64_t year, int month, int day);
void civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* 0 = Monday ... 6 = Sunday. */
int civil_weekday(int64_t days);
int civil_weekday_of(int64_t year, int month, int day);

/* Floor division and modulo, for negative counts. */
int64_t civil_floor_div(int64_t a, int64_t b);
int64_t civil_floor_mod(int64_t a, int64_t b);

/* Seconds of the civil frame <-> broken-down time. to_seconds requires a
 * valid time (civil_valid) with |year| <= CIVIL_YEAR_MAX. */
#define CIVIL_YEAR_MAX 100000000LL
int64_t civil_to_seconds(const struct civil_time *t);
void civil_from_seconds(int64_t s, struct civil_time *t);

/* 1 when every field is in range (year within +-CIVIL_YEAR_MAX). */
int civil_valid(const struct civil_time *t);

/* Compare two civil times: <0, 0, >0. */
int civil_cmp(const struct civil_time *a, const struct civil_time *b);

/* Add n days (any sign) to a date. */
void civil_add_days(int64_t *year, int *month, int *day, int64_t n);

/* Add n months (any sign); the day is clamped to the new month's length
 * (Jan 31 + 1 month = Feb 28 or 29). */
void civil_add_months(int64_t *year, int *month, int *day, int64_t n);

/* Month index year*12 + (month-1), and back: handy for monthly steps. */
int64_t civil_month_index(int64_t year, int month);
void civil_from_month_index(int64_t idx, int64_t *year, int *month);

/*
 * Parse a local date-time: "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS"
 * (ISO 8601, a space may replace the T) or "YYYYMMDDTHHMMSS" (RFC 5545
 * local form), years 0001..9999. No zone designator: a trailing "Z" or
 * offset is refused, since a schedule's times are wall-clock times in its
 * own zone. Returns 0 or -1.
 */
int civil_parse(const char *s, struct civil_time *out);

/* Write "YYYY-MM-DDTHH:MM:SS" (19 characters and a NUL) into buf[20]. */
void civil_format(const struct civil_time *t, char buf[20]);

#endif
