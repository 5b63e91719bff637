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
	for (size_t t = 0; t < T; t++) {
		uint64_t s = 0, c = q->type_count[t];
		for (size_t p = 0; p < d->npanels; p++)
			s += (uint64_t)n[p] * (uint64_t)d->counts[p * T + t];
		if (!c)
			continue;
		double target = d->type_prob[t] * (double)m;
		double lo = (double)(s / c), hi = (double)((s + c - 1) / c);
		if (fabs(lo - target) > worst)
			worst = fabs(lo - target);
		if (fabs(hi - target) > worst)
			worst = fabs(hi - target);
	}
	return worst;
}

static int by_rem(const void *a, const void *b)
{
	const double *x = a, *y = b; /* {remainder, index} */
	if (x[0] != y[0])
		return x[0] > y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/*
 * The heuristic: the tickets left after the floors go to the largest
 * fractional parts (ties to the earlier panel), then single tickets move
 * from a rounded-up panel to a rounded-down one while the deviation
 * drops (at most 50 moves, and only for at most 300 panels).
 */
static int heuristic(const struct px_quota *q, const struct px_dist *d,
		     size_t m, const size_t *lo, size_t *n)
{
	size_t P = d->npanels;
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
	double cur = px_round_deviation(q, d, n, m);
	for (int iter = 0; iter < 50 && P <= 300; iter++) {
		double best = cur;
		size_t ba = 0, bb = 0;
		for (size_t a = 0; a < P; a++) {
			if (n[a] <= lo[a])
				continue;
			for (size_t b = 0; b < P; b++) {
				if (b == a || n[b] > lo[b])
					continue;
				n[a]--;
				n[b]++;
				double v = px_round_deviation(q, d, n, m);
				n[a]++;
				n[b]--;
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
		cur = best;
	}
	return 0;
}

/* Panels in canonical order: ascending seat vectors. */
struct pref {
	const int *x;
	size_t T, idx;
};

static int by_seats(const void *a, const void *b)
{
	const struct pref *u = a, *v = b;
	for (size_t t = 0; t < u->T; t++)
		if (u->x[t] != v->x[t])
			return u->x[t] < v->x[t] ? -1 : 1;
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
	size_t P = d->npanels, T = q->ntypes, top = 0;
	for (size_t p = 0; p < P; p++) {
		size_t w = 0;
		for (size_t t = 0; t < T; t++)
			w = (size_t)d->counts[p * T + t] > w ? (size_t)d->counts[p * T + t] : w;
		top += w;
	}
	unsigned char *can = malloc(top + 1);
	if (!can)
		return PX_E_NOMEM;
	double lb = 0;
	for (size_t t = 0; t < T; t++) {
		uint64_t c = q->type_count[t], base = 0;
		size_t reach = 0;
		if (!c)
			continue;
		memset(can, 0, top + 1);
		can[0] = 1;
		for (size_t p = 0; p < P; p++) {
			size_t x = (size_t)d->counts[p * T + t];
			base += (uint64_t)lo[p] * x;
			if (!x)
				continue;
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
		if (best > lb)
			lb = best;
	}
	free(can);
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
	size_t P = g->P, T = g->T, nnz = 0, cells = SIZE_MAX;
	const int *x = g->d->counts;
	if (!px_mul_size(P, T + 1, &cells) && cells < SIZE_MAX)
		cells++; /* P * (T + 1) + 1; on overflow SIZE_MAX allocates nothing */
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
		g->ord[p] = (struct pref){ x + p * T, T, p };
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
		for (size_t t = 0; t < T; t++) {
			if (!x[i * T + t])
				continue;
			g->base[t] += (uint64_t)lo[i] * (uint64_t)x[i * T + t];
			g->top[t] += (uint64_t)x[i * T + t];
			nnz++;
			ia[nnz] = (int)t + 2;
			ja[nnz] = (int)p + 1;
			ar[nnz] = x[i * T + t];
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
			       const struct px_round_opts *o, size_t *n,
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
	glp_std_basis(g->lp);
	if (glp_simplex(g->lp, &sp))
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
	ip.tm_lim = o->time_limit_ms > 0 ? o->time_limit_ms : PX_ROUND_TIME_LIMIT_MS;
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
 * 2 when a check ran out of time (n is then to be ignored), or a
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
	while (lo_i < hi) {
		size_t mid = lo_i + (hi - lo_i) / 2;
		(*checks)++;
		enum verdict v = prog_check(&g, cand[mid], o, try, lo, nodes);
		if (v == FEASIBLE) {
			memcpy(n, try, d->npanels * sizeof(size_t));
			double dev = px_round_deviation(q, d, n, m);
			hi = mid;
			while (hi > lo_i && cand[hi - 1] > dev - 1e-9)
				hi--;
		} else if (v == TIMEOUT) {
			rc = 2;
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
	static const struct px_round_opts dflt = { PX_ROUND_OPTIMAL, 0, 0 };
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
				info->fallback = "the integer program reached its time limit";
			} else if (dev < info->heuristic_deviation - 1e-9) {
				info->used = PX_ROUND_IMPROVED;
				from_h = 0;
			} else {
				info->fallback = "the integer program found nothing better within its node limit";
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
