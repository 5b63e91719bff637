/*
 * lot_apply.h: internal to gov/lot. Each effect of the domain is applied
 * by one function from its journal payload, inside the caller's
 * transaction: the live path builds the payload, applies it and appends
 * it; replay applies the payload it reads. So the two cannot drift apart.
 */
#ifndef PNYX_GOV_LOT_APPLY_H
#define PNYX_GOV_LOT_APPLY_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"

struct store;

/* region.add {"slug","name","communities":[..],"regions":[..]} */
int lot_apply_region(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
/* polity.add {"slug","name","description","region","seats","cohorts",
 * "widest","rule","schedule"} */
int lot_apply_polity(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
/* citizen.residence {"person","community"} */
int lot_apply_residence(struct store *s, const json_t *p, int64_t at,
			struct px_error *err) PX_MUST_CHECK;
/* citizen.consent {"person","expires_at"} */
int lot_apply_consent(struct store *s, const json_t *p, int64_t at,
		      struct px_error *err) PX_MUST_CHECK;

/* The SQL of a region's closure: every region reachable from ?1 by its
 * parts, itself included, as the common table "down(id)". */
#define LOT_REGION_DOWN \
	"WITH RECURSIVE down(id) AS (SELECT ?1 UNION SELECT p.part_id" \
	" FROM region_parts p JOIN down ON p.region_id = down.id)"

/* The id of a region by slug: PX_E_NOT_FOUND naming field. */
int lot_region_id(struct store *s, const char *slug, const char *field,
		  int64_t *id, struct px_error *err) PX_MUST_CHECK;

/* {"residents": N, "citizens": N} of the region's communities at now. */
int lot_region_counts(struct store *s, int64_t region_id, int64_t now,
		      int64_t *residents, int64_t *citizens) PX_MUST_CHECK;

#endif
