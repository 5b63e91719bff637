/*
 * household.c: households, and barter between a household that opted out
 * of the sharing economy and a member or an enterprise of it (sharing.h,
 * docs/sharing.md "Households, allotments and barter").
 *
 * A person declares a household and is its first member; each person it
 * names is invited, and joins by their own act, or declines by leaving;
 * any member leaves by their own act. A person is in one household at a
 * time. A household is out of the sharing economy when every one of its
 * members opted out, each by their own act (sharing.opt): nobody opts
 * another out, and a member who did not opt out still takes.
 *
 * Entries, each applied by the same function live and in replay:
 *   household.declare {"household","name","members":[handle]}
 *   household.invite  {"household","person"}: by a member
 *   household.join    {"household"}: by someone invited
 *   household.leave   {"household"}: by a member, or someone invited
 *   barter.record     {"household","member"|null,"enterprise"|null,
 *                      "household_gives","household_quantity",
 *                      "household_unit","other_gives","other_quantity",
 *                      "other_unit","into_good"|null}: by either side
 *   barter.confirm    {"barter"}: by the other side
 *
 * A barter is checked when recorded against the terms of membership of
 * every local assembly of a sharing economy the member (or the
 * enterprise's community) belongs to (set_barter_terms, allot_kinds.c):
 * goods the member took from the economy, and the classes of goods the
 * terms name, are not bartered. What an enterprise receives by barter
 * belongs to the economy: when the barter is confirmed it joins the
 * register, adding to the stock of the good named (into_good) or as a
 * new product. No field holds a price or money: a text naming money is
 * refused by name, as any unknown field is by the API.
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

#define HOUSEHOLD_MEMBERS_MAX 20

static char fold(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

static int wordchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		(unsigned char)c >= 0x80;
}

/* 1 when needle occurs in hay as whole words, ignoring the case of ASCII
 * letters, or as their plural ("seed grain" in "Seed grains, winter"; not
 * "tea" in "steak"). */
static int contains_fold(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return 0;
	for (const char *p = hay; *p; p++) {
		if (p > hay && wordchar(p[-1]))
			continue;
		size_t i = 0;
		while (i < n && p[i] && fold(p[i]) == fold(needle[i]))
			i++;
		if (i < n)
			continue;
		const char *e = p + n;
		if (*e == 's' || *e == 'S')
			e++;
		else if ((e[0] == 'e' || e[0] == 'E') && (e[1] == 's' || e[1] == 'S'))
			e += 2;
		if (!wordchar(*e))
			return 1;
	}
	return 0;
}

/* *yes: account is an active member of the body. */
static int active_in(struct store *s, int64_t body, int64_t account, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM memberships WHERE body_id = ?"
				      " AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, account);
	return store_exists(st, yes);
}

int household_id(struct store *s, const char *slug, int64_t *id)
{
	*id = 0;
	if (!slug || !*slug)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM households WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

/* *hid: the household account has joined and not left (0: none). */
static int household_of(struct store *s, int64_t account, int64_t *hid)
{
	*hid = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT household_id FROM household_members WHERE"
				      " account_id = ? AND joined_at IS NOT NULL AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, account);
	return store_int64(st, hid, NULL);
}

int household_opted_out(struct store *s, int64_t hid, int *yes)
{
	int row = 0;
	*yes = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*), coalesce(sum((SELECT o.opted_out"
		" FROM sharing_optouts o WHERE o.account_id = m.account_id ORDER BY o.id DESC"
		" LIMIT 1) = 1), 0) FROM household_members m WHERE m.household_id = ? AND"
		" m.joined_at IS NOT NULL AND m.left_at IS NULL");
	sqlite3_bind_int64(st, 1, hid);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (row) {
		int64_t n = sqlite3_column_int64(st, 0), out = sqlite3_column_int64(st, 1);
		*yes = n > 0 && n == out;
		sqlite3_reset(st);
	}
	return 0;
}

/* *yes: account has joined household hid and not left. */
static int in_household(struct store *s, int64_t hid, int64_t account, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM household_members WHERE household_id"
		" = ? AND account_id = ? AND joined_at IS NOT NULL AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, hid);
	sqlite3_bind_int64(st, 2, account);
	return store_exists(st, yes);
}

/* Money has no place in a barter, an allotment or a register: words and
 * signs of money in a text are refused, naming the field. Whole words
 * only: cashews are not cash, a wagon is not a wage; and units of weight
 * that share a name with a currency (a pound) are not money. */
int sharing_money_check(const char *text, const char *field, struct px_error *err)
{
	static const char *const words[] = { "price", "money", "cash", "euro", "dollar",
		"currency", "currencies", "payment", "paid", "pay", "salary", "salaries", "wage",
		"bitcoin", "peso", "yen", "eur", "usd", "gbp", NULL };
	static const char *const signs[] = { "$", "\xe2\x82\xac" /* € */, "\xc2\xa3" /* £ */,
		"\xc2\xa5" /* ¥ */, NULL };
	int hit = 0;
	if (!text)
		return 0;
	for (const char *const *w = words; *w && !hit; w++)
		hit = contains_fold(text, *w);
	for (const char *const *w = signs; *w && !hit; w++)
		hit = strstr(text, *w) != NULL;
	if (hit)
		return px_fail(err, PX_E_BAD_INPUT, field, "no price and no money: a barter, an"
			       " allotment and the register name things, never what they cost");
	return 0;
}

/* ---- writes: apply, journal, answer, in one transaction ---- */

typedef int (*apply_fn)(struct store *, const json_t *, int64_t, const char *, int64_t *,
			struct px_error *);

struct hw_args {
	const struct gov_ctx *ctx;
	const char *action;
	json_t *payload;
	apply_fn apply;
	int (*answer)(const struct gov_ctx *, int64_t, json_t **, struct px_error *);
	int64_t id;
	json_t *out;
	struct px_error *err;
};

static int hw_tx(struct store *s, void *arg)
{
	struct hw_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	int rc = a->apply(s, a->payload, a->ctx->now, a->ctx->handle, &a->id, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL, a->action,
				    a->payload, NULL);
	if (!rc) {
		struct px_error e = { 0 };
		rc = a->answer(a->ctx, a->id, &a->out, &e);
	}
	return rc;
}

static int hw_run(struct hw_args *a, json_t **out)
{
	*out = NULL;
	if (!a->payload)
		return px_fail(a->err, PX_E_NOMEM, NULL, NULL);
	int rc = store_tx(a->ctx->db, hw_tx, a);
	json_decref(a->payload);
	if (rc) {
		json_decref(a->out);
		return a->err->code ? rc : px_fail(a->err, rc, NULL, NULL);
	}
	*out = a->out;
	return 0;
}

static int actor_account(struct store *s, const char *actor, int64_t *who,
			 struct px_error *err)
{
	int rc = sharing_account(s, actor, who);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!*who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	return 0;
}

static int household_answer(const struct gov_ctx *ctx, int64_t id, json_t **out,
			    struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT slug FROM households WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = store_step(st, &row);
	if (rc || !row)
		return rc ? rc : PX_E_NOT_FOUND;
	char slug[80];
	snprintf(slug, sizeof(slug), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return gov_household_get(ctx, slug, out, err);
}

/* ---- household.declare ---- */

static int apply_declare(struct store *s, const json_t *p, int64_t now, const char *actor,
			 int64_t *id, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "household"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const json_t *members = json_object_get(p, "members");
	int64_t who = 0, hid = 0;
	int rc;
	if ((rc = actor_account(s, actor, &who, err)))
		return rc;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_BAD_INPUT, "slug", "a short name has 2 to 64 lower-case"
			       " letters, digits and hyphens");
	if (!name || text_check_line(name, 1, 120))
		return px_fail(err, PX_E_BAD_INPUT, "name", "a name has 1 to 120 characters on"
			       " one line");
	if (!json_is_array(members) || json_array_size(members) > HOUSEHOLD_MEMBERS_MAX)
		return px_fail(err, PX_E_BAD_INPUT, "members", "a household names at most 20"
			       " others");
	if ((rc = household_of(s, who, &hid)))
		return px_fail(err, rc, NULL, NULL);
	if (hid)
		return px_fail(err, PX_E_CONFLICT, "slug", "you are in a household already:"
			       " leave it first");
	if ((rc = household_id(s, slug, &hid)))
		return px_fail(err, rc, NULL, NULL);
	if (hid)
		return px_fail(err, PX_E_CONFLICT, "slug", "a household has that short name"
			       " already");
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO households(slug, name, declared_by,"
				      " declared_at) VALUES (?, ?, ?, ?) RETURNING id");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, who);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = store_int64(st, id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "INSERT INTO household_members(household_id, account_id,"
			" invited_at, joined_at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, who);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	size_t i;
	const json_t *m;
	json_array_foreach(members, i, m) {
		const char *h = json_string_value(m);
		int64_t other = 0;
		int dup = 0;
		if ((rc = sharing_account(s, h, &other)))
			return px_fail(err, rc, NULL, NULL);
		if (!other)
			return px_fail(err, PX_E_NOT_FOUND, "members", "no account '%s'",
				       h ? h : "");
		if (other == who)
			return px_fail(err, PX_E_BAD_INPUT, "members", "you are its first member:"
				       " name the others");
		st = store_stmt(s, "SELECT 1 FROM household_members WHERE household_id = ? AND"
				" account_id = ?");
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, other);
		if ((rc = store_exists(st, &dup)))
			return px_fail(err, rc, NULL, NULL);
		if (dup)
			return px_fail(err, PX_E_BAD_INPUT, "members", "'%s' is named twice", h);
		st = store_stmt(s, "INSERT INTO household_members(household_id, account_id,"
				" invited_at) VALUES (?, ?, ?)");
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, other);
		sqlite3_bind_int64(st, 3, now);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}

int gov_household_declare(const struct gov_ctx *ctx, const char *slug, const char *name,
			  const json_t *members, json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!slug)
		return px_fail(err, PX_E_MISSING_FIELD, "slug", "the household's short name");
	if (!name)
		return px_fail(err, PX_E_MISSING_FIELD, "name", "the household's name");
	size_t i;
	const json_t *m;
	json_array_foreach(members, i, m)
		if (!json_is_string(m) || !gov_slug_valid(json_string_value(m)))
			return px_fail(err, PX_E_BAD_INPUT, "members", "members are handles");
	struct hw_args a = { .ctx = ctx, .action = "household.declare", .apply = apply_declare,
			     .answer = household_answer, .err = err };
	a.payload = json_pack("{s:s, s:s, s:o}", "household", slug, "name", name, "members",
			      members ? json_deep_copy(members) : json_array());
	return hw_run(&a, out);
}

/* ---- household.invite, household.join, household.leave ---- */

static int apply_invite(struct store *s, const json_t *p, int64_t now, const char *actor,
			int64_t *id, struct px_error *err)
{
	const char *person = json_string_value(json_object_get(p, "person"));
	int64_t who = 0, other = 0;
	int yes = 0, rc;
	if ((rc = actor_account(s, actor, &who, err)))
		return rc;
	if ((rc = household_id(s, json_string_value(json_object_get(p, "household")), id)))
		return px_fail(err, rc, NULL, NULL);
	if (!*id)
		return px_fail(err, PX_E_NOT_FOUND, "household", "no such household");
	if ((rc = in_household(s, *id, who, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_FORBIDDEN, "household", "only its members invite");
	if ((rc = sharing_account(s, person, &other)))
		return px_fail(err, rc, NULL, NULL);
	if (!other)
		return px_fail(err, PX_E_NOT_FOUND, "person", "no account '%s'",
			       person ? person : "");
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM household_members WHERE household_id"
				      " = ? AND account_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, other);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (yes)
		return px_fail(err, PX_E_CONFLICT, "person", "already a member, or invited");
	st = store_stmt(s, "INSERT INTO household_members(household_id, account_id,"
			" invited_at) VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, other);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int apply_join(struct store *s, const json_t *p, int64_t now, const char *actor,
		      int64_t *id, struct px_error *err)
{
	int64_t who = 0, hid = 0, row_id = 0;
	int rc;
	if ((rc = actor_account(s, actor, &who, err)))
		return rc;
	if ((rc = household_id(s, json_string_value(json_object_get(p, "household")), id)))
		return px_fail(err, rc, NULL, NULL);
	if (!*id)
		return px_fail(err, PX_E_NOT_FOUND, "household", "no such household");
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM household_members WHERE household_id"
		" = ? AND account_id = ? AND joined_at IS NULL AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = store_int64(st, &row_id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (!row_id)
		return px_fail(err, PX_E_FORBIDDEN, "household", "only someone the household"
			       " invited joins it, by their own act");
	if ((rc = household_of(s, who, &hid)))
		return px_fail(err, rc, NULL, NULL);
	if (hid)
		return px_fail(err, PX_E_CONFLICT, "household", "you are in a household"
			       " already: leave it first");
	st = store_stmt(s, "UPDATE household_members SET joined_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, row_id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int apply_leave(struct store *s, const json_t *p, int64_t now, const char *actor,
		       int64_t *id, struct px_error *err)
{
	int64_t who = 0, row_id = 0;
	int rc;
	if ((rc = actor_account(s, actor, &who, err)))
		return rc;
	if ((rc = household_id(s, json_string_value(json_object_get(p, "household")), id)))
		return px_fail(err, rc, NULL, NULL);
	if (!*id)
		return px_fail(err, PX_E_NOT_FOUND, "household", "no such household");
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM household_members WHERE household_id"
				      " = ? AND account_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, who);
	if ((rc = store_int64(st, &row_id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (!row_id)
		return px_fail(err, PX_E_CONFLICT, "household", "you are not in this household");
	st = store_stmt(s, "UPDATE household_members SET left_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, row_id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int household_act(const struct gov_ctx *ctx, const char *action, apply_fn fn,
			 const char *slug, const char *person, json_t **out,
			 struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, "household", "no such household");
	struct hw_args a = { .ctx = ctx, .action = action, .apply = fn,
			     .answer = household_answer, .err = err };
	a.payload = person ? json_pack("{s:s, s:s}", "household", slug, "person", person)
		: json_pack("{s:s}", "household", slug);
	return hw_run(&a, out);
}

int gov_household_invite(const struct gov_ctx *ctx, const char *slug, const char *person,
			 json_t **out, struct px_error *err)
{
	if (!person || !gov_slug_valid(person)) {
		*out = NULL;
		return px_fail(err, PX_E_BAD_INPUT, "person", "a person's handle");
	}
	return household_act(ctx, "household.invite", apply_invite, slug, person, out, err);
}

int gov_household_join(const struct gov_ctx *ctx, const char *slug, json_t **out,
		       struct px_error *err)
{
	return household_act(ctx, "household.join", apply_join, slug, NULL, out, err);
}

int gov_household_leave(const struct gov_ctx *ctx, const char *slug, json_t **out,
			struct px_error *err)
{
	return household_act(ctx, "household.leave", apply_leave, slug, NULL, out, err);
}

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
			if (cls && *cls && contains_fold(gives, cls)) {
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
		if (g && (contains_fold(gives, g) || contains_fold(g, gives))) {
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
	if ((rc = actor_account(s, actor, &who, err)))
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
		if ((rc = in_household(s, hid, account, &yes)))
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
	if ((rc = in_household(s, hid, who, &side_household)))
		return px_fail(err, rc, NULL, NULL);
	if (!side_household) {
		if (account)
			other_side = who == account;
		else if ((rc = active_in(s, body, who, &other_side)))
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
	struct hw_args a = { .ctx = ctx, .action = "barter.record", .apply = apply_barter,
			     .answer = barter_answer, .err = err };
	a.payload = json_pack("{s:s, s:o, s:o, s:s, s:I, s:s, s:s, s:I, s:s, s:o}",
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
	return hw_run(&a, out);
}

/* ---- barter.confirm ---- */

static int apply_confirm(struct store *s, const json_t *p, int64_t now, const char *actor,
			 int64_t *id, struct px_error *err)
{
	int64_t who = 0;
	int row = 0, rc;
	*id = json_integer_value(json_object_get(p, "barter"));
	if ((rc = actor_account(s, actor, &who, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.household_id, b.account_id,"
		" b.enterprise_id, b.recorded_side, b.confirmed_at IS NOT NULL, b.good_id,"
		" b.household_gives, b.household_quantity, b.household_unit, h.name,"
		" b.recorded_by FROM barters b JOIN households h ON h.id = b.household_id"
		" WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, *id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "barter", "no barter %lld", (long long)*id);
	int64_t hid = sqlite3_column_int64(st, 0), account = sqlite3_column_int64(st, 1);
	int64_t body = sqlite3_column_int64(st, 2), good = sqlite3_column_int64(st, 5);
	int64_t quantity = sqlite3_column_int64(st, 7), recorder = sqlite3_column_int64(st, 10);
	int by_household = !strcmp((const char *)sqlite3_column_text(st, 3), "household");
	int done = sqlite3_column_int(st, 4);
	char what[128], unit[48], hname[128];
	snprintf(what, sizeof(what), "%s", (const char *)sqlite3_column_text(st, 6));
	snprintf(unit, sizeof(unit), "%s", (const char *)sqlite3_column_text(st, 8));
	snprintf(hname, sizeof(hname), "%s", (const char *)sqlite3_column_text(st, 9));
	sqlite3_reset(st);
	if (done)
		return px_fail(err, PX_E_CONFLICT, "barter", "this barter is confirmed already");
	int yes = 0;
	if (by_household) {
		if (account)
			yes = who == account;
		else if ((rc = active_in(s, body, who, &yes)))
			return px_fail(err, rc, NULL, NULL);
	} else if ((rc = in_household(s, hid, who, &yes))) {
		return px_fail(err, rc, NULL, NULL);
	}
	if (!yes || who == recorder)
		return px_fail(err, PX_E_FORBIDDEN, "barter", "only the other side confirms a"
			       " barter: who recorded it does not");
	if (body) {
		/* what the enterprise received belongs to the economy */
		int64_t giver = by_household ? who : recorder;
		if (good) {
			struct good_row g;
			if ((rc = sharing_good_row(s, good, &g, err)))
				return rc;
			st = store_stmt(s, "INSERT INTO good_stock(good_id, stock, previous, note,"
					" by_account, at) VALUES (?, ?, ?, ?, ?, ?)");
			char note[64];
			snprintf(note, sizeof(note), "barter %lld", (long long)*id);
			sqlite3_bind_int64(st, 1, good);
			sqlite3_bind_int64(st, 2, g.stock + quantity);
			sqlite3_bind_int64(st, 3, g.stock);
			sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 5, giver);
			sqlite3_bind_int64(st, 6, now);
			if ((rc = store_run(st)))
				return px_fail(err, rc, NULL, NULL);
			if (g.stock + quantity > SHARING_STOCK_MAX)
				return px_fail(err, PX_E_OUT_OF_RANGE, "household_quantity", "stock"
					       " is 0 to a trillion");
			st = store_stmt(s, "UPDATE goods SET stock = stock + ? WHERE id = ?");
			sqlite3_bind_int64(st, 1, quantity);
			sqlite3_bind_int64(st, 2, good);
			if ((rc = store_run(st)))
				return px_fail(err, rc, NULL, NULL);
		} else {
			int64_t economy = 0;
			if ((rc = sharing_economy_of_enterprise(s, body, &economy)))
				return px_fail(err, rc, NULL, NULL);
			if (!economy)
				return px_fail(err, PX_E_SHARING_OUTSIDE, "enterprise", NULL);
			char desc[256];
			snprintf(desc, sizeof(desc), "Received by barter from the household %s.",
				 hname);
			st = store_stmt(s, "INSERT INTO goods(economy_id, body_id, kind, name,"
				" description, unit, units, stock, offered_by, offered_at) VALUES"
				" (?, ?, 'product', ?, ?, ?, ?, ?, ?, ?) RETURNING id");
			sqlite3_bind_int64(st, 1, economy);
			sqlite3_bind_int64(st, 2, body);
			sqlite3_bind_text(st, 3, what, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, desc, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 5, unit, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 6, unit, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 7, quantity);
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

int gov_barter_confirm(const struct gov_ctx *ctx, int64_t barter, json_t **out,
		       struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	struct hw_args a = { .ctx = ctx, .action = "barter.confirm", .apply = apply_confirm,
			     .answer = barter_answer, .err = err };
	a.payload = json_pack("{s:I}", "barter", (json_int_t)barter);
	return hw_run(&a, out);
}

/* ---- reading ---- */

#define BARTER_SELECT "SELECT b.id, h.slug, h.name, a.handle, a.display_name, e.slug," \
	" e.name, b.household_gives, b.household_quantity, b.household_unit," \
	" b.other_gives, b.other_quantity, b.other_unit, r.handle, b.recorded_at," \
	" c.handle, b.confirmed_at, b.good_id, b.recorded_side FROM barters b JOIN" \
	" households h ON h.id = b.household_id LEFT JOIN accounts a ON a.id =" \
	" b.account_id LEFT JOIN bodies e ON e.id = b.enterprise_id JOIN accounts r ON" \
	" r.id = b.recorded_by LEFT JOIN accounts c ON c.id = b.confirmed_by"

static json_t *opt_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? json_string((const char *)t) : json_null();
}

static json_t *opt_int(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
		: json_integer(sqlite3_column_int64(st, col));
}

static json_t *barter_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:I, s:s, s:s, s:I, s:s,"
		" s:s, s:I, s:o, s:o, s:o, s:s}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"household", (const char *)sqlite3_column_text(st, 1),
		"household_name", (const char *)sqlite3_column_text(st, 2),
		"member", opt_text(st, 3), "member_name", opt_text(st, 4),
		"enterprise", opt_text(st, 5), "enterprise_name", opt_text(st, 6),
		"household_gives", (const char *)sqlite3_column_text(st, 7),
		"household_quantity", (json_int_t)sqlite3_column_int64(st, 8),
		"household_unit", (const char *)sqlite3_column_text(st, 9),
		"other_gives", (const char *)sqlite3_column_text(st, 10),
		"other_quantity", (json_int_t)sqlite3_column_int64(st, 11),
		"other_unit", (const char *)sqlite3_column_text(st, 12),
		"recorded_by", (const char *)sqlite3_column_text(st, 13),
		"recorded_at", (json_int_t)sqlite3_column_int64(st, 14),
		"confirmed_by", opt_text(st, 15), "confirmed_at", opt_int(st, 16),
		"good", opt_int(st, 17),
		"recorded_side", (const char *)sqlite3_column_text(st, 18));
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
static json_t *aid_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"good", (json_int_t)sqlite3_column_int64(st, 1),
		"good_name", (const char *)sqlite3_column_text(st, 2),
		"unit", (const char *)sqlite3_column_text(st, 3),
		"units", (const char *)sqlite3_column_text(st, 4),
		"quantity", (json_int_t)sqlite3_column_int64(st, 5),
		"by", (const char *)sqlite3_column_text(st, 6),
		"by_name", (const char *)sqlite3_column_text(st, 7),
		"at", (json_int_t)sqlite3_column_int64(st, 8),
		"mutual_aid", (json_int_t)sqlite3_column_int64(st, 9));
}

static json_t *member_row(sqlite3_stmt *st)
{
	json_t *x = json_pack("{s:s, s:s, s:I, s:o, s:b}",
		"handle", (const char *)sqlite3_column_text(st, 0),
		"display_name", (const char *)sqlite3_column_text(st, 1),
		"invited_at", (json_int_t)sqlite3_column_int64(st, 2),
		"joined_at", opt_int(st, 3),
		"opted_out", sqlite3_column_int(st, 4) == 1);
	return x;
}

int gov_household_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		      struct px_error *err)
{
	struct store *s = ctx->db;
	int64_t hid = 0;
	int row = 0, out_now = 0, rc;
	*out = NULL;
	if ((rc = household_id(s, slug, &hid)))
		return px_fail(err, rc, NULL, NULL);
	if (!hid)
		return px_fail(err, PX_E_NOT_FOUND, "slug", "no household '%s'", slug ? slug : "");
	sqlite3_stmt *st = store_stmt(s, "SELECT h.slug, h.name, a.handle, h.declared_at FROM"
		" households h JOIN accounts a ON a.id = h.declared_by WHERE h.id = ?");
	sqlite3_bind_int64(st, 1, hid);
	if ((rc = store_step(st, &row)) || !row)
		return px_fail(err, rc ? rc : PX_E_NOT_FOUND, NULL, NULL);
	json_t *h = json_pack("{s:s, s:s, s:s, s:I}",
		"slug", (const char *)sqlite3_column_text(st, 0),
		"name", (const char *)sqlite3_column_text(st, 1),
		"declared_by", (const char *)sqlite3_column_text(st, 2),
		"declared_at", (json_int_t)sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	if (!h)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_t *members = json_array(), *barters = json_array(), *aid = json_array();
	json_t *allots = NULL;
	json_object_set_new(h, "members", members);
	json_object_set_new(h, "barters", barters);
	json_object_set_new(h, "mutual_aid", aid);
	st = store_stmt(s, "SELECT a.handle, a.display_name, m.invited_at, m.joined_at,"
		" (SELECT o.opted_out FROM sharing_optouts o WHERE o.account_id = m.account_id"
		" ORDER BY o.id DESC LIMIT 1) FROM household_members m JOIN accounts a ON a.id ="
		" m.account_id WHERE m.household_id = ? AND m.left_at IS NULL ORDER BY m.id");
	sqlite3_bind_int64(st, 1, hid);
	if (!(rc = rows(st, member_row, members))) {
		st = store_stmt(s, BARTER_SELECT " WHERE b.household_id = ? ORDER BY b.id DESC");
		sqlite3_bind_int64(st, 1, hid);
		rc = rows(st, barter_row, barters);
	}
	if (!rc) {
		/* what its members received by the assembly's mutual aid, as takes */
		st = store_stmt(s, "SELECT t.id, t.good_id, g.name, g.unit, g.units, t.quantity,"
			" a.handle, a.display_name, t.at, t.motion_id FROM takes t JOIN goods g ON"
			" g.id = t.good_id JOIN accounts a ON a.id = t.account_id WHERE t.motion_id"
			" IS NOT NULL AND t.account_id IN (SELECT m.account_id FROM"
			" household_members m WHERE m.household_id = ? AND m.joined_at IS NOT NULL"
			" AND m.left_at IS NULL) ORDER BY t.id DESC");
		sqlite3_bind_int64(st, 1, hid);
		rc = rows(st, aid_row, aid);
	}
	if (!rc)
		rc = household_opted_out(s, hid, &out_now);
	if (!rc)
		rc = sharing_allotments_json(s, 0, hid, &allots);
	if (rc) {
		json_decref(h);
		return px_fail(err, rc, NULL, NULL);
	}
	json_object_set_new(h, "allotments", allots);
	json_object_set_new(h, "opted_out", json_boolean(out_now));
	*out = h;
	return 0;
}

int gov_household_mine(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	int64_t who = 0, hid = 0;
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if ((rc = sharing_account(ctx->db, ctx->handle, &who)) ||
	    (rc = household_of(ctx->db, who, &hid)))
		return px_fail(err, rc, NULL, NULL);
	json_t *house = json_null(), *invites = json_array();
	if (hid) {
		int row = 0;
		sqlite3_stmt *st = store_stmt(ctx->db, "SELECT slug FROM households WHERE id = ?");
		sqlite3_bind_int64(st, 1, hid);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		char slug[80];
		snprintf(slug, sizeof(slug), "%s", row ? (const char *)sqlite3_column_text(st, 0)
			 : "");
		sqlite3_reset(st);
		if ((rc = gov_household_get(ctx, slug, &house, err))) {
			json_decref(invites);
			return rc;
		}
	}
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT h.slug, h.name FROM household_members m"
		" JOIN households h ON h.id = m.household_id WHERE m.account_id = ? AND"
		" m.joined_at IS NULL AND m.left_at IS NULL ORDER BY m.id");
	sqlite3_bind_int64(st, 1, who);
	while (store_next(st, &rc))
		json_array_append_new(invites, json_pack("{s:s, s:s}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1)));
	if (rc) {
		json_decref(house);
		json_decref(invites);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = json_pack("{s:o, s:o}", "household", house, "invited", invites);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

/* ---- replay ---- */

static const struct {
	const char *action;
	apply_fn apply;
} entries[] = {
	{ "household.declare", apply_declare },
	{ "household.invite", apply_invite },
	{ "household.join", apply_join },
	{ "household.leave", apply_leave },
	{ "barter.record", apply_barter },
	{ "barter.confirm", apply_confirm },
};

int household_replay(struct store *s, const char *action, const json_t *payload,
		     int64_t at, const char *actor, struct px_error *err)
{
	int64_t id = 0;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (!strcmp(entries[i].action, action))
			return entries[i].apply(s, payload, at, actor, &id, err);
	return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}
