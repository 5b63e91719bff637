/*
 * motion_kinds.c: the registry of kinds of motion. Each domain contributes
 * its own table of rows (procedure_kinds, assembly_kinds, federation_kinds,
 * ...); gov/kinds.c lists them, so this registry depends on no domain.
 * Everything that asks what a kind is (who decides it, whether it needs a
 * text, what it takes) asks its row here; nothing keeps a list of its own.
 */
#include <string.h>

#include "core/errors.h"
#include "gov/federation/federation.h"
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
};

const char *motion_kind_type_name(enum kind_param_type t)
{
	return (unsigned)t < KP_TYPE_COUNT ? type_names[t] : NULL;
}

int motion_kind_refusal(const struct motion_kind *k, int delegate)
{
	/* a delegate assembly never legislates, whatever a row says */
	if (delegate && (k->flags & KIND_WRITES_LAW))
		return PX_E_FED_NO_LAWS;
	if (!(k->decided_by & (delegate ? KIND_BY_DELEGATE : KIND_BY_LOCAL)))
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

/* The bodies as the API names them, one bit each. */
static const struct {
	unsigned bit;
	const char *name;
} deciders[] = {
	{ KIND_BY_LOCAL, "local" },
	{ KIND_BY_DELEGATE, "delegate" },
	{ KIND_BY_COMMITTEE, "committee" },
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
	int delegate = 0;
	*out = NULL;
	if (body_slug) {
		int64_t id;
		char kind[16];
		int rc = fed_body_by_slug(ctx->db, body_slug, "body", &id, kind, err);
		if (rc)
			return rc;
		delegate = !strcmp(kind, "delegate");
	}
	json_t *list = json_array();
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++)
			if (!body_slug || !motion_kind_refusal(k, delegate))
				json_array_append_new(list, motion_kind_json(k));
	*out = json_pack("{s:o}", "kinds", list);
	if (*out && body_slug)
		json_object_set_new(*out, "body", json_pack("{s:s, s:s}", "slug", body_slug,
				    "kind", delegate ? "delegate" : "local"));
	return *out ? 0 : PX_E_NOMEM;
}
