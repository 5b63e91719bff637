/*
 * ratelimit.c: fixed-window attempt counters in a bounded hash table.
 *
 * A window starts at a key's first attempt and lasts rl->window seconds;
 * within it at most rl->limit attempts are allowed. Keys longer than
 * KEY_MAX bytes are cut: they are handles (at most 32 bytes), textual
 * addresses (at most 49 with "/64"), or a handle and an address together,
 * prefixed by the caller, so real keys fit.
 *
 * Invariants: every slot with count 0 is free; a slot's key is
 * NUL-terminated.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "banned.h"

#define SLOTS 8
#define KEY_MAX 95

struct slot {
	char key[KEY_MAX + 1];
	int64_t start; /* when the window began */
	int64_t count; /* attempts in the window; 0 = free slot */
};

struct ratelimit {
	pthread_mutex_t lock;
	size_t nbuckets;
	int64_t limit, window;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	struct slot *slots; /* nbuckets * SLOTS */
};

struct ratelimit *ratelimit_new(size_t buckets, int64_t limit,
				int64_t window)
{
	if (sodium_init() < 0 || buckets == 0 || limit < 1 || window < 1)
		return NULL;
	struct ratelimit *rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->slots = calloc(buckets, SLOTS * sizeof(struct slot));
	if (!rl->slots) {
		free(rl);
		return NULL;
	}
	pthread_mutex_init(&rl->lock, NULL);
	rl->nbuckets = buckets;
	rl->limit = limit;
	rl->window = window;
	randombytes_buf(rl->hash_key, sizeof(rl->hash_key));
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->slots);
	free(rl);
}

static size_t key_len(const char *key)
{
	size_t n = strlen(key);
	return n > KEY_MAX ? KEY_MAX : n;
}

static struct slot *bucket_of(struct ratelimit *rl, const char *key,
			      size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)key, len, rl->hash_key);
	uint64_t v = 0;
	for (size_t i = 0; i < sizeof(v); i++)
		v = v << 8 | h[i];
	return rl->slots + (v % rl->nbuckets) * SLOTS;
}

static int expired(const struct ratelimit *rl, const struct slot *s,
		   int64_t now)
{
	return s->count == 0 || now >= s->start + rl->window ||
	       now < s->start; /* the clock went back: start again */
}

/* The slot holding key, or NULL. Called with the lock held. */
static struct slot *find(struct ratelimit *rl, const char *key)
{
	size_t len = key_len(key);
	struct slot *b = bucket_of(rl, key, len);
	for (int i = 0; i < SLOTS; i++)
		if (b[i].count && strlen(b[i].key) == len &&
		    !memcmp(b[i].key, key, len))
			return &b[i];
	return NULL;
}

int64_t ratelimit_take(struct ratelimit *rl, const char *key, int64_t now)
{
	int64_t wait = 0;
	pthread_mutex_lock(&rl->lock);
	struct slot *s = find(rl, key);
	if (s && expired(rl, s, now))
		s->count = 0;
	if (s && s->count) {
		if (s->count >= rl->limit) {
			wait = s->start + rl->window - now;
			if (wait < 1)
				wait = 1;
			goto out;
		}
		s->count++;
		goto out;
	}
	if (!s) {
		/* A free or expired slot of the bucket, else the oldest. */
		size_t len = key_len(key);
		struct slot *b = bucket_of(rl, key, len);
		s = &b[0];
		for (int i = 0; i < SLOTS; i++) {
			if (expired(rl, &b[i], now)) {
				s = &b[i];
				break;
			}
			if (b[i].start < s->start)
				s = &b[i];
		}
		memcpy(s->key, key, len);
		s->key[len] = '\0';
	}
	s->start = now;
	s->count = 1;
out:
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

void ratelimit_give_back(struct ratelimit *rl, const char *key)
{
	pthread_mutex_lock(&rl->lock);
	struct slot *s = find(rl, key);
	if (s && s->count > 0)
		s->count--;
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_clear(struct ratelimit *rl, const char *key)
{
	pthread_mutex_lock(&rl->lock);
	struct slot *s = find(rl, key);
	if (s)
		s->count = 0;
	pthread_mutex_unlock(&rl->lock);
}

int64_t ratelimit_count(struct ratelimit *rl, const char *key, int64_t now)
{
	int64_t n = 0;
	pthread_mutex_lock(&rl->lock);
	struct slot *s = find(rl, key);
	if (s && !expired(rl, s, now))
		n = s->count;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
