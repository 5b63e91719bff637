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
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "conntrack.h"
#include "banned.h"

struct conn_track {
	struct conn_track *prev, *next;
	int fd;
	enum conn_phase phase;
	int64_t since; /* when the phase began (monotonic seconds) */
};

struct conntrack {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t sweeper;
	int stopping;
	unsigned head_seconds, body_seconds;
	struct conn_track *head; /* the list of tracked connections */
	uint64_t cut;
};

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

struct conntrack *conntrack_new(unsigned head_seconds, unsigned body_seconds)
{
	struct conntrack *t = calloc(1, sizeof(*t));
	pthread_condattr_t ca;
	if (!t)
		return NULL;
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
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	free(t);
}

struct conn_track *conntrack_started(struct conntrack *t, int fd)
{
	struct conn_track *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = fd;
	c->phase = CONN_HEAD;
	c->since = mono_now();
	pthread_mutex_lock(&t->lock);
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
	pthread_mutex_unlock(&t->lock);
	free(c);
}

uint64_t conntrack_cut(struct conntrack *t)
{
	pthread_mutex_lock(&t->lock);
	uint64_t n = t->cut;
	pthread_mutex_unlock(&t->lock);
	return n;
}
