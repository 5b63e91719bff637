/*
 * api_bodies.c: communities, assemblies (bodies) and membership. Every
 * decision about who may found, join or leave is the domain's
 * (src/gov/assembly/body.c, member.c); these handlers only carry input in and
 * results out. Membership routes act on the caller alone: no route names
 * another person.
 */
#include <stddef.h>

#include "core/errors.h"
#include "gov/assembly/assembly.h"
#include "gov/people/people.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static const char *const bases[] = { "lives", "works", NULL };
/* joining: a militia's volunteers join on the basis "volunteer" */
static const char *const join_bases[] = { "lives", "works", "volunteer", NULL };

static const struct spec_field body_found_fields[] = {
	SPEC_STR(struct in_body_found, name, 1, 1, 120),
	SPEC_STR(struct in_body_found, slug, 0, 2, 64),
	SPEC_STR(struct in_body_found, community, 1, 2, 64),
	SPEC_STR(struct in_body_found, statement, 1, 1, 20000),
	SPEC_OBJ(struct in_body_found, rule, 1),
	SPEC_OBJ(struct in_body_found, schedule, 1),
	SPEC_ENUM(struct in_body_found, basis, 0, bases),
	SPEC_END,
};
const struct body_spec spec_body_found = {
	body_found_fields, sizeof(struct in_body_found)
};

static const struct spec_field member_join_fields[] = {
	SPEC_BOOL(struct in_member_join, affirm, 1),
	SPEC_ENUM(struct in_member_join, basis, 1, join_bases),
	SPEC_STR(struct in_member_join, enterprise, 0, 2, 64),
	SPEC_END,
};
const struct body_spec spec_member_join = {
	member_join_fields, sizeof(struct in_member_join)
};

/* Reply {key: list} for a list the domain returned. */
static int reply_list(struct http_req *req, const char *key, json_t *list)
{
	return http_reply(req, 200, json_pack("{s:o}", key, list));
}

int api_community_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_community_list(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return reply_list(req, "communities", out);
}

int api_community_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_community_get(&req->ctx, http_param(req, "slug"), &out,
				   &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_body_found(struct http_req *req, void *in)
{
	const struct in_body_found *b = in;
	struct body_found f = {
		.name = b->name,
		.slug = b->slug,
		.community = b->community,
		.statement = b->statement,
		.rule = b->rule,
		.schedule = b->schedule,
		.basis = b->basis,
	};
	json_t *out = NULL;
	int rc = gov_body_found(&req->ctx, &f, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

int api_body_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_body_list(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return reply_list(req, "bodies", out);
}

int api_body_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_body_get(&req->ctx, http_param(req, "slug"), &out,
			      &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_member_join(struct http_req *req, void *in)
{
	const struct in_member_join *j = in;
	json_t *out = NULL;
	int rc = gov_member_join_as(&req->ctx, http_param(req, "slug"), j->affirm,
				    j->basis, j->enterprise, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

int api_member_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_member_list(&req->ctx, http_param(req, "slug"), &out,
				 &req->err);
	if (rc)
		return rc;
	return reply_list(req, "members", out);
}

int api_member_leave(struct http_req *req, void *in)
{
	(void)in;
	int rc = gov_member_leave(&req->ctx, http_param(req, "slug"),
				  &req->err);
	if (rc)
		return rc;
	return http_reply(req, 204, NULL);
}
