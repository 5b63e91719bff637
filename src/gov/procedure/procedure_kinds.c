/*
 * procedure_kinds.c: the kinds of motion that are procedure, not an
 * assembly's business: a resolution (a position, with no other effect),
 * an amendment to a motion before it is decided, and the authorisation
 * to hold one vote online or by mail, and the motion to adjourn the
 * meeting in session (adjourn.c). Any body that meets decides them;
 * the registry (motion_kinds.c) finds them through gov/kinds.c.
 *
 * Parameters (all others refused):
 *   resolution             {}
 *   amendment              {}                 text replaces the amended
 *                                             motion's text ("amends")
 *   authorise_remote_vote  {"motion": id, "mode": "online"|"mail",
 *                           "opens_at", "closes_at"}
 *   hide_comment           {"comment": id, "reason": one line}
 *                           (gov/discussion/hide.c)
 */
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/discussion/discussion.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* ---- the kinds ---- */

static int apply_none(struct store *s, const struct motion_effect *m,
		      json_t *j, struct px_error *err)
{
	(void)s, (void)m, (void)j, (void)err;
	return 0;
}

#define REMOTE_OPENS_WITHIN (366LL * 86400)
#define REMOTE_LONGEST (90LL * 86400)
static const char closes_words[] = "the vote closes at least an hour and at most 90 days"
	" after it opens";

/* The row's spec bounds the times from now; the vote's window is the
 * kind's own rule. */
static int check_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	int64_t motion = kind_num(a, "motion"), opens = kind_num(a, "opens_at");
	int64_t closes = kind_num(a, "closes_at");
	if (closes < opens + 3600 || closes > opens + REMOTE_LONGEST)
		/* a window a few can catch is no vote of the assembly */
		return px_fail(err, PX_E_OUT_OF_RANGE, "params.closes_at", "%s", closes_words);
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM motions WHERE id = ? AND"
		" body_id = ? AND status = 'submitted'");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, body_id);
	int ok = 0, rc;
	if ((rc = store_exists(st, &ok)))
		return px_fail(err, rc, NULL, NULL);
	if (!ok)
		return px_fail(err, PX_E_NOT_FOUND, "params.motion",
			       "no undecided motion %lld in this assembly", (long long)motion);
	return 0;
}

static int apply_remote(struct store *s, const struct motion_effect *m,
			json_t *j, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO remote_votes(motion_id, mode,"
		" opens_at, closes_at, authorised_by) SELECT ?1, ?2, ?3, ?4, ?5"
		" WHERE EXISTS (SELECT 1 FROM motions WHERE id = ?1 AND status = 'submitted')"
		" ON CONFLICT(motion_id) DO UPDATE SET mode = excluded.mode,"
		" opens_at = excluded.opens_at, closes_at = excluded.closes_at,"
		" authorised_by = excluded.authorised_by");
	sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(m->params, "motion")));
	sqlite3_bind_text(st, 2, json_string_value(json_object_get(m->params, "mode")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(m->params, "opens_at")));
	sqlite3_bind_int64(st, 4, json_integer_value(json_object_get(m->params, "closes_at")));
	sqlite3_bind_int64(st, 5, m->motion_id);
	int rc = store_run(st);
	sqlite3_reset(st);
	if (!rc && !sqlite3_changes(store_db(s)))
		rc = px_fail(err, PX_E_CONFLICT, "params.motion",
			     "that motion was decided or withdrawn meanwhile");
	if (!rc)
		json_object_set(j, "remote_vote", (json_t *)m->params);
	return rc;
}

static int apply_amendment(struct store *s, const struct motion_effect *m,
			   json_t *j, struct px_error *err)
{
	/* the text as submitted is kept the first time it is replaced (the
	 * right-hand sides read the row as it was) */
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET original_text ="
		" coalesce(original_text, text), text = ? WHERE id ="
		" (SELECT parent_id FROM motions WHERE id = ?) AND status = 'submitted'"
		" RETURNING id");
	sqlite3_bind_text(st, 1, m->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->motion_id);
	int64_t parent = 0;
	int rc = store_int64(st, &parent, NULL);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!parent)
		return px_fail(err, PX_E_CONFLICT, "amends",
			       "the amended motion is no longer open to amendment");
	json_object_set_new(j, "amended", json_integer(parent));
	return 0;
}

/* ---- the rows ---- */

static const char *const modes[] = {
	"online", N_("Online"), "mail", N_("By mail"), NULL };

static const struct kind_param remote_params[] = {
	{ .name = "motion", .type = KP_MOTION, .required = 1, .min = 1,
	  .label = N_("The motion"),
	  .help = N_("An undecided motion of this assembly: its vote is held online or"
		  " by mail instead of at the meeting.") },
	{ .name = "mode", .type = KP_CHOICE, .required = 1, .choices = modes,
	  .label = N_("How the vote is held"),
	  .help = N_("Within the window, any active member may vote, checked in or not.") },
	{ .name = "opens_at", .type = KP_TIME, .required = 1, .min = 0,
	  .max = REMOTE_OPENS_WITHIN, .label = N_("The vote opens"),
	  .help = N_("From now to a year ahead.") },
	{ .name = "closes_at", .type = KP_TIME, .required = 1, .min = 3600,
	  .max = REMOTE_OPENS_WITHIN + REMOTE_LONGEST, .label = N_("The vote closes"),
	  .help = N_("At least an hour and at most 90 days after it opens."),
	  .out_of_range = closes_words },
	{ .name = NULL },
};

static const struct kind_param hide_params[] = {
	{ .name = "comment", .type = KP_INTEGER, .required = 1, .min = 1,
	  .label = N_("The comment"),
	  .help = N_("Its number, shown beside it in the discussion of a motion of"
		  " this assembly or of a proposal it made.") },
	{ .name = "reason", .type = KP_TEXT, .required = 1, .min = 1,
	  .max = COMMENT_REASON_MAX, .label = N_("Why it is hidden"),
	  .help = N_("Shown in its place, with a link to this decision.") },
	{ .name = NULL },
};

const struct motion_kind procedure_kinds[] = {
	{ .name = "resolution",
	  .summary = N_("a resolution: the assembly's position, with no other effect"),
	  .check = motion_kind_spec_only, .apply = apply_none,
	  .label = N_("A resolution (a decision with no other effect)"),
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_POLITY | KIND_BY_ENTERPRISE |
			KIND_BY_MILITIA |
			KIND_BY_COMMITTEE,
	  .flags = KIND_NEEDS_TEXT, .text_label = N_("The resolution") },
	{ .name = "amendment",
	  .summary = N_("amend a motion before it is decided (its text replaces the motion's)"),
	  .check = motion_kind_spec_only, .apply = apply_amendment,
	  .label = N_("Amend a motion on the agenda (its text replaces the motion's)"),
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_POLITY | KIND_BY_ENTERPRISE |
			KIND_BY_MILITIA,
	  .flags = KIND_NEEDS_TEXT | KIND_AMENDS, .text_label = N_("The new text of the motion") },
	{ .name = "authorise_remote_vote",
	  .summary = N_("hold the vote on a named motion online or by mail"),
	  .check = check_remote, .apply = apply_remote,
	  .label = N_("Hold the vote on a motion online or by mail"),
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_POLITY | KIND_BY_ENTERPRISE |
			KIND_BY_MILITIA,
	  .params = remote_params },
	{ .name = "hide_comment",
	  .summary = N_("hide a comment in a discussion the assembly holds: it shows as"
		     " hidden by this decision, with its reason"),
	  .check = hide_comment_check, .apply = hide_comment_apply,
	  .label = N_("Hide a comment in a discussion"),
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_POLITY | KIND_BY_ENTERPRISE |
			KIND_BY_MILITIA,
	  .params = hide_params },
	{ .name = "adjourn",
	  .summary = N_("adjourn the meeting in session: it closes at once, with its"
		     " minutes, and what it did not decide goes to the next meeting"),
	  .check = motion_kind_spec_only, .apply = adjourn_apply,
	  .label = N_("Adjourn the meeting in session"),
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_POLITY | KIND_BY_ENTERPRISE |
			KIND_BY_MILITIA,
	  .flags = KIND_IN_SESSION },
	{ .name = NULL },
};
