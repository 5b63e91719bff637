/*
 * api_tally.c: POST /api/v1/tally, counting a ballot file sent in the
 * body with the tally library of src/core, for the tally page. Compute
 * only: nothing is stored, nothing journalled, no sign-in needed.
 *
 * The reply is the same JSON as `pnyx tally --json` (src/cli/cmd_tally.c
 * builds it for the command line; this file builds it again for the API,
 * because the http layer does not call the cli one). The body limit of the
 * server (128 KiB) bounds the file; a malformed file is refused naming the
 * field "ballots" and the line, as "line N: reason".
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../core/ballot_parse.h"
#include "../core/errors.h"
#include "../core/tally.h"
#include "api.h"
#include "request.h"
#include "../banned.h"

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

static const char *const state_name[] = {
	[T_HOPEFUL] = "hopeful", [T_ELECTED] = "elected",
	[T_EXCLUDED] = "excluded", [T_WITHDRAWN] = "withdrawn",
};

static json_t *value_json(const struct tally_result *r, int64_t v)
{
	char buf[48];
	if (r->decimals == 0)
		return json_integer(v);
	tally_format(buf, sizeof(buf), v, r->decimals);
	return json_string(buf);
}

/* One value per candidate, keyed by name; f picks it from index c. */
static json_t *per_cand(const struct tally_result *r, const struct ballot_set *bs,
			const struct tally_round *t, const struct tally_round *prev,
			int what)
{
	json_t *v = json_object();
	for (size_t c = 0; v && c < r->ncand; c++) {
		json_t *x = what == 0 ? value_json(r, t->votes[c])
			  : what == 1 ? json_string(state_name[t->state[c]])
			  : value_json(r, t->votes[c] - prev->votes[c]);
		json_object_set_new(v, bs->names[c], x);
	}
	return v;
}

static json_t *names(const struct ballot_set *bs, const size_t *c, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(bs->names[c[i]]));
	return a;
}

static json_t *result_json(const struct tally_result *r,
			   const struct ballot_set *bs)
{
	json_t *o = json_object(), *rank = json_array(), *rounds = json_array();
	json_t *notes = json_array(), *cands = json_array(), *level = NULL;
	if (!o || !rank || !rounds || !notes || !cands)
		goto fail;
	json_object_set_new(o, "method", json_string(r->method));
	json_object_set_new(o, "seats", json_integer((json_int_t)r->seats));
	json_object_set_new(o, "ballots", json_integer((json_int_t)r->ballots));
	json_object_set_new(o, "quota", r->quota >= 0 ? value_json(r, r->quota)
						      : json_null());
	json_object_set_new(o, "decimals", json_integer(r->decimals));
	json_object_set_new(o, "elected", names(bs, r->elected, r->nelected));
	/* The ranking is a list of levels; a level of several is a tie. */
	for (size_t i = 0; i < r->nranking; i++) {
		if (!i || r->rank_level[i] != r->rank_level[i - 1]) {
			level = json_array();
			json_array_append_new(rank, level);
		}
		json_array_append_new(level, json_string(bs->names[r->ranking[i]]));
	}
	json_object_set_new(o, "ranking", rank);
	rank = NULL;
	for (size_t k = 0; k < r->nrounds; k++) {
		const struct tally_round *t = &r->rounds[k];
		const struct tally_round *p = k ? &r->rounds[k - 1] : NULL;
		json_t *ro = json_object();
		json_object_set_new(ro, "label", json_string(t->label));
		if (t->votes)
			json_object_set_new(ro, "votes", per_cand(r, bs, t, p, 0));
		if (t->state)
			json_object_set_new(ro, "state", per_cand(r, bs, t, p, 1));
		if (p && t->votes && p->votes)
			json_object_set_new(ro, "transfers", per_cand(r, bs, t, p, 2));
		if (t->nontransferable >= 0)
			json_object_set_new(ro, "non_transferable",
					    value_json(r, t->nontransferable));
		if (t->quota >= 0)
			json_object_set_new(ro, "quota", value_json(r, t->quota));
		json_array_append_new(rounds, ro);
	}
	json_object_set_new(o, "rounds", rounds);
	rounds = NULL;
	if (r->pairwise) {
		json_t *m = json_array();
		for (size_t i = 0; i < r->ncand; i++) {
			json_t *row = json_array();
			for (size_t j = 0; j < r->ncand; j++)
				json_array_append_new(row, json_integer(
					r->pairwise[i * r->ncand + j]));
			json_array_append_new(m, row);
		}
		json_object_set_new(o, "pairwise", m);
	}
	for (size_t c = 0; c < bs->ncand; c++)
		json_array_append_new(cands, json_string(bs->names[c]));
	json_object_set_new(o, "candidates", cands);
	cands = NULL;
	json_object_set_new(o, "seed", json_string(r->seed));
	json_object_set_new(o, "lots", json_integer((json_int_t)r->lots));
	for (const char *s = r->notes.buf; *s;) {
		const char *nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		json_array_append_new(notes, json_stringn(s, (size_t)(nl - s)));
		s = *nl ? nl + 1 : nl;
	}
	json_object_set_new(o, "notes", notes);
	return o;
fail:
	json_decref(o);
	json_decref(rank);
	json_decref(rounds);
	json_decref(notes);
	json_decref(cands);
	return NULL;
}

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
	o.seats = (size_t)t->seats;
	o.seed = t->seed;
	rc = tally_run(m, &bs, &o, &r, &req->err);
	if (rc) {
		if (!req->err.code)
			px_fail(&req->err, rc, "ballots", NULL);
		rc = req->err.code;
		goto out;
	}
	rc = http_reply(req, 200, result_json(&r, &bs));
out:
	tally_result_release(&r);
	ballots_release(&bs);
	return rc;
}
