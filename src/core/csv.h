/*
 * csv.h: a CSV parser over a buffer (RFC 4180 with the usual leniencies:
 * LF or CRLF line ends, a UTF-8 byte-order mark at the start is skipped,
 * blank lines are skipped, the last line may lack its line end).
 *
 * Fields are separated by commas; a field that starts with a double quote
 * runs to the matching quote, "" inside it stands for one quote, and it may
 * contain commas and line ends. Every record must have as many fields as
 * the first (the header).
 *
 * Ownership: the caller embeds struct csv_table; csv_parse() fills it with
 * heap memory that csv_table_release() frees. Cells are NUL-terminated
 * copies; cell(t, r, c) is valid until the release.
 */
#ifndef PNYX_CSV_H
#define PNYX_CSV_H

#include <stddef.h>
#include "errors.h"

struct px_error;

struct csv_table {
	size_t nrows;   /* records, the header included (row 0) */
	size_t ncols;   /* fields per record */
	char **cells;   /* nrows * ncols pointers into store */
	size_t *lines;  /* line number (1-based) where each record starts */
	char *store;    /* the unescaped text of every cell */
};

/*
 * Parse len bytes of buf. On failure returns PX_E_BAD_INPUT (or
 * PX_E_NOMEM), sets *err_line to the 1-based line of the problem, fills err
 * with the reason and leaves t empty. A buffer with no record at all is an
 * error ("empty file").
 */
int csv_parse(const char *buf, size_t len, struct csv_table *t,
	      size_t *err_line, struct px_error *err) PX_MUST_CHECK;

void csv_table_release(struct csv_table *t);

static inline const char *csv_cell(const struct csv_table *t, size_t row,
				   size_t col)
{
	return t->cells[row * t->ncols + col];
}

/* The index of the header cell equal to name (ASCII case-insensitive), or
 * -1 when there is none. */
long csv_column(const struct csv_table *t, const char *name);

#endif
