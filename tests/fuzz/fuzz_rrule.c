/* libFuzzer target for src/core/rrule.c: any text is refused or parsed;
 * a parsed rule's canonical text parses back to the same rule; describing
 * and expanding it through libical (in a zone with DST) terminate with
 * ascending output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/rrule.h"
#include "core/strbuf.h"
#include "core/tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tz_zone *zone;
	char text[RRULE_TEXT_MAX + 2];
	struct rrule r, again;
	struct px_error err;
	struct strbuf sb;

	if (!zone && tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &zone, NULL))
		abort();
	if (size > RRULE_TEXT_MAX + 1)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (rrule_parse(text, &r, &err)) {
		if (err.code != PX_E_BAD_RRULE)
			abort();
		return 0;
	}
	sb_init(&sb, 0);
	if (rrule_format(&r, &sb) || rrule_parse(sb.buf, &again, NULL) ||
	    memcmp(&r, &again, sizeof(r)))
		abort();
	sb_reset(&sb);
	struct civil_time dt = { 2024, 2, 29, 2, 30, 0 };
	if (size)
		dt.day = 1 + data[0] % 29;
	if (rrule_describe(&r, &dt, &sb))
		abort();
	sb_release(&sb);
	int64_t at[64];
	size_t n;
	int tr;
	int64_t from = 1711000000, to = from + 70 * 86400;
	if (rrule_expand(&r, &dt, zone, from, to, at, 64, &n, &tr))
		abort();
	for (size_t i = 0; i < n; i++)
		if (at[i] < from || at[i] >= to || (i && at[i] <= at[i - 1]))
			abort();
	return 0;
}
