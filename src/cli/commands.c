/*
 * commands.c: the table of pnyx commands. A new command is a row here, a
 * declaration in commands.h and a file cmd_NAME.c.
 */
#include <stddef.h>

#include "core/i18n.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

#define ROW(n, summary) { #n, cmd_##n, summary, cmd_##n##_usage }

const struct cli_cmd cli_commands[] = {
	ROW(init, N_("create a new database and the node's signing key")),
	ROW(demo, N_("load demonstration communities, assemblies and members")),
	ROW(community, N_("add or list communities (operator infrastructure)")),
	ROW(region, N_("add, list or show regions: sets of communities (operator)")),
	ROW(polity, N_("register, list or show polities and their assemblies (operator)")),
	ROW(case, N_("list or show a polity's cases: does a law allow harm?")),
	ROW(me, N_("your residence and your citizenship by yearly consent")),
	ROW(enterprise, N_("list, show, found, join or leave enterprises: workplaces their workers govern")),
	ROW(standing, N_("the standing in the sharing economy of an enterprise, a person, or all")),
	ROW(economy, N_("the sharing economy: its register; offer, take, return, opt out")),
	ROW(militia, N_("list and show volunteer militias and the assemblies that formed them")),
	ROW(meeting, N_("list and show meetings, their minutes and calendar")),
	ROW(motion, N_("list and show motions and their results")),
	ROW(comment, N_("read a discussion; comment, reply or withdraw a comment")),
	ROW(law, N_("list, show, diff and export an assembly's laws")),
	ROW(proposal, N_("a proposal's status tree, versions and answers")),
	ROW(federation, N_("a federation's members, delegates, mandates and proposals")),
	ROW(journal, N_("show or verify the hash-chained journal")),
	ROW(peers, N_("the other pnyx nodes this node federates with, and delivery to them")),
	ROW(outbox, N_("the activities sent or waiting to be sent to other nodes")),
	ROW(node, N_("the node's own signing key: rotate it")),
	ROW(backup, N_("copy the database safely while it is in use, and verify the copy")),
	ROW(restore, N_("put a backup back, saying what is lost; never under a server")),
	ROW(serve, N_("serve the JSON API and the browser interface")),
	ROW(routes, N_("list the routes of the HTTP API")),
	ROW(rule, N_("check a decision rule, or apply it to the counts of a vote")),
	ROW(tally, N_("count a ballot file: Schulze, Debian, STV and more")),
	ROW(commit, N_("print the commitment of a pool, before a draw")),
	ROW(draw, N_("draw people by lot, verifiably, from a committed pool")),
	ROW(verify, N_("recompute a published draw or panel lottery, or check a receipt")),
	ROW(select, N_("choose a fair stratified panel (LEXIMIN) and its lottery")),
	{ NULL, NULL, NULL, NULL },
};
