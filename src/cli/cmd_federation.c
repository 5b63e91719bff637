/*
 * cmd_federation.c: `pnyx federation show|delegations`: the delegate
 * assemblies an assembly belongs to, a delegate assembly's members with
 * their delegates and mandates, and every seat an assembly filled. All of
 * it changes only by decisions taken at meetings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/federation/federation.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_federation_usage[] = N_(
	"usage: pnyx federation show SLUG [--json] [--db PATH]\n"
	"       pnyx federation delegations SLUG [--json] [--db PATH]\n\n"
	"show: for a delegate assembly, its purpose, region and weighting, its\n"
	"member assemblies with their status, delegates and mandates, and its\n"
	"proposals; for any assembly, the federations it belongs to.\n"
	"delegations: every delegate the assembly SLUG sent, with the motions\n"
	"that elected and recalled them.\n");

/* A member's kind and its membership's state in words (the code itself
 * when it is none of these). */
static const char *member_kind(const char *k)
{
	return !k ? "" : !strcmp(k, "local") ? trp(cli_lang(), "federation member", "local assembly")
	       : !strcmp(k, "delegate") ? trp(cli_lang(), "federation member", "delegate assembly")
	       : !strcmp(k, "enterprise") ? trp(cli_lang(), "federation member", "enterprise") : k;
}

static const char *member_status(const char *st)
{
	return !st ? "" : !strcmp(st, "active") ? trp(cli_lang(), "federation member", "active")
	       : !strcmp(st, "suspended") ? trp(cli_lang(), "federation member", "suspended")
	       : !strcmp(st, "left") ? trp(cli_lang(), "federation member", "left") : st;
}

static void print_delegates(const json_t *list, int indent)
{
	size_t i;
	json_t *d;
	json_array_foreach(list, i, d) {
		printf("%*s", indent, "");
		printf(_("delegate %s (motion %lld): %s\n"),
		       json_string_value(json_object_get(d, "handle")),
		       (long long)json_integer_value(json_object_get(d, "elected_by")),
		       json_string_value(json_object_get(d, "mandate")));
	}
}

static void print_show(const json_t *fed, const json_t *props)
{
	size_t i;
	json_t *v;
	const char *slug = json_string_value(json_object_get(fed, "body"));
	const char *federates = json_string_value(json_object_get(fed, "federates"));
	if (json_object_get(fed, "members") && federates && !strcmp(federates, "enterprises")) {
		/* a federation of enterprises: one voice each, nobody beneath */
		printf(_("%s: delegate assembly of enterprises for %s, %s; one voice per"
			 " member\n"), slug, json_string_value(json_object_get(fed, "purpose")),
		       json_string_value(json_object_get(fed, "region")));
	} else if (json_object_get(fed, "members")) {
		const char *w = json_string_value(json_object_get(fed, "weighting"));
		char num[32];
		cli_number(json_integer_value(json_object_get(fed, "population")), num);
		if (w && !strcmp(w, "population"))
			printf(_("%s: delegate assembly for %s, %s; votes weighted by population;"
				 " %s people beneath\n"), slug,
			       json_string_value(json_object_get(fed, "purpose")),
			       json_string_value(json_object_get(fed, "region")), num);
		else
			printf(_("%s: delegate assembly for %s, %s; one vote per assembly; %s"
				 " people beneath\n"), slug,
			       json_string_value(json_object_get(fed, "purpose")),
			       json_string_value(json_object_get(fed, "region")), num);
	}
	if (json_object_get(fed, "members")) {
		json_array_foreach(json_object_get(fed, "members"), i, v) {
			printf("  %s (%s, %s)\n", json_string_value(json_object_get(v, "body")),
			       member_kind(json_string_value(json_object_get(v, "kind"))),
			       member_status(json_string_value(json_object_get(v, "status"))));
			print_delegates(json_object_get(v, "delegates"), 4);
		}
		json_array_foreach(json_object_get(props, "originated"), i, v)
			printf(_("  proposal %lld, version %lld: %s\n"),
			       (long long)json_integer_value(json_object_get(v, "id")),
			       (long long)json_integer_value(json_object_get(v, "version")),
			       json_string_value(json_object_get(v, "title")));
	}
	json_array_foreach(json_object_get(fed, "memberships"), i, v) {
		printf(_("%s is a member of %s (%s, %s)\n"), slug,
		       json_string_value(json_object_get(v, "federation")),
		       json_string_value(json_object_get(v, "purpose")),
		       member_status(json_string_value(json_object_get(v, "status"))));
		print_delegates(json_object_get(v, "delegates"), 2);
	}
}

struct federation_read {
	const struct gov_ctx *ctx;
	int show;
	const char *slug;
	json_t *out, *props;
	struct px_error *err;
};

/* One read transaction, as the server's GETs: the federations and the
 * proposals shown together are of one moment. */
static int read_federation(struct store *s, void *arg)
{
	struct federation_read *r = arg;
	(void)s;
	json_decref(r->out); /* a busy read runs this again */
	json_decref(r->props);
	r->out = r->props = NULL;
	if (!r->show)
		return gov_body_delegations(r->ctx, r->slug, &r->out, r->err);
	int rc = gov_body_federations(r->ctx, r->slug, &r->out, r->err);
	return rc ? rc : gov_body_proposals(r->ctx, r->slug, &r->props, r->err);
}

int cmd_federation(int argc, char **argv)
{
	const char *db = NULL, *pos[2];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("federation"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int show = npos == 2 && !strcmp(pos[0], "show");
	if (!show && !(npos == 2 && !strcmp(pos[0], "delegations")))
		return cli_errorf("federation", CLI_USAGE, "say 'show SLUG' or 'delegations SLUG'");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL, *props = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("federation", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	struct federation_read r = { &ctx, show, pos[1], NULL, NULL, &err };
	rc = cli_read(s, read_federation, &r, &err);
	out = r.out;
	props = r.props;
	if (rc) {
		rc = cli_report_store("federation", &err, s);
		goto out;
	}
	if (json) {
		if (show)
			json_object_set(out, "proposals", props);
		char *t = json_dumps(out, JSON_INDENT(2));
		puts(t);
		free(t);
	} else if (show) {
		print_show(out, props);
	} else {
		size_t i;
		json_t *v;
		json_array_foreach(out, i, v)
			printf(json_object_get(v, "recalled_by")
			       ? _("%-20s %-16s elected by motion %lld, recalled\n")
			       : _("%-20s %-16s elected by motion %lld\n"),
			       json_string_value(json_object_get(v, "federation")),
			       json_string_value(json_object_get(v, "handle")),
			       (long long)json_integer_value(json_object_get(v, "elected_by")));
	}
	rc = CLI_OK;
out:
	json_decref(out);
	json_decref(props);
	store_close(s);
	return rc;
}
