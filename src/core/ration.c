/*
 * ration.c: the reserve system, water-filling and random serial
 * dictatorship of ration.h, and the hashes that let anyone recompute a
 * round (docs/sharing.md sections 2 to 5 are the specification).
 *
 * Invariants kept: every total is a whole number between 0 and the
 * supply, the totals sum to at most the supply, and to exactly the
 * supply when the capped requests ask for at least that much; within a
 * category the allocations sum exactly to its total and none exceeds the
 * request or the cap. No floating point: levels are fractions of 64-bit
 * integers computed through 128-bit products.
 *
 * Costs: a good of n requests is sorted once by leaf (O(n log n)), each
 * category's capped requests once by size for the level (divisible), or
 * ranked by the partial Fisher-Yates of draw.c (units); memory is a few
 * words per request.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "draw.h"
#include "errors.h"
#include "ration.h"
#include "banned.h"

__extension__ typedef unsigned __int128 u128;

static const char tag_good[] = "pnyx/sharing/v1/good";
static const char tag_round[] = "pnyx/sharing/v1/round";
static const char tag_order[] = "pnyx/sharing/v1/order";
static const char tag_result[] = "pnyx/sharing/v1/result";

/* A hash fed through a buffer, so that a million small fields cost a
 * few thousand calls into BLAKE2b, not millions. */
struct hasher {
	crypto_generichash_blake2b_state st;
	size_t len;
	unsigned char buf[4096];
};

static void h_init(struct hasher *h, const char *tag, size_t tag_len)
{
	crypto_generichash_blake2b_init(&h->st, NULL, 0, 32);
	crypto_generichash_blake2b_update(&h->st, (const unsigned char *)tag, tag_len);
	h->len = 0;
}

static void h_flush(struct hasher *h)
{
	if (h->len)
		crypto_generichash_blake2b_update(&h->st, h->buf, h->len);
	h->len = 0;
}

static void h_bytes(struct hasher *h, const void *p, size_t n)
{
	if (h->len + n > sizeof(h->buf)) {
		h_flush(h);
		if (n > sizeof(h->buf)) {
			crypto_generichash_blake2b_update(&h->st, p, n);
			return;
		}
	}
	memcpy(h->buf + h->len, p, n);
	h->len += n;
}

static void h_be(struct hasher *h, uint64_t x, int bytes)
{
	unsigned char b[8];
	for (int i = bytes - 1; i >= 0; i--) {
		b[i] = (unsigned char)(x & 0xff);
		x >>= 8;
	}
	h_bytes(h, b, (size_t)bytes);
}

static void h_final(struct hasher *h, unsigned char out[32])
{
	h_flush(h);
	crypto_generichash_blake2b_final(&h->st, out, 32);
	sodium_memzero(h, sizeof(*h));
}

static int64_t capped(const struct px_ration_policy *p, const struct px_ration_request *q)
{
	int64_t cap = p->categories[q->category].cap;
	return cap && q->amount > cap ? cap : q->amount;
}

static int validate(const struct px_ration_good *g, struct px_error *err)
{
	const struct px_ration_policy *p = &g->policy;
	if (!g->id)
		return px_fail(err, PX_E_MISSING_FIELD, "id", "a good needs an id");
	if (g->kind != PX_RATION_DIVISIBLE && g->kind != PX_RATION_UNITS)
		return px_fail(err, PX_E_BAD_INPUT, "kind",
			       "a good is divisible or counted in units");
	if (g->supply < 0 || g->supply > PX_RATION_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "supply",
			       "the supply must be a whole number from 0 to 2^53 - 1");
	if (p->n_categories < 1 || p->n_categories > PX_RATION_MAX_CATEGORIES ||
	    !p->categories || !p->flow)
		return px_fail(err, PX_E_OUT_OF_RANGE, "categories",
			       "a policy has 1 to %d need categories",
			       PX_RATION_MAX_CATEGORIES);
	if (p->share_den < 1 || p->share_den > PX_RATION_MAX_SHARE_DEN)
		return px_fail(err, PX_E_OUT_OF_RANGE, "share_den",
			       "the shares' denominator must be from 1 to 2^32");
	int64_t sum = 0;
	unsigned char seen[PX_RATION_MAX_CATEGORIES] = { 0 };
	for (size_t c = 0; c < p->n_categories; c++) {
		const struct px_ration_category *k = &p->categories[c];
		if (k->share < 0 || k->share > p->share_den)
			return px_fail(err, PX_E_OUT_OF_RANGE, "share",
				       "a reserved share must be between 0 and the whole");
		sum += k->share; /* at most 64 * 2^32: no overflow */
		if (k->cap < 0 || k->cap > PX_RATION_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE, "cap",
				       "a cap must be a whole number from 0 (none) to 2^53 - 1");
		uint32_t f = p->flow[c];
		if (f >= p->n_categories || seen[f])
			return px_fail(err, PX_E_BAD_INPUT, "flow",
				       "the flow order must name every category once");
		seen[f] = 1;
	}
	if (sum > p->share_den)
		return px_fail(err, PX_E_OUT_OF_RANGE, "share",
			       "the reserved shares add up to more than the whole supply");
	if (g->n > UINT32_MAX || (g->n && !g->requests))
		return px_fail(err, PX_E_OUT_OF_RANGE, "requests",
			       "a good takes at most 2^32 - 1 requests");
	u128 demand[PX_RATION_MAX_CATEGORIES] = { 0 };
	for (size_t i = 0; i < g->n; i++) {
		const struct px_ration_request *q = &g->requests[i];
		if (q->category >= p->n_categories)
			return px_fail(err, PX_E_OUT_OF_RANGE, "category",
				       "request %zu names no category of the policy", i + 1);
		if (q->amount < 1 || q->amount > PX_RATION_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE, "amount",
				       "request %zu must ask for 1 to 2^53 - 1", i + 1);
		demand[q->category] += (u128)capped(p, q); /* < 2^85 */
	}
	for (size_t c = 0; c < p->n_categories; c++)
		if (demand[c] > (u128)INT64_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE, "amount",
				       "the requests of one category ask for more than 2^63 - 1 in all");
	return 0;
}

/* A sort key and what it sorts. */
struct kv {
	uint64_t k;
	uint32_t v;
};

static void insertion(struct kv *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct kv x = a[i];
		size_t j = i;
		for (; j && a[j - 1].k > x.k; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

static void sift(struct kv *a, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1].k > a[c].k)
			c++;
		if (a[root].k >= a[c].k)
			return;
		struct kv t = a[root];
		a[root] = a[c];
		a[c] = t;
		root = c;
	}
}

static void heapsort_kv(struct kv *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (size_t i = n; i-- > 1;) {
		struct kv t = a[0];
		a[0] = a[i];
		a[i] = t;
		sift(a, 0, i);
	}
}

/*
 * Sort by k (introsort): quicksort with a median of three and a
 * three-way partition, so runs of equal keys (many people asking the
 * same amount) cost nothing more, insertion for a few, and heapsort once
 * the depth passes twice log2(n), so no choice of amounts can make it
 * quadratic. No comparison function is called per element: a good's
 * requests are sorted twice, and a round has a million of them.
 */
static void sort_kv(struct kv *a, size_t n, int depth)
{
	while (n > 16) {
		if (depth-- == 0) {
			heapsort_kv(a, n);
			return;
		}
		uint64_t x = a[0].k, y = a[n / 2].k, z = a[n - 1].k;
		uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		/* a[0..lt) < pivot, a[lt..i) == pivot, a(gt..n) > pivot */
		size_t lt = 0, i = 0, gt = n;
		while (i < gt) {
			if (a[i].k < pivot) {
				struct kv t = a[lt];
				a[lt++] = a[i];
				a[i++] = t;
			} else if (a[i].k > pivot) {
				struct kv t = a[--gt];
				a[gt] = a[i];
				a[i] = t;
			} else {
				i++;
			}
		}
		/* recurse into the smaller side, loop on the larger */
		if (lt < n - gt) {
			sort_kv(a, lt, depth);
			a += gt;
			n -= gt;
		} else {
			sort_kv(a + gt, n - gt, depth);
			n = lt;
		}
	}
	insertion(a, n);
}

static void sort_keys(struct kv *a, size_t n)
{
	int depth = 0;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	sort_kv(a, n, depth);
}

static uint64_t leaf_key(const unsigned char *leaf)
{
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | leaf[i];
	return k;
}

/*
 * The requests' indices in canonical order: *by_leaf_out ascending by leaf
 * (a repeated leaf is refused), *by_cat_out grouped by category, each
 * group still by leaf, with start[c]..start[c+1] the group of c. kv is
 * scratch of n entries.
 */
static int canonical(const struct px_ration_good *g, struct kv *kv,
		     uint32_t **by_leaf_out, uint32_t **by_cat_out, size_t *start,
		     struct px_error *err)
{
	size_t n = g->n, nc = g->policy.n_categories;
	uint32_t *bl = px_mallocarray(n, sizeof(*bl));
	uint32_t *bc = px_mallocarray(n, sizeof(*bc));
	int rc = 0;
	if (!bl || !bc) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* By the first 8 bytes of the leaf, then runs of equal first bytes
	 * (rare: leaves are hashes) by the whole leaf. */
	for (size_t i = 0; i < n; i++) {
		kv[i].k = leaf_key(g->requests[i].leaf);
		kv[i].v = (uint32_t)i;
	}
	sort_keys(kv, n);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && kv[j].k == kv[i].k)
			j++;
		for (size_t a = i + 1; a < j; a++) {
			struct kv x = kv[a];
			size_t b = a;
			for (; b > i && memcmp(g->requests[kv[b - 1].v].leaf,
					       g->requests[x.v].leaf, 32) > 0; b--)
				kv[b] = kv[b - 1];
			kv[b] = x;
		}
		for (size_t a = i + 1; a < j; a++)
			if (memcmp(g->requests[kv[a - 1].v].leaf, g->requests[kv[a].v].leaf, 32) == 0) {
				rc = px_fail(err, PX_E_BAD_INPUT, "requests",
					     "two requests have the same leaf");
				goto out;
			}
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		bl[i] = kv[i].v;
	for (size_t c = 0; c <= nc; c++)
		start[c] = 0;
	for (size_t i = 0; i < n; i++)
		start[g->requests[i].category + 1]++;
	for (size_t c = 1; c <= nc; c++)
		start[c] += start[c - 1];
	size_t fill[PX_RATION_MAX_CATEGORIES];
	memcpy(fill, start, nc * sizeof(*fill));
	for (size_t i = 0; i < n; i++)
		bc[fill[g->requests[bl[i]].category]++] = bl[i];
out:
	if (rc) {
		free(bl);
		free(bc);
		bl = bc = NULL;
	}
	*by_leaf_out = bl;
	*by_cat_out = bc;
	return rc;
}

static void hash_input(const struct px_ration_good *g, const uint32_t *by_leaf_idx,
		       unsigned char out[32])
{
	struct hasher h;
	const struct px_ration_policy *p = &g->policy;
	size_t idlen = strlen(g->id);
	h_init(&h, tag_good, sizeof(tag_good) - 1);
	h_be(&h, idlen, 4);
	h_bytes(&h, g->id, idlen);
	h_be(&h, (uint64_t)g->kind, 1);
	h_be(&h, (uint64_t)g->supply, 8);
	h_be(&h, p->n_categories, 4);
	h_be(&h, (uint64_t)p->share_den, 8);
	for (size_t c = 0; c < p->n_categories; c++) {
		h_be(&h, (uint64_t)p->categories[c].share, 8);
		h_be(&h, (uint64_t)p->categories[c].cap, 8);
	}
	for (size_t c = 0; c < p->n_categories; c++)
		h_be(&h, p->flow[c], 4);
	h_be(&h, g->n, 8);
	for (size_t i = 0; i < g->n; i++) {
		const struct px_ration_request *q = &g->requests[by_leaf_idx[i]];
		h_bytes(&h, q->leaf, 32);
		h_be(&h, q->category, 4);
		h_be(&h, (uint64_t)q->amount, 8);
	}
	h_final(&h, out);
}

int px_ration_good_hash(const struct px_ration_good *g, unsigned char out[32],
			struct px_error *err)
{
	size_t start[PX_RATION_MAX_CATEGORIES + 1];
	uint32_t *bl = NULL, *bc = NULL;
	int rc = validate(g, err);
	if (rc)
		return rc;
	struct kv *kv = px_mallocarray(g->n, sizeof(*kv));
	if (!kv)
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
	else
		rc = canonical(g, kv, &bl, &bc, start, err);
	if (!rc)
		hash_input(g, bl, out);
	free(kv);
	free(bl);
	free(bc);
	return rc;
}

void px_ration_round_commit(const unsigned char (*good_hashes)[32], size_t n,
			    unsigned char out[32])
{
	struct hasher h;
	h_init(&h, tag_round, sizeof(tag_round) - 1);
	h_be(&h, n, 8);
	for (size_t i = 0; i < n; i++)
		h_bytes(&h, good_hashes[i], 32);
	h_final(&h, out);
}

void px_ration_order_seed(const unsigned char round_seed[32], const char *good_id,
			  uint32_t category, unsigned char out[32])
{
	struct hasher h;
	size_t idlen = strlen(good_id);
	h_init(&h, tag_order, sizeof(tag_order) - 1);
	h_bytes(&h, round_seed, 32);
	h_be(&h, idlen, 4);
	h_bytes(&h, good_id, idlen);
	h_be(&h, category, 4);
	h_final(&h, out);
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/*
 * The level that shares total among the capped requests d[0..n-1].k
 * (sorted ascending here): the least served take all
 * they asked while that is no more than an equal share of what remains,
 * and the rest share what remains equally. total <= the sum of d.
 */
static void water_level(struct kv *d, size_t n, int64_t total,
			struct px_ration_cat_result *c)
{
	sort_keys(d, n);
	int64_t rem = total;
	size_t k = n;
	for (size_t i = 0; i < n; i++, k--) {
		if ((u128)d[i].k * k > (u128)rem) {
			int64_t g = gcd64(rem, (int64_t)k);
			c->full = 0;
			c->level.num = rem / (g ? g : 1);
			c->level.den = (int64_t)k / (g ? g : 1);
			if (rem == 0)
				c->level.den = 1;
			return;
		}
		rem -= (int64_t)d[i].k;
	}
	c->full = 1;
	c->level.num = 0;
	c->level.den = 1;
}

/* The totals of the reserve system (ration.h, step 1). */
static void totals(const struct px_ration_good *g, struct px_ration_result *r)
{
	const struct px_ration_policy *p = &g->policy;
	int64_t left = g->supply;
	for (size_t c = 0; c < p->n_categories; c++) {
		struct px_ration_cat_result *k = &r->cats[c];
		k->reserve = (int64_t)((u128)g->supply * (u128)p->categories[c].share /
				       (u128)p->share_den);
		k->from_reserve = k->reserve < k->demand ? k->reserve : k->demand;
		left -= k->from_reserve;
	}
	for (size_t f = 0; f < p->n_categories; f++) {
		struct px_ration_cat_result *k = &r->cats[p->flow[f]];
		int64_t want = k->demand - k->from_reserve;
		k->flowed = want < left ? want : left;
		left -= k->flowed;
	}
	r->allocated = 0;
	for (size_t c = 0; c < p->n_categories; c++) {
		r->cats[c].total = r->cats[c].from_reserve + r->cats[c].flowed;
		r->allocated += r->cats[c].total;
	}
}

void px_ration_result_hash(const struct px_ration_result *r, const unsigned char input[32],
			   unsigned char out[32])
{
	struct hasher h;
	h_init(&h, tag_result, sizeof(tag_result) - 1);
	h_bytes(&h, input, 32);
	for (size_t c = 0; c < r->n_categories; c++) {
		const struct px_ration_cat_result *k = &r->cats[c];
		h_be(&h, (uint64_t)k->reserve, 8);
		h_be(&h, (uint64_t)k->demand, 8);
		h_be(&h, (uint64_t)k->from_reserve, 8);
		h_be(&h, (uint64_t)k->flowed, 8);
		h_be(&h, (uint64_t)k->total, 8);
		h_be(&h, (uint64_t)k->full, 1);
		h_be(&h, (uint64_t)k->level.num, 8);
		h_be(&h, (uint64_t)k->level.den, 8);
	}
	for (size_t i = 0; i < r->n; i++) {
		uint32_t j = r->canon[i];
		h_be(&h, (uint64_t)r->alloc[j].num, 8);
		h_be(&h, (uint64_t)r->alloc[j].den, 8);
		h_be(&h, r->rank ? r->rank[j] : 0, 4);
	}
	h_final(&h, out);
}

void px_ration_result_release(struct px_ration_result *r)
{
	if (r->cats)
		for (size_t c = 0; c < r->n_categories; c++)
			free(r->cats[c].order);
	free(r->cats);
	free(r->alloc);
	free(r->rank);
	free(r->canon);
	memset(r, 0, sizeof(*r));
}

int px_ration_run(const struct px_ration_good *g, const unsigned char round_seed[32],
		  struct px_ration_result *r, struct px_error *err)
{
	const struct px_ration_policy *p = &g->policy;
	size_t start[PX_RATION_MAX_CATEGORIES + 1];
	uint32_t *bl = NULL, *bc = NULL, *pos = NULL;
	struct kv *d = NULL;
	int rc;
	memset(r, 0, sizeof(*r));
	rc = validate(g, err);
	if (rc)
		return rc;
	d = px_mallocarray(g->n, sizeof(*d));
	if (!d) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = canonical(g, d, &bl, &bc, start, err);
	if (rc)
		goto out;
	r->kind = g->kind;
	r->supply = g->supply;
	r->n = g->n;
	r->n_categories = p->n_categories;
	r->cats = calloc(p->n_categories, sizeof(*r->cats));
	r->alloc = px_mallocarray(g->n, sizeof(*r->alloc));
	if (g->kind == PX_RATION_UNITS) {
		r->rank = px_mallocarray(g->n, sizeof(*r->rank));
		pos = px_mallocarray(g->n, sizeof(*pos));
	}
	if (!r->cats || !r->alloc || (g->kind == PX_RATION_UNITS && (!r->rank || !pos))) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (size_t c = 0; c < p->n_categories; c++) {
		int64_t sum = 0; /* validate() bounded it */
		for (size_t i = start[c]; i < start[c + 1]; i++)
			sum += capped(p, &g->requests[bc[i]]);
		r->cats[c].demand = sum;
		r->cats[c].n = start[c + 1] - start[c];
	}
	totals(g, r);
	for (size_t c = 0; c < p->n_categories; c++) {
		struct px_ration_cat_result *k = &r->cats[c];
		const uint32_t *grp = bc + start[c];
		if (g->kind == PX_RATION_DIVISIBLE) {
			for (size_t i = 0; i < k->n; i++)
				d[i].k = (uint64_t)capped(p, &g->requests[grp[i]]);
			water_level(d, k->n, k->total, k);
			for (size_t i = 0; i < k->n; i++) {
				int64_t a = capped(p, &g->requests[grp[i]]);
				struct px_ration_q *o = &r->alloc[grp[i]];
				if (k->full || (u128)a * (u128)k->level.den <= (u128)k->level.num) {
					o->num = a;
					o->den = 1;
				} else {
					*o = k->level;
				}
			}
			continue;
		}
		unsigned char seed[32];
		k->level.den = 1;
		k->full = k->total == k->demand;
		k->order = px_mallocarray(k->n, sizeof(*k->order));
		if (!k->order) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		px_ration_order_seed(round_seed, g->id, (uint32_t)c, seed);
		rc = px_draw_rank(seed, k->n, k->n, pos, err);
		sodium_memzero(seed, sizeof(seed));
		if (rc)
			goto out;
		int64_t rem = k->total;
		for (size_t i = 0; i < k->n; i++) {
			uint32_t j = grp[pos[i]];
			int64_t a = capped(p, &g->requests[j]);
			int64_t give = a < rem ? a : rem;
			rem -= give;
			k->order[i] = j;
			r->alloc[j].num = give;
			r->alloc[j].den = 1;
			r->rank[j] = (uint32_t)(i + 1);
		}
	}
	r->canon = bc;
	bc = NULL;
out:
	if (rc)
		px_ration_result_release(r);
	free(bl);
	free(bc);
	free(pos);
	free(d);
	return rc;
}
