/*
 * tally_meek.c: STV by Meek's method, as the Proportional Representation
 * Foundation's reference Meek rule states it, at nine decimal places.
 *
 * Every hopeful candidate keeps all of each vote reaching them (keep
 * factor 1); every elected candidate keeps only the part that brings them
 * to the quota and passes the rest on; excluded candidates keep nothing.
 * Keep factors are iterated until the total surplus is below omega
 * (0.000001) or stops falling; then the lowest candidate is defeated,
 * with every candidate within the total surplus of the lowest counted as
 * tied with it, a lot deciding.
 *
 * Arithmetic (reference rule, step B.2): a ballot's share kept by a
 * candidate is w x kf rounded up to 9 places; the quota is the votes over
 * seats + 1 truncated, plus 10^-9; a new keep factor is kf x q rounded up,
 * divided by the vote, rounded up. Values are integers in units of 10^-9,
 * products in 128 bits.
 *
 * Equal rankings (an extension; the reference rule has none): a ballot
 * reaching a group of equally ranked candidates splits its remaining
 * weight evenly between them (the odd units pass on), each keeps its keep
 * factor's share of its part and the rest continues down the ballot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "i18n.h"
#include "tally.h"
#include "banned.h"

__extension__ typedef unsigned __int128 u128;

#define MEEK_UNIT 1000000000LL
#define MEEK_OMEGA 1000LL /* 0.000001 */
#define MEEK_MAX_ITER 100000

struct meek {
	const struct ballot_set *bs;
	struct tally_result *r;
	size_t n;
	unsigned char *state;
	int64_t *kf, *votes, exhausted, quota;
	size_t *out_order, nout, round;
};

static int64_t mul_up(int64_t a, int64_t b)
{
	u128 p = (u128)a * (u128)b;
	return (int64_t)((p + MEEK_UNIT - 1) / MEEK_UNIT);
}

static void distribute(struct meek *m)
{
	const struct ballot_set *bs = m->bs;
	memset(m->votes, 0, m->n * sizeof(*m->votes));
	m->exhausted = 0;
	for (size_t b = 0; b < bs->n; b++) {
		int64_t w = MEEK_UNIT, W = (int64_t)bs->weight[b];
		size_t e = bs->off[b], end = bs->off[b + 1];
		while (e < end && w > 0) {
			size_t f = e;
			while (f < end && bs->level[f] == bs->level[e])
				f++;
			if (f - e == 1) {
				size_t c = bs->cand[e];
				int64_t keep = mul_up(w, m->kf[c]);
				m->votes[c] += W * keep;
				w -= keep;
			} else {
				int64_t k = (int64_t)(f - e), share = w / k;
				int64_t pass = w - share * k;
				for (size_t g = e; g < f; g++) {
					size_t c = bs->cand[g];
					int64_t keep = mul_up(share, m->kf[c]);
					m->votes[c] += W * keep;
					pass += share - keep;
				}
				w = pass;
			}
			e = f;
		}
		m->exhausted += W * w;
	}
	int64_t sum = 0;
	for (size_t c = 0; c < m->n; c++)
		sum += m->votes[c];
	m->quota = sum / (int64_t)(m->r->seats + 1) + 1;
}

static int record(struct meek *m, enum tally_word code, const char *names,
		  size_t iters)
{
	struct tally_words label;
	m->round++;
	if (tally_words_set(&label, code, (long long)m->round, (long long)iters, names))
		return PX_E_INTERNAL;
	return tally_add_round(m->r, &label, m->votes, m->state, m->exhausted,
			       m->quota);
}

static size_t count_state(const struct meek *m, int st)
{
	size_t k = 0;
	for (size_t c = 0; c < m->n; c++)
		k += m->state[c] == st;
	return k;
}

/* Elect hopefuls at or over the quota, highest vote first. */
static size_t find_winners(struct meek *m, char *what, size_t size)
{
	size_t k = 0, len = strlen(what);
	for (;;) {
		size_t best = SIZE_MAX;
		for (size_t c = 0; c < m->n; c++)
			if (m->state[c] == T_HOPEFUL && m->votes[c] >= m->quota &&
			    (best == SIZE_MAX || m->votes[c] > m->votes[best]))
				best = c;
		if (best == SIZE_MAX || m->r->nelected == m->r->seats)
			return k;
		m->state[best] = T_ELECTED;
		m->r->elected[m->r->nelected++] = best;
		int w = snprintf(what + len, size - len, "%s%s", k ? ", " : "",
				 m->bs->names[best]);
		if (w > 0 && (size_t)w < size - len)
			len += (size_t)w;
		k++;
	}
}

int tally_stv_meek(const struct ballot_set *bs, const struct tally_opts *o,
		   struct tally_result *r, struct px_error *err)
{
	struct meek m = { .bs = bs, .r = r, .n = bs->ncand };
	size_t *set = px_mallocarray(bs->ncand, sizeof(*set)), iters = 0;
	int rc = PX_E_NOMEM;
	char what[128];
	(void)o;

	m.state = calloc(m.n, 1);
	m.kf = calloc(m.n, sizeof(*m.kf));
	m.votes = calloc(m.n, sizeof(*m.votes));
	m.out_order = calloc(m.n, sizeof(*m.out_order));
	if (!set || !m.state || !m.kf || !m.votes || !m.out_order)
		goto out;
	r->decimals = 9;
	for (size_t c = 0; c < m.n; c++) {
		m.state[c] = bs->withdrawn[c] ? T_WITHDRAWN : T_HOPEFUL;
		m.kf[c] = bs->withdrawn[c] ? 0 : MEEK_UNIT;
	}
	distribute(&m);
	r->quota = m.quota;
	struct tally_words first;
	if ((rc = tally_words_set(&first, TW_FIRST_PREFERENCES) ? PX_E_INTERNAL
		  : tally_add_round(r, &first, m.votes, m.state, m.exhausted, m.quota)))
		goto out;
	/* B.1: count complete when seats are filled or cannot be contested. */
	while (r->nelected < r->seats &&
	       r->nelected + count_state(&m, T_HOPEFUL) > r->seats) {
		int64_t prev = -1, surplus = 0;
		size_t elected = 0;
		iters = 0;
		what[0] = '\0';
		for (;;) {
			if ((rc = tally_work(r, (uint64_t)bs->n + m.n)))
				goto out;
			distribute(&m);
			iters++;
			elected = find_winners(&m, what, sizeof(what));
			surplus = 0;
			for (size_t c = 0; c < m.n; c++)
				if (m.state[c] == T_ELECTED)
					surplus += m.votes[c] - m.quota;
			if (surplus < 0)
				surplus = 0;
			if (elected || surplus < MEEK_OMEGA ||
			    (prev >= 0 && surplus >= prev) ||
			    iters >= MEEK_MAX_ITER)
				break;
			prev = surplus;
			for (size_t c = 0; c < m.n; c++)
				if (m.state[c] == T_ELECTED) {
					int64_t t = mul_up(m.kf[c], m.quota);
					m.kf[c] = (int64_t)(((u128)t * MEEK_UNIT +
							     (u128)m.votes[c] - 1) /
							    (u128)m.votes[c]);
				}
		}
		if (iters >= MEEK_MAX_ITER)
			tally_note(r, TW_MEEK_STOPPED, (long long)(m.round + 1),
				   (long long)MEEK_MAX_ITER);
		if (elected) {
			if ((rc = record(&m, TW_MEEK_ELECTED, what, iters)))
				goto out;
			continue;
		}
		if (r->nelected + count_state(&m, T_HOPEFUL) <= r->seats)
			break;
		/* B.3: defeat the lowest; those within the surplus tie. */
		size_t low = SIZE_MAX, nt = 0;
		for (size_t c = 0; c < m.n; c++)
			if (m.state[c] == T_HOPEFUL &&
			    (low == SIZE_MAX || m.votes[c] < m.votes[low]))
				low = c;
		for (size_t c = 0; c < m.n; c++)
			if (m.state[c] == T_HOPEFUL &&
			    m.votes[c] < m.votes[low] + surplus + (c == low))
				set[nt++] = c;
		if (nt > 1)
			low = tally_pick(r, bs, set, nt, 1, N_("defeat"));
		m.state[low] = T_EXCLUDED;
		m.kf[low] = 0;
		m.out_order[m.nout++] = low;
		if ((rc = record(&m, TW_MEEK_DEFEATED, bs->names[low], iters)))
			goto out;
	}
	/* C: fill the seats left with the hopefuls, highest first, or defeat
	 * them. */
	while (r->nelected < r->seats) {
		size_t best = SIZE_MAX;
		for (size_t c = 0; c < m.n; c++)
			if (m.state[c] == T_HOPEFUL &&
			    (best == SIZE_MAX || m.votes[c] > m.votes[best]))
				best = c;
		if (best == SIZE_MAX)
			break;
		m.state[best] = T_ELECTED;
		r->elected[r->nelected++] = best;
	}
	if (r->nrounds)
		memcpy(r->rounds[r->nrounds - 1].state, m.state, m.n);
	for (;;) {
		size_t low = SIZE_MAX;
		for (size_t c = 0; c < m.n; c++)
			if (m.state[c] == T_HOPEFUL &&
			    (low == SIZE_MAX || m.votes[c] < m.votes[low]))
				low = c;
		if (low == SIZE_MAX)
			break;
		m.state[low] = T_EXCLUDED;
		m.out_order[m.nout++] = low;
	}
	size_t k = 0;
	for (size_t i = 0; i < r->nelected; i++, k++) {
		r->ranking[k] = r->elected[i];
		r->rank_level[k] = k;
	}
	for (size_t i = m.nout; i-- > 0; k++) {
		r->ranking[k] = m.out_order[i];
		r->rank_level[k] = k;
	}
	r->nranking = k;
	r->quota = m.quota;
	(void)err;
	rc = 0;
out:
	free(set);
	free(m.state);
	free(m.kf);
	free(m.votes);
	free(m.out_order);
	return rc;
}
