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
#include "core/text.h"
#include "store/store.h"
#include "gov/discussion/discussion.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* ---- parameter helpers ---- */

static int no_params(const json_t *p, struct px_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)p, key, v)
		return px_fail(err, PX_E_UNKNOWN_FIELD, "params",
			       "this kind of motion takes no parameter '%s'", key);
	return 0;
}

static int get_int(const json_t *p, const char *key, const char *field,
		   int64_t min, int64_t max, int64_t *out, struct px_error *err)
{
	const json_t *v = json_object_get(p, key);
	if (!v)
		return px_fail(err, PX_E_MISSING_FIELD, field, NULL);
	if (!json_is_integer(v))
		return px_fail(err, PX_E_BAD_TYPE, field, "%s must be a whole number", key);
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return px_fail(err, PX_E_OUT_OF_RANGE, field, "%s is out of range", key);
	return 0;
}

static int get_line(const json_t *p, const char *key, const char *field,
		    long max, const char **out, struct px_error *err)
{
	const json_t *v = json_object_get(p, key);
	if (!v)
		return px_fail(err, PX_E_MISSING_FIELD, field, NULL);
	if (!json_is_string(v))
		return px_fail(err, PX_E_BAD_TYPE, field, "%s must be text", key);
	*out = json_string_value(v);
	int rc = text_check_line(*out, 1, max);
	if (rc)
		return px_fail(err, rc, field, "%s has 1 to %ld characters", key, max);
	return 0;
}

/* ---- the kinds ---- */

static int check_none(struct store *s, int64_t body_id, const json_t *p,
		      int64_t now, json_t **canon, struct px_error *err)
{
	(void)s, (void)body_id, (void)now;
	int rc = no_params(p, err);
	if (!rc)
		*canon = json_object();
	return rc;
}

static int apply_none(struct store *s, const struct motion_effect *m,
		      json_t *j, struct px_error *err)
{
	(void)s, (void)m, (void)j, (void)err;
	return 0;
}

#define REMOTE_OPENS_WITHIN (366LL * 86400)
#define REMOTE_LONGEST (90LL * 86400)

static int check_remote(struct store *s, int64_t body_id, const json_t *p,
			int64_t now, json_t **canon, struct px_error *err)
{
	static const char *const keys[] = { "motion", "mode", "opens_at", "closes_at" };
	int64_t motion, opens, closes;
	const char *mode = "";
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)p, key, v) {
		int ok = 0;
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			ok |= !strcmp(keys[i], key);
		if (!ok)
			return px_fail(err, PX_E_UNKNOWN_FIELD, "params",
				       "this kind of motion takes no parameter '%s'", key);
	}
	int rc = get_int(p, "motion", "params.motion", 1, INT64_MAX, &motion, err);
	if (!rc)
		rc = get_line(p, "mode", "params.mode", 10, &mode, err);
	if (!rc && strcmp(mode, "online") && strcmp(mode, "mail"))
		rc = px_fail(err, PX_E_BAD_INPUT, "params.mode", "mode is online or mail");
	if (!rc)
		rc = get_int(p, "opens_at", "params.opens_at", now, now + REMOTE_OPENS_WITHIN,
			     &opens, err);
	if (!rc && (rc = get_int(p, "closes_at", "params.closes_at", opens + 3600,
				 opens + REMOTE_LONGEST, &closes, err)) == PX_E_OUT_OF_RANGE)
		/* a window a few can catch is no vote of the assembly */
		rc = px_fail(err, rc, "params.closes_at", "the vote closes at least an hour"
			     " and at most 90 days after it opens");
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM motions WHERE id = ? AND"
		" body_id = ? AND status = 'submitted'");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, body_id);
	int ok = 0;
	if ((rc = store_exists(st, &ok)))
		return px_fail(err, rc, NULL, NULL);
	if (!ok)
		return px_fail(err, PX_E_NOT_FOUND, "params.motion",
			       "no undecided motion %lld in this assembly", (long long)motion);
	*canon = json_pack("{s:I, s:s, s:I, s:I}", "motion", (json_int_t)motion,
			   "mode", mode, "opens_at", (json_int_t)opens,
			   "closes_at", (json_int_t)closes);
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
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET text = ? WHERE id ="
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
	"online", "Online", "mail", "By mail", NULL };

static const struct kind_param remote_params[] = {
	{ .name = "motion", .type = KP_MOTION, .required = 1, .min = 1,
	  .label = "The motion",
	  .help = "An undecided motion of this assembly: its vote is held online or"
		  " by mail instead of at the meeting." },
	{ .name = "mode", .type = KP_CHOICE, .required = 1, .choices = modes,
	  .label = "How the vote is held",
	  .help = "Within the window, any active member may vote, checked in or not." },
	{ .name = "opens_at", .type = KP_TIME, .required = 1, .min = 0,
	  .max = REMOTE_OPENS_WITHIN, .label = "The vote opens",
	  .help = "From now to a year ahead." },
	{ .name = "closes_at", .type = KP_TIME, .required = 1, .min = 3600,
	  .max = REMOTE_OPENS_WITHIN + REMOTE_LONGEST, .label = "The vote closes",
	  .help = "At least an hour and at most 90 days after it opens." },
	{ .name = NULL },
};

static const struct kind_param hide_params[] = {
	{ .name = "comment", .type = KP_INTEGER, .required = 1, .min = 1,
	  .label = "The comment",
	  .help = "Its number, shown beside it in the discussion of a motion of"
		  " this assembly or of a proposal it made." },
	{ .name = "reason", .type = KP_TEXT, .required = 1, .min = 1,
	  .max = COMMENT_REASON_MAX, .label = "Why it is hidden",
	  .help = "Shown in its place, with a link to this decision." },
	{ .name = NULL },
};

const struct motion_kind procedure_kinds[] = {
	{ .name = "resolution",
	  .summary = "a resolution: the assembly's position, with no other effect",
	  .check = check_none, .apply = apply_none,
	  .label = "A resolution (a decision with no other effect)",
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_COMMITTEE,
	  .flags = KIND_NEEDS_TEXT, .text_label = "The resolution" },
	{ .name = "amendment",
	  .summary = "amend a motion before it is decided (its text replaces the motion's)",
	  .check = check_none, .apply = apply_amendment,
	  .label = "Amend a motion on the agenda (its text replaces the motion's)",
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE,
	  .flags = KIND_NEEDS_TEXT | KIND_AMENDS, .text_label = "The new text of the motion" },
	{ .name = "authorise_remote_vote",
	  .summary = "hold the vote on a named motion online or by mail",
	  .check = check_remote, .apply = apply_remote,
	  .label = "Hold the vote on a motion online or by mail",
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE,
	  .params = remote_params },
	{ .name = "hide_comment",
	  .summary = "hide a comment in a discussion the assembly holds: it shows as"
		     " hidden by this decision, with its reason",
	  .check = hide_comment_check, .apply = hide_comment_apply,
	  .label = "Hide a comment in a discussion",
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE,
	  .params = hide_params },
	{ .name = "adjourn",
	  .summary = "adjourn the meeting in session: it closes at once, with its"
		     " minutes, and what it did not decide goes to the next meeting",
	  .check = adjourn_check, .apply = adjourn_apply,
	  .label = "Adjourn the meeting in session",
	  .decided_by = KIND_BY_LOCAL | KIND_BY_DELEGATE,
	  .flags = KIND_IN_SESSION },
	{ .name = NULL },
};
