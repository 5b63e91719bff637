/*
 * notifier.c: the notifier and mailer threads (notifier.h).
 *
 * Each thread owns one database connection and wakes every POLL_MS (or
 * at once when stopped). The mailer sends one message at a time: the
 * queue is in the database, so a crash loses nothing, and a message sent
 * whose outcome was not recorded (a crash between the two) is sent again
 * rather than lost. libcurl's timeouts bound each exchange, so a hanging
 * mail server delays only the mail, and a send in progress is given up
 * when the server stops.
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "core/strbuf.h"
#include "gov/lot/lot.h"
#include "gov/notice/notice.h"
#include "store/store.h"
#include "notifier.h"
#include "banned.h"

#define POLL_MS 500
/* Journal entries fanned out per transaction: short writes, so that no
 * decision queues behind a long catch-up. */
#define CATCH_UP_STEP 200
#define CONNECT_TIMEOUT 10

struct notifier {
	struct notifier_options o;
	pthread_t notify_thread, mail_thread;
	int notify_started, mail_started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int stopping;
};

/* Wait POLL_MS or until stopped; 1 when stopping. */
static int nap(struct notifier *n)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)POLL_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&n->lock);
	if (!atomic_load(&n->stopping))
		pthread_cond_timedwait(&n->wake, &n->lock, &until);
	pthread_mutex_unlock(&n->lock);
	return atomic_load(&n->stopping);
}

static void *notify_main(void *arg)
{
	struct notifier *n = arg;
	struct store *db = NULL;
	struct px_error err = { 0 };
	char last[200] = "";
	int64_t pruned_at = 0;
	if (store_open(n->o.db_path, 0, &db, &err)) {
		fprintf(stderr, "pnyx serve: notifications stopped: %s\n",
			px_error_message(&err));
		return NULL;
	}
	do {
		/* the server's time: the wall's, or a controlled clock's */
		struct gov_ctx ctx = { .db = db, .now = lot_clock_now(db, (int64_t)time(NULL)),
				       .operator = 1 };
		int64_t done = 0, made = 0, queued = 0;
		int rc;
		px_error_clear(&err);
		do
			rc = gov_notice_catch_up(&ctx, CATCH_UP_STEP, &done, &err);
		while (!rc && done > 0 && !atomic_load(&n->stopping));
		if (!rc)
			rc = gov_notice_meetings(&ctx, &made, &err);
		if (!rc && n->o.smtp_url)
			rc = gov_mail_batch(&ctx, n->o.batch_window, n->o.base_url,
					    &queued, &err);
		if (!rc && (!pruned_at || ctx.now - pruned_at >= NOTIFIER_PRUNE_EVERY)) {
			int64_t removed = 0;
			rc = gov_notice_prune(&ctx, n->o.keep_read, n->o.keep_mail,
					      &removed, &err);
			if (!rc)
				pruned_at = ctx.now;
		}
		/* say a failure once, not twice a second */
		if (rc && strcmp(last, px_error_message(&err))) {
			snprintf(last, sizeof last, "%s", px_error_message(&err));
			fprintf(stderr, "pnyx serve: notifications: %s\n", last);
		} else if (!rc) {
			last[0] = '\0';
		}
	} while (!nap(n));
	store_close(db);
	return NULL;
}

/* ---- the message ---- */

static int add_encoded_subject(struct strbuf *sb, const char *subject)
{
	int ascii = 1;
	for (const char *p = subject; *p; p++)
		if ((unsigned char)*p >= 0x7f || (unsigned char)*p < ' ')
			ascii = 0;
	if (ascii)
		return sb_adds(sb, subject);
	/* RFC 2047 encoded words of at most 45 bytes of text each (60 in
	 * base64, under the 75 allowed), cut between characters */
	size_t len = strlen(subject), at = 0;
	int rc = 0;
	while (at < len && !rc) {
		size_t take = len - at > 45 ? 45 : len - at;
		while (take > 0 && at + take < len
		       && ((unsigned char)subject[at + take] & 0xC0) == 0x80)
			take--;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)subject + at,
				  take, sodium_base64_VARIANT_ORIGINAL);
		rc = sb_addf(sb, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", b64);
		at += take;
	}
	return rc;
}

char *notifier_message(const char *from, const char *to, const char *subject,
		       const char *body, int64_t id, int64_t now)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	char date[64];
	struct tm tm;
	time_t t = (time_t)now;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	const char *domain = strchr(from, '@');
	int rc = sb_addf(&sb, "Date: %s\r\nFrom: pnyx <%s>\r\nTo: <%s>\r\n"
			 "Message-ID: <pnyx-mail-%" PRId64 "-%" PRId64 "%s>\r\n"
			 "Subject: ", date, from, to, id, now,
			 domain ? domain : "@localhost");
	if (!rc)
		rc = add_encoded_subject(&sb, subject);
	if (!rc)
		rc = sb_adds(&sb, "\r\nMIME-Version: 1.0\r\n"
			     "Content-Type: text/plain; charset=utf-8\r\n"
			     "Content-Transfer-Encoding: 8bit\r\n"
			     "Auto-Submitted: auto-generated\r\n\r\n");
	for (const char *p = body; *p && !rc; p++)
		rc = *p == '\n' ? sb_adds(&sb, "\r\n")
		     : *p == '\r' ? 0 : sb_addc(&sb, *p);
	if (rc) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb, NULL);
}

int notifier_url_ok(const char *text)
{
	const char *host = NULL;
	if (!strncmp(text, "smtp://", 7))
		host = text + 7;
	else if (!strncmp(text, "smtps://", 8))
		host = text + 8;
	if (!host || !*host || *host == '/' || *host == ':')
		return 0;
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

struct upload {
	const char *data;
	size_t len, at;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t room = size * nmemb, left = u->len - u->at;
	size_t n = left < room ? left : room;
	memcpy(buf, u->data + u->at, n);
	u->at += n;
	return n;
}

/* Run the transfer of c, looking every 200 ms whether the server stops:
 * shutdown does not wait for a mail server that hangs (the message stays
 * queued for the next start). The easy handle's own timeouts still hold. */
static CURLcode perform(struct notifier *n, CURL *c)
{
	CURLM *m = curl_multi_init();
	CURLcode cc = CURLE_OUT_OF_MEMORY;
	if (!m || curl_multi_add_handle(m, c) != CURLM_OK)
		goto out;
	int running = 1;
	cc = CURLE_OK;
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK) {
			cc = CURLE_SEND_ERROR;
			break;
		}
		if (!running)
			break;
		if (atomic_load(&n->stopping)) {
			/* removing the handle would say QUIT and wait for the
			 * silent server's answer: cut the connection first */
			curl_socket_t fd = CURL_SOCKET_BAD;
			if (curl_easy_getinfo(c, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK
			    && fd != CURL_SOCKET_BAD)
				shutdown(fd, SHUT_RDWR);
			curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 1L);
			cc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		if (curl_multi_poll(m, NULL, 0, 200, NULL) != CURLM_OK) {
			cc = CURLE_SEND_ERROR;
			break;
		}
	}
	if (!running) {
		int left = 0;
		CURLMsg *msg;
		while ((msg = curl_multi_info_read(m, &left)))
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == c)
				cc = msg->data.result;
	}
	curl_multi_remove_handle(m, c);
out:
	if (m)
		curl_multi_cleanup(m);
	return cc;
}

/* Send one message; NULL when sent, else the reason (static or in why). */
static const char *send_one(struct notifier *n, const struct mail_job *job,
			    char *why, size_t why_size)
{
	char *msg = notifier_message(n->o.from, job->recipient, job->subject,
				     job->body, job->id, (int64_t)time(NULL));
	if (!msg)
		return "out of memory";
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	char to[NOTICE_EMAIL_MAX + 3];
	char from[NOTICE_EMAIL_MAX + 3];
	snprintf(to, sizeof to, "<%s>", job->recipient);
	snprintf(from, sizeof from, "<%s>", n->o.from);
	rcpt = curl_slist_append(NULL, to);
	const char *result = NULL;
	if (!c || !rcpt) {
		result = "out of memory";
		goto out;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct upload u = { msg, strlen(msg), 0 };
	curl_easy_setopt(c, CURLOPT_URL, n->o.smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)n->o.smtp_timeout);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	/* smtp://: STARTTLS when the server offers it; smtps://: TLS from
	 * the start (libcurl, by the scheme) */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (n->o.smtp_user)
		curl_easy_setopt(c, CURLOPT_USERNAME, n->o.smtp_user);
	if (n->o.smtp_password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, n->o.smtp_password);
	CURLcode cc = perform(n, c);
	if (cc != CURLE_OK) {
		snprintf(why, why_size, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
		result = why;
	}
out:
	curl_slist_free_all(rcpt);
	if (c)
		curl_easy_cleanup(c);
	free(msg);
	return result;
}

static void *mail_main(void *arg)
{
	struct notifier *n = arg;
	struct store *db = NULL;
	struct px_error err = { 0 };
	if (store_open(n->o.db_path, 0, &db, &err)) {
		fprintf(stderr, "pnyx serve: mail stopped: %s\n", px_error_message(&err));
		return NULL;
	}
	for (;;) {
		struct gov_ctx ctx = { .db = db, .now = (int64_t)time(NULL), .operator = 1 };
		struct mail_job job;
		int found = 0;
		px_error_clear(&err);
		if (gov_mail_next(&ctx, &job, &found, &err)) {
			fprintf(stderr, "pnyx serve: mail queue: %s\n", px_error_message(&err));
			found = 0;
		}
		if (found) {
			char why[CURL_ERROR_SIZE + 32];
			const char *error = send_one(n, &job, why, sizeof why);
			ctx.now = (int64_t)time(NULL);
			/* cut off by shutdown: not an attempt, it stays as it was */
			if (error && atomic_load(&n->stopping)) {
				mail_job_release(&job);
				break;
			}
			if (gov_mail_done(&ctx, job.id, error, n->o.retry_base,
					  n->o.max_attempts, &err))
				fprintf(stderr, "pnyx serve: mail queue: %s\n",
					px_error_message(&err));
			mail_job_release(&job);
			if (!error && !atomic_load(&n->stopping))
				continue; /* more may be due: no nap */
		}
		if (nap(n))
			break;
	}
	store_close(db);
	return NULL;
}

int notifier_start(const struct notifier_options *o, struct notifier **out,
		   struct px_error *err)
{
	*out = NULL;
	struct notifier *n = calloc(1, sizeof(*n));
	if (!n)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	n->o = *o;
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->wake, NULL);
	if (o->smtp_url && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		notifier_stop(n);
		return px_fail(err, PX_E_INTERNAL, NULL, "libcurl did not start");
	}
	if (pthread_create(&n->notify_thread, NULL, notify_main, n)) {
		notifier_stop(n);
		return px_fail(err, PX_E_INTERNAL, NULL, "cannot start the notifier");
	}
	n->notify_started = 1;
	if (o->smtp_url) {
		if (pthread_create(&n->mail_thread, NULL, mail_main, n)) {
			notifier_stop(n);
			return px_fail(err, PX_E_INTERNAL, NULL, "cannot start the mailer");
		}
		n->mail_started = 1;
	}
	*out = n;
	return 0;
}

void notifier_stop(struct notifier *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	atomic_store(&n->stopping, 1);
	pthread_cond_broadcast(&n->wake);
	pthread_mutex_unlock(&n->lock);
	if (n->notify_started)
		pthread_join(n->notify_thread, NULL);
	if (n->mail_started)
		pthread_join(n->mail_thread, NULL);
	if (n->o.smtp_url)
		curl_global_cleanup();
	pthread_mutex_destroy(&n->lock);
	pthread_cond_destroy(&n->wake);
	free(n);
}
