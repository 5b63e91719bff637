/*
 * lot_bench.c: the program bench/lot/run builds against build/rel/libpnyx.a.
 *
 *   lot_bench [--quick] [--people N] [--polities P] [--years Y]
 *             [--threads 1|2] [--samples S] [--seed S] [--check]
 *             [--leaf-ns NS]
 *       runs the simulation of lot_sim.c and prints its figures: the time
 *       per renewal (pool construction, draw), next to the straightforward
 *       pool (every person scanned) on S renewals of the same run, as a
 *       ratio; the one-seat rule's count; peak memory. --leaf-ns is the
 *       measured cost of a leaf (below), to say what hashing every pool of
 *       the run would have cost. Exit 1 when the two ways disagree or an
 *       invariant breaks.
 *
 *   lot_bench --commit-cost N
 *       the commitment of a pool of N people exactly as the service makes
 *       it (docs/sortition.md section 2): ids as handles, a fresh 32-byte
 *       salt each (libsodium), then px_pool_build (leaves, canonical
 *       order, commitment) from src/core/pool.c; then the size of its
 *       renewal.commit journal entry with every leaf (as it was) and as
 *       lot_commit_entry makes it now. Prints "NAME VALUE" lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sodium.h>

#include <jansson.h>

#include "core/pool.h"
#include "gov/lot/lot_apply.h" /* lot_commit_entry: the journal's entry */
#include "lot_sim.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* 330000000 -> "330,000,000" */
static const char *grouped(unsigned long long v, char buf[32])
{
	char raw[24];
	int n = snprintf(raw, sizeof(raw), "%llu", v), o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = 0;
	return buf;
}

static int commit_cost(unsigned long long n)
{
	if (n >= 1000000000) /* ids are p000000000 .. p999999999 */
		return 2;
	char *ids = malloc(n * 12);
	unsigned char *salts = malloc(n * PX_SALT_BYTES);
	struct px_person *people = malloc(n * sizeof(*people));
	struct px_pool pool;
	size_t a, b;
	if (!ids || !salts || !people || sodium_init() < 0)
		return 1;
	for (unsigned long long i = 0; i < n; i++) {
		snprintf(ids + i * 12, 12, "p%09u", (unsigned)(i % 1000000000));
		people[i] = (struct px_person){ ids + i * 12, salts + i * PX_SALT_BYTES, i };
	}
	double t0 = now_ns();
	randombytes_buf(salts, n * PX_SALT_BYTES);
	double t1 = now_ns();
	if (px_pool_build(&pool, people, n, &a, &b, NULL))
		return 1;
	double t2 = now_ns();
	char hex[65];
	sodium_bin2hex(hex, sizeof(hex), pool.commitment, 32);
	long peak = peak_rss_kb(); /* the commitment's, before the entries' JSON */
	/* the renewal.commit entry of this pool, as the service makes it
	 * (src/gov/lot/renewal.c: the same keys), with every leaf (as before)
	 * and as journalled now (lot_commit_entry: the pool's size instead) */
	json_t *leaves = json_array(), *full;
	for (size_t i = 0; i < pool.n; i++) {
		char lh[65];
		sodium_bin2hex(lh, sizeof(lh), pool.leaves[i], 32);
		json_array_append_new(leaves, json_string(lh));
	}
	full = json_pack("{s:s, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:[]}",
		"polity", "the-nation", "renewal", (json_int_t)1, "cohort", (json_int_t)1,
		"kind", "regular", "draw_at", (json_int_t)1900000000,
		"term_ends", (json_int_t)2089000000, "seats", (json_int_t)25,
		"alternates", (json_int_t)25, "witnesses", (json_int_t)2,
		"seed_source", "Dice thrown at the public drawing session on the draw date,"
		" entered by its witnesses", "commitment", hex, "leaves", leaves, "deferred");
	json_t *entry = full ? lot_commit_entry(full) : NULL;
	char *before = full ? json_dumps(full, JSON_COMPACT) : NULL;
	char *after = entry ? json_dumps(entry, JSON_COMPACT) : NULL;
	if (!before || !after)
		return 1;
	printf("people %llu\nsalts_ms %.1f\nbuild_ms %.1f\nleaf_ns %.1f\n"
	       "commitment %s\npeak_rss_kb %ld\nentry_with_leaves_bytes %zu\n"
	       "entry_bytes %zu\n", n, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
	       (t2 - t0) / (double)n, hex, peak, strlen(before), strlen(after));
	free(before);
	free(after);
	json_decref(entry);
	json_decref(full);
	px_pool_release(&pool);
	free(ids);
	free(salts);
	free(people);
	return 0;
}

static int number(const char *s, unsigned long long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	*out = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

static void report(const struct lot_params *p, const struct lot_stats *s, double leaf_ns)
{
	char g[8][32];
	static const char *level[LOT_LEVELS] = { "the nation", "a state", "a district",
						 "a county", "a thematic region" };
	double secs = s->total_ns / 1e9, gb = (double)s->peak_rss_kb / 1048576.0;
	uint64_t renewals = s->commits;
	uint64_t cmin = UINT64_MAX, cmax = 0;
	for (unsigned y = 0; y < s->years_run && y < LOT_MAX_YEARS; y++) {
		cmin = s->citizens[y] < cmin ? s->citizens[y] : cmin;
		cmax = s->citizens[y] > cmax ? s->citizens[y] : cmax;
	}
	printf("-- service by lot: %s people in %s communities, %u years of renewals\n",
	       grouped(s->people, g[0]), grouped(s->communities, g[1]), p->years);
	printf("   %s polities: 1 nation, %u states, %u districts, %u counties (a hierarchy\n"
	       "   of areas) and %u thematic ones over 1-3 bands of up to %u consecutive\n"
	       "   counties that cross district and state lines; %s communities in all\n"
	       "   their regions; each %u seats in %u cohorts, %u alternates per draw\n",
	       grouped(s->polities, g[0]), s->level_count[1], s->level_count[2],
	       s->level_count[3], s->level_count[4], p->max_run,
	       grouped(s->region_communities, g[1]), p->seats, p->cohorts, p->alternates);
	printf("   consent: %.0f%% renew each year, %.0f%% of the lapsed come back; citizens\n"
	       "   with valid consent at a year's start: %s to %s\n",
	       p->renew * 100, p->comeback * 100, grouped(cmin, g[0]), grouped(cmax, g[1]));
	printf("   %s draws: %s founding, %s renewals, %s supplementary\n",
	       grouped(renewals, g[0]), grouped(s->draws[0], g[1]), grouped(s->draws[1], g[2]),
	       grouped(s->draws[2], g[3]));
	printf("   %s seated; %s excused (%.0f%%); skipped by the one-seat rule %s, for\n"
	       "   lapsed consent %s; %s resignations, %s replaced from alternates,\n"
	       "   %s left vacant (pool exhausted); %s terms ended\n",
	       grouped(s->seatings, g[0]), grouped(s->excused, g[1]), p->excuse * 100,
	       grouped(s->skip_seated, g[2]), grouped(s->skip_consent, g[3]),
	       grouped(s->resignations, g[4]), grouped(s->replacements, g[5]),
	       grouped(s->unfilled, g[6]), grouped(s->term_ends, g[7]));
	printf("   one-seat rule: %s seats held at the end, nobody twice (%s)\n",
	       grouped(s->seats_held_end, g[0]), s->violations ? "VIOLATED" : "checked");
	printf("   pools: %s people on average, largest %s, smallest %s\n",
	       grouped(renewals ? s->pool_sum / renewals : 0, g[0]), grouped(s->pool_max, g[1]),
	       grouped(s->pool_min, g[2]));

	double pool_ms = renewals ? s->pool_ns / 1e6 / (double)renewals : 0;
	double draw_ms = renewals ? s->draw_ns / 1e6 / (double)renewals : 0;
	printf("%-50s %12s %14s\n", "", "indexed", "scan everyone");
	if (s->base_samples) {
		double b = s->base_ns / 1e6 / (double)s->base_samples;
		double f = s->base_fast_ns / 1e6 / (double)s->base_samples;
		printf("%-50s %12.3f %14.1f %7.0fx\n", "pool and draw, the same sampled renewals (ms)",
		       f, b, f > 0 ? b / f : 0);
		printf("   (%llu renewals of this run sampled; the same pool size and the same\n"
		       "    people drawn by both on %llu of them)\n",
		       (unsigned long long)s->base_samples,
		       (unsigned long long)(s->base_samples - s->base_mismatch));
		double all_h = b * (double)renewals / 3.6e6;
		printf("%-50s %12.1f %13.1fh  (extrapolated)\n", "every renewal of the run (s; h)",
		       (s->pool_ns + s->draw_ns) / 1e9, all_h);
	}
	printf("%-50s %12.3f\n", "pool construction, mean per renewal (ms)", pool_ms);
	printf("%-50s %12.3f\n", "draw: seed, px_draw_rank, people placed (ms)", draw_ms);
	printf("%-50s %12.3f\n", "a renewal, median (ms)", s->med_renewal_ns / 1e6);
	printf("%-50s %12.3f\n", "a renewal, 99th percentile (ms)", s->p99_renewal_ns / 1e6);
	printf("%-50s %12.3f\n", "a renewal, slowest (ms)", s->max_renewal_ns / 1e6);
	for (int l = 0; l < LOT_LEVELS; l++)
		if (s->commits_level[l]) {
			char label[64];
			snprintf(label, sizeof(label), "  pool of %s, ~%s people (ms)", level[l],
				 grouped((uint64_t)(s->pool_n_level[l] / (double)s->commits_level[l]), g[0]));
			printf("%-50s %12.3f\n", label,
			       s->pool_ns_level[l] / 1e6 / (double)s->commits_level[l]);
		}
	printf("%-50s %12.3f\n", "seating, ends of terms, replacements (s, all)", s->seat_ns / 1e9);
	printf("%-50s %12.3f\n", "consent churn: the yearly passes (s, all)", s->year_ns / 1e9);
	printf("%-50s %12.3f\n", "  the same, processor time of both threads (s)", s->year_cpu_ns / 1e9);
	printf("   leaves are not hashed in this loop: each pool has a stand-in commitment\n"
	       "   (its identity and size), px_seed_derive and px_draw_rank are src/core's\n"
	       "   and index the pool in person order, fixed at the commitment as the\n"
	       "   service's leaf order is; the leaves' cost is measured on its own.\n");
	if (leaf_ns > 0)
		printf("   at %.0f ns a person (measured below), committing the %s pooled\n"
		       "   people of this run's %s pools would take %.1f h on one core\n",
		       leaf_ns, grouped(s->pool_sum, g[0]), grouped(renewals, g[1]),
		       leaf_ns * (double)s->pool_sum / 3.6e12);
	printf("   whole run %.1f s (goal: under 60 s: %s), peak memory %.2f GB (goal:\n"
	       "   under 8 GB: %s); processor time %.1f s on %u thread%s (the wall time\n"
	       "   includes waiting while other programs use the cores)\n", secs,
	       secs < 60 ? "met" : "NOT met", gb, gb < 8 ? "met" : "NOT met", s->cpu_s,
	       p->threads, p->threads == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
	struct lot_params p;
	struct lot_stats s;
	double leaf_ns = 0;
	unsigned long long v;
	lot_params_default(&p);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--commit-cost") && !number(next, &v))
			return commit_cost(v);
		if (!strcmp(a, "--quick")) {
			lot_params_quick(&p);
		} else if (!strcmp(a, "--check")) {
			p.check = 1;
		} else if (!strcmp(a, "--leaf-ns") && next) {
			leaf_ns = strtod(next, NULL), i++;
		} else if (!number(next, &v) && (!strcmp(a, "--people") || !strcmp(a, "--polities") ||
						  !strcmp(a, "--years") || !strcmp(a, "--threads") ||
						  !strcmp(a, "--samples") || !strcmp(a, "--seed"))) {
			i++;
			if (!strcmp(a, "--people"))
				p.people = v;
			else if (!strcmp(a, "--polities"))
				p.polities = (unsigned)v;
			else if (!strcmp(a, "--years"))
				p.years = (unsigned)v;
			else if (!strcmp(a, "--threads"))
				p.threads = (unsigned)v;
			else if (!strcmp(a, "--samples"))
				p.baseline_samples = (unsigned)v;
			else
				p.seed = v;
		} else {
			fprintf(stderr, "usage: lot_bench [--quick] [--people N] [--polities P] "
				"[--years Y] [--threads T] [--samples S] [--seed S] [--check] "
				"[--leaf-ns NS] | --commit-cost N\n");
			return 2;
		}
	}
	if (p.years >= LOT_MAX_YEARS - 1) {
		fprintf(stderr, "lot_bench: at most %d years\n", LOT_MAX_YEARS - 2);
		return 2;
	}
	if (lot_run(&p, &s))
		return 1;
	report(&p, &s, leaf_ns);
	return s.violations || s.base_mismatch ? 1 : 0;
}
