/* Unit tests for src/core/tzif.c: real zone files from the system tz
 * database (/usr/share/zoneinfo, Debian package tzdata), daylight-saving
 * gaps and folds in both hemispheres, a zone that skipped a whole day,
 * the POSIX TZ footer, and malformed buffers that must be refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/tzif.h"

#define ZONEINFO "/usr/share/zoneinfo/"

static unsigned char *read_zone(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof(path), ZONEINFO "%s", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static struct tz_zone *zone(const char *name)
{
	size_t len;
	unsigned char *buf = read_zone(name, &len);
	struct tz_zone *z = NULL;
	struct px_error err;
	int rc = tz_parse(buf, len, &z, &err);
	if (rc)
		fail_msg("%s: %s", name, px_error_message(&err));
	free(buf);
	return z;
}

static int64_t utc(int64_t y, int mo, int d, int h, int mi)
{
	struct civil_time t = { y, mo, d, h, mi, 0 };
	return civil_to_seconds(&t);
}

static struct tz_resolved resolve(const struct tz_zone *z, int64_t y, int mo,
				  int d, int h, int mi)
{
	struct civil_time t = { y, mo, d, h, mi, 0 };
	struct tz_resolved r;
	assert_int_equal(tz_from_local(z, &t, &r), 0);
	return r;
}

static void assert_local(const struct tz_zone *z, int64_t at, int64_t y, int mo,
			 int d, int h, int mi, int32_t off, const char *abbr)
{
	struct tz_local l;
	assert_int_equal(tz_to_local(z, at, &l), 0);
	assert_int_equal(l.time.year, y);
	assert_int_equal(l.time.month, mo);
	assert_int_equal(l.time.day, d);
	assert_int_equal(l.time.hour, h);
	assert_int_equal(l.time.minute, mi);
	assert_int_equal(l.utoff, off);
	assert_string_equal(l.abbr, abbr);
}

static void test_tzif_berlin_winter_and_summer_offsets(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Europe/Berlin");
	assert_local(z, utc(2027, 1, 15, 12, 0), 2027, 1, 15, 13, 0, 3600, "CET");
	assert_local(z, utc(2027, 7, 15, 12, 0), 2027, 7, 15, 14, 0, 7200, "CEST");
	/* Before 1980 Germany (West) had no summer time. */
	assert_local(z, utc(1975, 7, 1, 12, 0), 1975, 7, 1, 13, 0, 3600, "CET");
	tz_free(z);
}

static void test_tzif_berlin_spring_gap_shifts_forward(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Europe/Berlin");
	/* 2027-03-28: 02:00 CET becomes 03:00 CEST at 01:00 UTC. */
	struct tz_resolved r = resolve(z, 2027, 3, 28, 2, 30);
	assert_int_equal(r.kind, TZ_GAP);
	assert_int_equal(r.shift, 3600);
	assert_int_equal(r.utc, utc(2027, 3, 28, 1, 30));
	assert_local(z, r.utc, 2027, 3, 28, 3, 30, 7200, "CEST");
	r = resolve(z, 2027, 3, 28, 1, 59);
	assert_int_equal(r.kind, TZ_UNIQUE);
	assert_int_equal(r.utc, utc(2027, 3, 28, 0, 59));
	r = resolve(z, 2027, 3, 28, 3, 0);
	assert_int_equal(r.kind, TZ_UNIQUE);
	assert_int_equal(r.utc, utc(2027, 3, 28, 1, 0));
	r = resolve(z, 2027, 3, 28, 2, 0); /* the first missing minute */
	assert_int_equal(r.kind, TZ_GAP);
	assert_int_equal(r.utc, utc(2027, 3, 28, 1, 0));
	tz_free(z);
}

static void test_tzif_berlin_autumn_fold_takes_first(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Europe/Berlin");
	/* 2027-10-31: 03:00 CEST becomes 02:00 CET at 01:00 UTC. */
	struct tz_resolved r = resolve(z, 2027, 10, 31, 2, 30);
	assert_int_equal(r.kind, TZ_FOLD);
	assert_int_equal(r.utc, utc(2027, 10, 31, 0, 30));
	assert_int_equal(r.later, utc(2027, 10, 31, 1, 30));
	assert_local(z, r.utc, 2027, 10, 31, 2, 30, 7200, "CEST");
	assert_local(z, r.later, 2027, 10, 31, 2, 30, 3600, "CET");
	r = resolve(z, 2027, 10, 31, 3, 0);
	assert_int_equal(r.kind, TZ_UNIQUE);
	tz_free(z);
}

static void test_tzif_berlin_footer_rule_far_future(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Europe/Berlin");
	/* Past any table: the footer CET-1CEST,M3.5.0,M10.5.0/3 answers.
	 * 2100-03-28 is the last Sunday of March 2100. */
	struct tz_resolved r = resolve(z, 2100, 3, 28, 2, 30);
	assert_int_equal(r.kind, TZ_GAP);
	r = resolve(z, 2100, 10, 31, 2, 30);
	assert_int_equal(r.kind, TZ_FOLD);
	assert_local(z, utc(2100, 7, 1, 0, 0), 2100, 7, 1, 2, 0, 7200, "CEST");
	tz_free(z);
}

static void test_tzif_table_agrees_with_footer_posix_rule(void **state)
{
	(void)state;
	struct tz_zone *file = zone("Europe/Berlin");
	struct tz_zone *rule = NULL;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &rule, NULL), 0);
	/* Every hour from 1996 (today's EU rule) to 2045. */
	for (int64_t t = utc(1996, 1, 1, 0, 0); t < utc(2045, 1, 1, 0, 0); t += 3600) {
		struct tz_local a, b;
		tz_to_local(file, t, &a);
		tz_to_local(rule, t, &b);
		if (a.utoff != b.utoff || strcmp(a.abbr, b.abbr))
			fail_msg("disagree at %lld", (long long)t);
	}
	tz_free(file);
	tz_free(rule);
}

static void test_tzif_new_york_gap_and_fold(void **state)
{
	(void)state;
	struct tz_zone *z = zone("America/New_York");
	struct tz_resolved r = resolve(z, 2026, 3, 8, 2, 30);
	assert_int_equal(r.kind, TZ_GAP);
	assert_local(z, r.utc, 2026, 3, 8, 3, 30, -4 * 3600, "EDT");
	r = resolve(z, 2026, 11, 1, 1, 30);
	assert_int_equal(r.kind, TZ_FOLD);
	assert_int_equal(r.utc, utc(2026, 11, 1, 5, 30));
	assert_int_equal(r.later, utc(2026, 11, 1, 6, 30));
	assert_local(z, utc(2026, 12, 24, 17, 0), 2026, 12, 24, 12, 0, -5 * 3600, "EST");
	tz_free(z);
}

static void test_tzif_sydney_southern_hemisphere(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Australia/Sydney");
	/* Summer time spans the new year. */
	assert_local(z, utc(2027, 1, 1, 0, 0), 2027, 1, 1, 11, 0, 11 * 3600, "AEDT");
	assert_local(z, utc(2027, 7, 1, 0, 0), 2027, 7, 1, 10, 0, 10 * 3600, "AEST");
	struct tz_resolved r = resolve(z, 2026, 10, 4, 2, 30);
	assert_int_equal(r.kind, TZ_GAP);
	assert_local(z, r.utc, 2026, 10, 4, 3, 30, 11 * 3600, "AEDT");
	r = resolve(z, 2027, 4, 4, 2, 30);
	assert_int_equal(r.kind, TZ_FOLD);
	assert_local(z, r.utc, 2027, 4, 4, 2, 30, 11 * 3600, "AEDT");
	/* Far future through the footer, still southern. */
	assert_local(z, utc(2090, 1, 1, 0, 0), 2090, 1, 1, 11, 0, 11 * 3600, "AEDT");
	tz_free(z);
}

static void test_tzif_apia_skipped_december_30_2011(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Pacific/Apia");
	/* Samoa moved across the date line: Thursday 2011-12-29 23:59:59 -10
	 * was followed by Saturday 2011-12-31 00:00 +14. */
	assert_local(z, utc(2011, 12, 30, 9, 59), 2011, 12, 29, 23, 59, -10 * 3600, "-10");
	assert_local(z, utc(2011, 12, 30, 10, 0), 2011, 12, 31, 0, 0, 14 * 3600, "+14");
	struct tz_resolved r = resolve(z, 2011, 12, 30, 12, 0);
	assert_int_equal(r.kind, TZ_GAP);
	assert_int_equal(r.shift, 86400);
	assert_local(z, r.utc, 2011, 12, 31, 12, 0, 14 * 3600, "+14");
	tz_free(z);
}

static void test_tzif_utc_zone_has_no_transitions(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Etc/UTC");
	int64_t next;
	assert_int_equal(tz_next_transition(z, 0, &next), 0);
	assert_local(z, 86400, 1970, 1, 2, 0, 0, 0, "UTC");
	tz_free(z);
}

static void test_tzif_next_transition_table_and_footer(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Europe/Berlin");
	int64_t next;
	assert_int_equal(tz_next_transition(z, utc(2027, 1, 1, 0, 0), &next), 1);
	assert_int_equal(next, utc(2027, 3, 28, 1, 0));
	assert_int_equal(tz_next_transition(z, next, &next), 1);
	assert_int_equal(next, utc(2027, 10, 31, 1, 0));
	assert_int_equal(tz_next_transition(z, utc(2200, 11, 1, 0, 0), &next), 1);
	assert_int_equal(next, utc(2201, 3, 29, 1, 0)); /* last Sunday of March */
	tz_free(z);
}

static void test_tzif_version1_data_is_read(void **state)
{
	(void)state;
	size_t len;
	unsigned char *buf = read_zone("America/New_York", &len);
	/* Keep only the header and the 32-bit block; mark it version 1. */
	uint32_t c[6];
	for (int i = 0; i < 6; i++)
		c[i] = (uint32_t)buf[20 + 4 * i] << 24 | buf[21 + 4 * i] << 16 |
		       buf[22 + 4 * i] << 8 | buf[23 + 4 * i];
	size_t v1 = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
	buf[4] = 0;
	struct tz_zone *z = NULL;
	assert_int_equal(tz_parse(buf, v1, &z, NULL), 0);
	if (c[3]) { /* a "slim" file may keep no 32-bit data at all */
		struct tz_resolved r = resolve(z, 2026, 11, 1, 1, 30);
		assert_int_equal(r.kind, TZ_FOLD);
	}
	tz_free(z);
	free(buf);
}

static void test_tzif_every_truncation_is_refused(void **state)
{
	(void)state;
	size_t len;
	unsigned char *buf = read_zone("Europe/Berlin", &len);
	for (size_t n = 0; n < len; n++) {
		unsigned char *copy = malloc(n ? n : 1); /* exact size for ASan */
		memcpy(copy, buf, n);
		struct tz_zone *z = NULL;
		struct px_error err;
		int rc = tz_parse(copy, n, &z, &err);
		if (rc != PX_E_BAD_TZIF)
			fail_msg("prefix of %zu bytes: rc %d", n, rc);
		assert_null(z);
		free(copy);
	}
	free(buf);
}

static void test_tzif_bad_magic_and_version_refused(void **state)
{
	(void)state;
	size_t len;
	unsigned char *buf = read_zone("Europe/Berlin", &len);
	struct tz_zone *z = NULL;
	struct px_error err;
	buf[0] = 'X';
	assert_int_equal(tz_parse(buf, len, &z, &err), PX_E_BAD_TZIF);
	assert_string_equal(err.detail, "bad magic");
	buf[0] = 'T';
	buf[4] = '9';
	assert_int_equal(tz_parse(buf, len, &z, &err), PX_E_BAD_TZIF);
	assert_null(z);
	free(buf);
}

/* A small hand-built version 2 file, to break one field at a time. */
struct fake {
	unsigned char b[512];
	size_t n;
};

static void put32(struct fake *f, uint32_t v)
{
	f->b[f->n++] = (unsigned char)(v >> 24);
	f->b[f->n++] = (unsigned char)(v >> 16);
	f->b[f->n++] = (unsigned char)(v >> 8);
	f->b[f->n++] = (unsigned char)v;
}

static void header(struct fake *f, uint32_t timecnt, uint32_t typecnt,
		   uint32_t charcnt, uint32_t leapcnt)
{
	memcpy(f->b + f->n, "TZif2", 5);
	memset(f->b + f->n + 5, 0, 15);
	f->n += 20;
	put32(f, 0);
	put32(f, 0);
	put32(f, leapcnt);
	put32(f, timecnt);
	put32(f, typecnt);
	put32(f, charcnt);
}

/* Two transitions between types 0 (+1h "AAA") and 1 (+2h "BBB"). */
static void build(struct fake *f, int64_t t0, int64_t t1, int idx1,
		  const char *footer, uint32_t leapcnt)
{
	memset(f, 0, sizeof(*f));
	header(f, 0, 1, 4, 0); /* an empty version 1 block: one type */
	put32(f, 0);
	f->b[f->n++] = 0;
	f->b[f->n++] = 0;
	memcpy(f->b + f->n, "UTC", 4);
	f->n += 4;
	header(f, 2, 2, 8, leapcnt);
	put32(f, (uint32_t)((uint64_t)t0 >> 32));
	put32(f, (uint32_t)t0);
	put32(f, (uint32_t)((uint64_t)t1 >> 32));
	put32(f, (uint32_t)t1);
	f->b[f->n++] = 1;
	f->b[f->n++] = (unsigned char)idx1;
	put32(f, 3600);
	f->b[f->n++] = 0;
	f->b[f->n++] = 0;
	put32(f, 7200);
	f->b[f->n++] = 1;
	f->b[f->n++] = 4;
	memcpy(f->b + f->n, "AAA\0BBB\0", 8);
	f->n += 8;
	for (uint32_t i = 0; i < leapcnt; i++) {
		put32(f, 0);
		put32(f, 0);
		put32(f, 1);
	}
	f->n += (size_t)snprintf((char *)f->b + f->n, 100, "\n%s\n", footer);
}

static void test_tzif_hand_built_file_parses(void **state)
{
	(void)state;
	struct fake f;
	struct tz_zone *z = NULL;
	build(&f, 1000000, 2000000, 0, "AAA-1", 0);
	assert_int_equal(tz_parse(f.b, f.n, &z, NULL), 0);
	assert_local(z, 1500000, 1970, 1, 18, 10, 40, 7200, "BBB");
	assert_local(z, 0, 1970, 1, 1, 1, 0, 3600, "AAA"); /* before: type 0 */
	tz_free(z);
}

static void test_tzif_unordered_transitions_refused(void **state)
{
	(void)state;
	struct fake f;
	struct tz_zone *z = NULL;
	struct px_error err;
	build(&f, 2000000, 1000000, 0, "AAA-1", 0);
	assert_int_equal(tz_parse(f.b, f.n, &z, &err), PX_E_BAD_TZIF);
	assert_string_equal(err.detail, "transition times not increasing");
}

static void test_tzif_missing_type_index_refused(void **state)
{
	(void)state;
	struct fake f;
	struct tz_zone *z = NULL;
	struct px_error err;
	build(&f, 1000000, 2000000, 7, "AAA-1", 0);
	assert_int_equal(tz_parse(f.b, f.n, &z, &err), PX_E_BAD_TZIF);
	assert_string_equal(err.detail, "transition names a missing type");
}

static void test_tzif_bad_footer_refused(void **state)
{
	(void)state;
	struct fake f;
	struct tz_zone *z = NULL;
	struct px_error err;
	build(&f, 1000000, 2000000, 0, "AAA-1BBB,M13.1.0,M1.1.0", 0);
	assert_int_equal(tz_parse(f.b, f.n, &z, &err), PX_E_BAD_TZIF);
	assert_string_equal(err.detail, "bad TZ string in footer");
	build(&f, 1000000, 2000000, 0, "AAA-1", 0);
	f.n--; /* no closing newline */
	assert_int_equal(tz_parse(f.b, f.n, &z, &err), PX_E_BAD_TZIF);
}

static void test_tzif_leap_second_zone_refused(void **state)
{
	(void)state;
	struct fake f;
	struct tz_zone *z = NULL;
	struct px_error err;
	build(&f, 1000000, 2000000, 0, "AAA-1", 1);
	assert_int_equal(tz_parse(f.b, f.n, &z, &err), PX_E_BAD_TZIF);
	assert_string_equal(err.detail, "leap-second zones are not supported");
}

static void test_tzif_huge_counts_refused_without_allocating(void **state)
{
	(void)state;
	struct fake f;
	struct tz_zone *z = NULL;
	build(&f, 1000000, 2000000, 0, "AAA-1", 0);
	/* timecnt of the 64-bit header: 0xffffffff. */
	size_t second = 44 + 6 + 4;
	memset(f.b + second + 32, 0xff, 4);
	assert_int_equal(tz_parse(f.b, f.n, &z, NULL), PX_E_BAD_TZIF);
	assert_int_equal(tz_parse(NULL, 0, &z, NULL), PX_E_BAD_TZIF);
}

static void test_tzif_posix_strings(void **state)
{
	(void)state;
	struct tz_zone *z = NULL;
	/* Quoted names and half-hour offsets. */
	assert_int_equal(tz_parse_posix("<+0330>-3:30", &z, NULL), 0);
	assert_local(z, 0, 1970, 1, 1, 3, 30, 12600, "+0330");
	tz_free(z);
	/* Julian day rules: J60 is March 1 every year. */
	assert_int_equal(tz_parse_posix("AAA0BBB,J60/0,J300/0", &z, NULL), 0);
	assert_local(z, utc(2028, 3, 1, 0, 0), 2028, 3, 1, 1, 0, 3600, "BBB");
	assert_local(z, utc(2028, 2, 29, 23, 0), 2028, 2, 29, 23, 0, 0, "AAA");
	tz_free(z);
	/* DST all year (RFC 8536 section 3.3.1 allows it). */
	assert_int_equal(tz_parse_posix("EST5EDT,0/0,J365/25", &z, NULL), 0);
	assert_local(z, utc(2030, 6, 1, 12, 0), 2030, 6, 1, 8, 0, -4 * 3600, "EDT");
	assert_local(z, utc(2030, 1, 1, 12, 0), 2030, 1, 1, 8, 0, -4 * 3600, "EDT");
	tz_free(z);
	/* The default rule when none is given (US: M3.2.0,M11.1.0). */
	assert_int_equal(tz_parse_posix("EST5EDT", &z, NULL), 0);
	assert_local(z, utc(2026, 7, 1, 12, 0), 2026, 7, 1, 8, 0, -4 * 3600, "EDT");
	tz_free(z);
	/* Transition times past 24h (RFC 8536 extension), e.g. Greenland. */
	assert_int_equal(tz_parse_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", &z, NULL), 0);
	tz_free(z);
	const char *bad[] = { "", "A", "CET", "CET-1CEST,M3.5.0", "CET-1CEST,M3.6.0,M10.5.0",
			      "CET-25", "CET-1CEST,J0,J10", "<CET-1", "CET-1:5",
			      "CET-1CEST,M3.5.0,M10.5.0/200", "CET-1 " };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tz_parse_posix(bad[i], &z, NULL) != PX_E_BAD_TZIF)
			fail_msg("accepted '%s'", bad[i]);
		assert_null(z);
	}
}

static void test_tzif_out_of_range_instants(void **state)
{
	(void)state;
	struct tz_zone *z = zone("Europe/Berlin");
	struct tz_local l;
	assert_int_equal(tz_to_local(z, INT64_MAX, &l), PX_E_OUT_OF_RANGE);
	assert_int_equal(tz_to_local(z, INT64_MIN, &l), PX_E_OUT_OF_RANGE);
	struct civil_time bad = { 2027, 2, 29, 0, 0, 0 };
	struct tz_resolved r;
	assert_int_equal(tz_from_local(z, &bad, &r), PX_E_OUT_OF_RANGE);
	tz_free(z);
}

/* to_local then from_local must give the instant back (or, in a fold,
 * one of its two occurrences), every 15 minutes over the years given. */
static void round_trips(const struct tz_zone *z, int64_t y0, int64_t y1)
{
	for (int64_t t = utc(y0, 1, 1, 0, 0); t < utc(y1, 1, 1, 0, 0); t += 900) {
		struct tz_local l;
		struct tz_resolved r;
		assert_int_equal(tz_to_local(z, t, &l), 0);
		assert_int_equal(tz_from_local(z, &l.time, &r), 0);
		if (r.kind == TZ_GAP || (r.utc != t && r.later != t))
			fail_msg("instant %lld: kind %d, %lld/%lld", (long long)t,
				 r.kind, (long long)r.utc, (long long)r.later);
	}
}

static void test_tzif_round_trip_every_quarter_hour_four_zones(void **state)
{
	(void)state;
	const char *names[] = { "Europe/Berlin", "America/New_York",
				"Australia/Sydney", "Pacific/Apia" };
	for (size_t i = 0; i < 4; i++) {
		struct tz_zone *z = zone(names[i]);
		round_trips(z, 2009, 2014);
		round_trips(z, 2036, 2040); /* across the end of the table */
		tz_free(z);
	}
}

static void test_tzif_odd_footer_rule_consistent_across_years(void **state)
{
	(void)state;
	/* Found by fuzz_tzif: DST from the first Sunday of January to
	 * January 4, whose start and end swap order from year to year. */
	struct tz_zone *z = NULL;
	assert_int_equal(tz_parse_posix("ST0EdT,M1.1.0,3", &z, NULL), 0);
	round_trips(z, 2020, 2030);
	tz_free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tzif_berlin_winter_and_summer_offsets),
		cmocka_unit_test(test_tzif_berlin_spring_gap_shifts_forward),
		cmocka_unit_test(test_tzif_berlin_autumn_fold_takes_first),
		cmocka_unit_test(test_tzif_berlin_footer_rule_far_future),
		cmocka_unit_test(test_tzif_table_agrees_with_footer_posix_rule),
		cmocka_unit_test(test_tzif_new_york_gap_and_fold),
		cmocka_unit_test(test_tzif_sydney_southern_hemisphere),
		cmocka_unit_test(test_tzif_apia_skipped_december_30_2011),
		cmocka_unit_test(test_tzif_utc_zone_has_no_transitions),
		cmocka_unit_test(test_tzif_next_transition_table_and_footer),
		cmocka_unit_test(test_tzif_version1_data_is_read),
		cmocka_unit_test(test_tzif_every_truncation_is_refused),
		cmocka_unit_test(test_tzif_bad_magic_and_version_refused),
		cmocka_unit_test(test_tzif_hand_built_file_parses),
		cmocka_unit_test(test_tzif_unordered_transitions_refused),
		cmocka_unit_test(test_tzif_missing_type_index_refused),
		cmocka_unit_test(test_tzif_bad_footer_refused),
		cmocka_unit_test(test_tzif_leap_second_zone_refused),
		cmocka_unit_test(test_tzif_huge_counts_refused_without_allocating),
		cmocka_unit_test(test_tzif_posix_strings),
		cmocka_unit_test(test_tzif_out_of_range_instants),
		cmocka_unit_test(test_tzif_round_trip_every_quarter_hour_four_zones),
		cmocka_unit_test(test_tzif_odd_footer_rule_consistent_across_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
