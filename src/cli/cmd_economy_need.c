/*
 * cmd_economy_need.c: evidence of need from the command line
 * (src/gov/sharing/need.c, docs/sharing.md "Evidence of need"):
 *   pnyx economy request ID --category NAME --amount N
 *                [--evidence-text TEXT] [--evidence FILE]...   (cmd_economy.c)
 *   pnyx economy evidence REQUEST [--file N --out PATH]
 *   pnyx economy review REQUEST --accept|--refuse --reason TEXT
 * Each acts as a signed-in person (--token, or $PNYX_TOKEN), under the
 * rules the API applies: only the requester and the committee's members
 * read a request's evidence, only a member of the committee reviews it.
 * A file's type is named by its extension and checked by the domain
 * against its first bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/lot/lot.h" /* lot_clock_now: a controlled clock, as the server reads it */
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "sortition_io.h"
#include "banned.h"

static const struct {
	const char *ext, *type;
} by_extension[] = {
	{ ".pdf", "application/pdf" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" }, { ".webp", "image/webp" }, { ".txt", "text/plain" },
	{ ".md", "text/plain" }, { ".csv", "text/csv" }, { NULL, NULL },
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && by_extension[i].ext; i++)
		if (!strcmp(dot, by_extension[i].ext))
			return by_extension[i].type;
	return NULL;
}

int economy_evidence_read(const char *text, const struct cli_list *paths,
			  struct economy_evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->in.text = text;
	ev->in.files = ev->files;
	if (paths->n > EVIDENCE_FILES_MAX)
		return cli_errorf("economy", CLI_USAGE, "at most %d files of evidence",
				  EVIDENCE_FILES_MAX);
	for (size_t i = 0; i < paths->n; i++) {
		const char *path = paths->items[i], *slash = strrchr(path, '/');
		const char *type = type_of(path);
		size_t len = 0;
		if (!type)
			return cli_errorf("economy", CLI_USAGE, "%s: evidence is a PDF, PNG, JPEG"
					  " or WebP image, text or CSV (.pdf .png .jpg .webp .txt"
					  " .csv)", path);
		if (sio_read_file("economy", path, EVIDENCE_FILE_MAX, &ev->bufs[i], &len))
			return CLI_USAGE;
		ev->files[i] = (struct evidence_file){ .name = slash ? slash + 1 : path,
			.type = type, .data = (const unsigned char *)ev->bufs[i], .size = len };
		ev->in.nfiles = i + 1;
	}
	return 0;
}

void economy_evidence_release(struct economy_evidence *ev)
{
	for (size_t i = 0; i < EVIDENCE_FILES_MAX; i++) {
		free(ev->bufs[i]);
		ev->bufs[i] = NULL;
	}
}

int cmd_economy_need_owns(const char *verb)
{
	return verb && (!strcmp(verb, "evidence") || !strcmp(verb, "review"));
}

static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void print_evidence(const json_t *o)
{
	printf(_("request %lld, reviewed by the committee %s\n"),
	       (long long)json_integer_value(json_object_get(o, "request")),
	       str(json_object_get(o, "committee"), "name"));
	if (json_is_string(json_object_get(o, "verdict")))
		printf(_("%s by %s: %s\n"), !strcmp(str(o, "verdict"), "accepted")
		       ? _("accepted") : _("refused"), str(o, "reviewed_by"), str(o, "reason"));
	else
		puts(_("not reviewed yet"));
	if (*str(o, "text"))
		printf("\n%s\n\n", str(o, "text"));
	size_t i;
	const json_t *f;
	json_array_foreach(json_object_get(o, "files"), i, f)
		printf(_("file %lld: %s (%s, %lld bytes) %s\n"),
		       (long long)json_integer_value(json_object_get(f, "n")), str(f, "name"),
		       str(f, "type"), (long long)json_integer_value(json_object_get(f, "size")),
		       str(f, "hash"));
}

int cmd_economy_need(int argc, char **argv)
{
	const char *db = NULL, *token = NULL, *reason = NULL, *outpath = NULL, *pos[2];
	int json = 0, accept = 0, refuse = 0;
	int64_t file = -1;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "accept", OPT_FLAG, &accept, 0, 0 },
		{ "refuse", OPT_FLAG, &refuse, 0, 0 },
		{ "reason", OPT_STRING, &reason, 0, 0 },
		{ "file", OPT_INT, &file, 0, EVIDENCE_FILES_MAX },
		{ "out", OPT_STRING, &outpath, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("economy"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	char *end = NULL;
	long long id = npos == 2 ? strtoll(pos[1], &end, 10) : 0;
	if (npos != 2 || !end || *end || id < 1)
		return cli_errorf("economy", CLI_USAGE, "name the request by its number: pnyx"
				  " economy %s REQUEST", pos[0]);
	int review = !strcmp(pos[0], "review");
	if (review && accept == refuse)
		return cli_errorf("economy", CLI_USAGE, "say --accept or --refuse, with"
				  " --reason TEXT");
	if ((file >= 0) != (outpath != NULL))
		return cli_errorf("economy", CLI_USAGE, "--file N goes with --out PATH");
	if (!token)
		token = getenv("PNYX_TOKEN");
	if (!token || !*token)
		return cli_errorf("economy", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a session token, from signing in)");
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), review ? 0 : STORE_READONLY, &s, &err))
		return cli_report("economy", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(),
			       .now = lot_clock_now(s, (int64_t)time(NULL)) };
	if (gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("economy", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	if (file >= 0) {
		struct evidence_file_out f;
		if ((rc = gov_round_evidence_file(&ctx, id, file, &f, &err))) {
			rc = cli_report_store("economy", &err, s);
			goto out;
		}
		FILE *fp = fopen(outpath, "wb");
		int ok = fp && fwrite(f.data, 1, f.size, fp) == f.size;
		ok = fp && !fclose(fp) && ok;
		free(f.data);
		if (!ok) {
			rc = cli_errorf("economy", CLI_FAIL, "%s: could not write it", outpath);
			goto out;
		}
		printf(_("%s: %zu bytes, BLAKE2b-256 %s\n"), outpath, f.size, f.hash);
		goto out;
	}
	rc = review ? gov_round_review(&ctx, id, accept ? "accepted" : "refused", reason, &out,
				       &err)
		    : gov_round_evidence(&ctx, id, &out, &err);
	if (rc) {
		rc = cli_report_store("economy", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		if (text)
			puts(text);
		free(text);
	} else {
		print_evidence(out);
	}
out:
	json_decref(out);
	store_close(s);
	return rc;
}
