/*
 * journal.c: appending to, walking and verifying the hash-chained journal.
 * docs/journal.md is the specification an outside verifier follows.
 *
 * The hash of an entry covers, in this order: the domain tag
 * "pnyx-journal-v1", the previous hash (32 bytes), seq and at (8-byte
 * big-endian two's complement), then actor, body ("" when none), action
 * and payload, each as an 8-byte big-endian length followed by its bytes.
 * Length prefixes make the encoding unambiguous without escaping; the
 * payload is hashed exactly as stored, so any changed byte shows.
 *
 * Invariants: seq runs 1, 2, 3, ... without gaps; prev of entry n is the
 * hash of entry n-1 (zeros for n = 1); journal_head holds the last seq and
 * hash with the node's signature. Triggers refuse UPDATE and DELETE.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "journal.h"
#include "store.h"
#include "banned.h"

static const char hash_tag[] = "pnyx-journal-v1";
static const char head_tag[] = "pnyx-journal-head-v1";

static void put_u64(unsigned char out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static void hash_field(crypto_generichash_state *st, const char *s, size_t n)
{
	unsigned char len[8];
	if (!s)
		n = 0;
	put_u64(len, (uint64_t)n);
	crypto_generichash_update(st, len, 8);
	if (n)
		crypto_generichash_update(st, (const unsigned char *)s, n);
}

static void entry_hash(const struct journal_entry *e,
		       unsigned char out[JOURNAL_HASH_LEN])
{
	crypto_generichash_state st;
	unsigned char num[8];

	crypto_generichash_init(&st, NULL, 0, JOURNAL_HASH_LEN);
	crypto_generichash_update(&st, (const unsigned char *)hash_tag,
				  sizeof(hash_tag) - 1);
	crypto_generichash_update(&st, e->prev, JOURNAL_HASH_LEN);
	put_u64(num, (uint64_t)e->seq);
	crypto_generichash_update(&st, num, 8);
	put_u64(num, (uint64_t)e->at);
	crypto_generichash_update(&st, num, 8);
	hash_field(&st, e->actor, e->actor_len);
	hash_field(&st, e->body, e->body_len);
	hash_field(&st, e->action, e->action_len);
	hash_field(&st, e->payload, e->payload_len);
	crypto_generichash_final(&st, out, JOURNAL_HASH_LEN);
}

static void head_message(int64_t seq, const unsigned char hash[JOURNAL_HASH_LEN],
			 unsigned char *msg, size_t *len)
{
	size_t n = sizeof(head_tag) - 1;
	memcpy(msg, head_tag, n);
	put_u64(msg + n, (uint64_t)seq);
	memcpy(msg + n + 8, hash, JOURNAL_HASH_LEN);
	*len = n + 8 + JOURNAL_HASH_LEN;
}

static int has_real(const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_REAL:
		return 1;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, item)
			if (has_real(item))
				return 1;
		return 0;
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
			if (has_real(item))
				return 1;
		return 0;
	default:
		return 0;
	}
}

char *journal_canonical(const json_t *v)
{
	if (!v || has_real(v))
		return NULL;
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

/* The signed head: the last entry's number and hash, signed. */
static int write_head(struct store *s, int64_t seq, const unsigned char hash[JOURNAL_HASH_LEN])
{
	unsigned char msg[64], sig[crypto_sign_BYTES];
	size_t msglen;
	int rc;
	head_message(seq, hash, msg, &msglen);
	if ((rc = store_sign(s, msg, msglen, sig)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO journal_head(id, seq, hash, signature)"
				      " VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
				      " seq = excluded.seq, hash = excluded.hash,"
				      " signature = excluded.signature");
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_blob(st, 2, hash, JOURNAL_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, sig, sizeof(sig), SQLITE_STATIC);
	return store_run(st);
}

void journal_batch_begin(struct store *s)
{
	store_defer_head(s, 1);
}

int journal_batch_end(struct store *s)
{
	unsigned char hash[JOURNAL_HASH_LEN];
	int64_t seq = 0, head = 0;
	int row = 0, rc;
	store_defer_head(s, 0);
	if (store_replaying(s))
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT j.seq, j.hash, coalesce((SELECT h.seq FROM"
				      " journal_head h WHERE h.id = 1), -1) FROM journal j"
				      " ORDER BY j.seq DESC LIMIT 1");
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return 0;
	seq = sqlite3_column_int64(st, 0);
	head = sqlite3_column_int64(st, 2);
	if (sqlite3_column_bytes(st, 1) != JOURNAL_HASH_LEN) {
		sqlite3_reset(st);
		return PX_E_JOURNAL_BROKEN;
	}
	memcpy(hash, sqlite3_column_blob(st, 1), JOURNAL_HASH_LEN);
	sqlite3_reset(st);
	/* nothing appended since the head was signed: nothing to sign */
	return seq == head ? 0 : write_head(s, seq, hash);
}

int journal_append(struct store *s, int64_t at, const char *actor,
		   const char *body, const char *action, const json_t *payload,
		   int64_t *seq_out)
{
	struct journal_entry e = { 0 };
	char *text = NULL;
	int rc = 0;

	if (store_replaying(s)) {
		/* a replay copies the entries as they were: an effect that
		 * journals itself while it is replayed adds nothing */
		if (seq_out)
			*seq_out = 0;
		return json_is_object(payload) ? 0 : PX_E_INTERNAL;
	}
	if (!store_has_key(s))
		return PX_E_NO_KEY;
	if (!json_is_object(payload) || !(text = journal_canonical(payload)))
		return PX_E_INTERNAL;

	sqlite3_stmt *st = store_stmt(s, "SELECT seq, hash FROM journal"
					 " ORDER BY seq DESC LIMIT 1");
	int row = 0;
	if ((rc = store_step(st, &row)))
		goto out;
	if (row) {
		e.seq = sqlite3_column_int64(st, 0) + 1;
		if (sqlite3_column_bytes(st, 1) != JOURNAL_HASH_LEN) {
			sqlite3_reset(st);
			rc = PX_E_JOURNAL_BROKEN;
			goto out;
		}
		memcpy(e.prev, sqlite3_column_blob(st, 1), JOURNAL_HASH_LEN);
		sqlite3_reset(st);
	} else {
		e.seq = 1;
	}

	e.at = at;
	e.actor = actor;
	e.body = body;
	e.action = action;
	e.payload = text;
	e.actor_len = strlen(actor);
	e.body_len = body ? strlen(body) : 0;
	e.action_len = strlen(action);
	e.payload_len = strlen(text);
	entry_hash(&e, e.hash);

	st = store_stmt(s, "INSERT INTO journal(seq, at, actor, body, action,"
			   " payload, prev, hash) VALUES (?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, e.seq);
	sqlite3_bind_int64(st, 2, e.at);
	sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	if (body)
		sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, e.prev, JOURNAL_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, e.hash, JOURNAL_HASH_LEN, SQLITE_STATIC);
	if ((rc = store_run(st)))
		goto out;
	if (!store_head_deferred(s) && (rc = write_head(s, e.seq, e.hash)))
		goto out;
	if (seq_out)
		*seq_out = e.seq;
out:
	free(text);
	return rc;
}

/* Whether column col of the current row is a blob of exactly 32 bytes. */
static int is_hash_blob(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_BLOB &&
	       sqlite3_column_bytes(st, col) == JOURNAL_HASH_LEN;
}

/* Read the current row of a "SELECT seq, at, actor, body, action, payload,
 * prev, hash" statement into e. Returns 0, or 1 when the row is malformed:
 * a hash that is not 32 bytes, a text column of another type, or a body
 * that is the empty string (slugs never are; NULL means no body). */
static int read_row(sqlite3_stmt *st, struct journal_entry *e)
{
	int bad = 0;
	e->seq = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	bad |= sqlite3_column_type(st, 0) != SQLITE_INTEGER ||
	       sqlite3_column_type(st, 1) != SQLITE_INTEGER;
	static const int text_cols[] = { 2, 4, 5 };
	for (size_t i = 0; i < 3; i++)
		bad |= sqlite3_column_type(st, text_cols[i]) != SQLITE_TEXT;
	int body_type = sqlite3_column_type(st, 3);
	bad |= body_type != SQLITE_NULL && body_type != SQLITE_TEXT;
	e->actor = (const char *)sqlite3_column_text(st, 2);
	e->actor_len = (size_t)sqlite3_column_bytes(st, 2);
	e->body = (const char *)sqlite3_column_text(st, 3);
	e->body_len = (size_t)sqlite3_column_bytes(st, 3);
	e->action = (const char *)sqlite3_column_text(st, 4);
	e->action_len = (size_t)sqlite3_column_bytes(st, 4);
	e->payload = (const char *)sqlite3_column_text(st, 5);
	e->payload_len = (size_t)sqlite3_column_bytes(st, 5);
	bad |= e->body && e->body_len == 0;
	if (!e->actor)
		e->actor = "", e->actor_len = 0;
	if (!e->action)
		e->action = "", e->action_len = 0;
	if (!e->payload)
		e->payload = "", e->payload_len = 0;
	/* a hash is a 32-byte blob: the same bytes stored as TEXT are a
	 * broken entry, as docs/journal.md says */
	if (is_hash_blob(st, 6))
		memcpy(e->prev, sqlite3_column_blob(st, 6), JOURNAL_HASH_LEN);
	else
		bad = 1, memset(e->prev, 0, JOURNAL_HASH_LEN);
	if (is_hash_blob(st, 7))
		memcpy(e->hash, sqlite3_column_blob(st, 7), JOURNAL_HASH_LEN);
	else
		bad = 1, memset(e->hash, 0, JOURNAL_HASH_LEN);
	return bad;
}

#define SELECT_ENTRIES "SELECT seq, at, actor, body, action, payload, prev, hash" \
		       " FROM journal"

int journal_last_seq(struct store *s, int64_t *seq)
{
	*seq = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(seq), 0) FROM journal");
	return store_int64(st, seq, NULL);
}

int journal_each(struct store *s, int64_t after, int64_t limit,
		 int (*fn)(const struct journal_entry *e, void *arg), void *arg)
{
	sqlite3_stmt *st = store_stmt(s, SELECT_ENTRIES " WHERE seq > ?"
					 " ORDER BY seq LIMIT ?");
	int rc = 0;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while (store_next(st, &rc)) {
		struct journal_entry e;
		read_row(st, &e);
		if ((rc = fn(&e, arg)))
			break;
	}
	sqlite3_reset(st);
	return rc;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

json_t *journal_entry_json(const struct journal_entry *e)
{
	char prev[JOURNAL_HASH_LEN * 2 + 1], hash[JOURNAL_HASH_LEN * 2 + 1];
	char when[32] = "";
	struct tm tm;
	time_t t = (time_t)e->at;

	hex(e->prev, JOURNAL_HASH_LEN, prev);
	hex(e->hash, JOURNAL_HASH_LEN, hash);
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *payload = json_loads(e->payload, JSON_DECODE_ANY, NULL);
	if (!payload)
		payload = json_string(e->payload); /* tampered: show as stored */
	return json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s, s:o, s:s, s:s}",
			 "seq", (json_int_t)e->seq, "at", (json_int_t)e->at,
			 "time", when, "actor", e->actor, "body", e->body,
			 "action", e->action, "payload", payload, "prev", prev,
			 "hash", hash);
}

static void broken(struct journal_report *r, int64_t seq, const char *fmt,
		   const char *detail)
{
	if (r->broken_seq)
		return;
	r->ok = 0;
	r->broken_seq = seq;
	snprintf(r->reason, sizeof(r->reason), fmt, detail);
}

int journal_verify(struct store *s, struct journal_report *r)
{
	unsigned char expect_prev[JOURNAL_HASH_LEN] = { 0 };
	unsigned char computed[JOURNAL_HASH_LEN];
	int64_t expect_seq = 1;
	int rc = 0, row = 0;

	memset(r, 0, sizeof(*r));
	r->ok = 1;

	sqlite3_stmt *st = store_stmt(s, "SELECT public_key FROM node WHERE id = 1");
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row || !is_hash_blob(st, 0)) {
		sqlite3_reset(st);
		broken(r, 0, "%s", "the node's public key is missing");
		return 0;
	}
	memcpy(r->public_key, sqlite3_column_blob(st, 0), 32);
	sqlite3_reset(st);

	st = store_stmt(s, SELECT_ENTRIES " ORDER BY seq");
	while (store_next(st, &rc)) {
		struct journal_entry e;
		int bad = read_row(st, &e);
		r->entries++;
		if (e.seq != expect_seq) {
			broken(r, expect_seq, "%s", expect_seq < e.seq
			       ? "entry is missing from the sequence"
			       : "sequence number out of order");
			break;
		}
		if (bad) {
			broken(r, e.seq, "%s", "a column has the wrong type or size");
			break;
		}
		if (memcmp(e.prev, expect_prev, JOURNAL_HASH_LEN)) {
			broken(r, e.seq, "%s", "prev does not match the hash of the entry before");
			break;
		}
		entry_hash(&e, computed);
		if (memcmp(computed, e.hash, JOURNAL_HASH_LEN)) {
			broken(r, e.seq, "%s", "content does not match its hash");
			break;
		}
		memcpy(expect_prev, e.hash, JOURNAL_HASH_LEN);
		expect_seq++;
	}
	sqlite3_reset(st);
	if (rc)
		return rc;
	if (!r->ok)
		return 0;

	int64_t last = expect_seq - 1;
	memcpy(r->head_hash, expect_prev, JOURNAL_HASH_LEN);
	st = store_stmt(s, "SELECT seq, hash, signature FROM journal_head WHERE id = 1");
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row) {
		/* init signs the head of the empty journal, so a journal
		 * without a head was cut, even when it has no entries */
		broken(r, last, "%s", "the signed head is missing");
		return 0;
	}
	r->head_seq = sqlite3_column_int64(st, 0);
	if (r->head_seq != last) {
		broken(r, r->head_seq < last ? r->head_seq + 1 : last + 1, "%s",
		       r->head_seq < last
		       ? "entries follow the signed head (appended without the node key)"
		       : "entries after this one were removed (the signed head is later)");
	} else if (!is_hash_blob(st, 1) ||
		   memcmp(sqlite3_column_blob(st, 1), expect_prev, JOURNAL_HASH_LEN)) {
		broken(r, last, "%s", "the signed head does not match the last entry");
	} else {
		unsigned char msg[64];
		size_t len;
		head_message(last, expect_prev, msg, &len);
		if (sqlite3_column_type(st, 2) != SQLITE_BLOB ||
		    sqlite3_column_bytes(st, 2) != crypto_sign_BYTES ||
		    crypto_sign_verify_detached(sqlite3_column_blob(st, 2), msg,
						len, r->public_key))
			broken(r, last, "%s",
			       "the head signature does not verify with the node's key");
	}
	sqlite3_reset(st);
	return 0;
}

int journal_ensure_head(struct store *s)
{
	unsigned char zero[JOURNAL_HASH_LEN] = { 0 };
	unsigned char msg[64], sig[crypto_sign_BYTES];
	size_t len;
	sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT count(*) FROM journal_head),"
					 " (SELECT count(*) FROM journal)");
	int row, rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_DB;
	int has_head = sqlite3_column_int64(st, 0) > 0;
	int has_entries = sqlite3_column_int64(st, 1) > 0;
	sqlite3_reset(st);
	if (has_head || has_entries)
		return 0; /* a missing head after entries is for verify to name */
	head_message(0, zero, msg, &len);
	if ((rc = store_sign(s, msg, len, sig)))
		return rc;
	st = store_stmt(s, "INSERT INTO journal_head(id, seq, hash, signature)"
			   " VALUES (1, 0, ?, ?) ON CONFLICT(id) DO NOTHING");
	if (st) {
		sqlite3_bind_blob(st, 1, zero, JOURNAL_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, sig, sizeof(sig), SQLITE_STATIC);
	}
	return store_run(st);
}
