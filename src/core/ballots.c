/*
 * ballots.c: the distinct-ballot store. Identical ballots are merged on
 * insertion through an open-addressing hash table over the entries, so a
 * file of a million lines with ten thousand distinct orders costs ten
 * thousand ballots of memory.
 *
 * Invariants: off[0] == 0, off[i] <= off[i+1], off[n] entries used;
 * every stored ballot is non-empty and distinct from every other; total
 * is the sum of weight[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ballots.h"
#include "errors.h"
#include "banned.h"

int ballots_init(struct ballot_set *bs, size_t ncand)
{
	memset(bs, 0, sizeof(*bs));
	if (ncand == 0 || ncand > BALLOTS_MAX_CAND)
		return PX_E_OUT_OF_RANGE;
	bs->ncand = ncand;
	bs->names = calloc(ncand, sizeof(*bs->names));
	bs->withdrawn = calloc(ncand, 1);
	bs->off = malloc(sizeof(*bs->off));
	if (!bs->names || !bs->withdrawn || !bs->off)
		goto nomem;
	bs->off[0] = 0;
	for (size_t i = 0; i < ncand; i++) {
		char num[16];
		int len = snprintf(num, sizeof(num), "%zu", i + 1);
		if (ballots_set_name(bs, i, num, (size_t)len))
			goto nomem;
	}
	return 0;
nomem:
	ballots_release(bs);
	return PX_E_NOMEM;
}

void ballots_release(struct ballot_set *bs)
{
	for (size_t i = 0; bs->names && i < bs->ncand; i++)
		free(bs->names[i]);
	for (size_t i = 0; bs->nicks && i < bs->ncand; i++)
		free(bs->nicks[i]);
	free(bs->names);
	free(bs->nicks);
	free(bs->title);
	free(bs->withdrawn);
	free(bs->tie_order);
	free(bs->weight);
	free(bs->off);
	free(bs->cand);
	free(bs->level);
	free(bs->slots);
	memset(bs, 0, sizeof(*bs));
}

int ballots_set_name(struct ballot_set *bs, size_t i, const char *name,
		     size_t len)
{
	char *s = malloc(len + 1);
	if (!s)
		return PX_E_NOMEM;
	memcpy(s, name, len);
	s[len] = '\0';
	free(bs->names[i]);
	bs->names[i] = s;
	return 0;
}

static uint64_t hash_entries(const uint16_t *cand, const uint16_t *level,
			     size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len;
	for (size_t i = 0; i < len; i++) {
		h ^= ((uint64_t)cand[i] << 16) | level[i];
		h *= 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	return h;
}

static int same_ballot(const struct ballot_set *bs, size_t b,
		       const uint16_t *cand, const uint16_t *level, size_t len)
{
	size_t o = bs->off[b];
	return bs->off[b + 1] - o == len &&
	       !memcmp(bs->cand + o, cand, len * sizeof(*cand)) &&
	       !memcmp(bs->level + o, level, len * sizeof(*level));
}

static int grow_slots(struct ballot_set *bs)
{
	size_t n = bs->nslots ? bs->nslots * 2 : 1024;
	uint32_t *s = px_mallocarray(n, sizeof(*s));
	if (!s)
		return PX_E_NOMEM;
	memset(s, 0xff, n * sizeof(*s));
	for (size_t b = 0; b < bs->n; b++) {
		size_t o = bs->off[b], len = bs->off[b + 1] - o;
		size_t k = hash_entries(bs->cand + o, bs->level + o, len) & (n - 1);
		while (s[k] != UINT32_MAX)
			k = (k + 1) & (n - 1);
		s[k] = (uint32_t)b;
	}
	free(bs->slots);
	bs->slots = s;
	bs->nslots = n;
	return 0;
}

static int reserve(struct ballot_set *bs, size_t len)
{
	if (bs->n + 1 > bs->cap) {
		size_t cap = bs->cap ? bs->cap * 2 : 256;
		uint64_t *w = px_reallocarray(bs->weight, cap, sizeof(*w));
		if (!w)
			return PX_E_NOMEM;
		bs->weight = w;
		size_t *off = px_reallocarray(bs->off, cap + 1, sizeof(*off));
		if (!off)
			return PX_E_NOMEM;
		bs->off = off;
		bs->cap = cap;
	}
	size_t need = bs->off[bs->n] + len;
	if (need > bs->ecap) {
		size_t cap = bs->ecap ? bs->ecap : 1024;
		while (cap < need)
			cap *= 2;
		uint16_t *c = px_reallocarray(bs->cand, cap, sizeof(*c));
		if (!c)
			return PX_E_NOMEM;
		bs->cand = c;
		uint16_t *l = px_reallocarray(bs->level, cap, sizeof(*l));
		if (!l)
			return PX_E_NOMEM;
		bs->level = l;
		bs->ecap = cap;
	}
	return 0;
}

int ballots_add(struct ballot_set *bs, const uint16_t *cand,
		const uint16_t *level, size_t len, uint64_t weight)
{
	if (weight > BALLOTS_MAX_WEIGHT ||
	    bs->total + bs->empty + weight > BALLOTS_MAX_WEIGHT)
		return PX_E_OUT_OF_RANGE;
	if (len == 0) {
		bs->empty += weight;
		return 0;
	}
	if (weight == 0)
		return 0;
	if ((bs->n + 1) * 2 > bs->nslots && grow_slots(bs))
		return PX_E_NOMEM;
	size_t mask = bs->nslots - 1;
	size_t k = hash_entries(cand, level, len) & mask;
	while (bs->slots[k] != UINT32_MAX) {
		if (same_ballot(bs, bs->slots[k], cand, level, len)) {
			bs->weight[bs->slots[k]] += weight;
			bs->total += weight;
			return 0;
		}
		k = (k + 1) & mask;
	}
	if (bs->n >= UINT32_MAX - 1 || reserve(bs, len))
		return PX_E_NOMEM;
	size_t o = bs->off[bs->n];
	memcpy(bs->cand + o, cand, len * sizeof(*cand));
	memcpy(bs->level + o, level, len * sizeof(*level));
	for (size_t i = 1; i < len; i++)
		if (level[i] == level[i - 1])
			bs->has_ties = 1;
	bs->weight[bs->n] = weight;
	bs->off[bs->n + 1] = o + len;
	bs->slots[k] = (uint32_t)bs->n;
	bs->n++;
	bs->total += weight;
	return 0;
}

void ballots_seal(struct ballot_set *bs)
{
	free(bs->slots);
	bs->slots = NULL;
	bs->nslots = 0;
}
