/*
 * events.c: the hub of live streams, of meetings and of proposals (see
 * events.h for what streams receive).
 *
 * One publisher thread does all the reading: a write only counts a new
 * version under the lock and signals it, so a vote never waits for a
 * socket, a snapshot or a stream. The publisher reads each watched topic
 * whose version is behind (or whose state the clock changes: a meeting
 * opens at its time and lapses twelve hours later with nobody writing),
 * at most once every build_ms() (EVENTS_BUILD_MS or more), outside the
 * lock; then, under the lock, appends the differences to the topic's ring, replaces its
 * snapshot and resumes the topic's waiting streams.
 *
 * Invariants, under hub->lock:
 * - a stream is in its topic's waiting list exactly when its connection
 *   is suspended by us; it leaves the list only by being resumed
 *   (publish, ping, shutdown) or freed;
 * - every event of a topic with a sequence number above t->floor is in
 *   its ring; t->last is the number of its newest event or snapshot, and
 *   t->snap holds the whole state at t->last;
 * - a topic lives while streams watch it or the publisher reads it.
 *
 * Texts (snapshots, events) are shared between streams, immutable, with an
 * atomic reference count: 5,000 screens of one meeting hold one copy.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "gov/lot/lot.h"
#include "gov/procedure/procedure.h"
#include "store/journal.h"
#include "store/store.h"
#include "events.h"
#include "events_diff.h"
#include "banned.h"

/* An event or snapshot as sent, "id: ...\nevent: ...\ndata: ...\n\n". */
struct text {
	atomic_size_t refs;
	size_t len;
	char buf[];
};

struct ring_event {
	uint64_t seq;
	enum ev_kind kind;
	int64_t key;
	struct text *text;
};

struct stream;

struct topic {
	enum events_topic kind;
	int64_t id;
	struct ring_event ring[EVENTS_RING];
	uint64_t n;          /* events ever appended; ring[i % EVENTS_RING] */
	uint64_t floor, last;
	struct text *snap;   /* NULL until first read */
	uint64_t read_version; /* hub version of the last reading */
	int64_t read_ms;     /* when it was read last */
	int64_t until;       /* its state holds by the server's clock until then */
	int64_t offset;      /* the server's clock less the wall's, at the last reading */
	int gone;            /* the subject does not exist: streams end */
	int busy;            /* the publisher reads it now */
	json_t *state;       /* the last reading (publisher only) */
	size_t watchers;
	struct stream *waiting;
	struct topic *next;
};

struct stream {
	struct event_hub *hub;
	struct topic *t;
	struct MHD_Connection *conn;
	uint64_t pos;        /* the last event it has, once placed */
	int placed;          /* it has had a snapshot or resumed */
	int resume;          /* pos was asked for by Last-Event-ID */
	uint64_t pings_seen;
	int waiting;
	struct text *cur;    /* a shared text being sent */
	size_t cur_off;
	struct strbuf out;   /* or bytes of its own */
	size_t off;
	struct stream *next;
};

struct event_hub {
	pthread_mutex_t lock;
	pthread_cond_t tick;
	pthread_t publisher;
	int publisher_started;
	struct store_pool *pool;
	uint64_t version, pings, seq;
	unsigned long long boot;
	int stopping;
	size_t nstreams, max_streams;
	struct topic *topics;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct text *text_ref(struct text *x)
{
	atomic_fetch_add(&x->refs, 1);
	return x;
}

static void text_unref(struct text *x)
{
	if (x && atomic_fetch_sub(&x->refs, 1) == 1)
		free(x);
}

/* "id: BOOT-SEQ\nevent: NAME\ndata: JSON\n\n", or NULL. */
static struct text *text_new(const struct event_hub *hub, uint64_t seq, int64_t as_of,
			     enum ev_kind k, const json_t *data)
{
	char *json = json_dumps(data, JSON_COMPACT);
	if (!json)
		return NULL;
	char head[128];
	int hl = snprintf(head, sizeof(head), "id: %llx-%llu-%lld\nevent: %s\ndata: ",
			  hub->boot, (unsigned long long)seq, (long long)as_of, ev_name(k));
	size_t jl = strlen(json);
	struct text *x = malloc(sizeof(*x) + (size_t)hl + jl + 2);
	if (x) {
		atomic_init(&x->refs, 1);
		memcpy(x->buf, head, (size_t)hl);
		memcpy(x->buf + hl, json, jl);
		memcpy(x->buf + hl + jl, "\n\n", 2);
		x->len = (size_t)hl + jl + 2;
	}
	free(json);
	return x;
}

/* Under hub->lock: resume every waiting stream of t. */
static void wake_topic(struct topic *t)
{
	for (struct stream *s = t->waiting; s; s = s->next) {
		s->waiting = 0;
		MHD_resume_connection(s->conn);
	}
	t->waiting = NULL;
}

static void wake_all(struct event_hub *hub)
{
	for (struct topic *t = hub->topics; t; t = t->next)
		wake_topic(t);
}

static void topic_free(struct topic *t)
{
	for (size_t i = 0; i < EVENTS_RING; i++)
		text_unref(t->ring[i].text);
	text_unref(t->snap);
	json_decref(t->state);
	free(t);
}

/* ---- the publisher ---------------------------------------------------- */

struct reading {
	struct gov_ctx ctx;
	enum events_topic kind;
	int64_t id, until;
	int64_t wall, offset; /* the wall's time; the server's clock less it */
	int64_t as_of;       /* the journal's last entry in this reading's view */
	int rc;
	json_t *state;
};

static int read_topic(struct store *db, void *arg)
{
	struct reading *r = arg;
	json_decref(r->state); /* a busy read runs this again */
	/* the server's clock, as every request reads it: the wall's, or a
	 * controlled one's (pnyx init --controlled-clock), in this reading's
	 * view */
	r->ctx.now = lot_clock_now(db, r->wall);
	r->offset = r->ctx.now - r->wall;
	r->state = ev_read(&r->ctx, r->kind, r->id, &r->until, &r->rc);
	if (!r->rc)
		r->rc = journal_last_seq(db, &r->as_of);
	return r->rc;
}

/* The differences of one reading, before they get their numbers. */
struct pending {
	enum ev_kind kind[64];
	int64_t key[64];
	json_t *data[64];
	size_t n;
	int overflow;
};

static int collect(void *arg, enum ev_kind kind, int64_t key, json_t *data)
{
	struct pending *p = arg;
	if (!data)
		return PX_E_NOMEM;
	if (p->n == sizeof(p->data) / sizeof(p->data[0])) {
		/* so many changes at once: the snapshot says it better */
		p->overflow = 1;
		json_decref(data);
		return 0;
	}
	p->kind[p->n] = kind;
	p->key[p->n] = key;
	p->data[p->n++] = data;
	return 0;
}

/* Under hub->lock: append one event to t's ring. */
static void ring_append(struct topic *t, uint64_t seq, enum ev_kind k, int64_t key,
			struct text *x)
{
	struct ring_event *e = &t->ring[t->n % EVENTS_RING];
	if (e->text) {
		t->floor = e->seq;
		text_unref(e->text);
	}
	*e = (struct ring_event){ seq, k, key, x };
	t->n++;
	t->last = seq;
}

/* Read t (outside the lock) and publish what changed (under it). Called
 * and returns with hub->lock held. */
static void publish(struct event_hub *hub, struct topic *t)
{
	uint64_t version = hub->version;
	t->busy = 1;
	pthread_mutex_unlock(&hub->lock);

	struct store *db = store_pool_get(hub->pool);
	int64_t wall = (int64_t)time(NULL);
	struct reading r = { { .db = db, .now = wall }, t->kind, t->id, INT64_MAX, wall, 0,
			     0, 0, NULL };
	int rc = store_read(db, read_topic, &r);
	store_pool_put(hub->pool, db);
	struct pending p = { .n = 0 };
	if (!rc && r.state && t->state)
		rc = ev_diff(t->kind, t->state, r.state, collect, &p);

	pthread_mutex_lock(&hub->lock);
	t->busy = 0;
	t->read_ms = now_ms();
	if (rc) {
		/* tried again after build_ms(): read_version stays behind */
		fprintf(stderr, "pnyx serve: live events: %s\n", px_code_name(rc));
		goto out;
	}
	t->read_version = version;
	if (!r.state) {
		t->gone = 1;
		wake_topic(t);
		goto out;
	}
	t->until = r.until;
	t->offset = r.offset;
	if (t->state && !p.n && !p.overflow)
		goto out; /* nothing a page shows changed */
	int fresh = !t->snap || p.overflow;
	for (size_t i = 0; i < p.n && !fresh; i++) {
		struct text *x = text_new(hub, hub->seq + 1, r.as_of, p.kind[i], p.data[i]);
		if (!x) {
			fresh = 1;
			break;
		}
		ring_append(t, ++hub->seq, p.kind[i], p.key[i], x);
	}
	if (fresh) {
		/* a first reading, or changes the ring cannot carry: everyone
		 * starts again from the snapshot */
		t->floor = t->last = ++hub->seq;
	}
	struct text *snap = text_new(hub, t->last, r.as_of, ev_snapshot_kind(t->kind), r.state);
	if (!snap) {
		/* no snapshot of this moment: the next reading makes one */
		t->read_version = version - 1;
		goto out;
	}
	text_unref(t->snap);
	t->snap = snap;
	json_decref(t->state);
	t->state = json_incref(r.state);
	wake_topic(t);
out:
	for (size_t i = 0; i < p.n; i++)
		json_decref(p.data[i]);
	json_decref(r.state);
}

/* How long after its last reading a topic may be read again. */
static int64_t build_ms(const struct topic *t)
{
	int64_t ms = EVENTS_BUILD_MS * (1 + (int64_t)(t->watchers / EVENTS_STREAMS_STEP));
	return ms < EVENTS_BUILD_MAX_MS ? ms : EVENTS_BUILD_MAX_MS;
}

/* The timer and reader of every topic: a heartbeat every
 * EVENTS_PING_SECONDS, a topic read when it changed (by a write or by the
 * clock), no sooner than build_ms() after its last reading. */
static void *publisher(void *arg)
{
	struct event_hub *hub = arg;
	int64_t next_ping = now_ms() + EVENTS_PING_SECONDS * 1000;
	pthread_mutex_lock(&hub->lock);
	while (!hub->stopping) {
		int64_t now = now_ms(), wake = next_ping;
		if (now >= next_ping) {
			hub->pings++;
			next_ping = now + EVENTS_PING_SECONDS * 1000;
			wake_all(hub);
		}
		struct topic *due = NULL;
		for (struct topic **pt = &hub->topics; *pt;) {
			struct topic *t = *pt;
			if (!t->watchers && !t->busy) {
				*pt = t->next;
				topic_free(t);
				continue;
			}
			pt = &t->next;
			if (t->gone)
				continue;
			/* until is on the server's clock; the timer runs on the
			 * wall's */
			int64_t until = t->until < INT64_MAX / 1000 ? t->until - t->offset
								    : INT64_MAX;
			int64_t lapse = until < INT64_MAX / 1000 ? until * 1000 : INT64_MAX;
			int changed = !t->snap || t->read_version != hub->version ||
				      now >= lapse;
			int64_t at = changed ? (t->snap ? t->read_ms + build_ms(t) : 0)
					     : lapse;
			if (changed && at <= now && !due)
				due = t;
			else if (at < wake)
				wake = at;
		}
		if (due) {
			publish(hub, due);
			continue;
		}
		struct timespec ts = { .tv_sec = (time_t)(wake / 1000),
				       .tv_nsec = (long)(wake % 1000) * 1000000L };
		pthread_cond_timedwait(&hub->tick, &hub->lock, &ts);
	}
	pthread_mutex_unlock(&hub->lock);
	return NULL;
}

struct event_hub *events_new(struct store_pool *pool, size_t max_streams)
{
	struct event_hub *hub = calloc(1, sizeof(*hub));
	if (!hub)
		return NULL;
	pthread_mutex_init(&hub->lock, NULL);
	pthread_cond_init(&hub->tick, NULL);
	hub->pool = pool;
	hub->max_streams = max_streams;
	/* ids of another run of the server are not ours to resume from */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	hub->boot = ((unsigned long long)ts.tv_sec * 1000000ull +
		     (unsigned long long)ts.tv_nsec / 1000) ^ (unsigned long long)getpid();
	if (pthread_create(&hub->publisher, NULL, publisher, hub)) {
		events_free(hub);
		return NULL;
	}
	hub->publisher_started = 1;
	return hub;
}

void events_shutdown(struct event_hub *hub)
{
	if (!hub)
		return;
	pthread_mutex_lock(&hub->lock);
	hub->stopping = 1;
	wake_all(hub);
	pthread_cond_broadcast(&hub->tick);
	pthread_mutex_unlock(&hub->lock);
}

void events_free(struct event_hub *hub)
{
	if (!hub)
		return;
	events_shutdown(hub);
	if (hub->publisher_started)
		pthread_join(hub->publisher, NULL);
	while (hub->topics) {
		struct topic *t = hub->topics;
		hub->topics = t->next;
		topic_free(t);
	}
	pthread_mutex_destroy(&hub->lock);
	pthread_cond_destroy(&hub->tick);
	free(hub);
}

void events_changed(struct event_hub *hub)
{
	pthread_mutex_lock(&hub->lock);
	hub->version++;
	pthread_cond_signal(&hub->tick);
	pthread_mutex_unlock(&hub->lock);
}

/* ---- streams ---------------------------------------------------------- */

/* Under hub->lock: 1 when event i of t is followed, in the ring up to
 * t->n, by one of the same kind and key that replaces it. */
static int superseded(const struct topic *t, uint64_t i)
{
	const struct ring_event *e = &t->ring[i % EVENTS_RING];
	if (!ev_last_wins(e->kind))
		return 0;
	for (uint64_t j = i + 1; j < t->n; j++) {
		const struct ring_event *f = &t->ring[j % EVENTS_RING];
		if (f->kind == e->kind && f->key == e->key)
			return 1;
	}
	return 0;
}

/* Under hub->lock: queue the events of t after s->pos (t->floor <= s->pos
 * < t->last). Returns 0 or -1 (out of memory). */
static int catch_up(struct stream *s, const struct topic *t)
{
	uint64_t from = t->n > EVENTS_RING ? t->n - EVENTS_RING : 0, i = t->n;
	while (i > from && t->ring[(i - 1) % EVENTS_RING].seq > s->pos)
		i--;
	int one = i + 1 == t->n;
	for (; i < t->n; i++) {
		const struct ring_event *e = &t->ring[i % EVENTS_RING];
		if (one && !s->out.len) {
			/* the usual case, one new event: share its text */
			s->cur = text_ref(e->text);
			s->cur_off = 0;
			break;
		}
		if (!superseded(t, i) && sb_add(&s->out, e->text->buf, e->text->len))
			return -1;
	}
	s->pos = t->last;
	return 0;
}

/* Under hub->lock: whether a Last-Event-ID can be resumed from in t. */
static int can_resume(const struct event_hub *hub, const struct topic *t, uint64_t pos)
{
	return pos >= t->floor && pos <= t->last && pos <= hub->seq;
}

static ssize_t reader(void *cls, uint64_t at, char *buf, size_t max)
{
	struct stream *s = cls;
	struct event_hub *hub = s->hub;
	struct topic *t = s->t;
	(void)at;
	for (;;) {
		if (s->cur) {
			size_t n = s->cur->len - s->cur_off;
			if (n > max)
				n = max;
			memcpy(buf, s->cur->buf + s->cur_off, n);
			s->cur_off += n;
			if (s->cur_off == s->cur->len) {
				text_unref(s->cur);
				s->cur = NULL;
			}
			return (ssize_t)n;
		}
		if (s->off < s->out.len) {
			size_t n = s->out.len - s->off;
			if (n > max)
				n = max;
			memcpy(buf, s->out.buf + s->off, n);
			s->off += n;
			if (s->off == s->out.len) {
				sb_reset(&s->out);
				s->off = 0;
			}
			return (ssize_t)n;
		}
		int oom = 0;
		pthread_mutex_lock(&hub->lock);
		if (hub->stopping || t->gone) {
			pthread_mutex_unlock(&hub->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (t->snap && !s->placed) {
			s->placed = 1;
			if (!s->resume || !can_resume(hub, t, s->pos)) {
				s->cur = text_ref(t->snap);
				s->cur_off = 0;
				s->pos = t->last;
			}
		} else if (t->snap && t->last > s->pos) {
			if (s->pos < t->floor) {
				/* what it missed is gone from the ring */
				s->cur = text_ref(t->snap);
				s->cur_off = 0;
				s->pos = t->last;
			} else {
				oom = catch_up(s, t);
			}
		} else if (hub->pings != s->pings_seen) {
			s->pings_seen = hub->pings;
			oom = sb_adds(&s->out, ": ping\n\n");
		} else {
			/* nothing new: park the connection until woken */
			s->waiting = 1;
			s->next = t->waiting;
			t->waiting = s;
			MHD_suspend_connection(s->conn);
			pthread_mutex_unlock(&hub->lock);
			return 0;
		}
		pthread_mutex_unlock(&hub->lock);
		if (oom)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	struct event_hub *hub = s->hub;
	pthread_mutex_lock(&hub->lock);
	if (s->waiting) {
		for (struct stream **p = &s->t->waiting; *p; p = &(*p)->next)
			if (*p == s) {
				*p = s->next;
				break;
			}
	}
	s->t->watchers--;
	hub->nstreams--;
	pthread_mutex_unlock(&hub->lock);
	text_unref(s->cur);
	sb_release(&s->out);
	free(s);
}

/* "BOOT-SEQ-ASOF" (or "BOOT-SEQ") of this run into *seq; -1 when it is
 * not one of ours. ASOF says how far the journal reached when the event
 * was read; a page compares it with what it read itself (docs/api.md). */
static int parse_id(const struct event_hub *hub, const char *s, uint64_t *seq)
{
	char *end;
	if (!s)
		return -1;
	unsigned long long boot = strtoull(s, &end, 16);
	if (end == s || *end != '-' || boot != hub->boot)
		return -1;
	const char *p = end + 1;
	if (*p < '0' || *p > '9')
		return -1;
	unsigned long long v = strtoull(p, &end, 10);
	if (*end == '-' && end[1] >= '0' && end[1] <= '9')
		(void)strtoull(end + 1, &end, 10);
	if (*end)
		return -1;
	*seq = v;
	return 0;
}

/* Under hub->lock: the topic of (kind, id), made when new. */
static struct topic *topic_get(struct event_hub *hub, enum events_topic kind, int64_t id)
{
	for (struct topic *t = hub->topics; t; t = t->next)
		if (t->kind == kind && t->id == id && !t->gone)
			return t;
	struct topic *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->kind = kind;
	t->id = id;
	t->until = INT64_MAX;
	t->next = hub->topics;
	hub->topics = t;
	pthread_cond_signal(&hub->tick); /* read it now */
	return t;
}

struct MHD_Response *events_stream(struct event_hub *hub, struct MHD_Connection *conn,
				   enum events_topic topic, int64_t id,
				   const char *last_event_id)
{
	struct stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->hub = hub;
	s->conn = conn;
	s->resume = !parse_id(hub, last_event_id, &s->pos);
	sb_init(&s->out, 1 << 20);
	pthread_mutex_lock(&hub->lock);
	struct topic *t = hub->stopping || hub->nstreams >= hub->max_streams
				  ? NULL : topic_get(hub, topic, id);
	if (t) {
		hub->nstreams++;
		t->watchers++;
		s->t = t;
		s->pings_seen = hub->pings;
	}
	pthread_mutex_unlock(&hub->lock);
	if (!t) {
		free(s);
		return NULL;
	}
	struct MHD_Response *r = NULL;
	if (!sb_adds(&s->out, "retry: 3000\n\n"))
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, s,
						      stream_free);
	if (!r)
		stream_free(s);
	return r;
}
