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
 * accepted too. The counts are kept running (proposal_count.c, on
 * fed_tree.c's closure): an answer updates its own path, and a version's
 * law is brought to every counting local assembly once, when its
 * condition becomes met; after that each decision brings only the
 * assemblies it made count (proposal_versions.met remembers which).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/ratify.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/federation/federation.h"
#include "gov/assembly/assembly.h"
#include "gov/federation/proposal_count.h"
#include "gov/nodes/nodes.h"
#include "gov/sharing/sharing.h"
#include "banned.h"


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


/* The latest answer of body to version: answer (room for 16), its
 * motion, or answer "" when none. */
int proposal_latest_answer(struct store *s, int64_t proposal, int64_t version,
			   int64_t body, char answer[16], int64_t *motion)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT answer, motion_id FROM proposal_answers"
		" WHERE proposal_id = ? AND version = ? AND body_id = ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body);
	answer[0] = '\0';
	*motion = 0;
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	snprintf(answer, 16, "%s", (const char *)sqlite3_column_text(st, 0));
	*motion = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
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

/* Every version of proposal, or only version when it is not 0. */
static int versions_load(struct store *s, int64_t proposal, int64_t version,
			 struct version_row **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT version, title, text, condition FROM"
		" proposal_versions WHERE proposal_id = ?1 AND (?2 = 0 OR version = ?2)"
		" ORDER BY version");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	int rc = 0;
	while (store_next(st, &rc)) {
		struct version_row *p = px_grow(*out, &cap, *n, sizeof(*p));
		if (!p) {
			rc = PX_E_NOMEM;
			break;
		}
		*out = p;
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

static int proposal_origin(struct store *s, int64_t proposal, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT body_id FROM proposals WHERE id = ?");
	sqlite3_bind_int64(st, 1, proposal);
	return store_int64(st, id, NULL);
}

/* The law of body that came from proposal (the latest such), if any. */
int proposal_law_of(struct store *s, int64_t body, int64_t proposal, int64_t *law,
		    int64_t *number, int *in_force, int64_t *from_version)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT l.id, l.number, l.status = 'in_force',"
		" (SELECT max(proposal_version) FROM law_versions v WHERE v.law_id = l.id)"
		" FROM laws l WHERE l.body_id = ? AND l.proposal_id = ? ORDER BY l.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, proposal);
	*law = 0;
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	*law = sqlite3_column_int64(st, 0);
	*number = sqlite3_column_int64(st, 1);
	*in_force = sqlite3_column_int(st, 2);
	*from_version = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	return 0;
}

static int link_version(struct store *s, int64_t body, int64_t number, int64_t version,
			int64_t proposal, int64_t pversion)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE laws SET proposal_id = ?1"
		" WHERE body_id = ?2 AND number = ?3");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, number);
	int rc = store_run(st);
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
	return store_run(st);
}

/* The version takes effect in local assembly body: enact, or amend a law
 * from an earlier version. */
static int take_effect(struct store *s, int64_t proposal, const struct version_row *v,
		       int64_t body, int64_t now, const char *actor, json_t *entered)
{
	int64_t number = 0, from = 0, lv = 1, motion, law = 0;
	int in_force = 0, row = 0, rc;
	char answer[16], slug[72] = "";
	sqlite3_stmt *st = store_stmt(s, "SELECT slug FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		snprintf(slug, sizeof(slug), "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	if ((rc = proposal_latest_answer(s, proposal, v->version, body, answer, &motion)) ||
	    (rc = proposal_law_of(s, body, proposal, &law, &number, &in_force, &from)))
		return rc;
	if (law && in_force) {
		if (from >= v->version)
			return 0;
		if ((rc = law_amend(s, body, number, v->title, v->text, motion, now, &lv, NULL)))
			return rc;
	} else if ((rc = law_enact(s, body, v->title, v->text, motion, now, &number))) {
		return rc;
	}
	if ((rc = link_version(s, body, number, lv, proposal, v->version)))
		return rc;
	json_t *p = json_pack("{s:I, s:I, s:I, s:I, s:I}", "proposal", (json_int_t)proposal,
			      "proposal_version", (json_int_t)v->version,
			      "law", (json_int_t)number, "version", (json_int_t)lv,
			      "accepted_by", (json_int_t)motion);
	/* a rationing policy the proposal carries applies in the good's own
	 * assembly, by this acceptance (src/gov/sharing/scarcity_fed.c) */
	if ((rc = sharing_proposal_effect(s, proposal, body, motion, now, p))) {
		json_decref(p);
		return rc;
	}
	rc = journal_append(s, now, actor, slug, "law.from_proposal", p, NULL);
	json_object_set_new(p, "body", json_string(slug));
	json_array_append_new(entered, p);
	return rc;
}

static int set_met(struct store *s, int64_t proposal, int64_t version, int met)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE proposal_versions SET met = ?"
				      " WHERE proposal_id = ? AND version = ?");
	sqlite3_bind_int(st, 1, met);
	sqlite3_bind_int64(st, 2, proposal);
	sqlite3_bind_int64(st, 3, version);
	return store_run(st);
}

static int was_met(struct store *s, int64_t proposal, int64_t version, int *met)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT met FROM proposal_versions"
				      " WHERE proposal_id = ? AND version = ?");
	sqlite3_bind_int64(st, 1, proposal);
	sqlite3_bind_int64(st, 2, version);
	int rc = store_int64(st, &v, NULL);
	*met = v != 0;
	return rc;
}

/* Count one version again after a decision that may have changed it.
 * When its condition has just become met, every counting local assembly
 * receives the law; when it was met already, only those that hint (the
 * assembly whose decision it was; 0 for none) made count. */
static int settle_version(struct store *s, int64_t proposal, int64_t origin,
			  const struct version_row *v, int64_t hint, int64_t now,
			  const char *actor, json_t *met, json_t *entered)
{
	struct ratify_result r;
	int rc = proposal_count_eval(s, proposal, v->version, origin, v->condition, &r, NULL);
	if (rc)
		return rc;
	/* a proposal relayed from a delegate assembly on another node: the
	 * condition is counted there, over the whole tree, and is met here
	 * when that node says so; what is counted here goes up as a report */
	int relayed = 0, told = 0;
	if ((rc = nodes_relay_state(s, proposal, v->version, &relayed, &told)))
		return rc;
	if (relayed) {
		r.met = told;
		if ((rc = nodes_relay_report(s, proposal, v->version, now)))
			return rc;
	}
	int before = 0;
	if ((rc = was_met(s, proposal, v->version, &before)))
		return rc;
	if (!r.met)
		return before ? set_met(s, proposal, v->version, 0) : 0;
	json_array_append_new(met, json_integer(v->version));
	/* the member assemblies on other nodes that accepted are told: the
	 * law enters their registers by their own acceptance, there */
	if ((rc = nodes_proposal_met(s, proposal, v->version, now)))
		return rc;
	int64_t from = before ? hint : origin, *ids = NULL;
	size_t n = 0;
	if (!before && (rc = set_met(s, proposal, v->version, 1)))
		return rc;
	if (from && (rc = proposal_count_locals(s, proposal, v->version, origin, from,
						&ids, &n)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		rc = take_effect(s, proposal, v, ids[i], now, actor, entered);
	free(ids);
	return rc;
}

/* Settle the given version (0: every version) of proposal. */
static int settle(struct store *s, int64_t proposal, int64_t version, int64_t hint,
		  int64_t now, const char *actor, json_t *effect)
{
	struct version_row *v = NULL;
	size_t nv = 0;
	json_t *entered = json_array(), *met = json_array();
	int64_t origin = 0;
	int rc = proposal_origin(s, proposal, &origin);
	if (!rc)
		rc = versions_load(s, proposal, version, &v, &nv);
	for (size_t i = 0; !rc && i < nv; i++)
		rc = settle_version(s, proposal, origin, &v[i], hint, now, actor,
				    met, entered);
	if (!rc && effect) {
		/* a repeal settles several versions: their lists add up */
		json_t *before = json_object_get(effect, "versions_met");
		if (json_is_array(before))
			json_array_extend(before, met);
		else
			json_object_set(effect, "versions_met", met);
		if (json_array_size(entered)) {
			json_t *all = json_object_get(effect, "laws_entered");
			if (all)
				json_array_extend(all, entered);
			else
				json_object_set(effect, "laws_entered", entered);
		}
	}
	json_decref(entered);
	json_decref(met);
	versions_free(v, nv);
	return rc;
}

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
	int rc = store_run(st);
	/* and to its member assemblies on other nodes, as signed activities */
	return rc ? rc : nodes_offer_remote(s, proposal, version, from, 0, now);
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
	int rc = store_run(st);
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
		"  WHERE a.body_id = ?1 AND a.answer = 'accept'"
		"  AND (SELECT body_id FROM proposals o WHERE o.id = a.proposal_id) <> ?2"
		"  AND a.id = (SELECT max(b.id)"
		"  FROM proposal_answers b WHERE b.proposal_id = a.proposal_id AND"
		"  b.version = a.version AND b.body_id = ?1)");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_int64(st, 3, now);
	return store_run(st);
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
	int rc = store_int64(st, id, NULL);
	if (rc)
		return rc;
	if (!*id)
		return PX_E_DB;
	rc = add_version(s, *id, 1, title, text, rationale, condition, motion_id, now);
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
	int found = 0, rc = store_step(st, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (found) {
		*body_id = sqlite3_column_int64(st, 0);
		*latest = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, field, "no proposal %lld",
				   (long long)id);
}

int proposal_offered(struct store *s, int64_t id, int64_t version, int64_t body_id,
		     int *yes)
{
	int64_t one = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM proposal_offers WHERE"
		" proposal_id = ? AND version = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, version);
	sqlite3_bind_int64(st, 3, body_id);
	return store_int64(st, &one, yes);
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
	int rc = store_run(st);
	int accept = !strcmp(answer, "accept"), delegate = 0;
	if (!rc && accept)
		rc = fed_is_delegate(s, body_id, &delegate);
	/* a delegate assembly that accepts passes the version on */
	if (!rc && accept && delegate)
		rc = offer_members(s, proposal_id, version, body_id, now);
	if (!rc)
		rc = proposal_count_answer(s, proposal_id, version, body_id, accept, NULL);
	if (!rc)
		rc = settle(s, proposal_id, version, accept ? body_id : 0, now, actor, effect);
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
	int64_t proposal = 0;
	int rc = store_int64(st, &proposal, NULL);
	if (rc || !proposal)
		return rc;
	/* repealing withdraws every standing acceptance of the proposal, so
	 * no earlier version re-enters the register on the next count */
	int64_t versions[64];
	size_t n;
	do { /* each pass withdraws what it read, so the next reads the rest */
		n = 0;
		st = store_stmt(s, "SELECT version FROM proposal_sums WHERE proposal_id = ?"
				   " AND body_id = ? AND accepted = 1 ORDER BY version LIMIT 64");
		sqlite3_bind_int64(st, 1, proposal);
		sqlite3_bind_int64(st, 2, body_id);
		while (n < 64 && store_next(st, &rc))
			versions[n++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (size_t i = 0; !rc && i < n; i++) {
			st = store_stmt(s, "INSERT INTO proposal_answers(proposal_id, version, body_id,"
				" answer, reasons, motion_id, at) VALUES (?, ?, ?, 'repealed',"
				" 'the law was repealed', ?, ?)");
			sqlite3_bind_int64(st, 1, proposal);
			sqlite3_bind_int64(st, 2, versions[i]);
			sqlite3_bind_int64(st, 3, body_id);
			sqlite3_bind_int64(st, 4, motion_id);
			sqlite3_bind_int64(st, 5, now);
			rc = store_run(st);
			if (!rc)
				rc = proposal_count_answer(s, proposal, versions[i], body_id, 0, NULL);
			if (!rc)
				rc = settle(s, proposal, versions[i], 0, now, actor, effect);
		}
	} while (!rc && n == 64);
	if (!rc)
		json_object_set_new(effect, "proposal", json_integer(proposal));
	return rc;
}

int proposal_membership_changed(struct store *s, int64_t federation, int64_t member,
				int delta, int64_t now, const char *actor, json_t *effect)
{
	int rc = delta ? proposal_count_link(s, federation, member, delta) : 0;
	if (rc || !delta)
		return rc;
	/* the proposals of the federation and of every assembly above it
	 * whose count changed: those the member's acceptance reaches, and
	 * those whose condition is a share (the number beneath changed) */
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT p.id FROM proposals p WHERE (p.body_id = ?1"
		" OR p.body_id IN (SELECT ancestor_id FROM fed_below WHERE body_id = ?1))"
		" AND (EXISTS (SELECT 1 FROM proposal_sums m WHERE m.proposal_id = p.id"
		"  AND m.body_id = ?2 AND m.accepted = 1)"
		" OR EXISTS (SELECT 1 FROM proposal_versions v WHERE v.proposal_id = p.id"
		"  AND json_extract(v.condition, '$.kind') LIKE 'share_of_%'))"
		" ORDER BY p.id");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	while (store_next(st, &rc)) {
		int64_t *p = px_grow(ids, &cap, n, sizeof(*p));
		if (!p) {
			rc = PX_E_NOMEM;
			break;
		}
		ids = p;
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (size_t i = 0; !rc && i < n; i++)
		rc = settle(s, ids[i], 0, delta > 0 ? member : 0, now, actor, effect);
	free(ids);
	return rc;
}

int proposal_remote_answer(struct store *s, int64_t proposal, int64_t version, int64_t body,
			   int64_t dl, int64_t dp, int64_t now, const char *actor,
			   json_t *effect)
{
	int rc = (dl || dp) ? proposal_count_remote(s, proposal, version, body, dl, dp) : 0;
	return rc ? rc : settle(s, proposal, version, 0, now, actor, effect);
}

int proposal_relay_version(struct store *s, int64_t body, int64_t rel, const char *purl,
			   int64_t version, const char *title, const char *text,
			   const char *rationale, const json_t *condition, int64_t motion_id,
			   int64_t now, int64_t *proposal)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM proposals WHERE relay_of = ?"
				      " AND relay_proposal = ?");
	sqlite3_bind_int64(st, 1, rel);
	sqlite3_bind_text(st, 2, purl, -1, SQLITE_TRANSIENT);
	int found = 0, rc = store_int64(st, proposal, &found);
	if (!rc && !found) {
		st = store_stmt(s, "INSERT INTO proposals(body_id, created_by, created_at,"
				" relay_of, relay_proposal) VALUES (?, ?, ?, ?, ?) RETURNING id");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, motion_id);
		sqlite3_bind_int64(st, 3, now);
		sqlite3_bind_int64(st, 4, rel);
		sqlite3_bind_text(st, 5, purl, -1, SQLITE_TRANSIENT);
		rc = store_int64(st, proposal, &found);
		if (!rc && !found)
			rc = PX_E_DB;
	}
	if (rc)
		return rc;
	int had = 0;
	int64_t one = 0;
	st = store_stmt(s, "SELECT 1 FROM proposal_versions WHERE proposal_id = ? AND"
			   " version = ?");
	sqlite3_bind_int64(st, 1, *proposal);
	sqlite3_bind_int64(st, 2, version);
	if ((rc = store_int64(st, &one, &had)))
		return rc;
	/* the version keeps the number it has where it was made */
	if (!had)
		rc = add_version(s, *proposal, version, title, text, rationale, condition,
				 motion_id, now);
	return rc ? rc : offer_members(s, *proposal, version, body, now);
}

int proposal_relay_met(struct store *s, int64_t proposal, int64_t version, int64_t now,
		       const char *actor, json_t *effect)
{
	return settle(s, proposal, version, 0, now, actor, effect);
}
