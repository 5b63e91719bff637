/*
 * office.c: who may perform a procedural duty, and the list of offices.
 */
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

static int checked_in(struct store *s, int64_t meeting_id, int64_t account_id, int *yes)
{
	int64_t one = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM attendance"
		" WHERE meeting_id = ? AND account_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, account_id);
	return store_int64(st, &one, yes);
}

/* *id: the holder of office name in body, if an active member; else 0. */
static int holder_of(struct store *s, int64_t body_id, const char *name, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT o.holder_id FROM offices o JOIN memberships m"
		" ON m.body_id = o.body_id AND m.account_id = o.holder_id AND m.status = 'active'"
		" WHERE o.body_id = ? AND o.name = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

int office_holds(struct store *s, int64_t body_id, const char *name,
		 int64_t account_id, int *yes)
{
	int64_t holder = 0;
	int rc = account_id ? holder_of(s, body_id, name, &holder) : 0;
	*yes = !rc && account_id && holder == account_id;
	return rc;
}

int office_may_act(struct store *s, int64_t body_id, const char *name,
		   int64_t account_id, int64_t meeting_id, struct px_error *err)
{
	int64_t holder = 0;
	int present = 0, here = 0;
	int rc = holder_of(s, body_id, name, &holder);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (holder == account_id)
		return 0;
	/* A holder who is not in the room leaves the duty to those who are:
	 * an office never lets one person stop a meeting by staying away. */
	if (meeting_id && holder && (rc = checked_in(s, meeting_id, holder, &present)))
		return px_fail(err, rc, NULL, NULL);
	/* the two offices every assembly has are named in the reader's
	 * words: each message whole, so that it translates whole */
	int clerk = !strcmp(name, "clerk"), chair = !strcmp(name, "facilitator");
	if (holder && present)
		return clerk ? px_fail(err, PX_E_FORBIDDEN, NULL, "only the clerk may do this")
		       : chair ? px_fail(err, PX_E_FORBIDDEN, NULL,
					 "only the facilitator may do this")
		       : px_fail(err, PX_E_FORBIDDEN, NULL, "only the %s may do this", name);
	if (meeting_id && (rc = checked_in(s, meeting_id, account_id, &here)))
		return px_fail(err, rc, NULL, NULL);
	if (here)
		return 0;
	if (holder)
		return clerk ? px_fail(err, PX_E_FORBIDDEN, NULL, "the clerk is not at the"
				       " meeting: a member checked in at the meeting may do this")
		       : chair ? px_fail(err, PX_E_FORBIDDEN, NULL, "the facilitator is not at"
					 " the meeting: a member checked in at the meeting may do"
					 " this")
		       : px_fail(err, PX_E_FORBIDDEN, NULL, "the %s is not at the meeting: a"
				 " member checked in at the meeting may do this", name);
	return clerk ? px_fail(err, PX_E_FORBIDDEN, NULL, "nobody holds the office of clerk:"
			       " a member checked in at the meeting may do this")
	       : chair ? px_fail(err, PX_E_FORBIDDEN, NULL, "nobody holds the office of"
				 " facilitator: a member checked in at the meeting may do this")
	       : px_fail(err, PX_E_FORBIDDEN, NULL, "the %s is vacant: a member checked in at"
			 " the meeting may do this", name);
}

int office_may_chair(struct store *s, int64_t body_id, int64_t account_id,
		     int64_t meeting_id, struct px_error *err)
{
	int rc = office_may_act(s, body_id, OFFICE_FACILITATOR, account_id, meeting_id, NULL);
	if (rc == PX_E_FORBIDDEN)
		rc = office_may_act(s, body_id, OFFICE_CLERK, account_id, meeting_id, NULL);
	if (rc != PX_E_FORBIDDEN)
		return rc ? px_fail(err, rc, NULL, NULL) : 0;
	return px_fail(err, PX_E_FORBIDDEN, NULL,
		       "only the facilitator or the clerk may do this");
}

json_t *office_list_json(struct store *s, int64_t body_id)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT o.name, o.duties, a.handle"
		" FROM offices o LEFT JOIN accounts a ON a.id = o.holder_id"
		" WHERE o.body_id = ? ORDER BY o.name");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?}",
			"name", (const char *)sqlite3_column_text(st, 0),
			"duties", (const char *)sqlite3_column_text(st, 1),
			"holder", (const char *)sqlite3_column_text(st, 2)));
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}
