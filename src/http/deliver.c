/*
 * deliver.c: the delivery thread and the key fetch (deliver.h).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/httpsig.h"
#include "core/strbuf.h"
#include "gov/nodes/nodes.h"
#include "store/store.h"
#include "deliver.h"
#include "outbound.h"
#include "banned.h"

#define POLL_MS 100
#define CONNECT_TIMEOUT 5
#define DOC_MAX (256 * 1024)

struct deliver {
	struct deliver_options o;
	pthread_t thread;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int stopping;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int nap(struct deliver *d)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)POLL_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&d->lock);
	if (!atomic_load(&d->stopping))
		pthread_cond_timedwait(&d->wake, &d->lock, &until);
	pthread_mutex_unlock(&d->lock);
	return atomic_load(&d->stopping);
}

static size_t collect(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct strbuf *sb = arg;
	size_t n = size * nmemb;
	return sb_add(sb, buf, n) ? 0 : n; /* too large: the transfer fails */
}

/* Give up an exchange when the server stops. */
static int progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t e)
{
	(void)a, (void)b, (void)c, (void)e;
	struct deliver *d = arg;
	return d && atomic_load(&d->stopping);
}

static int fetch_key(struct store *db, const char *base, const char *url, int public_only,
		     int keep_name, char *name_out, size_t name_n, unsigned char pk[32],
		     char *why, size_t n)
{
	struct outbound guard = { .public_only = public_only };
	struct strbuf doc;
	sb_init(&doc, DOC_MAX);
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/activity+json");
	CURL *c = curl_easy_init();
	int rc = -1;
	long status = 0;
	json_t *j = NULL;
	char origin[NODES_ORIGIN_MAX];
	if (!c || !h || nodes_origin(url, origin)) {
		snprintf(why, n, "cannot fetch %s", url);
		goto out;
	}
	/* signed, for nodes that answer signed requests only; unsigned when
	 * it cannot be (the key's owner may still answer) */
	(void)outbound_sign_get(db, base, 0, url, &h);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &doc);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	outbound_guard(c, &guard);
	CURLcode cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		outbound_why(&guard, cc, url, why, n);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		snprintf(why, n, "%s answered %ld", url, status);
		goto out;
	}
	j = json_loadb(doc.buf ? doc.buf : "", doc.len, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "id"));
	if (!id || strcmp(id, url)) {
		snprintf(why, n, "%s is not the actor document of that address", url);
		goto out;
	}
	if (nodes_actor_ed25519(j, pk)) {
		snprintf(why, n, "%s gives no Ed25519 key", url);
		goto out;
	}
	const char *name = json_string_value(json_object_get(j, "name"));
	if (!name || !*name)
		name = json_string_value(json_object_get(j, "preferredUsername"));
	if (name_out)
		snprintf(name_out, name_n, "%s", name ? name : "");
	if (keep_name && nodes_actor_name_keep(db, url, name, time(NULL)))
		fprintf(stderr, "pnyx serve: cannot keep the name of %s: %s\n", url,
			store_errmsg(db));
	rc = 0;
out:
	json_decref(j);
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(h);
	sb_release(&doc);
	return rc;
}

int deliver_fetch_key(struct store *db, const char *base, const char *url, int public_only,
		      unsigned char pk[32], char *why, size_t n)
{
	return fetch_key(db, base, url, public_only, 0, NULL, 0, pk, why, n);
}

int deliver_fetch_key_name(struct store *db, const char *base, const char *url,
			   int public_only, unsigned char pk[32], char *name, size_t name_n,
			   char *why, size_t n)
{
	return fetch_key(db, base, url, public_only, 0, name, name_n, pk, why, n);
}

int deliver_fetch_key_named(struct store *db, const char *base, const char *url,
			    int public_only, unsigned char pk[32], char *why, size_t n)
{
	return fetch_key(db, base, url, public_only, 1, NULL, 0, pk, why, n);
}

/* One attempt: POST the activity to the head of a peer's queue. */
static void deliver_one(struct deliver *dl, struct store *db, struct nodes_delivery *d)
{
	char why[300] = "", date[64], digest[HTTPSIG_DIGEST_SIZE], actor_url[700];
	struct px_error err = { 0 };
	long status = 0;
	struct strbuf sig;
	sb_init(&sig, 4096);
	struct curl_slist *h = NULL;
	CURL *c = NULL;
	json_t *act = json_loads(d->activity, 0, NULL);
	const char *actor = json_string_value(json_object_get(act, "actor"));
	size_t blen = strlen(d->activity);
	if (!actor) {
		snprintf(why, sizeof why, "the queued activity has no actor");
		goto done;
	}
	/* the peer's key first, from the actor the activity is sent to: what
	 * it sends back is checked with it (a fediverse server's followers
	 * send nothing that needs it) */
	if (!d->key_known && !d->rsa) {
		unsigned char pk[32];
		size_t n = strlen(d->inbox);
		snprintf(actor_url, sizeof actor_url, "%.*s", (int)(n > 6 ? n - 6 : n), d->inbox);
		char self[NODES_ORIGIN_MAX];
		if (nodes_origin(actor, self) ||
		    deliver_fetch_key_named(db, self, actor_url, dl->o.public_only, pk, why,
					    sizeof why))
			goto done;
		if (nodes_peer_pin(db, d->peer, pk, now_ms() / 1000, &err)) {
			snprintf(why, sizeof why, "%s", px_error_message(&err));
			goto done;
		}
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	httpsig_digest(d->activity, blen, digest);
	const char *host = strstr(d->peer, "://") + 3;
	const char *target = d->inbox + strlen(d->peer);
	struct httpsig_header hdrs[] = {
		{ "host", host }, { "date", date }, { "digest", digest },
	};
	char key_id[800];
	/* to a pnyx node the Ed25519 key; to a fediverse server the RSA one,
	 * the only kind Mastodon verifies (docs/nodes.md, "Keys") */
	snprintf(key_id, sizeof key_id, "%s#%s", actor, d->rsa ? "main-key" : "ed25519-key");
	if (d->rsa ? nodes_sign_request_rsa(db, key_id, "POST", target, hdrs, 3, &sig)
		   : nodes_sign_request(db, key_id, "POST", target, hdrs, 3, &sig)) {
		snprintf(why, sizeof why, "cannot sign the request");
		goto done;
	}
	char line[5000];
	snprintf(line, sizeof line, "Date: %s", date);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "Digest: %s", digest);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof line, "Signature: %s", sig.buf);
	h = curl_slist_append(h, line);
	h = curl_slist_append(h, "Content-Type: application/activity+json");
	h = curl_slist_append(h, "Accept: application/activity+json");
	h = curl_slist_append(h, "Expect:");
	if (!h || !(c = curl_easy_init())) {
		snprintf(why, sizeof why, "out of memory");
		goto done;
	}
	curl_easy_setopt(c, CURLOPT_URL, d->inbox);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, d->activity);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)blen);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)dl->o.timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, dl);
	struct outbound guard = { .public_only = dl->o.public_only };
	outbound_guard(c, &guard);
	struct strbuf answer;
	sb_init(&answer, 4096);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
	CURLcode cc = curl_easy_perform(c);
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status >= 300)
			snprintf(why, sizeof why, "answered %ld: %.200s", status,
				 answer.buf ? answer.buf : "");
	} else {
		outbound_why(&guard, cc, d->inbox, why, sizeof why);
	}
	sb_release(&answer);
done:
	if (!atomic_load(&dl->stopping) || status) {
		if (nodes_outbox_result(db, d, now_ms(), status, *why ? why : NULL, &dl->o.backoff))
			fprintf(stderr, "pnyx serve: delivery: cannot record the outcome of"
				" activity %lld: %s\n", (long long)d->id, store_errmsg(db));
	}
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(h);
	sb_release(&sig);
	json_decref(act);
}

static void *deliver_main(void *arg)
{
	struct deliver *dl = arg;
	struct store *db = NULL;
	struct px_error err = { 0 };
	if (store_open(dl->o.db_path, 0, &db, &err)) {
		fprintf(stderr, "pnyx serve: delivery to other nodes stopped: %s\n",
			px_error_message(&err));
		return NULL;
	}
	int64_t posts_at = 0;
	do {
		/* the posts of what followed bodies decided, once a second */
		int queued = 0;
		if (now_ms() - posts_at >= 1000) {
			posts_at = now_ms();
			if (nodes_posts_queue(db, &queued))
				fprintf(stderr, "pnyx serve: cannot queue the posts for followers:"
					" %s\n", store_errmsg(db));
		}
		for (;;) {
			struct nodes_delivery d;
			int found = 0;
			if (atomic_load(&dl->stopping) ||
			    nodes_outbox_next(db, now_ms(), &d, &found) || !found)
				break;
			deliver_one(dl, db, &d);
			free(d.activity);
		}
	} while (!nap(dl));
	store_close(db);
	return NULL;
}

void deliver_defaults(struct deliver_options *o)
{
	o->backoff.base_ms = DELIVER_RETRY_MS_DEFAULT;
	o->backoff.cap_ms = (int64_t)DELIVER_CAP_DEFAULT * 1000;
	o->backoff.unavailable_after = DELIVER_UNAVAILABLE_DEFAULT;
	o->timeout = DELIVER_TIMEOUT_DEFAULT;
	const char *hook = getenv("PNYX_TEST_PEER_SCHEDULE");
	long long base = 0, cap = 0, unavailable = 0;
	if (hook && sscanf(hook, "%lld,%lld,%lld", &base, &cap, &unavailable) == 3 &&
	    base > 0 && cap >= base && unavailable > 0) {
		o->backoff.base_ms = base;
		o->backoff.cap_ms = cap;
		o->backoff.unavailable_after = unavailable;
		o->timeout = 5;
	}
}

int deliver_start(const struct deliver_options *o, struct deliver **out, struct px_error *err)
{
	struct deliver *d = calloc(1, sizeof *d);
	*out = NULL;
	if (!d)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	/* before any thread: libcurl's global state is set up once */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(d);
		return px_fail(err, PX_E_INTERNAL, NULL, "cannot start libcurl");
	}
	d->o = *o;
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	if (pthread_create(&d->thread, NULL, deliver_main, d)) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return px_fail(err, PX_E_NOMEM, NULL, "cannot start the delivery thread");
	}
	d->started = 1;
	*out = d;
	return 0;
}

void deliver_stop(struct deliver *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	atomic_store(&d->stopping, 1);
	pthread_cond_broadcast(&d->wake);
	pthread_mutex_unlock(&d->lock);
	if (d->started)
		pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
	curl_global_cleanup();
}
