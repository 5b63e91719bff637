/* Unit tests for src/core/randstream.c and src/core/draw.c: the stream
 * against RFC 8439 and the vectors of docs/sortition.md section 7,
 * rejection sampling, and the partial Fisher-Yates shuffle. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/draw.h"
#include "core/errors.h"
#include "core/randstream.h"

static void unhex(const char *h, unsigned char *out, size_t n)
{
	size_t got;
	assert_int_equal(sodium_hex2bin(out, n, h, strlen(h), NULL, &got, NULL), 0);
	assert_int_equal(got, n);
}

static const unsigned char zero_seed[32];

static void test_stream_matches_rfc8439_a1_vector_1(void **state)
{
	(void)state;
	unsigned char want[64], got[64];
	struct px_stream s;
	unhex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
	      "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586",
	      want, 64);
	px_stream_init(&s, zero_seed);
	px_stream_bytes(&s, got, 64);
	assert_memory_equal(got, want, 64);
}

static void test_stream_words_are_little_endian(void **state)
{
	(void)state;
	struct px_stream s;
	px_stream_init(&s, zero_seed);
	assert_true(px_stream_u64(&s) == UINT64_C(0x903df1a0ade0b876));
	assert_true(px_stream_u64(&s) == UINT64_C(0x28bd8653e56a5d40));
	assert_true(px_stream_u64(&s) == UINT64_C(0x1aed8da0b819d2bd));
}

static void test_stream_refills_continue_one_keystream(void **state)
{
	(void)state;
	/* Reads of odd sizes across the internal refill boundary give the
	 * same bytes as one libsodium call. */
	enum { N = 3 * PX_STREAM_BUF + 77 };
	unsigned char *want = malloc(N), *got = malloc(N);
	unsigned char nonce[12] = { 0 }, seed[32];
	struct px_stream s;
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)(i * 7 + 1);
	crypto_stream_chacha20_ietf(want, N, nonce, seed);
	px_stream_init(&s, seed);
	size_t off = 0, step = 1;
	while (off < N) {
		size_t n = step < N - off ? step : N - off;
		px_stream_bytes(&s, got + off, n);
		off += n;
		step = step * 3 % 101 + 1;
	}
	assert_memory_equal(got, want, N);
	free(want);
	free(got);
}

static void test_below_6_matches_vector(void **state)
{
	(void)state;
	static const uint64_t want[] = { 0, 2, 5, 4, 4, 5, 4, 5, 1, 2, 3, 0 };
	struct px_stream s;
	px_stream_init(&s, zero_seed);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_true(px_stream_below(&s, 6) == want[i]);
}

static void test_below_rejects_words_above_the_last_multiple(void **state)
{
	(void)state;
	/* n = 2^63 + 1: the largest multiple below 2^64 is n itself, so the
	 * first word (0x903d..., above 2^63) is rejected and the second
	 * returned. */
	struct px_stream s;
	px_stream_init(&s, zero_seed);
	uint64_t n = (UINT64_C(1) << 63) + 1;
	assert_true(px_stream_below(&s, n) == UINT64_C(2935650227004792128));
	assert_true(px_stream_below(&s, n) == UINT64_C(1940362735889535677));
	assert_true(px_stream_below(&s, n) == UINT64_C(3984235106219861111));
	assert_true(px_stream_below(&s, n) == UINT64_C(2062956586891494250));
}

static void test_below_one_is_zero_and_consumes_a_word(void **state)
{
	(void)state;
	struct px_stream s;
	px_stream_init(&s, zero_seed);
	assert_true(px_stream_below(&s, 1) == 0);
	assert_true(px_stream_u64(&s) == UINT64_C(0x28bd8653e56a5d40));
}

static void test_below_is_roughly_uniform_over_small_n(void **state)
{
	(void)state;
	/* 60000 draws below 6 from a fixed seed: each value within 5% of
	 * 10000 (a deterministic check, not a statistical claim). */
	struct px_stream s;
	unsigned char seed[32] = { 42 };
	size_t count[6] = { 0 };
	px_stream_init(&s, seed);
	for (int i = 0; i < 60000; i++)
		count[px_stream_below(&s, 6)]++;
	for (int v = 0; v < 6; v++)
		assert_true(count[v] > 9500 && count[v] < 10500);
}

static void test_rank_full_is_a_permutation(void **state)
{
	(void)state;
	enum { N = 1000 };
	uint32_t out[N];
	unsigned char seen[N] = { 0 };
	unsigned char seed[32] = { 7 };
	assert_int_equal(px_draw_rank(seed, N, N, out, NULL), 0);
	for (int i = 0; i < N; i++) {
		assert_true(out[i] < N);
		assert_int_equal(seen[out[i]], 0);
		seen[out[i]] = 1;
	}
}

static void test_rank_shorter_list_is_a_prefix(void **state)
{
	(void)state;
	uint32_t a[50], b[10];
	unsigned char seed[32] = { 9 };
	assert_int_equal(px_draw_rank(seed, 1000000, 50, a, NULL), 0);
	assert_int_equal(px_draw_rank(seed, 1000000, 10, b, NULL), 0);
	assert_memory_equal(a, b, sizeof(b));
}

static void test_rank_matches_vector_of_eight(void **state)
{
	(void)state;
	/* docs/sortition.md section 7: canonical order barbara ada donald
	 * edsger grace john frances alan; drawn ada edsger grace, then
	 * alan john barbara donald frances. */
	static const uint32_t want[] = { 1, 3, 4, 7, 5, 0, 2, 6 };
	unsigned char seed[32];
	uint32_t out[8];
	unhex("7892ff234def18c391f0dd6069c3955b1c0e7040178b3a3aea949bb6f0f879e4",
	      seed, 32);
	assert_int_equal(px_draw_rank(seed, 8, 8, out, NULL), 0);
	assert_memory_equal(out, want, sizeof(want));
}

static void test_rank_more_than_n_is_refused(void **state)
{
	(void)state;
	uint32_t out[4];
	struct px_error err = { 0 };
	assert_int_equal(px_draw_rank(zero_seed, 3, 4, out, &err), PX_E_OUT_OF_RANGE);
}

static void test_rank_of_empty_pool_is_empty(void **state)
{
	(void)state;
	uint32_t out[1];
	assert_int_equal(px_draw_rank(zero_seed, 0, 0, out, NULL), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_matches_rfc8439_a1_vector_1),
		cmocka_unit_test(test_stream_words_are_little_endian),
		cmocka_unit_test(test_stream_refills_continue_one_keystream),
		cmocka_unit_test(test_below_6_matches_vector),
		cmocka_unit_test(test_below_rejects_words_above_the_last_multiple),
		cmocka_unit_test(test_below_one_is_zero_and_consumes_a_word),
		cmocka_unit_test(test_below_is_roughly_uniform_over_small_n),
		cmocka_unit_test(test_rank_full_is_a_permutation),
		cmocka_unit_test(test_rank_shorter_list_is_a_prefix),
		cmocka_unit_test(test_rank_matches_vector_of_eight),
		cmocka_unit_test(test_rank_more_than_n_is_refused),
		cmocka_unit_test(test_rank_of_empty_pool_is_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
