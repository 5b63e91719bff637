/*
 * leximin.h: fair selection probabilities for stratified panels.
 *
 * LEXIMIN (Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms
 * for selecting citizens' assemblies", Nature 596, 2021): among all
 * probability distributions over quota-respecting panels, the one whose
 * sorted vector of selection probabilities is lexicographically largest:
 * the least likely person is as likely as possible, then the next, and so
 * on. MAXIMIN stops after the first level. Both work on types (people
 * with equal features), who get equal probabilities.
 *
 * Floating point is used (linear programs), so results agree with the
 * optimum to about 1e-8 (1e-9 by column generation), not exactly; the
 * lottery made from them (lottery.h) is what is committed and drawn
 * exactly.
 *
 * Ownership: px_leximin() fills struct px_dist with heap memory that
 * px_dist_release() frees.
 */
#ifndef PNYX_LEXIMIN_H
#define PNYX_LEXIMIN_H

#include <stddef.h>
#include "errors.h"

struct px_quota;
struct px_error;

/*
 * The panels are kept sparse, as the types each seats (a panel seats at
 * most k of the T types): panel p seats seats[i] people of type type[i]
 * for i in [start[p], start[p + 1]), types ascending, seats[i] > 0. So a
 * distribution of about T panels takes O(T k) memory, not T^2 (92 MB of
 * dense counts at 4,171 types).
 */
struct px_dist {
	size_t ntypes, npanels;
	size_t *start;      /* npanels + 1 */
	size_t *type;       /* start[npanels] entries */
	int *seats;         /* alongside type */
	size_t cap, nnz_cap; /* px_dist_add's allocations */
	double *prob;       /* npanels: probability of each panel, sum 1 */
	double *type_prob;  /* ntypes: each member's selection probability */
	size_t levels;      /* LEXIMIN levels solved */
	size_t columns;     /* panels generated in all */
	int optimal;        /* 1: solved to the end; 0: stopped early (the
			     * progress function asked), the best found so far */
	int decomposed;     /* 1: the relaxed optimum decomposed into panels
			     * (leximin_relax.h); 0: column generation */
};

/* Where the computation stands. */
struct px_fair_state {
	const char *what;   /* "first panels", "panels generated", "types fixed",
			     * "pricing": asked from inside the integer
			     * program that looks for a new panel, or
			     * "linear program": from inside the first master
			     * of column generation (a stop there gives every
			     * panel found the same probability) */
	size_t level;       /* the level being solved, from 1 (0: first panels) */
	size_t fixed;       /* types whose probability is settled */
	size_t ntypes;
	size_t panels;      /* panels generated so far */
	double minimum;     /* the least probability among the types not yet
			     * fixed, in the last distribution (0 before one) */
};

/* Progress, called as the work goes on. Returning non-zero asks to stop:
 * once a first distribution exists (after the first panels), px_fair_dist
 * stops and returns the best distribution found so far with
 * out->optimal 0; every panel in it still meets every quota. */
typedef int px_progress_fn(void *ctx, const struct px_fair_state *st);

/*
 * PX_FAIR_LEXIMIN first computes the LEXIMIN of the relaxed problem and
 * decomposes it into panels (leximin_relax.h): when that succeeds it is
 * the optimum, proven; otherwise it goes on as PX_FAIR_LEXIMIN_COLUMNS,
 * column generation level by level (the algorithm before, kept for the
 * cases the decomposition cannot settle and for comparison).
 */
enum px_fair { PX_FAIR_LEXIMIN, PX_FAIR_MAXIMIN, PX_FAIR_LEXIMIN_COLUMNS };

/* Returns 0, PX_E_INFEASIBLE (no panel meets the quotas), PX_E_SOLVER or
 * PX_E_NOMEM. */
int px_fair_dist(const struct px_quota *q, enum px_fair how,
		 px_progress_fn *progress, void *ctx, struct px_dist *out,
		 struct px_error *err) PX_MUST_CHECK;

void px_dist_release(struct px_dist *d);

/* Append a panel given as dense counts (d->ntypes) with probability prob.
 * Returns 0 or PX_E_NOMEM (d unchanged). */
int px_dist_add(struct px_dist *d, const int *counts, double prob) PX_MUST_CHECK;

/* Panel p as dense counts x (d->ntypes). */
void px_dist_dense(const struct px_dist *d, size_t p, int *x);

/* How many people of type t panel p seats. O(log k). */
int px_dist_seats(const struct px_dist *d, size_t p, size_t t);

#endif
