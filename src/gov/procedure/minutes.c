/*
 * minutes.c: the agenda of a meeting and its minutes.
 *
 * The minutes are written for people: times in the assembly's own zone,
 * what each motion does in words (the summary of its kind), counts with
 * their nouns, and a motion that amendments changed shown with its
 * original text, each adopted amendment and the final text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil.h"
#include "core/errors.h"
#include "core/markdown.h"
#include "core/strbuf.h"
#include "core/tzif.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/procedure/minutes.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static json_t *summary(sqlite3_stmt *st)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"kind", (const char *)sqlite3_column_text(st, 1),
		"title", (const char *)sqlite3_column_text(st, 2),
		"status", (const char *)sqlite3_column_text(st, 3),
		"position", (json_int_t)sqlite3_column_int64(st, 4),
		"proposer", (const char *)sqlite3_column_text(st, 5));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		json_t *r = json_loads((const char *)sqlite3_column_text(st, 6), 0, NULL);
		const char *text = json_string_value(json_object_get(r, "text"));
		if (text)
			json_object_set_new(j, "result_text", json_string(text));
		json_decref(r);
	}
	return j;
}

#define AGENDA_SELECT \
	"SELECT m.id, m.kind, m.title, m.status, m.position, a.handle, m.result" \
	" FROM motions m JOIN accounts a ON a.id = m.proposer"

json_t *minutes_agenda_json(struct store *s, int64_t meeting_id)
{
	static const char top_sql[] = AGENDA_SELECT
		" WHERE m.meeting_id = ? AND m.parent_id IS NULL ORDER BY m.position, m.id";
	static const char sub_sql[] = AGENDA_SELECT
		" WHERE m.parent_id = ? ORDER BY m.id";
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, top_sql);
	sqlite3_bind_int64(st, 1, meeting_id);
	int rc = 0;
	while (store_next(st, &rc))
		json_array_append_new(list, summary(st));
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m) {
		json_t *subs = json_array();
		st = store_stmt(s, sub_sql);
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(m, "id")));
		while (store_next(st, &rc))
			json_array_append_new(subs, summary(st));
		json_object_set_new(m, "amendments", subs);
	}
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static const char *const month_names[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };
static const char *const day_names[] = { "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday", "Sunday" };

/* t as the assembly says it, "Tuesday 8 December 2026 at 19:00", in zone
 * (or UTC when zone is NULL). */
static void when(const struct tz_zone *zone, int64_t t, char out[80])
{
	struct tz_local l;
	if (!zone || tz_to_local(zone, t, &l))
		civil_from_seconds(t, &l.time);
	const struct civil_time *c = &l.time;
	snprintf(out, 80, "%s %d %s %lld at %02d:%02d",
		 day_names[civil_weekday_of(c->year, c->month, c->day)], c->day,
		 month_names[c->month - 1], (long long)c->year, c->hour, c->minute);
}

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* A motion's status, or a position, in words. */
static const struct { const char *status, *words; } status_words[] = {
	{ "adopted", "adopted" }, { "rejected", "rejected" },
	{ "no_quorum", "not decided: no quorum" }, { "withdrawn", "withdrawn" },
	{ "void", "void" }, { "voting", "still being voted on" },
	{ "submitted", "not reached; carried to the next meeting" },
	{ "stand_aside", "stand aside" },
};

static const char *status_text(const char *status)
{
	if (!status)
		return "";
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
		if (!strcmp(status_words[i].status, status))
			return status_words[i].words;
	return status;
}

/* One motion's section: what it does, its text (original, amendments,
 * final), votes and result. */
static int motion_section(struct store *s, struct strbuf *sb, int64_t id,
			  const char *heading)
{
	json_t *m = NULL;
	int rc = motion_json(s, id, 0, &m);
	if (rc)
		return rc == PX_E_NOT_FOUND ? PX_E_INTERNAL : rc;
	const struct motion_kind *kind =
		motion_kind_find(json_string_value(json_object_get(m, "kind")));
	rc = sb_addf(sb, "\n%s %s\n\nMotion %lld: %s. Proposed by @%s.\n\n",
			 heading, json_string_value(json_object_get(m, "title")),
			 (long long)id, kind ? kind->summary : "a motion",
			 json_string_value(json_object_get(m, "proposer")));
	const char *text = json_string_value(json_object_get(m, "text"));
	const char *original = json_string_value(json_object_get(m, "original_text"));
	const json_t *by = json_object_get(m, "amended_by");
	if (!rc && original && json_array_size(by)) {
		/* texts are kept: as submitted, what changed it, as decided */
		size_t i;
		json_t *a;
		rc = sb_addf(sb, "**Original text:**\n\n%s\n\n", original);
		json_array_foreach(by, i, a)
			if (!rc)
				rc = sb_addf(sb, "Amended by motion %lld, the adopted"
					     " amendment “%s”.\n\n",
					     (long long)json_integer_value(json_object_get(a, "id")),
					     json_string_value(json_object_get(a, "title")));
		if (!rc)
			rc = sb_addf(sb, "**Final text:**\n\n%s\n\n", text ? text : "");
	} else if (!rc && text && *text) {
		rc = sb_addf(sb, "%s\n\n", text);
	}
	const char *status = json_string_value(json_object_get(m, "status"));
	const json_t *result = json_object_get(m, "result");
	if (!rc && result) {
		rc = sb_addf(sb, "**Result: %s.** %s\n\nRule in force: %s.\n",
			     status_text(status),
			     json_string_value(json_object_get(result, "text")),
			     json_string_value(json_object_get(result, "rule_text")));
		const json_t *votes = json_object_get(m, "votes");
		if (!rc && json_array_size(votes)) {
			size_t i;
			json_t *v;
			rc = sb_adds(sb, "\nVotes (open ballot):");
			json_array_foreach(votes, i, v)
				if (!rc)
					rc = sb_addf(sb, "%s %s: %s", i ? ";" : "",
						json_string_value(json_object_get(v, "member")),
						status_text(json_string_value(
							json_object_get(v, "position"))));
			if (!rc)
				rc = sb_adds(sb, ".\n");
		} else if (!rc) {
			rc = sb_addf(sb, "\nBallot: %s; counted %s.\n",
				     json_string_value(json_object_get(m, "ballot")),
				     !strcmp(json_string_value(json_object_get(m, "vote_mode")), "hands")
				     ? "by a show of hands" : "from the members' devices");
		}
	} else if (!rc) {
		rc = sb_addf(sb, "**Status: %s.**\n", status_text(status));
	}
	const json_t *adv = json_object_get(m, "advisory");
	if (!rc && json_array_size(adv))
		rc = sb_addf(sb, "\nAdvisory input (not counted): %zu %s.\n",
			     json_array_size(adv),
			     plural((int64_t)json_array_size(adv), "member", "members"));
	json_decref(m);
	return rc;
}

int minutes_compose(struct store *s, int64_t meeting_id, int64_t now, char **md)
{
	struct strbuf sb;
	char start[80], closed[80], tzname[TZDB_NAME_MAX + 1] = "UTC";
	const struct tz_zone *zone = NULL;
	int rc;
	sb_init(&sb, SB_DEFAULT_MAX);
	sqlite3_stmt *st = store_stmt(s, "SELECT b.name, m.starts_at, m.place, m.kind,"
		" json_extract(b.schedule, '$.tz')"
		" FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, meeting_id);
	int row = 0;
	if ((rc = store_step(st, &row)) || !row) {
		sb_release(&sb);
		return rc ? rc : PX_E_NOT_FOUND;
	}
	/* times in the assembly's own zone (UTC only if it cannot be read) */
	if (sqlite3_column_type(st, 4) == SQLITE_TEXT &&
	    !tzdb_get((const char *)sqlite3_column_text(st, 4), &zone, NULL))
		snprintf(tzname, sizeof(tzname), "%s", (const char *)sqlite3_column_text(st, 4));
	else
		zone = NULL;
	when(zone, sqlite3_column_int64(st, 1), start);
	when(zone, now, closed);
	rc = sb_addf(&sb, "# Minutes of the %s meeting of %s\n\n- Opened: %s\n"
		     "- Closed: %s\n- Place: %s\n- Times are %s time.\n",
		     (const char *)sqlite3_column_text(st, 3),
		     (const char *)sqlite3_column_text(st, 0), start, closed,
		     (const char *)sqlite3_column_text(st, 2), tzname);
	sqlite3_reset(st);

	/* every stay, kept: who arrived, how, and who left and why */
	st = store_stmt(s, "SELECT a.display_name, a.handle, t.method, t.checked_in_at,"
		" t.left_at, t.left_reason FROM attendance t JOIN accounts a"
		" ON a.id = t.account_id WHERE t.meeting_id = ?"
		" ORDER BY a.display_name, a.handle, t.id");
	sqlite3_bind_int64(st, 1, meeting_id);
	int n = 0, gone = 0;
	if (!rc)
		rc = sb_adds(&sb, "\n## Attendance\n\n");
	while (store_next(st, &rc)) {
		char arrived[80], left[80];
		when(zone, sqlite3_column_int64(st, 3), arrived);
		rc = sb_addf(&sb, "- %s (@%s), arrived %s%s", (const char *)sqlite3_column_text(st, 0),
			     (const char *)sqlite3_column_text(st, 1), arrived,
			     strcmp((const char *)sqlite3_column_text(st, 2), "clerk")
			     ? "" : ", checked in by the clerk");
		if (!rc && sqlite3_column_type(st, 4) != SQLITE_NULL) {
			when(zone, sqlite3_column_int64(st, 4), left);
			rc = sb_addf(&sb, "; left %s: %s", left, meeting_departure_words(
				     (const char *)sqlite3_column_text(st, 5)));
			gone++;
		} else {
			n++;
		}
		if (!rc)
			rc = sb_adds(&sb, "\n");
	}
	sqlite3_reset(st);
	if (!rc)
		rc = sb_addf(&sb, "\n%d %s present at the close", n,
			     plural(n, "member", "members"));
	if (!rc && gone)
		rc = sb_addf(&sb, "; %d %s ended during the meeting", gone,
			     plural(gone, "stay", "stays"));
	if (!rc)
		rc = sb_adds(&sb, ".\n\n## Motions\n");

	json_t *agenda = rc ? NULL : minutes_agenda_json(s, meeting_id);
	if (!rc && !agenda)
		rc = PX_E_DB;
	size_t i, k;
	json_t *m, *sub;
	if (!rc && !json_array_size(agenda))
		rc = sb_adds(&sb, "\nNo motions were on the agenda.\n");
	json_array_foreach(agenda, i, m) {
		if (rc)
			break;
		rc = motion_section(s, &sb, json_integer_value(json_object_get(m, "id")), "###");
		json_array_foreach(json_object_get(m, "amendments"), k, sub)
			if (!rc)
				rc = motion_section(s, &sb,
					json_integer_value(json_object_get(sub, "id")),
					"#### Amendment:");
	}
	json_decref(agenda);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	*md = sb_detach(&sb, NULL);
	return 0;
}

char *minutes_html(const char *md)
{
	return markdown_html(md, strlen(md));
}
