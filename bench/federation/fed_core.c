/*
 * fed_core.c: a federation of 200,000 local assemblies under five levels
 * of delegate assemblies (1, 8, 64, 512 and 4,096 of them; about 49
 * local assemblies in each of the lowest), built through the same
 * functions the decisions call, and a proposal of the top assembly
 * answered by all of them. Built and run by bench/federation/run against
 * build/rel/libpnyx.a.
 *
 * Prints "NAME VALUE" lines:
 *   build_s         building the federation (every membership a change
 *                   through fed_set_member_status and the running counts)
 *   answer_ms       the median time of one local assembly's answer (its
 *                   insertion, its own path of sums and the count again),
 *                   over the answers given before the condition is met
 *   met_ms          the answer that meets the condition (half the local
 *                   assemblies): the law enters the register of each of
 *                   the ~100,000 that accepted, each with its journal entry
 *   after_ms        the median answer once the condition is met (an
 *                   acceptance brings the law into that one register)
 *   delegate_ms     a lowest-level delegate assembly changing its answer
 *                   (moving its ~49 local assemblies in or out of the count)
 *   status_ms       the median of 20 reads of the whole status
 *                   (gov_proposal_status: every version's count and the
 *                   tree's first 400 assemblies)
 *   walk_ms         the baseline: the same count by walking the 204,681
 *                   assemblies and reading each answer, as pnyx did
 *                   before the counts were kept running (median of 3)
 *   locals, accepted, met   the count itself, equal both ways
 * Usage: fed_core DB [LOCALS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/federation/federation.h"
#include "gov/gov.h"
#include "gov/federation/proposal_count.h"
#include "store/store.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void sql(struct store *s, const char *q)
{
	char *msg = NULL;
	if (sqlite3_exec(store_db(s), q, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fed_core: %s: %s\n", q, msg ? msg : "?");
		exit(1);
	}
}

static void must(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "fed_core: %s failed (%d)\n", what, rc);
		exit(1);
	}
}

static void join(struct store *s, int64_t fed, int64_t member)
{
	int delta;
	json_t *effect = json_object();
	must(fed_set_member_status(s, fed, member, "active", 1, 1000, NULL, NULL, &delta),
	     "join");
	must(proposal_membership_changed(s, fed, member, delta, 1000, "bench", effect),
	     "counts");
	json_decref(effect);
}

static void progress(const char *what, long done, long total)
{
	if (done % 20000 == 0 || done == total)
		fprintf(stderr, "\r%s %ld/%ld", what, done, total), fflush(stderr);
	if (done == total)
		fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
	struct px_error err = { 0 };
	struct store *s;
	long nlocal = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
	static const long per_level[] = { 1, 8, 64, 512, 4096 };
	long ndeleg = 0;
	for (int i = 0; i < 5; i++)
		ndeleg += per_level[i];
	if (argc < 2 || nlocal < 1) {
		fprintf(stderr, "usage: fed_core DB [LOCALS]\n");
		return 2;
	}
	if (store_open(argv[1], STORE_CREATE, &s, &err)) {
		fprintf(stderr, "fed_core: %s\n", err.detail);
		return 1;
	}
	sql(s, "PRAGMA synchronous=OFF");
	double t0 = now_ms();
	sql(s, "BEGIN");
	sql(s, "INSERT INTO accounts(id, handle, display_name, password_hash, created_at)"
	       " VALUES (1, 'bench', 'Bench', 'x', 0)");
	/* delegate assemblies 1..ndeleg, level by level; locals after */
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO bodies(id, slug, kind, name,"
		" community_id, statement, rules, schedule, founded_by, founded_at)"
		" VALUES (?1, ?2, ?3, ?2, ?4, '', '{}', '{}', 1, 0)");
	sqlite3_stmt *cs = store_stmt(s, "INSERT INTO communities(id, slug, name,"
		" population, created_at) VALUES (?1, ?2, ?2, ?3, 0)");
	for (long i = 1; i <= ndeleg + nlocal; i++) {
		char slug[32];
		int local = i > ndeleg;
		snprintf(slug, sizeof(slug), "%s-%ld", local ? "town" : "council", i);
		if (local) {
			sqlite3_bind_int64(cs, 1, i);
			sqlite3_bind_text(cs, 2, slug, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(cs, 3, 200 + (i * 7919) % 5000);
			must(store_code(sqlite3_step(cs)), "community");
			sqlite3_reset(cs);
		}
		sqlite3_bind_int64(st, 1, i);
		sqlite3_bind_text(st, 2, slug, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, local ? "local" : "delegate", -1, SQLITE_STATIC);
		if (local)
			sqlite3_bind_int64(st, 4, i);
		else
			sqlite3_bind_null(st, 4);
		must(store_code(sqlite3_step(st)), "body");
		sqlite3_reset(st);
	}
	sql(s, "INSERT INTO motions(id, body_id, kind, title, text, params, proposer,"
	       " submitted_at, position, status, ballot) VALUES (1, 1, 'resolution',"
	       " 'bench', 'bench', '{}', 1, 0, 1, 'adopted', 'open')");
	/* memberships, top down: each assembly joins one of the level above */
	long first = 1, done = 0;
	for (int lv = 1; lv < 5; lv++) {
		long start = first + per_level[lv - 1];
		for (long k = 0; k < per_level[lv]; k++)
			join(s, first + k % per_level[lv - 1], start + k);
		first = start;
	}
	for (long k = 0; k < nlocal; k++) {
		join(s, first + k % per_level[4], ndeleg + 1 + k);
		progress("memberships", ++done, nlocal);
	}
	sql(s, "COMMIT");
	double build = (now_ms() - t0) / 1e3;

	/* a proposal of the top assembly; every delegate assembly accepts */
	int64_t proposal;
	json_t *cond = json_pack("{s:s, s:i}", "kind", "share_of_assemblies", "percent", 50);
	sql(s, "BEGIN");
	must(proposal_create(s, 1, "Night buses", "Every town runs night buses.", "Safety",
			     cond, 1, 2000, &proposal), "proposal");
	for (long i = 1; i <= ndeleg; i++) {
		json_t *e = json_object();
		must(proposal_answer(s, proposal, 1, i, "accept", NULL, "", 1, 2000, "bench", e),
		     "delegate answer");
		json_decref(e);
	}
	sql(s, "COMMIT");

	/* every local assembly answers, 3 in 5 accept: the condition is met
	 * after five sixths of them */
	double *before = malloc((size_t)nlocal * sizeof(*before));
	double *after = malloc((size_t)nlocal * sizeof(*after)), met_ms = 0;
	size_t nbefore = 0, nafter = 0;
	sql(s, "BEGIN");
	for (long k = 0; k < nlocal; k++) {
		const char *a = k % 5 < 3 ? "accept" : k % 5 == 3 ? "reject" : "amend";
		json_t *e = json_object();
		double a0 = now_ms();
		must(proposal_answer(s, proposal, 1, ndeleg + 1 + k, a,
				     k % 5 == 4 ? "Buses until 2 a.m." : NULL, "", 1, 3000, "bench",
				     e), "answer");
		double t = now_ms() - a0;
		int met = json_array_size(json_object_get(e, "versions_met")) > 0;
		if (met && !met_ms)
			met_ms = t;
		else if (met_ms)
			after[nafter++] = t;
		else
			before[nbefore++] = t;
		json_decref(e);
		if (k % 1000 == 999) {
			sql(s, "COMMIT");
			sql(s, "BEGIN");
		}
		progress("answers", k + 1, nlocal);
	}
	sql(s, "COMMIT");
	qsort(before, nbefore, sizeof(*before), cmp);
	qsort(after, nafter, sizeof(*after), cmp);
	double answer = nbefore ? before[nbefore / 2] : 0;
	double answer_after = nafter ? after[nafter / 2] : 0;
	free(before);
	free(after);

	/* a lowest delegate assembly changes its mind, and back */
	double d0 = now_ms();
	sql(s, "BEGIN");
	json_t *e = json_object();
	must(proposal_answer(s, proposal, 1, first, "reject", NULL, "", 1, 4000, "bench", e),
	     "delegate reject");
	json_decref(e);
	sql(s, "COMMIT");
	double delegate = now_ms() - d0;
	sql(s, "BEGIN");
	e = json_object();
	must(proposal_answer(s, proposal, 1, first, "accept", NULL, "", 1, 4001, "bench", e),
	     "delegate accept");
	json_decref(e);
	sql(s, "COMMIT");

	/* the status, read as the API and the command line read it */
	struct gov_ctx ctx = { .db = s, .now = 5000 };
	double reads[20];
	for (int i = 0; i < 20; i++) {
		json_t *out = NULL;
		double r0 = now_ms();
		must(gov_proposal_status(&ctx, proposal, NULL, &out, &err), "status");
		reads[i] = now_ms() - r0;
		json_decref(out);
	}
	qsort(reads, 20, sizeof(*reads), cmp);

	/* the baseline: the count walked from scratch */
	struct ratify_result fast, walk;
	double walks[3];
	for (int i = 0; i < 3; i++) {
		double w0 = now_ms();
		must(proposal_count_walk(s, proposal, 1, 1, cond, &walk), "walk");
		walks[i] = now_ms() - w0;
	}
	qsort(walks, 3, sizeof(*walks), cmp);
	must(proposal_count_eval(s, proposal, 1, 1, cond, &fast, NULL), "eval");
	json_decref(cond);
	if (fast.locals != walk.locals || fast.locals_accepted != walk.locals_accepted ||
	    fast.population_accepted != walk.population_accepted || fast.met != walk.met) {
		fprintf(stderr, "fed_core: the running count (%lld) differs from the walk (%lld)\n",
			(long long)fast.locals_accepted, (long long)walk.locals_accepted);
		return 1;
	}
	printf("build_s %.1f\n", build);
	printf("answer_ms %.3f\n", answer);
	printf("met_ms %.1f\n", met_ms);
	printf("after_ms %.3f\n", answer_after);
	printf("delegate_ms %.3f\n", delegate);
	printf("status_ms %.3f\n", reads[10]);
	printf("walk_ms %.1f\n", walks[1]);
	printf("locals %lld\naccepted %lld\nmet %d\n", (long long)walk.locals,
	       (long long)walk.locals_accepted, walk.met);
	store_close(s);
	return 0;
}
