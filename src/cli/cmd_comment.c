/*
 * cmd_comment.c: `pnyx comment list|add|withdraw`: the discussion of a
 * motion or a proposal from the command line. Reading needs nobody;
 * commenting and withdrawing act as the person a session token signs in
 * (--token, or $PNYX_TOKEN: the token POST /api/v1/sessions gives), under
 * exactly the rules the API applies (src/gov/discussion). The command line
 * never speaks for anyone without their token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/discussion/discussion.h"
#include "gov/people/people.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_comment_usage[] = N_(
	"usage: pnyx comment list motion|proposal ID [--json] [--db PATH]\n"
	"       pnyx comment add motion|proposal ID --text TEXT [--reply-to N]\n"
	"                    [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx comment withdraw COMMENT [--token TOKEN] [--json] [--db PATH]\n\n"
	"list: the discussion of a motion or a proposal, each comment followed by\n"
	"its replies (indented); a withdrawn or hidden comment shows as such.\n"
	"add: comment (or, with --reply-to, reply to comment N) as the person the\n"
	"session token signs in; TEXT is Markdown, 1 to 10,000 characters ('-'\n"
	"reads it from standard input). Only active members of the assembly that\n"
	"decides the motion (of the assemblies that made or were offered the\n"
	"proposal) may comment, and only while the motion is undecided.\n"
	"withdraw: the author withdraws their comment; it stays in its place\n"
	"without its text (the public journal keeps what was written).\n"
	"The token is --token or $PNYX_TOKEN. Comments are never counted.\n");

#define STDIN_MAX (COMMENT_TEXT_MAX * 4 + 2)

static char *read_stdin(void)
{
	char *buf = malloc(STDIN_MAX + 1);
	if (!buf)
		return NULL;
	size_t n = fread(buf, 1, STDIN_MAX, stdin);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return buf;
}

static void print_thread(const json_t *t)
{
	size_t i;
	json_t *c;
	const json_t *list = json_object_get(t, "comments");
	printf(strcmp(json_string_value(json_object_get(t, "target")), "proposal")
	       ? _("discussion of motion %lld (%s)%s\n") : _("discussion of proposal %lld (%s)%s\n"),
	       (long long)json_integer_value(json_object_get(t, "target_id")),
	       json_string_value(json_object_get(t, "body")),
	       json_is_true(json_object_get(t, "open")) ? "" : _(": closed"));
	if (!json_array_size(list))
		puts(_("no comments yet"));
	json_array_foreach(list, i, c) {
		int depth = (int)json_integer_value(json_object_get(c, "depth"));
		const char *state = json_string_value(json_object_get(c, "state"));
		char when[96];
		cli_when_in((int64_t)json_integer_value(json_object_get(c, "at")),
			    json_string_value(json_object_get(t, "tz")), when);
		printf("\n%*s#%lld @%s, %s%s\n", depth * 4, "",
		       (long long)json_integer_value(json_object_get(c, "id")),
		       json_string_value(json_object_get(c, "author")), when,
		       json_is_integer(json_object_get(c, "reply_to")) ? _(" (reply)") : "");
		if (!strcmp(state, "withdrawn")) {
			printf("%*s%s\n", depth * 4, "", _("[withdrawn by its author]"));
		} else if (!strcmp(state, "hidden")) {
			printf("%*s", depth * 4, "");
			printf(_("[hidden by the assembly's decision (motion %lld): %s]\n"),
			       (long long)json_integer_value(json_object_get(c, "hidden_by")),
			       json_string_value(json_object_get(c, "hidden_reason")));
		} else {
			const char *text = json_string_value(json_object_get(c, "text"));
			/* each line of the Markdown, indented with its comment */
			while (text && *text) {
				const char *nl = strchr(text, '\n');
				int len = nl ? (int)(nl - text) : (int)strlen(text);
				printf("%*s%.*s\n", depth * 4, "", len, text);
				text = nl ? nl + 1 : text + len;
			}
		}
	}
}

int cmd_comment(int argc, char **argv)
{
	const char *db = NULL, *text = NULL, *token = NULL, *pos[3];
	int64_t reply_to = 0, id = 0;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "text", OPT_STRING, &text, 0, 0 },
		{ "reply-to", OPT_INT, &reply_to, 1, INT64_MAX },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("comment"), opts, argc, argv, pos, 3, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int list = npos == 3 && !strcmp(pos[0], "list");
	int add = npos == 3 && !strcmp(pos[0], "add");
	int withdraw = npos == 2 && !strcmp(pos[0], "withdraw");
	if (!list && !add && !withdraw)
		return cli_errorf("comment", CLI_USAGE, "say 'list motion|proposal ID',"
				  " 'add motion|proposal ID --text TEXT' or 'withdraw COMMENT'");
	if ((list || add) && strcmp(pos[1], "motion") && strcmp(pos[1], "proposal"))
		return cli_errorf("comment", CLI_USAGE, "comments are on a motion or a proposal,"
				  " not '%s'", pos[1]);
	if (num_parse_i64(pos[npos - 1], 1, INT64_MAX, &id))
		return cli_errorf("comment", CLI_USAGE, "'%s' is not a number", pos[npos - 1]);
	if (add && !text)
		return cli_errorf("comment", CLI_USAGE, "add needs --text TEXT (or --text -)");
	if (!add && (text || reply_to))
		return cli_errorf("comment", CLI_USAGE, "--text and --reply-to go with add");
	if (!token)
		token = getenv("PNYX_TOKEN");
	if (!list && (!token || !*token))
		return cli_errorf("comment", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a session token, from signing in)");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	char *input = NULL;
	if (add && !strcmp(text, "-")) {
		if (!(input = read_stdin()))
			return cli_errorf("comment", CLI_FAIL, "out of memory");
		text = input;
	}
	if (store_open(cli_db_path(db), list ? STORE_READONLY : 0, &s, &err)) {
		free(input);
		return cli_report("comment", &err);
	}
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	if (!list && gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("comment", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	rc = list ? gov_comment_list(&ctx, pos[1], id, &out, &err)
	     : add ? gov_comment_add(&ctx, pos[1], id, text, reply_to, &out, &err)
		   : gov_comment_withdraw(&ctx, id, &out, &err);
	if (rc) {
		rc = cli_report("comment", &err);
		goto out;
	}
	if (json) {
		char *dump = json_dumps(out, JSON_INDENT(2));
		puts(dump);
		free(dump);
	} else if (list) {
		print_thread(out);
	} else {
		printf(add ? _("comment %lld added\n") : _("comment %lld withdrawn\n"),
		       (long long)json_integer_value(json_object_get(out, "id")));
	}
	rc = CLI_OK;
out:
	free(input);
	json_decref(out);
	store_close(s);
	return rc;
}
