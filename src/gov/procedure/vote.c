/*
 * vote.c: opening a vote, casting, recording a show of hands, closing.
 *
 * The rule in force when the vote opens is copied into the motion and is
 * what decides it, whatever changes meanwhile. Closing evaluates it on the
 * counts (members: as when the vote opened; present: checked in at the
 * meeting now); an adopted motion's effect runs in the same transaction.
 * A hybrid rule that finds no consensus starts the next round: the counts
 * of the earlier round stay recorded, and everyone votes again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/rule.h"
#include "core/strbuf.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* The positions, their bits in the rule module and their tally fields. */
static const struct {
	const char *name;
	unsigned bit;
	size_t offset;
} positions[] = {
	{ "yes", RULE_POS_YES, offsetof(struct rule_tally, yes) },
	{ "no", RULE_POS_NO, offsetof(struct rule_tally, no) },
	{ "abstain", RULE_POS_ABSTAIN, offsetof(struct rule_tally, abstain) },
	{ "block", RULE_POS_BLOCK, offsetof(struct rule_tally, blocks) },
	{ "stand_aside", RULE_POS_STAND_ASIDE, offsetof(struct rule_tally, stand_asides) },
	{ "objection", RULE_POS_OBJECTION, offsetof(struct rule_tally, objections) },
};
#define NPOS (sizeof(positions) / sizeof(positions[0]))

static int position_index(const char *name)
{
	for (size_t i = 0; name && i < NPOS; i++)
		if (!strcmp(positions[i].name, name))
			return (int)i;
	return -1;
}

/* Everything about a motion that voting needs. */
struct motion_row {
	int64_t id, body_id, meeting_id, parent_id, proposer, round, members, committee;
	char slug[80], kind[48], status[16], ballot[8], mode[8];
	char *title, *text, *params, *rule;
	int has_remote;
	int ranked; /* an election by ranked ballots (ranked.h) */
	int64_t opens_at, closes_at;
};

static void row_release(struct motion_row *m)
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

static int row_load(struct store *s, int64_t id, struct motion_row *m,
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
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no motion %lld", (long long)id);
	}
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

static int load_rule(const struct motion_row *m, struct decision_rule *r)
{
	json_t *j = m->rule ? json_loads(m->rule, 0, NULL) : NULL;
	int rc = j ? rule_from_json(j, r, "rule", NULL) : PX_E_INTERNAL;
	json_decref(j);
	return rc ? PX_E_INTERNAL : 0;
}

/* A secret ballot starts with a zero count for every position the rule
 * offers in this round, so that the first ballot for a position does not
 * show by making its row (ballot_counts has no rowid either). */
static int prepare_counts(struct store *s, int64_t motion, int64_t round,
			  const struct decision_rule *rule)
{
	unsigned offered = rule_positions(rule, (int32_t)round);
	for (size_t i = 0; i < NPOS; i++) {
		if (!(offered & positions[i].bit))
			continue;
		sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO ballot_counts(motion_id,"
						 " round, position, n) VALUES (?, ?, ?, 0)");
		sqlite3_bind_int64(st, 1, motion);
		sqlite3_bind_int64(st, 2, round);
		sqlite3_bind_text(st, 3, positions[i].name, -1, SQLITE_STATIC);
		int rc = store_code(sqlite3_step(st));
		if (rc)
			return rc;
	}
	return 0;
}

/* Undecided amendments to motion id (they are decided first). */
static int pending_amendments(struct store *s, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM motions WHERE parent_id = ?"
					 " AND status IN ('submitted', 'voting')");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_step(st);
	int n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

static int64_t active_members(struct store *s, int64_t body_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM memberships"
					 " WHERE body_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_step(st);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

struct vote_args {
	const struct gov_ctx *ctx;
	int64_t motion_id;
	const char *mode, *position;
	const json_t *counts, *ranking;
	json_t *out;
	struct px_error *err;
};

/* The meeting of the motion must be open and the caller an active member. */
static int at_open_meeting(struct store *s, const struct gov_ctx *ctx,
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
		return px_fail(err, PX_E_NOT_OPEN, NULL,
			       "decisions are taken only at a meeting in session: this"
			       " one is %s", meeting_state_name(state));
	return 0;
}

static int open_tx(struct store *s, void *arg)
{
	struct vote_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	struct motion_row m;
	struct rule_set set;
	json_t *rules_json = NULL, *rule = NULL;
	char *rule_text = NULL;
	int rc = row_load(s, a->motion_id, &m, a->err);
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
	} else if ((rc = at_open_meeting(s, a->ctx, &m, a->err)) ||
		   (rc = office_may_chair(s, m.body_id, a->ctx->account_id, m.meeting_id,
					  a->err))) {
		goto out;
	}
	if (strcmp(m.status, "submitted")) {
		rc = px_fail(a->err, PX_E_CONFLICT, NULL, "the motion is %s", m.status);
		goto out;
	}
	/* delegates' votes are weighed and may be withdrawn by a recall, so
	 * each is a named row: no show of hands in a delegate assembly */
	if (!strcmp(a->mode, "hands") && fed_is_delegate(s, m.body_id)) {
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
	if (m.has_remote) {
		rc = px_fail(a->err, PX_E_CONFLICT, NULL,
			     "the assembly decided to hold this vote %s",
			     "online or by mail, in the window it set");
		goto out;
	}
	sqlite3_stmt *st;
	int pending = pending_amendments(s, m.id);
	if (pending) {
		rc = px_fail(a->err, PX_E_CONFLICT, NULL,
			     "decide its %d amendment(s) first", pending);
		goto out;
	}
	if (m.parent_id) {
		st = store_stmt(s, "SELECT status FROM motions WHERE id = ?");
		sqlite3_bind_int64(st, 1, m.parent_id);
		sqlite3_step(st);
		int ok = !strcmp((const char *)sqlite3_column_text(st, 0), "submitted");
		sqlite3_reset(st);
		if (!ok) {
			rc = px_fail(a->err, PX_E_CONFLICT, NULL,
				     "the amended motion is no longer open to amendment");
			goto out;
		}
	}
	st = store_stmt(s, "SELECT rules FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, m.body_id);
	sqlite3_step(st);
	rules_json = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (!rules_json || rule_set_from_json(rules_json, &set, "rules", NULL)) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	rule = rule_to_json(rule_set_lookup(&set, m.kind));
	rule_text = json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS);
	int64_t members = m.committee ? committee_size(s, m.committee)
				      : active_members(s, m.body_id);
	st = store_stmt(s, "UPDATE motions SET status = 'voting', vote_mode = ?, round = 1,"
		" rule = ?, members_at_open = ?, voting_opened_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, a->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rule_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, members);
	sqlite3_bind_int64(st, 4, a->ctx->now);
	sqlite3_bind_int64(st, 5, m.id);
	if ((rc = store_code(sqlite3_step(st))))
		goto out;
	if (!strcmp(m.ballot, "secret") && !m.ranked &&
	    (rc = prepare_counts(s, m.id, 1, rule_set_lookup(&set, m.kind))))
		goto out;
	json_t *p = json_pack("{s:I, s:s, s:s, s:O, s:I}", "motion", (json_int_t)m.id,
			      "mode", a->mode, "ballot", m.ballot, "rule", rule,
			      "members", (json_int_t)members);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug, "vote.open", p, NULL);
	json_decref(p);
	if (!rc)
		a->out = motion_json(s, m.id, a->ctx->account_id);
out:
	json_decref(rules_json);
	json_decref(rule);
	free(rule_text);
	row_release(&m);
	return rc;
}

static int run(struct vote_args *a, int (*fn)(struct store *, void *))
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
	int rc = run(&a, open_tx);
	*out = a.out;
	return rc;
}

/* An online or mail vote the assembly authorised: open within its window.
 * It starts on the first ballot, with the rule in force then. */
static int start_remote(struct store *s, const struct gov_ctx *ctx,
			struct motion_row *m, struct px_error *err);

static int open_remote(struct store *s, const struct gov_ctx *ctx,
		       struct motion_row *m, struct px_error *err)
{
	if (ctx->now < m->opens_at || ctx->now >= m->closes_at)
		return px_fail(err, PX_E_NOT_AUTHORISED, NULL,
			       "the online vote is open only in the window the assembly set");
	return start_remote(s, ctx, m, err);
}

/* Start the online vote (if not started) with the rule in force now. */
static int start_remote(struct store *s, const struct gov_ctx *ctx,
			struct motion_row *m, struct px_error *err)
{
	struct rule_set set;
	int rc = 0;
	if (!strcmp(m->status, "voting"))
		return 0;
	if (strcmp(m->status, "submitted"))
		return px_fail(err, PX_E_NOT_VOTING, NULL, NULL);
	if (pending_amendments(s, m->id))
		return px_fail(err, PX_E_CONFLICT, NULL,
			       "its amendments are decided first, at a meeting");
	sqlite3_stmt *st = store_stmt(s, "SELECT rules FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_step(st);
	json_t *rules = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (!rules || rule_set_from_json(rules, &set, "rules", NULL)) {
		json_decref(rules);
		return PX_E_INTERNAL;
	}
	json_decref(rules);
	if (!strcmp(m->ballot, "secret") && !m->ranked &&
	    (rc = prepare_counts(s, m->id, 1, rule_set_lookup(&set, m->kind))))
		return rc;
	json_t *rule = rule_to_json(rule_set_lookup(&set, m->kind));
	free(m->rule);
	m->rule = json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rule);
	m->members = active_members(s, m->body_id);
	m->round = 1;
	snprintf(m->status, sizeof(m->status), "voting");
	st = store_stmt(s, "UPDATE motions SET status = 'voting', vote_mode = 'online',"
		" round = 1, rule = ?, members_at_open = ?, voting_opened_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, m->rule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->members);
	sqlite3_bind_int64(st, 3, ctx->now);
	sqlite3_bind_int64(st, 4, m->id);
	rc = store_code(sqlite3_step(st));
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

static int cast_tx(struct store *s, void *arg)
{
	struct vote_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	struct motion_row m;
	struct decision_rule rule;
	int64_t body_id;
	int rc = row_load(s, a->motion_id, &m, a->err);
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
		if ((rc = at_open_meeting(s, a->ctx, &m, a->err)))
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
		if (!meeting_attended(s, m.meeting_id, a->ctx->account_id)) {
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
	if ((rc = load_rule(&m, &rule)))
		goto out;
	int pi = position_index(a->position);
	unsigned offered = rule_positions(&rule, (int32_t)m.round);
	if (pi < 0 || !(offered & positions[pi].bit)) {
		rc = px_fail(a->err, PX_E_RULE_POSITION, "position",
			     "that position is not offered by this vote's rule");
		goto out;
	}
	int secret = !strcmp(m.ballot, "secret");
	sqlite3_stmt *st = store_stmt(s, secret
		? "INSERT INTO voters(motion_id, round, account_id) VALUES (?1, ?2, ?3)"
		  " ON CONFLICT DO NOTHING"
		: "INSERT INTO votes(motion_id, round, account_id, position)"
		  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
	sqlite3_bind_int64(st, 1, m.id);
	sqlite3_bind_int64(st, 2, m.round);
	sqlite3_bind_int64(st, 3, a->ctx->account_id);
	if (!secret)
		sqlite3_bind_text(st, 4, positions[pi].name, -1, SQLITE_STATIC);
	if ((rc = store_code(sqlite3_step(st))))
		goto out;
	if (!sqlite3_changes(store_db(s))) {
		rc = px_fail(a->err, PX_E_ALREADY_VOTED, NULL, NULL);
		goto out;
	}
	if (secret) {
		st = store_stmt(s, "INSERT INTO ballot_counts(motion_id, round, position, n)"
			" VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1");
		sqlite3_bind_int64(st, 1, m.id);
		sqlite3_bind_int64(st, 2, m.round);
		sqlite3_bind_text(st, 3, positions[pi].name, -1, SQLITE_STATIC);
		if ((rc = store_code(sqlite3_step(st))))
			goto out;
	}
	/* a secret ballot's journal entry says who voted, never how */
	json_t *p = secret
		? json_pack("{s:I, s:I, s:s}", "motion", (json_int_t)m.id, "round",
			    (json_int_t)m.round, "voter", a->ctx->handle)
		: json_pack("{s:I, s:I, s:s, s:s}", "motion", (json_int_t)m.id, "round",
			    (json_int_t)m.round, "voter", a->ctx->handle, "position",
			    positions[pi].name);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug, "vote.cast", p, NULL);
	json_decref(p);
	if (!rc)
		a->out = json_pack("{s:I, s:I, s:b}", "motion", (json_int_t)m.id,
				   "round", (json_int_t)m.round, "recorded", 1);
out:
	row_release(&m);
	return rc;
}

int gov_vote_cast(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *position, json_t **out, struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .position = position,
			       .err = err };
	*out = NULL;
	if (position_index(position) < 0)
		return px_fail(err, PX_E_BAD_INPUT, "position",
			       "position is yes, no, abstain, block, stand_aside or objection");
	int rc = run(&a, cast_tx);
	*out = a.out;
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
	int rc = run(&a, cast_tx);
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
	int rc = row_load(s, a->motion_id, &m, a->err);
	if (rc)
		return rc;
	if ((rc = at_open_meeting(s, a->ctx, &m, a->err)))
		goto out;
	if ((rc = office_may_act(s, m.body_id, OFFICE_CLERK, a->ctx->account_id,
				 m.meeting_id, a->err)))
		goto out;
	if (strcmp(m.status, "voting") || strcmp(m.mode, "hands")) {
		rc = px_fail(a->err, PX_E_NOT_VOTING, NULL,
			     "no vote by show of hands is open on this motion");
		goto out;
	}
	if ((rc = load_rule(&m, &rule)))
		goto out;
	unsigned offered = rule_positions(&rule, (int32_t)m.round);
	int64_t total = 0, present = meeting_attendance(s, m.meeting_id);
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)a->counts, key, v) {
		int pi = position_index(key);
		if (pi < 0 || !(offered & positions[pi].bit)) {
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
	if ((rc = store_code(sqlite3_step(st))))
		goto out;
	json_object_foreach((json_t *)a->counts, key, v) {
		st = store_stmt(s, "INSERT INTO ballot_counts(motion_id, round, position, n)"
				   " VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, m.id);
		sqlite3_bind_int64(st, 2, m.round);
		sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, json_integer_value(v));
		if ((rc = store_code(sqlite3_step(st))))
			goto out;
	}
	json_t *p = json_pack("{s:I, s:I, s:O}", "motion", (json_int_t)m.id, "round",
			      (json_int_t)m.round, "counts", a->counts);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug, "vote.hands", p, NULL);
	json_decref(p);
	if (!rc)
		a->out = json_pack("{s:I, s:O}", "motion", (json_int_t)m.id, "counts", a->counts);
out:
	row_release(&m);
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
	int rc = run(&a, hands_tx);
	*out = a.out;
	return rc;
}

/* Fill t's position counts for the motion's current round. */
static int64_t load_counts(struct store *s, const struct motion_row *m,
			   struct rule_tally *t, json_t *counts)
{
	int64_t voted = 0;
	int by_rows = !strcmp(m->ballot, "open") && strcmp(m->mode, "hands");
	sqlite3_stmt *st = store_stmt(s, by_rows
		? "SELECT position, count(*) FROM votes WHERE motion_id = ? AND round = ?"
		  " GROUP BY position"
		: "SELECT position, n FROM ballot_counts WHERE motion_id = ? AND round = ?");
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_int64(st, 2, m->round);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int pi = position_index((const char *)sqlite3_column_text(st, 0));
		int64_t n = sqlite3_column_int64(st, 1);
		if (pi < 0)
			continue;
		*(int64_t *)((char *)t + positions[pi].offset) = n;
		voted += n;
		if (counts)
			json_object_set_new(counts, positions[pi].name, json_integer(n));
	}
	sqlite3_reset(st);
	return voted;
}

/* A ranked election's outcome before its count: no quorum, rejected
 * (fewer ballots than seats: no count could be representative), or
 * adopted, to be counted by the effect (motion_kinds_fed.c). */
static int ranked_outcome(struct store *s, const struct motion_row *m,
			  const struct decision_rule *rule, int remote,
			  struct rule_result *res, json_t **result)
{
	int64_t members, present, ballots;
	int secret = !strcmp(m->ballot, "secret");
	json_t *params = json_loads(m->params, 0, NULL);
	int64_t seats = json_integer_value(json_object_get(params, "seats"));
	char text[200];
	json_decref(params);
	int rc = ranked_presence(s, m->body_id, m->id, m->round, m->meeting_id, remote, secret,
				 m->members, &members, &present, &ballots);
	if (rc)
		return rc;
	memset(res, 0, sizeof(*res));
	res->applied = rule->kind;
	res->quorum = rule_quorum_needed(rule, members);
	res->present = present;
	if (present < 1 || present < res->quorum) {
		res->outcome = RULE_NO_QUORUM;
		snprintf(text, sizeof(text), "no quorum: %lld present, %lld needed",
			 (long long)present, (long long)res->quorum);
	} else if (ballots < seats) {
		res->outcome = RULE_REJECTED;
		snprintf(text, sizeof(text), "rejected: %lld ballot(s) for %lld seats, at"
			 " least one ballot per seat is needed", (long long)ballots,
			 (long long)seats);
	} else {
		res->outcome = RULE_ADOPTED;
		snprintf(text, sizeof(text), "counted by STV: %lld ballot(s) for %lld seats;"
			 " %lld present, quorum %lld", (long long)ballots, (long long)seats,
			 (long long)present, (long long)res->quorum);
	}
	*result = rule_result_to_json(rule, res);
	if (!*result)
		return PX_E_NOMEM;
	json_object_set_new(*result, "text", json_string(text));
	json_object_set_new(*result, "ranked", json_true());
	json_object_set_new(*result, "ballots", json_integer(ballots));
	json_object_set_new(*result, "members", json_integer(members));
	json_object_set_new(*result, "seats", json_integer(seats));
	json_object_set_new(*result, "round", json_integer(m->round));
	json_object_set_new(*result, "mode", json_string(m->mode));
	json_object_set_new(*result, "ballot", json_string(m->ballot));
	if (fed_is_delegate(s, m->body_id))
		json_object_set_new(*result, "weighted", json_true());
	return 0;
}

static int close_tx(struct store *s, void *arg)
{
	struct vote_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	struct motion_row m;
	struct decision_rule rule;
	struct rule_tally t = { 0 };
	struct rule_result res;
	struct strbuf text;
	json_t *result = NULL, *effect = NULL, *params = NULL;
	char *result_text = NULL;
	sb_init(&text, 4096);
	int rc = row_load(s, a->motion_id, &m, a->err);
	if (rc)
		goto out;
	/* an online vote nobody took part in still ends when its window does */
	if (m.has_remote && !strcmp(m.status, "submitted") && a->ctx->now >= m.closes_at &&
	    (rc = start_remote(s, a->ctx, &m, a->err)))
		goto out;
	int remote = !strcmp(m.mode, "online") || m.committee;
	if (m.committee) {
		int64_t ignored;
		if ((rc = gov_require_active_member(a->ctx, m.slug, &ignored, a->err)) ||
		    (rc = committee_check(s, m.body_id, m.committee, a->ctx->account_id,
					  NULL, a->ctx->now, a->err)))
			goto out;
	} else if (remote) {
		int64_t body_id;
		if ((rc = gov_require_active_member(a->ctx, m.slug, &body_id, a->err)))
			goto out;
		if (a->ctx->now < m.closes_at) {
			rc = px_fail(a->err, PX_E_CONFLICT, NULL,
				     "the online vote closes at the end of its window");
			goto out;
		}
	} else {
		if ((rc = at_open_meeting(s, a->ctx, &m, a->err)))
			goto out;
		if ((rc = office_may_chair(s, m.body_id, a->ctx->account_id, m.meeting_id,
					   a->err)))
			goto out;
	}
	if (strcmp(m.status, "voting")) {
		rc = px_fail(a->err, PX_E_NOT_VOTING, NULL, NULL);
		goto out;
	}
	if ((rc = load_rule(&m, &rule)))
		goto out;
	if (m.ranked) {
		/* the quorum, then (adopted) the STV count in the effect */
		if ((rc = ranked_outcome(s, &m, &rule, remote, &res, &result)))
			goto out;
		sb_adds(&text, json_string_value(json_object_get(result, "text")));
		goto decided;
	}
	json_t *counts = json_object();
	if (!m.committee && fed_is_delegate(s, m.body_id)) {
		/* a delegate assembly: the voices of its member assemblies,
		 * shared among their current delegates (federation.h) */
		const char *pos;
		json_t *n;
		if ((rc = fed_weighted_counts(s, m.body_id, m.id, m.round, m.meeting_id,
					      remote, counts, &t.members, &t.present))) {
			json_decref(counts);
			goto out;
		}
		json_object_foreach(counts, pos, n) {
			int pi = position_index(pos);
			if (pi >= 0)
				*(int64_t *)((char *)&t + positions[pi].offset) =
					json_integer_value(n);
		}
		json_object_set_new(counts, "weighted", json_true());
	} else {
		int64_t voted = load_counts(s, &m, &t, counts);
		t.members = m.members;
		t.present = remote ? voted
			  : meeting_present_for_vote(s, m.meeting_id, m.id, m.round);
		if (!strcmp(m.mode, "hands") && voted > t.present) {
			/* hands counted while more were in the room: whoever
			 * has left since cannot be told apart in the count */
			json_decref(counts);
			rc = px_fail(a->err, PX_E_CONFLICT, "counts",
				     "%lld hands were counted but only %lld members are"
				     " present now: someone counted has left, so record"
				     " the show of hands again", (long long)voted,
				     (long long)t.present);
			goto out;
		}
		if (t.present > t.members)
			t.members = t.present; /* someone joined since the vote opened */
	}
	t.round = (int32_t)m.round;
	if ((rc = rule_evaluate(&rule, &t, &res, a->err))) {
		json_decref(counts);
		goto out;
	}
	result = rule_result_to_json(&rule, &res);
	json_object_set_new(result, "counts", counts);
	json_object_set_new(result, "round", json_integer(m.round));
	json_object_set_new(result, "mode", json_string(m.mode));
	json_object_set_new(result, "ballot", json_string(m.ballot));
	rule_result_describe(&res, &text);

	if (res.outcome == RULE_NEXT_ROUND) {
		sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET round = round + 1"
						 " WHERE id = ?");
		sqlite3_bind_int64(st, 1, m.id);
		if ((rc = store_code(sqlite3_step(st))))
			goto out;
		if (!strcmp(m.ballot, "secret") && strcmp(m.mode, "hands") &&
		    (rc = prepare_counts(s, m.id, m.round + 1, &rule)))
			goto out;
		json_t *p = json_pack("{s:I, s:I, s:O}", "motion", (json_int_t)m.id,
				      "round", (json_int_t)m.round, "result", result);
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug,
				    "vote.round", p, NULL);
		json_decref(p);
		if (!rc)
			a->out = motion_json(s, m.id, a->ctx->account_id);
		goto out;
	}

decided:;
	const char *status = rule_outcome_name(res.outcome);
	effect = json_object();
	if (res.outcome == RULE_ADOPTED) {
		const struct motion_kind *kind = motion_kind_find(m.kind);
		params = json_loads(m.params, 0, NULL);
		struct motion_effect e = {
			.motion_id = m.id, .body_id = m.body_id, .body_slug = m.slug,
			.title = m.title, .text = m.text, .params = params,
			.now = a->ctx->now, .actor = gov_actor(a->ctx), .result = result,
		};
		if (!kind || !params) {
			rc = PX_E_INTERNAL;
			goto out;
		}
		/* a delegate assembly never legislates, whatever reached here */
		if ((rc = fed_kind_allowed(s, m.body_id, m.kind, a->err)))
			goto out;
		/* An effect that can no longer apply (the holder left, the
		 * law was repealed, the declared time has passed) is undone
		 * whole, and the decision is recorded as void with the reason:
		 * nothing is half done, and the vote does not stay open. */
		struct px_error why = { 0 };
		sqlite3_exec(store_db(s), "SAVEPOINT effect", NULL, NULL, NULL);
		rc = kind->apply(s, &e, effect, &why);
		if (rc && px_code_status(rc) >= 500) {
			sqlite3_exec(store_db(s), "ROLLBACK TO effect; RELEASE effect", NULL, NULL, NULL);
			px_fail(a->err, rc, why.field, "%s", px_error_message(&why));
			goto out;
		}
		if (rc) {
			sqlite3_exec(store_db(s), "ROLLBACK TO effect", NULL, NULL, NULL);
			status = "void";
			json_object_clear(effect);
			json_object_set_new(result, "void_reason",
					    json_string(px_error_message(&why)));
			rc = 0;
		}
		sqlite3_exec(store_db(s), "RELEASE effect", NULL, NULL, NULL);
	}
	result_text = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = ?, result = ?,"
				      " decided_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, result_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a->ctx->now);
	sqlite3_bind_int64(st, 4, m.id);
	if ((rc = store_code(sqlite3_step(st))))
		goto out;
	json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:O, s:O, s:s}", "motion",
			      (json_int_t)m.id, "kind", m.kind, "title", m.title,
			      "outcome", status, "result", result, "effect", effect,
			      "text", text.buf);
	if (m.meeting_id)
		json_object_set_new(p, "meeting", json_integer(m.meeting_id));
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m.slug, "motion.decide",
			    p, NULL);
	json_decref(p);
	if (!rc)
		a->out = motion_json(s, m.id, a->ctx->account_id);
out:
	json_decref(result);
	json_decref(effect);
	json_decref(params);
	free(result_text);
	sb_release(&text);
	row_release(&m);
	return rc;
}

int gov_vote_close(const struct gov_ctx *ctx, int64_t motion_id,
		   json_t **out, struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .err = err };
	*out = NULL;
	int rc = run(&a, close_tx);
	*out = a.out;
	return rc;
}

int gov_vote_counts(const struct gov_ctx *ctx, int64_t motion_id,
		    json_t **out, struct px_error *err)
{
	struct motion_row m;
	struct rule_tally t = { 0 };
	*out = NULL;
	int rc = row_load(ctx->db, motion_id, &m, err);
	if (rc)
		return rc;
	int secret = !strcmp(m.ballot, "secret") && !strcmp(m.status, "voting");
	json_t *counts = json_object();
	int64_t voted = load_counts(ctx->db, &m, &t, counts);
	if (m.ranked) {
		voted = ranked_voted(ctx->db, m.id, m.round, !strcmp(m.ballot, "secret"));
	} else if (!strcmp(m.ballot, "secret")) {
		sqlite3_stmt *st = store_stmt(ctx->db, "SELECT count(*) FROM voters"
						       " WHERE motion_id = ? AND round = ?");
		sqlite3_bind_int64(st, 1, m.id);
		sqlite3_bind_int64(st, 2, m.round);
		sqlite3_step(st);
		voted = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (secret) {
		/* while a secret vote runs, only the number who voted shows:
		 * counts moving one by one would tell who chose what */
		json_decref(counts);
		counts = json_null();
	}
	*out = json_pack("{s:I, s:s, s:I, s:I, s:o}", "motion", (json_int_t)m.id,
			 "status", m.status, "round", (json_int_t)m.round,
			 "voted", (json_int_t)voted, "counts", counts);
	if (m.meeting_id)
		json_object_set_new(*out, "present",
				    json_integer(meeting_attendance(ctx->db, m.meeting_id)));
	/* who in the room has not voted yet: whoever closes the vote is told
	 * (a show of hands has no ballots to count) */
	if (m.meeting_id && !strcmp(m.status, "voting") && !strcmp(m.mode, "devices"))
		json_object_set_new(*out, "not_voted",
				    json_integer(meeting_not_voted(ctx->db, m.meeting_id,
								   m.id, m.round)));
	if (m.ranked)
		json_object_set_new(*out, "ranked", json_true());
	if (!m.committee && !secret && !m.ranked && fed_is_delegate(ctx->db, m.body_id) &&
	    m.round) {
		/* a delegate assembly: also the weights the rule will count */
		json_t *w = json_object();
		int64_t members = 0, present = 0;
		int remote = !strcmp(m.mode, "online");
		if (!fed_weighted_counts(ctx->db, m.body_id, m.id, m.round, m.meeting_id,
					 remote, w, &members, &present))
			json_object_set_new(*out, "weighted", json_pack("{s:O, s:I, s:I}",
				"counts", w, "members", (json_int_t)members,
				"present", (json_int_t)present));
		json_decref(w);
	}
	row_release(&m);
	return 0;
}
