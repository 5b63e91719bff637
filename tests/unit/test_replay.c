/* Unit tests for src/gov/replay: every table and column of the schema is
 * either compared or declared operational (a new one must be placed); an
 * empty journal replays to an empty state equal to the live one; replay
 * refuses a store not opened for it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/replay/replay.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct px_error err = { 0 };
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-replay-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[200];
	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void test_replay_every_table_and_column_is_classified(void **state)
{
	struct fixture *f = *state;
	char what[200] = "";
	assert_int_equal(replay_unclassified(f->s, what, sizeof(what)), 0);
	assert_string_equal(what, "");
}

static void test_replay_a_new_table_or_column_must_be_placed(void **state)
{
	struct fixture *f = *state;
	char what[200] = "";
	assert_int_equal(sqlite3_exec(store_db(f->s), "CREATE TABLE zz_new (x INTEGER)",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(replay_unclassified(f->s, what, sizeof(what)), 1);
	assert_string_equal(what, "table zz_new");
	assert_int_equal(sqlite3_exec(store_db(f->s), "ALTER TABLE laws ADD COLUMN note TEXT",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(replay_unclassified(f->s, what, sizeof(what)), 1);
	assert_string_equal(what, "column laws.note"); /* tables in name order */
}

static void test_replay_empty_journal_replays_to_the_same_state(void **state)
{
	struct fixture *f = *state;
	struct px_error err = { 0 };
	struct store *out = NULL;
	struct replay_report r;
	struct replay_diff d;
	assert_int_equal(store_open(":memory:", STORE_CREATE | STORE_REPLAY, &out, &err), 0);
	assert_int_equal(store_replaying(out), 1);
	assert_int_equal(replay_run(f->s, out, &r, NULL, NULL), 0);
	assert_true(r.ok);
	assert_int_equal(r.entries, 0);
	assert_int_equal(replay_compare(f->s, out, &d), 0);
	assert_false(d.differs);
	/* the node's key and the signed head of the empty journal came along */
	sqlite3_stmt *st = store_stmt(out, "SELECT (SELECT count(*) FROM node),"
					   " (SELECT seq FROM journal_head)");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	sqlite3_reset(st);
	store_close(out);
}

static void test_replay_refuses_a_store_not_opened_for_it(void **state)
{
	struct fixture *f = *state;
	struct replay_report r;
	assert_int_equal(replay_run(f->s, f->s, &r, NULL, NULL), PX_E_INTERNAL);
	struct px_error err = { 0 };
	struct store *out = NULL;
	/* a replay creates its database */
	assert_int_not_equal(store_open(f->path, STORE_REPLAY, &out, &err), 0);
	assert_null(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_replay_every_table_and_column_is_classified),
		T(test_replay_a_new_table_or_column_must_be_placed),
		T(test_replay_empty_journal_replays_to_the_same_state),
		T(test_replay_refuses_a_store_not_opened_for_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
