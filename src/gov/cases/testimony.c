/*
 * testimony.c: testimony on a case in hearing (docs/cases.md, "Testimony").
 *
 * The polity's assembly schedules witnesses by a decision
 * (schedule_testimony, cases_kinds.c): one of its meetings still to come
 * and a list of witnesses, each a person of the deployment (by handle) or
 * a name, with a time within that meeting. At that meeting, while it is
 * open, the clerk (or, while the office is vacant or its holder is not in
 * the room, a member checked in: office_may_act) records of each witness
 * whether they testified or did not appear, with a short summary; the
 * minutes of the meeting list it (minutes.c reads case_testimony). Each
 * record is the journal entry case.testimony, applied alike live and in
 * replay; a record made again during the meeting corrects the previous.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/cases/cases.h"
#include "gov/cases/cases_apply.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

static json_t *text_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() : json_string(col(st, i));
}

/* ---- the schedule (the decision's check and effect) ---- */

static int meeting_to_come(int64_t meeting, int64_t at, int closed, int64_t now,
			   struct px_error *err)
{
	if (closed || at <= now)
		return px_fail(err, PX_E_CONFLICT, "params.meeting", "meeting %lld has begun"
			       " already: witnesses are scheduled at a meeting still to come",
			       (long long)meeting);
	return 0;
}

int case_testimony_meeting(struct store *s, int64_t body_id, int64_t meeting, int64_t now,
			   json_t *canon, int64_t *starts_at, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT body_id, starts_at, closed_at IS NOT NULL,"
				      " place FROM meetings WHERE id = ?");
	sqlite3_bind_int64(st, 1, meeting);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.meeting", "no meeting %lld",
			       (long long)meeting);
	int64_t body = sqlite3_column_int64(st, 0), at = sqlite3_column_int64(st, 1);
	int closed = sqlite3_column_int(st, 2);
	/* the meeting's start and place, as every entry naming a meeting
	 * says them: a regular meeting is known by its body and start (its
	 * id is this database's; replay makes it from these) */
	json_object_set_new(canon, "meeting_at", json_integer(at));
	json_object_set_new(canon, "meeting_place", json_string(col(st, 3)));
	sqlite3_reset(st);
	if (body != body_id)
		return px_fail(err, PX_E_FORBIDDEN, "params.meeting", "meeting %lld is not a"
			       " meeting of this assembly", (long long)meeting);
	*starts_at = at;
	return meeting_to_come(meeting, at, closed, now, err);
}

int case_testimony_meeting_at(struct store *s, int64_t body_id, const json_t *params,
			      int64_t now, int64_t *meeting, struct px_error *err)
{
	int64_t at = json_integer_value(json_object_get(params, "meeting_at"));
	const char *place = json_string_value(json_object_get(params, "meeting_place"));
	sqlite3_stmt *st = store_stmt(s, "SELECT id, closed_at IS NOT NULL FROM meetings"
				      " WHERE body_id = ? AND starts_at = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, at);
	int row = 0, rc = store_step(st, &row), closed = 0;
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	*meeting = 0;
	if (row) {
		*meeting = sqlite3_column_int64(st, 0);
		closed = sqlite3_column_int(st, 1);
		sqlite3_reset(st);
	} else if (place) {
		/* a replay, which makes a regular meeting the first time an
		 * entry names it; its room code's secret is its own */
		unsigned char secret[32];
		randombytes_buf(secret, sizeof(secret));
		st = store_stmt(s, "INSERT INTO meetings(body_id, starts_at, kind, place,"
				" code_secret) VALUES (?, ?, 'regular', ?, ?) RETURNING id");
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, at);
		sqlite3_bind_text(st, 3, place, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(st, 4, secret, sizeof(secret), SQLITE_TRANSIENT);
		if ((rc = store_int64(st, meeting, NULL)))
			return px_fail(err, rc, NULL, NULL);
	}
	if (!*meeting)
		return px_fail(err, PX_E_NOT_FOUND, "params.meeting", "the meeting is no more");
	return meeting_to_come(*meeting, at, closed, now, err);
}

int case_testimony_witnesses(struct store *s, const json_t *list, int64_t starts_at,
			     json_t **canon, struct px_error *err)
{
	const char *field = "params.witnesses";
	int64_t ends = starts_at + (int64_t)MEETING_OPEN_HOURS * 3600;
	size_t i, k, n = json_array_size(list);
	const json_t *w;
	*canon = json_array();
	if (!*canon)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (!n) {
		json_decref(*canon);
		*canon = NULL;
		return px_fail(err, PX_E_BAD_INPUT, field, "name at least one witness");
	}
	json_array_foreach(list, i, w) {
		const char *handle = json_string_value(json_object_get(w, "handle"));
		const char *name = json_string_value(json_object_get(w, "name"));
		const json_t *at = json_object_get(w, "at");
		int rc = 0;
		if (json_object_size(w) != 2 || !json_is_integer(at) || !handle == !name)
			rc = px_fail(err, PX_E_BAD_INPUT, field, "witness %zu is a handle or a"
				     " name, and a time: {\"handle\": ..., \"at\": ...} or"
				     " {\"name\": ..., \"at\": ...}", i + 1);
		else if (name && text_check_line(name, 1, 100))
			rc = px_fail(err, PX_E_BAD_INPUT, field, "witness %zu: a name is one line"
				     " of 1 to 100 characters", i + 1);
		else if (json_integer_value(at) < starts_at || json_integer_value(at) >= ends)
			rc = px_fail(err, PX_E_OUT_OF_RANGE, field, "witness %zu: the time is"
				     " outside the meeting (from its start to %d hours after)",
				     i + 1, MEETING_OPEN_HOURS);
		if (!rc && handle) {
			sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM accounts WHERE handle = ?");
			sqlite3_bind_text(st, 1, handle, -1, SQLITE_TRANSIENT);
			int yes = 0;
			if ((rc = store_exists(st, &yes)))
				rc = px_fail(err, rc, NULL, NULL);
			else if (!yes)
				rc = px_fail(err, PX_E_NOT_FOUND, field, "witness %zu: no person"
					     " @%s here (name someone without an account by their"
					     " name)", i + 1, handle);
		}
		const json_t *o;
		json_array_foreach(*canon, k, o) {
			if (rc)
				break;
			const char *h2 = json_string_value(json_object_get(o, "handle"));
			const char *n2 = json_string_value(json_object_get(o, "name"));
			if ((handle && h2 && !strcmp(handle, h2)) ||
			    (name && n2 && !strcmp(name, n2)))
				rc = px_fail(err, PX_E_BAD_INPUT, field, "witness %zu is named twice",
					     i + 1);
		}
		if (rc) {
			json_decref(*canon);
			*canon = NULL;
			return rc;
		}
		json_array_append_new(*canon, handle
			? json_pack("{s:s, s:I}", "handle", handle, "at", json_integer_value(at))
			: json_pack("{s:s, s:I}", "name", name, "at", json_integer_value(at)));
	}
	return 0;
}

int case_testimony_schedule(struct store *s, int64_t case_id, int64_t motion_id,
			    int64_t meeting, const json_t *witnesses)
{
	size_t i;
	const json_t *w;
	int rc = 0;
	json_array_foreach(witnesses, i, w) {
		const char *handle = json_string_value(json_object_get(w, "handle"));
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO case_testimony(id, case_id,"
			" motion_id, meeting_id, account_id, name, at) SELECT (SELECT"
			" coalesce(max(id), 0) + 1 FROM case_testimony), ?, ?, ?, a.id,"
			" coalesce(a.display_name, ?), ? FROM (SELECT 1) LEFT JOIN accounts a"
			" ON a.handle = ?");
		sqlite3_bind_int64(st, 1, case_id);
		sqlite3_bind_int64(st, 2, motion_id);
		sqlite3_bind_int64(st, 3, meeting);
		sqlite3_bind_text(st, 4, json_string_value(json_object_get(w, "name")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(w, "at")));
		if (handle)
			sqlite3_bind_text(st, 6, handle, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 6);
		if ((rc = store_run(st)))
			break;
	}
	return rc;
}

/* ---- the clerk's record ---- */

int cases_apply_testimony(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	const char *outcome = json_string_value(json_object_get(p, "outcome"));
	const char *summary = json_string_value(json_object_get(p, "summary"));
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM case_testimony WHERE id = ? AND"
				      " case_id = ?");
	sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(p, "witness")));
	sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(p, "case")));
	int yes = 0, rc = store_exists(st, &yes);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_NOT_FOUND, "witness", "no such witness on the case");
	st = store_stmt(s, "UPDATE case_testimony SET outcome = ?, summary = ?,"
		" recorded_at = ?, recorded_by = (SELECT id FROM accounts WHERE handle = ?)"
		" WHERE id = ? AND case_id = ?");
	sqlite3_bind_text(st, 1, outcome, -1, SQLITE_TRANSIENT);
	if (summary)
		sqlite3_bind_text(st, 2, summary, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_text(st, 4, json_string_value(json_object_get(p, "person")), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(p, "witness")));
	sqlite3_bind_int64(st, 6, json_integer_value(json_object_get(p, "case")));
	rc = store_run(st);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

struct record_args {
	const struct gov_ctx *ctx;
	int64_t case_id, witness;
	json_t *payload;
	struct px_error *err;
};

static int record_tx(struct store *s, void *arg)
{
	struct record_args *a = arg;
	sqlite3_stmt *st = store_stmt(s, "SELECT t.meeting_id, m.body_id, m.starts_at,"
		" m.closed_at IS NOT NULL, b.slug FROM case_testimony t JOIN meetings m"
		" ON m.id = t.meeting_id JOIN bodies b ON b.id = m.body_id"
		" WHERE t.id = ? AND t.case_id = ?");
	sqlite3_bind_int64(st, 1, a->witness);
	sqlite3_bind_int64(st, 2, a->case_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(a->err, rc, NULL, NULL);
	if (!row)
		return px_fail(a->err, PX_E_NOT_FOUND, "witness", "case %lld has no witness %lld",
			       (long long)a->case_id, (long long)a->witness);
	int64_t meeting = sqlite3_column_int64(st, 0), body = sqlite3_column_int64(st, 1);
	int64_t starts = sqlite3_column_int64(st, 2);
	int closed = sqlite3_column_int(st, 3);
	char slug[GOV_SLUG_SIZE];
	snprintf(slug, sizeof(slug), "%s", col(st, 4));
	sqlite3_reset(st);
	int64_t ignored;
	if ((rc = gov_require_active_member(a->ctx, slug, &ignored, a->err)))
		return rc;
	if (closed || a->ctx->now < starts ||
	    a->ctx->now >= starts + (int64_t)MEETING_OPEN_HOURS * 3600)
		return px_fail(a->err, PX_E_NOT_OPEN, NULL, "testimony is recorded during its"
			       " meeting, while it is open");
	if ((rc = office_may_act(s, body, OFFICE_CLERK, a->ctx->account_id, meeting, a->err)))
		return rc;
	if ((rc = cases_apply_testimony(s, a->payload, a->ctx->now, a->err)))
		return rc;
	if ((rc = journal_append(s, a->ctx->now, a->ctx->handle, slug, "case.testimony",
				 a->payload, NULL)))
		return px_fail(a->err, rc, NULL, NULL);
	return 0;
}

int gov_case_testimony_record(const struct gov_ctx *ctx, int64_t case_id, int64_t witness,
			      const char *outcome, const char *summary, json_t **out,
			      struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!outcome || (strcmp(outcome, "testified") && strcmp(outcome, "absent")))
		return px_fail(err, PX_E_BAD_INPUT, "outcome", "the outcome is 'testified' or"
			       " 'absent' (did not appear)");
	if (summary && !*summary)
		summary = NULL;
	if (summary && text_check_block(summary, 1, CASE_TESTIMONY_SUMMARY_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "summary", "a summary is at most %d"
			       " characters", CASE_TESTIMONY_SUMMARY_MAX);
	struct record_args a = { ctx, case_id, witness, NULL, err };
	a.payload = json_pack("{s:I, s:I, s:s, s:o, s:s}", "case", (json_int_t)case_id,
			      "witness", (json_int_t)witness, "outcome", outcome, "summary",
			      summary ? json_string(summary) : json_null(), "person", ctx->handle);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, record_tx, &a);
	json_decref(a.payload);
	if (rc)
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	json_t *list = NULL;
	if ((rc = case_testimony_json(ctx->db, case_id, 0, &list)))
		return px_fail(err, rc, NULL, NULL);
	size_t i;
	json_t *w;
	json_array_foreach(list, i, w)
		if (json_integer_value(json_object_get(w, "id")) == witness)
			*out = json_incref(w);
	json_decref(list);
	return *out ? 0 : px_fail(err, PX_E_INTERNAL, NULL, NULL);
}

/* ---- reading ---- */

int case_testimony_json(struct store *s, int64_t case_id, int64_t meeting_id, json_t **out)
{
	*out = json_array();
	if (!*out)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "SELECT t.id, t.case_id, c.title, t.meeting_id,"
		" m.starts_at, t.at, a.handle, t.name, t.outcome, t.summary, t.recorded_at,"
		" r.handle, t.motion_id FROM case_testimony t JOIN cases c ON c.id = t.case_id"
		" JOIN meetings m ON m.id = t.meeting_id LEFT JOIN accounts a ON a.id ="
		" t.account_id LEFT JOIN accounts r ON r.id = t.recorded_by WHERE"
		" (? = 0 OR t.case_id = ?) AND (? = 0 OR t.meeting_id = ?) ORDER BY t.at, t.id");
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, case_id);
	sqlite3_bind_int64(st, 3, meeting_id);
	sqlite3_bind_int64(st, 4, meeting_id);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *w = json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:o, s:s, s:o, s:o, s:o,"
			" s:o, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			"case", (json_int_t)sqlite3_column_int64(st, 1), "case_title", col(st, 2),
			"meeting", (json_int_t)sqlite3_column_int64(st, 3), "meeting_at",
			(json_int_t)sqlite3_column_int64(st, 4), "at",
			(json_int_t)sqlite3_column_int64(st, 5), "handle", text_or_null(st, 6),
			"name", col(st, 7), "outcome", text_or_null(st, 8), "summary",
			text_or_null(st, 9), "recorded_at", sqlite3_column_type(st, 10) ==
			SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, 10)),
			"recorded_by", text_or_null(st, 11), "motion",
			(json_int_t)sqlite3_column_int64(st, 12));
		if (!w || json_array_append_new(*out, w)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int gov_meeting_testimony(const struct gov_ctx *ctx, int64_t meeting_id, json_t **out,
			  struct px_error *err)
{
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT body_id, starts_at, closed_at IS NOT NULL"
				      " FROM meetings WHERE id = ?");
	sqlite3_bind_int64(st, 1, meeting_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no meeting %lld", (long long)meeting_id);
	int64_t body = sqlite3_column_int64(st, 0), starts = sqlite3_column_int64(st, 1);
	int closed = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	int open = !closed && ctx->now >= starts &&
		   ctx->now < starts + (int64_t)MEETING_OPEN_HOURS * 3600;
	/* whether the caller may record now (the page shows the buttons) */
	int may = 0;
	if (open && ctx->account_id) {
		struct px_error quiet = { 0 };
		int seated = 0;
		if ((rc = case_seated(ctx->db, body, ctx->account_id, &seated)))
			return px_fail(err, rc, NULL, NULL);
		may = seated && !office_may_act(ctx->db, body, OFFICE_CLERK, ctx->account_id,
						meeting_id, &quiet);
	}
	json_t *list = NULL;
	if ((rc = case_testimony_json(ctx->db, 0, meeting_id, &list)))
		return px_fail(err, rc, NULL, NULL);
	*out = json_pack("{s:I, s:b, s:b, s:o}", "meeting", (json_int_t)meeting_id, "open", open,
			 "may_record", may, "witnesses", list);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}
