/*
 * tally_condorcet.c: the pairwise methods. Schulze (winning votes) gives a
 * full ranking in which candidates the method cannot separate share a
 * level; the Debian method follows the Debian constitution, appendix A.6
 * (v1.1 onwards): quorum, a majority ratio against the default option,
 * then Cloneproof Schwartz Sequential Dropping.
 *
 * Invariants: d[a*n+b] counts the weight of ballots ranking a strictly
 * above b, unranked candidates being below all ranked ones and equal among
 * themselves; every count is a whole number of ballots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "i18n.h"
#include "tally.h"
#include "banned.h"

/* The work of tally_pairwise and of the paths after it (tally.h): each
 * ballot's entries against the candidates, each ballot's pass over the
 * candidates, and the n^3 of the paths. */
static uint64_t pairwise_work(const struct ballot_set *bs)
{
	uint64_t n = bs->ncand;
	return ((uint64_t)bs->off[bs->n] + bs->n) * n + n * n * n;
}

int tally_pairwise(const struct ballot_set *bs, int64_t *d)
{
	size_t n = bs->ncand;
	uint32_t *mark = calloc(n, sizeof(*mark));
	uint16_t *unranked = px_mallocarray(n, sizeof(*unranked));
	if (!mark || !unranked) {
		free(mark);
		free(unranked);
		return PX_E_NOMEM;
	}
	memset(d, 0, n * n * sizeof(*d));
	for (size_t b = 0; b < bs->n; b++) {
		size_t s = bs->off[b], end = bs->off[b + 1], nu = 0;
		int64_t w = (int64_t)bs->weight[b];
		uint32_t stamp = (uint32_t)b + 1;
		for (size_t e = s; e < end; e++)
			mark[bs->cand[e]] = stamp;
		for (size_t c = 0; c < n; c++)
			if (mark[c] != stamp)
				unranked[nu++] = (uint16_t)c;
		for (size_t e = s; e < end; e++) {
			int64_t *row = d + (size_t)bs->cand[e] * n;
			size_t f = e + 1;
			while (f < end && bs->level[f] == bs->level[e])
				f++;
			for (; f < end; f++)
				row[bs->cand[f]] += w;
			for (size_t u = 0; u < nu; u++)
				row[unranked[u]] += w;
		}
	}
	free(mark);
	free(unranked);
	return 0;
}

/* Strongest paths by winning votes over the candidates with live[c]. */
static void strongest_paths(size_t n, const int64_t *d,
			    const unsigned char *live, int64_t *p)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			p[i * n + j] = (i != j && live[i] && live[j] &&
					d[i * n + j] > d[j * n + i])
					       ? d[i * n + j] : 0;
	for (size_t k = 0; k < n; k++) {
		if (!live[k])
			continue;
		for (size_t i = 0; i < n; i++) {
			int64_t pik = p[i * n + k];
			if (i == k || !live[i] || !pik)
				continue;
			for (size_t j = 0; j < n; j++) {
				int64_t via = p[k * n + j] < pik ? p[k * n + j]
								 : pik;
				if (j != i && j != k && via > p[i * n + j])
					p[i * n + j] = via;
			}
		}
	}
}

int tally_schulze(const struct ballot_set *bs, const struct tally_opts *o,
		  struct tally_result *r, struct px_error *err)
{
	size_t n = bs->ncand, layer = 0, left = 0;
	unsigned char *live = malloc(n), *done = calloc(n, 1);
	int64_t *score = calloc(n, sizeof(*score));
	int rc = PX_E_NOMEM;
	(void)o;
	(void)err;
	r->pairwise = px_mallocarray2(n, n, sizeof(*r->pairwise));
	r->paths = px_mallocarray2(n, n, sizeof(*r->paths));
	if (!live || !done || !score || !r->pairwise || !r->paths)
		goto out;
	for (size_t c = 0; c < n; c++) {
		live[c] = !bs->withdrawn[c];
		left += live[c];
	}
	/* the pairs of every ballot, then Floyd-Warshall's triples */
	if ((rc = tally_work(r, pairwise_work(bs))) ||
	    (rc = tally_pairwise(bs, r->pairwise)))
		goto out;
	strongest_paths(n, r->pairwise, live, r->paths);
	/* Peel layers: those beaten by no remaining candidate come next. */
	while (left) {
		size_t taken = 0;
		for (size_t i = 0; i < n; i++) {
			int beaten = 0;
			if (!live[i] || done[i])
				continue;
			for (size_t j = 0; j < n && !beaten; j++)
				beaten = live[j] && done[j] != 1 && j != i &&
					 r->paths[j * n + i] > r->paths[i * n + j];
			if (!beaten) {
				score[i] = -(int64_t)layer;
				done[i] = 2; /* taken in this layer */
				taken++;
			}
		}
		for (size_t i = 0; i < n; i++)
			if (done[i] == 2)
				done[i] = 1;
		left -= taken;
		layer++;
	}
	struct tally_words w;
	if ((rc = tally_words_set(&w, TW_WINS) ? PX_E_INTERNAL
		  : tally_add_round(r, &w, NULL, NULL, -1, -1)))
		goto out;
	rc = tally_rank_by_score(r, bs, score);
	for (size_t i = 1; !rc && i < r->nranking; i++)
		if (r->rank_level[i] == r->rank_level[i - 1])
			rc = tally_note(r, TW_PATH_TIE,
					bs->names[r->ranking[i - 1]],
					bs->names[r->ranking[i]]);
out:
	free(live);
	free(done);
	free(score);
	return rc;
}

/* V >= R exactly, R a decimal string: since V is whole, V >= ceil(R). */
static int parse_quorum(const char *s, int64_t *ceil_r)
{
	int64_t whole = 0;
	int frac = 0, digits = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (whole > (INT64_MAX - 9) / 10)
			return PX_E_OUT_OF_RANGE;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			frac |= *p != '0';
	if (*p || !digits)
		return PX_E_BAD_INPUT;
	*ceil_r = whole + frac;
	return 0;
}

/* Does defeat (a,x) count as weaker than (b,y)? (A.6(7)(a)) */
static int weaker(const int64_t *d, size_t n, size_t a, size_t x, size_t b,
		  size_t y)
{
	if (d[a * n + x] != d[b * n + y])
		return d[a * n + x] < d[b * n + y];
	return d[x * n + a] > d[y * n + b];
}

static void transitive(size_t n, const unsigned char *live,
		       const unsigned char *defeat, unsigned char *t)
{
	memcpy(t, defeat, n * n);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; live[k] && i < n; i++)
			if (live[i] && t[i * n + k])
				for (size_t j = 0; j < n; j++)
					t[i * n + j] |= t[k * n + j];
}

static int debian_rules(const struct ballot_set *bs, const struct tally_opts *o)
{
	if (o->rules)
		return o->rules;
	return bs->meta.rules == 16 ? 16 : bs->meta.rules ? 11 : 16;
}

static int schwartz_round(struct tally_result *r, const struct ballot_set *bs,
			  const unsigned char *in, const struct tally_words *label)
{
	unsigned char *st = malloc(bs->ncand);
	int rc;
	if (!st)
		return PX_E_NOMEM;
	for (size_t c = 0; c < bs->ncand; c++)
		st[c] = in[c] ? T_HOPEFUL : T_EXCLUDED;
	rc = tally_add_round(r, label, NULL, st, -1, -1);
	free(st);
	return rc;
}

int tally_debian(const struct ballot_set *bs, const struct tally_opts *o,
		 struct tally_result *r, struct px_error *err)
{
	size_t n = bs->ncand, def;
	int rules = debian_rules(bs, o), rc = PX_E_NOMEM;
	int64_t quorum = -1;
	const char *qs = o->quorum && *o->quorum ? o->quorum : bs->meta.quorum;
	uint32_t *ratio = calloc(n, sizeof(*ratio));
	unsigned char *live = malloc(n), *defeat = px_callocarray2(n, n, 1);
	unsigned char *t = px_mallocarray2(n, n, 1), *in = malloc(n);
	int64_t *v = calloc(n, sizeof(*v));
	const int64_t *d;
	struct tally_words label;

	if (!ratio || !live || !defeat || !t || !in || !v)
		goto out;
	def = o->default_option ? o->default_option - 1
	      : bs->meta.default_option ? bs->meta.default_option - 1 : n - 1;
	if (def >= n) {
		rc = px_fail(err, PX_E_TALLY_INPUT, "default",
			     "the default option %zu is not one of the %zu "
			     "options", def + 1, n);
		goto out;
	}
	if (*qs && parse_quorum(qs, &quorum)) {
		rc = px_fail(err, PX_E_TALLY_INPUT, "quorum",
			     "quorum '%s' is not a decimal number", qs);
		goto out;
	}
	for (size_t c = 0; c < n; c++)
		ratio[c] = 1;
	for (size_t i = 0; i < bs->meta.nmajority; i++)
		ratio[bs->meta.majority[i].option] = bs->meta.majority[i].ratio;
	for (size_t i = 0; i < o->nmajority; i++) {
		if (o->majority[i].option >= n) {
			rc = px_fail(err, PX_E_TALLY_INPUT, "majority",
				     "option %u is not one of the %zu options",
				     o->majority[i].option + 1, n);
			goto out;
		}
		ratio[o->majority[i].option] = o->majority[i].ratio;
	}
	r->pairwise = px_mallocarray2(n, n, sizeof(*r->pairwise));
	if (!r->pairwise ||
	    (rc = tally_work(r, pairwise_work(bs))) ||
	    (rc = tally_pairwise(bs, r->pairwise)))
		goto out;
	d = r->pairwise;
	if (bs->meta.rules == 10)
		tally_note(r, TW_DEBIAN_V1_0);
	tally_note(r, TW_DEBIAN_DEFAULT,
		   bs->names[def], rules == 16 ? "v1.6+: V(A,D) >= N*V(D,A) and "
		   "V(A,D) > V(D,A)" : "v1.1-1.5: V(A,D) > N*V(D,A)");

	/* A.6(2) quorum and A.6(3) majority, each against the default. */
	for (size_t c = 0; c < n; c++) {
		live[c] = !bs->withdrawn[c] || c == def;
		v[c] = c == def ? 0 : d[c * n + def];
	}
	if (quorum >= 0) {
		for (size_t c = 0; c < n; c++)
			if (c != def && live[c] && d[c * n + def] < quorum) {
				live[c] = 0;
				tally_note(r, TW_QUORUM_DROP, bs->names[c],
					   (long long)d[c * n + def], qs);
			}
		if ((rc = tally_words_set(&label, TW_QUORUM_ROUND, qs) ? PX_E_INTERNAL
			  : tally_add_round(r, &label, v, NULL, -1, -1)))
			goto out;
	}
	for (size_t c = 0; c < n; c++) {
		int64_t ad = d[c * n + def], da = d[def * n + c];
		int pass;
		if (c == def || !live[c])
			continue;
		pass = rules == 16 ? ad >= (int64_t)ratio[c] * da && ad > da
				   : ad > (int64_t)ratio[c] * da;
		if (!pass) {
			live[c] = 0;
			tally_note(r, TW_MAJORITY_DROP, bs->names[c],
				   (long long)ratio[c], (long long)ad, (long long)da);
		}
	}
	if ((rc = tally_words_set(&label, TW_MAJORITY_LEFT) ? PX_E_INTERNAL
		  : schwartz_round(r, bs, live, &label)))
		goto out;

	/* A.6(4)-(8): Cloneproof Schwartz Sequential Dropping. */
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++)
			defeat[a * n + b] = live[a] && live[b] &&
					    d[a * n + b] > d[b * n + a];
	for (;;) {
		size_t wa = 0, wx = 0, ndef = 0, nin = 0;
		transitive(n, live, defeat, t);
		for (size_t a = 0; a < n; a++) {
			in[a] = live[a];
			for (size_t b = 0; b < n && in[a]; b++)
				if (live[b] && b != a && t[b * n + a] &&
				    !t[a * n + b])
					in[a] = 0;
			nin += in[a];
		}
		for (size_t a = 0; a < n; a++)
			for (size_t x = 0; x < n; x++)
				if (in[a] && in[x] && defeat[a * n + x] &&
				    (!ndef++ || weaker(d, n, a, x, wa, wx))) {
					wa = a;
					wx = x;
				}
		if (!ndef) {
			if ((rc = tally_words_set(&label, TW_SCHWARTZ_FINAL) ? PX_E_INTERNAL
				  : schwartz_round(r, bs, in, &label)))
				goto out;
			break;
		}
		/* Drop every defeat as weak as the weakest. */
		int64_t sw = d[wa * n + wx], sl = d[wx * n + wa];
		for (size_t a = 0; a < n; a++)
			for (size_t x = 0; x < n; x++)
				if (in[a] && in[x] && defeat[a * n + x] &&
				    d[a * n + x] == sw && d[x * n + a] == sl) {
					defeat[a * n + x] = 0;
					tally_note(r, TW_WEAKEST_DROP,
						   bs->names[a], bs->names[x],
						   (long long)sw, (long long)sl);
				}
		if ((rc = tally_words_set(&label, TW_SCHWARTZ_DROP, (long long)nin,
					  (long long)sw, (long long)sl) ? PX_E_INTERNAL
			  : schwartz_round(r, bs, in, &label)))
			goto out;
	}
	for (size_t c = 0; c < n; c++)
		if (in[c]) {
			r->ranking[r->nranking] = c;
			r->rank_level[r->nranking++] = 0;
		}
	if (r->nranking == 1)
		r->elected[r->nelected++] = r->ranking[0];
	else
		tally_note(r, TW_CASTING_VOTE, (long long)r->nranking);
	rc = 0;
out:
	free(ratio);
	free(live);
	free(defeat);
	free(t);
	free(in);
	free(v);
	return rc;
}
