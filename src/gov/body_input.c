/*
 * body_input.c: checks on a body's rule set and schedule.
 */
#include <string.h>
#include <sys/stat.h>

#include "../core/errors.h"
#include "../core/text.h"
#include "body_input.h"
#include "rule_json.h"
#include "../banned.h"

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

static int zone_exists(const char *tz)
{
	char path[300];
	struct stat st;
	if (!*tz || tz[0] == '/' || strstr(tz, "..") || strlen(tz) > 200)
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int body_check_schedule(const json_t *schedule, json_t **out,
			struct px_error *err)
{
	*out = NULL;
	if (!json_is_object(schedule))
		return px_fail(err, PX_E_BAD_TYPE, "schedule",
			       "schedule must be an object");
	const char *rrule = json_string_value(json_object_get(schedule, "rrule"));
	const char *tz = json_string_value(json_object_get(schedule, "tz"));
	const char *place = json_string_value(json_object_get(schedule, "place"));
	if (!rrule)
		return px_fail(err, PX_E_MISSING_FIELD, "schedule.rrule", NULL);
	if (strncmp(rrule, "FREQ=", 5))
		return px_fail(err, PX_E_BAD_INPUT, "schedule.rrule",
			       "a recurrence rule starts with FREQ=");
	if (!tz)
		return px_fail(err, PX_E_MISSING_FIELD, "schedule.tz", NULL);
	if (!zone_exists(tz))
		return px_fail(err, PX_E_BAD_INPUT, "schedule.tz",
			       "unknown time zone '%s'", tz);
	if (!place)
		return px_fail(err, PX_E_MISSING_FIELD, "schedule.place", NULL);
	if (text_check_line(place, 1, 200))
		return px_fail(err, PX_E_BAD_INPUT, "schedule.place",
			       "a place has 1 to 200 characters on one line");
	*out = json_pack("{s:s, s:s, s:s}", "rrule", rrule, "tz", tz, "place", place);
	return 0;
}
