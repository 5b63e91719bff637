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

/* [motion summaries in agenda order, amendments under "amendments"], a
 * decided one's "result_text" in lang (NULL: English); NULL when the store
 * fails. */
json_t *minutes_agenda_json(struct store *s, int64_t meeting_id, const char *lang);
/* A vote's result (a motion's "result") with its "text" and "rule_text"
 * written in lang from its numbers, in place; unchanged in English, when
 * it holds no numbers to write them from, or when memory runs out. */
void minutes_result_words(json_t *result, const char *lang);
/* *md: a new string (free() it). */
int minutes_compose(struct store *s, int64_t meeting_id, int64_t now, char **md) PX_MUST_CHECK;
/* Safe HTML of minutes (free() it). */
char *minutes_html(const char *md);

#endif
