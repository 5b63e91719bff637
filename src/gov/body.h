/*
 * body.h: bodies (assemblies). For now, local assemblies: one per
 * community, founded by any account, which becomes the first member.
 *
 * Founding input (POST /api/v1/bodies):
 *   name       1-120 characters
 *   slug       optional; derived from the community's slug when absent
 *   community  the community's slug
 *   statement  the statement of values, 1-20,000 characters of Markdown
 *   rule       the initial decision rule, a JSON object (see docs/rules.md)
 *   schedule   {"rrule": "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
 *               "tz": "Europe/Madrid", "place": "..."}
 *   basis      optional: the founder's basis of membership, "lives"
 *              (default) or "works"
 */
#ifndef PNYX_BODY_H
#define PNYX_BODY_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

struct body_found {
	const char *name;
	const char *slug; /* may be NULL */
	const char *community;
	const char *statement;
	const json_t *rule;
	const json_t *schedule;
	const char *basis; /* the founder's basis: "lives" (default) or "works" */
};

int gov_body_found(const struct gov_ctx *ctx, const struct body_found *in,
		   json_t **out, struct px_error *err);
/* [{"slug","name","kind","community","members": N}, ...] */
int gov_body_list(const struct gov_ctx *ctx, json_t **out,
		  struct px_error *err);
/* The body with statement, rule, schedule, member count. */
int gov_body_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		 struct px_error *err);

/* {"offices": [{"name","duties","holder"}], "committees": [{"id","name",
 * "scope","decision_kinds","members","ends_at","state"}]} */
int gov_body_offices(const struct gov_ctx *ctx, const char *slug, json_t **out,
		     struct px_error *err);

/* Internal to gov/: the id of the body called slug, or PX_E_NOT_FOUND
 * ("no body 'slug'"). */
struct store;
int body_id_by_slug(struct store *s, const char *slug, int64_t *id,
		    struct px_error *err);

#endif
