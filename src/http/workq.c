/*
 * workq.c: the bounded queue and its workers (workq.h).
 *
 * Invariants: one mutex guards the queue and every job's state, result
 * and references; a job is in the waiting list only in state WAITING; a
 * suspended connection is resumed exactly once, by whoever finishes its
 * job (a worker, or expiry or stop under the lock), and only after the
 * dispatcher suspended it (the `suspended` flag, set under the lock, says
 * so).
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workq.h"
#include "banned.h"

enum job_state { WAITING, RUNNING, FINISHED };

struct workq_job {
	struct MHD_Connection *conn;
	workq_run_fn run;
	void *arg;
	void (*free_arg)(void *);
	int64_t queued_ms;
	enum job_state state;
	enum workq_outcome outcome;
	int suspended;
	int refs;
	json_t *reply;
	struct px_error err;
	struct workq_job *next;
};

struct workq {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t *threads;
	int nthreads, started;
	int capacity, waiting, wait_ms;
	int stopping;
	struct workq_job *head, *tail;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void job_free(struct workq_job *job)
{
	if (job->free_arg)
		job->free_arg(job->arg);
	json_decref(job->reply);
	free(job);
}

/* Under the lock: drop one reference. */
static void unref_locked(struct workq_job *job)
{
	if (--job->refs == 0)
		job_free(job);
}

/* Under the lock: the job is finished; wake its connection if the
 * dispatcher suspended it, and drop the queue's reference. */
static void finish_locked(struct workq_job *job, enum workq_outcome outcome)
{
	job->state = FINISHED;
	job->outcome = outcome;
	if (job->suspended) {
		job->suspended = 0;
		MHD_resume_connection(job->conn);
	}
	unref_locked(job);
}

/* Under the lock: end the jobs at the head that waited past the bound
 * (the oldest are first). */
static void expire_locked(struct workq *q, int64_t now)
{
	while (q->head && now - q->head->queued_ms > q->wait_ms) {
		struct workq_job *job = q->head;
		q->head = job->next;
		if (!q->head)
			q->tail = NULL;
		q->waiting--;
		finish_locked(job, WORKQ_EXPIRED);
	}
}

static void *worker(void *arg)
{
	struct workq *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->head && !q->stopping)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head) /* stopping, nothing left */
			break;
		expire_locked(q, now_ms());
		struct workq_job *job = q->head;
		if (!job)
			continue;
		q->head = job->next;
		if (!q->head)
			q->tail = NULL;
		q->waiting--;
		job->state = RUNNING;
		pthread_mutex_unlock(&q->lock);

		json_t *reply = NULL;
		struct px_error err = { 0 };
		job->run(job->arg, &reply, &err);

		pthread_mutex_lock(&q->lock);
		job->reply = reply;
		job->err = err;
		finish_locked(job, WORKQ_DONE);
		expire_locked(q, now_ms());
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct workq *workq_new(int workers, int capacity, int wait_ms)
{
	struct workq *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->capacity = capacity;
	q->wait_ms = wait_ms;
	q->nthreads = workers;
	if (pthread_mutex_init(&q->lock, NULL)) {
		free(q);
		return NULL;
	}
	if (pthread_cond_init(&q->wake, NULL)) {
		pthread_mutex_destroy(&q->lock);
		free(q);
		return NULL;
	}
	q->threads = calloc((size_t)workers, sizeof(*q->threads));
	for (int i = 0; q->threads && i < workers; i++) {
		if (pthread_create(&q->threads[i], NULL, worker, q))
			break;
		q->started++;
	}
	if (q->started < workers) {
		workq_stop(q);
		workq_free(q);
		return NULL;
	}
	return q;
}

void workq_stop(struct workq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stopping = 1;
	while (q->head) {
		struct workq_job *job = q->head;
		q->head = job->next;
		q->waiting--;
		finish_locked(job, WORKQ_STOPPED);
	}
	q->tail = NULL;
	pthread_cond_broadcast(&q->wake);
	pthread_mutex_unlock(&q->lock);
	for (int i = 0; i < q->started; i++)
		pthread_join(q->threads[i], NULL);
	q->started = 0;
}

void workq_free(struct workq *q)
{
	if (!q)
		return;
	free(q->threads);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

struct workq_job *workq_job_new(struct MHD_Connection *conn, workq_run_fn run,
				void *arg, void (*free_arg)(void *))
{
	struct workq_job *job = calloc(1, sizeof(*job));
	if (!job) {
		if (free_arg)
			free_arg(arg);
		return NULL;
	}
	job->conn = conn;
	job->run = run;
	job->arg = arg;
	job->free_arg = free_arg;
	job->refs = 1;
	job->state = WAITING;
	return job;
}

int workq_submit(struct workq *q, struct workq_job *job)
{
	int rc = 0;
	pthread_mutex_lock(&q->lock);
	expire_locked(q, now_ms());
	if (q->stopping)
		rc = PX_E_OVERLOADED;
	else if (q->waiting >= q->capacity)
		rc = PX_E_RATE_LIMITED;
	if (!rc) {
		job->queued_ms = now_ms();
		job->refs++;
		if (q->tail)
			q->tail->next = job;
		else
			q->head = job;
		q->tail = job;
		q->waiting++;
		pthread_cond_signal(&q->wake);
	}
	pthread_mutex_unlock(&q->lock);
	return rc;
}

int workq_hold(struct workq *q, struct workq_job *job)
{
	int held = 0;
	pthread_mutex_lock(&q->lock);
	if (job->state != FINISHED) {
		MHD_suspend_connection(job->conn);
		job->suspended = 1;
		held = 1;
	}
	pthread_mutex_unlock(&q->lock);
	return held;
}

enum workq_outcome workq_result(struct workq_job *job, json_t **reply,
				struct px_error *err)
{
	/* finished: no other thread touches the job any more */
	*reply = job->reply;
	job->reply = NULL;
	*err = job->err;
	return job->outcome;
}

void workq_release(struct workq *q, struct workq_job *job)
{
	if (!job)
		return;
	pthread_mutex_lock(&q->lock);
	unref_locked(job);
	pthread_mutex_unlock(&q->lock);
}
