/*
 * nodes_kinds.c: the decisions that make trust between nodes (issue 17,
 * item 4; docs/nodes.md, "Trust is a decision"). Only these create a
 * relationship with an assembly on another node, and so with that node:
 * no operator's command does.
 *
 * join_remote_federation: an assembly here asks to join a delegate
 * assembly hosted on another node, named by its actor address. The
 * relationship is "requested" and the request (a Join, signed) is queued
 * for that node; the node's answer (Accept or Reject), a decision of that
 * delegate assembly, completes it.
 *
 * accept_remote_member / refuse_remote_member: a delegate assembly here
 * answers a request that arrived from another node (listed on its page)
 * by its own decision; the answer is queued for the requesting node.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "gov/assembly/assembly.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"
#include "banned.h"

static const char *pstr(const json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

/* The actor address of a delegate assembly on another node. */
static int remote_actor_check(struct store *s, int64_t body, const char *actor,
			      struct px_error *err)
{
	char origin[NODES_ORIGIN_SIZE], slug[GOV_SLUG_SIZE], base[NODES_URL_SIZE],
		self[NODES_ORIGIN_SIZE];
	if (nodes_origin(actor, origin) || nodes_actor_slug(actor, origin, slug))
		return px_fail(err, PX_E_BAD_INPUT, "params.actor", "the address of an assembly"
			       " on another node, as https://NODE/bodies/NAME");
	int rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	if (*base && !nodes_origin(base, self) && !strcmp(self, origin))
		return px_fail(err, PX_E_BAD_INPUT, "params.actor", "this is an assembly of"
			       " this node: join it by a decision to join a delegate assembly");
	int64_t id = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM node_relations WHERE body_id = ? AND"
				      " remote_actor = ? AND side = 'member' AND status IN"
				      " ('requested', 'active')");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
	}
	if ((rc = store_int64(st, &id, NULL)))
		return rc;
	if (id)
		return px_fail(err, PX_E_CONFLICT, "params.actor", "this assembly already asked"
			       " to join it, or belongs to it");
	return 0;
}

static int check_join_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err)
{
	(void)canon;
	return remote_actor_check(s, body_id, kind_text(a, "actor"), err);
}

static int apply_join_remote(struct store *s, const struct motion_effect *m, json_t *j,
			     struct px_error *err)
{
	const char *actor = pstr(m->params, "actor");
	char name[40];
	int64_t id = 0;
	int rc = remote_actor_check(s, m->body_id, actor, err);
	if (rc)
		return rc;
	snprintf(name, sizeof name, "join-%" PRId64, m->motion_id);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_relations(body_id, remote_actor,"
				      " side, status, request_id, motion_id, since, changed_at)"
				      " VALUES (?, ?, 'member', 'requested', ?, ?, ?, ?)"
				      " RETURNING id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, m->motion_id);
	sqlite3_bind_int64(st, 5, m->now);
	sqlite3_bind_int64(st, 6, m->now);
	if ((rc = store_int64(st, &id, NULL)))
		return rc;
	rc = nodes_enqueue(s, "Join", m->body_slug, actor, json_string(actor), name,
			   m->motion_id, m->title, m->now);
	if (rc == PX_E_CONFLICT)
		return px_fail(err, rc, NULL, "this node does not know its own address yet"
			       " (pnyx serve records it)");
	if (!rc && (json_object_set_new(j, "requested", json_string(actor)) ||
		    json_object_set_new(j, "relation", json_integer(id))))
		rc = PX_E_NOMEM;
	return rc;
}

/* The request of that id before this delegate assembly: its remote actor
 * and request id (rooms of NODES_URL_SIZE * 2). */
static int offered(struct store *s, int64_t body, int64_t id, char *actor, char *request,
		   struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT remote_actor, request_id, status FROM"
				      " node_relations WHERE id = ? AND body_id = ? AND"
				      " side = 'host'");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, body);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.request", "no request %" PRId64
			       " from another node is before this assembly", id);
	int waiting = !strcmp((const char *)sqlite3_column_text(st, 2), "offered");
	snprintf(actor, NODES_URL_SIZE * 2, "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(request, NODES_URL_SIZE * 2, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return waiting ? 0 : px_fail(err, PX_E_CONFLICT, "params.request", "request %" PRId64
				     " was already answered", id);
}

static int check_answer(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	char actor[NODES_URL_SIZE * 2], request[NODES_URL_SIZE * 2];
	(void)canon;
	return offered(s, body_id, kind_num(a, "request"), actor, request, err);
}

static int answer(struct store *s, const struct motion_effect *m, json_t *j,
		  struct px_error *err, int accept)
{
	char actor[NODES_URL_SIZE * 2], request[NODES_URL_SIZE * 2], name[40];
	int64_t id = json_integer_value(json_object_get(m->params, "request"));
	int rc = offered(s, m->body_id, id, actor, request, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE node_relations SET status = ?, decided_by = ?,"
				      " changed_at = ? WHERE id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, accept ? "active" : "refused", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->motion_id);
	sqlite3_bind_int64(st, 3, m->now);
	sqlite3_bind_int64(st, 4, id);
	if ((rc = store_run(st)))
		return rc;
	snprintf(name, sizeof name, "%s-%" PRId64, accept ? "accept" : "reject", m->motion_id);
	rc = nodes_enqueue(s, accept ? "Accept" : "Reject", m->body_slug, actor,
			   json_string(request), name, m->motion_id, m->title, m->now);
	/* a new member is offered what the assembly offers its members now,
	 * after the acceptance, in the order it will read them */
	/* one that left while suspended comes back suspended, as on one node */
	int still = 0;
	if (!rc && accept)
		rc = nodes_still_suspended(s, m, id, actor, &still);
	if (!rc && accept)
		rc = nodes_offer_existing(s, m->body_id, id, m->now);
	if (!rc && still && json_object_set_new(j, "still_suspended", json_true()))
		rc = PX_E_NOMEM;
	if (rc == PX_E_CONFLICT)
		return px_fail(err, rc, NULL, "this node does not know its own address yet"
			       " (pnyx serve records it)");
	if (!rc && (json_object_set_new(j, accept ? "accepted" : "refused", json_string(actor)) ||
		    json_object_set_new(j, "relation", json_integer(id))))
		rc = PX_E_NOMEM;
	return rc;
}

static int apply_accept(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	return answer(s, m, j, err, 1);
}

static int apply_refuse(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	return answer(s, m, j, err, 0);
}

/* The active relation of this assembly with the delegate assembly at
 * actor (it asked to join, and was accepted there). */
static int member_of(struct store *s, int64_t body, const char *actor, int64_t *rel,
		     struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM node_relations WHERE body_id = ? AND"
				      " remote_actor = ? AND side = 'member' AND status = 'active'");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, actor ? actor : "", -1, SQLITE_TRANSIENT);
	}
	int rc = store_int64(st, rel, NULL);
	if (!rc && !*rel)
		rc = px_fail(err, PX_E_CONFLICT, "params.actor", "this assembly is no member of"
			     " that assembly on another node (it asks by a decision to join, and"
			     " that assembly accepts by its own)");
	return rc;
}

/* The current credential of handle for relation rel: its id (0: none)
 * and its name under /activities/. */
static int current_credential(struct store *s, int64_t rel, const char *handle, int64_t *id,
			      char name[64])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, credential_id FROM node_credentials WHERE"
				      " relation_id = ? AND delegate = ? AND recalled_at IS NULL");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_text(st, 2, handle, -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	*id = 0;
	if (!rc && row) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(name, 64, "%s", (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
	}
	return rc;
}

static int elect_check(struct store *s, int64_t body, const char *actor, const char *handle,
		       int64_t *rel, struct px_error *err)
{
	int64_t account = 0, cred = 0;
	char name[64];
	int rc = member_of(s, body, actor, rel, err);
	if (!rc)
		rc = member_by_handle(s, body, handle, "active", "params.delegate", &account, err);
	if (!rc && !(rc = current_credential(s, *rel, handle, &cred, name)) && cred)
		rc = px_fail(err, PX_E_CONFLICT, "params.delegate", "%s already holds a seat"
			     " there", handle);
	return rc;
}

static int check_elect_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err)
{
	int64_t rel = 0;
	(void)canon;
	return elect_check(s, body_id, kind_text(a, "actor"), kind_text(a, "delegate"), &rel, err);
}

static int apply_elect_remote(struct store *s, const struct motion_effect *m, json_t *j,
			      struct px_error *err)
{
	const char *actor = pstr(m->params, "actor"), *handle = pstr(m->params, "delegate");
	const char *mandate = pstr(m->params, "mandate");
	char name[40], base[NODES_URL_SIZE], person[NODES_URL_SIZE + 80],
		by[NODES_URL_SIZE + 40];
	int64_t rel = 0, id = 0;
	int rc = elect_check(s, m->body_id, actor, handle, &rel, err);
	if (!rc)
		rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	snprintf(name, sizeof name, "credential-%" PRId64, m->motion_id);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_credentials(relation_id, delegate,"
				      " mandate, motion_id, credential_id, since) VALUES"
				      " (?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_text(st, 2, handle, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, mandate ? mandate : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, m->motion_id);
	sqlite3_bind_text(st, 5, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, m->now);
	if ((rc = store_int64(st, &id, NULL)))
		return rc;
	snprintf(person, sizeof person, "%s/people/%s", base, handle);
	snprintf(by, sizeof by, "%s/motion.html?id=%" PRId64, base, m->motion_id);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "type", "pnyx:Credential",
			      "delegate", person, "mandate", mandate ? mandate : "",
			      "electedBy", by);
	rc = nodes_enqueue(s, "Add", m->body_slug, actor, o, name, m->motion_id, m->title,
			   m->now);
	if (rc == PX_E_CONFLICT)
		return px_fail(err, rc, NULL, "this node does not know its own address yet"
			       " (pnyx serve records it)");
	if (!rc && (json_object_set_new(j, "delegate", json_string(handle)) ||
		    json_object_set_new(j, "credential", json_integer(id))))
		rc = PX_E_NOMEM;
	return rc;
}

static int recall_check(struct store *s, int64_t body, const char *actor, const char *handle,
			int64_t *cred, char name[64], struct px_error *err)
{
	int64_t rel = 0;
	int rc = member_of(s, body, actor, &rel, err);
	if (!rc && !(rc = current_credential(s, rel, handle ? handle : "", cred, name)) &&
	    !*cred)
		rc = px_fail(err, PX_E_CONFLICT, "params.delegate", "%s holds no seat there",
			     handle ? handle : "");
	return rc;
}

static int check_recall_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			       json_t *canon, struct px_error *err)
{
	int64_t cred = 0;
	char name[64];
	(void)canon;
	return recall_check(s, body_id, kind_text(a, "actor"), kind_text(a, "delegate"), &cred,
			    name, err);
}

static int apply_recall_remote(struct store *s, const struct motion_effect *m, json_t *j,
			       struct px_error *err)
{
	const char *actor = pstr(m->params, "actor"), *handle = pstr(m->params, "delegate");
	char name[64], recall[40], base[NODES_URL_SIZE], object[NODES_URL_SIZE + 80];
	int64_t cred = 0;
	int rc = recall_check(s, m->body_id, actor, handle, &cred, name, err);
	if (!rc)
		rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	snprintf(recall, sizeof recall, "recall-%" PRId64, m->motion_id);
	sqlite3_stmt *st = store_stmt(s, "UPDATE node_credentials SET recalled_by = ?,"
				      " recalled_at = ? WHERE id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, recall, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, cred);
	if ((rc = store_run(st)))
		return rc;
	snprintf(object, sizeof object, "%s/activities/%s", base, name);
	rc = nodes_enqueue(s, "Remove", m->body_slug, actor, json_string(object), recall,
			   m->motion_id, m->title, m->now);
	if (rc == PX_E_CONFLICT)
		return px_fail(err, rc, NULL, "this node does not know its own address yet"
			       " (pnyx serve records it)");
	if (!rc && (json_object_set_new(j, "recalled", json_string(handle)) ||
		    json_object_set_new(j, "credential", json_integer(cred))))
		rc = PX_E_NOMEM;
	return rc;
}

static const struct kind_param member_params[] = {
	{ .name = "member", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT64_MAX / 2,
	  .label = N_("The member assembly from another node (its number here)"),
	  .help = N_("One of this assembly's members on another node, listed on this"
		  " assembly's page.") },
	{ .name = NULL },
};

static const struct kind_param elect_params[] = {
	{ .name = "actor", .type = KP_TEXT, .required = 1, .min = 12, .max = 500,
	  .label = N_("The delegate assembly's address on its node"),
	  .help = N_("One this assembly is a member of, on another node.") },
	{ .name = "delegate", .type = KP_MEMBER, .required = 1, .min = 1, .max = 32,
	  .label = N_("The delegate") },
	{ .name = "mandate", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("The mandate") },
	{ .name = NULL },
};

static const struct kind_param recall_params[] = {
	{ .name = "actor", .type = KP_TEXT, .required = 1, .min = 12, .max = 500,
	  .label = N_("The delegate assembly's address on its node") },
	{ .name = "delegate", .type = KP_HANDLE, .required = 1, .min = 1, .max = 32,
	  .label = N_("The delegate recalled") },
	{ .name = NULL },
};

static const struct kind_param join_params[] = {
	{ .name = "actor", .type = KP_TEXT, .required = 1, .min = 12, .max = 500,
	  .label = N_("The delegate assembly's address on its node"),
	  .help = N_("As https://NODE/bodies/NAME: the address another node gives for it.") },
	{ .name = NULL },
};

static const struct kind_param request_params[] = {
	{ .name = "request", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT64_MAX / 2,
	  .label = N_("The request (its number)"),
	  .help = N_("A request to join that came from another node, listed on this assembly's"
		  " page.") },
	{ .name = NULL },
};

static const char *const answers[] = {
	"accept", N_("Accept"), "reject", N_("Reject"), "amend", N_("Amend: send a counter-text back up"),
	NULL };

static const struct kind_param answer_params[] = {
	{ .name = "offer", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT64_MAX / 2,
	  .label = N_("The proposal from another node (its number here)"),
	  .help = N_("One offered to this assembly by a delegate assembly on another node,"
		  " listed on this assembly's page.") },
	{ .name = "answer", .type = KP_CHOICE, .required = 1, .choices = answers,
	  .label = N_("The answer") },
	{ .name = "counter_text", .type = KP_MARKDOWN, .max = 100000,
	  .label = N_("Counter-text (for an amendment)"),
	  .help = N_("Needed with the answer amend, and only then.") },
	{ .name = "reasons", .type = KP_MARKDOWN, .max = 20000, .label = N_("Reasons") },
	{ .name = NULL },
};

#define ASSEMBLY (KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_COMMITTEE)
#define DELEGATE (KIND_BY_DELEGATE | KIND_BY_COMMITTEE)

const struct motion_kind nodes_kinds[] = {
	{ .name = "join_remote_federation", .label = N_("Join a delegate assembly on another node"),
	  .summary = N_("ask to join a delegate assembly hosted on another pnyx node; it becomes"
		     " a member when that assembly accepts by its own decision"),
	  .check = check_join_remote, .apply = apply_join_remote, .decided_by = ASSEMBLY,
	  .params = join_params },
	{ .name = "accept_remote_member",
	  .label = N_("Accept an assembly from another node as a member"),
	  .summary = N_("accept the request of an assembly on another node to join this"
		     " delegate assembly"),
	  .check = check_answer, .apply = apply_accept, .decided_by = DELEGATE,
	  .params = request_params },
	{ .name = "refuse_remote_member",
	  .label = N_("Refuse an assembly from another node"),
	  .summary = N_("refuse the request of an assembly on another node to join this"
		     " delegate assembly"),
	  .check = check_answer, .apply = apply_refuse, .decided_by = DELEGATE,
	  .params = request_params },
	{ .name = "elect_remote_delegate",
	  .label = N_("Elect a delegate to a delegate assembly on another node"),
	  .summary = N_("elect a delegate, with a mandate, to a delegate assembly on another"
		     " node that this assembly is a member of; a signed credential is sent"),
	  .check = check_elect_remote, .apply = apply_elect_remote, .decided_by = ASSEMBLY,
	  .params = elect_params },
	{ .name = "recall_remote_delegate",
	  .label = N_("Recall a delegate from a delegate assembly on another node (at once)"),
	  .summary = N_("recall a delegate from a delegate assembly on another node: effective"
		     " there as soon as it arrives"),
	  .check = check_recall_remote, .apply = apply_recall_remote, .decided_by = ASSEMBLY,
	  .params = recall_params },
	{ .name = "leave_remote_federation",
	  .label = N_("Leave a delegate assembly on another node"),
	  .summary = N_("leave a delegate assembly hosted on another node: at once, here and"
		     " there as soon as it arrives; the delegates' seats end"),
	  .check = nodes_check_leave_remote, .apply = nodes_apply_leave_remote,
	  .decided_by = ASSEMBLY, .params = join_params },
	{ .name = "remove_remote_member",
	  .label = N_("End the membership of an assembly from another node"),
	  .summary = N_("end the membership of a member assembly on another node (one whose"
		     " node is gone, or whose departure never arrived): its delegates' seats"
		     " end and its node is told"),
	  .check = nodes_check_remove_remote, .apply = nodes_apply_remove_remote,
	  .decided_by = DELEGATE, .params = member_params },
	{ .name = "suspend_remote_member",
	  .label = N_("Suspend the participation of a member assembly from another node"),
	  .summary = N_("suspend a member assembly on another node: at once, its delegates'"
		     " seats are empty and their votes still open are withdrawn; its node is"
		     " told"),
	  .check = nodes_check_remote_status, .apply = nodes_apply_suspend_remote,
	  .decided_by = DELEGATE, .params = member_params },
	{ .name = "restore_remote_member",
	  .label = N_("Restore a suspended member assembly from another node"),
	  .summary = N_("restore the participation of a suspended member assembly on another"
		     " node; its node is told"),
	  .check = nodes_check_remote_status, .apply = nodes_apply_restore_remote,
	  .decided_by = DELEGATE, .params = member_params },
	{ .name = "answer_remote_proposal",
	  .label = N_("Answer a proposal from a delegate assembly on another node"),
	  .summary = N_("accept, reject or amend a proposal offered by a delegate assembly on"
		     " another node; the signed answer goes back, and an accepted proposal"
		     " enters this assembly's laws once its condition is met"),
	  .check = nodes_check_answer_remote, .apply = nodes_apply_answer_remote,
	  .decided_by = ASSEMBLY, .params = answer_params },
	{ .name = NULL },
};
