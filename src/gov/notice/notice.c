/*
 * notice.c: the notifier. It reads the journal after its cursor and
 * fans each entry out by the table below (who is concerned, how to say
 * it), and notes meetings that have begun. See notice.h.
 *
 * Invariants: a notification is made at most once per person and source
 * (the table's unique key), so reading an entry again after a crash is
 * harmless; the cursor moves in the transaction that made the entry's
 * notifications, so none is lost either. The actor of an entry is never
 * told of their own act. Membership is read as it is when the notifier
 * runs, and counts only when it began at or before the entry: a person
 * who has left, or who joined later, is not told.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/economy/economy.h"
#include "gov/sharing/sharing.h"
#include "notice.h"
#include "banned.h"

/* Who an entry concerns. */
enum concern {
	/* the active members of the entry's body */
	CONCERN_MEMBERS,
	/* the active members of the assemblies the entry's body offered a
	 * proposal to, in the same decision */
	CONCERN_OFFERED,
	/* one account, found by the phrase (n->account) */
	CONCERN_ACCOUNT,
};

/* What a phrase function fills; skip = 1 when the entry concerns nobody
 * after all (a comment that answers none). */
struct notice {
	int skip;
	int64_t body_id;  /* the entry's body, 0 if none */
	int64_t account;  /* CONCERN_ACCOUNT */
	struct strbuf text;
	char link[NOTICE_LINK_MAX];
};

struct notice_rule {
	const char *action;  /* the journal entry kind */
	const char *what;    /* the notification's kind, as the API shows it */
	enum concern who;
	int (*phrase)(struct store *s, const struct journal_entry *e,
		      const json_t *p, const char *lang, struct notice *n);
};

static int64_t payload_int(const json_t *p, const char *key)
{
	const json_t *v = json_object_get(p, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static const char *payload_str(const json_t *p, const char *key)
{
	const json_t *v = json_object_get(p, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The text that sql (one int64 parameter) finds for key, appended to sb;
 * PX_E_NOT_FOUND when it finds no row. */
static int lookup_text(struct store *s, const char *sql, int64_t key,
		       struct strbuf *sb)
{
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, sql);
	if (st)
		sqlite3_bind_int64(st, 1, key);
	int rc = store_text(st, sb, &found);
	return rc ? rc : found ? 0 : PX_E_NOT_FOUND;
}

/* The entry's body into n->body_id, its name into name. PX_E_NOT_FOUND
 * if it has none or it is gone. */
static int entry_body(struct store *s, const struct journal_entry *e,
		      struct notice *n, struct strbuf *name)
{
	int found = 0;
	if (!e->body)
		return PX_E_NOT_FOUND;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM bodies WHERE slug = ?");
	if (st)
		sqlite3_bind_text(st, 1, e->body, -1, SQLITE_TRANSIENT);
	int rc = store_int64(st, &n->body_id, &found);
	if (!rc && !found)
		rc = PX_E_NOT_FOUND;
	if (!rc)
		rc = lookup_text(s, "SELECT name FROM bodies WHERE id = ?", n->body_id, name);
	return rc;
}

/* The title of motion id into sb. */
static int motion_title(struct store *s, int64_t id, struct strbuf *sb)
{
	return lookup_text(s, "SELECT title FROM motions WHERE id = ?", id, sb);
}

/* The title of proposal id, as its latest version has it, into sb. */
static int proposal_title(struct store *s, int64_t id, struct strbuf *sb)
{
	return lookup_text(s, "SELECT title FROM proposal_versions WHERE proposal_id = ?"
			      " ORDER BY version DESC LIMIT 1", id, sb);
}

static int phrase_submit(struct store *s, const struct journal_entry *e,
			 const json_t *p, const char *lang, struct notice *n)
{
	struct strbuf name;
	sb_init(&name, 0);
	int rc = entry_body(s, e, n, &name);
	int64_t motion = payload_int(p, "motion");
	const char *title = payload_str(p, "title");
	if (!rc)
		rc = sb_addf(&n->text, payload_int(p, "amends")
			     ? tr(lang, "New amendment in %s: \u201c%s\u201d")
			     : payload_int(p, "meeting")
			     ? tr(lang, "New motion on the agenda in %s: \u201c%s\u201d")
			     : tr(lang, "New motion in %s: \u201c%s\u201d"),
			     name.buf, title ? title : "");
	snprintf(n->link, sizeof n->link, "/motion.html?id=%" PRId64, motion);
	sb_release(&name);
	return rc;
}

static int phrase_vote(struct store *s, const struct journal_entry *e,
		       const json_t *p, const char *lang, struct notice *n)
{
	struct strbuf name, title;
	sb_init(&name, 0);
	sb_init(&title, 0);
	int64_t motion = payload_int(p, "motion");
	int rc = entry_body(s, e, n, &name);
	if (!rc)
		rc = motion_title(s, motion, &title);
	const char *mode = payload_str(p, "mode");
	if (!rc)
		rc = sb_addf(&n->text, mode && !strcmp(mode, "online")
			     ? tr(lang, "Voting has opened online on \u201c%s\u201d in %s")
			     : tr(lang, "Voting has opened on \u201c%s\u201d in %s"),
			     title.buf, name.buf);
	snprintf(n->link, sizeof n->link, "/motion.html?id=%" PRId64, motion);
	sb_release(&name);
	sb_release(&title);
	return rc;
}

static int phrase_result(struct store *s, const struct journal_entry *e,
			 const json_t *p, const char *lang, struct notice *n)
{
	struct strbuf name;
	sb_init(&name, 0);
	int rc = entry_body(s, e, n, &name);
	const char *outcome = payload_str(p, "outcome");
	const char *title = payload_str(p, "title");
	int64_t motion = payload_int(p, "motion");
	if (!outcome)
		outcome = "";
	if (!title)
		title = "";
	if (rc)
		;
	else if (!strcmp(outcome, "adopted"))
		rc = sb_addf(&n->text, tr(lang, "%s adopted \u201c%s\u201d"), name.buf,
			     title);
	else if (!strcmp(outcome, "rejected"))
		rc = sb_addf(&n->text, tr(lang, "%s did not adopt \u201c%s\u201d"),
			     name.buf, title);
	else if (!strcmp(outcome, "no_quorum"))
		rc = sb_addf(&n->text, tr(lang, "The vote on \u201c%s\u201d in %s ended "
			     "without a quorum"), title, name.buf);
	else
		rc = sb_addf(&n->text, tr(lang, "The vote on \u201c%s\u201d in %s is void"),
			     title, name.buf);
	snprintf(n->link, sizeof n->link, "/motion.html?id=%" PRId64, motion);
	sb_release(&name);
	return rc;
}

/* An enterprise's admission (docs/economy.md): the person admitted is
 * told, since they join by their own act; nobody else is. */
static int phrase_admitted(struct store *s, const struct journal_entry *e,
			   const json_t *p, const char *lang, struct notice *n)
{
	const char *who = payload_str(json_object_get(p, "effect"), "admitted");
	if (!who || strcmp(payload_str(p, "outcome") ? payload_str(p, "outcome") : "",
			   "adopted")) {
		n->skip = 1;
		return 0;
	}
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, who, -1, SQLITE_TRANSIENT);
	int rc = store_int64(st, &n->account, &row);
	if (rc || !row) {
		n->skip = !rc;
		return rc;
	}
	struct strbuf name;
	sb_init(&name, 0);
	rc = entry_body(s, e, n, &name);
	if (!rc)
		rc = sb_addf(&n->text, tr(lang, "%s admitted you as a member: join it "
			     "from its page"), name.buf);
	snprintf(n->link, sizeof n->link, "/enterprise.html?slug=%.*s", (int)e->body_len,
		 e->body ? e->body : "");
	sb_release(&name);
	return rc;
}

/* A division (src/gov/community): each member of the divided assembly is
 * asked which new community they live or work in; the others skip it. */
static int phrase_division(struct store *s, const struct journal_entry *e,
			   const json_t *p, const char *lang, struct notice *n)
{
	if (!json_is_object(json_object_get(json_object_get(p, "effect"), "divided"))) {
		n->skip = 1;
		return 0;
	}
	struct strbuf name;
	sb_init(&name, 0);
	int rc = entry_body(s, e, n, &name);
	if (!rc)
		rc = sb_addf(&n->text, tr(lang, "%s divided by its decision: say which new"
				       " community you live or work in"), name.buf);
	snprintf(n->link, sizeof n->link, "/assembly.html?slug=%.*s", (int)e->body_len,
		 e->body ? e->body : "");
	sb_release(&name);
	return rc;
}

/* A decision of a delegate assembly that offered a proposal (adopting it,
 * a new version, or accepting one from above and passing it on): the
 * offers it made at the entry's moment. */
static int phrase_offered(struct store *s, const struct journal_entry *e,
			  const json_t *p, const char *lang, struct notice *n)
{
	(void)p;
	struct strbuf name;
	sb_init(&name, 0);
	int row = 0;
	int rc = entry_body(s, e, n, &name);
	sqlite3_stmt *st = store_stmt(s,
		"SELECT o.proposal_id, v.title FROM proposal_offers o"
		" JOIN proposal_versions v ON v.proposal_id = o.proposal_id"
		"  AND v.version = o.version"
		" WHERE o.offered_by = ? AND o.at = ? ORDER BY o.proposal_id LIMIT 1");
	if (!rc && !st)
		rc = PX_E_INTERNAL;
	if (!rc) {
		sqlite3_bind_int64(st, 1, n->body_id);
		sqlite3_bind_int64(st, 2, e->at);
		rc = store_step(st, &row);
	}
	if (!rc && !row)
		n->skip = 1;
	if (!rc && row) {
		snprintf(n->link, sizeof n->link, "/proposal.html?id=%" PRId64,
			 (int64_t)sqlite3_column_int64(st, 0));
		rc = sb_addf(&n->text, tr(lang, "%s offers a proposal: \u201c%s\u201d"),
			     name.buf, (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
	}
	sb_release(&name);
	return rc;
}

/* comment.add (src/gov/discussion, the comments of motions and
 * proposals): payload {comment, author, handle, target ("motion" or
 * "proposal"), target_id, reply_to, text, at}. An answer concerns the author of the comment it
 * answers, found by that comment's own entry. */
static int phrase_reply(struct store *s, const struct journal_entry *e,
			const json_t *p, const char *lang, struct notice *n)
{
	int64_t reply_to = payload_int(p, "reply_to");
	const char *target = payload_str(p, "target");
	int64_t target_id = payload_int(p, "target_id");
	int row = 0, rc = 0;
	if (reply_to <= 0 || !target || target_id <= 0) {
		n->skip = 1;
		return 0;
	}
	int motion = !strcmp(target, "motion");
	if (!motion && strcmp(target, "proposal")) {
		n->skip = 1;
		return 0;
	}
	/* the answered comment's author: from the comments table
	 * (src/gov/discussion), else from that comment's own entry */
	sqlite3_stmt *st = store_stmt(s, "SELECT author_id FROM comments WHERE id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, reply_to);
	if ((rc = store_int64(st, &n->account, &row)))
		return rc;
	if (!row) {
		st = store_stmt(s,
			"SELECT a.id FROM journal j JOIN accounts a ON a.handle = j.actor"
			" WHERE j.action = 'comment.add' AND j.seq < ?"
			" AND json_extract(j.payload, '$.comment') = ?");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, e->seq);
		sqlite3_bind_int64(st, 2, reply_to);
		if ((rc = store_int64(st, &n->account, &row)))
			return rc;
	}
	if (!row) {
		n->skip = 1;
		return 0;
	}
	/* who answered, and on what */
	struct strbuf who, title;
	sb_init(&who, 0);
	sb_init(&title, 0);
	st = store_stmt(s, "SELECT display_name FROM accounts WHERE handle = ?");
	if (st)
		sqlite3_bind_text(st, 1, e->actor, (int)e->actor_len, SQLITE_TRANSIENT);
	rc = store_text(st, &who, &row);
	if (!rc && !row)
		rc = sb_adds(&who, e->actor);
	if (!rc)
		rc = motion ? motion_title(s, target_id, &title)
			    : proposal_title(s, target_id, &title);
	if (!rc)
		rc = sb_addf(&n->text, tr(lang, "%s answered your comment on \u201c%s\u201d"),
			     who.buf, title.buf);
	snprintf(n->link, sizeof n->link, "/%s.html?id=%" PRId64,
		 motion ? "motion" : "proposal", target_id);
	sb_release(&who);
	sb_release(&title);
	return rc;
}

/* round.review (src/gov/sharing/need.c): a refusal of a request's
 * evidence of need concerns the requester, who reads the committee's
 * reason; an acceptance is told on the round's page only. */
static int need_refused(struct store *s, const json_t *p, const char *lang, struct notice *n)
{
	const char *verdict = payload_str(p, "verdict"), *reason = payload_str(p, "reason");
	if (!verdict || strcmp(verdict, "refused") || !reason) {
		n->skip = 1;
		return 0;
	}
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT q.account_id, g.name, g.id FROM round_requests"
				      " q JOIN rounds r ON r.id = q.round_id JOIN goods g ON g.id ="
				      " r.good_id WHERE q.id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, payload_int(p, "request"));
	int rc = store_step(st, &row);
	if (rc || !row) {
		n->skip = !rc;
		return rc;
	}
	n->account = sqlite3_column_int64(st, 0);
	snprintf(n->link, sizeof n->link, "/sharing.html#round-%" PRId64,
		 (int64_t)sqlite3_column_int64(st, 2));
	rc = sb_addf(&n->text, tr(lang, "Your evidence of need for %s was not accepted:"
		     " \u201c%s\u201d You take part in the round without the category's reserve"),
		     (const char *)sqlite3_column_text(st, 1), reason);
	sqlite3_reset(st);
	return rc;
}

static int phrase_need_refused(struct store *s, const struct journal_entry *e,
			       const json_t *p, const char *lang, struct notice *n)
{
	/* a sealed review: the verdict and reason are in the database only */
	json_t *full = NULL;
	struct px_error err = { 0 };
	int rc = sharing_review_record(s, p, e->at, &full, &err);
	if (rc == PX_E_BAD_INPUT) {
		n->skip = 1;
		return 0;
	}
	if (rc)
		return rc;
	rc = need_refused(s, full ? full : p, lang, n);
	json_decref(full);
	return rc;
}

/* The table: one row per kind of entry that concerns someone. Several
 * rows may name the same kind (a decision has a result, and may offer a
 * proposal). Kinds not here concern nobody: joining, leaving, check-ins,
 * ballots (never: how someone voted is nobody's notification). */
static const struct notice_rule rules[] = {
	{ "motion.submit", "motion", CONCERN_MEMBERS, phrase_submit },
	{ "vote.open", "vote", CONCERN_MEMBERS, phrase_vote },
	{ "motion.decide", "result", CONCERN_MEMBERS, phrase_result },
	{ "motion.decide", "proposal", CONCERN_OFFERED, phrase_offered },
	{ "motion.decide", "admission", CONCERN_ACCOUNT, phrase_admitted },
	{ "motion.decide", "division", CONCERN_MEMBERS, phrase_division },
	{ "comment.add", "reply", CONCERN_ACCOUNT, phrase_reply },
	{ "round.review", "need_refused", CONCERN_ACCOUNT, phrase_need_refused },
	{ NULL, NULL, CONCERN_MEMBERS, NULL },
};

/* The end of every fan-out: one row per recipient, mail pending for
 * those who asked for it. ?1 source, ?2 what, ?3 at, ?4 text, ?5 link,
 * ?6 body or account, ?7 the actor's account (never told), ?8 the
 * language of the text (NULL: whoever is left), ?9 the entry's body.
 *
 * Each recipient reads it in their language: the one they chose for the
 * pages (person_languages), else their assembly's (bodies.language),
 * else English. The text is written once per language carried, the
 * other languages first, each inserted for the recipients who read it;
 * English last for everyone left, the unique key keeping the others'. */
#define NOTICE_INSERT \
	"INSERT INTO notifications(account_id, source, what, at, text, link, mailed)" \
	" SELECT DISTINCT r.account_id, ?1, ?2, ?3, ?4, ?5," \
	"  NOT EXISTS (SELECT 1 FROM notice_settings ns" \
	"   WHERE ns.account_id = r.account_id AND ns.mail = 1" \
	"   AND ns.email IS NOT NULL)"
#define NOTICE_LANG(body) \
	" AND (?8 IS NULL OR coalesce((SELECT pl.language FROM person_languages pl" \
	"  WHERE pl.account_id = r.account_id), (SELECT lb.language FROM bodies lb" \
	"  WHERE lb.id = " body "), 'en') = ?8)" \
	" ON CONFLICT (account_id, source) DO NOTHING"
static const char *const concern_sql[] = {
	[CONCERN_MEMBERS] = NOTICE_INSERT
		" FROM memberships r WHERE r.body_id = ?6 AND r.status = 'active'"
		" AND r.since <= ?3 AND r.account_id <> ?7" NOTICE_LANG("r.body_id"),
	[CONCERN_OFFERED] = NOTICE_INSERT
		" FROM proposal_offers o JOIN memberships r ON r.body_id = o.body_id"
		" WHERE o.offered_by = ?6 AND o.at = ?3 AND r.status = 'active'"
		" AND r.since <= ?3 AND r.account_id <> ?7" NOTICE_LANG("r.body_id"),
	[CONCERN_ACCOUNT] = NOTICE_INSERT
		" FROM (SELECT id AS account_id FROM accounts WHERE id = ?6) r"
		" WHERE r.account_id <> ?7" NOTICE_LANG("?9"),
};

/* lang NULL: every recipient not yet given the notification. */
static int notice_insert(struct store *s, enum concern who, int64_t target,
			 const char *source, const char *what, int64_t at,
			 const char *text, const char *link, int64_t actor,
			 const char *lang, int64_t body, int64_t *made)
{
	sqlite3_stmt *st = store_stmt(s, concern_sql[who]);
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, link, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, target);
	sqlite3_bind_int64(st, 7, actor);
	if (lang)
		sqlite3_bind_text(st, 8, lang, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	sqlite3_bind_int64(st, 9, body);
	int rc = store_run(st);
	if (!rc && made)
		*made += sqlite3_changes(store_db(s));
	return rc;
}

/* The languages in the order their passes run: every one carried but
 * English, then NULL (English, for everyone left). */
static const char *pass_lang(size_t i, int *last)
{
	const char *l = i18n_lang_at(i + 1);
	*last = !l;
	return l;
}

/* Rows one transaction makes at most: the entries after the one that
 * reaches it wait for the next, so that no decision queues long behind
 * the fan-out of a large assembly's entries. */
#define FAN_ROWS_MAX 5000
/* What fan_entry returns to stop the walk there (not an error). */
#define FAN_FULL (-1)

struct fan {
	struct store *s;
	int64_t last;
	int64_t made;
};

static int fan_entry(const struct journal_entry *e, void *arg)
{
	struct fan *f = arg;
	struct store *s = f->s;
	json_t *p = NULL;
	int rc = 0;
	if (f->made >= FAN_ROWS_MAX)
		return FAN_FULL;
	f->last = e->seq;
	for (const struct notice_rule *r = rules; r->action && !rc; r++) {
		if (strlen(r->action) != e->action_len
		    || memcmp(r->action, e->action, e->action_len))
			continue;
		if (!p) {
			p = json_loadb(e->payload, e->payload_len, 0, NULL);
			if (!json_is_object(p))
				break; /* nothing to read: concerns nobody */
		}
		int last = 0;
		for (size_t li = 0; !last && !rc; li++) {
			const char *lang = pass_lang(li, &last);
			struct notice n = { 0 };
			sb_init(&n.text, 0);
			rc = r->phrase(s, e, p, lang ? lang : I18N_DEFAULT, &n);
			/* an entry whose body or motion is gone concerns
			 * nobody any more; anything else is a failure, retried */
			if (rc == PX_E_NOT_FOUND) {
				rc = 0;
				n.skip = 1;
			}
			if (!rc && !n.skip) {
				int64_t actor = 0;
				int found = 0;
				sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts"
							      " WHERE handle = ?");
				if (!st)
					rc = PX_E_INTERNAL;
				if (!rc) {
					sqlite3_bind_text(st, 1, e->actor, (int)e->actor_len,
							  SQLITE_TRANSIENT);
					rc = store_int64(st, &actor, &found);
				}
				char source[64];
				snprintf(source, sizeof source, "journal:%" PRId64 ":%s",
					 e->seq, r->what);
				if (!rc)
					rc = notice_insert(s, r->who, r->who == CONCERN_ACCOUNT
							   ? n.account : n.body_id, source,
							   r->what, e->at, n.text.buf, n.link,
							   actor, lang, n.body_id, &f->made);
			}
			sb_release(&n.text);
			if (n.skip)
				break;
		}
	}
	json_decref(p);
	return rc;
}

struct catch_args {
	int64_t limit;
	int64_t done;
};

static int catch_tx(struct store *s, void *arg)
{
	struct catch_args *a = arg;
	int64_t cursor = 0;
	a->done = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT seq FROM notice_cursor WHERE id = 1");
	int rc = store_int64(st, &cursor, NULL);
	if (rc)
		return rc;
	struct fan f = { s, cursor, 0 };
	rc = journal_each(s, cursor, a->limit, fan_entry, &f);
	if (rc && rc != FAN_FULL)
		return rc;
	if (f.last == cursor)
		return 0;
	a->done = f.last - cursor;
	st = store_stmt(s, "UPDATE notice_cursor SET seq = ? WHERE id = 1");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, f.last);
	return store_run(st);
}

int gov_notice_catch_up(const struct gov_ctx *ctx, int64_t limit,
			int64_t *done, struct px_error *err)
{
	struct catch_args a = { limit, 0 };
	int rc = store_tx(ctx->db, catch_tx, &a);
	*done = rc ? 0 : a.done;
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

/* The languages a clock item is written in, at most: English and the
 * others carried (i18n_lang_at's order); a build carrying more writes
 * the rest in English. */
#define CLOCK_LANGS 16

/* What the clock brings, found before any of it is written. */
struct clock_item {
	int64_t body;       /* the assembly whose members are told, or */
	int64_t account;    /* the one person told (body 0) */
	char source[48];
	char link[NOTICE_LINK_MAX];
	char *text[CLOCK_LANGS]; /* by i18n_lang_at's index; NULL past the last */
};

struct clock_args {
	int64_t now;
	int64_t made;
	struct clock_item *items;
	size_t n, cap;
};

static void clock_free(struct clock_args *a)
{
	for (size_t i = 0; i < a->n; i++)
		for (size_t l = 0; l < CLOCK_LANGS; l++)
			free(a->items[i].text[l]);
	a->n = 0;
}

/* A new item, its texts to be written by the caller (clock_say). */
static int clock_add(struct clock_args *a, int64_t body, int64_t account,
		     const char *source, const char *link)
{
	struct clock_item *p = px_grow(a->items, &a->cap, a->n, sizeof(*p));
	if (!p)
		return PX_E_NOMEM;
	a->items = p;
	struct clock_item *it = &a->items[a->n++];
	memset(it, 0, sizeof(*it));
	it->body = body;
	it->account = account;
	snprintf(it->source, sizeof it->source, "%s", source);
	snprintf(it->link, sizeof it->link, "%s", link);
	return 0;
}

/* The last item's text in each language carried, by say(ctx, lang). */
static int clock_say(struct clock_args *a, int (*say)(const void *ctx, const char *lang,
						       struct strbuf *text),
		     const void *ctx)
{
	struct clock_item *it = &a->items[a->n - 1];
	struct strbuf text;
	sb_init(&text, 0);
	int rc = 0;
	const char *lang;
	for (size_t l = 0; !rc && l < CLOCK_LANGS && (lang = i18n_lang_at(l)); l++) {
		sb_reset(&text);
		rc = say(ctx, lang, &text);
		if (!rc && !(it->text[l] = strdup(text.buf)))
			rc = PX_E_NOMEM;
	}
	sb_release(&text);
	return rc;
}

/* A meeting that began: columns 2.. are its place and its body's name. */
static int say_meeting(const void *ctx, const char *lang, struct strbuf *text)
{
	sqlite3_stmt *st = (sqlite3_stmt *)ctx;
	const char *place = (const char *)sqlite3_column_text(st, 2);
	const char *name = (const char *)sqlite3_column_text(st, 3);
	return place && *place
		? sb_addf(text, tr(lang, "The meeting of %s has begun, at %s"), name, place)
		: sb_addf(text, tr(lang, "The meeting of %s has begun"), name);
}

/* A remote vote that opened: columns 2.. are its mode, the motion's title
 * and its body's name. */
static int say_remote_vote(const void *ctx, const char *lang, struct strbuf *text)
{
	sqlite3_stmt *st = (sqlite3_stmt *)ctx;
	const char *mode = (const char *)sqlite3_column_text(st, 2);
	return sb_addf(text, mode && !strcmp(mode, "mail")
		       ? tr(lang, "Voting by mail has opened on \u201c%s\u201d in %s")
		       : tr(lang, "Voting online has opened on \u201c%s\u201d in %s"),
		       (const char *)sqlite3_column_text(st, 3),
		       (const char *)sqlite3_column_text(st, 4));
}

/* What the clock announces: each query finds the items not yet announced
 * (?1 now, ?2 the oldest moment still fresh), as rows of (id, body,
 * what say reads); the source is prefix:id. */
struct clock_rule {
	const char *sql;
	const char *prefix; /* of the source, as notice_clock keeps it */
	const char *page;   /* the link: /page?id=id */
	int (*say)(const void *st, const char *lang, struct strbuf *text);
};
static const struct clock_rule clock_rules[] = {
	/* meetings that began (fresh, not closed, not yet announced) */
	{ "SELECT m.id, m.body_id, m.place, b.name FROM meetings m"
	  " JOIN bodies b ON b.id = m.body_id"
	  " WHERE m.starts_at <= ?1 AND m.starts_at > ?2 AND m.closed_at IS NULL"
	  " AND NOT EXISTS (SELECT 1 FROM notice_clock n"
	  "  WHERE n.source = 'meeting:' || m.id)"
	  " ORDER BY m.starts_at, m.id",
	  "meeting", "meeting.html", say_meeting },
	/* votes online or by mail that the assembly authorised and whose
	 * window opened (a vote that opens by the clock has no entry of its
	 * own: its first ballot starts it) */
	{ "SELECT r.motion_id, m.body_id, r.mode, m.title, b.name FROM remote_votes r"
	  " JOIN motions m ON m.id = r.motion_id JOIN bodies b ON b.id = m.body_id"
	  " WHERE r.opens_at <= ?1 AND r.opens_at > ?2 AND r.closes_at > ?1"
	  " AND m.status IN ('submitted', 'voting')"
	  " AND NOT EXISTS (SELECT 1 FROM notice_clock n"
	  "  WHERE n.source = 'remote:' || r.motion_id)"
	  " ORDER BY r.opens_at, r.motion_id",
	  "remote", "motion.html", say_remote_vote },
};

static int clock_collect(struct store *s, const struct clock_rule *r,
			 struct clock_args *a)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, r->sql);
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now);
	sqlite3_bind_int64(st, 2, a->now - NOTICE_MEETING_FRESH);
	while (store_next(st, &rc)) {
		int64_t id = sqlite3_column_int64(st, 0);
		char source[48], link[NOTICE_LINK_MAX];
		snprintf(source, sizeof source, "%s:%" PRId64, r->prefix, id);
		snprintf(link, sizeof link, "/%s?id=%" PRId64, r->page, id);
		rc = clock_add(a, sqlite3_column_int64(st, 1), 0, source, link);
		if (!rc)
			rc = clock_say(a, r->say, st);
		if (rc) {
			sqlite3_reset(st);
			break;
		}
	}
	return rc;
}

static int say_consent(const void *ctx, const char *lang, struct strbuf *text)
{
	int64_t days = *(const int64_t *)ctx;
	return sb_addf(text, trn(lang, "Your citizenship lapses in %lld day: renew your"
				 " consent to stay a citizen", "Your citizenship lapses in"
				 " %lld days: renew your consent to stay a citizen",
				 (uint64_t)days), (long long)days);
}

/* Citizenship about to lapse (src/gov/lot, docs/polities.md): each
 * citizen is told 30 days and again 7 days before their consent expires,
 * once per consent and reminder (a renewed consent has another expiry,
 * so its own reminders). A reminder whose time passed while the server
 * was down is not made late: only the one now due. */
static int clock_consents(struct store *s, struct clock_args *a)
{
	static const struct {
		int64_t from, until; /* seconds before the expiry */
		const char *tag;
	} reminders[] = {
		{ 30 * 86400, 7 * 86400, "30" },
		{ 7 * 86400, 0, "7" },
	};
	int rc = 0;
	for (size_t r = 0; !rc && r < sizeof(reminders) / sizeof(reminders[0]); r++) {
		sqlite3_stmt *st = store_stmt(s,
			"SELECT k.account_id, k.expires_at FROM consents k"
			" WHERE k.expires_at - ?2 <= ?1 AND k.expires_at - ?3 > ?1"
			" AND NOT EXISTS (SELECT 1 FROM notice_clock n WHERE n.source ="
			"  'consent:' || k.account_id || ':' || k.expires_at || ':' || ?4)"
			" ORDER BY k.expires_at, k.account_id");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, a->now);
		sqlite3_bind_int64(st, 2, reminders[r].from);
		sqlite3_bind_int64(st, 3, reminders[r].until);
		sqlite3_bind_text(st, 4, reminders[r].tag, -1, SQLITE_STATIC);
		while (store_next(st, &rc)) {
			int64_t account = sqlite3_column_int64(st, 0);
			int64_t expires = sqlite3_column_int64(st, 1);
			int64_t days = (expires - a->now + 86399) / 86400;
			char source[48];
			snprintf(source, sizeof source, "consent:%" PRId64 ":%" PRId64 ":%s",
				 account, expires, reminders[r].tag);
			rc = clock_add(a, 0, account, source, "/citizenship.html");
			if (!rc)
				rc = clock_say(a, say_consent, &days);
			if (rc) {
				sqlite3_reset(st);
				break;
			}
		}
	}
	return rc;
}

struct summons_say {
	const char *polity;
	int64_t days;
	int remind, again;
};

static int say_summons(const void *ctx, const char *lang, struct strbuf *text)
{
	const struct summons_say *w = ctx;
	uint64_t n = (uint64_t)w->days;
	return sb_addf(text,
		w->remind && w->again
		? trn(lang, "You are summoned to serve in the assembly of %s: answer within"
		      " %lld day, or the seat goes to the next alternate and you are summoned"
		      " again at the next renewal", "You are summoned to serve in the assembly"
		      " of %s: answer within %lld days, or the seat goes to the next alternate"
		      " and you are summoned again at the next renewal", n)
		: w->remind
		? trn(lang, "You are summoned to serve in the assembly of %s: answer within"
		      " %lld day, or the seat goes to the next alternate", "You are summoned"
		      " to serve in the assembly of %s: answer within %lld days, or the seat"
		      " goes to the next alternate", n)
		: w->again
		? trn(lang, "You are drawn by lot to serve in the assembly of %s: answer"
		      " within %lld day, or the seat goes to the next alternate and you are"
		      " summoned again at the next renewal", "You are drawn by lot to serve in"
		      " the assembly of %s: answer within %lld days, or the seat goes to the"
		      " next alternate and you are summoned again at the next renewal", n)
		: trn(lang, "You are drawn by lot to serve in the assembly of %s: answer"
		      " within %lld day, or the seat goes to the next alternate", "You are"
		      " drawn by lot to serve in the assembly of %s: answer within %lld days,"
		      " or the seat goes to the next alternate", n),
		w->polity ? w->polity : "", (long long)w->days);
}

/* A summons (src/gov/lot/summons.c): its person is told when summoned,
 * and reminded 7 days before the deadline if they have not answered,
 * each once; unanswered at the deadline, the seat goes to the next
 * alternate, and the person is summoned again at the cohort's next
 * renewal when the polity says so (no_answer "defer", for someone who
 * never deferred there). A summons whose deadline is a week away or less
 * when it is made gets the reminder only. */
static int clock_summons(struct store *s, struct clock_args *a)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT m.id, m.account_id, m.deadline, p.name,"
		" m.deadline - 604800 <= ?1, st.no_answer = 'defer' AND NOT EXISTS (SELECT 1"
		" FROM summons d WHERE d.account_id = m.account_id AND d.polity_id ="
		" m.polity_id AND (d.state = 'deferred' OR d.resummoned = 1)) FROM summons m"
		" JOIN polities p ON p.id = m.polity_id JOIN polity_settings st"
		" ON st.polity_id = m.polity_id WHERE m.state = 'summoned'"
		" AND m.summoned_at <= ?1 AND m.deadline > ?1"
		" AND NOT EXISTS (SELECT 1 FROM notice_clock n WHERE n.source ="
		"  'summons:' || m.id || CASE WHEN m.deadline - 604800 <= ?1 THEN ':7'"
		"  ELSE ':new' END) ORDER BY m.deadline, m.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now);
	while (store_next(st, &rc)) {
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t days = (sqlite3_column_int64(st, 2) - a->now + 86399) / 86400;
		struct summons_say say = {
			(const char *)sqlite3_column_text(st, 3), days,
			sqlite3_column_int(st, 4), sqlite3_column_int(st, 5) };
		char source[48];
		snprintf(source, sizeof source, "summons:%" PRId64 ":%s", id,
			 say.remind ? "7" : "new");
		rc = clock_add(a, 0, sqlite3_column_int64(st, 1), source, "/citizenship.html");
		if (!rc)
			rc = clock_say(a, say_summons, &say);
		if (rc) {
			sqlite3_reset(st);
			break;
		}
	}
	return rc;
}

/* A standing review opening (src/gov/economy/standing.c, docs/economy.md):
 * told once, on its date, to those reviewed (the enterprise's members, or
 * the person) and to the members of the local assembly that decides it.
 * A review opens by itself as a function of the decisions and the clock;
 * one whose date passed while the server was down is still told within
 * NOTICE_REVIEW_FRESH, since it stays open until the assembly decides. */
static int clock_standing(struct store *s, struct clock_args *a)
{
	json_t *list = NULL;
	int rc = standing_reviews_opened(s, a->now - NOTICE_REVIEW_FRESH, a->now, &list);
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r) {
		int64_t ent = json_integer_value(json_object_get(r, "enterprise"));
		int64_t person = json_integer_value(json_object_get(r, "person"));
		int64_t due = json_integer_value(json_object_get(r, "due_at"));
		int64_t local = json_integer_value(json_object_get(r, "assembly"));
		char source[64], link[NOTICE_LINK_MAX], text[NOTICE_TEXT_MAX];
		int found = 0;
		if (rc)
			break;
		snprintf(source, sizeof source, "standing:%s%" PRId64 ":%" PRId64,
			 ent ? "e" : "p", ent ? ent : person, due);
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM notice_clock WHERE source = ?");
		if (!st) {
			rc = PX_E_INTERNAL;
			break;
		}
		sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
		if ((rc = store_exists(st, &found)) || found)
			continue;
		snprintf(link, sizeof link, "/standing.html?assembly=%s",
			 json_string_value(json_object_get(r, "assembly_slug")));
		/* in each reader's language: the others carried first, English
		 * last for everyone left (see notice_insert) */
		int last = 0;
		for (size_t li = 0; !rc && !last; li++) {
			const char *lang = pass_lang(li, &last);
			const char *in = lang ? lang : I18N_DEFAULT;
			snprintf(text, sizeof text, ent
				 ? tr(in, "The review of %.150s's standing in the sharing economy"
				      " is open: %.150s decides at a meeting whether it contributes"
				      " and takes reasonably")
				 : tr(in, "The review of %.150s's standing in the sharing economy"
				      " is open: %.150s decides at a meeting whether they contribute"
				      " and take reasonably"),
				 json_string_value(json_object_get(r, "name")),
				 json_string_value(json_object_get(r, "assembly_name")));
			rc = ent ? notice_insert(s, CONCERN_MEMBERS, ent, source, "standing",
						 a->now, text, link, 0, lang, local, &a->made)
				 : notice_insert(s, CONCERN_ACCOUNT, person, source, "standing",
						 a->now, text, link, 0, lang, local, &a->made);
			if (!rc)
				rc = notice_insert(s, CONCERN_MEMBERS, local, source, "standing",
						   a->now, text, link, 0, lang, local, &a->made);
		}
		st = rc ? NULL : store_stmt(s, "INSERT INTO notice_clock(source, at) VALUES (?, ?)");
		if (!rc && !st)
			rc = PX_E_INTERNAL;
		if (!rc) {
			sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, a->now);
			rc = store_run(st);
		}
	}
	json_decref(list);
	return rc;
}

/* A recommendation overdue (src/gov/cases, docs/cases.md): once its
 * deadline passed with no recommendation received, the members of the
 * polity's assembly and each of its civil servants are told, once per
 * deadline (a new deadline, after a rejection, is told again). */
struct case_say {
	int64_t id;
	const char *title;
};

static int say_case(const void *ctx, const char *lang, struct strbuf *text)
{
	const struct case_say *c = ctx;
	return sb_addf(text, tr(lang, "The civil service's recommendation on case %lld"
				" (%.200s) is overdue"), (long long)c->id, c->title ? c->title : "");
}

static int clock_cases(struct store *s, struct clock_args *a)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT c.id, c.deadline, c.title, p.body_id, c.polity_id FROM cases c"
		" JOIN polities p ON p.id = c.polity_id WHERE c.state = 'remedy_requested'"
		" AND c.deadline <= ?1 AND NOT EXISTS (SELECT 1 FROM notice_clock n"
		" WHERE n.source = 'case:' || c.id || ':overdue:' || c.deadline)"
		" ORDER BY c.deadline, c.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now);
	json_t *due = json_array();
	while (store_next(st, &rc))
		json_array_append_new(due, json_pack("{s:I, s:I, s:s, s:I, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"deadline", (json_int_t)sqlite3_column_int64(st, 1),
			"title", (const char *)sqlite3_column_text(st, 2),
			"body", (json_int_t)sqlite3_column_int64(st, 3),
			"polity", (json_int_t)sqlite3_column_int64(st, 4)));
	size_t i;
	json_t *d;
	json_array_foreach(due, i, d) {
		if (rc)
			break;
		int64_t id = json_integer_value(json_object_get(d, "id"));
		char source[64], link[NOTICE_LINK_MAX];
		struct case_say say = { id, json_string_value(json_object_get(d, "title")) };
		snprintf(source, sizeof source, "case:%" PRId64 ":overdue:%" PRId64, id,
			 (int64_t)json_integer_value(json_object_get(d, "deadline")));
		snprintf(link, sizeof link, "/case.html?id=%" PRId64, id);
		rc = clock_add(a, json_integer_value(json_object_get(d, "body")), 0, source,
			       link);
		if (!rc)
			rc = clock_say(a, say_case, &say);
		/* and each civil servant of the polity, by name */
		sqlite3_stmt *v = rc ? NULL : store_stmt(s, "SELECT account_id FROM"
			" civil_servants WHERE polity_id = ? ORDER BY account_id");
		if (!rc && !v)
			rc = PX_E_INTERNAL;
		if (!rc)
			sqlite3_bind_int64(v, 1, json_integer_value(json_object_get(d, "polity")));
		while (!rc && store_next(v, &rc)) {
			char mine[128];
			snprintf(mine, sizeof mine, "%s:%" PRId64, source,
				 (int64_t)sqlite3_column_int64(v, 0));
			if ((rc = clock_add(a, 0, sqlite3_column_int64(v, 0), mine, link)) ||
			    (rc = clock_say(a, say_case, &say)))
				break;
		}
		if (v)
			sqlite3_reset(v);
	}
	json_decref(due);
	return rc;
}

struct witness_say {
	int64_t case_id;
	const char *title, *body;
};

static int say_witness(const void *ctx, const char *lang, struct strbuf *text)
{
	const struct witness_say *w = ctx;
	return sb_addf(text, tr(lang, "You are called as a witness in case %lld (%.200s):"
				" the assembly \u201c%.200s\u201d will hear you at one of its"
				" meetings; the case's page says when"), (long long)w->case_id, w->title ? w->title : "",
		       w->body ? w->body : "");
}

/* A witness a decision of a polity's assembly scheduled (schedule_testimony,
 * src/gov/cases/testimony.c) who is a person here: told once, as soon as
 * the decision is in, while their meeting is still to come and nothing is
 * recorded of them. A witness known only by name has nobody to tell. */
static int clock_testimony(struct store *s, struct clock_args *a)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT t.id, t.account_id, c.id, c.title, b.name FROM case_testimony t"
		" JOIN cases c ON c.id = t.case_id JOIN meetings m ON m.id = t.meeting_id"
		" JOIN bodies b ON b.id = m.body_id WHERE t.account_id IS NOT NULL"
		" AND t.outcome IS NULL AND m.closed_at IS NULL AND t.at > ?1"
		" AND NOT EXISTS (SELECT 1 FROM notice_clock n"
		"  WHERE n.source = 'case:' || c.id || ':witness:' || t.id)"
		" ORDER BY t.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now);
	while (store_next(st, &rc)) {
		int64_t cid = sqlite3_column_int64(st, 2);
		char source[64], link[NOTICE_LINK_MAX];
		struct witness_say say = { cid, (const char *)sqlite3_column_text(st, 3),
					   (const char *)sqlite3_column_text(st, 4) };
		snprintf(source, sizeof source, "case:%" PRId64 ":witness:%" PRId64, cid,
			 (int64_t)sqlite3_column_int64(st, 0));
		snprintf(link, sizeof link, "/case.html?id=%" PRId64, cid);
		rc = clock_add(a, 0, sqlite3_column_int64(st, 1), source, link);
		if (!rc)
			rc = clock_say(a, say_witness, &say);
		if (rc) {
			sqlite3_reset(st);
			break;
		}
	}
	return rc;
}

/* Lending (src/gov/sharing/lending.c, docs/sharing.md): the holder of an
 * item lent for a time is reminded a day before its date and on it; the
 * person an item waits for, when it is ready and a day before the hold
 * expires. Each once, by its source. */
struct lending_say {
	const char *what, *name;
};

static int say_lending(const void *ctx, const char *lang, struct strbuf *text)
{
	const struct lending_say *w = ctx;
	const char *f = !strcmp(w->what, "loan_tomorrow")
		? tr(lang, "%.200s is due back tomorrow: return it, or renew the loan if"
		     " nobody else asked for it")
		: !strcmp(w->what, "loan_due")
		? tr(lang, "%.200s is due back today: while it is overdue you are lent no"
		     " other item")
		: !strcmp(w->what, "hold_ready")
		? tr(lang, "%.200s is ready for you: collect it before your hold expires")
		: tr(lang, "Your hold on %.200s expires tomorrow: collect it, or it passes to"
		     " the next");
	return sb_addf(text, f, w->name);
}

static int clock_lending(struct store *s, struct clock_args *a)
{
	json_t *list = NULL, *x;
	size_t i;
	int rc = sharing_reminders(s, a->now, &list);
	json_array_foreach(list, i, x) {
		struct lending_say say = { json_string_value(json_object_get(x, "what")),
					   json_string_value(json_object_get(x, "name")) };
		char source[64], link[NOTICE_LINK_MAX];
		int found = 0;
		if (rc)
			break;
		snprintf(source, sizeof source, "lend:%s:%" PRId64 ":%" PRId64, say.what,
			 (int64_t)json_integer_value(json_object_get(x, "good")),
			 (int64_t)json_integer_value(json_object_get(x, "at")));
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM notice_clock WHERE source = ?");
		if (!st) {
			rc = PX_E_INTERNAL;
			break;
		}
		sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
		if ((rc = store_exists(st, &found)) || found)
			continue;
		snprintf(link, sizeof link, "/sharing.html#good-%" PRId64,
			 (int64_t)json_integer_value(json_object_get(x, "good")));
		rc = clock_add(a, 0, json_integer_value(json_object_get(x, "account")), source,
			       link);
		if (!rc)
			rc = clock_say(a, say_lending, &say);
	}
	json_decref(list);
	return rc;
}

static int clock_tx(struct store *s, void *arg)
{
	struct clock_args *a = arg;
	a->made = 0;
	clock_free(a);
	int rc = 0;
	for (size_t i = 0; i < sizeof clock_rules / sizeof *clock_rules && !rc; i++)
		rc = clock_collect(s, &clock_rules[i], a);
	if (!rc)
		rc = clock_consents(s, a);
	if (!rc)
		rc = clock_summons(s, a);
	if (!rc)
		rc = clock_standing(s, a);
	if (!rc)
		rc = clock_cases(s, a);
	if (!rc)
		rc = clock_testimony(s, a);
	if (!rc)
		rc = clock_lending(s, a);
	for (size_t i = 0; i < a->n && !rc; i++) {
		struct clock_item *it = &a->items[i];
		const char *what = !strncmp(it->source, "meeting:", 8) ? "meeting"
				   : !strncmp(it->source, "case:", 5) ? "case"
				   : !strncmp(it->source, "lend:", 5) ? "sharing"
				   : it->account ? "citizenship" : "vote";
		/* told at this moment: everyone who is a member now, or the
		 * one person concerned; each in their language, English
		 * (index 0) last for everyone left */
		for (size_t l = 1; !rc && l <= CLOCK_LANGS; l++) {
			size_t k = l % CLOCK_LANGS;
			const char *lang = k ? i18n_lang_at(k) : NULL;
			if (k && (!lang || !it->text[k]))
				continue;
			rc = notice_insert(s, it->account ? CONCERN_ACCOUNT : CONCERN_MEMBERS,
					   it->account ? it->account : it->body, it->source,
					   what, a->now, it->text[k], it->link, 0, lang,
					   it->body, &a->made);
		}
		sqlite3_stmt *mark = store_stmt(s, "INSERT INTO notice_clock(source, at)"
						   " VALUES (?, ?)");
		if (!rc && !mark)
			rc = PX_E_INTERNAL;
		if (!rc) {
			sqlite3_bind_text(mark, 1, it->source, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(mark, 2, a->now);
			rc = store_run(mark);
		}
	}
	return rc;
}

int gov_notice_meetings(const struct gov_ctx *ctx, int64_t *made,
			struct px_error *err)
{
	struct clock_args a = { ctx->now, 0, NULL, 0, 0 };
	int rc = store_tx(ctx->db, clock_tx, &a);
	clock_free(&a);
	free(a.items);
	*made = rc ? 0 : a.made;
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

/* ---- retention ---- */

/* Rows one pruning transaction deletes at most: the writers of decisions
 * never queue long behind it. */
#define PRUNE_ROWS_MAX 2000

/* What may go, ?1 the cutoff, ?2 the most rows. */
static const char *const prune_sql[] = {
	"DELETE FROM notifications WHERE id IN (SELECT id FROM notifications"
	" WHERE read_at IS NOT NULL AND read_at < ?1 AND mailed = 1 LIMIT ?2)",
	"DELETE FROM mail_queue WHERE id IN (SELECT id FROM mail_queue"
	" WHERE status IN ('sent', 'failed')"
	" AND coalesce(sent_at, next_at) < ?1 LIMIT ?2)",
	"DELETE FROM notice_clock WHERE rowid IN (SELECT rowid FROM notice_clock"
	" WHERE at < ?1 LIMIT ?2)",
};

struct prune_args {
	const char *sql;
	int64_t cutoff;
	int64_t deleted;
};

static int prune_tx(struct store *s, void *arg)
{
	struct prune_args *a = arg;
	sqlite3_stmt *st = store_stmt(s, a->sql);
	if (st) {
		sqlite3_bind_int64(st, 1, a->cutoff);
		sqlite3_bind_int64(st, 2, PRUNE_ROWS_MAX);
	}
	int rc = store_run(st);
	a->deleted = rc ? 0 : sqlite3_changes(store_db(s));
	return rc;
}

int gov_notice_prune(const struct gov_ctx *ctx, int64_t keep_read,
		     int64_t keep_mail, int64_t *removed, struct px_error *err)
{
	const int64_t keep[] = { keep_read, keep_mail,
				 NOTICE_REVIEW_FRESH + 86400 };
	int rc = 0;
	*removed = 0;
	if (keep_read < 0 || keep_mail < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, keep_read < 0 ? "keep_read"
			       : "keep_mail", "a retention is 0 (for ever) or more");
	for (size_t i = 0; i < sizeof prune_sql / sizeof *prune_sql && !rc; i++) {
		if (keep[i] == 0)
			continue;
		struct prune_args a = { prune_sql[i], ctx->now - keep[i], 0 };
		do {
			rc = store_tx(ctx->db, prune_tx, &a);
			*removed += a.deleted;
		} while (!rc && a.deleted == PRUNE_ROWS_MAX);
	}
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}
