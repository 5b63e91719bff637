/*
 * rrule.c: parsing, canonical form, description and expansion of the
 * RFC 5545 recurrence-rule subset described in rrule.h.
 *
 * Invariants of a parsed struct rrule: freq is WEEKLY or MONTHLY; interval
 * in 1..RRULE_INTERVAL_MAX; BYDAY ordinals and BYMONTHDAY only with
 * MONTHLY; count and until never both set; bit masks hold only valid bits.
 * Expansion works one period (week or month) at a time in local civil
 * time, turns each candidate into an instant with tz_from_local(), and
 * sorts each period's instants, so the output is strictly ascending even
 * when a DST gap moves a time past another.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "errors.h"
#include "num.h"
#include "rrule.h"
#include "strbuf.h"
#include "tzif.h"
#include "banned.h"

static const char *const day_code[7] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };
static const char *const day_name[7] = { "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday", "Sunday" };

#define ORD_BIT(n) ((uint16_t)(1u << ((n) + 5)))
#define ORD_ORDINALS ((uint16_t)(0x7ffu & ~ORD_BIT(0)))

/* Instants beyond year 9999 are never produced (RFC 5545 dates have four
 * digits); this also bounds every loop below. */
#define RRULE_YEAR_MIN 1
#define RRULE_YEAR_MAX 9999

/* ---- parsing ---- */

struct parse_state {
	struct rrule *r;
	struct px_error *err;
	unsigned seen;
	int has_ordinal;
};

static int bad(struct parse_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct parse_state *st, const char *fmt, ...)
{
	char msg[sizeof(((struct px_error *)0)->detail)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return px_fail(st->err, PX_E_BAD_RRULE, "rrule", "%s", msg);
}

static int day_index(const char *s)
{
	for (int i = 0; i < 7; i++)
		if (!strcmp(s, day_code[i]))
			return i;
	return -1;
}

/* Split a comma list, calling item() on each NUL-terminated piece. */
static int each_item(struct parse_state *st, const char *part, char *value,
		     int (*item)(struct parse_state *, const char *, char *))
{
	char *p = value;
	for (;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p)
			return bad(st, "%s: empty value", part);
		int rc = item(st, part, p);
		if (rc)
			return rc;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int int_in(struct parse_state *st, const char *part, const char *v,
		  int64_t lo, int64_t hi, int64_t *out)
{
	if (num_parse_i64(v, lo, hi, out))
		return px_fail(st->err, PX_E_BAD_RRULE, "rrule",
			       "%s: '%s' is not a whole number from %lld to %lld",
			       part, v, (long long)lo, (long long)hi);
	return 0;
}

static int p_freq(struct parse_state *st, const char *part, char *v)
{
	if (!strcmp(v, "WEEKLY"))
		st->r->freq = RRULE_WEEKLY;
	else if (!strcmp(v, "MONTHLY"))
		st->r->freq = RRULE_MONTHLY;
	else if (!strcmp(v, "SECONDLY") || !strcmp(v, "MINUTELY") ||
		 !strcmp(v, "HOURLY") || !strcmp(v, "DAILY") || !strcmp(v, "YEARLY"))
		return bad(st, "%s: only WEEKLY and MONTHLY are supported, not '%s'",
			   part, v);
	else
		return bad(st, "%s: unknown frequency '%s'", part, v);
	return 0;
}

static int p_interval(struct parse_state *st, const char *part, char *v)
{
	int64_t n;
	int rc = int_in(st, part, v, 1, RRULE_INTERVAL_MAX, &n);
	st->r->interval = (int)n;
	return rc;
}

static int p_count(struct parse_state *st, const char *part, char *v)
{
	return int_in(st, part, v, 1, RRULE_COUNT_MAX, &st->r->count);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int p_until(struct parse_state *st, const char *part, char *v)
{
	struct civil_time t = { 0 };
	int y;
	if (strlen(v) != 16 || v[8] != 'T' || v[15] != 'Z' ||
	    digits(v, 4, &y) || digits(v + 4, 2, &t.month) ||
	    digits(v + 6, 2, &t.day) || digits(v + 9, 2, &t.hour) ||
	    digits(v + 11, 2, &t.minute) || digits(v + 13, 2, &t.second))
		return bad(st, "%s: '%s' is not a UTC date-time like 20271231T235959Z",
			   part, v);
	t.year = y;
	if (!civil_valid(&t) || y < RRULE_YEAR_MIN)
		return bad(st, "%s: '%s' is not a valid date and time", part, v);
	st->r->has_until = 1;
	st->r->until = civil_to_seconds(&t);
	return 0;
}

static int byday_item(struct parse_state *st, const char *part, char *v)
{
	size_t n = strlen(v);
	if (n < 2)
		return bad(st, "%s: unknown day '%s'", part, v);
	int d = day_index(v + n - 2);
	if (d < 0)
		return bad(st, "%s: unknown day '%s'", part, v + n - 2);
	int64_t ord = 0;
	if (n > 2) {
		char num[8];
		if (n - 2 >= sizeof(num))
			return bad(st, "%s: bad ordinal in '%s'", part, v);
		memcpy(num, v, n - 2);
		num[n - 2] = '\0';
		if (num_parse_i64(num, -5, 5, &ord) || ord == 0)
			return bad(st, "%s: ordinal in '%s' must be 1 to 5 or -1 to -5",
				   part, v);
		st->has_ordinal = 1;
	}
	st->r->byday[d] |= ORD_BIT(ord);
	return 0;
}

static int bymonthday_item(struct parse_state *st, const char *part, char *v)
{
	int64_t d;
	if (num_parse_i64(v, -31, 31, &d) || d == 0)
		return bad(st, "%s: '%s' must be 1 to 31 or -1 to -31", part, v);
	if (d > 0)
		st->r->bymonthday |= 1u << d;
	else
		st->r->bymonthday_neg |= 1u << -d;
	return 0;
}

static int byhour_item(struct parse_state *st, const char *part, char *v)
{
	int64_t h;
	int rc = int_in(st, part, v, 0, 23, &h);
	if (!rc)
		st->r->byhour |= 1u << h;
	return rc;
}

static int byminute_item(struct parse_state *st, const char *part, char *v)
{
	int64_t m;
	int rc = int_in(st, part, v, 0, 59, &m);
	if (!rc)
		st->r->byminute |= (uint64_t)1 << m;
	return rc;
}

static int p_byday(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, byday_item);
}

static int p_bymonthday(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, bymonthday_item);
}

static int p_byhour(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, byhour_item);
}

static int p_byminute(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, byminute_item);
}

static int p_wkst(struct parse_state *st, const char *part, char *v)
{
	int d = day_index(v);
	if (d < 0)
		return bad(st, "%s: unknown day '%s'", part, v);
	st->r->wkst = d;
	return 0;
}

static const struct {
	const char *name;
	int (*parse)(struct parse_state *, const char *, char *);
} parts[] = {
	{ "FREQ", p_freq },         { "INTERVAL", p_interval },
	{ "COUNT", p_count },       { "UNTIL", p_until },
	{ "BYDAY", p_byday },       { "BYMONTHDAY", p_bymonthday },
	{ "BYHOUR", p_byhour },     { "BYMINUTE", p_byminute },
	{ "WKST", p_wkst },
	/* In RFC 5545 but not in pnyx's subset: */
	{ "BYSECOND", NULL },       { "BYYEARDAY", NULL },
	{ "BYWEEKNO", NULL },       { "BYMONTH", NULL },
	{ "BYSETPOS", NULL },
};

static int parse_part(struct parse_state *st, char *part)
{
	char *eq = strchr(part, '=');
	if (!eq)
		return bad(st, "%s: expected NAME=VALUE", part);
	*eq = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (strcmp(part, parts[i].name))
			continue;
		if (!parts[i].parse)
			return bad(st, "%s: not supported by pnyx schedules", part);
		if (st->seen & (1u << i))
			return bad(st, "%s: given twice", part);
		st->seen |= 1u << i;
		if (!eq[1])
			return bad(st, "%s: empty value", part);
		return parts[i].parse(st, parts[i].name, eq + 1);
	}
	return bad(st, "%s: unknown rule part", part);
}

int rrule_parse(const char *text, struct rrule *out, struct px_error *err)
{
	char buf[RRULE_TEXT_MAX + 1];
	struct rrule r;
	struct parse_state st = { &r, err, 0, 0 };
	size_t n = text ? strlen(text) : 0;

	memset(&r, 0, sizeof(r));
	r.interval = 1;
	if (n > RRULE_TEXT_MAX)
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "the rule is longer than %d characters", RRULE_TEXT_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x21 || c > 0x7e)
			return px_fail(err, PX_E_BAD_RRULE, "rrule",
				       "the rule may hold only printable ASCII without spaces");
		buf[i] = (char)toupper(c);
	}
	buf[n] = '\0';
	char *p = buf;
	if (!strncmp(p, "RRULE:", 6))
		p += 6;
	if (!*p)
		return px_fail(err, PX_E_BAD_RRULE, "rrule", "FREQ: missing");
	for (;;) {
		char *semi = strchr(p, ';');
		if (semi)
			*semi = '\0';
		if (!*p)
			return px_fail(err, PX_E_BAD_RRULE, "rrule",
				       "empty rule part (two ';' in a row?)");
		int rc = parse_part(&st, p);
		if (rc)
			return rc;
		if (!semi)
			break;
		p = semi + 1;
	}
	if (!r.freq)
		return px_fail(err, PX_E_BAD_RRULE, "rrule", "FREQ: missing");
	if (r.count && r.has_until)
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "COUNT: cannot be combined with UNTIL");
	if (r.freq == RRULE_WEEKLY && (r.bymonthday || r.bymonthday_neg))
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYMONTHDAY: not allowed with FREQ=WEEKLY");
	if (r.freq == RRULE_WEEKLY && st.has_ordinal)
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYDAY: ordinals such as 1MO need FREQ=MONTHLY");
	*out = r;
	return 0;
}

/* ---- canonical text ---- */

static int add_mask_list(struct strbuf *sb, const char *name, uint64_t mask,
			 int lo, int hi)
{
	int rc = 0, first = 1;
	if (!mask)
		return 0;
	rc = sb_addf(sb, ";%s=", name);
	for (int i = lo; i <= hi && !rc; i++)
		if (mask & ((uint64_t)1 << i)) {
			rc = sb_addf(sb, first ? "%d" : ",%d", i);
			first = 0;
		}
	return rc;
}

int rrule_format(const struct rrule *r, struct strbuf *sb)
{
	int rc = sb_adds(sb, r->freq == RRULE_MONTHLY ? "FREQ=MONTHLY" : "FREQ=WEEKLY");
	if (!rc && r->interval > 1)
		rc = sb_addf(sb, ";INTERVAL=%d", r->interval);
	if (!rc && r->count)
		rc = sb_addf(sb, ";COUNT=%lld", (long long)r->count);
	if (!rc && r->has_until) {
		struct civil_time t;
		civil_from_seconds(r->until, &t);
		rc = sb_addf(sb, ";UNTIL=%04lld%02d%02dT%02d%02d%02dZ",
			     (long long)t.year, t.month, t.day, t.hour,
			     t.minute, t.second);
	}
	if (!rc && (r->bymonthday || r->bymonthday_neg)) {
		int first = 1;
		rc = sb_adds(sb, ";BYMONTHDAY=");
		for (int d = -31; d <= 31 && !rc; d++) {
			int on = d < 0 ? (r->bymonthday_neg >> -d) & 1
				       : d > 0 && ((r->bymonthday >> d) & 1);
			if (on) {
				rc = sb_addf(sb, first ? "%d" : ",%d", d);
				first = 0;
			}
		}
	}
	int any = 0;
	for (int w = 0; w < 7; w++)
		any |= r->byday[w];
	if (!rc && any) {
		int first = 1;
		rc = sb_adds(sb, ";BYDAY=");
		for (int w = 0; w < 7 && !rc; w++)
			for (int o = -5; o <= 5 && !rc; o++) {
				if (!(r->byday[w] & ORD_BIT(o)))
					continue;
				if (!first)
					rc = sb_addc(sb, ',');
				if (!rc && o)
					rc = sb_addf(sb, "%d", o);
				if (!rc)
					rc = sb_adds(sb, day_code[w]);
				first = 0;
			}
	}
	if (!rc)
		rc = add_mask_list(sb, "BYHOUR", r->byhour, 0, 23);
	if (!rc)
		rc = add_mask_list(sb, "BYMINUTE", r->byminute, 0, 59);
	if (!rc && r->wkst)
		rc = sb_addf(sb, ";WKST=%s", day_code[r->wkst]);
	return rc;
}

/* ---- description ---- */

static const char *ord_word(int n)
{
	static const char *const pos[] = { "", "first", "second", "third", "fourth", "fifth" };
	static const char *const neg[] = { "", "last", "second-to-last",
		"third-to-last", "fourth-to-last", "fifth-to-last" };
	return n > 0 ? pos[n] : neg[-n];
}

static const char *suffix(int64_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

/* Join items: "a", "a and b", "a, b and c". */
static int add_joined(struct strbuf *sb, size_t i, size_t n)
{
	if (i == 0)
		return 0;
	return sb_adds(sb, i + 1 == n ? " and " : ", ");
}

static int describe_byday(const struct rrule *r, struct strbuf *sb)
{
	size_t n = 0, i = 0;
	int rc = 0;
	for (int w = 0; w < 7; w++)
		n += r->byday[w] != 0;
	for (int w = 0; w < 7 && !rc; w++) {
		uint16_t m = r->byday[w];
		if (!m)
			continue;
		rc = add_joined(sb, i++, n);
		if (!rc && (m & ORD_BIT(0))) {
			rc = sb_addf(sb, "every %s", day_name[w]);
			continue;
		}
		/* "first and third Monday", positive ordinals before "last". */
		int k = 0, total = 0;
		for (int o = -5; o <= 5; o++)
			total += (m & ORD_BIT(o)) != 0;
		static const int order[] = { 1, 2, 3, 4, 5, -5, -4, -3, -2, -1 };
		for (size_t j = 0; j < 10 && !rc; j++) {
			if (!(m & ORD_BIT(order[j])))
				continue;
			rc = add_joined(sb, (size_t)k++, (size_t)total);
			if (!rc)
				rc = sb_adds(sb, ord_word(order[j]));
		}
		if (!rc)
			rc = sb_addf(sb, " %s", day_name[w]);
	}
	return rc;
}

static int describe_monthdays(const struct rrule *r, struct strbuf *sb)
{
	size_t n = 0, i = 0;
	int rc = 0;
	for (int d = 1; d <= 31; d++)
		n += ((r->bymonthday >> d) & 1) + ((r->bymonthday_neg >> d) & 1);
	for (int d = 1; d <= 31 && !rc; d++)
		if ((r->bymonthday >> d) & 1) {
			rc = add_joined(sb, i++, n);
			if (!rc)
				rc = sb_addf(sb, "the %d%s", d, suffix(d));
		}
	for (int d = 31; d >= 1 && !rc; d--)
		if ((r->bymonthday_neg >> d) & 1) {
			rc = add_joined(sb, i++, n);
			if (!rc && d <= 5)
				rc = sb_addf(sb, "the %s day", ord_word(-d));
			else if (!rc)
				rc = sb_addf(sb, "the %d%s day from the end", d, suffix(d));
		}
	return rc;
}

static int describe_times(const struct rrule *r, const struct civil_time *dt,
			  struct strbuf *sb)
{
	uint32_t hours = r->byhour ? r->byhour : 1u << dt->hour;
	uint64_t mins = r->byminute ? r->byminute : (uint64_t)1 << dt->minute;
	size_t n = (size_t)__builtin_popcount(hours) * (size_t)__builtin_popcountll(mins);
	size_t i = 0;
	int rc = sb_adds(sb, " at ");
	if (n > 12)
		return rc ? rc : sb_addf(sb, "%zu times a day", n);
	for (int h = 0; h < 24 && !rc; h++)
		for (int m = 0; m < 60 && !rc; m++)
			if (((hours >> h) & 1) && ((mins >> m) & 1)) {
				rc = add_joined(sb, i++, n);
				if (!rc)
					rc = sb_addf(sb, "%02d:%02d", h, m);
			}
	return rc;
}

int rrule_describe(const struct rrule *r, const struct civil_time *dt,
		   struct strbuf *sb)
{
	int rc = 0, any_byday = 0;
	for (int w = 0; w < 7; w++)
		any_byday |= r->byday[w] != 0;
	int any_md = r->bymonthday || r->bymonthday_neg;

	if (r->freq == RRULE_WEEKLY) {
		struct rrule one = *r;
		if (!any_byday)
			one.byday[civil_weekday_of(dt->year, dt->month, dt->day)] = ORD_BIT(0);
		int ndays = 0;
		for (int w = 0; w < 7; w++)
			ndays += one.byday[w] != 0;
		if (r->interval == 1) {
			rc = sb_adds(sb, "every ");
			int i = 0;
			for (int w = 0; w < 7 && !rc; w++)
				if (one.byday[w]) {
					rc = add_joined(sb, (size_t)i++, (size_t)ndays);
					if (!rc)
						rc = sb_adds(sb, day_name[w]);
				}
		} else if (ndays == 1) {
			int w = 0;
			while (!one.byday[w])
				w++;
			rc = sb_addf(sb, "every %d%s %s", r->interval,
				     suffix(r->interval), day_name[w]);
		} else {
			rc = sb_addf(sb, "every %d%s week on ", r->interval,
				     suffix(r->interval));
			for (int w = 0; w < 7; w++)
				one.byday[w] = one.byday[w] ? 1 : 0;
			int i = 0;
			for (int w = 0; w < 7 && !rc; w++)
				if (one.byday[w]) {
					rc = add_joined(sb, (size_t)i++, (size_t)ndays);
					if (!rc)
						rc = sb_adds(sb, day_name[w]);
				}
		}
	} else {
		if (any_byday)
			rc = describe_byday(r, sb);
		if (!rc && any_byday && any_md)
			rc = sb_adds(sb, " falling on ");
		if (!rc && any_md)
			rc = describe_monthdays(r, sb);
		if (!rc && !any_byday && !any_md)
			rc = sb_addf(sb, "the %d%s", dt->day, suffix(dt->day));
		if (!rc && r->interval == 1)
			rc = sb_adds(sb, " of each month");
		else if (!rc)
			rc = sb_addf(sb, " of every %d%s month", r->interval,
				     suffix(r->interval));
	}
	if (!rc)
		rc = describe_times(r, dt, sb);
	if (!rc && r->count)
		rc = sb_addf(sb, ", %lld time%s", (long long)r->count,
			     r->count == 1 ? "" : "s");
	if (!rc && r->has_until) {
		struct civil_time u;
		civil_from_seconds(r->until, &u);
		rc = sb_addf(sb, ", until %04lld-%02d-%02d %02d:%02d UTC",
			     (long long)u.year, u.month, u.day, u.hour, u.minute);
	}
	return rc;
}

/* ---- expansion ---- */

/* Whether day-of-month dom (of a month of len days), a weekday wd, is one
 * the rule selects. For MONTHLY, the n-th weekday counted from the start
 * is (dom-1)/7+1 and from the end (len-dom)/7+1. */
static int day_selected(const struct rrule *r, int any_byday, int any_md,
			int dom, int len, int wd, const struct civil_time *dt,
			int dt_wd)
{
	if (r->freq == RRULE_WEEKLY)
		return any_byday ? (r->byday[wd] & ORD_BIT(0)) != 0 : wd == dt_wd;
	if (!any_byday && !any_md)
		return dom == dt->day;
	if (any_md && !((r->bymonthday >> dom) & 1) &&
	    !((r->bymonthday_neg >> (len - dom + 1)) & 1))
		return 0;
	if (any_byday) {
		int nth = (dom - 1) / 7 + 1, nth_back = (len - dom) / 7 + 1;
		uint16_t want = ORD_BIT(0) | ORD_BIT(nth) | ORD_BIT(-nth_back);
		if (!(r->byday[wd] & want))
			return 0;
	}
	return 1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int rrule_expand(const struct rrule *r, const struct civil_time *dt,
		 const struct tz_zone *zone, int64_t from, int64_t to,
		 int64_t *at, size_t cap, size_t *n, int *truncated)
{
	int64_t *slot = NULL;
	int rc = 0;
	struct tz_resolved res;

	*n = 0;
	*truncated = 0;
	if (!civil_valid(dt) || dt->year < RRULE_YEAR_MIN || dt->year > RRULE_YEAR_MAX)
		return PX_E_BAD_DATETIME;
	if (cap > RRULE_EXPAND_MAX)
		cap = RRULE_EXPAND_MAX;
	const int64_t t_max = civil_days_from(RRULE_YEAR_MAX + 1, 1, 1) * CIVIL_DAY;
	if (to > t_max)
		to = t_max;
	if (from >= to)
		return 0;

	int any_byday = 0, any_md = r->bymonthday || r->bymonthday_neg;
	for (int w = 0; w < 7; w++)
		any_byday |= r->byday[w] != 0;
	uint32_t hours = r->byhour ? r->byhour : 1u << dt->hour;
	uint64_t mins = r->byminute ? r->byminute : (uint64_t)1 << dt->minute;
	int hl[24], ml[60], nh = 0, nm = 0;
	for (int h = 0; h < 24; h++)
		if ((hours >> h) & 1)
			hl[nh++] = h;
	for (int m = 0; m < 60; m++)
		if ((mins >> m) & 1)
			ml[nm++] = m;
	slot = px_mallocarray2(31 * (size_t)nh, (size_t)nm, sizeof(*slot));
	if (!slot)
		return PX_E_NOMEM;

	if (tz_from_local(zone, dt, &res)) {
		rc = PX_E_BAD_DATETIME;
		goto out;
	}
	int64_t start_utc = res.utc;
	int64_t d0 = civil_days_from(dt->year, dt->month, dt->day);
	int dt_wd = civil_weekday(d0);
	/* Local dates differ from UTC dates by less than two days. */
	int64_t from_day = civil_floor_div(from, CIVIL_DAY) - 2;
	int64_t to_day = civil_floor_div(to, CIVIL_DAY) + 2;
	int64_t step = r->freq == RRULE_WEEKLY ? 7LL * r->interval : r->interval;
	int64_t base = r->freq == RRULE_WEEKLY ? d0 - (dt_wd - r->wkst + 7) % 7
					       : civil_month_index(dt->year, dt->month);
	int64_t k = 0, counted = 0, last = INT64_MIN;
	if (!r->count) { /* without COUNT, skip straight to the window */
		int64_t y;
		int mo, dd;
		civil_from_days(from_day, &y, &mo, &dd);
		int64_t target = r->freq == RRULE_WEEKLY ? from_day : civil_month_index(y, mo);
		k = civil_floor_div(target - base, step);
		if (k < 0)
			k = 0;
	}

	for (;; k++) {
		int64_t first_day, year;
		int month, len;
		if (r->freq == RRULE_WEEKLY) {
			first_day = base + k * step;
			len = 7;
			int day;
			civil_from_days(first_day, &year, &month, &day);
		} else {
			civil_from_month_index(base + k * step, &year, &month);
			first_day = civil_days_from(year, month, 1);
			len = civil_days_in_month(year, month);
		}
		if (first_day > to_day || year > RRULE_YEAR_MAX ||
		    (r->has_until && first_day > civil_floor_div(r->until, CIVIL_DAY) + 2))
			break;
		size_t ns = 0;
		for (int i = 0; i < len; i++) {
			struct civil_time c = { 0 };
			civil_from_days(first_day + i, &c.year, &c.month, &c.day);
			int wd = civil_weekday(first_day + i);
			int mlen = civil_days_in_month(c.year, c.month);
			if (!day_selected(r, any_byday, any_md, c.day, mlen, wd,
					  dt, dt_wd))
				continue;
			for (int a = 0; a < nh; a++)
				for (int b = 0; b < nm; b++) {
					c.hour = hl[a];
					c.minute = ml[b];
					c.second = dt->second;
					if (tz_from_local(zone, &c, &res))
						continue;
					slot[ns++] = res.utc;
				}
		}
		qsort(slot, ns, sizeof(*slot), cmp_i64);
		for (size_t i = 0; i < ns; i++) {
			int64_t t = slot[i];
			if (t <= last || t < start_utc)
				continue;
			last = t;
			if ((r->has_until && t > r->until) ||
			    (r->count && counted >= r->count) || t >= to)
				goto out;
			counted++;
			if (t < from)
				continue;
			if (*n >= cap) {
				*truncated = 1;
				goto out;
			}
			at[(*n)++] = t;
		}
	}
out:
	free(slot);
	return rc;
}
