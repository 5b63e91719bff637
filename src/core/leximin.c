/*
 * leximin.c: LEXIMIN and MAXIMIN by column generation, after Flanigan et
 * al., Nature 596 (2021), Methods "Algorithm LEXIMIN", worked on types as
 * DESIGN.md section 4 suggests.
 *
 * The master linear program, over the panels generated so far (columns
 * lambda_P >= 0) and the level z:
 *     maximise z
 *     for each unfixed type t:  pi_t(lambda) - z >= 0
 *     for each fixed type t:    pi_t(lambda)     >= f_t
 *     sum_P lambda_P = 1
 * where pi_t(lambda) = sum_P lambda_P * x_{P,t} / c_t is the probability
 * of each of the c_t members of type t when panel P seats x_{P,t} of them.
 * Column generation: with the row duals (pi_r in GLPK's sign convention),
 * a panel's reduced cost is -sum_t pi_t x_t / c_t - pi_conv; the pricing
 * integer program (panelip.c) finds the panel maximising it, and it is
 * added while positive. At a level's optimum z*, every unfixed type whose
 * dual y_t = -pi_t is positive is at z* in every optimal solution
 * (complementary slackness), so it is fixed at z*; the duals of the
 * unfixed types sum to 1, so each level fixes at least one type. The
 * last level's primal solution is the distribution.
 *
 * Each pricing round (issue #19, docs/sortition.md section 8.3):
 *   - a local search (panelswap.h) from the panels in the basis, whose
 *     reduced cost is 0, adds up to HEUR_COLUMNS nearby panels of
 *     positive reduced cost, for a few microseconds each;
 *   - the exact integer program then adds the best panel, and only its
 *     answer ends a level: a level ends when the best panel of all has
 *     no positive reduced cost, so every level is proven optimal as
 *     before; the local search only brings the end nearer;
 *   - columns far out of the basis are purged past PURGE_AT per type,
 *     since GLPK's simplex pays for every column at every iteration.
 * A new level starts from the last basis.
 */
#include <math.h>
#include <stdint.h>
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

#define DUAL_FIX 1e-6     /* a dual above this fixes its type */
#define PRICE_TOL 1e-9    /* a reduced cost above this adds a column */
#define FIX_SLACK 1e-9    /* fixed lower bounds are relaxed by this,
                             within GLPK's primal feasibility tolerance */
#define MAX_COLUMNS 200000
#define PURGE_AT 3         /* columns per type before purging */
#define PURGE_RC 1e-6      /* reduced cost below minus this: purged */
#define HEUR_COLUMNS 20    /* columns the local search may add per round */
#define SWAP_MOVES 10      /* swaps from a basic panel: near it, so varied */

/*
 * The panels of the master are kept sparse, as the types they seat (at
 * most k of them) and how many of each: memory in the panels times k, not
 * times the number of types, which matters past a few thousand types
 * (3 T panels of T dense counts are 3 T^2 numbers).
 */
struct seat {
	uint32_t t;       /* the type */
	int32_t n;        /* its seats on the panel */
};

struct master {
	const struct px_quota *q;
	glp_prob *lp;
	struct seat *seat; /* the columns' seats, one after the other */
	size_t nseat, seatcap;
	size_t *start;    /* ncols + 1: column c is seat[start[c] .. start[c + 1]) */
	size_t ncols, cap;
	size_t generated; /* columns added in all, purged ones included */
	size_t *slot;     /* hash table of column numbers + 1 (0: empty) */
	size_t nslots;    /* a power of two, at least twice ncols */
	struct seat *tmp; /* scratch, ntypes */
	int *ind;         /* scratch, ntypes + 2 */
	double *val;
};

static size_t column_hash(const struct seat *s, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a over the seats */
	for (size_t i = 0; i < len; i++) {
		h ^= (uint64_t)s[i].t;
		h *= 1099511628211u;
		h ^= (uint64_t)(uint32_t)s[i].n;
		h *= 1099511628211u;
	}
	return (size_t)h;
}

static int same_column(const struct master *m, size_t c, const struct seat *s, size_t len)
{
	return m->start[c + 1] - m->start[c] == len &&
	       !memcmp(m->seat + m->start[c], s, len * sizeof(*s));
}

/* The slot holding the column of seats s, or the empty slot where it
 * would go. */
static size_t find_slot(const struct master *m, const struct seat *s, size_t len)
{
	size_t i = column_hash(s, len) & (m->nslots - 1);
	while (m->slot[i] && !same_column(m, m->slot[i] - 1, s, len))
		i = (i + 1) & (m->nslots - 1);
	return i;
}

static size_t find_column_slot(const struct master *m, size_t c)
{
	return find_slot(m, m->seat + m->start[c], m->start[c + 1] - m->start[c]);
}

static int grow_slots(struct master *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 256;
	size_t *old = m->slot, nold = m->nslots;
	m->slot = calloc(n, sizeof(size_t));
	if (!m->slot) {
		m->slot = old;
		return -1;
	}
	m->nslots = n;
	for (size_t i = 0; i < nold; i++)
		if (old[i])
			m->slot[find_column_slot(m, old[i] - 1)] = old[i];
	free(old);
	return 0;
}

/* Column c as dense counts x (ntypes). */
static void column_counts(const struct master *m, size_t c, int *x)
{
	memset(x, 0, m->q->ntypes * sizeof(int));
	for (size_t i = m->start[c]; i < m->start[c + 1]; i++)
		x[m->seat[i].t] = m->seat[i].n;
}

/* Add panel x as a column: 0, or 1 when it is there already, or -1 when
 * out of memory. */
static int add_column(struct master *m, const int *x)
{
	const struct px_quota *q = m->q;
	size_t T = q->ntypes, len = 0;
	for (size_t t = 0; t < T; t++)
		if (x[t])
			m->tmp[len++] = (struct seat){ (uint32_t)t, x[t] };
	if (2 * (m->ncols + 1) > m->nslots && grow_slots(m) < 0)
		return -1;
	size_t i = find_slot(m, m->tmp, len);
	if (m->slot[i])
		return 1; /* already there */
	if (m->ncols + 1 >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		size_t *p = px_reallocarray(m->start, cap, sizeof(size_t));
		if (!p)
			return -1;
		m->start = p;
		m->cap = cap;
	}
	if (m->nseat + len > m->seatcap) {
		size_t cap = m->seatcap ? m->seatcap * 2 : 64 * (len + 1);
		while (cap < m->nseat + len)
			cap *= 2;
		struct seat *p = px_reallocarray(m->seat, cap, sizeof(*p));
		if (!p)
			return -1;
		m->seat = p;
		m->seatcap = cap;
	}
	m->start[m->ncols] = m->nseat;
	memcpy(m->seat + m->nseat, m->tmp, len * sizeof(*m->tmp));
	m->nseat += len;
	m->ncols++;
	m->start[m->ncols] = m->nseat;
	m->generated++;
	m->slot[i] = m->ncols;
	int j = glp_add_cols(m->lp, 1);
	glp_set_col_bnds(m->lp, j, GLP_LO, 0, 0);
	int n = 0;
	for (size_t k = 0; k < len; k++) {
		n++;
		m->ind[n] = (int)m->tmp[k].t + 1;
		m->val[n] = (double)m->tmp[k].n / (double)q->type_count[m->tmp[k].t];
	}
	n++;
	m->ind[n] = (int)T + 1;
	m->val[n] = 1;
	glp_set_mat_col(m->lp, j, n, m->ind, m->val);
	return 0;
}

static int lp_ok(glp_prob *lp, int rc)
{
	return rc == 0 && glp_get_status(lp) == GLP_OPT;
}

/* The progress function, asked from inside the pricing integer program
 * (which can search for long on thousands of types) and the first
 * master, so that a stop is heard there too. */
struct stopper {
	px_progress_fn *progress;
	void *ctx;
	const struct px_fair_state *st;
	unsigned calls;
};

#define LP_CHUNK 16    /* simplex iterations before the first question, */
#define LP_CHUNK_MAX 1024 /* doubling up to this between the next ones */
#define LP_STOPPED (-1) /* solve_lp: a stop was asked */

/*
 * glp_simplex in steps of LP_CHUNK iterations, then twice as many each
 * time up to LP_CHUNK_MAX (each step refactorises the basis, so not too
 * many), at most limit in all, asking sp (when not NULL) between steps:
 * GLPK's own time limit would need the time left, which only the
 * progress function knows. Each step goes on from the basis the last one
 * reached. Returns glp_simplex's code, or LP_STOPPED.
 */
static int simplex_asking(glp_prob *lp, glp_smcp *parm, int limit, struct stopper *sp)
{
	if (!sp) {
		parm->it_lim = limit;
		return glp_simplex(lp, parm);
	}
	for (int spent = 0, step = LP_CHUNK;; step = step < LP_CHUNK_MAX ? 2 * step : step) {
		int chunk = limit - spent < step ? limit - spent : step;
		parm->it_lim = chunk;
		int rc = glp_simplex(lp, parm);
		spent += chunk;
		if (rc != GLP_EITLIM || spent >= limit)
			return rc;
		struct px_fair_state st = *sp->st;
		st.what = "linear program";
		if (sp->progress(sp->ctx, &st))
			return LP_STOPPED;
	}
}

/*
 * Solve the master. A warm start from the last basis is fast but the
 * master is very degenerate (many types sit exactly at their level), and
 * GLPK's primal simplex can stall on it; then start over from the
 * standard basis with the dual simplex, and as a last resort use the
 * interior-point method. With sp, a stop asked during the simplex
 * returns LP_STOPPED (the first master, which on a million people's
 * thousands of panels can take minutes).
 */
static int solve_lp(glp_prob *lp, int fresh, struct stopper *sp)
{
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	int r;
	if (!fresh) {
		r = simplex_asking(lp, &parm, 20000, sp);
		if (r == LP_STOPPED)
			return r;
		if (lp_ok(lp, r))
			return 0;
	}
	glp_std_basis(lp);
	parm.meth = GLP_DUALP;
	r = simplex_asking(lp, &parm, 200000, sp);
	if (r == LP_STOPPED)
		return r;
	if (lp_ok(lp, r))
		return 0;
	glp_iptcp ip;
	glp_init_iptcp(&ip);
	ip.msg_lev = GLP_MSG_OFF;
	if (glp_interior(lp, &ip) == 0 && glp_ipt_status(lp) == GLP_OPT) {
		/* Crossover: a basis from the interior point, polished. */
		glp_std_basis(lp);
		parm.meth = GLP_PRIMAL;
		if (lp_ok(lp, glp_simplex(lp, &parm)))
			return 0;
	}
	return PX_E_SOLVER;
}

/* Point the z column at the unfixed rows and set every row's bound. */
static void set_level(struct master *m, const double *fixed)
{
	size_t T = m->q->ntypes;
	int n = 0;
	for (size_t t = 0; t < T; t++) {
		int r = (int)t + 1;
		if (fixed[t] < 0) {
			n++;
			m->ind[n] = r;
			m->val[n] = -1;
			glp_set_row_bnds(m->lp, r, GLP_LO, 0, 0);
		} else {
			double lb = fixed[t] - FIX_SLACK;
			glp_set_row_bnds(m->lp, r, GLP_LO, lb > 0 ? lb : 0, 0);
		}
	}
	glp_set_mat_col(m->lp, 1, n, m->ind, m->val);
}

/*
 * Keep the master small: GLPK's simplex pays for every column at every
 * iteration. Once there are more than PURGE_AT columns per type, the
 * nonbasic ones whose reduced cost is well below zero (panels the
 * current duals price far out) are deleted; the basis, and so the
 * solution, stays as it was. Deleted panels can come back from pricing.
 */
static int purge_columns(struct master *m)
{
	size_t T = m->q->ntypes, kept = 0, ndel = 0;
	if (m->ncols < PURGE_AT * T + 256)
		return 0;
	int *del = px_mallocarray(m->ncols + 1, sizeof(int));
	if (!del)
		return -1;
	size_t nseat = 0;
	for (size_t c = 0; c < m->ncols; c++) {
		int j = (int)c + 2;
		size_t from = m->start[c], len = m->start[c + 1] - from;
		if (glp_get_col_stat(m->lp, j) != GLP_BS &&
		    glp_get_col_dual(m->lp, j) < -PURGE_RC) {
			del[++ndel] = j;
			continue;
		}
		memmove(m->seat + nseat, m->seat + from, len * sizeof(*m->seat));
		m->start[kept++] = nseat;
		nseat += len;
	}
	if (ndel)
		glp_del_cols(m->lp, (int)ndel, del);
	free(del);
	m->ncols = kept;
	m->start[kept] = m->nseat = nseat;
	memset(m->slot, 0, m->nslots * sizeof(size_t));
	for (size_t c = 0; c < kept; c++)
		m->slot[find_column_slot(m, c)] = c + 1;
	return 0;
}

/*
 * Columns of positive reduced cost found cheaply: a local search
 * (panelswap.h) from each panel in the basis, whose reduced cost is 0, so
 * any improving swap gives a column worth adding. Returns the number
 * added (at most max_new), or -1 when out of memory; *best is raised to
 * the heaviest panel's weight seen.
 */
static long heuristic_columns(struct master *m, struct px_panelswap *sw,
			      const double *w, double conv, int *x, size_t max_new,
			      double *best)
{
	size_t added = 0, ncols = m->ncols;
	px_panelswap_weights(sw, w);
	for (size_t i = 0; i < ncols && added < max_new; i++) {
		size_t c = i;
		if (glp_get_col_stat(m->lp, (int)c + 2) != GLP_BS)
			continue;
		column_counts(m, c, x);
		double v = px_panelswap_improve(sw, x, SWAP_MOVES);
		if (v > *best)
			*best = v;
		if (v - conv <= PRICE_TOL * (1 + fabs(conv)))
			continue;
		int r = add_column(m, x);
		if (r < 0)
			return -1;
		added += r == 0;
	}
	return (long)added;
}

static int ask_stop(void *ctx)
{
	struct stopper *s = ctx;
	/* at the first step of the search and every 32nd after (a terminal's
	 * running line is rewritten at each call), saying where it is */
	if (s->calls++ % 32)
		return 0;
	struct px_fair_state st = *s->st;
	st.what = "pricing";
	return s->progress(s->ctx, &st);
}

/* A panel seating some type of weight 1 (x unchanged when there is
 * none, so the caller sees no new type). */
static int opening_panel(struct px_panelip *ip, const double *w, int *x)
{
	enum px_price how;
	double v;
	px_panelip_first_found(ip, 1);
	int rc = px_panelip_above(ip, w, 0.5, NULL, NULL, x, &v, &how);
	px_panelip_first_found(ip, 0);
	return rc ? rc : how == PX_PRICE_STOPPED ? PX_E_SOLVER : 0;
}

int px_dist_add(struct px_dist *d, const int *counts, double prob)
{
	size_t T = d->ntypes, nnz = d->start ? d->start[d->npanels] : 0, len = 0;
	for (size_t t = 0; t < T; t++)
		len += counts[t] != 0;
	if (d->npanels + 1 >= d->cap || !d->start) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		size_t *st = px_reallocarray(d->start, cap + 1, sizeof(size_t));
		if (!st)
			return PX_E_NOMEM;
		if (!d->start)
			st[0] = 0;
		d->start = st;
		double *pr = px_reallocarray(d->prob, cap, sizeof(double));
		if (!pr)
			return PX_E_NOMEM;
		d->prob = pr;
		d->cap = cap;
	}
	if (nnz + len > d->nnz_cap || !d->type) {
		size_t cap = d->nnz_cap ? 2 * d->nnz_cap : 1024;
		while (cap < nnz + len)
			cap *= 2;
		size_t *ty = px_reallocarray(d->type, cap, sizeof(size_t));
		if (!ty)
			return PX_E_NOMEM;
		d->type = ty;
		int *se = px_reallocarray(d->seats, cap, sizeof(int));
		if (!se)
			return PX_E_NOMEM;
		d->seats = se;
		d->nnz_cap = cap;
	}
	for (size_t t = 0; t < T; t++)
		if (counts[t]) {
			d->type[nnz] = t;
			d->seats[nnz++] = counts[t];
		}
	d->prob[d->npanels++] = prob;
	d->start[d->npanels] = nnz;
	return 0;
}

void px_dist_dense(const struct px_dist *d, size_t p, int *x)
{
	memset(x, 0, d->ntypes * sizeof(int));
	for (size_t i = d->start[p]; i < d->start[p + 1]; i++)
		x[d->type[i]] = d->seats[i];
}

int px_dist_seats(const struct px_dist *d, size_t p, size_t t)
{
	size_t lo = d->start[p], hi = d->start[p + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->type[mid] == t)
			return d->seats[mid];
		if (d->type[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void px_dist_release(struct px_dist *d)
{
	free(d->start);
	free(d->type);
	free(d->seats);
	free(d->prob);
	free(d->type_prob);
	memset(d, 0, sizeof(*d));
}

int px_fair_dist(const struct px_quota *q, enum px_fair how,
		 px_progress_fn *progress, void *ctx, struct px_dist *out,
		 struct px_error *err)
{
	size_t T = q->ntypes, nfixed = 0, level = 0;
	struct px_fair_state st = { .ntypes = T };
	int stopped = 0, solved = 0, uniform = 0;
	struct master m = { 0 };
	struct px_panelip *ip = NULL;
	struct px_panelswap *sw = NULL;
	double *fixed = NULL, *w = NULL;
	int *x = NULL;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	struct px_dist seed = { 0 };
	if (how == PX_FAIR_LEXIMIN && T > 0) {
		/* relax, decompose, and so prove (leximin_relax.h) */
		size_t rlevels = 0;
		int done = 0;
		double *xr = px_mallocarray(T, sizeof(double));
		if (!xr)
			return px_fail(err, PX_E_NOMEM, NULL, NULL);
		rc = px_leximin_relaxed(q, progress, ctx, xr, &rlevels);
		if (rc == 0) {
			double least = 1;
			for (size_t t = 0; t < T; t++)
				if (xr[t] / (double)q->type_count[t] < least)
					least = xr[t] / (double)q->type_count[t];
			st = (struct px_fair_state){ "panels generated", rlevels, T, T, 0, least };
			rc = px_leximin_decompose(q, xr, progress, ctx, &st, &seed, &done);
		} else if (rc == PX_E_SOLVER) {
			rc = 0; /* no relaxed optimum: column generation says why */
		}
		free(xr);
		if (rc)
			return px_fail(err, rc, NULL, NULL);
		if (done) {
			*out = seed;
			out->levels = rlevels;
			out->decomposed = 1;
			return 0;
		}
		/* stuck or stopped: column generation goes on from the panels
		 * found (a stop is then heard at its first distribution, which
		 * seats every type that any panel can seat) */
		st = (struct px_fair_state){ .ntypes = T };
	}
	m.q = q;
	fixed = px_mallocarray(T, sizeof(double));
	w = calloc(T, sizeof(double));
	x = px_mallocarray(T, sizeof(int));
	m.tmp = px_mallocarray(T ? T : 1, sizeof(struct seat));
	m.ind = px_mallocarray(T + 2, sizeof(int));
	m.val = px_mallocarray(T + 2, sizeof(double));
	ip = px_panelip_new(q);
	sw = px_panelswap_new(q);
	if (!sw || !fixed || !w || !x || !m.tmp || !m.ind || !m.val || !ip) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	m.lp = glp_create_prob();
	glp_set_obj_dir(m.lp, GLP_MAX);
	glp_add_rows(m.lp, (int)T + 1);
	glp_set_row_bnds(m.lp, (int)T + 1, GLP_FX, 1, 1);
	glp_add_cols(m.lp, 1);
	glp_set_col_bnds(m.lp, 1, GLP_DB, 0, 1);
	glp_set_obj_coef(m.lp, 1, 1);

	/* Start with panels that between them seat every type that can be
	 * seated: ask for a panel seating as many not yet seated types as
	 * possible, until none is left or no panel seats another; a type no
	 * panel seats has probability 0. The local search from the last panel
	 * answers first; the integer program when it finds no new type, so
	 * "no panel seats another" is still proven. */
	{
		char *seated = calloc(T ? T : 1, 1);
		size_t round = 0;
		if (!seated) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		for (size_t p = 0; p < seed.npanels; p++) { /* the decomposition's */
			px_dist_dense(&seed, p, x);
			if (add_column(&m, x) < 0) {
				free(seated);
				rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
				goto out;
			}
			for (size_t t = 0; t < T; t++)
				seated[t] |= x[t] > 0;
		}
		for (;;) {
			size_t newly = 0;
			for (size_t t = 0; t < T; t++)
				w[t] = seated[t] ? 0 : 1;
			rc = 0;
			/* the integer program stops at the first panel seating a
			 * type not yet seated (or proves there is none): the best
			 * such panel is not needed, and proving it best took most
			 * of this phase on thousands of types */
			if (round) { /* x holds the last panel */
				px_panelswap_weights(sw, w);
				if (px_panelswap_improve(sw, x, q->k) < 0.5)
					rc = opening_panel(ip, w, x);
			} else {
				rc = px_panelip_solve(ip, NULL, x, NULL); /* any panel? */
				if (!rc)
					rc = opening_panel(ip, w, x);
			}
			if (rc) {
				free(seated);
				rc = px_fail(err, rc, NULL, NULL);
				goto out;
			}
			for (size_t t = 0; t < T; t++)
				if (x[t] && !seated[t]) {
					seated[t] = 1;
					newly++;
				}
			if (!newly)
				break;
			if (add_column(&m, x) < 0) {
				free(seated);
				rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
				goto out;
			}
			round++;
			if (progress) {
				/* no distribution yet: cannot stop here */
				st.what = "first panels";
				st.panels = round;
				(void)progress(ctx, &st);
			}
		}
		for (size_t t = 0; t < T; t++) {
			fixed[t] = seated[t] ? -1 : 0;
			nfixed += !seated[t];
		}
		free(seated);
	}

	while (nfixed < T && !stopped) {
		double z;
		int fresh = level == 0; /* later levels start from the last basis */
		set_level(&m, fixed);
		level++;
		for (;; fresh = 0) {
			/* the first master is asked about a stop as it goes: no
			 * distribution stands before it, and it can be long */
			st = (struct px_fair_state){ "linear program", level, nfixed, T,
						     m.generated, 0 };
			struct stopper lsp = { progress, ctx, &st, 0 };
			rc = solve_lp(m.lp, fresh, progress && !solved ? &lsp : NULL);
			if (rc == LP_STOPPED) {
				rc = 0;
				stopped = uniform = 1;
				break;
			}
			if (rc) {
				rc = px_fail(err, rc, NULL, NULL);
				goto out;
			}
			solved = 1;
			double conv = glp_get_row_dual(m.lp, (int)T + 1);
			for (size_t t = 0; t < T; t++)
				w[t] = -glp_get_row_dual(m.lp, (int)t + 1) /
				       (double)q->type_count[t];
			if (progress) {
				st = (struct px_fair_state){ "panels generated", level, nfixed, T,
							     m.generated, glp_get_obj_val(m.lp) };
				if (progress(ctx, &st)) {
					stopped = 1; /* the last solution stands */
					break;
				}
			}
			if (purge_columns(&m) < 0) {
				rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
				goto out;
			}
			double above = conv + PRICE_TOL * (1 + fabs(conv)), hbest = above;
			long hadd = heuristic_columns(&m, sw, w, conv, x, HEUR_COLUMNS, &hbest);
			if (hadd < 0) {
				rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
				goto out;
			}
			/* the integer program: a panel better than the local
			 * search's best, or, when the search found nothing, the
			 * proof that no panel has a positive reduced cost (the
			 * level's optimum) */
			double best;
			enum px_price out_ip;
			st.panels = m.generated; /* the local search's included */
			struct stopper sp = { progress, ctx, &st, 0 };
			if ((rc = px_panelip_above(ip, w, hbest, progress ? ask_stop : NULL, &sp,
						   x, &best, &out_ip))) {
				rc = px_fail(err, rc, NULL, NULL);
				goto out;
			}
			if (out_ip == PX_PRICE_STOPPED) {
				stopped = 1; /* the last solution stands */
				break;
			}
			if (out_ip == PX_PRICE_NONE) {
				if (hadd > 0)
					continue; /* the local search's panels are added */
				break;
			}
			int added = add_column(&m, x);
			if (added < 0) {
				rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
				goto out;
			}
			if ((added > 0 && hadd == 0) || m.generated > MAX_COLUMNS)
				break; /* only rounding noise left */
		}
		if (stopped)
			break;
		z = glp_get_obj_val(m.lp);
		size_t newly = 0;
		for (size_t t = 0; t < T; t++) {
			if (fixed[t] >= 0)
				continue;
			double y = -glp_get_row_dual(m.lp, (int)t + 1);
			if (y > DUAL_FIX || how == PX_FAIR_MAXIMIN) {
				fixed[t] = z;
				newly++;
			}
		}
		if (!newly) { /* cannot happen with exact duals; be safe */
			for (size_t t = 0; t < T; t++)
				if (fixed[t] < 0) {
					fixed[t] = z;
					newly++;
					break;
				}
		}
		nfixed += newly;
		if (progress) {
			st = (struct px_fair_state){ "types fixed", level, nfixed, T, m.generated, z };
			stopped = nfixed < T && progress(ctx, &st);
		}
	}
	if (level == 0) { /* every type fixed at 0 up front: still solve */
		set_level(&m, fixed);
		if ((rc = solve_lp(m.lp, 1, NULL))) {
			rc = px_fail(err, rc, NULL, NULL);
			goto out;
		}
	}
	if (uniform) {
		/* stopped inside the first master: no solution of it stands,
		 * so every panel found gets the same probability. Each meets
		 * every quota, and between them they seat every type that any
		 * panel can seat, so everyone who can sit keeps a chance; far
		 * from optimal, and marked so. */
		level = 0;
	}

	/* The distribution: the last primal solution, without the panels
	 * of (numerically) zero weight. */
	out->ntypes = T;
	out->optimal = !stopped;
	out->levels = level;
	out->columns = m.generated;
	out->type_prob = calloc(T ? T : 1, sizeof(double));
	if (!out->type_prob) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	double sum = 0;
	for (size_t c = 0; c < m.ncols; c++) {
		double l = uniform ? 1 : glp_get_col_prim(m.lp, (int)c + 2);
		if (l <= 1e-12)
			continue;
		column_counts(&m, c, x);
		if (px_dist_add(out, x, l)) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		sum += l;
	}
	for (size_t p = 0; p < out->npanels; p++) {
		out->prob[p] /= sum;
		for (size_t i = out->start[p]; i < out->start[p + 1]; i++)
			out->type_prob[out->type[i]] += out->prob[p] * out->seats[i] /
							(double)q->type_count[out->type[i]];
	}
out:
	px_dist_release(&seed);
	if (rc)
		px_dist_release(out);
	if (m.lp)
		glp_delete_prob(m.lp);
	px_panelip_free(ip);
	px_panelswap_free(sw);
	free(m.seat);
	free(m.start);
	free(m.tmp);
	free(m.slot);
	free(m.ind);
	free(m.val);
	free(fixed);
	free(w);
	free(x);
	return rc;
}
