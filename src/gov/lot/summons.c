/*
 * summons.c: the summons of the people drawn, their seats, and every
 * vacancy (docs/polities.md, "The summons").
 *
 *   summoned -> accepted (seated at once in a free seat of the cohort)
 *            -> excuse_requested -> excused | summoned (the clerk decides;
 *               while the polity assembly has no clerk, the polity's rule)
 *            -> deferred (once per person and polity)
 *            -> no_answer (by the clock, at the deadline)
 *   accepted -> term_ended (the clock) | resigned | removed
 *
 * Every vacancy goes to the next person in rank order of the cohort's
 * latest draw who is still eligible at that moment (consent valid, no
 * seat anywhere, no other summons pending); those passed over are marked
 * skipped with why. The people called are part of each entry ("calls"),
 * and replay checks them against what these rules give. When the ranked
 * list runs out, a supplementary renewal is committed at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/people/people.h"
#include "banned.h"

/* Why a summons in this state takes no answer now, in words (not its
 * state's code). */
static const struct { const char *state, *why; } no_answer_now[] = {
	{ "excuse_requested", N_("this summons waits for the clerk's decision on your"
				 " excuse: it takes no answer now") },
	{ "accepted", N_("this summons is accepted already: it takes no answer now") },
	{ "excused", N_("you are excused from this summons: it takes no answer now") },
	{ "deferred", N_("this summons is deferred to the next renewal: it takes no"
			 " answer now") },
	{ "no_answer", N_("this summons lapsed without an answer: it takes no answer now") },
	{ "term_ended", N_("the term of this summons has ended: it takes no answer now") },
	{ "resigned", N_("you resigned this seat: the summons takes no answer now") },
	{ "removed", N_("the assembly removed you from this seat: the summons takes no"
			" answer now") },
};

static int no_answer_fail(struct px_error *err, const char *state)
{
	for (size_t i = 0; i < sizeof(no_answer_now) / sizeof(no_answer_now[0]); i++)
		if (!strcmp(no_answer_now[i].state, state))
			return px_fail_text(err, PX_E_CONFLICT, NULL, no_answer_now[i].why);
	return px_fail(err, PX_E_CONFLICT, NULL, "this summons takes no answer now");
}

#define DAY 86400

/* Why account may not be called now, or NULL when they may. */
static int ineligible(struct store *s, int64_t account, int64_t now, const char **why)
{
	int yes = 0, rc;
	*why = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM consents WHERE account_id = ?"
				      " AND expires_at > ?");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = store_exists(st, &yes)))
		return rc;
	if (!yes) {
		*why = "consent expired";
		return 0;
	}
	st = store_stmt(s, "SELECT 1 FROM polity_seats WHERE holder_id = ?");
	sqlite3_bind_int64(st, 1, account);
	if ((rc = store_exists(st, &yes)))
		return rc;
	if (yes) {
		*why = "holds a seat";
		return 0;
	}
	st = store_stmt(s, "SELECT 1 FROM summons WHERE account_id = ? AND state IN"
			" ('summoned', 'excuse_requested')");
	sqlite3_bind_int64(st, 1, account);
	if ((rc = store_exists(st, &yes)))
		return rc;
	if (yes)
		*why = "summoned elsewhere";
	return 0;
}

int lot_call_next(struct store *s, int64_t renewal_id, int64_t now, json_t *calls,
		  int *exhausted, struct px_error *err)
{
	int64_t polity_id = 0, cohort = 0, answer_days = 21;
	int row = 0, rc;
	*exhausted = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT r.polity_id, r.cohort, s.answer_days FROM"
		" renewals r JOIN polity_settings s ON s.polity_id = r.polity_id WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, renewal_id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "renewal", "no renewal %lld",
			       (long long)renewal_id);
	polity_id = sqlite3_column_int64(st, 0);
	cohort = sqlite3_column_int64(st, 1);
	answer_days = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	for (int64_t after = 0;;) {
		char handle[GOV_HANDLE_MAX + 1];
		const char *why = NULL;
		int64_t rank, account, summons = 0;
		int fits = 1;
		st = store_stmt(s, "SELECT x.place, x.account_id, a.handle FROM renewal_ranks x"
				" JOIN accounts a ON a.id = x.account_id WHERE x.renewal_id = ?"
				" AND x.state = 'waiting' AND x.place > ? ORDER BY x.place LIMIT 1");
		sqlite3_bind_int64(st, 1, renewal_id);
		sqlite3_bind_int64(st, 2, after);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (!row) {
			*exhausted = 1;
			json_array_append_new(calls, json_pack("{s:I, s:I}", "renewal",
				(json_int_t)renewal_id, "vacant", (json_int_t)cohort));
			return 0;
		}
		rank = sqlite3_column_int64(st, 0);
		account = sqlite3_column_int64(st, 1);
		snprintf(handle, sizeof(handle), "%s", (const char *)sqlite3_column_text(st, 2));
		sqlite3_reset(st);
		if ((rc = ineligible(s, account, now, &why)))
			return px_fail(err, rc, NULL, NULL);
		/* the polity's civil service is staff, never a member
		 * (src/gov/cases) */
		if (!why) {
			int servant = 0;
			sqlite3_stmt *cs = store_stmt(s, "SELECT 1 FROM civil_servants"
				" WHERE polity_id = ? AND account_id = ?");
			sqlite3_bind_int64(cs, 1, polity_id);
			sqlite3_bind_int64(cs, 2, account);
			if ((rc = store_exists(cs, &servant)))
				return px_fail(err, rc, NULL, NULL);
			if (servant)
				why = "a civil servant of the polity";
		}
		/* with quotas, the next whose profile keeps them all reachable on
		 * the seats of this draw; the others wait for a vacancy they fit
		 * (quota.c) */
		if (!why && (rc = lot_quota_fits(s, renewal_id, rank, &fits)))
			return px_fail(err, rc, NULL, NULL);
		if (!why && !fits) {
			after = rank;
			continue;
		}
		st = store_stmt(s, "UPDATE renewal_ranks SET state = ?3, why = ?4"
				" WHERE renewal_id = ?1 AND place = ?2");
		sqlite3_bind_int64(st, 1, renewal_id);
		sqlite3_bind_int64(st, 2, rank);
		sqlite3_bind_text(st, 3, why ? "skipped" : "called", -1, SQLITE_STATIC);
		if (why)
			sqlite3_bind_text(st, 4, why, -1, SQLITE_STATIC);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		if (why) {
			json_array_append_new(calls, json_pack("{s:I, s:I, s:s, s:s}", "renewal",
				(json_int_t)renewal_id, "rank", (json_int_t)rank, "person", handle,
				"skipped", why));
			continue;
		}
		st = store_stmt(s, "INSERT INTO summons(renewal_id, place, account_id, polity_id,"
				" cohort, state, summoned_at, deadline) VALUES (?, ?, ?, ?, ?,"
				" 'summoned', ?, ?) RETURNING id");
		sqlite3_bind_int64(st, 1, renewal_id);
		sqlite3_bind_int64(st, 2, rank);
		sqlite3_bind_int64(st, 3, account);
		sqlite3_bind_int64(st, 4, polity_id);
		sqlite3_bind_int64(st, 5, cohort);
		sqlite3_bind_int64(st, 6, now);
		sqlite3_bind_int64(st, 7, now + answer_days * DAY);
		if ((rc = store_int64(st, &summons, NULL)))
			return px_fail(err, rc, NULL, NULL);
		json_array_append_new(calls, json_pack("{s:I, s:I, s:s, s:I}", "renewal",
			(json_int_t)renewal_id, "rank", (json_int_t)rank, "person", handle,
			"summons", (json_int_t)summons));
		return 0;
	}
}

int lot_vacancy(struct store *s, int64_t polity_id, int64_t cohort, int64_t now,
		json_t *calls, struct px_error *err)
{
	int64_t renewal = 0;
	int found = 0, exhausted = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM renewals WHERE polity_id = ? AND"
				      " cohort = ? AND drawn_at IS NOT NULL ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	int rc = store_int64(st, &renewal, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return 0;
	return lot_call_next(s, renewal, now, calls, &exhausted, err);
}

int lot_calls_match(const json_t *p, const json_t *calls, struct px_error *err)
{
	const json_t *stated = json_object_get(p, "calls");
	if (!stated || !json_equal((json_t *)stated, (json_t *)calls))
		return px_fail(err, PX_E_BAD_INPUT, "calls", "the people the entry summons"
			       " are not the ones the ranked list and the rules give");
	return 0;
}

int lot_after_calls(struct store *s, int64_t now, int64_t polity_id, const json_t *calls,
		    struct px_error *err)
{
	size_t i;
	json_t *c;
	json_array_foreach(calls, i, c) {
		int64_t cohort = json_integer_value(json_object_get(c, "vacant"));
		int64_t free_seats = 0, ends = 0, commit_days = 14;
		int yes = 0, rc, row = 0;
		if (!cohort)
			continue;
		/* one supplementary renewal at a time per cohort */
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM renewals WHERE polity_id = ? AND"
					      " cohort = ? AND drawn_at IS NULL");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, cohort);
		if ((rc = store_exists(st, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (yes)
			continue;
		st = store_stmt(s, "SELECT (SELECT count(*) FROM polity_seats WHERE polity_id = ?1"
			" AND cohort = ?2 AND holder_id IS NULL) - (SELECT count(*) FROM summons"
			" WHERE polity_id = ?1 AND cohort = ?2 AND state IN ('summoned',"
			" 'excuse_requested')), (SELECT max(term_ends) FROM polity_seats WHERE"
			" polity_id = ?1 AND cohort = ?2), (SELECT commit_days FROM polity_settings"
			" WHERE polity_id = ?1)");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, cohort);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (row) {
			free_seats = sqlite3_column_int64(st, 0);
			ends = sqlite3_column_int64(st, 1);
			commit_days = sqlite3_column_int64(st, 2);
			sqlite3_reset(st);
		}
		int64_t draw_at = now + commit_days * DAY;
		if (free_seats <= 0 || draw_at >= ends)
			continue;
		if ((rc = lot_commit(s, now, polity_id, cohort, "supplementary", draw_at, ends,
				     free_seats, NULL, NULL, err)))
			return rc;
	}
	return 0;
}

/* ---- one summons ---- */

struct summons_row {
	int64_t id, renewal, account, polity, cohort, deadline, body;
	char state[24], handle[GOV_HANDLE_MAX + 1], slug[GOV_SLUG_SIZE];
};

static int summons_load(struct store *s, int64_t id, struct summons_row *m,
			struct px_error *err)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT m.renewal_id, m.account_id, m.polity_id,"
		" m.cohort, m.deadline, m.state, a.handle, p.slug, p.body_id FROM summons m"
		" JOIN accounts a ON a.id = m.account_id JOIN polities p ON p.id = m.polity_id"
		" WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no summons %lld", (long long)id);
	m->id = id;
	m->renewal = sqlite3_column_int64(st, 0);
	m->account = sqlite3_column_int64(st, 1);
	m->polity = sqlite3_column_int64(st, 2);
	m->cohort = sqlite3_column_int64(st, 3);
	m->deadline = sqlite3_column_int64(st, 4);
	snprintf(m->state, sizeof(m->state), "%s", (const char *)sqlite3_column_text(st, 5));
	snprintf(m->handle, sizeof(m->handle), "%s", (const char *)sqlite3_column_text(st, 6));
	snprintf(m->slug, sizeof(m->slug), "%s", (const char *)sqlite3_column_text(st, 7));
	m->body = sqlite3_column_int64(st, 8);
	sqlite3_reset(st);
	return 0;
}

static int set_state(struct store *s, int64_t id, const char *state, const char *reason,
		     int64_t ended_at)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE summons SET state = ?2,"
		" reason = coalesce(?3, reason), ended_at = coalesce(?4, ended_at) WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_TRANSIENT);
	if (ended_at)
		sqlite3_bind_int64(st, 4, ended_at);
	return store_run(st);
}

/* The clerk of the polity's assembly, 0 while the office is vacant. */
static int clerk_of(struct store *s, int64_t body_id, int64_t *holder)
{
	int found = 0;
	*holder = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT holder_id FROM offices WHERE body_id = ?"
				      " AND name = '" OFFICE_CLERK "' AND holder_id IS NOT NULL");
	sqlite3_bind_int64(st, 1, body_id);
	return store_int64(st, holder, &found);
}

/* Leave a seat: the seat is empty, the membership ended. */
static int leave_seat(struct store *s, const struct summons_row *m)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE memberships SET status = 'left'"
				      " WHERE body_id = ? AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, m->body);
	sqlite3_bind_int64(st, 2, m->account);
	int rc = store_run(st);
	if (rc)
		return rc;
	st = store_stmt(s, "UPDATE polity_seats SET holder_id = NULL WHERE holder_id = ?");
	sqlite3_bind_int64(st, 1, m->account);
	return store_run(st);
}

static int reason_listed(struct store *s, int64_t polity_id, const char *reason, int *yes)
{
	struct lot_settings set;
	*yes = 0;
	int rc = lot_settings_get(s, polity_id, &set);
	if (rc)
		return rc;
	json_t *list = json_loads(set.excuse_reasons, 0, NULL);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (reason && json_string_value(v) && !strcmp(reason, json_string_value(v)))
			*yes = 1;
	json_decref(list);
	return 0;
}

/* Whether the person of m deferred a summons of its polity already. */
static int deferred_once(struct store *s, const struct summons_row *m, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM summons WHERE account_id = ?"
				      " AND polity_id = ? AND (state = 'deferred' OR"
				      " resummoned = 1)");
	sqlite3_bind_int64(st, 1, m->account);
	sqlite3_bind_int64(st, 2, m->polity);
	return store_exists(st, yes);
}

static int apply_answer(struct store *s, const json_t *p, int64_t at, json_t *calls,
			struct px_error *err)
{
	struct summons_row m;
	const char *person = json_string_value(json_object_get(p, "person"));
	const char *answer = json_string_value(json_object_get(p, "answer"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	int rc = summons_load(s, json_integer_value(json_object_get(p, "summons")), &m, err);
	int yes = 0;
	if (rc)
		return rc;
	if (!person || strcmp(person, m.handle))
		return px_fail(err, PX_E_FORBIDDEN, NULL, "this summons is someone else's");
	if (strcmp(m.state, "summoned"))
		return px_fail(err, PX_E_CONFLICT, NULL, "this summons was answered already");
	if (at >= m.deadline)
		return px_fail(err, PX_E_PAST_DEADLINE, NULL, "the deadline to answer has passed");
	if (answer && !strcmp(answer, "accept")) {
		int64_t seat = json_integer_value(json_object_get(p, "seat"));
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM polity_seats WHERE holder_id = ?");
		sqlite3_bind_int64(st, 1, m.account);
		if ((rc = store_exists(st, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (yes)
			return px_fail(err, PX_E_LOT_INELIGIBLE, NULL, "you hold a seat already:"
				       " one seat, in one assembly, at a time");
		st = store_stmt(s, "UPDATE polity_seats SET holder_id = ?4 WHERE polity_id = ?1"
				" AND cohort = ?2 AND seat = ?3 AND holder_id IS NULL");
		sqlite3_bind_int64(st, 1, m.polity);
		sqlite3_bind_int64(st, 2, m.cohort);
		sqlite3_bind_int64(st, 3, seat);
		sqlite3_bind_int64(st, 4, m.account);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		if (sqlite3_changes(store_db(s)) != 1)
			return px_fail(err, PX_E_CONFLICT, "seat", "seat %lld of cohort %lld is"
				       " not free", (long long)seat, (long long)m.cohort);
		st = store_stmt(s, "UPDATE summons SET state = 'accepted', seat = ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, seat);
		sqlite3_bind_int64(st, 2, m.id);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status, basis,"
				" since) VALUES (?1, ?2, 'active', 'lot', ?3) ON CONFLICT(body_id,"
				" account_id) DO UPDATE SET status = 'active', basis = 'lot',"
				" since = excluded.since");
		sqlite3_bind_int64(st, 1, m.body);
		sqlite3_bind_int64(st, 2, m.account);
		sqlite3_bind_int64(st, 3, at);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		return 0;
	}
	if (answer && !strcmp(answer, "excuse")) {
		struct lot_settings set;
		int64_t clerk = 0;
		if ((rc = reason_listed(s, m.polity, reason, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (!yes)
			return px_fail(err, PX_E_BAD_INPUT, "reason", "an excuse gives one of the"
				       " reasons the polity lists");
		if ((rc = clerk_of(s, m.body, &clerk)) ||
		    (rc = lot_settings_get(s, m.polity, &set)))
			return px_fail(err, rc, NULL, NULL);
		if (clerk && !(rc = set_state(s, m.id, "excuse_requested", reason, 0))) {
			/* a new request: a decision on an earlier one no longer stands */
			sqlite3_stmt *st = store_stmt(s, "UPDATE summons SET excuse_decision ="
						      " NULL, decision_reason = NULL WHERE id = ?");
			sqlite3_bind_int64(st, 1, m.id);
			rc = store_run(st);
		}
		else if (!strcmp(set.excuse_rule, "grant"))
			rc = set_state(s, m.id, "excused", reason, at);
		else /* the rule refuses while nobody holds the office */
			rc = set_state(s, m.id, "summoned", reason, 0);
		if (rc)
			return px_fail(err, rc, NULL, NULL);
		if (!clerk && !strcmp(set.excuse_rule, "grant"))
			return lot_vacancy(s, m.polity, m.cohort, at, calls, err);
		return 0;
	}
	if (answer && !strcmp(answer, "defer")) {
		if ((rc = deferred_once(s, &m, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (yes)
			return px_fail(err, PX_E_CONFLICT, "answer", "a summons of this polity may"
				       " be deferred once");
		if ((rc = set_state(s, m.id, "deferred", reason, at)))
			return px_fail(err, rc, NULL, NULL);
		return lot_vacancy(s, m.polity, m.cohort, at, calls, err);
	}
	return px_fail(err, PX_E_BAD_INPUT, "answer", "the answer is accept, excuse or defer");
}

int lot_apply_answer(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	json_t *calls = json_array();
	int rc = apply_answer(s, p, at, calls, err);
	if (!rc)
		rc = lot_calls_match(p, calls, err);
	json_decref(calls);
	return rc;
}

static int apply_excuse(struct store *s, const json_t *p, int64_t at, json_t *calls,
			struct px_error *err)
{
	struct summons_row m;
	int grant = json_is_true(json_object_get(p, "grant"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	int rc = summons_load(s, json_integer_value(json_object_get(p, "summons")), &m, err);
	if (rc)
		return rc;
	if (strcmp(m.state, "excuse_requested"))
		return px_fail(err, PX_E_CONFLICT, NULL, "no excuse is waiting for a decision");
	/* the person's reason stays; the clerk's is kept beside it */
	if ((rc = set_state(s, m.id, grant ? "excused" : "summoned", NULL, grant ? at : 0)))
		return px_fail(err, rc, NULL, NULL);
	sqlite3_stmt *st = store_stmt(s, "UPDATE summons SET excuse_decision = ?2,"
				      " decision_reason = ?3 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, m.id);
	sqlite3_bind_text(st, 2, grant ? "granted" : "refused", -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 3, reason, -1, SQLITE_TRANSIENT);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return grant ? lot_vacancy(s, m.polity, m.cohort, at, calls, err) : 0;
}

int lot_apply_excuse(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	json_t *calls = json_array();
	int rc = apply_excuse(s, p, at, calls, err);
	if (!rc)
		rc = lot_calls_match(p, calls, err);
	json_decref(calls);
	return rc;
}

/* What a summons that reached its deadline becomes: an excuse asked in
 * time and not decided is granted ("excused": the person answered; the
 * clerk's silence does not make them serve); no answer at all is what
 * the polity's no_answer says: "no_answer" (vacate), or "deferred" to
 * the cohort's next renewal when it says defer and the person never
 * deferred in this polity (deferring is once; a second time vacates). */
static int lapse_outcome(struct store *s, const struct summons_row *m, const char **out)
{
	struct lot_settings set;
	int yes = 0, rc;
	*out = "no_answer";
	if (!strcmp(m->state, "excuse_requested")) {
		*out = "excused";
		return 0;
	}
	if ((rc = lot_settings_get(s, m->polity, &set)))
		return rc;
	if (strcmp(set.no_answer, "defer"))
		return 0;
	if ((rc = deferred_once(s, m, &yes)))
		return rc;
	if (!yes)
		*out = "deferred";
	return 0;
}

static int apply_lapse(struct store *s, const json_t *p, int64_t at, json_t *calls,
		       struct px_error *err)
{
	struct summons_row m;
	const char *outcome = NULL;
	const json_t *stated = json_object_get(p, "outcome");
	int rc = summons_load(s, json_integer_value(json_object_get(p, "summons")), &m, err);
	if (rc)
		return rc;
	int waiting = !strcmp(m.state, "excuse_requested");
	if ((strcmp(m.state, "summoned") && !waiting) || at < m.deadline)
		return px_fail(err, PX_E_CONFLICT, NULL, "a summons lapses unanswered at its"
			       " deadline");
	if ((rc = lapse_outcome(s, &m, &outcome)))
		return px_fail(err, rc, NULL, NULL);
	/* entries from before the polity could defer omit it */
	if (stated && (!json_string_value(stated) ||
		       strcmp(json_string_value(stated), outcome)))
		return px_fail(err, PX_E_BAD_INPUT, "outcome", "the summons becomes %s by the"
			       " polity's rules", outcome);
	if ((rc = set_state(s, m.id, outcome, NULL, at)))
		return px_fail(err, rc, NULL, NULL);
	return lot_vacancy(s, m.polity, m.cohort, at, calls, err);
}

int lot_apply_lapse(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	json_t *calls = json_array();
	int rc = apply_lapse(s, p, at, calls, err);
	if (!rc)
		rc = lot_calls_match(p, calls, err);
	json_decref(calls);
	return rc;
}

static int apply_resign(struct store *s, const json_t *p, int64_t at, json_t *calls,
			struct px_error *err)
{
	struct summons_row m;
	const char *person = json_string_value(json_object_get(p, "person"));
	int rc = summons_load(s, json_integer_value(json_object_get(p, "summons")), &m, err);
	if (rc)
		return rc;
	if (!person || strcmp(person, m.handle) || strcmp(m.state, "accepted"))
		return px_fail(err, PX_E_CONFLICT, NULL, "only the holder of a seat resigns it");
	if ((rc = set_state(s, m.id, "resigned", NULL, at)) || (rc = leave_seat(s, &m)))
		return px_fail(err, rc, NULL, NULL);
	return lot_vacancy(s, m.polity, m.cohort, at, calls, err);
}

int lot_apply_resign(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	json_t *calls = json_array();
	int rc = apply_resign(s, p, at, calls, err);
	if (!rc)
		rc = lot_calls_match(p, calls, err);
	json_decref(calls);
	return rc;
}

int lot_remove_seat(struct store *s, int64_t body_id, const char *handle, int64_t now,
		    json_t *calls, int64_t *polity_id, struct px_error *err)
{
	struct summons_row m;
	int64_t id = 0;
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT m.id FROM summons m JOIN polities p ON"
		" p.id = m.polity_id JOIN accounts a ON a.id = m.account_id WHERE"
		" p.body_id = ? AND a.handle = ? AND m.state = 'accepted'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, handle ? handle : "", -1, SQLITE_TRANSIENT);
	int rc = store_int64(st, &id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_CONFLICT, "params.member", "%s holds no seat of this"
			       " assembly any more", handle ? handle : "");
	if ((rc = summons_load(s, id, &m, err)))
		return rc;
	*polity_id = m.polity;
	if ((rc = set_state(s, m.id, "removed", NULL, now)) || (rc = leave_seat(s, &m)))
		return px_fail(err, rc, NULL, NULL);
	return lot_vacancy(s, m.polity, m.cohort, now, calls, err);
}

/* Apply, record the calls in the payload, journal, and commit a
 * supplementary renewal if the alternates ran out. */
static int act(struct store *s, int64_t now, const char *actor, const char *slug,
	       int64_t polity_id, const char *action,
	       int (*apply)(struct store *, const json_t *, int64_t, json_t *, struct px_error *),
	       json_t *p, struct px_error *err)
{
	json_t *calls = json_array();
	int rc = apply(s, p, now, calls, err);
	if (!rc) {
		json_object_set(p, "calls", calls);
		rc = journal_append(s, now, actor, slug, action, p, NULL);
	}
	if (!rc)
		rc = lot_after_calls(s, now, polity_id, calls, err);
	json_decref(calls);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

int lot_summons_tick(struct store *s, int64_t now, int64_t only_polity, int64_t *made,
		     struct px_error *err)
{
	int64_t ids[64];
	int rc = 0;
	/* a few at a time: each lapse may summon the next, whose deadline
	 * is later, so the loop ends */
	for (;;) {
		size_t n = 0;
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM summons WHERE state IN"
			" ('summoned', 'excuse_requested') AND deadline <= ?1"
			" AND (?2 = 0 OR polity_id = ?2) ORDER BY deadline, id LIMIT 64");
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, only_polity);
		while (store_next(st, &rc))
			ids[n++] = sqlite3_column_int64(st, 0);
		if (rc || !n)
			return rc;
		for (size_t i = 0; i < n; i++) {
			struct summons_row m;
			if ((rc = summons_load(s, ids[i], &m, err)))
				return rc;
			const char *outcome = NULL;
			if ((rc = lapse_outcome(s, &m, &outcome)))
				return px_fail(err, rc, NULL, NULL);
			json_t *p = json_pack("{s:I, s:s, s:s, s:s}", "summons", (json_int_t)m.id,
					      "summoned", m.handle, "polity", m.slug,
					      "outcome", outcome);
			if (!p)
				return px_fail(err, PX_E_NOMEM, NULL, NULL);
			rc = act(s, now, "operator", m.slug, m.polity, "summons.lapse",
				 apply_lapse, p, err);
			json_decref(p);
			if (rc)
				return rc;
			if (made)
				(*made)++;
		}
	}
}

/* ---- the person's side ---- */

static int summons_json(struct store *s, int64_t id, int64_t now, json_t **out)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT m.id, p.slug, p.name, m.renewal_id, m.cohort,"
		" m.state, m.deadline, r.draw_at, r.term_ends, m.seat, m.reason,"
		" st.excuse_reasons, EXISTS (SELECT 1 FROM summons d WHERE d.account_id ="
		" m.account_id AND d.polity_id = m.polity_id AND (d.state = 'deferred' OR"
		" d.resummoned = 1)), m.summoned_at, m.ended_at, st.no_answer,"
		" m.excuse_decision, m.decision_reason FROM summons m"
		" JOIN polities p ON p.id = m.polity_id"
		" JOIN renewals r ON r.id = m.renewal_id JOIN polity_settings st"
		" ON st.polity_id = m.polity_id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	const char *state = (const char *)sqlite3_column_text(st, 5);
	int64_t deadline = sqlite3_column_int64(st, 6);
	json_t *can = json_array();
	if (!strcmp(state, "summoned") && now < deadline) {
		json_array_append_new(can, json_string("accept"));
		json_array_append_new(can, json_string("excuse"));
		if (!sqlite3_column_int(st, 12))
			json_array_append_new(can, json_string("defer"));
	} else if (!strcmp(state, "accepted")) {
		json_array_append_new(can, json_string("resign"));
	}
	json_t *reasons = json_loads((const char *)sqlite3_column_text(st, 11), 0, NULL);
	/* what silence at the deadline does to this summons (no_answer) */
	const char *silence = !strcmp((const char *)sqlite3_column_text(st, 15), "defer") &&
			      !sqlite3_column_int(st, 12) ? "defer" : "vacate";
	*out = json_pack("{s:I, s:{s:s, s:s}, s:I, s:I, s:s, s:I, s:I, s:I, s:o, s:o, s:o,"
			 " s:o, s:I, s:o, s:s}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"polity", "slug", (const char *)sqlite3_column_text(st, 1),
		"name", (const char *)sqlite3_column_text(st, 2),
		"renewal", (json_int_t)sqlite3_column_int64(st, 3),
		"cohort", (json_int_t)sqlite3_column_int64(st, 4),
		"state", state, "deadline", (json_int_t)deadline,
		"term_starts", (json_int_t)sqlite3_column_int64(st, 7),
		"term_ends", (json_int_t)sqlite3_column_int64(st, 8),
		"seat", sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null()
			: json_integer(sqlite3_column_int64(st, 9)),
		"reason", sqlite3_column_type(st, 10) == SQLITE_NULL ? json_null()
			: json_string((const char *)sqlite3_column_text(st, 10)),
		"reasons", reasons ? reasons : json_array(),
		"can", can,
		"summoned_at", (json_int_t)sqlite3_column_int64(st, 13),
		"ended_at", sqlite3_column_type(st, 14) == SQLITE_NULL ? json_null()
			: json_integer(sqlite3_column_int64(st, 14)),
		"no_answer", silence);
	/* the clerk's decision on the person's excuse, beside their reason */
	if (*out && sqlite3_column_type(st, 16) != SQLITE_NULL)
		json_object_set_new(*out, "excuse_decision", json_pack("{s:s, s:s?}",
			"decision", (const char *)sqlite3_column_text(st, 16),
			"reason", (const char *)sqlite3_column_text(st, 17)));
	else if (*out)
		json_object_set_new(*out, "excuse_decision", json_null());
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

int gov_my_summons(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	int rc = gov_require_account(ctx, err);
	*out = NULL;
	if (rc)
		return rc;
	json_t *list = json_array(), *receipts = json_array();
	int64_t ids[256];
	size_t n = 0;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id FROM summons WHERE account_id = ?"
				      " ORDER BY id DESC LIMIT 256");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	while (store_next(st, &rc))
		ids[n++] = sqlite3_column_int64(st, 0);
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *m = NULL;
		if (!(rc = summons_json(ctx->db, ids[i], ctx->now, &m)))
			json_array_append_new(list, m);
	}
	if (!rc) {
		st = store_stmt(ctx->db, "SELECT x.renewal_id, p.slug, x.leaf, x.salt FROM"
			" renewal_salts x JOIN renewals r ON r.id = x.renewal_id JOIN polities p"
			" ON p.id = r.polity_id WHERE x.account_id = ? ORDER BY x.renewal_id DESC");
		sqlite3_bind_int64(st, 1, ctx->account_id);
		while (store_next(st, &rc))
			json_array_append_new(receipts, json_pack("{s:I, s:s, s:s, s:s, s:s}",
				"renewal", (json_int_t)sqlite3_column_int64(st, 0),
				"polity", (const char *)sqlite3_column_text(st, 1),
				"id", ctx->handle,
				"leaf", (const char *)sqlite3_column_text(st, 2),
				"salt", (const char *)sqlite3_column_text(st, 3)));
	}
	if (rc) {
		json_decref(list);
		json_decref(receipts);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = json_pack("{s:o, s:o}", "summons", list, "receipts", receipts);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

struct answer_args {
	const struct gov_ctx *ctx;
	int64_t id;
	const char *answer, *reason, *polity;
	int grant;
	int kind; /* 0 answer, 1 excuse decision, 2 resign */
	json_t *out;
	struct px_error *err;
};

static int answer_tx(struct store *s, void *arg)
{
	struct answer_args *a = arg;
	const struct gov_ctx *ctx = a->ctx;
	struct summons_row m;
	json_t *p = NULL;
	int rc;
	json_decref(a->out);
	a->out = NULL;
	/* the clock first: a deadline passed is passed */
	if ((rc = lot_clock_tick(s, ctx->now, 0, NULL, a->err)))
		return rc;
	if (a->kind == 2) {
		int64_t polity_id = 0;
		int found = 0;
		if ((rc = lot_polity_by_slug(s, a->polity, &polity_id, NULL, NULL, a->err)))
			return rc;
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM summons WHERE account_id = ? AND"
					      " polity_id = ? AND state = 'accepted'");
		sqlite3_bind_int64(st, 1, ctx->account_id);
		sqlite3_bind_int64(st, 2, polity_id);
		if ((rc = store_int64(st, &a->id, &found)))
			return px_fail(a->err, rc, NULL, NULL);
		if (!found)
			return px_fail(a->err, PX_E_CONFLICT, "polity", "you hold no seat in"
				       " this polity's assembly");
	}
	if ((rc = summons_load(s, a->id, &m, a->err)))
		return rc;
	if (a->kind == 0) {
		if (m.account != ctx->account_id)
			return px_fail(a->err, PX_E_FORBIDDEN, NULL, "this summons is someone"
				       " else's: only its person answers it");
		if (strcmp(m.state, "summoned"))
			return no_answer_fail(a->err, m.state);
		if (ctx->now >= m.deadline)
			return px_fail(a->err, PX_E_PAST_DEADLINE, NULL, NULL);
		p = json_pack("{s:I, s:s, s:s}", "summons", (json_int_t)m.id, "person",
			      ctx->handle, "answer", a->answer);
		if (p && a->reason)
			json_object_set_new(p, "reason", json_string(a->reason));
		if (p && !strcmp(a->answer, "accept")) {
			int64_t seat = 0;
			int found = 0;
			sqlite3_stmt *st = store_stmt(s, "SELECT min(seat) FROM polity_seats WHERE"
				" polity_id = ? AND cohort = ? AND holder_id IS NULL HAVING count(*) > 0");
			sqlite3_bind_int64(st, 1, m.polity);
			sqlite3_bind_int64(st, 2, m.cohort);
			if ((rc = store_int64(st, &seat, &found)))
				goto out;
			if (!found) {
				rc = px_fail(a->err, PX_E_CONFLICT, NULL, "no seat of cohort %lld"
					     " is free", (long long)m.cohort);
				goto out;
			}
			json_object_set_new(p, "seat", json_integer(seat));
		}
		if (!p) {
			rc = PX_E_NOMEM;
			goto out;
		}
		rc = act(s, ctx->now, gov_actor(ctx), m.slug, m.polity, "summons.answer",
			 apply_answer, p, a->err);
	} else if (a->kind == 1) {
		int64_t clerk = 0;
		if ((rc = clerk_of(s, m.body, &clerk)))
			goto out;
		if (!clerk || clerk != ctx->account_id) {
			rc = px_fail(a->err, PX_E_FORBIDDEN, NULL, "the clerk of the polity's"
				     " assembly decides excuses");
			goto out;
		}
		if (strcmp(m.state, "excuse_requested")) {
			rc = px_fail(a->err, PX_E_CONFLICT, NULL, "no excuse is waiting for a"
				     " decision");
			goto out;
		}
		p = json_pack("{s:I, s:b, s:s}", "summons", (json_int_t)m.id, "grant", a->grant,
			      "reason", a->reason);
		rc = p ? act(s, ctx->now, gov_actor(ctx), m.slug, m.polity, "summons.excuse",
			     apply_excuse, p, a->err) : PX_E_NOMEM;
	} else {
		p = json_pack("{s:I, s:s, s:s}", "summons", (json_int_t)m.id, "person",
			      ctx->handle, "polity", m.slug);
		rc = p ? act(s, ctx->now, gov_actor(ctx), m.slug, m.polity, "seat.resign",
			     apply_resign, p, a->err) : PX_E_NOMEM;
	}
	if (!rc)
		rc = summons_json(s, m.id, ctx->now, &a->out);
out:
	json_decref(p);
	if (rc && a->err && !a->err->code)
		px_fail(a->err, rc, NULL, NULL);
	return rc;
}

static int run_answer(const struct gov_ctx *ctx, struct answer_args *a, json_t **out)
{
	int rc = store_tx(ctx->db, answer_tx, a);
	if (rc) {
		json_decref(a->out);
		return a->err && !a->err->code ? px_fail(a->err, rc, NULL, NULL) : rc;
	}
	*out = a->out;
	return 0;
}

int gov_summons_answer(const struct gov_ctx *ctx, int64_t id, const char *answer,
		       const char *reason, json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!answer || (strcmp(answer, "accept") && strcmp(answer, "excuse") &&
			strcmp(answer, "defer")))
		return px_fail(err, PX_E_BAD_INPUT, "answer", "the answer is accept, excuse"
			       " or defer");
	if (!strcmp(answer, "excuse") && !reason)
		return px_fail(err, PX_E_MISSING_FIELD, "reason", "an excuse gives a reason"
			       " from the polity's list");
	if (reason && (!*reason || strlen(reason) > 200))
		return px_fail(err, PX_E_BAD_INPUT, "reason", "a reason has 1 to 200 bytes");
	struct answer_args a = { ctx, id, answer, reason, NULL, 0, 0, NULL, err };
	return run_answer(ctx, &a, out);
}

int gov_summons_excuse(const struct gov_ctx *ctx, int64_t id, int grant, const char *reason,
		       json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!reason || !*reason || strlen(reason) > 1000)
		return px_fail(err, PX_E_BAD_INPUT, "reason", "a decision on an excuse gives"
			       " its reason (1 to 1,000 bytes)");
	struct answer_args a = { ctx, id, NULL, reason, NULL, grant, 1, NULL, err };
	return run_answer(ctx, &a, out);
}

int gov_seat_resign(const struct gov_ctx *ctx, const char *slug, json_t **out,
		    struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, "polity", "no polity '%s'", slug ? slug : "");
	struct answer_args a = { ctx, 0, NULL, NULL, slug, 0, 2, NULL, err };
	return run_answer(ctx, &a, out);
}

/* ---- the clerk's side ---- */

int gov_polity_excuses(const struct gov_ctx *ctx, const char *slug, json_t **out,
		       struct px_error *err)
{
	int64_t polity_id = 0, body_id = 0, clerk = 0;
	struct lot_settings set;
	json_t *list = NULL, *reasons = NULL;
	int rc = gov_require_account(ctx, err), yes = 0;
	*out = NULL;
	if (rc)
		return rc;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", slug ? slug : "");
	if ((rc = lot_polity_by_slug(ctx->db, slug, &polity_id, NULL, &body_id, err)))
		return rc;
	if ((rc = clerk_of(ctx->db, body_id, &clerk)) ||
	    (rc = lot_settings_get(ctx->db, polity_id, &set)))
		return px_fail(err, rc, NULL, NULL);
	/* the requests name who asked and why: the clerk sees them; while
	 * nobody holds the office, the members of the assembly (the polity's
	 * rule decides each request as it comes; one asked before the office
	 * fell vacant is granted at its deadline) */
	if (clerk) {
		yes = clerk == ctx->account_id;
	} else {
		sqlite3_stmt *st = store_stmt(ctx->db, "SELECT 1 FROM polity_seats WHERE"
					      " polity_id = ? AND holder_id = ?");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, ctx->account_id);
		if ((rc = store_exists(st, &yes)))
			return px_fail(err, rc, NULL, NULL);
	}
	if (!yes)
		return px_fail(err, PX_E_FORBIDDEN, NULL, clerk ? "the clerk of the polity's"
			       " assembly decides excuses: only they see the requests"
			       : "while nobody holds the clerk office, the members of the"
			       " polity's assembly see the requests");
	list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT m.id, a.handle, a.display_name,"
		" m.cohort, m.reason, m.summoned_at, m.deadline, m.renewal_id FROM summons m"
		" JOIN accounts a ON a.id = m.account_id WHERE m.polity_id = ? AND"
		" m.state = 'excuse_requested' ORDER BY m.deadline, m.id");
	sqlite3_bind_int64(st, 1, polity_id);
	while (list && store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:s?, s:I, s:I, s:I}",
			"summons", (json_int_t)sqlite3_column_int64(st, 0),
			"person", (const char *)sqlite3_column_text(st, 1),
			"name", (const char *)sqlite3_column_text(st, 2),
			"cohort", (json_int_t)sqlite3_column_int64(st, 3),
			"reason", (const char *)sqlite3_column_text(st, 4),
			"summoned_at", (json_int_t)sqlite3_column_int64(st, 5),
			"deadline", (json_int_t)sqlite3_column_int64(st, 6),
			"renewal", (json_int_t)sqlite3_column_int64(st, 7)));
	reasons = json_loads(set.excuse_reasons, 0, NULL);
	if (rc || !list) {
		json_decref(list);
		json_decref(reasons);
		return px_fail(err, rc ? rc : PX_E_NOMEM, NULL, NULL);
	}
	*out = json_pack("{s:s, s:b, s:s, s:s, s:o, s:o}", "polity", slug,
			 "clerk_office_held", clerk != 0, "decided_by", clerk ? "clerk" : "rule",
			 "excuse_rule", set.excuse_rule, "reasons", reasons ? reasons : json_array(),
			 "requests", list);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}
