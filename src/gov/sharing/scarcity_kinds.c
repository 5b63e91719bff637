/*
 * scarcity_kinds.c: a local assembly declares a good of its community scarce,
 * with its rationing policy, by its own decision (declare_scarce), and
 * lifts it the same way (lift_scarcity) (sharing.h, docs/sharing.md
 * "Scarcity is declared by decision"). While a good is scarce nobody
 * takes it freely: it is shared in rounds, by need and then by lot.
 *
 * The policy's need categories are written as people say them, in the
 * order unused reserve flows on, each with the percentage of the supply
 * reserved for it ("Medical need: 30; Families with children: 20;
 * Everyone"): at most 8 categories, names of 1 to 80 characters, shares
 * in whole percent summing to at most 100 (the rest is unreserved and
 * flows in the same order, docs/sharing.md section 8). The canonical
 * form adds the parsed list, so that the decision's record shows exactly
 * what was decided. A cap is the most one request may receive (0: none);
 * round_days is the window in which each round collects requests.
 *
 * Parameters (all others refused):
 * A category's need may be shown by evidence a committee of the assembly
 * reviews ("evidence": "Medical need = Care", need.c): the canonical
 * form's category then names the committee.
 *
 *   declare_scarce  {"good": id, "categories": text, "evidence": text, "cap": n,
 *                    "round_days": n,
 *                    and for a unique item "loan_days", "collect_days",
 *                    "buffer_days" (lending.c)}
 *   lift_scarcity   {"good": id}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/text.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

#define CATEGORIES_MAX 8
#define CATEGORY_NAME_MAX 80

int sharing_good_scarce(struct store *s, int64_t good, int *yes)
{
	/* a good is scarce when declared so, or as an alternative of another
	 * declared scarce with probabilistic serial (ps.c) */
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM scarcities WHERE lifted_at IS NULL"
		" AND (good_id = ?1 OR (alternatives IS NOT NULL AND EXISTS (SELECT 1 FROM"
		" json_each(alternatives) WHERE value = ?1)))");
	sqlite3_bind_int64(st, 1, good);
	return store_exists(st, yes);
}

static void trim(const char **b, const char **e)
{
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* "Name: 30; Other: 20; Everyone" into [{"name","share"}] (share in
 * percent); errors name params.categories. */
static int parse_categories(const char *text, json_t **out, struct px_error *err)
{
	json_t *list = json_array();
	int64_t sum = 0;
	const char *p = text;
	if (!list)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	while (p && *p) {
		const char *end = strchr(p, ';'), *colon;
		if (!end)
			end = p + strlen(p);
		const char *nb = p, *ne = end;
		int64_t share = 0;
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon) {
			ne = colon;
			const char *vb = colon + 1, *ve = end;
			trim(&vb, &ve);
			if (vb == ve || ve - vb > 3)
				goto bad;
			for (const char *c = vb; c < ve; c++) {
				if (*c < '0' || *c > '9')
					goto bad;
				share = share * 10 + (*c - '0');
			}
		}
		trim(&nb, &ne);
		if (nb == ne && !*end && json_array_size(list))
			break; /* a trailing ';' */
		if (nb == ne || ne - nb > CATEGORY_NAME_MAX)
			goto bad;
		char name[CATEGORY_NAME_MAX + 1];
		snprintf(name, sizeof(name), "%.*s", (int)(ne - nb), nb);
		size_t i;
		json_t *x;
		json_array_foreach(list, i, x)
			if (!strcmp(json_string_value(json_object_get(x, "name")), name)) {
				json_decref(list);
				return px_fail(err, PX_E_BAD_INPUT, "params.categories", "the category"
					       " '%s' is named twice", name);
			}
		if (json_array_size(list) == CATEGORIES_MAX) {
			json_decref(list);
			return px_fail(err, PX_E_OUT_OF_RANGE, "params.categories", "at most %d"
				       " categories of need", CATEGORIES_MAX);
		}
		sum += share;
		json_array_append_new(list, json_pack("{s:s, s:I}", "name", name,
						      "share", (json_int_t)share));
		p = *end ? end + 1 : end;
	}
	if (!json_array_size(list))
		goto bad;
	if (sum > 100) {
		json_decref(list);
		return px_fail(err, PX_E_OUT_OF_RANGE, "params.categories", "the shares"
			       " reserved sum to %lld%%: at most 100", (long long)sum);
	}
	*out = list;
	return 0;
bad:
	json_decref(list);
	return px_fail(err, PX_E_BAD_INPUT, "params.categories", "write each category of"
		       " need as 'Name: percent reserved' (or just 'Name' for none), separated"
		       " by ';', in the order unused reserve flows on");
}

/* The good may be declared scarce (want 1) or lifted (want 0) by the
 * assembly body_id: it exists, is offered by an enterprise located in
 * the assembly's community, and is (not) scarce now. */
static int good_here(struct store *s, int64_t body_id, int64_t good, int want,
		     struct px_error *err)
{
	int row = 0, scarce = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT g.withdrawn_at IS NOT NULL, e.community_id"
		" = (SELECT community_id FROM bodies WHERE id = ?2) FROM goods g JOIN bodies e"
		" ON e.id = g.body_id WHERE g.id = ?1");
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, body_id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.good", "no good %lld in any"
			       " register", (long long)good);
	int withdrawn = sqlite3_column_int(st, 0), here = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	if (!here)
		return px_fail(err, PX_E_FORBIDDEN, "params.good", "the local assembly of the"
			       " community where its enterprise is decides its scarcity");
	if (withdrawn && want)
		return px_fail(err, PX_E_CONFLICT, "params.good", "this good is no longer"
			       " offered");
	if ((rc = sharing_good_scarce(s, good, &scarce)))
		return px_fail(err, rc, NULL, NULL);
	if (want && scarce)
		return px_fail(err, PX_E_CONFLICT, "params.good", "this good is scarce already:"
			       " lift its policy first to set another");
	if (!want && !scarce)
		return px_fail(err, PX_E_CONFLICT, "params.good", "this good is not scarce");
	return 0;
}

/* A policy of probabilistic serial names the other goods that are
 * alternatives to the good ("4, 7"): each a unit good (an item or a
 * service) of this community, not scarce, none twice; *alts is the group,
 * the good first, or NULL for the serial policy. Errors name
 * params.alternatives or params.method. */
#define ALTERNATIVES_MAX 20
static int parse_alternatives(struct store *s, int64_t body_id, int64_t good,
			      const char *method, const char *text, json_t **alts,
			      struct px_error *err)
{
	int ps = method && !strcmp(method, "probabilistic_serial");
	*alts = NULL;
	if (!ps) {
		if (text && *text)
			return px_fail(err, PX_E_BAD_INPUT, "params.alternatives", "alternatives"
				       " are ranked under the method probabilistic_serial only");
		return 0;
	}
	json_t *list = json_array();
	if (!list)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_array_append_new(list, json_integer(good));
	const char *p = text ? text : "";
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		int64_t v = 0;
		const char *b = p;
		while (*p >= '0' && *p <= '9' && p - b < 10)
			v = v * 10 + (*p++ - '0');
		if (p == b || (*p && *p != ',' && *p != ' ')) {
			json_decref(list);
			return px_fail(err, PX_E_BAD_INPUT, "params.alternatives", "the other goods'"
				       " numbers in the register, separated by commas: '4, 7'");
		}
		size_t i;
		json_t *x;
		json_array_foreach(list, i, x)
			if (json_integer_value(x) == v) {
				json_decref(list);
				return px_fail(err, PX_E_BAD_INPUT, "params.alternatives", "good %lld"
					       " is named twice", (long long)v);
			}
		if (json_array_size(list) == ALTERNATIVES_MAX) {
			json_decref(list);
			return px_fail(err, PX_E_OUT_OF_RANGE, "params.alternatives", "at most %d"
				       " alternatives", ALTERNATIVES_MAX);
		}
		json_array_append_new(list, json_integer(v));
	}
	if (json_array_size(list) < 2) {
		json_decref(list);
		return px_fail(err, PX_E_MISSING_FIELD, "params.alternatives", "name the other"
			       " goods people may rank instead of this one: '4, 7'");
	}
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x) {
		struct good_row g;
		int rc = i ? good_here(s, body_id, json_integer_value(x), 1, err)
			   : sharing_good_row(s, good, &g, err);
		if (!rc && (rc = sharing_good_row(s, json_integer_value(x), &g, err)) == 0 &&
		    !strcmp(g.kind, "product"))
			rc = px_fail(err, PX_E_BAD_INPUT, i ? "params.alternatives" : "params.method",
				     "probabilistic serial shares units (items, services), not a"
				     " product's amounts");
		if (rc) {
			if (i && err->field && !strcmp(err->field, "params.good"))
				err->field = "params.alternatives";
			json_decref(list);
			return rc;
		}
	}
	*alts = list;
	return 0;
}

int scarcity_check_declare(struct store *s, int64_t body_id, const struct kind_args *a,
			 json_t *canon, struct px_error *err)
{
	json_t *list = NULL;
	int rc = good_here(s, body_id, kind_num(a, "good"), 1, err);
	if (!rc && kind_num(a, "loan_days")) {
		struct good_row g;
		if (!(rc = sharing_good_row(s, kind_num(a, "good"), &g, err)) &&
		    strcmp(g.kind, "item"))
			rc = px_fail(err, PX_E_BAD_INPUT, "params.loan_days", "only a unique item"
				     " is lent for a time");
	}
	/* the terms of lending are a unique item's (lending.c) */
	if (!rc && (kind_num(a, "collect_days") || kind_num(a, "buffer_days"))) {
		struct good_row g;
		if (!(rc = sharing_good_row(s, kind_num(a, "good"), &g, err)) &&
		    strcmp(g.kind, "item"))
			rc = px_fail(err, PX_E_BAD_INPUT, kind_num(a, "collect_days")
				     ? "params.collect_days" : "params.buffer_days",
				     "only a unique item is lent, collected and rested");
	}
	if (!rc)
		rc = parse_categories(kind_text(a, "categories"), &list, err);
	if (!rc && (rc = sharing_need_parse(s, body_id, a->now, kind_text(a, "evidence"),
					    kind_text(a, "method"), list, err)))
		json_decref(list);
	if (!rc)
		json_object_set_new(canon, "policy", list);
	json_t *alts = NULL;
	if (!rc)
		rc = parse_alternatives(s, body_id, kind_num(a, "good"), kind_text(a, "method"),
					kind_text(a, "alternatives"), &alts, err);
	if (!rc && alts)
		json_object_set_new(canon, "group", alts);
	return rc;
}

int scarcity_apply_declare(struct store *s, const struct motion_effect *m, json_t *j,
			 struct px_error *err)
{
	int64_t good = json_integer_value(json_object_get(m->params, "good"));
	const char *text = json_string_value(json_object_get(m->params, "categories"));
	json_t *list = NULL;
	json_t *alts = NULL;
	int rc = good_here(s, m->body_id, good, 1, err);
	if (!rc)
		rc = parse_categories(text ? text : "", &list, err);
	const char *evidence = json_string_value(json_object_get(m->params, "evidence"));
	const char *method = json_string_value(json_object_get(m->params, "method"));
	if (!rc && (rc = sharing_need_parse(s, m->body_id, m->now, evidence, method, list, err)))
		json_decref(list);
	if (!rc && (rc = parse_alternatives(s, m->body_id, good,
			json_string_value(json_object_get(m->params, "method")),
			json_string_value(json_object_get(m->params, "alternatives")), &alts, err)))
		json_decref(list);
	if (rc)
		return rc;
	char *cats = json_dumps(list, JSON_COMPACT);
	char *group = alts ? json_dumps(alts, JSON_COMPACT) : NULL;
	json_decref(list);
	json_decref(alts);
	if (!cats || (alts && !group)) {
		free(cats);
		free(group);
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO scarcities(good_id, body_id, motion_id,"
		" categories, cap, round_days, declared_at, loan_days, policy, alternatives)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	sqlite3_bind_text(st, 9, group ? "probabilistic_serial" : "serial", -1, SQLITE_STATIC);
	if (group)
		sqlite3_bind_text(st, 10, group, -1, SQLITE_TRANSIENT);
	free(group);
	sqlite3_bind_int64(st, 1, good);
	sqlite3_bind_int64(st, 2, m->body_id);
	sqlite3_bind_int64(st, 3, m->motion_id);
	sqlite3_bind_text(st, 4, cats, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(m->params, "cap")));
	sqlite3_bind_int64(st, 6, json_integer_value(json_object_get(m->params, "round_days")));
	sqlite3_bind_int64(st, 7, m->now);
	sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(m->params, "loan_days")));
	free(cats);
	int64_t id = 0;
	if ((rc = store_int64(st, &id, NULL)) ||
	    (rc = lending_terms_set(s, id, json_integer_value(json_object_get(m->params,
				    "collect_days")), json_integer_value(json_object_get(
				    m->params, "buffer_days")))) ||
	    (rc = sharing_round_open(s, good, id, m->now,
				     json_integer_value(json_object_get(m->params, "round_days")))))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "scarce", json_integer(good));
	return 0;
}

int scarcity_check_lift(struct store *s, int64_t body_id, const struct kind_args *a,
		      json_t *canon, struct px_error *err)
{
	(void)canon;
	return good_here(s, body_id, kind_num(a, "good"), 0, err);
}

int scarcity_apply_lift(struct store *s, const struct motion_effect *m, json_t *j,
		      struct px_error *err)
{
	int64_t good = json_integer_value(json_object_get(m->params, "good"));
	int rc = good_here(s, m->body_id, good, 0, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE scarcities SET lifted_by = ?, lifted_at = ?"
				      " WHERE good_id = ? AND lifted_at IS NULL");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, good);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_object_set_new(j, "lifted", json_integer(good));
	return 0;
}

static const char *const method_choices[] = {
	"serial", N_("Each good alone: by need, then equally or by lot"),
	"probabilistic_serial", N_("Several alternatives ranked by each person"
				   " (probabilistic serial)"), NULL };

/* The policy, as the good's assembly declares it and as a delegate
 * assembly proposes it (scarcity_fed.c). */
#define POLICY_PARAMS(good_help) \
	{ .name = "good", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX, \
	  .label = N_("The good (its number in the register)"), .help = good_help }, \
	{ .name = "categories", .type = KP_TEXT, .required = 1, .min = 1, .max = 1000, \
	  .label = N_("Categories of need, with the share reserved for each"), \
	  .help = N_("In the order unused reserve flows on, separated by ';', each with the" \
		  " percentage of the supply reserved for it: 'Medical need: 30; Families" \
		  " with children: 20; Everyone'.") }, \
	{ .name = "cap", .type = KP_INTEGER, .required = 1, .min = 0, .max = SHARING_STOCK_MAX, \
	  .label = N_("The most one person receives in a round (0: no cap)") }, \
	{ .name = "round_days", .type = KP_INTEGER, .required = 1, .min = 1, .max = 90, \
	  .label = N_("Days each round collects requests") }, \
	{ .name = "loan_days", .type = KP_INTEGER, .min = 0, .max = 365, \
	  .label = N_("A unique item: days each loan lasts (0: until returned)"), \
	  .help = N_("Whoever receives it returns it by then; someone with a unique item" \
		  " overdue is lent no other.") }, \
	{ .name = "method", .type = KP_CHOICE, .choices = method_choices, \
	  .label = N_("How units are shared") }, \
	{ .name = "alternatives", .type = KP_TEXT, .min = 0, .max = 200, \
	  .label = N_("Probabilistic serial: the other goods people may rank instead"), \
	  .help = N_("Their numbers in the register, separated by commas: '4, 7'. Each" \
		  " person ranks those they would accept and receives one at most.") }, \
	{ .name = "collect_days", .type = KP_INTEGER, .min = 0, .max = 30, \
	  .label = N_("A unique item: days to collect it once it waits for you (0: no hold)"), \
	  .help = N_("Not collected by then, it passes to the next in the round's lottery" \
		  " order.") }, \
	{ .name = "buffer_days", .type = KP_INTEGER, .min = 0, .max = 30, \
	  .label = N_("A unique item: days it rests between loans (0: none)"), \
	  .help = N_("Time to check and mend it: it is not lent again until then.") },

static const struct kind_param declare_params[] = {
	POLICY_PARAMS(N_("One offered by an enterprise of this community."))
	/* a committee of this assembly reviews the evidence (need.c); a
	 * federation's proposal names none: no committee of the delegate
	 * assembly sits in the good's community */
	{ .name = "evidence", .type = KP_TEXT, .min = 0, .max = 1000,
	  .label = N_("Categories whose need is shown by evidence, and the committee that"
		      " reviews it"),
	  .help = N_("'Category = committee' (its name or number), separated by ';':"
		  " 'Medical need = Care'. The other categories' need is shown by the"
		  " person's statement.") },
	{ .name = NULL },
};

/* A federation's proposal: its rationale and condition (docs/federation.md
 * "Conditions"), as adopt_proposal's. */
#define PROPOSAL_PARAMS \
	{ .name = "rationale", .type = KP_MARKDOWN, .max = 20000, .label = N_("Rationale") }, \
	{ .name = "condition", .type = KP_CONDITION, .required = 1, \
	  .label = N_("In force where accepted once"), \
	  .help = N_("The condition under which the policy can apply; it applies only if" \
		  " the local assembly of the good's community accepts.") },

static const struct kind_param propose_params[] = {
	POLICY_PARAMS(N_("One offered by an enterprise of a community whose local assembly"
			 " is beneath this delegate assembly."))
	PROPOSAL_PARAMS
	{ .name = NULL },
};

static const struct kind_param lift_params[] = {
	{ .name = "good", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The good (its number in the register)") },
	{ .name = NULL },
};

static const struct kind_param propose_lift_params[] = {
	{ .name = "good", .type = KP_INTEGER, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The good (its number in the register)") },
	PROPOSAL_PARAMS
	{ .name = NULL },
};

const struct motion_kind scarcity_kinds[] = {
	{ .name = "declare_scarce", .label = N_("Declare a good scarce"),
	  .summary = N_("declare a good of this community scarce, with its rationing policy:"
		     " it is no longer taken freely, but shared in rounds by need, then"
		     " equally or by lot"),
	  .check = scarcity_check_declare, .apply = scarcity_apply_declare, .decided_by = KIND_BY_LOCAL,
	  .flags = KIND_NEEDS_TEXT, .text_label = N_("Why it is scarce"),
	  .params = declare_params },
	{ .name = "lift_scarcity", .label = N_("Lift a good's scarcity"),
	  .summary = N_("end the rationing of a good: it is taken freely again"),
	  .check = scarcity_check_lift, .apply = scarcity_apply_lift, .decided_by = KIND_BY_LOCAL,
	  .params = lift_params },
	{ .name = "propose_scarcity",
	  .label = N_("Propose a rationing policy for a good, shared across the federation"),
	  .summary = N_("propose to the member assemblies a rationing policy for a good: it"
		     " applies if the assembly of the good's community accepts and the"
		     " condition is met, and the members of every assembly that accepted"
		     " ask in its rounds"),
	  .check = scarcity_check_propose, .apply = scarcity_apply_propose,
	  .decided_by = KIND_BY_DELEGATE | KIND_BY_COMMITTEE, .flags = KIND_NEEDS_TEXT,
	  .text_label = N_("The proposal"), .params = propose_params },
	{ .name = "propose_lift_scarcity",
	  .label = N_("Propose to lift a good's rationing across the federation"),
	  .summary = N_("propose to the member assemblies that a good's rationing ends: it"
		     " ends if the assembly of the good's community accepts and the"
		     " condition is met"),
	  .check = scarcity_check_propose_lift, .apply = scarcity_apply_propose_lift,
	  .decided_by = KIND_BY_DELEGATE | KIND_BY_COMMITTEE, .flags = KIND_NEEDS_TEXT,
	  .text_label = N_("The proposal"), .params = propose_lift_params },
	{ .name = NULL },
};
