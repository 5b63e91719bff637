/* Unit tests for src/core/quota.c, leximin.c and lottery.c on small
 * instances whose LEXIMIN distribution is known by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include <sodium.h>

#include "core/csv.h"
#include "core/errors.h"
#include "core/leximin.h"
#include "core/lottery.h"
#include "core/quota.h"

struct inst {
	struct csv_table c, r;
	struct px_quota q;
};

static int load(struct inst *in, const char *cats, const char *resp, size_t k)
{
	size_t line;
	int which;
	struct px_error err = { 0 };
	assert_int_equal(csv_parse(cats, strlen(cats), &in->c, &line, &err), 0);
	assert_int_equal(csv_parse(resp, strlen(resp), &in->r, &line, &err), 0);
	return px_quota_load(&in->q, &in->c, &in->r, NULL, k, &which, &line, &err);
}

static void unload(struct inst *in)
{
	px_quota_release(&in->q);
	csv_table_release(&in->c);
	csv_table_release(&in->r);
}

/* Four people, two women and two men; a panel of 2 needs one of each:
 * everyone has probability 1/2. Three women and one man: the man is
 * always in (1), each woman 1/3. */
static const char *cats = "category,feature,min,max\ngender,f,1,1\ngender,m,1,1\n";

static void test_leximin_equal_types_get_half(void **state)
{
	(void)state;
	struct inst in;
	struct px_dist d;
	assert_int_equal(load(&in, cats, "id,gender\na,f\nb,f\nc,m\nd,m\n", 2), 0);
	assert_int_equal(in.q.ntypes, 2);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, NULL, NULL, &d, NULL), 0);
	for (size_t t = 0; t < 2; t++)
		assert_true(fabs(d.type_prob[t] - 0.5) < 1e-9);
	px_dist_release(&d);
	unload(&in);
}

static void test_leximin_second_level_raises_the_scarce_type(void **state)
{
	(void)state;
	struct inst in;
	struct px_dist d;
	assert_int_equal(load(&in, cats, "id,gender\na,f\nb,f\nc,f\nd,m\n", 2), 0);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, NULL, NULL, &d, NULL), 0);
	assert_true(fabs(d.type_prob[0] - 1.0 / 3) < 1e-9);
	assert_true(fabs(d.type_prob[1] - 1.0) < 1e-9);
	px_dist_release(&d);
	unload(&in);
}

/* A progress function that counts its calls, remembers the levels it saw,
 * and asks to stop at the call numbered stop_at (0: never). */
struct watch {
	int calls, stop_at;
	size_t max_level;
};

static int watch(void *ctx, const struct px_fair_state *st)
{
	struct watch *w = ctx;
	w->calls++;
	if (st->level > w->max_level)
		w->max_level = st->level;
	assert_true(st->fixed <= st->ntypes);
	return w->stop_at && w->calls >= w->stop_at;
}

/* Asked to stop at once, the second-level case returns the first
 * distribution it has: marked not optimal, summing to k, every panel
 * within the quotas; never asked, it is the optimum, marked so. */
static void test_leximin_stopped_early_is_feasible_and_says_so(void **state)
{
	(void)state;
	struct inst in;
	struct px_dist d;
	assert_int_equal(load(&in, cats, "id,gender\na,f\nb,f\nc,f\nd,m\n", 2), 0);
	struct watch w = { .stop_at = 1 };
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, watch, &w, &d, NULL), 0);
	assert_int_equal(d.optimal, 0);
	assert_true(w.calls >= 1);
	double sum = 0;
	for (size_t t = 0; t < in.q.ntypes; t++)
		sum += d.type_prob[t] * (double)in.q.type_count[t];
	assert_true(fabs(sum - 2) < 1e-9);
	assert_true(d.npanels >= 1);
	for (size_t p = 0; p < d.npanels; p++) {
		/* one woman and one man in every panel */
		assert_int_equal(px_dist_seats(&d, p, 0), 1);
		assert_int_equal(px_dist_seats(&d, p, 1), 1);
	}
	px_dist_release(&d);

	struct watch never = { 0 };
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, watch, &never, &d, NULL), 0);
	assert_int_equal(d.optimal, 1);
	assert_true(never.calls >= 1);
	assert_true(never.max_level >= 1);
	assert_true(fabs(d.type_prob[0] - 1.0 / 3) < 1e-9);
	assert_true(fabs(d.type_prob[1] - 1.0) < 1e-9);
	px_dist_release(&d);
	unload(&in);
}

static void test_leximin_infeasible_quotas_are_reported(void **state)
{
	(void)state;
	struct inst in;
	struct px_dist d;
	struct px_error err = { 0 };
	char why[1000];
	assert_int_equal(load(&in, "category,feature,min,max\ngender,f,2,2\ngender,m,1,1\n",
			      "id,gender\na,f\nb,f\nc,m\nd,m\n", 2), 0);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, NULL, NULL, &d, &err),
			 PX_E_INFEASIBLE);
	assert_true(px_quota_explain(&in.q, why, sizeof(why)) >= 1);
	assert_non_null(strstr(why, "gender: the minimums add up to 3"));
	unload(&in);
}

static void test_quota_unknown_value_names_the_line(void **state)
{
	(void)state;
	struct csv_table c, r;
	struct px_quota q;
	struct px_error err = { 0 };
	size_t line;
	int which;
	const char *resp = "id,gender\na,f\nb,x\n";
	assert_int_equal(csv_parse(cats, strlen(cats), &c, &line, &err), 0);
	assert_int_equal(csv_parse(resp, strlen(resp), &r, &line, &err), 0);
	assert_int_equal(px_quota_load(&q, &c, &r, NULL, 1, &which, &line, &err),
			 PX_E_BAD_INPUT);
	assert_int_equal(which, 1);
	assert_int_equal(line, 3);
	csv_table_release(&c);
	csv_table_release(&r);
}

static void test_lottery_tickets_sum_to_m_and_pick_is_in_range(void **state)
{
	(void)state;
	struct inst in;
	struct px_dist d;
	struct px_lottery l;
	unsigned char seed[32] = { 3 };
	assert_int_equal(load(&in, cats, "id,gender\na,f\nb,f\nc,f\nd,m\n", 2), 0);
	assert_int_equal(px_fair_dist(&in.q, PX_FAIR_LEXIMIN, NULL, NULL, &d, NULL), 0);
	assert_int_equal(px_lottery_round(&in.q, &d, 9, NULL, NULL, &l, NULL), 0);
	size_t sum = 0;
	for (size_t p = 0; p < l.npanels; p++)
		sum += l.tickets[p];
	assert_int_equal(sum, 9);
	/* 9 tickets, three women: each woman on exactly 3 of them. */
	assert_int_equal(l.npanels, 3);
	for (size_t p = 0; p < 3; p++)
		assert_int_equal(l.tickets[p], 3);
	assert_true(px_lottery_pick(&l, seed) < l.npanels);
	px_lottery_release(&l);
	px_dist_release(&d);
	unload(&in);
}

static void test_lottery_from_refuses_a_panel_listed_twice(void **state)
{
	(void)state;
	const char *p1[] = { "a", "b" }, *p2[] = { "b", "a" };
	const char *const *members[] = { p1, p2 };
	size_t tickets[] = { 1, 1 }, size[] = { 2, 2 };
	struct px_lottery l;
	struct px_error err = { 0 };
	assert_int_equal(px_lottery_from(2, tickets, size, members, &l, &err),
			 PX_E_BAD_INPUT);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leximin_equal_types_get_half),
		cmocka_unit_test(test_leximin_second_level_raises_the_scarce_type),
		cmocka_unit_test(test_leximin_stopped_early_is_feasible_and_says_so),
		cmocka_unit_test(test_leximin_infeasible_quotas_are_reported),
		cmocka_unit_test(test_quota_unknown_value_names_the_line),
		cmocka_unit_test(test_lottery_tickets_sum_to_m_and_pick_is_in_range),
		cmocka_unit_test(test_lottery_from_refuses_a_panel_listed_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
