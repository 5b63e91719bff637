/*
 * i18n_fmt.c: the words and widths of a language that ICU knows and pnyx
 * does not keep in its catalogues: the names of weekdays and months, how
 * a list is joined ("lunes, martes y jueves"), a day of the year and a
 * short date and time, and how many columns a string takes on a terminal.
 * Every function takes its language as an argument (core/ keeps no state)
 * and writes UTF-8 into the caller's buffer.
 */
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ulistformatter.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "core/i18n.h"
#include "banned.h"

/* The locale ICU writes lang in: English as pnyx always wrote it (day
 * before month, no serial comma: en_GB). */
static const char *locale_of(const char *lang)
{
	return !lang || !strcmp(lang, "en") ? "en_GB" : lang;
}

/* text[0..n) (UTF-16) into out as UTF-8; 0, or -1 and out "". */
static int to_utf8(const UChar *text, int32_t n, UErrorCode e, char *out, size_t size)
{
	int32_t w = 0;
	if (U_SUCCESS(e) && n >= 0)
		u_strToUTF8(out, (int32_t)size, &w, text, n, &e);
	if (U_FAILURE(e) || n < 0 || e == U_STRING_NOT_TERMINATED_WARNING ||
	    (size_t)w >= size) {
		if (size)
			out[0] = 0;
		return -1;
	}
	return 0;
}

long i18n_width(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	int32_t i = 0, len = (int32_t)strlen(s);
	long cols = 0;
	while (i < len) {
		UChar32 c;
		U8_NEXT(p, i, len, c);
		if (c < 0) {
			cols++;
			continue;
		}
		int8_t cat = u_charType(c);
		if (cat == U_NON_SPACING_MARK || cat == U_ENCLOSING_MARK || cat == U_FORMAT_CHAR)
			continue;
		int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
		cols += ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
	}
	return cols;
}

/* Symbol index of a date formatter's table (UDAT_WEEKDAYS, UDAT_MONTHS). */
static int symbol(const char *lang, UDateFormatSymbolType type, int index,
		  char *out, size_t size)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar text[64];
	UDateFormat *f = udat_open(UDAT_NONE, UDAT_MEDIUM, locale_of(lang), u"UTC", -1,
				   NULL, -1, &e);
	int32_t n = U_SUCCESS(e) ? udat_getSymbols(f, type, index, text,
						   (int32_t)(sizeof(text) / sizeof(text[0])), &e)
				 : -1;
	udat_close(f);
	return to_utf8(text, n, e, out, size);
}

int i18n_weekday(const char *lang, int w, char *out, size_t size)
{
	/* ICU counts from Sunday = 1 (UCAL_SUNDAY); pnyx from Monday = 0 */
	if (w < 0 || w > 6) {
		if (size)
			out[0] = 0;
		return -1;
	}
	return symbol(lang, UDAT_WEEKDAYS, (w + 1) % 7 + 1, out, size);
}

int i18n_month(const char *lang, int m, char *out, size_t size)
{
	if (m < 1 || m > 12) {
		if (size)
			out[0] = 0;
		return -1;
	}
	return symbol(lang, UDAT_MONTHS, m - 1, out, size);
}

int i18n_list(const char *lang, const char *const *items, size_t n, int or,
	      char *out, size_t size)
{
	enum { MAX = 64 };
	UErrorCode e = U_ZERO_ERROR;
	UChar buf[MAX][64], text[1024];
	const UChar *parts[MAX];
	int32_t lens[MAX];
	if (n > MAX) {
		if (size)
			out[0] = 0;
		return -1;
	}
	for (size_t i = 0; i < n && U_SUCCESS(e); i++) {
		u_strFromUTF8(buf[i], 64, &lens[i], items[i], -1, &e);
		parts[i] = buf[i];
	}
	UListFormatter *f = ulistfmt_openForType(locale_of(lang),
						 or ? ULISTFMT_TYPE_OR : ULISTFMT_TYPE_AND,
						 ULISTFMT_WIDTH_WIDE, &e);
	int32_t len = U_SUCCESS(e) ? ulistfmt_format(f, parts, lens, (int32_t)n, text,
						     (int32_t)(sizeof(text) / sizeof(text[0])),
						     &e)
				   : -1;
	ulistfmt_close(f);
	return to_utf8(text, len, e, out, size);
}

/* t formatted in the zone named (an IANA name) by the best pattern of a
 * skeleton for lang. */
static int by_skeleton_in(const char *lang, const char *skeleton, const char *zone,
			  int64_t t, char *out, size_t size)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar skel[32], pat[96], text[160];
	const char *loc = locale_of(lang);
	u_uastrcpy(skel, skeleton);
	UDateTimePatternGenerator *g = udatpg_open(loc, &e);
	udatpg_getBestPattern(g, skel, -1, pat, (int32_t)(sizeof(pat) / sizeof(pat[0])), &e);
	udatpg_close(g);
	UChar tz[64];
	if (strlen(zone) >= sizeof(tz) / sizeof(tz[0])) {
		if (size)
			out[0] = 0;
		return -1;
	}
	u_uastrcpy(tz, zone);
	UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, tz, -1, pat, -1, &e);
	int32_t n = U_SUCCESS(e) ? udat_format(f, (UDate)t * 1000.0, text,
					       (int32_t)(sizeof(text) / sizeof(text[0])),
					       NULL, &e)
				 : -1;
	udat_close(f);
	return to_utf8(text, n, e, out, size);
}

/* local formatted by the best pattern of a skeleton for lang. */
static int by_skeleton(const char *lang, const char *skeleton, int64_t local,
		       char *out, size_t size)
{
	return by_skeleton_in(lang, skeleton, "UTC", local, out, size);
}

int i18n_day_month(const char *lang, int month, int day, char *out, size_t size)
{
	/* 2024 is a leap year: 29 February has a day to stand for */
	static const int before[13] = { 0, 0, 31, 60, 91, 121, 152, 182, 213, 244,
					274, 305, 335 };
	if (month < 1 || month > 12 || day < 1 || day > 31) {
		if (size)
			out[0] = 0;
		return -1;
	}
	int64_t days = 19723 + before[month] + day - 1; /* 1 January 2024 */
	return by_skeleton(lang, "dMMMM", days * 86400, out, size);
}

int i18n_date(const char *lang, int64_t local, char *out, size_t size)
{
	return by_skeleton(lang, "yMMMd", local, out, size);
}

int i18n_date_time(const char *lang, int64_t local, char *out, size_t size)
{
	return by_skeleton(lang, "yMMMdHHmm", local, out, size);
}

int i18n_decimal(const char *lang, const char *dec, char *out, size_t size)
{
	/* Exactly the digits given, none rounded away or added: ICU formats
	 * the decimal string itself (no double in between) with as many
	 * fraction digits as it has ("8789.00000" -> "8789,00000"). */
	UErrorCode e = U_ZERO_ERROR;
	UChar skel[16], text[96];
	const char *dot = dec ? strchr(dec, '.') : NULL;
	size_t frac = dot ? strlen(dot + 1) : 0;
	int32_t len = -1;
	if (!dec || !*dec || frac > 12 || strlen(dec) > 60) {
		if (size)
			out[0] = 0;
		return -1;
	}
	char s[16] = "";
	if (frac) {
		s[0] = '.';
		memset(s + 1, '0', frac);
		s[frac + 1] = 0;
	}
	u_uastrcpy(skel, s);
	UNumberFormatter *f = unumf_openForSkeletonAndLocale(skel, -1, lang ? lang : I18N_DEFAULT,
							     &e);
	UFormattedNumber *r = unumf_openResult(&e);
	unumf_formatDecimal(f, dec, -1, r, &e);
	if (U_SUCCESS(e))
		len = unumf_resultToString(r, text, (int32_t)(sizeof(text) / sizeof(text[0])), &e);
	unumf_closeResult(r);
	unumf_close(f);
	if (!to_utf8(text, len, e, out, size))
		return 0;
	int c = size ? snprintf(out, size, "%s", dec) : -1;
	if ((c < 0 || (size_t)c >= size) && size)
		out[0] = 0;
	return -1;
}
