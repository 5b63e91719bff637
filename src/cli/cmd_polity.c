/*
 * cmd_polity.c: `pnyx polity add|list|show`. The operator registers a
 * polity, its region and its number of seats (src/gov/lot/polity.c);
 * never its members, its seats' holders or its decisions: no command
 * does, and the number of seats is fixed at registration (only the
 * polity's assembly may change it, by decision, within 1..150).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/lot/lot.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "verify.h"
#include "banned.h"

const char cmd_polity_usage[] =
	"usage: pnyx polity add SLUG --name NAME --description TEXT --region REGION\n"
	"                       --seats S [--cohorts C] [--widest] [--db PATH] [--json]\n"
	"       pnyx polity list [--db PATH] [--json]\n"
	"       pnyx polity show SLUG [--db PATH] [--json]\n"
	"       pnyx polity verify SLUG [--renewal ID] --server URL [--json]\n"
	"                          [--receipt HANDLE --salt HEX]\n\n"
	"A polity is an issue domain (\"East Coast fishing rights\") over a\n"
	"region; everyone whose community is in the region belongs to it\n"
	"(docs/polities.md). Registering one founds its assembly, of the same\n"
	"slug: S seats (1 to 150) in C cohorts (1, 2, 3 or 6; default 6, or\n"
	"fewer when S is smaller), with six-year terms, the first ones\n"
	"staggered (cohort i's first term is i * 6 / C years) so that part of the\n"
	"assembly is renewed at a time. Its seats begin empty: they are filled\n"
	"by lot from the polity's citizens. --widest marks the one polity for\n"
	"questions of human rights (one per deployment).\n"
	"list and show give counts of residents and citizens, never who.\n"
	"verify checks a renewal (the latest drawn, or --renewal ID) from what the\n"
	"server at URL publishes, as pnyx verify --record does: its record hashes\n"
	"to its commitment and the seed ranks exactly the leaves it says were\n"
	"drawn; with --receipt and --salt, that a person is in its pool. Exit 0\n"
	"when everything matches, 1 at the first difference, 2 when unreadable.\n";

static void print_polity(const json_t *p)
{
	size_t i;
	json_t *v;
	time_t at;
	struct tm tm;
	char day[16];
	printf("%s: %s%s\n", json_string_value(json_object_get(p, "slug")),
	       json_string_value(json_object_get(p, "name")),
	       json_is_true(json_object_get(p, "widest")) ? " (the widest polity)" : "");
	printf("%s\n", json_string_value(json_object_get(p, "description")));
	const json_t *region = json_object_get(p, "region");
	printf("region %s (%s): %zu communities, population %lld\n",
	       json_string_value(json_object_get(region, "slug")),
	       json_string_value(json_object_get(region, "name")),
	       json_array_size(json_object_get(region, "communities")),
	       (long long)json_integer_value(json_object_get(region, "population")));
	printf("residents %lld, citizens %lld\n",
	       (long long)json_integer_value(json_object_get(p, "residents")),
	       (long long)json_integer_value(json_object_get(p, "citizens")));
	printf("assembly %s: %lld seats in %lld cohorts\n",
	       json_string_value(json_object_get(p, "assembly")),
	       (long long)json_integer_value(json_object_get(p, "seats")),
	       (long long)json_integer_value(json_object_get(p, "cohorts")));
	json_array_foreach(json_object_get(p, "cohort_list"), i, v) {
		at = (time_t)json_integer_value(json_object_get(v, "term_ends"));
		day[0] = '\0';
		if (gmtime_r(&at, &tm))
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		printf("  cohort %lld: %lld seats, %lld held, term ends %s\n",
		       (long long)json_integer_value(json_object_get(v, "cohort")),
		       (long long)json_integer_value(json_object_get(v, "seats")),
		       (long long)json_integer_value(json_object_get(v, "held")), day);
	}
	printf("laws: %zu\n", json_array_size(json_object_get(p, "laws")));
}

int cmd_polity(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "verify"))
		return cmd_polity_verify(argc - 1, argv + 1);
	const char *db = NULL, *pos[2];
	struct polity_add in = { 0 };
	int64_t seats = -1, cohorts = 0;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "name", OPT_STRING, &in.name, 0, 0 },
		{ "description", OPT_STRING, &in.description, 0, 0 },
		{ "region", OPT_STRING, &in.region, 0, 0 },
		{ "seats", OPT_INT, &seats, INT32_MIN, INT32_MAX },
		{ "cohorts", OPT_INT, &cohorts, INT32_MIN, INT32_MAX },
		{ "widest", OPT_FLAG, &in.widest, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("polity"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int add = npos == 2 && !strcmp(pos[0], "add");
	int show = npos == 2 && !strcmp(pos[0], "show");
	int list = npos == 1 && !strcmp(pos[0], "list");
	if (!add && !show && !list)
		return cli_errorf("polity", CLI_USAGE, "say 'add SLUG --name NAME --description"
				  " TEXT --region REGION --seats S', 'list' or 'show SLUG'");
	if (add && (!in.name || !in.description || !in.region || seats == -1))
		return cli_errorf("polity", CLI_USAGE, "add needs --name, --description,"
				  " --region and --seats");
	if (!add && (in.name || in.description || in.region || seats != -1 || cohorts ||
		     in.widest))
		return cli_errorf("polity", CLI_USAGE, "--name, --description, --region,"
				  " --seats, --cohorts and --widest go with add");
	in.slug = add ? pos[1] : NULL;
	in.seats = seats;
	in.cohorts = cohorts;

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), add ? 0 : STORE_READONLY, &s, &err))
		return cli_report("polity", &err);
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL), .operator = 1 };
	rc = add ? gov_polity_add(&ctx, &in, &out, &err)
	     : show ? gov_polity_get(&ctx, pos[1], &out, &err)
		    : gov_polity_list(&ctx, &out, &err);
	if (rc) {
		rc = cli_report_store("polity", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (add) {
		printf("registered polity %s and its assembly: %lld seats in %lld cohorts\n",
		       pos[1], (long long)json_integer_value(json_object_get(out, "seats")),
		       (long long)json_integer_value(json_object_get(out, "cohorts")));
	} else if (show) {
		print_polity(out);
	} else {
		size_t i;
		json_t *p;
		printf("%-20s %-30s %-16s %5s %9s %8s\n", "SLUG", "NAME", "REGION", "SEATS",
		       "RESIDENTS", "CITIZENS");
		json_array_foreach(out, i, p)
			printf("%-20s %-30s %-16s %5lld %9lld %8lld\n",
			       json_string_value(json_object_get(p, "slug")),
			       json_string_value(json_object_get(p, "name")),
			       json_string_value(json_object_get(p, "region")),
			       (long long)json_integer_value(json_object_get(p, "seats")),
			       (long long)json_integer_value(json_object_get(p, "residents")),
			       (long long)json_integer_value(json_object_get(p, "citizens")));
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}
