/*
 * notifier.h: the server's two background threads for notifications.
 *
 * The notifier thread, on its own database connection, fans new journal
 * entries out into notifications (gov_notice_catch_up), notes meetings
 * that have begun (gov_notice_meetings), when mail is set up groups
 * what waits for each person into one queued message (gov_mail_batch),
 * and at start and every hour deletes what is past its retention
 * (gov_notice_prune).
 * The mailer thread, only when --smtp is given, sends queued messages
 * with libcurl's SMTP, with connect and transfer timeouts, and records
 * each outcome (gov_mail_done). Neither ever runs inside a decision's
 * transaction: a decision never waits for them, and an unreachable mail
 * server shows in health, never to voters.
 */
#ifndef PNYX_HTTP_NOTIFIER_H
#define PNYX_HTTP_NOTIFIER_H

#include <stdint.h>

#include "core/errors.h"

struct notifier;
struct px_error;

struct notifier_options {
	const char *db_path;
	const char *smtp_url;      /* smtp://host:port or smtps://; NULL: no mail */
	const char *smtp_user;     /* NULL: from the URL, or none */
	const char *smtp_password; /* NULL: from the URL, or none */
	const char *from;          /* the envelope and From: address */
	const char *base_url;      /* links in mail, without a trailing '/' */
	int64_t batch_window;      /* seconds a notification waits for others */
	int64_t retry_base;        /* seconds before the first retry */
	int64_t max_attempts;      /* then the message is marked failed */
	int64_t smtp_timeout;      /* seconds for a whole SMTP exchange */
	int64_t keep_read;         /* seconds a read notification is kept; 0: for ever */
	int64_t keep_mail;         /* seconds a sent or failed mail is kept; 0: for ever */
};

/* Defaults of the options above (pnyx serve --help). */
#define NOTIFIER_BATCH_DEFAULT 60
#define NOTIFIER_RETRY_DEFAULT 60
#define NOTIFIER_ATTEMPTS_DEFAULT 10
#define NOTIFIER_TIMEOUT_DEFAULT 30
/* Retention, in days (gov_notice_prune), applied at start and hourly. */
#define NOTIFIER_KEEP_READ_DAYS 90
#define NOTIFIER_KEEP_MAIL_DAYS 30
#define NOTIFIER_PRUNE_EVERY 3600

/* Start the threads; the options' strings must outlive them. */
int notifier_start(const struct notifier_options *o, struct notifier **out,
		   struct px_error *err) PX_MUST_CHECK;

/* Stop the threads (a send in progress finishes or times out) and free.
 * NULL is allowed. */
void notifier_stop(struct notifier *n);

/* Build the RFC 5322 message for one mail (CRLF line ends, the subject
 * RFC 2047-encoded when it is not ASCII). Caller frees. NULL on failure.
 * Exposed for the unit tests. */
char *notifier_message(const char *from, const char *to, const char *subject,
		       const char *body, int64_t id, int64_t now);

/* Whether text can be an SMTP URL: smtp:// or smtps:// and a host. */
int notifier_url_ok(const char *text);

#endif
