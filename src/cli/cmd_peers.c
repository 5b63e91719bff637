/*
 * cmd_peers.c: `pnyx peers` and `pnyx outbox`: read-only views of this
 * node's relations with other pnyx nodes (src/gov/nodes/federate.c,
 * docs/nodes.md). There is no command to add, trust or remove a peer: a
 * node is trusted only because one of its assemblies decided to federate
 * with an assembly there (join_remote_federation, accept_remote_member).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_peers_usage[] = N_(
	"usage: pnyx peers [--db PATH] [--json]\n\n"
	"The other pnyx nodes this node has heard of: whether delivery to each\n"
	"works (active) or has failed for days (unavailable: tried again now\n"
	"and then, and at once when it sends something), how many activities\n"
	"wait for it, how many relationships its assemblies and this node's\n"
	"have, and the key it signs with (pinned at first contact). A node is\n"
	"trusted only by an assembly's decision; no command adds one\n"
	"(docs/nodes.md).\n");

const char cmd_outbox_usage[] = N_(
	"usage: pnyx outbox [--db PATH] [--limit N] [--json]\n\n"
	"The activities this node sent or is sending to other nodes, newest\n"
	"first (at most N, default 50): to whom, how many tries, and what the\n"
	"other node answered (docs/nodes.md, \"Delivery\").\n");

static const char *str(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static void when(const json_t *v, char *buf, size_t n)
{
	if (!json_is_integer(v)) {
		snprintf(buf, n, "-");
		return;
	}
	time_t t = (time_t)json_integer_value(v);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

static int run(const char *name, int argc, char **argv, int peers)
{
	const char *db = NULL, *pos[1];
	int json = 0;
	int64_t limit = 50;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "limit", OPT_INT, &limit, 1, 10000 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find(name), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos)
		return cli_errorf(name, CLI_USAGE, "'%s' takes no argument: it only shows (a"
				  " node is trusted by an assembly's decision, not by a command)",
				  name);
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report(name, &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	rc = peers ? nodes_peers(&ctx, &out, &err) : nodes_outbox_list(&ctx, limit, &out, &err);
	if (rc) {
		rc = cli_report_store(name, &err, s);
		goto out;
	}
	size_t i;
	json_t *v;
	char a[32], b[32];
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (peers) {
		printf("%-*s %-*s %*s %*s  %-*s  %s\n", cli_pad(_("NODE"), 36), _("NODE"),
		       cli_pad(_("STATE"), 12), _("STATE"), cli_pad(_("QUEUED"), 6),
		       _("QUEUED"),
		       cli_pad(_("RELATIONS"), 9),
		       _("RELATIONS"), cli_pad(_("LAST SUCCESS"), 16), _("LAST SUCCESS"),
		       _("LAST ERROR"));
		json_array_foreach(json_object_get(out, "peers"), i, v) {
			when(json_object_get(v, "last_success"), a, sizeof a);
			printf("%-*s %-*s %6lld %9lld  %-*s  %s\n",
			       cli_pad(str(v, "origin"), 36), str(v, "origin"),
			       cli_pad(str(v, "state"), 12), str(v, "state"),
			       (long long)json_integer_value(json_object_get(v, "queued")),
			       (long long)json_integer_value(json_object_get(v, "relations")),
			       cli_pad(a, 16),
			       a, str(v, "last_error"));
		}
	} else {
		printf("%*s %-*s %-*s %*s  %-*s  %-*s  %s\n", cli_pad(_("ID"), 6), _("ID"),
		       cli_pad(_("TYPE"), 8), _("TYPE"), cli_pad(_("STATUS"), 10), _("STATUS"),
		       cli_pad(_("ATTEMPTS"), 8),
		       _("ATTEMPTS"), cli_pad(_("QUEUED"), 16), _("QUEUED"),
		       cli_pad(_("DONE"), 16), _("DONE"), _("TO"));
		json_array_foreach(json_object_get(out, "outbox"), i, v) {
			when(json_object_get(v, "created_at"), a, sizeof a);
			when(json_object_get(v, "done_at"), b, sizeof b);
			printf("%6lld %-*s %-*s %8lld  %-*s  %-*s  %s\n",
			       (long long)json_integer_value(json_object_get(v, "id")),
			       cli_pad(str(v, "type"), 8),
			       str(v, "type"), cli_pad(str(v, "status"), 10), str(v, "status"),
			       (long long)json_integer_value(json_object_get(v, "attempts")),
			       cli_pad(a, 16),
			       a, cli_pad(b, 16), b, str(v, "inbox"));
			if (*str(v, "last_error"))
				printf("       %s\n", str(v, "last_error"));
		}
	}
	rc = CLI_OK;
out:
	store_close(s);
	json_decref(out);
	return rc;
}

int cmd_peers(int argc, char **argv)
{
	return run("peers", argc, argv, 1);
}

int cmd_outbox(int argc, char **argv)
{
	return run("outbox", argc, argv, 0);
}
