/*
 * lottery.c: rounding a distribution over panels to m tickets, making the
 * tickets concrete, and the canonical order, commitment and pick of a
 * lottery. Invariants of a built lottery: tickets sum to m, panels are
 * distinct and in ascending order of their encodings, each panel's ids
 * ascend.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "errors.h"
#include "leximin.h"
#include "lottery.h"
#include "quota.h"
#include "randstream.h"
#include "rounding.h"
#include "banned.h"

static const char tag_lottery[] = "pnyx/sortition/v1/lottery";

static void be32(unsigned char *o, size_t x)
{
	o[0] = (unsigned char)(x >> 24);
	o[1] = (unsigned char)(x >> 16);
	o[2] = (unsigned char)(x >> 8);
	o[3] = (unsigned char)x;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct enc {
	unsigned char *bytes;
	size_t len, idx;
};

static int by_enc(const void *a, const void *b)
{
	const struct enc *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->bytes, y->bytes, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

void px_lottery_release(struct px_lottery *l)
{
	if (l->members)
		for (size_t p = 0; p < l->npanels; p++)
			free(l->members[p]);
	free(l->members);
	free(l->tickets);
	free(l->size);
	memset(l, 0, sizeof(*l));
}

int px_lottery_from(size_t npanels, const size_t *tickets, const size_t *size,
		    const char *const *const *members, struct px_lottery *out,
		    struct px_error *err)
{
	struct enc *e = NULL;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	size_t np = npanels ? npanels : 1;
	e = calloc(np, sizeof(*e));
	out->tickets = calloc(np, sizeof(size_t));
	out->size = calloc(np, sizeof(size_t));
	out->members = calloc(np, sizeof(*out->members));
	if (!e || !out->tickets || !out->size || !out->members) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	out->npanels = npanels;
	for (size_t p = 0; p < npanels; p++) {
		const char **ids = px_mallocarray(size[p] ? size[p] : 1, sizeof(char *));
		if (!ids) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		memcpy(ids, members[p], size[p] * sizeof(char *));
		qsort(ids, size[p], sizeof(char *), by_str);
		size_t len = 4;
		for (size_t i = 0; i < size[p]; i++)
			len += 4 + strlen(ids[i]);
		e[p].bytes = malloc(len);
		if (!e[p].bytes) {
			free(ids);
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		be32(e[p].bytes, size[p]);
		size_t o = 4;
		for (size_t i = 0; i < size[p]; i++) {
			size_t l = strlen(ids[i]);
			be32(e[p].bytes + o, l);
			memcpy(e[p].bytes + o + 4, ids[i], l);
			o += 4 + l;
		}
		e[p].len = len;
		e[p].idx = p;
		/* Park the sorted ids by original index for now. */
		out->members[p] = ids;
	}
	qsort(e, npanels, sizeof(*e), by_enc);
	for (size_t p = 1; p < npanels; p++)
		if (!by_enc(&e[p - 1], &e[p])) {
			rc = px_fail(err, PX_E_BAD_INPUT, "panels",
				     "the same panel is listed twice");
			goto out;
		}
	{
		const char ***sorted = calloc(np, sizeof(*sorted));
		if (!sorted) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		crypto_generichash_blake2b_state st;
		unsigned char b[8];
		size_t m = 0;
		for (size_t p = 0; p < npanels; p++)
			m += tickets[p];
		out->m = m;
		crypto_generichash_blake2b_init(&st, NULL, 0, 32);
		crypto_generichash_blake2b_update(&st, (const unsigned char *)tag_lottery,
						  sizeof(tag_lottery) - 1);
		be32(b, m);
		be32(b + 4, npanels);
		crypto_generichash_blake2b_update(&st, b, 8);
		for (size_t p = 0; p < npanels; p++) {
			size_t i = e[p].idx;
			be32(b, tickets[i]);
			crypto_generichash_blake2b_update(&st, b, 4);
			crypto_generichash_blake2b_update(&st, e[p].bytes, e[p].len);
			sorted[p] = out->members[i];
			out->tickets[p] = tickets[i];
			out->size[p] = size[i];
		}
		crypto_generichash_blake2b_final(&st, out->commitment, 32);
		free(out->members);
		out->members = sorted;
	}
out:
	if (e)
		for (size_t p = 0; p < npanels; p++)
			free(e[p].bytes);
	free(e);
	if (rc)
		px_lottery_release(out);
	return rc;
}

size_t px_lottery_pick(const struct px_lottery *l, const unsigned char seed[32])
{
	struct px_stream s;
	px_stream_init(&s, seed);
	uint64_t j = px_stream_below(&s, l->m);
	size_t p = 0;
	while (j >= l->tickets[p]) {
		j -= l->tickets[p];
		p++;
	}
	sodium_memzero(&s, sizeof(s));
	return p;
}

struct thash {
	unsigned char h[32];
	size_t j;
};

static int by_hash(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* A probability below this is a solver's zero: the type is on no panel. */
#define POSITIVE 1e-9

static size_t tickets_cap(const struct px_quota *q)
{
	size_t cap = PX_LOTTERY_MAX_SEATS / (q->k ? q->k : 1);
	if (cap > 1000000)
		cap = 1000000;
	return cap ? cap : 1;
}

size_t px_lottery_tickets(const struct px_quota *q, const struct px_dist *d)
{
	double least = 1;
	for (size_t t = 0; t < d->ntypes; t++)
		if (d->type_prob[t] > POSITIVE && d->type_prob[t] < least)
			least = d->type_prob[t];
	size_t cap = tickets_cap(q), m = PX_LOTTERY_TICKETS;
	if (!d->optimal)
		return m < cap ? m : cap;
	double want = PX_LOTTERY_LEAST_TICKETS / least;
	if (want > (double)cap)
		return cap;
	if (want > (double)m)
		m = ((size_t)want + 999) / 1000 * 1000;
	return m < cap ? m : cap;
}

/* Whether ticket counts n leave every member of every type of positive
 * probability on a ticket at least: the type's seats over the tickets,
 * dealt to its members in turn, reach every member. */
static int everyone_on_a_ticket(const struct px_quota *q, const struct px_dist *d,
				const size_t *n, size_t *seats)
{
	memset(seats, 0, (d->ntypes ? d->ntypes : 1) * sizeof(size_t));
	for (size_t p = 0; p < d->npanels; p++)
		for (size_t e = d->start[p]; e < d->start[p + 1]; e++)
			seats[d->type[e]] += n[p] * (size_t)d->seats[e];
	for (size_t t = 0; t < d->ntypes; t++)
		if (d->type_prob[t] > POSITIVE && seats[t] < q->type_count[t])
			return 0;
	return 1;
}

int px_lottery_round(const struct px_quota *q, const struct px_dist *d,
		     size_t m, const struct px_round_opts *opts,
		     struct px_round_info *info, struct px_lottery *out,
		     struct px_error *err)
{
	size_t P = d->npanels, T = q->ntypes, k = q->k;
	size_t *n = calloc(P ? P : 1, sizeof(size_t));
	size_t *cursor = calloc(T ? T : 1, sizeof(size_t));
	const char **seats = NULL;
	struct thash *th = NULL;
	const char *const **panels = NULL;
	size_t *sizes = NULL, *mult = NULL;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (!n || !cursor) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	int chosen = m == 0;
	if (chosen && P)
		m = px_lottery_tickets(q, d);
	if (m && q->k > (size_t)50000000 / m) {
		rc = px_fail(err, PX_E_OUT_OF_RANGE, "panels",
			     "a lottery of %zu panels of %zu is too large (at most 50,000,000 seats)",
			     m, q->k);
		goto out;
	}
	if (m == 0 || m > 1000000 || P == 0) {
		rc = px_fail(err, PX_E_OUT_OF_RANGE, "panels",
			     "the lottery needs between 1 and 1000000 tickets");
		goto out;
	}
	if ((rc = px_round_tickets(q, d, m, opts, n, info, err)))
		goto out;
	/* The rule's M keeps the least likely person on about ten tickets; if
	 * the rounding still leaves someone on none, twice as many (within
	 * the caps) */
	for (size_t cap = tickets_cap(q); chosen && d->optimal && m < cap &&
	     !everyone_on_a_ticket(q, d, n, cursor);) {
		m = 2 * m < cap ? 2 * m : cap;
		if ((rc = px_round_tickets(q, d, m, opts, n, info, err)))
			goto out;
	}
	memset(cursor, 0, (T ? T : 1) * sizeof(size_t));
	seats = px_mallocarray2(m, k ? k : 1, sizeof(char *));
	if (!seats) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* Tickets become people, type by type, members taking seats in turn. */
	size_t j = 0;
	for (size_t p = 0; p < P; p++)
		for (size_t c = 0; c < n[p]; c++, j++) {
			size_t s = 0;
			for (size_t e = d->start[p]; e < d->start[p + 1]; e++) {
				size_t t = d->type[e];
				for (int i = 0; i < d->seats[e]; i++) {
					size_t who = q->type_members[t][cursor[t] % q->type_count[t]];
					cursor[t]++;
					seats[j * k + s++] = q->ids[who];
				}
			}
			qsort(seats + j * k, k, sizeof(char *), by_str);
		}
	/* Merge equal tickets: group them by a hash of their seat lists,
	 * then compare the lists themselves within a group. */
	th = px_mallocarray(m, sizeof(*th));
	panels = calloc(m, sizeof(*panels));
	sizes = calloc(m, sizeof(size_t));
	mult = calloc(m, sizeof(size_t));
	if (!th || !panels || !sizes || !mult) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (j = 0; j < m; j++) {
		crypto_generichash_blake2b_state st;
		crypto_generichash_blake2b_init(&st, NULL, 0, 32);
		for (size_t i = 0; i < k; i++)
			crypto_generichash_blake2b_update(&st,
				(const unsigned char *)seats[j * k + i],
				strlen(seats[j * k + i]) + 1);
		crypto_generichash_blake2b_final(&st, th[j].h, 32);
		th[j].j = j;
	}
	qsort(th, m, sizeof(*th), by_hash);
	size_t distinct = 0;
	for (size_t g = 0; g < m; g++) {
		const char *const *mine = (const char *const *)(seats + th[g].j * k);
		size_t d2 = distinct;
		if (distinct && !memcmp(th[g].h, th[g - 1].h, 32)) {
			size_t i;
			for (i = 0; i < k && !strcmp(panels[distinct - 1][i], mine[i]); i++)
				;
			if (i == k)
				d2 = distinct - 1;
		}
		if (d2 == distinct) {
			panels[distinct] = mine;
			sizes[distinct] = k;
			distinct++;
		}
		mult[d2]++;
	}
	rc = px_lottery_from(distinct, mult, sizes, panels, out, err);
out:
	free(n);
	free(cursor);
	free(seats);
	free(th);
	free(panels);
	free(sizes);
	free(mult);
	return rc;
}
