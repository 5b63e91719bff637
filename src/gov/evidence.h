/*
 * gov/evidence.h: evidence people hand in, shared by the domains that take
 * it: a case's evidence (src/gov/cases/evidence.c) and a rationing
 * request's evidence of need (src/gov/sharing/need.c). A piece is a text
 * and up to EVIDENCE_FILES_MAX files, each of a type of the allow list
 * whose first bytes say it is one. What is journalled of a piece is its
 * items' sizes, types and BLAKE2b-256 hashes, never their bytes or names
 * (the journal is public); the bytes are kept in a table of the domain's,
 * and replay copies them from the live database only where they hash to
 * what the journal says (evidence_copy_content).
 */
#ifndef PX_GOV_EVIDENCE_H
#define PX_GOV_EVIDENCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"

struct store;

#define EVIDENCE_FILES_MAX 4
#define EVIDENCE_FILE_MAX (2 << 20)
#define EVIDENCE_FILES_TOTAL (4 << 20)
#define EVIDENCE_FILE_NAME_MAX 200
#define EVIDENCE_HASH_HEX 65 /* One item of a piece as a download: its name, type, hash and bytes. */
struct evidence_file_out {
	char name[EVIDENCE_FILE_NAME_MAX * 4 + 1], type[48], hash[EVIDENCE_HASH_HEX];
	unsigned char *data; /* malloc'd: the caller frees it */
	size_t size;
};

/* BLAKE2b-256 in hex, and its NUL */
extern const char *const evidence_file_types[]; /* NULL-ended */

struct evidence_file {
	const char *name, *type;
	const unsigned char *data;
	size_t size;
};

/* BLAKE2b-256 (libsodium's crypto_generichash, 32 bytes, no key) in hex:
 * what `b2sum -l 256` prints. */
void evidence_hash_hex(const unsigned char *d, size_t n, char hex[EVIDENCE_HASH_HEX]);

/* Each file's name, type, size and first bytes, and their total. Errors
 * name files, files[i].name, files[i].type or files[i].data (too large,
 * or not what its type says). */
int evidence_check_files(const struct evidence_file *f, size_t n,
			 struct px_error *err) PX_MUST_CHECK;

/* [{"n","type","size","hash"}]: item 0 the text (text/markdown), then the
 * files; NULL when out of memory. */
json_t *evidence_items(const char *text, const struct evidence_file *f, size_t n);

/* Whether items, as journalled, are a text and at most
 * EVIDENCE_FILES_MAX files of allowed types and sizes; *bad the first
 * item that is not. */
int evidence_items_ok(const json_t *items, size_t *bad);

/* ["application/pdf", ...] as a JSON array, and the limits
 * {"files","file_bytes","total_bytes"}: what a form tells people. */
json_t *evidence_types_json(void);
json_t *evidence_limits_json(void);

/* Replay: copy the rows select_sql reads from live ((key, n, name, bytes)
 * in order) into out with insert_sql (the same four), each only when
 * check_sql (key, n, hash, size) finds it in out. Nothing when live has
 * no table named table (a database from before it). */
int evidence_copy_content(struct store *live, struct store *out, const char *table,
			  const char *select_sql, const char *check_sql,
			  const char *insert_sql) PX_MUST_CHECK;

#endif
