/*
 * lot_sim.h: the simulation behind bench/lot/run (issue 13, item 8): a
 * nation of simulated people in communities, overlapping polities over
 * regions of them, each with an assembly of seats in cohorts filled by
 * lot, run for years of renewals with yearly consent churn, excusals,
 * resignations and replacements from ranked alternates, the one-seat rule
 * checked at every seating.
 *
 * Every pool is built twice over, in the same run where asked: by the
 * per-community index (lot_sim.c explains it) and by the straightforward
 * way, a scan of every person with the eligibility rule written out as
 * docs/polities.md and the draw engineers' contract state it. Both draw
 * with src/core (px_seed_derive, px_draw_rank) and must name the same
 * people. README.md in this folder says what is simulated and what is not.
 *
 * Ownership: the caller owns both structs; lot_run() allocates everything
 * it needs and frees it before returning.
 */
#ifndef PNYX_BENCH_LOT_SIM_H
#define PNYX_BENCH_LOT_SIM_H

#include <stddef.h>
#include <stdint.h>

#define LOT_LEVELS 5 /* national, state, district, county, thematic */
#define LOT_MAX_YEARS 40

struct lot_params {
	uint64_t people;          /* < 2^32 - 1 */
	unsigned states;          /* the hierarchy of areas: states, */
	unsigned districts;       /*   districts per state, */
	unsigned counties;        /*   counties per district, */
	unsigned communities;     /*   communities per county */
	unsigned polities;        /* in all, at least the area polities */
	unsigned max_run;         /* longest band of counties of a thematic region */
	unsigned seats, cohorts, alternates;
	unsigned years;           /* years of renewals after the founding draws */
	unsigned commit_days;     /* commitment this many days before the draw */
	double renew;             /* a citizen renews at expiry */
	double comeback;          /* a lapsed resident consents again, per year */
	double excuse;            /* a summoned person is excused */
	double resign;            /* a seated person resigns, per year */
	uint64_t seed;
	unsigned threads;         /* 1 or 2 */
	unsigned baseline_samples; /* straightforward pools on this many renewals */
	int check;                /* baseline at every commitment, invariants
	                           * after every event (tests, small scales) */
};

struct lot_stats {
	uint64_t people;
	unsigned communities, polities, level_count[LOT_LEVELS];
	uint64_t region_communities;  /* summed over polities */
	uint64_t citizens[LOT_MAX_YEARS]; /* valid consents at each year's start */
	unsigned years_run;

	uint64_t commits, draws[3];   /* founding, regular, supplementary */
	uint64_t seatings, excused, skip_seated, skip_consent;
	uint64_t resignations, replacements, unfilled, term_ends;
	uint64_t pool_sum, pool_max, pool_min, adjust_max;

	/* nanoseconds */
	double init_ns, year_ns, year_cpu_ns, total_ns, seat_ns;
	double pool_ns, draw_ns;          /* summed over commitments */
	double pool_ns_level[LOT_LEVELS], pool_n_level[LOT_LEVELS];
	uint64_t commits_level[LOT_LEVELS];
	double med_renewal_ns, p99_renewal_ns, max_renewal_ns;
	double max_pool_ns;

	/* the straightforward pools, on samples (or every one with check) */
	uint64_t base_samples, base_mismatch;
	double base_ns, base_fast_ns;     /* summed over the same samples */
	uint64_t base_pool_sum;

	/* check: what the straightforward rule excluded, so a test sees that
	 * every clause of the rule was exercised, and what went wrong
	 * (ex_outgoing: the holders of the renewed cohort's seats) */
	uint64_t ex_consent, ex_seated, ex_left, ex_outgoing;
	uint64_t checks, violations;
	uint64_t seats_held_end;
	long peak_rss_kb;
	double cpu_s;                 /* user and system, every thread */
};

void lot_params_default(struct lot_params *p);
/* One tenth of the nation, for trying things quickly. */
void lot_params_quick(struct lot_params *p);

/* Run the whole simulation. Returns 0, or -1 when memory runs out or the
 * parameters are impossible (a message on stderr). s->violations counts
 * broken invariants and s->base_mismatch pools that differ: both must be 0. */
int lot_run(const struct lot_params *p, struct lot_stats *s);

#endif
