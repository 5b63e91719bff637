/* Unit tests for src/core/ical.c: CRLF line ends, folding at 75 octets
 * without splitting UTF-8 sequences, TEXT escaping, refusals; and a sample
 * calendar written to a temporary file and read back by python3-icalendar
 * (Debian), an iCalendar parser that is not ours. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/civil.h"
#include "core/errors.h"
#include "core/ical.h"
#include "core/strbuf.h"

static int64_t utc(int64_t y, int mo, int d, int h, int mi)
{
	struct civil_time t = { y, mo, d, h, mi, 0 };
	return civil_to_seconds(&t);
}

static const char long_text[] =
	"Agenda: 1) minutes; 2) the bakery, its ovens and \\ its hours;\n"
	"3) Straßenfest – Übersicht der Stände € ✓ 日本語テキスト, and a last item "
	"that runs on long enough to need more than one continuation line.";

static void sample(struct strbuf *sb)
{
	struct ical_event ev = {
		.uid = "meeting-2027-03-28@assembly.example",
		.dtstamp = utc(2027, 1, 1, 0, 0),
		.start = utc(2027, 3, 28, 17, 0),
		.end = utc(2027, 3, 28, 19, 0),
		.summary = "Regular meeting, Nordstadt assembly; all welcome",
		.location = "Gemeindehaus, Hauptstraße 1; 12345 Musterstadt",
		.description = long_text,
		.url = "https://pnyx.example/bodies/nordstadt/meetings/2027-03-28",
		.status = "CONFIRMED",
	};
	assert_int_equal(ical_begin(sb, "-//pnyx//pnyx test//EN", "Nordstadt"), 0);
	assert_int_equal(ical_add_event(sb, &ev), 0);
	ev.uid = "meeting-2027-04-25@assembly.example";
	ev.start = utc(2027, 4, 25, 17, 0);
	ev.end = 0; /* no end */
	ev.description = NULL;
	ev.url = NULL;
	ev.status = NULL;
	assert_int_equal(ical_add_event(sb, &ev), 0);
	assert_int_equal(ical_end(sb), 0);
}

static void test_ical_lines_end_in_crlf_and_fit_75_octets(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	sample(&sb);
	const char *p = sb.buf;
	int lines = 0, continuations = 0;
	while (*p) {
		const char *crlf = strstr(p, "\r\n");
		assert_non_null(crlf);
		size_t len = (size_t)(crlf - p);
		assert_true(len <= 75);
		assert_null(memchr(p, '\n', len));
		assert_null(memchr(p, '\r', len));
		/* A line never starts inside a UTF-8 sequence. */
		assert_true(len == 0 || ((unsigned char)p[0] & 0xC0) != 0x80);
		if (p[0] == ' ') {
			continuations++;
			assert_true(len < 2 || ((unsigned char)p[1] & 0xC0) != 0x80);
		}
		lines++;
		p = crlf + 2;
	}
	assert_true(continuations >= 3);
	assert_true(lines > 20);
	assert_non_null(strstr(sb.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(sb.buf, "\r\nDTSTART:20270328T170000Z\r\n"));
	assert_non_null(strstr(sb.buf, "\r\nDTEND:20270328T190000Z\r\n"));
	assert_non_null(strstr(sb.buf, "\r\nDTSTAMP:20270101T000000Z\r\n"));
	assert_int_equal(strlen(sb.buf) - strlen("END:VCALENDAR\r\n"),
			 (size_t)(strstr(sb.buf, "END:VCALENDAR\r\n") - sb.buf));
	sb_release(&sb);
}

static void test_ical_text_escaping(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	struct ical_event ev = { .uid = "a@b", .dtstamp = 0, .start = 0,
				 .summary = "a,b;c\\d\r\ne\x01" "f\tg" };
	assert_int_equal(ical_add_event(&sb, &ev), 0);
	assert_non_null(strstr(sb.buf, "\r\nSUMMARY:a\\,b\\;c\\\\d\\nef\tg\r\n"));
	sb_release(&sb);
}

/* The calendar's name (an X- property) has its backslashes and line
 * breaks escaped by libical, no VALUE parameter, and commas and
 * semicolons as they are (libical's reading of X- values, which calendar
 * readers accept). */
static void test_ical_calendar_name_escaped(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(ical_begin(&sb, NULL, "Harbour, north; \\ side\n"), 0);
	assert_int_equal(ical_end(&sb), 0);
	assert_string_equal(sb.buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
			    "PRODID:-//pnyx//pnyx//EN\r\nCALSCALE:GREGORIAN\r\n"
			    "X-WR-CALNAME:Harbour, north; \\\\ side\\n\r\n"
			    "END:VCALENDAR\r\n");
	sb_release(&sb);
}

static void test_ical_fold_never_splits_multibyte_characters(void **state)
{
	(void)state;
	char text[400] = "";
	for (int i = 0; i < 100; i++)
		memcpy(text + strlen(text), "€", sizeof("€")); /* 3 octets each */
	struct strbuf sb;
	sb_init(&sb, 0);
	struct ical_event ev = { .uid = "a@b", .summary = text };
	assert_int_equal(ical_add_event(&sb, &ev), 0);
	/* Unfold: remove CRLF+space, then the value must be intact. */
	struct strbuf un;
	sb_init(&un, 0);
	for (const char *p = sb.buf; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		sb_addc(&un, *p);
	}
	char want[420];
	snprintf(want, sizeof(want), "SUMMARY:%s\r\n", text);
	assert_non_null(strstr(un.buf, want));
	sb_release(&un);
	sb_release(&sb);
}

static void test_ical_refuses_missing_uid_bad_url_bad_status(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	struct ical_event ev = { .uid = NULL };
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_BAD_INPUT);
	ev.uid = "";
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_BAD_INPUT);
	ev.uid = "a@b";
	ev.url = "https://x.example/a b";
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_BAD_INPUT);
	ev.url = "https://x.example/\r\nX-EVIL:1";
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_BAD_INPUT);
	ev.url = NULL;
	ev.status = "MAYBE";
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_BAD_INPUT);
	ev.status = NULL;
	ev.start = utc(10000, 1, 1, 0, 0);
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_BAD_INPUT);
	sb_release(&sb);
}

static void test_ical_respects_strbuf_maximum(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 100);
	assert_int_equal(ical_begin(&sb, NULL, "x"), 0);
	struct ical_event ev = { .uid = "a@b", .description = long_text };
	assert_int_equal(ical_add_event(&sb, &ev), PX_E_TOO_LARGE);
	assert_true(sb.len <= 100);
	sb_release(&sb);
}

/* The check by an independent parser. The script prints what it read. */
static const char checker[] =
	"import sys, icalendar\n"
	"cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
	"ev = [c for c in cal.walk() if c.name == 'VEVENT']\n"
	"print(len(ev))\n"
	"print(ev[0]['SUMMARY'])\n"
	"print(ev[0]['LOCATION'])\n"
	"print(ev[0].decoded('DTSTART').isoformat())\n"
	"print(ev[1].decoded('DTSTART').isoformat())\n"
	"print(ev[0]['URL'])\n"
	"sys.stdout.write(str(ev[0]['DESCRIPTION']))\n";

static void test_ical_sample_file_read_by_python_icalendar(void **state)
{
	(void)state;
	if (access("/usr/bin/python3", X_OK) ||
	    system("/usr/bin/python3 -c 'import icalendar' 2>/dev/null")) {
		skip(); /* python3-icalendar missing: scripts/deps installs it */
		return;
	}
	char ics[] = "/tmp/pnyx-ical-XXXXXX";
	char py[] = "/tmp/pnyx-ical-py-XXXXXX";
	int fd = mkstemp(ics), fd2 = mkstemp(py);
	assert_true(fd >= 0 && fd2 >= 0);
	struct strbuf sb;
	sb_init(&sb, 0);
	sample(&sb);
	assert_int_equal(write(fd, sb.buf, sb.len), (ssize_t)sb.len);
	assert_int_equal(write(fd2, checker, strlen(checker)), (ssize_t)strlen(checker));
	close(fd);
	close(fd2);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", py, ics);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char got[2048];
	size_t n = fread(got, 1, sizeof(got) - 1, p);
	got[n] = '\0';
	assert_int_equal(pclose(p), 0);
	char want[2048];
	snprintf(want, sizeof(want),
		 "2\n"
		 "Regular meeting, Nordstadt assembly; all welcome\n"
		 "Gemeindehaus, Hauptstraße 1; 12345 Musterstadt\n"
		 "2027-03-28T17:00:00+00:00\n"
		 "2027-04-25T17:00:00+00:00\n"
		 "https://pnyx.example/bodies/nordstadt/meetings/2027-03-28\n"
		 "%s", long_text);
	assert_string_equal(got, want);
	unlink(ics);
	unlink(py);
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ical_lines_end_in_crlf_and_fit_75_octets),
		cmocka_unit_test(test_ical_text_escaping),
		cmocka_unit_test(test_ical_calendar_name_escaped),
		cmocka_unit_test(test_ical_fold_never_splits_multibyte_characters),
		cmocka_unit_test(test_ical_refuses_missing_uid_bad_url_bad_status),
		cmocka_unit_test(test_ical_respects_strbuf_maximum),
		cmocka_unit_test(test_ical_sample_file_read_by_python_icalendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
