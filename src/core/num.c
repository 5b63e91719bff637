/*
 * num.c: whole-string number parsing on top of strtoll/strtoull, which
 * alone accept leading space, signs on unsigned values and trailing junk.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "num.h"
#include "banned.h"

int num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	if (!s || !*s || isspace((unsigned char)*s))
		return PX_E_BAD_INPUT;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return PX_E_BAD_INPUT;
	if (errno == ERANGE || v < min || v > max)
		return PX_E_OUT_OF_RANGE;
	*out = (int64_t)v;
	return 0;
}

int num_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	if (!s || !isdigit((unsigned char)*s))
		return PX_E_BAD_INPUT;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end)
		return PX_E_BAD_INPUT;
	if (errno == ERANGE || v > max)
		return PX_E_OUT_OF_RANGE;
	*out = (uint64_t)v;
	return 0;
}

int num_parse_fraction(const char *s, int64_t *num, int64_t *den)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	int rc;

	if (!slash) {
		*den = 1;
		rc = num_parse_i64(s, 0, 1, num);
		return rc;
	}
	size_t n = (size_t)(slash - s);
	if (n == 0 || n >= sizeof(buf))
		return PX_E_BAD_INPUT;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = num_parse_i64(buf, 0, INT32_MAX, num);
	if (rc)
		return rc;
	rc = num_parse_i64(slash + 1, 1, INT32_MAX, den);
	if (rc)
		return rc;
	if (*num > *den)
		return PX_E_OUT_OF_RANGE;
	return 0;
}
