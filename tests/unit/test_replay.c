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
#include "store/journal.h"
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

/* Entries written straight into the journal, in one transaction. */
struct entries {
	const char *const (*rows)[3]; /* action, actor, payload */
	size_t n;
};

static int append_entries(struct store *s, void *arg)
{
	const struct entries *e = arg;
	int rc = 0;
	for (size_t i = 0; !rc && i < e->n; i++) {
		json_t *p = json_loads(e->rows[i][2], 0, NULL);
		rc = p ? journal_append(s, 1772445600 + (int64_t)i, e->rows[i][1], NULL,
					e->rows[i][0], p, NULL) : PX_E_INTERNAL;
		json_decref(p);
	}
	return rc;
}

static void replay_stops_at(struct fixture *f, const char *const (*rows)[3], size_t n,
			    int64_t seq, const char *action, const char *reason)
{
	struct entries e = { rows, n };
	struct px_error err = { 0 };
	struct store *out = NULL;
	struct replay_report r;
	assert_int_equal(store_tx(f->s, append_entries, &e), 0);
	assert_int_equal(store_open(":memory:", STORE_CREATE | STORE_REPLAY, &out, &err), 0);
	assert_int_equal(replay_run(f->s, out, &r, NULL, NULL), 0);
	assert_false(r.ok);
	assert_int_equal(r.failed_seq, seq);
	assert_string_equal(r.action, action);
	if (!strstr(r.reason, reason))
		fail_msg("reason: %s", r.reason);
	store_close(out);
}

/* An entry the table's row rules apply stops the replay, naming why,
 * when its payload lacks a field the row reads or the row it should
 * change is not there. */
static void test_replay_row_rules_stop_at_what_they_cannot_apply(void **state)
{
	static const char *const missing[][3] = {
		{ "account.create", "amara", "{\"handle\":\"amara\"}" },
	};
	replay_stops_at(*state, missing, 1, 1, "account.create",
			"the payload has no text field \"display_name\"");
}

static void test_replay_row_rules_refuse_a_change_of_nothing(void **state)
{
	static const char *const rows[][3] = {
		{ "account.create", "amara", "{\"handle\":\"amara\",\"display_name\":\"Amara\"}" },
		{ "vote.change", "amara", "{\"motion\":1,\"round\":1,\"voter\":\"amara\","
		  "\"position\":\"no\",\"was\":\"yes\"}" },
	};
	replay_stops_at(*state, rows, 2, 2, "vote.change",
			"no open vote \"yes\" of amara to change");
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
		T(test_replay_row_rules_stop_at_what_they_cannot_apply),
		T(test_replay_row_rules_refuse_a_change_of_nothing),
		T(test_replay_refuses_a_store_not_opened_for_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
