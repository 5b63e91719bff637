/*
 * cmd_economy_rounds.c: the forms of `pnyx economy` about an assembly's
 * rounds as a whole (src/gov/sharing/rounds_batch.c, dashboard.c;
 * docs/sharing.md):
 *   pnyx economy dashboard ASSEMBLY       the assembly's economy: its scarce
 *                                         goods and policies, its rounds,
 *                                         the need left unmet
 *   pnyx economy close-due ASSEMBLY       every round due, closed at once
 *   pnyx economy draw-due ASSEMBLY --source TEXT
 *                                         every round waiting for its seed
 *   pnyx economy rank GOOD --ranking 4,7,3
 *                                         ask in a round of alternatives
 *   pnyx economy seed-bench ASSEMBLY --requests N --goods N --seed TEXT
 *                                         bench/economy/round only
 *                                         (hidden: not in the usage)
 * cmd_economy hands these verbs here (cmd_economy_more_owns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil.h"
#include "core/errors.h"
#include "gov/lot/lot.h" /* lot_clock_now: a controlled clock, as the server reads it */
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

int cmd_economy_more_owns(const char *verb)
{
	static const char *const verbs[] = { "dashboard", "close-due", "draw-due", "rank",
					     "seed-bench", NULL };
	for (const char *const *v = verbs; verb && *v; v++)
		if (!strcmp(*v, verb))
			return 1;
	return 0;
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

static const char *day(int64_t t, char buf[64])
{
	return cli_day(t, buf);
}

/* "12 loaves", or "2 1/2 kg" for a fraction num/den of the unit. */
static void quantity(const json_t *o, const char *numk, const char *denk, const json_t *good,
		     char *buf, size_t size)
{
	long long n = num(o, numk), d = denk ? num(o, denk) : 1;
	if (d <= 1 || n % d == 0) {
		long long w = d > 1 ? n / d : n;
		snprintf(buf, size, "%lld %s", w, str(good, w == 1 ? "unit" : "units"));
	} else if (n > d) {
		snprintf(buf, size, "%lld %lld/%lld %s", n / d, n % d, d, str(good, "units"));
	} else {
		snprintf(buf, size, "%lld/%lld %s", n, d, str(good, "unit"));
	}
}

static void print_dashboard(const json_t *o)
{
	size_t i, j;
	const json_t *g, *x;
	char a[96], b[96], c[96], d[64];
	char goods[96], rounds[96];
	snprintf(goods, sizeof(goods), trn(cli_lang(), "%lld good declared scarce",
					  "%lld goods declared scarce",
					  (uint64_t)num(o, "scarce_goods")), num(o, "scarce_goods"));
	snprintf(rounds, sizeof(rounds), trn(cli_lang(), "%lld round shared", "%lld rounds shared",
					    (uint64_t)num(o, "rounds_allocated")),
		 num(o, "rounds_allocated"));
	/* TRANSLATORS: an assembly, how many goods are scarce, how many
	 * rounds were shared */
	printf(_("%s: %s, %s\n"), str(o, "assembly_name"), goods, rounds);
	json_array_foreach(json_object_get(o, "goods"), i, g) {
		printf(json_is_true(json_object_get(g, "scarce")) ? _("\n%s (%s, good %lld)\n")
		       : _("\n%s (%s, good %lld), scarcity lifted\n"), str(g, "name"),
		       str(g, "enterprise_name"), num(g, "id"));
		printf("%s", _("  policy: "));
		json_array_foreach(json_object_get(g, "categories"), j, x)
			printf("%s%s %lld%%", j ? "; " : "", str(x, "name"), num(x, "share"));
		if (num(g, "cap"))
			printf(_("; at most %lld a person"), num(g, "cap"));
		printf(trn(cli_lang(), "; rounds of %lld day\n", "; rounds of %lld days\n",
			   (uint64_t)num(g, "round_days")), num(g, "round_days"));
		json_array_foreach(json_object_get(g, "rounds"), j, x) {
			quantity(x, "supply", NULL, g, a, sizeof(a));
			quantity(x, "requested", NULL, g, b, sizeof(b));
			quantity(x, "shared", NULL, g, c, sizeof(c));
			printf(_("  round %lld, closed %s: supply %s, asked %s, shared %s\n"),
			       num(x, "id"), day(num(x, "closed_at"), d), a, b, c);
		}
		if (!json_array_size(json_object_get(g, "rounds")))
			printf("%s", _("  no round closed yet\n"));
	}
	printf("%s", _("\nneed left unmet, by category (every closed round):\n"));
	json_array_foreach(json_object_get(o, "unmet"), i, x)
		printf(trn(cli_lang(), "  %-*s %lld request: %lld received all they asked, %lld"
			   " part, %lld nothing\n", "  %-*s %lld requests: %lld received all they"
			   " asked, %lld part, %lld nothing\n", (uint64_t)num(x, "requests")),
		       cli_pad(str(x, "category"), 32), str(x, "category"), num(x, "requests"),
		       num(x, "met"), num(x, "partly"), num(x, "none"));
	if (!json_array_size(json_object_get(o, "unmet")))
		printf("%s", _("  none yet\n"));
}

int cmd_economy_more(int argc, char **argv)
{
	const char *db = NULL, *token = NULL, *source = NULL, *seed = "bench:economy";
	const char *pos[2], *ranking = NULL;
	int64_t requests = 1000000, goods = 10000;
	int json = 0, each = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "source", OPT_STRING, &source, 0, 0 },
		{ "each", OPT_FLAG, &each, 0, 0 },
		{ "requests", OPT_INT, &requests, 1, 100000000 },
		{ "goods", OPT_INT, &goods, 2, 10000000 },
		{ "seed", OPT_STRING, &seed, 0, 0 },
		{ "ranking", OPT_STRING, &ranking, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("economy"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 2)
		return cli_errorf("economy", CLI_USAGE, "name the assembly: pnyx economy %s"
				  " ASSEMBLY", pos[0]);
	const char *verb = pos[0];
	int rank = !strcmp(verb, "rank");
	int act = !strcmp(verb, "close-due") || !strcmp(verb, "draw-due") || rank;
	int bench = !strcmp(verb, "seed-bench");
	if (act && !token)
		token = getenv("PNYX_TOKEN");
	if (act && (!token || !*token))
		return cli_errorf("economy", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a session token, from signing in)");
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), act || bench ? 0 : STORE_READONLY, &s, &err))
		return cli_report("economy", &err);
	struct gov_ctx ctx = { .db = s, .now = lot_clock_now(s, (int64_t)time(NULL)) };
	if (act && gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("economy", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	if (rank) {
		/* "4, 7,3": the goods' numbers, best first */
		json_t *list = json_array();
		const char *p = ranking ? ranking : "";
		char *end = NULL;
		while (list && *p) {
			if (*p == ',' || *p == ' ') {
				p++;
				continue;
			}
			long long v = strtoll(p, &end, 10);
			if (end == p || v < 1) {
				json_decref(list);
				rc = cli_errorf("economy", CLI_USAGE, "--ranking lists goods' numbers,"
						" best first, separated by commas: 4,7");
				goto out;
			}
			json_array_append_new(list, json_integer(v));
			p = end;
		}
		char *e2 = NULL;
		long long good = strtoll(pos[1], &e2, 10);
		if (!e2 || *e2 || good < 1) {
			json_decref(list);
			rc = cli_errorf("economy", CLI_USAGE, "GOOD is a good's number");
			goto out;
		}
		rc = gov_round_rank(&ctx, good, list, &out, &err);
		json_decref(list);
	} else if (bench)
		rc = gov_sharing_seed_bench(s, pos[1], requests, goods, seed, ctx.now, &out, &err);
	else if (!strcmp(verb, "close-due"))
		rc = gov_rounds_close_due(&ctx, pos[1], each, &out, &err);
	else if (!strcmp(verb, "draw-due"))
		rc = gov_rounds_draw_due(&ctx, pos[1], source, each, &out, &err);
	else
		rc = gov_economy_dashboard(&ctx, pos[1], &out, &err);
	if (rc) {
		rc = cli_report_store("economy", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (rank) {
		printf(_("asked in round %lld; keep your receipt to find your request in the"
			 " published round: --receipt %s --salt %s\n"), num(out, "round"),
		       str(out, "handle"), str(out, "salt"));
	} else if (bench) {
		printf(_("seeded %lld requests over %lld goods, from %lld people\n"),
		       num(out, "requests"), num(out, "goods"), num(out, "people"));
	} else if (act) {
		long long n = num(out, "rounds");
		printf(strcmp(verb, "close-due")
		       ? trn(cli_lang(), "drew %lld round (%lld requests)\n",
			     "drew %lld rounds (%lld requests)\n", (uint64_t)n)
		       : trn(cli_lang(), "closed %lld round (%lld requests)\n",
			     "closed %lld rounds (%lld requests)\n", (uint64_t)n),
		       n, num(out, "requests"));
	} else {
		print_dashboard(out);
	}
out:
	json_decref(out);
	store_close(s);
	return rc;
}
