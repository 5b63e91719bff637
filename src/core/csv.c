/*
 * csv.c: the CSV parser. One pass over the buffer copies each unescaped
 * field into one store (fields never grow when unescaped, so the store is
 * at most len + one NUL per field); a second array of offsets becomes the
 * cell pointers once the store stops moving. Invariant on success: every
 * record has exactly ncols cells.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "csv.h"
#include "errors.h"
#include "banned.h"

struct vec {
	size_t *v;
	size_t n, cap;
};

static int push(struct vec *a, size_t x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		size_t *p = px_reallocarray(a->v, cap, sizeof(*p));
		if (!p)
			return PX_E_NOMEM;
		a->v = p;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

void csv_table_release(struct csv_table *t)
{
	free(t->cells);
	free(t->lines);
	free(t->store);
	memset(t, 0, sizeof(*t));
}

int csv_parse(const char *buf, size_t len, struct csv_table *t,
	      size_t *err_line, struct px_error *err)
{
	struct vec offs = { 0 }, lines = { 0 };
	size_t i = 0, line = 1, out = 0, ncols = 0, fields_in_rec = 0;
	int rc = 0;
	memset(t, 0, sizeof(*t));
	*err_line = 0;
	char *store = px_mallocarray(len + 1, 2);
	if (!store)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		/* At the start of a record: skip blank lines. */
		if (buf[i] == '\n' || (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
			i += buf[i] == '\r' ? 2 : 1;
			line++;
			continue;
		}
		size_t rec_line = line;
		fields_in_rec = 0;
		for (;;) { /* one field */
			if ((rc = push(&offs, out)))
				goto nomem;
			fields_in_rec++;
			if (i < len && buf[i] == '"') {
				size_t qline = line;
				i++;
				for (;;) {
					if (i >= len) {
						*err_line = qline;
						rc = px_fail(err, PX_E_BAD_INPUT, NULL,
							     "a quoted field is not closed");
						goto out;
					}
					if (buf[i] == '"') {
						if (i + 1 < len && buf[i + 1] == '"') {
							store[out++] = '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (buf[i] == '\n')
						line++;
					if (buf[i] == '\0') {
						*err_line = line;
						rc = px_fail(err, PX_E_BAD_INPUT, NULL,
							     "a NUL byte in a field");
						goto out;
					}
					store[out++] = buf[i++];
				}
				if (i < len && buf[i] != ',' && buf[i] != '\n' &&
				    !(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
					*err_line = line;
					rc = px_fail(err, PX_E_BAD_INPUT, NULL,
						     "text after a closing quote (a quote inside a field must be doubled)");
					goto out;
				}
			} else {
				while (i < len && buf[i] != ',' && buf[i] != '\n' &&
				       !(buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
					if (buf[i] == '"') {
						*err_line = line;
						rc = px_fail(err, PX_E_BAD_INPUT, NULL,
							     "a quote inside an unquoted field");
						goto out;
					}
					if (buf[i] == '\0') {
						*err_line = line;
						rc = px_fail(err, PX_E_BAD_INPUT, NULL,
							     "a NUL byte in a field");
						goto out;
					}
					store[out++] = buf[i++];
				}
			}
			store[out++] = '\0';
			if (i < len && buf[i] == ',') {
				i++;
				continue;
			}
			break; /* end of line or of buffer */
		}
		if (i < len)
			i += buf[i] == '\r' ? 2 : 1;
		if (lines.n == 0)
			ncols = fields_in_rec;
		else if (fields_in_rec != ncols) {
			*err_line = rec_line;
			rc = px_fail(err, PX_E_BAD_INPUT, NULL,
				     "%zu fields where the header has %zu",
				     fields_in_rec, ncols);
			goto out;
		}
		if ((rc = push(&lines, rec_line)))
			goto nomem;
		line++;
	}
	if (lines.n == 0) {
		*err_line = 1;
		rc = px_fail(err, PX_E_BAD_INPUT, NULL, "empty file");
		goto out;
	}
	t->cells = px_mallocarray(offs.n, sizeof(*t->cells));
	if (!t->cells) {
		rc = PX_E_NOMEM;
		goto nomem;
	}
	for (size_t k = 0; k < offs.n; k++)
		t->cells[k] = store + offs.v[k];
	t->store = store;
	store = NULL;
	t->lines = lines.v;
	lines.v = NULL;
	t->nrows = lines.n;
	t->ncols = ncols;
	goto out;
nomem:
	rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
out:
	free(store);
	free(offs.v);
	free(lines.v);
	if (rc && t->cells) {
		free(t->cells);
		t->cells = NULL;
	}
	return rc;
}

long csv_column(const struct csv_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (!strcasecmp(csv_cell(t, 0, c), name))
			return (long)c;
	return -1;
}
