/*
 * rrule.c: parsing, canonical form and description of RFC 5545
 * recurrence rules (rrule.h), and their expansion through libical.
 *
 * Invariants of a parsed struct rrule: freq is one of enum rrule_freq;
 * interval in 1..RRULE_INTERVAL_MAX; the RFC's restrictions on which BY
 * parts go with which FREQ hold; count and until never both set; bit
 * masks hold only valid bits; libical accepts the canonical text.
 *
 * Expansion hands libical the canonical text without COUNT and UNTIL and
 * DTSTART as a floating (zone-less) local time; libical yields local
 * times in order. Each becomes an instant through tz_from_local(); a DST
 * gap can move an instant past a later local time by at most a day, so
 * instants wait in a small sorted buffer until no later local time can
 * come before them, and then COUNT, UNTIL, DTSTART and the window apply
 * to the instants, in order, without duplicates.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>
#include <pthread.h>

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

static const char *const freq_code[] = { "", "WEEKLY", "MONTHLY", "DAILY", "YEARLY" };

/* libical's iterator ends with this year (MAX_TIME_T_YEAR in libical 3.0):
 * occurrences are never produced beyond it. */
#define RRULE_YEAR_MIN 1
#define RRULE_YEAR_MAX 2582

#define BIT_SET(words, i) ((words)[(i) / 64] |= (uint64_t)1 << ((i) % 64))
#define BIT_ON(words, i) (((words)[(i) / 64] >> ((i) % 64)) & 1)

static int has_ord(const struct rrule *r, int w, int o)
{
	return o >= 0 ? (int)((r->byday[w] >> o) & 1) : (int)((r->byday_neg[w] >> -o) & 1);
}

static int any_words(const uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i])
			return 1;
	return 0;
}

static int check_with_libical(const struct rrule *r);

/* ---- parsing ---- */

struct parse_state {
	struct rrule *r;
	struct px_error *err;
	unsigned seen;
	int has_ordinal;
	int max_ordinal; /* largest |ordinal| in BYDAY */
	char ord_text[16]; /* the item that has it */
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
	for (int f = RRULE_WEEKLY; f <= RRULE_YEARLY; f++)
		if (!strcmp(v, freq_code[f])) {
			st->r->freq = f;
			return 0;
		}
	if (!strcmp(v, "SECONDLY") || !strcmp(v, "MINUTELY") || !strcmp(v, "HOURLY"))
		return bad(st, "%s: meetings repeat daily at most, not '%s';"
			   " name the times of day with BYHOUR and BYMINUTE", part, v);
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
		int lim = st->r->freq == RRULE_YEARLY || !st->r->freq ? 53 : 5;
		if (num_parse_i64(num, -lim, lim, &ord) || ord == 0)
			return bad(st, "%s: ordinal in '%s' must be 1 to %d or -1 to -%d",
				   part, v, lim, lim);
		/* the limit for MONTHLY is checked once FREQ is known */
		if ((ord < 0 ? -ord : ord) > st->max_ordinal) {
			st->max_ordinal = (int)(ord < 0 ? -ord : ord);
			snprintf(st->ord_text, sizeof(st->ord_text), "%s", v);
		}
		st->has_ordinal = 1;
	}
	if (ord >= 0)
		st->r->byday[d] |= (uint64_t)1 << ord;
	else
		st->r->byday_neg[d] |= (uint64_t)1 << -ord;
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

static int bysecond_item(struct parse_state *st, const char *part, char *v)
{
	int64_t x;
	int rc = int_in(st, part, v, 0, 60, &x);
	if (!rc)
		st->r->bysecond |= (uint64_t)1 << x;
	return rc;
}

static int bymonth_item(struct parse_state *st, const char *part, char *v)
{
	int64_t m;
	int rc = int_in(st, part, v, 1, 12, &m);
	if (!rc)
		st->r->bymonth |= 1u << m;
	return rc;
}

static int byweekno_item(struct parse_state *st, const char *part, char *v)
{
	int64_t w;
	if (num_parse_i64(v, -53, 53, &w) || w == 0)
		return bad(st, "%s: '%s' must be 1 to 53 or -1 to -53", part, v);
	if (w > 0)
		st->r->byweekno |= (uint64_t)1 << w;
	else
		st->r->byweekno_neg |= (uint64_t)1 << -w;
	return 0;
}

static int byyearday_item(struct parse_state *st, const char *part, char *v)
{
	int64_t d;
	if (num_parse_i64(v, -366, 366, &d) || d == 0)
		return bad(st, "%s: '%s' must be 1 to 366 or -1 to -366", part, v);
	if (d > 0)
		BIT_SET(st->r->byyearday, d);
	else
		BIT_SET(st->r->byyearday_neg, -d);
	return 0;
}

static int bysetpos_item(struct parse_state *st, const char *part, char *v)
{
	int64_t p;
	if (num_parse_i64(v, -366, 366, &p) || p == 0)
		return bad(st, "%s: '%s' must be 1 to 366 or -1 to -366", part, v);
	if (p > 0)
		BIT_SET(st->r->bysetpos, p);
	else
		BIT_SET(st->r->bysetpos_neg, -p);
	return 0;
}

static int p_bysecond(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, bysecond_item);
}

static int p_bymonth(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, bymonth_item);
}

static int p_byweekno(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, byweekno_item);
}

static int p_byyearday(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, byyearday_item);
}

static int p_bysetpos(struct parse_state *st, const char *part, char *v)
{
	return each_item(st, part, v, bysetpos_item);
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
	{ "BYSECOND", p_bysecond }, { "BYYEARDAY", p_byyearday },
	{ "BYWEEKNO", p_byweekno }, { "BYMONTH", p_bymonth },
	{ "BYSETPOS", p_bysetpos },
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
	int rc;
	struct parse_state st = { &r, err, 0, 0, 0, "" };
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
		rc = parse_part(&st, p);
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
	if ((r.freq == RRULE_WEEKLY || r.freq == RRULE_DAILY) && st.has_ordinal)
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYDAY: ordinals such as 1MO need FREQ=MONTHLY");
	if (r.freq == RRULE_MONTHLY && st.max_ordinal > 5)
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYDAY: ordinal in '%s' must be 1 to 5 or -1 to -5",
			       st.ord_text);
	if (r.freq == RRULE_YEARLY && st.has_ordinal && (r.byweekno || r.byweekno_neg))
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYDAY: ordinals such as 1MO cannot be combined with BYWEEKNO");
	if (r.freq != RRULE_YEARLY && (r.byweekno || r.byweekno_neg))
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYWEEKNO: only allowed with FREQ=YEARLY");
	if (r.freq != RRULE_YEARLY && (any_words(r.byyearday, 6) ||
				       any_words(r.byyearday_neg, 6)))
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "BYYEARDAY: only allowed with FREQ=YEARLY");
	if (any_words(r.bysetpos, 6) || any_words(r.bysetpos_neg, 6)) {
		int other = r.bymonthday || r.bymonthday_neg || r.byhour || r.byminute ||
			    r.bysecond || r.bymonth || r.byweekno || r.byweekno_neg ||
			    any_words(r.byyearday, 6) || any_words(r.byyearday_neg, 6);
		for (int w = 0; w < 7; w++)
			other |= r.byday[w] || r.byday_neg[w];
		if (!other)
			return px_fail(err, PX_E_BAD_RRULE, "rrule",
				       "BYSETPOS: needs another BY part to choose from");
		if (r.freq != RRULE_MONTHLY && r.freq != RRULE_YEARLY)
			return px_fail(err, PX_E_BAD_RRULE, "rrule",
				       "BYSETPOS: pnyx accepts it with FREQ=MONTHLY or YEARLY");
		if (__builtin_popcount(r.byhour) > 1 || __builtin_popcountll(r.byminute) > 1 ||
		    __builtin_popcountll(r.bysecond) > 1)
			return px_fail(err, PX_E_BAD_RRULE, "rrule",
				       "BYSETPOS: pnyx accepts it with one time of day only");
	}
	if (r.bymonthday || r.bymonthday_neg) {
		static const int longest[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int meet = 0;
		for (int m = 1; m <= 12; m++) {
			if (r.bymonth && !((r.bymonth >> m) & 1))
				continue;
			uint32_t fits = (uint32_t)(((uint64_t)2 << longest[m]) - 2);
			meet |= ((r.bymonthday | r.bymonthday_neg) & fits) != 0;
		}
		if (!meet)
			return px_fail(err, PX_E_BAD_RRULE, "rrule",
				       "BYMONTHDAY: no month named in BYMONTH has such a day");
	}
	if ((rc = check_with_libical(&r)))
		return px_fail(err, PX_E_BAD_RRULE, "rrule",
			       "the rule is not one the calendar library accepts");
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

/* A signed list: negatives from -max up, then positives; pos and neg are
 * bit sets of `words` 64-bit words. */
static int add_signed_list(struct strbuf *sb, const char *name, const uint64_t *pos,
			   const uint64_t *neg, size_t words, int max)
{
	int rc = 0, first = 1;
	if (!any_words(pos, words) && !any_words(neg, words))
		return 0;
	rc = sb_addf(sb, ";%s=", name);
	for (int d = -max; d <= max && !rc; d++) {
		int on = d < 0 ? (int)BIT_ON(neg, -d) : d > 0 && BIT_ON(pos, d);
		if (on) {
			rc = sb_addf(sb, first ? "%d" : ",%d", d);
			first = 0;
		}
	}
	return rc;
}

/* with_end = 0 leaves COUNT and UNTIL out (the text given to libical). */
static int format(const struct rrule *r, struct strbuf *sb, int with_end)
{
	int rc = sb_addf(sb, "FREQ=%s", freq_code[r->freq]);
	if (!rc && r->interval > 1)
		rc = sb_addf(sb, ";INTERVAL=%d", r->interval);
	if (!rc && with_end && r->count)
		rc = sb_addf(sb, ";COUNT=%lld", (long long)r->count);
	if (!rc && with_end && r->has_until) {
		struct civil_time t;
		civil_from_seconds(r->until, &t);
		rc = sb_addf(sb, ";UNTIL=%04lld%02d%02dT%02d%02d%02dZ",
			     (long long)t.year, t.month, t.day, t.hour,
			     t.minute, t.second);
	}
	if (!rc)
		rc = add_mask_list(sb, "BYMONTH", r->bymonth, 1, 12);
	if (!rc)
		rc = add_signed_list(sb, "BYWEEKNO", &r->byweekno, &r->byweekno_neg, 1, 53);
	if (!rc)
		rc = add_signed_list(sb, "BYYEARDAY", r->byyearday, r->byyearday_neg, 6, 366);
	if (!rc) {
		uint64_t pos = r->bymonthday, neg = r->bymonthday_neg;
		rc = add_signed_list(sb, "BYMONTHDAY", &pos, &neg, 1, 31);
	}
	int any = 0;
	for (int w = 0; w < 7; w++)
		any |= r->byday[w] || r->byday_neg[w];
	if (!rc && any) {
		int first = 1;
		rc = sb_adds(sb, ";BYDAY=");
		for (int w = 0; w < 7 && !rc; w++)
			for (int o = -53; o <= 53 && !rc; o++) {
				if (!has_ord(r, w, o))
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
	if (!rc)
		rc = add_mask_list(sb, "BYSECOND", r->bysecond, 0, 60);
	if (!rc)
		rc = add_signed_list(sb, "BYSETPOS", r->bysetpos, r->bysetpos_neg, 6, 366);
	if (!rc && r->wkst)
		rc = sb_addf(sb, ";WKST=%s", day_code[r->wkst]);
	return rc;
}

int rrule_format(const struct rrule *r, struct strbuf *sb)
{
	return format(r, sb, 1);
}

/* ---- libical ---- */

static pthread_once_t ical_once = PTHREAD_ONCE_INIT;

static void ical_init(void)
{
	/* libical's errors are reported through icalerrno, never by abort() */
	icalerror_set_errors_are_fatal(0);
}

/* libical's reading of the rule (without COUNT and UNTIL, which pnyx
 * applies to instants). Returns 0 or PX_E_BAD_RRULE / PX_E_NOMEM. */
static int to_libical(const struct rrule *r, struct icalrecurrencetype *out)
{
	struct strbuf sb;
	int rc;

	pthread_once(&ical_once, ical_init);
	sb_init(&sb, RRULE_TEXT_MAX * 4);
	if ((rc = format(r, &sb, 0))) {
		sb_release(&sb);
		return rc;
	}
	icalerror_clear_errno();
	*out = icalrecurrencetype_from_string(sb.buf);
	sb_release(&sb);
	if (out->freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		rc = icalerrno == ICAL_NEWFAILED_ERROR ? PX_E_NOMEM : PX_E_BAD_RRULE;
		icalerror_clear_errno();
		return rc;
	}
	return 0;
}

static int check_with_libical(const struct rrule *r)
{
	struct icalrecurrencetype rec;
	return to_libical(r, &rec);
}

/* ---- description ---- */

static const char *const month_name[13] = { "", "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

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

/* "first", "last", "second-to-last"; beyond five "20th", "20th-to-last". */
static int add_ord(struct strbuf *sb, int n)
{
	static const char *const pos[] = { "", "first", "second", "third", "fourth", "fifth" };
	static const char *const neg[] = { "", "last", "second-to-last",
		"third-to-last", "fourth-to-last", "fifth-to-last" };
	if (n > 0 && n <= 5)
		return sb_adds(sb, pos[n]);
	if (n < 0 && n >= -5)
		return sb_adds(sb, neg[-n]);
	if (n > 0)
		return sb_addf(sb, "%d%s", n, suffix(n));
	return sb_addf(sb, "%d%s-to-last", -n, suffix(-n));
}

/* Join items: "a", "a and b", "a, b and c". */
static int add_joined(struct strbuf *sb, size_t i, size_t n)
{
	if (i == 0)
		return 0;
	return sb_adds(sb, i + 1 == n ? " and " : ", ");
}

static int describe_weekdays(const struct rrule *r, struct strbuf *sb,
			     const char *joiner);

static int describe_byday(const struct rrule *r, struct strbuf *sb)
{
	size_t n = 0, i = 0;
	int rc = 0, plain = 1;
	for (int w = 0; w < 7; w++) {
		n += r->byday[w] || r->byday_neg[w];
		if ((r->byday[w] || r->byday_neg[w]) && (r->byday[w] != 1 || r->byday_neg[w]))
			plain = 0;
	}
	if (plain && n > 1) { /* "every Monday, Tuesday and Friday" */
		rc = sb_adds(sb, "every ");
		return rc ? rc : describe_weekdays(r, sb, " and ");
	}
	for (int w = 0; w < 7 && !rc; w++) {
		if (!r->byday[w] && !r->byday_neg[w])
			continue;
		rc = add_joined(sb, i++, n);
		if (!rc && has_ord(r, w, 0)) {
			rc = sb_addf(sb, "every %s", day_name[w]);
			continue;
		}
		/* "first and third Monday", positive ordinals before "last". */
		size_t k = 0, total = (size_t)__builtin_popcountll(r->byday[w]) +
				     (size_t)__builtin_popcountll(r->byday_neg[w]);
		for (int o = 1; o <= 53 && !rc; o++)
			if (has_ord(r, w, o) && !(rc = add_joined(sb, k++, total)))
				rc = add_ord(sb, o);
		for (int o = -53; o <= -1 && !rc; o++)
			if (has_ord(r, w, o) && !(rc = add_joined(sb, k++, total)))
				rc = add_ord(sb, o);
		if (!rc)
			rc = sb_addf(sb, " %s", day_name[w]);
	}
	return rc;
}

/* The days of a signed list: "the 1st, the 15th and the last day". */
static int describe_days(struct strbuf *sb, const uint64_t *pos, const uint64_t *neg,
			 int max, const char *unit)
{
	size_t n = 0, i = 0;
	int rc = 0;
	for (int d = 1; d <= max; d++)
		n += BIT_ON(pos, d) + BIT_ON(neg, d);
	for (int d = 1; d <= max && !rc; d++)
		if (BIT_ON(pos, d) && !(rc = add_joined(sb, i++, n)))
			rc = sb_addf(sb, "the %d%s%s", d, suffix(d), unit);
	for (int d = max; d >= 1 && !rc; d--)
		if (BIT_ON(neg, d) && !(rc = add_joined(sb, i++, n))) {
			if (d <= 5) {
				rc = sb_adds(sb, "the ");
				if (!rc)
					rc = add_ord(sb, -d);
				if (!rc)
					rc = sb_adds(sb, " day");
			} else {
				rc = sb_addf(sb, "the %d%s day from the end", d, suffix(d));
			}
		}
	return rc;
}

static int describe_monthdays(const struct rrule *r, struct strbuf *sb)
{
	uint64_t pos = r->bymonthday, neg = r->bymonthday_neg;
	return describe_days(sb, &pos, &neg, 31, "");
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

static int describe_weekdays(const struct rrule *r, struct strbuf *sb,
			     const char *joiner)
{
	int n = 0, i = 0, rc = 0;
	for (int w = 0; w < 7; w++)
		n += r->byday[w] != 0;
	for (int w = 0; w < 7 && !rc; w++)
		if (r->byday[w]) {
			if (i++)
				rc = sb_adds(sb, i == n ? joiner : ", ");
			if (!rc)
				rc = sb_adds(sb, day_name[w]);
		}
	return rc;
}

static int describe_months(const struct rrule *r, struct strbuf *sb)
{
	size_t n = (size_t)__builtin_popcount(r->bymonth), i = 0;
	int rc = n ? sb_adds(sb, " in ") : 0;
	for (int m = 1; m <= 12 && !rc; m++)
		if (((r->bymonth >> m) & 1) && !(rc = add_joined(sb, i++, n)))
			rc = sb_adds(sb, month_name[m]);
	return rc;
}

static int describe_weekly(const struct rrule *r, const struct civil_time *dt,
			   struct strbuf *sb)
{
	struct rrule one = *r;
	int any_byday = 0, rc;
	for (int w = 0; w < 7; w++)
		any_byday |= r->byday[w] != 0;
	if (!any_byday)
		one.byday[civil_weekday_of(dt->year, dt->month, dt->day)] = 1;
	int ndays = 0;
	for (int w = 0; w < 7; w++)
		ndays += one.byday[w] != 0;
	if (r->interval == 1) {
		rc = sb_adds(sb, "every ");
		return rc ? rc : describe_weekdays(&one, sb, " and ");
	}
	if (ndays == 1) {
		int w = 0;
		while (!one.byday[w])
			w++;
		return sb_addf(sb, "every %d%s %s", r->interval, suffix(r->interval),
			       day_name[w]);
	}
	rc = sb_addf(sb, "every %d%s week on ", r->interval, suffix(r->interval));
	return rc ? rc : describe_weekdays(&one, sb, " and ");
}

/* BYSETPOS: "the first and the last of " before the days it picks from. */
static int describe_setpos(const struct rrule *r, struct strbuf *sb)
{
	size_t n = 0, i = 0;
	int rc = 0;
	for (int p = 1; p <= 366; p++)
		n += BIT_ON(r->bysetpos, p) + BIT_ON(r->bysetpos_neg, p);
	for (int p = 1; p <= 366 && !rc; p++)
		if (BIT_ON(r->bysetpos, p) && !(rc = add_joined(sb, i++, n)) &&
		    !(rc = sb_adds(sb, "the ")))
			rc = add_ord(sb, p);
	for (int p = 366; p >= 1 && !rc; p--)
		if (BIT_ON(r->bysetpos_neg, p) && !(rc = add_joined(sb, i++, n)) &&
		    !(rc = sb_adds(sb, "the ")))
			rc = add_ord(sb, -p);
	return rc || !n ? rc : sb_adds(sb, " of ");
}

/* MONTHLY and YEARLY: the days chosen, then the period. */
static int describe_days_of_period(const struct rrule *r, const struct civil_time *dt,
				   struct strbuf *sb)
{
	int rc = 0, any_byday = 0;
	for (int w = 0; w < 7; w++)
		any_byday |= r->byday[w] || r->byday_neg[w];
	int any_md = r->bymonthday || r->bymonthday_neg;
	int any_yd = any_words(r->byyearday, 6) || any_words(r->byyearday_neg, 6);
	int any_wn = r->byweekno || r->byweekno_neg;
	int yearly = r->freq == RRULE_YEARLY;

	rc = describe_setpos(r, sb);
	if (!rc && any_yd) {
		rc = describe_days(sb, r->byyearday, r->byyearday_neg, 366, " day");
		if (!rc)
			rc = sb_adds(sb, " of the year");
		if (!rc && (any_byday || any_md))
			rc = sb_adds(sb, " falling on ");
	}
	if (!rc && any_byday)
		rc = describe_byday(r, sb);
	if (!rc && any_byday && any_md)
		rc = sb_adds(sb, " falling on ");
	if (!rc && any_md)
		rc = describe_monthdays(r, sb);
	if (!rc && !any_byday && !any_md && !any_yd) {
		if (yearly && !r->bymonth && !any_wn)
			rc = sb_addf(sb, "%d %s", dt->day, month_name[dt->month]);
		else if (yearly && any_wn)
			rc = sb_addf(sb, "every %s", day_name[civil_weekday_of(dt->year,
						dt->month, dt->day)]);
		else
			rc = sb_addf(sb, "the %d%s", dt->day, suffix(dt->day));
	}
	if (!rc && any_wn) {
		uint64_t pos = r->byweekno, neg = r->byweekno_neg;
		size_t n = (size_t)__builtin_popcountll(pos) + (size_t)__builtin_popcountll(neg);
		rc = sb_adds(sb, n > 1 ? " of weeks " : " of week ");
		size_t i = 0;
		for (int w = 1; w <= 53 && !rc; w++)
			if (BIT_ON(&pos, w) && !(rc = add_joined(sb, i++, n)))
				rc = sb_addf(sb, "%d", w);
		for (int w = 53; w >= 1 && !rc; w--)
			if (BIT_ON(&neg, w) && !(rc = add_joined(sb, i++, n)))
				rc = w == 1 ? sb_adds(sb, "the last")
					    : sb_addf(sb, "%d from the end", w);
	}
	if (!rc)
		rc = describe_months(r, sb);
	const char *unit = yearly ? "year" : "month";
	if (!rc && r->interval == 1)
		rc = sb_addf(sb, yearly || r->bymonth ? " every %s" : " of each %s", unit);
	else if (!rc)
		rc = sb_addf(sb, yearly || r->bymonth ? " every %d%s %s" : " of every %d%s %s",
			     r->interval, suffix(r->interval), unit);
	return rc;
}

static int describe_daily(const struct rrule *r, struct strbuf *sb)
{
	int rc, any_byday = 0;
	for (int w = 0; w < 7; w++)
		any_byday |= r->byday[w] != 0;
	if (r->interval == 1 && any_byday && !r->bymonthday && !r->bymonthday_neg) {
		rc = sb_adds(sb, "every ");
		if (!rc)
			rc = describe_weekdays(r, sb, " and ");
		return rc ? rc : describe_months(r, sb);
	}
	rc = r->interval == 1 ? sb_adds(sb, "every day")
			      : sb_addf(sb, "every %d%s day", r->interval, suffix(r->interval));
	if (!rc && any_byday) {
		rc = sb_adds(sb, " that is a ");
		if (!rc)
			rc = describe_weekdays(r, sb, " or ");
	}
	if (!rc && (r->bymonthday || r->bymonthday_neg)) {
		rc = sb_adds(sb, " falling on ");
		if (!rc)
			rc = describe_monthdays(r, sb);
	}
	return rc ? rc : describe_months(r, sb);
}

int rrule_describe(const struct rrule *r, const struct civil_time *dt,
		   struct strbuf *sb)
{
	int rc;
	if (r->freq == RRULE_WEEKLY) {
		rc = describe_weekly(r, dt, sb);
		if (!rc)
			rc = describe_months(r, sb);
	} else if (r->freq == RRULE_DAILY) {
		rc = describe_daily(r, sb);
	} else {
		rc = describe_days_of_period(r, dt, sb);
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

/* Instants produced by libical wait here until no later local time can
 * give an earlier instant: a local time L becomes an instant within a day
 * and a half of L read as UTC (offsets are under 26 hours, a gap shift
 * under a day), so an instant more than SETTLE before the newest L read
 * as UTC is final. */
#define SETTLE (3 * CIVIL_DAY)

struct expansion {
	const struct rrule *r;
	int64_t start_utc, from, to;
	int64_t *at;
	size_t cap, *n;
	int *truncated;
	int64_t last, counted;
	int done;
	int64_t *pend; /* sorted ascending */
	size_t npend, pend_cap;
};

/* Take one final instant, in ascending order. */
static void take(struct expansion *x, int64_t t)
{
	if (x->done || t <= x->last || t < x->start_utc)
		return;
	x->last = t;
	if ((x->r->has_until && t > x->r->until) ||
	    (x->r->count && x->counted >= x->r->count) || t >= x->to) {
		x->done = 1;
		return;
	}
	x->counted++;
	if (t < x->from)
		return;
	if (*x->n >= x->cap) {
		*x->truncated = 1;
		x->done = 1;
		return;
	}
	x->at[(*x->n)++] = t;
}

/* Take the waiting instants below `below`. */
static void settle(struct expansion *x, int64_t below)
{
	size_t k = 0;
	while (k < x->npend && x->pend[k] < below)
		take(x, x->pend[k++]);
	if (!k)
		return;
	memmove(x->pend, x->pend + k, (x->npend - k) * sizeof(*x->pend));
	x->npend -= k;
}

static int wait_add(struct expansion *x, int64_t t)
{
	if (x->npend == x->pend_cap) {
		size_t cap = x->pend_cap ? x->pend_cap * 2 : 64;
		int64_t *p = px_reallocarray(x->pend, cap, sizeof(*p));
		if (!p)
			return PX_E_NOMEM;
		x->pend = p;
		x->pend_cap = cap;
	}
	size_t i = x->npend;
	while (i > 0 && x->pend[i - 1] > t) {
		x->pend[i] = x->pend[i - 1];
		i--;
	}
	x->pend[i] = t;
	x->npend++;
	return 0;
}

static struct icaltimetype ical_local(const struct civil_time *c)
{
	struct icaltimetype t = icaltime_null_time();
	t.year = (int)c->year;
	t.month = c->month;
	t.day = c->day;
	t.hour = c->hour;
	t.minute = c->minute;
	t.second = c->second;
	t.is_date = 0;
	t.zone = NULL; /* floating: pnyx turns local times into instants */
	return t;
}

int rrule_expand(const struct rrule *r, const struct civil_time *dt,
		 const struct tz_zone *zone, int64_t from, int64_t to,
		 int64_t *at, size_t cap, size_t *n, int *truncated)
{
	struct icalrecurrencetype rec;
	struct tz_resolved res;
	icalrecur_iterator *it = NULL;
	int rc;

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
	if (tz_from_local(zone, dt, &res))
		return PX_E_BAD_DATETIME;
	if ((rc = to_libical(r, &rec)))
		return rc == PX_E_NOMEM ? rc : PX_E_BAD_DATETIME;

	struct expansion x = { r, res.utc, from, to, at, cap, n, truncated,
			       INT64_MIN, 0, 0, NULL, 0, 0 };
	icalerror_clear_errno();
	it = icalrecur_iterator_new(rec, ical_local(dt));
	if (!it) {
		/* libical refuses a rule that can never match (April 31st every
		 * year): its set is empty. */
		rc = icalerrno == ICAL_NEWFAILED_ERROR ? PX_E_NOMEM : 0;
		icalerror_clear_errno();
		return rc;
	}
	/* Without COUNT, the set before the window does not matter: start
	 * libical close to it (a local time SETTLE before `from` read as
	 * UTC comes before any instant of the window). */
	if (!r->count && from > INT64_MIN + SETTLE && from - SETTLE > res.utc + SETTLE) {
		struct civil_time s;
		civil_from_seconds(from - SETTLE, &s);
		if (s.year <= RRULE_YEAR_MAX)
			(void)icalrecur_iterator_set_start(it, ical_local(&s));
	}
	int64_t stop = to;
	if (r->has_until && r->until < stop)
		stop = r->until + 1;
	while (!x.done) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		struct civil_time c = { t.year, t.month, t.day, t.hour, t.minute, t.second };
		if (c.second > 59)
			c.second = 59; /* BYSECOND=60: a leap second is not POSIX time */
		if (!civil_valid(&c))
			continue;
		int64_t naive = civil_to_seconds(&c);
		settle(&x, naive - SETTLE);
		if (naive - SETTLE >= stop)
			break;
		if (tz_from_local(zone, &c, &res))
			continue;
		if ((rc = wait_add(&x, res.utc)))
			break;
	}
	if (!rc)
		settle(&x, INT64_MAX);
	icalrecur_iterator_free(it);
	free(x.pend);
	icalerror_clear_errno();
	return rc;
}
