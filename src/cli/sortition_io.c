/*
 * sortition_io.c: file reading and pool loading for the sortition
 * commands. Parsing is done by core (csv.c, pool.c); this file only moves
 * bytes in and names the file and line of every problem.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/errors.h"
#include "cli.h"
#include "sortition_io.h"
#include "banned.h"

int sio_read_file(const char *cmd, const char *path, size_t max, char **buf,
		  size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t n = 0, cap = 0;
	*buf = NULL;
	if (!f)
		return cli_errorf(cmd, CLI_USAGE, "%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536 * 2;
			char *p = realloc(b, cap + 1);
			if (!p) {
				free(b);
				fclose(f);
				return cli_errorf(cmd, CLI_FAIL, "%s: out of memory", path);
			}
			b = p;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			free(b);
			fclose(f);
			return cli_errorf(cmd, CLI_USAGE, "%s: larger than %zu bytes",
					  path, max);
		}
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(b);
		return cli_errorf(cmd, CLI_USAGE, "%s: read error", path);
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int sio_read_csv(const char *cmd, const char *path, struct csv_table *t)
{
	char *buf;
	size_t len, line;
	struct px_error err = { 0 };
	int rc = sio_read_file(cmd, path, (size_t)1 << 31, &buf, &len);
	if (rc)
		return rc;
	rc = csv_parse(buf, len, t, &line, &err);
	free(buf);
	if (rc)
		return cli_errorf(cmd, rc == PX_E_NOMEM ? CLI_FAIL : CLI_USAGE,
				  "%s:%zu: %s", path, line, px_error_message(&err));
	return 0;
}

/* Valid UTF-8 (shortest forms, no surrogates) without control characters
 * (U+0000..U+001F, U+007F), except tab, line feed and carriage return
 * when spaces is set. */
static int utf8_ok(const char *s, size_t len, int spaces)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t extra;
		unsigned min;
		if (spaces && (c == '\t' || c == '\n' || c == '\r')) {
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			extra = 1;
			min = 0x80;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2;
			min = 0x800;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return 0;
		}
		if (len - i <= extra)
			return 0;
		for (size_t k = 1; k <= extra; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += extra + 1;
	}
	return 1;
}

int sio_text_ok(const char *s, size_t len)
{
	return utf8_ok(s, len, 0);
}

int sio_source_ok(const char *s, size_t len)
{
	return len > 0 && memchr(s, '\0', len) == NULL && utf8_ok(s, len, 1);
}

int sio_read_source(const char *cmd, const char *seed, const char *seed_file,
		    char **out)
{
	size_t len;
	*out = NULL;
	if (seed && seed_file)
		return cli_errorf(cmd, CLI_USAGE, "give --seed or --seed-file, not both");
	if (seed_file) {
		int rc = sio_read_file(cmd, seed_file, 1 << 20, out, &len);
		if (rc)
			return rc;
	} else if (seed) {
		len = strlen(seed);
		if (!(*out = strdup(seed)))
			return cli_errorf(cmd, CLI_FAIL, "out of memory");
	} else {
		return 0;
	}
	if (!sio_source_ok(*out, len) || strlen(*out) != len) {
		free(*out);
		*out = NULL;
		return cli_errorf(cmd, CLI_USAGE,
				  "%s must be non-empty UTF-8 text without control characters"
				  " other than tab, line feed and carriage return",
				  seed_file ? "--seed-file" : "--seed");
	}
	return 0;
}

void sio_hex32(const unsigned char in[32], char out[65])
{
	sodium_bin2hex(out, 65, in, 32);
}

int sio_unhex32(const char *s, unsigned char out[32])
{
	size_t got;
	if (strlen(s) != 64)
		return -1;
	for (size_t i = 0; i < 64; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			return -1;
	}
	if (sodium_hex2bin(out, 32, s, 64, NULL, &got, NULL) || got != 32)
		return -1;
	return 0;
}

int sio_load_pool(const char *cmd, const char *path, const char *id_column,
		  struct sio_pool *sp)
{
	struct px_error err = { 0 };
	size_t dup_a = 0, dup_b = 0;
	int rc;
	memset(sp, 0, sizeof(*sp));
	if (sodium_init() < 0)
		return cli_errorf(cmd, CLI_FAIL, "libsodium failed to start");
	rc = sio_read_csv(cmd, path, &sp->table);
	if (rc)
		return rc;
	struct csv_table *t = &sp->table;
	if (id_column) {
		sp->id_col = csv_column(t, id_column);
		if (sp->id_col < 0)
			return cli_errorf(cmd, CLI_USAGE, "%s:1: no column '%s'",
					  path, id_column);
	} else {
		sp->id_col = csv_column(t, "id");
		if (sp->id_col < 0)
			sp->id_col = 0;
	}
	long salt_col = csv_column(t, "salt");
	size_t n = t->nrows - 1;
	sp->people = calloc(n ? n : 1, sizeof(*sp->people));
	sp->salts = calloc(n ? n : 1, sizeof(*sp->salts));
	if (!sp->people || !sp->salts)
		return cli_errorf(cmd, CLI_FAIL, "out of memory");
	for (size_t r = 1; r < t->nrows; r++) {
		const char *id = csv_cell(t, r, (size_t)sp->id_col);
		struct px_person *p = &sp->people[r - 1];
		if (!*id)
			return cli_errorf(cmd, CLI_USAGE, "%s:%zu: the id is empty",
					  path, t->lines[r]);
		if (!sio_text_ok(id, strlen(id)))
			return cli_errorf(cmd, CLI_USAGE,
					  "%s:%zu: the id is not UTF-8 text without control characters",
					  path, t->lines[r]);
		p->id = id;
		p->row = r;
		if (salt_col >= 0 && *csv_cell(t, r, (size_t)salt_col)) {
			if (sio_unhex32(csv_cell(t, r, (size_t)salt_col), sp->salts[r - 1]))
				return cli_errorf(cmd, CLI_USAGE,
						  "%s:%zu: the salt must be 64 hexadecimal digits",
						  path, t->lines[r]);
			p->salt = sp->salts[r - 1];
		}
	}
	rc = px_pool_build(&sp->pool, sp->people, n, &dup_a, &dup_b, &err);
	if (rc == PX_E_BAD_INPUT)
		return cli_errorf(cmd, CLI_USAGE, "%s:%zu: %s (also on line %zu)",
				  path, t->lines[dup_b], px_error_message(&err),
				  t->lines[dup_a]);
	if (rc)
		return cli_report(cmd, &err);
	return 0;
}

void sio_pool_release(struct sio_pool *sp)
{
	px_pool_release(&sp->pool);
	free(sp->people);
	free(sp->salts);
	csv_table_release(&sp->table);
	memset(sp, 0, sizeof(*sp));
}
