/*
 * verify.h: the checks of `pnyx verify --record` over texts a command has
 * fetched rather than read from files (`pnyx polity verify` fetches a
 * renewal's record and result from a server). The same code checks both:
 * cmd_verify.c.
 */
#ifndef PNYX_CLI_VERIFY_H
#define PNYX_CLI_VERIFY_H

#include <stdint.h>

#include <jansson.h>

struct verify_texts {
	const char *cmd;          /* the command, in messages ("polity") */
	const char *record_name;  /* where the record came from, in messages */
	char *record;             /* the record (pnyx commit --record), taken */
	const char *result_name;
	char *result;             /* the result JSON, taken; NULL: not drawn yet */
	const char *commitment;   /* hex the record must hash to, or NULL */
	int64_t seats;            /* how many seats were to be drawn */
	int seats_at_most_pool;   /* a pool smaller than seats is drawn whole */
	const char *source;       /* the seed's source text */
	const char *receipt;      /* instead of the draw: an id ... */
	const char *salt;         /* ... and its salt (hex), to find in the record */
	int json;                 /* the verdict as pnyx verify --json gives it */
};

/* Check the record (its leaves in canonical order hash to its commitment,
 * and to commitment when given), then the draw the result states from the
 * seed's source, or the receipt. Prints the verdict as pnyx verify does.
 * Frees record and result. Returns CLI_OK, CLI_FAIL (a difference, named)
 * or CLI_USAGE (unreadable). */
int verify_texts(const struct verify_texts *in);

/* A renewal drawn with quotas (polity_strata.c): the record (text), the
 * lottery (GET .../lottery) and the result (NULL before the draw), as
 * `pnyx polity verify` fetched them. CLI_OK, CLI_FAIL or CLI_USAGE. */
int verify_strata(const char *cmd, const json_t *renewal, const char *record,
		  const json_t *lottery, const json_t *result);

/* `pnyx polity verify` (cmd_polity_verify.c), called by cmd_polity with
 * argv[0] "verify". */
int cmd_polity_verify(int argc, char **argv);

/* `pnyx verify round FILE ...` (cmd_verify_round.c): argv[0] is "round". */
int cmd_verify_round(int argc, char **argv);
/* cmd_verify_round_ps.c: a round of alternatives (probabilistic serial). */
int verify_round_ps(const json_t *rec, const char *path, const char *receipt,
		    const char *salt_hex, int json);

/* cmd_verify_round.c, for both kinds of round: a JSON string of 64 hex
 * digits into out; 0 when v is anything else. */
int verify_hex32(const json_t *v, unsigned char out[32]);
/* Print a round's verdict, as text or (json) as pnyx verify --json gives
 * it: the first difference (what, a msgid), or that everything checked
 * matches (verified_fmt: the sentence saying what was checked, in the
 * reader's language, with the round as %lld and the requests as %zu).
 * Returns CLI_OK when ok, else CLI_FAIL. */
int verify_round_verdict(int json, int ok, const char *what, int64_t round, size_t n,
			 const char *verified_fmt);

#endif
