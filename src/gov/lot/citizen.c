/*
 * citizen.c: residence and citizenship by yearly consent. Each act is the
 * signed-in person's, on themselves only: no parameter names anyone else.
 *
 * Status is never stored: it is computed from the residence row and the
 * consent's expiry at the moment asked, so lapsing needs no job and no
 * entry, and cannot be missed. A polity counts its residents (people whose
 * community is in its region) and its citizens (those of them whose
 * consent has not expired), never who they are.
 */
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/people/people.h"
#include "banned.h"

static int person_id(struct store *s, const json_t *p, int64_t *id, struct px_error *err)
{
	const char *handle = json_string_value(json_object_get(p, "person"));
	int found = 0;
	if (!handle)
		return px_fail(err, PX_E_BAD_INPUT, "person", "the entry names no person");
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	int rc = store_int64(st, id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "person", "no account '%s'", handle);
	return 0;
}

int lot_apply_residence(struct store *s, const json_t *p, int64_t at,
			struct px_error *err)
{
	const char *community = json_string_value(json_object_get(p, "community"));
	int64_t account;
	int rc = person_id(s, p, &account, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO residences(account_id, community_id,"
		" since) SELECT ?1, id, ?3 FROM communities WHERE slug = ?2"
		" ON CONFLICT(account_id) DO UPDATE SET community_id = excluded.community_id,"
		" since = excluded.since WHERE community_id <> excluded.community_id");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_text(st, 2, community ? community : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	if (sqlite3_changes(store_db(s)) != 1)
		return px_fail(err, PX_E_CONFLICT, "community",
			       "no community '%s', or you live there already",
			       community ? community : "");
	return 0;
}

int lot_apply_consent(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	int64_t account, expires = json_integer_value(json_object_get(p, "expires_at"));
	int yes = 0;
	int rc = person_id(s, p, &account, err);
	if (rc)
		return rc;
	if (expires <= at)
		return px_fail(err, PX_E_BAD_INPUT, "expires_at", "a consent expires after"
			       " it is given");
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM residences WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, account);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_LOT_NO_RESIDENCE, NULL, NULL);
	st = store_stmt(s, "INSERT INTO consents(account_id, given_at, expires_at)"
			" VALUES (?1, ?2, ?3) ON CONFLICT(account_id) DO UPDATE SET"
			" given_at = excluded.given_at, expires_at = excluded.expires_at");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, expires);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

struct act_args {
	const struct gov_ctx *ctx;
	const char *action;
	int (*apply)(struct store *s, const json_t *p, int64_t at, struct px_error *err);
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int act_tx(struct store *s, void *arg)
{
	struct act_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int rc = a->apply(s, a->payload, a->ctx->now, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL, a->action,
				    a->payload, NULL);
	if (!rc)
		rc = gov_citizenship(a->ctx, &a->out, a->err);
	return rc;
}

static int act(const struct gov_ctx *ctx, struct act_args *a, json_t **out)
{
	int rc = a->payload ? store_tx(ctx->db, act_tx, a) : PX_E_NOMEM;
	json_decref(a->payload);
	if (rc) {
		json_decref(a->out);
		return a->err && !a->err->code ? px_fail(a->err, rc, NULL, NULL) : rc;
	}
	*out = a->out;
	return 0;
}

int gov_residence_set(const struct gov_ctx *ctx, const char *community, json_t **out,
		      struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!community || !gov_slug_valid(community))
		return px_fail(err, PX_E_NOT_FOUND, "community", "no community '%s'",
			       community ? community : "");
	/* an unknown community is a 404 naming the field, before anything */
	int yes = 0;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT 1 FROM communities WHERE slug = ?");
	sqlite3_bind_text(st, 1, community, -1, SQLITE_STATIC);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_NOT_FOUND, "community", "no community '%s'", community);
	struct act_args a = { ctx, "citizen.residence", lot_apply_residence,
			      json_pack("{s:s, s:s}", "person", ctx->handle,
					"community", community), NULL, err };
	return act(ctx, &a, out);
}

int gov_consent_give(const struct gov_ctx *ctx, int affirm, json_t **out,
		     struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!affirm)
		return px_fail(err, PX_E_NOT_AFFIRMED, "affirm", "consent is an explicit act:"
			       " affirm that you consent to citizenship for a year");
	struct act_args a = { ctx, "citizen.consent", lot_apply_consent,
			      json_pack("{s:s, s:I}", "person", ctx->handle, "expires_at",
					(json_int_t)lot_one_year_after(ctx->now)),
			      NULL, err };
	return act(ctx, &a, out);
}

int gov_citizenship(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	int rc = gov_require_account(ctx, err);
	*out = NULL;
	if (rc)
		return rc;
	json_t *c = json_pack("{s:s, s:n, s:n, s:n}", "status", "none", "residence",
			      "consent_given_at", "expires_at");
	json_t *polities = json_array();
	int row = 0;
	int64_t community = 0;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT c.id, c.slug, c.name, r.since"
				      " FROM residences r JOIN communities c"
				      " ON c.id = r.community_id WHERE r.account_id = ?");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		community = sqlite3_column_int64(st, 0);
		json_object_set_new(c, "residence", json_pack("{s:s, s:s, s:I}",
			"community", (const char *)sqlite3_column_text(st, 1),
			"name", (const char *)sqlite3_column_text(st, 2),
			"since", (json_int_t)sqlite3_column_int64(st, 3)));
		json_object_set_new(c, "status", json_string("resident"));
		sqlite3_reset(st);
	}
	st = store_stmt(ctx->db, "SELECT given_at, expires_at FROM consents"
			" WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		int64_t expires = sqlite3_column_int64(st, 1);
		json_object_set_new(c, "consent_given_at",
				    json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(c, "expires_at", json_integer(expires));
		if (community && expires > ctx->now)
			json_object_set_new(c, "status", json_string("citizen"));
		sqlite3_reset(st);
	}
	/* the polities over the person's community: up from it */
	st = store_stmt(ctx->db, "WITH RECURSIVE up(id) AS (SELECT region_id FROM"
			" region_communities WHERE community_id = ?1 UNION SELECT p.region_id"
			" FROM region_parts p JOIN up ON p.part_id = up.id)"
			" SELECT slug, name FROM polities WHERE region_id IN (SELECT id FROM up)"
			" ORDER BY widest DESC, name");
	sqlite3_bind_int64(st, 1, community);
	while (store_next(st, &rc))
		json_array_append_new(polities, json_pack("{s:s, s:s}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1)));
	if (rc)
		goto out;
	json_object_set_new(c, "polities", polities);
	polities = NULL;
	/* the profile: shown to the person only (quota.c) */
	if ((rc = lot_profile_json(ctx->db, ctx->account_id, c)))
		goto out;
	*out = c;
	return 0;
out:
	json_decref(c);
	json_decref(polities);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- replay ---- */

static const struct {
	const char *action;
	int (*apply)(struct store *s, const json_t *p, int64_t at, struct px_error *err);
} entries[] = {
	{ "region.add", lot_apply_region },
	{ "polity.add", lot_apply_polity },
	{ "citizen.residence", lot_apply_residence },
	{ "citizen.consent", lot_apply_consent },
	{ "citizen.profile", lot_apply_profile },
	{ "renewal.commit", lot_apply_commit },
	{ "renewal.witness", lot_apply_witness },
	{ "renewal.draw", lot_apply_draw },
	{ "renewal.term", lot_apply_term },
	{ "summons.answer", lot_apply_answer },
	{ "summons.excuse", lot_apply_excuse },
	{ "summons.lapse", lot_apply_lapse },
	{ "seat.resign", lot_apply_resign },
};

int lot_owns(const char *action, size_t len)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strlen(entries[i].action) == len && !memcmp(entries[i].action, action, len))
			return 1;
	return 0;
}

int lot_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
	       const char *actor, struct px_error *err)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		if (strcmp(entries[i].action, action))
			continue;
		/* a person acts on themselves only: the entry's actor */
		const char *person = json_string_value(json_object_get(payload, "person"));
		if (person && strcmp(person, actor))
			return px_fail(err, PX_E_FORBIDDEN, "person", "the entry of %s is"
				       " acted by %s", person, actor);
		return entries[i].apply(s, payload, at, err);
	}
	return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}
