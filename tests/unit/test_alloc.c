/* Unit tests for src/core/alloc.c: a count x size that does not fit in
 * size_t gives NULL instead of a short block. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static void test_alloc_overflowing_products_give_null(void **state)
{
	(void)state;
	size_t n;
	assert_int_equal(px_mul_size(SIZE_MAX / 2 + 1, 2, &n), 1);
	assert_int_equal(px_mul_size(SIZE_MAX / 2, 2, &n), 0);
	assert_int_equal(n, SIZE_MAX - 1);
	assert_null(px_mallocarray(SIZE_MAX / 8 + 1, 8));
	assert_null(px_mallocarray2((size_t)1 << 33, (size_t)1 << 33, 1));
	assert_null(px_callocarray2((size_t)1 << 40, (size_t)1 << 30, 16));
	/* the old block survives a refused growth */
	int *p = px_mallocarray(4, sizeof(int));
	assert_non_null(p);
	p[3] = 42;
	assert_null(px_reallocarray(p, SIZE_MAX / 2, sizeof(int)));
	assert_int_equal(p[3], 42);
	free(p);
}

static void test_alloc_ordinary_sizes_work(void **state)
{
	(void)state;
	int64_t *a = px_mallocarray(100, sizeof(*a));
	assert_non_null(a);
	a[99] = 7;
	a = px_reallocarray(a, 200, sizeof(*a));
	assert_non_null(a);
	assert_int_equal(a[99], 7);
	free(a);
	unsigned char *z = px_callocarray2(30, 30, 1);
	assert_non_null(z);
	for (size_t i = 0; i < 900; i++)
		assert_int_equal(z[i], 0);
	free(z);
	void *none = px_mallocarray(0, 8); /* a zero count is still a block */
	assert_non_null(none);
	free(none);
}

/* px_grow: the same block while there is room, twice the room when full,
 * and on a refusal the old block and its capacity unchanged */
static void test_alloc_grow_doubles_and_keeps_on_refusal(void **state)
{
	(void)state;
	int64_t *a = NULL;
	size_t cap = 0, caps = 0;
	for (size_t n = 0; n < 1000; n++) {
		size_t before = cap;
		int64_t *g = px_grow(a, &cap, n, sizeof(*a));
		assert_non_null(g);
		if (n < before)
			assert_ptr_equal(g, a);
		if (cap != before) {
			assert_int_equal(n, before);
			assert_int_equal(cap, before ? 2 * before : 8);
			caps++;
		}
		a = g;
		a[n] = (int64_t)n * 3;
	}
	assert_int_equal(caps, 8); /* 8, 16, ... 1024 */
	for (size_t n = 0; n < 1000; n++)
		assert_int_equal(a[n], (int64_t)n * 3);
	free(a);
	int *p = px_mallocarray(4, sizeof(int));
	assert_non_null(p);
	p[3] = 42;
	size_t big = SIZE_MAX / 4;
	assert_null(px_grow(p, &big, big, sizeof(int)));
	assert_int_equal(big, SIZE_MAX / 4);
	assert_int_equal(p[3], 42);
	size_t huge = SIZE_MAX / 2 + 1; /* doubling itself overflows */
	assert_null(px_grow(p, &huge, huge, 1));
	assert_int_equal(huge, SIZE_MAX / 2 + 1);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_overflowing_products_give_null),
		cmocka_unit_test(test_alloc_ordinary_sizes_work),
		cmocka_unit_test(test_alloc_grow_doubles_and_keeps_on_refusal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
