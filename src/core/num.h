/*
 * num.h: checked parsing of numbers from text. Each function accepts the
 * whole string or nothing: no leading space, no trailing characters, no
 * overflow. They return 0 or PX_E_BAD_INPUT / PX_E_OUT_OF_RANGE.
 */
#ifndef PNYX_NUM_H
#define PNYX_NUM_H

#include <stdint.h>

int num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int num_parse_u64(const char *s, uint64_t max, uint64_t *out);
/* Parse "N" or "N/D" (a fraction in lowest terms not required), with
 * 0 <= N/D <= 1 and D > 0. */
int num_parse_fraction(const char *s, int64_t *num, int64_t *den);

#endif
