/*
 * api_economy.c: enterprises (src/gov/economy, docs/economy.md). Who may
 * found one and everything an enterprise decides is the domain's; these
 * handlers carry input in and results out. Joining, leaving, meetings
 * and motions of an enterprise are the routes every body has.
 */
#include <stdint.h>

#include "core/errors.h"
#include "gov/economy/economy.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static const struct spec_field enterprise_found_fields[] = {
	SPEC_STR(struct in_enterprise_found, name, 1, 1, 120),
	SPEC_STR(struct in_enterprise_found, slug, 0, 2, 64),
	SPEC_STR(struct in_enterprise_found, community, 1, 2, 64),
	SPEC_STR(struct in_enterprise_found, purpose, 1, 1, 4000),
	SPEC_STR(struct in_enterprise_found, provides, 1, 1, 2000),
	SPEC_OBJ(struct in_enterprise_found, rule, 1),
	SPEC_OBJ(struct in_enterprise_found, schedule, 1),
	SPEC_ARR(struct in_enterprise_found, founders, 0, 0, ECONOMY_FOUNDERS_MAX),
	SPEC_END,
};
const struct body_spec spec_enterprise_found = {
	enterprise_found_fields, sizeof(struct in_enterprise_found)
};

int api_enterprise_found(struct http_req *req, void *in)
{
	const struct in_enterprise_found *b = in;
	struct enterprise_found f = {
		.name = b->name, .slug = b->slug, .community = b->community,
		.purpose = b->purpose, .provides = b->provides, .rule = b->rule,
		.schedule = b->schedule, .founders = b->founders,
	};
	json_t *out = NULL;
	int rc = gov_enterprise_found(&req->ctx, &f, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

int api_enterprise_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_enterprise_list(&req->ctx, http_query(req, "community"), &out,
				     &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, json_pack("{s:o}", "enterprises", out));
}

int api_enterprise_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_enterprise_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}
