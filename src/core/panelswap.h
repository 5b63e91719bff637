/*
 * panelswap.h: a fast local search over panels of a stratified selection,
 * the heuristic half of LEXIMIN's pricing (leximin.c). From a panel that
 * meets every quota, it moves one seat at a time from one type to another
 * (a swap: one person of type a out, one of type b in), taking the swap
 * that raises sum weights[t] * counts[t] the most, while every quota stays
 * met, until no swap raises it. Each panel it returns meets every quota;
 * it proves nothing about optimality (the integer program, panelip.h, does
 * that).
 *
 * Cost of one improve: O(moves * seated types * ncat) plus the scan of
 * the types by weight, which stops as soon as no better swap can follow.
 *
 * Ownership: px_panelswap_new() returns a heap object for
 * px_panelswap_free(); it reads q during the calls.
 */
#ifndef PNYX_PANELSWAP_H
#define PNYX_PANELSWAP_H

#include <stddef.h>

struct px_quota;
struct px_panelswap;

struct px_panelswap *px_panelswap_new(const struct px_quota *q);
void px_panelswap_free(struct px_panelswap *s);

/* Set the weights (ntypes, copied) for the following improve calls. */
void px_panelswap_weights(struct px_panelswap *s, const double *weights);

/*
 * Set new weights when only the types in changed (nchanged of them) may
 * have moved relative to the others: every other type's new weight must
 * be a non-decreasing function of its old one (the same order), as when
 * all are scaled alike. Then the order by weight is kept by merging the
 * changed types back in, O(T + n log n) instead of sorting all T.
 */
void px_panelswap_reweigh(struct px_panelswap *s, const double *weights,
			  const size_t *changed, size_t nchanged);

/* The type of rank i (0: the heaviest) in the order by weight. */
size_t px_panelswap_ranked(const struct px_panelswap *s, size_t i);

/*
 * Improve counts (ntypes, a panel meeting every quota) in place by swaps;
 * at most max_moves swaps. Returns the panel's weight afterwards.
 */
double px_panelswap_improve(struct px_panelswap *s, int *counts, size_t max_moves);

#endif
