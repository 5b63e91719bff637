/*
 * enterprise.c: enterprises, bodies of kind 'enterprise' located in a
 * community (economy.h). Any active member of the community's local
 * assembly founds one; the founder is its first member, the people they
 * name as co-founders are admitted at once and join by their own act.
 * Everything after the founding is the enterprise's own decision, by
 * motion, at its meetings.
 *
 * The founding is one journal entry, enterprise.found, applied by
 * economy_apply_found both live and in replay, so the two cannot drift.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* The enterprise's local assembly and community, by the community's
 * slug: *community_id 0 when there is no such community, *local_id 0
 * when it has no local assembly. */
static int community_assembly(struct store *s, const char *community,
			      int64_t *community_id, int64_t *local_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT c.id, b.id FROM communities c"
		" LEFT JOIN bodies b ON b.community_id = c.id AND b.kind = 'local'"
		" WHERE c.slug = ?");
	sqlite3_bind_text(st, 1, community, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	*community_id = *local_id = 0;
	if (rc || !row)
		return rc;
	*community_id = sqlite3_column_int64(st, 0);
	*local_id = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

static int account_by_handle(struct store *s, const char *handle, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

static int is_active_member(struct store *s, int64_t body_id, int64_t account_id,
			    int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM memberships WHERE body_id = ?"
				      " AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, account_id);
	return store_exists(st, yes);
}

/* enterprise.found {"slug","name","community","purpose","provides",
 * "rule","schedule","founders":[handles]}, by the founder (actor). */
static int economy_apply_found(struct store *s, const json_t *p, int64_t at,
			       const char *actor, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "slug"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *community = json_string_value(json_object_get(p, "community"));
	const char *purpose = json_string_value(json_object_get(p, "purpose"));
	const char *provides = json_string_value(json_object_get(p, "provides"));
	const json_t *founders = json_object_get(p, "founders");
	char *rules = journal_canonical(json_object_get(p, "rule"));
	char *schedule = journal_canonical(json_object_get(p, "schedule"));
	int64_t community_id, local_id, founder = 0, body_id = 0, one = 0;
	int rc = 0, found = 0, yes = 0;

	if (!slug || !name || !community || !purpose || !provides || !rules ||
	    !schedule || !json_is_array(founders)) {
		rc = px_fail(err, PX_E_BAD_INPUT, NULL, "an enterprise needs slug, name,"
			     " community, purpose, provides, rule, schedule and founders");
		goto out;
	}
	if ((rc = community_assembly(s, community, &community_id, &local_id)))
		goto out;
	if (!community_id) {
		rc = px_fail(err, PX_E_NOT_FOUND, "community", "no community '%s'", community);
		goto out;
	}
	if (!local_id) {
		rc = px_fail(err, PX_E_ENTERPRISE_NO_ASSEMBLY, "community", NULL);
		goto out;
	}
	if ((rc = account_by_handle(s, actor, &founder)))
		goto out;
	if (founder && (rc = is_active_member(s, local_id, founder, &yes)))
		goto out;
	if (!founder || !yes) {
		rc = px_fail(err, PX_E_ENTERPRISE_NOT_LOCAL, "community", NULL);
		goto out;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM bodies WHERE slug = ?1"
				      " UNION ALL SELECT 1 FROM polities WHERE slug = ?1");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_int64(st, &one, &found)))
		goto out;
	if (found) {
		rc = px_fail(err, PX_E_EXISTS, "slug", "a body '%s' already exists", slug);
		goto out;
	}
	st = store_stmt(s, "INSERT INTO bodies(slug, kind, name, community_id, statement,"
			   " purpose, rules, schedule, founded_by, founded_at)"
			   " VALUES (?, 'enterprise', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, community_id);
	sqlite3_bind_text(st, 4, purpose, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, purpose, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, schedule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, founder);
	sqlite3_bind_int64(st, 9, at);
	if ((rc = store_int64(st, &body_id, NULL)))
		goto out;
	st = store_stmt(s, "INSERT INTO enterprises(body_id, provides) VALUES (?, ?)");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, provides, -1, SQLITE_STATIC);
	if ((rc = store_run(st)))
		goto out;
	/* the founder works in it: the first member, equal to every later one */
	st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status, basis,"
			   " since) VALUES (?, ?, 'active', 'works', ?)");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, founder);
	sqlite3_bind_int64(st, 3, at);
	if ((rc = store_run(st)))
		goto out;
	size_t i;
	const json_t *h;
	json_array_foreach(founders, i, h) {
		int64_t who = 0;
		const char *handle = json_string_value(h);
		if (!handle || (rc = account_by_handle(s, handle, &who)))
			goto out;
		if (!who || who == founder) {
			rc = px_fail(err, who ? PX_E_BAD_INPUT : PX_E_NOT_FOUND, "founders",
				     who ? "you found it: name the others" : "no account '%s'",
				     handle);
			goto out;
		}
		st = store_stmt(s, "INSERT INTO enterprise_admissions(body_id, account_id,"
				   " motion_id, admitted_at) VALUES (?, ?, NULL, ?)");
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, who);
		sqlite3_bind_int64(st, 3, at);
		if ((rc = store_run(st))) {
			if (rc == PX_E_EXISTS)
				rc = px_fail(err, PX_E_BAD_INPUT, "founders",
					     "%s is named twice", handle);
			goto out;
		}
	}
	/* its regular meetings exist from now on, as for any assembly */
	rc = meeting_sync(s, body_id, at);
out:
	free(rules);
	free(schedule);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

struct found_args {
	const struct gov_ctx *ctx;
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int found_tx(struct store *s, void *arg)
{
	struct found_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	const char *slug = json_string_value(json_object_get(a->payload, "slug"));
	int rc = economy_apply_found(s, a->payload, a->ctx->now, a->ctx->handle, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), slug,
				    "enterprise.found", a->payload, NULL);
	if (!rc)
		rc = gov_enterprise_get(a->ctx, slug, &a->out, a->err);
	return rc;
}

/* A slug from a name: lower-case letters and digits, anything else one
 * '-', none at either end; "" when fewer than 2 characters remain. */
static void slug_from_name(const char *name, char out[GOV_SLUG_SIZE])
{
	size_t n = 0;
	for (const char *c = name; *c && n < GOV_SLUG_SIZE - 1; c++) {
		char ch = *c;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			out[n++] = ch;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (n < 2)
		out[0] = '\0';
}

int gov_enterprise_found(const struct gov_ctx *ctx, const struct enterprise_found *in,
			 json_t **out, struct px_error *err)
{
	json_t *rule = NULL, *sched = NULL, *founders = json_array();
	struct found_args a = { ctx, NULL, NULL, err };
	char derived[GOV_SLUG_SIZE];
	const char *slug = in->slug;
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		goto out;
	if ((rc = text_check_line(in->name ? in->name : "", 1, 120))) {
		rc = px_fail(err, rc, "name", "a name has 1 to 120 characters on one line");
		goto out;
	}
	if (!slug) {
		slug_from_name(in->name, derived);
		slug = derived;
	}
	if (!gov_slug_valid(slug)) {
		rc = px_fail(err, PX_E_BAD_INPUT, "slug", "a slug has 2 to 64 characters:"
			     " lower-case letters, digits and '-', not starting with '-'");
		goto out;
	}
	if (!in->community || !gov_slug_valid(in->community)) {
		rc = px_fail(err, PX_E_NOT_FOUND, "community", "no community '%s'",
			     in->community ? in->community : "");
		goto out;
	}
	if ((rc = text_check_block(in->purpose ? in->purpose : "", 1, 4000))) {
		rc = px_fail(err, rc, "purpose", "the purpose has 1 to 4,000 characters");
		goto out;
	}
	if ((rc = text_check_block(in->provides ? in->provides : "", 1, 2000))) {
		rc = px_fail(err, rc, "provides",
			     "what it produces or provides has 1 to 2,000 characters");
		goto out;
	}
	if (in->founders) {
		size_t i;
		const json_t *h;
		if (!json_is_array(in->founders) ||
		    json_array_size(in->founders) > ECONOMY_FOUNDERS_MAX) {
			rc = px_fail(err, PX_E_BAD_INPUT, "founders", "founders is a list of"
				     " at most %d handles", ECONOMY_FOUNDERS_MAX);
			goto out;
		}
		json_array_foreach(in->founders, i, h) {
			const char *v = json_string_value(h);
			if (!v || text_check_line(v, 1, GOV_HANDLE_MAX)) {
				rc = px_fail(err, PX_E_BAD_INPUT, "founders",
					     "founders is a list of handles");
				goto out;
			}
			json_array_append_new(founders, json_string(v));
		}
	}
	if ((rc = body_check_rules(in->rule, &rule, err)) ||
	    (rc = body_check_schedule(in->schedule, ctx->now, &sched, err)))
		goto out;
	a.payload = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:O}",
			      "slug", slug, "name", in->name, "community", in->community,
			      "purpose", in->purpose, "provides", in->provides,
			      "rule", rule, "schedule", sched, "founders", founders);
	if (!a.payload) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = store_tx(ctx->db, found_tx, &a);
	if (rc) {
		json_decref(a.out);
		if (err && !err->code)
			px_fail(err, rc, NULL, NULL);
		goto out;
	}
	*out = a.out;
out:
	json_decref(a.payload);
	json_decref(rule);
	json_decref(sched);
	json_decref(founders);
	return rc;
}

#define ENTERPRISE_SELECT \
	"SELECT b.id, b.slug, b.name, c.slug, c.name, e.provides, (SELECT count(*)" \
	" FROM memberships m WHERE m.body_id = b.id AND m.status = 'active')," \
	" b.statement, b.rules, b.schedule, b.founded_at, e.conditions," \
	" e.conditions_motion, e.conditions_at, l.slug, l.name" \
	" FROM bodies b JOIN enterprises e ON e.body_id = b.id" \
	" JOIN communities c ON c.id = b.community_id" \
	" LEFT JOIN bodies l ON l.community_id = b.community_id AND l.kind = 'local'"

static json_t *row_json(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}",
			 "slug", (const char *)sqlite3_column_text(st, 1),
			 "name", (const char *)sqlite3_column_text(st, 2),
			 "community", (const char *)sqlite3_column_text(st, 3),
			 "community_name", (const char *)sqlite3_column_text(st, 4),
			 "provides", (const char *)sqlite3_column_text(st, 5),
			 "members", (json_int_t)sqlite3_column_int64(st, 6));
}

int gov_enterprise_list(const struct gov_ctx *ctx, const char *community, json_t **out,
			struct px_error *err)
{
	int rc = 0;
	json_t *list = json_array();
	*out = NULL;
	if (community) {
		int64_t community_id = 0, local_id = 0;
		if (gov_slug_valid(community) &&
		    (rc = community_assembly(ctx->db, community, &community_id, &local_id)))
			goto out;
		if (!community_id) {
			json_decref(list);
			return px_fail(err, PX_E_NOT_FOUND, "community", "no community '%s'",
				       community);
		}
	}
	sqlite3_stmt *st = store_stmt(ctx->db, ENTERPRISE_SELECT
				      " WHERE ?1 IS NULL OR c.slug = ?1 ORDER BY b.name, b.slug"
				      " LIMIT 10000");
	if (community)
		sqlite3_bind_text(st, 1, community, -1, SQLITE_STATIC);
	while (store_next(st, &rc)) {
		json_t *e = row_json(st);
		if (!e) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		json_array_append_new(list, e);
	}
out:
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

/* Its active members, all equal: no column says more of one than of
 * another. */
static int members_json(struct store *s, int64_t body_id, json_t *e)
{
	json_t *list = json_array(), *admitted = json_array();
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, a.display_name, m.since"
		" FROM memberships m JOIN accounts a ON a.id = m.account_id"
		" WHERE m.body_id = ? AND m.status = 'active'"
		" ORDER BY a.display_name, a.handle");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:I}",
			"handle", (const char *)sqlite3_column_text(st, 0),
			"display_name", (const char *)sqlite3_column_text(st, 1),
			"since", (json_int_t)sqlite3_column_int64(st, 2)));
	if (!rc) {
		st = store_stmt(s, "SELECT a.handle, a.display_name, x.admitted_at, x.motion_id"
			" FROM enterprise_admissions x JOIN accounts a ON a.id = x.account_id"
			" WHERE x.body_id = ? AND x.joined_at IS NULL AND x.voided_by IS NULL"
			" ORDER BY x.id");
		sqlite3_bind_int64(st, 1, body_id);
		while (store_next(st, &rc)) {
			json_t *x = json_pack("{s:s, s:s, s:I}",
				"handle", (const char *)sqlite3_column_text(st, 0),
				"display_name", (const char *)sqlite3_column_text(st, 1),
				"at", (json_int_t)sqlite3_column_int64(st, 2));
			json_object_set_new(x, "motion",
				sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 3)));
			json_array_append_new(admitted, x);
		}
	}
	json_object_set_new(e, "member_list", list);
	json_object_set_new(e, "admitted", admitted);
	return rc;
}

/* Its decisions declared void under a local law, newest first, each
 * linked to the assembly's decision and the law. */
static int voided_json(struct store *s, int64_t body_id, json_t *e)
{
	json_t *list = json_array();
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT m.id, m.title, m.kind, v.voided_by, l.number,"
		" (SELECT title FROM law_versions WHERE law_id = l.id ORDER BY version DESC"
		" LIMIT 1), v.reasons, v.at FROM enterprise_voids v JOIN motions m"
		" ON m.id = v.motion_id JOIN laws l ON l.id = v.law_id WHERE m.body_id = ?"
		" ORDER BY v.at DESC, m.id DESC");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:I}",
			"decision", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"by", (json_int_t)sqlite3_column_int64(st, 3),
			"law", (json_int_t)sqlite3_column_int64(st, 4),
			"law_title", (const char *)sqlite3_column_text(st, 5),
			"reasons", (const char *)sqlite3_column_text(st, 6),
			"at", (json_int_t)sqlite3_column_int64(st, 7)));
	json_object_set_new(e, "voided", list);
	return rc;
}

int gov_enterprise_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		       struct px_error *err)
{
	int rc = 0, row = 0;
	json_t *e = NULL;
	int64_t body_id = 0;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'",
			       slug ? slug : "");
	sqlite3_stmt *st = store_stmt(ctx->db, ENTERPRISE_SELECT " WHERE b.slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug);
	body_id = sqlite3_column_int64(st, 0);
	e = row_json(st);
	json_t *rules = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);
	json_t *sched = json_loads((const char *)sqlite3_column_text(st, 9), 0, NULL);
	if (e) {
		json_object_set_new(e, "purpose",
				    json_string((const char *)sqlite3_column_text(st, 7)));
		json_object_set_new(e, "founded_at",
				    json_integer(sqlite3_column_int64(st, 10)));
		json_t *cond = json_pack("{s:s}", "text",
					 (const char *)sqlite3_column_text(st, 11));
		json_object_set_new(cond, "motion",
			sqlite3_column_type(st, 12) == SQLITE_NULL ? json_null()
			: json_integer(sqlite3_column_int64(st, 12)));
		json_object_set_new(cond, "at",
			sqlite3_column_type(st, 13) == SQLITE_NULL ? json_null()
			: json_integer(sqlite3_column_int64(st, 13)));
		json_object_set_new(e, "conditions", cond);
		json_object_set_new(e, "assembly", sqlite3_column_type(st, 14) == SQLITE_NULL
			? json_null() : json_pack("{s:s, s:s}",
				"slug", (const char *)sqlite3_column_text(st, 14),
				"name", (const char *)sqlite3_column_text(st, 15)));
	}
	sqlite3_reset(st);
	if (!e || !rules || !sched) {
		json_decref(rules);
		json_decref(sched);
		rc = PX_E_NOMEM;
		goto out;
	}
	struct strbuf text;
	sb_init(&text, 1024);
	if (!body_schedule_describe(sched, ctx->lang, &text))
		json_object_set_new(e, "schedule_text", json_string(text.buf));
	sb_release(&text);
	json_object_set_new(e, "rules", rules);
	json_object_set_new(e, "schedule", sched);
	if ((rc = members_json(ctx->db, body_id, e)))
		goto out;
	json_t *offices = office_list_json(ctx->db, body_id);
	if (!offices) {
		rc = PX_E_DB;
		goto out;
	}
	json_object_set_new(e, "offices", offices);
	if ((rc = voided_json(ctx->db, body_id, e)))
		goto out;
	*out = e;
	return 0;
out:
	json_decref(e);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- what member.c and replay ask ---- */

int economy_is_enterprise(struct store *s, int64_t body_id, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM bodies WHERE id = ?"
				      " AND kind = 'enterprise'");
	sqlite3_bind_int64(st, 1, body_id);
	return store_exists(st, yes);
}

int economy_admission_take(struct store *s, int64_t body_id, int64_t account_id,
			   int64_t now, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE enterprise_admissions SET joined_at = ?"
				      " WHERE body_id = ? AND account_id = ? AND joined_at IS NULL"
				      " AND voided_by IS NULL");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, body_id);
	sqlite3_bind_int64(st, 3, account_id);
	int rc = store_run(st);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (sqlite3_changes(store_db(s)) != 1)
		return px_fail(err, PX_E_ENTERPRISE_NOT_ADMITTED, NULL, NULL);
	return 0;
}

int economy_works_in(struct store *s, int64_t local_id, int64_t account_id,
		     const char *enterprise, int64_t *enterprise_id,
		     struct px_error *err)
{
	int row = 0;
	*enterprise_id = 0;
	if (!enterprise || !gov_slug_valid(enterprise))
		return px_fail(err, PX_E_NOT_FOUND, "enterprise", "no enterprise '%s'",
			       enterprise ? enterprise : "");
	sqlite3_stmt *st = store_stmt(s, "SELECT e.id, e.community_id = l.community_id,"
		" EXISTS (SELECT 1 FROM memberships m WHERE m.body_id = e.id"
		" AND m.account_id = ?3 AND m.status = 'active')"
		" FROM bodies e, bodies l WHERE e.slug = ?1 AND e.kind = 'enterprise'"
		" AND l.id = ?2");
	sqlite3_bind_text(st, 1, enterprise, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, local_id);
	sqlite3_bind_int64(st, 3, account_id);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "enterprise", "no enterprise '%s'",
			       enterprise);
	int64_t id = sqlite3_column_int64(st, 0);
	int here = sqlite3_column_int(st, 1), works = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	if (!here)
		return px_fail(err, PX_E_CONFLICT, "enterprise", "%s is not located in this"
			       " assembly's community", enterprise);
	if (!works)
		return px_fail(err, PX_E_CONFLICT, "enterprise", "you are not an active"
			       " member of %s", enterprise);
	*enterprise_id = id;
	return 0;
}

/* ---- replay ---- */

int economy_owns(const char *action, size_t len)
{
	static const char found[] = "enterprise.found";
	return (len == sizeof(found) - 1 && !memcmp(action, found, len)) ||
	       contributions_owns(action, len);
}

int economy_replay(struct store *s, const char *action, const json_t *payload,
		   int64_t at, const char *actor, struct px_error *err)
{
	if (!economy_owns(action, strlen(action)))
		return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
	if (contributions_owns(action, strlen(action)))
		return contributions_replay(s, action, payload, at, actor, err);
	return economy_apply_found(s, payload, at, actor, err);
}
