/*
 * request.h: what a route handler sees of a request, and the helpers it
 * replies with. Everything a handler allocates goes into req->arena (or is
 * handed to it with arena_json), so handlers have no cleanup code.
 *
 * By the time a handler runs, the dispatcher has matched the route, checked
 * the content type and credentials, validated the JSON body against the
 * route's spec, taken a database connection (req->ctx.db) and read the
 * clock (req->ctx.now). ctx.account_id is the signed-in caller, or 0.
 */
#ifndef PNYX_HTTP_REQUEST_H
#define PNYX_HTTP_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"
#include "gov/gov.h"
#include "arena.h"
#include "router.h"

struct http_server;
struct MHD_Connection;
struct workq_job;

enum http_cred {
	CRED_NONE,
	CRED_COOKIE, /* the pnyx_session cookie (a browser) */
	CRED_BEARER, /* Authorization: Bearer (a script) */
};

#define HTTP_HEADERS_MAX 8

struct http_req {
	struct arena arena;
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	const char *client;   /* the peer's address as text */
	const struct route *route;
	struct route_params params;
	/* the body and the request target (path and query) as sent */
	const char *body;
	size_t body_len;
	const char *target;
	struct gov_ctx ctx;
	enum http_cred cred;
	const char *token;    /* the session token presented, or NULL */

	/* The reply, set by http_reply or from err by the dispatcher. */
	int status;
	json_t *reply;        /* owned by the arena */
	const char *text;     /* a reply that is not JSON (in the arena) ... */
	const char *text_type; /* ... and its content type */
	size_t text_len;      /* its length when it holds bytes (0: a string) */
	int64_t stream_id;    /* a server-sent event stream of this meeting or */
	int stream_topic;     /* proposal (enum events_topic) */
	size_t nheaders;
	struct {
		const char *name, *value;
	} headers[HTTP_HEADERS_MAX];
	struct px_error err;
	/* Work handed to a worker (workq.h): the dispatcher suspends the
	 * connection and answers when it is done. */
	struct workq_job *deferred;
	/* what SQLite said when the request's database work failed (the
	 * store keeps it; the error log shows it beside err), or "" */
	char db_error[200];
};

/* The path parameter {name}, NUL-terminated in the arena ("" if absent). */
const char *http_param(struct http_req *req, const char *name);

/* The path parameter {name} as a positive id written in decimal digits
 * without sign or leading zero; PX_E_NOT_FOUND (a path that names
 * nothing) when it is not one. */
int http_param_id(struct http_req *req, const char *name, int64_t *out);

/* The same, at most max. */
int http_param_number(struct http_req *req, const char *name, int64_t max,
		      int64_t *out);

/* The query parameter name (decoded), or NULL when absent. */
const char *http_query(struct http_req *req, const char *name);

/* Parse an optional integer query parameter in [min, max]; def when
 * absent. Refusals name the parameter. */
int http_query_int(struct http_req *req, const char *name, int64_t min,
		   int64_t max, int64_t def, int64_t *out);

/* Reply with status and body; takes the reference to body. Returns 0, or
 * PX_E_NOMEM when body is NULL (a failed constructor). */
int http_reply(struct http_req *req, int status, json_t *body);

/* Reply with a text body of the given content type (a calendar, minutes
 * in Markdown or HTML); text is copied into the arena. */
int http_reply_text(struct http_req *req, int status, const char *type,
		    const char *text);

/* Reply with len bytes of the given content type (a file), copied into
 * the arena. */
int http_reply_bytes(struct http_req *req, int status, const char *type,
		     const void *data, size_t len);

/* Add a response header; name and value are copied into the arena. */
int http_header(struct http_req *req, const char *name, const char *value);

/* Refuse with 429 rate_limited naming field (may be NULL), a
 * Retry-After of wait seconds (at least 1) and the message "WHAT; try
 * again in N seconds". Returns PX_E_RATE_LIMITED. */
int http_too_many(struct http_req *req, int64_t wait, const char *field,
		  const char *what);

/* This site's address as the caller reached it, "http://HOST" (https with
 * --secure-cookies), from the Host header, into out; 0, or -1 (out empty)
 * when the header is missing or holds anything but letters, digits and
 * . - : [ ]. */
int http_base_url(struct http_req *req, char *out, size_t size);

/* The JSON body of an error: {"error":{"code","message","field"}}. New
 * reference. */
json_t *http_error_json(const struct px_error *err, const char *lang);
/* The language of the request's Accept-Language that pnyx speaks, else
 * English: the language of its error messages (their codes stay). */
const char *http_lang(struct http_req *req);

#endif
