/*
 * comment.c: comments on motions and proposals: reading a discussion,
 * commenting or replying, and withdrawing one's own comment. The rules
 * are in discussion.h; hiding is hide.c, the effect of a decision.
 *
 * Invariants: a comment's thread (motion_id or proposal_id) is its
 * parent's; depth is the parent's plus one, at most COMMENT_DEPTH_MAX; a
 * comment is withdrawn or hidden at most once and never deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/markdown.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/discussion/discussion.h"
#include "banned.h"

enum target { ON_MOTION, ON_PROPOSAL };

static const char *const target_names[] = { "motion", "proposal" };

static int parse_target(const char *name, enum target *t, struct px_error *err)
{
	if (name && !strcmp(name, "motion"))
		*t = ON_MOTION;
	else if (name && !strcmp(name, "proposal"))
		*t = ON_PROPOSAL;
	else
		return px_fail(err, PX_E_BAD_INPUT, "target",
			       "comments are on a motion or a proposal");
	return 0;
}

/* What a discussion belongs to: the assembly that hosts it (the motion's,
 * or the one that made the proposal), its slug, and whether it takes
 * comments now (*why: the motion's status when it does not). */
struct thread {
	enum target target;
	int64_t id;
	int64_t host;
	char slug[GOV_SLUG_SIZE];
	char status[16];
	char tz[64];              /* its assembly's schedule's zone, or "" */
	int open;
};

static int thread_load(struct store *s, enum target t, int64_t id, struct thread *th,
		       struct px_error *err)
{
	memset(th, 0, sizeof(*th));
	th->target = t;
	th->id = id;
	sqlite3_stmt *st = store_stmt(s, t == ON_MOTION
		? "SELECT m.body_id, b.slug, m.status, json_extract(b.schedule, '$.tz')"
		  " FROM motions m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?"
		: "SELECT p.body_id, b.slug, 'open', json_extract(b.schedule, '$.tz')"
		  " FROM proposals p JOIN bodies b ON b.id = p.body_id WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no %s %lld", target_names[t],
			       (long long)id);
	th->host = sqlite3_column_int64(st, 0);
	snprintf(th->slug, sizeof(th->slug), "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(th->status, sizeof(th->status), "%s", (const char *)sqlite3_column_text(st, 2));
	if (sqlite3_column_type(st, 3) == SQLITE_TEXT)
		snprintf(th->tz, sizeof(th->tz), "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	th->open = t == ON_PROPOSAL || !strcmp(th->status, "submitted") ||
		   !strcmp(th->status, "voting");
	return 0;
}

/* *standing: 1 when account is an active member of an assembly whose
 * members take part in the discussion, 2 when not but excluded from one
 * of them, 0 otherwise. */
static int standing_of(struct store *s, const struct thread *th, int64_t account,
		       int *standing)
{
	sqlite3_stmt *st = store_stmt(s, th->target == ON_MOTION
		? "SELECT coalesce(max(status = 'active'), 0),"
		  " coalesce(max(status = 'excluded'), 0) FROM memberships"
		  " WHERE account_id = ?1 AND body_id = ?2"
		: "SELECT coalesce(max(status = 'active'), 0),"
		  " coalesce(max(status = 'excluded'), 0) FROM memberships"
		  " WHERE account_id = ?1 AND body_id IN (SELECT ?2 UNION"
		  " SELECT body_id FROM proposal_offers WHERE proposal_id = ?3)");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, th->host);
	if (th->target == ON_PROPOSAL)
		sqlite3_bind_int64(st, 3, th->id);
	int row = 0, rc = store_step(st, &row);
	*standing = 0;
	if (rc)
		return rc;
	if (row) {
		*standing = sqlite3_column_int(st, 0) ? 1 : sqlite3_column_int(st, 1) ? 2 : 0;
		sqlite3_reset(st);
	}
	return 0;
}

static int require_speaker(struct store *s, const struct gov_ctx *ctx,
			   const struct thread *th, struct px_error *err)
{
	int standing = 0;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if ((rc = standing_of(s, th, ctx->account_id, &standing)))
		return px_fail(err, rc, NULL, NULL);
	if (standing == 2)
		return px_fail(err, PX_E_EXCLUDED, NULL, NULL);
	if (standing != 1)
		return px_fail(err, PX_E_NOT_MEMBER, NULL, th->target == ON_MOTION
			       ? "only active members of the assembly that decides this"
				 " motion take part in its discussion"
			       : "only active members of the assemblies this proposal"
				 " was made by or offered to take part in its discussion");
	return 0;
}

/* ---- a comment as JSON ---- */

#define COMMENT_COLS "c.id, c.reply_to, c.depth, a.handle, c.at, c.text," \
	" c.withdrawn_at, c.hidden_by, c.hidden_reason, c.author_id"

static json_t *comment_row(sqlite3_stmt *st, int64_t viewer)
{
	json_t *c = json_pack("{s:I, s:o, s:I, s:s, s:I, s:b}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"reply_to", sqlite3_column_type(st, 1) == SQLITE_NULL ? json_null()
			: json_integer(sqlite3_column_int64(st, 1)),
		"depth", (json_int_t)sqlite3_column_int64(st, 2),
		"author", (const char *)sqlite3_column_text(st, 3),
		"at", (json_int_t)sqlite3_column_int64(st, 4),
		"mine", viewer && viewer == sqlite3_column_int64(st, 9));
	if (!c)
		return NULL;
	/* a withdrawn or hidden comment keeps its place, not its words (the
	 * journal, public and append-only, keeps what was written) */
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		json_object_set_new(c, "state", json_string("hidden"));
		json_object_set_new(c, "hidden_by", json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(c, "hidden_reason",
				    json_string((const char *)sqlite3_column_text(st, 8)));
	} else if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		json_object_set_new(c, "state", json_string("withdrawn"));
		json_object_set_new(c, "withdrawn_at",
				    json_integer(sqlite3_column_int64(st, 6)));
	} else {
		const char *text = (const char *)sqlite3_column_text(st, 5);
		char *html = markdown_html(text, (size_t)sqlite3_column_bytes(st, 5));
		if (!html) {
			json_decref(c);
			return NULL;
		}
		json_object_set_new(c, "state", json_string("shown"));
		json_object_set_new(c, "text", json_string(text));
		json_object_set_new(c, "html", json_string(html));
		free(html);
	}
	return c;
}

static int comment_one(struct store *s, int64_t id, int64_t viewer, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " COMMENT_COLS " FROM comments c"
		" JOIN accounts a ON a.id = c.author_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	*out = comment_row(st, viewer);
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

/* Each comment followed by its replies, oldest first, by a path of
 * zero-padded ids. */
#define THREAD_SQL(col) \
	"WITH RECURSIVE t(id, path) AS (SELECT id, printf('%012d', id) FROM comments" \
	" WHERE " col " = ? AND reply_to IS NULL UNION ALL SELECT c.id," \
	" t.path || printf('.%012d', c.id) FROM comments c JOIN t ON c.reply_to = t.id)" \
	" SELECT " COMMENT_COLS " FROM t JOIN comments c ON c.id = t.id" \
	" JOIN accounts a ON a.id = c.author_id ORDER BY t.path"

int gov_comment_list(const struct gov_ctx *ctx, const char *target, int64_t id,
		     json_t **out, struct px_error *err)
{
	enum target t;
	struct thread th;
	int standing = 0;
	*out = NULL;
	int rc = parse_target(target, &t, err);
	if (rc || (rc = thread_load(ctx->db, t, id, &th, err)))
		return rc;
	if (ctx->account_id && (rc = standing_of(ctx->db, &th, ctx->account_id, &standing)))
		return px_fail(err, rc, NULL, NULL);
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, t == ON_MOTION ? THREAD_SQL("motion_id")
							      : THREAD_SQL("proposal_id"));
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		json_t *c = comment_row(st, ctx->account_id);
		if (!c) {
			sqlite3_reset(st);
			rc = PX_E_NOMEM;
			break;
		}
		json_array_append_new(list, c);
	}
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = json_pack("{s:s, s:I, s:s, s:b, s:b, s:o}", "target", target_names[t],
			 "target_id", (json_int_t)id, "body", th.slug, "open", th.open,
			 "may_comment", th.open && standing == 1, "comments", list);
	if (!*out)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (!th.open)
		json_object_set_new(*out, "closed_because", json_string(th.status));
	/* the zone its assembly keeps its schedule in, for a reader to write
	 * the comments' times in (the command line) */
	if (*th.tz)
		json_object_set_new(*out, "tz", json_string(th.tz));
	return 0;
}

/* ---- commenting ---- */

struct add_args {
	const struct gov_ctx *ctx;
	enum target target;
	int64_t id, reply_to;
	const char *text;
	json_t *out;
	struct px_error *err;
};

/* The comment replied to: in the same discussion, not hidden, not at the
 * deepest level; *depth the reply's. */
static int check_parent(struct store *s, const struct add_args *a, int64_t *depth)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(motion_id, 0),"
		" coalesce(proposal_id, 0), depth, hidden_by IS NOT NULL FROM comments"
		" WHERE id = ?");
	sqlite3_bind_int64(st, 1, a->reply_to);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(a->err, rc, NULL, NULL);
	int64_t on = 0, parent_depth = 0;
	int hidden = 0;
	if (row) {
		on = sqlite3_column_int64(st, a->target == ON_MOTION ? 0 : 1);
		parent_depth = sqlite3_column_int64(st, 2);
		hidden = sqlite3_column_int(st, 3);
		sqlite3_reset(st);
	}
	if (on != a->id)
		return px_fail(a->err, PX_E_BAD_INPUT, "reply_to",
			       "comment %lld is not in the discussion of this %s",
			       (long long)a->reply_to, target_names[a->target]);
	if (parent_depth >= COMMENT_DEPTH_MAX)
		return px_fail(a->err, PX_E_BAD_INPUT, "reply_to",
			       "replies nest %d deep: answer the comment this one replies to",
			       COMMENT_DEPTH_MAX);
	if (hidden)
		return px_fail(a->err, PX_E_CONFLICT, "reply_to",
			       "that comment was hidden by the assembly's decision");
	*depth = parent_depth + 1;
	return 0;
}

static int add_tx(struct store *s, void *arg)
{
	struct add_args *a = arg;
	struct thread th;
	int64_t depth = 0, cid = 0;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int rc = thread_load(s, a->target, a->id, &th, a->err);
	if (rc || (rc = require_speaker(s, a->ctx, &th, a->err)))
		return rc;
	if (!th.open)
		return px_fail(a->err, PX_E_CONFLICT, NULL, "the motion was %s: its discussion"
			       " is closed", th.status);
	if (a->reply_to && (rc = check_parent(s, a, &depth)))
		return rc;
	int64_t recent = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM comments WHERE author_id = ?"
				      " AND at > ?");
	sqlite3_bind_int64(st, 1, a->ctx->account_id);
	sqlite3_bind_int64(st, 2, a->ctx->now - 3600);
	if ((rc = store_int64(st, &recent, NULL)))
		return rc;
	if (recent >= COMMENTS_PER_HOUR)
		return px_fail(a->err, PX_E_RATE_LIMITED, NULL, "you wrote %d comments in the"
			       " last hour, as many as anyone may: wait a little",
			       COMMENTS_PER_HOUR);
	st = store_stmt(s, "INSERT INTO comments(motion_id, proposal_id,"
		" reply_to, depth, author_id, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id");
	if (a->target == ON_MOTION)
		sqlite3_bind_int64(st, 1, a->id);
	else
		sqlite3_bind_int64(st, 2, a->id);
	if (a->reply_to)
		sqlite3_bind_int64(st, 3, a->reply_to);
	sqlite3_bind_int64(st, 4, depth);
	sqlite3_bind_int64(st, 5, a->ctx->account_id);
	sqlite3_bind_text(st, 6, a->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, a->ctx->now);
	if ((rc = store_int64(st, &cid, NULL)))
		return rc;
	if (!cid)
		return PX_E_DB;
	json_t *p = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:o, s:s, s:I}",
		"comment", (json_int_t)cid, "author", (json_int_t)a->ctx->account_id,
		"handle", a->ctx->handle, "target", target_names[a->target],
		"target_id", (json_int_t)a->id, target_names[a->target], (json_int_t)a->id,
		"reply_to", a->reply_to ? json_integer(a->reply_to) : json_null(),
		"text", a->text, "at", (json_int_t)a->ctx->now);
	if (!p)
		return PX_E_NOMEM;
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), th.slug, "comment.add", p, NULL);
	json_decref(p);
	if (!rc)
		rc = comment_one(s, cid, a->ctx->account_id, &a->out);
	return rc;
}

/* Markdown of 1..COMMENT_TEXT_MAX characters, with something besides
 * white space. */
static int check_text(const char *text, struct px_error *err)
{
	int rc = text ? text_check_block(text, 1, COMMENT_TEXT_MAX) : PX_E_MISSING_FIELD;
	if (rc == PX_E_MISSING_FIELD)
		return px_fail(err, rc, "text", "a comment needs its text");
	if (rc)
		return px_fail(err, rc, "text", "a comment has 1 to 10,000 characters of"
			       " valid UTF-8 text");
	for (const char *p = text; *p; p++)
		if (!strchr(" \t\r\n", *p))
			return 0;
	return px_fail(err, PX_E_BAD_INPUT, "text", "a comment cannot be only white space");
}

int gov_comment_add(const struct gov_ctx *ctx, const char *target, int64_t id,
		    const char *text, int64_t reply_to, json_t **out,
		    struct px_error *err)
{
	struct add_args a = { .ctx = ctx, .id = id, .reply_to = reply_to, .text = text,
			      .err = err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (!rc)
		rc = parse_target(target, &a.target, err);
	if (!rc)
		rc = check_text(text, err);
	if (!rc && reply_to < 0)
		rc = px_fail(err, PX_E_OUT_OF_RANGE, "reply_to", "a comment is named by its number");
	if (!rc)
		rc = store_tx(ctx->db, add_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

int gov_comment_retry_after(const struct gov_ctx *ctx, int64_t *seconds)
{
	int64_t oldest = 0;
	int found = 0;
	/* the comment whose hour ends first among the last COMMENTS_PER_HOUR */
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT min(at) FROM (SELECT at FROM comments"
		" WHERE author_id = ? AND at > ? ORDER BY at DESC LIMIT ?)");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	sqlite3_bind_int64(st, 2, ctx->now - 3600);
	sqlite3_bind_int64(st, 3, COMMENTS_PER_HOUR);
	int rc = store_int64(st, &oldest, &found);
	*seconds = 1;
	if (!rc && found && oldest + 3600 - ctx->now > 1)
		*seconds = oldest + 3600 - ctx->now;
	return rc;
}

/* ---- withdrawing ---- */

struct withdraw_args {
	const struct gov_ctx *ctx;
	int64_t id;
	json_t *out;
	struct px_error *err;
};

static int withdraw_tx(struct store *s, void *arg)
{
	struct withdraw_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT c.author_id, coalesce(c.motion_id, 0),"
		" coalesce(c.proposal_id, 0), c.withdrawn_at IS NOT NULL,"
		" c.hidden_by IS NOT NULL FROM comments c WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, a->id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(a->err, PX_E_NOT_FOUND, NULL, "no comment %lld", (long long)a->id);
	int64_t author = sqlite3_column_int64(st, 0);
	int64_t motion = sqlite3_column_int64(st, 1), proposal = sqlite3_column_int64(st, 2);
	int withdrawn = sqlite3_column_int(st, 3), hidden = sqlite3_column_int(st, 4);
	sqlite3_reset(st);
	/* the author may withdraw their words even after leaving the
	 * assembly: they are theirs */
	if (author != a->ctx->account_id)
		return px_fail(a->err, PX_E_FORBIDDEN, NULL,
			       "only its author may withdraw a comment; the assembly may"
			       " hide one by a decision (a motion to hide a comment)");
	if (withdrawn)
		return px_fail(a->err, PX_E_CONFLICT, NULL, "you withdrew this comment already");
	if (hidden)
		return px_fail(a->err, PX_E_CONFLICT, NULL,
			       "this comment was hidden by the assembly's decision");
	struct thread th;
	enum target t = motion ? ON_MOTION : ON_PROPOSAL;
	if ((rc = thread_load(s, t, motion ? motion : proposal, &th, a->err)))
		return rc;
	st = store_stmt(s, "UPDATE comments SET withdrawn_at = ? WHERE id = ?"
			   " AND withdrawn_at IS NULL AND hidden_by IS NULL");
	sqlite3_bind_int64(st, 1, a->ctx->now);
	sqlite3_bind_int64(st, 2, a->id);
	if ((rc = store_run(st)))
		return rc;
	if (sqlite3_changes(store_db(s)) != 1)
		return PX_E_INTERNAL;
	json_t *p = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:I}",
		"comment", (json_int_t)a->id, "author", (json_int_t)author,
		"handle", a->ctx->handle, "target", target_names[t],
		"target_id", (json_int_t)th.id, target_names[t], (json_int_t)th.id,
		"at", (json_int_t)a->ctx->now);
	if (!p)
		return PX_E_NOMEM;
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), th.slug, "comment.withdraw",
			    p, NULL);
	json_decref(p);
	if (!rc)
		rc = comment_one(s, a->id, a->ctx->account_id, &a->out);
	return rc;
}

int gov_comment_withdraw(const struct gov_ctx *ctx, int64_t comment, json_t **out,
			 struct px_error *err)
{
	struct withdraw_args a = { .ctx = ctx, .id = comment, .err = err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (!rc)
		rc = store_tx(ctx->db, withdraw_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}
