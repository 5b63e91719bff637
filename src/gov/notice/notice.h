/*
 * gov/notice/notice.h: the public face of the notice domain: what
 * concerns each person (a motion on their assembly's agenda, a vote
 * opening, a result, a meeting beginning, a proposal offered, an answer
 * to their comment), shown in the browser and, when they ask for it and
 * the operator set up a mail server, sent by e-mail.
 *
 * Notifications are derived data, never governance state. They are made
 * from the journal by a notifier that reads the entries after its own
 * cursor (table notice_cursor) and fans each out by the table in
 * notice_rules.c: one row per kind of entry, naming who is concerned and
 * how to say it. A meeting beginning is not an entry: the server's clock
 * notes it once per meeting and person. The notifier runs outside every
 * decision's transaction (the server's notifier thread), so no decision
 * waits for it; after a restart it goes on from its cursor, and a row is
 * made at most once (unique per person and source).
 *
 * Mail is a queue in the database: the notifier groups what accumulated
 * for a person into one message once the oldest of it has waited the
 * batch window, and a sender (src/http/mailer.c) takes due messages,
 * sends them and reports back; failures are retried with a growing delay
 * and given up after a bound. Nothing here touches the network.
 *
 * http/, cli/ and the other domains include this header and nothing else
 * of gov/notice/.
 */
#ifndef PNYX_GOV_NOTICE_H
#define PNYX_GOV_NOTICE_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"

/* A notification's text and link (a path of the browser interface). */
#define NOTICE_TEXT_MAX 600
#define NOTICE_LINK_MAX 80
/* An e-mail address: RFC 5321's limit on a path. */
#define NOTICE_EMAIL_MAX 254
#define NOTICE_PAGE_DEFAULT 50
#define NOTICE_PAGE_MAX 200

/* ---- notice.c: the notifier ---- */

/*
 * Fan out the journal entries after the cursor, at most limit of them
 * (0: all), in one transaction that also moves the cursor. *done: the
 * entries read (0 when caught up). Entries of kinds no row names are
 * passed over. ctx->now is unused: every notification carries its
 * entry's moment.
 */
int gov_notice_catch_up(const struct gov_ctx *ctx, int64_t limit,
			int64_t *done, struct px_error *err) PX_MUST_CHECK;

/*
 * What the clock brings, which no journal entry records: the meetings
 * that have begun (started at or before ctx->now, less than
 * NOTICE_MEETING_FRESH seconds ago, not closed) and the votes online or
 * by mail whose window opened as recently, each told to the active
 * members of its assembly, once (table notice_clock); and each citizen
 * whose consent expires within 30 days, then within 7, once for each
 * (docs/polities.md); each standing review that opened (to those reviewed
 * and the assembly's members, docs/economy.md). *made: the notifications
 * made.
 */
#define NOTICE_MEETING_FRESH (6 * 3600)
/* A standing review's opening is told up to this long after its date (it
 * stays open until decided); the clock's marks are kept as long. */
#define NOTICE_REVIEW_FRESH (7 * 86400)
int gov_notice_meetings(const struct gov_ctx *ctx, int64_t *made,
			struct px_error *err) PX_MUST_CHECK;

/*
 * Retention: delete what nobody needs any more, in short transactions.
 * Kept: every notification not yet read, whatever its age, and every one
 * still waiting to be mailed; a read one for keep_read seconds after it
 * was read. A mail sent or given up is kept keep_mail seconds after its
 * last attempt (what health counts as sent and failed is what is kept);
 * a mail still queued is never deleted. The clock's marks go once they
 * can no longer match (older than NOTICE_REVIEW_FRESH and a day). keep_*
 * 0 keeps for ever. *removed: the rows deleted.
 */
int gov_notice_prune(const struct gov_ctx *ctx, int64_t keep_read,
		     int64_t keep_mail, int64_t *removed,
		     struct px_error *err) PX_MUST_CHECK;

/* ---- notice_person.c: what a person reads and sets ---- */

/* The caller's notifications, newest first: those with id < before (0:
 * from the newest), at most limit. {"notifications": [...], "unread": N,
 * "next": id or null}. */
int gov_notice_list(const struct gov_ctx *ctx, int64_t before, int64_t limit,
		    json_t **out, struct px_error *err) PX_MUST_CHECK;

/* {"unread": N} for the caller. */
int gov_notice_count(const struct gov_ctx *ctx, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;

/*
 * Mark the caller's notifications read: the one with id (when id > 0;
 * PX_E_NOT_FOUND, field "id", unless it is the caller's), or every one up
 * to and including up_to (when up_to > 0). Exactly one of the two.
 * *out: {"marked": N, "unread": N}.
 */
int gov_notice_mark_read(const struct gov_ctx *ctx, int64_t id, int64_t up_to,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;

/* The caller's settings: {"email": address or null, "mail": bool}. */
int gov_notice_settings_get(const struct gov_ctx *ctx, json_t **out,
			    struct px_error *err) PX_MUST_CHECK;

/*
 * Set the caller's settings, both at once: email NULL or "" for none,
 * otherwise an address (field "email" when malformed); mail 0 or 1. Mail
 * on without an address is refused (field "mail"). The address is not
 * verified: it is used only for this person's own notifications. Turning
 * mail off drops what waited for the next message. *out as for
 * gov_notice_settings_get.
 */
int gov_notice_settings_set(const struct gov_ctx *ctx, const char *email,
			    int mail, json_t **out,
			    struct px_error *err) PX_MUST_CHECK;

/* Whether text is an e-mail address pnyx accepts: local@domain, printable
 * ASCII without spaces, angle brackets, quotes or commas, a dot in the
 * domain, at most NOTICE_EMAIL_MAX bytes. No line break ever reaches a
 * mail header through it. */
int notice_email_ok(const char *text);

/* ---- notice_mail.c: the mail queue ---- */

/*
 * For each person who asked for mail, with an address, whose oldest
 * notification not yet mailed is at least window seconds old: one
 * message with all of them, queued; they are marked mailed. Links are
 * made absolute with base_url (no trailing slash). *queued: messages.
 */
int gov_mail_batch(const struct gov_ctx *ctx, int64_t window,
		   const char *base_url, int64_t *queued,
		   struct px_error *err) PX_MUST_CHECK;

/* A message due for sending, its texts malloc'd (mail_job_release). */
struct mail_job {
	int64_t id;
	int64_t attempts; /* before this one */
	char *recipient;
	char *subject;
	char *body;
};
void mail_job_release(struct mail_job *job);

/* The oldest message due at ctx->now: *found = 1 and job filled, or 0. */
int gov_mail_next(const struct gov_ctx *ctx, struct mail_job *job, int *found,
		  struct px_error *err) PX_MUST_CHECK;

/*
 * Record the outcome of sending job id: error NULL when it was sent;
 * otherwise the reason, and a retry after retry_base * 2^attempts seconds
 * (at most 6 hours), or 'failed' once max_attempts were made.
 */
#define MAIL_RETRY_CAP (6 * 3600)
int gov_mail_done(const struct gov_ctx *ctx, int64_t id, const char *error,
		  int64_t retry_base, int64_t max_attempts,
		  struct px_error *err) PX_MUST_CHECK;

/* For health: {"queued", "failing", "failed", "sent", "last_success",
 * "last_error", "last_error_at"} (times in Unix seconds or null). */
int gov_mail_health(const struct gov_ctx *ctx, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;

#endif
