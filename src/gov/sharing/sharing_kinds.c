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
 *   grant_mutual_aid       {"good": id, "person": handle, "quantity": n}:
 *                          the assembly provides for someone outside the
 *                          economy (opted out, not in good standing, or
 *                          from elsewhere): a take recorded with the
 *                          decision that granted it
 */
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
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

/* The good may be granted by the assembly body_id: offered now in the
 * economy the assembly is in, not scarce (a scarce good is shared in its
 * rounds), with at least quantity in stock; *account: the person's. */
static int grantable(struct store *s, int64_t body_id, int64_t good, const char *handle,
		     int64_t quantity, int64_t *account, struct px_error *err)
{
	int64_t economy = 0;
	int row = 0, scarce = 0, rc = current(s, body_id, &economy);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!economy)
		return px_fail(err, PX_E_CONFLICT, "kind", "this assembly is in no sharing"
			       " economy");
	sqlite3_stmt *st = store_stmt(s, "SELECT economy_id, stock, withdrawn_at IS NOT NULL,"
				      " kind FROM goods WHERE id = ?");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.good", "no good %lld in any"
			       " register", (long long)good);
	int64_t in = sqlite3_column_int64(st, 0), stock = sqlite3_column_int64(st, 1);
	int gone = sqlite3_column_int(st, 2);
	int item = !strcmp((const char *)sqlite3_column_text(st, 3), "item");
	sqlite3_reset(st);
	if (in != economy || gone)
		return px_fail(err, PX_E_CONFLICT, "params.good", "the good is not offered in"
			       " this assembly's sharing economy");
	if ((rc = sharing_good_scarce(s, good, &scarce)))
		return px_fail(err, rc, NULL, NULL);
	if (scarce)
		return px_fail(err, PX_E_SHARING_SCARCE, "params.good", NULL);
	if (item && quantity != 1)
		return px_fail(err, PX_E_OUT_OF_RANGE, "params.quantity", "a unique item is"
			       " granted whole: 1");
	if (quantity > stock)
		return px_fail(err, PX_E_CONFLICT, "params.quantity", "there is not that much:"
			       " %lld left", (long long)stock);
	if ((rc = sharing_account(s, handle, account)))
		return px_fail(err, rc, NULL, NULL);
	if (!*account)
		return px_fail(err, PX_E_NOT_FOUND, "params.person", "no account '%s'", handle);
	return 0;
}

static int check_grant(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	int64_t account = 0;
	(void)canon;
	return grantable(s, body_id, kind_num(a, "good"), kind_text(a, "person"),
			 kind_num(a, "quantity"), &account, err);
}

static int apply_grant(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	int64_t good = json_integer_value(json_object_get(m->params, "good"));
	int64_t quantity = json_integer_value(json_object_get(m->params, "quantity"));
	const char *person = json_string_value(json_object_get(m->params, "person"));
	int64_t account = 0, id = 0;
	int rc = grantable(s, m->body_id, good, person ? person : "", quantity, &account, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO takes(good_id, account_id, quantity, at,"
				      " motion_id) VALUES (?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_int64(st, 3, quantity);
	sqlite3_bind_int64(st, 4, m->now);
	sqlite3_bind_int64(st, 5, m->motion_id);
	if ((rc = store_int64(st, &id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE goods SET stock = stock - ?, holder = CASE WHEN kind ="
			" 'item' THEN ? ELSE holder END WHERE id = ?");
	sqlite3_bind_int64(st, 1, quantity);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_int64(st, 3, good);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	/* an item granted is held, like one taken: its loan history shows it */
	st = store_stmt(s, "SELECT 1 FROM goods WHERE id = ? AND kind = 'item'");
	sqlite3_bind_int64(st, 1, good);
	int item = 0;
	if ((rc = store_exists(st, &item)) ||
	    (item && (rc = loan_start(s, good, account, "take", 0, m->now, 0))))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "mutual_aid", json_integer(id));
	return 0;
}

static const struct kind_param grant_params[] = {
	{ .name = "good", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The good (its number in the register)") },
	{ .name = "person", .type = KP_HANDLE, .required = 1, .min = 1, .max = 32,
	  .label = N_("For whom (handle)"),
	  .help = N_("Someone outside the sharing economy: who opted out, is not in good"
		  " standing, or comes from elsewhere.") },
	{ .name = "quantity", .type = KP_INTEGER, .required = 1, .min = 1,
	  .max = SHARING_STOCK_MAX, .label = N_("How much") },
	{ .name = NULL },
};

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
	{ .name = "grant_mutual_aid", .label = N_("Provide for someone by mutual aid"),
	  .summary = N_("provide a good of the sharing economy to someone outside it (who opted"
		     " out, is not in good standing, or comes from elsewhere), recorded like"
		     " a take, with this decision"),
	  .check = check_grant, .apply = apply_grant, .decided_by = KIND_BY_LOCAL,
	  .flags = KIND_NEEDS_TEXT, .text_label = N_("Why"), .params = grant_params },
	{ .name = NULL },
};
