/* Unit test for src/core/leximin.c at scale (issue 19, section 4): a
 * 5,000-person pool in six categories, generated here from a fixed seed
 * (nothing large is committed), solved to the end by LEXIMIN and checked
 * against an independent MAXIMIN: a column generation written here from
 * scratch on GLPK (its own master, its own pricing integer program, no
 * local search, no fixing, no purging), whose optimum the least LEXIMIN
 * probability must equal. Also: probabilities sum to k, each type's
 * probability is the sum over the panels, and every panel meets every
 * quota, counted here again. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "core/csv.h"
#include "core/errors.h"
#include "core/leximin.h"
#include "core/quota.h"

#define NPEOPLE 5000
#define K 60

/* Six categories; fewer values than a national pool (gen_national.py has
 * 3 x 5 x 10 x 4 x 5 x 2) so that LEXIMIN ends within a test's time, with
 * the same kind of correlations and self-selection skew. */
struct cat {
	const char *name;
	int nval;
	const char *val[4];
	double share[4]; /* population shares: the quotas */
};

static const struct cat cats6[6] = {
	{ "gender", 2, { "female", "male" }, { 0.51, 0.49 } },
	{ "age", 3, { "16-34", "35-59", "60+" }, { 0.30, 0.42, 0.28 } },
	{ "region", 4, { "north", "south", "east", "west" }, { 0.31, 0.27, 0.24, 0.18 } },
	{ "education", 3, { "school", "vocational", "degree" }, { 0.45, 0.25, 0.30 } },
	{ "ethnicity", 2, { "majority", "minority" }, { 0.85, 0.15 } },
	{ "setting", 2, { "urban", "rural" }, { 0.70, 0.30 } },
};

static uint64_t rng_state;

static double uniform(void)
{
	/* splitmix64: deterministic on every platform */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static int pick(const double *w, int n)
{
	double total = 0, x;
	for (int i = 0; i < n; i++)
		total += w[i];
	x = uniform() * total;
	for (int i = 0; i < n; i++) {
		x -= w[i];
		if (x < 0)
			return i;
	}
	return n - 1;
}

/* One volunteer: older and more educated than the population, education
 * going with age and town, minorities with the first region and towns. */
static void person(int *v)
{
	double w[4];
	v[0] = pick(cats6[0].share, 2);
	memcpy(w, cats6[1].share, sizeof(w));
	w[0] *= 0.6;
	w[2] *= 1.5;
	v[1] = pick(w, 3);
	v[2] = pick(cats6[2].share, 4);
	memcpy(w, cats6[5].share, sizeof(w));
	if (v[2] == 0)
		w[0] *= 1.6;
	v[5] = pick(w, 2);
	memcpy(w, cats6[3].share, sizeof(w));
	w[2] *= 2.0;
	if (v[1] == 2)
		w[0] *= 1.8;
	if (v[5] == 0)
		w[2] *= 1.3;
	v[3] = pick(w, 3);
	memcpy(w, cats6[4].share, sizeof(w));
	w[1] *= (v[2] == 0 ? 1.8 : 0.7) * (v[5] == 0 ? 1.2 : 0.8);
	v[4] = pick(w, 2);
}

static char *append(char *buf, size_t *len, size_t *cap, const char *s)
{
	size_t l = strlen(s);
	if (*len + l + 1 > *cap) {
		*cap = (*len + l + 1) * 2;
		buf = realloc(buf, *cap);
		assert_non_null(buf);
	}
	memcpy(buf + *len, s, l + 1);
	*len += l;
	return buf;
}

/* The quotas: population share of K, +/- 10%, at least one seat of slack,
 * as gen_national.py sets them. */
static void quota_of(int c, int i, int *lo, int *hi)
{
	double s = cats6[c].share[i] * K;
	*lo = (int)(s * 0.9);
	*hi = (int)ceil(s * 1.1);
	if (*hi < *lo + 1)
		*hi = *lo + 1;
}

/* Independent MAXIMIN: maximise z subject to every type's probability
 * >= z over distributions of panels, by plain column generation. */
static double maximin_by_column_generation(const struct px_quota *q)
{
	size_t T = q->ntypes;
	glp_prob *ip = glp_create_prob(), *lp = glp_create_prob();
	glp_iocp ipar;
	glp_smcp spar;
	int *ind = calloc(T * 7 + 2, sizeof(int)), *ja = calloc(T * 7 + 2, sizeof(int));
	double *ar = calloc(T * 7 + 2, sizeof(double)), *val = calloc(T + 2, sizeof(double));
	int *rowi = calloc(T + 2, sizeof(int));
	assert_non_null(ind);
	assert_non_null(ja);
	assert_non_null(ar);
	assert_non_null(val);
	assert_non_null(rowi);
	glp_init_iocp(&ipar);
	ipar.presolve = GLP_ON;
	ipar.msg_lev = GLP_MSG_OFF;
	glp_init_smcp(&spar);
	spar.msg_lev = GLP_MSG_OFF;

	/* pricing: integer seats per type; one row per feature, one for K */
	glp_set_obj_dir(ip, GLP_MAX);
	glp_add_rows(ip, (int)q->nfeat + 1);
	glp_add_cols(ip, (int)T);
	size_t f = 0;
	for (int c = 0; c < 6; c++)
		for (int i = 0; i < cats6[c].nval; i++, f++) {
			int lo, hi;
			quota_of(c, i, &lo, &hi);
			glp_set_row_bnds(ip, (int)f + 1, GLP_DB, lo, hi);
		}
	assert_int_equal(f, q->nfeat);
	glp_set_row_bnds(ip, (int)f + 1, GLP_FX, K, K);
	int n = 0;
	for (size_t t = 0; t < T; t++) {
		glp_set_col_kind(ip, (int)t + 1, GLP_IV);
		glp_set_col_bnds(ip, (int)t + 1, GLP_DB, 0, (double)q->type_count[t]);
		for (size_t c = 0; c < q->ncat; c++) {
			n++;
			ind[n] = (int)q->type_feat[t * q->ncat + c] + 1;
			ja[n] = (int)t + 1;
			ar[n] = 1;
		}
		n++;
		ind[n] = (int)f + 1;
		ja[n] = (int)t + 1;
		ar[n] = 1;
	}
	glp_load_matrix(ip, n, ind, ja, ar);

	/* master: column 1 is z; rows: one per type, then sum lambda = 1 */
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_rows(lp, (int)T + 1);
	glp_add_cols(lp, 1);
	glp_set_obj_coef(lp, 1, 1);
	glp_set_col_bnds(lp, 1, GLP_FR, 0, 0);
	for (size_t t = 0; t < T; t++) {
		glp_set_row_bnds(lp, (int)t + 1, GLP_LO, 0, 0);
		rowi[t + 1] = (int)t + 1;
		val[t + 1] = -1;
	}
	glp_set_mat_col(lp, 1, (int)T, rowi, val);
	glp_set_row_bnds(lp, (int)T + 1, GLP_FX, 1, 1);

	double z = 0;
	for (int round = 0; round < 20000; round++) {
		double conv = 0;
		if (round) {
			assert_int_equal(glp_simplex(lp, &spar), 0);
			assert_int_equal(glp_get_status(lp), GLP_OPT);
			z = glp_get_obj_val(lp);
			conv = glp_get_row_dual(lp, (int)T + 1);
		}
		for (size_t t = 0; t < T; t++)
			glp_set_obj_coef(ip, (int)t + 1, round ? -glp_get_row_dual(lp, (int)t + 1) /
						       (double)q->type_count[t] : 0);
		assert_int_equal(glp_intopt(ip, &ipar), 0);
		assert_int_equal(glp_mip_status(ip), GLP_OPT);
		if (round && glp_mip_obj_val(ip) - conv <= 1e-10)
			break;
		int m = 0;
		for (size_t t = 0; t < T; t++) {
			double x = glp_mip_col_val(ip, (int)t + 1);
			if (x > 0.5) {
				m++;
				rowi[m] = (int)t + 1;
				val[m] = floor(x + 0.5) / (double)q->type_count[t];
			}
		}
		m++;
		rowi[m] = (int)T + 1;
		val[m] = 1;
		int j = glp_add_cols(lp, 1);
		glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
		glp_set_mat_col(lp, j, m, rowi, val);
	}
	glp_delete_prob(ip);
	glp_delete_prob(lp);
	free(ind);
	free(ja);
	free(ar);
	free(val);
	free(rowi);
	return z;
}

/* The instance: categories and respondents as CSV text, loaded. */
struct inst {
	char *cs, *rs;
	struct csv_table ct, rt;
	struct px_quota q;
};

static void inst_load(struct inst *in)
{
	char line[256];
	size_t cl = 0, ccap = 0, rl = 0, rcap = 0, eline;
	struct px_error err = { 0 };
	int which;
	memset(in, 0, sizeof(*in));
	rng_state = 19; /* issue 19 */
	in->cs = append(in->cs, &cl, &ccap, "category,feature,min,max\n");
	for (int c = 0; c < 6; c++)
		for (int i = 0; i < cats6[c].nval; i++) {
			int lo, hi;
			quota_of(c, i, &lo, &hi);
			snprintf(line, sizeof(line), "%s,%s,%d,%d\n", cats6[c].name,
				 cats6[c].val[i], lo, hi);
			in->cs = append(in->cs, &cl, &ccap, line);
		}
	in->rs = append(in->rs, &rl, &rcap, "id,gender,age,region,education,ethnicity,setting\n");
	for (int p = 0; p < NPEOPLE; p++) {
		int v[6];
		person(v);
		snprintf(line, sizeof(line), "p%d,%s,%s,%s,%s,%s,%s\n", p + 1,
			 cats6[0].val[v[0]], cats6[1].val[v[1]], cats6[2].val[v[2]],
			 cats6[3].val[v[3]], cats6[4].val[v[4]], cats6[5].val[v[5]]);
		in->rs = append(in->rs, &rl, &rcap, line);
	}
	assert_int_equal(csv_parse(in->cs, cl, &in->ct, &eline, &err), 0);
	assert_int_equal(csv_parse(in->rs, rl, &in->rt, &eline, &err), 0);
	assert_int_equal(px_quota_load(&in->q, &in->ct, &in->rt, NULL, K, &which, &eline, &err), 0);
	assert_int_equal(in->q.npeople, NPEOPLE);
	assert_true(in->q.ntypes > 100); /* types, not a handful */
}

static void inst_free(struct inst *in)
{
	px_quota_release(&in->q);
	csv_table_release(&in->ct);
	csv_table_release(&in->rt);
	free(in->cs);
	free(in->rs);
}

/* Every panel meets every quota (counted here), the panels' probabilities
 * sum to 1, each type's probability is the sum over the panels and they
 * sum to K. Returns the least probability. */
static double check_dist(const struct px_quota *q, const struct px_dist *d)
{
	int64_t *seats = calloc(q->nfeat, sizeof(int64_t));
	assert_non_null(seats);
	assert_true(d->npanels >= 1);
	double psum = 0;
	for (size_t p = 0; p < d->npanels; p++) {
		int64_t size = 0;
		memset(seats, 0, q->nfeat * sizeof(int64_t));
		for (size_t t = 0; t < q->ntypes; t++) {
			int x = px_dist_seats(d, p, t);
			assert_true(x >= 0 && (size_t)x <= q->type_count[t]);
			size += x;
			for (size_t c = 0; c < q->ncat; c++)
				seats[q->type_feat[t * q->ncat + c]] += x;
		}
		assert_int_equal(size, K);
		size_t f = 0;
		for (int c = 0; c < 6; c++)
			for (int i = 0; i < cats6[c].nval; i++, f++) {
				int lo, hi;
				quota_of(c, i, &lo, &hi);
				assert_true(seats[f] >= lo && seats[f] <= hi);
			}
		assert_true(d->prob[p] > 0);
		psum += d->prob[p];
	}
	free(seats);
	assert_true(fabs(psum - 1) < 1e-9);

	double sum = 0, least = 1;
	for (size_t t = 0; t < q->ntypes; t++) {
		double pt = 0;
		for (size_t p = 0; p < d->npanels; p++)
			pt += d->prob[p] * px_dist_seats(d, p, t) / (double)q->type_count[t];
		assert_true(fabs(pt - d->type_prob[t]) < 1e-9);
		sum += pt * (double)q->type_count[t];
		if (pt < least)
			least = pt;
	}
	assert_true(fabs(sum - K) < 1e-6);
	return least;
}

static void test_leximin_on_5000_people_in_six_categories(void **state)
{
	(void)state;
	struct inst in;
	struct px_error err = { 0 };
	struct px_dist d = { 0 };
	inst_load(&in);
	const struct px_quota *q = &in.q;

	assert_int_equal(px_fair_dist(q, PX_FAIR_LEXIMIN, NULL, NULL, &d, &err), 0);
	assert_int_equal(d.optimal, 1);
	assert_true(d.levels >= 2);
	print_message("%zu people, %zu types: %zu levels, %zu panels generated, %zu used\n",
		      q->npeople, q->ntypes, d.levels, d.columns, d.npanels);

	/* the relaxed optimum was decomposed: no column generation */
	assert_int_equal(d.decomposed, 1);

	double least = check_dist(q, &d);
	assert_true(least < (double)K / NPEOPLE); /* the quotas bind */

	/* the least probability is MAXIMIN's optimum, found independently */
	double z = maximin_by_column_generation(q);
	assert_true(fabs(least - z) < 1e-6);

	/* and every type's probability is the one column generation finds
	 * level by level (LEXIMIN's probabilities are unique) */
	struct px_dist cg = { 0 };
	assert_int_equal(px_fair_dist(q, PX_FAIR_LEXIMIN_COLUMNS, NULL, NULL, &cg, &err), 0);
	assert_int_equal(cg.optimal, 1);
	assert_int_equal(cg.decomposed, 0);
	check_dist(q, &cg);
	double worst = 0;
	for (size_t t = 0; t < q->ntypes; t++)
		worst = fmax(worst, fabs(cg.type_prob[t] - d.type_prob[t]));
	print_message("largest difference from column generation: %.2g\n", worst);
	assert_true(worst < 1e-6);
	px_dist_release(&cg);

	px_dist_release(&d);
	inst_free(&in);
}

/* A progress function that asks to stop only from inside the pricing
 * integer program, and counts what it is asked afterwards. */
struct in_pricing {
	int pricing_calls, calls_after;
	int stopped;
	size_t level, panels;
};

static int stop_in_pricing(void *ctx, const struct px_fair_state *st)
{
	struct in_pricing *s = ctx;
	if (s->stopped) {
		s->calls_after++;
		return 1;
	}
	if (strcmp(st->what, "pricing"))
		return 0;
	/* not the first search: one well into the first level */
	if (++s->pricing_calls < 5)
		return 0;
	s->stopped = 1;
	s->level = st->level;
	s->panels = st->panels;
	return 1;
}

/* A stop (the time limit) is heard inside the integer program that
 * prices panels in column generation (the algorithm LEXIMIN falls back
 * on when the relaxed optimum cannot be decomposed), not only between
 * rounds: asked only from there, it stops at once (nothing else asked
 * after it), with the last distribution, feasible and marked not
 * optimal. */
static void test_leximin_stop_is_heard_inside_pricing(void **state)
{
	(void)state;
	struct inst in;
	struct px_error err = { 0 };
	struct px_dist d = { 0 };
	struct in_pricing s = { 0 };
	inst_load(&in);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN_COLUMNS, stop_in_pricing, &s, &d,
					  &err), 0);
	assert_int_equal(s.stopped, 1);
	assert_int_equal(s.calls_after, 0);
	assert_int_equal(d.optimal, 0);
	assert_int_equal(s.level, 1);
	assert_int_equal(d.levels, 1);
	/* no panel was generated after the stop */
	assert_true(d.columns <= s.panels + 1);
	double least = check_dist(&in.q, &d);
	assert_true(least > 0 && least < (double)K / NPEOPLE);
	px_dist_release(&d);
	inst_free(&in);
}

/* A progress function that asks to stop only from inside the first
 * master linear program. */
struct in_lp {
	int asked;
	size_t panels;
};

static int stop_in_lp(void *ctx, const struct px_fair_state *st)
{
	struct in_lp *s = ctx;
	if (strcmp(st->what, "linear program"))
		return 0;
	s->asked++;
	s->panels = st->panels;
	return 1;
}

/* Issue 19: on a million people the first master of column generation
 * (thousands of panels) took minutes, and a stop was not heard inside it.
 * It is now solved in steps of simplex iterations, asking between them;
 * a stop there ends at once with every panel found equally likely: each
 * within quotas, every type seated, marked not optimal, no level
 * solved. */
static void test_leximin_stop_is_heard_inside_the_first_linear_program(void **state)
{
	(void)state;
	struct inst in;
	struct px_error err = { 0 };
	struct px_dist d = { 0 };
	struct in_lp s = { 0 };
	inst_load(&in);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN_COLUMNS, stop_in_lp, &s, &d, &err), 0);
	assert_int_equal(s.asked, 1);
	assert_int_equal(d.optimal, 0);
	assert_int_equal(d.levels, 0);
	assert_true(d.npanels >= 1 && d.npanels <= s.panels);
	for (size_t p = 0; p < d.npanels; p++)
		assert_true(fabs(d.prob[p] - 1.0 / (double)d.npanels) < 1e-12);
	double least = check_dist(&in.q, &d);
	assert_true(least > 0);
	px_dist_release(&d);
	inst_free(&in);
}

/* Stops asked while the relaxed optimum is being decomposed. */
struct in_decomp {
	int asked, stopped;
};

static int stop_in_decomposition(void *ctx, const struct px_fair_state *st)
{
	struct in_decomp *s = ctx;
	if (!s->stopped && !strcmp(st->what, "panels generated") && st->panels >= 1) {
		s->asked++;
		s->stopped = 1;
		return 1;
	}
	return s->stopped;
}

/* A stop (the time limit) asked while the relaxed optimum is decomposed
 * ends the decomposition; column generation takes its panels, seats
 * every type, and stops inside its first master, every panel found then
 * equally likely (section 8.3): every panel within
 * quotas, probabilities summing to K, everyone a chance, marked not
 * optimal (never passed off as LEXIMIN). */
static void test_leximin_stop_is_heard_while_decomposing(void **state)
{
	(void)state;
	struct inst in;
	struct px_error err = { 0 };
	struct px_dist d = { 0 };
	struct in_decomp s = { 0 };
	inst_load(&in);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, stop_in_decomposition, &s, &d, &err),
			 0);
	assert_int_equal(s.asked, 1);
	assert_int_equal(d.optimal, 0);
	assert_int_equal(d.decomposed, 0);
	/* the stop is asked again inside the first master, which then ends
	 * with every panel found equally likely: no level solved */
	assert_int_equal(d.levels, 0);
	for (size_t p = 0; p < d.npanels; p++)
		assert_true(fabs(d.prob[p] - 1.0 / (double)d.npanels) < 1e-12);
	double least = check_dist(&in.q, &d);
	assert_true(least > 0 && least < (double)K / NPEOPLE);
	px_dist_release(&d);
	inst_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leximin_on_5000_people_in_six_categories),
		cmocka_unit_test(test_leximin_stop_is_heard_inside_pricing),
		cmocka_unit_test(test_leximin_stop_is_heard_inside_the_first_linear_program),
		cmocka_unit_test(test_leximin_stop_is_heard_while_decomposing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
