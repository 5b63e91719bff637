/*
 * cmd_household.h: the verbs of `pnyx economy` about households, barter
 * and allotments (cmd_household.c), which cmd_economy hands over.
 */
#ifndef PNYX_CLI_CMD_HOUSEHOLD_H
#define PNYX_CLI_CMD_HOUSEHOLD_H

/* 1 when argv's verb (its first argument that is not an option) is one
 * of household, barter, confirm, allotments. */
int economy_household_verb(int argc, char **argv);
/* Run it: an exit status. */
int economy_household(int argc, char **argv);

#endif
