/*
 * api_tally.c: POST /api/v1/tally, counting a ballot file sent in the
 * body with the tally library of src/core, for the tally page. Compute
 * only: nothing is stored, nothing journalled, no sign-in needed.
 *
 * The reply is the same JSON as `pnyx tally --json`: both come from
 * src/gov/procedure/tally_json.c. The body limit of the
 * server (128 KiB) bounds the file; a malformed file is refused naming the
 * field "ballots" and the line, as "line N: reason".
 *
 * Anyone may ask, so what one request may cost is bounded: the work of
 * the methods grows with the candidates (Schulze as their cube; STV by a
 * stage per candidate, and its reply, every stage with every candidate,
 * as their square), and 2,600 candidates took 15-20 s of CPU; 100 take
 * under 0.15 s and reply in under 1 MB with the files we built to be
 * slow (docs/security.md). Larger files are for `pnyx tally`. Each count
 * has a bound of work too (--tally-work, core/tally.h), past which it
 * stops and answers 413. Counts run on TALLY_WORKERS threads of their
 * own behind a queue of TALLY_QUEUE_MAX (workq.h): the request's
 * connection waits suspended, so counting never holds the server's
 * threads; a count that cannot start within TALLY_QUEUE_WAIT_MS, or finds
 * the queue full, is answered 429 with Retry-After.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ballot_parse.h"
#include "core/errors.h"
#include "core/tally.h"
#include "gov/procedure/procedure.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include "workq.h"
#include "banned.h"

#define TALLY_MAX_CANDIDATES 100
#define TALLY_MAX_BALLOTS 30000 /* distinct ballots */

static const char *const formats[] = { "soc", "soi", "toc", "toi", "blt",
				       "debian", NULL };

static const struct spec_field tally_fields[] = {
	SPEC_STR(struct in_tally, method, 1, 1, 40),
	SPEC_INT(struct in_tally, seats, 0, 1, BALLOTS_MAX_CAND),
	SPEC_STR(struct in_tally, ballots, 1, 1, 1 << 17),
	SPEC_ENUM(struct in_tally, format, 0, formats),
	SPEC_STR(struct in_tally, name, 0, 1, 255),
	SPEC_STR(struct in_tally, seed, 0, 1, 100),
	SPEC_END,
};
const struct body_spec spec_tally = { tally_fields, sizeof(struct in_tally) };

/* What a count needs, copied out of the request's arena for the worker. */
struct tally_job {
	const struct tally_method *m;
	int fmt;
	size_t seats;
	uint64_t work_max;
	char *ballots;
	size_t len;
	char *seed;
};

static void tally_job_free(void *arg)
{
	struct tally_job *j = arg;
	if (!j)
		return;
	free(j->ballots);
	free(j->seed);
	free(j);
}

/* On a worker thread: parse, check the bounds, count. */
static void tally_job_run(void *arg, json_t **reply, struct px_error *err)
{
	struct tally_job *j = arg;
	struct tally_opts o = { 0 };
	struct ballot_set bs = { 0 };
	struct tally_result r = { 0 };
	struct px_error perr = { 0 };
	size_t line = 0;
	int rc = ballot_parse_buffer(j->fmt, j->ballots, j->len, &bs, &line, &perr);
	if (rc == PX_E_BALLOT_SYNTAX) {
		px_fail(err, rc, "ballots", "line %zu: %s", line, px_error_message(&perr));
		goto out;
	}
	if (rc) {
		*err = perr;
		if (!err->code)
			px_fail(err, rc, "ballots", NULL);
		err->field = "ballots";
		goto out;
	}
	if (bs.ncand > TALLY_MAX_CANDIDATES || bs.n > TALLY_MAX_BALLOTS) {
		px_fail(err, PX_E_TOO_LARGE, "ballots",
			"a count here takes at most %d candidates and %d "
			"different ballots (this file has %zu and %zu); "
			"count larger files with pnyx tally",
			TALLY_MAX_CANDIDATES, TALLY_MAX_BALLOTS, bs.ncand, bs.n);
		goto out;
	}
	o.seats = j->seats;
	o.seed = j->seed;
	o.work_max = j->work_max;
	rc = tally_run(j->m, &bs, &o, &r, err);
	if (rc) {
		if (!err->code)
			px_fail(err, rc, "ballots", NULL);
		if (rc == PX_E_TOO_LARGE && r.work > r.work_max)
			px_fail(err, rc, "ballots", "this count needs more work than a"
				" count here may take (over %llu units): count it with"
				" pnyx tally", (unsigned long long)j->work_max);
		goto out;
	}
	if (!(*reply = tally_result_json(&r, &bs)))
		px_fail(err, PX_E_NOMEM, NULL, NULL);
out:
	tally_result_release(&r);
	ballots_release(&bs);
}

int api_tally(struct http_req *req, void *in)
{
	const struct in_tally *t = in;
	const struct tally_method *m = tally_method_find(t->method);
	size_t len = strlen(t->ballots);
	int fmt, rc;

	if (!m) {
		struct strbuf list;
		sb_init(&list, 1024);
		for (const struct tally_method *x = tally_methods; x->name; x++)
			sb_addf(&list, "%s%s", x == tally_methods ? "" : ", ", x->name);
		rc = px_fail(&req->err, PX_E_BAD_INPUT, "method",
			     "no method '%.40s': use one of %s", t->method, list.buf);
		sb_release(&list);
		return rc;
	}
	if (t->seats > 1 && !m->multi_seat)
		return px_fail(&req->err, PX_E_OUT_OF_RANGE, "seats",
			       "%s fills one seat", m->name);
	fmt = t->format ? ballot_format_by_name(t->format)
			: ballot_format_guess(t->name, t->ballots, len);
	if (fmt < 0)
		return px_fail(&req->err, PX_E_BAD_INPUT, "format",
			       "the format cannot be told from the file: choose "
			       "soc, soi, toc, toi, blt or debian");
	struct tally_job *j = calloc(1, sizeof(*j));
	if (!j || !(j->ballots = malloc(len + 1)) ||
	    (t->seed && !(j->seed = strdup(t->seed)))) {
		tally_job_free(j);
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	}
	memcpy(j->ballots, t->ballots, len + 1);
	j->len = len;
	j->m = m;
	j->fmt = fmt;
	j->seats = (size_t)t->seats;
	j->work_max = (uint64_t)req->srv->tally_work;
	struct workq_job *job = workq_job_new(req->conn, tally_job_run, j, tally_job_free);
	if (!job)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	rc = workq_submit(req->srv->tallies, job);
	if (rc) {
		workq_release(req->srv->tallies, job);
		if (rc == PX_E_RATE_LIMITED)
			return http_too_many(req, TALLY_RETRY_AFTER, NULL,
					     "too many counts are waiting");
		return px_fail(&req->err, rc, NULL, NULL);
	}
	/* the dispatcher suspends the connection until the count is done */
	req->deferred = job;
	return 0;
}
