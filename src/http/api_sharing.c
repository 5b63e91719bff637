/*
 * api_sharing.c: the sharing economy (src/gov/sharing, docs/sharing.md):
 * its register, what enterprises offer and what people take. Who may
 * offer or take is the domain's; these handlers carry input in and
 * results out. No field holds a price: the specs refuse every field they
 * do not name (a "price" is an unknown field).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/sharing/sharing.h"
#include "api.h"
#include "arena.h"
#include "request.h"
#include "server.h"
#include "banned.h"

static int reply(struct http_req *req, int rc, int status, json_t *out)
{
	if (rc)
		return rc;
	return http_reply(req, status, out);
}

int api_sharing_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_sharing_list(&req->ctx, &out, &req->err);
	return reply(req, rc, 200, rc ? NULL : json_pack("{s:o}", "economies", out));
}

int api_sharing_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	struct register_filter f = { http_query(req, "q"), http_query(req, "kind"),
				     http_query(req, "enterprise") };
	int rc = gov_sharing_get(&req->ctx, http_param(req, "slug"), &f, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_good {
	const char *kind, *name, *description, *unit, *units, *condition, *location;
	int64_t stock;
};

static const char *const good_kinds[] = { "product", "item", "service", NULL };

static const struct spec_field good_fields[] = {
	SPEC_ENUM(struct in_good, kind, 1, good_kinds),
	SPEC_STR(struct in_good, name, 1, 1, 120),
	SPEC_STR(struct in_good, description, 0, 0, 2000),
	SPEC_STR(struct in_good, unit, 0, 1, 40),
	SPEC_STR(struct in_good, units, 0, 1, 40),
	SPEC_INT(struct in_good, stock, 1, 0, SHARING_STOCK_MAX),
	SPEC_STR(struct in_good, condition, 0, 0, 200),
	SPEC_STR(struct in_good, location, 0, 0, 200),
	SPEC_END,
};
const struct body_spec spec_good = { good_fields, sizeof(struct in_good) };

int api_good_offer(struct http_req *req, void *in)
{
	const struct in_good *b = in;
	struct good_in g = { b->kind, b->name, b->description, b->unit, b->units,
			     b->condition, b->location, b->stock };
	json_t *out = NULL;
	int rc = gov_good_offer(&req->ctx, http_param(req, "slug"), &g, &out, &req->err);
	return reply(req, rc, 201, out);
}

int api_good_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_get(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_stock {
	int64_t stock;
	const char *note;
};

static const struct spec_field stock_fields[] = {
	SPEC_INT(struct in_stock, stock, 1, 0, SHARING_STOCK_MAX),
	SPEC_STR(struct in_stock, note, 0, 0, 200),
	SPEC_END,
};
const struct body_spec spec_stock = { stock_fields, sizeof(struct in_stock) };

int api_good_stock(struct http_req *req, void *in)
{
	const struct in_stock *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_stock(&req->ctx, id, b->stock, b->note, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_take {
	int64_t quantity;
	const char *on_behalf;
};

static const struct spec_field take_fields[] = {
	SPEC_INT(struct in_take, quantity, 1, 1, SHARING_STOCK_MAX),
	SPEC_STR(struct in_take, on_behalf, 0, 2, 64),
	SPEC_END,
};
const struct body_spec spec_take = { take_fields, sizeof(struct in_take) };

int api_good_take(struct http_req *req, void *in)
{
	const struct in_take *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_take(&req->ctx, id, b->quantity, b->on_behalf, &out, &req->err);
	return reply(req, rc, 201, out);
}

struct in_return {
	const char *condition;
};

static const struct spec_field return_fields[] = {
	SPEC_STR(struct in_return, condition, 0, 0, 200),
	SPEC_END,
};
/* the route's body is optional: a return without a note needs none */
const struct body_spec spec_return = { return_fields, sizeof(struct in_return) };

int api_good_return(struct http_req *req, void *in)
{
	const struct in_return *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_return(&req->ctx, id, b->condition, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_good_loans(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_loans(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_good_renew(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_renew(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_good_collect(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_good_collect(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_sharing_me(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_sharing_me(&req->ctx, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_opt {
	int opted_out;
};

static const struct spec_field opt_fields[] = {
	SPEC_BOOL(struct in_opt, opted_out, 1),
	SPEC_END,
};
const struct body_spec spec_sharing_opt = { opt_fields, sizeof(struct in_opt) };

int api_sharing_opt(struct http_req *req, void *in)
{
	const struct in_opt *b = in;
	json_t *out = NULL;
	int rc = gov_sharing_opt(&req->ctx, b->opted_out, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_request {
	const char *category;
	int64_t amount;
	const char *evidence_text;
	const json_t *files;
};

static const struct spec_field request_fields[] = {
	SPEC_STR(struct in_request, category, 1, 1, 80),
	SPEC_INT(struct in_request, amount, 1, 1, SHARING_STOCK_MAX),
	SPEC_STR(struct in_request, evidence_text, 0, 0, NEED_TEXT_MAX),
	SPEC_ARR(struct in_request, files, 0, 0, EVIDENCE_FILES_MAX),
	SPEC_END,
};
const struct body_spec spec_round_request = { request_fields, sizeof(struct in_request) };

int api_round_request(struct http_req *req, void *in)
{
	const struct in_request *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	struct evidence_file *files = NULL;
	size_t n = 0;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = api_evidence_files(req, b->files, &files, &n);
	/* evidence of need, when the category asks it (need.c) */
	struct need_evidence ev = { .text = b->evidence_text, .files = files, .nfiles = n };
	if (!rc)
		rc = gov_round_request(&req->ctx, id, b->category, b->amount,
				       b->evidence_text || n ? &ev : NULL, &out, &req->err);
	return reply(req, rc, 201, out);
}

struct in_review {
	const char *verdict, *reason;
};

static const char *const verdicts[] = { "accepted", "refused", NULL };
static const struct spec_field review_fields[] = {
	SPEC_ENUM(struct in_review, verdict, 1, verdicts),
	SPEC_STR(struct in_review, reason, 1, 1, NEED_REASON_MAX),
	SPEC_END,
};
const struct body_spec spec_round_review = { review_fields, sizeof(struct in_review) };

int api_round_review(struct http_req *req, void *in)
{
	const struct in_review *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_round_review(&req->ctx, id, b->verdict, b->reason, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_round_evidence(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_round_evidence(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_round_evidence_file(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0, n = 0;
	int rc = http_param_id(req, "id", &id);
	if (rc)
		return reply(req, rc, 200, NULL);
	if (strcmp(http_param(req, "n"), "0") && (rc = http_param_id(req, "n", &n)))
		return reply(req, rc, 200, NULL);
	struct evidence_file_out f;
	if ((rc = gov_round_evidence_file(&req->ctx, id, n, &f, &req->err)))
		return rc;
	return api_evidence_download(req, &f);
}

int api_round_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_round_get(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_round_close(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_round_close(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_draw {
	const char *source;
};

static const struct spec_field draw_fields[] = {
	SPEC_STR(struct in_draw, source, 1, 1, 500),
	SPEC_END,
};
const struct body_spec spec_round_draw = { draw_fields, sizeof(struct in_draw) };

int api_round_draw(struct http_req *req, void *in)
{
	const struct in_draw *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_round_draw(&req->ctx, id, b->source, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_sharing_takes(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_sharing_takes(&req->ctx, http_param(req, "handle"), &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_economy_dashboard(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_economy_dashboard(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_rank {
	const json_t *ranking;
};

static const struct spec_field rank_fields[] = {
	SPEC_ARR(struct in_rank, ranking, 1, 1, 20),
	SPEC_END,
};
const struct body_spec spec_round_rank = { rank_fields, sizeof(struct in_rank) };

int api_round_rank(struct http_req *req, void *in)
{
	const struct in_rank *b = in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_round_rank(&req->ctx, id, b->ranking, &out, &req->err);
	return reply(req, rc, 201, out);
}

int api_rounds_close_due(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_rounds_close_due(&req->ctx, http_param(req, "slug"), 0, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_rounds_draw_due(struct http_req *req, void *in)
{
	const struct in_draw *b = in;
	json_t *out = NULL;
	int rc = gov_rounds_draw_due(&req->ctx, http_param(req, "slug"), b->source, 0, &out,
				     &req->err);
	return reply(req, rc, 200, out);
}
