/* Unit tests for bench/lot (issue 13, item 8): the simulation's core at a
 * tiny scale, with every invariant checked after every event, so that the
 * bench cannot rot. lot_sim.c is compiled in here (it is no part of the
 * binary); in check mode it builds every pool twice, by the per-community
 * index and by scanning everyone with the rule written from dates, draws
 * both with src/core's px_seed_derive and px_draw_rank, and compares. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "../../bench/lot/lot_sim.c"

static void tiny(struct lot_params *p)
{
	lot_params_default(p);
	p->people = 20000;
	p->states = 2;
	p->districts = 2;
	p->counties = 2;
	p->communities = 3;      /* 24 communities, 15 area polities */
	p->polities = 20;        /* and 5 thematic ones */
	p->max_run = 4;
	p->check = 1;
}

static void test_lot_tiny_pools_match_the_scan_and_one_seat_holds(void **state)
{
	(void)state;
	struct lot_params p;
	struct lot_stats s;
	tiny(&p);
	assert_int_equal(lot_run(&p, &s), 0);
	assert_int_equal(s.violations, 0);
	assert_int_equal(s.base_mismatch, 0);
	/* every pool compared, every renewal of every polity run */
	assert_int_equal(s.base_samples, s.commits);
	assert_int_equal(s.draws[0], 20 * 6);
	assert_int_equal(s.draws[1], 20 * 12);
	assert_true(s.checks > s.commits);
	/* each clause of the rule excluded someone (the outgoing cohort's
	 * members too: docs/polities.md, choice 31), so none is checked
	 * vacuously */
	assert_true(s.ex_consent > 0);
	assert_true(s.ex_seated > 0);
	assert_true(s.ex_left > 0);
	assert_true(s.ex_outgoing > 0);
	/* the one-seat rule was met in the draws, not only avoided */
	assert_true(s.skip_seated > 0);
	assert_true(s.excused > 0 && s.resignations > 0 && s.replacements > 0);
	assert_int_equal(s.seats_held_end, 20 * 150);
}

static void test_lot_scarce_pools_go_to_supplementary_draws(void **state)
{
	(void)state;
	struct lot_params p;
	struct lot_stats s;
	tiny(&p);
	p.people = 4000;         /* 3,000 seats for 4,000 people */
	p.excuse = 0.3;
	p.resign = 0.2;
	assert_int_equal(lot_run(&p, &s), 0);
	assert_int_equal(s.violations, 0);
	assert_int_equal(s.base_mismatch, 0);
	assert_true(s.draws[2] > 0);     /* supplementary draws happened */
	assert_true(s.unfilled > 0);     /* and some pools ran dry */
	assert_true(s.seats_held_end < 20 * 150);
}

static void test_lot_threads_do_not_change_the_result(void **state)
{
	(void)state;
	struct lot_params p;
	struct lot_stats one, two;
	tiny(&p);
	p.check = 0;
	p.baseline_samples = 0;
	p.threads = 1;
	assert_int_equal(lot_run(&p, &one), 0);
	p.threads = 2;
	assert_int_equal(lot_run(&p, &two), 0);
	assert_int_equal(one.pool_sum, two.pool_sum);
	assert_int_equal(one.seatings, two.seatings);
	assert_int_equal(one.excused, two.excused);
	assert_int_equal(one.citizens[5], two.citizens[5]);
	assert_int_equal(two.violations, 0);
}

static void test_lot_refuses_impossible_parameters(void **state)
{
	(void)state;
	struct lot_params p;
	struct lot_stats s;
	tiny(&p);
	p.polities = 10;         /* fewer than the 15 area polities */
	assert_int_equal(lot_run(&p, &s), -1);
	tiny(&p);
	p.cohorts = 4;           /* must divide 6 */
	assert_int_equal(lot_run(&p, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lot_tiny_pools_match_the_scan_and_one_seat_holds),
		cmocka_unit_test(test_lot_scarce_pools_go_to_supplementary_draws),
		cmocka_unit_test(test_lot_threads_do_not_change_the_result),
		cmocka_unit_test(test_lot_refuses_impossible_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
