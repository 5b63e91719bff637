/*
 * body.c: founding, listing and showing bodies. A local assembly is
 * founded by any signed-in account for a community that has none; the
 * founder becomes its first member in the same transaction. The database
 * enforces one local assembly per community as well (a unique index), so a
 * race between two founders cannot produce two.
 */
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

struct found_args {
	const struct gov_ctx *ctx;
	const struct body_found *in;
	const char *slug;
	const char *basis;
	const char *language; /* one this build carries */
	json_t *rules, *schedule; /* validated, canonical forms */
	json_t *out;
	struct px_error *err;
};

static int found_tx(struct store *s, void *arg)
{
	struct found_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t community_id = 0, body_id;
	char *rules = NULL, *schedule = NULL;
	int rc;

	sqlite3_stmt *st = store_stmt(s, "SELECT c.id, b.slug FROM communities c"
		" LEFT JOIN bodies b ON b.community_id = c.id AND b.kind = 'local'"
		" WHERE c.slug = ?");
	sqlite3_bind_text(st, 1, a->in->community, -1, SQLITE_STATIC);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		community_id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			community_id = -community_id;
		sqlite3_reset(st);
	}
	if (community_id == 0)
		return px_fail(a->err, PX_E_NOT_FOUND, "community",
			       "no community '%s'", a->in->community);
	if (community_id < 0)
		return px_fail(a->err, PX_E_HAS_ASSEMBLY, "community", NULL);

	st = store_stmt(s, "SELECT 1 FROM bodies WHERE slug = ?");
	sqlite3_bind_text(st, 1, a->slug, -1, SQLITE_STATIC);
	int64_t one = 0;
	if ((rc = store_int64(st, &one, &row)))
		return rc;
	if (row)
		return px_fail(a->err, PX_E_EXISTS, "slug",
			       "a body '%s' already exists", a->slug);

	rules = journal_canonical(a->rules);
	schedule = journal_canonical(a->schedule);
	if (!rules || !schedule) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	st = store_stmt(s, "INSERT INTO bodies(slug, kind, name, community_id,"
			   " statement, rules, schedule, founded_by, founded_at, language)"
			   " VALUES (?, 'local', ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, a->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->in->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, community_id);
	sqlite3_bind_text(st, 4, a->in->statement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, schedule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, a->ctx->account_id);
	sqlite3_bind_int64(st, 8, a->ctx->now);
	sqlite3_bind_text(st, 9, a->language, -1, SQLITE_STATIC);
	if ((rc = store_run(st))) {
		if (rc == PX_E_EXISTS) /* the unique index caught a race */
			rc = px_fail(a->err, PX_E_HAS_ASSEMBLY, "community", NULL);
		goto out;
	}
	body_id = sqlite3_last_insert_rowid(store_db(s));

	st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status,"
			   " basis, since) VALUES (?, ?, 'active', ?, ?)");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, a->ctx->account_id);
	sqlite3_bind_text(st, 3, a->basis, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, a->ctx->now);
	if ((rc = store_run(st)))
		goto out;
	/* its regular meetings exist from now on: make their rows here, so
	 * that no read ever has to */
	if ((rc = meeting_sync(s, body_id, a->ctx->now)))
		goto out;

	json_t *payload = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:s, s:s, s:s}",
				    "slug", a->slug, "kind", "local",
				    "name", a->in->name, "community", a->in->community,
				    "rules", a->rules, "schedule", a->schedule,
				    "statement", a->in->statement,
				    "founder_basis", a->basis, "language", a->language);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
			    "body.found", payload, NULL);
	json_decref(payload);
	if (rc)
		goto out;
	rc = gov_body_get(a->ctx, a->slug, &a->out, a->err);
out:
	free(rules);
	free(schedule);
	return rc;
}

int gov_body_found(const struct gov_ctx *ctx, const struct body_found *in,
		   json_t **out, struct px_error *err)
{
	struct found_args a = { .ctx = ctx, .in = in, .err = err,
				.basis = in->basis ? in->basis : "lives" };
	int rc;

	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if ((rc = text_check_line(in->name, 1, 120)))
		return px_fail(err, rc, "name",
			       "a name has 1 to 120 characters on one line");
	if ((rc = text_check_block(in->statement, 1, 20000)))
		return px_fail(err, rc, "statement",
			       "the statement of values has 1 to 20,000 characters");
	if (!gov_slug_valid(in->community))
		return px_fail(err, PX_E_NOT_FOUND, "community",
			       "no community '%s'", in->community);
	a.slug = in->slug ? in->slug : in->community;
	if (!gov_slug_valid(a.slug))
		return px_fail(err, PX_E_BAD_INPUT, "slug",
			       "a slug has 2 to 64 characters: lower-case letters,"
			       " digits and '-', not starting with '-'");
	if (strcmp(a.basis, "lives") && strcmp(a.basis, "works"))
		return px_fail(err, PX_E_BAD_INPUT, "basis",
			       "basis is \"lives\" or \"works\"");
	a.language = in->language ? i18n_lang(in->language) : I18N_DEFAULT;
	if (!a.language || strcmp(a.language, in->language ? in->language : I18N_DEFAULT))
		return px_fail(err, PX_E_BAD_INPUT, "language",
			       "language is a language pnyx speaks, written as"
			       " its code (en, es)");
	if ((rc = body_check_rules(in->rule, &a.rules, err)))
		goto out;
	if ((rc = body_check_schedule(in->schedule, ctx->now, &a.schedule, err)))
		goto out;
	rc = store_tx(ctx->db, found_tx, &a);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	*out = a.out;
out:
	json_decref(a.rules);
	json_decref(a.schedule);
	return rc;
}

#define BODY_SELECT \
	"SELECT b.slug, b.name, b.kind, c.slug, b.statement, b.rules," \
	" b.schedule, b.founded_at, (SELECT count(*) FROM memberships m" \
	" WHERE m.body_id = b.id AND m.status = 'active'), c.population, b.language," \
	" e.how, e.at FROM bodies b LEFT JOIN communities c ON c.id = b.community_id" \
	" LEFT JOIN body_ends e ON e.body_id = b.id"

int gov_body_list(const struct gov_ctx *ctx, json_t **out,
		  struct px_error *err)
{
	static const char sql[] = BODY_SELECT " ORDER BY b.name, b.slug";
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, sql);
	while (store_next(st, &rc)) {
		json_t *b = json_pack("{s:s, s:s, s:s, s:s?, s:I}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"community", (const char *)sqlite3_column_text(st, 3),
			"members", (json_int_t)sqlite3_column_int64(st, 8));
		/* an assembly that divided or united decides nothing more */
		if (b && sqlite3_column_type(st, 11) != SQLITE_NULL)
			json_object_set_new(b, "ended", json_pack("{s:s, s:I}",
				"how", (const char *)sqlite3_column_text(st, 11),
				"at", (json_int_t)sqlite3_column_int64(st, 12)));
		json_array_append_new(list, b);
	}
	if (rc) {
		json_decref(list);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

int gov_body_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		 struct px_error *err)
{
	static const char sql[] = BODY_SELECT " WHERE b.slug = ?";
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, sql);
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		json_t *rules = json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL);
		json_t *sched = json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
		*out = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:o*, s:o*, s:I, s:I, s:s}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"community", (const char *)sqlite3_column_text(st, 3),
			"statement", (const char *)sqlite3_column_text(st, 4),
			"rules", rules, "schedule", sched,
			"founded_at", (json_int_t)sqlite3_column_int64(st, 7),
			"members", (json_int_t)sqlite3_column_int64(st, 8),
			"language", (const char *)sqlite3_column_text(st, 10));
		struct strbuf text;
		sb_init(&text, 1024);
		if (*out && sched && !body_schedule_describe(sched, ctx->lang, &text))
			json_object_set_new(*out, "schedule_text", json_string(text.buf));
		sb_release(&text);
		if (*out && sqlite3_column_type(st, 9) != SQLITE_NULL)
			json_object_set_new(*out, "population",
				json_integer(sqlite3_column_int64(st, 9)));
		sqlite3_reset(st);
	}
	if (!*out)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no body '%s'", slug);
	/* what it became (divided, united) and where it came from */
	int64_t id = 0;
	json_t *lineage = NULL;
	if ((rc = body_id_by_slug(ctx->db, slug, &id, err)) ||
	    (rc = community_lineage_json(ctx->db, id, &lineage))) {
		json_decref(*out);
		*out = NULL;
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	}
	json_object_set_new(*out, "lineage", lineage);
	return 0;
}

int body_id_by_slug(struct store *s, const char *slug, int64_t *id,
		    struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM bodies WHERE slug = ?");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	if (!slug)
		slug = "";
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int found = 0, rc = store_int64(st, id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, NULL, "no body '%s'", slug);
}

int gov_body_offices(const struct gov_ctx *ctx, const char *slug, json_t **out,
		     struct px_error *err)
{
	int64_t id;
	*out = NULL;
	int rc = body_id_by_slug(ctx->db, slug, &id, err);
	if (rc)
		return rc;
	json_t *offices = office_list_json(ctx->db, id);
	json_t *committees = offices ? committee_list_json(ctx->db, id, ctx->now) : NULL;
	if (!committees) {
		json_decref(offices);
		return px_fail(err, PX_E_DB, NULL, NULL);
	}
	*out = json_pack("{s:o, s:o}", "offices", offices, "committees", committees);
	return 0;
}
