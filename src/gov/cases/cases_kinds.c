/*
 * cases_kinds.c: the decisions of a polity's assembly on a case
 * (docs/cases.md), each a motion voted at its meeting: taking a petition
 * up or declining it; the harm question, whose "no" (the motion rejected)
 * finds no harm; charging the civil service with a remedy by a deadline;
 * the same question on a recommendation, whose "no" approves the remedy
 * and writes the polity's register in the same transaction; and the
 * outcome of a review. Only a polity's assembly decides them
 * (KIND_BY_POLITY); each checks at submission and again at the decision
 * that the case is in the state the step needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/cases/cases.h"
#include "gov/cases/cases_apply.h"
#include "gov/lot/lot.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

#define YEAR_SECONDS (366 * CASE_DAY)

static const char *const take_up_choices[] = {
	"take_up", "Take the case up: its hearing opens",
	"decline", "Decline the case", NULL };

static const char *const review_choices[] = {
	"confirm", "Confirm the remedy (the law found to allow no harm), with the next review date",
	"revise", "Revise: the civil service is charged with a new recommendation",
	"withdraw", "Withdraw the remedy: the law's previous version comes back in force", NULL };

#define CASE_PARAM { .name = "case", .type = KP_INTEGER, .required = 1, .min = 1, \
	.max = INT32_MAX, .label = N_("The case (its number)") }

static const struct kind_param take_up_params[] = {
	CASE_PARAM,
	{ .name = "decision", .type = KP_CHOICE, .required = 1, .choices = take_up_choices,
	  .label = N_("Take it up or decline it") },
	{ .name = "reasons", .type = KP_MARKDOWN, .min = 1, .max = 20000,
	  .label = N_("The reasons") },
	{ .name = NULL },
};

static const struct kind_param harm_params[] = {
	CASE_PARAM,
	{ .name = "findings", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 50000,
	  .label = N_("The findings"),
	  .help = N_("Who is harmed, how, how much, and the evidence relied on: adopted with"
		  " the vote.") },
	{ .name = NULL },
};

static const struct kind_param charge_params[] = {
	CASE_PARAM,
	{ .name = "deadline", .type = KP_TIME, .required = 1, .min = CASE_DAY,
	  .max = 5 * YEAR_SECONDS, .label = N_("The recommendation is due by"),
	  .out_of_range = "the deadline is a day to five years from now" },
	{ .name = "instructions", .type = KP_MARKDOWN, .min = 1, .max = 20000,
	  .label = N_("What the assembly asks of the civil service") },
	{ .name = NULL },
};

static const struct kind_param remedy_params[] = {
	CASE_PARAM,
	{ .name = "recommendation", .type = KP_INTEGER, .required = 1, .min = 1,
	  .max = INT32_MAX, .label = N_("The recommendation (its number)") },
	{ .name = "review_at", .type = KP_TIME, .min = CASE_DAY, .max = 10 * YEAR_SECONDS,
	  .label = N_("Review the remedy on"),
	  .help = N_("Approved, the remedy is reviewed on this date (default: a year after"
		  " the approval)."),
	  .out_of_range = "the review date is a day to ten years from now" },
	{ .name = "reasons", .type = KP_MARKDOWN, .min = 1, .max = 20000,
	  .label = N_("Why the law so changed would still allow harm (if the answer is yes)") },
	{ .name = NULL },
};

static const struct kind_param review_params[] = {
	CASE_PARAM,
	{ .name = "outcome", .type = KP_CHOICE, .required = 1, .choices = review_choices,
	  .label = N_("The outcome of the review") },
	{ .name = "next_review", .type = KP_TIME, .min = CASE_DAY, .max = 10 * YEAR_SECONDS,
	  .label = N_("Next review (confirmed; default: a year from the decision)"),
	  .out_of_range = "the next review is a day to ten years from now" },
	{ .name = "deadline", .type = KP_TIME, .min = CASE_DAY, .max = 5 * YEAR_SECONDS,
	  .label = N_("The new recommendation is due by (revised; default: 90 days)"),
	  .out_of_range = "the deadline is a day to five years from now" },
	{ .name = "reasons", .type = KP_MARKDOWN, .min = 1, .max = 20000,
	  .label = N_("The reasons") },
	{ .name = NULL },
};

static const struct kind_param seal_params[] = {
	CASE_PARAM,
	{ .name = "evidence", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The evidence (its number)") },
	{ .name = "reasons", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("Why the public may not see it"),
	  .help = N_("Shown to everyone in place of the evidence.") },
	{ .name = NULL },
};

static const struct kind_param brief_params[] = {
	CASE_PARAM,
	{ .name = "deadline", .type = KP_TIME, .required = 1, .min = CASE_DAY,
	  .max = YEAR_SECONDS, .label = N_("The brief is due by"),
	  .out_of_range = "the deadline is a day to a year from now" },
	{ .name = "instructions", .type = KP_MARKDOWN, .min = 1, .max = 20000,
	  .label = N_("What the assembly asks the civil service to establish") },
	{ .name = NULL },
};

static const struct kind_param testimony_params[] = {
	CASE_PARAM,
	{ .name = "meeting", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The meeting (its number), one still to come") },
	{ .name = "witnesses", .type = KP_WITNESSES, .required = 1, .min = 1, .max = 40,
	  .label = N_("The witnesses"),
	  .help = N_("Each with a time within the meeting: a person here by @handle, or the"
		  " name of someone without an account.") },
	{ .name = NULL },
};

static const char *const petitioner_choices[] = {
	"citizens", "Any citizen of the polity",
	"members", "Only the members of its assembly",
	"residents", "Any resident of its region", NULL };

static const char *const anonymous_choices[] = {
	"no", "Evidence is submitted in the submitter's name",
	"yes", "Evidence may be submitted anonymously", NULL };

static const struct kind_param rules_params[] = {
	{ .name = "petitioners", .type = KP_CHOICE, .required = 1, .choices = petitioner_choices,
	  .label = N_("Who may petition the polity") },
	{ .name = "anonymous_evidence", .type = KP_CHOICE, .required = 1,
	  .choices = anonymous_choices, .label = N_("Anonymous evidence") },
	{ .name = NULL },
};

/* The case of the motion, in the polity whose assembly is body_id. */
static int case_of(struct store *s, int64_t body_id, int64_t id, struct case_row *c,
		   struct px_error *err)
{
	int rc = case_load(s, id, "params.case", c, err);
	if (rc)
		return rc;
	if (c->body_id != body_id)
		return px_fail(err, PX_E_FORBIDDEN, "params.case", "case %lld is a case of"
			       " another polity: only its own assembly decides it", (long long)id);
	return 0;
}

static int need_state(const struct case_row *c, const char *a, const char *b,
		      struct px_error *err)
{
	if (!strcmp(c->state, a) || (b && !strcmp(c->state, b)))
		return 0;
	return px_fail(err, PX_E_CONFLICT, "params.case", "case %lld is %s, not %s%s%s",
		       (long long)c->id, c->state, a, b ? " or " : "", b ? b : "");
}

static const char *ptext(const struct motion_effect *m, const char *key)
{
	return json_string_value(json_object_get(m->params, key));
}

static int64_t pnum(const struct motion_effect *m, const char *key)
{
	return json_integer_value(json_object_get(m->params, key));
}

static int failed(struct px_error *err, int rc)
{
	return rc ? (err && err->code ? rc : px_fail(err, rc, NULL, NULL)) : 0;
}

/* ---- take_up_case ---- */

static int check_take_up(struct store *s, int64_t body_id, const struct kind_args *a,
			 json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	return rc ? rc : need_state(&c, "petitioned", NULL, err);
}

static int apply_take_up(struct store *s, const struct motion_effect *m, json_t *j,
			 struct px_error *err)
{
	struct case_row c;
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "petitioned", NULL, err)))
		return rc;
	int take = !strcmp(ptext(m, "decision"), "take_up");
	if (take)
		rc = case_step(s, c.id, "taken_up", m->now, m->body_slug, m->motion_id,
			       ptext(m, "reasons"));
	else
		rc = case_step(s, c.id, "declined", m->now, m->body_slug, m->motion_id,
			       ptext(m, "reasons"));
	if (!rc && take)
		rc = case_step(s, c.id, "hearing_opened", m->now, m->body_slug, m->motion_id, NULL);
	if (!rc)
		rc = case_set_state(s, c.id, take ? "hearing" : "declined", m->now);
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "state", json_string(take ? "hearing" : "declined"));
	return failed(err, rc);
}

/* ---- harm_question ---- */

static int check_harm(struct store *s, int64_t body_id, const struct kind_args *a,
		      json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	if (rc || (rc = need_state(&c, "hearing", "under_review", err)))
		return rc;
	if (!strcmp(c.state, "under_review") && c.review_harm >= 0)
		return px_fail(err, PX_E_CONFLICT, "params.case", "the review of case %lld has"
			       " answered the harm question already", (long long)c.id);
	return 0;
}

static int harm_answer(struct store *s, const struct motion_effect *m, json_t *j, int harm,
		       struct px_error *err)
{
	struct case_row c;
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "hearing", "under_review", err)))
		return rc;
	const char *findings = ptext(m, "findings");
	if (!strcmp(c.state, "under_review")) {
		if (c.review_harm >= 0)
			return px_fail(err, PX_E_CONFLICT, "params.case", "the review has"
				       " answered the harm question already");
		sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET review_harm = ?,"
					      " updated_at = ? WHERE id = ?");
		sqlite3_bind_int(st, 1, harm);
		sqlite3_bind_int64(st, 2, m->now);
		sqlite3_bind_int64(st, 3, c.id);
		if (!(rc = store_run(st)))
			rc = case_step(s, c.id, harm ? "review_harm_found" : "review_no_harm",
				       m->now, m->body_slug, m->motion_id, findings);
		json_object_set_new(j, "state", json_string("under_review"));
	} else {
		if (harm) {
			sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET findings = ?"
						      " WHERE id = ?");
			sqlite3_bind_text(st, 1, findings, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, c.id);
			rc = store_run(st);
		}
		if (!rc)
			rc = case_step(s, c.id, harm ? "harm_found" : "no_harm", m->now,
				       m->body_slug, m->motion_id, findings);
		if (!rc)
			rc = case_set_state(s, c.id, harm ? "harm_found" : "no_harm", m->now);
		json_object_set_new(j, "state", json_string(harm ? "harm_found" : "no_harm"));
	}
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "harm", json_boolean(harm));
	return failed(err, rc);
}

static int apply_harm(struct store *s, const struct motion_effect *m, json_t *j,
		      struct px_error *err)
{
	return harm_answer(s, m, j, 1, err);
}

static int reject_harm(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	return harm_answer(s, m, j, 0, err);
}

/* ---- charge_civil_service ---- */

static int servants_exist(struct store *s, const struct case_row *c, struct px_error *err)
{
	int64_t n = 0;
	int rc = case_servants(s, c->polity_id, &n);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!n)
		return px_fail(err, PX_E_CONFLICT, "params.case", "the polity has no civil"
			       " service yet: the operator registers its civil servants");
	return 0;
}

static int check_charge(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	if (rc || (rc = need_state(&c, "harm_found", NULL, err)))
		return rc;
	return servants_exist(s, &c, err);
}

static int set_deadline(struct store *s, int64_t id, int64_t deadline)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET deadline = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, deadline);
	sqlite3_bind_int64(st, 2, id);
	return store_run(st);
}

static int apply_charge(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	struct case_row c;
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "harm_found", NULL, err)) ||
	    (rc = servants_exist(s, &c, err)))
		return rc;
	int64_t deadline = pnum(m, "deadline");
	if (deadline <= m->now)
		return px_fail(err, PX_E_CONFLICT, "params.deadline", "the deadline has passed");
	if (!(rc = set_deadline(s, c.id, deadline)) &&
	    !(rc = case_step(s, c.id, "remedy_requested", m->now, m->body_slug, m->motion_id,
			     ptext(m, "instructions"))))
		rc = case_set_state(s, c.id, "remedy_requested", m->now);
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "deadline", json_integer(deadline));
	return failed(err, rc);
}

/* ---- remedy_question ---- */

static int recommendation_of(struct store *s, const struct case_row *c, int64_t id,
			     struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT state = 'submitted' FROM case_recommendations"
				      " WHERE id = ? AND case_id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, c->id);
	int64_t open = 0;
	int found = 0, rc = store_int64(st, &open, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "params.recommendation", "no recommendation"
			       " %lld on case %lld", (long long)id, (long long)c->id);
	if (!open)
		return px_fail(err, PX_E_CONFLICT, "params.recommendation", "recommendation"
			       " %lld was decided already", (long long)id);
	return 0;
}

static int check_remedy(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	if (rc || (rc = need_state(&c, "recommendation_received", NULL, err)))
		return rc;
	return recommendation_of(s, &c, kind_num(a, "recommendation"), err);
}

/* "yes": the law so changed would still allow harm: the recommendation is
 * rejected with the assembly's reasons, and the civil service is asked
 * again (its deadline kept, or 30 days from now when it has passed). */
static int apply_remedy(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	struct case_row c;
	int64_t rec = pnum(m, "recommendation");
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "recommendation_received", NULL, err)) ||
	    (rc = recommendation_of(s, &c, rec, err)))
		return rc;
	const char *reasons = ptext(m, "reasons") ? ptext(m, "reasons") : m->text;
	sqlite3_stmt *st = store_stmt(s, "UPDATE case_recommendations SET state = 'rejected',"
				      " motion_id = ?, reasons = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_text(st, 2, reasons, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, rec);
	int64_t deadline = c.deadline > m->now ? c.deadline : m->now + 30 * CASE_DAY;
	if (!(rc = store_run(st)) && !(rc = set_deadline(s, c.id, deadline)) &&
	    !(rc = case_step(s, c.id, "recommendation_rejected", m->now, m->body_slug,
			     m->motion_id, reasons)))
		rc = case_set_state(s, c.id, "remedy_requested", m->now);
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "recommendation", json_integer(rec));
	json_object_set_new(j, "approved", json_false());
	return failed(err, rc);
}

/* "no": the law so changed no longer allows harm: the remedy is approved
 * and enters the polity's register, here, in the decision's transaction,
 * the only path by which that register changes (law_remedy). */
static int reject_remedy(struct store *s, const struct motion_effect *m, json_t *j,
			 struct px_error *err)
{
	struct case_row c;
	int64_t rec = pnum(m, "recommendation");
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "recommendation_received", NULL, err)) ||
	    (rc = recommendation_of(s, &c, rec, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(law_number, 0), title, text,"
				      " coalesce(base_version, 0) FROM case_recommendations"
				      " WHERE id = ?");
	sqlite3_bind_int64(st, 1, rec);
	int row = 0;
	if ((rc = store_step(st, &row)) || !row)
		return px_fail(err, rc ? rc : PX_E_NOT_FOUND, NULL, NULL);
	int64_t number = sqlite3_column_int64(st, 0), base = sqlite3_column_int64(st, 3);
	char *title = strdup((const char *)sqlite3_column_text(st, 1));
	char *text = strdup((const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	int64_t version = 0, latest = 0;
	if (!title || !text) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* written on a version since replaced: the assembly votes again on
	 * one written on the law as it stands */
	if (number && !(rc = case_law_latest(s, m->body_id, number, &latest, NULL, NULL, NULL)) &&
	    latest != base) {
		rc = px_fail(err, PX_E_CONFLICT, "params.recommendation", "law %lld changed"
			     " since the recommendation was written (version %lld, now %lld)",
			     (long long)number, (long long)base, (long long)latest);
		goto out;
	}
	if (rc) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	int64_t review = pnum(m, "review_at");
	if (!review) /* a year after the approval (29 February gives 1 March) */
		review = lot_one_year_after(m->now);
	if ((rc = law_remedy(s, m->body_id, &number, *title ? title : NULL, text, "remedy",
			     m->motion_id, c.id, m->now, &version, err)))
		goto out;
	st = store_stmt(s, "UPDATE case_recommendations SET state = 'approved', motion_id = ?,"
			" law_number = ?, law_version = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, number);
	sqlite3_bind_int64(st, 3, version);
	sqlite3_bind_int64(st, 4, rec);
	if ((rc = store_run(st)))
		goto fail;
	st = store_stmt(s, "UPDATE cases SET remedy_id = ?, review_at = ?, deadline = NULL"
			" WHERE id = ?");
	sqlite3_bind_int64(st, 1, rec);
	sqlite3_bind_int64(st, 2, review);
	sqlite3_bind_int64(st, 3, c.id);
	char note[128];
	snprintf(note, sizeof(note), "law %lld, version %lld", (long long)number,
		 (long long)version);
	if ((rc = store_run(st)) ||
	    (rc = case_step(s, c.id, "remedy_approved", m->now, m->body_slug, m->motion_id,
			    note)) ||
	    (rc = case_set_state(s, c.id, "in_force", m->now)))
		goto fail;
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "recommendation", json_integer(rec));
	json_object_set_new(j, "approved", json_true());
	json_object_set_new(j, "law", json_integer(number));
	json_object_set_new(j, "version", json_integer(version));
	json_object_set_new(j, "review_at", json_integer(review));
	goto out;
fail:
	rc = px_fail(err, rc, NULL, NULL);
out:
	free(title);
	free(text);
	return rc;
}

/* ---- review_case ---- */

static int check_review_outcome(struct store *s, const struct case_row *c,
				const char *outcome, struct px_error *err)
{
	int rc = need_state(c, "under_review", NULL, err);
	if (rc)
		return rc;
	if (c->review_harm < 0)
		return px_fail(err, PX_E_CONFLICT, "params.case", "the review of case %lld has"
			       " not answered the harm question yet", (long long)c->id);
	if (!strcmp(outcome, "confirm") && c->review_harm)
		return px_fail(err, PX_E_CONFLICT, "params.outcome", "the review found that the"
			       " law still allows harm: revise or withdraw the remedy");
	if (!strcmp(outcome, "revise") && !c->review_harm)
		return px_fail(err, PX_E_CONFLICT, "params.outcome", "the review found no harm:"
			       " confirm or withdraw the remedy");
	if (!strcmp(outcome, "revise"))
		return servants_exist(s, c, err);
	return 0;
}

static int check_review(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	return rc ? rc : check_review_outcome(s, &c, kind_text(a, "outcome"), err);
}

/* The remedy withdrawn: the version before it back in force, as a new
 * version; a remedy that made a new law repeals it. */
static int withdraw(struct store *s, const struct motion_effect *m, const struct case_row *c,
		    json_t *j, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT law_number, law_version FROM"
				      " case_recommendations WHERE id = ?");
	sqlite3_bind_int64(st, 1, c->remedy_id);
	int row = 0, rc = store_step(st, &row);
	if (rc || !row)
		return px_fail(err, rc ? rc : PX_E_NOT_FOUND, NULL, NULL);
	int64_t number = sqlite3_column_int64(st, 0), made = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	char *title = NULL, *text = NULL;
	int64_t version = 0;
	if (made > 1 && (rc = case_law_version(s, m->body_id, number, made - 1, &title, &text)))
		return px_fail(err, rc, NULL, NULL);
	rc = law_remedy(s, m->body_id, &number, title, text, "withdrawal", m->motion_id, c->id,
			m->now, &version, err);
	free(title);
	free(text);
	if (rc)
		return rc;
	json_object_set_new(j, "law", json_integer(number));
	json_object_set_new(j, "version", json_integer(version));
	return 0;
}

static int apply_review(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	struct case_row c;
	const char *outcome = ptext(m, "outcome");
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = check_review_outcome(s, &c, outcome, err)))
		return rc;
	const char *reasons = ptext(m, "reasons");
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "outcome", json_string(outcome));
	if (!strcmp(outcome, "confirm")) {
		int64_t next = pnum(m, "next_review") ? pnum(m, "next_review")
			: lot_one_year_after(m->now);
		sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET review_at = ?,"
					      " review_harm = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, next);
		sqlite3_bind_int64(st, 2, c.id);
		if (!(rc = store_run(st)) &&
		    !(rc = case_step(s, c.id, "confirmed", m->now, m->body_slug, m->motion_id,
				     reasons)))
			rc = case_set_state(s, c.id, "in_force", m->now);
		json_object_set_new(j, "review_at", json_integer(next));
	} else if (!strcmp(outcome, "revise")) {
		int64_t deadline = pnum(m, "deadline") ? pnum(m, "deadline")
			: m->now + 90 * CASE_DAY;
		if (!(rc = set_deadline(s, c.id, deadline)) &&
		    !(rc = case_step(s, c.id, "revised", m->now, m->body_slug, m->motion_id,
				     reasons)))
			rc = case_set_state(s, c.id, "remedy_requested", m->now);
		json_object_set_new(j, "deadline", json_integer(deadline));
	} else {
		if ((rc = withdraw(s, m, &c, j, err)))
			return rc;
		sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET review_at = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, c.id);
		if (!(rc = store_run(st)) &&
		    !(rc = case_step(s, c.id, "withdrawn", m->now, m->body_slug, m->motion_id,
				     reasons)))
			rc = case_set_state(s, c.id, "withdrawn", m->now);
	}
	return failed(err, rc);
}

/* ---- seal_evidence ---- */

static int evidence_open(struct store *s, const struct case_row *c, int64_t id,
			 struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT sealed_at IS NOT NULL FROM case_evidence"
				      " WHERE id = ? AND case_id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, c->id);
	int64_t sealed = 0;
	int found = 0, rc = store_int64(st, &sealed, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "params.evidence", "case %lld has no"
			       " evidence %lld", (long long)c->id, (long long)id);
	if (sealed)
		return px_fail(err, PX_E_CONFLICT, "params.evidence", "evidence %lld is sealed"
			       " already", (long long)id);
	return 0;
}

static int check_seal(struct store *s, int64_t body_id, const struct kind_args *a,
		      json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	return rc ? rc : evidence_open(s, &c, kind_num(a, "evidence"), err);
}

static int apply_seal(struct store *s, const struct motion_effect *m, json_t *j,
		      struct px_error *err)
{
	struct case_row c;
	int64_t id = pnum(m, "evidence");
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = evidence_open(s, &c, id, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE case_evidence SET sealed_at = ?,"
				      " sealed_motion = ?, sealed_reasons = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->now);
	sqlite3_bind_int64(st, 2, m->motion_id);
	sqlite3_bind_text(st, 3, ptext(m, "reasons"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, id);
	/* the timeline says which piece, and why (public, as the seal is) */
	const char *why = ptext(m, "reasons");
	size_t n = strlen(why) + 48;
	char *note = malloc(n);
	if (!note)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	snprintf(note, n, "Evidence %lld. %s", (long long)id, why);
	if (!(rc = store_run(st)))
		rc = case_step(s, c.id, "evidence_sealed", m->now, m->body_slug, m->motion_id,
			       note);
	free(note);
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "evidence", json_integer(id));
	return failed(err, rc);
}

/* ---- request_evidence_brief ---- */

static int no_open_brief(struct store *s, const struct case_row *c, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM case_briefs WHERE case_id = ?"
				      " AND evidence_id IS NULL");
	sqlite3_bind_int64(st, 1, c->id);
	int yes = 0, rc = store_exists(st, &yes);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_CONFLICT, "params.case", "the civil service owes case"
			       " %lld an evidence brief already", (long long)c->id);
	return 0;
}

static int check_brief(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	(void)canon;
	struct case_row c;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	if (rc || (rc = need_state(&c, "hearing", NULL, err)) ||
	    (rc = servants_exist(s, &c, err)))
		return rc;
	return no_open_brief(s, &c, err);
}

static int apply_brief(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	struct case_row c;
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "hearing", NULL, err)) ||
	    (rc = servants_exist(s, &c, err)) || (rc = no_open_brief(s, &c, err)))
		return rc;
	int64_t deadline = pnum(m, "deadline");
	if (deadline <= m->now)
		return px_fail(err, PX_E_CONFLICT, "params.deadline", "the deadline has passed");
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO case_briefs(id, case_id, motion_id,"
		" requested_at, deadline, instructions) VALUES ((SELECT coalesce(max(id), 0) + 1"
		" FROM case_briefs), ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, c.id);
	sqlite3_bind_int64(st, 2, m->motion_id);
	sqlite3_bind_int64(st, 3, m->now);
	sqlite3_bind_int64(st, 4, deadline);
	if (ptext(m, "instructions"))
		sqlite3_bind_text(st, 5, ptext(m, "instructions"), -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 5);
	if (!(rc = store_run(st)))
		rc = case_step(s, c.id, "brief_requested", m->now, m->body_slug, m->motion_id,
			       ptext(m, "instructions"));
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "deadline", json_integer(deadline));
	return failed(err, rc);
}

/* ---- schedule_testimony ---- */

static int check_testimony(struct store *s, int64_t body_id, const struct kind_args *a,
			   json_t *canon, struct px_error *err)
{
	struct case_row c;
	int64_t starts = 0;
	json_t *list = NULL;
	int rc = case_of(s, body_id, kind_num(a, "case"), &c, err);
	if (rc || (rc = need_state(&c, "hearing", NULL, err)) ||
	    (rc = case_testimony_meeting(s, body_id, kind_num(a, "meeting"), a->now, canon,
					 &starts, err)) ||
	    (rc = case_testimony_witnesses(s, a->arg[2].json, starts, &list, err)))
		return rc;
	json_object_set_new(canon, "witnesses", list);
	return 0;
}

static int apply_testimony(struct store *s, const struct motion_effect *m, json_t *j,
			   struct px_error *err)
{
	struct case_row c;
	int64_t starts = pnum(m, "meeting_at"), meeting = 0;
	json_t *list = NULL;
	int rc = case_of(s, m->body_id, pnum(m, "case"), &c, err);
	if (rc || (rc = need_state(&c, "hearing", NULL, err)) ||
	    (rc = case_testimony_meeting_at(s, m->body_id, m->params, m->now, &meeting, err)) ||
	    (rc = case_testimony_witnesses(s, json_object_get(m->params, "witnesses"), starts,
					   &list, err)))
		return rc;
	char note[96];
	size_t n = json_array_size(list);
	/* (never the meeting's id: this database's, not the journal's) */
	snprintf(note, sizeof(note), "%zu witness%s to be heard", n, n == 1 ? "" : "es");
	if (!(rc = case_testimony_schedule(s, c.id, m->motion_id, meeting, list)))
		rc = case_step(s, c.id, "testimony_scheduled", m->now, m->body_slug, m->motion_id,
			       note);
	json_decref(list);
	json_object_set_new(j, "case", json_integer(c.id));
	json_object_set_new(j, "meeting", json_integer(meeting));
	json_object_set_new(j, "witnesses", json_integer((json_int_t)n));
	return failed(err, rc);
}

/* ---- set_case_rules ---- */

static int check_rules(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	(void)s, (void)body_id, (void)a, (void)canon, (void)err;
	return 0; /* the choices are checked as parameters; the body is a polity's
		   * assembly (KIND_BY_POLITY) */
}

static int apply_rules(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM polities WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, m->body_id);
	int64_t polity = 0;
	int found = 0, rc = store_int64(st, &polity, &found);
	if (rc || !found)
		return px_fail(err, rc ? rc : PX_E_FORBIDDEN, NULL, "only a polity's assembly"
			       " sets the rules of its cases");
	const char *who = ptext(m, "petitioners");
	int anonymous = !strcmp(ptext(m, "anonymous_evidence"), "yes");
	if ((rc = case_set_rules(s, polity, who, anonymous, m->motion_id, m->now)))
		return failed(err, rc);
	json_object_set_new(j, "petitioners", json_string(who));
	json_object_set_new(j, "anonymous_evidence", json_boolean(anonymous));
	return 0;
}

const struct motion_kind cases_kinds[] = {
	{ .name = "take_up_case", .label = N_("Take up or decline a case"),
	  .summary = N_("take up a citizen's petition (its hearing opens) or decline it, with"
		     " the reasons"),
	  .check = check_take_up, .apply = apply_take_up, .decided_by = KIND_BY_POLITY,
	  .params = take_up_params },
	{ .name = "harm_question", .label = N_("Does the law allow harm?"),
	  .summary = N_("the harm question on a case in hearing or under review: \"yes\""
		     " (adopted) finds harm, with the findings; \"no\" (rejected) finds none"),
	  .check = check_harm, .apply = apply_harm, .reject = reject_harm,
	  .decided_by = KIND_BY_POLITY, .params = harm_params },
	{ .name = "charge_civil_service", .label = N_("Charge the civil service with a remedy"),
	  .summary = N_("ask the polity's civil service for its recommendation on a case where"
		     " harm was found, by a deadline"),
	  .check = check_charge, .apply = apply_charge, .decided_by = KIND_BY_POLITY,
	  .params = charge_params },
	{ .name = "remedy_question", .label = N_("Would the law so changed still allow harm?"),
	  .summary = N_("the harm question on the civil service's recommendation: \"no\""
		     " (rejected) approves the remedy, which enters the polity's law register"
		     " at once with its review date; \"yes\" (adopted) sends it back with the"
		     " reasons"),
	  .check = check_remedy, .apply = apply_remedy, .reject = reject_remedy,
	  .decided_by = KIND_BY_POLITY, .params = remedy_params },
	{ .name = "review_case", .label = N_("Decide the review of a remedy"),
	  .summary = N_("after a review's harm question: confirm the remedy (next review date),"
		     " revise it (a new recommendation) or withdraw it (the law's previous"
		     " version back)"),
	  .check = check_review, .apply = apply_review, .decided_by = KIND_BY_POLITY,
	  .params = review_params },
	{ .name = "seal_evidence", .label = N_("Seal evidence from the public"),
	  .summary = N_("seal a piece of evidence on a case: the assembly's members still see"
		     " it, the public sees only when and why it was sealed"),
	  .check = check_seal, .apply = apply_seal, .decided_by = KIND_BY_POLITY,
	  .params = seal_params },
	{ .name = "request_evidence_brief", .label = N_("Ask the civil service for an evidence"
							 " brief"),
	  .summary = N_("on a case in hearing: the civil service submits an evidence brief by"
		     " the deadline, as evidence marked as the brief"),
	  .check = check_brief, .apply = apply_brief, .decided_by = KIND_BY_POLITY,
	  .params = brief_params },
	{ .name = "schedule_testimony", .label = N_("Schedule testimony at a meeting"),
	  .summary = N_("on a case in hearing: witnesses heard at one of the assembly's"
		     " meetings still to come, each at a time; the clerk records at that"
		     " meeting who testified, and the minutes say it"),
	  .check = check_testimony, .apply = apply_testimony, .decided_by = KIND_BY_POLITY,
	  .params = testimony_params },
	{ .name = "set_case_rules", .label = N_("Set the rules of the polity's cases"),
	  .summary = N_("who may petition the polity (any citizen, only the assembly's"
		     " members, or any resident of its region), and whether evidence may be"
		     " anonymous"),
	  .check = check_rules, .apply = apply_rules, .decided_by = KIND_BY_POLITY, .params = rules_params },
	{ .name = NULL },
};
