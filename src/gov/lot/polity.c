/*
 * polity.c: polities, issue domains over a region, each with its own
 * assembly: a body of kind 'polity' with the polity's slug, founded by
 * nobody, whose seats are the rows of polity_seats. The operator
 * registers a polity with its region, its number of seats and cohorts;
 * nothing here, nor anywhere, lets anyone set a seat's holder but the
 * draws (next: docs/polities.md, "What comes next"), and the assembly
 * refuses joining and leaving (src/gov/assembly/member.c).
 *
 * Seats are dealt to cohorts in turn (seat n to cohort (n - 1) mod C + 1),
 * so cohorts differ in size by at most one. A term is six years; at the
 * start cohort i's term ends i * 6 / C years after registration, so one
 * cohort (of C = 6) is renewed each year from the first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil.h"
#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

/* The assembly meets monthly until it decides otherwise: the first
 * Monday, 18:00 UTC, at a place it sets. */
#define POLITY_SCHEDULE \
	"{\"rrule\": \"FREQ=MONTHLY;BYDAY=1MO;BYHOUR=18;BYMINUTE=0\", \"tz\": \"UTC\"," \
	" \"place\": \"to be set by the assembly\"}"

int64_t lot_years_after(int64_t t, int64_t years)
{
	struct civil_time c;
	civil_from_seconds(t, &c);
	c.year += years;
	if (c.month == 2 && c.day == 29 && !civil_is_leap(c.year)) {
		c.month = 3;
		c.day = 1;
	}
	return civil_to_seconds(&c);
}

int64_t lot_one_year_after(int64_t t)
{
	return lot_years_after(t, 1);
}

static int64_t default_cohorts(int64_t seats)
{
	return seats >= 6 ? 6 : seats >= 3 ? 3 : seats >= 2 ? 2 : 1;
}

int lot_apply_polity(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "slug"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *desc = json_string_value(json_object_get(p, "description"));
	const char *region = json_string_value(json_object_get(p, "region"));
	int64_t seats = json_integer_value(json_object_get(p, "seats"));
	int64_t cohorts = json_integer_value(json_object_get(p, "cohorts"));
	int widest = json_is_true(json_object_get(p, "widest"));
	char *rules = journal_canonical(json_object_get(p, "rule"));
	char *schedule = journal_canonical(json_object_get(p, "schedule"));
	int64_t region_id, body_id = 0, polity_id = 0, one;
	int rc = 0, found = 0;

	if (!slug || !name || !desc || !region || !rules || !schedule || seats < 1 ||
	    seats > LOT_SEATS_MAX || cohorts < 1 || cohorts > seats ||
	    LOT_TERM_YEARS % cohorts) {
		rc = px_fail(err, PX_E_BAD_INPUT, NULL, "a polity needs slug, name,"
			     " description, region, seats, cohorts, rule and schedule");
		goto out;
	}
	if ((rc = lot_region_id(s, region, "region", &region_id, err)))
		goto out;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM polities WHERE slug = ?1"
				      " UNION ALL SELECT 1 FROM bodies WHERE slug = ?1");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_int64(st, &one, &found)))
		goto out;
	if (found) {
		rc = px_fail(err, PX_E_EXISTS, "slug", "a polity or an assembly '%s'"
			     " already exists", slug);
		goto out;
	}
	if (widest) {
		st = store_stmt(s, "SELECT 1 FROM polities WHERE widest = 1");
		if ((rc = store_int64(st, &one, &found)))
			goto out;
		if (found) {
			rc = px_fail(err, PX_E_EXISTS, "widest", "another polity is already"
				     " the widest: there is one per deployment");
			goto out;
		}
	}
	st = store_stmt(s, "INSERT INTO bodies(slug, kind, name, community_id, statement,"
			   " rules, schedule, founded_by, founded_at, secret_kinds)"
			   " VALUES (?, 'polity', ?, NULL, ?, ?, ?, NULL, ?, '[]') RETURNING id");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, desc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, schedule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, at);
	if ((rc = store_int64(st, &body_id, NULL)))
		goto out;
	st = store_stmt(s, "INSERT INTO polities(slug, name, description, region_id, seats,"
			   " cohorts, widest, body_id, created_at) VALUES (?,?,?,?,?,?,?,?,?)"
			   " RETURNING id");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, desc, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, region_id);
	sqlite3_bind_int64(st, 5, seats);
	sqlite3_bind_int64(st, 6, cohorts);
	sqlite3_bind_int(st, 7, widest);
	sqlite3_bind_int64(st, 8, body_id);
	sqlite3_bind_int64(st, 9, at);
	if ((rc = store_int64(st, &polity_id, NULL)))
		goto out;
	for (int64_t n = 1; n <= seats; n++) {
		int64_t cohort = (n - 1) % cohorts + 1;
		st = store_stmt(s, "INSERT INTO polity_seats(polity_id, seat, cohort,"
				   " term_starts, term_ends) VALUES (?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, n);
		sqlite3_bind_int64(st, 3, cohort);
		sqlite3_bind_int64(st, 4, at);
		sqlite3_bind_int64(st, 5, lot_years_after(at, cohort * (LOT_TERM_YEARS / cohorts)));
		if ((rc = store_run(st)))
			goto out;
	}
	/* its settings: the defaults, and the seed source named at
	 * registration (docs/polities.md: only its assembly changes them) */
	const char *source = json_string_value(json_object_get(p, "seed_source"));
	st = store_stmt(s, "INSERT INTO polity_settings(polity_id, seed_source, excuse_reasons)"
			   " VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_text(st, 2, source ? source : LOT_SEED_SOURCE_DEFAULT, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, LOT_EXCUSE_REASONS_DEFAULT, -1, SQLITE_STATIC);
	if ((rc = store_run(st)))
		goto out;
	/* the quotas the operator may name once, at registration, for the
	 * draws before its assembly decides any (docs/polities.md) */
	const char *qt = json_string_value(json_object_get(p, "quotas"));
	if (qt) {
		json_t *q = NULL;
		char *text = NULL;
		if ((rc = lot_quotas_parse(qt, seats / cohorts, (seats + cohorts - 1) / cohorts,
					   "quotas", &q, err)))
			goto out;
		if (q && !(text = json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS)))
			rc = PX_E_NOMEM;
		json_decref(q);
		st = store_stmt(s, "UPDATE polity_settings SET quotas = ? WHERE polity_id = ?");
		if (text)
			sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_int64(st, 2, polity_id);
		if (!rc)
			rc = store_run(st);
		else
			sqlite3_reset(st);
		free(text);
		if (rc)
			goto out;
	}
	/* its regular meetings exist from now on, as for any assembly */
	rc = meeting_sync(s, body_id, at);
out:
	free(rules);
	free(schedule);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

struct add_args {
	const struct gov_ctx *ctx;
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int add_tx(struct store *s, void *arg)
{
	struct add_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	const char *slug = json_string_value(json_object_get(a->payload, "slug"));
	int rc = lot_apply_polity(s, a->payload, a->ctx->now, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), slug, "polity.add",
				    a->payload, NULL);
	if (!rc)
		rc = gov_polity_get(a->ctx, slug, &a->out, a->err);
	return rc;
}

int gov_polity_add(const struct gov_ctx *ctx, const struct polity_add *in,
		   json_t **out, struct px_error *err)
{
	json_t *rule_in = NULL, *rule = NULL, *sched_in = NULL, *sched = NULL;
	struct add_args a = { ctx, NULL, NULL, err };
	int rc;
	*out = NULL;
	if (!ctx->operator)
		return px_fail(err, PX_E_FORBIDDEN, NULL,
			       "only the server's operator registers polities");
	if (!in->slug || !gov_slug_valid(in->slug))
		return px_fail(err, PX_E_BAD_INPUT, "slug",
			       "a slug has 2 to 64 characters: lower-case letters,"
			       " digits and '-', not starting with '-'");
	if ((rc = text_check_line(in->name ? in->name : "", 1, 120)))
		return px_fail(err, rc, "name", "a name has 1 to 120 characters on one line");
	if ((rc = text_check_block(in->description ? in->description : "", 1, 4000)))
		return px_fail(err, rc, "description",
			       "a description has 1 to 4,000 characters");
	if (!in->region || !gov_slug_valid(in->region))
		return px_fail(err, PX_E_NOT_FOUND, "region", "no region '%s'",
			       in->region ? in->region : "");
	if (in->seats < 1 || in->seats > LOT_SEATS_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "seats",
			       "an assembly has 1 to %d seats", LOT_SEATS_MAX);
	int64_t cohorts = in->cohorts ? in->cohorts : default_cohorts(in->seats);
	if (cohorts < 1 || LOT_TERM_YEARS % cohorts || cohorts > in->seats)
		return px_fail(err, PX_E_OUT_OF_RANGE, "cohorts",
			       "cohorts are 1, 2, 3 or 6 (one renewed every 6, 3, 2 or"
			       " 1 years), and no more than the seats");
	/* a simple majority of the members present, with a quorum of half
	 * the seats (not of the members: empty seats do not lower it) */
	rule_in = json_pack("{s:{s:s, s:{s:I}}}", "default", "kind", "simple_majority",
			    "quorum", "count", (json_int_t)((in->seats + 1) / 2));
	sched_in = json_loads(POLITY_SCHEDULE, 0, NULL);
	if (!rule_in || !sched_in) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	if ((rc = body_check_rules(rule_in, &rule, err)) ||
	    (rc = body_check_schedule(sched_in, ctx->now, &sched, err)))
		goto out;
	if (in->seed_source && (text_check_block(in->seed_source, 1, 1000) ||
				strchr(in->seed_source, '\n'))) {
		rc = px_fail(err, PX_E_BAD_INPUT, "seed_source", "the seed source is named in"
			     " 1 to 1,000 characters on one line");
		goto out;
	}
	if (in->quotas) {
		json_t *q = NULL;
		int64_t lo = in->seats / cohorts, hi = (in->seats + cohorts - 1) / cohorts;
		if ((rc = lot_quotas_parse(in->quotas, lo, hi, "quotas", &q, err)))
			goto out;
		json_decref(q);
	}
	a.payload = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:O, s:O, s:s, s:s*}",
			      "slug", in->slug, "name", in->name,
			      "description", in->description, "region", in->region,
			      "seats", (json_int_t)in->seats, "cohorts", (json_int_t)cohorts,
			      "widest", in->widest, "rule", rule, "schedule", sched,
			      "seed_source", in->seed_source ? in->seed_source
							     : LOT_SEED_SOURCE_DEFAULT,
			      "quotas", in->quotas);
	if (!a.payload) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = store_tx(ctx->db, add_tx, &a);
	if (rc) {
		json_decref(a.out);
		if (err && !err->code)
			px_fail(err, rc, NULL, NULL);
		goto out;
	}
	*out = a.out;
out:
	json_decref(a.payload);
	json_decref(rule_in);
	json_decref(rule);
	json_decref(sched_in);
	json_decref(sched);
	return rc;
}

#define POLITY_SELECT \
	"SELECT p.id, p.slug, p.name, p.description, r.slug, p.seats, p.cohorts," \
	" p.widest, b.slug, p.region_id, b.rules, b.id, p.created_at FROM polities p" \
	" JOIN regions r ON r.id = p.region_id JOIN bodies b ON b.id = p.body_id"

static int row_json(const struct gov_ctx *ctx, sqlite3_stmt *st, json_t **out)
{
	int64_t residents = 0, citizens = 0;
	int rc = lot_region_counts(ctx->db, sqlite3_column_int64(st, 9), ctx->now,
				   &residents, &citizens);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:s, s:I, s:I, s:I}",
			 "slug", (const char *)sqlite3_column_text(st, 1),
			 "name", (const char *)sqlite3_column_text(st, 2),
			 "description", (const char *)sqlite3_column_text(st, 3),
			 "region", (const char *)sqlite3_column_text(st, 4),
			 "seats", (json_int_t)sqlite3_column_int64(st, 5),
			 "cohorts", (json_int_t)sqlite3_column_int64(st, 6),
			 "widest", sqlite3_column_int(st, 7),
			 "assembly", (const char *)sqlite3_column_text(st, 8),
			 "residents", (json_int_t)residents,
			 "citizens", (json_int_t)citizens,
			 "registered_at", (json_int_t)sqlite3_column_int64(st, 12));
	return *out ? 0 : PX_E_NOMEM;
}

int gov_polity_list(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	int rc = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, POLITY_SELECT " ORDER BY p.widest DESC,"
				      " p.name");
	while (store_next(st, &rc)) {
		json_t *p = NULL;
		if ((rc = row_json(ctx, st, &p))) {
			sqlite3_reset(st);
			break;
		}
		json_array_append_new(list, p);
	}
	if (rc) {
		json_decref(list);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	*out = list;
	return 0;
}

/* The seats and their cohorts: who holds a seat is public (members of an
 * assembly are), but until the draws every seat is empty. */
static int seats_json(struct store *s, int64_t polity_id, json_t *p)
{
	json_t *seats = json_array(), *cohorts = json_array();
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT seat, cohort, term_starts, term_ends,"
				      " holder_id IS NOT NULL FROM polity_seats"
				      " WHERE polity_id = ? ORDER BY seat");
	sqlite3_bind_int64(st, 1, polity_id);
	while (store_next(st, &rc))
		json_array_append_new(seats, json_pack("{s:I, s:I, s:I, s:I, s:b}",
			"seat", (json_int_t)sqlite3_column_int64(st, 0),
			"cohort", (json_int_t)sqlite3_column_int64(st, 1),
			"term_starts", (json_int_t)sqlite3_column_int64(st, 2),
			"term_ends", (json_int_t)sqlite3_column_int64(st, 3),
			"held", sqlite3_column_int(st, 4)));
	if (!rc) {
		st = store_stmt(s, "SELECT cohort, count(*), count(holder_id),"
				" min(term_starts), max(term_ends) FROM polity_seats"
				" WHERE polity_id = ? GROUP BY cohort ORDER BY cohort");
		sqlite3_bind_int64(st, 1, polity_id);
		while (store_next(st, &rc))
			json_array_append_new(cohorts, json_pack("{s:I, s:I, s:I, s:I, s:I}",
				"cohort", (json_int_t)sqlite3_column_int64(st, 0),
				"seats", (json_int_t)sqlite3_column_int64(st, 1),
				"held", (json_int_t)sqlite3_column_int64(st, 2),
				"term_starts", (json_int_t)sqlite3_column_int64(st, 3),
				"term_ends", (json_int_t)sqlite3_column_int64(st, 4)));
	}
	json_object_set_new(p, "seat_list", seats);
	json_object_set_new(p, "cohort_list", cohorts);
	return rc;
}

int gov_polity_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		   struct px_error *err)
{
	json_t *p = NULL, *region = NULL, *laws = json_array();
	int64_t polity_id = 0, body_id = 0;
	int rc = 0, row = 0;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug)) {
		json_decref(laws);
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", slug ? slug : "");
	}
	sqlite3_stmt *st = store_stmt(ctx->db, POLITY_SELECT " WHERE p.slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		goto out;
	if (!row) {
		json_decref(laws);
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no polity '%s'", slug);
	}
	polity_id = sqlite3_column_int64(st, 0);
	body_id = sqlite3_column_int64(st, 11);
	rc = row_json(ctx, st, &p);
	json_t *rule = p ? json_loads((const char *)sqlite3_column_text(st, 10), 0, NULL)
			 : NULL;
	char region_slug[GOV_SLUG_SIZE];
	snprintf(region_slug, sizeof(region_slug), "%s",
		 (const char *)sqlite3_column_text(st, 4));
	sqlite3_reset(st);
	if (rc)
		goto out;
	json_object_set_new(p, "rule", rule ? rule : json_null());
	if ((rc = gov_region_get(ctx, region_slug, &region, err)))
		goto out;
	json_object_set_new(p, "region", region);
	if ((rc = seats_json(ctx->db, polity_id, p)))
		goto out;
	/* the polity's own law register: its assembly's laws */
	st = store_stmt(ctx->db, "SELECT l.number, v.title, l.status FROM laws l"
			" JOIN law_versions v ON v.law_id = l.id AND v.version ="
			" (SELECT max(version) FROM law_versions WHERE law_id = l.id)"
			" WHERE l.body_id = ? ORDER BY l.number");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc))
		json_array_append_new(laws, json_pack("{s:I, s:s, s:s}",
			"number", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"status", (const char *)sqlite3_column_text(st, 2)));
	if (rc)
		goto out;
	json_object_set_new(p, "laws", laws);
	laws = NULL;
	if ((rc = lot_polity_renewals_json(ctx, polity_id, p, err)))
		goto out;
	*out = p;
	return 0;
out:
	json_decref(p);
	json_decref(laws);
	return err && err->code ? rc : px_fail(err, rc, NULL, NULL);
}
