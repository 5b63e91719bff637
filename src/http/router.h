/*
 * router.h: the route table's shape and the matcher over it.
 *
 * A route is one row: method, pattern, handler, auth level, the spec of
 * its JSON body (or NULL for none) and a one-line summary. Patterns are
 * absolute paths whose segments are literals or {name} parameters, each
 * parameter matching one non-empty segment. The server's table lives in
 * routes.c; pnyx routes prints it and docs/api.md is tested against it.
 *
 * Matching: the first row whose pattern and method match wins (HEAD
 * matches GET rows). If some pattern matches but no method does, the
 * result is ROUTE_METHOD with the allowed methods; if no pattern matches,
 * ROUTE_NOT_FOUND. The matcher keeps no state and allocates nothing.
 */
#ifndef PNYX_HTTP_ROUTER_H
#define PNYX_HTTP_ROUTER_H

#include <stddef.h>

struct http_req;
struct body_spec;

enum http_auth {
	AUTH_NONE,     /* credentials are not looked at */
	AUTH_OPTIONAL, /* the caller's account when signed in */
	AUTH_REQUIRED, /* 401 unless signed in */
};

struct route {
	const char *method;
	const char *pattern;
	/* in: the struct the body spec filled (NULL without a body spec).
	 * Returns 0 after setting the reply, or a PX_E_* code with req->err
	 * filled; allocations go to req's arena. */
	int (*handler)(struct http_req *req, void *in);
	enum http_auth auth;
	const struct body_spec *body;
	const char *summary;
	/* A POST whose own work is long and writes little or nothing
	 * (password hashing, counting): it runs on its worker thread, in
	 * parallel, not queued for the writer thread (server.c). */
	int on_worker;
	/* The handler reads the body's bytes itself (req->body): an inbox,
	 * whose signature covers them as sent. */
	int raw_body;
	/* The largest body the route takes, when more than the server's
	 * (evidence with its files); 0: the server's. */
	size_t body_max;
	/* The body may be left out (an empty request body): the handler gets
	 * the struct zeroed, as if every field were optional and none given. */
	int body_optional;
};

#define ROUTE_PARAMS_MAX 4

/* Parameters found in the path: names point into the pattern, values into
 * the path (not NUL-terminated; see len). */
struct route_params {
	size_t n;
	struct {
		const char *name;
		size_t name_len;
		const char *value;
		size_t value_len;
	} p[ROUTE_PARAMS_MAX];
};

enum route_result {
	ROUTE_FOUND,
	ROUTE_NOT_FOUND,
	ROUTE_METHOD, /* the path exists, the method does not */
};

/*
 * Match method and path against table (ended by a row with pattern NULL).
 * ROUTE_FOUND: *out is the row, params filled. ROUTE_METHOD: allow holds
 * the allowed methods as an Allow header value ("GET, HEAD, POST").
 * allow may be NULL.
 */
enum route_result router_match(const struct route *table, const char *method,
			       const char *path, const struct route **out,
			       struct route_params *params, char *allow,
			       size_t allow_size);

/* Whether path matches pattern, filling params (may be NULL). */
int router_pattern_match(const char *pattern, const char *path,
			 struct route_params *params);

/*
 * Check a table for mistakes a reader would miss: patterns not starting
 * with "/", malformed or too many {params}, an unknown method, a row
 * without handler, the same method and pattern twice, or a route with a
 * body spec on GET. Returns the index of the first bad row, or -1 when
 * the table is sound.
 */
long router_check_table(const struct route *table);

#endif
