/*
 * draw_core.c: times the core of a uniform draw, without file reading:
 * committing a pool of N people (leaves, canonical order, commitment) and
 * the draw itself (seed derivation and K steps of partial Fisher-Yates).
 * Built and run by bench/sortition/run against build/rel/libpnyx.a.
 * Prints "commit_ms DRAW" and "draw_ms DRAW" lines (medians of runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/draw.h"
#include "core/pool.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t k = argc > 2 ? strtoul(argv[2], NULL, 10) : 150;
	enum { RUNS = 5, DRAWS = 101 };
	char *ids = malloc(n * 16);
	struct px_person *people = malloc(n * sizeof(*people));
	uint32_t *out = malloc(k * sizeof(*out));
	double tc[RUNS], td[DRAWS];
	struct px_pool p;
	size_t a, b;
	if (sodium_init() < 0 || !ids || !people || !out)
		return 1;
	for (size_t i = 0; i < n; i++) {
		snprintf(ids + i * 16, 16, "person-%07zu", i);
		people[i] = (struct px_person){ ids + i * 16, NULL, i };
	}
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ms();
		if (px_pool_build(&p, people, n, &a, &b, NULL))
			return 1;
		tc[r] = now_ms() - t0;
		if (r + 1 < RUNS)
			px_pool_release(&p);
	}
	for (int r = 0; r < DRAWS; r++) {
		char src[32];
		unsigned char seed[32];
		int len = snprintf(src, sizeof(src), "beacon:%d", r);
		double t0 = now_ms();
		px_seed_derive(p.commitment, src, (size_t)len, seed);
		if (px_draw_rank(seed, n, k, out, NULL))
			return 1;
		td[r] = now_ms() - t0;
	}
	qsort(tc, RUNS, sizeof(double), cmp);
	qsort(td, DRAWS, sizeof(double), cmp);
	printf("commit_ms %.3f\ndraw_ms %.4f\nfirst %s\n", tc[RUNS / 2],
	       td[DRAWS / 2], p.people[out[0]].id);
	px_pool_release(&p);
	free(ids);
	free(people);
	free(out);
	return 0;
}
