/*
 * cmd_init.c: `pnyx init` creates a new database with the current schema
 * and the node's Ed25519 signing key (DB.key, mode 0600).
 */
#include <stdio.h>

#include "core/errors.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_init_usage[] = N_(
	"usage: pnyx init [--db PATH] [--controlled-clock]\n\n"
	"Create a new pnyx database at PATH (default $PNYX_DB, else ./pnyx.db)\n"
	"and the node's signing key beside it (PATH.key, readable only by you).\n"
	"The key signs the head of the journal; keep it with the database, and\n"
	"publish the public key printed here so others can check the journal.\n"
	"Refuses to overwrite an existing database.\n"
	"--controlled-clock makes a database for simulation and tests only: its\n"
	"server's clock starts at the real time and moves forward only by\n"
	"'pnyx polity renew SLUG --at DATE' (docs/polities.md). Never for real use.\n");

int cmd_init(int argc, char **argv)
{
	const char *db = NULL;
	int controlled = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "controlled-clock", OPT_FLAG, &controlled, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	const struct cli_cmd *self = cli_find("init");
	size_t npos;
	int rc = cli_parse(self, opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;

	struct px_error err = { 0 };
	struct store *s = NULL;
	const char *path = cli_db_path(db);
	if (store_open(path, STORE_CREATE, &s, &err))
		return cli_report("init", &err);
	if (controlled && store_exec(s, "INSERT INTO sim_clock(id, offset) VALUES (1, 0)")) {
		px_fail(&err, PX_E_DB, NULL, _("cannot make the clock a controlled one: %s"),
			store_errmsg(s));
		store_close(s);
		return cli_report("init", &err);
	}
	char pk[65];
	const unsigned char *k = store_public_key(s);
	for (int i = 0; i < 32; i++)
		snprintf(pk + 2 * i, 3, "%02x", k[i]);
	printf(_("created %s (schema %d)%s\nnode public key: %s\n"), path,
	       store_schema_version(s), controlled ? _(", with a controlled clock") : "", pk);
	store_close(s);
	return CLI_OK;
}
