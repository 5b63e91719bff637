/*
 * proposal_status.c: reading proposals: their versions and answers, what
 * each assembly was offered, and the status people see (see
 * proposal.h).
 *
 * The status reads the running counts (proposal_count.h), so its cost
 * does not grow with the federation: the counts of each version are a
 * few rows, and the tree shows at most STATUS_TREE_BUDGET assemblies,
 * breadth first; a caller reads further down with `under`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/ratify.h"
#include "store/store.h"
#include "gov/people/people.h"
#include "gov/federation/fed_tree.h"
#include "gov/federation/federation.h"
#include "gov/federation/proposal_count.h"
#include "gov/nodes/nodes.h"
#include "gov/sharing/sharing.h"
#include "banned.h"

/* The status shows the counts of this many latest versions. */
#define STATUS_MAX_VERSIONS 16
#define STATUS_TREE_BUDGET 400

static json_t *parse(const unsigned char *t)
{
	return t ? json_loads((const char *)t, 0, NULL) : json_null();
}

int gov_proposal_get(const struct gov_ctx *ctx, int64_t id, int64_t version,
		     int64_t limit, json_t **out, struct px_error *err)
{
	struct store *s = ctx->db;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, b.name, p.created_by, p.created_at"
		" FROM proposals p JOIN bodies b ON b.id = p.body_id WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		*out = json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)id,
			"body", (const char *)sqlite3_column_text(st, 0),
			"body_name", (const char *)sqlite3_column_text(st, 1),
			"adopted_by", (json_int_t)sqlite3_column_int64(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3));
		sqlite3_reset(st);
	}
	if (!*out)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no proposal %lld", (long long)id);
	json_t *versions = json_array(), *answers = json_array();
	st = store_stmt(s, "SELECT version, title, text, rationale, condition, adopted_by, at"
			   " FROM proposal_versions WHERE proposal_id = ? ORDER BY version");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(versions, json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:I}",
			"version", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"text", (const char *)sqlite3_column_text(st, 2),
			"rationale", (const char *)sqlite3_column_text(st, 3),
			"condition", parse(sqlite3_column_text(st, 4)),
			"adopted_by", (json_int_t)sqlite3_column_int64(st, 5),
			"at", (json_int_t)sqlite3_column_int64(st, 6)));
	/* the latest limit answers (to version, when given), oldest first */
	st = store_stmt(s, "SELECT slug, version, answer, counter_text, reasons, motion_id, at"
		" FROM (SELECT a.id, b.slug, a.version, a.answer, a.counter_text, a.reasons,"
		" a.motion_id, a.at FROM proposal_answers a JOIN bodies b ON b.id = a.body_id"
		" WHERE a.proposal_id = ?1 AND (?2 = 0 OR a.version = ?2)"
		" ORDER BY a.id DESC LIMIT ?3) ORDER BY id");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
	while (store_next(st, &rc))
		json_array_append_new(answers, json_pack("{s:s, s:I, s:s, s:s?, s:s, s:I, s:I}",
			"body", (const char *)sqlite3_column_text(st, 0),
			"version", (json_int_t)sqlite3_column_int64(st, 1),
			"answer", (const char *)sqlite3_column_text(st, 2),
			"counter_text", (const char *)sqlite3_column_text(st, 3),
			"reasons", (const char *)sqlite3_column_text(st, 4),
			"motion", (json_int_t)sqlite3_column_int64(st, 5),
			"at", (json_int_t)sqlite3_column_int64(st, 6)));
	json_t *last = json_array_get(versions, json_array_size(versions) - 1);
	json_object_set(*out, "title", json_object_get(last, "title"));
	json_object_set_new(*out, "versions", versions);
	if (limit > 0) {
		st = store_stmt(s, "SELECT count(*) FROM proposal_answers WHERE"
				   " proposal_id = ?1 AND (?2 = 0 OR version = ?2)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, version);
		int64_t total = 0;
		if (!rc)
			rc = store_int64(st, &total, NULL);
		json_object_set_new(*out, "answers_total", json_integer(total));
	}
	json_object_set_new(*out, "answers", answers);
	/* a rationing policy for a good, when the proposal carries one */
	json_t *policy = NULL;
	if (!rc)
		rc = sharing_proposal_policy(s, id, &policy);
	if (!rc && policy)
		json_object_set_new(*out, "scarcity", policy);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}


/* ---- the status ---- */

struct vrow {
	int64_t version;
	json_t *condition;
	char title[256];
};

struct snode {
	int64_t id;
	json_t *j;
	unsigned char reached[STATUS_MAX_VERSIONS]; /* per version index */
};

static int is_local(struct store *s, int64_t body, int64_t *population, char slug[72],
		    char name[128], int *local)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.kind = 'local', coalesce(c.population, 0),"
		" b.slug, b.name FROM bodies b LEFT JOIN communities c ON c.id = b.community_id"
		" WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, body);
	*local = 0;
	*population = 0;
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	*local = sqlite3_column_int(st, 0);
	*population = sqlite3_column_int64(st, 1);
	snprintf(slug, 72, "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(name, 128, "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	return 0;
}

static int members_of(struct store *s, int64_t body, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM federation_members"
				      " WHERE federation_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	return store_int64(st, n, NULL);
}

/* One assembly of the tree, as the status shows it. reached[k]: version
 * k reaches it; sets its "counts" for a local assembly. */
static int node_json(struct store *s, int64_t proposal, int64_t body,
		     const struct vrow *v, size_t nv, const unsigned char *reached,
		     json_t **out)
{
	int64_t population, locals, below, members = 0;
	char slug[72] = "", name[128] = "";
	int local = 0;
	int rc = is_local(s, body, &population, slug, name, &local);
	*out = NULL;
	if (rc)
		return rc;
	json_t *answers = json_object(), *counts = json_array();
	json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:o}", "body", slug, "name", name,
			      "kind", local ? "local" : "delegate", "answers", answers,
			      "counts", counts);
	json_t *sums = local ? NULL : json_object();
	for (size_t k = 0; !rc && k < nv; k++) {
		char key[24], answer[16];
		int64_t motion;
		struct proposal_sum sum;
		snprintf(key, sizeof(key), "%lld", (long long)v[k].version);
		if ((rc = proposal_latest_answer(s, proposal, v[k].version, body, answer,
						 &motion)) ||
		    (rc = proposal_count_get(s, proposal, v[k].version, body, &sum)))
			break;
		if (answer[0])
			json_object_set_new(answers, key, json_string(answer));
		if (local && sum.accepted && reached[k])
			json_array_append_new(counts, json_integer(v[k].version));
		if (sums)
			json_object_set_new(sums, key, json_pack("{s:I, s:I}",
				"locals_accepted", (json_int_t)sum.locals,
				"population_accepted", (json_int_t)sum.population));
	}
	if (rc) {
		json_decref(sums);
	} else if (local) {
		int64_t number, from, law = 0;
		int in_force;
		json_object_set_new(j, "population", json_integer(population));
		rc = proposal_law_of(s, body, proposal, &law, &number, &in_force, &from);
		if (!rc && law)
			json_object_set_new(j, "law", json_pack("{s:I, s:I, s:s}",
				"number", (json_int_t)number, "proposal_version", (json_int_t)from,
				"status", in_force ? "in_force" : "repealed"));
	} else {
		/* with the member assemblies on other nodes beneath it, as
		 * the count takes them (gov/nodes) */
		if (!(rc = fed_beneath_size(s, body, &locals, &below)))
			rc = members_of(s, body, &members);
		json_object_set_new(j, "locals", json_integer(locals));
		json_object_set_new(j, "population", json_integer(below));
		json_object_set_new(j, "members", json_integer(members));
		json_object_set_new(j, "sums", sums);
		json_object_set_new(j, "children", json_array());
	}
	if (rc) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return 0;
}

/* Breadth first from top, while the budget lasts: an assembly whose
 * members would pass it is shown with "children_omitted". */
static int tree_json(struct store *s, int64_t proposal, int64_t origin, int64_t top,
		     const struct vrow *v, size_t nv, int walk, size_t budget, json_t **out)
{
	struct snode *q = calloc(budget + 1, sizeof(*q));
	size_t len = 0;
	int rc = 0;
	if (!q)
		return PX_E_NOMEM;
	q[0].id = top;
	for (size_t k = 0; !rc && k < nv; k++) {
		int yes = 0;
		rc = proposal_count_reached(s, proposal, v[k].version, origin, top, &yes);
		q[0].reached[k] = (unsigned char)yes;
	}
	if (!rc)
		rc = node_json(s, proposal, top, v, nv, q[0].reached, &q[0].j);
	len = 1;
	for (size_t i = 0; i < len && !rc; i++) {
		json_t *children = json_object_get(q[i].j, "children");
		if (!children)
			continue;
		int64_t total = json_integer_value(json_object_get(q[i].j, "members")), shown = 0;
		unsigned char passes[STATUS_MAX_VERSIONS];
		for (size_t k = 0; !rc && k < nv; k++) {
			struct proposal_sum sum;
			rc = proposal_count_get(s, proposal, v[k].version, q[i].id, &sum);
			passes[k] = q[i].id == origin || (q[i].reached[k] && sum.accepted);
		}
		if (rc)
			break;
		sqlite3_stmt *st = store_stmt(s, "SELECT member_id FROM federation_members"
			" WHERE federation_id = ? AND status = 'active' ORDER BY member_id");
		sqlite3_bind_int64(st, 1, q[i].id);
		int64_t *kids = NULL;
		size_t nk = 0;
		while (len + nk < budget && store_next(st, &rc)) {
			int64_t *p = px_reallocarray(kids, nk + 1, sizeof(*p));
			if (!p) {
				rc = PX_E_NOMEM;
				break;
			}
			kids = p;
			kids[nk++] = sqlite3_column_int64(st, 0);
		}
		sqlite3_reset(st);
		for (size_t c = 0; c < nk && !rc; c++) {
			struct snode *n = &q[len++];
			n->id = kids[c];
			for (size_t k = 0; !rc && k < nv; k++) {
				int yes = passes[k];
				if (!yes && walk)
					rc = proposal_count_reached(s, proposal, v[k].version,
								    origin, kids[c], &yes);
				n->reached[k] = (unsigned char)yes;
			}
			if (!rc)
				rc = node_json(s, proposal, kids[c], v, nv, n->reached, &n->j);
			if (!rc)
				json_array_append(children, n->j);
			shown++;
		}
		free(kids);
		if (shown < total)
			json_object_set_new(q[i].j, "children_omitted", json_integer(total - shown));
	}
	*out = json_incref(q[0].j);
	for (size_t i = 0; i < len; i++)
		json_decref(q[i].j);
	free(q);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int gov_proposal_status(const struct gov_ctx *ctx, int64_t id, const char *under,
			json_t **out, struct px_error *err)
{
	struct store *s = ctx->db;
	struct vrow v[STATUS_MAX_VERSIONS];
	size_t nv = 0;
	int64_t origin, latest, top;
	int slow = 0;
	char title[256] = "", kind[16];
	*out = NULL;
	int rc = proposal_find(s, id, &origin, &latest, err, NULL);
	if (rc)
		return rc;
	top = origin;
	if (under && !gov_slug_valid(under))
		return px_fail(err, PX_E_NOT_FOUND, "under", "no assembly by that name");
	if (under && (rc = fed_body_by_slug(s, under, "under", &top, kind, err)))
		return rc;
	int below = 1;
	if (top != origin && (rc = fed_tree_below(s, origin, top, &below)))
		return px_fail(err, rc, NULL, NULL);
	if (!below)
		return px_fail(err, PX_E_NOT_FOUND, "under",
			       "'%s' is not beneath the assembly that made the proposal", under);
	/* the newest versions, oldest first */
	sqlite3_stmt *st = store_stmt(s, "SELECT version, condition, title FROM"
		" proposal_versions WHERE proposal_id = ? AND version > ? ORDER BY version");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, latest - STATUS_MAX_VERSIONS);
	while (nv < STATUS_MAX_VERSIONS && store_next(st, &rc)) {
		v[nv].version = sqlite3_column_int64(st, 0);
		v[nv].condition = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
		snprintf(v[nv].title, sizeof(v[nv].title), "%s",
			 (const char *)sqlite3_column_text(st, 2));
		snprintf(title, sizeof(title), "%s", v[nv].title);
		if (v[nv].condition)
			nv++;
	}
	sqlite3_reset(st);
	json_t *versions = json_array(), *tree = NULL;
	for (size_t k = 0; k < nv && !rc; k++) {
		struct ratify_result r;
		int walked;
		if ((rc = proposal_count_eval(s, id, v[k].version, origin, v[k].condition, &r,
					      &walked)))
			break;
		slow |= walked;
		json_t *o = json_pack("{s:I, s:s, s:O, s:I, s:I, s:I, s:I, s:b}",
			"version", (json_int_t)v[k].version, "title", v[k].title,
			"condition", v[k].condition,
			"locals", (json_int_t)r.locals,
			"locals_accepted", (json_int_t)r.locals_accepted,
			"population", (json_int_t)r.population,
			"population_accepted", (json_int_t)r.population_accepted, "met", r.met);
		if (json_object_get(v[k].condition, "assemblies"))
			json_object_set_new(o, "named_accepted", json_integer(r.named_accepted));
		json_array_append_new(versions, o);
	}
	if (!rc)
		rc = tree_json(s, id, origin, top, v, nv, slow, STATUS_TREE_BUDGET, &tree);
	for (size_t k = 0; k < nv; k++)
		json_decref(v[k].condition);
	if (rc) {
		json_decref(versions);
		goto fail;
	}
	*out = json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:o}", "id", (json_int_t)id,
			 "body", json_string_value(json_object_get(tree, "body")), "title", title,
			 "latest", (json_int_t)latest, "counted", slow ? "walk" : "sums",
			 "versions", versions, "tree", tree);
	if (top != origin) {
		char slug[72] = "", name[128];
		int64_t pop;
		int local;
		if ((rc = is_local(s, origin, &pop, slug, name, &local))) {
			json_decref(*out);
			*out = NULL;
			goto fail;
		}
		json_object_set_new(*out, "body", json_string(slug));
		json_object_set_new(*out, "under", json_string(under));
	}
	/* what the member assemblies on other nodes answered, each as its
	 * node reported it (signed) */
	json_t *remote = NULL;
	if ((rc = nodes_proposal_remote(s, id, &remote)) ||
	    json_object_set_new(*out, "remote", remote)) {
		json_decref(*out);
		*out = NULL;
		rc = rc ? rc : PX_E_NOMEM;
		goto fail;
	}
	return 0;
fail:
	return px_fail(err, rc, NULL, NULL);
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
	/* a proposal relayed from a delegate assembly on another node is
	 * numbered here, but made there: it says so (docs/nodes.md) */
	sqlite3_stmt *st = store_stmt(s, "SELECT p.id, v.title, v.version, p.created_at,"
		" p.relay_proposal, r.remote_actor"
		" FROM proposals p JOIN proposal_versions v ON v.proposal_id = p.id AND"
		" v.version = (SELECT max(version) FROM proposal_versions WHERE proposal_id = p.id)"
		" LEFT JOIN node_relations r ON r.id = p.relay_of"
		" WHERE p.body_id = ? ORDER BY p.id DESC");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		const char *purl = (const char *)sqlite3_column_text(st, 4);
		const char *from = (const char *)sqlite3_column_text(st, 5);
		json_array_append_new(made, json_pack("{s:I, s:s, s:I, s:I, s:o}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"version", (json_int_t)sqlite3_column_int64(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3),
			"relayed", purl ? json_pack("{s:s, s:s}", "proposal", purl, "from",
						    from ? from : "") : json_null()));
	}
	st = store_stmt(s, "SELECT o.proposal_id, v.title, o.version, b.slug, o.at,"
		" (SELECT answer FROM proposal_answers a WHERE a.proposal_id = o.proposal_id"
		" AND a.version = o.version AND a.body_id = o.body_id ORDER BY a.id DESC LIMIT 1)"
		" FROM proposal_offers o JOIN proposal_versions v ON v.proposal_id = o.proposal_id"
		" AND v.version = o.version JOIN bodies b ON b.id = o.offered_by"
		" WHERE o.body_id = ? ORDER BY o.proposal_id DESC, o.version DESC");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(offered, json_pack("{s:I, s:s, s:I, s:s, s:I, s:s?}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"version", (json_int_t)sqlite3_column_int64(st, 2),
			"from", (const char *)sqlite3_column_text(st, 3),
			"at", (json_int_t)sqlite3_column_int64(st, 4),
			"answer", (const char *)sqlite3_column_text(st, 5)));
	if (rc) {
		json_decref(made);
		json_decref(offered);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = json_pack("{s:s, s:o, s:o}", "body", slug, "originated", made,
			 "offered", offered);
	return 0;
}

