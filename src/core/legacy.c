/*
 * legacy.c: the greedy LEGACY selection, person by person (not by type:
 * the procedure looks at individuals in file order). Per attempt the state
 * is which people remain, how many are seated per value, and how many
 * remaining people have each value. Invariant: remaining[f] counts the
 * people still eligible who have value f.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "errors.h"
#include "legacy.h"
#include "lottery.h"
#include "quota.h"
#include "randstream.h"
#include "banned.h"

static const char tag_legacy[] = "pnyx/sortition/v1/legacy";

struct state {
	const struct px_quota *q;
	unsigned char *alive;  /* npeople */
	int64_t *seated;       /* nfeat */
	int64_t *remaining;    /* nfeat */
};

static size_t feat_of(const struct px_quota *q, size_t person, size_t c)
{
	return q->type_feat[q->person_type[person] * q->ncat + c];
}

static void drop(struct state *s, size_t i)
{
	s->alive[i] = 0;
	for (size_t c = 0; c < s->q->ncat; c++)
		s->remaining[feat_of(s->q, i, c)]--;
}

/* Whether every unmet minimum can still be met by the people left. */
static int still_possible(const struct state *s)
{
	for (size_t f = 0; f < s->q->nfeat; f++)
		if (s->q->feat[f].min - s->seated[f] > s->remaining[f])
			return 0;
	return 1;
}

/* One attempt; fills out[0..k-1] and returns 1 on success. */
static int attempt(struct state *s, struct px_stream *st, const char **out)
{
	const struct px_quota *q = s->q;
	memset(s->seated, 0, q->nfeat * sizeof(int64_t));
	memset(s->remaining, 0, q->nfeat * sizeof(int64_t));
	for (size_t i = 0; i < q->npeople; i++) {
		s->alive[i] = 1;
		for (size_t c = 0; c < q->ncat; c++)
			s->remaining[feat_of(q, i, c)]++;
	}
	for (size_t i = 0; i < q->npeople; i++)
		for (size_t c = 0; c < q->ncat; c++)
			if (s->alive[i] && q->feat[feat_of(q, i, c)].max == 0)
				drop(s, i);
	for (size_t n = 0; n < q->k; n++) {
		if (!still_possible(s))
			return 0;
		/* The most urgent value: largest unmet minimum per person left;
		 * the first in file order on ties. */
		size_t best = q->nfeat;
		double br = 0;
		for (size_t f = 0; f < q->nfeat; f++) {
			if (s->remaining[f] == 0 || q->feat[f].max == 0)
				continue;
			double r = (double)(q->feat[f].min - s->seated[f]) /
				   (double)s->remaining[f];
			if (best == q->nfeat || r > br) {
				best = f;
				br = r;
			}
		}
		if (best == q->nfeat)
			return 0;
		uint64_t pick = px_stream_below(st, (uint64_t)s->remaining[best]);
		size_t who = 0;
		for (size_t i = 0; i < q->npeople; i++) {
			if (!s->alive[i])
				continue;
			int has = 0;
			for (size_t c = 0; c < q->ncat && !has; c++)
				has = feat_of(q, i, c) == best;
			if (has && pick-- == 0) {
				who = i;
				break;
			}
		}
		out[n] = q->ids[who];
		drop(s, who);
		for (size_t c = 0; c < q->ncat; c++)
			s->seated[feat_of(q, who, c)]++;
		/* Values now at their maximum: nobody else with them may sit. */
		for (size_t c = 0; c < q->ncat; c++) {
			size_t f = feat_of(q, who, c);
			if (s->seated[f] < q->feat[f].max)
				continue;
			for (size_t i = 0; i < q->npeople; i++) {
				if (!s->alive[i])
					continue;
				for (size_t c2 = 0; c2 < q->ncat; c2++)
					if (feat_of(q, i, c2) == f) {
						drop(s, i);
						break;
					}
			}
		}
	}
	for (size_t f = 0; f < q->nfeat; f++)
		if (s->seated[f] < q->feat[f].min || s->seated[f] > q->feat[f].max)
			return 0;
	return 1;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int px_legacy_lottery(const struct px_quota *q, size_t m,
		      struct px_lottery *out, struct px_error *err)
{
	struct state s = { q, NULL, NULL, NULL };
	const char **seats = NULL;
	const char *const **panels = NULL;
	size_t *tickets = NULL, *sizes = NULL, distinct = 0;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (m && q->k > (size_t)50000000 / m)
		return px_fail(err, PX_E_OUT_OF_RANGE, "panels",
			       "a lottery of %zu panels of %zu is too large (at most 50,000,000 seats)",
			       m, q->k);
	if (m == 0 || m > 1000000)
		return px_fail(err, PX_E_OUT_OF_RANGE, "panels",
			       "the lottery needs between 1 and 1000000 tickets");
	s.alive = malloc(q->npeople);
	s.seated = px_mallocarray(q->nfeat, sizeof(int64_t));
	s.remaining = px_mallocarray(q->nfeat, sizeof(int64_t));
	seats = px_mallocarray2(m, q->k, sizeof(char *));
	panels = calloc(m, sizeof(*panels));
	tickets = calloc(m, sizeof(size_t));
	sizes = calloc(m, sizeof(size_t));
	if (!s.alive || !s.seated || !s.remaining || !seats || !panels ||
	    !tickets || !sizes) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		unsigned char key[32], b[4] = { (unsigned char)(i >> 24),
			(unsigned char)(i >> 16), (unsigned char)(i >> 8), (unsigned char)i };
		crypto_generichash_blake2b_state h;
		struct px_stream st;
		const char **mine = seats + i * q->k;
		crypto_generichash_blake2b_init(&h, NULL, 0, 32);
		crypto_generichash_blake2b_update(&h, (const unsigned char *)tag_legacy,
						  sizeof(tag_legacy) - 1);
		crypto_generichash_blake2b_update(&h, b, 4);
		crypto_generichash_blake2b_final(&h, key, 32);
		px_stream_init(&st, key);
		int ok = 0;
		for (int tries = 0; tries < 1000 && !ok; tries++)
			ok = attempt(&s, &st, mine);
		if (!ok) {
			rc = px_fail(err, PX_E_INFEASIBLE, NULL, NULL);
			goto out;
		}
		qsort(mine, q->k, sizeof(char *), by_str);
		/* Merge with an equal earlier panel (m is at most thousands and
		 * equal panels are rare, so a linear scan will do). */
		size_t d;
		for (d = 0; d < distinct; d++) {
			size_t j;
			for (j = 0; j < q->k && !strcmp(panels[d][j], mine[j]); j++)
				;
			if (j == q->k)
				break;
		}
		if (d == distinct) {
			panels[distinct] = mine;
			sizes[distinct++] = q->k;
		}
		tickets[d]++;
	}
	rc = px_lottery_from(distinct, tickets, sizes, panels, out, err);
out:
	free(s.alive);
	free(s.seated);
	free(s.remaining);
	free(seats);
	free(panels);
	free(tickets);
	free(sizes);
	return rc;
}
