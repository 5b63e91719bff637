/*
 * dashboard.c: one local assembly's economy at a glance (sharing.h,
 * docs/sharing.md "The economy dashboard"): the goods it declared scarce
 * with their policies, each good's latest rounds (supply, what was asked,
 * what was shared), and the need left unmet, by category of need, over
 * every round allocated. Reading only; anyone may read it, as anyone may
 * read a round.
 *
 * What was shared in a round is the sum of its categories' totals, a
 * whole number of the good's unit (docs/sharing.md section 2). Unmet need
 * is counted in requests, not in amounts: the goods of one assembly are
 * counted in different units (loaves, hours, bikes), and a request that
 * received less than it asked is the same shortfall whatever the unit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

#define DASH_ROUNDS 12 /* the latest rounds shown per good */

/* The latest DASH_ROUNDS allocated rounds of good, oldest first. */
static int good_rounds(struct store *s, int64_t good, json_t *list)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, closed_at, supply, result, (SELECT"
		" coalesce(sum(amount), 0) FROM round_requests WHERE round_id = r.id), (SELECT"
		" count(*) FROM round_requests WHERE round_id = r.id) FROM (SELECT * FROM rounds"
		" WHERE good_id = ? AND allocated_at IS NOT NULL ORDER BY id DESC LIMIT ?) r"
		" ORDER BY id");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, DASH_ROUNDS);
	while (store_next(st, &rc)) {
		int64_t shared = 0;
		json_t *fig = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL), *c;
		size_t i;
		json_array_foreach(fig, i, c)
			shared += json_integer_value(json_object_get(c, "total"));
		json_decref(fig);
		if (json_array_append_new(list, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"closed_at", (json_int_t)sqlite3_column_int64(st, 1),
			"supply", (json_int_t)sqlite3_column_int64(st, 2),
			"requested", (json_int_t)sqlite3_column_int64(st, 4),
			"shared", (json_int_t)shared,
			"requests", (json_int_t)sqlite3_column_int64(st, 5)))) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

static int dash_goods(struct store *s, int64_t body, json_t *o)
{
	int rc = 0;
	int64_t scarce = 0;
	json_t *goods = json_array();
	if (!goods || json_object_set_new(o, "goods", goods))
		return PX_E_NOMEM;
	/* each good's latest policy decided by this assembly */
	sqlite3_stmt *st = store_stmt(s, "SELECT g.id, g.name, g.kind, g.unit, g.units, e.slug,"
		" e.name, k.categories, k.cap, k.round_days, k.lifted_at IS NULL, k.motion_id,"
		" g.stock, (SELECT id FROM rounds WHERE good_id = g.id AND closed_at IS NULL"
		" ORDER BY id DESC LIMIT 1) FROM scarcities k JOIN goods g ON g.id = k.good_id"
		" JOIN bodies e ON e.id = g.body_id WHERE k.body_id = ? AND k.id = (SELECT"
		" max(id) FROM scarcities WHERE good_id = g.id AND body_id = k.body_id)"
		" ORDER BY k.lifted_at IS NOT NULL, g.name, g.id");
	sqlite3_bind_int64(st, 1, body);
	while (store_next(st, &rc)) {
		json_t *cats = json_loads((const char *)sqlite3_column_text(st, 7), 0, NULL);
		int is_scarce = sqlite3_column_int(st, 10);
		json_t *g = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:b,"
			" s:I, s:I, s:[]}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"unit", (const char *)sqlite3_column_text(st, 3),
			"units", (const char *)sqlite3_column_text(st, 4),
			"enterprise", (const char *)sqlite3_column_text(st, 5),
			"enterprise_name", (const char *)sqlite3_column_text(st, 6),
			"categories", cats ? cats : json_array(),
			"cap", (json_int_t)sqlite3_column_int64(st, 8),
			"round_days", (json_int_t)sqlite3_column_int64(st, 9),
			"scarce", is_scarce,
			"decision", (json_int_t)sqlite3_column_int64(st, 11),
			"stock", (json_int_t)sqlite3_column_int64(st, 12),
			"rounds");
		if (!g || json_array_append_new(goods, g)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
		json_object_set_new(g, "open_round", sharing_int_or_null(st, 13));
		scarce += is_scarce;
	}
	if (rc)
		return rc;
	size_t i;
	json_t *g;
	json_array_foreach(goods, i, g)
		if ((rc = good_rounds(s, json_integer_value(json_object_get(g, "id")),
				      json_object_get(g, "rounds"))))
			return rc;
	json_object_set_new(o, "scarce_goods", json_integer(scarce));
	return 0;
}

/* Unmet need by category name, over every allocated round of the goods
 * this assembly declared scarce: how many asked, how many received all
 * they asked, part of it, or nothing. Categories of the same name in
 * several policies count together, in the order of their first use. */
static int dash_unmet(struct store *s, int64_t body, json_t *o)
{
	int rc = 0;
	int64_t rounds = 0;
	json_t *list = json_array();
	if (!list || json_object_set_new(o, "unmet", list))
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "SELECT json_extract(k.categories, '$[' || q.category"
		" || '].name') AS name, count(*), sum(a.num >= q.amount * a.den),"
		" sum(a.num = 0) FROM round_requests q JOIN rounds r ON r.id = q.round_id"
		" JOIN round_allocations a ON a.round_id = q.round_id AND a.request_id = q.id"
		" JOIN scarcities k ON k.id = r.scarcity_id WHERE k.body_id = ? AND"
		" r.allocated_at IS NOT NULL GROUP BY name ORDER BY min(q.category), min(q.id)");
	sqlite3_bind_int64(st, 1, body);
	while (store_next(st, &rc)) {
		int64_t n = sqlite3_column_int64(st, 1), full = sqlite3_column_int64(st, 2);
		int64_t none = sqlite3_column_int64(st, 3);
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}",
			"category", name ? name : "", "requests", (json_int_t)n,
			"met", (json_int_t)full, "partly", (json_int_t)(n - full - none),
			"none", (json_int_t)none, "short", (json_int_t)(n - full)))) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	if (rc)
		return rc;
	st = store_stmt(s, "SELECT count(*) FROM rounds r JOIN scarcities k ON k.id ="
			" r.scarcity_id WHERE k.body_id = ? AND r.allocated_at IS NOT NULL");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = store_int64(st, &rounds, NULL)))
		return rc;
	json_object_set_new(o, "rounds_allocated", json_integer(rounds));
	return 0;
}

int gov_economy_dashboard(const struct gov_ctx *ctx, const char *assembly, json_t **out,
			  struct px_error *err)
{
	int row = 0, rc;
	json_t *o = NULL;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT b.id, b.slug, b.name, e.slug, e.name"
		" FROM bodies b LEFT JOIN sharing_assemblies a ON a.body_id = b.id AND"
		" a.left_at IS NULL LEFT JOIN sharing_economies e ON e.id = a.economy_id"
		" WHERE b.slug = ? AND b.kind = 'local'");
	sqlite3_bind_text(st, 1, assembly ? assembly : "", -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "slug", "no local assembly '%s'",
			       assembly ? assembly : "");
	int64_t body = sqlite3_column_int64(st, 0);
	o = json_pack("{s:s, s:s}", "assembly", (const char *)sqlite3_column_text(st, 1),
		      "assembly_name", (const char *)sqlite3_column_text(st, 2));
	if (o) {
		json_object_set_new(o, "economy", sharing_text_or_null(st, 3));
		json_object_set_new(o, "economy_name", sharing_text_or_null(st, 4));
	}
	sqlite3_reset(st);
	if (!o)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if ((rc = dash_goods(ctx->db, body, o)) || (rc = dash_unmet(ctx->db, body, o))) {
		json_decref(o);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = o;
	return 0;
}
