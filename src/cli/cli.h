/*
 * cli.h: the pnyx command table and what every command shares: a
 * declarative option parser, the database path rule, and the mapping of
 * error codes to messages and exit statuses.
 *
 * Exit statuses: 0 success, 1 failure (including "verified: no"), 2 bad
 * usage or bad input. Commands print results on stdout and messages on
 * stderr, prefixed "pnyx CMD: ".
 */
#ifndef PNYX_CLI_H
#define PNYX_CLI_H

#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"
#include "core/i18n.h"

struct px_error;
struct store;

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	const char *summary;                /* one line for `pnyx help` */
	const char *usage;                  /* the full text of `pnyx help NAME` */
};

/* The language of the command's messages, from the environment as
 * gettext reads it: LANGUAGE (its first language pnyx speaks), LC_ALL,
 * LC_MESSAGES, LANG; English when none names a language carried. */
const char *cli_lang(void);
/* A message in that language (docs/translating.md). */
#define _(s) tr(cli_lang(), s)
/* A motion's status, a meeting's state and kind in words, in that
 * language (the code itself when it is none of theirs). */
const char *cli_motion_status(const char *status);
const char *cli_meeting_state(const char *state);
const char *cli_meeting_kind(const char *kind);
/* n as that language writes a whole number (ICU: "12.000", "12,000"), in
 * buf (32 bytes); returns buf. */
const char *cli_number(int64_t n, char buf[32]);
/* The field width that makes printf's "%-*s" (or "%*s") fill cols columns
 * of a terminal with s: printf pads by bytes, and "SITUACIÓN" is ten bytes
 * in nine columns (i18n_width). printf("%-*s", cli_pad(s, 20), s). */
int cli_pad(const char *s, int cols);
/* t (Unix seconds) as that language writes a date and time, in UTC and
 * saying so ("7 dic 2026, 19:00 UTC"; "7 Dec 2026, 19:00 UTC"), by ICU,
 * in buf (64 bytes); returns buf ("" when ICU cannot write it). */
const char *cli_when(int64_t t, char buf[64]);
/* The day of t (UTC) as that language writes it ("7 dic 2026"; "7 Dec
 * 2026"), by ICU, in buf (64 bytes); returns buf ("" when ICU cannot). */
const char *cli_day(int64_t t, char buf[64]);
/* The same in the time zone of an assembly (its schedule's "tz", an IANA
 * name), saying which ("7 dic 2026, 20:00 Europe/Madrid"), in buf (96
 * bytes); in UTC as cli_when() when zone is NULL, "" or one ICU does not
 * know. Returns buf. */
const char *cli_when_in(int64_t t, const char *zone, char buf[96]);
/* A decimal in C's digits ("8789.00000") as that language writes it, its
 * fraction digits kept ("8789,00000"; "8,789.00000"), by ICU, in buf (64
 * bytes); dec as given when ICU cannot. Returns buf. */
const char *cli_decimal(const char *dec, char buf[64]);

/* The table, in src/cli/commands.c, ended by a row with name NULL.
 * summary and usage are English, marked N_(): print them with _(). */
extern const struct cli_cmd cli_commands[];
const struct cli_cmd *cli_find(const char *name);

enum cli_opt_kind {
	OPT_FLAG,   /* int *dest set to 1 */
	OPT_STRING, /* const char **dest */
	OPT_INT,    /* int64_t *dest, checked against min..max */
	OPT_LIST,   /* struct cli_list *dest, repeatable */
};

#define CLI_LIST_MAX 64
struct cli_list {
	const char *items[CLI_LIST_MAX];
	size_t n;
};

struct cli_opt {
	const char *name; /* without the leading "--" */
	enum cli_opt_kind kind;
	void *dest;
	int64_t min, max; /* OPT_INT only */
};

/*
 * Parse argv[1..] against opts (ended by a row with name NULL). Options are
 * "--name value" or "--name=value"; "--" ends options. Positional arguments
 * are collected in order into pos (at most max_pos; *npos receives the
 * count). "--help" prints the command's usage and returns -1 (the caller
 * exits 0). On bad usage prints a message and returns CLI_USAGE.
 */
int cli_parse(const struct cli_cmd *cmd, const struct cli_opt *opts,
	      int argc, char **argv, const char **pos, size_t max_pos,
	      size_t *npos);

/*
 * Read a configuration file of "key = value" lines into opts, before the
 * command line is parsed (so that its options override the file's). A key
 * is the long name of one of opts without its dashes; the value is the rest
 * of the line, spaces around it removed (no quoting); a flag takes true or
 * false (yes/no, 1/0). Blank lines and lines starting with '#' or ';' are
 * ignored. An unknown key, a line without '=', a bad value: a message
 * naming the file and the line, and CLI_USAGE. *text receives the file's
 * text, which the string values point into: free it after using them.
 */
int cli_config(const struct cli_cmd *cmd, const struct cli_opt *opts,
	       const char *path, char **text);

/* The database path: the --db value if given, else $PNYX_DB, else
 * ./pnyx.db. */
const char *cli_db_path(const char *opt);

/* Print "pnyx CMD: message" for err and return the exit status its code
 * calls for: 2 for a 4xx code, 1 otherwise. */
int cli_report(const char *cmd, const struct px_error *err) PX_MUST_CHECK;

/* cli_report, then for a failure of the database what SQLite said
 * (store_errmsg of s, which may be NULL): the store prints nothing. */
int cli_report_store(const char *cmd, const struct px_error *err,
		     const struct store *s) PX_MUST_CHECK;

/* Run fn inside one read transaction of s (store_read), as the server
 * runs a GET: all that fn reads is one moment, whatever is written
 * meanwhile, and nothing in it writes. fn may run again when the database
 * is busy, so it starts by dropping what an earlier run made. A failure
 * of the transaction itself (not named by fn) is put in err. */
int cli_read(struct store *s, int (*fn)(struct store *s, void *arg), void *arg,
	     struct px_error *err) PX_MUST_CHECK;

/* Print "pnyx CMD: " and a formatted message on stderr; return status. */
int cli_errorf(const char *cmd, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print a progress line on stderr ("\r" updates) when stderr is a
 * terminal; at done == total the line is finished with a newline. */
void cli_progress(const char *what, size_t done, size_t total);

#endif
