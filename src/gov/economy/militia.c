/*
 * militia.c: volunteer militias (issue 15, item 7; docs/economy.md).
 *
 * A militia is a body of kind 'militia' formed by a decision of one or
 * more local assemblies, by mutual agreement: each assembly the
 * formation names adopts a motion of the kind form_militia with the same
 * terms (short name, name, purpose, the assemblies, rule, schedule). The
 * first adoption records the terms and the assemblies (militias,
 * militia_assemblies); each later one must match them; the militia
 * exists once every named assembly has adopted them, in the transaction
 * of the last adoption.
 *
 * Its volunteers join and leave freely, with no decision of anyone: a
 * member of any assembly that formed it joins on the basis 'volunteer'
 * (member.c asks militia_join_check). It decides only its procedure and
 * its offices (rows carrying KIND_BY_MILITIA): officers are elected by
 * the members and recalled at any moment, with duties only, since no
 * kind a militia decides touches anyone's membership; nothing it decides
 * is law (motion_kind_refusal: PX_E_MILITIA_NO_LAWS). Any assembly that
 * formed it may dissolve it (dissolve_militia): its memberships end at
 * once, offices are given up, and nobody joins it again; the record
 * stays. Its supplies come only through the sharing economy: it has no
 * budget, no store and no field for either.
 *
 * Every change is the effect of an adopted motion of a local assembly,
 * replayed with the decision (motion.decide); the joins and leavings are
 * member.join and member.leave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

#define MILITIA_ASSEMBLIES_MAX 32

static const char *pstr(const json_t *p, const char *key)
{
	const char *v = json_string_value(json_object_get(p, key));
	return v ? v : "";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The assemblies a formation names: this one (self) and those of `with`
 * (short names separated by commas or spaces), each a local assembly,
 * none twice. *list: a new array of their slugs, sorted.
 */
static int assemblies_of(struct store *s, int64_t self, const char *with, json_t **list,
			 struct px_error *err)
{
	char buf[2048], self_slug[GOV_SLUG_SIZE] = "";
	const char *names[MILITIA_ASSEMBLIES_MAX];
	size_t n = 0;
	int row = 0, rc;
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
	snprintf(buf, sizeof(buf), "%s", with ? with : "");
	names[n++] = self_slug;
	for (char *save = NULL, *t = strtok_r(buf, ", \t\n", &save); t;
	     t = strtok_r(NULL, ", \t\n", &save)) {
		if (n == MILITIA_ASSEMBLIES_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE, "params.with", "a militia is"
				       " formed by at most %d assemblies",
				       MILITIA_ASSEMBLIES_MAX);
		for (size_t i = 0; i < n; i++)
			if (!strcmp(names[i], t))
				return px_fail(err, PX_E_BAD_INPUT, "params.with", i
					       ? "'%s' is named twice"
					       : "'%s' is this assembly: name the others", t);
		char kind[16] = "";
		st = store_stmt(s, "SELECT kind FROM bodies WHERE slug = ?");
		sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (row) {
			snprintf(kind, sizeof(kind), "%s",
				 (const char *)sqlite3_column_text(st, 0));
			sqlite3_reset(st);
		}
		if (!row)
			return px_fail(err, PX_E_NOT_FOUND, "params.with", "no assembly '%s'", t);
		if (strcmp(kind, "local"))
			return px_fail(err, PX_E_BAD_INPUT, "params.with", "'%s' is not a local"
				       " assembly: only local assemblies form a militia", t);
		names[n++] = t;
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	*list = json_array();
	for (size_t i = 0; *list && i < n; i++)
		if (json_array_append_new(*list, json_string(names[i]))) {
			json_decref(*list);
			*list = NULL;
		}
	return *list ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

/* The terms every assembly adopts, canonical. Takes rule and schedule. */
static char *terms_text(const char *slug, const char *name, const char *purpose,
			const json_t *assemblies, const json_t *rule, const json_t *schedule)
{
	json_t *t = json_pack("{s:s, s:s, s:s, s:O, s:O, s:O}", "slug", slug, "name", name,
			      "purpose", purpose, "assemblies", assemblies, "rule", rule,
			      "schedule", schedule);
	char *text = t ? journal_canonical(t) : NULL;
	json_decref(t);
	return text;
}

/* The militia or formation of that short name: its id (0: none), body (0:
 * forming), whether dissolved, and its terms (malloc'd, may be NULL). */
static int militia_by_slug(struct store *s, const char *slug, int64_t *id, int64_t *body,
			   int *dissolved, char **terms)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, coalesce(body_id, 0), dissolved_by"
				      " IS NOT NULL, terms FROM militias WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	*id = *body = 0;
	*dissolved = 0;
	if (terms)
		*terms = NULL;
	if (rc || !row)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	*body = sqlite3_column_int64(st, 1);
	*dissolved = sqlite3_column_int(st, 2);
	if (terms)
		*terms = strdup((const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	return terms && !*terms ? PX_E_NOMEM : 0;
}

/* The first term of mine that differs from theirs, for the refusal. */
static const char *first_difference(const char *mine, const char *theirs,
				    const char **field)
{
	static const char *const keys[] = { "name", "params.name", "purpose",
		"params.purpose", "assemblies", "params.with", "rule", "params.rule",
		"schedule", "params.schedule", NULL };
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

/*
 * May the local assembly self adopt these terms? A new short name, or a
 * formation under way whose terms are the same and that names this
 * assembly, which has not adopted it yet. *terms: the canonical terms.
 */
static int formation_check(struct store *s, int64_t self, const char *slug,
			   const char *name, const char *purpose, const char *with,
			   const json_t *rule, const json_t *schedule, char **terms,
			   struct px_error *err)
{
	json_t *list = NULL;
	char *theirs = NULL;
	int64_t id = 0, body = 0, one = 0;
	int dissolved = 0, found = 0;
	*terms = NULL;
	int rc = assemblies_of(s, self, with, &list, err);
	if (rc)
		return rc;
	*terms = terms_text(slug, name, purpose, list, rule, schedule);
	json_decref(list);
	if (!*terms)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if ((rc = militia_by_slug(s, slug, &id, &body, &dissolved, &theirs)))
		return px_fail(err, rc, NULL, NULL);
	if (!id) {
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM bodies WHERE slug = ?1"
					      " UNION ALL SELECT 1 FROM polities WHERE slug = ?1");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		if ((rc = store_int64(st, &one, &found)))
			return px_fail(err, rc, NULL, NULL);
		return found ? px_fail(err, PX_E_EXISTS, "params.slug", "a body '%s' already"
				       " exists", slug) : 0;
	}
	if (dissolved) {
		free(theirs);
		return px_fail(err, PX_E_MILITIA_DISSOLVED, "params.slug", "the militia '%s'"
			       " (or its formation) was ended by an assembly's decision: form"
			       " one under another short name", slug);
	}
	if (body) {
		free(theirs);
		return px_fail(err, PX_E_EXISTS, "params.slug", "the militia '%s' was formed"
			       " already", slug);
	}
	if (strcmp(*terms, theirs)) {
		const char *field;
		const char *which = first_difference(*terms, theirs, &field);
		free(theirs);
		return px_fail(err, PX_E_CONFLICT, field, "the formation of '%s' is under way on other"
			       " terms (its %s differs): every assembly adopts the same terms",
			       slug, which);
	}
	free(theirs);
	sqlite3_stmt *st = store_stmt(s, "SELECT motion_id IS NOT NULL FROM militia_assemblies"
				      " WHERE militia_id = ? AND assembly_id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, self);
	int64_t adopted = 0;
	if ((rc = store_int64(st, &adopted, &found)))
		return px_fail(err, rc, NULL, NULL);
	if (!found) /* the terms name every assembly: cannot be, but say so */
		return px_fail(err, PX_E_CONFLICT, "params.with", "this assembly is not one"
			       " the formation of '%s' names", slug);
	if (adopted)
		return px_fail(err, PX_E_CONFLICT, "params.slug", "this assembly adopted the"
			       " formation of '%s' already", slug);
	return 0;
}

static int check_form(struct store *s, int64_t body_id, const struct kind_args *a,
		      json_t *canon, struct px_error *err)
{
	json_t *rules = NULL, *sched = NULL;
	char *terms = NULL;
	int rc = body_check_rules(kind_json(a, "rule"), &rules, err);
	if (!rc)
		rc = body_check_schedule(kind_json(a, "schedule"), a->now, &sched, err);
	if (rc && err && err->field && (!strncmp(err->field, "rule", 4) ||
					!strncmp(err->field, "schedule", 8)))
		err->field = !strncmp(err->field, "rule", 4) ? "params.rule" : "params.schedule";
	if (!rc)
		rc = formation_check(s, body_id, kind_text(a, "slug"), kind_text(a, "name"),
				     kind_text(a, "purpose"), kind_text(a, "with"), rules, sched,
				     &terms, err);
	free(terms);
	if (!rc) {
		json_object_set_new(canon, "rule", rules);
		json_object_set_new(canon, "schedule", sched);
		json_object_set_new(canon, "with", json_string(kind_text(a, "with")));
		return 0;
	}
	json_decref(rules);
	json_decref(sched);
	return rc;
}

/* Every named assembly has adopted: the militia exists from now on. */
static int militia_create(struct store *s, const struct motion_effect *m, int64_t id,
			  const char *slug, const char *name, const char *purpose)
{
	char *rules = journal_canonical(json_object_get(m->params, "rule"));
	char *sched = journal_canonical(json_object_get(m->params, "schedule"));
	int64_t proposer = 0, body = 0;
	int rc = rules && sched ? 0 : PX_E_NOMEM;
	sqlite3_stmt *st;
	if (!rc) {
		st = store_stmt(s, "SELECT proposer FROM motions WHERE id = ?");
		sqlite3_bind_int64(st, 1, m->motion_id);
		rc = store_int64(st, &proposer, NULL);
	}
	if (!rc) {
		st = store_stmt(s, "INSERT INTO bodies(slug, kind, name, community_id, statement,"
				   " rules, schedule, founded_by, founded_at, founded_by_motion)"
				   " VALUES (?, 'militia', ?, NULL, ?, ?, ?, ?, ?, ?) RETURNING id");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, purpose, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, rules, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, sched, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, proposer);
		sqlite3_bind_int64(st, 7, m->now);
		sqlite3_bind_int64(st, 8, m->motion_id);
		rc = store_int64(st, &body, NULL);
	}
	if (!rc && !body)
		rc = PX_E_DB;
	if (!rc) {
		st = store_stmt(s, "UPDATE militias SET body_id = ?, formed_at = ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, m->now);
		sqlite3_bind_int64(st, 3, id);
		rc = store_run(st);
	}
	if (!rc) /* its regular meetings, at once, as for any body */
		rc = meeting_sync(s, body, m->now);
	free(rules);
	free(sched);
	return rc;
}

/* the assemblies that form a militia, each adopting the same terms */
static const struct gov_joint militia_joint = {
	.name_assemblies = "INSERT INTO militia_assemblies(militia_id, assembly_id) SELECT ?1,"
		" b.id FROM json_each(json_extract(?2, '$.assemblies')) a JOIN bodies b"
		" ON b.slug = a.value",
	.mark_adopted = "UPDATE militia_assemblies SET motion_id = ?1, at = ?2"
		" WHERE militia_id = ?3 AND assembly_id = ?4",
	.count_waiting = "SELECT count(*) FROM militia_assemblies WHERE militia_id = ?"
		" AND motion_id IS NULL",
};

static int apply_form(struct store *s, const struct motion_effect *m, json_t *j,
		      struct px_error *err)
{
	const json_t *p = m->params;
	const char *slug = pstr(p, "slug"), *name = pstr(p, "name"),
		   *purpose = pstr(p, "purpose");
	char *terms = NULL;
	int64_t id = 0, body = 0, waiting = 0;
	int dissolved = 0;
	/* as at submission: another assembly may have adopted meanwhile */
	int rc = formation_check(s, m->body_id, slug, name, purpose, pstr(p, "with"),
				 json_object_get(p, "rule"), json_object_get(p, "schedule"),
				 &terms, err);
	if (!rc)
		rc = militia_by_slug(s, slug, &id, &body, &dissolved, NULL);
	int new = !id;
	if (!rc && new) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO militias(slug, name, purpose,"
			" terms, proposed_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, purpose, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, terms, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, m->now);
		rc = store_int64(st, &id, NULL);
	}
	if (!rc)
		rc = gov_joint_adopt(s, &militia_joint, id, new, terms, m->motion_id,
				     m->body_id, m->now, &waiting);
	free(terms);
	if (!rc && !waiting)
		rc = militia_create(s, m, id, slug, name, purpose);
	if (rc)
		return err && err->code ? rc : px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "militia", json_pack("{s:s, s:b, s:I}", "slug", slug,
			    "formed", !waiting, "assemblies_waiting", (json_int_t)waiting));
	return 0;
}

/* The militia dissolve_militia names: formed or being formed, not
 * dissolved, and formed (or being formed) by this assembly: a named
 * assembly ends a formation under way as it dissolves a militia. */
static int dissolve_check(struct store *s, int64_t self, const char *slug, int64_t *id,
			  int64_t *body, struct px_error *err)
{
	int dissolved = 0;
	int64_t one = 0;
	int found = 0;
	int rc = militia_by_slug(s, slug, id, body, &dissolved, NULL);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!*id)
		return px_fail(err, PX_E_NOT_FOUND, "params.militia", "no militia '%s'", slug);
	if (dissolved)
		return px_fail(err, PX_E_MILITIA_DISSOLVED, "params.militia", NULL);
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM militia_assemblies WHERE"
				      " militia_id = ? AND assembly_id = ?");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, self);
	if ((rc = store_int64(st, &one, &found)))
		return px_fail(err, rc, NULL, NULL);
	return found ? 0 : px_fail(err, PX_E_FORBIDDEN, "params.militia", "only an assembly"
				   " that formed the militia '%s' dissolves it", slug);
}

static int check_dissolve(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err)
{
	int64_t id, body;
	(void)canon;
	return dissolve_check(s, body_id, kind_text(a, "militia"), &id, &body, err);
}

/* A dissolved militia's business ends with it: its motions still open
 * (submitted, or in a vote) are withdrawn, saying why; its meetings not
 * begun are no more (a motion that waited for one no longer names it),
 * and none is made after (bodies.dissolved_at, read by meeting_sync). */
#define DISSOLVED_REASON "the militia was dissolved"
static int close_business(struct store *s, int64_t body, int64_t now, int64_t *closed)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = 'withdrawn',"
		" decided_at = ?2, closed_reason = '" DISSOLVED_REASON "' WHERE body_id = ?1"
		" AND status IN ('submitted', 'voting')");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, now);
	int rc = store_run(st);
	if (rc)
		return rc;
	*closed = sqlite3_changes(store_db(s));
	st = store_stmt(s, "UPDATE motions SET meeting_id = NULL WHERE meeting_id IN"
		" (SELECT id FROM meetings WHERE body_id = ?1 AND starts_at > ?2"
		" AND closed_at IS NULL)");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = store_run(st)))
		return rc;
	st = store_stmt(s, "DELETE FROM meetings WHERE body_id = ?1 AND starts_at > ?2"
		" AND closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM attendance a"
		" WHERE a.meeting_id = meetings.id)");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = store_run(st)))
		return rc;
	st = store_stmt(s, "UPDATE bodies SET dissolved_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, body);
	return store_run(st);
}

static int apply_dissolve(struct store *s, const struct motion_effect *m, json_t *j,
			  struct px_error *err)
{
	int64_t id = 0, body = 0, accounts[64];
	int64_t ended = 0;
	size_t n;
	int rc = dissolve_check(s, m->body_id, pstr(m->params, "militia"), &id, &body, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE militias SET dissolved_by = ?,"
				      " dissolved_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	/* every volunteer's membership ends now, as by leaving: offices and
	 * committee seats given up, presence at a meeting ended (a formation
	 * under way has none) */
	do {
		n = 0;
		st = store_stmt(s, "SELECT account_id FROM memberships WHERE body_id = ?"
				   " AND status = 'active' ORDER BY account_id LIMIT 64");
		sqlite3_bind_int64(st, 1, body);
		while (body && n < 64 && store_next(st, &rc))
			accounts[n++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (size_t i = 0; !rc && i < n; i++) {
			st = store_stmt(s, "UPDATE memberships SET status = 'left', since = ?"
					   " WHERE body_id = ? AND account_id = ?");
			sqlite3_bind_int64(st, 1, m->now);
			sqlite3_bind_int64(st, 2, body);
			sqlite3_bind_int64(st, 3, accounts[i]);
			if (!(rc = store_run(st)) &&
			    !(rc = member_release_duties(s, body, accounts[i])))
				rc = meeting_presence_end(s, body, accounts[i], m->now, "left",
							  m->actor, m->motion_id);
			ended++;
		}
	} while (!rc && n == 64);
	int64_t closed = 0;
	if (!rc && body)
		rc = close_business(s, body, m->now, &closed);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "dissolved", json_pack("{s:s, s:b, s:I, s:I}", "militia",
			    pstr(m->params, "militia"), "was_formed", body != 0,
			    "memberships_ended", (json_int_t)ended,
			    "motions_withdrawn", (json_int_t)closed));
	return 0;
}

/* ---- joining ---- */

int militia_join_check(struct store *s, int64_t body_id, int64_t account_id,
		       const char *basis, struct px_error *err)
{
	int64_t dissolved = 0;
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT dissolved_by IS NOT NULL FROM militias"
				      " WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_int64(st, &dissolved, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	int volunteer = basis && !strcmp(basis, "volunteer");
	if (!row)
		return volunteer ? px_fail(err, PX_E_BAD_INPUT, "basis", "one volunteers in"
					   " a militia: the basis \"volunteer\" is for a"
					   " militia only") : 0;
	if (!volunteer)
		return px_fail(err, PX_E_BAD_INPUT, "basis", "one is a member of a militia"
			       " by volunteering: the basis is \"volunteer\"");
	if (dissolved)
		return px_fail(err, PX_E_MILITIA_DISSOLVED, NULL, NULL);
	int64_t one = 0;
	st = store_stmt(s, "SELECT 1 FROM militias x JOIN militia_assemblies a"
		" ON a.militia_id = x.id JOIN memberships m ON m.body_id = a.assembly_id"
		" AND m.account_id = ? AND m.status = 'active' WHERE x.body_id = ? LIMIT 1");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, body_id);
	if ((rc = store_int64(st, &one, &row)))
		return px_fail(err, rc, NULL, NULL);
	return row ? 0 : px_fail(err, PX_E_MILITIA_NOT_LOCAL, NULL, NULL);
}

/* ---- readers ---- */

#define MILITIA_SELECT \
	"SELECT x.id, x.slug, x.name, x.purpose, x.proposed_at, b.slug IS NOT NULL," \
	" x.formed_at, x.dissolved_by, x.dissolved_at, coalesce(x.body_id, 0)," \
	" (SELECT count(*) FROM memberships m WHERE m.body_id = x.body_id" \
	"  AND m.status = 'active'), (SELECT d.body_id FROM motions d" \
	"  WHERE d.id = x.dissolved_by) FROM militias x LEFT JOIN bodies b ON b.id = x.body_id"

static json_t *time_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
		: json_integer(sqlite3_column_int64(st, col));
}

/* One row of MILITIA_SELECT, without its assemblies. */
static int militia_row(sqlite3_stmt *st, json_t **out)
{
	int formed = sqlite3_column_int(st, 5);
	int dissolved = sqlite3_column_type(st, 7) != SQLITE_NULL;
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:I}",
		"slug", (const char *)sqlite3_column_text(st, 1),
		"name", (const char *)sqlite3_column_text(st, 2),
		"purpose", (const char *)sqlite3_column_text(st, 3),
		"status", dissolved ? "dissolved" : formed ? "active" : "forming",
		"proposed_at", (json_int_t)sqlite3_column_int64(st, 4),
		"formed_at", time_or_null(st, 6),
		"dissolved_by", time_or_null(st, 7),
		"dissolved_at", time_or_null(st, 8),
		"members", (json_int_t)sqlite3_column_int64(st, 10));
	if (!m)
		return PX_E_NOMEM;
	*out = m;
	return 0;
}

static int assemblies_json(struct store *s, int64_t id, json_t *m)
{
	json_t *list = json_array();
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, b.name, a.motion_id, a.at FROM"
		" militia_assemblies a JOIN bodies b ON b.id = a.assembly_id"
		" WHERE a.militia_id = ? ORDER BY b.slug");
	sqlite3_bind_int64(st, 1, id);
	while (list && store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:o}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"adopted_by", time_or_null(st, 2), "at", time_or_null(st, 3)));
	sqlite3_reset(st);
	if (!rc && !list)
		rc = PX_E_NOMEM;
	if (!rc)
		json_object_set_new(m, "assemblies", list);
	else
		json_decref(list);
	return rc;
}

int gov_militia_list(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	json_t *list = json_array(), *ids = json_array();
	int rc = 0;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, MILITIA_SELECT " ORDER BY x.slug LIMIT ?");
	sqlite3_bind_int(st, 1, ECONOMY_LIST_MAX);
	while (list && ids && store_next(st, &rc)) {
		json_t *m = NULL;
		if ((rc = militia_row(st, &m)))
			break;
		json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
		json_array_append_new(list, m);
	}
	sqlite3_reset(st);
	for (size_t i = 0; !rc && list && i < json_array_size(ids); i++)
		rc = assemblies_json(ctx->db, json_integer_value(json_array_get(ids, i)),
				     json_array_get(list, i));
	json_decref(ids);
	if (!rc && !list)
		rc = PX_E_NOMEM;
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

int gov_militia_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		    struct px_error *err)
{
	int row = 0, rc;
	json_t *m = NULL;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no militia '%s'", slug ? slug : "");
	sqlite3_stmt *st = store_stmt(ctx->db, MILITIA_SELECT " WHERE x.slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no militia '%s'", slug);
	int64_t id = sqlite3_column_int64(st, 0), body = sqlite3_column_int64(st, 9);
	rc = militia_row(st, &m);
	sqlite3_reset(st);
	if (!rc)
		rc = assemblies_json(ctx->db, id, m);
	if (!rc && body) {
		/* the volunteers, all equal; the offices, duties only */
		json_t *members = json_array(), *offices = office_list_json(ctx->db, body);
		st = store_stmt(ctx->db, "SELECT a.handle, a.display_name, m.since FROM"
			" memberships m JOIN accounts a ON a.id = m.account_id"
			" WHERE m.body_id = ? AND m.status = 'active' ORDER BY a.handle");
		sqlite3_bind_int64(st, 1, body);
		while (members && store_next(st, &rc))
			json_array_append_new(members, json_pack("{s:s, s:s, s:I}",
				"handle", (const char *)sqlite3_column_text(st, 0),
				"display_name", (const char *)sqlite3_column_text(st, 1),
				"since", (json_int_t)sqlite3_column_int64(st, 2)));
		sqlite3_reset(st);
		json_object_set_new(m, "member_list", members ? members : json_array());
		json_object_set_new(m, "offices", offices ? offices : json_array());
		if (!rc && (!members || !offices))
			rc = PX_E_DB;
		st = store_stmt(ctx->db, "SELECT rules, schedule FROM bodies WHERE id = ?");
		sqlite3_bind_int64(st, 1, body);
		if (!rc && !(rc = store_step(st, &row)) && row) {
			json_t *rules = json_loads((const char *)sqlite3_column_text(st, 0), 0,
						   NULL);
			json_t *sched = json_loads((const char *)sqlite3_column_text(st, 1), 0,
						   NULL);
			sqlite3_reset(st);
			struct strbuf text;
			sb_init(&text, 512);
			if (sched && !body_schedule_describe(sched, ctx->lang, &text))
				json_object_set_new(m, "schedule_text", json_string(text.buf));
			sb_release(&text);
			json_object_set_new(m, "rules", rules ? rules : json_null());
			json_object_set_new(m, "schedule", sched ? sched : json_null());
		}
	}
	if (rc) {
		json_decref(m);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = m;
	return 0;
}

/* ---- the rows, found by the registry through gov/kinds.c ---- */

static const struct kind_param form_params[] = {
	{ .name = "slug", .type = KP_SLUG, .required = 1, .min = 2, .max = 64,
	  .label = N_("Short name of the militia"),
	  .help = N_("The same in every assembly forming it: it names the formation.") },
	{ .name = "name", .type = KP_TEXT, .required = 1, .min = 1, .max = 120,
	  .label = N_("Its name") },
	{ .name = "purpose", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 4000,
	  .label = N_("Its purpose"),
	  .help = N_("What the volunteers are for, as this decision states it.") },
	{ .name = "with", .type = KP_TEXT, .max = 2000,
	  .label = N_("The other assemblies forming it (their short names)"),
	  .help = N_("Separated by commas; empty when this assembly forms it alone. Each"
		  " adopts the same terms; it exists once all have.") },
	{ .name = "rule", .type = KP_RULES, .required = 1, .label = N_("How it decides") },
	{ .name = "schedule", .type = KP_SCHEDULE, .required = 1,
	  .label = N_("When and where it meets") },
	{ .name = NULL },
};

static const struct kind_param dissolve_params[] = {
	{ .name = "militia", .type = KP_TEXT, .required = 1, .min = 2, .max = 64,
	  .label = N_("The militia (its short name)"),
	  .help = N_("One this assembly formed, or whose formation it is named in:"
		  " its memberships end at once; a formation under way ends.") },
	{ .name = NULL },
};

const struct motion_kind militia_kinds[] = {
	{ .name = "form_militia",
	  .label = N_("Form a volunteer militia (with other assemblies, by the same decision)"),
	  .summary = N_("form a volunteer militia with a stated purpose, alone or with other"
		     " local assemblies adopting the same terms: it exists once all have"),
	  .check = check_form, .apply = apply_form, .decided_by = KIND_BY_LOCAL,
	  .params = form_params },
	{ .name = "dissolve_militia",
	  .label = N_("Dissolve a militia this assembly formed"),
	  .summary = N_("dissolve a volunteer militia this assembly formed (or end its"
		     " formation under way): its memberships and offices end at once"),
	  .check = check_dissolve, .apply = apply_dissolve, .decided_by = KIND_BY_LOCAL,
	  .params = dissolve_params },
	{ .name = NULL },
};
