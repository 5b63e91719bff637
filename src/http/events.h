/*
 * events.h: server-sent events for live meetings (attendance, the agenda,
 * the counts of a vote in progress), for the meeting page and the
 * projector view, and for proposals (their status as answers come in),
 * for the proposal page.
 *
 * A topic is one meeting or one proposal that at least one stream
 * watches. Writes never touch the streams: a request that changed state
 * only counts a new version (events_changed) and signals the hub's
 * publisher thread. The publisher reads each watched topic afresh (one
 * read transaction, through src/gov, as a GET would), at most once every
 * EVENTS_BUILD_MS per topic, compares it with what it read last, and
 * appends what changed to the topic's ring as small events, each with an
 * id; then it wakes the topic's streams. So a burst of votes becomes at
 * most four updates a second, the last one always carrying the final
 * count, whatever the number of streams.
 *
 * A stream starts with one snapshot (event "meeting" or "proposal": the
 * page's whole state) and then gets the deltas. A stream that reconnects
 * with Last-Event-ID gets exactly the events after that id from the ring,
 * or a fresh snapshot when they are no longer all there. A stream that
 * fell behind gets the events it missed with successive counts of one
 * motion (or versions of one agenda item) merged: the last one wins.
 *
 * Events of a meeting (docs/api.md, GET /api/v1/meetings/{id}/events):
 *   meeting  {"meeting": (as GET /api/v1/meetings/{id}), "votes": [(as GET
 *            /api/v1/motions/{id}/counts) for each motion being voted on]}
 *   state    the meeting's fields that changed, besides attendance and
 *            agenda ({"state": "closed", ...}; a field that went away is null)
 *   present  {"count": N, "arrived": [attendee], "left": [attendee]}, while
 *            at most EVENTS_NAMES_MAX are present (beyond, the snapshot
 *            has no "present" and "departed" lists: "attendance" counts)
 *   agenda   {"agenda": [...]} when items came, went or moved
 *   item     one agenda item that changed (as in the agenda)
 *   counts   the counts of one motion being voted on, or {"motion": id,
 *            "ended": true} when its vote is no longer open
 * Of a proposal: "proposal", its status (as GET /api/v1/proposals/{id}/status).
 * Each event has "id: BOOT-SEQ": BOOT names this run of the server, SEQ
 * grows with every event of every topic.
 *
 * Threads: events_changed() and events_shutdown() may be called from any
 * thread. The daemon must run with MHD_ALLOW_SUSPEND_RESUME, and
 * events_shutdown() must run before MHD_stop_daemon (it ends every
 * stream, resuming those that wait).
 */
#ifndef PNYX_HTTP_EVENTS_H
#define PNYX_HTTP_EVENTS_H

#include <stddef.h>
#include <stdint.h>

struct event_hub;
struct store_pool;
struct MHD_Connection;
struct MHD_Response;

enum events_topic { EVENTS_MEETING, EVENTS_PROPOSAL };

#define EVENTS_PING_SECONDS 15
/* A topic is read again at most every EVENTS_BUILD_MS, and the more
 * streams watch it, the less often: EVENTS_BUILD_MS more for every
 * EVENTS_STREAMS_STEP streams, up to EVENTS_BUILD_MAX_MS. So a stream gets
 * at most four updates a second, and the updates sent to all streams
 * together stay near 10,000 a second at most (5,000 screens: one update
 * every 0.75 s each), however fast the votes come. */
#define EVENTS_BUILD_MS 250
#define EVENTS_STREAMS_STEP 2500
#define EVENTS_BUILD_MAX_MS 1000
/* Past this many present, a meeting's stream carries how many are present
 * (the meeting's "attendance", in "state" events) and not who: 5,000
 * phones each sent 5,000 names would be 2 GB for a list nobody reads. */
#define EVENTS_NAMES_MAX 200
/* Events kept per topic for streams that resume or fall behind. */
#define EVENTS_RING 256

/* NULL when out of memory. pool is borrowed: the publisher takes a
 * connection from it only while it reads a topic. max_streams: the most
 * streams open at once (a server keeps room besides them for the requests
 * that vote, check in and read). */
struct event_hub *events_new(struct store_pool *pool, size_t max_streams);
void events_free(struct event_hub *hub);

/* Something changed: the watched topics are read again. */
void events_changed(struct event_hub *hub);

/* End every stream (server stopping). */
void events_shutdown(struct event_hub *hub);

/* A new stream of the meeting or proposal id for conn, or NULL (as many
 * streams as allowed, server stopping, or out of memory). last_event_id: the Last-Event-ID header
 * of a reconnecting client, or NULL. */
struct MHD_Response *events_stream(struct event_hub *hub, struct MHD_Connection *conn,
				   enum events_topic topic, int64_t id,
				   const char *last_event_id);

#endif
