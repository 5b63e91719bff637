/*
 * fuzz_ballot_blt.c: libFuzzer target for the parser of BLT with its extensions
 * (ballot_fuzz.h says how the input is fed and counted).
 */
#include "ballot_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ballots(BALLOT_BLT, data, size);
}
