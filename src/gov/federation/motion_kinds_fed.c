/*
 * motion_kinds_fed.c: checks and effects of the federation kinds of
 * motion (listed in motion_kinds_fed.h). A check runs at submission in
 * the body deciding; the effect runs when the motion is adopted and
 * repeats every check whose answer may have changed since (a cycle
 * formed meanwhile, a delegate who left the assembly), so nothing is
 * half done and nothing happens that the decision did not say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/people/people.h"
#include "gov/federation/federation.h"
#include "gov/gov.h"
#include "gov/federation/motion_kinds_fed.h"
#include "gov/nodes/nodes.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* ---- helpers (the row's spec checked the parameters' form) ---- */

/* The delegate assembly of that slug; field names the parameter. */
static int federation_of(struct store *s, const char *slug, const char *field,
			 int64_t *id, struct px_error *err)
{
	char kind[16];
	int rc = fed_body_by_slug(s, slug, field, id, kind, err);
	if (!rc && strcmp(kind, "delegate"))
		rc = px_fail(err, PX_E_BAD_INPUT, field, "'%s' is not a delegate assembly", slug);
	return rc;
}

static const char *pstr(const json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

/* Every change of a membership goes through here: the status, the
 * closure of the federation graph, the seats, and the running counts of
 * the proposals above (laws entering registers are added to j). */
static int member_status(struct store *s, const struct motion_effect *m, int64_t fed,
			 int64_t member, const char *status, int64_t *withdrawn, json_t *j)
{
	int delta = 0;
	int rc = fed_set_member_status(s, fed, member, status, m->motion_id, m->now,
				       m->actor, withdrawn, &delta);
	json_t *scratch = json_object();
	if (!rc)
		rc = proposal_membership_changed(s, fed, member, delta, m->now, m->actor,
						 scratch);
	json_t *entered = json_object_get(scratch, "laws_entered");
	if (!rc && j && entered)
		json_object_set(j, "laws_entered", entered);
	json_decref(scratch);
	return rc;
}

static int64_t pint(const json_t *p, const char *key)
{
	return json_integer_value(json_object_get(p, key));
}

/* Enterprises have no population: a federation of them gives each
 * member one voice (fed_enterprise.c). body_id founds or is the
 * federation. */
static int weighting_fits(struct store *s, int64_t body_id, const char *weighting,
			  struct px_error *err)
{
	int ent = 0;
	if (!weighting || strcmp(weighting, "population"))
		return 0; /* one voice per member fits every federation */
	int rc = fed_of_enterprises(s, body_id, &ent);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (ent)
		return px_fail(err, PX_E_BAD_INPUT, "params.weighting", "enterprises have no"
			       " population: a federation of enterprises gives each member"
			       " one voice");
	return 0;
}

/* ---- founding, joining, leaving ---- */

int fk_check_found_federation(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	const char *slug = kind_text(a, "slug"), *delegate = kind_text(a, "delegate");
	json_t *rules = NULL, *sched = NULL;
	int64_t id;
	char kind[16];
	int rc = 0;
	if (!fed_body_by_slug(s, slug, NULL, &id, kind, NULL))
		return px_fail(err, PX_E_EXISTS, "params.slug", "a body '%s' already exists", slug);
	/* a delegate is sent with a mandate */
	if (*delegate && !*kind_text(a, "mandate"))
		return kind_json(a, "mandate")
			? px_fail(err, PX_E_OUT_OF_RANGE, "params.mandate",
				  "mandate has 1 to 20000 characters")
			: px_fail(err, PX_E_MISSING_FIELD, "params.mandate", NULL);
	if (*delegate)
		rc = member_by_handle(s, body_id, delegate, "active", "params.delegate", &id, err);
	if (!rc && kind_json(a, "weighting"))
		rc = weighting_fits(s, body_id, kind_text(a, "weighting"), err);
	if (!rc)
		rc = body_check_rules(kind_json(a, "rule"), &rules, err);
	if (!rc)
		rc = body_check_schedule(kind_json(a, "schedule"), a->now, &sched, err);
	if (rc && err && err->field && (!strncmp(err->field, "rule", 4) ||
					!strncmp(err->field, "schedule", 8)))
		err->field = !strncmp(err->field, "rule", 4) ? "params.rule" : "params.schedule";
	if (!rc) /* the founder joins a new assembly with nothing above it */
		rc = fed_depth_check(s, 0, body_id, err);
	if (!rc) {
		json_object_set_new(canon, "rule", rules);
		json_object_set_new(canon, "schedule", sched);
		rules = sched = NULL;
		json_object_set_new(canon, "weighting", json_string(
			kind_json(a, "weighting") ? kind_text(a, "weighting") : "assembly"));
		json_object_set_new(canon, "delegate", json_string(delegate));
		json_object_set_new(canon, "mandate", json_string(kind_text(a, "mandate")));
	}
	json_decref(rules);
	json_decref(sched);
	return rc;
}

static int proposer_of(struct store *s, int64_t motion, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT proposer FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	return store_int64(st, id, NULL);
}

static int seat(struct store *s, int64_t federation, int64_t member, int64_t account,
		const char *mandate, int64_t motion, int64_t now, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO delegations(federation_id, member_id,"
		" account_id, mandate, elected_by, elected_at) VALUES (?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_int64(st, 3, account);
	sqlite3_bind_text(st, 4, mandate, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, motion);
	sqlite3_bind_int64(st, 6, now);
	int rc = store_run(st);
	if (rc == PX_E_EXISTS)
		return px_fail(err, PX_E_CONFLICT, "params.delegate",
			       "that person already holds a seat in this delegate assembly");
	return rc ? rc : fed_sync_seat(s, federation, account, motion, now, NULL, NULL);
}

int fk_apply_found_federation(struct store *s, const struct motion_effect *m,
			      json_t *j, struct px_error *err)
{
	const json_t *p = m->params;
	char *rules = journal_canonical(json_object_get(p, "rule"));
	char *sched = journal_canonical(json_object_get(p, "schedule"));
	int rc = rules && sched ? 0 : PX_E_NOMEM;
	int64_t fed = 0, account, proposer = 0;
	int enterprises = 0;
	if (rc || (rc = proposer_of(s, m->motion_id, &proposer)) ||
	    (rc = fed_of_enterprises(s, m->body_id, &enterprises)))
		goto out;
	/* it federates bodies of the kind that founded it */
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO bodies(slug, kind, name, community_id,"
		" statement, rules, schedule, founded_by, founded_at, purpose, region,"
		" weighting, founded_by_motion, secret_kinds, federates) VALUES (?1, 'delegate',"
		" ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '[]', ?12) RETURNING id");
	sqlite3_bind_text(st, 1, pstr(p, "slug"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, pstr(p, "name"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, pstr(p, "statement"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, sched, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, proposer);
	sqlite3_bind_int64(st, 7, m->now);
	sqlite3_bind_text(st, 8, pstr(p, "purpose"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, pstr(p, "region"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, pstr(p, "weighting"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, m->motion_id);
	sqlite3_bind_text(st, 12, enterprises ? "enterprises" : "assemblies", -1,
			  SQLITE_STATIC);
	if ((rc = store_int64(st, &fed, NULL)) && rc != PX_E_EXISTS)
		goto out;
	if (!fed) {
		rc = px_fail(err, PX_E_EXISTS, "params.slug", "a body '%s' exists meanwhile",
			     pstr(p, "slug"));
		goto out;
	}
	if ((rc = fed_depth_check(s, fed, m->body_id, err)) ||
	    (rc = member_status(s, m, fed, m->body_id, "active", NULL, NULL)) ||
	    (rc = meeting_sync(s, fed, m->now))) /* its meetings, at once */
		goto out;
	if (*pstr(p, "delegate")) {
		if ((rc = member_by_handle(s, m->body_id, pstr(p, "delegate"), "active",
					   "params.delegate", &account, err)) ||
		    (rc = seat(s, fed, m->body_id, account, pstr(p, "mandate"), m->motion_id,
			       m->now, err)))
			goto out;
	}
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:s, s:s}",
		"slug", pstr(p, "slug"), "kind", "delegate", "name", pstr(p, "name"),
		"purpose", pstr(p, "purpose"), "region", pstr(p, "region"),
		"rules", json_object_get(p, "rule"), "schedule", json_object_get(p, "schedule"),
		"weighting", pstr(p, "weighting"),
		"federates", enterprises ? "enterprises" : "assemblies");
	rc = journal_append(s, m->now, m->actor, pstr(p, "slug"), "federation.found", body, NULL);
	json_decref(body);
	if (!rc)
		json_object_set_new(j, "federation", json_pack("{s:s, s:s?}", "slug",
				    pstr(p, "slug"), "delegate",
				    *pstr(p, "delegate") ? pstr(p, "delegate") : NULL));
out:
	free(rules);
	free(sched);
	return rc;
}

static int join_check(struct store *s, int64_t body_id, int64_t fed, struct px_error *err)
{
	char status[16];
	int cycle = 0;
	int rc = fed_member_fits(s, fed, body_id, err);
	if (rc)
		return rc;
	rc = fed_contains(s, body_id, fed, &cycle);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (cycle)
		return px_fail(err, PX_E_FED_CYCLE, "params.federation", NULL);
	if ((rc = fed_depth_check(s, fed, body_id, err)))
		return rc;
	if ((rc = fed_member_status(s, fed, body_id, status)))
		return rc;
	if (!strcmp(status, "active"))
		return px_fail(err, PX_E_CONFLICT, "params.federation",
			       "this assembly is already a member");
	if (!strcmp(status, "suspended"))
		return px_fail(err, PX_E_CONFLICT, "params.federation",
			       "this assembly's participation is suspended: only the"
			       " federation restores it");
	return 0;
}

int fk_check_join_federation(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err)
{
	int64_t fed;
	(void)canon;
	int rc = federation_of(s, kind_text(a, "federation"), "params.federation", &fed, err);
	return rc ? rc : join_check(s, body_id, fed, err);
}

int fk_apply_join_federation(struct store *s, const struct motion_effect *m,
			     json_t *j, struct px_error *err)
{
	int64_t fed;
	int rc = federation_of(s, pstr(m->params, "federation"), "params.federation", &fed,
			       err);
	if (!rc)
		rc = join_check(s, m->body_id, fed, err); /* a cycle formed meanwhile? */
	/* a member that left while suspended comes back suspended: leaving
	 * and rejoining does not undo the federation's decision */
	int suspended = 0;
	if (!rc)
		rc = fed_left_suspended(s, fed, m->body_id, &suspended);
	if (!rc)
		rc = member_status(s, m, fed, m->body_id, suspended ? "suspended" : "active",
				   NULL, j);
	if (!rc && !suspended)
		rc = proposal_offer_to_new_member(s, fed, m->body_id, m->now);
	if (!rc)
		json_object_set_new(j, "joined", json_string(pstr(m->params, "federation")));
	if (!rc && suspended)
		json_object_set_new(j, "still_suspended", json_true());
	return rc;
}

/* This assembly is a member of the delegate assembly of that slug. */
static int leave_check(struct store *s, int64_t body_id, const char *slug, int64_t *fed,
		       struct px_error *err)
{
	char status[16];
	int rc = federation_of(s, slug, "params.federation", fed, err);
	if (rc || (rc = fed_member_status(s, *fed, body_id, status)))
		return rc;
	if (strcmp(status, "active") && strcmp(status, "suspended"))
		return px_fail(err, PX_E_CONFLICT, "params.federation",
			       "this assembly is not a member");
	return 0;
}

int fk_check_leave_federation(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	int64_t fed;
	(void)canon;
	return leave_check(s, body_id, kind_text(a, "federation"), &fed, err);
}

int fk_apply_leave_federation(struct store *s, const struct motion_effect *m,
			      json_t *j, struct px_error *err)
{
	int64_t fed, withdrawn = 0;
	int rc = leave_check(s, m->body_id, pstr(m->params, "federation"), &fed, err);
	if (!rc)
		rc = member_status(s, m, fed, m->body_id, "left", &withdrawn, j);
	if (!rc)
		json_object_set_new(j, "left", json_pack("{s:s, s:I}", "federation",
				    pstr(m->params, "federation"), "votes_withdrawn",
				    (json_int_t)withdrawn));
	return rc;
}

/* ---- delegates ---- */

/* One seat: {"federation", "delegate", "mandate"}. Several at once by STV:
 * {"federation", "seats", "candidates", "mandate", "method"?} (ranked.h). */
/* May handle take a seat of body in federation fed? An active member of
 * body who holds no current seat there. */
static int candidate_check(struct store *s, int64_t body_id, int64_t fed, const char *handle,
			   const char *field, int64_t *account, struct px_error *err)
{
	int rc = member_by_handle(s, body_id, handle, "active", field, account, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM delegations WHERE federation_id = ?"
		" AND account_id = ? AND recalled_by IS NULL");
	sqlite3_bind_int64(st, 1, fed);
	sqlite3_bind_int64(st, 2, *account);
	int64_t one = 0;
	int taken = 0;
	if ((rc = store_int64(st, &one, &taken)))
		return px_fail(err, rc, NULL, NULL);
	if (taken)
		return px_fail(err, PX_E_CONFLICT, field,
			       "%s already holds a seat in that delegate assembly", handle);
	return 0;
}

/* The delegate assembly, of which this assembly is a member: common to
 * both forms. */
static int elect_common(struct store *s, int64_t body_id, const char *slug, int64_t *fed,
			struct px_error *err)
{
	char status[16];
	int rc = federation_of(s, slug, "params.federation", fed, err);
	if (rc || (rc = fed_member_status(s, *fed, body_id, status)))
		return rc;
	if (strcmp(status, "active") && strcmp(status, "suspended"))
		return px_fail(err, PX_E_CONFLICT, "params.federation",
			       "this assembly is not a member of '%s'", slug);
	return 0;
}

/* One seat: the delegate may take it. */
static int elect_one(struct store *s, int64_t body_id, const char *slug,
		     const char *delegate, int64_t *fed, int64_t *account,
		     struct px_error *err)
{
	int rc = elect_common(s, body_id, slug, fed, err);
	return rc ? rc : candidate_check(s, body_id, *fed, delegate, "params.delegate",
					 account, err);
}

/* The several-seat form (the spec bounds seats and the list): no
 * delegate besides, at least as many candidates as seats, each listed
 * once and able to take a seat. */
static int elect_stv_checks(struct store *s, int64_t body_id, const struct kind_args *a,
			    int64_t *fed, struct px_error *err)
{
	const json_t *cands = kind_json(a, "candidates");
	int64_t seats = kind_num(a, "seats"), account;
	size_t i, j;
	json_t *c;
	if (kind_json(a, "delegate"))
		return px_fail(err, PX_E_BAD_INPUT, "params.delegate",
			       "give either a delegate (one seat) or seats and candidates"
			       " (several seats by STV), not both");
	if (!kind_json(a, "seats"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.seats",
			       "several seats need seats as well as candidates");
	if (!cands)
		return px_fail(err, PX_E_MISSING_FIELD, "params.candidates", NULL);
	if (json_array_size(cands) < (size_t)seats)
		return px_fail(err, PX_E_OUT_OF_RANGE, "params.candidates",
			       "%lld seats need %lld to %d candidates", (long long)seats,
			       (long long)seats, RANKED_CANDIDATES_MAX);
	int rc = elect_common(s, body_id, kind_text(a, "federation"), fed, err);
	json_array_foreach(cands, i, c) {
		if (rc)
			return rc;
		for (j = 0; j < i; j++)
			if (!strcmp(json_string_value(json_array_get(cands, j)),
				    json_string_value(c)))
				return px_fail(err, PX_E_BAD_INPUT, "params.candidates",
					       "%s is listed twice", json_string_value(c));
		rc = candidate_check(s, body_id, *fed, json_string_value(c),
				     "params.candidates", &account, err);
	}
	return rc;
}

int fk_check_elect_delegates(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err)
{
	int64_t fed, account;
	if (kind_json(a, "seats") || kind_json(a, "candidates")) {
		int rc = elect_stv_checks(s, body_id, a, &fed, err);
		if (!rc && !kind_json(a, "method"))
			json_object_set_new(canon, "method", json_string(RANKED_DEFAULT_METHOD));
		return rc;
	}
	if (kind_json(a, "method"))
		return px_fail(err, PX_E_UNKNOWN_FIELD, "params",
			       "a method counts several seats: give seats and candidates");
	if (!kind_json(a, "delegate"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.delegate", NULL);
	return elect_one(s, body_id, kind_text(a, "federation"), kind_text(a, "delegate"),
			 &fed, &account, err);
}

/* Several seats: the candidates who can no longer take a seat (they left,
 * were excluded or took a seat meanwhile) are withdrawn before the count,
 * their ballots going to the next preference; then everyone elected is
 * seated with the one mandate. Fewer eligible candidates than seats makes
 * the decision void. */
static int apply_stv(struct store *s, const struct motion_effect *m, json_t *j,
		     struct px_error *err)
{
	const json_t *p = m->params, *cands = json_object_get(p, "candidates");
	size_t n = json_array_size(cands), eligible = 0, i;
	int64_t fed, account, seats = pint(p, "seats");
	json_t *c, *count = NULL, *elected = NULL, *out = json_array();
	unsigned char *withdrawn = calloc(n ? n : 1, 1);
	int rc = withdrawn && out ? elect_common(s, m->body_id, pstr(p, "federation"), &fed, err)
				  : PX_E_NOMEM;
	json_array_foreach(cands, i, c) {
		if (rc)
			break;
		struct px_error why = { 0 };
		withdrawn[i] = candidate_check(s, m->body_id, fed, json_string_value(c),
					       "params.candidates", &account, &why) != 0;
		if (withdrawn[i])
			json_array_append_new(out, json_pack("{s:s, s:s}", "handle",
					      json_string_value(c), "reason",
					      px_error_message(&why)));
		eligible += !withdrawn[i];
	}
	if (!rc && eligible < (size_t)seats)
		rc = px_fail(err, PX_E_CONFLICT, "params.candidates",
			     "only %zu candidates can still take a seat, for %lld seats",
			     eligible, (long long)seats);
	if (!rc)
		rc = ranked_count(s, m->motion_id, m->body_id, p, withdrawn, &count, &elected,
				  err);
	if (!rc && m->result) {
		json_object_set(m->result, "count", count);
		json_object_set(m->result, "withdrawn", out);
	}
	json_array_foreach(elected, i, c) {
		if (rc)
			break;
		rc = candidate_check(s, m->body_id, fed, json_string_value(c),
				     "params.candidates", &account, err);
		if (!rc)
			rc = seat(s, fed, m->body_id, account, pstr(p, "mandate"), m->motion_id,
				  m->now, err);
	}
	if (!rc)
		json_object_set_new(j, "delegates", json_pack("{s:s, s:O, s:O}", "federation",
				    pstr(p, "federation"), "elected", elected, "withdrawn", out));
	json_decref(count);
	json_decref(elected);
	json_decref(out);
	free(withdrawn);
	return rc;
}

int fk_apply_elect_delegates(struct store *s, const struct motion_effect *m,
			     json_t *j, struct px_error *err)
{
	int64_t fed, account;
	if (ranked_is("elect_delegates", m->params))
		return apply_stv(s, m, j, err);
	int rc = elect_one(s, m->body_id, pstr(m->params, "federation"),
			   pstr(m->params, "delegate"), &fed, &account, err);
	if (!rc)
		rc = seat(s, fed, m->body_id, account, pstr(m->params, "mandate"),
			  m->motion_id, m->now, err);
	if (!rc)
		json_object_set_new(j, "delegate", json_pack("{s:s, s:s}", "federation",
				    pstr(m->params, "federation"), "handle",
				    pstr(m->params, "delegate")));
	return rc;
}

/* The delegate holds a seat of this assembly in the delegate assembly. */
static int recall_checks(struct store *s, int64_t body_id, const char *slug,
			 const char *delegate, int64_t *fed, int64_t *account,
			 struct px_error *err)
{
	int rc = federation_of(s, slug, "params.federation", fed, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT d.account_id FROM delegations d JOIN"
		" accounts a ON a.id = d.account_id WHERE d.federation_id = ? AND"
		" d.member_id = ? AND a.handle = ? AND d.recalled_by IS NULL");
	sqlite3_bind_int64(st, 1, *fed);
	sqlite3_bind_int64(st, 2, body_id);
	sqlite3_bind_text(st, 3, delegate, -1, SQLITE_STATIC);
	int found = 0;
	if ((rc = store_int64(st, account, &found)))
		return px_fail(err, rc, NULL, NULL);
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, "params.delegate",
				   "%s holds no seat of this assembly there", delegate);
}

int fk_check_recall_delegate(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err)
{
	int64_t fed, account;
	(void)canon;
	return recall_checks(s, body_id, kind_text(a, "federation"), kind_text(a, "delegate"),
			     &fed, &account, err);
}

int fk_apply_recall_delegate(struct store *s, const struct motion_effect *m,
			     json_t *j, struct px_error *err)
{
	int64_t fed, account, withdrawn = 0;
	int rc = recall_checks(s, m->body_id, pstr(m->params, "federation"),
			       pstr(m->params, "delegate"), &fed, &account, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE delegations SET recalled_by = ?,"
		" recalled_at = ? WHERE federation_id = ? AND member_id = ? AND account_id = ?"
		" AND recalled_by IS NULL");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, fed);
	sqlite3_bind_int64(st, 4, m->body_id);
	sqlite3_bind_int64(st, 5, account);
	if ((rc = store_run(st)))
		return rc;
	if ((rc = fed_sync_seat(s, fed, account, m->motion_id, m->now, m->actor,
				&withdrawn)))
		return rc;
	json_object_set_new(j, "recalled", json_pack("{s:s, s:s, s:I}", "federation",
			    pstr(m->params, "federation"), "handle",
			    pstr(m->params, "delegate"), "votes_withdrawn", (json_int_t)withdrawn));
	return 0;
}

/* ---- a federation suspends or restores a member ---- */

/* The member assembly of that slug is (want) here. */
static int member_checks(struct store *s, int64_t body_id, const char *slug,
			 const char *want, int64_t *member, struct px_error *err)
{
	char kind[16], status[16];
	int rc = fed_body_by_slug(s, slug, "params.member", member, kind, err);
	if (rc || (rc = fed_member_status(s, body_id, *member, status)))
		return rc;
	if (strcmp(status, want))
		return px_fail(err, PX_E_CONFLICT, "params.member", "'%s' is %s here", slug,
			       status[0] ? status : "not a member");
	return 0;
}

static int apply_status_change(struct store *s, const struct motion_effect *m,
			       const char *want, const char *to, json_t *j,
			       struct px_error *err)
{
	int64_t member, withdrawn = 0;
	int rc = member_checks(s, m->body_id, pstr(m->params, "member"), want, &member, err);
	if (!rc)
		rc = member_status(s, m, m->body_id, member, to, &withdrawn, j);
	if (!rc)
		json_object_set_new(j, "member", json_pack("{s:s, s:s, s:I}", "body",
				    pstr(m->params, "member"), "status", to,
				    "votes_withdrawn", (json_int_t)withdrawn));
	return rc;
}

int fk_check_suspend_member(struct store *s, int64_t body_id, const struct kind_args *a,
			    json_t *canon, struct px_error *err)
{
	int64_t member;
	(void)canon;
	return member_checks(s, body_id, kind_text(a, "member"), "active", &member, err);
}

int fk_apply_suspend_member(struct store *s, const struct motion_effect *m,
			    json_t *j, struct px_error *err)
{
	return apply_status_change(s, m, "active", "suspended", j, err);
}

int fk_check_restore_member(struct store *s, int64_t body_id, const struct kind_args *a,
			    json_t *canon, struct px_error *err)
{
	int64_t member;
	(void)canon;
	return member_checks(s, body_id, kind_text(a, "member"), "suspended", &member, err);
}

int fk_apply_restore_member(struct store *s, const struct motion_effect *m,
			    json_t *j, struct px_error *err)
{
	return apply_status_change(s, m, "suspended", "active", j, err);
}

int fk_check_change_weighting(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	/* one of the weightings, and by population only among assemblies */
	(void)canon;
	return weighting_fits(s, body_id, kind_text(a, "weighting"), err);
}

int fk_apply_change_weighting(struct store *s, const struct motion_effect *m,
			      json_t *j, struct px_error *err)
{
	int rc = weighting_fits(s, m->body_id, pstr(m->params, "weighting"), err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE bodies SET weighting = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, pstr(m->params, "weighting"), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->body_id);
	rc = store_run(st);
	if (!rc)
		json_object_set_new(j, "weighting", json_string(pstr(m->params, "weighting")));
	return rc;
}

/* ---- declarations ---- */

/* About another assembly's decided motion. */
int fk_check_declaration(struct store *s, int64_t body_id, const struct kind_args *a,
			 json_t *canon, struct px_error *err)
{
	int64_t motion = kind_num(a, "motion");
	(void)canon;
	sqlite3_stmt *st = store_stmt(s, "SELECT body_id, status IN ('adopted', 'rejected')"
				      " FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	int found = 0, rc;
	if ((rc = store_step(st, &found)))
		return px_fail(err, rc, NULL, NULL);
	int64_t other = found ? sqlite3_column_int64(st, 0) : 0;
	int decided = found && sqlite3_column_int(st, 1);
	if (found)
		sqlite3_reset(st);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "params.motion", "no motion %lld",
			       (long long)motion);
	if (other == body_id)
		return px_fail(err, PX_E_BAD_INPUT, "params.motion",
			       "a declaration is about another assembly's decision");
	if (!decided)
		return px_fail(err, PX_E_CONFLICT, "params.motion",
			       "that motion has not been decided");
	return 0;
}

int fk_apply_declaration(struct store *s, const struct motion_effect *m,
			 json_t *j, struct px_error *err)
{
	(void)err;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO declarations(body_id, about_motion,"
				      " motion_id, at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, pint(m->params, "motion"));
	sqlite3_bind_int64(st, 3, m->motion_id);
	sqlite3_bind_int64(st, 4, m->now);
	int rc = store_run(st);
	/* and to the member assemblies on other nodes (gov/nodes) */
	if (!rc)
		rc = nodes_declare_remote(s, m->body_id, m->body_slug, m->motion_id,
					  pint(m->params, "motion"), m->title, m->text, m->now);
	if (!rc)
		json_object_set_new(j, "declaration_about", json_integer(pint(m->params, "motion")));
	return rc;
}

/* ---- proposals ---- */

/*
 * A proposal's condition counts the local assemblies beneath the
 * federation that accepted it, whose registers it then enters. A
 * federation of enterprises has none beneath it: each enterprise's own
 * decision to accept is the proposal's effect there, so its proposals
 * carry no condition (one given is refused, naming it). Internally the
 * version keeps the condition "at least one local assembly", which none
 * can meet, so that the counting of assemblies' proposals is the same
 * code and never writes any register. 1: an enterprise federation's
 * proposal (no condition given); 0: an assembly federation's, the
 * condition required; else the refusal.
 */
static int condition_fits(struct store *s, int64_t body_id, const json_t *cond,
			  struct px_error *err)
{
	int ent = 0;
	int rc = fed_of_enterprises(s, body_id, &ent);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (ent && cond)
		return px_fail(err, PX_E_BAD_INPUT, "params.condition", "a proposal of a"
			       " federation of enterprises has no condition: it takes effect"
			       " in each enterprise that accepts it, by that enterprise's own"
			       " decision, and nowhere else");
	if (ent)
		return 1;
	return cond ? 0 : px_fail(err, PX_E_MISSING_FIELD, "params.condition", NULL);
}

static int condition_none(const struct kind_args *a, json_t *canon)
{
	json_object_set_new(canon, "rationale", json_string(kind_text(a, "rationale")));
	json_object_set_new(canon, "condition", json_pack("{s:s, s:i}", "kind", "at_least",
							  "n", 1));
	return 0;
}

int fk_check_adopt_proposal(struct store *s, int64_t body_id, const struct kind_args *a,
			    json_t *canon, struct px_error *err)
{
	json_t *cond = NULL;
	int rc = condition_fits(s, body_id, kind_json(a, "condition"), err);
	if (rc == 1)
		return condition_none(a, canon);
	if (!rc)
		rc = proposal_condition_check(s, kind_json(a, "condition"), "params.condition",
					      &cond, err);
	if (!rc) {
		json_object_set_new(canon, "rationale", json_string(kind_text(a, "rationale")));
		json_object_set_new(canon, "condition", cond);
	}
	return rc;
}

int fk_apply_adopt_proposal(struct store *s, const struct motion_effect *m,
			    json_t *j, struct px_error *err)
{
	int64_t id;
	(void)err;
	int rc = proposal_create(s, m->body_id, m->title, m->text,
				 pstr(m->params, "rationale"),
				 json_object_get(m->params, "condition"), m->motion_id,
				 m->now, &id);
	if (!rc)
		json_object_set_new(j, "proposal", json_pack("{s:I, s:I}", "id",
				    (json_int_t)id, "version", (json_int_t)1));
	return rc;
}

int fk_check_new_proposal_version(struct store *s, int64_t body_id,
				  const struct kind_args *a, json_t *canon,
				  struct px_error *err)
{
	int64_t id = kind_num(a, "proposal"), origin, latest;
	json_t *cond = NULL;
	int rc = proposal_find(s, id, &origin, &latest, err, "params.proposal");
	if (!rc && origin != body_id)
		rc = px_fail(err, PX_E_FORBIDDEN, "params.proposal",
			     "only the assembly that made a proposal issues its versions");
	if (rc)
		return rc;
	int ent = 0;
	if ((rc = fed_of_enterprises(s, body_id, &ent)))
		return px_fail(err, rc, NULL, NULL);
	if (ent && kind_json(a, "condition"))
		return condition_fits(s, body_id, kind_json(a, "condition"), err);
	if (kind_json(a, "condition")) {
		rc = proposal_condition_check(s, kind_json(a, "condition"), "params.condition",
					      &cond, err);
	} else {
		/* the condition of the latest version, unchanged */
		sqlite3_stmt *st = store_stmt(s, "SELECT condition FROM proposal_versions"
					      " WHERE proposal_id = ? AND version = ?");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, latest);
		int row = 0;
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (row) {
			cond = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
			sqlite3_reset(st);
		}
		rc = cond ? 0 : PX_E_INTERNAL;
	}
	if (!rc) {
		json_object_set_new(canon, "rationale", json_string(kind_text(a, "rationale")));
		json_object_set_new(canon, "condition", cond);
	}
	return rc;
}

int fk_apply_new_proposal_version(struct store *s, const struct motion_effect *m,
				  json_t *j, struct px_error *err)
{
	int64_t id = pint(m->params, "proposal"), version;
	(void)err;
	int rc = proposal_new_version(s, id, m->title, m->text, pstr(m->params, "rationale"),
				      json_object_get(m->params, "condition"), m->motion_id,
				      m->now, &version);
	if (!rc)
		json_object_set_new(j, "proposal", json_pack("{s:I, s:I}", "id",
				    (json_int_t)id, "version", (json_int_t)version));
	return rc;
}

int fk_check_answer_proposal(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err)
{
	int64_t id = kind_num(a, "proposal"), version = kind_num(a, "version"), origin,
		latest;
	const char *answer = kind_text(a, "answer"), *counter = kind_text(a, "counter_text");
	int amend = !strcmp(answer, "amend");
	int rc = proposal_find(s, id, &origin, &latest, err, "params.proposal");
	if (!rc && version > latest)
		rc = px_fail(err, PX_E_NOT_FOUND, "params.version",
			     "proposal %lld has %lld version(s)", (long long)id, (long long)latest);
	int offered = 0;
	if (!rc && (rc = proposal_offered(s, id, version, body_id, &offered)))
		rc = px_fail(err, rc, NULL, NULL);
	if (!rc && !offered)
		rc = px_fail(err, PX_E_CONFLICT, "params.proposal",
			     "version %lld of proposal %lld was not offered to this assembly",
			     (long long)version, (long long)id);
	/* an amendment carries a counter-text, and only an amendment */
	if (!rc && amend && !*counter)
		rc = kind_json(a, "counter_text")
			? px_fail(err, PX_E_OUT_OF_RANGE, "params.counter_text",
				  "counter_text has 1 to 100000 characters")
			: px_fail(err, PX_E_MISSING_FIELD, "params.counter_text", NULL);
	if (!rc && *counter && !amend)
		rc = px_fail(err, PX_E_BAD_INPUT, "params.counter_text",
			     "only an amendment carries a counter-text");
	if (!rc) {
		json_object_set_new(canon, "counter_text", *counter ? json_string(counter)
								    : json_null());
		json_object_set_new(canon, "reasons", json_string(kind_text(a, "reasons")));
	}
	return rc;
}

int fk_apply_answer_proposal(struct store *s, const struct motion_effect *m,
			     json_t *j, struct px_error *err)
{
	const json_t *p = m->params;
	(void)err;
	json_object_set_new(j, "answer", json_pack("{s:I, s:I, s:s}", "proposal",
			    (json_int_t)pint(p, "proposal"), "version",
			    (json_int_t)pint(p, "version"), "answer", pstr(p, "answer")));
	return proposal_answer(s, pint(p, "proposal"), pint(p, "version"), m->body_id,
			       pstr(p, "answer"), pstr(p, "counter_text"),
			       pstr(p, "reasons"), m->motion_id, m->now, m->actor, j);
}

/* ---- the rows of voluntary federation, found by the registry through
 * gov/kinds.c ---- */

static const char *const purposes[] = {
	"transport", N_("transport"), "economy", N_("economy"), "sport", N_("sport"),
	"science", N_("science"), "health", N_("health"), "education", N_("education"),
	"environment", N_("environment"), "general", N_("general"), NULL };
static const char *const weightings[] = {
	"assembly", N_("One voice per member assembly"), "population", N_("By population"), NULL };
static const char *const methods[] = {
	"stv-meek", N_("STV, Meek (recommended)"), "stv-wigm", N_("STV, weighted inclusive Gregory"),
	"stv-scottish", N_("STV, Scottish rules"), NULL };
static const char *const answers[] = {
	"accept", N_("Accept"), "reject", N_("Reject"), "amend", N_("Amend: send a counter-text back up"),
	NULL };

static const struct kind_param found_params[] = {
	{ .name = "slug", .type = KP_SLUG, .required = 1, .min = 2, .max = 64,
	  .label = N_("Short name of the delegate assembly"),
	  .help = N_("Lower-case letters, digits and hyphens, as in its address.") },
	{ .name = "name", .type = KP_TEXT, .required = 1, .min = 1, .max = 120,
	  .label = N_("Its name") },
	{ .name = "purpose", .type = KP_TEXT, .required = 1, .min = 1, .max = 60,
	  .choices = purposes, .label = N_("Purpose"),
	  .help = N_("What it coordinates: transport, the economy, sport...") },
	{ .name = "region", .type = KP_TEXT, .required = 1, .min = 1, .max = 200,
	  .label = N_("Region") },
	{ .name = "statement", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("Its statement of values") },
	{ .name = "rule", .type = KP_RULES, .required = 1, .label = N_("How it decides") },
	{ .name = "schedule", .type = KP_SCHEDULE, .required = 1,
	  .label = N_("When and where it meets") },
	{ .name = "weighting", .type = KP_CHOICE, .choices = weightings,
	  .label = N_("Voices of member assemblies") },
	{ .name = "delegate", .type = KP_MEMBER, .min = 1, .max = 32,
	  .label = N_("Our first delegate"),
	  .help = N_("Optional: an active member of this assembly.") },
	{ .name = "mandate", .type = KP_MARKDOWN, .max = 20000, .label = N_("The mandate"),
	  .help = N_("What the delegate is sent to do (needed with a delegate).") },
	{ .name = NULL },
};

static const struct kind_param federation_params[] = {
	{ .name = "federation", .type = KP_FEDERATION, .required = 1, .min = 2, .max = 64,
	  .label = N_("The delegate assembly (its short name)") },
	{ .name = NULL },
};

static const struct kind_param elect_params[] = {
	{ .name = "federation", .type = KP_FEDERATION, .required = 1, .min = 2, .max = 64,
	  .label = N_("The delegate assembly (its short name)"),
	  .help = N_("One this assembly is a member of.") },
	{ .name = "delegate", .type = KP_MEMBER, .min = 1, .max = 32,
	  .label = N_("The delegate (one seat)"),
	  .help = N_("One seat is decided by the assembly's rule: choose the delegate, or"
		  " give seats and candidates instead.") },
	{ .name = "seats", .type = KP_INTEGER, .min = RANKED_SEATS_MIN,
	  .max = RANKED_SEATS_MAX, .label = N_("Seats (several at once)"),
	  .help = N_("Several seats are filled by single transferable vote over ranked"
		  " ballots.") },
	{ .name = "candidates", .type = KP_MEMBERS, .min = 1, .max = RANKED_CANDIDATES_MAX,
	  .label = N_("Candidates (several seats)"),
	  .help = N_("At least as many as there are seats.") },
	{ .name = "method", .type = KP_CHOICE, .choices = methods, .label = N_("Counted by") },
	{ .name = "mandate", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("The mandate"), .help = N_("What the delegates are sent to do.") },
	{ .name = NULL },
};

static const struct kind_param recall_params[] = {
	{ .name = "federation", .type = KP_FEDERATION, .required = 1, .min = 2, .max = 64,
	  .label = N_("The delegate assembly (its short name)") },
	{ .name = "delegate", .type = KP_MEMBER, .required = 1, .min = 1, .max = 32,
	  .label = N_("The delegate"), .help = N_("The seat is empty at once.") },
	{ .name = NULL },
};

static const struct kind_param member_params[] = {
	{ .name = "member", .type = KP_ASSEMBLY, .required = 1, .min = 2, .max = 64,
	  .label = N_("The member assembly (short name)") },
	{ .name = NULL },
};

static const struct kind_param weighting_params[] = {
	{ .name = "weighting", .type = KP_CHOICE, .required = 1, .choices = weightings,
	  .label = N_("Voices of member assemblies") },
	{ .name = NULL },
};

static const struct kind_param declaration_params[] = {
	{ .name = "motion", .type = KP_DECISION, .required = 1, .min = 1,
	  .label = N_("The decision it is about (motion number)"),
	  .help = N_("A decided motion of another assembly.") },
	{ .name = NULL },
};

static const struct kind_param adopt_params[] = {
	{ .name = "rationale", .type = KP_MARKDOWN, .max = 20000, .label = N_("Rationale") },
	{ .name = "condition", .type = KP_CONDITION,
	  .label = N_("In force where accepted once"),
	  .help = N_("The condition under which the proposal can be implemented (a"
		  " federation of assemblies: required; of enterprises: none, each"
		  " enterprise's acceptance is its effect there).") },
	{ .name = NULL },
};

static const struct kind_param version_params[] = {
	{ .name = "proposal", .type = KP_PROPOSAL, .required = 1, .min = 1,
	  .label = N_("The proposal (its number)"), .help = N_("One this assembly made.") },
	{ .name = "rationale", .type = KP_MARKDOWN, .max = 20000, .label = N_("Rationale") },
	{ .name = "condition", .type = KP_CONDITION, .label = N_("In force where accepted once"),
	  .help = N_("Left out: the same condition as before.") },
	{ .name = NULL },
};

static const struct kind_param answer_params[] = {
	{ .name = "proposal", .type = KP_PROPOSAL, .required = 1, .min = 1,
	  .label = N_("The proposal (its number)"), .help = N_("One offered to this assembly.") },
	{ .name = "version", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The version answered") },
	{ .name = "answer", .type = KP_CHOICE, .required = 1, .choices = answers,
	  .label = N_("The answer") },
	{ .name = "counter_text", .type = KP_MARKDOWN, .max = 100000,
	  .label = N_("Counter-text (for an amendment)"),
	  .help = N_("Needed with the answer amend, and only then.") },
	{ .name = "reasons", .type = KP_MARKDOWN, .max = 20000, .label = N_("Reasons") },
	{ .name = NULL },
};

/* Who decides: any assembly, or a delegate assembly alone; and in either
 * a committee the assembly granted the kind to. */
#define ANY_ASSEMBLY (KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_COMMITTEE)
/* and an enterprise, which federates as assemblies do (fed_enterprise.c) */
#define ANY_MEMBER (ANY_ASSEMBLY | KIND_BY_ENTERPRISE)
#define DELEGATE_ASSEMBLY (KIND_BY_DELEGATE | KIND_BY_COMMITTEE)
#define FED_ROW(kind, who, text, words, summary_, ...) { .name = #kind, \
	.label = words, .summary = summary_, .check = fk_check_##kind, \
	.apply = fk_apply_##kind, .decided_by = who, .flags = text, __VA_ARGS__ }

const struct motion_kind federation_kinds[] = {
	FED_ROW(found_federation, ANY_MEMBER, 0,
		N_("Found a delegate assembly (a federation), this assembly its first member"),
		N_("found a delegate assembly, with a purpose and a region, and become its"
		" first member"), .params = found_params),
	FED_ROW(join_federation, ANY_MEMBER, 0, N_("Join a delegate assembly"),
		N_("join a delegate assembly"), .params = federation_params),
	FED_ROW(leave_federation, ANY_MEMBER, 0, N_("Leave a delegate assembly"),
		N_("leave a delegate assembly (its seats end at once)"),
		.params = federation_params),
	FED_ROW(elect_delegates, ANY_MEMBER, 0,
		N_("Elect delegates to a delegate assembly (one, or several at once by STV)"),
		N_("elect a delegate to a delegate assembly, with a mandate"),
		.params = elect_params),
	FED_ROW(recall_delegate, ANY_MEMBER, 0, N_("Recall a delegate (at once)"),
		N_("recall a delegate, at once: the seat is empty and the delegate's votes"
		" still open are withdrawn"), .params = recall_params),
	FED_ROW(suspend_member, DELEGATE_ASSEMBLY, 0, N_("Suspend a member assembly's participation"),
		N_("suspend a member assembly's participation"), .params = member_params),
	FED_ROW(restore_member, DELEGATE_ASSEMBLY, 0, N_("Restore a suspended member assembly"),
		N_("restore a suspended member assembly's participation"),
		.params = member_params),
	FED_ROW(change_weighting, DELEGATE_ASSEMBLY, 0,
		N_("Change how member assemblies' voices are weighed"),
		N_("weigh delegates' votes by member assembly or by population"),
		.params = weighting_params),
	FED_ROW(declaration, ANY_ASSEMBLY, KIND_NEEDS_TEXT,
		N_("A declaration about another assembly's decision"),
		N_("a public declaration about another assembly's decision"),
		.text_label = N_("The declaration"), .params = declaration_params),
	FED_ROW(adopt_proposal, DELEGATE_ASSEMBLY, KIND_NEEDS_TEXT,
		N_("Adopt a proposal and offer it to the member assemblies"),
		N_("adopt a proposal and offer it to the member assemblies"),
		.text_label = N_("The proposal"), .params = adopt_params),
	FED_ROW(new_proposal_version, DELEGATE_ASSEMBLY, KIND_NEEDS_TEXT,
		N_("Issue a new version of a proposal"), N_("issue a new version of a proposal"),
		.text_label = N_("The new version"), .params = version_params),
	FED_ROW(answer_proposal, ANY_MEMBER, 0, N_("Answer a proposal offered to this assembly"),
		N_("accept, reject or amend a proposal offered to the assembly"),
		.params = answer_params),
	{ .name = NULL },
};
#undef FED_ROW
