/*
 * shares.c: the exact weights of seats that share a voice (shares.h).
 *
 * Invariant: every intermediate value is an unsigned 128-bit integer
 * produced by a checked operation; an overflow leads to the documented
 * proportional fallback, never to a wrapped value.
 */
#include <stdlib.h>

#include "shares.h"
#include "banned.h"

__extension__ typedef unsigned __int128 u128; /* GCC and Clang */

static u128 gcd128(u128 a, u128 b)
{
	while (b) {
		u128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static int64_t gcd64(int64_t a, int64_t b)
{
	return (int64_t)gcd128((u128)a, (u128)b);
}

/* The exact shares over the common denominator, reduced; 0 on success,
 * 1 when 128 bits cannot hold them. w[i] the seat weight (or the voice
 * of a member without seats), then *sum their total as shares. */
static int exact_weights(const struct shares_member *m, size_t n, u128 *w, u128 *sum)
{
	u128 den = 1, g = 0;
	for (size_t i = 0; i < n; i++) {
		if (!m[i].seats)
			continue;
		/* voice/seats in lowest terms has denominator seats/gcd */
		int64_t d = m[i].seats / (m[i].voice ? gcd64(m[i].voice, m[i].seats)
						     : m[i].seats);
		u128 q = den / gcd128(den, (u128)d);
		if (__builtin_mul_overflow(q, (u128)d, &den))
			return 1;
	}
	for (size_t i = 0; i < n; i++) {
		u128 v;
		if (__builtin_mul_overflow((u128)m[i].voice, den, &v))
			return 1;
		w[i] = m[i].seats ? v / (u128)m[i].seats : v; /* exact: seats | v */
		g = gcd128(g, w[i]);
	}
	*sum = 0;
	for (size_t i = 0; i < n; i++) {
		u128 share;
		if (g > 1)
			w[i] /= g;
		if (__builtin_mul_overflow(w[i], (u128)(m[i].seats ? m[i].seats : 1), &share) ||
		    __builtin_add_overflow(*sum, share, sum))
			return 1;
	}
	return 0;
}

static void set_shares(struct shares_member *m, size_t n, const u128 *w, u128 k,
		       int64_t *total)
{
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		m[i].seat_weight = (int64_t)(w[i] / k);
		m[i].share = m[i].seats ? m[i].seat_weight * m[i].seats : m[i].seat_weight;
		*total += m[i].share;
	}
}

int shares_weigh(struct shares_member *m, size_t n, int64_t max_total,
		 int64_t *total, int *exact)
{
	u128 *w = NULL, sum = 0;
	int rc = 0;
	*total = 0;
	*exact = 1;
	if (max_total < 1)
		return PX_E_BAD_INPUT;
	for (size_t i = 0; i < n; i++)
		if (m[i].voice < 0 || m[i].seats < 0)
			return PX_E_BAD_INPUT;
	if (!n)
		return 0;
	if (!(w = calloc(n, sizeof(*w))))
		return PX_E_NOMEM;
	if (!exact_weights(m, n, w, &sum)) {
		/* past the maximum: one factor for all, rounded down */
		u128 k = sum > (u128)max_total ? sum / (u128)max_total + 1 : 1;
		*exact = k == 1;
		set_shares(m, n, w, k, total);
		goto out;
	}
	/* 128 bits overflow: each voice's proportional share of the maximum */
	u128 voices = 0;
	for (size_t i = 0; i < n; i++)
		voices += (u128)m[i].voice; /* n * 2^63 < 2^128 */
	*exact = 0;
	for (size_t i = 0; i < n; i++) {
		/* voice * max_total < 2^63 * 2^63: no overflow */
		u128 part = voices ? (u128)m[i].voice * (u128)max_total / voices : 0;
		w[i] = m[i].seats ? part / (u128)m[i].seats : part;
	}
	set_shares(m, n, w, 1, total);
out:
	free(w);
	return rc;
}
