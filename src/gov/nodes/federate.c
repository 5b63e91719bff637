/*
 * federate.c: activities between pnyx nodes (nodes.h, docs/nodes.md):
 * what arrives at an inbox, what waits in the outbox, the peers.
 *
 * An activity arriving is checked in this order, and the first failure is
 * the answer: its HTTP signature (httpsig.c) and its own Ed25519
 * signature over its canonical form (jcs.c), with the key the sending
 * node is known by (pinned at first contact); then the trust this node
 * has in that node (a relationship an assembly here made by its decision,
 * or, for a request to join, none needed: a request only offers); then
 * what it says. An activity accepted is journalled (node.receive) with
 * its signature and the key that verified it, in the transaction of its
 * effect; a refusal is journalled too (node.refuse), in a transaction of
 * its own. An activity whose id was seen is dropped: a resend after a
 * crash is normal.
 *
 * Nothing an activity says takes effect here by itself: a request to
 * join is offered to the delegate assembly, which accepts or refuses it
 * by its own decision; an acceptance only completes what an assembly here
 * decided (its request to join).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "core/jcs.h"
#include "core/strbuf.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "store/journal.h"
#include "store/store.h"
#include "banned.h"

#define AS_CONTEXT "https://www.w3.org/ns/activitystreams"
#define PNYX_NS "urn:pnyx:ns#"
#define SIG_TYPE "pnyx:JcsEd25519Signature"
/* How far a request's Date may be from this node's clock. */
#define DATE_SKEW 300

/* ---- addresses ---- */

int nodes_origin(const char *url, char out[NODES_ORIGIN_SIZE])
{
	const char *host;
	if (!url)
		return -1;
	if (!strncmp(url, "http://", 7))
		host = url + 7;
	else if (!strncmp(url, "https://", 8))
		host = url + 8;
	else
		return -1;
	size_t n = strcspn(host, "/?#");
	if (n == 0 || memchr(host, '@', n))
		return -1;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return -1;
	size_t len = (size_t)(host - url) + n;
	if (len >= NODES_ORIGIN_SIZE)
		return -1;
	memcpy(out, url, len);
	out[len] = '\0';
	return 0;
}

int nodes_actor_slug(const char *url, const char *origin, char *slug)
{
	size_t o = strlen(origin);
	if (strncmp(url, origin, o) || strncmp(url + o, "/bodies/", 8))
		return -1;
	const char *s = url + o + 8;
	size_t n = strlen(s);
	if (n < 2 || n > 64)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return -1;
	memcpy(slug, s, n + 1);
	return 0;
}

int nodes_self_base(struct store *s, char base[NODES_URL_SIZE])
{
	struct strbuf sb;
	sb_init(&sb, NODES_URL_SIZE - 1);
	int found = 0;
	int rc = store_text(store_stmt(s, "SELECT base FROM node_self WHERE id = 1"), &sb, &found);
	snprintf(base, NODES_URL_SIZE, "%s", !rc && found && sb.buf ? sb.buf : "");
	sb_release(&sb);
	return rc;
}

int nodes_set_base(struct store *s, const char *base, struct px_error *err)
{
	char origin[NODES_ORIGIN_SIZE];
	if (nodes_origin(base, origin) || strlen(base) >= NODES_URL_SIZE)
		return px_fail(err, PX_E_BAD_INPUT, "public-url", "not an http(s) address: %s",
			       base);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_self(id, base) VALUES (1, ?)"
				      " ON CONFLICT(id) DO UPDATE SET base = excluded.base");
	if (st)
		sqlite3_bind_text(st, 1, base, -1, SQLITE_TRANSIENT);
	int rc = store_run(st);
	return rc ? px_fail(err, rc, NULL, "cannot record this node's address") : 0;
}

/* ---- signatures over activities ---- */

static int canonical(const json_t *act, struct strbuf *out)
{
	json_t *copy = json_deep_copy(act);
	if (!copy)
		return PX_E_NOMEM;
	json_object_del(copy, "signature");
	int rc = jcs_append(copy, out);
	json_decref(copy);
	return rc;
}

/* Sign act in place with the node key, as keyId. */
static int sign_activity(struct store *s, json_t *act, const char *key_id)
{
	struct strbuf c;
	sb_init(&c, 0);
	unsigned char sig[64];
	int rc = canonical(act, &c);
	if (!rc)
		rc = store_sign(s, (const unsigned char *)c.buf, c.len, sig);
	sb_release(&c);
	if (rc)
		return rc;
	char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, sig, 64, sodium_base64_VARIANT_ORIGINAL);
	return json_object_set_new(act, "signature", json_pack("{s:s, s:s, s:s}", "type",
				   SIG_TYPE, "creator", key_id, "signatureValue", b64))
		? PX_E_NOMEM : 0;
}

/* 0 when act's own signature verifies with pk. */
static int verify_activity(const json_t *act, const unsigned char pk[32], struct px_error *err)
{
	const json_t *sig = json_object_get(act, "signature");
	const char *type = json_string_value(json_object_get(sig, "type"));
	const char *value = json_string_value(json_object_get(sig, "signatureValue"));
	if (!type || strcmp(type, SIG_TYPE) || !value)
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the activity carries no signature of its own (" SIG_TYPE ")");
	unsigned char raw[64];
	size_t n = 0;
	if (sodium_base642bin(raw, sizeof raw, value, strlen(value), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) || n != 64)
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the activity's signature is not 64 bytes in base64");
	struct strbuf c;
	sb_init(&c, 0);
	int rc = canonical(act, &c);
	if (rc) {
		sb_release(&c);
		return px_fail(err, PX_E_BAD_INPUT, "body",
			       "the activity has no canonical form (a real number?)");
	}
	int bad = crypto_sign_verify_detached(raw, (const unsigned char *)c.buf, c.len, pk);
	sb_release(&c);
	return bad ? px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			     "the activity's own signature does not verify") : 0;
}

int nodes_pem_key(const char *pem, unsigned char pk[32])
{
	static const unsigned char prefix[12] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
						   0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
	const char *b = pem ? strstr(pem, "-----BEGIN PUBLIC KEY-----") : NULL;
	const char *e = b ? strstr(b, "-----END PUBLIC KEY-----") : NULL;
	if (!e)
		return -1;
	b += strlen("-----BEGIN PUBLIC KEY-----");
	unsigned char der[64];
	size_t n = 0;
	if (sodium_base642bin(der, sizeof der, b, (size_t)(e - b), " \r\n\t", &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) || n != 44 ||
	    memcmp(der, prefix, sizeof prefix))
		return -1;
	memcpy(pk, der + 12, 32);
	return 0;
}

/* ---- the journal head an activity carries ---- */

static json_t *journal_head(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT seq, hash FROM journal_head WHERE id = 1");
	int row = 0;
	json_t *h = NULL;
	if (!st || store_step(st, &row) || !row)
		return json_null();
	char hex[JOURNAL_HASH_LEN * 2 + 1] = "";
	if (sqlite3_column_bytes(st, 1) == JOURNAL_HASH_LEN)
		sodium_bin2hex(hex, sizeof hex, sqlite3_column_blob(st, 1), JOURNAL_HASH_LEN);
	h = json_pack("{s:I, s:s}", "seq", (json_int_t)sqlite3_column_int64(st, 0), "hash", hex);
	sqlite3_reset(st);
	return h ? h : json_null();
}

static json_t *when_json(int64_t at)
{
	time_t tt = (time_t)at;
	struct tm tm;
	char buf[32] = "1970-01-01T00:00:00Z";
	if (gmtime_r(&tt, &tm))
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

/* ---- the outbox ---- */

static int peer_seen(struct store *s, const char *origin, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_peers(origin, first_seen)"
				      " VALUES (?, ?) ON CONFLICT(origin) DO NOTHING");
	if (st) {
		sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, now);
	}
	return store_run(st);
}

int nodes_enqueue(struct store *s, const char *type, const char *slug, const char *to_actor,
		  json_t *object, const char *name, int64_t motion, const char *title,
		  int64_t now)
{
	return nodes_enqueue_with(s, type, slug, to_actor, object, name, motion, title, NULL,
				  now);
}

int nodes_enqueue_with(struct store *s, const char *type, const char *slug,
		       const char *to_actor, json_t *object, const char *name,
		       int64_t motion, const char *title, json_t *extra, int64_t now)
{
	char base[NODES_URL_SIZE], origin[NODES_ORIGIN_SIZE];
	int rc = 0;
	json_t *act = NULL;
	if (store_replaying(s))
		goto out; /* sent when the decision was taken */
	if ((rc = nodes_self_base(s, base)))
		goto out;
	if (!*base || nodes_origin(to_actor, origin)) {
		rc = PX_E_CONFLICT; /* serve records the address before it serves */
		goto out;
	}
	char id[NODES_URL_SIZE * 2], actor[NODES_URL_SIZE + 80], key_id[NODES_URL_SIZE + 100],
		motion_url[NODES_URL_SIZE + 40], inbox[NODES_URL_SIZE + 10];
	snprintf(id, sizeof id, "%s/activities/%s", base, name);
	snprintf(actor, sizeof actor, "%s/bodies/%s", base, slug);
	snprintf(key_id, sizeof key_id, "%s#ed25519-key", actor);
	snprintf(motion_url, sizeof motion_url, "%s/motion.html?id=%" PRId64, base, motion);
	snprintf(inbox, sizeof inbox, "%s/inbox", to_actor);
	act = json_pack("{s:[s,{s:s}], s:s, s:s, s:s, s:O, s:[s], s:o,"
			" s:{s:I, s:s, s:s}, s:o}",
			"@context", AS_CONTEXT, "pnyx", PNYX_NS,
			"id", id, "type", type, "actor", actor, "object", object,
			"to", to_actor, "published", when_json(now),
			"pnyx:decision", "id", (json_int_t)motion, "url", motion_url,
			"title", title ? title : "",
			"pnyx:journalHead", journal_head(s));
	if (!act) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* what is added to or removed from: the delegate assembly there */
	if ((!strcmp(type, "Add") || !strcmp(type, "Remove")) &&
	    json_object_set_new(act, "target", json_string(to_actor))) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (extra && json_object_update(act, extra)) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if ((rc = sign_activity(s, act, key_id)))
		goto out;
	char *text = json_dumps(act, JSON_COMPACT);
	if (!text) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (!(rc = peer_seen(s, origin, now))) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_outbox(peer, inbox, activity_id,"
					      " activity, created_at) VALUES (?, ?, ?, ?, ?)");
		if (st) {
			sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, inbox, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 5, now);
		}
		rc = store_run(st);
	}
	free(text);
out:
	json_decref(object);
	json_decref(extra);
	json_decref(act);
	return rc;
}

/* ---- delivery (the server's delivery thread) ---- */

struct next_arg {
	int64_t now_ms;
	struct nodes_delivery *d;
	int *found;
};

static int next_tx(struct store *s, void *arg)
{
	struct next_arg *a = arg;
	*a->found = 0;
	/* the head of each peer's queue, the one due first */
	sqlite3_stmt *st = store_stmt(s,
		"SELECT o.id, o.peer, o.inbox, o.activity, o.attempts, p.public_key IS NOT NULL,"
		" o.signer = 'rsa'"
		" FROM node_outbox o JOIN node_peers p ON p.origin = o.peer"
		" WHERE o.status = 'queued' AND o.next_ms <= ?"
		" AND o.id = (SELECT min(id) FROM node_outbox q WHERE q.peer = o.peer"
		"   AND q.status = 'queued')"
		" ORDER BY o.next_ms, o.id LIMIT 1");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now_ms);
	int row = 0, rc = store_step(st, &row);
	if (rc || !row)
		return rc;
	struct nodes_delivery *d = a->d;
	d->id = sqlite3_column_int64(st, 0);
	snprintf(d->peer, sizeof d->peer, "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(d->inbox, sizeof d->inbox, "%s", (const char *)sqlite3_column_text(st, 2));
	d->activity = strdup((const char *)sqlite3_column_text(st, 3));
	d->attempts = sqlite3_column_int64(st, 4);
	d->key_known = sqlite3_column_int(st, 5);
	d->rsa = sqlite3_column_int(st, 6);
	sqlite3_reset(st);
	if (!d->activity)
		return PX_E_NOMEM;
	*a->found = 1;
	return 0;
}

int nodes_outbox_next(struct store *s, int64_t now_ms, struct nodes_delivery *d, int *found)
{
	memset(d, 0, sizeof *d);
	struct next_arg a = { now_ms, d, found };
	int rc = store_read(s, next_tx, &a);
	if (rc) {
		free(d->activity);
		d->activity = NULL;
		*found = 0;
	}
	return rc;
}

struct result_arg {
	const struct nodes_delivery *d;
	int64_t now_ms;
	long status;
	const char *error;
	const struct nodes_backoff *b;
};

static int result_tx(struct store *s, void *arg)
{
	struct result_arg *a = arg;
	int64_t now = a->now_ms / 1000;
	int ok = a->status >= 200 && a->status < 300;
	int final = !ok && a->status >= 400 && a->status < 500 && a->status != 429 &&
		    a->status != 408;
	sqlite3_stmt *st;
	int rc;
	if (ok || final) {
		st = store_stmt(s, "UPDATE node_outbox SET status = ?, done_at = ?,"
				" attempts = attempts + 1, last_status = ?, last_error = ?"
				" WHERE id = ?");
		if (st) {
			sqlite3_bind_text(st, 1, ok ? "delivered" : "refused", -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, now);
			sqlite3_bind_int64(st, 3, a->status);
			if (a->error)
				sqlite3_bind_text(st, 4, a->error, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 5, a->d->id);
		}
		if ((rc = store_run(st)))
			return rc;
		/* the peer answered: it is there */
		st = store_stmt(s, "UPDATE node_peers SET state = 'active', failing_since = NULL,"
				" last_success = ?, last_error = NULL WHERE origin = ?");
		if (st) {
			sqlite3_bind_int64(st, 1, now);
			sqlite3_bind_text(st, 2, a->d->peer, -1, SQLITE_TRANSIENT);
		}
		return store_run(st);
	}
	/* again later: base, doubled at each attempt, at most cap */
	int64_t delay = a->b->base_ms;
	for (int64_t i = 0; i < a->d->attempts && delay < a->b->cap_ms; i++)
		delay *= 2;
	if (delay > a->b->cap_ms)
		delay = a->b->cap_ms;
	st = store_stmt(s, "UPDATE node_outbox SET attempts = attempts + 1, next_ms = ?,"
			" last_status = ?, last_error = ? WHERE id = ?");
	if (st) {
		sqlite3_bind_int64(st, 1, a->now_ms + delay);
		if (a->status)
			sqlite3_bind_int64(st, 2, a->status);
		if (a->error)
			sqlite3_bind_text(st, 3, a->error, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, a->d->id);
	}
	if ((rc = store_run(st)))
		return rc;
	st = store_stmt(s, "UPDATE node_peers SET failing_since = coalesce(failing_since, ?),"
			" last_error = ? WHERE origin = ?");
	if (st) {
		sqlite3_bind_int64(st, 1, now);
		if (a->error)
			sqlite3_bind_text(st, 2, a->error, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, a->d->peer, -1, SQLITE_TRANSIENT);
	}
	if ((rc = store_run(st)))
		return rc;
	/* the circuit breaker: failing for so long, the peer is unavailable;
	 * its queue is then tried once per cap, until it answers */
	st = store_stmt(s, "UPDATE node_peers SET state = 'unavailable'"
			" WHERE origin = ? AND failing_since <= ?");
	if (st) {
		sqlite3_bind_text(st, 1, a->d->peer, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, now - a->b->unavailable_after);
	}
	return store_run(st);
}

int nodes_outbox_result(struct store *s, const struct nodes_delivery *d, int64_t now_ms,
			long status, const char *error, const struct nodes_backoff *b)
{
	struct result_arg a = { d, now_ms, status, error, b };
	return store_tx(s, result_tx, &a);
}

struct key_arg {
	const char *origin;
	unsigned char *pk;
	int *found;
};

static int key_tx(struct store *s, void *arg)
{
	struct key_arg *a = arg;
	sqlite3_stmt *st = store_stmt(s, "SELECT public_key FROM node_peers WHERE origin = ?"
				      " AND public_key IS NOT NULL");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, a->origin, -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	*a->found = 0;
	if (!rc && row && sqlite3_column_bytes(st, 0) == 32) {
		memcpy(a->pk, sqlite3_column_blob(st, 0), 32);
		*a->found = 1;
	}
	if (!rc && row)
		sqlite3_reset(st);
	return rc;
}

int nodes_peer_key(struct store *s, const char *origin, unsigned char pk[32], int *found)
{
	struct key_arg a = { origin, pk, found };
	return store_read(s, key_tx, &a);
}

/* Pin pk as origin's key when it has none; PX_E_BAD_SIGNATURE when it has
 * another. */
static int pin_key(struct store *s, const char *origin, const unsigned char pk[32],
		   int64_t now, struct px_error *err)
{
	int rc = peer_seen(s, origin, now);
	unsigned char have[32];
	int found = 0;
	struct key_arg a = { origin, have, &found };
	if (!rc)
		rc = key_tx(s, &a);
	if (rc)
		return rc;
	if (found)
		return memcmp(have, pk, 32)
			? px_fail(err, PX_E_BAD_SIGNATURE, "signature", "%s signs with another"
				  " key than the one it is known by", origin) : 0;
	sqlite3_stmt *st = store_stmt(s, "UPDATE node_peers SET public_key = ? WHERE origin = ?");
	if (st) {
		sqlite3_bind_blob(st, 1, pk, 32, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, origin, -1, SQLITE_TRANSIENT);
	}
	return store_run(st);
}

struct pin_arg {
	const char *origin;
	const unsigned char *pk;
	int64_t now;
	struct px_error *err;
};

static int pin_tx(struct store *s, void *arg)
{
	struct pin_arg *a = arg;
	return pin_key(s, a->origin, a->pk, a->now, a->err);
}

int nodes_peer_pin(struct store *s, const char *origin, const unsigned char pk[32],
		   int64_t now, struct px_error *err)
{
	struct pin_arg a = { origin, pk, now, err };
	return store_tx(s, pin_tx, &a);
}

int nodes_sign_request(struct store *s, const char *key_id, const char *method,
		       const char *target, const struct httpsig_header *hdrs, size_t n,
		       struct strbuf *out)
{
	static const char list[] = "(request-target) host date digest";
	struct strbuf text;
	sb_init(&text, 0);
	unsigned char sig[64];
	int rc = httpsig_signing_string(method, target, hdrs, n, list, &text);
	if (!rc)
		rc = store_sign(s, (const unsigned char *)text.buf, text.len, sig);
	sb_release(&text);
	if (rc)
		return rc;
	char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, sig, 64, sodium_base64_VARIANT_ORIGINAL);
	return sb_addf(out, "keyId=\"%s\",algorithm=\"hs2019\",headers=\"%s\",signature=\"%s\"",
		       key_id, list, b64);
}

/* ---- the inbox ---- */

/* The relation's row id for (body, remote actor, side) in one of the
 * statuses given (a comma-separated SQL list), 0 when none. */
static int relation_find(struct store *s, int64_t body, const char *actor, const char *side,
			 const char *request, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM node_relations WHERE body_id = ?"
				      " AND remote_actor = ? AND side = ? AND (? IS NULL OR"
				      " request_id = ?) AND status IN ('requested', 'offered',"
				      " 'active') ORDER BY id DESC LIMIT 1");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, side, -1, SQLITE_STATIC);
	if (request) {
		sqlite3_bind_text(st, 4, request, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, request, -1, SQLITE_TRANSIENT);
	}
	return store_int64(st, id, NULL);
}

/* *yes: 1 when an assembly here has a relation with an actor at origin
 * that its decision made or accepted (requested, or active). */
static int trusted(struct store *s, const char *origin, int *yes)
{
	char like[NODES_ORIGIN_SIZE + 4];
	snprintf(like, sizeof like, "%s/", origin);
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node_relations WHERE"
				      " substr(remote_actor, 1, length(?1)) = ?1 AND"
				      " (status = 'active' OR (side = 'member' AND status ="
				      " 'requested'))");
	if (st)
		sqlite3_bind_text(st, 1, like, -1, SQLITE_TRANSIENT);
	return store_exists(st, yes);
}

/* 0 when an assembly here has a relationship with origin's node; else
 * PX_E_UNKNOWN_PEER failed in err (or the database's failure). */
static int trusted_or_refuse(struct store *s, const char *origin, struct px_error *err)
{
	int yes = 0, rc = trusted(s, origin, &yes);
	if (rc)
		return rc;
	return yes ? 0 : px_fail(err, PX_E_UNKNOWN_PEER, "actor", "no assembly here has a"
				 " relationship with %s", origin);
}

static int body_id_of(struct store *s, const char *slug, int64_t *id, char kind[16], int *found)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, kind FROM bodies WHERE slug = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	*found = 0;
	if (!rc && row) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 1));
		*found = 1;
		sqlite3_reset(st);
	}
	return rc;
}

/* The effect of an activity accepted, live or replayed: the rows it makes.
 * eff: {"relation": id, "status": ..., "body": slug (a join)}. */
static int apply_activity(struct store *s, const json_t *act, const char *peer,
			  const json_t *eff, int64_t at, struct px_error *err)
{
	const char *type = json_string_value(json_object_get(act, "type"));
	const char *id = json_string_value(json_object_get(act, "id"));
	const char *actor = json_string_value(json_object_get(act, "actor"));
	int64_t rel = json_integer_value(json_object_get(eff, "relation"));
	const json_t *head = json_object_get(act, "pnyx:journalHead");
	sqlite3_stmt *st;
	int rc;
	if (!type || !id || !actor)
		return px_fail(err, PX_E_BAD_INPUT, "body", "an activity has an id, a type"
			       " and an actor");
	if (json_object_get(eff, "rotation")) {
		/* a peer's new key (keys.c) */
		if ((rc = nodes_rotation_apply(s, act, peer, eff, at, err)))
			return rc;
	} else if (json_object_get(eff, "notice")) {
		/* a declaration or a suspension's news (declare.c) */
		if ((rc = nodes_notice_apply(s, act, eff, at, err)))
			return rc;
	} else if (!strcmp(type, "Create")) {
		if ((rc = nodes_vote_apply(s, act, eff, at, err)))
			return rc;
	} else if (!strcmp(type, "Offer")) {
		if ((rc = nodes_offer_apply(s, act, eff, at, err)))
			return rc;
	} else if (!strcmp(type, "Announce")) {
		if ((rc = nodes_met_apply(s, eff, at, err)))
			return rc;
	} else if (json_object_get(eff, "ended")) {
		/* a departure or a removal (leave.c) */
		if ((rc = nodes_leave_apply(s, act, eff, at, err)))
			return rc;
	} else if (json_object_get(eff, "offer")) {
		/* an answer to an offer this node made (Accept or Reject) */
		if ((rc = nodes_answer_apply(s, act, peer, eff, at, err)))
			return rc;
	} else if (!strcmp(type, "Join")) {
		int64_t body = 0, made = 0;
		char kind[16];
		int found = 0;
		const char *slug = json_string_value(json_object_get(eff, "body"));
		if ((rc = body_id_of(s, slug ? slug : "", &body, kind, &found)))
			return rc;
		if (!found)
			return px_fail(err, PX_E_NOT_FOUND, "object", "no body '%s' here",
				       slug ? slug : "");
		st = store_stmt(s, "INSERT INTO node_relations(body_id, remote_actor, side,"
				" status, request_id, since, changed_at) VALUES (?, ?, 'host',"
				" 'offered', ?, ?, ?) RETURNING id");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, at);
		sqlite3_bind_int64(st, 5, at);
		if ((rc = store_int64(st, &made, NULL)))
			return rc;
		if (rel && made != rel)
			return px_fail(err, PX_E_CONFLICT, "relation", "the request became"
				       " relation %" PRId64 ", not %" PRId64, made, rel);
	} else if (!strcmp(type, "Add")) {
		/* a delegate's credential: the member assembly's decision */
		const json_t *o = json_object_get(act, "object");
		const char *delegate = json_string_value(json_object_get(o, "delegate"));
		const char *mandate = json_string_value(json_object_get(o, "mandate"));
		const char *by = json_string_value(json_object_get(o, "electedBy"));
		int64_t made = 0, want = json_integer_value(json_object_get(eff, "credential"));
		if (!delegate || !mandate || !by)
			return px_fail(err, PX_E_BAD_INPUT, "object", "a credential names the"
				       " delegate, the mandate and the decision that elected them");
		st = store_stmt(s, "INSERT INTO node_credentials(relation_id, delegate, mandate,"
				" elected_by, credential_id, since) SELECT id, ?, ?, ?, ?, ?"
				" FROM node_relations WHERE id = ? AND side = 'host' AND"
				" status = 'active' RETURNING id");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_text(st, 1, delegate, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, mandate, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, by, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, at);
		sqlite3_bind_int64(st, 6, rel);
		int found = 0;
		if ((rc = store_int64(st, &made, &found)))
			return rc;
		if (!found || (want && made != want))
			return px_fail(err, PX_E_CONFLICT, "object", "relation %" PRId64 " is not"
				       " an active membership", rel);
	} else if (!strcmp(type, "Remove")) {
		/* a recall: effective at once */
		st = store_stmt(s, "UPDATE node_credentials SET recalled_by = ?, recalled_at = ?"
				" WHERE id = ? AND recalled_at IS NULL RETURNING id");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, at);
		sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(eff, "credential")));
		int64_t done = 0;
		int found = 0;
		if ((rc = store_int64(st, &done, &found)))
			return rc;
		if (!found)
			return px_fail(err, PX_E_CONFLICT, "object", "no delegate holds that"
				       " credential now");
		/* and the votes cast under it that are still open go with it */
		if ((rc = nodes_votes_withdraw(s, done)))
			return rc;
	} else {
		const char *status = json_string_value(json_object_get(eff, "status"));
		st = store_stmt(s, "UPDATE node_relations SET status = ?, changed_at = ?"
				" WHERE id = ? AND side = 'member' AND status = 'requested'"
				" RETURNING id");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_text(st, 1, status ? status : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, at);
		sqlite3_bind_int64(st, 3, rel);
		int64_t done = 0;
		int found = 0;
		if ((rc = store_int64(st, &done, &found)))
			return rc;
		if (!found)
			return px_fail(err, PX_E_CONFLICT, "object", "relation %" PRId64
				       " is not waiting for an answer", rel);
	}
	st = store_stmt(s, "INSERT INTO node_inbox(activity_id, peer, type, received_at,"
			" head_seq, head_hash) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, peer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, at);
	if (json_is_integer(json_object_get(head, "seq")))
		sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(head, "seq")));
	if (json_is_string(json_object_get(head, "hash")))
		sqlite3_bind_text(st, 6, json_string_value(json_object_get(head, "hash")), -1,
				  SQLITE_TRANSIENT);
	return store_run(st);
}

struct recv {
	const struct gov_ctx *ctx;
	const struct nodes_inbound *in;
	json_t *act;          /* parsed body */
	char origin[NODES_ORIGIN_SIZE];
	const char *type, *id;
	json_t **out;
	struct px_error *err;
	int verified;         /* the signatures held: a refusal names the activity */
};

static const char *header(const struct nodes_inbound *in, const char *name)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcasecmp(in->hdrs[i].name, name))
			return in->hdrs[i].value;
	return NULL;
}

/* The signatures, with the key the sender is known by (or, for a request
 * to join from a node not known yet, the key its actor document gives). */
static int check_signatures(struct store *s, struct recv *r, unsigned char pk[32])
{
	const struct nodes_inbound *in = r->in;
	struct httpsig_params p;
	const char *sig = header(in, "signature");
	if (!sig)
		return px_fail(r->err, PX_E_BAD_SIGNATURE, "signature",
			       "the request has no Signature header");
	if (httpsig_parse(sig, &p))
		return px_fail(r->err, PX_E_BAD_SIGNATURE, "signature",
			       "the Signature header cannot be read");
	if (nodes_origin(p.key_id, r->origin))
		return px_fail(r->err, PX_E_BAD_SIGNATURE, "signature",
			       "the signature's keyId is not an http(s) address");
	int found = 0;
	struct key_arg a = { r->origin, pk, &found };
	int rc = key_tx(s, &a);
	if (rc)
		return rc;
	if (!found) {
		if (!in->fetched_key || !r->type || strcmp(r->type, "Join"))
			return px_fail(r->err, PX_E_UNKNOWN_PEER, "signature", "no assembly here"
				       " has a relationship with %s", r->origin);
		memcpy(pk, in->fetched_key, 32);
	}
	/* a key rotation: the request is signed with the new key, the
	 * activity with the one it replaces (keys.c) */
	unsigned char http_pk[32];
	memcpy(http_pk, pk, 32);
	if (found && nodes_is_rotation(r->act) &&
	    (rc = nodes_rotation_keys(s, r->origin, r->act, pk, http_pk, r->err)))
		return rc;
	if ((rc = httpsig_check(&p, in->method, in->target, in->hdrs, in->n, in->body,
				in->len, http_pk, r->ctx->now, DATE_SKEW, r->err)))
		return rc;
	return verify_activity(r->act, pk, r->err);
}

/* A credential (Add) or a recall (Remove) from a member assembly on the
 * sending node, about its membership of a delegate assembly here: only
 * once that assembly accepted it by its decision. eff gets "relation" and
 * "credential". */
static int credential_check(struct store *s, struct recv *r, const char *actor, json_t *eff)
{
	const struct nodes_inbound *in = r->in;
	int found = 0;
	int64_t body = 0, rel = 0, cred = 0;
	char kind[16], slug[GOV_SLUG_SIZE], origin[NODES_ORIGIN_SIZE];
	const char *target = json_string_value(json_object_get(r->act, "target"));
	int rc = trusted_or_refuse(s, r->origin, r->err);
	if (rc)
		return rc;
	if (!target || nodes_actor_slug(target, in->base, slug))
		return px_fail(r->err, PX_E_FOREIGN_EFFECT, "target", "a delegate's credential"
			       " or recall names a delegate assembly of this node");
	if (strcmp(slug, in->slug))
		return px_fail(r->err, PX_E_BAD_INPUT, "target", "this is the inbox of '%s',"
			       " not of '%s'", in->slug, slug);
	if ((rc = body_id_of(s, slug, &body, kind, &found)))
		return rc;
	if (found) {
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM node_relations WHERE"
					      " body_id = ? AND remote_actor = ? AND side = 'host'"
					      " AND status = 'active'");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, actor, -1, SQLITE_TRANSIENT);
		if ((rc = store_int64(st, &rel, NULL)))
			return rc;
	}
	if (!rel)
		return px_fail(r->err, PX_E_CONFLICT, "actor", "'%s' is no member of '%s': its"
			       " request must first be accepted by that assembly's decision",
			       actor, slug);
	if (!strcmp(r->type, "Add")) {
		const json_t *o = json_object_get(r->act, "object");
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *delegate = json_string_value(json_object_get(o, "delegate"));
		const char *mandate = json_string_value(json_object_get(o, "mandate"));
		const char *by = json_string_value(json_object_get(o, "electedBy"));
		if (!type || strcmp(type, "pnyx:Credential") || !mandate || !*mandate ||
		    strlen(mandate) > 20000)
			return px_fail(r->err, PX_E_BAD_INPUT, "object", "a credential is a"
				       " pnyx:Credential with a mandate");
		if (!delegate || nodes_origin(delegate, origin) || strcmp(origin, r->origin) ||
		    !by || nodes_origin(by, origin) || strcmp(origin, r->origin))
			return px_fail(r->err, PX_E_FOREIGN_EFFECT, "object", "a credential names"
				       " a person and a decision of the sending node");
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node_credentials WHERE"
					      " relation_id = ? AND delegate = ? AND"
					      " recalled_at IS NULL");
		int seated = 0;
		if (st) {
			sqlite3_bind_int64(st, 1, rel);
			sqlite3_bind_text(st, 2, delegate, -1, SQLITE_TRANSIENT);
		}
		if ((rc = store_exists(st, &seated)))
			return rc;
		if (seated)
			return px_fail(r->err, PX_E_CONFLICT, "object", "%s already holds a seat"
				       " for that assembly", delegate);
	} else {
		const char *object = json_string_value(json_object_get(r->act, "object"));
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM node_credentials WHERE"
					      " relation_id = ? AND credential_id = ? AND"
					      " recalled_at IS NULL");
		if (!st)
			return PX_E_INTERNAL;
		sqlite3_bind_int64(st, 1, rel);
		sqlite3_bind_text(st, 2, object ? object : "", -1, SQLITE_TRANSIENT);
		if ((rc = store_int64(st, &cred, NULL)))
			return rc;
		if (!cred)
			return px_fail(r->err, PX_E_CONFLICT, "object", "no delegate of '%s' holds"
				       " that credential now", actor);
		if (json_object_set_new(eff, "credential", json_integer(cred)))
			return PX_E_NOMEM;
	}
	return json_object_set_new(eff, "relation", json_integer(rel)) ? PX_E_NOMEM : 0;
}

static int receive_tx(struct store *s, void *arg)
{
	struct recv *r = arg;
	const struct nodes_inbound *in = r->in;
	unsigned char pk[32];
	char slug[GOV_SLUG_SIZE], actor_origin[NODES_ORIGIN_SIZE], id_origin[NODES_ORIGIN_SIZE];
	px_error_clear(r->err);
	r->verified = 0;
	int rc = check_signatures(s, r, pk);
	if (rc)
		return rc;
	r->verified = 1;
	/* what it is, and that it speaks for its own node only */
	const json_t *ctxv = json_object_get(r->act, "@context");
	const char *actor = json_string_value(json_object_get(r->act, "actor"));
	if (!json_is_array(ctxv) || strcmp(json_string_value(json_array_get(ctxv, 0)) ?
					   json_string_value(json_array_get(ctxv, 0)) : "",
					   AS_CONTEXT))
		return px_fail(r->err, PX_E_BAD_INPUT, "@context", "the context is ["
			       "\"" AS_CONTEXT "\", {\"pnyx\": \"" PNYX_NS "\"}]");
	if (!r->id || !r->type || !actor)
		return px_fail(r->err, PX_E_MISSING_FIELD, !r->id ? "id" : !r->type ? "type"
			       : "actor", NULL);
	if (nodes_origin(actor, actor_origin) || strcmp(actor_origin, r->origin) ||
	    nodes_origin(r->id, id_origin) || strcmp(id_origin, r->origin))
		return px_fail(r->err, PX_E_FOREIGN_EFFECT, "actor", "an activity signed by %s"
			       " speaks for that node's assemblies only", r->origin);
	/* a resend: already taken */
	int seen = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node_inbox WHERE activity_id = ?");
	if (st)
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_TRANSIENT);
	if ((rc = store_exists(st, &seen)))
		return rc;
	if (seen) {
		*r->out = json_pack("{s:s, s:b}", "id", r->id, "duplicate", 1);
		return *r->out ? 0 : PX_E_NOMEM;
	}
	/* trust, then content */
	json_t *eff = json_object();
	int64_t body = 0, rel = 0;
	char kind[16];
	int found = 0;
	const char *object = json_string_value(json_object_get(r->act, "object"));
	if (!eff)
		return PX_E_NOMEM;
	if (!strcmp(r->type, "Join")) {
		/* a request: it offers, so it needs no relation yet */
		if (!object || nodes_actor_slug(object, in->base, slug))
			rc = px_fail(r->err, PX_E_FOREIGN_EFFECT, "object", "a request to join"
				     " names a delegate assembly of this node");
		else if (strcmp(slug, in->slug))
			rc = px_fail(r->err, PX_E_BAD_INPUT, "object", "this is the inbox of"
				     " '%s', not of '%s'", in->slug, slug);
		else if (!(rc = body_id_of(s, slug, &body, kind, &found)) && !found)
			rc = px_fail(r->err, PX_E_NOT_FOUND, "object", "no body '%s' here", slug);
		else if (!rc && strcmp(kind, "delegate"))
			rc = px_fail(r->err, PX_E_CONFLICT, "object", "'%s' is not a delegate"
				     " assembly", slug);
		else if (!rc && !(rc = relation_find(s, body, actor, "host", NULL, &rel)) && rel)
			rc = px_fail(r->err, PX_E_CONFLICT, "actor", "this assembly's request is"
				     " already before '%s' (relation %" PRId64 ")", slug, rel);
		if (!rc)
			rc = pin_key(s, r->origin, pk, r->ctx->now, r->err);
		if (!rc && (json_object_set_new(eff, "body", json_string(slug)) ||
			    json_object_set_new(eff, "status", json_string("offered"))))
			rc = PX_E_NOMEM;
	} else if (nodes_is_rotation(r->act)) {
		/* the sending node's new key, vouched for by the old (keys.c) */
		struct nodes_msg msg = { r->act, r->origin, actor, in->base, in->slug, r->err };
		if ((rc = trusted_or_refuse(s, r->origin, r->err)))
			goto out;
		rc = nodes_rotation_check(s, &msg, eff);
	} else if (nodes_is_notice(r->act)) {
		/* a declaration, or a membership suspended or restored (declare.c) */
		struct nodes_msg msg = { r->act, r->origin, actor, in->base, in->slug, r->err };
		if ((rc = trusted_or_refuse(s, r->origin, r->err)))
			goto out;
		rc = nodes_notice_check(s, &msg, eff);
	} else if (!strcmp(r->type, "Create")) {
		/* a delegate from another node votes */
		struct nodes_msg msg = { r->act, r->origin, actor, in->base, in->slug, r->err };
		if ((rc = trusted_or_refuse(s, r->origin, r->err)))
			goto out;
		rc = nodes_vote_check(s, &msg, r->ctx->now, eff);
	} else if (!strcmp(r->type, "Offer") || !strcmp(r->type, "Announce") ||
		   ((!strcmp(r->type, "Accept") || !strcmp(r->type, "Reject")) && object &&
		    !strncmp(object, in->base, strlen(in->base)) &&
		    !strncmp(object + strlen(in->base), "/activities/offer-", 18))) {
		/* proposals: an offer to a member here, the news that its
		 * condition is met, or a member's answer to an offer from here */
		struct nodes_msg msg = { r->act, r->origin, actor, in->base, in->slug, r->err };
		if ((rc = trusted_or_refuse(s, r->origin, r->err)))
			goto out;
		rc = !strcmp(r->type, "Offer") ? nodes_offer_check(s, &msg, eff)
		   : !strcmp(r->type, "Announce") ? nodes_met_check(s, &msg, eff)
		   : nodes_answer_check(s, &msg, eff);
	} else if (!strcmp(r->type, "Accept") || !strcmp(r->type, "Reject")) {
		char name[40];
		int64_t motion = 0;
		size_t b = strlen(in->base);
		if ((rc = trusted_or_refuse(s, r->origin, r->err)))
			goto out;
		if (!object || strncmp(object, in->base, b) ||
		    sscanf(object + b, "/activities/join-%" SCNd64, &motion) != 1 || motion < 1) {
			rc = px_fail(r->err, PX_E_FOREIGN_EFFECT, "object", "an answer names a"
				     " request this node sent");
			goto out;
		}
		snprintf(name, sizeof name, "join-%" PRId64, motion);
		if (!(rc = body_id_of(s, in->slug, &body, kind, &found)) && found)
			rc = relation_find(s, body, actor, "member", name, &rel);
		if (!rc && !rel)
			rc = px_fail(r->err, PX_E_CONFLICT, "object", "no request of '%s' to %s"
				     " waits for this answer", in->slug, actor);
		if (!rc && (json_object_set_new(eff, "relation", json_integer(rel)) ||
			    json_object_set_new(eff, "status", json_string(
				    !strcmp(r->type, "Accept") ? "active" : "refused"))))
			rc = PX_E_NOMEM;
	} else if (!strcmp(r->type, "Leave") || nodes_is_membership_removal(r->act, in->base)) {
		/* a membership ends (leave.c) */
		struct nodes_msg msg = { r->act, r->origin, actor, in->base, in->slug, r->err };
		if ((rc = trusted_or_refuse(s, r->origin, r->err)))
			goto out;
		rc = nodes_leave_check(s, &msg, eff);
	} else if (!strcmp(r->type, "Add") || !strcmp(r->type, "Remove")) {
		rc = credential_check(s, r, actor, eff);
	} else {
		if (!(rc = trusted_or_refuse(s, r->origin, r->err)))
			rc = px_fail(r->err, PX_E_BAD_INPUT, "type", "this node does not take"
				     " activities of type '%s'", r->type);
	}
	if (rc)
		goto out;
	if ((rc = apply_activity(s, r->act, r->origin, eff, r->ctx->now, r->err)))
		goto out;
	if (!strcmp(r->type, "Join") &&
	    (rc = relation_find(s, body, actor, "host", r->id, &rel)))
		goto out;
	if (!strcmp(r->type, "Join") && json_object_set_new(eff, "relation", json_integer(rel))) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (!strcmp(r->type, "Add")) {
		int64_t cred = 0;
		st = store_stmt(s, "SELECT id FROM node_credentials WHERE credential_id = ?");
		if (st)
			sqlite3_bind_text(st, 1, r->id, -1, SQLITE_TRANSIENT);
		if ((rc = store_int64(st, &cred, NULL)))
			goto out;
		if (json_object_set_new(eff, "credential", json_integer(cred))) {
			rc = PX_E_NOMEM;
			goto out;
		}
	}
	/* it answered: what waits for it goes now (catch-up) */
	st = store_stmt(s, "UPDATE node_outbox SET next_ms = 0 WHERE peer = ? AND"
			" status = 'queued'");
	if (st)
		sqlite3_bind_text(st, 1, r->origin, -1, SQLITE_TRANSIENT);
	if ((rc = store_run(st)))
		goto out;
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, pk, 32);
	json_t *payload = json_pack("{s:O, s:s, s:s, s:O}", "activity", r->act, "peer",
				    r->origin, "key", hex, "effect", eff);
	if (!payload) {
		rc = PX_E_NOMEM;
		goto out;
	}
	rc = journal_append(s, r->ctx->now, r->origin, in->slug, "node.receive", payload, NULL);
	json_decref(payload);
	if (!rc) {
		*r->out = json_pack("{s:s, s:s, s:O}", "id", r->id, "type", r->type, "effect", eff);
		if (!*r->out)
			rc = PX_E_NOMEM;
	}
out:
	json_decref(eff);
	return rc;
}

struct refusal {
	const struct gov_ctx *ctx;
	const struct nodes_inbound *in;
	const struct recv *r;
};

static int refuse_tx(struct store *s, void *arg)
{
	struct refusal *f = arg;
	const struct recv *r = f->r;
	json_t *p = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:b}",
			      "peer", r->origin[0] ? r->origin : "",
			      "code", px_code_name(r->err->code),
			      "reason", px_error_message(r->err),
			      "field", r->err->field,
			      "activity", r->id, "type", r->type,
			      "signed", r->verified);
	if (!p)
		return PX_E_NOMEM;
	int rc = journal_append(s, f->ctx->now, r->origin[0] ? r->origin : "unknown",
				f->in->slug, "node.refuse", p, NULL);
	json_decref(p);
	return rc;
}

static int is_store_failure(int rc)
{
	return rc == PX_E_DB || rc == PX_E_NOMEM || rc == PX_E_BUSY || rc == PX_E_IO ||
	       rc == PX_E_INTERNAL || rc == PX_E_NO_KEY;
}

int nodes_inbox_receive(const struct gov_ctx *ctx, const struct nodes_inbound *in,
			json_t **out, struct px_error *err)
{
	*out = NULL;
	json_error_t jerr;
	struct recv r = { .ctx = ctx, .in = in, .out = out, .err = err };
	r.act = json_loadb(in->body ? in->body : "", in->len, JSON_REJECT_DUPLICATES, &jerr);
	int rc;
	if (!json_is_object(r.act)) {
		rc = px_fail(err, PX_E_BAD_JSON, "body", "an activity is a JSON object");
	} else {
		r.type = json_string_value(json_object_get(r.act, "type"));
		r.id = json_string_value(json_object_get(r.act, "id"));
		rc = store_tx(ctx->db, receive_tx, &r);
	}
	if (rc && !is_store_failure(rc)) {
		/* journal the refusal in its own transaction; the answer stays
		 * the refusal's, unless the store fails */
		struct px_error saved = *err;
		struct refusal f = { ctx, in, &r };
		int jrc = store_tx(ctx->db, refuse_tx, &f);
		*err = saved;
		if (jrc)
			rc = px_fail(err, jrc, NULL, "the refusal could not be journalled");
	}
	json_decref(r.act);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int nodes_inbox_peek(const char *body, size_t len, const char *signature,
		     char key_url[NODES_KEY_URL_SIZE], int *join)
{
	struct httpsig_params p;
	*join = 0;
	key_url[0] = '\0';
	if (!signature || httpsig_parse(signature, &p))
		return -1;
	json_t *act = json_loadb(body ? body : "", len, 0, NULL);
	const char *type = json_string_value(json_object_get(act, "type"));
	*join = type && !strcmp(type, "Join");
	json_decref(act);
	size_t n = strcspn(p.key_id, "#");
	if (n >= NODES_KEY_URL_SIZE)
		return -1;
	memcpy(key_url, p.key_id, n);
	key_url[n] = '\0';
	char origin[NODES_ORIGIN_SIZE];
	return nodes_origin(key_url, origin);
}

/* ---- replay ---- */

int nodes_replay(struct store *s, const char *action, const json_t *p, int64_t at,
		 struct px_error *err)
{
	if (!strcmp(action, "node.refuse") || !strcmp(action, "node.rotate_key"))
		return 0; /* a refusal changed nothing; the node's key is not a decision */
	if (strcmp(action, "node.receive"))
		return px_fail(err, PX_E_INTERNAL, NULL, "no rule for %s", action);
	const json_t *act = json_object_get(p, "activity");
	const char *key = json_string_value(json_object_get(p, "key"));
	const char *peer = json_string_value(json_object_get(p, "peer"));
	unsigned char pk[32];
	size_t n = 0;
	if (!json_is_object(act) || !peer || !key ||
	    sodium_hex2bin(pk, sizeof pk, key, strlen(key), NULL, &n, NULL) || n != 32)
		return px_fail(err, PX_E_BAD_INPUT, "activity", "node.receive carries the"
			       " activity, the peer and its key");
	/* the activity's own signature holds in the journal too */
	int rc = verify_activity(act, pk, err);
	return rc ? rc : apply_activity(s, act, peer, json_object_get(p, "effect"), at, err);
}

/* ---- readers ---- */

int nodes_peers(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	(void)err;
	*out = NULL;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT p.origin, p.state, p.public_key, p.failing_since, p.last_success,"
		" p.last_error, p.first_seen,"
		" (SELECT count(*) FROM node_outbox o WHERE o.peer = p.origin AND"
		"  o.status = 'queued'),"
		" (SELECT count(*) FROM node_relations r WHERE substr(r.remote_actor, 1,"
		"  length(p.origin) + 1) = p.origin || '/' AND r.status = 'active')"
		" FROM node_peers p ORDER BY p.origin");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	int rc = 0;
	while (store_next(st, &rc)) {
		char hex[65] = "";
		if (sqlite3_column_bytes(st, 2) == 32)
			sodium_bin2hex(hex, sizeof hex, sqlite3_column_blob(st, 2), 32);
		json_t *o = json_pack("{s:s, s:s, s:s?, s:o, s:o, s:s?, s:I, s:I, s:I}",
			"origin", (const char *)sqlite3_column_text(st, 0),
			"state", (const char *)sqlite3_column_text(st, 1),
			"key", *hex ? hex : NULL,
			"failing_since", sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 3)),
			"last_success", sqlite3_column_type(st, 4) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 4)),
			"last_error", (const char *)sqlite3_column_text(st, 5),
			"first_seen", (json_int_t)sqlite3_column_int64(st, 6),
			"queued", (json_int_t)sqlite3_column_int64(st, 7),
			"relations", (json_int_t)sqlite3_column_int64(st, 8));
		if (!o || json_array_append_new(list, o)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o}", "peers", list);
	return *out ? 0 : PX_E_NOMEM;
}

int nodes_outbox_list(const struct gov_ctx *ctx, int64_t limit, json_t **out,
		      struct px_error *err)
{
	(void)err;
	*out = NULL;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT id, peer, inbox, activity_id, json_extract(activity, '$.type'),"
		" created_at, attempts, next_ms, status, done_at, last_status, last_error"
		" FROM node_outbox ORDER BY id DESC LIMIT ?");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, limit);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:I, s:I, s:I, s:s, s:o, s:o,"
				      " s:s?}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"peer", (const char *)sqlite3_column_text(st, 1),
			"inbox", (const char *)sqlite3_column_text(st, 2),
			"activity", (const char *)sqlite3_column_text(st, 3),
			"type", (const char *)sqlite3_column_text(st, 4),
			"created_at", (json_int_t)sqlite3_column_int64(st, 5),
			"attempts", (json_int_t)sqlite3_column_int64(st, 6),
			"next_ms", (json_int_t)sqlite3_column_int64(st, 7),
			"status", (const char *)sqlite3_column_text(st, 8),
			"done_at", sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 9)),
			"last_status", sqlite3_column_type(st, 10) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 10)),
			"last_error", (const char *)sqlite3_column_text(st, 11));
		if (!o || json_array_append_new(list, o)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o}", "outbox", list);
	return *out ? 0 : PX_E_NOMEM;
}

/* The delegates of relation rel, current first: o["delegates"]. */
static int credentials_of(struct store *s, int64_t rel, json_t *o)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT delegate, mandate, motion_id, elected_by,"
				      " since, recalled_at FROM node_credentials WHERE"
				      " relation_id = ? ORDER BY recalled_at IS NOT NULL, id");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, rel);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *d = json_pack("{s:s, s:s, s:o, s:s?, s:I, s:o}",
			"delegate", (const char *)sqlite3_column_text(st, 0),
			"mandate", (const char *)sqlite3_column_text(st, 1),
			"motion", sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 2)),
			"elected_by", (const char *)sqlite3_column_text(st, 3),
			"since", (json_int_t)sqlite3_column_int64(st, 4),
			"recalled_at", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 5)));
		if (!d || json_array_append_new(list, d)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (!rc && json_object_set_new(o, "delegates", list))
		return PX_E_NOMEM;
	if (rc)
		json_decref(list);
	return rc;
}

int nodes_body_relations(const struct gov_ctx *ctx, const char *slug, json_t **out,
			 struct px_error *err)
{
	*out = NULL;
	int64_t body = 0;
	char kind[16];
	int found = 0;
	int rc = body_id_of(ctx->db, slug ? slug : "", &body, kind, &found);
	if (rc)
		return rc;
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "slug", "no body '%s'", slug);
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT id, remote_actor, side, status, request_id, motion_id, decided_by,"
		" since, changed_at, ended_by, suspended_by, (SELECT n.name FROM node_actor_names n"
		" WHERE n.actor = remote_actor) FROM node_relations WHERE body_id = ?"
		" ORDER BY id");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, body);
	while (store_next(st, &rc)) {
		json_t *o = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:s?,"
				      " s:s?}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"remote", (const char *)sqlite3_column_text(st, 1),
			"remote_name", (const char *)sqlite3_column_text(st, 11),
			"side", (const char *)sqlite3_column_text(st, 2),
			"status", (const char *)sqlite3_column_text(st, 3),
			"request", (const char *)sqlite3_column_text(st, 4),
			"motion", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 5)),
			"decided_by", sqlite3_column_type(st, 6) == SQLITE_NULL ? json_null()
				: json_integer(sqlite3_column_int64(st, 6)),
			"since", (json_int_t)sqlite3_column_int64(st, 7),
			"changed_at", (json_int_t)sqlite3_column_int64(st, 8),
			"ended_by", (const char *)sqlite3_column_text(st, 9),
			"suspended_by", (const char *)sqlite3_column_text(st, 10));
		if (o && ((rc = credentials_of(ctx->db, sqlite3_column_int64(st, 0), o)) ||
			  (rc = nodes_offers_of(ctx->db, sqlite3_column_int64(st, 0), o)) ||
			  (rc = nodes_declarations_of(ctx->db, sqlite3_column_int64(st, 0), o)))) {
			json_decref(o);
			sqlite3_reset(st);
			break;
		}
		if (!o || json_array_append_new(list, o)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "body", slug, "relations", list);
	return *out ? 0 : PX_E_NOMEM;
}

int nodes_heads_seen(const struct gov_ctx *ctx, const char *origin, json_t **out,
		     struct px_error *err)
{
	(void)err;
	*out = NULL;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT activity_id, type, received_at, head_seq, head_hash FROM node_inbox"
		" WHERE peer = ? AND head_seq IS NOT NULL AND head_hash IS NOT NULL"
		" ORDER BY head_seq, received_at");
	if (!list || !st) {
		json_decref(list);
		return st ? PX_E_NOMEM : PX_E_INTERNAL;
	}
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:s}",
			"activity", (const char *)sqlite3_column_text(st, 0),
			"type", (const char *)sqlite3_column_text(st, 1),
			"received_at", (json_int_t)sqlite3_column_int64(st, 2),
			"seq", (json_int_t)sqlite3_column_int64(st, 3),
			"hash", (const char *)sqlite3_column_text(st, 4));
		if (!o || json_array_append_new(list, o)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "peer", origin, "heads", list);
	return *out ? 0 : PX_E_NOMEM;
}
