/*
 * leximin_core.c: times px_fair_dist alone (no rounding, no JSON) on a
 * pool, stopped after a time limit like pnyx select --time-limit.
 * Built by bench/sortition/run twice: against build/rel/libpnyx.a (today's
 * LEXIMIN) and with an older src/core/leximin.c from git linked first (the
 * algorithm before issue 19), so both run in the same bench.
 *
 *     leximin_core CATEGORIES RESPONDENTS K LIMIT_S [maximin|columns|leximin] [heuristic|optimal]
 *
 * (columns: column generation alone, the algorithm LEXIMIN falls back on)
 *
 * Prints one line of key=value: types, secs, levels, panels (generated),
 * used (in the distribution), min, optimal; with a rounding method, the
 * distribution is then rounded to as many tickets as pnyx select
 * chooses (lottery.h, built with -DLEXIMIN_CORE_TICKETS; else 1000, and
 * lottery_min -1), without a time
 * limit, and round_secs, rounding (the method used), deviation and
 * heuristic (in tickets), tickets and lottery_min (the lottery's least
 * chance) follow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/errors.h"
#include "core/leximin.h"
#ifdef LEXIMIN_CORE_TICKETS
#include "core/lottery.h"
#endif
#include "core/quota.h"
#include "core/rounding.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "leximin_core: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

struct clock {
	double start, limit;
};

static int stop_at_limit(void *ctx, const struct px_fair_state *st)
{
	const struct clock *c = ctx;
	(void)st;
	return c->limit > 0 && now() - c->start > c->limit;
}

int main(int argc, char **argv)
{
	struct csv_table ct = { 0 }, rt = { 0 };
	struct px_quota q = { 0 };
	struct px_dist d = { 0 };
	struct px_error err = { 0 };
	size_t clen, rlen, line;
	int which;
	if (argc < 5) {
		fprintf(stderr, "usage: leximin_core CATEGORIES RESPONDENTS K LIMIT_S [maximin|columns]\n");
		return 2;
	}
	char *cb = slurp(argv[1], &clen), *rb = slurp(argv[2], &rlen);
	if (csv_parse(cb, clen, &ct, &line, &err) || csv_parse(rb, rlen, &rt, &line, &err) ||
	    px_quota_load(&q, &ct, &rt, NULL, (size_t)atol(argv[3]), &which, &line, &err)) {
		fprintf(stderr, "leximin_core: bad input\n");
		return 1;
	}
	enum px_fair how = PX_FAIR_LEXIMIN;
	if (argc > 5 && !strcmp(argv[5], "maximin"))
		how = PX_FAIR_MAXIMIN;
	else if (argc > 5 && !strcmp(argv[5], "columns"))
		how = PX_FAIR_LEXIMIN_COLUMNS;
	struct clock c = { now(), atof(argv[4]) };
	if (px_fair_dist(&q, how, stop_at_limit, &c,
			 &d, &err)) {
		fprintf(stderr, "leximin_core: no distribution\n");
		return 1;
	}
	double secs = now() - c.start, least = 1;
	for (size_t t = 0; t < d.ntypes; t++)
		if (d.type_prob[t] < least)
			least = d.type_prob[t];
	printf("types=%zu secs=%.2f levels=%zu panels=%zu used=%zu min=%.6f optimal=%d\n",
	       q.ntypes, secs, d.levels, d.columns, d.npanels, least, d.optimal);
#ifndef LEXIMIN_CORE_NO_ROUNDING /* the algorithm before issue 19 is timed alone */
	if (argc > 6) {
		struct px_round_opts o = { strcmp(argv[6], "heuristic") ? PX_ROUND_OPTIMAL :
					   PX_ROUND_HEURISTIC, 0, 0, 0 };
		struct px_round_info info;
		size_t *n = calloc(d.npanels ? d.npanels : 1, sizeof(size_t));
		size_t m = 1000;
#ifdef LEXIMIN_CORE_TICKETS /* today's: the tickets grow with the pool (lottery.h) */
		m = px_lottery_tickets(&q, &d);
#endif
		double t0 = now();
		if (!n || px_round_tickets(&q, &d, m, &o, n, &info, &err)) {
			fprintf(stderr, "leximin_core: no rounding\n");
			return 1;
		}
		double lot_least = -1;
#ifdef LEXIMIN_CORE_TICKETS /* the older builds' panels were dense */
		/* the lottery's least chance: each member of type t is on
		 * floor(S_t / c_t) tickets at least */
		lot_least = 1;
		size_t *seats = calloc(q.ntypes ? q.ntypes : 1, sizeof(size_t));
		if (!seats)
			return 1;
		for (size_t p = 0; p < d.npanels; p++)
			for (size_t e = d.start[p]; e < d.start[p + 1]; e++)
				seats[d.type[e]] += n[p] * (size_t)d.seats[e];
		for (size_t t = 0; t < q.ntypes; t++)
			if ((double)(seats[t] / q.type_count[t]) / (double)m < lot_least)
				lot_least = (double)(seats[t] / q.type_count[t]) / (double)m;
		free(seats);
#endif
		printf("round_secs=%.2f rounding=%s deviation=%.3f heuristic=%.3f lower_bound=%.3f"
		       " tickets=%zu lottery_min=%.6f\n",
		       now() - t0, px_rounding_name(info.used), info.deviation,
		       info.heuristic_deviation, info.lower_bound, m, lot_least);
		free(n);
	}
#endif
	px_dist_release(&d);
	px_quota_release(&q);
	csv_table_release(&ct);
	csv_table_release(&rt);
	free(cb);
	free(rb);
	return 0;
}
