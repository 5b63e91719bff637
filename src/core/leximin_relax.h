/*
 * leximin_relax.h: LEXIMIN by "relax, decompose, prove" (issue #19,
 * docs/sortition.md section 8.3), the first attempt of px_fair_dist.
 *
 * The expected seats x_t of every distribution over quota-respecting
 * panels lie in the relaxed polytope
 *     R = { x : 0 <= x_t <= c_t, sum x_t = k, min_v <= sum_{t has v} x_t <= max_v },
 * whose rows are the F values, not the T types. px_leximin_relaxed()
 * computes the LEXIMIN point of R (per-person probabilities x_t / c_t)
 * by a few small linear programs of F + 1 rows. px_leximin_decompose()
 * then tries to write that point as a convex combination of integer
 * panels; when it succeeds, the distribution is LEXIMIN over the true
 * panels too (R contains their hull, so nothing can do better), proven.
 *
 * Internal to src/core (leximin.c).
 */
#ifndef PNYX_LEXIMIN_RELAX_H
#define PNYX_LEXIMIN_RELAX_H

#include <stddef.h>
#include "leximin.h"

struct px_quota;

/*
 * LEXIMIN over R: x (ntypes) gets each type's expected seats, *levels
 * the levels solved. progress (may be NULL) is told each level; a stop
 * asked is not heard here (nothing drawable exists yet). Returns 0,
 * PX_E_NOMEM or PX_E_SOLVER.
 */
int px_leximin_relaxed(const struct px_quota *q, px_progress_fn *progress,
		       void *ctx, double *x, size_t *levels);

/*
 * Write x as a distribution over panels that meet every quota: out gets
 * the panels and their probabilities (type_prob from them). *done is 1
 * when the decomposition is exact (the probability left uncovered, and
 * so each type's error, at most 1e-8), and then out->optimal is 1.
 * Otherwise (the greedy got stuck, or progress asked to stop) out holds
 * the panels found so far, renormalised, for the caller to go on from
 * (it may be empty). Returns 0, or PX_E_NOMEM / PX_E_SOLVER.
 */
int px_leximin_decompose(const struct px_quota *q, const double *x,
			 px_progress_fn *progress, void *ctx,
			 struct px_fair_state *st, struct px_dist *out, int *done);

#endif
