/*
 * cmd_standing.c: `pnyx standing [ENTERPRISE|@HANDLE] [--assembly SLUG]`:
 * good standing in the sharing economy (src/gov/economy/standing.c,
 * docs/economy.md). Reading only: a standing is decided by the local
 * assembly's motion decide_standing, at its meeting, never here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil.h"
#include "core/errors.h"
#include "gov/economy/economy.h"
#include "gov/lot/lot.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_standing_usage[] = N_(
	"usage: pnyx standing [--db PATH] [--json]\n"
	"       pnyx standing ENTERPRISE [--db PATH] [--json]\n"
	"       pnyx standing @HANDLE [--db PATH] [--json]\n"
	"       pnyx standing --assembly SLUG [--db PATH] [--json]\n\n"
	"The standing in the sharing economy that local assemblies decided: in good\n"
	"standing, on probation (what must change, by when), or not a member of the\n"
	"sharing economy (docs/economy.md). Without an argument, every enterprise and\n"
	"when its next review is due. ENTERPRISE: its standing and history. @HANDLE: a\n"
	"person's, and where it comes from (a decision by name, a basis they recorded,\n"
	"or the enterprises they work in). --assembly: a local assembly's standing\n"
	"review. Standings are decided by the assembly's motion decide_standing.\n");

static const char *words(const char *standing)
{
	if (!standing)
		return _("not decided yet");
	if (!strcmp(standing, "good"))
		return _("in good standing");
	if (!strcmp(standing, "probation"))
		return _("on probation");
	return _("not a member of the sharing economy");
}

/* The day of t (UTC) as the reader's language writes it, into buf[64], or "-" for 0. */
static const char *day(int64_t t, char buf[64])
{
	if (!t) {
		snprintf(buf, 64, "-");
		return buf;
	}
	return cli_day(t, buf);
}

static void print_decision(const json_t *d)
{
	char a[64], b[64];
	printf(_("  %s  %s, by %s (decision %lld: %s)\n"),
	       day(json_integer_value(json_object_get(d, "decided_at")), a),
	       words(json_string_value(json_object_get(d, "standing"))),
	       json_string_value(json_object_get(d, "assembly_name")),
	       (long long)json_integer_value(json_object_get(d, "motion")),
	       json_string_value(json_object_get(d, "title")));
	const char *must = json_string_value(json_object_get(d, "must_change"));
	if (must)
		printf(_("    must change by %s: %s\n"),
		       day(json_integer_value(json_object_get(d, "review_by")), b), must);
}

static void print_enterprise(const json_t *e)
{
	char a[64];
	size_t i;
	const json_t *v, *cur = json_object_get(e, "standing");
	printf("%s (%s): %s\n", json_string_value(json_object_get(e, "name")),
	       json_string_value(json_object_get(e, "enterprise")),
	       words(json_string_value(json_object_get(cur, "standing"))));
	int64_t due = json_integer_value(json_object_get(e, "due_at"));
	if (json_is_true(json_object_get(e, "review_open")))
		printf(_("review open since %s\n"), day(due, a));
	else if (due)
		printf(_("next review due %s\n"), day(due, a));
	else
		puts(_("no review cycle set by the local assembly"));
	if (json_array_size(json_object_get(e, "history")))
		puts(_("history:"));
	json_array_foreach(json_object_get(e, "history"), i, v)
		print_decision(v);
}

static void print_person(const json_t *p)
{
	size_t i;
	const json_t *v, *now = json_object_get(p, "standing");
	const char *src = json_string_value(json_object_get(now, "source"));
	printf("%s (@%s): %s\n", json_string_value(json_object_get(p, "display_name")),
	       json_string_value(json_object_get(p, "handle")),
	       words(json_string_value(json_object_get(now, "standing"))));
	if (!strcmp(src, "by_name"))
		puts(_("decided by name by the local assembly"));
	else if (!strcmp(src, "basis"))
		printf(_("contributes reasonably: %s\n"), json_string_value(json_object_get(
			json_object_get(p, "basis"), "basis")));
	else if (!strcmp(src, "enterprise"))
		printf(_("follows the standing of %s\n"),
		       json_string_value(json_object_get(now, "enterprise")));
	json_array_foreach(json_object_get(p, "enterprises"), i, v)
		printf(_("works in %s: %s\n"), json_string_value(json_object_get(v, "name")),
		       words(json_string_value(json_object_get(v, "standing"))));
	if (json_array_size(json_object_get(p, "history")))
		puts(_("decided by name:"));
	json_array_foreach(json_object_get(p, "history"), i, v)
		print_decision(v);
}

static void print_row(const json_t *e)
{
	char a[64];
	const json_t *cur = json_object_get(e, "standing");
	const json_t *slug = json_object_get(e, "enterprise");
	const char *name = json_string_value(slug ? slug : json_object_get(e, "slug"));
	const char *st = words(json_string_value(json_object_get(cur, "standing")));
	day(json_integer_value(json_object_get(e, "due_at")), a);
	printf("%-*s %-*s %-*s%s\n", cli_pad(name, 20), name, cli_pad(st, 36), st,
	       cli_pad(a, 12), a,
	       json_is_true(json_object_get(e, "review_open")) ? _(" (open)") : "");
}

/* What a person or an enterprise took from the sharing economy over the
 * review period, one good a line (src/gov/sharing/taken.c). */
static void print_taken(const char *who, const json_t *taken)
{
	size_t i;
	const json_t *x;
	const json_t *goods = json_object_get(taken, "goods");
	if (!json_array_size(goods)) {
		printf(_("  %s took nothing from the sharing economy\n"), who);
		return;
	}
	printf(_("  %s took from the sharing economy:\n"), who);
	json_array_foreach(goods, i, x) {
		int64_t takes = json_integer_value(json_object_get(x, "takes"));
		int64_t q = json_integer_value(json_object_get(x, "quantity"));
		int64_t rounds = json_integer_value(json_object_get(x, "rounds"));
		int64_t num = json_integer_value(json_object_get(x, "received_num"));
		int64_t den = json_integer_value(json_object_get(x, "received_den"));
		printf("    %s:", json_string_value(json_object_get(x, "name")));
		if (takes)
			printf(trn(cli_lang(), " %lld %s in %lld take", " %lld %s in %lld takes",
					(uint64_t)takes), (long long)q, json_string_value(
				json_object_get(x, q == 1 ? "unit" : "units")), (long long)takes);
		if (rounds) {
			if (den == 1)
				printf(trn(cli_lang(), "%s %lld %s from %lld round",
						"%s %lld %s from %lld rounds", (uint64_t)rounds),
				       takes ? "," : "", (long long)num, json_string_value(
					json_object_get(x, num == 1 ? "unit" : "units")),
				       (long long)rounds);
			else
				printf(trn(cli_lang(), "%s %lld/%lld %s from %lld round",
						"%s %lld/%lld %s from %lld rounds",
						(uint64_t)rounds), takes ? "," : "",
				       (long long)num, (long long)den, json_string_value(
					json_object_get(x, "units")), (long long)rounds);
		}
		printf("\n");
	}
}

int cmd_standing(int argc, char **argv)
{
	const char *db = NULL, *assembly = NULL, *pos[1];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "assembly", OPT_STRING, &assembly, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("standing"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos && assembly)
		return cli_errorf("standing", CLI_USAGE, "name an enterprise, a person"
				  " (@handle) or --assembly, one of them");
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL, *list = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("standing", &err);
	/* the server's time: the wall's, or a controlled clock's */
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(),
			       .now = lot_clock_now(s, (int64_t)time(NULL)) };
	const char *what = npos ? pos[0] : NULL;
	if (assembly) {
		rc = gov_standing_review(&ctx, assembly, &out, &err);
	} else if (what && what[0] == '@') {
		rc = gov_standing_person(&ctx, what + 1, &out, &err);
	} else if (what) {
		rc = gov_standing_enterprise(&ctx, what, &out, &err);
	} else {
		size_t i;
		json_t *e;
		rc = gov_enterprise_list(&ctx, NULL, &list, &err);
		out = json_array();
		json_array_foreach(list, i, e) {
			json_t *one = NULL;
			if (rc || (rc = gov_standing_enterprise(&ctx, json_string_value(
					json_object_get(e, "slug")), &one, &err)))
				break;
			json_object_del(one, "history");
			json_array_append_new(out, one);
		}
	}
	if (rc) {
		rc = cli_report_store("standing", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (assembly) {
		size_t i;
		const json_t *e, *cycle = json_object_get(out, "cycle");
		printf(_("standing review of %s\n"), json_string_value(json_object_get(out, "name")));
		if (json_is_object(cycle))
			printf(trn(cli_lang(), "each enterprise reviewed every %lld month\n",
				   "each enterprise reviewed every %lld months\n",
				   (uint64_t)json_integer_value(json_object_get(cycle, "months"))),
			       (long long)json_integer_value(json_object_get(cycle, "months")));
		else
			puts(_("no review cycle set yet (a motion on the review cycle sets it)"));
		printf("%-*s %-*s %s\n", cli_pad(_("ENTERPRISE"), 20), _("ENTERPRISE"),
		       cli_pad(_("STANDING"), 36), _("STANDING"), _("REVIEW DUE"));
		json_array_foreach(json_object_get(out, "enterprises"), i, e) {
			print_row(e);
			print_taken(json_string_value(json_object_get(e, "name")),
				    json_object_get(e, "taken"));
			size_t k;
			const json_t *m;
			json_array_foreach(json_object_get(e, "members"), k, m)
				print_taken(json_string_value(json_object_get(m, "display_name")),
					    json_object_get(m, "taken"));
		}
		json_array_foreach(json_object_get(out, "people"), i, e) {
			printf(_("%s (@%s), decided by name: %s\n"), json_string_value(
				json_object_get(e, "person_name")), json_string_value(
				json_object_get(e, "person")), words(json_string_value(
				json_object_get(e, "standing"))));
			print_taken(json_string_value(json_object_get(e, "person_name")),
				    json_object_get(e, "taken"));
		}
		json_array_foreach(json_object_get(out, "bases"), i, e) {
			printf(_("%s (@%s), contributing as %s\n"), json_string_value(
				json_object_get(e, "display_name")), json_string_value(
				json_object_get(e, "handle")), json_string_value(
				json_object_get(e, "basis")));
			print_taken(json_string_value(json_object_get(e, "display_name")),
				    json_object_get(e, "taken"));
		}
		json_array_foreach(json_object_get(out, "pending"), i, e)
			printf(_("on the agenda: decision %lld, %s\n"), (long long)json_integer_value(
				json_object_get(e, "motion")),
				json_string_value(json_object_get(e, "title")));
	} else if (what && what[0] == '@') {
		print_person(out);
	} else if (what) {
		print_enterprise(out);
	} else {
		size_t i;
		const json_t *e;
		printf("%-*s %-*s %s\n", cli_pad(_("ENTERPRISE"), 20), _("ENTERPRISE"),
		       cli_pad(_("STANDING"), 36), _("STANDING"), _("REVIEW DUE"));
		json_array_foreach(out, i, e)
			print_row(e);
	}
	rc = CLI_OK;
out:
	store_close(s);
	json_decref(out);
	json_decref(list);
	return rc;
}
