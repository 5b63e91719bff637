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

#include "alloc.h"
#include "errors.h"
#include "probserial.h"
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
