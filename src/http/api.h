/*
 * api.h: the route handlers and the body specs they take, one file per
 * family of routes (api_system.c, api_accounts.c, api_bodies.c). The
 * table that binds them to methods and paths is routes.c.
 *
 * Each handler builds nothing but a reply: it calls one gov_* function
 * with req->ctx (the caller and the moment) and turns the result into
 * JSON. Governance rules live in src/gov only.
 */
#ifndef PNYX_HTTP_API_H
#define PNYX_HTTP_API_H

#include <jansson.h>

#include "spec.h"

struct http_req;

/* Bodies, filled by the dispatcher from the specs below. */
struct in_account_create {
	const char *handle;
	const char *display_name;
	const char *password;
};

struct in_session_create {
	const char *handle;
	const char *password;
};

struct in_body_found {
	const char *name;
	const char *slug;
	const char *community;
	const char *statement;
	const json_t *rule;
	const json_t *schedule;
	const char *basis;
};

struct in_member_join {
	int affirm;
	const char *basis;
};

extern const struct body_spec spec_account_create;
extern const struct body_spec spec_session_create;
extern const struct body_spec spec_body_found;
extern const struct body_spec spec_member_join;

/* api_system.c */
int api_health(struct http_req *req, void *in);
int api_journal_list(struct http_req *req, void *in);
int api_journal_verify(struct http_req *req, void *in);

/* api_accounts.c */
int api_account_create(struct http_req *req, void *in);
int api_session_create(struct http_req *req, void *in);
int api_session_delete(struct http_req *req, void *in);
int api_me(struct http_req *req, void *in);

/* api_bodies.c */
int api_community_list(struct http_req *req, void *in);
int api_community_get(struct http_req *req, void *in);
int api_body_found(struct http_req *req, void *in);
int api_body_list(struct http_req *req, void *in);
int api_body_get(struct http_req *req, void *in);
int api_member_join(struct http_req *req, void *in);
int api_member_list(struct http_req *req, void *in);
int api_member_leave(struct http_req *req, void *in);

#endif
