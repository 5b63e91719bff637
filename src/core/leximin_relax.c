/*
 * leximin_relax.c: LEXIMIN by relaxing, decomposing and so proving
 * (leximin_relax.h; docs/sortition.md section 8.3).
 *
 * The relaxed LEXIMIN. With the types split into unfixed ones (at the
 * level z being raised) and fixed ones (at the probability f_t of an
 * earlier level), write x_t = c_t z + s_t for an unfixed type and
 * x_t = c_t f_t + s_t for a fixed one, s_t >= 0 the seats above its
 * level. A level is then the linear program
 *     maximise z
 *     min_v - X_v <= N_v z + sum_{t has v} s_t <= max_v - X_v   (each value v)
 *     N z + sum_t s_t = k - X
 * (N_v the members of unfixed types with v, X_v the seats of fixed types
 * with v at their level), F + 1 rows however many types there are. The
 * bound x_t <= c_t is a row only for the types whose solution breaks it
 * (added when seen; on national pools, never). An unfixed type whose s_t
 * has a negative reduced cost d_t is at z in every optimal solution
 * (complementary slackness; y_t = -c_t d_t are the level's dual weights,
 * summing to 1), so it is fixed; the levels go on until every type is.
 *
 * The decomposition is greedy, after Carathéodory: with r the seats not
 * yet covered and mu the probability not yet given (r in mu R), take an
 * integer panel P on the face of R where r lies (no seat for a type with
 * nothing left, every quota that r meets exactly met exactly), and give
 * it the largest lambda that keeps r - lambda P in (mu - lambda) R. Each
 * step brings a new constraint to equality, so at most T + F steps. The
 * panel comes from a local search (panelswap.h) from the last one, and
 * from the integer program (panelip.h) when that fails; when not even the
 * integer program finds one, the greedy is stuck (an integrality gap, or
 * a bad path) and the caller falls back to column generation.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "alloc.h"
#include "errors.h"
#include "leximin.h"
#include "leximin_relax.h"
#include "panelip.h"
#include "panelswap.h"
#include "quota.h"
#include "banned.h"

#define DUAL_FIX 1e-6     /* y_t above this fixes type t (as leximin.c) */
#define OVER_TOL 1e-9     /* x_t above c_t by this adds its bound row */
#define END_MASS 1e-6     /* probability left uncovered: done (each person within
			   * this of the relaxed optimum, an upper bound) */
#define STOP_MASS 1e-12   /* the greedy goes on until this at most */
#define ZERO_SEATS 1e-11  /* seats left of a type, times its size: none */
#define TIGHT 1e-9        /* a quota within this (relative) is tight */
#define ASK_EVERY 16      /* steps between questions to progress */
#define SUB_TYPES 300     /* live types, heaviest first, in the small program */
#define SWAP_MOVES 4     /* swaps from the last panel to the next */
#define PAIR_TRIES 64     /* heaviest types tried for a spent seat's pair */
#define MAX_CODES (1u << 22) /* value vectors indexed, at most */

static int lp_solve(glp_prob *lp)
{
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	int rc = glp_simplex(lp, &parm);
	if (rc == 0 && glp_get_status(lp) == GLP_OPT)
		return 0;
	glp_std_basis(lp); /* a changed z column can leave a singular basis */
	parm.meth = GLP_DUALP;
	rc = glp_simplex(lp, &parm);
	if (rc == 0 && glp_get_status(lp) == GLP_OPT)
		return 0;
	return PX_E_SOLVER;
}

int px_leximin_relaxed(const struct px_quota *q, px_progress_fn *progress,
		       void *ctx, double *x, size_t *levels)
{
	size_t T = q->ntypes, F = q->nfeat, C = q->ncat, nfixed = 0, level = 0;
	double *fixed = px_mallocarray(T ? T : 1, sizeof(double));
	double *rowc = px_mallocarray(F + 1, sizeof(double)); /* X_v, then X */
	int *bound_row = calloc(T ? T : 1, sizeof(int));     /* x_t <= c_t row, or 0 */
	int *ind = px_mallocarray(T + F + 2, sizeof(int));
	double *val = px_mallocarray(T + F + 2, sizeof(double));
	double *nv = px_mallocarray(F + 1, sizeof(double));
	glp_prob *lp = NULL;
	int rc = 0;
	*levels = 0;
	if (!fixed || !rowc || !bound_row || !ind || !val || !nv) {
		rc = PX_E_NOMEM;
		goto out;
	}
	for (size_t t = 0; t < T; t++)
		fixed[t] = -1;
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_rows(lp, (int)F + 1);
	glp_add_cols(lp, (int)T + 1);
	for (size_t t = 0; t < T; t++) {
		int n = 0;
		for (size_t c = 0; c < C; c++) {
			n++;
			ind[n] = (int)q->type_feat[t * C + c] + 1;
			val[n] = 1;
		}
		n++;
		ind[n] = (int)F + 1;
		val[n] = 1;
		glp_set_mat_col(lp, (int)t + 1, n, ind, val);
		glp_set_col_bnds(lp, (int)t + 1, GLP_LO, 0, 0);
	}
	glp_set_col_bnds(lp, (int)T + 1, GLP_DB, 0, 1);
	glp_set_obj_coef(lp, (int)T + 1, 1);

	while (nfixed < T) {
		level++;
		/* the rows' bounds and the z column for this level */
		memset(rowc, 0, (F + 1) * sizeof(double));
		memset(nv, 0, (F + 1) * sizeof(double));
		for (size_t t = 0; t < T; t++) {
			double c = (double)q->type_count[t];
			double *acc = fixed[t] < 0 ? nv : rowc;
			double a = fixed[t] < 0 ? c : c * fixed[t];
			for (size_t k = 0; k < C; k++)
				acc[q->type_feat[t * C + k]] += a;
			acc[F] += a;
		}
		for (size_t f = 0; f < F; f++) {
			double lo = (double)q->feat[f].min - rowc[f];
			double hi = (double)q->feat[f].max - rowc[f];
			if (hi - lo < 1e-12)
				glp_set_row_bnds(lp, (int)f + 1, GLP_FX, lo, lo);
			else
				glp_set_row_bnds(lp, (int)f + 1, GLP_DB, lo, hi);
		}
		glp_set_row_bnds(lp, (int)F + 1, GLP_FX, (double)q->k - rowc[F],
				 (double)q->k - rowc[F]);
		for (;;) {
			int n = 0;
			for (size_t f = 0; f <= F; f++)
				if (nv[f] != 0) {
					n++;
					ind[n] = (int)f + 1;
					val[n] = nv[f];
				}
			for (size_t t = 0; t < T; t++)
				if (bound_row[t] && fixed[t] < 0) {
					n++;
					ind[n] = bound_row[t];
					val[n] = (double)q->type_count[t];
				}
			glp_set_mat_col(lp, (int)T + 1, n, ind, val);
			if ((rc = lp_solve(lp)))
				goto out;
			/* x_t <= c_t: a row for each type that breaks it */
			double z = glp_get_col_prim(lp, (int)T + 1);
			size_t added = 0;
			for (size_t t = 0; t < T; t++) {
				double c = (double)q->type_count[t];
				double xt = (fixed[t] < 0 ? c * z : c * fixed[t]) +
					    glp_get_col_prim(lp, (int)t + 1);
				if (bound_row[t] || xt <= c + OVER_TOL)
					continue;
				int r = glp_add_rows(lp, 1);
				int i2[2] = { 0, (int)t + 1 };
				double v2[2] = { 0, 1 };
				glp_set_mat_row(lp, r, 1, i2, v2);
				bound_row[t] = r;
				added++;
			}
			/* the bound rows' right-hand sides for this level */
			for (size_t t = 0; t < T; t++) {
				if (!bound_row[t])
					continue;
				double c = (double)q->type_count[t];
				double hi = fixed[t] < 0 ? c : c - c * fixed[t];
				glp_set_row_bnds(lp, bound_row[t], GLP_UP, 0, hi);
			}
			if (!added)
				break;
		}
		double z = glp_get_col_prim(lp, (int)T + 1);
		size_t newly = 0;
		for (size_t t = 0; t < T; t++) {
			if (fixed[t] >= 0)
				continue;
			double y = -glp_get_col_dual(lp, (int)t + 1) * (double)q->type_count[t];
			if (y > DUAL_FIX)
				newly++, fixed[t] = z;
		}
		if (!newly) /* cannot happen with exact duals; be safe: the least */
			for (size_t t = 0; t < T && !newly; t++)
				if (fixed[t] < 0 && glp_get_col_prim(lp, (int)t + 1) < 1e-12)
					newly++, fixed[t] = z;
		if (!newly)
			for (size_t t = 0; t < T && !newly; t++)
				if (fixed[t] < 0)
					newly++, fixed[t] = z;
		/* the seats above the new level stay in s_t: shift them */
		for (size_t t = 0; t < T; t++) {
			double c = (double)q->type_count[t];
			double s = glp_get_col_prim(lp, (int)t + 1);
			x[t] = (fixed[t] < 0 || fixed[t] == z ? c * z : c * fixed[t]) + s;
		}
		for (size_t t = 0; t < T; t++) /* fixed types: s_t <= c_t - x_t */
			if (fixed[t] == z) {
				double c = (double)q->type_count[t];
				glp_set_col_bnds(lp, (int)t + 1, c - c * z > 1e-12 ? GLP_DB : GLP_FX,
						 0, c - c * z > 1e-12 ? c - c * z : 0);
			}
		nfixed += newly;
		if (progress) {
			struct px_fair_state st = { "relaxed levels", level, nfixed, T, 0, z };
			(void)progress(ctx, &st); /* nothing to draw yet: go on */
		}
	}
	*levels = level;
out:
	if (lp)
		glp_delete_prob(lp);
	free(fixed);
	free(rowc);
	free(bound_row);
	free(ind);
	free(val);
	free(nv);
	return rc;
}

/* The decomposition's state. */
struct decomp {
	const struct px_quota *q;
	struct px_quota face;   /* q with the tight quotas made equalities */
	struct px_feature *feat;
	double *r, mu;          /* seats and probability not yet covered */
	double *qr;             /* nfeat: r's seats per value */
	char *zero;             /* ntypes: nothing left of the type */
	char *full;             /* ntypes: all of it left (r_t = mu c_t):
				 * every member on every panel to come */
	double *w;
	int *P, *qp;
	size_t *code_type;      /* value vector's code -> type + 1 (0: none) */
	size_t *stride;         /* ncat: the code's radix per category */
	size_t *pos;            /* nfeat: a value's place in its category */
	size_t ncodes;
	int64_t *seats;         /* nfeat: the panel's seats per value */
	struct px_dist dist;    /* the panels found, sparse, and their lambda */
};

struct by_w {
	double w;
	size_t t;
};

static int heavier(const void *a, const void *b)
{
	const struct by_w *x = a, *y = b;
	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

/*
 * The type with a's values except, in the categories set in swap, c's
 * values: T when there is none. A type is found by the code of its value
 * vector (mixed radix over the categories).
 */
static size_t type_like(const struct decomp *d, size_t c, size_t a, const char *swap)
{
	const struct px_quota *q = d->q;
	size_t C = q->ncat, code = 0;
	for (size_t k = 0; k < C; k++) {
		size_t f = q->type_feat[(swap[k] ? a : c) * C + k];
		code += d->pos[f] * d->stride[k];
	}
	return d->code_type[code] ? d->code_type[code] - 1 : q->ntypes;
}

/* Whether value f can change by delta seats within the face. */
static int fits(const struct decomp *d, size_t f, int delta)
{
	int64_t n = d->seats[f] + delta;
	return n >= d->feat[f].min && n <= d->feat[f].max;
}

/*
 * Move the seats of spent types off the panel by pairs of swaps: a -> b
 * and c -> e, where e is c with a's values in the categories where a -> b
 * alone would break a quota of the face, so the pair cancels there. The
 * local search's single swaps cannot do this once the panel sits at the
 * bounds of many quotas. Whether the result is on the face is checked by
 * the caller (on_face), so a pair that does not fit is only a lost try.
 */
static void repair_pairs(struct decomp *d, const struct by_w *order, size_t norder)
{
	const struct px_quota *q = d->q;
	size_t T = q->ntypes, C = q->ncat;
	char swap[64];
	if (!d->code_type || C > sizeof(swap))
		return;
	memset(d->seats, 0, q->nfeat * sizeof(int64_t));
	for (size_t t = 0; t < T; t++)
		if (d->P[t])
			for (size_t k = 0; k < C; k++)
				d->seats[q->type_feat[t * C + k]] += d->P[t];
	for (size_t a = 0; a < T; a++) {
		while (d->P[a] && d->zero[a]) {
			int moved = 0;
			for (size_t i = 0; i < norder && i < PAIR_TRIES && !moved; i++) {
				size_t b = order[i].t;
				if (b == a || d->full[b] || d->P[b] >= (int)q->type_count[b])
					continue;
				size_t nswap = 0;
				for (size_t k = 0; k < C; k++) {
					size_t fa = q->type_feat[a * C + k], fb = q->type_feat[b * C + k];
					swap[k] = fa != fb && (!fits(d, fa, -1) || !fits(d, fb, 1));
					nswap += swap[k];
				}
				for (size_t c = 0; c < T && !moved; c++) {
					if (!d->P[c] || c == a || c == b || d->zero[c] || d->full[c])
						continue;
					/* c must hold b's values where the pair cancels */
					int ok = 1;
					for (size_t k = 0; k < C && ok; k++)
						if (swap[k] && q->type_feat[c * C + k] != q->type_feat[b * C + k])
							ok = 0;
					if (!ok)
						continue;
					size_t e = nswap ? type_like(d, c, a, swap) : c;
					if (e >= T || e == a || e == c || d->zero[e] || d->full[e] ||
					    d->P[e] + (e == b) >= (int)q->type_count[e])
						continue;
					/* the net change of every value within the face */
					for (size_t k = 0; k < C && ok; k++) {
						size_t f4[4] = { q->type_feat[a * C + k], q->type_feat[b * C + k],
								 q->type_feat[c * C + k], q->type_feat[e * C + k] };
						int dl[4] = { -1, 1, -1, 1 };
						for (int u = 0; u < 4 && ok; u++) {
							int net = 0;
							for (int v = 0; v < 4; v++)
								if (f4[v] == f4[u])
									net += dl[v];
							ok = fits(d, f4[u], net);
						}
					}
					if (!ok)
						continue;
					for (size_t k = 0; k < C; k++) {
						d->seats[q->type_feat[a * C + k]]--;
						d->seats[q->type_feat[b * C + k]]++;
						d->seats[q->type_feat[c * C + k]]--;
						d->seats[q->type_feat[e * C + k]]++;
					}
					d->P[a]--;
					d->P[b]++;
					d->P[c]--;
					d->P[e]++;
					moved = 1;
				}
			}
			if (!moved)
				return;
		}
	}
}

/* Whether P lies on the face: no seat for a spent type, quotas as face. */
static int on_face(const struct decomp *d)
{
	for (size_t t = 0; t < d->q->ntypes; t++)
		if ((d->P[t] && d->zero[t]) ||
		    (d->full[t] && d->P[t] != (int)d->q->type_count[t]))
			return 0;
	return px_quota_panel_ok(&d->face, d->P);
}

/* Recompute r's seats per value and the face's quotas. */
static void set_face(struct decomp *d)
{
	const struct px_quota *q = d->q;
	size_t C = q->ncat;
	memset(d->qr, 0, q->nfeat * sizeof(double));
	for (size_t t = 0; t < q->ntypes; t++)
		d->full[t] = !d->zero[t] &&
			     d->r[t] >= (double)q->type_count[t] * d->mu * (1 - TIGHT);
	for (size_t t = 0; t < q->ntypes; t++)
		if (d->r[t] > 0)
			for (size_t c = 0; c < C; c++)
				d->qr[q->type_feat[t * C + c]] += d->r[t];
	for (size_t f = 0; f < q->nfeat; f++) {
		double lo = (double)q->feat[f].min * d->mu, hi = (double)q->feat[f].max * d->mu;
		double tol = TIGHT * d->mu * (double)q->k;
		d->feat[f] = q->feat[f];
		if (d->qr[f] <= lo + tol)
			d->feat[f].max = q->feat[f].min;
		else if (d->qr[f] >= hi - tol)
			d->feat[f].min = q->feat[f].max;
	}
}

/* The largest lambda with r - lambda P in (mu - lambda) R. */
static double step_size(struct decomp *d)
{
	const struct px_quota *q = d->q;
	size_t C = q->ncat;
	double lam = d->mu;
	memset(d->qp, 0, q->nfeat * sizeof(int));
	for (size_t t = 0; t < q->ntypes; t++) {
		double c = (double)q->type_count[t];
		if (d->P[t]) {
			double b = d->r[t] / d->P[t];
			if (b < lam)
				lam = b;
			for (size_t k = 0; k < C; k++)
				d->qp[q->type_feat[t * C + k]] += d->P[t];
		}
		if (d->P[t] < (int)q->type_count[t]) {
			double b = (c * d->mu - d->r[t]) / (c - d->P[t]);
			if (b < lam)
				lam = b;
		}
	}
	for (size_t f = 0; f < q->nfeat; f++) {
		double lo = (double)q->feat[f].min, hi = (double)q->feat[f].max;
		if (d->qp[f] > lo) {
			double b = (d->qr[f] - lo * d->mu) / (d->qp[f] - lo);
			if (b < lam)
				lam = b;
		}
		if (d->qp[f] < hi) {
			double b = (hi * d->mu - d->qr[f]) / (hi - d->qp[f]);
			if (b < lam)
				lam = b;
		}
	}
	return lam > 0 ? lam : 0;
}

/*
 * A panel on the face from a small integer program: only the types of the
 * last panel still live, the types that must be seated whole, and the
 * want heaviest live ones may be seated. 0 (found, in d->P), 1 (none
 * among them), or an error. On thousands of types GLPK spends its time
 * on the columns, so the small program answers most steps for a fraction
 * of the whole one's time.
 */
static int sub_panel(struct decomp *d, size_t want)
{
	const struct px_quota *q = d->q;
	size_t T = q->ntypes, C = q->ncat, m = 0;
	struct px_quota sub = d->face;
	struct by_w *order = px_mallocarray(T, sizeof(*order));
	size_t *pick = px_mallocarray(T, sizeof(size_t));
	size_t *feat = px_mallocarray(T * C, sizeof(size_t));
	size_t *count = px_mallocarray(T, sizeof(size_t));
	double *w = px_mallocarray(T, sizeof(double));
	int *x = px_mallocarray(T, sizeof(int));
	char *in = calloc(T, 1);
	struct px_panelip *ip = NULL;
	int rc = PX_E_NOMEM;
	if (!order || !pick || !feat || !count || !w || !x || !in)
		goto out;
	size_t n = 0;
	for (size_t t = 0; t < T; t++)
		if (!d->zero[t])
			order[n++] = (struct by_w){ d->w[t], t };
	qsort(order, n, sizeof(*order), heavier);
	for (size_t t = 0; t < T; t++)
		if ((d->P[t] || d->full[t]) && !d->zero[t] && !in[t]) {
			in[t] = 1;
			pick[m++] = t;
		}
	for (size_t i = 0; i < n && want; i++)
		if (!in[order[i].t]) {
			in[order[i].t] = 1;
			pick[m++] = order[i].t;
			want--;
		}
	for (size_t i = 0; i < m; i++) {
		memcpy(feat + i * C, q->type_feat + pick[i] * C, C * sizeof(size_t));
		count[i] = q->type_count[pick[i]];
		w[i] = d->w[pick[i]];
	}
	rc = 1;
	if (!m)
		goto out; /* no type left to seat */
	rc = PX_E_NOMEM;
	sub.ntypes = m;
	sub.type_feat = feat;
	sub.type_count = count;
	if (!(ip = px_panelip_new(&sub)))
		goto out;
	for (size_t i = 0; i < m; i++)
		if (d->full[pick[i]])
			px_panelip_seats(ip, i, (int64_t)count[i], (int64_t)count[i]);
	enum px_price how;
	double v;
	px_panelip_first_found(ip, 1);
	rc = px_panelip_above(ip, w, -1, NULL, NULL, x, &v, &how);
	if (rc == PX_E_INFEASIBLE || (!rc && how != PX_PRICE_FOUND)) {
		rc = 1;
		goto out;
	}
	if (rc)
		goto out;
	memset(d->P, 0, T * sizeof(int));
	for (size_t i = 0; i < m; i++)
		d->P[pick[i]] = x[i];
out:
	px_panelip_free(ip);
	free(order);
	free(pick);
	free(feat);
	free(count);
	free(w);
	free(x);
	free(in);
	return rc;
}

/* A panel on the face from the integer program: 0 (found), 1 (none), or
 * an error. */
static int face_panel(struct decomp *d, struct px_panelip *ip)
{
	const struct px_quota *q = d->q;
	enum px_price how;
	double v;
	for (size_t f = 0; f < q->nfeat; f++)
		px_panelip_bounds(ip, f, d->feat[f].min, d->feat[f].max);
	for (size_t t = 0; t < q->ntypes; t++)
		if (d->zero[t])
			px_panelip_seats(ip, t, 0, 0);
		else if (d->full[t])
			px_panelip_seats(ip, t, (int64_t)q->type_count[t], (int64_t)q->type_count[t]);
	px_panelip_first_found(ip, 1);
	int rc = px_panelip_above(ip, d->w, -1, NULL, NULL, d->P, &v, &how);
	px_panelip_first_found(ip, 0);
	if (rc == PX_E_INFEASIBLE)
		return 1;
	if (rc)
		return rc;
	return how == PX_PRICE_FOUND ? 0 : 1;
}

int px_leximin_decompose(const struct px_quota *q, const double *x,
			 px_progress_fn *progress, void *ctx,
			 struct px_fair_state *st, struct px_dist *out, int *done)
{
	size_t T = q->ntypes, F = q->nfeat, steps = 0;
	struct decomp d = { .q = q, .mu = 1, .dist = { .ntypes = q->ntypes } };
	struct px_panelswap *sw = NULL;
	struct px_panelip *ip = NULL;
	struct by_w *order = NULL;
	size_t *changed = NULL;
	char *was_full = NULL;
	int rc = 0, have = 0, stopped = 0;
	memset(out, 0, sizeof(*out));
	*done = 0;
	d.face = *q;
	d.feat = px_mallocarray(F ? F : 1, sizeof(*d.feat));
	d.r = px_mallocarray(T ? T : 1, sizeof(double));
	d.qr = px_mallocarray(F ? F : 1, sizeof(double));
	d.zero = calloc(T ? T : 1, 1);
	d.full = calloc(T ? T : 1, 1);
	d.w = px_mallocarray(T ? T : 1, sizeof(double));
	d.P = calloc(T ? T : 1, sizeof(int));
	d.qp = px_mallocarray(F ? F : 1, sizeof(int));
	if (!d.feat || !d.r || !d.qr || !d.zero || !d.full || !d.w || !d.P || !d.qp) {
		rc = PX_E_NOMEM;
		goto out;
	}
	d.face.feat = d.feat;
	order = px_mallocarray(T ? T : 1, sizeof(*order));
	changed = px_mallocarray(T ? T : 1, sizeof(size_t));
	was_full = calloc(T ? T : 1, 1);
	if (!order || !changed || !was_full) {
		rc = PX_E_NOMEM;
		goto out;
	}
	{ /* the types by value vector, for repair_pairs */
		size_t C = q->ncat, prod = 1;
		d.stride = calloc(C ? C : 1, sizeof(size_t));
		d.pos = calloc(F ? F : 1, sizeof(size_t));
		d.seats = calloc(F ? F : 1, sizeof(int64_t));
		if (!d.stride || !d.pos || !d.seats) {
			rc = PX_E_NOMEM;
			goto out;
		}
		for (size_t k = 0; k < C; k++) {
			size_t nval = 0;
			for (size_t f = 0; f < F; f++)
				if (q->feat[f].cat == k)
					d.pos[f] = nval++;
			d.stride[k] = prod;
			prod = nval && prod <= MAX_CODES / nval ? prod * nval : MAX_CODES + 1;
		}
		if (prod <= MAX_CODES) {
			d.ncodes = prod;
			d.code_type = calloc(prod, sizeof(size_t));
			if (d.code_type)
				for (size_t t = 0; t < T; t++) {
					size_t code = 0;
					for (size_t k = 0; k < C; k++)
						code += d.pos[q->type_feat[t * C + k]] * d.stride[k];
					d.code_type[code] = t + 1;
				}
		}
	}
	sw = px_panelswap_new(&d.face);
	ip = px_panelip_new(q);
	if (!sw || !ip) {
		rc = PX_E_NOMEM;
		goto out;
	}
	for (size_t t = 0; t < T; t++) {
		d.r[t] = x[t] > 0 ? x[t] : 0;
		if (d.r[t] <= ZERO_SEATS * (double)q->type_count[t]) {
			d.r[t] = 0;
			d.zero[t] = 1;
		}
	}
	while (d.mu > STOP_MASS) {
		set_face(&d);
		double top = 0;
		for (size_t t = 0; t < T; t++)
			if (!d.zero[t] && d.r[t] / d.mu > top)
				top = d.r[t] / d.mu;
		for (size_t t = 0; t < T; t++)
			d.w[t] = d.zero[t] ? -1e6 * (1 + top) : d.full[t] ? 1e6 * (1 + top) :
				 d.r[t] / d.mu;
		int ok = 0, had = have;
		if (have) {
			/* Only the last panel's types (their seats left fell) and
			 * those now full moved in the order by weight: the others'
			 * r_t / mu are all divided by the same mu. */
			size_t nch = 0;
			for (size_t t = 0; t < T; t++) {
				if (d.P[t] || d.full[t] != was_full[t])
					changed[nch++] = t;
				was_full[t] = d.full[t];
			}
			px_panelswap_reweigh(sw, d.w, changed, nch);
			px_panelswap_improve(sw, d.P, SWAP_MOVES);
			ok = on_face(&d);
			if (!ok && d.code_type) {
				size_t n = 0;
				for (size_t i = 0; i < T; i++) {
					size_t t = px_panelswap_ranked(sw, i);
					if (!d.zero[t] && !d.full[t])
						order[n++] = (struct by_w){ d.w[t], t };
				}
				repair_pairs(&d, order, n);
				ok = on_face(&d);
			}
		}
		if (!ok) {
			for (size_t t = 0; t < T; t++)
				if (d.w[t] < 0 || d.full[t])
					d.w[t] = 0;
			int r = sub_panel(&d, SUB_TYPES);
			if (r == 1) /* more types, then all */
				r = sub_panel(&d, 4 * SUB_TYPES);
			if (r == 1)
				r = face_panel(&d, ip);
			if (r < 0 || r > 1) {
				rc = r;
				goto out;
			}
			if (r == 1 || !on_face(&d))
				break; /* stuck */
			for (size_t t = 0; t < T; t++)
				d.w[t] = d.zero[t] ? -1e6 * (1 + top) :
					 d.full[t] ? 1e6 * (1 + top) : d.r[t] / d.mu;
			if (!had) { /* else the order is already these weights' */
				px_panelswap_weights(sw, d.w);
				memcpy(was_full, d.full, T);
			}
			px_panelswap_improve(sw, d.P, SWAP_MOVES);
			have = 1;
		}
		double lam = step_size(&d);
		if (lam <= 0)
			break; /* stuck */
		if ((rc = px_dist_add(&d.dist, d.P, lam)))
			goto out;
		for (size_t t = 0; t < T; t++) {
			if (!d.P[t])
				continue;
			double left = d.r[t] - lam * d.P[t];
			if (left <= ZERO_SEATS * (double)q->type_count[t] ||
			    left <= 1e-12 * lam * d.P[t]) {
				left = 0;
				if (!d.zero[t]) {
					d.zero[t] = 1;
					px_panelip_seats(ip, t, 0, 0);
				}
			}
			d.r[t] = left;
		}
		d.mu -= lam;
		steps++;
		if (progress && (steps == 1 || steps % ASK_EVERY == 0)) {
			st->what = "panels generated";
			st->panels = d.dist.npanels;
			if (progress(ctx, st)) {
				stopped = 1;
				break;
			}
		}
	}
	if (!d.dist.npanels)
		goto out;
	/* the distribution: the panels, their weights summing to 1 */
	double sum = 0;
	for (size_t p = 0; p < d.dist.npanels; p++)
		sum += d.dist.prob[p];
	*out = d.dist;
	memset(&d.dist, 0, sizeof(d.dist));
	out->type_prob = calloc(T ? T : 1, sizeof(double));
	if (!out->type_prob) {
		px_dist_release(out);
		rc = PX_E_NOMEM;
		goto out;
	}
	for (size_t p = 0; p < out->npanels; p++) {
		out->prob[p] /= sum;
		for (size_t i = out->start[p]; i < out->start[p + 1]; i++)
			out->type_prob[out->type[i]] += out->prob[p] * out->seats[i] /
							(double)q->type_count[out->type[i]];
	}
	out->columns = out->npanels;
	/* exact: the relaxed optimum is covered to END_MASS */
	*done = !stopped && d.mu <= END_MASS;
	out->optimal = *done;
out:
	px_panelswap_free(sw);
	px_panelip_free(ip);
	free(d.feat);
	free(d.r);
	free(d.qr);
	free(d.zero);
	free(d.full);
	free(d.code_type);
	free(d.stride);
	free(d.pos);
	free(d.seats);
	free(order);
	free(changed);
	free(was_full);
	free(d.w);
	free(d.P);
	free(d.qp);
	px_dist_release(&d.dist);
	return rc;
}
