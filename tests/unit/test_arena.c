/* Unit tests for src/http/arena.c: the per-request arena. Allocations are
 * zeroed and aligned, the maximum is never passed, JSON references are
 * dropped on release (LeakSanitizer checks it under the san variant). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "http/arena.h"

static void test_arena_alloc_zeroed_and_aligned(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	for (size_t n = 1; n < 100; n += 7) {
		unsigned char *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % sizeof(max_align_t), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xAA, n);
	}
	arena_release(&a);
}

static void test_arena_big_allocation_gets_own_chunk(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	char *small = arena_alloc(&a, 10);
	char *big = arena_alloc(&a, 100000);
	char *small2 = arena_alloc(&a, 10);
	assert_non_null(small);
	assert_non_null(big);
	assert_non_null(small2);
	memset(big, 1, 100000);
	/* The small ones share the first chunk. */
	assert_true(small2 > small && small2 - small < 8192);
	arena_release(&a);
}

static void test_arena_refuses_past_max(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 20000);
	assert_non_null(arena_alloc(&a, 100));
	assert_null(arena_alloc(&a, 20000));
	assert_true(a.total <= 20000);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 8));
	arena_release(&a);
	assert_int_equal(a.total, 0);
}

static void test_arena_strings(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	assert_string_equal(arena_printf(&a, "%s-%d", "x", 42), "x-42");
	char big[5000];
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char *p = arena_printf(&a, "<%s>", big);
	assert_non_null(p);
	assert_int_equal(strlen(p), 5001);
	arena_release(&a);
}

static void test_arena_json_released_with_arena(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	json_t *j = arena_json(&a, json_pack("{s:[i,i]}", "a", 1, 2));
	assert_non_null(j);
	assert_null(arena_json(&a, NULL));
	json_t *shared = json_string("kept");
	json_incref(shared);
	arena_json(&a, shared);
	arena_release(&a);
	/* Our own reference survives the arena's. */
	assert_string_equal(json_string_value(shared), "kept");
	json_decref(shared);
}

static void test_arena_reusable_after_release(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	arena_alloc(&a, 10);
	arena_release(&a);
	assert_non_null(arena_alloc(&a, 10));
	arena_release(&a);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_zeroed_and_aligned),
		cmocka_unit_test(test_arena_big_allocation_gets_own_chunk),
		cmocka_unit_test(test_arena_refuses_past_max),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_arena_json_released_with_arena),
		cmocka_unit_test(test_arena_reusable_after_release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
