/*
 * alloc.h: allocation of arrays with the count x size product checked.
 *
 * Every allocation of "count elements of size bytes" goes through these,
 * so that a count that would overflow size_t gives NULL (as out of
 * memory) instead of a short buffer. They behave as malloc/realloc
 * otherwise: free() the result; on failure px_reallocarray leaves the old
 * block as it was. A zero count allocates one byte, so NULL always means
 * failure.
 */
#ifndef PNYX_ALLOC_H
#define PNYX_ALLOC_H

#include <stddef.h>

/* *out = a * b, or 1 when it does not fit in size_t. */
static inline int px_mul_size(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

void *px_mallocarray(size_t count, size_t size);
void *px_reallocarray(void *p, size_t count, size_t size);
/* count1 x count2 elements of size bytes (a square table, a matrix);
 * px_callocarray2 zeroes them. */
void *px_mallocarray2(size_t count1, size_t count2, size_t size);
void *px_callocarray2(size_t count1, size_t count2, size_t size);
/* Room for one more element in an array p of *cap elements of size bytes,
 * n of them used (the rows a query returns, read one by one): p itself
 * while n < *cap, otherwise p grown to twice *cap (8 at first) and *cap
 * updated. NULL when out of memory: p is then unchanged, *cap too, and p
 * is still the caller's to free. */
void *px_grow(void *p, size_t *cap, size_t n, size_t size);

#endif
