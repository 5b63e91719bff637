/*
 * cmd_region.c: `pnyx region add|list|show`. Regions are infrastructure
 * the operator registers (src/gov/lot/region.c); this is the only way to
 * add one, and a region is never changed once added.
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
#include "banned.h"

const char cmd_region_usage[] = N_(
	"usage: pnyx region add SLUG --name NAME [--communities A,B,...]\n"
	"                       [--regions X,Y,...] [--db PATH] [--json]\n"
	"       pnyx region list [--db PATH] [--json]\n"
	"       pnyx region show SLUG [--db PATH] [--json]\n\n"
	"A region is a named set of communities, for polities to be over\n"
	"(docs/polities.md). It names communities, regions it is built from, or\n"
	"both; its communities are all of theirs, each once, and its population\n"
	"their sum. Regions may overlap and nest; none may contain itself. A\n"
	"region is never changed once added: a polity over it would change its\n"
	"people without a decision. The operator adds regions; adding one\n"
	"decides nothing, and is journalled.\n");

/* "a,b,c" as a JSON array of its non-empty parts. */
static json_t *split(const char *s)
{
	json_t *list = json_array();
	while (list && s && *s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		if (n)
			json_array_append_new(list, json_stringn(s, n));
		s = comma ? comma + 1 : s + n;
	}
	return list;
}

static void print_region(const json_t *r)
{
	size_t i;
	json_t *v;
	printf("%s: %s\n", json_string_value(json_object_get(r, "slug")),
	       json_string_value(json_object_get(r, "name")));
	char num[32];
	printf(_("population %s in %zu communities\n"),
	       cli_number(json_integer_value(json_object_get(r, "population")), num),
	       json_array_size(json_object_get(r, "communities")));
	if (json_array_size(json_object_get(r, "regions"))) {
		fputs(_("built from:"), stdout);
		json_array_foreach(json_object_get(r, "regions"), i, v)
			printf(" %s", json_string_value(v));
		printf("\n");
	}
	json_array_foreach(json_object_get(r, "communities"), i, v) {
		const char *slug = json_string_value(json_object_get(v, "slug"));
		const char *name = json_string_value(json_object_get(v, "name"));
		cli_number(json_integer_value(json_object_get(v, "population")), num);
		printf("  %-*s %-*s %*s\n", cli_pad(slug, 20), slug, cli_pad(name, 30), name,
		       cli_pad(num, 10), num);
	}
	json_array_foreach(json_object_get(r, "polities"), i, v)
		printf(_("polity %s: %s\n"), json_string_value(json_object_get(v, "slug")),
		       json_string_value(json_object_get(v, "name")));
}

int cmd_region(int argc, char **argv)
{
	const char *db = NULL, *name = NULL, *communities = NULL, *regions = NULL, *pos[2];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "name", OPT_STRING, &name, 0, 0 },
		{ "communities", OPT_STRING, &communities, 0, 0 },
		{ "regions", OPT_STRING, &regions, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("region"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int add = npos == 2 && !strcmp(pos[0], "add");
	int show = npos == 2 && !strcmp(pos[0], "show");
	int list = npos == 1 && !strcmp(pos[0], "list");
	if (!add && !show && !list)
		return cli_errorf("region", CLI_USAGE, "say 'add SLUG --name NAME"
				  " --communities A,B --regions X,Y', 'list' or 'show SLUG'");
	if (add && !name)
		return cli_errorf("region", CLI_USAGE, "add needs --name NAME");
	if (!add && (name || communities || regions))
		return cli_errorf("region", CLI_USAGE, "--name, --communities and --regions"
				  " go with add");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL, *clist = split(communities), *rlist = split(regions);
	if (store_open(cli_db_path(db), add ? 0 : STORE_READONLY, &s, &err)) {
		rc = cli_report("region", &err);
		goto out;
	}
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL), .operator = 1,
			       .lang = cli_lang() };
	rc = add ? gov_region_add(&ctx, pos[1], name, clist, rlist, &out, &err)
	     : show ? gov_region_get(&ctx, pos[1], &out, &err)
		    : gov_region_list(&ctx, &out, &err);
	if (rc) {
		rc = cli_report_store("region", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (add) {
		char num[32];
		printf(_("added region %s: %zu communities, population %s\n"), pos[1],
		       json_array_size(json_object_get(out, "communities")),
		       cli_number(json_integer_value(json_object_get(out, "population")), num));
	} else if (show) {
		print_region(out);
	} else {
		size_t i;
		json_t *r;
		printf("%-*s %-*s %*s %*s\n", cli_pad(_("SLUG"), 20), _("SLUG"),
		       cli_pad(_("NAME"), 30), _("NAME"), cli_pad(_("COMMUNITIES"), 11),
		       _("COMMUNITIES"),
		       cli_pad(_("POPULATION"), 12),
		       _("POPULATION"));
		char num[32];
		json_array_foreach(out, i, r)
			printf("%-*s %-*s %11lld %*s\n",
			       cli_pad(json_string_value(json_object_get(r, "slug")), 20),
			       json_string_value(json_object_get(r, "slug")),
			       cli_pad(json_string_value(json_object_get(r, "name")), 30),
			       json_string_value(json_object_get(r, "name")),
			       (long long)json_integer_value(json_object_get(r, "communities")),
			       cli_pad(cli_number(json_integer_value(json_object_get(r,
								"population")), num), 12), num);
	}
	rc = CLI_OK;
out:
	json_decref(out);
	json_decref(clist);
	json_decref(rlist);
	store_close(s);
	return rc;
}
