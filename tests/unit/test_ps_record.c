/* Unit tests for src/core/ps_record.c, the record of a round of
 * alternatives (docs/sharing.md section 5, "A round of alternatives"),
 * on the worked example of that section: the hashes are built here again
 * byte by byte from the page's layout, and the round's properties checked
 * (envy-free shares, at most one unit each, supplies respected, the same
 * seed giving the same draw). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <sodium.h>

#include "core/errors.h"
#include "core/probserial.h"
#include "core/ps_record.h"

/* a red bike (1), a blue one (1), the workshop's two hours */
static const char *const ids[] = { "11", "12", "13" };
static const int64_t supply[] = { 1, 1, 2 };
static const uint32_t l0[] = { 0, 1 }, l1[] = { 0, 2, 1 }, l2[] = { 0 };
static const struct px_ps_agent agents[] = { { 2, l0 }, { 3, l1 }, { 1, l2 } };

static void leaves(unsigned char out[3][32])
{
	for (int i = 0; i < 3; i++) {
		memset(out[i], 0, 32);
		out[i][31] = (unsigned char)(i + 1); /* ascending: canonical order */
	}
}

static void put(crypto_generichash_blake2b_state *h, uint64_t v, int bytes)
{
	unsigned char b[8];
	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	crypto_generichash_blake2b_update(h, b, (unsigned long long)bytes);
}

static void test_ps_record_hashes_follow_the_page(void **state)
{
	(void)state;
	unsigned char lv[3][32], got[32], want[32];
	leaves(lv);
	px_ps_inputs_hash(ids, supply, 3, agents, (const unsigned char (*)[32])lv, 3, got);
	crypto_generichash_blake2b_state h;
	crypto_generichash_blake2b_init(&h, NULL, 0, 32);
	crypto_generichash_blake2b_update(&h, (const unsigned char *)"pnyx/sharing/v1/ps", 18);
	put(&h, 3, 8);
	for (int j = 0; j < 3; j++) {
		put(&h, 2, 4);
		crypto_generichash_blake2b_update(&h, (const unsigned char *)ids[j], 2);
		put(&h, (uint64_t)supply[j], 8);
	}
	put(&h, 3, 8);
	for (int i = 0; i < 3; i++) {
		crypto_generichash_blake2b_update(&h, lv[i], 32);
		put(&h, agents[i].n_ranked, 4);
		for (size_t k = 0; k < agents[i].n_ranked; k++)
			put(&h, agents[i].ranked[k], 4);
	}
	crypto_generichash_blake2b_final(&h, want, 32);
	assert_memory_equal(got, want, 32);

	/* the shares of the worked example, by hand: all three eat the red
	 * bike until 1/3; then the first the blue one, the second the
	 * workshop, until the end */
	struct px_ration_q sh[6];
	struct px_error err = { 0 };
	assert_int_equal(px_ps_eat(agents, 3, supply, 3, sh, &err), 0);
	const int64_t num[6] = { 1, 2, 1, 2, 0, 1 }, den[6] = { 3, 3, 3, 3, 1, 3 };
	for (int k = 0; k < 6; k++) {
		assert_int_equal(sh[k].num, num[k]);
		assert_int_equal(sh[k].den, den[k]);
	}
	int64_t assigned[3] = { 0, -1, 1 };
	unsigned char r1[32], r2[32];
	px_ps_result_hash(got, agents, 3, sh, assigned, r1);
	crypto_generichash_blake2b_init(&h, NULL, 0, 32);
	crypto_generichash_blake2b_update(&h, (const unsigned char *)"pnyx/sharing/v1/ps-result",
					  25);
	crypto_generichash_blake2b_update(&h, got, 32);
	for (int i = 0, at = 0; i < 3; i++) {
		for (size_t k = 0; k < agents[i].n_ranked; k++, at++) {
			put(&h, (uint64_t)sh[at].num, 8);
			put(&h, (uint64_t)sh[at].den, 8);
		}
		put(&h, assigned[i] < 0 ? 0 : (uint64_t)assigned[i] + 1, 4);
	}
	crypto_generichash_blake2b_final(&h, want, 32);
	assert_memory_equal(r1, want, 32);
	/* what each received is in the hash */
	assigned[1] = 2;
	px_ps_result_hash(got, agents, 3, sh, assigned, r2);
	assert_memory_not_equal(r1, r2, 32);
}

static void test_ps_record_inputs_change_with_any_ranking_or_supply(void **state)
{
	(void)state;
	unsigned char lv[3][32], a[32], b[32];
	leaves(lv);
	px_ps_inputs_hash(ids, supply, 3, agents, (const unsigned char (*)[32])lv, 3, a);
	/* the order of a ranking is part of it */
	const uint32_t swapped[] = { 1, 0 };
	struct px_ps_agent other[3] = { { 2, swapped }, agents[1], agents[2] };
	px_ps_inputs_hash(ids, supply, 3, other, (const unsigned char (*)[32])lv, 3, b);
	assert_memory_not_equal(a, b, 32);
	/* so is every supply */
	const int64_t more[] = { 1, 1, 3 };
	px_ps_inputs_hash(ids, more, 3, agents, (const unsigned char (*)[32])lv, 3, b);
	assert_memory_not_equal(a, b, 32);
	/* and the same inputs give the same hash */
	px_ps_inputs_hash(ids, supply, 3, agents, (const unsigned char (*)[32])lv, 3, b);
	assert_memory_equal(a, b, 32);
}

static void test_ps_round_properties(void **state)
{
	(void)state;
	struct px_ration_q sh[6];
	struct px_error err = { 0 };
	assert_int_equal(px_ps_eat(agents, 3, supply, 3, sh, &err), 0);
	/* envy-free: on every prefix of my ranking, my shares sum to at least
	 * what anyone else's shares of the same alternatives sum to */
	const size_t start[3] = { 0, 2, 5 };
	for (int i = 0; i < 3; i++)
		for (int o = 0; o < 3; o++) {
			/* sums as fractions over 3 (every share here is in thirds) */
			int64_t mine = 0, theirs = 0;
			for (size_t k = 0; k < agents[i].n_ranked; k++) {
				uint32_t alt = agents[i].ranked[k];
				mine += sh[start[i] + k].num * (3 / sh[start[i] + k].den);
				for (size_t q = 0; q < agents[o].n_ranked; q++)
					if (agents[o].ranked[q] == alt)
						theirs += sh[start[o] + q].num * (3 / sh[start[o] + q].den);
				assert_true(mine >= theirs);
			}
		}
	/* the draw: one unit at most, only what was ranked, supplies kept;
	 * the same seed, the same draw; the first two always receive one */
	unsigned char seed[32];
	for (int s = 0; s < 200; s++) {
		int64_t x[3], y[3], count[3] = { 0, 0, 0 };
		memset(seed, 0, sizeof(seed));
		seed[0] = (unsigned char)s;
		seed[1] = (unsigned char)(s >> 8);
		assert_int_equal(px_ps_draw(agents, 3, supply, 3, sh, seed, x, &err), 0);
		assert_int_equal(px_ps_draw(agents, 3, supply, 3, sh, seed, y, &err), 0);
		assert_memory_equal(x, y, sizeof(x));
		for (int i = 0; i < 3; i++) {
			if (x[i] < 0)
				continue;
			int ranked = 0;
			for (size_t k = 0; k < agents[i].n_ranked; k++)
				ranked |= agents[i].ranked[k] == (uint32_t)x[i];
			assert_true(ranked);
			count[x[i]]++;
		}
		for (int j = 0; j < 3; j++)
			assert_true(count[j] <= supply[j]);
		assert_true(x[0] >= 0 && x[1] >= 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ps_record_hashes_follow_the_page),
		cmocka_unit_test(test_ps_record_inputs_change_with_any_ranking_or_supply),
		cmocka_unit_test(test_ps_round_properties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
