/*
 * ballot_parse.h: streaming readers for ballot files in the formats
 * people use: PrefLib (.soc .soi .toc .toi), BLT (OpenSTV/Droop, with
 * withdrawn candidates, [nick], [withdrawn], [tie], equal ranks joined by
 * "=", quoted names and title) and the Debian tally sheet ("V:" lines, with
 * "#" headers naming options, default option, 3:1 options, quorum, rules).
 *
 * Input is fed in chunks of any size (a whole file, or what read() gave);
 * lines may be split across chunks. No I/O happens here. On malformed
 * input feed/finish return PX_E_BALLOT_SYNTAX with err->detail naming the
 * reason, and ballot_parser_line() gives the 1-based line it concerns.
 *
 * Ownership: ballot_parser_new() allocates the parser; ballot_parser_free()
 * frees it and any ballots not yet handed out. ballot_parser_finish() moves
 * the ballot set into *out (the caller embeds it and calls
 * ballots_release()).
 */
#ifndef PNYX_BALLOT_PARSE_H
#define PNYX_BALLOT_PARSE_H

#include <stddef.h>

#include "ballots.h"
#include "errors.h"

enum ballot_format {
	BALLOT_SOC, BALLOT_SOI, BALLOT_TOC, BALLOT_TOI, BALLOT_BLT,
	BALLOT_DEBIAN,
	BALLOT__COUNT
};

#define BALLOT_MAX_LINE ((size_t)1 << 20)

struct ballot_parser;

/* The format named "soi", "blt", "debian", ...; -1 when unknown. */
int ballot_format_by_name(const char *name);
const char *ballot_format_name(int format);
/* Guess from a file name and its first bytes: the extension, else a first
 * data line starting "V:" (Debian); -1 when nothing fits. */
int ballot_format_guess(const char *path, const char *head, size_t len);

int ballot_parser_new(int format, struct ballot_parser **out);
int ballot_parser_feed(struct ballot_parser *p, const char *data, size_t len,
		       struct px_error *err) PX_MUST_CHECK;
int ballot_parser_finish(struct ballot_parser *p, struct ballot_set *out,
			 struct px_error *err) PX_MUST_CHECK;
size_t ballot_parser_line(const struct ballot_parser *p);
void ballot_parser_free(struct ballot_parser *p);

/* Parse a whole buffer; *line receives the line of an error. */
int ballot_parse_buffer(int format, const char *buf, size_t len,
			struct ballot_set *out, size_t *line,
			struct px_error *err) PX_MUST_CHECK;

#endif
