/*
 * api_lot.c: regions, polities and the caller's citizenship (src/gov/lot,
 * docs/polities.md). Regions and polities are read by anyone; the
 * operator registers them from the command line only, so no route here
 * writes one. Residence and consent act on the caller alone: their bodies
 * name no person, and a field naming one is refused as unknown.
 */
#include <stdint.h>

#include "core/errors.h"
#include "gov/lot/lot.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include "banned.h"

static const struct spec_field residence_fields[] = {
	SPEC_STR(struct in_residence, community, 1, 2, 64),
	SPEC_END,
};
const struct body_spec spec_residence = {
	residence_fields, sizeof(struct in_residence)
};

static const struct spec_field consent_fields[] = {
	SPEC_BOOL(struct in_consent, affirm, 1),
	SPEC_END,
};
const struct body_spec spec_consent = {
	consent_fields, sizeof(struct in_consent)
};

int api_region_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_region_list(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, json_pack("{s:o}", "regions", out));
}

int api_region_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_region_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_polity_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_polity_list(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, json_pack("{s:o}", "polities", out));
}

int api_polity_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_polity_get(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

/* The citizenship, with the statement of social insurance the deployment
 * lists (serve --insurance-file), or null. */
static int citizenship_reply(struct http_req *req, json_t *c, int status)
{
	const char *text = req->srv->insurance;
	json_object_set_new(c, "insurance", text ? json_string(text) : json_null());
	return http_reply(req, status, c);
}

int api_residence_put(struct http_req *req, void *in)
{
	const struct in_residence *r = in;
	json_t *out = NULL;
	int rc = gov_residence_set(&req->ctx, r->community, &out, &req->err);
	if (rc)
		return rc;
	return citizenship_reply(req, out, 200);
}

int api_consent_post(struct http_req *req, void *in)
{
	const struct in_consent *c = in;
	json_t *out = NULL;
	int rc = gov_consent_give(&req->ctx, c->affirm, &out, &req->err);
	if (rc)
		return rc;
	return citizenship_reply(req, out, 201);
}
