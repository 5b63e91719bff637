/*
 * draw.h: the ranked list of a uniform draw (docs/sortition.md section 6):
 * a partial Fisher-Yates shuffle of the positions 0..n-1 of the canonical
 * order, driven by the stream of randstream.h. The first k positions are
 * the people drawn, the following ones the alternates in order. Because
 * the shuffle fills positions front to back, a longer list always extends
 * a shorter one: the drawn people never depend on how many alternates are
 * asked for.
 *
 * Ownership: the caller supplies the output array.
 */
#ifndef PNYX_DRAW_H
#define PNYX_DRAW_H

#include <stddef.h>
#include <stdint.h>
#include "errors.h"

struct px_error;

/*
 * Write into out[0..r-1] the first r positions of the shuffle of n
 * positions keyed by seed (r <= n <= UINT32_MAX). Fails with PX_E_NOMEM
 * or PX_E_OUT_OF_RANGE.
 */
int px_draw_rank(const unsigned char seed[32], size_t n, size_t r,
		 uint32_t *out, struct px_error *err) PX_MUST_CHECK;

#endif
