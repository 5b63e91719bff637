/*
 * api_cases.c: the harm question (src/gov/cases, docs/cases.md): a
 * polity's cases, one case, a citizen's petition, the civil service's
 * recommendation and report. The assembly's decisions on a case are
 * motions (POST /api/v1/bodies/{slug}/motions with the kinds of
 * cases_kinds.c); the civil service is registered by the operator from
 * the command line only, so no route here writes one.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/cases/cases.h"
#include "api.h"
#include "arena.h"
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

static const struct spec_field evidence_fields[] = {
	SPEC_STR(struct in_evidence, text, 1, 1, CASE_TEXT_MAX),
	SPEC_BOOL(struct in_evidence, anonymous, 0),
	SPEC_BOOL(struct in_evidence, brief, 0),
	SPEC_ARR(struct in_evidence, files, 0, 0, CASE_FILES_MAX),
	SPEC_END,
};
const struct body_spec spec_evidence = { evidence_fields, sizeof(struct in_evidence) };

static const char *const testimony_outcomes[] = { "testified", "absent", NULL };
static const struct spec_field testimony_fields[] = {
	SPEC_ENUM(struct in_testimony, outcome, 1, testimony_outcomes),
	SPEC_STR(struct in_testimony, summary, 0, 0, CASE_TESTIMONY_SUMMARY_MAX),
	SPEC_END,
};
const struct body_spec spec_testimony = { testimony_fields, sizeof(struct in_testimony) };

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

int api_evidence_files(struct http_req *req, const json_t *files, struct evidence_file **out,
		       size_t *n)
{
	*out = NULL;
	*n = json_array_size(files);
	if (!*n)
		return 0;
	struct evidence_file *f = arena_alloc(&req->arena, *n * sizeof(*f));
	if (!f)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	char field[40];
	for (size_t i = 0; i < *n; i++) {
		const json_t *o = json_array_get(files, i);
		static const char *const keys[] = { "name", "type", "data" };
		if (!json_is_object(o)) {
			snprintf(field, sizeof(field), "files[%zu]", i);
			return px_fail(&req->err, PX_E_BAD_TYPE, arena_strdup(&req->arena, field),
				       "each file is an object {name, type, data}");
		}
		const char *key;
		const json_t *v;
		json_object_foreach((json_t *)o, key, v) {
			if (strcmp(key, "name") && strcmp(key, "type") && strcmp(key, "data")) {
				snprintf(field, sizeof(field), "files[%zu].%.8s", i, key);
				return px_fail(&req->err, PX_E_UNKNOWN_FIELD,
					       arena_strdup(&req->arena, field),
					       "a file has a name, a type and its data");
			}
		}
		for (int k = 0; k < 3; k++) {
			snprintf(field, sizeof(field), "files[%zu].%s", i, keys[k]);
			if (!json_is_string(json_object_get(o, keys[k])))
				return px_fail(&req->err, PX_E_MISSING_FIELD,
					       arena_strdup(&req->arena, field), "%s is required"
					       " (a string)", field);
		}
		const char *b64 = json_string_value(json_object_get(o, "data"));
		size_t len = strlen(b64), size = 0;
		snprintf(field, sizeof(field), "files[%zu].data", i);
		/* more than 2 MiB once decoded, whatever it holds */
		if (len > (size_t)CASE_FILE_MAX / 3 * 4 + 8)
			return px_fail(&req->err, PX_E_TOO_LARGE, arena_strdup(&req->arena, field),
				       "a file is at most 2 MiB");
		unsigned char *bin = arena_alloc(&req->arena, len / 4 * 3 + 3);
		if (!bin)
			return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
		if (sodium_base642bin(bin, len / 4 * 3 + 3, b64, len, NULL, &size, NULL,
				      sodium_base64_VARIANT_ORIGINAL))
			return px_fail(&req->err, PX_E_BAD_INPUT, arena_strdup(&req->arena, field),
				       "the file's data is not in base64");
		f[i] = (struct evidence_file){ .name = json_string_value(json_object_get(o, "name")),
			.type = json_string_value(json_object_get(o, "type")), .data = bin,
			.size = size };
	}
	*out = f;
	return 0;
}

int api_case_evidence_submit(struct http_req *req, void *in)
{
	const struct in_evidence *e = in;
	int64_t id;
	struct evidence_file *files = NULL;
	size_t n = 0;
	json_t *out = NULL;
	int rc = case_id(req, &id);
	if (rc || (rc = api_evidence_files(req, e->files, &files, &n)))
		return rc;
	struct case_evidence_in ev = { .text = e->text, .anonymous = e->anonymous,
				       .brief = e->brief,
				       .files = files, .nfiles = n };
	if ((rc = gov_case_evidence_submit(&req->ctx, id, &ev, &out, &req->err)))
		return rc;
	return http_reply(req, 201, out);
}

int api_case_evidence_list(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = case_id(req, &id);
	if (rc || (rc = gov_case_evidence_list(&req->ctx, id, &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}

/* attachment; filename="ASCII, others as _"; filename*=UTF-8''percent-encoded
 * (RFC 6266): the name has no quote nor backslash (evidence.c). */
void api_content_disposition(const char *name, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = (size_t)snprintf(out, n, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 2 < n; p++)
		if ((*p & 0xc0) != 0x80) /* one _ for each character past ASCII */
			out[o++] = *p < 0x80 ? (char)*p : '_';
	o += (size_t)snprintf(out + o, n - o, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 4 < n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o < n ? o : n - 1] = '\0';
}

int api_evidence_download(struct http_req *req, struct evidence_file_out *f)
{
	/* a download, never shown in the page's origin: its name as the
	 * browser saves it, and its hash to check it against */
	char disp[EVIDENCE_FILE_NAME_MAX * 16 + 64], type[64];
	int rc;
	api_content_disposition(f->name, disp, sizeof(disp));
	snprintf(type, sizeof(type), "%s%s", f->type, !strncmp(f->type, "text/", 5)
		 ? "; charset=utf-8" : "");
	if ((rc = http_header(req, "Content-Disposition", disp)) ||
	    (rc = http_header(req, "X-Content-Hash", f->hash)) ||
	    (rc = http_reply_bytes(req, 200, arena_strdup(&req->arena, type), f->data, f->size)))
		rc = req->err.code ? rc : px_fail(&req->err, rc, NULL, NULL);
	free(f->data);
	f->data = NULL;
	return rc;
}

int api_case_evidence_file(struct http_req *req, void *in)
{
	(void)in;
	int64_t id, evidence, n;
	int rc = case_id(req, &id);
	if (rc || (rc = http_param_id(req, "evidence", &evidence)))
		return rc ? rc : px_fail(&req->err, rc, NULL, NULL);
	const char *ns = http_param(req, "n");
	if (!strcmp(ns, "0"))
		n = 0;
	else if ((rc = http_param_id(req, "n", &n)))
		return rc;
	struct evidence_file_out f;
	if ((rc = gov_case_evidence_file(&req->ctx, id, evidence, n, &f, &req->err)))
		return rc;
	return api_evidence_download(req, &f);
}

int api_case_testimony(struct http_req *req, void *in)
{
	const struct in_testimony *t = in;
	int64_t id, witness;
	json_t *out = NULL;
	int rc = case_id(req, &id);
	if (rc)
		return rc;
	if ((rc = http_param_id(req, "witness", &witness)))
		return px_fail(&req->err, rc, NULL, "no witness '%s'", http_param(req, "witness"));
	if ((rc = gov_case_testimony_record(&req->ctx, id, witness, t->outcome, t->summary,
					    &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}

int api_meeting_testimony(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (rc)
		return px_fail(&req->err, rc, NULL, "no meeting '%s'", http_param(req, "id"));
	if ((rc = gov_meeting_testimony(&req->ctx, id, &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}
