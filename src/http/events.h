/*
 * events.h: server-sent events for live meetings (attendance, the agenda,
 * the counts of a vote in progress), for the meeting page and the
 * projector view, and for proposals (their status as answers come in),
 * for the proposal page.
 *
 * A stream is a response produced by a callback. When it has nothing new
 * to say it suspends its connection (taking no thread) and waits in the
 * hub; every request that changed state wakes the waiting streams, which
 * read the meeting afresh from the database and send an event when what
 * they show has changed. The clock wakes them too, at the moment a meeting
 * they show opens or lapses by its time alone (no write says so). A
 * heartbeat wakes them every EVENTS_PING_SECONDS
 * so that dead connections are noticed and proxies keep the line open.
 *
 * Events: "event: meeting\ndata: JSON\n\n", the JSON being
 * {"meeting": (as GET /api/v1/meetings/{id}), "votes": [(as GET
 * /api/v1/motions/{id}/counts) for each motion being voted on]}; and
 * "event: proposal\ndata: JSON\n\n", the JSON as GET
 * /api/v1/proposals/{id}/status.
 *
 * Threads: events_changed() and events_shutdown() may be called from any
 * thread. The daemon must run with MHD_ALLOW_SUSPEND_RESUME, and
 * events_shutdown() must run before MHD_stop_daemon (it ends every
 * stream, resuming those that wait).
 */
#ifndef PNYX_HTTP_EVENTS_H
#define PNYX_HTTP_EVENTS_H

#include <stdint.h>

struct event_hub;
struct store_pool;
struct MHD_Connection;
struct MHD_Response;

enum events_topic { EVENTS_MEETING, EVENTS_PROPOSAL };

#define EVENTS_PING_SECONDS 15
#define EVENTS_MAX_STREAMS 512

/* NULL when out of memory. pool is borrowed: streams take a connection
 * from it only while they build an event. */
struct event_hub *events_new(struct store_pool *pool);
void events_free(struct event_hub *hub);

/* Something changed: wake every waiting stream. */
void events_changed(struct event_hub *hub);

/* End every stream (server stopping). */
void events_shutdown(struct event_hub *hub);

/* A new stream of the meeting or proposal id for conn, or NULL (too many
 * streams, or out of memory). */
struct MHD_Response *events_stream(struct event_hub *hub, struct MHD_Connection *conn,
				   enum events_topic topic, int64_t id);

#endif
