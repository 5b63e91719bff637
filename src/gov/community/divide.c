/*
 * divide.c: a local assembly divides its community by its own decision
 * (divide_community). The check at submission says everything a form
 * needs to hear (names, slugs free, shares adding up to the population,
 * schedules); the effect, inside the deciding transaction, makes the new
 * communities and assemblies, copies the register, ends the offices and
 * committees, founds the regional delegate assembly with the new
 * assemblies as members, passes on the old assembly's federation
 * memberships and records the old assembly as divided. Its members are
 * then asked to choose (choose.c). Replay runs this same effect again.
 */
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/community/community_int.h"
#include "gov/federation/federation.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static const char *pstr(const json_t *p, const char *key)
{
	const char *v = json_string_value(json_object_get(p, key));
	return v ? v : "";
}

/* A slug free for both a community and an assembly: the new community's
 * assembly takes its community's slug. */
static int slug_free(struct store *s, const char *slug, const char *field,
		     struct px_error *err)
{
	int yes = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM communities WHERE slug = ?1"
				      " UNION ALL SELECT 1 FROM bodies WHERE slug = ?1");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int rc = store_exists(st, &yes);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	return yes ? px_fail(err, PX_E_EXISTS, field, "'%s' is taken already: choose"
			     " another short name", slug) : 0;
}

static int old_population(struct store *s, int64_t body_id, int64_t *population)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT c.population FROM bodies b JOIN communities c"
				      " ON c.id = b.community_id WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	return store_int64(st, population, NULL);
}

/* One new community of the list (the i-th, counted from 1 in the
 * words), checked into its canonical form. Fields are named without the
 * index ("params.communities.slug"); the message says which row. */
static int check_one(struct store *s, const json_t *in, size_t i, int64_t now,
		     json_t **canon, int64_t *population, struct px_error *err)
{
	static const char *const fields[] = { "name", "slug", "areas", "population",
					      "schedule" };
	const char *key;
	json_t *v, *sched = NULL;
	int n = (int)i + 1;
	*canon = NULL;
	json_object_foreach((json_t *)in, key, v) {
		int known = 0;
		for (int k = 0; k < 5; k++)
			known |= !strcmp(key, fields[k]);
		if (!known)
			return px_fail(err, PX_E_UNKNOWN_FIELD, "params.communities",
				       "new community %d: it has a name, a short name, the"
				       " areas it covers, its population and its schedule;"
				       " not '%.40s'", n, key);
	}
	const char *name = json_string_value(json_object_get(in, "name"));
	const char *slug = json_string_value(json_object_get(in, "slug"));
	const char *areas = json_string_value(json_object_get(in, "areas"));
	const json_t *pop = json_object_get(in, "population");
	if (!json_object_get(in, "name"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.communities.name",
			       "new community %d has no name", n);
	if (!name || text_check_line(name, 1, 120))
		return px_fail(err, PX_E_BAD_INPUT, "params.communities.name",
			       "new community %d: a name has 1 to 120 characters", n);
	if (!json_object_get(in, "slug"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.communities.slug",
			       "new community %d has no short name for its address", n);
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_BAD_INPUT, "params.communities.slug",
			       "new community %d: a short name has 2 to 64 characters:"
			       " lower-case letters, digits and '-'", n);
	if (!json_object_get(in, "areas"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.communities.areas",
			       "new community %d: say which neighbourhoods or streets it"
			       " covers", n);
	if (!areas || text_check_block(areas, 1, 4000))
		return px_fail(err, PX_E_BAD_INPUT, "params.communities.areas",
			       "new community %d: the areas are 1 to 4000 characters", n);
	if (!pop)
		return px_fail(err, PX_E_MISSING_FIELD, "params.communities.population",
			       "new community %d has no share of the population", n);
	if (!json_is_integer(pop) || json_integer_value(pop) < 1 ||
	    json_integer_value(pop) > 100000000)
		return px_fail(err, PX_E_OUT_OF_RANGE, "params.communities.population",
			       "new community %d: a population is a whole number from 1"
			       " to 100,000,000", n);
	*population = json_integer_value(pop);
	int rc = slug_free(s, slug, "params.communities.slug", err);
	if (rc)
		return rc;
	if (!json_object_get(in, "schedule"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.communities.schedule",
			       "new community %d: its assembly needs its first meeting"
			       " schedule", n);
	if ((rc = body_check_schedule(json_object_get(in, "schedule"), now, &sched, err))) {
		if (err)
			err->field = "params.communities.schedule";
		return rc;
	}
	*canon = json_pack("{s:s, s:s, s:s, s:I, s:o}", "name", name, "slug", slug,
			   "areas", areas, "population", (json_int_t)*population,
			   "schedule", sched);
	return *canon ? 0 : PX_E_NOMEM;
}

int ck_check_divide(struct store *s, int64_t body_id, const struct kind_args *a,
		    json_t *canon, struct px_error *err)
{
	const json_t *list = kind_json(a, "communities");
	json_t *out = json_array(), *one, *sched = NULL;
	int64_t total = 0, population = 0, want = 0;
	size_t i, j;
	int rc = out ? 0 : PX_E_NOMEM;
	for (i = 0; !rc && i < json_array_size(list); i++) {
		rc = check_one(s, json_array_get(list, i), i, a->now, &one, &population, err);
		if (rc)
			break;
		/* two new communities never share a short name */
		for (j = 0; j < json_array_size(out); j++)
			if (!strcmp(pstr(json_array_get(out, j), "slug"), pstr(one, "slug"))) {
				json_decref(one);
				rc = px_fail(err, PX_E_BAD_INPUT, "params.communities.slug",
					     "new communities %zu and %zu have the same short"
					     " name", j + 1, i + 1);
				break;
			}
		if (rc)
			break;
		total += population;
		json_array_append_new(out, one);
	}
	if (!rc && (rc = old_population(s, body_id, &want)))
		rc = px_fail(err, rc, NULL, NULL);
	if (!rc && total != want)
		rc = px_fail(err, PX_E_BAD_INPUT, "params.communities", "the populations of the"
			     " new communities add up to %lld, not to the %lld people of the"
			     " community: every person lives in one of them",
			     (long long)total, (long long)want);
	const char *rslug = kind_text(a, "regional_slug");
	if (!rc)
		rc = slug_free(s, rslug, "params.regional_slug", err);
	for (i = 0; !rc && i < json_array_size(out); i++)
		if (!strcmp(pstr(json_array_get(out, i), "slug"), rslug))
			rc = px_fail(err, PX_E_BAD_INPUT, "params.regional_slug", "the regional"
				     " assembly needs a short name of its own");
	if (!rc && kind_json(a, "regional_schedule")) {
		rc = body_check_schedule(kind_json(a, "regional_schedule"), a->now, &sched, err);
		if (rc && err)
			err->field = "params.regional_schedule";
	}
	if (!rc) {
		json_object_set_new(canon, "communities", out);
		out = NULL;
		if (sched)
			json_object_set_new(canon, "regional_schedule", sched);
		sched = NULL;
	}
	json_decref(out);
	json_decref(sched);
	return rc;
}

/* ---- the effect ---- */

static char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return strdup(v ? v : "");
}

int community_old_body(struct store *s, int64_t body_id, struct old_body_view *v)
{
	memset(v, 0, sizeof(*v));
	sqlite3_stmt *st = store_stmt(s, "SELECT b.community_id, b.statement, b.rules,"
		" b.schedule, b.secret_kinds, b.language, c.name FROM bodies b"
		" JOIN communities c ON c.id = b.community_id WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	v->id = body_id;
	v->community = sqlite3_column_int64(st, 0);
	v->statement = col(st, 1);
	v->rules = col(st, 2);
	v->schedule = col(st, 3);
	v->secret_kinds = col(st, 4);
	v->language = col(st, 5);
	v->name = col(st, 6);
	sqlite3_reset(st);
	return v->statement && v->rules && v->schedule && v->secret_kinds && v->language &&
	       v->name ? 0 : PX_E_NOMEM;
}

void community_old_body_free(struct old_body_view *v)
{
	free(v->statement);
	free(v->rules);
	free(v->schedule);
	free(v->secret_kinds);
	free(v->language);
	free(v->name);
}

int community_proposer(struct store *s, int64_t motion, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT proposer FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	return store_int64(st, id, NULL);
}

int community_make_local(struct store *s, const struct old_body_view *old,
			 const char *slug, const char *name, const char *areas,
			 int64_t population, const json_t *schedule, int64_t founder,
			 int64_t motion, int64_t now, int64_t *body)
{
	char *sched = journal_canonical(schedule);
	int64_t community = 0;
	int rc = sched ? 0 : PX_E_NOMEM;
	sqlite3_stmt *st;
	if (!rc) {
		st = store_stmt(s, "INSERT INTO communities(slug, name, population, created_at,"
				" areas) VALUES (?, ?, ?, ?, ?) RETURNING id");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, population);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_text(st, 5, areas, -1, SQLITE_STATIC);
		rc = store_int64(st, &community, NULL);
	}
	if (!rc) {
		st = store_stmt(s, "INSERT INTO bodies(slug, kind, name, community_id, statement,"
			" rules, schedule, founded_by, founded_at, secret_kinds, founded_by_motion,"
			" language) VALUES (?, 'local', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, community);
		sqlite3_bind_text(st, 4, old->statement, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, old->rules, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, sched, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, founder);
		sqlite3_bind_int64(st, 8, now);
		sqlite3_bind_text(st, 9, old->secret_kinds, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 10, motion);
		sqlite3_bind_text(st, 11, old->language, -1, SQLITE_STATIC);
		rc = store_int64(st, body, NULL);
	}
	if (!rc)
		rc = meeting_sync(s, *body, now);
	free(sched);
	return rc;
}

int community_lineage_add(struct store *s, int64_t from, int64_t to, const char *how,
			  int64_t motion)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO body_lineage(from_body, to_body, how,"
				      " motion_id) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_text(st, 3, how, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, motion);
	return store_run(st);
}

/* Every law in force in from enters to's register as version 1 (its
 * current title and text), linked to the old law and to the decision. */
static int copy_laws(struct store *s, int64_t from, int64_t to, int64_t motion,
		     int64_t now, int64_t *copied)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT l.id, v.title, v.text FROM laws l"
		" JOIN law_versions v ON v.law_id = l.id AND v.version ="
		" (SELECT max(version) FROM law_versions w WHERE w.law_id = l.id)"
		" WHERE l.body_id = ? AND l.status = 'in_force' ORDER BY l.number");
	sqlite3_bind_int64(st, 1, from);
	int64_t *ids = NULL;
	char **titles = NULL, **texts = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	while (store_next(st, &rc)) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			int64_t *a = realloc(ids, cap * sizeof(*a));
			if (a)
				ids = a;
			char **b = realloc(titles, cap * sizeof(*b));
			if (b)
				titles = b;
			char **c = realloc(texts, cap * sizeof(*c));
			if (c)
				texts = c;
			if (!a || !b || !c) {
				rc = PX_E_NOMEM;
				sqlite3_reset(st);
				break;
			}
		}
		ids[n] = sqlite3_column_int64(st, 0);
		titles[n] = col(st, 1);
		texts[n] = col(st, 2);
		n++;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t number = 0, law = 0;
		if (!titles[i] || !texts[i]) {
			rc = PX_E_NOMEM;
			break;
		}
		if ((rc = law_enact(s, to, titles[i], texts[i], motion, now, &number)))
			break;
		st = store_stmt(s, "SELECT id FROM laws WHERE body_id = ? AND number = ?");
		sqlite3_bind_int64(st, 1, to);
		sqlite3_bind_int64(st, 2, number);
		if ((rc = store_int64(st, &law, NULL)))
			break;
		st = store_stmt(s, "INSERT INTO law_origins(law_id, from_law, motion_id)"
				" VALUES (?, ?, ?)");
		sqlite3_bind_int64(st, 1, law);
		sqlite3_bind_int64(st, 2, ids[i]);
		sqlite3_bind_int64(st, 3, motion);
		rc = store_run(st);
		(*copied)++;
	}
	for (size_t i = 0; i < n; i++) {
		free(titles[i]);
		free(texts[i]);
	}
	free(ids);
	free(titles);
	free(texts);
	return rc;
}

int community_end_body(struct store *s, const struct motion_effect *m, int64_t body,
		       const char *how)
{
	/* its offices are empty, its committees end, nothing else it had on
	 * an agenda will be decided, and no meeting is held any more */
	sqlite3_stmt *st = store_stmt(s, "UPDATE offices SET holder_id = NULL WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body);
	int rc = store_run(st);
	if (!rc) {
		st = store_stmt(s, "UPDATE committees SET revoked_by = ? WHERE body_id = ?"
				" AND revoked_by IS NULL AND ends_at > ?");
		sqlite3_bind_int64(st, 1, m->motion_id);
		sqlite3_bind_int64(st, 2, body);
		sqlite3_bind_int64(st, 3, m->now);
		rc = store_run(st);
	}
	if (!rc) {
		st = store_stmt(s, "UPDATE motions SET status = 'void', decided_at = ?"
				" WHERE body_id = ? AND id <> ? AND status IN ('submitted', 'voting')");
		sqlite3_bind_int64(st, 1, m->now);
		sqlite3_bind_int64(st, 2, body);
		sqlite3_bind_int64(st, 3, m->motion_id);
		rc = store_run(st);
	}
	if (!rc) {
		st = store_stmt(s, "DELETE FROM meetings WHERE body_id = ?"
			" AND kind = 'regular' AND starts_at > ?"
			" AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = meetings.id)"
			" AND NOT EXISTS (SELECT 1 FROM motions x WHERE x.meeting_id = meetings.id)");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, m->now);
		rc = store_run(st);
	}
	if (!rc) {
		st = store_stmt(s, "INSERT INTO body_ends(body_id, how, motion_id, at)"
				" VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, how, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->motion_id);
		sqlite3_bind_int64(st, 4, m->now);
		rc = store_run(st);
	}
	return rc;
}

/* member's status in fed, and the running counts and proposals that
 * follow (as motion_kinds_fed.c does for a decision to join or leave). */
int community_fed_status(struct store *s, const struct motion_effect *m, int64_t fed,
			 int64_t member, const char *status)
{
	int delta = 0;
	json_t *scratch = json_object();
	int rc = scratch ? 0 : PX_E_NOMEM;
	if (!rc)
		rc = fed_set_member_status(s, fed, member, status, m->motion_id, m->now,
					   m->actor, NULL, &delta);
	if (!rc)
		rc = proposal_membership_changed(s, fed, member, delta, m->now, m->actor,
						 scratch);
	if (!rc && !strcmp(status, "active"))
		rc = proposal_offer_to_new_member(s, fed, member, m->now);
	json_decref(scratch);
	return rc;
}

/* The federations old belongs to (active or suspended), passed to heir
 * with the same status; old leaves them. *passed counts them. */
int community_pass_memberships(struct store *s, const struct motion_effect *m,
			       int64_t old, int64_t heir, json_t *list)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT f.federation_id, f.status, b.slug"
		" FROM federation_members f JOIN bodies b ON b.id = f.federation_id"
		" WHERE f.member_id = ? AND f.status IN ('active', 'suspended')"
		" ORDER BY f.federation_id");
	sqlite3_bind_int64(st, 1, old);
	int64_t feds[64];
	int suspended[64];
	size_t n = 0;
	int rc = 0;
	while (store_next(st, &rc)) {
		if (n == 64) {
			sqlite3_reset(st);
			return PX_E_TOO_LARGE;
		}
		feds[n] = sqlite3_column_int64(st, 0);
		suspended[n] = !strcmp((const char *)sqlite3_column_text(st, 1), "suspended");
		json_array_append_new(list, json_string((const char *)sqlite3_column_text(st, 2)));
		n++;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		char status[16];
		if ((rc = community_fed_status(s, m, feds[i], old, "left")))
			break;
		if ((rc = fed_member_status(s, feds[i], heir, status)))
			break;
		/* a union: another of the old assemblies passed it already; a
		 * suspension of either stands (a union does not undo it) */
		if (!strcmp(status, "active") && suspended[i])
			rc = community_fed_status(s, m, feds[i], heir, "suspended");
		if (!strcmp(status, "active") || !strcmp(status, "suspended"))
			continue;
		rc = community_fed_status(s, m, feds[i], heir,
					  suspended[i] ? "suspended" : "active");
	}
	return rc;
}

int ck_apply_divide(struct store *s, const struct motion_effect *m, json_t *j,
		    struct px_error *err)
{
	struct old_body_view old;
	const json_t *p = m->params, *list = json_object_get(p, "communities"), *c;
	int64_t founder = 0, regional = 0, copied = 0;
	json_t *made = json_array(), *passed = json_array();
	size_t i;
	int rc = community_body_decides(s, m->body_id, err);
	if (rc)
		goto out0;
	if (!made || !passed) {
		rc = PX_E_NOMEM;
		goto out0;
	}
	if ((rc = community_old_body(s, m->body_id, &old)))
		goto out0;
	if ((rc = community_proposer(s, m->motion_id, &founder)))
		goto out;
	/* slugs taken meanwhile (an operator's community, another decision)
	 * leave the effect void, as for any effect that no longer fits */
	json_array_foreach(list, i, c) {
		if ((rc = slug_free(s, pstr(c, "slug"), "params.communities", err)))
			goto out;
	}
	if ((rc = slug_free(s, pstr(p, "regional_slug"), "params.regional_slug", err)))
		goto out;
	int64_t *bodies = calloc(json_array_size(list) + 1, sizeof(*bodies));
	if (!bodies) {
		rc = PX_E_NOMEM;
		goto out;
	}
	json_array_foreach(list, i, c) {
		copied = 0;
		if ((rc = community_make_local(s, &old, pstr(c, "slug"), pstr(c, "name"),
					       pstr(c, "areas"),
					       json_integer_value(json_object_get(c, "population")),
					       json_object_get(c, "schedule"), founder,
					       m->motion_id, m->now, &bodies[i])) ||
		    (rc = copy_laws(s, m->body_id, bodies[i], m->motion_id, m->now, &copied)) ||
		    (rc = community_lineage_add(s, m->body_id, bodies[i], "divided",
						m->motion_id)))
			break;
		json_array_append_new(made, json_pack("{s:s, s:I}", "slug", pstr(c, "slug"),
						      "laws", (json_int_t)copied));
	}
	/* the regional delegate assembly, with the new assemblies as members:
	 * the division decision is each one's decision to join */
	if (!rc) {
		const json_t *rs = json_object_get(p, "regional_schedule");
		char *sched = rs ? journal_canonical(rs) : NULL;
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO bodies(slug, kind, name,"
			" community_id, statement, rules, schedule, founded_by, founded_at,"
			" purpose, region, weighting, founded_by_motion, secret_kinds, federates,"
			" language) VALUES (?, 'delegate', ?, NULL, ?, ?, ?, ?, ?, 'general', ?,"
			" 'population', ?, ?, 'assemblies', ?) RETURNING id");
		sqlite3_bind_text(st, 1, pstr(p, "regional_slug"), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, pstr(p, "regional_name"), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, old.statement, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, old.rules, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, sched ? sched : old.schedule, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, founder);
		sqlite3_bind_int64(st, 7, m->now);
		sqlite3_bind_text(st, 8, old.name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, m->motion_id);
		sqlite3_bind_text(st, 10, old.secret_kinds, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, old.language, -1, SQLITE_STATIC);
		rc = store_int64(st, &regional, NULL);
		free(sched);
	}
	if (!rc)
		rc = meeting_sync(s, regional, m->now);
	if (!rc)
		rc = community_lineage_add(s, m->body_id, regional, "regional", m->motion_id);
	for (i = 0; !rc && i < json_array_size(list); i++)
		rc = community_fed_status(s, m, regional, bodies[i], "active");
	if (!rc)
		rc = community_pass_memberships(s, m, m->body_id, regional, passed);
	if (!rc)
		rc = community_end_body(s, m, m->body_id, "divided");
	if (!rc)
		rc = community_choices_open(s, m->body_id);
	free(bodies);
	if (!rc) {
		json_object_set_new(j, "divided", json_pack("{s:O, s:s, s:O}", "communities",
			made, "regional", pstr(p, "regional_slug"), "memberships_passed", passed));
	}
out:
	community_old_body_free(&old);
out0:
	json_decref(made);
	json_decref(passed);
	return rc;
}
