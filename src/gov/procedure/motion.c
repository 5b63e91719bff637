/*
 * motion.c: submitting motions to the agenda, showing them, withdrawing,
 * reordering the agenda and advisory input. Voting is in vote.c, effects
 * in gov/assembly/assembly_kinds.c and gov/federation/motion_kinds_fed.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/federation/federation.h"
#include "gov/procedure/minutes.h"
#include "gov/procedure/procedure.h"
#include "gov/procedure/vote.h"
#include "gov/nodes/nodes.h"
#include "banned.h"

#define TEXT_MAX 100000
#define MOTIONS_PER_MEMBER 20 /* undecided, per meeting */

/* The meeting whose agenda takes a motion submitted now: the open meeting
 * when the assembly takes motions from the floor, else the next meeting
 * not yet started. */
static int agenda_meeting(struct store *s, int64_t body_id, int64_t now,
			  int64_t *meeting_id, struct px_error *err)
{
	int rc = meeting_sync(s, body_id, now);
	if (rc)
		return rc;
	int64_t floor = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT json_extract(schedule, '$.floor_motions')"
					 " FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	*meeting_id = 0;
	if ((rc = store_int64(st, &floor, NULL)))
		return rc;
	if (floor) {
		st = store_stmt(s, "SELECT id FROM meetings WHERE body_id = ?1 AND"
			" closed_at IS NULL AND starts_at <= ?2 AND starts_at > ?3"
			" ORDER BY starts_at DESC LIMIT 1");
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, now - MEETING_OPEN_HOURS * 3600);
		if ((rc = store_int64(st, meeting_id, NULL)))
			return rc;
	}
	if (!*meeting_id) {
		st = store_stmt(s, "SELECT id FROM meetings WHERE body_id = ? AND"
			" closed_at IS NULL AND starts_at > ? ORDER BY starts_at LIMIT 1");
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, now);
		if ((rc = store_int64(st, meeting_id, NULL)))
			return rc;
	}
	if (!*meeting_id)
		return px_fail(err, PX_E_CONFLICT, NULL,
			       "the assembly has no coming meeting to take the motion");
	return 0;
}

/* The meeting the proposer named: it must be this assembly's, and its
 * agenda open: before it begins, or while in session when the assembly
 * takes motions from the floor. */
static int named_meeting(struct store *s, int64_t body_id, int64_t meeting,
			 int64_t now, struct px_error *err)
{
	int64_t owner;
	enum meeting_state state;
	int rc = meeting_load(s, meeting, now, &owner, &state, NULL, NULL);
	if (rc == PX_E_NOT_FOUND || (!rc && owner != body_id))
		return px_fail(err, PX_E_NOT_FOUND, "meeting",
			       "this assembly has no meeting %lld", (long long)meeting);
	if (rc)
		return rc;
	if (state == MEETING_SCHEDULED)
		return 0;
	int64_t floor = 0;
	if (state == MEETING_OPEN) {
		sqlite3_stmt *st = store_stmt(s, "SELECT json_extract(schedule,"
			" '$.floor_motions') FROM bodies WHERE id = ?");
		sqlite3_bind_int64(st, 1, body_id);
		if ((rc = store_int64(st, &floor, NULL)))
			return rc;
	}
	if (floor)
		return 0;
	return px_fail(err, PX_E_CONFLICT, "meeting", state == MEETING_OPEN
		       ? "this meeting is in session and the assembly does not take"
			 " motions from the floor: it can go to the next meeting"
		       : "this meeting is over: its agenda is closed");
}

struct submit_args {
	const struct gov_ctx *ctx;
	const char *slug;
	const struct motion_submit *in;
	const struct motion_kind *kind;
	int64_t meeting; /* named by the proposer, or 0 */
	int64_t id;
	json_t *out;
	struct px_error *err;
};

/* The row's spec and the kind's check of the parameters: *canon their
 * canonical form. */
static int check_params(struct store *s, const struct submit_args *a, int64_t body_id,
			json_t **canon)
{
	return motion_kind_check_params(a->kind, s, body_id, a->in->params, a->ctx->now,
					canon, a->err);
}

/* An amendment: the motion it amends must be undecided and not itself an
 * amendment; the amendment joins its meeting (and its committee). */
static int amended_motion(struct store *s, const struct submit_args *a, int64_t body_id,
			  int64_t *meeting_id, int64_t *committee)
{
	if (!(a->kind->flags & KIND_AMENDS))
		return px_fail(a->err, PX_E_BAD_INPUT, "amends",
			       "only an amendment amends a motion");
	sqlite3_stmt *st = store_stmt(s, "SELECT meeting_id, kind, status,"
		" coalesce(committee_id, 0) FROM motions WHERE id = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, a->in->amends);
	sqlite3_bind_int64(st, 2, body_id);
	int found = 0, rc;
	if ((rc = store_step(st, &found)))
		return rc;
	int ok = found && !strcmp((const char *)sqlite3_column_text(st, 2), "submitted")
		 && strcmp((const char *)sqlite3_column_text(st, 1), "amendment");
	if (found) {
		*meeting_id = sqlite3_column_int64(st, 0);
		*committee = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (!found)
		return px_fail(a->err, PX_E_NOT_FOUND, "amends", "no motion %lld here",
			       (long long)a->in->amends);
	if (!ok)
		return px_fail(a->err, PX_E_CONFLICT, "amends",
			       "only a motion not yet voted on, and not an amendment,"
			       " can be amended");
	/* an amendment to a committee's motion is the committee's too */
	if (*committee && (rc = committee_check(s, body_id, *committee,
			a->ctx->account_id, NULL, a->ctx->now, a->err)))
		return rc;
	return 0;
}

/* Where the motion will be decided: the meeting whose agenda takes it, or
 * (committee set, no meeting) by a committee's members. */
static int where_decided(struct store *s, const struct submit_args *a, int64_t body_id,
			 int64_t *meeting_id, int64_t *committee)
{
	if (a->meeting && (a->in->amends || *committee))
		return px_fail(a->err, PX_E_BAD_INPUT, "meeting", a->in->amends
			       ? "an amendment goes to the meeting of the motion it amends"
			       : "a committee decides apart from the assembly's meetings");
	if (a->in->amends)
		return amended_motion(s, a, body_id, meeting_id, committee);
	if (*committee) /* a committee's own decision: no meeting, its members vote */
		return committee_check(s, body_id, *committee, a->ctx->account_id,
				       a->kind->name, a->ctx->now, a->err);
	if (a->kind->flags & KIND_AMENDS)
		return px_fail(a->err, PX_E_MISSING_FIELD, "amends",
			       "an amendment names the motion it amends");
	if (a->kind->flags & KIND_IN_SESSION) {
		/* a motion to adjourn is about the meeting in session: it goes
		 * on that meeting's agenda, floor motions or not */
		int rc = meeting_in_session(s, body_id, a->ctx->now, meeting_id, NULL);
		return rc ? px_fail(a->err, rc, "kind", "a motion to adjourn is made while"
				    " a meeting of the assembly is in session") : 0;
	}
	if (a->meeting) {
		int rc = named_meeting(s, body_id, a->meeting, a->ctx->now, a->err);
		if (!rc)
			*meeting_id = a->meeting;
		return rc;
	}
	return agenda_meeting(s, body_id, a->ctx->now, meeting_id, a->err);
}

/* One member cannot flood a meeting's agenda. */
static int agenda_room(struct store *s, const struct submit_args *a, int64_t meeting_id)
{
	sqlite3_stmt *q = store_stmt(s, "SELECT count(*) FROM motions WHERE"
		" meeting_id = ? AND proposer = ? AND status = 'submitted'");
	sqlite3_bind_int64(q, 1, meeting_id);
	sqlite3_bind_int64(q, 2, a->ctx->account_id);
	int64_t mine = 0;
	int rc = store_int64(q, &mine, NULL);
	if (rc)
		return rc;
	if (mine >= MOTIONS_PER_MEMBER)
		return px_fail(a->err, PX_E_CONFLICT, NULL,
			       "you already have %d motions waiting on this agenda",
			       MOTIONS_PER_MEMBER);
	return 0;
}

/* The motion's row (a->id) and its journal entry. */
static int insert_motion(struct store *s, struct submit_args *a, int64_t body_id,
			 int64_t meeting_id, int64_t committee, const json_t *canon)
{
	char *params = journal_canonical(canon);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO motions(body_id, meeting_id, parent_id,"
		" kind, title, text, params, proposer, submitted_at, position, status, ballot,"
		" committee_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT"
		" coalesce(max(position), 0) + 1 FROM motions WHERE meeting_id = ?2),"
		" 'submitted', CASE WHEN (SELECT kind FROM bodies WHERE id = ?1) = 'delegate'"
		" THEN 'open' WHEN EXISTS (SELECT 1 FROM json_each((SELECT secret_kinds"
		" FROM bodies WHERE id = ?1)) WHERE value = ?4) THEN 'secret' ELSE 'open' END,"
		" ?10) RETURNING id");
	sqlite3_bind_int64(st, 1, body_id);
	if (meeting_id)
		sqlite3_bind_int64(st, 2, meeting_id);
	if (committee)
		sqlite3_bind_int64(st, 10, committee);
	if (a->in->amends)
		sqlite3_bind_int64(st, 3, a->in->amends);
	sqlite3_bind_text(st, 4, a->kind->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->in->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, a->in->text ? a->in->text : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, params, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, a->ctx->account_id);
	sqlite3_bind_int64(st, 9, a->ctx->now);
	int inserted = 0;
	int rc = store_int64(st, &a->id, &inserted);
	free(params);
	if (rc)
		return rc;
	if (!inserted)
		return PX_E_DB;
	json_t *p = json_pack("{s:I, s:I, s:s, s:s, s:s, s:O}", "motion", (json_int_t)a->id,
			      "meeting", (json_int_t)meeting_id, "kind", a->kind->name,
			      "title", a->in->title, "text", a->in->text ? a->in->text : "",
			      "params", canon);
	if (a->in->amends)
		json_object_set_new(p, "amends", json_integer(a->in->amends));
	if (committee)
		json_object_set_new(p, "committee", json_integer(committee));
	if (meeting_id)
		rc = meeting_note(s, meeting_id, p, "meeting");
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
				    "motion.submit", p, NULL);
	json_decref(p);
	return rc;
}

static int submit_tx(struct store *s, void *arg)
{
	struct submit_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t body_id, meeting_id = 0, committee = a->in->committee;
	json_t *canon = NULL;
	int rc = gov_require_active_member(a->ctx, a->slug, &body_id, a->err);
	if (rc)
		return rc;
	/* an assembly that divided or united decides nothing more */
	if ((rc = community_body_decides(s, body_id, a->err)))
		return rc;
	/* a delegate assembly never legislates, and some kinds are a
	 * delegate assembly's alone */
	if ((rc = fed_kind_allowed(s, body_id, a->kind->name, a->err)))
		return rc;
	if (!(rc = check_params(s, a, body_id, &canon)) &&
	    !(rc = where_decided(s, a, body_id, &meeting_id, &committee)) &&
	    !(rc = meeting_id ? agenda_room(s, a, meeting_id) : 0) &&
	    !(rc = insert_motion(s, a, body_id, meeting_id, committee, canon)))
		rc = motion_json(s, a->id, a->ctx->account_id, &a->out);
	json_decref(canon);
	return rc;
}

int gov_motion_submit(const struct gov_ctx *ctx, const char *body_slug,
		      const struct motion_submit *in, json_t **out,
		      struct px_error *err)
{
	return gov_motion_submit_to(ctx, body_slug, in, 0, out, err);
}

int gov_motion_submit_to(const struct gov_ctx *ctx, const char *body_slug,
			 const struct motion_submit *in, int64_t meeting,
			 json_t **out, struct px_error *err)
{
	struct submit_args a = { ctx, body_slug, in, NULL, meeting, 0, NULL, err };
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!(a.kind = motion_kind_find(in->kind)))
		return px_fail(err, PX_E_BAD_INPUT, "kind", "no kind of motion '%s'",
			       in->kind ? in->kind : "");
	if ((rc = text_check_line(in->title ? in->title : "", 1, 200)))
		return px_fail(err, rc, "title", "a title has 1 to 200 characters on one line");
	int needs_text = !!(a.kind->flags & KIND_NEEDS_TEXT);
	if ((rc = text_check_block(in->text ? in->text : "", needs_text, TEXT_MAX)))
		return px_fail(err, rc, "text", needs_text
			       ? "this kind of motion needs a text (up to 100,000 characters)"
			       : "a text has up to 100,000 characters");
	if (in->params && !json_is_object(in->params))
		return px_fail(err, PX_E_BAD_TYPE, "params", "params must be an object");
	rc = store_tx(ctx->db, submit_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

/* ---- showing ---- */

static json_t *parse(const unsigned char *text)
{
	return text ? json_loads((const char *)text, 0, NULL) : NULL;
}

static json_t *open_votes(struct store *s, int64_t id, int64_t round)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, v.position FROM votes v"
		" JOIN accounts a ON a.id = v.account_id WHERE v.motion_id = ? AND"
		" v.round = ? ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, round);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s}",
			"member", (const char *)sqlite3_column_text(st, 0),
			"position", (const char *)sqlite3_column_text(st, 1)));
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static json_t *advisory(struct store *s, int64_t id)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, v.position, v.comment, v.at"
		" FROM advisory v JOIN accounts a ON a.id = v.account_id"
		" WHERE v.motion_id = ? ORDER BY v.at");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I}",
			"member", (const char *)sqlite3_column_text(st, 0),
			"position", (const char *)sqlite3_column_text(st, 1),
			"comment", (const char *)sqlite3_column_text(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3)));
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* SQL: whether account A voted in round R of motion M (SQL expressions),
 * by any ballot (open, secret, ranked open; ranked secret ballots list
 * their voters too). */
#define VOTED_BY(M, R, A) \
	"(EXISTS (SELECT 1 FROM votes WHERE motion_id = " M " AND round = " R \
	" AND account_id = " A ") OR EXISTS (SELECT 1 FROM voters WHERE motion_id = " M \
	" AND round = " R " AND account_id = " A ") OR EXISTS (SELECT 1 FROM" \
	" ranked_ballots WHERE motion_id = " M " AND round = " R " AND account_id = " A "))"

/*
 * Your own vote, for the viewer, in the current round: on an open ballot
 * the position (and whether it may still change: while the vote runs, and
 * not for a ranked ballot); on a secret one only that they voted, never
 * how. Nothing when they did not vote. 0, or an error code.
 */
static int my_vote(struct store *s, int64_t id, int64_t round, const char *status,
		   int open_ballot, int ranked, int64_t viewer, json_t *j)
{
	if (!viewer || !round)
		return 0;
	int running = !strcmp(status, "voting"), row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT position FROM votes"
		" WHERE motion_id = ? AND round = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_int64(st, 3, viewer);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (row) {
		if (open_ballot && !ranked)
			json_object_set_new(j, "my_vote", json_pack("{s:s, s:b}", "position",
				(const char *)sqlite3_column_text(st, 0), "may_change", running));
		sqlite3_reset(st);
		return 0;
	}
	st = store_stmt(s, "SELECT " VOTED_BY("?1", "?3", "?2"));
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, viewer);
	sqlite3_bind_int64(st, 3, round);
	int64_t voted = 0;
	if ((rc = store_int64(st, &voted, NULL)))
		return rc;
	if (voted)
		json_object_set_new(j, "my_vote", json_pack("{s:b, s:b}", "voted", 1,
							    "may_change", 0));
	return 0;
}

/*
 * Texts are kept: an adopted amendment replaces a motion's text, so once
 * one was adopted the motion also shows "original_text", as submitted (kept
 * in its row by the first adoption), and "amended_by", the adopted amendments in the
 * order decided, each {"id", "title", "text", "decided_at"}: the original,
 * each change and the final text can all be read. 0, or an error code.
 */
static int texts_kept(struct store *s, int64_t id, json_t *j)
{
	int rc = 0, row = 0;
	json_t *by = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT id, title, text, decided_at FROM motions"
		" WHERE parent_id = ? AND kind = 'amendment' AND status = 'adopted'"
		" ORDER BY decided_at, id");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(by, json_pack("{s:I, s:s, s:s, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"text", (const char *)sqlite3_column_text(st, 2),
			"decided_at", (json_int_t)sqlite3_column_int64(st, 3)));
	if (rc || !json_array_size(by)) {
		json_decref(by);
		return rc;
	}
	st = store_stmt(s, "SELECT original_text FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row))) {
		json_decref(by);
		return rc;
	}
	if (row) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			json_object_set_new(j, "original_text",
					    json_string((const char *)sqlite3_column_text(st, 0)));
		sqlite3_reset(st);
	}
	json_object_set_new(j, "amended_by", by);
	return 0;
}

int motion_json(struct store *s, int64_t id, int64_t viewer, json_t **out)
{
	int row = 0, rc = 0;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT m.id, b.slug, m.meeting_id, m.parent_id,"
		" m.kind, m.title, m.text, m.params, a.handle, m.submitted_at, m.position,"
		" m.status, m.ballot, m.vote_mode, m.round, m.rule, m.result, m.decided_at,"
		" r.mode, r.opens_at, r.closes_at, m.committee_id,"
		" (SELECT starts_at FROM meetings WHERE id = m.meeting_id), m.closed_reason"
		" FROM motions m JOIN bodies b ON"
		" b.id = m.body_id JOIN accounts a ON a.id = m.proposer LEFT JOIN"
		" remote_votes r ON r.motion_id = m.id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:I, s:I, s:s, s:s}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"body", (const char *)sqlite3_column_text(st, 1),
		"kind", (const char *)sqlite3_column_text(st, 4),
		"title", (const char *)sqlite3_column_text(st, 5),
		"text", (const char *)sqlite3_column_text(st, 6),
		"params", parse(sqlite3_column_text(st, 7)),
		"proposer", (const char *)sqlite3_column_text(st, 8),
		"submitted_at", (json_int_t)sqlite3_column_int64(st, 9),
		"position", (json_int_t)sqlite3_column_int64(st, 10),
		"status", (const char *)sqlite3_column_text(st, 11),
		"ballot", (const char *)sqlite3_column_text(st, 12));
	if (sqlite3_column_type(st, 2) != SQLITE_NULL)
		json_object_set_new(j, "meeting", json_integer(sqlite3_column_int64(st, 2)));
	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		json_object_set_new(j, "amends", json_integer(sqlite3_column_int64(st, 3)));
	if (sqlite3_column_type(st, 13) != SQLITE_NULL)
		json_object_set_new(j, "vote_mode", json_string((const char *)sqlite3_column_text(st, 13)));
	int64_t round = sqlite3_column_int64(st, 14);
	if (round)
		json_object_set_new(j, "round", json_integer(round));
	if (sqlite3_column_type(st, 15) != SQLITE_NULL)
		json_object_set_new(j, "rule", parse(sqlite3_column_text(st, 15)));
	if (sqlite3_column_type(st, 16) != SQLITE_NULL)
		json_object_set_new(j, "result", parse(sqlite3_column_text(st, 16)));
	if (sqlite3_column_type(st, 17) != SQLITE_NULL)
		json_object_set_new(j, "decided_at", json_integer(sqlite3_column_int64(st, 17)));
	if (sqlite3_column_type(st, 18) != SQLITE_NULL)
		json_object_set_new(j, "remote_vote", json_pack("{s:s, s:I, s:I}",
			"mode", (const char *)sqlite3_column_text(st, 18),
			"opens_at", (json_int_t)sqlite3_column_int64(st, 19),
			"closes_at", (json_int_t)sqlite3_column_int64(st, 20)));
	if (sqlite3_column_type(st, 21) != SQLITE_NULL)
		json_object_set_new(j, "committee", json_integer(sqlite3_column_int64(st, 21)));
	if (sqlite3_column_type(st, 23) != SQLITE_NULL) /* why it closed without a vote */
		json_object_set_new(j, "closed_reason",
				    json_string((const char *)sqlite3_column_text(st, 23)));
	if (sqlite3_column_type(st, 22) != SQLITE_NULL)
		json_object_set_new(j, "meeting_starts_at",
				    json_integer(sqlite3_column_int64(st, 22)));
	int open_ballot = !strcmp((const char *)sqlite3_column_text(st, 12), "open");
	const char *mode = (const char *)sqlite3_column_text(st, 13);
	int hands = mode && !strcmp(mode, "hands");
	int ranked = ranked_is(json_string_value(json_object_get(j, "kind")),
			       json_object_get(j, "params"));
	sqlite3_reset(st);

	if (round && open_ballot && !hands) {
		json_t *votes = ranked ? ranked_open_json(s, id, round)
				       : open_votes(s, id, round);
		if (!votes)
			rc = PX_E_DB;
		json_object_set_new(j, "votes", votes);
		/* and those of delegates from other nodes (gov/nodes) */
		json_t *afar = NULL;
		if (!rc && !ranked && !(rc = nodes_motion_votes(s, id, round, &afar)) &&
		    json_array_size(afar))
			json_object_set_new(j, "votes_from_other_nodes", afar);
		else
			json_decref(afar);
	}
	if (ranked)
		json_object_set_new(j, "ranked", json_true());
	json_t *amendments = json_array();
	st = store_stmt(s, "SELECT id FROM motions WHERE parent_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(amendments, json_integer(sqlite3_column_int64(st, 0)));
	json_object_set_new(j, "amendments", amendments);
	/* an enterprise's decision its local assembly declared void under a
	 * law (src/gov/economy/void.c): the record links to that decision */
	if (!rc) {
		int64_t by = 0;
		int found = 0;
		st = store_stmt(s, "SELECT voided_by FROM enterprise_voids WHERE motion_id = ?");
		sqlite3_bind_int64(st, 1, id);
		rc = store_int64(st, &by, &found);
		if (!rc && found)
			json_object_set_new(j, "voided_by", json_integer(by));
	}
	json_t *adv = rc ? NULL : advisory(s, id);
	if (!rc && !adv)
		rc = PX_E_DB;
	json_object_set_new(j, "advisory", adv);
	if (!rc)
		rc = my_vote(s, id, round, json_string_value(json_object_get(j, "status")),
			     open_ballot, ranked, viewer, j);
	if (!rc)
		rc = texts_kept(s, id, j);
	if (rc) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return 0;
}

int gov_motion_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		   struct px_error *err)
{
	int rc = motion_json(ctx->db, id, ctx->account_id, out);
	if (rc == PX_E_NOT_FOUND)
		return px_fail(err, rc, NULL, "no motion %lld", (long long)id);
	if (!rc) /* its result in the reader's words */
		minutes_result_words(json_object_get(*out, "result"), ctx->lang);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int gov_motion_list(const struct gov_ctx *ctx, const char *body_slug,
		    const char *status, json_t **out, struct px_error *err)
{
	*out = NULL;
	static const char *const statuses[] = { "submitted", "voting", "adopted",
						"rejected", "no_quorum", "withdrawn", NULL };
	if (status) {
		int ok = 0;
		for (const char *const *st = statuses; *st; st++)
			ok |= !strcmp(*st, status);
		if (!ok)
			return px_fail(err, PX_E_BAD_INPUT, "status", "no status '%s'", status);
	}
	int64_t body_id;
	int rc = body_id_by_slug(ctx->db, body_slug, &body_id, err);
	if (rc)
		return rc;
	json_t *list = json_array();
	/* "voted": for a signed-in caller, whether they voted in the current
	 * round (the home page lists only the votes they have not cast) */
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT m.id, m.kind, m.title, m.status, m.meeting_id,"
		" m.submitted_at, m.decided_at, a.handle, " VOTED_BY("m.id", "m.round", "?3")
		" FROM motions m JOIN accounts a"
		" ON a.id = m.proposer WHERE m.body_id = ?1 AND (?2 IS NULL OR m.status = ?2)"
		" ORDER BY m.id DESC");
	sqlite3_bind_int64(st, 1, body_id);
	if (status)
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ctx->account_id);
	while (store_next(st, &rc)) {
		json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"kind", (const char *)sqlite3_column_text(st, 1),
			"title", (const char *)sqlite3_column_text(st, 2),
			"status", (const char *)sqlite3_column_text(st, 3),
			"submitted_at", (json_int_t)sqlite3_column_int64(st, 5),
			"proposer", (const char *)sqlite3_column_text(st, 7));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			json_object_set_new(m, "meeting", json_integer(sqlite3_column_int64(st, 4)));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(m, "decided_at", json_integer(sqlite3_column_int64(st, 6)));
		if (ctx->account_id)
			json_object_set_new(m, "voted", json_boolean(sqlite3_column_int(st, 8)));
		json_array_append_new(list, m);
	}
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

/* ---- withdrawing, reordering, advice ---- */

struct one_args {
	const struct gov_ctx *ctx;
	int64_t id;
	const json_t *ids;
	const char *position, *comment;
	json_t *out;
	struct px_error *err;
};

static int motion_body(struct store *s, int64_t id, int64_t *body_id, char slug[80],
		       char status[16], int64_t *proposer, int64_t *meeting_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT m.body_id, b.slug, m.status, m.proposer,"
		" coalesce(m.meeting_id, 0) FROM motions m JOIN bodies b ON b.id = m.body_id"
		" WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	*body_id = sqlite3_column_int64(st, 0);
	snprintf(slug, 80, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 2));
	*proposer = sqlite3_column_int64(st, 3);
	*meeting_id = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);
	return 0;
}

/* Each message whole, as the reader's language writes it (the server
 * translates the message and puts back its values as they are). */
int motion_status_fail(struct px_error *err, const char *status)
{
	if (!strcmp(status, "submitted"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion has not been put to the vote");
	if (!strcmp(status, "voting"))
		return px_fail(err, PX_E_CONFLICT, NULL, "voting on the motion is under way");
	if (!strcmp(status, "adopted"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion was adopted");
	if (!strcmp(status, "rejected"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion was rejected");
	if (!strcmp(status, "no_quorum"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion failed for want of a quorum");
	if (!strcmp(status, "withdrawn"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion was withdrawn");
	if (!strcmp(status, "void"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion is void: its effect could"
			       " not apply");
	return px_fail(err, PX_E_CONFLICT, NULL, "the motion is no longer open");
}

static int withdraw_tx(struct store *s, void *arg)
{
	struct one_args *a = arg;
	int64_t body_id, proposer, meeting_id;
	char slug[80], status[16];
	int rc = motion_body(s, a->id, &body_id, slug, status, &proposer, &meeting_id);
	if (rc == PX_E_NOT_FOUND)
		return px_fail(a->err, PX_E_NOT_FOUND, NULL, "no motion %lld", (long long)a->id);
	if (rc || (rc = gov_require_active_member(a->ctx, slug, &body_id, a->err)))
		return rc;
	if (proposer != a->ctx->account_id)
		return px_fail(a->err, PX_E_FORBIDDEN, NULL, "only the proposer may withdraw it");
	if (strcmp(status, "submitted"))
		return motion_status_fail(a->err, status);
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = 'withdrawn',"
		" decided_at = ?2 WHERE id = ?1 OR (parent_id = ?1 AND status = 'submitted')");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, a->ctx->now);
	if ((rc = store_run(st)))
		return rc;
	json_t *p = json_pack("{s:I}", "motion", (json_int_t)a->id);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), slug, "motion.withdraw", p, NULL);
	json_decref(p);
	return rc;
}

int gov_motion_withdraw(const struct gov_ctx *ctx, int64_t id,
			struct px_error *err)
{
	struct one_args a = { .ctx = ctx, .id = id, .err = err };
	int rc = gov_require_account(ctx, err);
	if (!rc)
		rc = store_tx(ctx->db, withdraw_tx, &a);
	return rc && err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
}

static int reorder_tx(struct store *s, void *arg)
{
	struct one_args *a = arg;
	int64_t body_id;
	enum meeting_state state;
	char slug[GOV_SLUG_SIZE];
	sqlite3_stmt *st;
	int rc = meeting_load(s, a->id, a->ctx->now, &body_id, &state, slug, a->err);
	if (rc)
		return rc;
	int64_t ignored;
	if ((rc = gov_require_active_member(a->ctx, slug, &ignored, a->err)))
		return rc;
	if (state == MEETING_CLOSED || state == MEETING_LAPSED)
		return meeting_state_fail(a->err, state);
	if ((rc = office_may_act(s, body_id, OFFICE_FACILITATOR, a->ctx->account_id,
				 a->id, a->err)))
		return rc;
	st = store_stmt(s, "SELECT count(*) FROM motions WHERE meeting_id = ?"
			   " AND parent_id IS NULL AND status = 'submitted'");
	sqlite3_bind_int64(st, 1, a->id);
	int64_t npending = 0;
	if ((rc = store_int64(st, &npending, NULL)))
		return rc;
	size_t pending = (size_t)npending;
	if (json_array_size(a->ids) != pending)
		return px_fail(a->err, PX_E_BAD_INPUT, "order",
			       "order lists each of the %zu undecided motions once", pending);
	size_t i, k;
	json_t *v, *w;
	json_array_foreach(a->ids, i, v) {
		int ok = json_is_integer(v);
		for (k = 0; ok && k < i; k++) {
			w = json_array_get(a->ids, k);
			ok = json_integer_value(w) != json_integer_value(v);
		}
		if (!ok)
			return px_fail(a->err, PX_E_BAD_INPUT, "order",
				       "order lists each undecided motion of the meeting once");
	}
	/* the undecided motions go after those already decided, in the
	 * order given */
	st = store_stmt(s, "SELECT coalesce(max(position), 0) FROM motions WHERE meeting_id = ?");
	sqlite3_bind_int64(st, 1, a->id);
	int64_t base = 0;
	if ((rc = store_int64(st, &base, NULL)))
		return rc;
	json_array_foreach(a->ids, i, v) {
		st = store_stmt(s, "UPDATE motions SET position = ? WHERE id = ? AND"
			" meeting_id = ? AND parent_id IS NULL AND status = 'submitted'");
		sqlite3_bind_int64(st, 1, base + (int64_t)i + 1);
		sqlite3_bind_int64(st, 2, json_integer_value(v));
		sqlite3_bind_int64(st, 3, a->id);
		if ((rc = store_run(st)))
			return rc;
		if (sqlite3_changes(store_db(s)) != 1)
			return px_fail(a->err, PX_E_BAD_INPUT, "order",
				       "motion %lld is not an undecided motion of this meeting",
				       (long long)json_integer_value(v));
	}
	json_t *p = json_pack("{s:I, s:O}", "meeting", (json_int_t)a->id, "order", a->ids);
	rc = meeting_note(s, a->id, p, "meeting");
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), slug, "agenda.reorder",
				    p, NULL);
	json_decref(p);
	return rc;
}

int gov_agenda_reorder(const struct gov_ctx *ctx, int64_t meeting_id,
		       const json_t *ids, json_t **out, struct px_error *err)
{
	struct one_args a = { .ctx = ctx, .id = meeting_id, .ids = ids, .err = err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (!rc && !json_is_array(ids))
		rc = px_fail(err, PX_E_BAD_TYPE, "order", "order is a list of motion ids");
	if (!rc)
		rc = store_tx(ctx->db, reorder_tx, &a);
	if (rc)
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	return gov_meeting_get(ctx, meeting_id, out, err);
}

static int advise_tx(struct store *s, void *arg)
{
	struct one_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t body_id, proposer, meeting_id;
	char slug[80], status[16];
	int rc = motion_body(s, a->id, &body_id, slug, status, &proposer, &meeting_id);
	if (rc == PX_E_NOT_FOUND)
		return px_fail(a->err, PX_E_NOT_FOUND, NULL, "no motion %lld", (long long)a->id);
	if (rc || (rc = gov_require_active_member(a->ctx, slug, &body_id, a->err)))
		return rc;
	if (strcmp(status, "submitted") && strcmp(status, "voting"))
		return motion_status_fail(a->err, status);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO advisory(motion_id, account_id,"
		" position, comment, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
		" position = excluded.position, comment = excluded.comment, at = excluded.at");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, a->ctx->account_id);
	sqlite3_bind_text(st, 3, a->position, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->comment, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, a->ctx->now);
	if ((rc = store_run(st)))
		return rc;
	json_t *p = json_pack("{s:I, s:s, s:s}", "motion", (json_int_t)a->id,
			      "position", a->position, "comment", a->comment);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), slug, "motion.advise", p, NULL);
	json_decref(p);
	if (!rc)
		rc = motion_json(s, a->id, a->ctx->account_id, &a->out);
	return rc;
}

/* "yes, no, ... or objection", from the one table of positions. */
static const char *positions_in_words(char *words, size_t size)
{
	size_t used = 0;
	for (size_t i = 0; i < VOTE_NPOS; i++)
		used += (size_t)snprintf(words + used, size - used, "%s%s",
					 !i ? "" : i + 1 < VOTE_NPOS ? ", " : " or ",
					 vote_positions[i].name);
	return words;
}

int gov_motion_advise(const struct gov_ctx *ctx, int64_t id,
		      const char *position, const char *comment, json_t **out,
		      struct px_error *err)
{
	struct one_args a = { .ctx = ctx, .id = id, .position = position,
			      .comment = comment ? comment : "", .err = err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	char words[160];
	if (vote_position_index(position) < 0)
		return px_fail(err, PX_E_BAD_INPUT, "position", "position is %s",
			       positions_in_words(words, sizeof(words)));
	if ((rc = text_check_block(a.comment, 0, 5000)))
		return px_fail(err, rc, "comment", "a comment has up to 5,000 characters");
	rc = store_tx(ctx->db, advise_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}
