/*
 * gov/discussion/discussion.h: the public face of the discussion domain:
 * members comment on motions and on proposals, and reply to each other.
 *
 * Why a domain of its own: who may speak in a discussion is a question
 * of membership (gov/assembly) for a motion and of the federation's
 * offers (gov/federation) for a proposal; hiding a comment is the effect
 * of a motion (gov/procedure). Discussion reads all three and none of
 * them needs it, so it sits beside them rather than inside one.
 *
 * Rules (docs/discussion.md says them for people):
 * - On a motion, the active members of the assembly that decides it may
 *   comment while it is undecided (submitted or being voted on); once it
 *   is decided or withdrawn its discussion is kept, closed. Members who
 *   left, excluded members and recalled delegates (no longer active
 *   members of the delegate assembly) are refused.
 * - On a proposal, the active members of the assembly that made it and
 *   of every assembly it was offered to (proposal_offers) may comment.
 * - A reply names a comment of the same discussion; replies nest up to
 *   COMMENT_DEPTH_MAX deep (a comment has depth 0). A hidden comment
 *   takes no replies.
 * - Text: Markdown, 1 to COMMENT_TEXT_MAX characters, stored as written
 *   and rendered safely (src/core/markdown.c: no raw HTML, no
 *   javascript: links).
 * - The author may withdraw their own comment, once; it stays in its
 *   place, without its text. Only an adopted motion of kind hide_comment
 *   of the assembly that hosts the discussion (the motion's assembly, or
 *   the assembly that made the proposal) hides someone's comment.
 * - Comments are advice: nothing counts them.
 * - One person writes at most COMMENTS_PER_HOUR comments an hour.
 *
 * Journal: "comment.add" {comment, author (account id), handle, target
 * ("motion"|"proposal"), target_id, motion|proposal (the same id under
 * the target's name), reply_to (id or null), text, at} and
 * "comment.withdraw" {comment, author, handle, target, target_id,
 * motion|proposal, at}; a hide is the effect of the motion's
 * "motion.decide" ({"comment_hidden": {comment, reason, author}}).
 *
 * Ownership: returned json_t are new references the caller releases.
 */
#ifndef PNYX_GOV_DISCUSSION_H
#define PNYX_GOV_DISCUSSION_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"
#include "gov/procedure/procedure.h" /* struct motion_effect, for hide_comment */

#define COMMENT_TEXT_MAX 10000
#define COMMENT_DEPTH_MAX 3
#define COMMENT_REASON_MAX 500
/* A comment is a permanent journal entry: one person writes at most this
 * many in any hour, over all discussions (PX_E_RATE_LIMITED beyond). */
#define COMMENTS_PER_HOUR 30

/*
 * The discussion of a motion or a proposal (target "motion" or
 * "proposal"): {"target","target_id","open": whether it takes comments
 * now, "may_comment": whether the caller may comment now, "comments":
 * [comment...]} in thread order (each comment followed by its replies,
 * oldest first). A comment: {"id","reply_to" (or null),"depth","author",
 * "at","state": "shown"|"withdrawn"|"hidden","mine"} and, when shown,
 * "text" (the Markdown) and "html" (rendered safely); when withdrawn
 * "withdrawn_at"; when hidden "hidden_by" (the motion) and
 * "hidden_reason". PX_E_NOT_FOUND when there is no such motion or
 * proposal; PX_E_BAD_INPUT naming "target" for another target.
 */
int gov_comment_list(const struct gov_ctx *ctx, const char *target, int64_t id,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;

/* The caller comments (reply_to 0) or replies; *out: the new comment. */
int gov_comment_add(const struct gov_ctx *ctx, const char *target, int64_t id,
		    const char *text, int64_t reply_to, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;

/* After PX_E_RATE_LIMITED from gov_comment_add: *seconds until the
 * caller may comment again (at least 1). */
int gov_comment_retry_after(const struct gov_ctx *ctx, int64_t *seconds) PX_MUST_CHECK;

/* The author withdraws their own comment; *out: the comment as it now
 * stands. PX_E_FORBIDDEN for someone else's, PX_E_CONFLICT when it was
 * withdrawn already or hidden. */
int gov_comment_withdraw(const struct gov_ctx *ctx, int64_t comment, json_t **out,
			 struct px_error *err) PX_MUST_CHECK;

/* The motion kind hide_comment (a row of procedure_kinds.c): params
 * {"comment": id, "reason": 1-500 characters}. The comment must be in a
 * discussion the deciding body hosts, shown (not withdrawn, not hidden).
 * Adopted, it hides the comment (void if it was withdrawn or hidden
 * meanwhile). */
int hide_comment_check(struct store *s, int64_t body_id, const json_t *params,
		       int64_t now, json_t **canon, struct px_error *err);
int hide_comment_apply(struct store *s, const struct motion_effect *m,
		       json_t *journal, struct px_error *err);

#endif
