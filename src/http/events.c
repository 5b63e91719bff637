/*
 * events.c: the hub of live streams, of meetings and of proposals (see
 * events.h).
 *
 * Invariants, under hub->lock: a stream is in the waiting list exactly
 * when its connection is suspended by us; it leaves the list only by
 * being resumed (changed, ping, shutdown) or freed. A stream compares the
 * hub's version with the one it last looked at, so a change that happens
 * while it builds an event is not missed.
 *
 * The clock changes things too: a meeting opens at its time and lapses
 * twelve hours later with nobody writing anything. Each snapshot says until
 * when it holds by the clock alone; the hub keeps the earliest such moment
 * (wake_at) and its timer thread, at that moment, counts it as a change
 * (a new version, every waiting stream woken), as a write would.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "gov/procedure/procedure.h"
#include "gov/federation/federation.h"
#include "store/store.h"
#include "events.h"
#include "banned.h"

struct stream {
	struct event_hub *hub;
	struct MHD_Connection *conn;
	enum events_topic topic;
	int64_t id;
	uint64_t seen;       /* hub version last looked at */
	uint64_t pings_seen;
	int waiting;         /* in the waiting list, connection suspended */
	char *last;          /* the last event's data, to send only changes */
	struct strbuf out;   /* bytes to send */
	size_t off;
	struct stream *next; /* waiting list */
};

/* The last snapshot built per meeting or proposal: every screen watching
 * one shares one build per change instead of each making its own. */
#define SNAPSHOT_CACHE 64
struct snapshot_slot {
	enum events_topic topic;
	int64_t id;
	uint64_t version;
	int64_t until;  /* holds by the clock until then */
	char *data;
};

struct event_hub {
	struct snapshot_slot cache[SNAPSHOT_CACHE];
	pthread_mutex_t lock;
	pthread_cond_t tick;
	pthread_t pinger;
	int pinger_started;
	struct store_pool *pool;
	uint64_t version, pings;
	int64_t wake_at;     /* the earliest moment a snapshot stops holding */
	int stopping;
	size_t nstreams;
	struct stream *waiting;
};

static void wake_all(struct event_hub *hub)
{
	/* under hub->lock */
	for (struct stream *s = hub->waiting; s; s = s->next) {
		s->waiting = 0;
		MHD_resume_connection(s->conn);
	}
	hub->waiting = NULL;
}

/* The timer: a heartbeat every EVENTS_PING_SECONDS, and a change at
 * wake_at. A stream that lowers wake_at signals tick, so the wait is
 * measured again. */
static void *pinger(void *arg)
{
	struct event_hub *hub = arg;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t next_ping = (int64_t)now.tv_sec + EVENTS_PING_SECONDS;
	pthread_mutex_lock(&hub->lock);
	while (!hub->stopping) {
		struct timespec t = { .tv_sec = (time_t)next_ping };
		if (hub->wake_at < next_ping)
			t.tv_sec = (time_t)hub->wake_at;
		pthread_cond_timedwait(&hub->tick, &hub->lock, &t);
		if (hub->stopping)
			break;
		clock_gettime(CLOCK_REALTIME, &now);
		int woken = 0;
		if ((int64_t)now.tv_sec >= hub->wake_at) {
			/* the clock moved a meeting on: a change like a write */
			hub->wake_at = INT64_MAX;
			hub->version++;
			woken = 1;
		}
		if ((int64_t)now.tv_sec >= next_ping) {
			hub->pings++;
			next_ping = (int64_t)now.tv_sec + EVENTS_PING_SECONDS;
			woken = 1;
		}
		if (woken)
			wake_all(hub);
	}
	pthread_mutex_unlock(&hub->lock);
	return NULL;
}

struct event_hub *events_new(struct store_pool *pool)
{
	struct event_hub *hub = calloc(1, sizeof(*hub));
	if (!hub)
		return NULL;
	pthread_mutex_init(&hub->lock, NULL);
	pthread_cond_init(&hub->tick, NULL);
	hub->pool = pool;
	hub->wake_at = INT64_MAX;
	if (pthread_create(&hub->pinger, NULL, pinger, hub)) {
		events_free(hub);
		return NULL;
	}
	hub->pinger_started = 1;
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
	if (hub->pinger_started)
		pthread_join(hub->pinger, NULL);
	for (size_t i = 0; i < SNAPSHOT_CACHE; i++)
		free(hub->cache[i].data);
	pthread_mutex_destroy(&hub->lock);
	pthread_cond_destroy(&hub->tick);
	free(hub);
}

void events_changed(struct event_hub *hub)
{
	pthread_mutex_lock(&hub->lock);
	hub->version++;
	wake_all(hub);
	pthread_mutex_unlock(&hub->lock);
}

/* The meeting's live state as event data, or NULL when it is gone; *until,
 * when its state changes by the clock. */
static char *meeting_snapshot(const struct gov_ctx *live, int64_t meeting, int64_t *until)
{
	struct gov_ctx ctx = *live;
	json_t *m = NULL, *votes = json_array();
	char *text = NULL;
	if (gov_meeting_get(&ctx, meeting, &m, NULL) == 0) {
		*until = gov_meeting_state_ends(m);
		size_t i;
		json_t *item;
		json_array_foreach(json_object_get(m, "agenda"), i, item) {
			const char *status = json_string_value(json_object_get(item, "status"));
			json_t *c = NULL;
			if (status && !strcmp(status, "voting") &&
			    !gov_vote_counts(&ctx, json_integer_value(json_object_get(item, "id")),
					     &c, NULL))
				json_array_append_new(votes, c);
			size_t k;
			json_t *sub;
			json_array_foreach(json_object_get(item, "amendments"), k, sub) {
				status = json_string_value(json_object_get(sub, "status"));
				if (status && !strcmp(status, "voting") &&
				    !gov_vote_counts(&ctx, json_integer_value(
						json_object_get(sub, "id")), &c, NULL))
					json_array_append_new(votes, c);
			}
		}
		json_t *ev = json_pack("{s:o, s:O}", "meeting", m, "votes", votes);
		text = json_dumps(ev, JSON_COMPACT);
		json_decref(ev);
	}
	json_decref(votes);
	return text;
}

/* A proposal's status (as GET /api/v1/proposals/{id}/status). */
static char *proposal_snapshot(const struct gov_ctx *ctx, int64_t proposal,
				int64_t *until)
{
	(void)until; /* a proposal's status changes only by answers */
	json_t *st = NULL;
	char *text = NULL;
	if (gov_proposal_status(ctx, proposal, NULL, &st, NULL) == 0)
		text = json_dumps(st, JSON_COMPACT);
	json_decref(st);
	return text;
}

/* What each topic's stream sends, by its event name. */
static const struct {
	const char *event;
	char *(*build)(const struct gov_ctx *ctx, int64_t id, int64_t *until);
} topics[] = {
	[EVENTS_MEETING] = { "meeting", meeting_snapshot },
	[EVENTS_PROPOSAL] = { "proposal", proposal_snapshot },
};

struct snapshot_args {
	struct gov_ctx ctx;
	enum events_topic topic;
	int64_t id;
	int64_t until;
	char *text;
};

static int snapshot_read(struct store *db, void *arg)
{
	struct snapshot_args *a = arg;
	(void)db;
	free(a->text); /* a busy read runs this again */
	a->until = INT64_MAX;
	a->text = topics[a->topic].build(&a->ctx, a->id, &a->until);
	return 0;
}

/* One event is one moment, like a GET: built in one read transaction.
 * *until: when the subject's state changes by the clock alone (a meeting
 * opening or lapsing), or INT64_MAX. */
static char *snapshot(struct event_hub *hub, enum events_topic topic, int64_t id,
		      int64_t *until)
{
	struct store *db = store_pool_get(hub->pool);
	struct snapshot_args a = { { .db = db, .now = (int64_t)time(NULL) }, topic, id,
				   INT64_MAX, NULL };
	if (store_read(db, snapshot_read, &a)) {
		free(a.text);
		a.text = NULL;
	}
	*until = a.until;
	store_pool_put(hub->pool, db);
	return a.text;
}

/* Under hub->lock: the hub wakes at until (if sooner than planned). */
static void wake_by(struct event_hub *hub, int64_t until)
{
	if (until < hub->wake_at) {
		hub->wake_at = until;
		pthread_cond_broadcast(&hub->tick);
	}
}

/* The snapshot of a stream's subject at version, from the cache or built
 * (and then cached). A new string the caller frees, or NULL. */
static char *shared_snapshot(struct event_hub *hub, enum events_topic topic, int64_t id,
			     uint64_t version)
{
	struct snapshot_slot *slot =
		&hub->cache[((uint64_t)id * 2 + (uint64_t)topic) % SNAPSHOT_CACHE];
	char *copy = NULL;
	int64_t until;
	pthread_mutex_lock(&hub->lock);
	if (slot->data && slot->topic == topic && slot->id == id && slot->version == version) {
		copy = strdup(slot->data);
		wake_by(hub, slot->until);
	}
	pthread_mutex_unlock(&hub->lock);
	if (copy)
		return copy;
	char *data = snapshot(hub, topic, id, &until);
	if (!data)
		return NULL;
	pthread_mutex_lock(&hub->lock);
	if (!slot->data || slot->topic != topic || slot->id != id ||
	    slot->version <= version) {
		free(slot->data);
		slot->data = strdup(data);
		slot->topic = topic;
		slot->id = id;
		slot->version = version;
		slot->until = until;
	}
	wake_by(hub, until);
	pthread_mutex_unlock(&hub->lock);
	return data;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *s = cls;
	struct event_hub *hub = s->hub;
	(void)pos;
	for (;;) {
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
		pthread_mutex_lock(&hub->lock);
		int stopping = hub->stopping;
		uint64_t version = hub->version, pings = hub->pings;
		int fresh = version != s->seen || !s->last;
		int ping = pings != s->pings_seen;
		if (!stopping && !fresh && !ping) {
			/* nothing new: park the connection until woken */
			s->waiting = 1;
			s->next = hub->waiting;
			hub->waiting = s;
			MHD_suspend_connection(s->conn);
			pthread_mutex_unlock(&hub->lock);
			return 0;
		}
		pthread_mutex_unlock(&hub->lock);
		if (stopping)
			return MHD_CONTENT_READER_END_OF_STREAM;
		s->seen = version;
		s->pings_seen = pings;
		if (fresh) {
			char *data = shared_snapshot(hub, s->topic, s->id, version);
			if (!data)
				return MHD_CONTENT_READER_END_OF_STREAM;
			if (!s->last || strcmp(data, s->last)) {
				free(s->last);
				s->last = data;
				if (sb_addf(&s->out, "event: %s\ndata: %s\n\n",
					    topics[s->topic].event, data))
					return MHD_CONTENT_READER_END_WITH_ERROR;
				continue;
			}
			free(data);
		}
		if (ping && sb_adds(&s->out, ": ping\n\n"))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	struct event_hub *hub = s->hub;
	pthread_mutex_lock(&hub->lock);
	if (s->waiting) {
		for (struct stream **p = &hub->waiting; *p; p = &(*p)->next)
			if (*p == s) {
				*p = s->next;
				break;
			}
	}
	hub->nstreams--;
	pthread_mutex_unlock(&hub->lock);
	free(s->last);
	sb_release(&s->out);
	free(s);
}

struct MHD_Response *events_stream(struct event_hub *hub, struct MHD_Connection *conn,
				   enum events_topic topic, int64_t id)
{
	struct stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->hub = hub;
	s->conn = conn;
	s->topic = topic;
	s->id = id;
	sb_init(&s->out, 1 << 20);
	pthread_mutex_lock(&hub->lock);
	int full = hub->nstreams >= EVENTS_MAX_STREAMS || hub->stopping;
	if (!full)
		hub->nstreams++;
	s->pings_seen = hub->pings;
	pthread_mutex_unlock(&hub->lock);
	if (full) {
		free(s);
		return NULL;
	}
	sb_adds(&s->out, "retry: 3000\n\n");
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 4096, reader, s, stream_free);
	if (!r)
		stream_free(s);
	return r;
}
