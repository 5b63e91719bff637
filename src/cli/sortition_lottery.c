/*
 * sortition_lottery.c: verification of a panel lottery (stub).
 */
#include "cli.h"
#include "sortition_run.h"
#include "../banned.h"

int sr_verify_lottery(const char *cmd, json_t *result, const char *source,
		      const char *categories, const char *respondents)
{
	(void)result; (void)source; (void)categories; (void)respondents;
	return cli_errorf(cmd, CLI_USAGE, "lottery verification is not built yet");
}
