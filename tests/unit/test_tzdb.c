/* Unit tests for src/gov/assembly/tzdb.c: zone names that could escape the tz
 * database are refused before any file is opened, unknown zones are
 * refused, and the cache hands every thread the same parsed zone. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "core/tzif.h"
#include "gov/assembly/assembly.h"

static void test_tzdb_name_shapes(void **state)
{
	(void)state;
	const char *good[] = { "Europe/Berlin", "America/Argentina/Buenos_Aires",
			       "Etc/GMT+5", "Etc/GMT-14", "America/Port-au-Prince", "UTC" };
	const char *bad[] = { "", "/etc/passwd", "../etc/passwd", "Europe/../../etc/passwd",
			      "Europe/..", "Europe//Berlin", "Europe/", "Europe/Berlin\n",
			      "Europe/Ber lin", "Europe\\Berlin", "Europe/Berlin.tab",
			      "Ευρώπη/Βερολίνο",
			      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!tzdb_name_ok(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tzdb_name_ok(bad[i]))
			fail_msg("accepted %s", bad[i]);
	assert_false(tzdb_name_ok(NULL));
}

static void test_tzdb_traversal_refused_with_field(void **state)
{
	(void)state;
	const struct tz_zone *z = NULL;
	struct px_error err;
	assert_int_equal(tzdb_get("../../../etc/passwd", &z, &err), PX_E_UNKNOWN_ZONE);
	assert_string_equal(err.field, "time_zone");
	assert_null(z);
	assert_int_equal(tzdb_get("/etc/passwd", &z, &err), PX_E_UNKNOWN_ZONE);
}

static void test_tzdb_unknown_zone_and_directory_refused(void **state)
{
	(void)state;
	const struct tz_zone *z = NULL;
	struct px_error err;
	assert_int_equal(tzdb_get("Mars/Olympus_Mons", &z, &err), PX_E_UNKNOWN_ZONE);
	assert_non_null(strstr(err.detail, "Mars/Olympus_Mons"));
	assert_int_equal(tzdb_get("Europe", &z, &err), PX_E_UNKNOWN_ZONE);
	assert_null(z);
}

static void test_tzdb_non_tzif_file_refused(void **state)
{
	(void)state;
	struct tz_zone *z = NULL;
	struct px_error err;
	/* A file that is not a zone, and a leap-second zone. */
	assert_int_equal(tzdb_load("/etc", "passwd", &z, &err), PX_E_UNKNOWN_ZONE);
	assert_string_equal(err.detail, "'passwd' is not a usable time zone (bad magic)");
	assert_null(z);
	assert_int_equal(tzdb_load(TZDB_DIR, "right/Europe/Berlin", &z, &err),
			 PX_E_UNKNOWN_ZONE);
	assert_null(z);
	const struct tz_zone *cz;
	assert_int_equal(tzdb_get("leapseconds", &cz, &err), PX_E_UNKNOWN_ZONE);
}

static void test_tzdb_cache_returns_same_zone(void **state)
{
	(void)state;
	const struct tz_zone *a = NULL, *b = NULL;
	assert_int_equal(tzdb_get("Europe/Berlin", &a, NULL), 0);
	assert_int_equal(tzdb_get("Europe/Berlin", &b, NULL), 0);
	assert_ptr_equal(a, b);
	struct tz_local l;
	assert_int_equal(tz_to_local(a, 1800000000, &l), 0);
	assert_string_equal(l.abbr, "CET");
	tzdb_clear();
}

static const char *const names[] = { "Europe/Berlin", "America/New_York",
	"Australia/Sydney", "Pacific/Apia", "Asia/Kolkata", "Africa/Casablanca" };
#define NNAMES (sizeof(names) / sizeof(names[0]))

struct job {
	const struct tz_zone *got[NNAMES];
	int rc;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	for (int round = 0; round < 50; round++)
		for (size_t i = 0; i < NNAMES; i++) {
			const struct tz_zone *z;
			j->rc |= tzdb_get(names[(i + round) % NNAMES], &z, NULL);
			j->got[(i + round) % NNAMES] = z;
		}
	return NULL;
}

static void test_tzdb_threads_share_one_zone_each(void **state)
{
	(void)state;
	pthread_t t[4];
	struct job jobs[4];
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(jobs[i].rc, 0);
		for (size_t k = 0; k < NNAMES; k++)
			assert_ptr_equal(jobs[i].got[k], jobs[0].got[k]);
	}
	tzdb_clear();
}

static void test_tzdb_names_sorted_and_each_loads(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(tzdb_names(&sb, NULL), 0);
	assert_non_null(strstr(sb.buf, "\nEurope/Berlin\n"));
	assert_non_null(strstr(sb.buf, "\nAmerica/New_York\n"));
	assert_non_null(strstr(sb.buf, "\nUTC\n"));
	size_t count = 0;
	char prev[TZDB_NAME_MAX + 1] = "";
	for (char *line = sb.buf; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		assert_true(strcmp(prev, line) < 0);
		const struct tz_zone *z;
		if (tzdb_get(line, &z, NULL))
			fail_msg("listed but not loadable: %s", line);
		snprintf(prev, sizeof(prev), "%s", line);
		count++;
		line = nl + 1;
	}
	assert_true(count > 250);
	sb_release(&sb);
	tzdb_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tzdb_name_shapes),
		cmocka_unit_test(test_tzdb_traversal_refused_with_field),
		cmocka_unit_test(test_tzdb_unknown_zone_and_directory_refused),
		cmocka_unit_test(test_tzdb_non_tzif_file_refused),
		cmocka_unit_test(test_tzdb_cache_returns_same_zone),
		cmocka_unit_test(test_tzdb_threads_share_one_zone_each),
		cmocka_unit_test(test_tzdb_names_sorted_and_each_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
