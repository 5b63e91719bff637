/*
 * rrule.h: RFC 5545 recurrence rules (section 3.3.10) for pnyx schedules:
 * parsing with messages that name the part, the canonical text, an
 * English description, and expansion into meeting instants. Expansion is
 * done by libical (Debian's libical3); pnyx checks the rule first so that
 * a refusal names the part, and turns libical's local times into instants
 * itself (tz_from_local) so that daylight-saving gaps follow RFC 5545.
 *
 * Accepted: every part of RFC 5545 section 3.3.10 (FREQ, INTERVAL, COUNT,
 * UNTIL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY,
 * BYWEEKNO, BYMONTH, BYSETPOS, WKST) with the RFC's own restrictions
 * (BYMONTHDAY not with WEEKLY; BYYEARDAY not with DAILY, WEEKLY or
 * MONTHLY; BYWEEKNO only with YEARLY; BYDAY ordinals only with MONTHLY
 * (1..5) or YEARLY (1..53); UNTIL a UTC date-time, as the RFC requires
 * with a DTSTART in a time zone; COUNT and UNTIL not both), and these of
 * pnyx's own:
 *   - FREQ=SECONDLY, MINUTELY and HOURLY are refused: meetings do not
 *     repeat by the hour, and libical walks such rules one step at a time
 *     (a rule that never matches would keep it busy for seconds);
 *   - BYSETPOS only with FREQ=MONTHLY or YEARLY and one time of day
 *     (libical 3.0 applies BYSETPOS to days only);
 *   - a rule whose BYMONTH and BYMONTHDAY never meet (February 30th) is
 *     refused: it never happens;
 *   - INTERVAL 1..1000, COUNT 1..100000; occurrences end with year 2582
 *     (libical's last year).
 * Refusals are PX_E_BAD_RRULE with a detail naming the part, e.g.
 * "BYDAY: unknown day 'XX'".
 *
 * Expansion follows RFC 5545: the rule's periods from DTSTART, BY parts
 * selecting within them; dates that do not exist (the 31st in April, a
 * 5th Friday) are skipped. Local times are turned into instants by
 * tz_from_local(): a time in a DST gap moves forward by the gap, a time
 * in a fold is its first occurrence; two local times that become the same
 * instant count once (COUNT counts instants). UNTIL is compared with the
 * instant, not the local time. Occurrences before DTSTART are not part of
 * the set; DTSTART itself is one only when the rule generates it.
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

enum rrule_freq {
	RRULE_WEEKLY = 1, RRULE_MONTHLY = 2, RRULE_DAILY = 3, RRULE_YEARLY = 4,
};

#define RRULE_TEXT_MAX 512     /* longest rule text accepted */
#define RRULE_COUNT_MAX 100000
#define RRULE_INTERVAL_MAX 1000
#define RRULE_EXPAND_MAX 10000 /* most occurrences one expansion returns */

struct rrule {
	int freq;            /* enum rrule_freq */
	int interval;        /* >= 1 */
	int wkst;            /* 0 = Monday ... 6 = Sunday */
	/* BYDAY: for weekday w (0 = MO), bit n of byday[w] is set for
	 * ordinal n in 1..53 and bit 0 for "every such day"; bit n of
	 * byday_neg[w] for ordinal -n. */
	uint64_t byday[7];
	uint64_t byday_neg[7];
	uint32_t bymonthday;     /* bit d for day d (1..31) */
	uint32_t bymonthday_neg; /* bit d for day -d (1..31) */
	uint32_t byhour;         /* bit h, 0..23 */
	uint64_t byminute;       /* bit m, 0..59 */
	uint64_t bysecond;       /* bit s, 0..60 */
	uint32_t bymonth;        /* bit m, 1..12 */
	uint64_t byweekno;       /* bit w for week w (1..53) */
	uint64_t byweekno_neg;   /* bit w for week -w */
	uint64_t byyearday[6];   /* bit d (1..366), 64 to a word */
	uint64_t byyearday_neg[6];
	uint64_t bysetpos[6];    /* bit p (1..366) */
	uint64_t bysetpos_neg[6];
	int64_t count;           /* 0 when absent */
	int has_until;
	int64_t until;           /* UTC instant, inclusive */
};

/* Parse "FREQ=...;..." (an optional "RRULE:" prefix is allowed; names and
 * values are case-insensitive). Returns 0 or PX_E_BAD_RRULE (field
 * "rrule", detail naming the part). */
int rrule_parse(const char *text, struct rrule *out, struct px_error *err) PX_MUST_CHECK;

/* The canonical text: parts in the order FREQ, INTERVAL (only if > 1),
 * COUNT, UNTIL, BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY, BYHOUR,
 * BYMINUTE, BYSECOND, BYSETPOS, WKST (only if not MO); values sorted
 * ascending (BYDAY by weekday from MO, then ordinal).
 * Parsing the canonical text gives back an identical struct. */
int rrule_format(const struct rrule *r, struct strbuf *out);

/* An English description such as "every 2nd Tuesday at 19:00" or
 * "last Friday of each month at 18:30"; dtstart supplies the day and time
 * where the rule names none. Times are local wall-clock times. */
int rrule_describe(const struct rrule *r, const struct civil_time *dtstart,
		   struct strbuf *out);
/* The same in lang (rrule_words.c): English is rrule_describe()'s; another
 * language has a whole sentence for each usual shape (weekly, monthly by
 * weekday or day, daily, yearly, with an interval, times, a count or an
 * end), weekday and month names by ICU, and quotes a rarer rule in a
 * sentence of its own. 0, PX_E_NOMEM (or what strbuf returns). */
int rrule_describe_in(const struct rrule *r, const struct civil_time *dtstart,
		      const char *lang, struct strbuf *out);

/*
 * The occurrences in the UTC window [from, to), ascending and without
 * duplicates, written to at[0..*n). At most cap (and RRULE_EXPAND_MAX)
 * are written; *truncated is set to 1 when more exist in the window.
 * dtstart is a local civil time in `zone`. Returns 0, PX_E_BAD_DATETIME
 * (invalid dtstart, or a year libical cannot reach) or PX_E_NOMEM.
 */
int rrule_expand(const struct rrule *r, const struct civil_time *dtstart,
		 const struct tz_zone *zone, int64_t from, int64_t to,
		 int64_t *at, size_t cap, size_t *n, int *truncated);

#endif
