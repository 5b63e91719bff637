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
#include "core/i18n.h"
#include "core/rule.h"
#include "core/markdown.h"
#include "core/strbuf.h"
#include "core/tzif.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/procedure/minutes.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static int result_text(const json_t *result, const char *lang, struct strbuf *sb,
		       struct strbuf *rule_sb);

/* A result's words in lang: its "text", made again from its numbers (the
 * recorded text is English, as the journal keeps it); NULL when lang is
 * English, or the words cannot be made. A new string. */
static char *result_words(const json_t *result, const char *lang, char **rule_words)
{
	struct strbuf sb, rule_sb;
	char *out = NULL;
	if (rule_words)
		*rule_words = NULL;
	if (!lang || !strcmp(lang, I18N_DEFAULT) || !json_is_object(result) ||
	    !json_string_value(json_object_get(result, "text")))
		return NULL;
	sb_init(&sb, 1024);
	sb_init(&rule_sb, 1024);
	if (!result_text(result, lang, &sb, &rule_sb) && sb.buf && sb.buf[0]) {
		out = strdup(sb.buf);
		if (rule_words && rule_sb.buf && rule_sb.buf[0])
			*rule_words = strdup(rule_sb.buf);
	}
	sb_release(&sb);
	sb_release(&rule_sb);
	return out;
}

void minutes_result_words(json_t *result, const char *lang)
{
	char *rule = NULL, *text = result_words(result, lang, &rule);
	/* a value that cannot be set leaves the one before it: English */
	if (text)
		json_object_set_new(result, "text", json_string(text));
	if (text && rule && json_object_get(result, "rule_text"))
		json_object_set_new(result, "rule_text", json_string(rule));
	free(text);
	free(rule);
}

static json_t *summary(sqlite3_stmt *st, const char *lang)
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
		char *words = result_words(r, lang, NULL);
		if (text)
			json_object_set_new(j, "result_text", json_string(words ? words : text));
		free(words);
		json_decref(r);
	}
	return j;
}

#define AGENDA_SELECT \
	"SELECT m.id, m.kind, m.title, m.status, m.position, a.handle, m.result" \
	" FROM motions m JOIN accounts a ON a.id = m.proposer"

json_t *minutes_agenda_json(struct store *s, int64_t meeting_id, const char *lang)
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
		json_array_append_new(list, summary(st, lang));
	size_t i;
	json_t *m;
	json_array_foreach(list, i, m) {
		json_t *subs = json_array();
		st = store_stmt(s, sub_sql);
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(m, "id")));
		while (store_next(st, &rc))
			json_array_append_new(subs, summary(st, lang));
		json_object_set_new(m, "amendments", subs);
	}
	if (rc) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* t as the assembly says it, "Tuesday, 8 December 2026 at 19:00" ("martes,
 * 8 de diciembre de 2026, 19:00"), in zone (or UTC when zone is NULL), as
 * ICU writes dates in lang. */
static void when(const struct tz_zone *zone, int64_t t, const char *lang, char out[96])
{
	struct tz_local l;
	if (!zone || tz_to_local(zone, t, &l))
		civil_from_seconds(t, &l.time);
	if (!i18n_when(lang, civil_to_seconds(&l.time), out, 96))
		return;
	/* ICU could not: the numbers, which every reader can read */
	const struct civil_time *c = &l.time;
	snprintf(out, 96, "%04lld-%02d-%02d %02d:%02d", (long long)c->year, c->month,
		 c->day, c->hour, c->minute);
}

/* A motion's status, or a position, in words. */
static const struct { const char *status, *words; } status_words[] = {
	{ "adopted", N_("adopted") }, { "rejected", N_("rejected") },
	{ "no_quorum", N_("not decided: no quorum") }, { "withdrawn", N_("withdrawn") },
	{ "void", N_("void") }, { "voting", N_("still being voted on") },
	{ "submitted", N_("not reached; carried to the next meeting") },
	{ "stand_aside", N_("stand aside") },
	/* positions of an open ballot */
	{ "yes", N_("yes") }, { "no", N_("no") }, { "abstain", N_("abstain") },
	{ "block", N_("block") }, { "object", N_("object") },
};

static const char *status_text(const char *status, const char *lang)
{
	if (!status)
		return "";
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
		if (!strcmp(status_words[i].status, status))
			return tr(lang, status_words[i].words);
	return status;
}

/* The result of a vote in lang: made again from the numbers the decision
 * recorded (its "text" is English, as the journal keeps it). */
static int result_text(const json_t *result, const char *lang, struct strbuf *sb,
		       struct strbuf *rule_sb)
{
	if (json_is_true(json_object_get(result, "ranked"))) {
		/* an election by STV: its numbers, the count is the effect's */
		long long ballots = json_integer_value(json_object_get(result, "ballots"));
		long long seats = json_integer_value(json_object_get(result, "seats"));
		long long present = json_integer_value(json_object_get(result, "present"));
		long long quorum = json_integer_value(json_object_get(result, "quorum"));
		const char *outcome = json_string_value(json_object_get(result, "outcome"));
		int rc;
		if (outcome && !strcmp(outcome, "no_quorum"))
			rc = sb_addf(sb, tr(lang, "no quorum: %lld present, %lld needed"),
				     present, quorum);
		else if (outcome && !strcmp(outcome, "rejected"))
			rc = sb_addf(sb, tr(lang, "rejected: %lld ballot(s) for %lld seats,"
					 " at least one ballot per seat is needed"),
				     ballots, seats);
		else
			rc = sb_addf(sb, tr(lang, "counted by STV: %lld ballot(s) for %lld"
					 " seats; %lld present, quorum %lld"),
				     ballots, seats, present, quorum);
		struct decision_rule rule;
		if (!rc && !rule_from_json(json_object_get(result, "rule"), &rule, NULL, NULL))
			rc = rule_describe_in(&rule, lang, rule_sb);
		return rc;
	}
	struct rule_result res = { 0 };
	const char *outcome = json_string_value(json_object_get(result, "outcome"));
	int applied = rule_kind_by_name(json_string_value(json_object_get(result, "applied")));
	for (int o = 0; o < RULE_OUTCOME__COUNT; o++)
		if (outcome && !strcmp(rule_outcome_name((enum rule_outcome)o), outcome))
			res.outcome = (enum rule_outcome)o;
	res.applied = applied < 0 ? RULE_SIMPLE_MAJORITY : (enum rule_kind)applied;
	res.quorum = json_integer_value(json_object_get(result, "quorum"));
	res.present = json_integer_value(json_object_get(result, "present"));
	res.base = json_integer_value(json_object_get(result, "base"));
	res.threshold = json_integer_value(json_object_get(result, "threshold"));
	res.yes = json_integer_value(json_object_get(result, "yes"));
	res.vetoes = json_integer_value(json_object_get(result, "vetoes"));
	struct decision_rule rule;
	if (!outcome || applied < 0 ||
	    rule_from_json(json_object_get(result, "rule"), &rule, NULL, NULL)) {
		/* a result of another shape: as it was recorded */
		int rc = sb_adds(sb, json_string_value(json_object_get(result, "text")));
		if (!rc)
			rc = sb_adds(rule_sb, json_string_value(json_object_get(result,
											 "rule_text")));
		return rc;
	}
	int rc = rule_result_describe_in(&res, lang, sb);
	return rc ? rc : rule_describe_in(&rule, lang, rule_sb);
}

/* One motion's section: what it does, its text (original, amendments,
 * final), votes and result. */
static int motion_section(struct store *s, struct strbuf *sb, int64_t id,
			  const char *heading, const char *lang)
{
	json_t *m = NULL;
	int rc = motion_json(s, id, 0, &m);
	if (rc)
		return rc == PX_E_NOT_FOUND ? PX_E_INTERNAL : rc;
	const struct motion_kind *kind =
		motion_kind_find(json_string_value(json_object_get(m, "kind")));
	rc = sb_addf(sb, "\n%s %s\n\n", heading,
		     json_string_value(json_object_get(m, "title")));
	if (!rc)
		rc = sb_addf(sb, tr(lang, "Motion %lld: %s. Proposed by @%s.\n\n"),
			     (long long)id, kind ? tr(lang, kind->summary) : tr(lang, "a motion"),
			     json_string_value(json_object_get(m, "proposer")));
	const char *text = json_string_value(json_object_get(m, "text"));
	const char *original = json_string_value(json_object_get(m, "original_text"));
	const json_t *by = json_object_get(m, "amended_by");
	if (!rc && original && json_array_size(by)) {
		/* texts are kept: as submitted, what changed it, as decided */
		size_t i;
		json_t *a;
		rc = sb_addf(sb, tr(lang, "**Original text:**\n\n%s\n\n"), original);
		json_array_foreach(by, i, a)
			if (!rc)
				rc = sb_addf(sb, tr(lang, "Amended by motion %lld, the adopted"
						    " amendment “%s”.\n\n"),
					     (long long)json_integer_value(json_object_get(a, "id")),
					     json_string_value(json_object_get(a, "title")));
		if (!rc)
			rc = sb_addf(sb, tr(lang, "**Final text:**\n\n%s\n\n"), text ? text : "");
	} else if (!rc && text && *text) {
		rc = sb_addf(sb, "%s\n\n", text);
	}
	const char *status = json_string_value(json_object_get(m, "status"));
	const json_t *result = json_object_get(m, "result");
	if (!rc && result) {
		struct strbuf rtext, rule;
		sb_init(&rtext, 4096);
		sb_init(&rule, 4096);
		rc = result_text(result, lang, &rtext, &rule);
		if (!rc)
			rc = sb_addf(sb, tr(lang, "**Result: %s.** %s\n\nRule in force: %s.\n"),
				     status_text(status, lang), rtext.buf, rule.buf);
		sb_release(&rtext);
		sb_release(&rule);
		const json_t *votes = json_object_get(m, "votes");
		if (!rc && json_array_size(votes)) {
			size_t i;
			json_t *v;
			rc = sb_adds(sb, tr(lang, "\nVotes (open ballot):"));
			json_array_foreach(votes, i, v)
				if (!rc)
					rc = sb_addf(sb, "%s %s: %s", i ? ";" : "",
						json_string_value(json_object_get(v, "member")),
						status_text(json_string_value(
							json_object_get(v, "position")), lang));
			if (!rc)
				rc = sb_adds(sb, ".\n");
		} else if (!rc) {
			const char *ballot = json_string_value(json_object_get(m, "ballot"));
			int hands = !strcmp(json_string_value(json_object_get(m, "vote_mode")),
					    "hands");
			rc = sb_addf(sb, tr(lang, "\nBallot: %s; counted %s.\n"),
				     ballot && !strcmp(ballot, "secret") ? tr(lang, "secret")
				     : ballot && !strcmp(ballot, "open") ? tr(lang, "open") : ballot,
				     hands ? tr(lang, "by a show of hands")
				     : tr(lang, "from the members' devices"));
		}
	} else if (!rc) {
		rc = sb_addf(sb, tr(lang, "**Status: %s.**\n"), status_text(status, lang));
	}
	const json_t *adv = json_object_get(m, "advisory");
	if (!rc && json_array_size(adv))
		rc = sb_addf(sb, trn(lang, "\nAdvisory input (not counted): %zu member.\n",
				     "\nAdvisory input (not counted): %zu members.\n",
				     json_array_size(adv)), json_array_size(adv));
	json_decref(m);
	return rc;
}

/* The witnesses a polity's assembly scheduled at this meeting on its cases
 * (src/gov/cases/testimony.c), and what the clerk recorded of each;
 * nothing when none was scheduled. */
static int testimony_section(struct store *s, struct strbuf *sb, int64_t meeting_id,
			     const struct tz_zone *zone, const char *lang)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT t.name, a.handle, t.at, t.outcome, t.summary,"
		" t.case_id, c.title FROM case_testimony t JOIN cases c ON c.id = t.case_id"
		" LEFT JOIN accounts a ON a.id = t.account_id WHERE t.meeting_id = ?"
		" ORDER BY t.at, t.id");
	sqlite3_bind_int64(st, 1, meeting_id);
	int rc = 0, n = 0;
	while (store_next(st, &rc)) {
		char at[96], who[400];
		const char *outcome = (const char *)sqlite3_column_text(st, 3);
		when(zone, sqlite3_column_int64(st, 2), lang, at);
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			snprintf(who, sizeof(who), "%s (@%s)", sqlite3_column_text(st, 0),
				 sqlite3_column_text(st, 1));
		else
			snprintf(who, sizeof(who), "%s", sqlite3_column_text(st, 0));
		if (!n++)
			rc = sb_addf(sb, "\n## %s\n\n", tr(lang, "Testimony"));
		if (!rc)
			rc = sb_addf(sb, tr(lang, "- %s, scheduled %s, in case %lld (%s): %s"), who,
				     at, (long long)sqlite3_column_int64(st, 5),
				     (const char *)sqlite3_column_text(st, 6),
				     !outcome ? tr(lang, "nothing recorded")
				     : !strcmp(outcome, "testified") ? tr(lang, "testified")
				     : tr(lang, "did not appear"));
		if (!rc && sqlite3_column_type(st, 4) != SQLITE_NULL)
			rc = sb_addf(sb, ". %s", (const char *)sqlite3_column_text(st, 4));
		if (!rc)
			rc = sb_adds(sb, "\n");
		if (rc) {
			sqlite3_reset(st);
			break;
		}
	}
	return rc;
}

int minutes_compose(struct store *s, int64_t meeting_id, int64_t now, char **md)
{
	struct strbuf sb;
	char start[96], closed[96], tzname[TZDB_NAME_MAX + 1] = "UTC";
	char lang[16] = I18N_DEFAULT;
	const struct tz_zone *zone = NULL;
	int rc;
	sb_init(&sb, SB_DEFAULT_MAX);
	sqlite3_stmt *st = store_stmt(s, "SELECT b.name, m.starts_at, m.place, m.kind,"
		" json_extract(b.schedule, '$.tz'), " MEETING_LANGUAGE_SQL
		" FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, meeting_id);
	int row = 0;
	if ((rc = store_step(st, &row)) || !row) {
		sb_release(&sb);
		return rc ? rc : PX_E_NOT_FOUND;
	}
	/* in the assembly's language when the meeting began, which this
	 * build may no longer carry: then English */
	const char *carried = i18n_lang((const char *)sqlite3_column_text(st, 5));
	if (carried)
		snprintf(lang, sizeof(lang), "%s", carried);
	/* times in the assembly's own zone (UTC only if it cannot be read) */
	if (sqlite3_column_type(st, 4) == SQLITE_TEXT &&
	    !tzdb_get((const char *)sqlite3_column_text(st, 4), &zone, NULL))
		snprintf(tzname, sizeof(tzname), "%s", (const char *)sqlite3_column_text(st, 4));
	else
		zone = NULL;
	when(zone, sqlite3_column_int64(st, 1), lang, start);
	when(zone, now, lang, closed);
	const char *kind = (const char *)sqlite3_column_text(st, 3);
	rc = sb_addf(&sb, tr(lang, "# Minutes of the %s meeting of %s\n\n- Opened: %s\n"
			     "- Closed: %s\n- Place: %s\n- Times are %s time.\n"),
		     !strcmp(kind, "regular") ? tr(lang, "regular")
		     : !strcmp(kind, "extra") ? tr(lang, "extra") : kind,
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
		rc = sb_addf(&sb, "\n## %s\n\n", tr(lang, "Attendance"));
	while (store_next(st, &rc)) {
		char arrived[96], left[96];
		when(zone, sqlite3_column_int64(st, 3), lang, arrived);
		rc = sb_addf(&sb, tr(lang, "- %s (@%s), arrived %s%s"),
			     (const char *)sqlite3_column_text(st, 0),
			     (const char *)sqlite3_column_text(st, 1), arrived,
			     strcmp((const char *)sqlite3_column_text(st, 2), "clerk")
			     ? "" : tr(lang, ", checked in by the clerk"));
		if (!rc && sqlite3_column_type(st, 4) != SQLITE_NULL) {
			when(zone, sqlite3_column_int64(st, 4), lang, left);
			rc = sb_addf(&sb, tr(lang, "; left %s: %s"), left,
				     tr(lang, meeting_departure_words(
					     (const char *)sqlite3_column_text(st, 5))));
			gone++;
		} else {
			n++;
		}
		if (!rc)
			rc = sb_adds(&sb, "\n");
	}
	sqlite3_reset(st);
	if (!rc)
		rc = sb_addf(&sb, trn(lang, "\n%d member present at the close",
				      "\n%d members present at the close", (uint64_t)n), n);
	if (!rc && gone)
		rc = sb_addf(&sb, trn(lang, "; %d stay ended during the meeting",
				      "; %d stays ended during the meeting", (uint64_t)gone),
			     gone);
	if (!rc)
		rc = sb_addf(&sb, ".\n\n## %s\n", tr(lang, "Motions"));

	json_t *agenda = rc ? NULL : minutes_agenda_json(s, meeting_id, NULL);
	if (!rc && !agenda)
		rc = PX_E_DB;
	size_t i, k;
	json_t *m, *sub;
	char amendment[64];
	snprintf(amendment, sizeof(amendment), "#### %s", tr(lang, "Amendment:"));
	if (!rc && !json_array_size(agenda))
		rc = sb_addf(&sb, "\n%s\n", tr(lang, "No motions were on the agenda."));
	json_array_foreach(agenda, i, m) {
		if (rc)
			break;
		rc = motion_section(s, &sb, json_integer_value(json_object_get(m, "id")), "###",
				    lang);
		json_array_foreach(json_object_get(m, "amendments"), k, sub)
			if (!rc)
				rc = motion_section(s, &sb,
					json_integer_value(json_object_get(sub, "id")),
					amendment, lang);
	}
	json_decref(agenda);
	if (!rc)
		rc = testimony_section(s, &sb, meeting_id, zone, lang);
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
