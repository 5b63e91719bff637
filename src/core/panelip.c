/*
 * panelip.c: the panel integer program on GLPK. Columns are the types
 * (integer, bounds 0..count), rows the features (bounds min..max) and one
 * row fixing the panel size at k. The problem is built once; each solve
 * only changes the objective, so GLPK's presolver does the rest.
 */
#include <math.h>
#include <stdlib.h>

#include <glpk.h>

#include "alloc.h"
#include "errors.h"
#include "panelip.h"
#include "quota.h"
#include "banned.h"

struct px_panelip {
	const struct px_quota *q;
	glp_prob *p;
	int br_tech;    /* GLPK's branching rule for px_panelip_above */
};

struct px_panelip *px_panelip_new(const struct px_quota *q)
{
	struct px_panelip *ip = calloc(1, sizeof(*ip));
	int *ia = NULL, *ja = NULL;
	double *ar = NULL;
	size_t nnz = q->ntypes * (q->ncat + 1);
	if (!ip)
		return NULL;
	ip->q = q;
	ip->br_tech = GLP_BR_DTH; /* GLPK's default */
	ip->p = glp_create_prob();
	glp_set_obj_dir(ip->p, GLP_MAX);
	glp_add_rows(ip->p, (int)q->nfeat + 1);
	glp_add_cols(ip->p, (int)q->ntypes);
	for (size_t f = 0; f < q->nfeat; f++)
		px_panelip_relax(ip, f, 0);
	glp_set_row_bnds(ip->p, (int)q->nfeat + 1, GLP_FX, (double)q->k, (double)q->k);
	for (size_t t = 0; t < q->ntypes; t++) {
		int j = (int)t + 1;
		glp_set_col_kind(ip->p, j, GLP_IV);
		if (q->type_count[t] == 0)
			glp_set_col_bnds(ip->p, j, GLP_FX, 0, 0);
		else
			glp_set_col_bnds(ip->p, j, GLP_DB, 0, (double)q->type_count[t]);
	}
	ia = px_mallocarray(nnz + 1, sizeof(int));
	ja = px_mallocarray(nnz + 1, sizeof(int));
	ar = px_mallocarray(nnz + 1, sizeof(double));
	if (!ia || !ja || !ar) {
		px_panelip_free(ip);
		ip = NULL;
		goto out;
	}
	size_t n = 0;
	for (size_t t = 0; t < q->ntypes; t++) {
		for (size_t c = 0; c < q->ncat; c++) {
			n++;
			ia[n] = (int)q->type_feat[t * q->ncat + c] + 1;
			ja[n] = (int)t + 1;
			ar[n] = 1;
		}
		n++;
		ia[n] = (int)q->nfeat + 1;
		ja[n] = (int)t + 1;
		ar[n] = 1;
	}
	glp_load_matrix(ip->p, (int)n, ia, ja, ar);
out:
	free(ia);
	free(ja);
	free(ar);
	return ip;
}

void px_panelip_free(struct px_panelip *ip)
{
	if (!ip)
		return;
	glp_delete_prob(ip->p);
	free(ip);
}

void px_panelip_first_found(struct px_panelip *ip, int on)
{
	ip->br_tech = on ? GLP_BR_MFV : GLP_BR_DTH;
}

void px_panelip_relax(struct px_panelip *ip, size_t f, int on)
{
	const struct px_feature *ft = &ip->q->feat[f];
	if (on)
		glp_set_row_bnds(ip->p, (int)f + 1, GLP_DB, 0, (double)ip->q->k);
	else if (ft->min == ft->max)
		glp_set_row_bnds(ip->p, (int)f + 1, GLP_FX, (double)ft->min, (double)ft->min);
	else
		glp_set_row_bnds(ip->p, (int)f + 1, GLP_DB, (double)ft->min, (double)ft->max);
}

void px_panelip_bounds(struct px_panelip *ip, size_t f, int64_t min, int64_t max)
{
	if (min == max)
		glp_set_row_bnds(ip->p, (int)f + 1, GLP_FX, (double)min, (double)min);
	else
		glp_set_row_bnds(ip->p, (int)f + 1, GLP_DB, (double)min, (double)max);
}

void px_panelip_seats(struct px_panelip *ip, size_t t, int64_t min, int64_t max)
{
	if (max > (int64_t)ip->q->type_count[t])
		max = (int64_t)ip->q->type_count[t];
	if (min < 0)
		min = 0;
	if (max <= min)
		glp_set_col_bnds(ip->p, (int)t + 1, GLP_FX, (double)min, (double)min);
	else
		glp_set_col_bnds(ip->p, (int)t + 1, GLP_DB, (double)min, (double)max);
}

int px_panelip_solve(struct px_panelip *ip, const double *weights, int *counts,
		     double *value)
{
	const struct px_quota *q = ip->q;
	glp_iocp parm;
	for (size_t t = 0; t < q->ntypes; t++)
		glp_set_obj_coef(ip->p, (int)t + 1, weights ? weights[t] : 0);
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.msg_lev = GLP_MSG_OFF;
	int rc = glp_intopt(ip->p, &parm);
	int st = glp_mip_status(ip->p);
	if (rc == GLP_ENOPFS || rc == GLP_ENODFS || st == GLP_NOFEAS)
		return PX_E_INFEASIBLE;
	if (rc || st != GLP_OPT)
		return PX_E_SOLVER;
	if (counts)
		for (size_t t = 0; t < q->ntypes; t++)
			counts[t] = (int)lround(glp_mip_col_val(ip->p, (int)t + 1));
	if (value)
		*value = glp_mip_obj_val(ip->p);
	return 0;
}

struct above {
	double threshold;
	int (*stop)(void *ctx);
	void *ctx;
	int none, stopped;
};

static void above_cb(glp_tree *tree, void *info)
{
	struct above *a = info;
	int why = glp_ios_reason(tree);
	if (why != GLP_ISELECT && why != GLP_IBINGO && why != GLP_IHEUR)
		return;
	if (why == GLP_IBINGO) {
		/* a better panel: enough if above the threshold */
		if (glp_mip_obj_val(glp_ios_get_prob(tree)) > a->threshold)
			glp_ios_terminate(tree);
		return;
	}
	int best = glp_ios_best_node(tree);
	if (best && glp_ios_node_bound(tree, best) <= a->threshold) {
		a->none = 1; /* no open subproblem can beat the threshold */
		glp_ios_terminate(tree);
		return;
	}
	if (a->stop && a->stop(a->ctx)) {
		a->stopped = 1;
		glp_ios_terminate(tree);
	}
}

int px_panelip_above(struct px_panelip *ip, const double *weights, double threshold,
		     int (*stop)(void *ctx), void *ctx, int *counts, double *value,
		     enum px_price *outcome)
{
	const struct px_quota *q = ip->q;
	struct above a = { threshold, stop, ctx, 0, 0 };
	glp_iocp parm;
	for (size_t t = 0; t < q->ntypes; t++)
		glp_set_obj_coef(ip->p, (int)t + 1, weights[t]);
	glp_init_iocp(&parm);
	parm.presolve = GLP_OFF; /* the callback reads the problem as built */
	parm.msg_lev = GLP_MSG_OFF;
	parm.br_tech = ip->br_tech;
	parm.cb_func = above_cb;
	parm.cb_info = &a;
	glp_smcp sp;
	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	if (glp_simplex(ip->p, &sp) != 0)
		return PX_E_SOLVER;
	if (glp_get_status(ip->p) == GLP_NOFEAS)
		return PX_E_INFEASIBLE;
	if (glp_get_status(ip->p) == GLP_OPT && glp_get_obj_val(ip->p) <= threshold) {
		*outcome = PX_PRICE_NONE; /* not even the relaxation beats it */
		return 0;
	}
	int rc = glp_intopt(ip->p, &parm);
	int st = glp_mip_status(ip->p);
	if (rc == GLP_ENOPFS || rc == GLP_ENODFS || st == GLP_NOFEAS)
		return PX_E_INFEASIBLE;
	if (rc && rc != GLP_ESTOP)
		return PX_E_SOLVER;
	double v = st == GLP_OPT || st == GLP_FEAS ? glp_mip_obj_val(ip->p) : 0;
	if ((st == GLP_OPT || st == GLP_FEAS) && v > threshold) {
		for (size_t t = 0; t < q->ntypes; t++)
			counts[t] = (int)lround(glp_mip_col_val(ip->p, (int)t + 1));
		*value = v;
		*outcome = PX_PRICE_FOUND;
	} else if (st == GLP_OPT || a.none) {
		*outcome = PX_PRICE_NONE;
	} else if (a.stopped) {
		*outcome = PX_PRICE_STOPPED;
	} else {
		return PX_E_SOLVER;
	}
	return 0;
}
