/*
 * conntrack.c: request deadlines enforced by a sweeper thread (see
 * conntrack.h).
 *
 * Invariants, under t->lock: every tracked connection is in the list
 * exactly once, from conntrack_started to conntrack_closed; its socket is
 * open for all that time (libmicrohttpd notifies the close before it
 * closes the descriptor), which is what makes shutdown() from the sweeper
 * safe. Times are CLOCK_MONOTONIC seconds: a change of the wall clock
 * neither cuts nor spares anyone.
 *
 * Addresses: a chained hash table, keyed by a randomly keyed SipHash so
 * that nobody can aim addresses at one chain, of one record per address
 * with open connections; a record lives while its count is above 0, so
 * the table holds at most as many records as connections.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "conntrack.h"
#include "banned.h"

#define ADDR_KEY 17     /* family, then 16 bytes of address */
#define ADDR_BUCKETS 4096

struct addr_count {
	struct addr_count *next;
	unsigned char key[ADDR_KEY];
	unsigned n; /* open connections */
};

struct conn_track {
	struct conn_track *prev, *next;
	int fd;
	enum conn_phase phase;
	int64_t since; /* when the phase began (monotonic seconds) */
	struct addr_count *addr; /* counted here, or NULL */
};

struct conntrack {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t sweeper;
	int stopping;
	unsigned head_seconds, body_seconds, per_address;
	struct conn_track *head; /* the list of tracked connections */
	uint64_t cut;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	struct addr_count *addrs[ADDR_BUCKETS];
};

/* The key an address is counted under: an IPv4 address (also when
 * written as IPv4-mapped IPv6), or the /64 of an IPv6 address. 0 when sa
 * is neither. */
static int addr_key(const struct sockaddr *sa, unsigned char key[ADDR_KEY])
{
	memset(key, 0, ADDR_KEY);
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		key[0] = 4;
		memcpy(key + 1, &in->sin_addr, 4);
		return 1;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			key[0] = 4;
			memcpy(key + 1, &in6->sin6_addr.s6_addr[12], 4);
		} else {
			key[0] = 6;
			memcpy(key + 1, in6->sin6_addr.s6_addr, 8);
		}
		return 1;
	}
	return 0;
}

/* The chain of key. Called with the lock held. */
static struct addr_count **chain_of(struct conntrack *t,
				    const unsigned char key[ADDR_KEY])
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, key, ADDR_KEY, t->hash_key);
	uint64_t v = 0;
	for (size_t i = 0; i < sizeof(v); i++)
		v = v << 8 | h[i];
	return &t->addrs[v % ADDR_BUCKETS];
}

static struct addr_count *find_addr(struct conntrack *t,
				    const unsigned char key[ADDR_KEY])
{
	for (struct addr_count *a = *chain_of(t, key); a; a = a->next)
		if (!memcmp(a->key, key, ADDR_KEY))
			return a;
	return NULL;
}

static int64_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* Whether c has overstayed its phase at now. Called with the lock held. */
static int overdue(const struct conntrack *t, const struct conn_track *c,
		   int64_t now)
{
	if (c->phase == CONN_HEAD)
		return now - c->since >= (int64_t)t->head_seconds;
	if (c->phase == CONN_BODY)
		return now - c->since >= (int64_t)t->body_seconds;
	return 0;
}

static void *sweep(void *arg)
{
	struct conntrack *t = arg;
	pthread_mutex_lock(&t->lock);
	while (!t->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		int rc = pthread_cond_timedwait(&t->wake, &t->lock, &until);
		if (rc && rc != ETIMEDOUT)
			break;
		int64_t now = mono_now();
		for (struct conn_track *c = t->head; c; c = c->next) {
			if (!overdue(t, c, now))
				continue;
			/* Both directions: libmicrohttpd's next read ends,
			 * and it closes the connection itself. A failure
			 * means the peer is gone already: nothing to do. */
			(void)shutdown(c->fd, SHUT_RDWR);
			c->phase = CONN_CUT;
			t->cut++;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct conntrack *conntrack_new(unsigned head_seconds, unsigned body_seconds,
				unsigned per_address)
{
	if (sodium_init() < 0)
		return NULL;
	struct conntrack *t = calloc(1, sizeof(*t));
	pthread_condattr_t ca;
	if (!t)
		return NULL;
	t->per_address = per_address;
	randombytes_buf(t->hash_key, sizeof(t->hash_key));
	t->head_seconds = head_seconds ? head_seconds : 1;
	t->body_seconds = body_seconds ? body_seconds : 1;
	if (pthread_condattr_init(&ca))
		goto fail;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
	    pthread_cond_init(&t->wake, &ca)) {
		pthread_condattr_destroy(&ca);
		goto fail;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_mutex_init(&t->lock, NULL)) {
		pthread_cond_destroy(&t->wake);
		goto fail;
	}
	if (pthread_create(&t->sweeper, NULL, sweep, t)) {
		pthread_mutex_destroy(&t->lock);
		pthread_cond_destroy(&t->wake);
		goto fail;
	}
	return t;
fail:
	free(t);
	return NULL;
}

void conntrack_free(struct conntrack *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = 1;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->sweeper, NULL);
	/* Connections still listed were not notified closed (the daemon is
	 * stopped before this): free their records. */
	for (struct conn_track *c = t->head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	for (size_t i = 0; i < ADDR_BUCKETS; i++)
		for (struct addr_count *a = t->addrs[i], *n; a; a = n) {
			n = a->next;
			free(a);
		}
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	free(t);
}

int conntrack_admit(struct conntrack *t, const struct sockaddr *sa)
{
	unsigned char key[ADDR_KEY];
	if (!t->per_address || !addr_key(sa, key))
		return 1;
	pthread_mutex_lock(&t->lock);
	const struct addr_count *a = find_addr(t, key);
	int ok = !a || a->n < t->per_address;
	pthread_mutex_unlock(&t->lock);
	return ok;
}

struct conn_track *conntrack_started(struct conntrack *t, int fd,
				     const struct sockaddr *sa)
{
	unsigned char key[ADDR_KEY];
	int keyed = addr_key(sa, key);
	struct conn_track *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = fd;
	c->phase = CONN_HEAD;
	c->since = mono_now();
	pthread_mutex_lock(&t->lock);
	if (keyed) {
		struct addr_count *a = find_addr(t, key);
		if (!a && (a = calloc(1, sizeof(*a)))) {
			struct addr_count **chain = chain_of(t, key);
			memcpy(a->key, key, ADDR_KEY);
			a->next = *chain;
			*chain = a;
		}
		if (a) { /* without memory, the connection goes uncounted */
			a->n++;
			c->addr = a;
		}
	}
	c->next = t->head;
	if (t->head)
		t->head->prev = c;
	t->head = c;
	pthread_mutex_unlock(&t->lock);
	return c;
}

void conntrack_phase(struct conntrack *t, struct conn_track *c,
		     enum conn_phase phase)
{
	if (!c)
		return;
	pthread_mutex_lock(&t->lock);
	if (c->phase != CONN_CUT) {
		c->phase = phase;
		c->since = mono_now();
	}
	pthread_mutex_unlock(&t->lock);
}

void conntrack_closed(struct conntrack *t, struct conn_track *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&t->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		t->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	struct addr_count *a = c->addr;
	if (a && --a->n == 0) {
		struct addr_count **p = chain_of(t, a->key);
		while (*p != a)
			p = &(*p)->next;
		*p = a->next;
		free(a);
	}
	pthread_mutex_unlock(&t->lock);
	free(c);
}

unsigned conntrack_from(struct conntrack *t, const struct sockaddr *sa)
{
	unsigned char key[ADDR_KEY];
	if (!addr_key(sa, key))
		return 0;
	pthread_mutex_lock(&t->lock);
	const struct addr_count *a = find_addr(t, key);
	unsigned n = a ? a->n : 0;
	pthread_mutex_unlock(&t->lock);
	return n;
}

uint64_t conntrack_cut(struct conntrack *t)
{
	pthread_mutex_lock(&t->lock);
	uint64_t n = t->cut;
	pthread_mutex_unlock(&t->lock);
	return n;
}
