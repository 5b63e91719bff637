/*
 * region.c: regions, sets of communities the operator registers, built
 * from communities and from other regions (nested, overlapping). A
 * region's communities are the distinct communities of its closure (itself
 * and every region reachable through its parts); its population is their
 * sum, each community counted once however many paths reach it.
 *
 * Invariant: region_parts has no cycle. A region is never changed once
 * added, and its parts must exist before it, so a cycle could only be a
 * region naming itself, which is refused; the closure is checked anyway
 * before anything is written (a replayed journal gets the same check).
 */
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/people/people.h"
#include "banned.h"

int lot_region_id(struct store *s, const char *slug, const char *field,
		  int64_t *id, struct px_error *err)
{
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM regions WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int rc = store_int64(st, id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, field, "no region '%s'", slug);
	return 0;
}

int lot_region_counts(struct store *s, int64_t region_id, int64_t now,
		      int64_t *residents, int64_t *citizens)
{
	sqlite3_stmt *st = store_stmt(s, LOT_REGION_DOWN
		", c(id) AS (SELECT DISTINCT community_id FROM region_communities"
		"   WHERE region_id IN (SELECT id FROM down))"
		" SELECT count(*), count(k.account_id) FROM residences x"
		" LEFT JOIN consents k ON k.account_id = x.account_id AND k.expires_at > ?2"
		" WHERE x.community_id IN (SELECT id FROM c)");
	sqlite3_bind_int64(st, 1, region_id);
	sqlite3_bind_int64(st, 2, now);
	int row = 0, rc = store_step(st, &row);
	*residents = *citizens = 0;
	if (rc)
		return rc;
	if (row) {
		*residents = sqlite3_column_int64(st, 0);
		*citizens = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return 0;
}

/* Every element a slug, none twice. */
static int check_slugs(const json_t *list, const char *field, struct px_error *err)
{
	size_t i, j;
	json_t *v;
	if (!json_is_array(list))
		return px_fail(err, PX_E_BAD_TYPE, field, "%s is a list of slugs", field);
	if (json_array_size(list) > LOT_LIST_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, field, "a region names at most %d %s",
			       LOT_LIST_MAX, field);
	json_array_foreach(list, i, v) {
		const char *slug = json_string_value(v);
		if (!slug || !gov_slug_valid(slug))
			return px_fail(err, PX_E_BAD_INPUT, field, "%s: '%s' is not a slug",
				       field, slug ? slug : "(not text)");
		for (j = 0; j < i; j++)
			if (!strcmp(slug, json_string_value(json_array_get(list, j))))
				return px_fail(err, PX_E_BAD_INPUT, field, "%s names '%s' twice",
					       field, slug);
	}
	return 0;
}

int lot_apply_region(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "slug"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const json_t *communities = json_object_get(p, "communities");
	const json_t *parts = json_object_get(p, "regions");
	int64_t id = 0, other;
	size_t i;
	json_t *v;
	int rc, found = 0;

	if (!slug || !name || !json_is_array(communities) || !json_is_array(parts))
		return px_fail(err, PX_E_BAD_INPUT, NULL, "a region needs slug, name,"
			       " communities and regions");
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM regions WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_int64(st, &other, &found)))
		return px_fail(err, rc, NULL, NULL);
	if (found)
		return px_fail(err, PX_E_EXISTS, "slug", "a region '%s' already exists", slug);
	/* the parts first: one naming the region itself is a cycle */
	json_array_foreach(parts, i, v) {
		if (!strcmp(json_string_value(v), slug))
			return px_fail(err, PX_E_LOT_REGION_CYCLE, "regions",
				       "region '%s' cannot be built from itself", slug);
		if ((rc = lot_region_id(s, json_string_value(v), "regions", &other, err)))
			return rc;
	}
	st = store_stmt(s, "INSERT INTO regions(slug, name, created_at) VALUES (?, ?, ?)"
			   " RETURNING id");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	if ((rc = store_int64(st, &id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	json_array_foreach(communities, i, v) {
		st = store_stmt(s, "INSERT INTO region_communities(region_id, community_id)"
				   " SELECT ?1, id FROM communities WHERE slug = ?2");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, json_string_value(v), -1, SQLITE_STATIC);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		if (sqlite3_changes(store_db(s)) != 1)
			return px_fail(err, PX_E_NOT_FOUND, "communities", "no community '%s'",
				       json_string_value(v));
	}
	json_array_foreach(parts, i, v) {
		st = store_stmt(s, "INSERT INTO region_parts(region_id, part_id)"
				   " SELECT ?1, id FROM regions WHERE slug = ?2");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, json_string_value(v), -1, SQLITE_STATIC);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	/* the invariant, checked rather than trusted: the region is not
	 * reachable from its own parts */
	st = store_stmt(s, "WITH RECURSIVE down(id) AS (SELECT part_id FROM region_parts"
			   " WHERE region_id = ?1 UNION SELECT p.part_id FROM region_parts p"
			   " JOIN down ON p.region_id = down.id) SELECT 1 FROM down WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_exists(st, &found)))
		return px_fail(err, rc, NULL, NULL);
	if (found)
		return px_fail(err, PX_E_LOT_REGION_CYCLE, "regions", NULL);
	return 0;
}

struct add_args {
	const struct gov_ctx *ctx;
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int add_tx(struct store *s, void *arg)
{
	struct add_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int rc = lot_apply_region(s, a->payload, a->ctx->now, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL, "region.add",
				    a->payload, NULL);
	if (!rc)
		rc = gov_region_get(a->ctx,
				    json_string_value(json_object_get(a->payload, "slug")),
				    &a->out, a->err);
	return rc;
}

int gov_region_add(const struct gov_ctx *ctx, const char *slug, const char *name,
		   const json_t *communities, const json_t *regions, json_t **out,
		   struct px_error *err)
{
	*out = NULL;
	if (!ctx->operator)
		return px_fail(err, PX_E_FORBIDDEN, NULL,
			       "only the server's operator adds regions");
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_BAD_INPUT, "slug",
			       "a slug has 2 to 64 characters: lower-case letters,"
			       " digits and '-', not starting with '-'");
	int rc = text_check_line(name ? name : "", 1, 120);
	if (rc)
		return px_fail(err, rc, "name", "a name has 1 to 120 characters on one line");
	json_t *none = json_array();
	if (!communities)
		communities = none;
	if (!regions)
		regions = none;
	if ((rc = check_slugs(communities, "communities", err)) ||
	    (rc = check_slugs(regions, "regions", err)))
		goto out;
	if (!json_array_size(communities) && !json_array_size(regions)) {
		rc = px_fail(err, PX_E_MISSING_FIELD, "communities",
			     "a region names at least one community or region");
		goto out;
	}
	struct add_args a = { ctx, NULL, NULL, err };
	a.payload = json_pack("{s:s, s:s, s:O, s:O}", "slug", slug, "name", name,
			      "communities", communities, "regions", regions);
	if (!a.payload) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = store_tx(ctx->db, add_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		if (err && !err->code)
			px_fail(err, rc, NULL, NULL);
		goto out;
	}
	*out = a.out;
out:
	json_decref(none);
	return rc;
}

static json_t *slug_list(struct store *s, const char *sql, int64_t id, int *rc)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, rc))
		json_array_append_new(list, json_string((const char *)sqlite3_column_text(st, 0)));
	return list;
}

#define PARTS_SQL \
	"SELECT r.slug FROM region_parts p JOIN regions r ON r.id = p.part_id" \
	" WHERE p.region_id = ? ORDER BY r.slug"

int gov_region_list(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	int rc = 0, rc2 = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id, slug, name FROM regions"
				      " ORDER BY slug");
	while (store_next(st, &rc)) {
		int64_t id = sqlite3_column_int64(st, 0);
		json_t *r = json_pack("{s:s, s:s}",
				      "slug", (const char *)sqlite3_column_text(st, 1),
				      "name", (const char *)sqlite3_column_text(st, 2));
		json_array_append_new(list, r);
		json_object_set_new(r, "id", json_integer(id)); /* dropped below */
	}
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r) {
		int64_t id = json_integer_value(json_object_get(r, "id"));
		json_object_del(r, "id");
		if (rc || rc2)
			break;
		json_object_set_new(r, "regions", slug_list(ctx->db, PARTS_SQL, id, &rc2));
		sqlite3_stmt *c = store_stmt(ctx->db, LOT_REGION_DOWN
			" SELECT count(*), coalesce(sum(population), 0) FROM communities"
			" WHERE id IN (SELECT community_id FROM region_communities"
			"   WHERE region_id IN (SELECT id FROM down))");
		sqlite3_bind_int64(c, 1, id);
		int row = 0;
		if (!rc2 && !(rc2 = store_step(c, &row)) && row) {
			json_object_set_new(r, "communities",
					    json_integer(sqlite3_column_int64(c, 0)));
			json_object_set_new(r, "population",
					    json_integer(sqlite3_column_int64(c, 1)));
			sqlite3_reset(c);
		}
	}
	if (!rc)
		rc = rc2;
	if (rc) {
		json_decref(list);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

int gov_region_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		   struct px_error *err)
{
	int64_t id = 0, population = 0;
	int rc = 0;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no region '%s'", slug ? slug : "");
	if ((rc = lot_region_id(ctx->db, slug, NULL, &id, err)))
		return rc;
	json_t *r = NULL, *named = NULL, *parts = NULL, *comms = json_array(),
	       *polities = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT name FROM regions WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		r = json_pack("{s:s, s:s}", "slug", slug, "name",
			      (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	parts = slug_list(ctx->db, PARTS_SQL, id, &rc);
	if (rc)
		goto out;
	named = slug_list(ctx->db, "SELECT c.slug FROM region_communities x JOIN"
			  " communities c ON c.id = x.community_id WHERE x.region_id = ?"
			  " ORDER BY c.slug", id, &rc);
	if (rc)
		goto out;
	st = store_stmt(ctx->db, LOT_REGION_DOWN
		" SELECT slug, name, population FROM communities WHERE id IN"
		" (SELECT community_id FROM region_communities WHERE region_id IN"
		"  (SELECT id FROM down)) ORDER BY slug");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		population += sqlite3_column_int64(st, 2);
		json_array_append_new(comms, json_pack("{s:s, s:s, s:I}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"population", (json_int_t)sqlite3_column_int64(st, 2)));
	}
	if (rc)
		goto out;
	st = store_stmt(ctx->db, "SELECT slug, name FROM polities WHERE region_id = ?"
			" ORDER BY name");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(polities, json_pack("{s:s, s:s}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1)));
	if (rc)
		goto out;
	if (!r) {
		rc = PX_E_NOT_FOUND;
		goto out;
	}
	json_object_set_new(r, "regions", parts);
	json_object_set_new(r, "named", named);
	json_object_set_new(r, "communities", comms);
	json_object_set_new(r, "population", json_integer(population));
	json_object_set_new(r, "polities", polities);
	*out = r;
	return 0;
out:
	json_decref(r);
	json_decref(parts);
	json_decref(named);
	json_decref(comms);
	json_decref(polities);
	return px_fail(err, rc, NULL, NULL);
}
