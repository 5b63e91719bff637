/*
 * api_cases.c: the harm question (src/gov/cases, docs/cases.md): a
 * polity's cases, one case, a citizen's petition, the civil service's
 * recommendation and report. The assembly's decisions on a case are
 * motions (POST /api/v1/bodies/{slug}/motions with the kinds of
 * cases_kinds.c); the civil service is registered by the operator from
 * the command line only, so no route here writes one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/cases/cases.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include "banned.h"

static const struct spec_field petition_fields[] = {
	SPEC_INT(struct in_petition, law, 0, 0, INT32_MAX),
	SPEC_STR(struct in_petition, absence, 0, 1, 500),
	SPEC_STR(struct in_petition, title, 1, 1, CASE_TITLE_MAX),
	SPEC_STR(struct in_petition, statement, 1, 1, CASE_TEXT_MAX),
	SPEC_END,
};
const struct body_spec spec_petition = { petition_fields, sizeof(struct in_petition) };

static const struct spec_field recommend_fields[] = {
	SPEC_INT(struct in_recommend, law, 0, 0, INT32_MAX),
	SPEC_STR(struct in_recommend, title, 0, 1, CASE_TITLE_MAX),
	SPEC_STR(struct in_recommend, text, 1, 1, CASE_TEXT_MAX),
	SPEC_STR(struct in_recommend, rationale, 1, 1, CASE_TEXT_MAX),
	SPEC_STR(struct in_recommend, effect, 1, 1, CASE_TEXT_MAX),
	SPEC_STR(struct in_recommend, measures, 1, 1, CASE_TEXT_MAX),
	SPEC_STR(struct in_recommend, alternatives, 1, 1, CASE_TEXT_MAX),
	SPEC_END,
};
const struct body_spec spec_recommend = { recommend_fields, sizeof(struct in_recommend) };

static const struct spec_field report_fields[] = {
	SPEC_STR(struct in_case_report, text, 1, 1, CASE_TEXT_MAX),
	SPEC_END,
};
const struct body_spec spec_case_report = { report_fields, sizeof(struct in_case_report) };

int api_case_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_case_list(&req->ctx, http_param(req, "slug"), http_query(req, "state"),
			       &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, out);
}

int api_case_petition(struct http_req *req, void *in)
{
	const struct in_petition *p = in;
	struct case_petition c = { .law = p->law, .absence = p->absence, .title = p->title,
				   .statement = p->statement };
	json_t *out = NULL;
	int rc = gov_case_petition(&req->ctx, http_param(req, "slug"), &c, &out, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 201, out);
}

static int case_id(struct http_req *req, int64_t *id)
{
	int rc = http_param_id(req, "id", id);
	if (rc)
		return px_fail(&req->err, rc, NULL, "no case '%s'", http_param(req, "id"));
	return 0;
}

int api_case_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = case_id(req, &id);
	if (rc || (rc = gov_case_get(&req->ctx, id, &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}

int api_case_recommend(struct http_req *req, void *in)
{
	const struct in_recommend *r = in;
	struct case_recommendation c = { .law = r->law, .title = r->title, .text = r->text,
		.rationale = r->rationale, .effect = r->effect, .measures = r->measures,
		.alternatives = r->alternatives };
	int64_t id;
	json_t *out = NULL;
	int rc = case_id(req, &id);
	if (rc || (rc = gov_case_recommend(&req->ctx, id, &c, &out, &req->err)))
		return rc;
	return http_reply(req, 201, out);
}

int api_case_report(struct http_req *req, void *in)
{
	const struct in_case_report *r = in;
	int64_t id;
	json_t *out = NULL;
	int rc = case_id(req, &id);
	if (rc || (rc = gov_case_report(&req->ctx, id, r->text, &out, &req->err)))
		return rc;
	return http_reply(req, 201, out);
}

int api_case_calendar(struct http_req *req, void *in)
{
	(void)in;
	char *text = NULL, base[300];
	int rc = gov_case_calendar(&req->ctx, http_param(req, "slug"),
				   http_base_url(req, base, sizeof(base)) ? NULL : base, &text,
				   &req->err);
	if (rc)
		return rc;
	rc = http_reply_text(req, 200, "text/calendar; charset=utf-8", text);
	free(text);
	return rc;
}
