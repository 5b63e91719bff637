/*
 * motion_kinds.c: the registry of kinds of motion. Each domain contributes
 * its own table of rows (procedure_kinds, assembly_kinds, federation_kinds,
 * ...); gov/kinds.c lists them, so this registry depends on no domain.
 * Everything that asks what a kind is (who decides it, whether it needs a
 * text, what it takes) asks its row here; nothing keeps a list of its own.
 * The parameters of a motion are checked here, once for every kind, by
 * the row's spec (motion_kind_check_params): a kind's own check then
 * states only its domain's rule, on values already typed.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/rule.h"
#include "core/text.h"
#include "gov/federation/federation.h"
#include "gov/people/people.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

const struct motion_kind *motion_kind_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++)
			if (!strcmp(k->name, name))
				return k;
	return NULL;
}

const char *motion_kind_words(const char *name, const char *lang)
{
	const struct motion_kind *k = motion_kind_find(name);
	return k && k->label ? tr(lang, k->label) : name ? name : "";
}

const struct kind_param *motion_kind_param(const struct motion_kind *k,
					   const char *name)
{
	for (const struct kind_param *p = k->params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* The types by name, in the order of enum kind_param_type. */
static const char *const type_names[KP_TYPE_COUNT] = {
	[KP_TEXT] = "text",
	[KP_MARKDOWN] = "markdown",
	[KP_INTEGER] = "integer",
	[KP_TIME] = "time",
	[KP_CHOICE] = "choice",
	[KP_SLUG] = "slug",
	[KP_HANDLE] = "handle",
	[KP_MEMBER] = "member",
	[KP_MEMBERS] = "members",
	[KP_OFFICE] = "office",
	[KP_LAW] = "law",
	[KP_COMMITTEE] = "committee",
	[KP_MOTION] = "motion",
	[KP_DECISION] = "decision",
	[KP_PROPOSAL] = "proposal",
	[KP_FEDERATION] = "federation",
	[KP_ASSEMBLY] = "assembly",
	[KP_KINDS] = "kinds",
	[KP_RULES] = "rules",
	[KP_SCHEDULE] = "schedule",
	[KP_CONDITION] = "condition",
	[KP_COMMUNITIES] = "communities",
	[KP_ASSEMBLIES] = "assemblies",
	[KP_WITNESSES] = "witnesses",
};

const char *motion_kind_type_name(enum kind_param_type t)
{
	return (unsigned)t < KP_TYPE_COUNT ? type_names[t] : NULL;
}

unsigned motion_kind_decider(const char *body_kind)
{
	if (body_kind && !strcmp(body_kind, "delegate"))
		return KIND_BY_DELEGATE;
	if (body_kind && !strcmp(body_kind, "polity"))
		return KIND_BY_POLITY;
	if (body_kind && !strcmp(body_kind, "enterprise"))
		return KIND_BY_ENTERPRISE;
	if (body_kind && !strcmp(body_kind, "militia"))
		return KIND_BY_MILITIA;
	return KIND_BY_LOCAL;
}

int motion_kind_refusal(const struct motion_kind *k, unsigned by)
{
	/* a delegate assembly never legislates, whatever a row says; a
	 * polity's register changes only by the remedies its assembly
	 * approves (docs/polities.md); an enterprise is bound by its local
	 * assembly's laws and writes none (docs/economy.md) */
	if (by == KIND_BY_ENTERPRISE && (k->flags & KIND_WRITES_LAW))
		return PX_E_ENTERPRISE_NO_LAWS;
	if (by == KIND_BY_MILITIA && (k->flags & KIND_WRITES_LAW))
		return PX_E_MILITIA_NO_LAWS;
	if (by != KIND_BY_LOCAL && (k->flags & KIND_WRITES_LAW))
		return PX_E_FED_NO_LAWS;
	if (!(k->decided_by & by))
		return PX_E_FED_KIND;
	return 0;
}

int motion_kind_known_params(const struct motion_kind *k, const json_t *params,
			     struct px_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)params, key, v) {
		if (!motion_kind_param(k, key))
			return px_fail(err, PX_E_UNKNOWN_FIELD, "params",
				       "this kind of motion takes no parameter '%s'", key);
	}
	return 0;
}

/* ---- the spec-driven check of parameters ---- */

/* An error keeps only a pointer to its field, so "params.NAME" must
 * outlive it: every name of every row is spelled once, at first use. */
#define PARAM_FIELDS_MAX 160
static struct {
	const char *name;
	char field[48];
} param_fields[PARAM_FIELDS_MAX];
static size_t n_param_fields;
static pthread_once_t param_fields_once = PTHREAD_ONCE_INIT;

static void param_fields_build(void)
{
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++)
			for (const struct kind_param *p = k->params; p && p->name; p++) {
				size_t i = 0;
				while (i < n_param_fields && strcmp(param_fields[i].name, p->name))
					i++;
				if (i < n_param_fields || i == PARAM_FIELDS_MAX ||
				    strlen(p->name) + 8 > sizeof(param_fields[i].field))
					continue; /* known, or no room: named "params" */
				param_fields[i].name = p->name;
				snprintf(param_fields[i].field, sizeof(param_fields[i].field),
					 "params.%s", p->name);
				n_param_fields++;
			}
}

static const char *param_field(const char *name)
{
	pthread_once(&param_fields_once, param_fields_build);
	for (size_t i = 0; i < n_param_fields; i++)
		if (!strcmp(param_fields[i].name, name))
			return param_fields[i].field;
	return "params";
}

/* "a, b or c": the values of a choice, for a refusal. */
static void choices_in_words(const char *const *c, char *out, size_t size)
{
	size_t n = 0, used = 0;
	while (c[2 * n])
		n++;
	out[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s",
					 !i ? "" : i + 1 < n ? ", " : " or ", c[2 * i]);
}

static int is_text_type(enum kind_param_type t)
{
	return t == KP_TEXT || t == KP_MARKDOWN || t == KP_SLUG || t == KP_HANDLE ||
	       t == KP_MEMBER || t == KP_OFFICE || t == KP_FEDERATION || t == KP_ASSEMBLY;
}

static int is_number_type(enum kind_param_type t)
{
	return t == KP_INTEGER || t == KP_TIME || t == KP_LAW || t == KP_COMMITTEE ||
	       t == KP_MOTION || t == KP_DECISION || t == KP_PROPOSAL;
}

/* A list (members, kinds): an array of text, min..max long. */
static int check_list(const struct kind_param *p, const json_t *v, const char *field,
		      struct px_error *err)
{
	size_t i, n = json_array_size(v);
	const json_t *e;
	if (!json_is_array(v))
		return px_fail(err, PX_E_BAD_TYPE, field, p->type == KP_KINDS
			       ? "%s is a list of kinds of motion"
			       : p->type == KP_COMMUNITIES ? "%s is a list of communities"
			       : p->type == KP_ASSEMBLIES ? "%s is a list of assemblies"
			       : p->type == KP_WITNESSES ? "%s is a list of witnesses"
			       : "%s is a list of handles", p->name);
	if ((int64_t)n < p->min || (p->max && (int64_t)n > p->max))
		return p->max ? px_fail(err, PX_E_OUT_OF_RANGE, field, "%s lists %lld to %lld",
					p->name, (long long)p->min, (long long)p->max)
			      : px_fail(err, PX_E_OUT_OF_RANGE, field, "%s lists at least %lld",
					p->name, (long long)p->min);
	json_array_foreach(v, i, e) {
		if (p->type == KP_MEMBERS && !json_is_string(e))
			return px_fail(err, PX_E_BAD_TYPE, field, "%s are handles", p->name);
		if (p->type == KP_ASSEMBLIES && !json_is_string(e))
			return px_fail(err, PX_E_BAD_TYPE, field, "%s are slugs of assemblies",
				       p->name);
		if ((p->type == KP_COMMUNITIES || p->type == KP_WITNESSES) && !json_is_object(e))
			return px_fail(err, PX_E_BAD_TYPE, field, "each of %s is an object",
				       p->name);
		if (p->type != KP_KINDS)
			continue;
		const struct motion_kind *k = motion_kind_find(json_string_value(e));
		if (!k)
			return px_fail(err, PX_E_BAD_INPUT, field,
				       "%s names an unknown kind of motion", p->name);
		/* only the kinds the spec offers: a committee is granted
		 * only what its row allows (never laws, rules, membership...) */
		if (p->kinds_by && !(k->decided_by & p->kinds_by))
			return px_fail(err, PX_E_BAD_INPUT, field, "%s cannot name '%s'",
				       p->name, k->name);
	}
	return 0;
}

/* One parameter against its spec; *arg receives it typed. */
static int check_param(const struct kind_param *p, const json_t *v, int64_t now,
		       struct kind_arg *arg, struct px_error *err)
{
	const char *field = param_field(p->name);
	arg->json = v;
	arg->num = 0;
	arg->text = "";
	if (!v)
		return p->required ? px_fail(err, PX_E_MISSING_FIELD, field, NULL) : 0;
	if (is_text_type(p->type)) {
		if (!json_is_string(v))
			return px_fail(err, PX_E_BAD_TYPE, field, "%s must be text", p->name);
		arg->text = json_string_value(v);
		long max = p->max ? (long)p->max : LONG_MAX;
		int rc = p->type == KP_MARKDOWN ? text_check_block(arg->text, (long)p->min, max)
						: text_check_line(arg->text, (long)p->min, max);
		if (rc)
			return px_fail(err, rc, field, "%s has %lld to %ld characters", p->name,
				       (long long)p->min, max);
		if (p->type == KP_SLUG && !gov_slug_valid(arg->text))
			return px_fail(err, PX_E_BAD_INPUT, field, "a slug has 2 to 64"
				       " characters: lower-case letters, digits and '-'");
		return 0;
	}
	if (is_number_type(p->type)) {
		if (!json_is_integer(v))
			return px_fail(err, PX_E_BAD_TYPE, field, "%s must be a whole number",
				       p->name);
		arg->num = json_integer_value(v);
		int64_t base = p->type == KP_TIME ? now : 0;
		int64_t max = p->max ? base + p->max : INT64_MAX;
		if ((arg->num < base + p->min || arg->num > max) && p->out_of_range)
			return px_fail(err, PX_E_OUT_OF_RANGE, field, "%s", p->out_of_range);
		if (arg->num < base + p->min || arg->num > max)
			return px_fail(err, PX_E_OUT_OF_RANGE, field, "%s is out of range", p->name);
		return 0;
	}
	switch (p->type) {
	case KP_CHOICE: {
		if (!json_is_string(v))
			return px_fail(err, PX_E_BAD_TYPE, field, "%s must be text", p->name);
		arg->text = json_string_value(v);
		for (const char *const *c = p->choices; c && c[0]; c += 2)
			if (!strcmp(c[0], arg->text))
				return 0;
		char words[200];
		choices_in_words(p->choices, words, sizeof(words));
		return px_fail(err, PX_E_BAD_INPUT, field, "%s is %s", p->name, words);
	}
	case KP_MEMBERS:
	case KP_KINDS:
	case KP_COMMUNITIES:
	case KP_ASSEMBLIES:
	case KP_WITNESSES:
		return check_list(p, v, field, err);
	default: /* rules, schedule, condition: their own parsers, in the check */
		return 0;
	}
}

int motion_kind_check_params(const struct motion_kind *k, struct store *s,
			     int64_t body_id, const json_t *params, int64_t now,
			     json_t **canon, struct px_error *err)
{
	struct kind_args a = { .kind = k, .now = now };
	json_t *empty = NULL;
	*canon = NULL;
	if (!params)
		params = empty = json_object();
	int rc = motion_kind_known_params(k, params, err);
	size_t i = 0;
	for (const struct kind_param *p = k->params; !rc && p && p->name; p++, i++) {
		if (i == KIND_PARAMS_MAX)
			rc = px_fail(err, PX_E_INTERNAL, NULL, "kind %s: too many parameters",
				     k->name);
		else
			rc = check_param(p, json_object_get(params, p->name), now, &a.arg[i],
					 err);
	}
	/* the canonical form starts with what was given, as given */
	json_t *c = rc ? NULL : json_deep_copy(params);
	json_decref(empty);
	if (!rc && !c)
		rc = PX_E_NOMEM;
	if (!rc)
		rc = k->check(s, body_id, &a, c, err);
	if (rc)
		json_decref(c);
	else
		*canon = c;
	return rc;
}

int motion_kind_spec_only(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err)
{
	(void)s, (void)body_id, (void)a, (void)canon, (void)err;
	return 0;
}

static const struct kind_arg *arg_of(const struct kind_args *a, const char *name)
{
	size_t i = 0;
	for (const struct kind_param *p = a->kind->params; p && p->name && i < KIND_PARAMS_MAX;
	     p++, i++)
		if (!strcmp(p->name, name))
			return &a->arg[i];
	return NULL;
}

const json_t *kind_json(const struct kind_args *a, const char *name)
{
	const struct kind_arg *g = arg_of(a, name);
	return g ? g->json : NULL;
}

int64_t kind_num(const struct kind_args *a, const char *name)
{
	const struct kind_arg *g = arg_of(a, name);
	return g ? g->num : 0;
}

const char *kind_text(const struct kind_args *a, const char *name)
{
	const struct kind_arg *g = arg_of(a, name);
	return g ? g->text : "";
}

/* The bodies as the API names them, one bit each. */
static const struct {
	unsigned bit;
	const char *name;
} deciders[] = {
	{ KIND_BY_LOCAL, "local" },
	{ KIND_BY_DELEGATE, "delegate" },
	{ KIND_BY_COMMITTEE, "committee" },
	{ KIND_BY_POLITY, "polity" },
	{ KIND_BY_ENTERPRISE, "enterprise" },
	{ KIND_BY_MILITIA, "militia" },
};

static json_t *param_json(const struct kind_param *p)
{
	json_t *j = json_pack("{s:s, s:s, s:b, s:s, s:s}", "name", p->name,
			      "type", motion_kind_type_name(p->type),
			      "required", p->required, "label", p->label,
			      "description", p->help ? p->help : "");
	if (!j)
		return NULL;
	if (p->min || p->max)
		json_object_set_new(j, "min", json_integer(p->min));
	if (p->max)
		json_object_set_new(j, "max", json_integer(p->max));
	if (p->choices) {
		json_t *list = json_array();
		for (const char *const *c = p->choices; c[0] && c[1]; c += 2)
			json_array_append_new(list, json_pack("{s:s, s:s}", "value", c[0],
							      "label", c[1]));
		json_object_set_new(j, p->type == KP_CHOICE ? "choices" : "suggestions", list);
	}
	if (p->type == KP_KINDS) {
		/* the kinds to choose from, from the registry itself */
		json_t *list = json_array();
		for (size_t t = 0; gov_kind_tables[t]; t++)
			for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++)
				if (!p->kinds_by || (k->decided_by & p->kinds_by))
					json_array_append_new(list, json_pack("{s:s, s:s}",
						"value", k->name, "label",
						k->label ? k->label : k->name));
		json_object_set_new(j, "choices", list);
	}
	return j;
}

json_t *motion_kind_json(const struct motion_kind *k)
{
	json_t *by = json_array(), *params = json_array();
	for (size_t i = 0; i < sizeof(deciders) / sizeof(deciders[0]); i++)
		if (k->decided_by & deciders[i].bit)
			json_array_append_new(by, json_string(deciders[i].name));
	for (const struct kind_param *p = k->params; p && p->name; p++)
		json_array_append_new(params, param_json(p));
	return json_pack("{s:s, s:s, s:s, s:o, s:b, s:s, s:b, s:b, s:b, s:o}",
			 "name", k->name, "label", k->label ? k->label : k->name,
			 "summary", k->summary, "decided_by", by,
			 "needs_text", !!(k->flags & KIND_NEEDS_TEXT),
			 "text_label", k->text_label ? k->text_label : "Text",
			 "writes_law", !!(k->flags & KIND_WRITES_LAW),
			 "amends", !!(k->flags & KIND_AMENDS),
			 "in_session", !!(k->flags & KIND_IN_SESSION), "params", params);
}

int gov_motion_kinds(const struct gov_ctx *ctx, const char *body_slug,
		     json_t **out, struct px_error *err)
{
	unsigned by = KIND_BY_LOCAL;
	char kind[16] = "local";
	*out = NULL;
	if (body_slug) {
		int64_t id;
		int rc = fed_body_by_slug(ctx->db, body_slug, "body", &id, kind, err);
		if (rc)
			return rc;
		by = motion_kind_decider(kind);
	}
	json_t *list = json_array();
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++)
			if (!body_slug || !motion_kind_refusal(k, by))
				json_array_append_new(list, motion_kind_json(k));
	*out = json_pack("{s:o}", "kinds", list);
	if (*out && body_slug)
		json_object_set_new(*out, "body", json_pack("{s:s, s:s}", "slug", body_slug,
				    "kind", kind));
	return *out ? 0 : PX_E_NOMEM;
}

const struct decision_rule *motion_rule_for(const struct rule_set *set, const char *kind)
{
	const struct motion_kind *k = motion_kind_find(kind);
	const struct decision_rule *r = rule_set_lookup(set, kind);
	if (r != &set->def || !k || !(k->flags & KIND_SERIOUS))
		return r;
	for (size_t i = 0; i < set->n && i < RULE_SET_MAX; i++)
		if (rule_compare(&set->by_kind[i].rule, r) == RULE_ORDER_STRICTER)
			r = &set->by_kind[i].rule;
	return r;
}
