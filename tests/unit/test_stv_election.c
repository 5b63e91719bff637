/* Electing several delegates at once by STV (src/gov/procedure/ranked.c, the
 * elect_delegates kind with seats and candidates), through the domain
 * layer with a clock the test controls. Ten members of north (community
 * 1,000) meet on Tuesdays and take motions from the floor; north founds
 * the delegate assembly transit. Proven here: a 3-seat count whose result
 * is known by hand elects by transfers (not by first preferences alone)
 * and seats everyone elected with one mandate; every refusal (hands,
 * a position on a ranked election, a ranking on a yes/no one, bad
 * rankings, bad seats and candidates); a secret ranked ballot leaves no
 * link to its voter anywhere; a candidate who left before the close is
 * withdrawn from the count, and too few left makes the decision void; in
 * a delegate assembly each ballot weighs its delegate's voice. */
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
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "store/journal.h"
#include "store/store.h"

#define FX_PEOPLE 10

enum { AMARA, BRUNO, CHEN, DORA, EMIL, FARAH, GUS, HANA, IVAN, JO };
static const char *const people[] = { "amara", "bruno", "chen", "dora", "emil",
				      "farah", "gus", "hana", "ivan", "jonas" };
static const char *const towns[] = { "north", "south", "east" };

#include "meeting_fixture.h"

/* A set-up step failed: say which and why. */
static int setup_failed(int step, const struct px_error *err)
{
	fprintf(stderr, "setup step %d: %s\n", step, px_error_message(err));
	return -1;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct px_error err = { 0 };
	struct gov_ctx c;
	json_t *out;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-stv-XXXXXX");
	if (!mkdtemp(f->dir))
		return setup_failed(1, &err);
	snprintf(f->path, sizeof(f->path), "%s/f.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &err))
		return setup_failed(2, &err);
	f->now = T0;
	as(f, &c, -1);
	c.operator = 1;
	for (int i = 0; i < 3; i++) {
		if (gov_community_add(&c, towns[i], towns[i], 1000 * (i + 1), &out, &err))
			return setup_failed(3, &err);
		json_decref(out);
	}
	for (int i = 0; i < FX_PEOPLE; i++) {
		if (gov_account_create(&c, people[i], people[i], "a long passphrase", &out, &err))
			return setup_failed(4, &err);
		json_decref(out);
		sqlite3_stmt *st = store_stmt(f->s, "SELECT id FROM accounts WHERE handle = ?");
		sqlite3_bind_text(st, 1, people[i], -1, SQLITE_STATIC);
		sqlite3_step(st);
		f->ids[i] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	json_t *r = json_loads(rule, 0, NULL), *sc = json_loads(sched, 0, NULL);
	for (int i = 0; i < 3; i++) {
		struct body_found in = { towns[i], NULL, towns[i], "We meet as equals.",
					 r, sc, NULL, NULL };
		as(f, &c, i); /* amara founds north, bruno south, chen east */
		if (gov_body_found(&c, &in, &out, &err))
			return setup_failed(5, &err);
		json_decref(out);
	}
	json_decref(r);
	json_decref(sc);
	/* everyone else lives in north */
	for (int i = BRUNO; i < FX_PEOPLE; i++) {
		as(f, &c, i);
		if (gov_member_join(&c, "north", 1, "lives", &out, &err))
			return setup_failed(6, &err);
		json_decref(out);
	}
	f->now = MEETING1 + 60;
	*state = f;
	return 0;
}

/* who casts the ranking given as JSON text */
static int rank(struct fx *f, int who, int64_t motion, const char *ranking,
		struct px_error *err)
{
	struct gov_ctx c;
	json_t *out = NULL, *r = json_loads(ranking, 0, NULL);
	f->now++;
	as(f, &c, who);
	memset(err, 0, sizeof(*err));
	int rc = gov_vote_cast_ranked(&c, motion, r, &out, err);
	json_decref(r);
	json_decref(out);
	return rc;
}

static const char *status_of(struct fx *f, int64_t motion)
{
	static char buf[32];
	sqlite3_stmt *st = store_stmt(f->s, "SELECT status FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_step(st);
	snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return buf;
}

static int64_t count_sql(struct fx *f, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = store_stmt(f->s, sql);
	sqlite3_bind_int64(st, 1, arg);
	sqlite3_step(st);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static void decide(struct fx *f, const char *slug, int who, const char *kind,
		   const char *title, const char *text, const char *params)
{
	struct px_error err = { 0 };
	int64_t id;
	if (submit_rc(f, slug, who, kind, title, text, params, &id, &err))
		fail_msg("submit %s in %s: %s (%s)", kind, slug, px_error_message(&err),
			 err.field ? err.field : "-");
	attend(f, who, id);
	assert_int_equal(act(f, who, id, "open", "devices", &err), 0);
	assert_int_equal(act(f, who, id, "vote", "yes", &err), 0);
	if (act(f, who, id, "close", NULL, &err))
		fail_msg("close %s: %s", kind, px_error_message(&err));
	assert_string_equal(status_of(f, id), "adopted");
}

/* north founds transit (no delegate yet) */
static void transit(struct fx *f)
{
	char p[1024];
	snprintf(p, sizeof(p), "{\"slug\":\"transit\",\"name\":\"Transit\",\"purpose\":"
		 "\"transport\",\"region\":\"the coast\",\"statement\":\"We coordinate.\","
		 "\"rule\":%s,\"schedule\":%s}", rule, sched);
	decide(f, "north", AMARA, "found_federation", "Found transit", "", p);
}

/* The 3-seat election of north's delegates to transit: candidates amara,
 * bruno, chen, dora, emil. */
static const char three_seats[] = "{\"federation\":\"transit\",\"seats\":3,"
	"\"candidates\":[\"amara\",\"bruno\",\"chen\",\"dora\",\"emil\"],"
	"\"mandate\":\"Vote for buses.\"}";

static int64_t seated(struct fx *f, int who, int64_t motion)
{
	sqlite3_stmt *st = store_stmt(f->s, "SELECT count(*) FROM delegations"
		" WHERE account_id = ? AND elected_by = ? AND recalled_by IS NULL"
		" AND mandate = 'Vote for buses.'");
	sqlite3_bind_int64(st, 1, f->ids[who]);
	sqlite3_bind_int64(st, 2, motion);
	sqlite3_step(st);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Ten ballots, 3 seats, Droop quota 10/4 = 2.5: 5 x [amara, bruno],
 * 3 x [chen], 2 x [dora]. amara (5) and chen (3) reach the quota;
 * amara's surplus (2.5) goes to bruno, who then passes dora (2). By
 * first preferences alone dora (2) would beat bruno (0). */
static int64_t vote_three_seats(struct fx *f)
{
	struct px_error err = { 0 };
	int64_t id;
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	for (int i = 0; i < FX_PEOPLE; i++)
		attend(f, i, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	for (int i = 0; i < FX_PEOPLE; i++) {
		const char *r = i < 5 ? "[\"amara\",\"bruno\"]"
			      : i < 8 ? "[\"chen\"]" : "[\"dora\"]";
		if (rank(f, i, id, r, &err))
			fail_msg("%s: %s", people[i], px_error_message(&err));
	}
	return id;
}

static void test_stv_three_seats_elected_by_transfers(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id = vote_three_seats(f);
	/* a ballot is final */
	assert_int_equal(rank(f, JO, id, "[\"bruno\"]", &err), PX_E_ALREADY_VOTED);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "adopted");
	assert_int_equal(seated(f, AMARA, id), 1);
	assert_int_equal(seated(f, BRUNO, id), 1);
	assert_int_equal(seated(f, CHEN, id), 1);
	assert_int_equal(seated(f, DORA, id), 0);
	assert_int_equal(seated(f, EMIL, id), 0);
	/* the count is kept in the result, round by round */
	struct gov_ctx c;
	json_t *m = NULL;
	as(f, &c, -1);
	assert_int_equal(gov_motion_get(&c, id, &m, &err), 0);
	json_t *res = json_object_get(m, "result");
	json_t *count = json_object_get(res, "count");
	assert_true(json_is_true(json_object_get(m, "ranked")));
	assert_string_equal(json_string_value(json_object_get(count, "method")), "stv-meek");
	assert_int_equal(json_array_size(json_object_get(count, "elected")), 3);
	assert_true(json_array_size(json_object_get(count, "rounds")) >= 2);
	assert_int_equal(json_integer_value(json_object_get(res, "ballots")), 10);
	/* open ballots show with their voters */
	assert_int_equal(json_array_size(json_object_get(m, "votes")), 10);
	json_decref(m);
	/* the journal's decision carries the elected */
	assert_int_equal(count_sql(f, "SELECT count(*) FROM journal WHERE action = 'motion.decide'"
		" AND json_extract(payload, '$.motion') = ? AND json_array_length(payload,"
		" '$.effect.delegates.elected') = 3", id), 1);
	/* open ballot entries say how each voted */
	assert_int_equal(count_sql(f, "SELECT count(*) FROM journal WHERE action = 'vote.cast'"
		" AND json_extract(payload, '$.motion') = ? AND json_extract(payload,"
		" '$.ranking') IS NOT NULL", id), 10);
}

static void test_stv_wigm_method_and_scottish_give_the_same_here(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
		"{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\","
		"\"chen\"],\"mandate\":\"Vote for buses.\",\"method\":\"stv-scottish\"}", &id,
		&err), 0);
	attend(f, AMARA, id);
	attend(f, BRUNO, id);
	attend(f, CHEN, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	assert_int_equal(rank(f, AMARA, id, "[\"amara\",\"chen\"]", &err), 0);
	assert_int_equal(rank(f, BRUNO, id, "[\"chen\"]", &err), 0);
	assert_int_equal(rank(f, CHEN, id, "[\"chen\",\"bruno\"]", &err), 0);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "adopted");
	assert_int_equal(seated(f, CHEN, id), 1);
	assert_int_equal(seated(f, AMARA, id), 1);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM motions WHERE id = ? AND"
		" json_extract(result, '$.count.method') = 'stv-scottish'", id), 1);
}

static void test_stv_hands_refused_and_devices_only(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	attend(f, AMARA, id);
	assert_int_equal(act(f, AMARA, id, "open", "hands", &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "mode");
	assert_string_equal(status_of(f, id), "submitted");
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
}

static void test_stv_position_on_ranked_and_ranking_on_yes_no_refused(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id, res;
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	assert_int_equal(submit_rc(f, "north", AMARA, "resolution", "Buses", "More buses.",
				   NULL, &res, &err), 0);
	attend(f, AMARA, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	assert_int_equal(act(f, AMARA, res, "open", "devices", &err), 0);
	assert_int_equal(act(f, AMARA, id, "vote", "yes", &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "position");
	assert_int_equal(rank(f, AMARA, res, "[\"amara\"]", &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "ranking");
	/* nothing was kept */
	assert_int_equal(count_sql(f, "SELECT count(*) FROM votes WHERE motion_id = ?", id), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM ranked_ballots WHERE motion_id = ?",
				   res), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM journal WHERE action = 'vote.cast'"
				   " AND json_extract(payload, '$.motion') >= ?", id), 0);
}

static void test_stv_bad_rankings_refused(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	attend(f, AMARA, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	static const struct {
		const char *ranking;
		int rc;
	} bad[] = {
		{ "[\"amara\",\"farah\"]", PX_E_BAD_INPUT },        /* not a candidate */
		{ "[\"amara\",\"bruno\",\"amara\"]", PX_E_BAD_INPUT }, /* twice */
		{ "[]", PX_E_BAD_INPUT },                           /* empty */
		{ "[\"amara\",3]", PX_E_BAD_TYPE },                 /* not a handle */
		{ "{\"amara\":1}", PX_E_BAD_TYPE },                 /* not a list */
		{ "[\"amara\",\"bruno\",\"chen\",\"dora\",\"emil\",\"farah\"]", PX_E_BAD_INPUT },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rank(f, AMARA, id, bad[i].ranking, &err), bad[i].rc);
		assert_string_equal(err.field, "ranking");
	}
	/* not checked in */
	assert_int_equal(rank(f, BRUNO, id, "[\"amara\"]", &err), PX_E_NOT_CHECKED_IN);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM ranked_ballots WHERE motion_id = ?",
				   id), 0);
	assert_int_equal(rank(f, AMARA, id, "[\"emil\",\"amara\"]", &err), 0);
}

static void test_stv_bad_seats_and_candidates_refused(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	transit(f);
	static const struct {
		const char *params, *field;
		int rc;
	} bad[] = {
		/* too few candidates for the seats */
		{ "{\"federation\":\"transit\",\"seats\":3,\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\"}", "params.candidates", PX_E_OUT_OF_RANGE },
		{ "{\"federation\":\"transit\",\"seats\":1,\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\"}", "params.seats", PX_E_OUT_OF_RANGE },
		{ "{\"federation\":\"transit\",\"seats\":51,\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\"}", "params.seats", PX_E_OUT_OF_RANGE },
		/* not a number: the row's spec refuses its type, as for every kind */
		{ "{\"federation\":\"transit\",\"seats\":\"2\",\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\"}", "params.seats", PX_E_BAD_TYPE },
		{ "{\"federation\":\"transit\",\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\"}", "params.seats", PX_E_MISSING_FIELD },
		{ "{\"federation\":\"transit\",\"seats\":2,\"mandate\":\"M\"}",
		  "params.candidates", PX_E_MISSING_FIELD },
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":\"amara\","
		  "\"mandate\":\"M\"}", "params.candidates", PX_E_BAD_TYPE },
		/* not a member of north (chen founded east; zed has no account) */
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"zed\"],"
		  "\"mandate\":\"M\"}", "params.candidates", PX_E_NOT_FOUND },
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"amara\"],"
		  "\"mandate\":\"M\"}", "params.candidates", PX_E_BAD_INPUT },
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",1],"
		  "\"mandate\":\"M\"}", "params.candidates", PX_E_BAD_TYPE },
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\",\"delegate\":\"amara\"}", "params.delegate", PX_E_BAD_INPUT },
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\",\"method\":\"borda\"}", "params.method", PX_E_BAD_INPUT },
		{ "{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\"]}",
		  "params.mandate", PX_E_MISSING_FIELD },
		{ "{\"federation\":\"nowhere\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\"],"
		  "\"mandate\":\"M\"}", "params.federation", PX_E_NOT_FOUND },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = submit_rc(f, "north", AMARA, "elect_delegates", "E", "", bad[i].params,
				   &id, &err);
		if (rc != bad[i].rc || !err.field || strcmp(err.field, bad[i].field))
			fail_msg("case %zu: %d %s (%s)", i, rc, err.field ? err.field : "-",
				 px_error_message(&err));
	}
	/* chen left north: no longer a member */
	struct gov_ctx c;
	as(f, &c, CHEN);
	assert_int_equal(gov_member_leave(&c, "north", &err), 0);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "E", "",
		"{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"chen\"],"
		"\"mandate\":\"M\"}", &id, &err), PX_E_CONFLICT);
	assert_string_equal(err.field, "params.candidates");
	/* someone who holds a seat already */
	decide(f, "north", AMARA, "elect_delegates", "Amara", "",
	       "{\"federation\":\"transit\",\"delegate\":\"amara\",\"mandate\":\"M\"}");
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "E", "",
		"{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\","
		"\"dora\"],\"mandate\":\"M\"}", &id, &err), PX_E_CONFLICT);
	assert_string_equal(err.field, "params.candidates");
}

static void test_stv_secret_ballot_stores_no_link(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	char p[512];
	transit(f);
	snprintf(p, sizeof(p), "{\"rules\":%s,\"secret_ballot\":[\"elect_delegates\"]}", rule);
	decide(f, "north", AMARA, "change_rules", "Secret elections", "", p);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	for (int i = 0; i < FX_PEOPLE; i++)
		attend(f, i, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	for (int i = 0; i < FX_PEOPLE; i++) {
		const char *r = i < 5 ? "[\"amara\",\"bruno\"]"
			      : i < 8 ? "[\"chen\"]" : "[\"dora\"]";
		assert_int_equal(rank(f, i, id, r, &err), 0);
	}
	/* the first ballot is final: a second cannot replace it unlinked */
	assert_int_equal(rank(f, JO, id, "[\"emil\"]", &err), PX_E_ALREADY_VOTED);
	/* who voted, apart; the rankings alone, no voter, no time, no rowid */
	assert_int_equal(count_sql(f, "SELECT count(*) FROM voters WHERE motion_id = ?", id), 10);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM ranked_secret WHERE motion_id = ?",
				   id), 10);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM ranked_ballots WHERE motion_id = ?",
				   id), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM pragma_table_info('ranked_secret')"
				   " WHERE name NOT IN ('motion_id', 'round', 'key', 'ranking')"
				   " AND ? = 0", 0), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM sqlite_master WHERE name ="
		" 'ranked_secret' AND sql LIKE '%WITHOUT ROWID' AND ? = 0", 0), 1);
	/* the journal says who voted, never how */
	assert_int_equal(count_sql(f, "SELECT count(*) FROM journal WHERE action = 'vote.cast'"
		" AND json_extract(payload, '$.motion') = ? AND payload LIKE '%ranking%'", id), 0);
	/* nor does the live count or the motion while voting */
	struct gov_ctx c;
	json_t *out = NULL;
	as(f, &c, -1);
	assert_int_equal(gov_vote_counts(&c, id, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "voted")), 10);
	json_decref(out);
	assert_int_equal(gov_motion_get(&c, id, &out, &err), 0);
	assert_null(json_object_get(out, "votes"));
	json_decref(out);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "adopted");
	assert_int_equal(seated(f, BRUNO, id), 1);
	assert_int_equal(seated(f, DORA, id), 0);
}

static void test_stv_candidate_who_left_is_withdrawn_and_too_few_is_void(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	struct gov_ctx c;
	int64_t id = vote_three_seats(f);
	/* bruno leaves north before the close: amara's surplus passes him
	 * by, and dora (2 first preferences) takes the third seat */
	as(f, &c, BRUNO);
	assert_int_equal(gov_member_leave(&c, "north", &err), 0);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "adopted");
	assert_int_equal(seated(f, DORA, id), 1);
	assert_int_equal(seated(f, BRUNO, id), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM motions WHERE id = ? AND"
		" json_extract(result, '$.withdrawn[0].handle') = 'bruno'", id), 1);

	/* two seats, three candidates, two of whom leave: void, with the reason */
	int64_t id2;
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "More", "",
		"{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"emil\",\"farah\","
		"\"gus\"],\"mandate\":\"M\"}", &id2, &err), 0);
	assert_int_equal(act(f, AMARA, id2, "open", "devices", &err), 0);
	assert_int_equal(rank(f, AMARA, id2, "[\"emil\"]", &err), 0);
	assert_int_equal(rank(f, CHEN, id2, "[\"farah\"]", &err), 0);
	for (int who = FARAH; who <= GUS; who++) {
		as(f, &c, who);
		assert_int_equal(gov_member_leave(&c, "north", &err), 0);
	}
	assert_int_equal(act(f, AMARA, id2, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id2), "void");
	assert_int_equal(count_sql(f, "SELECT count(*) FROM delegations WHERE elected_by = ?",
				   id2), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM motions WHERE id = ? AND"
		" json_extract(result, '$.void_reason') LIKE '%only 1 candidates%'", id2), 1);
}

static void test_stv_fewer_ballots_than_seats_rejected(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	attend(f, AMARA, id);
	attend(f, BRUNO, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	assert_int_equal(rank(f, AMARA, id, "[\"amara\",\"bruno\"]", &err), 0);
	assert_int_equal(rank(f, BRUNO, id, "[\"bruno\"]", &err), 0);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "rejected");
	assert_int_equal(count_sql(f, "SELECT count(*) FROM delegations WHERE elected_by = ?",
				   id), 0);
}

static void test_stv_quorum_applies(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	char p[512];
	transit(f);
	snprintf(p, sizeof(p), "{\"rules\":{\"default\":{\"kind\":\"simple_majority\","
		 "\"quorum\":{\"count\":5}}}}");
	decide(f, "north", AMARA, "change_rules", "A quorum", "", p);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
		"{\"federation\":\"transit\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\"],"
		"\"mandate\":\"M\"}", &id, &err), 0);
	attend(f, BRUNO, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	assert_int_equal(rank(f, AMARA, id, "[\"amara\"]", &err), 0);
	assert_int_equal(rank(f, BRUNO, id, "[\"bruno\"]", &err), 0);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "no_quorum");
}

static void test_stv_online_vote_authorised_by_the_assembly(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	char p[200];
	transit(f);
	assert_int_equal(submit_rc(f, "north", AMARA, "elect_delegates", "Our delegates", "",
				   three_seats, &id, &err), 0);
	int64_t opens = f->now + 3600, closes = opens + 86400;
	snprintf(p, sizeof(p), "{\"motion\":%lld,\"mode\":\"online\",\"opens_at\":%lld,"
		 "\"closes_at\":%lld}", (long long)id, (long long)opens, (long long)closes);
	decide(f, "north", AMARA, "authorise_remote_vote", "Online", "", p);
	/* not before the window; then any member ranks, checked in or not */
	assert_int_equal(rank(f, DORA, id, "[\"dora\"]", &err), PX_E_NOT_AUTHORISED);
	f->now = opens + 10;
	for (int i = 0; i < FX_PEOPLE; i++) {
		const char *r = i < 5 ? "[\"amara\",\"bruno\"]"
			      : i < 8 ? "[\"chen\"]" : "[\"dora\"]";
		assert_int_equal(rank(f, i, id, r, &err), 0);
	}
	assert_int_equal(act(f, EMIL, id, "close", NULL, &err), PX_E_CONFLICT);
	f->now = closes + 1;
	assert_int_equal(act(f, EMIL, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "adopted");
	assert_int_equal(seated(f, BRUNO, id), 1);
	assert_int_equal(seated(f, DORA, id), 0);
	assert_int_equal(count_sql(f, "SELECT count(*) FROM motions WHERE id = ? AND"
		" json_extract(result, '$.present') = 10 AND vote_mode = 'online'", id), 1);
}

/* transit, weighted by population: north (1,000) with two delegates,
 * amara and emil; south (2,000) with bruno; east (3,000) with chen.
 * Shares after the common divisor: amara 1, emil 1, bruno 4, chen 6.
 * transit elects two delegates to coast: amara and emil rank amara,
 * bruno bruno, chen chen. Per head amara would lead (2 to 1 to 1);
 * weighted, chen (6) and bruno (4) are elected over amara (2). */
static void test_stv_weighted_in_delegate_assembly(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	int64_t id;
	char p[1024];
	transit(f);
	decide(f, "north", AMARA, "elect_delegates", "Amara", "",
	       "{\"federation\":\"transit\",\"delegate\":\"amara\",\"mandate\":\"M\"}");
	decide(f, "north", AMARA, "elect_delegates", "Emil", "",
	       "{\"federation\":\"transit\",\"delegate\":\"emil\",\"mandate\":\"M\"}");
	decide(f, "south", BRUNO, "join_federation", "Join", "", "{\"federation\":\"transit\"}");
	decide(f, "south", BRUNO, "elect_delegates", "Bruno", "",
	       "{\"federation\":\"transit\",\"delegate\":\"bruno\",\"mandate\":\"M\"}");
	decide(f, "east", CHEN, "join_federation", "Join", "", "{\"federation\":\"transit\"}");
	decide(f, "east", CHEN, "elect_delegates", "Chen", "",
	       "{\"federation\":\"transit\",\"delegate\":\"chen\",\"mandate\":\"M\"}");
	decide(f, "transit", AMARA, "change_weighting", "By population", "",
	       "{\"weighting\":\"population\"}");
	snprintf(p, sizeof(p), "{\"slug\":\"coast\",\"name\":\"Coast\",\"purpose\":"
		 "\"transport\",\"region\":\"the coast\",\"statement\":\"We coordinate.\","
		 "\"rule\":%s,\"schedule\":%s}", rule, sched);
	decide(f, "transit", AMARA, "found_federation", "Found coast", "", p);
	assert_int_equal(submit_rc(f, "transit", AMARA, "elect_delegates", "To coast", "",
		"{\"federation\":\"coast\",\"seats\":2,\"candidates\":[\"amara\",\"bruno\","
		"\"chen\"],\"mandate\":\"Vote for buses.\"}", &id, &err), 0);
	attend(f, AMARA, id);
	attend(f, EMIL, id);
	attend(f, BRUNO, id);
	attend(f, CHEN, id);
	assert_int_equal(act(f, AMARA, id, "open", "hands", &err), PX_E_BAD_INPUT);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	assert_int_equal(rank(f, AMARA, id, "[\"amara\"]", &err), 0);
	assert_int_equal(rank(f, EMIL, id, "[\"amara\"]", &err), 0);
	assert_int_equal(rank(f, BRUNO, id, "[\"bruno\"]", &err), 0);
	assert_int_equal(rank(f, CHEN, id, "[\"chen\"]", &err), 0);
	assert_int_equal(act(f, AMARA, id, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, id), "adopted");
	assert_int_equal(seated(f, CHEN, id), 1);
	assert_int_equal(seated(f, BRUNO, id), 1);
	assert_int_equal(seated(f, AMARA, id), 0);
	/* the count's ballots are the weights: 1 + 1 + 4 + 6 */
	assert_int_equal(count_sql(f, "SELECT count(*) FROM motions WHERE id = ? AND"
		" json_extract(result, '$.count.ballots') = 12 AND"
		" json_extract(result, '$.weighted') = 1 AND"
		" json_extract(result, '$.members') = 12", id), 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_stv_three_seats_elected_by_transfers),
		T(test_stv_wigm_method_and_scottish_give_the_same_here),
		T(test_stv_hands_refused_and_devices_only),
		T(test_stv_position_on_ranked_and_ranking_on_yes_no_refused),
		T(test_stv_bad_rankings_refused),
		T(test_stv_bad_seats_and_candidates_refused),
		T(test_stv_secret_ballot_stores_no_link),
		T(test_stv_candidate_who_left_is_withdrawn_and_too_few_is_void),
		T(test_stv_fewer_ballots_than_seats_rejected),
		T(test_stv_quorum_applies),
		T(test_stv_online_vote_authorised_by_the_assembly),
		T(test_stv_weighted_in_delegate_assembly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
