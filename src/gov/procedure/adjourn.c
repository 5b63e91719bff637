/*
 * adjourn.c: the motion to adjourn the meeting in session (kind
 * "adjourn", a row of procedure_kinds.c).
 *
 * A motion to adjourn the meeting in session. It goes on the
 * agenda of that meeting (whether or not the assembly takes other motions
 * from the floor) and is decided under the assembly's rule like any
 * motion. Adopted, it closes the meeting at once: the minutes are written
 * and the motions left undecided go to the next meeting's agenda, as at
 * any close. It is how an assembly ends a meeting whose agenda it does not
 * finish; nobody ends one alone (meeting.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static int count_of(struct store *s, const char *sql, int64_t a, int64_t b, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	return store_int64(st, n, NULL);
}

int adjourn_apply(struct store *s, const struct motion_effect *m,
			 json_t *j, struct px_error *err)
{
	int64_t meeting, body_id, running, carried;
	enum meeting_state state;
	char slug[GOV_SLUG_SIZE];
	/* the meeting whose agenda the motion is on (the body's, then) */
	int rc = count_of(s, "SELECT coalesce(meeting_id, 0) FROM motions"
			  " WHERE id = ?1 AND body_id = ?2", m->motion_id, m->body_id,
			  &meeting);
	if (rc)
		return rc;
	if (!meeting)
		return px_fail(err, PX_E_CONFLICT, NULL, "a motion to adjourn adjourns"
			       " the meeting on whose agenda it is, and this one is on none");
	if ((rc = meeting_load(s, meeting, m->now, &body_id, &state, slug, err)))
		return rc;
	if (state != MEETING_OPEN)
		return meeting_state_fail(err, state);
	if ((rc = count_of(s, "SELECT count(*) FROM motions WHERE meeting_id = ?1"
			   " AND id <> ?2 AND status = 'voting' AND vote_mode IN"
			   " ('devices', 'hands')", meeting, m->motion_id, &running)))
		return rc;
	if (running)
		return px_fail(err, PX_E_CONFLICT, NULL, "a vote on another motion was"
			       " still running, so the meeting could not be adjourned");
	if ((rc = count_of(s, "SELECT count(*) FROM motions WHERE meeting_id = ?1"
			   " AND id <> ?2 AND status = 'submitted'", meeting,
			   m->motion_id, &carried)))
		return rc;
	/* the minutes record this decision too: it is written before them
	 * (the vote's close writes the same again) */
	char *result = m->result ? json_dumps(m->result, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = 'adopted',"
				      " result = coalesce(?, result), decided_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, result, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, m->motion_id);
	rc = store_run(st);
	free(result);
	if (rc || (rc = meeting_close_now(s, meeting, body_id, slug, m->now, m->actor,
					  m->motion_id)))
		return rc;
	json_object_set_new(j, "adjourned", json_pack("{s:I, s:I}", "meeting",
			    (json_int_t)meeting, "carried", (json_int_t)carried));
	return 0;
}
