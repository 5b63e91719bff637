/*
 * lending.c: lending single items, completed (sharing.h, docs/sharing.md
 * "Lending a scarce item for a time").
 *
 * A policy for a unique item may set, beside loan_days:
 *   collect_days  whoever the item is won for (in a round, or next on its
 *                 holds list) collects it within that many days, or the
 *                 hold expires and passes to the next by the round's
 *                 lottery order (its categories in the order reserve
 *                 flows on, each by its places); 0: the winner holds it
 *                 at once, as before
 *   buffer_days   a returned item rests that many days before it is lent
 *                 again (taken, or collected): time to check and mend it
 * A hold is a row of item_holds: waiting from `since` (the end of the
 * item's rest, or the allocation) until `until`, then collected or
 * expired. The clock expires holds whose date passed (gov_sharing_clock,
 * run by the server's clock and first by every collection), each
 * expiry one journal entry, so that nothing depends on when it last ran.
 *
 * Entries, each applied by the same function live and in replay:
 *   good.collect      {"good"}: by the person the item waits for
 *   good.hold_expire  {"good","hold"}: by the clock (actor "operator")
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

#define DAY 86400

int lending_terms_set(struct store *s, int64_t scarcity, int64_t collect_days,
		      int64_t buffer_days)
{
	if (!collect_days && !buffer_days)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO lending_terms(scarcity_id, collect_days,"
				      " buffer_days) VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, scarcity);
	sqlite3_bind_int64(st, 2, collect_days);
	sqlite3_bind_int64(st, 3, buffer_days);
	return store_run(st);
}

int lending_terms_of(struct store *s, int64_t scarcity, struct lending_terms *t)
{
	int row = 0, rc;
	memset(t, 0, sizeof(*t));
	sqlite3_stmt *st = store_stmt(s, "SELECT k.loan_days, coalesce(l.collect_days, 0),"
		" coalesce(l.buffer_days, 0) FROM scarcities k LEFT JOIN lending_terms l"
		" ON l.scarcity_id = k.id WHERE k.id = ?");
	sqlite3_bind_int64(st, 1, scarcity);
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	t->loan_days = sqlite3_column_int64(st, 0);
	t->collect_days = sqlite3_column_int64(st, 1);
	t->buffer_days = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}

/* *until: when the item's rest ends (0: it does not rest). */
static int rest_until(struct store *s, int64_t good, int64_t *until)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT until FROM item_rests WHERE good_id = ?");
	sqlite3_bind_int64(st, 1, good);
	*until = 0;
	return store_int64(st, until, NULL);
}

int lending_resting(struct store *s, int64_t good, int64_t now, struct px_error *err)
{
	int64_t until = 0;
	int rc = rest_until(s, good, &until);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (until > now)
		return px_fail(err, PX_E_CONFLICT, NULL, "this item rests between loans: it is"
			       " lent again once its rest is over");
	return 0;
}

/* A waiting hold for request's account from max(now, the rest's end). */
static int hold_start(struct store *s, int64_t good, int64_t round, int64_t request,
		      int64_t account, int64_t collect_days, int64_t now)
{
	int64_t rest = 0;
	int rc = rest_until(s, good, &rest);
	if (rc)
		return rc;
	int64_t since = rest > now ? rest : now;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO item_holds(good_id, round_id,"
		" request_id, account_id, since, until, state) VALUES (?, ?, ?, ?, ?, ?,"
		" 'waiting')");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_int64(st, 3, request);
	sqlite3_bind_int64(st, 4, account);
	sqlite3_bind_int64(st, 5, since);
	if (collect_days)
		sqlite3_bind_int64(st, 6, since + collect_days * DAY);
	return store_run(st);
}

int lending_won(struct store *s, int64_t good, int64_t scarcity, int64_t round,
		int64_t request, int64_t now)
{
	struct lending_terms t;
	int64_t rest = 0, account = 0;
	int rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT account_id FROM round_requests WHERE id = ?");
	sqlite3_bind_int64(st, 1, request);
	if ((rc = store_int64(st, &account, NULL)) || (rc = lending_terms_of(s, scarcity, &t)) ||
	    (rc = rest_until(s, good, &rest)))
		return rc;
	if (t.collect_days || rest > now)
		return hold_start(s, good, round, request, account, t.collect_days, now);
	int64_t due = t.loan_days ? now + t.loan_days * DAY : 0;
	st = store_stmt(s, "UPDATE goods SET holder = ?, due_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, account);
	if (due)
		sqlite3_bind_int64(st, 2, due);
	sqlite3_bind_int64(st, 3, good);
	if ((rc = store_run(st)))
		return rc;
	return loan_start(s, good, account, "round", round, now, due);
}

int lending_returned(struct store *s, int64_t good, int64_t now)
{
	int64_t scarcity = 0;
	struct lending_terms t;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM scarcities WHERE good_id = ? AND"
				      " lifted_at IS NULL");
	sqlite3_bind_int64(st, 1, good);
	int rc = store_int64(st, &scarcity, NULL);
	if (rc || !scarcity)
		return rc;
	if ((rc = lending_terms_of(s, scarcity, &t)) || !t.buffer_days)
		return rc;
	st = store_stmt(s, "INSERT INTO item_rests(good_id, until) VALUES (?1, ?2)"
			" ON CONFLICT(good_id) DO UPDATE SET until = ?2");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, now + t.buffer_days * DAY);
	return store_run(st);
}

/* ---- good.hold_expire ---- */

static int apply_expire(struct store *s, const json_t *p, int64_t now, const char *actor,
			int64_t *id, struct px_error *err)
{
	(void)actor;
	int64_t good = json_integer_value(json_object_get(p, "good"));
	int64_t hold = json_integer_value(json_object_get(p, "hold"));
	int64_t round = 0, request = 0, until = 0, scarcity = 0;
	int row = 0, rc;
	*id = good;
	sqlite3_stmt *st = store_stmt(s, "SELECT h.round_id, h.request_id, h.until,"
		" r.scarcity_id FROM item_holds h JOIN rounds r ON r.id = h.round_id"
		" WHERE h.id = ? AND h.good_id = ? AND h.state = 'waiting'");
	sqlite3_bind_int64(st, 1, hold);
	sqlite3_bind_int64(st, 2, good);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_CONFLICT, NULL, "no hold %lld waits on this item",
			       (long long)hold);
	round = sqlite3_column_int64(st, 0);
	request = sqlite3_column_int64(st, 1);
	until = sqlite3_column_int64(st, 2);
	scarcity = sqlite3_column_int64(st, 3);
	int open_ended = sqlite3_column_type(st, 2) == SQLITE_NULL;
	sqlite3_reset(st);
	if (open_ended || until > now)
		return px_fail(err, PX_E_CONFLICT, NULL, "this hold has not expired");
	st = store_stmt(s, "UPDATE item_holds SET state = 'expired', ended_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, hold);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	/* the next by the round's lottery order: its categories in the order
	 * reserve flows on, each by its places; whoever received nothing and
	 * was not offered it yet */
	int64_t next = 0;
	st = store_stmt(s, "SELECT q.id FROM round_requests q LEFT JOIN round_allocations a"
		" ON a.round_id = q.round_id AND a.request_id = q.id WHERE q.round_id = ?1"
		" AND q.id <> ?2 AND coalesce(a.num, 0) = 0 AND NOT EXISTS (SELECT 1"
		" FROM item_holds h WHERE h.request_id = q.id) ORDER BY q.category, a.place,"
		" q.id LIMIT 1");
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, request);
	if ((rc = store_int64(st, &next, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (next) {
		struct lending_terms t;
		int64_t account = 0;
		st = store_stmt(s, "SELECT account_id FROM round_requests WHERE id = ?");
		sqlite3_bind_int64(st, 1, next);
		if ((rc = store_int64(st, &account, NULL)) ||
		    (rc = lending_terms_of(s, scarcity, &t)) ||
		    (rc = hold_start(s, good, round, next, account, t.collect_days, now)))
			return px_fail(err, rc, NULL, NULL);
		return 0;
	}
	/* nobody left: back in the register, for the next round */
	st = store_stmt(s, "UPDATE goods SET stock = 1 WHERE id = ? AND holder IS NULL");
	sqlite3_bind_int64(st, 1, good);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

int sharing_clock(struct store *s, int64_t now, int64_t *made, struct px_error *err)
{
	int rc = 0;
	for (;;) {
		int64_t hold = 0, good = 0, id = 0;
		int row = 0;
		sqlite3_stmt *st = store_stmt(s, "SELECT id, good_id FROM item_holds WHERE"
			" state = 'waiting' AND until IS NOT NULL AND until <= ?"
			" ORDER BY until, id LIMIT 1");
		sqlite3_bind_int64(st, 1, now);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (!row)
			return 0;
		hold = sqlite3_column_int64(st, 0);
		good = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		json_t *p = json_pack("{s:I, s:I}", "good", (json_int_t)good,
				      "hold", (json_int_t)hold);
		if (!p)
			return px_fail(err, PX_E_NOMEM, NULL, NULL);
		rc = apply_expire(s, p, now, "operator", &id, err);
		if (!rc && (rc = journal_append(s, now, "operator", NULL, "good.hold_expire", p,
						NULL)))
			px_fail(err, rc, NULL, NULL);
		json_decref(p);
		if (rc)
			return rc;
		if (made)
			(*made)++;
	}
}

struct clock_args {
	int64_t now, made;
	struct px_error *err;
};

static int clock_tx(struct store *s, void *arg)
{
	struct clock_args *a = arg;
	a->made = 0;
	return sharing_clock(s, a->now, &a->made, a->err);
}

int gov_sharing_clock(const struct gov_ctx *ctx, int64_t *made, struct px_error *err)
{
	struct clock_args a = { ctx->now, 0, err };
	int rc = store_tx(ctx->db, clock_tx, &a);
	if (made)
		*made = rc ? 0 : a.made;
	return rc && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
}

/* ---- good.collect ---- */

static int apply_collect(struct store *s, const json_t *p, int64_t now, const char *actor,
			 int64_t *id, struct px_error *err)
{
	struct good_row g;
	int64_t who = 0, hold = 0, since = 0, until = 0, scarcity = 0;
	int row = 0, rc;
	*id = json_integer_value(json_object_get(p, "good"));
	if ((rc = sharing_good_row(s, *id, &g, err)))
		return rc;
	if ((rc = sharing_account(s, actor, &who)))
		return px_fail(err, rc, NULL, NULL);
	sqlite3_stmt *st = store_stmt(s, "SELECT h.id, h.since, h.until, r.scarcity_id,"
		" h.round_id FROM item_holds h JOIN rounds r ON r.id = h.round_id WHERE h.good_id = ?"
		" AND h.state = 'waiting' AND h.account_id = ? ORDER BY h.id LIMIT 1");
	sqlite3_bind_int64(st, 1, g.id);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "this item does not wait for you:"
			       " only whoever it is held for collects it");
	hold = sqlite3_column_int64(st, 0);
	since = sqlite3_column_int64(st, 1);
	until = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 2);
	scarcity = sqlite3_column_int64(st, 3);
	int64_t round = sqlite3_column_int64(st, 4);
	sqlite3_reset(st);
	if (now < since)
		return px_fail(err, PX_E_CONFLICT, NULL, "this item rests between loans: it"
			       " waits for you once its rest is over");
	if (until && now >= until)
		return px_fail(err, PX_E_CONFLICT, NULL, "your hold expired: the item passed"
			       " to the next");
	if ((rc = sharing_may_request(s, &g, scarcity, who, err)) ||
	    (rc = sharing_overdue(s, who, now, err)))
		return rc;
	struct lending_terms t;
	if ((rc = lending_terms_of(s, scarcity, &t)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE item_holds SET state = 'collected', ended_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, hold);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	int64_t due = t.loan_days ? now + t.loan_days * DAY : 0;
	st = store_stmt(s, "UPDATE goods SET holder = ?, due_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, who);
	if (due)
		sqlite3_bind_int64(st, 2, due);
	sqlite3_bind_int64(st, 3, g.id);
	if ((rc = store_run(st)) || (rc = loan_start(s, g.id, who, "hold", round,
						     now, due)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

struct collect_args {
	const struct gov_ctx *ctx;
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int collect_tx(struct store *s, void *arg)
{
	struct collect_args *a = arg;
	int64_t id = 0;
	json_decref(a->out);
	a->out = NULL;
	/* the clock first: a hold whose date passed is gone, whenever the
	 * server's clock last ran */
	int rc = sharing_clock(s, a->ctx->now, NULL, a->err);
	if (!rc)
		rc = apply_collect(s, a->payload, a->ctx->now, a->ctx->handle, &id, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL, "good.collect",
				    a->payload, NULL);
	if (!rc) {
		struct px_error e = { 0 };
		rc = gov_good_get(a->ctx, id, &a->out, &e);
	}
	return rc;
}

int gov_good_collect(const struct gov_ctx *ctx, int64_t good, json_t **out,
		     struct px_error *err)
{
	struct collect_args a = { .ctx = ctx, .err = err };
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!(a.payload = json_pack("{s:I}", "good", (json_int_t)good)))
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, collect_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	}
	*out = a.out;
	return 0;
}

/* ---- reading ---- */

int lending_good_json(struct store *s, int64_t good, int64_t now, json_t *o)
{
	int64_t rest = 0, scarcity = 0;
	json_t *policy = json_object_get(o, "policy");
	int rc = rest_until(s, good, &rest);
	if (rc)
		return rc;
	if (json_is_object(policy)) {
		struct lending_terms t;
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM scarcities WHERE good_id = ?"
					      " AND lifted_at IS NULL");
		sqlite3_bind_int64(st, 1, good);
		if ((rc = store_int64(st, &scarcity, NULL)) ||
		    (rc = lending_terms_of(s, scarcity, &t)))
			return rc;
		json_object_set_new(policy, "collect_days", json_integer(t.collect_days));
		json_object_set_new(policy, "buffer_days", json_integer(t.buffer_days));
	}
	json_object_set_new(o, "rests_until", rest ? json_integer(rest) : json_null());
	json_object_set_new(o, "resting", json_boolean(rest > now));
	json_t *holds = json_array();
	if (!holds || json_object_set_new(o, "holds", holds))
		return PX_E_NOMEM;
	json_object_set_new(o, "hold", json_null());
	sqlite3_stmt *st = store_stmt(s, "SELECT h.id, a.handle, a.display_name, h.since,"
		" h.until, h.state, h.ended_at, h.round_id FROM item_holds h JOIN accounts a"
		" ON a.id = h.account_id WHERE h.good_id = ? ORDER BY h.id DESC LIMIT 50");
	sqlite3_bind_int64(st, 1, good);
	while (store_next(st, &rc)) {
		json_t *x = json_pack("{s:I, s:s, s:s, s:I, s:o, s:s, s:o, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"for", (const char *)sqlite3_column_text(st, 1),
			"for_name", (const char *)sqlite3_column_text(st, 2),
			"since", (json_int_t)sqlite3_column_int64(st, 3),
			"until", sharing_int_or_null(st, 4),
			"state", (const char *)sqlite3_column_text(st, 5),
			"ended_at", sharing_int_or_null(st, 6),
			"round", (json_int_t)sqlite3_column_int64(st, 7));
		if (!x)
			continue;
		if (!strcmp(json_string_value(json_object_get(x, "state")), "waiting")) {
			json_t *until = json_object_get(x, "until");
			json_t *w = json_deep_copy(x);
			int over = !json_is_null(until) && json_integer_value(until) <= now;
			json_object_set_new(w, "ready", json_boolean(
				json_integer_value(json_object_get(x, "since")) <= now && !over));
			/* its date passed: the server's clock passes it on at its
			 * next tick, or at the next collection */
			json_object_set_new(w, "expired", json_boolean(over));
			json_object_set_new(o, "hold", w);
		}
		json_array_append_new(holds, x);
	}
	return rc;
}

int sharing_reminders(struct store *s, int64_t now, json_t **out)
{
	int rc = 0;
	json_t *list = json_array();
	if (!list)
		return PX_E_NOMEM;
	/* loans: a day before the date, and on it (told within a day of it) */
	sqlite3_stmt *st = store_stmt(s, "SELECT g.id, g.holder, g.due_at, g.name,"
		" CASE WHEN g.due_at <= ?1 THEN 'due' ELSE 'tomorrow' END FROM goods g"
		" WHERE g.holder IS NOT NULL AND g.due_at IS NOT NULL"
		" AND g.due_at - 86400 <= ?1 AND g.due_at + 86400 > ?1 ORDER BY g.due_at, g.id");
	sqlite3_bind_int64(st, 1, now);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s+, s:I}",
			"good", (json_int_t)sqlite3_column_int64(st, 0),
			"account", (json_int_t)sqlite3_column_int64(st, 1),
			"name", (const char *)sqlite3_column_text(st, 3),
			"what", "loan_", (const char *)sqlite3_column_text(st, 4),
			"at", (json_int_t)sqlite3_column_int64(st, 2)));
	if (rc)
		goto out;
	/* holds: ready, and a day before they expire (when they last longer) */
	st = store_stmt(s, "SELECT h.good_id, h.account_id, h.id, g.name, h.until,"
		" h.until IS NOT NULL AND h.until - 86400 <= ?1 AND h.until - h.since > 86400"
		" FROM item_holds h JOIN goods g ON g.id = h.good_id WHERE h.state = 'waiting'"
		" AND h.since <= ?1 AND (h.until IS NULL OR h.until > ?1) ORDER BY h.id");
	sqlite3_bind_int64(st, 1, now);
	while (store_next(st, &rc)) {
		int64_t until = sqlite3_column_int64(st, 4);
		json_t *x = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I}",
			"good", (json_int_t)sqlite3_column_int64(st, 0),
			"account", (json_int_t)sqlite3_column_int64(st, 1),
			"name", (const char *)sqlite3_column_text(st, 3),
			"what", "hold_ready", "at", (json_int_t)sqlite3_column_int64(st, 2),
			"until", (json_int_t)until);
		json_array_append(list, x);
		if (sqlite3_column_int(st, 5)) {
			json_t *y = json_deep_copy(x);
			json_object_set_new(y, "what", json_string("hold_expiring"));
			json_array_append_new(list, y);
		}
		json_decref(x);
	}
out:
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* ---- replay ---- */

int lending_owns(const char *action, size_t len)
{
	return (len == 12 && !memcmp(action, "good.collect", 12)) ||
	       (len == 16 && !memcmp(action, "good.hold_expire", 16));
}

int lending_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		   const char *actor, struct px_error *err)
{
	int64_t id = 0;
	if (!strcmp(action, "good.collect"))
		return apply_collect(s, payload, at, actor, &id, err);
	return apply_expire(s, payload, at, actor, &id, err);
}
