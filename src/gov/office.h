/*
 * office.h: offices of an assembly (clerk, facilitator, ...). Offices carry
 * procedural duties, never power over decisions. They are created, filled
 * and emptied only by adopted motions (see motion_kinds.c).
 *
 * Who performs a procedural duty at a meeting: the holder of the office
 * that carries it. While that office does not exist or is vacant, any
 * member checked in at the meeting may perform it, so an assembly can
 * always hold its meeting (the room chooses who does it). A recalled
 * holder loses the duty at once.
 */
#ifndef PNYX_OFFICE_H
#define PNYX_OFFICE_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

struct store;

/* The offices whose duties the code knows. */
#define OFFICE_CLERK "clerk"
#define OFFICE_FACILITATOR "facilitator"

/*
 * PX_OK when account may perform the duties of office `name` in body at
 * meeting (0 = outside any meeting: only a holder). PX_E_FORBIDDEN with a
 * detail otherwise. Must run inside the operation's transaction.
 */
int office_may_act(struct store *s, int64_t body_id, const char *name,
		   int64_t account_id, int64_t meeting_id, struct px_error *err);

/* 1 when account holds office name in body (and is an active member). */
int office_holds(struct store *s, int64_t body_id, const char *name,
		 int64_t account_id);

/* Either office: "clerk or facilitator" duties (reordering the agenda,
 * opening and closing a vote). */
int office_may_chair(struct store *s, int64_t body_id, int64_t account_id,
		     int64_t meeting_id, struct px_error *err);

/* [{"name","duties","holder": handle or null}] */
json_t *office_list_json(struct store *s, int64_t body_id);

#endif
