/*
 * http.h: the pnyx HTTP server as the `serve` command sees it: start it
 * with options, learn its URL, stop it gracefully.
 *
 * Ownership: http_server_start allocates the server and opens the store
 * pool; http_server_stop stops and frees everything (the database is
 * closed cleanly when it returns).
 */
#ifndef PNYX_HTTP_H
#define PNYX_HTTP_H

#include <stddef.h>
#include <sys/socket.h>
#include "core/errors.h"

struct px_error;
struct http_server;

/* The largest legitimate body is a founding request with a statement of
 * 20,000 characters; in a script of 3-byte UTF-8 characters that is 60 KB
 * before JSON escapes, so 64 KiB would refuse real statements. */
#define HTTP_BODY_MAX_DEFAULT ((size_t)128 << 10)

/* Connections: at most this many open at once, and from one address (an
 * IPv4 address, or an IPv6 /64); see docs/security.md. */
#define HTTP_MAX_CONNECTIONS_DEFAULT 10000u
#define HTTP_MAX_PER_ADDRESS_DEFAULT 1000u
/* Accounts created from one address per hour: each is a permanent
 * journal entry. */
#define HTTP_SIGNUPS_PER_HOUR_DEFAULT 20u
/* The most work one anonymous count (POST /api/v1/tally) may do, in the
 * units of core/tally.h: about a second of CPU for the slowest method. */
#define HTTP_TALLY_WORK_DEFAULT 100000000LL
/* A request's head must arrive within this many seconds of the
 * connection's start (or of the previous reply), its body within this
 * many more. */
#define HTTP_HEAD_SECONDS 10u
#define HTTP_BODY_SECONDS 30u

struct http_options {
	const char *listen;  /* "ADDR:PORT" or "[V6ADDR]:PORT" */
	const char *db_path;
	const char *web_dir; /* serve web assets from here; NULL: embedded */
	unsigned threads;    /* worker threads, and database connections */
	int secure_cookies;  /* add Secure to the session cookie (TLS proxy) */
	int log_requests;    /* log every request: id, method, route, status, time */
	/* the address people reach the server at (--public-url), for what it
	 * tells them to run or open; NULL: the address it listens at */
	const char *public_url;
	/* peer-addresses = public: what the server fetches from other servers
	 * (a key, an actor) only from public addresses (outbound.h) */
	int peer_public_only;
	/* --authorized-fetch: the node's actor documents, outboxes, posts and
	 * followers are answered to signed GETs only (api_fetch_allowed) */
	int authorized_fetch;
	/* the reverse proxy's address (IPv4 or IPv6, as text), or NULL: a
	 * request from it is counted as from the last address of its
	 * X-Forwarded-For (the client the proxy saw), and it is exempt from
	 * the per-address connection limit (it carries everyone's) */
	const char *trusted_proxy;
	size_t body_max;     /* 0: HTTP_BODY_MAX_DEFAULT */
	unsigned max_connections; /* 0: HTTP_MAX_CONNECTIONS_DEFAULT */
	unsigned max_per_address; /* 0: HTTP_MAX_PER_ADDRESS_DEFAULT */
	unsigned signups_per_hour; /* accounts per address; 0: the default */
	int password_cost;         /* enum gov_password_cost */
	int64_t tally_work;  /* work per anonymous count; 0: the default */
	int mail;            /* mail is sent (--smtp): health says so */
	/* the statement of social insurance the deployment lists for its
	 * citizens (--insurance-file), shown to them; NULL: none */
	const char *insurance;
};

/* Start listening. The caller must already have blocked the signals it
 * waits for, so the server's threads inherit the mask. */
int http_server_start(const struct http_options *o, struct http_server **out,
		      struct px_error *err) PX_MUST_CHECK;

/* "http://127.0.0.1:8080/" */
const char *http_server_url(const struct http_server *s);

/* Stop accepting connections, let requests in flight finish (waiting at
 * most timeout_ms), stop the threads, close the database. Returns the
 * number of requests still unfinished at the deadline (0 normally). */
long http_server_stop(struct http_server *s, int timeout_ms);

/* Parse "ADDR:PORT" (ADDR: an IPv4 address, [an IPv6 address], or a
 * host name) into a socket address; 0 or PX_E_BAD_INPUT. */
int http_parse_listen(const char *s, struct sockaddr_storage *ss,
		      socklen_t *len);

#endif
