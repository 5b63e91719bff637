/*
 * ps.c: a round of alternatives shared by probabilistic serial
 * (docs/sharing.md section 5 and "Several alternatives"). A local
 * assembly may declare a unit good scarce with the policy
 * probabilistic_serial and the other goods that are alternatives to it
 * (two kinds of bicycle, three schools' places): the round of the good
 * then covers the whole group. Each person ranks the alternatives they
 * would accept, best first, and wants one unit. At the close the supply
 * of every alternative is its stock, and the commitment covers every
 * ranking (core/ps_record.c); once the public source is entered, the
 * eating algorithm gives each person's exact share of each alternative
 * (core/probserial.c, px_ps_eat), and the dependent rounding drawn from
 * the round's seed decides who receives what (px_ps_draw): each person
 * receives each alternative with exactly their share as probability.
 *
 * The entries are those of every round (rounds.c): round.request with a
 * "ranking" (the goods' numbers, best first; category 0, amount 1),
 * round.close with "supplies" (each alternative's stock, in the policy's
 * order) and round.draw; each applied by the same function live and in
 * replay.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/probserial.h"
#include "core/ps_record.h"
#include "core/ration.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

#define PS_MAX_ALTERNATIVES 20

int ps_alternatives(struct store *s, int64_t scarcity, json_t **alts)
{
	int row = 0, rc;
	*alts = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT alternatives FROM scarcities WHERE id = ?"
				      " AND policy = 'probabilistic_serial'");
	sqlite3_bind_int64(st, 1, scarcity);
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		*alts = t ? json_loads(t, 0, NULL) : NULL;
		sqlite3_reset(st);
		if (!json_is_array(*alts)) {
			json_decref(*alts);
			*alts = NULL;
			return PX_E_INTERNAL;
		}
	}
	return 0;
}

/* The index of good in alts, or -1. */
static int64_t alt_index(const json_t *alts, int64_t good)
{
	size_t i;
	json_t *x;
	json_array_foreach(alts, i, x)
		if (json_integer_value(x) == good)
			return (int64_t)i;
	return -1;
}

int ps_check_ranking(const json_t *alts, const json_t *ranking, struct px_error *err)
{
	size_t i, j;
	json_t *x, *y;
	if (!json_is_array(ranking) || !json_array_size(ranking) ||
	    json_array_size(ranking) > json_array_size(alts))
		return px_fail(err, PX_E_BAD_INPUT, "ranking", "rank the alternatives you would"
			       " accept, best first: from 1 to %zu of them", json_array_size(alts));
	json_array_foreach(ranking, i, x) {
		if (!json_is_integer(x) || alt_index(alts, json_integer_value(x)) < 0)
			return px_fail(err, PX_E_BAD_INPUT, "ranking", "good %lld is not one of"
				       " this round's alternatives",
				       (long long)json_integer_value(x));
		json_array_foreach(ranking, j, y)
			if (j < i && json_integer_value(y) == json_integer_value(x))
				return px_fail(err, PX_E_BAD_INPUT, "ranking", "good %lld is ranked"
					       " twice", (long long)json_integer_value(x));
	}
	return 0;
}

/* A round's instance: the alternatives with their supplies, and the
 * requests in canonical order (ascending leaves) with their rankings as
 * indices of the alternatives. */
struct ps_inst {
	size_t m, n;
	char (*idtext)[24];
	const char **ids;
	int64_t *goods, *supply, *req_ids, *accounts, *assigned;
	uint32_t *ranked;
	struct px_ps_agent *agents;
	unsigned char (*leaves)[32];
	struct px_ration_q *shares;
	size_t n_shares;
};

static void inst_release(struct ps_inst *x)
{
	free(x->idtext);
	free(x->ids);
	free(x->goods);
	free(x->supply);
	free(x->req_ids);
	free(x->accounts);
	free(x->assigned);
	free(x->ranked);
	free(x->agents);
	free(x->leaves);
	free(x->shares);
	memset(x, 0, sizeof(*x));
}

static int inst_build(struct store *s, int64_t round, const json_t *alts,
		      const json_t *supplies, struct ps_inst *x)
{
	int64_t n = 0;
	int rc;
	memset(x, 0, sizeof(*x));
	x->m = json_array_size(alts);
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*), coalesce(sum(json_array_length("
				      "ranking)), 0) FROM round_requests WHERE round_id = ?");
	sqlite3_bind_int64(st, 1, round);
	int row = 0;
	if ((rc = store_step(st, &row)) || !row)
		return rc ? rc : PX_E_INTERNAL;
	n = sqlite3_column_int64(st, 0);
	int64_t total = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	x->idtext = calloc(x->m, sizeof(*x->idtext));
	x->ids = calloc(x->m, sizeof(*x->ids));
	x->goods = calloc(x->m, sizeof(*x->goods));
	x->supply = calloc(x->m, sizeof(*x->supply));
	x->req_ids = calloc((size_t)n + 1, sizeof(*x->req_ids));
	x->accounts = calloc((size_t)n + 1, sizeof(*x->accounts));
	x->assigned = calloc((size_t)n + 1, sizeof(*x->assigned));
	x->agents = calloc((size_t)n + 1, sizeof(*x->agents));
	x->leaves = calloc((size_t)n + 1, sizeof(*x->leaves));
	x->ranked = calloc((size_t)total + 1, sizeof(*x->ranked));
	x->shares = calloc((size_t)total + 1, sizeof(*x->shares));
	x->n_shares = (size_t)total;
	if (!x->idtext || !x->ids || !x->goods || !x->supply || !x->req_ids || !x->accounts ||
	    !x->assigned || !x->agents || !x->leaves || !x->ranked || !x->shares) {
		inst_release(x);
		return PX_E_NOMEM;
	}
	for (size_t j = 0; j < x->m; j++) {
		x->goods[j] = json_integer_value(json_array_get(alts, j));
		snprintf(x->idtext[j], sizeof(x->idtext[j]), "%lld", (long long)x->goods[j]);
		x->ids[j] = x->idtext[j];
		x->supply[j] = json_integer_value(json_array_get(supplies, j));
	}
	size_t at = 0;
	st = store_stmt(s, "SELECT id, account_id, leaf, ranking FROM round_requests WHERE"
			" round_id = ? ORDER BY leaf");
	sqlite3_bind_int64(st, 1, round);
	while (store_next(st, &rc)) {
		if (x->n == (size_t)n) {
			sqlite3_reset(st);
			rc = PX_E_INTERNAL;
			break;
		}
		json_t *rk = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
		size_t k;
		json_t *v;
		x->req_ids[x->n] = sqlite3_column_int64(st, 0);
		x->accounts[x->n] = sqlite3_column_int64(st, 1);
		if (sqlite3_column_bytes(st, 2) == 32)
			memcpy(x->leaves[x->n], sqlite3_column_blob(st, 2), 32);
		x->agents[x->n].ranked = x->ranked + at;
		json_array_foreach(rk, k, v) {
			int64_t j = alt_index(alts, json_integer_value(v));
			if (j < 0 || at >= (size_t)total)
				break;
			x->ranked[at++] = (uint32_t)j;
			x->agents[x->n].n_ranked++;
		}
		json_decref(rk);
		x->n++;
	}
	if (rc)
		inst_release(x);
	return rc;
}

/* The stock of each alternative now, in the policy's order. */
static json_t *stocks_now(struct store *s, const json_t *alts, int *rc)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	*rc = out ? 0 : PX_E_NOMEM;
	json_array_foreach(alts, i, x) {
		struct good_row g;
		struct px_error e = { 0 };
		if (*rc || (*rc = sharing_good_row(s, json_integer_value(x), &g, &e)))
			break;
		json_array_append_new(out, json_integer(g.stock));
	}
	if (*rc) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int ps_close(struct store *s, int64_t round, const json_t *alts, const json_t *p,
	     json_t *fill, int64_t now, struct px_error *err)
{
	struct ps_inst x;
	unsigned char inputs[32], got[32], want[32];
	char hex[65];
	int rc;
	json_t *supplies = stocks_now(s, alts, &rc);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	const json_t *given = json_object_get(p, "supplies");
	const char *gc = json_string_value(json_object_get(p, "commitment"));
	size_t got_hex = 0;
	if ((given && !json_equal(given, supplies)) || (!given && !fill) ||
	    (gc && (strlen(gc) != 64 || sodium_hex2bin(want, 32, gc, 64, NULL, &got_hex, NULL)
		    || got_hex != 32))) {
		json_decref(supplies);
		return px_fail(err, PX_E_CONFLICT, NULL, "the round's supply or commitment is"
			       " not what its requests and the stock make");
	}
	if ((rc = inst_build(s, round, alts, supplies, &x))) {
		json_decref(supplies);
		return px_fail(err, rc, NULL, NULL);
	}
	px_ps_inputs_hash(x.ids, x.supply, x.m, x.agents, (const unsigned char (*)[32])x.leaves,
			  x.n, inputs);
	inst_release(&x);
	px_ration_round_commit((const unsigned char (*)[32])inputs, 1, got);
	sodium_bin2hex(hex, sizeof(hex), got, 32);
	if (!gc) {
		json_object_set(fill, "supplies", supplies);
		json_object_set_new(fill, "commitment", json_string(hex));
	} else if (memcmp(want, got, 32)) {
		json_decref(supplies);
		return px_fail(err, PX_E_CONFLICT, NULL, "the round's commitment is not what its"
			       " requests make");
	}
	char *text = json_dumps(supplies, JSON_COMPACT);
	json_decref(supplies);
	if (!text)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	sqlite3_stmt *st = store_stmt(s, "UPDATE rounds SET closed_at = ?, supply = ?,"
				      " supplies = ?, commitment = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(p, "supply")));
	sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 4, got, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, round);
	free(text);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

int ps_draw(struct store *s, int64_t round, const json_t *alts, const unsigned char seed[32],
	    const char *source, int64_t loan_days, int64_t now, struct px_error *err)
{
	struct ps_inst x;
	unsigned char inputs[32], hash[32];
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT supplies FROM rounds WHERE id = ?");
	sqlite3_bind_int64(st, 1, round);
	if ((rc = store_step(st, &row)) || !row)
		return px_fail(err, rc ? rc : PX_E_INTERNAL, NULL, NULL);
	json_t *supplies = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (!json_is_array(supplies) || json_array_size(supplies) != json_array_size(alts)) {
		json_decref(supplies);
		return px_fail(err, PX_E_INTERNAL, NULL, "a round's supplies do not read");
	}
	rc = inst_build(s, round, alts, supplies, &x);
	json_decref(supplies);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	px_ps_inputs_hash(x.ids, x.supply, x.m, x.agents, (const unsigned char (*)[32])x.leaves,
			  x.n, inputs);
	if ((rc = px_ps_eat(x.agents, x.n, x.supply, x.m, x.shares, err)) ||
	    (rc = px_ps_draw(x.agents, x.n, x.supply, x.m, x.shares, seed, x.assigned, err)))
		goto out;
	px_ps_result_hash(inputs, x.agents, x.n, x.shares, x.assigned, hash);
	size_t at = 0;
	for (size_t i = 0; i < x.n; i++) {
		json_t *sh = json_array();
		for (size_t k = 0; sh && k < x.agents[i].n_ranked; k++, at++)
			json_array_append_new(sh, json_pack("[I, I]", (json_int_t)x.shares[at].num,
							    (json_int_t)x.shares[at].den));
		char *text = sh ? json_dumps(sh, JSON_COMPACT) : NULL;
		json_decref(sh);
		if (!text) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		int got = x.assigned[i] >= 0;
		int64_t good = got ? x.goods[x.assigned[i]] : 0;
		st = store_stmt(s, "UPDATE round_requests SET shares = ?, assigned = ? WHERE"
				" id = ?");
		sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
		if (got)
			sqlite3_bind_int64(st, 2, good);
		sqlite3_bind_int64(st, 3, x.req_ids[i]);
		free(text);
		if ((rc = store_run(st)))
			goto fail;
		/* what it received: one unit or none, by no lot of places */
		struct px_ration_q one = { got, 1 };
		if ((rc = sharing_allocations_write(s, round, &x.req_ids[i], &one, NULL, 1)))
			goto fail;
		if (!got)
			continue;
		/* the unit goes to whoever received it: an item is held by them */
		st = store_stmt(s, "UPDATE goods SET stock = stock - 1, holder = CASE kind WHEN"
				" 'item' THEN ? ELSE holder END, due_at = CASE kind WHEN 'item' THEN"
				" ? ELSE due_at END WHERE id = ? AND stock >= 1");
		sqlite3_bind_int64(st, 1, x.accounts[i]);
		if (loan_days)
			sqlite3_bind_int64(st, 2, now + loan_days * 86400);
		sqlite3_bind_int64(st, 3, good);
		if ((rc = store_run(st)))
			goto fail;
		/* an item received is lent: its loan history starts here */
		int item = 0;
		st = store_stmt(s, "SELECT 1 FROM goods WHERE id = ? AND kind = 'item'");
		sqlite3_bind_int64(st, 1, good);
		if ((rc = store_exists(st, &item)) ||
		    (item && (rc = loan_start(s, good, x.accounts[i], "round", round, now,
					      loan_days ? now + loan_days * 86400 : 0))))
			goto fail;
	}
	st = store_stmt(s, "UPDATE rounds SET result = '[]', result_hash = ?, allocated_at = ?,"
			" source = ? WHERE id = ?");
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, round);
	if ((rc = store_run(st)))
		goto fail;
	goto out;
fail:
	rc = px_fail(err, rc, NULL, NULL);
out:
	inst_release(&x);
	return rc;
}

int ps_round_json(struct store *s, int64_t round, int64_t scarcity, json_t *o)
{
	json_t *alts = NULL, *list, *x;
	size_t i;
	int rc = ps_alternatives(s, scarcity, &alts);
	if (rc || !alts)
		return rc;
	json_t *supplies = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT supplies FROM rounds WHERE id = ?");
	sqlite3_bind_int64(st, 1, round);
	int row = 0;
	if ((rc = store_step(st, &row))) {
		json_decref(alts);
		return rc;
	}
	if (row) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		supplies = t ? json_loads(t, 0, NULL) : NULL;
		sqlite3_reset(st);
	}
	if (!(list = json_array())) {
		json_decref(alts);
		json_decref(supplies);
		return PX_E_NOMEM;
	}
	json_array_foreach(alts, i, x) {
		st = store_stmt(s, "SELECT name FROM goods WHERE id = ?");
		sqlite3_bind_int64(st, 1, json_integer_value(x));
		row = 0;
		if ((rc = store_step(st, &row)))
			break;
		json_t *a = json_pack("{s:O, s:s}", "id", x, "name", row
				      ? (const char *)sqlite3_column_text(st, 0) : "");
		if (row)
			sqlite3_reset(st);
		json_object_set_new(a, "supply", json_is_array(supplies)
			? json_incref(json_array_get(supplies, i)) : json_null());
		json_array_append_new(list, a);
	}
	json_decref(supplies);
	json_decref(alts);
	json_object_set_new(o, "policy", json_string("probabilistic_serial"));
	json_object_set_new(o, "alternatives", list);
	if (rc)
		return rc;
	/* each request's ranking, shares and what it received, by its leaf */
	json_t *reqs = json_object_get(o, "requests");
	st = store_stmt(s, "SELECT leaf, ranking, shares, assigned FROM round_requests WHERE"
			" round_id = ?");
	sqlite3_bind_int64(st, 1, round);
	while (store_next(st, &rc)) {
		char hex[65];
		sodium_bin2hex(hex, sizeof(hex), sqlite3_column_blob(st, 0), 32);
		json_array_foreach(reqs, i, x) {
			if (strcmp(json_string_value(json_object_get(x, "leaf")), hex))
				continue;
			const char *rk = (const char *)sqlite3_column_text(st, 1);
			const char *sh = (const char *)sqlite3_column_text(st, 2);
			json_object_set_new(x, "ranking", rk ? json_loads(rk, 0, NULL) : json_array());
			if (sh) {
				json_object_set_new(x, "shares", json_loads(sh, 0, NULL));
				json_object_set_new(x, "assigned", sharing_int_or_null(st, 3));
			}
			break;
		}
	}
	return rc;
}
