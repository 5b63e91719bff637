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
