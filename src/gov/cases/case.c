/*
 * case.c: cases, the civil service and its recommendations (docs/cases.md).
 *
 * The acts of people (a petition, a recommendation, a report) and of the
 * clock (a review opens) are here; the assembly's decisions are the kinds
 * of cases_kinds.c. Each act is applied from its journal payload by the
 * same function live and in replay, and every rule is checked there, so
 * a journal that breaks one does not replay.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diff.h"
#include "core/errors.h"
#include "core/i18n.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/cases/cases.h"
#include "gov/cases/cases_apply.h"
#include "banned.h"

/* ---- shared helpers ---- */

/* Where a case stands, for a step it does not allow: [hearing, remedy]. */
static const struct { const char *state, *why[2]; } state_fails[] = {
	{ "petitioned", { N_("evidence is heard while the case is in hearing: the"
			     " assembly has not decided yet whether to take it up"),
			  N_("the assembly has not asked for a remedy on this case: it"
			     " has not decided yet whether to take it up") } },
	{ "declined", { N_("evidence is heard while the case is in hearing: the"
			   " assembly declined this case"),
			N_("the assembly has not asked for a remedy on this case: it"
			   " declined the case") } },
	{ "hearing", { NULL, N_("the assembly has not asked for a remedy on this case:"
				" it is still in hearing") } },
	{ "harm_found", { N_("evidence is heard while the case is in hearing: the"
			     " hearing is over, harm was found"),
			  N_("the assembly has not asked for a remedy on this case yet:"
			     " harm was found and the remedy is to be asked for") } },
	{ "no_harm", { N_("evidence is heard while the case is in hearing: the"
			  " hearing is over, no harm was found"),
		       N_("the assembly has not asked for a remedy on this case: no"
			  " harm was found") } },
	{ "remedy_requested", { N_("evidence is heard while the case is in hearing: the"
				   " hearing is over, a remedy is asked of the civil"
				   " service"), NULL } },
	{ "recommendation_received", { N_("evidence is heard while the case is in"
					  " hearing: the hearing is over, a remedy is"
					  " recommended"),
				       N_("a remedy is recommended on this case already:"
					  " the assembly decides on it") } },
	{ "in_force", { N_("evidence is heard while the case is in hearing: the"
			   " hearing is over, a remedy is in force"),
			N_("a remedy is in force on this case already") } },
	{ "under_review", { N_("evidence is heard while the case is in hearing: the"
			       " remedy of this case is under review"),
			    N_("the assembly has not asked for a remedy on this case: its"
			       " remedy is under review") } },
	{ "withdrawn", { N_("evidence is heard while the case is in hearing: the"
			    " remedy of this case was withdrawn"),
			 N_("the assembly has not asked for a remedy on this case: its"
			    " remedy was withdrawn") } },
};

int case_state_fail(struct px_error *err, const char *state, enum case_needs what)
{
	for (size_t i = 0; i < sizeof(state_fails) / sizeof(state_fails[0]); i++)
		if (!strcmp(state_fails[i].state, state) && state_fails[i].why[what])
			return px_fail_text(err, PX_E_CONFLICT, NULL, state_fails[i].why[what]);
	return what == CASE_NEEDS_HEARING
	       ? px_fail(err, PX_E_CONFLICT, NULL, "evidence is heard while the case is in"
			 " hearing")
	       : px_fail(err, PX_E_CONFLICT, NULL, "the assembly has not asked for a"
			 " remedy on this case");
}

int case_load(struct store *s, int64_t id, const char *field, struct case_row *c,
	      struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT c.id, c.polity_id, p.body_id,"
		" coalesce(c.law_number, 0), coalesce(c.deadline, 0), coalesce(c.review_at, 0),"
		" coalesce(c.remedy_id, 0), coalesce(c.review_harm, -1), c.state"
		" FROM cases c JOIN polities p ON p.id = c.polity_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, field, "no case %lld", (long long)id);
	c->id = sqlite3_column_int64(st, 0);
	c->polity_id = sqlite3_column_int64(st, 1);
	c->body_id = sqlite3_column_int64(st, 2);
	c->law = sqlite3_column_int64(st, 3);
	c->deadline = sqlite3_column_int64(st, 4);
	c->review_at = sqlite3_column_int64(st, 5);
	c->remedy_id = sqlite3_column_int64(st, 6);
	c->review_harm = sqlite3_column_int64(st, 7);
	snprintf(c->state, sizeof(c->state), "%s", (const char *)sqlite3_column_text(st, 8));
	sqlite3_reset(st);
	return 0;
}

int case_set_state(struct store *s, int64_t id, const char *state, int64_t at)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET state = ?, updated_at = ?"
				      " WHERE id = ?");
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, id);
	return store_run(st);
}

int case_step(struct store *s, int64_t id, const char *step, int64_t at, const char *actor,
	      int64_t motion_id, const char *note)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO case_steps(case_id, n, step, at, actor,"
		" motion_id, note) VALUES (?1, (SELECT coalesce(max(n), 0) + 1 FROM case_steps"
		" WHERE case_id = ?1), ?2, ?3, ?4, ?5, ?6)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, step, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_text(st, 4, actor, -1, SQLITE_TRANSIENT);
	if (motion_id)
		sqlite3_bind_int64(st, 5, motion_id);
	else
		sqlite3_bind_null(st, 5);
	if (note)
		sqlite3_bind_text(st, 6, note, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 6);
	return store_run(st);
}

int case_servants(struct store *s, int64_t polity_id, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM civil_servants"
				      " WHERE polity_id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	return store_int64(st, n, NULL);
}

static int law_row(sqlite3_stmt *st, int64_t *version, char **title, char **text,
		   int *in_force)
{
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	if (version)
		*version = sqlite3_column_int64(st, 0);
	if (title)
		*title = strdup((const char *)sqlite3_column_text(st, 1));
	if (text)
		*text = strdup((const char *)sqlite3_column_text(st, 2));
	if (in_force)
		*in_force = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	if ((title && !*title) || (text && !*text))
		return PX_E_NOMEM;
	return 0;
}

int case_law_latest(struct store *s, int64_t body_id, int64_t number, int64_t *version,
		    char **title, char **text, int *in_force)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT v.version, v.title, v.text,"
		" l.status = 'in_force' FROM laws l JOIN law_versions v ON v.law_id = l.id"
		" WHERE l.body_id = ? AND l.number = ? ORDER BY v.version DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, number);
	return law_row(st, version, title, text, in_force);
}

int case_law_version(struct store *s, int64_t body_id, int64_t number, int64_t version,
		     char **title, char **text)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT v.version, v.title, v.text, 1 FROM laws l"
		" JOIN law_versions v ON v.law_id = l.id WHERE l.body_id = ? AND l.number = ?"
		" AND v.version = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, number);
	sqlite3_bind_int64(st, 3, version);
	return law_row(st, NULL, title, text, NULL);
}

static int polity_by_slug(struct store *s, const char *slug, const char *field,
			  int64_t *id, int64_t *body_id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, body_id FROM polities WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug ? slug : "", -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, field, "no polity '%s'", slug ? slug : "");
	*id = sqlite3_column_int64(st, 0);
	if (body_id)
		*body_id = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

static int account_by_handle(struct store *s, const char *handle, const char *field,
			     int64_t *id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle ? handle : "", -1, SQLITE_TRANSIENT);
	int found = 0, rc = store_int64(st, id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, field, "no person '%s'", handle ? handle : "");
	return 0;
}

static int is_servant(struct store *s, int64_t polity_id, int64_t account, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM civil_servants WHERE polity_id = ?"
				      " AND account_id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, account);
	return store_exists(st, yes);
}

/* A citizen of the polity at at: consent valid, residence in its region;
 * or, consent 0, a resident of its region. */
static int is_citizen(struct store *s, int64_t polity_id, int64_t account, int64_t at,
		      int consent, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "WITH RECURSIVE down(id) AS (SELECT region_id"
		" FROM polities WHERE id = ?1 UNION SELECT p.part_id FROM region_parts p"
		" JOIN down ON p.region_id = down.id)"
		" SELECT 1 FROM residences r WHERE r.account_id = ?2 AND (NOT ?4 OR EXISTS"
		" (SELECT 1 FROM consents c WHERE c.account_id = r.account_id AND"
		" c.expires_at > ?3)) AND r.community_id IN"
		" (SELECT community_id FROM region_communities WHERE region_id IN"
		" (SELECT id FROM down))");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_int(st, 4, consent);
	return store_exists(st, yes);
}

static const char *str(const json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

static int64_t num(const json_t *p, const char *key)
{
	return json_integer_value(json_object_get(p, key));
}

/* ---- the effects, live and in replay ---- */

int cases_apply_servant(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	int64_t polity_id, account;
	int yes = 0;
	int rc = polity_by_slug(s, str(p, "polity"), "polity", &polity_id, NULL, err);
	if (rc || (rc = account_by_handle(s, str(p, "person"), "handle", &account, err)))
		return rc;
	if ((rc = is_servant(s, polity_id, account, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_CONFLICT, "handle", "%s is already a civil servant of"
			       " this polity", str(p, "person"));
	/* staff, never members: not one who holds a seat of the polity's
	 * assembly or is summoned to one */
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM summons WHERE polity_id = ?"
		" AND account_id = ? AND state IN ('summoned', 'excuse_requested', 'accepted')");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, account);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_CONFLICT, "handle", "%s holds a seat of this polity's"
			       " assembly or is summoned to one: a civil servant is never a"
			       " member", str(p, "person"));
	/* nor one ranked to be called to a vacant seat */
	st = store_stmt(s, "SELECT 1 FROM renewal_ranks k JOIN renewals r ON r.id ="
			" k.renewal_id WHERE r.polity_id = ? AND k.account_id = ? AND k.state ="
			" 'waiting'");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, account);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_CONFLICT, "handle", "%s is an alternate of this polity's"
			       " assembly, who may be called to a seat: a civil servant is never a"
			       " member", str(p, "person"));
	st = store_stmt(s, "INSERT INTO civil_servants(polity_id, account_id, added_at)"
			" VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_int64(st, 3, at);
	rc = store_run(st);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int cases_apply_petition(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	int64_t polity_id, body_id, account, law = num(p, "law");
	int yes = 0, in_force = 0;
	int rc = polity_by_slug(s, str(p, "polity"), NULL, &polity_id, &body_id, err);
	if (rc || (rc = account_by_handle(s, str(p, "person"), "person", &account, err)))
		return rc;
	/* who may petition: the rule its assembly set (the default: any
	 * citizen) */
	char who[16];
	int anonymous;
	if ((rc = case_rules(s, polity_id, who, &anonymous)))
		return px_fail(err, rc, NULL, NULL);
	if (!strcmp(who, "members"))
		rc = case_seated(s, body_id, account, &yes);
	else
		rc = is_citizen(s, polity_id, account, at, !strcmp(who, "citizens"), &yes);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!yes && !strcmp(who, "members"))
		return px_fail(err, PX_E_FORBIDDEN, NULL, "by its assembly's decision, only the"
			       " members of the polity's assembly may petition it");
	if (!yes && !strcmp(who, "residents"))
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only a resident of the polity's region"
			       " may petition it");
	if (!yes)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only a citizen of the polity (consent"
			       " valid, residence in its region) may petition it");
	if (law) {
		int64_t version;
		rc = case_law_latest(s, body_id, law, &version, NULL, NULL, &in_force);
		if (rc == PX_E_NOT_FOUND)
			return px_fail(err, rc, "law", "no law %lld in this polity's register",
				       (long long)law);
		if (rc)
			return px_fail(err, rc, NULL, NULL);
		if (!in_force)
			return px_fail(err, PX_E_CONFLICT, "law", "law %lld was repealed",
				       (long long)law);
	}
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO cases(id, polity_id, law_number, absence,"
		" title, statement, petitioner_id, state, opened_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, 'petitioned', ?8, ?8)");
	sqlite3_bind_int64(st, 1, num(p, "case"));
	sqlite3_bind_int64(st, 2, polity_id);
	if (law)
		sqlite3_bind_int64(st, 3, law);
	else
		sqlite3_bind_null(st, 3);
	if (str(p, "absence"))
		sqlite3_bind_text(st, 4, str(p, "absence"), -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_text(st, 5, str(p, "title"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, str(p, "statement"), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, account);
	sqlite3_bind_int64(st, 8, at);
	if ((rc = store_run(st)) ||
	    (rc = case_step(s, num(p, "case"), "petitioned", at, str(p, "person"), 0, NULL)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

/* The person of p is a civil servant of the case's polity. */
static int servant_of(struct store *s, const json_t *p, const struct case_row *c,
		      int64_t *account, struct px_error *err)
{
	int yes = 0;
	int rc = account_by_handle(s, str(p, "person"), "person", account, err);
	if (rc)
		return rc;
	if ((rc = is_servant(s, c->polity_id, *account, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only a civil servant of the case's"
			       " polity may do this");
	return 0;
}

int cases_apply_recommend(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	struct case_row c;
	int64_t account, law = num(p, "law"), base = 0;
	int in_force = 0;
	int rc = case_load(s, num(p, "case"), NULL, &c, err);
	if (rc || (rc = servant_of(s, p, &c, &account, err)))
		return rc;
	if (strcmp(c.state, "remedy_requested"))
		return case_state_fail(err, c.state, CASE_NEEDS_REMEDY_ASKED);
	if (law) {
		rc = case_law_latest(s, c.body_id, law, &base, NULL, NULL, &in_force);
		if (rc == PX_E_NOT_FOUND)
			return px_fail(err, rc, "law", "no law %lld in this polity's register",
				       (long long)law);
		if (rc)
			return px_fail(err, rc, NULL, NULL);
		if (!in_force)
			return px_fail(err, PX_E_CONFLICT, "law", "law %lld was repealed",
				       (long long)law);
	}
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO case_recommendations(id, case_id,"
		" author_id, law_number, base_version, title, text, rationale, effect, measures,"
		" alternatives, submitted_at, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'submitted')");
	sqlite3_bind_int64(st, 1, num(p, "recommendation"));
	sqlite3_bind_int64(st, 2, c.id);
	sqlite3_bind_int64(st, 3, account);
	if (law) {
		sqlite3_bind_int64(st, 4, law);
		sqlite3_bind_int64(st, 5, base);
	} else {
		sqlite3_bind_null(st, 4);
		sqlite3_bind_null(st, 5);
	}
	static const char *const texts[] = { "title", "text", "rationale", "effect",
					     "measures", "alternatives" };
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(st, 6 + i, str(p, texts[i]) ? str(p, texts[i]) : "", -1,
				  SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 12, at);
	if ((rc = store_run(st)) || (rc = case_set_state(s, c.id, "recommendation_received", at)) ||
	    (rc = case_step(s, c.id, "recommended", at, str(p, "person"), 0, str(p, "title"))))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

int cases_apply_report(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	struct case_row c;
	int64_t account;
	int rc = case_load(s, num(p, "case"), NULL, &c, err);
	if (rc || (rc = servant_of(s, p, &c, &account, err)))
		return rc;
	if (strcmp(c.state, "under_review"))
		return px_fail(err, PX_E_CONFLICT, NULL, "the case is not under review (it is"
			       " %s)", c.state);
	rc = case_step(s, c.id, "reported", at, str(p, "person"), 0, str(p, "text"));
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int cases_apply_review_open(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	struct case_row c;
	int rc = case_load(s, num(p, "case"), "case", &c, err);
	if (rc)
		return rc;
	if (strcmp(c.state, "in_force") || !c.review_at || c.review_at > at ||
	    c.review_at != num(p, "review_at"))
		return px_fail(err, PX_E_CONFLICT, "case", "case %lld has no review due",
			       (long long)c.id);
	sqlite3_stmt *st = store_stmt(s, "UPDATE cases SET review_harm = NULL WHERE id = ?");
	sqlite3_bind_int64(st, 1, c.id);
	if ((rc = store_run(st)) || (rc = case_set_state(s, c.id, "under_review", at)) ||
	    (rc = case_step(s, c.id, "review_opened", at, "operator", 0, NULL)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

/* ---- the live acts ---- */

struct act_args {
	const struct gov_ctx *ctx;
	const char *action;
	int (*apply)(struct store *s, const json_t *p, int64_t at, struct px_error *err);
	json_t *payload;
	const char *id_key;   /* the new row's id, chosen in the transaction */
	const char *id_sql;
	int64_t case_id;      /* the case the act is about (0: none) */
	char body[GOV_SLUG_SIZE];
	struct px_error *err;
};

static int act_tx(struct store *s, void *arg)
{
	struct act_args *a = arg;
	int rc;
	if (a->id_key) {
		int64_t id = 0;
		sqlite3_stmt *st = store_stmt(s, a->id_sql);
		if ((rc = store_int64(st, &id, NULL)))
			return px_fail(a->err, rc, NULL, NULL);
		json_object_set_new(a->payload, a->id_key, json_integer(id));
		if (!strcmp(a->id_key, "case"))
			a->case_id = id;
	}
	if ((rc = a->apply(s, a->payload, a->ctx->now, a->err)))
		return rc;
	if ((rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->body, a->action,
				 a->payload, NULL)))
		return px_fail(a->err, rc, NULL, NULL);
	return 0;
}

static int act(struct act_args *a)
{
	if (!a->payload)
		return px_fail(a->err, PX_E_NOMEM, NULL, NULL);
	int rc = store_tx(a->ctx->db, act_tx, a);
	json_decref(a->payload);
	return rc && !a->err->code ? px_fail(a->err, rc, NULL, NULL) : rc;
}

/* The slug of the case's polity (its assembly's too). */
static int case_polity_slug(struct store *s, int64_t case_id, char *slug, size_t n,
			    struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT p.slug FROM cases c JOIN polities p"
				      " ON p.id = c.polity_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, case_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no case %lld", (long long)case_id);
	snprintf(slug, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int gov_civil_servant_add(const struct gov_ctx *ctx, const char *polity, const char *handle,
			  json_t **out, struct px_error *err)
{
	*out = NULL;
	if (!ctx->operator)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only the operator registers the civil"
			       " service of a polity");
	struct act_args a = { .ctx = ctx, .action = "civil_servant.add",
			      .apply = cases_apply_servant, .err = err,
			      .payload = json_pack("{s:s, s:s}", "polity", polity ? polity : "",
						   "person", handle ? handle : "") };
	snprintf(a.body, sizeof(a.body), "%s", polity ? polity : "");
	int rc = act(&a);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:s, s:I}", "polity", polity, "handle", handle, "added_at",
			 (json_int_t)ctx->now);
	return 0;
}

int gov_case_petition(const struct gov_ctx *ctx, const char *polity,
		      const struct case_petition *in, json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (in->law < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "law", "a law's number is 1 or more");
	if (!in->law && (!in->absence || !*in->absence))
		return px_fail(err, PX_E_MISSING_FIELD, "absence", "name the law the case is"
			       " about, or what the law says nothing about");
	if (in->law && in->absence)
		return px_fail(err, PX_E_BAD_INPUT, "absence", "a case is about a law or about"
			       " an absence, not both");
	if (in->absence && text_check_line(in->absence, 1, 500))
		return px_fail(err, PX_E_BAD_INPUT, "absence", "one line of 1 to 500 characters");
	if (!in->title || text_check_line(in->title, 1, CASE_TITLE_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "title", "one line of 1 to 200 characters");
	if (!in->statement || text_check_block(in->statement, 1, CASE_TEXT_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "statement", "1 to 50,000 characters of text");
	struct act_args a = { .ctx = ctx, .action = "case.petition",
			      .apply = cases_apply_petition, .err = err, .id_key = "case",
			      .id_sql = "SELECT coalesce(max(id), 0) + 1 FROM cases",
			      .payload = json_pack("{s:s, s:s, s:s, s:s}", "polity",
						   polity ? polity : "", "person", ctx->handle,
						   "title", in->title, "statement",
						   in->statement) };
	if (a.payload) {
		json_object_set_new(a.payload, "law", in->law ? json_integer(in->law)
							      : json_null());
		json_object_set_new(a.payload, "absence", in->absence
				    ? json_string(in->absence) : json_null());
	}
	snprintf(a.body, sizeof(a.body), "%s", polity ? polity : "");
	if ((rc = act(&a)))
		return rc;
	return gov_case_get(ctx, a.case_id, out, err);
}

int gov_case_recommend(const struct gov_ctx *ctx, int64_t case_id,
		       const struct case_recommendation *in, json_t **out,
		       struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	static const struct { const char *name; long max; } fields[] = {
		{ "title", CASE_TITLE_MAX }, { "text", CASE_TEXT_MAX },
		{ "rationale", CASE_TEXT_MAX }, { "effect", CASE_TEXT_MAX },
		{ "measures", CASE_TEXT_MAX }, { "alternatives", CASE_TEXT_MAX } };
	const char *v[] = { in->title, in->text, in->rationale, in->effect, in->measures,
			    in->alternatives };
	if (in->law < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "law", "a law's number is 1 or more"
			       " (0: a new law)");
	for (int i = 0; i < 6; i++) {
		if (!v[i] && i == 0 && in->law)
			continue; /* an amendment keeps the law's title */
		if (!v[i])
			return px_fail(err, PX_E_MISSING_FIELD, fields[i].name, "%s is required",
				       fields[i].name);
		if (i == 0 ? text_check_line(v[i], 1, fields[i].max)
			   : text_check_block(v[i], 1, fields[i].max))
			return px_fail(err, PX_E_BAD_INPUT, fields[i].name, i == 0
				       ? "one line of 1 to 200 characters"
				       : "1 to 50,000 characters of text");
	}
	char slug[GOV_SLUG_SIZE];
	if ((rc = case_polity_slug(ctx->db, case_id, slug, sizeof(slug), err)))
		return rc;
	json_t *p = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "case",
			      (json_int_t)case_id, "person", ctx->handle, "text", in->text,
			      "rationale", in->rationale, "effect", in->effect, "measures",
			      in->measures, "alternatives", in->alternatives);
	if (p) {
		json_object_set_new(p, "law", in->law ? json_integer(in->law) : json_null());
		json_object_set_new(p, "title", in->title ? json_string(in->title)
							  : json_null());
	}
	struct act_args a = { .ctx = ctx, .action = "case.recommend",
			      .apply = cases_apply_recommend, .err = err, .payload = p,
			      .id_key = "recommendation",
			      .id_sql = "SELECT coalesce(max(id), 0) + 1 FROM case_recommendations" };
	snprintf(a.body, sizeof(a.body), "%s", slug);
	if ((rc = act(&a)))
		return rc;
	return gov_case_get(ctx, case_id, out, err);
}

int gov_case_report(const struct gov_ctx *ctx, int64_t case_id, const char *text,
		    json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!text || text_check_block(text, 1, CASE_TEXT_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "text", "1 to 50,000 characters of text");
	char slug[GOV_SLUG_SIZE];
	if ((rc = case_polity_slug(ctx->db, case_id, slug, sizeof(slug), err)))
		return rc;
	struct act_args a = { .ctx = ctx, .action = "case.report", .apply = cases_apply_report,
			      .err = err, .payload = json_pack("{s:I, s:s, s:s}", "case",
				(json_int_t)case_id, "person", ctx->handle, "text", text) };
	snprintf(a.body, sizeof(a.body), "%s", slug);
	if ((rc = act(&a)))
		return rc;
	return gov_case_get(ctx, case_id, out, err);
}

/* ---- the clock ---- */

struct clock_args {
	int64_t now, made;
	struct px_error *err;
};

static int clock_tx(struct store *s, void *arg)
{
	struct clock_args *a = arg;
	a->made = 0;
	int rc = 0;
	json_t *due = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT c.id, c.review_at, p.slug FROM cases c"
		" JOIN polities p ON p.id = c.polity_id WHERE c.state = 'in_force'"
		" AND c.review_at <= ? ORDER BY c.review_at, c.id");
	sqlite3_bind_int64(st, 1, a->now);
	while (store_next(st, &rc))
		json_array_append_new(due, json_pack("{s:I, s:I, s:s}",
			"case", (json_int_t)sqlite3_column_int64(st, 0),
			"review_at", (json_int_t)sqlite3_column_int64(st, 1),
			"slug", (const char *)sqlite3_column_text(st, 2)));
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d) {
		if (rc)
			break;
		json_t *p = json_pack("{s:O, s:O}", "case", json_object_get(d, "case"),
				      "review_at", json_object_get(d, "review_at"));
		if (!p) {
			rc = px_fail(a->err, PX_E_NOMEM, NULL, NULL);
			break;
		}
		rc = cases_apply_review_open(s, p, a->now, a->err);
		if (!rc && (rc = journal_append(s, a->now, "operator", str(d, "slug"),
						"case.review_open", p, NULL)))
			px_fail(a->err, rc, NULL, NULL);
		json_decref(p);
		a->made++;
	}
	json_decref(due);
	return rc && !a->err->code ? px_fail(a->err, rc, NULL, NULL) : rc;
}

int gov_cases_clock(const struct gov_ctx *ctx, int64_t *made, struct px_error *err)
{
	struct clock_args a = { ctx->now, 0, err };
	int rc = store_tx(ctx->db, clock_tx, &a);
	if (made)
		*made = a.made;
	return rc && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
}

/* ---- replay ---- */

static const struct {
	const char *action;
	int (*apply)(struct store *s, const json_t *p, int64_t at, struct px_error *err);
	int by_person; /* the entry's actor is its "person" (2: or "anonymous",
			* when it names none) */
} entries[] = {
	{ "civil_servant.add", cases_apply_servant, 0 },
	{ "case.petition", cases_apply_petition, 1 },
	{ "case.recommend", cases_apply_recommend, 1 },
	{ "case.report", cases_apply_report, 1 },
	{ "case.review_open", cases_apply_review_open, 0 },
	{ "case.evidence", cases_apply_evidence, 2 },
	{ "case.testimony", cases_apply_testimony, 1 },
};

int cases_owns(const char *action, size_t len)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strlen(entries[i].action) == len && !memcmp(entries[i].action, action, len))
			return 1;
	return 0;
}

int cases_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		 const char *actor, struct px_error *err)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		if (strcmp(entries[i].action, action))
			continue;
		const char *person = str(payload, "person");
		if (entries[i].by_person == 2 && !person && json_is_null(json_object_get(payload,
			"person")) && !strcmp(actor, "anonymous"))
			return entries[i].apply(s, payload, at, err);
		if (entries[i].by_person && (!person || strcmp(person, actor)))
			return px_fail(err, PX_E_FORBIDDEN, "person", "the entry of %s is acted"
				       " by %s", person ? person : "nobody", actor);
		if (!entries[i].by_person && strcmp(actor, "operator"))
			return px_fail(err, PX_E_FORBIDDEN, NULL, "%s is the operator's, not %s's",
				       action, actor);
		return entries[i].apply(s, payload, at, err);
	}
	return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}
