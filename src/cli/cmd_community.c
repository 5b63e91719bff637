/*
 * cmd_community.c: `pnyx community add|list`. Communities are
 * infrastructure the operator registers; this is the only way to add one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/people/people.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_community_usage[] = N_(
	"usage: pnyx community add SLUG --name NAME --population N [--db PATH] [--json]\n"
	"       pnyx community list [--db PATH] [--json]\n\n"
	"Communities are the local areas (about a postal code) that assemblies\n"
	"serve. The operator registers them; each may then found one local\n"
	"assembly. The population is used for thresholds of proposals.\n"
	"SLUG: 2-64 characters, lower-case letters, digits and '-'.\n"
	"The operator never divides, unites or re-bounds a community: that is its\n"
	"assembly's decision (docs/communities.md).\n");

static void print_one(const json_t *c)
{
	const char *assembly = json_string_value(json_object_get(c, "assembly"));
	char population[40];
	/* as the reader's language writes numbers (ICU) */
	(void)i18n_number(cli_lang(), (int64_t)json_integer_value(json_object_get(c, "population")),
			  population, sizeof(population));
	printf("%-*s %-*s %*s  %s\n",
	       cli_pad(json_string_value(json_object_get(c, "slug")), 20),
	       json_string_value(json_object_get(c, "slug")),
	       cli_pad(json_string_value(json_object_get(c, "name")), 30),
	       json_string_value(json_object_get(c, "name")), cli_pad(population, 10),
	       population,
	       assembly ? assembly : "-");
}

int cmd_community(int argc, char **argv)
{
	const char *db = NULL, *name = NULL, *pos[2];
	int64_t population = -1;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "name", OPT_STRING, &name, 0, 0 },
		{ "population", OPT_INT, &population, 0, 100000000 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("community"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos == 0)
		return cli_errorf("community", CLI_USAGE,
				  "say 'add SLUG --name NAME --population N' or 'list'");
	/* a community's bounds are its assembly's business (docs/communities.md) */
	if (strcmp(pos[0], "add") && strcmp(pos[0], "list"))
		return cli_errorf("community", CLI_USAGE,
				  "the operator only registers communities ('add', 'list'):"
				  " dividing, uniting or changing the bounds of one is its"
				  " local assembly's decision (the motions divide_community"
				  " and unite_communities)");
	int add = !strcmp(pos[0], "add");
	if (add && (npos != 2 || !name || population < 0))
		return cli_errorf("community", CLI_USAGE,
				  "add needs SLUG, --name and --population");
	if (!add && npos != 1)
		return cli_errorf("community", CLI_USAGE, "list takes no argument");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), 0, &s, &err))
		return cli_report("community", &err);
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL), .operator = 1,
			       .lang = cli_lang() };
	rc = add ? gov_community_add(&ctx, pos[1], name, population, &out, &err)
		 : gov_community_list(&ctx, &out, &err);
	if (rc) {
		rc = cli_report_store("community", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (add) {
		printf(_("added community %s\n"), pos[1]);
	} else {
		size_t i;
		json_t *c;
		printf("%-*s %-*s %*s  %s\n", cli_pad(_("SLUG"), 20), _("SLUG"),
		       cli_pad(_("NAME"), 30), _("NAME"), cli_pad(_("POPULATION"), 10),
		       _("POPULATION"),
		       _("ASSEMBLY"));
		json_array_foreach(out, i, c)
			print_one(c);
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}
