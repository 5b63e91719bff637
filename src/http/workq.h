/*
 * workq.h: a bounded queue in front of a small pool of worker threads,
 * for work too heavy to do on libmicrohttpd's threads (the anonymous
 * counting of POST /api/v1/tally).
 *
 * A handler makes a job (workq_job_new) and submits it. The queue holds at
 * most `capacity` jobs waiting; a full queue refuses at once. The
 * dispatcher then suspends the request's connection (workq_hold) so the
 * libmicrohttpd thread goes on serving others, and a worker resumes it
 * when the job is done; libmicrohttpd then calls the access handler
 * again, which sends the job's answer (workq_outcome). A job that waited
 * more than `wait_ms` before a worker took it is not run: it ends
 * WORKQ_EXPIRED (the edge answers 429 with Retry-After). Expiry is checked
 * whenever a job is submitted or finished, so a job waits at most wait_ms
 * plus what is left of a job running then (each bounded by its own work
 * bound).
 *
 * Ownership: a job is shared by its connection and the queue, each
 * holding one reference; workq_release drops the caller's. The run
 * function owns nothing but arg until the job is freed (free_arg).
 * workq_stop refuses new jobs, ends those still waiting (WORKQ_STOPPED),
 * lets the running ones finish and joins the workers; workq_free then
 * frees the queue.
 */
#ifndef PNYX_HTTP_WORKQ_H
#define PNYX_HTTP_WORKQ_H

#include <jansson.h>

#include "core/errors.h"

struct MHD_Connection;
struct workq;
struct workq_job;

enum workq_outcome {
	WORKQ_DONE,    /* run: *reply (status 200) or err */
	WORKQ_EXPIRED, /* waited past the bound: not run */
	WORKQ_STOPPED, /* the server stopped first: not run */
};

/* The work of a job, run on a worker thread: set *reply (a new JSON
 * value, answered 200) or fill err. */
typedef void (*workq_run_fn)(void *arg, json_t **reply, struct px_error *err);

struct workq *workq_new(int workers, int capacity, int wait_ms);
void workq_stop(struct workq *q);
void workq_free(struct workq *q);

/* A job for conn; arg is freed by free_arg (may be NULL) with the job.
 * NULL when out of memory (arg is then freed). */
struct workq_job *workq_job_new(struct MHD_Connection *conn, workq_run_fn run,
				void *arg, void (*free_arg)(void *));

/* Queue the job: 0, or PX_E_RATE_LIMITED (the queue is full) or
 * PX_E_OVERLOADED (stopping); on refusal the job is not queued and the
 * caller still holds its one reference. */
int workq_submit(struct workq *q, struct workq_job *job) PX_MUST_CHECK;

/* From the access handler: suspend the job's connection unless the job
 * is finished already. 1: suspended (a worker resumes it); 0: finished,
 * answer now. */
int workq_hold(struct workq *q, struct workq_job *job);

/* A finished job's outcome; for WORKQ_DONE, *reply (moved to the caller,
 * or NULL) or *err. */
enum workq_outcome workq_result(struct workq_job *job, json_t **reply,
				struct px_error *err);

void workq_release(struct workq *q, struct workq_job *job);

#endif
