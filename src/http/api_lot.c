/*
 * api_lot.c: regions, polities and the caller's citizenship (src/gov/lot,
 * docs/polities.md). Regions and polities are read by anyone; the
 * operator registers them from the command line only, so no route here
 * writes one. Residence and consent act on the caller alone: their bodies
 * name no person, and a field naming one is refused as unknown.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
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

static const struct spec_field profile_fields[] = {
	SPEC_OBJ(struct in_profile, profile, 1),
	SPEC_END,
};
const struct body_spec spec_profile = {
	profile_fields, sizeof(struct in_profile)
};

static const struct spec_field seed_fields[] = {
	SPEC_STR(struct in_seed, text, 1, 1, 4000),
	SPEC_END,
};
const struct body_spec spec_seed = { seed_fields, sizeof(struct in_seed) };

static const char *const answers[] = { "accept", "excuse", "defer", NULL };
static const struct spec_field answer_fields[] = {
	SPEC_ENUM(struct in_answer, answer, 1, answers),
	SPEC_STR(struct in_answer, reason, 0, 1, 200),
	SPEC_END,
};
const struct body_spec spec_answer = { answer_fields, sizeof(struct in_answer) };

static const struct spec_field excuse_fields[] = {
	SPEC_BOOL(struct in_excuse, grant, 1),
	SPEC_STR(struct in_excuse, reason, 1, 1, 1000),
	SPEC_END,
};
const struct body_spec spec_excuse = { excuse_fields, sizeof(struct in_excuse) };

static const struct spec_field resign_fields[] = {
	SPEC_STR(struct in_resign, polity, 1, 2, 64),
	SPEC_END,
};
const struct body_spec spec_resign = { resign_fields, sizeof(struct in_resign) };

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

int api_profile_put(struct http_req *req, void *in)
{
	const struct in_profile *p = in;
	json_t *out = NULL;
	int rc = gov_profile_set(&req->ctx, p->profile, &out, &req->err);
	if (rc)
		return rc;
	return citizenship_reply(req, out, 200);
}

/* ---- renewals and summons ---- */

/* The command that verifies a renewal names this server, at the address
 * people reach it at (--public-url) when it has one. */
static int renewal_reply(struct http_req *req, json_t *r, int status)
{
	char cmd[1024];
	const char *url = req->srv->public_url[0] ? req->srv->public_url : req->srv->url;
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	json_t *p = json_object_get(r, "polity");
	snprintf(cmd, sizeof(cmd), "pnyx polity verify %s --renewal %lld --server %.*s",
		 json_string_value(json_object_get(p, "slug")),
		 (long long)json_integer_value(json_object_get(r, "id")), (int)n, url);
	json_object_set_new(r, "verify", json_string(cmd));
	return http_reply(req, status, r);
}

int api_renewal_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_renewal_list(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_polity_excuses(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_polity_excuses(&req->ctx, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

/* The {id} of the path, or 404 with missing (a message marked N_, naming
 * the id as %s). */
static int path_id(struct http_req *req, const char *missing, int64_t *id)
{
	int rc = http_param_id(req, "id", id);
	return rc ? px_fail(&req->err, rc, NULL, missing, http_param(req, "id")) : 0;
}

/* A renewal read by its id, answered as it is or, with verify, with the
 * command that verifies it. */
static int renewal_by_id(struct http_req *req,
			 int (*fn)(const struct gov_ctx *, int64_t, json_t **, struct px_error *),
			 int verify)
{
	int64_t id;
	json_t *out = NULL;
	int rc = path_id(req, N_("no renewal '%s'"), &id);
	if (!rc)
		rc = fn(&req->ctx, id, &out, &req->err);
	if (rc)
		return rc;
	return verify ? renewal_reply(req, out, 200) : http_reply(req, 200, out);
}

int api_renewal_get(struct http_req *req, void *in)
{
	(void)in;
	return renewal_by_id(req, gov_renewal_get, 1);
}

int api_renewal_record(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	char *text = NULL;
	int rc = path_id(req, N_("no renewal '%s'"), &id);
	if (rc || (rc = gov_renewal_record(&req->ctx, id, &text, &req->err)))
		return rc;
	rc = http_reply_text(req, 200, "text/plain; charset=utf-8", text);
	free(text);
	return rc;
}

int api_renewal_lottery(struct http_req *req, void *in)
{
	(void)in;
	return renewal_by_id(req, gov_renewal_lottery, 0);
}

int api_renewal_result(struct http_req *req, void *in)
{
	(void)in;
	return renewal_by_id(req, gov_renewal_result, 0);
}

int api_renewal_seed(struct http_req *req, void *in)
{
	const struct in_seed *b = in;
	int64_t id;
	json_t *out = NULL;
	int rc = path_id(req, N_("no renewal '%s'"), &id);
	if (rc || (rc = gov_renewal_seed(&req->ctx, id, b->text, &out, &req->err)))
		return rc;
	return renewal_reply(req, out, 200);
}

int api_my_summons(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_my_summons(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_summons_answer(struct http_req *req, void *in)
{
	const struct in_answer *b = in;
	int64_t id;
	json_t *out = NULL;
	int rc = path_id(req, N_("no summons '%s'"), &id);
	if (rc || (rc = gov_summons_answer(&req->ctx, id, b->answer, b->reason, &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}

int api_summons_excuse(struct http_req *req, void *in)
{
	const struct in_excuse *b = in;
	int64_t id;
	json_t *out = NULL;
	int rc = path_id(req, N_("no summons '%s'"), &id);
	if (rc || (rc = gov_summons_excuse(&req->ctx, id, b->grant, b->reason, &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}

int api_seat_resign(struct http_req *req, void *in)
{
	const struct in_resign *b = in;
	json_t *out = NULL;
	int rc = gov_seat_resign(&req->ctx, b->polity, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}
