/*
 * declare.c: what a delegate assembly declares and whom it suspends,
 * across nodes (docs/nodes.md, "Declarations and suspensions"; issue 17,
 * item 6).
 *
 * A declaration (docs/federation.md, "Declarations") is public and has no
 * effect: a delegate assembly's declaration reaches each of its member
 * assemblies on other nodes as a signed Create of a pnyx:Declaration, and
 * is recorded there, shown on the member's page; nothing else.
 *
 * A suspension takes effect at once on one node, by the delegate
 * assembly's decision about its own membership: the suspended member's
 * delegates hold no seat while it lasts and their votes on motions still
 * open are withdrawn. suspend_remote_member does the same for a member on
 * another node, here, in the deciding transaction; restore_remote_member
 * ends it. Each is told to the member's node as a signed Update of a
 * pnyx:Membership, which records it (its page shows the membership
 * suspended, and its delegates' votes are not sent while it lasts).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"
#include "banned.h"

#define DECLARATION "pnyx:Declaration"
#define MEMBERSHIP "pnyx:Membership"

/* ---- a declaration travels down ---- */

int nodes_declare_remote(struct store *s, int64_t body, const char *slug, int64_t motion,
			 int64_t about, const char *title, const char *text, int64_t now)
{
	char base[NODES_URL_SIZE], name[40], about_url[NODES_URL_SIZE + 40],
		self[NODES_URL_SIZE + 80];
	int rc = nodes_self_base(s, base);
	if (rc || store_replaying(s))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, remote_actor FROM node_relations WHERE"
				      " body_id = ? AND side = 'host' AND status = 'active'"
				      " ORDER BY id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, body);
	/* the actors first: nodes_enqueue writes while this reads */
	json_t *to = json_array();
	if (!to) {
		sqlite3_reset(st);
		return PX_E_NOMEM;
	}
	while (store_next(st, &rc))
		if (json_array_append_new(to, json_pack("[I,s]",
				(json_int_t)sqlite3_column_int64(st, 0),
				(const char *)sqlite3_column_text(st, 1)))) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	snprintf(about_url, sizeof about_url, "%s/motion.html?id=%" PRId64, base, about);
	snprintf(self, sizeof self, "%s/bodies/%s", base, slug);
	size_t i;
	json_t *pair;
	json_array_foreach(to, i, pair) {
		if (rc)
			break;
		snprintf(name, sizeof name, "declaration-%" PRId64 "-%" PRId64, motion,
			 (int64_t)json_integer_value(json_array_get(pair, 0)));
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", DECLARATION,
				      "name", title ? title : "", "content", text ? text : "",
				      "about", about_url, "attributedTo", self);
		rc = o ? nodes_enqueue(s, "Create", slug,
				       json_string_value(json_array_get(pair, 1)), o, name,
				       motion, title, now) : PX_E_NOMEM;
	}
	json_decref(to);
	return rc;
}

/* ---- a suspension, decided here ---- */

/* The membership rel of an assembly on another node in body: its actor
 * (room for NODES_URL_SIZE * 2), and whether it is suspended now. */
static int member_rel(struct store *s, int64_t body, int64_t rel, char *actor, int *suspended,
		      struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT remote_actor, status, suspended_by IS NOT NULL"
				      " FROM node_relations WHERE id = ? AND body_id = ? AND"
				      " side = 'host'");
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
	*suspended = sqlite3_column_int(st, 2);
	snprintf(actor, NODES_URL_SIZE * 2, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return active ? 0 : px_fail(err, PX_E_CONFLICT, "params.member", "%s is not a member"
				    " of this assembly now", actor);
}

/* The one check of both kinds: rel is an active member of body whose
 * suspension is not already what the motion wants (suspend: suspended). */
static int status_check(struct store *s, int64_t body, int64_t rel, int suspend, char *actor,
			struct px_error *err)
{
	int suspended = 0;
	int rc = member_rel(s, body, rel, actor, &suspended, err);
	if (rc || suspended != suspend)
		return rc;
	return suspend ? px_fail(err, PX_E_CONFLICT, "params.member", "%s is suspended already",
				 actor)
		       : px_fail(err, PX_E_CONFLICT, "params.member", "%s is not suspended", actor);
}

int nodes_check_remote_status(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	char actor[NODES_URL_SIZE * 2];
	(void)canon;
	return status_check(s, body_id, kind_num(a, "member"),
			    !strcmp(a->kind->name, "suspend_remote_member"), actor, err);
}

/* Set or clear the suspension of relation rel (by: what suspends it, NULL
 * to restore); on suspending, withdraw the votes its delegates cast on
 * motions still open (*withdrawn: how many). */
static int set_suspended(struct store *s, int64_t rel, const char *by, int64_t at,
			 int64_t *withdrawn)
{
	*withdrawn = 0;
	sqlite3_stmt *st = store_stmt(s, "UPDATE node_relations SET suspended_by = ?,"
				      " changed_at = ? WHERE id = ?");
	if (!st)
		return PX_E_INTERNAL;
	if (by)
		sqlite3_bind_text(st, 1, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, rel);
	int rc = store_run(st);
	/* its acceptances leave the count while it lasts, and come back */
	if (!rc)
		rc = nodes_relation_counts(s, rel, by ? -1 : 1, at, by ? by : "restore");
	if (rc || !by)
		return rc;
	st = store_stmt(s, "DELETE FROM node_votes WHERE credential_id IN (SELECT id FROM"
			" node_credentials WHERE relation_id = ? AND recalled_at IS NULL) AND"
			" motion_id IN (SELECT id FROM motions WHERE status = 'voting')"
			" RETURNING 1");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, rel);
	while (store_next(st, &rc))
		++*withdrawn;
	return rc;
}

static int apply_status(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err, int suspend)
{
	char actor[NODES_URL_SIZE * 2], name[40], base[NODES_URL_SIZE];
	int64_t rel = json_integer_value(json_object_get(m->params, "member")), withdrawn = 0;
	int rc = status_check(s, m->body_id, rel, suspend, actor, err);
	if (!rc)
		rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	snprintf(name, sizeof name, "%s-%" PRId64, suspend ? "suspend" : "restore",
		 m->motion_id);
	if ((rc = set_suspended(s, rel, suspend ? name : NULL, m->now, &withdrawn)))
		return rc;
	char group[NODES_URL_SIZE + 80];
	snprintf(group, sizeof group, "%s/bodies/%s", base, m->body_slug);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "type", MEMBERSHIP, "member", actor,
			      "status", suspend ? "suspended" : "active", "group", group);
	rc = o ? nodes_enqueue(s, "Update", m->body_slug, actor, o, name, m->motion_id,
			       m->title, m->now) : PX_E_NOMEM;
	if (rc == PX_E_CONFLICT)
		return px_fail(err, rc, NULL, "this node does not know its own address yet"
			       " (pnyx serve records it)");
	if (!rc && (json_object_set_new(j, suspend ? "suspended" : "restored",
					json_string(actor)) ||
		    json_object_set_new(j, "relation", json_integer(rel)) ||
		    (suspend && json_object_set_new(j, "votes_withdrawn",
						    json_integer(withdrawn)))))
		rc = PX_E_NOMEM;
	return rc;
}

int nodes_apply_suspend_remote(struct store *s, const struct motion_effect *m, json_t *j,
			       struct px_error *err)
{
	return apply_status(s, m, j, err, 1);
}

int nodes_apply_restore_remote(struct store *s, const struct motion_effect *m, json_t *j,
			       struct px_error *err)
{
	return apply_status(s, m, j, err, 0);
}

int nodes_still_suspended(struct store *s, const struct motion_effect *m, int64_t rel,
			  const char *actor, int *still)
{
	char base[NODES_URL_SIZE], group[NODES_URL_SIZE + 80], name[48];
	*still = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT suspended_by IS NOT NULL FROM node_relations"
				      " WHERE body_id = ? AND remote_actor = ? AND side = 'host'"
				      " AND status = 'ended' AND id <> ? ORDER BY id DESC LIMIT 1");
	if (st) {
		sqlite3_bind_int64(st, 1, m->body_id);
		sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, rel);
	}
	int64_t was = 0;
	int rc = store_int64(st, &was, NULL);
	if (rc || !was)
		return rc;
	*still = 1;
	snprintf(name, sizeof name, "suspend-%" PRId64, m->motion_id);
	int64_t withdrawn = 0;
	if ((rc = set_suspended(s, rel, name, m->now, &withdrawn)) ||
	    (rc = nodes_self_base(s, base)))
		return rc;
	snprintf(group, sizeof group, "%s/bodies/%s", base, m->body_slug);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "type", MEMBERSHIP, "member", actor,
			      "status", "suspended", "group", group);
	return o ? nodes_enqueue(s, "Update", m->body_slug, actor, o, name, m->motion_id,
				 m->title, m->now) : PX_E_NOMEM;
}

/* ---- the member's node: the inbox ---- */

int nodes_is_notice(const json_t *act)
{
	const char *type = json_string_value(json_object_get(act, "type"));
	const char *otype = json_string_value(json_object_get(json_object_get(act, "object"),
							      "type"));
	return type && otype && ((!strcmp(type, "Create") && !strcmp(otype, DECLARATION)) ||
				 (!strcmp(type, "Update") && !strcmp(otype, MEMBERSHIP)));
}

static int text_ok(const json_t *v, size_t lo, size_t hi)
{
	size_t n = json_string_length(v);
	return json_is_string(v) && n >= lo && n <= hi;
}

int nodes_notice_check(struct store *s, const struct nodes_msg *m, json_t *eff)
{
	const char *type = json_string_value(json_object_get(m->act, "type"));
	const json_t *o = json_object_get(m->act, "object");
	const char *to = json_string_value(json_array_get(json_object_get(m->act, "to"), 0));
	char self[NODES_URL_SIZE + 80], origin[NODES_ORIGIN_SIZE];
	int declaration = !strcmp(type, "Create");
	snprintf(self, sizeof self, "%s/bodies/%s", m->base, m->slug);
	if (declaration) {
		const char *about = json_string_value(json_object_get(o, "about"));
		if (!text_ok(json_object_get(o, "name"), 1, 300) ||
		    !text_ok(json_object_get(o, "content"), 1, 100000))
			return px_fail(m->err, PX_E_BAD_INPUT, "object", "a declaration has a"
				       " name and a text");
		if (!about || nodes_origin(about, origin) || strcmp(origin, m->origin))
			return px_fail(m->err, PX_E_FOREIGN_EFFECT, "object", "a declaration is"
				       " about a decision of the declaring node");
		if (!to || strcmp(to, self))
			return px_fail(m->err, PX_E_BAD_INPUT, "to", "this is the inbox of '%s'",
				       m->slug);
	} else {
		const char *member = json_string_value(json_object_get(o, "member"));
		const char *status = json_string_value(json_object_get(o, "status"));
		const char *group = json_string_value(json_object_get(o, "group"));
		if (!member || nodes_origin(member, origin) || nodes_origin(m->base, self) ||
		    strcmp(origin, self))
			return px_fail(m->err, PX_E_FOREIGN_EFFECT, "object", "a membership's"
				       " news names an assembly of this node");
		snprintf(self, sizeof self, "%s/bodies/%s", m->base, m->slug);
		if (strcmp(member, self))
			return px_fail(m->err, PX_E_BAD_INPUT, "object", "this is the inbox of"
				       " '%s'", m->slug);
		if (!group || strcmp(group, m->actor))
			return px_fail(m->err, PX_E_FOREIGN_EFFECT, "object", "a delegate"
				       " assembly speaks of its own members only");
		if (!status || (strcmp(status, "suspended") && strcmp(status, "active")))
			return px_fail(m->err, PX_E_BAD_INPUT, "object", "a membership is"
				       " suspended or active");
		if (json_object_set_new(eff, "membership", json_string(status)))
			return PX_E_NOMEM;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT r.id FROM node_relations r JOIN bodies b ON"
				      " b.id = r.body_id WHERE b.slug = ? AND r.remote_actor = ?"
				      " AND r.side = 'member' AND r.status = 'active'");
	if (st) {
		sqlite3_bind_text(st, 1, m->slug, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, m->actor, -1, SQLITE_TRANSIENT);
	}
	int64_t rel = 0;
	int rc = store_int64(st, &rel, NULL);
	if (rc)
		return rc;
	if (!rel)
		return px_fail(m->err, PX_E_CONFLICT, "actor", "'%s' is no member of %s",
			       m->slug, m->actor);
	return json_object_set_new(eff, "relation", json_integer(rel)) ||
	       json_object_set_new(eff, "notice", json_string(declaration ? "declaration"
							      : "membership"))
		? PX_E_NOMEM : 0;
}

int nodes_notice_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		       struct px_error *err)
{
	const char *id = json_string_value(json_object_get(act, "id"));
	const json_t *o = json_object_get(act, "object");
	int64_t rel = json_integer_value(json_object_get(eff, "relation"));
	const char *status = json_string_value(json_object_get(eff, "membership"));
	sqlite3_stmt *st;
	if (!status) {
		const char *decision = json_string_value(json_object_get(
			json_object_get(act, "pnyx:decision"), "url"));
		st = store_stmt(s, "INSERT INTO node_declarations(relation_id, activity_id,"
				" title, text, about, decision, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, rel);
		sqlite3_bind_text(st, 2, id ? id : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(o, "name")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, json_string_value(json_object_get(o, "content")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, json_string_value(json_object_get(o, "about")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, decision ? decision : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 7, at);
		return store_run(st);
	}
	st = store_stmt(s, "UPDATE node_relations SET suspended_by = ?, changed_at = ?"
			" WHERE id = ? AND side = 'member' AND status = 'active' RETURNING id");
	if (!st)
		return PX_E_INTERNAL;
	if (!strcmp(status, "suspended"))
		sqlite3_bind_text(st, 1, id ? id : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, rel);
	int64_t done = 0;
	int found = 0;
	int rc = store_int64(st, &done, &found);
	if (!rc && !found)
		rc = px_fail(err, PX_E_CONFLICT, "object", "relation %" PRId64 " is not an active"
			     " membership", rel);
	return rc;
}

/* ---- readers ---- */

int nodes_declarations_of(struct store *s, int64_t rel, json_t *o)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT id, title, text, about, decision, at FROM"
				      " node_declarations WHERE relation_id = ? ORDER BY id DESC");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, rel);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *d = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"text", (const char *)sqlite3_column_text(st, 2),
			"about", (const char *)sqlite3_column_text(st, 3),
			"decision", (const char *)sqlite3_column_text(st, 4),
			"at", (json_int_t)sqlite3_column_int64(st, 5));
		if (!d || json_array_append_new(list, d)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (!rc && json_object_set_new(o, "declarations", list))
		return PX_E_NOMEM;
	if (rc)
		json_decref(list);
	return rc;
}
