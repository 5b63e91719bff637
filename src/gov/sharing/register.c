/*
 * register.c: the register of a sharing economy and what is taken from
 * it (sharing.h, docs/sharing.md "The register").
 *
 * Entries, each applied by the same function live and in replay:
 *   good.offer   {"enterprise","kind","name","description","unit","units",
 *                 "stock","condition","location"}: by an active member of
 *                an enterprise in good standing whose local assembly is in
 *                a sharing economy
 *   good.stock   {"good","stock","note"}: by an active member of its
 *                enterprise (products and services)
 *   good.take    {"good","quantity","on_behalf"|null}: by a member of an
 *                assembly of the economy, in good standing (or acting for
 *                an enterprise in good standing), not opted out; an item
 *                taken is held until returned
 *   good.return  {"good","condition"?}: by the holder of an item, with
 *                an optional note on its condition (the loan history's)
 *   sharing.opt  {"opted_out": bool}: by the person, of themselves
 *
 * Every rule is checked inside the apply function, so that replay meets
 * it too: the state it reads (standing, memberships, stock) is the state
 * the live path read.
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

static const char *const good_kinds[] = { "product", "item", "service", NULL };

int sharing_kind_valid(const char *kind)
{
	for (const char *const *k = good_kinds; kind && *k; k++)
		if (!strcmp(*k, kind))
			return 1;
	return 0;
}

int sharing_account(struct store *s, const char *handle, int64_t *id)
{
	*id = 0;
	if (!handle || !*handle)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

static int active_in(struct store *s, int64_t body, int64_t account, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM memberships WHERE body_id = ?"
				      " AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, account);
	return store_exists(st, yes);
}

/* The economy the local assembly of the enterprise's community is in now
 * (0: none). */
int sharing_economy_of_enterprise(struct store *s, int64_t enterprise, int64_t *economy)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT x.economy_id FROM bodies e JOIN bodies l"
		" ON l.community_id = e.community_id AND l.kind = 'local' JOIN"
		" sharing_assemblies x ON x.body_id = l.id AND x.left_at IS NULL"
		" WHERE e.id = ? LIMIT 1");
	sqlite3_bind_int64(st, 1, enterprise);
	return store_int64(st, economy, NULL);
}

/* *yes: account is an active member of a local assembly in economy now. */
int sharing_member_of(struct store *s, int64_t economy, int64_t account, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM sharing_assemblies x JOIN"
		" memberships m ON m.body_id = x.body_id AND m.status = 'active'"
		" WHERE x.economy_id = ? AND x.left_at IS NULL AND m.account_id = ?");
	sqlite3_bind_int64(st, 1, economy);
	sqlite3_bind_int64(st, 2, account);
	return store_exists(st, yes);
}

int sharing_opted_out(struct store *s, int64_t account, int *yes)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT opted_out FROM sharing_optouts WHERE"
				      " account_id = ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, account);
	int rc = store_int64(st, &v, NULL);
	*yes = v != 0;
	return rc;
}

int sharing_may_take(struct store *s, const struct good_row *g, int64_t who,
		     int person, struct px_error *err)
{
	int yes = 0, rank = 0, rc;
	if (!who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	if (g->withdrawn)
		return px_fail(err, PX_E_CONFLICT, NULL, "this good is no longer offered");
	if ((rc = sharing_member_of(s, g->economy, who, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_SHARING_OUTSIDE, NULL, "you are not a member of a"
			       " local assembly that joined this sharing economy");
	if ((rc = sharing_opted_out(s, who, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_SHARING_OPTED_OUT, NULL, NULL);
	if (!person)
		return 0;
	if ((rc = economy_person_standing(s, who, &rank)))
		return px_fail(err, rc, NULL, NULL);
	if (rank != ECONOMY_GOOD)
		return px_fail(err, PX_E_SHARING_STANDING, NULL, NULL);
	return 0;
}

int sharing_overdue(struct store *s, int64_t who, int64_t now, struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT name FROM goods WHERE holder = ? AND"
				      " kind = 'item' AND due_at < ? ORDER BY due_at, id LIMIT 1");
	sqlite3_bind_int64(st, 1, who);
	sqlite3_bind_int64(st, 2, now);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return 0;
	rc = px_fail(err, PX_E_CONFLICT, NULL, "return %s first: it is overdue, and"
		     " someone with an item overdue is lent no other",
		     (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

/* ---- good.offer ---- */

static int apply_offer(struct store *s, const json_t *p, int64_t now, const char *actor,
		       int64_t *id, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "enterprise"));
	const char *kind = json_string_value(json_object_get(p, "kind"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *desc = json_string_value(json_object_get(p, "description"));
	const char *unit = json_string_value(json_object_get(p, "unit"));
	const char *units = json_string_value(json_object_get(p, "units"));
	const char *cond = json_string_value(json_object_get(p, "condition"));
	const char *loc = json_string_value(json_object_get(p, "location"));
	int64_t stock = json_integer_value(json_object_get(p, "stock"));
	int64_t body = 0, who = 0, economy = 0;
	int rc, yes = 0, rank = 0;
	if ((rc = economy_enterprise_id(s, slug, &body)))
		return px_fail(err, rc, NULL, NULL);
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug ? slug : "");
	if ((rc = sharing_account(s, actor, &who)) ||
	    (who && (rc = active_in(s, body, who, &yes))))
		return px_fail(err, rc, NULL, NULL);
	if (!who || !yes)
		return px_fail(err, PX_E_NOT_MEMBER, NULL, "only an active member of the"
			       " enterprise offers what it makes");
	if (!sharing_kind_valid(kind) || !name || !desc || !unit || !units || !cond || !loc ||
	    stock < 0 || stock > SHARING_STOCK_MAX)
		return px_fail(err, PX_E_BAD_INPUT, NULL, "an offer needs kind, name,"
			       " description, unit, units, stock, condition and location");
	if (!strcmp(kind, "item") && stock > 1)
		return px_fail(err, PX_E_OUT_OF_RANGE, "stock", "a unique item is one: its"
			       " stock is 1 (or 0 while it is not available)");
	if ((rc = economy_enterprise_standing(s, body, &rank)))
		return px_fail(err, rc, NULL, NULL);
	if (rank != ECONOMY_GOOD)
		return px_fail(err, PX_E_SHARING_STANDING, "enterprise", "only an enterprise"
			       " in good standing offers to the sharing economy: its local"
			       " assembly decides its standing");
	if ((rc = sharing_economy_of_enterprise(s, body, &economy)))
		return px_fail(err, rc, NULL, NULL);
	if (!economy)
		return px_fail(err, PX_E_SHARING_OUTSIDE, "enterprise", "the local assembly"
			       " of this enterprise's community has not joined a sharing economy");
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO goods(economy_id, body_id, kind, name,"
		" description, unit, units, stock, condition, location, offered_by, offered_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, economy);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, desc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, units, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, stock);
	sqlite3_bind_text(st, 9, cond, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, loc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, who);
	sqlite3_bind_int64(st, 12, now);
	if ((rc = store_int64(st, id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

/* ---- a write: apply, journal, answer, in one transaction ---- */

struct write_args {
	const struct gov_ctx *ctx;
	const char *action;
	const char *body; /* the journal entry's body: the enterprise, or NULL */
	json_t *payload;
	int (*apply)(struct store *, const json_t *, int64_t, const char *, int64_t *,
		     struct px_error *);
	int (*answer)(struct store *, const struct gov_ctx *, int64_t, json_t **);
	int64_t id;
	json_t *out;
	struct px_error *err;
};

static int write_tx(struct store *s, void *arg)
{
	struct write_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	int rc = a->apply(s, a->payload, a->ctx->now, a->ctx->handle, &a->id, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->body, a->action,
				    a->payload, NULL);
	if (!rc && a->answer)
		rc = a->answer(s, a->ctx, a->id, &a->out);
	return rc;
}

static int run_write(struct write_args *a, json_t **out)
{
	int rc = store_tx(a->ctx->db, write_tx, a);
	json_decref(a->payload);
	if (rc) {
		json_decref(a->out);
		return a->err->code ? rc : px_fail(a->err, rc, NULL, NULL);
	}
	*out = a->out;
	return 0;
}

static int good_answer(struct store *s, const struct gov_ctx *ctx, int64_t id, json_t **out)
{
	(void)s;
	struct px_error e = { 0 };
	return gov_good_get(ctx, id, out, &e);
}

int gov_good_offer(const struct gov_ctx *ctx, const char *enterprise,
		   const struct good_in *in, json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	const char *kind = in->kind;
	int item = kind && !strcmp(kind, "item");
	const char *unit = in->unit ? in->unit : item ? "item" : NULL;
	const char *units = in->units ? in->units : item ? "items" : NULL;
	if (!kind)
		return px_fail(err, PX_E_MISSING_FIELD, "kind", "what is offered: a product,"
			       " a unique item or a service");
	if (!sharing_kind_valid(kind))
		return px_fail(err, PX_E_BAD_INPUT, "kind", "kind is product, item or service");
	if (!in->name || text_check_line(in->name, 1, 120))
		return px_fail(err, PX_E_BAD_INPUT, "name", "a name has 1 to 120 characters"
			       " on one line");
	if (in->description && text_check_block(in->description, 0, 2000))
		return px_fail(err, PX_E_BAD_INPUT, "description", "a description has up to"
			       " 2,000 characters");
	if (!unit)
		return px_fail(err, PX_E_MISSING_FIELD, "unit", "what one of it is called"
			       " (a loaf, a kilogram, an hour)");
	if (text_check_line(unit, 1, 40))
		return px_fail(err, PX_E_BAD_INPUT, "unit", "a unit has 1 to 40 characters");
	if (!units)
		return px_fail(err, PX_E_MISSING_FIELD, "units", "what several of it are"
			       " called (loaves, kilograms, hours)");
	if (text_check_line(units, 1, 40))
		return px_fail(err, PX_E_BAD_INPUT, "units", "units has 1 to 40 characters");
	if (((in->condition && *in->condition) || (in->location && *in->location)) && !item)
		return px_fail(err, PX_E_BAD_INPUT, in->condition && *in->condition
			       ? "condition" : "location", "only a unique item has a"
			       " condition and a location");
	if (in->condition && text_check_line(in->condition, 0, 200))
		return px_fail(err, PX_E_BAD_INPUT, "condition", "a condition has up to 200"
			       " characters");
	if (in->location && text_check_line(in->location, 0, 200))
		return px_fail(err, PX_E_BAD_INPUT, "location", "a location has up to 200"
			       " characters");
	if (in->stock < 0 || in->stock > SHARING_STOCK_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "stock", "stock is 0 to a trillion");
	if (item && in->stock > 1)
		return px_fail(err, PX_E_OUT_OF_RANGE, "stock", "a unique item is one: its"
			       " stock is 1 (or 0 while it is not available)");
	struct write_args a = { .ctx = ctx, .action = "good.offer", .body = enterprise,
				.apply = apply_offer, .answer = good_answer, .err = err };
	a.payload = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
		"enterprise", enterprise ? enterprise : "", "kind", kind, "name", in->name,
		"description", in->description ? in->description : "", "unit", unit,
		"units", units, "stock", (json_int_t)in->stock,
		"condition", in->condition ? in->condition : "",
		"location", in->location ? in->location : "");
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	return run_write(&a, out);
}

/* ---- good.stock ---- */

int sharing_good_row(struct store *s, int64_t id, struct good_row *g, struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT economy_id, body_id, kind, stock, holder,"
				      " withdrawn_at IS NOT NULL FROM goods WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no good %lld in any register",
			       (long long)id);
	g->id = id;
	g->economy = sqlite3_column_int64(st, 0);
	g->body = sqlite3_column_int64(st, 1);
	snprintf(g->kind, sizeof(g->kind), "%s", (const char *)sqlite3_column_text(st, 2));
	g->stock = sqlite3_column_int64(st, 3);
	g->holder = sqlite3_column_int64(st, 4);
	g->withdrawn = sqlite3_column_int(st, 5);
	sqlite3_reset(st);
	return 0;
}

static int apply_stock(struct store *s, const json_t *p, int64_t now, const char *actor,
		       int64_t *id, struct px_error *err)
{
	struct good_row g;
	int64_t who = 0;
	int64_t stock = json_integer_value(json_object_get(p, "stock"));
	const char *note = json_string_value(json_object_get(p, "note"));
	int yes = 0, rc;
	*id = json_integer_value(json_object_get(p, "good"));
	if ((rc = sharing_good_row(s, *id, &g, err)))
		return rc;
	if ((rc = sharing_account(s, actor, &who)) ||
	    (who && (rc = active_in(s, g.body, who, &yes))))
		return px_fail(err, rc, NULL, NULL);
	if (!who || !yes)
		return px_fail(err, PX_E_NOT_MEMBER, NULL, "only an active member of the"
			       " enterprise that offers it updates its stock");
	if (!strcmp(g.kind, "item"))
		return px_fail(err, PX_E_CONFLICT, "stock", "a unique item is there or lent:"
			       " whoever holds it returns it");
	if (stock < 0 || stock > SHARING_STOCK_MAX || !note)
		return px_fail(err, PX_E_OUT_OF_RANGE, "stock", "stock is 0 to a trillion");
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO good_stock(good_id, stock, previous,"
				      " note, by_account, at) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, g.id);
	sqlite3_bind_int64(st, 2, stock);
	sqlite3_bind_int64(st, 3, g.stock);
	sqlite3_bind_text(st, 4, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, who);
	sqlite3_bind_int64(st, 6, now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE goods SET stock = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, stock);
	sqlite3_bind_int64(st, 2, g.id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

int gov_good_stock(const struct gov_ctx *ctx, int64_t good, int64_t stock,
		   const char *note, json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (stock < 0 || stock > SHARING_STOCK_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "stock", "stock is 0 to a trillion");
	if (note && text_check_line(note, 0, 200))
		return px_fail(err, PX_E_BAD_INPUT, "note", "a note has up to 200 characters"
			       " on one line");
	struct write_args a = { .ctx = ctx, .action = "good.stock", .apply = apply_stock,
				.answer = good_answer, .err = err };
	a.payload = json_pack("{s:I, s:I, s:s}", "good", (json_int_t)good,
			      "stock", (json_int_t)stock, "note", note ? note : "");
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	return run_write(&a, out);
}

/* ---- good.take, good.return ---- */

static int apply_take(struct store *s, const json_t *p, int64_t now, const char *actor,
		      int64_t *id, struct px_error *err)
{
	struct good_row g;
	int64_t who = 0, behalf = 0, quantity = json_integer_value(json_object_get(p,
										  "quantity"));
	const char *on_behalf = json_string_value(json_object_get(p, "on_behalf"));
	int yes = 0, rank = 0, rc;
	if ((rc = sharing_good_row(s, json_integer_value(json_object_get(p, "good")), &g,
				   err)))
		return rc;
	if ((rc = sharing_account(s, actor, &who)))
		return px_fail(err, rc, NULL, NULL);
	if (!who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	if ((rc = sharing_may_take(s, &g, who, !on_behalf, err)))
		return rc;
	if (on_behalf) {
		if ((rc = economy_enterprise_id(s, on_behalf, &behalf)) ||
		    (behalf && (rc = active_in(s, behalf, who, &yes))))
			return px_fail(err, rc, NULL, NULL);
		if (!behalf)
			return px_fail(err, PX_E_NOT_FOUND, "on_behalf", "no enterprise '%s'",
				       on_behalf);
		if (!yes)
			return px_fail(err, PX_E_NOT_MEMBER, "on_behalf", "only its active"
				       " members take for an enterprise");
		if ((rc = economy_enterprise_standing(s, behalf, &rank)))
			return px_fail(err, rc, NULL, NULL);
		if (rank != ECONOMY_GOOD)
			return px_fail(err, PX_E_SHARING_STANDING, "on_behalf", "this"
				       " enterprise is not in good standing in the sharing economy");
	}
	if ((rc = sharing_good_scarce(s, g.id, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_SHARING_SCARCE, NULL, NULL);
	if (!strcmp(g.kind, "item") && ((rc = sharing_overdue(s, who, now, err)) ||
					 (rc = lending_resting(s, g.id, now, err))))
		return rc;
	if (!strcmp(g.kind, "item") && quantity != 1)
		return px_fail(err, PX_E_OUT_OF_RANGE, "quantity", "a unique item is taken"
			       " whole: quantity 1");
	if (quantity < 1 || quantity > SHARING_STOCK_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "quantity", "quantity is at least 1");
	if (quantity > g.stock)
		return px_fail(err, PX_E_CONFLICT, "quantity", g.stock ? "there is not that"
			       " much: %lld left" : "there is none left now", (long long)g.stock);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO takes(good_id, account_id, body_id,"
				      " quantity, at) VALUES (?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, g.id);
	sqlite3_bind_int64(st, 2, who);
	if (behalf)
		sqlite3_bind_int64(st, 3, behalf);
	sqlite3_bind_int64(st, 4, quantity);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = store_int64(st, id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE goods SET stock = stock - ?, holder = CASE WHEN kind ="
			" 'item' THEN ? ELSE holder END WHERE id = ?");
	sqlite3_bind_int64(st, 1, quantity);
	sqlite3_bind_int64(st, 2, who);
	sqlite3_bind_int64(st, 3, g.id);
	if ((rc = store_run(st)) ||
	    (!strcmp(g.kind, "item") && (rc = loan_start(s, g.id, who, "take", 0, now, 0))))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int take_answer(struct store *s, const struct gov_ctx *ctx, int64_t id, json_t **out)
{
	(void)ctx;
	return sharing_take_json(s, id, out);
}

int gov_good_take(const struct gov_ctx *ctx, int64_t good, int64_t quantity,
		  const char *on_behalf, json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (quantity < 1 || quantity > SHARING_STOCK_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "quantity", "quantity is at least 1");
	if (on_behalf && !gov_slug_valid(on_behalf))
		return px_fail(err, PX_E_NOT_FOUND, "on_behalf", "no enterprise '%s'", on_behalf);
	struct write_args a = { .ctx = ctx, .action = "good.take", .apply = apply_take,
				.answer = take_answer, .err = err };
	a.payload = json_pack("{s:I, s:I}", "good", (json_int_t)good,
			      "quantity", (json_int_t)quantity);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_object_set_new(a.payload, "on_behalf", on_behalf ? json_string(on_behalf)
			    : json_null());
	return run_write(&a, out);
}

static int apply_return(struct store *s, const json_t *p, int64_t now, const char *actor,
			int64_t *id, struct px_error *err)
{
	struct good_row g;
	int64_t who = 0;
	int rc;
	*id = json_integer_value(json_object_get(p, "good"));
	if ((rc = sharing_good_row(s, *id, &g, err)))
		return rc;
	if ((rc = sharing_account(s, actor, &who)))
		return px_fail(err, rc, NULL, NULL);
	if (strcmp(g.kind, "item"))
		return px_fail(err, PX_E_CONFLICT, NULL, "only a unique item is returned:"
			       " what is taken of a product or a service is used");
	if (!who || g.holder != who)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only whoever holds the item"
			       " returns it");
	const char *note = json_string_value(json_object_get(p, "condition"));
	if (note && text_check_line(note, 0, 200))
		return px_fail(err, PX_E_BAD_INPUT, "condition", "a note on its condition has"
			       " up to 200 characters, on one line");
	if ((rc = loan_end(s, g.id, who, now, note)))
		return px_fail(err, rc, NULL, NULL);
	sqlite3_stmt *st = store_stmt(s, "UPDATE takes SET returned_at = ? WHERE good_id = ?"
				      " AND account_id = ? AND returned_at IS NULL");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, g.id);
	sqlite3_bind_int64(st, 3, who);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE goods SET holder = NULL, due_at = NULL, stock = 1"
			" WHERE id = ?");
	sqlite3_bind_int64(st, 1, g.id);
	if ((rc = store_run(st)) || (rc = lending_returned(s, g.id, now)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

int gov_good_return(const struct gov_ctx *ctx, int64_t good, const char *condition,
		    json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (condition && text_check_line(condition, 0, 200))
		return px_fail(err, PX_E_BAD_INPUT, "condition", "a note on its condition has"
			       " up to 200 characters, on one line");
	struct write_args a = { .ctx = ctx, .action = "good.return", .apply = apply_return,
				.answer = good_answer, .err = err };
	/* the note only when there is one: entries before notes replay alike */
	a.payload = condition && *condition
		? json_pack("{s:I, s:s}", "good", (json_int_t)good, "condition", condition)
		: json_pack("{s:I}", "good", (json_int_t)good);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	return run_write(&a, out);
}

/* good.renew {"good"}: the holder keeps a lent item one more loan
 * period, unless others asked for it in its open round. */
static int apply_renew(struct store *s, const json_t *p, int64_t now, const char *actor,
		       int64_t *id, struct px_error *err)
{
	struct good_row g;
	int64_t who = 0, days = 0, due = 0;
	int waiting = 0, rc;
	*id = json_integer_value(json_object_get(p, "good"));
	if ((rc = sharing_good_row(s, *id, &g, err)))
		return rc;
	if ((rc = sharing_account(s, actor, &who)))
		return px_fail(err, rc, NULL, NULL);
	if (!who || g.holder != who)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only whoever holds the item renews"
			       " its loan");
	sqlite3_stmt *st = store_stmt(s, "SELECT k.loan_days, g.due_at FROM goods g JOIN"
		" scarcities k ON k.good_id = g.id AND k.lifted_at IS NULL WHERE g.id = ?");
	sqlite3_bind_int64(st, 1, g.id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		days = sqlite3_column_int64(st, 0);
		due = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	if (!days || !due)
		return px_fail(err, PX_E_CONFLICT, NULL, "this item is not lent for a time:"
			       " there is nothing to renew");
	st = store_stmt(s, "SELECT 1 FROM rounds r JOIN round_requests q ON q.round_id = r.id"
			" WHERE r.good_id = ? AND r.closed_at IS NULL AND q.account_id <> ?");
	sqlite3_bind_int64(st, 1, g.id);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = store_exists(st, &waiting)))
		return px_fail(err, rc, NULL, NULL);
	if (waiting)
		return px_fail(err, PX_E_CONFLICT, NULL, "others are waiting for it: a loan is"
			       " not renewed while others asked for the item");
	int64_t until = (due > now ? due : now) + days * 86400;
	st = store_stmt(s, "UPDATE goods SET due_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, until);
	sqlite3_bind_int64(st, 2, g.id);
	if ((rc = store_run(st)) || (rc = loan_renewed(s, g.id, until)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

int gov_good_renew(const struct gov_ctx *ctx, int64_t good, json_t **out,
		   struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	struct write_args a = { .ctx = ctx, .action = "good.renew", .apply = apply_renew,
				.answer = good_answer, .err = err };
	a.payload = json_pack("{s:I}", "good", (json_int_t)good);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	return run_write(&a, out);
}

/* ---- sharing.opt ---- */

static int apply_opt(struct store *s, const json_t *p, int64_t now, const char *actor,
		     int64_t *id, struct px_error *err)
{
	int64_t who = 0;
	int out = json_is_true(json_object_get(p, "opted_out")), was = 0, rc;
	*id = 0;
	if ((rc = sharing_account(s, actor, &who)) ||
	    (who && (rc = sharing_opted_out(s, who, &was))))
		return px_fail(err, rc, NULL, NULL);
	if (!who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	if (was == out)
		return px_fail(err, PX_E_CONFLICT, "opted_out", out ? "you opted out"
			       " already" : "you are in the sharing economy already");
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO sharing_optouts(account_id, opted_out,"
				      " at) VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, who);
	sqlite3_bind_int(st, 2, out);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int me_answer(struct store *s, const struct gov_ctx *ctx, int64_t id, json_t **out)
{
	(void)s;
	(void)id;
	struct px_error e = { 0 };
	return gov_sharing_me(ctx, out, &e);
}

int gov_sharing_opt(const struct gov_ctx *ctx, int opted_out, json_t **out,
		    struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	struct write_args a = { .ctx = ctx, .action = "sharing.opt", .apply = apply_opt,
				.answer = me_answer, .err = err };
	a.payload = json_pack("{s:b}", "opted_out", opted_out);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	return run_write(&a, out);
}

/* ---- replay ---- */

static const struct {
	const char *action;
	int (*apply)(struct store *, const json_t *, int64_t, const char *, int64_t *,
		     struct px_error *);
} entries[] = {
	{ "good.offer", apply_offer },
	{ "good.stock", apply_stock },
	{ "good.take", apply_take },
	{ "good.return", apply_return },
	{ "good.renew", apply_renew },
	{ "sharing.opt", apply_opt },
};

int sharing_owns(const char *action, size_t len)
{
	static const char *const rounds[] = { "round.request", "round.close", "round.draw",
					      "round.review" };
	for (size_t i = 0; i < sizeof(rounds) / sizeof(rounds[0]); i++)
		if (strlen(rounds[i]) == len && !memcmp(rounds[i], action, len))
			return 1;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strlen(entries[i].action) == len && !memcmp(entries[i].action, action, len))
			return 1;
	return lending_owns(action, len);
}

int sharing_replay(struct store *s, const char *action, const json_t *payload,
		   int64_t at, const char *actor, struct px_error *err)
{
	int64_t id = 0;
	if (!strncmp(action, "round.", 6))
		return rounds_replay(s, action, payload, at, actor, err);
	if (lending_owns(action, strlen(action)))
		return lending_replay(s, action, payload, at, actor, err);
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (!strcmp(entries[i].action, action))
			return entries[i].apply(s, payload, at, actor, &id, err);
	return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}
