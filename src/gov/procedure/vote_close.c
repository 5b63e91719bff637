/*
 * vote_close.c: closing a vote, and its counts while it runs.
 *
 * Closing evaluates the rule copied into the motion when the vote opened
 * on the counts (members: as when the vote opened; present: checked in at
 * the meeting now); an adopted motion's effect runs in the same
 * transaction. A hybrid rule that finds no consensus starts the next
 * round. A count that cannot be read is an error: nothing is decided on a
 * partial count.
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
#include "gov/procedure/minutes.h"
#include "gov/procedure/procedure.h"
#include "gov/procedure/vote.h"
#include "banned.h"

/* Fill t's position counts for the motion's current round and *voted
 * with their sum. An error reading them is returned: a decision is never
 * taken on a partial count. */
static int load_counts(struct store *s, const struct motion_row *m,
		       struct rule_tally *t, json_t *counts, int64_t *voted)
{
	int rc = 0;
	*voted = 0;
	int by_rows = !strcmp(m->ballot, "open") && strcmp(m->mode, "hands");
	sqlite3_stmt *st = store_stmt(s, by_rows
		? "SELECT position, count(*) FROM votes WHERE motion_id = ? AND round = ?"
		  " GROUP BY position"
		: "SELECT position, n FROM ballot_counts WHERE motion_id = ? AND round = ?");
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_int64(st, 2, m->round);
	while (store_next(st, &rc)) {
		int pi = vote_position_index((const char *)sqlite3_column_text(st, 0));
		int64_t n = sqlite3_column_int64(st, 1);
		if (pi < 0)
			continue;
		*(int64_t *)((char *)t + vote_positions[pi].offset) = n;
		*voted += n;
		if (counts)
			json_object_set_new(counts, vote_positions[pi].name, json_integer(n));
	}
	return rc;
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
	if (secret) {
		/* The rankings counted, without voters, sorted: what replay
		 * needs to make the same count again (docs/journal.md). */
		json_t *rankings = ranked_secret_json(s, m->id, m->round);
		if (!rankings)
			return PX_E_DB;
		json_object_set_new(*result, "rankings", rankings);
	}
	int delegate = 0;
	if ((rc = fed_is_delegate(s, m->body_id, &delegate)))
		return rc;
	if (delegate)
		json_object_set_new(*result, "weighted", json_true());
	return 0;
}

/* May the caller close the motion's vote now? *remote: an online vote or
 * a committee's (counted on those who voted, not on those present). */
static int close_allowed(struct store *s, struct vote_args *a, struct motion_row *m,
			 int *remote)
{
	int rc;
	/* an online vote nobody took part in still ends when its window does */
	if (m->has_remote && !strcmp(m->status, "submitted") && a->ctx->now >= m->closes_at &&
	    (rc = vote_start_remote(s, a->ctx, m, a->err)))
		return rc;
	*remote = !strcmp(m->mode, "online") || m->committee;
	if (m->committee) {
		int64_t ignored;
		if ((rc = gov_require_active_member(a->ctx, m->slug, &ignored, a->err)) ||
		    (rc = committee_check(s, m->body_id, m->committee, a->ctx->account_id,
					  NULL, a->ctx->now, a->err)))
			return rc;
	} else if (*remote) {
		int64_t body_id;
		if ((rc = gov_require_active_member(a->ctx, m->slug, &body_id, a->err)))
			return rc;
		if (a->ctx->now < m->closes_at)
			return px_fail(a->err, PX_E_CONFLICT, NULL,
				       "the online vote closes at the end of its window");
	} else {
		if ((rc = vote_at_open_meeting(s, a->ctx, m, a->err)))
			return rc;
		if ((rc = office_may_chair(s, m->body_id, a->ctx->account_id, m->meeting_id,
					   a->err)))
			return rc;
	}
	if (strcmp(m->status, "voting"))
		return px_fail(a->err, PX_E_NOT_VOTING, NULL, NULL);
	return 0;
}

/* The tally of the current round into t and counts: a delegate
 * assembly's weighted voices, or one per member. */
static int count_round(struct store *s, const struct motion_row *m, int remote,
		       struct rule_tally *t, json_t *counts, struct px_error *err)
{
	int delegate = 0, rc;
	if (!m->committee && (rc = fed_is_delegate(s, m->body_id, &delegate)))
		return rc;
	if (!m->committee && delegate) {
		/* a delegate assembly: the voices of its member assemblies,
		 * shared among their current delegates (federation.h) */
		const char *pos;
		json_t *n;
		if ((rc = fed_weighted_counts(s, m->body_id, m->id, m->round, m->meeting_id,
					      remote, counts, &t->members, &t->present)))
			return rc;
		json_object_foreach(counts, pos, n) {
			int pi = vote_position_index(pos);
			if (pi >= 0)
				*(int64_t *)((char *)t + vote_positions[pi].offset) =
					json_integer_value(n);
		}
		json_object_set_new(counts, "weighted", json_true());
	} else {
		int64_t voted = 0, present = 0;
		if ((rc = load_counts(s, m, t, counts, &voted)) ||
		    (!remote && (rc = meeting_present_for_vote(s, m->meeting_id, m->id,
							       m->round, &present))))
			return rc;
		if (!remote && !strcmp(m->mode, "hands") && voted > present)
			/* hands counted while more were in the room: whoever
			 * has left since cannot be told apart in the count */
			return px_fail(err, PX_E_CONFLICT, "counts",
				       "%lld hands were counted but only %lld members are"
				       " present now: someone counted has left, so record"
				       " the show of hands again", (long long)voted,
				       (long long)present);
		t->members = m->members;
		t->present = remote ? voted : present; /* remote: those who voted */
		if (t->present > t->members)
			t->members = t->present; /* someone joined since the vote opened */
	}
	t->round = (int32_t)m->round;
	return 0;
}

/* A hybrid rule found no consensus: the next round, everyone votes again
 * (the counts of this round stay recorded). */
static int next_round(struct store *s, struct vote_args *a, const struct motion_row *m,
		      const struct decision_rule *rule, json_t *result)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET round = round + 1"
					 " WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->id);
	int rc = store_run(st);
	if (rc)
		return rc;
	if (!strcmp(m->ballot, "secret") && strcmp(m->mode, "hands") &&
	    (rc = vote_prepare_counts(s, m->id, m->round + 1, rule)))
		return rc;
	json_t *p = json_pack("{s:I, s:I, s:O}", "motion", (json_int_t)m->id,
			      "round", (json_int_t)m->round, "result", result);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m->slug, "vote.round", p, NULL);
	json_decref(p);
	return rc ? rc : motion_json(s, m->id, a->ctx->account_id, &a->out);
}

/* An adopted motion's effect, into effect. An effect that can no longer
 * apply (the holder left, the law was repealed, the declared time has
 * passed) is undone whole, and *status becomes "void" with the reason in
 * result: nothing is half done, and the vote does not stay open. */
static int apply_effect(struct store *s, struct vote_args *a, const struct motion_row *m,
			json_t *result, json_t *effect, const char **status, int rejected)
{
	const struct motion_kind *kind = motion_kind_find(m->kind);
	json_t *params = json_loads(m->params, 0, NULL);
	struct motion_effect e = {
		.motion_id = m->id, .body_id = m->body_id, .body_slug = m->slug,
		.title = m->title, .text = m->text, .params = params,
		.now = a->ctx->now, .actor = gov_actor(a->ctx), .result = result,
	};
	struct px_error why = { 0 };
	int rc = 0;
	if (!kind || !params) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	/* a delegate assembly never legislates, whatever reached here */
	if ((rc = fed_kind_allowed(s, m->body_id, m->kind, a->err)) ||
	    (rc = store_savepoint(s, "effect")))
		goto out;
	rc = rejected ? kind->reject(s, &e, effect, &why) : kind->apply(s, &e, effect, &why);
	if (rc && px_code_status(rc) >= 500) {
		/* the whole transaction rolls back (store_tx), the savepoint
		 * with it */
		px_fail(a->err, rc, why.field, "%s", px_error_message(&why));
		goto out;
	}
	if (rc) {
		if ((rc = store_rollback_to(s, "effect")))
			goto out;
		*status = "void";
		json_object_clear(effect);
		json_object_set_new(result, "void_reason", json_string(px_error_message(&why)));
	}
	rc = store_release(s, "effect");
out:
	json_decref(params);
	return rc;
}

/* The decision is taken before its effect runs: from here on the motion is
 * no longer a running vote. An effect that ends seats or memberships
 * (suspension, exclusion, recall, leaving a federation) withdraws the
 * running votes of those it removes; the ballots of the decision itself
 * were counted already and stay, so its record (votes, counts, minutes,
 * journal) keeps every vote it counted. record_decision then writes the
 * final status (void if the effect cannot apply) and the result. The
 * replay (replay.c, r_decide) takes the same order. */
static int mark_decided(struct store *s, const struct motion_row *m, const char *status,
			int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = ?, decided_at = ?"
				      " WHERE id = ?");
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, m->id);
	return store_run(st);
}

/* The decision: the motion's status and result, and its journal entry. */
static int record_decision(struct store *s, struct vote_args *a, const struct motion_row *m,
			   const char *status, json_t *result, json_t *effect,
			   const char *text)
{
	char *result_text = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = ?, result = ?,"
				      " decided_at = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, result_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, a->ctx->now);
	sqlite3_bind_int64(st, 4, m->id);
	int rc = store_run(st);
	free(result_text);
	if (rc)
		return rc;
	json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:O, s:O, s:s}", "motion",
			      (json_int_t)m->id, "kind", m->kind, "title", m->title,
			      "outcome", status, "result", result, "effect", effect,
			      "text", text);
	if (m->meeting_id)
		json_object_set_new(p, "meeting", json_integer(m->meeting_id));
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), m->slug, "motion.decide",
			    p, NULL);
	json_decref(p);
	return rc ? rc : motion_json(s, m->id, a->ctx->account_id, &a->out);
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
	json_t *result = NULL, *effect = NULL, *counts = NULL;
	int remote = 0;
	sb_init(&text, 4096);
	int rc = vote_row_load(s, a->motion_id, &m, a->err);
	if (rc || (rc = close_allowed(s, a, &m, &remote)) || (rc = vote_load_rule(&m, &rule)))
		goto out;
	if (m.ranked) {
		/* the quorum, then (adopted) the STV count in the effect */
		if ((rc = ranked_outcome(s, &m, &rule, remote, &res, &result)))
			goto out;
		sb_adds(&text, json_string_value(json_object_get(result, "text")));
	} else {
		counts = json_object();
		if ((rc = count_round(s, &m, remote, &t, counts, a->err)) ||
		    (rc = rule_evaluate(&rule, &t, &res, a->err)))
			goto out;
		result = rule_result_to_json(&rule, &res);
		json_object_set_new(result, "counts", counts);
		counts = NULL;
		json_object_set_new(result, "round", json_integer(m.round));
		json_object_set_new(result, "mode", json_string(m.mode));
		json_object_set_new(result, "ballot", json_string(m.ballot));
		rule_result_describe(&res, &text);
		if (res.outcome == RULE_NEXT_ROUND) {
			rc = next_round(s, a, &m, &rule, result);
			goto out;
		}
	}
	const char *status = rule_outcome_name(res.outcome);
	effect = json_object();
	if (res.outcome == RULE_ADOPTED &&
	    ((rc = mark_decided(s, &m, status, a->ctx->now)) ||
	     (rc = apply_effect(s, a, &m, result, effect, &status, 0))))
		goto out;
	/* a question answered either way: the effect of "no" */
	const struct motion_kind *k = motion_kind_find(m.kind);
	if (res.outcome == RULE_REJECTED && k && k->reject &&
	    ((rc = mark_decided(s, &m, status, a->ctx->now)) ||
	     (rc = apply_effect(s, a, &m, result, effect, &status, 1))))
		goto out;
	rc = record_decision(s, a, &m, status, result, effect, text.buf);
out:
	json_decref(counts);
	json_decref(result);
	json_decref(effect);
	sb_release(&text);
	vote_row_release(&m);
	return rc;
}

int gov_vote_close(const struct gov_ctx *ctx, int64_t motion_id,
		   json_t **out, struct px_error *err)
{
	struct vote_args a = { .ctx = ctx, .motion_id = motion_id, .err = err };
	*out = NULL;
	int rc = vote_run(&a, close_tx);
	if (!rc && a.out) /* the result in the reader's words (the journal keeps English) */
		minutes_result_words(json_object_get(a.out, "result"), ctx->lang);
	*out = a.out;
	return rc;
}

int gov_vote_counts(const struct gov_ctx *ctx, int64_t motion_id,
		    json_t **out, struct px_error *err)
{
	struct motion_row m;
	struct rule_tally t = { 0 };
	*out = NULL;
	int rc = vote_row_load(ctx->db, motion_id, &m, err);
	if (rc)
		return rc;
	int secret = !strcmp(m.ballot, "secret") && !strcmp(m.status, "voting");
	int64_t voted = 0, present = 0;
	int delegate = 0;
	json_t *counts = json_object();
	if ((rc = load_counts(ctx->db, &m, &t, counts, &voted)))
		goto out;
	if (m.ranked) {
		rc = ranked_voted(ctx->db, m.id, m.round, !strcmp(m.ballot, "secret"), &voted);
	} else if (!strcmp(m.ballot, "secret")) {
		sqlite3_stmt *st = store_stmt(ctx->db, "SELECT count(*) FROM voters"
						       " WHERE motion_id = ? AND round = ?");
		sqlite3_bind_int64(st, 1, m.id);
		sqlite3_bind_int64(st, 2, m.round);
		rc = store_int64(st, &voted, NULL);
	}
	if (rc || (m.meeting_id && (rc = meeting_attendance(ctx->db, m.meeting_id, &present))) ||
	    (!m.committee && (rc = fed_is_delegate(ctx->db, m.body_id, &delegate))))
		goto out;
	if (secret) {
		/* while a secret vote runs, only the number who voted shows:
		 * counts moving one by one would tell who chose what */
		json_decref(counts);
		counts = json_null();
	}
	*out = json_pack("{s:I, s:s, s:I, s:I, s:O}", "motion", (json_int_t)m.id,
			 "status", m.status, "round", (json_int_t)m.round,
			 "voted", (json_int_t)voted, "counts", counts);
	if (m.meeting_id)
		json_object_set_new(*out, "present", json_integer(present));
	/* who in the room has not voted yet: whoever closes the vote is told
	 * (a show of hands has no ballots to count) */
	if (m.meeting_id && !strcmp(m.status, "voting") && !strcmp(m.mode, "devices")) {
		int64_t waiting = 0;
		if ((rc = meeting_not_voted(ctx->db, m.meeting_id, m.id, m.round, &waiting)))
			goto out;
		json_object_set_new(*out, "not_voted", json_integer(waiting));
	}
	if (m.ranked)
		json_object_set_new(*out, "ranked", json_true());
	if (!m.committee && !secret && !m.ranked && delegate && m.round) {
		/* a delegate assembly: also the weights the rule will count */
		json_t *w = json_object();
		int64_t members = 0, wpresent = 0;
		int remote = !strcmp(m.mode, "online");
		rc = fed_weighted_counts(ctx->db, m.body_id, m.id, m.round, m.meeting_id,
					 remote, w, &members, &wpresent);
		if (!rc)
			json_object_set_new(*out, "weighted", json_pack("{s:O, s:I, s:I}",
				"counts", w, "members", (json_int_t)members,
				"present", (json_int_t)wpresent));
		json_decref(w);
	}
out:
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(counts);
	vote_row_release(&m);
	return rc;
}
