/*
 * economy_kinds.c: the kinds of motion of an enterprise's own (economy.h):
 * whom it admits, and on what conditions. Every other decision of an
 * enterprise is a kind it shares with assemblies (its rule, schedule,
 * meetings, offices, committees, exclusion with reasons and a hearing,
 * readmission): their rows carry KIND_BY_ENTERPRISE. No kind here or
 * there ranks one member above another, hires or pays anyone.
 *
 * Parameters (all others refused):
 *   admit_member     {"member": handle}   the person may then join, once
 *   set_conditions   {}                   the text is the conditions of
 *                                         membership, shown to everyone
 */
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* The person may be admitted: an account, not an active member, not
 * excluded (a readmission is the enterprise's other kind), and not
 * admitted already and yet to join. *id: their account. */
static int admissible(struct store *s, int64_t body_id, const char *handle, int64_t *id,
		      struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT a.id, m.status, EXISTS (SELECT 1 FROM"
		" enterprise_admissions x WHERE x.body_id = ?1 AND x.account_id = a.id"
		" AND x.joined_at IS NULL AND x.voided_by IS NULL) FROM accounts a"
		" LEFT JOIN memberships m"
		" ON m.account_id = a.id AND m.body_id = ?1 WHERE a.handle = ?2");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, handle, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.member", "no account '%s'", handle);
	*id = sqlite3_column_int64(st, 0);
	const char *status = (const char *)sqlite3_column_text(st, 1);
	int waiting = sqlite3_column_int(st, 2);
	rc = 0;
	if (status && !strcmp(status, "active"))
		rc = px_fail(err, PX_E_CONFLICT, "params.member",
			     "%s is already a member", handle);
	else if (status && !strcmp(status, "excluded"))
		rc = px_fail(err, PX_E_CONFLICT, "params.member", "%s was excluded: a"
			     " readmission is decided by its own kind of motion", handle);
	else if (waiting)
		rc = px_fail(err, PX_E_CONFLICT, "params.member",
			     "%s is admitted already and may join", handle);
	sqlite3_reset(st);
	return rc;
}

static int check_admit(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	int64_t id;
	(void)canon;
	return admissible(s, body_id, kind_text(a, "member"), &id, err);
}

static int apply_admit(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	const char *handle = json_string_value(json_object_get(m->params, "member"));
	int64_t id = 0;
	int rc = admissible(s, m->body_id, handle ? handle : "", &id, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO enterprise_admissions(body_id,"
		" account_id, motion_id, admitted_at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, m->motion_id);
	sqlite3_bind_int64(st, 4, m->now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "admitted", json_string(handle));
	return 0;
}

static int apply_conditions(struct store *s, const struct motion_effect *m, json_t *j,
			    struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE enterprises SET conditions = ?,"
		" conditions_motion = ?, conditions_at = ? WHERE body_id = ?");
	sqlite3_bind_text(st, 1, m->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->motion_id);
	sqlite3_bind_int64(st, 3, m->now);
	sqlite3_bind_int64(st, 4, m->body_id);
	int rc = store_run(st);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (sqlite3_changes(store_db(s)) != 1)
		return px_fail(err, PX_E_INTERNAL, NULL, "no enterprise to set conditions of");
	json_object_set_new(j, "conditions", json_true());
	return 0;
}

static const struct kind_param admit_params[] = {
	{ .name = "member", .type = KP_HANDLE, .required = 1, .min = 1, .max = 32,
	  .label = N_("The person (handle)"),
	  .help = N_("Someone who asked to work here: once admitted, they join by their"
		  " own act, as an equal member.") },
	{ .name = NULL },
};

const struct motion_kind economy_kinds[] = {
	{ .name = "admit_member", .label = N_("Admit a new member"),
	  .summary = N_("admit a person as a member of the enterprise (they then join"
		     " by their own act, as an equal member)"),
	  .check = check_admit, .apply = apply_admit, .decided_by = KIND_BY_ENTERPRISE,
	  .params = admit_params },
	{ .name = "set_conditions", .label = N_("Set the conditions of membership"),
	  .summary = N_("set the conditions on which the enterprise admits members"),
	  .check = motion_kind_spec_only, .apply = apply_conditions,
	  .decided_by = KIND_BY_ENTERPRISE, .flags = KIND_NEEDS_TEXT,
	  .text_label = N_("The conditions of membership") },
	{ .name = NULL },
};
