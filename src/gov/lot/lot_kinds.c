/*
 * lot_kinds.c: the kinds of motion only a polity's assembly decides
 * (docs/polities.md): changing the polity's settings of service by lot,
 * and removing a member from their seat, with reasons. Nobody else can:
 * the operator has no command for either, and no other assembly is
 * offered them (KIND_BY_POLITY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static const char *const rules[] = {
	"grant", N_("Granted while the clerk office is vacant"),
	"refuse", N_("Refused while the clerk office is vacant"), NULL };

static const char *const no_answers[] = {
	"vacate", N_("The seat goes to the next alternate"),
	"defer", N_("Deferred to the cohort's next renewal (once; a second time, the seat goes"
		 " to the next alternate)"), NULL };

static const struct kind_param settings_params[] = {
	{ .name = "seats", .type = KP_INTEGER, .min = 1, .max = LOT_SEATS_MAX,
	  .label = N_("Seats of the assembly"),
	  .help = N_("Each cohort takes its share at its next renewal: no seated member's"
		  " term is cut.") },
	{ .name = "commit_days", .type = KP_INTEGER, .min = 1, .max = 365,
	  .label = N_("Days between the commitment and the draw date") },
	{ .name = "witnesses", .type = KP_INTEGER, .min = 1, .max = 50,
	  .label = N_("Witnesses who must enter the same seed") },
	{ .name = "alternates", .type = KP_INTEGER, .min = 0, .max = 1000,
	  .label = N_("Alternates ranked at each draw"),
	  .help = N_("0: as many as the cohort's seats, at least 5.") },
	{ .name = "answer_days", .type = KP_INTEGER, .min = 8, .max = 365,
	  .label = N_("Days to answer a summons") },
	{ .name = "excuse_rule", .type = KP_CHOICE, .choices = rules,
	  .label = N_("Excuses while nobody holds the clerk office") },
	{ .name = "no_answer", .type = KP_CHOICE, .choices = no_answers,
	  .label = N_("A summons left unanswered at its deadline (after a reminder a week"
		   " before)") },
	{ .name = "excuse_reasons", .type = KP_TEXT, .min = 1, .max = 1000,
	  .label = N_("Reasons for an excuse, separated by ';'") },
	{ .name = "seed_source", .type = KP_TEXT, .min = 1, .max = 1000,
	  .label = N_("The public source of the seed of future draws"),
	  .help = N_("Renewals already committed keep the source they named.") },
	{ .name = "quotas", .type = KP_TEXT, .min = 1, .max = 2000,
	  .label = N_("Quotas of each cohort's draw"),
	  .help = N_("Seats per value of the residents' declared profile, e.g."
		  " 'gender: women 2-3, men 2-3; district: north 1-3, south 1-3';"
		  " 'none' for a uniform draw. Renewals already committed keep theirs.") },
	{ .name = NULL },
};

static const struct kind_param remove_params[] = {
	{ .name = "member", .type = KP_MEMBER, .required = 1, .min = 1, .max = 32,
	  .label = N_("The member removed from their seat") },
	{ .name = "reasons", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("The reasons") },
	{ .name = NULL },
};

/* The reasons of "a; b; c" as a JSON array of trimmed, non-empty texts. */
static json_t *reasons_of(const char *text)
{
	json_t *list = json_array();
	const char *p = text;
	while (list && *p) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *a = p, *b = p + n;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if (b > a)
			json_array_append_new(list, json_stringn(a, (size_t)(b - a)));
		p = end ? end + 1 : p + n;
	}
	return list;
}

/* The polity of an assembly: its id, seats and cohorts. */
static int polity_of_body(struct store *s, int64_t body_id, int64_t *id, int64_t *seats,
			  int64_t *cohorts)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, seats, cohorts FROM polities"
				      " WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	*id = sqlite3_column_int64(st, 0);
	*seats = sqlite3_column_int64(st, 1);
	*cohorts = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}

/* The seats of the smallest and largest cohort of an assembly of seats
 * seats in cohorts cohorts. */
static void cohort_range(int64_t seats, int64_t cohorts, int64_t *lo, int64_t *hi)
{
	*lo = cohorts ? seats / cohorts : seats;
	*hi = cohorts ? (seats + cohorts - 1) / cohorts : seats;
}

static int check_settings(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err)
{
	(void)canon;
	static const char *const names[] = { "seats", "commit_days", "witnesses", "alternates",
		"answer_days", "excuse_rule", "no_answer", "excuse_reasons", "seed_source",
		"quotas" };
	int any = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		any |= kind_json(a, names[i]) != NULL;
	if (!any)
		return px_fail(err, PX_E_MISSING_FIELD, "params", "say which settings change");
	int64_t polity_id = 0, cohorts = 0, seats = 0, lo = 0, hi = 0;
	int rc = polity_of_body(s, body_id, &polity_id, &seats, &cohorts);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	/* the seats after the decision: the quotas must fit them */
	int64_t after = seats;
	if (kind_json(a, "seats")) {
		int64_t want = json_integer_value(kind_json(a, "seats"));
		if (want < cohorts)
			return px_fail(err, PX_E_OUT_OF_RANGE, "params.seats", "the assembly has"
				       " %lld cohorts: at least one seat each", (long long)cohorts);
		if (want == seats)
			return px_fail(err, PX_E_BAD_INPUT, "params.seats", "the assembly has"
				       " %lld seats already", (long long)seats);
		after = want;
	}
	cohort_range(after, cohorts, &lo, &hi);
	if (kind_json(a, "excuse_reasons")) {
		json_t *list = reasons_of(kind_text(a, "excuse_reasons"));
		size_t n = json_array_size(list);
		json_decref(list);
		if (!n || n > 20)
			return px_fail(err, PX_E_BAD_INPUT, "params.excuse_reasons", "1 to 20"
				       " reasons, separated by ';'");
	}
	if (kind_json(a, "quotas")) {
		json_t *q = NULL;
		rc = lot_quotas_parse(kind_text(a, "quotas"), lo, hi, "params.quotas", &q, err);
		json_decref(q);
		if (rc)
			return rc;
	} else if (after != seats) {
		/* new seats, the quotas in force: they must still fit */
		json_t *q = NULL, *again = NULL;
		char *text = NULL;
		if ((rc = lot_quotas_get(s, polity_id, &q)))
			return px_fail(err, rc, NULL, NULL);
		if (q && !(text = lot_quotas_text(q)))
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		if (text && (rc = lot_quotas_parse(text, lo, hi, "params.seats", &again, err)))
			px_fail(err, err ? err->code : rc, "params.seats", "the quotas in force"
				" (%s) do not fit cohorts of %lld to %lld seats: change the quotas"
				" in the same decision", text, (long long)lo, (long long)hi);
		free(text);
		json_decref(q);
		json_decref(again);
		if (rc)
			return rc;
	}
	return 0;
}

static int apply_settings(struct store *s, const struct motion_effect *m, json_t *j,
			  struct px_error *err)
{
	static const char *const ints[] = { "commit_days", "witnesses", "alternates",
					    "answer_days" }; /* polity_settings' columns */
	int rc = 0;
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]) && !rc; i++) {
		const json_t *v = json_object_get(m->params, ints[i]);
		char sql[128];
		if (!v)
			continue;
		snprintf(sql, sizeof(sql), "UPDATE polity_settings SET %s = ?1 WHERE"
			 " polity_id = (SELECT id FROM polities WHERE body_id = ?2)", ints[i]);
		sqlite3_stmt *st = store_stmt(s, sql); /* the cache copies sql */
		sqlite3_bind_int64(st, 1, json_integer_value(v));
		sqlite3_bind_int64(st, 2, m->body_id);
		rc = store_run(st);
	}
	/* the seats the renewals commit from now on: each cohort takes its
	 * share at its next renewal (seats.c) */
	const json_t *seats = json_object_get(m->params, "seats");
	if (seats && !rc) {
		sqlite3_stmt *st = store_stmt(s, "UPDATE polities SET seats = ?1 WHERE"
					      " body_id = ?2 AND cohorts <= ?1");
		sqlite3_bind_int64(st, 1, json_integer_value(seats));
		sqlite3_bind_int64(st, 2, m->body_id);
		rc = store_run(st);
		if (!rc && sqlite3_changes(store_db(s)) != 1)
			return px_fail(err, PX_E_CONFLICT, "params.seats", "at least one seat"
				       " for each cohort");
	}
	static const char *const texts[] = { "excuse_rule", "no_answer", "excuse_reasons",
					     "seed_source" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]) && !rc; i++) {
		const char *v = json_string_value(json_object_get(m->params, texts[i]));
		char sql[128], *list = NULL;
		if (!v)
			continue;
		if (!strcmp(texts[i], "excuse_reasons")) {
			json_t *r = reasons_of(v);
			list = json_dumps(r, JSON_COMPACT);
			json_decref(r);
			if (!list) {
				rc = PX_E_NOMEM;
				break;
			}
		}
		snprintf(sql, sizeof(sql), "UPDATE polity_settings SET %s = ?1 WHERE"
			 " polity_id = (SELECT id FROM polities WHERE body_id = ?2)", texts[i]);
		sqlite3_stmt *st = store_stmt(s, sql);
		sqlite3_bind_text(st, 1, list ? list : v, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, m->body_id);
		rc = store_run(st);
		free(list);
	}
	const char *qt = json_string_value(json_object_get(m->params, "quotas"));
	if (!rc && qt) {
		json_t *q = NULL;
		int64_t lo = 0, hi = 0, pid = 0, seats_now = 0, cohorts = 0;
		char *text = NULL;
		/* after the seats of the same decision, set above */
		if ((rc = polity_of_body(s, m->body_id, &pid, &seats_now, &cohorts)))
			return px_fail(err, rc, NULL, NULL);
		cohort_range(seats_now, cohorts, &lo, &hi);
		if ((rc = lot_quotas_parse(qt, lo, hi, "params.quotas", &q, err)))
			return rc;
		if (q && !(text = json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS)))
			rc = PX_E_NOMEM;
		sqlite3_stmt *st = store_stmt(s, "UPDATE polity_settings SET quotas = ?1 WHERE"
			" polity_id = (SELECT id FROM polities WHERE body_id = ?2)");
		if (text)
			sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_int64(st, 2, m->body_id);
		if (!rc)
			rc = store_run(st);
		else
			sqlite3_reset(st);
		free(text);
		json_decref(q);
	}
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	json_object_set(j, "settings", (json_t *)m->params);
	return 0;
}

static int check_remove(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	int yes = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM summons m JOIN polities p ON"
		" p.id = m.polity_id JOIN accounts a ON a.id = m.account_id WHERE"
		" p.body_id = ? AND a.handle = ? AND m.state = 'accepted'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, kind_text(a, "member"), -1, SQLITE_TRANSIENT);
	int rc = store_exists(st, &yes);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_BAD_INPUT, "params.member", "%s holds no seat of"
			       " this assembly", kind_text(a, "member"));
	return 0;
}

static int apply_remove(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	json_t *calls = json_array();
	int64_t polity_id = 0;
	int rc = lot_remove_seat(s, m->body_id,
				 json_string_value(json_object_get(m->params, "member")),
				 m->now, calls, &polity_id, err);
	if (!rc)
		json_object_set(j, "calls", calls);
	/* live, a supplementary renewal when the alternates ran out: an
	 * entry of its own, which replay applies as it comes */
	if (!rc && !store_replaying(s))
		rc = lot_after_calls(s, m->now, polity_id, calls, err);
	json_decref(calls);
	return rc;
}

const struct motion_kind lot_kinds[] = {
	{ .name = "polity_settings", .label = N_("Change the polity's settings of service by lot"),
	  .summary = N_("change the polity's settings of service by lot (its seats, timetable,"
		     " witnesses, alternates, answers, excuses, the seed's source, the quotas)"),
	  .check = check_settings, .apply = apply_settings, .decided_by = KIND_BY_POLITY,
	  .params = settings_params },
	{ .name = "remove_seat", .label = N_("Remove a member from their seat"),
	  .summary = N_("remove a member of the polity's assembly from their seat, with the"
		     " reasons; the next alternate is summoned"),
	  .check = check_remove, .apply = apply_remove, .decided_by = KIND_BY_POLITY,
	  .params = remove_params },
	{ .name = NULL },
};
