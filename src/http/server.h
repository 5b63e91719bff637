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

/* Sign-in limits: failures per handle and per client address within the
 * window. */
#define SIGNIN_LIMIT_HANDLE 5
/* Six digits, two codes valid at a time: a member gets this many tries
 * per meeting per window, so guessing from home is hopeless. */
#define ROOM_CODE_TRIES 5
#define ROOM_CODE_WINDOW_SECONDS 600
#define SIGNIN_LIMIT_ADDRESS 20
#define SIGNIN_WINDOW_SECONDS (15 * 60)

struct http_server {
	struct MHD_Daemon *mhd;
	struct store_pool *pool;
	struct event_hub *events; /* live meeting streams (events.c) */
	struct ratelimit *by_handle;
	struct ratelimit *by_address;
	struct ratelimit *room_codes; /* wrong room codes per member and meeting */
	const struct route *routes;
	struct conntrack *conns;      /* request deadlines (conntrack.c) */
	char url[128];
	char *web_dir;      /* real path of --web-dir (malloc'd), or NULL */
	int secure_cookies;
	size_t body_max;

	pthread_mutex_t lock;
	pthread_cond_t idle; /* signalled when in_flight drops to 0 */
	long in_flight;      /* requests begun and not yet completed */
	atomic_int stopping; /* quiesced: answer with Connection: close;
			      * read by workers without the lock */
};

/* The route table, in routes.c, ended by a row with pattern NULL. */
extern const struct route http_routes[];

/* Add the security headers every response carries (server.c). */
void server_common_headers(struct MHD_Response *resp);

#endif
