/*
 * barter.c: barter between a household outside the sharing economy and a
 * member or an enterprise of it (sharing.h, docs/sharing.md "Households,
 * allotments and barter"), and the terms of membership that constrain it.
 *
 * Entries, each applied by the same function live and in replay:
 *   barter.record   {"household","member"|null,"enterprise"|null,
 *                    "household_gives","household_quantity",
 *                    "household_unit","other_gives","other_quantity",
 *                    "other_unit","into_good"|null}: by either side
 *   barter.confirm  {"barter"}: by the other side, never who recorded it
 *   barter.withdraw {"barter"}: by the side that recorded it, unconfirmed
 *   barter.decline  {"barter"}: by the other side, never who recorded it,
 *                   unconfirmed
 *
 * A barter is open until it is confirmed, withdrawn or declined; each of
 * the three ends it, and the other two are refused after it.
 *
 * A barter is checked when recorded against the terms of membership of
 * every local assembly of a sharing economy the member (or the
 * enterprise's community) belongs to (set_barter_terms, allot_kinds.c):
 * goods the member took from the economy, and the classes of goods the
 * terms name, are not bartered. What an enterprise receives by barter
 * belongs to the economy: when the barter is confirmed it joins the
 * register, adding to the stock of the good named (into_good) or as a
 * new product. No field holds a price or money (sharing_money_check).
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

/* ---- barter.record ---- */

/* The member's economy (the first assembly of a sharing economy they are
 * an active member of), 0: none. */
static int economy_of_person(struct store *s, int64_t account, int64_t *economy)
{
	*economy = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT x.economy_id FROM sharing_assemblies x JOIN"
		" memberships m ON m.body_id = x.body_id AND m.status = 'active' WHERE"
		" x.left_at IS NULL AND m.account_id = ? ORDER BY x.id LIMIT 1");
	sqlite3_bind_int64(st, 1, account);
	return store_int64(st, economy, NULL);
}

/* Check what the member or enterprise gives against the terms of every
 * local assembly of a sharing economy that binds them: account's (active
 * member) or enterprise's (its community's local assembly). */
static int check_terms(struct store *s, int64_t account, int64_t enterprise,
		       const char *gives, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT b.name, t.motion_id, t.taken_goods,"
		" t.classes FROM barter_terms t JOIN bodies b ON b.id = t.body_id JOIN"
		" sharing_assemblies x ON x.body_id = t.body_id AND x.left_at IS NULL"
		" WHERE t.id = (SELECT max(t2.id) FROM barter_terms t2 WHERE t2.body_id ="
		" t.body_id) AND (t.body_id IN (SELECT m.body_id FROM memberships m WHERE"
		" m.account_id = ?1 AND m.status = 'active') OR t.body_id IN (SELECT l.id FROM"
		" bodies e JOIN bodies l ON l.community_id = e.community_id AND l.kind ="
		" 'local' WHERE e.id = ?2)) ORDER BY t.id");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, enterprise);
	int rc = 0, hit = 0, taken_refused = 0;
	char assembly[256], what[256], t_assembly[256];
	int64_t motion = 0, t_motion = 0;
	/* a class any of the terms names is refused first; then, if any of
	 * them refuses goods taken from the economy, those */
	while (!hit && store_next(st, &rc)) {
		snprintf(assembly, sizeof(assembly), "%s", (const char *)sqlite3_column_text(st, 0));
		motion = sqlite3_column_int64(st, 1);
		if (sqlite3_column_int(st, 2) && !taken_refused) {
			taken_refused = 1;
			snprintf(t_assembly, sizeof(t_assembly), "%s", assembly);
			t_motion = motion;
		}
		json_t *classes = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
		size_t i;
		json_t *c;
		json_array_foreach(classes, i, c) {
			const char *cls = json_string_value(c);
			if (cls && *cls && sharing_contains_words(gives, cls)) {
				snprintf(what, sizeof(what), "%s", cls);
				hit = 1;
				break;
			}
		}
		json_decref(classes);
	}
	sqlite3_reset(st);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (hit)
		return px_fail(err, PX_E_CONFLICT, "other_gives", "the terms of membership of"
			       " %s (decision %lld) say a member does not barter %s",
			       assembly, (long long)motion, what);
	if (!taken_refused)
		return 0;
	/* goods taken from the economy: what the member (or the enterprise)
	 * took is not theirs to barter */
	int row = 0;
	st = store_stmt(s, "SELECT g.name FROM takes t JOIN goods g ON g.id = t.good_id"
			" WHERE (t.account_id = ?1 AND t.body_id IS NULL AND ?1 <> 0) OR"
			" t.body_id = ?2 ORDER BY t.id");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, enterprise);
	while (!row && store_next(st, &rc)) {
		const char *g = (const char *)sqlite3_column_text(st, 0);
		if (g && (sharing_contains_words(gives, g) || sharing_contains_words(g, gives))) {
			snprintf(what, sizeof(what), "%s", g);
			row = 1;
		}
	}
	sqlite3_reset(st);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row)
		return px_fail(err, PX_E_CONFLICT, "other_gives", "the terms of membership of"
			       " %s (decision %lld) say a member does not barter goods taken from"
			       " the sharing economy: %s was taken from it", t_assembly,
			       (long long)t_motion, what);
	return 0;
}

static int apply_barter(struct store *s, const json_t *p, int64_t now, const char *actor,
			int64_t *id, struct px_error *err)
{
	const char *hslug = json_string_value(json_object_get(p, "household"));
	const char *member = json_string_value(json_object_get(p, "member"));
	const char *ent = json_string_value(json_object_get(p, "enterprise"));
	const char *hg = json_string_value(json_object_get(p, "household_gives"));
	const char *hu = json_string_value(json_object_get(p, "household_unit"));
	const char *og = json_string_value(json_object_get(p, "other_gives"));
	const char *ou = json_string_value(json_object_get(p, "other_unit"));
	int64_t hq = json_integer_value(json_object_get(p, "household_quantity"));
	int64_t oq = json_integer_value(json_object_get(p, "other_quantity"));
	int64_t into = json_integer_value(json_object_get(p, "into_good"));
	int64_t who = 0, hid = 0, account = 0, body = 0, economy = 0;
	int yes = 0, rc;
	if ((rc = household_actor(s, actor, &who, err)))
		return rc;
	if (!hg || !og || !hu || !ou || hq < 1 || oq < 1 || (!member == !ent))
		return px_fail(err, PX_E_BAD_INPUT, NULL, "a barter names the household, a"
			       " member or an enterprise, and what each gives");
	if ((rc = household_id(s, hslug, &hid)))
		return px_fail(err, rc, NULL, NULL);
	if (!hid)
		return px_fail(err, PX_E_NOT_FOUND, "household", "no household '%s'",
			       hslug ? hslug : "");
	if ((rc = household_opted_out(s, hid, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_CONFLICT, "household", "only a household out of the"
			       " sharing economy barters: each of its members opts out first,"
			       " by their own act");
	if (member) {
		if ((rc = sharing_account(s, member, &account)))
			return px_fail(err, rc, NULL, NULL);
		if (!account)
			return px_fail(err, PX_E_NOT_FOUND, "member", "no account '%s'", member);
		if ((rc = household_has(s, hid, account, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (yes)
			return px_fail(err, PX_E_BAD_INPUT, "member", "a barter is between the"
				       " household and someone outside it");
		if ((rc = economy_of_person(s, account, &economy)))
			return px_fail(err, rc, NULL, NULL);
		if (!economy)
			return px_fail(err, PX_E_SHARING_OUTSIDE, "member", "this person is not a"
				       " member of a local assembly in a sharing economy");
		if ((rc = sharing_opted_out(s, account, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (yes)
			return px_fail(err, PX_E_CONFLICT, "member", "this person opted out of the"
				       " sharing economy: a barter recorded here has a member of it"
				       " on one side");
	} else {
		if ((rc = economy_enterprise_id(s, ent, &body)))
			return px_fail(err, rc, NULL, NULL);
		if (!body)
			return px_fail(err, PX_E_NOT_FOUND, "enterprise", "no enterprise '%s'", ent);
		if ((rc = sharing_economy_of_enterprise(s, body, &economy)))
			return px_fail(err, rc, NULL, NULL);
		if (!economy)
			return px_fail(err, PX_E_SHARING_OUTSIDE, "enterprise", "the local"
				       " assembly of this enterprise's community has not joined a"
				       " sharing economy");
	}
	if (into) {
		struct good_row g;
		struct px_error e = { 0 };
		if (!body)
			return px_fail(err, PX_E_BAD_INPUT, "into_good", "only what an enterprise"
				       " receives joins the register");
		if ((rc = sharing_good_row(s, into, &g, &e)) && rc != PX_E_NOT_FOUND)
			return px_fail(err, rc, NULL, NULL);
		if (rc)
			return px_fail(err, rc, "into_good", "no good %lld in any register",
				       (long long)into);
		if (g.body != body || g.withdrawn || strcmp(g.kind, "product"))
			return px_fail(err, PX_E_CONFLICT, "into_good", "a product this"
				       " enterprise offers now");
	}
	/* who records: a member of the household, or the other side */
	int side_household = 0, other_side = 0;
	if ((rc = household_has(s, hid, who, &side_household)))
		return px_fail(err, rc, NULL, NULL);
	if (!side_household) {
		if (account)
			other_side = who == account;
		else if ((rc = sharing_active_in(s, body, who, &other_side)))
			return px_fail(err, rc, NULL, NULL);
	}
	if (!side_household && !other_side)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only a member of the household, the"
			       " member, or an active member of the enterprise records a barter");
	if ((rc = check_terms(s, account, body, og, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO barters(household_id, account_id,"
		" enterprise_id, household_gives, household_quantity, household_unit,"
		" other_gives, other_quantity, other_unit, recorded_by, recorded_at,"
		" recorded_side, good_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id");
	sqlite3_bind_int64(st, 1, hid);
	if (account)
		sqlite3_bind_int64(st, 2, account);
	if (body)
		sqlite3_bind_int64(st, 3, body);
	sqlite3_bind_text(st, 4, hg, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, hq);
	sqlite3_bind_text(st, 6, hu, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, og, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, oq);
	sqlite3_bind_text(st, 9, ou, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, who);
	sqlite3_bind_int64(st, 11, now);
	sqlite3_bind_text(st, 12, side_household ? "household" : "other", -1, SQLITE_STATIC);
	if (into)
		sqlite3_bind_int64(st, 13, into);
	if ((rc = store_int64(st, id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int barter_answer(const struct gov_ctx *ctx, int64_t id, json_t **out,
			 struct px_error *err)
{
	return gov_barter_get(ctx, id, out, err);
}

int gov_barter_record(const struct gov_ctx *ctx, const struct barter_in *in, json_t **out,
		      struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!in->household)
		return px_fail(err, PX_E_MISSING_FIELD, "household", "the household that"
			       " barters");
	if (!in->member && !in->enterprise)
		return px_fail(err, PX_E_MISSING_FIELD, "member", "with whom: a member of the"
			       " sharing economy, or an enterprise of it");
	if (in->member && in->enterprise)
		return px_fail(err, PX_E_BAD_INPUT, "enterprise", "with a member or an"
			       " enterprise, not both");
	static const char *const texts[] = { "household_gives", "other_gives" };
	const char *values[] = { in->household_gives, in->other_gives };
	const char *units[] = { in->household_unit, in->other_unit };
	static const char *const unit_fields[] = { "household_unit", "other_unit" };
	int64_t qs[] = { in->household_quantity, in->other_quantity };
	static const char *const q_fields[] = { "household_quantity", "other_quantity" };
	for (int i = 0; i < 2; i++) {
		if (!values[i])
			return px_fail(err, PX_E_MISSING_FIELD, texts[i], "what each side gives");
		if (text_check_line(values[i], 1, 120))
			return px_fail(err, PX_E_BAD_INPUT, texts[i], "what is given has 1 to 120"
				       " characters on one line");
		if ((rc = sharing_money_check(values[i], texts[i], err)))
			return rc;
		if (units[i] && text_check_line(units[i], 1, 40))
			return px_fail(err, PX_E_BAD_INPUT, unit_fields[i], "a unit has 1 to 40"
				       " characters");
		if (units[i] && (rc = sharing_money_check(units[i], unit_fields[i], err)))
			return rc;
		if (qs[i] < 1 || qs[i] > SHARING_STOCK_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE, q_fields[i], "a quantity is 1 to a"
				       " trillion");
	}
	if (in->member && !gov_slug_valid(in->member))
		return px_fail(err, PX_E_NOT_FOUND, "member", "no account '%s'", in->member);
	if (in->enterprise && !gov_slug_valid(in->enterprise))
		return px_fail(err, PX_E_NOT_FOUND, "enterprise", "no enterprise '%s'",
			       in->enterprise);
	json_t *payload = json_pack("{s:s, s:o, s:o, s:s, s:I, s:s, s:s, s:I, s:s, s:o}",
		"household", in->household,
		"member", in->member ? json_string(in->member) : json_null(),
		"enterprise", in->enterprise ? json_string(in->enterprise) : json_null(),
		"household_gives", in->household_gives,
		"household_quantity", (json_int_t)in->household_quantity,
		"household_unit", in->household_unit ? in->household_unit : "",
		"other_gives", in->other_gives,
		"other_quantity", (json_int_t)in->other_quantity,
		"other_unit", in->other_unit ? in->other_unit : "",
		"into_good", in->into_good ? json_integer(in->into_good) : json_null());
	return household_write(ctx, "barter.record", payload, apply_barter, barter_answer,
			       out, err);
}

/* ---- barter.confirm, barter.withdraw, barter.decline ---- */

/* A barter as the acts that end it read it. */
struct barter_state {
	int64_t household, account, body, good, quantity, recorder;
	int by_household; /* recorded by the household's side */
	char what[128], unit[48], hname[128];
};

/* The payload's barter (*id), still open: neither confirmed, withdrawn
 * nor declined; who: the actor's account. */
static int barter_open(struct store *s, const json_t *p, const char *actor, int64_t *who,
		       int64_t *id, struct barter_state *b, struct px_error *err)
{
	int row = 0, rc;
	*id = json_integer_value(json_object_get(p, "barter"));
	if ((rc = household_actor(s, actor, who, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.household_id, b.account_id,"
		" b.enterprise_id, b.recorded_side, b.confirmed_at IS NOT NULL, b.good_id,"
		" b.household_gives, b.household_quantity, b.household_unit, h.name,"
		" b.recorded_by, b.ended_how FROM barters b JOIN households h ON h.id ="
		" b.household_id WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, *id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "barter", "no barter %lld", (long long)*id);
	b->household = sqlite3_column_int64(st, 0);
	b->account = sqlite3_column_int64(st, 1);
	b->body = sqlite3_column_int64(st, 2);
	b->good = sqlite3_column_int64(st, 5);
	b->quantity = sqlite3_column_int64(st, 7);
	b->recorder = sqlite3_column_int64(st, 10);
	b->by_household = !strcmp((const char *)sqlite3_column_text(st, 3), "household");
	int confirmed = sqlite3_column_int(st, 4);
	const char *ended = (const char *)sqlite3_column_text(st, 11);
	int withdrawn = ended && !strcmp(ended, "withdrawn"), declined = ended && !withdrawn;
	snprintf(b->what, sizeof(b->what), "%s", (const char *)sqlite3_column_text(st, 6));
	snprintf(b->unit, sizeof(b->unit), "%s", (const char *)sqlite3_column_text(st, 8));
	snprintf(b->hname, sizeof(b->hname), "%s", (const char *)sqlite3_column_text(st, 9));
	sqlite3_reset(st);
	if (confirmed)
		return px_fail(err, PX_E_CONFLICT, "barter", "this barter is confirmed already");
	if (withdrawn)
		return px_fail(err, PX_E_CONFLICT, "barter", "this barter was withdrawn by the"
			       " side that recorded it");
	if (declined)
		return px_fail(err, PX_E_CONFLICT, "barter", "this barter was declined by the"
			       " other side");
	return 0;
}

/* Whether who acts for the side of b that recorded it (recording), or
 * for the other side (never who recorded it, who may stand on both). */
static int barter_side(struct store *s, const struct barter_state *b, int64_t who,
		       int recording, int *yes)
{
	int rc = 0;
	*yes = 0;
	if (recording == b->by_household)
		rc = household_has(s, b->household, who, yes);
	else if (b->account)
		*yes = who == b->account;
	else
		rc = sharing_active_in(s, b->body, who, yes);
	if (!recording && who == b->recorder)
		*yes = 0;
	return rc;
}

static int apply_confirm(struct store *s, const json_t *p, int64_t now, const char *actor,
			 int64_t *id, struct px_error *err)
{
	struct barter_state b;
	int64_t who = 0, good;
	int yes = 0, rc;
	if ((rc = barter_open(s, p, actor, &who, id, &b, err)))
		return rc;
	if ((rc = barter_side(s, &b, who, 0, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_FORBIDDEN, "barter", "only the other side confirms a"
			       " barter: who recorded it does not");
	good = b.good;
	sqlite3_stmt *st;
	if (b.body) {
		/* what the enterprise received belongs to the economy */
		int64_t giver = b.by_household ? who : b.recorder;
		if (good) {
			struct good_row g;
			if ((rc = sharing_good_row(s, good, &g, err)))
				return rc;
			st = store_stmt(s, "INSERT INTO good_stock(good_id, stock, previous, note,"
					" by_account, at) VALUES (?, ?, ?, ?, ?, ?)");
			char note[64];
			snprintf(note, sizeof(note), "barter %lld", (long long)*id);
			sqlite3_bind_int64(st, 1, good);
			sqlite3_bind_int64(st, 2, g.stock + b.quantity);
			sqlite3_bind_int64(st, 3, g.stock);
			sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 5, giver);
			sqlite3_bind_int64(st, 6, now);
			if ((rc = store_run(st)))
				return px_fail(err, rc, NULL, NULL);
			if (g.stock + b.quantity > SHARING_STOCK_MAX)
				return px_fail(err, PX_E_OUT_OF_RANGE, "household_quantity", "stock"
					       " is 0 to a trillion");
			st = store_stmt(s, "UPDATE goods SET stock = stock + ? WHERE id = ?");
			sqlite3_bind_int64(st, 1, b.quantity);
			sqlite3_bind_int64(st, 2, good);
			if ((rc = store_run(st)))
				return px_fail(err, rc, NULL, NULL);
		} else {
			int64_t economy = 0;
			if ((rc = sharing_economy_of_enterprise(s, b.body, &economy)))
				return px_fail(err, rc, NULL, NULL);
			if (!economy)
				return px_fail(err, PX_E_SHARING_OUTSIDE, "enterprise", NULL);
			char desc[256];
			snprintf(desc, sizeof(desc), "Received by barter from the household %s.",
				 b.hname);
			st = store_stmt(s, "INSERT INTO goods(economy_id, body_id, kind, name,"
				" description, unit, units, stock, offered_by, offered_at) VALUES"
				" (?, ?, 'product', ?, ?, ?, ?, ?, ?, ?) RETURNING id");
			sqlite3_bind_int64(st, 1, economy);
			sqlite3_bind_int64(st, 2, b.body);
			sqlite3_bind_text(st, 3, b.what, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, desc, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 5, b.unit, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 6, b.unit, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 7, b.quantity);
			sqlite3_bind_int64(st, 8, giver);
			sqlite3_bind_int64(st, 9, now);
			if ((rc = store_int64(st, &good, NULL)))
				return px_fail(err, rc, NULL, NULL);
		}
	}
	st = store_stmt(s, "UPDATE barters SET confirmed_by = ?, confirmed_at = ?, good_id ="
			" ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, who);
	sqlite3_bind_int64(st, 2, now);
	if (good)
		sqlite3_bind_int64(st, 3, good);
	sqlite3_bind_int64(st, 4, *id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

/* Withdraw (the side that recorded it) or decline (the other side) an
 * open barter: it ends without effect, kept with who ended it, when, how. */
static int end_open(struct store *s, const json_t *p, int64_t now, const char *actor,
		    int64_t *id, int withdraw, struct px_error *err)
{
	struct barter_state b;
	int64_t who = 0;
	int yes = 0, rc;
	if ((rc = barter_open(s, p, actor, &who, id, &b, err)))
		return rc;
	if ((rc = barter_side(s, &b, who, withdraw, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return withdraw ? px_fail(err, PX_E_FORBIDDEN, "barter", "only the side that"
					  " recorded a barter withdraws it: the other side declines it")
			: px_fail(err, PX_E_FORBIDDEN, "barter", "only the other side declines a"
				  " barter: who recorded it withdraws it");
	sqlite3_stmt *st = store_stmt(s, "UPDATE barters SET ended_by = ?, ended_at = ?,"
				      " ended_how = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, who);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_text(st, 3, withdraw ? "withdrawn" : "declined", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, *id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int apply_withdraw(struct store *s, const json_t *p, int64_t now, const char *actor,
			  int64_t *id, struct px_error *err)
{
	return end_open(s, p, now, actor, id, 1, err);
}

static int apply_decline(struct store *s, const json_t *p, int64_t now, const char *actor,
			 int64_t *id, struct px_error *err)
{
	return end_open(s, p, now, actor, id, 0, err);
}

/* The entries on a barter already recorded, each by the same function
 * live and in replay. */
static const struct household_entry acts[] = {
	{ "barter.record", apply_barter },
	{ "barter.confirm", apply_confirm },
	{ "barter.withdraw", apply_withdraw },
	{ "barter.decline", apply_decline },
};

static int barter_act(const struct gov_ctx *ctx, const char *action, int64_t barter,
		      json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	household_apply_fn fn = household_entry_find(acts, sizeof(acts) / sizeof(acts[0]),
						     action);
	if (!fn)
		return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
	return household_write(ctx, action, json_pack("{s:I}", "barter", (json_int_t)barter),
			       fn, barter_answer, out, err);
}

int gov_barter_confirm(const struct gov_ctx *ctx, int64_t barter, json_t **out,
		       struct px_error *err)
{
	return barter_act(ctx, "barter.confirm", barter, out, err);
}

int gov_barter_withdraw(const struct gov_ctx *ctx, int64_t barter, json_t **out,
			struct px_error *err)
{
	return barter_act(ctx, "barter.withdraw", barter, out, err);
}

int gov_barter_decline(const struct gov_ctx *ctx, int64_t barter, json_t **out,
		       struct px_error *err)
{
	return barter_act(ctx, "barter.decline", barter, out, err);
}

#define BARTER_SELECT "SELECT b.id, h.slug, h.name, a.handle, a.display_name, e.slug," \
	" e.name, b.household_gives, b.household_quantity, b.household_unit," \
	" b.other_gives, b.other_quantity, b.other_unit, r.handle, b.recorded_at," \
	" c.handle, b.confirmed_at, b.good_id, b.recorded_side, b.ended_how, d.handle," \
	" b.ended_at FROM barters b JOIN" \
	" households h ON h.id = b.household_id LEFT JOIN accounts a ON a.id =" \
	" b.account_id LEFT JOIN bodies e ON e.id = b.enterprise_id JOIN accounts r ON" \
	" r.id = b.recorded_by LEFT JOIN accounts c ON c.id = b.confirmed_by" \
	" LEFT JOIN accounts d ON d.id = b.ended_by"

static json_t *barter_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I, s:s, s:s, s:I, s:s,"
		" s:s, s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:o}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"household", (const char *)sqlite3_column_text(st, 1),
		"household_name", (const char *)sqlite3_column_text(st, 2),
		"member", sharing_text_or_null(st, 3),
		"member_name", sharing_text_or_null(st, 4),
		"enterprise", sharing_text_or_null(st, 5),
		"enterprise_name", sharing_text_or_null(st, 6),
		"household_gives", (const char *)sqlite3_column_text(st, 7),
		"household_quantity", (json_int_t)sqlite3_column_int64(st, 8),
		"household_unit", (const char *)sqlite3_column_text(st, 9),
		"other_gives", (const char *)sqlite3_column_text(st, 10),
		"other_quantity", (json_int_t)sqlite3_column_int64(st, 11),
		"other_unit", (const char *)sqlite3_column_text(st, 12),
		"recorded_by", (const char *)sqlite3_column_text(st, 13),
		"recorded_at", (json_int_t)sqlite3_column_int64(st, 14),
		"confirmed_by", sharing_text_or_null(st, 15),
		"confirmed_at", sharing_int_or_null(st, 16),
		"good", sharing_int_or_null(st, 17),
		"recorded_side", (const char *)sqlite3_column_text(st, 18),
		"ended", sharing_text_or_null(st, 19), "ended_by", sharing_text_or_null(st, 20),
		"ended_at", sharing_int_or_null(st, 21));
}

static int rows(sqlite3_stmt *st, json_t *(*fn)(sqlite3_stmt *), json_t *list)
{
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *x = fn(st);
		if (!x || json_array_append_new(list, x)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

int gov_barter_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		   struct px_error *err)
{
	int row = 0;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, BARTER_SELECT " WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "id", "no barter %lld", (long long)id);
	*out = barter_row(st);
	sqlite3_reset(st);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

/* A take its member received by mutual aid (grant_mutual_aid). */

int barters_json(struct store *s, int64_t hid, json_t **out)
{
	json_t *list = json_array();
	*out = NULL;
	if (!list)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, BARTER_SELECT " WHERE b.household_id = ? ORDER BY"
				      " b.id DESC");
	sqlite3_bind_int64(st, 1, hid);
	int rc = rows(st, barter_row, list);
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* ---- replay ---- */

int barter_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		  const char *actor, struct px_error *err)
{
	int64_t id = 0;
	household_apply_fn fn = household_entry_find(acts, sizeof(acts) / sizeof(acts[0]),
						     action);
	return fn ? fn(s, payload, at, actor, &id, err)
		  : px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}
