/*
 * choose.c: after a division, each member of the divided assembly says
 * which new community they live or work in, and is a member of its
 * assembly from that moment (on the basis they had, their affirmation of
 * the statement of values carried over: the new assemblies start with
 * the old statement). Until they answer they are "to choose" and act in
 * none of the new assemblies. An answer may be changed once within
 * COMMUNITY_CHOICE_WINDOW after the division, and freely after it: a
 * window short enough that the new assemblies know who they are while
 * they begin, long enough to correct a mistake. Nobody is a member of two
 * of the new assemblies through the division: a change leaves the one
 * chosen before, and joining another of them directly is refused.
 */
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/community/community_int.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

int community_choices_open(struct store *s, int64_t body)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO community_choices(from_body, account_id,"
		" basis) SELECT body_id, account_id, basis FROM memberships"
		" WHERE body_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	return store_run(st);
}

/* The divided body called slug: *id; PX_E_NOT_FOUND / PX_E_CONFLICT
 * naming field. */
static int divided_body(struct store *s, const char *slug, const char *field, int64_t *id,
			int64_t *at, struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.id, e.how, e.at FROM bodies b LEFT JOIN"
				      " body_ends e ON e.body_id = b.id WHERE b.slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, field, "no assembly '%s'", slug);
	*id = sqlite3_column_int64(st, 0);
	const char *how = (const char *)sqlite3_column_text(st, 1);
	int divided = how && !strcmp(how, "divided");
	*at = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return divided ? 0 : px_fail(err, PX_E_CONFLICT, field, "the assembly '%s' has not"
				     " divided: there is nothing to choose", slug);
}

static int new_body(struct store *s, int64_t from, const char *slug, int64_t *id,
		    struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.id FROM bodies b JOIN body_lineage l"
		" ON l.to_body = b.id AND l.from_body = ? AND l.how = 'divided' WHERE b.slug = ?");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	int rc = store_int64(st, id, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	return row ? 0 : px_fail(err, PX_E_NOT_FOUND, "community", "'%s' is not one of the"
				 " communities this assembly divided into", slug);
}

/* The choice itself, the same live and in replay. */
static int choose_rows(struct store *s, int64_t from, int64_t divided_at, int64_t to,
		       int64_t account, int64_t now, int *changed, struct px_error *err)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT basis, coalesce(chosen, 0), changes"
				      " FROM community_choices WHERE from_body = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, account);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_MEMBER, "from", "only those who were members of"
			       " the assembly when it divided choose among its new communities");
	char basis[16];
	snprintf(basis, sizeof(basis), "%s", (const char *)sqlite3_column_text(st, 0));
	int64_t chosen = sqlite3_column_int64(st, 1), changes = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	*changed = chosen != 0;
	if (chosen == to)
		return px_fail(err, PX_E_CONFLICT, "community", "this is your community already");
	if (chosen && changes >= 1 && now < divided_at + COMMUNITY_CHOICE_WINDOW)
		return px_fail(err, PX_E_CONFLICT, "community", "you changed your choice once"
			       " already: you may change it again when 30 days have passed"
			       " since the division");
	char status[16] = "";
	st = store_stmt(s, "SELECT status FROM memberships WHERE body_id = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, account);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		snprintf(status, sizeof(status), "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	if (!strcmp(status, "excluded"))
		return px_fail(err, PX_E_EXCLUDED, "community", NULL);
	if (!strcmp(status, "active"))
		return px_fail(err, PX_E_ALREADY_MEMBER, "community", NULL);
	if (chosen) {
		/* leaving the community chosen before: as any leaving */
		st = store_stmt(s, "UPDATE memberships SET status = 'left', since = ?"
				" WHERE body_id = ? AND account_id = ? AND status = 'active'");
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, chosen);
		sqlite3_bind_int64(st, 3, account);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		if (sqlite3_changes(store_db(s)) == 1 &&
		    ((rc = member_release_duties(s, chosen, account)) ||
		     (rc = meeting_presence_end(s, chosen, account, now, "left", NULL, 0)) ||
		     (rc = fed_person_left(s, chosen, account, 0, now, NULL))))
			return px_fail(err, rc, NULL, NULL);
	}
	st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status, basis, since)"
		" VALUES (?, ?, 'active', ?, ?) ON CONFLICT(body_id, account_id) DO UPDATE"
		" SET status = 'active', basis = excluded.basis, since = excluded.since"
		" WHERE memberships.status = 'left'");
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_text(st, 3, basis, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE community_choices SET chosen = ?, at = ?,"
		" first_at = coalesce(first_at, ?), changes = changes + (chosen IS NOT NULL)"
		" WHERE from_body = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, from);
	sqlite3_bind_int64(st, 5, account);
	rc = store_run(st);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

struct choose_args {
	const struct gov_ctx *ctx;
	const char *from, *to;
	json_t *out;
	struct px_error *err;
};

static int choose_tx(struct store *s, void *arg)
{
	struct choose_args *a = arg;
	int64_t from = 0, to = 0, at = 0;
	int changed = 0;
	json_decref(a->out);
	a->out = NULL;
	int rc = divided_body(s, a->from, "from", &from, &at, a->err);
	if (!rc)
		rc = new_body(s, from, a->to, &to, a->err);
	if (!rc)
		rc = choose_rows(s, from, at, to, a->ctx->account_id, a->ctx->now, &changed,
				 a->err);
	if (rc)
		return rc;
	json_t *p = json_pack("{s:s, s:s, s:s, s:b, s:b}", "member", a->ctx->handle,
			      "from", a->from, "community", a->to, "changed", changed,
			      "affirmed_values", 1);
	if (!p)
		return PX_E_NOMEM;
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->to, "community.choose", p,
			    NULL);
	a->out = p;
	return rc;
}

int gov_community_choose(const struct gov_ctx *ctx, const char *from, const char *to,
			 json_t **out, struct px_error *err)
{
	struct choose_args a = { ctx, from, to, NULL, err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!from || !*from)
		return px_fail(err, PX_E_MISSING_FIELD, "from", NULL);
	if (!to || !*to)
		return px_fail(err, PX_E_MISSING_FIELD, "community", NULL);
	rc = store_tx(ctx->db, choose_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	}
	*out = a.out;
	return 0;
}

int community_choice_apply(struct store *s, const char *from, const char *to,
			   const char *handle, int64_t at, struct px_error *err)
{
	int64_t f = 0, t = 0, when = 0, account = 0;
	int changed = 0, row = 0;
	int rc = divided_body(s, from, "from", &f, &when, err);
	if (!rc)
		rc = new_body(s, f, to, &t, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	if ((rc = store_int64(st, &account, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "member", "no account '%s'", handle);
	return choose_rows(s, f, when, t, account, at, &changed, err);
}

int community_join_check(struct store *s, int64_t body_id, int64_t account_id,
			 struct px_error *err)
{
	int rc = community_body_decides(s, body_id, err);
	if (rc)
		return rc;
	/* a body that came from a division: its old members come by choosing */
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT f.slug, coalesce(c.chosen, 0),"
		" (SELECT slug FROM bodies WHERE id = c.chosen) FROM body_lineage l"
		" JOIN community_choices c ON c.from_body = l.from_body AND c.account_id = ?"
		" JOIN bodies f ON f.id = l.from_body"
		" WHERE l.to_body = ? AND l.how = 'divided'");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, body_id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return 0;
	int64_t chosen = sqlite3_column_int64(st, 1);
	const char *where = (const char *)sqlite3_column_text(st, 2);
	if (chosen)
		rc = px_fail(err, PX_E_CONFLICT, "community", "you are a member of '%s', the"
			     " community you chose when your assembly divided: change your"
			     " choice instead (one membership among the new communities)",
			     where ? where : "");
	else
		rc = px_fail(err, PX_E_CONFLICT, "community", "your assembly divided: choose"
			     " your new community on your page (one membership among the new"
			     " communities)");
	sqlite3_reset(st);
	return rc;
}

/* ---- readers ---- */

int gov_community_choices(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	int rc = gov_require_account(ctx, err);
	*out = NULL;
	if (rc)
		return rc;
	json_t *list = json_array();
	if (!list)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT c.from_body, b.slug, b.name,"
		" (SELECT slug FROM bodies WHERE id = c.chosen), c.changes, e.at"
		" FROM community_choices c JOIN bodies b ON b.id = c.from_body"
		" JOIN body_ends e ON e.body_id = c.from_body"
		" WHERE c.account_id = ? ORDER BY c.from_body");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	while (store_next(st, &rc)) {
		int64_t ends = sqlite3_column_int64(st, 5) + COMMUNITY_CHOICE_WINDOW;
		int64_t changes = sqlite3_column_int64(st, 4);
		const char *chosen = (const char *)sqlite3_column_text(st, 3);
		json_t *one = json_pack("{s:{s:s, s:s}, s:s?, s:o, s:I, s:b, s:o}",
			"from", "slug", (const char *)sqlite3_column_text(st, 1),
			"name", (const char *)sqlite3_column_text(st, 2),
			"chosen", chosen,
			"choices", json_array(),
			"window_ends", (json_int_t)ends,
			"may_change", !chosen || changes < 1 || ctx->now >= ends,
			"changes_left", !chosen ? json_null()
				: ctx->now >= ends ? json_string("any")
				: json_integer(changes < 1 ? 1 : 0));
		if (!one) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		json_array_append_new(list, one);
		json_object_set_new(one, "from_id", json_integer(sqlite3_column_int64(st, 0)));
	}
	size_t i;
	json_t *one;
	json_array_foreach(list, i, one) {
		if (rc)
			break;
		json_t *choices = json_object_get(one, "choices");
		st = store_stmt(ctx->db, "SELECT b.slug, b.name, coalesce(c.areas, ''),"
			" c.population FROM body_lineage l JOIN bodies b ON b.id = l.to_body"
			" JOIN communities c ON c.id = b.community_id"
			" WHERE l.from_body = ? AND l.how = 'divided' ORDER BY b.id");
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(one, "from_id")));
		while (store_next(st, &rc))
			json_array_append_new(choices, json_pack("{s:s, s:s, s:s, s:I}",
				"slug", (const char *)sqlite3_column_text(st, 0),
				"name", (const char *)sqlite3_column_text(st, 1),
				"areas", (const char *)sqlite3_column_text(st, 2),
				"population", (json_int_t)sqlite3_column_int64(st, 3)));
		json_object_del(one, "from_id");
	}
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

int gov_community_division(const struct gov_ctx *ctx, const char *slug, json_t **out,
			   struct px_error *err)
{
	int64_t id = 0, at = 0;
	*out = NULL;
	int rc = divided_body(ctx->db, slug, "slug", &id, &at, err);
	if (rc)
		return rc;
	json_t *to = json_array(), *chosen = json_array();
	json_t *o = json_pack("{s:s, s:I, s:I, s:o, s:o}", "slug", slug, "divided_at",
			      (json_int_t)at, "window_ends",
			      (json_int_t)(at + COMMUNITY_CHOICE_WINDOW), "to_choose", to,
			      "chosen", chosen);
	if (!o)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT a.handle, b.slug FROM community_choices c"
		" JOIN accounts a ON a.id = c.account_id LEFT JOIN bodies b ON b.id = c.chosen"
		" WHERE c.from_body = ? ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		const char *h = (const char *)sqlite3_column_text(st, 0);
		const char *b = (const char *)sqlite3_column_text(st, 1);
		if (b)
			json_array_append_new(chosen, json_pack("{s:s, s:s}", "handle", h,
								"community", b));
		else
			json_array_append_new(to, json_string(h));
	}
	if (rc) {
		json_decref(o);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = o;
	return 0;
}
