/*
 * body_input.h: validation of the structured parts of a body's founding
 * input, its decision rules and its meeting schedule, into the canonical
 * JSON stored with the body and written to the journal.
 */
#ifndef PNYX_BODY_INPUT_H
#define PNYX_BODY_INPUT_H

#include <jansson.h>

struct px_error;

/* On success *out is a new reference to the canonical rule set. Errors
 * name the field ("rule", "rule.kind", ...). */
int body_check_rules(const json_t *rule, json_t **out, struct px_error *err);

/* On success *out is a new reference to {"rrule","tz","place"}. Errors
 * name the field ("schedule", "schedule.rrule", ...). */
int body_check_schedule(const json_t *schedule, json_t **out,
			struct px_error *err);

#endif
