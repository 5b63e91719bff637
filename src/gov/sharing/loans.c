/*
 * loans.c: an item's loan history (sharing.h, docs/sharing.md "An item's
 * loan history").
 *
 * A row of loans is one time someone held a unique item: how it came to
 * them (take: taken freely, or granted by decision; round: won in a
 * round and held at once; hold: collected from a hold), from when, until
 * when it was lent (the date after its renewals), how often it was
 * renewed, when it was returned and the note on its condition its holder
 * left then. The rows are written by the operations that move the item
 * (register.c, lending.c, sharing_kinds.c), inside their own entries, so
 * replay rebuilds them with the item; no entry of its own is needed.
 *
 * Invariant: an item has at most one open loan (returned_at NULL), and it
 * is its holder's (goods.holder).
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

int loan_start(struct store *s, int64_t good, int64_t account, const char *how,
	       int64_t round, int64_t from, int64_t due)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO loans(good_id, account_id, how,"
				      " round_id, from_at, due_at) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_text(st, 3, how, -1, SQLITE_STATIC);
	if (round)
		sqlite3_bind_int64(st, 4, round);
	sqlite3_bind_int64(st, 5, from);
	if (due)
		sqlite3_bind_int64(st, 6, due);
	return store_run(st);
}

int loan_renewed(struct store *s, int64_t good, int64_t due)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE loans SET renewals = renewals + 1,"
				      " due_at = ? WHERE good_id = ? AND returned_at IS NULL");
	sqlite3_bind_int64(st, 1, due);
	sqlite3_bind_int64(st, 2, good);
	return store_run(st);
}

int loan_end(struct store *s, int64_t good, int64_t account, int64_t at, const char *note)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE loans SET returned_at = ?, condition_note = ?"
				      " WHERE good_id = ? AND account_id = ? AND returned_at IS NULL");
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, note ? note : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, good);
	sqlite3_bind_int64(st, 4, account);
	return store_run(st);
}

static int loans_into(struct store *s, int64_t good, int64_t now, json_t *list)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT l.id, a.handle, a.display_name, l.how,"
		" l.round_id, l.from_at, l.due_at, l.renewals, l.returned_at, l.condition_note"
		" FROM loans l JOIN accounts a ON a.id = l.account_id WHERE l.good_id = ?"
		" ORDER BY l.from_at DESC, l.id DESC");
	sqlite3_bind_int64(st, 1, good);
	while (store_next(st, &rc)) {
		int open = sqlite3_column_type(st, 8) == SQLITE_NULL;
		int64_t due = sqlite3_column_int64(st, 6);
		int late = sqlite3_column_type(st, 6) != SQLITE_NULL &&
			(open ? now > due : sqlite3_column_int64(st, 8) > due);
		json_t *x = json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:o, s:I, s:o, s:s,"
				      " s:b, s:b}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"holder", (const char *)sqlite3_column_text(st, 1),
			"holder_name", (const char *)sqlite3_column_text(st, 2),
			"how", (const char *)sqlite3_column_text(st, 3),
			"round", sharing_int_or_null(st, 4),
			"from", (json_int_t)sqlite3_column_int64(st, 5),
			"due_at", sharing_int_or_null(st, 6),
			"renewals", (json_int_t)sqlite3_column_int64(st, 7),
			"returned_at", sharing_int_or_null(st, 8),
			"condition_note", (const char *)sqlite3_column_text(st, 9),
			"open", open, "late", late);
		if (!x || json_array_append_new(list, x)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

static int holds_into(struct store *s, int64_t good, json_t *list)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT h.id, a.handle, a.display_name, h.round_id,"
		" h.since, h.until, h.state, h.ended_at FROM item_holds h JOIN accounts a"
		" ON a.id = h.account_id WHERE h.good_id = ? ORDER BY h.since DESC, h.id DESC");
	sqlite3_bind_int64(st, 1, good);
	while (store_next(st, &rc)) {
		json_t *x = json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:s, s:o}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"for", (const char *)sqlite3_column_text(st, 1),
			"for_name", (const char *)sqlite3_column_text(st, 2),
			"round", (json_int_t)sqlite3_column_int64(st, 3),
			"since", (json_int_t)sqlite3_column_int64(st, 4),
			"until", sharing_int_or_null(st, 5),
			"state", (const char *)sqlite3_column_text(st, 6),
			"ended_at", sharing_int_or_null(st, 7));
		if (!x || json_array_append_new(list, x)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

int gov_good_loans(const struct gov_ctx *ctx, int64_t good, json_t **out,
		   struct px_error *err)
{
	json_t *o = NULL, *loans = NULL, *holds = NULL;
	int row = 0, rc;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT g.kind, g.name, g.condition, g.location,"
		" x.slug, x.name, b.slug, b.name, g.offered_at, g.withdrawn_at, a.handle,"
		" g.due_at FROM goods g JOIN sharing_economies x ON x.id = g.economy_id"
		" JOIN bodies b ON b.id = g.body_id LEFT JOIN accounts a ON a.id = g.holder"
		" WHERE g.id = ?");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no good %lld in any register",
			       (long long)good);
	if (strcmp((const char *)sqlite3_column_text(st, 0), "item")) {
		sqlite3_reset(st);
		return px_fail(err, PX_E_CONFLICT, NULL, "only a unique item is lent: a"
			       " product or a service has takes, not loans");
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o}",
		"good", (json_int_t)good,
		"name", (const char *)sqlite3_column_text(st, 1),
		"condition", (const char *)sqlite3_column_text(st, 2),
		"location", (const char *)sqlite3_column_text(st, 3),
		"economy", (const char *)sqlite3_column_text(st, 4),
		"economy_name", (const char *)sqlite3_column_text(st, 5),
		"enterprise", (const char *)sqlite3_column_text(st, 6),
		"enterprise_name", (const char *)sqlite3_column_text(st, 7),
		"offered_at", (json_int_t)sqlite3_column_int64(st, 8),
		"withdrawn_at", sharing_int_or_null(st, 9),
		"holder", sharing_text_or_null(st, 10),
		"due_at", sharing_int_or_null(st, 11));
	sqlite3_reset(st);
	if (!o || !(loans = json_array()) || json_object_set_new(o, "loans", loans) ||
	    !(holds = json_array()) || json_object_set_new(o, "holds", holds)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = loans_into(ctx->db, good, ctx->now, loans)) ||
	    (rc = holds_into(ctx->db, good, holds)))
		goto out;
	*out = o;
	return 0;
out:
	json_decref(o);
	return px_fail(err, rc, NULL, NULL);
}
