/*
 * api_federation.c: reading federations, delegations, declarations and
 * proposals. Nothing here writes: every change of federation membership,
 * of a seat, of a proposal or of an answer is the effect of an adopted
 * motion (POST /api/v1/bodies/{slug}/motions with a federation kind).
 */
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"
#include "gov/federation/federation.h"
#include "api.h"
#include "events.h"
#include "request.h"
#include "banned.h"

int api_body_federations(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_body_federations(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_body_delegations(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_body_delegations(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, json_pack("{s:o}", "delegations", out));
}

int api_body_declarations(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int64_t before, limit, about;
	int rc = http_query_int(req, "before", 1, INT64_MAX, 0, &before);
	if (!rc)
		rc = http_query_int(req, "limit", 1, DECLARATIONS_PAGE_MAX,
				    DECLARATIONS_PAGE_DEFAULT, &limit);
	if (!rc)
		rc = http_query_int(req, "about", 1, INT64_MAX, 0, &about);
	if (!rc)
		rc = gov_body_declarations(&req->ctx, http_param(req, "slug"), before,
					   limit, about, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_body_proposals(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_body_proposals(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_proposal_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id, version, limit;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = http_query_int(req, "version", 1, INT32_MAX, 0, &version);
	if (!rc)
		rc = http_query_int(req, "limit", 1, 10000, 0, &limit);
	if (!rc)
		rc = gov_proposal_get(&req->ctx, id, version, limit, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_proposal_status(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_proposal_status(&req->ctx, id, http_query(req, "under"), &out,
					 &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_proposal_events(struct http_req *req, void *in)
{
	(void)in;
	int64_t id, body, latest;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = proposal_find(req->ctx.db, id, &body, &latest, &req->err, NULL);
	if (rc)
		return rc;
	req->stream_topic = EVENTS_PROPOSAL;
	req->stream_id = id;
	return 0;
}
