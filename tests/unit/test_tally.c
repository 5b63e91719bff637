/* Unit tests for the tally methods (src/core/tally*.c): each method on a
 * small election whose result can be worked out by hand, and each at its
 * edges: ties, lots, look-back, quorum and majority boundaries, fixed-point
 * truncation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ballot_parse.h"
#include "core/tally.h"

struct run {
	struct ballot_set bs;
	struct tally_result r;
	struct px_error err;
	int rc;
};

static void count(struct run *t, int fmt, const char *text, const char *m,
		  const struct tally_opts *o)
{
	struct tally_opts none = { 0 };
	memset(t, 0, sizeof(*t));
	assert_int_equal(ballot_parse_buffer(fmt, text, strlen(text), &t->bs,
					     NULL, &t->err), 0);
	t->rc = tally_run(tally_method_find(m), &t->bs, o ? o : &none, &t->r,
			  &t->err);
}

static void done(struct run *t)
{
	tally_result_release(&t->r);
	ballots_release(&t->bs);
}

static const char *elected(const struct run *t, size_t i)
{
	assert_true(i < t->r.nelected);
	return t->bs.names[t->r.elected[i]];
}

static void test_method_table_has_every_method(void **state)
{
	static const char *const names[] = { "plurality", "approval", "borda",
		"schulze", "debian", "stv-scottish", "stv-wigm", "stv-meek" };
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_non_null(tally_method_find(names[i]));
	assert_null(tally_method_find("irv"));
}

static void test_plurality_counts_first_preferences(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_TOI, "# NUMBER ALTERNATIVES: 3\n4: 1,2\n3: 2\n"
	      "2: {2,3},1\n5: 3,1\n", "plurality", NULL);
	assert_int_equal(t.rc, 0);
	assert_string_equal(elected(&t, 0), "3");
	assert_int_equal(t.r.rounds[0].votes[0], 4);
	assert_int_equal(t.r.rounds[0].votes[1], 3); /* tied first: none */
	assert_non_null(strstr(t.r.notes.buf, "2 ballots rank several"));
	done(&t);
}

static void test_approval_and_borda_score_as_documented(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n2: 1,2\n1: 3\n",
	      "approval", NULL);
	assert_int_equal(t.r.rounds[0].votes[0], 2);
	assert_int_equal(t.r.rounds[0].votes[2], 1);
	/* 1 and 2 tie at the top: one seat means a lot decides. */
	assert_int_equal(t.r.lots, 1);
	done(&t);
	/* Borda: 2 x (1>2>3) gives 1: 2x2, 2: 2x1; 1 x (3) gives 3: 2. */
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n2: 1,2\n1: 3\n",
	      "borda", NULL);
	assert_int_equal(t.r.rounds[0].votes[0], 4);
	assert_int_equal(t.r.rounds[0].votes[1], 2);
	assert_int_equal(t.r.rounds[0].votes[2], 2);
	assert_string_equal(elected(&t, 0), "1");
	assert_int_equal(t.r.rank_level[1], t.r.rank_level[2]);
	done(&t);
}

static void test_lot_is_reproducible_from_the_seed(void **state)
{
	static const char two[] = "# NUMBER ALTERNATIVES: 2\n1: 1\n1: 2\n";
	struct tally_opts o = { .seed = "public dice 4 2 6" };
	struct run a, b;
	(void)state;
	count(&a, BALLOT_SOI, two, "plurality", &o);
	count(&b, BALLOT_SOI, two, "plurality", &o);
	assert_int_equal(a.r.lots, 1);
	assert_string_equal(a.r.seed, "public dice 4 2 6");
	assert_int_equal(a.r.elected[0], b.r.elected[0]);
	assert_non_null(strstr(a.r.notes.buf, "broken by lot"));
	done(&a);
	done(&b);
}

static void test_lot_draws_are_uniform_enough_and_bounded(void **state)
{
	struct ballot_set bs;
	struct tally_opts o = { 0 };
	struct tally_result r;
	size_t hits[3] = { 0 };
	(void)state;
	assert_int_equal(ballots_init(&bs, 3), 0);
	assert_int_equal(tally_result_init(&r, "x", &bs, &o), 0);
	for (int i = 0; i < 3000; i++)
		hits[tally_lot(&r, 3)]++;
	for (int i = 0; i < 3; i++)
		assert_true(hits[i] > 850 && hits[i] < 1150);
	assert_int_equal(r.lots, 3000);
	tally_result_release(&r);
	ballots_release(&bs);
}

/* The example of the Wikipedia article "Schulze method": 45 voters over
 * A-E; the Schulze order is E > A > C > B > D. */
static const char wiki_schulze[] =
	"# NUMBER ALTERNATIVES: 5\n"
	"# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
	"# ALTERNATIVE NAME 3: C\n# ALTERNATIVE NAME 4: D\n"
	"# ALTERNATIVE NAME 5: E\n"
	"5: 1,3,2,5,4\n5: 1,4,5,3,2\n8: 2,5,4,1,3\n3: 3,1,2,5,4\n"
	"7: 3,1,5,2,4\n2: 3,2,1,4,5\n7: 4,3,5,2,1\n8: 5,2,1,4,3\n";

static void test_schulze_full_ranking_of_the_classic_example(void **state)
{
	static const char *const order[] = { "E", "A", "C", "B", "D" };
	struct run t;
	(void)state;
	count(&t, BALLOT_SOC, wiki_schulze, "schulze", NULL);
	assert_int_equal(t.rc, 0);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(t.bs.names[t.r.ranking[i]], order[i]);
		assert_int_equal(t.r.rank_level[i], i);
	}
	/* d[A][B] = 5+5+3+7 = 20 prefer A to B. */
	assert_int_equal(t.r.pairwise[0 * 5 + 1], 20);
	assert_int_equal(t.r.lots, 0);
	done(&t);
}

static void test_schulze_reports_a_tie_and_draws_only_for_the_seat(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n1: 1,2\n1: 2,1\n",
	      "schulze", NULL);
	assert_int_equal(t.r.rank_level[0], t.r.rank_level[1]);
	assert_int_equal(t.r.ranking[2], 2);
	assert_non_null(strstr(t.r.notes.buf, "are tied"));
	assert_int_equal(t.r.lots, 1);
	done(&t);
}

static void test_schulze_unranked_are_below_ranked(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n3: 3\n2: 1,2\n",
	      "schulze", NULL);
	assert_int_equal(t.r.pairwise[2 * 3 + 0], 3);
	assert_int_equal(t.r.pairwise[0 * 3 + 2], 2);
	assert_int_equal(t.r.pairwise[0 * 3 + 1], 2);
	assert_int_equal(t.r.pairwise[1 * 3 + 0], 0);
	assert_string_equal(elected(&t, 0), "3");
	done(&t);
}

static void sheet(char *buf, size_t size, const char *rules, int ad, int da)
{
	/* Option 1 against the default (2): ad ballots "12", da ballots "21". */
	size_t len = (size_t)snprintf(buf, size, "# RULES: %s\n# SUPERMAJORITY"
				      " 3:1 OPTIONS: 1\n", rules);
	for (int i = 0; i < ad; i++)
		len += (size_t)snprintf(buf + len, size - len, "V: 12\n");
	for (int i = 0; i < da; i++)
		len += (size_t)snprintf(buf + len, size - len, "V: 21\n");
}

static void test_debian_exact_3_to_1_passes_under_1_6_not_1_1(void **state)
{
	char buf[4096];
	struct run t;
	(void)state;
	sheet(buf, sizeof(buf), "v1.6", 30, 10);
	count(&t, BALLOT_DEBIAN, buf, "debian", NULL);
	assert_int_equal(t.rc, 0);
	assert_string_equal(elected(&t, 0), "1");
	done(&t);
	sheet(buf, sizeof(buf), "v1.1-1.5", 30, 10);
	count(&t, BALLOT_DEBIAN, buf, "debian", NULL);
	assert_string_equal(elected(&t, 0), "2");
	assert_non_null(strstr(t.r.notes.buf, "does not defeat the default"));
	done(&t);
	sheet(buf, sizeof(buf), "v1.1-1.5", 31, 10);
	count(&t, BALLOT_DEBIAN, buf, "debian", NULL);
	assert_string_equal(elected(&t, 0), "1");
	done(&t);
}

static void test_debian_flags_override_the_header(void **state)
{
	char buf[4096];
	struct tally_opts o = { .rules = 11, .nmajority = 1,
				.majority = { { 0, 1 } } };
	struct run t;
	(void)state;
	sheet(buf, sizeof(buf), "v1.6", 2, 1);
	count(&t, BALLOT_DEBIAN, buf, "debian", &o);
	assert_string_equal(elected(&t, 0), "1"); /* 2 > 1 x 1 */
	done(&t);
}

static void test_debian_quorum_is_met_only_at_or_above_r(void **state)
{
	char buf[4096];
	struct tally_opts o = { .quorum = "3.5" };
	struct run t;
	(void)state;
	sheet(buf, sizeof(buf), "v1.6", 3, 0);
	count(&t, BALLOT_DEBIAN, buf, "debian", &o);
	assert_string_equal(elected(&t, 0), "2");
	assert_non_null(strstr(t.r.notes.buf, "fewer than the quorum 3.5"));
	done(&t);
	o.quorum = "3.0";
	count(&t, BALLOT_DEBIAN, buf, "debian", &o);
	assert_string_equal(elected(&t, 0), "1");
	done(&t);
}

static void test_debian_cycle_drops_the_weakest_defeat(void **state)
{
	/* A>B>C>A with C's defeat of A the weakest; D is the default. */
	static const char cyc[] =
		"# DEFAULT OPTION: 4\n"
		"V: 1234\nV: 1234\nV: 1234\nV: 1234\n"
		"V: 3124\nV: 3124\nV: 3124\n"
		"V: 2314\nV: 2314\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_DEBIAN, cyc, "debian", NULL);
	/* A beats B 6:3, B beats C 7:2, C beats A 5:4: the weakest defeat,
	 * C over A, is dropped and A wins. */
	assert_int_equal(t.rc, 0);
	assert_string_equal(elected(&t, 0), "1");
	assert_non_null(strstr(t.r.notes.buf, "weakest defeat dropped"));
	done(&t);
}

static void test_debian_tie_in_schwartz_set_leaves_the_casting_vote(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_DEBIAN, "V: 123\nV: 213\n", "debian", NULL);
	assert_int_equal(t.r.nelected, 0);
	assert_int_equal(t.r.nranking, 2);
	assert_non_null(strstr(t.r.notes.buf, "casting vote"));
	done(&t);
}

static void test_debian_takes_one_seat(void **state)
{
	struct tally_opts o = { .seats = 2 };
	struct run t;
	(void)state;
	count(&t, BALLOT_DEBIAN, "V: 12\n", "debian", &o);
	assert_int_equal(t.rc, PX_E_TALLY_INPUT);
	done(&t);
}

/* A, B, C, D for 2 seats; quota floor(14/3)+1 = 5. A's surplus of 4 moves
 * all 9 papers at 4/9 = 0.44444 (truncated): B gets 7 x 0.44444. */
static const char scot[] =
	"4 2\n7 1 2 0\n2 1 3 0\n3 3 0\n2 4 3 0\n0\n"
	"\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"Truncation\"\n";

static void test_scottish_transfer_values_truncate_to_five_decimals(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, scot, "stv-scottish", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.decimals, 5);
	assert_int_equal(t.r.quota, 500000);
	assert_int_equal(t.r.rounds[1].votes[0], 500000);
	assert_int_equal(t.r.rounds[1].votes[1], 311108);   /* 7 x 0.44444 */
	assert_int_equal(t.r.rounds[1].votes[2], 388888);   /* 3 + 2 x 0.44444 */
	assert_string_equal(elected(&t, 0), "A");
	assert_string_equal(elected(&t, 1), "C");
	assert_int_equal(t.r.nrounds, 3);                   /* D excluded */
	done(&t);
}

/* A bound of work (opts.work_max, for counting strangers' files) stops
 * every method that has one past it, names the ballots, and changes
 * nothing below it: the same file counts the same with a bound it fits
 * in as without one. */
static void test_work_bound_stops_a_count_past_it_and_only_then(void **state)
{
	static const char *const methods[] = { "stv-scottish", "stv-wigm", "stv-meek",
					       "schulze" };
	(void)state;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct run free_run, bounded, tight;
		struct tally_opts o = { 0 };
		count(&free_run, BALLOT_BLT, scot, methods[i], NULL);
		assert_int_equal(free_run.rc, 0);
		assert_true(free_run.r.work > 1);
		o.work_max = free_run.r.work;
		count(&bounded, BALLOT_BLT, scot, methods[i], &o);
		assert_int_equal(bounded.rc, 0);
		assert_int_equal(bounded.r.nelected, free_run.r.nelected);
		for (size_t k = 0; k < free_run.r.nelected; k++)
			assert_string_equal(elected(&bounded, k), elected(&free_run, k));
		o.work_max = free_run.r.work - 1;
		count(&tight, BALLOT_BLT, scot, methods[i], &o);
		assert_int_equal(tight.rc, PX_E_TOO_LARGE);
		assert_string_equal(tight.err.field, "ballots");
		assert_non_null(strstr(tight.err.detail, "more work"));
		done(&free_run);
		done(&bounded);
		done(&tight);
	}
}

static void test_scottish_tie_looks_back_to_the_last_unequal_stage(void **state)
{
	/* 3 seats, quota floor(21/4)+1 = 6: A elected with no surplus; D and
	 * F go out; B and C tie at 4, and stage 1 (B 4, C 3) excludes C. */
	static const char lb[] =
		"6 3\n6 1 0\n5 5 0\n4 2 0\n3 3 0\n1 4 3 0\n2 6 0\n0\n"
		"\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"E\"\n\"F\"\n\"Look back\"\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, lb, "stv-scottish", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.nelected, 3);
	assert_string_equal(elected(&t, 2), "B");
	assert_int_equal(t.r.lots, 0);
	assert_non_null(strstr(t.r.notes.buf, "looking back to stage 1"));
	done(&t);
}

static void test_scottish_equal_at_every_stage_draws_a_lot(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 2\n1: 1\n1: 2\n",
	      "stv-scottish", NULL);
	assert_int_equal(t.r.lots, 1);
	assert_int_equal(t.r.nelected, 1);
	done(&t);
}

static void test_scottish_refuses_equal_rankings(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_TOI, "# NUMBER ALTERNATIVES: 2\n1: {1,2}\n",
	      "stv-scottish", NULL);
	assert_int_equal(t.rc, PX_E_TALLY_INPUT);
	done(&t);
}

static void test_wigm_quota_adds_one_ten_thousandth(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, scot, "stv-wigm", NULL);
	assert_int_equal(t.r.decimals, 4);
	assert_int_equal(t.r.quota, 46667);      /* 14/3 = 4.6666, + 0.0001 */
	/* surplus 9 - 4.6667 = 4.3333; weight 4.3333 / 9 = 0.4814 */
	assert_int_equal(t.r.rounds[1].votes[1], 7 * 4814);
	done(&t);
}

/* Rule 49(2): B and C reach the quota at the same stage with equal
 * surpluses; C had more at stage 1, the most recent stage at which they
 * differed, so C's surplus goes first although B comes first in the file.
 * 4 seats, 45 papers, quota floor(45/5)+1 = 10; A's 20 papers move at
 * 10/20 = 0.5: B 8 + 11 x 0.5 = 13.5, C 9 + 9 x 0.5 = 13.5. */
static void test_scottish_equal_surpluses_look_back_rule_49(void **state)
{
	static const char eq[] =
		"5 4\n11 1 2 0\n9 1 3 0\n8 2 0\n9 3 0\n5 4 0\n3 5 0\n0\n"
		"\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"E\"\n\"Equal surpluses\"\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, eq, "stv-scottish", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.quota, 1000000);
	assert_int_equal(t.r.rounds[1].votes[1], 1350000);
	assert_int_equal(t.r.rounds[1].votes[2], 1350000);
	assert_string_equal(t.r.rounds[2].label, "stage 3: surplus of C");
	assert_string_equal(t.r.rounds[3].label, "stage 4: surplus of B");
	assert_non_null(strstr(t.r.notes.buf, "order of surpluses: tie "
			       "resolved by looking back to stage 1"));
	assert_int_equal(t.r.lots, 0);
	done(&t);
}

/* Rule 49(3): surpluses equal at every stage are ordered by lot. */
static void test_scottish_equal_surpluses_at_every_stage_draw_a_lot(void **state)
{
	static const char eq[] =
		"4 3\n5 1 0\n5 2 0\n2 3 0\n1 4 0\n0\n"
		"\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"Lot\"\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, eq, "stv-scottish", NULL);
	assert_int_equal(t.rc, 0);
	assert_true(t.r.lots >= 1);
	assert_non_null(strstr(t.r.notes.buf, "order of surpluses"));
	done(&t);
}

/* Rule 52 has no "cannot be overtaken" clause: A holds 4 of 8 papers
 * (quota 5) and nobody can pass her, yet the count goes on, excluding C
 * then B, until one continuing candidate is left for the one vacancy and
 * rule 52(1) deems her elected, with no further transfer (52(2)). */
static void test_scottish_count_ends_only_by_rule_52(void **state)
{
	static const char lead[] =
		"3 1\n4 1 0\n3 2 0\n1 3 0\n0\n"
		"\"A\"\n\"B\"\n\"C\"\n\"Unassailable lead\"\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, lead, "stv-scottish", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.quota, 500000);
	assert_int_equal(t.r.nrounds, 3);
	assert_string_equal(t.r.rounds[1].label, "stage 2: exclusion of C");
	assert_string_equal(t.r.rounds[2].label, "stage 3: exclusion of B");
	assert_string_equal(elected(&t, 0), "A");
	assert_int_equal(t.r.rounds[2].votes[0], 400000);   /* below quota */
	assert_non_null(strstr(t.r.notes.buf, "deemed elected (rule 52)"));
	done(&t);
}

/* Rule 51(2)(a) with three tied: after stage 3, B, C and D have 4 each.
 * Stage 2 (B 3, C 4, D 3) separates only C, so the look back goes on
 * between B and D to stage 1 (B 3, D 2): D is excluded. 2 seats, 19
 * papers, quota 7, A elected at stage 1 with no surplus. */
static void test_scottish_three_way_exclusion_tie_narrows_rule_51(void **state)
{
	static const char three[] =
		"6 2\n7 1 0\n3 2 0\n4 3 0\n2 4 0\n1 6 4 0\n1 5 2 0\n1 5 4 0\n0\n"
		"\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"E\"\n\"F\"\n\"Three-way tie\"\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, three, "stv-scottish", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.lots, 0);
	assert_int_equal(t.r.quota, 700000);
	assert_string_equal(t.r.rounds[1].label, "stage 2: exclusion of F");
	assert_string_equal(t.r.rounds[2].label, "stage 3: exclusion of E");
	assert_int_equal(t.r.rounds[2].votes[1], 400000);
	assert_int_equal(t.r.rounds[2].votes[2], 400000);
	assert_int_equal(t.r.rounds[2].votes[3], 400000);
	assert_string_equal(t.r.rounds[3].label, "stage 4: exclusion of D");
	/* then B and C tie at 4; stage 2 had B lower */
	assert_string_equal(t.r.rounds[4].label, "stage 5: exclusion of B");
	assert_string_equal(elected(&t, 1), "C");
	done(&t);
}

/* WIGM D.4 truncates each product and each quotient: B's surplus moves
 * A's papers (weight 0.5249) at trunc(trunc(0.5249 x 1.4989) / 6.2490) =
 * trunc(0.7867 / 6.2490) = 0.1258, where one division of the exact
 * product would give 0.1259. 3 seats, 19 ballots, quota 4.7501. */
static void test_wigm_truncates_the_product_then_the_quotient(void **state)
{
	static const char d4[] =
		"5 3\n10 1 2 3 0\n1 2 0\n1 3 0\n3 4 0\n4 5 0\n0\n"
		"\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"E\"\n\"D.4\"\n";
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, d4, "stv-wigm", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.quota, 47501);
	assert_int_equal(t.r.rounds[1].votes[1], 62490);    /* 1 + 10 x 0.5249 */
	assert_int_equal(t.r.rounds[2].votes[2], 22580);    /* 1 + 10 x 0.1258 */
	done(&t);
}

static void test_seats_beyond_candidates_are_refused(void **state)
{
	struct tally_opts o = { .seats = 3 };
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 2\n1: 1\n", "stv-wigm",
	      &o);
	assert_int_equal(t.rc, PX_E_TALLY_INPUT);
	done(&t);
}

static void test_meek_single_seat_is_instant_runoff(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n4: 1\n3: 2\n2: 3,2\n",
	      "stv-meek", NULL);
	assert_int_equal(t.rc, 0);
	assert_int_equal(t.r.decimals, 9);
	assert_string_equal(elected(&t, 0), "2");
	/* first round quota: 9 / 2 truncated, + 10^-9 */
	assert_int_equal(t.r.rounds[0].quota, 4500000001LL);
	done(&t);
}

static void test_meek_equal_ranks_split_the_weight(void **state)
{
	struct tally_opts o = { .seats = 2 };
	struct run t;
	(void)state;
	count(&t, BALLOT_TOI, "# NUMBER ALTERNATIVES: 3\n2: {1,2}\n1: 3\n",
	      "stv-meek", &o);
	assert_int_equal(t.r.rounds[0].votes[0], 1000000000LL);
	assert_int_equal(t.r.rounds[0].votes[1], 1000000000LL);
	done(&t);
}

static void test_meek_surplus_flows_to_the_next_preference(void **state)
{
	/* 2 seats, 9 ballots: quota 3.000000001. A holds 6 and keeps about
	 * half of each; B gets the rest and is elected ahead of C. */
	struct tally_opts o = { .seats = 2 };
	struct run t;
	(void)state;
	count(&t, BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n6: 1,2\n2: 3\n1: 2\n",
	      "stv-meek", &o);
	assert_string_equal(elected(&t, 0), "1");
	assert_string_equal(elected(&t, 1), "2");
	done(&t);
}

static void test_withdrawn_candidates_are_skipped(void **state)
{
	struct run t;
	(void)state;
	count(&t, BALLOT_BLT, "3 1\n-1\n3 1 2 0\n2 3 0\n0\n\"A\"\n\"B\"\n\"C\"\n",
	      "stv-scottish", NULL);
	assert_string_equal(elected(&t, 0), "B");
	assert_int_equal(t.r.ballots, 5);
	done(&t);
}

static void test_format_prints_fixed_point(void **state)
{
	char buf[32];
	(void)state;
	tally_format(buf, sizeof(buf), 311108, 5);
	assert_string_equal(buf, "3.11108");
	tally_format(buf, sizeof(buf), 5, 5);
	assert_string_equal(buf, "0.00005");
	tally_format(buf, sizeof(buf), -15, 1);
	assert_string_equal(buf, "-1.5");
	tally_format(buf, sizeof(buf), 42, 0);
	assert_string_equal(buf, "42");
}

/* A stage's or a note's words: the record's English from the code and its
 * values as it always read, and the same in Spanish with ICU's numbers. */
static void test_words_write_the_record_and_the_readers_language(void **state)
{
	(void)state;
	struct tally_words w;
	char out[512];
	assert_int_equal(tally_words_set(&w, TW_STV_EXCLUSION, 12LL, "Ann Laird"), 0);
	assert_int_equal(tally_words_write(NULL, &w, out, sizeof out), 0);
	assert_string_equal(out, "stage 12: exclusion of Ann Laird");
	assert_int_equal(tally_words_write("es", &w, out, sizeof out), 0);
	assert_string_equal(out, "etapa 12: eliminación de Ann Laird");
	assert_string_equal(tally_word_name(w.code), "stv_exclusion");
	/* two plurals in one note: candidates and vacancies */
	assert_int_equal(tally_words_set(&w, TW_DEEMED_ELECTED, 1LL, 2LL, " (rule 52)"), 0);
	assert_int_equal(tally_words_write(NULL, &w, out, sizeof out), 0);
	assert_string_equal(out, "1 continuing candidate for 2 vacancies: deemed elected (rule 52)");
	assert_int_equal(tally_words_set(&w, TW_DEEMED_ELECTED, 3LL, 1LL, " (D.3)"), 0);
	assert_int_equal(tally_words_write(NULL, &w, out, sizeof out), 0);
	assert_string_equal(out, "3 continuing candidates for 1 vacancy: deemed elected (D.3)");
	assert_int_equal(tally_words_write("es", &w, out, sizeof out), 0);
	assert_string_equal(out, "3 candidatos que siguen en el recuento para 1 vacante: se les"
			    " da por elegidos (D.3)");
	/* a number by ICU in the reader's language, C's digits in the record */
	assert_int_equal(tally_words_set(&w, TW_QUORUM_DROP, "Option A", 12345LL, "2.5"), 0);
	assert_int_equal(tally_words_write(NULL, &w, out, sizeof out), 0);
	assert_string_equal(out, "Option A dropped: 12345 votes prefer it to the default option,"
			    " fewer than the quorum 2.5");
	assert_int_equal(tally_words_write("es", &w, out, sizeof out), 0);
	assert_string_equal(out, "Option A descartada: 12.345 votos la prefieren a la opción por"
			    " defecto, menos que el quórum 2,5");
	/* a word of pnyx among the values is translated, a name is not */
	assert_int_equal(tally_words_set(&w, TW_LOOK_BACK, "order of election", 3LL), 0);
	assert_int_equal(tally_words_write("es", &w, out, sizeof out), 0);
	assert_string_equal(out, "orden de elección: empate resuelto mirando atrás a la etapa 3");
	/* cut to the buffer, never past it */
	char small[8];
	assert_int_equal(tally_words_write(NULL, &w, small, sizeof small), 0);
	assert_string_equal(small, "order o");
	assert_int_equal(tally_words_set(&w, TW_NONE), -1);
	assert_int_equal(tally_words_write(NULL, &w, out, sizeof out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_method_table_has_every_method),
		cmocka_unit_test(test_plurality_counts_first_preferences),
		cmocka_unit_test(test_approval_and_borda_score_as_documented),
		cmocka_unit_test(test_lot_is_reproducible_from_the_seed),
		cmocka_unit_test(test_lot_draws_are_uniform_enough_and_bounded),
		cmocka_unit_test(test_schulze_full_ranking_of_the_classic_example),
		cmocka_unit_test(test_schulze_reports_a_tie_and_draws_only_for_the_seat),
		cmocka_unit_test(test_schulze_unranked_are_below_ranked),
		cmocka_unit_test(test_debian_exact_3_to_1_passes_under_1_6_not_1_1),
		cmocka_unit_test(test_debian_flags_override_the_header),
		cmocka_unit_test(test_debian_quorum_is_met_only_at_or_above_r),
		cmocka_unit_test(test_debian_cycle_drops_the_weakest_defeat),
		cmocka_unit_test(test_debian_tie_in_schwartz_set_leaves_the_casting_vote),
		cmocka_unit_test(test_debian_takes_one_seat),
		cmocka_unit_test(test_scottish_transfer_values_truncate_to_five_decimals),
		cmocka_unit_test(test_scottish_tie_looks_back_to_the_last_unequal_stage),
		cmocka_unit_test(test_scottish_equal_at_every_stage_draws_a_lot),
		cmocka_unit_test(test_scottish_refuses_equal_rankings),
		cmocka_unit_test(test_scottish_equal_surpluses_look_back_rule_49),
		cmocka_unit_test(test_scottish_equal_surpluses_at_every_stage_draw_a_lot),
		cmocka_unit_test(test_scottish_count_ends_only_by_rule_52),
		cmocka_unit_test(test_scottish_three_way_exclusion_tie_narrows_rule_51),
		cmocka_unit_test(test_wigm_quota_adds_one_ten_thousandth),
		cmocka_unit_test(test_wigm_truncates_the_product_then_the_quotient),
		cmocka_unit_test(test_seats_beyond_candidates_are_refused),
		cmocka_unit_test(test_meek_single_seat_is_instant_runoff),
		cmocka_unit_test(test_meek_equal_ranks_split_the_weight),
		cmocka_unit_test(test_meek_surplus_flows_to_the_next_preference),
		cmocka_unit_test(test_withdrawn_candidates_are_skipped),
		cmocka_unit_test(test_format_prints_fixed_point),
		cmocka_unit_test(test_work_bound_stops_a_count_past_it_and_only_then),
		cmocka_unit_test(test_words_write_the_record_and_the_readers_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
