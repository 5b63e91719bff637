/*
 * law.c: the law register: effects that write it, and reading it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/errors.h"
#include "core/strbuf.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

static int add_version(struct store *s, int64_t law_id, int64_t version,
		       const char *title, const char *text, const char *change,
		       int64_t motion_id, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO law_versions(law_id, version,"
		" title, text, change, motion_id, at) VALUES (?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, law_id);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, change, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, motion_id);
	sqlite3_bind_int64(st, 7, now);
	return store_run(st);
}

/* Only a local assembly has a register: a delegate assembly never makes
 * laws, whatever calls this (see federation.c). */
static int local_only(struct store *s, int64_t body_id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT kind = 'local' FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int64_t ok = 0;
	int rc = store_int64(st, &ok, NULL);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	return ok ? 0 : px_fail(err, PX_E_FED_NO_LAWS, NULL, NULL);
}

int law_enact(struct store *s, int64_t body_id, const char *title,
	      const char *text, int64_t motion_id, int64_t now,
	      int64_t *number)
{
	int rc = local_only(s, body_id, NULL);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO laws(body_id, number, status)"
		" VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM laws"
		" WHERE body_id = ?1), 'in_force') RETURNING id, number");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_DB;
	int64_t id = sqlite3_column_int64(st, 0);
	*number = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return add_version(s, id, 1, title, text, "enact", motion_id, now);
}

/* A failed law_find: "no law N" naming field, or the storage error. */
static int law_missing(struct px_error *err, int rc, const char *field, int64_t number)
{
	if (rc != PX_E_NOT_FOUND)
		return px_fail(err, rc, NULL, NULL);
	return px_fail(err, rc, field, "no law %lld", (long long)number);
}

/* The law's id, status and latest version; PX_E_NOT_FOUND when none. */
static int law_find(struct store *s, int64_t body_id, int64_t number,
		    int64_t *id, int *in_force, int64_t *latest, char **title,
		    char **text)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT l.id, l.status = 'in_force',"
		" v.version, v.title, v.text FROM laws l JOIN law_versions v"
		" ON v.law_id = l.id WHERE l.body_id = ? AND l.number = ?"
		" ORDER BY v.version DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, number);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	*id = sqlite3_column_int64(st, 0);
	*in_force = sqlite3_column_int(st, 1);
	*latest = sqlite3_column_int64(st, 2);
	if (title)
		*title = strdup((const char *)sqlite3_column_text(st, 3));
	if (text)
		*text = strdup((const char *)sqlite3_column_text(st, 4));
	sqlite3_reset(st);
	return 0;
}

int law_exists(struct store *s, int64_t body_id, int64_t number,
	       int *in_force, struct px_error *err, const char *field)
{
	int64_t id, latest;
	int rc = law_find(s, body_id, number, &id, in_force, &latest, NULL, NULL);
	if (rc == PX_E_NOT_FOUND)
		return px_fail(err, PX_E_NOT_FOUND, field, "no law %lld in this register",
			       (long long)number);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int law_amend(struct store *s, int64_t body_id, int64_t number,
	      const char *title, const char *text, int64_t motion_id,
	      int64_t now, int64_t *version, struct px_error *err)
{
	int64_t id, latest;
	int in_force;
	char *old_title = NULL;
	int rc = local_only(s, body_id, err);
	if (rc)
		return rc;
	rc = law_find(s, body_id, number, &id, &in_force, &latest, &old_title, NULL);
	if (rc)
		return law_missing(err, rc, "params.law", number);
	if (!in_force) {
		free(old_title);
		return px_fail(err, PX_E_CONFLICT, "params.law",
			       "law %lld was repealed", (long long)number);
	}
	*version = latest + 1;
	rc = add_version(s, id, *version, title ? title : old_title, text, "amend",
			 motion_id, now);
	free(old_title);
	return rc;
}

int law_repeal(struct store *s, int64_t body_id, int64_t number,
	       int64_t motion_id, int64_t now, int64_t *version,
	       struct px_error *err)
{
	int64_t id, latest;
	int in_force;
	char *title = NULL, *text = NULL;
	int rc = local_only(s, body_id, err);
	if (rc)
		return rc;
	rc = law_find(s, body_id, number, &id, &in_force, &latest, &title, &text);
	if (rc)
		return law_missing(err, rc, "params.law", number);
	if (!in_force) {
		rc = px_fail(err, PX_E_CONFLICT, "params.law",
			     "law %lld is already repealed", (long long)number);
		goto out;
	}
	*version = latest + 1;
	if ((rc = add_version(s, id, *version, title, text, "repeal", motion_id, now)))
		goto out;
	sqlite3_stmt *st = store_stmt(s, "UPDATE laws SET status = 'repealed' WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	rc = store_run(st);
out:
	free(title);
	free(text);
	return rc;
}

int law_remedy(struct store *s, int64_t body_id, int64_t *number, const char *title,
	       const char *text, const char *change, int64_t motion_id, int64_t case_id,
	       int64_t now, int64_t *version, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT kind = 'polity' FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int64_t polity = 0, id = 0, latest = 0;
	int in_force = 0, rc = store_int64(st, &polity, NULL);
	char *old_title = NULL;
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!polity)
		return px_fail(err, PX_E_FED_NO_LAWS, NULL, NULL);
	if (!*number) {
		if (!text || !title)
			return px_fail(err, PX_E_INTERNAL, NULL, "a new law needs a title and text");
		st = store_stmt(s, "INSERT INTO laws(body_id, number, status) VALUES (?1,"
			" (SELECT coalesce(max(number), 0) + 1 FROM laws WHERE body_id = ?1),"
			" 'in_force') RETURNING id, number");
		sqlite3_bind_int64(st, 1, body_id);
		int row = 0;
		if ((rc = store_step(st, &row)) || !row)
			return px_fail(err, rc ? rc : PX_E_DB, NULL, NULL);
		id = sqlite3_column_int64(st, 0);
		*number = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		*version = 1;
	} else {
		rc = law_find(s, body_id, *number, &id, &in_force, &latest, &old_title, NULL);
		if (rc)
			return law_missing(err, rc, "params.case", *number);
		if (!in_force && text) {
			/* a withdrawal brings a repealed law back in force */
			if (strcmp(change, "withdrawal")) {
				free(old_title);
				return px_fail(err, PX_E_CONFLICT, "params.case",
					       "law %lld was repealed", (long long)*number);
			}
		}
		*version = latest + 1;
	}
	/* the register's own words: enacted, amended or repealed; the case
	 * and its step say by which remedy */
	const char *kind = *version == 1 ? "enact" : text ? "amend" : "repeal";
	rc = add_version(s, id, *version, title ? title : old_title, text ? text : "", kind,
			 motion_id, now);
	free(old_title);
	if (!rc) {
		st = store_stmt(s, "UPDATE law_versions SET case_id = ?, case_change = ?"
				" WHERE law_id = ? AND version = ?");
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_text(st, 2, change, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, id);
		sqlite3_bind_int64(st, 4, *version);
		rc = store_run(st);
	}
	if (!rc) {
		st = store_stmt(s, "UPDATE laws SET status = ? WHERE id = ?");
		sqlite3_bind_text(st, 1, text ? "in_force" : "repealed", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		rc = store_run(st);
	}
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

#define LAW_LATEST \
	"SELECT l.number, v.title, l.status, v.version, v.at, v.text FROM laws l" \
	" JOIN law_versions v ON v.law_id = l.id AND v.version =" \
	" (SELECT max(version) FROM law_versions WHERE law_id = l.id)" \
	" WHERE l.body_id = ?"

int gov_law_list(const struct gov_ctx *ctx, const char *body_slug,
		 json_t **out, struct px_error *err)
{
	static const char sql[] = LAW_LATEST " ORDER BY l.status = 'repealed', l.number";
	int64_t body_id;
	*out = NULL;
	int rc = body_id_by_slug(ctx->db, body_slug, &body_id, err);
	if (rc)
		return rc;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, sql);
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:I}",
			"number", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"status", (const char *)sqlite3_column_text(st, 2),
			"version", (json_int_t)sqlite3_column_int64(st, 3),
			"updated_at", (json_int_t)sqlite3_column_int64(st, 4)));
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

int gov_law_get(const struct gov_ctx *ctx, const char *body_slug,
		int64_t number, json_t **out, struct px_error *err)
{
	int64_t body_id, id, latest;
	int in_force;
	*out = NULL;
	int rc = body_id_by_slug(ctx->db, body_slug, &body_id, err);
	if (rc)
		return rc;
	if ((rc = law_find(ctx->db, body_id, number, &id, &in_force, &latest, NULL, NULL)))
		return law_missing(err, rc, NULL, number);
	json_t *versions = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT version, title, text, change,"
		" motion_id, at, case_id, case_change FROM law_versions WHERE law_id = ?"
		" ORDER BY version");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}",
			"version", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"text", (const char *)sqlite3_column_text(st, 2),
			"change", (const char *)sqlite3_column_text(st, 3),
			"motion", (json_int_t)sqlite3_column_int64(st, 4),
			"at", (json_int_t)sqlite3_column_int64(st, 5));
		/* a polity's: the case whose remedy wrote the version */
		if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			json_object_set_new(v, "case", json_integer(sqlite3_column_int64(st, 6)));
			json_object_set_new(v, "case_change", json_string(
				(const char *)sqlite3_column_text(st, 7)));
		}
		json_array_append_new(versions, v);
	}
	if (rc) {
		json_decref(versions);
		return px_fail(err, rc, NULL, NULL);
	}
	/* a law that entered by a division or a union: the law(s) it came from */
	json_t *origins = json_array();
	st = store_stmt(ctx->db, "SELECT b.slug, l.number, o.motion_id FROM law_origins o"
			" JOIN laws l ON l.id = o.from_law JOIN bodies b ON b.id = l.body_id"
			" WHERE o.law_id = ? ORDER BY b.id");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(origins, json_pack("{s:s, s:I, s:I}",
			"body", (const char *)sqlite3_column_text(st, 0),
			"number", (json_int_t)sqlite3_column_int64(st, 1),
			"motion", (json_int_t)sqlite3_column_int64(st, 2)));
	if (rc) {
		json_decref(versions);
		json_decref(origins);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = json_pack("{s:s, s:I, s:s, s:o, s:o}", "body", body_slug, "number",
			 (json_int_t)number, "status", in_force ? "in_force" : "repealed",
			 "versions", versions, "origins", origins);
	return 0;
}

int gov_law_export(const struct gov_ctx *ctx, const char *body_slug,
		   char **out, struct px_error *err)
{
	static const char sql[] = LAW_LATEST " ORDER BY l.status = 'repealed', l.number";
	struct strbuf sb;
	int64_t body_id;
	int rc = body_id_by_slug(ctx->db, body_slug, &body_id, err);
	*out = NULL;
	if (rc)
		return rc;
	sb_init(&sb, 16 << 20);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT name FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0;
	if (!(rc = store_step(st, &row)) && !row)
		rc = PX_E_NOT_FOUND;
	if (!rc) {
		rc = sb_addf(&sb, "# Laws of %s\n", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	st = store_stmt(ctx->db, sql);
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc)) {
		int repealed = !strcmp((const char *)sqlite3_column_text(st, 2), "repealed");
		rc = sb_addf(&sb, "\n## Law %lld: %s%s\n\n_Version %lld._\n\n%s\n",
			     (long long)sqlite3_column_int64(st, 0),
			     (const char *)sqlite3_column_text(st, 1),
			     repealed ? " (repealed)" : "",
			     (long long)sqlite3_column_int64(st, 3),
			     (const char *)sqlite3_column_text(st, 5));
	}
	sqlite3_reset(st);
	if (rc) {
		sb_release(&sb);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = sb_detach(&sb, NULL);
	return 0;
}

static int version_text(struct store *s, int64_t law_id, int64_t version, char **text)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT text FROM law_versions"
					 " WHERE law_id = ? AND version = ?");
	sqlite3_bind_int64(st, 1, law_id);
	sqlite3_bind_int64(st, 2, version);
	int row = 0, rc = store_step(st, &row);
	*text = NULL;
	if (rc || !row)
		return rc;
	*text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int gov_law_diff(const struct gov_ctx *ctx, const char *body_slug,
		 int64_t number, int64_t from, int64_t to, json_t **out,
		 struct px_error *err)
{
	static const char *const ops[] = { "same", "del", "add" };
	int64_t body_id, id, latest;
	int in_force;
	char *a = NULL, *b = NULL;
	struct diff d = { 0 };
	*out = NULL;
	int rc = body_id_by_slug(ctx->db, body_slug, &body_id, err);
	if (rc)
		return rc;
	if ((rc = law_find(ctx->db, body_id, number, &id, &in_force, &latest, NULL, NULL)))
		return law_missing(err, rc, NULL, number);
	if (!to)
		to = latest;
	if (!from)
		from = to - 1;
	if (to < 1 || to > latest)
		return px_fail(err, PX_E_OUT_OF_RANGE, "to", "law %lld has versions 1 to %lld",
			       (long long)number, (long long)latest);
	if (from < 0 || from >= to)
		return px_fail(err, PX_E_OUT_OF_RANGE, "from",
			       "from must be an earlier version than to");
	if ((rc = from ? version_text(ctx->db, id, from, &a) : 0) ||
	    (rc = version_text(ctx->db, id, to, &b))) {
		px_fail(err, rc, NULL, NULL);
		goto out;
	}
	if (!from)
		a = strdup("");
	if (!a || !b) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	if ((rc = diff_lines(a, b, &d))) {
		px_fail(err, rc, NULL, NULL);
		goto out;
	}
	json_t *lines = json_array();
	for (size_t i = 0; i < d.n; i++)
		json_array_append_new(lines, json_pack("{s:s, s:s%}", "op", ops[d.lines[i].op],
						       "text", d.lines[i].text, d.lines[i].len));
	*out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "number", (json_int_t)number,
			 "from", (json_int_t)from, "to", (json_int_t)to,
			 "added", (json_int_t)d.added, "deleted", (json_int_t)d.deleted,
			 "lines", lines);
out:
	diff_release(&d);
	free(a);
	free(b);
	return rc;
}
