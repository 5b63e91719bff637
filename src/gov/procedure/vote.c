/*
 * vote.c: opening a vote, casting, recording a show of hands, and what
 * vote_close.c shares with them (vote.h).
 *
 * The rule in force when the vote opens is copied into the motion and is
 * what decides it, whatever changes meanwhile. Closing evaluates it on the
 * counts (members: as when the vote opened; present: checked in at the
 * meeting now); an adopted motion's effect runs in the same transaction.
 * A hybrid rule that finds no consensus starts the next round: the counts
 * of the earlier round stay recorded, and everyone votes again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/rule.h"
#include "core/strbuf.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "gov/procedure/vote.h"
#include "banned.h"

/* The positions, once: their names, their bits in the rule module and
 * their tally fields. Both lists below are views of this one. */
#define VOTE_POSITIONS(X) \
	X("yes", RULE_POS_YES, yes) \
	X("no", RULE_POS_NO, no) \
	X("abstain", RULE_POS_ABSTAIN, abstain) \
	X("block", RULE_POS_BLOCK, blocks) \
	X("stand_aside", RULE_POS_STAND_ASIDE, stand_asides) \
	X("objection", RULE_POS_OBJECTION, objections)
#define POSITION_ROW(name, bit, field) { name, bit, offsetof(struct rule_tally, field) },
#define POSITION_NAME(name, bit, field) name,

const struct vote_position vote_positions[VOTE_NPOS] = { VOTE_POSITIONS(POSITION_ROW) };
const char *const vote_position_names[VOTE_NPOS + 1] = { VOTE_POSITIONS(POSITION_NAME) NULL };

int vote_position_index(const char *name)
{
	for (size_t i = 0; name && i < VOTE_NPOS; i++)
		if (!strcmp(vote_positions[i].name, name))
			return (int)i;
	return -1;
}

void vote_row_release(struct motion_row *m)
{
	free(m->title);
	free(m->text);
	free(m->params);
	free(m->rule);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

int vote_row_load(struct store *s, int64_t id, struct motion_row *m,
		    struct px_error *err)
{
	memset(m, 0, sizeof(*m));
	sqlite3_stmt *st = store_stmt(s, "SELECT m.id, m.body_id, coalesce(m.meeting_id, 0),"
		" coalesce(m.parent_id, 0), m.proposer, m.round, coalesce(m.members_at_open, 0),"
		" b.slug, m.kind, m.status, m.ballot, coalesce(m.vote_mode, ''), m.title, m.text,"
		" m.params, m.rule, r.motion_id IS NOT NULL, coalesce(r.opens_at, 0),"
		" coalesce(r.closes_at, 0), coalesce(m.committee_id, 0) FROM motions m"
		" JOIN bodies b ON b.id = m.body_id"
		" LEFT JOIN remote_votes r ON r.motion_id = m.id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no motion %lld", (long long)id);
	m->id = sqlite3_column_int64(st, 0);
	m->body_id = sqlite3_column_int64(st, 1);
	m->meeting_id = sqlite3_column_int64(st, 2);
	m->parent_id = sqlite3_column_int64(st, 3);
	m->proposer = sqlite3_column_int64(st, 4);
	m->round = sqlite3_column_int64(st, 5);
	m->members = sqlite3_column_int64(st, 6);
	snprintf(m->slug, sizeof(m->slug), "%s", (const char *)sqlite3_column_text(st, 7));
	snprintf(m->kind, sizeof(m->kind), "%s", (const char *)sqlite3_column_text(st, 8));
	snprintf(m->status, sizeof(m->status), "%s", (const char *)sqlite3_column_text(st, 9));
	snprintf(m->ballot, sizeof(m->ballot), "%s", (const char *)sqlite3_column_text(st, 10));
	snprintf(m->mode, sizeof(m->mode), "%s", (const char *)sqlite3_column_text(st, 11));
	m->title = dup_col(st, 12);
	m->text = dup_col(st, 13);
	m->params = dup_col(st, 14);
	m->rule = dup_col(st, 15);
	m->has_remote = sqlite3_column_int(st, 16);
	m->opens_at = sqlite3_column_int64(st, 17);
	m->closes_at = sqlite3_column_int64(st, 18);
	m->committee = sqlite3_column_int64(st, 19);
	sqlite3_reset(st);
	m->ranked = ranked_is_text(m->kind, m->params);
	return 0;
}

int vote_load_rule(const struct motion_row *m, struct decision_rule *r)
{
	json_t *j = m->rule ? json_loads(m->rule, 0, NULL) : NULL;
	int rc = j ? rule_from_json(j, r, "rule", NULL) : PX_E_INTERNAL;
	json_decref(j);
	return rc ? PX_E_INTERNAL : 0;
}

/* A secret ballot starts with a zero count for every position the rule
 * offers in this round, so that the first ballot for a position does not
 * show by making its row (ballot_counts has no rowid either). */
int vote_prepare_counts(struct store *s, int64_t motion, int64_t round,
			  const struct decision_rule *rule)
{
	unsigned offered = rule_positions(rule, (int32_t)round);
	for (size_t i = 0; i < VOTE_NPOS; i++) {
		if (!(offered & vote_positions[i].bit))
			continue;
		sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO ballot_counts(motion_id,"
						 " round, position, n) VALUES (?, ?, ?, 0)");
		sqlite3_bind_int64(st, 1, motion);
		sqlite3_bind_int64(st, 2, round);
		sqlite3_bind_text(st, 3, vote_positions[i].name, -1, SQLITE_STATIC);
		int rc = store_run(st);
		if (rc)
			return rc;
	}
	return 0;
}

/* Undecided amendments to motion id (they are decided first). */
static int pending_amendments(struct store *s, int64_t id, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM motions WHERE parent_id = ?"
					 " AND status IN ('submitted', 'voting')");
	sqlite3_bind_int64(st, 1, id);
	return store_int64(st, n, NULL);
}

static int active_members(struct store *s, int64_t body_id, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM memberships"
					 " WHERE body_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body_id);
	return store_int64(st, n, NULL);
}

/* The rule set of a body: a body always has one, so a missing row or one
 * that does not parse is an internal error. */
static int body_rules(struct store *s, int64_t body_id, struct rule_set *set)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT rules FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	const char *text = row ? (const char *)sqlite3_column_text(st, 0) : NULL;
	json_t *rules = text ? json_loads(text, 0, NULL) : NULL;
	if (row)
		sqlite3_reset(st);
	if (!rules || rule_set_from_json(rules, set, "rules", NULL))
		rc = PX_E_INTERNAL;
	json_decref(rules);
	return rc;
}

/*
 * Whether the motion itself may have its vote opened now, whoever asks:
 * it is still submitted, the assembly did not decide to hold its vote
 * online or by mail, its amendments are decided, and (an amendment) the
 * motion it amends is still open to amendment. 0, or PX_E_CONFLICT with
 * the reason in err. The meeting page shows "Open the vote" only when
 * this allows it (gov_meeting_get's "can_open_vote").
 */
static int open_blocked(struct store *s, const struct motion_row *m, struct px_error *err,
			const char **code, int64_t *n)
{
	/* an assembly that divided or united decides nothing more */
	int ended = community_body_decides(s, m->body_id, err);
	if (ended)
		return ended;
	if (strcmp(m->status, "submitted"))
		return motion_status_fail(err, m->status);
	if (m->has_remote) {
		*code = "remote";
		return px_fail(err, PX_E_CONFLICT, NULL, "the assembly decided to hold this"
			       " vote online or by mail, in the window it set");
	}
	sqlite3_stmt *st;
	int64_t pending = 0;
	int rc = pending_amendments(s, m->id, &pending);
	if (rc)
		return rc;
	if (pending) {
		*code = "amendments";
		*n = pending;
	}
	if (pending == 1)
		return px_fail(err, PX_E_CONFLICT, NULL, "decide its amendment first");
	if (pending)
		return px_fail(err, PX_E_CONFLICT, NULL,
			       "decide its %lld amendments first", (long long)pending);
	if (m->parent_id) {
		/* the amended motion's row may be gone (an operator's edit):
		 * then it is no longer open to amendment either */
		int row = 0, ok = 0;
		st = store_stmt(s, "SELECT status FROM motions WHERE id = ?");
		sqlite3_bind_int64(st, 1, m->parent_id);
		if ((rc = store_step(st, &row)))
			return rc;
		if (row) {
			const char *status = (const char *)sqlite3_column_text(st, 0);
			ok = status && !strcmp(status, "submitted");
			sqlite3_reset(st);
		}
		if (!ok) {
			*code = "amended_closed";
			return px_fail(err, PX_E_CONFLICT, NULL,
				       "the amended motion is no longer open to amendment");
		}
	}
	*code = NULL;
	*n = 0;
	return 0;
}

int vote_open_blocked(struct store *s, const struct motion_row *m, struct px_error *err)
{
	const char *code = NULL;
	int64_t n = 0;
	return open_blocked(s, m, err, &code, &n);
}

int vote_open_possible(struct store *s, int64_t motion_id, const char *lang, int *yes,
		       char *why, size_t why_size, const char **code, int64_t *n)
{
	struct motion_row m;
	struct px_error err = { 0 };
	*yes = 0;
	*code = NULL;
	*n = 0;
	if (why_size)
		why[0] = '\0';
	int rc = vote_row_load(s, motion_id, &m, &err);
	if (rc)
		return rc;
	rc = open_blocked(s, &m, &err, code, n);
	vote_row_release(&m);
	if (rc == PX_E_CONFLICT) {
		char buf[512];
		snprintf(why, why_size, "%s", px_error_message_in(&err, lang ? lang : I18N_DEFAULT,
								   buf, sizeof(buf)));
		return 0;
	}
	*code = NULL;
	*n = 0;
	if (!rc)
		*yes = 1;
	return rc;
}

/* The meeting of the motion must be open and the caller an active member. */
int vote_at_open_meeting(struct store *s, const struct gov_ctx *ctx,
			   const struct motion_row *m, struct px_error *err)
{
	int64_t body_id;
	enum meeting_state state;
	int rc = gov_require_active_member(ctx, m->slug, &body_id, err);
	if (rc)
		return rc;
	if (!m->meeting_id)
		return px_fail(err, PX_E_CONFLICT, NULL, "the motion is on no meeting's agenda");
	if ((rc = meeting_load(s, m->meeting_id, ctx->now, &body_id, &state, NULL, err)))
		return rc;
	if (state != MEETING_OPEN)
		return state == MEETING_SCHEDULED
		       ? px_fail(err, PX_E_NOT_OPEN, NULL, "decisions are taken only at a"
				 " meeting in session: this one has not begun")
		       : state == MEETING_CLOSED
		       ? px_fail(err, PX_E_NOT_OPEN, NULL, "decisions are taken only at a"
				 " meeting in session: this one is closed")
		       : px_fail(err, PX_E_NOT_OPEN, NULL, "decisions are taken only at a"
				 " meeting in session: this one has lapsed");
	return 0;
}

static int open_tx(struct store *s, void *arg)
{
	struct vote_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	struct motion_row m;
	struct rule_set set;
	json_t *rule = NULL;
	char *rule_text = NULL;
	int delegate = 0;
	int rc = vote_row_load(s, a->motion_id, &m, a->err);
	if (rc)
		return rc;
	if ((m.committee != 0) != (strcmp(a->mode, "committee") == 0)) {
		rc = px_fail(a->err, PX_E_BAD_INPUT, "mode", m.committee
			     ? "a committee's motion is voted with mode \"committee\""
			     : "mode \"committee\" is for a committee's motions");
		goto out;
	}
	if (m.committee) {
		int64_t ignored;
		if ((rc = gov_require_active_member(a->ctx, m.slug, &ignored, a->err)) ||
		    (rc = committee_check(s, m.body_id, m.committee, a->ctx->account_id,
					  NULL, a->ctx->now, a->err)))
			goto out;
	} else if ((rc = vote_at_open_meeting(s, a->ctx, &m, a->err)) ||
		   (rc = office_may_chair(s, m.body_id, a->ctx->account_id, m.meeting_id,
					  a->err))) {
		goto out;
	}
	if ((rc = vote_open_blocked(s, &m, a->err)))
		goto out;
	/* delegates' votes are weighed and may be withdrawn by a recall, so
	 * each is a named row: no show of hands in a delegate assembly */
	if ((rc = fed_is_delegate(s, m.body_id, &delegate)))
		goto out;
	if (!strcmp(a->mode, "hands") && delegate) {
		rc = px_fail(a->err, PX_E_BAD_INPUT, "mode",
			     "a delegate assembly votes by devices: each delegate's"
			     " vote is named and weighed");
		goto out;
	}
	/* each ranking is a ballot of its own: there is no show of hands */
	if (m.ranked && strcmp(a->mode, "devices")) {
		rc = px_fail(a->err, PX_E_BAD_INPUT, "mode",
			     "an election of several delegates is by ranked ballots,"
			     " cast on devices: open it with mode \"devices\"");
		goto out;
	}
	sqlite3_stmt *st;
	if ((rc = body_rules(s, m.body_id, &set)))
		goto out;
	rule = rule_to_json(motion_rule_for(&set, m.kind));
	rule_text = json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS);
	int64_t members = 0;
	if ((rc = m.committee ? committee_size(s, m.committee, &members)
			      : active_members(s, m.body_id, &members)))
		goto out;
	st = store_stmt(s, "UPDATE motions SET status = 'voting', vote_mode = ?, round = 1,"
		" rule = ?, members_at_open = ?, voting_opened_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, a->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rule_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, members);
	sqlite3_bind_int64(st, 4, a->ctx->now);
	sqlite3_bind_int64(st, 5, m.id);
	if ((rc = store_run(st)))
		goto out;
	if (!strcmp(m.ballot, "secret") && !m.ranked &&
	    (rc = vote_prepare_counts(s, m.id, 1, motion_rule_for(&set, m.kind))))
		goto out;
	json_t *p = json_pack("{s:I, s:s, s:s, s:O, s:I}", "motion", (json_int_t)m.id,
			      "mode", a->mode, "ballot", m.ballot, "rule", rule,
			      "members", (json_int_t)members);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug, "vote.open", p, NULL);
	json_decref(p);
	if (!rc)
		rc = motion_json(s, m.id, a->ctx->account_id, &a->out);
out:
	json_decref(rule);
	free(rule_text);
	vote_row_release(&m);
	return rc;
}

int vote_run(struct vote_args *a, int (*fn)(struct store *, void *))
{
	int rc = gov_require_account(a->ctx, a->err);
	if (!rc)
		rc = store_tx(a->ctx->db, fn, a);
	if (rc) {
		json_decref(a->out);
		a->out = NULL;
		if (a->err && !a->err->code)
			px_fail(a->err, rc, NULL, NULL);
	}
	return rc;
}

int gov_vote_open(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *mode, json_t **out, struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .mode = mode, .err = err };
	*out = NULL;
	if (!mode || (strcmp(mode, "devices") && strcmp(mode, "hands") &&
		      strcmp(mode, "committee")))
		return px_fail(err, PX_E_BAD_INPUT, "mode",
			       "mode is \"devices\" (each member votes), \"hands\""
			       " (the clerk records a show of hands) or \"committee\"");
	int rc = vote_run(&a, open_tx);
	*out = a.out;
	return rc;
}

/* An online or mail vote the assembly authorised: open within its window.
 * It starts on the first ballot, with the rule in force then. */

static int open_remote(struct store *s, const struct gov_ctx *ctx,
		       struct motion_row *m, struct px_error *err)
{
	if (ctx->now < m->opens_at || ctx->now >= m->closes_at)
		return px_fail(err, PX_E_NOT_AUTHORISED, NULL,
			       "the online vote is open only in the window the assembly set");
	return vote_start_remote(s, ctx, m, err);
}

/* Start the online vote (if not started) with the rule in force now. */
int vote_start_remote(struct store *s, const struct gov_ctx *ctx,
			struct motion_row *m, struct px_error *err)
{
	struct rule_set set;
	int rc = 0;
	if (!strcmp(m->status, "voting"))
		return 0;
	if (strcmp(m->status, "submitted"))
		return px_fail(err, PX_E_NOT_VOTING, NULL, NULL);
	int64_t pending = 0;
	if ((rc = pending_amendments(s, m->id, &pending)))
		return rc;
	if (pending)
		return px_fail(err, PX_E_CONFLICT, NULL,
			       "its amendments are decided first, at a meeting");
	if ((rc = body_rules(s, m->body_id, &set)))
		return rc;
	if (!strcmp(m->ballot, "secret") && !m->ranked &&
	    (rc = vote_prepare_counts(s, m->id, 1, motion_rule_for(&set, m->kind))))
		return rc;
	json_t *rule = rule_to_json(motion_rule_for(&set, m->kind));
	free(m->rule);
	m->rule = json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rule);
	if ((rc = active_members(s, m->body_id, &m->members)))
		return rc;
	m->round = 1;
	snprintf(m->status, sizeof(m->status), "voting");
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = 'voting', vote_mode = 'online',"
		" round = 1, rule = ?, members_at_open = ?, voting_opened_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, m->rule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->members);
	sqlite3_bind_int64(st, 3, ctx->now);
	sqlite3_bind_int64(st, 4, m->id);
	rc = store_run(st);
	snprintf(m->mode, sizeof(m->mode), "online");
	return rc;
}

/* A ranked ballot (the checks of who may vote are done). */
static int cast_ranked(struct store *s, struct vote_args *a, const struct motion_row *m)
{
	char *canon = NULL;
	json_t *params = json_loads(m->params, 0, NULL);
	int secret = !strcmp(m->ballot, "secret");
	int rc = params ? ranked_check(params, a->ranking, &canon, a->err) : PX_E_INTERNAL;
	if (!rc)
		rc = ranked_store(s, m->id, m->round, a->ctx->account_id, secret, canon, a->err);
	if (rc)
		goto out;
	/* a secret ballot's journal entry says who voted, never how */
	json_t *p = json_pack("{s:I, s:I, s:s}", "motion", (json_int_t)m->id, "round",
			      (json_int_t)m->round, "voter", a->ctx->handle);
	if (!secret)
		json_object_set_new(p, "ranking", json_loads(canon, 0, NULL));
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m->slug, "vote.cast", p, NULL);
	json_decref(p);
	if (!rc)
		a->out = json_pack("{s:I, s:I, s:b}", "motion", (json_int_t)m->id,
				   "round", (json_int_t)m->round, "recorded", 1);
out:
	free(canon);
	json_decref(params);
	return rc;
}

/* The position account holds in round of an open ballot, into was ("" when
 * they have not voted). 0, or an error code. */
static int open_vote_of(struct store *s, int64_t motion, int64_t round,
			int64_t account, char was[16])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT position FROM votes"
		" WHERE motion_id = ? AND round = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_int64(st, 3, account);
	int row;
	was[0] = '\0';
	int rc = store_step(st, &row);
	if (!rc && row) {
		snprintf(was, 16, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	return rc;
}

static int cast_tx(struct store *s, void *arg)
{
	struct vote_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	struct motion_row m;
	struct decision_rule rule;
	int64_t body_id;
	int rc = vote_row_load(s, a->motion_id, &m, a->err);
	if (rc)
		return rc;
	if ((rc = gov_require_active_member(a->ctx, m.slug, &body_id, a->err)))
		goto out;
	if (m.has_remote) {
		if ((rc = open_remote(s, a->ctx, &m, a->err)))
			goto out;
	} else if (m.committee) {
		if ((rc = committee_check(s, m.body_id, m.committee, a->ctx->account_id,
					  NULL, a->ctx->now, a->err)))
			goto out;
		if (strcmp(m.status, "voting")) {
			rc = px_fail(a->err, PX_E_NOT_VOTING, NULL, NULL);
			goto out;
		}
	} else {
		if ((rc = vote_at_open_meeting(s, a->ctx, &m, a->err)))
			goto out;
		if (strcmp(m.status, "voting")) {
			rc = px_fail(a->err, PX_E_NOT_VOTING, NULL, NULL);
			goto out;
		}
		if (strcmp(m.mode, "devices")) {
			rc = px_fail(a->err, PX_E_CONFLICT, NULL,
				     "this vote is by a show of hands, counted by the clerk");
			goto out;
		}
		int attended = 0;
		if ((rc = meeting_attended(s, m.meeting_id, a->ctx->account_id, &attended)))
			goto out;
		if (!attended) {
			rc = px_fail(a->err, PX_E_NOT_CHECKED_IN, NULL,
				     "only members checked in at the meeting vote;"
				     " advisory input is open to all members");
			goto out;
		}
	}
	if (m.ranked != (a->ranking != NULL)) {
		rc = px_fail(a->err, PX_E_BAD_INPUT, m.ranked ? "position" : "ranking", m.ranked
			     ? "this election is by ranked ballot: send a ranking of the"
			       " candidates, not a position"
			     : "this motion is decided by positions: a ranking is for an"
			       " election of several delegates");
		goto out;
	}
	if (m.ranked) {
		rc = cast_ranked(s, a, &m);
		goto out;
	}
	if ((rc = vote_load_rule(&m, &rule)))
		goto out;
	int pi = vote_position_index(a->position);
	unsigned offered = rule_positions(&rule, (int32_t)m.round);
	if (pi < 0 || !(offered & vote_positions[pi].bit)) {
		rc = px_fail(a->err, PX_E_RULE_POSITION, "position",
			     "that position is not offered by this vote's rule");
		goto out;
	}
	int secret = !strcmp(m.ballot, "secret");
	/* On an open ballot a vote may change until the vote closes: the row
	 * holds the latest (what the count reads) and each change is a new
	 * journal entry. A secret ballot is final: nothing links the voter to
	 * a position that could be taken back. */
	char was[16] = "";
	if (!secret && (rc = open_vote_of(s, m.id, m.round, a->ctx->account_id, was)))
		goto out;
	if (*was && !strcmp(was, vote_positions[pi].name)) {
		rc = px_fail(a->err, PX_E_ALREADY_VOTED, "position",
			     "your vote is already %s", was);
		goto out;
	}
	sqlite3_stmt *st = store_stmt(s, secret
		? "INSERT INTO voters(motion_id, round, account_id) VALUES (?1, ?2, ?3)"
		  " ON CONFLICT DO NOTHING"
		: "INSERT INTO votes(motion_id, round, account_id, position)"
		  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (motion_id, round, account_id)"
		  " DO UPDATE SET position = excluded.position");
	sqlite3_bind_int64(st, 1, m.id);
	sqlite3_bind_int64(st, 2, m.round);
	sqlite3_bind_int64(st, 3, a->ctx->account_id);
	if (!secret)
		sqlite3_bind_text(st, 4, vote_positions[pi].name, -1, SQLITE_STATIC);
	if ((rc = store_run(st)))
		goto out;
	if (!sqlite3_changes(store_db(s))) {
		rc = px_fail(a->err, PX_E_ALREADY_VOTED, "position",
			     "you have voted, and a secret ballot is final: your vote"
			     " is counted and can be neither changed nor shown");
		goto out;
	}
	if (secret) {
		st = store_stmt(s, "INSERT INTO ballot_counts(motion_id, round, position, n)"
			" VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1");
		sqlite3_bind_int64(st, 1, m.id);
		sqlite3_bind_int64(st, 2, m.round);
		sqlite3_bind_text(st, 3, vote_positions[pi].name, -1, SQLITE_STATIC);
		if ((rc = store_run(st)))
			goto out;
	}
	/* a secret ballot's journal entry says who voted, never how; a change
	 * of an open vote says what it was */
	json_t *p = secret
		? json_pack("{s:I, s:I, s:s}", "motion", (json_int_t)m.id, "round",
			    (json_int_t)m.round, "voter", a->ctx->handle)
		: json_pack("{s:I, s:I, s:s, s:s}", "motion", (json_int_t)m.id, "round",
			    (json_int_t)m.round, "voter", a->ctx->handle, "position",
			    vote_positions[pi].name);
	if (*was)
		json_object_set_new(p, "was", json_string(was));
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug,
			    *was ? "vote.change" : "vote.cast", p, NULL);
	json_decref(p);
	if (!rc) {
		a->out = json_pack("{s:I, s:I, s:b, s:b}", "motion", (json_int_t)m.id,
				   "round", (json_int_t)m.round, "recorded", 1,
				   "changed", *was != '\0');
		if (!secret)
			json_object_set_new(a->out, "position", json_string(vote_positions[pi].name));
	}
out:
	vote_row_release(&m);
	return rc;
}

int gov_vote_cast(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *position, json_t **out, struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .position = position,
			       .err = err };
	*out = NULL;
	if (vote_position_index(position) < 0)
		return px_fail(err, PX_E_BAD_INPUT, "position",
			       "position is yes, no, abstain, block, stand_aside or objection");
	int rc = vote_run(&a, cast_tx);
	*out = a.out;
	return rc;
}

int vote_remote_seat_check(struct store *s, int64_t motion_id, int64_t body_id,
			   const char *position, int64_t now, int64_t *round,
			   struct px_error *err)
{
	struct motion_row m;
	struct decision_rule rule;
	int rc = vote_row_load(s, motion_id, &m, err);
	if (rc)
		return rc == PX_E_NOT_FOUND ? px_fail(err, rc, "object", "no motion %" PRId64,
						      motion_id) : rc;
	if (m.body_id != body_id)
		rc = px_fail(err, PX_E_FORBIDDEN, "object", "motion %" PRId64 " is not this"
			     " assembly's", motion_id);
	else if (strcmp(m.status, "voting") ||
		 (m.has_remote ? now < m.opens_at || now >= m.closes_at : strcmp(m.mode, "devices")))
		rc = px_fail(err, PX_E_NOT_VOTING, "object", "no vote by devices or online is"
			     " open on motion %" PRId64, motion_id);
	else if (m.ranked || strcmp(m.ballot, "open"))
		rc = px_fail(err, PX_E_CONFLICT, "object", "a delegate from another node votes"
			     " on open ballots by position only");
	else if (!(rc = vote_load_rule(&m, &rule))) {
		int pi = vote_position_index(position ? position : "");
		if (pi < 0 || !(rule_positions(&rule, (int32_t)m.round) & vote_positions[pi].bit))
			rc = px_fail(err, PX_E_RULE_POSITION, "position",
				     "that position is not offered by this vote's rule");
	}
	*round = m.round;
	vote_row_release(&m);
	return rc;
}

int gov_vote_cast_ranked(const struct gov_ctx *ctx, int64_t motion_id,
			 const json_t *ranking, json_t **out, struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .ranking = ranking,
			       .err = err };
	*out = NULL;
	if (!ranking)
		return px_fail(err, PX_E_MISSING_FIELD, "ranking", NULL);
	int rc = vote_run(&a, cast_tx);
	*out = a.out;
	return rc;
}

static int hands_tx(struct store *s, void *arg)
{
	struct vote_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	struct motion_row m;
	struct decision_rule rule;
	int rc = vote_row_load(s, a->motion_id, &m, a->err);
	if (rc)
		return rc;
	if ((rc = vote_at_open_meeting(s, a->ctx, &m, a->err)))
		goto out;
	if ((rc = office_may_act(s, m.body_id, OFFICE_CLERK, a->ctx->account_id,
				 m.meeting_id, a->err)))
		goto out;
	if (strcmp(m.status, "voting") || strcmp(m.mode, "hands")) {
		rc = px_fail(a->err, PX_E_NOT_VOTING, NULL,
			     "no vote by show of hands is open on this motion");
		goto out;
	}
	if ((rc = vote_load_rule(&m, &rule)))
		goto out;
	unsigned offered = rule_positions(&rule, (int32_t)m.round);
	int64_t total = 0, present = 0;
	if ((rc = meeting_attendance(s, m.meeting_id, &present)))
		goto out;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)a->counts, key, v) {
		int pi = vote_position_index(key);
		if (pi < 0 || !(offered & vote_positions[pi].bit)) {
			rc = px_fail(a->err, PX_E_RULE_POSITION, "counts",
				     "'%s' is not a position of this vote", key);
			goto out;
		}
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			rc = px_fail(a->err, PX_E_BAD_TYPE, "counts",
				     "each count is a whole number, 0 or more");
			goto out;
		}
		if (json_integer_value(v) > present) { /* and the sum cannot overflow */
			rc = px_fail(a->err, PX_E_OUT_OF_RANGE, "counts",
				     "%lld hands for '%s' but only %lld members are checked in",
				     (long long)json_integer_value(v), key, (long long)present);
			goto out;
		}
		total += json_integer_value(v);
	}
	if (total > present) {
		rc = px_fail(a->err, PX_E_OUT_OF_RANGE, "counts",
			     "%lld hands counted but only %lld members are checked in",
			     (long long)total, (long long)present);
		goto out;
	}
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM ballot_counts WHERE motion_id = ?"
					 " AND round = ?");
	sqlite3_bind_int64(st, 1, m.id);
	sqlite3_bind_int64(st, 2, m.round);
	if ((rc = store_run(st)))
		goto out;
	json_object_foreach((json_t *)a->counts, key, v) {
		st = store_stmt(s, "INSERT INTO ballot_counts(motion_id, round, position, n)"
				   " VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, m.id);
		sqlite3_bind_int64(st, 2, m.round);
		sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, json_integer_value(v));
		if ((rc = store_run(st)))
			goto out;
	}
	json_t *p = json_pack("{s:I, s:I, s:O}", "motion", (json_int_t)m.id, "round",
			      (json_int_t)m.round, "counts", a->counts);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug, "vote.hands", p, NULL);
	json_decref(p);
	if (!rc)
		a->out = json_pack("{s:I, s:O}", "motion", (json_int_t)m.id, "counts", a->counts);
out:
	vote_row_release(&m);
	return rc;
}

int gov_vote_record_hands(const struct gov_ctx *ctx, int64_t motion_id,
			  const json_t *counts, json_t **out,
			  struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .counts = counts,
			       .err = err };
	*out = NULL;
	if (!json_is_object(counts))
		return px_fail(err, PX_E_BAD_TYPE, "counts",
			       "counts is an object such as {\"yes\": 12, \"no\": 3}");
	int rc = vote_run(&a, hands_tx);
	*out = a.out;
	return rc;
}
