/*
 * server.c: the libmicrohttpd glue and the one dispatcher.
 *
 * Every request goes through on_request in three steps:
 *   1. first call (headers read): route it. A path that matches no route
 *      (404), a method the path does not take (405) and a declared
 *      Content-Length over the limit (413) are answered here, before any
 *      of the body is read;
 *   2. body calls: the body accumulates in a bounded buffer; past the
 *      limit it is discarded and the request is answered 413;
 *   3. last call: dispatch(): content type, credentials, body spec,
 *      handler, reply. A handler runs only after everything it depends on
 *      has been checked, with a database connection from the pool that is
 *      taken here and given back as soon as the handler returns. A read
 *      runs on the worker thread; a write is queued for the one writer
 *      thread, its connection suspended until it ran, then on_request is
 *      called again and replies: workers never wait for the write lock.
 *
 * Shutdown: http_server_stop quiesces the daemon (no new connections),
 * waits until the requests in flight have completed (a counter under
 * lock, decremented by the completion callback), then stops the threads
 * and closes the store pool.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <systemd/sd-journal.h>

#include "core/errors.h"
#include "core/num.h"
#include "core/strbuf.h"
#include "gov/people/people.h"
#include "gov/lot/lot.h"
#include "store/store.h"
#include "assets.h"
#include "conntrack.h"
#include "events.h"
#include "http.h"
#include "ratelimit.h"
#include "request.h"
#include "server.h"
#include "spec.h"
#include "wire.h"
#include "workq.h"
#include "banned.h"

/* Every response carries these. The policy allows no inline script or
 * style and no framing: see docs/security.md. */
static const struct {
	const char *name, *value;
} security_headers[] = {
	{ "Content-Security-Policy",
	  "default-src 'self'; script-src 'self'; style-src 'self'; "
	  "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
	  "object-src 'none'; base-uri 'none'; form-action 'self'; "
	  "frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Frame-Options", "DENY" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A request as the server keeps it: what handlers see, plus the body. */
struct conn_req {
	struct http_req req; /* first: handlers get &cr->req */
	struct strbuf body;
	const char *raw;     /* the request target as sent (percent-encoded) */
	int begun;           /* on_request has seen the head */
	int too_large;
	int large;           /* counted in srv->large_bodies */
	int64_t large_account; /* counted in srv->large_by, or 0 */
	int is_asset;        /* a GET/HEAD outside /api/ */
	int written;         /* the writer thread ran it: write_rc */
	int write_rc;
	struct conn_req *write_next;
	uint64_t id;         /* its number since the server started (logs) */
	int64_t started_us;  /* when its request line arrived */
	int sent;            /* the status of the reply queued, 0: none */
};

static const struct spec_field no_fields[] = { SPEC_END };

/* What the route table answers: the API, and the places other servers
 * of the fediverse look for (api_nodes.c); the rest is the web pages. */
static int is_api(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api") ||
	       !strncmp(path, "/.well-known/", 13) || !strncmp(path, "/nodeinfo/", 10) ||
	       !strncmp(path, "/bodies/", 8) || !strncmp(path, "/people/", 8) ||
	       !strcmp(path, "/inbox") || !strcmp(path, "/actor");
}

static int changes_state(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* "application/json", optionally with parameters ("; charset=utf-8"). */
static int content_type_is_json(const char *ct)
{
	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	/* and the types of ActivityStreams, which other nodes send to an
	 * inbox: no more a form's than JSON is */
	static const char *const wants[] = { "application/json",
					     "application/activity+json",
					     "application/ld+json" };
	size_t n = 0;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]) && !n; i++)
		if (!strncasecmp(ct, wants[i], strlen(wants[i])))
			n = strlen(wants[i]);
	if (!n)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* The address of sa as the rate limits count it: an IPv4 address as text,
 * an IPv6 address by its /64 (one customer usually holds a whole /64), an
 * IPv4-mapped IPv6 address as IPv4. 0 when sa is no IP address. */
static int address_text(int family, const void *bytes, char *buf, size_t size)
{
	if (family == AF_INET)
		return inet_ntop(AF_INET, bytes, buf, (socklen_t)size) != NULL;
	if (family != AF_INET6)
		return 0;
	struct in6_addr a;
	memcpy(&a, bytes, sizeof(a));
	if (IN6_IS_ADDR_V4MAPPED(&a))
		return inet_ntop(AF_INET, &a.s6_addr[12], buf, (socklen_t)size) != NULL;
	memset(&a.s6_addr[8], 0, 8);
	if (size < 4 || !inet_ntop(AF_INET6, &a, buf, (socklen_t)(size - 4)))
		return 0;
	size_t l = strlen(buf);
	memcpy(buf + l, "/64", 4);
	return 1;
}

/* The family and bytes of sa's address, or 0. */
static int sockaddr_bytes(const struct sockaddr *sa, const void **bytes)
{
	if (sa && sa->sa_family == AF_INET) {
		*bytes = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		return AF_INET;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			*bytes = &a->s6_addr[12];
			return AF_INET;
		}
		*bytes = a;
		return AF_INET6;
	}
	return 0;
}

/* Whether sa is the trusted reverse proxy. */
static int from_proxy(const struct http_server *srv, const struct sockaddr *sa)
{
	const void *bytes = NULL;
	int family = sockaddr_bytes(sa, &bytes);
	return srv->proxy_family && family == srv->proxy_family &&
	       !memcmp(bytes, srv->proxy_addr, family == AF_INET ? 4 : 16);
}

/* The client the proxy saw: the last address of X-Forwarded-For (the one
 * the proxy itself wrote; those before it are the client's own claims).
 * 0 when there is none, or it is no address. */
static int forwarded_for(struct http_req *req, char *buf, size_t size)
{
	const char *xff = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						      "X-Forwarded-For");
	if (!xff)
		return 0;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	char text[INET6_ADDRSTRLEN + 1];
	size_t n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof(text))
		return 0;
	memcpy(text, last, n);
	text[n] = '\0';
	unsigned char bytes[16];
	if (inet_pton(AF_INET, text, bytes) == 1)
		return address_text(AF_INET, bytes, buf, size);
	if (inet_pton(AF_INET6, text, bytes) == 1)
		return address_text(AF_INET6, bytes, buf, size);
	return 0;
}

static void client_address(struct http_req *req)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN + 8] = "unknown";
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const void *bytes = NULL;
	int family = sockaddr_bytes(sa, &bytes);
	/* behind the trusted proxy the client is who it says it saw; a
	 * request from anyone else is counted by its own address, whatever
	 * headers it sends */
	if (!(from_proxy(req->srv, sa) && forwarded_for(req, buf, sizeof(buf))) &&
	    !(family && address_text(family, bytes, buf, sizeof(buf))))
		snprintf(buf, sizeof(buf), "unknown");
	req->client = arena_strdup(&req->arena, buf);
	if (!req->client)
		req->client = "unknown";
}

static void credentials(struct http_req *req)
{
	const char *auth = MHD_lookup_connection_value(
		req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth && !strncasecmp(auth, "Bearer ", 7)) {
		const char *t = auth + 7;
		while (*t == ' ')
			t++;
		req->cred = CRED_BEARER;
		req->token = t;
		return;
	}
	const char *cookie = MHD_lookup_connection_value(
		req->conn, MHD_COOKIE_KIND, "pnyx_session");
	if (cookie && *cookie) {
		req->cred = CRED_COOKIE;
		req->token = cookie;
	}
}

/* ---- replies ---------------------------------------------------------- */

void server_common_headers(struct MHD_Response *resp)
{
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i].name,
					security_headers[i].value);
}

static void add_common_headers(struct http_server *srv,
			       struct MHD_Response *resp, int status)
{
	server_common_headers(resp);
	/* A refusal for lack of room (503) gives its connection back at
	 * once rather than holding it idle; so does a server stopping. */
	if (atomic_load(&srv->stopping) || status == 503)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
					"close");
}

/* One line per request (--log-level info), when its reply is queued (or
 * when it ends unanswered): its number, method, route (the pattern, so no
 * ids, query or body: never a ballot, a password or a token), status and
 * the time to its reply. Under systemd (JOURNAL_STREAM set) as
 * structured fields of the journal; else a line on stderr. */
static void log_request(const struct conn_req *cr, const char *end)
{
	const struct http_req *req = &cr->req;
	const char *route = req->route ? req->route->pattern
			    : cr->is_asset ? "(web-page)" : "(no-route)";
	const char *method = req->method ? req->method : "?";
	double ms = (double)(mono_us() - cr->started_us) / 1000.0;
	if (req->srv->journald) {
		sd_journal_send("MESSAGE=%s %s %d %.1f ms", method, route, cr->sent, ms,
				"PRIORITY=%d", cr->sent >= 500 ? 3 : 6,
				"PNYX_REQUEST_ID=%llu", (unsigned long long)cr->id,
				"PNYX_METHOD=%s", method, "PNYX_ROUTE=%s", route,
				"PNYX_STATUS=%d", cr->sent, "PNYX_DURATION_MS=%.3f", ms,
				"PNYX_END=%s", end, NULL);
		return;
	}
	fprintf(stderr, "pnyx serve: request id=%llu method=%s route=%s status=%d"
		" ms=%.1f end=\"%s\"\n", (unsigned long long)cr->id, method, route,
		cr->sent, ms, end);
}

static enum MHD_Result queue(struct http_req *req, int status,
			     struct MHD_Response *resp)
{
	if (!resp)
		return MHD_NO;
	add_common_headers(req->srv, resp, status);
	struct conn_req *cr = (struct conn_req *)(void *)req; /* req is its first member */
	char rid[24];
	snprintf(rid, sizeof(rid), "%llu", (unsigned long long)cr->id);
	MHD_add_response_header(resp, "X-Request-Id", rid);
	cr->sent = status;
	if (req->srv->log_requests)
		log_request(cr, "replied");
	for (size_t i = 0; i < req->nheaders; i++)
		MHD_add_response_header(resp, req->headers[i].name,
					req->headers[i].value);
	enum MHD_Result r = wire_queue(req->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result send_json(struct http_req *req, int status,
				 const json_t *body)
{
	struct MHD_Response *resp;
	if (body) {
		char *text = json_dumps(body, JSON_COMPACT);
		if (!text) {
			static const char oom[] =
				"{\"error\":{\"code\":\"nomem\",\"message\":"
				"\"out of memory\",\"field\":null}}";
			status = 500;
			resp = MHD_create_response_from_buffer(
				sizeof(oom) - 1, (void *)oom,
				MHD_RESPMEM_PERSISTENT);
		} else {
			resp = MHD_create_response_from_buffer(
				strlen(text), text, MHD_RESPMEM_MUST_FREE);
			if (!resp)
				free(text);
		}
	} else {
		resp = MHD_create_response_from_buffer(0, NULL,
						       MHD_RESPMEM_PERSISTENT);
	}
	if (resp) {
		if (body)
			MHD_add_response_header(resp,
						MHD_HTTP_HEADER_CONTENT_TYPE,
						"application/json");
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
					"no-store");
	}
	return queue(req, status, resp);
}

static enum MHD_Result send_text(struct http_req *req)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		req->text_len ? req->text_len : strlen(req->text), (void *)req->text,
		MHD_RESPMEM_MUST_COPY);
	if (resp) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					req->text_type);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
					"no-store");
	}
	return queue(req, req->status, resp);
}

static enum MHD_Result send_error(struct http_req *req);

static enum MHD_Result send_stream(struct http_req *req)
{
	struct MHD_Response *resp = events_stream(req->srv->events, req->conn,
						  (enum events_topic)req->stream_topic,
						  req->stream_id,
						  MHD_lookup_connection_value(
							  req->conn, MHD_HEADER_KIND,
							  "Last-Event-ID"));
	if (!resp) {
		px_fail(&req->err, PX_E_BUSY, NULL, "no room for a live stream now; try again");
		return send_error(req);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* a reverse proxy (nginx) passes each event on at once */
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return queue(req, 200, resp);
}

static enum MHD_Result send_error(struct http_req *req)
{
	int status = px_code_status(req->err.code);
	const char *db = req->db_error;
	/* Busy: another connection held the database past the store's bounded
	 * wait (store.c, STORE_WAIT_MS); nothing was done, and the client may
	 * simply try again. */
	if (req->err.code == PX_E_BUSY)
		http_header(req, "Retry-After", HTTP_BUSY_RETRY_AFTER);
	if (status >= 500)
		fprintf(stderr, "pnyx serve: %s %s: %s: %s%s%s%s\n", req->method,
			req->path, px_code_name(req->err.code),
			px_error_message(&req->err), *db ? " (" : "", db, *db ? ")" : "");
	json_t *body = arena_json(&req->arena, http_error_json(&req->err, http_lang(req)));
	return send_json(req, status, body);
}

/* The registry's message of code, in the request's language; a message
 * of its own goes through px_fail with its format, so that it is
 * translated too. */
static enum MHD_Result fail(struct http_req *req, int code, const char *field)
{
	px_fail(&req->err, code, field, NULL);
	return send_error(req);
}

/* A browser finding its way (it asks for HTML first) gets a page it can
 * show; scripts and programs keep the JSON error. */
static int wants_html(struct http_req *req)
{
	const char *accept = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);
	return accept && !strncmp(accept, "text/html", 9);
}

/* The pages about one thing, named in their address: a page about
 * something that does not exist is still served (it says so, in words)
 * but with status 404, as an unknown address is. Without the parameter
 * the page names nothing to look up, and is served as it is. A page may
 * have rows for several subjects (an assembly, then one of its laws): each
 * whose parameters are given must exist. */
static const struct {
	const char *path, *param, *param2;
	enum gov_subject what;
} subject_pages[] = {
	{ "/meeting.html", "id", NULL, GOV_SUBJECT_MEETING },
	{ "/projector.html", "id", NULL, GOV_SUBJECT_MEETING },
	{ "/motion.html", "id", NULL, GOV_SUBJECT_MOTION },
	{ "/proposal.html", "id", NULL, GOV_SUBJECT_PROPOSAL },
	{ "/assembly.html", "slug", NULL, GOV_SUBJECT_BODY },
	{ "/laws.html", "slug", NULL, GOV_SUBJECT_BODY },
	{ "/laws.html", "slug", "law", GOV_SUBJECT_LAW },
	{ "/community.html", "slug", NULL, GOV_SUBJECT_COMMUNITY },
	{ "/polity.html", "slug", NULL, GOV_SUBJECT_POLITY },
	{ "/renewal.html", "id", NULL, GOV_SUBJECT_RENEWAL },
	{ "/case.html", "id", NULL, GOV_SUBJECT_CASE },
	{ "/enterprise.html", "slug", NULL, GOV_SUBJECT_ENTERPRISE },
	{ "/enterprise.html", "community", NULL, GOV_SUBJECT_COMMUNITY },
	{ "/standing.html", "assembly", NULL, GOV_SUBJECT_LOCAL },
	{ "/militia.html", "slug", NULL, GOV_SUBJECT_MILITIA },
	{ "/sharing.html", "economy", NULL, GOV_SUBJECT_ECONOMY },
	{ "/economy.html", "assembly", NULL, GOV_SUBJECT_LOCAL },
};

struct subject_check {
	enum gov_subject what;
	const char *key, *key2;
	int yes;
};

static int subject_read(struct store *db, void *arg)
{
	struct subject_check *c = arg;
	struct gov_ctx ctx = { .db = db };
	return gov_subject_exists(&ctx, c->what, c->key, c->key2, &c->yes);
}

/* 1 when req asks for a page about something that does not exist. */
static int subject_missing(struct http_req *req)
{
	for (size_t i = 0; i < sizeof(subject_pages) / sizeof(subject_pages[0]); i++) {
		if (strcmp(req->path, subject_pages[i].path))
			continue;
		struct subject_check c = { subject_pages[i].what,
			MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
						    subject_pages[i].param), NULL, 0 };
		if (subject_pages[i].param2)
			c.key2 = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
							     subject_pages[i].param2);
		if (!c.key || (subject_pages[i].param2 && !c.key2))
			continue;
		struct store *db = store_pool_get(req->srv->pool);
		int rc = store_read(db, subject_read, &c);
		store_pool_put(req->srv->pool, db);
		/* a database that cannot answer does not make a page missing */
		if (!rc && !c.yes)
			return 1;
	}
	return 0;
}

static enum MHD_Result send_asset(struct http_req *req)
{
	struct http_server *srv = req->srv;
	struct asset a = { 0 };
	int status = 200, gzip = 0;
	int rc = asset_find(srv->web_dir, req->path, &req->arena, &a);
	if (rc == PX_E_NOT_FOUND && wants_html(req) &&
	    !asset_find(srv->web_dir, "/404.html", &req->arena, &a))
		rc = 0, status = 404;
	else if (!rc && subject_missing(req))
		status = 404;
	if (rc)
		return fail(req, rc, NULL);
	struct MHD_Response *resp;
	if (a.fd >= 0) {
		/* MHD owns the descriptor from here, also on failure. */
		resp = MHD_create_response_from_fd((uint64_t)a.len, a.fd);
		if (!resp)
			close(a.fd);
	} else if (a.gz && asset_accepts_gzip(MHD_lookup_connection_value(req->conn,
			MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
		gzip = 1;
		resp = MHD_create_response_from_buffer(
			a.gz_len, (void *)a.gz, MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_buffer(
			a.len, (void *)a.data, MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	if (gzip)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (a.gz)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, a.mime);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-cache");
	return queue(req, status, resp);
}

/* ---- dispatch --------------------------------------------------------- */

/* Sign the caller in from the presented token, as the route's auth level
 * asks. Returns 0 or PX_E_UNAUTHENTICATED. */
static int authenticate(struct http_req *req)
{
	enum http_auth level = req->route->auth;
	if (level == AUTH_NONE)
		return 0;
	if (req->token) {
		int rc = gov_session_lookup(&req->ctx, req->token);
		if (!rc)
			return 0;
		if (rc != PX_E_UNAUTHENTICATED) /* the database failed, not the token */
			return px_fail(&req->err, rc, NULL, NULL);
		req->ctx.account_id = 0;
		req->ctx.handle[0] = '\0';
		/* A stale cookie on a page anyone may see is not an error;
		 * a script's wrong token is. */
		if (level == AUTH_OPTIONAL && req->cred == CRED_COOKIE)
			return 0;
		return px_fail(&req->err, PX_E_UNAUTHENTICATED, NULL,
			       "the session is unknown or has expired; "
			       "sign in again");
	}
	if (level == AUTH_REQUIRED)
		return px_fail(&req->err, PX_E_UNAUTHENTICATED, NULL, NULL);
	return 0;
}

/* Validate the body against the route's spec into a fresh struct. */
static int parse_body(struct conn_req *cr, void **in)
{
	struct http_req *req = &cr->req;
	const struct body_spec *spec = req->route->body;
	*in = NULL;
	if (!spec) {
		/* A route without a body takes none, or an empty object. */
		if (cr->body.len == 0)
			return 0;
		json_t *root;
		int rc = spec_parse(no_fields, cr->body.buf, cr->body.len,
				    NULL, &root, &req->err);
		arena_json(&req->arena, root);
		return rc;
	}
	if (cr->body.len == 0 && !req->route->body_optional)
		return px_fail(&req->err, PX_E_BAD_JSON, NULL,
			       "this route takes a JSON object as its body");
	void *dest = arena_alloc(&req->arena, spec->size);
	if (!dest)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	if (cr->body.len == 0) {
		memset(dest, 0, spec->size);
		*in = dest;
		return 0;
	}
	json_t *root;
	int rc = spec_parse(spec->fields, cr->body.buf, cr->body.len, dest,
			    &root, &req->err);
	/* The arena keeps root alive: values in dest and err->field point
	 * into it. */
	arena_json(&req->arena, root);
	if (!rc)
		*in = dest;
	return rc;
}

/* Sign in, parse the body and run the route's handler. */
static int handle(struct store *db, void *arg)
{
	struct conn_req *cr = arg;
	struct http_req *req = &cr->req;
	void *in = NULL;
	(void)db; /* the handler reads req->ctx.db, which is db */
	px_error_clear(&req->err); /* a busy read runs this again */
	int rc = authenticate(req);
	/* a route that reads the bytes as sent (an inbox checks their
	 * signature) parses them itself */
	req->body = cr->body.buf;
	req->body_len = cr->body.len;
	req->target = cr->raw;
	if (!rc && !req->route->raw_body)
		rc = parse_body(cr, &in);
	if (!rc) {
		req->status = 200;
		rc = req->route->handler(req, in);
		if (rc && req->err.code != rc)
			px_fail(&req->err, rc, req->err.field, NULL);
	}
	return rc;
}

/* The answer of work done by a worker (workq.h), once it is finished. */
static enum MHD_Result finish_deferred(struct conn_req *cr)
{
	struct http_req *req = &cr->req;
	struct workq_job *job = req->deferred;
	json_t *reply = NULL;
	struct px_error err = { 0 };
	enum workq_outcome o = workq_result(job, &reply, &err);
	workq_release(req->srv->tallies, job);
	req->deferred = NULL;
	if (o == WORKQ_EXPIRED) {
		http_too_many(req, TALLY_RETRY_AFTER, NULL,
			      "the counts before this one took too long");
		return send_error(req);
	}
	if (o == WORKQ_STOPPED) {
		px_fail(&req->err, PX_E_OVERLOADED, NULL, "the server is stopping");
		return send_error(req);
	}
	if (!reply) {
		req->err = err;
		if (!req->err.code)
			px_fail(&req->err, PX_E_INTERNAL, NULL, NULL);
		return send_error(req);
	}
	return send_json(req, 200, arena_json(&req->arena, reply));
}

/* The handler handed its work to a worker: suspend the connection until
 * it is done (the worker resumes it, and libmicrohttpd calls on_request
 * again), unless it is done already. */
static enum MHD_Result defer(struct conn_req *cr)
{
	if (workq_hold(cr->req.srv->tallies, cr->req.deferred))
		return MHD_YES;
	return finish_deferred(cr);
}

/* The reply to a request whose handler returned rc. */
static enum MHD_Result reply(struct conn_req *cr, int rc)
{
	struct http_req *req = &cr->req;
	if (!rc && changes_state(req->method))
		events_changed(req->srv->events);
	if (rc)
		return send_error(req);
	if (req->deferred)
		return defer(cr);
	if (req->stream_id)
		return send_stream(req);
	if (req->text)
		return send_text(req);
	return send_json(req, req->status, req->reply);
}

/* Run the handler with a database connection of the pool: a GET or HEAD
 * as one read transaction (the whole reply from one snapshot, and nothing
 * in it can write: docs/security.md), a write as it is. */
static int run(struct conn_req *cr)
{
	struct http_req *req = &cr->req;
	struct http_server *srv = req->srv;
	struct store *db = store_pool_get(srv->pool);
	req->ctx.db = db;
	/* the wall's time, or a controlled clock's (simulation and tests) */
	req->ctx.now = lot_clock_now(db, (int64_t)time(NULL));
	/* a read writes its words (a result, why a vote cannot open) in the
	 * request's language */
	req->ctx.lang = http_lang(req);
	req->ctx.password_cost = srv->password_cost;
	int rc = changes_state(req->method) ? handle(db, cr)
					    : store_read(db, handle, cr);
	if (rc && req->err.code != rc)
		px_fail(&req->err, rc, req->err.field, NULL);
	/* the log says what SQLite said, which the store kept for it */
	if (rc)
		snprintf(req->db_error, sizeof(req->db_error), "%s", store_errmsg(db));
	store_pool_put(srv->pool, db);
	req->ctx.db = NULL;
	return rc;
}

/* The writer thread: the queued writes in order of arrival, each on its
 * own connection's request; then the connection is resumed, and
 * on_request, called again, replies. It ends when told to and the queue
 * is empty: an accepted write is always run. */
static void *writer_main(void *arg)
{
	struct http_server *srv = arg;
	pthread_mutex_lock(&srv->lock);
	for (;;) {
		while (!srv->write_head && !srv->writer_stop)
			pthread_cond_wait(&srv->writes, &srv->lock);
		struct conn_req *cr = srv->write_head;
		if (!cr)
			break;
		srv->write_head = cr->write_next;
		if (!srv->write_head)
			srv->write_tail = NULL;
		pthread_mutex_unlock(&srv->lock);
		cr->write_rc = run(cr);
		cr->written = 1;
		MHD_resume_connection(cr->req.conn);
		pthread_mutex_lock(&srv->lock);
	}
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

static void writer_join(struct http_server *srv)
{
	pthread_mutex_lock(&srv->lock);
	int started = srv->writer_started;
	srv->writer_stop = 1;
	srv->writer_started = 0;
	pthread_cond_broadcast(&srv->writes);
	pthread_mutex_unlock(&srv->lock);
	if (started)
		pthread_join(srv->writer, NULL);
}

static enum MHD_Result dispatch(struct conn_req *cr)
{
	struct http_req *req = &cr->req;
	struct http_server *srv = req->srv;
	if (req->deferred) /* resumed: its work is done */
		return finish_deferred(cr);
	if (cr->written) /* back from the writer thread */
		return reply(cr, cr->write_rc);
	if (cr->too_large)
		return fail(req, PX_E_TOO_LARGE, NULL);
	if (cr->is_asset)
		return send_asset(req);

	credentials(req);
	/* Cross-site request forgery: a page on another site can make a
	 * browser send a form (urlencoded, multipart or text/plain) with our
	 * cookie, but not an application/json request without a CORS
	 * preflight, which we never grant. Scripts using a bearer token are
	 * not browsers acting on someone's behalf. See docs/security.md. */
	if (changes_state(req->method) && req->cred != CRED_BEARER) {
		const char *ct = MHD_lookup_connection_value(
			req->conn, MHD_HEADER_KIND,
			MHD_HTTP_HEADER_CONTENT_TYPE);
		if (!content_type_is_json(ct))
			return fail(req, PX_E_BAD_MEDIA_TYPE, NULL);
	}

	if (changes_state(req->method) && !req->route->on_worker) {
		MHD_suspend_connection(req->conn);
		pthread_mutex_lock(&srv->lock);
		if (srv->write_tail)
			srv->write_tail->write_next = cr;
		else
			srv->write_head = cr;
		srv->write_tail = cr;
		pthread_cond_signal(&srv->writes);
		pthread_mutex_unlock(&srv->lock);
		return MHD_YES;
	}
	return reply(cr, run(cr));
}

/* ---- libmicrohttpd callbacks ------------------------------------------ */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The request target as sent must be an absolute path whose escapes are
 * well formed and decode to no control character: libmicrohttpd hands
 * over the decoded path as a C string, so "/%00x" would arrive as "/".
 * No pnyx path has a control character. The query is not looked at. */
static int raw_path_sound(const char *raw)
{
	if (!raw || raw[0] != '/')
		return 0;
	for (const char *p = raw; *p && *p != '?'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x21 || c == 0x7f)
			return 0;
		if (c != '%')
			continue;
		int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
		if (hi < 0 || lo < 0)
			return 0;
		int v = hi * 16 + lo;
		if (v < 0x20 || v == 0x7f)
			return 0;
		p += 2;
	}
	return 1;
}

/* ---- large bodies: a few at a time, and few per account ---------------- */

static int session_of(struct store *db, void *arg)
{
	struct http_req *req = arg;
	(void)db;
	return gov_session_lookup(&req->ctx, req->token);
}

/* The account a large request is sent by, from its credentials, before
 * its body is read: none, or unknown, is 401 at once (the body is never
 * taken in); the request's own sign-in still happens once it is in. */
static int large_sender(struct http_req *req, int64_t *who)
{
	credentials(req);
	if (!req->token)
		return px_fail(&req->err, PX_E_UNAUTHENTICATED, NULL, NULL);
	struct store *db = store_pool_get(req->srv->pool);
	req->ctx.db = db;
	req->ctx.now = lot_clock_now(db, (int64_t)time(NULL));
	int rc = store_read(db, session_of, req);
	store_pool_put(req->srv->pool, db);
	req->ctx.db = NULL;
	*who = req->ctx.account_id;
	req->ctx.account_id = 0;
	req->ctx.handle[0] = '\0';
	if (rc == PX_E_UNAUTHENTICATED)
		return px_fail(&req->err, rc, NULL, "the session is unknown or has "
			       "expired; sign in again");
	if (rc)
		return px_fail(&req->err, rc, NULL, NULL);
	return 0;
}

/* Count one more large request for the account: 0 when it already sends
 * LARGE_BODIES_PER_ACCOUNT. Called with a place taken in large_bodies, so
 * fewer than LARGE_BODIES others are counted: a slot is free. */
static int large_by_take(struct http_server *srv, int64_t who)
{
	int ok = 0;
	pthread_mutex_lock(&srv->lock);
	int at = -1, free_slot = -1;
	for (int i = 0; i < LARGE_BODIES; i++) {
		if (srv->large_by[i].n && srv->large_by[i].account == who)
			at = i;
		else if (!srv->large_by[i].n && free_slot < 0)
			free_slot = i;
	}
	if (at < 0 && free_slot >= 0) {
		at = free_slot;
		srv->large_by[at].account = who;
	}
	if (at >= 0 && srv->large_by[at].n < LARGE_BODIES_PER_ACCOUNT) {
		srv->large_by[at].n++;
		ok = 1;
	}
	pthread_mutex_unlock(&srv->lock);
	return ok;
}

static void large_by_give(struct http_server *srv, int64_t who)
{
	if (!who)
		return;
	pthread_mutex_lock(&srv->lock);
	for (int i = 0; i < LARGE_BODIES; i++)
		if (srv->large_by[i].n && srv->large_by[i].account == who) {
			srv->large_by[i].n--;
			break;
		}
	pthread_mutex_unlock(&srv->lock);
}

/* First call: route the request and answer what can be answered before
 * reading the body. Returns 1 when a reply was queued. */
static int begin(struct conn_req *cr, enum MHD_Result *ret)
{
	struct http_req *req = &cr->req;
	struct http_server *srv = req->srv;
	client_address(req);
	if (!raw_path_sound(cr->raw)) {
		*ret = fail(req, PX_E_NOT_FOUND, NULL);
		return 1;
	}
	if (!is_api(req->path)) {
		if (changes_state(req->method)) {
			http_header(req, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
			*ret = fail(req, PX_E_METHOD, NULL);
			return 1;
		}
		cr->is_asset = 1;
	} else {
		char allow[64];
		enum route_result m = router_match(srv->routes, req->method,
						   req->path, &req->route,
						   &req->params, allow,
						   sizeof(allow));
		if (m == ROUTE_NOT_FOUND) {
			*ret = fail(req, PX_E_NOT_FOUND, NULL);
			return 1;
		}
		if (m == ROUTE_METHOD) {
			http_header(req, MHD_HTTP_HEADER_ALLOW, allow);
			*ret = fail(req, PX_E_METHOD, NULL);
			return 1;
		}
	}
	/* a route may take more than the server's limit (its files), but only
	 * LARGE_BODIES such requests are received at a time: each may hold
	 * its whole limit in memory. One that must be signed in is signed in
	 * before its body: without a session it is refused (401) unread, and
	 * one account takes at most LARGE_BODIES_PER_ACCOUNT of the places
	 * (429), so that nobody holds them all (the request is signed in
	 * again once its body is in, like every request) */
	if (req->route && req->route->body_max > cr->body.max) {
		int64_t who = 0;
		if (req->route->auth == AUTH_REQUIRED) {
			int rc = large_sender(req, &who);
			if (rc) {
				*ret = send_error(req);
				return 1;
			}
		}
		if (atomic_fetch_add(&srv->large_bodies, 1) >= LARGE_BODIES) {
			atomic_fetch_sub(&srv->large_bodies, 1);
			http_header(req, "Retry-After", HTTP_BUSY_RETRY_AFTER);
			*ret = fail(req, PX_E_OVERLOADED, NULL);
			return 1;
		}
		if (who && !large_by_take(srv, who)) {
			atomic_fetch_sub(&srv->large_bodies, 1);
			http_header(req, "Retry-After", HTTP_BUSY_RETRY_AFTER);
			px_fail(&req->err, PX_E_RATE_LIMITED, NULL,
				"this account is already sending %d large requests; "
				"wait until one ends", LARGE_BODIES_PER_ACCOUNT);
			*ret = send_error(req);
			return 1;
		}
		cr->large_account = who;
		cr->large = 1;
		cr->body.max = req->route->body_max;
	}
	const char *cl = MHD_lookup_connection_value(
		req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t len;
	if (cl && !num_parse_u64(cl, UINT64_MAX, &len) &&
	    len > cr->body.max) {
		*ret = fail(req, PX_E_TOO_LARGE, NULL);
		return 1;
	}
	return 0;
}

/* The connection's deadline record (conntrack.h), or NULL. */
static struct conn_track *track_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Called by libmicrohttpd as soon as the request line is read, before
 * the headers, with the target as sent (still percent-encoded): what it
 * returns becomes the request's *con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *srv = cls;
	struct conn_req *cr = calloc(1, sizeof(*cr));
	if (!cr)
		return NULL;
	arena_init(&cr->req.arena, 0);
	sb_init(&cr->body, srv->body_max);
	cr->req.srv = srv;
	cr->req.conn = conn;
	cr->raw = arena_strdup(&cr->req.arena, uri);
	cr->id = atomic_fetch_add(&srv->requests, 1) + 1;
	cr->started_us = mono_us();
	return cr;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *srv = cls;
	struct conn_req *cr = *con_cls;
	if (!cr) /* on_uri found no memory */
		return MHD_NO;
	if (!cr->begun) {
		cr->begun = 1;
		conntrack_phase(srv->conns, track_of(conn), CONN_BODY);
		cr->req.method = arena_strdup(&cr->req.arena, method);
		cr->req.path = arena_strdup(&cr->req.arena, url);
		pthread_mutex_lock(&srv->lock);
		srv->in_flight++;
		pthread_mutex_unlock(&srv->lock);
		if (!cr->req.method || !cr->req.path || !cr->raw)
			return MHD_NO;
		enum MHD_Result ret;
		if (begin(cr, &ret))
			return ret;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cr->too_large &&
		    sb_add(&cr->body, upload, *upload_size)) {
			cr->too_large = 1;
			sb_release(&cr->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	conntrack_phase(srv->conns, track_of(conn), CONN_REPLY);
	return dispatch(cr);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct http_server *srv = cls;
	struct conn_req *cr = *con_cls;
	/* A kept-alive connection waits for its next request head. */
	conntrack_phase(srv->conns, track_of(conn), CONN_HEAD);
	if (!cr)
		return;
	*con_cls = NULL;
	if (srv->log_requests && cr->begun && !cr->sent) /* ended unanswered */
		log_request(cr, toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT ? "client gone"
				: toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN ? "shutdown"
				: toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? "timed out"
				: "unanswered");
	int begun = cr->begun;
	if (cr->large)
		atomic_fetch_sub(&srv->large_bodies, 1);
	large_by_give(srv, cr->large_account);
	if (cr->req.deferred) /* ended before its work's answer was sent */
		workq_release(srv->tallies, cr->req.deferred);
	sb_release(&cr->body);
	arena_release(&cr->req.arena);
	free(cr);
	if (!begun) /* refused before its head was complete */
		return;
	pthread_mutex_lock(&srv->lock);
	if (--srv->in_flight == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
}

/* libmicrohttpd's accept policy: refuse (close at once) a connection from
 * an address that holds its share already. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr,
				 socklen_t addrlen)
{
	(void)addrlen;
	struct http_server *srv = cls;
	/* the proxy carries everyone's connections: it limits them per
	 * client itself */
	if (from_proxy(srv, addr))
		return MHD_YES;
	return conntrack_admit(srv->conns, addr) ? MHD_YES : MHD_NO;
}

/* Connections start and end: keep their deadlines (conntrack.h). */
static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *srv = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ai = MHD_get_connection_info(
			conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context = ci ? conntrack_started(
					       srv->conns, ci->connect_fd,
					       ai ? ai->client_addr : NULL)
				     : NULL;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		conntrack_closed(srv->conns, *socket_context);
		*socket_context = NULL;
	}
}

/* ---- start and stop --------------------------------------------------- */

int http_parse_listen(const char *s, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	char host[256];
	const char *colon;
	size_t hl;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || end[1] != ':')
			return PX_E_BAD_INPUT;
		hl = (size_t)(end - s - 1);
		if (hl >= sizeof(host))
			return PX_E_BAD_INPUT;
		memcpy(host, s + 1, hl);
		colon = end + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return PX_E_BAD_INPUT;
		hl = (size_t)(colon - s);
		if (hl == 0 || hl >= sizeof(host) || memchr(s, ':', hl))
			return PX_E_BAD_INPUT;
		memcpy(host, s, hl);
	}
	host[hl] = '\0';
	int64_t port;
	if (num_parse_i64(colon + 1, 0, 65535, &port))
		return PX_E_BAD_INPUT;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(host, colon + 1, &hints, &res) || !res)
		return PX_E_BAD_INPUT;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void make_url(struct http_server *srv, const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN] = "";
	unsigned port = 0;
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	if (di)
		port = di->port;
	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  host, sizeof(host));
		snprintf(srv->url, sizeof(srv->url), "http://[%s]:%u/", host,
			 port);
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  host, sizeof(host));
		snprintf(srv->url, sizeof(srv->url), "http://%s:%u/", host,
			 port);
	}
}

/* libmicrohttpd's own messages, prefixed like every message of serve. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("pnyx serve: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void server_free(struct http_server *srv)
{
	if (!srv)
		return;
	writer_join(srv);
	workq_stop(srv->tallies); /* nothing when stopped already */
	workq_free(srv->tallies);
	events_free(srv->events);
	conntrack_free(srv->conns);
	store_pool_close(srv->pool);
	ratelimit_free(srv->by_pair);
	ratelimit_free(srv->by_handle);
	ratelimit_free(srv->by_address);
	ratelimit_free(srv->signups);
	ratelimit_free(srv->room_codes);
	ratelimit_free(srv->room_codes_by_address);
	ratelimit_free(srv->room_codes_by_meeting);
	ratelimit_free(srv->fedi_inbox);
	free(srv->web_dir);
	free(srv->insurance);
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->idle);
	pthread_cond_destroy(&srv->writes);
	free(srv);
}

int http_server_start(const struct http_options *o, struct http_server **out,
		      struct px_error *err)
{
	int rc = 0;
	*out = NULL;
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (http_parse_listen(o->listen, &ss, &sslen))
		return px_fail(err, PX_E_BAD_INPUT, "listen",
			       "--listen takes ADDR:PORT (e.g. "
			       "127.0.0.1:8080), not '%.100s'", o->listen);
	if (sodium_init() < 0)
		return px_fail(err, PX_E_INTERNAL, NULL,
			       "libsodium could not start");
	long bad = router_check_table(http_routes);
	if (bad >= 0)
		return px_fail(err, PX_E_INTERNAL, NULL,
			       "route table row %ld is malformed", bad);

	struct http_server *srv = calloc(1, sizeof(*srv));
	if (!srv)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	pthread_cond_init(&srv->writes, NULL);
	srv->routes = http_routes;
	srv->secure_cookies = o->secure_cookies;
	srv->log_requests = o->log_requests;
	srv->password_cost = o->password_cost;
	srv->peer_public_only = o->peer_public_only;
	srv->authorized_fetch = o->authorized_fetch;
	if (o->public_url)
		snprintf(srv->public_url, sizeof(srv->public_url), "%s", o->public_url);
	/* systemd connects stderr to the journal and says so in JOURNAL_STREAM */
	srv->journald = getenv("JOURNAL_STREAM") != NULL;
	if (o->trusted_proxy) {
		if (inet_pton(AF_INET, o->trusted_proxy, srv->proxy_addr) == 1)
			srv->proxy_family = AF_INET;
		else if (inet_pton(AF_INET6, o->trusted_proxy, srv->proxy_addr) == 1)
			srv->proxy_family = AF_INET6;
		else {
			rc = px_fail(err, PX_E_BAD_INPUT, "trusted-proxy", "trusted-proxy: not an"
				     " IPv4 or IPv6 address: %s", o->trusted_proxy);
			goto out;
		}
	}
	srv->mail = o->mail;
	srv->body_max = o->body_max ? o->body_max : HTTP_BODY_MAX_DEFAULT;
	unsigned threads = o->threads ? o->threads : 4;
	unsigned max_conns = o->max_connections ? o->max_connections
						: HTTP_MAX_CONNECTIONS_DEFAULT;
	unsigned per_address = o->max_per_address ? o->max_per_address
						  : HTTP_MAX_PER_ADDRESS_DEFAULT;
	if (per_address > max_conns)
		per_address = max_conns;

	if (o->web_dir) {
		char real[PATH_MAX];
		if (!realpath(o->web_dir, real)) {
			rc = px_fail(err, PX_E_BAD_INPUT, "web-dir",
				     "%.100s: %s", o->web_dir,
				     strerror(errno));
			goto out;
		}
		srv->web_dir = strdup(real);
		if (!srv->web_dir) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
	}
	if (o->insurance && !(srv->insurance = strdup(o->insurance))) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	srv->by_pair = ratelimit_new(1024, SIGNIN_LIMIT_PAIR,
				     SIGNIN_WINDOW_SECONDS);
	srv->by_handle = ratelimit_new(1024, SIGNIN_LIMIT_HANDLE,
				       SIGNIN_HANDLE_WINDOW_SECONDS);
	srv->by_address = ratelimit_new(1024, SIGNIN_LIMIT_ADDRESS,
					SIGNIN_WINDOW_SECONDS);
	srv->signups = ratelimit_new(1024, o->signups_per_hour
				     ? o->signups_per_hour
				     : HTTP_SIGNUPS_PER_HOUR_DEFAULT,
				     SIGNUP_WINDOW_SECONDS);
	srv->room_codes = ratelimit_new(1024, ROOM_CODE_TRIES, ROOM_CODE_WINDOW_SECONDS);
	srv->room_codes_by_address = ratelimit_new(
		1024, ROOM_CODE_ADDRESS_TRIES, ROOM_CODE_WIDE_WINDOW_SECONDS);
	srv->room_codes_by_meeting = ratelimit_new(
		256, ROOM_CODE_MEETING_TRIES, ROOM_CODE_WIDE_WINDOW_SECONDS);
	srv->fedi_inbox = ratelimit_new(256, FEDI_INBOX_LIMIT, FEDI_INBOX_WINDOW_SECONDS);
	if (!srv->by_pair || !srv->by_handle || !srv->by_address ||
	    !srv->signups || !srv->room_codes || !srv->room_codes_by_address ||
	    !srv->room_codes_by_meeting || !srv->fedi_inbox) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	/* a connection per worker, and one each for the writer thread and
	 * the event hub's publisher */
	rc = store_pool_open(o->db_path, threads + 2, &srv->pool, err);
	if (rc)
		goto out;
	if (pthread_create(&srv->writer, NULL, writer_main, srv)) {
		rc = px_fail(err, PX_E_NOMEM, NULL, "cannot start the writer thread");
		goto out;
	}
	srv->writer_started = 1;
	/* Streams take at most nine connections in ten: the rest stay for
	 * the requests that vote, check in and read while they are open. */
	if (!(srv->events = events_new(srv->pool, max_conns - max_conns / 10))) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (!(srv->conns = conntrack_new(HTTP_HEAD_SECONDS, HTTP_BODY_SECONDS,
					 per_address))) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}

	/* jansson seeds its hash function on first use; do it before the
	 * worker threads race to. */
	json_object_seed(0);
	srv->tally_work = o->tally_work > 0 ? o->tally_work : HTTP_TALLY_WORK_DEFAULT;
	if (!(srv->tallies = workq_new(TALLY_WORKERS, TALLY_QUEUE_MAX,
				       TALLY_QUEUE_WAIT_MS))) {
		rc = px_fail(err, PX_E_NOMEM, NULL, "cannot start the counting workers");
		goto out;
	}
	/* poll(), not epoll: with epoll, quiescing races the workers that
	 * resumed streams wake (libmicrohttpd 0.9.75 then aborts with "Failed
	 * to remove listen FD from epoll set"); poll has no such shared set. */
	unsigned flags = MHD_USE_POLL | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->mhd = MHD_start_daemon(
		flags, 0, on_accept, srv, on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		/* idle connections; slow requests meet conntrack's deadlines */
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		/* over this limit, or the share of an address (on_accept), a
		 * connection is closed as soon as it is accepted, without a
		 * word: nothing of it is read */
		MHD_OPTION_CONNECTION_LIMIT, max_conns,
		MHD_OPTION_END);
	if (!srv->mhd) {
		rc = px_fail(err, PX_E_IO, "listen",
			     "cannot listen on %.100s (in use, or not an "
			     "address of this machine?)", o->listen);
		goto out;
	}
	make_url(srv, (const struct sockaddr *)&ss);
out:
	if (rc) {
		server_free(srv);
		return rc;
	}
	*out = srv;
	return 0;
}

const char *http_server_url(const struct http_server *s)
{
	return s->url;
}

long http_server_stop(struct http_server *srv, int timeout_ms)
{
	if (!srv)
		return 0;
	atomic_store(&srv->stopping, 1);
	/* live streams never end by themselves: end them first; counts
	 * waiting are answered, the running ones finish (each bounded) */
	events_shutdown(srv->events);
	workq_stop(srv->tallies);
	MHD_socket listen_fd = MHD_quiesce_daemon(srv->mhd);

	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&srv->lock);
	while (srv->in_flight > 0) {
		if (pthread_cond_timedwait(&srv->idle, &srv->lock,
					   &deadline) == ETIMEDOUT)
			break;
	}
	long left = srv->in_flight;
	pthread_mutex_unlock(&srv->lock);

	/* the writes accepted are run, and their connections resumed, before
	 * the daemon stops */
	writer_join(srv);
	MHD_stop_daemon(srv->mhd);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	server_free(srv);
	return left;
}
