/*
 * commands.c: the table of pnyx commands. A new command is a row here, a
 * declaration in commands.h and a file cmd_NAME.c.
 */
#include <stddef.h>

#include "cli.h"
#include "commands.h"
#include "banned.h"

#define ROW(n, summary) { #n, cmd_##n, summary, cmd_##n##_usage }

const struct cli_cmd cli_commands[] = {
	ROW(init, "create a new database and the node's signing key"),
	ROW(demo, "load demonstration communities, assemblies and members"),
	ROW(community, "add or list communities (operator infrastructure)"),
	ROW(region, "add, list or show regions: sets of communities (operator)"),
	ROW(polity, "register, list or show polities and their assemblies (operator)"),
	ROW(me, "your residence and your citizenship by yearly consent"),
	ROW(enterprise, "list, show, found, join or leave enterprises: workplaces their workers govern"),
	ROW(standing, "the standing in the sharing economy of an enterprise, a person, or all"),
	ROW(militia, "list and show volunteer militias and the assemblies that formed them"),
	ROW(meeting, "list and show meetings, their minutes and calendar"),
	ROW(motion, "list and show motions and their results"),
	ROW(comment, "read a discussion; comment, reply or withdraw a comment"),
	ROW(law, "list, show, diff and export an assembly's laws"),
	ROW(proposal, "a proposal's status tree, versions and answers"),
	ROW(federation, "a federation's members, delegates, mandates and proposals"),
	ROW(journal, "show or verify the hash-chained journal"),
	ROW(backup, "copy the database safely while it is in use, and verify the copy"),
	ROW(restore, "put a backup back, saying what is lost; never under a server"),
	ROW(serve, "serve the JSON API and the browser interface"),
	ROW(routes, "list the routes of the HTTP API"),
	ROW(rule, "check a decision rule, or apply it to the counts of a vote"),
	ROW(tally, "count a ballot file: Schulze, Debian, STV and more"),
	ROW(commit, "print the commitment of a pool, before a draw"),
	ROW(draw, "draw people by lot, verifiably, from a committed pool"),
	ROW(verify, "recompute a published draw or panel lottery, or check a receipt"),
	ROW(select, "choose a fair stratified panel (LEXIMIN) and its lottery"),
	{ NULL, NULL, NULL, NULL },
};
