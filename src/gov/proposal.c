/*
 * proposal.c: proposals, their versions, offers and answers, the effect
 * of a met condition on the registers of the local assemblies that
 * accepted, and the status people see (see proposal.h).
 *
 * Invariants: answers are never changed, only added (the latest per
 * assembly and version counts); a law enters a register only through
 * settle(), inside the transaction of a decision (an answer, a new
 * version, a repeal), and only in a local assembly whose own latest
 * answer to that version is accept and whose path to the originator
 * accepted too. The tree is read from current memberships each time;
 * the count of a federation of 200,000 assemblies is not yet maintained
 * incrementally.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/errors.h"
#include "../core/ratify.h"
#include "../core/text.h"
#include "../store/journal.h"
#include "../store/store.h"
#include "federation.h"
#include "law.h"
#include "proposal.h"
#include "../banned.h"

#define TREE_MAX_DEPTH 32

/* ---- conditions ---- */

int proposal_condition_check(struct store *s, const json_t *in,
			     const char *field, json_t **canon,
			     struct px_error *err)
{
	if (!json_is_object(in))
		return px_fail(err, in ? PX_E_BAD_TYPE : PX_E_MISSING_FIELD, field,
			       "a condition is an object with a \"kind\"");
	int kind = ratify_kind_parse(json_string_value(json_object_get(in, "kind")));
	const char *key;
	json_t *v;
	const char *allowed = kind == RATIFY_AT_LEAST ? "n"
			    : kind == RATIFY_ALL_OF ? "assemblies" : "percent";
	if (kind < 0)
		return px_fail(err, PX_E_BAD_INPUT, field, "the condition's kind is at_least,"
			       " share_of_assemblies, share_of_population or all_of");
	json_object_foreach((json_t *)in, key, v)
		if (strcmp(key, "kind") && strcmp(key, allowed))
			return px_fail(err, PX_E_UNKNOWN_FIELD, field,
				       "a condition of this kind takes \"%s\", not \"%s\"",
				       allowed, key);
	const json_t *p = json_object_get(in, allowed);
	if (kind == RATIFY_ALL_OF) {
		size_t i;
		if (!json_is_array(p) || !json_array_size(p) || json_array_size(p) > 1000)
			return px_fail(err, PX_E_BAD_INPUT, field,
				       "assemblies lists 1 to 1,000 local assemblies");
		json_t *list = json_array();
		json_array_foreach(p, i, v) {
			int64_t id;
			char k[16];
			int rc = json_is_string(v)
				? fed_body_by_slug(s, json_string_value(v), field, &id, k, err)
				: px_fail(err, PX_E_BAD_TYPE, field, "assemblies are slugs");
			if (!rc && strcmp(k, "local"))
				rc = px_fail(err, PX_E_BAD_INPUT, field,
					     "'%s' is not a local assembly", json_string_value(v));
			if (rc) {
				json_decref(list);
				return rc;
			}
			json_array_append(list, v);
		}
		*canon = json_pack("{s:s, s:o}", "kind", "all_of", "assemblies", list);
		return 0;
	}
	int64_t lo = 1, hi = kind == RATIFY_AT_LEAST ? 10000000 : 100;
	if (!json_is_integer(p) || json_integer_value(p) < lo || json_integer_value(p) > hi)
		return px_fail(err, PX_E_OUT_OF_RANGE, field, kind == RATIFY_AT_LEAST
			       ? "n is a whole number of local assemblies, 1 or more"
			       : "percent is a whole number from 1 to 100");
	*canon = json_pack("{s:s, s:I}", "kind", ratify_kind_name((enum ratify_kind)kind),
			   allowed, (json_int_t)json_integer_value(p));
	return 0;
}

/* ---- the tree beneath the originator ---- */

struct tnode {
	int64_t id, population;
	int32_t parent;
	int local;
	char slug[72], name[128];
};

struct tree {
	struct tnode *n;
	size_t len, cap;
};

static int tree_push(struct tree *t, int64_t id, int32_t parent)
{
	if (t->len == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		struct tnode *p = realloc(t->n, cap * sizeof(*p));
		if (!p)
			return PX_E_NOMEM;
		t->n = p;
		t->cap = cap;
	}
	memset(&t->n[t->len], 0, sizeof(t->n[0]));
	t->n[t->len].id = id;
	t->n[t->len].parent = parent;
	t->len++;
	return 0;
}

static int on_path(const struct tree *t, size_t i, int64_t id)
{
	for (int32_t p = (int32_t)i; p >= 0; p = t->n[p].parent)
		if (t->n[p].id == id)
			return 1;
	return 0;
}

static int depth_of(const struct tree *t, size_t i)
{
	int d = 0;
	for (int32_t p = t->n[i].parent; p >= 0; p = t->n[p].parent)
		d++;
	return d;
}

/* Breadth first, so every parent comes before its children. */
static int tree_build(struct store *s, int64_t origin, struct tree *t)
{
	int rc = tree_push(t, origin, -1);
	for (size_t i = 0; !rc && i < t->len; i++) {
		sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, b.name, b.kind,"
			" coalesce(c.population, 0) FROM bodies b LEFT JOIN communities c"
			" ON c.id = b.community_id WHERE b.id = ?");
		sqlite3_bind_int64(st, 1, t->n[i].id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(t->n[i].slug, sizeof(t->n[i].slug), "%s",
				 (const char *)sqlite3_column_text(st, 0));
			snprintf(t->n[i].name, sizeof(t->n[i].name), "%s",
				 (const char *)sqlite3_column_text(st, 1));
			t->n[i].local = !strcmp((const char *)sqlite3_column_text(st, 2), "local");
			t->n[i].population = sqlite3_column_int64(st, 3);
		}
		sqlite3_reset(st);
		if (t->n[i].local || depth_of(t, i) >= TREE_MAX_DEPTH)
			continue;
		int64_t kids[256];
		int64_t after = 0;
		size_t k;
		do {
			k = 0;
			st = store_stmt(s, "SELECT member_id FROM federation_members WHERE"
				" federation_id = ? AND status = 'active' AND member_id > ?"
				" ORDER BY member_id LIMIT 256");
			sqlite3_bind_int64(st, 1, t->n[i].id);
			sqlite3_bind_int64(st, 2, after);
			while (sqlite3_step(st) == SQLITE_ROW)
				kids[k++] = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
			for (size_t j = 0; j < k && !rc; j++)
				if (!on_path(t, i, kids[j]))
					rc = tree_push(t, kids[j], (int32_t)i);
			if (k)
				after = kids[k - 1];
		} while (!rc && k == 256);
	}
	return rc;
}

/* The latest answer of body to version: answer (room for 16), its
 * motion, or answer "" when none. */
static void latest_answer(struct store *s, int64_t proposal, int64_t version,
			  int64_t body, char answer[16], int64_t *motion)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT answer, motion_id FROM proposal_answers"
		" WHERE proposal_id = ? AND version = ? AND body_id = ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	answer[0] = '\0';
	*motion = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(answer, 16, "%s", (const char *)sqlite3_column_text(st, 0));
		*motion = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
}

struct version_row {
	int64_t version;
	char *title, *text;
	json_t *condition;
};

static void versions_free(struct version_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].text);
		json_decref(v[i].condition);
	}
	free(v);
}

static int versions_load(struct store *s, int64_t proposal, struct version_row **out,
			 size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT version, title, text, condition FROM"
		" proposal_versions WHERE proposal_id = ? ORDER BY version");
	sqlite3_bind_int64(st, 1, proposal);
	int rc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			struct version_row *p = realloc(*out, cap * sizeof(*p));
			if (!p) {
				rc = PX_E_NOMEM;
				break;
			}
			*out = p;
		}
		struct version_row *v = &(*out)[(*n)++];
		v->version = sqlite3_column_int64(st, 0);
		v->title = strdup((const char *)sqlite3_column_text(st, 1));
		v->text = strdup((const char *)sqlite3_column_text(st, 2));
		v->condition = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
		if (!v->title || !v->text || !v->condition)
			rc = PX_E_NOMEM;
	}
	sqlite3_reset(st);
	return rc;
}

/* Evaluate one version over the tree; nodes must hold t->len entries. */
static int evaluate(struct store *s, int64_t proposal, const struct version_row *v,
		    const struct tree *t, struct ratify_node *nodes,
		    struct ratify_result *r)
{
	struct ratify_condition c = { 0 };
	int64_t *named = NULL;
	int rc = 0;
	c.kind = (enum ratify_kind)ratify_kind_parse(
		json_string_value(json_object_get(v->condition, "kind")));
	c.n = json_integer_value(json_object_get(v->condition, "n"));
	c.percent = json_integer_value(json_object_get(v->condition, "percent"));
	const json_t *set = json_object_get(v->condition, "assemblies");
	if (set) {
		size_t i;
		json_t *slug;
		named = calloc(json_array_size(set) + 1, sizeof(*named));
		if (!named)
			return PX_E_NOMEM;
		json_array_foreach(set, i, slug) {
			char k[16];
			if (fed_body_by_slug(s, json_string_value(slug), NULL, &named[i], k, NULL))
				named[i] = -1; /* a body that no longer exists never accepts */
		}
		c.named = named;
		c.n_named = json_array_size(set);
	}
	for (size_t i = 0; i < t->len; i++) {
		char answer[16];
		int64_t motion;
		latest_answer(s, proposal, v->version, t->n[i].id, answer, &motion);
		nodes[i] = (struct ratify_node){ .id = t->n[i].id, .parent = t->n[i].parent,
			.local = (unsigned char)t->n[i].local,
			.accepted = !strcmp(answer, "accept"),
			.population = t->n[i].population };
	}
	rc = ratify_evaluate(nodes, t->len, &c, r);
	free(named);
	return rc ? PX_E_INTERNAL : 0;
}

static int64_t proposal_origin(struct store *s, int64_t proposal)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT body_id FROM proposals WHERE id = ?");
	sqlite3_bind_int64(st, 1, proposal);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

/* The law of body that came from proposal (the latest such), if any. */
static int64_t law_of(struct store *s, int64_t body, int64_t proposal,
		      int64_t *number, int *in_force, int64_t *from_version)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT l.id, l.number, l.status = 'in_force',"
		" (SELECT max(proposal_version) FROM law_versions v WHERE v.law_id = l.id)"
		" FROM laws l WHERE l.body_id = ? AND l.proposal_id = ? ORDER BY l.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, proposal);
	int64_t id = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*number = sqlite3_column_int64(st, 1);
		*in_force = sqlite3_column_int(st, 2);
		*from_version = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	return id;
}

static int link_version(struct store *s, int64_t body, int64_t number, int64_t version,
			int64_t proposal, int64_t pversion)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE laws SET proposal_id = ?1"
		" WHERE body_id = ?2 AND number = ?3");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, number);
	int rc = store_code(sqlite3_step(st));
	if (rc)
		return rc;
	st = store_stmt(s, "UPDATE law_versions SET proposal_id = ?1, proposal_version = ?2"
		" WHERE version = ?3 AND law_id = (SELECT id FROM laws WHERE body_id = ?4"
		" AND number = ?5)");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, pversion);
	sqlite3_bind_int64(st, 3, version);
	sqlite3_bind_int64(st, 4, body);
	sqlite3_bind_int64(st, 5, number);
	return store_code(sqlite3_step(st));
}

/* The version takes effect in local node: enact, or amend a law from an
 * earlier version. */
static int take_effect(struct store *s, int64_t proposal, const struct version_row *v,
		       const struct tnode *node, int64_t now, const char *actor,
		       json_t *entered)
{
	int64_t number = 0, from = 0, lv = 1, motion;
	int in_force = 0, rc;
	char answer[16];
	latest_answer(s, proposal, v->version, node->id, answer, &motion);
	if (law_of(s, node->id, proposal, &number, &in_force, &from) && in_force) {
		if (from >= v->version)
			return 0;
		if ((rc = law_amend(s, node->id, number, v->title, v->text, motion, now,
				    &lv, NULL)))
			return rc;
	} else if ((rc = law_enact(s, node->id, v->title, v->text, motion, now, &number))) {
		return rc;
	}
	if ((rc = link_version(s, node->id, number, lv, proposal, v->version)))
		return rc;
	json_t *p = json_pack("{s:I, s:I, s:I, s:I, s:I}", "proposal", (json_int_t)proposal,
			      "proposal_version", (json_int_t)v->version,
			      "law", (json_int_t)number, "version", (json_int_t)lv,
			      "accepted_by", (json_int_t)motion);
	rc = journal_append(s, now, actor, node->slug, "law.from_proposal", p, NULL);
	json_object_set_new(p, "body", json_string(node->slug));
	json_array_append_new(entered, p);
	return rc;
}

struct counted {
	int64_t id;
	size_t node;
};

static int by_id(const void *a, const void *b)
{
	const struct counted *x = a, *y = b;
	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->node > y->node) - (x->node < y->node);
}

/* Recompute every version's condition and bring the registers of the
 * local assemblies that accepted in step. */
static int settle(struct store *s, int64_t proposal, int64_t now, const char *actor,
		  json_t *effect)
{
	struct tree t = { 0 };
	struct version_row *v = NULL;
	struct ratify_node *nodes = NULL;
	size_t nv = 0;
	struct counted *order = NULL;
	json_t *entered = json_array(), *met = json_array();
	int rc = tree_build(s, proposal_origin(s, proposal), &t);
	if (!rc)
		rc = versions_load(s, proposal, &v, &nv);
	if (!rc && (!(nodes = calloc(t.len, sizeof(*nodes))) ||
		    !(order = calloc(t.len, sizeof(*order)))))
		rc = PX_E_NOMEM;
	for (size_t i = 0; !rc && i < nv; i++) {
		struct ratify_result r;
		if ((rc = evaluate(s, proposal, &v[i], &t, nodes, &r)) || !r.met)
			continue;
		json_array_append_new(met, json_integer(v[i].version));
		/* each counted local once, though it may appear on two paths */
		size_t n = 0;
		for (size_t j = 1; j < t.len; j++)
			if (t.n[j].local && nodes[j].counts)
				order[n++] = (struct counted){ t.n[j].id, j };
		qsort(order, n, sizeof(*order), by_id);
		for (size_t j = 0; !rc && j < n; j++)
			if (!j || order[j].id != order[j - 1].id)
				rc = take_effect(s, proposal, &v[i], &t.n[order[j].node], now,
						 actor, entered);
	}
	if (!rc && effect) {
		json_object_set(effect, "versions_met", met);
		if (json_array_size(entered))
			json_object_set(effect, "laws_entered", entered);
	}
	json_decref(entered);
	json_decref(met);
	free(order);
	free(nodes);
	free(t.n);
	versions_free(v, nv);
	return rc;
}

/* ---- effects ---- */

static int offer_members(struct store *s, int64_t proposal, int64_t version,
			 int64_t from, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO proposal_offers(proposal_id,"
		" version, body_id, offered_by, at) SELECT ?1, ?2, member_id, ?3, ?4"
		" FROM federation_members WHERE federation_id = ?3 AND status = 'active'");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, from);
	sqlite3_bind_int64(st, 4, now);
	return store_code(sqlite3_step(st));
}

static int add_version(struct store *s, int64_t proposal, int64_t version,
		       const char *title, const char *text, const char *rationale,
		       const json_t *condition, int64_t motion_id, int64_t now)
{
	char *cond = journal_canonical(condition);
	if (!cond)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO proposal_versions(proposal_id, version,"
		" title, text, rationale, condition, adopted_by, at) VALUES (?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_text(st, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rationale, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, cond, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, motion_id);
	sqlite3_bind_int64(st, 8, now);
	int rc = store_code(sqlite3_step(st));
	sqlite3_reset(st);
	free(cond);
	return rc;
}

int proposal_offer_to_new_member(struct store *s, int64_t federation, int64_t member,
				 int64_t now)
{
	/* the latest version of each of the federation's own proposals, and
	 * every version it accepted from above and passes on */
	sqlite3_stmt *st = store_stmt(s, "INSERT OR IGNORE INTO proposal_offers(proposal_id,"
		" version, body_id, offered_by, at)"
		" SELECT p.id, (SELECT max(version) FROM proposal_versions v WHERE"
		"  v.proposal_id = p.id), ?2, ?1, ?3 FROM proposals p WHERE p.body_id = ?1"
		" UNION SELECT a.proposal_id, a.version, ?2, ?1, ?3 FROM proposal_answers a"
		"  WHERE a.body_id = ?1 AND a.answer = 'accept' AND a.id = (SELECT max(b.id)"
		"  FROM proposal_answers b WHERE b.proposal_id = a.proposal_id AND"
		"  b.version = a.version AND b.body_id = ?1)");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_int64(st, 3, now);
	return store_code(sqlite3_step(st));
}

int proposal_create(struct store *s, int64_t body_id, const char *title,
		    const char *text, const char *rationale,
		    const json_t *condition, int64_t motion_id, int64_t now,
		    int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO proposals(body_id, created_by,"
				      " created_at) VALUES (?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, motion_id);
	sqlite3_bind_int64(st, 3, now);
	*id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!*id)
		return PX_E_DB;
	int rc = add_version(s, *id, 1, title, text, rationale, condition, motion_id, now);
	if (!rc)
		rc = offer_members(s, *id, 1, body_id, now);
	return rc;
}

int proposal_find(struct store *s, int64_t id, int64_t *body_id,
		  int64_t *latest, struct px_error *err, const char *field)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT p.body_id, max(v.version) FROM proposals p"
		" JOIN proposal_versions v ON v.proposal_id = p.id WHERE p.id = ? GROUP BY p.id");
	sqlite3_bind_int64(st, 1, id);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		*body_id = sqlite3_column_int64(st, 0);
		*latest = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, field, "no proposal %lld",
				   (long long)id);
}

int proposal_offered(struct store *s, int64_t id, int64_t version, int64_t body_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM proposal_offers WHERE"
		" proposal_id = ? AND version = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body_id);
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

int proposal_new_version(struct store *s, int64_t proposal_id,
			 const char *title, const char *text,
			 const char *rationale, const json_t *condition,
			 int64_t motion_id, int64_t now, int64_t *version)
{
	int64_t body, latest;
	int rc = proposal_find(s, proposal_id, &body, &latest, NULL, NULL);
	if (rc)
		return rc;
	*version = latest + 1;
	rc = add_version(s, proposal_id, *version, title, text, rationale, condition,
			 motion_id, now);
	if (!rc)
		rc = offer_members(s, proposal_id, *version, body, now);
	return rc;
}

int proposal_answer(struct store *s, int64_t proposal_id, int64_t version,
		    int64_t body_id, const char *answer,
		    const char *counter_text, const char *reasons,
		    int64_t motion_id, int64_t now, const char *actor,
		    json_t *effect)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO proposal_answers(proposal_id, version,"
		" body_id, answer, counter_text, reasons, motion_id, at)"
		" VALUES (?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, proposal_id);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body_id);
	sqlite3_bind_text(st, 4, answer, -1, SQLITE_STATIC);
	if (counter_text)
		sqlite3_bind_text(st, 5, counter_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, reasons ? reasons : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, motion_id);
	sqlite3_bind_int64(st, 8, now);
	int rc = store_code(sqlite3_step(st));
	/* a delegate assembly that accepts passes the version on */
	if (!rc && !strcmp(answer, "accept") && fed_is_delegate(s, body_id))
		rc = offer_members(s, proposal_id, version, body_id, now);
	if (!rc)
		rc = settle(s, proposal_id, now, actor, effect);
	return rc;
}

int proposal_law_repealed(struct store *s, int64_t body_id, int64_t law_number,
			  int64_t motion_id, int64_t now, const char *actor,
			  json_t *effect)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(proposal_id, 0) FROM laws"
				      " WHERE body_id = ? AND number = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, law_number);
	int64_t proposal = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!proposal)
		return 0;
	/* repealing withdraws every standing acceptance of the proposal, so
	 * no earlier version re-enters the register on the next count */
	st = store_stmt(s, "INSERT INTO proposal_answers(proposal_id, version, body_id,"
		" answer, reasons, motion_id, at) SELECT ?1, v.version, ?2, 'repealed',"
		" 'the law was repealed', ?3, ?4 FROM proposal_versions v WHERE"
		" v.proposal_id = ?1 AND (SELECT answer FROM proposal_answers a WHERE"
		" a.proposal_id = ?1 AND a.version = v.version AND a.body_id = ?2"
		" ORDER BY a.id DESC LIMIT 1) = 'accept'");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, body_id);
	sqlite3_bind_int64(st, 3, motion_id);
	sqlite3_bind_int64(st, 4, now);
	int rc = store_code(sqlite3_step(st));
	if (!rc)
		json_object_set_new(effect, "proposal", json_integer(proposal));
	if (!rc)
		rc = settle(s, proposal, now, actor, effect);
	return rc;
}

/* ---- readers ---- */

static json_t *parse(const unsigned char *t)
{
	return t ? json_loads((const char *)t, 0, NULL) : json_null();
}

int gov_proposal_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		     struct px_error *err)
{
	struct store *s = ctx->db;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, b.name, p.created_by, p.created_at"
		" FROM proposals p JOIN bodies b ON b.id = p.body_id WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)id,
			"body", (const char *)sqlite3_column_text(st, 0),
			"body_name", (const char *)sqlite3_column_text(st, 1),
			"adopted_by", (json_int_t)sqlite3_column_int64(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	if (!*out)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no proposal %lld", (long long)id);
	json_t *versions = json_array(), *answers = json_array();
	st = store_stmt(s, "SELECT version, title, text, rationale, condition, adopted_by, at"
			   " FROM proposal_versions WHERE proposal_id = ? ORDER BY version");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(versions, json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:I}",
			"version", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"text", (const char *)sqlite3_column_text(st, 2),
			"rationale", (const char *)sqlite3_column_text(st, 3),
			"condition", parse(sqlite3_column_text(st, 4)),
			"adopted_by", (json_int_t)sqlite3_column_int64(st, 5),
			"at", (json_int_t)sqlite3_column_int64(st, 6)));
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT b.slug, a.version, a.answer, a.counter_text, a.reasons,"
		" a.motion_id, a.at FROM proposal_answers a JOIN bodies b ON b.id = a.body_id"
		" WHERE a.proposal_id = ? ORDER BY a.id");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(answers, json_pack("{s:s, s:I, s:s, s:s?, s:s, s:I, s:I}",
			"body", (const char *)sqlite3_column_text(st, 0),
			"version", (json_int_t)sqlite3_column_int64(st, 1),
			"answer", (const char *)sqlite3_column_text(st, 2),
			"counter_text", (const char *)sqlite3_column_text(st, 3),
			"reasons", (const char *)sqlite3_column_text(st, 4),
			"motion", (json_int_t)sqlite3_column_int64(st, 5),
			"at", (json_int_t)sqlite3_column_int64(st, 6)));
	sqlite3_reset(st);
	json_t *last = json_array_get(versions, json_array_size(versions) - 1);
	json_object_set(*out, "title", json_object_get(last, "title"));
	json_object_set_new(*out, "versions", versions);
	json_object_set_new(*out, "answers", answers);
	return 0;
}

int gov_proposal_status(const struct gov_ctx *ctx, int64_t id, json_t **out,
			struct px_error *err)
{
	struct store *s = ctx->db;
	struct tree t = { 0 };
	struct version_row *v = NULL;
	struct ratify_node *nodes = NULL;
	json_t **jn = NULL;
	size_t nv = 0;
	int64_t origin, latest;
	*out = NULL;
	int rc = proposal_find(s, id, &origin, &latest, err, NULL);
	if (rc)
		return rc;
	if ((rc = tree_build(s, origin, &t)) || (rc = versions_load(s, id, &v, &nv)))
		goto out;
	nodes = calloc(t.len, sizeof(*nodes));
	jn = calloc(t.len, sizeof(*jn));
	if (!nodes || !jn) {
		rc = PX_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.len; i++) {
		jn[i] = json_pack("{s:s, s:s, s:s, s:o, s:o}", "body", t.n[i].slug,
				  "name", t.n[i].name, "kind", t.n[i].local ? "local" : "delegate",
				  "answers", json_object(), "counts", json_array());
		if (t.n[i].local) {
			int64_t number, from;
			int in_force;
			json_object_set_new(jn[i], "population", json_integer(t.n[i].population));
			if (law_of(s, t.n[i].id, id, &number, &in_force, &from))
				json_object_set_new(jn[i], "law", json_pack("{s:I, s:I, s:s}",
					"number", (json_int_t)number,
					"proposal_version", (json_int_t)from,
					"status", in_force ? "in_force" : "repealed"));
		} else {
			json_object_set_new(jn[i], "children", json_array());
		}
	}
	json_t *versions = json_array();
	for (size_t k = 0; k < nv; k++) {
		struct ratify_result r;
		if ((rc = evaluate(s, id, &v[k], &t, nodes, &r))) {
			json_decref(versions);
			goto out;
		}
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)v[k].version);
		for (size_t i = 1; i < t.len; i++) {
			char answer[16];
			int64_t motion;
			latest_answer(s, id, v[k].version, t.n[i].id, answer, &motion);
			if (answer[0])
				json_object_set_new(json_object_get(jn[i], "answers"), key,
						    json_string(answer));
			if (nodes[i].counts)
				json_array_append_new(json_object_get(jn[i], "counts"),
						      json_integer(v[k].version));
		}
		json_array_append_new(versions, json_pack("{s:I, s:s, s:O, s:I, s:I, s:I, s:I, s:b}",
			"version", (json_int_t)v[k].version, "title", v[k].title,
			"condition", v[k].condition,
			"locals", (json_int_t)r.locals,
			"locals_accepted", (json_int_t)r.locals_accepted,
			"population", (json_int_t)r.population,
			"population_accepted", (json_int_t)r.population_accepted,
			"met", r.met));
	}
	/* children were pushed after their parents: attach from the end */
	for (size_t i = t.len; i-- > 1;) {
		json_array_insert_new(json_object_get(jn[t.n[i].parent], "children"), 0, jn[i]);
		jn[i] = NULL;
	}
	*out = json_pack("{s:I, s:s, s:s, s:I, s:o, s:o}", "id", (json_int_t)id,
			 "body", t.n[0].slug, "title", nv ? v[nv - 1].title : "",
			 "latest", (json_int_t)latest, "versions", versions, "tree", jn[0]);
	jn[0] = NULL;
out:
	for (size_t i = 0; jn && i < t.len; i++)
		json_decref(jn[i]);
	free(jn);
	free(nodes);
	free(t.n);
	versions_free(v, nv);
	return rc;
}

int gov_body_proposals(const struct gov_ctx *ctx, const char *slug,
		       json_t **out, struct px_error *err)
{
	struct store *s = ctx->db;
	int64_t id;
	char kind[16];
	*out = NULL;
	int rc = fed_body_by_slug(s, slug, NULL, &id, kind, err);
	if (rc)
		return rc;
	json_t *made = json_array(), *offered = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT p.id, v.title, v.version, p.created_at"
		" FROM proposals p JOIN proposal_versions v ON v.proposal_id = p.id AND"
		" v.version = (SELECT max(version) FROM proposal_versions WHERE proposal_id = p.id)"
		" WHERE p.body_id = ? ORDER BY p.id DESC");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(made, json_pack("{s:I, s:s, s:I, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"version", (json_int_t)sqlite3_column_int64(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT o.proposal_id, v.title, o.version, b.slug, o.at,"
		" (SELECT answer FROM proposal_answers a WHERE a.proposal_id = o.proposal_id"
		" AND a.version = o.version AND a.body_id = o.body_id ORDER BY a.id DESC LIMIT 1)"
		" FROM proposal_offers o JOIN proposal_versions v ON v.proposal_id = o.proposal_id"
		" AND v.version = o.version JOIN bodies b ON b.id = o.offered_by"
		" WHERE o.body_id = ? ORDER BY o.proposal_id DESC, o.version DESC");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(offered, json_pack("{s:I, s:s, s:I, s:s, s:I, s:s?}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"version", (json_int_t)sqlite3_column_int64(st, 2),
			"from", (const char *)sqlite3_column_text(st, 3),
			"at", (json_int_t)sqlite3_column_int64(st, 4),
			"answer", (const char *)sqlite3_column_text(st, 5)));
	sqlite3_reset(st);
	*out = json_pack("{s:s, s:o, s:o}", "body", slug, "originated", made,
			 "offered", offered);
	return 0;
}
