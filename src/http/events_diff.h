/*
 * events_diff.h: what the event hub reads of a topic, and what changed
 * between two readings, as the small events of events.h.
 *
 * The readings go through src/gov (as GET /api/v1/meetings/{id} and
 * /motions/{id}/counts, or /proposals/{id}/status do); this file only
 * compares JSON. Private to src/http/events.c.
 */
#ifndef PNYX_HTTP_EVENTS_DIFF_H
#define PNYX_HTTP_EVENTS_DIFF_H

#include <stdint.h>

#include <jansson.h>

#include "events.h"

struct gov_ctx;

enum ev_kind {
	EV_MEETING,  /* snapshot of a meeting */
	EV_PROPOSAL, /* a proposal's status: snapshot and change alike */
	EV_STATE,
	EV_PRESENT,
	EV_AGENDA,
	EV_ITEM,
	EV_COUNTS,
};

/* The event name on the wire ("event: NAME"). */
const char *ev_name(enum ev_kind k);
/* 1 when of two events of this kind and key only the later one matters. */
int ev_last_wins(enum ev_kind k);
/* The kind of a topic's snapshot. */
enum ev_kind ev_snapshot_kind(enum events_topic t);

/* A meeting (as gov_meeting_get gives it) with more than EVENTS_NAMES_MAX
 * present keeps its "attendance" count and loses its "present" and
 * "departed" lists: 5,000 names are 450 KB that no screen shows (the
 * minutes name everyone). */
void ev_unname(json_t *meeting);

/* The topic's state now, in ctx's read transaction: a new reference, or
 * NULL with *rc 0 when the subject does not exist, or NULL with *rc set
 * when reading failed. *until: when its state changes by the clock alone,
 * or INT64_MAX. */
json_t *ev_read(const struct gov_ctx *ctx, enum events_topic t, int64_t id,
		int64_t *until, int *rc);

/* Call emit for each change from old to now, in the order a page applies
 * them. data is a new reference emit takes. Returns 0, or PX_E_NOMEM. */
typedef int (*ev_emit_fn)(void *arg, enum ev_kind kind, int64_t key, json_t *data);
int ev_diff(enum events_topic t, const json_t *old, const json_t *now,
	    ev_emit_fn emit, void *arg);

#endif
