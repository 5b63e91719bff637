/*
 * tzif.c: TZif (RFC 8536) and POSIX TZ string parsing, and the two
 * conversions between UTC instants and local civil time.
 *
 * Invariants of a parsed zone: at least one time type; transitions strictly
 * increasing; every transition names an existing type; every offset lies
 * within +-TZ_OFF_MAX seconds (which bounds the search window of
 * tz_from_local); abbreviations are NUL-terminated copies. All reads of the
 * input go through a bounds-checked cursor, so a truncated or hostile
 * buffer is refused, never over-read.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "errors.h"
#include "tzif.h"
#include "banned.h"

/* RFC 8536 section 3.2: offsets should lie in [-89999, 93599]. We accept a
 * little more and rely on the bound in tz_from_local(). */
#define TZ_OFF_MAX 99999
/* Instants handled at all: beyond these the civil year would pass
 * CIVIL_YEAR_MAX. Transitions in a file may lie anywhere. */
#define TZ_T_LIMIT (CIVIL_YEAR_MAX * 365LL * CIVIL_DAY)
#define TZ_FOOTER_MAX 255

struct tz_type {
	int32_t utoff;
	int isdst;
	char abbr[TZ_ABBR_MAX + 1];
};

/* One rule date of a POSIX TZ string: Jn, n or Mm.w.d, and a time of day
 * in seconds (RFC 8536 allows -167..167 hours). */
struct tz_rule {
	char kind; /* 'J', 'N' or 'M' */
	int n, m, w, d;
	int32_t time;
};

struct tz_posix {
	int present;
	int has_dst;
	struct tz_type std, dst;
	struct tz_rule start, end;
};

struct tz_zone {
	size_t ntrans;
	int64_t *trans;
	unsigned char *idx;
	size_t ntypes;
	struct tz_type *types;
	struct tz_posix footer;
};

/* ---- POSIX TZ strings ---- */

static int posix_name(const char **pp, char *out)
{
	const char *p = *pp;
	size_t n = 0;
	if (*p == '<') {
		p++;
		while (*p && *p != '>') {
			char c = *p;
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			      (c >= '0' && c <= '9') || c == '+' || c == '-'))
				return -1;
			if (n < TZ_ABBR_MAX)
				out[n++] = c;
			p++;
		}
		if (*p != '>')
			return -1;
		p++;
	} else {
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
			if (n < TZ_ABBR_MAX)
				out[n++] = *p;
			p++;
		}
	}
	if (n < 1)
		return -1;
	out[n] = '\0';
	*pp = p;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hours up to max_h; returns seconds. */
static int posix_hms(const char **pp, int max_h, int32_t *out)
{
	const char *p = *pp;
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	int32_t part[3] = { 0, 0, 0 };
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*p != ':')
				break;
			p++;
		}
		int digits = 0;
		int32_t v = 0;
		while (*p >= '0' && *p <= '9' && digits < 3) {
			v = v * 10 + (*p++ - '0');
			digits++;
		}
		if (!digits || (i > 0 && (digits != 2 || v > 59)))
			return -1;
		part[i] = v;
	}
	if (part[0] > max_h)
		return -1;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*pp = p;
	return 0;
}

static int posix_num(const char **pp, int lo, int hi, int *out)
{
	const char *p = *pp;
	int v = 0, digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 4) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || v < lo || v > hi)
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

static int posix_rule(const char **pp, struct tz_rule *r)
{
	const char *p = *pp;
	memset(r, 0, sizeof(*r));
	if (*p == 'J') {
		p++;
		r->kind = 'J';
		if (posix_num(&p, 1, 365, &r->n))
			return -1;
	} else if (*p == 'M') {
		p++;
		r->kind = 'M';
		if (posix_num(&p, 1, 12, &r->m) || *p++ != '.' ||
		    posix_num(&p, 1, 5, &r->w) || *p++ != '.' ||
		    posix_num(&p, 0, 6, &r->d))
			return -1;
	} else {
		r->kind = 'N';
		if (posix_num(&p, 0, 365, &r->n))
			return -1;
	}
	r->time = 2 * 3600;
	if (*p == '/') {
		p++;
		if (posix_hms(&p, 167, &r->time))
			return -1;
	}
	*pp = p;
	return 0;
}

static int posix_parse(const char *s, struct tz_posix *z)
{
	const char *p = s;
	int32_t off;
	memset(z, 0, sizeof(*z));
	if (posix_name(&p, z->std.abbr) || posix_hms(&p, 24, &off))
		return -1;
	z->std.utoff = -off; /* POSIX counts hours west of Greenwich */
	z->present = 1;
	if (!*p)
		return 0;
	if (posix_name(&p, z->dst.abbr))
		return -1;
	z->has_dst = 1;
	z->dst.isdst = 1;
	z->dst.utoff = z->std.utoff + 3600;
	if (*p && *p != ',') {
		if (posix_hms(&p, 24, &off))
			return -1;
		z->dst.utoff = -off;
	}
	if (!*p) {
		/* No rule: the POSIX default, today's United States rule. */
		const char *def = "M3.2.0,M11.1.0";
		if (posix_rule(&def, &z->start) || *def++ != ',' ||
		    posix_rule(&def, &z->end))
			return -1;
		return 0;
	}
	if (*p++ != ',' || posix_rule(&p, &z->start) || *p++ != ',' ||
	    posix_rule(&p, &z->end) || *p)
		return -1;
	return 0;
}

/* The day (from 1970-01-01) a rule names in a given year. */
static int64_t rule_day(const struct tz_rule *r, int64_t year)
{
	int64_t jan1 = civil_days_from(year, 1, 1);
	if (r->kind == 'J')
		return jan1 + r->n - 1 + (civil_is_leap(year) && r->n >= 60);
	if (r->kind == 'N')
		return jan1 + r->n;
	int64_t first = civil_days_from(year, r->m, 1);
	int want = (r->d + 6) % 7; /* POSIX 0 = Sunday; ours 0 = Monday */
	int64_t day = first + (want - civil_weekday(first) + 7) % 7 + (r->w - 1) * 7;
	int64_t end = first + civil_days_in_month(year, r->m);
	while (day >= end)
		day -= 7;
	return day;
}

static void footer_bounds(const struct tz_posix *f, int64_t year,
			  int64_t *start, int64_t *end)
{
	*start = rule_day(&f->start, year) * CIVIL_DAY + f->start.time - f->std.utoff;
	*end = rule_day(&f->end, year) * CIVIL_DAY + f->end.time - f->dst.utoff;
}

static int64_t std_year(const struct tz_posix *f, int64_t t)
{
	struct civil_time c;
	civil_from_seconds(t + f->std.utoff, &c);
	return c.year;
}

/*
 * The footer rule as a sequence of events: in every year a DST start and a
 * DST end. The state at t is set by the latest event at or before t (a
 * start wins a tie, so "0/0,J365/25" is DST all year). Reading the rule
 * this way, rather than "start <= t < end within t's year", keeps the
 * state consistent with footer_next() even for odd rules whose order of
 * start and end differs from year to year. Event times may lie up to a
 * week outside their year (hours up to 167), hence two years either side.
 */
static const struct tz_type *footer_type(const struct tz_posix *f, int64_t t)
{
	if (!f->has_dst)
		return &f->std;
	int64_t y = std_year(f, t), best = INT64_MIN;
	int dst = 0;
	for (int64_t yy = y - 2; yy <= y + 2; yy++) {
		int64_t s, e;
		footer_bounds(f, yy, &s, &e);
		if (e <= t && e > best) {
			best = e;
			dst = 0;
		}
		if (s <= t && s >= best) {
			best = s;
			dst = 1;
		}
	}
	return dst ? &f->dst : &f->std;
}

static int footer_next(const struct tz_posix *f, int64_t t, int64_t *next)
{
	if (!f->present || !f->has_dst)
		return 0;
	int64_t y = std_year(f, t), best = 0;
	int found = 0;
	for (int64_t yy = y - 2; yy <= y + 2; yy++) {
		int64_t c[2];
		footer_bounds(f, yy, &c[0], &c[1]);
		for (int i = 0; i < 2; i++)
			if (c[i] > t && (!found || c[i] < best)) {
				best = c[i];
				found = 1;
			}
	}
	if (found)
		*next = best;
	return found;
}

/* ---- TZif ---- */

struct cursor {
	const unsigned char *p;
	size_t left;
};

static const unsigned char *take(struct cursor *c, uint64_t n)
{
	if (n > c->left)
		return NULL;
	const unsigned char *p = c->p;
	c->p += n;
	c->left -= (size_t)n;
	return p;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
	return (int64_t)v;
}

struct tzif_header {
	int version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int read_header(struct cursor *c, struct tzif_header *h,
		       struct px_error *err)
{
	const unsigned char *p = take(c, 44);
	if (!p)
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "truncated header");
	if (memcmp(p, "TZif", 4))
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "bad magic");
	if (p[4] != 0 && (p[4] < '2' || p[4] > '4'))
		return px_fail(err, PX_E_BAD_TZIF, "tzif",
			       "unknown version 0x%02x", p[4]);
	h->version = p[4] ? p[4] - '0' : 1;
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->typecnt == 0 || h->charcnt == 0)
		return px_fail(err, PX_E_BAD_TZIF, "tzif",
			       "no time types or no abbreviations");
	if ((h->isutcnt && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt && h->isstdcnt != h->typecnt))
		return px_fail(err, PX_E_BAD_TZIF, "tzif",
			       "indicator counts differ from the type count");
	if (h->typecnt > 256)
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "more than 256 time types");
	return 0;
}

static uint64_t block_size(const struct tzif_header *h, int tsize)
{
	return (uint64_t)h->timecnt * (uint64_t)(tsize + 1) +
	       (uint64_t)h->typecnt * 6 + h->charcnt +
	       (uint64_t)h->leapcnt * (uint64_t)(tsize + 4) +
	       h->isstdcnt + h->isutcnt;
}

static int read_block(struct cursor *c, const struct tzif_header *h, int tsize,
		      struct tz_zone *z, struct px_error *err)
{
	if (block_size(h, tsize) > c->left)
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "truncated data block");
	if (h->leapcnt)
		return px_fail(err, PX_E_BAD_TZIF, "tzif",
			       "leap-second zones are not supported");
	const unsigned char *times = take(c, (uint64_t)h->timecnt * tsize);
	const unsigned char *idx = take(c, h->timecnt);
	const unsigned char *types = take(c, (uint64_t)h->typecnt * 6);
	const unsigned char *chars = take(c, h->charcnt);
	take(c, (uint64_t)h->isstdcnt + h->isutcnt);

	z->ntrans = h->timecnt;
	z->ntypes = h->typecnt;
	z->trans = px_mallocarray(h->timecnt ? h->timecnt : 1, sizeof(*z->trans));
	z->idx = malloc(h->timecnt ? h->timecnt : 1);
	z->types = calloc(h->typecnt, sizeof(*z->types));
	if (!z->trans || !z->idx || !z->types)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	for (size_t i = 0; i < h->timecnt; i++) {
		z->trans[i] = tsize == 8 ? be64(times + i * 8)
					 : (int64_t)(int32_t)be32(times + i * 4);
		if (i > 0 && z->trans[i] <= z->trans[i - 1])
			return px_fail(err, PX_E_BAD_TZIF, "tzif",
				       "transition times not increasing");
		if (idx[i] >= h->typecnt)
			return px_fail(err, PX_E_BAD_TZIF, "tzif",
				       "transition names a missing type");
		z->idx[i] = idx[i];
	}
	for (size_t i = 0; i < h->typecnt; i++) {
		const unsigned char *t = types + i * 6;
		int32_t off = (int32_t)be32(t);
		if (off < -TZ_OFF_MAX || off > TZ_OFF_MAX)
			return px_fail(err, PX_E_BAD_TZIF, "tzif",
				       "UTC offset out of range");
		if (t[4] > 1 || t[5] >= h->charcnt)
			return px_fail(err, PX_E_BAD_TZIF, "tzif", "bad time type");
		const unsigned char *a = chars + t[5];
		size_t room = h->charcnt - t[5];
		const unsigned char *nul = memchr(a, 0, room);
		if (!nul)
			return px_fail(err, PX_E_BAD_TZIF, "tzif",
				       "unterminated abbreviation");
		size_t n = (size_t)(nul - a);
		if (n > TZ_ABBR_MAX)
			n = TZ_ABBR_MAX;
		memcpy(z->types[i].abbr, a, n);
		z->types[i].abbr[n] = '\0';
		z->types[i].utoff = off;
		z->types[i].isdst = t[4];
	}
	return 0;
}

static int read_footer(struct cursor *c, struct tz_zone *z, struct px_error *err)
{
	const unsigned char *nl = take(c, 1);
	if (!nl || *nl != '\n')
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "missing footer");
	size_t room = c->left < TZ_FOOTER_MAX + 1 ? c->left : TZ_FOOTER_MAX + 1;
	const unsigned char *end = memchr(c->p, '\n', room);
	if (!end)
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "unterminated footer");
	size_t n = (size_t)(end - c->p);
	if (n == 0)
		return 0; /* an empty footer: no rule after the last transition */
	char tz[TZ_FOOTER_MAX + 1];
	memcpy(tz, c->p, n);
	tz[n] = '\0';
	if (memchr(tz, 0, n) || posix_parse(tz, &z->footer))
		return px_fail(err, PX_E_BAD_TZIF, "tzif",
			       "bad TZ string in footer");
	return 0;
}

void tz_free(struct tz_zone *z)
{
	if (!z)
		return;
	free(z->trans);
	free(z->idx);
	free(z->types);
	free(z);
}

int tz_parse(const unsigned char *data, size_t len, struct tz_zone **out,
	     struct px_error *err)
{
	struct cursor c = { data, len };
	struct tzif_header h;
	struct tz_zone *z = NULL;
	int rc;

	*out = NULL;
	if (!data)
		return px_fail(err, PX_E_BAD_TZIF, "tzif", "truncated header");
	rc = read_header(&c, &h, err);
	if (rc)
		goto out;
	z = calloc(1, sizeof(*z));
	if (!z) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	if (h.version >= 2) {
		/* Skip the 32-bit block; the second header describes the
		 * 64-bit block that follows it. */
		if (!take(&c, block_size(&h, 4))) {
			rc = px_fail(err, PX_E_BAD_TZIF, "tzif",
				     "truncated version 1 block");
			goto out;
		}
		int version = h.version;
		rc = read_header(&c, &h, err);
		if (rc)
			goto out;
		if (h.version != version) {
			rc = px_fail(err, PX_E_BAD_TZIF, "tzif",
				     "the two headers disagree on the version");
			goto out;
		}
		rc = read_block(&c, &h, 8, z, err);
		if (!rc)
			rc = read_footer(&c, z, err);
	} else {
		rc = read_block(&c, &h, 4, z, err);
	}
out:
	if (rc)
		tz_free(z);
	else
		*out = z;
	return rc;
}

int tz_parse_posix(const char *tz, struct tz_zone **out, struct px_error *err)
{
	struct tz_zone *z = calloc(1, sizeof(*z));
	*out = NULL;
	if (!z)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (!tz || strlen(tz) > TZ_FOOTER_MAX || posix_parse(tz, &z->footer)) {
		tz_free(z);
		return px_fail(err, PX_E_BAD_TZIF, "tz", "bad POSIX TZ string");
	}
	/* Type 0 stands for "before the first transition": there is none. */
	z->types = calloc(1, sizeof(*z->types));
	if (!z->types) {
		tz_free(z);
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	z->types[0] = z->footer.std;
	z->ntypes = 1;
	*out = z;
	return 0;
}

/* ---- conversions ---- */

static const struct tz_type *type_at(const struct tz_zone *z, int64_t t)
{
	if (z->ntrans == 0)
		return z->footer.present ? footer_type(&z->footer, t) : &z->types[0];
	if (t < z->trans[0])
		return &z->types[0];
	if (t >= z->trans[z->ntrans - 1] && z->footer.present)
		return footer_type(&z->footer, t);
	size_t lo = 0, hi = z->ntrans; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &z->types[z->idx[lo]];
}

int tz_next_transition(const struct tz_zone *z, int64_t t, int64_t *next)
{
	if (t < -TZ_T_LIMIT || t > TZ_T_LIMIT)
		return 0;
	if (z->ntrans && t < z->trans[z->ntrans - 1]) {
		size_t lo = 0, hi = z->ntrans - 1; /* first trans > t */
		if (z->trans[0] > t) {
			*next = z->trans[0];
			return 1;
		}
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (z->trans[mid] > t)
				hi = mid;
			else
				lo = mid;
		}
		*next = z->trans[hi];
		return 1;
	}
	return footer_next(&z->footer, t, next);
}

int tz_to_local(const struct tz_zone *z, int64_t utc, struct tz_local *out)
{
	if (utc < -TZ_T_LIMIT || utc > TZ_T_LIMIT)
		return PX_E_OUT_OF_RANGE;
	const struct tz_type *ty = type_at(z, utc);
	civil_from_seconds(utc + ty->utoff, &out->time);
	out->utoff = ty->utoff;
	out->isdst = ty->isdst;
	memcpy(out->abbr, ty->abbr, sizeof(out->abbr));
	return 0;
}

/*
 * Every instant t with t + offset(t) == L lies within TZ_OFF_MAX of L. Walk
 * the periods of constant offset that meet [L - W, L + W]: each period
 * [s, e) with offset o holds the solution L - o when s <= L - o < e. A
 * transition from o1 to o2 > o1 at T skips the local times [T+o1, T+o2).
 */
int tz_from_local(const struct tz_zone *z, const struct civil_time *local,
		  struct tz_resolved *out)
{
	if (!civil_valid(local))
		return PX_E_OUT_OF_RANGE;
	const int64_t W = TZ_OFF_MAX + 1;
	int64_t L = civil_to_seconds(local);
	int64_t cur = L - W, s = INT64_MIN, first_sol = 0, last_sol = 0;
	int32_t o = type_at(z, cur)->utoff;
	int nsol = 0, gap = 0;
	int64_t gap_utc = 0;
	int32_t gap_shift = 0;

	for (int guard = 0; guard < 256; guard++) {
		int64_t T;
		int more = tz_next_transition(z, cur, &T) && T <= L + W;
		int64_t t = L - o;
		if (t >= s && (!more || t < T)) {
			if (!nsol)
				first_sol = t;
			last_sol = t;
			nsol++;
		}
		if (!more)
			break;
		int32_t o2 = type_at(z, T)->utoff;
		if (!gap && o2 > o && T + o <= L && L < T + o2) {
			gap = 1;
			gap_utc = L - o;
			gap_shift = o2 - o;
		}
		s = T;
		cur = T;
		o = o2;
	}
	if (nsol) {
		out->utc = first_sol;
		out->later = last_sol;
		out->kind = nsol > 1 ? TZ_FOLD : TZ_UNIQUE;
		out->shift = 0;
	} else if (gap) {
		out->utc = out->later = gap_utc;
		out->kind = TZ_GAP;
		out->shift = gap_shift;
	} else {
		/* Only malformed data (offsets changing back and forth within
		 * a day) gets here; answer with the offset before L. */
		out->utc = out->later = L - type_at(z, L - W)->utoff;
		out->kind = TZ_GAP;
		out->shift = 0;
	}
	return 0;
}
