/*
 * body_input.c: checks on a body's rule set and schedule, turning the
 * input into the canonical JSON stored with the body and journaled.
 *
 * A schedule is {"rrule", "tz", "place"} as given, plus "since": the local
 * date (YYYY-MM-DD) from which the regular meetings run, which is the day
 * the schedule was set unless the input names a later one. The rule is
 * stored in its canonical text; it must name the hour (BYHOUR), since an
 * assembly meets at a time of day, not at midnight by accident.
 * "floor_motions" (default false) says whether motions may be moved from
 * the floor while a meeting is open; otherwise a meeting's agenda closes
 * when it starts and later motions go to the next meeting.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "core/errors.h"
#include "core/rrule.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/tzif.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

int body_check_rules(const json_t *rule, json_t **out, struct px_error *err)
{
	struct rule_set set;
	*out = NULL;
	int rc = rule_set_from_json(rule, &set, "rule", err);
	if (rc)
		return rc;
	*out = rule_set_to_json(&set);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

static const char *const schedule_keys[] = { "rrule", "tz", "place", "since",
						     "floor_motions", NULL };

static int parse_date(const char *s, struct civil_time *t)
{
	int y, m, d;
	char extra;
	memset(t, 0, sizeof(*t));
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
		return PX_E_BAD_DATETIME;
	t->year = y;
	t->month = m;
	t->day = d;
	return civil_valid(t) ? 0 : PX_E_BAD_DATETIME;
}

/* How many meetings the rule makes: refuse a rule that makes none in the
 * first SCHEDULE_CHECK_YEARS years, or more than SCHEDULE_MEETINGS_MAX in
 * any SCHEDULE_SPAN_DAYS of them. */
static int check_meeting_count(const struct rrule *rule, const struct civil_time *since,
			       const struct tz_zone *zone, struct px_error *err)
{
	const size_t cap = (size_t)SCHEDULE_MEETINGS_MAX * (SCHEDULE_CHECK_YEARS + 2);
	const int64_t span = (int64_t)SCHEDULE_SPAN_DAYS * CIVIL_DAY;
	struct tz_resolved start;
	size_t n = 0, most = 0;
	int truncated = 0, rc;

	if (tz_from_local(zone, since, &start))
		return px_fail(err, PX_E_BAD_DATETIME, "schedule.since", NULL);
	int64_t *at = calloc(cap, sizeof(*at));
	if (!at)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	int64_t end = start.utc + (int64_t)SCHEDULE_CHECK_YEARS * 366 * CIVIL_DAY + span;
	rc = rrule_expand(rule, since, zone, start.utc, end, at, cap, &n, &truncated);
	for (size_t i = 0, j = 0; !rc && j < n; j++) {
		while (at[j] - at[i] >= span)
			i++;
		if (j - i + 1 > most)
			most = j - i + 1;
	}
	free(at);
	if (rc)
		return px_fail(err, rc, "schedule.rrule", NULL);
	if (!n)
		return px_fail(err, PX_E_BAD_RRULE, "schedule.rrule",
			       "this rule makes no meeting in the next %d years",
			       SCHEDULE_CHECK_YEARS);
	/* Truncated means more than cap in fewer than cap / MAX spans, so
	 * some span holds more than the maximum: `most` says how many. */
	if (truncated || most > SCHEDULE_MEETINGS_MAX)
		return px_fail(err, PX_E_BAD_RRULE, "schedule.rrule",
			       "this rule makes %zu meetings within %d days; a schedule"
			       " makes at most %d (two a day)", most, SCHEDULE_SPAN_DAYS,
			       SCHEDULE_MEETINGS_MAX);
	return 0;
}

int body_check_schedule(const json_t *schedule, int64_t now, json_t **out,
			struct px_error *err)
{
	struct rrule rule;
	struct strbuf canon;
	const struct tz_zone *zone;
	struct civil_time since;
	struct tz_local today;
	const char *key;
	json_t *value;
	char since_text[16];
	int rc;

	*out = NULL;
	if (!json_is_object(schedule))
		return px_fail(err, PX_E_BAD_TYPE, "schedule",
			       "schedule must be an object");
	json_object_foreach((json_t *)schedule, key, value) {
		int known = 0;
		for (const char *const *k = schedule_keys; *k; k++)
			known |= !strcmp(*k, key);
		if (!known)
			return px_fail(err, PX_E_UNKNOWN_FIELD, "schedule",
				       "schedule has no field '%s'", key);
	}
	const char *rrule = json_string_value(json_object_get(schedule, "rrule"));
	const char *tz = json_string_value(json_object_get(schedule, "tz"));
	const char *place = json_string_value(json_object_get(schedule, "place"));
	const json_t *jsince = json_object_get(schedule, "since");
	if (!rrule)
		return px_fail(err, json_object_get(schedule, "rrule") ? PX_E_BAD_TYPE
			       : PX_E_MISSING_FIELD, "schedule.rrule", NULL);
	if (!tz)
		return px_fail(err, json_object_get(schedule, "tz") ? PX_E_BAD_TYPE
			       : PX_E_MISSING_FIELD, "schedule.tz", NULL);
	if (!place)
		return px_fail(err, json_object_get(schedule, "place") ? PX_E_BAD_TYPE
			       : PX_E_MISSING_FIELD, "schedule.place", NULL);
	if (strlen(rrule) > RRULE_TEXT_MAX || (rc = rrule_parse(rrule, &rule, err))) {
		if (err)
			err->field = "schedule.rrule";
		return err && err->code ? err->code
			: px_fail(err, PX_E_BAD_RRULE, "schedule.rrule", NULL);
	}
	if (!rule.byhour)
		return px_fail(err, PX_E_BAD_RRULE, "schedule.rrule",
			       "name the hour of the meetings with BYHOUR");
	if (rule.count || rule.has_until)
		return px_fail(err, PX_E_BAD_RRULE, "schedule.rrule",
			       "a regular schedule has no end: COUNT and UNTIL are"
			       " not allowed");
	if ((rc = tzdb_get(tz, &zone, err))) {
		if (err)
			err->field = "schedule.tz";
		return rc;
	}
	if ((rc = text_check_line(place, 1, 200)))
		return px_fail(err, rc, "schedule.place",
			       "a place has 1 to 200 characters on one line");
	if (tz_to_local(zone, now, &today))
		return px_fail(err, PX_E_BAD_DATETIME, "schedule.tz", NULL);
	today.time.hour = today.time.minute = today.time.second = 0;
	since = today.time;
	if (jsince) {
		if (!json_is_string(jsince) ||
		    parse_date(json_string_value(jsince), &since))
			return px_fail(err, PX_E_BAD_DATETIME, "schedule.since",
				       "since is a date YYYY-MM-DD");
		struct civil_time limit = today.time;
		civil_add_days(&limit.year, &limit.month, &limit.day, 366);
		if (civil_cmp(&since, &today.time) < 0)
			return px_fail(err, PX_E_OUT_OF_RANGE, "schedule.since",
				       "a schedule cannot start in the past");
		if (civil_cmp(&since, &limit) > 0)
			return px_fail(err, PX_E_OUT_OF_RANGE, "schedule.since",
				       "a schedule starts within a year");
	}
	if ((rc = check_meeting_count(&rule, &since, zone, err)))
		return rc;
	snprintf(since_text, sizeof(since_text), "%04lld-%02d-%02d",
		 (long long)since.year, since.month, since.day);
	sb_init(&canon, RRULE_TEXT_MAX * 2);
	if ((rc = rrule_format(&rule, &canon)))
		goto out;
	const json_t *floor = json_object_get(schedule, "floor_motions");
	if (floor && !json_is_boolean(floor)) {
		rc = px_fail(err, PX_E_BAD_TYPE, "schedule.floor_motions",
			     "floor_motions is true or false");
		goto out;
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:b}", "rrule", canon.buf, "tz", tz,
			 "place", place, "since", since_text, "floor_motions",
			 floor && json_is_true(floor));
	if (!*out)
		rc = PX_E_NOMEM;
out:
	sb_release(&canon);
	if (rc && err && !err->code)
		px_fail(err, rc, "schedule", NULL);
	return rc;
}

int body_schedule_describe(const json_t *schedule, const char *lang, struct strbuf *out)
{
	struct rrule rule;
	struct civil_time since;
	const char *rrule = json_string_value(json_object_get(schedule, "rrule"));
	const char *since_text = json_string_value(json_object_get(schedule, "since"));
	if (!rrule || !since_text || rrule_parse(rrule, &rule, NULL) ||
	    parse_date(since_text, &since))
		return PX_E_BAD_INPUT;
	return rrule_describe_in(&rule, &since, lang, out);
}
