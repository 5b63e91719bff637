/*
 * evidence.c: the files of a piece of evidence, checked and hashed the same
 * way wherever pnyx takes evidence (gov/evidence.h): a case's
 * (src/gov/cases/evidence.c) and a rationing request's
 * (src/gov/sharing/need.c). A file's type is one of an allow list, and
 * its first bytes must say it is one: a name or a declared type is never
 * trusted alone.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/store.h"
#include "gov/evidence.h"
#include "banned.h"

static int is_utf8_text(const unsigned char *d, size_t n)
{
	if (memchr(d, '\0', n))
		return 0;
	char *s = malloc(n + 1);
	if (!s)
		return 0;
	memcpy(s, d, n);
	s[n] = '\0';
	int ok = text_utf8_chars(s) >= 0;
	free(s);
	return ok;
}

static int starts(const unsigned char *d, size_t n, const char *magic, size_t len)
{
	return n >= len && !memcmp(d, magic, len);
}

static int is_pdf(const unsigned char *d, size_t n) { return starts(d, n, "%PDF-", 5); }
static int is_png(const unsigned char *d, size_t n)
{
	return starts(d, n, "\x89PNG\r\n\x1a\n", 8);
}
static int is_jpeg(const unsigned char *d, size_t n) { return starts(d, n, "\xff\xd8\xff", 3); }
static int is_webp(const unsigned char *d, size_t n)
{
	return n >= 12 && starts(d, n, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4);
}

static const struct file_type {
	const char *type, *words;
	int (*sniff)(const unsigned char *d, size_t n);
} file_types[] = {
	{ "application/pdf", "a PDF document", is_pdf },
	{ "image/png", "a PNG image", is_png },
	{ "image/jpeg", "a JPEG image", is_jpeg },
	{ "image/webp", "a WebP image", is_webp },
	{ "text/plain", "plain text in UTF-8", is_utf8_text },
	{ "text/csv", "a table in CSV (UTF-8)", is_utf8_text },
	{ NULL, NULL, NULL },
};

const char *const evidence_file_types[] = {
	"application/pdf", "image/png", "image/jpeg", "image/webp", "text/plain", "text/csv",
	NULL };

static const struct file_type *file_type(const char *type)
{
	for (const struct file_type *t = file_types; t->type; t++)
		if (type && !strcmp(t->type, type))
			return t;
	return NULL;
}

void evidence_hash_hex(const unsigned char *d, size_t n, char hex[EVIDENCE_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), d, n, NULL, 0);
	sodium_bin2hex(hex, EVIDENCE_HASH_HEX, h, sizeof(h));
}

/* A file's name: one line, no path, nothing a header would need quoted. */
static int bad_name(const char *name)
{
	return !name || text_check_line(name, 1, EVIDENCE_FILE_NAME_MAX) ||
	       strpbrk(name, "/\\\"") || !strcmp(name, ".") || !strcmp(name, "..");
}

int evidence_check_files(const struct evidence_file *files, size_t n, struct px_error *err)
{
	if (n > EVIDENCE_FILES_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "files", "at most %d files",
			       EVIDENCE_FILES_MAX);
	/* the fields named in errors are static strings (errors.h) */
	static const char *const fields[EVIDENCE_FILES_MAX][3] = {
		{ "files[0].name", "files[0].type", "files[0].data" },
		{ "files[1].name", "files[1].type", "files[1].data" },
		{ "files[2].name", "files[2].type", "files[2].data" },
		{ "files[3].name", "files[3].type", "files[3].data" } };
	size_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const struct evidence_file *f = &files[i];
		const struct file_type *t = file_type(f->type);
		if (bad_name(f->name))
			return px_fail(err, PX_E_BAD_INPUT, fields[i][0], "a file's name is one line"
				       " of 1 to %d characters, without / \\ or \"",
				       EVIDENCE_FILE_NAME_MAX);
		if (!t)
			return px_fail(err, PX_E_BAD_INPUT, fields[i][1], "'%s' is not a type of"
				       " file evidence takes: a PDF document, a PNG, JPEG or WebP"
				       " image, plain text or CSV", f->type ? f->type : "");
		const char *field = fields[i][2];
		if (f->size < 1 || f->size > EVIDENCE_FILE_MAX)
			return px_fail(err, PX_E_TOO_LARGE, field, "%s is %zu bytes: a file is 1"
				       " byte to 2 MiB", f->name, f->size);
		if (!t->sniff(f->data, f->size))
			return px_fail(err, PX_E_BAD_INPUT, field, "%s is not %s", f->name,
				       t->words);
		total += f->size;
	}
	if (total > EVIDENCE_FILES_TOTAL)
		return px_fail(err, PX_E_TOO_LARGE, "files", "the files are %zu bytes together:"
			       " at most 4 MiB", total);
	return 0;
}

json_t *evidence_items(const char *text, const struct evidence_file *f, size_t n)
{
	json_t *items = json_array();
	char hex[EVIDENCE_HASH_HEX];
	if (!items)
		return NULL;
	evidence_hash_hex((const unsigned char *)text, strlen(text), hex);
	if (json_array_append_new(items, json_pack("{s:i, s:s, s:I, s:s}", "n", 0, "type",
		"text/markdown", "size", (json_int_t)strlen(text), "hash", hex)))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		evidence_hash_hex(f[i].data, f[i].size, hex);
		if (json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s}", "n",
			(json_int_t)i + 1, "type", f[i].type, "size", (json_int_t)f[i].size,
			"hash", hex)))
			goto fail;
	}
	return items;
fail:
	json_decref(items);
	return NULL;
}

int evidence_items_ok(const json_t *items, size_t *bad)
{
	size_t i;
	const json_t *it;
	*bad = 0;
	if (!json_is_array(items) || json_array_size(items) < 1 ||
	    json_array_size(items) > 1 + EVIDENCE_FILES_MAX)
		return 0;
	json_array_foreach(items, i, it) {
		const char *type = json_string_value(json_object_get(it, "type"));
		const char *hash = json_string_value(json_object_get(it, "hash"));
		json_int_t size = json_integer_value(json_object_get(it, "size"));
		*bad = i;
		if (json_integer_value(json_object_get(it, "n")) != (json_int_t)i || !type ||
		    !hash || strlen(hash) != EVIDENCE_HASH_HEX - 1 || size < 0 ||
		    (i ? !file_type(type) || size < 1 || size > EVIDENCE_FILE_MAX
		       : strcmp(type, "text/markdown") != 0))
			return 0;
	}
	return 1;
}

json_t *evidence_types_json(void)
{
	json_t *a = json_array();
	for (size_t i = 0; a && evidence_file_types[i]; i++)
		json_array_append_new(a, json_string(evidence_file_types[i]));
	return a;
}

json_t *evidence_limits_json(void)
{
	return json_pack("{s:i, s:i, s:i}", "files", EVIDENCE_FILES_MAX, "file_bytes",
			 EVIDENCE_FILE_MAX, "total_bytes", EVIDENCE_FILES_TOTAL);
}

int evidence_copy_content(struct store *live, struct store *out, const char *table,
			  const char *select_sql, const char *check_sql, const char *insert_sql)
{
	int yes = 0;
	sqlite3_stmt *st = store_stmt(live, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
				      " AND name = ?");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	int rc = store_exists(st, &yes);
	if (rc || !yes)
		return rc;
	sqlite3_stmt *from = store_stmt(live, select_sql);
	while (store_next(from, &rc)) {
		char hex[EVIDENCE_HASH_HEX];
		const void *b = sqlite3_column_blob(from, 3);
		size_t n = (size_t)sqlite3_column_bytes(from, 3);
		evidence_hash_hex(b ? b : (const void *)"", n, hex);
		/* only bytes that hash to what the journal says: any other is
		 * missing from the replay, and the comparison names it */
		st = store_stmt(out, check_sql);
		sqlite3_bind_int64(st, 1, sqlite3_column_int64(from, 0));
		sqlite3_bind_int64(st, 2, sqlite3_column_int64(from, 1));
		sqlite3_bind_text(st, 3, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, (int64_t)n);
		if ((rc = store_exists(st, &yes)))
			break;
		if (!yes)
			continue;
		st = store_stmt(out, insert_sql);
		for (int i = 0; i < 4; i++)
			sqlite3_bind_value(st, i + 1, sqlite3_column_value(from, i));
		if ((rc = store_run(st)))
			break;
	}
	if (rc)
		sqlite3_reset(from);
	return rc;
}
