/*
 * standing.c: good standing in the sharing economy (issue 15, section 5;
 * docs/economy.md). The local assembly decides, by a motion adopted at
 * its meeting (decide_standing), the standing of an enterprise located in
 * its community, or exceptionally of a person by name: in good standing,
 * on probation (what must change, and by when), or not a member of the
 * sharing economy. The decision cites the record: the commitments set
 * against the deliveries since the last decision, what the enterprise
 * took, and the appreciations (economy_record), kept with it as the
 * decision read them.
 *
 * Reviews recur on a cycle the assembly decides (standing_cycle, in
 * months). A review is due one cycle after the last decision (or by the
 * date a probation set, if sooner); an enterprise never reviewed is due
 * one cycle after its founding, or when the cycle is set if that is
 * later. A review is open from its date on, by itself: it is a function
 * of the decisions and the clock, never a row someone must remember to
 * write, so a server that was down on the date misses nothing, and
 * replay has nothing to rebuild; it closes when the assembly decides.
 *
 * A person's standing: the assembly's decision about them by name, if
 * any; else good when they recorded a basis that counts as contributing
 * reasonably (child, retired, carer, student, unable to work), open to
 * the assembly's review by a decision by name; else that of the
 * enterprises they work in (the best of them); else none decided.
 *
 * Only a local assembly decides these kinds (never a committee: they are
 * KIND_BY_LOCAL alone), and an assembly's motions are decided at its
 * meetings, so a standing is always decided at a meeting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil.h"
#include "core/errors.h"
#include "core/i18n.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "gov/sharing/sharing.h"
#include "banned.h"

static const char *const standings[] = {
	"good", N_("In good standing"),
	"probation", N_("On probation"),
	"outside", N_("Not a member of the sharing economy"),
	NULL };

const char *const standing_bases[] = { "child", "retired", "carer", "student",
				       "unable_to_work", NULL };

#define DAY 86400

/* t plus months, on the UTC calendar (the day clamped to the month). */
static int64_t add_months(int64_t t, int64_t months)
{
	struct civil_time c;
	civil_from_seconds(t, &c);
	civil_add_months(&c.year, &c.month, &c.day, months);
	return civil_to_seconds(&c);
}

/* The enterprise by slug and whether it is located in the community of
 * the local assembly local_id. */
static int enterprise_here(struct store *s, int64_t local_id, const char *slug,
			   int64_t *id, int *here)
{
	*id = 0;
	*here = 0;
	if (!gov_slug_valid(slug))
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT e.id, e.community_id = l.community_id"
		" FROM bodies e, bodies l WHERE e.slug = ? AND e.kind = 'enterprise'"
		" AND l.id = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, local_id);
	int row = 0, rc = store_step(st, &row);
	if (rc || !row)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	*here = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return 0;
}

static int subject_check(struct store *s, int64_t local_id, const char *ent,
			 const char *person, int64_t *ent_id, int64_t *account,
			 struct px_error *err)
{
	int rc, here = 0;
	*ent_id = *account = 0;
	if (!!*ent == !!*person)
		return px_fail(err, PX_E_BAD_INPUT, "params.enterprise", "name an enterprise"
			       " or, exceptionally, a person: one of the two");
	if (*ent) {
		if ((rc = enterprise_here(s, local_id, ent, ent_id, &here)))
			return px_fail(err, rc, NULL, NULL);
		if (!*ent_id)
			return px_fail(err, PX_E_NOT_FOUND, "params.enterprise",
				       "no enterprise '%s'", ent);
		if (!here)
			return px_fail(err, PX_E_STANDING_ELSEWHERE, "params.enterprise", NULL);
		return 0;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT a.id, EXISTS (SELECT 1 FROM memberships m"
		" WHERE m.body_id = ? AND m.account_id = a.id AND m.status = 'active')"
		" FROM accounts a WHERE a.handle = ?");
	sqlite3_bind_int64(st, 1, local_id);
	sqlite3_bind_text(st, 2, person, -1, SQLITE_STATIC);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.person", "no account '%s'", person);
	*account = sqlite3_column_int64(st, 0);
	here = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	if (!here)
		return px_fail(err, PX_E_STANDING_ELSEWHERE, "params.person", "%s is not an"
			       " active member of this assembly: the assembly where they are"
			       " decides their standing", person);
	return 0;
}

static int check_standing(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err)
{
	int64_t ent, account;
	const char *standing = kind_text(a, "standing");
	int probation = !strcmp(standing, "probation");
	(void)canon;
	int rc = subject_check(s, body_id, kind_text(a, "enterprise"),
			       kind_text(a, "person"), &ent, &account, err);
	if (rc)
		return rc;
	if (probation && !kind_json(a, "must_change"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.must_change", "probation says"
			       " what must change");
	if (probation && !kind_json(a, "review_by"))
		return px_fail(err, PX_E_MISSING_FIELD, "params.review_by", "probation says"
			       " by when: the date of its review");
	if (!probation && kind_json(a, "must_change"))
		return px_fail(err, PX_E_BAD_INPUT, "params.must_change", "only probation says"
			       " what must change");
	if (!probation && kind_json(a, "review_by"))
		return px_fail(err, PX_E_BAD_INPUT, "params.review_by", "only probation sets"
			       " a date of review");
	return 0;
}

/* The latest decision about an enterprise (ent) or a person by name
 * (account): *found, its time and standing (16 bytes). */
static int last_decision(struct store *s, int64_t ent, int64_t account, int *found,
			 int64_t *at, int64_t *review_by, char standing[16])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT decided_at, standing, review_by"
		" FROM standings WHERE CASE WHEN ?1 > 0 THEN enterprise_id = ?1"
		" ELSE account_id = ?2 END ORDER BY decided_at DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, ent);
	sqlite3_bind_int64(st, 2, account);
	int rc = store_step(st, found);
	if (rc || !*found)
		return rc;
	*at = sqlite3_column_int64(st, 0);
	snprintf(standing, 16, "%s", (const char *)sqlite3_column_text(st, 1));
	*review_by = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}

/* What a person's record is: their basis and the enterprises they work
 * in with the standing of each. */
static int person_record(struct store *s, int64_t account, json_t **out);

static int apply_standing(struct store *s, const struct motion_effect *m, json_t *j,
			  struct px_error *err)
{
	const json_t *p = m->params;
	const char *ent = json_string_value(json_object_get(p, "enterprise"));
	const char *person = json_string_value(json_object_get(p, "person"));
	const char *standing = json_string_value(json_object_get(p, "standing"));
	const char *must = json_string_value(json_object_get(p, "must_change"));
	const json_t *by = json_object_get(p, "review_by");
	int64_t ent_id = 0, account = 0, from = 0, prev_at = 0, review = 0;
	json_t *record = NULL;
	char prev[16];
	int found = 0;
	int rc = subject_check(s, m->body_id, ent ? ent : "", person ? person : "", &ent_id,
			       &account, err);
	if (rc)
		return rc;
	if (ent_id) {
		/* the record since the last decision about it, or its founding */
		if ((rc = last_decision(s, ent_id, 0, &found, &prev_at, &review, prev)))
			return px_fail(err, rc, NULL, NULL);
		if (found) {
			from = prev_at;
		} else {
			sqlite3_stmt *st = store_stmt(s, "SELECT founded_at FROM bodies"
						      " WHERE id = ?");
			sqlite3_bind_int64(st, 1, ent_id);
			if ((rc = store_int64(st, &from, NULL)))
				return px_fail(err, rc, NULL, NULL);
		}
		rc = economy_record(s, ent_id, from, m->now, 0, &record);
	} else {
		rc = person_record(s, account, &record);
	}
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	char *text = journal_canonical(record);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO standings(body_id, enterprise_id,"
		" account_id, standing, must_change, review_by, record, motion_id, decided_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, m->body_id);
	if (ent_id)
		sqlite3_bind_int64(st, 2, ent_id);
	if (account)
		sqlite3_bind_int64(st, 3, account);
	sqlite3_bind_text(st, 4, standing, -1, SQLITE_STATIC);
	if (must)
		sqlite3_bind_text(st, 5, must, -1, SQLITE_STATIC);
	if (json_is_integer(by))
		sqlite3_bind_int64(st, 6, json_integer_value(by));
	sqlite3_bind_text(st, 7, text ? text : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, m->motion_id);
	sqlite3_bind_int64(st, 9, m->now);
	rc = text ? store_run(st) : PX_E_NOMEM;
	free(text);
	json_decref(record);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "standing", json_string(standing));
	return 0;
}

static int apply_cycle(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	int64_t months = json_integer_value(json_object_get(m->params, "months"));
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO standing_cycles(body_id, months,"
		" motion_id, set_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (body_id) DO UPDATE"
		" SET months = ?2, motion_id = ?3, set_at = ?4");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, months);
	sqlite3_bind_int64(st, 3, m->motion_id);
	sqlite3_bind_int64(st, 4, m->now);
	int rc = store_run(st);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "cycle_months", json_integer(months));
	return 0;
}

static const struct kind_param standing_params[] = {
	{ .name = "enterprise", .type = KP_TEXT, .min = 2, .max = 64,
	  .label = N_("The enterprise (its short name)"),
	  .help = N_("One located in this community. Leave it out to decide a person's.") },
	{ .name = "person", .type = KP_HANDLE, .min = 1, .max = 32,
	  .label = N_("Or, exceptionally, a person (handle)"),
	  .help = N_("A member of this assembly, decided by name.") },
	{ .name = "standing", .type = KP_CHOICE, .required = 1, .choices = standings,
	  .label = N_("Standing") },
	{ .name = "must_change", .type = KP_MARKDOWN, .min = 1, .max = 4000,
	  .label = N_("What must change (on probation)") },
	{ .name = "review_by", .type = KP_TIME, .min = DAY, .max = 5 * 366 * DAY,
	  .label = N_("Reviewed again by (on probation)"),
	  .out_of_range = "the date of review is between tomorrow and five years ahead" },
	{ .name = NULL },
};

static const struct kind_param cycle_params[] = {
	{ .name = "months", .type = KP_INTEGER, .required = 1, .min = 1, .max = 60,
	  .label = N_("Every how many months"),
	  .help = N_("Each enterprise's standing is reviewed again this long after the"
		  " last decision.") },
	{ .name = NULL },
};

const struct motion_kind standing_kinds[] = {
	{ .name = "decide_standing", .label = N_("Decide a standing in the sharing economy"),
	  .summary = N_("decide, citing the record, whether an enterprise of this community"
		     " (or exceptionally a person) is in good standing, on probation,"
		     " or not a member of the sharing economy"),
	  .check = check_standing, .apply = apply_standing, .decided_by = KIND_BY_LOCAL,
	  .flags = KIND_NEEDS_TEXT, .text_label = N_("Why: what the record shows"),
	  .params = standing_params },
	{ .name = "standing_cycle", .label = N_("Set the cycle of standing reviews"),
	  .summary = N_("set how often each enterprise's standing in the sharing economy is"
		     " reviewed"),
	  .check = motion_kind_spec_only, .apply = apply_cycle,
	  .decided_by = KIND_BY_LOCAL, .params = cycle_params },
	{ .name = NULL },
};

/* ---- a person's basis: standing.basis ---- */

int standing_apply_basis(struct store *s, const json_t *p, int64_t at, const char *actor,
			 struct px_error *err)
{
	const char *basis = json_string_value(json_object_get(p, "basis"));
	const char *note = json_string_value(json_object_get(p, "note"));
	int64_t who = 0;
	int ok = !basis, rc;
	for (const char *const *b = standing_bases; basis && *b; b++)
		ok |= !strcmp(*b, basis);
	if (!ok || (basis && !note))
		return px_fail(err, PX_E_BAD_INPUT, "basis", "a basis is child, retired, carer,"
			       " student or unable_to_work");
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
	if ((rc = store_int64(st, &who, NULL)))
		return rc;
	if (!who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	if (!basis) {
		st = store_stmt(s, "DELETE FROM standing_bases WHERE account_id = ?");
		sqlite3_bind_int64(st, 1, who);
		return store_run(st);
	}
	st = store_stmt(s, "INSERT INTO standing_bases(account_id, basis, note, at)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id) DO UPDATE SET basis = ?2,"
		" note = ?3, at = ?4");
	sqlite3_bind_int64(st, 1, who);
	sqlite3_bind_text(st, 2, basis, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	return store_run(st);
}

struct basis_args {
	const struct gov_ctx *ctx;
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int basis_tx(struct store *s, void *arg)
{
	struct basis_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	int rc = standing_apply_basis(s, a->payload, a->ctx->now, a->ctx->handle, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL, "standing.basis",
				    a->payload, NULL);
	if (!rc)
		rc = gov_standing_person(a->ctx, a->ctx->handle, &a->out, a->err);
	return rc;
}

int gov_standing_basis(const struct gov_ctx *ctx, const char *basis, const char *note,
		       json_t **out, struct px_error *err)
{
	struct basis_args a = { ctx, NULL, NULL, err };
	int rc, ok = 0;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (basis && !strcmp(basis, "none"))
		basis = NULL;
	for (const char *const *b = standing_bases; basis && *b; b++)
		ok |= !strcmp(*b, basis);
	if (basis && !ok)
		return px_fail(err, PX_E_BAD_INPUT, "basis", "a basis is child, retired, carer,"
			       " student, unable_to_work or none");
	if (note && text_check_block(note, 0, 1000))
		return px_fail(err, PX_E_BAD_INPUT, "note", "a note has up to 1,000 characters");
	a.payload = json_pack("{s:s}", "note", basis && note ? note : "");
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_object_set_new(a.payload, "basis", basis ? json_string(basis) : json_null());
	rc = store_tx(ctx->db, basis_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

/* ---- reading ---- */

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

#define DECISION_SELECT \
	"SELECT s.standing, s.must_change, s.review_by, s.record, s.motion_id, m.title," \
	" m.text, s.decided_at, b.slug, b.name FROM standings s" \
	" JOIN motions m ON m.id = s.motion_id JOIN bodies b ON b.id = s.body_id"

static json_t *decision_row(sqlite3_stmt *st)
{
	json_t *record = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
	json_t *d = json_pack("{s:s, s:o, s:o, s:o, s:I, s:s, s:s, s:I, s:s, s:s}",
		"standing", (const char *)sqlite3_column_text(st, 0),
		"must_change", text_or_null(st, 1),
		"review_by", int_or_null(st, 2),
		"record", record ? record : json_object(),
		"motion", (json_int_t)sqlite3_column_int64(st, 4),
		"title", (const char *)sqlite3_column_text(st, 5),
		"reasons", (const char *)sqlite3_column_text(st, 6),
		"decided_at", (json_int_t)sqlite3_column_int64(st, 7),
		"assembly", (const char *)sqlite3_column_text(st, 8),
		"assembly_name", (const char *)sqlite3_column_text(st, 9));
	return d;
}

static int history(struct store *s, int64_t ent, int64_t account, json_t **out)
{
	json_t *list = json_array();
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, DECISION_SELECT " WHERE CASE WHEN ?1 > 0 THEN"
		" s.enterprise_id = ?1 ELSE s.account_id = ?2 END ORDER BY s.decided_at DESC,"
		" s.id DESC LIMIT 500");
	sqlite3_bind_int64(st, 1, ent);
	sqlite3_bind_int64(st, 2, account);
	while (store_next(st, &rc)) {
		json_t *d = decision_row(st);
		if (!d || json_array_append_new(list, d)) {
			sqlite3_reset(st);
			rc = PX_E_NOMEM;
			break;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* When the enterprise's next review is due (0: no cycle and nothing set
 * a date), from its last decision, its founding and the cycle of the
 * local assembly local_id. */
static int due_at(struct store *s, int64_t ent, int64_t local_id, int64_t *due,
		  json_t **cycle)
{
	int64_t months = 0, set_at = 0, motion = 0, founded = 0, last = 0, review = 0;
	int found = 0, row = 0;
	char standing[16];
	*due = 0;
	*cycle = json_null();
	sqlite3_stmt *st = store_stmt(s, "SELECT months, set_at, motion_id FROM"
				      " standing_cycles WHERE body_id = ?");
	sqlite3_bind_int64(st, 1, local_id);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (row) {
		months = sqlite3_column_int64(st, 0);
		set_at = sqlite3_column_int64(st, 1);
		motion = sqlite3_column_int64(st, 2);
		sqlite3_reset(st);
		json_decref(*cycle);
		*cycle = json_pack("{s:I, s:I, s:I}", "months", (json_int_t)months,
				   "set_at", (json_int_t)set_at, "motion", (json_int_t)motion);
	}
	if ((rc = last_decision(s, ent, 0, &found, &last, &review, standing)))
		return rc;
	st = store_stmt(s, "SELECT founded_at FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, ent);
	if ((rc = store_int64(st, &founded, NULL)))
		return rc;
	if (months) {
		if (found) {
			*due = add_months(last, months);
		} else {
			int64_t first = add_months(founded, months);
			*due = first > set_at ? first : set_at;
		}
	}
	if (found && !strcmp(standing, "probation") && (!*due || review < *due))
		*due = review;
	return 0;
}

int standing_reviews_opened(struct store *s, int64_t from, int64_t to, json_t **out)
{
	json_t *list = json_array();
	int rc = 0;
	*out = NULL;
	if (!list)
		return PX_E_NOMEM;
	/* each enterprise under a local assembly: its review's date */
	sqlite3_stmt *st = store_stmt(s, "SELECT e.id, e.name, l.id, l.slug, l.name"
		" FROM bodies e JOIN bodies l ON l.community_id = e.community_id"
		" AND l.kind = 'local' WHERE e.kind = 'enterprise' ORDER BY e.id");
	json_t *ents = json_array();
	if (!ents) {
		json_decref(list);
		return PX_E_NOMEM;
	}
	while (store_next(st, &rc))
		json_array_append_new(ents, json_pack("{s:I, s:s, s:I, s:s, s:s}",
			"enterprise", (json_int_t)sqlite3_column_int64(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"assembly", (json_int_t)sqlite3_column_int64(st, 2),
			"assembly_slug", (const char *)sqlite3_column_text(st, 3),
			"assembly_name", (const char *)sqlite3_column_text(st, 4)));
	size_t i;
	json_t *e;
	json_array_foreach(ents, i, e) {
		int64_t due = 0;
		json_t *cycle = NULL;
		if (rc)
			break;
		rc = due_at(s, json_integer_value(json_object_get(e, "enterprise")),
			    json_integer_value(json_object_get(e, "assembly")), &due, &cycle);
		json_decref(cycle);
		if (!rc && due > from && due <= to) {
			json_object_set_new(e, "due_at", json_integer(due));
			json_array_append(list, e);
		}
	}
	json_decref(ents);
	/* a person on probation by name: the date their review was set for,
	 * when that is still their standing */
	st = store_stmt(s, "SELECT x.account_id, a.display_name, x.review_by, l.id, l.slug,"
		" l.name FROM standings x JOIN accounts a ON a.id = x.account_id"
		" JOIN bodies l ON l.id = x.body_id WHERE x.standing = 'probation'"
		" AND x.review_by > ?1 AND x.review_by <= ?2 AND NOT EXISTS (SELECT 1"
		" FROM standings y WHERE y.account_id = x.account_id AND y.body_id = x.body_id"
		" AND (y.decided_at > x.decided_at OR (y.decided_at = x.decided_at"
		" AND y.id > x.id))) ORDER BY x.review_by, x.id");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while (!rc && store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:s, s:s, s:I}",
			"person", (json_int_t)sqlite3_column_int64(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"assembly", (json_int_t)sqlite3_column_int64(st, 3),
			"assembly_slug", (const char *)sqlite3_column_text(st, 4),
			"assembly_name", (const char *)sqlite3_column_text(st, 5),
			"due_at", (json_int_t)sqlite3_column_int64(st, 2)));
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

/* The enterprise's standing now: current (a decision or null), due_at,
 * review_open, cycle, into e. */
static int enterprise_status(struct store *s, int64_t ent, int64_t local_id, int64_t now,
			     json_t *e)
{
	json_t *cur = NULL, *cycle = NULL;
	int64_t due = 0;
	int rc = 0, row = 0;
	sqlite3_stmt *st = store_stmt(s, DECISION_SELECT " WHERE s.enterprise_id = ?"
				      " ORDER BY s.decided_at DESC, s.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, ent);
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		cur = decision_row(st);
		sqlite3_reset(st);
		if (!cur)
			return PX_E_NOMEM;
		json_object_del(cur, "record");
	}
	json_object_set_new(e, "standing", cur ? cur : json_null());
	if (local_id && (rc = due_at(s, ent, local_id, &due, &cycle)))
		return rc;
	json_object_set_new(e, "cycle", cycle ? cycle : json_null());
	json_object_set_new(e, "due_at", due ? json_integer(due) : json_null());
	json_object_set_new(e, "review_open", json_boolean(due && due <= now));
	return 0;
}

int gov_standing_enterprise(const struct gov_ctx *ctx, const char *slug, json_t **out,
			    struct px_error *err)
{
	json_t *e = NULL, *h = NULL;
	int row = 0, rc;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'",
			       slug ? slug : "");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT e.id, e.name, c.slug, l.id, l.slug,"
		" l.name FROM bodies e JOIN communities c ON c.id = e.community_id"
		" LEFT JOIN bodies l ON l.community_id = e.community_id AND l.kind = 'local'"
		" WHERE e.slug = ? AND e.kind = 'enterprise'");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug);
	int64_t ent = sqlite3_column_int64(st, 0), local = sqlite3_column_int64(st, 3);
	e = json_pack("{s:s, s:s, s:s}", "enterprise", slug,
		      "name", (const char *)sqlite3_column_text(st, 1),
		      "community", (const char *)sqlite3_column_text(st, 2));
	if (e)
		json_object_set_new(e, "assembly", local ? json_pack("{s:s, s:s}",
			"slug", (const char *)sqlite3_column_text(st, 4),
			"name", (const char *)sqlite3_column_text(st, 5)) : json_null());
	sqlite3_reset(st);
	if (!e) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = enterprise_status(ctx->db, ent, local, ctx->now, e)) ||
	    (rc = history(ctx->db, ent, 0, &h)))
		goto out;
	json_object_set_new(e, "history", h);
	*out = e;
	return 0;
out:
	json_decref(e);
	return px_fail(err, rc, NULL, NULL);
}

/* good > probation > outside; 0 for none */
static int rank_of(const char *standing)
{
	if (!standing)
		return 0;
	return !strcmp(standing, "good") ? 3 : !strcmp(standing, "probation") ? 2 : 1;
}

static int person_record(struct store *s, int64_t account, json_t **out)
{
	json_t *r = json_pack("{s:n, s:[]}", "basis", "enterprises");
	int rc = 0;
	if (!r)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "SELECT basis, note, at FROM standing_bases"
				      " WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, account);
	int row = 0;
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		json_object_set_new(r, "basis", json_pack("{s:s, s:s, s:I}",
			"basis", (const char *)sqlite3_column_text(st, 0),
			"note", (const char *)sqlite3_column_text(st, 1),
			"at", (json_int_t)sqlite3_column_int64(st, 2)));
		sqlite3_reset(st);
	}
	st = store_stmt(s, "SELECT e.slug, e.name, (SELECT x.standing FROM standings x"
		" WHERE x.enterprise_id = e.id ORDER BY x.decided_at DESC, x.id DESC LIMIT 1)"
		" FROM memberships m JOIN bodies e ON e.id = m.body_id WHERE m.account_id = ?"
		" AND m.status = 'active' AND e.kind = 'enterprise' ORDER BY e.name");
	sqlite3_bind_int64(st, 1, account);
	while (store_next(st, &rc)) {
		json_t *x = json_pack("{s:s, s:s, s:o}",
			"slug", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"standing", text_or_null(st, 2));
		json_array_append_new(json_object_get(r, "enterprises"), x);
	}
out:
	if (rc) {
		json_decref(r);
		return rc;
	}
	*out = r;
	return 0;
}

int gov_standing_person(const struct gov_ctx *ctx, const char *handle, json_t **out,
			struct px_error *err)
{
	json_t *p = NULL, *rec = NULL, *h = NULL, *now = NULL;
	int row = 0, rc;
	*out = NULL;
	if (!handle || text_check_line(handle, 1, GOV_HANDLE_MAX))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no account '%s'",
			       handle ? handle : "");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id, display_name FROM accounts"
				      " WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no account '%s'", handle);
	int64_t account = sqlite3_column_int64(st, 0);
	p = json_pack("{s:s, s:s}", "handle", handle, "display_name",
		      (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	if (!p) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = person_record(ctx->db, account, &rec)) ||
	    (rc = history(ctx->db, 0, account, &h)))
		goto out;
	json_object_set_new(p, "basis", json_incref(json_object_get(rec, "basis")));
	json_object_set_new(p, "enterprises", json_incref(json_object_get(rec,
									  "enterprises")));
	json_object_set_new(p, "history", h);
	/* by name, else a basis, else the best of their enterprises' */
	const json_t *last = json_array_get(h, 0);
	if (last) {
		now = json_pack("{s:O, s:s, s:O}", "standing", json_object_get(last, "standing"),
				"source", "by_name", "motion", json_object_get(last, "motion"));
	} else if (json_is_object(json_object_get(rec, "basis"))) {
		now = json_pack("{s:s, s:s}", "standing", "good", "source", "basis");
	} else {
		const char *best = NULL, *from = NULL;
		size_t i;
		const json_t *x;
		json_array_foreach(json_object_get(rec, "enterprises"), i, x) {
			const char *sx = json_string_value(json_object_get(x, "standing"));
			if (rank_of(sx) > rank_of(best)) {
				best = sx;
				from = json_string_value(json_object_get(x, "slug"));
			}
		}
		now = json_pack("{s:s}", "source", from ? "enterprise" : "none");
		json_object_set_new(now, "standing", best ? json_string(best) : json_null());
		if (from)
			json_object_set_new(now, "enterprise", json_string(from));
	}
	json_object_set_new(p, "standing", now);
	json_decref(rec);
	*out = p;
	return 0;
out:
	json_decref(rec);
	json_decref(p);
	return px_fail(err, rc, NULL, NULL);
}

/* Each entry of list (a person, by "person" or "handle") gets "taken":
 * what they took from the sharing economy since the last decision on
 * their standing by name, or ever when there was none. */
static int people_taken(struct store *s, json_t *list, int64_t now)
{
	size_t i;
	json_t *p;
	int rc = 0;
	json_array_foreach(list, i, p) {
		const char *handle = json_string_value(json_object_get(p, "person"));
		int64_t account = 0, from = 0;
		json_t *taken = NULL;
		if (!handle)
			handle = json_string_value(json_object_get(p, "handle"));
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
		sqlite3_bind_text(st, 1, handle ? handle : "", -1, SQLITE_TRANSIENT);
		if ((rc = store_int64(st, &account, NULL)))
			return rc;
		st = store_stmt(s, "SELECT max(decided_at) FROM standings WHERE account_id = ?");
		sqlite3_bind_int64(st, 1, account);
		if ((rc = store_int64(st, &from, NULL)) ||
		    (rc = sharing_taken(s, account, 0, from, now, &taken)))
			return rc;
		json_object_set_new(p, "taken", taken);
	}
	return 0;
}

/* e's "members": each active member of enterprise ent, with what they
 * took for themselves from the sharing economy since from. */
static int members_taken(struct store *s, int64_t ent, int64_t from, int64_t now, json_t *e)
{
	json_t *list = json_array();
	int rc = 0;
	if (!list || json_object_set_new(e, "members", list))
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "SELECT a.id, a.handle, a.display_name FROM"
		" memberships m JOIN accounts a ON a.id = m.account_id WHERE m.body_id = ?"
		" AND m.status = 'active' ORDER BY a.display_name, a.id LIMIT 1000");
	sqlite3_bind_int64(st, 1, ent);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id",
			(json_int_t)sqlite3_column_int64(st, 0), "handle",
			(const char *)sqlite3_column_text(st, 1), "display_name",
			(const char *)sqlite3_column_text(st, 2)));
	if (rc)
		return rc;
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m) {
		json_t *taken = NULL;
		if ((rc = sharing_taken(s, json_integer_value(json_object_get(m, "id")), 0, from,
					now, &taken)))
			return rc;
		json_object_del(m, "id");
		json_object_set_new(m, "taken", taken);
	}
	return 0;
}

/* The standing review of a local assembly: its cycle; each enterprise
 * located in its community with its standing, when its review is due,
 * whether it is open, and the record since its last decision month by
 * month with its latest appreciations; the people it decided by name;
 * the members who recorded a basis; the decisions on its agendas. */
int gov_standing_review(const struct gov_ctx *ctx, const char *slug, json_t **out,
			struct px_error *err)
{
	json_t *r = NULL, *cycle = NULL;
	int row = 0, rc;
	*out = NULL;
	if (!slug || !gov_slug_valid(slug))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no assembly '%s'", slug ? slug : "");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT b.id, b.name, b.kind, c.slug, c.name"
		" FROM bodies b LEFT JOIN communities c ON c.id = b.community_id"
		" WHERE b.slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no assembly '%s'", slug);
	int64_t local = sqlite3_column_int64(st, 0);
	int is_local = !strcmp((const char *)sqlite3_column_text(st, 2), "local");
	if (is_local)
		r = json_pack("{s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:[]}", "assembly", slug,
			      "name", (const char *)sqlite3_column_text(st, 1),
			      "community", (const char *)sqlite3_column_text(st, 3),
			      "community_name", (const char *)sqlite3_column_text(st, 4),
			      "enterprises", "people", "bases", "pending");
	sqlite3_reset(st);
	if (!is_local)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "%s is not a local assembly: only a"
			       " local assembly reviews standing", slug);
	if (!r)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	st = store_stmt(ctx->db, "SELECT e.id, e.slug, e.name, e.founded_at FROM bodies e,"
		" bodies l WHERE l.id = ? AND e.kind = 'enterprise' AND e.community_id ="
		" l.community_id ORDER BY e.name, e.slug LIMIT 1000");
	sqlite3_bind_int64(st, 1, local);
	struct { int64_t id, founded; } ents[1000];
	size_t n = 0;
	while (n < 1000 && store_next(st, &rc)) {
		ents[n].id = sqlite3_column_int64(st, 0);
		ents[n].founded = sqlite3_column_int64(st, 3);
		json_array_append_new(json_object_get(r, "enterprises"), json_pack(
			"{s:s, s:s}", "slug", (const char *)sqlite3_column_text(st, 1),
			"name", (const char *)sqlite3_column_text(st, 2)));
		n++;
	}
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(json_object_get(r, "enterprises"), i), *rec = NULL;
		if ((rc = enterprise_status(ctx->db, ents[i].id, local, ctx->now, e)))
			goto out;
		const json_t *cur = json_object_get(e, "standing");
		int64_t from = json_is_object(cur) ? json_integer_value(json_object_get(cur,
			"decided_at")) : ents[i].founded;
		if ((rc = economy_record(ctx->db, ents[i].id, from, ctx->now, 1, &rec)))
			goto out;
		json_object_set_new(e, "record", rec);
		/* what it took from the sharing economy, beside what it gave */
		if ((rc = sharing_taken(ctx->db, 0, ents[i].id, from, ctx->now, &rec)))
			goto out;
		json_object_set_new(e, "taken", rec);
		/* and what each of its members took for themselves: a person's
		 * standing follows their enterprise's */
		if ((rc = members_taken(ctx->db, ents[i].id, from, ctx->now, e)))
			goto out;
		json_t *apps = json_array();
		st = store_stmt(ctx->db, "SELECT a.display_name, x.text, x.met_need, x.at,"
			" d.what FROM appreciations x JOIN deliveries d ON d.id = x.delivery_id"
			" JOIN accounts a ON a.id = x.by_account WHERE d.body_id = ? AND x.at >= ?"
			" ORDER BY x.at DESC, x.id DESC LIMIT 20");
		sqlite3_bind_int64(st, 1, ents[i].id);
		sqlite3_bind_int64(st, 2, from);
		while (store_next(st, &rc))
			json_array_append_new(apps, json_pack("{s:s, s:s, s:b, s:I, s:s}",
				"by_name", (const char *)sqlite3_column_text(st, 0),
				"text", (const char *)sqlite3_column_text(st, 1),
				"met_need", sqlite3_column_int(st, 2),
				"at", (json_int_t)sqlite3_column_int64(st, 3),
				"what", (const char *)sqlite3_column_text(st, 4)));
		json_object_set_new(e, "appreciations", apps);
		if (rc)
			goto out;
		if (!cycle)
			cycle = json_incref(json_object_get(e, "cycle"));
		json_object_del(e, "cycle");
	}
	if (!cycle) {
		int64_t due;
		/* no enterprise yet: the cycle alone */
		if ((rc = due_at(ctx->db, 0, local, &due, &cycle)))
			goto out;
	}
	json_object_set_new(r, "cycle", cycle);
	cycle = NULL;
	st = store_stmt(ctx->db, "SELECT s.standing, s.must_change, s.review_by, '{}',"
		" s.motion_id, m.title, m.text, s.decided_at, b.slug, b.name, a.handle,"
		" a.display_name FROM standings s JOIN motions m ON m.id = s.motion_id"
		" JOIN bodies b ON b.id = s.body_id JOIN accounts a ON a.id = s.account_id"
		" WHERE s.body_id = ? AND s.id = (SELECT max(y.id) FROM standings y"
		" WHERE y.account_id = s.account_id) ORDER BY s.decided_at DESC, s.id DESC"
		" LIMIT 1000");
	sqlite3_bind_int64(st, 1, local);
	while (store_next(st, &rc)) {
		json_t *d = decision_row(st);
		if (!d)
			continue;
		json_object_del(d, "record");
		json_object_set_new(d, "person", json_string(
			(const char *)sqlite3_column_text(st, 10)));
		json_object_set_new(d, "person_name", json_string(
			(const char *)sqlite3_column_text(st, 11)));
		json_array_append_new(json_object_get(r, "people"), d);
	}
	if (rc)
		goto out;
	/* what each person under review took from the sharing economy since
	 * the last decision about them (or ever, when none) */
	if ((rc = people_taken(ctx->db, json_object_get(r, "people"), ctx->now)))
		goto out;
	st = store_stmt(ctx->db, "SELECT a.handle, a.display_name, sb.basis, sb.note, sb.at"
		" FROM standing_bases sb JOIN accounts a ON a.id = sb.account_id"
		" JOIN memberships m ON m.account_id = sb.account_id AND m.body_id = ?"
		" AND m.status = 'active' ORDER BY a.display_name LIMIT 5000");
	sqlite3_bind_int64(st, 1, local);
	while (store_next(st, &rc))
		json_array_append_new(json_object_get(r, "bases"), json_pack(
			"{s:s, s:s, s:s, s:s, s:I}",
			"handle", (const char *)sqlite3_column_text(st, 0),
			"display_name", (const char *)sqlite3_column_text(st, 1),
			"basis", (const char *)sqlite3_column_text(st, 2),
			"note", (const char *)sqlite3_column_text(st, 3),
			"at", (json_int_t)sqlite3_column_int64(st, 4)));
	if (rc || (rc = people_taken(ctx->db, json_object_get(r, "bases"), ctx->now)))
		goto out;
	st = store_stmt(ctx->db, "SELECT id, title, meeting_id, status,"
		" json_extract(params, '$.enterprise'), json_extract(params, '$.person'),"
		" json_extract(params, '$.standing') FROM motions WHERE body_id = ?"
		" AND kind = 'decide_standing' AND status IN ('submitted', 'voting')"
		" ORDER BY id LIMIT 1000");
	sqlite3_bind_int64(st, 1, local);
	while (store_next(st, &rc)) {
		json_t *m = json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:s}",
			"motion", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"meeting", int_or_null(st, 2),
			"status", (const char *)sqlite3_column_text(st, 3),
			"enterprise", text_or_null(st, 4),
			"person", text_or_null(st, 5),
			"standing", (const char *)sqlite3_column_text(st, 6));
		json_array_append_new(json_object_get(r, "pending"), m);
	}
	if (rc)
		goto out;
	*out = r;
	return 0;
out:
	json_decref(cycle);
	json_decref(r);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- for the sharing economy (src/gov/sharing) ---- */

/* The rank of the first row's standing (0: no row). */
static int rank_row(sqlite3_stmt *st, int *rank)
{
	int row = 0, rc = store_step(st, &row);
	*rank = 0;
	if (rc || !row)
		return rc;
	*rank = rank_of((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int economy_enterprise_standing(struct store *s, int64_t enterprise, int *rank)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT standing FROM standings WHERE"
		" enterprise_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, enterprise);
	return rank_row(st, rank);
}

/* The rule of gov_standing_person: by name, else a basis, else the best
 * of the enterprises the person works in. */
int economy_person_standing(struct store *s, int64_t account, int *rank)
{
	int yes = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT standing FROM standings WHERE"
		" account_id = ? ORDER BY decided_at DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, account);
	if ((rc = rank_row(st, rank)) || *rank)
		return rc;
	st = store_stmt(s, "SELECT 1 FROM standing_bases WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, account);
	if ((rc = store_exists(st, &yes)))
		return rc;
	if (yes) {
		*rank = ECONOMY_GOOD;
		return 0;
	}
	/* the best of their enterprises' latest decisions */
	st = store_stmt(s, "SELECT (SELECT x.standing FROM standings x WHERE"
		" x.enterprise_id = m.body_id ORDER BY x.decided_at DESC, x.id DESC LIMIT 1)"
		" FROM memberships m JOIN bodies e ON e.id = m.body_id WHERE"
		" m.account_id = ? AND m.status = 'active' AND e.kind = 'enterprise'");
	sqlite3_bind_int64(st, 1, account);
	while (store_next(st, &rc)) {
		int r = rank_of((const char *)sqlite3_column_text(st, 0));
		if (r > *rank)
			*rank = r;
	}
	return rc;
}
