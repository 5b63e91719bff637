/* Unit tests for src/core/ration.c (the reserve system, water-filling,
 * random serial dictatorship, the hashes of a round) and
 * src/core/probserial.c (probabilistic serial). Hand-computed cases first,
 * each worked out in its comment; then properties over many random
 * instances; then every refusal. docs/sharing.md is the specification. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/draw.h"
#include "core/errors.h"
#include "core/pool.h"
#include "core/probserial.h"
#include "core/ration.h"

__extension__ typedef unsigned __int128 u128;

static const unsigned char seed0[32];

/* docs/sharing.md, "Test vectors" */
#define VECTOR_ORDER "BADC"
#define VECTOR_INPUT "06dd6f28934a4762dbe1185e4f3437ed8699e094cb06c0a5e78dfbcebc2f08ed"
#define VECTOR_DIGEST "fe06fb90d289438257a98cf24d2f34123828a4dd883e064f2ad5449fd44c2954"


/* A deterministic generator for the random instances (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Du;
}
static int64_t rnd_in(int64_t lo, int64_t hi) /* inclusive */
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static void req(struct px_ration_request *q, const char *id, uint32_t cat, int64_t amount)
{
	px_leaf(id, NULL, q->leaf);
	q->category = cat;
	q->amount = amount;
}

static void q_is(struct px_ration_q got, int64_t num, int64_t den)
{
	if (got.num != num || got.den != den)
		fail_msg("got %lld/%lld, want %lld/%lld", (long long)got.num,
			 (long long)got.den, (long long)num, (long long)den);
}

/* The input hash and the result's hash, as a verifier computes them. */
struct hashes {
	unsigned char input[32], digest[32];
};
static struct hashes hashes_of(const struct px_ration_good *g, const struct px_ration_result *r)
{
	struct hashes h;
	assert_int_equal(px_ration_good_hash(g, h.input, NULL), 0);
	px_ration_result_hash(r, h.input, h.digest);
	return h;
}

static const uint32_t flow012[] = { 0, 1, 2, 3, 4 };

static struct px_ration_good one_category(enum px_ration_kind kind, int64_t supply,
					  const struct px_ration_category *cat,
					  const struct px_ration_request *r, size_t n)
{
	struct px_ration_good g = {
		.id = "flour", .kind = kind, .supply = supply,
		.policy = { .n_categories = 1, .categories = cat, .share_den = 1,
			    .flow = flow012 },
		.requests = r, .n = n,
	};
	return g;
}

/* Supply 10, requests 1, 3, 8, no cap. Sorted 1, 3, 8: 1 is below an
 * equal third of 10, so it is served (9 left for two); 3 is below 9/2
 * (6 left for one); 8 is above 6: the level is 6. Allocation 1, 3, 6. */
static void test_water_filling_serves_small_requests_whole(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 0 };
	struct px_ration_request r[3];
	req(&r[0], "a", 0, 8);
	req(&r[1], "b", 0, 1);
	req(&r[2], "c", 0, 3);
	struct px_ration_good g = one_category(PX_RATION_DIVISIBLE, 10, &cat, r, 3);
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.alloc[0], 6, 1);
	q_is(res.alloc[1], 1, 1);
	q_is(res.alloc[2], 3, 1);
	assert_false(res.cats[0].full);
	q_is(res.cats[0].level, 6, 1);
	assert_int_equal(res.allocated, 10);
	assert_null(res.rank);
	px_ration_result_release(&res);
}

/* Supply 10, requests 2, 5, 5, 5. 2 is below 10/4: served, 8 left for
 * three; 5 is above 8/3: the level is 8/3. Allocation 2, 8/3, 8/3, 8/3,
 * which sums to exactly 10. */
static void test_water_filling_level_is_an_exact_fraction(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 0 };
	struct px_ration_request r[4];
	req(&r[0], "a", 0, 5);
	req(&r[1], "b", 0, 2);
	req(&r[2], "c", 0, 5);
	req(&r[3], "d", 0, 5);
	struct px_ration_good g = one_category(PX_RATION_DIVISIBLE, 10, &cat, r, 4);
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.alloc[0], 8, 3);
	q_is(res.alloc[1], 2, 1);
	q_is(res.alloc[2], 8, 3);
	q_is(res.alloc[3], 8, 3);
	q_is(res.cats[0].level, 8, 3);
	px_ration_result_release(&res);
}

/* Supply 12, cap 4, requests 10, 2, 6: capped 4, 2, 4, demand 10 <= 12,
 * so everyone receives what the cap allows and 2 stay in the store. */
static void test_cap_limits_and_leaves_the_rest(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 4 };
	struct px_ration_request r[3];
	req(&r[0], "a", 0, 10);
	req(&r[1], "b", 0, 2);
	req(&r[2], "c", 0, 6);
	struct px_ration_good g = one_category(PX_RATION_DIVISIBLE, 12, &cat, r, 3);
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.alloc[0], 4, 1);
	q_is(res.alloc[1], 2, 1);
	q_is(res.alloc[2], 4, 1);
	assert_true(res.cats[0].full);
	assert_int_equal(res.cats[0].demand, 10);
	assert_int_equal(res.allocated, 10);
	px_ration_result_release(&res);
}

/* Supply 100; medical need reserves 30/100, families 20/100, everyone
 * nothing; flow: medical, families, everyone. Medical asks 10 + 15 = 25,
 * families 3 x 20 = 60, everyone 2 x 50 = 100.
 *   reserves 30, 20, 0; from reserve min(30, 25) = 25, min(20, 60) = 20, 0;
 *   left 100 - 45 = 55; medical wants no more; families want 40: 40, left
 *   15; everyone wants 100: 15. Totals 25, 60, 15.
 *   Medical 10 and 15; families 20 each; everyone 15/2 each. */
static void test_reserve_system_worked_example(void **state)
{
	(void)state;
	struct px_ration_category cats[3] = { { 30, 0 }, { 20, 0 }, { 0, 0 } };
	struct px_ration_request r[7];
	req(&r[0], "m1", 0, 10);
	req(&r[1], "m2", 0, 15);
	req(&r[2], "f1", 1, 20);
	req(&r[3], "f2", 1, 20);
	req(&r[4], "f3", 1, 20);
	req(&r[5], "e1", 2, 50);
	req(&r[6], "e2", 2, 50);
	struct px_ration_good g = {
		.id = "flour", .kind = PX_RATION_DIVISIBLE, .supply = 100,
		.policy = { .n_categories = 3, .categories = cats, .share_den = 100,
			    .flow = flow012 },
		.requests = r, .n = 7,
	};
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	int64_t want[3][5] = { { 30, 25, 25, 0, 25 }, { 20, 60, 20, 40, 60 },
			       { 0, 100, 0, 15, 15 } };
	for (int c = 0; c < 3; c++) {
		assert_int_equal(res.cats[c].reserve, want[c][0]);
		assert_int_equal(res.cats[c].demand, want[c][1]);
		assert_int_equal(res.cats[c].from_reserve, want[c][2]);
		assert_int_equal(res.cats[c].flowed, want[c][3]);
		assert_int_equal(res.cats[c].total, want[c][4]);
	}
	q_is(res.alloc[0], 10, 1);
	q_is(res.alloc[1], 15, 1);
	for (int i = 2; i < 5; i++)
		q_is(res.alloc[i], 20, 1);
	q_is(res.alloc[5], 15, 2);
	q_is(res.alloc[6], 15, 2);
	assert_int_equal(res.allocated, 100);
	px_ration_result_release(&res);
}

/* Supply 10 over tenths: A reserves 5/10, B and C nothing. A asks 2, B 6,
 * C 6. A takes 2 of its 5; 8 are left. With the flow B, C, A: B 6, C 2.
 * With the flow C, B, A: C 6, B 2. */
static void test_flow_order_decides_who_gets_unused_reserve(void **state)
{
	(void)state;
	struct px_ration_category cats[3] = { { 5, 0 }, { 0, 0 }, { 0, 0 } };
	struct px_ration_request r[3];
	req(&r[0], "a", 0, 2);
	req(&r[1], "b", 1, 6);
	req(&r[2], "c", 2, 6);
	uint32_t bca[3] = { 1, 2, 0 }, cba[3] = { 2, 1, 0 };
	struct px_ration_good g = {
		.id = "flour", .kind = PX_RATION_DIVISIBLE, .supply = 10,
		.policy = { .n_categories = 3, .categories = cats, .share_den = 10,
			    .flow = bca },
		.requests = r, .n = 3,
	};
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.alloc[0], 2, 1);
	q_is(res.alloc[1], 6, 1);
	q_is(res.alloc[2], 2, 1);
	px_ration_result_release(&res);
	g.policy.flow = cba;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.alloc[1], 2, 1);
	q_is(res.alloc[2], 6, 1);
	px_ration_result_release(&res);
}

/* Seven bicycles, three categories reserving a third each (den 3): each
 * reserve is floor(7/3) = 2, and the seventh, unreserved by rounding
 * down, flows by the flow order: to the first category that still wants
 * one. Each category has three requests of one. */
static void test_units_reserve_rounds_down_and_the_rest_flows(void **state)
{
	(void)state;
	struct px_ration_category cats[3] = { { 1, 0 }, { 1, 0 }, { 1, 0 } };
	struct px_ration_request r[9];
	char id[16];
	for (int i = 0; i < 9; i++) {
		snprintf(id, sizeof(id), "r%d", i);
		req(&r[i], id, (uint32_t)(i / 3), 1);
	}
	uint32_t flow[3] = { 2, 0, 1 };
	struct px_ration_good g = {
		.id = "bikes", .kind = PX_RATION_UNITS, .supply = 7,
		.policy = { .n_categories = 3, .categories = cats, .share_den = 3,
			    .flow = flow },
		.requests = r, .n = 9,
	};
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	for (int c = 0; c < 3; c++)
		assert_int_equal(res.cats[c].reserve, 2);
	assert_int_equal(res.cats[2].total, 3);
	assert_int_equal(res.cats[0].total, 2);
	assert_int_equal(res.cats[1].total, 2);
	assert_int_equal(res.allocated, 7);
	px_ration_result_release(&res);
}

/* Five units, cap 2; A asks 1, B 3, C 2, D 1 (capped 1, 2, 2, 1: 6 > 5).
 * The order is the ranked list of docs/sortition.md section 6 over the
 * four requests in leaf order, keyed by px_ration_order_seed; walking it,
 * each takes what it asked, capped, while units remain, so exactly one
 * request is cut by one unit, and only the last served can be. */
static void test_units_go_by_the_drawn_order(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 2 };
	struct px_ration_request r[4];
	req(&r[0], "A", 0, 1);
	req(&r[1], "B", 0, 3);
	req(&r[2], "C", 0, 2);
	req(&r[3], "D", 0, 1);
	unsigned char round_seed[32];
	for (int i = 0; i < 32; i++)
		round_seed[i] = (unsigned char)i;
	struct px_ration_good g = one_category(PX_RATION_UNITS, 5, &cat, r, 4);
	g.id = "bikes";
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, round_seed, &res, NULL), 0);

	/* The expected order, derived here step by step. */
	uint32_t by_leaf[4] = { 0, 1, 2, 3 };
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (memcmp(r[by_leaf[j]].leaf, r[by_leaf[i]].leaf, 32) < 0) {
				uint32_t t = by_leaf[i];
				by_leaf[i] = by_leaf[j];
				by_leaf[j] = t;
			}
	unsigned char oseed[32];
	uint32_t pos[4];
	px_ration_order_seed(round_seed, "bikes", 0, oseed);
	assert_int_equal(px_draw_rank(oseed, 4, 4, pos, NULL), 0);
	int64_t capped[4] = { 1, 2, 2, 1 }, left = 5;
	for (int k = 0; k < 4; k++) {
		uint32_t j = by_leaf[pos[k]];
		int64_t give = capped[j] < left ? capped[j] : left;
		left -= give;
		assert_int_equal(res.cats[0].order[k], j);
		assert_int_equal(res.rank[j], k + 1);
		q_is(res.alloc[j], give, 1);
	}
	assert_int_equal(res.allocated, 5);
	px_ration_result_release(&res);
}

/* The frozen vector of docs/sharing.md: the good "bikes", round seed
 * 00 01 ... 1f, four requests "A".."D" as above. A change to the seed
 * derivation, the canonical order or the draw changes these. */
static void test_units_vector_of_the_docs(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 2 };
	struct px_ration_request r[4];
	req(&r[0], "A", 0, 1);
	req(&r[1], "B", 0, 3);
	req(&r[2], "C", 0, 2);
	req(&r[3], "D", 0, 1);
	unsigned char round_seed[32];
	for (int i = 0; i < 32; i++)
		round_seed[i] = (unsigned char)i;
	struct px_ration_good g = one_category(PX_RATION_UNITS, 5, &cat, r, 4);
	g.id = "bikes";
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, round_seed, &res, NULL), 0);
	char order[8] = { 0 }, hex[65];
	for (int k = 0; k < 4; k++)
		order[k] = (char)('A' + res.cats[0].order[k]);
	assert_string_equal(order, VECTOR_ORDER);
	/* B 2 (capped), A 1, D 1, C the last 1 */
	q_is(res.alloc[1], 2, 1);
	q_is(res.alloc[0], 1, 1);
	q_is(res.alloc[3], 1, 1);
	q_is(res.alloc[2], 1, 1);
	struct hashes h = hashes_of(&g, &res);
	sodium_bin2hex(hex, sizeof(hex), h.input, 32);
	assert_string_equal(hex, VECTOR_INPUT);
	sodium_bin2hex(hex, sizeof(hex), h.digest, 32);
	assert_string_equal(hex, VECTOR_DIGEST);
	px_ration_result_release(&res);
}

/* 20,000 requests where most ask the same (runs of equal keys for the
 * sort), listed in descending order: 10,000 ask 3, 10,000 ask 7, supply
 * 80,000. 3 x 20,000 <= 80,000, so the 3s are served (50,000 left for
 * 10,000): the level is 5. */
static void test_water_filling_many_equal_amounts(void **state)
{
	(void)state;
	enum { N = 20000 };
	struct px_ration_category cat = { 1, 0 };
	struct px_ration_request *r = calloc(N, sizeof(*r));
	for (int i = 0; i < N; i++) {
		uint32_t x = (uint32_t)i;
		memcpy(r[i].leaf, &x, sizeof(x));
		r[i].amount = i < N / 2 ? 7 : 3;
	}
	struct px_ration_good g = one_category(PX_RATION_DIVISIBLE, 80000, &cat, r, N);
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.cats[0].level, 5, 1);
	for (int i = 0; i < N; i++)
		q_is(res.alloc[i], i < N / 2 ? 5 : 3, 1);
	/* in canonical (leaf) order: the leaves here are little-endian
	 * counters, so the record's order is by the counter's low byte */
	for (int i = 1; i < N; i++)
		assert_true(memcmp(r[res.canon[i - 1]].leaf, r[res.canon[i]].leaf, 32) < 0);
	px_ration_result_release(&res);
	free(r);
}

/* ---- properties over random instances ---- */

struct inst {
	struct px_ration_category cats[5];
	uint32_t flow[5];
	struct px_ration_request *r;
	struct px_ration_good g;
};

/* huge: amounts, caps and supplies near PX_RATION_MAX (the 128-bit paths) */
static void make_instance(struct inst *in, size_t n, int huge)
{
	size_t nc = (size_t)rnd_in(1, 5);
	int64_t den = rnd_in(1, 12), left = den;
	for (size_t c = 0; c < nc; c++) {
		int64_t s = rnd_in(0, left);
		in->cats[c].share = s;
		left -= s;
		in->cats[c].cap = rnd() % 3 ? 0 : huge ? rnd_in(1, PX_RATION_MAX) : rnd_in(1, 20);
		in->flow[c] = (uint32_t)c;
	}
	for (size_t c = nc; c-- > 1;) {
		size_t j = (size_t)rnd_in(0, (int64_t)c);
		uint32_t t = in->flow[c];
		in->flow[c] = in->flow[j];
		in->flow[j] = t;
	}
	in->r = calloc(n ? n : 1, sizeof(*in->r));
	for (size_t i = 0; i < n; i++) {
		for (int b = 0; b < 32; b++)
			in->r[i].leaf[b] = (unsigned char)rnd();
		if (i && rnd() % 8 == 0) /* share leading bytes with the last */
			memcpy(in->r[i].leaf, in->r[i - 1].leaf, 20);
		in->r[i].category = (uint32_t)rnd_in(0, (int64_t)nc - 1);
		in->r[i].amount = huge ? rnd_in(PX_RATION_MAX / 2, PX_RATION_MAX) / (int64_t)(n + 1) *
						 (int64_t)(rnd() % 3 + 1)
				       : rnd_in(1, rnd() % 2 ? 10 : 1000);
		if (in->r[i].amount > PX_RATION_MAX)
			in->r[i].amount = PX_RATION_MAX;
	}
	struct px_ration_good g = {
		.id = "good", .kind = rnd() % 2 ? PX_RATION_DIVISIBLE : PX_RATION_UNITS,
		.supply = huge ? rnd_in(0, PX_RATION_MAX) : rnd_in(0, (int64_t)n * 30),
		.policy = { .n_categories = nc, .categories = in->cats, .share_den = den,
			    .flow = in->flow },
		.requests = in->r, .n = n,
	};
	in->g = g;
}

static int64_t cap_of(const struct px_ration_good *g, const struct px_ration_request *q)
{
	int64_t cap = g->policy.categories[q->category].cap;
	return cap && q->amount > cap ? cap : q->amount;
}

static void check_properties(const struct px_ration_good *g, const struct px_ration_result *r)
{
	size_t nc = g->policy.n_categories;
	int64_t demand = 0;
	for (size_t c = 0; c < nc; c++) {
		const struct px_ration_cat_result *k = &r->cats[c];
		/* reserves respected */
		int64_t floor_res = k->reserve < k->demand ? k->reserve : k->demand;
		assert_true(k->total >= floor_res);
		assert_true(k->total <= k->demand);
		demand += k->demand;
		/* exact sum of the category's allocations equals its total */
		u128 common = 1;
		for (size_t i = 0; i < g->n; i++)
			if (g->requests[i].category == c && r->alloc[i].den > 1)
				common = (u128)r->alloc[i].den; /* all cut share one level */
		u128 sum = 0;
		for (size_t i = 0; i < g->n; i++) {
			if (g->requests[i].category != c)
				continue;
			const struct px_ration_q *a = &r->alloc[i];
			assert_true(a->den >= 1 && a->num >= 0);
			assert_true(common % (u128)a->den == 0);
			sum += (u128)a->num * (common / (u128)a->den);
		}
		assert_true(sum == (u128)k->total * common);
	}
	/* the whole supply, or the whole capped demand */
	assert_int_equal(r->allocated, demand < g->supply ? demand : g->supply);
	/* the flow stops at the first category left wanting */
	int starved = 0;
	for (size_t f = 0; f < nc; f++) {
		const struct px_ration_cat_result *k = &r->cats[g->policy.flow[f]];
		if (starved)
			assert_int_equal(k->flowed, 0);
		if (k->total < k->demand)
			starved = 1;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct px_ration_q *a = &r->alloc[i];
		int64_t want = cap_of(g, &g->requests[i]);
		/* nobody above what they asked, or the cap */
		assert_true((u128)a->num <= (u128)want * (u128)a->den);
		if (g->kind == PX_RATION_DIVISIBLE) {
			/* one cut short gets no less than anyone in the category */
			if ((u128)a->num < (u128)want * (u128)a->den)
				for (size_t j = 0; j < g->n; j++)
					if (g->requests[j].category == g->requests[i].category)
						assert_true((u128)r->alloc[j].num * (u128)a->den <=
							    (u128)a->num * (u128)r->alloc[j].den);
		}
	}
	if (g->kind == PX_RATION_UNITS)
		for (size_t c = 0; c < nc; c++) {
			const struct px_ration_cat_result *k = &r->cats[c];
			int cut = 0;
			for (size_t s = 0; s < k->n; s++) {
				uint32_t j = k->order[s];
				assert_int_equal(r->rank[j], s + 1);
				assert_int_equal(r->alloc[j].den, 1);
				if (cut)
					assert_int_equal(r->alloc[j].num, 0);
				if (r->alloc[j].num < cap_of(g, &g->requests[j]))
					cut = 1;
			}
		}
}

static int find_leaf(const struct px_ration_request *r, size_t n, const unsigned char *leaf)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(r[i].leaf, leaf, 32) == 0)
			return (int)i;
	return -1;
}

static void test_properties_over_random_instances(void **state)
{
	(void)state;
	unsigned char seed[32] = { 7 };
	for (int it = 0; it < 3000; it++) {
		struct inst in;
		size_t n = (size_t)rnd_in(0, it < 2900 ? 40 : 3000);
		make_instance(&in, n, it % 5 == 4);
		struct px_ration_result r1, r2, r3;
		struct px_error err = { 0 };
		int rc = px_ration_run(&in.g, seed, &r1, &err);
		if (rc)
			fail_msg("instance %d: %s", it, px_error_message(&err));
		check_properties(&in.g, &r1);

		/* the same inputs and seed give the same result */
		assert_int_equal(px_ration_run(&in.g, seed, &r2, NULL), 0);
		struct hashes h1 = hashes_of(&in.g, &r1), h2 = hashes_of(&in.g, &r2);
		assert_memory_equal(h1.digest, h2.digest, 32);
		px_ration_result_release(&r2);

		/* any order of the input gives the same outcome */
		struct px_ration_request *p = malloc((n ? n : 1) * sizeof(*p));
		memcpy(p, in.r, n * sizeof(*p));
		for (size_t i = n; i-- > 1;) {
			size_t j = (size_t)rnd_in(0, (int64_t)i);
			struct px_ration_request t = p[i];
			p[i] = p[j];
			p[j] = t;
		}
		struct px_ration_good g2 = in.g;
		g2.requests = p;
		assert_int_equal(px_ration_run(&g2, seed, &r3, NULL), 0);
		struct hashes h3 = hashes_of(&g2, &r3);
		assert_memory_equal(h1.digest, h3.digest, 32);
		assert_memory_equal(h1.input, h3.input, 32);
		for (size_t i = 0; i < n; i++) {
			int j = find_leaf(in.r, n, p[i].leaf);
			assert_true(j >= 0);
			assert_int_equal(r3.alloc[i].num, r1.alloc[j].num);
			assert_int_equal(r3.alloc[i].den, r1.alloc[j].den);
			if (r1.rank)
				assert_int_equal(r3.rank[i], r1.rank[j]);
		}
		px_ration_result_release(&r3);
		free(p);
		px_ration_result_release(&r1);
		free(in.r);
	}
}

/* A different seed changes the order (not necessarily the totals), and a
 * different good's id too: each category of each good is its own draw. */
static void test_seed_and_good_change_the_order(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 0 };
	enum { N = 50 };
	struct px_ration_request r[N];
	char id[16];
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof(id), "p%d", i);
		req(&r[i], id, 0, 1);
	}
	struct px_ration_good g = one_category(PX_RATION_UNITS, 10, &cat, r, N);
	unsigned char s1[32] = { 1 }, s2[32] = { 2 };
	struct px_ration_result a, b, c;
	assert_int_equal(px_ration_run(&g, s1, &a, NULL), 0);
	assert_int_equal(px_ration_run(&g, s2, &b, NULL), 0);
	g.id = "other";
	assert_int_equal(px_ration_run(&g, s1, &c, NULL), 0);
	assert_memory_not_equal(a.cats[0].order, b.cats[0].order, N * sizeof(uint32_t));
	assert_memory_not_equal(a.cats[0].order, c.cats[0].order, N * sizeof(uint32_t));
	struct hashes hc = hashes_of(&g, &c);
	g.id = "flour";
	struct hashes ha = hashes_of(&g, &a), hb = hashes_of(&g, &b);
	assert_memory_not_equal(ha.digest, hb.digest, 32);
	assert_memory_equal(ha.input, hb.input, 32);
	assert_memory_not_equal(ha.input, hc.input, 32);
	px_ration_result_release(&a);
	px_ration_result_release(&b);
	px_ration_result_release(&c);
}

/* Every position of a five-request category is equally likely to be
 * first: 5,000 seeds, each count within 15% of 1,000. */
static void test_units_order_is_uniform(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 0 };
	struct px_ration_request r[5];
	char id[16];
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "%c", 'a' + i);
		req(&r[i], id, 0, 1);
	}
	struct px_ration_good g = one_category(PX_RATION_UNITS, 1, &cat, r, 5);
	int first[5] = { 0 };
	for (uint32_t s = 0; s < 5000; s++) {
		unsigned char seed[32] = { 0 };
		memcpy(seed, &s, sizeof(s));
		struct px_ration_result res;
		assert_int_equal(px_ration_run(&g, seed, &res, NULL), 0);
		first[res.cats[0].order[0]]++;
		assert_int_equal(res.alloc[res.cats[0].order[0]].num, 1);
		px_ration_result_release(&res);
	}
	for (int i = 0; i < 5; i++)
		assert_in_range(first[i], 850, 1150);
}

/* A round's commitment is the hash of its goods' hashes: it moves when
 * any request of any good moves. */
static void test_round_commitment_covers_every_request(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 0 };
	struct px_ration_request r[2];
	req(&r[0], "a", 0, 1);
	req(&r[1], "b", 0, 2);
	struct px_ration_good g = one_category(PX_RATION_DIVISIBLE, 3, &cat, r, 2);
	unsigned char h[2][32], c1[32], c2[32];
	assert_int_equal(px_ration_good_hash(&g, h[0], NULL), 0);
	g.id = "salt";
	assert_int_equal(px_ration_good_hash(&g, h[1], NULL), 0);
	px_ration_round_commit((const unsigned char(*)[32])h, 2, c1);
	r[1].amount = 3;
	assert_int_equal(px_ration_good_hash(&g, h[1], NULL), 0);
	px_ration_round_commit((const unsigned char(*)[32])h, 2, c2);
	assert_memory_not_equal(c1, c2, 32);
}

/* ---- refusals: each names its field, and nothing is returned ---- */

static void refused(struct px_ration_good *g, int code, const char *field)
{
	struct px_ration_result res;
	struct px_error err = { 0 };
	assert_int_equal(px_ration_run(g, seed0, &res, &err), code);
	assert_string_equal(err.field, field);
	assert_null(res.alloc);
	assert_null(res.cats);
	unsigned char h[32];
	assert_int_equal(px_ration_good_hash(g, h, NULL), code);
}

static void test_refusals_name_the_field(void **state)
{
	(void)state;
	struct px_ration_category cats[2] = { { 1, 0 }, { 1, 0 } };
	uint32_t flow[2] = { 0, 1 };
	struct px_ration_request r[2];
	req(&r[0], "a", 0, 1);
	req(&r[1], "b", 1, 2);
	struct px_ration_good base = {
		.id = "g", .kind = PX_RATION_DIVISIBLE, .supply = 3,
		.policy = { .n_categories = 2, .categories = cats, .share_den = 2,
			    .flow = flow },
		.requests = r, .n = 2,
	}, g;

	g = base; g.id = NULL;
	refused(&g, PX_E_MISSING_FIELD, "id");
	g = base; g.kind = 3;
	refused(&g, PX_E_BAD_INPUT, "kind");
	g = base; g.supply = -1;
	refused(&g, PX_E_OUT_OF_RANGE, "supply");
	g = base; g.supply = PX_RATION_MAX + 1;
	refused(&g, PX_E_OUT_OF_RANGE, "supply");
	g = base; g.policy.n_categories = 0;
	refused(&g, PX_E_OUT_OF_RANGE, "categories");
	g = base; g.policy.n_categories = PX_RATION_MAX_CATEGORIES + 1;
	refused(&g, PX_E_OUT_OF_RANGE, "categories");
	g = base; g.policy.share_den = 0;
	refused(&g, PX_E_OUT_OF_RANGE, "share_den");
	g = base; g.policy.share_den = PX_RATION_MAX_SHARE_DEN + 1;
	refused(&g, PX_E_OUT_OF_RANGE, "share_den");
	g = base; g.policy.share_den = 1; /* 1/1 + 1/1 > the whole */
	refused(&g, PX_E_OUT_OF_RANGE, "share");
	cats[1].share = -1;
	g = base;
	refused(&g, PX_E_OUT_OF_RANGE, "share");
	cats[1].share = 1;
	cats[0].cap = -1;
	refused(&g, PX_E_OUT_OF_RANGE, "cap");
	cats[0].cap = PX_RATION_MAX + 1;
	refused(&g, PX_E_OUT_OF_RANGE, "cap");
	cats[0].cap = 0;
	flow[1] = 0; /* category 0 twice, 1 never */
	refused(&g, PX_E_BAD_INPUT, "flow");
	flow[1] = 2;
	refused(&g, PX_E_BAD_INPUT, "flow");
	flow[1] = 1;
	r[1].category = 2;
	refused(&g, PX_E_OUT_OF_RANGE, "category");
	r[1].category = 1;
	r[1].amount = 0;
	refused(&g, PX_E_OUT_OF_RANGE, "amount");
	r[1].amount = PX_RATION_MAX + 1;
	refused(&g, PX_E_OUT_OF_RANGE, "amount");
	r[1].amount = 2;
	memcpy(r[1].leaf, r[0].leaf, 32); /* the same request twice */
	refused(&g, PX_E_BAD_INPUT, "requests");
	req(&r[1], "b", 1, 2);
	g = base; g.requests = NULL;
	refused(&g, PX_E_OUT_OF_RANGE, "requests");

	/* the widest inputs are taken, and sums beyond 2^63 are refused */
	struct px_ration_category wide = { 1, 0 };
	enum { W = 1100 };
	struct px_ration_request *w = calloc(W, sizeof(*w));
	for (int i = 0; i < W; i++) {
		for (int b = 0; b < 4; b++)
			w[i].leaf[b] = (unsigned char)(i >> (8 * b));
		w[i].amount = PX_RATION_MAX;
	}
	struct px_ration_good gw = one_category(PX_RATION_DIVISIBLE, PX_RATION_MAX,
						&wide, w, 1000);
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&gw, seed0, &res, NULL), 0);
	assert_int_equal(res.allocated, PX_RATION_MAX);
	/* (2^53 - 1) / 1000 does not reduce further */
	q_is(res.cats[0].level, PX_RATION_MAX, 1000);
	px_ration_result_release(&res);
	gw.n = W; /* 1100 x (2^53 - 1) > 2^63 - 1 */
	refused(&gw, PX_E_OUT_OF_RANGE, "amount");
	free(w);
}

static void test_empty_round_and_zero_supply(void **state)
{
	(void)state;
	struct px_ration_category cat = { 1, 0 };
	struct px_ration_request r[2];
	req(&r[0], "a", 0, 4);
	req(&r[1], "b", 0, 2);
	struct px_ration_good g = one_category(PX_RATION_UNITS, 3, &cat, r, 0);
	struct px_ration_result res;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	assert_int_equal(res.allocated, 0);
	px_ration_result_release(&res);
	g.n = 2;
	g.supply = 0;
	g.kind = PX_RATION_DIVISIBLE;
	assert_int_equal(px_ration_run(&g, seed0, &res, NULL), 0);
	q_is(res.alloc[0], 0, 1);
	q_is(res.alloc[1], 0, 1);
	q_is(res.cats[0].level, 0, 1);
	px_ration_result_release(&res);
}

/* ---- probabilistic serial ---- */

static void ps_run(const uint32_t *const *lists, const size_t *lens, size_t n,
		   const int64_t *supply, size_t m, struct px_ration_q *out)
{
	struct px_ps_agent a[16];
	for (size_t i = 0; i < n; i++) {
		a[i].n_ranked = lens[i];
		a[i].ranked = lists[i];
	}
	struct px_error err = { 0 };
	if (px_ps_eat(a, n, supply, m, out, &err))
		fail_msg("px_ps_eat: %s", px_error_message(&err));
}

/* Bogomolnaia and Moulin's example: 1 and 2 rank a > b > c > d, 3 and 4
 * rank b > a > d > c. a is eaten by 1 and 2 and b by 3 and 4, both gone at
 * 1/2; then 1 and 2 eat c, 3 and 4 eat d, until 1. So 1 and 2 each get
 * a 1/2, c 1/2; 3 and 4 each b 1/2, d 1/2. (Random serial dictatorship
 * gives 1 a with 5/12 and c with 5/12, b and d with 1/12: worse for all.) */
static void test_ps_bogomolnaia_moulin_example(void **state)
{
	(void)state;
	uint32_t p12[4] = { 0, 1, 2, 3 }, p34[4] = { 1, 0, 3, 2 };
	const uint32_t *lists[4] = { p12, p12, p34, p34 };
	size_t lens[4] = { 4, 4, 4, 4 };
	int64_t supply[4] = { 1, 1, 1, 1 };
	struct px_ration_q out[16];
	ps_run(lists, lens, 4, supply, 4, out);
	for (int i = 0; i < 4; i++) {
		q_is(out[4 * i + 0], 1, 2);
		q_is(out[4 * i + 1], 0, 1);
		q_is(out[4 * i + 2], 1, 2);
		q_is(out[4 * i + 3], 0, 1);
	}
}

/* Three people, x y z one each. 1: x > y > z; 2: x > z > y; 3: y > x > z.
 * x eaten by 1 and 2 (rate 2): gone at 1/2; y by 3 alone: 1/2 left then.
 * From 1/2, 1 and 3 eat y (rate 2): gone at 3/4; 2 eats z from 1/2.
 * From 3/4 all three eat z: 3/4 of it left, gone exactly at 1.
 * 1: x 1/2, y 1/4, z 1/4. 2: x 1/2, z 1/2. 3: y 3/4, z 1/4. */
static void test_ps_three_people_worked_example(void **state)
{
	(void)state;
	uint32_t p1[3] = { 0, 1, 2 }, p2[3] = { 0, 2, 1 }, p3[3] = { 1, 0, 2 };
	const uint32_t *lists[3] = { p1, p2, p3 };
	size_t lens[3] = { 3, 3, 3 };
	int64_t supply[3] = { 1, 1, 1 };
	struct px_ration_q o[9];
	ps_run(lists, lens, 3, supply, 3, o);
	q_is(o[0], 1, 2); q_is(o[1], 1, 4); q_is(o[2], 1, 4); /* 1: x y z */
	q_is(o[3], 1, 2); q_is(o[4], 1, 2); q_is(o[5], 0, 1); /* 2: x z y */
	q_is(o[6], 3, 4); q_is(o[7], 0, 1); q_is(o[8], 1, 4); /* 3: y x z */
}

/* Two units of x for three who rank only x: gone at 2/3, 2/3 each. One who
 * ranks only z, of which there is none, receives nothing. */
static void test_ps_several_units_and_empty_alternatives(void **state)
{
	(void)state;
	uint32_t px[1] = { 0 }, pz[1] = { 1 };
	const uint32_t *lists[4] = { px, px, px, pz };
	size_t lens[4] = { 1, 1, 1, 1 };
	int64_t supply[2] = { 2, 0 };
	struct px_ration_q o[4];
	ps_run(lists, lens, 4, supply, 2, o);
	for (int i = 0; i < 3; i++)
		q_is(o[i], 2, 3);
	q_is(o[3], 0, 1);
}

/* The same eating in floating point, written independently (time steps
 * between events found by scanning), to compare within 1e-9. */
static void ps_float(const uint32_t (*lists)[6], const size_t *lens, size_t n,
		     const int64_t *supply, size_t m, double (*p)[6])
{
	double rem[6], t = 0;
	size_t at[6] = { 0 };
	for (size_t j = 0; j < m; j++)
		rem[j] = (double)supply[j];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			p[i][j] = 0;
	while (t < 1 - 1e-12) {
		int e[6] = { 0 }, any = 0;
		for (size_t i = 0; i < n; i++) {
			while (at[i] < lens[i] && rem[lists[i][at[i]]] <= 1e-12)
				at[i]++;
			if (at[i] < lens[i]) {
				e[lists[i][at[i]]]++;
				any = 1;
			}
		}
		if (!any)
			break;
		double dt = 1 - t;
		for (size_t j = 0; j < m; j++)
			if (e[j] && rem[j] / e[j] < dt)
				dt = rem[j] / e[j];
		for (size_t i = 0; i < n; i++)
			if (at[i] < lens[i])
				p[i][lists[i][at[i]]] += dt;
		for (size_t j = 0; j < m; j++)
			rem[j] -= dt * e[j];
		t += dt;
	}
}

static double fabs_diff(double a, double b)
{
	return a > b ? a - b : b - a;
}

static int q_pos(struct px_ration_q a)
{
	return a.num > 0;
}

/* For small random instances (up to 6 people, 6 alternatives, supplies 0
 * to 2, lists complete or cut short): the exact shares agree with the
 * float simulation; nobody receives more than one unit, no alternative
 * more than its supply; the result is envy-free by stochastic dominance
 * (on every prefix of my list, my shares sum to at least anyone else's);
 * it wastes nothing (no one eats a worse alternative, or stops short of
 * one unit, while one they rank higher has some left); and it is
 * ordinally efficient, checked by brute force over Bogomolnaia and
 * Moulin's criterion (their Lemma 3): the relation "someone who prefers a
 * to b has a share of b" has no cycle among the alternatives. */
static void test_ps_properties_on_small_instances(void **state)
{
	(void)state;
	for (int it = 0; it < 4000; it++) {
		size_t n = (size_t)rnd_in(1, 6), m = (size_t)rnd_in(1, 6);
		uint32_t lists[6][6];
		size_t lens[6];
		int64_t supply[6];
		for (size_t j = 0; j < m; j++)
			supply[j] = rnd_in(0, 2);
		struct px_ps_agent ag[6];
		size_t off[6], total = 0;
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < m; j++)
				lists[i][j] = (uint32_t)j;
			for (size_t j = m; j-- > 1;) {
				size_t k = (size_t)rnd_in(0, (int64_t)j);
				uint32_t t = lists[i][j];
				lists[i][j] = lists[i][k];
				lists[i][k] = t;
			}
			lens[i] = rnd() % 3 ? m : (size_t)rnd_in(0, (int64_t)m);
			ag[i].n_ranked = lens[i];
			ag[i].ranked = lists[i];
			off[i] = total;
			total += lens[i];
		}
		struct px_ration_q out[36];
		struct px_error err = { 0 };
		if (px_ps_eat(ag, n, supply, m, out, &err))
			fail_msg("instance %d: %s", it, px_error_message(&err));
		/* the dense matrix of exact shares */
		struct px_ration_q P[6][6];
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < m; j++)
				P[i][j] = (struct px_ration_q){ 0, 1 };
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < lens[i]; k++)
				P[i][lists[i][k]] = out[off[i] + k];
		double F[6][6];
		ps_float((const uint32_t(*)[6])lists, lens, n, supply, m, F);
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < m; j++)
				assert_true(fabs_diff((double)P[i][j].num / (double)P[i][j].den, F[i][j]) < 1e-9);
		/* exact sums, over a common denominator of the instance */
		u128 D = 1;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < m; j++) {
				u128 d = (u128)P[i][j].den, a = D, b = d;
				while (b) { u128 t = a % b; a = b; b = t; }
				D = D / a * d;
			}
		u128 S[6][6];
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < m; j++)
				S[i][j] = (u128)P[i][j].num * (D / (u128)P[i][j].den);
		for (size_t i = 0; i < n; i++) {
			u128 row = 0;
			for (size_t j = 0; j < m; j++)
				row += S[i][j];
			assert_true(row <= D);
			/* no waste: while a ranked alternative has some
			 * left, I never eat a worse one, and I eat until the
			 * clock ends (a whole unit, of it and better ones) */
			u128 before = 0;
			for (size_t k = 0; k < lens[i]; k++) {
				size_t a = lists[i][k];
				u128 col = 0;
				for (size_t x = 0; x < n; x++)
					col += S[x][a];
				if (col < (u128)supply[a] * D) {
					for (size_t k2 = k + 1; k2 < lens[i]; k2++)
						assert_true(S[i][lists[i][k2]] == 0);
					assert_true(before + S[i][a] == D);
				}
				before += S[i][a];
			}
		}
		for (size_t j = 0; j < m; j++) {
			u128 col = 0;
			for (size_t i = 0; i < n; i++)
				col += S[i][j];
			assert_true(col <= (u128)supply[j] * D);
		}
		/* envy-freeness by stochastic dominance */
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < n; k++) {
				u128 mine = 0, theirs = 0;
				for (size_t s = 0; s < lens[i]; s++) {
					mine += S[i][lists[i][s]];
					theirs += S[k][lists[i][s]];
					assert_true(mine >= theirs);
				}
			}
		/* ordinal efficiency: tau has no cycle */
		int tau[6][6] = { { 0 } };
		for (size_t i = 0; i < n; i++)
			for (size_t s = 0; s < lens[i]; s++)
				for (size_t t2 = s + 1; t2 < lens[i]; t2++)
					if (q_pos(P[i][lists[i][t2]]))
						tau[lists[i][s]][lists[i][t2]] = 1;
		for (size_t k = 0; k < m; k++) /* transitive closure */
			for (size_t a = 0; a < m; a++)
				for (size_t b = 0; b < m; b++)
					if (tau[a][k] && tau[k][b])
						tau[a][b] = 1;
		for (size_t a = 0; a < m; a++)
			assert_false(tau[a][a]);
	}
}

/* The three-person example drawn 30,000 times: each person receives each
 * alternative about as often as their share says (within 0.015), always
 * exactly one thing (everyone's shares sum to 1), and the same seed
 * gives the same assignment. */
static void test_ps_draw_follows_the_shares(void **state)
{
	(void)state;
	uint32_t p1[3] = { 0, 1, 2 }, p2[3] = { 0, 2, 1 }, p3[3] = { 1, 0, 2 };
	struct px_ps_agent ag[3] = { { 3, p1 }, { 3, p2 }, { 3, p3 } };
	int64_t supply[3] = { 1, 1, 1 };
	struct px_ration_q sh[9];
	assert_int_equal(px_ps_eat(ag, 3, supply, 3, sh, NULL), 0);
	/* shares by [person][alternative] */
	double want[3][3] = { { 0.5, 0.25, 0.25 }, { 0.5, 0, 0.5 }, { 0, 0.75, 0.25 } };
	int count[3][3] = { { 0 } };
	enum { DRAWS = 30000 };
	for (uint32_t t = 0; t < DRAWS; t++) {
		unsigned char seed[32] = { 0 };
		memcpy(seed, &t, sizeof(t));
		int64_t got[3], again[3];
		assert_int_equal(px_ps_draw(ag, 3, supply, 3, sh, seed, got, NULL), 0);
		assert_int_equal(px_ps_draw(ag, 3, supply, 3, sh, seed, again, NULL), 0);
		assert_memory_equal(got, again, sizeof(got));
		int used[3] = { 0 };
		for (int i = 0; i < 3; i++) {
			assert_true(got[i] >= 0 && got[i] < 3);
			assert_int_equal(used[got[i]]++, 0);
			count[i][got[i]]++;
		}
	}
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			double f = (double)count[i][j] / DRAWS;
			if (fabs_diff(f, want[i][j]) > 0.015)
				fail_msg("person %d, alternative %d: %.4f, want %.4f", i + 1, j, f,
					 want[i][j]);
		}
}

/* The vector of docs/sharing.md section 10 (tests/cli/test_sharing_spec.py
 * checks the same with the independent Python program): six people, four
 * alternatives with supplies 2, 1, 1 and 0. Alternative 0 is eaten by
 * three (rate 3, 2 units: gone at 2/3), 1 by person 2 alone, 2 by persons
 * 3 and 5 (3 has none: 5 moves on) until 1/2; then 3 and 5 join 2 on
 * alternative 1, whose last half goes at rate 3, at 2/3, when alternative
 * 0 is gone too and nothing is left. */
static void test_ps_vector_of_the_docs(void **state)
{
	(void)state;
	uint32_t l[6][4] = { { 0, 1, 2, 3 }, { 0, 2, 1 }, { 1, 0, 3, 2 }, { 2, 1 },
			     { 0, 1, 3, 2 }, { 3, 2, 1, 0 } };
	size_t len[6] = { 4, 3, 4, 2, 4, 4 };
	struct px_ps_agent ag[6];
	for (int i = 0; i < 6; i++)
		ag[i] = (struct px_ps_agent){ len[i], l[i] };
	int64_t supply[4] = { 2, 1, 1, 0 };
	struct px_ration_q sh[21];
	assert_int_equal(px_ps_eat(ag, 6, supply, 4, sh, NULL), 0);
	static const int64_t want[21][2] = {
		{ 2, 3 }, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 2, 3 }, { 0, 1 }, { 0, 1 },
		{ 2, 3 }, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 1, 2 }, { 1, 6 },
		{ 2, 3 }, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 1, 2 }, { 1, 6 }, { 0, 1 } };
	for (int k = 0; k < 21; k++)
		q_is(sh[k], want[k][0], want[k][1]);
	unsigned char seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)i;
	int64_t got[6], assigned[6] = { -1, 0, 1, 2, 0, -1 };
	assert_int_equal(px_ps_draw(ag, 6, supply, 4, sh, seed, got, NULL), 0);
	assert_memory_equal(got, assigned, sizeof(got));
}

/* On random small instances: only ranked alternatives with a positive
 * share are received, none beyond its supply, and whoever's shares sum
 * to 1 receives one. */
static void test_ps_draw_respects_supply_and_lists(void **state)
{
	(void)state;
	for (int it = 0; it < 3000; it++) {
		size_t n = (size_t)rnd_in(1, 7), m = (size_t)rnd_in(1, 5);
		uint32_t lists[7][5];
		int64_t supply[5];
		struct px_ps_agent ag[7];
		size_t off[7], total = 0;
		for (size_t j = 0; j < m; j++)
			supply[j] = rnd_in(0, 3);
		for (size_t i = 0; i < n; i++) {
			for (size_t j = 0; j < m; j++)
				lists[i][j] = (uint32_t)j;
			for (size_t j = m; j-- > 1;) {
				size_t k = (size_t)rnd_in(0, (int64_t)j);
				uint32_t t = lists[i][j];
				lists[i][j] = lists[i][k];
				lists[i][k] = t;
			}
			ag[i].n_ranked = rnd() % 3 ? m : (size_t)rnd_in(0, (int64_t)m);
			ag[i].ranked = lists[i];
			off[i] = total;
			total += ag[i].n_ranked;
		}
		struct px_ration_q sh[35];
		assert_int_equal(px_ps_eat(ag, n, supply, m, sh, NULL), 0);
		unsigned char seed[32] = { (unsigned char)it, (unsigned char)(it >> 8) };
		int64_t got[7];
		struct px_error err = { 0 };
		if (px_ps_draw(ag, n, supply, m, sh, seed, got, &err))
			fail_msg("instance %d: %s", it, px_error_message(&err));
		int64_t used[5] = { 0 };
		for (size_t i = 0; i < n; i++) {
			struct px_ration_q sum = { 0, 1 };
			int found = got[i] < 0;
			for (size_t k = 0; k < ag[i].n_ranked; k++) {
				struct px_ration_q q = sh[off[i] + k];
				sum.num = sum.num * q.den + q.num * sum.den;
				sum.den *= q.den;
				if ((int64_t)lists[i][k] == got[i]) {
					assert_true(q.num > 0);
					found = 1;
				}
			}
			assert_true(found);
			if (sum.num == sum.den)
				assert_true(got[i] >= 0);
			if (got[i] >= 0)
				used[got[i]]++;
		}
		for (size_t j = 0; j < m; j++)
			assert_true(used[j] <= supply[j]);
	}
}

static void test_ps_draw_refuses_impossible_shares(void **state)
{
	(void)state;
	uint32_t both[2] = { 0, 1 };
	struct px_ps_agent ag[2] = { { 2, both }, { 2, both } };
	int64_t supply[2] = { 1, 1 };
	unsigned char seed[32] = { 0 };
	int64_t got[2];
	struct px_error err = { 0 };
	/* person 1's shares sum to more than 1 */
	struct px_ration_q over[4] = { { 2, 3 }, { 2, 3 }, { 0, 1 }, { 0, 1 } };
	assert_int_equal(px_ps_draw(ag, 2, supply, 2, over, seed, got, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "shares");
	/* alternative 0 shared out beyond its one unit */
	struct px_ration_q beyond[4] = { { 3, 4 }, { 0, 1 }, { 3, 4 }, { 0, 1 } };
	assert_int_equal(px_ps_draw(ag, 2, supply, 2, beyond, seed, got, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "shares");
	struct px_ration_q bad[4] = { { 1, 0 }, { 0, 1 }, { 0, 1 }, { 0, 1 } };
	assert_int_equal(px_ps_draw(ag, 2, supply, 2, bad, seed, got, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "shares");
	/* denominators whose common multiple passes 2^62 */
	struct px_ration_q huge[4] = { { 1, 2147483647 }, { 1, 2147483629 }, { 1, 2147483587 },
				       { 0, 1 } };
	assert_int_equal(px_ps_draw(ag, 2, supply, 2, huge, seed, got, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "shares");
}

static void test_ps_refusals(void **state)
{
	(void)state;
	uint32_t twice[2] = { 0, 0 }, bad[1] = { 5 }, ok[2] = { 0, 1 };
	int64_t supply[2] = { 1, 1 }, neg[2] = { -1, 1 };
	struct px_ps_agent a = { 2, twice };
	struct px_ration_q out[4];
	struct px_error err = { 0 };
	assert_int_equal(px_ps_eat(&a, 1, supply, 2, out, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "ranked");
	a = (struct px_ps_agent){ 1, bad };
	assert_int_equal(px_ps_eat(&a, 1, supply, 2, out, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "ranked");
	a = (struct px_ps_agent){ 3, ok };
	assert_int_equal(px_ps_eat(&a, 1, supply, 2, out, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "ranked");
	a = (struct px_ps_agent){ 2, ok };
	assert_int_equal(px_ps_eat(&a, 1, neg, 2, out, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "supply");
	assert_int_equal(px_ps_eat(&a, PX_PS_MAX_AGENTS + 1, supply, 2, out, &err),
			 PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "agents");
	assert_int_equal(px_ps_eat(&a, 1, supply, PX_PS_MAX_GOODS + 1, out, &err),
			 PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "goods");
	/* nobody, or nothing, is fine */
	assert_int_equal(px_ps_eat(NULL, 0, supply, 2, out, NULL), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_water_filling_serves_small_requests_whole),
		cmocka_unit_test(test_water_filling_level_is_an_exact_fraction),
		cmocka_unit_test(test_cap_limits_and_leaves_the_rest),
		cmocka_unit_test(test_reserve_system_worked_example),
		cmocka_unit_test(test_flow_order_decides_who_gets_unused_reserve),
		cmocka_unit_test(test_units_reserve_rounds_down_and_the_rest_flows),
		cmocka_unit_test(test_units_go_by_the_drawn_order),
		cmocka_unit_test(test_units_vector_of_the_docs),
		cmocka_unit_test(test_water_filling_many_equal_amounts),
		cmocka_unit_test(test_properties_over_random_instances),
		cmocka_unit_test(test_seed_and_good_change_the_order),
		cmocka_unit_test(test_units_order_is_uniform),
		cmocka_unit_test(test_round_commitment_covers_every_request),
		cmocka_unit_test(test_refusals_name_the_field),
		cmocka_unit_test(test_empty_round_and_zero_supply),
		cmocka_unit_test(test_ps_bogomolnaia_moulin_example),
		cmocka_unit_test(test_ps_three_people_worked_example),
		cmocka_unit_test(test_ps_several_units_and_empty_alternatives),
		cmocka_unit_test(test_ps_properties_on_small_instances),
		cmocka_unit_test(test_ps_vector_of_the_docs),
		cmocka_unit_test(test_ps_draw_follows_the_shares),
		cmocka_unit_test(test_ps_draw_respects_supply_and_lists),
		cmocka_unit_test(test_ps_draw_refuses_impossible_shares),
		cmocka_unit_test(test_ps_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
