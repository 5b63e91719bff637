/*
 * store.h: the SQLite store behind a small API.
 *
 * A struct store is one connection with its prepared-statement cache and,
 * when the key file is present, the node's Ed25519 signing key. A
 * connection is used by one thread at a time; the server keeps a pool of
 * them (struct store_pool), one per worker thread.
 *
 * The database runs in WAL mode with foreign keys on and synchronous=FULL,
 * so a transaction whose COMMIT returned survives a crash or power loss:
 * nothing the server acknowledged is lost.
 *
 * Every domain operation runs inside store_tx(), which begins an IMMEDIATE
 * transaction, runs the callback, commits, and retries the whole callback
 * while the database is busy.
 */
#ifndef PNYX_STORE_H
#define PNYX_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"

struct px_error;
struct strbuf;
struct store;
struct store_pool;

enum store_flags {
	STORE_CREATE = 1,   /* create the file (pnyx init); refuse if it exists */
	STORE_READONLY = 2, /* open read-only (journal verify, show) */
	/* with STORE_CREATE: a database rebuilt by replaying another's
	 * journal (gov/replay): no key file, no node row, and appending to
	 * the journal writes nothing, since the entries are copied as they
	 * were; path may be ":memory:" */
	STORE_REPLAY = 4,
};

/*
 * Open the database at path, apply pending migrations (unless read-only)
 * and load the node key from "<path>.key" if it exists. With STORE_CREATE
 * the file must not exist yet; the key is generated and written with mode
 * 0600. On failure *out is NULL and err says why.
 */
int store_open(const char *path, int flags, struct store **out,
	       struct px_error *err) PX_MUST_CHECK;
/* Finalize cached statements and close. NULL is allowed. */
void store_close(struct store *s);

sqlite3 *store_db(struct store *s);
const char *store_path(const struct store *s);

/*
 * A prepared statement for sql, compiled once per connection and cached by
 * the text of sql. It is returned reset with bindings cleared; it stays
 * valid until store_close. The cache keeps its own copy of the text, so
 * sql may be a temporary buffer. Returns NULL if sql does not compile (a
 * programming error, logged to stderr).
 */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);

/*
 * ---- The checked row API (docs/storage.md) ----
 *
 * A step of a statement has three answers: a row, done (no more rows), or
 * an error. They are never confused: a loop that stops on "not a row"
 * would turn an I/O error into "no more data", and a decision into one
 * taken on a partial count. Nothing outside src/store/ calls sqlite3_step
 * (tests/cli/test_storage.py checks it); it uses these instead:
 *
 *   store_step(st, &row)     one step: 0 with row = 1 (a row) or 0 (done),
 *                            or a PX_E_* code. On done or error the
 *                            statement is reset; on a row the caller reads
 *                            the columns, then resets it.
 *
 *   int rc = 0;              every row, then done or the error:
 *   while (store_next(st, &rc)) {
 *           ...read the row; on a failure set rc and break...
 *   }
 *   if (rc) goto out;
 *                            store_next answers 1 on a row and 0 when the
 *                            rows end: then rc is 0 (done) or the error. It
 *                            never steps when rc is already set, and it
 *                            resets the statement when the rows end.
 *
 *   store_run(st)            a statement that returns no rows (INSERT,
 *                            UPDATE, DELETE): 0 when done, else the error;
 *                            a row is a programming error (PX_E_INTERNAL).
 *
 *   store_int64(st, &v, &found)
 *                            the first column of the only row: v = the
 *                            value and found = 1, or v = 0 and found = 0
 *                            when there is no row (found may be NULL).
 *                            The statement is reset.
 *
 *   store_text(st, sb, &found)
 *                            the first column of the only row, as text,
 *                            appended to sb (a NULL column appends
 *                            nothing): found = 1, or found = 0 when there
 *                            is no row (found may be NULL). Reset.
 *
 *   store_exists(st, &yes)   yes = 1 when the statement returns a row
 *                            (its columns unread); reset.
 *
 * A NULL st (a statement that did not compile) answers PX_E_INTERNAL.
 * Errors map as store_code does: BUSY/LOCKED -> PX_E_BUSY, CONSTRAINT ->
 * PX_E_EXISTS, NOMEM -> PX_E_NOMEM, anything else -> PX_E_DB.
 */
int store_step(sqlite3_stmt *st, int *row) PX_MUST_CHECK;
int store_next(sqlite3_stmt *st, int *rc);
int store_run(sqlite3_stmt *st) PX_MUST_CHECK;
int store_int64(sqlite3_stmt *st, int64_t *value, int *found) PX_MUST_CHECK;
int store_text(sqlite3_stmt *st, struct strbuf *sb, int *found) PX_MUST_CHECK;
int store_exists(sqlite3_stmt *st, int *yes) PX_MUST_CHECK;

/*
 * Run SQL without results (a pragma, a savepoint): 0 or the error code.
 * Savepoints nest inside store_tx's transaction: store_savepoint(s,
 * "effect") ... store_rollback_to(s, "effect") and/or store_release(s,
 * "effect"); each is checked like any other statement. name is a fixed
 * identifier written by the programmer, never input.
 */
int store_exec(struct store *s, const char *sql) PX_MUST_CHECK;
/* SQLite's own message for the last SQL that failed in store_exec, a
 * savepoint, store_tx or store_read ("" when none failed since the last
 * store_tx or store_read began): the store prints nothing, so that the
 * caller's log can say it beside the PX_E_* code it got. */
const char *store_errmsg(const struct store *s);
int store_savepoint(struct store *s, const char *name) PX_MUST_CHECK;
int store_rollback_to(struct store *s, const char *name) PX_MUST_CHECK;
int store_release(struct store *s, const char *name) PX_MUST_CHECK;

/*
 * Run fn inside BEGIN IMMEDIATE ... COMMIT. fn returns 0 to commit or a
 * PX_E_* code to roll back (the code is returned). If the database is busy
 * at BEGIN, inside fn (fn returns PX_E_BUSY) or at COMMIT, everything is
 * rolled back and fn runs again, a bounded number of times with growing
 * pauses, all within a few seconds in all (STORE_WAIT_MS in store.c,
 * docs/storage.md); then PX_E_BUSY is returned.
 */
int store_tx(struct store *s, int (*fn)(struct store *s, void *arg),
	     void *arg) PX_MUST_CHECK;

/*
 * Run fn inside one read transaction (BEGIN ... COMMIT, deferred): all it
 * reads is one snapshot of the database, whatever writers commit
 * meanwhile, and it never takes the write lock. The connection is
 * query-only for the duration: a write inside fn fails (PX_E_DB), and so
 * does store_tx(). fn returns 0 or a PX_E_* code, which is returned; a
 * busy database (PX_E_BUSY from fn) runs fn again, as store_tx() does.
 */
int store_read(struct store *s, int (*fn)(struct store *s, void *arg),
	       void *arg) PX_MUST_CHECK;

/* Map an SQLite result code to a PX code: SQLITE_OK/ROW/DONE -> 0,
 * BUSY/LOCKED -> PX_E_BUSY, CONSTRAINT -> PX_E_EXISTS, others PX_E_DB. */
int store_code(int sqlite_rc);

/* Move everything in the write-ahead log into the database file and empty
 * the log (SQLITE_CHECKPOINT_TRUNCATE), so that the file alone holds every
 * committed write. PX_E_BUSY when another connection holds it back. */
int store_checkpoint(struct store *s, struct px_error *err) PX_MUST_CHECK;

/* The copy of the database this open wrote before applying migrations to
 * a database that existed (PATH.before-step-N), or NULL when it applied
 * none. Opening a database with a schema step this binary does not know
 * (written by a newer pnyx) for writing fails with PX_E_SCHEMA_NEWER,
 * before anything is written. */
const char *store_upgrade_backup(const struct store *s);

/* The schema version after migrations (the number of the last one). */
int store_schema_version(struct store *s);

/* Whether the store was opened with STORE_REPLAY. */
int store_replaying(const struct store *s);
/* Whether journal_append leaves the signed head to journal_batch_end
 * (journal.h); set and cleared by journal_batch_begin and _end only. */
void store_defer_head(struct store *s, int on);
int store_head_deferred(const struct store *s);

/* Node key: whether loaded, the public key, and detached signatures. */
int store_has_key(const struct store *s);
const unsigned char *store_public_key(const struct store *s); /* 32 bytes */
int store_sign(const struct store *s, const unsigned char *msg, size_t len,
	       unsigned char sig[64]) PX_MUST_CHECK;

/* Rotate the node key (`pnyx node rotate-key`, docs/nodes.md): a new
 * Ed25519 key is written beside the old (KEY.new), then, in one
 * transaction, the database names it and fn runs, with store_sign signing
 * with the new key and store_sign_old with the old one (fn journals the
 * rotation: the journal's head is signed with the new key); after the
 * commit the new key file replaces the old. A crash between the two is
 * completed at the next open. fn's failure rolls everything back. */
int store_rotate_key(struct store *s,
		     int (*fn)(struct store *s, const unsigned char *old_pk,
			       const unsigned char *new_pk, void *arg),
		     void *arg, struct px_error *err) PX_MUST_CHECK;
int store_sign_old(const struct store *s, const unsigned char *msg, size_t len,
		   unsigned char sig[64]) PX_MUST_CHECK;

/* Copy the live database to out_path (which must not exist) with SQLite's
 * online backup: one consistent snapshot, while writers go on. While
 * another program holds the database busy it tries again, for wait_ms at
 * the most; then PX_E_BUSY. On any failure out_path is removed. The copy is
 * in rollback-journal mode: one self-contained file, no -wal beside it. */
int store_backup(struct store *s, const char *out_path, int wait_ms,
		 struct px_error *err) PX_MUST_CHECK;

/* A fixed set of connections shared by server threads. get blocks until
 * one is free; put returns it. */
int store_pool_open(const char *path, size_t n, struct store_pool **out,
		    struct px_error *err) PX_MUST_CHECK;
struct store *store_pool_get(struct store_pool *p);
void store_pool_put(struct store_pool *p, struct store *s);
void store_pool_close(struct store_pool *p);

#endif
