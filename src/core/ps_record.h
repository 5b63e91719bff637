/*
 * ps_record.h: the record of a round shared by probabilistic serial
 * (docs/sharing.md section 5, "A round of alternatives"): the hash of
 * its inputs, which its commitment publishes before the seed exists, and
 * the hash of its result. Both are recomputed by `pnyx verify round` and
 * by tests/cli/sharing_ref.py from the published record.
 *
 *   inputs = BLAKE2b-256("pnyx/sharing/v1/ps"
 *       || u64(m) || for each alternative, in the policy's order:
 *              u32(len(id)) || id || u64(supply)
 *       || u64(n) || for each request in canonical order (ascending leaf):
 *              leaf || u32(k) || u32(index of each ranked alternative))
 *   commitment = the round's commitment over that one hash
 *       (px_ration_round_commit)
 *   result = BLAKE2b-256("pnyx/sharing/v1/ps-result" || inputs
 *       || for each request in canonical order: for each ranked
 *              alternative u64(num) || u64(den) of its share;
 *          then u32(1 + index of the alternative received, 0: none))
 *
 * Ownership: the caller owns every array.
 */
#ifndef PNYX_PS_RECORD_H
#define PNYX_PS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "probserial.h"

/* requests[i] ranks agents[i]; leaves[i] is its leaf; the requests are in
 * canonical order already (ascending leaves). */
void px_ps_inputs_hash(const char *const *ids, const int64_t *supply, size_t m,
		       const struct px_ps_agent *agents, const unsigned char (*leaves)[32],
		       size_t n, unsigned char out[32]);
/* shares as px_ps_eat gives them; assigned as px_ps_draw does. */
void px_ps_result_hash(const unsigned char inputs[32], const struct px_ps_agent *agents,
		       size_t n, const struct px_ration_q *shares, const int64_t *assigned,
		       unsigned char out[32]);

#endif
