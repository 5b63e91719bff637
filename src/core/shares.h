/*
 * shares.h: a voice shared equally among seats, in whole numbers.
 *
 * A delegate assembly gives each member assembly a voice (1, or its
 * population) and shares it equally among the seats that member fills, so
 * one seat weighs voice/seats: a fraction. shares_weigh() finds the
 * smallest whole weights in exactly those proportions: over a common
 * denominator (the least common multiple of the reduced denominators),
 * divided by the greatest common divisor of the results. The arithmetic
 * is done in 128 bits with every product checked, so no seat count or
 * population can overflow it.
 *
 * A decision rule counts up to a maximum (RULE_COUNT_MAX). When the exact
 * total of the voices passes it (populations in the millions, many seats
 * with no common factor), every seat weight is divided by one factor k
 * and rounded down: the only place a weight is not exact, and the result
 * says so (exact = 0). When even 128 bits cannot hold the common
 * denominator, the weights are the voices' proportional shares of the
 * maximum, rounded down (also exact = 0).
 */
#ifndef PNYX_SHARES_H
#define PNYX_SHARES_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

struct shares_member {
	int64_t voice;       /* >= 0: 1, or the member's population */
	int64_t seats;       /* >= 0: the seats it fills */
	int64_t seat_weight; /* out: the weight of each of its seats */
	int64_t share;       /* out: its part of the total (seat_weight *
			      * seats, or its scaled voice when it fills none) */
};

/*
 * Weigh n members' seats; *total receives the sum of the shares (at most
 * max_total), *exact whether every weight is in exact proportion.
 * PX_E_BAD_INPUT for a negative voice or seat count or max_total < 1.
 */
int shares_weigh(struct shares_member *m, size_t n, int64_t max_total,
		 int64_t *total, int *exact) PX_MUST_CHECK;

#endif
