/*
 * api_household.c: households, allotments and barter (src/gov/sharing/
 * household.c and allot_kinds.c, docs/sharing.md "Households, allotments
 * and barter"). Who may do what is the domain's; these handlers carry
 * input in and results out. No field holds a price: the specs refuse
 * every field they do not name, and the domain refuses a text naming
 * money.
 */
#include <stdint.h>

#include "core/errors.h"
#include "gov/sharing/sharing.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static int reply(struct http_req *req, int rc, int status, json_t *out)
{
	if (rc)
		return rc;
	return http_reply(req, status, out);
}

struct in_household {
	const char *slug, *name;
	const json_t *members;
};

static const struct spec_field household_fields[] = {
	SPEC_STR(struct in_household, slug, 1, 2, 64),
	SPEC_STR(struct in_household, name, 1, 1, 120),
	SPEC_ARR(struct in_household, members, 0, 0, 20),
	SPEC_END,
};
const struct body_spec spec_household = { household_fields, sizeof(struct in_household) };

int api_household_declare(struct http_req *req, void *in)
{
	const struct in_household *b = in;
	json_t *out = NULL;
	int rc = gov_household_declare(&req->ctx, b->slug, b->name, b->members, &out,
				       &req->err);
	return reply(req, rc, 201, out);
}

int api_household_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_household_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_household_mine(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_household_mine(&req->ctx, &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_invite {
	const char *person;
};

static const struct spec_field invite_fields[] = {
	SPEC_STR(struct in_invite, person, 1, 2, 64),
	SPEC_END,
};
const struct body_spec spec_household_invite = { invite_fields, sizeof(struct in_invite) };

int api_household_invite(struct http_req *req, void *in)
{
	const struct in_invite *b = in;
	json_t *out = NULL;
	int rc = gov_household_invite(&req->ctx, http_param(req, "slug"), b->person, &out,
				      &req->err);
	return reply(req, rc, 200, out);
}

int api_household_join(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_household_join(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_household_leave(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_household_leave(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return reply(req, rc, 200, out);
}

struct in_barter {
	const char *household, *member, *enterprise;
	const char *household_gives, *household_unit, *other_gives, *other_unit;
	int64_t household_quantity, other_quantity, into_good;
};

static const struct spec_field barter_fields[] = {
	SPEC_STR(struct in_barter, household, 1, 2, 64),
	SPEC_STR(struct in_barter, member, 0, 2, 64),
	SPEC_STR(struct in_barter, enterprise, 0, 2, 64),
	SPEC_STR(struct in_barter, household_gives, 1, 1, 120),
	SPEC_INT(struct in_barter, household_quantity, 1, 1, SHARING_STOCK_MAX),
	SPEC_STR(struct in_barter, household_unit, 1, 1, 40),
	SPEC_STR(struct in_barter, other_gives, 1, 1, 120),
	SPEC_INT(struct in_barter, other_quantity, 1, 1, SHARING_STOCK_MAX),
	SPEC_STR(struct in_barter, other_unit, 1, 1, 40),
	SPEC_INT(struct in_barter, into_good, 0, 1, INT32_MAX),
	SPEC_END,
};
const struct body_spec spec_barter = { barter_fields, sizeof(struct in_barter) };

int api_barter_record(struct http_req *req, void *in)
{
	const struct in_barter *b = in;
	struct barter_in x = { b->household, b->member, b->enterprise, b->household_gives,
			       b->household_unit, b->other_gives, b->other_unit,
			       b->household_quantity, b->other_quantity, b->into_good };
	json_t *out = NULL;
	int rc = gov_barter_record(&req->ctx, &x, &out, &req->err);
	return reply(req, rc, 201, out);
}

int api_barter_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_barter_get(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

/* The acts on a barter already recorded: POST /api/v1/barters/{id}/VERB. */
static int barter_verb(struct http_req *req,
		       int (*fn)(const struct gov_ctx *, int64_t, json_t **, struct px_error *))
{
	int64_t id = 0;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = fn(&req->ctx, id, &out, &req->err);
	return reply(req, rc, 200, out);
}

int api_barter_confirm(struct http_req *req, void *in)
{
	(void)in;
	return barter_verb(req, gov_barter_confirm);
}

int api_barter_withdraw(struct http_req *req, void *in)
{
	(void)in;
	return barter_verb(req, gov_barter_withdraw);
}

int api_barter_decline(struct http_req *req, void *in)
{
	(void)in;
	return barter_verb(req, gov_barter_decline);
}

int api_allotments(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_allotments(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return reply(req, rc, 200, out);
}
