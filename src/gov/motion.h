/*
 * motion.h: motions, the only way an assembly decides anything.
 *
 * A motion has a kind (a row of the table in motion_kinds.c), a title, a
 * Markdown text stored as written, and parameters checked by its kind. It
 * is submitted to the agenda of a meeting: the next one whose agenda is
 * still open (a meeting's agenda closes when the meeting starts); motions
 * are taken in the order submitted unless the facilitator reorders them.
 * An amendment (kind "amendment") names the motion it amends and is
 * decided before it: adopted, it replaces the motion's text.
 *
 * A committee decides apart from meetings: a member of the committee
 * submits a motion of a kind the committee may decide, its members vote,
 * and the assembly's rule for that kind decides among them. Anything
 * outside its kinds, after its end date or after its revocation is
 * refused, and a vote still running then can no longer close: void.
 *
 * Voting opens at the meeting, on a motion of its agenda, with the rule in
 * force at that moment (recorded with the result). When the vote closes,
 * the rule decides; an adopted motion's effect is applied in the same
 * transaction as the result and journaled with it. There is no other route
 * to any of these effects.
 */
#ifndef PNYX_MOTION_H
#define PNYX_MOTION_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

struct motion_submit {
	const char *kind;
	const char *title;
	const char *text;
	const json_t *params; /* may be NULL: {} */
	int64_t amends;       /* amendment: the motion amended; else 0 */
	int64_t committee;    /* a committee's decision: its id; else 0 */
};

int gov_motion_submit(const struct gov_ctx *ctx, const char *body_slug,
		      const struct motion_submit *in, json_t **out,
		      struct px_error *err);
int gov_motion_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		   struct px_error *err);
/* status: NULL for all, or one status name. */
int gov_motion_list(const struct gov_ctx *ctx, const char *body_slug,
		    const char *status, json_t **out, struct px_error *err);
/* The proposer withdraws a motion not yet voted on. */
int gov_motion_withdraw(const struct gov_ctx *ctx, int64_t id,
			struct px_error *err);
/* The facilitator sets the order of the undecided motions of a meeting:
 * ids lists every one of them exactly once. */
int gov_agenda_reorder(const struct gov_ctx *ctx, int64_t meeting_id,
		       const json_t *ids, json_t **out, struct px_error *err);

/* Advisory input from any active member before the vote: shown beside
 * the result, never counted. One per member per motion (replaced). */
int gov_motion_advise(const struct gov_ctx *ctx, int64_t id,
		      const char *position, const char *comment, json_t **out,
		      struct px_error *err);

/* Internal to gov/: the motion as JSON (with votes as the ballot allows). */
json_t *motion_json(struct store *s, int64_t id, int64_t viewer);

#endif
