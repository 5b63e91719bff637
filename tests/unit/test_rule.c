/* Unit tests for src/core/rule.c: every decision rule at its boundaries
 * (exact threshold, one short, ties, zero votes, all abstaining), quorum
 * exactly met and one short, hybrid round N against N+1, tally checks,
 * comparison of rules, descriptions and rule sets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/rule.h"
#include "core/strbuf.h"

static struct decision_rule kind(enum rule_kind k)
{
	struct decision_rule r;
	rule_init(&r);
	r.kind = k;
	return r;
}

static struct decision_rule super(int64_t num, int64_t den, enum rule_base b)
{
	struct decision_rule r = kind(RULE_SUPERMAJORITY);
	r.fraction.num = num;
	r.fraction.den = den;
	r.base = b;
	return r;
}

static struct decision_rule hybrid(int32_t rounds, int64_t num, int64_t den,
				   enum rule_base b)
{
	struct decision_rule r = super(num, den, b);
	r.kind = RULE_HYBRID;
	r.rounds = rounds;
	return r;
}

static struct decision_rule with_quorum_count(struct decision_rule r,
					      int64_t n)
{
	r.quorum.kind = RULE_QUORUM_COUNT;
	r.quorum.count = n;
	return r;
}

static struct decision_rule with_quorum_fraction(struct decision_rule r,
						 int64_t num, int64_t den)
{
	r.quorum.kind = RULE_QUORUM_FRACTION;
	r.quorum.fraction.num = num;
	r.quorum.fraction.den = den;
	return r;
}

/* Evaluate and return the outcome; fail the test on an error. */
static enum rule_outcome eval(const struct decision_rule *r,
			      struct rule_tally t, struct rule_result *res)
{
	struct px_error err;
	struct rule_result tmp;
	px_error_clear(&err);
	if (!res)
		res = &tmp;
	int rc = rule_evaluate(r, &t, res, &err);
	if (rc)
		fail_msg("rule_evaluate: %s (%s)", px_error_message(&err),
			 err.field ? err.field : "");
	return res->outcome;
}

static int eval_code(const struct decision_rule *r, struct rule_tally t,
		     const char **field)
{
	struct px_error err;
	struct rule_result res;
	px_error_clear(&err);
	int rc = rule_evaluate(r, &t, &res, &err);
	*field = err.field;
	return rc;
}

#define T(...) ((struct rule_tally){ __VA_ARGS__ })

/* ---- simple majority ------------------------------------------------ */

static void test_simple_majority_one_more_yes_than_no_adopts(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_SIMPLE_MAJORITY);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 10, .present = 5, .yes = 3,
				    .no = 2), &res), RULE_ADOPTED);
	assert_int_equal(res.base, 5);
	assert_int_equal(res.threshold, 3);
}

static void test_simple_majority_tie_is_rejected(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_SIMPLE_MAJORITY);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 10, .present = 4, .yes = 2,
				    .no = 2), &res), RULE_REJECTED);
	assert_int_equal(res.threshold, 3);
	assert_int_equal(eval(&r, T(.members = 10, .present = 5, .yes = 2,
				    .no = 3), NULL), RULE_REJECTED);
}

static void test_simple_majority_ignores_abstentions(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_SIMPLE_MAJORITY);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 20, .present = 13, .yes = 2,
				    .no = 1, .abstain = 10), &res),
			 RULE_ADOPTED);
	assert_int_equal(res.base, 3);
}

static void test_simple_majority_zero_votes_and_all_abstain_reject(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_SIMPLE_MAJORITY);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 10, .present = 5), &res),
			 RULE_REJECTED);
	assert_int_equal(res.threshold, 1);
	assert_int_equal(eval(&r, T(.members = 10, .present = 5, .abstain = 5),
			      NULL), RULE_REJECTED);
}

/* ---- absolute majority ---------------------------------------------- */

static void test_absolute_majority_counts_all_members(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_ABSOLUTE_MAJORITY);
	struct rule_result res;
	/* 10 members: 6 is more than half, 5 is exactly half. */
	assert_int_equal(eval(&r, T(.members = 10, .present = 7, .yes = 6,
				    .no = 1), &res), RULE_ADOPTED);
	assert_int_equal(res.base, 10);
	assert_int_equal(res.threshold, 6);
	assert_int_equal(eval(&r, T(.members = 10, .present = 7, .yes = 5),
			      NULL), RULE_REJECTED);
	/* 11 members: 6 adopts, 5 is one short. */
	assert_int_equal(eval(&r, T(.members = 11, .present = 6, .yes = 6),
			      NULL), RULE_ADOPTED);
	assert_int_equal(eval(&r, T(.members = 11, .present = 6, .yes = 5),
			      NULL), RULE_REJECTED);
	/* Unopposed but too few: 4 yes, 0 no of 10 members. */
	assert_int_equal(eval(&r, T(.members = 10, .present = 4, .yes = 4),
			      NULL), RULE_REJECTED);
}

/* ---- supermajority -------------------------------------------------- */

static void test_supermajority_two_thirds_cast_exact_threshold_adopts(void **state)
{
	(void)state;
	struct decision_rule r = super(2, 3, RULE_BASE_CAST);
	struct rule_result res;
	/* 10 of 15 cast is exactly two thirds: "at least" adopts. */
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 10,
				    .no = 5, .abstain = 5), &res), RULE_ADOPTED);
	assert_int_equal(res.base, 15);
	assert_int_equal(res.threshold, 10);
}

static void test_supermajority_two_thirds_cast_one_short_rejects(void **state)
{
	(void)state;
	struct decision_rule r = super(2, 3, RULE_BASE_CAST);
	struct rule_result res;
	/* 9 of 14: two thirds of 14 is 9.33, so 10 are needed. */
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 9,
				    .no = 5), &res), RULE_REJECTED);
	assert_int_equal(res.threshold, 10);
	/* 13 of 20 is 0.65: one short of 14. */
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 13,
				    .no = 7), &res), RULE_REJECTED);
	assert_int_equal(res.threshold, 14);
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 14,
				    .no = 6), NULL), RULE_ADOPTED);
}

static void test_supermajority_zero_votes_and_all_abstain_reject(void **state)
{
	(void)state;
	struct decision_rule r = super(2, 3, RULE_BASE_CAST);
	struct rule_result res;
	/* 0 >= 2/3 of 0 would hold: at least one yes is required too. */
	assert_int_equal(eval(&r, T(.members = 9, .present = 9), &res),
			 RULE_REJECTED);
	assert_int_equal(res.threshold, 1);
	assert_int_equal(eval(&r, T(.members = 9, .present = 9, .abstain = 9),
			      NULL), RULE_REJECTED);
	/* A lone yes with everyone else abstaining is 1 of 1 cast. */
	assert_int_equal(eval(&r, T(.members = 9, .present = 9, .yes = 1,
				    .abstain = 8), NULL), RULE_ADOPTED);
}

static void test_supermajority_base_present_counts_abstentions_against(void **state)
{
	(void)state;
	struct decision_rule r = super(2, 3, RULE_BASE_PRESENT);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 40, .present = 30, .yes = 20,
				    .abstain = 10), &res), RULE_ADOPTED);
	assert_int_equal(res.base, 30);
	assert_int_equal(res.threshold, 20);
	assert_int_equal(eval(&r, T(.members = 40, .present = 30, .yes = 19,
				    .abstain = 11), NULL), RULE_REJECTED);
}

static void test_supermajority_base_members_counts_the_absent(void **state)
{
	(void)state;
	struct decision_rule r = super(3, 4, RULE_BASE_MEMBERS);
	struct rule_result res;
	/* 3/4 of 10 members is 7.5: 8 are needed. */
	assert_int_equal(eval(&r, T(.members = 10, .present = 8, .yes = 8),
			      &res), RULE_ADOPTED);
	assert_int_equal(res.threshold, 8);
	assert_int_equal(eval(&r, T(.members = 10, .present = 8, .yes = 7),
			      NULL), RULE_REJECTED);
}

static void test_supermajority_all_of_votes_cast(void **state)
{
	(void)state;
	struct decision_rule r = super(1, 1, RULE_BASE_CAST);
	assert_int_equal(eval(&r, T(.members = 10, .present = 8, .yes = 5,
				    .abstain = 3), NULL), RULE_ADOPTED);
	assert_int_equal(eval(&r, T(.members = 10, .present = 8, .yes = 5,
				    .no = 1), NULL), RULE_REJECTED);
}

static void test_supermajority_largest_counts_do_not_overflow(void **state)
{
	(void)state;
	struct decision_rule r = super(INT32_MAX - 1, INT32_MAX,
				       RULE_BASE_MEMBERS);
	struct rule_result res;
	int64_t m = RULE_COUNT_MAX;
	/* ceil((2^31-2)/(2^31-1) * 1e9) = 1e9 - floor(1e9/(2^31-1)) = 1e9 */
	assert_int_equal(eval(&r, T(.members = m, .present = m, .yes = m),
			      &res), RULE_ADOPTED);
	assert_int_equal(res.threshold, m);
	/* and at the largest tally, 2^53 - 1, where num * members needs 84
	 * bits: ceil((2^31-2)/(2^31-1) * (2^53-1)) = 2^53 - 1 - 4194304 */
	int64_t big = RULE_TALLY_MAX;
	assert_int_equal(eval(&r, T(.members = big, .present = big, .yes = big),
			      &res), RULE_ADOPTED);
	assert_int_equal(res.threshold, big - 4194304);
	assert_int_equal(eval(&r, T(.members = big, .present = big,
				    .yes = big - 4194304, .no = 4194304), NULL),
			 RULE_ADOPTED);
	assert_int_equal(eval(&r, T(.members = big, .present = big,
				    .yes = big - 4194305, .no = 4194305), NULL),
			 RULE_REJECTED);
	assert_int_equal(eval(&r, T(.members = m, .present = m, .yes = m - 1,
				    .no = 1), NULL), RULE_REJECTED);
	r = with_quorum_fraction(r, INT32_MAX, INT32_MAX);
	assert_int_equal(eval(&r, T(.members = m, .present = m - 1,
				    .yes = m - 1), &res), RULE_NO_QUORUM);
	assert_int_equal(res.quorum, m);
}

/* ---- consensus, consent, unanimity ---------------------------------- */

static void test_consensus_no_block_and_one_yes_adopts(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENSUS);
	assert_int_equal(eval(&r, T(.members = 9, .present = 6, .yes = 3,
				    .stand_asides = 3), NULL), RULE_ADOPTED);
	assert_int_equal(eval(&r, T(.members = 9, .present = 6, .yes = 1),
			      NULL), RULE_ADOPTED);
}

static void test_consensus_one_block_defeats(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENSUS);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 100, .present = 100, .yes = 99,
				    .blocks = 1), &res), RULE_REJECTED);
	assert_int_equal(res.vetoes, 1);
}

static void test_consensus_all_stand_aside_or_silent_rejects(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENSUS);
	assert_int_equal(eval(&r, T(.members = 9, .present = 6,
				    .stand_asides = 6), NULL), RULE_REJECTED);
	assert_int_equal(eval(&r, T(.members = 9, .present = 6), NULL),
			 RULE_REJECTED);
}

static void test_consensus_refuses_majority_positions(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENSUS);
	const char *field;
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 6, .yes = 3,
					 .no = 1), &field), PX_E_RULE_POSITION);
	assert_string_equal(field, "tally.no");
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 6,
					 .objections = 1), &field),
			 PX_E_RULE_POSITION);
	assert_string_equal(field, "tally.objections");
}

static void test_consent_no_objection_adopts_without_any_yes(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENT);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 9, .present = 6), &res),
			 RULE_ADOPTED);
	assert_int_equal(res.threshold, 0);
	assert_int_equal(eval(&r, T(.members = 9, .present = 6, .yes = 2,
				    .abstain = 4), NULL), RULE_ADOPTED);
}

static void test_consent_one_objection_defeats(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENT);
	struct rule_result res;
	const char *field;
	assert_int_equal(eval(&r, T(.members = 9, .present = 6, .yes = 5,
				    .objections = 1), &res), RULE_REJECTED);
	assert_int_equal(res.vetoes, 1);
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 6,
					 .blocks = 1), &field),
			 PX_E_RULE_POSITION);
	assert_string_equal(field, "tally.blocks");
}

static void test_unanimity_every_present_member_yes(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_UNANIMITY);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 9, .present = 5, .yes = 5),
			      &res), RULE_ADOPTED);
	assert_int_equal(res.threshold, 5);
	/* One abstention, one no, one silent member: each defeats. */
	assert_int_equal(eval(&r, T(.members = 9, .present = 5, .yes = 4,
				    .abstain = 1), NULL), RULE_REJECTED);
	assert_int_equal(eval(&r, T(.members = 9, .present = 5, .yes = 4,
				    .no = 1), NULL), RULE_REJECTED);
	assert_int_equal(eval(&r, T(.members = 9, .present = 5, .yes = 4),
			      NULL), RULE_REJECTED);
}

/* ---- hybrid --------------------------------------------------------- */

static void test_hybrid_blocked_round_n_continues(void **state)
{
	(void)state;
	struct decision_rule r = hybrid(2, 3, 4, RULE_BASE_PRESENT);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 19,
				    .blocks = 1, .round = 1), &res),
			 RULE_NEXT_ROUND);
	assert_int_equal(res.applied, RULE_CONSENSUS);
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 19,
				    .blocks = 1, .round = 2), &res),
			 RULE_NEXT_ROUND);
	/* No yes at all in a consensus round: also on to the next. */
	assert_int_equal(eval(&r, T(.members = 30, .present = 20,
				    .stand_asides = 20, .round = 2), NULL),
			 RULE_NEXT_ROUND);
}

static void test_hybrid_consensus_in_round_n_adopts(void **state)
{
	(void)state;
	struct decision_rule r = hybrid(2, 3, 4, RULE_BASE_PRESENT);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 2,
				    .stand_asides = 18, .round = 2), &res),
			 RULE_ADOPTED);
	assert_int_equal(res.applied, RULE_CONSENSUS);
}

static void test_hybrid_round_n_plus_one_falls_back_to_supermajority(void **state)
{
	(void)state;
	struct decision_rule r = hybrid(2, 3, 4, RULE_BASE_PRESENT);
	struct rule_result res;
	const char *field;
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 15,
				    .no = 5, .round = 3), &res), RULE_ADOPTED);
	assert_int_equal(res.applied, RULE_SUPERMAJORITY);
	assert_int_equal(res.base, 20);
	assert_int_equal(res.threshold, 15);
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 14,
				    .no = 6, .round = 3), NULL), RULE_REJECTED);
	/* Later rounds are the same vote. */
	assert_int_equal(eval(&r, T(.members = 30, .present = 20, .yes = 14,
				    .round = 9), NULL), RULE_REJECTED);
	/* Blocks belong to consensus rounds only. */
	assert_int_equal(eval_code(&r, T(.members = 30, .present = 20,
					 .yes = 15, .blocks = 1, .round = 3),
				   &field), PX_E_RULE_POSITION);
	assert_string_equal(field, "tally.blocks");
	assert_int_equal(rule_positions(&r, 2),
			 RULE_POS_YES | RULE_POS_STAND_ASIDE | RULE_POS_BLOCK);
	assert_int_equal(rule_positions(&r, 3),
			 RULE_POS_YES | RULE_POS_NO | RULE_POS_ABSTAIN);
}

static void test_hybrid_needs_a_round(void **state)
{
	(void)state;
	struct decision_rule r = hybrid(1, 2, 3, RULE_BASE_CAST);
	const char *field;
	assert_int_equal(eval_code(&r, T(.members = 3, .present = 3, .yes = 3),
				   &field), PX_E_RULE_TALLY);
	assert_string_equal(field, "tally.round");
}

/* ---- quorum --------------------------------------------------------- */

static void test_quorum_count_exactly_met_and_one_short(void **state)
{
	(void)state;
	struct decision_rule r = with_quorum_count(kind(RULE_SIMPLE_MAJORITY), 5);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 20, .present = 5, .yes = 3,
				    .no = 2), &res), RULE_ADOPTED);
	assert_int_equal(res.quorum, 5);
	assert_int_equal(eval(&r, T(.members = 20, .present = 4, .yes = 4),
			      &res), RULE_NO_QUORUM);
	assert_int_equal(res.present, 4);
}

static void test_quorum_fraction_rounds_up(void **state)
{
	(void)state;
	/* A third of 10 members is 3.33: 4 must be present. */
	struct decision_rule r = with_quorum_fraction(kind(RULE_CONSENT), 1, 3);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 10, .present = 4), &res),
			 RULE_ADOPTED);
	assert_int_equal(res.quorum, 4);
	assert_int_equal(eval(&r, T(.members = 10, .present = 3), NULL),
			 RULE_NO_QUORUM);
	/* Half of 10 is exactly 5. */
	r = with_quorum_fraction(kind(RULE_CONSENT), 1, 2);
	assert_int_equal(eval(&r, T(.members = 10, .present = 5), &res),
			 RULE_ADOPTED);
	assert_int_equal(res.quorum, 5);
	assert_int_equal(eval(&r, T(.members = 10, .present = 4), NULL),
			 RULE_NO_QUORUM);
}

static void test_quorum_nobody_present_decides_nothing(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_CONSENT);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 10), &res), RULE_NO_QUORUM);
	assert_int_equal(res.quorum, 1);
	assert_int_equal(eval(&r, T(.members = 0), NULL), RULE_NO_QUORUM);
	assert_int_equal(rule_quorum_needed(&r, 0), 1);
}

static void test_quorum_above_membership_never_met(void **state)
{
	(void)state;
	struct decision_rule r = with_quorum_count(kind(RULE_UNANIMITY), 12);
	assert_int_equal(eval(&r, T(.members = 10, .present = 10, .yes = 10),
			      NULL), RULE_NO_QUORUM);
}

static void test_quorum_checked_before_the_vote(void **state)
{
	(void)state;
	/* Even a block does not count when there is no quorum. */
	struct decision_rule r = with_quorum_count(kind(RULE_CONSENSUS), 5);
	struct rule_result res;
	assert_int_equal(eval(&r, T(.members = 9, .present = 4, .blocks = 1),
			      &res), RULE_NO_QUORUM);
	assert_int_equal(res.threshold, 0);
}

/* ---- tally checks --------------------------------------------------- */

static void test_tally_inconsistent_counts_refused(void **state)
{
	(void)state;
	struct decision_rule r = kind(RULE_SIMPLE_MAJORITY);
	const char *field;
	assert_int_equal(eval_code(&r, T(.members = 5, .present = 6),
				   &field), PX_E_RULE_TALLY);
	assert_string_equal(field, "tally.present");
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 5, .yes = 3,
					 .no = 2, .abstain = 1), &field),
			 PX_E_RULE_TALLY);
	assert_string_equal(field, "tally.present");
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 5, .yes = -1),
				   &field), PX_E_RULE_TALLY);
	assert_string_equal(field, "tally.yes");
	assert_int_equal(eval_code(&r, T(.members = -1), &field),
			 PX_E_RULE_TALLY);
	assert_string_equal(field, "tally.members");
	assert_int_equal(eval_code(&r, T(.members = RULE_TALLY_MAX + 1),
				   &field), PX_E_RULE_TALLY);
	assert_string_equal(field, "tally.members");
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 5,
					 .stand_asides = 1), &field),
			 PX_E_RULE_POSITION);
	assert_string_equal(field, "tally.stand_asides");
}

static void test_evaluate_refuses_an_unchecked_rule(void **state)
{
	(void)state;
	struct decision_rule r = super(1, 2, RULE_BASE_CAST);
	const char *field;
	assert_int_equal(eval_code(&r, T(.members = 9, .present = 5),
				   &field), PX_E_OUT_OF_RANGE);
	assert_string_equal(field, "rule.fraction");
}

/* ---- rule_check ------------------------------------------------------ */

static void expect_rule_check(struct decision_rule r, int code, const char *field)
{
	struct px_error err;
	px_error_clear(&err);
	assert_int_equal(rule_check(&r, NULL, &err), code);
	if (field)
		assert_string_equal(err.field, field);
}

static void test_check_parameters_by_kind(void **state)
{
	(void)state;
	struct decision_rule r;
	expect_rule_check(kind(RULE_CONSENSUS), 0, NULL);
	expect_rule_check(super(2, 3, RULE_BASE_MEMBERS), 0, NULL);
	expect_rule_check(hybrid(3, 2, 3, RULE_BASE_CAST), 0, NULL);
	expect_rule_check(kind(RULE_KIND__COUNT), PX_E_RULE_KIND, "rule.kind");
	r = kind(RULE_CONSENSUS);
	r.rounds = 2;
	expect_rule_check(r, PX_E_RULE_PARAM, "rule.rounds");
	r = kind(RULE_UNANIMITY);
	r.base = RULE_BASE_PRESENT;
	expect_rule_check(r, PX_E_RULE_PARAM, "rule.base");
	expect_rule_check(super(0, 0, RULE_BASE_CAST), PX_E_MISSING_FIELD,
		     "rule.fraction");
	expect_rule_check(super(2, 3, RULE_BASE_NONE), PX_E_MISSING_FIELD,
		     "rule.base");
	expect_rule_check(super(2, 0, RULE_BASE_CAST), PX_E_OUT_OF_RANGE,
		     "rule.fraction");
	expect_rule_check(super(4, 3, RULE_BASE_CAST), PX_E_OUT_OF_RANGE,
		     "rule.fraction");
	expect_rule_check(super(5, 10, RULE_BASE_CAST), PX_E_OUT_OF_RANGE,
		     "rule.fraction");
	expect_rule_check(super(2, 3, (enum rule_base)9), PX_E_OUT_OF_RANGE,
		     "rule.base");
	expect_rule_check(hybrid(0, 2, 3, RULE_BASE_CAST), PX_E_MISSING_FIELD,
		     "rule.rounds");
	expect_rule_check(hybrid(RULE_ROUNDS_MAX + 1, 2, 3, RULE_BASE_CAST),
		     PX_E_OUT_OF_RANGE, "rule.rounds");
	expect_rule_check(with_quorum_count(kind(RULE_CONSENT), 0),
		     PX_E_OUT_OF_RANGE, "rule.quorum.count");
	expect_rule_check(with_quorum_fraction(kind(RULE_CONSENT), 0, 4),
		     PX_E_OUT_OF_RANGE, "rule.quorum.fraction");
	expect_rule_check(with_quorum_fraction(kind(RULE_CONSENT), 5, 4),
		     PX_E_OUT_OF_RANGE, "rule.quorum.fraction");
}

static void test_check_field_names_follow_the_prefix(void **state)
{
	(void)state;
	struct px_error err;
	struct decision_rule r = super(0, 0, RULE_BASE_CAST);
	assert_int_equal(rule_check(&r, rule_field_names("rules.default"), &err),
			 PX_E_MISSING_FIELD);
	assert_string_equal(err.field, "rules.default.fraction");
	assert_string_equal(rule_field_names("nonsense")[RULE_F_BASE],
			    "rule.base");
	assert_string_equal(rule_field_names(NULL)[RULE_F_QUORUM_COUNT],
			    "rule.quorum.count");
}

/* ---- comparison ----------------------------------------------------- */

static void test_compare_majority_rules_by_base_and_fraction(void **state)
{
	(void)state;
	struct decision_rule simple = kind(RULE_SIMPLE_MAJORITY);
	struct decision_rule absolute = kind(RULE_ABSOLUTE_MAJORITY);
	struct decision_rule unan = kind(RULE_UNANIMITY);
	struct decision_rule c23 = super(2, 3, RULE_BASE_CAST);
	struct decision_rule c34 = super(3, 4, RULE_BASE_CAST);
	struct decision_rule m23 = super(2, 3, RULE_BASE_MEMBERS);
	struct decision_rule p11 = super(1, 1, RULE_BASE_PRESENT);

	assert_int_equal(rule_compare(&c23, &simple), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&simple, &c23), RULE_ORDER_WEAKER);
	assert_int_equal(rule_compare(&c34, &c23), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&m23, &c23), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&absolute, &simple), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&m23, &absolute), RULE_ORDER_STRICTER);
	/* Three quarters of votes cast against two thirds of all members:
	 * either may adopt where the other does not. */
	assert_int_equal(rule_compare(&c34, &m23), RULE_ORDER_INCOMPARABLE);
	assert_int_equal(rule_compare(&unan, &p11), RULE_ORDER_SAME);
	assert_int_equal(rule_compare(&unan, &absolute),
			 RULE_ORDER_INCOMPARABLE);
	assert_int_equal(rule_compare(&c23, &c23), RULE_ORDER_SAME);
}

static void test_compare_other_kinds_only_with_their_own(void **state)
{
	(void)state;
	struct decision_rule cs = kind(RULE_CONSENSUS);
	struct decision_rule ct = kind(RULE_CONSENT);
	struct decision_rule sm = kind(RULE_SIMPLE_MAJORITY);
	struct decision_rule h2 = hybrid(2, 2, 3, RULE_BASE_CAST);
	struct decision_rule h2s = hybrid(2, 3, 4, RULE_BASE_CAST);
	struct decision_rule h3 = hybrid(3, 3, 4, RULE_BASE_CAST);

	assert_int_equal(rule_compare(&cs, &cs), RULE_ORDER_SAME);
	assert_int_equal(rule_compare(&cs, &ct), RULE_ORDER_INCOMPARABLE);
	assert_int_equal(rule_compare(&cs, &sm), RULE_ORDER_INCOMPARABLE);
	assert_int_equal(rule_compare(&h2s, &h2), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&h3, &h2), RULE_ORDER_INCOMPARABLE);
	assert_int_equal(rule_compare(&h2, &cs), RULE_ORDER_INCOMPARABLE);
}

static void test_compare_quorums(void **state)
{
	(void)state;
	struct decision_rule none = kind(RULE_CONSENT);
	struct decision_rule q5 = with_quorum_count(none, 5);
	struct decision_rule q6 = with_quorum_count(none, 6);
	struct decision_rule q1 = with_quorum_count(none, 1);
	struct decision_rule f14 = with_quorum_fraction(none, 1, 4);
	struct decision_rule f13 = with_quorum_fraction(none, 1, 3);
	struct decision_rule c23q5 = with_quorum_count(super(2, 3,
						RULE_BASE_CAST), 5);
	struct decision_rule c34q4 = with_quorum_count(super(3, 4,
						RULE_BASE_CAST), 4);
	struct decision_rule c34q6 = with_quorum_count(super(3, 4,
						RULE_BASE_CAST), 6);

	assert_int_equal(rule_compare(&q6, &q5), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&none, &q5), RULE_ORDER_WEAKER);
	assert_int_equal(rule_compare(&q1, &none), RULE_ORDER_SAME);
	assert_int_equal(rule_compare(&f13, &f14), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&f14, &none), RULE_ORDER_STRICTER);
	assert_int_equal(rule_compare(&f14, &q5), RULE_ORDER_INCOMPARABLE);
	/* A higher fraction with a lower quorum: neither is stricter. */
	assert_int_equal(rule_compare(&c34q4, &c23q5), RULE_ORDER_INCOMPARABLE);
	assert_int_equal(rule_compare(&c34q6, &c23q5), RULE_ORDER_STRICTER);
}

/* Every tally of up to MAXM members with yes/no/abstain only. */
#define MAXM 10
#define MAX_TALLIES 6000

static size_t all_tallies(struct rule_tally *out)
{
	size_t n = 0;
	for (int64_t m = 0; m <= MAXM; m++)
		for (int64_t p = 0; p <= m; p++)
			for (int64_t y = 0; y <= p; y++)
				for (int64_t no = 0; y + no <= p; no++)
					for (int64_t a = 0; y + no + a <= p; a++) {
						assert_true(n < MAX_TALLIES);
						out[n++] = T(.members = m,
							     .present = p, .yes = y,
							     .no = no, .abstain = a);
					}
	return n;
}

/* The rules the exhaustive tests range over: every majority form with a
 * few fractions and bases, with and without quorums. */
static size_t majority_rules(struct decision_rule *out)
{
	static const int64_t fr[][2] = { { 3, 5 }, { 2, 3 }, { 3, 4 },
					 { 4, 5 }, { 1, 1 } };
	struct decision_rule plain[32];
	size_t n = 0, k = 0;

	plain[n++] = kind(RULE_SIMPLE_MAJORITY);
	plain[n++] = kind(RULE_ABSOLUTE_MAJORITY);
	plain[n++] = kind(RULE_UNANIMITY);
	for (size_t f = 0; f < sizeof(fr) / sizeof(fr[0]); f++)
		for (int b = RULE_BASE_CAST; b < RULE_BASE__COUNT; b++)
			plain[n++] = super(fr[f][0], fr[f][1], (enum rule_base)b);
	for (size_t i = 0; i < n; i++) {
		out[k++] = plain[i];
		out[k++] = with_quorum_count(plain[i], 3);
		out[k++] = with_quorum_count(plain[i], 5);
		out[k++] = with_quorum_fraction(plain[i], 1, 3);
		out[k++] = with_quorum_fraction(plain[i], 1, 2);
	}
	return k;
}

static int adopts(const struct decision_rule *r, const struct rule_tally *t)
{
	return eval(r, *t, NULL) == RULE_ADOPTED;
}

/* The definitions of docs/rules.md, written out directly. */
static int adopts_by_definition(const struct decision_rule *r,
				const struct rule_tally *t)
{
	int64_t need = 1, base = 0;
	if (r->quorum.kind == RULE_QUORUM_COUNT)
		need = r->quorum.count;
	if (r->quorum.kind == RULE_QUORUM_FRACTION)
		while (need * r->quorum.fraction.den
		       < r->quorum.fraction.num * t->members)
			need++;
	if (t->present < need || t->present == 0)
		return 0;
	switch (r->kind) {
	case RULE_SIMPLE_MAJORITY:
		return t->yes > t->no;
	case RULE_ABSOLUTE_MAJORITY:
		return 2 * t->yes > t->members;
	case RULE_UNANIMITY:
		return t->yes == t->present;
	case RULE_SUPERMAJORITY:
		base = r->base == RULE_BASE_CAST ? t->yes + t->no
		     : r->base == RULE_BASE_PRESENT ? t->present : t->members;
		return t->yes >= 1
		       && t->yes * r->fraction.den >= r->fraction.num * base;
	default:
		fail();
	}
	return 0;
}

static void test_exhaustive_small_tallies_match_the_definitions(void **state)
{
	(void)state;
	static struct rule_tally tallies[MAX_TALLIES];
	static struct decision_rule rules[200];
	size_t nt = all_tallies(tallies), nr = majority_rules(rules);
	struct rule_result res;

	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nt; j++) {
			int want = adopts_by_definition(&rules[i], &tallies[j]);
			eval(&rules[i], tallies[j], &res);
			if (want != (res.outcome == RULE_ADOPTED))
				fail_msg("rule %zu tally %zu", i, j);
			/* The threshold explains the outcome. */
			if (res.outcome == RULE_ADOPTED)
				assert_true(res.yes >= res.threshold);
			if (res.outcome == RULE_REJECTED)
				assert_true(res.yes < res.threshold);
		}
}

/* Whenever rule_compare orders two rules, no small tally contradicts it;
 * and every claimed difference has a witness. */
static void test_exhaustive_compare_is_sound(void **state)
{
	(void)state;
	static struct rule_tally tallies[MAX_TALLIES];
	static struct decision_rule rules[200];
	static unsigned char out[200][MAX_TALLIES];
	size_t nt = all_tallies(tallies), nr = majority_rules(rules);
	size_t ordered = 0;

	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nt; j++)
			out[i][j] = (unsigned char)adopts(&rules[i], &tallies[j]);
	for (size_t a = 0; a < nr; a++)
		for (size_t b = 0; b < nr; b++) {
			enum rule_order o = rule_compare(&rules[a], &rules[b]);
			int a_not_b = 0, b_not_a = 0;
			if (o == RULE_ORDER_INCOMPARABLE)
				continue;
			ordered++;
			for (size_t j = 0; j < nt; j++) {
				a_not_b |= out[a][j] && !out[b][j];
				b_not_a |= out[b][j] && !out[a][j];
			}
			if ((o == RULE_ORDER_STRICTER || o == RULE_ORDER_SAME)
			    && a_not_b)
				fail_msg("rule %zu is not at least as strict "
					 "as rule %zu", a, b);
			if ((o == RULE_ORDER_WEAKER || o == RULE_ORDER_SAME)
			    && b_not_a)
				fail_msg("rule %zu is not at most as strict "
					 "as rule %zu", a, b);
		}
	assert_true(ordered > nr);
}

/* ---- descriptions --------------------------------------------------- */

static void expect_description(struct decision_rule r, const char *want)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(rule_describe(&r, &sb), 0);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void test_describe_every_kind(void **state)
{
	(void)state;
	expect_description(with_quorum_count(super(2, 3, RULE_BASE_CAST), 5),
			   "at least two thirds of votes cast in favour, "
			   "with a quorum of 5 members");
	expect_description(super(4, 6, RULE_BASE_PRESENT),
			   "at least two thirds of members present in favour, "
			   "with no quorum");
	expect_description(with_quorum_fraction(super(3, 4, RULE_BASE_MEMBERS),
						1, 4),
			   "at least three quarters of all members in favour, "
			   "with a quorum of one quarter of all members");
	expect_description(super(51, 100, RULE_BASE_CAST),
			   "at least 51/100 of votes cast in favour, with no "
			   "quorum");
	expect_description(super(1, 1, RULE_BASE_CAST),
			   "every vote cast in favour, with no quorum");
	expect_description(with_quorum_fraction(super(2, 2, RULE_BASE_MEMBERS),
						3, 3),
			   "every member in favour, with a quorum of all members");
	expect_description(with_quorum_count(kind(RULE_SIMPLE_MAJORITY), 1),
			   "a simple majority: more yes than no votes "
			   "(abstentions not counted), with a quorum of 1 member");
	expect_description(kind(RULE_ABSOLUTE_MAJORITY),
			   "an absolute majority: yes from more than half of "
			   "all members, with no quorum");
	expect_description(kind(RULE_CONSENSUS),
			   "consensus: no block and at least one yes "
			   "(stand-asides allowed), with no quorum");
	expect_description(kind(RULE_CONSENT), "consent: no objection, with "
			   "no quorum");
	expect_description(kind(RULE_UNANIMITY), "unanimity: every member "
			   "present votes yes, with no quorum");
	expect_description(hybrid(3, 3, 5, RULE_BASE_PRESENT),
			   "consensus sought for 3 rounds, then at least three "
			   "fifths of members present in favour, with no quorum");
}

static void test_describe_results(void **state)
{
	(void)state;
	struct decision_rule r = with_quorum_count(kind(RULE_CONSENSUS), 3);
	struct rule_result res;
	struct strbuf sb;
	sb_init(&sb, 0);
	eval(&r, T(.members = 9, .present = 6, .yes = 5, .blocks = 1), &res);
	assert_int_equal(rule_result_describe(&res, &sb), 0);
	assert_string_equal(sb.buf, "rejected: 5 yes, 1 block; 6 present, "
			    "quorum 3");
	sb_reset(&sb);
	eval(&r, T(.members = 9, .present = 2, .yes = 2), &res);
	assert_int_equal(rule_result_describe(&res, &sb), 0);
	assert_string_equal(sb.buf, "no_quorum: 2 present, quorum 3");
	sb_reset(&sb);
	r = kind(RULE_CONSENT);
	eval(&r, T(.members = 9, .present = 6, .objections = 2), &res);
	assert_int_equal(rule_result_describe(&res, &sb), 0);
	assert_string_equal(sb.buf, "rejected: 2 objections; 6 present, "
			    "quorum 1");
	sb_release(&sb);
}

/* ---- rule sets ------------------------------------------------------ */

static void test_rule_set_put_keeps_names_sorted_and_replaces(void **state)
{
	(void)state;
	struct rule_set s;
	struct px_error err;
	struct decision_rule c23 = super(2, 3, RULE_BASE_CAST);
	struct decision_rule c34 = super(3, 4, RULE_BASE_CAST);
	rule_set_init(&s);
	assert_int_equal(rule_set_put(&s, "exclude_member", &c23, &err), 0);
	assert_int_equal(rule_set_put(&s, "change_rules", &c23, &err), 0);
	assert_int_equal(rule_set_put(&s, "enact_law", &c23, &err), 0);
	assert_int_equal(rule_set_put(&s, "change_rules", &c34, &err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.by_kind[0].motion_kind, "change_rules");
	assert_string_equal(s.by_kind[1].motion_kind, "enact_law");
	assert_string_equal(s.by_kind[2].motion_kind, "exclude_member");
	assert_int_equal(rule_set_lookup(&s, "change_rules")->fraction.num, 3);
	assert_ptr_equal(rule_set_lookup(&s, "resolution"), &s.def);
	assert_int_equal(rule_set_check(&s, NULL, &err), 0);

	assert_int_equal(rule_set_put(&s, "Bad", &c23, &err),
			 PX_E_RULE_MOTION_KIND);
	assert_int_equal(s.n, 3);
}

static void test_rule_set_limit_and_names(void **state)
{
	(void)state;
	struct rule_set s;
	struct px_error err;
	struct decision_rule r = kind(RULE_SIMPLE_MAJORITY);
	char name[8];
	rule_set_init(&s);
	for (int i = 0; i < RULE_SET_MAX; i++) {
		snprintf(name, sizeof(name), "k_%c%c", 'a' + i / 26, 'a' + i % 26);
		assert_int_equal(rule_set_put(&s, name, &r, &err), 0);
	}
	assert_int_equal(rule_set_put(&s, "one_more", &r, &err),
			 PX_E_TOO_LARGE);
	assert_int_equal(rule_set_check(&s, "rules", &err), 0);

	assert_true(rule_motion_kind_valid("change_rules"));
	assert_true(rule_motion_kind_valid("_"));
	assert_true(rule_motion_kind_valid(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_false(rule_motion_kind_valid(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_false(rule_motion_kind_valid(""));
	assert_false(rule_motion_kind_valid("law2"));
	assert_false(rule_motion_kind_valid("Law"));
	assert_false(rule_motion_kind_valid("enact-law"));
}

static void test_rule_set_check_refuses_weaker_and_names_the_kind(void **state)
{
	(void)state;
	struct rule_set s;
	struct px_error err;
	struct decision_rule sm = kind(RULE_SIMPLE_MAJORITY);
	struct decision_rule bad = super(2, 5, RULE_BASE_CAST);
	rule_set_init(&s);
	s.def = super(2, 3, RULE_BASE_CAST);
	assert_int_equal(rule_set_put(&s, "enact_law", &sm, &err), 0);
	assert_int_equal(rule_set_check(&s, "rules", &err), PX_E_RULE_WEAKER);
	assert_string_equal(err.field, "rules.by_kind");
	assert_non_null(strstr(px_error_message(&err), "enact_law"));

	rule_set_init(&s);
	assert_int_equal(rule_set_put(&s, "enact_law", &bad, &err), 0);
	assert_int_equal(rule_set_check(&s, "rules", &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "rules.by_kind.*.fraction");
	assert_string_equal(px_error_message(&err),
			    "rules.by_kind.enact_law.fraction must be more "
			    "than 1/2 and at most 1");
}

static void test_rule_set_describe(void **state)
{
	(void)state;
	struct rule_set s;
	struct px_error err;
	struct strbuf sb;
	struct decision_rule c23 = super(2, 3, RULE_BASE_CAST);
	rule_set_init(&s);
	assert_int_equal(rule_set_put(&s, "change_rules", &c23, &err), 0);
	sb_init(&sb, 0);
	assert_int_equal(rule_set_describe(&s, &sb), 0);
	assert_string_equal(sb.buf, "a simple majority: more yes than no votes "
			    "(abstentions not counted), with no quorum; for "
			    "change_rules: at least two thirds of votes cast in "
			    "favour, with no quorum");
	sb_release(&sb);
}

static void test_positions_by_name_and_counting_votes(void **state)
{
	(void)state;
	struct rule_tally t = { .members = 5, .present = 4 };
	struct px_error err;
	struct rule_result res;
	struct decision_rule r = kind(RULE_CONSENSUS);
	const char *const names[] = { "yes", "no", "abstain", "block",
				      "stand_aside", "objection" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		unsigned pos = rule_position_by_name(names[i]);
		assert_int_equal(pos, 1u << i);
		assert_string_equal(rule_position_name(pos), names[i]);
	}
	assert_int_equal(rule_position_by_name("maybe"), 0);
	assert_int_equal(rule_position_by_name(NULL), 0);
	assert_null(rule_position_name(RULE_POS_YES | RULE_POS_NO));

	assert_int_equal(rule_tally_add(&t, RULE_POS_YES, 1, &err), 0);
	assert_int_equal(rule_tally_add(&t, RULE_POS_YES, 1, &err), 0);
	assert_int_equal(rule_tally_add(&t, RULE_POS_STAND_ASIDE, 1, &err), 0);
	assert_int_equal(t.yes, 2);
	assert_int_equal(t.stand_asides, 1);
	assert_int_equal(rule_evaluate(&r, &t, &res, &err), 0);
	assert_int_equal(res.outcome, RULE_ADOPTED);
	assert_int_equal(rule_tally_add(&t, RULE_POS_BLOCK, 1, &err), 0);
	assert_int_equal(rule_evaluate(&r, &t, &res, &err), 0);
	assert_int_equal(res.outcome, RULE_REJECTED);

	assert_int_equal(rule_tally_add(&t, 0, 1, &err), PX_E_RULE_POSITION);
	assert_int_equal(rule_tally_add(&t, RULE_POS_NO, -1, &err),
			 PX_E_RULE_TALLY);
	assert_string_equal(err.field, "tally.no");
	assert_int_equal(rule_tally_add(&t, RULE_POS_NO, RULE_TALLY_MAX, &err),
			 0);
	assert_int_equal(rule_tally_add(&t, RULE_POS_NO, 1, &err),
			 PX_E_RULE_TALLY);
	assert_int_equal(t.no, RULE_TALLY_MAX);
}

static void test_names_tables(void **state)
{
	(void)state;
	for (int k = 0; k < RULE_KIND__COUNT; k++) {
		const struct rule_kind_info *info = rule_kind_info(k);
		assert_non_null(info);
		assert_non_null(info->eval);
		assert_int_equal(rule_kind_by_name(info->name), k);
	}
	assert_null(rule_kind_info(RULE_KIND__COUNT));
	assert_int_equal(rule_kind_by_name("majority"), -1);
	assert_int_equal(rule_base_by_name("present"), RULE_BASE_PRESENT);
	assert_int_equal(rule_base_by_name("none"), -1);
	assert_string_equal(rule_outcome_name(RULE_NEXT_ROUND), "next_round");
	assert_string_equal(px_code_name(PX_E_RULE_WEAKER), "rule_weaker");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_majority_one_more_yes_than_no_adopts),
		cmocka_unit_test(test_simple_majority_tie_is_rejected),
		cmocka_unit_test(test_simple_majority_ignores_abstentions),
		cmocka_unit_test(test_simple_majority_zero_votes_and_all_abstain_reject),
		cmocka_unit_test(test_absolute_majority_counts_all_members),
		cmocka_unit_test(test_supermajority_two_thirds_cast_exact_threshold_adopts),
		cmocka_unit_test(test_supermajority_two_thirds_cast_one_short_rejects),
		cmocka_unit_test(test_supermajority_zero_votes_and_all_abstain_reject),
		cmocka_unit_test(test_supermajority_base_present_counts_abstentions_against),
		cmocka_unit_test(test_supermajority_base_members_counts_the_absent),
		cmocka_unit_test(test_supermajority_all_of_votes_cast),
		cmocka_unit_test(test_supermajority_largest_counts_do_not_overflow),
		cmocka_unit_test(test_consensus_no_block_and_one_yes_adopts),
		cmocka_unit_test(test_consensus_one_block_defeats),
		cmocka_unit_test(test_consensus_all_stand_aside_or_silent_rejects),
		cmocka_unit_test(test_consensus_refuses_majority_positions),
		cmocka_unit_test(test_consent_no_objection_adopts_without_any_yes),
		cmocka_unit_test(test_consent_one_objection_defeats),
		cmocka_unit_test(test_unanimity_every_present_member_yes),
		cmocka_unit_test(test_hybrid_blocked_round_n_continues),
		cmocka_unit_test(test_hybrid_consensus_in_round_n_adopts),
		cmocka_unit_test(test_hybrid_round_n_plus_one_falls_back_to_supermajority),
		cmocka_unit_test(test_hybrid_needs_a_round),
		cmocka_unit_test(test_quorum_count_exactly_met_and_one_short),
		cmocka_unit_test(test_quorum_fraction_rounds_up),
		cmocka_unit_test(test_quorum_nobody_present_decides_nothing),
		cmocka_unit_test(test_quorum_above_membership_never_met),
		cmocka_unit_test(test_quorum_checked_before_the_vote),
		cmocka_unit_test(test_tally_inconsistent_counts_refused),
		cmocka_unit_test(test_evaluate_refuses_an_unchecked_rule),
		cmocka_unit_test(test_check_parameters_by_kind),
		cmocka_unit_test(test_check_field_names_follow_the_prefix),
		cmocka_unit_test(test_compare_majority_rules_by_base_and_fraction),
		cmocka_unit_test(test_compare_other_kinds_only_with_their_own),
		cmocka_unit_test(test_compare_quorums),
		cmocka_unit_test(test_exhaustive_small_tallies_match_the_definitions),
		cmocka_unit_test(test_exhaustive_compare_is_sound),
		cmocka_unit_test(test_describe_every_kind),
		cmocka_unit_test(test_describe_results),
		cmocka_unit_test(test_rule_set_put_keeps_names_sorted_and_replaces),
		cmocka_unit_test(test_rule_set_limit_and_names),
		cmocka_unit_test(test_rule_set_check_refuses_weaker_and_names_the_kind),
		cmocka_unit_test(test_rule_set_describe),
		cmocka_unit_test(test_positions_by_name_and_counting_votes),
		cmocka_unit_test(test_names_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
