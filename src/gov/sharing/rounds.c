/*
 * rounds.c: a scarce good is shared in rounds (sharing.h, docs/sharing.md
 * "Rounds"). A round opens when the good is declared scarce, and each
 * next one when the last closes, for the days the policy set. Members
 * who may take request an amount under the category of need they show
 * (one request a round); each request is named in the record by its leaf
 * (docs/sortition.md section 2: the hash of the person's handle and a
 * salt only they receive), never by name.
 *
 * Once its date has passed, any member of the assembly that declared the
 * scarcity closes the round: the supply is the good's stock then, and the
 * commitment of the round (core/ration.c: the good's hash over its
 * policy and every request) is published in the journal. A divisible
 * good (a product) is allocated at once: equal shares with water-filling
 * need no lot. Units (items, services) wait for the seed: a member of the
 * assembly enters the public source the policy named, published after the
 * commitment, and the draw orders each category's requests (random serial
 * dictatorship). The allocation, every figure and the result's hash are
 * kept; the stock falls by what was allocated; an item goes to whoever
 * received it.
 *
 * Entries, each applied by the same function live and in replay:
 *   round.request {"good","round","request","commitment"}: who asked in
 *                 which round; the category, amount, leaf, ranking and
 *                 evidence are committed to, never said (sealed.c).
 *                 Entries made before say {"good","round","category",
 *                 "amount","leaf"} and are applied as they are.
 *   round.close   {"round","supply","commitment"}
 *   round.draw    {"round","source"}
 *   round.review  {"round","commitment"} (need.c, sealed.c; before:
 *                 {"request","verdict","reason"})
 * The salt is the person's receipt and is never journalled (round_salts).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/pool.h"
#include "core/ration.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

#define DAY 86400

int sharing_round_open(struct store *s, int64_t good, int64_t scarcity, int64_t from,
		       int64_t days)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO rounds(good_id, scarcity_id, opens_at,"
				      " closes_at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, scarcity);
	sqlite3_bind_int64(st, 3, from);
	sqlite3_bind_int64(st, 4, from + days * DAY);
	return store_run(st);
}

struct round_row {
	int64_t id, good, scarcity, opens, closes, closed, allocated, supply, body, cap, days;
	int64_t loan_days;
	int has_commitment, lifted;
	unsigned char commitment[32];
	char kind[8];
	json_t *cats;
};

static void round_release(struct round_row *r)
{
	json_decref(r->cats);
	r->cats = NULL;
}

static int round_load(struct store *s, int64_t id, struct round_row *r, struct px_error *err)
{
	int row = 0, rc;
	memset(r, 0, sizeof(*r));
	sqlite3_stmt *st = store_stmt(s, "SELECT r.good_id, r.scarcity_id, r.opens_at,"
		" r.closes_at, r.closed_at, r.allocated_at, r.supply, r.commitment, g.kind,"
		" k.body_id, k.cap, k.categories, k.round_days, k.lifted_at IS NOT NULL,"
		" k.loan_days"
		" FROM rounds r JOIN goods g ON g.id = r.good_id JOIN scarcities k"
		" ON k.id = r.scarcity_id WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no round %lld", (long long)id);
	r->id = id;
	r->good = sqlite3_column_int64(st, 0);
	r->scarcity = sqlite3_column_int64(st, 1);
	r->opens = sqlite3_column_int64(st, 2);
	r->closes = sqlite3_column_int64(st, 3);
	r->closed = sqlite3_column_int64(st, 4);
	r->allocated = sqlite3_column_int64(st, 5);
	r->supply = sqlite3_column_int64(st, 6);
	if (sqlite3_column_bytes(st, 7) == 32) {
		memcpy(r->commitment, sqlite3_column_blob(st, 7), 32);
		r->has_commitment = 1;
	}
	snprintf(r->kind, sizeof(r->kind), "%s", (const char *)sqlite3_column_text(st, 8));
	r->body = sqlite3_column_int64(st, 9);
	r->cap = sqlite3_column_int64(st, 10);
	r->cats = json_loads((const char *)sqlite3_column_text(st, 11), 0, NULL);
	r->days = sqlite3_column_int64(st, 12);
	r->lifted = sqlite3_column_int(st, 13);
	r->loan_days = sqlite3_column_int64(st, 14);
	sqlite3_reset(st);
	if (!json_is_array(r->cats)) {
		round_release(r);
		return px_fail(err, PX_E_INTERNAL, NULL, "a policy's categories do not read");
	}
	return 0;
}

/* The good's id as the record names it ("7"), for the hashes and seeds. */
static void good_id_text(int64_t good, char buf[24])
{
	snprintf(buf, 24, "%lld", (long long)good);
}

/* The ration instance of a round: its policy and every request in the
 * order of their ids. ids[i] is the request of reqs[i]. */
#define INSTANCE_CATS 9 /* a policy's 8 at most, and the unreserved rest (need.c) */
struct instance {
	struct px_ration_category cats[INSTANCE_CATS];
	uint32_t flow[INSTANCE_CATS];
	struct px_ration_request *reqs;
	int64_t *ids;
	size_t n;
	char id[24];
	struct px_ration_good g;
};

static void instance_release(struct instance *x)
{
	free(x->reqs);
	free(x->ids);
	x->reqs = NULL;
	x->ids = NULL;
}

static int instance_build(struct store *s, const struct round_row *r, int64_t supply,
			  struct instance *x)
{
	size_t cap_reqs = 0, cap_ids = 0;
	int rc = 0, rest = 0;
	memset(x, 0, sizeof(*x));
	size_t nc = json_array_size(r->cats);
	for (size_t i = 0; i < nc && i < 8; i++) {
		x->cats[i].share = json_integer_value(json_object_get(json_array_get(r->cats, i),
								      "share"));
		x->cats[i].cap = r->cap;
		x->flow[i] = (uint32_t)i;
	}
	/* read once, in the index's order (no count first: that read the
	 * round twice); never NULL, even for a round nobody asked in */
	if (!(x->reqs = px_grow(NULL, &cap_reqs, 0, sizeof(*x->reqs))) ||
	    !(x->ids = px_grow(NULL, &cap_ids, 0, sizeof(*x->ids)))) {
		instance_release(x);
		return PX_E_NOMEM;
	}
	/* a request moved at the close (need.c) counts under its new category */
	sqlite3_stmt *st = store_stmt(s, "SELECT id, coalesce(moved_to, category), amount, leaf"
				      " FROM round_requests WHERE round_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, r->id);
	while (store_next(st, &rc)) {
		void *more = px_grow(x->reqs, &cap_reqs, x->n, sizeof(*x->reqs));
		if (more)
			x->reqs = more;
		if (more && (more = px_grow(x->ids, &cap_ids, x->n, sizeof(*x->ids))))
			x->ids = more;
		if (!more) {
			sqlite3_reset(st);
			rc = PX_E_NOMEM;
			break;
		}
		memset(&x->reqs[x->n], 0, sizeof(*x->reqs));
		x->ids[x->n] = sqlite3_column_int64(st, 0);
		x->reqs[x->n].category = (uint32_t)sqlite3_column_int64(st, 1);
		x->reqs[x->n].amount = sqlite3_column_int64(st, 2);
		if (sqlite3_column_bytes(st, 3) == 32)
			memcpy(x->reqs[x->n].leaf, sqlite3_column_blob(st, 3), 32);
		if (x->reqs[x->n].category == nc && nc < INSTANCE_CATS) {
			/* the unreserved rest: reserves nothing, last in the flow */
			x->cats[nc].share = 0;
			x->cats[nc].cap = r->cap;
			x->flow[nc] = (uint32_t)nc;
			rest = 1;
		}
		x->n++;
	}
	if (rc) {
		instance_release(x);
		return rc;
	}
	nc += (size_t)rest;
	good_id_text(r->good, x->id);
	x->g.id = x->id;
	x->g.kind = strcmp(r->kind, "product") ? PX_RATION_UNITS : PX_RATION_DIVISIBLE;
	x->g.supply = supply;
	x->g.policy.n_categories = nc;
	x->g.policy.categories = x->cats;
	x->g.policy.share_den = 100;
	x->g.policy.flow = x->flow;
	x->g.requests = x->reqs;
	x->g.n = x->n;
	return 0;
}

/* A round's allocation, appended to round_allocations (migrations 41, 42) in
 * the order of its requests' ids: the round's rows follow each other in
 * the table, so a round writes a few pages rather than one row on each
 * page of round_requests. rank NULL: no lot (every place 0). Rows are
 * written 64 to a statement, the rest 16, 4, then 1 at a time (one
 * statement a row for the rest of every round was a tenth of the rows,
 * bench/economy/round). */
#define ALLOC_ROW "(?, ?, ?, ?, ?)"
#define ALLOC_ROWS4 ALLOC_ROW ", " ALLOC_ROW ", " ALLOC_ROW ", " ALLOC_ROW
#define ALLOC_ROWS16 ALLOC_ROWS4 ", " ALLOC_ROWS4 ", " ALLOC_ROWS4 ", " ALLOC_ROWS4
#define ALLOC_ROWS64 ALLOC_ROWS16 ", " ALLOC_ROWS16 ", " ALLOC_ROWS16 ", " ALLOC_ROWS16
#define ALLOC_INSERT "INSERT INTO round_allocations(round_id, request_id, num, den, place)" \
	" VALUES "

static const struct {
	size_t rows;
	const char *sql;
} alloc_inserts[] = {
	{ 64, ALLOC_INSERT ALLOC_ROWS64 },
	{ 16, ALLOC_INSERT ALLOC_ROWS16 },
	{ 4, ALLOC_INSERT ALLOC_ROWS4 },
	{ 1, ALLOC_INSERT ALLOC_ROW },
};

int sharing_allocations_write(struct store *s, int64_t round, const int64_t *ids,
			      const struct px_ration_q *alloc, const uint32_t *rank, size_t n)
{
	int rc = 0;
	size_t w = 0;
	for (size_t i = 0; !rc && i < n;) {
		while (n - i < alloc_inserts[w].rows)
			w++; /* the last size is one row: always found */
		size_t k = alloc_inserts[w].rows;
		sqlite3_stmt *st = store_stmt(s, alloc_inserts[w].sql);
		for (size_t j = 0; j < k; j++, i++) {
			int at = (int)j * 5;
			sqlite3_bind_int64(st, at + 1, round);
			sqlite3_bind_int64(st, at + 2, ids[i]);
			sqlite3_bind_int64(st, at + 3, alloc[i].num);
			sqlite3_bind_int64(st, at + 4, alloc[i].den);
			sqlite3_bind_int64(st, at + 5, rank ? rank[i] : 0);
		}
		rc = store_run(st);
	}
	return rc;
}

/* The figures of each category, as the record keeps them (rounds.result)
 * and as json_dumps(JSON_COMPACT) wrote them before: the same text,
 * written directly (jansson's packing and dumping of them were about a
 * thirteenth of the instructions of a close, bench/economy/round). */
static int figures_text(const struct px_ration_result *res, struct strbuf *sb)
{
	int rc = sb_addc(sb, '[');
	for (size_t c = 0; !rc && c < res->n_categories; c++) {
		const struct px_ration_cat_result *k = &res->cats[c];
		rc = sb_addf(sb, "%s{\"reserve\":%lld,\"demand\":%lld,\"from_reserve\":%lld,"
			     "\"flowed\":%lld,\"total\":%lld,\"requests\":%lld,\"full\":%s,"
			     "\"level_num\":%lld,\"level_den\":%lld}", c ? "," : "",
			     (long long)k->reserve, (long long)k->demand,
			     (long long)k->from_reserve, (long long)k->flowed, (long long)k->total,
			     (long long)k->n, k->full ? "true" : "false",
			     (long long)k->level.num, (long long)k->level.den);
	}
	return rc ? rc : sb_addc(sb, ']');
}

/* Allocate the closed round with seed: every figure kept, the stock
 * lowered, an item handed to whoever received it. */
static int allocate_x(struct store *s, const struct round_row *r, struct instance *xp,
		      const unsigned char input[32], const unsigned char seed[32],
		      const char *source, int64_t now, struct px_error *err);

/* *n: how many requests the round had. */
static int allocate(struct store *s, const struct round_row *r, const unsigned char seed[32],
		    const char *source, int64_t now, int64_t *n, struct px_error *err)
{
	struct instance x;
	unsigned char input[32];
	int rc = instance_build(s, r, r->supply, &x);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if ((rc = px_ration_good_hash(&x.g, input, err))) {
		instance_release(&x);
		return rc;
	}
	*n = (int64_t)x.n;
	return allocate_x(s, r, &x, input, seed, source, now, err);
}

/* Allocate with the instance x already read (released here) whose good
 * hash is input. */
static int allocate_x(struct store *s, const struct round_row *r, struct instance *xp,
		      const unsigned char input[32], const unsigned char seed[32],
		      const char *source, int64_t now, struct px_error *err)
{
	struct instance x = *xp;
	struct px_ration_result res = { 0 };
	unsigned char hash[32];
	struct strbuf text;
	int rc;
	sb_init(&text, SB_DEFAULT_MAX);
	x.g.id = x.id;
	x.g.policy.categories = x.cats;
	x.g.policy.flow = x.flow;
	if ((rc = px_ration_run(&x.g, seed, &res, err)))
		goto out;
	px_ration_result_hash(&res, input, hash);
	if ((rc = sharing_allocations_write(s, r->id, x.ids, res.alloc, res.rank, x.n)))
		goto fail;
	/* the item goes to whoever received it, or waits for them (lending.c) */
	for (size_t i = 0; i < x.n && !strcmp(r->kind, "item"); i++)
		if (res.alloc[i].num > 0 &&
		    (rc = lending_won(s, r->good, r->scarcity, r->id, x.ids[i], now)))
			goto fail;
	if ((rc = figures_text(&res, &text)))
		goto fail;
	sqlite3_stmt *st = store_stmt(s, "UPDATE rounds SET result = ?, result_hash = ?,"
				      " allocated_at = ?, source = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, text.buf, (int)text.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (source)
		sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->id);
	if ((rc = store_run(st)))
		goto fail;
	st = store_stmt(s, "UPDATE goods SET stock = stock - ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, res.allocated);
	sqlite3_bind_int64(st, 2, r->good);
	if ((rc = store_run(st)))
		goto fail;
	goto out;
fail:
	rc = px_fail(err, rc, NULL, NULL);
out:
	sb_release(&text);
	px_ration_result_release(&res);
	instance_release(&x);
	return rc;
}

/* ---- round.request ---- */

static int hex32(const char *hex, unsigned char out[32])
{
	size_t got = 0;
	return hex && strlen(hex) == 64 && !sodium_hex2bin(out, 32, hex, 64, NULL, &got, NULL)
		&& got == 32;
}

static int apply_request(struct store *s, const json_t *p, int64_t now, const char *actor,
			 int64_t *id, struct px_error *err)
{
	struct good_row g;
	struct round_row r;
	unsigned char leaf[32];
	int64_t who = 0, category = json_integer_value(json_object_get(p, "category"));
	int64_t amount = json_integer_value(json_object_get(p, "amount"));
	char *ranked = NULL;
	int yes = 0, rc;
	if ((rc = sharing_good_row(s, json_integer_value(json_object_get(p, "good")), &g, err)))
		return rc;
	if ((rc = round_load(s, json_integer_value(json_object_get(p, "round")), &r, err)))
		return rc;
	if (r.good != g.id || r.closed || r.lifted || now >= r.closes) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "no round of this good is open for"
			     " requests now");
		goto out;
	}
	if ((rc = sharing_account(s, actor, &who))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	if ((rc = sharing_may_request(s, &g, r.scarcity, who, err)) ||
	    (!strcmp(g.kind, "item") && (rc = sharing_overdue(s, who, now, err))))
		goto out;
	/* a round of alternatives: a ranking, one unit wanted */
	json_t *alts = NULL;
	const json_t *ranking = json_object_get(p, "ranking");
	if ((rc = ps_alternatives(s, r.scarcity, &alts))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	if (alts || ranking) {
		rc = !alts ? px_fail(err, PX_E_BAD_INPUT, "ranking", "this good's policy ranks"
				     " no alternatives: ask for an amount")
		   : !ranking ? px_fail(err, PX_E_MISSING_FIELD, "ranking", "rank the"
					" alternatives you would accept, best first")
		   : ps_check_ranking(alts, ranking, err);
		json_decref(alts);
		if (rc)
			goto out;
		if (!(ranked = json_dumps(ranking, JSON_COMPACT))) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
	}
	if (category < 0 || (size_t)category >= json_array_size(r.cats)) {
		rc = px_fail(err, PX_E_NOT_FOUND, "category", "the policy has no such category");
		goto out;
	}
	if (amount < 1 || amount > SHARING_STOCK_MAX || (!strcmp(g.kind, "item") && amount != 1)) {
		/* two calls, not a choice inside one: xgettext extracts each message */
		if (strcmp(g.kind, "item"))
			rc = px_fail(err, PX_E_OUT_OF_RANGE, "amount", "an amount is a whole"
				     " number from 1 to %lld", (long long)SHARING_STOCK_MAX);
		else
			rc = px_fail(err, PX_E_OUT_OF_RANGE, "amount",
				     "a unique item is asked for whole: 1");
		goto out;
	}
	if (!hex32(json_string_value(json_object_get(p, "leaf")), leaf)) {
		rc = px_fail(err, PX_E_BAD_INPUT, NULL, "a request's leaf is 32 bytes in hex");
		goto out;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM round_requests WHERE round_id = ?"
				      " AND account_id = ?");
	sqlite3_bind_int64(st, 1, r.id);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = store_exists(st, &yes))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	if (yes) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "you asked in this round already: one"
			     " request a round");
		goto out;
	}
	st = store_stmt(s, "INSERT INTO round_requests(round_id, account_id, category, amount,"
			" leaf, at, ranking) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (ranked)
		sqlite3_bind_text(st, 7, ranked, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 1, r.id);
	sqlite3_bind_int64(st, 2, who);
	sqlite3_bind_int64(st, 3, category);
	sqlite3_bind_int64(st, 4, amount);
	sqlite3_bind_blob(st, 5, leaf, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, now);
	if ((rc = store_int64(st, id, NULL)))
		rc = px_fail(err, rc, NULL, NULL);
	else
		rc = sharing_need_request(s, r.cats, category, *id,
					  json_object_get(p, "evidence"), err);
out:
	free(ranked);
	round_release(&r);
	return rc;
}

struct request_args {
	const struct gov_ctx *ctx;
	const struct need_evidence *ev;
	json_t *payload;
	unsigned char salt[PX_SALT_BYTES];
	int64_t id;
	json_t *out;
	struct px_error *err;
};

/* The commitment of request id's content p (sealed.c). */
static int request_commit_of(const json_t *p, int64_t id, const unsigned char *salt,
			     unsigned char out[32])
{
	unsigned char leaf[32];
	if (!hex32(json_string_value(json_object_get(p, "leaf")), leaf))
		return PX_E_BAD_INPUT;
	sharing_request_commitment(id, json_integer_value(json_object_get(p, "round")),
				   json_integer_value(json_object_get(p, "category")),
				   json_integer_value(json_object_get(p, "amount")), leaf, salt,
				   json_object_get(p, "ranking"),
				   json_object_get(json_object_get(p, "evidence"), "items"), out);
	return 0;
}

static int salt_keep(struct store *s, int64_t id, const unsigned char *salt)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO round_salts(request_id, salt) VALUES"
				      " (?, ?)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, salt, PX_SALT_BYTES, SQLITE_STATIC);
	return store_run(st);
}

static int request_tx(struct store *s, void *arg)
{
	struct request_args *a = arg;
	unsigned char com[32];
	char hex[65];
	json_t *sealed = NULL;
	json_decref(a->out);
	a->out = NULL;
	int rc = apply_request(s, a->payload, a->ctx->now, a->ctx->handle, &a->id, a->err);
	/* the journal says who asked in which round, and commits to the rest */
	if (!rc && !(rc = request_commit_of(a->payload, a->id, a->salt, com))) {
		sodium_bin2hex(hex, sizeof(hex), com, 32);
		sealed = json_pack("{s:O, s:O, s:I, s:s}", "good",
				   json_object_get(a->payload, "good"), "round",
				   json_object_get(a->payload, "round"), "request",
				   (json_int_t)a->id, "commitment", hex);
		rc = sealed ? journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL,
					     "round.request", sealed, NULL) : PX_E_NOMEM;
		json_decref(sealed);
	}
	if (rc)
		return rc;
	if ((rc = salt_keep(s, a->id, a->salt)) ||
	    (a->ev && (rc = sharing_need_content(s, a->id, a->ev))))
		return rc;
	sodium_bin2hex(hex, sizeof(hex), a->salt, PX_SALT_BYTES);
	a->out = json_pack("{s:I, s:O, s:O, s:O, s:O, s:s, s:s}", "request", (json_int_t)a->id,
			   "round", json_object_get(a->payload, "round"),
			   "category", json_object_get(a->payload, "category"),
			   "amount", json_object_get(a->payload, "amount"),
			   "leaf", json_object_get(a->payload, "leaf"),
			   "handle", a->ctx->handle, "salt", hex);
	return a->out ? 0 : PX_E_NOMEM;
}

int gov_round_request(const struct gov_ctx *ctx, int64_t good, const char *category,
		      int64_t amount, const struct need_evidence *ev, json_t **out,
		      struct px_error *err)
{
	struct request_args a = { .ctx = ctx, .ev = ev, .err = err };
	json_t *evidence = NULL;
	struct round_row r;
	unsigned char leaf[32];
	char hex[65];
	int64_t round = 0;
	int64_t index = -1;
	size_t i;
	json_t *c;
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (amount < 1 || amount > SHARING_STOCK_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "amount", "an amount is a whole number"
			       " from 1 to %lld", (long long)SHARING_STOCK_MAX);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id FROM rounds WHERE good_id = ? AND"
				      " closed_at IS NULL ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_int64(st, &round, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (!round) {
		struct good_row g;
		if ((rc = sharing_good_row(ctx->db, good, &g, err)))
			return rc;
		return px_fail(err, PX_E_CONFLICT, NULL, "this good is not scarce: take it"
			       " freely");
	}
	if ((rc = round_load(ctx->db, round, &r, err)))
		return rc;
	json_array_foreach(r.cats, i, c)
		if (category && !strcmp(category, json_string_value(json_object_get(c, "name"))))
			index = (int64_t)i;
	round_release(&r);
	if (index < 0)
		return px_fail(err, PX_E_NOT_FOUND, "category", "the policy has no category"
			       " '%s'", category ? category : "");
	randombytes_buf(a.salt, sizeof(a.salt));
	px_leaf(ctx->handle, a.salt, leaf);
	sodium_bin2hex(hex, sizeof(hex), leaf, 32);
	/* the evidence's hashes, never its bytes (need.c) */
	if (ev && !(evidence = sharing_need_payload(ev, err)))
		return err->code;
	a.payload = json_pack("{s:I, s:I, s:I, s:I, s:s}", "good", (json_int_t)good,
			      "round", (json_int_t)round, "category", (json_int_t)index,
			      "amount", (json_int_t)amount, "leaf", hex);
	if (a.payload && evidence)
		json_object_set_new(a.payload, "evidence", evidence);
	else
		json_decref(evidence);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, request_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	}
	*out = a.out;
	return 0;
}

/* ---- round.close, round.draw ---- */

static int assembly_member(struct store *s, int64_t body, const char *actor,
			   struct px_error *err)
{
	int64_t who = 0;
	int yes = 0;
	int rc = sharing_account(s, actor, &who);
	if (!rc && who) {
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM memberships WHERE body_id = ?"
					      " AND account_id = ? AND status = 'active'");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, who);
		rc = store_exists(st, &yes);
	}
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_NOT_MEMBER, NULL, "a member of the assembly that"
			       " declared the good scarce closes its rounds and enters their seed");
	return 0;
}

/* Close the round loaded (its good g): the one rule of round.close, live
 * and replayed. *n: how many requests it had (-1: a round of
 * alternatives, not counted). loaded stays the caller's to release. */
static int close_round(struct store *s, const struct round_row *loaded,
		       const struct good_row *g, const json_t *p, json_t *fill, int64_t now,
		       const char *actor, int64_t *n, struct px_error *err)
{
	struct round_row r = *loaded; /* a copy: closing updates it */
	struct instance x;
	unsigned char want[32], got[32], gh[32];
	int64_t supply = json_integer_value(json_object_get(p, "supply"));
	int rc, built = 0;
	*n = 0;
	if ((rc = assembly_member(s, r.body, actor, err)))
		goto out;
	if (r.closed) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "this round is closed already");
		goto out;
	}
	if (now < r.closes) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "a round closes on its date, not before");
		goto out;
	}
	/* a round of alternatives (ps.c): every alternative's supply */
	json_t *alts = NULL;
	if ((rc = ps_alternatives(s, r.scarcity, &alts))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	if (alts) {
		*n = -1;
		rc = supply != g->stock ? px_fail(err, PX_E_CONFLICT, NULL, "the round's supply"
			" is not the stock") : ps_close(s, r.id, alts, p, fill, now, err);
		json_decref(alts);
		if (rc)
			goto out;
		goto next;
	}
	/* live, the commitment is computed here and written into the entry
	 * (fill); replayed, the entry's is checked against the requests */
	const char *given = json_string_value(json_object_get(p, "commitment"));
	if (supply != g->stock || (given ? !hex32(given, want) : !fill)) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "the round's supply or commitment is"
			     " not what its requests and the stock make");
		goto out;
	}
	/* a request whose evidence was not accepted leaves its category's
	 * reserve (need.c), live and in replay alike */
	if ((rc = sharing_need_moves(s, r.id, r.cats))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	/* the requests are read once: for the commitment, then (a product) for
	 * the allocation */
	if ((rc = instance_build(s, &r, supply, &x))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	built = 1;
	*n = (int64_t)x.n;
	if ((rc = px_ration_good_hash(&x.g, gh, err)))
		goto out;
	px_ration_round_commit((const unsigned char (*)[32])gh, 1, got);
	if (!given) {
		char hex[65];
		sodium_bin2hex(hex, sizeof(hex), got, 32);
		if (json_object_set_new(fill, "commitment", json_string(hex))) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		memcpy(want, got, 32);
	}
	if (memcmp(want, got, 32)) {
		rc = px_fail(err, PX_E_CONFLICT, NULL, "the round's commitment is not what its"
			     " requests make");
		goto out;
	}
	sqlite3_stmt *st = store_stmt(s, "UPDATE rounds SET closed_at = ?, supply = ?,"
				      " commitment = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, supply);
	sqlite3_bind_blob(st, 3, got, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r.id);
	if ((rc = store_run(st))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	r.closed = now;
	r.supply = supply;
	memcpy(r.commitment, got, 32);
	/* equal shares need no lot: a divisible good is allocated now */
	if (!strcmp(r.kind, "product")) {
		unsigned char none[32] = { 0 };
		built = 0;
		if ((rc = allocate_x(s, &r, &x, gh, none, NULL, now, err)))
			goto out;
	}
next:
	/* the policy applies from the next round, until lifted */
	if (!r.lifted && (rc = sharing_round_open(s, r.good, r.scarcity, now, r.days)))
		rc = px_fail(err, rc, NULL, NULL);
out:
	if (built)
		instance_release(&x);
	return rc;
}

static int apply_close(struct store *s, const json_t *p, json_t *fill, int64_t now,
		       const char *actor, int64_t *id, struct px_error *err)
{
	struct round_row r;
	struct good_row g;
	int64_t n = 0;
	int rc;
	*id = json_integer_value(json_object_get(p, "round"));
	if ((rc = round_load(s, *id, &r, err)))
		return rc;
	if (!(rc = sharing_good_row(s, r.good, &g, err)))
		rc = close_round(s, &r, &g, p, fill, now, actor, &n, err);
	round_release(&r);
	return rc;
}

/* Enter the seed of the round r (loaded; the caller releases it): the
 * one rule of round.draw, live and replayed. *n: how many requests it
 * had (-1: a round of alternatives, not counted). */
static int draw_round(struct store *s, const struct round_row *r, const json_t *p,
		      int64_t now, const char *actor, int64_t *n, struct px_error *err)
{
	unsigned char seed[32];
	const char *source = json_string_value(json_object_get(p, "source"));
	int rc;
	*n = 0;
	if ((rc = assembly_member(s, r->body, actor, err)))
		return rc;
	if (!r->closed || !r->has_commitment)
		return px_fail(err, PX_E_CONFLICT, NULL, "the seed comes after the round closed"
			       " and its commitment was published");
	if (r->allocated)
		return px_fail(err, PX_E_CONFLICT, NULL, "this round is allocated already: an"
			       " allocation is never changed after publication");
	if (!source || text_check_line(source, 1, 500))
		return px_fail(err, PX_E_BAD_INPUT, "source", "the public source's text, 1 to 500"
			       " characters on one line");
	px_seed_derive(r->commitment, source, strlen(source), seed);
	json_t *alts = NULL;
	if ((rc = ps_alternatives(s, r->scarcity, &alts)))
		return px_fail(err, rc, NULL, NULL);
	if (alts) {
		*n = -1;
		rc = ps_draw(s, r->id, alts, seed, source, r->loan_days, now, err);
		json_decref(alts);
		return rc;
	}
	return allocate(s, r, seed, source, now, n, err);
}

static int apply_draw(struct store *s, const json_t *p, int64_t now, const char *actor,
		      int64_t *id, struct px_error *err)
{
	struct round_row r;
	int64_t n = 0;
	int rc;
	*id = json_integer_value(json_object_get(p, "round"));
	if ((rc = round_load(s, *id, &r, err)))
		return rc;
	rc = draw_round(s, &r, p, now, actor, &n, err);
	round_release(&r);
	return rc;
}

struct close_args {
	const struct gov_ctx *ctx;
	int64_t round;
	const char *source; /* NULL: close */
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

/* Close the round (source NULL) or enter its seed, and journal it: the
 * one path of every close, one round at a time (close_tx) or every round
 * due at once (rounds_batch.c). *payload is what was journalled. */
int sharing_round_settle(struct store *s, const struct gov_ctx *ctx, int64_t round,
			 const char *source, json_t **payload, int64_t *requests,
			 struct px_error *err)
{
	struct round_row r;
	struct good_row g;
	int64_t n = 0;
	int rc;
	*payload = NULL;
	/* the round, its policy and its good are read once, here */
	if ((rc = round_load(s, round, &r, err)))
		return rc;
	if (source) {
		*payload = json_pack("{s:I, s:s}", "round", (json_int_t)round, "source", source);
		rc = *payload ? draw_round(s, &r, *payload, ctx->now, ctx->handle, &n, err)
			: PX_E_NOMEM;
	} else if (!(rc = sharing_good_row(s, r.good, &g, err))) {
		/* close_round adds the commitment it computes */
		*payload = json_pack("{s:I, s:I}", "round", (json_int_t)round,
				     "supply", (json_int_t)g.stock);
		rc = *payload ? close_round(s, &r, &g, *payload, *payload, ctx->now, ctx->handle,
					    &n, err) : PX_E_NOMEM;
	}
	round_release(&r);
	if (!rc)
		rc = journal_append(s, ctx->now, gov_actor(ctx), NULL,
				    source ? "round.draw" : "round.close", *payload, NULL);
	if (!rc && requests && n < 0) {
		sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM round_requests WHERE"
					      " round_id = ?");
		sqlite3_bind_int64(st, 1, round);
		if ((rc = store_int64(st, &n, NULL)))
			rc = px_fail(err, rc, NULL, NULL);
	}
	if (!rc && requests)
		*requests += n;
	return rc;
}

static int close_tx(struct store *s, void *arg)
{
	struct close_args *a = arg;
	int rc;
	json_decref(a->out);
	json_decref(a->payload);
	a->out = a->payload = NULL;
	rc = sharing_round_settle(s, a->ctx, a->round, a->source, &a->payload, NULL, a->err);
	if (!rc) {
		struct px_error e = { 0 };
		rc = gov_round_get(a->ctx, a->round, &a->out, &e);
	}
	return rc;
}

static int run_close(struct close_args *a, json_t **out)
{
	int rc = store_tx(a->ctx->db, close_tx, a);
	json_decref(a->payload);
	if (rc) {
		json_decref(a->out);
		return a->err->code ? rc : px_fail(a->err, rc, NULL, NULL);
	}
	*out = a->out;
	return 0;
}

int gov_round_close(const struct gov_ctx *ctx, int64_t round, json_t **out,
		    struct px_error *err)
{
	struct close_args a = { .ctx = ctx, .round = round, .err = err };
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	return run_close(&a, out);
}

int gov_round_draw(const struct gov_ctx *ctx, int64_t round, const char *source,
		   json_t **out, struct px_error *err)
{
	struct close_args a = { .ctx = ctx, .round = round, .source = source ? source : "",
				.err = err };
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	return run_close(&a, out);
}

/* ---- reading ---- */

int gov_round_get(const struct gov_ctx *ctx, int64_t round, json_t **out,
		  struct px_error *err)
{
	struct round_row r;
	json_t *o = NULL, *reqs = NULL, *figures = NULL;
	char hex[65];
	int rc = round_load(ctx->db, round, &r, err);
	*out = NULL;
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT g.name, g.unit, g.units, b.slug,"
		" b.name, r.result, r.result_hash, r.source FROM rounds r JOIN goods g ON"
		" g.id = r.good_id JOIN bodies b ON b.id = ? WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, r.body);
	sqlite3_bind_int64(st, 2, r.id);
	int row = 0;
	if ((rc = store_step(st, &row)) || !row) {
		rc = rc ? rc : PX_E_INTERNAL;
		goto out;
	}
	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:O, s:I}",
		"id", (json_int_t)r.id, "good", (json_int_t)r.good,
		"good_name", (const char *)sqlite3_column_text(st, 0),
		"unit", (const char *)sqlite3_column_text(st, 1),
		"units", (const char *)sqlite3_column_text(st, 2),
		"assembly", (const char *)sqlite3_column_text(st, 3),
		"assembly_name", (const char *)sqlite3_column_text(st, 4),
		"kind", strcmp(r.kind, "product") ? "units" : "divisible",
		"opens_at", (json_int_t)r.opens, "closes_at", (json_int_t)r.closes,
		"categories", r.cats, "cap", (json_int_t)r.cap);
	if (!o) {
		sqlite3_reset(st);
		rc = PX_E_NOMEM;
		goto out;
	}
	const unsigned char *res = sqlite3_column_text(st, 5);
	figures = res ? json_loads((const char *)res, 0, NULL) : NULL;
	json_object_set_new(o, "figures", figures ? figures : json_null());
	figures = NULL;
	if (sqlite3_column_bytes(st, 6) == 32) {
		sodium_bin2hex(hex, sizeof(hex), sqlite3_column_blob(st, 6), 32);
		json_object_set_new(o, "result_hash", json_string(hex));
	} else {
		json_object_set_new(o, "result_hash", json_null());
	}
	json_object_set_new(o, "source", sharing_text_or_null(st, 7));
	sqlite3_reset(st);
	json_object_set_new(o, "state", json_string(r.allocated ? "allocated" : r.closed
		? "waiting_for_seed" : ctx->now >= r.closes ? "due" : "open"));
	json_object_set_new(o, "closed_at", r.closed ? json_integer(r.closed) : json_null());
	json_object_set_new(o, "allocated_at", r.allocated ? json_integer(r.allocated)
			    : json_null());
	json_object_set_new(o, "supply", r.closed ? json_integer(r.supply) : json_null());
	if (r.has_commitment) {
		sodium_bin2hex(hex, sizeof(hex), r.commitment, 32);
		json_object_set_new(o, "commitment", json_string(hex));
	} else {
		json_object_set_new(o, "commitment", json_null());
	}
	/* the requests by leaf, in the record's order; the caller's own with
	 * its receipt */
	if (!(reqs = json_array()) || json_object_set_new(o, "requests", reqs)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* a moved request under the category it is counted in, and the one
	 * it asked under (need.c) */
	st = store_stmt(ctx->db, "SELECT q.id, coalesce(q.moved_to, q.category), q.amount,"
		" q.leaf, a.num, a.den, a.place, q.account_id, s.salt, q.moved_to IS NOT NULL,"
		" q.category FROM round_requests q LEFT JOIN round_allocations a ON a.round_id ="
		" q.round_id AND a.request_id = q.id LEFT JOIN round_salts s ON s.request_id ="
		" q.id WHERE q.round_id = ? ORDER BY coalesce(q.moved_to, q.category), q.leaf");
	int rest = 0;
	sqlite3_bind_int64(st, 1, r.id);
	while (store_next(st, &rc)) {
		sodium_bin2hex(hex, sizeof(hex), sqlite3_column_blob(st, 3), 32);
		json_t *q = json_pack("{s:I, s:I, s:s}", "category",
			(json_int_t)sqlite3_column_int64(st, 1), "amount",
			(json_int_t)sqlite3_column_int64(st, 2), "leaf", hex);
		if (!q) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		if (sqlite3_column_int(st, 9)) {
			json_object_set_new(q, "moved_from",
					    json_integer(sqlite3_column_int64(st, 10)));
			rest |= (size_t)sqlite3_column_int64(st, 1) == json_array_size(r.cats);
		}
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			json_object_set_new(q, "num", json_integer(sqlite3_column_int64(st, 4)));
			json_object_set_new(q, "den", json_integer(sqlite3_column_int64(st, 5)));
			json_object_set_new(q, "place", json_integer(sqlite3_column_int64(st, 6)));
		}
		if (ctx->account_id && sqlite3_column_int64(st, 7) == ctx->account_id) {
			json_object_set_new(q, "mine", json_true());
			json_object_set_new(q, "request", json_integer(sqlite3_column_int64(st, 0)));
			if (sqlite3_column_bytes(st, 8) == PX_SALT_BYTES) {
				sodium_bin2hex(hex, sizeof(hex), sqlite3_column_blob(st, 8),
					       PX_SALT_BYTES);
				json_object_set_new(q, "salt", json_string(hex));
			}
		}
		json_array_append_new(reqs, q);
	}
	if (!rc)
		json_object_set_new(o, "rest_category", json_boolean(rest));
	/* the state of the caller's own evidence */
	size_t qi;
	json_t *qv;
	json_array_foreach(reqs, qi, qv) {
		json_t *mine = NULL;
		if (rc || !json_is_true(json_object_get(qv, "mine")))
			continue;
		if (!(rc = sharing_need_mine(ctx->db, json_integer_value(json_object_get(qv,
				"request")), &mine)) && mine)
			json_object_set_new(qv, "evidence", mine);
	}
	if (rc || (rc = sharing_need_round_json(ctx, r.id, o)) ||
	    (rc = ps_round_json(ctx->db, r.id, r.scarcity, o)))
		goto out;
	round_release(&r);
	*out = o;
	return 0;
out:
	json_decref(o);
	json_decref(figures);
	round_release(&r);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- replay ---- */

/* A sealed request, its content read from the records beside the entry
 * (sharing_request_record): the content must hash to the commitment, and
 * be applied as the live path applied it, as the same request. */
static int replay_sealed(struct store *s, const json_t *p, int64_t at, const char *actor,
			 struct px_error *err)
{
	unsigned char salt[PX_SALT_BYTES], com[32];
	const char *hex = json_string_value(json_object_get(p, "salt"));
	int64_t want = json_integer_value(json_object_get(p, "request")), id = 0;
	size_t n = 0;
	int rc;
	if (!hex || sodium_hex2bin(salt, sizeof(salt), hex, strlen(hex), NULL, &n, NULL) ||
	    n != PX_SALT_BYTES || request_commit_of(p, want, salt, com))
		return px_fail(err, PX_E_BAD_INPUT, "request", "the request's record is not"
			       " complete");
	if ((rc = sharing_commitment_check(p, com, err)) ||
	    (rc = apply_request(s, p, at, actor, &id, err)))
		return rc;
	if (id != want)
		return px_fail(err, PX_E_BAD_INPUT, "request", "the request is number %lld,"
			       " not %lld", (long long)id, (long long)want);
	/* the receipt, kept as the live path kept it */
	return (rc = salt_keep(s, id, salt)) ? px_fail(err, rc, NULL, NULL) : 0;
}

int rounds_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		  const char *actor, struct px_error *err)
{
	int64_t id = 0;
	if (!strcmp(action, "round.request") && !json_object_get(payload, "commitment"))
		return apply_request(s, payload, at, actor, &id, err); /* before sealing */
	if (!strcmp(action, "round.request"))
		return replay_sealed(s, payload, at, actor, err);
	if (!strcmp(action, "round.close"))
		return apply_close(s, payload, NULL, at, actor, &id, err);
	if (!strcmp(action, "round.draw"))
		return apply_draw(s, payload, at, actor, &id, err);
	if (!strcmp(action, "round.review"))
		return sharing_need_replay(s, payload, at, actor, err);
	return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}

/* ---- a request with a ranking (a round of alternatives, ps.c) ---- */

int gov_round_rank(const struct gov_ctx *ctx, int64_t good, const json_t *ranking,
		   json_t **out, struct px_error *err)
{
	struct request_args a = { .ctx = ctx, .err = err };
	unsigned char leaf[32];
	char hex[65];
	int64_t round = 0;
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!json_is_array(ranking))
		return px_fail(err, PX_E_MISSING_FIELD, "ranking", "rank the alternatives you"
			       " would accept, best first");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id FROM rounds WHERE good_id = ? AND"
				      " closed_at IS NULL ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_int64(st, &round, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (!round) {
		struct good_row g;
		if ((rc = sharing_good_row(ctx->db, good, &g, err)))
			return rc;
		return px_fail(err, PX_E_CONFLICT, NULL, "this good is not scarce: take it"
			       " freely");
	}
	randombytes_buf(a.salt, sizeof(a.salt));
	px_leaf(ctx->handle, a.salt, leaf);
	sodium_bin2hex(hex, sizeof(hex), leaf, 32);
	a.payload = json_pack("{s:I, s:I, s:i, s:i, s:s, s:O}", "good", (json_int_t)good,
			      "round", (json_int_t)round, "category", 0, "amount", 1,
			      "leaf", hex, "ranking", ranking);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, request_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	}
	json_object_set(a.out, "ranking", (json_t *)ranking);
	*out = a.out;
	return 0;
}
