/*
 * text.c: UTF-8 validation by hand (RFC 3629), because every name and text
 * entering pnyx is checked before it is stored or journaled.
 */
#include <stdint.h>

#include "errors.h"
#include "text.h"
#include "banned.h"

/* Decode one code point at s; returns its length in bytes or 0 if
 * invalid. */
static int decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	int n;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

long text_utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long count = 0;
	while (*p) {
		uint32_t cp;
		int n = decode(p, &cp);
		if (!n)
			return -1;
		p += n;
		count++;
	}
	return count;
}

static int check(const char *s, long min, long max, int block)
{
	const unsigned char *p = (const unsigned char *)s;
	long count = 0;
	while (*p) {
		uint32_t cp;
		int n = decode(p, &cp);
		if (!n)
			return PX_E_BAD_INPUT;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			if (!block || (cp != '\n' && cp != '\t' && cp != '\r'))
				return PX_E_BAD_INPUT;
		}
		p += n;
		count++;
	}
	if (count < min || count > max)
		return PX_E_OUT_OF_RANGE;
	return 0;
}

int text_check_line(const char *s, long min, long max)
{
	return check(s, min, max, 0);
}

int text_check_block(const char *s, long min, long max)
{
	return check(s, min, max, 1);
}
