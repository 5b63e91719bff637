/*
 * server.h: the server's shared state, for the files of src/http only
 * (handlers reach it through req->srv). Everything here is set at start
 * and read-only afterwards, except the fields under lock and the rate
 * limiters, which guard themselves.
 */
#ifndef PNYX_HTTP_SERVER_H
#define PNYX_HTTP_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct MHD_Daemon;
struct MHD_Response;
struct conntrack;
struct store_pool;
struct ratelimit;
struct route;

/* Sign-in limits (docs/security.md): failed attempts on one handle from
 * one address, and from one address in all, within the window; and a
 * slower ceiling on one handle from everywhere, which it takes several
 * addresses to reach, so that a stranger cannot lock the owner out. */
/* Requests with a body past the server's limit (a route's body_max)
 * received at once: 8 of evidence's 8 MiB is 64 MiB at most. */
#define LARGE_BODIES 8
/* ... and of those, at most this many by one account at a time, so that
 * one account cannot hold every place. */
#define LARGE_BODIES_PER_ACCOUNT 2
#define SIGNIN_LIMIT_PAIR 5
#define SIGNIN_LIMIT_ADDRESS 20
#define SIGNIN_WINDOW_SECONDS (15 * 60)
#define SIGNIN_LIMIT_HANDLE 100
#define SIGNIN_HANDLE_WINDOW_SECONDS (60 * 60)
/* Eight digits, two codes valid at a time: a member gets this many tries
 * per meeting per window; an address this many per hour over all
 * meetings; a meeting this many wrong codes per hour from everyone, after
 * which codes are refused until the hour is over (the clerk can still
 * check members in). docs/security.md works out the odds. */
#define ROOM_CODE_TRIES 5
#define ROOM_CODE_WINDOW_SECONDS 600
#define ROOM_CODE_ADDRESS_TRIES 20
#define ROOM_CODE_MEETING_TRIES 50
#define ROOM_CODE_WIDE_WINDOW_SECONDS 3600
/* Anonymous counting (api_tally.c, workq.h): counts run on this many
 * threads of their own; at most this many wait, each at most this long,
 * else 429 with Retry-After (each count may do --tally-work units of
 * work, http.h). docs/security.md. */
#define TALLY_WORKERS 2
#define TALLY_QUEUE_MAX 8
#define TALLY_QUEUE_WAIT_MS 5000
#define TALLY_RETRY_AFTER 5
/* Retry-After, in seconds, of a 503 busy (the store waited its bound). */
#define HTTP_BUSY_RETRY_AFTER "2"
/* Follows and their Undo taken from one address in a minute
 * (api_follow.c): each costs a fetch of the sender's actor. */
#define FEDI_INBOX_LIMIT 300
#define FEDI_INBOX_WINDOW_SECONDS 60
/* The window of --signups-per-hour (http.h). */
#define SIGNUP_WINDOW_SECONDS 3600

struct conn_req;

struct http_server {
	struct MHD_Daemon *mhd;
	struct store_pool *pool;
	struct event_hub *events; /* live meeting streams (events.c) */
	struct ratelimit *by_pair;     /* sign-in: handle and address */
	struct ratelimit *by_handle;   /* sign-in: handle, from anywhere */
	struct ratelimit *by_address;  /* sign-in: address */
	struct ratelimit *signups;     /* accounts created per address */
	struct ratelimit *room_codes;  /* wrong room codes per member and meeting */
	struct ratelimit *room_codes_by_address;
	struct ratelimit *room_codes_by_meeting;
	struct ratelimit *fedi_inbox;  /* follows from the fediverse per address */
	const struct route *routes;
	struct conntrack *conns;      /* request deadlines (conntrack.c) */
	char url[128];
	char *web_dir;      /* real path of --web-dir (malloc'd), or NULL */
	int secure_cookies;
	int log_requests;    /* a line per request (http_options.log_requests) */
	int password_cost;   /* of passwords set or signed in with (http_options) */
	char public_url[512]; /* http_options.public_url, or "" */
	int peer_public_only; /* http_options.peer_public_only */
	int authorized_fetch; /* http_options.authorized_fetch */
	int journald;        /* stderr is the systemd journal: structured fields */
	atomic_ullong requests; /* requests begun: their numbers */
	/* the trusted reverse proxy (http_options.trusted_proxy): its family
	 * (AF_INET, AF_INET6; 0: none) and its address's bytes */
	int proxy_family;
	unsigned char proxy_addr[16];
	int mail;           /* --smtp given: mail is sent */
	char *insurance;    /* --insurance-file's text (malloc'd), or NULL */
	size_t body_max;
	/* requests whose route takes a body larger than body_max (evidence
	 * with its files) being received at once: at most LARGE_BODIES, so
	 * that a flood of them cannot take the server's memory */
	atomic_int large_bodies;
	/* the accounts sending them, and how many each (under lock) */
	struct { int64_t account; int n; } large_by[LARGE_BODIES];

	/* Requests that write run one after another on the writer thread
	 * (server.c), their connections suspended meanwhile: SQLite takes one
	 * writer at a time anyway, and the worker threads stay free to answer
	 * reads, health and live streams while votes queue. */
	pthread_t writer;
	int writer_started, writer_stop; /* under lock */
	pthread_cond_t writes;            /* signalled when one is queued */
	struct conn_req *write_head, *write_tail; /* under lock */

	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when in_flight drops to 0 */
	long in_flight;      /* requests begun and not yet completed */
	atomic_int stopping; /* quiesced: answer with Connection: close;
			      * read by workers without the lock */
	struct workq *tallies; /* anonymous counts (api_tally.c, workq.h) */
	int64_t tally_work;    /* the work bound of each (--tally-work) */
};

/* The route table, in routes.c, ended by a row with pattern NULL. */
extern const struct route http_routes[];

/* Add the security headers every response carries (server.c). */
void server_common_headers(struct MHD_Response *resp);

#endif
