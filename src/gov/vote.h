/*
 * vote.h: voting on a motion.
 *
 * At a meeting the chair (facilitator or clerk) opens the vote on a motion
 * of the agenda, by devices (each checked-in member votes once) or by a
 * show of hands (the clerk records the counts; no individual votes are
 * stored). The ballot is open or secret as the assembly decided for that
 * kind of motion. With a secret ballot, who voted is kept apart from the
 * counts, and no row anywhere links a person to a choice.
 *
 * Online or mail votes happen only for motions the assembly authorised,
 * within the window it set: any active member may vote, checked in or
 * not; the vote closes when the window ends.
 */
#ifndef PNYX_VOTE_H
#define PNYX_VOTE_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

/* mode: "devices" or "hands" */
int gov_vote_open(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *mode, json_t **out, struct px_error *err);
/* position: "yes", "no", "abstain", "block", "stand_aside", "objection"
 * (those the rule offers). */
int gov_vote_cast(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *position, json_t **out, struct px_error *err);
/* A ranked ballot in an election of several delegates (ranked.h):
 * ranking is a list of candidates' handles, first preference first. A
 * position on a ranked election, or a ranking on any other motion, is
 * refused; the first ballot is final. */
int gov_vote_cast_ranked(const struct gov_ctx *ctx, int64_t motion_id,
			 const json_t *ranking, json_t **out, struct px_error *err);
/* The clerk records a show of hands: {"yes": N, "no": N, ...}. */
int gov_vote_record_hands(const struct gov_ctx *ctx, int64_t motion_id,
			  const json_t *counts, json_t **out,
			  struct px_error *err);
/* The chair closes the vote; the rule decides and, when adopted, the
 * effect applies. For an online vote, anyone may close it once its window
 * has ended. */
int gov_vote_close(const struct gov_ctx *ctx, int64_t motion_id,
		   json_t **out, struct px_error *err);
/* The live counts (as far as the ballot allows): {"voted", "counts"}. */
int gov_vote_counts(const struct gov_ctx *ctx, int64_t motion_id,
		    json_t **out, struct px_error *err);

#endif
