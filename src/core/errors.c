/*
 * errors.c: lookups over the registry in errors.def. The tables are built
 * by the same X-macro as the enum, so a code cannot lack a status or a
 * message.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "i18n.h"
#include "banned.h"

static const struct {
	const char *name;
	int status;
	const char *message;
} registry[] = {
	[PX_OK] = { "ok", 200, "ok" },
#define X(n, s, m) [PX_E_##n] = { #n, s, m },
#include "errors.def"
#undef X
};

static int valid(int code)
{
	return code >= 0 && code < PX_E__COUNT;
}

/* The registry spells names as C identifiers (upper case); clients see
 * them in lower case. The lower-case copies are made once. */
static char lower_names[PX_E__COUNT][32];
static pthread_once_t lower_once = PTHREAD_ONCE_INIT;

static void make_lower(void)
{
	for (int i = 0; i < PX_E__COUNT; i++) {
		size_t j;
		for (j = 0; registry[i].name[j] && j + 1 < sizeof(lower_names[i]); j++)
			lower_names[i][j] = (char)tolower((unsigned char)registry[i].name[j]);
		lower_names[i][j] = '\0';
	}
}

const char *px_code_name(int code)
{
	pthread_once(&lower_once, make_lower);
	return valid(code) ? lower_names[code] : "internal";
}

int px_code_status(int code)
{
	return valid(code) ? registry[code].status : 500;
}

const char *px_code_message(int code)
{
	return valid(code) ? registry[code].message : "internal error";
}

int px_code_by_name(const char *name)
{
	for (int i = 0; i < PX_E__COUNT; i++)
		if (!strcasecmp(registry[i].name, name))
			return i;
	return -1;
}

int px_fail(struct px_error *err, int code, const char *field,
	    const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	err->field = field;
	err->detail[0] = '\0';
	err->fmt = fmt;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return code;
}

int px_fail_text(struct px_error *err, int code, const char *field, const char *text)
{
	if (!err)
		return code;
	err->code = code;
	err->field = field;
	err->detail[0] = '\0';
	err->fmt = text;
	if (text)
		snprintf(err->detail, sizeof(err->detail), "%s", text);
	return code;
}

const char *px_error_message(const struct px_error *err)
{
	if (err->detail[0])
		return err->detail;
	return px_code_message(err->code);
}

/* ---- a detail in another language ------------------------------------
 *
 * px_fail() keeps the English format and the message it wrote. To write
 * the message in another language, its values are read back from it by
 * the format (each conversion matched against the text, the shortest
 * that lets the rest match) and written into the translated format,
 * whose conversions msgfmt --check made sure are the same, in any order
 * (%2$s). */

#define FMT_VALUES 8

struct fmt_value {
	const char *at;
	size_t len;
};

/* The conversion at f ("%lld", "%.60s", "%2$s"): its length in *flen,
 * its argument position (1-based) in *pos or 0, its letter returned;
 * 0 when f is no conversion this reads. */
static char conversion(const char *f, size_t *flen, int *pos)
{
	const char *p = f + 1;
	*pos = 0;
	if (*p >= '1' && *p <= '9' && p[1] == '$') {
		*pos = *p - '0';
		p += 2;
	}
	while (*p && strchr("-+ #0'", *p))
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	while (*p && strchr("hlzjt", *p))
		p++;
	if (!*p || !strchr("diuxXsc%", *p))
		return 0;
	*flen = (size_t)(p - f) + 1;
	return *p;
}

static int unformat(const char *f, const char *s, struct fmt_value *v, int n)
{
	if (!*f)
		return *s ? -1 : n;
	if (*f != '%')
		return *f == *s ? unformat(f + 1, s + 1, v, n) : -1;
	size_t flen;
	int pos;
	char c = conversion(f, &flen, &pos);
	if (!c || pos)
		return -1;
	if (c == '%')
		return *s == '%' ? unformat(f + flen, s + 1, v, n) : -1;
	if (n == FMT_VALUES)
		return -1;
	size_t most = strlen(s), least = 0;
	if (strchr("diuxX", c)) {
		/* a number: its sign and digits, all of them */
		most = *s == '-';
		while (isalnum((unsigned char)s[most]))
			most++;
		least = most;
	} else if (c == 'c') {
		least = most = *s ? 1 : 0;
	}
	for (size_t len = least; len <= most; len++) {
		v[n].at = s;
		v[n].len = len;
		int got = unformat(f + flen, s + len, v, n + 1);
		if (got >= 0)
			return got;
	}
	return -1;
}

/* The translated format t with the values v written in; 0, or -1 when t
 * asks for a value there is none of or buf is too small. */
static int reformat(const char *t, const struct fmt_value *v, int n, char *buf,
		    size_t size)
{
	size_t w = 0;
	int next = 0;
	for (const char *p = t; *p; ) {
		const char *piece = p;
		size_t plen = 1;
		if (*p == '%') {
			size_t flen;
			int pos;
			char c = conversion(p, &flen, &pos);
			if (!c)
				return -1;
			p += flen;
			if (c == '%') {
				plen = 1;
			} else {
				int i = pos ? pos - 1 : next++;
				if (i >= n)
					return -1;
				piece = v[i].at;
				plen = v[i].len;
			}
		} else {
			p++;
		}
		if (w + plen >= size)
			return -1;
		memcpy(buf + w, piece, plen);
		w += plen;
	}
	buf[w] = '\0';
	return 0;
}

const char *px_error_message_in(const struct px_error *err, const char *lang,
				char *buf, size_t size)
{
	if (!err->detail[0])
		return tr(lang, px_code_message(err->code));
	if (!err->fmt)
		return err->detail;
	const char *t = tr(lang, err->fmt);
	if (t == err->fmt)
		return err->detail; /* English, or not translated */
	struct fmt_value v[FMT_VALUES];
	int n = unformat(err->fmt, err->detail, v, 0);
	if (n < 0 || reformat(t, v, n, buf, size))
		return err->detail;
	return buf;
}

void px_error_clear(struct px_error *err)
{
	err->code = PX_OK;
	err->field = NULL;
	err->detail[0] = '\0';
}
