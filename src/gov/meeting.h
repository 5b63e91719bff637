/*
 * meeting.h: the meetings of an assembly.
 *
 * Regular meetings follow the assembly's schedule and exist without
 * anyone calling them; nothing cancels one. They are kept as rows from 31
 * days back to 366 days ahead, made on demand from the schedule (making
 * them decides nothing, so it is not journaled). Extra meetings exist only
 * when an adopted motion declared them.
 *
 * A meeting is "scheduled" before its time, "open" from its time until the
 * clerk closes it (or MEETING_OPEN_HOURS pass: then "lapsed", and nothing
 * more can be decided at it), then "closed" with its minutes.
 *
 * Check-in: a member checks in with the short-lived room code the meeting
 * shows (six digits, a new one every ROOM_CODE_SECONDS; the previous code
 * is still accepted), or the clerk checks them in. Attendance is the basis
 * of quorum.
 */
#ifndef PNYX_MEETING_H
#define PNYX_MEETING_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

struct store;

#define MEETING_OPEN_HOURS 12
#define ROOM_CODE_SECONDS 120
#define MEETINGS_BACK_DAYS 31
#define MEETINGS_AHEAD_DAYS 366

enum meeting_state {
	MEETING_SCHEDULED,
	MEETING_OPEN,
	MEETING_CLOSED,
	MEETING_LAPSED,
};

/* {"upcoming": [meeting...] (up to 12), "past": [...] (up to 12, newest
 * first)} for the body's slug. */
int gov_meeting_list(const struct gov_ctx *ctx, const char *slug,
		     json_t **out, struct px_error *err);
/* One meeting with attendance, agenda and, once closed, minutes. */
int gov_meeting_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		    struct px_error *err);
/* The current room code, for the projector: the clerk or facilitator (or,
 * while both offices are vacant, any active member). {"code", "expires_at"} */
int gov_meeting_code(const struct gov_ctx *ctx, int64_t id, json_t **out,
		     struct px_error *err);
/* The caller checks in with the room code. */
int gov_meeting_checkin(const struct gov_ctx *ctx, int64_t id,
			const char *code, json_t **out, struct px_error *err);
/* The clerk checks in another member. */
int gov_meeting_checkin_member(const struct gov_ctx *ctx, int64_t id,
			       const char *handle, json_t **out,
			       struct px_error *err);
/* The clerk closes the meeting; its minutes are written and journaled. */
int gov_meeting_close(const struct gov_ctx *ctx, int64_t id, json_t **out,
		      struct px_error *err);
/* The minutes as Markdown (format "md") or safe HTML ("html"). */
int gov_meeting_minutes(const struct gov_ctx *ctx, int64_t id,
			const char *format, char **out, struct px_error *err);
/* Every meeting in the kept window as an iCalendar feed. base_url (may be
 * NULL) makes URL properties. */
int gov_meeting_calendar(const struct gov_ctx *ctx, const char *slug,
			 const char *base_url, char **out, struct px_error *err);

/* Internal to gov/: */
/* Make the rows of regular meetings in the kept window. Inside a tx. */
int meeting_sync(struct store *s, int64_t body_id, int64_t now);
/* Forget future regular meetings of the old schedule that nothing refers
 * to, then sync with the new one. Inside a tx. */
int meeting_reschedule(struct store *s, int64_t body_id, int64_t now);
enum meeting_state meeting_state_at(int64_t starts_at, int has_closed,
				    int64_t now);
const char *meeting_state_name(enum meeting_state st);
/* Load a meeting's body, its slug (when slug is not NULL) and its state.
 * PX_E_NOT_FOUND when there is none. */
int meeting_load(struct store *s, int64_t id, int64_t now, int64_t *body_id,
		 enum meeting_state *state, char slug[GOV_SLUG_SIZE],
		 struct px_error *err);
/* Whether account is checked in at meeting. */
int meeting_attended(struct store *s, int64_t meeting_id, int64_t account_id);
int64_t meeting_attendance(struct store *s, int64_t meeting_id);

#endif
