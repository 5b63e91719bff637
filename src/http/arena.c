/*
 * arena.c: a bump allocator over a list of chunks, plus a list of JSON
 * references to drop. Small requests are served from the current chunk;
 * an allocation larger than a quarter chunk gets a chunk of its own, so a
 * big string does not waste the rest of a chunk.
 *
 * Invariant: a->total is the sum of the sizes of all chunks and never
 * exceeds a->max.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "banned.h"

#define CHUNK_SIZE 8192
#define ALIGN (sizeof(max_align_t))

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes in data */
	size_t used;
	max_align_t data[];
};

struct arena_ref {
	struct arena_ref *next;
	json_t *json;
};

void arena_init(struct arena *a, size_t max)
{
	a->chunks = NULL;
	a->refs = NULL;
	a->total = 0;
	a->max = max ? max : ARENA_DEFAULT_MAX;
}

void arena_release(struct arena *a)
{
	/* Refs live inside chunks: drop the JSON first, then the memory. */
	for (struct arena_ref *r = a->refs; r; r = r->next)
		json_decref(r->json);
	a->refs = NULL;
	struct arena_chunk *c = a->chunks;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->chunks = NULL;
	a->total = 0;
}

static struct arena_chunk *new_chunk(struct arena *a, size_t size)
{
	size_t bytes = sizeof(struct arena_chunk) + size;
	if (size > SIZE_MAX - sizeof(struct arena_chunk) ||
	    bytes > a->max - a->total)
		return NULL;
	struct arena_chunk *c = malloc(bytes);
	if (!c)
		return NULL;
	c->size = size;
	c->used = 0;
	a->total += bytes;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	size_t need = (n + ALIGN - 1) / ALIGN * ALIGN;
	struct arena_chunk *c = a->chunks;
	if (!c || c->size - c->used < need) {
		if (need > CHUNK_SIZE / 4) {
			/* A chunk of its own, linked behind the current one
			 * so the current chunk keeps serving small requests. */
			struct arena_chunk *big = new_chunk(a, need);
			if (!big)
				return NULL;
			big->used = need;
			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				big->next = NULL;
				a->chunks = big;
			}
			memset(big->data, 0, need);
			return big->data;
		}
		c = new_chunk(a, CHUNK_SIZE);
		if (!c)
			return NULL;
		c->next = a->chunks;
		a->chunks = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

json_t *arena_json(struct arena *a, json_t *j)
{
	if (!j)
		return NULL;
	struct arena_ref *r = arena_alloc(a, sizeof(*r));
	if (!r) {
		json_decref(j);
		return NULL;
	}
	r->json = j;
	r->next = a->refs;
	a->refs = r;
	return j;
}
