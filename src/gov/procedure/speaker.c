/*
 * speaker.c: the speakers' queue. Rows are (meeting, member, queued_at,
 * called_at); the one called last is speaking (while present), the
 * uncalled ones wait in the order they asked. Only those present wait:
 * when a presence ends (meeting.c end_stay) its place in the queue goes.
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/procedure/procedure.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

static int queue_json(struct store *s, int64_t meeting_id, json_t **out)
{
	int rc = 0, row = 0;
	json_t *queue = json_array(), *speaking = json_null();
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, q.queued_at FROM speakers q"
		" JOIN accounts a ON a.id = q.account_id WHERE q.meeting_id = ?"
		" AND q.called_at IS NULL ORDER BY q.queued_at, q.id");
	sqlite3_bind_int64(st, 1, meeting_id);
	while (store_next(st, &rc))
		json_array_append_new(queue, json_pack("{s:s, s:I}",
			"handle", (const char *)sqlite3_column_text(st, 0),
			"since", (json_int_t)sqlite3_column_int64(st, 1)));
	if (rc)
		goto out;
	/* the one called last has the floor while they are present: whoever
	 * left (the assembly, or their seat) speaks no more */
	st = store_stmt(s, "SELECT a.handle, q.called_at, EXISTS (SELECT 1 FROM attendance t"
		" WHERE t.meeting_id = q.meeting_id AND t.account_id = q.account_id AND"
		" t.left_at IS NULL) FROM speakers q JOIN accounts a"
		" ON a.id = q.account_id WHERE q.meeting_id = ? AND q.called_at IS NOT NULL"
		" ORDER BY q.called_at DESC, q.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, meeting_id);
	if ((rc = store_step(st, &row)))
		goto out;
	if (row && !sqlite3_column_int(st, 2)) {
		sqlite3_reset(st);
	} else if (row) {
		json_decref(speaking);
		speaking = json_pack("{s:s, s:I}", "handle",
				     (const char *)sqlite3_column_text(st, 0),
				     "since", (json_int_t)sqlite3_column_int64(st, 1));
		sqlite3_reset(st);
	}
	*out = json_pack("{s:I, s:O, s:O}", "meeting", (json_int_t)meeting_id,
			 "speaking", speaking, "queue", queue);
out:
	json_decref(queue);
	json_decref(speaking);
	return rc;
}

int gov_speaker_list(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err)
{
	int64_t body_id;
	enum meeting_state state;
	*out = NULL;
	int rc = meeting_load(ctx->db, meeting_id, ctx->now, &body_id, &state, NULL, err);
	if (!rc)
		rc = queue_json(ctx->db, meeting_id, out);
	return rc && err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
}

enum { JOIN, LEAVE, NEXT };

struct speaker_args {
	const struct gov_ctx *ctx;
	int64_t meeting_id;
	int what;
	json_t *out;
	struct px_error *err;
};

static int speaker_tx(struct store *s, void *arg)
{
	struct speaker_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t body_id, ignored;
	enum meeting_state state;
	char slug[GOV_SLUG_SIZE];
	sqlite3_stmt *st;
	int attended = 0;
	int rc = meeting_load(s, a->meeting_id, a->ctx->now, &body_id, &state, slug, a->err);
	if (rc)
		return rc;
	if ((rc = gov_require_active_member(a->ctx, slug, &ignored, a->err)))
		return rc;
	if (state != MEETING_OPEN)
		return meeting_state_fail(a->err, state);
	if (a->what == NEXT) {
		if ((rc = office_may_act(s, body_id, OFFICE_FACILITATOR, a->ctx->account_id,
					 a->meeting_id, a->err)))
			return rc;
		st = store_stmt(s, "UPDATE speakers SET called_at = ?1 WHERE id = (SELECT id"
			" FROM speakers WHERE meeting_id = ?2 AND called_at IS NULL"
			" ORDER BY queued_at, id LIMIT 1)");
		sqlite3_bind_int64(st, 1, a->ctx->now);
		sqlite3_bind_int64(st, 2, a->meeting_id);
		if ((rc = store_run(st)))
			return rc;
		if (!sqlite3_changes(store_db(s)))
			return px_fail(a->err, PX_E_CONFLICT, NULL, "nobody is waiting to speak");
	} else if ((rc = meeting_attended(s, a->meeting_id, a->ctx->account_id,
					  &attended))) {
		return rc;
	} else if (!attended) {
		return px_fail(a->err, PX_E_NOT_CHECKED_IN, NULL, NULL);
	} else if (a->what == JOIN) {
		st = store_stmt(s, "INSERT INTO speakers(meeting_id, account_id, queued_at)"
			" SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM speakers WHERE"
			" meeting_id = ?1 AND account_id = ?2 AND called_at IS NULL)");
		sqlite3_bind_int64(st, 1, a->meeting_id);
		sqlite3_bind_int64(st, 2, a->ctx->account_id);
		sqlite3_bind_int64(st, 3, a->ctx->now);
		if ((rc = store_run(st)))
			return rc;
		if (!sqlite3_changes(store_db(s)))
			return px_fail(a->err, PX_E_CONFLICT, NULL, "you are already in the queue");
	} else {
		st = store_stmt(s, "DELETE FROM speakers WHERE meeting_id = ? AND"
				   " account_id = ? AND called_at IS NULL");
		sqlite3_bind_int64(st, 1, a->meeting_id);
		sqlite3_bind_int64(st, 2, a->ctx->account_id);
		if ((rc = store_run(st)))
			return rc;
		if (!sqlite3_changes(store_db(s)))
			return px_fail(a->err, PX_E_CONFLICT, NULL, "you are not in the queue");
	}
	return queue_json(s, a->meeting_id, &a->out);
}

static int run(const struct gov_ctx *ctx, int64_t meeting_id, int what,
	       json_t **out, struct px_error *err)
{
	struct speaker_args a = { ctx, meeting_id, what, NULL, err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (!rc)
		rc = store_tx(ctx->db, speaker_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

int gov_speaker_join(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err)
{
	return run(ctx, meeting_id, JOIN, out, err);
}

int gov_speaker_leave(const struct gov_ctx *ctx, int64_t meeting_id,
		      json_t **out, struct px_error *err)
{
	return run(ctx, meeting_id, LEAVE, out, err);
}

int gov_speaker_next(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err)
{
	return run(ctx, meeting_id, NEXT, out, err);
}
