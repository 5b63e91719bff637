/*
 * void.c: bound by local law (issue 15, section 2; docs/economy.md). A
 * local assembly declares, by its own decision with reasons, a decision
 * of an enterprise located in its community void because it conflicts
 * with a named law of its register in force. The void decision loses its
 * effect in the transaction that records the assembly's decision, and
 * both are linked by one row of enterprise_voids (the enterprise's
 * decision, the assembly's, the law, the reasons).
 *
 * What losing its effect means, by the kind voided:
 *   resolution      it had no effect: it stands void, on the record
 *   admit_member    the admission is withdrawn; if the person had joined
 *                   on it, their membership ends (as by leaving: offices
 *                   and committee seats given up, presence ended); the
 *                   enterprise may admit them again by a lawful decision
 *   set_conditions  when they are still the conditions in force, those
 *                   before them are again (none, if there were none)
 *   answer_proposal an acceptance of a proposal of its federation, when
 *                   it is still the enterprise's answer to that version,
 *                   is withdrawn (an answer "repealed" by the assembly's
 *                   decision): the proposal no longer has effect there;
 *                   a rejection or an amendment had no effect to lose
 * The other kinds an enterprise decides (its rules, schedule, meetings,
 * offices, committees, exclusions) are not voidable yet: refused, naming
 * the decision, so nothing is declared void that keeps its effect.
 *
 * Parameters: {"decision": id, "law": N, "reasons": text}.
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static const char *const voidable[] = { "resolution", "admit_member", "set_conditions",
					"answer_proposal", NULL };

/* The enterprise decision id, adopted, of an enterprise located in the
 * community of the local assembly local_id, voidable and not voided yet:
 * its body (*body) and kind (kind, 32 bytes). */
static int decision_of(struct store *s, int64_t local_id, int64_t id, int64_t *body,
		       char kind[32], struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT m.body_id, m.kind, m.status, e.kind,"
		" e.community_id = l.community_id, EXISTS (SELECT 1 FROM enterprise_voids v"
		" WHERE v.motion_id = m.id) FROM motions m JOIN bodies e ON e.id = m.body_id,"
		" bodies l WHERE m.id = ? AND l.id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, local_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.decision", "no decision %lld",
			       (long long)id);
	*body = sqlite3_column_int64(st, 0);
	const char *k = (const char *)sqlite3_column_text(st, 1);
	snprintf(kind, 32, "%s", k ? k : "");
	int adopted = !strcmp((const char *)sqlite3_column_text(st, 2), "adopted");
	int enterprise = !strcmp((const char *)sqlite3_column_text(st, 3), "enterprise");
	int here = sqlite3_column_int(st, 4), voided = sqlite3_column_int(st, 5);
	sqlite3_reset(st);
	if (!enterprise || !here)
		return px_fail(err, PX_E_CONFLICT, "params.decision", "decision %lld is not"
			       " one of an enterprise located in this community", (long long)id);
	if (!adopted)
		return px_fail(err, PX_E_CONFLICT, "params.decision", "decision %lld was not"
			       " adopted: it has no effect to void", (long long)id);
	if (voided)
		return px_fail(err, PX_E_CONFLICT, "params.decision", "decision %lld is void"
			       " already", (long long)id);
	int ok = 0;
	for (const char *const *v = voidable; *v; v++)
		ok |= !strcmp(*v, kind);
	if (!ok)
		return px_fail(err, PX_E_CONFLICT, "params.decision", "a decision to %s cannot"
			       " be declared void yet: only a resolution, an admission,"
			       " conditions of membership or an answer to a federation's"
			       " proposal (docs/economy.md)", kind);
	return 0;
}

static int check_void(struct store *s, int64_t body_id, const struct kind_args *a,
		      json_t *canon, struct px_error *err)
{
	int64_t enterprise;
	char kind[32];
	int in_force = 0;
	(void)canon;
	int rc = decision_of(s, body_id, kind_num(a, "decision"), &enterprise, kind, err);
	if (!rc)
		rc = law_exists(s, body_id, kind_num(a, "law"), &in_force, err, "params.law");
	if (!rc && !in_force)
		rc = px_fail(err, PX_E_CONFLICT, "params.law", "law %lld was repealed",
			     (long long)kind_num(a, "law"));
	return rc;
}

/* The admission the decision made: withdrawn; a membership taken on it
 * ends now. */
static int void_admission(struct store *s, const struct motion_effect *m, int64_t body,
			  int64_t decision, json_t *j)
{
	int64_t account = 0, joined = 0;
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT account_id, joined_at IS NOT NULL FROM"
				      " enterprise_admissions WHERE motion_id = ?");
	sqlite3_bind_int64(st, 1, decision);
	int rc = store_step(st, &row);
	if (rc || !row)
		return rc ? rc : PX_E_INTERNAL;
	account = sqlite3_column_int64(st, 0);
	joined = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	st = store_stmt(s, "UPDATE enterprise_admissions SET voided_by = ? WHERE motion_id = ?");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, decision);
	if ((rc = store_run(st)))
		return rc;
	if (!joined)
		return 0;
	st = store_stmt(s, "UPDATE memberships SET status = 'left', since = ?"
		" WHERE body_id = ? AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, m->now);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, account);
	if ((rc = store_run(st)))
		return rc;
	if (sqlite3_changes(store_db(s)) != 1)
		return 0; /* they had left, or were excluded, already */
	if ((rc = member_release_duties(s, body, account)) ||
	    (rc = meeting_presence_end(s, body, account, m->now, "left", m->actor,
				       m->motion_id)))
		return rc;
	json_object_set_new(j, "membership_ended", json_true());
	return 0;
}

/* The enterprise's acceptance of a federation's proposal, when it is
 * still its answer to that version: withdrawn by the assembly's decision. */
static int void_answer(struct store *s, const struct motion_effect *m, int64_t body,
		       int64_t decision, json_t *j)
{
	int64_t proposal = 0, version = 0, latest = 0;
	char answer[16] = "", now_answer[16];
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT json_extract(params, '$.proposal'),"
		" json_extract(params, '$.version'), json_extract(params, '$.answer')"
		" FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, decision);
	int rc = store_step(st, &row);
	if (rc || !row)
		return rc ? rc : PX_E_INTERNAL;
	proposal = sqlite3_column_int64(st, 0);
	version = sqlite3_column_int64(st, 1);
	snprintf(answer, sizeof(answer), "%s", (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	if (strcmp(answer, "accept"))
		return 0;
	if ((rc = proposal_latest_answer(s, proposal, version, body, now_answer, &latest)))
		return rc;
	if (latest != decision)
		return 0; /* it answered again since: that answer stands */
	rc = proposal_answer(s, proposal, version, body, "repealed", NULL,
			     "declared void by the local assembly under its law", m->motion_id,
			     m->now, m->actor, j);
	if (!rc)
		json_object_set_new(j, "acceptance_withdrawn", json_pack("{s:I, s:I}",
				    "proposal", (json_int_t)proposal, "version",
				    (json_int_t)version));
	return rc;
}

/* The conditions before the voided ones, when those are still in force. */
static int void_conditions(struct store *s, int64_t body, int64_t decision)
{
	int64_t current = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT conditions_motion FROM enterprises"
				      " WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body);
	int rc = store_int64(st, &current, NULL);
	if (rc || current != decision)
		return rc;
	st = store_stmt(s, "UPDATE enterprises SET (conditions, conditions_motion,"
		" conditions_at) = (SELECT coalesce(max(p.text), ''), max(p.id),"
		" max(p.decided_at) FROM (SELECT id, text, decided_at FROM motions"
		" WHERE body_id = ?1 AND kind = 'set_conditions' AND status = 'adopted'"
		" AND id < ?2 AND id NOT IN (SELECT motion_id FROM enterprise_voids)"
		" ORDER BY id DESC LIMIT 1) p) WHERE body_id = ?1");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, decision);
	return store_run(st);
}

static int apply_void(struct store *s, const struct motion_effect *m, json_t *j,
		      struct px_error *err)
{
	int64_t decision = json_integer_value(json_object_get(m->params, "decision"));
	int64_t number = json_integer_value(json_object_get(m->params, "law"));
	const char *reasons = json_string_value(json_object_get(m->params, "reasons"));
	int64_t body = 0, law_id = 0;
	char kind[32];
	int in_force = 0;
	/* as at submission: the state may have changed since */
	int rc = decision_of(s, m->body_id, decision, &body, kind, err);
	if (!rc)
		rc = law_exists(s, m->body_id, number, &in_force, err, "params.law");
	if (!rc && !in_force)
		rc = px_fail(err, PX_E_CONFLICT, "params.law", "law %lld was repealed",
			     (long long)number);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM laws WHERE body_id = ? AND number = ?");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, number);
	if ((rc = store_int64(st, &law_id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "INSERT INTO enterprise_voids(motion_id, voided_by, law_id,"
			   " reasons, at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, decision);
	sqlite3_bind_int64(st, 2, m->motion_id);
	sqlite3_bind_int64(st, 3, law_id);
	sqlite3_bind_text(st, 4, reasons ? reasons : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, m->now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_t *v = json_pack("{s:I, s:s, s:I}", "decision", (json_int_t)decision,
			      "kind", kind, "law", (json_int_t)number);
	if (!strcmp(kind, "admit_member"))
		rc = void_admission(s, m, body, decision, v);
	else if (!strcmp(kind, "set_conditions"))
		rc = void_conditions(s, body, decision);
	else if (!strcmp(kind, "answer_proposal"))
		rc = void_answer(s, m, body, decision, v);
	if (rc) {
		json_decref(v);
		return px_fail(err, rc, NULL, NULL);
	}
	json_object_set_new(j, "voided", v);
	return 0;
}

static const struct kind_param void_params[] = {
	{ .name = "decision", .type = KP_DECISION, .required = 1, .min = 1,
	  .max = INT32_MAX, .label = N_("The enterprise's decision (its number)"),
	  .help = N_("An adopted decision of an enterprise located in this community: a"
		  " resolution, an admission, conditions of membership or an answer to"
		  " a federation's proposal.") },
	{ .name = "law", .type = KP_LAW, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The law it conflicts with"),
	  .help = N_("A law of this assembly in force.") },
	{ .name = "reasons", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("Why it conflicts with the law"),
	  .help = N_("Shown with the void decision, on the enterprise's page.") },
	{ .name = NULL },
};

const struct motion_kind economy_local_kinds[] = {
	{ .name = "void_enterprise_decision",
	  .label = N_("Declare an enterprise's decision void under a law"),
	  .summary = N_("declare void a decision of an enterprise of this community that"
		     " conflicts with a law of this assembly: it loses its effect at once"),
	  .check = check_void, .apply = apply_void, .decided_by = KIND_BY_LOCAL,
	  .params = void_params },
	{ .name = NULL },
};
