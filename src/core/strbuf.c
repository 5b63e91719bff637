/*
 * strbuf.c: the bounded growable buffer. Invariant: buf[len] == '\0' and
 * len <= max at all times, whatever the outcome of a call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "strbuf.h"
#include "banned.h"

static char empty[1];

void sb_init(struct strbuf *sb, size_t max)
{
	sb->buf = empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max ? max : SB_DEFAULT_MAX;
}

void sb_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb->buf = empty;
	sb->len = 0;
	sb->alloc = 0;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

char *sb_detach(struct strbuf *sb, size_t *len)
{
	char *s = sb->alloc ? sb->buf : strdup("");
	if (len)
		*len = sb->alloc ? sb->len : 0;
	sb->buf = empty;
	sb->len = 0;
	sb->alloc = 0;
	return s;
}

static int grow(struct strbuf *sb, size_t extra)
{
	if (extra > sb->max - sb->len)
		return PX_E_TOO_LARGE;
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return 0;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n = n > ((size_t)-1) / 2 ? need : n * 2;
	char *p = realloc(sb->alloc ? sb->buf : NULL, n);
	if (!p)
		return PX_E_NOMEM;
	if (!sb->alloc)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = n;
	return 0;
}

int sb_add(struct strbuf *sb, const void *data, size_t len)
{
	int rc = grow(sb, len);
	if (rc)
		return rc;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int sb_adds(struct strbuf *sb, const char *s)
{
	return sb_add(sb, s, strlen(s));
}

int sb_addc(struct strbuf *sb, char c)
{
	return sb_add(sb, &c, 1);
}

int sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char small[256];

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return PX_E_INTERNAL;
	if ((size_t)n < sizeof(small))
		return sb_add(sb, small, (size_t)n);

	int rc = grow(sb, (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

int sb_add_html(struct strbuf *sb, const char *s)
{
	int rc = 0;
	for (; *s && !rc; s++) {
		switch (*s) {
		case '<': rc = sb_adds(sb, "&lt;"); break;
		case '>': rc = sb_adds(sb, "&gt;"); break;
		case '&': rc = sb_adds(sb, "&amp;"); break;
		case '"': rc = sb_adds(sb, "&quot;"); break;
		case '\'': rc = sb_adds(sb, "&#39;"); break;
		default: rc = sb_addc(sb, *s); break;
		}
	}
	return rc;
}

int sb_add_hex(struct strbuf *sb, const unsigned char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	int rc = grow(sb, len * 2);
	if (rc)
		return rc;
	for (size_t i = 0; i < len; i++) {
		sb->buf[sb->len++] = digits[data[i] >> 4];
		sb->buf[sb->len++] = digits[data[i] & 15];
	}
	sb->buf[sb->len] = '\0';
	return 0;
}
