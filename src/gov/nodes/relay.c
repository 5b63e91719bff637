/*
 * relay.c: two levels of delegate assemblies across nodes (nodes.h,
 * docs/nodes.md, "Two levels across nodes").
 *
 * A delegate assembly here that is a member of a delegate assembly on
 * another node answers for the assemblies beneath it, as on one node: by
 * its decision to accept a version offered from above, the proposal is
 * relayed here (proposal_relay_version) and offered to its members, on
 * this node and on others. Their answers are counted here, and what
 * changed goes up as a report: an Accept of the same offer carrying how
 * many local assemblies beneath accepted, their population, how many
 * there are beneath it in all with their population (the whole a share
 * is counted against at the top: fed_beneath_size, docs/nodes.md,
 * "Shares across two levels"), and every answer beneath with the node
 * that reported it (an answer that came
 * from a third node keeps that node's name and the id of its signed
 * activity, journalled here). The condition is counted at the top, over
 * the whole tree; the news that it is met comes down (Announce), and
 * here it enters the registers of the accepting local assemblies and
 * goes on down to those on other nodes.
 *
 * Invariants: a report is sent only while the relaying assembly's own
 * latest answer to that version is an acceptance, and only when what it
 * says differs from the last one (node_answers keeps each, in the
 * transaction of the decision or the activity that changed the count,
 * so replay rebuilds them). A relayed proposal never meets its condition
 * by the count here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/federation/federation.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "store/store.h"
#include "banned.h"

/* At most this many answers beneath one report (nodes_answer_check). */
#define RELAY_MAX_BENEATH 1000

static const char *col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

int nodes_relay_state(struct store *s, int64_t proposal, int64_t version, int *relayed,
		      int *met)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT o.met_at IS NOT NULL FROM proposals p"
		" LEFT JOIN node_offers o ON o.relation_id = p.relay_of AND o.side = 'received'"
		" AND o.proposal = p.relay_proposal AND o.version = ?2"
		" WHERE p.id = ?1 AND p.relay_of IS NOT NULL");
	*relayed = *met = 0;
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	int row = 0, rc = store_step(st, &row);
	if (!rc && row) {
		*relayed = 1;
		*met = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

static int push(json_t *list, json_t *o)
{
	if (!o)
		return PX_E_NOMEM;
	if (json_array_size(list) >= RELAY_MAX_BENEATH) {
		json_decref(o);
		return 0;
	}
	return json_array_append_new(list, o) ? PX_E_NOMEM : 0;
}

/* What the assemblies beneath answered to version of the relayed
 * proposal: those here, those on other nodes, and what these reported
 * of the assemblies beneath them. */
static int beneath_of(struct store *s, int64_t proposal, int64_t version, json_t *list)
{
	char base[NODES_URL_SIZE], self[NODES_ORIGIN_SIZE];
	int rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	if (nodes_origin(base, self))
		self[0] = '\0';
	sqlite3_stmt *st = store_stmt(s, "SELECT b.slug, a.answer, a.counter_text,"
		" a.motion_id, coalesce(c.population, 0) FROM proposal_answers a"
		" JOIN bodies b ON b.id = a.body_id LEFT JOIN communities c ON"
		" c.id = b.community_id WHERE a.proposal_id = ?1 AND a.version = ?2 AND"
		" a.id = (SELECT max(x.id) FROM proposal_answers x WHERE x.proposal_id = ?1"
		" AND x.version = ?2 AND x.body_id = a.body_id) ORDER BY a.body_id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	while (!rc && store_next(st, &rc)) {
		char who[NODES_URL_SIZE + 80], decision[NODES_URL_SIZE + 40];
		snprintf(who, sizeof who, "%s/bodies/%s", base, col(st, 0));
		snprintf(decision, sizeof decision, "%s/motion.html?id=%" PRId64, base,
			 (int64_t)sqlite3_column_int64(st, 3));
		rc = push(list, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:s}",
			"assembly", who, "node", self, "reportedBy", self,
			"answer", col(st, 1),
			"counterText", (const char *)sqlite3_column_text(st, 2),
			"population", (json_int_t)sqlite3_column_int64(st, 4),
			"decision", decision));
		if (rc)
			sqlite3_reset(st);
	}
	if (rc)
		return rc;
	st = store_stmt(s, "SELECT r.remote_actor, a.answer, a.counter_text, a.population,"
		" a.decision, a.activity_id, a.beneath FROM node_offers o JOIN node_relations r"
		" ON r.id = o.relation_id JOIN node_answers a ON a.id = (SELECT max(x.id) FROM"
		" node_answers x WHERE x.offer_id = o.id) WHERE o.side = 'sent' AND"
		" o.proposal_id = ? AND o.version = ? ORDER BY r.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	while (!rc && store_next(st, &rc)) {
		char origin[NODES_ORIGIN_SIZE];
		if (nodes_origin(col(st, 0), origin))
			origin[0] = '\0';
		rc = push(list, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:s, s:s}",
			"assembly", col(st, 0), "node", origin, "reportedBy", origin,
			"answer", col(st, 1),
			"counterText", (const char *)sqlite3_column_text(st, 2),
			"population", (json_int_t)sqlite3_column_int64(st, 3),
			"decision", col(st, 4), "activity", col(st, 5)));
		/* what that node reported of the assemblies beneath it, as it
		 * reported it */
		json_t *more = sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL
			: json_loads(col(st, 6), 0, NULL);
		size_t i;
		json_t *e;
		json_array_foreach(more, i, e)
			if (!rc)
				rc = push(list, json_incref(e));
		json_decref(more);
		if (rc)
			sqlite3_reset(st);
	}
	return rc;
}

int nodes_relay_figures(struct store *s, int64_t proposal, int64_t version,
			int64_t *locals, int64_t *population, char **beneath)
{
	*locals = *population = 0;
	*beneath = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT s.locals, s.population FROM proposal_sums s"
		" JOIN proposals p ON p.id = s.proposal_id AND p.body_id = s.body_id"
		" WHERE s.proposal_id = ? AND s.version = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (row) {
		*locals = sqlite3_column_int64(st, 0);
		*population = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	json_t *list = json_array();
	if (!list)
		return PX_E_NOMEM;
	if (!(rc = beneath_of(s, proposal, version, list)) &&
	    !(*beneath = json_dumps(list, JSON_COMPACT | JSON_SORT_KEYS)))
		rc = PX_E_NOMEM;
	json_decref(list);
	return rc;
}

struct last_answer {
	int64_t offer, motion, count, locals, population, body, total_locals, total_pop;
	char *activity, *actor, *slug, *title, *answer, *beneath;
	int active;
};

static void last_release(struct last_answer *l)
{
	free(l->activity);
	free(l->actor);
	free(l->slug);
	free(l->title);
	free(l->answer);
	free(l->beneath);
}

/* The offer that version of the relayed proposal came in, and the latest
 * answer to it from here (l->offer 0 when there is none). */
static int last_of(struct store *s, int64_t proposal, int64_t version, struct last_answer *l)
{
	memset(l, 0, sizeof *l);
	sqlite3_stmt *st = store_stmt(s, "SELECT o.id, o.activity_id, r.remote_actor, b.slug,"
		" o.title, r.status = 'active', a.answer, a.motion_id, coalesce(a.locals, -1),"
		" a.population, a.beneath, (SELECT count(*) FROM node_answers x"
		" WHERE x.offer_id = o.id), r.body_id, coalesce(a.total_locals, -1),"
		" coalesce(a.total_population, -1)"
		" FROM proposals p JOIN node_relations r ON r.id = p.relay_of"
		" JOIN bodies b ON b.id = r.body_id JOIN node_offers o ON o.relation_id = r.id"
		" AND o.side = 'received' AND o.proposal = p.relay_proposal AND o.version = ?2"
		" JOIN node_answers a ON a.id = (SELECT max(x.id) FROM node_answers x"
		" WHERE x.offer_id = o.id) WHERE p.id = ?1");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	int row = 0, rc = store_step(st, &row);
	if (rc || !row)
		return rc;
	l->offer = sqlite3_column_int64(st, 0);
	l->activity = strdup(col(st, 1));
	l->actor = strdup(col(st, 2));
	l->slug = strdup(col(st, 3));
	l->title = strdup(col(st, 4));
	l->active = sqlite3_column_int(st, 5);
	l->answer = strdup(col(st, 6));
	l->motion = sqlite3_column_int64(st, 7);
	l->locals = sqlite3_column_int64(st, 8);
	l->population = sqlite3_column_int64(st, 9);
	l->beneath = strdup(col(st, 10));
	l->count = sqlite3_column_int64(st, 11);
	l->body = sqlite3_column_int64(st, 12);
	l->total_locals = sqlite3_column_int64(st, 13);
	l->total_pop = sqlite3_column_int64(st, 14);
	sqlite3_reset(st);
	if (!l->activity || !l->actor || !l->slug || !l->title || !l->answer || !l->beneath) {
		last_release(l);
		return PX_E_NOMEM;
	}
	return 0;
}

int nodes_relay_report(struct store *s, int64_t proposal, int64_t version, int64_t now)
{
	struct last_answer l;
	int64_t locals = 0, population = 0, total_locals = 0, total_pop = 0;
	char *beneath = NULL;
	int rc = last_of(s, proposal, version, &l);
	if (rc || !l.offer)
		return rc;
	if (!l.active || strcmp(l.answer, "accept"))
		goto out;
	if ((rc = nodes_relay_figures(s, proposal, version, &locals, &population, &beneath)) ||
	    (rc = fed_beneath_size(s, l.body, &total_locals, &total_pop)))
		goto out;
	if (locals == l.locals && population == l.population && !strcmp(beneath, l.beneath) &&
	    total_locals == l.total_locals && total_pop == l.total_pop)
		goto out; /* nothing new to say */
	char name[80];
	snprintf(name, sizeof name, "report-%" PRId64 "-%" PRId64, l.offer, l.count + 1);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_answers(offer_id, answer, reasons,"
		" motion_id, activity_id, population, locals, beneath, at, total_locals,"
		" total_population) VALUES (?, 'accept', '', ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	sqlite3_bind_int64(st, 1, l.offer);
	sqlite3_bind_int64(st, 2, l.motion);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, population);
	sqlite3_bind_int64(st, 5, locals);
	sqlite3_bind_text(st, 6, beneath, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, total_locals);
	sqlite3_bind_int64(st, 9, total_pop);
	if ((rc = store_run(st)))
		goto out;
	json_t *list = json_loads(beneath, 0, NULL);
	json_t *extra = list ? json_pack("{s:{s:s, s:s, s:I, s:I, s:I, s:I, s:o}}",
					 "pnyx:answer", "answer", "accept", "reasons", "",
					 "population", (json_int_t)population,
					 "locals", (json_int_t)locals,
					 "totalLocals", (json_int_t)total_locals,
					 "totalPopulation", (json_int_t)total_pop,
					 "beneath", list) : NULL;
	rc = extra ? nodes_enqueue_with(s, "Accept", l.slug, l.actor, json_string(l.activity),
					name, l.motion, l.title, extra, now)
		   : PX_E_NOMEM;
out:
	free(beneath);
	last_release(&l);
	return rc;
}
