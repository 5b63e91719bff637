/* Unit tests for src/core/rounding.c: the optimal and heuristic roundings
 * of a distribution over panels to m tickets, on hand-made distributions
 * whose optimum is known, and on small random ones checked against an
 * exhaustive search over every floor-or-one-more rounding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/leximin.h"
#include "core/quota.h"
#include "core/rounding.h"

#define MAXP 12
#define MAXT 6

struct inst {
	struct px_quota q;
	struct px_dist d;
	size_t count[MAXT];
	int x[MAXP * MAXT];
	size_t start[MAXP + 1], type[MAXP * MAXT]; /* x, sparse (px_dist) */
	int seats[MAXP * MAXT];
	double prob[MAXP], tprob[MAXT];
};

/* Fill q and d from panels x (P x T seats), probabilities and type sizes;
 * the types' probabilities are those the distribution gives. */
static void make(struct inst *in, size_t P, size_t T, const int *x,
		 const double *prob, const size_t *count)
{
	memset(in, 0, sizeof(*in));
	memcpy(in->x, x, P * T * sizeof(int));
	memcpy(in->prob, prob, P * sizeof(double));
	memcpy(in->count, count, T * sizeof(size_t));
	for (size_t t = 0; t < T; t++)
		for (size_t p = 0; p < P; p++)
			in->tprob[t] += prob[p] * x[p * T + t] / (double)count[t];
	in->q.ntypes = T;
	in->q.type_count = in->count;
	in->d.ntypes = T;
	in->d.npanels = P;
	for (size_t p = 0; p < P; p++) {
		in->start[p + 1] = in->start[p];
		for (size_t t = 0; t < T; t++)
			if (x[p * T + t]) {
				in->type[in->start[p + 1]] = t;
				in->seats[in->start[p + 1]++] = x[p * T + t];
			}
	}
	in->d.start = in->start;
	in->d.type = in->type;
	in->d.seats = in->seats;
	in->d.prob = in->prob;
	in->d.type_prob = in->tprob;
}

/* The smallest deviation over every rounding of floor or floor + 1. */
static double brute(const struct inst *in, size_t m)
{
	size_t P = in->d.npanels, n[MAXP], lo[MAXP], sum = 0;
	double best = INFINITY;
	for (size_t p = 0; p < P; p++) {
		lo[p] = (size_t)floor(in->prob[p] * (double)m);
		sum += lo[p];
	}
	for (unsigned mask = 0; mask < (1u << P); mask++) {
		size_t extra = 0;
		for (size_t p = 0; p < P; p++) {
			n[p] = lo[p] + ((mask >> p) & 1);
			extra += (mask >> p) & 1;
		}
		if (sum + extra != m)
			continue;
		double dev = px_round_deviation(&in->q, &in->d, n, m);
		if (dev < best)
			best = dev;
	}
	return best;
}

static void check_shape(const struct inst *in, size_t m, const size_t *n)
{
	size_t sum = 0;
	for (size_t p = 0; p < in->d.npanels; p++) {
		size_t lo = (size_t)floor(in->prob[p] * (double)m);
		assert_true(n[p] == lo || n[p] == lo + 1);
		sum += n[p];
	}
	assert_int_equal(sum, m);
}

/*
 * Three people, one type each, panels of one seat: {a} 0.45, {b} 0.45,
 * {c} 0.10, m = 10: 4.5, 4.5 and 1 tickets. Both halves cannot be
 * rounded the same way; the best is 5, 4, 1 (deviation 0.5).
 */
static void test_rounding_optimal_splits_a_tie_at_half_a_ticket(void **state)
{
	(void)state;
	struct inst in;
	const int x[] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
	const double prob[] = { 0.45, 0.45, 0.10 };
	const size_t count[] = { 1, 1, 1 };
	size_t n[3];
	struct px_round_info info;
	make(&in, 3, 3, x, prob, count);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 10, NULL, n, &info, NULL), 0);
	check_shape(&in, 10, n);
	assert_int_equal(info.used, PX_ROUND_OPTIMAL);
	assert_true(fabs(info.deviation - 0.5) < 1e-9);
	assert_int_equal(n[2], 1);
	assert_int_equal(n[0] + n[1], 9);
}

/*
 * A distribution that is already a lottery of m tickets is kept as it is:
 * deviation 0, whichever method.
 */
static void test_rounding_integral_distribution_is_kept(void **state)
{
	(void)state;
	struct inst in;
	const int x[] = { 1, 1, 0, 0, 1, 1, 1, 0, 1 };
	const double prob[] = { 0.25, 0.5, 0.25 };
	const size_t count[] = { 1, 1, 1 };
	size_t n[3];
	struct px_round_info info;
	struct px_round_opts heur = { PX_ROUND_HEURISTIC, 0, 0, 0 };
	make(&in, 3, 3, x, prob, count);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 8, NULL, n, &info, NULL), 0);
	assert_int_equal(info.used, PX_ROUND_OPTIMAL);
	assert_true(info.deviation < 1e-9);
	assert_int_equal(n[0], 2);
	assert_int_equal(n[1], 4);
	assert_int_equal(n[2], 2);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 8, &heur, n, &info, NULL), 0);
	assert_int_equal(info.used, PX_ROUND_HEURISTIC);
	assert_true(info.deviation < 1e-9);
}

/*
 * A type of two members holding an odd number of seats over the tickets:
 * one member is on a ticket more than the other, and the deviation counts
 * both. Panels {1 seat of the pair} 1/2 and {both} 1/2, m = 3: the pair
 * is at 3/4 and targets 2.25 tickets each; seats 4 (2, 2) or 5 (2, 3):
 * the best is 0.25.
 */
static void test_rounding_counts_both_members_of_an_uneven_type(void **state)
{
	(void)state;
	struct inst in;
	const int x[] = { 1, 2 };
	const double prob[] = { 0.5, 0.5 };
	const size_t count[] = { 2 };
	size_t n[2];
	struct px_round_info info;
	make(&in, 2, 1, x, prob, count);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 3, NULL, n, &info, NULL), 0);
	check_shape(&in, 3, n);
	assert_int_equal(info.used, PX_ROUND_OPTIMAL);
	assert_true(fabs(info.deviation - 0.25) < 1e-9);
	assert_int_equal(n[0], 2); /* 2 x 1 + 1 x 2 = 4 seats: 2 and 2 */
	assert_int_equal(n[1], 1);
}

/*
 * Singletons a..d, panels {a,b} .34, {c,d} .34, {a,c} .16, {b,d} .16,
 * m = 10: 3.4, 3.4, 1.6, 1.6 tickets, everyone's target 5. Two extra
 * tickets, and only rounding up two panels that cover each person once
 * ({a,b} and {c,d}, or {a,c} and {b,d}) keeps everyone at 5: deviation 0.
 */
static void test_rounding_optimal_finds_an_exact_cover(void **state)
{
	(void)state;
	struct inst in;
	const int x[] = { 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1 };
	const double prob[] = { 0.34, 0.34, 0.16, 0.16 };
	const size_t count[] = { 1, 1, 1, 1 };
	size_t n[4];
	struct px_round_info info;
	make(&in, 4, 4, x, prob, count);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 10, NULL, n, &info, NULL), 0);
	check_shape(&in, 10, n);
	assert_true(info.deviation < 1e-9);
	assert_int_equal(info.used, PX_ROUND_OPTIMAL);
	assert_true(info.deviation <= info.heuristic_deviation + 1e-12);
}

/* A tiny deterministic generator for the random instances. */
static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/*
 * 300 random distributions (up to 10 panels, 5 types of 1 to 3 people,
 * 3 to 60 tickets): the optimal rounding is never worse than the
 * heuristic, always a floor-or-one-more rounding of m tickets, and, being
 * small, always proven and equal to the exhaustive optimum. The heuristic
 * misses the optimum on some of them.
 */
static void test_rounding_optimal_matches_exhaustive_search(void **state)
{
	(void)state;
	uint64_t seed = 12345;
	size_t worse = 0;
	for (int round = 0; round < 300; round++) {
		struct inst in;
		size_t P = 2 + lcg(&seed) % 9, T = 1 + lcg(&seed) % 5;
		size_t m = 3 + lcg(&seed) % 58, count[MAXT], n[MAXP];
		int x[MAXP * MAXT];
		double prob[MAXP], sum = 0;
		for (size_t t = 0; t < T; t++)
			count[t] = 1 + lcg(&seed) % 3;
		for (size_t p = 0; p < P; p++) {
			for (size_t t = 0; t < T; t++)
				x[p * T + t] = (int)(lcg(&seed) % (count[t] + 1));
			prob[p] = 1 + (double)(lcg(&seed) % 1000);
			sum += prob[p];
		}
		for (size_t p = 0; p < P; p++)
			prob[p] /= sum;
		make(&in, P, T, x, prob, count);
		struct px_round_info info;
		assert_int_equal(px_round_tickets(&in.q, &in.d, m, NULL, n, &info, NULL), 0);
		check_shape(&in, m, n);
		assert_true(info.deviation <= info.heuristic_deviation + 1e-12);
		assert_int_equal(info.used, PX_ROUND_OPTIMAL);
		assert_true(fabs(info.deviation - brute(&in, m)) < 1e-9);
		assert_true(info.lower_bound <= info.deviation + 1e-9);
		if (info.heuristic_deviation > info.deviation + 1e-9)
			worse++;
	}
	assert_true(worse > 0);
}

/* The same inputs give the same rounding. */
static void test_rounding_is_deterministic(void **state)
{
	(void)state;
	uint64_t seed = 99;
	struct inst in;
	size_t P = 10, T = 5, count[5] = { 1, 2, 3, 1, 2 }, a[10], b[10];
	int x[50];
	double prob[10], sum = 0;
	for (size_t p = 0; p < P; p++) {
		for (size_t t = 0; t < T; t++)
			x[p * T + t] = (int)(lcg(&seed) % (count[t] + 1));
		prob[p] = 1 + (double)(lcg(&seed) % 1000);
		sum += prob[p];
	}
	for (size_t p = 0; p < P; p++)
		prob[p] /= sum;
	make(&in, P, T, x, prob, count);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 997, NULL, a, NULL, NULL), 0);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 997, NULL, b, NULL, NULL), 0);
	assert_memory_equal(a, b, sizeof(a));
}

/* The heuristic as first written (docs/sortition.md 8.4): largest
 * remainders, then each time the single-ticket move of least deviation,
 * every pair tried and the deviation computed whole; the rounding keeps
 * its moves exactly, computed incrementally. */
static int rem_desc(const void *a, const void *b)
{
	const double *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] > y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

static void plain_heuristic(const struct px_quota *q, const struct px_dist *d, size_t m,
			    size_t *n, int moves)
{
	size_t P = d->npanels, given = 0, *lo = calloc(P, sizeof(size_t));
	double *rem = calloc(2 * P, sizeof(double));
	assert_non_null(lo);
	assert_non_null(rem);
	for (size_t p = 0; p < P; p++) {
		double x = d->prob[p] * (double)m;
		lo[p] = n[p] = (size_t)floor(x);
		given += n[p];
		rem[2 * p] = x - floor(x);
		rem[2 * p + 1] = (double)p;
	}
	qsort(rem, P, 2 * sizeof(double), rem_desc);
	for (size_t i = 0; given < m; i = (i + 1) % P, given++)
		n[(size_t)rem[2 * i + 1]]++;
	double cur = px_round_deviation(q, d, n, m);
	for (int iter = 0; iter < moves && P <= 300; iter++) {
		double best = cur;
		size_t ba = 0, bb = 0;
		for (size_t a = 0; a < P; a++)
			for (size_t b = 0; b < P; b++) {
				if (n[a] <= lo[a] || b == a || n[b] > lo[b])
					continue;
				n[a]--;
				n[b]++;
				double v = px_round_deviation(q, d, n, m);
				n[a]++;
				n[b]--;
				if (v < best - 1e-12) {
					best = v;
					ba = a;
					bb = b;
				}
			}
		if (best >= cur)
			break;
		n[ba]--;
		n[bb]++;
		cur = best;
	}
	free(lo);
	free(rem);
}

/* A random distribution of P panels over T types (heap), sparse like a
 * real one: each panel seats a few types. */
struct big {
	struct px_quota q;
	struct px_dist d;
	size_t *count;
};

static void big_make(struct big *b, uint64_t *seed, size_t P, size_t T, size_t per)
{
	memset(b, 0, sizeof(*b));
	b->count = calloc(T, sizeof(size_t));
	int *x = calloc(T, sizeof(int));
	b->d.type_prob = calloc(T, sizeof(double));
	assert_true(b->count && x && b->d.type_prob);
	b->q.ntypes = b->d.ntypes = T;
	b->q.type_count = b->count;
	double sum = 0;
	for (size_t t = 0; t < T; t++)
		b->count[t] = 1 + lcg(seed) % 4;
	for (size_t p = 0; p < P; p++) {
		memset(x, 0, T * sizeof(int));
		for (size_t i = 0; i < per; i++) {
			size_t t = lcg(seed) % T;
			x[t] = (int)(1 + lcg(seed) % b->count[t]);
		}
		double w = 1 + (double)(lcg(seed) % 1000);
		assert_int_equal(px_dist_add(&b->d, x, w), 0);
		sum += w;
	}
	for (size_t p = 0; p < P; p++) {
		b->d.prob[p] /= sum;
		for (size_t i = b->d.start[p]; i < b->d.start[p + 1]; i++)
			b->d.type_prob[b->d.type[i]] += b->d.prob[p] * b->d.seats[i] /
							(double)b->count[b->d.type[i]];
	}
	free(x);
}

static void big_free(struct big *b)
{
	free(b->count);
	px_dist_release(&b->d);
}

static void test_rounding_heuristic_moves_as_the_plain_search(void **state)
{
	(void)state;
	uint64_t seed = 2026;
	size_t moved = 0;
	for (int round = 0; round < 60; round++) {
		struct big b;
		size_t P = 2 + lcg(&seed) % 40, T = 1 + lcg(&seed) % 30;
		size_t m = 50 + lcg(&seed) % 2000;
		big_make(&b, &seed, P, T, 1 + lcg(&seed) % 6);
		size_t *want = calloc(P, sizeof(size_t)), *got = calloc(P, sizeof(size_t));
		size_t *start = calloc(P, sizeof(size_t));
		assert_true(want && got && start);
		plain_heuristic(&b.q, &b.d, m, want, 50);
		plain_heuristic(&b.q, &b.d, m, start, 0);
		const struct px_round_opts heur = { PX_ROUND_HEURISTIC, 0, 0, 0 };
		struct px_round_info info;
		assert_int_equal(px_round_tickets(&b.q, &b.d, m, &heur, got, &info, NULL), 0);
		assert_memory_equal(want, got, P * sizeof(size_t));
		assert_true(fabs(info.deviation - px_round_deviation(&b.q, &b.d, got, m)) < 1e-12);
		/* rounds where the moves changed the largest remainders' rounding */
		moved += memcmp(start, want, P * sizeof(size_t)) != 0;
		free(want);
		free(got);
		free(start);
		big_free(&b);
	}
	assert_true(moved >= 10);
}

/* Issue 19: the heuristic on 300 panels (its largest) over 1,000 types
 * took 40 s (every pair tried, each deviation computed whole: O(P^3 T)
 * per move); it is now a fraction of a second. */
static void test_rounding_heuristic_is_fast_on_300_panels(void **state)
{
	(void)state;
	uint64_t seed = 7;
	struct big b;
	big_make(&b, &seed, 300, 1000, 150);
	size_t *n = calloc(300, sizeof(size_t));
	assert_non_null(n);
	const struct px_round_opts heur = { PX_ROUND_HEURISTIC, 0, 0, 0 };
	struct px_round_info info;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(px_round_tickets(&b.q, &b.d, 1000, &heur, n, &info, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* generous for a loaded machine and the sanitizer build */
	assert_true(s < 5);
	size_t sum = 0;
	for (size_t p = 0; p < 300; p++)
		sum += n[p];
	assert_int_equal(sum, 1000);
	free(n);
	big_free(&b);
}

/* Issue 19: a distribution of thousands of panels (a pool of thousands
 * of types has about as many) is rounded by the balanced rounding and its
 * moves, in well under a second; largest remainders alone leave some type
 * far more tickets off (17 of 1000 on the 10,000-person national pool),
 * and the integer programs are not tried (they ran out of their 30 s). */
static void test_rounding_balanced_on_thousands_of_panels(void **state)
{
	(void)state;
	uint64_t seed = 11;
	struct big b;
	size_t P = 2000;
	big_make(&b, &seed, P, 2000, 150);
	size_t *n = calloc(P, sizeof(size_t)), *plain = calloc(P, sizeof(size_t));
	assert_non_null(n);
	assert_non_null(plain);
	struct px_round_info info;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(px_round_tickets(&b.q, &b.d, 1000, NULL, n, &info, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(s < 10); /* about 0.5 s; generous for a loaded machine and san */
	assert_int_equal(info.used, PX_ROUND_HEURISTIC);
	assert_non_null(info.fallback);
	assert_non_null(strstr(info.fallback, "balanced"));
	size_t sum = 0;
	for (size_t p = 0; p < P; p++) {
		size_t lo = (size_t)floor(b.d.prob[p] * 1000);
		assert_true(n[p] == lo || n[p] == lo + 1);
		sum += n[p];
	}
	assert_int_equal(sum, 1000);
	assert_true(fabs(info.deviation - px_round_deviation(&b.q, &b.d, n, 1000)) < 1e-12);
	assert_true(info.lower_bound <= info.deviation + 1e-9);
	plain_heuristic(&b.q, &b.d, 1000, plain, 0); /* largest remainders */
	double dl = px_round_deviation(&b.q, &b.d, plain, 1000);
	/* measured: 6.3 against 11.9 tickets */
	print_message("balanced %.3f largest remainders %.3f lb %.3f in %.2f s\n", info.deviation, dl, info.lower_bound, s);
	assert_true(info.deviation < 0.6 * dl);
	free(n);
	free(plain);
	big_free(&b);
}

static void test_rounding_refuses_zero_tickets(void **state)
{
	(void)state;
	struct inst in;
	const int x[] = { 1 };
	const double prob[] = { 1 };
	const size_t count[] = { 1 };
	size_t n[1];
	struct px_error err = { 0 };
	make(&in, 1, 1, x, prob, count);
	assert_int_equal(px_round_tickets(&in.q, &in.d, 0, NULL, n, NULL, &err),
			 PX_E_OUT_OF_RANGE);
	assert_string_equal(px_rounding_name(PX_ROUND_OPTIMAL), "optimal");
	assert_string_equal(px_rounding_name(PX_ROUND_HEURISTIC), "heuristic");
	assert_string_equal(px_rounding_name(PX_ROUND_IMPROVED), "improved");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding_optimal_splits_a_tie_at_half_a_ticket),
		cmocka_unit_test(test_rounding_integral_distribution_is_kept),
		cmocka_unit_test(test_rounding_counts_both_members_of_an_uneven_type),
		cmocka_unit_test(test_rounding_optimal_finds_an_exact_cover),
		cmocka_unit_test(test_rounding_optimal_matches_exhaustive_search),
		cmocka_unit_test(test_rounding_is_deterministic),
		cmocka_unit_test(test_rounding_refuses_zero_tickets),
		cmocka_unit_test(test_rounding_heuristic_moves_as_the_plain_search),
		cmocka_unit_test(test_rounding_heuristic_is_fast_on_300_panels),
		cmocka_unit_test(test_rounding_balanced_on_thousands_of_panels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
