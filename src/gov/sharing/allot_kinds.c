/*
 * allot_kinds.c: what a local assembly of a sharing economy decides for
 * those outside it, and for barter with them (sharing.h, docs/sharing.md
 * "Households, allotments and barter"):
 *
 *   allot_means       {"household": short name | "workshop": enterprise,
 *                      "what", "quantity", "unit", "purpose", "priority",
 *                      "until"}: land or means of production allotted to a
 *                      household that opted out, or to a workshop of this
 *                      assembly's economy, for a purpose, "according to
 *                      availability and with priority to those who
 *                      contribute": the assembly states the priority basis
 *                      it found (priority). Listed with its decision until
 *                      revoked (or its end date passes).
 *   revoke_allotment  {"allotment": id}: only by the assembly that allotted
 *                      it, by decision, with its reasons (the text)
 *   set_barter_terms  {"taken_goods": "refused"|"allowed", "classes": text}:
 *                      the terms of membership that constrain what this
 *                      assembly's members (and its community's enterprises)
 *                      barter with households outside the economy: goods
 *                      taken from the economy, and named classes of goods
 *                      ("medicine; seed grain"). The latest terms count.
 *
 * Each rule is checked at submission and again when the decision takes
 * effect (and so in replay, which applies the decision again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/text.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

#define CLASSES_MAX 12
#define CLASS_NAME_MAX 60

/* The economy the assembly is in now (0: none). */
static int economy_of(struct store *s, int64_t body_id, int64_t *economy)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT economy_id FROM sharing_assemblies"
				      " WHERE body_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, body_id);
	return store_int64(st, economy, NULL);
}

static int in_economy(struct store *s, int64_t body_id, int64_t *economy,
		      struct px_error *err)
{
	int rc = economy_of(s, body_id, economy);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!*economy)
		return px_fail(err, PX_E_SHARING_OUTSIDE, "kind", "this assembly is in no"
			       " sharing economy: it joins one first, by decision");
	return 0;
}

/* The allotment's party: exactly one of household and workshop, which
 * may receive from this assembly; *hid or *ent set. */
static int allot_party(struct store *s, int64_t body_id, const char *household,
		       const char *workshop, int64_t *hid, int64_t *ent, struct px_error *err)
{
	int64_t economy = 0, theirs = 0;
	int rc, yes = 0;
	*hid = *ent = 0;
	if ((rc = in_economy(s, body_id, &economy, err)))
		return rc;
	if (*household && *workshop)
		return px_fail(err, PX_E_BAD_INPUT, "params.workshop", "a household or a"
			       " workshop, not both");
	if (!*household && !*workshop)
		return px_fail(err, PX_E_MISSING_FIELD, "params.household", "to whom: a"
			       " household that opted out, or a workshop");
	if (*household) {
		if ((rc = household_id(s, household, hid)))
			return px_fail(err, rc, NULL, NULL);
		if (!*hid)
			return px_fail(err, PX_E_NOT_FOUND, "params.household", "no household"
				       " '%s'", household);
		if ((rc = household_opted_out(s, *hid, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (!yes)
			return px_fail(err, PX_E_CONFLICT, "params.household", "this household"
				       " has not opted out of the sharing economy: its members take"
				       " from the register; land and means are allotted to those"
				       " outside it");
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM household_members h JOIN"
			" memberships m ON m.account_id = h.account_id AND m.status = 'active'"
			" WHERE h.household_id = ? AND h.joined_at IS NOT NULL AND h.left_at IS"
			" NULL AND m.body_id = ?");
		sqlite3_bind_int64(st, 1, *hid);
		sqlite3_bind_int64(st, 2, body_id);
		if ((rc = store_exists(st, &yes)))
			return px_fail(err, rc, NULL, NULL);
		if (!yes)
			return px_fail(err, PX_E_CONFLICT, "params.household", "none of this"
				       " household's members is a member of this assembly");
		return 0;
	}
	if ((rc = economy_enterprise_id(s, workshop, ent)))
		return px_fail(err, rc, NULL, NULL);
	if (!*ent)
		return px_fail(err, PX_E_NOT_FOUND, "params.workshop", "no enterprise '%s'",
			       workshop);
	if ((rc = sharing_economy_of_enterprise(s, *ent, &theirs)))
		return px_fail(err, rc, NULL, NULL);
	if (theirs != economy)
		return px_fail(err, PX_E_SHARING_OUTSIDE, "params.workshop", "this workshop is"
			       " not in this assembly's sharing economy");
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM bodies e JOIN bodies l ON"
				      " l.community_id = e.community_id WHERE e.id = ? AND l.id = ?");
	sqlite3_bind_int64(st, 1, *ent);
	sqlite3_bind_int64(st, 2, body_id);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	if (!yes)
		return px_fail(err, PX_E_CONFLICT, "params.workshop", "a workshop of this"
			       " assembly's community");
	return 0;
}

static int allot_texts(const char *what, const char *purpose, const char *priority,
		       const char *unit, int64_t quantity, struct px_error *err)
{
	int rc;
	if ((rc = sharing_money_check(what, "params.what", err)) ||
	    (rc = sharing_money_check(purpose, "params.purpose", err)) ||
	    (rc = sharing_money_check(priority, "params.priority", err)) ||
	    (rc = sharing_money_check(unit, "params.unit", err)))
		return rc;
	if (quantity && (!unit || !*unit))
		return px_fail(err, PX_E_MISSING_FIELD, "params.unit", "what the quantity is"
			       " counted in (hectares, hours, tools)");
	if (!quantity && unit && *unit)
		return px_fail(err, PX_E_MISSING_FIELD, "params.quantity", "how many of the"
			       " unit");
	return 0;
}

static int check_allot(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	int64_t hid = 0, ent = 0;
	(void)canon;
	int rc = allot_party(s, body_id, kind_text(a, "household"), kind_text(a, "workshop"),
			     &hid, &ent, err);
	if (!rc)
		rc = allot_texts(kind_text(a, "what"), kind_text(a, "purpose"),
				 kind_text(a, "priority"), kind_text(a, "unit"),
				 kind_num(a, "quantity"), err);
	return rc;
}

static const char *param_text(const json_t *params, const char *name)
{
	const char *t = json_string_value(json_object_get(params, name));
	return t ? t : "";
}

static int apply_allot(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	const json_t *p = m->params;
	int64_t hid = 0, ent = 0, id = 0;
	int64_t quantity = json_integer_value(json_object_get(p, "quantity"));
	const json_t *until = json_object_get(p, "until");
	int rc = allot_party(s, m->body_id, param_text(p, "household"),
			     param_text(p, "workshop"), &hid, &ent, err);
	if (!rc)
		rc = allot_texts(param_text(p, "what"), param_text(p, "purpose"),
				 param_text(p, "priority"), param_text(p, "unit"), quantity, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO allotments(body_id, motion_id,"
		" household_id, enterprise_id, what, quantity, unit, purpose, priority, until,"
		" at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, m->motion_id);
	if (hid)
		sqlite3_bind_int64(st, 3, hid);
	if (ent)
		sqlite3_bind_int64(st, 4, ent);
	sqlite3_bind_text(st, 5, param_text(p, "what"), -1, SQLITE_STATIC);
	if (quantity)
		sqlite3_bind_int64(st, 6, quantity);
	sqlite3_bind_text(st, 7, param_text(p, "unit"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, param_text(p, "purpose"), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, param_text(p, "priority"), -1, SQLITE_STATIC);
	if (json_is_integer(until))
		sqlite3_bind_int64(st, 10, json_integer_value(until));
	sqlite3_bind_int64(st, 11, m->now);
	if ((rc = store_int64(st, &id, NULL)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "allotment", json_integer(id));
	return 0;
}

/* The allotment id may be revoked by body_id. */
static int revocable(struct store *s, int64_t body_id, int64_t id, struct px_error *err)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT body_id, revoked_at IS NOT NULL FROM"
				      " allotments WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.allotment", "no allotment %lld",
			       (long long)id);
	int64_t by = sqlite3_column_int64(st, 0);
	int gone = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	if (by != body_id)
		return px_fail(err, PX_E_FORBIDDEN, "params.allotment", "only the assembly"
			       " that allotted it revokes it, by its own decision");
	if (gone)
		return px_fail(err, PX_E_CONFLICT, "params.allotment", "this allotment was"
			       " revoked already");
	return 0;
}

static int check_revoke(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	return revocable(s, body_id, kind_num(a, "allotment"), err);
}

static int apply_revoke(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err)
{
	int64_t id = json_integer_value(json_object_get(m->params, "allotment"));
	int rc = revocable(s, m->body_id, id, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE allotments SET revoked_by = ?, revoked_at"
				      " = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "revoked", json_integer(id));
	return 0;
}

/* "medicine; seed grain" into ["medicine","seed grain"]; errors name
 * params.classes. */
static int parse_classes(const char *text, json_t **out, struct px_error *err)
{
	json_t *list = json_array();
	const char *p = text ? text : "";
	if (!list)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	while (*p) {
		const char *e = p;
		while (*e && *e != ';' && *e != ',')
			e++;
		const char *b = p, *z = e;
		while (b < z && (*b == ' ' || *b == '\t'))
			b++;
		while (z > b && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if (z > b) {
			if (z - b > CLASS_NAME_MAX || json_array_size(list) >= CLASSES_MAX) {
				json_decref(list);
				return px_fail(err, PX_E_BAD_INPUT, "params.classes", "at most 12"
					       " classes of goods, each of up to 60 characters,"
					       " separated by ';'");
			}
			json_array_append_new(list, json_stringn(b, (size_t)(z - b)));
		}
		p = *e ? e + 1 : e;
	}
	*out = list;
	return 0;
}

static int check_terms_kind(struct store *s, int64_t body_id, const struct kind_args *a,
			    json_t *canon, struct px_error *err)
{
	int64_t economy = 0;
	json_t *list = NULL;
	int rc = in_economy(s, body_id, &economy, err);
	if (!rc)
		rc = sharing_money_check(kind_text(a, "classes"), "params.classes", err);
	if (!rc)
		rc = parse_classes(kind_text(a, "classes"), &list, err);
	if (!rc)
		json_object_set_new(canon, "class_list", list);
	return rc;
}

static int apply_terms(struct store *s, const struct motion_effect *m, json_t *j,
		       struct px_error *err)
{
	int64_t economy = 0;
	json_t *list = NULL;
	int rc = in_economy(s, m->body_id, &economy, err);
	if (!rc)
		rc = parse_classes(param_text(m->params, "classes"), &list, err);
	if (rc)
		return rc;
	char *classes = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	if (!classes)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO barter_terms(body_id, motion_id,"
				      " taken_goods, classes, at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, m->motion_id);
	sqlite3_bind_int(st, 3, strcmp(param_text(m->params, "taken_goods"), "allowed") != 0);
	sqlite3_bind_text(st, 4, classes, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, m->now);
	free(classes);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "barter_terms", json_true());
	return 0;
}

/* ---- reading ---- */

int sharing_allotments_json(struct store *s, int64_t body_id, int64_t hid, json_t **out)
{
	json_t *list = json_array();
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT a.id, b.slug, b.name, a.motion_id, m.title,"
		" h.slug, h.name, e.slug, e.name, a.what, a.quantity, a.unit, a.purpose,"
		" a.priority, a.until, a.at, a.revoked_by, a.revoked_at FROM allotments a JOIN"
		" bodies b ON b.id = a.body_id JOIN motions m ON m.id = a.motion_id LEFT JOIN"
		" households h ON h.id = a.household_id LEFT JOIN bodies e ON e.id ="
		" a.enterprise_id WHERE (?1 = 0 OR a.body_id = ?1) AND (?2 = 0 OR"
		" a.household_id = ?2) ORDER BY a.id DESC");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, hid);
	*out = NULL;
	if (!list)
		return PX_E_NOMEM;
	while (store_next(st, &rc)) {
		json_t *x = json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:s, s:o,"
			" s:s, s:s, s:s, s:o, s:I, s:o, s:o}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"assembly", (const char *)sqlite3_column_text(st, 1),
			"assembly_name", (const char *)sqlite3_column_text(st, 2),
			"decision", (json_int_t)sqlite3_column_int64(st, 3),
			"decision_title", (const char *)sqlite3_column_text(st, 4),
			"household", sharing_text_or_null(st, 5),
			"household_name", sharing_text_or_null(st, 6),
			"workshop", sharing_text_or_null(st, 7),
			"workshop_name", sharing_text_or_null(st, 8),
			"what", (const char *)sqlite3_column_text(st, 9),
			"quantity", sharing_int_or_null(st, 10),
			"unit", (const char *)sqlite3_column_text(st, 11),
			"purpose", (const char *)sqlite3_column_text(st, 12),
			"priority", (const char *)sqlite3_column_text(st, 13),
			"until", sharing_int_or_null(st, 14),
			"at", (json_int_t)sqlite3_column_int64(st, 15),
			"revoked_by", sharing_int_or_null(st, 16),
			"revoked_at", sharing_int_or_null(st, 17));
		if (!x || json_array_append_new(list, x)) {
			sqlite3_reset(st);
			json_decref(list);
			return PX_E_NOMEM;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

int gov_allotments(const struct gov_ctx *ctx, const char *assembly, json_t **out,
		   struct px_error *err)
{
	int64_t body = 0;
	int row = 0, rc;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id FROM bodies WHERE slug = ? AND"
				      " kind = 'local'");
	sqlite3_bind_text(st, 1, assembly ? assembly : "", -1, SQLITE_STATIC);
	if ((rc = store_int64(st, &body, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (!body)
		return px_fail(err, PX_E_NOT_FOUND, "slug", "no local assembly '%s'",
			       assembly ? assembly : "");
	json_t *list = NULL, *terms = json_null();
	if ((rc = sharing_allotments_json(ctx->db, body, 0, &list)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(ctx->db, "SELECT motion_id, taken_goods, classes, at FROM barter_terms"
			" WHERE body_id = ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body);
	if ((rc = store_step(st, &row))) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	if (row) {
		json_t *classes = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
		terms = json_pack("{s:I, s:b, s:o, s:I}",
			"decision", (json_int_t)sqlite3_column_int64(st, 0),
			"taken_goods_refused", sqlite3_column_int(st, 1),
			"classes", classes ? classes : json_array(),
			"at", (json_int_t)sqlite3_column_int64(st, 3));
		sqlite3_reset(st);
	}
	*out = json_pack("{s:o, s:o}", "allotments", list, "barter_terms", terms);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

/* ---- the rows ---- */

static const char *const terms_choices[] = { "refused", N_("Members do not barter goods"
	" taken from the economy"), "allowed", N_("Members may barter goods taken from the"
	" economy"), NULL };

static const struct kind_param allot_params[] = {
	{ .name = "household", .type = KP_TEXT, .min = 2, .max = 64,
	  .label = N_("To a household (its short name)"),
	  .help = N_("A household whose members all opted out of the sharing economy.") },
	{ .name = "workshop", .type = KP_TEXT, .min = 2, .max = 64,
	  .label = N_("Or to a workshop (an enterprise's short name)") },
	{ .name = "what", .type = KP_TEXT, .required = 1, .min = 1, .max = 200,
	  .label = N_("What is allotted"),
	  .help = N_("Land, a tool, a workshop: 'the south field', 'a lathe'.") },
	{ .name = "quantity", .type = KP_INTEGER, .min = 1, .max = SHARING_STOCK_MAX,
	  .label = N_("How much (optional)") },
	{ .name = "unit", .type = KP_TEXT, .min = 1, .max = 40,
	  .label = N_("Counted in (with a quantity)"),
	  .help = N_("Hectares, hours a week, tools.") },
	{ .name = "purpose", .type = KP_TEXT, .required = 1, .min = 1, .max = 500,
	  .label = N_("For what purpose") },
	{ .name = "priority", .type = KP_TEXT, .required = 1, .min = 1, .max = 500,
	  .label = N_("Why them, and why now"),
	  .help = N_("According to availability, with priority to those who contribute: say"
		  " what is available and what they contribute.") },
	{ .name = "until", .type = KP_TIME, .min = 86400, .max = 50 * 366 * 86400LL,
	  .label = N_("Until (optional)") },
	{ .name = NULL },
};

static const struct kind_param revoke_params[] = {
	{ .name = "allotment", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The allotment (its number)") },
	{ .name = NULL },
};

static const struct kind_param terms_params[] = {
	{ .name = "taken_goods", .type = KP_CHOICE, .required = 1, .choices = terms_choices,
	  .label = N_("Goods taken from the sharing economy") },
	{ .name = "classes", .type = KP_TEXT, .min = 0, .max = 800,
	  .label = N_("Classes of goods members do not barter"),
	  .help = N_("Separated by ';': 'medicine; seed grain'. A barter naming one of them"
		  " is refused.") },
	{ .name = NULL },
};

const struct motion_kind allot_kinds[] = {
	{ .name = "allot_means", .label = N_("Allot land or means of production"),
	  .summary = N_("allot land or means of production to a household outside the"
		     " sharing economy, or to a workshop, for a purpose, according to what is"
		     " available and with priority to those who contribute"),
	  .check = check_allot, .apply = apply_allot, .decided_by = KIND_BY_LOCAL,
	  .params = allot_params },
	{ .name = "revoke_allotment", .label = N_("Revoke an allotment"),
	  .summary = N_("end an allotment this assembly made"),
	  .check = check_revoke, .apply = apply_revoke, .decided_by = KIND_BY_LOCAL,
	  .flags = KIND_NEEDS_TEXT, .text_label = N_("Why"), .params = revoke_params },
	{ .name = "set_barter_terms", .label = N_("Set the terms of barter"),
	  .summary = N_("set the terms of membership that say what members barter with"
		     " households outside the sharing economy"),
	  .check = check_terms_kind, .apply = apply_terms, .decided_by = KIND_BY_LOCAL,
	  .params = terms_params },
	{ .name = NULL },
};
