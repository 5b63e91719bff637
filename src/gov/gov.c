/*
 * gov.c: what all domain operations share: the journal actor name, the
 * sign-in check, and whether the subject of a page exists.
 */
#include <stdint.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/gov.h"
#include "store/store.h"
#include "banned.h"

/* by_id: the key is a number (an id); by_number: the second key is one
 * (a law's number in its assembly) */
static const struct {
	const char *sql;
	int by_id, by_number;
} subjects[] = {
	[GOV_SUBJECT_MEETING] = { "SELECT 1 FROM meetings WHERE id = ?", 1 },
	[GOV_SUBJECT_MOTION] = { "SELECT 1 FROM motions WHERE id = ?", 1 },
	[GOV_SUBJECT_PROPOSAL] = { "SELECT 1 FROM proposals WHERE id = ?", 1 },
	[GOV_SUBJECT_BODY] = { "SELECT 1 FROM bodies WHERE slug = ?", 0 },
	[GOV_SUBJECT_COMMUNITY] = { "SELECT 1 FROM communities WHERE slug = ?", 0 },
	[GOV_SUBJECT_LAW] = { "SELECT 1 FROM laws l JOIN bodies b ON b.id = l.body_id"
			      " WHERE b.slug = ?1 AND l.number = ?2", 0, 1 },
	[GOV_SUBJECT_POLITY] = { "SELECT 1 FROM polities WHERE slug = ?", 0 },
	[GOV_SUBJECT_RENEWAL] = { "SELECT 1 FROM renewals WHERE id = ?", 1 },
	[GOV_SUBJECT_ENTERPRISE] = { "SELECT 1 FROM bodies WHERE slug = ?"
				     " AND kind = 'enterprise'", 0 },
	[GOV_SUBJECT_LOCAL] = { "SELECT 1 FROM bodies WHERE slug = ? AND kind = 'local'", 0 },
	[GOV_SUBJECT_MILITIA] = { "SELECT 1 FROM militias WHERE slug = ?", 0 },
	[GOV_SUBJECT_CASE] = { "SELECT 1 FROM cases WHERE id = ?", 1 },
	[GOV_SUBJECT_ECONOMY] = { "SELECT 1 FROM sharing_economies WHERE slug = ?", 0 },
};

int gov_subject_exists(const struct gov_ctx *ctx, enum gov_subject what,
		       const char *key, const char *key2, int *yes)
{
	int64_t id = 0, number = 0, one = 0;
	*yes = 0;
	if ((unsigned)what >= sizeof(subjects) / sizeof(subjects[0]) || !key || !*key)
		return 0;
	if (subjects[what].by_id && num_parse_i64(key, 1, INT64_MAX, &id))
		return 0;
	if (subjects[what].by_number &&
	    (!key2 || num_parse_i64(key2, 1, INT64_MAX, &number)))
		return 0;
	sqlite3_stmt *st = store_stmt(ctx->db, subjects[what].sql);
	if (!st)
		return PX_E_DB;
	if (subjects[what].by_id)
		sqlite3_bind_int64(st, 1, id);
	else
		sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (subjects[what].by_number)
		sqlite3_bind_int64(st, 2, number);
	return store_int64(st, &one, yes);
}

const char *gov_actor(const struct gov_ctx *ctx)
{
	if (ctx->operator)
		return "operator";
	return ctx->handle[0] ? ctx->handle : "anonymous";
}

int gov_require_account(const struct gov_ctx *ctx, struct px_error *err)
{
	if (ctx->account_id <= 0)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	return 0;
}

int gov_joint_adopt(struct store *s, const struct gov_joint *q, int64_t id, int new,
		    const char *terms, int64_t motion_id, int64_t assembly_id, int64_t now,
		    int64_t *waiting)
{
	int rc = 0;
	sqlite3_stmt *st;
	*waiting = 0;
	if (new) {
		st = store_stmt(s, q->name_assemblies);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, terms, -1, SQLITE_STATIC);
		if ((rc = store_run(st)))
			return rc;
	}
	st = store_stmt(s, q->mark_adopted);
	sqlite3_bind_int64(st, 1, motion_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int64(st, 4, assembly_id);
	if ((rc = store_run(st)))
		return rc;
	st = store_stmt(s, q->count_waiting);
	sqlite3_bind_int64(st, 1, id);
	return store_int64(st, waiting, NULL);
}
