/*
 * cmd_commit.c: `pnyx commit`, the first step of a verifiable draw: print
 * the pool's commitment (published before the seed exists), optionally
 * write the public record of leaves, or give every person a fresh salt so
 * receipts reveal nothing about others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/csv.h"
#include "core/errors.h"
#include "core/pool.h"
#include "cli.h"
#include "commands.h"
#include "sortition_io.h"
#include "banned.h"

const char cmd_commit_usage[] = N_(
	"usage: pnyx commit --pool FILE [--id-column NAME] [--record OUT]\n"
	"                   [--add-salts OUT] [--json]\n"
	"\n"
	"Print the BLAKE2b-256 commitment of a pool, to publish before the\n"
	"seed of the draw is known (docs/sortition.md).\n"
	"\n"
	"  --pool FILE       CSV with a header; the id column is --id-column, else\n"
	"                    a column named id, else the first. A column named\n"
	"                    salt gives each person's salt (64 hex digits).\n"
	"  --record OUT      write the public record: the commitment, then every\n"
	"                    leaf in canonical order, one per line in hex\n"
	"  --add-salts OUT   write OUT, the pool with a fresh random salt for each\n"
	"                    person (a column salt), and print its commitment;\n"
	"                    hand each person their id and salt as a receipt\n"
	"  --json            print {\"commitment\", \"people\"}\n");

static int write_record(const char *path, const struct px_pool *p)
{
	FILE *f = fopen(path, "w");
	char hex[65];
	if (!f)
		return -1;
	sio_hex32(p->commitment, hex);
	fprintf(f, "# pnyx sortition pool record v1\ncommitment %s\n", hex);
	for (size_t i = 0; i < p->n; i++) {
		sio_hex32(p->leaves[i], hex);
		fprintf(f, "%s\n", hex);
	}
	return fclose(f) ? -1 : 0;
}

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Write the pool's table with the salt column replaced or added, each
 * person getting fresh random bytes. */
static int write_salted(const char *path, struct sio_pool *sp)
{
	const struct csv_table *t = &sp->table;
	long salt_col = csv_column(t, "salt");
	FILE *f = fopen(path, "w");
	char hex[65];
	if (!f)
		return -1;
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if ((long)c == salt_col)
				continue;
			csv_field(f, csv_cell(t, r, c));
			fputc(',', f);
		}
		if (r == 0) {
			fputs("salt\n", f);
			continue;
		}
		randombytes_buf(sp->salts[r - 1], PX_SALT_BYTES);
		sp->people[r - 1].salt = sp->salts[r - 1];
		sio_hex32(sp->salts[r - 1], hex);
		fprintf(f, "%s\n", hex);
	}
	return fclose(f) ? -1 : 0;
}

int cmd_commit(int argc, char **argv)
{
	const char *pool = NULL, *id_column = NULL, *record = NULL, *salted = NULL;
	int json = 0, rc;
	size_t npos;
	struct sio_pool sp;
	const struct cli_opt opts[] = {
		{ "pool", OPT_STRING, &pool, 0, 0 },
		{ "id-column", OPT_STRING, &id_column, 0, 0 },
		{ "record", OPT_STRING, &record, 0, 0 },
		{ "add-salts", OPT_STRING, &salted, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	rc = cli_parse(cli_find("commit"), opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!pool)
		return cli_errorf("commit", CLI_USAGE, "--pool FILE is required");
	rc = sio_load_pool("commit", pool, id_column, &sp);
	if (rc)
		goto out;
	if (salted) {
		struct px_error err = { 0 };
		size_t a, b;
		if (write_salted(salted, &sp)) {
			rc = cli_errorf("commit", CLI_FAIL, "cannot write %s", salted);
			goto out;
		}
		px_pool_release(&sp.pool);
		rc = px_pool_build(&sp.pool, sp.people, sp.table.nrows - 1, &a, &b, &err);
		if (rc) {
			rc = cli_report("commit", &err);
			goto out;
		}
	}
	if (record && write_record(record, &sp.pool)) {
		rc = cli_errorf("commit", CLI_FAIL, "cannot write %s", record);
		goto out;
	}
	char hex[65];
	sio_hex32(sp.pool.commitment, hex);
	if (json)
		printf("{\"commitment\": \"%s\", \"people\": %zu}\n", hex, sp.pool.n);
	else
		printf("%s\n", hex);
out:
	sio_pool_release(&sp);
	return rc;
}
