/*
 * jcs.c: RFC 8785 canonical JSON (jcs.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jcs.h"
#include "core/strbuf.h"
#include "banned.h"

#define JCS_MAX_INT ((json_int_t)1 << 53)

/* The next code point of the UTF-8 string s (advanced), or -1 when it is
 * not well formed. jansson has checked its strings; this is a second
 * look, not the only one. */
static int32_t next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	int32_t c = p[0];
	int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2
		: (c & 0xf8) == 0xf0 ? 3 : -1;
	if (n < 0)
		return -1;
	if (n)
		c &= 0x3f >> n;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	*s = p + n + 1;
	return c;
}

/* The UTF-16 code unit at position i of code point c's encoding (one
 * unit below U+10000, two above). */
static int units(int32_t c, uint16_t u[2])
{
	if (c < 0x10000) {
		u[0] = (uint16_t)c;
		return 1;
	}
	c -= 0x10000;
	u[0] = (uint16_t)(0xd800 + (c >> 10));
	u[1] = (uint16_t)(0xdc00 + (c & 0x3ff));
	return 2;
}

/* a < b, = or > as UTF-16 code unit sequences: <0, 0, >0. Malformed
 * strings compare by bytes (jansson never holds one). */
static int cmp_utf16(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	uint16_t ua[2], ub[2];
	int na = 0, nb = 0, ia = 0, ib = 0;
	for (;;) {
		if (ia == na) {
			if (!*p)
				na = 0;
			else {
				int32_t c = next_cp(&p);
				if (c < 0)
					return strcmp(a, b);
				na = units(c, ua);
			}
			ia = 0;
		}
		if (ib == nb) {
			if (!*q)
				nb = 0;
			else {
				int32_t c = next_cp(&q);
				if (c < 0)
					return strcmp(a, b);
				nb = units(c, ub);
			}
			ib = 0;
		}
		if (!na || !nb)
			return (na != 0) - (nb != 0);
		if (ua[ia] != ub[ib])
			return ua[ia] < ub[ib] ? -1 : 1;
		ia++;
		ib++;
	}
}

static int cmp_keys(const void *x, const void *y)
{
	return cmp_utf16(*(const char *const *)x, *(const char *const *)y);
}

static int add_string(struct strbuf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	int rc = sb_addc(out, '"');
	for (size_t i = 0; !rc && i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': rc = sb_adds(out, "\\\""); break;
		case '\\': rc = sb_adds(out, "\\\\"); break;
		case '\b': rc = sb_adds(out, "\\b"); break;
		case '\t': rc = sb_adds(out, "\\t"); break;
		case '\n': rc = sb_adds(out, "\\n"); break;
		case '\f': rc = sb_adds(out, "\\f"); break;
		case '\r': rc = sb_adds(out, "\\r"); break;
		default:
			if (c < 0x20) {
				char e[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
				rc = sb_adds(out, e);
			} else {
				rc = sb_addc(out, (char)c);
			}
		}
	}
	return rc ? rc : sb_addc(out, '"');
}

static int well_formed(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		if (!*p)
			return 0; /* an embedded NUL: jansson allows it; we do not */
		int32_t c = next_cp(&p);
		if (c < 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff || p > end)
			return 0;
	}
	return 1;
}

int jcs_append(const json_t *v, struct strbuf *out)
{
	int rc = 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return sb_adds(out, "null");
	case JSON_TRUE:
		return sb_adds(out, "true");
	case JSON_FALSE:
		return sb_adds(out, "false");
	case JSON_REAL:
		return PX_E_BAD_INPUT;
	case JSON_INTEGER: {
		json_int_t n = json_integer_value(v);
		if (n > JCS_MAX_INT || n < -JCS_MAX_INT)
			return PX_E_BAD_INPUT;
		return sb_addf(out, "%lld", (long long)n);
	}
	case JSON_STRING:
		if (!well_formed(json_string_value(v), json_string_length(v)))
			return PX_E_BAD_INPUT;
		return add_string(out, json_string_value(v), json_string_length(v));
	case JSON_ARRAY:
		if ((rc = sb_addc(out, '[')))
			return rc;
		for (size_t i = 0; i < json_array_size(v); i++)
			if ((i && (rc = sb_addc(out, ','))) ||
			    (rc = jcs_append(json_array_get(v, i), out)))
				return rc;
		return sb_addc(out, ']');
	case JSON_OBJECT:
		break;
	}
	size_t n = json_object_size(v);
	const char **keys = n ? calloc(n, sizeof(*keys)) : NULL;
	if (n && !keys)
		return PX_E_NOMEM;
	size_t i = 0;
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)v, k, x)
		keys[i++] = k;
	if (n > 1)
		qsort(keys, n, sizeof(*keys), cmp_keys);
	rc = sb_addc(out, '{');
	for (i = 0; !rc && i < n; i++) {
		if (!well_formed(keys[i], strlen(keys[i])))
			rc = PX_E_BAD_INPUT;
		else if (!(i && (rc = sb_addc(out, ','))) &&
			 !(rc = add_string(out, keys[i], strlen(keys[i]))) &&
			 !(rc = sb_addc(out, ':')))
			rc = jcs_append(json_object_get(v, keys[i]), out);
	}
	free(keys);
	return rc ? rc : sb_addc(out, '}');
}
