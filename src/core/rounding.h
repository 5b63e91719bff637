/*
 * rounding.h: how many of m lottery tickets each panel of a distribution
 * gets (docs/sortition.md section 8.4), after Flanigan, Kehne and
 * Procaccia, "Fair sortition made transparent" (NeurIPS 2021).
 *
 * A panel P of probability lambda_P gets n_P = floor(m lambda_P) or one
 * more ticket, sum n_P = m. Panels are vectors of seats per type; type t
 * (c_t members) then holds S_t = sum_P n_P x_{P,t} seats over the
 * tickets, and since the seats are dealt to its members in turn (lottery.c)
 * each member is on floor(S_t / c_t) or ceil(S_t / c_t) tickets. The
 * *deviation* of a rounding is the largest |tickets / m - pi_t| over every
 * member of every type, pi_t the distribution's probability.
 *
 *   - PX_ROUND_OPTIMAL: integer programs (GLPK) find the rounding of
 *     smallest deviation, measured exactly as above. Each program's search
 *     is bounded by a number of branch-and-bound nodes (deterministic) and
 *     a time limit (a safety net). info->used is PX_ROUND_OPTIMAL when the
 *     optimum is proven, PX_ROUND_IMPROVED when a node limit stopped the
 *     search and the best rounding found beats the heuristic's (not proven
 *     optimal), PX_ROUND_HEURISTIC when it does not or the time limit
 *     struck (info->fallback says why). With total_ms, the search as a
 *     whole stops then, with the best rounding found so far (improved
 *     or the heuristic's): no longer deterministic, and info->fallback
 *     or PX_ROUND_IMPROVED says it was not finished.
 *   - PX_ROUND_HEURISTIC: largest remainders, then up to 50 single-ticket
 *     moves while they lower the deviation (pnyx's rounding before the
 *     integer program; kept as the fallback and for comparison).
 *
 * Both are deterministic for given inputs and options: the program is
 * built from the panels in a canonical order and GLPK runs single-threaded
 * with fixed options.
 *
 * Ownership: the caller owns every array; nothing is kept.
 */
#ifndef PNYX_ROUNDING_H
#define PNYX_ROUNDING_H

#include <stddef.h>
#include "errors.h"

struct px_quota;
struct px_dist;
struct px_error;

enum px_rounding { PX_ROUND_OPTIMAL, PX_ROUND_HEURISTIC, PX_ROUND_IMPROVED };

struct px_round_opts {
	enum px_rounding method;
	size_t node_limit;  /* branch-and-bound nodes; 0: the default */
	int time_limit_ms;  /* 0: the default; a safety net only */
	int total_ms;       /* 0: none; else all the programs together stop
			     * after this, keeping the best rounding found
			     * (pnyx select --time-limit: its remaining time) */
};

#define PX_ROUND_NODE_LIMIT 1000
#define PX_ROUND_TIME_LIMIT_MS 30000

struct px_round_info {
	enum px_rounding used;
	double deviation;   /* largest deviation, in tickets (times 1/m) */
	double heuristic_deviation; /* the heuristic's, for comparison */
	double lower_bound; /* no rounding does better (optimal method only) */
	size_t nodes;       /* branch-and-bound nodes the programs took */
	size_t checks;      /* feasibility programs solved */
	const char *fallback; /* why the heuristic was used, or NULL */
};

/* The name of a method ("optimal", "heuristic"). */
const char *px_rounding_name(enum px_rounding r);

/*
 * Fill n (d->npanels) with ticket counts summing to m. opts NULL: the
 * optimal method with the default limits. info may be NULL. Returns 0,
 * PX_E_NOMEM or PX_E_OUT_OF_RANGE (m == 0 or no panel).
 */
int px_round_tickets(const struct px_quota *q, const struct px_dist *d,
		     size_t m, const struct px_round_opts *opts, size_t *n,
		     struct px_round_info *info, struct px_error *err) PX_MUST_CHECK;

/* The deviation of ticket counts n, in tickets (see above). */
double px_round_deviation(const struct px_quota *q, const struct px_dist *d,
			  const size_t *n, size_t m);

#endif
