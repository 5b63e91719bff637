/*
 * rounding.c: ticket counts for a lottery of m panels (rounding.h,
 * docs/sortition.md section 8.4). The optimal rounding follows the
 * integer program of Flanigan, Kehne and Procaccia, "Fair sortition made
 * transparent" (NeurIPS 2021): over the panels of the distribution, the
 * m-uniform lottery that minimises the largest change of anyone's
 * selection probability; here worked on types, with every panel rounded
 * to its floor or one more ticket.
 *
 * With lo_P = floor(m lambda_P), u_P in {0,1} (n_P = lo_P + u_P),
 * target_t = m pi_t and S_t = sum_P n_P x_{P,t} the seats of type t over
 * the m tickets, a member of type t is on floor(S_t / c_t) or
 * ceil(S_t / c_t) tickets, so a rounding has deviation at most delta iff
 *
 *     sum_P u_P = m - sum_P lo_P
 *     c_t ceil(target_t - delta) <= S_t <= c_t floor(target_t + delta)
 *
 * for every type: an integer feasibility program with no auxiliary
 * variable, which GLPK handles far better than the equivalent program
 * minimising a continuous D (its relaxation is always 0, and branch and
 * bound found nothing better than the heuristic on the 22-seat fixture in
 * 30 s). Every deviation is |j - target_t| for an integer j, so the
 * optimum is found by bisection over those values, between a lower bound
 * (subset sums per type) and the heuristic's deviation.
 *
 * Determinism: panels enter the program in ascending order of their seat
 * vectors, GLPK runs with fixed options (no presolver, primal simplex
 * from the standard basis, then branch and bound stopped at the first
 * rounding found), and each program stops after a fixed number of nodes,
 * a count that does not depend on the machine's speed. The time limit
 * only guards against a pathological instance; when it strikes, the
 * heuristic is used, so the result is still one of two deterministic
 * ones. Invariant of every result: n sums to m and each n_P is lo_P or
 * lo_P + 1.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "alloc.h"
#include "errors.h"
#include "i18n.h"
#include "leximin.h"
#include "quota.h"
#include "rounding.h"
#include "banned.h"

static const char *const names[] = {
	[PX_ROUND_OPTIMAL] = "optimal",
	[PX_ROUND_HEURISTIC] = "heuristic",
	[PX_ROUND_IMPROVED] = "improved",
};

const char *px_rounding_name(enum px_rounding r)
{
	return (size_t)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}

double px_round_deviation(const struct px_quota *q, const struct px_dist *d,
			  const size_t *n, size_t m)
{
	size_t T = q->ntypes;
	double worst = 0;
	uint64_t *seats = calloc(T ? T : 1, sizeof(uint64_t));
	if (!seats)
		return INFINITY;
	for (size_t p = 0; p < d->npanels; p++)
		for (size_t i = d->start[p]; i < d->start[p + 1]; i++)
			seats[d->type[i]] += (uint64_t)n[p] * (uint64_t)d->seats[i];
	for (size_t t = 0; t < T; t++) {
		uint64_t s = seats[t], c = q->type_count[t];
		if (!c)
			continue;
		double target = d->type_prob[t] * (double)m;
		double lo = (double)(s / c), hi = (double)((s + c - 1) / c);
		if (fabs(lo - target) > worst)
			worst = fabs(lo - target);
		if (fabs(hi - target) > worst)
			worst = fabs(hi - target);
	}
	free(seats);
	return worst;
}

static int by_rem(const void *a, const void *b)
{
	const double *x = a, *y = b; /* {remainder, index} */
	if (x[0] != y[0])
		return x[0] > y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* A type's deviation when its seats over the tickets are s (see
 * px_round_deviation). */
static double type_dev(uint64_t s, uint64_t c, double target)
{
	double lo = (double)(s / c), hi = (double)((s + c - 1) / c);
	double a = fabs(lo - target), b = fabs(hi - target);
	return a > b ? a : b;
}

static int by_dev(const void *a, const void *b)
{
	const double *x = a, *y = b; /* {deviation, type} */
	if (x[0] != y[0])
		return x[0] > y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/*
 * The moves of the heuristic, computed incrementally: the seats S_t of
 * every type are kept, and a move (one ticket from panel a to panel b)
 * only changes the types that a or b seats, so its deviation is the
 * largest of those types' new deviations and of the largest deviation
 * among the types it leaves alone (the types in descending order of
 * deviation, the first not touched). A move can only beat the current
 * deviation when it changes every type that reaches it, which is checked
 * first, in O(1) for the usual single worst type. Each move's deviation
 * is the same number px_round_deviation() gives, so the moves taken are
 * exactly those of the plain search (every pair, full recomputation),
 * at a fraction of its cost: that was O(P^3 T) per move, 40 s on a
 * distribution of 300 panels over 965 types (issue 19).
 */
struct movers {
	size_t T, P;
	size_t *start, *type;   /* panel p's types: type[start[p]..start[p+1]) */
	int *seats;             /* and their seats, alongside */
	uint64_t *s;            /* T: seats over the tickets */
	double *target, *dev;   /* T */
	double *order;          /* 2T: {dev, type}, descending */
	int64_t *delta;         /* T: scratch, zero between moves */
	size_t *touched;        /* T */
	size_t *worst;          /* T: types at the current deviation */
};

static void movers_free(struct movers *mv)
{
	free(mv->start);
	free(mv->type);
	free(mv->seats);
	free(mv->s);
	free(mv->target);
	free(mv->dev);
	free(mv->order);
	free(mv->delta);
	free(mv->touched);
	free(mv->worst);
}

static int movers_init(struct movers *mv, const struct px_quota *q,
		       const struct px_dist *d, size_t m, const size_t *n)
{
	size_t P = d->npanels, T = q->ntypes, nnz = d->start[P];
	memset(mv, 0, sizeof(*mv));
	mv->T = T;
	mv->P = P;
	mv->start = px_mallocarray(P + 1, sizeof(size_t));
	mv->type = px_mallocarray(nnz ? nnz : 1, sizeof(size_t));
	mv->seats = px_mallocarray(nnz ? nnz : 1, sizeof(int));
	mv->s = calloc(T ? T : 1, sizeof(uint64_t));
	mv->target = px_mallocarray(T ? T : 1, sizeof(double));
	mv->dev = px_mallocarray(T ? T : 1, sizeof(double));
	mv->order = px_mallocarray2(T ? T : 1, 2, sizeof(double));
	mv->delta = calloc(T ? T : 1, sizeof(int64_t));
	mv->touched = px_mallocarray(T ? T : 1, sizeof(size_t));
	mv->worst = px_mallocarray(T ? T : 1, sizeof(size_t));
	if (!mv->start || !mv->type || !mv->seats || !mv->s || !mv->target || !mv->dev ||
	    !mv->order || !mv->delta || !mv->touched || !mv->worst) {
		movers_free(mv);
		return PX_E_NOMEM;
	}
	nnz = 0;
	for (size_t p = 0; p < P; p++) {
		mv->start[p] = nnz;
		for (size_t i = d->start[p]; i < d->start[p + 1]; i++) {
			size_t t = d->type[i];
			int x = d->seats[i];
			mv->type[nnz] = t;
			mv->seats[nnz++] = x;
			mv->s[t] += (uint64_t)n[p] * (uint64_t)x;
		}
	}
	mv->start[P] = nnz;
	for (size_t t = 0; t < T; t++)
		mv->target[t] = d->type_prob[t] * (double)m;
	return 0;
}

/* The deviation of move a -> b, or a number at least `beat` as soon as
 * it is clear the move does not go below beat. */
static double move_dev(struct movers *mv, const struct px_quota *q, size_t a, size_t b,
		       double beat)
{
	size_t nt = 0;
	double v = 0;
	for (size_t i = mv->start[a]; i < mv->start[a + 1]; i++) {
		size_t t = mv->type[i];
		if (!mv->delta[t])
			mv->touched[nt++] = t;
		mv->delta[t] -= mv->seats[i];
	}
	for (size_t i = mv->start[b]; i < mv->start[b + 1]; i++) {
		size_t t = mv->type[i];
		if (!mv->delta[t])
			mv->touched[nt++] = t;
		mv->delta[t] += mv->seats[i];
	}
	for (size_t i = 0; i < nt && v < beat; i++) {
		size_t t = mv->touched[i];
		uint64_t c = q->type_count[t];
		if (!c || !mv->delta[t])
			continue;
		double e = type_dev((uint64_t)((int64_t)mv->s[t] + mv->delta[t]), c,
				    mv->target[t]);
		if (e > v)
			v = e;
	}
	/* the largest deviation among the types left alone */
	for (size_t j = 0; j < mv->T && v < beat; j++) {
		size_t t = (size_t)mv->order[2 * j + 1];
		if (mv->delta[t])
			continue;
		if (mv->order[2 * j] > v)
			v = mv->order[2 * j];
		break;
	}
	for (size_t i = 0; i < nt; i++)
		mv->delta[mv->touched[i]] = 0;
	return v;
}

/*
 * The heuristic: the tickets left after the floors go to the largest
 * fractional parts (ties to the earlier panel), then single tickets move
 * from a rounded-up panel to a rounded-down one while the deviation
 * drops (at most HEUR_MOVES moves, and only for at most HEUR_PANELS
 * panels): each time the move of least deviation, the first in the order
 * (a, b) on ties.
 */
#define HEUR_MOVES 50
#define HEUR_PANELS 300
#define HEUR_EVALS 200000 /* above HEUR_PANELS: moves weighed, in all */
/* Above this many panels the integer programs are not tried: on 1,889
 * panels over 2,134 types (10,000 people) GLPK's first one ran out of its
 * 30 s without a rounding, where the balanced rounding below takes
 * under a second; deterministic either way. */
#define IP_PANELS HEUR_PANELS

/*
 * Above HEUR_PANELS panels (a distribution over thousands of types has
 * about as many panels), the largest remainders leave some type many
 * tickets off (17 of 1000 on 10,000 people of 2,134 types), since they
 * look at no type at all. There the first rounding is derandomised
 * instead, after the method of pessimistic estimators (the hyperbolic
 * cosine potential of Spencer's balancing): the panels are decided one
 * at a time, each rounded up or down whichever keeps
 *     sum_t cosh(alpha e_t / c_t) + cosh(alpha E)
 * smaller, e_t the seats type t has gained over its target from the
 * panels decided (so e_t / c_t is its members' error in tickets) and E
 * the tickets given over the fractional sum; exactly m - sum lo panels
 * are rounded up (the last ones are forced when it comes to that). A
 * decision costs the panel's seated types, so a pass is O(P k). A few
 * passes (alpha, and the panels in their own order or from the fractional
 * part nearest a half) are made and the one of least deviation is kept,
 * the first on ties, so it is deterministic. The moves below then start
 * from it, weighing HEUR_EVALS moves in all at most (a count, so the
 * result does not depend on the machine), the best found so far taken
 * when the count runs out within a round.
 */
struct frac_ord {
	double key;
	size_t p;
};

static int by_key(const void *a, const void *b)
{
	const struct frac_ord *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

static int balanced(const struct px_quota *q, const struct px_dist *d, size_t m,
		    const size_t *lo, const struct movers *mv, size_t *n)
{
	size_t P = d->npanels, T = q->ntypes, ups = m;
	double *e = px_mallocarray(T ? T : 1, sizeof(double));
	double *f = px_mallocarray(P, sizeof(double));
	struct frac_ord *ord = px_mallocarray(P, sizeof(*ord));
	size_t *try = px_mallocarray(P, sizeof(size_t));
	if (!e || !f || !ord || !try) {
		free(e);
		free(f);
		free(ord);
		free(try);
		return PX_E_NOMEM;
	}
	for (size_t p = 0; p < P; p++) {
		f[p] = d->prob[p] * (double)m - (double)lo[p];
		if (f[p] < 0)
			f[p] = 0;
		if (f[p] > 1)
			f[p] = 1;
		ups -= lo[p];
	}
	static const double alphas[] = { 0.5, 1, 2, 4 };
	double best = -1;
	for (int how = 0; how < 2; how++) {
		for (size_t p = 0; p < P; p++)
			ord[p] = (struct frac_ord){ how ? -fabs(f[p] - 0.5) : 0, p };
		if (how)
			qsort(ord, P, sizeof(*ord), by_key);
		for (size_t ai = 0; ai < sizeof(alphas) / sizeof(alphas[0]); ai++) {
			double al = alphas[ai], E = 0;
			size_t need = ups;
			memset(e, 0, T * sizeof(double));
			for (size_t i = 0; i < P; i++) {
				size_t p = ord[i].p;
				int up;
				if (need == 0)
					up = 0;
				else if (need >= P - i)
					up = 1;
				else {
					double cu = cosh(al * (E + 1 - f[p])), cd = cosh(al * (E - f[p]));
					for (size_t j = mv->start[p]; j < mv->start[p + 1]; j++) {
						size_t t = mv->type[j];
						double c = (double)q->type_count[t], x = mv->seats[j];
						cu += cosh(al * (e[t] + (1 - f[p]) * x) / c);
						cd += cosh(al * (e[t] - f[p] * x) / c);
					}
					up = cu < cd;
				}
				double g = (up ? 1 : 0) - f[p];
				E += g;
				for (size_t j = mv->start[p]; j < mv->start[p + 1]; j++)
					e[mv->type[j]] += g * mv->seats[j];
				try[p] = lo[p] + (size_t)up;
				need -= (size_t)up;
			}
			double dev = px_round_deviation(q, d, try, m);
			if (best < 0 || dev < best - 1e-12) {
				best = dev;
				memcpy(n, try, P * sizeof(size_t));
			}
		}
	}
	free(e);
	free(f);
	free(ord);
	free(try);
	return 0;
}

static int heuristic(const struct px_quota *q, const struct px_dist *d,
		     size_t m, const size_t *lo, size_t *n)
{
	size_t P = d->npanels, T = q->ntypes, evals = 0;
	double *rem = px_mallocarray2(P, 2, sizeof(double));
	if (!rem)
		return PX_E_NOMEM;
	size_t given = 0;
	for (size_t p = 0; p < P; p++) {
		double x = d->prob[p] * (double)m;
		n[p] = lo[p];
		given += n[p];
		rem[2 * p] = x - floor(x);
		rem[2 * p + 1] = (double)p;
	}
	qsort(rem, P, 2 * sizeof(double), by_rem);
	for (size_t i = 0; given < m; i = (i + 1) % P) {
		n[(size_t)rem[2 * i + 1]]++;
		given++;
	}
	free(rem);
	struct movers mv;
	if (movers_init(&mv, q, d, m, n))
		return PX_E_NOMEM;
	if (P > HEUR_PANELS) {
		if (balanced(q, d, m, lo, &mv, n)) {
			movers_free(&mv);
			return PX_E_NOMEM;
		}
		memset(mv.s, 0, T * sizeof(uint64_t));
		for (size_t p = 0; p < P; p++)
			for (size_t i = mv.start[p]; i < mv.start[p + 1]; i++)
				mv.s[mv.type[i]] += (uint64_t)n[p] * (uint64_t)mv.seats[i];
	}
	for (int iter = 0; iter < HEUR_MOVES && (P <= HEUR_PANELS || evals < HEUR_EVALS); iter++) {
		double cur = 0;
		size_t nworst = 0;
		for (size_t t = 0; t < T; t++) {
			uint64_t c = q->type_count[t];
			mv.dev[t] = c ? type_dev(mv.s[t], c, mv.target[t]) : 0;
			if (mv.dev[t] > cur)
				cur = mv.dev[t];
			mv.order[2 * t] = mv.dev[t];
			mv.order[2 * t + 1] = (double)t;
		}
		qsort(mv.order, T, 2 * sizeof(double), by_dev);
		/* a move beats cur only if it changes every type at cur */
		for (size_t t = 0; t < T; t++)
			if (q->type_count[t] && mv.dev[t] >= cur - 1e-12)
				mv.worst[nworst++] = t;
		double best = cur;
		size_t ba = 0, bb = 0;
		for (size_t a = 0; a < P && (P <= HEUR_PANELS || evals < HEUR_EVALS); a++) {
			if (n[a] <= lo[a])
				continue;
			for (size_t b = 0; b < P; b++) {
				if (b == a || n[b] > lo[b])
					continue;
				size_t w = 0;
				while (w < nworst && px_dist_seats(d, a, mv.worst[w]) !=
						     px_dist_seats(d, b, mv.worst[w]))
					w++;
				if (w < nworst)
					continue;
				evals++;
				double v = move_dev(&mv, q, a, b, best - 1e-12);
				if (v < best - 1e-12) {
					best = v;
					ba = a;
					bb = b;
				}
			}
		}
		if (best >= cur)
			break;
		n[ba]--;
		n[bb]++;
		for (size_t i = mv.start[ba]; i < mv.start[ba + 1]; i++)
			mv.s[mv.type[i]] -= (uint64_t)mv.seats[i];
		for (size_t i = mv.start[bb]; i < mv.start[bb + 1]; i++)
			mv.s[mv.type[i]] += (uint64_t)mv.seats[i];
	}
	movers_free(&mv);
	return 0;
}

/* Panels in canonical order: ascending seat vectors (compared as the
 * dense vectors they stand for: at the first type where they differ, the
 * panel with fewer seats of it first). */
struct pref {
	const struct px_dist *d;
	size_t idx;
};

static int by_seats(const void *a, const void *b)
{
	const struct pref *u = a, *v = b;
	const struct px_dist *d = u->d;
	size_t i = d->start[u->idx], ie = d->start[u->idx + 1];
	size_t j = d->start[v->idx], je = d->start[v->idx + 1];
	for (; i < ie && j < je; i++, j++) {
		if (d->type[i] != d->type[j]) /* the earlier type: 0 on the other */
			return d->type[i] < d->type[j] ? 1 : -1;
		if (d->seats[i] != d->seats[j])
			return d->seats[i] < d->seats[j] ? -1 : 1;
	}
	if (i < ie)
		return 1;
	if (j < je)
		return -1;
	return u->idx < v->idx ? -1 : u->idx > v->idx;
}

/*
 * A lower bound on the deviation that any rounding reaches: the members of
 * type t are on floor or ceil of S_t / c_t tickets, and S_t can only be
 * base_t plus a sum of some of the x_{P,t} (the panels rounded up), so
 * the best of those sums, found by a subset-sum table, bounds D from
 * below. The bound ignores that exactly m tickets are given, so it may be
 * below the optimum; when the heuristic reaches it, the heuristic is
 * optimal and no search is needed, and otherwise no smaller deviation is
 * tried.
 */
static int lower_bound(const struct px_quota *q, const struct px_dist *d,
		       size_t m, const size_t *lo, double *out)
{
	size_t P = d->npanels, T = q->ntypes, top = 0, nnz = d->start[P];
	for (size_t p = 0; p < P; p++) {
		size_t w = 0;
		for (size_t i = d->start[p]; i < d->start[p + 1]; i++)
			w = (size_t)d->seats[i] > w ? (size_t)d->seats[i] : w;
		top += w;
	}
	/* the panels seating each type, in panel order */
	size_t *tstart = calloc(T + 1, sizeof(size_t)), *fill = calloc(T ? T : 1, sizeof(size_t));
	size_t *tpan = px_mallocarray(nnz ? nnz : 1, sizeof(size_t));
	int *tx = px_mallocarray(nnz ? nnz : 1, sizeof(int));
	unsigned char *can = calloc(top + 1, 1);
	if (!tstart || !fill || !tpan || !tx || !can) {
		free(tstart);
		free(fill);
		free(tpan);
		free(tx);
		free(can);
		return PX_E_NOMEM;
	}
	for (size_t i = 0; i < nnz; i++)
		tstart[d->type[i] + 1]++;
	for (size_t t = 0; t < T; t++)
		tstart[t + 1] += tstart[t];
	for (size_t p = 0; p < P; p++)
		for (size_t i = d->start[p]; i < d->start[p + 1]; i++)
		{
			size_t at = tstart[d->type[i]] + fill[d->type[i]]++;
			tpan[at] = p;
			tx[at] = d->seats[i];
		}
	double lb = 0;
	for (size_t t = 0; t < T; t++) {
		uint64_t c = q->type_count[t], base = 0;
		size_t reach = 0;
		if (!c)
			continue;
		can[0] = 1;
		for (size_t e = tstart[t]; e < tstart[t + 1]; e++) {
			size_t p = tpan[e], x = (size_t)tx[e];
			base += (uint64_t)lo[p] * x;
			for (size_t v = reach + 1; v-- > 0;)
				if (can[v])
					can[v + x] = 1;
			reach += x;
		}
		double target = d->type_prob[t] * (double)m, best = -1;
		for (size_t v = 0; v <= reach; v++) {
			if (!can[v])
				continue;
			uint64_t sv = base + v;
			double a = fabs((double)(sv / c) - target);
			double b = fabs((double)((sv + c - 1) / c) - target);
			double dv = a > b ? a : b;
			if (best < 0 || dv < best)
				best = dv;
		}
		memset(can, 0, reach + 1); /* every entry set lies below reach */
		if (best > lb)
			lb = best;
	}
	free(can);
	free(tstart);
	free(fill);
	free(tpan);
	free(tx);
	*out = lb;
	return 0;
}

struct search {
	size_t node_limit, nodes;
	int stopped;
};

/* Stop at the first rounding found (any will do), or after node_limit
 * nodes: a count, not a time, so the outcome is the same everywhere. */
static void callback(glp_tree *tree, void *info)
{
	struct search *s = info;
	int total = 0;
	if (glp_ios_reason(tree) == GLP_IBINGO) {
		glp_ios_terminate(tree);
		return;
	}
	if (glp_ios_reason(tree) != GLP_ISELECT)
		return;
	glp_ios_tree_size(tree, NULL, NULL, &total);
	if ((size_t)total > s->nodes)
		s->nodes = (size_t)total;
	if ((size_t)total > s->node_limit) {
		s->stopped = 1;
		glp_ios_terminate(tree);
	}
}

/* The feasibility program: u_P binary (panels in canonical order), one
 * row for the number of tickets, one per type for its seats. */
struct prog {
	const struct px_quota *q;
	const struct px_dist *d;
	size_t m, P, T;
	struct pref *ord;
	uint64_t *base, *top; /* per type: seats at the floors; most added */
	glp_prob *lp;
};

enum verdict { FEASIBLE, INFEASIBLE, UNKNOWN, TIMEOUT };

static int prog_build(struct prog *g, const size_t *lo)
{
	size_t P = g->P, T = g->T, nnz = 0, cells = 1 + P + g->d->start[P];
	const struct px_dist *d = g->d;
	int *ia = px_mallocarray(cells, sizeof(int));
	int *ja = px_mallocarray(cells, sizeof(int));
	double *ar = px_mallocarray(cells, sizeof(double));
	g->ord = px_mallocarray(P, sizeof(*g->ord));
	g->base = calloc(T, sizeof(uint64_t));
	g->top = calloc(T, sizeof(uint64_t));
	if (!ia || !ja || !ar || !g->ord || !g->base || !g->top) {
		free(ia);
		free(ja);
		free(ar);
		return PX_E_NOMEM;
	}
	for (size_t p = 0; p < P; p++)
		g->ord[p] = (struct pref){ d, p };
	qsort(g->ord, P, sizeof(*g->ord), by_seats);
	size_t extra = g->m;
	for (size_t p = 0; p < P; p++)
		extra -= lo[p];
	g->lp = glp_create_prob();
	glp_set_obj_dir(g->lp, GLP_MIN);
	glp_add_cols(g->lp, (int)P);
	glp_add_rows(g->lp, (int)T + 1);
	glp_set_row_bnds(g->lp, 1, GLP_FX, (double)extra, (double)extra);
	for (size_t p = 0; p < P; p++) {
		size_t i = g->ord[p].idx;
		glp_set_col_kind(g->lp, (int)p + 1, GLP_BV);
		/* Steer the search toward the fractional rounding: rounding
		 * P up costs 1 - 2 f_P, negative when f_P > 1/2. Any
		 * feasible point will do; this only makes one come sooner. */
		double fx = g->d->prob[i] * (double)g->m - (double)lo[i];
		glp_set_obj_coef(g->lp, (int)p + 1, 1 - 2 * fx);
		nnz++;
		ia[nnz] = 1;
		ja[nnz] = (int)p + 1;
		ar[nnz] = 1;
		for (size_t e = d->start[i]; e < d->start[i + 1]; e++) {
			size_t t = d->type[e];
			g->base[t] += (uint64_t)lo[i] * (uint64_t)d->seats[e];
			g->top[t] += (uint64_t)d->seats[e];
			nnz++;
			ia[nnz] = (int)t + 2;
			ja[nnz] = (int)p + 1;
			ar[nnz] = d->seats[e];
		}
	}
	glp_load_matrix(g->lp, (int)nnz, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return 0;
}

/*
 * Is there a rounding of deviation at most delta? Every member of type t
 * must be on between L = ceil(target - delta) and U = floor(target +
 * delta) tickets; they are on floor(S_t / c_t) and ceil(S_t / c_t), so
 * that is c_t L <= S_t <= c_t U.
 */
static enum verdict prog_check(struct prog *g, double delta,
			       const struct px_round_opts *o, int tm_lim, size_t *n,
			       const size_t *lo, size_t *nodes)
{
	size_t T = g->T;
	for (size_t t = 0; t < T; t++) {
		uint64_t c = g->q->type_count[t];
		double target = g->d->type_prob[t] * (double)g->m;
		double L = ceil(target - delta - 1e-9), U = floor(target + delta + 1e-9);
		if (L < 0)
			L = 0;
		if (U < L)
			return INFEASIBLE;
		/* Seats to add over the floors, within 0..top. */
		double a = (double)c * L - (double)g->base[t];
		double b = (double)c * U - (double)g->base[t];
		if (a < 0)
			a = 0;
		if (b > (double)g->top[t])
			b = (double)g->top[t];
		if (a > b)
			return INFEASIBLE;
		if (a == b)
			glp_set_row_bnds(g->lp, (int)t + 2, GLP_FX, a, a);
		else
			glp_set_row_bnds(g->lp, (int)t + 2, GLP_DB, a, b);
	}
	glp_smcp sp;
	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	sp.tm_lim = tm_lim;
	glp_std_basis(g->lp);
	int sr = glp_simplex(g->lp, &sp);
	if (sr == GLP_ETMLIM)
		return TIMEOUT;
	if (sr)
		return UNKNOWN;
	if (glp_get_status(g->lp) == GLP_NOFEAS)
		return INFEASIBLE;
	if (glp_get_status(g->lp) != GLP_OPT)
		return UNKNOWN;
	struct search s = { o->node_limit ? o->node_limit : PX_ROUND_NODE_LIMIT, 0, 0 };
	glp_iocp ip;
	glp_init_iocp(&ip);
	ip.msg_lev = GLP_MSG_OFF;
	ip.presolve = GLP_OFF;
	ip.tm_lim = tm_lim;
	ip.cb_func = callback;
	ip.cb_info = &s;
	int st = glp_intopt(g->lp, &ip);
	*nodes += s.nodes;
	int ms = glp_mip_status(g->lp);
	if (st == GLP_ENOPFS || (st == 0 && ms == GLP_NOFEAS))
		return INFEASIBLE;
	if (st == GLP_ETMLIM)
		return TIMEOUT; /* machine-dependent: the caller gives up */
	if (ms != GLP_OPT && ms != GLP_FEAS)
		return UNKNOWN;
	for (size_t p = 0; p < g->P; p++) {
		size_t i = g->ord[p].idx;
		n[i] = lo[i] + (glp_mip_col_val(g->lp, (int)p + 1) > 0.5);
	}
	return FEASIBLE;
}

static void prog_release(struct prog *g)
{
	if (g->lp)
		glp_delete_prob(g->lp);
	free(g->ord);
	free(g->base);
	free(g->top);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * The smallest deviation: every deviation is |j - target_t| for an
 * integer j and a type t, so the candidates between the lower bound lb
 * and the heuristic's deviation hd are listed, and a bisection asks the
 * feasibility program about them (feasibility is monotone in delta).
 * n starts as the heuristic's rounding and ends as the best found.
 * Returns 1 when the result is proven optimal, 0 when a check could not
 * be decided within the node limit (n is then the best rounding found),
 * 2 when a check ran out of its own time (n is then to be ignored), 3
 * when o->total_ms ran out (n is the best rounding found so far), or a
 * negative error.
 */
static int optimal(const struct px_quota *q, const struct px_dist *d,
		   size_t m, const size_t *lo, double lb, double hd,
		   const struct px_round_opts *o, size_t *n, size_t *nodes,
		   size_t *checks)
{
	struct prog g = { q, d, m, d->npanels, q->ntypes, NULL, NULL, NULL, NULL };
	size_t T = q->ntypes, nc = 0, cap = 0;
	double *cand = NULL;
	size_t *try = px_mallocarray(d->npanels, sizeof(size_t));
	int rc = -PX_E_NOMEM, proven = 1;
	if (!try)
		goto out;
	for (size_t t = 0; t < T; t++) {
		double target = d->type_prob[t] * (double)m;
		for (double j = floor(target - hd) - 1; j <= ceil(target + hd) + 1; j++) {
			double v = fabs(j - target);
			if (j < 0 || v < lb - 1e-9 || v > hd + 1e-9)
				continue;
			if (nc == cap) {
				size_t c2 = cap ? 2 * cap : 256;
				double *nw = px_reallocarray(cand, c2, sizeof(double));
				if (!nw)
					goto out;
				cand = nw;
				cap = c2;
			}
			cand[nc++] = v;
		}
	}
	qsort(cand, nc, sizeof(double), by_double);
	if (prog_build(&g, lo))
		goto out;
	/* Candidates below index hi are open; cand[hi] and above are known
	 * to be reachable (the heuristic reaches hd). */
	size_t lo_i = 0, hi = nc;
	while (hi > 0 && cand[hi - 1] > hd - 1e-9)
		hi--;
	double t0 = glp_time();
	int each = o->time_limit_ms > 0 ? o->time_limit_ms : PX_ROUND_TIME_LIMIT_MS;
	while (lo_i < hi) {
		size_t mid = lo_i + (hi - lo_i) / 2;
		int tm = each, total = 0;
		if (o->total_ms > 0) {
			double left = o->total_ms - glp_difftime(glp_time(), t0) * 1000;
			if (left < 1) {
				rc = 3;
				goto out;
			}
			if (left < tm) {
				tm = (int)left;
				total = 1;
			}
		}
		(*checks)++;
		enum verdict v = prog_check(&g, cand[mid], o, tm, try, lo, nodes);
		if (v == FEASIBLE) {
			memcpy(n, try, d->npanels * sizeof(size_t));
			double dev = px_round_deviation(q, d, n, m);
			hi = mid;
			while (hi > lo_i && cand[hi - 1] > dev - 1e-9)
				hi--;
		} else if (v == TIMEOUT) {
			rc = total ? 3 : 2;
			goto out;
		} else {
			if (v == UNKNOWN)
				proven = 0;
			lo_i = mid + 1;
		}
	}
	rc = proven;
out:
	prog_release(&g);
	free(cand);
	free(try);
	return rc;
}

int px_round_tickets(const struct px_quota *q, const struct px_dist *d,
		     size_t m, const struct px_round_opts *opts, size_t *n,
		     struct px_round_info *info, struct px_error *err)
{
	static const struct px_round_opts dflt = { PX_ROUND_OPTIMAL, 0, 0, 0 };
	const struct px_round_opts *o = opts ? opts : &dflt;
	struct px_round_info dummy;
	size_t P = d->npanels;
	size_t *lo = NULL, *h = NULL;
	int rc = 0, from_h = 1;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	if (m == 0 || P == 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "panels",
			       "the lottery needs at least 1 ticket and 1 panel");
	lo = px_mallocarray(P, sizeof(size_t));
	h = px_mallocarray(P, sizeof(size_t));
	if (!lo || !h) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* Floors; the probabilities sum to 1, so the floors never exceed m
	 * (guard against rounding noise all the same). */
	size_t sum = 0;
	for (size_t p = 0; p < P; p++) {
		double x = floor(d->prob[p] * (double)m);
		lo[p] = x > 0 ? (size_t)x : 0;
		if (sum + lo[p] > m)
			lo[p] = m - sum;
		sum += lo[p];
	}
	if ((rc = heuristic(q, d, m, lo, h))) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	info->heuristic_deviation = px_round_deviation(q, d, h, m);
	info->used = PX_ROUND_HEURISTIC;
	if (o->method == PX_ROUND_OPTIMAL) {
		double lb;
		if ((rc = lower_bound(q, d, m, lo, &lb))) {
			rc = px_fail(err, rc, NULL, NULL);
			goto out;
		}
		info->lower_bound = lb;
		/* The heuristic at the bound is optimal: nothing to search. */
		if (info->heuristic_deviation <= lb + 1e-9) {
			info->used = PX_ROUND_OPTIMAL;
		} else if (P > IP_PANELS) {
			info->fallback = N_("more panels than the integer programs can search"
					 " in time: the balanced rounding is used");
		} else {
			memcpy(n, h, P * sizeof(size_t));
			int r = optimal(q, d, m, lo, lb, info->heuristic_deviation, o, n,
					&info->nodes, &info->checks);
			if (r < 0) {
				rc = px_fail(err, -r, NULL, NULL);
				goto out;
			}
			double dev = px_round_deviation(q, d, n, m);
			if (r == 1) {
				info->used = PX_ROUND_OPTIMAL;
				from_h = 0;
			} else if (r == 2) {
				info->fallback = N_("the integer program reached its time limit");
			} else if (r == 3 && dev < info->heuristic_deviation - 1e-9) {
				info->used = PX_ROUND_IMPROVED;
				from_h = 0;
			} else if (r == 3) {
				info->fallback = N_("the time limit came before the integer programs"
						 " found anything better");
			} else if (dev < info->heuristic_deviation - 1e-9) {
				info->used = PX_ROUND_IMPROVED;
				from_h = 0;
			} else {
				info->fallback = N_("the integer program found nothing better within its node limit");
			}
		}
	}
	if (from_h)
		memcpy(n, h, P * sizeof(size_t));
	info->deviation = px_round_deviation(q, d, n, m);
out:
	free(lo);
	free(h);
	return rc;
}
