/*
 * contributions.c: contributions and reputation without prices (issue 15,
 * section 6; docs/economy.md). Modelled on ValueFlows:
 *
 *   commitment    (vf:Commitment) what an enterprise decided, by its own
 *                 motion state_commitment, to provide: an action, what,
 *                 how much per period; a later decision replaces or ends
 *                 it (quantity 0)
 *   delivery      (vf:EconomicEvent) what it did provide: recorded by any
 *                 of its active members, a fact, not a decision; to a
 *                 person, to an enterprise, or to nobody named; against a
 *                 commitment or not
 *   appreciation  (vf:Appreciation) of one delivery, by whoever took it (or
 *                 a member of the enterprise that took it): a short text
 *                 and whether it met the need; no stars, no score
 *
 * What an enterprise took from the economy is the deliveries to it. The
 * record (economy_record) sets commitments against deliveries over a
 * window, month by month, for the assembly's standing reviews.
 *
 * Every effect is one journal entry applied by the same function live and
 * in replay: delivery.record, appreciation.add; a commitment is the
 * effect of an adopted motion (motion.decide).
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
#include "banned.h"

/* A delivery not corrected (nor a correction's replacement withdrawn):
 * what the record reads. d is the deliveries row's name in the query. */
#define IN_FORCE(d) " NOT EXISTS (SELECT 1 FROM delivery_corrections k" \
	" WHERE k.delivery_id = " d ".id)"

/* ValueFlows actions an enterprise's contribution takes, with words. */
static const char *const actions[] = {
	"deliverService", "Provide a service",
	"produce", "Produce goods",
	"transfer", "Hand over goods",
	NULL };

/* A period and its length in seconds (a Gregorian year's average month). */
static const struct {
	const char *name;
	int64_t seconds;
} periods[] = {
	{ "week", 604800 },
	{ "month", 2629746 },
	{ "quarter", 7889238 },
	{ "year", 31556952 },
};

static const char *const period_choices[] = {
	"week", N_("Each week"), "month", N_("Each month"), "quarter", N_("Each quarter"),
	"year", N_("Each year"), NULL };

static int64_t period_seconds(const char *name)
{
	for (size_t i = 0; i < sizeof(periods) / sizeof(periods[0]); i++)
		if (name && !strcmp(periods[i].name, name))
			return periods[i].seconds;
	return 0;
}

int economy_action_valid(const char *action)
{
	for (const char *const *a = actions; action && *a; a += 2)
		if (!strcmp(*a, action))
			return 1;
	return 0;
}

/* How much of a commitment of quantity per period falls in [from, to):
 * rounded half up, in whole units (exact integer arithmetic). */
static int64_t committed_in(int64_t quantity, int64_t period, int64_t from, int64_t to)
{
	if (to <= from || period <= 0)
		return 0;
	return (quantity * (to - from) + period / 2) / period;
}

/* ---- the kind: state_commitment ---- */

/* A commitment of this enterprise in force, by id. */
static int commitment_in_force(struct store *s, int64_t body_id, int64_t id, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM commitments WHERE id = ?"
				      " AND body_id = ? AND ended_by IS NULL");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, body_id);
	return store_exists(st, yes);
}

static int check_commitment(struct store *s, int64_t body_id, const struct kind_args *a,
			    json_t *canon, struct px_error *err)
{
	int64_t replaces = kind_num(a, "replaces");
	int yes = 0;
	(void)canon;
	if (kind_num(a, "quantity") == 0 && !replaces)
		return px_fail(err, PX_E_BAD_INPUT, "params.quantity", "a quantity of 0 ends"
			       " a commitment: name the one it ends (replaces)");
	if (!replaces)
		return 0;
	int rc = commitment_in_force(s, body_id, replaces, &yes);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_CONFLICT, "params.replaces", "commitment %lld is not"
			       " one of this enterprise's in force", (long long)replaces);
	return 0;
}

static int apply_commitment(struct store *s, const struct motion_effect *m, json_t *j,
			    struct px_error *err)
{
	const json_t *p = m->params;
	int64_t replaces = json_integer_value(json_object_get(p, "replaces"));
	int64_t quantity = json_integer_value(json_object_get(p, "quantity"));
	int rc = 0, yes = 0;
	if (replaces) {
		/* as at submission: another decision may have ended it since */
		if ((rc = commitment_in_force(s, m->body_id, replaces, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (!yes)
			return px_fail(err, PX_E_CONFLICT, "params.replaces", "commitment %lld"
				       " is no longer in force", (long long)replaces);
		sqlite3_stmt *st = store_stmt(s, "UPDATE commitments SET ended_by = ?,"
					      " ended_at = ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, m->motion_id);
		sqlite3_bind_int64(st, 2, m->now);
		sqlite3_bind_int64(st, 3, replaces);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
		json_object_set_new(j, "ended", json_integer(replaces));
	}
	if (!quantity)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO commitments(body_id, action, what,"
		" quantity, unit, period, motion_id, since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_text(st, 2, json_string_value(json_object_get(p, "action")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(p, "what")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, quantity);
	sqlite3_bind_text(st, 5, json_string_value(json_object_get(p, "unit")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 6, json_string_value(json_object_get(p, "period")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, m->motion_id);
	sqlite3_bind_int64(st, 8, m->now);
	int64_t id = 0;
	if ((rc = store_int64(st, &id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "commitment", json_integer(id));
	return 0;
}

static const struct kind_param commitment_params[] = {
	{ .name = "action", .type = KP_CHOICE, .required = 1, .choices = actions,
	  .label = N_("What kind of contribution") },
	{ .name = "what", .type = KP_TEXT, .required = 1, .min = 1, .max = 200,
	  .label = N_("What"), .help = N_("Bread, meals, bicycle repairs, lessons...") },
	{ .name = "quantity", .type = KP_INTEGER, .required = 1, .min = 0, .max = 1000000,
	  .label = N_("How much, each period"),
	  .help = N_("A whole number; 0 ends the commitment it replaces.") },
	{ .name = "unit", .type = KP_TEXT, .required = 1, .min = 1, .max = 40,
	  .label = N_("Counted in"), .help = N_("loaves, hours, meals, repairs...") },
	{ .name = "period", .type = KP_CHOICE, .required = 1, .choices = period_choices,
	  .label = N_("Each") },
	{ .name = "replaces", .type = KP_INTEGER, .min = 1, .max = INT32_MAX,
	  .label = N_("Replaces commitment (its number)"),
	  .help = N_("Left out: a new commitment beside the others.") },
	{ .name = NULL },
};

const struct motion_kind contribution_kinds[] = {
	{ .name = "state_commitment", .label = N_("State a commitment"),
	  .summary = N_("state what the enterprise commits to provide, how much, per period"
		     " (or change or end a commitment)"),
	  .check = check_commitment, .apply = apply_commitment,
	  .decided_by = KIND_BY_ENTERPRISE, .params = commitment_params },
	{ .name = NULL },
};

/* ---- small lookups ---- */

static int account_id_of(struct store *s, const char *handle, int64_t *id)
{
	*id = 0;
	if (!handle)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

/* An enterprise by slug: *id 0 when there is none. */
int economy_enterprise_id(struct store *s, const char *slug, int64_t *id)
{
	*id = 0;
	if (!slug || !gov_slug_valid(slug))
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM bodies WHERE slug = ?"
				      " AND kind = 'enterprise'");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	return store_int64(st, id, NULL);
}

static int active_in(struct store *s, int64_t body_id, int64_t account_id, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM memberships WHERE body_id = ?"
				      " AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, account_id);
	return store_exists(st, yes);
}

/* ---- deliveries: delivery.record ---- */

/* delivery.record {"enterprise","commitment"|null,"action","what",
 * "quantity","unit","to"|null,"to_enterprise"|null,"at","note"}, by a
 * member (actor); recorded at `at_now`. */
static int apply_delivery(struct store *s, const json_t *p, int64_t now, const char *actor,
			  int64_t *id, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "enterprise"));
	const char *action = json_string_value(json_object_get(p, "action"));
	const char *what = json_string_value(json_object_get(p, "what"));
	const char *unit = json_string_value(json_object_get(p, "unit"));
	const char *to = json_string_value(json_object_get(p, "to"));
	const char *to_ent = json_string_value(json_object_get(p, "to_enterprise"));
	const char *note = json_string_value(json_object_get(p, "note"));
	int64_t commitment = json_integer_value(json_object_get(p, "commitment"));
	int64_t quantity = json_integer_value(json_object_get(p, "quantity"));
	int64_t at = json_integer_value(json_object_get(p, "at"));
	int64_t body = 0, who = 0, to_id = 0, to_body = 0, founded = 0;
	int rc, yes = 0;
	if ((rc = economy_enterprise_id(s, slug, &body)))
		return rc;
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug ? slug : "");
	if ((rc = account_id_of(s, actor, &who)))
		return rc;
	if (who && (rc = active_in(s, body, who, &yes)))
		return rc;
	if (!who || !yes)
		return px_fail(err, PX_E_NOT_MEMBER, NULL, "only an active member of the"
			       " enterprise records what it delivered");
	if (!economy_action_valid(action) || !what || !unit || quantity < 1 || !note)
		return px_fail(err, PX_E_BAD_INPUT, NULL, "a delivery needs action, what,"
			       " quantity, unit and note");
	if (commitment) {
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM commitments WHERE id = ?"
					      " AND body_id = ?");
		sqlite3_bind_int64(st, 1, commitment);
		sqlite3_bind_int64(st, 2, body);
		if ((rc = store_exists(st, &yes)))
			return rc;
		if (!yes)
			return px_fail(err, PX_E_NOT_FOUND, "commitment", "this enterprise has no"
				       " commitment %lld", (long long)commitment);
	}
	if (to && to_ent)
		return px_fail(err, PX_E_BAD_INPUT, "to_enterprise", "a delivery goes to a"
			       " person or to an enterprise, not both");
	if (to) {
		if ((rc = account_id_of(s, to, &to_id)))
			return rc;
		if (!to_id)
			return px_fail(err, PX_E_NOT_FOUND, "to", "no account '%s'", to);
	}
	if (to_ent) {
		if ((rc = economy_enterprise_id(s, to_ent, &to_body)))
			return rc;
		if (!to_body)
			return px_fail(err, PX_E_NOT_FOUND, "to_enterprise", "no enterprise '%s'",
				       to_ent);
		if (to_body == body)
			return px_fail(err, PX_E_BAD_INPUT, "to_enterprise", "an enterprise does"
				       " not deliver to itself");
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT founded_at FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = store_int64(st, &founded, NULL)))
		return rc;
	if (at < founded || at > now)
		return px_fail(err, PX_E_OUT_OF_RANGE, "at", "a delivery is dated between the"
			       " enterprise's founding and now");
	st = store_stmt(s, "INSERT INTO deliveries(body_id, commitment_id, action, what,"
		" quantity, unit, to_account, to_body, note, at, recorded_by, recorded_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, body);
	if (commitment)
		sqlite3_bind_int64(st, 2, commitment);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, quantity);
	sqlite3_bind_text(st, 6, unit, -1, SQLITE_STATIC);
	if (to_id)
		sqlite3_bind_int64(st, 7, to_id);
	if (to_body)
		sqlite3_bind_int64(st, 8, to_body);
	sqlite3_bind_text(st, 9, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, at);
	sqlite3_bind_int64(st, 11, who);
	sqlite3_bind_int64(st, 12, now);
	return store_int64(st, id, NULL);
}

struct write_args {
	const struct gov_ctx *ctx;
	const char *slug;
	const char *action;
	json_t *payload;
	int64_t id;
	json_t *out;
	struct px_error *err;
};

static int delivery_json(struct store *s, int64_t id, json_t **out);
static int appreciation_json(struct store *s, int64_t id, json_t **out);

static int delivery_tx(struct store *s, void *arg)
{
	struct write_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	int64_t body = 0;
	/* the member check names the enterprise's membership as any body's */
	int rc = gov_require_active_member(a->ctx, a->slug, &body, a->err);
	if (!rc)
		rc = apply_delivery(s, a->payload, a->ctx->now, a->ctx->handle, &a->id, a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
				    "delivery.record", a->payload, NULL);
	if (!rc)
		rc = delivery_json(s, a->id, &a->out);
	return rc;
}

static int run_write(struct write_args *a, int (*fn)(struct store *, void *), json_t **out)
{
	int rc = store_tx(a->ctx->db, fn, a);
	json_decref(a->payload);
	if (rc) {
		json_decref(a->out);
		return a->err && !a->err->code ? px_fail(a->err, rc, NULL, NULL) : rc;
	}
	*out = a->out;
	return 0;
}

/* The delivery.record payload of in, checked (errors name the field). */
static int delivery_payload(const struct gov_ctx *ctx, const char *slug,
			    const struct delivery_in *in, json_t **payload,
			    struct px_error *err)
{
	int64_t body = 0;
	const char *action = in->action, *what = in->what, *unit = in->unit;
	json_t *from = NULL;
	int rc;
	if ((rc = economy_enterprise_id(ctx->db, slug, &body)))
		return px_fail(err, rc, NULL, NULL);
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug ? slug : "");
	if (in->commitment) {
		/* what and how it is counted default to the commitment's */
		sqlite3_stmt *st = store_stmt(ctx->db, "SELECT action, what, unit FROM"
					      " commitments WHERE id = ? AND body_id = ?");
		sqlite3_bind_int64(st, 1, in->commitment);
		sqlite3_bind_int64(st, 2, body);
		int row = 0;
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (!row)
			return px_fail(err, PX_E_NOT_FOUND, "commitment", "this enterprise has no"
				       " commitment %lld", (long long)in->commitment);
		from = json_pack("{s:s, s:s, s:s}",
				 "action", (const char *)sqlite3_column_text(st, 0),
				 "what", (const char *)sqlite3_column_text(st, 1),
				 "unit", (const char *)sqlite3_column_text(st, 2));
		sqlite3_reset(st);
		if (!from)
			return px_fail(err, PX_E_NOMEM, NULL, NULL);
		if (!action)
			action = json_string_value(json_object_get(from, "action"));
		if (!what)
			what = json_string_value(json_object_get(from, "what"));
		if (!unit)
			unit = json_string_value(json_object_get(from, "unit"));
	}
	if (!action)
		rc = px_fail(err, PX_E_MISSING_FIELD, "action", "what kind of contribution:"
			     " deliverService, produce or transfer (or name a commitment)");
	else if (!economy_action_valid(action))
		rc = px_fail(err, PX_E_BAD_INPUT, "action", "action is deliverService,"
			     " produce or transfer");
	else if (!what)
		rc = px_fail(err, PX_E_MISSING_FIELD, "what", "what was delivered (or name a"
			     " commitment)");
	else if (text_check_line(what, 1, 200))
		rc = px_fail(err, PX_E_BAD_INPUT, "what", "what has 1 to 200 characters on one"
			     " line");
	else if (!unit)
		rc = px_fail(err, PX_E_MISSING_FIELD, "unit", "what it is counted in (or name"
			     " a commitment)");
	else if (text_check_line(unit, 1, 40))
		rc = px_fail(err, PX_E_BAD_INPUT, "unit", "unit has 1 to 40 characters");
	else if (in->note && text_check_block(in->note, 0, 2000))
		rc = px_fail(err, PX_E_BAD_INPUT, "note", "a note has up to 2,000 characters");
	else if (in->to && in->to_enterprise)
		rc = px_fail(err, PX_E_BAD_INPUT, "to_enterprise", "a delivery goes to a"
			     " person or to an enterprise, not both");
	else if (in->has_at && (in->at > ctx->now || in->at < 0))
		rc = px_fail(err, PX_E_OUT_OF_RANGE, "at", "a delivery is dated between the"
			     " enterprise's founding and now");
	if (rc) {
		json_decref(from);
		return rc;
	}
	json_t *p = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:s}",
			      "enterprise", slug, "action", action, "what", what,
			      "quantity", (json_int_t)in->quantity, "unit", unit,
			      "at", (json_int_t)(in->has_at ? in->at : ctx->now),
			      "note", in->note ? in->note : "");
	json_decref(from);
	if (!p)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_object_set_new(p, "commitment", in->commitment
			    ? json_integer(in->commitment) : json_null());
	json_object_set_new(p, "to", in->to ? json_string(in->to) : json_null());
	json_object_set_new(p, "to_enterprise", in->to_enterprise
			    ? json_string(in->to_enterprise) : json_null());
	*payload = p;
	return 0;
}

int gov_delivery_record(const struct gov_ctx *ctx, const char *slug,
			const struct delivery_in *in, json_t **out, struct px_error *err)
{
	struct write_args a = { ctx, slug, NULL, NULL, 0, NULL, err };
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if ((rc = delivery_payload(ctx, slug, in, &a.payload, err)))
		return rc;
	return run_write(&a, delivery_tx, out);
}

/* ---- corrections: delivery.correct ---- */

/* delivery.correct {"enterprise","delivery","reason","replacement"}: the
 * delivery recorded by mistake (by actor, within the window) is corrected
 * by a new record that points at it: replacement, a delivery.record
 * payload, is what did happen, or null when nothing did. The old record
 * stays, marked; the record the assembly reads is the corrected one; an
 * appreciation of it follows to its replacement. */
static int apply_correction(struct store *s, const json_t *p, int64_t now,
			    const char *actor, int64_t *replacement, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "enterprise"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	const json_t *repl = json_object_get(p, "replacement");
	int64_t delivery = json_integer_value(json_object_get(p, "delivery"));
	int64_t body = 0, who = 0, by = 0, recorded = 0, at = 0, read_at = 0;
	int rc, row = 0, yes = 0;
	*replacement = 0;
	if ((rc = economy_enterprise_id(s, slug, &body)))
		return rc;
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug ? slug : "");
	if (!reason || (repl && !json_is_object(repl) && !json_is_null(repl)))
		return px_fail(err, PX_E_BAD_INPUT, NULL, "a correction needs a reason");
	if ((rc = account_id_of(s, actor, &who)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT recorded_by, recorded_at, at, coalesce(to_account,"
		" 0), coalesce(to_body, 0), EXISTS (SELECT 1 FROM delivery_corrections k WHERE"
		" k.delivery_id = d.id), EXISTS (SELECT 1 FROM delivery_corrections k WHERE"
		" k.replacement_id = d.id), EXISTS (SELECT 1 FROM appreciations x WHERE"
		" x.delivery_id = d.id) FROM deliveries d WHERE id = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, delivery);
	sqlite3_bind_int64(st, 2, body);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "delivery", "this enterprise recorded no"
			       " delivery %lld", (long long)delivery);
	by = sqlite3_column_int64(st, 0);
	recorded = sqlite3_column_int64(st, 1);
	at = sqlite3_column_int64(st, 2);
	int64_t to_account = sqlite3_column_int64(st, 3), to_body = sqlite3_column_int64(st, 4);
	int corrected = sqlite3_column_int(st, 5), is_replacement = sqlite3_column_int(st, 6);
	int appreciated = sqlite3_column_int(st, 7);
	sqlite3_reset(st);
	if (!who || who != by)
		return px_fail(err, PX_E_FORBIDDEN, "delivery", "only the member who recorded"
			       " a delivery corrects it");
	if ((rc = active_in(s, body, who, &yes)))
		return rc;
	if (!yes)
		return px_fail(err, PX_E_NOT_MEMBER, NULL, "only an active member of the"
			       " enterprise corrects what it recorded");
	if (corrected)
		return px_fail(err, PX_E_CONFLICT, "delivery", "delivery %lld is corrected"
			       " already", (long long)delivery);
	if (is_replacement)
		return px_fail(err, PX_E_CONFLICT, "delivery", "delivery %lld is itself a"
			       " correction: a record is corrected once", (long long)delivery);
	if (now - recorded > DELIVERY_CORRECTION_WINDOW)
		return px_fail(err, PX_E_CONFLICT, "delivery", "delivery %lld was recorded more"
			       " than %d days ago: the record stands", (long long)delivery,
			       DELIVERY_CORRECTION_WINDOW / 86400);
	/* a standing decision that read it keeps the record it read: the
	 * record is not changed under it */
	st = store_stmt(s, "SELECT coalesce(min(decided_at), 0) FROM standings"
			   " WHERE enterprise_id = ? AND decided_at >= ?");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = store_int64(st, &read_at, NULL)))
		return rc;
	if (read_at)
		return px_fail(err, PX_E_CONFLICT, "delivery", "the local assembly's standing"
			       " decision read delivery %lld, and cites it as it was: the"
			       " record stands", (long long)delivery);
	if (appreciated && !json_is_object(repl))
		return px_fail(err, PX_E_CONFLICT, "did_not_happen", "delivery %lld was appreciated"
			       " by whoever took it: it happened", (long long)delivery);
	if (json_is_object(repl)) {
		if ((rc = apply_delivery(s, repl, now, actor, replacement, err)))
			return rc;
		if (appreciated) {
			/* the appreciation is of what was taken: the same taker */
			st = store_stmt(s, "SELECT coalesce(to_account, 0) = ? AND"
					   " coalesce(to_body, 0) = ? FROM deliveries WHERE id = ?");
			sqlite3_bind_int64(st, 1, to_account);
			sqlite3_bind_int64(st, 2, to_body);
			sqlite3_bind_int64(st, 3, *replacement);
			int64_t same = 0;
			if ((rc = store_int64(st, &same, NULL)))
				return rc;
			if (!same)
				return px_fail(err, PX_E_CONFLICT, "to", "delivery %lld was"
					       " appreciated by whoever took it: it went to them",
					       (long long)delivery);
		}
	}
	st = store_stmt(s, "INSERT INTO delivery_corrections(delivery_id, replacement_id,"
			   " reason, by_account, at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, delivery);
	if (*replacement)
		sqlite3_bind_int64(st, 2, *replacement);
	sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, who);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = store_run(st)))
		return rc;
	if (appreciated && *replacement) {
		st = store_stmt(s, "UPDATE appreciations SET delivery_id = ? WHERE delivery_id = ?");
		sqlite3_bind_int64(st, 1, *replacement);
		sqlite3_bind_int64(st, 2, delivery);
		rc = store_run(st);
	}
	return rc;
}

struct correct_args {
	const struct gov_ctx *ctx;
	const char *slug;
	json_t *payload;
	json_t *out;
	struct px_error *err;
};

static int correction_tx(struct store *s, void *arg)
{
	struct correct_args *a = arg;
	int64_t body = 0, replacement = 0;
	json_decref(a->out);
	a->out = NULL;
	int rc = gov_require_active_member(a->ctx, a->slug, &body, a->err);
	if (!rc)
		rc = apply_correction(s, a->payload, a->ctx->now, a->ctx->handle, &replacement,
				      a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
				    "delivery.correct", a->payload, NULL);
	if (!rc)
		rc = delivery_json(s, json_integer_value(json_object_get(a->payload,
				   "delivery")), &a->out);
	return rc;
}

int gov_delivery_correct(const struct gov_ctx *ctx, const char *slug, int64_t delivery,
			 const char *reason, const struct delivery_in *in, json_t **out,
			 struct px_error *err)
{
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	int64_t body = 0;
	/* a member's act first: nothing of the enterprise is looked at before */
	if ((rc = gov_require_active_member(ctx, slug, &body, err)))
		return rc;
	if (!reason)
		return px_fail(err, PX_E_MISSING_FIELD, "reason", "say what the mistake was");
	if (text_check_block(reason, 1, 2000))
		return px_fail(err, PX_E_BAD_INPUT, "reason", "a reason has 1 to 2,000"
			       " characters");
	struct correct_args a = { ctx, slug, NULL, NULL, err };
	json_t *repl = json_null(), *old = NULL;
	if (in) {
		/* what did happen: the fields given, the others the old record's */
		int row = 0;
		sqlite3_stmt *st = store_stmt(ctx->db, "SELECT json_object('commitment',"
			" d.commitment_id, 'action', d.action, 'what', d.what, 'quantity',"
			" d.quantity, 'unit', d.unit, 'to', ta.handle, 'to_enterprise', tb.slug,"
			" 'note', d.note, 'at', d.at) FROM deliveries d JOIN bodies b ON"
			" b.id = d.body_id LEFT JOIN accounts ta ON ta.id = d.to_account"
			" LEFT JOIN bodies tb ON tb.id = d.to_body WHERE d.id = ? AND b.slug = ?");
		sqlite3_bind_int64(st, 1, delivery);
		sqlite3_bind_text(st, 2, slug ? slug : "", -1, SQLITE_TRANSIENT);
		if ((rc = store_step(st, &row)))
			return px_fail(err, rc, NULL, NULL);
		if (!row)
			return px_fail(err, PX_E_NOT_FOUND, "delivery", "this enterprise recorded"
				       " no delivery %lld", (long long)delivery);
		old = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		sqlite3_reset(st);
		if (!old)
			return px_fail(err, PX_E_NOMEM, NULL, NULL);
#define OLD_S(f) json_string_value(json_object_get(old, f))
		struct delivery_in d = *in;
		if (!d.commitment && !d.action && !d.what && !d.unit)
			d.commitment = json_integer_value(json_object_get(old, "commitment"));
		if (!d.action)
			d.action = OLD_S("action");
		if (!d.what)
			d.what = OLD_S("what");
		if (!d.unit)
			d.unit = OLD_S("unit");
		if (!d.quantity)
			d.quantity = json_integer_value(json_object_get(old, "quantity"));
		if (!d.to && !d.to_enterprise) {
			d.to = OLD_S("to");
			d.to_enterprise = OLD_S("to_enterprise");
		}
		if (!d.note)
			d.note = OLD_S("note");
		if (!d.has_at) {
			d.at = json_integer_value(json_object_get(old, "at"));
			d.has_at = 1;
		}
#undef OLD_S
		/* the same checks as any delivery recorded */
		rc = delivery_payload(ctx, slug, &d, &repl, err);
		if (rc) {
			json_decref(old);
			return rc;
		}
	}
	json_decref(old);
	a.payload = json_pack("{s:s, s:I, s:s, s:o}", "enterprise", slug ? slug : "",
			      "delivery", (json_int_t)delivery, "reason", reason,
			      "replacement", repl);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, correction_tx, &a);
	json_decref(a.payload);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

/* ---- appreciations: appreciation.add ---- */

/* The enterprise behalf (NULL: none) the caller who speaks for it:
 * *by_body, when it exists and they are one of its active members. */
static int speaks_for(struct store *s, int64_t who, const char *behalf, int64_t *by_body,
		      struct px_error *err)
{
	int rc, yes = 0;
	*by_body = 0;
	if (!behalf)
		return 0;
	if ((rc = economy_enterprise_id(s, behalf, by_body)))
		return rc;
	if (!*by_body)
		return px_fail(err, PX_E_NOT_FOUND, "on_behalf", "no enterprise '%s'", behalf);
	if ((rc = active_in(s, *by_body, who, &yes)))
		return rc;
	if (!yes)
		return px_fail(err, PX_E_FORBIDDEN, "on_behalf", "only an active member"
			       " of %s speaks for it", behalf);
	return 0;
}

/* appreciation.add {"enterprise","delivery","text","met_need",
 * "on_behalf"|null}, by the person who took it (actor). */
static int apply_appreciation(struct store *s, const json_t *p, int64_t now,
			      const char *actor, int64_t *id, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "enterprise"));
	const char *text = json_string_value(json_object_get(p, "text"));
	const char *behalf = json_string_value(json_object_get(p, "on_behalf"));
	int64_t delivery = json_integer_value(json_object_get(p, "delivery"));
	const json_t *met = json_object_get(p, "met_need");
	int64_t body = 0, who = 0, by_body = 0;
	int rc, yes = 0, row = 0;
	if ((rc = economy_enterprise_id(s, slug, &body)))
		return rc;
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug ? slug : "");
	if (!text || !json_is_boolean(met))
		return px_fail(err, PX_E_BAD_INPUT, NULL, "an appreciation needs text and"
			       " met_need");
	if ((rc = account_id_of(s, actor, &who)))
		return rc;
	if (!who)
		return px_fail(err, PX_E_UNAUTHENTICATED, NULL, NULL);
	if ((rc = active_in(s, body, who, &yes)))
		return rc;
	if (yes)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "members of an enterprise do not"
			       " appreciate its own work: those who took it do");
	if ((rc = speaks_for(s, who, behalf, &by_body, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT body_id = ?2, CASE WHEN ?3 > 0 THEN"
		" to_body = ?3 ELSE to_account = ?4 END, EXISTS (SELECT 1 FROM appreciations"
		" x WHERE x.delivery_id = d.id), NOT" IN_FORCE("d") " FROM deliveries d"
		" WHERE id = ?1");
	sqlite3_bind_int64(st, 1, delivery);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, by_body);
	sqlite3_bind_int64(st, 4, who);
	if ((rc = store_step(st, &row)))
		return rc;
	int here = row && sqlite3_column_int(st, 0);
	int theirs = row && sqlite3_column_int(st, 1);
	int done = row && sqlite3_column_int(st, 2);
	int corrected = row && sqlite3_column_int(st, 3);
	if (row)
		sqlite3_reset(st);
	if (!here)
		return px_fail(err, PX_E_NOT_FOUND, "delivery", "this enterprise recorded no"
			       " delivery %lld", (long long)delivery);
	if (!theirs)
		return px_fail(err, PX_E_APPRECIATION_NOTHING_TAKEN, "delivery", NULL);
	if (done)
		return px_fail(err, PX_E_CONFLICT, "delivery", "delivery %lld is appreciated"
			       " already", (long long)delivery);
	if (corrected)
		return px_fail(err, PX_E_CONFLICT, "delivery", "delivery %lld was corrected:"
			       " what happened is its correction", (long long)delivery);
	st = store_stmt(s, "INSERT INTO appreciations(delivery_id, by_account, by_body,"
			   " text, met_need, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, delivery);
	sqlite3_bind_int64(st, 2, who);
	if (by_body)
		sqlite3_bind_int64(st, 3, by_body);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, json_is_true(met));
	sqlite3_bind_int64(st, 6, now);
	return store_int64(st, id, NULL);
}

/* The delivery the caller appreciates when they name none: the latest to
 * them (or to the enterprise they speak for) not yet appreciated. */
static int pick_delivery(struct store *s, const struct gov_ctx *ctx, int64_t body,
			 const char *behalf, int64_t *delivery, struct px_error *err)
{
	int64_t by_body = 0, any = 0;
	int rc, found = 0;
	if ((rc = speaks_for(s, ctx->account_id, behalf, &by_body, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM deliveries d WHERE body_id = ?1"
		" AND CASE WHEN ?2 > 0 THEN to_body = ?2 ELSE to_account = ?3 END AND"
		IN_FORCE("d"));
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, by_body);
	sqlite3_bind_int64(st, 3, ctx->account_id);
	if ((rc = store_int64(st, &any, NULL)))
		return rc;
	if (!any)
		return px_fail(err, PX_E_APPRECIATION_NOTHING_TAKEN, NULL, NULL);
	st = store_stmt(s, "SELECT id FROM deliveries d WHERE body_id = ?1"
		" AND CASE WHEN ?2 > 0 THEN to_body = ?2 ELSE to_account = ?3 END"
		" AND NOT EXISTS (SELECT 1 FROM appreciations x WHERE x.delivery_id = d.id)"
		" AND" IN_FORCE("d") " ORDER BY at DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, by_body);
	sqlite3_bind_int64(st, 3, ctx->account_id);
	if ((rc = store_int64(st, delivery, &found)))
		return rc;
	if (!found)
		return px_fail(err, PX_E_CONFLICT, "delivery", "you appreciated every delivery"
			       " to you already");
	return 0;
}

static int appreciation_tx(struct store *s, void *arg)
{
	struct write_args *a = arg;
	json_decref(a->out);
	a->out = NULL;
	int64_t body = 0, delivery = json_integer_value(json_object_get(a->payload,
								       "delivery"));
	int rc = economy_enterprise_id(s, a->slug, &body);
	if (!rc && !body)
		rc = px_fail(a->err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", a->slug);
	int member = 0;
	if (!rc && !(rc = active_in(s, body, a->ctx->account_id, &member)) && member)
		rc = px_fail(a->err, PX_E_FORBIDDEN, NULL, "members of an enterprise do not"
			     " appreciate its own work: those who took it do");
	if (!rc && !delivery) {
		const char *behalf = json_string_value(json_object_get(a->payload,
								       "on_behalf"));
		rc = pick_delivery(s, a->ctx, body, behalf, &delivery, a->err);
		if (!rc)
			json_object_set_new(a->payload, "delivery", json_integer(delivery));
	}
	if (!rc)
		rc = apply_appreciation(s, a->payload, a->ctx->now, a->ctx->handle, &a->id,
					a->err);
	if (!rc)
		rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), a->slug,
				    "appreciation.add", a->payload, NULL);
	if (!rc)
		rc = appreciation_json(s, a->id, &a->out);
	return rc;
}

int gov_appreciation_add(const struct gov_ctx *ctx, const char *slug,
			 const struct appreciation_in *in, json_t **out,
			 struct px_error *err)
{
	struct write_args a = { ctx, slug, NULL, NULL, 0, NULL, err };
	int rc;
	*out = NULL;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	if (text_check_block(in->text ? in->text : "", 1, 1000))
		return px_fail(err, PX_E_BAD_INPUT, "text", "an appreciation has 1 to 1,000"
			       " characters");
	if (in->on_behalf && !gov_slug_valid(in->on_behalf))
		return px_fail(err, PX_E_NOT_FOUND, "on_behalf", "no enterprise '%s'",
			       in->on_behalf);
	a.payload = json_pack("{s:s, s:I, s:s, s:b}", "enterprise", slug ? slug : "",
			      "delivery", (json_int_t)in->delivery, "text", in->text,
			      "met_need", in->met_need);
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_object_set_new(a.payload, "on_behalf", in->on_behalf
			    ? json_string(in->on_behalf) : json_null());
	return run_write(&a, appreciation_tx, out);
}

/* ---- reading ---- */

#define DELIVERY_SELECT \
	"SELECT d.id, d.commitment_id, d.action, d.what, d.quantity, d.unit," \
	" ta.handle, ta.display_name, tb.slug, tb.name, d.note, d.at, ra.handle," \
	" d.recorded_at, b.slug, b.name, kc.replacement_id, kc.reason, kca.handle, kc.at," \
	" kc.delivery_id IS NOT NULL, kr.delivery_id, kr.reason, kca.display_name" \
	" FROM deliveries d" \
	" JOIN bodies b ON b.id = d.body_id" \
	" LEFT JOIN delivery_corrections kc ON kc.delivery_id = d.id" \
	" LEFT JOIN accounts kca ON kca.id = kc.by_account" \
	" LEFT JOIN delivery_corrections kr ON kr.replacement_id = d.id" \
	" JOIN accounts ra ON ra.id = d.recorded_by" \
	" LEFT JOIN accounts ta ON ta.id = d.to_account" \
	" LEFT JOIN bodies tb ON tb.id = d.to_body"

static json_t *text_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
		: json_string((const char *)sqlite3_column_text(st, col));
}

static json_t *delivery_row(sqlite3_stmt *st)
{
	json_t *d = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:s, s:I, s:s, s:s}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"action", (const char *)sqlite3_column_text(st, 2),
		"what", (const char *)sqlite3_column_text(st, 3),
		"quantity", (json_int_t)sqlite3_column_int64(st, 4),
		"unit", (const char *)sqlite3_column_text(st, 5),
		"note", (const char *)sqlite3_column_text(st, 10),
		"at", (json_int_t)sqlite3_column_int64(st, 11),
		"recorded_by", (const char *)sqlite3_column_text(st, 12),
		"recorded_at", (json_int_t)sqlite3_column_int64(st, 13),
		"enterprise", (const char *)sqlite3_column_text(st, 14),
		"enterprise_name", (const char *)sqlite3_column_text(st, 15));
	if (!d)
		return NULL;
	json_object_set_new(d, "commitment", sqlite3_column_type(st, 1) == SQLITE_NULL
			    ? json_null() : json_integer(sqlite3_column_int64(st, 1)));
	json_object_set_new(d, "to", text_or_null(st, 6));
	json_object_set_new(d, "to_name", text_or_null(st, 7));
	json_object_set_new(d, "to_enterprise", text_or_null(st, 8));
	json_object_set_new(d, "to_enterprise_name", text_or_null(st, 9));
	/* corrected: by whom, when, why, and by which record (none: it did
	 * not happen); a correction: the record it corrects, and why */
	json_object_set_new(d, "corrected", !sqlite3_column_int(st, 20) ? json_null()
		: json_pack("{s:o, s:s, s:s, s:s, s:I}", "replacement",
			    sqlite3_column_type(st, 16) == SQLITE_NULL ? json_null()
			    : json_integer(sqlite3_column_int64(st, 16)),
			    "reason", (const char *)sqlite3_column_text(st, 17),
			    "by", (const char *)sqlite3_column_text(st, 18),
			    "by_name", (const char *)sqlite3_column_text(st, 23),
			    "at", (json_int_t)sqlite3_column_int64(st, 19)));
	json_object_set_new(d, "corrects", sqlite3_column_type(st, 21) == SQLITE_NULL
		? json_null() : json_pack("{s:I, s:s}", "delivery",
			(json_int_t)sqlite3_column_int64(st, 21),
			"reason", (const char *)sqlite3_column_text(st, 22)));
	return d;
}

/* The one row of sql (ending in a "WHERE ... id = ?") for id, made by fn: a
 * row just written, so its absence is an internal error. */
static int one_row_json(struct store *s, const char *sql, int64_t id,
			json_t *(*fn)(sqlite3_stmt *), json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_INTERNAL;
	*out = fn(st);
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

static int delivery_json(struct store *s, int64_t id, json_t **out)
{
	return one_row_json(s, DELIVERY_SELECT " WHERE d.id = ?", id, delivery_row, out);
}

#define APPRECIATION_SELECT \
	"SELECT x.id, x.delivery_id, a.handle, a.display_name, bb.slug, bb.name, x.text," \
	" x.met_need, x.at, d.what, d.quantity, d.unit, d.at FROM appreciations x" \
	" JOIN deliveries d ON d.id = x.delivery_id" \
	" JOIN accounts a ON a.id = x.by_account" \
	" LEFT JOIN bodies bb ON bb.id = x.by_body"

static json_t *appreciation_row(sqlite3_stmt *st)
{
	json_t *x = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:I, s:s, s:I, s:s, s:I}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"delivery", (json_int_t)sqlite3_column_int64(st, 1),
		"by", (const char *)sqlite3_column_text(st, 2),
		"by_name", (const char *)sqlite3_column_text(st, 3),
		"text", (const char *)sqlite3_column_text(st, 6),
		"met_need", sqlite3_column_int(st, 7),
		"at", (json_int_t)sqlite3_column_int64(st, 8),
		"what", (const char *)sqlite3_column_text(st, 9),
		"quantity", (json_int_t)sqlite3_column_int64(st, 10),
		"unit", (const char *)sqlite3_column_text(st, 11),
		"delivered_at", (json_int_t)sqlite3_column_int64(st, 12));
	if (!x)
		return NULL;
	json_object_set_new(x, "on_behalf", text_or_null(st, 4));
	json_object_set_new(x, "on_behalf_name", text_or_null(st, 5));
	return x;
}

static int appreciation_json(struct store *s, int64_t id, json_t **out)
{
	return one_row_json(s, APPRECIATION_SELECT " WHERE x.id = ?", id, appreciation_row, out);
}

/* Rows of st, each made by fn, appended to list. */
static int rows_into(sqlite3_stmt *st, json_t *(*fn)(sqlite3_stmt *), json_t *list)
{
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *v = fn(st);
		if (!v || json_array_append_new(list, v)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

static json_t *commitment_row(sqlite3_stmt *st)
{
	json_t *c = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:I}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"action", (const char *)sqlite3_column_text(st, 1),
		"what", (const char *)sqlite3_column_text(st, 2),
		"quantity", (json_int_t)sqlite3_column_int64(st, 3),
		"unit", (const char *)sqlite3_column_text(st, 4),
		"period", (const char *)sqlite3_column_text(st, 5),
		"motion", (json_int_t)sqlite3_column_int64(st, 6),
		"since", (json_int_t)sqlite3_column_int64(st, 7));
	if (!c)
		return NULL;
	json_object_set_new(c, "ended_by", sqlite3_column_type(st, 8) == SQLITE_NULL
			    ? json_null() : json_integer(sqlite3_column_int64(st, 8)));
	json_object_set_new(c, "ended_at", sqlite3_column_type(st, 9) == SQLITE_NULL
			    ? json_null() : json_integer(sqlite3_column_int64(st, 9)));
	return c;
}

#define COMMITMENT_SELECT \
	"SELECT id, action, what, quantity, unit, period, motion_id, since, ended_by," \
	" ended_at FROM commitments"

/* The first moment of the UTC month holding t, and of the next. */
static int64_t month_start(int64_t t, int next)
{
	struct civil_time c;
	civil_from_seconds(t, &c);
	int64_t idx = civil_month_index(c.year, c.month) + (next ? 1 : 0), y;
	int mo;
	civil_from_month_index(idx, &y, &mo);
	return civil_days_from(y, mo, 1) * 86400;
}

/* Month by month, from the month of from to the month of to: what each
 * commitment in force asked for and what was delivered against it. */
static int months_json(struct store *s, int64_t body_id, const json_t *commitments,
		       int64_t from, int64_t to, json_t **out)
{
	json_t *months = json_array();
	int rc = 0;
	for (int64_t m = month_start(from, 0); !rc && m <= to; m = month_start(m, 1)) {
		/* the window includes its last second */
		int64_t end = month_start(m, 1), lo = m < from ? from : m;
		int64_t hi = end > to + 1 ? to + 1 : end;
		struct civil_time c;
		char label[16];
		civil_from_seconds(m, &c);
		snprintf(label, sizeof(label), "%04lld-%02d", (long long)c.year, c.month);
		json_t *row = json_pack("{s:s, s:I, s:[]}", "month", label, "start",
					(json_int_t)m, "commitments");
		json_t *list = json_object_get(row, "commitments");
		size_t i;
		const json_t *k;
		json_array_foreach(commitments, i, k) {
			int64_t since = json_integer_value(json_object_get(k, "since"));
			const json_t *e = json_object_get(k, "ended_at");
			int64_t until = json_is_integer(e) ? json_integer_value(e) : to + 1;
			int64_t a = since > lo ? since : lo, b = until < hi ? until : hi;
			int64_t due = committed_in(json_integer_value(json_object_get(k,
				"quantity")), period_seconds(json_string_value(
				json_object_get(k, "period"))), a, b);
			int64_t got = 0, id = json_integer_value(json_object_get(k, "id"));
			sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(sum(quantity), 0)"
				" FROM deliveries d WHERE body_id = ? AND commitment_id = ?"
				" AND at >= ? AND at < ? AND" IN_FORCE("d"));
			sqlite3_bind_int64(st, 1, body_id);
			sqlite3_bind_int64(st, 2, id);
			sqlite3_bind_int64(st, 3, lo);
			sqlite3_bind_int64(st, 4, hi);
			if ((rc = store_int64(st, &got, NULL)))
				break;
			if (b <= a && !got)
				continue; /* not in force this month, nothing against it */
			json_array_append_new(list, json_pack("{s:I, s:I, s:I}", "id",
				(json_int_t)id, "committed", (json_int_t)due,
				"delivered", (json_int_t)got));
		}
		json_array_append_new(months, row);
	}
	if (rc) {
		json_decref(months);
		return rc;
	}
	*out = months;
	return 0;
}

int economy_record(struct store *s, int64_t body_id, int64_t from, int64_t to,
		   int with_months, json_t **out)
{
	json_t *r = json_pack("{s:I, s:I, s:[], s:[]}", "from", (json_int_t)from,
			      "to", (json_int_t)to, "commitments", "took");
	json_t *all = json_array();
	int rc = 0;
	*out = NULL;
	if (!r || !all) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* the commitments in force at some moment of the window */
	sqlite3_stmt *st = store_stmt(s, COMMITMENT_SELECT " WHERE body_id = ?"
		" AND since <= ? AND (ended_at IS NULL OR ended_at > ?) ORDER BY id");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, from);
	if ((rc = rows_into(st, commitment_row, all)))
		goto out;
	size_t i;
	json_t *k;
	json_array_foreach(all, i, k) {
		int64_t since = json_integer_value(json_object_get(k, "since"));
		const json_t *e = json_object_get(k, "ended_at");
		int64_t until = json_is_integer(e) ? json_integer_value(e) : to + 1;
		int64_t a = since > from ? since : from, b = until < to + 1 ? until : to + 1;
		int64_t got = 0;
		st = store_stmt(s, "SELECT coalesce(sum(quantity), 0) FROM deliveries d"
				   " WHERE commitment_id = ? AND at >= ? AND at < ? AND"
				   IN_FORCE("d"));
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(k, "id")));
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_int64(st, 3, to + 1);
		if ((rc = store_int64(st, &got, NULL)))
			goto out;
		json_t *c = json_pack("{s:O, s:O, s:O, s:O, s:O, s:I, s:I}",
			"id", json_object_get(k, "id"), "what", json_object_get(k, "what"),
			"unit", json_object_get(k, "unit"),
			"quantity", json_object_get(k, "quantity"),
			"period", json_object_get(k, "period"),
			"committed", (json_int_t)committed_in(
				json_integer_value(json_object_get(k, "quantity")),
				period_seconds(json_string_value(json_object_get(k, "period"))),
				a, b),
			"delivered", (json_int_t)got);
		if (!c) {
			rc = PX_E_NOMEM;
			goto out;
		}
		json_array_append_new(json_object_get(r, "commitments"), c);
	}
	/* deliveries besides commitments, appreciations: counts */
	int64_t others = 0, met = 0, unmet = 0;
	st = store_stmt(s, "SELECT count(*) FROM deliveries d WHERE body_id = ?"
			   " AND commitment_id IS NULL AND at >= ? AND at <= ? AND"
			   IN_FORCE("d"));
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	if ((rc = store_int64(st, &others, NULL)))
		goto out;
	st = store_stmt(s, "SELECT coalesce(sum(x.met_need), 0), coalesce(sum(1 -"
		" x.met_need), 0) FROM appreciations x JOIN deliveries d ON d.id = x.delivery_id"
		" WHERE d.body_id = ? AND x.at >= ? AND x.at <= ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	int row = 0;
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		met = sqlite3_column_int64(st, 0);
		unmet = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	json_object_set_new(r, "other_deliveries", json_integer(others));
	json_object_set_new(r, "appreciations", json_pack("{s:I, s:I}", "met_need",
		(json_int_t)met, "did_not", (json_int_t)unmet));
	/* what it took: deliveries to it, by what and from whom */
	st = store_stmt(s, "SELECT b.slug, b.name, d.what, d.unit, sum(d.quantity), count(*)"
		" FROM deliveries d JOIN bodies b ON b.id = d.body_id WHERE d.to_body = ?"
		" AND d.at >= ? AND d.at <= ? AND" IN_FORCE("d") " GROUP BY b.slug, d.what,"
		" d.unit"
		" ORDER BY b.name, d.what LIMIT 200");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while (store_next(st, &rc))
		json_array_append_new(json_object_get(r, "took"), json_pack(
			"{s:s, s:s, s:s, s:s, s:I, s:I}",
			"from", (const char *)sqlite3_column_text(st, 0),
			"from_name", (const char *)sqlite3_column_text(st, 1),
			"what", (const char *)sqlite3_column_text(st, 2),
			"unit", (const char *)sqlite3_column_text(st, 3),
			"quantity", (json_int_t)sqlite3_column_int64(st, 4),
			"times", (json_int_t)sqlite3_column_int64(st, 5)));
	if (rc)
		goto out;
	if (with_months) {
		json_t *months = NULL;
		if ((rc = months_json(s, body_id, all, from, to, &months)))
			goto out;
		json_object_set_new(r, "months", months);
	}
out:
	json_decref(all);
	if (rc) {
		json_decref(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* An enterprise's commitments (all, newest first), its latest deliveries,
 * what it took, its appreciations, and the record of the last year month
 * by month. */
int gov_contributions_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
			  struct px_error *err)
{
	int64_t body = 0;
	json_t *c = NULL;
	*out = NULL;
	int rc = economy_enterprise_id(ctx->db, slug, &body);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no enterprise '%s'", slug ? slug : "");
	c = json_pack("{s:s, s:[], s:[], s:[], s:[]}", "enterprise", slug, "commitments",
		      "deliveries", "took", "appreciations");
	if (!c) {
		rc = PX_E_NOMEM;
		goto out;
	}
	sqlite3_stmt *st = store_stmt(ctx->db, COMMITMENT_SELECT " WHERE body_id = ?"
				      " ORDER BY ended_by IS NOT NULL, id DESC LIMIT 1000");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = rows_into(st, commitment_row, json_object_get(c, "commitments"))))
		goto out;
	st = store_stmt(ctx->db, DELIVERY_SELECT " WHERE d.body_id = ? ORDER BY d.at DESC,"
			" d.id DESC LIMIT 200");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = rows_into(st, delivery_row, json_object_get(c, "deliveries"))))
		goto out;
	st = store_stmt(ctx->db, DELIVERY_SELECT " WHERE d.to_body = ? ORDER BY d.at DESC,"
			" d.id DESC LIMIT 200");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = rows_into(st, delivery_row, json_object_get(c, "took"))))
		goto out;
	st = store_stmt(ctx->db, APPRECIATION_SELECT " WHERE d.body_id = ? ORDER BY x.at"
			" DESC, x.id DESC LIMIT 500");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = rows_into(st, appreciation_row, json_object_get(c, "appreciations"))))
		goto out;
	json_t *record = NULL;
	int64_t from = month_start(ctx->now, 0);
	struct civil_time t;
	civil_from_seconds(from, &t);
	/* this month and the eleven before it */
	int64_t y;
	int mo;
	civil_from_month_index(civil_month_index(t.year, t.month) - 11, &y, &mo);
	from = civil_days_from(y, mo, 1) * 86400;
	if ((rc = economy_record(ctx->db, body, from, ctx->now, 1, &record)))
		goto out;
	json_object_set_new(c, "record", record);
	*out = c;
	return 0;
out:
	json_decref(c);
	return px_fail(err, rc, NULL, NULL);
}

/* ---- ValueFlows, as JSON-LD ---- */

static json_t *vf_quantity(json_int_t n, const char *unit)
{
	return json_pack("{s:s, s:I, s:s}", "@type", "om2:Measure",
			 "om2:hasNumericalValue", n, "om2:hasUnit", unit);
}

/* xsd:dateTime in UTC: "YYYY-MM-DDTHH:MM:SSZ". */
static json_t *iso_time(int64_t t)
{
	struct civil_time c;
	char buf[20], out[24];
	civil_from_seconds(t, &c);
	civil_format(&c, buf);
	snprintf(out, sizeof(out), "%sZ", buf);
	return json_string(out);
}

static json_t *agent_id(const char *kind, const char *key)
{
	char buf[160];
	snprintf(buf, sizeof(buf), "urn:pnyx:%s:%s", kind, key);
	return json_string(buf);
}

int gov_valueflows(const struct gov_ctx *ctx, const char *slug, json_t **out,
		   struct px_error *err)
{
	json_t *c = NULL, *graph = json_array(), *doc = NULL;
	int rc = gov_contributions_get(ctx, slug, &c, err);
	size_t i;
	json_t *v;
	*out = NULL;
	if (rc) {
		json_decref(graph);
		return rc;
	}
	json_t *me = agent_id("enterprise", slug);
	json_array_append_new(graph, json_pack("{s:O, s:s}", "@id", me, "@type",
					       "vf:Agent"));
	json_array_foreach(json_object_get(c, "commitments"), i, v) {
		char id[64];
		snprintf(id, sizeof(id), "urn:pnyx:commitment:%lld",
			 (long long)json_integer_value(json_object_get(v, "id")));
		json_t *n = json_pack("{s:s, s:s, s:s, s:O, s:O, s:o, s:s, s:o}",
			"@id", id, "@type", "vf:Commitment",
			"vf:action", json_string_value(json_object_get(v, "action")),
			"vf:provider", me, "vf:note", json_object_get(v, "what"),
			"vf:resourceQuantity", vf_quantity(json_integer_value(
				json_object_get(v, "quantity")),
				json_string_value(json_object_get(v, "unit"))),
			"pnyx:period", json_string_value(json_object_get(v, "period")),
			"vf:created", iso_time(json_integer_value(json_object_get(v, "since"))));
		json_t *end = json_object_get(v, "ended_at");
		if (json_is_integer(end))
			json_object_set_new(n, "vf:finished", json_true());
		json_array_append_new(graph, n);
	}
	for (int took = 0; took < 2; took++) {
		json_array_foreach(json_object_get(c, took ? "took" : "deliveries"), i, v) {
			char id[64];
			snprintf(id, sizeof(id), "urn:pnyx:event:%lld",
				 (long long)json_integer_value(json_object_get(v, "id")));
			json_t *n = json_pack("{s:s, s:s, s:s, s:o, s:O, s:o, s:o}",
				"@id", id, "@type", "vf:EconomicEvent",
				"vf:action", json_string_value(json_object_get(v, "action")),
				"vf:provider", agent_id("enterprise", json_string_value(
					json_object_get(v, "enterprise"))),
				"vf:note", json_object_get(v, "what"),
				"vf:resourceQuantity", vf_quantity(json_integer_value(
					json_object_get(v, "quantity")),
					json_string_value(json_object_get(v, "unit"))),
				"vf:hasPointInTime", iso_time(json_integer_value(
					json_object_get(v, "at"))));
			const char *to = json_string_value(json_object_get(v, "to"));
			const char *toe = json_string_value(json_object_get(v, "to_enterprise"));
			if (to)
				json_object_set_new(n, "vf:receiver", agent_id("person", to));
			else if (toe)
				json_object_set_new(n, "vf:receiver", agent_id("enterprise", toe));
			const json_t *k = json_object_get(v, "commitment");
			if (json_is_integer(k)) {
				char kid[64];
				snprintf(kid, sizeof(kid), "urn:pnyx:commitment:%lld",
					 (long long)json_integer_value(k));
				json_object_set_new(n, "vf:fulfills", json_pack("{s:s, s:s}",
					"@type", "vf:Fulfillment", "vf:fulfills", kid));
			}
			/* a correction is an event that corrects another (vf:corrects);
			 * one corrected by none did not happen (pnyx:withdrawn) */
			const json_t *cr = json_object_get(v, "corrects");
			if (json_is_object(cr)) {
				char was[64];
				snprintf(was, sizeof(was), "urn:pnyx:event:%lld", (long long)
					 json_integer_value(json_object_get(cr, "delivery")));
				json_object_set_new(n, "vf:corrects", json_string(was));
			}
			const json_t *cd = json_object_get(v, "corrected");
			if (json_is_object(cd) && json_is_null(json_object_get(cd, "replacement")))
				json_object_set(n, "pnyx:withdrawn", json_object_get(cd, "reason"));
			json_array_append_new(graph, n);
		}
	}
	json_array_foreach(json_object_get(c, "appreciations"), i, v) {
		char id[64], of[64];
		snprintf(id, sizeof(id), "urn:pnyx:appreciation:%lld",
			 (long long)json_integer_value(json_object_get(v, "id")));
		snprintf(of, sizeof(of), "urn:pnyx:event:%lld",
			 (long long)json_integer_value(json_object_get(v, "delivery")));
		const char *behalf = json_string_value(json_object_get(v, "on_behalf"));
		json_array_append_new(graph, json_pack("{s:s, s:s, s:s, s:o, s:O, s:O, s:o}",
			"@id", id, "@type", "vf:Appreciation", "vf:appreciationOf", of,
			"pnyx:by", behalf ? agent_id("enterprise", behalf)
				: agent_id("person", json_string_value(json_object_get(v, "by"))),
			"vf:note", json_object_get(v, "text"),
			"pnyx:metNeed", json_object_get(v, "met_need"),
			"pnyx:at", iso_time(json_integer_value(json_object_get(v, "at")))));
	}
	doc = json_pack("{s:{s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}},"
			" s:o}",
		"@context", "vf", "https://w3id.org/valueflows/ont/vf#",
		"om2", "http://www.ontology-of-units-of-measure.org/resource/om-2/",
		"pnyx", "urn:pnyx:terms:",
		"vf:provider", "@type", "@id", "vf:receiver", "@type", "@id",
		"vf:appreciationOf", "@type", "@id", "vf:fulfills", "@type", "@id",
		"@graph", graph);
	json_decref(me);
	json_decref(c);
	if (!doc)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	*out = doc;
	return 0;
}

/* ---- replay ---- */

static const char *const owned[] = { "delivery.record", "delivery.correct",
				     "appreciation.add", "standing.basis", NULL };

int contributions_owns(const char *action, size_t len)
{
	for (const char *const *a = owned; *a; a++)
		if (strlen(*a) == len && !memcmp(*a, action, len))
			return 1;
	return 0;
}

int contributions_replay(struct store *s, const char *action, const json_t *payload,
			 int64_t at, const char *actor, struct px_error *err)
{
	int64_t id = 0;
	if (!strcmp(action, "delivery.record"))
		return apply_delivery(s, payload, at, actor, &id, err);
	if (!strcmp(action, "delivery.correct"))
		return apply_correction(s, payload, at, actor, &id, err);
	if (!strcmp(action, "appreciation.add"))
		return apply_appreciation(s, payload, at, actor, &id, err);
	if (!strcmp(action, "standing.basis"))
		return standing_apply_basis(s, payload, at, actor, err);
	return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
}
