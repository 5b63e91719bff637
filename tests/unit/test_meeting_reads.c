/* Meetings are made on write paths and by the server's clock, never by a
 * read: founding makes a year of regular meetings at once; the list and
 * the calendar write nothing, even when the kept window has moved on and
 * they would once have made rows; gov_meetings_materialise extends the
 * window and makes each row once. A clock the test controls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/people/people.h"
#include "gov/assembly/assembly.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"

/* Monday 2 March 2026, 10:00 UTC; meetings on Tuesdays 19:00 in Berlin. */
#define T0 1772445600LL
#define DAY 86400LL

struct fx {
	char dir[64], path[128];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct px_error err = { 0 };
	struct gov_ctx c = { 0 };
	json_t *out;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/m.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &err))
		return -1;
	c.db = f->s;
	c.now = T0;
	c.operator = 1;
	if (gov_community_add(&c, "harbour", "Harbour", 18400, &out, &err))
		return -1;
	json_decref(out);
	c.operator = 0;
	if (gov_account_create(&c, "amara", "Amara", "a long passphrase", &out, &err))
		return -1;
	json_decref(out);
	c.account_id = 1;
	snprintf(c.handle, sizeof(c.handle), "amara");
	json_t *rule = json_loads("{\"default\":{\"kind\":\"simple_majority\"}}", 0, NULL);
	json_t *sched = json_pack("{s:s, s:s, s:s}", "rrule",
		"FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0", "tz", "Europe/Berlin",
		"place", "Fishermen's Hall");
	struct body_found in = { "Harbour Assembly", NULL, "harbour",
				 "We meet as equals.", rule, sched, NULL, NULL };
	int rc = gov_body_found(&c, &in, &out, &err);
	json_decref(rule);
	json_decref(sched);
	json_decref(out);
	if (rc)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];
	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int64_t scalar(struct fx *f, const char *sql)
{
	sqlite3_stmt *st = store_stmt(f->s, sql);
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static void test_meeting_founding_makes_a_year_of_meetings_at_once(void **state)
{
	struct fx *f = *state;
	/* Tuesdays from 3 March 2026 (nothing before the founding) to a
	 * year and a day ahead: 3 March 2026 .. 2 March 2027, 53 of them */
	assert_int_equal(scalar(f, "SELECT count(*) FROM meetings"), 53);
	assert_true(scalar(f, "SELECT max(starts_at) FROM meetings") > T0 + 359 * DAY);
}

struct read_args {
	struct gov_ctx *ctx;
	json_t *list;
	char *ics;
	struct px_error *err;
};

static int read_both(struct store *s, void *arg)
{
	struct read_args *a = arg;
	(void)s;
	int rc = gov_meeting_list(a->ctx, "harbour", &a->list, a->err);
	return rc ? rc : gov_meeting_calendar(a->ctx, "harbour", NULL, &a->ics, a->err);
}

static void test_meeting_list_and_calendar_write_nothing(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	/* 90 days on, the kept window reaches further than the rows: a read
	 * that made meetings would make 12 here */
	struct gov_ctx c = { .db = f->s, .now = T0 + 90 * DAY };
	int64_t rows = scalar(f, "SELECT count(*) FROM meetings");
	int changes = sqlite3_total_changes(store_db(f->s));
	struct read_args a = { &c, NULL, NULL, &err };
	/* inside a read transaction, where any write would fail */
	assert_int_equal(store_read(f->s, read_both, &a), 0);
	assert_int_equal(sqlite3_total_changes(store_db(f->s)), changes);
	assert_int_equal(scalar(f, "SELECT count(*) FROM meetings"), rows);
	/* the horizon of a year: the list still shows its 12 coming meetings */
	json_t *up = json_object_get(a.list, "upcoming");
	assert_int_equal(json_array_size(up), 12);
	assert_true(json_integer_value(json_object_get(json_array_get(up, 0), "starts_at"))
		    > c.now);
	assert_non_null(strstr(a.ics, "BEGIN:VEVENT"));
	json_decref(a.list);
	free(a.ics);
}

static void test_meeting_materialise_extends_the_window_once(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	struct gov_ctx c = { .db = f->s, .now = T0, .operator = 1 };
	int64_t made = -1;
	/* at the founding moment everything is there already */
	assert_int_equal(gov_meetings_materialise(&c, &made, &err), 0);
	assert_int_equal(made, 0);
	/* 90 days on: the 12 Tuesdays between a year after the founding and
	 * a year after now (9 March to 25 May 2027) */
	c.now = T0 + 90 * DAY;
	assert_int_equal(gov_meetings_materialise(&c, &made, &err), 0);
	assert_int_equal(made, 12);
	assert_int_equal(scalar(f, "SELECT count(*) FROM meetings"), 53 + 12);
	assert_int_equal(gov_meetings_materialise(&c, &made, &err), 0);
	assert_int_equal(made, 0);
	assert_int_equal(scalar(f, "SELECT count(*) FROM meetings"), 53 + 12);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_meeting_founding_makes_a_year_of_meetings_at_once),
		T(test_meeting_list_and_calendar_write_nothing),
		T(test_meeting_materialise_extends_the_window_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
