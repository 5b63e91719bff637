/*
 * commands.c: the table of pnyx commands. A new command is a row here, a
 * declaration in commands.h and a file cmd_NAME.c.
 */
#include <stddef.h>

#include "cli.h"
#include "commands.h"
#include "../banned.h"

#define ROW(n, summary) { #n, cmd_##n, summary, cmd_##n##_usage }

const struct cli_cmd cli_commands[] = {
	ROW(commit, "print the commitment of a pool, before a draw"),
	ROW(draw, "draw people by lot, verifiably, from a committed pool"),
	ROW(verify, "recompute a published draw or panel lottery, or check a receipt"),
	ROW(select, "choose a fair stratified panel (LEXIMIN) and its lottery"),
	{ NULL, NULL, NULL, NULL },
};
