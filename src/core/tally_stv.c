/*
 * tally_stv.c: the single transferable vote, in three rule sets.
 *
 * stv-scottish follows the Scottish Local Government Elections Order 2007
 * (SSI 2007/42), schedule 1, rules 45 to 52, as made
 * (legislation.gov.uk/ssi/2007/42/schedule/1/made):
 *   45  first stage: each valid paper credits its first preference;
 *   46  quota = valid papers / (seats + 1), decimals ignored, plus one;
 *   47  a candidate whose votes equal or exceed the quota at any stage is
 *       deemed elected;
 *   48  a surplus is transferred by moving every paper the candidate
 *       received to its next continuing preference at value
 *       surplus x (value of the paper) / (candidate's votes), to five
 *       decimal places with any remainder ignored;
 *   49  when several have surpluses, the highest is transferred first
 *       (one per stage); equal surpluses go in the order of the votes at
 *       the most recent preceding stage at which they were unequal, and a
 *       lot decides if they were equal at every stage;
 *   50  when no surplus is left to transfer and vacancies remain, the
 *       candidate with the then lowest votes is excluded and every paper
 *       moves at the value it carries (one stage);
 *   51  equal lowest candidates: the one lowest at the most recent
 *       preceding stage at which they were unequal is excluded, else lot;
 *   52  (1) when the continuing candidates are as many as the vacancies
 *       left, they are deemed elected; (2) then no further transfer is
 *       made.
 * Nothing else ends the count early: the Order has no rule that a
 * candidate who cannot be overtaken is elected, nor that a surplus which
 * cannot change the result is left untransferred (rule 48(1) requires the
 * transfer while a vacancy remains and rule 52 does not apply).
 *
 * stv-wigm follows the Proportional Representation Foundation's reference
 * WIGM rule (prfound.org/resources/reference/reference-wigm-rule/): the
 * same inclusive weighted transfers, every multiplication and division
 * truncated to four decimal places (D.4), so a transfer is
 * trunc(trunc(weight x surplus) / votes); quota = votes / (seats + 1)
 * truncated, plus 0.0001 (A.1); one surplus per step, the largest first
 * (B.3), else the lowest is defeated (B.4); ties by lot (D.1). B.2, the
 * batch defeat of sure losers, is marked optional by the rule and is not
 * used.
 *
 * stv-meek (tally_meek.c) follows the Foundation's reference Meek rule at nine decimal
 * places: keep factors, products rounded up, quota recomputed from the
 * votes in each iteration, omega = 0.000001. A ballot that ranks several
 * candidates equally splits its remaining weight evenly between them.
 *
 * All values are integers in units of 10^-decimals; products that could
 * pass 63 bits are taken in 128 bits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "i18n.h"
#include "tally.h"
#include "banned.h"

__extension__ typedef unsigned __int128 u128;

struct pile_entry {
	uint32_t ballot;
	uint32_t pos;   /* entry index (into bs->cand) of the holder */
	int64_t value;  /* per paper, in units */
};

struct pile {
	struct pile_entry *e;
	size_t n, cap;
};

struct gregory_rule {
	const char *name;
	int decimals;
	int scottish;   /* quota, look-back ties and rule 52 */
};

struct stv {
	const struct ballot_set *bs;
	struct tally_result *r;
	const struct gregory_rule *rule;
	size_t n, stage;
	int64_t unit, quota, nontransferable;
	unsigned char *state, *pending;
	int64_t *votes;
	struct pile *piles;
	size_t *out_order, nout;
};

static int64_t pow10i(int d)
{
	int64_t u = 1;
	while (d-- > 0)
		u *= 10;
	return u;
}

static int pile_push(struct pile *p, uint32_t b, uint32_t pos, int64_t v)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct pile_entry *e = px_reallocarray(p->e, cap, sizeof(*e));
		if (!e)
			return PX_E_NOMEM;
		p->e = e;
		p->cap = cap;
	}
	p->e[p->n++] = (struct pile_entry){ b, pos, v };
	return 0;
}

/* The first hopeful candidate on ballot b after entry pos, or SIZE_MAX. */
static size_t next_hopeful(const struct stv *s, size_t b, size_t from,
			   size_t *at)
{
	for (size_t e = from; e < s->bs->off[b + 1]; e++)
		if (s->state[s->bs->cand[e]] == T_HOPEFUL) {
			*at = e;
			return s->bs->cand[e];
		}
	return SIZE_MAX;
}

/* Move a paper (b, value) on to the next hopeful after entry from. */
static int place(struct stv *s, size_t b, size_t from, int64_t value)
{
	size_t at, c = next_hopeful(s, b, from, &at);
	int64_t w = (int64_t)s->bs->weight[b];
	if (c == SIZE_MAX) {
		s->nontransferable += w * value;
		return 0;
	}
	s->votes[c] += w * value;
	return pile_push(&s->piles[c], (uint32_t)b, (uint32_t)at, value);
}

/*
 * Of the candidates in set (n > 1, equal now), keep those a look back
 * finds extreme (highest when want_high), most recent stage first; a lot
 * settles what the history cannot. Scottish rules: 49(2) (equal surpluses:
 * the highest at the most recent preceding stage at which they had
 * unequal votes goes first), 49(3) (lot), 51(2)(a) (equal lowest: the
 * lowest at that stage is excluded), 51(2)(b) (lot). With three or more
 * tied, a stage that separates only some of them keeps the extreme ones
 * and the look back goes on among those. WIGM D.1 draws at once.
 */
static size_t break_tie(struct stv *s, size_t *set, size_t n, int want_high,
			const char *why)
{
	struct tally_result *r = s->r;
	for (size_t k = r->nrounds; s->rule->scottish && k-- > 0 && n > 1;) {
		const int64_t *v = r->rounds[k].votes;
		int64_t best = v[set[0]];
		size_t m = 0;
		for (size_t i = 1; i < n; i++)
			if (want_high ? v[set[i]] > best : v[set[i]] < best)
				best = v[set[i]];
		for (size_t i = 0; i < n; i++)
			if (v[set[i]] == best)
				set[m++] = set[i];
		if (m < n)
			tally_note(r, TW_LOOK_BACK, why, (long long)(k + 1));
		n = m;
	}
	if (n == 1)
		return set[0];
	return tally_pick(r, s->bs, set, n, !want_high, why);
}

/* The hopeful (or pending, when surplus) candidate with the extreme vote. */
static size_t extreme(struct stv *s, int surplus, size_t *set)
{
	size_t n = 0;
	int64_t best = 0;
	for (size_t c = 0; c < s->n; c++) {
		int ok = surplus ? s->pending[c] : s->state[c] == T_HOPEFUL;
		if (!ok)
			continue;
		if (!n || (surplus ? s->votes[c] > best : s->votes[c] < best)) {
			best = s->votes[c];
			n = 0;
		}
		if (s->votes[c] == best)
			set[n++] = c;
	}
	if (n <= 1)
		return n ? set[0] : SIZE_MAX;
	return break_tie(s, set, n, surplus, surplus ? N_("order of surpluses")
						     : N_("exclusion"));
}

static void elect(struct stv *s, size_t c)
{
	s->state[c] = T_ELECTED;
	s->r->elected[s->r->nelected++] = c;
}

/* Rule 47 / WIGM B.1: everyone at or over the quota is deemed elected.
 * Neither rule orders several elected at one stage; they are listed
 * highest first (ties as in rule 49(2)), which only orders the output. */
static void elect_reached(struct stv *s, size_t *set)
{
	for (;;) {
		size_t n = 0;
		int64_t best = -1;
		for (size_t c = 0; c < s->n; c++) {
			if (s->state[c] != T_HOPEFUL || s->votes[c] < s->quota)
				continue;
			if (s->votes[c] > best) {
				best = s->votes[c];
				n = 0;
			}
			if (s->votes[c] == best)
				set[n++] = c;
		}
		if (!n || s->r->nelected == s->r->seats)
			return;
		size_t c = n == 1 ? set[0]
				  : break_tie(s, set, n, 1, N_("order of election"));
		elect(s, c);
		s->pending[c] = s->votes[c] > s->quota;
	}
}

/* The stage's words: code with the stage's number and, for a transfer,
 * the candidate c (SIZE_MAX for none). */
static int record(struct stv *s, enum tally_word code, size_t c)
{
	struct tally_words w;
	s->stage++;
	if (c == SIZE_MAX ? tally_words_set(&w, code, (long long)s->stage)
	    : tally_words_set(&w, code, (long long)s->stage, s->bs->names[c]))
		return PX_E_INTERNAL;
	return tally_add_round(s->r, &w, s->votes, s->state,
			       s->nontransferable, s->quota);
}

static int transfer_surplus(struct stv *s, size_t c)
{
	struct pile p = s->piles[c];
	int64_t total = s->votes[c], surplus = total - s->quota;
	int rc = 0;

	memset(&s->piles[c], 0, sizeof(s->piles[c]));
	s->pending[c] = 0;
	s->votes[c] = s->quota;
	for (size_t i = 0; i < p.n && !rc; i++) {
		int64_t v;
		if (s->rule->scottish) {
			/* Rule 48(3): A / B with A = surplus x value of the
			 * paper (exact), B = the candidate's votes, to five
			 * places, remainder ignored. */
			v = (int64_t)((u128)surplus * (u128)p.e[i].value /
				      (u128)total);
		} else {
			/* WIGM B.3 with D.4: weight x surplus truncated to
			 * four places, then / votes truncated again. */
			u128 a = (u128)p.e[i].value * (u128)surplus /
				 (u128)s->unit;
			v = (int64_t)(a * (u128)s->unit / (u128)total);
		}
		if (v)
			rc = place(s, p.e[i].ballot, p.e[i].pos + 1, v);
	}
	free(p.e);
	return rc;
}

static int exclude(struct stv *s, size_t c)
{
	struct pile p = s->piles[c];
	int rc = 0;

	memset(&s->piles[c], 0, sizeof(s->piles[c]));
	s->state[c] = T_EXCLUDED;
	s->votes[c] = 0;
	s->out_order[s->nout++] = c;
	for (size_t i = 0; i < p.n && !rc; i++)
		rc = place(s, p.e[i].ballot, p.e[i].pos + 1, p.e[i].value);
	free(p.e);
	return rc;
}

/*
 * Rule 52 and WIGM D.3: can the count end here? It ends when every seat
 * is filled (rule 48(1) transfers only while a vacancy remains) or when
 * the continuing candidates are no more than the vacancies left: they are
 * deemed elected (52(1)) and no further transfer is made (52(2)), even of
 * a surplus still pending. Fewer continuing than vacancies happens only
 * when there are fewer candidates than seats, which the Order does not
 * foresee; all of them are elected.
 */
static int count_complete(struct stv *s, size_t *set)
{
	struct tally_result *r = s->r;
	size_t hopeful = 0;
	if (r->nelected == r->seats)
		return 1;
	for (size_t c = 0; c < s->n; c++)
		hopeful += s->state[c] == T_HOPEFUL;
	if (r->nelected + hopeful > r->seats)
		return 0;
	if (hopeful)
		tally_note(r, TW_DEEMED_ELECTED, (long long)hopeful,
			   (long long)(r->seats - r->nelected),
			   s->rule->scottish ? " (rule 52)" : " (D.3)");
	while (r->nelected < r->seats) {
		size_t n = 0;
		int64_t best = -1;
		for (size_t c = 0; c < s->n; c++) {
			if (s->state[c] != T_HOPEFUL)
				continue;
			if (s->votes[c] > best) {
				best = s->votes[c];
				n = 0;
			}
			if (s->votes[c] == best)
				set[n++] = c;
		}
		if (!n)
			break;
		elect(s, n == 1 ? set[0]
				: break_tie(s, set, n, 1, N_("order of election")));
	}
	return 1;
}

static void finish_ranking(struct stv *s)
{
	struct tally_result *r = s->r;
	size_t n = 0;
	/* Not elected, still hopeful: the lowest goes out first. */
	for (;;) {
		size_t low = SIZE_MAX;
		for (size_t c = 0; c < s->n; c++)
			if (s->state[c] == T_HOPEFUL &&
			    (low == SIZE_MAX || s->votes[c] < s->votes[low]))
				low = c;
		if (low == SIZE_MAX)
			break;
		s->state[low] = T_EXCLUDED;
		s->out_order[s->nout++] = low;
	}
	for (size_t i = 0; i < r->nelected; i++) {
		r->ranking[n] = r->elected[i];
		r->rank_level[n] = n;
		n++;
	}
	for (size_t i = s->nout; i-- > 0;) {
		r->ranking[n] = s->out_order[i];
		r->rank_level[n] = n;
		n++;
	}
	r->nranking = n;
}

static int gregory(const struct ballot_set *bs, const struct tally_opts *o,
		   struct tally_result *r, struct px_error *err,
		   const struct gregory_rule *rule)
{
	struct stv s = { .bs = bs, .r = r, .rule = rule, .n = bs->ncand };
	size_t *set = px_mallocarray(bs->ncand, sizeof(*set));
	uint64_t valid = 0;
	int rc = PX_E_NOMEM;
	(void)o;

	s.unit = pow10i(rule->decimals);
	s.state = calloc(s.n, 1);
	s.pending = calloc(s.n, 1);
	s.votes = calloc(s.n, sizeof(*s.votes));
	s.piles = calloc(s.n, sizeof(*s.piles));
	s.out_order = calloc(s.n, sizeof(*s.out_order));
	if (!set || !s.state || !s.pending || !s.votes || !s.piles ||
	    !s.out_order)
		goto out;
	if (bs->has_ties) {
		rc = px_fail(err, PX_E_TALLY_INPUT, NULL, "%s needs strict "
			     "rankings, but some ballots rank candidates "
			     "equally (stv-meek accepts them)", rule->name);
		goto out;
	}
	r->decimals = rule->decimals;
	for (size_t c = 0; c < s.n; c++)
		if (bs->withdrawn[c])
			s.state[c] = T_WITHDRAWN;
	for (size_t b = 0; b < bs->n; b++) {
		size_t at;
		if (next_hopeful(&s, b, bs->off[b], &at) == SIZE_MAX)
			continue;
		valid += bs->weight[b];
		if ((rc = place(&s, b, bs->off[b], s.unit)))
			goto out;
	}
	s.nontransferable = 0;
	r->ballots = valid;
	/* Rule 46: floor(valid / (seats + 1)) + 1; WIGM A.1 with D.4:
	 * valid / (seats + 1) truncated to four places, plus 0.0001. */
	if (rule->scottish)
		s.quota = (int64_t)(valid / (r->seats + 1) + 1) * s.unit;
	else
		s.quota = (int64_t)((u128)valid * (u128)s.unit /
				    (r->seats + 1)) + 1;
	r->quota = s.quota;
	/* Each stage: a transfer, then rule 47 elections, then the record,
	 * so a stage shows who its votes elected. */
	elect_reached(&s, set);
	if ((rc = record(&s, TW_STV_FIRST, SIZE_MAX)))
		goto out;
	while (!count_complete(&s, set)) {
		enum tally_word code;
		/* a stage reads at most every ballot once, and each candidate */
		if ((rc = tally_work(r, (uint64_t)bs->n + s.n)))
			goto out;
		/* Rules 48, 49(1) / B.3: the highest surplus first, one per
		 * stage; rule 50(1) / B.4: only when none is left, exclude. */
		size_t c = extreme(&s, 1, set);
		if (c != SIZE_MAX) {
			code = TW_STV_SURPLUS;
			rc = transfer_surplus(&s, c);
		} else {
			c = extreme(&s, 0, set);
			if (c == SIZE_MAX)
				break;
			code = TW_STV_EXCLUSION;
			rc = exclude(&s, c);
		}
		if (rc)
			goto out;
		elect_reached(&s, set);
		if ((rc = record(&s, code, c)))
			goto out;
	}
	/* Seats filled without a further stage show in the last stage. */
	memcpy(r->rounds[r->nrounds - 1].state, s.state, s.n);
	finish_ranking(&s);
	rc = 0;
out:
	for (size_t c = 0; s.piles && c < s.n; c++)
		free(s.piles[c].e);
	free(s.piles);
	free(s.state);
	free(s.pending);
	free(s.votes);
	free(s.out_order);
	free(set);
	return rc;
}

static const struct gregory_rule scottish = { "stv-scottish", 5, 1 };
static const struct gregory_rule wigm = { "stv-wigm", 4, 0 };

int tally_stv_scottish(const struct ballot_set *bs, const struct tally_opts *o,
		       struct tally_result *r, struct px_error *err)
{
	return gregory(bs, o, r, err, &scottish);
}

int tally_stv_wigm(const struct ballot_set *bs, const struct tally_opts *o,
		   struct tally_result *r, struct px_error *err)
{
	return gregory(bs, o, r, err, &wigm);
}
