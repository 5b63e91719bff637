/*
 * read.c: reading the sharing economy (sharing.h): the economies and
 * their assemblies, a register with its filters, one good with its takes
 * and stock history, what a person took, and the caller's own place
 * (may they take, and if not, why). Every record here is public, as the
 * deliveries and standings it sits beside: the record of who took what
 * is what the assemblies' standing reviews read.
 */
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

json_t *sharing_text_or_null(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? json_string((const char *)t) : json_null();
}

json_t *sharing_int_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
		: json_integer(sqlite3_column_int64(st, col));
}

static int rows_into(sqlite3_stmt *st, json_t *(*fn)(sqlite3_stmt *), json_t *list)
{
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *x = fn(st);
		if (!x || json_array_append_new(list, x)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

/* ---- takes ---- */

#define TAKE_SELECT "SELECT t.id, t.good_id, g.name, g.unit, g.units, t.quantity," \
	" a.handle, a.display_name, e.slug, e.name, t.at, t.returned_at, g.kind, t.motion_id" \
	" FROM takes t JOIN goods g ON g.id = t.good_id JOIN accounts a ON" \
	" a.id = t.account_id LEFT JOIN bodies e ON e.id = t.body_id"

static json_t *take_row(sqlite3_stmt *st)
{
	json_t *x = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:I,"
		" s:o, s:s}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"good", (json_int_t)sqlite3_column_int64(st, 1),
		"good_name", (const char *)sqlite3_column_text(st, 2),
		"unit", (const char *)sqlite3_column_text(st, 3),
		"units", (const char *)sqlite3_column_text(st, 4),
		"quantity", (json_int_t)sqlite3_column_int64(st, 5),
		"by", (const char *)sqlite3_column_text(st, 6),
		"by_name", (const char *)sqlite3_column_text(st, 7),
		"on_behalf", sharing_text_or_null(st, 8),
		"on_behalf_name", sharing_text_or_null(st, 9),
		"at", (json_int_t)sqlite3_column_int64(st, 10),
		"returned_at", sharing_int_or_null(st, 11),
		"kind", (const char *)sqlite3_column_text(st, 12));
	if (x)
		json_object_set_new(x, "mutual_aid", sharing_int_or_null(st, 13));
	return x;
}

int sharing_take_json(struct store *s, int64_t id, json_t **out)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, TAKE_SELECT " WHERE t.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	*out = take_row(st);
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

/* ---- goods ---- */

#define GOOD_SELECT "SELECT g.id, x.slug, x.name, e.slug, e.name, g.kind, g.name," \
	" g.description, g.unit, g.units, g.stock, g.condition, g.location, h.handle," \
	" h.display_name, g.offered_at, g.withdrawn_at, (SELECT k.id FROM scarcities k" \
	" WHERE k.good_id = g.id AND k.lifted_at IS NULL), g.due_at FROM goods g JOIN" \
	" sharing_economies x ON x.id = g.economy_id JOIN bodies e ON e.id = g.body_id" \
	" LEFT JOIN accounts h ON h.id = g.holder"

static json_t *good_row_json(sqlite3_stmt *st)
{
	json_t *g = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s,"
		" s:o, s:o, s:I, s:o, s:b}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"economy", (const char *)sqlite3_column_text(st, 1),
		"economy_name", (const char *)sqlite3_column_text(st, 2),
		"enterprise", (const char *)sqlite3_column_text(st, 3),
		"enterprise_name", (const char *)sqlite3_column_text(st, 4),
		"kind", (const char *)sqlite3_column_text(st, 5),
		"name", (const char *)sqlite3_column_text(st, 6),
		"description", (const char *)sqlite3_column_text(st, 7),
		"unit", (const char *)sqlite3_column_text(st, 8),
		"units", (const char *)sqlite3_column_text(st, 9),
		"stock", (json_int_t)sqlite3_column_int64(st, 10),
		"condition", (const char *)sqlite3_column_text(st, 11),
		"location", (const char *)sqlite3_column_text(st, 12),
		"holder", sharing_text_or_null(st, 13),
		"holder_name", sharing_text_or_null(st, 14),
		"offered_at", (json_int_t)sqlite3_column_int64(st, 15),
		"withdrawn_at", sharing_int_or_null(st, 16),
		"scarce", sqlite3_column_type(st, 17) != SQLITE_NULL);
	if (g)
		json_object_set_new(g, "due_at", sharing_int_or_null(st, 18));
	return g;
}

static json_t *stock_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I}",
		"stock", (json_int_t)sqlite3_column_int64(st, 0),
		"previous", (json_int_t)sqlite3_column_int64(st, 1),
		"note", (const char *)sqlite3_column_text(st, 2),
		"by", (const char *)sqlite3_column_text(st, 3),
		"at", (json_int_t)sqlite3_column_int64(st, 4));
}

/* The policy in force (or null), and every declaration and lifting. */
static json_t *policy_row(sqlite3_stmt *st)
{
	json_t *cats = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
	return json_pack("{s:I, s:o, s:I, s:I, s:s, s:s, s:I, s:o, s:o, s:I, s:o, s:o, s:I}",
		"decision", (json_int_t)sqlite3_column_int64(st, 0),
		"categories", cats ? cats : json_array(),
		"cap", (json_int_t)sqlite3_column_int64(st, 2),
		"round_days", (json_int_t)sqlite3_column_int64(st, 3),
		"assembly", (const char *)sqlite3_column_text(st, 4),
		"assembly_name", (const char *)sqlite3_column_text(st, 5),
		"declared_at", (json_int_t)sqlite3_column_int64(st, 6),
		"lifted_by", sharing_int_or_null(st, 7),
		"lifted_at", sharing_int_or_null(st, 8),
		"loan_days", (json_int_t)sqlite3_column_int64(st, 9),
		"proposal", sharing_int_or_null(st, 10),
		"federation", sharing_text_or_null(st, 11),
		"scarcity", (json_int_t)sqlite3_column_int64(st, 12));
}

static int policy_json(struct store *s, int64_t good, json_t *g)
{
	json_t *list = json_array();
	if (!list || json_object_set_new(g, "policies", list))
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "SELECT k.motion_id, k.categories, k.cap,"
		" k.round_days, b.slug, b.name, k.declared_at, k.lifted_by, k.lifted_at,"
		" k.loan_days, k.proposal_id, (SELECT f.slug FROM proposals p JOIN bodies f"
		" ON f.id = p.body_id WHERE p.id = k.proposal_id), k.id"
		" FROM scarcities k JOIN bodies b ON b.id = k.body_id WHERE k.good_id = ?"
		" ORDER BY k.declared_at DESC, k.id DESC");
	sqlite3_bind_int64(st, 1, good);
	int rc = rows_into(st, policy_row, list);
	if (rc)
		return rc;
	json_t *now = json_array_get(list, 0), *pool = NULL;
	if (now && json_is_null(json_object_get(now, "lifted_by"))) {
		/* a policy from a federation's proposal: who asks in its rounds */
		if (!json_is_null(json_object_get(now, "proposal"))) {
			if ((rc = sharing_scarcity_pool(s, json_integer_value(json_object_get(now,
							"scarcity")), &pool)))
				return rc;
			json_object_set_new(now, "pool", pool);
		}
		json_object_set_new(g, "policy", json_incref(now));
	} else {
		json_object_set_new(g, "policy", json_null());
	}
	return 0;
}

/* The good's rounds, the latest first: {"id","state","opens_at",
 * "closes_at","requests"}. */
static int rounds_json(const struct gov_ctx *ctx, int64_t good, json_t *g)
{
	json_t *list = json_array();
	int rc = 0;
	if (!list || json_object_set_new(g, "rounds", list))
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT r.id, r.opens_at, r.closes_at,"
		" r.closed_at IS NOT NULL, r.allocated_at IS NOT NULL, (SELECT count(*) FROM"
		" round_requests q WHERE q.round_id = r.id) FROM rounds r WHERE r.good_id = ?"
		" ORDER BY r.id DESC LIMIT 50");
	sqlite3_bind_int64(st, 1, good);
	while (store_next(st, &rc)) {
		int64_t closes = sqlite3_column_int64(st, 2);
		const char *state = sqlite3_column_int(st, 4) ? "allocated"
			: sqlite3_column_int(st, 3) ? "waiting_for_seed"
			: ctx->now >= closes ? "due" : "open";
		json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:I, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0), "state", state,
			"opens_at", (json_int_t)sqlite3_column_int64(st, 1),
			"closes_at", (json_int_t)closes,
			"requests", (json_int_t)sqlite3_column_int64(st, 5)));
	}
	return rc;
}

/* Whether the caller may ask in the rounds of the good's policy now, by
 * the rule that takes the request (sharing_may_request, and the
 * overdue-item block for an item): "may_request" and, when not,
 * "why_not" {"code","message"} in the reader's language. The page shows
 * its request form by this answer, never by a guess of its own (a
 * member pooled by a federation's policy may be in no economy). Both
 * null when nobody is signed in or the good is not scarce. */
static int may_request_json(const struct gov_ctx *ctx, int64_t good, json_t *g)
{
	struct good_row row;
	struct px_error err = { 0 };
	const json_t *policy = json_object_get(g, "policy");
	char buf[400];
	if (!ctx->account_id || !json_is_object(policy)) {
		json_object_set_new(g, "may_request", json_null());
		json_object_set_new(g, "why_not", json_null());
		return 0;
	}
	int rc = sharing_good_row(ctx->db, good, &row, &err);
	if (!rc)
		rc = sharing_may_request(ctx->db, &row, json_integer_value(json_object_get(policy,
					 "scarcity")), ctx->account_id, &err);
	if (!rc && !strcmp(row.kind, "item"))
		rc = sharing_overdue(ctx->db, ctx->account_id, ctx->now, &err);
	if (rc && !sharing_refusal(rc))
		return rc; /* the store failed: not an answer to show */
	json_object_set_new(g, "may_request", json_boolean(!rc));
	json_object_set_new(g, "why_not", rc ? json_pack("{s:s, s:s}", "code",
			    px_code_name(rc), "message", px_error_message_in(&err, ctx->lang,
			    buf, sizeof(buf))) : json_null());
	return 0;
}

int gov_good_get(const struct gov_ctx *ctx, int64_t good, json_t **out,
		 struct px_error *err)
{
	json_t *g = NULL, *list = NULL;
	int row = 0, rc;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, GOOD_SELECT " WHERE g.id = ?");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no good %lld in any register",
			       (long long)good);
	g = good_row_json(st);
	sqlite3_reset(st);
	if (!g)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if ((rc = policy_json(ctx->db, good, g)) || (rc = rounds_json(ctx, good, g)) ||
	    (rc = lending_good_json(ctx->db, good, ctx->now, g)) ||
	    (rc = may_request_json(ctx, good, g)))
		goto out;
	st = store_stmt(ctx->db, TAKE_SELECT " WHERE t.good_id = ? ORDER BY t.at DESC,"
			" t.id DESC LIMIT 200");
	sqlite3_bind_int64(st, 1, good);
	if (!(list = json_array()) || json_object_set_new(g, "takes", list)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = rows_into(st, take_row, list)))
		goto out;
	st = store_stmt(ctx->db, "SELECT k.stock, k.previous, k.note, a.handle, k.at FROM"
			" good_stock k JOIN accounts a ON a.id = k.by_account WHERE"
			" k.good_id = ? ORDER BY k.at DESC, k.id DESC LIMIT 100");
	sqlite3_bind_int64(st, 1, good);
	if (!(list = json_array()) || json_object_set_new(g, "stock_history", list)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = rows_into(st, stock_row, list)))
		goto out;
	*out = g;
	return 0;
out:
	json_decref(g);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- economies ---- */

static json_t *assembly_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:I, s:I}",
		"slug", (const char *)sqlite3_column_text(st, 0),
		"name", (const char *)sqlite3_column_text(st, 1),
		"since", (json_int_t)sqlite3_column_int64(st, 2),
		"decision", (json_int_t)sqlite3_column_int64(st, 3));
}

static int economy_json(struct store *s, int64_t id, json_t **out)
{
	int row = 0, rc;
	json_t *e = NULL, *list;
	sqlite3_stmt *st = store_stmt(s, "SELECT slug, name, founded_at, motion_id,"
		" (SELECT count(*) FROM goods g WHERE g.economy_id = x.id AND"
		" g.withdrawn_at IS NULL) FROM sharing_economies x WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	e = json_pack("{s:s, s:s, s:I, s:I, s:I}",
		"slug", (const char *)sqlite3_column_text(st, 0),
		"name", (const char *)sqlite3_column_text(st, 1),
		"founded_at", (json_int_t)sqlite3_column_int64(st, 2),
		"founded_by", (json_int_t)sqlite3_column_int64(st, 3),
		"goods", (json_int_t)sqlite3_column_int64(st, 4));
	sqlite3_reset(st);
	if (!e || !(list = json_array()) || json_object_set_new(e, "assemblies", list)) {
		json_decref(e);
		return PX_E_NOMEM;
	}
	st = store_stmt(s, "SELECT b.slug, b.name, x.joined_at, x.motion_id FROM"
		" sharing_assemblies x JOIN bodies b ON b.id = x.body_id WHERE"
		" x.economy_id = ? AND x.left_at IS NULL ORDER BY b.name");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = rows_into(st, assembly_row, list))) {
		json_decref(e);
		return rc;
	}
	*out = e;
	return 0;
}

int gov_sharing_list(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	json_t *list = json_array();
	int rc = 0;
	*out = NULL;
	if (!list)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id FROM sharing_economies ORDER BY name");
	int64_t ids[256];
	size_t n = 0;
	while (store_next(st, &rc))
		if (n < 256)
			ids[n++] = sqlite3_column_int64(st, 0);
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *e = NULL;
		if (!(rc = economy_json(ctx->db, ids[i], &e)))
			json_array_append_new(list, e);
	}
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

static int economy_id(struct store *s, const char *slug, int64_t *id)
{
	*id = 0;
	if (!slug || !gov_slug_valid(slug))
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM sharing_economies WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

int gov_sharing_get(const struct gov_ctx *ctx, const char *slug,
		    const struct register_filter *f, json_t **out, struct px_error *err)
{
	int64_t id = 0;
	json_t *e = NULL, *list;
	int rc = economy_id(ctx->db, slug, &id);
	*out = NULL;
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!id)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no sharing economy '%s'",
			       slug ? slug : "");
	if (f->kind && !sharing_kind_valid(f->kind))
		return px_fail(err, PX_E_BAD_INPUT, "kind", "kind is product, item or service");
	if ((rc = economy_json(ctx->db, id, &e)))
		return px_fail(err, rc, NULL, NULL);
	/* words are looked for in the name and the description, case aside
	 * (SQLite's LIKE folds ASCII letters; instr() keeps the words literal) */
	sqlite3_stmt *st = store_stmt(ctx->db, GOOD_SELECT " WHERE g.economy_id = ?1"
		" AND g.withdrawn_at IS NULL"
		" AND (?2 IS NULL OR instr(lower(g.name || ' ' || g.description), lower(?2)))"
		" AND (?3 IS NULL OR g.kind = ?3) AND (?4 IS NULL OR e.slug = ?4)"
		" ORDER BY g.name, g.id LIMIT 1000");
	sqlite3_bind_int64(st, 1, id);
	if (f->q && *f->q)
		sqlite3_bind_text(st, 2, f->q, -1, SQLITE_STATIC);
	if (f->kind)
		sqlite3_bind_text(st, 3, f->kind, -1, SQLITE_STATIC);
	if (f->enterprise)
		sqlite3_bind_text(st, 4, f->enterprise, -1, SQLITE_STATIC);
	if (!(list = json_array()) || json_object_set_new(e, "goods", list)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = rows_into(st, good_row_json, list)))
		goto out;
	st = store_stmt(ctx->db, TAKE_SELECT " WHERE g.economy_id = ? ORDER BY t.at DESC,"
			" t.id DESC LIMIT 50");
	sqlite3_bind_int64(st, 1, id);
	if (!(list = json_array()) || json_object_set_new(e, "takes", list)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = rows_into(st, take_row, list)))
		goto out;
	*out = e;
	return 0;
out:
	json_decref(e);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- a person ---- */

static const char *rank_word(int rank)
{
	return rank == ECONOMY_GOOD ? "good" : rank == ECONOMY_PROBATION ? "probation"
		: rank == ECONOMY_OUTSIDE ? "outside" : NULL;
}

static int takes_of(struct store *s, int64_t account, json_t **out)
{
	json_t *list = json_array();
	if (!list)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, TAKE_SELECT " WHERE t.account_id = ? ORDER BY"
				      " t.at DESC, t.id DESC LIMIT 500");
	sqlite3_bind_int64(st, 1, account);
	int rc = rows_into(st, take_row, list);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int gov_sharing_takes(const struct gov_ctx *ctx, const char *handle, json_t **out,
		      struct px_error *err)
{
	int64_t account = 0;
	json_t *t = NULL;
	int rc;
	*out = NULL;
	if ((rc = sharing_account(ctx->db, handle, &account)))
		return px_fail(err, rc, NULL, NULL);
	if (!account)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no account '%s'", handle ? handle : "");
	if ((rc = takes_of(ctx->db, account, &t)))
		return px_fail(err, rc, NULL, NULL);
	*out = json_pack("{s:s, s:o}", "handle", handle, "takes", t);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

static json_t *enterprise_row(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:I}",
		"slug", (const char *)sqlite3_column_text(st, 0),
		"name", (const char *)sqlite3_column_text(st, 1),
		"id", (json_int_t)sqlite3_column_int64(st, 2));
}

int gov_sharing_me(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	json_t *me = NULL, *list = NULL, *economy = json_null();
	int64_t eco = 0;
	int out_ = 0, rank = 0, rc;
	size_t i;
	json_t *x;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT x.economy_id FROM sharing_assemblies x"
		" JOIN memberships m ON m.body_id = x.body_id AND m.status = 'active'"
		" WHERE x.left_at IS NULL AND m.account_id = ? ORDER BY x.joined_at LIMIT 1");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	if ((rc = store_int64(st, &eco, NULL)) ||
	    (eco && (rc = economy_json(ctx->db, eco, &economy))) ||
	    (rc = sharing_opted_out(ctx->db, ctx->account_id, &out_)) ||
	    (rc = economy_person_standing(ctx->db, ctx->account_id, &rank)))
		goto out;
	const char *why = !eco ? "sharing_outside" : out_ ? "sharing_opted_out"
		: rank != ECONOMY_GOOD ? "sharing_standing" : NULL;
	me = json_pack("{s:s, s:o, s:b, s:b}", "handle", ctx->handle, "economy", economy,
		       "opted_out", out_, "may_take", !why);
	economy = NULL;
	if (!me) {
		rc = PX_E_NOMEM;
		goto out;
	}
	json_object_set_new(me, "standing", rank_word(rank) ? json_string(rank_word(rank))
			    : json_null());
	json_object_set_new(me, "why_not", why ? json_string(why) : json_null());
	/* the enterprises they work in, and whether each may offer */
	if (!(list = json_array()) || json_object_set_new(me, "enterprises", list)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	st = store_stmt(ctx->db, "SELECT e.slug, e.name, e.id FROM memberships m JOIN bodies e"
		" ON e.id = m.body_id WHERE m.account_id = ? AND m.status = 'active'"
		" AND e.kind = 'enterprise' ORDER BY e.name");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	if ((rc = rows_into(st, enterprise_row, list)))
		goto out;
	json_array_foreach(list, i, x) {
		int64_t id = json_integer_value(json_object_get(x, "id")), in = 0;
		int r = 0;
		if ((rc = economy_enterprise_standing(ctx->db, id, &r)) ||
		    (rc = sharing_economy_of_enterprise(ctx->db, id, &in)))
			goto out;
		json_object_del(x, "id");
		json_object_set_new(x, "standing", rank_word(r) ? json_string(rank_word(r))
				    : json_null());
		json_object_set_new(x, "may_offer", json_boolean(r == ECONOMY_GOOD && in));
	}
	if ((rc = takes_of(ctx->db, ctx->account_id, &list)))
		goto out;
	json_object_set_new(me, "takes", list);
	*out = me;
	return 0;
out:
	json_decref(economy);
	json_decref(me);
	return px_fail(err, rc, NULL, NULL);
}
