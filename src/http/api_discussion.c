/*
 * api_discussion.c: the discussion of motions and proposals: reading a
 * thread, commenting or replying, withdrawing one's own comment. Who may
 * comment, where a reply may go and what withdrawing means are in
 * src/gov/discussion; hiding someone's comment is a motion (hide_comment).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/errors.h"
#include "gov/discussion/discussion.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static const struct spec_field comment_fields[] = {
	SPEC_STR(struct in_comment, text, 1, 1, COMMENT_TEXT_MAX),
	SPEC_INT(struct in_comment, reply_to, 0, 1, INT64_MAX),
	SPEC_END,
};
const struct body_spec spec_comment = { comment_fields, sizeof(struct in_comment) };

static int list(struct http_req *req, const char *target)
{
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_comment_list(&req->ctx, target, id, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

static int add(struct http_req *req, const char *target, const struct in_comment *c)
{
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_comment_add(&req->ctx, target, id, c->text, c->reply_to, &out,
				     &req->err);
	if (rc == PX_E_RATE_LIMITED) {
		int64_t wait = 1;
		if (!gov_comment_retry_after(&req->ctx, &wait)) {
			char secs[24];
			snprintf(secs, sizeof(secs), "%lld", (long long)wait);
			if (http_header(req, "Retry-After", secs))
				return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
		}
	}
	return rc ? rc : http_reply(req, 201, out);
}

int api_motion_comments(struct http_req *req, void *in)
{
	(void)in;
	return list(req, "motion");
}

int api_motion_comment(struct http_req *req, void *in)
{
	return add(req, "motion", in);
}

int api_proposal_comments(struct http_req *req, void *in)
{
	(void)in;
	return list(req, "proposal");
}

int api_proposal_comment(struct http_req *req, void *in)
{
	return add(req, "proposal", in);
}

int api_comment_withdraw(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_comment_withdraw(&req->ctx, id, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}
