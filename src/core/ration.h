/*
 * ration.h: sharing one scarce good among the requests of a round, by
 * need first and then equally or by lot (issue 16, docs/sharing.md is the
 * specification).
 *
 * A good has a supply, in whole units of its measure (grams of flour,
 * hours of a workshop: divisible) or whole items (places, bicycles:
 * indivisible). Each request names a need category of the good's policy
 * and asks for an amount (divisible) or a count of units. The policy
 * reserves a share of the supply for each category, caps what one request
 * may receive, and orders the categories for the reserve that goes unused.
 *
 *  1. Category totals (the reserve system). Category c's reserve is
 *     floor(supply * share_c / share_den). It first receives
 *     min(reserve, demand) where demand is the sum of its requests, each
 *     capped. What is left (unused reserves and the unreserved part) goes
 *     to the categories in the flow order, each taking what its requests
 *     still want, until it runs out. Every total is a whole number.
 *  2. Within a category, a divisible good is shared equally with
 *     water-filling: each request receives min(asked, level), the level
 *     chosen so the category's total is shared exactly (an exact fraction
 *     whose denominator divides the number of requests). Indivisible units
 *     go by random serial dictatorship: the category's requests in a
 *     uniform random order (the ranked list of docs/sortition.md section 6
 *     over the requests in canonical order, keyed by px_ration_order_seed),
 *     each taking what it asked, capped, while units remain.
 *
 * Canonical order: the ascending byte order of the requests' leaves (32
 * bytes each, unique within a good), as for a draw's pool; a category's
 * pool is its requests in that order. A leaf is px_leaf() of the
 * request's id and salt (pool.h), so a person checks their place from a
 * receipt as in a draw. The order the caller lists requests in changes
 * nothing.
 *
 * Widths: supply, amounts and caps are integers in [0, PX_RATION_MAX]
 * (2^53 - 1, exact in JSON); at most PX_RATION_MAX_CATEGORIES categories,
 * share_den in [1, 2^32]; at most UINT32_MAX requests in a good, and a
 * category's capped requests sum to at most INT64_MAX (2^63 - 1). Sums
 * are taken in 128 bits and checked, and every product fits in 128 bits,
 * so nothing overflows. Inputs beyond these are refused
 * (PX_E_OUT_OF_RANGE naming the field).
 *
 * Ownership: the caller owns the good and its arrays; px_ration_run()
 * fills a struct px_ration_result the caller embeds, whose arrays are
 * freed by px_ration_result_release(). The caller must have called
 * sodium_init() once.
 */
#ifndef PNYX_RATION_H
#define PNYX_RATION_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

struct px_error;

#define PX_RATION_MAX ((INT64_C(1) << 53) - 1)
#define PX_RATION_MAX_CATEGORIES 64
#define PX_RATION_MAX_SHARE_DEN (INT64_C(1) << 32)

enum px_ration_kind {
	PX_RATION_DIVISIBLE = 1, /* equal shares, water-filling */
	PX_RATION_UNITS = 2      /* random serial dictatorship */
};

struct px_ration_category {
	int64_t share; /* reserved: share / share_den of the supply, >= 0 */
	int64_t cap;   /* the most one request receives; 0: no cap */
};

struct px_ration_policy {
	size_t n_categories;                        /* 1..PX_RATION_MAX_CATEGORIES */
	const struct px_ration_category *categories;
	int64_t share_den;                          /* the shares sum to at most this */
	const uint32_t *flow; /* the categories in the order unused reserve
			       * reaches them: each exactly once */
};

struct px_ration_request {
	unsigned char leaf[32]; /* px_leaf(id, salt): unique within a good */
	uint32_t category;      /* index into the policy's categories */
	int64_t amount;         /* asked, >= 1: amount or count of units */
};

struct px_ration_good {
	const char *id;        /* the good's id, UTF-8 (part of the seeds) */
	enum px_ration_kind kind;
	int64_t supply;
	struct px_ration_policy policy;
	const struct px_ration_request *requests;
	size_t n;
};

/* An exact non-negative fraction in lowest terms, den >= 1. */
struct px_ration_q {
	int64_t num;
	int64_t den;
};

struct px_ration_cat_result {
	int64_t reserve;      /* floor(supply * share / share_den) */
	int64_t demand;       /* the sum of its requests, each capped (may
			       * exceed the supply; at most INT64_MAX) */
	int64_t from_reserve; /* min(reserve, demand) */
	int64_t flowed;       /* what reached it from the rest, by the flow order */
	int64_t total;        /* from_reserve + flowed */
	size_t n;             /* its requests */
	/* Divisible: every request received min(asked, level); full = 1 when
	 * nobody was cut (level is then 0/1 and means nothing). */
	int full;
	struct px_ration_q level;
	/* Units: the drawn order, as indices into the caller's requests
	 * (n of them); NULL for a divisible good. */
	uint32_t *order;
};

struct px_ration_result {
	enum px_ration_kind kind;
	int64_t supply;
	int64_t allocated;                 /* the sum of all totals */
	size_t n_categories;
	struct px_ration_cat_result *cats; /* in the policy's order */
	size_t n;
	struct px_ration_q *alloc; /* per request, in the caller's order */
	uint32_t *rank;            /* units: 1-based place in its category's
				    * order; NULL for a divisible good */
	uint32_t *canon;           /* the requests' indices in the order of the
				    * record: by category, then by leaf */
};

/*
 * The hash of a good's inputs (id, kind, supply, policy, requests in
 * canonical order): what a round's commitment covers. Fails on the inputs
 * px_ration_run refuses.
 */
int px_ration_good_hash(const struct px_ration_good *g, unsigned char out[32],
			struct px_error *err) PX_MUST_CHECK;

/* The commitment of a round: its goods' hashes, in ascending byte order
 * of the goods' ids (the caller's order; n may be 0). The round's seed is
 * then px_seed_derive(commitment, public source) of pool.h. */
void px_ration_round_commit(const unsigned char (*good_hashes)[32], size_t n,
			    unsigned char out[32]);

/* The seed of the order drawn in one category of one good. */
void px_ration_order_seed(const unsigned char round_seed[32], const char *good_id,
			  uint32_t category, unsigned char out[32]);

/*
 * The hash of a result (docs/sharing.md, "The record"): the good's input
 * hash, every category's figures, every allocation and place in the
 * record's order. Two results hash alike exactly when they are the same.
 */
void px_ration_result_hash(const struct px_ration_result *r, const unsigned char input[32],
			   unsigned char out[32]);

/*
 * Allocate one good. round_seed is only read for units. On success *r
 * holds the result; on failure *r is empty (safe to release) and nothing
 * is allocated. PX_E_BAD_INPUT / PX_E_OUT_OF_RANGE name the field:
 * "kind", "supply", "categories", "share_den", "share", "cap", "flow",
 * "category", "amount", "requests" (a repeated leaf, or too many).
 */
int px_ration_run(const struct px_ration_good *g, const unsigned char round_seed[32],
		  struct px_ration_result *r, struct px_error *err) PX_MUST_CHECK;

void px_ration_result_release(struct px_ration_result *r);

#endif
