/* Unit tests for src/core/shares.c: the weights of seats that share a
 * voice. The delegate assembly of a dozen member assemblies electing 7 to
 * 47 seats each, weighted by population, overflowed int64 when the weights
 * were the least common multiple of the seat counts times the populations
 * (federation.c before the checked storage work). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/rule.h"
#include "core/shares.h"

/* A dozen members, seat counts 7..47 with no common factor (primes). */
static const int64_t primes[12] = { 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47 };

static void test_shares_two_members_as_before(void **state)
{
	(void)state;
	/* one voice each: two seats weigh 1 each, one seat weighs 2 */
	struct shares_member m[2] = { { .voice = 1, .seats = 2 }, { .voice = 1, .seats = 1 } };
	int64_t total;
	int exact;
	assert_int_equal(shares_weigh(m, 2, RULE_COUNT_MAX, &total, &exact), 0);
	assert_int_equal(m[0].seat_weight, 1);
	assert_int_equal(m[1].seat_weight, 2);
	assert_int_equal(total, 4);
	assert_true(exact);
}

static void test_shares_member_without_seats_keeps_its_voice(void **state)
{
	(void)state;
	struct shares_member m[2] = { { .voice = 4000, .seats = 2 }, { .voice = 2000, .seats = 0 } };
	int64_t total;
	int exact;
	assert_int_equal(shares_weigh(m, 2, RULE_COUNT_MAX, &total, &exact), 0);
	assert_int_equal(m[0].seat_weight, 1);
	assert_int_equal(m[0].share, 2);
	assert_int_equal(m[1].share, 1);
	assert_int_equal(total, 3);
	assert_true(exact);
}

/* Populations that are multiples of the seats: the shares reduce to equal
 * seats, exactly, where the old product of populations and the least
 * common multiple of the seat counts (about 2e16 x 47,000) overflowed. */
static void test_shares_dozen_members_prime_seats_exact_after_reduction(void **state)
{
	(void)state;
	struct shares_member m[12];
	int64_t total, seats = 0;
	int exact;
	for (int i = 0; i < 12; i++) {
		m[i] = (struct shares_member){ .voice = primes[i] * 1000, .seats = primes[i] };
		seats += primes[i];
	}
	assert_int_equal(shares_weigh(m, 12, RULE_COUNT_MAX, &total, &exact), 0);
	assert_true(exact);
	for (int i = 0; i < 12; i++)
		assert_int_equal(m[i].seat_weight, 1);
	assert_int_equal(total, seats);
}

/* Populations with no common factor: the exact total passes what a rule
 * counts, so every weight is divided by one factor; each member's part of
 * the total stays its part of the population to within its rounding. */
static void test_shares_dozen_members_prime_seats_by_population(void **state)
{
	(void)state;
	struct shares_member m[12];
	int64_t total, voices = 0;
	int exact;
	for (int i = 0; i < 12; i++) {
		m[i] = (struct shares_member){ .voice = 100003 + 7919 * i, .seats = primes[i] };
		voices += m[i].voice;
	}
	assert_int_equal(shares_weigh(m, 12, RULE_COUNT_MAX, &total, &exact), 0);
	assert_false(exact);
	assert_true(total > RULE_COUNT_MAX / 2);
	assert_true(total <= RULE_COUNT_MAX);
	for (int i = 0; i < 12; i++) {
		assert_true(m[i].seat_weight > 0);
		assert_int_equal(m[i].share, m[i].seat_weight * m[i].seats);
		/* share/total against voice/voices, cross-multiplied: the gap
		 * is below one part in a hundred thousand */
		double want = (double)m[i].voice / (double)voices;
		double got = (double)m[i].share / (double)total;
		assert_true(got > want * (1 - 1e-5) && got < want * (1 + 1e-5));
	}
}

/* Seat counts 1..100: their least common multiple passes 128 bits; the
 * weights are then proportional shares of the maximum. */
static void test_shares_past_128_bits_falls_back_to_proportional(void **state)
{
	(void)state;
	struct shares_member m[100];
	int64_t total;
	int exact;
	for (int i = 0; i < 100; i++)
		m[i] = (struct shares_member){ .voice = 1, .seats = i + 1 };
	assert_int_equal(shares_weigh(m, 100, RULE_COUNT_MAX, &total, &exact), 0);
	assert_false(exact);
	assert_true(total <= RULE_COUNT_MAX);
	for (int i = 0; i < 100; i++) {
		int64_t want = RULE_COUNT_MAX / 100;
		assert_true(m[i].share <= want && m[i].share > want - (i + 1));
	}
}

/* Three member assemblies by population, 999,990, 999,994 and 999,992
 * people (the first two are exactly two thirds of the voices), with 7, 11
 * and 13 delegates: the exact total is 1,501,487,988, past 10^9. When a
 * rule counted only to 10^9, every weight was halved and rounded down
 * (total 750,743,985), and the first two members' delegates, all voting
 * yes (500,495,987), fell three short of two thirds of the members: a motion they carry
 * exactly was rejected. Counted to RULE_TALLY_MAX, the weights are exact
 * and the rule, in 128-bit arithmetic, adopts it at exactly its
 * threshold. */
static void test_shares_past_a_billion_stay_exact_and_decide_exactly(void **state)
{
	(void)state;
	struct shares_member m[3] = { { .voice = 999990, .seats = 7 },
				      { .voice = 999994, .seats = 11 },
				      { .voice = 999992, .seats = 13 } };
	int64_t total;
	int exact;
	assert_int_equal(shares_weigh(m, 3, RULE_TALLY_MAX, &total, &exact), 0);
	assert_true(exact);
	assert_int_equal(total, 1501487988LL);
	assert_true(total > RULE_COUNT_MAX);
	/* each share is its voice's exact part: share * voices = voice * total */
	for (int i = 0; i < 3; i++)
		assert_true((__extension__ (__int128)m[i].share * 2999976) ==
			    (__extension__ (__int128)m[i].voice * total));
	struct decision_rule r;
	rule_init(&r);
	r.kind = RULE_SUPERMAJORITY;
	r.fraction = (struct rule_fraction){ 2, 3 };
	r.base = RULE_BASE_MEMBERS;
	struct rule_tally t = { .members = total, .present = total,
				.yes = m[0].share + m[1].share, .no = m[2].share };
	struct rule_result res;
	struct px_error err = { 0 };
	assert_int_equal(rule_evaluate(&r, &t, &res, &err), 0);
	assert_int_equal(res.outcome, RULE_ADOPTED);
	assert_int_equal(res.threshold, t.yes);
	assert_int_equal(res.threshold * 3, total * 2);
	/* one unit of weight fewer, and it is not two thirds */
	t.yes--;
	t.no++;
	assert_int_equal(rule_evaluate(&r, &t, &res, &err), 0);
	assert_int_equal(res.outcome, RULE_REJECTED);
}

static void test_shares_refuses_negative_input(void **state)
{
	(void)state;
	struct shares_member m[1] = { { .voice = -1, .seats = 1 } };
	int64_t total;
	int exact;
	assert_int_equal(shares_weigh(m, 1, RULE_COUNT_MAX, &total, &exact), PX_E_BAD_INPUT);
	m[0] = (struct shares_member){ .voice = 1, .seats = -1 };
	assert_int_equal(shares_weigh(m, 1, RULE_COUNT_MAX, &total, &exact), PX_E_BAD_INPUT);
	m[0] = (struct shares_member){ .voice = 1, .seats = 1 };
	assert_int_equal(shares_weigh(m, 1, 0, &total, &exact), PX_E_BAD_INPUT);
	assert_int_equal(shares_weigh(m, 0, 1, &total, &exact), 0);
	assert_int_equal(total, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shares_two_members_as_before),
		cmocka_unit_test(test_shares_member_without_seats_keeps_its_voice),
		cmocka_unit_test(test_shares_dozen_members_prime_seats_exact_after_reduction),
		cmocka_unit_test(test_shares_dozen_members_prime_seats_by_population),
		cmocka_unit_test(test_shares_past_128_bits_falls_back_to_proportional),
		cmocka_unit_test(test_shares_past_a_billion_stay_exact_and_decide_exactly),
		cmocka_unit_test(test_shares_refuses_negative_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
