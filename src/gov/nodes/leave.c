/*
 * leave.c: a membership across nodes ends by decision (docs/nodes.md,
 * "Leaving"; issue 17, item 6).
 *
 * leave_remote_federation: an assembly here leaves a delegate assembly
 * hosted on another node by its own decision. As on one node (docs/
 * federation.md, "Joining and leaving"), leaving takes effect at once:
 * the relation ends here, its delegates' seats end, and a signed Leave is
 * queued for that node, where it takes effect on arrival too (the seats
 * end there and the open votes cast under them are withdrawn): a
 * departure, like a recall, is the member's own act about itself.
 *
 * remove_remote_member: a delegate assembly here ends the membership of
 * an assembly on another node by its decision. On one node a departure is
 * always seen; across nodes a member's node may be gone for good, or its
 * Leave never arrive, and the delegate assembly must be able to close the
 * relation it holds. The relation ends here, with its seats and the open
 * votes cast under them, and a signed Remove (object the member, target
 * the delegate assembly) tells the member's node, which records that its
 * membership ended (its seats there end too).
 *
 * Once ended, the relation no longer makes that node trusted (federate.c,
 * trusted()): what it sends later for that relation is refused, and when
 * it was the last relation with that node, everything it sends but a new
 * request to join.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/i18n.h"
#include "gov/federation/federation.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"
#include "banned.h"

int nodes_relation_counts(struct store *s, int64_t rel, int sign, int64_t now,
			  const char *actor)
{
	struct acc {
		int64_t proposal, version, body, population;
	} *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT o.proposal_id, o.version, r.body_id,"
		" a.population FROM node_offers o JOIN node_relations r ON r.id = o.relation_id"
		" JOIN node_answers a ON a.id = (SELECT max(x.id) FROM node_answers x"
		" WHERE x.offer_id = o.id) WHERE o.relation_id = ? AND o.side = 'sent' AND"
		" r.side = 'host' AND o.proposal_id IS NOT NULL AND a.answer = 'accept'"
		" ORDER BY o.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, rel);
	while (store_next(st, &rc)) {
		struct acc *p = px_grow(v, &cap, n, sizeof(*p));
		if (!p) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		v = p;
		v[n++] = (struct acc){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				       sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3) };
	}
	for (size_t i = 0; !rc && i < n; i++)
		rc = proposal_remote_answer(s, v[i].proposal, v[i].version, v[i].body, sign,
					    sign * v[i].population, now, actor, NULL);
	free(v);
	return rc;
}

/* End relation rel (of side, active) at `at`, by `by` (an activity's id or
 * a decision's name), with the seats of its delegates and, on the
 * delegate assembly's side, the open votes cast under them. *seats: how
 * many seats ended. -1 in *seats when the relation was not active. */
static int end_relation(struct store *s, int64_t rel, const char *side, const char *by,
			int64_t motion, int64_t at, int64_t *seats)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE node_relations SET status = 'ended',"
				      " changed_at = ?, ended_by = ?,"
				      " decided_by = coalesce(?, decided_by)"
				      " WHERE id = ? AND side = ? AND status = 'active' RETURNING id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_TRANSIENT);
	if (motion > 0 && !strcmp(side, "host"))
		sqlite3_bind_int64(st, 3, motion);
	sqlite3_bind_int64(st, 4, rel);
	sqlite3_bind_text(st, 5, side, -1, SQLITE_STATIC);
	/* a member that counted (not suspended) stops counting, as one that
	 * leaves on one node leaves the tree its acceptances reached through */
	int counted = 0;
	sqlite3_stmt *q = store_stmt(s, "SELECT 1 FROM node_relations WHERE id = ? AND"
				     " status = 'active' AND suspended_by IS NULL");
	if (q)
		sqlite3_bind_int64(q, 1, rel);
	int rc = store_exists(q, &counted);
	if (rc)
		return rc;
	int64_t done = 0;
	int found = 0;
	rc = store_int64(st, &done, &found);
	*seats = -1;
	if (rc || !found)
		return rc;
	*seats = 0;
	if (!strcmp(side, "host") && counted &&
	    (rc = nodes_relation_counts(s, rel, -1, at, by)))
		return rc;
	if (!strcmp(side, "host")) {
		/* the votes cast under the seats that end, on motions still open */
		st = store_stmt(s, "DELETE FROM node_votes WHERE credential_id IN (SELECT id"
				" FROM node_credentials WHERE relation_id = ? AND recalled_at IS"
				" NULL) AND motion_id IN (SELECT id FROM motions WHERE"
				" status = 'voting')");
		if (st)
			sqlite3_bind_int64(st, 1, rel);
		if ((rc = store_run(st)))
			return rc;
	}
	st = store_stmt(s, "UPDATE node_credentials SET recalled_by = ?, recalled_at = ?"
			" WHERE relation_id = ? AND recalled_at IS NULL RETURNING id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, rel);
	while (store_next(st, &rc))
		++*seats;
	return rc;
}

/* ---- the decisions ---- */

/* The active membership of body in the delegate assembly at actor. */
static int membership(struct store *s, int64_t body, const char *actor, int64_t *rel,
		      struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM node_relations WHERE body_id = ? AND"
				      " remote_actor = ? AND side = 'member' AND status = 'active'");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, actor ? actor : "", -1, SQLITE_TRANSIENT);
	}
	*rel = 0;
	int rc = store_int64(st, rel, NULL);
	if (!rc && !*rel)
		rc = px_fail(err, PX_E_CONFLICT, "params.actor", "this assembly is no member of"
			     " that assembly on another node");
	return rc;
}

int nodes_check_leave_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err)
{
	int64_t rel = 0;
	(void)canon;
	return membership(s, body_id, kind_text(a, "actor"), &rel, err);
}

static int address_unknown(int rc, struct px_error *err)
{
	return rc == PX_E_CONFLICT ? px_fail(err, rc, NULL, "this node does not know its own"
					     " address yet (pnyx serve records it)") : rc;
}

int nodes_apply_leave_remote(struct store *s, const struct motion_effect *m, json_t *j,
			     struct px_error *err)
{
	const char *actor = json_string_value(json_object_get(m->params, "actor"));
	char name[40];
	int64_t rel = 0, seats = 0;
	int rc = membership(s, m->body_id, actor, &rel, err);
	if (rc)
		return rc;
	snprintf(name, sizeof name, "leave-%" PRId64, m->motion_id);
	if ((rc = end_relation(s, rel, "member", name, m->motion_id, m->now, &seats)))
		return rc;
	if (seats < 0)
		return px_fail(err, PX_E_CONFLICT, "params.actor", "this assembly is no member"
			       " of that assembly on another node");
	rc = nodes_enqueue(s, "Leave", m->body_slug, actor, json_string(actor), name,
			   m->motion_id, m->title, m->now);
	if ((rc = address_unknown(rc, err)))
		return rc;
	return json_object_set_new(j, "left", json_string(actor)) ||
	       json_object_set_new(j, "relation", json_integer(rel)) ||
	       json_object_set_new(j, "seats_ended", json_integer(seats)) ? PX_E_NOMEM : 0;
}

/* The active membership (relation id) of an assembly on another node in
 * the delegate assembly body; its actor into actor (NODES_URL_SIZE * 2). */
static int remote_member(struct store *s, int64_t body, int64_t rel, char *actor,
			 struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT remote_actor, status FROM node_relations"
				      " WHERE id = ? AND body_id = ? AND side = 'host'");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_int64(st, 2, body);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.member", "no assembly from another"
			       " node is known to this assembly as %" PRId64, rel);
	int active = !strcmp((const char *)sqlite3_column_text(st, 1), "active");
	snprintf(actor, NODES_URL_SIZE * 2, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return active ? 0 : px_fail(err, PX_E_CONFLICT, "params.member", "%s is not a member"
				    " of this assembly now", actor);
}

int nodes_check_remove_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	char actor[NODES_URL_SIZE * 2];
	(void)canon;
	return remote_member(s, body_id, kind_num(a, "member"), actor, err);
}

int nodes_apply_remove_remote(struct store *s, const struct motion_effect *m, json_t *j,
			      struct px_error *err)
{
	char actor[NODES_URL_SIZE * 2], name[40], base[NODES_URL_SIZE],
		self[NODES_URL_SIZE + 80];
	int64_t rel = json_integer_value(json_object_get(m->params, "member")), seats = 0;
	int rc = remote_member(s, m->body_id, rel, actor, err);
	if (!rc)
		rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	snprintf(name, sizeof name, "remove-%" PRId64, m->motion_id);
	if ((rc = end_relation(s, rel, "host", name, m->motion_id, m->now, &seats)))
		return rc;
	if (seats < 0)
		return px_fail(err, PX_E_CONFLICT, "params.member", "%s is not a member of this"
			       " assembly now", actor);
	snprintf(self, sizeof self, "%s/bodies/%s", base, m->body_slug);
	rc = nodes_enqueue_with(s, "Remove", m->body_slug, actor, json_string(actor), name,
				m->motion_id, m->title, json_pack("{s:s}", "target", self),
				m->now);
	if ((rc = address_unknown(rc, err)))
		return rc;
	return json_object_set_new(j, "removed", json_string(actor)) ||
	       json_object_set_new(j, "relation", json_integer(rel)) ||
	       json_object_set_new(j, "seats_ended", json_integer(seats)) ? PX_E_NOMEM : 0;
}

/* ---- the inbox ---- */

int nodes_is_membership_removal(const json_t *act, const char *base)
{
	const char *type = json_string_value(json_object_get(act, "type"));
	const char *object = json_string_value(json_object_get(act, "object"));
	size_t b = strlen(base);
	return type && !strcmp(type, "Remove") && object && !strncmp(object, base, b) &&
	       !strncmp(object + b, "/bodies/", 8);
}

int nodes_leave_check(struct store *s, const struct nodes_msg *m, json_t *eff)
{
	const char *type = json_string_value(json_object_get(m->act, "type"));
	const char *object = json_string_value(json_object_get(m->act, "object"));
	int leave = type && !strcmp(type, "Leave");
	char slug[GOV_SLUG_SIZE], self[NODES_ORIGIN_SIZE];
	if (nodes_origin(m->base, self) || !object || nodes_actor_slug(object, self, slug))
		return px_fail(m->err, PX_E_FOREIGN_EFFECT, "object", leave
			       ? "a departure names a delegate assembly of this node"
			       : "a removal names an assembly of this node");
	if (strcmp(slug, m->slug))
		return px_fail(m->err, PX_E_BAD_INPUT, "object", "this is the inbox of '%s',"
			       " not of '%s'", m->slug, slug);
	if (!leave) {
		/* the delegate assembly that removes is the one that speaks */
		const char *target = json_string_value(json_object_get(m->act, "target"));
		if (!target || strcmp(target, m->actor))
			return px_fail(m->err, PX_E_BAD_INPUT, "target", "a removal's target is"
				       " the delegate assembly that removes");
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT r.id FROM node_relations r JOIN bodies b ON"
				      " b.id = r.body_id WHERE b.slug = ? AND r.remote_actor = ?"
				      " AND r.side = ? AND r.status = 'active'");
	if (st) {
		sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, m->actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, leave ? "host" : "member", -1, SQLITE_STATIC);
	}
	int64_t rel = 0;
	int rc = store_int64(st, &rel, NULL);
	if (rc)
		return rc;
	if (!rel)
		return px_fail(m->err, PX_E_CONFLICT, "actor", leave
			       ? "'%s' is no member of '%s'" : "'%s' has no member '%s'",
			       leave ? m->actor : m->actor, slug);
	return json_object_set_new(eff, "relation", json_integer(rel)) ||
	       json_object_set_new(eff, "ended", json_string(leave ? "left" : "removed"))
		? PX_E_NOMEM : 0;
}

int nodes_leave_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		      struct px_error *err)
{
	const char *id = json_string_value(json_object_get(act, "id"));
	const char *type = json_string_value(json_object_get(act, "type"));
	int64_t rel = json_integer_value(json_object_get(eff, "relation")), seats = 0;
	int leave = type && !strcmp(type, "Leave");
	int rc = end_relation(s, rel, leave ? "host" : "member", id ? id : "", 0, at, &seats);
	if (rc)
		return rc;
	if (seats < 0)
		return px_fail(err, PX_E_CONFLICT, "object", "relation %" PRId64 " is not an"
			       " active membership", rel);
	return 0;
}
