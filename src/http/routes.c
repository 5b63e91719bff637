/*
 * routes.c: the one route table of the pnyx API. A new route is a row
 * here and a handler in an api_*.c file; docs/api.md must list it too
 * (tests/api/test_api_doc.py compares the two through `pnyx routes`).
 *
 * Rows are matched in order, first match wins: put a literal segment
 * before a {param} that could take the same place.
 *
 * Auth: none (credentials ignored), optional (the caller's account when
 * signed in), required (401 unless signed in). No route changes another
 * person's membership: joining and leaving act on the caller only.
 */
#include <stddef.h>

#include "api.h"
#include "router.h"
#include "server.h"
#include "../banned.h"

const struct route http_routes[] = {
	{ .method = "GET", .pattern = "/api/v1/health",
	  .handler = api_health, .auth = AUTH_NONE,
	  .summary = "the server is up: schema version and journal size" },

	{ .method = "POST", .pattern = "/api/v1/accounts",
	  .handler = api_account_create, .auth = AUTH_NONE,
	  .body = &spec_account_create,
	  .summary = "create an account" },
	{ .method = "POST", .pattern = "/api/v1/sessions",
	  .handler = api_session_create, .auth = AUTH_NONE,
	  .body = &spec_session_create,
	  .summary = "sign in: a session cookie and a bearer token" },
	{ .method = "DELETE", .pattern = "/api/v1/sessions/current",
	  .handler = api_session_delete, .auth = AUTH_REQUIRED,
	  .summary = "sign out: end the session used for this request" },
	{ .method = "GET", .pattern = "/api/v1/me",
	  .handler = api_me, .auth = AUTH_REQUIRED,
	  .summary = "the signed-in account and its memberships" },

	{ .method = "GET", .pattern = "/api/v1/communities",
	  .handler = api_community_list, .auth = AUTH_OPTIONAL,
	  .summary = "list communities" },
	{ .method = "GET", .pattern = "/api/v1/communities/{slug}",
	  .handler = api_community_get, .auth = AUTH_OPTIONAL,
	  .summary = "one community" },

	{ .method = "POST", .pattern = "/api/v1/bodies",
	  .handler = api_body_found, .auth = AUTH_REQUIRED,
	  .body = &spec_body_found,
	  .summary = "found the local assembly of a community" },
	{ .method = "GET", .pattern = "/api/v1/bodies",
	  .handler = api_body_list, .auth = AUTH_OPTIONAL,
	  .summary = "list assemblies" },
	{ .method = "GET", .pattern = "/api/v1/bodies/{slug}",
	  .handler = api_body_get, .auth = AUTH_OPTIONAL,
	  .summary = "one assembly: statement, rule, schedule" },

	{ .method = "POST", .pattern = "/api/v1/bodies/{slug}/members",
	  .handler = api_member_join, .auth = AUTH_REQUIRED,
	  .body = &spec_member_join,
	  .summary = "join an assembly (the caller only)" },
	{ .method = "GET", .pattern = "/api/v1/bodies/{slug}/members",
	  .handler = api_member_list, .auth = AUTH_OPTIONAL,
	  .summary = "list an assembly's members" },
	{ .method = "DELETE", .pattern = "/api/v1/bodies/{slug}/members/me",
	  .handler = api_member_leave, .auth = AUTH_REQUIRED,
	  .summary = "leave an assembly (the caller only)" },

	{ .method = "GET", .pattern = "/api/v1/journal",
	  .handler = api_journal_list, .auth = AUTH_NONE,
	  .summary = "journal entries after a sequence number" },
	{ .method = "GET", .pattern = "/api/v1/journal/verify",
	  .handler = api_journal_verify, .auth = AUTH_NONE,
	  .summary = "recompute the journal's hash chain and signature" },

	{ .pattern = NULL },
};
