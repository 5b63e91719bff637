/*
 * alloc.c: checked array allocation (alloc.h).
 */
#include <stdlib.h>

#include "alloc.h"
#include "banned.h"

void *px_mallocarray(size_t count, size_t size)
{
	size_t bytes;
	if (px_mul_size(count, size, &bytes))
		return NULL;
	return malloc(bytes ? bytes : 1);
}

void *px_reallocarray(void *p, size_t count, size_t size)
{
	size_t bytes;
	if (px_mul_size(count, size, &bytes))
		return NULL;
	return realloc(p, bytes ? bytes : 1);
}

void *px_mallocarray2(size_t count1, size_t count2, size_t size)
{
	size_t n;
	if (px_mul_size(count1, count2, &n))
		return NULL;
	return px_mallocarray(n, size);
}

void *px_callocarray2(size_t count1, size_t count2, size_t size)
{
	size_t n;
	if (px_mul_size(count1, count2, &n))
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *px_grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t want = *cap ? *cap : 4;
	if (px_mul_size(want, 2, &want))
		return NULL;
	void *q = px_reallocarray(p, want, size);
	if (q)
		*cap = want;
	return q;
}
