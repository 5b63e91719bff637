/*
 * rrule_words.c: a schedule in words in the reader's language
 * (docs/translating.md). English is rrule_describe()'s, which puts every
 * rule RFC 5545 allows in words. Another language has a whole sentence per
 * shape a schedule usually takes, each a msgid of its own with plural
 * forms where a number counts something ("every 2 weeks on Tuesday", "the
 * first Tuesday of every month", "day 15 of every month", "every day",
 * "every year on 8 December", then the times, how many and until when);
 * weekday and month names, lists ("lunes y jueves") and dates are ICU's.
 * A rule beyond those shapes (BYSETPOS, BYYEARDAY, BYWEEKNO, BYMONTH, an
 * ordinal past the fifth) is given as the rule itself in a sentence of
 * the language ("según la regla FREQ=..."), never in English.
 */
#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "core/i18n.h"
#include "core/rrule.h"
#include "core/strbuf.h"
#include "banned.h"

#define WORDS 512

/* the rule's shapes put in words here; the others are quoted */
static int simple(const struct rrule *r)
{
	for (int i = 0; i < 6; i++)
		if (r->byyearday[i] || r->byyearday_neg[i] || r->bysetpos[i] ||
		    r->bysetpos_neg[i])
			return 0;
	return !r->byweekno && !r->byweekno_neg && !r->bymonth &&
	       (!r->bysecond || r->bysecond == 1);
}

static int any_byday(const struct rrule *r)
{
	for (int w = 0; w < 7; w++)
		if (r->byday[w] || r->byday_neg[w])
			return 1;
	return 0;
}

/* The weekdays of BYDAY (every such day), joined: "lunes y jueves". */
static int weekdays(const struct rrule *r, const char *lang, char *out, size_t size)
{
	char names[7][64];
	const char *items[7];
	size_t n = 0;
	for (int w = 0; w < 7; w++) {
		if (!r->byday[w])
			continue;
		if (r->byday[w] != 1 || r->byday_neg[w] ||
		    i18n_weekday(lang, w, names[n], sizeof(names[n])))
			return 1;
		items[n] = names[n];
		n++;
	}
	return !n || i18n_list(lang, items, n, 0, out, size) ? 1 : 0;
}

static void number(const char *lang, int64_t n, char out[32])
{
	(void)i18n_number(lang, n, out, 32);
}

/* "the first Tuesday and the last Friday": 0, or 1 when an ordinal has
 * no word here (past the fifth, before the second-to-last, "every"). */
static int ordinal_days(const struct rrule *r, const char *lang, char *out, size_t size)
{
	/* TRANSLATORS: which weekday of the month: "the first Tuesday of every month" */
	static const char *const pos[6] = { NULL, NC_("weekday", "first"),
		NC_("weekday", "second"), NC_("weekday", "third"), NC_("weekday", "fourth"),
		NC_("weekday", "fifth") };
	static const char *const neg[3] = { NULL, NC_("weekday", "last"),
		NC_("weekday", "second-to-last") };
	char items_buf[16][128];
	const char *items[16];
	size_t n = 0;
	for (int w = 0; w < 7; w++) {
		if (!r->byday[w] && !r->byday_neg[w])
			continue;
		char day[64];
		if ((r->byday[w] & 1) || r->byday[w] >> 6 || r->byday_neg[w] >> 3 ||
		    i18n_weekday(lang, w, day, sizeof(day)))
			return 1;
		for (int o = -2; o <= 5; o++) {
			int on = o > 0 ? (int)((r->byday[w] >> o) & 1)
				 : o < 0 ? (int)((r->byday_neg[w] >> -o) & 1) : 0;
			if (!on)
				continue;
			if (n == 16)
				return 1;
			const char *word = trp(lang, "weekday", o > 0 ? pos[o] : neg[-o]);
			/* TRANSLATORS: a weekday of the month, "the first Tuesday":
			 * the ordinal (first, second, ..., last), then the day */
			int c = snprintf(items_buf[n], sizeof(items_buf[n]),
					 tr(lang, "the %s %s"), word, day);
			if (c < 0 || (size_t)c >= sizeof(items_buf[n]))
				return 1;
			items[n] = items_buf[n];
			n++;
		}
	}
	return !n || i18n_list(lang, items, n, 0, out, size) ? 1 : 0;
}

/* The days and their period, without times: 0, 1 (no words here), or -1. */
static int days_of(const struct rrule *r, const struct civil_time *dt, const char *lang,
		   char *out, size_t size)
{
	char days[WORDS], every[32];
	int c = -1;
	number(lang, r->interval, every);
	if (!simple(r))
		return 1;
	if (r->freq == RRULE_WEEKLY) {
		struct rrule one = *r;
		if (!any_byday(r))
			one.byday[civil_weekday_of(dt->year, dt->month, dt->day)] = 1;
		if (weekdays(&one, lang, days, sizeof(days)))
			return 1;
		/* TRANSLATORS: a schedule, "every Monday and Thursday" */
		c = r->interval == 1 ? snprintf(out, size, tr(lang, "every %s"), days)
		/* TRANSLATORS: a schedule, "every 2 weeks on Monday and Thursday" */
		  : snprintf(out, size, trn(lang, "every %s week on %s",
					    "every %s weeks on %s", (uint64_t)r->interval),
			     every, days);
	} else if (r->freq == RRULE_DAILY) {
		if (r->bymonthday || r->bymonthday_neg)
			return 1;
		if (any_byday(r)) {
			if (r->interval != 1 || weekdays(r, lang, days, sizeof(days)))
				return 1;
			c = snprintf(out, size, tr(lang, "every %s"), days);
		} else {
			/* TRANSLATORS: a schedule, "every day", "every 3 days" */
			c = r->interval == 1 ? snprintf(out, size, "%s", tr(lang, "every day"))
			  : snprintf(out, size, trn(lang, "every %s day", "every %s days",
						    (uint64_t)r->interval), every);
		}
	} else if (r->freq == RRULE_MONTHLY) {
		int md = r->bymonthday || r->bymonthday_neg;
		if (any_byday(r)) {
			if (md || ordinal_days(r, lang, days, sizeof(days)))
				return 1;
			/* TRANSLATORS: "the first Tuesday" (or several), of every month */
			c = r->interval == 1 ? snprintf(out, size, tr(lang, "%s of every month"), days)
			/* TRANSLATORS: "the first Tuesday", then how many months */
			  : snprintf(out, size, trn(lang, "%s of every %s month",
						    "%s of every %s months",
						    (uint64_t)r->interval), days, every);
		} else if (r->bymonthday_neg) {
			if (r->bymonthday_neg != 2 || r->bymonthday)
				return 1;
			c = r->interval == 1
			    ? snprintf(out, size, "%s", tr(lang, "the last day of every month"))
			    : snprintf(out, size, trn(lang, "the last day of every %s month",
						      "the last day of every %s months",
						      (uint64_t)r->interval), every);
		} else {
			uint32_t set = md ? r->bymonthday : 1u << dt->day;
			char nums[31][8];
			const char *items[31];
			size_t n = 0;
			for (int d = 1; d <= 31; d++)
				if ((set >> d) & 1) {
					(void)snprintf(nums[n], sizeof(nums[n]), "%d", d);
					items[n] = nums[n];
					n++;
				}
			if (i18n_list(lang, items, n, 0, days, sizeof(days)))
				return 1;
			if (r->interval == 1)
				/* TRANSLATORS: a schedule: %s the days of the month, "1 and 15" */
				c = snprintf(out, size, trn(lang, "day %s of every month",
							    "days %s of every month", n), days);
			else if (n == 1)
				/* TRANSLATORS: the day of the month, then how many months */
				c = snprintf(out, size, trn(lang, "day %s of every %s month",
							    "day %s of every %s months",
							    (uint64_t)r->interval), days, every);
			else
				return 1;
		}
	} else {
		if (any_byday(r) || r->bymonthday || r->bymonthday_neg ||
		    i18n_day_month(lang, dt->month, dt->day, days, sizeof(days)))
			return 1;
		/* TRANSLATORS: a schedule, "every year on 8 December" */
		c = r->interval == 1 ? snprintf(out, size, tr(lang, "every year on %s"), days)
		  : snprintf(out, size, trn(lang, "every %s year on %s",
					    "every %s years on %s", (uint64_t)r->interval),
			     every, days);
	}
	return c < 0 || (size_t)c >= size ? -1 : 0;
}

/* The times of day, "19:00" or "10:00 y 19:00"; the first hour in *hour.
 * 1 when there are more than a dozen. */
static int times_of(const struct rrule *r, const struct civil_time *dt, const char *lang,
		    char *out, size_t size, int *hour)
{
	uint32_t hours = r->byhour ? r->byhour : 1u << dt->hour;
	uint64_t mins = r->byminute ? r->byminute : (uint64_t)1 << dt->minute;
	char t[12][8];
	const char *items[12];
	size_t n = 0;
	*hour = -1;
	for (int h = 0; h < 24; h++)
		for (int m = 0; m < 60; m++)
			if (((hours >> h) & 1) && ((mins >> m) & 1)) {
				if (n == 12)
					return 1;
				if (*hour < 0)
					*hour = h;
				(void)snprintf(t[n], sizeof(t[n]), "%02d:%02d", h, m);
				items[n] = t[n];
				n++;
			}
	return i18n_list(lang, items, n, 0, out, size) ? -1 : 0;
}

int rrule_describe_in(const struct rrule *r, const struct civil_time *dt, const char *lang,
		      struct strbuf *sb)
{
	char days[WORDS], times[WORDS], line[2 * WORDS], more[2 * WORDS + 64];
	int hour, rc;
	if (!lang || !strcmp(lang, "en") || !strcmp(tr(lang, "English"), "English"))
		return rrule_describe(r, dt, sb);
	rc = days_of(r, dt, lang, days, sizeof(days));
	if (!rc)
		rc = times_of(r, dt, lang, times, sizeof(times), &hour);
	if (rc == 1) {
		struct strbuf canon;
		sb_init(&canon, RRULE_TEXT_MAX * 2);
		rc = rrule_format(r, &canon);
		/* TRANSLATORS: a schedule not put in words: %s is the rule as
		 * RFC 5545 writes it, "FREQ=MONTHLY;BYSETPOS=-1;..." */
		if (!rc)
			rc = sb_addf(sb, tr(lang, "following the rule %s"), canon.buf);
		sb_release(&canon);
		return rc;
	}
	if (rc)
		return PX_E_NOMEM;
	/* TRANSLATORS: a schedule and its times, "every Tuesday at 19:00":
	 * the number choosing the form is the first time's hour (Spanish
	 * "a la 1:00", "a las 19:00") */
	int c = snprintf(line, sizeof(line), trn(lang, "%s at %s", "%s at %s",
						 (uint64_t)hour), days, times);
	if (c < 0 || (size_t)c >= sizeof(line))
		return PX_E_NOMEM;
	if (r->count) {
		char n[32];
		number(lang, r->count, n);
		/* TRANSLATORS: a schedule that ends after so many meetings */
		c = snprintf(more, sizeof(more), trn(lang, "%s, %s time", "%s, %s times",
						     (uint64_t)r->count), line, n);
		if (c < 0 || (size_t)c >= sizeof(line))
			return PX_E_NOMEM;
		memcpy(line, more, (size_t)c + 1);
	}
	if (r->has_until) {
		char when[128];
		if (i18n_date_time(lang, r->until, when, sizeof(when)))
			return PX_E_NOMEM;
		/* TRANSLATORS: a schedule that ends: the schedule, then a date and
		 * time in UTC */
		c = snprintf(more, sizeof(more), tr(lang, "%s, until %s UTC"), line, when);
		if (c < 0 || (size_t)c >= sizeof(more))
			return PX_E_NOMEM;
		return sb_adds(sb, more);
	}
	return sb_adds(sb, line);
}
