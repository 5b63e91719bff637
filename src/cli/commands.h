/*
 * commands.h: each command is one file, src/cli/cmd_NAME.c, defining
 *     int cmd_NAME(int argc, char **argv);
 *     const char cmd_NAME_usage[];   -- the text of `pnyx help NAME`
 * and one row in the table of commands.c.
 */
#ifndef PNYX_COMMANDS_H
#define PNYX_COMMANDS_H

#define PNYX_COMMAND(name)                      \
	int cmd_##name(int argc, char **argv);  \
	extern const char cmd_##name##_usage[]

PNYX_COMMAND(init);
PNYX_COMMAND(community);
PNYX_COMMAND(region);
PNYX_COMMAND(polity);
PNYX_COMMAND(case);
/* pnyx polity civil-servant add POLITY HANDLE (cmd_case.c) */
int cmd_polity_civil_servant(int argc, char **argv);
PNYX_COMMAND(me);
PNYX_COMMAND(enterprise);
PNYX_COMMAND(standing);
PNYX_COMMAND(economy);
/* pnyx economy dashboard | close-due | draw-due | seed-bench (cmd_economy_rounds.c) */
int cmd_economy_more_owns(const char *verb);
int cmd_economy_more(int argc, char **argv);
/* pnyx economy evidence | review, and the files of a request's evidence
 * of need (cmd_economy_need.c) */
#include "gov/sharing/sharing.h"
struct cli_list;
struct economy_evidence {
	struct need_evidence in;
	struct evidence_file files[EVIDENCE_FILES_MAX];
	char *bufs[EVIDENCE_FILES_MAX];
};
int economy_evidence_read(const char *text, const struct cli_list *paths,
			  struct economy_evidence *ev);
void economy_evidence_release(struct economy_evidence *ev);
int cmd_economy_need_owns(const char *verb);
int cmd_economy_need(int argc, char **argv);
PNYX_COMMAND(militia);
PNYX_COMMAND(journal);
PNYX_COMMAND(backup);
PNYX_COMMAND(restore);
PNYX_COMMAND(demo);
PNYX_COMMAND(meeting);
PNYX_COMMAND(motion);
PNYX_COMMAND(comment);
PNYX_COMMAND(law);
PNYX_COMMAND(proposal);
PNYX_COMMAND(federation);
PNYX_COMMAND(peers);
PNYX_COMMAND(outbox);
PNYX_COMMAND(node);
PNYX_COMMAND(serve);
PNYX_COMMAND(routes);
PNYX_COMMAND(rule);
PNYX_COMMAND(tally);

/* sortition (docs/sortition.md) */
PNYX_COMMAND(commit);
PNYX_COMMAND(draw);
PNYX_COMMAND(verify);
PNYX_COMMAND(select);

#endif
