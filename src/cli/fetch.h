/*
 * fetch.h: reading a document from a pnyx server over HTTP(S) with
 * libcurl, for commands that check what a server publishes (`pnyx polity
 * verify`). Bounded in size and in time; a failure is reported on stderr
 * as "pnyx CMD: URL: reason".
 */
#ifndef PNYX_CLI_FETCH_H
#define PNYX_CLI_FETCH_H

#include <stddef.h>

/* GET url into a NUL-terminated heap buffer (*body, *len), at most max
 * bytes, with Accept: accept. A status other than 200 is a failure, named
 * with the server's JSON error message when it gives one. Returns CLI_OK,
 * or reports and returns CLI_USAGE (nothing readable was published). */
int cli_fetch(const char *cmd, const char *url, const char *accept, size_t max,
	      char **body, size_t *len);

#endif
