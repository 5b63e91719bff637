/* The notifier's table (src/gov/notice/notice.c) through the domain
 * layer, with a clock the test controls: one local assembly, harbour,
 * founded by amara with bruno and chen as members; dora belongs nowhere.
 * Proven here: each row of the table reaches exactly the people it
 * concerns (the active members of the assembly, never the actor, never
 * a stranger, nobody after they left; an answer to a comment reaches the
 * comment's author alone), a meeting's beginning is noted once per
 * member, and reading the journal again makes nothing twice. Comments
 * are written as hand-made journal entries (comment.add, payload as the
 * comments feature journals it). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/people/people.h"
#include "gov/assembly/assembly.h"
#include "gov/lot/lot.h"
#include "gov/notice/notice.h"
#include "gov/procedure/procedure.h"
#include "http/notifier.h"
#include "store/journal.h"
#include "store/store.h"

#define FX_PEOPLE 4

enum { AMARA, BRUNO, CHEN, DORA };
static const char *const people[] = { "amara", "bruno", "chen", "dora" };

#include "meeting_fixture.h"

/* meeting_fixture.h's common start: harbour, founded by amara, bruno and
 * chen members, dora an account and no more. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fx_harbour(f, "notice", rule, sched, 3))
		return -1;
	*state = f;
	return 0;
}

/* Run the notifier to the end of the journal. */
static void catch_up(struct fx *f)
{
	struct gov_ctx c;
	struct px_error err = { 0 };
	int64_t done = 0;
	as(f, &c, -1);
	do
		assert_int_equal(gov_notice_catch_up(&c, 3, &done, &err), 0);
	while (done > 0);
}

/* How many notifications of kind what who has (text containing needle,
 * when given). */
static int64_t count(struct fx *f, int who, const char *what, const char *needle)
{
	sqlite3_stmt *st = store_stmt(f->s, "SELECT count(*) FROM notifications"
		" WHERE account_id = ? AND what = ? AND instr(text, ?) > 0");
	sqlite3_bind_int64(st, 1, f->ids[who]);
	sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, needle ? needle : "", -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static int64_t total(struct fx *f)
{
	sqlite3_stmt *st = store_stmt(f->s, "SELECT count(*) FROM notifications");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

static void test_motion_reaches_members_not_the_proposer_nor_a_stranger(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t id;
	assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "Plant trees", "x",
				   NULL, &id, &err), 0);
	catch_up(f);
	assert_int_equal(count(f, BRUNO, "motion", "Plant trees"), 1);
	assert_int_equal(count(f, CHEN, "motion", "Plant trees"), 1);
	assert_int_equal(count(f, AMARA, "motion", NULL), 0);
	assert_int_equal(count(f, DORA, "motion", NULL), 0);
	sqlite3_stmt *st = store_stmt(f->s, "SELECT link, text FROM notifications"
				      " WHERE account_id = ?");
	sqlite3_bind_int64(st, 1, f->ids[BRUNO]);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char want[64];
	snprintf(want, sizeof want, "/motion.html?id=%lld", (long long)id);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 1), "Harbour Assembly"));
	sqlite3_reset(st);
}

static void test_vote_and_result_reach_members_and_say_no_ballot(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t id;
	f->now = MEETING1 + 60; /* the meeting is in session */
	assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "Fix the bridge", "x",
				   NULL, &id, &err), 0);
	attend(f, AMARA, id);
	attend(f, BRUNO, id);
	assert_int_equal(act(f, AMARA, id, "open", "devices", &err), 0);
	catch_up(f);
	assert_int_equal(count(f, BRUNO, "vote", "Fix the bridge"), 1);
	assert_int_equal(count(f, CHEN, "vote", "Fix the bridge"), 1);
	assert_int_equal(count(f, AMARA, "vote", NULL), 0);
	assert_int_equal(count(f, DORA, "vote", NULL), 0);
	assert_int_equal(act(f, AMARA, id, "vote", "yes", &err), 0);
	assert_int_equal(act(f, BRUNO, id, "vote", "no", &err), 0);
	/* a ballot concerns nobody: nothing new */
	int64_t before = total(f);
	catch_up(f);
	assert_int_equal(total(f), before);
	assert_int_equal(act(f, BRUNO, id, "close", NULL, &err), 0);
	catch_up(f);
	/* bruno closed it: amara and chen are told, not bruno */
	assert_int_equal(count(f, AMARA, "result", "Fix the bridge"), 1);
	assert_int_equal(count(f, CHEN, "result", "Fix the bridge"), 1);
	assert_int_equal(count(f, BRUNO, "result", NULL), 0);
	assert_int_equal(count(f, DORA, "result", NULL), 0);
	/* how anyone voted is never said */
	assert_int_equal(count(f, CHEN, "result", " yes"), 0);
	assert_int_equal(count(f, CHEN, "result", " no "), 0);
}

static void test_meeting_begun_is_noted_once_per_member(void **state)
{
	struct fx *f = *state;
	struct gov_ctx c;
	struct px_error err = { 0 };
	int64_t made = 0;
	int64_t ignored = 0;
	assert_int_equal(gov_meetings_materialise(&(struct gov_ctx){ .db = f->s,
		.now = f->now, .operator = 1 }, &ignored, &err), 0);
	f->now = MEETING1 - 60; /* not yet */
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(made, 0);
	f->now = MEETING1 + 30;
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(made, 3);
	for (int who = AMARA; who <= CHEN; who++)
		assert_int_equal(count(f, who, "meeting", "has begun, at Hall"), 1);
	assert_int_equal(count(f, DORA, "meeting", NULL), 0);
	f->now += 60;
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(made, 0);
	/* long after the start: a meeting is not announced late */
	f->now = MEETING1 + 7 * 24 * 3600 + NOTICE_MEETING_FRESH + 1;
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(made, 0);
}

static void test_a_member_who_left_is_told_nothing_after(void **state)
{
	struct fx *f = *state;
	struct gov_ctx c;
	struct px_error err;
	f->now++;
	as(f, &c, CHEN);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gov_member_leave(&c, "harbour", &err), 0);
	assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "After chen left", "x",
				   NULL, NULL, &err), 0);
	catch_up(f);
	assert_int_equal(count(f, BRUNO, "motion", "After chen left"), 1);
	assert_int_equal(count(f, CHEN, "motion", NULL), 0);
}

/* Append a hand-made comment.add entry, as the comments feature does. */
struct comment_entry {
	int64_t at;
	const char *author;
	json_t *payload;
};

static int comment_tx(struct store *s, void *arg)
{
	struct comment_entry *e = arg;
	return journal_append(s, e->at, e->author, "harbour", "comment.add", e->payload, NULL);
}

static void comment(struct fx *f, int who, int64_t id, int64_t motion, int64_t reply_to)
{
	struct comment_entry e = { ++f->now, people[who], NULL };
	e.payload = json_pack("{s:I, s:s, s:s, s:I, s:o, s:s}", "comment", (json_int_t)id,
			      "author", people[who], "target", "motion",
			      "target_id", (json_int_t)motion,
			      "reply_to", reply_to ? json_integer(reply_to) : json_null(),
			      "text", "A comment.");
	assert_int_equal(store_tx(f->s, comment_tx, &e), 0);
	json_decref(e.payload);
}

static void test_an_answer_reaches_the_author_of_the_comment_alone(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t id;
	assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "Discussed", "x",
				   NULL, &id, &err), 0);
	catch_up(f);
	int64_t before = total(f);
	comment(f, BRUNO, 1, id, 0);  /* a comment answering none: nobody */
	catch_up(f);
	assert_int_equal(total(f), before);
	comment(f, CHEN, 2, id, 1);   /* chen answers bruno */
	catch_up(f);
	assert_int_equal(count(f, BRUNO, "reply", "chen answered your comment on"), 1);
	assert_int_equal(count(f, BRUNO, "reply", "\u201cDiscussed\u201d"), 1);
	assert_int_equal(count(f, CHEN, "reply", NULL), 0);
	assert_int_equal(count(f, AMARA, "reply", NULL), 0);
	assert_int_equal(count(f, DORA, "reply", NULL), 0);
	comment(f, BRUNO, 3, id, 1);  /* bruno answers himself: nobody */
	comment(f, DORA, 4, id, 99);  /* an answer to no comment: nobody */
	before = total(f);
	catch_up(f);
	assert_int_equal(total(f), before);
}

static void test_reading_the_journal_again_makes_nothing_twice(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "Once", "x",
				   NULL, NULL, &err), 0);
	catch_up(f);
	int64_t before = total(f);
	assert_true(before >= 2);
	/* as after a crash between the notifications and the cursor */
	sqlite3_stmt *st = store_stmt(f->s, "UPDATE notice_cursor SET seq = 0");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_reset(st);
	catch_up(f);
	assert_int_equal(total(f), before);
}

static void test_mail_waits_for_the_window_then_groups(void **state)
{
	struct fx *f = *state;
	struct gov_ctx c;
	struct px_error err = { 0 };
	json_t *out = NULL;
	as(f, &c, BRUNO);
	assert_int_equal(gov_notice_settings_set(&c, "bruno@example.org", 1, &out, &err), 0);
	json_decref(out);
	for (int i = 0; i < 3; i++)
		assert_int_equal(submit_rc(f, "harbour", AMARA, "resolution", "Grouped", "x",
					   NULL, NULL, &err), 0);
	catch_up(f);
	int64_t queued = 0;
	as(f, &c, -1);
	assert_int_equal(gov_mail_batch(&c, 60, "https://x.example", &queued, &err), 0);
	assert_int_equal(queued, 0); /* within the window */
	f->now += 61;
	as(f, &c, -1);
	assert_int_equal(gov_mail_batch(&c, 60, "https://x.example", &queued, &err), 0);
	assert_int_equal(queued, 1);
	struct mail_job job;
	int found = 0;
	assert_int_equal(gov_mail_next(&c, &job, &found, &err), 0);
	assert_true(found);
	assert_string_equal(job.recipient, "bruno@example.org");
	assert_string_equal(job.subject, "3 new notifications");
	assert_non_null(strstr(job.body, "https://x.example/motion.html?id="));
	/* a failure: retried after the base delay, then doubled */
	assert_int_equal(gov_mail_done(&c, job.id, "no route", 10, 3, &err), 0);
	mail_job_release(&job);
	assert_int_equal(gov_mail_next(&c, &job, &found, &err), 0);
	assert_false(found);
	f->now += 10;
	as(f, &c, -1);
	assert_int_equal(gov_mail_next(&c, &job, &found, &err), 0);
	assert_true(found);
	assert_int_equal(gov_mail_done(&c, job.id, "no route", 10, 3, &err), 0);
	mail_job_release(&job);
	f->now += 19;
	as(f, &c, -1);
	assert_int_equal(gov_mail_next(&c, &job, &found, &err), 0);
	assert_false(found);
	f->now += 1;
	as(f, &c, -1);
	assert_int_equal(gov_mail_next(&c, &job, &found, &err), 0);
	assert_true(found);
	/* the third failure is the last: given up, kept, reported */
	assert_int_equal(gov_mail_done(&c, job.id, "no route", 10, 3, &err), 0);
	mail_job_release(&job);
	f->now += 100000;
	as(f, &c, -1);
	assert_int_equal(gov_mail_next(&c, &job, &found, &err), 0);
	assert_false(found);
	assert_int_equal(gov_mail_health(&c, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "failed")), 1);
	assert_int_equal(json_integer_value(json_object_get(out, "queued")), 0);
	assert_string_equal(json_string_value(json_object_get(out, "last_error")), "no route");
	json_decref(out);
}

/* Exec sql with the first parameter bound to v (a time). */
static void exec_at(struct fx *f, const char *sql, int64_t v)
{
	sqlite3_stmt *st = store_stmt(f->s, sql);
	assert_non_null(st);
	sqlite3_bind_int64(st, 1, v);
	assert_int_equal(store_run(st), 0);
}

static int64_t rows(struct fx *f, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(store_int64(store_stmt(f->s, sql), &n, NULL), 0);
	return n;
}

/* Retention: read notifications go keep_read after they were read, sent
 * and given-up mail keep_mail after; never one unread, one waiting to be
 * mailed, or a mail still queued, however old; 0 keeps for ever. */
static void test_retention_drops_only_what_was_read_or_done(void **state)
{
	struct fx *f = *state;
	struct gov_ctx c;
	struct px_error err = { 0 };
	const int64_t day = 86400, old = T0 - 100 * day, recent = T0 - 5 * day;
	const char *insert = "INSERT INTO notifications(account_id, source, what, at, text,"
		" link, read_at, mailed) VALUES (%lld, '%s', 'motion', ?1 - 1, 't', '/',"
		" %s, %d)";
	const struct { const char *source, *read_at; int mailed, stays; } n[] = {
		{ "old-read", "?1", 1, 0 },
		{ "old-unread", "NULL", 1, 1 },
		{ "old-read-unmailed", "?1", 0, 1 },
		{ "recent-read", "?1 + 95 * 86400", 1, 1 },
	};
	char sql[400];
	for (size_t i = 0; i < sizeof n / sizeof *n; i++) {
		snprintf(sql, sizeof sql, insert, (long long)f->ids[BRUNO], n[i].source,
			 n[i].read_at, n[i].mailed);
		exec_at(f, sql, old);
	}
	const char *mail = "INSERT INTO mail_queue(account_id, recipient, subject, body,"
		" created_at, status, next_at, sent_at) VALUES (%lld, 'b@example.org', '%s',"
		" 'x', ?1, '%s', ?1, %s)";
	const struct { const char *subject, *status, *sent_at; int64_t at; } m[] = {
		{ "old-sent", "sent", "?1", old },
		{ "old-failed", "failed", "NULL", old },
		{ "old-queued", "queued", "NULL", old },
		{ "recent-sent", "sent", "?1", recent },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
		snprintf(sql, sizeof sql, mail, (long long)f->ids[BRUNO], m[i].subject,
			 m[i].status, m[i].sent_at);
		exec_at(f, sql, m[i].at);
	}
	exec_at(f, "INSERT INTO notice_clock(source, at) VALUES ('meeting:1', ?1)", old);
	exec_at(f, "INSERT INTO notice_clock(source, at) VALUES ('meeting:2', ?1)", T0 - 3600);

	int64_t removed = -1;
	as(f, &c, -1);
	/* 0 keeps for ever (the clock's marks still go) */
	assert_int_equal(gov_notice_prune(&c, 0, 0, &removed, &err), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(rows(f, "SELECT count(*) FROM notifications"), 4);
	assert_int_equal(rows(f, "SELECT count(*) FROM mail_queue"), 4);
	assert_int_equal(gov_notice_prune(&c, 30 * day, 30 * day, &removed, &err), 0);
	assert_int_equal(removed, 3);
	assert_int_equal(rows(f, "SELECT count(*) FROM notifications WHERE source IN"
			      " ('old-unread', 'old-read-unmailed', 'recent-read')"), 3);
	assert_int_equal(rows(f, "SELECT count(*) FROM notifications"), 3);
	assert_int_equal(rows(f, "SELECT count(*) FROM mail_queue WHERE subject IN"
			      " ('old-queued', 'recent-sent')"), 2);
	assert_int_equal(rows(f, "SELECT count(*) FROM mail_queue"), 2);
	assert_int_equal(rows(f, "SELECT count(*) FROM notice_clock"
			      " WHERE source = 'meeting:2'"), 1);
	/* again: nothing more */
	assert_int_equal(gov_notice_prune(&c, 30 * day, 30 * day, &removed, &err), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(gov_notice_prune(&c, -1, 0, &removed, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "keep_read");
	/* more than one transaction deletes (2000 rows each): all go */
	exec_at(f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		" WHERE i < 4500) INSERT INTO notifications(account_id, source, what, at,"
		" text, link, read_at, mailed) SELECT (SELECT min(id) FROM accounts),"
		" 'bulk:' || i, 'motion', ?1, 't', '/', ?1, 1 FROM n", old);
	assert_int_equal(gov_notice_prune(&c, 30 * day, 30 * day, &removed, &err), 0);
	assert_int_equal(removed, 4500);
	assert_int_equal(rows(f, "SELECT count(*) FROM notifications"), 3);
}

static void test_email_addresses(void **state)
{
	(void)state;
	assert_true(notice_email_ok("ana@example.org"));
	assert_true(notice_email_ok("ana.b+x@mail.example.org"));
	assert_false(notice_email_ok("ana@example"));
	assert_false(notice_email_ok("@example.org"));
	assert_false(notice_email_ok("ana@@example.org"));
	assert_false(notice_email_ok("ana@.org"));
	assert_false(notice_email_ok("ana@example.org."));
	assert_false(notice_email_ok("ana b@example.org"));
	assert_false(notice_email_ok("ana@example.org\r\nBcc: x@example.org"));
	assert_false(notice_email_ok("<ana@example.org>"));
	assert_false(notice_email_ok("ana,b@example.org"));
	assert_false(notice_email_ok(""));
}

/* The mail as sent: headers, the subject in RFC 2047 words when it is not
 * ASCII (a line break in a title cannot start a header), CRLF line ends. */
static void test_mail_message(void **state)
{
	(void)state;
	char *m = notifier_message("assembly@example.org", "bea@example.org",
				   "Pra\xc3\xa7" "a da Fonte\r\nBcc: evil@example.org",
				   "Hello,\n\n* one\n  https://x/motion.html?id=1\n", 7, 0);
	assert_non_null(m);
	assert_non_null(strstr(m, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(m, "From: pnyx <assembly@example.org>\r\n"));
	assert_non_null(strstr(m, "To: <bea@example.org>\r\n"));
	assert_non_null(strstr(m, "Message-ID: <pnyx-mail-7-0@example.org>\r\n"));
	assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
	assert_null(strstr(m, "\r\nBcc:"));
	assert_non_null(strstr(m, "Content-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(m, "\r\n\r\nHello,\r\n\r\n* one\r\n"));
	for (const char *p = m; *p; p++)
		if (*p == '\n')
			assert_true(p > m && p[-1] == '\r');
	free(m);
	m = notifier_message("a@example.org", "b@example.org", "3 new notifications",
			     "x", 1, 0);
	assert_non_null(strstr(m, "Subject: 3 new notifications\r\n"));
	free(m);
	m = notifier_message("a@example.org", "b@example.org", "Plain\r\nBcc: evil@example.org",
			     "x", 1, 0);
	assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
	assert_null(strstr(m, "\r\nBcc:"));
	free(m);
	assert_true(notifier_url_ok("smtp://127.0.0.1:25"));
	assert_true(notifier_url_ok("smtps://user:pw@mail.example.org:465"));
	assert_false(notifier_url_ok("http://mail.example.org"));
	assert_false(notifier_url_ok("smtp://"));
	assert_false(notifier_url_ok("smtp://host name"));
}

/* Citizenship by yearly consent (src/gov/lot): dora, a resident of
 * harbour, consents; the clock reminds her 30 and 7 days before it lapses,
 * once each, and nobody else; a renewal has reminders of its own. */
static void test_a_citizen_is_reminded_30_and_7_days_before_consent_lapses(void **state)
{
	struct fx *f = *state;
	struct gov_ctx c;
	struct px_error err = { 0 };
	json_t *out = NULL;
	int64_t made = 0;
	as(f, &c, DORA);
	assert_int_equal(gov_residence_set(&c, "harbour", &out, &err), 0);
	json_decref(out);
	assert_int_equal(gov_consent_give(&c, 1, &out, &err), 0);
	int64_t expires = json_integer_value(json_object_get(out, "expires_at"));
	json_decref(out);
	assert_int_equal(expires, lot_one_year_after(f->now));

	f->now = expires - 30 * 86400 - 60; /* not yet */
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(count(f, DORA, "citizenship", NULL), 0);
	f->now = expires - 30 * 86400 + 60;
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(count(f, DORA, "citizenship", "lapses in 30 days"), 1);
	for (int who = AMARA; who <= CHEN; who++)
		assert_int_equal(count(f, who, "citizenship", NULL), 0);
	f->now += 3600; /* once */
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(count(f, DORA, "citizenship", NULL), 1);
	f->now = expires - 7 * 86400 + 60;
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(count(f, DORA, "citizenship", "lapses in 7 days"), 1);
	assert_int_equal(count(f, DORA, "citizenship", NULL), 2);
	f->now = expires + 60; /* lapsed: nothing more */
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	assert_int_equal(count(f, DORA, "citizenship", NULL), 2);

	/* renewed: its own reminders, a year on */
	as(f, &c, DORA);
	assert_int_equal(gov_consent_give(&c, 1, &out, &err), 0);
	int64_t again = json_integer_value(json_object_get(out, "expires_at"));
	json_decref(out);
	assert_true(again > expires);
	f->now = again - 7 * 86400 + 60;
	as(f, &c, -1);
	assert_int_equal(gov_notice_meetings(&c, &made, &err), 0);
	/* the 30-day reminder's time passed unseen: only the one now due */
	assert_int_equal(count(f, DORA, "citizenship", NULL), 3);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_motion_reaches_members_not_the_proposer_nor_a_stranger),
		T(test_vote_and_result_reach_members_and_say_no_ballot),
		T(test_meeting_begun_is_noted_once_per_member),
		T(test_a_member_who_left_is_told_nothing_after),
		T(test_an_answer_reaches_the_author_of_the_comment_alone),
		T(test_reading_the_journal_again_makes_nothing_twice),
		T(test_mail_waits_for_the_window_then_groups),
		T(test_retention_drops_only_what_was_read_or_done),
		T(test_a_citizen_is_reminded_30_and_7_days_before_consent_lapses),
		cmocka_unit_test(test_email_addresses),
		cmocka_unit_test(test_mail_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
