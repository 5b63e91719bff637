/*
 * keys.c: the node's key is rotated, and other nodes learn it
 * (docs/nodes.md, "Key rotation"; issue 17).
 *
 * `pnyx node rotate-key` is the operator's act: the key is the node's,
 * not an assembly's, so no decision makes it; it is journalled
 * (node.rotate_key, with both public keys). In the transaction that makes
 * the database name the new key (store_rotate_key), each node an
 * assembly here has a relationship with is sent an Update of a
 * pnyx:KeyRotation carrying the new key, signed over its canonical form
 * with the OLD key: the key that node pinned vouches for the new one. The
 * activities still waiting in the outbox were signed with the old key and
 * not yet seen by anyone: they are signed again with the new key and
 * queued behind the rotation, so that each peer learns the new key before
 * anything signed with it.
 *
 * A node that receives the rotation checks the request's HTTP signature
 * with the new key (the sender holds it now) and the activity's own with
 * the key it had pinned (the old key said so); then pins the new key and
 * keeps the old in node_peer_keys, refusing it from then on. Activities
 * journalled before still verify: node.receive carries the key that
 * verified each.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
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
#define ROTATION "pnyx:KeyRotation"

static void pem_of(const unsigned char pk[32], char pem[160])
{
	static const unsigned char prefix[12] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
						   0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
	unsigned char der[44];
	memcpy(der, prefix, sizeof prefix);
	memcpy(der + sizeof prefix, pk, 32);
	char b64[sodium_base64_ENCODED_LEN(sizeof der, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, der, sizeof der, sodium_base64_VARIANT_ORIGINAL);
	snprintf(pem, 160, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64);
}

/* Sign act in place over its canonical form, with the old key or the new. */
static int sign(struct store *s, json_t *act, const char *key_id, int old)
{
	json_t *copy = json_deep_copy(act);
	struct strbuf c;
	unsigned char sig[64];
	sb_init(&c, 0);
	if (!copy)
		return PX_E_NOMEM;
	json_object_del(copy, "signature");
	int rc = jcs_append(copy, &c);
	json_decref(copy);
	if (!rc)
		rc = old ? store_sign_old(s, (const unsigned char *)c.buf, c.len, sig)
			 : store_sign(s, (const unsigned char *)c.buf, c.len, sig);
	sb_release(&c);
	if (rc)
		return rc;
	char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, sig, 64, sodium_base64_VARIANT_ORIGINAL);
	return json_object_set_new(act, "signature", json_pack("{s:s, s:s, s:s}", "type",
				   SIG_TYPE, "creator", key_id, "signatureValue", b64))
		? PX_E_NOMEM : 0;
}

static json_t *journal_head_json(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT seq, hash FROM journal_head WHERE id = 1");
	int row = 0;
	if (!st || store_step(st, &row) || !row)
		return json_null();
	char hex[JOURNAL_HASH_LEN * 2 + 1] = "";
	if (sqlite3_column_bytes(st, 1) == JOURNAL_HASH_LEN)
		sodium_bin2hex(hex, sizeof hex, sqlite3_column_blob(st, 1), JOURNAL_HASH_LEN);
	json_t *h = json_pack("{s:I, s:s}", "seq", (json_int_t)sqlite3_column_int64(st, 0),
			      "hash", hex);
	sqlite3_reset(st);
	return h ? h : json_null();
}

struct rotation {
	int64_t now;
	json_t *told;     /* the peers told */
	int64_t resigned; /* activities waiting, signed again */
};

static int outbox_insert(struct store *s, const char *peer, const char *inbox, const char *id,
			 const char *text, int64_t created, int64_t attempts)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_outbox(peer, inbox, activity_id,"
				      " activity, created_at, attempts) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, inbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, created);
	sqlite3_bind_int64(st, 6, attempts);
	return store_run(st);
}

/* One relation per peer that trusts this node (an active relationship,
 * or a request of theirs before an assembly here): [[origin, remote
 * actor, slug here, relation id]], newest relation first. */
static int peers_to_tell(struct store *s, json_t *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT r.remote_actor, b.slug, r.id FROM"
				      " node_relations r JOIN bodies b ON b.id = r.body_id WHERE"
				      " r.status = 'active' OR (r.side = 'host' AND"
				      " r.status = 'offered') ORDER BY r.id DESC");
	if (!st)
		return PX_E_INTERNAL;
	json_t *seen = json_object();
	int rc = seen ? 0 : PX_E_NOMEM;
	while (!rc && store_next(st, &rc)) {
		char origin[NODES_ORIGIN_SIZE];
		const char *actor = (const char *)sqlite3_column_text(st, 0);
		if (nodes_origin(actor, origin) || json_object_get(seen, origin))
			continue;
		if (json_object_set_new(seen, origin, json_true()) ||
		    json_array_append_new(out, json_pack("[s,s,s,I]", origin, actor,
				(const char *)sqlite3_column_text(st, 1),
				(json_int_t)sqlite3_column_int64(st, 2)))) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
		}
	}
	json_decref(seen);
	return rc;
}

static int rotate_fn(struct store *s, const unsigned char *old_pk, const unsigned char *new_pk,
		     void *arg)
{
	struct rotation *r = arg;
	char base[NODES_URL_SIZE], pem[160], old_hex[65], new_hex[65];
	int rc = nodes_self_base(s, base);
	if (rc)
		return rc;
	sodium_bin2hex(old_hex, sizeof old_hex, old_pk, 32);
	sodium_bin2hex(new_hex, sizeof new_hex, new_pk, 32);
	pem_of(new_pk, pem);
	/* what waits, taken out to go behind the rotation */
	json_t *waiting = json_array(), *peers = json_array();
	if (!waiting || !peers) {
		rc = PX_E_NOMEM;
		goto out;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT peer, inbox, activity_id, activity, created_at,"
				      " attempts FROM node_outbox WHERE status = 'queued'"
				      " ORDER BY id");
	if (!st) {
		rc = PX_E_INTERNAL;
		goto out;
	}
	while (store_next(st, &rc))
		if (json_array_append_new(waiting, json_pack("[s,s,s,s,I,I]",
				(const char *)sqlite3_column_text(st, 0),
				(const char *)sqlite3_column_text(st, 1),
				(const char *)sqlite3_column_text(st, 2),
				(const char *)sqlite3_column_text(st, 3),
				(json_int_t)sqlite3_column_int64(st, 4),
				(json_int_t)sqlite3_column_int64(st, 5)))) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	if (rc || (rc = store_exec(s, "DELETE FROM node_outbox WHERE status = 'queued'")))
		goto out;
	/* the rotation, to each peer, signed with the old key */
	if (*base && (rc = peers_to_tell(s, peers)))
		goto out;
	size_t i;
	json_t *p;
	json_array_foreach(peers, i, p) {
		const char *origin = json_string_value(json_array_get(p, 0));
		const char *to = json_string_value(json_array_get(p, 1));
		const char *slug = json_string_value(json_array_get(p, 2));
		char id[NODES_URL_SIZE + 120], actor[NODES_URL_SIZE + 80],
			key_id[NODES_URL_SIZE + 100], inbox[NODES_URL_SIZE * 2 + 10];
		snprintf(id, sizeof id, "%s/activities/key-%.16s-%" PRId64, base, new_hex,
			 (int64_t)json_integer_value(json_array_get(p, 3)));
		snprintf(actor, sizeof actor, "%s/bodies/%s", base, slug);
		snprintf(key_id, sizeof key_id, "%s#main-key", actor);
		snprintf(inbox, sizeof inbox, "%s/inbox", to);
		json_t *act = json_pack("{s:[s,{s:s}], s:s, s:s, s:s, s:{s:s, s:s, s:s, s:I},"
					" s:[s], s:o}",
			"@context", AS_CONTEXT, "pnyx", PNYX_NS, "id", id, "type", "Update",
			"actor", actor, "object", "type", ROTATION, "publicKeyPem", pem,
			"previousKey", old_hex, "since", (json_int_t)r->now,
			"to", to, "pnyx:journalHead", journal_head_json(s));
		char *text = NULL;
		if (!act)
			rc = PX_E_NOMEM;
		if (!rc)
			rc = sign(s, act, key_id, 1);
		if (!rc && !(text = json_dumps(act, JSON_COMPACT)))
			rc = PX_E_NOMEM;
		if (!rc)
			rc = outbox_insert(s, origin, inbox, id, text, r->now, 0);
		if (!rc && json_array_append_new(r->told, json_string(origin)))
			rc = PX_E_NOMEM;
		free(text);
		json_decref(act);
		if (rc)
			goto out;
	}
	/* then what waited, signed again with the new key, in its order */
	json_array_foreach(waiting, i, p) {
		json_t *act = json_loads(json_string_value(json_array_get(p, 3)), 0, NULL);
		const char *key_id = json_string_value(json_object_get(json_object_get(act,
									"signature"), "creator"));
		char kid[NODES_URL_SIZE * 2];
		char *text = NULL;
		snprintf(kid, sizeof kid, "%s", key_id ? key_id : "");
		rc = act && *kid ? sign(s, act, kid, 0) : PX_E_INTERNAL;
		if (!rc && !(text = json_dumps(act, JSON_COMPACT)))
			rc = PX_E_NOMEM;
		if (!rc)
			rc = outbox_insert(s, json_string_value(json_array_get(p, 0)),
					   json_string_value(json_array_get(p, 1)),
					   json_string_value(json_array_get(p, 2)), text,
					   json_integer_value(json_array_get(p, 4)),
					   json_integer_value(json_array_get(p, 5)));
		free(text);
		json_decref(act);
		if (rc)
			goto out;
		r->resigned++;
	}
	json_t *payload = json_pack("{s:s, s:s, s:O, s:I}", "old_key", old_hex, "new_key",
				    new_hex, "told", r->told, "resigned", (json_int_t)r->resigned);
	rc = payload ? journal_append(s, r->now, "operator", NULL, "node.rotate_key", payload,
				      NULL) : PX_E_NOMEM;
	json_decref(payload);
out:
	json_decref(waiting);
	json_decref(peers);
	return rc;
}

int nodes_rotate_key(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	struct rotation r = { .now = ctx->now, .told = json_array() };
	*out = NULL;
	if (!r.told)
		return PX_E_NOMEM;
	unsigned char old[32];
	memcpy(old, store_public_key(ctx->db), 32);
	int rc = store_rotate_key(ctx->db, rotate_fn, &r, err);
	if (!rc) {
		char old_hex[65], new_hex[65];
		sodium_bin2hex(old_hex, sizeof old_hex, old, 32);
		sodium_bin2hex(new_hex, sizeof new_hex, store_public_key(ctx->db), 32);
		*out = json_pack("{s:s, s:s, s:O, s:I}", "old_key", old_hex, "new_key", new_hex,
				 "told", r.told, "resigned", (json_int_t)r.resigned);
		if (!*out)
			rc = PX_E_NOMEM;
	}
	json_decref(r.told);
	return rc;
}

/* ---- a peer's rotation arrives ---- */

int nodes_is_rotation(const json_t *act)
{
	const char *type = json_string_value(json_object_get(act, "type"));
	const char *otype = json_string_value(json_object_get(json_object_get(act, "object"),
							      "type"));
	return type && otype && !strcmp(type, "Update") && !strcmp(otype, ROTATION);
}

int nodes_rotation_keys(struct store *s, const char *origin, const json_t *act,
			unsigned char pk[32], unsigned char http_pk[32], struct px_error *err)
{
	const json_t *o = json_object_get(act, "object");
	const char *pem = json_string_value(json_object_get(o, "publicKeyPem"));
	const char *prev = json_string_value(json_object_get(o, "previousKey"));
	unsigned char next[32], before[32];
	size_t n = 0;
	if (!pem || nodes_pem_key(pem, next) || !prev ||
	    sodium_hex2bin(before, sizeof before, prev, strlen(prev), NULL, &n, NULL) || n != 32)
		return px_fail(err, PX_E_BAD_SIGNATURE, "object", "a key rotation carries the"
			       " new key (publicKeyPem, Ed25519) and the previous one (previousKey)");
	if (!memcmp(pk, next, 32)) {
		/* taken already: the activity was signed with the key before */
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node_peer_keys WHERE origin = ?"
					      " AND public_key = ?");
		int yes = 0;
		if (st) {
			sqlite3_bind_text(st, 1, origin, -1, SQLITE_TRANSIENT);
			sqlite3_bind_blob(st, 2, before, 32, SQLITE_TRANSIENT);
		}
		int rc = store_exists(st, &yes);
		if (rc)
			return rc;
		if (!yes)
			return px_fail(err, PX_E_BAD_SIGNATURE, "object", "%s was never known by"
				       " the previous key this rotation names", origin);
		memcpy(http_pk, next, 32);
		memcpy(pk, before, 32);
		return 0;
	}
	if (memcmp(pk, before, 32))
		return px_fail(err, PX_E_BAD_SIGNATURE, "object", "the rotation names another"
			       " previous key than the one %s is known by", origin);
	memcpy(http_pk, next, 32);
	return 0;
}

int nodes_rotation_check(struct store *s, const struct nodes_msg *m, json_t *eff)
{
	const json_t *o = json_object_get(m->act, "object");
	const char *prev = json_string_value(json_object_get(o, "previousKey"));
	unsigned char next[32];
	char hex[65];
	(void)s;
	if (nodes_pem_key(json_string_value(json_object_get(o, "publicKeyPem")), next) || !prev)
		return px_fail(m->err, PX_E_BAD_INPUT, "object", "a key rotation carries the new"
			       " key and the previous one");
	sodium_bin2hex(hex, sizeof hex, next, 32);
	return json_object_set_new(eff, "rotation", json_pack("{s:s, s:s}", "from", prev,
							      "to", hex)) ? PX_E_NOMEM : 0;
}

int nodes_rotation_apply(struct store *s, const json_t *act, const char *peer,
			 const json_t *eff, int64_t at, struct px_error *err)
{
	const json_t *rot = json_object_get(eff, "rotation");
	const char *from = json_string_value(json_object_get(rot, "from"));
	const char *to = json_string_value(json_object_get(rot, "to"));
	unsigned char a[32], b[32];
	size_t n1 = 0, n2 = 0;
	if (!from || !to || sodium_hex2bin(a, 32, from, strlen(from), NULL, &n1, NULL) ||
	    sodium_hex2bin(b, 32, to, strlen(to), NULL, &n2, NULL) || n1 != 32 || n2 != 32)
		return px_fail(err, PX_E_BAD_INPUT, "effect", "a rotation names two keys");
	if (store_replaying(s))
		return 0; /* the keys pinned are the node's, not rebuilt (node_peers) */
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_peer_keys(origin, public_key, until,"
				      " rotation) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 2, a, 32, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_text(st, 4, json_string_value(json_object_get(act, "id")), -1,
			  SQLITE_TRANSIENT);
	int rc = store_run(st);
	if (rc)
		return rc;
	st = store_stmt(s, "UPDATE node_peers SET public_key = ? WHERE origin = ?");
	if (st) {
		sqlite3_bind_blob(st, 1, b, 32, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, peer, -1, SQLITE_TRANSIENT);
	}
	return store_run(st);
}
