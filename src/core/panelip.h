/*
 * panelip.h: the integer program over panels of a stratified selection:
 * choose how many people of each type sit on the panel (0..count of the
 * type), k in all, every feature's seats within its quota, maximising a
 * weighted sum. LEXIMIN's column generation prices with it; the
 * infeasibility report asks it whether any panel exists. Solved by GLPK's
 * branch and cut, with GLPK's messages off.
 *
 * Ownership: px_panelip_new() returns a heap object for px_panelip_free();
 * it reads q during the calls and does not keep it past the free.
 */
#ifndef PNYX_PANELIP_H
#define PNYX_PANELIP_H

#include <stddef.h>
#include <stdint.h>

struct px_quota;
struct px_panelip;

struct px_panelip *px_panelip_new(const struct px_quota *q);
void px_panelip_free(struct px_panelip *ip);

/*
 * Branch on the most fractional variable (on = 1) in px_panelip_above
 * instead of GLPK's default (Driebeck and Tomlin's heuristic, on = 0).
 * That default weighs every fractional variable with a row of the simplex
 * table each node: on thousands of types most of the search's time, and
 * wasted when any panel above a threshold will do and one is usually
 * near (LEXIMIN's first panels, which only need one new type each).
 */
void px_panelip_first_found(struct px_panelip *ip, int on);

/* Relax (on = 1) or restore (on = 0) the quota of feature f. */
void px_panelip_relax(struct px_panelip *ip, size_t f, int on);

/* Set the seats of feature f to min..max (px_panelip_relax(ip, f, 0)
 * restores its quota). */
void px_panelip_bounds(struct px_panelip *ip, size_t f, int64_t min, int64_t max);

/* Seat min..max people of type t (max at most the type's size; 0..size
 * is as built). */
void px_panelip_seats(struct px_panelip *ip, size_t t, int64_t min, int64_t max);

/*
 * Find a panel maximising sum weights[t] * counts[t] (weights NULL: any
 * panel). counts (ntypes) and value may be NULL. Returns 0, or
 * PX_E_INFEASIBLE when no panel meets the quotas, or PX_E_SOLVER.
 */
int px_panelip_solve(struct px_panelip *ip, const double *weights, int *counts,
		     double *value);

/*
 * Pricing with an early end: either find some panel whose weight is above
 * threshold (not necessarily the heaviest: the search ends at the first
 * it meets), or prove that none is, from the branch and bound's bound.
 * stop (may be NULL) is asked at each step of the search; non-zero ends
 * it. *outcome says which: PX_PRICE_FOUND (counts and *value set),
 * PX_PRICE_NONE (proven), PX_PRICE_STOPPED. Returns 0, PX_E_INFEASIBLE or
 * PX_E_SOLVER.
 */
enum px_price { PX_PRICE_FOUND, PX_PRICE_NONE, PX_PRICE_STOPPED };
int px_panelip_above(struct px_panelip *ip, const double *weights, double threshold,
		     int (*stop)(void *ctx), void *ctx, int *counts, double *value,
		     enum px_price *outcome);

#endif
