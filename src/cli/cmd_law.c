/*
 * cmd_law.c: `pnyx law list|show|diff|export`: reading an assembly's law
 * register. Laws change only by decisions taken at meetings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/assembly/assembly.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_law_usage[] = N_(
	"usage: pnyx law list SLUG [--json] [--db PATH]\n"
	"       pnyx law show SLUG N [--json] [--db PATH]\n"
	"       pnyx law diff SLUG N [--from V] [--to V] [--json] [--db PATH]\n"
	"       pnyx law export SLUG [--db PATH]\n\n"
	"list: the laws of the assembly SLUG (in force first, then repealed).\n"
	"show: law N with every version and the decision that made it.\n"
	"diff: what a version changed (default: the latest against the one\n"
	"before), as lines prefixed '-' and '+'.\n"
	"export: the whole register as one Markdown document.\n");

struct law_read {
	const struct gov_ctx *ctx;
	int verb;
	const char *slug;
	int64_t n, from, to;
	json_t *out;
	char *text;
	struct px_error *err;
};

/* One read transaction, as the server's GETs: one moment, no writes. */
static int read_law(struct store *s, void *arg)
{
	struct law_read *r = arg;
	(void)s;
	json_decref(r->out); /* a busy read runs this again */
	free(r->text);
	r->out = NULL;
	r->text = NULL;
	switch (r->verb) {
	case 0: return gov_law_list(r->ctx, r->slug, &r->out, r->err);
	case 1: return gov_law_get(r->ctx, r->slug, r->n, &r->out, r->err);
	case 2: return gov_law_diff(r->ctx, r->slug, r->n, r->from, r->to, &r->out, r->err);
	default: return gov_law_export(r->ctx, r->slug, &r->text, r->err);
	}
}

int cmd_law(int argc, char **argv)
{
	const char *db = NULL, *pos[3];
	int64_t from = 0, to = 0, n = 0;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "from", OPT_INT, &from, 0, INT32_MAX },
		{ "to", OPT_INT, &to, 1, INT32_MAX },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("law"), opts, argc, argv, pos, 3, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	static const char *const verbs[] = { "list", "show", "diff", "export", NULL };
	static const size_t nargs[] = { 2, 3, 3, 2 };
	int verb = -1;
	for (int i = 0; npos && verbs[i]; i++)
		if (!strcmp(verbs[i], pos[0]) && npos == nargs[i])
			verb = i;
	if (verb < 0)
		return cli_errorf("law", CLI_USAGE,
				  "say 'list SLUG', 'show SLUG N', 'diff SLUG N' or 'export SLUG'");
	if (npos == 3 && num_parse_i64(pos[2], 1, INT32_MAX, &n))
		return cli_errorf("law", CLI_USAGE, "a law is named by its number");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	char *text = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("law", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	struct law_read r = { &ctx, verb, pos[1], n, from, to, NULL, NULL, &err };
	rc = cli_read(s, read_law, &r, &err);
	out = r.out;
	text = r.text;
	if (rc) {
		rc = cli_report_store("law", &err, s);
		goto out;
	}
	size_t i;
	json_t *v;
	if (text) {
		fputs(text, stdout);
	} else if (json) {
		char *t = json_dumps(out, JSON_INDENT(2));
		puts(t);
		free(t);
	} else if (verb == 0) {
		json_array_foreach(out, i, v) {
			const char *st = json_string_value(json_object_get(v, "status"));
			/* a law's status in words (the code itself when it is
			 * neither: a newer server's) */
			st = !st ? "" : !strcmp(st, "in_force") ? _("in force")
			     : !strcmp(st, "repealed") ? _("repealed") : st;
			printf("%4lld  %-*s v%-3lld %s\n",
			       (long long)json_integer_value(json_object_get(v, "number")),
			       cli_pad(st, 9), st,
			       (long long)json_integer_value(json_object_get(v, "version")),
			       json_string_value(json_object_get(v, "title")));
		}
	} else if (verb == 1) {
		json_array_foreach(json_object_get(out, "versions"), i, v)
			printf(_("-- version %lld (%s by motion %lld): %s\n%s\n\n"),
			       (long long)json_integer_value(json_object_get(v, "version")),
			       json_string_value(json_object_get(v, "change")),
			       (long long)json_integer_value(json_object_get(v, "motion")),
			       json_string_value(json_object_get(v, "title")),
			       json_string_value(json_object_get(v, "text")));
	} else {
		printf(_("law %lld, version %lld -> %lld: +%lld -%lld\n"), (long long)n,
		       (long long)json_integer_value(json_object_get(out, "from")),
		       (long long)json_integer_value(json_object_get(out, "to")),
		       (long long)json_integer_value(json_object_get(out, "added")),
		       (long long)json_integer_value(json_object_get(out, "deleted")));
		json_array_foreach(json_object_get(out, "lines"), i, v) {
			const char *op = json_string_value(json_object_get(v, "op"));
			printf("%c %s\n", !strcmp(op, "add") ? '+' : !strcmp(op, "del") ? '-' : ' ',
			       json_string_value(json_object_get(v, "text")));
		}
	}
	rc = CLI_OK;
out:
	free(text);
	json_decref(out);
	store_close(s);
	return rc;
}
