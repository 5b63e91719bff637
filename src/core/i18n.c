/*
 * i18n.c: catalogue lookup in the embedded .mo files, the choice of a
 * language from a tag or an Accept-Language header, and dates written by
 * ICU for a locale.
 *
 * A .mo file (GNU gettext manual, "The Format of GNU MO Files"): a magic
 * number, a revision, the number of strings N, then the offsets of two
 * tables of N (length, offset) pairs: the originals, sorted by msgfmt in
 * byte order, and their translations at the same index. A plural entry's
 * original is "one\0many" and its translation the forms joined by NULs.
 * Lookup is a binary search on the originals. Every offset is checked
 * against the file's length before it is read, so a damaged catalogue
 * reads as untranslated, never out of bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unumberformatter.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "core/i18n.h"
#include "banned.h"

#define MO_MAGIC 0x950412deu

static uint32_t word(const unsigned char *p, int swap)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		     (uint32_t)p[3] << 24;
	return swap ? __builtin_bswap32(v) : v;
}

/* The catalogue of lang, or NULL (English, or not carried). */
static const struct i18n_blob *catalogue(const char *lang)
{
	if (!lang)
		return NULL;
	for (const struct i18n_blob *b = i18n_catalogs; b->path; b++)
		if (!strcmp(b->path + 1, lang))
			return b;
	return NULL;
}

/* Entry i of table at toff: its string and length, or NULL when damaged. */
static const char *entry(const struct i18n_blob *b, int swap, uint32_t toff,
			 uint32_t i, uint32_t *len)
{
	uint64_t at = (uint64_t)toff + (uint64_t)i * 8;
	if (at + 8 > (uint64_t)b->len)
		return NULL;
	uint32_t l = word(b->data + at, swap), off = word(b->data + at + 4, swap);
	if ((uint64_t)off + l + 1 > (uint64_t)b->len || b->data[off + l] != 0)
		return NULL;
	*len = l;
	return (const char *)b->data + off;
}

/* The translation of key (klen bytes, NULs included), its length in
 * *tlen; NULL when the catalogue lacks it or leaves it empty. */
static const char *lookup(const struct i18n_blob *b, const char *key, size_t klen,
			  uint32_t *tlen)
{
	if (!b || b->len < 28)
		return NULL;
	uint32_t magic = word(b->data, 0);
	int swap = magic != MO_MAGIC;
	if (swap && word(b->data, 1) != MO_MAGIC)
		return NULL;
	uint32_t n = word(b->data + 8, swap), orig = word(b->data + 12, swap),
		 trans = word(b->data + 16, swap);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2, olen;
		const char *o = entry(b, swap, orig, mid, &olen);
		if (!o)
			return NULL;
		size_t m = olen < klen ? olen : klen;
		int c = memcmp(o, key, m);
		if (!c)
			c = olen < klen ? -1 : olen > klen;
		if (!c) {
			const char *t = entry(b, swap, trans, mid, tlen);
			return t && *tlen ? t : NULL;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *tr(const char *lang, const char *msgid)
{
	uint32_t tlen;
	/* "" names the catalogue's header, which is no translation */
	if (!*msgid)
		return msgid;
	const char *t = lookup(catalogue(lang), msgid, strlen(msgid), &tlen);
	return t ? t : msgid;
}

const char *trp(const char *lang, const char *ctx, const char *msgid)
{
	/* a .mo file keys a message with a context as "CTX\4MSGID" */
	char key[256];
	uint32_t tlen;
	int n = snprintf(key, sizeof(key), "%s%c%s", ctx, 4, msgid);
	if (n < 0 || (size_t)n >= sizeof(key))
		return msgid;
	const char *t = lookup(catalogue(lang), key, (size_t)n, &tlen);
	return t ? t : msgid;
}

/* ---- plural forms ----------------------------------------------------
 *
 * A catalogue's header says how many forms its language has and which one
 * a number takes, in the C-like expression of GNU gettext (manual, "Plural
 * forms"): "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 &&
 * (n%100<10 || n%100>=20) ? 1 : 2);" for Polish. The expression is read
 * and computed here by recursive descent, over the grammar gettext's own
 * parser takes (ternary, ||, &&, equality, relations, + -, * / %, !,
 * parentheses, n and decimal constants), in unsigned arithmetic as it
 * does. Why not ICU's plural rules: they are keyed by locale (CLDR), not
 * by the catalogue, so a translator's Plural-Forms line, which orders the
 * msgstr[] forms, could disagree with them; the catalogue is the one
 * authority on which msgstr[i] is which. Why not glibc's ngettext: the
 * reason tr() does not use gettext() (the language is an argument). */

struct plural_parse {
	const char *p;
	uint64_t n;
	int err;
	int depth;
};

#define PLURAL_DEPTH 64

static void skip_space(struct plural_parse *x)
{
	while (*x->p == ' ' || *x->p == '\t')
		x->p++;
}

/* Whether the text at x->p is tok (then consumed). */
static int take(struct plural_parse *x, const char *tok)
{
	skip_space(x);
	size_t l = strlen(tok);
	if (strncmp(x->p, tok, l))
		return 0;
	/* "<" is not the start of "<=", "!" not of "!=", "=" never alone */
	if (l == 1 && strchr("<>!", *tok) && x->p[1] == '=')
		return 0;
	x->p += l;
	return 1;
}

static uint64_t p_ternary(struct plural_parse *x);

static uint64_t p_primary(struct plural_parse *x)
{
	skip_space(x);
	if (++x->depth > PLURAL_DEPTH) {
		x->err = 1;
		return 0;
	}
	uint64_t v = 0;
	if (*x->p == 'n') {
		x->p++;
		v = x->n;
	} else if (*x->p >= '0' && *x->p <= '9') {
		while (*x->p >= '0' && *x->p <= '9') {
			if (v > UINT64_MAX / 10)
				x->err = 1;
			v = v * 10 + (uint64_t)(*x->p++ - '0');
		}
	} else if (take(x, "(")) {
		v = p_ternary(x);
		if (!take(x, ")"))
			x->err = 1;
	} else if (take(x, "!")) {
		v = !p_primary(x);
	} else {
		x->err = 1;
	}
	x->depth--;
	return v;
}

static uint64_t p_mul(struct plural_parse *x)
{
	uint64_t v = p_primary(x);
	for (;;) {
		if (take(x, "*")) {
			v *= p_primary(x);
		} else if (take(x, "/") || take(x, "%")) {
			char op = x->p[-1];
			uint64_t r = p_primary(x);
			/* no rule divides by zero; a damaged one reads as 0 */
			v = !r ? 0 : op == '/' ? v / r : v % r;
		} else {
			return v;
		}
	}
}

static uint64_t p_add(struct plural_parse *x)
{
	uint64_t v = p_mul(x);
	for (;;) {
		if (take(x, "+"))
			v += p_mul(x);
		else if (take(x, "-"))
			v -= p_mul(x);
		else
			return v;
	}
}

static uint64_t p_rel(struct plural_parse *x)
{
	uint64_t v = p_add(x);
	for (;;) {
		if (take(x, "<="))
			v = v <= p_add(x);
		else if (take(x, ">="))
			v = v >= p_add(x);
		else if (take(x, "<"))
			v = v < p_add(x);
		else if (take(x, ">"))
			v = v > p_add(x);
		else
			return v;
	}
}

static uint64_t p_eq(struct plural_parse *x)
{
	uint64_t v = p_rel(x);
	for (;;) {
		if (take(x, "=="))
			v = v == p_rel(x);
		else if (take(x, "!="))
			v = v != p_rel(x);
		else
			return v;
	}
}

static uint64_t p_and(struct plural_parse *x)
{
	uint64_t v = p_eq(x);
	while (take(x, "&&")) {
		uint64_t r = p_eq(x);
		v = v && r;
	}
	return v;
}

static uint64_t p_or(struct plural_parse *x)
{
	uint64_t v = p_and(x);
	while (take(x, "||")) {
		uint64_t r = p_and(x);
		v = v || r;
	}
	return v;
}

static uint64_t p_ternary(struct plural_parse *x)
{
	if (++x->depth > PLURAL_DEPTH) {
		x->err = 1;
		return 0;
	}
	uint64_t c = p_or(x);
	if (take(x, "?")) {
		/* both branches are read (nothing in them has an effect) */
		uint64_t a = p_ternary(x);
		if (!take(x, ":"))
			x->err = 1;
		uint64_t b = p_ternary(x);
		c = c ? a : b;
	}
	x->depth--;
	return c;
}

unsigned i18n_plural(const char *header, uint64_t n)
{
	unsigned fallback = n != 1; /* gettext's own, without a rule */
	const char *h = header ? strstr(header, "Plural-Forms:") : NULL;
	if (!h)
		return fallback;
	const char *eol = strchr(h, '\n');
	const char *np = strstr(h, "nplurals="), *pl = strstr(h, "plural=");
	/* "plural=" is also the tail of "nplurals=": the one after it */
	while (pl && pl > h && pl[-1] == 'n')
		pl = strstr(pl + 1, "plural=");
	if (!np || !pl || (eol && (np > eol || pl > eol)))
		return fallback;
	unsigned long nplurals = strtoul(np + 9, NULL, 10);
	if (nplurals < 1 || nplurals > 16)
		return fallback;
	struct plural_parse x = { pl + 7, n, 0, 0 };
	uint64_t v = p_ternary(&x);
	skip_space(&x);
	if (x.err || (*x.p && *x.p != ';' && *x.p != '\n'))
		return fallback;
	/* as gettext: a form past the last counts as the first */
	return v < nplurals ? (unsigned)v : 0;
}

const char *i18n_trn_in(const struct i18n_blob *b, const char *one, const char *many,
			uint64_t n)
{
	size_t l1 = strlen(one), l2 = strlen(many);
	char key[512];
	uint32_t tlen, hlen;
	if (b && l1 + l2 + 1 < sizeof(key)) {
		memcpy(key, one, l1 + 1);
		memcpy(key + l1 + 1, many, l2);
		const char *t = lookup(b, key, l1 + 1 + l2, &tlen);
		const char *h = t ? lookup(b, "", 0, &hlen) : NULL;
		unsigned form = t ? i18n_plural(h, n) : 0;
		/* the forms, NUL-separated, the i-th of them */
		for (const char *f = t, *end = t ? t + tlen : NULL; f && f <= end;
		     f += strlen(f) + 1, form--)
			if (!form)
				return *f ? f : (n == 1 ? one : many);
	}
	return n == 1 ? one : many;
}

const char *trn(const char *lang, const char *one, const char *many, uint64_t n)
{
	return i18n_trn_in(catalogue(lang), one, many, n);
}

const char *i18n_lang_at(size_t i)
{
	if (i == 0)
		return I18N_DEFAULT;
	for (const struct i18n_blob *b = i18n_catalogs; b->path; b++)
		if (!--i)
			return b->path + 1;
	return NULL;
}

const char *i18n_lang(const char *tag)
{
	if (!tag)
		return NULL;
	/* the primary subtag: up to '-', '_', '.' or '@' */
	size_t l = strcspn(tag, "-_.@");
	if (!l || l > 8)
		return NULL;
	const char *lang;
	for (size_t i = 0; (lang = i18n_lang_at(i)); i++)
		if (strlen(lang) == l && !strncasecmp(lang, tag, l))
			return lang;
	return NULL;
}

const char *i18n_accept(const char *header)
{
	const char *best = NULL;
	int best_q = 0;
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *tag = p;
		size_t l = strcspn(p, ",");
		int q = 1000;
		const char *semi = memchr(p, ';', l);
		const char *next = p + strcspn(p, ",");
		if (semi) {
			const char *qs = strstr(semi, "q=");
			if (qs && qs < next) {
				/* q = 0, 1 or 0.xyz (RFC 9110 12.4.2) */
				q = qs[2] == '1' ? 1000 : 0;
				if (qs[2] == '0' && qs[3] == '.')
					for (int d = 0, m = 100; d < 3 && qs[4 + d] >= '0' &&
					     qs[4 + d] <= '9'; d++, m /= 10)
						q += (qs[4 + d] - '0') * m;
			}
		}
		char one[32];
		size_t tl = semi ? (size_t)(semi - tag) : l;
		while (tl && tag[tl - 1] == ' ')
			tl--;
		if (tl && tl < sizeof(one)) {
			memcpy(one, tag, tl);
			one[tl] = 0;
			const char *lang = i18n_lang(one);
			if (lang && q > best_q) {
				best = lang;
				best_q = q;
			}
		}
		p = *next ? next + 1 : next;
	}
	return best;
}

const char *i18n_lang_name(const char *lang)
{
	/* the header's Language-Team would name the team, not the language */
	if (!lang || !strcmp(lang, "en"))
		return "English";
	return tr(lang, N_("English"));
}

int i18n_when(const char *lang, int64_t local, char *out, size_t size)
{
	/* English as pnyx always wrote it, "Tuesday 8 December 2026 at 19:00";
	 * another language as its locale writes a full date and a 24-hour time */
	int english = !lang || !strcmp(lang, "en");
	const char *loc = english ? "en_GB" : lang;
	UErrorCode e = U_ZERO_ERROR;
	UChar skel[32], pat[96], zone[4], text[160];
	u_uastrcpy(zone, "UTC");
	if (size)
		out[0] = 0;
	if (english) {
		u_uastrcpy(pat, "EEEE d MMMM y 'at' HH:mm");
	} else {
		u_uastrcpy(skel, "EEEEdMMMMyHHmm");
		UDateTimePatternGenerator *g = udatpg_open(loc, &e);
		udatpg_getBestPattern(g, skel, -1, pat,
				      (int32_t)(sizeof(pat) / sizeof(pat[0])), &e);
		udatpg_close(g);
	}
	UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, zone, -1, pat, -1, &e);
	int32_t n = udat_format(f, (UDate)local * 1000.0, text,
				(int32_t)(sizeof(text) / sizeof(text[0])), NULL, &e);
	udat_close(f);
	if (U_FAILURE(e) || n <= 0)
		return -1;
	int32_t w = 0;
	u_strToUTF8(out, (int32_t)size, &w, text, n, &e);
	if (U_FAILURE(e) || e == U_STRING_NOT_TERMINATED_WARNING || (size_t)w >= size) {
		if (size)
			out[0] = 0;
		return -1;
	}
	return 0;
}

int i18n_number(const char *lang, int64_t n, char *out, size_t size)
{
	/* ICU's NumberFormatter (not the older unum_*, which ignores CLDR's
	 * minimum grouping: Spanish writes 1000, 10.000) */
	UErrorCode e = U_ZERO_ERROR;
	UChar text[64];
	int32_t len = 0;
	UNumberFormatter *f = unumf_openForSkeletonAndLocale(u"", 0,
							     lang ? lang : I18N_DEFAULT, &e);
	UFormattedNumber *r = unumf_openResult(&e);
	unumf_formatInt(f, n, r, &e);
	len = unumf_resultToString(r, text, (int32_t)(sizeof(text) / sizeof(text[0])), &e);
	unumf_closeResult(r);
	unumf_close(f);
	int32_t w = 0;
	if (U_SUCCESS(e) && len > 0)
		u_strToUTF8(out, (int32_t)size, &w, text, len, &e);
	if (U_FAILURE(e) || len <= 0 || e == U_STRING_NOT_TERMINATED_WARNING ||
	    (size_t)w >= size) {
		int c = size ? snprintf(out, size, "%lld", (long long)n) : -1;
		if ((c < 0 || (size_t)c >= size) && size)
			out[0] = 0;
		return -1;
	}
	return 0;
}
