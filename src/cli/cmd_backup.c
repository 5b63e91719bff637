/*
 * cmd_backup.c: `pnyx backup OUT` copies the live database with SQLite's
 * online backup, so it is consistent even while the server writes.
 */
#include <stdint.h>
#include <stdio.h>

#include "core/errors.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_backup_usage[] =
	"usage: pnyx backup [--db PATH] [--wait SECONDS] OUT\n\n"
	"Write a consistent copy of the database to OUT (which must not exist),\n"
	"safely while the server is running. The signing key (PATH.key) is not\n"
	"part of the database: copy it separately, and keep it secret.\n\n"
	"  --wait SECONDS  while another program holds the database busy, keep\n"
	"                  trying this long, then give up (default 60, 1 to 3600)\n";

int cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *pos[1];
	int64_t wait = 60;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "wait", OPT_INT, &wait, 1, 3600 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("backup"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1)
		return cli_errorf("backup", CLI_USAGE, "name the output file: pnyx backup OUT");

	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), 0, &s, &err))
		return cli_report("backup", &err);
	if (store_backup(s, pos[0], (int)wait * 1000, &err)) {
		rc = cli_report_store("backup", &err, s);
		goto out;
	}
	printf("backed up %s to %s\n", cli_db_path(db), pos[0]);
	rc = CLI_OK;
out:
	store_close(s);
	return rc;
}
