/*
 * api_notice.c: the signed-in person's notifications (list, unread
 * count, mark read) and their settings (an e-mail address, whether to
 * receive mail). Every rule is in src/gov/notice; each route acts on the
 * caller's own rows only.
 */
#include <stdint.h>

#include "core/errors.h"
#include "gov/notice/notice.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static const struct spec_field notice_read_fields[] = {
	SPEC_INT(struct in_notice_read, id, 0, 1, INT64_MAX),
	SPEC_INT(struct in_notice_read, up_to, 0, 1, INT64_MAX),
	SPEC_END,
};
const struct body_spec spec_notice_read = {
	notice_read_fields, sizeof(struct in_notice_read)
};

static const struct spec_field notice_settings_fields[] = {
	SPEC_STR(struct in_notice_settings, email, 0, 0, NOTICE_EMAIL_MAX),
	SPEC_BOOL(struct in_notice_settings, mail, 1),
	SPEC_END,
};
const struct body_spec spec_notice_settings = {
	notice_settings_fields, sizeof(struct in_notice_settings)
};

int api_notice_list(struct http_req *req, void *in)
{
	(void)in;
	int64_t before, limit;
	int rc = http_query_int(req, "before", 1, INT64_MAX, 0, &before);
	if (!rc)
		rc = http_query_int(req, "limit", 1, NOTICE_PAGE_MAX,
				    NOTICE_PAGE_DEFAULT, &limit);
	if (rc)
		return rc;
	json_t *out = NULL;
	if ((rc = gov_notice_list(&req->ctx, before, limit, &out, &req->err)))
		return rc;
	return http_reply(req, 200, out);
}

int api_notice_count(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_notice_count(&req->ctx, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_notice_read(struct http_req *req, void *in)
{
	const struct in_notice_read *b = in;
	json_t *out = NULL;
	int rc = gov_notice_mark_read(&req->ctx, b->id, b->up_to, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_notice_settings_get(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_notice_settings_get(&req->ctx, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_notice_settings_put(struct http_req *req, void *in)
{
	const struct in_notice_settings *b = in;
	json_t *out = NULL;
	int rc = gov_notice_settings_set(&req->ctx, b->email, b->mail, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}
