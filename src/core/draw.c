/*
 * draw.c: partial Fisher-Yates. Step i (0-based) picks j = i + U(n - i)
 * and swaps positions i and j of the working array, which starts as the
 * identity. Only the positions touched are stored, in a small open
 * addressing table, so a draw of k from n costs O(k) time and memory
 * however large n is, and gives exactly the result of the full array.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "draw.h"
#include "errors.h"
#include "randstream.h"
#include "banned.h"

/* A map from position to the value currently there; absent means the
 * identity. Capacity is a power of two at least twice the entries. */
struct swapmap {
	uint32_t *keys;
	uint32_t *vals;
	unsigned char *used;
	size_t mask;
};

static size_t slot(const struct swapmap *m, uint32_t key)
{
	size_t h = (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 17) & m->mask;
	while (m->used[h] && m->keys[h] != key)
		h = (h + 1) & m->mask;
	return h;
}

static uint32_t get(const struct swapmap *m, uint32_t key)
{
	size_t h = slot(m, key);
	return m->used[h] ? m->vals[h] : key;
}

static void put(struct swapmap *m, uint32_t key, uint32_t val)
{
	size_t h = slot(m, key);
	m->used[h] = 1;
	m->keys[h] = key;
	m->vals[h] = val;
}

int px_draw_rank(const unsigned char seed[32], size_t n, size_t r,
		 uint32_t *out, struct px_error *err)
{
	struct px_stream s;
	struct swapmap m = { 0 };
	int rc = 0;
	if (r > n || n > UINT32_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "seats",
			       "cannot rank %zu of %zu people", r, n);
	size_t cap = 16;
	while (cap < 2 * r + 2)
		cap *= 2;
	m.keys = px_mallocarray(cap, sizeof(*m.keys));
	m.vals = px_mallocarray(cap, sizeof(*m.vals));
	m.used = calloc(cap, 1);
	if (!m.keys || !m.vals || !m.used) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	m.mask = cap - 1;
	px_stream_init(&s, seed);
	for (size_t i = 0; i < r; i++) {
		uint32_t j = (uint32_t)(i + px_stream_below(&s, n - i));
		uint32_t vi = get(&m, (uint32_t)i), vj = get(&m, j);
		out[i] = vj;
		put(&m, j, vi);
		put(&m, (uint32_t)i, vj);
	}
out:
	free(m.keys);
	free(m.vals);
	free(m.used);
	sodium_memzero(&s, sizeof(s));
	return rc;
}
