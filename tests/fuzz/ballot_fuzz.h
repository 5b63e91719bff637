/*
 * ballot_fuzz.h: what the three ballot-file fuzz targets share. The input
 * is fed in two chunks split at a point taken from its first byte, so
 * lines cut between chunks are exercised; when it parses and is small, it
 * is counted by every method, so the tallies see odd ballots too.
 */
#ifndef PNYX_BALLOT_FUZZ_H
#define PNYX_BALLOT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/ballot_parse.h"
#include "core/tally.h"

static int fuzz_ballots(int format, const uint8_t *data, size_t size)
{
	struct ballot_parser *p = NULL;
	struct ballot_set bs;
	struct px_error err = { 0 };
	size_t cut = size ? data[0] % (size + 1) : 0;
	int rc;

	if (ballot_parser_new(format, &p))
		return 0;
	rc = ballot_parser_feed(p, (const char *)data, cut, &err);
	if (!rc)
		rc = ballot_parser_feed(p, (const char *)data + cut, size - cut, &err);
	if (!rc)
		rc = ballot_parser_finish(p, &bs, &err);
	ballot_parser_free(p);
	if (rc)
		return 0;
	if (bs.ncand <= 24 && bs.n <= 200) {
		for (const struct tally_method *m = tally_methods; m->name; m++) {
			struct tally_opts o = { .seats = bs.seats };
			struct tally_result r;
			struct px_error e = { 0 };
			/* a refusal (too many seats, a method's limit) is an
			 * answer too; what matters is that it ends cleanly */
			int trc = tally_run(m, &bs, &o, &r, &e);
			(void)trc;
			tally_result_release(&r);
		}
	}
	ballots_release(&bs);
	return 0;
}

#endif
