/*
 * committee.c: whether a committee may act, and the list of committees.
 */
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

int committee_check(struct store *s, int64_t body_id, int64_t id,
		    int64_t account_id, const char *kind, int64_t now,
		    struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT c.ends_at, c.revoked_by IS NOT NULL,"
		" EXISTS (SELECT 1 FROM committee_members m WHERE m.committee_id = c.id"
		" AND m.account_id = ?3), ?4 IS NULL OR EXISTS (SELECT 1 FROM"
		" json_each(c.decision_kinds) WHERE value = ?4) FROM committees c"
		" WHERE c.id = ?1 AND c.body_id = ?2");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, body_id);
	sqlite3_bind_int64(st, 3, account_id);
	if (kind)
		sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	int found = 0, rc = store_step(st, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	int64_t ends = found ? sqlite3_column_int64(st, 0) : 0;
	int revoked = found && sqlite3_column_int(st, 1);
	int member = found && sqlite3_column_int(st, 2);
	int in_scope = found && sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "committee",
			       "no committee %lld in this assembly", (long long)id);
	if (revoked)
		return px_fail(err, PX_E_COMMITTEE_CLOSED, "committee",
			       "the committee was revoked");
	if (now >= ends)
		return px_fail(err, PX_E_COMMITTEE_CLOSED, "committee",
			       "the committee's term has ended");
	if (!member)
		return px_fail(err, PX_E_FORBIDDEN, "committee",
			       "only the committee's members act for it");
	if (!in_scope)
		return px_fail(err, PX_E_OUT_OF_SCOPE, "kind",
			       "the committee may not decide '%s'", kind);
	return 0;
}

int committee_size(struct store *s, int64_t id, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM committee_members"
					 " WHERE committee_id = ?");
	sqlite3_bind_int64(st, 1, id);
	return store_int64(st, n, NULL);
}

json_t *committee_list_json(struct store *s, int64_t body_id, int64_t now)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT c.id, c.name, c.scope, c.decision_kinds,"
		" c.ends_at, c.revoked_by IS NOT NULL, (SELECT json_group_array(a.handle)"
		" FROM committee_members m JOIN accounts a ON a.id = m.account_id"
		" WHERE m.committee_id = c.id) FROM committees c WHERE c.body_id = ?"
		" ORDER BY c.id");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc)) {
		int64_t ends = sqlite3_column_int64(st, 4);
		int revoked = sqlite3_column_int(st, 5);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:o, s:I, s:s}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"scope", (const char *)sqlite3_column_text(st, 2),
			"decision_kinds", json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL),
			"members", json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL),
			"ends_at", (json_int_t)ends,
			"state", revoked ? "revoked" : now >= ends ? "ended" : "in_force"));
	}
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}
