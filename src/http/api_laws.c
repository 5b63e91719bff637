/*
 * api_laws.c: reading the law register, and an assembly's offices and
 * committees. Nothing here writes: laws, offices and committees change
 * only as effects of adopted motions.
 */
#include <stddef.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/assembly/assembly.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static int law_number(struct http_req *req, int64_t *n)
{
	if (http_param_number(req, "number", INT32_MAX, n))
		return px_fail(&req->err, PX_E_NOT_FOUND, NULL, "a law is named by its number");
	return 0;
}

int api_law_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_law_list(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, json_pack("{s:o}", "laws", out));
}

int api_law_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t n;
	json_t *out = NULL;
	int rc = law_number(req, &n);
	if (!rc)
		rc = gov_law_get(&req->ctx, http_param(req, "slug"), n, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_law_diff(struct http_req *req, void *in)
{
	(void)in;
	int64_t n, from, to;
	json_t *out = NULL;
	int rc = law_number(req, &n);
	if (!rc)
		rc = http_query_int(req, "from", 0, INT32_MAX, 0, &from);
	if (!rc)
		rc = http_query_int(req, "to", 0, INT32_MAX, 0, &to);
	if (!rc)
		rc = gov_law_diff(&req->ctx, http_param(req, "slug"), n, from, to, &out,
				  &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_law_export(struct http_req *req, void *in)
{
	(void)in;
	char *text = NULL;
	int rc = gov_law_export(&req->ctx, http_param(req, "slug"), &text, &req->err);
	if (rc)
		return rc;
	rc = http_reply_text(req, 200, "text/markdown; charset=utf-8", text);
	free(text);
	return rc;
}

int api_body_offices(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_body_offices(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}
