/*
 * lineage.c: what a divided or united assembly became, where a new one
 * came from, and the one question every path to a decision asks: may
 * this assembly still decide?
 */
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/community/community.h"
#include "gov/community/community_int.h"
#include "banned.h"

int community_body_ended(struct store *s, int64_t body_id, int *ended)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM body_ends WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	return store_exists(st, ended);
}

int community_body_decides(struct store *s, int64_t body_id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT how FROM body_ends WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return 0;
	int divided = !strcmp((const char *)sqlite3_column_text(st, 0), "divided");
	sqlite3_reset(st);
	return px_fail(err, divided ? PX_E_DIVIDED : PX_E_UNITED, NULL, NULL);
}

int community_lineage_json(struct store *s, int64_t body_id, json_t **out)
{
	json_t *o = json_object(), *became = json_array(), *from = json_array();
	int rc = o && became && from ? 0 : PX_E_NOMEM;
	*out = NULL;
	json_object_set_new(o, "became", became);
	json_object_set_new(o, "came_from", from);
	json_object_set_new(o, "ended", json_null());
	sqlite3_stmt *st = store_stmt(s, "SELECT how, motion_id, at FROM body_ends"
				      " WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0;
	if (!rc)
		rc = store_step(st, &row);
	if (!rc && row) {
		json_object_set_new(o, "ended", json_pack("{s:s, s:I, s:I}", "how",
			(const char *)sqlite3_column_text(st, 0),
			"motion", (json_int_t)sqlite3_column_int64(st, 1),
			"at", (json_int_t)sqlite3_column_int64(st, 2)));
		sqlite3_reset(st);
	}
	st = store_stmt(s, "SELECT b.slug, b.name, b.kind, l.how, l.motion_id FROM body_lineage l"
			" JOIN bodies b ON b.id = l.to_body WHERE l.from_body = ? ORDER BY b.id");
	sqlite3_bind_int64(st, 1, body_id);
	while (!rc && store_next(st, &rc))
		json_array_append_new(became, json_pack("{s:s, s:s, s:s, s:s, s:I}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"how", (const char *)sqlite3_column_text(st, 3),
			"motion", (json_int_t)sqlite3_column_int64(st, 4)));
	st = store_stmt(s, "SELECT b.slug, b.name, b.kind, l.how, l.motion_id FROM body_lineage l"
			" JOIN bodies b ON b.id = l.from_body WHERE l.to_body = ? ORDER BY b.id");
	sqlite3_bind_int64(st, 1, body_id);
	while (!rc && store_next(st, &rc))
		json_array_append_new(from, json_pack("{s:s, s:s, s:s, s:s, s:I}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"how", (const char *)sqlite3_column_text(st, 3),
			"motion", (json_int_t)sqlite3_column_int64(st, 4)));
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}
