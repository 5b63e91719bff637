/*
 * cmd_case.c: `pnyx case list|show` (src/gov/cases, docs/cases.md), and
 * `pnyx polity civil-servant add`, by which the operator registers the
 * civil service of a polity: staff, never members. The steps of a case
 * are acts of citizens, of the civil service and decisions of the
 * polity's assembly, through the API and the browser; no command makes
 * one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/cases/cases.h"
#include "gov/lot/lot.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_case_usage[] = N_(
	"usage: pnyx case list POLITY [--state STATE] [--db PATH] [--json]\n"
	"       pnyx case show ID [--db PATH] [--json]\n\n"
	"A case asks a polity's assembly whether a law of the polity's register\n"
	"(or the absence of one) allows harm (docs/cases.md). A citizen of the\n"
	"polity petitions; the assembly takes the case up or declines it, hears\n"
	"it, answers the harm question with its findings, charges the civil\n"
	"service with a remedy by a deadline, and approves or rejects the\n"
	"recommendation by the same question (\"no\" approves: the law changes in\n"
	"the polity's register at once); each remedy is reviewed on its date.\n"
	"list: the polity's cases with their state (--state: petitioned,\n"
	"declined, hearing, harm_found, no_harm, remedy_requested,\n"
	"recommendation_received, in_force, under_review, withdrawn), then\n"
	"the remedies in force, the reviews due and the overdue recommendations.\n"
	"show: one case with its timeline, each step dated, with the vote that\n"
	"decided it and who voted, the recommendations with their diffs, and the\n"
	"evidence as the public sees it, each file with its BLAKE2b-256 hash\n"
	"(b2sum -l 256 FILE prints the same).\n");

static void day(int64_t t, char *buf, size_t n)
{
	time_t at = (time_t)t;
	struct tm tm;
	buf[0] = '\0';
	if (gmtime_r(&at, &tm))
		strftime(buf, n, "%Y-%m-%d", &tm);
}

static const char *s_(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static long long i_(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static void print_summary(const json_t *c)
{
	char when[16];
	day(i_(c, "updated_at"), when, sizeof(when));
	printf("%5lld  %-*s %s  %s", i_(c, "id"), cli_pad(s_(c, "state"), 24), s_(c, "state"),
	       when, s_(c, "title"));
	if (json_is_true(json_object_get(c, "overdue")))
		printf("  [%s]", _("recommendation overdue"));
	if (json_is_true(json_object_get(c, "review_due")))
		printf("  [%s]", _("review due"));
	if (json_is_true(json_object_get(c, "brief_overdue")))
		printf("  [%s]", _("evidence brief overdue"));
	putchar('\n');
}

static void print_list(const json_t *o)
{
	size_t i;
	json_t *c;
	const json_t *p = json_object_get(o, "polity");
	printf(_("cases of %s (%s)\n"), s_(p, "slug"), s_(p, "name"));
	printf("%*s  %-*s %-*s  %s\n", cli_pad(_("CASE"), 5), _("CASE"),
	       cli_pad(_("STATE"), 24), _("STATE"), cli_pad(_("UPDATED"), 10), _("UPDATED"),
	       _("TITLE"));
	json_array_foreach(json_object_get(o, "cases"), i, c)
		print_summary(c);
	const json_t *d = json_object_get(o, "dashboard");
	printf(_("remedies in force: %zu, reviews due: %zu, overdue recommendations: %zu\n"),
	       json_array_size(json_object_get(d, "in_force")),
	       json_array_size(json_object_get(d, "reviews_due")),
	       json_array_size(json_object_get(d, "overdue")));
	printf("%s", _("civil service:"));
	json_array_foreach(json_object_get(o, "civil_service"), i, c)
		printf(" %s", s_(c, "handle"));
	if (!json_array_size(json_object_get(o, "civil_service")))
		printf(" %s", _("none registered"));
	putchar('\n');
}

static void print_case(const json_t *c)
{
	char when[16];
	size_t i, k;
	json_t *v, *w;
	printf(_("case %lld: %s\n"), i_(c, "id"), s_(c, "title"));
	printf(_("polity %s, state %s\n"), s_(json_object_get(c, "polity"), "slug"),
	       s_(c, "state"));
	if (json_is_integer(json_object_get(c, "law")))
		printf(_("about law %lld: %s\n"), i_(c, "law"), s_(c, "law_title"));
	else
		printf(_("about an absence: the law says nothing about %s\n"), s_(c, "absence"));
	printf(_("petitioned by %s\n"), s_(json_object_get(c, "petitioner"), "handle"));
	if (json_is_integer(json_object_get(c, "deadline"))) {
		day(i_(c, "deadline"), when, sizeof(when));
		printf(json_is_true(json_object_get(c, "overdue"))
		       ? _("recommendation due %s (overdue)\n") : _("recommendation due %s\n"), when);
	}
	if (json_is_integer(json_object_get(c, "review_at"))) {
		day(i_(c, "review_at"), when, sizeof(when));
		printf(json_is_true(json_object_get(c, "review_due"))
		       ? _("review on %s (due)\n") : _("review on %s\n"), when);
	}
	printf("%s\n", _("timeline:"));
	json_array_foreach(json_object_get(c, "steps"), i, v) {
		day(i_(v, "at"), when, sizeof(when));
		printf("  %s  %-*s ", when, cli_pad(s_(v, "step"), 24), s_(v, "step"));
		printf(_("by %s"), s_(v, "actor"));
		const json_t *m = json_object_get(v, "motion");
		if (json_is_object(m)) {
			printf(_(", motion %lld (%s)"), i_(m, "id"), s_(m, "status"));
			if (json_is_integer(json_object_get(m, "meeting")))
				printf(_(" at meeting %lld"), i_(m, "meeting"));
			printf("%s", _("; voted:"));
			json_array_foreach(json_object_get(m, "voters"), k, w)
				printf(" %s%s%s", s_(w, "handle"),
				       json_object_get(w, "position") ? "=" : "",
				       s_(w, "position"));
		}
		putchar('\n');
	}
	if (json_is_string(json_object_get(c, "findings")))
		printf(_("findings:\n%s\n"), s_(c, "findings"));
	json_array_foreach(json_object_get(c, "recommendations"), i, v) {
		const json_t *d = json_object_get(v, "diff");
		printf(_("recommendation %lld by %s (%s): %s, +%lld -%lld lines\n"), i_(v, "id"),
		       s_(json_object_get(v, "author"), "handle"), s_(v, "state"),
		       s_(v, "title"), i_(d, "added"), i_(d, "deleted"));
		json_array_foreach(json_object_get(d, "lines"), k, w) {
			const char *op = s_(w, "op");
			printf("    %c %s\n", !strcmp(op, "add") ? '+' : !strcmp(op, "del") ? '-' : ' ',
			       s_(w, "text"));
		}
	}
	const json_t *r = json_object_get(c, "remedy");
	if (json_is_object(r))
		printf(_("remedy in force: law %lld, version %lld\n"), i_(r, "law"),
		       i_(r, "version"));
	/* the witnesses scheduled at the assembly's meetings, and what the
	 * clerk recorded of each */
	const json_t *ts = json_object_get(c, "testimony");
	if (json_array_size(ts))
		printf("%s", _("testimony:\n"));
	json_array_foreach(ts, i, v) {
		const char *o = json_string_value(json_object_get(v, "outcome"));
		day(i_(v, "at"), when, sizeof(when));
		printf(_("  %lld  %s  at meeting %lld  %s%s%s: %s"), i_(v, "id"), when,
		       i_(v, "meeting"), s_(v, "name"),
		       json_is_string(json_object_get(v, "handle")) ? " @" : "",
		       json_is_string(json_object_get(v, "handle")) ? s_(v, "handle") : "",
		       !o ? _("scheduled") : !strcmp(o, "testified") ? _("testified")
		       : _("did not appear"));
		if (json_is_string(json_object_get(v, "summary")))
			printf(". %s", s_(v, "summary"));
		putchar('\n');
	}
	/* the evidence as the public sees it: a sealed piece is only when
	 * and why; each file with its BLAKE2b-256 hash (b2sum -l 256) */
	const json_t *ev = json_object_get(json_object_get(c, "evidence"), "evidence");
	if (json_array_size(ev))
		printf("%s\n", _("evidence:"));
	json_array_foreach(ev, i, v) {
		day(i_(v, "submitted_at"), when, sizeof(when));
		const json_t *who = json_object_get(v, "submitter");
		printf("  %lld  %s  ", i_(v, "id"), when);
		if (json_is_object(who))
			printf(_("by %s"), s_(who, "handle"));
		else
			printf("%s", _("by anonymous"));
		putchar('\n');
		const json_t *seal = json_object_get(v, "seal");
		if (json_is_object(seal)) {
			day(i_(seal, "at"), when, sizeof(when));
			printf(_("      sealed by decision of %s (motion %lld): %s\n"), when,
			       i_(seal, "motion"), s_(seal, "reasons"));
			continue;
		}
		printf(_("      text %s\n"), s_(v, "text_hash"));
		json_array_foreach(json_object_get(v, "files"), k, w)
			printf(_("      file %lld %s (%s, %lld bytes) %s\n"), i_(w, "n"),
			       s_(w, "name"), s_(w, "type"), i_(w, "size"), s_(w, "hash"));
	}
}

struct read_args {
	const struct gov_ctx *ctx;
	const char *polity, *state;
	int64_t id;
	json_t *out;
	struct px_error *err;
};

static int read_fn(struct store *s, void *arg)
{
	(void)s;
	struct read_args *a = arg;
	if (a->polity)
		return gov_case_list(a->ctx, a->polity, a->state, &a->out, a->err);
	json_t *ev = NULL;
	int rc = gov_case_get(a->ctx, a->id, &a->out, a->err);
	if (!rc && !(rc = gov_case_evidence_list(a->ctx, a->id, &ev, a->err)))
		json_object_set_new(a->out, "evidence", ev);
	return rc;
}

int cmd_case(int argc, char **argv)
{
	const char *db = NULL, *pos[2], *state = NULL;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "state", OPT_STRING, &state, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("case"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int list = npos == 2 && !strcmp(pos[0], "list");
	int show = npos == 2 && !strcmp(pos[0], "show");
	if (!list && !show)
		return cli_errorf("case", CLI_USAGE, "say 'list POLITY' or 'show ID'");
	if (state && !list)
		return cli_errorf("case", CLI_USAGE, "--state goes with list");
	char *end = NULL;
	long long id = show ? strtoll(pos[1], &end, 10) : 0;
	if (show && (!*pos[1] || *end || id < 1))
		return cli_errorf("case", CLI_USAGE, "a case is a number, not '%s'", pos[1]);
	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("case", &err);
	struct gov_ctx ctx = { .db = s, .now = lot_clock_now(s, (int64_t)time(NULL)),
			       .lang = cli_lang() };
	struct read_args a = { &ctx, list ? pos[1] : NULL, state, id, NULL, &err };
	rc = store_read(s, read_fn, &a);
	if (rc) {
		rc = cli_report_store("case", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(a.out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (list) {
		print_list(a.out);
	} else {
		print_case(a.out);
	}
	rc = CLI_OK;
out:
	json_decref(a.out);
	store_close(s);
	return rc;
}

int cmd_polity_civil_servant(int argc, char **argv)
{
	const char *db = NULL, *pos[3];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("polity"), opts, argc, argv, pos, 3, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 3 || strcmp(pos[0], "add"))
		return cli_errorf("polity", CLI_USAGE, "say 'civil-servant add POLITY HANDLE'");
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), 0, &s, &err))
		return cli_report("polity", &err);
	struct gov_ctx ctx = { .db = s, .now = lot_clock_now(s, (int64_t)time(NULL)),
			       .operator = 1, .lang = cli_lang() };
	if (gov_civil_servant_add(&ctx, pos[1], pos[2], &out, &err)) {
		rc = cli_report_store("polity", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else {
		printf(_("%s is a civil servant of %s: staff of the polity, never a member of its"
			 " assembly\n"), pos[2], pos[1]);
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}
