/* libFuzzer target for src/core/tzif.c: any byte string is either refused
 * or parsed into a zone whose conversions stay in range and agree with
 * each other. Also feeds the bytes as a POSIX TZ string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct tz_zone *z, const uint8_t *data, size_t size)
{
	int64_t probes[6] = { 0, -2208988800LL, 1800000000LL, 4102444800LL,
			      253402300799LL, -62135596800LL };
	if (size >= 8) {
		uint64_t v = 0;
		memcpy(&v, data + size - 8, 8);
		probes[0] = (int64_t)(v % 600000000000ULL) - 300000000000LL;
	}
	for (int i = 0; i < 6; i++) {
		struct tz_local l;
		if (tz_to_local(z, probes[i], &l))
			continue;
		if (strlen(l.abbr) > TZ_ABBR_MAX)
			abort();
		struct tz_resolved r;
		if (tz_from_local(z, &l.time, &r))
			continue;
		/* The local time of an instant exists, so it is no gap, and one
		 * of its occurrences is the instant itself. */
		if (r.kind == TZ_UNIQUE && r.utc != probes[i])
			abort();
		if (r.kind == TZ_FOLD && r.utc != probes[i] && r.later != probes[i])
			abort();
		int64_t next;
		if (tz_next_transition(z, probes[i], &next) && next <= probes[i])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tz_zone *z = NULL;
	struct px_error err;
	if (!tz_parse(data, size, &z, &err)) {
		exercise(z, data, size);
		tz_free(z);
	}
	if (size < 300) {
		char s[301];
		memcpy(s, data, size);
		s[size] = '\0';
		if (!tz_parse_posix(s, &z, &err)) {
			exercise(z, data, size);
			tz_free(z);
		}
	}
	return 0;
}
