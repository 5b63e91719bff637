/*
 * unite.c: two or more local assemblies unite their communities, each by
 * its own decision (unite_communities). Every named assembly adopts a
 * motion with the same terms: the united community's short name, name
 * and areas, its assembly's statement of values, rule and schedule, and
 * the assemblies that unite. The first adoption records the terms (table
 * unions); each later one must match them; until the last, nothing
 * happens to anyone. In the transaction of the last adoption the united
 * community and assembly exist: the members of each old assembly are its
 * members, the registers are merged (a law in force in all of them, the
 * same title and text, enters once, linked to each; the others enter
 * linked to the one law they came from, for the new assembly to keep or
 * repeal), federation memberships are merged, and the old assemblies end
 * (united: they decide nothing more).
 */
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/community/community_int.h"
#include "gov/federation/federation.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

#define UNION_MAX 50

static const char *pstr(const json_t *p, const char *key)
{
	const char *v = json_string_value(json_object_get(p, key));
	return v ? v : "";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* This assembly and those of with: local, still deciding, none twice.
 * *list: their slugs, sorted (a new array). */
static int assemblies_of(struct store *s, int64_t self, const json_t *with, json_t **list,
			 struct px_error *err)
{
	const char *names[UNION_MAX + 1];
	char self_slug[GOV_SLUG_SIZE] = "";
	size_t n = 0, i;
	int row = 0, rc;
	const json_t *v;
	*list = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT slug FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, self);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		snprintf(self_slug, sizeof(self_slug), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	names[n++] = self_slug;
	json_array_foreach(with, i, v) {
		const char *t = json_string_value(v);
		if (n > UNION_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE, "params.with", "at most %d"
				       " assemblies unite at once", UNION_MAX);
		for (size_t k = 0; k < n; k++)
			if (!strcmp(names[k], t))
				return px_fail(err, PX_E_BAD_INPUT, "params.with", k
					       ? "'%s' is named twice"
					       : "'%s' is this assembly: name the others", t);
		char kind[16] = "";
		int64_t id = 0;
		st = store_stmt(s, "SELECT id, kind FROM bodies WHERE slug = ?");
		sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (!row)
			return px_fail(err, PX_E_NOT_FOUND, "params.with", "no assembly '%s'", t);
		id = sqlite3_column_int64(st, 0);
		snprintf(kind, sizeof(kind), "%s", (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		if (strcmp(kind, "local"))
			return px_fail(err, PX_E_BAD_INPUT, "params.with", "'%s' is not a local"
				       " assembly: only communities unite", t);
		if ((rc = community_body_decides(s, id, err))) {
			err->field = "params.with";
			return rc;
		}
		names[n++] = t;
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	*list = json_array();
	for (i = 0; *list && i < n; i++)
		if (json_array_append_new(*list, json_string(names[i]))) {
			json_decref(*list);
			*list = NULL;
		}
	return *list ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

/* The union of that short name: id (0: none), the united body (0: not
 * yet) and its terms (malloc'd). */
static int union_by_slug(struct store *s, const char *slug, int64_t *id, int64_t *body,
			 char **terms)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, coalesce(body_id, 0), terms FROM unions"
				      " WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	*id = *body = 0;
	*terms = NULL;
	if (rc || !row)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	*body = sqlite3_column_int64(st, 1);
	*terms = strdup((const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	return *terms ? 0 : PX_E_NOMEM;
}

static const char *first_difference(const char *mine, const char *theirs,
				    const char **field)
{
	static const char *const keys[] = { "name", "params.name", "areas", "params.areas",
		"assemblies", "params.with", "statement", "params.statement", "rule",
		"params.rule", "schedule", "params.schedule", NULL };
	json_t *a = json_loads(mine, 0, NULL), *b = json_loads(theirs, 0, NULL);
	const char *which = "terms";
	*field = "params";
	for (const char *const *k = keys; a && b && *k; k += 2)
		if (!json_equal(json_object_get(a, *k), json_object_get(b, *k))) {
			which = k[0];
			*field = k[1];
			break;
		}
	json_decref(a);
	json_decref(b);
	return which;
}

/* May self adopt these terms? A short name free, or a union under way on
 * the same terms that names self, which has not adopted it yet. */
static int union_check(struct store *s, int64_t self, const json_t *p, char **terms,
		       int64_t *id, struct px_error *err)
{
	json_t *list = NULL, *t;
	char *theirs = NULL;
	int64_t body = 0;
	const char *slug = pstr(p, "slug");
	*terms = NULL;
	*id = 0;
	int rc = assemblies_of(s, self, json_object_get(p, "with"), &list, err);
	if (rc)
		return rc;
	t = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O, s:o}", "slug", slug, "name",
		      pstr(p, "name"), "areas", pstr(p, "areas"), "statement",
		      pstr(p, "statement"), "rule", json_object_get(p, "rule"), "schedule",
		      json_object_get(p, "schedule"), "assemblies", list);
	*terms = t ? journal_canonical(t) : NULL;
	json_decref(t);
	if (!*terms)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if ((rc = union_by_slug(s, slug, id, &body, &theirs)))
		return px_fail(err, rc, NULL, NULL);
	if (!*id) {
		int yes = 0;
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM communities WHERE slug = ?1"
					      " UNION ALL SELECT 1 FROM bodies WHERE slug = ?1");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		if ((rc = store_exists(st, &yes)))
			return px_fail(err, rc, NULL, NULL);
		return yes ? px_fail(err, PX_E_EXISTS, "params.slug", "'%s' is taken already:"
				     " choose another short name", slug) : 0;
	}
	if (body) {
		free(theirs);
		return px_fail(err, PX_E_EXISTS, "params.slug", "the union '%s' took place"
			       " already", slug);
	}
	if (strcmp(*terms, theirs)) {
		const char *field, *which = first_difference(*terms, theirs, &field);
		free(theirs);
		return px_fail(err, PX_E_CONFLICT, field, "the union '%s' is under way on other"
			       " terms (its %s differs): every assembly adopts the same terms",
			       slug, which);
	}
	free(theirs);
	int64_t adopted = 0;
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT motion_id IS NOT NULL FROM union_assemblies"
				      " WHERE union_id = ? AND assembly_id = ?");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, self);
	if ((rc = store_int64(st, &adopted, &found)))
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_CONFLICT, "params.with", "this assembly is not one the"
			       " union '%s' names", slug);
	if (adopted)
		return px_fail(err, PX_E_CONFLICT, "params.slug", "this assembly adopted the"
			       " union '%s' already: it waits for the others", slug);
	return 0;
}

int ck_check_unite(struct store *s, int64_t body_id, const struct kind_args *a,
		   json_t *canon, struct px_error *err)
{
	json_t *rules = NULL, *sched = NULL;
	char *terms = NULL;
	int64_t id = 0;
	int rc = body_check_rules(kind_json(a, "rule"), &rules, err);
	if (rc && err && err->field)
		err->field = "params.rule";
	if (!rc && (rc = body_check_schedule(kind_json(a, "schedule"), a->now, &sched, err)) &&
	    err && err->field)
		err->field = "params.schedule";
	if (!rc) {
		json_object_set(canon, "rule", rules);
		json_object_set(canon, "schedule", sched);
		rc = union_check(s, body_id, canon, &terms, &id, err);
	}
	free(terms);
	json_decref(rules);
	json_decref(sched);
	return rc;
}

/* The laws in force of the old assemblies, merged into body's register. */
struct law_row {
	int64_t id, body;
	char *title, *text;
	int taken;
};

static int merge_laws(struct store *s, const int64_t *olds, size_t nold, int64_t body,
		      int64_t motion, int64_t now, int64_t *common, int64_t *marked)
{
	struct law_row *rows = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (size_t b = 0; !rc && b < nold; b++) {
		sqlite3_stmt *st = store_stmt(s, "SELECT l.id, v.title, v.text FROM laws l"
			" JOIN law_versions v ON v.law_id = l.id AND v.version ="
			" (SELECT max(version) FROM law_versions w WHERE w.law_id = l.id)"
			" WHERE l.body_id = ? AND l.status = 'in_force' ORDER BY l.number");
		sqlite3_bind_int64(st, 1, olds[b]);
		while (store_next(st, &rc)) {
			if (n == cap) {
				cap = cap ? 2 * cap : 32;
				struct law_row *r = realloc(rows, cap * sizeof(*r));
				if (!r) {
					rc = PX_E_NOMEM;
					sqlite3_reset(st);
					break;
				}
				rows = r;
			}
			const char *title = (const char *)sqlite3_column_text(st, 1);
			const char *text = (const char *)sqlite3_column_text(st, 2);
			rows[n] = (struct law_row){ sqlite3_column_int64(st, 0), olds[b],
						    strdup(title ? title : ""),
						    strdup(text ? text : ""), 0 };
			if (!rows[n].title || !rows[n].text)
				rc = PX_E_NOMEM;
			n++;
		}
	}
	/* the laws of the first assembly that every other one holds alike
	 * enter once; then every other law, by assembly and number */
	for (int pass = 0; !rc && pass < 2; pass++) {
		for (size_t i = 0; !rc && i < n; i++) {
			if (rows[i].taken || (pass == 0 && rows[i].body != olds[0]))
				continue;
			size_t same[UNION_MAX + 1], ns = 0;
			same[ns++] = i;
			for (size_t b = 1; pass == 0 && b < nold; b++) {
				size_t k;
				for (k = 0; k < n; k++)
					if (rows[k].body == olds[b] && !rows[k].taken &&
					    !strcmp(rows[k].title, rows[i].title) &&
					    !strcmp(rows[k].text, rows[i].text))
						break;
				if (k == n)
					break;
				same[ns++] = k;
			}
			if (pass == 0 && ns < nold)
				continue;
			int64_t number = 0, law = 0;
			if ((rc = law_enact(s, body, rows[i].title, rows[i].text, motion, now,
					    &number)))
				break;
			sqlite3_stmt *st = store_stmt(s, "SELECT id FROM laws WHERE body_id = ?"
						      " AND number = ?");
			sqlite3_bind_int64(st, 1, body);
			sqlite3_bind_int64(st, 2, number);
			if ((rc = store_int64(st, &law, NULL)))
				break;
			for (size_t k = 0; !rc && k < ns; k++) {
				rows[same[k]].taken = 1;
				st = store_stmt(s, "INSERT INTO law_origins(law_id, from_law,"
						" motion_id) VALUES (?, ?, ?)");
				sqlite3_bind_int64(st, 1, law);
				sqlite3_bind_int64(st, 2, rows[same[k]].id);
				sqlite3_bind_int64(st, 3, motion);
				rc = store_run(st);
			}
			(*(pass == 0 ? common : marked))++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].title);
		free(rows[i].text);
	}
	free(rows);
	return rc;
}

/* Every named assembly adopted: the united community and assembly. */
static int unite_now(struct store *s, const struct motion_effect *m, int64_t id,
		     json_t *j)
{
	const json_t *p = m->params;
	struct old_body_view first;
	int64_t olds[UNION_MAX + 1], motions[UNION_MAX + 1], population = 0;
	size_t nold = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT u.assembly_id, u.motion_id, c.population"
		" FROM union_assemblies u JOIN bodies b ON b.id = u.assembly_id"
		" JOIN communities c ON c.id = b.community_id WHERE u.union_id = ?"
		" ORDER BY b.slug");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		if (nold > UNION_MAX) {
			rc = PX_E_TOO_LARGE;
			sqlite3_reset(st);
			break;
		}
		olds[nold] = sqlite3_column_int64(st, 0);
		motions[nold] = sqlite3_column_int64(st, 1);
		population += sqlite3_column_int64(st, 2);
		nold++;
	}
	if (rc)
		return rc;
	if ((rc = community_old_body(s, olds[0], &first)))
		return rc;
	/* the statement and rule the terms name; the first assembly's ballots
	 * and language */
	char *statement = strdup(pstr(p, "statement"));
	char *rules = journal_canonical(json_object_get(p, "rule"));
	int64_t founder = 0, body = 0, common = 0, marked = 0;
	if (!statement || !rules)
		rc = PX_E_NOMEM;
	if (!rc) {
		free(first.statement);
		free(first.rules);
		first.statement = statement;
		first.rules = rules;
		statement = rules = NULL;
		rc = community_proposer(s, m->motion_id, &founder);
	}
	if (!rc)
		rc = community_make_local(s, &first, pstr(p, "slug"), pstr(p, "name"),
					  pstr(p, "areas"), population,
					  json_object_get(p, "schedule"), founder, m->motion_id,
					  m->now, &body);
	/* the members of each are members of the united assembly (on the
	 * first basis found, by the order of the assemblies' short names) */
	for (size_t i = 0; !rc && i < nold; i++) {
		st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status, basis,"
			" since) SELECT ?, account_id, 'active', basis, ? FROM memberships"
			" WHERE body_id = ? AND status = 'active' AND true"
			" ON CONFLICT(body_id, account_id) DO NOTHING");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, m->now);
		sqlite3_bind_int64(st, 3, olds[i]);
		rc = store_run(st);
	}
	if (!rc)
		rc = merge_laws(s, olds, nold, body, m->motion_id, m->now, &common, &marked);
	json_t *passed = json_array();
	for (size_t i = 0; !rc && i < nold; i++) {
		struct motion_effect own = *m;
		own.motion_id = motions[i];
		if ((rc = community_pass_memberships(s, m, olds[i], body, passed)) ||
		    (rc = community_lineage_add(s, olds[i], body, "united", motions[i])))
			break;
		rc = community_end_body(s, &own, olds[i], "united");
	}
	if (!rc) {
		st = store_stmt(s, "UPDATE unions SET body_id = ?, united_at = ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, m->now);
		sqlite3_bind_int64(st, 3, id);
		rc = store_run(st);
	}
	if (!rc)
		json_object_set_new(j, "united", json_pack("{s:s, s:I, s:I, s:I, s:o}",
			"slug", pstr(p, "slug"), "population", (json_int_t)population,
			"laws_in_all", (json_int_t)common, "laws_marked", (json_int_t)marked,
			"memberships_merged", passed));
	else
		json_decref(passed);
	free(statement);
	free(rules);
	community_old_body_free(&first);
	return rc;
}

/* the assemblies that unite, each adopting the same terms */
static const struct gov_joint union_joint = {
	.name_assemblies = "INSERT INTO union_assemblies(union_id, assembly_id) SELECT ?1, b.id"
		" FROM json_each(json_extract(?2, '$.assemblies')) a JOIN bodies b"
		" ON b.slug = a.value",
	.mark_adopted = "UPDATE union_assemblies SET motion_id = ?1, at = ?2"
		" WHERE union_id = ?3 AND assembly_id = ?4",
	.count_waiting = "SELECT count(*) FROM union_assemblies WHERE union_id = ?"
		" AND motion_id IS NULL",
};

int ck_apply_unite(struct store *s, const struct motion_effect *m, json_t *j,
		   struct px_error *err)
{
	const json_t *p = m->params;
	char *terms = NULL;
	int64_t id = 0, waiting = 0;
	/* as at submission: another assembly may have adopted, or ended,
	 * meanwhile */
	int rc = community_body_decides(s, m->body_id, err);
	if (!rc)
		rc = union_check(s, m->body_id, p, &terms, &id, err);
	int new = !id;
	if (!rc && new) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO unions(slug, terms, proposed_at)"
					      " VALUES (?, ?, ?) RETURNING id");
		sqlite3_bind_text(st, 1, pstr(p, "slug"), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, terms, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->now);
		rc = store_int64(st, &id, NULL);
	}
	if (!rc)
		rc = gov_joint_adopt(s, &union_joint, id, new, terms, m->motion_id, m->body_id,
				     m->now, &waiting);
	free(terms);
	if (!rc && !waiting)
		rc = unite_now(s, m, id, j);
	if (rc)
		return err && err->code ? rc : px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "union", json_pack("{s:s, s:b, s:I}", "slug", pstr(p, "slug"),
			    "united", !waiting, "assemblies_waiting", (json_int_t)waiting));
	return 0;
}

int gov_union_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		  struct px_error *err)
{
	int64_t id = 0, body = 0;
	char *terms = NULL;
	*out = NULL;
	int rc = union_by_slug(ctx->db, slug, &id, &body, &terms);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!id)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no union '%s'", slug);
	json_t *t = json_loads(terms, 0, NULL), *list = json_array();
	free(terms);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT b.slug, b.name, u.motion_id, u.at"
		" FROM union_assemblies u JOIN bodies b ON b.id = u.assembly_id"
		" WHERE u.union_id = ? ORDER BY b.slug");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		int adopted = sqlite3_column_type(st, 2) != SQLITE_NULL;
		json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:o}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"adopted_by", adopted ? json_integer(sqlite3_column_int64(st, 2))
					      : json_null(),
			"at", adopted ? json_integer(sqlite3_column_int64(st, 3)) : json_null()));
	}
	if (rc || !t || !list) {
		json_decref(t);
		json_decref(list);
		return px_fail(err, rc ? rc : PX_E_NOMEM, NULL, NULL);
	}
	json_object_del(t, "assemblies");
	json_object_set_new(t, "assemblies", list);
	json_object_set_new(t, "status", json_string(body ? "united" : "adopting"));
	*out = t;
	return 0;
}
