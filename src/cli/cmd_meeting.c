/*
 * cmd_meeting.c: `pnyx meeting list|show|minutes|calendar`: reading an
 * assembly's meetings. Decisions are taken through the API, where the
 * caller is known; the command line only shows.
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

const char cmd_meeting_usage[] = N_(
	"usage: pnyx meeting list SLUG [--json] [--db PATH]\n"
	"       pnyx meeting show ID [--json] [--db PATH]\n"
	"       pnyx meeting minutes ID [--html] [--db PATH]\n"
	"       pnyx meeting calendar SLUG [--db PATH]\n\n"
	"list: the coming meetings of the assembly SLUG and the recent ones.\n"
	"show: one meeting: its state, who checked in, its agenda and results.\n"
	"minutes: the minutes of a closed meeting (Markdown, or HTML).\n"
	"calendar: every meeting as an iCalendar feed (RFC 5545).\n");

static void print_json(const json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2));
	puts(text);
	free(text);
}

/* Why someone present is no longer, in words. */
static const char *departed(const char *reason)
{
	return !reason ? "" : !strcmp(reason, "left") ? _("left the assembly")
	       : !strcmp(reason, "excluded") ? _("excluded by the assembly")
	       : !strcmp(reason, "seat_ended") ? _("no longer a delegate") : reason;
}

static void print_meeting(const json_t *m)
{
	const char *state = cli_meeting_state(json_string_value(json_object_get(m, "state")));
	const char *kind = cli_meeting_kind(json_string_value(json_object_get(m, "kind")));
	char when[96];
	cli_when_in((int64_t)json_integer_value(json_object_get(m, "starts_at")),
		    json_string_value(json_object_get(m, "tz")), when);
	printf("%6lld  %-*s  %-*s %-*s %s\n",
	       (long long)json_integer_value(json_object_get(m, "id")), cli_pad(when, 32), when,
	       cli_pad(state, 12), state,
	       cli_pad(kind, 15), kind, json_string_value(json_object_get(m, "place")));
}

struct meeting_read {
	const struct gov_ctx *ctx;
	int verb, html;
	int64_t id;
	const char *slug;
	json_t *out;
	char *text;
	struct px_error *err;
};

/* One read transaction, as the server's GETs: one moment, no writes. */
static int read_meeting(struct store *s, void *arg)
{
	struct meeting_read *r = arg;
	(void)s;
	json_decref(r->out); /* a busy read runs this again */
	free(r->text);
	r->out = NULL;
	r->text = NULL;
	switch (r->verb) {
	case 0: return gov_meeting_list(r->ctx, r->slug, &r->out, r->err);
	case 1: return gov_meeting_get(r->ctx, r->id, &r->out, r->err);
	case 2: return gov_meeting_minutes(r->ctx, r->id, r->html ? "html" : "md",
					   &r->text, r->err);
	default: return gov_meeting_calendar(r->ctx, r->slug, NULL, &r->text, r->err);
	}
}

int cmd_meeting(int argc, char **argv)
{
	const char *db = NULL, *pos[2];
	int json = 0, html = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "html", OPT_FLAG, &html, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("meeting"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	static const char *const verbs[] = { "list", "show", "minutes", "calendar", NULL };
	int verb = -1;
	for (int i = 0; npos == 2 && verbs[i]; i++)
		if (!strcmp(verbs[i], pos[0]))
			verb = i;
	if (verb < 0)
		return cli_errorf("meeting", CLI_USAGE,
				  "say 'list SLUG', 'show ID', 'minutes ID' or 'calendar SLUG'");
	int64_t id = 0;
	if ((verb == 1 || verb == 2) && num_parse_i64(pos[1], 1, INT64_MAX, &id))
		return cli_errorf("meeting", CLI_USAGE, "a meeting is named by its number");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	char *text = NULL;
	if (store_open(cli_db_path(db), 0, &s, &err))
		return cli_report("meeting", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	struct meeting_read r = { &ctx, verb, html, id, pos[1], NULL, NULL, &err };
	rc = store_read(s, read_meeting, &r);
	out = r.out;
	text = r.text;
	if (rc && !err.code)
		px_fail(&err, rc, NULL, NULL);
	if (rc) {
		rc = cli_report_store("meeting", &err, s);
		goto out;
	}
	if (text) {
		fputs(text, stdout);
	} else if (json) {
		print_json(out);
	} else if (verb == 0) {
		size_t i;
		json_t *m;
		puts(_("coming:"));
		json_array_foreach(json_object_get(out, "upcoming"), i, m)
			print_meeting(m);
		puts(_("past:"));
		json_array_foreach(json_object_get(out, "past"), i, m)
			print_meeting(m);
	} else {
		size_t i;
		json_t *m;
		print_meeting(out);
		printf(_("present: %lld\n"),
		       (long long)json_integer_value(json_object_get(out, "attendance")));
		json_array_foreach(json_object_get(out, "departed"), i, m)
			printf(_("  left: %s (%s)\n"),
			       json_string_value(json_object_get(m, "handle")),
			       departed(json_string_value(json_object_get(m, "reason"))));
		const json_t *cl = json_object_get(out, "closing");
		if (cl && json_boolean_value(json_object_get(cl, "allowed")))
			puts(_("closing: allowed now"));
		else if (cl)
			printf(_("closing: not yet: %s\n"),
			       json_string_value(json_object_get(cl, "reason")));
		puts(_("agenda:"));
		json_array_foreach(json_object_get(out, "agenda"), i, m) {
			const char *title = json_string_value(json_object_get(m, "title"));
			const char *st = cli_motion_status(json_string_value(json_object_get(m,
											       "status")));
			printf("  %3lld. %-*s %-*s %s\n",
			       (long long)json_integer_value(json_object_get(m, "id")),
			       cli_pad(title, 40), title, cli_pad(st, 12), st,
			       motion_kind_words(json_string_value(json_object_get(m, "kind")),
						 cli_lang()));
		}
	}
	rc = CLI_OK;
out:
	free(text);
	json_decref(out);
	store_close(s);
	return rc;
}
