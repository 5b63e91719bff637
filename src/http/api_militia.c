/*
 * api_militia.c: volunteer militias (src/gov/economy/militia.c,
 * docs/economy.md). They are formed and dissolved by local assemblies'
 * motions, joined and left with the routes every body has, and meet and
 * decide as any body does; these two routes read them.
 */
#include "core/errors.h"
#include "gov/economy/economy.h"
#include "api.h"
#include "request.h"
#include "banned.h"

int api_militia_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_militia_list(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, json_pack("{s:o}", "militias", out));
}

int api_militia_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_militia_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}
