/*
 * tally.c: the table of tally methods, the result record every method
 * fills, the seeded lot, and the three positional methods (plurality,
 * approval, Borda), which need nothing but a score per candidate.
 *
 * Invariants: a result's rounds all have ncand-long arrays when not NULL;
 * ranking lists each non-withdrawn candidate once; lots are only drawn
 * through tally_lot(), so the count of draws in the result is complete.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alloc.h"
#include "i18n.h"
#include "tally.h"
#include "banned.h"

const struct tally_method tally_methods[] = {
	{ "plurality", "first preferences; most wins", 1, tally_plurality },
	{ "approval", "every ranked candidate approved; most approvals win",
	  1, tally_approval },
	{ "borda", "a point for each candidate ranked below", 1, tally_borda },
	{ "schulze", "Schulze (winning votes), full ranking with ties", 1,
	  tally_schulze },
	{ "debian", "Debian constitution A.6: quorum, majority, CSSD", 0,
	  tally_debian },
	{ "stv-scottish", "STV, Scottish Local Government Elections Order "
	  "2007 rules 45-52", 1, tally_stv_scottish },
	{ "stv-wigm", "STV, weighted inclusive Gregory (PR Foundation "
	  "reference rule)", 1, tally_stv_wigm },
	{ "stv-meek", "STV, Meek (PR Foundation reference rule)", 1,
	  tally_stv_meek },
	{ NULL, NULL, 0, NULL },
};

const struct tally_method *tally_method_find(const char *name)
{
	for (const struct tally_method *m = tally_methods; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

int tally_result_init(struct tally_result *r, const char *method,
		      const struct ballot_set *bs, const struct tally_opts *o)
{
	const char *seed = o->seed ? o->seed : TALLY_DEFAULT_SEED;
	static const char domain[] = "pnyx tally lot v1";
	crypto_generichash_state st;

	memset(r, 0, sizeof(*r));
	sb_init(&r->notes, 1 << 20);
	r->method = method;
	r->ncand = bs->ncand;
	r->seats = o->seats ? o->seats : bs->seats ? bs->seats : 1;
	r->quota = -1;
	r->ballots = bs->total;
	r->work_max = o->work_max;
	snprintf(r->seed, sizeof(r->seed), "%s", seed);
	crypto_generichash_init(&st, NULL, 0, sizeof(r->lot_key));
	crypto_generichash_update(&st, (const unsigned char *)domain,
				  sizeof(domain));
	crypto_generichash_update(&st, (const unsigned char *)seed,
				  strlen(seed));
	crypto_generichash_final(&st, r->lot_key, sizeof(r->lot_key));
	r->lot_used = sizeof(r->lot_buf);
	r->elected = calloc(bs->ncand, sizeof(*r->elected));
	r->ranking = calloc(bs->ncand, sizeof(*r->ranking));
	r->rank_level = calloc(bs->ncand, sizeof(*r->rank_level));
	if (!r->elected || !r->ranking || !r->rank_level)
		return PX_E_NOMEM;
	return 0;
}

void tally_result_release(struct tally_result *r)
{
	for (size_t i = 0; i < r->nrounds; i++) {
		free(r->rounds[i].votes);
		free(r->rounds[i].state);
	}
	free(r->rounds);
	free(r->elected);
	free(r->ranking);
	free(r->rank_level);
	free(r->pairwise);
	free(r->paths);
	free(r->note_words);
	sb_release(&r->notes);
	memset(r, 0, sizeof(*r));
}

int tally_run(const struct tally_method *m, const struct ballot_set *bs,
	      const struct tally_opts *o, struct tally_result *r,
	      struct px_error *err)
{
	int rc = tally_result_init(r, m->name, bs, o);
	if (rc)
		return rc;
	if (!m->multi_seat && o->seats > 1)
		return px_fail(err, PX_E_TALLY_INPUT, "seats",
			       "%s fills one seat", m->name);
	if (r->seats > bs->ncand)
		return px_fail(err, PX_E_TALLY_INPUT, "seats",
			       "%zu seats but only %zu candidates", r->seats,
			       bs->ncand);
	rc = m->count(bs, o, r, err);
	if (rc == PX_E_TOO_LARGE && r->work_max && r->work > r->work_max)
		return px_fail(err, rc, "ballots", "this count needs more work than"
			       " allowed here (over %llu units; tally.h says what a"
			       " unit is)", (unsigned long long)r->work_max);
	return rc;
}

int tally_work(struct tally_result *r, uint64_t units)
{
	if (__builtin_add_overflow(r->work, units, &r->work))
		r->work = UINT64_MAX;
	return r->work_max && r->work > r->work_max ? PX_E_TOO_LARGE : 0;
}

int tally_add_round(struct tally_result *r, const struct tally_words *w,
		    const int64_t *votes, const unsigned char *state,
		    int64_t nontransferable, int64_t quota)
{
	if (r->nrounds == r->rounds_alloc) {
		size_t n = r->rounds_alloc ? r->rounds_alloc * 2 : 16;
		struct tally_round *t = px_reallocarray(r->rounds, n, sizeof(*t));
		if (!t)
			return PX_E_NOMEM;
		r->rounds = t;
		r->rounds_alloc = n;
	}
	struct tally_round *t = &r->rounds[r->nrounds];
	memset(t, 0, sizeof(*t));
	t->words = *w;
	(void)tally_words_write(NULL, w, t->label, sizeof(t->label));
	t->nontransferable = nontransferable;
	t->quota = quota;
	if (votes) {
		t->votes = px_mallocarray(r->ncand, sizeof(*t->votes));
		if (!t->votes)
			return PX_E_NOMEM;
		memcpy(t->votes, votes, r->ncand * sizeof(*t->votes));
	}
	if (state) {
		t->state = malloc(r->ncand);
		if (!t->state) {
			free(t->votes);
			return PX_E_NOMEM;
		}
		memcpy(t->state, state, r->ncand);
	}
	r->nrounds++;
	return 0;
}

int tally_note(struct tally_result *r, enum tally_word code, ...)
{
	char buf[512];
	struct tally_words *w;
	va_list ap;
	int rc;
	if (r->nnotes == r->notes_alloc) {
		size_t n = r->notes_alloc ? r->notes_alloc * 2 : 8;
		w = px_reallocarray(r->note_words, n, sizeof(*w));
		if (!w)
			return PX_E_NOMEM;
		r->note_words = w;
		r->notes_alloc = n;
	}
	w = &r->note_words[r->nnotes];
	va_start(ap, code);
	rc = tally_words_vset(w, code, ap);
	va_end(ap);
	if (rc || tally_words_write(NULL, w, buf, sizeof(buf)))
		return PX_E_INTERNAL;
	if (sb_adds(&r->notes, buf) || sb_addc(&r->notes, '\n'))
		return PX_E_NOMEM;
	r->nnotes++;
	return 0;
}

static uint32_t lot_u32(struct tally_result *r)
{
	static const unsigned char nonce[8] = { 0 };
	uint32_t v;
	if (r->lot_used + 4 > sizeof(r->lot_buf)) {
		memset(r->lot_buf, 0, sizeof(r->lot_buf));
		crypto_stream_chacha20_xor_ic(r->lot_buf, r->lot_buf,
					      sizeof(r->lot_buf), nonce,
					      r->lot_block++, r->lot_key);
		r->lot_used = 0;
	}
	v = (uint32_t)r->lot_buf[r->lot_used] |
	    (uint32_t)r->lot_buf[r->lot_used + 1] << 8 |
	    (uint32_t)r->lot_buf[r->lot_used + 2] << 16 |
	    (uint32_t)r->lot_buf[r->lot_used + 3] << 24;
	r->lot_used += 4;
	return v;
}

uint32_t tally_lot(struct tally_result *r, uint32_t n)
{
	/* Reject the top partial range so every value is equally likely. */
	uint32_t limit = UINT32_MAX - UINT32_MAX % n;
	uint32_t v;
	do
		v = lot_u32(r);
	while (v >= limit);
	r->lots++;
	return v % n;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

size_t tally_pick(struct tally_result *r, const struct ballot_set *bs,
		  size_t *set, size_t n, int pick_low, const char *why)
{
	char names[300];
	size_t len = 0, pick;
	qsort(set, n, sizeof(*set), cmp_size);
	for (size_t i = 0; i < n && len < sizeof(names); i++) {
		int w = snprintf(names + len, sizeof(names) - len, "%s%s",
				 i ? ", " : "", bs->names[set[i]]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (bs->ntie) {
		/* The [tie] order: the most favoured is listed first. */
		size_t best = set[0], bestpos = SIZE_MAX;
		for (size_t i = 0; i < n; i++) {
			size_t pos = SIZE_MAX - 1;
			for (size_t k = 0; k < bs->ntie; k++)
				if (bs->tie_order[k] == set[i])
					pos = k;
			if (bestpos == SIZE_MAX ||
			    (pick_low ? pos > bestpos : pos < bestpos)) {
				best = set[i];
				bestpos = pos;
			}
		}
		tally_note(r, TW_TIE_ORDER, why, names, bs->names[best]);
		return best;
	}
	pick = set[tally_lot(r, (uint32_t)n)];
	tally_note(r, TW_TIE_LOT, why, names, r->seed, (long long)r->lots,
		   bs->names[pick]);
	return pick;
}

void tally_format(char *buf, size_t size, int64_t v, int decimals)
{
	int64_t scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (decimals == 0) {
		snprintf(buf, size, "%lld", (long long)v);
		return;
	}
	const char *sign = v < 0 ? "-" : "";
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	snprintf(buf, size, "%s%llu.%0*llu", sign,
		 (unsigned long long)(a / (uint64_t)scale), decimals,
		 (unsigned long long)(a % (uint64_t)scale));
}

/* ---- ranking by score ---- */

struct scored {
	size_t cand;
	int64_t score;
};

static int cmp_scored(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->cand > y->cand) - (x->cand < y->cand);
}

int tally_rank_by_score(struct tally_result *r, const struct ballot_set *bs,
			const int64_t *score)
{
	struct scored *s = px_mallocarray(bs->ncand, sizeof(*s));
	size_t n = 0, level = 0;
	if (!s)
		return PX_E_NOMEM;
	for (size_t c = 0; c < bs->ncand; c++)
		if (!bs->withdrawn[c])
			s[n++] = (struct scored){ c, score[c] };
	qsort(s, n, sizeof(*s), cmp_scored);
	for (size_t i = 0; i < n; i++) {
		if (i && s[i].score != s[i - 1].score)
			level++;
		r->ranking[i] = s[i].cand;
		r->rank_level[i] = level;
	}
	r->nranking = n;
	/* Elect whole levels while they fit; a level that straddles the last
	 * seat is a tie, decided by lot and noted. */
	size_t i = 0;
	while (i < n && r->nelected < r->seats) {
		size_t j = i;
		while (j < n && r->rank_level[j] == r->rank_level[i])
			j++;
		if (r->nelected + (j - i) <= r->seats) {
			for (size_t k = i; k < j; k++)
				r->elected[r->nelected++] = s[k].cand;
		} else {
			size_t *set = px_mallocarray(j - i, sizeof(*set));
			size_t m = j - i;
			if (!set) {
				free(s);
				return PX_E_NOMEM;
			}
			for (size_t k = 0; k < m; k++)
				set[k] = s[i + k].cand;
			while (r->nelected < r->seats) {
				size_t pick = tally_pick(r, bs, set, m, 0,
							 N_("last seat"));
				r->elected[r->nelected++] = pick;
				for (size_t k = 0; k < m; k++)
					if (set[k] == pick)
						set[k] = set[--m];
			}
			free(set);
		}
		i = j;
	}
	free(s);
	return 0;
}

/* ---- positional methods ---- */

static int finish_scores(struct tally_result *r, const struct ballot_set *bs,
			 const int64_t *score, enum tally_word code)
{
	struct tally_words w;
	int rc = tally_words_set(&w, code) ? PX_E_INTERNAL
		 : tally_add_round(r, &w, score, NULL, -1, -1);
	if (!rc)
		rc = tally_rank_by_score(r, bs, score);
	return rc;
}

/* Withdrawn candidates are skipped: the ballot counts for the next. */
int tally_plurality(const struct ballot_set *bs, const struct tally_opts *o,
		    struct tally_result *r, struct px_error *err)
{
	int64_t *score = calloc(bs->ncand, sizeof(*score));
	int64_t split = 0;
	int rc;
	(void)o;
	(void)err;
	if (!score)
		return PX_E_NOMEM;
	for (size_t b = 0; b < bs->n; b++) {
		size_t e = bs->off[b], end = bs->off[b + 1], first = SIZE_MAX;
		while (e < end && bs->withdrawn[bs->cand[e]])
			e++;
		if (e == end)
			continue;
		first = e;
		/* Equal first preferences are no single choice: not counted. */
		for (size_t k = e + 1; k < end && first != SIZE_MAX; k++)
			if (bs->level[k] == bs->level[e] &&
			    !bs->withdrawn[bs->cand[k]])
				first = SIZE_MAX;
		if (first == SIZE_MAX)
			split += (int64_t)bs->weight[b];
		else
			score[bs->cand[first]] += (int64_t)bs->weight[b];
	}
	if (split)
		tally_note(r, TW_SPLIT_FIRST, (long long)split);
	rc = finish_scores(r, bs, score, TW_FIRST_PREFERENCES);
	free(score);
	return rc;
}

int tally_approval(const struct ballot_set *bs, const struct tally_opts *o,
		   struct tally_result *r, struct px_error *err)
{
	int64_t *score = calloc(bs->ncand, sizeof(*score));
	int rc;
	(void)o;
	(void)err;
	if (!score)
		return PX_E_NOMEM;
	for (size_t b = 0; b < bs->n; b++)
		for (size_t e = bs->off[b]; e < bs->off[b + 1]; e++)
			score[bs->cand[e]] += (int64_t)bs->weight[b];
	rc = finish_scores(r, bs, score, TW_APPROVALS);
	free(score);
	return rc;
}

/* A candidate scores one point per candidate ranked strictly below it on a
 * ballot (unranked candidates are below every ranked one), so a tie or a
 * short ballot gives nobody an advantage it did not express. */
int tally_borda(const struct ballot_set *bs, const struct tally_opts *o,
		struct tally_result *r, struct px_error *err)
{
	int64_t *score = calloc(bs->ncand, sizeof(*score));
	size_t nlive = 0;
	int rc;
	(void)o;
	(void)err;
	if (!score)
		return PX_E_NOMEM;
	for (size_t c = 0; c < bs->ncand; c++)
		nlive += !bs->withdrawn[c];
	for (size_t b = 0; b < bs->n; b++) {
		size_t s = bs->off[b], end = bs->off[b + 1];
		/* Walk levels; "above" counts live candidates at or above. */
		size_t above = 0;
		for (size_t e = s; e < end;) {
			size_t f = e, here = 0;
			while (f < end && bs->level[f] == bs->level[e]) {
				here += !bs->withdrawn[bs->cand[f]];
				f++;
			}
			above += here;
			for (size_t k = e; k < f; k++)
				if (!bs->withdrawn[bs->cand[k]])
					score[bs->cand[k]] +=
						(int64_t)(nlive - above) *
						(int64_t)bs->weight[b];
			e = f;
		}
	}
	rc = finish_scores(r, bs, score, TW_BORDA_POINTS);
	free(score);
	return rc;
}
