/*
 * proposals.c: proposals and answers between nodes (nodes.h, docs/nodes.md,
 * "Proposals across nodes").
 *
 * A delegate assembly here with member assemblies on other nodes offers
 * them each version of a proposal it offers its members (an Offer,
 * signed, carrying the text and the condition); each member answers by
 * its own decision (answer_remote_proposal), and the answer comes back
 * signed (Accept, or Reject carrying "reject" or an amendment's
 * counter-text). Here the answer only moves the counts: a member on
 * another node counts as one local assembly of the population it
 * reported (a delegate assembly there, as the local assemblies beneath
 * it that accepted, in a whole of the totals it reported: relay.c).
 * When the version's condition is met, each member that
 * accepted is told (Announce); there, and only there, the law enters its
 * register, by its own accepting decision, which the law's version names.
 *
 * Invariants: no activity writes a register by itself. An Offer is only
 * recorded; an answer only counts; an Announce enters a law only into
 * the register of the assembly whose inbox took it, only for the version
 * that assembly was offered by that very delegate assembly, and only
 * when its own latest answer to that version is an acceptance.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "gov/assembly/assembly.h"
#include "gov/federation/federation.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "store/journal.h"
#include "store/store.h"
#include "banned.h"

#define MAX_POPULATION 10000000000LL

static const char *col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static json_t *col_int_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null()
		: json_integer(sqlite3_column_int64(st, i));
}

/* The population of a local assembly's community (0 for another body). */
static int body_population(struct store *s, int64_t body, int64_t *pop)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(c.population, 0) FROM bodies b"
				      " LEFT JOIN communities c ON c.id = b.community_id"
				      " WHERE b.id = ? AND b.kind = 'local'");
	if (st)
		sqlite3_bind_int64(st, 1, body);
	return store_int64(st, pop, NULL);
}

/* ---- the delegate assembly's side ---- */

struct rel {
	int64_t id;
	char *actor;
};

static void rels_free(struct rel *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].actor);
	free(r);
}

struct version_text {
	char *title, *text, *rationale, *condition, *from_slug, *origin_slug;
	int64_t adopted_by;
};

static void version_release(struct version_text *v)
{
	free(v->title);
	free(v->text);
	free(v->rationale);
	free(v->condition);
	free(v->from_slug);
	free(v->origin_slug);
}

static int version_load(struct store *s, int64_t proposal, int64_t version, int64_t from,
			struct version_text *v)
{
	memset(v, 0, sizeof *v);
	sqlite3_stmt *st = store_stmt(s, "SELECT v.title, v.text, v.rationale, v.condition,"
		" v.adopted_by, o.slug, (SELECT slug FROM bodies WHERE id = ?3)"
		" FROM proposal_versions v JOIN proposals p ON p.id = v.proposal_id"
		" JOIN bodies o ON o.id = p.body_id WHERE v.proposal_id = ?1 AND v.version = ?2");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, from);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	v->title = strdup(col(st, 0));
	v->text = strdup(col(st, 1));
	v->rationale = strdup(col(st, 2));
	v->condition = strdup(col(st, 3));
	v->adopted_by = sqlite3_column_int64(st, 4);
	v->origin_slug = strdup(col(st, 5));
	v->from_slug = strdup(col(st, 6));
	sqlite3_reset(st);
	if (!v->title || !v->text || !v->rationale || !v->condition || !v->origin_slug ||
	    !v->from_slug) {
		version_release(v);
		return PX_E_NOMEM;
	}
	return 0;
}

int nodes_offer_remote(struct store *s, int64_t proposal, int64_t version, int64_t from,
		       int64_t rel_only, int64_t now)
{
	struct rel *rels = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, remote_actor FROM node_relations WHERE"
				      " body_id = ?1 AND side = 'host' AND status = 'active'"
				      " AND (?2 = 0 OR id = ?2) ORDER BY id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, rel_only);
	while (store_next(st, &rc)) {
		struct rel *p = px_grow(rels, &cap, n, sizeof *p);
		if (!p) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		rels = p;
		rels[n].id = sqlite3_column_int64(st, 0);
		if (!(rels[n++].actor = strdup(col(st, 1)))) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc || !n) {
		rels_free(rels, n);
		return rc;
	}
	struct version_text v;
	if ((rc = version_load(s, proposal, version, from, &v))) {
		rels_free(rels, n);
		return rc;
	}
	char base[NODES_URL_SIZE];
	if ((rc = nodes_self_base(s, base)))
		goto out;
	for (size_t i = 0; !rc && i < n; i++) {
		char name[80];
		int64_t made = 0;
		int fresh = 0;
		snprintf(name, sizeof name, "offer-%" PRId64 "-%" PRId64 "-%" PRId64, proposal,
			 version, rels[i].id);
		st = store_stmt(s, "INSERT INTO node_offers(relation_id, side, activity_id,"
				" proposal_id, version, title, text, rationale, condition, at)"
				" VALUES (?, 'sent', ?, ?, ?, ?, ?, ?, ?, ?)"
				" ON CONFLICT(activity_id) DO NOTHING RETURNING id");
		if (!st) {
			rc = PX_E_INTERNAL;
			break;
		}
		sqlite3_bind_int64(st, 1, rels[i].id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, proposal);
		sqlite3_bind_int64(st, 4, version);
		sqlite3_bind_text(st, 5, v.title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, v.text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, v.rationale, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, v.condition, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 9, now);
		if ((rc = store_int64(st, &made, &fresh)) || !fresh || store_replaying(s))
			continue; /* offered before; or replayed: it was sent then */
		char purl[NODES_URL_SIZE + 64], orig[NODES_URL_SIZE + 80];
		snprintf(purl, sizeof purl, "%s/api/v1/proposals/%" PRId64, base, proposal);
		snprintf(orig, sizeof orig, "%s/bodies/%s", base, v.origin_slug);
		json_t *cond = json_loads(v.condition, 0, NULL);
		json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:s}",
				      "type", "pnyx:ProposalVersion", "proposal", purl,
				      "version", (json_int_t)version, "name", v.title,
				      "content", v.text, "pnyx:rationale", v.rationale,
				      "pnyx:condition", cond ? cond : json_object(),
				      "attributedTo", orig);
		if (!o) {
			rc = PX_E_NOMEM;
			break;
		}
		rc = nodes_enqueue(s, "Offer", v.from_slug, rels[i].actor, o, name, v.adopted_by,
				   v.title, now);
	}
out:
	version_release(&v);
	rels_free(rels, n);
	return rc;
}

int nodes_offer_existing(struct store *s, int64_t body, int64_t rel, int64_t now)
{
	/* what body offers its members now: the latest version of each of its
	 * own proposals, and every version it accepted from above (as
	 * proposal_offer_to_new_member does for a member on this node) */
	struct pv {
		int64_t proposal, version;
	} *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT p.id, (SELECT max(version) FROM"
		" proposal_versions x WHERE x.proposal_id = p.id) FROM proposals p"
		" WHERE p.body_id = ?1"
		" UNION SELECT a.proposal_id, a.version FROM proposal_answers a"
		" WHERE a.body_id = ?1 AND a.answer = 'accept' AND a.id = (SELECT max(b.id)"
		" FROM proposal_answers b WHERE b.proposal_id = a.proposal_id AND"
		" b.version = a.version AND b.body_id = ?1) ORDER BY 1, 2");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, body);
	while (store_next(st, &rc)) {
		struct pv *p = px_grow(v, &cap, n, sizeof *p);
		if (!p) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		v = p;
		v[n].proposal = sqlite3_column_int64(st, 0);
		v[n++].version = sqlite3_column_int64(st, 1);
	}
	for (size_t i = 0; !rc && i < n; i++)
		rc = nodes_offer_remote(s, v[i].proposal, v[i].version, body, rel, now);
	free(v);
	return rc;
}

int nodes_proposal_met(struct store *s, int64_t proposal, int64_t version, int64_t now)
{
	struct told {
		int64_t id, motion;
		char *activity, *actor, *slug, *title;
	} *t = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT o.id, o.activity_id, r.remote_actor, b.slug,"
		" v.adopted_by, v.title FROM node_offers o"
		" JOIN node_relations r ON r.id = o.relation_id JOIN bodies b ON b.id = r.body_id"
		" JOIN proposal_versions v ON v.proposal_id = o.proposal_id AND v.version = o.version"
		" WHERE o.side = 'sent' AND o.proposal_id = ? AND o.version = ? AND"
		" o.met_at IS NULL AND r.status = 'active' AND r.suspended_by IS NULL AND"
		" (SELECT a.answer FROM node_answers a"
		" WHERE a.offer_id = o.id ORDER BY a.id DESC LIMIT 1) = 'accept' ORDER BY o.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	while (store_next(st, &rc)) {
		struct told *p = px_grow(t, &cap, n, sizeof *p);
		if (!p) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		t = p;
		struct told *x = &t[n++];
		x->id = sqlite3_column_int64(st, 0);
		x->activity = strdup(col(st, 1));
		x->actor = strdup(col(st, 2));
		x->slug = strdup(col(st, 3));
		x->motion = sqlite3_column_int64(st, 4);
		x->title = strdup(col(st, 5));
		if (!x->activity || !x->actor || !x->slug || !x->title) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	char base[NODES_URL_SIZE] = "";
	if (!rc && n)
		rc = nodes_self_base(s, base);
	for (size_t i = 0; !rc && i < n; i++) {
		st = store_stmt(s, "UPDATE node_offers SET met_at = ? WHERE id = ?");
		if (st) {
			sqlite3_bind_int64(st, 1, now);
			sqlite3_bind_int64(st, 2, t[i].id);
		}
		if ((rc = store_run(st)) || store_replaying(s))
			continue;
		char name[120], object[NODES_URL_SIZE + 120], purl[NODES_URL_SIZE + 64];
		snprintf(name, sizeof name, "met-%s", t[i].activity);
		snprintf(object, sizeof object, "%s/activities/%s", base, t[i].activity);
		snprintf(purl, sizeof purl, "%s/api/v1/proposals/%" PRId64, base, proposal);
		json_t *extra = json_pack("{s:{s:s, s:I}}", "pnyx:conditionMet", "proposal", purl,
					  "version", (json_int_t)version);
		rc = extra ? nodes_enqueue_with(s, "Announce", t[i].slug, t[i].actor,
						json_string(object), name, t[i].motion,
						t[i].title, extra, now)
			   : PX_E_NOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		free(t[i].activity);
		free(t[i].actor);
		free(t[i].slug);
		free(t[i].title);
	}
	free(t);
	return rc;
}

int nodes_remote_size(struct store *s, int64_t origin, int64_t *locals, int64_t *population)
{
	/* from the few relations with other nodes to the closure, by its key:
	 * never the other way (a federation may have 200,000 assemblies
	 * beneath its top; bench/federation). A report without totals counts
	 * as the assemblies it says accepted, so that its share never passes
	 * the whole (docs/nodes.md, "Shares across two levels"). */
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(sum(CASE"
		" WHEN a.total_locals IS NOT NULL THEN a.total_locals"
		" WHEN a.locals IS NOT NULL THEN max(a.locals, 1) ELSE 1 END), 0),"
		" coalesce(sum(coalesce(a.total_population, a.population, 0)), 0)"
		" FROM node_relations r LEFT JOIN node_answers a ON a.id = (SELECT max(x.id)"
		" FROM node_answers x JOIN node_offers o ON o.id = x.offer_id WHERE"
		" o.relation_id = r.id AND o.side = 'sent')"
		" WHERE r.side = 'host' AND r.status = 'active' AND"
		" r.suspended_by IS NULL AND (r.body_id = ?1 OR EXISTS (SELECT 1 FROM fed_below f WHERE"
		" f.ancestor_id = ?1 AND f.body_id = r.body_id))");
	*locals = *population = 0;
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, origin);
	int row = 0, rc = store_step(st, &row);
	if (!rc && row) {
		*locals = sqlite3_column_int64(st, 0);
		*population = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return rc;
}

int nodes_proposal_remote(struct store *s, int64_t proposal, json_t **out)
{
	json_t *list = json_array();
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT r.remote_actor, b.slug, o.version, a.answer,"
		" a.counter_text, a.reasons, a.population, a.decision, a.activity_id, a.at,"
		" o.met_at, (SELECT n.name FROM node_actor_names n WHERE n.actor ="
		" r.remote_actor), a.locals, a.beneath, a.total_locals, a.total_population"
		" FROM node_offers o"
		" JOIN node_relations r ON r.id = o.relation_id"
		" JOIN bodies b ON b.id = r.body_id LEFT JOIN node_answers a ON a.id ="
		" (SELECT max(x.id) FROM node_answers x WHERE x.offer_id = o.id)"
		" WHERE o.side = 'sent' AND o.proposal_id = ? ORDER BY o.version, r.id");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, proposal);
	int rc = 0;
	while (store_next(st, &rc)) {
		char origin[NODES_ORIGIN_SIZE] = "";
		if (nodes_origin(col(st, 0), origin))
			origin[0] = '\0';
		int answered = sqlite3_column_type(st, 3) != SQLITE_NULL;
		json_t *o = json_pack("{s:s, s:s?, s:s, s:s, s:I, s:s?, s:s?, s:s?, s:o, s:s?,"
				      " s:s?, s:o, s:o}",
			"assembly", col(st, 0),
			"assembly_name", (const char *)sqlite3_column_text(st, 11),
			"node", origin, "body", col(st, 1),
			"version", (json_int_t)sqlite3_column_int64(st, 2),
			"answer", answered ? col(st, 3) : NULL,
			"counter_text", (const char *)sqlite3_column_text(st, 4),
			"reasons", answered ? col(st, 5) : NULL,
			"population", col_int_or_null(st, 6),
			"decision", (const char *)sqlite3_column_text(st, 7),
			"activity", (const char *)sqlite3_column_text(st, 8),
			"at", col_int_or_null(st, 9),
			"told_met", col_int_or_null(st, 10));
		/* a delegate assembly's answer: how many beneath it accepted, how
		 * many there are in all (null: a report without them), and each
		 * answer beneath with the node that reported it */
		if (o && sqlite3_column_type(st, 12) != SQLITE_NULL) {
			json_t *under = json_loads(col(st, 13), 0, NULL);
			if (json_object_set_new(o, "locals", json_integer(
				    sqlite3_column_int64(st, 12))) ||
			    json_object_set_new(o, "beneath", under ? under : json_array()) ||
			    json_object_set_new(o, "totals", sqlite3_column_type(st, 14) ==
				    SQLITE_NULL ? json_null() : json_pack("{s:I, s:I}",
				    "locals", (json_int_t)sqlite3_column_int64(st, 14),
				    "population", (json_int_t)sqlite3_column_int64(st, 15)))) {
				json_decref(o);
				o = NULL;
			}
		}
		if (!o || json_array_append_new(list, o)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* ---- the inbox ---- */

/* The active membership of the assembly whose inbox it is in the
 * delegate assembly at actor: *rel (0 when none). */
static int member_relation(struct store *s, const char *slug, const char *actor, int64_t *rel)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT r.id FROM node_relations r JOIN bodies b ON"
				      " b.id = r.body_id WHERE b.slug = ? AND r.remote_actor = ?"
				      " AND r.side = 'member' AND r.status = 'active'");
	if (st) {
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
	}
	return store_int64(st, rel, NULL);
}

static int text_ok(const json_t *v, size_t lo, size_t hi)
{
	size_t n = json_string_length(v);
	return json_is_string(v) && n >= lo && n <= hi;
}

int nodes_offer_check(struct store *s, const struct nodes_msg *m, json_t *eff)
{
	int64_t rel = 0;
	int rc = member_relation(s, m->slug, m->actor, &rel);
	if (rc)
		return rc;
	if (!rel)
		return px_fail(m->err, PX_E_CONFLICT, "actor", "'%s' belongs to no delegate"
			       " assembly %s by its decision", m->slug, m->actor);
	const json_t *o = json_object_get(m->act, "object");
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *purl = json_string_value(json_object_get(o, "proposal"));
	const json_t *version = json_object_get(o, "version");
	char origin[NODES_ORIGIN_SIZE];
	if (!type || strcmp(type, "pnyx:ProposalVersion") ||
	    !json_is_integer(version) || json_integer_value(version) < 1 ||
	    json_integer_value(version) > INT32_MAX ||
	    !text_ok(json_object_get(o, "name"), 1, 300) ||
	    !text_ok(json_object_get(o, "content"), 1, 100000) ||
	    (json_object_get(o, "pnyx:rationale") &&
	     !text_ok(json_object_get(o, "pnyx:rationale"), 0, 20000)) ||
	    !json_is_object(json_object_get(o, "pnyx:condition")))
		return px_fail(m->err, PX_E_BAD_INPUT, "object", "an offer is a"
			       " pnyx:ProposalVersion with its proposal, version, name, content"
			       " and condition");
	if (!purl || nodes_origin(purl, origin) || strcmp(origin, m->origin))
		return px_fail(m->err, PX_E_FOREIGN_EFFECT, "object", "an offer names a proposal"
			       " of the sending node");
	int seen = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node_offers WHERE relation_id = ? AND"
				      " side = 'received' AND proposal = ? AND version = ?");
	if (st) {
		sqlite3_bind_int64(st, 1, rel);
		sqlite3_bind_text(st, 2, purl, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, json_integer_value(version));
	}
	if ((rc = store_exists(st, &seen)))
		return rc;
	if (seen)
		return px_fail(m->err, PX_E_CONFLICT, "object", "version %" PRId64 " of %s was"
			       " offered to '%s' already", (int64_t)json_integer_value(version),
			       purl, m->slug);
	return json_object_set_new(eff, "relation", json_integer(rel)) ? PX_E_NOMEM : 0;
}

int nodes_offer_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		      struct px_error *err)
{
	const json_t *o = json_object_get(act, "object");
	const char *rationale = json_string_value(json_object_get(o, "pnyx:rationale"));
	char *cond = json_dumps(json_object_get(o, "pnyx:condition"),
				JSON_COMPACT | JSON_SORT_KEYS);
	if (!cond)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_offers(relation_id, side,"
		" activity_id, proposal, version, title, text, rationale, condition, at)"
		" SELECT id, 'received', ?, ?, ?, ?, ?, ?, ?, ? FROM node_relations WHERE id = ?"
		" AND side = 'member' AND status = 'active' RETURNING id");
	int64_t made = 0;
	int found = 0, rc;
	if (st) {
		sqlite3_bind_text(st, 1, json_string_value(json_object_get(act, "id")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, json_string_value(json_object_get(o, "proposal")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(o, "version")));
		sqlite3_bind_text(st, 4, json_string_value(json_object_get(o, "name")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, json_string_value(json_object_get(o, "content")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, rationale ? rationale : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, cond, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 8, at);
		sqlite3_bind_int64(st, 9, json_integer_value(json_object_get(eff, "relation")));
	}
	rc = store_int64(st, &made, &found);
	free(cond);
	if (!rc && !found)
		rc = px_fail(err, PX_E_CONFLICT, "object", "the membership the offer came"
			     " through is not active");
	return rc;
}

/* *ok: 0 when who, an assembly named beneath a delegate assembly's answer,
 * is of this node (origin mine) and belongs to no assembly on another
 * node: a node reports what assemblies beneath it answered, never an
 * answer of an assembly of the node it reports to that is in no tree
 * (issue 17 item 7). An assembly of this node that is a member elsewhere
 * may lie deeper in the tree than the answering assembly's own members,
 * so any active membership will do. */
static int beneath_ok(struct store *s, const char *mine, const char *who, int *ok)
{
	char o[NODES_ORIGIN_SIZE];
	*ok = 1;
	if (nodes_origin(who, o) || strcmp(o, mine))
		return 0;
	*ok = 0;
	const char *path = strchr(strstr(who, "://") + 3, '/');
	if (!path || strncmp(path, "/bodies/", 8))
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node_relations r JOIN bodies b ON"
				      " b.id = r.body_id WHERE b.slug = ? AND r.side = 'member'"
				      " AND r.status = 'active'");
	if (st)
		sqlite3_bind_text(st, 1, path + 8, -1, SQLITE_TRANSIENT);
	return store_exists(st, ok);
}

int nodes_answer_check(struct store *s, const struct nodes_msg *m, json_t *eff)
{
	const char *object = json_string_value(json_object_get(m->act, "object"));
	const char *type = json_string_value(json_object_get(m->act, "type"));
	size_t b = strlen(m->base);
	const char *name = object + b + strlen("/activities/");
	sqlite3_stmt *st = store_stmt(s, "SELECT o.id, r.remote_actor, r.status, b.slug FROM"
		" node_offers o JOIN node_relations r ON r.id = o.relation_id JOIN bodies b ON"
		" b.id = r.body_id WHERE o.activity_id = ? AND o.side = 'sent'");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(m->err, PX_E_CONFLICT, "object", "no offer %s was sent from here",
			       object);
	int64_t offer = sqlite3_column_int64(st, 0);
	int same = !strcmp(col(st, 1), m->actor), active = !strcmp(col(st, 2), "active");
	int here = !strcmp(col(st, 3), m->slug);
	sqlite3_reset(st);
	if (!same)
		return px_fail(m->err, PX_E_FOREIGN_EFFECT, "actor", "that offer was made to"
			       " another assembly: %s answers only what it was offered",
			       m->actor);
	if (!here)
		return px_fail(m->err, PX_E_BAD_INPUT, "object", "this is the inbox of '%s',"
			       " which did not make that offer", m->slug);
	if (!active)
		return px_fail(m->err, PX_E_CONFLICT, "actor", "%s is no longer a member",
			       m->actor);
	const json_t *a = json_object_get(m->act, "pnyx:answer");
	const char *answer = json_string_value(json_object_get(a, "answer"));
	const json_t *counter = json_object_get(a, "counterText");
	const json_t *pop = json_object_get(a, "population");
	int amend = answer && !strcmp(answer, "amend");
	int ok = answer && (!strcmp(answer, "accept") ? !strcmp(type, "Accept")
			    : (!strcmp(answer, "reject") || amend) && !strcmp(type, "Reject"));
	if (!ok || (amend ? !text_ok(counter, 1, 100000) : counter && !json_is_null(counter)) ||
	    (json_object_get(a, "reasons") && !text_ok(json_object_get(a, "reasons"), 0, 20000)) ||
	    !json_is_integer(pop) || json_integer_value(pop) < 0 ||
	    json_integer_value(pop) > MAX_POPULATION)
		return px_fail(m->err, PX_E_BAD_INPUT, "pnyx:answer", "an answer is accept (an"
			       " Accept), reject or amend with a counter-text (a Reject), with"
			       " the population it speaks for");
	/* a delegate assembly's answer says how many local assemblies beneath
	 * it accepted, and what each answered, with the node that reported it */
	const json_t *locals = json_object_get(a, "locals"), *under = json_object_get(a, "beneath");
	size_t i;
	const json_t *e;
	int bad = (locals && (!json_is_integer(locals) || json_integer_value(locals) < 0 ||
			      json_integer_value(locals) > 10000000)) ||
		  (!locals != !under) ||
		  (under && (!json_is_array(under) || json_array_size(under) > 1000));
	json_array_foreach(under, i, e) {
		char o1[NODES_ORIGIN_SIZE], o2[NODES_ORIGIN_SIZE];
		const char *who = json_string_value(json_object_get(e, "assembly"));
		const char *by = json_string_value(json_object_get(e, "reportedBy"));
		if (!json_is_object(e) || !who || nodes_origin(who, o1) || !by ||
		    nodes_origin(by, o2) || !json_is_string(json_object_get(e, "answer")))
			bad = 1;
	}
	if (bad)
		return px_fail(m->err, PX_E_BAD_INPUT, "pnyx:answer", "a delegate assembly's"
			       " answer carries locals (0 or more) and beneath: at most 1,000"
			       " answers, each naming its assembly and the node that reported it");
	/* and how many local assemblies there are beneath it in all, with
	 * their population: never fewer than accepted. Whether there are that
	 * many is the sender's to say: they lie on its node and on nodes this
	 * one has no relationship with (docs/nodes.md, "Shares across two
	 * levels"). A report without them is an older node's. */
	const json_t *tl = json_object_get(a, "totalLocals");
	const json_t *tp = json_object_get(a, "totalPopulation");
	if ((tl || tp) &&
	    (!locals || !json_is_integer(tl) || !json_is_integer(tp) ||
	     json_integer_value(tl) < json_integer_value(locals) ||
	     json_integer_value(tl) > 10000000 ||
	     json_integer_value(tp) < json_integer_value(pop) ||
	     json_integer_value(tp) > MAX_POPULATION))
		return px_fail(m->err, PX_E_BAD_INPUT, "pnyx:answer", "a delegate assembly's"
			       " totalLocals and totalPopulation come together, with locals, and"
			       " are never fewer than the local assemblies that accepted and their"
			       " population");
	char mine[NODES_ORIGIN_SIZE];
	if (under && nodes_origin(m->base, mine))
		return PX_E_INTERNAL;
	json_array_foreach(under, i, e) {
		const char *who = json_string_value(json_object_get(e, "assembly"));
		int in_a_tree = 0;
		if ((rc = beneath_ok(s, mine, who, &in_a_tree)))
			return rc;
		if (!in_a_tree)
			return px_fail(m->err, PX_E_FOREIGN_EFFECT, "pnyx:answer", "the answer"
				       " names, beneath %s, an assembly of this node that belongs"
				       " to no assembly on another node: %s", m->actor, who);
	}
	const char *decision = json_string_value(json_object_get(
		json_object_get(m->act, "pnyx:decision"), "url"));
	char origin[NODES_ORIGIN_SIZE];
	if (!decision || nodes_origin(decision, origin) || strcmp(origin, m->origin))
		return px_fail(m->err, PX_E_FOREIGN_EFFECT, "pnyx:decision", "an answer names"
			       " the decision of the answering assembly, on its node");
	return json_object_set_new(eff, "offer", json_integer(offer)) ? PX_E_NOMEM : 0;
}

int nodes_answer_apply(struct store *s, const json_t *act, const char *peer,
		       const json_t *eff, int64_t at, struct px_error *err)
{
	int64_t offer = json_integer_value(json_object_get(eff, "offer"));
	const json_t *a = json_object_get(act, "pnyx:answer");
	const char *answer = json_string_value(json_object_get(a, "answer"));
	const char *counter = json_string_value(json_object_get(a, "counterText"));
	const char *reasons = json_string_value(json_object_get(a, "reasons"));
	int64_t pop = json_integer_value(json_object_get(a, "population"));
	/* the latest answer to the offer, once: what it counted for */
	sqlite3_stmt *st = store_stmt(s, "SELECT o.proposal_id, o.version, r.body_id,"
		" a.answer = 'accept', a.population, r.suspended_by IS NOT NULL,"
		" coalesce(a.locals, 1)"
		" FROM node_offers o JOIN node_relations r ON r.id = o.relation_id"
		" LEFT JOIN node_answers a ON a.id = (SELECT max(x.id) FROM node_answers x"
		" WHERE x.offer_id = o.id)"
		" WHERE o.id = ? AND o.side = 'sent' AND r.status = 'active'");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, offer);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_CONFLICT, "object", "offer %" PRId64 " is not before an"
			       " active member", offer);
	int64_t proposal = sqlite3_column_int64(st, 0), version = sqlite3_column_int64(st, 1);
	int64_t body = sqlite3_column_int64(st, 2);
	int was = sqlite3_column_int(st, 3);
	int64_t was_pop = sqlite3_column_int64(st, 4);
	/* suspended: the answer is recorded, and counts once it is restored */
	int suspended = sqlite3_column_int(st, 5);
	int64_t was_locals = sqlite3_column_int64(st, 6);
	sqlite3_reset(st);
	/* one local assembly, or as many as a delegate assembly reported */
	const json_t *jl = json_object_get(a, "locals");
	int64_t locals = jl ? json_integer_value(jl) : 1;
	char *under = jl ? json_dumps(json_object_get(a, "beneath"),
				      JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const json_t *tl = json_object_get(a, "totalLocals");
	if (jl && !under)
		return PX_E_NOMEM;
	st = store_stmt(s, "INSERT INTO node_answers(offer_id, answer, counter_text, reasons,"
			" decision, activity_id, population, at, locals, beneath, total_locals,"
			" total_population) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		free(under);
		return PX_E_INTERNAL;
	}
	if (tl) {
		sqlite3_bind_int64(st, 11, json_integer_value(tl));
		sqlite3_bind_int64(st, 12, json_integer_value(json_object_get(a,
							"totalPopulation")));
	}
	if (jl)
		sqlite3_bind_int64(st, 9, locals);
	if (under)
		sqlite3_bind_text(st, 10, under, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 1, offer);
	sqlite3_bind_text(st, 2, answer ? answer : "", -1, SQLITE_TRANSIENT);
	if (counter)
		sqlite3_bind_text(st, 3, counter, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, reasons ? reasons : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, json_string_value(json_object_get(
		json_object_get(act, "pnyx:decision"), "url")), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, json_string_value(json_object_get(act, "id")), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, pop);
	sqlite3_bind_int64(st, 8, at);
	rc = store_run(st);
	free(under);
	if (rc)
		return rc;
	int now_acc = answer && !strcmp(answer, "accept");
	int64_t dl = (now_acc ? locals : 0) - (was ? was_locals : 0), dp = (now_acc ? pop : 0) - (was ? was_pop : 0);
	if (suspended)
		dl = dp = 0;
	return proposal_remote_answer(s, proposal, version, body, dl, dp, at, peer, NULL);
}

int nodes_met_check(struct store *s, const struct nodes_msg *m, json_t *eff)
{
	const char *object = json_string_value(json_object_get(m->act, "object"));
	const json_t *met = json_object_get(m->act, "pnyx:conditionMet");
	sqlite3_stmt *st = store_stmt(s, "SELECT o.id, r.remote_actor, r.status, b.slug,"
		" o.proposal, o.version FROM node_offers o JOIN node_relations r ON"
		" r.id = o.relation_id JOIN bodies b ON b.id = r.body_id"
		" WHERE o.activity_id = ? AND o.side = 'received'");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, object ? object : "", -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(m->err, PX_E_CONFLICT, "object", "no assembly here was offered %s",
			       object ? object : "that");
	int64_t offer = sqlite3_column_int64(st, 0);
	int same = !strcmp(col(st, 1), m->actor), active = !strcmp(col(st, 2), "active");
	int here = !strcmp(col(st, 3), m->slug);
	int match = !strcmp(col(st, 4), json_string_value(json_object_get(met, "proposal")) ?
			    json_string_value(json_object_get(met, "proposal")) : "") &&
		    json_integer_value(json_object_get(met, "version")) ==
			    sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	if (!same)
		return px_fail(m->err, PX_E_FOREIGN_EFFECT, "actor", "only the assembly that"
			       " made the offer says its condition is met");
	if (!here)
		return px_fail(m->err, PX_E_BAD_INPUT, "object", "this is the inbox of '%s',"
			       " which was not offered that", m->slug);
	if (!active)
		return px_fail(m->err, PX_E_CONFLICT, "actor", "'%s' no longer belongs to %s",
			       m->slug, m->actor);
	if (!match)
		return px_fail(m->err, PX_E_BAD_INPUT, "pnyx:conditionMet", "it names the"
			       " proposal and the version offered");
	return json_object_set_new(eff, "offer", json_integer(offer)) ? PX_E_NOMEM : 0;
}

int nodes_met_apply(struct store *s, const json_t *eff, int64_t at, struct px_error *err)
{
	int64_t offer = json_integer_value(json_object_get(eff, "offer"));
	sqlite3_stmt *st = store_stmt(s, "SELECT o.relation_id, r.body_id, o.proposal,"
		" o.version, o.title, o.text, a.answer, a.motion_id, r.remote_actor, b.slug"
		" FROM node_offers o JOIN node_relations r ON r.id = o.relation_id"
		" JOIN bodies b ON b.id = r.body_id LEFT JOIN node_answers a ON a.id ="
		" (SELECT max(x.id) FROM node_answers x WHERE x.offer_id = o.id)"
		" WHERE o.id = ? AND o.side = 'received'");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, offer);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_CONFLICT, "object", "no offer %" PRId64, offer);
	int64_t rel = sqlite3_column_int64(st, 0), body = sqlite3_column_int64(st, 1);
	int64_t version = sqlite3_column_int64(st, 3), motion = sqlite3_column_int64(st, 7);
	char *purl = strdup(col(st, 2)), *title = strdup(col(st, 4)), *text = strdup(col(st, 5));
	char *from = strdup(col(st, 8)), *slug = strdup(col(st, 9));
	int accepted = !strcmp(col(st, 6), "accept");
	sqlite3_reset(st);
	int64_t number = 0, lv = 1;
	if (!purl || !title || !text || !from || !slug) {
		rc = PX_E_NOMEM;
		goto out;
	}
	int delegate = 0;
	if ((rc = fed_is_delegate(s, body, &delegate)))
		goto out;
	/* a delegate assembly has no laws: the news goes on down, to the
	 * accepting assemblies beneath it (relay.c) */
	if (delegate) {
		int64_t relayed = 0;
		int found = 0;
		st = store_stmt(s, "UPDATE node_offers SET met_at = ? WHERE id = ?");
		if (!st) {
			rc = PX_E_INTERNAL;
			goto out;
		}
		sqlite3_bind_int64(st, 1, at);
		sqlite3_bind_int64(st, 2, offer);
		if ((rc = store_run(st)))
			goto out;
		st = store_stmt(s, "SELECT id FROM proposals WHERE relay_of = ? AND"
				   " relay_proposal = ?");
		if (!st) {
			rc = PX_E_INTERNAL;
			goto out;
		}
		sqlite3_bind_int64(st, 1, rel);
		sqlite3_bind_text(st, 2, purl, -1, SQLITE_TRANSIENT);
		if (!(rc = store_int64(st, &relayed, &found)) && found && accepted)
			rc = proposal_relay_met(s, relayed, version, at, from, NULL);
		goto out;
	}
	/* the assembly's own acceptance is what enters the law: without it,
	 * the news that the condition is met is recorded, and nothing else */
	if (accepted) {
		int64_t had = 0, had_version = 0;
		int in_force = 0;
		st = store_stmt(s, "SELECT o.law_number, o.version, l.status = 'in_force' FROM"
				" node_offers o JOIN laws l ON l.body_id = ? AND l.number ="
				" o.law_number WHERE o.relation_id = ? AND o.proposal = ? AND"
				" o.law_number IS NOT NULL ORDER BY o.version DESC LIMIT 1");
		if (!st) {
			rc = PX_E_INTERNAL;
			goto out;
		}
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, rel);
		sqlite3_bind_text(st, 3, purl, -1, SQLITE_TRANSIENT);
		if ((rc = store_step(st, &row)))
			goto out;
		if (row) {
			had = sqlite3_column_int64(st, 0);
			had_version = sqlite3_column_int64(st, 1);
			in_force = sqlite3_column_int(st, 2);
			sqlite3_reset(st);
		}
		int entered = 1;
		if (had && in_force && had_version >= version) {
			number = had;
			entered = 0;
		} else if (had && in_force) {
			number = had;
			rc = law_amend(s, body, had, title, text, motion, at, &lv, err);
		} else {
			rc = law_enact(s, body, title, text, motion, at, &number);
		}
		if (rc)
			goto out;
		/* the register's own entry, as when a proposal of this node
		 * enters it (made again by the node.receive that follows) */
		json_t *p = entered ? json_pack("{s:s, s:I, s:I, s:I, s:I}", "proposal", purl,
						"proposal_version", (json_int_t)version,
						"law", (json_int_t)number, "version", (json_int_t)lv,
						"accepted_by", (json_int_t)motion) : NULL;
		if (entered && !p)
			rc = PX_E_NOMEM;
		else if (p)
			rc = journal_append(s, at, from, slug, "law.from_proposal", p, NULL);
		json_decref(p);
		if (rc)
			goto out;
	}
	st = store_stmt(s, "UPDATE node_offers SET met_at = ?, law_number = ? WHERE id = ?");
	if (!st) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	sqlite3_bind_int64(st, 1, at);
	if (number)
		sqlite3_bind_int64(st, 2, number);
	sqlite3_bind_int64(st, 3, offer);
	rc = store_run(st);
out:
	free(purl);
	free(title);
	free(text);
	free(from);
	free(slug);
	return rc;
}

/* ---- the member assembly's decision ---- */

struct received {
	int64_t rel, version;
	char *activity, *actor;
};

static int received_offer(struct store *s, int64_t body, int64_t offer, struct received *r,
			  struct px_error *err)
{
	memset(r, 0, sizeof *r);
	sqlite3_stmt *st = store_stmt(s, "SELECT o.relation_id, o.activity_id, r.remote_actor,"
		" r.status, o.version FROM node_offers o JOIN node_relations r ON r.id = o.relation_id"
		" WHERE o.id = ? AND o.side = 'received' AND r.body_id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, offer);
	sqlite3_bind_int64(st, 2, body);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.offer", "no proposal %" PRId64 " from"
			       " another node was offered to this assembly", offer);
	int active = !strcmp(col(st, 3), "active");
	r->rel = sqlite3_column_int64(st, 0);
	r->version = sqlite3_column_int64(st, 4);
	r->activity = strdup(col(st, 1));
	r->actor = strdup(col(st, 2));
	sqlite3_reset(st);
	if (!r->activity || !r->actor) {
		free(r->activity);
		free(r->actor);
		return PX_E_NOMEM;
	}
	if (!active) {
		free(r->activity);
		free(r->actor);
		return px_fail(err, PX_E_CONFLICT, "params.offer", "this assembly no longer"
			       " belongs to the assembly that made the offer");
	}
	return 0;
}

/* Delegate assembly m->body_id accepted offer (received through rel):
 * the version is relayed to its own members (*proposal, the proposal
 * here that carries it). */
static int relay_offer(struct store *s, const struct motion_effect *m, int64_t offer,
		       int64_t rel, int64_t *proposal)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT proposal, version, title, text, rationale,"
				      " condition FROM node_offers WHERE id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, offer);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	char *purl = strdup(col(st, 0)), *title = strdup(col(st, 2)), *text = strdup(col(st, 3));
	char *rationale = strdup(col(st, 4));
	int64_t version = sqlite3_column_int64(st, 1);
	json_t *cond = json_loads(col(st, 5), 0, NULL);
	sqlite3_reset(st);
	if (!purl || !title || !text || !rationale || !cond)
		rc = PX_E_NOMEM;
	else
		rc = proposal_relay_version(s, m->body_id, rel, purl, version, title, text,
					    rationale, cond, m->motion_id, m->now, proposal);
	free(purl);
	free(title);
	free(text);
	free(rationale);
	json_decref(cond);
	return rc;
}

int nodes_check_answer_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	struct received r;
	const char *answer = kind_text(a, "answer"), *counter = kind_text(a, "counter_text");
	int amend = !strcmp(answer, "amend");
	int rc = received_offer(s, body_id, kind_num(a, "offer"), &r, err);
	if (rc)
		return rc;
	free(r.activity);
	free(r.actor);
	if (amend && !*counter)
		return kind_json(a, "counter_text")
			? px_fail(err, PX_E_OUT_OF_RANGE, "params.counter_text",
				  "counter_text has 1 to 100000 characters")
			: px_fail(err, PX_E_MISSING_FIELD, "params.counter_text", NULL);
	if (*counter && !amend)
		return px_fail(err, PX_E_BAD_INPUT, "params.counter_text",
			       "only an amendment carries a counter-text");
	if (json_object_set_new(canon, "counter_text", *counter ? json_string(counter)
							      : json_null()) ||
	    json_object_set_new(canon, "reasons", json_string(kind_text(a, "reasons"))))
		return PX_E_NOMEM;
	return 0;
}

int nodes_apply_answer_remote(struct store *s, const struct motion_effect *m, json_t *j,
			      struct px_error *err)
{
	const json_t *p = m->params;
	int64_t offer = json_integer_value(json_object_get(p, "offer")), pop = 0;
	const char *answer = json_string_value(json_object_get(p, "answer"));
	const char *counter = json_string_value(json_object_get(p, "counter_text"));
	const char *reasons = json_string_value(json_object_get(p, "reasons"));
	struct received r;
	char name[40];
	int64_t locals = 0, relayed = 0, total_locals = 0, total_pop = 0;
	char *beneath = NULL;
	int delegate = 0;
	int rc = received_offer(s, m->body_id, offer, &r, err);
	if (rc)
		return rc;
	if ((rc = body_population(s, m->body_id, &pop)) ||
	    (rc = fed_is_delegate(s, m->body_id, &delegate)))
		goto out;
	/* and how many there are beneath it in all, whatever it answers: the
	 * whole a share of them is counted against at the top */
	if (delegate && (rc = fed_beneath_size(s, m->body_id, &total_locals, &total_pop)))
		goto out;
	/* a delegate assembly answers for the assemblies beneath it: what it
	 * accepts it offers them, and it reports what they answered */
	if (delegate && answer && !strcmp(answer, "accept") &&
	    ((rc = relay_offer(s, m, offer, r.rel, &relayed)) ||
	     (rc = nodes_relay_figures(s, relayed, r.version, &locals, &pop, &beneath))))
		goto out;
	snprintf(name, sizeof name, "answer-%" PRId64, m->motion_id);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_answers(offer_id, answer,"
		" counter_text, reasons, motion_id, activity_id, population, at, locals, beneath,"
		" total_locals, total_population) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	if (delegate) {
		sqlite3_bind_int64(st, 9, locals);
		sqlite3_bind_int64(st, 11, total_locals);
		sqlite3_bind_int64(st, 12, total_pop);
	}
	if (beneath)
		sqlite3_bind_text(st, 10, beneath, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 1, offer);
	sqlite3_bind_text(st, 2, answer ? answer : "", -1, SQLITE_TRANSIENT);
	if (counter)
		sqlite3_bind_text(st, 3, counter, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, reasons ? reasons : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, m->motion_id);
	sqlite3_bind_text(st, 6, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, pop);
	sqlite3_bind_int64(st, 8, m->now);
	if ((rc = store_run(st)))
		goto out;
	json_t *extra = json_pack("{s:{s:s, s:s?, s:s, s:I}}", "pnyx:answer", "answer",
				  answer ? answer : "", "counterText", counter,
				  "reasons", reasons ? reasons : "", "population", (json_int_t)pop);
	json_t *under = beneath ? json_loads(beneath, 0, NULL) : NULL;
	if (!extra || (beneath && !under)) {
		json_decref(extra);
		json_decref(under);
		rc = PX_E_NOMEM;
		goto out;
	}
	if (delegate) {
		json_t *ans = json_object_get(extra, "pnyx:answer");
		if (json_object_set_new(ans, "locals", json_integer(locals)) ||
		    json_object_set_new(ans, "totalLocals", json_integer(total_locals)) ||
		    json_object_set_new(ans, "totalPopulation", json_integer(total_pop)) ||
		    json_object_set_new(ans, "beneath", under ? under : json_array())) {
			json_decref(extra);
			rc = PX_E_NOMEM;
			goto out;
		}
	}
	rc = nodes_enqueue_with(s, answer && !strcmp(answer, "accept") ? "Accept" : "Reject",
				m->body_slug, r.actor, json_string(r.activity), name,
				m->motion_id, m->title, extra, m->now);
	if (rc == PX_E_CONFLICT)
		rc = px_fail(err, rc, NULL, "this node does not know its own address yet"
			     " (pnyx serve records it)");
	if (!rc && json_object_set_new(j, "answer", json_pack("{s:I, s:s, s:s}", "offer",
				       (json_int_t)offer, "answer", answer ? answer : "",
				       "to", r.actor)))
		rc = PX_E_NOMEM;
out:
	free(beneath);
	free(r.activity);
	free(r.actor);
	return rc;
}

/* ---- readers ---- */

static int answers_of(struct store *s, int64_t offer, json_t *o)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT answer, counter_text, reasons, motion_id,"
				      " decision, population, at FROM node_answers WHERE"
				      " offer_id = ? ORDER BY id");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, offer);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *a = json_pack("{s:s, s:s?, s:s, s:o, s:s?, s:I, s:I}",
			"answer", col(st, 0), "counter_text", (const char *)sqlite3_column_text(st, 1),
			"reasons", col(st, 2), "motion", col_int_or_null(st, 3),
			"decision", (const char *)sqlite3_column_text(st, 4),
			"population", (json_int_t)sqlite3_column_int64(st, 5),
			"at", (json_int_t)sqlite3_column_int64(st, 6));
		if (!a || json_array_append_new(list, a)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (!rc && json_object_set_new(o, "answers", list))
		return PX_E_NOMEM;
	if (rc)
		json_decref(list);
	return rc;
}

int nodes_offers_of(struct store *s, int64_t rel, json_t *o)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT id, side, proposal_id, proposal, version,"
		" title, text, rationale, condition, at, met_at, law_number FROM node_offers"
		" WHERE relation_id = ? ORDER BY id DESC");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, rel);
	int rc = 0;
	struct { int64_t id; json_t *o; } *rows = NULL;
	size_t n = 0, cap = 0;
	while (store_next(st, &rc)) {
		json_t *cond = json_loads(col(st, 8), 0, NULL);
		json_t *x = json_pack("{s:I, s:s, s:o, s:s?, s:I, s:s, s:s, s:s, s:o, s:I, s:o,"
				      " s:o}",
			"id", (json_int_t)sqlite3_column_int64(st, 0), "side", col(st, 1),
			"proposal_id", col_int_or_null(st, 2),
			"proposal", (const char *)sqlite3_column_text(st, 3),
			"version", (json_int_t)sqlite3_column_int64(st, 4),
			"title", col(st, 5), "text", col(st, 6), "rationale", col(st, 7),
			"condition", cond ? cond : json_null(),
			"at", (json_int_t)sqlite3_column_int64(st, 9),
			"met_at", col_int_or_null(st, 10), "law", col_int_or_null(st, 11));
		void *p = px_grow(rows, &cap, n, sizeof *rows);
		if (!p) {
			json_decref(x);
			x = NULL;
		} else {
			rows = p;
		}
		if (!x || json_array_append_new(list, x)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		rows[n].id = sqlite3_column_int64(st, 0);
		rows[n++].o = x;
	}
	/* the answers, once the offers' statement is done */
	for (size_t i = 0; !rc && i < n; i++)
		rc = answers_of(s, rows[i].id, rows[i].o);
	free(rows);
	if (!rc && json_object_set_new(o, "offers", list))
		return PX_E_NOMEM;
	if (rc)
		json_decref(list);
	return rc;
}
