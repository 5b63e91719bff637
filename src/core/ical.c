/*
 * ical.c: the iCalendar writer. Each content line is built whole in a
 * scratch strbuf and then copied out folded, so escaping and folding are
 * separate steps: escaping works on characters, folding on octets (it
 * backs up to the start of a UTF-8 sequence so that no sequence is split
 * across lines). Every line of output ends in CRLF.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "errors.h"
#include "ical.h"
#include "strbuf.h"
#include "banned.h"

#define ICAL_LINE_MAX 75 /* octets per line, excluding CRLF (3.1) */
#define ICAL_VALUE_MAX (64 * 1024)

/* Copy a content line to out, folded, with CRLF. */
static int add_folded(struct strbuf *out, const char *line, size_t len)
{
	size_t pos = 0, room = ICAL_LINE_MAX;
	int rc = 0;
	while (!rc && len - pos > room) {
		size_t cut = pos + room;
		/* Back up over UTF-8 continuation bytes (10xxxxxx). */
		while (cut > pos + 1 && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		rc = sb_add(out, line + pos, cut - pos);
		if (!rc)
			rc = sb_add(out, "\r\n ", 3);
		pos = cut;
		room = ICAL_LINE_MAX - 1; /* the leading space counts */
	}
	if (!rc)
		rc = sb_add(out, line + pos, len - pos);
	if (!rc)
		rc = sb_add(out, "\r\n", 2);
	return rc;
}

static int add_line(struct strbuf *out, const char *line)
{
	return add_folded(out, line, strlen(line));
}

/* NAME:VALUE with the value escaped as TEXT (3.3.11). */
static int add_text(struct strbuf *out, const char *name, const char *value)
{
	struct strbuf line;
	int rc;
	if (!value)
		return 0;
	sb_init(&line, ICAL_VALUE_MAX);
	rc = sb_adds(&line, name);
	if (!rc)
		rc = sb_addc(&line, ':');
	for (const char *p = value; *p && !rc; p++) {
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '\\': rc = sb_adds(&line, "\\\\"); break;
		case ';': rc = sb_adds(&line, "\\;"); break;
		case ',': rc = sb_adds(&line, "\\,"); break;
		case '\n': rc = sb_adds(&line, "\\n"); break;
		default:
			/* TEXT excludes controls other than HTAB; a CR of a
			 * CRLF pair goes with its LF. */
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				break;
			rc = sb_addc(&line, (char)c);
		}
	}
	if (!rc)
		rc = add_folded(out, line.buf, line.len);
	sb_release(&line);
	return rc;
}

static int add_time(struct strbuf *out, const char *name, int64_t t)
{
	struct civil_time c;
	char line[64];
	civil_from_seconds(t, &c);
	if (c.year < 1 || c.year > 9999)
		return PX_E_BAD_INPUT;
	snprintf(line, sizeof(line), "%s:%04d%02d%02dT%02d%02d%02dZ", name,
		 (int)c.year, c.month, c.day, c.hour, c.minute, c.second);
	return add_line(out, line);
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

int ical_begin(struct strbuf *sb, const char *prodid, const char *name)
{
	int rc = add_line(sb, "BEGIN:VCALENDAR");
	if (!rc)
		rc = add_line(sb, "VERSION:2.0");
	if (!rc)
		rc = add_text(sb, "PRODID", prodid ? prodid : "-//pnyx//pnyx//EN");
	if (!rc)
		rc = add_line(sb, "CALSCALE:GREGORIAN");
	if (!rc && name)
		rc = add_text(sb, "X-WR-CALNAME", name);
	return rc;
}

int ical_add_event(struct strbuf *sb, const struct ical_event *ev)
{
	static const char *const statuses[] = { "TENTATIVE", "CONFIRMED", "CANCELLED" };
	int rc, status_ok = ev->status == NULL;

	for (size_t i = 0; i < 3 && !status_ok; i++)
		status_ok = !strcmp(ev->status, statuses[i]);
	if (!ev->uid || !*ev->uid || !status_ok || (ev->url && !uri_ok(ev->url)))
		return PX_E_BAD_INPUT;
	rc = add_line(sb, "BEGIN:VEVENT");
	if (!rc)
		rc = add_text(sb, "UID", ev->uid);
	if (!rc)
		rc = add_time(sb, "DTSTAMP", ev->dtstamp);
	if (!rc)
		rc = add_time(sb, "DTSTART", ev->start);
	if (!rc && ev->end > ev->start)
		rc = add_time(sb, "DTEND", ev->end);
	if (!rc)
		rc = add_text(sb, "SUMMARY", ev->summary);
	if (!rc)
		rc = add_text(sb, "LOCATION", ev->location);
	if (!rc)
		rc = add_text(sb, "DESCRIPTION", ev->description);
	if (!rc && ev->url) {
		struct strbuf line;
		sb_init(&line, ICAL_VALUE_MAX);
		rc = sb_addf(&line, "URL:%s", ev->url);
		if (!rc)
			rc = add_folded(sb, line.buf, line.len);
		sb_release(&line);
	}
	if (!rc && ev->status)
		rc = sb_addf(sb, "STATUS:%s\r\n", ev->status);
	if (!rc)
		rc = add_line(sb, "END:VEVENT");
	return rc;
}

int ical_end(struct strbuf *sb)
{
	return add_line(sb, "END:VCALENDAR");
}
