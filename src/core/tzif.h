/*
 * tzif.h: time zones from TZif data (RFC 8536, versions 1 to 4) and POSIX
 * TZ strings, without I/O: the parser takes the bytes of a zone file.
 *
 * A parsed zone answers two questions:
 *   - tz_to_local(): a UTC instant -> the local civil time, the UTC offset
 *     and the abbreviation in force;
 *   - tz_from_local(): a local civil time -> the UTC instant it denotes.
 *     Local times can be ambiguous or missing when the offset changes:
 *       * gap (clocks jump forward, e.g. 02:30 on the spring-forward day in
 *         Europe/Berlin does not exist): the time is read with the offset in
 *         force before the gap, which moves it forward by the size of the
 *         gap (02:30 CET = 03:30 CEST). This is RFC 5545 section 3.3.5.
 *       * fold (clocks go back, e.g. 02:30 on the fall-back day happens
 *         twice): the first occurrence, with the earlier (summer) offset.
 *     The result says which case applied and gives both instants of a fold.
 *
 * For version 2+ files the 64-bit data block is used and the footer TZ
 * string (e.g. "CET-1CEST,M3.5.0,M10.5.0/3") answers for instants after the
 * last transition. Files with leap-second records ("right/" zones) are
 * refused: their timestamps are not POSIX time.
 *
 * Ownership: tz_parse() allocates a zone the caller frees with tz_free().
 * A zone is never modified after parsing, so one zone can be read by many
 * threads at once.
 */
#ifndef PNYX_TZIF_H
#define PNYX_TZIF_H

#include <stddef.h>
#include <stdint.h>

#include "civil.h"
#include "errors.h"

struct px_error;
struct tz_zone;

#define TZ_ABBR_MAX 15

/* Parse TZif bytes; on success *out is a new zone. Errors:
 * PX_E_BAD_TZIF with a detail naming the problem. */
int tz_parse(const unsigned char *data, size_t len, struct tz_zone **out,
	     struct px_error *err) PX_MUST_CHECK;
void tz_free(struct tz_zone *zone);

/* Parse a POSIX TZ string alone (the footer syntax of RFC 8536 section
 * 3.3, e.g. "EST5EDT,M3.2.0,M11.1.0") into a zone without transitions. */
int tz_parse_posix(const char *tz, struct tz_zone **out, struct px_error *err) PX_MUST_CHECK;

struct tz_local {
	struct civil_time time;   /* local wall-clock time */
	int32_t utoff;            /* seconds east of UTC */
	int isdst;
	char abbr[TZ_ABBR_MAX + 1];
};

/* Instants are Unix seconds (UTC). Returns 0, or PX_E_OUT_OF_RANGE for
 * instants whose local year is beyond +-CIVIL_YEAR_MAX. */
int tz_to_local(const struct tz_zone *zone, int64_t utc, struct tz_local *out);

enum tz_kind {
	TZ_UNIQUE = 0, /* the local time occurs once */
	TZ_GAP = 1,    /* it does not occur: shifted forward by the gap */
	TZ_FOLD = 2,   /* it occurs twice: first occurrence chosen */
};

struct tz_resolved {
	int64_t utc;    /* the chosen instant (see the rules above) */
	int64_t later;  /* TZ_FOLD: the second occurrence; else == utc */
	int kind;       /* enum tz_kind */
	int32_t shift;  /* TZ_GAP: seconds the wall time moved forward */
};

/* Local civil time -> UTC. `local` must be civil_valid(). Returns 0 or
 * PX_E_OUT_OF_RANGE. */
int tz_from_local(const struct tz_zone *zone, const struct civil_time *local,
		  struct tz_resolved *out);

/* The first transition strictly after utc (table or footer rule); returns
 * 1 and sets *next, or 0 when the offset never changes again. */
int tz_next_transition(const struct tz_zone *zone, int64_t utc, int64_t *next);

#endif
