/* Unit tests for src/store/journal.c: the chain verifies; a change to any
 * column of any entry, a removed or reordered entry, an entry appended
 * without the node key or a forged head signature is found and named. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *s;
};

static int append_n(struct store *s, int n);

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct px_error err = { 0 };
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &err))
		return -1;
	*state = f;
	return append_n(f->s, 5);
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

struct append_arg {
	int i;
};

static int append_one(struct store *s, void *arg)
{
	struct append_arg *a = arg;
	json_t *p = json_pack("{s:i, s:s, s:[i, b]}", "n", a->i, "text",
			      "caf\xc3\xa9 \"quoted\"", "list", a->i, 1);
	int rc = journal_append(s, 1700000000 + a->i, "amara",
				a->i % 2 ? "harbour" : NULL, "test.append", p, NULL);
	json_decref(p);
	return rc;
}

static int append_n(struct store *s, int n)
{
	for (int i = 0; i < n; i++) {
		struct append_arg a = { i };
		int rc = store_tx(s, append_one, &a);
		if (rc)
			return rc;
	}
	return 0;
}

static void exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(store_db(s), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void expect_broken(struct store *s, int64_t seq)
{
	struct journal_report r;
	assert_int_equal(journal_verify(s, &r), 0);
	assert_false(r.ok);
	assert_int_equal(r.broken_seq, seq);
	assert_true(strlen(r.reason) > 0);
}

static void test_journal_intact_chain_verifies(void **state)
{
	struct fixture *f = *state;
	struct journal_report r;
	assert_int_equal(journal_verify(f->s, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.entries, 5);
	assert_int_equal(r.head_seq, 5);
	assert_memory_equal(r.public_key, store_public_key(f->s), 32);
}

static void test_journal_is_append_only_through_sql(void **state)
{
	struct fixture *f = *state;
	assert_int_not_equal(sqlite3_exec(store_db(f->s),
		"UPDATE journal SET actor = 'x' WHERE seq = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(f->s),
		"DELETE FROM journal WHERE seq = 5", NULL, NULL, NULL), SQLITE_OK);
}

static void test_journal_change_in_any_column_names_the_entry(void **state)
{
	struct fixture *f = *state;
	static const char *const edits[] = {
		"UPDATE journal SET at = at + 1 WHERE seq = %d",
		"UPDATE journal SET actor = 'mallory' WHERE seq = %d",
		"UPDATE journal SET body = 'elsewhere' WHERE seq = %d",
		"UPDATE journal SET action = 'test.forged' WHERE seq = %d",
		"UPDATE journal SET payload = replace(payload, 'caf', 'cab') WHERE seq = %d",
		"UPDATE journal SET prev = zeroblob(32) WHERE seq = %d AND seq > 1",
		"UPDATE journal SET hash = randomblob(32) WHERE seq = %d",
	};
	exec(f->s, "DROP TRIGGER journal_no_update");
	for (size_t e = 0; e < sizeof(edits) / sizeof(edits[0]); e++) {
		for (int seq = 1; seq <= 5; seq++) {
			char sql[200];
			if (e == 5 && seq == 1)
				continue;
			exec(f->s, "SAVEPOINT t");
			snprintf(sql, sizeof(sql), edits[e], seq);
			exec(f->s, sql);
			/* a hash rewritten in place breaks the entry after it
			 * too, but the first broken one is the one named */
			expect_broken(f->s, seq);
			exec(f->s, "ROLLBACK TO t");
			exec(f->s, "RELEASE t");
		}
	}
	struct journal_report r;
	assert_int_equal(journal_verify(f->s, &r), 0);
	assert_true(r.ok);
}

static void test_journal_hidden_bytes_and_type_changes_are_found(void **state)
{
	struct fixture *f = *state;
	exec(f->s, "DROP TRIGGER journal_no_update");
	/* bytes after a NUL inside the payload: invisible to C strings */
	sqlite3_stmt *st;
	static const char tail[] = "\0,\"population\":999999}";
	char buf[512];
	exec(f->s, "SAVEPOINT t");
	assert_int_equal(sqlite3_prepare_v2(store_db(f->s), "SELECT payload FROM journal"
					    " WHERE seq = 2", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
	memcpy(buf, sqlite3_column_text(st, 0), n);
	sqlite3_finalize(st);
	memcpy(buf + n, tail, sizeof(tail) - 1);
	assert_int_equal(sqlite3_prepare_v2(store_db(f->s), "UPDATE journal SET payload = ?"
					    " WHERE seq = 2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, buf, (int)(n + sizeof(tail) - 1), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	expect_broken(f->s, 2);
	exec(f->s, "ROLLBACK TO t");
	/* a NULL body made an empty string, and a text made a blob */
	exec(f->s, "UPDATE journal SET body = '' WHERE seq = 1");
	expect_broken(f->s, 1);
	exec(f->s, "ROLLBACK TO t");
	exec(f->s, "UPDATE journal SET actor = CAST(actor AS BLOB) WHERE seq = 3");
	expect_broken(f->s, 3);
	exec(f->s, "ROLLBACK TO t");
	exec(f->s, "RELEASE t");
	struct journal_report r;
	assert_int_equal(journal_verify(f->s, &r), 0);
	assert_true(r.ok);
}

static void test_journal_removed_last_entry_is_found(void **state)
{
	struct fixture *f = *state;
	exec(f->s, "DROP TRIGGER journal_no_delete");
	exec(f->s, "DELETE FROM journal WHERE seq = 5");
	expect_broken(f->s, 5);
}

static void test_journal_removed_middle_entry_is_found(void **state)
{
	struct fixture *f = *state;
	exec(f->s, "DROP TRIGGER journal_no_delete");
	exec(f->s, "DELETE FROM journal WHERE seq = 3");
	expect_broken(f->s, 3);
}

static void test_journal_entry_appended_without_key_is_found(void **state)
{
	struct fixture *f = *state;
	/* someone copies entry 5 forward with a well-formed chain but cannot
	 * sign the new head */
	exec(f->s, "INSERT INTO journal SELECT 6, at, actor, body, action,"
		   " payload, hash, hash FROM journal WHERE seq = 5");
	expect_broken(f->s, 6);
}

static void test_journal_forged_head_signature_is_found(void **state)
{
	struct fixture *f = *state;
	exec(f->s, "UPDATE journal_head SET signature = randomblob(64)");
	expect_broken(f->s, 5);
}

static void test_journal_other_node_key_is_found(void **state)
{
	struct fixture *f = *state;
	exec(f->s, "UPDATE node SET public_key = randomblob(32)");
	expect_broken(f->s, 5);
}

static int walk(const struct journal_entry *e, void *arg)
{
	int64_t *last = arg;
	assert_int_equal(e->seq, *last + 1);
	*last = e->seq;
	json_t *j = journal_entry_json(e);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "seq")), e->seq);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "hash"))), 64);
	assert_true(json_is_object(json_object_get(j, "payload")));
	json_decref(j);
	return 0;
}

static void test_journal_each_walks_in_order_after(void **state)
{
	struct fixture *f = *state;
	int64_t last = 2;
	assert_int_equal(journal_each(f->s, 2, 0, walk, &last), 0);
	assert_int_equal(last, 5);
	last = 0;
	assert_int_equal(journal_each(f->s, 0, 2, walk, &last), 0);
	assert_int_equal(last, 2);
}

static void test_journal_canonical_sorts_and_refuses_reals(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:i, s:s, s:{s:b, s:n}}", "z", 1, "a", "x", "m",
			      "y", 1, "b");
	char *text = journal_canonical(v);
	assert_string_equal(text, "{\"a\":\"x\",\"m\":{\"b\":null,\"y\":true},\"z\":1}");
	free(text);
	json_decref(v);
	v = json_pack("{s:f}", "r", 1.5);
	assert_null(journal_canonical(v));
	json_decref(v);
}

static void test_journal_append_refuses_non_object_payload(void **state)
{
	struct fixture *f = *state;
	json_t *arr = json_array();
	assert_int_equal(journal_append(f->s, 0, "a", NULL, "x", arr, NULL),
			 PX_E_INTERNAL);
	json_decref(arr);
}

/* A batch of entries in one transaction: the head is left as it was
 * until journal_batch_end, which signs it once at the last entry; the
 * journal then verifies as if each had been signed. */
struct batch_arg {
	int n;
	int64_t head;   /* the head's seq before the batch */
	int64_t inside; /* the head's seq read after the batch's appends */
};

static int append_batch(struct store *s, void *arg)
{
	struct batch_arg *b = arg;
	int rc = 0;
	journal_batch_begin(s);
	for (int i = 0; !rc && i < b->n; i++) {
		struct append_arg a = { 100 + i };
		rc = append_one(s, &a);
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT seq FROM journal_head WHERE id = 1");
	if (!rc)
		rc = store_int64(st, &b->inside, NULL);
	int end = journal_batch_end(s);
	return rc ? rc : end;
}

static void test_journal_batch_signs_the_head_once_at_its_end(void **state)
{
	struct fixture *f = *state;
	struct journal_report r;
	struct batch_arg b = { .n = 3 };
	assert_int_equal(store_tx(f->s, append_batch, &b), 0);
	assert_int_equal(b.inside, 5); /* not moved by the batch's appends */
	assert_int_equal(journal_verify(f->s, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.entries, 8);
	assert_int_equal(r.head_seq, 8);
	/* the mode ended: an entry after the batch signs its own head */
	assert_int_equal(append_n(f->s, 1), 0);
	assert_int_equal(journal_verify(f->s, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.head_seq, 9);
	/* a batch that appended nothing leaves the signed head as it was */
	b = (struct batch_arg){ .n = 0 };
	assert_int_equal(store_tx(f->s, append_batch, &b), 0);
	assert_int_equal(journal_verify(f->s, &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.head_seq, 9);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_journal_intact_chain_verifies),
		T(test_journal_is_append_only_through_sql),
		T(test_journal_change_in_any_column_names_the_entry),
		T(test_journal_hidden_bytes_and_type_changes_are_found),
		T(test_journal_removed_last_entry_is_found),
		T(test_journal_removed_middle_entry_is_found),
		T(test_journal_entry_appended_without_key_is_found),
		T(test_journal_forged_head_signature_is_found),
		T(test_journal_other_node_key_is_found),
		T(test_journal_each_walks_in_order_after),
		T(test_journal_canonical_sorts_and_refuses_reals),
		T(test_journal_append_refuses_non_object_payload),
		T(test_journal_batch_signs_the_head_once_at_its_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
