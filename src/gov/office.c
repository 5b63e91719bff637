/*
 * office.c: who may perform a procedural duty, and the list of offices.
 */
#include <string.h>

#include "../core/errors.h"
#include "../store/store.h"
#include "office.h"
#include "../banned.h"

static int checked_in(struct store *s, int64_t meeting_id, int64_t account_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM attendance"
					 " WHERE meeting_id = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, account_id);
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/* 1 holder is account, 0 vacant or missing, -1 held by someone else */
static int holder_state(struct store *s, int64_t body_id, const char *name,
			int64_t account_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT holder_id FROM offices"
					 " WHERE body_id = ? AND name = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int state = 0;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		state = sqlite3_column_int64(st, 0) == account_id ? 1 : -1;
	sqlite3_reset(st);
	return state;
}

int office_may_act(struct store *s, int64_t body_id, const char *name,
		   int64_t account_id, int64_t meeting_id, struct px_error *err)
{
	int state = holder_state(s, body_id, name, account_id);
	if (state == 1)
		return 0;
	if (state == 0 && meeting_id && checked_in(s, meeting_id, account_id))
		return 0;
	if (state == -1)
		return px_fail(err, PX_E_FORBIDDEN, NULL,
			       "only the %s may do this", name);
	return px_fail(err, PX_E_FORBIDDEN, NULL,
		       "the office of %s is vacant: a member checked in at the"
		       " meeting may do this", name);
}

int office_may_chair(struct store *s, int64_t body_id, int64_t account_id,
		     int64_t meeting_id, struct px_error *err)
{
	if (!office_may_act(s, body_id, OFFICE_FACILITATOR, account_id, meeting_id, NULL))
		return 0;
	if (!office_may_act(s, body_id, OFFICE_CLERK, account_id, meeting_id, NULL))
		return 0;
	return px_fail(err, PX_E_FORBIDDEN, NULL,
		       "only the facilitator or the clerk may do this");
}

json_t *office_list_json(struct store *s, int64_t body_id)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT o.name, o.duties, a.handle"
		" FROM offices o LEFT JOIN accounts a ON a.id = o.holder_id"
		" WHERE o.body_id = ? ORDER BY o.name");
	sqlite3_bind_int64(st, 1, body_id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?}",
			"name", (const char *)sqlite3_column_text(st, 0),
			"duties", (const char *)sqlite3_column_text(st, 1),
			"holder", (const char *)sqlite3_column_text(st, 2)));
	sqlite3_reset(st);
	return list;
}
