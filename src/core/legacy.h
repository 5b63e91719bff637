/*
 * legacy.h: the Sortition Foundation's original greedy selection
 * ("LEGACY" in Flanigan et al., Nature 596, 2021), for comparison with
 * LEXIMIN: seat people one at a time, each time from the value whose
 * unmet minimum is largest relative to the people left who have it,
 * choosing uniformly among them; drop everyone with a value once it is at
 * its maximum; start again when the quotas can no longer be met.
 *
 * pnyx makes it verifiable like everything else: a lottery of M panels,
 * panel i drawn with the stream keyed by
 *     BLAKE2b-256("pnyx/sortition/v1/legacy" || u32(i))
 * (a fixed key, so anyone can recompute the lottery from the files); the
 * probabilities reported are each person's share of the M tickets.
 *
 * Ownership: as lottery.h.
 */
#ifndef PNYX_LEGACY_H
#define PNYX_LEGACY_H

#include <stddef.h>
#include "errors.h"

struct px_quota;
struct px_lottery;
struct px_error;

/* Sample m panels; PX_E_INFEASIBLE when a panel fails 1000 attempts. */
int px_legacy_lottery(const struct px_quota *q, size_t m,
		      struct px_lottery *out, struct px_error *err) PX_MUST_CHECK;

#endif
