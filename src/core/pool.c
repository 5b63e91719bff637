/*
 * pool.c: leaves, canonical order, commitment and seed derivation. Every
 * hash is unkeyed BLAKE2b with a 32-byte output over a domain tag followed
 * by length-prefixed fields, so no two different inputs of different kinds
 * can ever be encoded into the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "errors.h"
#include "pool.h"
#include "banned.h"

static const char tag_person[] = "pnyx/sortition/v1/person";
static const char tag_pool[] = "pnyx/sortition/v1/pool";
static const char tag_seed[] = "pnyx/sortition/v1/seed";

static void be(unsigned char *out, uint64_t x, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--) {
		out[i] = (unsigned char)(x & 0xff);
		x >>= 8;
	}
}

void px_leaf(const char *id, const unsigned char *salt,
	     unsigned char out[PX_HASH_BYTES])
{
	unsigned char buf[256];
	unsigned char slen = salt ? PX_SALT_BYTES : 0;
	size_t n = strlen(id), tl = sizeof(tag_person) - 1;
	size_t total = tl + 4 + n + 1 + slen;
	if (total <= sizeof(buf)) {
		/* One call over one buffer: most ids are short, and the
		 * per-call overhead dominates for a million of them. */
		memcpy(buf, tag_person, tl);
		be(buf + tl, n, 4);
		memcpy(buf + tl + 4, id, n);
		buf[tl + 4 + n] = slen;
		if (salt)
			memcpy(buf + tl + 5 + n, salt, PX_SALT_BYTES);
		crypto_generichash_blake2b(out, PX_HASH_BYTES, buf, total, NULL, 0);
		return;
	}
	crypto_generichash_blake2b_state st;
	unsigned char len[4];
	be(len, n, 4);
	crypto_generichash_blake2b_init(&st, NULL, 0, PX_HASH_BYTES);
	crypto_generichash_blake2b_update(&st, (const unsigned char *)tag_person, tl);
	crypto_generichash_blake2b_update(&st, len, 4);
	crypto_generichash_blake2b_update(&st, (const unsigned char *)id, n);
	crypto_generichash_blake2b_update(&st, &slen, 1);
	if (salt)
		crypto_generichash_blake2b_update(&st, salt, PX_SALT_BYTES);
	crypto_generichash_blake2b_final(&st, out, PX_HASH_BYTES);
}

void px_commit_leaves(const unsigned char (*leaves)[PX_HASH_BYTES], size_t n,
		      unsigned char out[PX_HASH_BYTES])
{
	crypto_generichash_blake2b_state st;
	unsigned char count[8];
	be(count, n, 8);
	crypto_generichash_blake2b_init(&st, NULL, 0, PX_HASH_BYTES);
	crypto_generichash_blake2b_update(&st, (const unsigned char *)tag_pool,
					  sizeof(tag_pool) - 1);
	crypto_generichash_blake2b_update(&st, count, 8);
	if (n)
		crypto_generichash_blake2b_update(&st, leaves[0],
						  n * PX_HASH_BYTES);
	crypto_generichash_blake2b_final(&st, out, PX_HASH_BYTES);
}

void px_seed_derive(const unsigned char commitment[PX_HASH_BYTES],
		    const char *source, size_t len,
		    unsigned char seed[PX_HASH_BYTES])
{
	crypto_generichash_blake2b_state st;
	unsigned char l[8];
	be(l, len, 8);
	crypto_generichash_blake2b_init(&st, NULL, 0, PX_HASH_BYTES);
	crypto_generichash_blake2b_update(&st, (const unsigned char *)tag_seed,
					  sizeof(tag_seed) - 1);
	crypto_generichash_blake2b_update(&st, commitment, PX_HASH_BYTES);
	crypto_generichash_blake2b_update(&st, l, 8);
	crypto_generichash_blake2b_update(&st, (const unsigned char *)source, len);
	crypto_generichash_blake2b_final(&st, seed, PX_HASH_BYTES);
}

struct entry {
	unsigned char leaf[PX_HASH_BYTES];
	size_t idx;
};

static int by_leaf(const void *a, const void *b)
{
	return memcmp(((const struct entry *)a)->leaf,
		      ((const struct entry *)b)->leaf, PX_HASH_BYTES);
}

/* Sort by leaf: leaves are hashes, so their first two bytes spread them
 * evenly over 65536 buckets; one counting pass, then each (small) bucket
 * sorted on its own. Much faster than one qsort of a million entries. */
static int sort_leaves(struct entry *e, size_t n)
{
	size_t *start = calloc(65537, sizeof(size_t));
	struct entry *tmp = px_mallocarray(n ? n : 1, sizeof(*tmp));
	if (!start || !tmp) {
		free(start);
		free(tmp);
		return PX_E_NOMEM;
	}
	for (size_t i = 0; i < n; i++)
		start[((size_t)e[i].leaf[0] << 8 | e[i].leaf[1]) + 1]++;
	for (size_t b = 1; b <= 65536; b++)
		start[b] += start[b - 1];
	for (size_t i = 0; i < n; i++)
		tmp[start[(size_t)e[i].leaf[0] << 8 | e[i].leaf[1]]++] = e[i];
	/* start[b] is now the end of bucket b. */
	size_t lo = 0;
	for (size_t b = 0; b < 65536; b++) {
		size_t hi = start[b];
		if (hi - lo > 1)
			qsort(tmp + lo, hi - lo, sizeof(*tmp), by_leaf);
		lo = hi;
	}
	memcpy(e, tmp, n * sizeof(*e));
	free(tmp);
	free(start);
	return 0;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h;
}

/* Find two people with the same id, by an open-addressing table of
 * indices; returns 1 and sets *a < *b (indices) when found. */
static int find_duplicate(const struct px_person *people, size_t n, size_t *a,
			  size_t *b, int *nomem)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	size_t *slot = px_mallocarray(cap, sizeof(size_t));
	*nomem = !slot;
	if (!slot)
		return 0;
	memset(slot, 0xff, cap * sizeof(size_t));
	int found = 0;
	for (size_t i = 0; i < n && !found; i++) {
		size_t h = (size_t)fnv1a(people[i].id) & (cap - 1);
		while (slot[h] != (size_t)-1) {
			if (!strcmp(people[slot[h]].id, people[i].id)) {
				*a = slot[h];
				*b = i;
				found = 1;
				break;
			}
			h = (h + 1) & (cap - 1);
		}
		slot[h] = i;
	}
	free(slot);
	return found;
}

int px_pool_build(struct px_pool *p, const struct px_person *people, size_t n,
		  size_t *dup_a, size_t *dup_b, struct px_error *err)
{
	int rc = 0;
	struct entry *e = NULL;
	memset(p, 0, sizeof(*p));
	size_t alloc_n = n ? n : 1;
	e = px_mallocarray(alloc_n, sizeof(*e));
	p->people = px_mallocarray(alloc_n, sizeof(*p->people));
	p->leaves = px_mallocarray(alloc_n, sizeof(*p->leaves));
	if (!e || !p->people || !p->leaves) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* Ids must be unique with or without salts: a receipt names one
	 * person, and a draw result lists ids. Without salts, equal ids have
	 * equal leaves and are found next to each other once sorted, which
	 * saves the table below (a million random probes). */
	int salted = 0;
	for (size_t i = 0; i < n && !salted; i++)
		salted = people[i].salt != NULL;
	if (salted) {
		size_t a, b;
		int nomem;
		if (find_duplicate(people, n, &a, &b, &nomem)) {
			*dup_a = people[a].row;
			*dup_b = people[b].row;
			rc = px_fail(err, PX_E_BAD_INPUT, "id",
				     "the id '%.60s' appears twice", people[b].id);
			goto out;
		}
		if (nomem) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		px_leaf(people[i].id, people[i].salt, e[i].leaf);
		e[i].idx = i;
	}
	if (sort_leaves(e, n)) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (size_t i = 1; i < n && !salted; i++)
		if (!memcmp(e[i - 1].leaf, e[i].leaf, PX_HASH_BYTES)) {
			size_t x = e[i - 1].idx, y = e[i].idx;
			*dup_a = people[x < y ? x : y].row;
			*dup_b = people[x < y ? y : x].row;
			rc = px_fail(err, PX_E_BAD_INPUT, "id",
				     "the id '%.60s' appears twice", people[y].id);
			goto out;
		}
	for (size_t i = 0; i < n; i++) {
		p->people[i] = people[e[i].idx];
		memcpy(p->leaves[i], e[i].leaf, PX_HASH_BYTES);
	}
	p->n = n;
	px_commit_leaves((const unsigned char (*)[PX_HASH_BYTES])p->leaves, n,
			 p->commitment);
out:
	free(e);
	if (rc)
		px_pool_release(p);
	return rc;
}

void px_pool_release(struct px_pool *p)
{
	free(p->people);
	free(p->leaves);
	memset(p, 0, sizeof(*p));
}
