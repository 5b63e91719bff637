/*
 * community.c: communities, registered by the operator. Adding one is the
 * only thing here that writes; it is journaled with actor "operator".
 */
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/people/people.h"
#include "banned.h"

#define POPULATION_MAX 100000000

int gov_slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && !(c == '-' && i > 0))
			return 0;
	}
	return 1;
}

#define COMMUNITY_SELECT \
	"SELECT c.slug, c.name, c.population, b.slug, c.areas FROM communities c" \
	" LEFT JOIN bodies b ON b.community_id = c.id AND b.kind = 'local'"

static json_t *row_json(sqlite3_stmt *st)
{
	const char *assembly = (const char *)sqlite3_column_text(st, 3);
	/* what it covers: a community made by a division or a union says it */
	const char *areas = (const char *)sqlite3_column_text(st, 4);
	json_t *c = json_pack("{s:s, s:s, s:I, s:s?}",
			      "slug", (const char *)sqlite3_column_text(st, 0),
			      "name", (const char *)sqlite3_column_text(st, 1),
			      "population", (json_int_t)sqlite3_column_int64(st, 2),
			      "assembly", assembly);
	if (c && areas)
		json_object_set_new(c, "areas", json_string(areas));
	return c;
}

struct add_args {
	const struct gov_ctx *ctx;
	const char *slug, *name;
	int64_t population;
	json_t *out;
	struct px_error *err;
};

static int add_tx(struct store *s, void *arg)
{
	struct add_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO communities(slug, name,"
					 " population, created_at) VALUES (?,?,?,?)"
					 " ON CONFLICT(slug) DO NOTHING");
	sqlite3_bind_text(st, 1, a->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a->population);
	sqlite3_bind_int64(st, 4, a->ctx->now);
	int rc = store_run(st);
	if (rc)
		return rc;
	if (sqlite3_changes(store_db(s)) == 0)
		return px_fail(a->err, PX_E_EXISTS, "slug",
			       "a community '%s' already exists", a->slug);
	json_t *payload = json_pack("{s:s, s:s, s:I}", "slug", a->slug, "name",
				    a->name, "population", (json_int_t)a->population);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL,
			    "community.add", payload, NULL);
	a->out = payload;
	return rc;
}

int gov_community_add(const struct gov_ctx *ctx, const char *slug,
		      const char *name, int64_t population, json_t **out,
		      struct px_error *err)
{
	struct add_args a = { ctx, slug, name, population, NULL, err };
	*out = NULL;
	if (!ctx->operator)
		return px_fail(err, PX_E_FORBIDDEN, NULL,
			       "only the server's operator adds communities");
	if (!gov_slug_valid(slug))
		return px_fail(err, PX_E_BAD_INPUT, "slug",
			       "a slug has 2 to 64 characters: lower-case letters,"
			       " digits and '-', not starting with '-'");
	int rc = text_check_line(name, 1, 120);
	if (rc)
		return px_fail(err, rc, "name",
			       "a name has 1 to 120 characters on one line");
	if (population < 0 || population > POPULATION_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "population",
			       "population must be between 0 and %d", POPULATION_MAX);
	rc = store_tx(ctx->db, add_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

int gov_community_list(const struct gov_ctx *ctx, json_t **out,
		       struct px_error *err)
{
	int rc = 0;
	json_t *list = json_array();
	static const char sql[] = COMMUNITY_SELECT " ORDER BY c.slug";
	sqlite3_stmt *st = store_stmt(ctx->db, sql);
	while (store_next(st, &rc))
		json_array_append_new(list, row_json(st));
	if (rc) {
		json_decref(list);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

int gov_community_get(const struct gov_ctx *ctx, const char *slug,
		      json_t **out, struct px_error *err)
{
	static const char sql[] = COMMUNITY_SELECT " WHERE c.slug = ?";
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, sql);
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		*out = row_json(st);
		sqlite3_reset(st);
	}
	if (!*out)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no community '%s'", slug);
	return 0;
}
