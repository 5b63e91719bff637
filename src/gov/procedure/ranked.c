/*
 * ranked.c: ranked ballots of a multi-seat election, kept and counted
 * (ranked.h says what is kept where and why).
 *
 * Invariants: a stored ranking is always ranked_check's canonical text
 * (distinct candidate handles of the election); a secret ranked ballot is
 * a row keyed by 16 random bytes in a table without rowid and with no
 * voter or time column, so the stored order is the order of the random
 * keys; the count uses only integer weights and the tally library's exact
 * arithmetic, with a lot stream seeded by the motion's number.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ballots.h"
#include "core/errors.h"
#include "core/tally.h"
#include "store/store.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static const char *const methods[] = { "stv-meek", "stv-wigm", "stv-scottish", NULL };

int ranked_method_valid(const char *name)
{
	for (const char *const *m = methods; name && *m; m++)
		if (!strcmp(*m, name))
			return 1;
	return 0;
}

int ranked_is(const char *kind, const json_t *params)
{
	return kind && !strcmp(kind, "elect_delegates") &&
	       json_object_get(params, "seats") != NULL;
}

int ranked_is_text(const char *kind, const char *params)
{
	if (!kind || !params || strcmp(kind, "elect_delegates"))
		return 0;
	json_t *p = json_loads(params, 0, NULL);
	int r = ranked_is(kind, p);
	json_decref(p);
	return r;
}

/* The index of handle among the election's candidates, or -1. */
static int cand_index(const json_t *cands, const char *handle)
{
	size_t i;
	json_t *c;
	json_array_foreach(cands, i, c)
		if (handle && !strcmp(json_string_value(c), handle))
			return (int)i;
	return -1;
}

int ranked_check(const json_t *params, const json_t *ranking, char **canon,
		 struct px_error *err)
{
	const json_t *cands = json_object_get(params, "candidates");
	size_t n = json_array_size(cands), i;
	json_t *v;
	*canon = NULL;
	if (!json_is_array(ranking))
		return px_fail(err, PX_E_BAD_TYPE, "ranking",
			       "ranking is a list of candidates' handles, first preference first");
	if (!json_array_size(ranking))
		return px_fail(err, PX_E_BAD_INPUT, "ranking",
			       "rank at least one candidate");
	if (json_array_size(ranking) > n)
		return px_fail(err, PX_E_BAD_INPUT, "ranking",
			       "there are only %zu candidates", n);
	unsigned char *seen = calloc(n ? n : 1, 1);
	if (!seen)
		return PX_E_NOMEM;
	int rc = 0;
	json_array_foreach(ranking, i, v) {
		if (!json_is_string(v)) {
			rc = px_fail(err, PX_E_BAD_TYPE, "ranking", "each entry is a handle");
			break;
		}
		int c = cand_index(cands, json_string_value(v));
		if (c < 0) {
			rc = px_fail(err, PX_E_BAD_INPUT, "ranking",
				     "'%.40s' is not a candidate in this election",
				     json_string_value(v));
			break;
		}
		if (seen[c]) {
			rc = px_fail(err, PX_E_BAD_INPUT, "ranking",
				     "'%s' is ranked twice", json_string_value(v));
			break;
		}
		seen[c] = 1;
	}
	free(seen);
	if (!rc) {
		*canon = json_dumps(ranking, JSON_COMPACT);
		if (!*canon)
			rc = PX_E_NOMEM;
	}
	return rc;
}

int ranked_store(struct store *s, int64_t motion, int64_t round, int64_t account,
		 int secret, const char *ranking, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, secret
		? "INSERT INTO voters(motion_id, round, account_id) VALUES (?1, ?2, ?3)"
		  " ON CONFLICT DO NOTHING"
		: "INSERT INTO ranked_ballots(motion_id, round, account_id, ranking)"
		  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_int64(st, 3, account);
	if (!secret)
		sqlite3_bind_text(st, 4, ranking, -1, SQLITE_STATIC);
	int rc = store_run(st);
	if (rc)
		return rc;
	if (!sqlite3_changes(store_db(s)))
		return px_fail(err, PX_E_ALREADY_VOTED, NULL,
			       "you have already voted in this election: a ballot is final");
	if (!secret)
		return 0;
	/* the ranking alone, under a key that says nothing */
	unsigned char key[16];
	randombytes_buf(key, sizeof(key));
	st = store_stmt(s, "INSERT INTO ranked_secret(motion_id, round, key, ranking)"
			   " VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_blob(st, 3, key, sizeof(key), SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, ranking, -1, SQLITE_STATIC);
	return store_run(st);
}

int ranked_voted(struct store *s, int64_t motion, int64_t round, int secret, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, secret
		? "SELECT count(*) FROM voters WHERE motion_id = ? AND round = ?"
		: "SELECT count(*) FROM ranked_ballots WHERE motion_id = ? AND round = ?");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	return store_int64(st, n, NULL);
}

json_t *ranked_open_json(struct store *s, int64_t motion, int64_t round)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, r.ranking FROM ranked_ballots r"
		" JOIN accounts a ON a.id = r.account_id WHERE r.motion_id = ? AND r.round = ?"
		" ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *r = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
		json_array_append_new(list, json_pack("{s:s, s:o}", "member",
			(const char *)sqlite3_column_text(st, 0), "ranking",
			r ? r : json_array()));
	}
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}

json_t *ranked_secret_json(struct store *s, int64_t motion, int64_t round)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT ranking FROM ranked_secret"
		" WHERE motion_id = ? AND round = ? ORDER BY ranking");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	int rc = 0;
	while (list && store_next(st, &rc)) {
		json_t *r = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (!r || json_array_append_new(list, r)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc || !list) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int ranked_secret_restore(struct store *s, int64_t motion, int64_t round,
			  const json_t *params, const json_t *rankings,
			  struct px_error *err)
{
	size_t i;
	json_t *r;
	int rc = 0;
	if (!json_is_array(rankings))
		return px_fail(err, PX_E_BAD_INPUT, "rankings", "no list of rankings");
	json_array_foreach(rankings, i, r) {
		char *canon = NULL;
		unsigned char key[16];
		if ((rc = ranked_check(params, r, &canon, err)))
			return rc;
		randombytes_buf(key, sizeof(key));
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO ranked_secret(motion_id,"
					      " round, key, ranking) VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, motion);
		sqlite3_bind_int64(st, 2, round);
		sqlite3_bind_blob(st, 3, key, sizeof(key), SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, canon, -1, SQLITE_TRANSIENT);
		rc = store_run(st);
		free(canon);
		if (rc)
			return rc;
	}
	return 0;
}

/* The weights of a delegate assembly's seats, or none (one per ballot). */
struct weights {
	int64_t *account, *weight;
	size_t n;
	int64_t members;
};

static int64_t weight_of(const struct weights *w, int64_t account)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->account[i] == account)
			return w->weight[i];
	return 0;
}

static void weights_release(struct weights *w)
{
	free(w->account);
	free(w->weight);
	memset(w, 0, sizeof(*w));
}

int ranked_presence(struct store *s, int64_t body_id, int64_t motion,
		    int64_t round, int64_t meeting_id, int remote, int secret,
		    int64_t members_at_open, int64_t *members, int64_t *present,
		    int64_t *ballots)
{
	int delegate = 0;
	int rc = ranked_voted(s, motion, round, secret, ballots);
	if (rc || (rc = fed_is_delegate(s, body_id, &delegate)))
		return rc;
	if (!delegate) {
		*members = members_at_open;
		*present = *ballots;
		if (!remote && meeting_id &&
		    (rc = meeting_present_for_vote(s, meeting_id, motion, round, present)))
			return rc;
		if (*present > *members)
			*members = *present; /* someone joined since the vote opened */
		return 0;
	}
	/* a delegate assembly: the voices its delegates carry (ballots
	 * there are open, so each is a named row with its weight) */
	struct weights w = { 0 };
	rc = fed_seat_weights(s, body_id, &w.account, &w.weight, &w.n, &w.members);
	if (rc)
		return rc;
	*members = w.members;
	*present = 0;
	sqlite3_stmt *st = store_stmt(s, remote || !meeting_id
		? "SELECT account_id FROM ranked_ballots WHERE motion_id = ?1 AND round = ?2"
		: "SELECT account_id FROM attendance WHERE meeting_id = ?3 AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_int64(st, 3, meeting_id);
	while (store_next(st, &rc))
		*present += weight_of(&w, sqlite3_column_int64(st, 0));
	weights_release(&w);
	return rc;
}

/* Add one stored ranking of weight w to bs. */
static int add_ballot(struct ballot_set *bs, const json_t *cands, const char *text,
		      uint64_t w)
{
	uint16_t cand[RANKED_CANDIDATES_MAX], level[RANKED_CANDIDATES_MAX];
	size_t len = 0, i;
	json_t *v, *r = json_loads(text, 0, NULL);
	if (!r)
		return PX_E_INTERNAL;
	json_array_foreach(r, i, v) {
		int c = cand_index(cands, json_string_value(v));
		if (c < 0 || len == RANKED_CANDIDATES_MAX)
			continue; /* cannot happen: checked when cast */
		cand[len] = (uint16_t)c;
		level[len] = (uint16_t)len;
		len++;
	}
	json_decref(r);
	return ballots_add(bs, cand, level, len, w);
}

int ranked_count(struct store *s, int64_t motion, int64_t body_id,
		 const json_t *params, const unsigned char *withdrawn,
		 json_t **count, json_t **elected, struct px_error *err)
{
	const json_t *cands = json_object_get(params, "candidates");
	const char *method_name = json_string_value(json_object_get(params, "method"));
	const struct tally_method *method = tally_method_find(method_name ? method_name
							      : RANKED_DEFAULT_METHOD);
	size_t ncand = json_array_size(cands), i;
	struct ballot_set bs;
	struct tally_result r;
	struct weights w = { 0 };
	struct tally_opts o = { 0 };
	char seed[64];
	int weighted = 0, secret = 0, row = 0, rc;
	int64_t round = 1;
	json_t *c;
	*count = *elected = NULL;
	memset(&r, 0, sizeof(r));
	if (!method || ncand == 0 || ncand > RANKED_CANDIDATES_MAX)
		return PX_E_INTERNAL;
	if ((rc = fed_is_delegate(s, body_id, &weighted)))
		return rc;
	if ((rc = ballots_init(&bs, ncand)))
		return rc;
	json_array_foreach(cands, i, c) {
		const char *h = json_string_value(c);
		if ((rc = ballots_set_name(&bs, i, h, strlen(h))))
			goto out;
		bs.withdrawn[i] = withdrawn ? withdrawn[i] : 0;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT ballot = 'secret', round FROM motions"
					 " WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		secret = sqlite3_column_int(st, 0);
		round = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	if (weighted && (rc = fed_seat_weights(s, body_id, &w.account, &w.weight, &w.n,
					       &w.members)))
		goto out;
	st = store_stmt(s, secret
		? "SELECT 0, ranking FROM ranked_secret WHERE motion_id = ? AND round = ?"
		  " ORDER BY ranking" /* as journalled (ranked_secret_json) */
		: "SELECT account_id, ranking FROM ranked_ballots WHERE motion_id = ?"
		  " AND round = ?");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	while (store_next(st, &rc)) {
		/* a delegate's ballot weighs what their vote weighs; a seat
		 * lost meanwhile weighs nothing */
		int64_t weight = weighted ? weight_of(&w, sqlite3_column_int64(st, 0)) : 1;
		if (weight > 0)
			rc = add_ballot(&bs, cands, (const char *)sqlite3_column_text(st, 1),
					(uint64_t)weight);
	}
	sqlite3_reset(st);
	if (rc)
		goto out;
	ballots_seal(&bs);
	if (!bs.total) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "no ballot ranks an eligible candidate");
		goto out;
	}
	snprintf(seed, sizeof(seed), "pnyx-motion-%lld", (long long)motion);
	o.seats = (size_t)json_integer_value(json_object_get(params, "seats"));
	o.seed = seed;
	if ((rc = tally_run(method, &bs, &o, &r, err)))
		goto out;
	*count = tally_result_json(&r, &bs);
	*elected = json_array();
	for (i = 0; i < r.nelected; i++)
		json_array_append_new(*elected, json_string(bs.names[r.elected[i]]));
	if (!*count || !*elected)
		rc = PX_E_NOMEM;
out:
	if (rc) {
		json_decref(*count);
		json_decref(*elected);
		*count = *elected = NULL;
	}
	tally_result_release(&r);
	ballots_release(&bs);
	weights_release(&w);
	return rc;
}
