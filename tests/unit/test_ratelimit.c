/* Unit tests for src/http/ratelimit.c: fixed windows per key, the limit
 * counted before the check, give-backs and clears, and bounded memory
 * (eviction) that never lets a key exceed its limit inside its window
 * while it stays in the table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "http/ratelimit.h"

static void test_ratelimit_allows_up_to_limit_then_waits(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 3, 100);
	assert_non_null(rl);
	assert_int_equal(ratelimit_take(rl, "h:alice", 1000), 0);
	assert_int_equal(ratelimit_take(rl, "h:alice", 1010), 0);
	assert_int_equal(ratelimit_take(rl, "h:alice", 1020), 0);
	/* The window began at 1000 and lasts 100 seconds. */
	assert_int_equal(ratelimit_take(rl, "h:alice", 1030), 70);
	assert_int_equal(ratelimit_take(rl, "h:alice", 1099), 1);
	assert_int_equal(ratelimit_count(rl, "h:alice", 1099), 3);
	ratelimit_free(rl);
}

static void test_ratelimit_window_expires(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 2, 100);
	assert_int_equal(ratelimit_take(rl, "k", 0), 0);
	assert_int_equal(ratelimit_take(rl, "k", 1), 0);
	assert_int_equal(ratelimit_take(rl, "k", 2), 98);
	assert_int_equal(ratelimit_take(rl, "k", 100), 0);
	assert_int_equal(ratelimit_count(rl, "k", 100), 1);
	ratelimit_free(rl);
}

static void test_ratelimit_keys_are_independent(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 1, 100);
	assert_int_equal(ratelimit_take(rl, "h:alice", 0), 0);
	assert_true(ratelimit_take(rl, "h:alice", 0) > 0);
	assert_int_equal(ratelimit_take(rl, "h:bob", 0), 0);
	assert_int_equal(ratelimit_take(rl, "a:127.0.0.1", 0), 0);
	ratelimit_free(rl);
}

static void test_ratelimit_clear_forgets_key(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 2, 100);
	ratelimit_take(rl, "k", 0);
	ratelimit_take(rl, "k", 0);
	assert_true(ratelimit_take(rl, "k", 0) > 0);
	ratelimit_clear(rl, "k");
	assert_int_equal(ratelimit_count(rl, "k", 0), 0);
	assert_int_equal(ratelimit_take(rl, "k", 0), 0);
	ratelimit_clear(rl, "never-seen");
	ratelimit_free(rl);
}

static void test_ratelimit_give_back_undoes_one(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 2, 100);
	ratelimit_take(rl, "k", 0);
	ratelimit_take(rl, "k", 0);
	ratelimit_give_back(rl, "k");
	assert_int_equal(ratelimit_count(rl, "k", 0), 1);
	assert_int_equal(ratelimit_take(rl, "k", 0), 0);
	assert_true(ratelimit_take(rl, "k", 0) > 0);
	ratelimit_give_back(rl, "absent");
	ratelimit_free(rl);
}

static void test_ratelimit_refused_attempt_is_not_counted(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 1, 100);
	ratelimit_take(rl, "k", 0);
	for (int i = 0; i < 10; i++)
		assert_true(ratelimit_take(rl, "k", 50) > 0);
	assert_int_equal(ratelimit_count(rl, "k", 50), 1);
	ratelimit_free(rl);
}

static void test_ratelimit_clock_going_back_restarts_window(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(16, 1, 100);
	ratelimit_take(rl, "k", 1000);
	assert_int_equal(ratelimit_take(rl, "k", 500), 0);
	ratelimit_free(rl);
}

static void test_ratelimit_memory_is_bounded_by_eviction(void **state)
{
	(void)state;
	/* One bucket of 8 slots: the ninth key evicts the oldest. */
	struct ratelimit *rl = ratelimit_new(1, 1, 1000);
	char key[16];
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(ratelimit_take(rl, key, i), 0);
	}
	assert_int_equal(ratelimit_take(rl, "k8", 8), 0);
	assert_int_equal(ratelimit_count(rl, "k0", 8), 0); /* evicted */
	assert_int_equal(ratelimit_count(rl, "k1", 8), 1);
	assert_int_equal(ratelimit_count(rl, "k8", 8), 1);
	/* Many more keys never need more memory. */
	for (int i = 9; i < 10000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(ratelimit_take(rl, key, i), 0);
	}
	ratelimit_free(rl);
}

static void test_ratelimit_expired_slot_reused_before_eviction(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(1, 1, 200);
	char key[16];
	ratelimit_take(rl, "old", 0);
	for (int i = 0; i < 7; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ratelimit_take(rl, key, 100);
	}
	/* The bucket is full; "old"'s window (from 0) is over at 205: its
	 * slot is taken, and every live key stays. */
	assert_int_equal(ratelimit_take(rl, "new", 205), 0);
	assert_int_equal(ratelimit_count(rl, "old", 205), 0);
	for (int i = 0; i < 7; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(ratelimit_count(rl, key, 205), 1);
	}
	ratelimit_free(rl);
}

static void test_ratelimit_long_keys_are_cut_consistently(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(4, 1, 100);
	char key[200];
	for (size_t i = 0; i + 1 < sizeof(key); i++)
		key[i] = 'x';
	key[sizeof(key) - 1] = '\0';
	assert_int_equal(ratelimit_take(rl, key, 0), 0);
	assert_true(ratelimit_take(rl, key, 0) > 0);
	ratelimit_free(rl);
}

static void test_ratelimit_new_refuses_bad_parameters(void **state)
{
	(void)state;
	assert_null(ratelimit_new(0, 1, 1));
	assert_null(ratelimit_new(1, 0, 1));
	assert_null(ratelimit_new(1, 1, 0));
	ratelimit_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit_allows_up_to_limit_then_waits),
		cmocka_unit_test(test_ratelimit_window_expires),
		cmocka_unit_test(test_ratelimit_keys_are_independent),
		cmocka_unit_test(test_ratelimit_clear_forgets_key),
		cmocka_unit_test(test_ratelimit_give_back_undoes_one),
		cmocka_unit_test(test_ratelimit_refused_attempt_is_not_counted),
		cmocka_unit_test(test_ratelimit_clock_going_back_restarts_window),
		cmocka_unit_test(test_ratelimit_memory_is_bounded_by_eviction),
		cmocka_unit_test(test_ratelimit_expired_slot_reused_before_eviction),
		cmocka_unit_test(test_ratelimit_long_keys_are_cut_consistently),
		cmocka_unit_test(test_ratelimit_new_refuses_bad_parameters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
