/*
 * minutes.c: a meeting's agenda as JSON and its minutes as Markdown.
 * Minutes are written once, when the clerk closes the meeting, from the
 * records alone: attendance, each motion in agenda order with its
 * amendments, how the vote went (names for open ballots, counts for
 * secret ballots and shows of hands) and the rule that decided it.
 */
#ifndef PNYX_MINUTES_H
#define PNYX_MINUTES_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"

struct store;

/* [motion summaries in agenda order, amendments under "amendments"];
 * NULL when the store fails. */
json_t *minutes_agenda_json(struct store *s, int64_t meeting_id);
/* *md: a new string (free() it). */
int minutes_compose(struct store *s, int64_t meeting_id, int64_t now, char **md) PX_MUST_CHECK;
/* Safe HTML of minutes (free() it). */
char *minutes_html(const char *md);

#endif
