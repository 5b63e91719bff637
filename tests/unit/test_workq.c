/* Unit tests for src/http/workq.c: the bounded queue in front of the
 * counting workers. Jobs here sleep instead of counting; none is held by
 * a connection (workq_hold is the dispatcher's, with libmicrohttpd), so
 * each test reads the outcomes after workq_stop, which joins the
 * workers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <time.h>

#include "http/workq.h"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* arg: how long to work, in ms; the reply says it ran */
static void nap(void *arg, json_t **reply, struct px_error *err)
{
	(void)err;
	sleep_ms(*(long *)arg);
	*reply = json_pack("{s:b}", "ran", 1);
}

static void refuse(void *arg, json_t **reply, struct px_error *err)
{
	(void)arg;
	(void)reply;
	px_fail(err, PX_E_TOO_LARGE, "ballots", "too much work");
}

static long short_ms = 10, long_ms = 400;

static struct workq_job *job(workq_run_fn run, long *ms)
{
	struct workq_job *j = workq_job_new(NULL, run, ms, NULL);
	assert_non_null(j);
	return j;
}

static enum workq_outcome outcome(struct workq_job *j, int *ran, int *code)
{
	json_t *reply = NULL;
	struct px_error err = { 0 };
	enum workq_outcome o = workq_result(j, &reply, &err);
	*ran = reply && json_is_true(json_object_get(reply, "ran"));
	*code = err.code;
	json_decref(reply);
	return o;
}

static void test_workq_runs_jobs_and_reports_their_errors(void **state)
{
	(void)state;
	struct workq *q = workq_new(2, 4, 5000);
	assert_non_null(q);
	struct workq_job *a = job(nap, &short_ms), *b = job(refuse, NULL);
	assert_int_equal(workq_submit(q, a), 0);
	assert_int_equal(workq_submit(q, b), 0);
	sleep_ms(200);
	workq_stop(q);
	int ran, code;
	assert_int_equal(outcome(a, &ran, &code), WORKQ_DONE);
	assert_true(ran);
	assert_int_equal(outcome(b, &ran, &code), WORKQ_DONE);
	assert_false(ran);
	assert_int_equal(code, PX_E_TOO_LARGE);
	workq_release(q, a);
	workq_release(q, b);
	workq_free(q);
}

/* One worker busy for 400 ms; two jobs wait (the capacity), a third is
 * refused at once; the two waiting pass their 100 ms bound and end
 * expired, never run. */
static void test_workq_full_refuses_and_waiting_too_long_expires(void **state)
{
	(void)state;
	struct workq *q = workq_new(1, 2, 100);
	assert_non_null(q);
	struct workq_job *a = job(nap, &long_ms), *b = job(nap, &short_ms),
			 *c = job(nap, &short_ms), *d = job(nap, &short_ms);
	assert_int_equal(workq_submit(q, a), 0);
	sleep_ms(50); /* a is running */
	assert_int_equal(workq_submit(q, b), 0);
	assert_int_equal(workq_submit(q, c), 0);
	assert_int_equal(workq_submit(q, d), PX_E_RATE_LIMITED);
	workq_release(q, d); /* refused: the caller's only reference */
	sleep_ms(600);
	workq_stop(q);
	int ran, code;
	assert_int_equal(outcome(a, &ran, &code), WORKQ_DONE);
	assert_true(ran);
	assert_int_equal(outcome(b, &ran, &code), WORKQ_EXPIRED);
	assert_false(ran);
	assert_int_equal(outcome(c, &ran, &code), WORKQ_EXPIRED);
	assert_false(ran);
	workq_release(q, a);
	workq_release(q, b);
	workq_release(q, c);
	workq_free(q);
}

/* Stopping lets the running job finish, ends the waiting ones and
 * refuses new ones. */
static void test_workq_stop_finishes_running_and_ends_waiting(void **state)
{
	(void)state;
	struct workq *q = workq_new(1, 4, 5000);
	assert_non_null(q);
	struct workq_job *a = job(nap, &long_ms), *b = job(nap, &short_ms);
	assert_int_equal(workq_submit(q, a), 0);
	sleep_ms(50);
	assert_int_equal(workq_submit(q, b), 0);
	workq_stop(q);
	int ran, code;
	assert_int_equal(outcome(a, &ran, &code), WORKQ_DONE);
	assert_true(ran);
	assert_int_equal(outcome(b, &ran, &code), WORKQ_STOPPED);
	assert_false(ran);
	struct workq_job *c = job(nap, &short_ms);
	assert_int_equal(workq_submit(q, c), PX_E_OVERLOADED);
	workq_release(q, a);
	workq_release(q, b);
	workq_release(q, c);
	workq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workq_runs_jobs_and_reports_their_errors),
		cmocka_unit_test(test_workq_full_refuses_and_waiting_too_long_expires),
		cmocka_unit_test(test_workq_stop_finishes_running_and_ends_waiting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
