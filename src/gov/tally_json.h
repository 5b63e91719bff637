/*
 * tally_json.h: a count's result as JSON, the shape `pnyx tally --json`
 * prints and POST /api/v1/tally answers (docs/tally.md): method, seats,
 * ballots, quota, decimals, elected, ranking (levels; a level of several
 * is a tie), rounds (label, votes, state, transfers, non_transferable,
 * quota), pairwise, candidates, seed, lots, notes. Fixed-point values
 * are strings with their decimals, never floating point.
 */
#ifndef PNYX_TALLY_JSON_H
#define PNYX_TALLY_JSON_H

#include <jansson.h>

#include "core/tally.h"

/* A new reference, or NULL when out of memory. */
json_t *tally_result_json(const struct tally_result *r,
			  const struct ballot_set *bs);

#endif
