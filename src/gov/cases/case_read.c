/*
 * case_read.c: reading cases: a polity's list with its dashboard, and one
 * case with its timeline (who decided each step), its recommendations
 * with their diffs against the law they change, and the law as it stands.
 * Anyone may read them: a case is public business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/errors.h"
#include "core/ical.h"
#include "core/strbuf.h"
#include "store/store.h"
#include "gov/cases/cases.h"
#include "gov/cases/cases_apply.h"
#include "banned.h"

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

static json_t *col_int_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
		: json_integer(sqlite3_column_int64(st, i));
}

static json_t *col_text_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
		: json_string(col(st, i));
}

#define CASE_COLUMNS \
	"c.id, c.title, c.state, c.law_number, c.absence, c.opened_at, c.updated_at," \
	" c.deadline, c.review_at, a.handle, a.display_name, (SELECT v.title FROM laws l" \
	" JOIN law_versions v ON v.law_id = l.id WHERE l.body_id = p.body_id AND" \
	" l.number = c.law_number ORDER BY v.version DESC LIMIT 1), (SELECT min(b.deadline)" \
	" FROM case_briefs b WHERE b.case_id = c.id AND b.evidence_id IS NULL)"

/* A case's summary from a row of CASE_COLUMNS, at now. */
static json_t *summary(sqlite3_stmt *st, int64_t now)
{
	const char *state = col(st, 2);
	int64_t deadline = sqlite3_column_int64(st, 7), review = sqlite3_column_int64(st, 8);
	json_t *c = json_pack("{s:I, s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:{s:s, s:s},"
			      " s:o}",
		"id", (json_int_t)sqlite3_column_int64(st, 0), "title", col(st, 1),
		"state", state, "law", col_int_or_null(st, 3), "absence", col_text_or_null(st, 4),
		"opened_at", (json_int_t)sqlite3_column_int64(st, 5),
		"updated_at", (json_int_t)sqlite3_column_int64(st, 6),
		"deadline", col_int_or_null(st, 7), "review_at", col_int_or_null(st, 8),
		"petitioner", "handle", col(st, 9), "name", col(st, 10),
		"law_title", col_text_or_null(st, 11));
	/* a recommendation past its deadline; a review whose date has come */
	json_object_set_new(c, "overdue", json_boolean(!strcmp(state, "remedy_requested") &&
						       deadline && deadline < now));
	json_object_set_new(c, "review_due", json_boolean(!strcmp(state, "in_force") &&
							  review && review <= now));
	/* an evidence brief the civil service owes, past its deadline */
	json_object_set_new(c, "brief_due", col_int_or_null(st, 12));
	json_object_set_new(c, "brief_overdue", json_boolean(
		sqlite3_column_type(st, 12) != SQLITE_NULL && sqlite3_column_int64(st, 12) < now));
	return c;
}

static int servants_json(struct store *s, int64_t polity_id, json_t **out)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, a.display_name, v.added_at FROM"
		" civil_servants v JOIN accounts a ON a.id = v.account_id WHERE v.polity_id = ?"
		" ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, polity_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:I}", "handle", col(st, 0),
			"name", col(st, 1), "added_at", (json_int_t)sqlite3_column_int64(st, 2)));
	*out = list;
	return rc;
}

static const char *const states[] = {
	"petitioned", "declined", "hearing", "harm_found", "no_harm", "remedy_requested",
	"recommendation_received", "in_force", "under_review", "withdrawn", NULL };

int gov_case_list(const struct gov_ctx *ctx, const char *polity, const char *state,
		  json_t **out, struct px_error *err)
{
	*out = NULL;
	int found = 0;
	if (state && *state) {
		for (int i = 0; states[i]; i++)
			found |= !strcmp(states[i], state);
		if (!found)
			return px_fail(err, PX_E_BAD_INPUT, "state", "no state '%s'", state);
	}
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT p.id, p.slug, p.name FROM polities p"
				      " WHERE p.slug = ?");
	sqlite3_bind_text(st, 1, polity ? polity : "", -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", polity ? polity : "");
	int64_t pid = sqlite3_column_int64(st, 0);
	json_t *o = json_pack("{s:{s:s, s:s, s:s}}", "polity", "slug", col(st, 1), "name",
			      col(st, 2), "assembly", col(st, 1));
	sqlite3_reset(st);
	json_t *servants = NULL, *cases = json_array(), *by_state = json_object();
	json_t *in_force = json_array(), *due = json_array(), *overdue = json_array();
	if ((rc = servants_json(ctx->db, pid, &servants)))
		goto out;
	st = store_stmt(ctx->db, "SELECT " CASE_COLUMNS " FROM cases c JOIN polities p"
		" ON p.id = c.polity_id JOIN accounts a ON a.id = c.petitioner_id"
		" WHERE c.polity_id = ? ORDER BY c.updated_at DESC, c.id DESC");
	sqlite3_bind_int64(st, 1, pid);
	while (store_next(st, &rc)) {
		json_t *c = summary(st, ctx->now);
		const char *cs = json_string_value(json_object_get(c, "state"));
		json_object_set_new(by_state, cs, json_integer(
			json_integer_value(json_object_get(by_state, cs)) + 1));
		if (!strcmp(cs, "in_force") || !strcmp(cs, "under_review"))
			json_array_append(in_force, c);
		if (json_is_true(json_object_get(c, "review_due")) || !strcmp(cs, "under_review"))
			json_array_append(due, c);
		if (json_is_true(json_object_get(c, "overdue")) ||
		    json_is_true(json_object_get(c, "brief_overdue")))
			json_array_append(overdue, c);
		if (!state || !*state || !strcmp(state, cs))
			json_array_append(cases, c);
		json_decref(c);
	}
	if (rc)
		goto out;
	json_object_set_new(o, "civil_service", servants);
	json_object_set_new(o, "cases", cases);
	json_object_set_new(o, "states", json_pack("[s,s,s,s,s,s,s,s,s,s]", states[0],
		states[1], states[2], states[3], states[4], states[5], states[6], states[7],
		states[8], states[9]));
	json_object_set_new(o, "dashboard", json_pack("{s:o, s:o, s:o, s:o}", "in_force",
		in_force, "reviews_due", due, "overdue", overdue, "by_state", by_state));
	*out = o;
	return 0;
out:
	json_decref(o);
	json_decref(servants);
	json_decref(cases);
	json_decref(by_state);
	json_decref(in_force);
	json_decref(due);
	json_decref(overdue);
	return px_fail(err, rc, NULL, NULL);
}

/* The motion behind a step: its title, outcome, meeting, and who decided
 * it: the members who voted, with their choice when the ballot was open
 * (a secret ballot shows who voted, never what). */
static int step_motion_json(struct store *s, int64_t id, json_t **out)
{
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT m.title, m.status, m.meeting_id,"
		" m.decided_at, m.ballot, m.round, m.result, (SELECT starts_at FROM meetings"
		" WHERE id = m.meeting_id) FROM motions m WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc || !row)
		return rc;
	int secret = !strcmp(col(st, 4), "secret");
	int64_t round = sqlite3_column_int64(st, 5);
	json_t *result = json_loads(col(st, 6), 0, NULL);
	json_t *m = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)id,
		"title", col(st, 0), "status", col(st, 1), "meeting", col_int_or_null(st, 2),
		"meeting_starts_at", col_int_or_null(st, 7), "decided_at", col_int_or_null(st, 3),
		"counts", json_object_get(result, "counts") ? json_incref(
			json_object_get(result, "counts")) : json_null(),
		"secret", json_boolean(secret));
	json_decref(result);
	sqlite3_reset(st);
	json_t *voters = json_array();
	st = store_stmt(s, secret
		? "SELECT a.handle, a.display_name, NULL FROM voters v JOIN accounts a"
		  " ON a.id = v.account_id WHERE v.motion_id = ? AND v.round = ? ORDER BY a.handle"
		: "SELECT a.handle, a.display_name, v.position FROM votes v JOIN accounts a"
		  " ON a.id = v.account_id WHERE v.motion_id = ? AND v.round = ? ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, round);
	while (store_next(st, &rc)) {
		json_t *v = json_pack("{s:s, s:s}", "handle", col(st, 0), "name", col(st, 1));
		if (!secret)
			json_object_set_new(v, "position", json_string(col(st, 2)));
		json_array_append_new(voters, v);
	}
	json_object_set_new(m, "voters", voters);
	if (rc) {
		json_decref(m);
		return rc;
	}
	*out = m;
	return 0;
}

static json_t *diff_json(const char *a, const char *b)
{
	static const char *const ops[] = { "same", "del", "add" };
	struct diff d = { 0 };
	if (diff_lines(a, b, &d))
		return json_null();
	json_t *lines = json_array();
	for (size_t i = 0; i < d.n; i++)
		json_array_append_new(lines, json_pack("{s:s, s:s%}", "op", ops[d.lines[i].op],
						       "text", d.lines[i].text, d.lines[i].len));
	json_t *o = json_pack("{s:I, s:I, s:o}", "added", (json_int_t)d.added, "deleted",
			      (json_int_t)d.deleted, "lines", lines);
	diff_release(&d);
	return o;
}

static int recommendations_json(struct store *s, const struct case_row *c, json_t *o)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT r.id, a.handle, a.display_name, r.law_number,"
		" r.base_version, r.title, r.text, r.rationale, r.effect, r.measures,"
		" r.alternatives, r.submitted_at, r.state, r.motion_id, r.reasons, r.law_version"
		" FROM case_recommendations r JOIN accounts a ON a.id = r.author_id"
		" WHERE r.case_id = ? ORDER BY r.id");
	sqlite3_bind_int64(st, 1, c->id);
	while (store_next(st, &rc)) {
		json_t *r = json_pack("{s:I, s:{s:s, s:s}, s:o, s:o, s:s, s:s, s:s, s:s, s:s,"
				      " s:s, s:I, s:s, s:o, s:o, s:o}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"author", "handle", col(st, 1), "name", col(st, 2),
			"law", col_int_or_null(st, 3), "base_version", col_int_or_null(st, 4),
			"title", col(st, 5), "text", col(st, 6), "rationale", col(st, 7),
			"effect", col(st, 8), "measures", col(st, 9), "alternatives", col(st, 10),
			"submitted_at", (json_int_t)sqlite3_column_int64(st, 11),
			"state", col(st, 12), "motion", col_int_or_null(st, 13),
			"reasons", col_text_or_null(st, 14), "law_version", col_int_or_null(st, 15));
		json_array_append_new(list, r);
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	/* each with its diff against the version it was written on (a new
	 * law: against nothing) */
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r) {
		char *title = NULL, *before = NULL;
		int64_t law = json_integer_value(json_object_get(r, "law"));
		int64_t base = json_integer_value(json_object_get(r, "base_version"));
		if (law && (rc = case_law_version(s, c->body_id, law, base, &title, &before)) &&
		    rc != PX_E_NOT_FOUND)
			break;
		rc = 0;
		if (!json_is_string(json_object_get(r, "title")) ||
		    !*json_string_value(json_object_get(r, "title")))
			json_object_set_new(r, "title", json_string(title ? title : ""));
		json_object_set_new(r, "diff", diff_json(before ? before : "",
			json_string_value(json_object_get(r, "text"))));
		free(title);
		free(before);
	}
	json_object_set_new(o, "recommendations", list);
	return rc;
}

int gov_case_get(const struct gov_ctx *ctx, int64_t id, json_t **out, struct px_error *err)
{
	struct case_row c;
	*out = NULL;
	int rc = case_load(ctx->db, id, NULL, &c, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT " CASE_COLUMNS ", c.statement,"
		" c.findings, p.slug, p.name, c.review_harm FROM cases c JOIN polities p"
		" ON p.id = c.polity_id JOIN accounts a ON a.id = c.petitioner_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((rc = store_step(st, &row)) || !row)
		return px_fail(err, rc ? rc : PX_E_NOT_FOUND, NULL, NULL);
	json_t *o = summary(st, ctx->now);
	json_object_set_new(o, "statement", json_string(col(st, 13)));
	json_object_set_new(o, "findings", col_text_or_null(st, 14));
	json_object_set_new(o, "polity", json_pack("{s:s, s:s, s:s}", "slug", col(st, 15),
						   "name", col(st, 16), "assembly", col(st, 15)));
	json_object_set_new(o, "review_harm", sqlite3_column_type(st, 17) == SQLITE_NULL
			    ? json_null() : json_boolean(sqlite3_column_int(st, 17)));
	sqlite3_reset(st);
	/* the timeline */
	json_t *steps = json_array();
	st = store_stmt(ctx->db, "SELECT n, step, at, actor, motion_id, note FROM case_steps"
			" WHERE case_id = ? ORDER BY n");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(steps, json_pack("{s:I, s:s, s:I, s:s, s:o, s:o}",
			"n", (json_int_t)sqlite3_column_int64(st, 0), "step", col(st, 1),
			"at", (json_int_t)sqlite3_column_int64(st, 2), "actor", col(st, 3),
			"motion", col_int_or_null(st, 4), "note", col_text_or_null(st, 5)));
	size_t i;
	json_t *step;
	json_array_foreach(steps, i, step) {
		json_t *m = NULL;
		int64_t mid = json_integer_value(json_object_get(step, "motion"));
		if (rc || !mid)
			continue;
		if (!(rc = step_motion_json(ctx->db, mid, &m)) && m)
			json_object_set_new(step, "motion", m);
	}
	json_object_set_new(o, "steps", steps);
	/* the law as it stands now */
	if (!rc && c.law) {
		char *title = NULL, *text = NULL;
		int64_t version = 0;
		int in_force = 0;
		rc = case_law_latest(ctx->db, c.body_id, c.law, &version, &title, &text, &in_force);
		if (!rc)
			json_object_set_new(o, "law_now", json_pack("{s:I, s:s, s:s, s:I, s:s}",
				"number", (json_int_t)c.law, "title", title, "text", text,
				"version", (json_int_t)version, "status",
				in_force ? "in_force" : "repealed"));
		free(title);
		free(text);
	}
	if (!rc)
		rc = recommendations_json(ctx->db, &c, o);
	/* the remedy in force */
	if (!rc && c.remedy_id) {
		st = store_stmt(ctx->db, "SELECT law_number, law_version, title FROM"
				" case_recommendations WHERE id = ?");
		sqlite3_bind_int64(st, 1, c.remedy_id);
		if (!(rc = store_step(st, &row)) && row) {
			json_object_set_new(o, "remedy", json_pack("{s:I, s:o, s:o, s:s}",
				"recommendation", (json_int_t)c.remedy_id,
				"law", col_int_or_null(st, 0), "version", col_int_or_null(st, 1),
				"title", col(st, 2)));
			sqlite3_reset(st);
		}
	}
	if (!json_object_get(o, "remedy"))
		json_object_set_new(o, "remedy", json_null());
	/* the witnesses scheduled, and what the clerk recorded of each */
	json_t *testimony = NULL;
	if (!rc && !(rc = case_testimony_json(ctx->db, id, 0, &testimony)))
		json_object_set_new(o, "testimony", testimony);
	if (rc) {
		json_decref(o);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = o;
	return 0;
}

/* ---- the calendar of hearings and reviews ---- */

/* One event of the feed: uid "case-N-what-T@pnyx". */
static int case_event(struct strbuf *sb, int64_t now, const char *base_url, int64_t id,
		      const char *what, int64_t at, const char *summary, const char *place,
		      const char *description)
{
	char uid[96], url[512];
	snprintf(uid, sizeof(uid), "case-%lld-%s-%lld@pnyx", (long long)id, what, (long long)at);
	if (base_url)
		snprintf(url, sizeof(url), "%s/case.html?id=%lld", base_url, (long long)id);
	struct ical_event ev = {
		.uid = uid, .dtstamp = now, .start = at, .end = at + 2 * 3600,
		.summary = summary, .location = place, .description = description,
		.url = base_url ? url : NULL, .status = "CONFIRMED",
	};
	return ical_add_event(sb, &ev);
}

int gov_case_calendar(const struct gov_ctx *ctx, const char *polity, const char *base_url,
		      char **out, struct px_error *err)
{
	char summary[320];
	struct strbuf sb;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id, name, body_id FROM polities"
				      " WHERE slug = ?");
	sqlite3_bind_text(st, 1, polity ? polity : "", -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", polity ? polity : "");
	int64_t pid = sqlite3_column_int64(st, 0), body = sqlite3_column_int64(st, 2);
	snprintf(summary, sizeof(summary), "Cases of %s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	sb_init(&sb, 4 << 20);
	rc = ical_begin(&sb, "-//pnyx//pnyx//EN", summary);
	/* the hearings: each meeting of the assembly where a step of a case
	 * is on the agenda or was decided */
	st = store_stmt(ctx->db, "SELECT DISTINCT c.id, c.title, g.starts_at, g.place FROM"
		" motions m JOIN meetings g ON g.id = m.meeting_id JOIN cases c ON c.id ="
		" json_extract(m.params, '$.case') WHERE m.body_id = ? AND m.kind IN"
		" ('take_up_case', 'harm_question', 'charge_civil_service', 'remedy_question',"
		" 'review_case') AND m.status NOT IN ('withdrawn') ORDER BY g.starts_at, c.id");
	sqlite3_bind_int64(st, 1, body);
	while (!rc && store_next(st, &rc)) {
		snprintf(summary, sizeof(summary), "Hearing of case %lld: %s",
			 (long long)sqlite3_column_int64(st, 0),
			 (const char *)sqlite3_column_text(st, 1));
		rc = case_event(&sb, ctx->now, base_url, sqlite3_column_int64(st, 0), "hearing",
				sqlite3_column_int64(st, 2), summary,
				(const char *)sqlite3_column_text(st, 3),
				"The assembly decides a step of the case at this meeting.");
	}
	if (rc)
		sqlite3_reset(st);
	/* the reviews to come, and the recommendations due */
	st = store_stmt(ctx->db, "SELECT id, title, state, review_at, deadline FROM cases"
		" WHERE polity_id = ? AND ((state = 'in_force' AND review_at IS NOT NULL) OR"
		" (state = 'remedy_requested' AND deadline IS NOT NULL)) ORDER BY id");
	sqlite3_bind_int64(st, 1, pid);
	while (!rc && store_next(st, &rc)) {
		int review = !strcmp((const char *)sqlite3_column_text(st, 2), "in_force");
		snprintf(summary, sizeof(summary), "%s of case %lld: %s", review
			 ? "Review of the remedy" : "Recommendation due",
			 (long long)sqlite3_column_int64(st, 0),
			 (const char *)sqlite3_column_text(st, 1));
		rc = case_event(&sb, ctx->now, base_url, sqlite3_column_int64(st, 0),
				review ? "review" : "due", sqlite3_column_int64(st, review ? 3 : 4),
				summary, NULL, review
				? "The review opens by itself on this date: the civil service"
				  " reports, the assembly answers the harm question again."
				: "The civil service's recommendation is due.");
	}
	if (rc)
		sqlite3_reset(st);
	if (!rc)
		rc = ical_end(&sb);
	if (rc) {
		sb_release(&sb);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = sb_detach(&sb, NULL);
	return 0;
}
