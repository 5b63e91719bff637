/*
 * sharing_kinds.c: a local assembly joins a sharing economy, or leaves
 * it, by its own decision (sharing.h). The first assembly to name an
 * economy that does not exist yet founds it, with the name it gives;
 * others join it by naming it. An assembly belongs to one sharing
 * economy at a time: its members' takes and its enterprises' offers go
 * to one register.
 *
 * Parameters (all others refused):
 *   join_sharing_economy   {"economy": short name, "name": its name (to
 *                          found it; when it exists, the same or none)}
 *   leave_sharing_economy  {}
 */
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* The economy this assembly is in now (0: none). */
static int current(struct store *s, int64_t body_id, int64_t *economy)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT economy_id FROM sharing_assemblies"
				      " WHERE body_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, body_id);
	return store_int64(st, economy, NULL);
}

/* The economy named, *id 0 when there is none yet; *name_ok 0 when a name
 * was given that differs from its name. */
static int joinable(struct store *s, int64_t body_id, const char *slug, const char *name,
		    int64_t *id, struct px_error *err)
{
	int64_t now_in = 0;
	if (!gov_slug_valid(slug))
		return px_fail(err, PX_E_BAD_INPUT, "params.economy", "a short name has 2 to"
			       " 64 lower-case letters, digits and hyphens");
	int row = 0, rc = current(s, body_id, &now_in);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (now_in)
		return px_fail(err, PX_E_CONFLICT, "params.economy", "this assembly is in a"
			       " sharing economy already: it leaves it first, by decision");
	sqlite3_stmt *st = store_stmt(s, "SELECT id, name FROM sharing_economies WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	*id = 0;
	if (row) {
		*id = sqlite3_column_int64(st, 0);
		int same = !name || !*name ||
			!strcmp(name, (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		if (!same)
			return px_fail(err, PX_E_CONFLICT, "params.name", "the sharing economy"
				       " '%s' exists under another name: name it alone to join it",
				       slug);
		return 0;
	}
	if (!name || !*name)
		return px_fail(err, PX_E_MISSING_FIELD, "params.name", "no sharing economy"
			       " '%s' yet: give its name to found it", slug);
	return 0;
}

static int check_join(struct store *s, int64_t body_id, const struct kind_args *a,
		      json_t *canon, struct px_error *err)
{
	int64_t id = 0;
	(void)canon;
	return joinable(s, body_id, kind_text(a, "economy"), kind_text(a, "name"), &id, err);
}

static int apply_join(struct store *s, const struct motion_effect *m, json_t *j,
		      struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(m->params, "economy"));
	const char *name = json_string_value(json_object_get(m->params, "name"));
	int64_t id = 0;
	int rc = joinable(s, m->body_id, slug ? slug : "", name, &id, err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if (!id) {
		st = store_stmt(s, "INSERT INTO sharing_economies(slug, name, founded_at,"
				" motion_id) VALUES (?, ?, ?, ?) RETURNING id");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->now);
		sqlite3_bind_int64(st, 4, m->motion_id);
		if ((rc = store_int64(st, &id, NULL)))
			return px_fail(err, rc, NULL, NULL);
		json_object_set_new(j, "founded", json_true());
	}
	st = store_stmt(s, "INSERT INTO sharing_assemblies(economy_id, body_id, motion_id,"
			" joined_at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, m->body_id);
	sqlite3_bind_int64(st, 3, m->motion_id);
	sqlite3_bind_int64(st, 4, m->now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "economy", json_string(slug));
	return 0;
}

static int check_leave(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	int64_t id = 0;
	(void)a;
	(void)canon;
	int rc = current(s, body_id, &id);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!id)
		return px_fail(err, PX_E_CONFLICT, "kind", "this assembly is in no sharing"
			       " economy");
	return 0;
}

static int apply_leave(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	int rc = check_leave(s, m->body_id, NULL, NULL, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE sharing_assemblies SET left_by = ?,"
				      " left_at = ? WHERE body_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, m->body_id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "left_economy", json_true());
	return 0;
}

static const struct kind_param join_params[] = {
	{ .name = "economy", .type = KP_TEXT, .required = 1, .min = 2, .max = 64,
	  .label = N_("The sharing economy (its short name)"),
	  .help = N_("Lower-case letters, digits and hyphens. Name one that exists to join"
		  " it, or a new one to found it.") },
	{ .name = "name", .type = KP_TEXT, .min = 1, .max = 120,
	  .label = N_("Its name (to found a new one)") },
	{ .name = NULL },
};

const struct motion_kind sharing_kinds[] = {
	{ .name = "join_sharing_economy", .label = N_("Join a sharing economy"),
	  .summary = N_("join a sharing economy (or found one): the enterprises of this"
		     " community in good standing offer what they make to its register, and"
		     " its members in good standing take what is not scarce"),
	  .check = check_join, .apply = apply_join, .decided_by = KIND_BY_LOCAL,
	  .params = join_params },
	{ .name = "leave_sharing_economy", .label = N_("Leave the sharing economy"),
	  .summary = N_("leave the sharing economy this assembly joined: its members no"
		     " longer take from its register, nor its enterprises offer to it"),
	  .check = check_leave, .apply = apply_leave, .decided_by = KIND_BY_LOCAL },
	{ .name = NULL },
};
