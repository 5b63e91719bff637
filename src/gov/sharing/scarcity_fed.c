/*
 * scarcity_fed.c: a rationing policy shared across a federation (issue 16
 * item 3, docs/sharing.md "Scarcity shared across a federation").
 *
 * A delegate assembly proposes, by its motion propose_scarcity, a policy
 * for a good (the parameters of declare_scarce), or by
 * propose_lift_scarcity its end. The proposal is an ordinary federation
 * proposal (src/gov/federation/proposal.c: versions, offers, answers,
 * amendments, its condition); this file only remembers what it proposes
 * for the good (proposal_scarcities) and says what happens when it takes
 * effect in a local assembly (sharing_proposal_effect, called by
 * proposal.c where the law enters that assembly's register).
 *
 * Invariants:
 *   - the policy applies only where the proposal takes effect in the
 *     local assembly of the good's community, the one that may declare it
 *     scarce alone: its own acceptance (answer_proposal) is the decision
 *     the scarcity names (scarcities.motion_id), beside the proposal
 *     (scarcities.proposal_id). No other assembly's acceptance writes that
 *     community's register of scarcities.
 *   - a proposal declares (or lifts) at most once, when it first takes
 *     effect in the good's assembly: a later version met there, its law
 *     amended, or accepted again after a repeal, leaves the register of
 *     scarcities as it is. One the good cannot take then (scarce already,
 *     withdrawn) is not applied, and the entry says why, by a code; it is
 *     not tried again.
 *   - the rounds of a good scarce by a proposal take requests from the
 *     members of every local assembly holding that proposal's law in
 *     force (and of the good's own assembly), in whichever economy
 *     (sharing_may_request); anyone else is refused naming the proposal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/federation/federation.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

/* The local assembly of the community where the good's enterprise is: the
 * one that may declare it scarce on its own. PX_E_NOT_FOUND naming
 * params.good when there is no such good (or no such assembly). */
static int good_assembly(struct store *s, int64_t good, int64_t *body, struct px_error *err)
{
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT l.id FROM goods g JOIN bodies e ON e.id ="
		" g.body_id JOIN bodies l ON l.community_id = e.community_id AND l.kind = 'local'"
		" WHERE g.id = ? ORDER BY l.dissolved_at IS NOT NULL, l.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, good);
	int rc = store_int64(st, body, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "params.good", "no good %lld in any"
			       " register", (long long)good);
	return 0;
}

/* What a delegate assembly may propose about the good: it federates
 * assemblies, and the good's assembly is beneath it (only that assembly's
 * acceptance can make the policy apply). *local: that assembly. */
static int proposer_fits(struct store *s, int64_t body_id, int64_t good, int64_t *local,
			 struct px_error *err)
{
	int ent = 0, below = 0;
	int rc = fed_of_enterprises(s, body_id, &ent);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (ent)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "a federation of enterprises proposes"
			       " no rationing: the local assemblies' federations do");
	if ((rc = good_assembly(s, good, local, err)))
		return rc;
	if ((rc = fed_contains(s, body_id, *local, &below)))
		return px_fail(err, rc, NULL, NULL);
	if (!below)
		return px_fail(err, PX_E_FORBIDDEN, "params.good", "the local assembly of the"
			       " good's community is not beneath this delegate assembly: only its"
			       " acceptance could make the good scarce");
	return 0;
}

static int proposal_params(struct store *s, int64_t body_id, const struct kind_args *a,
			   json_t *canon, struct px_error *err)
{
	json_t *cond = NULL;
	if (!kind_json(a, "condition"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.condition", NULL);
	(void)body_id;
	int rc = proposal_condition_check(s, kind_json(a, "condition"), "params.condition",
					  &cond, err);
	if (rc)
		return rc;
	json_object_set_new(canon, "rationale", json_string(kind_text(a, "rationale")));
	json_object_set_new(canon, "condition", cond);
	return 0;
}

int scarcity_check_propose(struct store *s, int64_t body_id, const struct kind_args *a,
			   json_t *canon, struct px_error *err)
{
	int64_t local = 0;
	int rc = proposer_fits(s, body_id, kind_num(a, "good"), &local, err);
	/* the policy is checked as the good's own assembly's would be */
	if (!rc)
		rc = scarcity_check_declare(s, local, a, canon, err);
	return rc ? rc : proposal_params(s, body_id, a, canon, err);
}

int scarcity_check_propose_lift(struct store *s, int64_t body_id,
				const struct kind_args *a, json_t *canon,
				struct px_error *err)
{
	int64_t local = 0;
	int rc = proposer_fits(s, body_id, kind_num(a, "good"), &local, err);
	if (!rc)
		rc = scarcity_check_lift(s, local, a, canon, err);
	return rc ? rc : proposal_params(s, body_id, a, canon, err);
}

static int propose(struct store *s, const struct motion_effect *m, const char *action,
		   json_t *j)
{
	int64_t id = 0, good = json_integer_value(json_object_get(m->params, "good"));
	json_t *policy = json_deep_copy(m->params);
	char *text = NULL;
	if (!policy)
		return PX_E_NOMEM;
	/* what travels with the proposal is the policy; the rationale and
	 * the condition are the proposal's own */
	json_object_del(policy, "rationale");
	json_object_del(policy, "condition");
	text = journal_canonical(policy);
	json_decref(policy);
	if (!text)
		return PX_E_NOMEM;
	const json_t *r = json_object_get(m->params, "rationale");
	int rc = proposal_create(s, m->body_id, m->title, m->text,
				 json_is_string(r) ? json_string_value(r) : "",
				 json_object_get(m->params, "condition"), m->motion_id, m->now,
				 &id);
	if (!rc) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO proposal_scarcities(proposal_id,"
					      " good_id, action, params) VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, good);
		sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
		rc = store_run(st);
	}
	free(text);
	if (!rc) {
		json_object_set_new(j, "proposal", json_pack("{s:I, s:I}", "id", (json_int_t)id,
				    "version", (json_int_t)1));
		json_object_set_new(j, "scarcity", json_pack("{s:I, s:s}", "good",
				    (json_int_t)good, "action", action));
	}
	return rc;
}

int scarcity_apply_propose(struct store *s, const struct motion_effect *m, json_t *j,
			   struct px_error *err)
{
	int rc = propose(s, m, "declare", j);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int scarcity_apply_propose_lift(struct store *s, const struct motion_effect *m, json_t *j,
				struct px_error *err)
{
	int rc = propose(s, m, "lift", j);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int sharing_refusal(int code)
{
	return code == PX_E_CONFLICT || code == PX_E_NOT_FOUND || code == PX_E_FORBIDDEN ||
	       code == PX_E_BAD_INPUT || code == PX_E_OUT_OF_RANGE ||
	       code == PX_E_MISSING_FIELD || code == PX_E_UNAUTHENTICATED ||
	       code == PX_E_SHARING_NOT_POOLED || code == PX_E_SHARING_OPTED_OUT ||
	       code == PX_E_SHARING_STANDING || code == PX_E_SHARING_OUTSIDE ||
	       code == PX_E_NOT_MEMBER;
}

/* Why a policy could not apply, as a code the entry keeps and each reader's
 * page words in their language (NOT_APPLIED in web/js/text.js,
 * not_applied_words in src/cli/cmd_journal.c): "scarce_already" (a policy
 * was declared meanwhile), "withdrawn" (no longer offered), "not_scarce"
 * (a lift, with nothing to lift), else "refused" with the refusal's code
 * and field ("error", "field"). *out: {"not_applied", ...}. */
static int not_applied(struct store *s, int64_t good, int lift, int code,
		       const struct px_error *err, json_t **out)
{
	int withdrawn = 0, scarce = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM goods WHERE id = ? AND withdrawn_at"
				      " IS NOT NULL");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_exists(st, &withdrawn)) || (rc = sharing_good_scarce(s, good, &scarce)))
		return rc;
	const char *why = !lift && withdrawn ? "withdrawn" : !lift && scarce ? "scarce_already"
		: lift && !scarce ? "not_scarce" : "refused";
	*out = strcmp(why, "refused") ? json_pack("{s:s}", "not_applied", why)
		: json_pack("{s:s, s:s, s:s?}", "not_applied", why, "error",
			    px_code_name(code), "field", err->field);
	return *out ? 0 : PX_E_NOMEM;
}

int sharing_proposal_effect(struct store *s, int64_t proposal, int64_t body,
			    int64_t motion, int64_t now, json_t *entry)
{
	int row = 0, rc;
	int64_t good = 0, local = 0;
	char action[8] = "";
	json_t *params = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT good_id, action, params FROM"
				      " proposal_scarcities WHERE proposal_id = ?");
	sqlite3_bind_int64(st, 1, proposal);
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	good = sqlite3_column_int64(st, 0);
	snprintf(action, sizeof(action), "%s", (const char *)sqlite3_column_text(st, 1));
	params = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
	sqlite3_reset(st);
	if (!params)
		return PX_E_INTERNAL;
	struct px_error err = { 0 };
	if ((rc = good_assembly(s, good, &local, &err)) || local != body) {
		/* another assembly's acceptance: its members pool, its
		 * register holds the law, and the good's register is untouched */
		rc = rc && sharing_refusal(rc) ? 0 : rc;
		goto out;
	}
	int lift = !strcmp(action, "lift");
	int64_t versions = 0;
	/* once: the policy has its one chance when the proposal first takes
	 * effect here (this law version is linked to it already). A later
	 * version, an amendment or an acceptance after a repeal changes the
	 * law's text only, whether the policy was applied then or not */
	st = store_stmt(s, "SELECT count(*) FROM law_versions v JOIN laws l ON l.id ="
			" v.law_id WHERE l.body_id = ? AND v.proposal_id = ?");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, proposal);
	if ((rc = store_int64(st, &versions, NULL)) || versions > 1)
		goto out;
	struct motion_effect m = { .motion_id = motion, .body_id = body, .params = params,
				   .now = now };
	json_t *effect = json_object();
	if (!effect) {
		rc = PX_E_NOMEM;
		goto out;
	}
	rc = lift ? scarcity_apply_lift(s, &m, effect, &err)
		  : scarcity_apply_declare(s, &m, effect, &err);
	if (rc && sharing_refusal(rc)) {
		json_t *why = NULL;
		json_decref(effect);
		if ((rc = not_applied(s, good, lift, rc, &err, &why)))
			goto out;
		json_object_set_new(why, "good", json_integer(good));
		json_object_set_new(why, "action", json_string(action));
		json_object_set_new(entry, "scarcity", why);
		goto out;
	}
	json_decref(effect);
	if (rc)
		goto out;
	if (!lift) {
		st = store_stmt(s, "UPDATE scarcities SET proposal_id = ? WHERE good_id = ?"
				" AND lifted_at IS NULL");
		sqlite3_bind_int64(st, 1, proposal);
		sqlite3_bind_int64(st, 2, good);
		if ((rc = store_run(st)))
			goto out;
	}
	json_object_set_new(entry, "scarcity", json_pack("{s:I, s:s}", "good",
			    (json_int_t)good, "action", action));
out:
	json_decref(params);
	return rc;
}

/* The refusal of someone outside the pool, naming why: their local
 * assembly's latest answer to the proposal (rejected, amended, repealed,
 * none), or that they belong to no local assembly. */
static int not_pooled(struct store *s, int64_t proposal, int64_t who, struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, (SELECT a.answer FROM"
		" proposal_answers a WHERE a.proposal_id = ?1 AND a.body_id = b.id ORDER BY"
		" a.id DESC LIMIT 1) FROM memberships m JOIN bodies b ON b.id = m.body_id AND"
		" b.kind = 'local' WHERE m.account_id = ?2 AND m.status = 'active'"
		" ORDER BY b.id LIMIT 1");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, who);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_SHARING_NOT_POOLED, NULL, "this good is rationed by"
			       " proposal %lld of a federation: only members of the local"
			       " assemblies that accepted it ask in its rounds, and you are a"
			       " member of none", (long long)proposal);
	char slug[72];
	const char *answer = (const char *)sqlite3_column_text(st, 1);
	snprintf(slug, sizeof(slug), "%s", (const char *)sqlite3_column_text(st, 0));
	int rejected = answer && !strcmp(answer, "reject");
	int repealed = answer && !strcmp(answer, "repealed");
	int none = !answer;
	sqlite3_reset(st);
	/* one call per sentence: xgettext extracts each */
	if (rejected)
		return px_fail(err, PX_E_SHARING_NOT_POOLED, NULL, "this good is rationed by"
			       " proposal %lld of a federation: only members of the local"
			       " assemblies that accepted it ask in its rounds, and %s rejected"
			       " it", (long long)proposal, slug);
	if (repealed)
		return px_fail(err, PX_E_SHARING_NOT_POOLED, NULL, "this good is rationed by"
			       " proposal %lld of a federation: only members of the local"
			       " assemblies that accepted it ask in its rounds, and %s repealed"
			       " the law it made", (long long)proposal, slug);
	if (none)
		return px_fail(err, PX_E_SHARING_NOT_POOLED, NULL, "this good is rationed by"
			       " proposal %lld of a federation: only members of the local"
			       " assemblies that accepted it ask in its rounds, and %s has not"
			       " answered it", (long long)proposal, slug);
	return px_fail(err, PX_E_SHARING_NOT_POOLED, NULL, "this good is rationed by"
		       " proposal %lld of a federation: only members of the local"
		       " assemblies that accepted it ask in its rounds, and your assembly"
		       " did not accept it", (long long)proposal);
}

int sharing_may_request(struct store *s, const struct good_row *g, int64_t scarcity,
			int64_t who, struct px_error *err)
{
	int64_t proposal = 0;
	int yes = 0, rank = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(proposal_id, 0) FROM scarcities"
				      " WHERE id = ?");
	sqlite3_bind_int64(st, 1, scarcity);
	if ((rc = store_int64(st, &proposal, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (!proposal)
		return sharing_may_take(s, g, who, 1, err);
	if (!who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	if (g->withdrawn)
		return px_fail(err, PX_E_CONFLICT, NULL, "this good is no longer offered");
	st = store_stmt(s, "SELECT 1 FROM memberships m WHERE m.account_id = ?2 AND"
		" m.status = 'active' AND (m.body_id = (SELECT body_id FROM scarcities WHERE"
		" id = ?3) OR m.body_id IN (SELECT body_id FROM laws WHERE proposal_id = ?1"
		" AND status = 'in_force'))");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, who);
	sqlite3_bind_int64(st, 3, scarcity);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return not_pooled(s, proposal, who, err);
	if ((rc = sharing_opted_out(s, who, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_SHARING_OPTED_OUT, NULL, NULL);
	if ((rc = economy_person_standing(s, who, &rank)))
		return px_fail(err, rc, NULL, NULL);
	if (rank != ECONOMY_GOOD)
		return px_fail(err, PX_E_SHARING_STANDING, NULL, NULL);
	return 0;
}

int sharing_scarcity_pool(struct store *s, int64_t scarcity, json_t **out)
{
	*out = json_array();
	if (!*out)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, b.name, k.body_id = b.id FROM"
		" scarcities k JOIN bodies b ON b.id = k.body_id OR b.id IN (SELECT l.body_id"
		" FROM laws l WHERE l.proposal_id = k.proposal_id AND l.status = 'in_force')"
		" WHERE k.id = ? AND k.proposal_id IS NOT NULL GROUP BY b.id ORDER BY b.slug");
	sqlite3_bind_int64(st, 1, scarcity);
	int rc = 0;
	while (store_next(st, &rc))
		json_array_append_new(*out, json_pack("{s:s, s:s, s:b}", "slug",
			(const char *)sqlite3_column_text(st, 0), "name",
			(const char *)sqlite3_column_text(st, 1), "declares",
			sqlite3_column_int(st, 2)));
	return rc;
}

int sharing_proposal_policy(struct store *s, int64_t proposal, json_t **out)
{
	int row = 0;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT p.good_id, p.action, p.params, g.name,"
		" g.unit, g.units, e.slug FROM proposal_scarcities p JOIN goods g ON g.id ="
		" p.good_id JOIN sharing_economies e ON e.id = g.economy_id"
		" WHERE p.proposal_id = ?");
	sqlite3_bind_int64(st, 1, proposal);
	int rc = store_step(st, &row);
	if (rc || !row)
		return rc;
	json_t *params = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
	*out = params ? json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "good",
		(json_int_t)sqlite3_column_int64(st, 0),
		"action", (const char *)sqlite3_column_text(st, 1),
		"good_name", (const char *)sqlite3_column_text(st, 3),
		"unit", (const char *)sqlite3_column_text(st, 4),
		"units", (const char *)sqlite3_column_text(st, 5),
		"economy", (const char *)sqlite3_column_text(st, 6), "params", params) : NULL;
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}
