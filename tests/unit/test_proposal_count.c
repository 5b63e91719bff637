/* The running counts of proposals (src/gov/federation/proposal_count.c and
 * fed_tree.c) against references computed from scratch.
 *
 * A federation of 24 local assemblies and 6 delegate assemblies changes
 * at random: assemblies answer versions (accept, reject, amend), the
 * originator issues versions, memberships start, end and are suspended,
 * local assemblies repeal the law they received. After every step:
 * - every version's count read from the running sums equals the count
 *   of walking the tree and reading each latest answer (ratify);
 * - every row of proposal_sums equals its definition, computed here by
 *   recursion over the memberships and the latest answers;
 * - every delegate assembly's closure (fed_below) and sizes equal a
 *   fresh traversal;
 * - wherever a version is met, every local assembly whose acceptance
 *   counts holds the law, from that version or a later one.
 * Half the seeds keep the federation a tree (the counts are read from the
 * sums); the others let assemblies belong to two federations (the count
 * walks the tree). A last test removes the step-6 tables and lets the
 * migration rebuild them from the answers. */
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
#include "gov/federation/fed_tree.h"
#include "gov/federation/federation.h"
#include "gov/assembly/assembly.h"
#include "gov/federation/proposal_count.h"
#include "store/store.h"

#define NLOCAL 24
#define NDELEG 6
#define NBODY (NLOCAL + NDELEG)
#define T0 1772445600LL

struct fx {
	char dir[64], path[128];
	struct store *s;
	int64_t body[NBODY];   /* delegates first: 0 is the originator */
	int64_t motion;
	int64_t proposal, versions;
	uint64_t rng;
	int tree_only;
	int64_t now;
	int64_t seen_met, seen_laws, seen_walk; /* the run did test something */
};

static uint64_t next(struct fx *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return f->rng;
}

static int pick(struct fx *f, int n)
{
	return (int)(next(f) % (uint64_t)n);
}

static void sql(struct fx *f, const char *q)
{
	char *msg = NULL;
	int rc = sqlite3_exec(store_db(f->s), q, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", q, msg ? msg : "?");
}

static int64_t one(struct fx *f, const char *q, int64_t a, int64_t b, int64_t c)
{
	sqlite3_stmt *st = store_stmt(f->s, q);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_int64(st, 3, c);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return v;
}

static int is_local(int i)
{
	return i >= NDELEG;
}

static void make(struct fx *f, uint64_t seed, int tree_only)
{
	struct px_error err = { 0 };
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-pc-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/p.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s, &err), 0);
	sql(f, "PRAGMA synchronous=OFF");
	f->rng = seed;
	f->tree_only = tree_only;
	f->now = T0;
	sql(f, "INSERT INTO accounts(id, handle, display_name, password_hash, created_at)"
	       " VALUES (1, 'ann', 'Ann', 'x', 0)");
	for (int i = 0; i < NBODY; i++) {
		char q[512];
		if (is_local(i)) {
			snprintf(q, sizeof(q), "INSERT INTO communities(id, slug, name, population,"
				 " created_at) VALUES (%d, 'c%d', 'c%d', %d, 0)", i, i, i,
				 100 * (i + 1));
			sql(f, q);
		}
		snprintf(q, sizeof(q), "INSERT INTO bodies(id, slug, kind, name, community_id,"
			 " statement, rules, schedule, founded_by, founded_at) VALUES"
			 " (%d, '%s%d', '%s', 'b%d', %s, '', '{}', '{}', 1, 0)", 100 + i,
			 is_local(i) ? "local" : "deleg", i, is_local(i) ? "local" : "delegate",
			 i, is_local(i) ? "(SELECT max(id) FROM communities)" : "NULL");
		sql(f, q);
		f->body[i] = 100 + i;
	}
	sql(f, "INSERT INTO motions(id, body_id, kind, title, text, params, proposer,"
	       " submitted_at, position, status, ballot) VALUES (1, 100, 'resolution',"
	       " 't', 't', '{}', 1, 0, 1, 'adopted', 'open')");
	f->motion = 1;
}

static void unmake(struct fx *f)
{
	char p[160];
	store_close(f->s);
	snprintf(p, sizeof(p), "%s/p.db", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/p.db.key", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/p.db-wal", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/p.db-shm", f->dir);
	unlink(p);
	rmdir(f->dir);
}

static int64_t active_parents(struct fx *f, int64_t member)
{
	return one(f, "SELECT count(*) FROM federation_members WHERE member_id = ?"
		      " AND status = 'active'", member, 0, 0);
}

static void set_status(struct fx *f, int fi, int mi, const char *status)
{
	int delta;
	json_t *effect = json_object();
	sql(f, "BEGIN");
	assert_int_equal(fed_set_member_status(f->s, f->body[fi], f->body[mi], status,
					       f->motion, f->now, NULL, NULL, &delta), 0);
	assert_int_equal(proposal_membership_changed(f->s, f->body[fi], f->body[mi], delta,
						     f->now, "ann", effect), 0);
	sql(f, "COMMIT");
	json_decref(effect);
}

/* The checked predicates (0 or an error, the answer in *yes) as plain
 * answers, failing the test on a storage error. */
static int contains(struct store *s, int64_t outer, int64_t inner)
{
	int yes = -1;
	assert_int_equal(fed_contains(s, outer, inner, &yes), 0);
	return yes;
}

static int tree_below(struct store *s, int64_t outer, int64_t inner)
{
	int yes = -1;
	assert_int_equal(fed_tree_below(s, outer, inner, &yes), 0);
	return yes;
}

static int offered(struct store *s, int64_t id, int64_t version, int64_t body)
{
	int yes = -1;
	assert_int_equal(proposal_offered(s, id, version, body, &yes), 0);
	return yes;
}

/* A membership of mi in fi (fi < mi: delegates join only earlier ones,
 * so there are no cycles) starts, ends or is suspended. */
static void step_membership(struct fx *f)
{
	int mi = 1 + pick(f, NBODY - 1);
	int fi = pick(f, mi < NDELEG ? mi : NDELEG);
	static const char *const to[] = { "active", "active", "left", "suspended" };
	const char *status = to[pick(f, 4)];
	char now[16];
	assert_int_equal(fed_member_status(f->s, f->body[fi], f->body[mi], now), 0);
	if (!strcmp(status, "active") && strcmp(now, "active") && f->tree_only &&
	    active_parents(f, f->body[mi]) > 0)
		return;
	set_status(f, fi, mi, status);
}

static void step_answer(struct fx *f)
{
	static const char *const answers[] = { "accept", "accept", "accept", "reject", "amend" };
	int bi = 1 + pick(f, NBODY - 1);
	/* mostly the latest version, as assemblies do */
	int64_t v = pick(f, 3) ? f->versions : 1 + pick(f, (int)f->versions);
	const char *a = answers[pick(f, 5)];
	json_t *effect = json_object();
	sql(f, "BEGIN");
	assert_int_equal(proposal_answer(f->s, f->proposal, v, f->body[bi], a,
					 !strcmp(a, "amend") ? "other words" : NULL, "why",
					 f->motion, f->now, "ann", effect), 0);
	sql(f, "COMMIT");
	json_decref(effect);
}

static void step_version(struct fx *f)
{
	int64_t v;
	json_t *cond = json_pack("{s:s, s:i}", "kind", "share_of_assemblies", "percent",
				 10 + pick(f, 30));
	sql(f, "BEGIN");
	assert_int_equal(proposal_new_version(f->s, f->proposal, "Bus lanes", "Text",
					      "Answers", cond, f->motion, f->now, &v), 0);
	sql(f, "COMMIT");
	json_decref(cond);
	f->versions = v;
}

static void step_repeal(struct fx *f)
{
	int li = NDELEG + pick(f, NLOCAL);
	int64_t number, from, lv, law = 0;
	int in_force;
	struct px_error err = { 0 };
	assert_int_equal(proposal_law_of(f->s, f->body[li], f->proposal, &law, &number,
					 &in_force, &from), 0);
	if (!law || !in_force)
		return;
	json_t *effect = json_object();
	sql(f, "BEGIN");
	assert_int_equal(law_repeal(f->s, f->body[li], number, f->motion, f->now, &lv, &err), 0);
	assert_int_equal(proposal_law_repealed(f->s, f->body[li], number, f->motion, f->now,
					       "ann", effect), 0);
	sql(f, "COMMIT");
	json_decref(effect);
}

/* ---- the references ---- */

static int latest_accepts(struct fx *f, int64_t v, int64_t body)
{
	return (int)one(f, "SELECT answer = 'accept' FROM proposal_answers WHERE"
			   " proposal_id = ? AND version = ? AND body_id = ?"
			   " ORDER BY id DESC LIMIT 1", f->proposal, v, body);
}

/* locals(A), population(A) by their definition */
static void sums_of(struct fx *f, int64_t v, int64_t body, int64_t *l, int64_t *p)
{
	*l = *p = 0;
	int64_t kids[NBODY];
	int n = 0;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT member_id FROM federation_members"
				      " WHERE federation_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	while (sqlite3_step(st) == SQLITE_ROW)
		kids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		if (!latest_accepts(f, v, kids[i]))
			continue;
		int child_local = kids[i] - 100 >= NDELEG;
		if (child_local) {
			*l += 1;
			*p += 100 * (kids[i] - 100 + 1);
		} else {
			int64_t cl, cp;
			sums_of(f, v, kids[i], &cl, &cp);
			*l += cl;
			*p += cp;
		}
	}
}

static void below(struct fx *f, int64_t body, int64_t paths[NBODY], int64_t mult)
{
	int64_t kids[NBODY];
	int n = 0;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT member_id FROM federation_members"
				      " WHERE federation_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	while (sqlite3_step(st) == SQLITE_ROW)
		kids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		paths[kids[i] - 100] += mult;
		below(f, kids[i], paths, mult);
	}
}

static void check(struct fx *f)
{
	/* the closure and sizes */
	for (int d = 0; d < NDELEG; d++) {
		int64_t paths[NBODY] = { 0 }, locals = 0, pop = 0, shared = 0;
		below(f, f->body[d], paths, 1);
		for (int i = 0; i < NBODY; i++) {
			assert_int_equal(one(f, "SELECT coalesce(max(paths), 0) FROM fed_below"
					    " WHERE ancestor_id = ? AND body_id = ?",
					    f->body[d], f->body[i], 0), paths[i]);
			if (paths[i] && is_local(i)) {
				locals++;
				pop += 100 * (i + 1);
			}
			shared += paths[i] > 1;
		}
		int64_t l, p, sh;
		assert_int_equal(fed_tree_size(f->s, f->body[d], &l, &p, &sh), 0);
		assert_int_equal(l, locals);
		assert_int_equal(p, pop);
		assert_int_equal(sh, shared);
	}
	for (int64_t v = 1; v <= f->versions; v++) {
		/* every row of the sums */
		for (int i = 0; i < NBODY; i++) {
			struct proposal_sum row;
			int64_t l, p;
			assert_int_equal(proposal_count_get(f->s, f->proposal, v, f->body[i],
							    &row), 0);
			assert_int_equal(row.accepted, latest_accepts(f, v, f->body[i]));
			sums_of(f, v, f->body[i], &l, &p);
			assert_int_equal(row.locals, l);
			assert_int_equal(row.population, p);
		}
		/* the count read against the count walked */
		char *cond_text = NULL;
		sqlite3_stmt *st = store_stmt(f->s, "SELECT condition FROM proposal_versions"
					      " WHERE proposal_id = ? AND version = ?");
		sqlite3_bind_int64(st, 1, f->proposal);
		sqlite3_bind_int64(st, 2, v);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		cond_text = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		json_t *cond = json_loads(cond_text, 0, NULL);
		free(cond_text);
		struct ratify_result fast, walk;
		int slow;
		assert_int_equal(proposal_count_eval(f->s, f->proposal, v, f->body[0], cond,
						     &fast, &slow), 0);
		assert_int_equal(proposal_count_walk(f->s, f->proposal, v, f->body[0], cond,
						     &walk), 0);
		if (f->tree_only)
			assert_false(slow);
		f->seen_walk += slow;
		assert_int_equal(fast.locals, walk.locals);
		assert_int_equal(fast.population, walk.population);
		assert_int_equal(fast.locals_accepted, walk.locals_accepted);
		assert_int_equal(fast.population_accepted, walk.population_accepted);
		assert_int_equal(fast.met, walk.met);
		/* met: every counting local holds the law */
		if (walk.met) {
			int64_t *ids;
			size_t n;
			assert_int_equal(proposal_count_locals(f->s, f->proposal, v, f->body[0],
							       f->body[0], &ids, &n), 0);
			assert_int_equal((int64_t)n, walk.locals_accepted);
			f->seen_met++;
			f->seen_laws += (int64_t)n;
			for (size_t k = 0; k < n; k++) {
				int64_t number, from, law = 0;
				int in_force;
				assert_int_equal(proposal_law_of(f->s, ids[k], f->proposal, &law,
								 &number, &in_force, &from), 0);
				assert_true(law);
				assert_true(in_force);
				assert_true(from >= v);
			}
			free(ids);
		}
		json_decref(cond);
	}
}

static void run(uint64_t seed, int tree_only, int steps)
{
	struct fx f = { 0 };
	make(&f, seed, tree_only);
	/* a starting tree: delegates 1, 2 in 0; 3..5 in 1 or 2; locals spread */
	for (int i = 1; i < NBODY; i++)
		set_status(&f, i < 3 ? 0 : i < NDELEG ? 1 + (i % 2) : 1 + (i % (NDELEG - 1)),
			   i, "active");
	json_t *cond = json_pack("{s:s, s:i}", "kind", "at_least", "n", 4);
	sql(&f, "BEGIN");
	assert_int_equal(proposal_create(f.s, f.body[0], "Bus lanes", "Text", "Why", cond,
					 f.motion, f.now, &f.proposal), 0);
	sql(&f, "COMMIT");
	json_decref(cond);
	f.versions = 1;
	check(&f);
	for (int i = 0; i < steps; i++) {
		int what = pick(&f, 20);
		f.now += 60;
		if (what < 12)
			step_answer(&f);
		else if (what < 17)
			step_membership(&f);
		else if (what < 18 && !pick(&f, 3))
			step_version(&f);
		else if (what >= 18)
			step_repeal(&f);
		check(&f);
	}
	assert_true(f.seen_met > 0 && f.seen_laws > 0);
	if (!tree_only)
		assert_true(f.seen_walk > 0);
	assert_true(one(&f, "SELECT count(*) FROM laws WHERE proposal_id IS NOT NULL",
			0, 0, 0) > 0);
	unmake(&f);
}

static void test_counts_follow_a_tree(void **state)
{
	(void)state;
	run(0x9e3779b97f4a7c15ULL, 1, 300);
	run(0x5851f42d4c957f2dULL, 1, 300);
}

static void test_counts_follow_a_graph_with_shared_members(void **state)
{
	(void)state;
	run(0xd1b54a32d192ed03ULL, 0, 300);
	run(0x8cb92ba72f3d8dd7ULL, 0, 300);
}

/* A database from before step 6: the running counts are built by the
 * migration from the memberships and the answers, equal to those kept. */
static void test_migration_builds_the_counts(void **state)
{
	(void)state;
	struct fx f = { 0 };
	make(&f, 0x1234567ULL, 1);
	for (int i = 1; i < NBODY; i++)
		set_status(&f, i < 3 ? 0 : i < NDELEG ? 1 + (i % 2) : 1 + (i % (NDELEG - 1)),
			   i, "active");
	json_t *cond = json_pack("{s:s, s:i}", "kind", "at_least", "n", 3);
	sql(&f, "BEGIN");
	assert_int_equal(proposal_create(f.s, f.body[0], "Bus lanes", "Text", "Why", cond,
					 f.motion, f.now, &f.proposal), 0);
	sql(&f, "COMMIT");
	json_decref(cond);
	f.versions = 1;
	for (int i = 0; i < 120; i++) {
		if (pick(&f, 4))
			step_answer(&f);
		else
			step_membership(&f);
	}
	sql(&f, "CREATE TABLE kept AS SELECT proposal_id, version, body_id, accepted, locals,"
		" population FROM proposal_sums WHERE accepted OR locals OR population");
	sql(&f, "CREATE TABLE kept_below AS SELECT * FROM fed_below");
	sql(&f, "CREATE TABLE kept_sizes AS SELECT id, locals_below, population_below,"
		" shared_below FROM bodies");
	sql(&f, "DROP TABLE proposal_sums; DROP TABLE fed_below;"
		" ALTER TABLE bodies DROP COLUMN locals_below;"
		" ALTER TABLE bodies DROP COLUMN population_below;"
		" ALTER TABLE bodies DROP COLUMN shared_below;"
		" ALTER TABLE proposal_versions DROP COLUMN met;"
		" DELETE FROM schema_version WHERE version = 6");
	store_close(f.s);
	struct px_error err = { 0 };
	if (store_open(f.path, 0, &f.s, &err))
		fail_msg("reopening: %s", err.detail);
	assert_true(store_schema_version(f.s) >= 6);
	const char *differ[] = {
		"SELECT count(*) FROM (SELECT proposal_id, version, body_id, accepted, locals,"
		" population FROM proposal_sums WHERE accepted OR locals OR population"
		" EXCEPT SELECT * FROM kept)",
		"SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT proposal_id, version,"
		" body_id, accepted, locals, population FROM proposal_sums)",
		"SELECT count(*) FROM (SELECT * FROM fed_below EXCEPT SELECT * FROM kept_below)",
		"SELECT count(*) FROM (SELECT * FROM kept_below EXCEPT SELECT * FROM fed_below)",
		"SELECT count(*) FROM (SELECT id, locals_below, population_below, shared_below"
		" FROM bodies EXCEPT SELECT * FROM kept_sizes)",
	};
	assert_true(one(&f, "SELECT count(*) FROM kept", 0, 0, 0) > 0);
	for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
		if (one(&f, differ[i], 0, 0, 0))
			fail_msg("differ %zu", i);
	check(&f);
	unmake(&f);
}

/* Nesting has a bound, checked before a membership starts; the cycle
 * check sees a cycle however deep (here through 40 assemblies, deeper
 * than any chain allowed, built behind the checks' back). */
static void test_depth_is_bounded_and_cycles_found_at_any_depth(void **state)
{
	(void)state;
	struct fx f = { 0 };
	struct px_error err = { 0 };
	make(&f, 0x77ULL, 1);
	for (int i = 0; i < 40; i++) {
		char q[256];
		snprintf(q, sizeof(q), "INSERT INTO bodies(id, slug, kind, name, statement,"
			 " rules, schedule, founded_by, founded_at) VALUES (%d, 'chain%d',"
			 " 'delegate', 'c%d', '', '{}', '{}', 1, 0)", 300 + i, i, i);
		sql(&f, q);
	}
	/* 300 <- 301 <- ... : 301 is a member of 300, and so on */
	for (int i = 1; i < 40; i++) {
		int delta;
		sql(&f, "BEGIN");
		assert_int_equal(fed_set_member_status(f.s, 300 + i - 1, 300 + i, "active",
						       f.motion, f.now, NULL, NULL, &delta), 0);
		sql(&f, "COMMIT");
		if (i < FED_MAX_DEPTH)
			assert_int_equal(fed_depth_check(f.s, 300 + i, f.body[NDELEG], &err), 0);
	}
	assert_true(contains(f.s, 300, 339));
	assert_true(tree_below(f.s, 300, 339));
	assert_false(contains(f.s, 339, 300));
	/* a local assembly under the 32nd would make 33 */
	assert_int_equal(fed_depth_check(f.s, 300 + FED_MAX_DEPTH - 1, f.body[NDELEG], &err),
			 0);
	assert_int_equal(fed_depth_check(f.s, 300 + FED_MAX_DEPTH, f.body[NDELEG], &err),
			 PX_E_CONFLICT);
	assert_string_equal(err.field, "params.federation");
	/* and a chain beneath the member counts too: 300 (39 beneath it)
	 * cannot join anything */
	assert_int_equal(fed_depth_check(f.s, f.body[0], 300, &err), PX_E_CONFLICT);
	/* a suspended membership still closes a cycle */
	int delta;
	sql(&f, "BEGIN");
	assert_int_equal(fed_set_member_status(f.s, 300 + 19, 300 + 20, "suspended", f.motion,
					       f.now, NULL, NULL, &delta), 0);
	sql(&f, "COMMIT");
	assert_int_equal(delta, -1);
	assert_false(tree_below(f.s, 300, 339));
	assert_true(contains(f.s, 300, 339));
	unmake(&f);
}

/* A federation that accepted a proposal passes it on to those who join
 * it, except to the assembly that made it. */
static void test_the_originator_is_never_offered_its_own_proposal(void **state)
{
	(void)state;
	struct fx f = { 0 };
	make(&f, 0x99ULL, 1);
	set_status(&f, 0, 1, "active");  /* d1 in d0 */
	set_status(&f, 1, NDELEG, "active");  /* a local in d1 */
	json_t *cond = json_pack("{s:s, s:i}", "kind", "at_least", "n", 1);
	json_t *effect = json_object();
	sql(&f, "BEGIN");
	assert_int_equal(proposal_create(f.s, f.body[0], "Trams", "Text", "Why", cond,
					 f.motion, f.now, &f.proposal), 0);
	assert_int_equal(proposal_answer(f.s, f.proposal, 1, f.body[1], "accept", NULL, "",
					 f.motion, f.now, "ann", effect), 0);
	sql(&f, "COMMIT");
	json_decref(cond);
	json_decref(effect);
	assert_true(offered(f.s, f.proposal, 1, f.body[NDELEG]));
	/* d1 leaves d0; d0 joins d1 */
	set_status(&f, 0, 1, "left");
	set_status(&f, 1, 0, "active");
	sql(&f, "BEGIN");
	assert_int_equal(proposal_offer_to_new_member(f.s, f.body[1], f.body[0], f.now), 0);
	assert_int_equal(proposal_offer_to_new_member(f.s, f.body[1], f.body[2], f.now), 0);
	sql(&f, "COMMIT");
	assert_false(offered(f.s, f.proposal, 1, f.body[0]));
	set_status(&f, 1, 2, "active");
	assert_true(offered(f.s, f.proposal, 1, f.body[2]));
	unmake(&f);
}

static void eval_share(struct fx *f, const json_t *cond, struct ratify_result *r)
{
	int slow = 0;
	assert_int_equal(proposal_count_eval(f->s, f->proposal, 1, f->body[0], cond, r, &slow),
			 0);
	assert_false(slow);
}

/* A member assembly on another node counts, in the whole a share is
 * counted against, as it last reported itself (docs/nodes.md, "Shares
 * across two levels"): a delegate assembly there as the totals beneath
 * it; one whose report has no totals as the assemblies it says accepted;
 * one that has said nothing as one assembly of no population. Whatever
 * the reports say, the share never passes the whole. */
static void test_a_member_on_another_node_counts_as_it_reported_itself(void **state)
{
	(void)state;
	struct fx f = { 0 };
	struct ratify_result r;
	make(&f, 0x55ULL, 1);
	set_status(&f, 0, NDELEG, "active"); /* a local of 700 people in d0 */
	json_t *cond = json_pack("{s:s, s:i}", "kind", "share_of_assemblies", "percent", 50);
	sql(&f, "BEGIN");
	assert_int_equal(proposal_create(f.s, f.body[0], "Trams", "Text", "Why", cond,
					 f.motion, f.now, &f.proposal), 0);
	sql(&f, "COMMIT");
	char q[512];
	snprintf(q, sizeof(q), "INSERT INTO node_relations(id, body_id, remote_actor, side,"
		 " status, request_id, since, changed_at) VALUES (1, %lld,"
		 " 'https://b.example/bodies/bay', 'host', 'active', 'r1', 0, 0), (2, %lld,"
		 " 'https://c.example/bodies/quiet', 'host', 'active', 'r2', 0, 0);"
		 " INSERT INTO node_offers(id, relation_id, side, activity_id, proposal_id,"
		 " version, title, text, rationale, condition, at) VALUES (1, 1, 'sent', 'o1',"
		 " %lld, 1, 't', 't', '', '{}', 0)", (long long)f.body[0],
		 (long long)f.body[0], (long long)f.proposal);
	sql(&f, q);
	/* bay reports, as an older node would, 5 beneath it accepted, 3,000
	 * people, and not how many there are: the whole is the local (1, 700),
	 * bay as it says (5, 3,000) and quiet, which said nothing (1, 0) */
	sql(&f, "INSERT INTO node_answers(offer_id, answer, reasons, activity_id, population,"
		" at, locals, beneath) VALUES (1, 'accept', '', 'a1', 3000, 0, 5, '[]')");
	sql(&f, "BEGIN");
	assert_int_equal(proposal_count_remote(f.s, f.proposal, 1, f.body[0], 5, 3000), 0);
	sql(&f, "COMMIT");
	eval_share(&f, cond, &r);
	assert_int_equal(r.locals_accepted, 5);
	assert_int_equal(r.locals, 7);
	assert_int_equal(r.population_accepted, 3000);
	assert_int_equal(r.population, 3700);
	assert_true(r.met); /* 5 of 7 */
	/* its next report says there are 20 beneath it, of 90,000 people:
	 * 5 of 22 is not half */
	sql(&f, "INSERT INTO node_answers(offer_id, answer, reasons, activity_id, population,"
		" at, locals, beneath, total_locals, total_population) VALUES (1, 'accept', '',"
		" 'a2', 3000, 0, 5, '[]', 20, 90000)");
	eval_share(&f, cond, &r);
	assert_int_equal(r.locals, 22);
	assert_int_equal(r.population, 90700);
	assert_false(r.met);
	/* totals fewer than accepted (the inbox refuses them in one report;
	 * two reports may disagree): the whole is at least what accepted */
	sql(&f, "INSERT INTO node_answers(offer_id, answer, reasons, activity_id, population,"
		" at, locals, beneath, total_locals, total_population) VALUES (1, 'accept', '',"
		" 'a3', 3000, 0, 5, '[]', 2, 1000)");
	eval_share(&f, cond, &r);
	assert_int_equal(r.locals, 5);
	assert_int_equal(r.population, 3000);
	assert_true(r.locals_accepted <= r.locals && r.population_accepted <= r.population);
	json_decref(cond);
	unmake(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_follow_a_tree),
		cmocka_unit_test(test_counts_follow_a_graph_with_shared_members),
		cmocka_unit_test(test_migration_builds_the_counts),
		cmocka_unit_test(test_depth_is_bounded_and_cycles_found_at_any_depth),
		cmocka_unit_test(test_the_originator_is_never_offered_its_own_proposal),
		cmocka_unit_test(test_a_member_on_another_node_counts_as_it_reported_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
