/*
 * cmd_militia.c: `pnyx militia list|show`: volunteer militias
 * (src/gov/economy/militia.c, docs/economy.md). Reading is anyone's. A
 * militia is formed and dissolved by its assemblies' motions
 * (form_militia, dissolve_militia: `pnyx motion`, the API or the
 * browser), and joined and left by each volunteer as any body is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/economy/economy.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_militia_usage[] = N_(
	"usage: pnyx militia list [--db PATH] [--json]\n"
	"       pnyx militia show SLUG [--db PATH] [--json]\n\n"
	"A volunteer militia is formed by the same decision of one or more local\n"
	"assemblies (a motion form_militia in each; it exists once all have\n"
	"adopted the same terms) and dissolved by any of them (dissolve_militia).\n"
	"The members of those assemblies join and leave it freely; its officers\n"
	"have duties only; nothing it decides is law (docs/economy.md).\n");

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static const char *status_words(const char *status)
{
	return !strcmp(status, "forming") ? _("being formed: waiting for its assemblies")
	       : !strcmp(status, "dissolved") ? _("dissolved") : _("active");
}

static void print_militia(const json_t *m)
{
	size_t i;
	json_t *v;
	printf("%s: %s (%s)\n", str(m, "slug"), str(m, "name"),
	       status_words(str(m, "status")));
	printf(_("purpose: %s\n"), str(m, "purpose"));
	puts(_("formed by:"));
	json_array_foreach(json_object_get(m, "assemblies"), i, v) {
		const json_t *by = json_object_get(v, "adopted_by");
		if (json_is_integer(by))
			printf(_("  %s (%s), by its decision %lld\n"), str(v, "name"),
			       str(v, "slug"), (long long)json_integer_value(by));
		else
			printf(_("  %s (%s), not yet decided\n"), str(v, "name"), str(v, "slug"));
	}
	if (json_is_integer(json_object_get(m, "dissolved_by")))
		printf(_("dissolved by decision %lld\n"),
		       (long long)json_integer_value(json_object_get(m, "dissolved_by")));
	if (*str(m, "schedule_text"))
		printf(_("meets %s\n"), str(m, "schedule_text"));
	if (!json_object_get(m, "member_list"))
		return;
	printf(_("volunteers (%lld, each one equal vote):\n"),
	       (long long)json_integer_value(json_object_get(m, "members")));
	json_array_foreach(json_object_get(m, "member_list"), i, v)
		printf("  %s (%s)\n", str(v, "display_name"), str(v, "handle"));
	json_array_foreach(json_object_get(m, "offices"), i, v) {
		const char *holder = json_string_value(json_object_get(v, "holder"));
		printf(_("office %s (duties: %s): %s\n"), str(v, "name"), str(v, "duties"),
		       holder ? holder : _("vacant"));
	}
}

int cmd_militia(int argc, char **argv)
{
	const char *db = NULL, *pos[2];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("militia"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int list = npos == 1 && !strcmp(pos[0], "list");
	int show = npos == 2 && !strcmp(pos[0], "show");
	if (!list && !show)
		return cli_errorf("militia", CLI_USAGE, "say 'list' or 'show SLUG'");
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("militia", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	rc = list ? gov_militia_list(&ctx, &out, &err) : gov_militia_get(&ctx, pos[1], &out, &err);
	if (rc) {
		rc = cli_report_store("militia", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (show) {
		print_militia(out);
	} else {
		size_t i;
		json_t *m;
		printf("%-*s %-*s %-*s %*s  %s\n", cli_pad(_("SLUG"), 20), _("SLUG"),
		       cli_pad(_("NAME"), 30), _("NAME"), cli_pad(_("STATUS"), 10), _("STATUS"),
		       cli_pad(_("MEMBERS"), 7),
		       _("MEMBERS"), _("FORMED BY"));
		json_array_foreach(out, i, m) {
			size_t j;
			json_t *a;
			printf("%-*s %-*s %-*s %7lld  ", cli_pad(str(m, "slug"), 20), str(m,
			       "slug"), cli_pad(str(m, "name"), 30), str(m, "name"),
			       cli_pad(!strcmp(str(m, "status"), "forming") ? _("forming")
			       : status_words(str(m, "status")), 10),
			       !strcmp(str(m, "status"), "forming") ? _("forming")
			       : status_words(str(m, "status")),
			       (long long)json_integer_value(json_object_get(m, "members")));
			json_array_foreach(json_object_get(m, "assemblies"), j, a)
				printf("%s%s", j ? ", " : "", str(a, "slug"));
			printf("\n");
		}
	}
	rc = CLI_OK;
out:
	store_close(s);
	json_decref(out);
	return rc;
}
