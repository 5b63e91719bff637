/*
 * member.c: joining, leaving and listing the members of a body.
 *
 * The only status changes here are the caller's own: join (none or left
 * -> active) and leave (active -> left). An excluded person stays
 * excluded until the assembly readmits them by a decision; nothing here
 * can undo an exclusion or touch another person's membership.
 */
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/economy/economy.h"
#include "gov/federation/federation.h"
#include "banned.h"

/* Find the body by slug and the caller's membership status in it.
 * status is "" when the caller never joined. */
static int lookup(struct store *s, const char *slug, int64_t account_id,
		  int64_t *body_id, char status[16], struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT b.id, m.status FROM bodies b"
		" LEFT JOIN memberships m ON m.body_id = b.id AND m.account_id = ?"
		" WHERE b.slug = ?");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	status[0] = '\0';
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no body '%s'", slug);
	*body_id = sqlite3_column_int64(st, 0);
	const char *v = (const char *)sqlite3_column_text(st, 1);
	if (v && strlen(v) < 16)
		memcpy(status, v, strlen(v) + 1);
	sqlite3_reset(st);
	return 0;
}

int member_by_handle(struct store *s, int64_t body_id, const char *handle,
		     const char *status, const char *field, int64_t *id,
		     struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT a.id, m.status FROM accounts a"
		" LEFT JOIN memberships m ON m.account_id = a.id AND m.body_id = ?"
		" WHERE a.handle = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, handle, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, field, "no account '%s'", handle);
	const char *have = (const char *)sqlite3_column_text(st, 1);
	int ok = have && !strcmp(have, status);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (ok)
		return 0;
	if (!strcmp(status, "active"))
		return px_fail(err, PX_E_CONFLICT, field,
			       "%s is not an active member of this assembly", handle);
	if (!strcmp(status, "excluded"))
		return px_fail(err, PX_E_CONFLICT, field,
			       "%s is not excluded from this assembly", handle);
	return px_fail(err, PX_E_CONFLICT, field, "%s has not left this assembly", handle);
}

int member_release_duties(struct store *s, int64_t body_id, int64_t account_id)
{
	static const char *const sql[] = {
		"UPDATE offices SET holder_id = NULL WHERE body_id = ?1 AND holder_id = ?2",
		"DELETE FROM committee_members WHERE account_id = ?2 AND committee_id IN"
		" (SELECT id FROM committees WHERE body_id = ?1)",
	};
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *st = store_stmt(s, sql[i]);
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, account_id);
		int rc = store_run(st);
		if (rc)
			return rc;
	}
	return 0;
}

int gov_require_active_member(const struct gov_ctx *ctx, const char *body_slug,
			      int64_t *body_id, struct px_error *err)
{
	char status[16];
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if ((rc = lookup(ctx->db, body_slug, ctx->account_id, body_id, status, err)))
		return rc;
	if (!strcmp(status, "excluded"))
		return px_fail(err, PX_E_EXCLUDED, NULL, NULL);
	if (strcmp(status, "active"))
		return px_fail(err, PX_E_NOT_MEMBER, NULL, NULL);
	return 0;
}

struct change_args {
	const struct gov_ctx *ctx;
	const char *slug;
	const char *basis; /* NULL when leaving */
	const char *enterprise; /* "works" at this enterprise, or NULL */
	struct px_error *err;
};

/* A polity's assembly (src/gov/lot): its members are the citizens
 * seated by lot, so nobody joins or leaves it as one joins an assembly. */
static int seated_by_lot(struct store *s, int64_t body_id, struct px_error *err)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT kind = 'polity' FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_int64(st, &v, NULL);
	if (rc)
		return rc;
	return v ? px_fail(err, PX_E_LOT_SEATED, NULL, NULL) : 0;
}

static int member_join_enterprise(struct store *s, int64_t body_id,
				  const struct change_args *a)
{
	return economy_admission_take(s, body_id, a->ctx->account_id, a->ctx->now, a->err);
}

static int join_tx(struct store *s, void *arg)
{
	struct change_args *a = arg;
	char status[16];
	int64_t body_id;
	int delegate = 0;
	int rc = lookup(s, a->slug, a->ctx->account_id, &body_id, status, a->err);
	if (rc || (rc = seated_by_lot(s, body_id, a->err)) ||
	    (rc = fed_is_delegate(s, body_id, &delegate)))
		return rc;
	if (delegate)
		return px_fail(a->err, PX_E_FED_DELEGATES, NULL, NULL);
	if (!strcmp(status, "excluded"))
		return px_fail(a->err, PX_E_EXCLUDED, NULL, NULL);
	if (!strcmp(status, "active"))
		return px_fail(a->err, PX_E_ALREADY_MEMBER, NULL, NULL);
	/* not an assembly that ended by dividing or uniting, and not a
	 * second of the assemblies a division made */
	if ((rc = community_join_check(s, body_id, a->ctx->account_id, a->err)))
		return rc;
	int enterprise = 0;
	int64_t works_at = 0;
	if ((rc = economy_is_enterprise(s, body_id, &enterprise)))
		return rc;
	/* a militia is joined freely by volunteering, by the members of the
	 * assemblies that formed it; "volunteer" is for a militia only */
	if ((rc = militia_join_check(s, body_id, a->ctx->account_id, a->basis, a->err)))
		return rc;
	if (enterprise && a->enterprise)
		return px_fail(a->err, PX_E_BAD_INPUT, "enterprise", "an enterprise is"
			       " joined for itself: name no other enterprise");
	if (enterprise && strcmp(a->basis, "works"))
		return px_fail(a->err, PX_E_BAD_INPUT, "basis", "one is a member of an"
			       " enterprise by working in it: the basis is \"works\"");
	/* joining an enterprise is by its decision: the admission it made,
	 * taken once */
	if (enterprise && (rc = member_join_enterprise(s, body_id, a)))
		return rc;
	if (a->enterprise && strcmp(a->basis, "works"))
		return px_fail(a->err, PX_E_BAD_INPUT, "enterprise", "an enterprise is named"
			       " with the basis \"works\" only");
	if (a->enterprise && (rc = economy_works_in(s, body_id, a->ctx->account_id,
						    a->enterprise, &works_at, a->err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO memberships(body_id, account_id,"
		" status, basis, since, enterprise_id) VALUES (?, ?, 'active', ?, ?, ?)"
		" ON CONFLICT(body_id, account_id) DO UPDATE SET status = 'active',"
		" basis = excluded.basis, since = excluded.since,"
		" enterprise_id = excluded.enterprise_id WHERE memberships.status = 'left'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, a->ctx->account_id);
	sqlite3_bind_text(st, 3, a->basis, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, a->ctx->now);
	if (works_at)
		sqlite3_bind_int64(st, 5, works_at);
	if ((rc = store_run(st)))
		return rc;
	json_t *payload = json_pack("{s:s, s:s, s:b}", "member", a->ctx->handle,
				    "basis", a->basis, "affirmed_values", 1);
	if (payload && a->enterprise)
		json_object_set_new(payload, "enterprise", json_string(a->enterprise));
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
			    "member.join", payload, NULL);
	json_decref(payload);
	return rc;
}

int gov_member_join(const struct gov_ctx *ctx, const char *body_slug,
		    int affirm, const char *basis, json_t **out,
		    struct px_error *err)
{
	return gov_member_join_as(ctx, body_slug, affirm, basis, NULL, out, err);
}

int gov_member_join_as(const struct gov_ctx *ctx, const char *body_slug,
		       int affirm, const char *basis, const char *enterprise,
		       json_t **out, struct px_error *err)
{
	struct change_args a = { ctx, body_slug, basis, enterprise, err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!affirm)
		return px_fail(err, PX_E_NOT_AFFIRMED, "affirm", NULL);
	if (!basis || (strcmp(basis, "lives") && strcmp(basis, "works") &&
		       strcmp(basis, "volunteer")))
		return px_fail(err, PX_E_BAD_INPUT, "basis",
			       "basis is \"lives\" (you live in the community),"
			       " \"works\" (you work in an enterprise there) or"
			       " \"volunteer\" (in a militia)");
	rc = store_tx(ctx->db, join_tx, &a);
	if (rc)
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	*out = json_pack("{s:s, s:s, s:s, s:I}", "body", body_slug, "status",
			 "active", "basis", basis, "since", (json_int_t)ctx->now);
	if (*out && enterprise)
		json_object_set_new(*out, "enterprise", json_string(enterprise));
	return 0;
}

static int leave_tx(struct store *s, void *arg)
{
	struct change_args *a = arg;
	int64_t body_id;
	int delegate = 0;
	int rc = gov_require_active_member(a->ctx, a->slug, &body_id, a->err);
	if (rc || (rc = seated_by_lot(s, body_id, a->err)) ||
	    (rc = fed_is_delegate(s, body_id, &delegate)))
		return rc;
	/* a delegate's seat ends only by the recall of the assembly that
	 * sent them (or its leaving) */
	if (delegate)
		return px_fail(a->err, PX_E_FED_DELEGATES, NULL, NULL);
	sqlite3_stmt *st = store_stmt(s, "UPDATE memberships SET status = 'left',"
		" since = ? WHERE body_id = ? AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, a->ctx->now);
	sqlite3_bind_int64(st, 2, body_id);
	sqlite3_bind_int64(st, 3, a->ctx->account_id);
	if ((rc = store_run(st)))
		return rc;
	/* whoever leaves gives up their offices and committee seats, and is
	 * no longer present at a meeting in session */
	if ((rc = member_release_duties(s, body_id, a->ctx->account_id)))
		return rc;
	if ((rc = meeting_presence_end(s, body_id, a->ctx->account_id, a->ctx->now,
				       "left", gov_actor(a->ctx), 0)))
		return rc;
	/* a delegate who leaves the assembly that sent them stops counting
	 * in the delegate assembly at once */
	if ((rc = fed_person_left(s, body_id, a->ctx->account_id, 0, a->ctx->now,
				   gov_actor(a->ctx))))
		return rc;
	json_t *payload = json_pack("{s:s}", "member", a->ctx->handle);
	rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
			    "member.leave", payload, NULL);
	json_decref(payload);
	return rc;
}

int gov_member_leave(const struct gov_ctx *ctx, const char *body_slug,
		     struct px_error *err)
{
	struct change_args a = { ctx, body_slug, NULL, NULL, err };
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	rc = store_tx(ctx->db, leave_tx, &a);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

int gov_member_list(const struct gov_ctx *ctx, const char *body_slug,
		    json_t **out, struct px_error *err)
{
	*out = NULL;
	int64_t body_id;
	int rc = body_id_by_slug(ctx->db, body_slug, &body_id, err);
	if (rc)
		return rc;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT a.handle, a.display_name, m.status, m.basis,"
		" m.since, e.slug, e.name FROM memberships m JOIN accounts a ON a.id = m.account_id"
		" LEFT JOIN bodies e ON e.id = m.enterprise_id"
		" WHERE m.body_id = ? ORDER BY m.status, a.display_name, a.handle");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s*, s:s*}",
			"handle", (const char *)sqlite3_column_text(st, 0),
			"display_name", (const char *)sqlite3_column_text(st, 1),
			"status", (const char *)sqlite3_column_text(st, 2),
			"basis", (const char *)sqlite3_column_text(st, 3),
			"since", (json_int_t)sqlite3_column_int64(st, 4),
			"enterprise", (const char *)sqlite3_column_text(st, 5),
			"enterprise_name", (const char *)sqlite3_column_text(st, 6)));
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}
