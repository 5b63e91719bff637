/*
 * probserial.h: probabilistic serial (Bogomolnaia and Moulin, "A new
 * solution to the random assignment problem", J. Econ. Theory 100, 2001),
 * the alternative to random serial dictatorship when people rank several
 * alternatives of a scarce good (two kinds of bicycle, three schools).
 *
 * Each person wants one unit. Alternative j has supply[j] units. Everyone
 * "eats" at the same speed, from time 0 to time 1, always from the best
 * alternative they ranked that is not yet eaten up; a person whose ranked
 * alternatives are all gone stops. What each has eaten of each
 * alternative is the probability that they receive it. The result is
 * envy-free (everyone prefers, in the sense of first-order stochastic
 * dominance, their own shares to anyone else's) and ordinally efficient
 * (no other assignment is at least as good for everyone and better for
 * one, by stochastic dominance). Shares are exact fractions.
 *
 * Widths: at most PX_PS_MAX_AGENTS people and PX_PS_MAX_GOODS
 * alternatives, supplies in [0, 2^32]. The eating times are fractions in
 * 128 bits, reduced at every step, and the shares are returned as
 * fractions of 64-bit integers; their denominators multiply the numbers
 * of eaters at each event, so an instance of many alternatives may not
 * fit (500 people over 10 alternatives do; 200 over 20 do not, see
 * docs/sharing.md section 7): it is refused with PX_E_OUT_OF_RANGE
 * ("agents"), never rounded.
 *
 * Ownership: the caller owns every array.
 */
#ifndef PNYX_PROBSERIAL_H
#define PNYX_PROBSERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"
#include "ration.h"

struct px_error;

#define PX_PS_MAX_AGENTS 100000
#define PX_PS_MAX_GOODS 10000

struct px_ps_agent {
	size_t n_ranked;        /* 0..n_goods */
	const uint32_t *ranked; /* alternatives, best first, each at most once */
};

/*
 * Eat. out has one entry per ranked alternative, agent by agent in order
 * (agent 0's n_ranked entries first, then agent 1's, ...): out[k] is the
 * share of that agent in that alternative. PX_E_BAD_INPUT / OUT_OF_RANGE
 * name "agents", "goods", "supply" or "ranked".
 */
int px_ps_eat(const struct px_ps_agent *agents, size_t n_agents,
	      const int64_t *supply, size_t n_goods, struct px_ration_q *out,
	      struct px_error *err) PX_MUST_CHECK;

/*
 * Draw who receives what, so that each person receives each alternative
 * with exactly the probability the shares give (docs/sharing.md section
 * 5): dependent rounding (Gandhi, Khuller, Parthasarathy and Srinivasan,
 * "Dependent rounding and its applications to approximation algorithms",
 * J. ACM 53, 2006) on the graph of positive shares, over their least
 * common denominator, its choices taken from the stream of randstream.h
 * keyed by seed. Nobody receives more than one unit nor an alternative
 * they did not rank, no alternative goes to more people than its
 * supply, and whoever's shares sum to 1 receives something.
 * assigned[i] is the alternative person i receives, or -1. shares is
 * px_ps_eat's output for the same agents. PX_E_OUT_OF_RANGE ("shares")
 * when the common denominator passes 2^62.
 */
int px_ps_draw(const struct px_ps_agent *agents, size_t n_agents,
	       const int64_t *supply, size_t n_goods, const struct px_ration_q *shares,
	       const unsigned char seed[32], int64_t *assigned,
	       struct px_error *err) PX_MUST_CHECK;

#endif
