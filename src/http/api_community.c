/*
 * api_community.c: a community's bounds changed by its own decisions
 * (src/gov/community, docs/communities.md). Division and union are
 * motions (POST /api/v1/bodies/{slug}/motions); here the members of a
 * divided assembly see their choice and make it, and anyone reads who is
 * still to choose. The handlers only carry input in and results out.
 */
#include <stddef.h>

#include "core/errors.h"
#include "gov/community/community.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static const struct spec_field choose_fields[] = {
	SPEC_STR(struct in_community_choose, community, 1, 2, 64),
	SPEC_END,
};
const struct body_spec spec_community_choose = {
	choose_fields, sizeof(struct in_community_choose)
};

int api_community_choices(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_community_choices(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, json_pack("{s:o}", "choices", out));
}

int api_community_choose(struct http_req *req, void *in)
{
	const struct in_community_choose *c = in;
	json_t *out = NULL;
	int rc = gov_community_choose(&req->ctx, http_param(req, "slug"), c->community,
				      &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

int api_community_division(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_community_division(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_union_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_union_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}
