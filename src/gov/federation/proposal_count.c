/*
 * proposal_count.c: keeping proposal_sums in step with answers and
 * memberships (see proposal_count.h).
 *
 * A change of an assembly's contribution (dl local assemblies, dp
 * people) is added to each of its active federations and, through those
 * that accepted the version, on upward: the walk follows the graph of
 * memberships, which has no cycles, so it ends, after at most as many
 * steps as there are paths above the assembly.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "store/store.h"
#include "gov/federation/fed_tree.h"
#include "gov/federation/federation.h"
#include "gov/federation/proposal_count.h"
#include "gov/nodes/nodes.h"
#include "banned.h"

/* Federations are never nested deeper than this (fed_depth_check). */
#define COUNT_MAX_DEPTH FED_MAX_DEPTH

int proposal_count_get(struct store *s, int64_t proposal, int64_t version,
		       int64_t body, struct proposal_sum *out)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT accepted, locals, population FROM"
		" proposal_sums WHERE proposal_id = ? AND version = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	*out = (struct proposal_sum){ 0 };
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	out->accepted = sqlite3_column_int(st, 0);
	out->locals = sqlite3_column_int64(st, 1);
	out->population = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}

/* Add (dl, dp) to body's sums; *accepted receives its acceptance. */
static int add_sum(struct store *s, int64_t proposal, int64_t version, int64_t body,
		   int64_t dl, int64_t dp, int *accepted)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO proposal_sums(proposal_id, version,"
		" body_id, locals, population) VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT (proposal_id, version, body_id) DO UPDATE SET"
		" locals = locals + ?4, population = population + ?5 RETURNING accepted");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	sqlite3_bind_int64(st, 4, dl);
	sqlite3_bind_int64(st, 5, dp);
	int64_t yes = 0;
	int row = 0, rc = store_int64(st, &yes, &row);
	*accepted = yes != 0;
	if (!rc && !row)
		rc = PX_E_DB; /* an upsert with RETURNING always returns its row */
	return rc;
}

struct ids {
	int64_t *v;
	size_t n, cap;
};

static int ids_push(struct ids *a, int64_t id)
{
	int64_t *p = px_grow(a->v, &a->cap, a->n, sizeof(*p));
	if (!p)
		return PX_E_NOMEM;
	a->v = p;
	a->v[a->n++] = id;
	return 0;
}

/* The federations body is an active member of. */
static int parents_of(struct store *s, int64_t body, struct ids *out)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT federation_id FROM federation_members"
				      " WHERE member_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	while (store_next(st, &rc))
		rc = ids_push(out, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return rc;
}

/* body's contribution changed by (dl, dp): carry it up. */
static int carry_up(struct store *s, int64_t proposal, int64_t version, int64_t body,
		    int64_t dl, int64_t dp, int depth)
{
	struct ids up = { 0 };
	int rc = depth > COUNT_MAX_DEPTH ? PX_E_INTERNAL : parents_of(s, body, &up);
	for (size_t i = 0; !rc && i < up.n; i++) {
		int accepted;
		rc = add_sum(s, proposal, version, up.v[i], dl, dp, &accepted);
		if (!rc && accepted)
			rc = carry_up(s, proposal, version, up.v[i], dl, dp, depth + 1);
	}
	free(up.v);
	return rc;
}

/* What body passes up while it accepts: itself, or the sums beneath it. */
static int contribution(struct store *s, int64_t body, const struct proposal_sum *row,
			int64_t *dl, int64_t *dp)
{
	int local;
	int64_t population;
	int rc = fed_tree_body(s, body, &local, &population);
	*dl = local ? 1 : row->locals;
	*dp = local ? population : row->population;
	return rc;
}

int proposal_count_answer(struct store *s, int64_t proposal, int64_t version,
			  int64_t body, int accepted, int *changed)
{
	struct proposal_sum row;
	int rc = proposal_count_get(s, proposal, version, body, &row);
	if (rc)
		return rc;
	accepted = accepted != 0;
	if (changed)
		*changed = row.accepted != accepted;
	if (row.accepted == accepted)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO proposal_sums(proposal_id, version,"
		" body_id, accepted) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (proposal_id,"
		" version, body_id) DO UPDATE SET accepted = ?4");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	sqlite3_bind_int(st, 4, accepted);
	int64_t dl = 0, dp = 0;
	if (!(rc = store_run(st)))
		rc = contribution(s, body, &row, &dl, &dp);
	if (!rc && (dl || dp))
		rc = carry_up(s, proposal, version, body, accepted ? dl : -dl,
			      accepted ? dp : -dp, 0);
	return rc;
}

int proposal_count_remote(struct store *s, int64_t proposal, int64_t version,
			  int64_t body, int64_t dl, int64_t dp)
{
	int accepted = 0;
	int rc = add_sum(s, proposal, version, body, dl, dp, &accepted);
	if (!rc && accepted)
		rc = carry_up(s, proposal, version, body, dl, dp, 0);
	return rc;
}

int proposal_count_link(struct store *s, int64_t federation, int64_t member, int delta)
{
	struct row {
		int64_t proposal, version;
		struct proposal_sum sum;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT proposal_id, version, accepted, locals,"
		" population FROM proposal_sums WHERE body_id = ? AND accepted = 1");
	sqlite3_bind_int64(st, 1, member);
	while (store_next(st, &rc)) {
		struct row *p = px_grow(rows, &cap, n, sizeof(*p));
		if (!p) {
			rc = PX_E_NOMEM;
			break;
		}
		rows = p;
		rows[n++] = (struct row){ sqlite3_column_int64(st, 0),
			sqlite3_column_int64(st, 1), { 1, sqlite3_column_int64(st, 3),
			sqlite3_column_int64(st, 4) } };
	}
	sqlite3_reset(st);
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t dl, dp;
		int accepted;
		if ((rc = contribution(s, member, &rows[i].sum, &dl, &dp)))
			break;
		if (!dl && !dp)
			continue;
		rc = add_sum(s, rows[i].proposal, rows[i].version, federation, delta * dl,
			     delta * dp, &accepted);
		if (!rc && accepted)
			rc = carry_up(s, rows[i].proposal, rows[i].version, federation,
				      delta * dl, delta * dp, 0);
	}
	free(rows);
	return rc;
}

/* ---- reading the count ---- */

static int accepted_by(struct store *s, int64_t proposal, int64_t version, int64_t body,
		       int *yes)
{
	struct proposal_sum row;
	int rc = proposal_count_get(s, proposal, version, body, &row);
	*yes = row.accepted;
	return rc;
}

static int reached(struct store *s, int64_t proposal, int64_t version, int64_t origin,
		   int64_t body, int depth, int *yes)
{
	*yes = body == origin;
	if (*yes)
		return 0;
	struct ids up = { 0 };
	int rc = 0;
	if (depth <= COUNT_MAX_DEPTH)
		rc = parents_of(s, body, &up);
	for (size_t i = 0; !rc && !*yes && i < up.n; i++) {
		int below = 0, accepted = 0;
		*yes = up.v[i] == origin;
		if (*yes)
			break;
		if ((rc = fed_tree_below(s, origin, up.v[i], &below)) || !below ||
		    (rc = accepted_by(s, proposal, version, up.v[i], &accepted)) || !accepted)
			continue;
		rc = reached(s, proposal, version, origin, up.v[i], depth + 1, yes);
	}
	free(up.v);
	if (rc)
		*yes = 0;
	return rc;
}

int proposal_count_reached(struct store *s, int64_t proposal, int64_t version,
			   int64_t origin, int64_t body, int *yes)
{
	return reached(s, proposal, version, origin, body, 0, yes);
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* the accepting members of body: locals into out, delegates walked */
static int collect(struct store *s, int64_t proposal, int64_t version, int64_t body,
		   struct ids *out, int depth)
{
	struct ids delegates = { 0 };
	int rc = depth > COUNT_MAX_DEPTH ? PX_E_INTERNAL : 0;
	/* CROSS JOIN: from the members to their rows, never the other way
	 * (a scan of every row of the version per delegate assembly) */
	sqlite3_stmt *st = store_stmt(s, "SELECT f.member_id, b.kind = 'local'"
		" FROM federation_members f CROSS JOIN proposal_sums p ON p.proposal_id = ?1"
		" AND p.version = ?2 AND p.body_id = f.member_id AND p.accepted = 1"
		" JOIN bodies b ON b.id = f.member_id"
		" WHERE f.federation_id = ?3 AND f.status = 'active'");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	while (store_next(st, &rc))
		rc = ids_push(sqlite3_column_int(st, 1) ? out : &delegates,
			      sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	for (size_t i = 0; !rc && i < delegates.n; i++)
		rc = collect(s, proposal, version, delegates.v[i], out, depth + 1);
	free(delegates.v);
	return rc;
}

int proposal_count_locals(struct store *s, int64_t proposal, int64_t version,
			  int64_t origin, int64_t from, int64_t **ids, size_t *n)
{
	struct ids out = { 0 };
	int rc = 0;
	*ids = NULL;
	*n = 0;
	if (from != origin) {
		int yes = 0, delegate = 0;
		if ((rc = reached(s, proposal, version, origin, from, 0, &yes)) || !yes ||
		    (rc = accepted_by(s, proposal, version, from, &yes)) || !yes ||
		    (rc = fed_is_delegate(s, from, &delegate)))
			return rc;
		if (!delegate) {
			if (!(*ids = malloc(sizeof(**ids))))
				return PX_E_NOMEM;
			**ids = from;
			*n = 1;
			return 0;
		}
	}
	rc = collect(s, proposal, version, from, &out, 0);
	if (rc) {
		free(out.v);
		return rc;
	}
	if (!out.n)
		return 0;
	qsort(out.v, out.n, sizeof(*out.v), cmp_id);
	size_t w = 0;
	for (size_t i = 0; i < out.n; i++)
		if (!w || out.v[w - 1] != out.v[i])
			out.v[w++] = out.v[i];
	*ids = out.v;
	*n = w;
	return 0;
}

/* ---- the walk, for a federation that is not a tree ---- */

struct tnode {
	int64_t id, population;
	int32_t parent;
	int local;
};

struct tree {
	struct tnode *n;
	size_t len, cap;
};

static int tree_push(struct tree *t, int64_t id, int32_t parent)
{
	struct tnode *p = px_grow(t->n, &t->cap, t->len, sizeof(*p));
	if (!p)
		return PX_E_NOMEM;
	t->n = p;
	t->n[t->len++] = (struct tnode){ .id = id, .parent = parent };
	return 0;
}

/* Breadth first from origin along active memberships, so every parent
 * comes before its children (an assembly reached twice appears twice). */
static int tree_build(struct store *s, int64_t origin, struct tree *t)
{
	int rc = tree_push(t, origin, -1);
	for (size_t i = 0; !rc && i < t->len; i++) {
		sqlite3_stmt *st = store_stmt(s, "SELECT b.kind = 'local',"
			" coalesce(c.population, 0) FROM bodies b LEFT JOIN communities c"
			" ON c.id = b.community_id WHERE b.id = ?");
		sqlite3_bind_int64(st, 1, t->n[i].id);
		int row = 0;
		if ((rc = store_step(st, &row)))
			break;
		if (row) {
			t->n[i].local = sqlite3_column_int(st, 0);
			t->n[i].population = sqlite3_column_int64(st, 1);
			sqlite3_reset(st);
		}
		if (t->n[i].local)
			continue;
		st = store_stmt(s, "SELECT member_id FROM federation_members WHERE"
			" federation_id = ? AND status = 'active' ORDER BY member_id");
		sqlite3_bind_int64(st, 1, t->n[i].id);
		while (store_next(st, &rc))
			rc = tree_push(t, sqlite3_column_int64(st, 0), (int32_t)i);
		sqlite3_reset(st);
	}
	return rc;
}

static int latest_accepts(struct store *s, int64_t proposal, int64_t version, int64_t body,
			  unsigned char *yes)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT answer = 'accept' FROM proposal_answers"
		" WHERE proposal_id = ? AND version = ? AND body_id = ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	int rc = store_int64(st, &v, NULL);
	*yes = v != 0;
	return rc;
}

static int walk_eval(struct store *s, int64_t proposal, int64_t version, int64_t origin,
		     const struct ratify_condition *c, struct ratify_result *r)
{
	struct tree t = { 0 };
	struct ratify_node *nodes = NULL;
	int rc = tree_build(s, origin, &t);
	if (!rc && !(nodes = calloc(t.len, sizeof(*nodes))))
		rc = PX_E_NOMEM;
	for (size_t i = 0; !rc && i < t.len; i++) {
		nodes[i] = (struct ratify_node){ .id = t.n[i].id, .parent = t.n[i].parent,
			.local = (unsigned char)t.n[i].local,
			.population = t.n[i].population };
		if (i)
			rc = latest_accepts(s, proposal, version, t.n[i].id, &nodes[i].accepted);
	}
	if (!rc && ratify_evaluate(nodes, t.len, c, r))
		rc = PX_E_INTERNAL;
	free(nodes);
	free(t.n);
	return rc;
}

/* The condition as ratify takes it; *named is malloc'd (may be NULL). */
static int condition_of(struct store *s, const json_t *condition,
			struct ratify_condition *c, int64_t **named)
{
	memset(c, 0, sizeof(*c));
	*named = NULL;
	c->kind = (enum ratify_kind)ratify_kind_parse(
		json_string_value(json_object_get(condition, "kind")));
	c->n = json_integer_value(json_object_get(condition, "n"));
	c->percent = json_integer_value(json_object_get(condition, "percent"));
	const json_t *set = json_object_get(condition, "assemblies");
	if (!set)
		return 0;
	size_t i;
	json_t *slug;
	if (!(*named = calloc(json_array_size(set) + 1, sizeof(**named))))
		return PX_E_NOMEM;
	json_array_foreach(set, i, slug) {
		char k[16];
		int rc = fed_body_by_slug(s, json_string_value(slug), NULL, &(*named)[i], k, NULL);
		if (rc && rc != PX_E_NOT_FOUND)
			return rc; /* the caller frees *named */
		if (rc)
			(*named)[i] = -1; /* a body that no longer exists never accepts */
	}
	c->named = *named;
	c->n_named = json_array_size(set);
	return 0;
}

int proposal_count_walk(struct store *s, int64_t proposal, int64_t version,
			int64_t origin, const json_t *condition,
			struct ratify_result *r)
{
	struct ratify_condition c;
	int64_t *named;
	memset(r, 0, sizeof(*r));
	int rc = condition_of(s, condition, &c, &named);
	if (!rc)
		rc = walk_eval(s, proposal, version, origin, &c, r);
	free(named);
	return rc;
}

int fed_beneath_size(struct store *s, int64_t body, int64_t *locals, int64_t *population)
{
	int64_t shared = 0, rl = 0, rp = 0;
	int rc = fed_tree_size(s, body, locals, population, &shared);
	if (!rc && !(rc = nodes_remote_size(s, body, &rl, &rp))) {
		*locals += rl;
		*population += rp;
	}
	return rc;
}

int proposal_count_eval(struct store *s, int64_t proposal, int64_t version,
			int64_t origin, const json_t *condition,
			struct ratify_result *r, int *slow)
{
	struct ratify_condition c;
	int64_t *named, shared;
	memset(r, 0, sizeof(*r));
	int rc = condition_of(s, condition, &c, &named);
	if (rc)
		goto out;
	if ((rc = fed_tree_size(s, origin, &r->locals, &r->population, &shared)))
		goto out;
	if (slow)
		*slow = shared > 0;
	if (shared > 0) {
		rc = walk_eval(s, proposal, version, origin, &c, r);
	} else {
		struct proposal_sum top;
		if ((rc = proposal_count_get(s, proposal, version, origin, &top)))
			goto out;
		r->locals_accepted = top.locals;
		r->population_accepted = top.population;
		for (size_t i = 0; !rc && i < c.n_named; i++) {
			int accepted = 0, below = 0, yes = 0;
			if (named[i] <= 0 || named[i] == origin)
				continue;
			if ((rc = accepted_by(s, proposal, version, named[i], &accepted)) ||
			    !accepted ||
			    (rc = fed_tree_below(s, origin, named[i], &below)) || !below ||
			    (rc = reached(s, proposal, version, origin, named[i], 0, &yes)))
				continue;
			r->named_accepted += yes;
		}
		/* the member assemblies on other nodes beneath origin, as each
		 * last reported itself (a local assembly; a delegate assembly's
		 * totals beneath it) */
		int64_t rl = 0, rp = 0;
		if ((rc = nodes_remote_size(s, origin, &rl, &rp)))
			goto out;
		r->locals += rl;
		r->population += rp;
		/* a share never passes the whole: reports that disagree (one
		 * without totals, and totals older than an acceptance) count
		 * the whole as at least what accepted */
		if (r->locals < r->locals_accepted)
			r->locals = r->locals_accepted;
		if (r->population < r->population_accepted)
			r->population = r->population_accepted;
		r->met = ratify_met(&c, r);
	}
out:
	free(named);
	return rc;
}
