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
	if (!s->w || !s->order || !s->seats || !s->seated) {
		px_panelswap_free(s);
		return NULL;
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
		for (size_t j = 0; j < T; j++) {
			size_t b = s->order[j].t;
			double wb = s->order[j].w;
			if (wb - lightest <= best)
				break; /* no later b can do better */
			if ((size_t)counts[b] >= q->type_count[b])
				continue;
			for (size_t i = 0; i < nseated; i++) {
				size_t a = s->seated[i];
				if (wb - s->w[a] <= best)
					break;
				if (a == b || !can_swap(s, a, b))
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
