/*
 * fuzz_quota.c: libFuzzer target for the readers of a stratified
 * selection (`pnyx select`): a categories file (either format of
 * src/core/quota.h) and a respondents file, both from the input, through
 * the CSV parser (src/core/csv.c) into px_quota_load (src/core/quota.c).
 * fuzz_csv keeps the categories fixed; here both vary.
 *
 * Input: byte 0 is the panel size (1..8), bytes 1-2 the length of the
 * categories file (little-endian), then the categories, then the
 * respondents. Checks, beyond the sanitizers': a problem loaded has every
 * person of one known type, the types' counts summing to the people, every
 * feature in a known category with its maximum clamped to the panel, and
 * every type made of known features.
 *
 * Seeds: tests/fuzz/corpus_quota.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/errors.h"
#include "core/quota.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3 || size > 65536)
		return 0;
	size_t k = (size_t)(data[0] % 8) + 1;
	size_t clen = (size_t)data[1] | (size_t)data[2] << 8;
	data += 3;
	size -= 3;
	if (clen > size)
		clen = size;
	struct csv_table c, t;
	struct px_error err = { 0 };
	size_t line;
	if (csv_parse((const char *)data, clen, &c, &line, &err))
		return 0;
	if (csv_parse((const char *)data + clen, size - clen, &t, &line, &err)) {
		csv_table_release(&c);
		return 0;
	}
	struct px_quota q;
	int which;
	if (px_quota_load(&q, &c, &t, NULL, k, &which, &line, &err) == 0) {
		size_t sum = 0;
		for (size_t ty = 0; ty < q.ntypes; ty++)
			sum += q.type_count[ty];
		if (sum != q.npeople)
			abort();
		for (size_t p = 0; p < q.npeople; p++)
			if (q.person_type[p] >= q.ntypes)
				abort();
		for (size_t f = 0; f < q.nfeat; f++)
			if (q.feat[f].cat >= q.ncat || q.feat[f].max > (int64_t)k)
				abort();
		for (size_t i = 0; i < q.ntypes * q.ncat; i++)
			if (q.type_feat[i] >= q.nfeat)
				abort();
		px_quota_release(&q);
	} else if (which != 0 && which != 1) {
		abort();
	}
	csv_table_release(&t);
	csv_table_release(&c);
	return 0;
}
