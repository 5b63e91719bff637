/*
 * notice_mail.c: the mail queue. Notifications waiting to be mailed are
 * grouped per person into one message (so fifty votes make one mail, not
 * fifty), queued in the database, and handed one at a time to the sender
 * (src/http/mailer.c), which reports each outcome back. A failure waits
 * retry_base * 2^attempts seconds (capped) before the next try; after
 * max_attempts the message is marked failed and kept for the operator.
 *
 * What a message says is only what the person's notifications say: that
 * a motion was submitted, a vote opened, what was decided. Never how
 * anyone voted (docs/security.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "store/store.h"
#include "notice.h"
#include "banned.h"

/* A subject line at most this many bytes, cut at a character's start. */
#define SUBJECT_MAX 150

static int add_cut(struct strbuf *sb, const char *s, size_t max)
{
	size_t len = strlen(s);
	if (len <= max)
		return sb_adds(sb, s);
	size_t cut = max - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	int rc = sb_add(sb, s, cut);
	return rc ? rc : sb_adds(sb, "\u2026");
}

struct batch_args {
	int64_t now, window;
	const char *base;
	int64_t queued;
};

/* One message for account (address email) with every notification not
 * yet mailed, up to and including last. */
static int batch_one(struct store *s, struct batch_args *a, int64_t account,
		     const char *email)
{
	struct strbuf subject, body;
	sb_init(&subject, 0);
	sb_init(&body, 0);
	int rc = 0, row = 0;
	int64_t n = 0, last = 0;
	/* in the person's language: the one they chose, else that of their
	 * first assembly (the oldest membership), as their notifications */
	sqlite3_stmt *st = store_stmt(s, "SELECT display_name, coalesce("
		"(SELECT language FROM person_languages WHERE account_id = a.id),"
		" (SELECT b.language FROM memberships m JOIN bodies b ON b.id = m.body_id"
		"  WHERE m.account_id = a.id AND m.status = 'active'"
		"  ORDER BY m.since, m.body_id LIMIT 1), 'en') FROM accounts a WHERE id = ?");
	char lang[16] = I18N_DEFAULT;
	if (!st)
		rc = PX_E_INTERNAL;
	if (!rc) {
		sqlite3_bind_int64(st, 1, account);
		rc = store_step(st, &row);
	}
	if (!rc && row) {
		const char *l = i18n_lang((const char *)sqlite3_column_text(st, 1));
		if (l)
			snprintf(lang, sizeof lang, "%s", l);
		rc = sb_addf(&body, tr(lang, "Hello %s,\n\n"),
			     (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	st = store_stmt(s, "SELECT id, text, link FROM notifications"
			   " WHERE account_id = ? AND mailed = 0 ORDER BY id");
	if (!rc && !st)
		rc = PX_E_INTERNAL;
	if (!rc)
		sqlite3_bind_int64(st, 1, account);
	const char *first = NULL;
	char *first_copy = NULL;
	while (!rc && store_next(st, &rc)) {
		last = sqlite3_column_int64(st, 0);
		first = (const char *)sqlite3_column_text(st, 1);
		if (!n++)
			first_copy = strdup(first);
		rc = sb_addf(&body, "* %s\n  %s%s\n\n", first, a->base,
			     (const char *)sqlite3_column_text(st, 2));
		if (rc)
			sqlite3_reset(st);
	}
	if (!rc && n == 0)
		goto out;
	if (!rc && !first_copy)
		rc = PX_E_NOMEM;
	if (!rc && n == 1)
		rc = add_cut(&subject, first_copy, SUBJECT_MAX);
	else if (!rc)
		rc = sb_addf(&subject, trn(lang, "%lld new notification",
					   "%lld new notifications", (uint64_t)n), (long long)n);
	if (!rc)
		rc = sb_addf(&body, tr(lang, "You receive this mail because you asked for it."
				       " Read your notifications or stop these mails at\n"
				       "%s/notifications.html\n"), a->base);
	st = store_stmt(s, "INSERT INTO mail_queue(account_id, recipient, subject,"
			   " body, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!rc && !st)
		rc = PX_E_INTERNAL;
	if (!rc) {
		sqlite3_bind_int64(st, 1, account);
		sqlite3_bind_text(st, 2, email, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, subject.buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, body.buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, a->now);
		sqlite3_bind_int64(st, 6, a->now);
		rc = store_run(st);
	}
	st = store_stmt(s, "UPDATE notifications SET mailed = 1"
			   " WHERE account_id = ? AND mailed = 0 AND id <= ?");
	if (!rc && !st)
		rc = PX_E_INTERNAL;
	if (!rc) {
		sqlite3_bind_int64(st, 1, account);
		sqlite3_bind_int64(st, 2, last);
		rc = store_run(st);
	}
	if (!rc)
		a->queued++;
out:
	free(first_copy);
	sb_release(&subject);
	sb_release(&body);
	return rc;
}

static int batch_tx(struct store *s, void *arg)
{
	struct batch_args *a = arg;
	int rc = 0;
	a->queued = 0;
	/* who has waited long enough: ids and addresses first, then one
	 * message each (the statement is done before the writes begin) */
	struct who { int64_t account; char *email; } *list = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT n.account_id, ns.email FROM notifications n"
		" JOIN notice_settings ns ON ns.account_id = n.account_id"
		" WHERE n.mailed = 0 AND ns.mail = 1 AND ns.email IS NOT NULL"
		" GROUP BY n.account_id HAVING min(n.at) <= ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now - a->window);
	while (store_next(st, &rc)) {
		struct who *p = px_grow(list, &cap, n, sizeof(*list));
		if (!p) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		list = p;
		list[n].account = sqlite3_column_int64(st, 0);
		list[n].email = strdup((const char *)sqlite3_column_text(st, 1));
		if (!list[n++].email) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = batch_one(s, a, list[i].account, list[i].email);
	for (size_t i = 0; i < n; i++)
		free(list[i].email);
	free(list);
	return rc;
}

int gov_mail_batch(const struct gov_ctx *ctx, int64_t window,
		   const char *base_url, int64_t *queued, struct px_error *err)
{
	struct batch_args a = { ctx->now, window, base_url ? base_url : "", 0 };
	int rc = store_tx(ctx->db, batch_tx, &a);
	*queued = rc ? 0 : a.queued;
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

void mail_job_release(struct mail_job *job)
{
	free(job->recipient);
	free(job->subject);
	free(job->body);
	memset(job, 0, sizeof(*job));
}

int gov_mail_next(const struct gov_ctx *ctx, struct mail_job *job, int *found,
		  struct px_error *err)
{
	memset(job, 0, sizeof(*job));
	*found = 0;
	int row = 0;
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT id, attempts, recipient, subject, body FROM mail_queue"
		" WHERE status = 'queued' AND next_at <= ? ORDER BY next_at, id LIMIT 1");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_int64(st, 1, ctx->now);
	int rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return 0;
	job->id = sqlite3_column_int64(st, 0);
	job->attempts = sqlite3_column_int64(st, 1);
	job->recipient = strdup((const char *)sqlite3_column_text(st, 2));
	job->subject = strdup((const char *)sqlite3_column_text(st, 3));
	job->body = strdup((const char *)sqlite3_column_text(st, 4));
	sqlite3_reset(st);
	if (!job->recipient || !job->subject || !job->body) {
		mail_job_release(job);
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	*found = 1;
	return 0;
}

struct done_args {
	int64_t id, now;
	const char *error;
	int64_t base, max;
};

static int done_tx(struct store *s, void *arg)
{
	struct done_args *a = arg;
	sqlite3_stmt *st;
	int rc;
	if (!a->error) {
		st = store_stmt(s, "UPDATE mail_queue SET status = 'sent', sent_at = ?1,"
				   " attempts = attempts + 1 WHERE id = ?2");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, a->now);
		sqlite3_bind_int64(st, 2, a->id);
		if ((rc = store_run(st)))
			return rc;
		st = store_stmt(s, "UPDATE mail_state SET last_success = ? WHERE id = 1");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, a->now);
		return store_run(st);
	}
	/* the delay doubles from base with each failed attempt, to the cap;
	 * computed in SQL from the attempts stored, bounded before the shift */
	st = store_stmt(s, "UPDATE mail_queue SET attempts = attempts + 1,"
		" last_error = ?1,"
		" status = CASE WHEN attempts + 1 >= ?2 THEN 'failed' ELSE 'queued' END,"
		" next_at = ?3 + min(?4 << min(attempts, 30), ?5)"
		" WHERE id = ?6");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, a->error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, a->max);
	sqlite3_bind_int64(st, 3, a->now);
	sqlite3_bind_int64(st, 4, a->base);
	sqlite3_bind_int64(st, 5, MAIL_RETRY_CAP);
	sqlite3_bind_int64(st, 6, a->id);
	if ((rc = store_run(st)))
		return rc;
	st = store_stmt(s, "UPDATE mail_state SET last_error = ?, last_error_at = ?"
			   " WHERE id = 1");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, a->error, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, a->now);
	return store_run(st);
}

int gov_mail_done(const struct gov_ctx *ctx, int64_t id, const char *error,
		  int64_t retry_base, int64_t max_attempts, struct px_error *err)
{
	struct done_args a = { id, ctx->now, error, retry_base, max_attempts };
	int rc = store_tx(ctx->db, done_tx, &a);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

static json_t *int_or_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL
		       ? json_null() : json_integer(sqlite3_column_int64(st, col));
}

static int health_read(struct store *s, void *arg)
{
	json_t **out = arg;
	int row = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT (SELECT count(*) FROM mail_queue WHERE status = 'queued'),"
		" (SELECT count(*) FROM mail_queue WHERE status = 'queued' AND attempts > 0),"
		" (SELECT count(*) FROM mail_queue WHERE status = 'failed'),"
		" (SELECT count(*) FROM mail_queue WHERE status = 'sent'),"
		" last_success, last_error, last_error_at FROM mail_state WHERE id = 1");
	if (!st)
		return PX_E_INTERNAL;
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	const char *last_error = (const char *)sqlite3_column_text(st, 5);
	json_decref(*out);
	*out = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
		"queued", (json_int_t)sqlite3_column_int64(st, 0),
		"failing", (json_int_t)sqlite3_column_int64(st, 1),
		"failed", (json_int_t)sqlite3_column_int64(st, 2),
		"sent", (json_int_t)sqlite3_column_int64(st, 3),
		"last_success", int_or_null(st, 4),
		"last_error", last_error ? json_string(last_error) : json_null(),
		"last_error_at", int_or_null(st, 6));
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

int gov_mail_health(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = health_read(ctx->db, out); /* a GET: already in one read transaction */
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}
