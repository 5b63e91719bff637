/*
 * store.c: one SQLite connection with its statement cache and node key,
 * the transaction helper, online backup, and a pool of connections for the
 * server's threads.
 *
 * Invariants: every connection runs with journal_mode=WAL,
 * foreign_keys=ON and synchronous=FULL (a committed transaction is on disk
 * before COMMIT returns); migrations run once, in order, each in its own
 * transaction together with its row in schema_version.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "journal.h"
#include "migrations.h"
#include "store.h"
#include "banned.h"

#define STMT_CACHE_SIZE 1024 /* a power of two, well above the statements pnyx has */
#define TX_MAX_TRIES 50
/* The longest an operation waits for another connection's lock, in all
 * its tries together. Each try used to wait SQLite's busy timeout (5 s)
 * and there were 50 of them: a write behind another process's BEGIN
 * EXCLUSIVE (the command line holding the database while the server
 * runs) waited minutes. Now the wait is bounded as a whole; then
 * PX_E_BUSY, which the server answers 503 with Retry-After and the
 * command line reports, exit 1. */
#define STORE_WAIT_MS 4000

struct stmt_slot {
	char *sql; /* our own copy of the text: the caller's may be temporary */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	struct stmt_slot cache[STMT_CACHE_SIZE];
	size_t ncached;
	int has_key;
	int replaying; /* STORE_REPLAY: journal appends write nothing */
	int head_deferred; /* journal_batch_begin: the head is signed at its end */
	/* SQLite's message for the last SQL that failed in exec(), for the
	 * log its caller writes (store_errmsg) */
	char errmsg[200];
	/* the copy taken before this open applied migrations, or NULL */
	char *upgrade_backup;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
	/* a key rotation under way (store_rotate_key): the key before */
	unsigned char old_pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char old_sk[crypto_sign_SECRETKEYBYTES];
};

int store_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return PX_E_BUSY;
	case SQLITE_CONSTRAINT:
		return PX_E_EXISTS;
	case SQLITE_NOMEM:
		return PX_E_NOMEM;
	default:
		return PX_E_DB;
	}
}

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

static uint64_t hash_sql(const char *sql)
{
	/* FNV-1a: the cache only needs a spread, not collision resistance */
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
	size_t i = (size_t)hash_sql(sql) & (STMT_CACHE_SIZE - 1);
	for (size_t n = 0; n < STMT_CACHE_SIZE; n++, i = (i + 1) & (STMT_CACHE_SIZE - 1)) {
		struct stmt_slot *slot = &s->cache[i];
		if (!slot->stmt)
			break;
		if (!strcmp(slot->sql, sql)) {
			sqlite3_reset(slot->stmt);
			sqlite3_clear_bindings(slot->stmt);
			return slot->stmt;
		}
	}
	sqlite3_stmt *st = NULL;
	int flags = s->ncached < STMT_CACHE_SIZE * 3 / 4 ? SQLITE_PREPARE_PERSISTENT : 0;
	if (sqlite3_prepare_v3(s->db, sql, -1, (unsigned)flags, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "pnyx: SQL does not compile: %s\n  %s\n",
			sqlite3_errmsg(s->db), sql);
		return NULL;
	}
	char *copy = s->ncached < STMT_CACHE_SIZE * 3 / 4 ? strdup(sql) : NULL;
	if (!copy) {
		/* The cache is full (a program with this many distinct
		 * statements is wrong) or out of memory: keep working,
		 * uncached. Leak nothing: the statement is finalized at close
		 * through sqlite3_next_stmt. */
		return st;
	}
	s->cache[i].sql = copy;
	s->cache[i].stmt = st;
	s->ncached++;
	return st;
}

/* ---- the checked row API (store.h) ---- */

static int step_error(int src)
{
	int rc = store_code(src);
	return rc ? rc : PX_E_DB;
}

int store_step(sqlite3_stmt *st, int *row)
{
	*row = 0;
	if (!st)
		return PX_E_INTERNAL;
	int src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		*row = 1;
		return 0;
	}
	sqlite3_reset(st);
	return src == SQLITE_DONE ? 0 : step_error(src);
}

int store_next(sqlite3_stmt *st, int *rc)
{
	int row = 0;
	if (*rc)
		return 0;
	*rc = store_step(st, &row);
	return row;
}

int store_run(sqlite3_stmt *st)
{
	int row = 0;
	int rc = store_step(st, &row);
	if (!rc && row) {
		sqlite3_reset(st);
		rc = PX_E_INTERNAL; /* a statement meant to return nothing */
	}
	return rc;
}

int store_int64(sqlite3_stmt *st, int64_t *value, int *found)
{
	int row = 0;
	int rc = store_step(st, &row);
	*value = row ? sqlite3_column_int64(st, 0) : 0;
	if (found)
		*found = row;
	if (row)
		sqlite3_reset(st);
	return rc;
}

int store_text(sqlite3_stmt *st, struct strbuf *sb, int *found)
{
	int row = 0;
	int rc = store_step(st, &row);
	if (found)
		*found = row;
	if (!row)
		return rc;
	const char *text = (const char *)sqlite3_column_text(st, 0);
	if (!text && sqlite3_column_type(st, 0) != SQLITE_NULL)
		rc = PX_E_NOMEM; /* the conversion to text failed */
	else if (text)
		rc = sb_adds(sb, text);
	sqlite3_reset(st);
	return rc;
}

int store_exists(sqlite3_stmt *st, int *yes)
{
	int64_t ignored;
	return store_int64(st, &ignored, yes);
}

/* Run sql; a failure is the caller's to report: its SQLite code is
 * returned and its message kept in s->errmsg. Nothing is printed here. */
static int exec(struct store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		snprintf(s->errmsg, sizeof(s->errmsg), "%s",
			 msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

const char *store_errmsg(const struct store *s)
{
	return s ? s->errmsg : "";
}

int store_exec(struct store *s, const char *sql)
{
	int src = exec(s, sql);
	return src == SQLITE_OK ? 0 : step_error(src);
}

static int savepoint_sql(struct store *s, const char *verb, const char *name)
{
	char sql[96];
	int n = snprintf(sql, sizeof(sql), "%s %s", verb, name);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return PX_E_INTERNAL;
	return store_exec(s, sql);
}

int store_savepoint(struct store *s, const char *name)
{
	return savepoint_sql(s, "SAVEPOINT", name);
}

int store_rollback_to(struct store *s, const char *name)
{
	return savepoint_sql(s, "ROLLBACK TO", name);
}

int store_release(struct store *s, const char *name)
{
	return savepoint_sql(s, "RELEASE", name);
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Before a try: pause (after the first), then give SQLite's busy handler
 * what is left of the operation's wait. 0 when no time is left. */
static int next_try(struct store *s, int attempt, int64_t deadline)
{
	if (attempt) {
		long ms = attempt < 10 ? 2 * attempt : 50;
		int64_t left = deadline - now_ms();
		if (left <= ms)
			return 0;
		pause_ms(ms);
	}
	int64_t left = deadline - now_ms();
	if (left <= 0)
		return 0;
	sqlite3_busy_timeout(s->db, (int)left);
	return 1;
}

/* A statement stepped to a row and never reset keeps a read snapshot
 * open; reset them all between operations so each starts fresh. */
static void reset_busy(struct store *s)
{
	sqlite3_stmt *st = NULL;
	while ((st = sqlite3_next_stmt(s->db, st)))
		if (sqlite3_stmt_busy(st))
			sqlite3_reset(st);
}

/* The writers of this process take turns here before SQLite's write lock:
 * SQLite lets one writer in at a time anyway, and a thread that waits on
 * the lock inside SQLite sleeps in steps of up to 100 ms however soon the
 * lock is free (with many requests writing at once, votes went from
 * hundreds a second to tens). Waiting here, the next writer starts as soon
 * as the last one commits. The turn is waited for as long as SQLite's lock
 * would be (STORE_WAIT_MS), then the write is refused busy like one that
 * found the lock held. Other processes (the command line) still meet the
 * busy timeout. No transaction is ever opened inside another. */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

static int tx_tries(struct store *s, int (*fn)(struct store *s, void *arg), void *arg);

int store_tx(struct store *s, int (*fn)(struct store *s, void *arg), void *arg)
{
	struct timespec until;
	if (clock_gettime(CLOCK_REALTIME, &until))
		return PX_E_DB;
	until.tv_sec += STORE_WAIT_MS / 1000;
	until.tv_nsec += (long)(STORE_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int lrc = pthread_mutex_timedlock(&writer, &until);
	if (lrc)
		return lrc == ETIMEDOUT ? PX_E_BUSY : PX_E_DB;
	int rc = tx_tries(s, fn, arg);
	sqlite3_busy_timeout(s->db, STORE_WAIT_MS);
	pthread_mutex_unlock(&writer);
	return rc;
}

static int tx_tries(struct store *s, int (*fn)(struct store *s, void *arg), void *arg)
{
	int rc = PX_E_BUSY;
	int64_t deadline = now_ms() + STORE_WAIT_MS;
	s->errmsg[0] = '\0';
	reset_busy(s);
	for (int attempt = 0; attempt < TX_MAX_TRIES; attempt++) {
		if (!next_try(s, attempt, deadline))
			break;
		int src = exec(s, "BEGIN IMMEDIATE");
		if (src != SQLITE_OK) {
			rc = store_code(src);
			if (rc == PX_E_BUSY)
				continue;
			return rc ? rc : PX_E_DB;
		}
		rc = fn(s, arg);
		if (rc == 0) {
			src = exec(s, "COMMIT");
			if (src == SQLITE_OK)
				return 0;
			rc = store_code(src);
			if (!rc)
				rc = PX_E_DB;
		}
		/* an I/O error at COMMIT may have rolled back already */
		if (!sqlite3_get_autocommit(s->db))
			exec(s, "ROLLBACK");
		if (rc != PX_E_BUSY)
			break;
	}
	return rc;
}

/*
 * A read is one moment: BEGIN (deferred) takes its snapshot at the first
 * statement and every later statement of fn sees that same snapshot, even
 * while writers commit (WAL readers never wait for writers, nor writers
 * for them). query_only makes a write attempted inside fn fail
 * (SQLITE_READONLY) instead of quietly queueing behind the write lock:
 * reads never write.
 */
int store_read(struct store *s, int (*fn)(struct store *s, void *arg), void *arg)
{
	int rc = PX_E_BUSY;
	int64_t deadline = now_ms() + STORE_WAIT_MS;
	s->errmsg[0] = '\0';
	reset_busy(s);
	if (exec(s, "PRAGMA query_only=1") != SQLITE_OK)
		return PX_E_DB;
	for (int attempt = 0; attempt < TX_MAX_TRIES; attempt++) {
		if (!next_try(s, attempt, deadline))
			break;
		int src = exec(s, "BEGIN");
		if (src != SQLITE_OK) {
			rc = store_code(src);
			if (!rc)
				rc = PX_E_DB;
			break;
		}
		rc = fn(s, arg);
		reset_busy(s); /* a statement left on a row would keep the snapshot */
		src = exec(s, rc ? "ROLLBACK" : "COMMIT");
		if (!rc && src != SQLITE_OK)
			rc = store_code(src) ? store_code(src) : PX_E_DB;
		if (rc != PX_E_BUSY)
			break;
	}
	if (!sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK");
	sqlite3_busy_timeout(s->db, STORE_WAIT_MS);
	if (exec(s, "PRAGMA query_only=0") != SQLITE_OK && !rc)
		rc = PX_E_DB;
	return rc;
}

/* ---- the node key ---- */

static int key_path(const char *db_path, struct strbuf *out)
{
	sb_init(out, 4096);
	int rc = sb_adds(out, db_path);
	return rc ? rc : sb_adds(out, ".key");
}

static int write_key(struct store *s, struct px_error *err)
{
	struct strbuf path;
	int rc = key_path(s->path, &path);
	if (rc)
		goto out;
	crypto_sign_keypair(s->pk, s->sk);
	int fd = open(path.buf, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = px_fail(err, PX_E_IO, NULL, "cannot create %s: %s",
			     path.buf, strerror(errno));
		goto out;
	}
	ssize_t n = write(fd, s->sk, sizeof(s->sk));
	if (n != (ssize_t)sizeof(s->sk) || fsync(fd) || close(fd)) {
		rc = px_fail(err, PX_E_IO, NULL, "cannot write %s", path.buf);
		goto out;
	}
	s->has_key = 1;
out:
	sb_release(&path);
	return rc;
}

static int read_key(struct store *s, struct px_error *err)
{
	struct strbuf path;
	int rc = key_path(s->path, &path);
	if (rc)
		goto out;
	int fd = open(path.buf, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT)
			rc = px_fail(err, PX_E_IO, NULL, "cannot read %s: %s",
				     path.buf, strerror(errno));
		goto out; /* no key: read-only use still works */
	}
	ssize_t n = read(fd, s->sk, sizeof(s->sk));
	close(fd);
	if (n != (ssize_t)sizeof(s->sk) ||
	    crypto_sign_ed25519_sk_to_pk(s->pk, s->sk)) {
		rc = px_fail(err, PX_E_NO_KEY, NULL, "%s is not a pnyx key",
			     path.buf);
		goto out;
	}
	s->has_key = 1;
out:
	sb_release(&path);
	return rc;
}

/* Write sk to path, new (O_EXCL) and flushed. */
static int write_key_file(const char *path, const unsigned char *sk, size_t n,
			  struct px_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return px_fail(err, PX_E_IO, NULL, "cannot create %s: %s", path, strerror(errno));
	ssize_t w = write(fd, sk, n);
	if (w != (ssize_t)n || fsync(fd)) {
		close(fd);
		unlink(path);
		return px_fail(err, PX_E_IO, NULL, "cannot write %s", path);
	}
	if (close(fd)) {
		unlink(path);
		return px_fail(err, PX_E_IO, NULL, "cannot write %s", path);
	}
	return 0;
}

/* Flush the directory that holds path, so a rename in it lasts. */
static int sync_dir_of(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

struct rotate_arg {
	int (*fn)(struct store *, const unsigned char *, const unsigned char *, void *);
	void *arg;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

static int rotate_tx(struct store *s, void *p)
{
	struct rotate_arg *a = p;
	sqlite3_stmt *st = store_stmt(s, "UPDATE node SET public_key = ? WHERE id = 1");
	if (st)
		sqlite3_bind_blob(st, 1, a->pk, sizeof(a->pk), SQLITE_STATIC);
	int rc = store_run(st);
	if (rc)
		return rc;
	memcpy(s->old_pk, s->pk, sizeof(s->pk));
	memcpy(s->old_sk, s->sk, sizeof(s->sk));
	/* fn signs with the old key through store_sign_old, and with the new
	 * one (the journal's head among them) through store_sign */
	memcpy(s->pk, a->pk, sizeof(s->pk));
	memcpy(s->sk, a->sk, sizeof(s->sk));
	rc = a->fn(s, s->old_pk, s->pk, a->arg);
	if (rc) {
		memcpy(s->pk, s->old_pk, sizeof(s->pk));
		memcpy(s->sk, s->old_sk, sizeof(s->sk));
	}
	return rc;
}

int store_rotate_key(struct store *s,
		     int (*fn)(struct store *s, const unsigned char *old_pk,
			       const unsigned char *new_pk, void *arg),
		     void *arg, struct px_error *err)
{
	if (!s->has_key || s->replaying)
		return px_fail(err, PX_E_NO_KEY, NULL, "this database has no node key to rotate");
	struct rotate_arg a = { .fn = fn, .arg = arg };
	struct strbuf path, next;
	int rc = key_path(s->path, &path);
	sb_init(&next, 4096);
	if (!rc)
		rc = sb_adds(&next, path.buf ? path.buf : "");
	if (!rc)
		rc = sb_adds(&next, ".new");
	if (rc)
		goto out;
	crypto_sign_keypair(a.pk, a.sk);
	unlink(next.buf); /* a rotation that never committed */
	/* the new key is on the disk before the database names it: a crash
	 * after the commit finds it beside the old (store_open completes the
	 * rotation), one before leaves the old key in use */
	if ((rc = write_key_file(next.buf, a.sk, sizeof(a.sk), err)))
		goto out;
	rc = store_tx(s, rotate_tx, &a);
	if (rc) {
		unlink(next.buf);
		rc = px_fail(err, rc, NULL, "the key was not rotated: %s", px_code_message(rc));
		goto out;
	}
	if (rename(next.buf, path.buf) || sync_dir_of(path.buf))
		rc = px_fail(err, PX_E_IO, NULL, "the database names the new key, but %s could"
			     " not replace %s: %s (the next start completes it)", next.buf,
			     path.buf, strerror(errno));
out:
	sodium_memzero(a.sk, sizeof(a.sk));
	sodium_memzero(s->old_sk, sizeof(s->old_sk));
	sb_release(&path);
	sb_release(&next);
	return rc;
}

int store_sign_old(const struct store *s, const unsigned char *msg, size_t len,
		   unsigned char sig[64])
{
	if (!s->has_key)
		return PX_E_NO_KEY;
	crypto_sign_detached(sig, NULL, msg, len, s->old_sk);
	return 0;
}

/* A rotation committed but not completed on the disk: KEY.new is the key
 * the database names. Put it in place: 0, or -1 when there is none, or
 * the error. */
static int finish_rotation(struct store *s, struct px_error *err)
{
	struct strbuf path, next;
	int rc = key_path(s->path, &path);
	sb_init(&next, 4096);
	if (!rc)
		rc = sb_adds(&next, path.buf ? path.buf : "");
	if (!rc)
		rc = sb_adds(&next, ".new");
	if (rc)
		goto out;
	unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
	int fd = open(next.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -1; /* none */
		goto out;
	}
	ssize_t n = read(fd, sk, sizeof(sk));
	close(fd);
	if (n != (ssize_t)sizeof(sk) || crypto_sign_ed25519_sk_to_pk(pk, sk)) {
		rc = -1;
		goto wipe;
	}
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM node WHERE id = 1 AND public_key = ?");
	int yes = 0;
	if (st)
		sqlite3_bind_blob(st, 1, pk, sizeof(pk), SQLITE_STATIC);
	if (store_exists(st, &yes) || !yes) {
		rc = -1;
		goto wipe;
	}
	if (rename(next.buf, path.buf) || sync_dir_of(path.buf)) {
		rc = px_fail(err, PX_E_IO, NULL, "cannot put %s in place: %s", next.buf,
			     strerror(errno));
		goto wipe;
	}
	memcpy(s->sk, sk, sizeof(sk));
	memcpy(s->pk, pk, sizeof(pk));
	s->has_key = 1;
	rc = 0;
wipe:
	sodium_memzero(sk, sizeof(sk));
out:
	sb_release(&path);
	sb_release(&next);
	return rc;
}

int store_replaying(const struct store *s)
{
	return s->replaying;
}

void store_defer_head(struct store *s, int on)
{
	s->head_deferred = on;
}

int store_head_deferred(const struct store *s)
{
	return s->head_deferred;
}

int store_has_key(const struct store *s)
{
	return s->has_key;
}

const unsigned char *store_public_key(const struct store *s)
{
	return s->pk;
}

int store_sign(const struct store *s, const unsigned char *msg, size_t len,
	       unsigned char sig[64])
{
	if (!s->has_key)
		return PX_E_NO_KEY;
	crypto_sign_detached(sig, NULL, msg, len, s->sk);
	return 0;
}

/* ---- open and close ---- */

static int applied(struct store *s, int version, int *yes)
{
	int64_t one = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM schema_version WHERE version = ?");
	if (st)
		sqlite3_bind_int(st, 1, version);
	/* store_int64 resets: an open statement would pin an old snapshot */
	return store_int64(st, &one, yes);
}

static int rebuilding(int version)
{
	for (const int *v = migrations_rebuilding; *v; v++)
		if (*v == version)
			return 1;
	return 0;
}

/* PRAGMA foreign_key_check: SQLITE_OK when no row breaks a reference. */
static int foreign_keys_hold(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			snprintf(s->errmsg, sizeof(s->errmsg), "a row of %s refers to"
				 " nothing in %s", (const char *)sqlite3_column_text(st, 0),
				 (const char *)sqlite3_column_text(st, 2));
			rc = SQLITE_CONSTRAINT;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		} else {
			snprintf(s->errmsg, sizeof(s->errmsg), "%s", sqlite3_errmsg(s->db));
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int migrate_one(struct store *s, const struct migration *m, struct px_error *err);

static int known_step(int version)
{
	for (const struct migration *m = migrations; m->sql; m++)
		if (m->version == version)
			return 1;
	return 0;
}

/* A database that has a schema step this binary does not know was written
 * by a newer pnyx (or one built from another branch): writing to it with
 * this one could break what the newer one keeps there. Refuse before
 * anything is written. */
static int schema_known(struct store *s, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT version FROM schema_version ORDER BY version");
	if (!st)
		return px_fail(err, PX_E_DB, NULL, "cannot read schema_version: %s",
			       sqlite3_errmsg(s->db));
	int src, unknown = 0;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		int v = sqlite3_column_int(st, 0);
		if (!known_step(v)) {
			unknown = v;
			break;
		}
	}
	sqlite3_reset(st);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return px_fail(err, store_code(src), NULL, "cannot read schema_version: %s",
			       sqlite3_errmsg(s->db));
	if (unknown)
		return px_fail(err, PX_E_SCHEMA_NEWER, "db", "schema step %d is unknown to"
			       " this pnyx: a newer one wrote this database; nothing was"
			       " changed (run the newer pnyx, or restore the copy it"
			       " wrote beside the database before upgrading it)", unknown);
	return 0;
}

/* The first migration this database still lacks, 0 when none; *fresh is
 * set when it has none at all (it is being created). */
static int first_pending(struct store *s, int *fresh, struct px_error *err)
{
	int64_t n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM schema_version");
	if (store_int64(st, &n, NULL))
		return -px_fail(err, PX_E_DB, NULL, "cannot read schema_version: %s",
				sqlite3_errmsg(s->db));
	*fresh = n == 0;
	for (const struct migration *m = migrations; m->sql; m++) {
		int yes = 0;
		if (applied(s, m->version, &yes))
			return -px_fail(err, PX_E_DB, NULL, "cannot read schema_version: %s",
					sqlite3_errmsg(s->db));
		if (!yes)
			return m->version;
	}
	return 0;
}

/* Before a database that exists is upgraded, a copy of it as it was:
 * PATH.before-step-N, N the first step about to run. The copy is written
 * under a temporary name and linked into place, so two processes opening
 * the database at once never write the same file, and a copy that
 * exists is never overwritten (it holds the state before step N, which
 * has not run since). A database that cannot be copied is not upgraded. */
static int backup_before_upgrade(struct store *s, struct px_error *err)
{
	int fresh = 0;
	int step = first_pending(s, &fresh, err);
	if (step < 0)
		return -step;
	if (!step || fresh || s->replaying || !strcmp(s->path, ":memory:"))
		return 0;
	size_t len = strlen(s->path) + 64;
	char *final = malloc(len), *tmp = malloc(len + 32);
	int rc = 0;
	if (!final || !tmp) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	snprintf(final, len, "%s.before-step-%d", s->path, step);
	snprintf(tmp, len + 32, "%s.tmp-%ld", final, (long)getpid());
	if (access(final, F_OK) == 0)
		goto out; /* an earlier attempt's copy: the state before step */
	unlink(tmp); /* a crashed earlier attempt of a process with our pid */
	struct px_error why = { 0 };
	if ((rc = store_backup(s, tmp, 30000, &why))) {
		px_fail(err, rc, "db", "no copy of the database could be written before"
			" upgrading it, so it was not upgraded: %s", px_error_message(&why));
		goto out;
	}
	if (link(tmp, final) != 0 && errno != EEXIST)
		rc = px_fail(err, PX_E_IO, "db", "cannot name the copy made before"
			     " upgrading (%s), so the database was not upgraded",
			     strerror(errno));
	unlink(tmp);
	if (!rc && !(s->upgrade_backup = strdup(final)))
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
out:
	free(tmp);
	free(final);
	return rc;
}

static int migrate(struct store *s, struct px_error *err)
{
	int rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_version ("
			 " version INTEGER PRIMARY KEY,"
			 " applied_at INTEGER NOT NULL)");
	if (rc != SQLITE_OK)
		return px_fail(err, store_code(rc) ? store_code(rc) : PX_E_DB,
			       NULL, "cannot create schema_version");
	if ((rc = schema_known(s, err)) || (rc = backup_before_upgrade(s, err)))
		return rc;
	/* every migration not yet recorded, in the order of the list: a
	 * number is an identity, not a high-water mark, so a migration merged
	 * from another branch with a lower number still runs */
	for (const struct migration *m = migrations; m->sql; m++) {
		int yes = 0;
		if (applied(s, m->version, &yes))
			return px_fail(err, PX_E_DB, NULL, "cannot read schema_version: %s",
				       sqlite3_errmsg(s->db));
		if (yes)
			continue;
		/* foreign keys cannot be switched inside a transaction */
		int off = rebuilding(m->version);
		if (off && (rc = exec(s, "PRAGMA foreign_keys=OFF")) != SQLITE_OK)
			return px_fail(err, PX_E_DB, NULL, "migration %d: %s", m->version,
				       s->errmsg);
		rc = migrate_one(s, m, err);
		if (off && exec(s, "PRAGMA foreign_keys=ON") != SQLITE_OK && !rc)
			rc = px_fail(err, PX_E_DB, NULL, "migration %d: %s", m->version,
				     s->errmsg);
		if (rc)
			return rc;
	}
	return 0;
}

static int migrate_one(struct store *s, const struct migration *m, struct px_error *err)
{
	int rc, yes = 0;
	if ((rc = exec(s, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return px_fail(err, store_code(rc) ? store_code(rc) : PX_E_DB, NULL,
			       "cannot begin migration %d: %s", m->version, s->errmsg);
	/* another process may have applied it while we waited */
	if (applied(s, m->version, &yes)) {
		exec(s, "ROLLBACK");
		return px_fail(err, PX_E_DB, NULL, "cannot read schema_version: %s",
			       sqlite3_errmsg(s->db));
	}
	if (yes) {
		exec(s, "ROLLBACK");
		return 0;
	}
	rc = exec(s, m->sql);
	if (rc == SQLITE_OK && rebuilding(m->version))
		rc = foreign_keys_hold(s);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *st = store_stmt(s,
			"INSERT INTO schema_version(version, applied_at)"
			" VALUES (?, strftime('%s','now'))");
		if (st)
			sqlite3_bind_int(st, 1, m->version);
		rc = SQLITE_OK;
		if (store_run(st)) {
			snprintf(s->errmsg, sizeof(s->errmsg), "%s",
				 sqlite3_errmsg(s->db));
			rc = SQLITE_ERROR;
		}
		if (rc == SQLITE_OK)
			rc = exec(s, "COMMIT");
	}
	if (rc != SQLITE_OK) {
		/* the message is the failure's, not the rollback's */
		char why[sizeof(s->errmsg)];
		snprintf(why, sizeof(why), "%s", s->errmsg);
		exec(s, "ROLLBACK");
		return px_fail(err, PX_E_DB, NULL, "migration %d failed: %s",
			       m->version, why);
	}
	return 0;
}

/* A key file that is not the node's would sign heads that then fail to
 * verify: refuse it before anything is signed. */
static int key_matches_node(struct store *s, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT public_key FROM node WHERE id = 1");
	if (!st)
		return px_fail(err, PX_E_DB, "db", "%s is not a pnyx database", s->path);
	int src = sqlite3_step(st);
	int same = src == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB &&
		   sqlite3_column_bytes(st, 0) == (int)sizeof(s->pk) &&
		   !memcmp(sqlite3_column_blob(st, 0), s->pk, sizeof(s->pk));
	sqlite3_reset(st);
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		return px_fail(err, store_code(src), NULL, "cannot read the node's key");
	if (!same) {
		s->has_key = 0;
		sodium_memzero(s->sk, sizeof(s->sk));
		return px_fail(err, PX_E_KEY_MISMATCH, NULL, "%s.key does not match the"
			       " node's public key: refusing to sign with it", s->path);
	}
	return 0;
}

static int ensure_head(struct store *s, void *arg)
{
	(void)arg;
	return journal_ensure_head(s);
}

const char *store_upgrade_backup(const struct store *s)
{
	return s->upgrade_backup;
}

int store_schema_version(struct store *s)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(version), 0) FROM schema_version");
	/* store_int64 resets: an open statement would pin an old snapshot */
	if (store_int64(st, &v, NULL))
		return -1;
	return (int)v;
}

int store_open(const char *path, int flags, struct store **out,
	       struct px_error *err)
{
	int rc = 0;
	struct store *s = NULL;
	struct stat stbuf;

	*out = NULL;
	if (sodium_init() < 0)
		return px_fail(err, PX_E_INTERNAL, NULL, "libsodium failed to start");
	if ((flags & STORE_REPLAY) && !(flags & STORE_CREATE))
		return px_fail(err, PX_E_INTERNAL, NULL, "a replay creates its database");
	if ((flags & STORE_CREATE) && stat(path, &stbuf) == 0)
		return px_fail(err, PX_E_EXISTS, "db", "%s already exists", path);
	if (!(flags & STORE_CREATE) && stat(path, &stbuf) != 0)
		return px_fail(err, PX_E_NOT_FOUND, "db",
			       "%s does not exist (create it with pnyx init)", path);

	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		rc = PX_E_NOMEM;
		goto out;
	}
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	oflags |= SQLITE_OPEN_NOMUTEX; /* one thread at a time per connection */
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = px_fail(err, PX_E_IO, "db", "cannot open %s: %s", path,
			     s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(s->db, STORE_WAIT_MS);
	sqlite3_extended_result_codes(s->db, 1);
	if (!(flags & STORE_READONLY) &&
	    exec(s, "PRAGMA journal_mode=WAL") != SQLITE_OK) {
		rc = px_fail(err, PX_E_DB, "db", "%s is not a pnyx database (%s)", path,
			     s->errmsg);
		goto out;
	}
	if (exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL") != SQLITE_OK) {
		rc = px_fail(err, PX_E_DB, "db", "%s is not a pnyx database (%s)", path,
			     s->errmsg);
		goto out;
	}
	if (!(flags & STORE_READONLY)) {
		rc = migrate(s, err);
		if (rc)
			goto out;
	}
	/* verifying and reading need only public data: a read-only open
	 * never touches the secret key file */
	s->replaying = (flags & STORE_REPLAY) != 0;
	if (s->replaying)
		rc = 0; /* the node's key stays with the node */
	else if (flags & STORE_CREATE)
		rc = write_key(s, err);
	else if (!(flags & STORE_READONLY))
		rc = read_key(s, err);
	if (rc)
		goto out;
	if (!(flags & STORE_CREATE) && s->has_key && (rc = key_matches_node(s, err))) {
		/* a key rotation committed whose new key was not yet in place */
		struct px_error again = { 0 };
		int frc = rc == PX_E_KEY_MISMATCH ? finish_rotation(s, &again) : -1;
		if (frc > 0)
			*err = again;
		if (frc)
			goto out;
		px_error_clear(err);
		rc = 0;
	}
	if ((flags & STORE_CREATE) && !s->replaying) {
		sqlite3_stmt *st = store_stmt(s,
			"INSERT INTO node(id, public_key, created_at)"
			" VALUES (1, ?, strftime('%s','now'))");
		if (st)
			sqlite3_bind_blob(st, 1, s->pk, sizeof(s->pk), SQLITE_STATIC);
		if (store_run(st)) {
			rc = px_fail(err, PX_E_DB, NULL, "cannot record the node key: %s",
				     sqlite3_errmsg(s->db));
			goto out;
		}
	}
	if (s->has_key && (rc = store_tx(s, ensure_head, NULL))) {
		rc = px_fail(err, rc, NULL, "cannot sign the journal's head: %s",
			     px_code_message(rc));
		goto out;
	}
	*out = s;
	s = NULL;
out:
	if (s)
		store_close(s);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->db) {
		sqlite3_stmt *st;
		while ((st = sqlite3_next_stmt(s->db, NULL)))
			sqlite3_finalize(st);
		sqlite3_close(s->db);
	}
	for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
		free(s->cache[i].sql);
	sodium_memzero(s->sk, sizeof(s->sk));
	free(s->upgrade_backup);
	free(s->path);
	free(s);
}

int store_backup(struct store *s, const char *out_path, int wait_ms,
		 struct px_error *err)
{
	sqlite3 *dst = NULL;
	struct stat stbuf;
	int rc = 0;

	if (stat(out_path, &stbuf) == 0)
		return px_fail(err, PX_E_EXISTS, "out", "%s already exists", out_path);
	if (sqlite3_open_v2(out_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		rc = px_fail(err, PX_E_IO, "out", "cannot create %s", out_path);
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		rc = px_fail(err, PX_E_DB, NULL, "backup failed: %s", sqlite3_errmsg(dst));
		goto out;
	}
	/* All pages in one step: one read transaction, one snapshot. In WAL
	 * mode writers go on meanwhile; copied a few pages at a time, every
	 * write of theirs would restart the copy, and a busy server would
	 * never let it finish. Busy or locked (another program holds the
	 * file): try again, until wait_ms have passed. */
	int64_t deadline = now_ms() + wait_ms;
	int src;
	for (;;) {
		src = sqlite3_backup_step(b, -1);
		if (src != SQLITE_BUSY && src != SQLITE_LOCKED)
			break;
		if (now_ms() + 20 > deadline)
			break;
		pause_ms(20);
	}
	sqlite3_backup_finish(b);
	/* the copy is one self-contained file: no -wal beside it to forget */
	if (src == SQLITE_DONE &&
	    sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		src = sqlite3_errcode(dst);
	if (src == SQLITE_BUSY || src == SQLITE_LOCKED)
		rc = px_fail(err, PX_E_BUSY, NULL, "the database stayed busy for %d s"
			     " (another program holds it); no backup was written:"
			     " try again", (wait_ms + 999) / 1000);
	else if (src != SQLITE_DONE)
		rc = px_fail(err, PX_E_DB, NULL, "backup failed: %s", sqlite3_errstr(src));
out:
	if (dst)
		sqlite3_close(dst);
	if (rc)
		unlink(out_path);
	return rc;
}

int store_checkpoint(struct store *s, struct px_error *err)
{
	int busy = 0, rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
						     NULL, &busy);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return px_fail(err, PX_E_BUSY, NULL, "another program is using the database");
	if (rc != SQLITE_OK)
		return px_fail(err, PX_E_DB, NULL, "checkpoint failed: %s", sqlite3_errmsg(s->db));
	return 0;
}

/* ---- the pool ---- */

struct store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	size_t n, nfree;
	struct store **all;
	struct store **free_list;
};

int store_pool_open(const char *path, size_t n, struct store_pool **out,
		    struct px_error *err)
{
	int rc = 0;
	struct store_pool *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (!p)
		return PX_E_NOMEM;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->all = calloc(n, sizeof(*p->all));
	p->free_list = calloc(n, sizeof(*p->free_list));
	if (!p->all || !p->free_list) {
		rc = PX_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		rc = store_open(path, 0, &p->all[i], err);
		if (rc)
			goto out;
		p->n++;
		p->free_list[p->nfree++] = p->all[i];
	}
	*out = p;
	p = NULL;
out:
	if (p)
		store_pool_close(p);
	return rc;
}

struct store *store_pool_get(struct store_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	struct store *s = p->free_list[--p->nfree];
	pthread_mutex_unlock(&p->lock);
	reset_busy(s);
	return s;
}

void store_pool_put(struct store_pool *p, struct store *s)
{
	reset_busy(s);
	pthread_mutex_lock(&p->lock);
	p->free_list[p->nfree++] = s;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void store_pool_close(struct store_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		store_close(p->all[i]);
	free(p->all);
	free(p->free_list);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	free(p);
}
