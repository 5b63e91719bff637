/*
 * lot_sim.c: the simulation of bench/lot (lot_sim.h says what it is for).
 *
 * PEOPLE. Person x is the integer x. People are laid out community by
 * community (cstart[c] .. cstart[c+1]), and within a community by the
 * day of the year on which they consent (dayoff[c][a] .. dayoff[c][a+1]),
 * so a person's community and consent day are where they sit, not stored.
 * What changes is three bits each, in three planes of 64 people a word:
 * VB (consent valid before this year's consent day), VA (after it) and
 * SEAT (holds a seat somewhere). Consent lasts one year from the day
 * given; renewing on the day it expires keeps the same day of the year.
 * At each year's start the year's answers are drawn for everyone at once,
 * a word at a time (VB takes last year's VA; VA is a renewal or a lapse
 * for citizens, a return or not for lapsed residents), and from then the
 * state of anyone at any day of that year is read from the bits.
 *
 * POOLS. Eligible at a commitment on day C for a draw on D = C + W: valid
 * consent at D as known at C (expiry > D: those whose consent day falls in
 * C+1 .. D are out, as their consent expires before the draw and was not
 * renewed at C; days up to C read VA, later days VB), community in the
 * region, no seat anywhere (the outgoing cohort's members, who leave
 * this polity's seats on D, too: docs/polities.md, choice 31), and not
 * having left a seat of this polity in the 6 years before D.
 * Per community, two Fenwick trees over the 365 days count the people
 * with VA (resp. VB) and no seat; they change only at a seating, a
 * vacancy and the yearly pass. So a pool's size is a handful of tree
 * reads per community of its region, and "the person at position j" is a
 * search in the region's running sums, a descent in one tree and a scan
 * of one day's block. The few people the counts cannot see (those who
 * left a seat of the polity, excluded) are corrections at their rank.
 * Nobody is scanned.
 *
 * ORDER. The pool's order here is ascending person number, fixed at the
 * commitment. The service orders a pool by its leaves (docs/sortition.md
 * section 2), another order also fixed before the seed; px_draw_rank
 * picks positions uniformly whatever order they index, so the people
 * drawn have exactly the service's distribution. What this loop does not
 * do is hash a leaf per person: the commitment here is a stand-in hash of
 * the pool's identity and size, and the leaves' cost is measured on its
 * own (lot_bench --commit-cost). The seed is px_seed_derive over it, the
 * ranking px_draw_rank: src/core's own.
 *
 * The straightforward way (baseline_pool) scans every person with the
 * rule as written (expiry computed as a date, regions as a set), collects
 * the pool and draws from it; the same positions must give the same people.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <sodium.h>

#include "core/draw.h"
#include "core/errors.h"
#include "core/pool.h"
#include "lot_sim.h"

#define VB 1u
#define VA 2u
#define SEAT 4u
#define NONE UINT32_MAX
#define YEAR 365u
#define TERM (6u * YEAR)
#define DAYS 365u
#define STRIDE 366u /* per-community tables: index 0..365 */

enum { K_FOUNDING, K_REGULAR, K_SUPPLEMENTARY };
enum { E_RESIGN, E_DRAW, E_COMMIT }; /* order within a day */

/* where a person sits: community and consent day, kept beside a person
 * held for later so that nothing has to look them up again */
struct where {
	uint32_t c, a;
};

struct leaver {
	uint32_t person, day;
	struct where w;
};

struct polity {
	uint32_t *comm, ncomm;   /* its region's communities, ascending */
	uint32_t reg_day;        /* founding draws on this day */
	unsigned level;
	uint32_t *holder;        /* per seat, NONE when vacant */
	struct where *hw;        /* per seat, where its holder sits */
	uint32_t *term_end;      /* per cohort */
	uint32_t *cur_ren;       /* per cohort: the renewal whose alternates fill it */
	unsigned char *supp;     /* per cohort: a supplementary renewal under way */
	struct leaver *left;
	uint32_t nleft;
	size_t capleft;
};

struct renewal {
	uint32_t polity, cohort, kind, commit_day, draw_day;
	uint32_t seats, r, cursor;
	uint64_t n;
	size_t off;              /* its ranked people in sim.ranked */
};

struct event {
	uint64_t key;
	uint32_t a, b, c, d;
};

struct adj {
	uint32_t person;
	struct where w;
	uint64_t rank;           /* people of the base order before it */
	int incl;                /* 1 included (not counted), 0 excluded */
	int64_t off;             /* corrections before it: +1 each included,
				  * -1 each excluded */
	int64_t key;             /* 2 (rank + off), + 2 when included: never
				  * decreasing in person order (see select_pool) */
};

struct window {
	uint32_t alo, ahi, blo;  /* A days alo..ahi read VA, days blo..364 VB */
};

struct sim {
	const struct lot_params *p;
	struct lot_stats *s;
	uint32_t C;
	uint64_t N;
	uint32_t *cstart, *dayoff;
	uint64_t *pb, *pa, *ps;  /* one bit a person: VB, VA, SEAT */
	uint64_t *zero;          /* as many words, all 0 */
	uint32_t *fa, *fb;
	uint32_t year;
	struct polity *pol;
	uint32_t npol;
	struct renewal *ren;
	size_t nren, capren;
	uint32_t *ranked;
	struct where *rw;        /* beside ranked */
	size_t nranked, capranked, caprw;
	struct event *heap;
	size_t nheap, capheap;
	uint32_t seq;
	uint64_t rng;
	uint32_t end_day;
	/* scratch of one pool */
	uint64_t *cum;
	uint32_t *sa, *sb, *sna; /* per community of the region: counted on
				  * days before alo (VA), before blo (VB), on A days */
	struct adj *adj;
	size_t nadj, capadj;
	struct leaver *tmpl;     /* the recent leavers, by person */
	size_t captmp;
	uint64_t *out;
	uint32_t *pos;
	/* the straightforward way */
	unsigned char *inreg;
	uint32_t *bbuf[2];
	uint32_t bsplit;         /* first community of the second half */
	double *renewal_ns;
	size_t nrenewal_ns, caprenewal_ns;
	unsigned char *count;    /* check: seats per person */
	int oom;
};

/* ---- small tools ---------------------------------------------------- */

/* A person's bits as VB | VA | SEAT. */
static inline unsigned state(const struct sim *m, uint32_t x)
{
	uint64_t w = x >> 6, b = x & 63;
	return (unsigned)((m->pb[w] >> b) & 1) | (unsigned)((m->pa[w] >> b) & 1) << 1 |
	       (unsigned)((m->ps[w] >> b) & 1) << 2;
}

static inline void set_seat(struct sim *m, uint32_t x, int on)
{
	uint64_t bit = UINT64_C(1) << (x & 63);
	if (on)
		m->ps[x >> 6] |= bit;
	else
		m->ps[x >> 6] &= ~bit;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t next64(uint64_t *x)
{
	*x += UINT64_C(0x9e3779b97f4a7c15);
	return mix64(*x);
}

static double unit(uint64_t *x)
{
	return (double)(next64(x) >> 11) * (1.0 / 9007199254740992.0);
}

static void *grow(void *ptr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return ptr;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(ptr, c * size);
	if (q)
		*cap = c;
	return q;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_adj(const void *a, const void *b)
{
	return cmp_u32(&((const struct adj *)a)->person, &((const struct adj *)b)->person);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---- Fenwick trees over the days of one community -------------------- */

/* people counted on days 0 .. i-1 */
static uint32_t fen_prefix(const uint32_t *t, uint32_t i)
{
	uint32_t sum = 0;
	for (; i; i &= i - 1)
		sum += t[i];
	return sum;
}

static void fen_add(uint32_t *t, uint32_t day, int32_t d)
{
	for (uint32_t i = day + 1; i <= DAYS; i += i & (~i + 1))
		t[i] = (uint32_t)((int64_t)t[i] + d);
}

/* The day whose block holds the target-th person (0-based) counted from
 * day 0; *rest is how many counted people of that day come before it. */
static uint32_t fen_select(const uint32_t *t, uint32_t target, uint32_t *rest)
{
	uint32_t pos = 0;
	for (uint32_t step = 256; step; step >>= 1)
		if (pos + step <= DAYS && t[pos + step] <= target) {
			pos += step;
			target -= t[pos];
		}
	*rest = target;
	return pos;
}

static void fen_build(uint32_t *t)
{
	for (uint32_t i = 1; i <= DAYS; i++) {
		uint32_t j = i + (i & (~i + 1));
		if (j <= DAYS)
			t[j] += t[i];
	}
}

/* ---- where a person is ----------------------------------------------- */

static uint32_t community_of(const struct sim *m, uint32_t x)
{
	uint32_t lo = 0, hi = m->C; /* cstart[lo] <= x < cstart[hi] */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->cstart[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t day_of(const struct sim *m, uint32_t c, uint32_t x)
{
	const uint32_t *d = m->dayoff + (size_t)c * STRIDE;
	uint32_t lo = 0, hi = DAYS;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (d[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	/* empty days share an offset: the last day starting at or before x */
	return lo;
}

/* Consent valid on `day` (given on or before it, expiring after it),
 * for the current year's bits. */
static int consent_valid(const struct sim *m, uint32_t x, struct where w, uint32_t day)
{
	return (state(m, x) & (w.a <= day % YEAR ? VA : VB)) != 0;
}

/* The consent days of a commitment on day c: A days read VA, B days VB,
 * the W days after c are out. */
static struct window window_of(uint32_t c, uint32_t w)
{
	struct window v;
	uint32_t cd = c % YEAR;
	if (cd + w < DAYS) {
		v.alo = 0;
		v.ahi = cd;
		v.blo = cd + w + 1;
	} else {
		v.alo = cd + w - DAYS + 1;
		v.ahi = cd;
		v.blo = DAYS;
	}
	return v;
}

static void seat_counts(struct sim *m, uint32_t x, struct where w, int32_t d)
{
	if (state(m, x) & VA)
		fen_add(m->fa + (size_t)w.c * STRIDE, w.a, d);
	if (state(m, x) & VB)
		fen_add(m->fb + (size_t)w.c * STRIDE, w.a, d);
}

/* ---- events ----------------------------------------------------------- */

static void push(struct sim *m, uint32_t day, unsigned type, uint32_t a,
		 uint32_t b, uint32_t c, uint32_t d)
{
	struct event *h = grow(m->heap, &m->capheap, m->nheap + 1, sizeof(*h));
	if (!h) {
		m->oom = 1;
		return;
	}
	m->heap = h;
	struct event e = { ((uint64_t)day << 34) | ((uint64_t)type << 32) | m->seq++,
			   a, b, c, d };
	size_t i = m->nheap++;
	while (i && h[(i - 1) / 2].key > e.key) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = e;
}

static struct event pop(struct sim *m)
{
	struct event *h = m->heap, top = h[0], last = h[--m->nheap];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, j = i;
		if (l < m->nheap && h[l].key < last.key)
			j = l;
		if (r < m->nheap && h[r].key < (j == i ? last.key : h[j].key))
			j = r;
		if (j == i)
			break;
		h[i] = h[j];
		i = j;
	}
	if (m->nheap)
		h[i] = last;
	return top;
}

/* ---- the nation ---------------------------------------------------------- */

static int build_nation(struct sim *m)
{
	const struct lot_params *p = m->p;
	uint64_t rng = p->seed ^ UINT64_C(0x6e6174696f6e);
	double *w = malloc(m->C * sizeof(*w)), total = 0;
	if (!w)
		return -1;
	/* community sizes: log-normal, at most 30 times the mean */
	for (uint32_t c = 0; c < m->C; c++) {
		double u1 = unit(&rng), u2 = unit(&rng);
		double g = sqrt(-2.0 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
		w[c] = fmin(exp(g), 30.0 * exp(0.5));
		total += w[c];
	}
	uint64_t given = 0;
	m->cstart[0] = 0;
	for (uint32_t c = 0; c < m->C; c++) {
		uint64_t k = (uint64_t)((double)m->N * w[c] / total);
		if (c == m->C - 1 || given + k > m->N)
			k = m->N - given;
		given += k;
		m->cstart[c + 1] = (uint32_t)given;
	}
	free(w);
	/* consent days spread evenly over the year in each community */
	for (uint32_t c = 0; c < m->C; c++) {
		uint64_t base = m->cstart[c], n = m->cstart[c + 1] - base;
		for (uint32_t a = 0; a <= DAYS; a++)
			m->dayoff[(size_t)c * STRIDE + a] = (uint32_t)(base + n * a / DAYS);
	}
	return 0;
}

static int set_region(struct polity *q, uint32_t *ids, uint32_t n)
{
	qsort(ids, n, sizeof(*ids), cmp_u32);
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!k || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	q->comm = malloc((k ? k : 1) * sizeof(*q->comm));
	if (!q->comm)
		return -1;
	memcpy(q->comm, ids, k * sizeof(*ids));
	q->ncomm = k;
	return 0;
}

/* The regions: a hierarchy of areas (the nation, its states, their
 * districts, their counties), one polity over each, and thematic polities
 * over bands of consecutive counties (a coast, a river basin) that cross
 * district and state lines and overlap each other and the areas. */
static int build_polities(struct sim *m)
{
	const struct lot_params *p = m->p;
	uint32_t S = p->states, D = p->districts, K = p->counties, M = p->communities;
	uint32_t counties = S * D * K, area = 1 + S + S * D + counties;
	uint64_t rng = p->seed ^ UINT64_C(0x706f6c6974);
	uint32_t *ids = malloc(m->C * sizeof(*ids) * 3);
	m->npol = p->polities;
	m->pol = calloc(m->npol, sizeof(*m->pol));
	if (!ids || !m->pol) {
		free(ids);
		return -1;
	}
	for (uint32_t i = 0; i < m->npol; i++) {
		struct polity *q = &m->pol[i];
		uint32_t n = 0, first, span;
		if (i < area) {
			if (i == 0) {
				q->level = 0, first = 0, span = m->C;
			} else if (i < 1 + S) {
				q->level = 1, span = D * K * M, first = (i - 1) * span;
			} else if (i < 1 + S + S * D) {
				q->level = 2, span = K * M, first = (i - 1 - S) * span;
			} else {
				q->level = 3, span = M, first = (i - 1 - S - S * D) * span;
			}
			for (uint32_t c = first; c < first + span; c++)
				ids[n++] = c;
		} else {
			q->level = 4;
			unsigned runs = 1 + (unsigned)(next64(&rng) % 3);
			uint32_t maxrun = p->max_run < counties ? p->max_run : counties;
			for (unsigned r = 0; r < runs; r++) {
				uint32_t len = (uint32_t)exp(unit(&rng) * log((double)maxrun));
				len = len < 1 ? 1 : len > maxrun ? maxrun : len;
				uint32_t start = (uint32_t)(next64(&rng) % (counties - len + 1));
				for (uint32_t c = start * M; c < (start + len) * M; c++)
					ids[n++] = c;
			}
		}
		q->reg_day = p->commit_days + (uint32_t)(next64(&rng) % YEAR);
		q->holder = malloc(p->seats * sizeof(*q->holder));
		q->hw = calloc(p->seats, sizeof(*q->hw));
		q->term_end = calloc(p->cohorts, sizeof(*q->term_end));
		q->cur_ren = malloc(p->cohorts * sizeof(*q->cur_ren));
		q->supp = calloc(p->cohorts, 1);
		if (set_region(q, ids, n) || !q->holder || !q->hw || !q->term_end || !q->cur_ren ||
		    !q->supp) {
			free(ids);
			return -1;
		}
		for (unsigned s = 0; s < p->seats; s++)
			q->holder[s] = NONE;
		for (unsigned k = 0; k < p->cohorts; k++)
			q->cur_ren[k] = NONE;
		m->s->level_count[q->level]++;
		m->s->region_communities += q->ncomm;
	}
	free(ids);
	return 0;
}

/* ---- the year's consent ----------------------------------------------- */

struct year_job {
	struct sim *m;
	uint32_t c0, c1, year;   /* communities, for the counts */
	uint64_t w0, w1;         /* words of bits, for the answers */
	uint64_t citizens;
};

/* 64 independent bits, each 1 with probability num / 4096: from the
 * lowest set bit of num up, m becomes m | r for a 1 and m & r for a 0,
 * r a fresh random word (a counter hashed), which halves the chance and
 * adds half when asked. */
static uint64_t bernoulli_word(uint64_t key, uint64_t ctr, uint32_t num)
{
	uint64_t m = 0;
	for (unsigned i = num ? (unsigned)__builtin_ctz(num) : 12; i < 12; i++) {
		uint64_t r = mix64(key ^ (ctr * 16 + i) * UINT64_C(0x9e3779b97f4a7c15));
		m = (num >> i) & 1 ? (m | r) : (m & r);
	}
	return m;
}

/* Counted people of [lo, hi): a bit of p and not of the seats. */
static uint32_t range_count(const uint64_t *p, const uint64_t *seat, uint64_t lo, uint64_t hi)
{
	uint32_t n = 0;
	while (lo < hi) {
		uint64_t w = lo >> 6, b = lo & 63, word = (p[w] & ~seat[w]) >> b;
		if (hi - lo < 64 - b) {
			word &= (UINT64_C(1) << (hi - lo)) - 1;
			lo = hi;
		} else {
			lo += 64 - b;
		}
		n += (uint32_t)__builtin_popcountll(word);
	}
	return n;
}

/* The year's answers, 64 people a word: VB takes last year's VA (in
 * year 0, a draw at the steady state's rate), VA is a renewal for a
 * citizen and a return for a lapsed resident, each bit drawn
 * independently. Rates are kept to 1/4096 (see rate_of). */
static void *year_bits_part(void *arg)
{
	struct year_job *j = arg;
	struct sim *m = j->m;
	const struct lot_params *p = m->p;
	uint64_t key = mix64(p->seed ^ ((uint64_t)j->year << 48));
	uint32_t t_renew = (uint32_t)(p->renew * 4096.0 + 0.5);
	uint32_t t_back = (uint32_t)(p->comeback * 4096.0 + 0.5);
	uint32_t t_start = (uint32_t)(p->comeback / (1.0 - p->renew + p->comeback) * 4096.0 + 0.5);
	for (uint64_t w = j->w0; w < j->w1; w++) {
		uint64_t vb = j->year ? m->pa[w] : bernoulli_word(key, 3 * w + 2, t_start);
		uint64_t renew = bernoulli_word(key, 3 * w, t_renew);
		uint64_t back = bernoulli_word(key, 3 * w + 1, t_back);
		m->pb[w] = vb;
		m->pa[w] = (vb & renew) | (~vb & back);
	}
	return NULL;
}

/* Then each community's counts per day, and its trees. */
static void *year_counts_part(void *arg)
{
	struct year_job *j = arg;
	struct sim *m = j->m;
	for (uint32_t c = j->c0; c < j->c1; c++) {
		uint32_t *ta = m->fa + (size_t)c * STRIDE, *tb = m->fb + (size_t)c * STRIDE;
		const uint32_t *d = m->dayoff + (size_t)c * STRIDE;
		ta[0] = tb[0] = 0;
		for (uint32_t a = 0; a < DAYS; a++) {
			ta[a + 1] = range_count(m->pa, m->ps, d[a], d[a + 1]);
			tb[a + 1] = range_count(m->pb, m->ps, d[a], d[a + 1]);
		}
		fen_build(ta);
		fen_build(tb);
		j->citizens += range_count(m->pb, m->zero, d[0], d[DAYS]);
	}
	return NULL;
}

static int year_pass(struct sim *m, uint32_t year)
{
	double t0 = now_ns(), c0 = cpu_ns();
	uint64_t words = (m->N + 63) / 64, half = m->N / 2 / 64;
	struct year_job j[2] = { { m, 0, m->bsplit, year, 0, half, 0 },
				 { m, m->bsplit, m->C, year, half, words, 0 } };
	void *(*phase[2])(void *) = { year_bits_part, year_counts_part };
	for (int ph = 0; ph < 2; ph++) {
		pthread_t th;
		int two = m->p->threads > 1 && pthread_create(&th, NULL, phase[ph], &j[1]) == 0;
		phase[ph](&j[0]);
		if (two)
			pthread_join(th, NULL);
		else
			phase[ph](&j[1]);
	}
	m->year = year;
	if (year < LOT_MAX_YEARS)
		m->s->citizens[year] = j[0].citizens + j[1].citizens;
	m->s->years_run = year + 1;
	m->s->year_ns += now_ns() - t0;
	m->s->year_cpu_ns += cpu_ns() - c0;
	return 0;
}

/* ---- the pool by the per-community index ------------------------------- */

static int in_window_a(const struct window *v, uint32_t a)
{
	return a >= v->alo && a <= v->ahi;
}

/* Index of c in the region, or -1. */
static long region_index(const struct polity *q, uint32_t c)
{
	uint32_t lo = 0, hi = q->ncomm;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (q->comm[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < q->ncomm && q->comm[lo] == c ? (long)lo : -1;
}

/* The bit a person's consent day reads under the window: VA on A days,
 * VB on B days, none in the W days (expiring before the draw). */
static unsigned char window_bit(const struct window *v, uint32_t a)
{
	return in_window_a(v, a) ? VA : a >= v->blo ? VB : 0;
}

/* Counted people before x in community c (region index ci) under the
 * window; x itself is never counted before itself. */
static uint64_t rank_in_comm(const struct sim *m, uint32_t ci, struct where w, uint32_t x,
			     const struct window *v)
{
	const uint32_t *ta = m->fa + (size_t)w.c * STRIDE, *tb = m->fb + (size_t)w.c * STRIDE;
	const uint32_t *d = m->dayoff + (size_t)w.c * STRIDE;
	unsigned char bit = window_bit(v, w.a);
	uint64_t r;
	if (bit == VA)
		r = fen_prefix(ta, w.a) - m->sa[ci];
	else if (bit == VB)
		r = (uint64_t)m->sna[ci] + fen_prefix(tb, w.a) - m->sb[ci];
	else
		/* W days: after the A days when they follow them (no wrap) */
		return w.a > v->ahi ? m->sna[ci] : 0;
	for (uint32_t y = d[w.a]; y < x; y++)
		r += (state(m, y) & (bit | SEAT)) == bit;
	return r;
}

/* The person at base position b (counted people only). */
static uint32_t select_base(const struct sim *m, const struct polity *q, uint64_t b,
			    struct where *w)
{
	uint32_t lo = 0, hi = q->ncomm; /* cum[lo] <= b < cum[hi] */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (m->cum[mid] <= b)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t c = q->comm[lo], rest, day;
	uint64_t t = b - m->cum[lo];
	const uint32_t *ta = m->fa + (size_t)c * STRIDE, *tb = m->fb + (size_t)c * STRIDE;
	const uint32_t *d = m->dayoff + (size_t)c * STRIDE;
	unsigned char bit;
	if (t < m->sna[lo]) {
		day = fen_select(ta, (uint32_t)t + m->sa[lo], &rest);
		bit = VA;
	} else {
		day = fen_select(tb, (uint32_t)(t - m->sna[lo]) + m->sb[lo], &rest);
		bit = VB;
	}
	w->c = c;
	w->a = day;
	for (uint32_t y = d[day];; y++)
		if ((state(m, y) & (bit | SEAT)) == bit && rest-- == 0)
			return y;
}

/* The person at final position j: the base order with the corrections.
 * A correction at base rank r with `off` corrections before it sits at
 * final position f = r + off (an included person there; an excluded one
 * would have been there). Position j lies before an excluded person when
 * j < f, before or on an included one when j <= f: both say key >= 2j + 2,
 * and keys never decrease in person order (distinct base people have
 * distinct ranks, an included person ranks at least one above an
 * excluded one before it), so the first correction that j does not pass
 * is found by bisection. */
static uint32_t select_pool(const struct sim *m, const struct polity *q, uint64_t j,
			    struct where *w)
{
	size_t lo = 0, hi = m->nadj;
	int64_t want = 2 * (int64_t)j + 2, offset;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->adj[mid].key >= want)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < m->nadj) {
		const struct adj *a = &m->adj[lo];
		if (a->incl && (int64_t)a->rank + a->off == (int64_t)j) {
			*w = a->w;
			return a->person;
		}
		offset = a->off;
	} else {
		offset = m->nadj ? m->adj[m->nadj - 1].off + (m->adj[m->nadj - 1].incl ? 1 : -1) : 0;
	}
	return select_base(m, q, (uint64_t)((int64_t)j - offset), w);
}

static int cmp_leaver(const void *a, const void *b)
{
	return cmp_u32(&((const struct leaver *)a)->person, &((const struct leaver *)b)->person);
}

static int is_leaver(const struct leaver *sorted, uint32_t n, uint32_t x)
{
	struct leaver key = { .person = x };
	return bsearch(&key, sorted, n, sizeof(key), cmp_leaver) != NULL;
}

/* The polity's leavers of the 6 years before the draw, sorted by person
 * and deduplicated into m->tmpl. */
static uint32_t recent_leavers(struct sim *m, struct polity *q, uint32_t draw_day)
{
	uint32_t k = 0, n = 0;
	struct leaver *t = grow(m->tmpl, &m->captmp, q->nleft + 1, sizeof(*t));
	if (!t) {
		m->oom = 1;
		return 0;
	}
	m->tmpl = t;
	for (uint32_t i = 0; i < q->nleft; i++)
		if (q->left[i].day + TERM > draw_day)
			t[k++] = q->left[i];
	if (k > 1)
		qsort(t, k, sizeof(*t), cmp_leaver);
	for (uint32_t i = 0; i < k; i++)
		if (!n || t[n - 1].person != t[i].person)
			t[n++] = t[i];
	return n;
}

/* Forget who left a seat more than 7 years ago: no pool can need them. */
static void prune_leavers(struct polity *q, uint32_t day)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < q->nleft; i++)
		if (q->left[i].day + TERM + YEAR > day)
			q->left[k++] = q->left[i];
	q->nleft = k;
}

static int add_adj(struct sim *m, uint32_t x, struct where w, uint64_t rank, int incl)
{
	struct adj *a = grow(m->adj, &m->capadj, m->nadj + 1, sizeof(*a));
	if (!a)
		return m->oom = 1, -1;
	m->adj = a;
	a[m->nadj++] = (struct adj){ x, w, rank, incl, 0, 0 };
	return 0;
}

static uint64_t fast_pool(struct sim *m, struct polity *q, uint32_t cohort,
			  int kind, uint32_t day, const struct window *v)
{
	const struct lot_params *p = m->p;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < q->ncomm; i++) {
		uint32_t c = q->comm[i];
		const uint32_t *ta = m->fa + (size_t)c * STRIDE, *tb = m->fb + (size_t)c * STRIDE;
		uint32_t a0 = fen_prefix(ta, v->alo), na = fen_prefix(ta, v->ahi + 1) - a0;
		uint32_t b0 = 0, nb = 0;
		if (v->blo < DAYS) {
			b0 = fen_prefix(tb, v->blo);
			nb = fen_prefix(tb, DAYS) - b0;
		}
		m->cum[i] = sum;
		m->sa[i] = a0;
		m->sb[i] = b0;
		m->sna[i] = na;
		sum += (uint64_t)na + nb;
	}
	m->cum[q->ncomm] = sum;
	uint64_t n = sum;
	uint32_t nl = recent_leavers(m, q, day + p->commit_days);
	m->nadj = 0;
	for (uint32_t i = 0; i < nl; i++) {
		/* excluded where the counts hold them: no seat, consent
		 * valid at the draw, community in the region */
		const struct leaver *l = &m->tmpl[i];
		unsigned char bit = window_bit(v, l->w.a);
		long ci;
		if ((state(m, l->person) & (bit | SEAT)) != bit || !bit ||
		    (ci = region_index(q, l->w.c)) < 0)
			continue;
		uint64_t r = m->cum[ci] + rank_in_comm(m, (uint32_t)ci, l->w, l->person, v);
		if (add_adj(m, l->person, l->w, r, 0) == 0)
			n--;
	}
	/* the outgoing cohort's members hold seats, so the counts leave them
	 * out, as the rule does */
	(void)cohort, (void)kind;
	if (m->nadj > 1)
		qsort(m->adj, m->nadj, sizeof(*m->adj), cmp_adj);
	int64_t off = 0;
	for (size_t i = 0; i < m->nadj; i++) {
		struct adj *a = &m->adj[i];
		a->off = off;
		a->key = 2 * ((int64_t)a->rank + off) + (a->incl ? 2 : 0);
		off += a->incl ? 1 : -1;
	}
	if (m->nadj > m->s->adjust_max)
		m->s->adjust_max = m->nadj;
	return n;
}

/* ---- the pool the straightforward way ---------------------------------- */

struct base_job {
	struct sim *m;
	const struct polity *q;
	uint32_t c0, c1, cohort, day, nl;
	int kind, half;
	const struct leaver *leavers;
	uint64_t n, ex_consent, ex_seated, ex_left, ex_outgoing;
};

static void *base_part(void *arg)
{
	struct base_job *j = arg;
	struct sim *m = j->m;
	const struct lot_params *p = m->p;
	uint32_t *out = m->bbuf[j->half];
	uint32_t draw = j->day + p->commit_days, year0 = j->day / YEAR * YEAR;
	uint32_t c = j->c0, a = 0, x = m->cstart[j->c0], end = m->cstart[j->c1];
	const uint32_t *d = m->dayoff + (size_t)c * STRIDE;
	for (; x < end; x++) {
		while (x >= m->cstart[c + 1]) {
			c++;
			a = 0;
			d = m->dayoff + (size_t)c * STRIDE;
		}
		while (x >= d[a + 1])
			a++;
		if (!m->inreg[c])
			continue;
		/* the consent's expiry, as a date, known on the commitment day */
		unsigned char v = state(m, x);
		int64_t anniversary = (int64_t)year0 + a, expiry;
		if (anniversary <= (int64_t)j->day)
			expiry = (v & VA) ? anniversary + YEAR : anniversary;
		else
			expiry = (v & VB) ? anniversary : anniversary - YEAR;
		if (expiry <= (int64_t)draw) {
			j->ex_consent++;
			continue;
		}
		if (v & SEAT) { /* the outgoing cohort's members too */
			int outgoing = 0;
			if (j->kind != K_SUPPLEMENTARY)
				for (unsigned s = j->cohort; s < p->seats; s += p->cohorts)
					outgoing |= j->q->holder[s] == x;
			if (outgoing)
				j->ex_outgoing++;
			else
				j->ex_seated++;
			continue;
		}
		if (is_leaver(j->leavers, j->nl, x)) {
			j->ex_left++;
			continue;
		}
		out[j->n++] = x;
	}
	return NULL;
}

/* The rule once more, for one person, from dates (check mode): every
 * person a pool ranks must pass it. */
static int eligible_plain(const struct sim *m, const struct polity *q, uint32_t cohort,
			  int kind, uint32_t day, uint32_t x)
{
	const struct lot_params *p = m->p;
	uint32_t c = community_of(m, x), a = day_of(m, c, x);
	int64_t anniversary = (int64_t)(day / YEAR * YEAR) + a, expiry;
	if (anniversary <= (int64_t)day)
		expiry = (state(m, x) & VA) ? anniversary + YEAR : anniversary;
	else
		expiry = (state(m, x) & VB) ? anniversary : anniversary - YEAR;
	if (expiry <= (int64_t)(day + p->commit_days) || region_index(q, c) < 0)
		return 0;
	if (state(m, x) & SEAT) /* the outgoing cohort's members too */
		return 0;
	(void)cohort, (void)kind;
	for (uint32_t i = 0; i < q->nleft; i++)
		if (q->left[i].person == x && q->left[i].day + TERM > day + p->commit_days)
			return 0;
	return 1;
}

static void stand_in(uint32_t polity, size_t ren, uint64_t n, uint32_t day,
		     unsigned char out[32])
{
	unsigned char buf[64];
	size_t l = (size_t)snprintf((char *)buf, sizeof(buf), "pnyx-bench/lot %u %zu %llu %u",
				    polity, ren, (unsigned long long)n, day);
	crypto_generichash_blake2b(out, 32, buf, l, NULL, 0);
}

/* Draws the same renewal from a pool collected by scanning everyone;
 * counts a mismatch unless the same people come out. */
static void baseline(struct sim *m, uint32_t pi, const struct renewal *rn,
		     uint64_t fast_n, const char *text, size_t tl)
{
	struct polity *q = &m->pol[pi];
	double t0 = now_ns();
	/* who left a seat of the polity within 6 years of the draw, with
	 * the rule written as a difference of dates */
	uint32_t nl = 0;
	struct leaver *t = grow(m->tmpl, &m->captmp, q->nleft + 1, sizeof(*t));
	if (!t) {
		m->oom = 1;
		return;
	}
	m->tmpl = t;
	for (uint32_t i = 0; i < q->nleft; i++)
		if ((int64_t)rn->draw_day - (int64_t)q->left[i].day < (int64_t)(6 * YEAR))
			m->tmpl[nl++] = q->left[i];
	qsort(m->tmpl, nl, sizeof(*m->tmpl), cmp_leaver);
	for (uint32_t i = 0; i < q->ncomm; i++)
		m->inreg[q->comm[i]] = 1;
	struct base_job j[2];
	for (int h = 0; h < 2; h++)
		j[h] = (struct base_job){ .m = m, .q = q, .cohort = rn->cohort, .day = rn->commit_day,
					  .nl = nl, .kind = (int)rn->kind, .half = h,
					  .leavers = m->tmpl };
	j[0].c0 = 0;
	j[0].c1 = j[1].c0 = m->bsplit;
	j[1].c1 = m->C;
	pthread_t th;
	int two = m->p->threads > 1 && pthread_create(&th, NULL, base_part, &j[1]) == 0;
	base_part(&j[0]);
	if (two)
		pthread_join(th, NULL);
	else
		base_part(&j[1]);
	for (uint32_t i = 0; i < q->ncomm; i++)
		m->inreg[q->comm[i]] = 0;
	uint64_t n = j[0].n + j[1].n;
	unsigned char commitment[32], seed[32];
	stand_in(pi, (size_t)(rn - m->ren), n, rn->commit_day, commitment);
	px_seed_derive(commitment, text, tl, seed);
	uint32_t r = rn->r;
	int bad = n != fast_n;
	if (!bad && r && px_draw_rank(seed, n, r, m->pos, NULL))
		bad = 1, m->oom = 1;
	for (uint32_t i = 0; i < r && !bad; i++) {
		uint32_t at = m->pos[i];
		uint32_t x = at < j[0].n ? m->bbuf[0][at] : m->bbuf[1][at - j[0].n];
		bad = x != m->ranked[rn->off + i];
	}
	/* check mode, small pools: every position, not only those drawn */
	for (uint64_t at = 0; m->p->check && !bad && n <= 20000 && at < n; at++) {
		struct where w;
		uint32_t x = at < j[0].n ? m->bbuf[0][at] : m->bbuf[1][(size_t)(at - j[0].n)];
		uint32_t y = select_pool(m, q, at, &w);
		bad = x != y || w.c != community_of(m, y) || w.a != day_of(m, w.c, y);
	}
	struct lot_stats *s = m->s;
	s->base_ns += now_ns() - t0;
	s->base_samples++;
	s->base_pool_sum += n;
	s->base_mismatch += bad;
	if (bad)
		fprintf(stderr, "lot: renewal %zu of polity %u: straightforward pool %llu, "
			"indexed %llu, or other people drawn\n", (size_t)(rn - m->ren), pi,
			(unsigned long long)n, (unsigned long long)fast_n);
	for (int h = 0; h < 2; h++) {
		s->ex_consent += j[h].ex_consent;
		s->ex_seated += j[h].ex_seated;
		s->ex_left += j[h].ex_left;
		s->ex_outgoing += j[h].ex_outgoing;
	}
}

/* ---- seats ------------------------------------------------------------ */

static void check_invariants(struct sim *m)
{
	const struct lot_params *p = m->p;
	struct lot_stats *s = m->s;
	uint64_t held = 0;
	memset(m->count, 0, m->N);
	for (uint32_t i = 0; i < m->npol; i++)
		for (unsigned k = 0; k < p->seats; k++) {
			uint32_t x = m->pol[i].holder[k];
			if (x == NONE)
				continue;
			held++;
			if (m->count[x]++ || !(state(m, x) & SEAT))
				s->violations++; /* two seats, or a seat not marked */
			uint32_t c = community_of(m, x);
			if (m->pol[i].hw[k].c != c || m->pol[i].hw[k].a != day_of(m, c, x))
				s->violations++; /* where the holder sits, misremembered */
		}
	uint64_t marked = 0;
	for (uint64_t x = 0; x < m->N; x++)
		marked += (state(m, x) & SEAT) != 0;
	if (marked != held)
		s->violations++;
	/* the counts are the people's bits, recounted */
	for (uint32_t c = 0; c < m->C; c++) {
		const uint32_t *d = m->dayoff + (size_t)c * STRIDE;
		const uint32_t *ta = m->fa + (size_t)c * STRIDE, *tb = m->fb + (size_t)c * STRIDE;
		for (uint32_t a = 0; a < DAYS; a++) {
			uint32_t na = 0, nb = 0;
			for (uint32_t x = d[a]; x < d[a + 1]; x++) {
				na += (state(m, x) & (VA | SEAT)) == VA;
				nb += (state(m, x) & (VB | SEAT)) == VB;
			}
			if (fen_prefix(ta, a + 1) - fen_prefix(ta, a) != na ||
			    fen_prefix(tb, a + 1) - fen_prefix(tb, a) != nb)
				s->violations++;
		}
	}
	s->checks++;
}

static void vacate(struct sim *m, struct polity *q, unsigned seat, uint32_t day)
{
	uint32_t x = q->holder[seat];
	struct where w = q->hw[seat];
	set_seat(m, x, 0);
	seat_counts(m, x, w, +1);
	q->holder[seat] = NONE;
	struct leaver *l = grow(q->left, &q->capleft, q->nleft + 1, sizeof(*l));
	if (!l) {
		m->oom = 1;
		return;
	}
	q->left = l;
	l[q->nleft++] = (struct leaver){ x, day, w };
}

static void start_supplementary(struct sim *m, uint32_t pi, unsigned cohort, uint32_t day)
{
	struct polity *q = &m->pol[pi];
	if (q->supp[cohort])
		return;
	q->supp[cohort] = 1;
	push(m, day, E_COMMIT, pi, cohort, K_SUPPLEMENTARY, 0);
}

/* Fill a vacant seat from the renewal's ranked list, in order: the one-seat
 * rule and consent checked at this moment, the summons answered. */
static int fill_seat(struct sim *m, uint32_t pi, unsigned seat, uint32_t ri, uint32_t day)
{
	const struct lot_params *p = m->p;
	struct polity *q = &m->pol[pi];
	struct renewal *rn = &m->ren[ri];
	while (rn->cursor < rn->r) {
		struct where w = m->rw[rn->off + rn->cursor];
		uint32_t x = m->ranked[rn->off + rn->cursor++];
		if (state(m, x) & SEAT) {
			m->s->skip_seated++;
			continue;
		}
		if (!consent_valid(m, x, w, day)) {
			m->s->skip_consent++;
			continue;
		}
		if (unit(&m->rng) < p->excuse) {
			m->s->excused++;
			continue;
		}
		set_seat(m, x, 1);
		seat_counts(m, x, w, -1);
		q->holder[seat] = x;
		q->hw[seat] = w;
		m->s->seatings++;
		/* a resignation some day of the term, at the yearly rate */
		uint32_t end = q->term_end[seat % p->cohorts];
		double rate = -log(1.0 - p->resign) / YEAR;
		double after = -log(1.0 - unit(&m->rng)) / rate;
		if (p->resign > 0 && day + after < end)
			push(m, day + 1 + (uint32_t)after, E_RESIGN, pi, seat, x, end);
		return 1;
	}
	return 0;
}

static void fill_cohort(struct sim *m, uint32_t pi, unsigned cohort, uint32_t ri, uint32_t day)
{
	const struct lot_params *p = m->p;
	struct polity *q = &m->pol[pi];
	int vacant = 0;
	for (unsigned s = cohort; s < p->seats; s += p->cohorts)
		if (q->holder[s] == NONE && !fill_seat(m, pi, s, ri, day))
			vacant = 1;
	if (vacant) {
		if (m->ren[ri].n > m->ren[ri].r)
			start_supplementary(m, pi, cohort, day);
		else
			m->s->unfilled++; /* the whole pool ranked: nobody left */
	}
}

/* ---- the procedure ------------------------------------------------------- */

static void on_commit(struct sim *m, uint32_t pi, unsigned cohort, int kind, uint32_t day)
{
	const struct lot_params *p = m->p;
	struct lot_stats *s = m->s;
	struct polity *q = &m->pol[pi];
	unsigned seats = 0;
	for (unsigned k = cohort; k < p->seats; k += p->cohorts)
		seats += kind != K_SUPPLEMENTARY || q->holder[k] == NONE;
	if (!seats) {
		q->supp[cohort] = 0;
		return;
	}
	struct window v = window_of(day, p->commit_days);
	double t0 = now_ns();
	uint64_t n = fast_pool(m, q, cohort, kind, day, &v);
	double t1 = now_ns();
	struct renewal *rn = grow(m->ren, &m->capren, m->nren + 1, sizeof(*rn));
	if (!rn) {
		m->oom = 1;
		return;
	}
	m->ren = rn;
	rn = &m->ren[m->nren];
	unsigned alternates = p->alternates < 5 ? 5 : p->alternates;
	uint64_t r = seats + alternates;
	if (r > n)
		r = n;
	*rn = (struct renewal){ pi, cohort, (uint32_t)kind, day, day + p->commit_days,
				seats, (uint32_t)r, 0, n, m->nranked };
	uint32_t *rk = grow(m->ranked, &m->capranked, m->nranked + r, sizeof(*rk));
	if (rk)
		m->ranked = rk;
	struct where *rw = grow(m->rw, &m->caprw, m->nranked + r, sizeof(*rw));
	if (rw)
		m->rw = rw;
	if (!rk || !rw) {
		m->oom = 1;
		return;
	}
	/* the seed: a simulated public source (dice), derived by src/core */
	char text[64];
	unsigned char commitment[32], seed[32];
	uint64_t dice = next64(&m->rng);
	int tl = snprintf(text, sizeof(text), "dice:%u,%u,%u,%u,%u,%u", (unsigned)(dice % 6 + 1),
			  (unsigned)(dice / 6 % 6 + 1), (unsigned)(dice / 36 % 6 + 1),
			  (unsigned)(dice / 216 % 6 + 1), (unsigned)(dice / 1296 % 6 + 1),
			  (unsigned)(dice / 7776 % 6 + 1));
	stand_in(pi, m->nren, n, day, commitment);
	px_seed_derive(commitment, text, (size_t)tl, seed);
	if (r && px_draw_rank(seed, n, r, m->pos, NULL)) {
		m->oom = 1;
		return;
	}
	for (uint64_t i = 0; i < r; i++) {
		uint32_t x = select_pool(m, q, m->pos[i], &m->rw[m->nranked + i]);
		m->ranked[m->nranked + i] = x;
		if (p->check && !eligible_plain(m, q, cohort, kind, day, x))
			s->violations++;
		for (uint64_t k = 0; p->check && k < i; k++)
			s->violations += m->ranked[m->nranked + k] == x; /* ranked twice */
	}
	m->nranked += r;
	double t2 = now_ns();
	m->nren++;
	s->commits++;
	s->pool_ns += t1 - t0;
	s->draw_ns += t2 - t1;
	s->pool_sum += n;
	if (n > s->pool_max)
		s->pool_max = n;
	if (n < s->pool_min)
		s->pool_min = n;
	if (t1 - t0 > s->max_pool_ns)
		s->max_pool_ns = t1 - t0;
	s->pool_ns_level[q->level] += t1 - t0;
	s->pool_n_level[q->level] += (double)n;
	s->commits_level[q->level]++;
	double *rt = grow(m->renewal_ns, &m->caprenewal_ns, m->nrenewal_ns + 1, sizeof(*rt));
	if (rt) {
		m->renewal_ns = rt;
		rt[m->nrenewal_ns++] = t2 - t0;
	}
	/* the straightforward pool, on samples spread over the run */
	uint64_t every = (uint64_t)p->polities * (p->cohorts + p->years) /
			 (p->baseline_samples ? p->baseline_samples : 1);
	int sample = p->check || (p->baseline_samples && s->commits % (every ? every : 1) == 1);
	if (sample && s->base_samples < (p->check ? UINT64_MAX : p->baseline_samples)) {
		/* this renewal's own time, beside the straightforward one; the
		 * index's state of this pool is still in place for the check */
		s->base_fast_ns += t2 - t0;
		baseline(m, pi, &m->ren[m->nren - 1], n, text, (size_t)tl);
	}
	push(m, day + p->commit_days, E_DRAW, (uint32_t)(m->nren - 1), 0, 0, 0);
}

static void on_draw(struct sim *m, uint32_t ri, uint32_t day)
{
	const struct lot_params *p = m->p;
	struct renewal rn = m->ren[ri];
	struct polity *q = &m->pol[rn.polity];
	unsigned k = rn.cohort;
	double t0 = now_ns();
	m->s->draws[rn.kind]++;
	if (rn.kind == K_SUPPLEMENTARY) {
		q->supp[k] = 0;
	} else {
		for (unsigned s = k; s < p->seats; s += p->cohorts)
			if (q->holder[s] != NONE) {
				vacate(m, q, s, day);
				m->s->term_ends++;
			}
		/* cohort k's first term is (k+1) * 6 / C years, then 6 years */
		uint32_t term = rn.kind == K_FOUNDING ? (k + 1) * (6 / p->cohorts) * YEAR : TERM;
		q->term_end[k] = day + term;
		if (q->term_end[k] <= q->reg_day + p->years * YEAR)
			push(m, q->term_end[k] - p->commit_days, E_COMMIT, rn.polity, k, K_REGULAR, 0);
	}
	q->cur_ren[k] = ri;
	prune_leavers(q, day);
	fill_cohort(m, rn.polity, k, ri, day);
	m->s->seat_ns += now_ns() - t0;
}

static void on_resign(struct sim *m, uint32_t pi, unsigned seat, uint32_t x,
		      uint32_t term_end, uint32_t day)
{
	const struct lot_params *p = m->p;
	struct polity *q = &m->pol[pi];
	if (q->holder[seat] != x || q->term_end[seat % p->cohorts] != term_end)
		return; /* the seat changed hands since, or a new term began */
	double t0 = now_ns();
	vacate(m, q, seat, day);
	m->s->resignations++;
	uint32_t ri = q->cur_ren[seat % p->cohorts];
	if (fill_seat(m, pi, seat, ri, day))
		m->s->replacements++;
	else if (m->ren[ri].n > m->ren[ri].r)
		start_supplementary(m, pi, seat % p->cohorts, day);
	else
		m->s->unfilled++;
	m->s->seat_ns += now_ns() - t0;
}

/* ---- the run ----------------------------------------------------------- */

static void sim_free(struct sim *m)
{
	if (m->pol)
		for (uint32_t i = 0; i < m->npol; i++) {
			struct polity *q = &m->pol[i];
			free(q->comm);
			free(q->holder);
			free(q->hw);
			free(q->term_end);
			free(q->cur_ren);
			free(q->supp);
			free(q->left);
		}
	free(m->pol);
	free(m->cstart);
	free(m->dayoff);
	free(m->pb);
	free(m->pa);
	free(m->ps);
	free(m->zero);
	free(m->fa);
	free(m->fb);
	free(m->ren);
	free(m->ranked);
	free(m->rw);
	free(m->heap);
	free(m->cum);
	free(m->adj);
	free(m->tmpl);
	free(m->sa);
	free(m->sb);
	free(m->sna);
	free(m->pos);
	free(m->inreg);
	free(m->bbuf[0]);
	free(m->bbuf[1]);
	free(m->renewal_ns);
	free(m->count);
}

void lot_params_default(struct lot_params *p)
{
	*p = (struct lot_params){
		.people = 330000000, .states = 50, .districts = 10, .counties = 8,
		.communities = 10, .polities = 10000, .max_run = 100,
		.seats = 150, .cohorts = 6, .alternates = 25, .years = 12,
		.commit_days = 14, .renew = 0.92, .comeback = 0.5, .excuse = 0.05,
		.resign = 0.02, .seed = 13, .threads = 2, .baseline_samples = 12,
	};
}

void lot_params_quick(struct lot_params *p)
{
	lot_params_default(p);
	p->people = 33000000;
	p->states = 10;
	p->districts = 5;
	p->polities = 1000;
}

int lot_run(const struct lot_params *p, struct lot_stats *s)
{
	struct sim m = { .p = p, .s = s };
	int rc = -1;
	double t0 = now_ns();
	memset(s, 0, sizeof(*s));
	s->pool_min = UINT64_MAX;
	uint64_t C = (uint64_t)p->states * p->districts * p->counties * p->communities;
	uint64_t area = 1 + p->states + (uint64_t)p->states * p->districts +
			(uint64_t)p->states * p->districts * p->counties;
	if (!C || C > UINT32_MAX / STRIDE || p->people >= UINT32_MAX || p->polities < area ||
	    !p->seats || p->seats > 150 || !p->cohorts || 6 % p->cohorts ||
	    p->cohorts > p->seats || p->commit_days >= YEAR || !p->max_run) {
		fprintf(stderr, "lot: impossible parameters (polities must be at least %llu)\n",
			(unsigned long long)area);
		return -1;
	}
	if (sodium_init() < 0)
		return -1;
	m.C = (uint32_t)C;
	m.N = p->people;
	m.rng = p->seed;
	s->people = m.N;
	s->communities = m.C;
	s->polities = p->polities;
	m.cstart = malloc((C + 1) * sizeof(*m.cstart));
	m.dayoff = malloc(C * STRIDE * sizeof(*m.dayoff));
	size_t words = (size_t)(m.N + 63) / 64 + 1;
	m.pb = calloc(words, 8);
	m.pa = calloc(words, 8);
	m.ps = calloc(words, 8);
	m.zero = calloc(words, 8);
	m.fa = calloc(C * STRIDE, sizeof(*m.fa));
	m.fb = calloc(C * STRIDE, sizeof(*m.fb));
	m.cum = malloc((C + 1) * sizeof(*m.cum));
	m.sa = malloc(C * sizeof(*m.sa));
	m.sb = malloc(C * sizeof(*m.sb));
	m.sna = malloc(C * sizeof(*m.sna));
	m.pos = malloc((p->seats + (p->alternates < 5 ? 5 : p->alternates) + 1) * sizeof(*m.pos));
	m.inreg = calloc(C, 1);
	if (p->check)
		m.count = malloc(m.N ? m.N : 1);
	if (!m.cstart || !m.dayoff || !m.pb || !m.pa || !m.ps || !m.zero || !m.fa || !m.fb || !m.cum || !m.sa || !m.sb ||
	    !m.sna || !m.pos ||
	    !m.inreg || (p->check && !m.count) || build_nation(&m) || build_polities(&m))
		goto out;
	/* the two halves for the threads: communities split near the middle */
	m.bsplit = community_of(&m, (uint32_t)(m.N / 2));
	if (p->baseline_samples || p->check) {
		m.bbuf[0] = malloc(((uint64_t)m.cstart[m.bsplit] + 1) * sizeof(uint32_t));
		m.bbuf[1] = malloc(((uint64_t)(m.N - m.cstart[m.bsplit]) + 1) * sizeof(uint32_t));
		if (!m.bbuf[0] || !m.bbuf[1])
			goto out;
	}
	year_pass(&m, 0);
	s->init_ns = now_ns() - t0;
	for (uint32_t i = 0; i < m.npol; i++)
		for (unsigned k = 0; k < p->cohorts; k++)
			push(&m, m.pol[i].reg_day - p->commit_days, E_COMMIT, i, k, K_FOUNDING, 0);
	while (m.nheap && !m.oom) {
		struct event e = pop(&m);
		uint32_t day = (uint32_t)(e.key >> 34);
		unsigned type = (unsigned)(e.key >> 32) & 3;
		while (day / YEAR > m.year)
			year_pass(&m, m.year + 1);
		if (type == E_COMMIT)
			on_commit(&m, e.a, e.b, (int)e.c, day);
		else if (type == E_DRAW)
			on_draw(&m, e.a, day);
		else
			on_resign(&m, e.a, e.b, e.c, e.d, day);
		if (p->check)
			check_invariants(&m);
	}
	if (m.oom) {
		fprintf(stderr, "lot: out of memory\n");
		goto out;
	}
	/* the one-seat rule over the final state, whatever the scale */
	{
		uint32_t *h = malloc(((size_t)m.npol * p->seats + 1) * sizeof(*h));
		size_t nh = 0;
		uint64_t marked = 0;
		if (!h)
			goto out;
		for (uint32_t i = 0; i < m.npol; i++)
			for (unsigned k = 0; k < p->seats; k++)
				if (m.pol[i].holder[k] != NONE) {
					if (!(state(&m, m.pol[i].holder[k]) & SEAT))
						s->violations++;
					h[nh++] = m.pol[i].holder[k];
				}
		qsort(h, nh, sizeof(*h), cmp_u32);
		for (size_t i = 1; i < nh; i++)
			s->violations += h[i] == h[i - 1];
		free(h);
		for (uint64_t x = 0; x < m.N; x++)
			marked += (state(&m, (uint32_t)x) & SEAT) != 0;
		s->violations += marked != nh;
		s->seats_held_end = nh;
	}
	if (m.nrenewal_ns) {
		qsort(m.renewal_ns, m.nrenewal_ns, sizeof(double), cmp_double);
		s->med_renewal_ns = m.renewal_ns[m.nrenewal_ns / 2];
		s->p99_renewal_ns = m.renewal_ns[m.nrenewal_ns * 99 / 100];
		s->max_renewal_ns = m.renewal_ns[m.nrenewal_ns - 1];
	}
	rc = 0;
out:
	sim_free(&m);
	s->total_ns = now_ns() - t0;
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		s->peak_rss_kb = ru.ru_maxrss;
		s->cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			   (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	}
	return rc;
}
