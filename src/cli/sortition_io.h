/*
 * sortition_io.h: what the sortition commands (commit, draw, verify,
 * select) share: reading a whole file, loading a pool CSV into a committed
 * pool, and hex. Every failure is reported on stderr as
 * "pnyx CMD: FILE:LINE: reason" and turned into an exit status.
 *
 * Ownership: struct sio_pool owns the file text, the parsed table, the
 * salts and the pool; sio_pool_release() frees them all.
 */
#ifndef PNYX_SORTITION_IO_H
#define PNYX_SORTITION_IO_H

#include <stddef.h>

#include "core/csv.h"
#include "core/pool.h"

/* Read the whole of path (at most max bytes) into a NUL-terminated heap
 * buffer. Returns 0, or reports and returns CLI_USAGE. */
int sio_read_file(const char *cmd, const char *path, size_t max, char **buf,
		  size_t *len);

/* Read and parse a CSV file; reports "FILE:LINE: reason". */
int sio_read_csv(const char *cmd, const char *path, struct csv_table *t);

struct sio_pool {
	struct csv_table table;
	struct px_person *people;
	unsigned char (*salts)[PX_SALT_BYTES];
	struct px_pool pool;
	long id_col;   /* column of the id, or -1 for row numbers */
};

/*
 * Load a pool: the id column is id_column when given, else a column named
 * "id", else the first column. A column named "salt", when present, gives
 * each person's salt as 64 hexadecimal digits (an empty cell: no salt).
 */
int sio_load_pool(const char *cmd, const char *path, const char *id_column,
		  struct sio_pool *sp);
void sio_pool_release(struct sio_pool *sp);

/* hex of 32 bytes into out[65]. */
void sio_hex32(const unsigned char in[32], char out[65]);
/* Parse exactly 64 hex digits; returns 0 or -1. */
int sio_unhex32(const char *s, unsigned char out[32]);

/* Whether s is valid UTF-8 without control characters (an id). */
int sio_text_ok(const char *s, size_t len);
/* Whether s is a seed source: non-empty UTF-8 without control characters
 * other than tab, line feed and carriage return (docs/sortition.md 3). */
int sio_source_ok(const char *s, size_t len);
/* The source from --seed TEXT or --seed-file FILE (its bytes exactly, a
 * final line feed included), checked; *out is a heap copy the caller
 * frees, NULL when neither was given. Returns 0 or reports and returns
 * the exit status. */
int sio_read_source(const char *cmd, const char *seed, const char *seed_file,
		    char **out);

#endif
