/*
 * ration_bench.c: one round of the sharing economy at scale (issue 16,
 * item 8), through src/core/ration.c. Built and run by bench/economy/run
 * against build/rel/libpnyx.a.
 *
 * The round is generated deterministically from a seed text: G goods,
 * alternately divisible (amounts of 1 to 5,000 of a unit) and indivisible
 * (1 to 3 units), 5 need categories reserving 20, 15, 10 and 5 percent
 * (the fifth, "everyone", none), a cap on the fourth, each good's flow
 * order a permutation of the five; N requests, a fifth of them on the
 * hundred most wanted goods and the rest spread evenly, in categories of
 * weights 10, 15, 20, 25 and 30 percent; each good's supply between 40
 * and 90 percent of what it is asked for (scarce everywhere). Leaves are
 * 32 bytes of the generator's stream.
 *
 * Times are the process's CPU time (one thread), which a machine shared
 * with other work disturbs less than the wall clock.
 *
 * Prints "NAME VALUE" lines:
 *   commit_ms     every good's hash of its inputs and the round's commitment
 *   alloc_ms      px_ration_run over every good (canonical order, totals,
 *                 levels, drawn orders, allocations), every result kept
 *   record_ms     every result's hash (px_ration_result_hash)
 *   verify_ms     what a verifier does from the published record: the
 *                 commitment again, every good recomputed, every result
 *                 hash compared
 *   naive_ms      the straightforward C loop (naive_good below), whose
 *                 allocations are compared with pnyx's one by one
 *   peak_rss_kb   the process's peak memory after all of it
 *   instance_kb   the memory the instance itself holds
 *   goods, requests, divisible, units, scarce_goods, largest_good
 *   alloc_hash    BLAKE2b-256 of "num/den\n" per request in generated
 *                 order, to compare with the Python baseline
 * Usage: ration_bench REQUESTS GOODS SEED [DUMP_FILE]
 *   DUMP_FILE: the round as text for bench/economy/baseline.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sodium.h>

#include "core/draw.h"
#include "core/errors.h"
#include "core/pool.h"
#include "core/randstream.h"
#include "core/ration.h"

#define NCAT 5

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const struct px_error *err)
{
	fprintf(stderr, "ration_bench: %s: %s\n", what, err ? px_error_message(err) : "");
	exit(1);
}

struct round {
	size_t n, goods;
	struct px_ration_request *req; /* grouped by good */
	size_t *start;                 /* goods + 1 */
	size_t *gen;                   /* generated index of each grouped request */
	struct px_ration_good *g;
	char (*ids)[24];
	struct px_ration_category cats[2][NCAT]; /* [0] divisible, [1] units */
	uint32_t (*flow)[NCAT];
};

static void generate(struct round *r, size_t n, size_t goods, const char *seed_text)
{
	unsigned char seed[32];
	struct px_stream s;
	crypto_generichash_blake2b(seed, 32, (const unsigned char *)seed_text,
				   strlen(seed_text), NULL, 0);
	px_stream_init(&s, seed);
	r->n = n;
	r->goods = goods;
	struct px_ration_request *tmp = malloc(n * sizeof(*tmp));
	uint32_t *good_of = malloc(n * sizeof(*good_of));
	r->req = malloc(n * sizeof(*r->req));
	r->gen = malloc(n * sizeof(*r->gen));
	r->start = calloc(goods + 1, sizeof(*r->start));
	r->g = calloc(goods, sizeof(*r->g));
	r->ids = calloc(goods, sizeof(*r->ids));
	r->flow = calloc(goods, sizeof(*r->flow));
	if (!tmp || !good_of || !r->req || !r->gen || !r->start || !r->g || !r->ids || !r->flow)
		die("out of memory", NULL);
	static const int weight[NCAT] = { 10, 15, 20, 25, 30 };
	size_t hot = goods < 100 ? goods : 100;
	for (size_t i = 0; i < n; i++) {
		px_stream_bytes(&s, tmp[i].leaf, 32);
		good_of[i] = (uint32_t)(px_stream_below(&s, 5) == 0 ? px_stream_below(&s, hot)
						     : px_stream_below(&s, goods));
		uint64_t w = px_stream_below(&s, 100);
		uint32_t c = 0;
		for (int acc = weight[0]; (int)w >= acc; acc += weight[++c])
			;
		tmp[i].category = c;
		tmp[i].amount = (int64_t)(good_of[i] % 2 == 0 ? 1 + px_stream_below(&s, 5000)
							       : 1 + px_stream_below(&s, 3));
		r->start[good_of[i] + 1]++;
	}
	for (size_t k = 1; k <= goods; k++)
		r->start[k] += r->start[k - 1];
	size_t *fill = malloc(goods * sizeof(*fill));
	if (!fill)
		die("out of memory", NULL);
	memcpy(fill, r->start, goods * sizeof(*fill));
	for (size_t i = 0; i < n; i++) {
		size_t at = fill[good_of[i]]++;
		r->req[at] = tmp[i];
		r->gen[at] = i;
	}
	static const int64_t share[NCAT] = { 20, 15, 10, 5, 0 };
	for (int k = 0; k < 2; k++)
		for (int c = 0; c < NCAT; c++) {
			r->cats[k][c].share = share[c];
			r->cats[k][c].cap = c == 3 ? (k ? 1 : 2000) : 0;
		}
	for (size_t k = 0; k < goods; k++) {
		struct px_ration_good *g = &r->g[k];
		int units = k % 2 == 1;
		int64_t demand = 0;
		for (size_t i = r->start[k]; i < r->start[k + 1]; i++) {
			int64_t a = r->req[i].amount, cap = r->cats[units][r->req[i].category].cap;
			demand += cap && a > cap ? cap : a;
		}
		for (uint32_t c = 0; c < NCAT; c++)
			r->flow[k][c] = c;
		for (uint32_t c = NCAT - 1; c > 0; c--) {
			uint32_t j = (uint32_t)px_stream_below(&s, c + 1), t = r->flow[k][c];
			r->flow[k][c] = r->flow[k][j];
			r->flow[k][j] = t;
		}
		snprintf(r->ids[k], sizeof(r->ids[k]), "good-%05zu", k);
		g->id = r->ids[k];
		g->kind = units ? PX_RATION_UNITS : PX_RATION_DIVISIBLE;
		g->supply = demand * (int64_t)(40 + px_stream_below(&s, 51)) / 100;
		g->policy.n_categories = NCAT;
		g->policy.categories = r->cats[units];
		g->policy.share_den = 100;
		g->policy.flow = r->flow[k];
		g->requests = r->req + r->start[k];
		g->n = r->start[k + 1] - r->start[k];
	}
	free(fill);
	free(tmp);
	free(good_of);
	sodium_memzero(&s, sizeof(s));
}

/* ---- the straightforward implementation, for comparison ----
 * What one writes first: each category's requests found by scanning the
 * whole good, the level found by progressive filling (offer everyone left
 * an equal share of what remains; whoever asked for no more takes what
 * they asked and leaves; repeat until nobody leaves), the orders by the
 * same draw. Same results, more passes. */

static int by_leaf_ptr(const void *a, const void *b)
{
	return memcmp((*(const struct px_ration_request *const *)a)->leaf,
		      (*(const struct px_ration_request *const *)b)->leaf, 32);
}

static int64_t gcd(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static void naive_good(const struct px_ration_good *g, const unsigned char round_seed[32],
		       struct px_ration_q *out)
{
	size_t n = g->n;
	const struct px_ration_request **sorted = malloc((n ? n : 1) * sizeof(*sorted));
	const struct px_ration_request **cat = malloc((n ? n : 1) * sizeof(*cat));
	int64_t *want = malloc((n ? n : 1) * sizeof(*want));
	char *done = malloc(n ? n : 1);
	uint32_t *pos = malloc((n ? n : 1) * sizeof(*pos));
	if (!sorted || !cat || !want || !done || !pos)
		die("out of memory", NULL);
	for (size_t i = 0; i < n; i++)
		sorted[i] = &g->requests[i];
	qsort(sorted, n, sizeof(*sorted), by_leaf_ptr);
	int64_t demand[NCAT] = { 0 }, total[NCAT], left = g->supply;
	for (size_t i = 0; i < n; i++) {
		int64_t a = sorted[i]->amount, cap = g->policy.categories[sorted[i]->category].cap;
		demand[sorted[i]->category] += cap && a > cap ? cap : a;
	}
	for (int c = 0; c < NCAT; c++) {
		int64_t res = g->supply * g->policy.categories[c].share / g->policy.share_den;
		total[c] = res < demand[c] ? res : demand[c];
		left -= total[c];
	}
	for (int f = 0; f < NCAT; f++) {
		uint32_t c = g->policy.flow[f];
		int64_t more = demand[c] - total[c] < left ? demand[c] - total[c] : left;
		total[c] += more;
		left -= more;
	}
	for (uint32_t c = 0; c < NCAT; c++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (sorted[i]->category == c)
				cat[k++] = sorted[i];
		for (size_t i = 0; i < k; i++) {
			int64_t a = cat[i]->amount, cap = g->policy.categories[c].cap;
			want[i] = cap && a > cap ? cap : a;
			done[i] = 0;
		}
		if (g->kind == PX_RATION_DIVISIBLE) {
			int64_t rem = total[c];
			size_t active = k;
			for (;;) {
				size_t left_now = 0;
				int64_t rem0 = rem;
				for (size_t i = 0; i < k; i++)
					if (!done[i] && want[i] * (int64_t)active <= rem0) {
						done[i] = 1;
						rem -= want[i];
						out[cat[i] - g->requests] = (struct px_ration_q){ want[i], 1 };
						left_now++;
					}
				if (!left_now || active == left_now)
					break;
				active -= left_now;
			}
			active = 0;
			for (size_t i = 0; i < k; i++)
				active += !done[i];
			int64_t d = active ? gcd(rem, (int64_t)active) : 1;
			for (size_t i = 0; i < k; i++)
				if (!done[i])
					out[cat[i] - g->requests] = rem == 0 ? (struct px_ration_q){ 0, 1 } :
						(struct px_ration_q){ rem / d, (int64_t)active / d };
		} else {
			unsigned char seed[32];
			struct px_error err = { 0 };
			px_ration_order_seed(round_seed, g->id, c, seed);
			if (px_draw_rank(seed, k, k, pos, &err))
				die("draw", &err);
			int64_t rem = total[c];
			for (size_t i = 0; i < k; i++) {
				int64_t give = want[pos[i]] < rem ? want[pos[i]] : rem;
				rem -= give;
				out[cat[pos[i]] - g->requests] = (struct px_ration_q){ give, 1 };
			}
		}
	}
	free(sorted);
	free(cat);
	free(want);
	free(done);
	free(pos);
}

static void dump(const struct round *r, const unsigned char round_seed[32], const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write the dump", NULL);
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), round_seed, 32);
	fprintf(f, "round %s %zu %zu\n", hex, r->goods, r->n);
	for (size_t k = 0; k < r->goods; k++) {
		const struct px_ration_good *g = &r->g[k];
		fprintf(f, "good %s %d %lld %zu", g->id, g->kind == PX_RATION_UNITS,
			(long long)g->supply, g->n);
		for (int c = 0; c < NCAT; c++)
			fprintf(f, " %lld/%lld", (long long)g->policy.categories[c].share,
				(long long)g->policy.categories[c].cap);
		for (int c = 0; c < NCAT; c++)
			fprintf(f, " %u", g->policy.flow[c]);
		fputc('\n', f);
		for (size_t i = 0; i < g->n; i++) {
			sodium_bin2hex(hex, sizeof(hex), g->requests[i].leaf, 32);
			fprintf(f, "%s %u %lld %zu\n", hex, g->requests[i].category,
				(long long)g->requests[i].amount, r->gen[r->start[k] + i]);
		}
	}
	if (fclose(f))
		die("cannot write the dump", NULL);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: ration_bench REQUESTS GOODS SEED [DUMP_FILE]\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	size_t n = strtoull(argv[1], NULL, 10), goods = strtoull(argv[2], NULL, 10);
	struct round r;
	struct px_error err = { 0 };
	generate(&r, n, goods, argv[3]);

	/* the round's commitment and seed */
	double t0 = now_ms();
	unsigned char (*hash)[32] = malloc(goods * sizeof(*hash)), commitment[32], seed[32];
	unsigned char (*digest)[32] = malloc(goods * sizeof(*digest));
	struct px_ration_q *all = malloc(n * sizeof(*all)), *naive = malloc(n * sizeof(*naive));
	struct px_ration_result *results = calloc(goods, sizeof(*results));
	if (!hash || !digest || !all || !naive || !results)
		die("out of memory", NULL);
	for (size_t k = 0; k < goods; k++)
		if (px_ration_good_hash(&r.g[k], hash[k], &err))
			die(r.g[k].id, &err);
	px_ration_round_commit((const unsigned char(*)[32])hash, goods, commitment);
	double t1 = now_ms();
	px_seed_derive(commitment, argv[3], strlen(argv[3]), seed);

	/* the allocation */
	size_t scarce = 0, largest = 0, units = 0;
	double t2 = now_ms();
	for (size_t k = 0; k < goods; k++) {
		struct px_ration_result res;
		if (px_ration_run(&r.g[k], seed, &res, &err))
			die(r.g[k].id, &err);
		memcpy(all + r.start[k], res.alloc, r.g[k].n * sizeof(*all));
		scarce += res.allocated < r.g[k].supply ? 0 : 1;
		results[k] = res;
	}
	double t3 = now_ms();
	/* the record: each result's hash, then the results are let go */
	for (size_t k = 0; k < goods; k++) {
		px_ration_result_hash(&results[k], hash[k], digest[k]);
		px_ration_result_release(&results[k]);
	}
	double t3b = now_ms();

	/* what a verifier recomputes from the record */
	int ok = 1;
	for (size_t k = 0; k < goods; k++) {
		unsigned char h[32];
		if (px_ration_good_hash(&r.g[k], h, &err))
			die(r.g[k].id, &err);
		ok &= memcmp(h, hash[k], 32) == 0;
		memcpy(hash[k], h, 32);
	}
	unsigned char c2[32];
	px_ration_round_commit((const unsigned char(*)[32])hash, goods, c2);
	ok &= memcmp(c2, commitment, 32) == 0;
	for (size_t k = 0; k < goods; k++) {
		struct px_ration_result res;
		unsigned char d[32];
		if (px_ration_run(&r.g[k], seed, &res, &err))
			die(r.g[k].id, &err);
		px_ration_result_hash(&res, hash[k], d);
		ok &= memcmp(digest[k], d, 32) == 0;
		px_ration_result_release(&res);
	}
	double t4 = now_ms();

	/* the straightforward loop */
	for (size_t k = 0; k < goods; k++)
		naive_good(&r.g[k], seed, naive + r.start[k]);
	double t5 = now_ms();
	size_t differ = 0;
	for (size_t i = 0; i < n; i++)
		differ += all[i].num != naive[i].num || all[i].den != naive[i].den;

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);

	/* the allocations in generated order, hashed as text */
	struct px_ration_q *gen_order = malloc(n * sizeof(*gen_order));
	if (!gen_order)
		die("out of memory", NULL);
	for (size_t i = 0; i < n; i++)
		gen_order[r.gen[i]] = all[i];
	crypto_generichash_blake2b_state st;
	crypto_generichash_blake2b_init(&st, NULL, 0, 32);
	for (size_t i = 0; i < n; i++) {
		char line[48];
		int len = snprintf(line, sizeof(line), "%lld/%lld\n", (long long)gen_order[i].num,
				   (long long)gen_order[i].den);
		crypto_generichash_blake2b_update(&st, (const unsigned char *)line, (size_t)len);
	}
	unsigned char ah[32];
	char hex[65];
	crypto_generichash_blake2b_final(&st, ah, 32);
	sodium_bin2hex(hex, sizeof(hex), ah, 32);
	for (size_t k = 0; k < goods; k++)
		largest = r.g[k].n > largest ? r.g[k].n : largest;
	for (size_t k = 0; k < goods; k++)
		units += r.g[k].kind == PX_RATION_UNITS ? r.g[k].n : 0;

	printf("goods %zu\nrequests %zu\ndivisible %zu\nunits %zu\n", goods, n, n - units, units);
	printf("scarce_goods %zu\nlargest_good %zu\n", scarce, largest);
	printf("commit_ms %.1f\nalloc_ms %.1f\nrecord_ms %.1f\nverify_ms %.1f\nnaive_ms %.1f\n",
	       t1 - t0, t3 - t2, t3b - t3, t4 - t3b, t5 - t4);
	printf("verified %s\nnaive_differ %zu\n", ok ? "yes" : "no", differ);
	printf("peak_rss_kb %ld\ninstance_kb %zu\n", ru.ru_maxrss,
	       (n * (sizeof(struct px_ration_request) + sizeof(size_t)) +
		goods * sizeof(struct px_ration_good)) / 1024);
	printf("alloc_hash %s\n", hex);
	if (argc > 4)
		dump(&r, seed, argv[4]);
	return ok && !differ ? 0 : 1;
}
