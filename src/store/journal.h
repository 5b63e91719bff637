/*
 * journal.h: the append-only, hash-chained journal of every governance
 * effect. docs/journal.md specifies the encoding so that anyone can verify
 * the chain with their own program.
 *
 * Each entry: seq (1, 2, ...), at (Unix seconds, UTC), actor (account
 * handle, or "operator" for commands run on the server), body (the slug of
 * the body concerned, or NULL), action ("account.create", "body.found",
 * ...), payload (a JSON object, stored in canonical form), prev (the
 * previous entry's hash; 32 zero bytes for the first) and hash: BLAKE2b-256
 * over "pnyx-journal-v1", prev, seq and at (8 bytes big-endian each), then
 * actor, body ("" when NULL), action and payload, each as an 8-byte
 * big-endian length and its bytes as stored. After every append the node
 * signs the head: Ed25519 over "pnyx-journal-head-v1" || seq (8 bytes,
 * big-endian) || hash. docs/journal.md is the full specification.
 */
#ifndef PNYX_JOURNAL_H
#define PNYX_JOURNAL_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"

struct store;
struct px_error;

#define JOURNAL_HASH_LEN 32

struct journal_entry {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *body;   /* may be NULL */
	const char *action;
	const char *payload; /* canonical JSON text */
	/* the bytes of each text as stored (a NUL inside one still counts) */
	size_t actor_len, body_len, action_len, payload_len;
	unsigned char prev[JOURNAL_HASH_LEN];
	unsigned char hash[JOURNAL_HASH_LEN];
};

/*
 * Append an entry. Must be called inside store_tx(), in the same
 * transaction as the effect it records. payload is borrowed (a JSON object;
 * integers, strings, booleans, null, arrays and objects only: no reals).
 * Needs the node key (PX_E_NO_KEY otherwise). *seq_out may be NULL.
 */
int journal_append(struct store *s, int64_t at, const char *actor,
		   const char *body, const char *action, const json_t *payload,
		   int64_t *seq_out) PX_MUST_CHECK;

/* Call fn for each entry with seq > after, in order, at most limit
 * (0 = all). Pointers in the entry live only during the call. fn returning
 * non-zero stops the walk and that value is returned. */
int journal_each(struct store *s, int64_t after, int64_t limit,
		 int (*fn)(const struct journal_entry *e, void *arg), void *arg) PX_MUST_CHECK;

/* The sequence number of the journal's last entry (0 when empty): the
 * entries are numbered from 1 without gaps, so also how many there are.
 * Read inside a transaction, it says how far that transaction's view of
 * the state reaches. */
int journal_last_seq(struct store *s, int64_t *seq) PX_MUST_CHECK;

/* The entry as a JSON object (hashes in hex, payload parsed). New ref. */
json_t *journal_entry_json(const struct journal_entry *e);

struct journal_report {
	int ok;               /* 1 when the chain and signature hold */
	int64_t entries;      /* entries checked */
	int64_t head_seq;     /* the signed head */
	int64_t broken_seq;   /* first entry that fails, 0 if none */
	char reason[200];     /* why it failed */
	unsigned char head_hash[JOURNAL_HASH_LEN];
	unsigned char public_key[32];
};

/* Recompute every hash and check the signed head against the node's public
 * key. Returns 0 when the check could run (see r->ok), or an error. */
int journal_verify(struct store *s, struct journal_report *r) PX_MUST_CHECK;

/* Many entries in one transaction (every round due, closed at once):
 * between journal_batch_begin and journal_batch_end, journal_append
 * chains and writes each entry but leaves the signed head as it was;
 * journal_batch_end signs the head once, at the last entry, as the
 * entries one by one would have left it. Signing is most of what an
 * entry costs (bench/economy/round: 15,000 signatures, about a tenth of
 * the whole round). Both inside the same store_tx, with nothing between
 * them that reads journal_head; _end is called on failure too (it
 * clears the mode; the transaction rolls back anyway). */
void journal_batch_begin(struct store *s);
int journal_batch_end(struct store *s) PX_MUST_CHECK;

/* Sign the head of an empty journal (seq 0, 32 zero bytes) when there is
 * no head and no entry yet: init does it, so that a journal whose head is
 * gone is broken even when it has no entries. Needs the node key. */
int journal_ensure_head(struct store *s) PX_MUST_CHECK;

/* Canonical JSON text of v (sorted keys, compact, UTF-8). Caller frees.
 * NULL if v holds a real number or cannot be encoded. */
char *journal_canonical(const json_t *v);

#endif
