/*
 * hide.c: the motion to hide a comment (kind "hide_comment", a row of
 * procedure_kinds.c). Nobody hides another person's comment alone: not
 * the operator, not a chair, not the author of the motion discussed. The
 * assembly that hosts the discussion (the motion's, or the one that made
 * the proposal) decides it like any motion; adopted, the comment shows as
 * hidden by that decision, with the reason it gave. The journal keeps the
 * comment's text, as it keeps everything.
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/store.h"
#include "gov/discussion/discussion.h"
#include "banned.h"

int hide_comment_check(struct store *s, int64_t body_id, const json_t *params,
		       int64_t now, json_t **canon, struct px_error *err)
{
	(void)now;
	const json_t *c = json_object_get(params, "comment");
	const json_t *r = json_object_get(params, "reason");
	if (!c)
		return px_fail(err, PX_E_MISSING_FIELD, "params.comment", NULL);
	if (!json_is_integer(c) || json_integer_value(c) < 1)
		return px_fail(err, PX_E_BAD_TYPE, "params.comment",
			       "a comment is named by its number");
	if (!r)
		return px_fail(err, PX_E_MISSING_FIELD, "params.reason", NULL);
	if (!json_is_string(r) || text_check_line(json_string_value(r), 1, COMMENT_REASON_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "params.reason",
			       "the reason is one line of 1 to 500 characters");
	int64_t id = json_integer_value(c);
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce((SELECT body_id FROM motions"
		" WHERE id = c.motion_id), (SELECT body_id FROM proposals WHERE id ="
		" c.proposal_id)), c.withdrawn_at IS NOT NULL, c.hidden_by IS NOT NULL"
		" FROM comments c WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	int64_t host = 0;
	int withdrawn = 0, hidden = 0;
	if (row) {
		host = sqlite3_column_int64(st, 0);
		withdrawn = sqlite3_column_int(st, 1);
		hidden = sqlite3_column_int(st, 2);
		sqlite3_reset(st);
	}
	if (!row || host != body_id)
		return px_fail(err, PX_E_NOT_FOUND, "params.comment",
			       "no comment %lld in a discussion this assembly holds",
			       (long long)id);
	if (withdrawn)
		return px_fail(err, PX_E_CONFLICT, "params.comment",
			       "its author withdrew that comment: its text is no longer shown");
	if (hidden)
		return px_fail(err, PX_E_CONFLICT, "params.comment",
			       "that comment is hidden already");
	*canon = json_pack("{s:I, s:s}", "comment", (json_int_t)id, "reason",
			   json_string_value(r));
	return *canon ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

int hide_comment_apply(struct store *s, const struct motion_effect *m,
		       json_t *j, struct px_error *err)
{
	int64_t id = json_integer_value(json_object_get(m->params, "comment"));
	const char *reason = json_string_value(json_object_get(m->params, "reason"));
	sqlite3_stmt *st = store_stmt(s, "UPDATE comments SET hidden_by = ?, hidden_reason = ?"
		" WHERE id = ? AND withdrawn_at IS NULL AND hidden_by IS NULL RETURNING"
		" (SELECT handle FROM accounts WHERE id = author_id)");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_CONFLICT, "params.comment",
			       "the comment was withdrawn by its author or hidden meanwhile");
	json_t *e = json_pack("{s:I, s:s, s:s}", "comment", (json_int_t)id, "reason", reason,
			      "author", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (!e)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_object_set_new(j, "comment_hidden", e);
	return 0;
}
