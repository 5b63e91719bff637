/*
 * main.c: the pnyx executable. Finds the command in the table of
 * commands.c and runs it; `pnyx help [COMMAND]` and `pnyx --version`.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "banned.h"

#ifndef PNYX_VERSION
#define PNYX_VERSION "0.1.0"
#endif

static void overview(FILE *out)
{
	fputs(_("usage: pnyx COMMAND [OPTIONS] [ARGS]\n\n"
		"pnyx: software for assemblies that govern themselves.\n\n"
		"Commands:\n"), out);
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		fprintf(out, "  %-*s %s\n", cli_pad(c->name, 12), c->name, _(c->summary));
	fputs(_("\nEvery command that uses a database takes --db PATH (default:"
		" $PNYX_DB, else ./pnyx.db).\n"
		"`pnyx help COMMAND` describes one command. Exit status: 0 ok,"
		" 1 failure, 2 bad usage or input.\n"
		"Messages are in the language that LANGUAGE, LC_ALL, LC_MESSAGES or\n"
		"LANG names, when pnyx speaks it.\n"), out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		overview(stderr);
		return CLI_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("pnyx %s\n", PNYX_VERSION);
		return CLI_OK;
	}
	if (!strcmp(name, "help") || !strcmp(name, "--help") ||
	    !strcmp(name, "-h")) {
		if (argc < 3) {
			overview(stdout);
			return CLI_OK;
		}
		const struct cli_cmd *c = cli_find(argv[2]);
		if (!c) {
			fprintf(stderr, _("pnyx: no command '%s'\n"), argv[2]);
			return CLI_USAGE;
		}
		fputs(_(c->usage), stdout);
		return CLI_OK;
	}
	const struct cli_cmd *c = cli_find(name);
	if (!c) {
		fprintf(stderr, _("pnyx: no command '%s' (see pnyx help)\n"), name);
		return CLI_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
