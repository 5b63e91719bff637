/*
 * community.h: communities, the local areas the operator registers. They
 * are infrastructure, not governance: adding one decides nothing, but it
 * is journaled like everything else.
 *
 * Slugs everywhere in pnyx: 2 to 64 characters, lower-case letters,
 * digits and '-', starting with a letter or digit.
 */
#ifndef PNYX_COMMUNITY_H
#define PNYX_COMMUNITY_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

/* Operator only (ctx->operator). Fields: slug, name (1-120), population
 * (0 to 100,000,000). */
int gov_community_add(const struct gov_ctx *ctx, const char *slug,
		      const char *name, int64_t population, json_t **out,
		      struct px_error *err);
/* [{"slug","name","population","assembly": slug or null}, ...] */
int gov_community_list(const struct gov_ctx *ctx, json_t **out,
		       struct px_error *err);
int gov_community_get(const struct gov_ctx *ctx, const char *slug,
		      json_t **out, struct px_error *err);

/* Whether s is a valid slug. */
int gov_slug_valid(const char *s);

#endif
