/*
 * fuzz_ballot_preflib.c: libFuzzer target for the parser of PrefLib files (read as .toi, the most general of the four)
 * (ballot_fuzz.h says how the input is fed and counted).
 */
#include "ballot_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ballots(BALLOT_TOI, data, size);
}
