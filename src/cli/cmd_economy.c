/*
 * cmd_economy.c: `pnyx economy ...`: the sharing economy (src/gov/sharing,
 * docs/sharing.md). Reading is anyone's: the economies, a register with
 * its filters, one good with who took it, what a person took. Offering,
 * updating stock, taking, returning and opting out act as a signed-in
 * person (--token, or $PNYX_TOKEN), under exactly the rules the API
 * applies. Joining an economy is a local assembly's decision (its motion
 * join_sharing_economy), never a command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil.h"
#include "core/errors.h"
#include "gov/lot/lot.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "store/store.h"
#include "cli.h"
#include "cmd_household.h"
#include "commands.h"
#include "banned.h"

const char cmd_economy_usage[] = N_(
	"usage: pnyx economy [--db PATH] [--json]\n"
	"       pnyx economy SLUG [--search WORDS] [--kind KIND] [--enterprise SLUG]\n"
	"       pnyx economy good ID\n"
	"       pnyx economy loans ID\n"
	"       pnyx economy takes @HANDLE\n"
	"       pnyx economy offer ENTERPRISE --kind KIND --name NAME --stock N\n"
	"                    [--unit ONE --units MANY] [--description TEXT]\n"
	"                    [--condition TEXT --location TEXT]\n"
	"       pnyx economy stock ID --stock N [--note TEXT]\n"
	"       pnyx economy take ID --quantity N [--for ENTERPRISE]\n"
	"       pnyx economy return ID [--condition NOTE] | renew ID | collect ID\n"
	"       pnyx economy request ID --category NAME --amount N\n"
	"                    [--evidence-text TEXT] [--evidence FILE]...\n"
	"       pnyx economy evidence REQUEST [--file N --out PATH]\n"
	"       pnyx economy review REQUEST --accept|--refuse --reason TEXT\n"
	"       pnyx economy round ROUND\n"
	"       pnyx economy close ROUND\n"
	"       pnyx economy draw ROUND --source TEXT\n"
	"       pnyx economy rank GOOD --ranking GOOD,GOOD,...\n"
	"       pnyx economy dashboard ASSEMBLY\n"
	"       pnyx economy close-due ASSEMBLY [--each]\n"
	"       pnyx economy draw-due ASSEMBLY --source TEXT\n"
	"       pnyx economy opt-out | opt-in\n"
	"       pnyx economy household|barter|confirm|allotments ...\n"
	"                    (households, barter, allotments: pnyx economy household --help)\n\n"
	"The sharing economy: what enterprises in good standing offer, and what\n"
	"members in good standing take, with nothing but a record (docs/sharing.md).\n"
	"Without an argument, the economies and the local assemblies that joined each.\n"
	"SLUG: its register, filtered by words, kind (product, item or service) or\n"
	"enterprise. good: one good, its stock and who took it. loans: a unique\n"
	"item's loan history (who held it when, renewals, returns with notes on its\n"
	"condition, holds). takes: what a person\n"
	"took. A scarce good is shared in rounds: request asks under a category of\n"
	"need, round shows one (verify it with pnyx verify round), close ends it on\n"
	"its date and draw enters the public source of its seed; rank asks in a\n"
	"round of alternatives, ranking the goods one would accept; close-due closes\n"
	"every round of the assembly whose date has passed, at once, and draw-due\n"
	"draws every one waiting for its seed from one source. dashboard: the\n"
	"assembly's scarce goods, its rounds and the need left unmet. A unique item lent\n"
	"for a time is renewed while nobody else asked for it; one won in a round\n"
	"waits for its winner to collect it before the hold expires. offer, stock,\n"
	"take, return, renew, collect, request, close, draw, opt-out and opt-in act\n"
	"as you: the token is --token or $PNYX_TOKEN (POST /api/v1/sessions gives\n"
	"one). Every command takes --db PATH and --json.\n");

/* The day of t (UTC) as the reader's language writes it, into buf[64]. */
static const char *day(int64_t t, char buf[64])
{
	return cli_day(t, buf);
}

static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static long long num(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* "1 loaf", "12 loaves": the unit that fits the count. */
static void amount(long long n, const json_t *o, char *buf, size_t size)
{
	snprintf(buf, size, "%lld %s", n, str(o, n == 1 ? "unit" : "units"));
}

/* A round's state in words. */
static const char *round_state(const char *state)
{
	return !strcmp(state, "open") ? _("open for requests")
	       : !strcmp(state, "due") ? _("closed for requests, to be counted")
	       : !strcmp(state, "waiting_for_seed") ? _("counted, waiting for the seed")
	       : !strcmp(state, "allocated") ? _("allocated") : state;
}

static void print_good(const json_t *g)
{
	char a[80];
	const char *kind = str(g, "kind");
	if (!strcmp(kind, "item")) {
		const char *holder = str(g, "holder");
		if (*holder)
			printf(_("%6lld  %-*s item, held by @%s  (%s)\n"), num(g, "id"),
			       cli_pad(str(g, "name"), 32), str(g, "name"), holder,
			       str(g, "enterprise_name"));
		else
			printf(_("%6lld  %-*s item, available  (%s)\n"), num(g, "id"),
			       cli_pad(str(g, "name"), 32), str(g, "name"),
			       str(g, "enterprise_name"));
		return;
	}
	amount(num(g, "stock"), g, a, sizeof(a));
	printf(strcmp(kind, "service") ? _("%6lld  %-*s %s in stock  (%s)\n")
	       : _("%6lld  %-*s %s available  (%s)\n"), num(g, "id"),
	       cli_pad(str(g, "name"), 32), str(g, "name"), a, str(g, "enterprise_name"));
}

static void print_take(const json_t *t)
{
	char a[80], d[64];
	amount(num(t, "quantity"), t, a, sizeof(a));
	if (json_is_string(json_object_get(t, "on_behalf")))
		printf(_("  %s  @%s took %s of %s for %s"), day(num(t, "at"), d), str(t, "by"), a,
		       str(t, "good_name"), str(t, "on_behalf_name"));
	else
		printf(_("  %s  @%s took %s of %s"), day(num(t, "at"), d), str(t, "by"), a,
		       str(t, "good_name"));
	puts(json_is_integer(json_object_get(t, "returned_at")) ? _(" (returned)") : "");
}

/* Who declared each of the good's policies (newest first), whether it
 * came from a federation's proposal, and who asks in its rounds now. */
static void print_policies(const json_t *g)
{
	size_t i, k;
	const json_t *p, *x;
	json_array_foreach(json_object_get(g, "policies"), i, p) {
		if (json_is_integer(json_object_get(p, "proposal")))
			printf(_("  scarce by decision %lld of %s, accepting proposal %lld of %s"),
			       num(p, "decision"), str(p, "assembly"), num(p, "proposal"),
			       str(p, "federation"));
		else
			printf(_("  scarce by decision %lld of %s"), num(p, "decision"),
			       str(p, "assembly"));
		if (json_is_integer(json_object_get(p, "lifted_by")))
			printf(_(", lifted by decision %lld\n"), num(p, "lifted_by"));
		else
			printf("\n");
		if (!json_array_size(json_object_get(p, "pool")))
			continue;
		printf("%s", _("  its rounds take requests from the members of:"));
		json_array_foreach(json_object_get(p, "pool"), k, x)
			printf(" %s", str(x, "slug"));
		printf("\n");
	}
}

/* An item's loan history, newest first: each holding, then the holds. */
static void print_loans(const json_t *o)
{
	char d[64], e[64];
	size_t i;
	const json_t *x;
	printf(_("%s (%s): its loans\n"), str(o, "name"), str(o, "enterprise_name"));
	if (*str(o, "condition"))
		printf(_("condition when offered: %s\n"), str(o, "condition"));
	json_array_foreach(json_object_get(o, "loans"), i, x) {
		const char *how = str(x, "how");
		printf(!strcmp(how, "round") ? _("  %s  @%s, won in round %lld")
		       : !strcmp(how, "hold") ? _("  %s  @%s, collected (round %lld)")
		       : _("  %s  @%s, taken"), day(num(x, "from"), d), str(x, "holder"),
		       num(x, "round"));
		if (json_is_integer(json_object_get(x, "returned_at")))
			printf(_(", returned %s"), day(num(x, "returned_at"), e));
		else if (json_is_integer(json_object_get(x, "due_at")))
			printf(_(", holds it until %s"), day(num(x, "due_at"), e));
		else
			printf("%s", _(", holds it"));
		if (num(x, "renewals"))
			printf(trn(cli_lang(), " (renewed %lld time)", " (renewed %lld times)",
				   (uint64_t)num(x, "renewals")), num(x, "renewals"));
		if (json_is_true(json_object_get(x, "late")))
			printf("%s", _(" (late)"));
		puts("");
		if (*str(x, "condition_note"))
			printf(_("      condition: %s\n"), str(x, "condition_note"));
	}
	if (!json_array_size(json_object_get(o, "loans")))
		puts(_("  nobody has held it yet"));
	json_array_foreach(json_object_get(o, "holds"), i, x)
		printf(_("  hold for @%s from %s (round %lld): %s\n"), str(x, "for"),
		       day(num(x, "since"), d), num(x, "round"),
		       !strcmp(str(x, "state"), "waiting") ? _("waiting")
		       : !strcmp(str(x, "state"), "collected") ? _("collected") : _("expired"));
}

static void print_economy(const json_t *e)
{
	size_t i;
	const json_t *x;
	const json_t *goods = json_object_get(e, "goods");
	/* a register lists its goods (those its filters kept); a list counts them */
	long long n = json_is_array(goods) ? (long long)json_array_size(goods) : num(e, "goods");
	printf(json_is_array(goods) ? trn(cli_lang(), "%s (%s): %lld good listed\n",
					  "%s (%s): %lld goods listed\n", (uint64_t)n)
	       : trn(cli_lang(), "%s (%s): %lld good offered\n", "%s (%s): %lld goods offered\n",
		     (uint64_t)n), str(e, "name"), str(e, "slug"), n);
	json_array_foreach(json_object_get(e, "assemblies"), i, x)
		printf(_("  joined by %s (%s), decision %lld\n"), str(x, "name"), str(x, "slug"),
		       num(x, "decision"));
}

static void print_out(const char *what, const json_t *out)
{
	size_t i;
	const json_t *x;
	if (!what) {
		json_array_foreach(json_object_get(out, "economies"), i, x)
			print_economy(x);
		if (!json_array_size(json_object_get(out, "economies")))
			puts(_("no sharing economy yet: a local assembly founds one by its"
			       " decision to join a sharing economy"));
	} else if (!strcmp(what, "register")) {
		print_economy(out);
		json_array_foreach(json_object_get(out, "goods"), i, x)
			print_good(x);
	} else if (!strcmp(what, "good")) {
		print_good(out);
		const char *d = str(out, "description");
		if (*d)
			printf("%s\n", d);
		print_policies(out);
		json_array_foreach(json_object_get(out, "takes"), i, x)
			print_take(x);
	} else if (!strcmp(what, "loans")) {
		print_loans(out);
	} else if (!strcmp(what, "take")) {
		print_take(out);
	} else if (!strcmp(what, "takes")) {
		json_array_foreach(json_object_get(out, "takes"), i, x)
			print_take(x);
	} else if (!strcmp(what, "receipt")) {
		printf(_("asked in round %lld; keep your receipt to find your request in the"
			 " published round: --receipt %s --salt %s\n"), num(out, "round"),
		       str(out, "handle"), str(out, "salt"));
	} else if (!strcmp(what, "round")) {
		printf(_("round %lld of %s: %s\n"), num(out, "id"), str(out, "good_name"),
		       round_state(str(out, "state")));
		json_array_foreach(json_object_get(out, "figures"), i, x)
			printf(_("  %s: reserved %lld, asked %lld, received %lld\n"),
			       str(json_array_get(json_object_get(out, "categories"), i), "name"),
			       num(x, "reserve"), num(x, "demand"), num(x, "total"));
		if (json_is_string(json_object_get(out, "commitment")))
			printf(_("commitment %s\n"), str(out, "commitment"));
		if (json_is_string(json_object_get(out, "result_hash")))
			printf(_("result %s\n"), str(out, "result_hash"));
	} else if (!strcmp(what, "me")) {
		puts(json_is_true(json_object_get(out, "opted_out"))
		     ? _("you opted out of the sharing economy")
		     : _("you are in the sharing economy"));
	}
}

int cmd_economy(int argc, char **argv)
{
	const char *db = NULL, *token = NULL, *search = NULL, *kind = NULL, *ent = NULL;
	const char *name = NULL, *unit = NULL, *units = NULL, *desc = NULL, *cond = NULL;
	const char *loc = NULL, *note = NULL, *behalf = NULL, *pos[2];
	const char *category = NULL, *source = NULL, *ev_text = NULL;
	struct cli_list ev_files = { .n = 0 };
	int64_t stock = -1, quantity = 0, id = 0, amount = 0;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "search", OPT_STRING, &search, 0, 0 },
		{ "kind", OPT_STRING, &kind, 0, 0 },
		{ "enterprise", OPT_STRING, &ent, 0, 0 },
		{ "name", OPT_STRING, &name, 0, 0 },
		{ "unit", OPT_STRING, &unit, 0, 0 },
		{ "units", OPT_STRING, &units, 0, 0 },
		{ "description", OPT_STRING, &desc, 0, 0 },
		{ "condition", OPT_STRING, &cond, 0, 0 },
		{ "location", OPT_STRING, &loc, 0, 0 },
		{ "stock", OPT_INT, &stock, 0, SHARING_STOCK_MAX },
		{ "note", OPT_STRING, &note, 0, 0 },
		{ "quantity", OPT_INT, &quantity, 1, SHARING_STOCK_MAX },
		{ "for", OPT_STRING, &behalf, 0, 0 },
		{ "category", OPT_STRING, &category, 0, 0 },
		{ "amount", OPT_INT, &amount, 1, SHARING_STOCK_MAX },
		{ "source", OPT_STRING, &source, 0, 0 },
		{ "evidence-text", OPT_STRING, &ev_text, 0, 0 },
		{ "evidence", OPT_LIST, &ev_files, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	struct economy_evidence ev = { 0 };
	size_t npos;
	if (economy_household_verb(argc, argv))
		return economy_household(argc, argv);
	/* the first word that is no option's value names the form */
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-') {
			i += argv[i][1] == '-' && !strchr(argv[i], '=') && strcmp(argv[i], "--json")
			     && strcmp(argv[i], "--each") && strcmp(argv[i], "--help");
			continue;
		}
		if (cmd_economy_more_owns(argv[i]))
			return cmd_economy_more(argc, argv);
		if (cmd_economy_need_owns(argv[i]))
			return cmd_economy_need(argc, argv);
		break;
	}
	int rc = cli_parse(cli_find("economy"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	const char *verb = npos ? pos[0] : NULL;
	static const char *const acts[] = { "offer", "stock", "take", "return", "opt-out",
					    "opt-in", "request", "close", "draw", "renew",
					    "collect", NULL };
	int act = 0, with_id = 0;
	for (const char *const *a = acts; verb && *a; a++)
		act |= !strcmp(*a, verb);
	static const char *const by_id[] = { "good", "loans", "stock", "take", "return", "request",
					     "round", "close", "draw", "renew", "collect", NULL };
	for (const char *const *a = by_id; verb && *a; a++)
		with_id |= !strcmp(*a, verb);
	int needs_arg = with_id || (verb && (!strcmp(verb, "takes") || !strcmp(verb, "offer")));
	int no_arg = verb && (!strcmp(verb, "opt-out") || !strcmp(verb, "opt-in"));
	if ((needs_arg && npos != 2) || (no_arg && npos != 1) ||
	    (!needs_arg && !no_arg && npos > 1))
		return cli_errorf("economy", CLI_USAGE, "see pnyx economy --help for what"
				  " each form takes");
	if (with_id) {
		char *end = NULL;
		long long v = strtoll(pos[1], &end, 10);
		if (!end || *end || v < 1)
			return cli_errorf("economy", CLI_USAGE, "ID is a good's number");
		id = v;
	}
	if (verb && !strcmp(verb, "takes") && pos[1][0] != '@')
		return cli_errorf("economy", CLI_USAGE, "takes names a person: @HANDLE");
	if (act && !token)
		token = getenv("PNYX_TOKEN");
	if (act && (!token || !*token))
		return cli_errorf("economy", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a session token, from signing in)");
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), act ? 0 : STORE_READONLY, &s, &err))
		return cli_report("economy", &err);
	/* the server's time: the wall's, or a controlled clock's */
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(),
			       .now = lot_clock_now(s, (int64_t)time(NULL)) };
	if (act && gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("economy", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	const char *shape = "register";
	if (!verb) {
		json_t *list = NULL;
		shape = NULL;
		rc = gov_sharing_list(&ctx, &list, &err);
		if (!rc)
			out = json_pack("{s:o}", "economies", list);
	} else if (!strcmp(verb, "good")) {
		shape = "good";
		rc = gov_good_get(&ctx, id, &out, &err);
	} else if (!strcmp(verb, "loans")) {
		shape = "loans";
		rc = gov_good_loans(&ctx, id, &out, &err);
	} else if (!strcmp(verb, "takes")) {
		shape = "takes";
		rc = gov_sharing_takes(&ctx, pos[1] + 1, &out, &err);
	} else if (!strcmp(verb, "offer")) {
		struct good_in g = { kind, name, desc, unit, units, cond, loc, stock };
		shape = "good";
		if (stock < 0)
			rc = px_fail(&err, PX_E_MISSING_FIELD, "stock", "how much there is:"
				     " --stock N");
		else
			rc = gov_good_offer(&ctx, pos[1], &g, &out, &err);
	} else if (!strcmp(verb, "stock")) {
		shape = "good";
		if (stock < 0)
			rc = px_fail(&err, PX_E_MISSING_FIELD, "stock", "how much there is now:"
				     " --stock N");
		else
			rc = gov_good_stock(&ctx, id, stock, note, &out, &err);
	} else if (!strcmp(verb, "take")) {
		shape = "take";
		rc = gov_good_take(&ctx, id, quantity ? quantity : 1, behalf, &out, &err);
	} else if (!strcmp(verb, "request")) {
		shape = "receipt";
		/* evidence of need, when the category asks it (need.c) */
		if ((ev_text || ev_files.n) &&
		    (rc = economy_evidence_read(ev_text, &ev_files, &ev))) {
			rc = CLI_USAGE;
			goto out;
		}
		rc = gov_round_request(&ctx, id, category, amount ? amount : 1,
				       ev_text || ev_files.n ? &ev.in : NULL, &out, &err);
	} else if (!strcmp(verb, "round")) {
		shape = "round";
		rc = gov_round_get(&ctx, id, &out, &err);
	} else if (!strcmp(verb, "close")) {
		shape = "round";
		rc = gov_round_close(&ctx, id, &out, &err);
	} else if (!strcmp(verb, "draw")) {
		shape = "round";
		rc = gov_round_draw(&ctx, id, source, &out, &err);
	} else if (!strcmp(verb, "return")) {
		shape = "good";
		rc = gov_good_return(&ctx, id, cond, &out, &err);
	} else if (!strcmp(verb, "renew")) {
		shape = "good";
		rc = gov_good_renew(&ctx, id, &out, &err);
	} else if (!strcmp(verb, "collect")) {
		shape = "good";
		rc = gov_good_collect(&ctx, id, &out, &err);
	} else if (no_arg) {
		shape = "me";
		rc = gov_sharing_opt(&ctx, !strcmp(verb, "opt-out"), &out, &err);
	} else {
		struct register_filter f = { search, kind, ent };
		rc = gov_sharing_get(&ctx, verb, &f, &out, &err);
	}
	if (rc) {
		rc = cli_report_store("economy", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else {
		print_out(shape, out);
	}
out:
	economy_evidence_release(&ev);
	json_decref(out);
	store_close(s);
	return rc;
}
