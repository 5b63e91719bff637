/*
 * household.c: households outside the sharing economy (sharing.h,
 * docs/sharing.md "Households, allotments and barter"), and what the
 * households' domain shares with barter.c: its writes, the refusal of
 * money in a text, matching words.
 *
 * A person declares a household and is its first member; each person it
 * names is invited, and joins by their own act, or declines by leaving;
 * any member invites, and leaves by their own act. A person is in one
 * household at a time. A household is out of the sharing economy when
 * every one of its members opted out, each by their own act
 * (sharing.opt): nobody opts another out, and a member who did not opt
 * out still takes.
 *
 * Entries, each applied by the same function live and in replay:
 *   household.declare {"household","name","members":[handle]}
 *   household.invite  {"household","person"}: by a member
 *   household.join    {"household"}: by someone invited
 *   household.leave   {"household"}: by a member, or someone invited
 * (barter.* entries: barter.c)
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
int sharing_contains_words(const char *hay, const char *needle)
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

int sharing_active_in(struct store *s, int64_t body, int64_t account, int *yes)
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

int household_has(struct store *s, int64_t hid, int64_t account, int *yes)
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
		hit = sharing_contains_words(text, *w);
	for (const char *const *w = signs; *w && !hit; w++)
		hit = strstr(text, *w) != NULL;
	if (hit)
		return px_fail(err, PX_E_BAD_INPUT, field, "no price and no money: a barter, an"
			       " allotment and the register name things, never what they cost");
	return 0;
}

/* ---- writes: apply, journal, answer, in one transaction ---- */

struct hw_args {
	const struct gov_ctx *ctx;
	const char *action;
	json_t *payload;
	household_apply_fn apply;
	household_answer_fn answer;
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

int household_write(const struct gov_ctx *ctx, const char *action, json_t *payload,
		    household_apply_fn apply, household_answer_fn answer, json_t **out,
		    struct px_error *err)
{
	struct hw_args a = { .ctx = ctx, .action = action, .payload = payload, .apply = apply,
			     .answer = answer, .err = err };
	*out = NULL;
	if (!payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	int rc = store_tx(ctx->db, hw_tx, &a);
	json_decref(payload);
	if (rc) {
		json_decref(a.out);
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	}
	*out = a.out;
	return 0;
}

int household_actor(struct store *s, const char *actor, int64_t *who,
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
	if ((rc = household_actor(s, actor, &who, err)))
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
	json_t *payload = json_pack("{s:s, s:s, s:o}", "household", slug, "name", name, "members",
			      members ? json_deep_copy(members) : json_array());
	return household_write(ctx, "household.declare", payload, apply_declare,
			       household_answer, out, err);
}

/* ---- household.invite, household.join, household.leave ---- */

/* The actor's account (who) and the payload's household (id), refused when
 * there is no such household. */
static int household_target(struct store *s, const json_t *p, const char *actor,
			    int64_t *who, int64_t *id, struct px_error *err)
{
	int rc;
	if ((rc = household_actor(s, actor, who, err)))
		return rc;
	if ((rc = household_id(s, json_string_value(json_object_get(p, "household")), id)))
		return px_fail(err, rc, NULL, NULL);
	if (!*id)
		return px_fail(err, PX_E_NOT_FOUND, "household", "no such household");
	return 0;
}

/* household_target, then the actor's row in that household that has not
 * been left (row_id; 0 when there is none): only an invitation not yet
 * taken when pending_only, else a member's row or an invitation. */
static int household_member_row(struct store *s, const json_t *p, const char *actor,
				int pending_only, int64_t *who, int64_t *id, int64_t *row_id,
				struct px_error *err)
{
	int rc;
	*row_id = 0;
	if ((rc = household_target(s, p, actor, who, id, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, pending_only
		? "SELECT id FROM household_members WHERE household_id = ? AND account_id = ?"
		  " AND joined_at IS NULL AND left_at IS NULL"
		: "SELECT id FROM household_members WHERE household_id = ? AND account_id = ?"
		  " AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, *who);
	if ((rc = store_int64(st, row_id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int apply_invite(struct store *s, const json_t *p, int64_t now, const char *actor,
			int64_t *id, struct px_error *err)
{
	const char *person = json_string_value(json_object_get(p, "person"));
	int64_t who = 0, other = 0;
	int yes = 0, rc;
	if ((rc = household_target(s, p, actor, &who, id, err)))
		return rc;
	if ((rc = household_has(s, *id, who, &yes)))
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
	if ((rc = household_member_row(s, p, actor, 1, &who, id, &row_id, err)))
		return rc;
	if (!row_id)
		return px_fail(err, PX_E_FORBIDDEN, "household", "only someone the household"
			       " invited joins it, by their own act");
	if ((rc = household_of(s, who, &hid)))
		return px_fail(err, rc, NULL, NULL);
	if (hid)
		return px_fail(err, PX_E_CONFLICT, "household", "you are in a household"
			       " already: leave it first");
	sqlite3_stmt *st = store_stmt(s, "UPDATE household_members SET joined_at = ? WHERE id = ?");
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
	if ((rc = household_member_row(s, p, actor, 0, &who, id, &row_id, err)))
		return rc;
	if (!row_id)
		return px_fail(err, PX_E_CONFLICT, "household", "you are not in this household");
	sqlite3_stmt *st = store_stmt(s, "UPDATE household_members SET left_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, row_id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int household_act(const struct gov_ctx *ctx, const char *action,
			 household_apply_fn fn, const char *slug, const char *person,
			 json_t **out, struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, "household", "no such household");
	json_t *payload = person ? json_pack("{s:s, s:s}", "household", slug, "person", person)
		: json_pack("{s:s}", "household", slug);
	return household_write(ctx, action, payload, fn, household_answer, out, err);
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

/* ---- reading ---- */

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
		"joined_at", sharing_int_or_null(st, 3),
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
	json_t *members = json_array(), *aid = json_array(), *barters = NULL, *allots = NULL;
	json_object_set_new(h, "members", members);
	json_object_set_new(h, "mutual_aid", aid);
	st = store_stmt(s, "SELECT a.handle, a.display_name, m.invited_at, m.joined_at,"
		" (SELECT o.opted_out FROM sharing_optouts o WHERE o.account_id = m.account_id"
		" ORDER BY o.id DESC LIMIT 1) FROM household_members m JOIN accounts a ON a.id ="
		" m.account_id WHERE m.household_id = ? AND m.left_at IS NULL ORDER BY m.id");
	sqlite3_bind_int64(st, 1, hid);
	rc = rows(st, member_row, members);
	if (!rc && !(rc = barters_json(s, hid, &barters)))
		json_object_set_new(h, "barters", barters);
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

static const struct household_entry entries[] = {
	{ "household.declare", apply_declare },
	{ "household.invite", apply_invite },
	{ "household.join", apply_join },
	{ "household.leave", apply_leave },
};

int household_replay(struct store *s, const char *action, const json_t *payload,
		     int64_t at, const char *actor, struct px_error *err)
{
	int64_t id = 0;
	if (!strncmp(action, "barter.", 7))
		return barter_replay(s, action, payload, at, actor, err);
	household_apply_fn fn = household_entry_find(entries, sizeof(entries) /
						     sizeof(entries[0]), action);
	return fn ? fn(s, payload, at, actor, &id, err)
		  : px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}

household_apply_fn household_entry_find(const struct household_entry *t, size_t n,
					const char *action)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].action, action))
			return t[i].apply;
	return NULL;
}
