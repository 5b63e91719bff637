/*
 * panelswap.c: best-swap local search over panels (panelswap.h).
 *
 * The types are kept sorted by weight, heaviest first. For each seated
 * type a, the best type b to seat instead is the heaviest one that can
 * take the seat without breaking a quota, so the scan over b stops at the
 * first that can, or as soon as w_b - w_a is no better than the best swap
 * found for another a. A swap changes two types' counts and, in each
 * category where a and b differ, two features' seat counts by one; it is
 * allowed when the feature losing a seat stays at or above its minimum
 * and the one gaining stays at or below its maximum. The panel size never
 * changes.
 *
 * With at most 64 values in all (a national pool has about 30), a type is
 * also a bit mask of its values, and each seated type a gets the mask of
 * the values a type may have to take a's seat: a's own, and in each
 * category where a's value can lose a seat, every value of the category
 * that can gain one. A swap a -> b is then allowed exactly when b's mask
 * lies within a's, one AND instead of a loop over the categories, and a b
 * outside the union of every seated type's mask is skipped at once. The
 * swaps taken are the same as by can_swap.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "panelswap.h"
#include "quota.h"
#include "banned.h"

struct by_weight {
	double w;
	size_t t;
};

struct px_panelswap {
	const struct px_quota *q;
	double *w;               /* ntypes */
	struct by_weight *order; /* ntypes, heaviest first */
	double eps;              /* a swap must gain more than this */
	int64_t *seats;          /* nfeat: the panel's seats per feature */
	size_t *seated;          /* ntypes: the types on the panel */
	uint64_t *tmask;         /* ntypes: the type's values as bits, or NULL
				  * (more than 64 values: can_swap alone) */
	uint64_t *catmask;       /* ncat: the values of the category */
	uint64_t *allowed;       /* ntypes, by seated index: who may take it */
	struct by_weight *tmp;   /* ntypes: px_panelswap_reweigh's merge */
	char *mark;              /* ntypes: changed types */
};

struct px_panelswap *px_panelswap_new(const struct px_quota *q)
{
	struct px_panelswap *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->q = q;
	s->w = px_mallocarray(q->ntypes, sizeof(double));
	s->order = px_mallocarray(q->ntypes, sizeof(struct by_weight));
	s->seats = px_mallocarray(q->nfeat, sizeof(int64_t));
	s->seated = px_mallocarray(q->ntypes, sizeof(size_t));
	s->tmp = px_mallocarray(q->ntypes ? q->ntypes : 1, sizeof(struct by_weight));
	s->mark = calloc(q->ntypes ? q->ntypes : 1, 1);
	if (!s->w || !s->order || !s->seats || !s->seated || !s->tmp || !s->mark) {
		px_panelswap_free(s);
		return NULL;
	}
	if (q->nfeat <= 64) {
		s->tmask = px_mallocarray(q->ntypes ? q->ntypes : 1, sizeof(uint64_t));
		s->allowed = px_mallocarray(q->ntypes ? q->ntypes : 1, sizeof(uint64_t));
		s->catmask = calloc(q->ncat ? q->ncat : 1, sizeof(uint64_t));
		if (!s->tmask || !s->allowed || !s->catmask) {
			px_panelswap_free(s);
			return NULL;
		}
		/* from the types alone: q->feat may be filled later (a face) */
		for (size_t t = 0; t < q->ntypes; t++) {
			uint64_t m = 0;
			for (size_t c = 0; c < q->ncat; c++) {
				uint64_t bit = (uint64_t)1 << q->type_feat[t * q->ncat + c];
				m |= bit;
				s->catmask[c] |= bit;
			}
			s->tmask[t] = m;
		}
	}
	return s;
}

void px_panelswap_free(struct px_panelswap *s)
{
	if (!s)
		return;
	free(s->w);
	free(s->order);
	free(s->seats);
	free(s->seated);
	free(s->tmask);
	free(s->catmask);
	free(s->allowed);
	free(s->tmp);
	free(s->mark);
	free(s);
}

static int heavier_first(const void *a, const void *b)
{
	const struct by_weight *x = a, *y = b;
	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t; /* deterministic */
}

void px_panelswap_weights(struct px_panelswap *s, const double *weights)
{
	size_t T = s->q->ntypes;
	double big = 0;
	memcpy(s->w, weights, T * sizeof(double));
	for (size_t t = 0; t < T; t++) {
		s->order[t] = (struct by_weight){ weights[t], t };
		double a = weights[t] < 0 ? -weights[t] : weights[t];
		if (a > big)
			big = a;
	}
	qsort(s->order, T, sizeof(*s->order), heavier_first);
	s->eps = 1e-12 * big;
}

void px_panelswap_reweigh(struct px_panelswap *s, const double *weights,
			  const size_t *changed, size_t nchanged)
{
	size_t T = s->q->ntypes, n = 0, nc = 0;
	double big = 0;
	memcpy(s->w, weights, T * sizeof(double));
	for (size_t i = 0; i < nchanged; i++)
		s->mark[changed[i]] = 1;
	/* the unchanged, in their order, and the changed apart */
	for (size_t j = 0; j < T; j++) {
		size_t t = s->order[j].t;
		if (!s->mark[t])
			s->order[n++] = (struct by_weight){ weights[t], t };
	}
	for (size_t t = 0; t < T; t++) {
		double a = weights[t] < 0 ? -weights[t] : weights[t];
		if (a > big)
			big = a;
		if (s->mark[t]) {
			s->tmp[nc++] = (struct by_weight){ weights[t], t };
			s->mark[t] = 0;
		}
	}
	qsort(s->tmp, nc, sizeof(*s->tmp), heavier_first);
	/* merge from the end, in place: order[0..n) and tmp[0..nc) */
	size_t i = n, k = nc, out = n + nc;
	while (k > 0) {
		if (i > 0 && heavier_first(&s->order[i - 1], &s->tmp[k - 1]) > 0)
			s->order[--out] = s->order[--i];
		else
			s->order[--out] = s->tmp[--k];
	}
	s->eps = 1e-12 * big;
}

size_t px_panelswap_ranked(const struct px_panelswap *s, size_t i)
{
	return s->order[i].t;
}

/* Whether one seat can move from type a to type b. */
static int can_swap(const struct px_panelswap *s, size_t a, size_t b)
{
	const struct px_quota *q = s->q;
	const size_t *fa = q->type_feat + a * q->ncat, *fb = q->type_feat + b * q->ncat;
	for (size_t c = 0; c < q->ncat; c++)
		if (fa[c] != fb[c] && (s->seats[fa[c]] - 1 < q->feat[fa[c]].min ||
				       s->seats[fb[c]] + 1 > q->feat[fb[c]].max))
			return 0;
	return 1;
}

double px_panelswap_improve(struct px_panelswap *s, int *counts, size_t max_moves)
{
	const struct px_quota *q = s->q;
	size_t T = q->ntypes, nseated = 0;
	double value;
	memset(s->seats, 0, q->nfeat * sizeof(int64_t));
	for (size_t t = 0; t < T; t++) {
		if (!counts[t])
			continue;
		s->seated[nseated++] = t;
		for (size_t c = 0; c < q->ncat; c++)
			s->seats[q->type_feat[t * q->ncat + c]] += counts[t];
	}
	for (size_t move = 0; move < max_moves; move++) {
		/* seated types lightest first (insertion sort: few of them) */
		for (size_t i = 1; i < nseated; i++) {
			size_t t = s->seated[i], j = i;
			for (; j > 0 && s->w[s->seated[j - 1]] > s->w[t]; j--)
				s->seated[j] = s->seated[j - 1];
			s->seated[j] = t;
		}
		double best = s->eps;
		size_t ba = T, bb = T, bi = 0;
		if (!nseated)
			break;
		double lightest = s->w[s->seated[0]];
		uint64_t any = 0;
		if (s->tmask) {
			uint64_t gain = 0; /* the values that can take one more seat */
			for (size_t f = 0; f < q->nfeat; f++)
				if (s->seats[f] + 1 <= q->feat[f].max)
					gain |= (uint64_t)1 << f;
			for (size_t i = 0; i < nseated; i++) {
				const size_t *fa = q->type_feat + s->seated[i] * q->ncat;
				uint64_t m = s->tmask[s->seated[i]];
				for (size_t c = 0; c < q->ncat; c++)
					if (s->seats[fa[c]] - 1 >= q->feat[fa[c]].min)
						m |= s->catmask[c] & gain;
				s->allowed[i] = m;
				any |= m;
			}
		}
		for (size_t j = 0; j < T; j++) {
			size_t b = s->order[j].t;
			double wb = s->order[j].w;
			if (wb - lightest <= best)
				break; /* no later b can do better */
			if ((size_t)counts[b] >= q->type_count[b])
				continue;
			uint64_t bm = s->tmask ? s->tmask[b] : 0;
			if (bm & ~any)
				continue; /* no seated type can give b a seat */
			for (size_t i = 0; i < nseated; i++) {
				size_t a = s->seated[i];
				if (wb - s->w[a] <= best)
					break;
				if (a == b || (s->tmask ? (bm & ~s->allowed[i]) != 0 : !can_swap(s, a, b)))
					continue;
				best = wb - s->w[a];
				ba = a;
				bb = b;
				bi = i;
				break;
			}
		}
		if (ba == T)
			break;
		const size_t *fa = q->type_feat + ba * q->ncat, *fb = q->type_feat + bb * q->ncat;
		for (size_t c = 0; c < q->ncat; c++) {
			s->seats[fa[c]]--;
			s->seats[fb[c]]++;
		}
		if (!counts[bb])
			s->seated[nseated++] = bb;
		counts[bb]++;
		if (!--counts[ba])
			s->seated[bi] = s->seated[--nseated];
	}
	value = 0; /* again from the counts, without the sums' rounding */
	for (size_t i = 0; i < nseated; i++)
		value += s->w[s->seated[i]] * counts[s->seated[i]];
	return value;
}
