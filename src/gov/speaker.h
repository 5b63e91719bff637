/*
 * speaker.h: the speakers' queue of an open meeting. A member checked in
 * asks to speak and may withdraw the request; the facilitator gives the
 * floor to the next in line. The queue is procedure, not a decision, so
 * it is not journaled.
 */
#ifndef PNYX_SPEAKER_H
#define PNYX_SPEAKER_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

/* {"speaking": {"handle","since"} or null, "queue": [{"handle","since"}]} */
int gov_speaker_list(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err);
/* The caller joins the queue (once). */
int gov_speaker_join(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err);
/* The caller leaves the queue. */
int gov_speaker_leave(const struct gov_ctx *ctx, int64_t meeting_id,
		      json_t **out, struct px_error *err);
/* The facilitator gives the floor to the next in line. */
int gov_speaker_next(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err);

#endif
