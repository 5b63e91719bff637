/*
 * cmd_draw.c: `pnyx draw`, a uniform verifiable draw of K people from a
 * committed pool with a seed derived from a public source
 * (docs/sortition.md). The output is everything `pnyx verify` needs
 * besides the pool and the source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/draw.h"
#include "core/errors.h"
#include "core/pool.h"
#include "cli.h"
#include "commands.h"
#include "sortition_io.h"
#include "sortition_run.h"
#include "banned.h"

const char cmd_draw_usage[] = N_(
	"usage: pnyx draw --pool FILE --seats K (--seed SOURCE | --seed-file FILE)\n"
	"                 [--alternates A] [--id-column NAME] [--json]\n"
	"\n"
	"Draw K people uniformly at random from a pool, verifiably: the seed is\n"
	"the BLAKE2b-256 hash of the pool's commitment and the public SOURCE text\n"
	"(dice such as dice:3,1,4,1,5,9, a lottery result, a beacon's hex\n"
	"output), exactly as published. Prints the commitment, the seed, the\n"
	"drawn ids in order and the alternates in order.\n"
	"\n"
	"  --pool FILE       CSV with a header and an id column (see pnyx commit)\n"
	"  --seats K         how many people to draw\n"
	"  --seed SOURCE     the public source text (tabs and line breaks allowed)\n"
	"  --seed-file FILE  the source as the exact bytes of FILE, a final line\n"
	"                    break included (for a published text that has one)\n"
	"  --alternates A    how many alternates to rank after the K drawn\n"
	"                    (default, or more than there are: everyone else)\n"
	"  --json            {\"commitment\", \"seed\", \"drawn\", \"alternates\"}\n");

int cmd_draw(int argc, char **argv)
{
	const char *pool = NULL, *id_column = NULL, *seed = NULL, *seed_file = NULL;
	char *source = NULL;
	int64_t seats = -1, alternates = -1;
	int json = 0, rc;
	size_t npos;
	struct sio_pool sp;
	struct sr_draw_result res = { 0 };
	const struct cli_opt opts[] = {
		{ "pool", OPT_STRING, &pool, 0, 0 },
		{ "id-column", OPT_STRING, &id_column, 0, 0 },
		{ "seats", OPT_INT, &seats, 0, UINT32_MAX },
		{ "seed", OPT_STRING, &seed, 0, 0 },
		{ "seed-file", OPT_STRING, &seed_file, 0, 0 },
		{ "alternates", OPT_INT, &alternates, 0, UINT32_MAX },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	rc = cli_parse(cli_find("draw"), opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!pool || seats < 0 || (!seed && !seed_file))
		return cli_errorf("draw", CLI_USAGE,
				  "--pool FILE, --seats K and --seed SOURCE are required");
	if ((rc = sio_read_source("draw", seed, seed_file, &source)))
		return rc;
	rc = sio_load_pool("draw", pool, id_column, &sp);
	if (rc)
		goto out;
	rc = sr_draw("draw", &sp.pool, source, (size_t)seats,
		     alternates < 0 ? sp.pool.n : (size_t)alternates, &res);
	if (rc)
		goto out;
	rc = sr_print_draw(&sp.pool, &res, json) ? CLI_FAIL : 0;
out:
	free(res.rank);
	free(source);
	sio_pool_release(&sp);
	return rc;
}
