/* Voting (gov/procedure/vote.c) when storage misbehaves: a row that an
 * operator's edit removed, and a read, write or sync that fails at every
 * point of closing a vote in turn (tests/unit/fault_vfs.h). Closing is
 * all or nothing: after each fault either the whole decision is there
 * (the motion's outcome, the law in the register, the journal entry) or
 * nothing changed, and the journal chain verifies. */
#define FX_PEOPLE 4
static const char *const people[] = { "amara", "bruno", "chen", "dora" };
#include "meeting_fixture.h"
#include "fault_vfs.h"

#include <unistd.h>

#include "core/errors.h"
#include "gov/assembly/assembly.h"
#include "gov/people/people.h"

enum { AMARA, BRUNO, CHEN, DORA };

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fault_vfs_install() != SQLITE_OK ||
	    fx_harbour(f, "vote", rule, sched, FX_PEOPLE))
		return -1;
	f->now = MEETING1 + 60;
	*state = f;
	return 0;
}

static void exec_sql(struct store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int64_t count_of(struct store *s, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(store_int64(store_stmt(s, sql), &n, NULL), 0);
	return n;
}

static const char *status_of(struct fx *f, int64_t motion)
{
	static char buf[32];
	int row = 0;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT status FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	assert_int_equal(store_step(st, &row), 0);
	assert_true(row);
	snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return buf;
}

/* An amendment whose amended motion's row is gone (an operator edited the
 * database by hand): opening its vote is refused, and changes nothing. It
 * used to compare the missing status with strcmp(NULL, ...). */
static void test_vote_open_refuses_amendment_of_a_missing_motion(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	struct gov_ctx c;
	json_t *out = NULL;
	int64_t law = 0;
	assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "Greet", "Hello.",
				   NULL, &law, &err), 0);
	struct motion_submit in = { "amendment", "Greet warmly", "Hello, all.", NULL, law, 0 };
	as(f, &c, BRUNO);
	assert_int_equal(gov_motion_submit(&c, "harbour", &in, &out, &err), 0);
	int64_t amend = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	attend(f, AMARA, amend);
	attend(f, BRUNO, amend);
	exec_sql(f->s, "PRAGMA foreign_keys=OFF");
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE motions SET parent_id = %lld WHERE id = %lld",
		 (long long)(law + 1000), (long long)amend);
	exec_sql(f->s, sql);
	exec_sql(f->s, "PRAGMA foreign_keys=ON");

	int64_t before = count_of(f->s, "SELECT count(*) FROM journal");
	assert_int_equal(act(f, AMARA, amend, "open", "devices", &err), PX_E_CONFLICT);
	assert_non_null(strstr(px_error_message(&err), "no longer open to amendment"));
	assert_string_equal(status_of(f, amend), "submitted");
	assert_int_equal(count_of(f->s, "SELECT count(*) FROM journal"), before);
}

/* ---- fault injection ---- */

/* Everything closing a vote may touch, as one text: the journal (every
 * hash and the signed head), the motions, the law register. */
static char *snapshot(struct store *s)
{
	static const char *const parts[] = {
		"SELECT group_concat(seq || '=' || hex(hash), ',') FROM"
		" (SELECT seq, hash FROM journal ORDER BY seq)",
		"SELECT seq || '=' || hex(hash) || '=' || hex(signature) FROM journal_head",
		"SELECT group_concat(id || '/' || status || '/' || coalesce(result, '') || '/'"
		" || coalesce(decided_at, 0) || '/' || round, ',') FROM"
		" (SELECT * FROM motions ORDER BY id)",
		"SELECT group_concat(id || '/' || number || '/' || status, ',') FROM"
		" (SELECT * FROM laws ORDER BY id)",
		"SELECT group_concat(law_id || '/' || version || '/' || title || '/' || text, ',')"
		" FROM (SELECT * FROM law_versions ORDER BY law_id, version)",
		"SELECT group_concat(motion_id || '/' || account_id || '/' || position, ',')"
		" FROM (SELECT * FROM votes ORDER BY motion_id, account_id)",
	};
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(1, cap);
	assert_non_null(out);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		int row = 0;
		sqlite3_stmt *st = store_stmt(s, parts[i]);
		assert_int_equal(store_step(st, &row), 0);
		const char *t = row ? (const char *)sqlite3_column_text(st, 0) : NULL;
		int n = snprintf(out + len, cap - len, "%s\n", t ? t : "");
		assert_true(n > 0 && (size_t)n < cap - len);
		len += (size_t)n;
		if (row)
			sqlite3_reset(st);
	}
	return out;
}

static void copy_db(const char *from_dir, const char *to_dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s && cp -p %s/vote.db %s/vote.db.key %s/",
		 to_dir, to_dir, from_dir, from_dir, to_dir);
	assert_int_equal(system(cmd), 0);
}

static struct store *open_at(const char *dir)
{
	char path[200];
	struct px_error err = { 0 };
	struct store *s = NULL;
	snprintf(path, sizeof(path), "%s/vote.db", dir);
	assert_int_equal(store_open(path, 0, &s, &err), 0);
	return s;
}

struct close_try {
	int rc, fired;
	char *state; /* the snapshot read back by a fresh connection */
};

/* Close motion in a copy of the template, the fault armed at n (0: none);
 * then read the state back from disk and verify the journal. */
static struct close_try close_in_copy(struct fx *f, const char *tmpl, const char *work,
				      int64_t motion, unsigned mask, long n)
{
	struct close_try t = { 0 };
	struct gov_ctx c;
	struct px_error err = { 0 };
	json_t *out = NULL;
	struct journal_report r;
	copy_db(tmpl, work);
	struct store *s = open_at(work);
	as(f, &c, AMARA);
	c.db = s;
	if (n)
		fault_arm(mask, n);
	t.rc = gov_vote_close(&c, motion, &out, &err);
	t.fired = fault.fired;
	fault_disarm();
	json_decref(out);
	store_close(s);
	s = open_at(work);
	t.state = snapshot(s);
	assert_int_equal(journal_verify(s, &r), 0);
	if (!r.ok)
		fail_msg("journal broken after fault %ld: %s", n, r.reason);
	store_close(s);
	return t;
}

/* Fail the Nth operation of the kinds in mask, for N = 1, 2, ... until a
 * close succeeds without the fault being reached. Returns how many fault
 * points fired. */
static long sweep(struct fx *f, const char *tmpl, const char *work, int64_t motion,
		  unsigned mask, const char *before, const char *after, long *effects)
{
	long points = 0;
	for (long n = 1; n < 100000; n++) {
		struct close_try t = close_in_copy(f, tmpl, work, motion, mask, n);
		int whole = !strcmp(t.state, after), none = !strcmp(t.state, before);
		if (!whole && !none)
			fail_msg("fault %ld (mask %u, rc %d): a partial state:\n%s", n, mask,
				 t.rc, t.state);
		if (t.rc == 0 && !whole)
			fail_msg("fault %ld (mask %u): close succeeded without its decision", n,
				 mask);
		if (t.fired)
			*effects += whole;
		free(t.state);
		if (!t.fired) {
			assert_int_equal(t.rc, 0);
			return points;
		}
		points++;
	}
	fail_msg("the sweep did not end");
	return points;
}

static void test_vote_close_is_all_or_nothing_under_storage_faults(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	char tmpl[96], work[96];
	int64_t law = 0;
	assert_int_equal(submit_rc(f, "harbour", AMARA, "enact_law", "Quiet hours",
				   "No noise after 22:00.", NULL, &law, &err), 0);
	for (int i = AMARA; i <= CHEN; i++)
		attend(f, i, law);
	assert_int_equal(act(f, AMARA, law, "open", "devices", &err), 0);
	assert_int_equal(act(f, AMARA, law, "vote", "yes", &err), 0);
	assert_int_equal(act(f, BRUNO, law, "vote", "yes", &err), 0);
	assert_int_equal(act(f, CHEN, law, "vote", "no", &err), 0);
	f->now++;

	/* the template: this database with the vote still open */
	snprintf(tmpl, sizeof(tmpl), "%s/template", f->dir);
	snprintf(work, sizeof(work), "%s/work", f->dir);
	char *before = snapshot(f->s);
	store_close(f->s); /* checkpointed: the .db file holds everything */
	copy_db(f->dir, tmpl);
	f->s = open_at(f->dir); /* for the teardown's journal check */

	/* the reference: closed with no fault */
	struct close_try ref = close_in_copy(f, tmpl, work, law, 0, 0);
	assert_int_equal(ref.rc, 0);
	assert_string_not_equal(ref.state, before);
	assert_non_null(strstr(ref.state, "adopted"));
	assert_non_null(strstr(ref.state, "Quiet hours"));

	static const struct {
		unsigned mask;
		const char *name;
	} kinds[] = {
		{ FAULT_READ, "read" },
		{ FAULT_WRITE, "write" },
		{ FAULT_SYNC, "sync" },
		{ FAULT_READ | FAULT_WRITE | FAULT_SYNC, "any" },
	};
	long total = 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		long effects = 0;
		long points = sweep(f, tmpl, work, law, kinds[k].mask, before, ref.state,
				    &effects);
		print_message("fault points (%s): %ld; the decision stood after %ld of"
			      " them, was absent after the others\n", kinds[k].name, points,
			      effects);
		assert_true(points > 0);
		total += points;
	}
	print_message("fault points exercised in all: %ld\n", total);
	free(before);
	free(ref.state);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_vote_open_refuses_amendment_of_a_missing_motion),
		T(test_vote_close_is_all_or_nothing_under_storage_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
