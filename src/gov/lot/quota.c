/*
 * quota.c: stratification by quotas in the renewals (docs/polities.md,
 * "Stratified renewals"; docs/sortition.md section 8 for LEXIMIN and the
 * lottery).
 *
 * A person declares a profile: a value for each category the polities use
 * (citizen.profile, their own act, shown to them only). A polity's quotas
 * (a setting: named once by the operator at registration, then changed
 * only by its assembly's polity_settings) give, for each category, values
 * with the least and most seats each cohort's draw gives them. Every
 * category has the value "undeclared" (those without a value, or with one
 * the polity does not list): 0 to all seats unless the quotas name it.
 *
 * The draw under the quotas is quota_draw.c. In short: at the commitment
 * of a renewal of a polity with quotas, the pool's profiles (by leaf, in
 * canonical order) and the quotas are published with
 * the leaves, with the LEXIMIN distribution over the pool's types and its
 * rounding to a lottery of panels of leaves (px_lottery_tickets), whose commitment
 * is named before the seed exists (renewal.commit, "strata"). The seed is
 * derived from that lottery's commitment and the witnesses' text; it picks
 * the panel (the people drawn, in canonical order), then ranks the rest of
 * the pool as alternates (docs/sortition.md section 6). A vacancy goes to
 * the first alternate in rank order whose profile keeps every quota
 * reachable on the cohort at that moment (lot_quota_fits). When no panel
 * can meet the quotas, the entry says why and the renewal is a uniform
 * draw (the rule of docs/polities.md).
 *
 * Replay checks what can be checked without the salts: the quotas are the
 * polity's at that moment, every panel of the lottery seats `seats`
 * distinct leaves of the pool and meets every quota, the panels hash to
 * the lottery's commitment, and a pool said to miss the quotas does (the
 * reasons are recomputed). The distribution itself is recomputed by
 * `pnyx polity verify`, within the solver's tolerance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "banned.h"

#define UNDECLARED LOT_UNDECLARED
#define NAME_MAX_LEN LOT_QUOTA_NAME_MAX
#define CATS_MAX 8
#define QUOTAS_MAX 64

/* ---- the quotas' text and canonical form ---- */

static int name_ok(const char *a, size_t n)
{
	if (!n || n > NAME_MAX_LEN || a[0] == ' ' || a[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c < 0x20 || c == 0x7f || c == ',' || c == ';' || c == ':' || c == '"' ||
		    c == '=')
			return 0;
	}
	return 1;
}

static const char *skip_sp(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

static const char *trim_end(const char *a, const char *b)
{
	while (b > a && b[-1] == ' ')
		b--;
	return b;
}

/* Parse "min-max" (or a single number: min = max) from [a, b). */
static int range_of(const char *a, const char *b, int64_t *lo, int64_t *hi)
{
	int64_t v[2] = { -1, -1 };
	int k = 0;
	for (const char *p = a; p < b; p++) {
		if (*p == '-' && k == 0 && v[0] >= 0) {
			k = 1;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		v[k] = (v[k] < 0 ? 0 : v[k]) * 10 + (*p - '0');
		if (v[k] > 1000)
			return -1;
	}
	if (v[0] < 0 || (k && v[1] < 0))
		return -1;
	*lo = v[0];
	*hi = k ? v[1] : v[0];
	return 0;
}

static int same_ci(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

int lot_quotas_parse(const char *text, int64_t seats_lo, int64_t seats_hi, const char *field,
		     json_t **out, struct px_error *err)
{
	*out = NULL;
	if (!text || text_check_line(text, 1, 2000))
		return px_fail(err, PX_E_BAD_INPUT, field, "quotas are written 'category: value"
			       " min-max, value min-max; category: ...' on one line, or 'none'");
	if (!strcmp(text, "none"))
		return 0;
	json_t *q = json_array(), *cats = json_array();
	const char *p = text, *end = text + strlen(text);
	int rc = 0;
	while (!rc && p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;
		const char *colon = memchr(p, ':', (size_t)(stop - p));
		const char *ca = skip_sp(p, stop), *cb = colon ? trim_end(ca, colon) : NULL;
		if (!colon || !name_ok(ca, (size_t)(cb - ca)) ||
		    (cb - ca == 2 && !memcmp(ca, "id", 2))) {
			rc = px_fail(err, PX_E_BAD_INPUT, field, "each part is 'category: value"
				     " min-max, ...': a category has 1 to 40 characters, without"
				     " , ; : = or quotes, and is not 'id'");
			break;
		}
		char cat[NAME_MAX_LEN + 1];
		snprintf(cat, sizeof(cat), "%.*s", (int)(cb - ca), ca);
		size_t i;
		json_t *c;
		json_array_foreach(cats, i, c)
			if (same_ci(json_string_value(c), cat))
				rc = px_fail(err, PX_E_BAD_INPUT, field, "the category '%s' is"
					     " named twice", cat);
		if (rc)
			break;
		json_array_append_new(cats, json_string(cat));
		int64_t sum_min = 0, sum_max = 0, values = 0, named_undeclared = 0;
		const char *v = colon + 1;
		while (!rc && v < stop) {
			const char *comma = memchr(v, ',', (size_t)(stop - v));
			const char *vstop = comma ? comma : stop;
			const char *a = skip_sp(v, vstop), *b = trim_end(a, vstop);
			const char *sp = b;
			while (sp > a && sp[-1] != ' ')
				sp--;
			const char *vb = trim_end(a, sp);
			int64_t lo = 0, hi = 0;
			if (sp <= a || range_of(sp, b, &lo, &hi) || !name_ok(a, (size_t)(vb - a))) {
				rc = px_fail(err, PX_E_BAD_INPUT, field, "in '%s', each value is"
					     " written 'value min-max' (a value of 1 to 40"
					     " characters, then the seats, e.g. 'women 2-3')", cat);
				break;
			}
			if (lo > hi || hi > LOT_SEATS_MAX) {
				rc = px_fail(err, PX_E_OUT_OF_RANGE, field, "in '%s', '%.*s' needs"
					     " a least number of seats no greater than the most, and"
					     " at most %d", cat, (int)(vb - a), a, LOT_SEATS_MAX);
				break;
			}
			char val[NAME_MAX_LEN + 1];
			snprintf(val, sizeof(val), "%.*s", (int)(vb - a), a);
			json_t *e;
			json_array_foreach(q, i, e)
				if (!strcmp(json_string_value(json_object_get(e, "category")), cat) &&
				    same_ci(json_string_value(json_object_get(e, "value")), val))
					rc = px_fail(err, PX_E_BAD_INPUT, field, "'%s' is named twice"
						     " in '%s'", val, cat);
			if (rc)
				break;
			named_undeclared |= !strcmp(val, UNDECLARED);
			json_array_append_new(q, json_pack("{s:s, s:s, s:I, s:I}", "category", cat,
				"value", val, "min", (json_int_t)lo, "max", (json_int_t)hi));
			sum_min += lo;
			sum_max += hi;
			values++;
			v = comma ? comma + 1 : stop;
		}
		if (rc)
			break;
		if (!values) {
			rc = px_fail(err, PX_E_BAD_INPUT, field, "'%s' names no value", cat);
			break;
		}
		/* what no pool can meet: more seats wanted than a draw has, or
		 * fewer allowed (the undeclared take up to every seat unless
		 * named) */
		if (sum_min > seats_lo) {
			rc = px_fail(err, PX_E_INFEASIBLE, field, "the least seats of '%s' add up"
				     " to %lld, more than the %lld seats of a cohort's draw", cat,
				     (long long)sum_min, (long long)seats_lo);
			break;
		}
		if (named_undeclared && sum_max < seats_hi) {
			rc = px_fail(err, PX_E_INFEASIBLE, field, "the most seats of '%s' add up"
				     " to %lld, fewer than the %lld seats of a cohort's draw", cat,
				     (long long)sum_max, (long long)seats_hi);
			break;
		}
		p = semi ? semi + 1 : end;
	}
	if (!rc && (json_array_size(cats) > CATS_MAX || json_array_size(q) > QUOTAS_MAX))
		rc = px_fail(err, PX_E_OUT_OF_RANGE, field, "at most %d categories and %d"
			     " values in all", CATS_MAX, QUOTAS_MAX);
	if (!rc && !json_array_size(q))
		rc = px_fail(err, PX_E_BAD_INPUT, field, "no quota named (say 'none' for none)");
	json_decref(cats);
	if (rc) {
		json_decref(q);
		return rc;
	}
	*out = q;
	return 0;
}

/* The categories of quotas q, in the order they first appear. */
json_t *lot_quota_categories(const json_t *q)
{
	json_t *cats = json_array(), *e, *c;
	size_t i, j;
	json_array_foreach(q, i, e) {
		const char *name = json_string_value(json_object_get(e, "category"));
		int seen = 0;
		json_array_foreach(cats, j, c)
			seen |= !strcmp(json_string_value(c), name);
		if (!seen)
			json_array_append_new(cats, json_string(name));
	}
	return cats;
}

int lot_quota_has(const json_t *quotas, const char *cat, const char *value)
{
	size_t i;
	json_t *e;
	json_array_foreach(quotas, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "category")), cat) &&
		    !strcmp(json_string_value(json_object_get(e, "value")), value))
			return 1;
	return 0;
}

int lot_quotas_get(struct store *s, int64_t polity_id, json_t **out)
{
	struct strbuf b;
	int found = 0;
	*out = NULL;
	sb_init(&b, 1 << 20);
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(quotas, '') FROM polity_settings"
				      " WHERE polity_id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	int rc = store_text(st, &b, &found);
	if (!rc && found && b.len)
		*out = json_loads(b.buf, 0, NULL);
	sb_release(&b);
	return rc;
}

/* "gender: women 2-3, men 2-3; ..." from canonical quotas. */
char *lot_quotas_text(const json_t *q)
{
	struct strbuf b;
	json_t *cats = lot_quota_categories(q), *c, *e;
	size_t i, j;
	sb_init(&b, 8192);
	json_array_foreach(cats, i, c) {
		const char *cat = json_string_value(c);
		int first = 1;
		sb_addf(&b, "%s%s:", i ? "; " : "", cat);
		json_array_foreach(q, j, e) {
			if (strcmp(json_string_value(json_object_get(e, "category")), cat))
				continue;
			json_int_t lo = json_integer_value(json_object_get(e, "min"));
			json_int_t hi = json_integer_value(json_object_get(e, "max"));
			sb_addf(&b, "%s %s %lld", first ? "" : ",",
				json_string_value(json_object_get(e, "value")), (long long)lo);
			if (hi != lo)
				sb_addf(&b, "-%lld", (long long)hi);
			first = 0;
		}
	}
	json_decref(cats);
	return sb_detach(&b, NULL);
}

/* ---- profiles ---- */

/* The categories and values of every polity's quotas, for checking a
 * profile: {"category": ["value", ...]}. */
static int vocabulary(struct store *s, int64_t only_account, json_t **out)
{
	int rc = 0;
	json_t *voc = json_object();
	/* only_account: the polities over their community; 0: all */
	sqlite3_stmt *st = store_stmt(s, only_account ?
		"WITH RECURSIVE up(id) AS (SELECT region_id FROM region_communities WHERE"
		" community_id = (SELECT community_id FROM residences WHERE account_id = ?1)"
		" UNION SELECT p.region_id FROM region_parts p JOIN up ON p.part_id = up.id)"
		" SELECT st.quotas FROM polity_settings st JOIN polities p ON p.id ="
		" st.polity_id WHERE st.quotas IS NOT NULL AND p.region_id IN"
		" (SELECT id FROM up) ORDER BY p.id" :
		"SELECT quotas FROM polity_settings WHERE quotas IS NOT NULL AND ?1 = 0"
		" ORDER BY polity_id");
	sqlite3_bind_int64(st, 1, only_account);
	while (store_next(st, &rc)) {
		json_t *q = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL), *e;
		size_t i;
		json_array_foreach(q, i, e) {
			const char *cat = json_string_value(json_object_get(e, "category"));
			const char *val = json_string_value(json_object_get(e, "value"));
			json_t *list = json_object_get(voc, cat), *v;
			size_t j;
			int seen = 0;
			if (!list) {
				list = json_array();
				json_object_set_new(voc, cat, list);
			}
			json_array_foreach(list, j, v)
				seen |= !strcmp(json_string_value(v), val);
			if (!seen && strcmp(val, UNDECLARED))
				json_array_append_new(list, json_string(val));
		}
		json_decref(q);
	}
	if (rc) {
		json_decref(voc);
		return rc;
	}
	*out = voc;
	return 0;
}

int lot_apply_profile(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	(void)at;
	const char *handle = json_string_value(json_object_get(p, "person"));
	const json_t *prof = json_object_get(p, "profile");
	int64_t account;
	int rc = lot_account_id(s, handle, &account, err);
	if (rc)
		return rc;
	if (!json_is_object(prof) || json_object_size(prof) > CATS_MAX * 4)
		return px_fail(err, PX_E_BAD_INPUT, "profile", "a profile is an object of"
			       " categories and their values");
	const char *cat;
	json_t *v;
	json_object_foreach((json_t *)prof, cat, v) {
		const char *val = json_string_value(v);
		if (!name_ok(cat, strlen(cat)) || !val || !name_ok(val, strlen(val)))
			return px_fail(err, PX_E_BAD_INPUT, "profile", "'%s' is not a category"
				       " with a value", cat);
	}
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM profiles WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, account);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_foreach((json_t *)prof, cat, v) {
		st = store_stmt(s, "INSERT INTO profiles(account_id, category, value)"
				" VALUES (?, ?, ?)");
		sqlite3_bind_int64(st, 1, account);
		sqlite3_bind_text(st, 2, cat, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, json_string_value(v), -1, SQLITE_TRANSIENT);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}

int lot_profile_json(struct store *s, int64_t account, json_t *c)
{
	int rc = 0;
	json_t *prof = json_object(), *voc = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT category, value FROM profiles WHERE"
				      " account_id = ? ORDER BY category");
	sqlite3_bind_int64(st, 1, account);
	while (store_next(st, &rc))
		json_object_set_new(prof, (const char *)sqlite3_column_text(st, 0),
				    json_string((const char *)sqlite3_column_text(st, 1)));
	if (!rc)
		rc = vocabulary(s, account, &voc);
	if (rc) {
		json_decref(prof);
		return rc;
	}
	json_object_set_new(c, "profile", prof);
	/* the categories the person's polities use, with their values: what
	 * the page offers */
	json_t *cats = json_array(), *vals;
	const char *cat;
	json_object_foreach(voc, cat, vals)
		json_array_append_new(cats, json_pack("{s:s, s:O}", "category", cat,
						      "values", vals));
	json_object_set_new(c, "profile_categories", cats);
	json_decref(voc);
	return 0;
}

struct profile_args {
	const struct gov_ctx *ctx;
	json_t *payload, *out;
	struct px_error *err;
};

static int profile_tx(struct store *s, void *arg)
{
	struct profile_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	json_t *voc = NULL, *v;
	const char *cat;
	int rc = vocabulary(s, 0, &voc);
	if (rc)
		return px_fail(a->err, rc, NULL, NULL);
	/* a category and value some polity's quotas name: nothing else is
	 * asked of anyone */
	json_object_foreach(json_object_get(a->payload, "profile"), cat, v) {
		const json_t *list = json_object_get(voc, cat), *x;
		size_t i;
		int known = 0;
		json_array_foreach(list, i, x)
			known |= json_is_string(v) && !strcmp(json_string_value(x),
							      json_string_value(v));
		if (!list) {
			rc = px_fail(a->err, PX_E_BAD_INPUT, "profile", "no polity uses the"
				     " category '%.40s'", cat);
			break;
		}
		if (!known) {
			rc = px_fail(a->err, PX_E_BAD_INPUT, "profile", "'%.40s' is not a value"
				     " of '%.40s' (leave the category out to leave it undeclared)",
				     json_is_string(v) ? json_string_value(v) : "?", cat);
			break;
		}
	}
	json_decref(voc);
	if (!rc)
		rc = lot_apply_profile(s, a->payload, a->ctx->now, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL, "citizen.profile",
				    a->payload, NULL);
	if (!rc)
		rc = gov_citizenship(a->ctx, &a->out, a->err);
	return rc;
}

int gov_profile_set(const struct gov_ctx *ctx, const json_t *profile, json_t **out,
		    struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!json_is_object(profile))
		return px_fail(err, PX_E_BAD_INPUT, "profile", "a profile is an object of"
			       " categories and their values");
	struct profile_args a = { ctx, json_pack("{s:s, s:O}", "person", ctx->handle,
						 "profile", profile), NULL, err };
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, profile_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

