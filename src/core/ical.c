/*
 * ical.c: the iCalendar writer, built on libical (Debian's libical3).
 * Each event is a libical VEVENT component serialised by libical, which
 * escapes TEXT values, writes UTC times, folds lines at 75 octets without
 * splitting a UTF-8 sequence and ends every line in CRLF. pnyx adds what
 * libical leaves to the caller: text is cleaned of control characters
 * (which TEXT excludes) before it is handed over, URLs and statuses are
 * checked, and every libical allocation is checked.
 *
 * The calendar's own lines (BEGIN:VCALENDAR ... END:VCALENDAR) are
 * written around the events so that a feed is streamed into the strbuf
 * event by event rather than built whole in libical's memory.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "errors.h"
#include "ical.h"
#include "strbuf.h"
#include "banned.h"

#define ICAL_VALUE_MAX (64 * 1024)

/* TEXT (RFC 5545 3.3.11) excludes controls other than HTAB; a line break
 * is kept as LF (libical writes it \n), the CR of a CRLF pair dropped.
 * Returns a new string or NULL (no memory, or too long). */
static char *clean_text(const char *value)
{
	size_t n = strlen(value);
	if (n > ICAL_VALUE_MAX)
		return NULL;
	char *out = malloc(n + 1), *q = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p == '\t' || *p == '\n' || (*p >= 0x20 && *p != 0x7f))
			*q++ = (char)*p;
	*q = '\0';
	return out;
}

/* Serialise one property or component (libical's own string) into sb. */
static int add_ical_string(struct strbuf *sb, char *s)
{
	if (!s)
		return PX_E_NOMEM;
	int rc = sb_adds(sb, s);
	icalmemory_free_buffer(s);
	return rc;
}

/* A TEXT property; x_name for an X- property. NULL value: nothing. */
static icalproperty *text_prop(icalproperty_kind kind, const char *x_name,
			       const char *value, int *rc)
{
	char *clean = clean_text(value);
	if (!clean) {
		*rc = strlen(value) > ICAL_VALUE_MAX ? PX_E_TOO_LARGE : PX_E_NOMEM;
		return NULL;
	}
	/* An X- property's value is escaped as TEXT by libical itself;
	 * icalvalue_new_text() on it would add VALUE=TEXT. */
	icalproperty *p = x_name ? icalproperty_new_x(clean) : icalproperty_new(kind);
	icalvalue *v = p && !x_name ? icalvalue_new_text(clean) : NULL;
	free(clean);
	if (!p || (!x_name && !v)) {
		if (p)
			icalproperty_free(p);
		*rc = PX_E_NOMEM;
		return NULL;
	}
	if (x_name)
		icalproperty_set_x_name(p, x_name);
	else
		icalproperty_set_value(p, v);
	return p;
}

static int add_text_line(struct strbuf *sb, icalproperty_kind kind, const char *x_name,
			 const char *value)
{
	int rc = 0;
	icalproperty *p = text_prop(kind, x_name, value, &rc);
	if (!p)
		return rc;
	rc = add_ical_string(sb, icalproperty_as_ical_string_r(p));
	icalproperty_free(p);
	return rc;
}

static int uri_ok(const char *s)
{
	if (!*s || strlen(s) > 2048)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return 0;
	return strchr(s, ':') != NULL;
}

static int utc_time(int64_t t, struct icaltimetype *out)
{
	struct civil_time c;
	civil_from_seconds(t, &c);
	if (c.year < 1 || c.year > 9999)
		return PX_E_BAD_INPUT;
	*out = icaltime_null_time();
	out->year = (int)c.year;
	out->month = c.month;
	out->day = c.day;
	out->hour = c.hour;
	out->minute = c.minute;
	out->second = c.second;
	out->is_date = 0;
	out->zone = icaltimezone_get_utc_timezone();
	return 0;
}

int ical_begin(struct strbuf *sb, const char *prodid, const char *name)
{
	int rc = sb_adds(sb, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	if (!rc)
		rc = add_text_line(sb, ICAL_PRODID_PROPERTY, NULL,
				   prodid ? prodid : "-//pnyx//pnyx//EN");
	if (!rc)
		rc = sb_adds(sb, "CALSCALE:GREGORIAN\r\n");
	if (!rc && name)
		rc = add_text_line(sb, ICAL_X_PROPERTY, "X-WR-CALNAME", name);
	return rc;
}

/* Add property p (may be NULL after a failed allocation) to ev. */
static int put(icalcomponent *ev, icalproperty *p, int *rc)
{
	if (!p) {
		if (!*rc)
			*rc = PX_E_NOMEM;
		return *rc;
	}
	icalcomponent_add_property(ev, p);
	return 0;
}

int ical_add_event(struct strbuf *sb, const struct ical_event *ev)
{
	static const struct {
		const char *name;
		enum icalproperty_status value;
	} statuses[] = { { "TENTATIVE", ICAL_STATUS_TENTATIVE },
			 { "CONFIRMED", ICAL_STATUS_CONFIRMED },
			 { "CANCELLED", ICAL_STATUS_CANCELLED } };
	struct icaltimetype stamp, start, end;
	int status = -1, rc = 0;

	for (int i = 0; i < 3 && ev->status; i++)
		if (!strcmp(ev->status, statuses[i].name))
			status = i;
	if (!ev->uid || !*ev->uid || (ev->status && status < 0) ||
	    (ev->url && !uri_ok(ev->url)))
		return PX_E_BAD_INPUT;
	if (utc_time(ev->dtstamp, &stamp) || utc_time(ev->start, &start) ||
	    (ev->end > ev->start && utc_time(ev->end, &end)))
		return PX_E_BAD_INPUT;

	icalcomponent *c = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	if (!c)
		return PX_E_NOMEM;
	if (!put(c, text_prop(ICAL_UID_PROPERTY, NULL, ev->uid, &rc), &rc) &&
	    !put(c, icalproperty_new_dtstamp(stamp), &rc) &&
	    !put(c, icalproperty_new_dtstart(start), &rc) &&
	    (ev->end <= ev->start || !put(c, icalproperty_new_dtend(end), &rc)) &&
	    (!ev->summary ||
	     !put(c, text_prop(ICAL_SUMMARY_PROPERTY, NULL, ev->summary, &rc), &rc)) &&
	    (!ev->location ||
	     !put(c, text_prop(ICAL_LOCATION_PROPERTY, NULL, ev->location, &rc), &rc)) &&
	    (!ev->description ||
	     !put(c, text_prop(ICAL_DESCRIPTION_PROPERTY, NULL, ev->description, &rc), &rc)) &&
	    (!ev->url || !put(c, icalproperty_new_url(ev->url), &rc)) &&
	    (status < 0 || !put(c, icalproperty_new_status(statuses[status].value), &rc)))
		rc = add_ical_string(sb, icalcomponent_as_ical_string_r(c));
	icalcomponent_free(c);
	return rc;
}

int ical_end(struct strbuf *sb)
{
	return sb_adds(sb, "END:VCALENDAR\r\n");
}
