/*
 * quota_draw.c: a renewal's draw under its polity's quotas
 * (docs/polities.md, "Stratified renewals"; quota.c has the quotas and
 * the profiles). At the commitment (lot_stratify) the pool's profiles by
 * leaf, the LEXIMIN distribution over its types and its rounding to a
 * lottery of panels of leaves, with as many tickets as the pool needs
 * (px_lottery_tickets: at least 1,000, and enough that the least likely
 * person holds about ten, so that a large pool leaves nobody of positive
 * probability on no ticket); lot_apply_strata checks and
 * stores them, live and in replay; at the draw (lot_strata_ranks) the seed
 * from the lottery's commitment picks the panel and ranks the rest of the
 * pool as alternates; at a vacancy (lot_quota_fits) the next alternate
 * must keep every quota reachable; lot_strata_json and gov_renewal_lottery
 * show and publish it.
 *
 * Invariants: every panel stored meets every quota over the stored
 * profiles and the panels hash to the stored lottery commitment (checked
 * in lot_apply_strata, so replay refuses a journal that says otherwise);
 * renewals.strata never holds the profiles (renewal_leaves.profile does),
 * so what each vacancy reads stays small.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/draw.h"
#include "core/errors.h"
#include "core/leximin.h"
#include "core/lottery.h"
#include "core/pool.h"
#include "core/quota.h"
#include "core/rounding.h"
#include "core/solver.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "banned.h"

#define UNDECLARED LOT_UNDECLARED
#define NAME_MAX_LEN LOT_QUOTA_NAME_MAX
#define LEXIMIN_SECONDS 20

/* Tests only: PNYX_TEST_STRATA_DELAY_MS makes each computation of a
 * draw's strata last that much longer, so that a test can show what runs
 * meanwhile (tests/api/test_lot_quotas.py). */
static void test_delay(void)
{
	const char *v = getenv("PNYX_TEST_STRATA_DELAY_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	if (ms <= 0 || ms > 60000)
		return;
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

/* The quotas of a draw of k seats: each category with "undeclared"
 * (0..k) when the polity does not name it, maxima capped at k. */
static json_t *effective_quotas(const json_t *q, int64_t k)
{
	json_t *cats = lot_quota_categories(q), *out = json_array(), *c, *e;
	size_t i, j;
	json_array_foreach(cats, i, c) {
		const char *cat = json_string_value(c);
		int named = 0;
		json_array_foreach(q, j, e) {
			if (strcmp(json_string_value(json_object_get(e, "category")), cat))
				continue;
			json_int_t hi = json_integer_value(json_object_get(e, "max"));
			named |= !strcmp(json_string_value(json_object_get(e, "value")), UNDECLARED);
			json_array_append_new(out, json_pack("{s:s, s:O, s:O, s:I}", "category", cat,
				"value", json_object_get(e, "value"), "min", json_object_get(e, "min"),
				"max", (json_int_t)(hi < k ? hi : k)));
		}
		if (!named)
			json_array_append_new(out, json_pack("{s:s, s:s, s:i, s:I}", "category", cat,
				"value", UNDECLARED, "min", 0, "max", (json_int_t)k));
	}
	json_decref(cats);
	return out;
}

/* ---- the problem of a draw, as pnyx select reads it ---- */

static void csv_field(struct strbuf *b, const char *v)
{
	sb_addc(b, '"');
	for (; *v; v++) {
		if (*v == '"')
			sb_addc(b, '"');
		sb_addc(b, *v);
	}
	sb_addc(b, '"');
}

/* categories.csv (category,feature,min,max) of quotas q. */
static char *categories_csv(const json_t *q)
{
	struct strbuf b;
	size_t i;
	json_t *e;
	sb_init(&b, 1 << 20);
	sb_adds(&b, "category,feature,min,max\n");
	json_array_foreach(q, i, e) {
		csv_field(&b, json_string_value(json_object_get(e, "category")));
		sb_addc(&b, ',');
		csv_field(&b, json_string_value(json_object_get(e, "value")));
		sb_addf(&b, ",%lld,%lld\n", (long long)json_integer_value(json_object_get(e, "min")),
			(long long)json_integer_value(json_object_get(e, "max")));
	}
	return sb_detach(&b, NULL);
}

/* respondents.csv: id (the leaf), then a column per category. */
static char *respondents_csv(const json_t *cats, const json_t *leaves, const json_t *profiles)
{
	struct strbuf b;
	size_t i, j;
	json_t *c, *l;
	sb_init(&b, (size_t)1 << 34);
	sb_adds(&b, "id");
	json_array_foreach(cats, i, c) {
		sb_addc(&b, ',');
		csv_field(&b, json_string_value(c));
	}
	sb_addc(&b, '\n');
	json_array_foreach(leaves, i, l) {
		sb_adds(&b, json_string_value(l));
		json_array_foreach(json_array_get(profiles, i), j, c) {
			sb_addc(&b, ',');
			csv_field(&b, json_string_value(c));
		}
		sb_addc(&b, '\n');
	}
	return sb_detach(&b, NULL);
}

struct problem {
	char *cats_text, *resp_text;
	struct csv_table ct, rt;
	struct px_quota q;
	int loaded;
};

static void problem_release(struct problem *pb)
{
	if (pb->loaded)
		px_quota_release(&pb->q);
	csv_table_release(&pb->ct);
	csv_table_release(&pb->rt);
	free(pb->cats_text);
	free(pb->resp_text);
	memset(pb, 0, sizeof(*pb));
}

static int problem_load(struct problem *pb, const json_t *quotas, const json_t *cats,
			const json_t *leaves, const json_t *profiles, size_t k,
			struct px_error *err)
{
	size_t line = 0;
	int which = 0, rc;
	memset(pb, 0, sizeof(*pb));
	pb->cats_text = categories_csv(quotas);
	pb->resp_text = respondents_csv(cats, leaves, profiles);
	if (!pb->cats_text || !pb->resp_text)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if ((rc = csv_parse(pb->cats_text, strlen(pb->cats_text), &pb->ct, &line, err)) ||
	    (rc = csv_parse(pb->resp_text, strlen(pb->resp_text), &pb->rt, &line, err)))
		return rc;
	if ((rc = px_quota_load(&pb->q, &pb->ct, &pb->rt, "id", k, &which, &line, err)))
		return rc;
	pb->loaded = 1;
	return 0;
}

/* ---- at the commitment ---- */

/* Seats per value the cohort's summons of other renewals still hold (a
 * supplementary renewal's quotas are what is left). */
static int held_counts(struct store *s, int64_t polity_id, int64_t cohort, const json_t *cats,
		       json_t *counts)
{
	int rc = 0;
	/* each holder's answers as their draw published them, matched by
	 * question (the quotas may have changed since); a question that draw
	 * did not ask, or a holder drawn without quotas, counts undeclared */
	sqlite3_stmt *st = store_stmt(s, "SELECT l.profile, json_extract(r.strata,"
		" '$.categories') FROM summons m JOIN renewals r ON r.id = m.renewal_id"
		" LEFT JOIN renewal_ranks x ON x.renewal_id = m.renewal_id AND x.place = m.place"
		" LEFT JOIN renewal_leaves l ON l.renewal_id = x.renewal_id AND l.leaf = x.leaf"
		" WHERE m.polity_id = ? AND m.cohort = ?"
		" AND m.state IN ('summoned', 'excuse_requested', 'accepted')");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	while (store_next(st, &rc)) {
		const char *pt = (const char *)sqlite3_column_text(st, 0);
		const char *ct = (const char *)sqlite3_column_text(st, 1);
		json_t *prof = pt ? json_loads(pt, 0, NULL) : NULL;
		json_t *was = ct ? json_loads(ct, 0, NULL) : NULL, *c, *o;
		size_t i, j;
		json_array_foreach(cats, i, c) {
			const char *v = NULL;
			json_array_foreach(was, j, o)
				if (!strcmp(json_string_value(o), json_string_value(c)))
					v = json_string_value(json_array_get(prof, j));
			char key[2 * NAME_MAX_LEN + 4];
			snprintf(key, sizeof(key), "%s\x1f%s", json_string_value(c),
				 v ? v : UNDECLARED);
			json_object_set_new(counts, key, json_integer(
				json_integer_value(json_object_get(counts, key)) + 1));
		}
		json_decref(prof);
		json_decref(was);
	}
	return rc;
}

/* The quotas a renewal of (polity, cohort) of kind draws k seats under,
 * or NULL (no quotas). */
static int draw_quotas(struct store *s, int64_t polity_id, int64_t cohort, const char *kind,
		       int64_t k, json_t **out)
{
	json_t *q = NULL, *held = NULL;
	*out = NULL;
	int rc = lot_quotas_get(s, polity_id, &q);
	if (rc || !q)
		return rc;
	/* a supplementary renewal subtracts the seats held from the quotas
	 * before capping them at its own seats */
	int sup = !strcmp(kind, "supplementary");
	json_t *eff = effective_quotas(q, sup ? LOT_SEATS_MAX : k);
	json_decref(q);
	if (sup) {
		json_t *cats = lot_quota_categories(eff), *e;
		size_t i;
		held = json_object();
		rc = held_counts(s, polity_id, cohort, cats, held);
		json_decref(cats);
		json_array_foreach(eff, i, e) {
			char key[2 * NAME_MAX_LEN + 4];
			snprintf(key, sizeof(key), "%s\x1f%s",
				 json_string_value(json_object_get(e, "category")),
				 json_string_value(json_object_get(e, "value")));
			json_int_t h = json_integer_value(json_object_get(held, key));
			json_int_t lo = json_integer_value(json_object_get(e, "min")) - h;
			json_int_t hi = json_integer_value(json_object_get(e, "max")) - h;
			json_object_set_new(e, "min", json_integer(lo > 0 ? lo : 0));
			json_object_set_new(e, "max", json_integer(hi > 0 ? (hi < k ? hi : k) : 0));
		}
		json_decref(held);
	}
	if (rc) {
		json_decref(eff);
		return rc;
	}
	*out = eff;
	return 0;
}

static int stop_at(void *ctx, const struct px_fair_state *st)
{
	(void)st;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec >= *(const time_t *)ctx;
}

/* Why no panel meets the quotas, as a list of sentences. */
static json_t *reasons_of(const struct problem *pb, const json_t *leaves, int64_t k)
{
	json_t *list = json_array();
	if (!pb || (int64_t)json_array_size(leaves) < k) {
		json_array_append_new(list, json_string("the pool has fewer people than seats"));
		return list;
	}
	char buf[4096];
	buf[0] = '\0';
	px_quota_explain(&pb->q, buf, sizeof(buf));
	char *p = buf;
	while (*p) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			json_array_append_new(list, json_stringn(p, n));
		p += n + (nl ? 1 : 0);
	}
	if (!json_array_size(list))
		json_array_append_new(list, json_string("no panel of the pool meets every quota"));
	return list;
}

int lot_strata_inputs(struct store *s, int64_t polity_id, int64_t cohort, const char *kind,
		      int64_t k, size_t n, const int64_t *account_at, json_t **out)
{
	json_t *quotas = NULL, *cats = NULL, *profiles = NULL;
	int rc;
	*out = NULL;
	if ((rc = draw_quotas(s, polity_id, cohort, kind, k, &quotas)) || !quotas || k < 1)
		goto out;
	cats = lot_quota_categories(quotas);
	profiles = json_array();
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *prof = json_array(), *c;
		size_t j;
		json_array_foreach(cats, j, c) {
			int found = 0;
			struct strbuf v;
			sb_init(&v, 256);
			sqlite3_stmt *st = store_stmt(s, "SELECT value FROM profiles WHERE"
						      " account_id = ? AND category = ?");
			sqlite3_bind_int64(st, 1, account_at[i]);
			sqlite3_bind_text(st, 2, json_string_value(c), -1, SQLITE_TRANSIENT);
			if ((rc = store_text(st, &v, &found))) {
				sb_release(&v);
				break;
			}
			json_array_append_new(prof, json_string(found && lot_quota_has(quotas,
				json_string_value(c), v.buf) ? v.buf : UNDECLARED));
			sb_release(&v);
		}
		json_array_append_new(profiles, prof);
	}
	if (!rc && !(*out = json_pack("{s:O, s:O, s:O}", "categories", cats, "quotas", quotas,
				      "profiles", profiles)))
		rc = PX_E_NOMEM;
out:
	json_decref(quotas);
	json_decref(cats);
	json_decref(profiles);
	return rc;
}

int lot_stratify(struct store *s, int64_t polity_id, int64_t cohort, const char *kind,
		 int64_t k, const json_t *leaves, const int64_t *account_at, json_t **out,
		 struct px_error *err)
{
	json_t *in = NULL;
	*out = NULL;
	int rc = lot_strata_inputs(s, polity_id, cohort, kind, k, json_array_size(leaves),
				   account_at, &in);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (in)
		rc = lot_strata_compute(in, k, leaves, out, err);
	json_decref(in);
	return rc;
}

int lot_strata_compute(const json_t *in, int64_t k, const json_t *leaves, json_t **out,
		       struct px_error *err)
{
	json_t *quotas = json_incref(json_object_get(in, "quotas"));
	json_t *cats = json_incref(json_object_get(in, "categories"));
	json_t *profiles = json_incref(json_object_get(in, "profiles")), *strata = NULL;
	struct problem pb = { 0 };
	struct px_dist d = { 0 };
	struct px_lottery l = { 0 };
	struct px_round_info info = { 0 };
	size_t n = json_array_size(leaves);
	int rc = 0;
	*out = NULL;
	if (!quotas || !cats || !profiles || json_array_size(profiles) != n) {
		rc = px_fail(err, PX_E_INTERNAL, NULL, "a draw's strata need a profile per leaf");
		goto out;
	}
	test_delay();
	strata = json_pack("{s:O, s:O, s:O}", "categories", cats, "quotas", quotas,
			   "profiles", profiles);
	if ((int64_t)n < k) {
		/* too few for any panel (px_quota_load takes no such problem) */
		json_object_set_new(strata, "unmet", reasons_of(NULL, leaves, k));
		goto done;
	}
	if ((rc = problem_load(&pb, quotas, cats, leaves, profiles, (size_t)k, err)))
		goto out;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	time_t deadline = now.tv_sec + LEXIMIN_SECONDS;
	rc = px_fair_dist(&pb.q, PX_FAIR_LEXIMIN, stop_at, &deadline, &d, err);
	if (rc == PX_E_INFEASIBLE) {
		px_error_clear(err);
		json_object_set_new(strata, "unmet", reasons_of(&pb, leaves, k));
		rc = 0;
		goto done;
	}
	if (rc || (rc = px_lottery_round(&pb.q, &d, 0, NULL, &info, &l, err)))
		goto out;
	json_t *types = json_array(), *panels = json_array();
	for (size_t t = 0; t < pb.q.ntypes; t++) {
		json_t *prof = json_array();
		for (size_t c = 0; c < pb.q.ncat; c++)
			json_array_append_new(prof, json_string(
				pb.q.feat[pb.q.type_feat[t * pb.q.ncat + c]].value));
		/* the journal holds no floating point: decimals as text */
		char pr[40];
		snprintf(pr, sizeof(pr), "%.12f", d.type_prob[t]);
		json_array_append_new(types, json_pack("{s:o, s:I, s:s}", "profile", prof,
			"people", (json_int_t)pb.q.type_count[t], "probability", pr));
	}
	for (size_t p = 0; p < l.npanels; p++) {
		json_t *mem = json_array();
		for (size_t i = 0; i < l.size[p]; i++) {
			/* ids are leaves, ascending like the pool: the position */
			size_t lo = 0, hi = n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				int c = strcmp(json_string_value(json_array_get(leaves, mid)),
					       l.members[p][i]);
				if (c < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			json_array_append_new(mem, json_integer((json_int_t)lo));
		}
		json_array_append_new(panels, json_pack("{s:I, s:o}", "tickets",
			(json_int_t)l.tickets[p], "members", mem));
	}
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), l.commitment, 32);
	json_object_set_new(strata, "types", types);
	json_object_set_new(strata, "optimal", json_boolean(d.optimal));
	char dev[40];
	snprintf(dev, sizeof(dev), "%.12f", info.deviation / (double)l.m);
	json_object_set_new(strata, "max_deviation", json_string(dev));
	json_object_set_new(strata, "lottery", json_pack("{s:I, s:s, s:o}", "tickets",
		(json_int_t)l.m, "commitment", hex, "panels", panels));
done:
	*out = strata;
	strata = NULL;
out:
	px_lottery_release(&l);
	px_dist_release(&d);
	/* the solver's state of this thread (a server's worker): none of its
	 * objects is alive now */
	px_solver_thread_release();
	problem_release(&pb);
	json_decref(quotas);
	json_decref(cats);
	json_decref(profiles);
	json_decref(strata);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

/* ---- applying a commitment's strata (live and replay) ---- */

int lot_apply_strata(struct store *s, int64_t polity_id, int64_t renewal_id,
		     const json_t *p, struct px_error *err)
{
	const json_t *strata = json_object_get(p, "strata");
	const json_t *leaves = json_object_get(p, "leaves");
	const char *kind = json_string_value(json_object_get(p, "kind"));
	int64_t cohort = json_integer_value(json_object_get(p, "cohort"));
	int64_t k = json_integer_value(json_object_get(p, "seats"));
	json_t *want = NULL, *cats = NULL, *reasons = NULL;
	struct problem pb = { 0 };
	struct px_lottery l = { 0 };
	size_t n = json_array_size(leaves), i, j;
	const char ***members = NULL;
	size_t *tickets = NULL, *size = NULL, np = 0;
	int *counts = NULL;
	json_t *e;
	int rc = draw_quotas(s, polity_id, cohort, kind, k, &want);
	if (rc) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	if (!want || k < 1) {
		if (strata && !json_is_null(strata))
			rc = px_fail(err, PX_E_BAD_INPUT, "strata", "the polity draws this"
				     " renewal without quotas");
		goto out;
	}
	if (!json_is_object(strata) || !json_equal(json_object_get(strata, "quotas"), want))
		return json_decref(want), px_fail(err, PX_E_BAD_INPUT, "strata", "the quotas"
			       " are not the polity's for this draw");
	cats = lot_quota_categories(want);
	const json_t *profiles = json_object_get(strata, "profiles");
	if (!json_equal(json_object_get(strata, "categories"), cats) ||
	    json_array_size(profiles) != n) {
		rc = px_fail(err, PX_E_BAD_INPUT, "strata", "a renewal with quotas gives a"
			     " profile for each leaf");
		goto out;
	}
	json_array_foreach(profiles, i, e) {
		json_t *v;
		if (json_array_size(e) != json_array_size(cats)) {
			rc = px_fail(err, PX_E_BAD_INPUT, "strata", "a profile gives a value per"
				     " category");
			goto out;
		}
		json_array_foreach(e, j, v)
			if (!json_is_string(v) || !lot_quota_has(want, json_string_value(
					json_array_get(cats, j)), json_string_value(v))) {
				rc = px_fail(err, PX_E_BAD_INPUT, "strata", "a profile's value is"
					     " not one of the quotas'");
				goto out;
			}
	}
	const json_t *lot = json_object_get(strata, "lottery");
	if ((int64_t)n < k || !lot) {
		/* said to be unmeetable: the reasons are the ones the pool gives */
		if ((int64_t)n >= k &&
		    (rc = problem_load(&pb, want, cats, leaves, profiles, (size_t)k, err)))
			goto out;
		reasons = reasons_of((int64_t)n < k ? NULL : &pb, leaves, k);
		if (!json_equal(reasons, json_object_get(strata, "unmet")))
			rc = px_fail(err, PX_E_BAD_INPUT, "strata", "the pool meets the quotas"
				     " or the reasons differ");
		goto store;
	}
	if ((rc = problem_load(&pb, want, cats, leaves, profiles, (size_t)k, err)))
		goto out;
	const json_t *panels = json_object_get(lot, "panels");
	np = json_array_size(panels);
	tickets = calloc(np ? np : 1, sizeof(*tickets));
	size = calloc(np ? np : 1, sizeof(*size));
	members = calloc(np ? np : 1, sizeof(*members));
	counts = calloc(pb.q.ntypes ? pb.q.ntypes : 1, sizeof(*counts));
	if (!tickets || !size || !members || !counts) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* as many tickets as the rounding chose: at least 1,000, and no more
	 * than its cap (lottery.h); the panels' tickets add up to them */
	json_int_t m = json_integer_value(json_object_get(lot, "tickets"));
	if (!np || m < PX_LOTTERY_TICKETS || m > PX_LOTTERY_MAX_SEATS / k) {
		rc = px_fail(err, PX_E_BAD_INPUT, "strata", "a lottery of %d to %lld tickets",
			     PX_LOTTERY_TICKETS, (long long)(PX_LOTTERY_MAX_SEATS / k));
		goto out;
	}
	for (i = 0; i < np; i++) {
		const json_t *pj = json_array_get(panels, i), *mem = json_object_get(pj, "members");
		json_int_t t = json_integer_value(json_object_get(pj, "tickets"));
		json_t *v;
		tickets[i] = t > 0 && t <= m ? (size_t)t : 0;
		size[i] = json_array_size(mem);
		members[i] = calloc(size[i] ? size[i] : 1, sizeof(char *));
		if (!members[i]) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		memset(counts, 0, pb.q.ntypes * sizeof(*counts));
		json_array_foreach(mem, j, v) {
			json_int_t pos = json_integer_value(v);
			if (!json_is_integer(v) || pos < 0 || (size_t)pos >= n ||
			    (j && pos <= json_integer_value(json_array_get(mem, j - 1)))) {
				rc = px_fail(err, PX_E_BAD_INPUT, "strata", "panel %zu names a"
					     " position outside the pool, or twice", i + 1);
				goto out;
			}
			members[i][j] = json_string_value(json_array_get(leaves, (size_t)pos));
			counts[pb.q.person_type[pos]]++;
		}
		if (!tickets[i] || size[i] != (size_t)k || !px_quota_panel_ok(&pb.q, counts)) {
			rc = px_fail(err, PX_E_BAD_INPUT, "strata", "panel %zu of the lottery"
				     " does not seat %lld people meeting every quota", i + 1,
				     (long long)k);
			goto out;
		}
	}
	if ((rc = px_lottery_from(np, tickets, size, (const char *const *const *)members,
				  &l, err)))
		goto out;
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), l.commitment, 32);
	if (l.m != (size_t)m || !json_is_string(json_object_get(lot, "commitment")) ||
	    strcmp(hex, json_string_value(json_object_get(lot, "commitment")))) {
		rc = px_fail(err, PX_E_BAD_INPUT, "strata", "the panels do not hash to the"
			     " lottery's commitment");
		goto out;
	}
store:
	if (rc)
		goto out;
	/* the profiles go with the leaves, one row each: the rest, read at
	 * every vacancy, stays small */
	json_t *kept = json_deep_copy(strata);
	json_object_del(kept, "profiles");
	char *text = kept ? json_dumps(kept, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(kept);
	sqlite3_stmt *st = store_stmt(s, "UPDATE renewals SET strata = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, text ? text : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, renewal_id);
	rc = text ? store_run(st) : PX_E_NOMEM;
	free(text);
	for (i = 0; !rc && i < n; i++) {
		char *pt = json_dumps(json_array_get(profiles, i), JSON_COMPACT);
		st = store_stmt(s, "UPDATE renewal_leaves SET profile = ? WHERE renewal_id = ?"
				" AND position = ?");
		sqlite3_bind_text(st, 1, pt ? pt : "[]", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, renewal_id);
		sqlite3_bind_int64(st, 3, (int64_t)i);
		rc = pt ? store_run(st) : PX_E_NOMEM;
		free(pt);
	}
	if (rc)
		rc = px_fail(err, rc, NULL, NULL);
out:
	if (members)
		for (i = 0; i < np; i++)
			free(members[i]);
	free(members);
	free(tickets);
	free(size);
	free(counts);
	px_lottery_release(&l);
	problem_release(&pb);
	json_decref(want);
	json_decref(cats);
	json_decref(reasons);
	return rc;
}

/* ---- the draw ---- */

static int strata_of(struct store *s, int64_t renewal_id, json_t **out)
{
	struct strbuf b;
	int found = 0;
	*out = NULL;
	sb_init(&b, (size_t)1 << 32);
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(strata, '') FROM renewals WHERE id = ?");
	sqlite3_bind_int64(st, 1, renewal_id);
	int rc = store_text(st, &b, &found);
	if (!rc && found && b.len)
		*out = json_loads(b.buf, 0, NULL);
	sb_release(&b);
	return rc;
}

static int leaf_of(struct store *s, int64_t renewal_id, int64_t pos, char out[65])
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT leaf FROM renewal_leaves WHERE renewal_id = ?"
				      " AND position = ?");
	sqlite3_bind_int64(st, 1, renewal_id);
	sqlite3_bind_int64(st, 2, pos);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_INTERNAL;
	snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int lot_strata_ranks(struct store *s, int64_t renewal_id, const unsigned char pool_com[32],
		     const char *text, size_t n, size_t seats, size_t r, uint32_t *ranks,
		     unsigned char seed[32], int64_t *pick, struct px_error *err)
{
	json_t *strata = NULL;
	struct px_lottery l = { 0 };
	uint32_t *all = NULL;
	*pick = 0;
	int rc = strata_of(s, renewal_id, &strata);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	const json_t *lot = json_object_get(strata, "lottery");
	if (!lot) {
		/* no quotas, or a pool that cannot meet them: uniform */
		json_decref(strata);
		px_seed_derive(pool_com, text, strlen(text), seed);
		return px_draw_rank(seed, n, r, ranks, err);
	}
	unsigned char lcom[32];
	size_t len = 0;
	const char *hex = json_string_value(json_object_get(lot, "commitment"));
	if (!hex || sodium_hex2bin(lcom, 32, hex, strlen(hex), NULL, &len, NULL) || len != 32) {
		rc = px_fail(err, PX_E_INTERNAL, NULL, "a lottery's commitment is not hex");
		goto out;
	}
	/* the pick: ticket j of the panels in canonical order (the order
	 * of their encodings, which px_lottery_from recomputes) */
	const json_t *panels = json_object_get(lot, "panels");
	size_t np = json_array_size(panels);
	size_t *tickets = calloc(np ? np : 1, sizeof(*tickets));
	size_t *size = calloc(np ? np : 1, sizeof(*size));
	const char ***members = calloc(np ? np : 1, sizeof(*members));
	px_seed_derive(lcom, text, strlen(text), seed);
	if (!tickets || !size || !members)
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
	/* the lottery again, over the leaves, for its canonical order (the
	 * order of the panels' encodings) */
	for (size_t p = 0; !rc && p < np; p++) {
		const json_t *pj = json_array_get(panels, p), *mem = json_object_get(pj, "members");
		tickets[p] = (size_t)json_integer_value(json_object_get(pj, "tickets"));
		size[p] = json_array_size(mem);
		if (!(members[p] = calloc(size[p] ? size[p] : 1, sizeof(char *)))) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			break;
		}
		for (size_t i = 0; i < size[p]; i++) {
			char leaf[65];
			if ((rc = leaf_of(s, renewal_id, json_integer_value(json_array_get(mem, i)),
					  leaf)) || !(members[p][i] = strdup(leaf))) {
				rc = px_fail(err, rc ? rc : PX_E_NOMEM, NULL, NULL);
				break;
			}
		}
	}
	if (!rc)
		rc = px_lottery_from(np, tickets, size, (const char *const *const *)members, &l,
				     err);
	if (!rc && memcmp(l.commitment, lcom, 32))
		rc = px_fail(err, PX_E_INTERNAL, NULL, "the lottery does not hash to its"
			     " commitment");
	if (!rc) {
		size_t k = px_lottery_pick(&l, seed);
		*pick = (int64_t)k + 1;
		if (l.size[k] != seats)
			rc = px_fail(err, PX_E_INTERNAL, NULL, "a panel of the wrong size");
		/* the panel's positions, in canonical (leaf) order */
		for (size_t i = 0; !rc && i < seats; i++) {
			sqlite3_stmt *st = store_stmt(s, "SELECT position FROM renewal_leaves"
						      " WHERE renewal_id = ? AND leaf = ?");
			int64_t pos = 0;
			int found = 0;
			sqlite3_bind_int64(st, 1, renewal_id);
			sqlite3_bind_text(st, 2, l.members[k][i], -1, SQLITE_TRANSIENT);
			if ((rc = store_int64(st, &pos, &found)) || !found) {
				rc = px_fail(err, rc ? rc : PX_E_INTERNAL, NULL, NULL);
				break;
			}
			ranks[i] = (uint32_t)pos;
		}
	}
	for (size_t p = 0; members && p < np; p++) {
		if (members[p])
			for (size_t i = 0; i < size[p]; i++)
				free((char *)members[p][i]);
		free(members[p]);
	}
	free(members);
	free(tickets);
	free(size);
	if (rc)
		goto out;
	/* the alternates: the rest of the pool in the order the same seed
	 * ranks it (docs/sortition.md section 6) */
	if (!(all = calloc(n ? n : 1, sizeof(*all)))) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	if ((rc = px_draw_rank(seed, n, n, all, err)))
		goto out;
	size_t at = seats;
	for (size_t i = 0; i < n && at < r; i++) {
		int in_panel = 0;
		for (size_t j = 0; j < seats; j++)
			in_panel |= ranks[j] == all[i];
		if (!in_panel)
			ranks[at++] = all[i];
	}
out:
	free(all);
	px_lottery_release(&l);
	json_decref(strata);
	return rc;
}

/* ---- vacancies ---- */

int lot_quota_fits(struct store *s, int64_t renewal_id, int64_t place, int *fits)
{
	json_t *strata = NULL, *counts = json_object(), *cand = NULL;
	int rc = strata_of(s, renewal_id, &strata), row = 0;
	int64_t seats = 0, active = 0;
	*fits = 1;
	if (rc || !json_object_get(strata, "lottery"))
		goto out;
	const json_t *quotas = json_object_get(strata, "quotas");
	const json_t *cats = json_object_get(strata, "categories");
	sqlite3_stmt *st = store_stmt(s, "SELECT l.profile FROM renewal_ranks x JOIN"
		" renewal_leaves l ON l.renewal_id = x.renewal_id AND l.leaf = x.leaf"
		" WHERE x.renewal_id = ? AND x.place = ?");
	sqlite3_bind_int64(st, 1, renewal_id);
	sqlite3_bind_int64(st, 2, place);
	if ((rc = store_step(st, &row)) || !row)
		goto out;
	cand = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT seats FROM renewals WHERE id = ?");
	sqlite3_bind_int64(st, 1, renewal_id);
	if ((rc = store_int64(st, &seats, NULL)))
		goto out;
	/* who holds or awaits a seat from this draw now, and the candidate */
	st = store_stmt(s, "SELECT l.profile FROM summons m JOIN renewal_ranks x ON"
		" x.renewal_id = m.renewal_id AND x.place = m.place JOIN renewal_leaves l ON"
		" l.renewal_id = x.renewal_id AND l.leaf = x.leaf WHERE m.renewal_id = ?"
		" AND m.state IN ('summoned', 'excuse_requested', 'accepted')");
	sqlite3_bind_int64(st, 1, renewal_id);
	for (int first = 1;; first = 0) {
		json_t *prof = NULL, *c;
		if (first)
			prof = json_incref(cand);
		else if (store_next(st, &rc))
			prof = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		else
			break;
		size_t i;
		json_array_foreach(cats, i, c) {
			char key[2 * NAME_MAX_LEN + 4];
			snprintf(key, sizeof(key), "%s\x1f%s", json_string_value(c),
				 json_string_value(json_array_get(prof, i)));
			json_object_set_new(counts, key, json_integer(
				json_integer_value(json_object_get(counts, key)) + 1));
		}
		json_decref(prof);
		active++;
	}
	if (rc)
		goto out;
	/* no maximum passed, and in every category the minimums still
	 * missing fit in the seats left */
	size_t i, j;
	json_t *c, *e;
	json_array_foreach(cats, i, c) {
		int64_t missing = 0;
		json_array_foreach(quotas, j, e) {
			if (strcmp(json_string_value(json_object_get(e, "category")),
				   json_string_value(c)))
				continue;
			char key[2 * NAME_MAX_LEN + 4];
			snprintf(key, sizeof(key), "%s\x1f%s", json_string_value(c),
				 json_string_value(json_object_get(e, "value")));
			json_int_t have = json_integer_value(json_object_get(counts, key));
			json_int_t lo = json_integer_value(json_object_get(e, "min"));
			if (have > json_integer_value(json_object_get(e, "max")))
				*fits = 0;
			if (have < lo)
				missing += lo - have;
		}
		if (missing > seats - active)
			*fits = 0;
	}
out:
	json_decref(strata);
	json_decref(counts);
	json_decref(cand);
	return rc;
}

/* ---- what a renewal shows ---- */

/* A decimal the journal holds as text, as a JSON number for the API. */
static json_t *number_of(const json_t *text)
{
	json_t *v = json_loads(json_string_value(text) ? json_string_value(text) : "0",
			       JSON_DECODE_ANY, NULL);
	if (!json_is_number(v)) {
		json_decref(v);
		return json_real(0);
	}
	return v;
}

int lot_strata_json(struct store *s, int64_t renewal_id, json_t *r)
{
	json_t *strata = NULL;
	int rc = strata_of(s, renewal_id, &strata);
	if (rc || !strata) {
		json_object_set_new(r, "stratified", json_false());
		return rc;
	}
	const json_t *quotas = json_object_get(strata, "quotas");
	const json_t *cats = json_object_get(strata, "categories");
	json_t *counts = json_object(), *list = json_array(), *e;
	size_t i;
	/* the seats of this draw per value: held or awaited now */
	sqlite3_stmt *st = store_stmt(s, "SELECT l.profile FROM summons m JOIN renewal_ranks x"
		" ON x.renewal_id = m.renewal_id AND x.place = m.place JOIN renewal_leaves l"
		" ON l.renewal_id = x.renewal_id AND l.leaf = x.leaf WHERE m.renewal_id = ?"
		" AND m.state IN ('summoned', 'excuse_requested', 'accepted')");
	sqlite3_bind_int64(st, 1, renewal_id);
	int64_t seated = 0;
	while (store_next(st, &rc)) {
		json_t *prof = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL), *c;
		json_array_foreach(cats, i, c) {
			char key[2 * NAME_MAX_LEN + 4];
			snprintf(key, sizeof(key), "%s\x1f%s", json_string_value(c),
				 json_string_value(json_array_get(prof, i)));
			json_object_set_new(counts, key, json_integer(
				json_integer_value(json_object_get(counts, key)) + 1));
		}
		json_decref(prof);
		seated++;
	}
	int met = 1;
	json_array_foreach(quotas, i, e) {
		char key[2 * NAME_MAX_LEN + 4];
		snprintf(key, sizeof(key), "%s\x1f%s",
			 json_string_value(json_object_get(e, "category")),
			 json_string_value(json_object_get(e, "value")));
		json_int_t have = json_integer_value(json_object_get(counts, key));
		json_int_t lo = json_integer_value(json_object_get(e, "min"));
		json_int_t hi = json_integer_value(json_object_get(e, "max"));
		met &= have >= lo && have <= hi;
		json_array_append_new(list, json_pack("{s:O, s:O, s:I, s:I, s:I}", "category",
			json_object_get(e, "category"), "value", json_object_get(e, "value"),
			"min", lo, "max", hi, "seats", have));
	}
	json_object_set_new(r, "stratified", json_true());
	json_object_set_new(r, "quotas", list);
	json_object_set_new(r, "quotas_seated", json_integer(seated));
	json_object_set_new(r, "quotas_met", json_boolean(met));
	json_t *unmet = json_object_get(strata, "unmet");
	json_object_set_new(r, "quotas_unmet", unmet ? json_incref(unmet) : json_null());
	const json_t *lot = json_object_get(strata, "lottery");
	if (lot)
		json_object_set_new(r, "lottery", json_pack("{s:O, s:O, s:I, s:O, s:o}",
			"tickets", json_object_get(lot, "tickets"), "commitment",
			json_object_get(lot, "commitment"), "panels",
			(json_int_t)json_array_size(json_object_get(lot, "panels")),
			"optimal", json_object_get(strata, "optimal"),
			"max_deviation", number_of(json_object_get(strata, "max_deviation"))));
	json_decref(counts);
	json_decref(strata);
	return rc;
}

int gov_renewal_lottery(const struct gov_ctx *ctx, int64_t id, json_t **out,
			struct px_error *err)
{
	json_t *strata = NULL, *leaves = json_array(), *r = NULL;
	int rc;
	*out = NULL;
	if ((rc = gov_renewal_get(ctx, id, &r, err)))
		goto out;
	if ((rc = strata_of(ctx->db, id, &strata)))
		goto fail;
	if (!strata) {
		rc = px_fail(err, PX_E_NOT_FOUND, "renewal", "renewal %lld is drawn without"
			     " quotas: its record and result are all there is", (long long)id);
		goto out;
	}
	json_t *profiles = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT leaf, coalesce(profile, '[]') FROM renewal_leaves WHERE"
				      " renewal_id = ? ORDER BY position");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		json_array_append_new(leaves, json_string((const char *)sqlite3_column_text(st, 0)));
		json_array_append_new(profiles, json_loads((const char *)sqlite3_column_text(st, 1),
							   0, NULL));
	}
	if (rc) {
		json_decref(profiles);
		goto fail;
	}
	const json_t *quotas = json_object_get(strata, "quotas");
	const json_t *cats = json_object_get(strata, "categories");
	char *ctext = categories_csv(quotas);
	char *rtext = respondents_csv(cats, leaves, profiles);
	json_decref(profiles);
	json_t *o = json_pack("{s:I, s:O, s:s?, s:s?, s:O}", "renewal", (json_int_t)id,
			      "seats", json_object_get(r, "seats"), "categories_csv", ctext,
			      "respondents_csv", rtext, "quotas", quotas);
	free(ctext);
	free(rtext);
	if (!o) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (json_object_get(strata, "unmet"))
		json_object_set(o, "unmet", json_object_get(strata, "unmet"));
	const json_t *lot = json_object_get(strata, "lottery");
	if (lot) {
		json_t *panels = json_array(), *pj, *v;
		size_t i, j;
		json_array_foreach(json_object_get(lot, "panels"), i, pj) {
			json_t *mem = json_array();
			json_array_foreach(json_object_get(pj, "members"), j, v)
				json_array_append(mem, json_array_get(leaves,
					(size_t)json_integer_value(v)));
			json_array_append_new(panels, json_pack("{s:O, s:o}", "tickets",
				json_object_get(pj, "tickets"), "members", mem));
		}
		json_object_set_new(o, "panels", panels);
		json_object_set_new(o, "lottery", json_pack("{s:O, s:O}", "tickets",
			json_object_get(lot, "tickets"), "commitment",
			json_object_get(lot, "commitment")));
		json_t *types = json_deep_copy(json_object_get(strata, "types")), *t;
		json_array_foreach(types, i, t)
			json_object_set_new(t, "probability",
					    number_of(json_object_get(t, "probability")));
		json_object_set_new(o, "types", types);
		json_object_set(o, "optimal", json_object_get(strata, "optimal"));
		json_object_set_new(o, "max_deviation",
				    number_of(json_object_get(strata, "max_deviation")));
		/* once drawn, what pnyx verify --result reads of a lottery
		 * (docs/sortition.md 8.5): the source, the seed, the panel */
		if (json_is_string(json_object_get(r, "seed_text"))) {
			json_t *panel = json_array(), *d;
			json_array_foreach(json_object_get(r, "drawn"), i, d)
				json_array_append(panel, json_object_get(d, "leaf"));
			json_object_set(o, "source", json_object_get(r, "seed_text"));
			json_object_set(o, "seed", json_object_get(r, "seed"));
			json_object_set_new(o, "panel", panel);
		}
	}
	*out = o;
	goto out;
fail:
	px_fail(err, rc, NULL, NULL);
out:
	json_decref(r);
	json_decref(strata);
	json_decref(leaves);
	return rc;
}
