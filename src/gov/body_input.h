/*
 * body_input.h: validation of the structured parts of a body's founding
 * input, its decision rules and its meeting schedule, into the canonical
 * JSON stored with the body and written to the journal.
 */
#ifndef PNYX_BODY_INPUT_H
#define PNYX_BODY_INPUT_H

#include <jansson.h>
#include <stdint.h>

struct px_error;
struct strbuf;

/* On success *out is a new reference to the canonical rule set. Errors
 * name the field ("rule", "rule.kind", ...). */
int body_check_rules(const json_t *rule, json_t **out, struct px_error *err);

/* On success *out is a new reference to {"rrule","tz","place","since"}:
 * the rule in canonical text, and since the local date (in tz) of now
 * unless the input names a later one. Errors name the field
 * ("schedule", "schedule.rrule", ...). */
int body_check_schedule(const json_t *schedule, int64_t now, json_t **out,
			struct px_error *err);

/* Append a description of a stored schedule ("every Tuesday at 19:00"). */
int body_schedule_describe(const json_t *schedule, struct strbuf *out);

#endif
