/*
 * renewal_read.c: what is published about renewals: the list of a
 * polity's renewals, one renewal with its witnesses, drawn and alternates,
 * its record file and its result (the inputs of `pnyx verify --record`),
 * and a polity's pool now. Reads only; nothing here writes.
 *
 * A drawn person is shown by their leaf, and by name only once seated
 * (members of an assembly are public); the journal names them all
 * (docs/polities.md, choice 13).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/people/people.h"
#include "banned.h"

#define DAY 86400

static json_t *int_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
		: json_integer(sqlite3_column_int64(st, col));
}

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
		: json_string((const char *)sqlite3_column_text(st, col));
}

/* The next renewal of a polity: the cohort whose term ends first. */
static int next_of(struct store *s, int64_t polity_id, int64_t *cohort, int64_t *draw_at,
		   int64_t *seats, int *found)
{
	int row = 0;
	*found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT cohort, min(term_ends), count(*) FROM"
		" polity_seats WHERE polity_id = ? GROUP BY cohort ORDER BY 2, 1 LIMIT 1");
	sqlite3_bind_int64(st, 1, polity_id);
	int rc = store_step(st, &row);
	if (rc || !row)
		return rc;
	*cohort = sqlite3_column_int64(st, 0);
	*draw_at = sqlite3_column_int64(st, 1);
	*seats = sqlite3_column_int64(st, 2);
	*found = 1;
	sqlite3_reset(st);
	return 0;
}

#define RENEWAL_ROW \
	"SELECT r.id, r.cohort, r.kind, CASE WHEN r.drawn_at IS NOT NULL THEN 'drawn'" \
	" ELSE 'committed' END, r.draw_at, CASE WHEN r.kind = 'regular' THEN" \
	" r.draw_at - st.commit_days * 86400 ELSE r.committed_at END, r.pool_size," \
	" r.seats, r.committed_at, r.alternates, r.seed_source, r.commitment, r.seed_text," \
	" r.seed, p.slug, p.name, r.witnesses, r.drawn_at, r.term_ends FROM renewals r" \
	" JOIN polities p ON p.id = r.polity_id" \
	" JOIN polity_settings st ON st.polity_id = r.polity_id"

static json_t *row_summary(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"cohort", (json_int_t)sqlite3_column_int64(st, 1),
		"kind", (const char *)sqlite3_column_text(st, 2),
		"status", (const char *)sqlite3_column_text(st, 3),
		"draw_at", (json_int_t)sqlite3_column_int64(st, 4),
		"commit_at", (json_int_t)sqlite3_column_int64(st, 5),
		"pool_size", (json_int_t)sqlite3_column_int64(st, 6),
		"seats", (json_int_t)sqlite3_column_int64(st, 7));
}

/* The scheduled renewal, when the next one is not committed yet. */
static int scheduled(struct store *s, int64_t polity_id, json_t **out)
{
	int64_t cohort = 0, draw_at = 0, seats = 0;
	int found = 0, yes = 0;
	struct lot_settings set;
	*out = NULL;
	int rc = next_of(s, polity_id, &cohort, &draw_at, &seats, &found);
	if (rc || !found)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM renewals WHERE polity_id = ? AND"
				      " cohort = ? AND kind = 'regular' AND draw_at = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, draw_at);
	if ((rc = store_exists(st, &yes)) || yes)
		return rc;
	if ((rc = lot_settings_get(s, polity_id, &set)))
		return rc;
	*out = json_pack("{s:n, s:I, s:s, s:s, s:I, s:I, s:n, s:I}", "id",
			 "cohort", (json_int_t)cohort, "kind", "regular", "status", "scheduled",
			 "draw_at", (json_int_t)draw_at,
			 "commit_at", (json_int_t)(draw_at - set.commit_days * DAY),
			 "pool_size", "seats", (json_int_t)seats);
	return *out ? 0 : PX_E_NOMEM;
}

static int renewals_of(struct store *s, int64_t polity_id, int64_t limit, json_t **out)
{
	json_t *list = json_array(), *next = NULL;
	int rc = scheduled(s, polity_id, &next);
	if (!rc && next)
		json_array_append_new(list, next);
	sqlite3_stmt *st = store_stmt(s, RENEWAL_ROW " WHERE r.polity_id = ?"
				      " ORDER BY r.draw_at DESC, r.id DESC LIMIT ?");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, limit);
	while (!rc && store_next(st, &rc))
		json_array_append_new(list, row_summary(st));
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int gov_renewal_list(const struct gov_ctx *ctx, const char *slug, json_t **out,
		     struct px_error *err)
{
	int64_t polity_id;
	json_t *list = NULL;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", slug ? slug : "");
	int rc = lot_polity_by_slug(ctx->db, slug, &polity_id, NULL, NULL, err);
	if (rc) {
		err->field = NULL;
		return rc;
	}
	if ((rc = renewals_of(ctx->db, polity_id, 1000, &list)))
		return px_fail(err, rc, NULL, NULL);
	*out = json_pack("{s:o}", "renewals", list);
	return 0;
}

int lot_polity_renewals_json(const struct gov_ctx *ctx, int64_t polity_id, json_t *p,
			     struct px_error *err)
{
	struct lot_settings set;
	int64_t cohort = 0, draw_at = 0, seats = 0;
	int found = 0;
	json_t *list = NULL;
	int rc = lot_settings_get(ctx->db, polity_id, &set);
	if (!rc)
		rc = next_of(ctx->db, polity_id, &cohort, &draw_at, &seats, &found);
	if (!rc)
		rc = renewals_of(ctx->db, polity_id, 5, &list);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	json_t *reasons = json_loads(set.excuse_reasons, 0, NULL);
	json_object_set_new(p, "settings", json_pack("{s:s, s:I, s:I, s:I, s:b, s:I, s:o, s:s,"
		" s:s}", "seed_source", set.seed_source,
		"commit_days", (json_int_t)set.commit_days,
		"witnesses", (json_int_t)set.witnesses,
		"alternates", (json_int_t)set.alternates,
		"alternates_default", set.alternates == 0,
		"answer_days", (json_int_t)set.answer_days,
		"excuse_reasons", reasons ? reasons : json_array(),
		"excuse_rule", set.excuse_rule, "no_answer", set.no_answer));
	/* the quotas of each cohort's draw (quota.c), or null */
	json_t *quotas = NULL;
	if ((rc = lot_quotas_get(ctx->db, polity_id, &quotas)))
		return px_fail(err, rc, NULL, NULL);
	char *qtext = quotas ? lot_quotas_text(quotas) : NULL;
	json_t *settings = json_object_get(p, "settings");
	json_object_set_new(settings, "quotas", quotas ? quotas : json_null());
	json_object_set_new(settings, "quotas_text", qtext ? json_string(qtext) : json_null());
	free(qtext);
	json_object_set_new(p, "next_renewal", found ? json_pack("{s:I, s:I, s:I, s:I}",
		"draw_at", (json_int_t)draw_at,
		"commit_at", (json_int_t)(draw_at - set.commit_days * DAY),
		"cohort", (json_int_t)cohort, "seats", (json_int_t)seats) : json_null());
	json_object_set_new(p, "renewals", list);
	return 0;
}

int gov_renewal_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		    struct px_error *err)
{
	int row = 0, rc;
	json_t *r = NULL, *wit = json_array(), *drawn = json_array(), *alts = json_array();
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, RENEWAL_ROW " WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		goto out;
	if (!row) {
		json_decref(wit);
		json_decref(drawn);
		json_decref(alts);
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no renewal %lld", (long long)id);
	}
	r = row_summary(st);
	json_object_set_new(r, "polity", json_pack("{s:s, s:s}",
		"slug", (const char *)sqlite3_column_text(st, 14),
		"name", (const char *)sqlite3_column_text(st, 15)));
	json_object_set_new(r, "committed_at", json_integer(sqlite3_column_int64(st, 8)));
	json_object_set_new(r, "alternates", json_integer(sqlite3_column_int64(st, 9)));
	json_object_set_new(r, "seed_source", text_or_null(st, 10));
	json_object_set_new(r, "commitment", text_or_null(st, 11));
	json_object_set_new(r, "seed_text", text_or_null(st, 12));
	json_object_set_new(r, "seed", text_or_null(st, 13));
	json_object_set_new(r, "witnesses_needed", json_integer(sqlite3_column_int64(st, 16)));
	json_object_set_new(r, "drawn_at", int_or_null(st, 17));
	json_object_set_new(r, "term_ends", json_integer(sqlite3_column_int64(st, 18)));
	char verify[256];
	snprintf(verify, sizeof(verify), "pnyx polity verify %s --renewal %lld --server URL",
		 (const char *)sqlite3_column_text(st, 14), (long long)id);
	json_object_set_new(r, "verify", json_string(verify));
	sqlite3_reset(st);
	st = store_stmt(ctx->db, "SELECT a.display_name, w.text, w.at FROM renewal_witnesses w"
			" JOIN accounts a ON a.id = w.account_id WHERE w.renewal_id = ?"
			" ORDER BY w.at, a.handle");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(wit, json_pack("{s:s, s:s, s:I}",
			"name", (const char *)sqlite3_column_text(st, 0),
			"text", (const char *)sqlite3_column_text(st, 1),
			"at", (json_int_t)sqlite3_column_int64(st, 2)));
	if (rc)
		goto out;
	/* the ranked list: the state of each is its summons' when called */
	st = store_stmt(ctx->db, "SELECT x.place, x.leaf, x.drawn, coalesce(m.state, x.state),"
		" CASE WHEN m.state IN ('accepted', 'term_ended', 'resigned', 'removed')"
		" THEN a.display_name END, x.why FROM renewal_ranks x"
		" JOIN accounts a ON a.id = x.account_id"
		" LEFT JOIN summons m ON m.renewal_id = x.renewal_id AND m.place = x.place"
		" WHERE x.renewal_id = ? ORDER BY x.place");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		json_t *e = json_pack("{s:I, s:s, s:s, s:o, s:o}",
			"rank", (json_int_t)sqlite3_column_int64(st, 0),
			"leaf", (const char *)sqlite3_column_text(st, 1),
			"state", (const char *)sqlite3_column_text(st, 3),
			"name", text_or_null(st, 4), "why", text_or_null(st, 5));
		json_array_append_new(sqlite3_column_int(st, 2) ? drawn : alts, e);
	}
	if (rc)
		goto out;
	/* who deferred at the cohort's last renewal, summoned again ahead of
	 * this draw (outside its ranked list) */
	json_t *again = json_array();
	st = store_stmt(ctx->db, "SELECT m.state, CASE WHEN m.state IN ('accepted',"
		" 'term_ended', 'resigned', 'removed') THEN a.display_name END FROM summons m"
		" JOIN accounts a ON a.id = m.account_id WHERE m.renewal_id = ? AND m.place < 1"
		" ORDER BY m.place DESC");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(again, json_pack("{s:s, s:o}",
			"state", (const char *)sqlite3_column_text(st, 0),
			"name", text_or_null(st, 1)));
	json_object_set_new(r, "summoned_again", again);
	if (rc || (rc = lot_strata_json(ctx->db, id, r)))
		goto out;
	json_object_set_new(r, "witnesses", wit);
	json_object_set_new(r, "drawn", drawn);
	json_object_set_new(r, "alternate_list", alts);
	*out = r;
	return 0;
out:
	json_decref(r);
	json_decref(wit);
	json_decref(drawn);
	json_decref(alts);
	return px_fail(err, rc, NULL, NULL);
}

int gov_renewal_record(const struct gov_ctx *ctx, int64_t id, char **text,
		       struct px_error *err)
{
	struct strbuf sb;
	int rc = 0, found = 0;
	*text = NULL;
	sb_init(&sb, SB_DEFAULT_MAX);
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT commitment FROM renewals WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	struct strbuf com;
	sb_init(&com, 128);
	if ((rc = store_text(st, &com, &found)))
		goto out;
	if (!found) {
		sb_release(&com);
		sb_release(&sb);
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no renewal %lld", (long long)id);
	}
	if ((rc = sb_addf(&sb, "# pnyx sortition pool record v1\n# renewal %lld\n"
			  "commitment %s\n", (long long)id, com.buf)))
		goto out;
	st = store_stmt(ctx->db, "SELECT leaf FROM renewal_leaves WHERE renewal_id = ?"
			" ORDER BY position");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		if ((rc = sb_addf(&sb, "%s\n", (const char *)sqlite3_column_text(st, 0)))) {
			sqlite3_reset(st);
			break;
		}
	if (rc)
		goto out;
	sb_release(&com);
	*text = sb_detach(&sb, NULL);
	return *text ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
out:
	sb_release(&com);
	sb_release(&sb);
	return px_fail(err, rc, NULL, NULL);
}

int gov_renewal_result(const struct gov_ctx *ctx, int64_t id, json_t **out,
		       struct px_error *err)
{
	int row = 0, rc;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT commitment, seed FROM renewals"
				      " WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no renewal %lld", (long long)id);
	if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
		sqlite3_reset(st);
		return px_fail(err, PX_E_LOT_NOT_YET, NULL, "this renewal is not drawn yet:"
			       " its result exists once the witnesses have entered the seed");
	}
	/* leaves only: a result that states ids must state as many as
	 * leaves (docs/sortition.md 6.1, "lists"), and the record has none */
	json_t *r = json_pack("{s:s, s:s, s:[], s:[]}",
		"commitment", (const char *)sqlite3_column_text(st, 0),
		"seed", (const char *)sqlite3_column_text(st, 1),
		"drawn_leaves", "alternate_leaves");
	sqlite3_reset(st);
	if (!r)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	st = store_stmt(ctx->db, "SELECT leaf, drawn FROM renewal_ranks WHERE renewal_id = ?"
			" ORDER BY place");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc))
		json_array_append_new(json_object_get(r, sqlite3_column_int(st, 1)
						      ? "drawn_leaves" : "alternate_leaves"),
				      json_string((const char *)sqlite3_column_text(st, 0)));
	if (rc) {
		json_decref(r);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = r;
	return 0;
}

int gov_polity_pool(const struct gov_ctx *ctx, const char *slug, json_t **out,
		    struct px_error *err)
{
	int64_t polity_id, region_id, cohort = 0, draw_at = 0, seats = 0, n = 0, rid = 0;
	int found = 0, row = 0;
	struct lot_settings set;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", slug ? slug : "");
	int rc = lot_polity_by_slug(ctx->db, slug, &polity_id, &region_id, NULL, err);
	if (rc)
		return rc;
	if ((rc = lot_settings_get(ctx->db, polity_id, &set)) ||
	    (rc = next_of(ctx->db, polity_id, &cohort, &draw_at, &seats, &found)))
		return px_fail(err, rc, NULL, NULL);
	/* a renewal committed and waiting for its seed comes first: its
	 * cohort's term may have ended already */
	sqlite3_stmt *w = store_stmt(ctx->db, "SELECT cohort, draw_at, seats FROM renewals"
		" WHERE polity_id = ? AND kind = 'regular' AND drawn_at IS NULL"
		" ORDER BY draw_at, id LIMIT 1");
	sqlite3_bind_int64(w, 1, polity_id);
	if ((rc = store_step(w, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		cohort = sqlite3_column_int64(w, 0);
		draw_at = sqlite3_column_int64(w, 1);
		seats = sqlite3_column_int64(w, 2);
		sqlite3_reset(w);
	}
	json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:n, s:n, s:n}", "polity", slug,
			      "cohort", (json_int_t)cohort, "draw_at", (json_int_t)draw_at,
			      "commit_at", (json_int_t)(draw_at - set.commit_days * DAY),
			      "seats", (json_int_t)seats, "renewal", "commitment",
			      "committed_pool_size");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id, commitment, pool_size FROM renewals"
		" WHERE polity_id = ? AND cohort = ? AND kind = 'regular' AND draw_at = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, draw_at);
	if (!(rc = store_step(st, &row)) && row) {
		rid = sqlite3_column_int64(st, 0);
		json_object_set_new(o, "renewal", json_integer(rid));
		json_object_set_new(o, "commitment", text_or_null(st, 1));
		json_object_set_new(o, "committed_pool_size",
				    json_integer(sqlite3_column_int64(st, 2)));
		sqlite3_reset(st);
	}
	if (!rc)
		rc = lot_pool_size(ctx->db, polity_id, region_id, cohort, draw_at, ctx->now, &n);
	if (rc) {
		json_decref(o);
		return px_fail(err, rc, NULL, NULL);
	}
	json_object_set_new(o, "pool_size", json_integer(n));
	*out = o;
	return 0;
}
