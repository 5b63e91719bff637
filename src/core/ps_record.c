/*
 * ps_record.c: the hashes of a round of alternatives (ps_record.h).
 */
#include <string.h>

#include <sodium.h>

#include "ps_record.h"
#include "banned.h"

static const char tag_inputs[] = "pnyx/sharing/v1/ps";
static const char tag_result[] = "pnyx/sharing/v1/ps-result";

static void be(crypto_generichash_blake2b_state *h, uint64_t v, int bytes)
{
	unsigned char b[8];
	for (int i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
	crypto_generichash_blake2b_update(h, b, (unsigned long long)bytes);
}

void px_ps_inputs_hash(const char *const *ids, const int64_t *supply, size_t m,
		       const struct px_ps_agent *agents, const unsigned char (*leaves)[32],
		       size_t n, unsigned char out[32])
{
	crypto_generichash_blake2b_state h;
	crypto_generichash_blake2b_init(&h, NULL, 0, 32);
	crypto_generichash_blake2b_update(&h, (const unsigned char *)tag_inputs,
					  sizeof(tag_inputs) - 1);
	be(&h, m, 8);
	for (size_t j = 0; j < m; j++) {
		size_t len = strlen(ids[j]);
		be(&h, len, 4);
		crypto_generichash_blake2b_update(&h, (const unsigned char *)ids[j], len);
		be(&h, (uint64_t)supply[j], 8);
	}
	be(&h, n, 8);
	for (size_t i = 0; i < n; i++) {
		crypto_generichash_blake2b_update(&h, leaves[i], 32);
		be(&h, agents[i].n_ranked, 4);
		for (size_t k = 0; k < agents[i].n_ranked; k++)
			be(&h, agents[i].ranked[k], 4);
	}
	crypto_generichash_blake2b_final(&h, out, 32);
}

void px_ps_result_hash(const unsigned char inputs[32], const struct px_ps_agent *agents,
		       size_t n, const struct px_ration_q *shares, const int64_t *assigned,
		       unsigned char out[32])
{
	crypto_generichash_blake2b_state h;
	size_t at = 0;
	crypto_generichash_blake2b_init(&h, NULL, 0, 32);
	crypto_generichash_blake2b_update(&h, (const unsigned char *)tag_result,
					  sizeof(tag_result) - 1);
	crypto_generichash_blake2b_update(&h, inputs, 32);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < agents[i].n_ranked; k++, at++) {
			be(&h, (uint64_t)shares[at].num, 8);
			be(&h, (uint64_t)shares[at].den, 8);
		}
		be(&h, assigned[i] < 0 ? 0 : (uint64_t)assigned[i] + 1, 4);
	}
	crypto_generichash_blake2b_final(&h, out, 32);
}
