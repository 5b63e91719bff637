/*
 * ratelimit.h: counting sign-in attempts per key (a handle, a client
 * address) in fixed windows, in memory, with bounded memory.
 *
 * An attempt is counted BEFORE the password is checked (ratelimit_take),
 * so concurrent attempts cannot slip past the limit between a check and
 * the record of a failure; a success then gives the attempt back
 * (ratelimit_give_back) or clears the key (ratelimit_clear).
 *
 * Memory: a fixed table of buckets, each with a few slots. A key lives in
 * the bucket chosen by a keyed hash (SipHash with a random key made at
 * creation), so an attacker cannot aim many keys at one bucket to evict a
 * counter. A full bucket reuses an expired slot, else its oldest.
 *
 * Thread-safe: one mutex guards the table; every call is short.
 * Ownership: ratelimit_new allocates, ratelimit_free frees.
 */
#ifndef PNYX_HTTP_RATELIMIT_H
#define PNYX_HTTP_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/* limit attempts per window seconds; room for about buckets * 8 keys.
 * NULL when out of memory or libsodium cannot start. */
struct ratelimit *ratelimit_new(size_t buckets, int64_t limit,
				int64_t window);
void ratelimit_free(struct ratelimit *rl);

/* Count an attempt for key at time now (Unix seconds). Returns 0 when
 * allowed (and counted); otherwise the number of seconds until the window
 * ends (at least 1), and nothing is counted. */
int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now);

/* Undo one counted attempt (a success that should not count). */
void ratelimit_give_back(struct ratelimit *rl, const char *key);

/* Forget key (a successful sign-in clears its handle's count). */
void ratelimit_clear(struct ratelimit *rl, const char *key);

/* Attempts counted for key in its current window (for tests). */
int64_t ratelimit_count(struct ratelimit *rl, const char *key, int64_t now);

#endif
