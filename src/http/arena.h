/*
 * arena.h: the per-request arena. Everything a request handler allocates
 * (strings, structs filled from the JSON body, JSON values it returns)
 * lives until the request completes, when the server releases the arena in
 * one call. Handlers therefore have no cleanup code.
 *
 * An arena never holds more than the maximum given at init: an allocation
 * that would pass it returns NULL (the dispatcher answers "nomem"), so no
 * request can make the server allocate without bound.
 *
 * Ownership: the caller embeds struct arena; arena_init takes no memory;
 * arena_release frees every chunk and drops every JSON reference handed to
 * arena_json, and leaves the arena empty and reusable. Not thread-safe: a
 * request belongs to one thread at a time.
 */
#ifndef PNYX_HTTP_ARENA_H
#define PNYX_HTTP_ARENA_H

#include <jansson.h>
#include <stddef.h>

struct arena_chunk;
struct arena_ref;

struct arena {
	struct arena_chunk *chunks; /* newest first */
	struct arena_ref *refs;     /* JSON values to release */
	size_t total;               /* bytes taken from malloc so far */
	size_t max;                 /* most bytes total may reach */
};

#define ARENA_DEFAULT_MAX ((size_t)16 << 20)

void arena_init(struct arena *a, size_t max);
void arena_release(struct arena *a);

/* n zeroed bytes aligned for any type, or NULL past the maximum. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Hand the reference j to the arena, which json_decrefs it on release.
 * Returns j (NULL stays NULL, so a failed json_* constructor passes
 * through). If the arena cannot record it, j is released now and NULL is
 * returned. */
json_t *arena_json(struct arena *a, json_t *j);

#endif
