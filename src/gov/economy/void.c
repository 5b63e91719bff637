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
 *   state_commitment the commitment it stated ends now; the one it
 *                   replaced, if that ended by it, is in force again
 *   exclude_member  the person, if still excluded, is a member again
 *                   (without the offices they held)
 *   found_federation, join_federation  the enterprise's membership of
 *                   that federation, if it still holds, ends as by leaving
 *   elect_delegates the seats it gave, still held, end as by a recall
 * The other kinds an enterprise decides have no effect outside it (its
 * procedure, rules, schedule, meetings, offices, committees, an
 * amendment, a readmission), or are rights no law takes away (leaving a
 * federation, recalling a delegate): refused, naming the decision.
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

/* The kinds an enterprise decides whose effect reaches outside it, and a
 * resolution (which says something to everyone): these a local law may
 * conflict with. docs/economy.md says why each other kind is not. */
static const char *const voidable[] = { "resolution", "admit_member", "set_conditions",
					"answer_proposal", "state_commitment",
					"exclude_member", "found_federation",
					"join_federation", "elect_delegates", NULL };

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
		return px_fail(err, PX_E_CONFLICT, "params.decision", "a decision to %s has"
			       " no effect outside the enterprise, or is a right no law"
			       " takes away (leaving, recalling): it cannot be declared"
			       " void (docs/economy.md)", kind);
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

/* The commitment the decision stated: ended now; the one it replaced, if
 * that ended by it, is in force again. */
static int void_commitment(struct store *s, const struct motion_effect *m, int64_t decision,
			   json_t *j)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE commitments SET ended_by = ?, ended_at = ?"
				      " WHERE motion_id = ? AND ended_by IS NULL");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, decision);
	int rc = store_run(st);
	if (rc)
		return rc;
	json_object_set_new(j, "commitment_ended", json_boolean(sqlite3_changes(store_db(s))));
	st = store_stmt(s, "UPDATE commitments SET ended_by = NULL, ended_at = NULL"
			   " WHERE ended_by = ?");
	sqlite3_bind_int64(st, 1, decision);
	if ((rc = store_run(st)))
		return rc;
	json_object_set_new(j, "commitment_restored", json_boolean(sqlite3_changes(store_db(s))));
	return 0;
}

/* The person the decision excluded, if still excluded, is a member again
 * (their offices are not given back: those are the members' to fill). */
static int void_exclusion(struct store *s, const struct motion_effect *m, int64_t body,
			  int64_t decision, json_t *j)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE memberships SET status = 'active', since = ?"
		" WHERE body_id = ? AND status = 'excluded' AND account_id = (SELECT a.id"
		" FROM accounts a, motions x WHERE x.id = ? AND a.handle ="
		" json_extract(x.params, '$.member'))");
	sqlite3_bind_int64(st, 1, m->now);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, decision);
	int rc = store_run(st);
	if (!rc)
		json_object_set_new(j, "membership_restored",
				    json_boolean(sqlite3_changes(store_db(s))));
	return rc;
}

/* The enterprise's membership of the federation the decision joined (or
 * founded) ends, as by leaving, when it still holds. */
static int void_federation(struct store *s, const struct motion_effect *m, int64_t body,
			   int64_t decision, const char *kind, json_t *j)
{
	int64_t fed = 0, withdrawn = 0;
	int delta = 0, found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT f.id FROM motions x JOIN bodies f"
		" ON f.slug = json_extract(x.params, ?) JOIN federation_members fm"
		" ON fm.federation_id = f.id AND fm.member_id = ? AND fm.status IN"
		" ('active', 'suspended') WHERE x.id = ?");
	sqlite3_bind_text(st, 1, !strcmp(kind, "found_federation") ? "$.slug"
			  : "$.federation", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, decision);
	int rc = store_int64(st, &fed, &found);
	if (rc || !found)
		return rc;
	if ((rc = fed_set_member_status(s, fed, body, "left", m->motion_id, m->now, m->actor,
					&withdrawn, &delta)))
		return rc;
	json_t *scratch = json_object();
	rc = proposal_membership_changed(s, fed, body, delta, m->now, m->actor, scratch);
	json_decref(scratch);
	if (!rc)
		json_object_set_new(j, "left_federation", json_integer(fed));
	return rc;
}

/* The seats the decision gave, still held, end as by a recall. */
static int void_delegates(struct store *s, const struct motion_effect *m, int64_t decision,
			  json_t *j)
{
	int64_t fed[64], account[64];
	size_t n = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT federation_id, account_id FROM delegations"
		" WHERE elected_by = ? AND recalled_by IS NULL ORDER BY id LIMIT 64");
	sqlite3_bind_int64(st, 1, decision);
	while (n < 64 && store_next(st, &rc)) {
		fed[n] = sqlite3_column_int64(st, 0);
		account[n++] = sqlite3_column_int64(st, 1);
	}
	if (rc)
		return rc;
	st = store_stmt(s, "UPDATE delegations SET recalled_by = ?, recalled_at = ?"
			   " WHERE elected_by = ? AND recalled_by IS NULL");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, decision);
	if ((rc = store_run(st)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++)
		rc = fed_sync_seat(s, fed[i], account[i], m->motion_id, m->now, m->actor, NULL);
	if (!rc)
		json_object_set_new(j, "seats_ended", json_integer((json_int_t)n));
	return rc;
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
	else if (!strcmp(kind, "state_commitment"))
		rc = void_commitment(s, m, decision, v);
	else if (!strcmp(kind, "exclude_member"))
		rc = void_exclusion(s, m, body, decision, v);
	else if (!strcmp(kind, "found_federation") || !strcmp(kind, "join_federation"))
		rc = void_federation(s, m, body, decision, kind, v);
	else if (!strcmp(kind, "elect_delegates"))
		rc = void_delegates(s, m, decision, v);
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
	  .help = N_("An adopted decision of an enterprise located in this community"
		  " whose effect reaches outside it: a resolution, an admission, an"
		  " exclusion, conditions of membership, a commitment, joining or"
		  " founding a federation, electing delegates, an answer to a"
		  " federation's proposal.") },
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
