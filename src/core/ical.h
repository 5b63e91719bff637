/*
 * ical.h: writing iCalendar (RFC 5545) calendars of events into a strbuf.
 *
 * Written by libical (Debian's libical3). Output follows RFC 5545
 * section 3.1: CRLF line ends; content lines
 * folded so that no line exceeds 75 octets, a continuation starting with
 * one space, never inside a UTF-8 sequence; TEXT values escaped (\\ \; \,
 * and \n for a line break; other control characters dropped; in the
 * calendar's name, an X- property, libical leaves , and ; unescaped). Times are
 * written in UTC form (19970714T173000Z), so no VTIMEZONE is needed.
 *
 * Usage: ical_begin(), then ical_add_event() per event, then ical_end().
 * The strbuf is the caller's; on error its content is unspecified.
 */
#ifndef PNYX_ICAL_H
#define PNYX_ICAL_H

#include <stdint.h>

struct strbuf;

struct ical_event {
	const char *uid;         /* required: globally unique, e.g. "m42@host" */
	int64_t dtstamp;         /* required: Unix seconds the feed was made */
	int64_t start;           /* required: Unix seconds (UTC) */
	int64_t end;             /* Unix seconds; ignored unless > start */
	const char *summary;     /* each text may be NULL to leave it out */
	const char *location;
	const char *description;
	const char *url;         /* an absolute URI; no controls or spaces */
	const char *status;      /* NULL, "TENTATIVE", "CONFIRMED" or "CANCELLED" */
};

/* BEGIN:VCALENDAR, VERSION, PRODID (e.g. "-//pnyx//pnyx 1.0//EN"),
 * CALSCALE, and X-WR-CALNAME when name is not NULL. */
int ical_begin(struct strbuf *sb, const char *prodid, const char *name);

/* One VEVENT. Returns 0, PX_E_BAD_INPUT (missing uid, bad url, bad
 * status, time out of range) or PX_E_TOO_LARGE / PX_E_NOMEM from sb. */
int ical_add_event(struct strbuf *sb, const struct ical_event *ev);

int ical_end(struct strbuf *sb);

#endif
