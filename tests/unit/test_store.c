/* Unit tests for src/store/store.c: creation, migrations, the statement
 * cache, the transaction helper (commit, rollback, retry while busy),
 * online backup and the rotation of the node key. Each test uses its own temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/migrations.h"
#include "core/strbuf.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	struct px_error err = { 0 };
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

static void test_store_create_makes_key_file_private(void **state)
{
	struct fixture *f = *state;
	char key[160];
	struct stat st;
	snprintf(key, sizeof(key), "%s.key", f->path);
	assert_int_equal(stat(key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 64);
	assert_true(store_has_key(f->s));
	assert_true(store_schema_version(f->s) >= 1);
}

static void test_store_create_refuses_existing_file(void **state)
{
	struct fixture *f = *state;
	struct store *s2 = NULL;
	struct px_error err = { 0 };
	assert_int_equal(store_open(f->path, STORE_CREATE, &s2, &err), PX_E_EXISTS);
	assert_null(s2);
	assert_string_equal(err.field, "db");
}

static void test_store_open_refuses_missing_file(void **state)
{
	struct fixture *f = *state;
	char other[160];
	struct store *s2 = NULL;
	struct px_error err = { 0 };
	snprintf(other, sizeof(other), "%s/none.db", f->dir);
	assert_int_equal(store_open(other, 0, &s2, &err), PX_E_NOT_FOUND);
	assert_null(s2);
	assert_int_equal(access(other, F_OK), -1);
}

static void test_store_runs_in_wal_with_foreign_keys(void **state)
{
	struct fixture *f = *state;
	sqlite3_stmt *st = store_stmt(f->s, "PRAGMA journal_mode");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	st = store_stmt(f->s, "PRAGMA foreign_keys");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	st = store_stmt(f->s, "PRAGMA synchronous");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
	sqlite3_reset(st);
}

static void test_store_reopen_keeps_schema_version(void **state)
{
	struct fixture *f = *state;
	int v = store_schema_version(f->s);
	struct store *s2 = NULL;
	struct px_error err = { 0 };
	assert_int_equal(store_open(f->path, 0, &s2, &err), 0);
	assert_int_equal(store_schema_version(s2), v);
	sqlite3_stmt *st = store_stmt(s2, "SELECT count(*) FROM schema_version");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	/* each applied once (numbers may have gaps: branches number their
	 * migrations apart, and the list is applied in its order) */
	int n = 0;
	for (const struct migration *m = migrations; m->sql; m++)
		n++;
	assert_int_equal(sqlite3_column_int(st, 0), n);
	sqlite3_reset(st);
	store_close(s2);
}

static void test_store_stmt_cache_returns_same_statement(void **state)
{
	struct fixture *f = *state;
	static const char sql[] = "SELECT ?1 + 1";
	sqlite3_stmt *a = store_stmt(f->s, sql);
	sqlite3_bind_int(a, 1, 41);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 42);
	char copy[sizeof(sql)];
	memcpy(copy, sql, sizeof(sql));
	sqlite3_stmt *b = store_stmt(f->s, copy); /* same text, other pointer */
	assert_ptr_equal(a, b);
	/* returned reset with bindings cleared: NULL + 1 is NULL */
	assert_int_equal(sqlite3_step(b), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(b, 0), SQLITE_NULL);
	sqlite3_reset(b);
}

static void test_store_stmt_bad_sql_is_null(void **state)
{
	struct fixture *f = *state;
	assert_null(store_stmt(f->s, "SELEKT nothing"));
}

static int insert_then(struct store *s, void *arg)
{
	int fail = *(int *)arg;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO communities(slug, name,"
					 " population, created_at) VALUES ('tx', 'T', 1, 0)");
	int rc = store_code(sqlite3_step(st));
	return rc ? rc : fail;
}

static int count_tx_rows(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM communities WHERE slug = 'tx'");
	sqlite3_step(st);
	int n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

static void test_store_tx_rolls_back_on_error(void **state)
{
	struct fixture *f = *state;
	int fail = PX_E_BAD_INPUT;
	assert_int_equal(store_tx(f->s, insert_then, &fail), PX_E_BAD_INPUT);
	assert_int_equal(count_tx_rows(f->s), 0);
	fail = 0;
	assert_int_equal(store_tx(f->s, insert_then, &fail), 0);
	assert_int_equal(count_tx_rows(f->s), 1);
	/* a constraint violation maps to PX_E_EXISTS and changes nothing */
	assert_int_equal(store_tx(f->s, insert_then, &fail), PX_E_EXISTS);
	assert_int_equal(count_tx_rows(f->s), 1);
}

struct busy_arg {
	int calls;
	int busy_times;
};

static int busy_then_ok(struct store *s, void *arg)
{
	struct busy_arg *b = arg;
	(void)s;
	return ++b->calls <= b->busy_times ? PX_E_BUSY : 0;
}

static void test_store_tx_retries_while_busy(void **state)
{
	struct fixture *f = *state;
	struct busy_arg b = { 0, 3 };
	assert_int_equal(store_tx(f->s, busy_then_ok, &b), 0);
	assert_int_equal(b.calls, 4);
	b.calls = 0;
	b.busy_times = 1000;
	assert_int_equal(store_tx(f->s, busy_then_ok, &b), PX_E_BUSY);
	assert_true(b.calls > 1 && b.calls < 1000);
}

static int noop(struct store *s, void *arg)
{
	(void)s;
	(void)arg;
	return 0;
}

static void test_store_tx_waits_for_other_writer(void **state)
{
	struct fixture *f = *state;
	struct store *other = NULL;
	struct px_error err = { 0 };
	assert_int_equal(store_open(f->path, 0, &other, &err), 0);
	sqlite3_busy_timeout(store_db(f->s), 1); /* make BUSY come fast */
	assert_int_equal(sqlite3_exec(store_db(other), "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	/* the other connection holds the write lock for the whole retry
	 * budget: the helper gives up with PX_E_BUSY rather than failing
	 * with a database error */
	assert_int_equal(store_tx(f->s, noop, NULL), PX_E_BUSY);
	sqlite3_exec(store_db(other), "COMMIT", NULL, NULL, NULL);
	assert_int_equal(store_tx(f->s, noop, NULL), 0);
	store_close(other);
}

static void test_store_backup_copies_and_refuses_overwrite(void **state)
{
	struct fixture *f = *state;
	char out[160];
	int fail = 0;
	struct px_error err = { 0 };
	assert_int_equal(store_tx(f->s, insert_then, &fail), 0);
	snprintf(out, sizeof(out), "%s/copy.db", f->dir);
	assert_int_equal(store_backup(f->s, out, 1000, &err), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(out, &db), SQLITE_OK);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT count(*) FROM communities WHERE slug='tx'", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(store_backup(f->s, out, 1000, &err), PX_E_EXISTS);
}

/* The source stays locked (its own connection is writing, as a program
 * holding the database would): the backup gives up after its wait with
 * PX_E_BUSY and a message, instead of trying for ever, and leaves no
 * half-written copy behind. */
static void test_store_backup_gives_up_while_the_database_stays_busy(void **state)
{
	struct fixture *f = *state;
	char out[160];
	struct px_error err = { 0 };
	snprintf(out, sizeof(out), "%s/busy.db", f->dir);
	assert_int_equal(store_exec(f->s, "BEGIN IMMEDIATE"), 0);
	assert_int_equal(store_exec(f->s, "INSERT INTO communities(slug, name, population,"
				    " created_at) VALUES ('held', 'H', 1, 0)"), 0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_backup(f->s, out, 300, &err), PX_E_BUSY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 250 && ms < 3000);
	assert_non_null(strstr(err.detail, "busy"));
	struct stat sb;
	assert_int_equal(stat(out, &sb), -1);
	assert_int_equal(store_exec(f->s, "COMMIT"), 0);
	assert_int_equal(store_backup(f->s, out, 300, &err), 0);
}

static void test_store_pool_hands_out_distinct_connections(void **state)
{
	struct fixture *f = *state;
	struct store_pool *p = NULL;
	struct px_error err = { 0 };
	assert_int_equal(store_pool_open(f->path, 2, &p, &err), 0);
	struct store *a = store_pool_get(p), *b = store_pool_get(p);
	assert_ptr_not_equal(a, b);
	assert_true(store_has_key(a));
	store_pool_put(p, a);
	struct store *c = store_pool_get(p);
	assert_ptr_equal(a, c);
	store_pool_put(p, b);
	store_pool_put(p, c);
	store_pool_close(p);
}

static void test_store_pool_connection_sees_later_commits(void **state)
{
	/* A statement left stepped would keep an old read snapshot: a
	 * connection from the pool must see what others committed since. */
	struct fixture *f = *state;
	struct store_pool *p = NULL;
	struct px_error err = { 0 };
	int fail = 0;
	assert_int_equal(store_pool_open(f->path, 1, &p, &err), 0);
	struct store *a = store_pool_get(p);
	assert_true(store_schema_version(a) >= 1);
	sqlite3_stmt *st = NULL;
	while ((st = sqlite3_next_stmt(store_db(a), st)))
		assert_false(sqlite3_stmt_busy(st));
	/* a careless caller leaves a statement stepped to a row, holding a
	 * read snapshot; the pool must not hand that snapshot on */
	st = store_stmt(a, "SELECT 1 FROM schema_version");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_stmt_busy(st));
	store_pool_put(p, a);
	assert_int_equal(store_tx(f->s, insert_then, &fail), 0); /* another connection */
	a = store_pool_get(p);
	assert_int_equal(count_tx_rows(a), 1);
	store_pool_put(p, a);
	store_pool_close(p);
}

struct snapshot_arg {
	struct store *other;
	int before, after;
	int write_rc, tx_rc;
};

static int read_twice(struct store *s, void *arg)
{
	struct snapshot_arg *a = arg;
	int fail = 0;
	a->before = count_tx_rows(s);
	/* another connection commits in the middle of the read */
	assert_int_equal(store_tx(a->other, insert_then, &fail), 0);
	a->after = count_tx_rows(s);
	return 0;
}

static void test_store_read_is_one_snapshot(void **state)
{
	struct fixture *f = *state;
	struct store *other = NULL;
	struct px_error err = { 0 };
	assert_int_equal(store_open(f->path, 0, &other, &err), 0);
	struct snapshot_arg a = { other, -1, -1, 0, 0 };
	assert_int_equal(store_read(f->s, read_twice, &a), 0);
	assert_int_equal(a.before, 0);
	assert_int_equal(a.after, 0); /* the same moment to the end */
	assert_int_equal(count_tx_rows(f->s), 1); /* the next read sees it */
	store_close(other);
}

static int try_to_write(struct store *s, void *arg)
{
	struct snapshot_arg *a = arg;
	int fail = 0;
	a->write_rc = insert_then(s, &fail);
	a->tx_rc = store_tx(s, insert_then, &fail);
	return 0;
}

static void test_store_read_refuses_writes(void **state)
{
	struct fixture *f = *state;
	struct snapshot_arg a = { NULL, 0, 0, 0, 0 };
	int changes = sqlite3_total_changes(store_db(f->s));
	assert_int_equal(store_read(f->s, try_to_write, &a), 0);
	assert_int_equal(a.write_rc, PX_E_DB);
	assert_int_not_equal(a.tx_rc, 0);
	assert_int_equal(sqlite3_total_changes(store_db(f->s)), changes);
	assert_int_equal(count_tx_rows(f->s), 0);
	/* afterwards the connection writes again */
	int fail = 0;
	assert_int_equal(store_tx(f->s, insert_then, &fail), 0);
	assert_int_equal(count_tx_rows(f->s), 1);
}

static int read_rows(struct store *s, void *arg)
{
	*(int *)arg = count_tx_rows(s);
	return 0;
}

static void test_store_read_does_not_wait_for_a_writer(void **state)
{
	struct fixture *f = *state;
	struct store *other = NULL;
	struct px_error err = { 0 };
	int n = -1;
	assert_int_equal(store_open(f->path, 0, &other, &err), 0);
	sqlite3_busy_timeout(store_db(f->s), 1);
	assert_int_equal(sqlite3_exec(store_db(other), "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(store_read(f->s, read_rows, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_tx(f->s, noop, NULL), PX_E_BUSY); /* a write would wait */
	sqlite3_exec(store_db(other), "ROLLBACK", NULL, NULL, NULL);
	store_close(other);
}

/* The cache owns a copy of the SQL: a caller that builds its SQL in a
 * buffer and then reuses the buffer must not find the old statement under
 * the new text (the cache used to keep the caller's pointer). */
static void test_store_stmt_cache_keeps_own_copy_of_sql(void **state)
{
	struct fixture *f = *state;
	char buf[128];
	snprintf(buf, sizeof(buf), "SELECT 1");
	sqlite3_stmt *one = store_stmt(f->s, buf);
	assert_non_null(one);
	snprintf(buf, sizeof(buf), "SELECT 2");
	sqlite3_stmt *two = store_stmt(f->s, buf);
	assert_non_null(two);
	assert_ptr_not_equal(one, two);
	assert_string_equal(sqlite3_sql(two), "SELECT 2");
	/* the first text, from another buffer, still finds its statement */
	char other[32];
	snprintf(other, sizeof(other), "SELECT %d", 1);
	assert_ptr_equal(store_stmt(f->s, other), one);
	int64_t v = 0;
	assert_int_equal(store_int64(store_stmt(f->s, buf), &v, NULL), 0);
	assert_int_equal(v, 2);
}

/* A step answers a row, done or an error, and the three stay apart. */
static void test_store_step_tells_row_done_and_error_apart(void **state)
{
	struct fixture *f = *state;
	int row = -1;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT 7 WHERE ? = 1");
	sqlite3_bind_int(st, 1, 1);
	assert_int_equal(store_step(st, &row), 0);
	assert_int_equal(row, 1);
	assert_int_equal(sqlite3_column_int(st, 0), 7);
	sqlite3_reset(st);
	sqlite3_bind_int(st, 1, 0);
	assert_int_equal(store_step(st, &row), 0);
	assert_int_equal(row, 0);
	/* an error at step time (malformed JSON) is an error, not "no row" */
	st = store_stmt(f->s, "SELECT json('{')");
	assert_int_equal(store_step(st, &row), PX_E_DB);
	assert_int_equal(row, 0);
	assert_int_equal(store_step(NULL, &row), PX_E_INTERNAL);
}

static void test_store_next_reports_error_after_rows(void **state)
{
	struct fixture *f = *state;
	int rc = 0, n = 0;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT json(v) FROM (SELECT 1 AS k, '1' AS v"
				      " UNION ALL SELECT 2, '2' UNION ALL SELECT 3, '{')");
	while (store_next(st, &rc))
		n++;
	assert_int_equal(n, 2);
	assert_int_equal(rc, PX_E_DB);
	/* with rc already set, store_next does not step */
	assert_int_equal(store_next(st, &rc), 0);
	assert_int_equal(rc, PX_E_DB);
	/* all rows, then done */
	rc = 0, n = 0;
	st = store_stmt(f->s, "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3");
	while (store_next(st, &rc))
		n++;
	assert_int_equal(n, 3);
	assert_int_equal(rc, 0);
	assert_false(sqlite3_stmt_busy(st)); /* reset at the end of the rows */
}

static void test_store_run_and_int64(void **state)
{
	struct fixture *f = *state;
	int64_t v = -1;
	int found = -1;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT 42 WHERE ?");
	sqlite3_bind_int(st, 1, 1);
	assert_int_equal(store_int64(st, &v, &found), 0);
	assert_int_equal(v, 42);
	assert_int_equal(found, 1);
	assert_false(sqlite3_stmt_busy(st));
	st = store_stmt(f->s, "SELECT 42 WHERE ?");
	sqlite3_bind_int(st, 1, 0);
	assert_int_equal(store_int64(st, &v, &found), 0);
	assert_int_equal(v, 0);
	assert_int_equal(found, 0);
	assert_int_equal(store_int64(store_stmt(f->s, "SELECT json('[')"), &v, &found),
			 PX_E_DB);
	assert_int_equal(found, 0);
	/* store_text: appended, not replaced; NULL appends nothing; no row;
	 * an error is not "no row"; the statement is reset */
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(sb_adds(&sb, "motion: "), 0);
	st = store_stmt(f->s, "SELECT 'budget' WHERE ?");
	sqlite3_bind_int(st, 1, 1);
	assert_int_equal(store_text(st, &sb, &found), 0);
	assert_int_equal(found, 1);
	assert_string_equal(sb.buf, "motion: budget");
	assert_false(sqlite3_stmt_busy(st));
	st = store_stmt(f->s, "SELECT 'budget' WHERE ?");
	sqlite3_bind_int(st, 1, 0);
	assert_int_equal(store_text(st, &sb, &found), 0);
	assert_int_equal(found, 0);
	assert_int_equal(store_text(store_stmt(f->s, "SELECT NULL"), &sb, &found), 0);
	assert_int_equal(found, 1);
	assert_int_equal(store_text(store_stmt(f->s, "SELECT 7"), &sb, NULL), 0);
	assert_string_equal(sb.buf, "motion: budget7");
	assert_int_equal(store_text(store_stmt(f->s, "SELECT json('[')"), &sb, &found),
			 PX_E_DB);
	assert_int_equal(found, 0);
	assert_int_equal(store_text(NULL, &sb, &found), PX_E_INTERNAL);
	sb_release(&sb);
	int yes = -1;
	assert_int_equal(store_exists(store_stmt(f->s, "SELECT 1 WHERE 0"), &yes), 0);
	assert_int_equal(yes, 0);
	assert_int_equal(store_exists(store_stmt(f->s, "SELECT 1 WHERE 1"), &yes), 0);
	assert_int_equal(yes, 1);
	/* store_run: done is 0, a row is a programming error, errors map */
	assert_int_equal(store_run(store_stmt(f->s, "CREATE TABLE t(x UNIQUE)")), 0);
	assert_int_equal(store_run(store_stmt(f->s, "INSERT INTO t VALUES (1)")), 0);
	assert_int_equal(store_run(store_stmt(f->s, "INSERT INTO t VALUES (1)")),
			 PX_E_EXISTS);
	assert_int_equal(store_run(store_stmt(f->s, "SELECT x FROM t")), PX_E_INTERNAL);
}

static void test_store_savepoints_are_checked(void **state)
{
	struct fixture *f = *state;
	/* releasing or rolling back to a savepoint that does not exist is
	 * an error the caller sees */
	assert_int_equal(store_release(f->s, "nosuch"), PX_E_DB);
	assert_int_equal(store_rollback_to(f->s, "nosuch"), PX_E_DB);
	assert_int_equal(store_savepoint(f->s, "sp"), 0);
	assert_int_equal(store_exec(f->s, "CREATE TABLE sp_t(x)"), 0);
	assert_int_equal(store_rollback_to(f->s, "sp"), 0);
	assert_int_equal(store_release(f->s, "sp"), 0);
	int64_t n = -1;
	assert_int_equal(store_int64(store_stmt(f->s, "SELECT count(*) FROM sqlite_master"
				     " WHERE name = 'sp_t'"), &n, NULL), 0);
	assert_int_equal(n, 0);
}

/* A failed statement prints nothing: the caller gets the code and, for
 * its log, SQLite's own message; a new transaction starts with none. */
static void test_store_errors_go_to_the_caller_not_stderr(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(store_errmsg(f->s), "");
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	FILE *tmp = tmpfile();
	assert_true(saved >= 0 && tmp);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	int rc = store_exec(f->s, "DELETE FROM no_such_table");
	int rc2 = store_release(f->s, "nosuch");
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	assert_int_equal(rc, PX_E_DB);
	assert_int_equal(rc2, PX_E_DB);
	assert_int_equal(fseek(tmp, 0, SEEK_END), 0);
	assert_int_equal(ftell(tmp), 0); /* nothing printed */
	fclose(tmp);
	/* the last failure's message is kept */
	assert_non_null(strstr(store_errmsg(f->s), "nosuch"));
	assert_int_equal(store_exec(f->s, "DELETE FROM no_such_table"), PX_E_DB);
	assert_non_null(strstr(store_errmsg(f->s), "no such table: no_such_table"));
	/* a success does not erase it; a new transaction does */
	assert_int_equal(store_exec(f->s, "PRAGMA user_version"), 0);
	assert_true(*store_errmsg(f->s));
	assert_int_equal(store_tx(f->s, noop, NULL), 0);
	assert_string_equal(store_errmsg(f->s), "");
	assert_string_equal(store_errmsg(NULL), "");
}

/* ---- the node key rotated (store_rotate_key) ---- */

struct rot_seen {
	unsigned char old_pk[32], new_pk[32], sig_old[64];
	int fail;
};

static int rot_fn(struct store *s, const unsigned char *old_pk, const unsigned char *new_pk,
		  void *arg)
{
	struct rot_seen *r = arg;
	memcpy(r->old_pk, old_pk, 32);
	memcpy(r->new_pk, new_pk, 32);
	int rc = store_sign_old(s, (const unsigned char *)"m", 1, r->sig_old);
	json_t *p = json_pack("{s:s}", "what", "rotation");
	if (!rc)
		rc = journal_append(s, 1, "operator", NULL, "node.rotate_key", p, NULL);
	json_decref(p);
	return rc ? rc : r->fail;
}

static void key_file_pk(const char *path, unsigned char pk[32])
{
	char key[200];
	unsigned char sk[64];
	snprintf(key, sizeof key, "%s.key", path);
	FILE *fp = fopen(key, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(sk, 1, 64, fp), 64);
	fclose(fp);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
}

static int node_pk(struct store *s, unsigned char pk[32])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT public_key FROM node WHERE id = 1");
	int row = 0;
	if (!st || store_step(st, &row) || !row || sqlite3_column_bytes(st, 0) != 32)
		return -1;
	memcpy(pk, sqlite3_column_blob(st, 0), 32);
	sqlite3_reset(st);
	return 0;
}

static void test_store_rotate_key_puts_the_new_key_in_use(void **state)
{
	struct fixture *f = *state;
	struct px_error err = { 0 };
	struct rot_seen r = { .fail = 0 };
	unsigned char before[32], pk[32];
	char next[200];
	memcpy(before, store_public_key(f->s), 32);
	assert_int_equal(store_rotate_key(f->s, rot_fn, &r, &err), 0);
	/* fn saw both keys, and could sign with the old */
	assert_memory_equal(r.old_pk, before, 32);
	assert_memory_not_equal(r.new_pk, before, 32);
	assert_int_equal(crypto_sign_verify_detached(r.sig_old, (const unsigned char *)"m", 1,
						     before), 0);
	/* the store, the database and the key file name the new key */
	assert_memory_equal(store_public_key(f->s), r.new_pk, 32);
	assert_int_equal(node_pk(f->s, pk), 0);
	assert_memory_equal(pk, r.new_pk, 32);
	key_file_pk(f->path, pk);
	assert_memory_equal(pk, r.new_pk, 32);
	snprintf(next, sizeof next, "%s.key.new", f->path);
	assert_int_not_equal(access(next, F_OK), 0);
	/* the journal's head, signed in the rotation, verifies with the new key */
	struct journal_report rep;
	assert_int_equal(journal_verify(f->s, &rep), 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, 1);
	/* and a reopen signs with it */
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(f->path, 0, &f->s, &err), 0);
	assert_memory_equal(store_public_key(f->s), r.new_pk, 32);
}

static void test_store_rotate_key_that_fails_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct px_error err = { 0 };
	struct rot_seen r = { .fail = PX_E_CONFLICT };
	unsigned char before[32], pk[32];
	char next[200];
	memcpy(before, store_public_key(f->s), 32);
	assert_int_equal(store_rotate_key(f->s, rot_fn, &r, &err), PX_E_CONFLICT);
	assert_memory_equal(store_public_key(f->s), before, 32);
	assert_int_equal(node_pk(f->s, pk), 0);
	assert_memory_equal(pk, before, 32);
	key_file_pk(f->path, pk);
	assert_memory_equal(pk, before, 32);
	snprintf(next, sizeof next, "%s.key.new", f->path);
	assert_int_not_equal(access(next, F_OK), 0);
	/* nothing journalled, and the store still signs with the old key */
	struct journal_report rep;
	assert_int_equal(journal_verify(f->s, &rep), 0);
	assert_true(rep.ok);
	assert_int_equal(rep.entries, 0);
	unsigned char sig[64];
	assert_int_equal(store_sign(f->s, (const unsigned char *)"x", 1, sig), 0);
	assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)"x", 1, before),
			 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_store_create_makes_key_file_private),
		T(test_store_create_refuses_existing_file),
		T(test_store_open_refuses_missing_file),
		T(test_store_runs_in_wal_with_foreign_keys),
		T(test_store_reopen_keeps_schema_version),
		T(test_store_stmt_cache_returns_same_statement),
		T(test_store_stmt_bad_sql_is_null),
		T(test_store_stmt_cache_keeps_own_copy_of_sql),
		T(test_store_step_tells_row_done_and_error_apart),
		T(test_store_next_reports_error_after_rows),
		T(test_store_run_and_int64),
		T(test_store_savepoints_are_checked),
		T(test_store_errors_go_to_the_caller_not_stderr),
		T(test_store_tx_rolls_back_on_error),
		T(test_store_tx_retries_while_busy),
		T(test_store_tx_waits_for_other_writer),
		T(test_store_backup_copies_and_refuses_overwrite),
		T(test_store_backup_gives_up_while_the_database_stays_busy),
		T(test_store_pool_hands_out_distinct_connections),
		T(test_store_pool_connection_sees_later_commits),
		T(test_store_read_is_one_snapshot),
		T(test_store_read_refuses_writes),
		T(test_store_read_does_not_wait_for_a_writer),
		T(test_store_rotate_key_puts_the_new_key_in_use),
		T(test_store_rotate_key_that_fails_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
