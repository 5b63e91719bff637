/*
 * pool.h: the committed pool of a draw (docs/sortition.md section 2).
 *
 * Each person is a leaf, the BLAKE2b-256 hash of their id and an optional
 * 32-byte salt. The canonical order of a pool is the ascending byte order
 * of the leaves; the commitment is the BLAKE2b-256 hash of the leaves in
 * that order. A person holding a receipt (id, salt) recomputes their leaf
 * and finds it in the published list of leaves; with salts, the list
 * reveals nothing about anyone else's id.
 *
 * Ownership: px_pool_build() copies nothing it is given except the ids'
 * pointers (they must outlive the pool); px_pool_release() frees the
 * arrays. The caller must have called sodium_init() once.
 */
#ifndef PNYX_POOL_H
#define PNYX_POOL_H

#include <stddef.h>
#include "errors.h"

#define PX_HASH_BYTES 32
#define PX_SALT_BYTES 32

struct px_error;

struct px_person {
	const char *id;          /* UTF-8, not empty */
	const unsigned char *salt; /* PX_SALT_BYTES, or NULL for no salt */
	size_t row;              /* the caller's index (e.g. file row) */
};

struct px_pool {
	size_t n;
	struct px_person *people;                 /* in canonical order */
	unsigned char (*leaves)[PX_HASH_BYTES];   /* leaves[i] of people[i] */
	unsigned char commitment[PX_HASH_BYTES];
};

/* The leaf of one person. */
void px_leaf(const char *id, const unsigned char *salt,
	     unsigned char out[PX_HASH_BYTES]);

/* The commitment of n leaves that are already in ascending order. */
void px_commit_leaves(const unsigned char (*leaves)[PX_HASH_BYTES], size_t n,
		      unsigned char out[PX_HASH_BYTES]);

/*
 * Build a pool from n people in any order: compute the leaves, sort, check
 * that no id appears twice (PX_E_BAD_INPUT naming the id; *dup_a and *dup_b
 * receive the two rows) and commit. n may be 0.
 */
int px_pool_build(struct px_pool *p, const struct px_person *people, size_t n,
		  size_t *dup_a, size_t *dup_b, struct px_error *err) PX_MUST_CHECK;

void px_pool_release(struct px_pool *p);

/* Derive the seed of a draw from a commitment and the public source text
 * (its bytes exactly as published, len of them). */
void px_seed_derive(const unsigned char commitment[PX_HASH_BYTES],
		    const char *source, size_t len,
		    unsigned char seed[PX_HASH_BYTES]);

#endif
