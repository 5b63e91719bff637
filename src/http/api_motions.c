/*
 * api_motions.c: motions, votes and advisory input. Every rule (who may
 * submit, open, vote, count, close; which positions; what an adopted
 * motion does) is in src/gov/procedure/motion.c, vote.c and motion_kinds.c.
 */
#include <stddef.h>

#include "core/errors.h"
#include "gov/procedure/procedure.h"
#include "api.h"
#include "request.h"
#include "banned.h"

static const char *const modes[] = { "devices", "hands", "committee", NULL };

static const struct spec_field motion_fields[] = {
	SPEC_STR(struct in_motion, kind, 1, 1, 40),
	SPEC_STR(struct in_motion, title, 1, 1, 200),
	SPEC_STR(struct in_motion, text, 0, 0, 100000),
	SPEC_OBJ(struct in_motion, params, 0),
	SPEC_INT(struct in_motion, amends, 0, 1, INT64_MAX),
	SPEC_INT(struct in_motion, committee, 0, 1, INT64_MAX),
	SPEC_INT(struct in_motion, meeting, 0, 1, INT64_MAX),
	SPEC_END,
};
const struct body_spec spec_motion = { motion_fields, sizeof(struct in_motion) };

static const struct spec_field vote_fields[] = {
	SPEC_ENUM(struct in_vote, position, 0, vote_position_names),
	SPEC_ARR(struct in_vote, ranking, 0, 1, 200),
	SPEC_END,
};
const struct body_spec spec_vote = { vote_fields, sizeof(struct in_vote) };

static const struct spec_field voting_fields[] = {
	SPEC_ENUM(struct in_voting, mode, 1, modes),
	SPEC_END,
};
const struct body_spec spec_voting = { voting_fields, sizeof(struct in_voting) };

static const struct spec_field hands_fields[] = {
	SPEC_OBJ(struct in_hands, counts, 1),
	SPEC_END,
};
const struct body_spec spec_hands = { hands_fields, sizeof(struct in_hands) };

static const struct spec_field advice_fields[] = {
	SPEC_ENUM(struct in_advice, position, 1, vote_position_names),
	SPEC_STR(struct in_advice, comment, 0, 0, 5000),
	SPEC_END,
};
const struct body_spec spec_advice = { advice_fields, sizeof(struct in_advice) };

int api_motion_submit(struct http_req *req, void *in)
{
	const struct in_motion *m = in;
	struct motion_submit s = { m->kind, m->title, m->text, m->params, m->amends,
				   m->committee };
	json_t *out = NULL;
	int rc = gov_motion_submit_to(&req->ctx, http_param(req, "slug"), &s, m->meeting,
				      &out, &req->err);
	return rc ? rc : http_reply(req, 201, out);
}

int api_motion_list(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_motion_list(&req->ctx, http_param(req, "slug"),
				 http_query(req, "status"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, json_pack("{s:o}", "motions", out));
}

int api_motion_kinds(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = gov_motion_kinds(&req->ctx, http_query(req, "body"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_motion_get(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_motion_get(&req->ctx, id, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_motion_withdraw(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_motion_withdraw(&req->ctx, id, &req->err);
	return rc ? rc : http_reply(req, 204, NULL);
}

int api_motion_advise(struct http_req *req, void *in)
{
	const struct in_advice *a = in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_motion_advise(&req->ctx, id, a->position, a->comment, &out, &req->err);
	return rc ? rc : http_reply(req, 201, out);
}

int api_vote_open(struct http_req *req, void *in)
{
	const struct in_voting *v = in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_vote_open(&req->ctx, id, v->mode, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_vote_cast(struct http_req *req, void *in)
{
	const struct in_vote *v = in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	/* a position on a yes/no motion, a ranking in an election of several
	 * delegates: exactly one */
	if (!rc && v->position && v->ranking)
		rc = px_fail(&req->err, PX_E_BAD_INPUT, "ranking",
			     "send a position or a ranking, not both");
	if (!rc && !v->position && !v->ranking)
		rc = px_fail(&req->err, PX_E_MISSING_FIELD, "position",
			     "send a position (or, in an election of several delegates,"
			     " a ranking)");
	if (!rc)
		rc = v->ranking ? gov_vote_cast_ranked(&req->ctx, id, v->ranking, &out, &req->err)
				: gov_vote_cast(&req->ctx, id, v->position, &out, &req->err);
	return rc ? rc : http_reply(req, 201, out);
}

int api_vote_hands(struct http_req *req, void *in)
{
	const struct in_hands *h = in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_vote_record_hands(&req->ctx, id, h->counts, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_vote_close(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_vote_close(&req->ctx, id, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

int api_vote_counts(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *out = NULL;
	int rc = http_param_id(req, "id", &id);
	if (!rc)
		rc = gov_vote_counts(&req->ctx, id, &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}
