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

struct px_error;
struct store;
struct store_pool;

enum store_flags {
	STORE_CREATE = 1,   /* create the file (pnyx init); refuse if it exists */
	STORE_READONLY = 2, /* open read-only (journal verify, show) */
};

/*
 * Open the database at path, apply pending migrations (unless read-only)
 * and load the node key from "<path>.key" if it exists. With STORE_CREATE
 * the file must not exist yet; the key is generated and written with mode
 * 0600. On failure *out is NULL and err says why.
 */
int store_open(const char *path, int flags, struct store **out,
	       struct px_error *err);
/* Finalize cached statements and close. NULL is allowed. */
void store_close(struct store *s);

sqlite3 *store_db(struct store *s);
const char *store_path(const struct store *s);

/*
 * A prepared statement for sql, compiled once per connection and cached by
 * the text of sql. It is returned reset with bindings cleared; it stays
 * valid until store_close. Returns NULL if sql does not compile (a
 * programming error, logged to stderr).
 */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);

/*
 * Run fn inside BEGIN IMMEDIATE ... COMMIT. fn returns 0 to commit or a
 * PX_E_* code to roll back (the code is returned). If the database is busy
 * at BEGIN, inside fn (fn returns PX_E_BUSY) or at COMMIT, everything is
 * rolled back and fn runs again, a bounded number of times with growing
 * pauses; then PX_E_BUSY is returned.
 */
int store_tx(struct store *s, int (*fn)(struct store *s, void *arg),
	     void *arg);

/*
 * Run fn inside one read transaction (BEGIN ... COMMIT, deferred): all it
 * reads is one snapshot of the database, whatever writers commit
 * meanwhile, and it never takes the write lock. The connection is
 * query-only for the duration: a write inside fn fails (PX_E_DB), and so
 * does store_tx(). fn returns 0 or a PX_E_* code, which is returned; a
 * busy database (PX_E_BUSY from fn) runs fn again, as store_tx() does.
 */
int store_read(struct store *s, int (*fn)(struct store *s, void *arg),
	       void *arg);

/* Map an SQLite result code to a PX code: SQLITE_OK/ROW/DONE -> 0,
 * BUSY/LOCKED -> PX_E_BUSY, CONSTRAINT -> PX_E_EXISTS, others PX_E_DB. */
int store_code(int sqlite_rc);

/* The schema version after migrations (the number of the last one). */
int store_schema_version(struct store *s);

/* Node key: whether loaded, the public key, and detached signatures. */
int store_has_key(const struct store *s);
const unsigned char *store_public_key(const struct store *s); /* 32 bytes */
int store_sign(const struct store *s, const unsigned char *msg, size_t len,
	       unsigned char sig[64]);

/* Copy the live database to out_path with SQLite's online backup. */
int store_backup(struct store *s, const char *out_path, struct px_error *err);

/* A fixed set of connections shared by server threads. get blocks until
 * one is free; put returns it. */
int store_pool_open(const char *path, size_t n, struct store_pool **out,
		    struct px_error *err);
struct store *store_pool_get(struct store_pool *p);
void store_pool_put(struct store_pool *p, struct store *s);
void store_pool_close(struct store_pool *p);

#endif
