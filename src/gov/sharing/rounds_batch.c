/*
 * rounds_batch.c: every round an assembly has due, closed at once, and
 * every round waiting for its seed drawn from one public source
 * (sharing.h, docs/sharing.md "Rounds"). An assembly that declared many
 * goods scarce closes their rounds together, as a meeting closes them:
 * each round exactly as `pnyx economy close ROUND` closes it (the same
 * sharing_round_settle, the same journal entry round.close or round.draw
 * per round, replayed one by one), all in one transaction, so that either
 * every due round is closed or none is.
 *
 * Also the bench's seeding (gov_sharing_seed_bench, bench/economy/round):
 * a million requests cannot go through the API in a bench's time, so
 * they are written straight into the tables a request writes, around
 * goods declared scarce by a real decision. It is a bench's path, never
 * reached from the API, and its rows are not in the journal (the
 * database it seeds is one to measure, not one to keep).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/pool.h"
#include "core/randstream.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

static int assembly_id(struct store *s, const char *slug, int64_t *id, struct px_error *err)
{
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM bodies WHERE slug = ? AND kind ="
				      " 'local'");
	sqlite3_bind_text(st, 1, slug ? slug : "", -1, SQLITE_STATIC);
	int rc = store_int64(st, id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "assembly", "no local assembly '%s'",
			       slug ? slug : "");
	return 0;
}

/* The rounds of the goods body declared scarce: due (closes_at passed,
 * not closed) or waiting (closed, units not allocated yet). */
static int rounds_of(struct store *s, int64_t body, int64_t now, int waiting,
		     int64_t **ids, size_t *n)
{
	size_t cap = 0;
	int rc = 0;
	*n = 0;
	*ids = NULL;
	sqlite3_stmt *st = store_stmt(s, waiting
		? "SELECT r.id FROM rounds r JOIN scarcities k ON k.id = r.scarcity_id WHERE"
		  " k.body_id = ? AND r.closed_at IS NOT NULL AND r.allocated_at IS NULL"
		  " ORDER BY r.id"
		: "SELECT r.id FROM rounds r JOIN scarcities k ON k.id = r.scarcity_id WHERE"
		  " k.body_id = ? AND r.closed_at IS NULL AND r.closes_at <= ? ORDER BY r.id");
	sqlite3_bind_int64(st, 1, body);
	if (!waiting)
		sqlite3_bind_int64(st, 2, now);
	while (store_next(st, &rc)) {
		int64_t *more = px_grow(*ids, &cap, *n, sizeof(**ids));
		if (!more) {
			sqlite3_reset(st);
			rc = PX_E_NOMEM;
			break;
		}
		*ids = more;
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

struct batch_args {
	const struct gov_ctx *ctx;
	const int64_t *ids;
	size_t from, to;
	const char *source;
	int64_t requests; /* how many the rounds had, counted as they settle */
	struct px_error *err;
};

static int batch_tx(struct store *s, void *arg)
{
	struct batch_args *a = arg;
	int rc = 0, end;
	/* an entry per round, the journal's head signed once at the last */
	journal_batch_begin(s);
	a->requests = 0; /* store_tx may try again */
	for (size_t i = a->from; !rc && i < a->to; i++) {
		json_t *payload = NULL;
		rc = sharing_round_settle(s, a->ctx, a->ids[i], a->source, &payload, &a->requests,
					  a->err);
		json_decref(payload);
	}
	end = journal_batch_end(s);
	return rc ? rc : end;
}

static int settle_all(const struct gov_ctx *ctx, const char *assembly, const char *source,
		      int each, json_t **out, struct px_error *err)
{
	int64_t body = 0, *ids = NULL, requests = 0;
	size_t n = 0;
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)) ||
	    (rc = assembly_id(ctx->db, assembly, &body, err)))
		return rc;
	if (source && (!*source || strlen(source) > 500))
		return px_fail(err, PX_E_BAD_INPUT, "source", "the public source's text, 1 to"
			       " 500 characters on one line");
	if ((rc = rounds_of(ctx->db, body, ctx->now, source != NULL, &ids, &n)))
		return px_fail(err, rc, NULL, NULL);
	if (!n) {
		free(ids);
		return px_fail(err, PX_E_CONFLICT, NULL, source
			       ? "no round of this assembly is waiting for its seed"
			       : "no round of this assembly is due");
	}
	/* every round reads its requests three times (the commitment, its
	 * check, the allocation): a cache that holds them all spares the
	 * reads from the file (measured by bench/economy/round) */
	if ((rc = store_exec(ctx->db, "PRAGMA cache_size = -262144"))) {
		free(ids);
		return px_fail(err, rc, NULL, NULL);
	}
	/* one transaction for all; each: one per round, as many closes one
	 * after the other would (what the bench compares against) */
	for (size_t i = 0; !rc && i < n; i = each ? i + 1 : n) {
		struct batch_args a = { ctx, ids, i, each ? i + 1 : n, source, 0, err };
		rc = store_tx(ctx->db, batch_tx, &a);
		requests += a.requests;
	}
	free(ids);
	if (rc)
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	*out = json_pack("{s:s, s:I, s:I}", "assembly", assembly, "rounds", (json_int_t)n,
			 "requests", (json_int_t)requests);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

int gov_rounds_close_due(const struct gov_ctx *ctx, const char *assembly, int each,
			 json_t **out, struct px_error *err)
{
	return settle_all(ctx, assembly, NULL, each, out, err);
}

int gov_rounds_draw_due(const struct gov_ctx *ctx, const char *assembly, const char *source,
			int each, json_t **out, struct px_error *err)
{
	return settle_all(ctx, assembly, source ? source : "", each, out, err);
}

/* ---- the bench's seeding ---- */

struct seed_args {
	int64_t body, requests, goods, now;
	const char *seed;
	json_t *out;
};

#define SEED_CATS 5

static int bind_run(sqlite3_stmt *st)
{
	return store_run(st);
}

static int seed_tx(struct store *s, void *arg)
{
	struct seed_args *a = arg;
	int64_t tmpl[2] = { 0, 0 }, scarcity[2] = { 0, 0 }, people = 0, base_account = 0;
	int rc = 0;
	/* the templates: a product and a unit good (item or service) the
	 * assembly declared scarce with five categories of need */
	for (int k = 0; k < 2; k++) {
		sqlite3_stmt *st = store_stmt(s, k == 0
			? "SELECT g.id, k.id FROM scarcities k JOIN goods g ON g.id = k.good_id"
			  " WHERE k.body_id = ? AND k.lifted_at IS NULL AND g.kind = 'product'"
			  " AND json_array_length(k.categories) = 5 ORDER BY k.id LIMIT 1"
			: "SELECT g.id, k.id FROM scarcities k JOIN goods g ON g.id = k.good_id"
			  " WHERE k.body_id = ? AND k.lifted_at IS NULL AND g.kind = 'service'"
			  " AND json_array_length(k.categories) = 5 ORDER BY k.id LIMIT 1");
		sqlite3_bind_int64(st, 1, a->body);
		int row = 0;
		if ((rc = store_step(st, &row)))
			return rc;
		if (!row)
			return PX_E_NOT_FOUND;
		tmpl[k] = sqlite3_column_int64(st, 0);
		scarcity[k] = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	/* generated as bench/economy/ration_bench.c generates a round: a
	 * fifth of the requests on the hundred most wanted goods, categories
	 * of weights 10, 15, 20, 25 and 30 percent, amounts of 1 to 5,000 of
	 * a product or 1 to 3 units */
	unsigned char seed[32];
	struct px_stream rs;
	crypto_generichash_blake2b(seed, 32, (const unsigned char *)a->seed, strlen(a->seed),
				   NULL, 0);
	px_stream_init(&rs, seed);
	size_t n = (size_t)a->requests, goods = (size_t)a->goods;
	uint32_t *good_of = malloc(n * sizeof(*good_of));
	uint8_t *cat = malloc(n);
	int64_t *amount = malloc(n * sizeof(*amount));
	int64_t *count = calloc(goods, sizeof(*count)), *demand = calloc(goods, sizeof(*demand));
	int64_t *good_id = calloc(goods, sizeof(*good_id)), *round_id = calloc(goods,
									   sizeof(*round_id));
	if (!good_of || !cat || !amount || !count || !demand || !good_id || !round_id) {
		rc = PX_E_NOMEM;
		goto out;
	}
	static const int weight[SEED_CATS] = { 10, 15, 20, 25, 30 };
	size_t hot = goods < 100 ? goods : 100;
	for (size_t i = 0; i < n; i++) {
		good_of[i] = (uint32_t)(px_stream_below(&rs, 5) == 0 ? px_stream_below(&rs, hot)
						      : px_stream_below(&rs, goods));
		uint64_t w = px_stream_below(&rs, 100);
		uint32_t c = 0;
		for (int acc = weight[0]; (int)w >= acc; acc += weight[++c])
			;
		cat[i] = (uint8_t)c;
		amount[i] = (int64_t)(good_of[i] % 2 == 0 ? 1 + px_stream_below(&rs, 5000)
							   : 1 + px_stream_below(&rs, 3));
		demand[good_of[i]] += amount[i];
		if (++count[good_of[i]] > people)
			people = count[good_of[i]];
	}
	/* the people who ask: as many as the most wanted good has requests,
	 * each asking once a round */
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(id), 0) FROM accounts");
	if ((rc = store_int64(st, &base_account, NULL)))
		goto out;
	for (int64_t p = 1; p <= people; p++) {
		char handle[32];
		snprintf(handle, sizeof(handle), "bench-%lld", (long long)p);
		st = store_stmt(s, "INSERT INTO accounts(id, handle, display_name, password_hash,"
				" created_at) VALUES (?, ?, ?, '!', ?)");
		sqlite3_bind_int64(st, 1, base_account + p);
		sqlite3_bind_text(st, 2, handle, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, handle, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, a->now);
		if ((rc = bind_run(st)))
			goto out;
	}
	/* the goods, each declared scarce as its template was, each with a
	 * round whose date has passed; supply 40 to 90 percent of demand */
	for (size_t k = 0; k < goods; k++) {
		int t = (int)(k % 2);
		char name[40];
		snprintf(name, sizeof(name), "Bench good %zu", k + 1);
		int64_t stock = demand[k] * (int64_t)(40 + px_stream_below(&rs, 51)) / 100;
		st = store_stmt(s, "INSERT INTO goods(economy_id, body_id, kind, name, description,"
			" unit, units, stock, offered_by, offered_at) SELECT economy_id, body_id,"
			" kind, ?, '', unit, units, ?, offered_by, ? FROM goods WHERE id = ?"
			" RETURNING id");
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, stock);
		sqlite3_bind_int64(st, 3, a->now);
		sqlite3_bind_int64(st, 4, tmpl[t]);
		int64_t sc = 0;
		if ((rc = store_int64(st, &good_id[k], NULL)))
			goto out;
		st = store_stmt(s, "INSERT INTO scarcities(good_id, body_id, motion_id, categories,"
			" cap, round_days, loan_days, declared_at) SELECT ?, body_id, motion_id,"
			" categories, cap, round_days, 0, ? FROM scarcities WHERE id = ? RETURNING id");
		sqlite3_bind_int64(st, 1, good_id[k]);
		sqlite3_bind_int64(st, 2, a->now - 7 * 86400);
		sqlite3_bind_int64(st, 3, scarcity[t]);
		if ((rc = store_int64(st, &sc, NULL)))
			goto out;
		st = store_stmt(s, "INSERT INTO rounds(good_id, scarcity_id, opens_at, closes_at)"
				" VALUES (?, ?, ?, ?) RETURNING id");
		sqlite3_bind_int64(st, 1, good_id[k]);
		sqlite3_bind_int64(st, 2, sc);
		sqlite3_bind_int64(st, 3, a->now - 7 * 86400);
		sqlite3_bind_int64(st, 4, a->now);
		if ((rc = store_int64(st, &round_id[k], NULL)))
			goto out;
	}
	/* the requests, each with its leaf and the salt of its receipt */
	memset(count, 0, goods * sizeof(*count));
	for (size_t i = 0; i < n; i++) {
		unsigned char salt[PX_SALT_BYTES], leaf[32];
		char handle[32];
		int64_t p = ++count[good_of[i]], id = 0;
		snprintf(handle, sizeof(handle), "bench-%lld", (long long)p);
		px_stream_bytes(&rs, salt, sizeof(salt));
		px_leaf(handle, salt, leaf);
		st = store_stmt(s, "INSERT INTO round_requests(round_id, account_id, category,"
				" amount, leaf, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
		sqlite3_bind_int64(st, 1, round_id[good_of[i]]);
		sqlite3_bind_int64(st, 2, base_account + p);
		sqlite3_bind_int64(st, 3, cat[i]);
		sqlite3_bind_int64(st, 4, amount[i]);
		sqlite3_bind_blob(st, 5, leaf, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 6, a->now - 86400);
		if ((rc = store_int64(st, &id, NULL)))
			goto out;
		st = store_stmt(s, "INSERT INTO round_salts(request_id, salt) VALUES (?, ?)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_blob(st, 2, salt, sizeof(salt), SQLITE_TRANSIENT);
		if ((rc = bind_run(st)))
			goto out;
	}
	a->out = json_pack("{s:I, s:I, s:I}", "goods", (json_int_t)goods, "requests",
			   (json_int_t)n, "people", (json_int_t)people);
	if (!a->out)
		rc = PX_E_NOMEM;
out:
	free(good_of);
	free(cat);
	free(amount);
	free(count);
	free(demand);
	free(good_id);
	free(round_id);
	return rc;
}

int gov_sharing_seed_bench(struct store *s, const char *assembly, int64_t requests,
			   int64_t goods, const char *seed, int64_t now, json_t **out,
			   struct px_error *err)
{
	struct seed_args a = { .requests = requests, .goods = goods, .seed = seed, .now = now };
	int rc;
	*out = NULL;
	if (requests < 1 || requests > 100000000)
		return px_fail(err, PX_E_OUT_OF_RANGE, "requests", "1 to 100,000,000 requests");
	if (goods < 2 || goods > 10000000)
		return px_fail(err, PX_E_OUT_OF_RANGE, "goods", "2 to 10,000,000 goods");
	if ((rc = assembly_id(s, assembly, &a.body, err)))
		return rc;
	rc = store_tx(s, seed_tx, &a);
	if (rc == PX_E_NOT_FOUND)
		return px_fail(err, rc, "assembly", "the assembly declared no product and no"
			       " service scarce with five categories of need: the bench's"
			       " templates");
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	*out = a.out;
	return 0;
}
