/* Unit tests for src/core/pool.c: leaves, canonical order, commitment and
 * seed against the vectors of docs/sortition.md section 7. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <sodium.h>

#include "core/errors.h"
#include "core/pool.h"

static void hex(const unsigned char *b, char out[65])
{
	sodium_bin2hex(out, 65, b, 32);
}

static void test_leaf_without_and_with_salt(void **state)
{
	(void)state;
	unsigned char l[32], salt[32];
	char h[65];
	px_leaf("ada", NULL, l);
	hex(l, h);
	assert_string_equal(h, "92511c3ecc2c8f6db85709e358fc4302e54ae27f6018814be7136baef4368dce");
	for (int i = 0; i < 32; i++)
		salt[i] = (unsigned char)i;
	px_leaf("ada", salt, l);
	hex(l, h);
	assert_string_equal(h, "1ec8bd58e65c3e607a141f65ec6acee76a67fcfa7205bd60cb9ebea820e46f8b");
}

static void test_pool_of_eight_canonical_order_commitment_and_seed(void **state)
{
	(void)state;
	static const char *ids[] = { "ada", "grace", "alan", "edsger", "barbara",
				     "donald", "frances", "john" };
	static const char *order[] = { "barbara", "ada", "donald", "edsger",
				       "grace", "john", "frances", "alan" };
	struct px_person people[8];
	struct px_pool p;
	size_t a, b;
	char h[65];
	unsigned char seed[32];
	for (size_t i = 0; i < 8; i++)
		people[i] = (struct px_person){ ids[i], NULL, i };
	assert_int_equal(px_pool_build(&p, people, 8, &a, &b, NULL), 0);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(p.people[i].id, order[i]);
	hex(p.commitment, h);
	assert_string_equal(h, "8e89a6efcbc15d8fdf01250cc16f6aee42c0fed14ca38d3d928168f007677007");
	px_seed_derive(p.commitment, "dice:3,1,4,1,5,9", 16, seed);
	hex(seed, h);
	assert_string_equal(h, "7892ff234def18c391f0dd6069c3955b1c0e7040178b3a3aea949bb6f0f879e4");
	px_pool_release(&p);
}

static void test_pool_file_order_does_not_change_commitment(void **state)
{
	(void)state;
	struct px_person x[3] = { { "a", NULL, 0 }, { "b", NULL, 1 }, { "c", NULL, 2 } };
	struct px_person y[3] = { { "c", NULL, 0 }, { "a", NULL, 1 }, { "b", NULL, 2 } };
	struct px_pool p, q;
	size_t a, b;
	assert_int_equal(px_pool_build(&p, x, 3, &a, &b, NULL), 0);
	assert_int_equal(px_pool_build(&q, y, 3, &a, &b, NULL), 0);
	assert_memory_equal(p.commitment, q.commitment, 32);
	px_pool_release(&p);
	px_pool_release(&q);
}

static void test_pool_empty_commitment(void **state)
{
	(void)state;
	struct px_pool p;
	size_t a, b;
	char h[65];
	assert_int_equal(px_pool_build(&p, NULL, 0, &a, &b, NULL), 0);
	hex(p.commitment, h);
	assert_string_equal(h, "6a14b4fc305042b2244597e4efe755ba9d15899e4b180721e216ce27fd5361cb");
	px_pool_release(&p);
}

static void test_pool_duplicate_id_is_refused_even_with_different_salts(void **state)
{
	(void)state;
	unsigned char s1[32] = { 1 }, s2[32] = { 2 };
	struct px_person x[3] = { { "a", s1, 10 }, { "b", NULL, 11 }, { "a", s2, 12 } };
	struct px_pool p;
	struct px_error err = { 0 };
	size_t a = 0, b = 0;
	assert_int_equal(px_pool_build(&p, x, 3, &a, &b, &err), PX_E_BAD_INPUT);
	assert_int_equal(a, 10);
	assert_int_equal(b, 12);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_without_and_with_salt),
		cmocka_unit_test(test_pool_of_eight_canonical_order_commitment_and_seed),
		cmocka_unit_test(test_pool_file_order_does_not_change_commitment),
		cmocka_unit_test(test_pool_empty_commitment),
		cmocka_unit_test(test_pool_duplicate_id_is_refused_even_with_different_salts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
