/*
 * meeting.c: regular meetings made from the schedule, their states,
 * check-in with room codes, closing, and the calendar feed.
 *
 * Room codes: code(window) = the first eight bytes (big-endian) of
 * BLAKE2b-256 keyed by the meeting's random secret over "pnyx-room-code"
 * and the window number (8 bytes, big-endian), modulo 100,000,000,
 * written with eight digits (the modulo's bias is below 2^-37);
 * window = floor(now / ROOM_CODE_SECONDS). The secret never leaves the
 * server, so a code can only be read off the room's screen. Pages show it
 * as two groups of four; a check-in takes it with or without spaces.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/civil.h"
#include "core/errors.h"
#include "core/i18n.h"
#include "core/ical.h"
#include "core/rrule.h"
#include "core/strbuf.h"
#include "core/tzif.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "gov/procedure/minutes.h"
#include "gov/procedure/vote.h"
#include "banned.h"

#define DAY 86400
#define SECRET_LEN 32
#define MAX_OCCURRENCES SCHEDULE_MEETINGS_MAX /* a schedule never makes more in the window */

static const char *const state_names[] = {
	[MEETING_SCHEDULED] = "scheduled",
	[MEETING_OPEN] = "open",
	[MEETING_CLOSED] = "closed",
	[MEETING_LAPSED] = "lapsed",
};

const char *meeting_state_name(enum meeting_state st)
{
	return state_names[st];
}

int meeting_state_fail(struct px_error *err, enum meeting_state st)
{
	switch (st) {
	case MEETING_SCHEDULED:
		return px_fail(err, PX_E_NOT_OPEN, NULL, "the meeting has not begun");
	case MEETING_OPEN:
		return px_fail(err, PX_E_NOT_OPEN, NULL, "the meeting is in session");
	case MEETING_CLOSED:
		return px_fail(err, PX_E_NOT_OPEN, NULL, "the meeting is closed");
	default:
		return px_fail(err, PX_E_NOT_OPEN, NULL, "the meeting has lapsed");
	}
}

enum meeting_state meeting_state_at(int64_t starts_at, int has_closed,
				    int64_t now)
{
	if (has_closed)
		return MEETING_CLOSED;
	if (now < starts_at)
		return MEETING_SCHEDULED;
	if (now >= starts_at + MEETING_OPEN_HOURS * 3600)
		return MEETING_LAPSED;
	return MEETING_OPEN;
}

int64_t gov_meeting_state_ends(const json_t *m)
{
	const char *state = json_string_value(json_object_get(m, "state"));
	int64_t starts = json_integer_value(json_object_get(m, "starts_at"));
	if (!state)
		return INT64_MAX;
	if (!strcmp(state, state_names[MEETING_SCHEDULED]))
		return starts;
	if (!strcmp(state, state_names[MEETING_OPEN]))
		return starts + MEETING_OPEN_HOURS * 3600;
	return INT64_MAX;
}

static int parse_since(const char *s, struct civil_time *t)
{
	int y, m, d;
	memset(t, 0, sizeof(*t));
	if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return PX_E_BAD_DATETIME;
	t->year = y;
	t->month = m;
	t->day = d;
	return civil_valid(t) ? 0 : PX_E_BAD_DATETIME;
}

int meeting_sync(struct store *s, int64_t body_id, int64_t now)
{
	struct rrule rule;
	struct civil_time since;
	const struct tz_zone *zone;
	int64_t *at = NULL;
	size_t n = 0;
	int truncated = 0, rc = 0;
	json_t *sched = NULL;

	/* an assembly that divided or united holds no more meetings */
	int ended = 0;
	if ((rc = community_body_ended(s, body_id, &ended)) || ended)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT schedule, dissolved_at IS NOT NULL"
				      " FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		int dissolved = sqlite3_column_int(st, 1);
		sched = dissolved ? NULL : json_loads((const char *)sqlite3_column_text(st, 0),
						      0, NULL);
		sqlite3_reset(st);
		if (dissolved)
			return 0; /* a body dissolved meets no more */
	}
	if (!sched)
		return PX_E_NOT_FOUND;
	const char *place = json_string_value(json_object_get(sched, "place"));
	if (rrule_parse(json_string_value(json_object_get(sched, "rrule")), &rule, NULL) ||
	    parse_since(json_string_value(json_object_get(sched, "since")), &since) ||
	    tzdb_get(json_string_value(json_object_get(sched, "tz")), &zone, NULL) ||
	    !place) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	if (!(at = calloc(MAX_OCCURRENCES, sizeof(*at)))) {
		rc = PX_E_NOMEM;
		goto out;
	}
	rc = rrule_expand(&rule, &since, zone, now - MEETINGS_BACK_DAYS * DAY,
			  now + MEETINGS_AHEAD_DAYS * DAY, at, MAX_OCCURRENCES,
			  &n, &truncated);
	if (rc)
		goto out;
	st = store_stmt(s, "INSERT INTO meetings(body_id, starts_at, kind, place,"
			   " code_secret) VALUES (?, ?, 'regular', ?, ?)"
			   " ON CONFLICT(body_id, starts_at) DO NOTHING");
	for (size_t i = 0; i < n && !rc; i++) {
		unsigned char secret[SECRET_LEN];
		randombytes_buf(secret, sizeof(secret));
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_int64(st, 2, at[i]);
		sqlite3_bind_text(st, 3, place, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(st, 4, secret, sizeof(secret), SQLITE_TRANSIENT);
		rc = store_run(st);
	}
	sqlite3_reset(st);
out:
	free(at);
	json_decref(sched);
	return rc;
}

struct materialise_args {
	int64_t body_id, now;
	int64_t made;
};

static int materialise_tx(struct store *s, void *arg)
{
	struct materialise_args *a = arg;
	int before = sqlite3_total_changes(store_db(s));
	int rc = meeting_sync(s, a->body_id, a->now);
	a->made = rc ? 0 : sqlite3_total_changes(store_db(s)) - before;
	return rc;
}

int gov_meetings_materialise(const struct gov_ctx *ctx, int64_t *made,
			     struct px_error *err)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	*made = 0;
	/* the bodies first, then one short write per body, so that votes
	 * never queue behind the whole of it */
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id FROM bodies ORDER BY id");
	while (store_next(st, &rc)) {
		int64_t *p = px_grow(ids, &cap, n, sizeof(*ids));
		if (!p) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		ids = p;
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	for (size_t i = 0; i < n && !rc; i++) {
		struct materialise_args a = { ids[i], ctx->now, 0 };
		rc = store_tx(ctx->db, materialise_tx, &a);
		*made += a.made;
	}
	free(ids);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int meeting_reschedule(struct store *s, int64_t body_id, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM meetings WHERE body_id = ?"
		" AND kind = 'regular' AND starts_at > ?"
		" AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = meetings.id)"
		" AND NOT EXISTS (SELECT 1 FROM motions m WHERE m.meeting_id = meetings.id)");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, now);
	int rc = store_run(st);
	return rc ? rc : meeting_sync(s, body_id, now);
}

int meeting_note(struct store *s, int64_t id, json_t *p, const char *name)
{
	char key[48];
	int row, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT starts_at, place FROM meetings WHERE id = ?");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	rc = json_object_set_new(p, name, json_integer(id));
	snprintf(key, sizeof(key), "%s_at", name);
	rc |= json_object_set_new(p, key, json_integer(sqlite3_column_int64(st, 0)));
	snprintf(key, sizeof(key), "%s_place", name);
	rc |= json_object_set_new(p, key, json_string((const char *)sqlite3_column_text(st, 1)));
	sqlite3_reset(st);
	return rc ? PX_E_NOMEM : 0;
}

int meeting_attended(struct store *s, int64_t meeting_id, int64_t account_id, int *yes)
{
	int64_t one = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM attendance"
		" WHERE meeting_id = ? AND account_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, account_id);
	return store_int64(st, &one, yes);
}

int meeting_attendance(struct store *s, int64_t meeting_id, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM attendance"
					 " WHERE meeting_id = ? AND left_at IS NULL");
	sqlite3_bind_int64(st, 1, meeting_id);
	return store_int64(st, n, NULL);
}

int meeting_present_for_vote(struct store *s, int64_t meeting_id, int64_t motion_id,
			     int64_t round, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT count(*) FROM attendance"
		" WHERE meeting_id = ?1 AND left_at IS NULL) + (SELECT count(*) FROM voters v"
		" WHERE v.motion_id = ?2 AND v.round = ?3 AND NOT EXISTS (SELECT 1 FROM"
		" attendance t WHERE t.meeting_id = ?1 AND t.account_id = v.account_id"
		" AND t.left_at IS NULL))");
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, motion_id);
	sqlite3_bind_int64(st, 3, round);
	return store_int64(st, n, NULL);
}

int meeting_not_voted(struct store *s, int64_t meeting_id, int64_t motion_id,
		      int64_t round, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM attendance t"
		" WHERE t.meeting_id = ?1 AND t.left_at IS NULL"
		" AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.motion_id = ?2"
		"  AND v.round = ?3 AND v.account_id = t.account_id)"
		" AND NOT EXISTS (SELECT 1 FROM voters v WHERE v.motion_id = ?2"
		"  AND v.round = ?3 AND v.account_id = t.account_id)"
		" AND NOT EXISTS (SELECT 1 FROM ranked_ballots v WHERE v.motion_id = ?2"
		"  AND v.round = ?3 AND v.account_id = t.account_id)");
	sqlite3_bind_int64(st, 1, meeting_id);
	sqlite3_bind_int64(st, 2, motion_id);
	sqlite3_bind_int64(st, 3, round);
	return store_int64(st, n, NULL);
}

/* Why presence ends, as stored in attendance.left_reason, and as the
 * minutes say it. */
static const struct {
	const char *reason, *words;
} departures[] = {
	{ "left", N_("left the assembly") },
	{ "excluded", N_("was excluded by decision of the assembly") },
	{ "seat_ended", N_("no longer holds a delegate's seat") },
};

const char *meeting_departure_words(const char *reason)
{
	for (size_t i = 0; i < sizeof(departures) / sizeof(departures[0]); i++)
		if (reason && !strcmp(departures[i].reason, reason))
			return departures[i].words;
	return "left";
}

#define DEPARTURES_MAX 16

/* End one stay (attendance row) at meeting: the row kept with when and
 * why, open ballots in votes still running there taken back, their place
 * in the speakers' queue given up ("left_queue" in the entry), journaled. */
static int end_stay(struct store *s, int64_t row, int64_t meeting, int64_t account_id,
		    const char *handle, const char *slug, int64_t now,
		    const char *reason, const char *actor, int64_t motion_id)
{
	static const char *const withdraw[] = {
		"DELETE FROM votes WHERE account_id = ?2 AND motion_id IN"
		" (SELECT id FROM motions WHERE meeting_id = ?1 AND status = 'voting')"
		" AND round = (SELECT round FROM motions WHERE id = motion_id)",
		"DELETE FROM ranked_ballots WHERE account_id = ?2 AND motion_id IN"
		" (SELECT id FROM motions WHERE meeting_id = ?1 AND status = 'voting')"
		" AND round = (SELECT round FROM motions WHERE id = motion_id)",
	};
	sqlite3_stmt *st = store_stmt(s, "UPDATE attendance SET left_at = ?, left_reason = ?"
				      " WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, row);
	int rc = store_run(st);
	if (rc)
		return rc;
	/* what they cast in a vote still open there is taken back, as a
	 * member's vote counts only while they are one; a secret ballot
	 * cannot be told apart, so it stands, and its voter counts as
	 * present for that vote (meeting_present_for_vote) */
	int64_t withdrawn = 0;
	for (size_t k = 0; k < sizeof(withdraw) / sizeof(withdraw[0]); k++) {
		st = store_stmt(s, withdraw[k]);
		sqlite3_bind_int64(st, 1, meeting);
		sqlite3_bind_int64(st, 2, account_id);
		if ((rc = store_run(st)))
			return rc;
		withdrawn += sqlite3_changes(store_db(s));
	}
	/* nor do they wait for the floor any more: only those present speak */
	st = store_stmt(s, "DELETE FROM speakers WHERE meeting_id = ? AND account_id = ?"
			   " AND called_at IS NULL");
	sqlite3_bind_int64(st, 1, meeting);
	sqlite3_bind_int64(st, 2, account_id);
	if ((rc = store_run(st)))
		return rc;
	int unqueued = sqlite3_changes(store_db(s)) > 0;
	json_t *p = json_pack("{s:I, s:s, s:s, s:I}", "meeting", (json_int_t)meeting,
			      "member", handle, "reason", reason,
			      "withdrawn", (json_int_t)withdrawn);
	if (!p)
		return PX_E_NOMEM;
	if (unqueued)
		json_object_set_new(p, "left_queue", json_true());
	if (motion_id)
		json_object_set_new(p, "motion", json_integer(motion_id));
	rc = meeting_note(s, meeting, p, "meeting");
	if (!rc)
		rc = journal_append(s, now, actor ? actor : handle, slug, "meeting.depart",
				    p, NULL);
	json_decref(p);
	return rc;
}

int meeting_presence_end(struct store *s, int64_t body_id, int64_t account_id,
			 int64_t now, const char *reason, const char *actor,
			 int64_t motion_id)
{
	int64_t rows[DEPARTURES_MAX], meetings[DEPARTURES_MAX];
	size_t n = 0;
	char handle[GOV_HANDLE_MAX + 1] = "", slug[GOV_SLUG_SIZE] = "";
	int rc = 0;
	/* the meetings in session where they are present now (a meeting is in
	 * session for MEETING_OPEN_HOURS at most, so these are few) */
	sqlite3_stmt *st = store_stmt(s, "SELECT t.id, t.meeting_id FROM attendance t"
		" JOIN meetings m ON m.id = t.meeting_id WHERE m.body_id = ?1"
		" AND m.closed_at IS NULL AND m.starts_at <= ?3 AND m.starts_at > ?4"
		" AND t.account_id = ?2 AND t.left_at IS NULL ORDER BY t.id LIMIT 16");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now - MEETING_OPEN_HOURS * 3600);
	while (store_next(st, &rc)) {
		if (n < DEPARTURES_MAX) {
			rows[n] = sqlite3_column_int64(st, 0);
			meetings[n++] = sqlite3_column_int64(st, 1);
		}
	}
	if (rc || !n)
		return rc;
	st = store_stmt(s, "SELECT a.handle, b.slug FROM accounts a, bodies b"
			   " WHERE a.id = ? AND b.id = ?");
	sqlite3_bind_int64(st, 1, account_id);
	sqlite3_bind_int64(st, 2, body_id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_INTERNAL;
	snprintf(handle, sizeof(handle), "%s", (const char *)sqlite3_column_text(st, 0));
	snprintf(slug, sizeof(slug), "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	for (size_t i = 0; i < n && !rc; i++)
		rc = end_stay(s, rows[i], meetings[i], account_id, handle, slug, now,
			      reason, actor, motion_id);
	return rc;
}

int meeting_in_session(struct store *s, int64_t body_id, int64_t now,
		       int64_t *meeting_id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM meetings WHERE body_id = ?1 AND"
		" closed_at IS NULL AND starts_at <= ?2 AND starts_at > ?3"
		" ORDER BY starts_at DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, now - MEETING_OPEN_HOURS * 3600);
	int rc = store_int64(st, meeting_id, NULL);
	if (rc)
		return rc;
	return *meeting_id ? 0 : px_fail(err, PX_E_NOT_OPEN, NULL,
					  "no meeting of the assembly is in session");
}

int meeting_load(struct store *s, int64_t id, int64_t now, int64_t *body_id,
		 enum meeting_state *state, char slug[GOV_SLUG_SIZE],
		 struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT m.body_id, m.starts_at, m.closed_at,"
		" b.slug FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no meeting %lld", (long long)id);
	*body_id = sqlite3_column_int64(st, 0);
	int closed = sqlite3_column_type(st, 2) != SQLITE_NULL;
	*state = meeting_state_at(sqlite3_column_int64(st, 1), closed, now);
	if (slug)
		snprintf(slug, GOV_SLUG_SIZE, "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	return 0;
}

static void iso_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	out[0] = '\0';
	if (gmtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

#define MEETING_SELECT \
	"SELECT m.id, b.slug, m.starts_at, m.kind, m.place, m.closed_at," \
	" (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id" \
	"  AND a.left_at IS NULL)," \
	" m.declared_by, " MEETING_LANGUAGE_SQL ", json_extract(b.schedule, '$.tz')" \
	" FROM meetings m JOIN bodies b ON b.id = m.body_id"

static json_t *meeting_row_json(sqlite3_stmt *st, int64_t now)
{
	char when[32];
	int closed = sqlite3_column_type(st, 5) != SQLITE_NULL;
	int64_t starts = sqlite3_column_int64(st, 2);
	iso_time(starts, when);
	json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:I}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"body", (const char *)sqlite3_column_text(st, 1),
		"starts_at", (json_int_t)starts, "start", when,
		"kind", (const char *)sqlite3_column_text(st, 3),
		"place", (const char *)sqlite3_column_text(st, 4),
		"state", meeting_state_name(meeting_state_at(starts, closed, now)),
		"attendance", (json_int_t)sqlite3_column_int64(st, 6));
	if (closed)
		json_object_set_new(j, "closed_at", json_integer(sqlite3_column_int64(st, 5)));
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		json_object_set_new(j, "declared_by", json_integer(sqlite3_column_int64(st, 7)));
	json_object_set_new(j, "language", json_string((const char *)sqlite3_column_text(st, 8)));
	/* the zone its assembly keeps its schedule in, for writing its times
	 * as the room reads them (the command line; starts_at stays UTC) */
	if (sqlite3_column_type(st, 9) == SQLITE_TEXT)
		json_object_set_new(j, "tz", json_string((const char *)sqlite3_column_text(st, 9)));
	return j;
}

struct list_args {
	const struct gov_ctx *ctx;
	const char *slug;
	json_t *out;
	struct px_error *err;
};

static int list_tx(struct store *s, void *arg)
{
	struct list_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t body_id;
	int rc = body_id_by_slug(s, a->slug, &body_id, a->err);
	if (rc)
		return rc;
	json_t *up = json_array(), *past = json_array();
	static const char up_sql[] = MEETING_SELECT
		" WHERE m.body_id = ? AND m.closed_at IS NULL AND m.starts_at > ?"
		" ORDER BY m.starts_at LIMIT 12";
	static const char past_sql[] = MEETING_SELECT
		" WHERE m.body_id = ? AND NOT (m.closed_at IS NULL AND m.starts_at > ?)"
		" ORDER BY m.starts_at DESC LIMIT 12";
	/* an open meeting started already: it belongs with the upcoming */
	int64_t cut = a->ctx->now - MEETING_OPEN_HOURS * 3600;
	sqlite3_stmt *st = store_stmt(s, up_sql);
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, cut);
	while (store_next(st, &rc))
		json_array_append_new(up, meeting_row_json(st, a->ctx->now));
	st = store_stmt(s, past_sql);
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, cut);
	while (store_next(st, &rc))
		json_array_append_new(past, meeting_row_json(st, a->ctx->now));
	if (rc) {
		json_decref(up);
		json_decref(past);
		return rc;
	}
	a->out = json_pack("{s:o, s:o}", "upcoming", up, "past", past);
	return 0;
}

int gov_meeting_list(const struct gov_ctx *ctx, const char *slug,
		     json_t **out, struct px_error *err)
{
	struct list_args a = { ctx, slug, NULL, err };
	/* a read: the rows were made when the schedule was set and are kept
	 * MEETINGS_AHEAD_DAYS ahead by gov_meetings_materialise() */
	int rc = list_tx(ctx->db, &a);
	*out = rc ? NULL : a.out;
	if (rc)
		json_decref(a.out);
	return rc && err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
}

static int closing_json(struct store *s, int64_t meeting_id, int64_t now, const char *lang,
			json_t **out);

/* One agenda entry: may its vote be opened now, and if not, why (in the
 * reader's language, lang, and as a code): the page offers only what the
 * domain allows. */
static int entry_actions(struct store *s, const char *state, const char *lang, json_t *e)
{
	char why[400] = "";
	const char *code = NULL;
	int64_t n = 0;
	int yes = 0, rc = 0;
	if (strcmp(state, "open")) {
		snprintf(why, sizeof(why), "%s", tr(lang ? lang : I18N_DEFAULT,
			 "decisions are taken only while the meeting is in session"));
		code = "not_in_session";
	} else if ((rc = vote_open_possible(s, json_integer_value(json_object_get(e, "id")),
					    lang, &yes, why, sizeof(why), &code, &n))) {
		return rc;
	}
	json_object_set_new(e, "can_open_vote", json_boolean(yes));
	if (!yes)
		json_object_set_new(e, "cannot_open_vote", json_string(why));
	/* the same reason as a code (and a count) the pages say in their
	 * reader's language: the live stream's copy of this JSON is shared by
	 * every reader, and written in English */
	if (!yes && code)
		json_object_set_new(e, "cannot_open_vote_code", json_string(code));
	if (!yes && n)
		json_object_set_new(e, "cannot_open_vote_count", json_integer(n));
	return 0;
}

static int agenda_actions(struct store *s, const char *lang, json_t *meeting)
{
	const char *state = json_string_value(json_object_get(meeting, "state"));
	size_t i, k;
	json_t *e, *sub;
	int rc = 0;
	json_array_foreach(json_object_get(meeting, "agenda"), i, e) {
		if ((rc = entry_actions(s, state ? state : "", lang, e)))
			return rc;
		json_array_foreach(json_object_get(e, "amendments"), k, sub)
			if ((rc = entry_actions(s, state ? state : "", lang, sub)))
				return rc;
	}
	return 0;
}

int gov_meeting_exists(const struct gov_ctx *ctx, int64_t id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT 1 FROM meetings WHERE id = ?");
	int found = 0;
	sqlite3_bind_int64(st, 1, id);
	int rc = store_exists(st, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, NULL, "no meeting %lld", (long long)id);
}

int gov_meeting_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		    struct px_error *err)
{
	static const char sql[] = MEETING_SELECT " WHERE m.id = ?";
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, sql);
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		*out = meeting_row_json(st, ctx->now);
		sqlite3_reset(st);
	}
	if (!*out)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no meeting %lld", (long long)id);

	/* who is present now, and who was and is no longer (kept, with why) */
	json_t *att = json_array(), *gone = json_array();
	st = store_stmt(ctx->db, "SELECT a.handle, a.display_name, t.checked_in_at,"
		" t.method, t.left_at, t.left_reason FROM attendance t JOIN accounts a"
		" ON a.id = t.account_id WHERE t.meeting_id = ?"
		" ORDER BY t.checked_in_at, a.handle, t.id");
	sqlite3_bind_int64(st, 1, id);
	while (store_next(st, &rc)) {
		json_t *p = json_pack("{s:s, s:s, s:I, s:s}",
			"handle", (const char *)sqlite3_column_text(st, 0),
			"display_name", (const char *)sqlite3_column_text(st, 1),
			"at", (json_int_t)sqlite3_column_int64(st, 2),
			"method", (const char *)sqlite3_column_text(st, 3));
		if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
			json_array_append_new(att, p);
			continue;
		}
		json_object_set_new(p, "left_at", json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new(p, "reason", json_string((const char *)sqlite3_column_text(st, 5)));
		json_array_append_new(gone, p);
	}
	json_object_set_new(*out, "present", att);
	json_object_set_new(*out, "departed", gone);
	json_t *closing = NULL;
	if (!rc && !(rc = closing_json(ctx->db, id, ctx->now, ctx->lang, &closing)) && closing)
		json_object_set_new(*out, "closing", closing);
	int attended = 0;
	if (!rc && ctx->account_id &&
	    !(rc = meeting_attended(ctx->db, id, ctx->account_id, &attended)))
		json_object_set_new(*out, "checked_in", json_boolean(attended));
	json_t *agenda = rc ? NULL : minutes_agenda_json(ctx->db, id, ctx->lang);
	if (!agenda) {
		json_decref(*out);
		*out = NULL;
		return px_fail(err, rc ? rc : PX_E_DB, NULL, NULL);
	}
	json_object_set_new(*out, "agenda", agenda);
	if ((rc = agenda_actions(ctx->db, ctx->lang, *out))) {
		json_decref(*out);
		*out = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}

static void room_code(const unsigned char *secret, int64_t window,
		      char out[ROOM_CODE_DIGITS + 1])
{
	unsigned char msg[14 + 8], h[32];
	memcpy(msg, "pnyx-room-code", 14);
	for (int i = 0; i < 8; i++)
		msg[14 + i] = (unsigned char)((uint64_t)window >> (56 - 8 * i));
	crypto_generichash(h, sizeof(h), msg, sizeof(msg), secret, SECRET_LEN);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	snprintf(out, ROOM_CODE_DIGITS + 1, "%08llu",
		 (unsigned long long)(v % 100000000u));
}

static int load_secret(struct store *s, int64_t id, unsigned char secret[SECRET_LEN])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT code_secret FROM meetings WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	int ok = row && sqlite3_column_bytes(st, 0) == SECRET_LEN;
	if (ok)
		memcpy(secret, sqlite3_column_blob(st, 0), SECRET_LEN);
	if (row)
		sqlite3_reset(st);
	return ok ? 0 : PX_E_NOT_FOUND;
}

/*
 * Who puts the code on the room's screen: the clerk or the facilitator.
 * While both offices are vacant, a member already checked in at this
 * meeting; and before anyone has checked in, any active member (someone
 * has to open the meeting: the first to do so is recorded, by their own
 * check-in, in the journal and the minutes). Nobody at home can read the
 * code once the room has started.
 */
static int may_show_code(struct store *s, int64_t body_id, int64_t meeting,
			 int64_t account_id, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT o.holder_id FROM offices o JOIN memberships m"
		" ON m.body_id = o.body_id AND m.account_id = o.holder_id AND m.status = 'active'"
		" WHERE o.body_id = ? AND o.name IN ('clerk', 'facilitator')");
	sqlite3_bind_int64(st, 1, body_id);
	int held = 0, mine = 0, rc = 0, attended = 0;
	int64_t present = 0;
	while (store_next(st, &rc)) {
		held = 1;
		mine |= sqlite3_column_int64(st, 0) == account_id;
	}
	if (rc)
		return rc;
	if (mine)
		return 0;
	if (held)
		return px_fail(err, PX_E_FORBIDDEN, NULL,
			       "the room code is shown by the clerk or the facilitator");
	if ((rc = meeting_attended(s, meeting, account_id, &attended)) ||
	    (rc = meeting_attendance(s, meeting, &present)))
		return rc;
	if (attended || present == 0)
		return 0;
	return px_fail(err, PX_E_NOT_CHECKED_IN, NULL,
		       "while the clerk's and facilitator's offices are vacant, the code"
		       " is shown by members in the room: check in first");
}

int gov_meeting_code(const struct gov_ctx *ctx, int64_t id, json_t **out,
		     struct px_error *err)
{
	int64_t body_id;
	enum meeting_state state;
	unsigned char secret[SECRET_LEN];
	char code[ROOM_CODE_DIGITS + 1], slug[GOV_SLUG_SIZE];
	*out = NULL;
	int rc = meeting_load(ctx->db, id, ctx->now, &body_id, &state, slug, err);
	if (rc)
		return rc;
	int64_t ignored;
	if ((rc = gov_require_active_member(ctx, slug, &ignored, err)))
		return rc;
	if ((rc = may_show_code(ctx->db, body_id, id, ctx->account_id, err)))
		return rc;
	if (state != MEETING_OPEN)
		return meeting_state_fail(err, state);
	if ((rc = load_secret(ctx->db, id, secret)))
		return px_fail(err, rc, NULL, NULL);
	int64_t window = ctx->now / ROOM_CODE_SECONDS;
	room_code(secret, window, code);
	*out = json_pack("{s:s, s:I, s:I}", "code", code, "expires_at",
			 (json_int_t)((window + 1) * ROOM_CODE_SECONDS),
			 "valid_seconds", (json_int_t)ROOM_CODE_SECONDS);
	return 0;
}

/* Eight digits, spaces allowed anywhere (the room's screen shows "1234
 * 5678"): copied without the spaces into out. Anything else is a slip of
 * the keyboard, not a guess, and is refused as bad input (which the edge
 * does not count as a wrong code). */
static int code_well_formed(const char *code, char out[ROOM_CODE_DIGITS + 1])
{
	size_t n = 0;
	for (; *code; code++) {
		if (*code == ' ')
			continue;
		if (*code < '0' || *code > '9' || n == ROOM_CODE_DIGITS)
			return 0;
		out[n++] = *code;
	}
	out[n] = 0;
	return n == ROOM_CODE_DIGITS;
}

struct checkin_args {
	const struct gov_ctx *ctx;
	int64_t meeting_id;
	const char *code;   /* self check-in */
	const char *handle; /* check-in by the clerk */
	json_t *out;
	struct px_error *err;
};

static int checkin_tx(struct store *s, void *arg)
{
	struct checkin_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t body_id, who = a->ctx->account_id;
	enum meeting_state state;
	char slug[GOV_SLUG_SIZE];
	sqlite3_stmt *st;
	int rc = meeting_load(s, a->meeting_id, a->ctx->now, &body_id, &state, slug, a->err);
	if (rc)
		return rc;
	int64_t ignored;
	/* the caller must be an active member either way */
	if ((rc = gov_require_active_member(a->ctx, slug, &ignored, a->err)))
		return rc;
	if (state != MEETING_OPEN)
		return meeting_state_fail(a->err, state);
	if (a->handle) {
		/* only the clerk the assembly elected checks others in: the
		 * vacancy rule does not stretch to vouching for absent people */
		int clerk = 0;
		if ((rc = office_holds(s, body_id, OFFICE_CLERK, who, &clerk)))
			return rc;
		if (!clerk)
			return px_fail(a->err, PX_E_FORBIDDEN, "member",
				       "only the clerk checks members in; check in"
				       " yourself with the room code");
		st = store_stmt(s, "SELECT a.id, m.status FROM accounts a LEFT JOIN"
			" memberships m ON m.account_id = a.id AND m.body_id = ?"
			" WHERE a.handle = ?");
		sqlite3_bind_int64(st, 1, body_id);
		sqlite3_bind_text(st, 2, a->handle, -1, SQLITE_STATIC);
		who = 0;
		const char *status = NULL;
		int row = 0;
		if ((rc = store_step(st, &row)))
			return rc;
		if (row) {
			who = sqlite3_column_int64(st, 0);
			status = (const char *)sqlite3_column_text(st, 1);
		}
		int active = status && !strcmp(status, "active");
		int excluded = status && !strcmp(status, "excluded");
		sqlite3_reset(st);
		if (!who)
			return px_fail(a->err, PX_E_NOT_FOUND, "member", "no account '%s'", a->handle);
		if (excluded)
			return px_fail(a->err, PX_E_EXCLUDED, "member",
				       "%s is excluded from this assembly", a->handle);
		if (!active)
			return px_fail(a->err, PX_E_NOT_MEMBER, "member",
				       "%s is not an active member", a->handle);
	} else {
		unsigned char secret[SECRET_LEN];
		char now_code[ROOM_CODE_DIGITS + 1], prev_code[ROOM_CODE_DIGITS + 1];
		char typed[ROOM_CODE_DIGITS + 1];
		int64_t w = a->ctx->now / ROOM_CODE_SECONDS;
		if (!a->code || !code_well_formed(a->code, typed))
			return px_fail(a->err, PX_E_BAD_INPUT, "code",
				       "the room code is the eight digits shown in the room");
		if ((rc = load_secret(s, a->meeting_id, secret)))
			return rc;
		room_code(secret, w, now_code);
		room_code(secret, w - 1, prev_code);
		if ((sodium_memcmp(typed, now_code, sizeof(typed)) &&
		     sodium_memcmp(typed, prev_code, sizeof(typed))))
			return px_fail(a->err, PX_E_BAD_CODE, "code", NULL);
	}
	st = store_stmt(s, "INSERT INTO attendance(meeting_id, account_id,"
			   " checked_in_at, method) VALUES (?, ?, ?, ?)"
			   " ON CONFLICT DO NOTHING");
	sqlite3_bind_int64(st, 1, a->meeting_id);
	sqlite3_bind_int64(st, 2, who);
	sqlite3_bind_int64(st, 3, a->ctx->now);
	sqlite3_bind_text(st, 4, a->handle ? "clerk" : "code", -1, SQLITE_STATIC);
	if ((rc = store_run(st)))
		return rc;
	int fresh = sqlite3_changes(store_db(s)) > 0;
	if (fresh) {
		json_t *p = json_pack("{s:I, s:s, s:s}", "meeting", (json_int_t)a->meeting_id,
				      "member", a->handle ? a->handle : a->ctx->handle,
				      "method", a->handle ? "clerk" : "code");
		rc = meeting_note(s, a->meeting_id, p, "meeting");
		if (!rc)
			rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), slug,
					    "meeting.checkin", p, NULL);
		json_decref(p);
		if (rc)
			return rc;
	}
	int64_t attendance = 0;
	if ((rc = meeting_attendance(s, a->meeting_id, &attendance)))
		return rc;
	a->out = json_pack("{s:I, s:s, s:b, s:I}", "meeting", (json_int_t)a->meeting_id,
			   "member", a->handle ? a->handle : a->ctx->handle,
			   "new", fresh, "attendance", (json_int_t)attendance);
	return 0;
}

static int checkin(struct checkin_args *a)
{
	int rc = gov_require_account(a->ctx, a->err);
	if (!rc)
		rc = store_tx(a->ctx->db, checkin_tx, a);
	if (rc) {
		json_decref(a->out);
		a->out = NULL;
		if (a->err && !a->err->code)
			px_fail(a->err, rc, NULL, NULL);
	}
	return rc;
}

int gov_meeting_checkin(const struct gov_ctx *ctx, int64_t id,
			const char *code, json_t **out, struct px_error *err)
{
	struct checkin_args a = { ctx, id, code ? code : "", NULL, NULL, err };
	int rc = checkin(&a);
	*out = a.out;
	return rc;
}

int gov_meeting_checkin_member(const struct gov_ctx *ctx, int64_t id,
			       const char *handle, json_t **out,
			       struct px_error *err)
{
	struct checkin_args a = { ctx, id, NULL, handle, NULL, err };
	int rc = checkin(&a);
	*out = a.out;
	return rc;
}

/* Where an open meeting stands for closing. In a delegate assembly
 * present and quorum are in voices, as its votes are counted. */
struct close_facts {
	int64_t present, quorum, undecided, voting;
};

static int close_facts(struct store *s, int64_t meeting_id, int64_t body_id,
		       struct close_facts *f)
{
	struct rule_set set;
	int64_t members = 0;
	int row = 0, delegate = 0;
	json_t *rules = NULL;
	memset(f, 0, sizeof(*f));
	sqlite3_stmt *st = store_stmt(s, "SELECT rules, (SELECT count(*) FROM memberships"
		" WHERE body_id = ?1 AND status = 'active') FROM bodies WHERE id = ?1");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	rules = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	members = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	rc = rules && !rule_set_from_json(rules, &set, "rules", NULL) ? 0 : PX_E_INTERNAL;
	json_decref(rules);
	if (rc || (rc = meeting_attendance(s, meeting_id, &f->present)) ||
	    (rc = fed_is_delegate(s, body_id, &delegate)))
		return rc;
	if (delegate) {
		json_t *none = json_object();
		rc = none ? fed_weighted_counts(s, body_id, 0, 0, meeting_id, 0, none,
						&members, &f->present) : PX_E_NOMEM;
		json_decref(none);
		if (rc)
			return rc;
	}
	f->quorum = rule_quorum_needed(&set.def, members);
	/* a motion the assembly sent to an online vote is decided there */
	st = store_stmt(s, "SELECT count(*), coalesce(sum(status = 'voting' AND vote_mode"
		" IN ('devices', 'hands')), 0) FROM motions m WHERE meeting_id = ?"
		" AND status IN ('submitted', 'voting') AND NOT EXISTS"
		" (SELECT 1 FROM remote_votes r WHERE r.motion_id = m.id)");
	sqlite3_bind_int64(st, 1, meeting_id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_INTERNAL;
	f->undecided = sqlite3_column_int64(st, 0);
	f->voting = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

/* Before it lapses a meeting closes only with quorum present and nothing
 * left undecided (a motion to adjourn closes it by its own effect): one
 * person alone in the room cannot end it for everyone. A lapsed meeting
 * can always be closed, to write its minutes. */
static int may_close(const struct close_facts *f, enum meeting_state state,
		     struct px_error *err)
{
	if (state == MEETING_LAPSED)
		return 0;
	if (state != MEETING_OPEN)
		return meeting_state_fail(err, state);
	if (f->voting)
		return px_fail(err, PX_E_CONFLICT, NULL,
			       "close the vote in progress before closing the meeting");
	if (f->present < f->quorum)
		return px_fail(err, PX_E_MEETING_NO_QUORUM, NULL,
			       "%lld present and the quorum is %lld: until it lapses the"
			       " meeting stays open for members to arrive",
			       (long long)f->present, (long long)f->quorum);
	if (f->undecided)
		return px_fail(err, PX_E_MEETING_UNDECIDED, NULL,
			       "%lld motion(s) on the agenda are undecided: decide them,"
			       " or adopt a motion to adjourn", (long long)f->undecided);
	return 0;
}

/* *out: {"allowed", "present", "quorum", "undecided"} and, when not
 * allowed, "code" and "reason" (in lang, the reader's language): what the
 * meeting page says about closing; NULL when the meeting is neither open
 * nor lapsed. */
static int closing_json(struct store *s, int64_t meeting_id, int64_t now, const char *lang,
			json_t **out)
{
	char buf[512];
	int64_t body_id;
	enum meeting_state state;
	struct close_facts f;
	struct px_error why = { 0 };
	*out = NULL;
	int rc = meeting_load(s, meeting_id, now, &body_id, &state, NULL, NULL);
	if (rc || (state != MEETING_OPEN && state != MEETING_LAPSED))
		return rc;
	if ((rc = close_facts(s, meeting_id, body_id, &f)))
		return rc;
	int refused = may_close(&f, state, &why);
	*out = json_pack("{s:b, s:I, s:I, s:I}", "allowed", !refused,
			 "present", (json_int_t)f.present, "quorum", (json_int_t)f.quorum,
			 "undecided", (json_int_t)f.undecided);
	if (!*out)
		return PX_E_NOMEM;
	if (refused) {
		json_object_set_new(*out, "code", json_string(px_code_name(refused)));
		json_object_set_new(*out, "reason", json_string(px_error_message_in(
			&why, lang ? lang : I18N_DEFAULT, buf, sizeof(buf))));
	}
	return 0;
}

static int note_next(struct store *s, int64_t body_id, int64_t now, json_t *p);

int meeting_close_now(struct store *s, int64_t meeting_id, int64_t body_id,
		      const char *slug, int64_t now, const char *actor,
		      int64_t adjourned_by)
{
	char *minutes = NULL;
	/* a meeting that lapsed with a vote open: nobody can close that vote
	 * any more, so it decided nothing (an open meeting closes only with
	 * no vote running) */
	sqlite3_stmt *st = store_stmt(s, "UPDATE motions SET status = 'void', decided_at = ?,"
		" result = '{\"outcome\":\"void\",\"void_reason\":\"the meeting"
		" lapsed before the vote was closed\"}' WHERE meeting_id = ?"
		" AND status = 'voting' AND vote_mode IN ('devices', 'hands')");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, meeting_id);
	int rc = store_run(st);
	if (rc || (rc = minutes_compose(s, meeting_id, now, &minutes)))
		return rc;
	st = store_stmt(s, "UPDATE meetings SET closed_at = ?, minutes = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, minutes, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, meeting_id);
	if ((rc = store_run(st)))
		goto out;
	/* motions the meeting did not reach go to the agenda of the next one,
	 * after what is already there */
	if ((rc = meeting_sync(s, body_id, now)))
		goto out;
	st = store_stmt(s, "UPDATE motions SET meeting_id = (SELECT id FROM meetings"
		" WHERE body_id = ?1 AND starts_at > ?2 AND closed_at IS NULL"
		" ORDER BY starts_at LIMIT 1), position = position - 1000000"
		" WHERE meeting_id = ?3 AND status = 'submitted'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, meeting_id);
	if ((rc = store_run(st)))
		goto out;
	int64_t attendance = 0;
	if ((rc = meeting_attendance(s, meeting_id, &attendance)))
		goto out;
	json_t *p = json_pack("{s:I, s:I, s:s}", "meeting", (json_int_t)meeting_id,
			      "attendance", (json_int_t)attendance, "minutes", minutes);
	if (!p) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (adjourned_by)
		json_object_set_new(p, "adjourned_by", json_integer(adjourned_by));
	/* where the motions not reached went, for replay */
	rc = meeting_note(s, meeting_id, p, "meeting");
	if (!rc)
		rc = note_next(s, body_id, now, p);
	if (!rc)
		rc = journal_append(s, now, actor, slug, "meeting.close", p, NULL);
	json_decref(p);
out:
	free(minutes);
	return rc;
}

struct close_args {
	const struct gov_ctx *ctx;
	int64_t meeting_id;
	json_t *out;
	struct px_error *err;
};

/* The meeting the motions not reached were carried to, if any. */
static int note_next(struct store *s, int64_t body_id, int64_t now, json_t *p)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM meetings WHERE body_id = ?"
		" AND starts_at > ? AND closed_at IS NULL ORDER BY starts_at LIMIT 1");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, now);
	int64_t next = 0;
	int rc = store_int64(st, &next, NULL);
	if (rc)
		return rc;
	return next ? meeting_note(s, next, p, "carried_to") : 0;
}

static int close_tx(struct store *s, void *arg)
{
	struct close_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	int64_t body_id;
	enum meeting_state state;
	struct close_facts f;
	char slug[GOV_SLUG_SIZE];
	int rc = meeting_load(s, a->meeting_id, a->ctx->now, &body_id, &state, slug, a->err);
	if (rc)
		return rc;
	if (state != MEETING_OPEN && state != MEETING_LAPSED)
		return meeting_state_fail(a->err, state);
	int64_t ignored;
	if ((rc = gov_require_active_member(a->ctx, slug, &ignored, a->err)))
		return rc;
	if ((rc = office_may_act(s, body_id, OFFICE_CLERK, a->ctx->account_id,
				 a->meeting_id, a->err)))
		return rc;
	if ((rc = close_facts(s, a->meeting_id, body_id, &f)) ||
	    (rc = may_close(&f, state, a->err)))
		return rc;
	if ((rc = meeting_close_now(s, a->meeting_id, body_id, slug, a->ctx->now,
				    gov_actor(a->ctx), 0)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT minutes FROM meetings WHERE id = ?");
	sqlite3_bind_int64(st, 1, a->meeting_id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_INTERNAL;
	a->out = json_pack("{s:I, s:s, s:s}", "meeting", (json_int_t)a->meeting_id,
			   "state", "closed", "minutes",
			   (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return a->out ? 0 : PX_E_NOMEM;
}

int gov_meeting_close(const struct gov_ctx *ctx, int64_t id, json_t **out,
		      struct px_error *err)
{
	struct close_args a = { ctx, id, NULL, err };
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (!rc)
		rc = store_tx(ctx->db, close_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}

int gov_meeting_minutes(const struct gov_ctx *ctx, int64_t id,
			const char *format, char **out, struct px_error *err)
{
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT minutes, closed_at IS NOT NULL"
					       " FROM meetings WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int row = 0, rc = store_step(st, &row);
	char *md = NULL;
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		rc = sqlite3_column_int(st, 1) ? 0 : PX_E_CONFLICT;
		if (!rc)
			md = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	} else {
		rc = PX_E_NOT_FOUND;
	}
	if (rc == PX_E_NOT_FOUND)
		return px_fail(err, rc, NULL, "no meeting %lld", (long long)id);
	if (rc)
		return px_fail(err, rc, NULL, "the minutes exist once the meeting is closed");
	if (!md)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (format && !strcmp(format, "html")) {
		*out = minutes_html(md);
		free(md);
		return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	*out = md;
	return 0;
}

struct cal_args {
	const struct gov_ctx *ctx;
	const char *slug, *base_url;
	struct strbuf sb;
	struct px_error *err;
};

static int calendar_tx(struct store *s, void *arg)
{
	struct cal_args *a = arg;
	int64_t body_id;
	char name[200], uid[96], url[512], summary[240];
	int rc = body_id_by_slug(s, a->slug, &body_id, a->err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT name FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	snprintf(name, sizeof(name), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	sb_reset(&a->sb);
	if ((rc = ical_begin(&a->sb, "-//pnyx//pnyx//EN", name)))
		return rc;
	st = store_stmt(s, "SELECT id, starts_at, kind, place, closed_at FROM meetings"
			   " WHERE body_id = ? ORDER BY starts_at");
	sqlite3_bind_int64(st, 1, body_id);
	while (store_next(st, &rc)) {
		int64_t id = sqlite3_column_int64(st, 0);
		int extra = !strcmp((const char *)sqlite3_column_text(st, 2), "extra");
		snprintf(uid, sizeof(uid), "meeting-%lld-%s@pnyx", (long long)id, a->slug);
		snprintf(summary, sizeof(summary), "%s: %s meeting", name,
			 extra ? "extra" : "regular");
		if (a->base_url)
			snprintf(url, sizeof(url), "%s/meeting.html?id=%lld", a->base_url,
				 (long long)id);
		struct ical_event ev = {
			.uid = uid, .dtstamp = a->ctx->now,
			.start = sqlite3_column_int64(st, 1),
			.end = sqlite3_column_int64(st, 1) + 2 * 3600,
			.summary = summary,
			.location = (const char *)sqlite3_column_text(st, 3),
			.description = extra ? "An extra meeting declared by the assembly."
					     : "A regular meeting of the assembly.",
			.url = a->base_url ? url : NULL,
			.status = "CONFIRMED",
		};
		rc = ical_add_event(&a->sb, &ev);
	}
	sqlite3_reset(st);
	return rc ? rc : ical_end(&a->sb);
}

int gov_meeting_calendar(const struct gov_ctx *ctx, const char *slug,
			 const char *base_url, char **out, struct px_error *err)
{
	struct cal_args a = { ctx, slug, base_url, { 0 }, err };
	sb_init(&a.sb, 4 << 20);
	*out = NULL;
	int rc = calendar_tx(ctx->db, &a); /* a read, like the list */
	if (rc) {
		sb_release(&a.sb);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = sb_detach(&a.sb, NULL);
	return 0;
}
