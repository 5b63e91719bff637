/*
 * sealed.c: what a request in a round, and a committee's review of its
 * evidence, say in the public journal (docs/sharing.md "What the journal
 * says of a request"). Who asked in which round of which good is public,
 * as who voted is; under which category of need, how much, with which
 * leaf and evidence, and what the committee answered, is the requester's
 * business and the committee's. So a round.request entry carries
 * {"good","round","request","commitment"} and a round.review entry
 * {"round","commitment"}: BLAKE2b-256 commitments over the content, which
 * stays in the database (round_requests, round_salts, round_evidence,
 * round_evidence_files), salted with the request's own salt (its
 * receipt), so that nobody recomputes a commitment by trying the few
 * categories and verdicts there are.
 *
 * Replay reads that content from the database it verifies (the records),
 * as a pool's leaves are read beside renewal.commit (lot/renewal.c),
 * recomputes the commitment and refuses the entry when they differ;
 * otherwise it applies the full content, as the live path did. Entries
 * made before the change carry the content in clear and are applied as
 * they are.
 *
 * The encodings (integers unsigned big-endian, texts u32(length) || bytes):
 *   request: "pnyx/sharing/v1/request" || u64(request) || u64(round)
 *            || u32(category) || u64(amount) || leaf (32) || salt (32)
 *            || u32(k) || k times u64(good ranked)
 *            || u32(m) || m times ( text(type) || u64(size) || text(hash) )
 *   review:  "pnyx/sharing/v1/review" || u64(request) || salt (32)
 *            || text(verdict) || text(reason)
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/pool.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	crypto_generichash_update(h, b, 8);
}

static void put_u32(crypto_generichash_state *h, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };
	crypto_generichash_update(h, b, 4);
}

static void put_text(crypto_generichash_state *h, const char *t)
{
	size_t n = t ? strlen(t) : 0;
	put_u32(h, (uint32_t)n);
	if (n)
		crypto_generichash_update(h, (const unsigned char *)t, n);
}

static void put_tag(crypto_generichash_state *h, const char *tag)
{
	crypto_generichash_update(h, (const unsigned char *)tag, strlen(tag));
}

void sharing_request_commitment(int64_t request, int64_t round, int64_t category,
				int64_t amount, const unsigned char leaf[32],
				const unsigned char salt[PX_SALT_BYTES], const json_t *ranking,
				const json_t *items, unsigned char out[32])
{
	crypto_generichash_state h;
	size_t i;
	const json_t *v;
	crypto_generichash_init(&h, NULL, 0, 32);
	put_tag(&h, "pnyx/sharing/v1/request");
	put_u64(&h, (uint64_t)request);
	put_u64(&h, (uint64_t)round);
	put_u32(&h, (uint32_t)category);
	put_u64(&h, (uint64_t)amount);
	crypto_generichash_update(&h, leaf, 32);
	crypto_generichash_update(&h, salt, PX_SALT_BYTES);
	put_u32(&h, (uint32_t)json_array_size(ranking));
	json_array_foreach(ranking, i, v)
		put_u64(&h, (uint64_t)json_integer_value(v));
	put_u32(&h, (uint32_t)json_array_size(items));
	json_array_foreach(items, i, v) {
		put_text(&h, json_string_value(json_object_get(v, "type")));
		put_u64(&h, (uint64_t)json_integer_value(json_object_get(v, "size")));
		put_text(&h, json_string_value(json_object_get(v, "hash")));
	}
	crypto_generichash_final(&h, out, 32);
}

void sharing_review_commitment(int64_t request, const unsigned char salt[PX_SALT_BYTES],
			       const char *verdict, const char *reason, unsigned char out[32])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	put_tag(&h, "pnyx/sharing/v1/review");
	put_u64(&h, (uint64_t)request);
	crypto_generichash_update(&h, salt, PX_SALT_BYTES);
	put_text(&h, verdict);
	put_text(&h, reason);
	crypto_generichash_final(&h, out, 32);
}

int sharing_commitment_check(const json_t *p, const unsigned char got[32],
			     struct px_error *err)
{
	unsigned char want[32];
	const char *hex = json_string_value(json_object_get(p, "commitment"));
	size_t n = 0;
	if (!hex || strlen(hex) != 64 || sodium_hex2bin(want, 32, hex, 64, NULL, &n, NULL) ||
	    n != 32)
		return px_fail(err, PX_E_BAD_INPUT, "commitment", "a commitment is 32 bytes in"
			       " hex");
	if (sodium_memcmp(want, got, 32))
		return px_fail(err, PX_E_BAD_INPUT, "commitment", "the record kept in the"
			       " database does not hash to the entry's commitment");
	return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/* The request's evidence items as its entry carried them before: NULL
 * when it has none. */
static int evidence_items_of(struct store *records, int64_t request, json_t **evidence)
{
	int rc = 0;
	json_t *items = json_array();
	*evidence = NULL;
	sqlite3_stmt *st = store_stmt(records, "SELECT n, type, size, hash FROM"
				      " round_evidence_files WHERE request_id = ? ORDER BY n");
	if (!items || !st) {
		json_decref(items);
		return st ? PX_E_NOMEM : PX_E_DB;
	}
	sqlite3_bind_int64(st, 1, request);
	while (store_next(st, &rc))
		if (json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s}", "n",
			(json_int_t)sqlite3_column_int64(st, 0), "type", col(st, 1), "size",
			(json_int_t)sqlite3_column_int64(st, 2), "hash", col(st, 3))))
			rc = rc ? rc : PX_E_NOMEM;
	if (!rc && json_array_size(items) && !(*evidence = json_pack("{s:O}", "items", items)))
		rc = PX_E_NOMEM;
	json_decref(items);
	return rc;
}

int sharing_request_record(struct store *records, const json_t *p, json_t **full,
			   struct px_error *err)
{
	int64_t id = json_integer_value(json_object_get(p, "request"));
	char leaf[65], salt[2 * PX_SALT_BYTES + 1];
	json_t *ranking = NULL, *evidence = NULL;
	int row = 0, rc;
	*full = NULL;
	if (!json_object_get(p, "commitment"))
		return 0; /* an older entry carries its content */
	sqlite3_stmt *st = store_stmt(records, "SELECT q.round_id, q.category, q.amount, q.leaf,"
		" q.ranking, s.salt FROM round_requests q LEFT JOIN round_salts s ON"
		" s.request_id = q.id WHERE q.id = ?");
	if (!st)
		return px_fail(err, PX_E_DB, NULL, NULL);
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row || sqlite3_column_bytes(st, 3) != 32 ||
	    sqlite3_column_bytes(st, 5) != PX_SALT_BYTES ||
	    sqlite3_column_int64(st, 0) != json_integer_value(json_object_get(p, "round"))) {
		sqlite3_reset(st);
		return px_fail(err, PX_E_BAD_INPUT, "request", "the database keeps no record of"
			       " request %lld in this round, or not its salt", (long long)id);
	}
	sodium_bin2hex(leaf, sizeof(leaf), sqlite3_column_blob(st, 3), 32);
	sodium_bin2hex(salt, sizeof(salt), sqlite3_column_blob(st, 5), PX_SALT_BYTES);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL &&
	    !(ranking = json_loads(col(st, 4), 0, NULL))) {
		sqlite3_reset(st);
		return px_fail(err, PX_E_BAD_INPUT, "ranking", "request %lld's ranking does not"
			       " read", (long long)id);
	}
	json_t *content = json_pack("{s:I, s:I, s:s, s:s}", "category",
		(json_int_t)sqlite3_column_int64(st, 1), "amount",
		(json_int_t)sqlite3_column_int64(st, 2), "leaf", leaf, "salt", salt);
	sqlite3_reset(st);
	/* nothing of the content from the entry itself: only the record's */
	if (content && (*full = json_deep_copy(p))) {
		json_object_del(*full, "ranking");
		json_object_del(*full, "evidence");
		if (json_object_update(*full, content)) {
			json_decref(*full);
			*full = NULL;
		}
	}
	json_decref(content);
	if (!*full) {
		json_decref(ranking);
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	if (ranking)
		json_object_set_new(*full, "ranking", ranking);
	if ((rc = evidence_items_of(records, id, &evidence))) {
		json_decref(*full);
		*full = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	if (evidence)
		json_object_set_new(*full, "evidence", evidence);
	return 0;
}

int sharing_review_record(struct store *records, const json_t *p, int64_t at,
			  json_t **full, struct px_error *err)
{
	int rc = 0;
	unsigned char got[32];
	struct px_error ignore = { 0 };
	*full = NULL;
	if (!json_object_get(p, "commitment"))
		return 0; /* an older entry names the request, its verdict and reason */
	/* the one review of the round made at the entry's moment whose record
	 * hashes to the commitment (the salt makes each request's commitment
	 * its own); by the moment, a few rows to hash, not the round's all */
	sqlite3_stmt *st = store_stmt(records, "SELECT e.request_id, e.verdict, e.reason, s.salt"
		" FROM round_evidence e JOIN round_requests q ON q.id = e.request_id JOIN"
		" round_salts s ON s.request_id = e.request_id WHERE e.reviewed_at = ? AND"
		" q.round_id = ? AND e.verdict IS NOT NULL ORDER BY e.request_id");
	if (!st)
		return px_fail(err, PX_E_DB, NULL, NULL);
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(p, "round")));
	while (!*full && store_next(st, &rc)) {
		if (sqlite3_column_bytes(st, 3) != PX_SALT_BYTES)
			continue;
		sharing_review_commitment(sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 3),
					  col(st, 1), col(st, 2), got);
		if (sharing_commitment_check(p, got, &ignore))
			continue;
		if (!(*full = json_pack("{s:I, s:s, s:s}", "request",
				(json_int_t)sqlite3_column_int64(st, 0), "verdict", col(st, 1),
				"reason", col(st, 2))))
			rc = PX_E_NOMEM;
		sqlite3_reset(st);
	}
	if (rc) {
		json_decref(*full);
		*full = NULL;
		return px_fail(err, rc, NULL, NULL);
	}
	if (!*full)
		return px_fail(err, PX_E_BAD_INPUT, "commitment", "no review kept in the database"
			       " for this round hashes to the entry's commitment");
	return 0;
}

int sharing_copy_salts(struct store *live, struct store *out)
{
	int rc = 0;
	/* the salts replay kept already are those of sealed entries; the rest
	 * (requests journalled in clear) are copied where they make the
	 * request's leaf with its requester's handle: a receipt */
	sqlite3_stmt *from = store_stmt(live, "SELECT request_id, salt FROM round_salts"
					" ORDER BY request_id");
	if (!from)
		return PX_E_DB;
	while (!rc && store_next(from, &rc)) {
		int64_t id = sqlite3_column_int64(from, 0);
		unsigned char leaf[32];
		int row = 0;
		if (sqlite3_column_bytes(from, 1) != PX_SALT_BYTES)
			continue;
		sqlite3_stmt *st = store_stmt(out, "SELECT a.handle, q.leaf FROM round_requests q"
			" JOIN accounts a ON a.id = q.account_id WHERE q.id = ? AND NOT EXISTS"
			" (SELECT 1 FROM round_salts s WHERE s.request_id = q.id)");
		if (!st) {
			rc = PX_E_DB;
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		if ((rc = store_step(st, &row)) || !row)
			continue;
		px_leaf((const char *)sqlite3_column_text(st, 0), sqlite3_column_blob(from, 1), leaf);
		int same = sqlite3_column_bytes(st, 1) == 32 &&
			   !memcmp(leaf, sqlite3_column_blob(st, 1), 32);
		sqlite3_reset(st);
		if (!same)
			continue;
		st = store_stmt(out, "INSERT INTO round_salts(request_id, salt) VALUES (?, ?)");
		if (!st) {
			rc = PX_E_DB;
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_blob(st, 2, sqlite3_column_blob(from, 1), PX_SALT_BYTES,
				  SQLITE_TRANSIENT);
		rc = store_run(st);
	}
	if (rc)
		sqlite3_reset(from);
	return rc;
}
