/*
 * api_standing.c: good standing in the sharing economy, and contributions
 * and reputation without prices (src/gov/economy/standing.c,
 * contributions.c; docs/economy.md). Who may record, appreciate or
 * decide is the domain's; these handlers carry input in and results out.
 * A standing is decided by the local assembly's motion (decide_standing),
 * through the routes every motion takes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/errors.h"
#include "gov/economy/economy.h"
#include "api.h"
#include "request.h"
#include "banned.h"

struct in_delivery {
	int64_t commitment;
	const char *action;
	const char *what;
	int64_t quantity;
	const char *unit;
	const char *to;
	const char *to_enterprise;
	int64_t at;
	const char *note;
};

static const char *const vf_actions[] = { "deliverService", "produce", "transfer", NULL };

static const struct spec_field delivery_fields[] = {
	SPEC_INT(struct in_delivery, commitment, 0, 1, INT32_MAX),
	SPEC_ENUM(struct in_delivery, action, 0, vf_actions),
	SPEC_STR(struct in_delivery, what, 0, 1, 200),
	SPEC_INT(struct in_delivery, quantity, 1, 1, 1000000),
	SPEC_STR(struct in_delivery, unit, 0, 1, 40),
	SPEC_STR(struct in_delivery, to, 0, 1, 32),
	SPEC_STR(struct in_delivery, to_enterprise, 0, 2, 64),
	SPEC_INT(struct in_delivery, at, 0, 1, INT64_MAX / 2),
	SPEC_STR(struct in_delivery, note, 0, 0, 2000),
	SPEC_END,
};
const struct body_spec spec_delivery = { delivery_fields, sizeof(struct in_delivery) };

int api_delivery_record(struct http_req *req, void *in)
{
	const struct in_delivery *b = in;
	struct delivery_in d = {
		.commitment = b->commitment, .action = b->action, .what = b->what,
		.unit = b->unit, .to = b->to, .to_enterprise = b->to_enterprise,
		.note = b->note, .quantity = b->quantity, .at = b->at, .has_at = b->at > 0,
	};
	json_t *out = NULL;
	int rc = gov_delivery_record(&req->ctx, http_param(req, "slug"), &d, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

/* A correction: the reason, and what did happen (the fields not given
 * are the old record's), or did_not_happen. */
struct in_correction {
	const char *reason;
	int did_not_happen;
	int64_t commitment;
	const char *action;
	const char *what;
	int64_t quantity;
	const char *unit;
	const char *to;
	const char *to_enterprise;
	int64_t at;
	const char *note;
};

static const struct spec_field correction_fields[] = {
	SPEC_STR(struct in_correction, reason, 1, 1, 2000),
	SPEC_BOOL(struct in_correction, did_not_happen, 0),
	SPEC_INT(struct in_correction, commitment, 0, 1, INT32_MAX),
	SPEC_ENUM(struct in_correction, action, 0, vf_actions),
	SPEC_STR(struct in_correction, what, 0, 1, 200),
	SPEC_INT(struct in_correction, quantity, 0, 1, 1000000),
	SPEC_STR(struct in_correction, unit, 0, 1, 40),
	SPEC_STR(struct in_correction, to, 0, 1, 32),
	SPEC_STR(struct in_correction, to_enterprise, 0, 2, 64),
	SPEC_INT(struct in_correction, at, 0, 1, INT64_MAX / 2),
	SPEC_STR(struct in_correction, note, 0, 0, 2000),
	SPEC_END,
};
const struct body_spec spec_correction = { correction_fields, sizeof(struct in_correction) };

int api_delivery_correct(struct http_req *req, void *in)
{
	const struct in_correction *b = in;
	int64_t id = 0;
	int rc = http_param_id(req, "id", &id);
	if (rc)
		return rc;
	if (b->did_not_happen && (b->commitment || b->action || b->what || b->quantity ||
				  b->unit || b->to || b->to_enterprise || b->at || b->note))
		return px_fail(&req->err, PX_E_BAD_INPUT, "did_not_happen", "a delivery that"
			       " did not happen has nothing else to correct");
	struct delivery_in d = {
		.commitment = b->commitment, .action = b->action, .what = b->what,
		.unit = b->unit, .to = b->to, .to_enterprise = b->to_enterprise,
		.note = b->note, .quantity = b->quantity, .at = b->at, .has_at = b->at > 0,
	};
	json_t *out = NULL;
	rc = gov_delivery_correct(&req->ctx, http_param(req, "slug"), id, b->reason,
				  b->did_not_happen ? NULL : &d, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

struct in_appreciation {
	const char *text;
	int met_need;
	int64_t delivery;
	const char *on_behalf;
};

static const struct spec_field appreciation_fields[] = {
	SPEC_STR(struct in_appreciation, text, 1, 1, 1000),
	SPEC_BOOL(struct in_appreciation, met_need, 1),
	SPEC_INT(struct in_appreciation, delivery, 0, 1, INT32_MAX),
	SPEC_STR(struct in_appreciation, on_behalf, 0, 2, 64),
	SPEC_END,
};
const struct body_spec spec_appreciation = {
	appreciation_fields, sizeof(struct in_appreciation)
};

int api_appreciation_add(struct http_req *req, void *in)
{
	const struct in_appreciation *b = in;
	struct appreciation_in a = { .text = b->text, .met_need = b->met_need,
				     .delivery = b->delivery, .on_behalf = b->on_behalf };
	json_t *out = NULL;
	int rc = gov_appreciation_add(&req->ctx, http_param(req, "slug"), &a, &out,
				      &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

int api_contributions_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_contributions_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_valueflows(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_valueflows(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	char *text = json_dumps(out, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(out);
	if (!text)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	rc = http_reply_text(req, 200, "application/ld+json", text);
	free(text);
	return rc;
}

int api_standing_enterprise(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_standing_enterprise(&req->ctx, http_param(req, "slug"), &out,
					 &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_standing_person(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_standing_person(&req->ctx, http_param(req, "handle"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_standing_review(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_standing_review(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

struct in_basis {
	const char *basis;
	const char *note;
};

static const char *const bases[] = { "child", "retired", "carer", "student",
				     "unable_to_work", "none", NULL };

static const struct spec_field basis_fields[] = {
	SPEC_ENUM(struct in_basis, basis, 1, bases),
	SPEC_STR(struct in_basis, note, 0, 0, 1000),
	SPEC_END,
};
const struct body_spec spec_standing_basis = { basis_fields, sizeof(struct in_basis) };

int api_standing_basis(struct http_req *req, void *in)
{
	const struct in_basis *b = in;
	json_t *out = NULL;
	int rc = gov_standing_basis(&req->ctx, b->basis, b->note, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}
