/*
 * replay.c: rebuild the governance tables from the journal alone.
 *
 * Why here, in gov/, and not in store/: an entry records a decision, and
 * what a decision does (a law enacted, an exclusion that ends offices and
 * committee seats, a federation's running counts) is a governance rule
 * that lives only in gov/. Replay applies each adopted motion with its
 * kind's own apply function (the registry in procedure/motion_kinds.c),
 * and a member's leaving with the same member_release_duties and
 * fed_person_left the live path calls, so there is one statement of each
 * rule and replay cannot drift from it. What an entry records directly
 * (an account, a check-in, a vote) is written from the payload alone.
 * store/ keeps what is only storage: STORE_REPLAY, under which an effect
 * that journals itself writes nothing, since the entries are copied as
 * they are.
 *
 * One row per kind of entry in the table `kinds` below: its action, and
 * either the one row it makes or changes (a row_rule: the statement and
 * where each of its values comes from, the payload, the entry or an id
 * looked up) or the function that applies it; docs/journal.md ("Replay")
 * says for each the payload fields read and the rows produced, precisely
 * enough for another program.
 *
 * Ids: rows are numbered in the order the journal makes them, as in the
 * live database (nothing governance makes is ever deleted), so ids match,
 * with one exception: regular meetings are made by the schedule without an
 * entry, so a meeting is found by its body and start ("meeting_at"), and
 * made from the payload ("meeting_at", "meeting_place") the first time an
 * entry names it. Comparison (replay_state.c) keys meetings the same way.
 *
 * Everything runs in one transaction on the new database; the first entry
 * that cannot be applied stops the replay and is named in the report.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/rule.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/cases/cases.h"
#include "gov/federation/federation.h"
#include "gov/economy/economy.h"
#include "gov/sharing/sharing.h"
#include "gov/lot/lot.h"
#include "gov/nodes/nodes.h"
#include "gov/procedure/procedure.h"
#include "gov/replay/replay.h"
#include "banned.h"

#define PROGRESS_EVERY 500

struct replay {
	struct store *live, *out;
	struct replay_report *r;
	replay_progress_fn progress;
	void *arg;
	const struct journal_entry *e; /* the entry being applied */
	int64_t from; /* entries from this one on carry all replay needs */
};

/* Stop at the current entry, saying why. Returns PX_E_JOURNAL_BROKEN,
 * which ends the walk; replay_run turns it into r->ok = 0. */
static int cannot(struct replay *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int cannot(struct replay *c, const char *fmt, ...)
{
	va_list ap;
	if (!c->r->failed_seq) {
		c->r->failed_seq = c->e->seq;
		snprintf(c->r->action, sizeof(c->r->action), "%.*s",
			 (int)c->e->action_len, c->e->action);
		va_start(ap, fmt);
		vsnprintf(c->r->reason, sizeof(c->r->reason), fmt, ap);
		va_end(ap);
	}
	return PX_E_JOURNAL_BROKEN;
}

/* ---- small helpers over the new database ---- */

static int step_done(struct replay *c, sqlite3_stmt *st)
{
	int row = 0;
	int rc = store_step(st, &row);
	if (row)
		sqlite3_reset(st); /* RETURNING: the caller wanted no row */
	if (rc == PX_E_EXISTS)
		return cannot(c, "a row it makes conflicts with one already there");
	return rc;
}

/* The id of the first column of a one-row query, or 0 when none. */
static int one_id(struct store *s, sqlite3_stmt *st, int64_t *id)
{
	(void)s;
	return store_int64(st, id, NULL);
}

static const char *str(const json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

static int64_t num(const json_t *p, const char *key)
{
	return json_integer_value(json_object_get(p, key));
}

static int need_str(struct replay *c, const json_t *p, const char *key, const char **out)
{
	if (!(*out = str(p, key)))
		return cannot(c, "the payload has no text field \"%s\"", key);
	return 0;
}

static int need_int(struct replay *c, const json_t *p, const char *key, int64_t *out)
{
	json_t *v = json_object_get(p, key);
	if (!json_is_integer(v))
		return cannot(c, "the payload has no integer field \"%s\"", key);
	*out = json_integer_value(v);
	return 0;
}

static int account_id(struct replay *c, const char *handle, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(c->out, "SELECT id FROM accounts WHERE handle = ?");
	if (st)
		sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	int rc = one_id(c->out, st, id);
	if (!rc && !*id)
		return cannot(c, "no account '%s' was created before it", handle);
	return rc;
}

static int body_id(struct replay *c, int64_t *id)
{
	if (!c->e->body)
		return cannot(c, "the entry names no body");
	sqlite3_stmt *st = store_stmt(c->out, "SELECT id FROM bodies WHERE slug = ?");
	if (st)
		sqlite3_bind_text(st, 1, c->e->body, (int)c->e->body_len, SQLITE_STATIC);
	int rc = one_id(c->out, st, id);
	if (!rc && !*id)
		return cannot(c, "no body '%s' was founded before it", c->e->body);
	return rc;
}

/* The meeting the payload names under name: found by body and start,
 * made as a regular meeting the first time. */
static int meeting_id(struct replay *c, int64_t body, const json_t *p,
		      const char *name, int64_t *id)
{
	char key[48];
	snprintf(key, sizeof(key), "%s_at", name);
	json_t *at = json_object_get(p, key);
	snprintf(key, sizeof(key), "%s_place", name);
	const char *place = str(p, key);
	if (!json_is_integer(at) || !place)
		return cannot(c, "the entry names meeting %lld but not its start and place:"
			      " entries before %lld were written before pnyx journalled"
			      " them (migration 9), and the meetings they name cannot be"
			      " rebuilt", (long long)num(p, name), (long long)c->from);
	sqlite3_stmt *st = store_stmt(c->out, "SELECT id FROM meetings WHERE body_id = ?"
					      " AND starts_at = ?");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, json_integer_value(at));
	}
	int rc = one_id(c->out, st, id);
	if (rc || *id)
		return rc;
	/* the room code's secret is the new node's own: never journalled */
	unsigned char secret[32];
	randombytes_buf(secret, sizeof(secret));
	st = store_stmt(c->out, "INSERT INTO meetings(body_id, starts_at, kind, place,"
				" code_secret) VALUES (?, ?, 'regular', ?, ?) RETURNING id");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, json_integer_value(at));
	sqlite3_bind_text(st, 3, place, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, secret, sizeof(secret), SQLITE_TRANSIENT);
	return one_id(c->out, st, id);
}

/* A JSON value as the canonical text the live path stores. */
static int canon_text(struct replay *c, const json_t *v, const char *key, char **out)
{
	if (!v || !(*out = journal_canonical(v)))
		return cannot(c, "the payload has no JSON field \"%s\"", key);
	return 0;
}

/* ---- what a motion is, in the new database ---- */

struct motion_now {
	int64_t id, body_id, round;
	char kind[48], status[16], ballot[8], mode[12];
	int remote, ranked;
	char *title, *text, *params;
};

static void motion_release(struct motion_now *m)
{
	free(m->title);
	free(m->text);
	free(m->params);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return strdup(t ? (const char *)t : "");
}

static int motion_load(struct replay *c, int64_t id, struct motion_now *m)
{
	memset(m, 0, sizeof(*m));
	sqlite3_stmt *st = store_stmt(c->out, "SELECT m.body_id, m.round, m.kind, m.status,"
		" m.ballot, coalesce(m.vote_mode, ''), r.motion_id IS NOT NULL, m.title,"
		" m.text, m.params FROM motions m LEFT JOIN remote_votes r"
		" ON r.motion_id = m.id WHERE m.id = ?");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, id);
	int row, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return cannot(c, "motion %lld was not submitted before it", (long long)id);
	m->id = id;
	m->body_id = sqlite3_column_int64(st, 0);
	m->round = sqlite3_column_int64(st, 1);
	snprintf(m->kind, sizeof(m->kind), "%s", (const char *)sqlite3_column_text(st, 2));
	snprintf(m->status, sizeof(m->status), "%s", (const char *)sqlite3_column_text(st, 3));
	snprintf(m->ballot, sizeof(m->ballot), "%s", (const char *)sqlite3_column_text(st, 4));
	snprintf(m->mode, sizeof(m->mode), "%s", (const char *)sqlite3_column_text(st, 5));
	m->remote = sqlite3_column_int(st, 6);
	m->title = col_dup(st, 7);
	m->text = col_dup(st, 8);
	m->params = col_dup(st, 9);
	sqlite3_reset(st);
	if (!m->title || !m->text || !m->params)
		return PX_E_NOMEM;
	m->ranked = ranked_is_text(m->kind, m->params);
	return 0;
}

/* An online vote starts with its first ballot (or its close), with the
 * rule in force and the active members then: vote.c does it without an
 * entry of its own, and this is the same statement of it. */
static int start_remote(struct replay *c, struct motion_now *m)
{
	struct rule_set set;
	json_t *rules = NULL, *rule = NULL;
	char *rule_text = NULL;
	int64_t members = 0;
	int rc;
	if (!m->remote || strcmp(m->status, "submitted"))
		return 0;
	sqlite3_stmt *st = store_stmt(c->out, "SELECT rules FROM bodies WHERE id = ?");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, m->body_id);
	int row;
	if ((rc = store_step(st, &row)))
		return rc;
	if (row)
		rules = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_reset(st);
	if (!rules || rule_set_from_json(rules, &set, "rules", NULL)) {
		rc = cannot(c, "the rules of the body do not read");
		goto out;
	}
	rule = rule_to_json(motion_rule_for(&set, m->kind));
	rule_text = rule ? json_dumps(rule, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (!rule_text) {
		rc = PX_E_NOMEM;
		goto out;
	}
	st = store_stmt(c->out, "SELECT count(*) FROM memberships WHERE body_id = ?"
				" AND status = 'active'");
	if (st)
		sqlite3_bind_int64(st, 1, m->body_id);
	if ((rc = one_id(c->out, st, &members)))
		goto out;
	st = store_stmt(c->out, "UPDATE motions SET status = 'voting', vote_mode = 'online',"
		" round = 1, rule = ?, members_at_open = ?, voting_opened_at = ? WHERE id = ?");
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_text(st, 1, rule_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, members);
	sqlite3_bind_int64(st, 3, c->e->at);
	sqlite3_bind_int64(st, 4, m->id);
	if ((rc = step_done(c, st)))
		goto out;
	snprintf(m->status, sizeof(m->status), "voting");
	snprintf(m->mode, sizeof(m->mode), "online");
	m->round = 1;
out:
	json_decref(rules);
	json_decref(rule);
	free(rule_text);
	return rc;
}

/* The counts of a round, position by position: a show of hands's as
 * recorded, a secret ballot's from the decision's counts (the journal
 * says who voted while the vote runs, and how many chose what only once
 * it is closed). */
static int set_counts(struct replay *c, int64_t motion, int64_t round, const json_t *counts)
{
	sqlite3_stmt *st = store_stmt(c->out, "DELETE FROM ballot_counts WHERE motion_id = ?"
					      " AND round = ?");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	int rc = step_done(c, st);
	for (size_t i = 0; !rc && vote_position_names[i]; i++) {
		json_t *n = json_object_get(counts, vote_position_names[i]);
		if (!json_is_integer(n))
			continue;
		st = store_stmt(c->out, "INSERT INTO ballot_counts(motion_id, round, position, n)"
					" VALUES (?, ?, ?, ?)");
		if (!st)
			return PX_E_DB;
		sqlite3_bind_int64(st, 1, motion);
		sqlite3_bind_int64(st, 2, round);
		sqlite3_bind_text(st, 3, vote_position_names[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, json_integer_value(n));
		rc = step_done(c, st);
	}
	return rc;
}

static int secret_counted(const struct motion_now *m)
{
	return !strcmp(m->ballot, "secret") && strcmp(m->mode, "hands") && !m->ranked;
}

/* ---- entries that make or change one row from their payload ---- */

/* Where the value of a statement's parameter comes from. */
enum from {
	F_END,
	F_TEXT,    /* the payload's text field */
	F_INT,     /* the payload's integer field */
	F_JSON,    /* the payload's JSON field, as the canonical text stored */
	F_AT,      /* the entry's time */
	F_BODY,    /* the id of the entry's body */
	F_ACCOUNT, /* the id of the account whose handle is the text field */
	F_ACTOR,   /* the id of the entry's actor */
	F_MEETING, /* the id of the meeting of the entry's body the field names */
};

#define ROW_BINDS 8
struct row_rule {
	const char *sql;
	struct {
		enum from from;
		const char *field;
	} bind[ROW_BINDS]; /* ?1, ?2, ... in order */
	/* set: the statement must change exactly one row, else the entry
	 * cannot be applied for this reason, which may name the payload's
	 * fields why[0] and why[1] (two %s) */
	const char *unchanged;
	const char *why[2];
};

/* A payload field as text, for a reason. */
static const char *field_text(const json_t *p, const char *key, char *buf, size_t size)
{
	const json_t *v = key ? json_object_get(p, key) : NULL;
	if (json_is_string(v))
		return json_string_value(v);
	snprintf(buf, size, "%lld", v ? (long long)json_integer_value(v) : 0LL);
	return key ? buf : "";
}

static int r_row(struct replay *c, const json_t *p, const struct row_rule *w)
{
	char *owned[ROW_BINDS] = { 0 };
	int rc = 0;
	sqlite3_stmt *st = store_stmt(c->out, w->sql);
	if (!st)
		return PX_E_DB;
	for (int i = 0; !rc && i < ROW_BINDS && w->bind[i].from != F_END; i++) {
		const char *field = w->bind[i].field, *t = NULL;
		int64_t n = 0, body = 0;
		switch (w->bind[i].from) {
		case F_TEXT:
			rc = need_str(c, p, field, &t);
			break;
		case F_INT:
			rc = need_int(c, p, field, &n);
			break;
		case F_JSON:
			rc = canon_text(c, json_object_get(p, field), field, &owned[i]);
			t = owned[i];
			break;
		case F_AT:
			n = c->e->at;
			break;
		case F_BODY:
			rc = body_id(c, &n);
			break;
		case F_ACCOUNT:
			rc = need_str(c, p, field, &t);
			if (!rc)
				rc = account_id(c, t, &n);
			t = NULL;
			break;
		case F_ACTOR:
			rc = account_id(c, c->e->actor, &n);
			break;
		case F_MEETING:
			rc = body_id(c, &body);
			if (!rc)
				rc = meeting_id(c, body, p, field, &n);
			break;
		case F_END:
			break;
		}
		if (!rc && t)
			sqlite3_bind_text(st, i + 1, t, -1, SQLITE_STATIC);
		else if (!rc)
			sqlite3_bind_int64(st, i + 1, n);
	}
	if (!rc)
		rc = step_done(c, st);
	if (!rc && w->unchanged && sqlite3_changes(store_db(c->out)) != 1) {
		char a[24], b[24];
		rc = cannot(c, w->unchanged, field_text(p, w->why[0], a, sizeof(a)),
			    field_text(p, w->why[1], b, sizeof(b)));
	}
	for (int i = 0; i < ROW_BINDS; i++)
		free(owned[i]);
	return rc;
}

/* the password is never journalled: a rebuilt account has none until its
 * owner sets one */
static const struct row_rule account_row = {
	"INSERT INTO accounts(handle, display_name, password_hash, created_at)"
	" VALUES (?1, ?2, '', ?3)",
	{ { F_TEXT, "handle" }, { F_TEXT, "display_name" }, { F_AT, NULL } },
	NULL, { NULL, NULL } };

static const struct row_rule community_row = {
	"INSERT INTO communities(slug, name, population, created_at) VALUES (?, ?, ?, ?)",
	{ { F_TEXT, "slug" }, { F_TEXT, "name" }, { F_INT, "population" }, { F_AT, NULL } },
	NULL, { NULL, NULL } };

static const struct row_rule join_row = {
	"INSERT INTO memberships(body_id, account_id, status, basis, since)"
	" VALUES (?, ?, 'active', ?, ?) ON CONFLICT(body_id, account_id) DO UPDATE SET"
	" status = 'active', basis = excluded.basis, since = excluded.since,"
	" enterprise_id = NULL WHERE memberships.status = 'left'",
	{ { F_BODY, NULL }, { F_ACCOUNT, "member" }, { F_TEXT, "basis" }, { F_AT, NULL } },
	"%s cannot join: not a member who left%s", { "member", NULL } };

static const struct row_rule checkin_row = {
	"INSERT INTO attendance(meeting_id, account_id, checked_in_at, method)"
	" VALUES (?, ?, ?, ?)",
	{ { F_MEETING, "meeting" }, { F_ACCOUNT, "member" }, { F_AT, NULL },
	  { F_TEXT, "method" } },
	NULL, { NULL, NULL } };

static const struct row_rule withdraw_row = {
	"UPDATE motions SET status = 'withdrawn', decided_at = ?2 WHERE id = ?1"
	" OR (parent_id = ?1 AND status = 'submitted')",
	{ { F_INT, "motion" }, { F_AT, NULL } },
	NULL, { NULL, NULL } };

static const struct row_rule advise_row = {
	"INSERT INTO advisory(motion_id, account_id, position, comment, at)"
	" VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET position = excluded.position,"
	" comment = excluded.comment, at = excluded.at",
	{ { F_INT, "motion" }, { F_ACTOR, NULL }, { F_TEXT, "position" },
	  { F_TEXT, "comment" }, { F_AT, NULL } },
	NULL, { NULL, NULL } };

static const struct row_rule open_row = {
	"UPDATE motions SET status = 'voting', vote_mode = ?1, round = 1, rule = ?2,"
	" members_at_open = ?3, voting_opened_at = ?4 WHERE id = ?5 AND status = 'submitted'",
	{ { F_TEXT, "mode" }, { F_JSON, "rule" }, { F_INT, "members" }, { F_AT, NULL },
	  { F_INT, "motion" } },
	"motion %s is not a submitted motion%s", { "motion", NULL } };

/* An open vote changed while the vote ran: the row holds the latest. */
static const struct row_rule change_row = {
	"UPDATE votes SET position = ?4 WHERE motion_id = ?1 AND round = ?2"
	" AND account_id = ?3 AND position = ?5",
	{ { F_INT, "motion" }, { F_INT, "round" }, { F_ACCOUNT, "voter" },
	  { F_TEXT, "position" }, { F_TEXT, "was" } },
	"no open vote \"%s\" of %s to change", { "was", "voter" } };

/* ---- one function per kind of entry the rows above do not say ---- */

static int r_found(struct replay *c, const json_t *p)
{
	const char *slug, *name, *community, *statement, *basis;
	/* entries written before step 21 name no language: English */
	const char *language = json_string_value(json_object_get(p, "language"));
	char *rules = NULL, *schedule = NULL;
	int64_t founder = 0, community_id = 0, body = 0;
	int rc = need_str(c, p, "slug", &slug);
	if (!rc)
		rc = need_str(c, p, "name", &name);
	if (!rc)
		rc = need_str(c, p, "community", &community);
	if (!rc)
		rc = need_str(c, p, "statement", &statement);
	if (!rc)
		rc = need_str(c, p, "founder_basis", &basis);
	if (!rc)
		rc = canon_text(c, json_object_get(p, "rules"), "rules", &rules);
	if (!rc)
		rc = canon_text(c, json_object_get(p, "schedule"), "schedule", &schedule);
	if (!rc)
		rc = account_id(c, c->e->actor, &founder);
	if (rc)
		goto out;
	sqlite3_stmt *st = store_stmt(c->out, "SELECT id FROM communities WHERE slug = ?");
	if (st)
		sqlite3_bind_text(st, 1, community, -1, SQLITE_STATIC);
	if ((rc = one_id(c->out, st, &community_id)))
		goto out;
	if (!community_id) {
		rc = cannot(c, "no community '%s' was added before it", community);
		goto out;
	}
	st = store_stmt(c->out, "INSERT INTO bodies(slug, kind, name, community_id, statement,"
		" rules, schedule, founded_by, founded_at, language)"
		" VALUES (?, 'local', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, community_id);
	sqlite3_bind_text(st, 4, statement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, schedule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, founder);
	sqlite3_bind_int64(st, 8, c->e->at);
	sqlite3_bind_text(st, 9, language ? language : I18N_DEFAULT, -1, SQLITE_STATIC);
	if ((rc = one_id(c->out, st, &body)))
		goto out;
	if (!body) {
		rc = cannot(c, "the body '%s' cannot be founded again", slug);
		goto out;
	}
	st = store_stmt(c->out, "INSERT INTO memberships(body_id, account_id, status, basis,"
				" since) VALUES (?, ?, 'active', ?, ?)");
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, founder);
	sqlite3_bind_text(st, 3, basis, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, c->e->at);
	rc = step_done(c, st);
out:
	free(rules);
	free(schedule);
	return rc;
}

/* A join: the row, then what the live path (member.c) also did: an
 * enterprise's admission taken, or the enterprise a "works" basis names,
 * with the same function that checked it live. */
static int r_join(struct replay *c, const json_t *p)
{
	struct px_error err = { 0 };
	const char *member, *works = str(p, "enterprise");
	int64_t body = 0, account = 0, enterprise_id = 0;
	int enterprise = 0;
	int rc = need_str(c, p, "member", &member);
	if (!rc)
		rc = body_id(c, &body);
	if (!rc)
		rc = account_id(c, member, &account);
	if (!rc)
		rc = economy_is_enterprise(c->out, body, &enterprise);
	if (!rc && enterprise)
		rc = economy_admission_take(c->out, body, account, c->e->at, &err);
	if (!rc && works)
		rc = economy_works_in(c->out, body, account, works, &enterprise_id, &err);
	if (rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	if (rc && err.code)
		return cannot(c, "%s cannot join: %s", member, px_error_message(&err));
	if (rc || (rc = r_row(c, p, &join_row)))
		return rc;
	if (!enterprise_id)
		return 0;
	sqlite3_stmt *st = store_stmt(c->out, "UPDATE memberships SET enterprise_id = ?"
				      " WHERE body_id = ? AND account_id = ?");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, enterprise_id);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, account);
	return step_done(c, st);
}

static int r_leave(struct replay *c, const json_t *p)
{
	const char *member;
	int64_t body = 0, account = 0;
	int rc = need_str(c, p, "member", &member);
	if (!rc)
		rc = body_id(c, &body);
	if (!rc)
		rc = account_id(c, member, &account);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(c->out, "UPDATE memberships SET status = 'left',"
		" since = ? WHERE body_id = ? AND account_id = ? AND status = 'active'");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, c->e->at);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, account);
	if ((rc = step_done(c, st)))
		return rc;
	if (sqlite3_changes(store_db(c->out)) != 1)
		return cannot(c, "%s cannot leave: not an active member", member);
	/* the same consequences as the live path (member.c) */
	if ((rc = member_release_duties(c->out, body, account)))
		return rc;
	/* (the live path also ends their presence at a meeting in session;
	 * its meeting.depart entries come first and are made here) */
	if ((rc = meeting_presence_end(c->out, body, account, c->e->at, "left", NULL, 0)))
		return rc;
	return fed_person_left(c->out, body, account, 0, c->e->at, NULL);
}

static int r_submit(struct replay *c, const json_t *p)
{
	const char *kind, *title, *text;
	char *params = NULL;
	int64_t id = 0, body = 0, meeting = 0, proposer = 0;
	int rc = need_int(c, p, "motion", &id);
	if (!rc)
		rc = need_str(c, p, "kind", &kind);
	if (!rc)
		rc = need_str(c, p, "title", &title);
	if (!rc)
		rc = need_str(c, p, "text", &text);
	if (!rc)
		rc = canon_text(c, json_object_get(p, "params"), "params", &params);
	if (!rc)
		rc = body_id(c, &body);
	if (!rc && num(p, "meeting"))
		rc = meeting_id(c, body, p, "meeting", &meeting);
	if (!rc)
		rc = account_id(c, c->e->actor, &proposer);
	if (rc)
		goto out;
	/* the place on the agenda and the kind of ballot as motion.c sets
	 * them: after what the meeting has, secret for the kinds the body
	 * decides by secret ballot (never in a delegate assembly) */
	sqlite3_stmt *st = store_stmt(c->out, "INSERT INTO motions(id, body_id, meeting_id,"
		" parent_id, kind, title, text, params, proposer, submitted_at, position, status,"
		" ballot, committee_id) VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT"
		" coalesce(max(position), 0) + 1 FROM motions WHERE meeting_id = ?2),"
		" 'submitted', CASE WHEN (SELECT kind FROM bodies WHERE id = ?1) = 'delegate'"
		" THEN 'open' WHEN EXISTS (SELECT 1 FROM json_each((SELECT secret_kinds"
		" FROM bodies WHERE id = ?1)) WHERE value = ?4) THEN 'secret' ELSE 'open' END,"
		" ?10)");
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, body);
	if (meeting)
		sqlite3_bind_int64(st, 2, meeting);
	if (num(p, "amends"))
		sqlite3_bind_int64(st, 3, num(p, "amends"));
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, params, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, proposer);
	sqlite3_bind_int64(st, 9, c->e->at);
	if (num(p, "committee"))
		sqlite3_bind_int64(st, 10, num(p, "committee"));
	sqlite3_bind_int64(st, 11, id);
	rc = step_done(c, st);
out:
	free(params);
	return rc;
}

static int r_reorder(struct replay *c, const json_t *p)
{
	int64_t body = 0, meeting = 0, base = 0;
	const json_t *order = json_object_get(p, "order");
	int rc = body_id(c, &body);
	if (!rc)
		rc = meeting_id(c, body, p, "meeting", &meeting);
	if (rc)
		return rc;
	if (!json_is_array(order))
		return cannot(c, "the payload has no list \"order\"");
	sqlite3_stmt *st = store_stmt(c->out, "SELECT coalesce(max(position), 0) FROM motions"
				      " WHERE meeting_id = ?");
	if (st)
		sqlite3_bind_int64(st, 1, meeting);
	if ((rc = one_id(c->out, st, &base)))
		return rc;
	size_t i;
	json_t *v;
	json_array_foreach(order, i, v) {
		st = store_stmt(c->out, "UPDATE motions SET position = ? WHERE id = ? AND"
			" meeting_id = ? AND parent_id IS NULL AND status = 'submitted'");
		if (!st)
			return PX_E_DB;
		sqlite3_bind_int64(st, 1, base + (int64_t)i + 1);
		sqlite3_bind_int64(st, 2, json_integer_value(v));
		sqlite3_bind_int64(st, 3, meeting);
		if ((rc = step_done(c, st)))
			return rc;
		if (sqlite3_changes(store_db(c->out)) != 1)
			return cannot(c, "motion %lld is not an undecided motion of the meeting",
				      (long long)json_integer_value(v));
	}
	return 0;
}

static int r_cast(struct replay *c, const json_t *p)
{
	struct motion_now m;
	const char *voter;
	char *ranking = NULL;
	int64_t motion = 0, round = 0, account = 0;
	int rc = need_int(c, p, "motion", &motion);
	if (!rc)
		rc = need_int(c, p, "round", &round);
	if (!rc)
		rc = need_str(c, p, "voter", &voter);
	if (!rc)
		rc = account_id(c, voter, &account);
	if (rc)
		return rc;
	if ((rc = motion_load(c, motion, &m)))
		goto out;
	if ((rc = start_remote(c, &m)))
		goto out;
	sqlite3_stmt *st;
	if (!strcmp(m.ballot, "secret")) {
		/* who voted; how is not in the journal, by design */
		st = store_stmt(c->out, "INSERT INTO voters(motion_id, round, account_id)"
					" VALUES (?, ?, ?)");
	} else if (m.ranked) {
		if ((rc = canon_text(c, json_object_get(p, "ranking"), "ranking", &ranking)))
			goto out;
		st = store_stmt(c->out, "INSERT INTO ranked_ballots(motion_id, round, account_id,"
					" ranking) VALUES (?, ?, ?, ?)");
		if (st)
			sqlite3_bind_text(st, 4, ranking, -1, SQLITE_STATIC);
	} else {
		const char *position;
		if ((rc = need_str(c, p, "position", &position)))
			goto out;
		st = store_stmt(c->out, "INSERT INTO votes(motion_id, round, account_id,"
					" position) VALUES (?, ?, ?, ?)");
		if (st)
			sqlite3_bind_text(st, 4, position, -1, SQLITE_TRANSIENT);
	}
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_bind_int64(st, 2, round);
	sqlite3_bind_int64(st, 3, account);
	rc = step_done(c, st);
out:
	free(ranking);
	motion_release(&m);
	return rc;
}

static int r_hands(struct replay *c, const json_t *p)
{
	int64_t motion = 0, round = 0;
	const json_t *counts = json_object_get(p, "counts");
	int rc = need_int(c, p, "motion", &motion);
	if (!rc)
		rc = need_int(c, p, "round", &round);
	if (rc)
		return rc;
	if (!json_is_object(counts))
		return cannot(c, "the payload has no object \"counts\"");
	return set_counts(c, motion, round, counts);
}

static int r_round(struct replay *c, const json_t *p)
{
	struct motion_now m;
	int64_t motion = 0, round = 0;
	int rc = need_int(c, p, "motion", &motion);
	if (!rc)
		rc = need_int(c, p, "round", &round);
	if (rc)
		return rc;
	if ((rc = motion_load(c, motion, &m)))
		goto out;
	const json_t *counts = json_object_get(json_object_get(p, "result"), "counts");
	if (secret_counted(&m) && (rc = set_counts(c, motion, round, counts)))
		goto out;
	sqlite3_stmt *st = store_stmt(c->out, "UPDATE motions SET round = round + 1"
				      " WHERE id = ?");
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, motion);
	rc = step_done(c, st);
out:
	motion_release(&m);
	return rc;
}

/* The rankings a secret ranked election counted, journalled anonymous and
 * sorted in its decision's result: kept as the round's ranked_secret rows
 * for the count. As many as the voters the journal named; a decision
 * journalled before rankings were (it has none) cannot be counted again,
 * and replay says so rather than count other ballots. */
static int secret_rankings(struct replay *c, const struct motion_now *m,
			   const json_t *presult, int adopted)
{
	const json_t *rankings = json_object_get(presult, "rankings");
	int64_t round = num(presult, "round") ? num(presult, "round") : m->round, voted = 0;
	if (!rankings)
		return adopted ? cannot(c, "motion %lld is an election by secret ranked"
					" ballot decided before its rankings were journalled:"
					" its count cannot be replayed", (long long)m->id) : 0;
	int rc = ranked_voted(c->out, m->id, round, 1, &voted);
	if (rc)
		return rc;
	if ((int64_t)json_array_size(rankings) != voted || !json_is_array(rankings))
		return cannot(c, "motion %lld: %zu rankings journalled for %lld voters",
			      (long long)m->id, json_array_size(rankings), (long long)voted);
	json_t *params = json_loads(m->params, 0, NULL);
	struct px_error why = { 0 };
	rc = params ? ranked_secret_restore(c->out, m->id, round, params, rankings, &why)
		    : PX_E_NOMEM;
	json_decref(params);
	if (rc && px_code_status(rc) < 500)
		return cannot(c, "motion %lld: a journalled ranking is not one of this"
			      " election: %s", (long long)m->id, px_error_message(&why));
	return rc;
}

static int r_decide(struct replay *c, const json_t *p)
{
	struct motion_now m;
	const char *outcome;
	char *result = NULL;
	json_t *params = NULL, *effect = NULL, *res = NULL;
	int64_t motion = 0;
	const json_t *presult = json_object_get(p, "result");
	int rc = need_int(c, p, "motion", &motion);
	if (!rc)
		rc = need_str(c, p, "outcome", &outcome);
	if (!rc)
		rc = canon_text(c, presult, "result", &result);
	if (rc) {
		free(result);
		return rc;
	}
	if ((rc = motion_load(c, motion, &m)))
		goto out;
	if ((rc = start_remote(c, &m)))
		goto out;
	if (secret_counted(&m) && json_is_object(json_object_get(presult, "counts")) &&
	    (rc = set_counts(c, motion, num(presult, "round") ? num(presult, "round") : m.round,
			     json_object_get(presult, "counts"))))
		goto out;
	if (m.ranked && !strcmp(m.ballot, "secret") &&
	    (rc = secret_rankings(c, &m, presult, !strcmp(outcome, "adopted"))))
		goto out;
	const struct motion_kind *rkind = motion_kind_find(m.kind);
	int rejected = !strcmp(outcome, "rejected") && rkind && rkind->reject;
	if (!strcmp(outcome, "adopted") || rejected) {
		/* decided before its effect, as at the close of the vote
		 * (vote_close.c, mark_decided): an effect that withdraws the
		 * running votes of those it removes leaves this decision's own */
		sqlite3_stmt *st = store_stmt(c->out, "UPDATE motions SET status = ?,"
					      " decided_at = ? WHERE id = ?");
		if (!st) {
			rc = PX_E_DB;
			goto out;
		}
		sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->e->at);
		sqlite3_bind_int64(st, 3, motion);
		if ((rc = step_done(c, st)))
			goto out;
		/* the kind's own apply, as at the close of the vote */
		const struct motion_kind *kind = motion_kind_find(m.kind);
		struct px_error why = { 0 };
		params = json_loads(m.params, 0, NULL);
		res = json_deep_copy(presult);
		effect = json_object();
		if (!kind || !params || !res || !effect) {
			rc = cannot(c, "motion %lld of kind '%s' cannot be applied",
				    (long long)motion, m.kind);
			goto out;
		}
		char slug[GOV_SLUG_SIZE];
		snprintf(slug, sizeof(slug), "%.*s", (int)c->e->body_len,
			 c->e->body ? c->e->body : "");
		struct motion_effect e = {
			.motion_id = m.id, .body_id = m.body_id, .body_slug = slug,
			.title = m.title, .text = m.text, .params = params,
			.now = c->e->at, .actor = c->e->actor, .result = res,
		};
		rc = rejected ? kind->reject(c->out, &e, effect, &why)
			      : kind->apply(c->out, &e, effect, &why);
		if (rc && px_code_status(rc) < 500) {
			rc = cannot(c, "the effect of motion %lld (%s) does not apply again: %s",
				    (long long)motion, m.kind, px_error_message(&why));
			goto out;
		}
		if (rc)
			goto out;
		/* an election's count made again must be the one journalled */
		if (m.ranked && !json_equal(json_object_get(res, "count"),
					    json_object_get(presult, "count"))) {
			rc = cannot(c, "the count of motion %lld (ranked election) does not"
				    " come out as journalled", (long long)motion);
			goto out;
		}
	}
	sqlite3_stmt *st = store_stmt(c->out, "UPDATE motions SET status = ?, result = ?,"
				      " decided_at = ? WHERE id = ?");
	if (!st) {
		rc = PX_E_DB;
		goto out;
	}
	sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, c->e->at);
	sqlite3_bind_int64(st, 4, motion);
	rc = step_done(c, st);
out:
	free(result);
	json_decref(params);
	json_decref(effect);
	json_decref(res);
	motion_release(&m);
	return rc;
}

static int r_close(struct replay *c, const json_t *p)
{
	const char *minutes;
	int64_t body = 0, meeting = 0, next = 0;
	/* a close by an adopted motion to adjourn is that decision's effect:
	 * the replay of its motion.decide, which follows, closes the meeting */
	if (json_object_get(p, "adjourned_by"))
		return 0;
	int rc = need_str(c, p, "minutes", &minutes);
	if (!rc)
		rc = body_id(c, &body);
	if (!rc)
		rc = meeting_id(c, body, p, "meeting", &meeting);
	if (!rc && json_object_get(p, "carried_to"))
		rc = meeting_id(c, body, p, "carried_to", &next);
	if (rc)
		return rc;
	/* as meeting.c: a vote left open when the meeting lapsed decided
	 * nothing */
	sqlite3_stmt *st = store_stmt(c->out, "UPDATE motions SET status = 'void',"
		" decided_at = ?, result = '{\"outcome\":\"void\",\"void_reason\":\"the meeting"
		" lapsed before the vote was closed\"}' WHERE meeting_id = ?"
		" AND status = 'voting' AND vote_mode IN ('devices', 'hands')");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, c->e->at);
	sqlite3_bind_int64(st, 2, meeting);
	if ((rc = step_done(c, st)))
		return rc;
	st = store_stmt(c->out, "UPDATE meetings SET closed_at = ?, minutes = ? WHERE id = ?");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, c->e->at);
	sqlite3_bind_text(st, 2, minutes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, meeting);
	if ((rc = step_done(c, st)))
		return rc;
	/* the motions not reached go to the next meeting (none: no meeting) */
	st = store_stmt(c->out, "UPDATE motions SET meeting_id = ?1,"
		" position = position - 1000000 WHERE meeting_id = ?2 AND status = 'submitted'");
	if (!st)
		return PX_E_DB;
	if (next)
		sqlite3_bind_int64(st, 1, next);
	sqlite3_bind_int64(st, 2, meeting);
	return step_done(c, st);
}

/* comment.add: the comment as the payload says, under its own id (the
 * live path numbers comments in journal order too; a mismatch is a
 * journal that does not agree with itself). The thread, depth and author
 * are checked against what replay rebuilt before it. */
static int r_comment_add(struct replay *c, const json_t *p)
{
	const char *target, *text, *handle;
	int64_t id = 0, target_id = 0, author = 0, at = 0, account = 0, depth = 0;
	const json_t *reply = json_object_get(p, "reply_to");
	int rc = need_int(c, p, "comment", &id);
	if (!rc)
		rc = need_str(c, p, "target", &target);
	if (!rc)
		rc = need_int(c, p, "target_id", &target_id);
	if (!rc)
		rc = need_int(c, p, "author", &author);
	if (!rc)
		rc = need_str(c, p, "handle", &handle);
	if (!rc)
		rc = need_str(c, p, "text", &text);
	if (!rc)
		rc = need_int(c, p, "at", &at);
	if (!rc)
		rc = account_id(c, handle, &account);
	if (rc)
		return rc;
	int on_motion = !strcmp(target, "motion");
	if (!on_motion && strcmp(target, "proposal"))
		return cannot(c, "a comment is on a motion or a proposal, not '%s'", target);
	if (account != author)
		return cannot(c, "account %lld is not '%s'", (long long)author, handle);
	if (reply && !json_is_null(reply)) {
		if (!json_is_integer(reply))
			return cannot(c, "reply_to is not a comment's number");
		sqlite3_stmt *st = store_stmt(c->out, on_motion
			? "SELECT depth + 1 FROM comments WHERE id = ? AND motion_id = ?"
			: "SELECT depth + 1 FROM comments WHERE id = ? AND proposal_id = ?");
		if (!st)
			return PX_E_DB;
		sqlite3_bind_int64(st, 1, json_integer_value(reply));
		sqlite3_bind_int64(st, 2, target_id);
		if ((rc = one_id(c->out, st, &depth)))
			return rc;
		if (!depth)
			return cannot(c, "comment %lld is not in that discussion before it",
				      (long long)json_integer_value(reply));
	}
	sqlite3_stmt *st = store_stmt(c->out, "INSERT INTO comments(id, motion_id, proposal_id,"
		" reply_to, depth, author_id, text, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, on_motion ? 2 : 3, target_id);
	if (depth)
		sqlite3_bind_int64(st, 4, json_integer_value(reply));
	sqlite3_bind_int64(st, 5, depth);
	sqlite3_bind_int64(st, 6, author);
	sqlite3_bind_text(st, 7, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, at);
	return step_done(c, st);
}

static int r_comment_withdraw(struct replay *c, const json_t *p)
{
	int64_t id = 0, author = 0, at = 0;
	int rc = need_int(c, p, "comment", &id);
	if (!rc)
		rc = need_int(c, p, "author", &author);
	if (!rc)
		rc = need_int(c, p, "at", &at);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(c->out, "UPDATE comments SET withdrawn_at = ?"
		" WHERE id = ? AND author_id = ? AND withdrawn_at IS NULL AND hidden_by IS NULL");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, author);
	if ((rc = step_done(c, st)))
		return rc;
	if (sqlite3_changes(store_db(c->out)) != 1)
		return cannot(c, "comment %lld by account %lld was not there to withdraw",
			      (long long)id, (long long)author);
	return 0;
}

/* Entries an effect writes for itself inside the decision that records
 * it (federation.found by found_federation, law.from_proposal when a
 * proposal's condition is met, meeting.depart when an exclusion or the end
 * of a seat ends presence): the decision's replay makes their rows; a
 * departure by leaving is made by the member.leave that follows it. */
static int r_within_decision(struct replay *c, const json_t *p)
{
	(void)c, (void)p;
	return 0;
}

/* The entries of distributed democracy by lot (src/gov/lot): applied by
 * the very function the live path used. A refusal there (a community
 * that was never added, a consent without residence) is why the entry
 * cannot be applied; a failure of the store is the store's. */
static int r_lot(struct replay *c, const json_t *p)
{
	char action[48], actor[GOV_HANDLE_MAX + 16];
	struct px_error err = { 0 };
	snprintf(action, sizeof(action), "%.*s", (int)c->e->action_len, c->e->action);
	snprintf(actor, sizeof(actor), "%.*s", (int)c->e->actor_len, c->e->actor);
	/* a commitment's record is the published one, beside the journal,
	 * and lot_replay checks it against the entry */
	json_t *full = NULL;
	int rc = strcmp(action, "renewal.commit") ? 0
		: lot_commit_with_record(c->live, p, &full);
	if (!rc)
		rc = lot_replay(c->out, action, full ? full : p, c->e->at, actor, &err);
	json_decref(full);
	if (!rc || rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	return cannot(c, "%s", px_error_message(&err));
}

/* The entries of workplaces that govern themselves (src/gov/economy),
 * applied by the very function the live path used, as r_lot. */
static int r_economy(struct replay *c, const json_t *p)
{
	char action[48], actor[GOV_HANDLE_MAX + 16];
	struct px_error err = { 0 };
	snprintf(action, sizeof(action), "%.*s", (int)c->e->action_len, c->e->action);
	snprintf(actor, sizeof(actor), "%.*s", (int)c->e->actor_len, c->e->actor);
	int rc = economy_replay(c->out, action, p, c->e->at, actor, &err);
	if (!rc || rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	return cannot(c, "%s", px_error_message(&err));
}

/* The entries of the sharing economy (src/gov/sharing), as r_lot. */
static int r_sharing(struct replay *c, const json_t *p)
{
	char action[48], actor[GOV_HANDLE_MAX + 16];
	struct px_error err = { 0 };
	snprintf(action, sizeof(action), "%.*s", (int)c->e->action_len, c->e->action);
	snprintf(actor, sizeof(actor), "%.*s", (int)c->e->actor_len, c->e->actor);
	/* a sealed request or review: its content is the one kept beside the
	 * journal (sealed.c), checked against the entry's commitment */
	json_t *full = NULL;
	int rc = 0;
	if (!strcmp(action, "round.request"))
		rc = sharing_request_record(c->live, p, &full, &err);
	else if (!strcmp(action, "round.review"))
		rc = sharing_review_record(c->live, p, c->e->at, &full, &err);
	if (!rc)
		rc = sharing_replay(c->out, action, full ? full : p, c->e->at, actor, &err);
	json_decref(full);
	if (!rc || rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	return cannot(c, "%s", px_error_message(&err));
}

/* Households and barter (src/gov/sharing/household.c), as r_lot. */
static int r_household(struct replay *c, const json_t *p)
{
	char action[48], actor[GOV_HANDLE_MAX + 16];
	struct px_error err = { 0 };
	snprintf(action, sizeof(action), "%.*s", (int)c->e->action_len, c->e->action);
	snprintf(actor, sizeof(actor), "%.*s", (int)c->e->actor_len, c->e->actor);
	int rc = household_replay(c->out, action, p, c->e->at, actor, &err);
	if (!rc || rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	return cannot(c, "%s", px_error_message(&err));
}

/* The entries of the harm question (src/gov/cases), as r_lot. */
static int r_cases(struct replay *c, const json_t *p)
{
	char action[48], actor[GOV_HANDLE_MAX + 16];
	struct px_error err = { 0 };
	snprintf(action, sizeof(action), "%.*s", (int)c->e->action_len, c->e->action);
	snprintf(actor, sizeof(actor), "%.*s", (int)c->e->actor_len, c->e->actor);
	int rc = cases_replay(c->out, action, p, c->e->at, actor, &err);
	if (!rc || rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	return cannot(c, "%s", px_error_message(&err));
}

/* Activities from other nodes (src/gov/nodes): applied by the very
 * function the live path used, after checking the activity's own
 * signature again with the key the entry names. */
static int r_nodes(struct replay *c, const json_t *p)
{
	char action[48];
	struct px_error err = { 0 };
	snprintf(action, sizeof(action), "%.*s", (int)c->e->action_len, c->e->action);
	int rc = nodes_replay(c->out, action, p, c->e->at, &err);
	if (!rc || rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO)
		return rc;
	return cannot(c, "%s", px_error_message(&err));
}

/* Every kind of entry: the row it makes, or its function. */
/* A member of a divided assembly chose their new community: the rows the
 * live path made (choose.c), by the same function. */
static int r_community_choose(struct replay *c, const json_t *p)
{
	const char *member, *from, *to;
	struct px_error err = { 0 };
	int rc = need_str(c, p, "member", &member);
	if (!rc)
		rc = need_str(c, p, "from", &from);
	if (!rc)
		rc = need_str(c, p, "community", &to);
	if (rc)
		return rc;
	rc = community_choice_apply(c->out, from, to, member, c->e->at, &err);
	if (rc && px_code_status(rc) < 500)
		return cannot(c, "%s cannot choose '%s': %s", member, to,
			      px_error_message(&err));
	return rc;
}

static const struct replay_kind {
	const char *action;
	int (*apply)(struct replay *c, const json_t *payload);
	const struct row_rule *row;
} kinds[] = {
	{ "account.create", NULL, &account_row },
	{ "community.add", NULL, &community_row },
	{ "body.found", r_found, NULL },
	{ "member.join", r_join, NULL },
	{ "member.leave", r_leave, NULL },
	{ "meeting.checkin", NULL, &checkin_row },
	{ "meeting.close", r_close, NULL },
	{ "meeting.depart", r_within_decision, NULL },
	{ "motion.submit", r_submit, NULL },
	{ "motion.withdraw", NULL, &withdraw_row },
	{ "motion.advise", NULL, &advise_row },
	{ "comment.add", r_comment_add, NULL },
	{ "comment.withdraw", r_comment_withdraw, NULL },
	{ "agenda.reorder", r_reorder, NULL },
	{ "vote.open", NULL, &open_row },
	{ "vote.cast", r_cast, NULL },
	{ "vote.change", NULL, &change_row },
	{ "vote.hands", r_hands, NULL },
	{ "vote.round", r_round, NULL },
	{ "motion.decide", r_decide, NULL },
	{ "federation.found", r_within_decision, NULL },
	{ "law.from_proposal", r_within_decision, NULL },
	{ "region.add", r_lot, NULL },
	{ "polity.add", r_lot, NULL },
	{ "citizen.residence", r_lot, NULL },
	{ "citizen.consent", r_lot, NULL },
	{ "citizen.profile", r_lot, NULL },
	{ "renewal.commit", r_lot, NULL },
	{ "renewal.witness", r_lot, NULL },
	{ "renewal.draw", r_lot, NULL },
	{ "renewal.term", r_lot, NULL },
	{ "summons.answer", r_lot, NULL },
	{ "summons.excuse", r_lot, NULL },
	{ "summons.lapse", r_lot, NULL },
	{ "seat.resign", r_lot, NULL },
	{ "civil_servant.add", r_cases, NULL },
	{ "case.petition", r_cases, NULL },
	{ "case.recommend", r_cases, NULL },
	{ "case.report", r_cases, NULL },
	{ "case.review_open", r_cases, NULL },
	{ "case.evidence", r_cases, NULL },
	{ "case.testimony", r_cases, NULL },
	{ "enterprise.found", r_economy, NULL },
	{ "delivery.record", r_economy, NULL },
	{ "delivery.correct", r_economy, NULL },
	{ "appreciation.add", r_economy, NULL },
	{ "standing.basis", r_economy, NULL },
	{ "good.offer", r_sharing, NULL },
	{ "good.stock", r_sharing, NULL },
	{ "good.take", r_sharing, NULL },
	{ "good.return", r_sharing, NULL },
	{ "good.renew", r_sharing, NULL },
	{ "good.collect", r_sharing, NULL },
	{ "good.hold_expire", r_sharing, NULL },
	{ "sharing.opt", r_sharing, NULL },
	{ "round.request", r_sharing, NULL },
	{ "round.close", r_sharing, NULL },
	{ "round.draw", r_sharing, NULL },
	{ "round.review", r_sharing, NULL },
	{ "community.choose", r_community_choose, NULL },
	{ "node.receive", r_nodes, NULL },
	{ "node.refuse", r_nodes, NULL },
	{ "node.rotate_key", r_nodes, NULL },
	{ "household.declare", r_household, NULL },
	{ "household.invite", r_household, NULL },
	{ "household.join", r_household, NULL },
	{ "household.leave", r_household, NULL },
	{ "barter.record", r_household, NULL },
	{ "barter.confirm", r_household, NULL },
	{ "barter.withdraw", r_household, NULL },
	{ "barter.decline", r_household, NULL },
	{ NULL, NULL, NULL },
};

/* ---- the walk ---- */

static int copy_entry(struct replay *c, const struct journal_entry *e)
{
	sqlite3_stmt *st = store_stmt(c->out, "INSERT INTO journal(seq, at, actor, body,"
				      " action, payload, prev, hash) VALUES (?,?,?,?,?,?,?,?)");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, e->seq);
	sqlite3_bind_int64(st, 2, e->at);
	sqlite3_bind_text(st, 3, e->actor, (int)e->actor_len, SQLITE_STATIC);
	if (e->body)
		sqlite3_bind_text(st, 4, e->body, (int)e->body_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->action, (int)e->action_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->payload, (int)e->payload_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, e->prev, JOURNAL_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, e->hash, JOURNAL_HASH_LEN, SQLITE_STATIC);
	return step_done(c, st);
}

static int one_entry(const struct journal_entry *e, void *arg)
{
	struct replay *c = arg;
	const struct replay_kind *k = kinds;
	c->e = e;
	while (k->action && (strlen(k->action) != e->action_len ||
			     memcmp(k->action, e->action, e->action_len)))
		k++;
	if (!k->action)
		return cannot(c, "no replay rule for this kind of entry");
	json_t *p = json_loadb(e->payload, e->payload_len, 0, NULL);
	if (!json_is_object(p)) {
		json_decref(p);
		return cannot(c, "the payload is not a JSON object");
	}
	int rc = k->row ? r_row(c, p, k->row) : k->apply(c, p);
	json_decref(p);
	if (!rc)
		rc = copy_entry(c, e);
	if (rc)
		return rc;
	c->r->entries++;
	if (c->progress && c->r->entries % PROGRESS_EVERY == 0)
		c->progress(c->r->entries, c->r->total, c->arg);
	return 0;
}

/* The node's public key and the signed head, copied as they are. */
static int copy_rows(struct replay *c, const char *select, const char *insert, int ncols)
{
	sqlite3_stmt *from = store_stmt(c->live, select);
	sqlite3_stmt *to = store_stmt(c->out, insert);
	if (!from || !to)
		return PX_E_DB;
	int rc = 0;
	while (store_next(from, &rc)) {
		sqlite3_reset(to);
		for (int i = 0; i < ncols; i++)
			sqlite3_bind_value(to, i + 1, sqlite3_column_value(from, i));
		if ((rc = step_done(c, to))) {
			sqlite3_reset(from);
			break;
		}
	}
	return rc;
}

static int replay_tx(struct store *out, void *arg)
{
	struct replay *c = arg;
	int64_t total = 0;
	(void)out;
	c->r->entries = 0;
	c->r->failed_seq = 0;
	sqlite3_stmt *st = store_stmt(c->live, "SELECT count(*) FROM journal");
	int rc = one_id(c->live, st, &total);
	if (rc)
		return rc;
	c->r->total = total;
	/* a database opened read-only before migration 9 has no boundary:
	 * every entry is then older than it */
	int64_t marked;
	st = store_stmt(c->live, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
				 " AND name = 'journal_replay_from'");
	if ((rc = one_id(c->live, st, &marked)))
		return rc;
	c->from = total + 1;
	if (marked) {
		st = store_stmt(c->live, "SELECT seq FROM journal_replay_from WHERE id = 1");
		if ((rc = one_id(c->live, st, &c->from)))
			return rc;
	}
	rc = copy_rows(c, "SELECT id, public_key, created_at FROM node",
		       "INSERT INTO node(id, public_key, created_at) VALUES (?, ?, ?)", 3);
	/* and its address, which never changes (docs/nodes.md, "Running a
	 * node"): a report up to another node names the assemblies here by
	 * it (src/gov/nodes/relay.c), and replay writes the same report */
	if (!rc)
		rc = copy_rows(c, "SELECT id, base FROM node_self",
			       "INSERT INTO node_self(id, base) VALUES (?, ?)", 2);
	if (!rc)
		rc = journal_each(c->live, 0, 0, one_entry, c);
	/* the bytes of evidence, outside the journal: each copied only when
	 * it hashes to what its entry says (src/gov/cases/evidence.c) */
	if (!rc && !c->r->failed_seq)
		rc = cases_copy_content(c->live, c->out);
	if (!rc && !c->r->failed_seq)
		rc = sharing_copy_evidence(c->live, c->out);
	if (!rc && !c->r->failed_seq)
		rc = sharing_copy_salts(c->live, c->out);
	if (!rc)
		rc = copy_rows(c, "SELECT id, seq, hash, signature FROM journal_head",
			       "INSERT INTO journal_head(id, seq, hash, signature)"
			       " VALUES (?, ?, ?, ?)", 4);
	/* the rebuilt database's notifier starts at its head: served, it
	 * does not announce the whole history again (src/gov/notice) */
	if (!rc) {
		st = store_stmt(c->out, "UPDATE notice_cursor SET seq ="
				" (SELECT coalesce(max(seq), 0) FROM journal) WHERE id = 1");
		rc = st ? store_run(st) : PX_E_INTERNAL;
	}
	if (rc == PX_E_JOURNAL_BROKEN && c->r->failed_seq)
		rc = 0; /* stopped at an entry: keep what was rebuilt before it */
	return rc;
}

int replay_run(struct store *live, struct store *out, struct replay_report *r,
	       replay_progress_fn progress, void *arg)
{
	struct replay c = { .live = live, .out = out, .r = r, .progress = progress,
			    .arg = arg };
	memset(r, 0, sizeof(*r));
	if (!store_replaying(out))
		return PX_E_INTERNAL;
	int rc = store_tx(out, replay_tx, &c);
	r->ok = !rc && !r->failed_seq;
	if (!rc && progress)
		progress(r->entries, r->total, arg);
	return rc;
}
