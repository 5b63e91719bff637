/*
 * follow.c: people of the fediverse follow a body (nodes.h, docs/nodes.md,
 * "Followers").
 *
 * A Mastodon user (or anyone on any ActivityPub server) sends Follow to a
 * body's inbox, or to the node's shared inbox; the request is signed with
 * HTTP Signatures by the sender's server, with its RSA key (rsa-sha256, as
 * Mastodon and Fedify sign) or an Ed25519 one (hs2019). The edge fetches
 * the sender's actor document and hands its key here; the signature is
 * checked first, then that the activity's actor owns the key, then what it
 * asks. A follow is recorded (node_followers) and answered with an Accept;
 * an Undo of it forgets it. Neither is a governance effect (docs/nodes.md,
 * choice 7): no assembly decides who reads its public record, and nothing
 * a follower sends changes a register. So neither is journalled; a refusal
 * is answered and logged by the edge, and changes nothing.
 *
 * The posts: each motion a followed body adopts and each meeting of it
 * that closes, after its first follower came, is queued once as a Create
 * of a Note (the same the body's outbox lists) for each follower's inbox,
 * or once for a server's shared inbox, in the delivery queue of the
 * pnyx nodes (node_outbox), signed with the node's RSA key: Mastodon
 * verifies nothing else (docs/nodes.md, "Keys").
 *
 * The actors of this node publish both keys: the RSA one as publicKey
 * ("#main-key", what every fediverse server reads) and the Ed25519 one,
 * which signs the journal and everything sent to other pnyx nodes, as a
 * Multikey in assertionMethod ("#ed25519-key", FEP-521a).
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "core/rsa.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "store/rsakey.h"
#include "store/store.h"
#include "banned.h"

#define AS_CONTEXT "https://www.w3.org/ns/activitystreams"
#define SEC_CONTEXT "https://w3id.org/security/v1"
#define MULTIKEY_CONTEXT "https://w3id.org/security/multikey/v1"
#define DI_CONTEXT "https://w3id.org/security/data-integrity/v1"
/* How far a request's Date may be from this node's clock (as federate.c). */
#define DATE_SKEW 300
/* Posts queued at one call of nodes_posts_queue. */
#define POSTS_STEP 20
/* Followers listed in a body's collection. */
#define FOLLOWERS_LISTED 1000

/* ---- Multikey (FEP-521a): "z" + base58btc of 0xed 0x01 + the key ---- */

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static void multikey_encode(const unsigned char pk[32], char out[64])
{
	unsigned char in[34] = { 0xed, 0x01 };
	memcpy(in + 2, pk, 32);
	unsigned char digits[64] = { 0 };
	size_t nd = 0;
	for (size_t i = 0; i < sizeof in; i++) {
		unsigned carry = in[i];
		for (size_t j = 0; j < nd; j++) {
			carry += (unsigned)digits[j] << 8;
			digits[j] = (unsigned char)(carry % 58);
			carry /= 58;
		}
		while (carry) {
			digits[nd++] = (unsigned char)(carry % 58);
			carry /= 58;
		}
	}
	size_t o = 0;
	out[o++] = 'z';
	for (size_t i = 0; i < sizeof in && in[i] == 0; i++)
		out[o++] = '1';
	while (nd)
		out[o++] = b58[digits[--nd]];
	out[o] = '\0';
}

/* The Ed25519 key of a Multikey's publicKeyMultibase; -1 if not one. */
static int multikey_decode(const char *s, unsigned char pk[32])
{
	if (!s || *s++ != 'z' || strlen(s) > 60)
		return -1;
	unsigned char bytes[64] = { 0 };
	size_t nb = 0;
	for (; *s; s++) {
		const char *d = strchr(b58, *s);
		if (!d || !*s)
			return -1;
		unsigned carry = (unsigned)(d - b58);
		for (size_t j = 0; j < nb; j++) {
			carry += (unsigned)bytes[j] * 58;
			bytes[j] = (unsigned char)(carry & 0xff);
			carry >>= 8;
		}
		while (carry) {
			if (nb == sizeof bytes)
				return -1;
			bytes[nb++] = (unsigned char)(carry & 0xff);
			carry >>= 8;
		}
	}
	/* bytes is little-endian; the key starts with 0xed 0x01 (no leading
	 * zero bytes to restore) */
	if (nb != 34 || bytes[33] != 0xed || bytes[32] != 0x01)
		return -1;
	for (size_t i = 0; i < 32; i++)
		pk[i] = bytes[31 - i];
	return 0;
}

/* Each member of v: v itself when an object, its items when an array. */
static size_t items_of(const json_t *v, const json_t **out, size_t max)
{
	size_t n = 0;
	if (json_is_object(v) && max)
		out[n++] = v;
	else if (json_is_array(v))
		for (size_t i = 0; i < json_array_size(v) && n < max; i++)
			if (json_is_object(json_array_get(v, i)))
				out[n++] = json_array_get(v, i);
	return n;
}

int nodes_actor_ed25519(const json_t *doc, unsigned char pk[32])
{
	const json_t *k[16];
	size_t n = items_of(json_object_get(doc, "assertionMethod"), k, 16);
	for (size_t i = 0; i < n; i++)
		if (!multikey_decode(json_string_value(json_object_get(k[i], "publicKeyMultibase")),
				     pk))
			return 0;
	n = items_of(json_object_get(doc, "publicKey"), k, 16);
	for (size_t i = 0; i < n; i++)
		if (!nodes_pem_key(json_string_value(json_object_get(k[i], "publicKeyPem")), pk))
			return 0;
	return -1;
}

int nodes_actor_keys(struct store *db, const char *base, json_t *a)
{
	const char *id = json_string_value(json_object_get(a, "id"));
	const unsigned char *pk = store_public_key(db);
	if (!id || !pk)
		return PX_E_INTERNAL;
	char mk[64];
	multikey_encode(pk, mk);
	struct strbuf kid, inbox, pem;
	sb_init(&kid, 4096);
	sb_init(&inbox, 4096);
	sb_init(&pem, 16384);
	int found = 0;
	int rc = sb_addf(&kid, "%s#ed25519-key", id);
	if (!rc)
		rc = sb_addf(&inbox, "%s/inbox", base);
	if (!rc)
		rc = store_rsa_public(db, &pem, &found);
	if (rc)
		goto out;
	json_t *ctxs = json_object_get(a, "@context");
	if (json_array_append_new(ctxs, json_string(MULTIKEY_CONTEXT)) ||
	    json_object_set_new(a, "assertionMethod",
				json_pack("[{s:s, s:s, s:s, s:s}]", "id", kid.buf, "type",
					  "Multikey", "controller", id,
					  "publicKeyMultibase", mk)) ||
	    json_object_set_new(a, "endpoints", json_pack("{s:s}", "sharedInbox", inbox.buf))) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* the fediverse reads publicKey, and only RSA there: with an RSA key
	 * the Ed25519 one moves to assertionMethod alone; without (a database
	 * never served) publicKey stays the Ed25519 key */
	if (found) {
		json_t *key = json_object_get(a, "publicKey");
		if (json_object_set_new(key, "publicKeyPem", json_string(pem.buf)))
			rc = PX_E_NOMEM;
	}
out:
	sb_release(&kid);
	sb_release(&inbox);
	sb_release(&pem);
	return rc;
}

/* ---- what arrives ---- */

int nodes_follow_wanted(const char *body, size_t len)
{
	json_t *act = json_loadb(body ? body : "", len, 0, NULL);
	const char *type = json_string_value(json_object_get(act, "type"));
	const json_t *obj = json_object_get(act, "object");
	const char *otype = json_string_value(json_object_get(obj, "type"));
	int yes = type && (!strcmp(type, "Follow") ||
			   (!strcmp(type, "Undo") &&
			    ((otype && !strcmp(otype, "Follow")) || json_is_string(obj))));
	json_decref(act);
	return yes;
}

int nodes_remote_actor_read(const char *doc, size_t len, const char *key_id,
			    struct nodes_remote_actor *a, char *why, size_t n)
{
	json_t *j = json_loadb(doc ? doc : "", len, 0, NULL);
	int rc = -1;
	if (!json_is_object(j)) {
		snprintf(why, n, "the document at %s is not JSON", key_id);
		goto out;
	}
	const char *id = json_string_value(json_object_get(j, "id"));
	const char *pem = json_string_value(json_object_get(j, "publicKeyPem"));
	const char *owner = json_string_value(json_object_get(j, "owner"));
	if (pem && owner && !json_object_get(j, "inbox")) {
		/* a key document of its own (GoToSocial's): its owner is the actor */
		if (!a->key_pem[0]) {
			snprintf(a->key_pem, sizeof a->key_pem, "%s", pem);
			snprintf(a->owner, sizeof a->owner, "%s", owner);
			rc = 1; /* the caller fetches the owner */
		} else {
			snprintf(why, n, "the key's owner is not an actor");
		}
		goto out;
	}
	const char *inbox = json_string_value(json_object_get(j, "inbox"));
	const char *shared = json_string_value(
		json_object_get(json_object_get(j, "endpoints"), "sharedInbox"));
	char o1[NODES_ORIGIN_MAX], o2[NODES_ORIGIN_MAX];
	if (!id || !inbox || strlen(id) >= sizeof a->id || strlen(inbox) >= sizeof a->inbox ||
	    nodes_origin(id, o1) || nodes_origin(inbox, o2)) {
		snprintf(why, n, "the document at %s is not an actor with an inbox", key_id);
		goto out;
	}
	snprintf(a->id, sizeof a->id, "%s", id);
	snprintf(a->inbox, sizeof a->inbox, "%s", inbox);
	a->shared_inbox[0] = '\0';
	if (shared && strlen(shared) < sizeof a->shared_inbox && !nodes_origin(shared, o2))
		snprintf(a->shared_inbox, sizeof a->shared_inbox, "%s", shared);
	snprintf(a->key_id, sizeof a->key_id, "%s", key_id);
	if (a->key_pem[0]) { /* from a key document */
		if (strcmp(a->owner, id)) {
			snprintf(why, n, "the key's owner is not %s", id);
			goto out;
		}
		rc = 0;
		goto out;
	}
	/* the key the signature names: publicKey (RSA or Ed25519, in PEM) or
	 * a Multikey of assertionMethod */
	const json_t *k[16];
	size_t nk = items_of(json_object_get(j, "publicKey"), k, 16);
	for (size_t i = 0; i < nk; i++) {
		const char *kid = json_string_value(json_object_get(k[i], "id"));
		const char *kp = json_string_value(json_object_get(k[i], "publicKeyPem"));
		if (kid && kp && !strcmp(kid, key_id) && strlen(kp) < sizeof a->key_pem) {
			snprintf(a->key_pem, sizeof a->key_pem, "%s", kp);
			snprintf(a->owner, sizeof a->owner, "%s",
				 json_string_value(json_object_get(k[i], "owner"))
				 ? json_string_value(json_object_get(k[i], "owner")) : id);
			rc = 0;
			goto out;
		}
	}
	nk = items_of(json_object_get(j, "assertionMethod"), k, 16);
	for (size_t i = 0; i < nk; i++) {
		const char *kid = json_string_value(json_object_get(k[i], "id"));
		if (kid && !strcmp(kid, key_id) &&
		    !multikey_decode(json_string_value(json_object_get(k[i], "publicKeyMultibase")),
				     a->ed25519)) {
			a->has_ed25519 = 1;
			snprintf(a->owner, sizeof a->owner, "%s", id);
			rc = 0;
			goto out;
		}
	}
	snprintf(why, n, "%s publishes no key %s", id, key_id);
out:
	json_decref(j);
	return rc;
}

static const char *header(const struct nodes_inbound *in, const char *name)
{
	for (size_t i = 0; i < in->n; i++)
		if (!strcasecmp(in->hdrs[i].name, name))
			return in->hdrs[i].value;
	return NULL;
}

struct follow_rx {
	const struct gov_ctx *ctx;
	const struct nodes_inbound *in;
	const struct nodes_remote_actor *ra;
	json_t *act;
	const char *type, *actor;
	json_t **out;
	struct px_error *err;
};

/* The slug of this node's body that url names, or -1 (*slug: room for 65). */
static int own_body(const struct follow_rx *r, const char *url, char *slug)
{
	char origin[NODES_ORIGIN_MAX];
	size_t b = strlen(r->in->base);
	if (!url || nodes_origin(r->in->base, origin) || strncmp(url, r->in->base, b) ||
	    strncmp(url + b, "/bodies/", 8))
		return -1;
	const char *s = url + b + 8;
	size_t n = strlen(s);
	if (n < 1 || n > 64 || strchr(s, '/') || strchr(s, '#') || strchr(s, '?'))
		return -1;
	memcpy(slug, s, n + 1);
	return 0;
}

/* Queue act for inbox (its server: the origin of inbox), signed with the
 * node's RSA key when sent; name: its key in the outbox (unique). A name
 * seen before is queued again (a Follow sent again is answered again). */
static int fedi_enqueue(struct store *s, const char *inbox, const char *name,
			const json_t *act, int64_t now)
{
	char origin[NODES_ORIGIN_MAX];
	if (nodes_origin(inbox, origin))
		return PX_E_BAD_INPUT;
	char *text = json_dumps(act, JSON_COMPACT);
	if (!text)
		return PX_E_NOMEM;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_peers(origin, first_seen)"
				      " VALUES (?, ?) ON CONFLICT(origin) DO NOTHING");
	if (st) {
		sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, now);
	}
	int rc = store_run(st);
	if (!rc) {
		st = store_stmt(s, "INSERT INTO node_outbox(peer, inbox, activity_id, activity,"
				" created_at, signer) VALUES (?, ?, ?, ?, ?, 'rsa')"
				" ON CONFLICT(activity_id) DO UPDATE SET status = 'queued',"
				" next_ms = 0, attempts = 0, activity = excluded.activity");
		if (st) {
			sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, inbox, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 5, now);
		}
		rc = store_run(st);
	}
	free(text);
	return rc;
}

static int follow_tx(struct store *s, void *arg)
{
	struct follow_rx *r = arg;
	char slug[72];
	int64_t body = 0;
	const json_t *object = json_object_get(r->act, "object");
	const char *object_id = json_is_string(object) ? json_string_value(object)
				: json_string_value(json_object_get(object, "id"));
	const char *follow_id = json_string_value(json_object_get(r->act, "id"));
	int rc;
	if (!follow_id || !*follow_id || strlen(follow_id) >= NODES_URL_SIZE)
		return px_fail(r->err, PX_E_BAD_INPUT, "id", "a Follow has an id");
	if (own_body(r, object_id, slug) || (r->in->slug && strcmp(slug, r->in->slug)))
		return px_fail(r->err, PX_E_BAD_INPUT, "object", "a Follow sent here names a"
			       " body of this node%s%s", r->in->slug ? ": " : "",
			       r->in->slug ? r->in->slug : "");
	if ((rc = body_id_by_slug(s, slug, &body, r->err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO node_followers(body_id, actor, inbox, shared_inbox, follow_id, since)"
		" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(body_id, actor) DO UPDATE SET"
		" inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,"
		" follow_id = excluded.follow_id");
	if (st) {
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_text(st, 2, r->actor, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, r->ra->inbox, -1, SQLITE_TRANSIENT);
		if (r->ra->shared_inbox[0])
			sqlite3_bind_text(st, 4, r->ra->shared_inbox, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, follow_id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 6, r->ctx->now);
	}
	if ((rc = store_run(st)))
		return px_fail(r->err, rc, NULL, NULL);
	/* the answer: an Accept carrying the Follow as it came (Mastodon and
	 * Fedify match it by its id; some servers read it whole) */
	unsigned char h[16];
	char hex[33], id[NODES_URL_SIZE + 200], actor[NODES_URL_SIZE + 80];
	crypto_generichash(h, sizeof h, (const unsigned char *)follow_id, strlen(follow_id),
			   NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(actor, sizeof actor, "%s/bodies/%s", r->in->base, slug);
	snprintf(id, sizeof id, "%s/followers#accept-%s", actor, hex);
	json_t *follow = json_deep_copy(r->act);
	if (follow) {
		json_object_del(follow, "@context");
		json_object_del(follow, "signature");
	}
	json_t *accept = follow ? json_pack("{s:s, s:s, s:s, s:s, s:o, s:[s]}",
					    "@context", AS_CONTEXT, "id", id, "type", "Accept",
					    "actor", actor, "object", follow, "to", r->actor)
				: NULL;
	if (!accept)
		return px_fail(r->err, PX_E_NOMEM, NULL, NULL);
	rc = fedi_enqueue(s, r->ra->inbox, id, accept, r->ctx->now);
	json_decref(accept);
	if (rc)
		return px_fail(r->err, rc, NULL, NULL);
	*r->out = json_pack("{s:s, s:s, s:s}", "followed", slug, "actor", r->actor,
			    "accept", id);
	return *r->out ? 0 : px_fail(r->err, PX_E_NOMEM, NULL, NULL);
}

static int undo_tx(struct store *s, void *arg)
{
	struct follow_rx *r = arg;
	const json_t *object = json_object_get(r->act, "object");
	sqlite3_stmt *st;
	int rc;
	if (json_is_string(object)) {
		st = store_stmt(s, "DELETE FROM node_followers WHERE actor = ? AND follow_id = ?");
		if (st) {
			sqlite3_bind_text(st, 1, r->actor, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, json_string_value(object), -1, SQLITE_TRANSIENT);
		}
	} else {
		char slug[72];
		const json_t *target = json_object_get(object, "object");
		const char *tid = json_is_string(target) ? json_string_value(target)
				  : json_string_value(json_object_get(target, "id"));
		const char *who = json_string_value(json_object_get(object, "actor"));
		if (!who || strcmp(who, r->actor))
			return px_fail(r->err, PX_E_FORBIDDEN, "object", "an Undo takes back its"
				       " sender's own Follow");
		if (own_body(r, tid, slug) || (r->in->slug && strcmp(slug, r->in->slug)))
			return px_fail(r->err, PX_E_BAD_INPUT, "object", "the Follow taken back"
				       " names a body of this node");
		st = store_stmt(s, "DELETE FROM node_followers WHERE actor = ? AND body_id ="
				" (SELECT id FROM bodies WHERE slug = ?)");
		if (st) {
			sqlite3_bind_text(st, 1, r->actor, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, slug, -1, SQLITE_TRANSIENT);
		}
	}
	if ((rc = store_run(st)))
		return px_fail(r->err, rc, NULL, NULL);
	*r->out = json_pack("{s:s, s:I}", "unfollowed", r->actor, "removed",
			    (json_int_t)sqlite3_changes(store_db(s)));
	return *r->out ? 0 : px_fail(r->err, PX_E_NOMEM, NULL, NULL);
}

/* The request's HTTP signature, checked with the key of ra, the actor
 * fetched at its keyId (NULL when it could not be, with why). */
static int check_signed_by(const struct gov_ctx *ctx, const struct nodes_inbound *in,
			   const struct nodes_remote_actor *ra, const char *why,
			   struct httpsig_params *p, struct px_error *err)
{
	const char *sig = header(in, "Signature");
	if (!sig || httpsig_parse(sig, p))
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the request carries no readable Signature header");
	if (!ra || strcmp(p->key_id, ra->key_id))
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature", "the key %s cannot be read: %s",
			       p->key_id, why && *why ? why : "no answer");
	struct httpsig_key k = { ra->has_ed25519 ? ra->ed25519 : NULL,
				 ra->has_ed25519 ? NULL : ra->key_pem };
	unsigned char edk[32];
	/* an Ed25519 key given as PEM (a pnyx node's, or another's) */
	if (!ra->has_ed25519 && !nodes_pem_key(ra->key_pem, edk)) {
		k.ed25519 = edk;
		k.rsa_pem = NULL;
	}
	return httpsig_check_key(p, in->method, in->target, in->hdrs, in->n, in->body,
				 in->len, &k, ctx->now, DATE_SKEW, err);
}

int nodes_fetch_check(const struct gov_ctx *ctx, const struct nodes_inbound *in,
		      const struct nodes_remote_actor *ra, const char *why, struct px_error *err)
{
	struct httpsig_params p;
	return check_signed_by(ctx, in, ra, why, &p, err);
}

int nodes_follow_receive(const struct gov_ctx *ctx, const struct nodes_inbound *in,
			 const struct nodes_remote_actor *ra, const char *why, json_t **out,
			 struct px_error *err)
{
	*out = NULL;
	json_error_t jerr;
	struct follow_rx r = { .ctx = ctx, .in = in, .ra = ra, .out = out, .err = err };
	struct httpsig_params p;
	int rc;
	r.act = json_loadb(in->body ? in->body : "", in->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(r.act)) {
		rc = px_fail(err, PX_E_BAD_JSON, "body", "an activity is a JSON object");
		goto out;
	}
	r.type = json_string_value(json_object_get(r.act, "type"));
	r.actor = json_string_value(json_object_get(r.act, "actor"));
	/* the signature first, with the key the sender's actor publishes */
	if ((rc = check_signed_by(ctx, in, ra, why, &p, err)))
		goto out;
	/* the one who signed speaks only for themselves */
	if (!r.actor || strcmp(r.actor, ra->id) || strcmp(ra->owner, ra->id)) {
		rc = px_fail(err, PX_E_FORBIDDEN, "actor", "the activity's actor is not the"
			     " owner of the key that signed it");
		goto out;
	}
	if (r.type && !strcmp(r.type, "Follow"))
		rc = store_tx(ctx->db, follow_tx, &r);
	else if (r.type && !strcmp(r.type, "Undo"))
		rc = store_tx(ctx->db, undo_tx, &r);
	else
		rc = px_fail(err, PX_E_BAD_INPUT, "type", "this inbox takes Follow and Undo"
			     " from the fediverse");
	if (rc && !err->code)
		px_fail(err, rc, NULL, NULL);
out:
	json_decref(r.act);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- the followers ---- */

int nodes_body_followers(const struct gov_ctx *ctx, const char *base, const char *slug,
			 json_t **out, struct px_error *err)
{
	*out = NULL;
	int64_t body = 0, total = 0;
	int rc = body_id_by_slug(ctx->db, slug, &body, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT count(*) FROM node_followers"
				      " WHERE body_id = ?");
	if (st)
		sqlite3_bind_int64(st, 1, body);
	if ((rc = store_int64(st, &total, NULL)))
		return px_fail(err, rc, NULL, NULL);
	json_t *items = json_array();
	struct strbuf id;
	sb_init(&id, 4096);
	json_t *o = NULL;
	if (!items || sb_addf(&id, "%s/bodies/%s/followers", base, slug))
		goto nomem;
	st = store_stmt(ctx->db, "SELECT actor FROM node_followers WHERE body_id = ?"
			" ORDER BY since DESC, id DESC LIMIT ?");
	if (!st) {
		rc = px_fail(err, PX_E_INTERNAL, NULL, NULL);
		goto out;
	}
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, FOLLOWERS_LISTED);
	while (store_next(st, &rc))
		if (json_array_append_new(items,
					  json_string((const char *)sqlite3_column_text(st, 0)))) {
			sqlite3_reset(st);
			goto nomem;
		}
	if (rc) {
		rc = px_fail(err, rc, NULL, NULL);
		goto out;
	}
	o = json_pack("{s:s, s:s, s:s, s:I, s:O}", "@context", AS_CONTEXT, "id", id.buf,
		      "type", "OrderedCollection", "totalItems", (json_int_t)total,
		      "orderedItems", items);
	if (!o)
		goto nomem;
	*out = o;
	goto out;
nomem:
	rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
out:
	json_decref(items);
	sb_release(&id);
	return rc;
}

/* ---- the posts ---- */

struct due {
	int64_t body;
	char slug[72];
	char what[8];
	int64_t id, at;
	char *title;
};

static int posts_tx(struct store *s, void *arg)
{
	int *queued = arg;
	char base[NODES_URL_SIZE];
	struct due due[POSTS_STEP];
	size_t nd = 0;
	int rc = nodes_self_base(s, base);
	*queued = 0;
	if (rc || !*base)
		return rc; /* serve records the address first */
	sqlite3_stmt *st = store_stmt(s,
		"SELECT r.body_id, b.slug, r.what, r.id, r.at, r.title FROM ("
		" SELECT 'motion' AS what, m.id AS id, m.body_id AS body_id, m.decided_at AS at,"
		"  m.title AS title FROM motions m WHERE m.status = 'adopted'"
		"  AND m.decided_at IS NOT NULL"
		"  AND m.body_id IN (SELECT body_id FROM node_followers)"
		" UNION ALL SELECT 'meeting', g.id, g.body_id, g.closed_at, NULL FROM meetings g"
		"  WHERE g.closed_at IS NOT NULL"
		"  AND g.body_id IN (SELECT body_id FROM node_followers)) r"
		" JOIN bodies b ON b.id = r.body_id"
		" WHERE r.at >= (SELECT min(since) FROM node_followers f WHERE f.body_id = r.body_id)"
		" AND NOT EXISTS (SELECT 1 FROM node_posts p WHERE p.body_id = r.body_id"
		"  AND p.what = r.what AND p.record_id = r.id)"
		" ORDER BY r.at, r.what, r.id LIMIT ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, POSTS_STEP);
	while (nd < POSTS_STEP && store_next(st, &rc)) {
		struct due *d = &due[nd];
		d->body = sqlite3_column_int64(st, 0);
		snprintf(d->slug, sizeof d->slug, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(d->what, sizeof d->what, "%s", (const char *)sqlite3_column_text(st, 2));
		d->id = sqlite3_column_int64(st, 3);
		d->at = sqlite3_column_int64(st, 4);
		const char *t = (const char *)sqlite3_column_text(st, 5);
		d->title = t ? strdup(t) : NULL;
		nd++;
		if (t && !d->title) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	for (size_t i = 0; !rc && i < nd; i++) {
		struct due *d = &due[i];
		st = store_stmt(s, "INSERT INTO node_posts(body_id, what, record_id, queued_at)"
				" VALUES (?, ?, ?, ?)");
		if (st) {
			sqlite3_bind_int64(st, 1, d->body);
			sqlite3_bind_text(st, 2, d->what, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 3, d->id);
			sqlite3_bind_int64(st, 4, d->at);
		}
		if ((rc = store_run(st)))
			break;
		json_t *create = nodes_post_create(base, d->slug, d->what, d->id, d->at, d->title);
		if (!create || json_object_set_new(create, "@context", json_string(AS_CONTEXT))) {
			json_decref(create);
			rc = PX_E_NOMEM;
			break;
		}
		const char *cid = json_string_value(json_object_get(create, "id"));
		/* every follower who came before it, once per inbox: a server's
		 * shared inbox takes it once for all its people */
		st = store_stmt(s, "SELECT DISTINCT coalesce(shared_inbox, inbox) FROM"
				" node_followers WHERE body_id = ? AND since <= ?");
		if (st) {
			sqlite3_bind_int64(st, 1, d->body);
			sqlite3_bind_int64(st, 2, d->at);
		}
		json_t *targets = json_array();
		while (st && targets && store_next(st, &rc))
			json_array_append_new(targets,
					      json_string((const char *)sqlite3_column_text(st, 0)));
		if (!st || !targets)
			rc = st ? PX_E_NOMEM : PX_E_INTERNAL;
		size_t k;
		json_t *t;
		json_array_foreach(targets, k, t) {
			char name[NODES_URL_SIZE * 3];
			if (rc || !json_string_value(t))
				break;
			snprintf(name, sizeof name, "%s to %s", cid, json_string_value(t));
			rc = fedi_enqueue(s, json_string_value(t), name, create, d->at);
			if (!rc)
				(*queued)++;
		}
		json_decref(targets);
		json_decref(create);
	}
	for (size_t i = 0; i < nd; i++)
		free(due[i].title);
	return rc;
}

/* Whether any body has a follower: the once-a-second look takes the
 * write lock only then. */
static int any_follower_tx(struct store *s, void *arg)
{
	return store_exists(store_stmt(s, "SELECT 1 FROM node_followers LIMIT 1"), arg);
}

int nodes_posts_queue(struct store *s, int *queued)
{
	int n = 0, any = 0;
	*queued = 0;
	int rc = store_read(s, any_follower_tx, &any);
	if (rc || !any)
		return rc;
	rc = store_tx(s, posts_tx, &n);
	*queued = rc ? 0 : n;
	return rc;
}

int nodes_sign_request_rsa(struct store *s, const char *key_id, const char *method,
			   const char *target, const struct httpsig_header *hdrs, size_t n,
			   struct strbuf *out)
{
	struct strbuf pem;
	sb_init(&pem, 16384);
	int found = 0;
	int rc = store_rsa_private(s, &pem, &found);
	if (!rc && !found)
		rc = PX_E_NO_KEY;
	if (!rc)
		rc = httpsig_sign_rsa(method, target, hdrs, n, "(request-target) host date digest",
				      key_id, pem.buf, out);
	sodium_memzero(pem.buf, pem.len);
	sb_release(&pem);
	return rc;
}
