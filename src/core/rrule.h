/*
 * rrule.h: the subset of RFC 5545 recurrence rules (section 3.3.10) that
 * pnyx schedules use, and their expansion into meeting instants.
 *
 * Supported parts:
 *   FREQ=WEEKLY|MONTHLY (required)   INTERVAL=n (1..1000, default 1)
 *   BYDAY=MO,TU,...; with MONTHLY also ordinals 1MO..5MO, -1FR..-5FR
 *   BYMONTHDAY=1..31 and -1..-31 (MONTHLY only)
 *   BYHOUR=0..23   BYMINUTE=0..59   WKST=MO..SU (default MO)
 *   COUNT=n (1..100000) or UNTIL=YYYYMMDDTHHMMSSZ (UTC), not both
 * Anything else (FREQ=DAILY, BYSETPOS, BYSECOND, ...) is refused with
 * PX_E_BAD_RRULE and a detail naming the part, e.g. "BYDAY: unknown day 'XX'".
 *
 * Expansion follows RFC 5545: the period (the week starting on WKST, or
 * the month) of DTSTART and every INTERVAL-th period after it; within a
 * period BYMONTHDAY/BYDAY select days (BYDAY limits BYMONTHDAY when both
 * are given), BYHOUR x BYMINUTE select times, and without them the day
 * and time of DTSTART are used. Dates that do not exist (the 31st in
 * April, a 5th Friday) are skipped. Local times are turned into instants
 * by tz_from_local(): a time in a DST gap moves forward by the gap, a time
 * in a fold is its first occurrence. Occurrences before DTSTART are not
 * part of the set; DTSTART itself is one only when the rule generates it.
 *
 * struct rrule is a plain value (no pointers): copy it freely.
 */
#ifndef PNYX_RRULE_H
#define PNYX_RRULE_H

#include <stddef.h>
#include <stdint.h>

#include "civil.h"
#include "errors.h"

struct px_error;
struct strbuf;
struct tz_zone;

enum rrule_freq { RRULE_WEEKLY = 1, RRULE_MONTHLY = 2 };

#define RRULE_TEXT_MAX 512     /* longest rule text accepted */
#define RRULE_COUNT_MAX 100000
#define RRULE_INTERVAL_MAX 1000
#define RRULE_EXPAND_MAX 10000 /* most occurrences one expansion returns */

struct rrule {
	int freq;            /* enum rrule_freq */
	int interval;        /* >= 1 */
	int wkst;            /* 0 = Monday ... 6 = Sunday */
	/* BYDAY: for weekday w (0 = MO), bit (n + 5) of byday[w] is set for
	 * ordinal n in -5..5, n = 0 meaning "every such day". */
	uint16_t byday[7];
	uint32_t bymonthday;     /* bit d for day d (1..31) */
	uint32_t bymonthday_neg; /* bit d for day -d (1..31) */
	uint32_t byhour;         /* bit h, 0..23 */
	uint64_t byminute;       /* bit m, 0..59 */
	int64_t count;           /* 0 when absent */
	int has_until;
	int64_t until;           /* UTC instant, inclusive */
};

/* Parse "FREQ=...;..." (an optional "RRULE:" prefix is allowed; names and
 * values are case-insensitive). Returns 0 or PX_E_BAD_RRULE (field
 * "rrule", detail naming the part). */
int rrule_parse(const char *text, struct rrule *out, struct px_error *err) PX_MUST_CHECK;

/* The canonical text: parts in the order FREQ, INTERVAL (only if > 1),
 * COUNT, UNTIL, BYMONTHDAY, BYDAY, BYHOUR, BYMINUTE, WKST (only if not
 * MO); values sorted ascending (BYDAY by weekday from MO, then ordinal).
 * Parsing the canonical text gives back an identical struct. */
int rrule_format(const struct rrule *r, struct strbuf *out);

/* An English description such as "every 2nd Tuesday at 19:00" or
 * "last Friday of each month at 18:30"; dtstart supplies the day and time
 * where the rule names none. Times are local wall-clock times. */
int rrule_describe(const struct rrule *r, const struct civil_time *dtstart,
		   struct strbuf *out);

/*
 * The occurrences in the UTC window [from, to), ascending and without
 * duplicates, written to at[0..*n). At most cap (and RRULE_EXPAND_MAX)
 * are written; *truncated is set to 1 when more exist in the window.
 * dtstart is a local civil time in `zone`. Returns 0, PX_E_BAD_DATETIME
 * (invalid dtstart) or PX_E_NOMEM.
 */
int rrule_expand(const struct rrule *r, const struct civil_time *dtstart,
		 const struct tz_zone *zone, int64_t from, int64_t to,
		 int64_t *at, size_t cap, size_t *n, int *truncated);

#endif
