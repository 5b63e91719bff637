/* Unit tests for cli_read, the read transaction of the CLI's reads
 * (`pnyx law`, `motion show`, `proposal show`, `federation show`,
 * `journal verify --state`): what its function reads is one moment even
 * when another connection commits between two of its queries, nothing in
 * it writes, and a failure reaches the caller as a px error with SQLite's
 * message kept for its report. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"
#include "store/store.h"
#include "cli/cli.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *s, *writer;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct px_error err = { 0 };
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-test-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &err) ||
	    store_open(f->path, 0, &f->writer, &err) ||
	    store_exec(f->s, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1)"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[200];
	store_close(f->writer);
	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

struct reads {
	struct store *writer;
	int64_t first, second;
	int nested, wrote, runs;
};

static int value(struct store *s, int64_t *x)
{
	return store_int64(store_stmt(s, "SELECT x FROM t"), x, NULL);
}

/* Read, let another connection commit a change, read again. */
static int read_twice(struct store *s, void *arg)
{
	struct reads *r = arg;
	r->runs++;
	int rc = value(s, &r->first);
	if (!rc)
		rc = store_exec(r->writer, "UPDATE t SET x = x + 1");
	if (!rc)
		rc = value(s, &r->second);
	/* a transaction is open: another BEGIN is refused; a write too */
	r->nested = store_exec(s, "BEGIN");
	r->wrote = store_exec(s, "UPDATE t SET x = 100");
	return rc;
}

static void test_cli_read_is_one_moment(void **state)
{
	struct fixture *f = *state;
	struct reads r = { .writer = f->writer };
	struct px_error err = { 0 };
	assert_int_equal(cli_read(f->s, read_twice, &r, &err), 0);
	assert_int_equal(r.runs, 1);
	assert_int_equal(r.first, 1);
	assert_int_equal(r.second, 1); /* the writer's commit is not seen */
	assert_int_equal(r.nested, PX_E_DB);
	assert_int_not_equal(r.wrote, 0);
	assert_int_equal(err.code, 0);
	/* after it, the commit is seen and the refused write left nothing */
	int64_t now = 0;
	assert_int_equal(value(f->s, &now), 0);
	assert_int_equal(now, 2);
	/* and the connection writes again */
	assert_int_equal(store_exec(f->s, "UPDATE t SET x = 3"), 0);
}

static int fails(struct store *s, void *arg)
{
	(void)arg;
	return store_exec(s, "SELECT * FROM no_such_table");
}

static int named(struct store *s, void *arg)
{
	(void)s;
	return px_fail(arg, PX_E_NOT_FOUND, "slug", "no such assembly");
}

static void test_cli_read_failures_reach_the_caller(void **state)
{
	struct fixture *f = *state;
	struct px_error err = { 0 };
	/* a failure fn does not name is put in err, with SQLite's words kept */
	assert_int_equal(cli_read(f->s, fails, NULL, &err), PX_E_DB);
	assert_int_equal(err.code, PX_E_DB);
	assert_non_null(strstr(store_errmsg(f->s), "no_such_table"));
	/* one fn names is left as it is */
	err = (struct px_error){ 0 };
	assert_int_equal(cli_read(f->s, named, &err, &err), PX_E_NOT_FOUND);
	assert_string_equal(err.field, "slug");
	assert_string_equal(err.detail, "no such assembly");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_cli_read_is_one_moment),
		T(test_cli_read_failures_reach_the_caller),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
