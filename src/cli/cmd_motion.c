/*
 * cmd_motion.c: `pnyx motion list|show|kinds`: reading motions, their
 * results and the table of kinds of motion. Motions are moved and decided
 * through the API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_motion_usage[] = N_(
	"usage: pnyx motion list SLUG [--status STATUS] [--json] [--db PATH]\n"
	"       pnyx motion show ID [--json] [--db PATH]\n"
	"       pnyx motion kinds [SLUG] [--json] [--db PATH]\n\n"
	"list: the motions of the assembly SLUG, newest first; STATUS is one of\n"
	"submitted, voting, adopted, rejected, no_quorum, withdrawn.\n"
	"show: one motion: its text, amendments, advisory input, the result and\n"
	"the rule that decided it; for an election of several delegates by STV,\n"
	"who was elected and the count round by round.\n"
	"kinds: the kinds of motion (those the assembly SLUG may decide), who\n"
	"decides each and the parameters it takes, as GET /api/v1/motion-kinds.\n");

/* One kind in a few lines: name, who decides, label; its parameters. */
static void print_kind(const json_t *k)
{
	size_t i;
	json_t *v;
	char by[40] = "";
	json_array_foreach(json_object_get(k, "decided_by"), i, v) {
		size_t n = strlen(by);
		snprintf(by + n, sizeof(by) - n, "%s%s", i ? "," : "", json_string_value(v));
	}
	const char *label = json_string_value(json_object_get(k, "label"));
	printf("%-*s %-*s %s", cli_pad(json_string_value(json_object_get(k, "name")), 22),
	       json_string_value(json_object_get(k, "name")), cli_pad(by, 25), by,
	       label ? _(label) : "");
	if (json_is_true(json_object_get(k, "needs_text")))
		printf(" [%s]", _("text"));
	putchar('\n');
	json_array_foreach(json_object_get(k, "params"), i, v) {
		const char *what = json_string_value(json_object_get(v, "label"));
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *type = json_string_value(json_object_get(v, "type"));
		printf("    %-*s %-*s %s", cli_pad(name, 18), name, cli_pad(type, 10), type,
		       what ? _(what) : "");
		if (!json_is_true(json_object_get(v, "required")))
			printf(" (%s)", _("optional"));
		putchar('\n');
	}
}

/* A ranked election's STV count: who was elected, and each candidate's
 * votes round by round (as the count gives them: fixed-point strings). */
static void print_count(const json_t *count, const json_t *withdrawn)
{
	size_t i, k;
	json_t *v, *round;
	if (!count)
		return;
	long long seats = (long long)json_integer_value(json_object_get(count, "seats"));
	putchar('\n');
	printf(trn(cli_lang(), "count: %s, %lld seat, quota %s\n",
		   "count: %s, %lld seats, quota %s\n", (unsigned long)seats),
	       json_string_value(json_object_get(count, "method")), seats,
	       json_is_string(json_object_get(count, "quota"))
	       ? json_string_value(json_object_get(count, "quota")) : "-");
	printf("%s", _("elected:"));
	json_array_foreach(json_object_get(count, "elected"), i, v)
		printf("%s %s", i ? "," : "", json_string_value(v));
	printf("\n");
	json_array_foreach(withdrawn, i, v)
		printf(_("withdrawn: %s (%s)\n"),
		       json_string_value(json_object_get(v, "handle")),
		       json_string_value(json_object_get(v, "reason")));
	printf("\n%-*s", cli_pad(_("round"), 20), _("round"));
	json_array_foreach(json_object_get(count, "candidates"), i, v)
		printf(" %14s", json_string_value(v));
	printf("\n");
	json_array_foreach(json_object_get(count, "rounds"), k, round) {
		const json_t *votes = json_object_get(round, "votes");
		const json_t *state = json_object_get(round, "state");
		printf("%-20.20s", json_string_value(json_object_get(round, "label")));
		json_array_foreach(json_object_get(count, "candidates"), i, v) {
			const json_t *n = json_object_get(votes, json_string_value(v));
			const char *st = json_string_value(json_object_get(state,
							   json_string_value(v)));
			char cell[40];
			if (json_is_string(n))
				snprintf(cell, sizeof(cell), "%s", json_string_value(n));
			else
				snprintf(cell, sizeof(cell), "%lld",
					 (long long)json_integer_value(n));
			printf(" %13s%s", cell, st && !strcmp(st, "elected") ? "*"
					 : st && !strcmp(st, "excluded") ? "-" : " ");
		}
		printf("\n");
	}
	printf("%s\n", _("(* elected, - excluded)"));
}

struct motion_read {
	const struct gov_ctx *ctx;
	int verb; /* 0 kinds, 1 list, 2 show */
	const char *slug, *status;
	int64_t id;
	json_t *out;
	struct px_error *err;
};

/* One read transaction, as the server's GETs: one moment, no writes. */
static int read_motion(struct store *s, void *arg)
{
	struct motion_read *r = arg;
	(void)s;
	json_decref(r->out); /* a busy read runs this again */
	r->out = NULL;
	switch (r->verb) {
	case 0: return gov_motion_kinds(r->ctx, r->slug, &r->out, r->err);
	case 1: return gov_motion_list(r->ctx, r->slug, r->status, &r->out, r->err);
	default: return gov_motion_get(r->ctx, r->id, &r->out, r->err);
	}
}

int cmd_motion(int argc, char **argv)
{
	const char *db = NULL, *status = NULL, *pos[2];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "status", OPT_STRING, &status, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("motion"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int list = npos == 2 && !strcmp(pos[0], "list");
	int show = npos == 2 && !strcmp(pos[0], "show");
	int kinds = npos >= 1 && !strcmp(pos[0], "kinds");
	int64_t id = 0;
	if (!list && !show && !kinds)
		return cli_errorf("motion", CLI_USAGE,
				  "say 'list SLUG', 'show ID' or 'kinds [SLUG]'");
	if (show && num_parse_i64(pos[1], 1, INT64_MAX, &id))
		return cli_errorf("motion", CLI_USAGE, "a motion is named by its number");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("motion", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	struct motion_read r = { &ctx, kinds ? 0 : list ? 1 : 2,
				 npos == 2 && !show ? pos[1] : NULL, status, id, NULL, &err };
	rc = cli_read(s, read_motion, &r, &err);
	out = r.out;
	if (rc) {
		rc = cli_report_store("motion", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (kinds) {
		size_t i;
		json_t *k;
		json_array_foreach(json_object_get(out, "kinds"), i, k)
			print_kind(k);
	} else if (list) {
		size_t i;
		json_t *m;
		json_array_foreach(out, i, m) {
			const char *st = cli_motion_status(json_string_value(json_object_get(m,
											       "status")));
			printf("%6lld  %-*s %s — %s\n",
			       (long long)json_integer_value(json_object_get(m, "id")),
			       cli_pad(st, 12), st, json_string_value(json_object_get(m,
			       "title")),
			       motion_kind_words(json_string_value(json_object_get(m, "kind")),
						 cli_lang()));
		}
	} else {
		const json_t *result = json_object_get(out, "result");
		printf(_("motion %lld: %s\nkind: %s\nproposed by: %s\nstatus: %s\n\n%s\n"),
		       (long long)id, json_string_value(json_object_get(out, "title")),
		       motion_kind_words(json_string_value(json_object_get(out, "kind")),
					 cli_lang()),
		       json_string_value(json_object_get(out, "proposer")),
		       cli_motion_status(json_string_value(json_object_get(out, "status"))),
		       json_string_value(json_object_get(out, "text")));
		if (result)
			printf(_("\nresult: %s\nrule: %s\n"),
			       json_string_value(json_object_get(result, "text")),
			       json_string_value(json_object_get(result, "rule_text")));
		print_count(json_object_get(result, "count"),
			    json_object_get(result, "withdrawn"));
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}
