/*
 * probserial.c: the eating algorithm of probserial.h, event by event in
 * exact fractions.
 *
 * Between two events the set of people eating each alternative is fixed,
 * so alternative j, with e_j eaters and r_j left, runs out after r_j / e_j.
 * The next event is the earliest such time or the end of the clock (1);
 * everyone eating adds that span to their share, each alternative loses
 * e_j times it, and those whose alternative ran out move down their list.
 * Every event but the last exhausts at least one alternative, so there
 * are at most n_goods + 1 events, each O(n_agents + n_goods).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "errors.h"
#include "probserial.h"
#include "randstream.h"
#include "banned.h"

__extension__ typedef unsigned __int128 u128;

/* A non-negative fraction n/d in lowest terms, d >= 1. An operation whose
 * result does not fit sets *overflow and leaves garbage, checked after
 * every event. */
struct q {
	u128 n, d;
};

static u128 gcd(u128 a, u128 b)
{
	while (b) {
		u128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static struct q mk(u128 n, u128 d)
{
	if (d == 0) /* only after an overflow, which the caller reports */
		d = 1;
	u128 g = gcd(n, d);
	struct q r = { n / g, d / g };
	if (n == 0)
		r.d = 1;
	return r;
}

static u128 mul(u128 a, u128 b, int *overflow)
{
	u128 r;
	if (__builtin_mul_overflow(a, b, &r))
		*overflow = 1;
	return r;
}

static struct q add(struct q a, struct q b, int *ov)
{
	u128 g = gcd(a.d, b.d);
	u128 d = mul(a.d / g, b.d, ov);
	u128 x = mul(a.n, b.d / g, ov), y = mul(b.n, a.d / g, ov), s;
	if (__builtin_add_overflow(x, y, &s))
		*ov = 1;
	return mk(s, d);
}

/* a - b, for a >= b */
static struct q sub(struct q a, struct q b, int *ov)
{
	u128 g = gcd(a.d, b.d);
	u128 d = mul(a.d / g, b.d, ov);
	u128 x = mul(a.n, b.d / g, ov), y = mul(b.n, a.d / g, ov);
	return mk(x - y, d);
}

static struct q scale(struct q a, u128 k, int *ov)
{
	u128 g = gcd(k, a.d);
	return mk(mul(a.n, k / g, ov), a.d / g);
}

static struct q divide(struct q a, u128 k, int *ov)
{
	u128 g = gcd(a.n, k);
	return mk(a.n / (g ? g : 1), mul(a.d, k / (g ? g : 1), ov));
}

/* a < b */
static int less(struct q a, struct q b, int *ov)
{
	return mul(a.n, b.d, ov) < mul(b.n, a.d, ov);
}

static int validate(const struct px_ps_agent *agents, size_t n_agents,
		    const int64_t *supply, size_t n_goods, uint32_t *stamp,
		    struct px_error *err)
{
	for (size_t j = 0; j < n_goods; j++)
		if (supply[j] < 0 || supply[j] > (INT64_C(1) << 32))
			return px_fail(err, PX_E_OUT_OF_RANGE, "supply",
				       "alternative %zu: a supply is a count from 0 to 2^32", j + 1);
	for (size_t i = 0; i < n_agents; i++) {
		const struct px_ps_agent *a = &agents[i];
		if (a->n_ranked && !a->ranked)
			return px_fail(err, PX_E_BAD_INPUT, "ranked",
				       "person %zu: no list of alternatives", i + 1);
		for (size_t k = 0; k < a->n_ranked; k++) {
			uint32_t j = a->ranked[k];
			if (j >= n_goods || stamp[j] == i + 1)
				return px_fail(err, PX_E_BAD_INPUT, "ranked",
					       "person %zu ranks an alternative that does not exist, or one twice",
					       i + 1);
			stamp[j] = (uint32_t)(i + 1);
		}
	}
	return 0;
}

int px_ps_eat(const struct px_ps_agent *agents, size_t n_agents,
	      const int64_t *supply, size_t n_goods, struct px_ration_q *out,
	      struct px_error *err)
{
	if (n_agents > PX_PS_MAX_AGENTS || (n_agents && !agents))
		return px_fail(err, PX_E_OUT_OF_RANGE, "agents",
			       "probabilistic serial takes at most %d people", PX_PS_MAX_AGENTS);
	if (n_goods > PX_PS_MAX_GOODS || (n_goods && !supply))
		return px_fail(err, PX_E_OUT_OF_RANGE, "goods",
			       "probabilistic serial takes at most %d alternatives", PX_PS_MAX_GOODS);
	size_t total = 0;
	for (size_t i = 0; i < n_agents; i++) {
		if (agents[i].n_ranked > n_goods)
			return px_fail(err, PX_E_BAD_INPUT, "ranked",
				       "person %zu ranks more alternatives than there are", i + 1);
		total += agents[i].n_ranked;
	}
	uint32_t *stamp = calloc(n_goods ? n_goods : 1, sizeof(*stamp));
	size_t *off = px_mallocarray(n_agents, sizeof(*off));
	size_t *at = px_mallocarray(n_agents, sizeof(*at));
	struct q *rem = px_mallocarray(n_goods, sizeof(*rem));
	struct q *sh = px_mallocarray(total, sizeof(*sh));
	u128 *eaters = px_mallocarray(n_goods, sizeof(*eaters));
	int rc = 0, ov = 0;
	if (!stamp || !off || !at || !rem || !sh || !eaters) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = validate(agents, n_agents, supply, n_goods, stamp, err);
	if (rc)
		goto out;
	for (size_t j = 0; j < n_goods; j++)
		rem[j] = mk((u128)supply[j], 1);
	for (size_t i = 0, o = 0; i < n_agents; i++) {
		off[i] = o;
		at[i] = 0;
		for (size_t k = 0; k < agents[i].n_ranked; k++)
			sh[o + k] = mk(0, 1);
		o += agents[i].n_ranked;
	}
	struct q t = mk(0, 1);
	for (;;) {
		/* Move everyone to the best alternative they ranked with some left. */
		for (size_t j = 0; j < n_goods; j++)
			eaters[j] = 0;
		size_t eating = 0;
		for (size_t i = 0; i < n_agents; i++) {
			const struct px_ps_agent *a = &agents[i];
			while (at[i] < a->n_ranked && rem[a->ranked[at[i]]].n == 0)
				at[i]++;
			if (at[i] < a->n_ranked) {
				eaters[a->ranked[at[i]]]++;
				eating++;
			}
		}
		if (!eating)
			break;
		struct q span = sub(mk(1, 1), t, &ov);
		for (size_t j = 0; j < n_goods; j++) {
			if (!eaters[j])
				continue;
			struct q until = divide(rem[j], eaters[j], &ov);
			if (less(until, span, &ov))
				span = until;
		}
		for (size_t i = 0; i < n_agents; i++)
			if (at[i] < agents[i].n_ranked)
				sh[off[i] + at[i]] = add(sh[off[i] + at[i]], span, &ov);
		for (size_t j = 0; j < n_goods; j++)
			if (eaters[j])
				rem[j] = sub(rem[j], scale(span, eaters[j], &ov), &ov);
		t = add(t, span, &ov);
		if (ov)
			break;
		if (t.n == t.d)
			break;
	}
	if (ov) {
		rc = px_fail(err, PX_E_OUT_OF_RANGE, "agents",
			     "the shares of this instance need fractions larger than 128 bits");
		goto out;
	}
	for (size_t i = 0; i < n_agents; i++)
		for (size_t k = 0; k < agents[i].n_ranked; k++) {
			struct q s = sh[off[i] + k];
			if (s.n > (u128)INT64_MAX || s.d > (u128)INT64_MAX) {
				rc = px_fail(err, PX_E_OUT_OF_RANGE, "agents",
					     "a share of this instance needs a fraction larger than 64 bits");
				goto out;
			}
		}
	for (size_t i = 0; i < n_agents; i++)
		for (size_t k = 0; k < agents[i].n_ranked; k++) {
			struct q s = sh[off[i] + k];
			out[off[i] + k].num = (int64_t)s.n;
			out[off[i] + k].den = (int64_t)s.d;
		}
out:
	free(stamp);
	free(off);
	free(at);
	free(rem);
	free(sh);
	free(eaters);
	return rc;
}

/* ---- drawing an assignment with the shares as its probabilities ---- */

struct edge {
	uint32_t a, b;  /* vertices: person a, alternative n_agents + j */
	uint64_t x;     /* the share, over the common denominator L */
};

static int fractional(const struct edge *e, uint64_t L)
{
	return e->x != 0 && e->x != L;
}

/* The first fractional edge at v other than skip, or -1. */
static int64_t next_edge(const struct edge *e, const size_t *adj_start,
			 const uint32_t *adj, uint32_t v, int64_t skip, uint64_t L)
{
	for (size_t k = adj_start[v]; k < adj_start[v + 1]; k++)
		if ((int64_t)adj[k] != skip && fractional(&e[adj[k]], L))
			return adj[k];
	return -1;
}

/*
 * From v, follow fractional edges, never straight back, until a vertex
 * repeats (a cycle: the edges from its first visit on go to path) or no
 * edge is left (*dead is the last vertex; path is the whole walk).
 * Returns the number of edges in path. where[] is -1 for every vertex on
 * entry and on return.
 */
static size_t walk(const struct edge *e, const size_t *adj_start, const uint32_t *adj,
		   uint32_t v, uint64_t L, uint32_t *verts, uint32_t *path,
		   int64_t *where, uint32_t *dead, int *cycle)
{
	size_t nv = 0, ne = 0, first = 0;
	int64_t prev = -1;
	*cycle = 0;
	verts[nv] = v;
	where[v] = (int64_t)nv++;
	for (;;) {
		int64_t k = next_edge(e, adj_start, adj, v, prev, L);
		if (k < 0) {
			*dead = v;
			break;
		}
		uint32_t w = e[k].a == v ? e[k].b : e[k].a;
		path[ne++] = (uint32_t)k;
		if (where[w] >= 0) {
			*cycle = 1;
			first = (size_t)where[w]; /* the edge leaving verts[first] */
			break;
		}
		verts[nv] = w;
		where[w] = (int64_t)nv++;
		prev = k;
		v = w;
	}
	for (size_t i = 0; i < nv; i++)
		where[verts[i]] = -1;
	if (first) {
		memmove(path, path + first, (ne - first) * sizeof(*path));
		ne -= first;
	}
	return ne;
}

int px_ps_draw(const struct px_ps_agent *agents, size_t n_agents,
	       const int64_t *supply, size_t n_goods, const struct px_ration_q *shares,
	       const unsigned char seed[32], int64_t *assigned, struct px_error *err)
{
	if (n_agents > PX_PS_MAX_AGENTS || (n_agents && !agents))
		return px_fail(err, PX_E_OUT_OF_RANGE, "agents",
			       "probabilistic serial takes at most %d people", PX_PS_MAX_AGENTS);
	if (n_goods > PX_PS_MAX_GOODS || (n_goods && !supply))
		return px_fail(err, PX_E_OUT_OF_RANGE, "goods",
			       "probabilistic serial takes at most %d alternatives", PX_PS_MAX_GOODS);
	size_t total = 0, nv = n_agents + n_goods;
	for (size_t i = 0; i < n_agents; i++) {
		if (agents[i].n_ranked > n_goods)
			return px_fail(err, PX_E_BAD_INPUT, "ranked",
				       "person %zu ranks more alternatives than there are", i + 1);
		total += agents[i].n_ranked;
	}
	uint32_t *stamp = calloc(n_goods ? n_goods : 1, sizeof(*stamp));
	struct edge *e = px_mallocarray(total, sizeof(*e));
	size_t *adj_start = calloc(nv + 1, sizeof(*adj_start));
	uint32_t *adj = px_mallocarray(2 * total, sizeof(*adj));
	uint32_t *verts = px_mallocarray(nv, sizeof(*verts));
	uint32_t *path = px_mallocarray(nv + 1, sizeof(*path));
	int64_t *where = px_mallocarray(nv, sizeof(*where));
	u128 *col = calloc(n_goods ? n_goods : 1, sizeof(*col));
	struct px_stream s;
	int rc = 0;
	px_stream_init(&s, seed);
	if (!stamp || !e || !adj_start || !adj || !verts || !path || !where || !col) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	rc = validate(agents, n_agents, supply, n_goods, stamp, err);
	if (rc)
		goto out;
	/* The common denominator, and every share over it. */
	uint64_t L = 1;
	for (size_t k = 0; k < total; k++) {
		if (shares[k].num < 0 || shares[k].den < 1 || shares[k].num > shares[k].den) {
			rc = px_fail(err, PX_E_BAD_INPUT, "shares", "a share is a fraction from 0 to 1");
			goto out;
		}
		uint64_t d = (uint64_t)shares[k].den, g = (uint64_t)gcd(L, d);
		u128 l = (u128)(L / g) * d;
		if (l > ((u128)1 << 62)) {
			rc = px_fail(err, PX_E_OUT_OF_RANGE, "shares",
				     "the shares' common denominator is larger than 2^62");
			goto out;
		}
		L = (uint64_t)l;
	}
	size_t ne = 0;
	for (size_t i = 0, o = 0; i < n_agents; i++) {
		u128 row = 0;
		for (size_t k = 0; k < agents[i].n_ranked; k++, o++) {
			if (shares[o].num == 0)
				continue;
			uint64_t x = (uint64_t)shares[o].num * (L / (uint64_t)shares[o].den);
			uint32_t j = agents[i].ranked[k];
			e[ne++] = (struct edge){ (uint32_t)i, (uint32_t)(n_agents + j), x };
			row += x;
			col[j] += x;
		}
		if (row > L) {
			rc = px_fail(err, PX_E_BAD_INPUT, "shares",
				     "person %zu's shares sum to more than 1", i + 1);
			goto out;
		}
	}
	for (size_t j = 0; j < n_goods; j++)
		if (col[j] > (u128)supply[j] * L) {
			rc = px_fail(err, PX_E_BAD_INPUT, "shares",
				     "alternative %zu is shared out beyond its supply", j + 1);
			goto out;
		}
	/* Each vertex's edges, in the order of the edges. */
	for (size_t k = 0; k < ne; k++) {
		adj_start[e[k].a + 1]++;
		adj_start[e[k].b + 1]++;
	}
	for (size_t v = 1; v <= nv; v++)
		adj_start[v] += adj_start[v - 1];
	for (size_t v = 0; v < nv; v++)
		where[v] = (int64_t)adj_start[v]; /* a fill cursor, for now */
	for (size_t k = 0; k < ne; k++) {
		adj[where[e[k].a]++] = (uint32_t)k;
		adj[where[e[k].b]++] = (uint32_t)k;
	}
	for (size_t v = 0; v < nv; v++)
		where[v] = -1;
	/* Round: the first vertex with a fractional edge; the walk from it,
	 * and if it ends on a dead end, the walk from that end, so the
	 * edges changed are a cycle or a maximal path. */
	for (uint32_t v = 0; v < nv;) {
		if (next_edge(e, adj_start, adj, v, -1, L) < 0) {
			v++;
			continue;
		}
		uint32_t dead;
		int cycle;
		size_t len = walk(e, adj_start, adj, v, L, verts, path, where, &dead, &cycle);
		if (!cycle)
			len = walk(e, adj_start, adj, dead, L, verts, path, where, &dead, &cycle);
		/* even edges of the walk one way, odd ones the other */
		uint64_t alpha = UINT64_MAX, beta = UINT64_MAX;
		for (size_t k = 0; k < len; k++) {
			uint64_t x = e[path[k]].x, up = k % 2 ? x : L - x, down = k % 2 ? L - x : x;
			alpha = up < alpha ? up : alpha;
			beta = down < beta ? down : beta;
		}
		/* +alpha on the even edges with probability beta / (alpha + beta),
		 * -beta otherwise: every share's expectation is unchanged */
		int raise = px_stream_below(&s, alpha + beta) < beta;
		for (size_t k = 0; k < len; k++) {
			struct edge *x = &e[path[k]];
			if ((k % 2 == 0) == raise)
				x->x += raise ? alpha : beta;
			else
				x->x -= raise ? alpha : beta;
		}
	}
	for (size_t i = 0; i < n_agents; i++)
		assigned[i] = -1;
	for (size_t k = 0; k < ne; k++)
		if (e[k].x == L)
			assigned[e[k].a] = (int64_t)(e[k].b - n_agents);
out:
	sodium_memzero(&s, sizeof(s));
	free(stamp);
	free(e);
	free(adj_start);
	free(adj);
	free(verts);
	free(path);
	free(where);
	free(col);
	return rc;
}
