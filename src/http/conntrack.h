/*
 * conntrack.h: deadlines for the connections of the server, so that a
 * client cannot hold a connection by sending its request slowly.
 *
 * libmicrohttpd closes a connection only after it has been idle for its
 * timeout, and every byte received restarts that clock: a client sending
 * one header byte every few seconds keeps a connection forever. The
 * tracker gives each request a deadline instead:
 *
 *   - HEAD: from the connection's start (or the end of its previous reply,
 *     on a kept-alive connection) until its request head is complete,
 *     at most head_seconds;
 *   - BODY: from the head until the body is complete, at most
 *     body_seconds;
 *   - REPLY: while the reply is sent (a live stream may last hours): no
 *     deadline here, libmicrohttpd's idle timeout applies.
 *
 * A sweeper thread looks once a second and shuts down (shutdown(2), never
 * close(2)) the socket of a connection past its deadline; libmicrohttpd
 * then sees the end of the stream and closes it as usual. The socket is
 * shut down under the tracker's lock, and a connection leaves the tracker
 * (conntrack_closed, from libmicrohttpd's notification, which comes before
 * the socket is closed) under the same lock, so the sweeper never touches
 * a descriptor that was closed and reused.
 *
 * It also counts the connections open from each address (an IPv4 address,
 * or the /64 of an IPv6 address, the block one customer usually holds),
 * so that the server's accept policy can refuse one more from an address
 * that has its share (conntrack_admit). Admission and the count are two
 * steps, so each worker thread may let one connection past the share at
 * the same moment: the cap holds within the number of threads.
 *
 * Ownership: conntrack_new allocates and starts the sweeper;
 * conntrack_free stops it and frees what is left. Each tracked connection
 * is a struct conn_track the tracker allocates in conntrack_started and
 * frees in conntrack_closed.
 */
#ifndef PNYX_HTTP_CONNTRACK_H
#define PNYX_HTTP_CONNTRACK_H

#include <stdint.h>
#include <sys/socket.h>

struct conntrack;
struct conn_track;

enum conn_phase {
	CONN_HEAD,  /* waiting for a request head */
	CONN_BODY,  /* head read, body arriving */
	CONN_REPLY, /* the request is complete: replying */
	CONN_CUT,   /* shut down by the sweeper */
};

/* NULL when out of memory or the thread cannot start. per_address: the
 * connections one address may hold (0: no limit). */
struct conntrack *conntrack_new(unsigned head_seconds, unsigned body_seconds,
				unsigned per_address);
void conntrack_free(struct conntrack *t);

/* Whether a connection from sa may begin: 1 while its address holds
 * fewer than per_address connections. */
int conntrack_admit(struct conntrack *t, const struct sockaddr *sa);

/* A connection from sa (may be NULL: not counted) began on socket fd;
 * NULL when out of memory (then the connection is simply not tracked). */
struct conn_track *conntrack_started(struct conntrack *t, int fd,
				     const struct sockaddr *sa);
/* It moves to phase (a NULL c is ignored). */
void conntrack_phase(struct conntrack *t, struct conn_track *c,
		     enum conn_phase phase);
/* It is about to be closed: forget and free c (NULL is ignored). */
void conntrack_closed(struct conntrack *t, struct conn_track *c);

/* Connections open from sa's address (its /64 for IPv6), for tests. */
unsigned conntrack_from(struct conntrack *t, const struct sockaddr *sa);

/* Connections shut down for missing a deadline so far (for tests and
 * logs). */
uint64_t conntrack_cut(struct conntrack *t);

#endif
