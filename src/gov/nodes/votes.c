/*
 * votes.c: delegates of member assemblies on other nodes voting in a
 * delegate assembly here (nodes.h, docs/nodes.md, "Delegates from other
 * nodes vote").
 *
 * A delegate has an account on their own node only. There, signed in,
 * they cast a position on a motion of the delegate assembly elsewhere
 * (nodes_remote_vote): their node checks that they hold a seat by their
 * assembly's decision, not recalled, and sends the vote as an activity
 * (a Create of a pnyx:Vote) naming the credential it is cast under,
 * signed by the node. The delegate assembly's node takes it only under a
 * credential it holds and that was not recalled, for an open vote by
 * position on an open ballot (vote_remote_seat_check), and counts it with
 * the weight of that seat (federation.c). A recall, effective on arrival,
 * ends the seat and withdraws its votes still open at once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"
#include "banned.h"

#define MOTIONS_PATH "/api/v1/motions/"

struct cast {
	const struct gov_ctx *ctx;
	const char *slug, *actor, *position;
	int64_t motion;
	json_t **out;
	struct px_error *err;
};

static int cast_tx(struct store *s, void *arg)
{
	struct cast *c = arg;
	int64_t body = 0, rel = 0, cred = 0, elected = 0;
	char name[64] = "", base[NODES_URL_SIZE], origin[NODES_ORIGIN_SIZE];
	json_decref(*c->out); /* store_tx may run this again */
	*c->out = NULL;
	/* a member of the assembly, first; then one of its delegates there */
	int rc = gov_require_active_member(c->ctx, c->slug, &body, c->err);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if (!c->actor || nodes_origin(c->actor, origin))
		return px_fail(c->err, PX_E_BAD_INPUT, "actor", "the address of the delegate"
			       " assembly on its node, as https://NODE/bodies/NAME");
	st = store_stmt(s, "SELECT id FROM node_relations WHERE body_id = ? AND"
			" remote_actor = ? AND side = 'member' AND status = 'active'");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, c->actor, -1, SQLITE_TRANSIENT);
	}
	if ((rc = store_int64(st, &rel, NULL)))
		return rc;
	if (!rel)
		return px_fail(c->err, PX_E_CONFLICT, "actor", "'%s' is no member of that"
			       " assembly", c->slug);
	/* suspended there, by that assembly's decision: its seats are empty */
	int suspended = 0;
	st = store_stmt(s, "SELECT 1 FROM node_relations WHERE id = ? AND"
			" suspended_by IS NOT NULL");
	if (st)
		sqlite3_bind_int64(st, 1, rel);
	if ((rc = store_exists(st, &suspended)))
		return rc;
	if (suspended)
		return px_fail(c->err, PX_E_CONFLICT, "actor", "'%s' is suspended in that"
			       " assembly, by its decision: its delegates hold no seat while it"
			       " lasts", c->slug);
	st = store_stmt(s, "SELECT id, credential_id, motion_id FROM node_credentials WHERE"
			" relation_id = ? AND delegate = ? AND recalled_at IS NULL");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_text(st, 2, c->ctx->handle, -1, SQLITE_TRANSIENT);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		cred = sqlite3_column_int64(st, 0);
		snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(st, 1));
		elected = sqlite3_column_int64(st, 2);
		sqlite3_reset(st);
	}
	if (!cred)
		return px_fail(c->err, PX_E_FORBIDDEN, NULL, "only a delegate '%s' elected to"
			       " that assembly, and not recalled, votes there for it", c->slug);
	if ((rc = nodes_self_base(s, base)))
		return rc;
	/* each cast is a new activity: a delegate may change their vote
	 * while it is open, and the last one to arrive counts */
	int64_t sent = 0;
	char prefix[NODES_URL_SIZE + 80];
	snprintf(prefix, sizeof prefix, "%s/activities/vote-%" PRId64 "-%" PRId64 "-%%", base,
		 cred, c->motion);
	st = store_stmt(s, "SELECT count(*) FROM node_outbox WHERE activity_id LIKE ?");
	if (st)
		sqlite3_bind_text(st, 1, prefix, -1, SQLITE_TRANSIENT);
	if ((rc = store_int64(st, &sent, NULL)))
		return rc;
	char act[96], motion_url[NODES_ORIGIN_SIZE + 64], voter[NODES_URL_SIZE + 80],
		credential[NODES_URL_SIZE + 80];
	snprintf(act, sizeof act, "vote-%" PRId64 "-%" PRId64 "-%" PRId64, cred, c->motion,
		 sent + 1);
	snprintf(motion_url, sizeof motion_url, "%s" MOTIONS_PATH "%" PRId64, origin, c->motion);
	snprintf(voter, sizeof voter, "%s/people/%s", base, c->ctx->handle);
	snprintf(credential, sizeof credential, "%s/activities/%s", base, name);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "pnyx:Vote",
			      "motion", motion_url, "position", c->position, "voter", voter,
			      "credential", credential);
	if (!o)
		return PX_E_NOMEM;
	rc = nodes_enqueue(s, "Create", c->slug, c->actor, o, act, elected, "", c->ctx->now);
	if (rc == PX_E_CONFLICT)
		return px_fail(c->err, rc, NULL, "this node does not know its own address yet"
			       " (pnyx serve records it)");
	if (!rc) {
		*c->out = json_pack("{s:s, s:s, s:I, s:s}", "queued", act, "to", c->actor,
				    "motion", (json_int_t)c->motion, "position", c->position);
		if (!*c->out)
			rc = PX_E_NOMEM;
	}
	return rc;
}

int nodes_remote_vote(const struct gov_ctx *ctx, const char *slug, const char *actor,
		      int64_t motion, const char *position, json_t **out,
		      struct px_error *err)
{
	*out = NULL;
	if (!ctx->account_id)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	struct cast c = { ctx, slug, actor, position, motion, out, err };
	int rc = store_tx(ctx->db, cast_tx, &c);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- the delegate assembly's node ---- */

int nodes_vote_check(struct store *s, const struct nodes_msg *m, int64_t now, json_t *eff)
{
	const json_t *o = json_object_get(m->act, "object");
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *motion = json_string_value(json_object_get(o, "motion"));
	const char *voter = json_string_value(json_object_get(o, "voter"));
	const char *credential = json_string_value(json_object_get(o, "credential"));
	const char *position = json_string_value(json_object_get(o, "position"));
	if (!type || strcmp(type, "pnyx:Vote") || !motion || !voter || !credential ||
	    !position)
		return px_fail(m->err, PX_E_BAD_INPUT, "object", "this node takes a Create of a"
			       " pnyx:Vote only, naming the motion, the position, the voter and"
			       " the credential");
	int64_t body = 0, rel = 0, cred = 0, id = 0, round = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.id, r.id FROM bodies b JOIN node_relations r"
				      " ON r.body_id = b.id WHERE b.slug = ? AND"
				      " r.remote_actor = ? AND r.side = 'host' AND"
				      " r.status = 'active' AND r.suspended_by IS NULL");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, m->slug, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, m->actor, -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (row) {
		body = sqlite3_column_int64(st, 0);
		rel = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	if (!rel)
		return px_fail(m->err, PX_E_CONFLICT, "actor", "%s is no member of '%s', or its"
			       " participation is suspended", m->actor, m->slug);
	st = store_stmt(s, "SELECT id FROM node_credentials WHERE relation_id = ? AND"
			" credential_id = ? AND delegate = ? AND recalled_at IS NULL");
	if (st) {
		sqlite3_bind_int64(st, 1, rel);
		sqlite3_bind_text(st, 2, credential, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, voter, -1, SQLITE_TRANSIENT);
	}
	if ((rc = store_int64(st, &cred, NULL)))
		return rc;
	if (!cred)
		return px_fail(m->err, PX_E_FORBIDDEN, "object", "%s holds no seat of %s here"
			       " (never credited, or recalled)", voter, m->actor);
	size_t b = strlen(m->base), p = strlen(MOTIONS_PATH);
	char *end = NULL;
	if (strncmp(motion, m->base, b) || strncmp(motion + b, MOTIONS_PATH, p) ||
	    (id = strtoll(motion + b + p, &end, 10)) < 1 || !end || *end)
		return px_fail(m->err, PX_E_FOREIGN_EFFECT, "object", "a vote here is on a"
			       " motion of this node");
	if ((rc = vote_remote_seat_check(s, id, body, position, now, &round, m->err)))
		return rc;
	if (json_object_set_new(eff, "credential", json_integer(cred)) ||
	    json_object_set_new(eff, "motion", json_integer(id)) ||
	    json_object_set_new(eff, "round", json_integer(round)))
		return PX_E_NOMEM;
	return 0;
}

int nodes_vote_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		     struct px_error *err)
{
	const char *position = json_string_value(json_object_get(
		json_object_get(act, "object"), "position"));
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_votes(motion_id, round,"
		" credential_id, position, activity_id, at) SELECT ?1, ?2, c.id, ?4, ?5, ?6"
		" FROM node_credentials c WHERE c.id = ?3 AND c.recalled_at IS NULL"
		" ON CONFLICT (motion_id, round, credential_id) DO UPDATE SET"
		" position = excluded.position, activity_id = excluded.activity_id,"
		" at = excluded.at RETURNING credential_id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(eff, "motion")));
	sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(eff, "round")));
	sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(eff, "credential")));
	sqlite3_bind_text(st, 4, position ? position : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, json_string_value(json_object_get(act, "id")), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, at);
	int64_t done = 0;
	int found = 0;
	int rc = store_int64(st, &done, &found);
	if (!rc && !found)
		rc = px_fail(err, PX_E_FORBIDDEN, "object", "the credential was recalled");
	return rc;
}

int nodes_votes_withdraw(struct store *s, int64_t credential)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM node_votes WHERE credential_id = ? AND"
				      " motion_id IN (SELECT id FROM motions WHERE"
				      " status = 'voting')");
	if (st)
		sqlite3_bind_int64(st, 1, credential);
	return store_run(st);
}

int nodes_motion_votes(struct store *s, int64_t motion, int64_t round, json_t **out)
{
	json_t *list = json_array();
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT c.delegate, r.remote_actor, v.position, v.at"
		" FROM node_votes v JOIN node_credentials c ON c.id = v.credential_id"
		" JOIN node_relations r ON r.id = c.relation_id WHERE v.motion_id = ? AND"
		" v.round = ? ORDER BY v.at, c.id");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *v = json_pack("{s:s, s:s, s:s, s:I}",
			"delegate", (const char *)sqlite3_column_text(st, 0),
			"assembly", (const char *)sqlite3_column_text(st, 1),
			"position", (const char *)sqlite3_column_text(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3));
		if (!v || json_array_append_new(list, v)) {
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
