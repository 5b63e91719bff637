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
 * slow (docs/security.md). Larger files are for `pnyx tally`. At most
 * TALLY_AT_ONCE counts run at a time, so they can never hold every worker
 * thread; beyond, the answer is 429 with Retry-After.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/ballot_parse.h"
#include "core/errors.h"
#include "core/tally.h"
#include "gov/procedure/procedure.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include "banned.h"

#define TALLY_MAX_CANDIDATES 100
#define TALLY_MAX_BALLOTS 30000 /* distinct ballots */
#define TALLY_AT_ONCE 2

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

int api_tally(struct http_req *req, void *in)
{
	const struct in_tally *t = in;
	const struct tally_method *m = tally_method_find(t->method);
	struct tally_opts o = { 0 };
	struct ballot_set bs = { 0 };
	struct tally_result r = { 0 };
	struct px_error perr = { 0 };
	size_t len = strlen(t->ballots), line = 0;
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
	/* Taken before parsing: a parse is cheap, but not free. */
	if (atomic_fetch_add(&req->srv->tallies, 1) >= TALLY_AT_ONCE) {
		atomic_fetch_sub(&req->srv->tallies, 1);
		return http_too_many(req, 1, NULL,
				     "other counts are running");
	}
	rc = ballot_parse_buffer(fmt, t->ballots, len, &bs, &line, &perr);
	if (rc == PX_E_BALLOT_SYNTAX) {
		rc = px_fail(&req->err, rc, "ballots", "line %zu: %s", line,
			     px_error_message(&perr));
		goto out;
	}
	if (rc) {
		req->err = perr;
		if (!req->err.code)
			px_fail(&req->err, rc, "ballots", NULL);
		req->err.field = "ballots";
		goto out;
	}
	if (bs.ncand > TALLY_MAX_CANDIDATES || bs.n > TALLY_MAX_BALLOTS) {
		rc = px_fail(&req->err, PX_E_TOO_LARGE, "ballots",
			     "a count here takes at most %d candidates and %d "
			     "different ballots (this file has %zu and %zu); "
			     "count larger files with pnyx tally",
			     TALLY_MAX_CANDIDATES, TALLY_MAX_BALLOTS, bs.ncand,
			     bs.n);
		goto out;
	}
	o.seats = (size_t)t->seats;
	o.seed = t->seed;
	rc = tally_run(m, &bs, &o, &r, &req->err);
	if (rc) {
		if (!req->err.code)
			px_fail(&req->err, rc, "ballots", NULL);
		rc = req->err.code;
		goto out;
	}
	rc = http_reply(req, 200, tally_result_json(&r, &bs));
out:
	tally_result_release(&r);
	ballots_release(&bs);
	atomic_fetch_sub(&req->srv->tallies, 1);
	return rc;
}
