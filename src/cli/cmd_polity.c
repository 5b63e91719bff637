/*
 * cmd_polity.c: `pnyx polity add|list|show`. The operator registers a
 * polity, its region and its number of seats (src/gov/lot/polity.c);
 * never its members, its seats' holders or its decisions: no command
 * does, and the number of seats is fixed at registration (only the
 * polity's assembly may change it, by decision, within 1..150).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil.h"
#include "core/errors.h"
#include "core/num.h"
#include "gov/cases/cases.h"
#include "gov/lot/lot.h"
#include "gov/people/people.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "verify.h"
#include "banned.h"

const char cmd_polity_usage[] = N_(
	"usage: pnyx polity add SLUG --name NAME --description TEXT --region REGION\n"
	"                       --seats S [--cohorts C] [--widest] [--seed-source TEXT]\n"
	"                       [--quotas TEXT] [--db PATH] [--json]\n"
	"       pnyx polity list [--db PATH] [--json]\n"
	"       pnyx polity show SLUG [--db PATH] [--json]\n"
	"       pnyx polity pool SLUG [--db PATH] [--json]\n"
	"       pnyx polity draw SLUG --seed TEXT [--renewal ID] [--token TOKEN]\n"
	"                       [--db PATH] [--json]\n"
	"       pnyx polity renew SLUG --at DATE [--db PATH]\n"
	"       pnyx polity civil-servant add SLUG HANDLE [--db PATH] [--json]\n"
	"       pnyx polity verify SLUG [--renewal ID | --all] --server URL [--json]\n"
	"                          [--receipt HANDLE --salt HEX]\n\n"
	"A polity is an issue domain (\"East Coast fishing rights\") over a\n"
	"region; everyone whose community is in the region belongs to it\n"
	"(docs/polities.md). Registering one founds its assembly, of the same\n"
	"slug: S seats (1 to 150) in C cohorts (1, 2, 3 or 6; default 6, or\n"
	"fewer when S is smaller), with six-year terms, the first ones\n"
	"staggered (cohort i's first term is i * 6 / C years) so that part of the\n"
	"assembly is renewed at a time. Its seats begin empty: they are filled\n"
	"by lot from the polity's citizens. --widest marks the one polity for\n"
	"questions of human rights (one per deployment).\n"
	"list and show give counts of residents and citizens, never who.\n"
	"--seed-source names, once and for all at registration, the public event\n"
	"whose result seeds every draw (default: dice thrown at the public\n"
	"drawing session, entered by its witnesses).\n"
	"--quotas names, once at registration, the quotas of each cohort's draw\n"
	"until the polity's assembly decides others: seats per value of the\n"
	"residents' declared profile, 'category: value min-max, value min-max;\n"
	"category: ...' (e.g. 'gender: women 2-3, men 2-3'). A renewal with\n"
	"quotas is drawn by LEXIMIN and a lottery of panels (docs/polities.md).\n"
	"pool: how many are in the pool of the next renewal now, and its\n"
	"commitment once committed (the clock commits it before the draw date).\n"
	"draw: enter the seed text as a witness (a citizen of the polity or a\n"
	"member of its assembly, with a session token: --token or $PNYX_TOKEN),\n"
	"from the draw date; when enough witnesses entered the same text, the\n"
	"draw is made and printed. --renewal: which one (default: the oldest\n"
	"waiting for its seed).\n"
	"renew: on a database with a controlled clock only (pnyx init\n"
	"--controlled-clock: simulation and tests), move the clock forward to\n"
	"DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], UTC, or @UNIXSECONDS) and run\n"
	"the polity's renewals up to it. On a real server renewals run by\n"
	"themselves on their dates; nobody calls or skips them. The reviews of\n"
	"remedies in force whose date has come open on the same clock\n"
	"(docs/cases.md).\n"
	"civil-servant add registers HANDLE in the polity's civil service: staff\n"
	"who write the remedies its assembly asks for (docs/cases.md); never a\n"
	"member of its assembly, never in the pool of its draws.\n"
	"verify checks a renewal (the latest drawn, or --renewal ID) from what the\n"
	"server at URL publishes, as pnyx verify --record does: its record hashes\n"
	"to its commitment and the seed ranks exactly the leaves it says were\n"
	"drawn (with quotas: LEXIMIN recomputed, the lottery's panels meet every\n"
	"quota and hash to its commitment, the seed picks the panel drawn and\n"
	"ranks the alternates); --all checks every renewal of the polity, oldest first; with\n"
	"--receipt and --salt, that a person is in its pool. Exit 0\n"
	"when everything matches, 1 at the first difference, 2 when unreadable.\n");

static void print_polity(const json_t *p)
{
	size_t i;
	json_t *v;
	char day[64];
	printf("%s: %s%s\n", json_string_value(json_object_get(p, "slug")),
	       json_string_value(json_object_get(p, "name")),
	       json_is_true(json_object_get(p, "widest")) ? _(" (the widest polity)") : "");
	printf("%s\n", json_string_value(json_object_get(p, "description")));
	const json_t *region = json_object_get(p, "region");
	char num[32];
	printf(_("region %s (%s): %zu communities, population %s\n"),
	       json_string_value(json_object_get(region, "slug")),
	       json_string_value(json_object_get(region, "name")),
	       json_array_size(json_object_get(region, "communities")),
	       cli_number(json_integer_value(json_object_get(region, "population")), num));
	printf(_("residents %lld, citizens %lld\n"),
	       (long long)json_integer_value(json_object_get(p, "residents")),
	       (long long)json_integer_value(json_object_get(p, "citizens")));
	size_t now = json_array_size(json_object_get(p, "seat_list"));
	printf(_("assembly %s: %lld seats in %lld cohorts"),
	       json_string_value(json_object_get(p, "assembly")),
	       (long long)json_integer_value(json_object_get(p, "seats")),
	       (long long)json_integer_value(json_object_get(p, "cohorts")));
	if (now != (size_t)json_integer_value(json_object_get(p, "seats")))
		printf(_(" (%zu now: each cohort takes its share at its next renewal)"), now);
	putchar('\n');
	json_array_foreach(json_object_get(p, "cohort_list"), i, v) {
		cli_day(json_integer_value(json_object_get(v, "term_ends")), day);
		json_int_t seats = json_integer_value(json_object_get(v, "seats"));
		json_int_t next = json_integer_value(json_object_get(v, "next_seats"));
		printf(_("  cohort %lld: %lld seats, %lld held, term ends %s"),
		       (long long)json_integer_value(json_object_get(v, "cohort")),
		       (long long)seats,
		       (long long)json_integer_value(json_object_get(v, "held")), day);
		/* the assembly decided another number: the cohort's share from
		 * its next renewal */
		if (next && next != seats)
			printf(trn(cli_lang(), ", then %lld seat", ", then %lld seats", (uint64_t)next),
			       (long long)next);
		putchar('\n');
	}
	printf(_("laws: %zu\n"), json_array_size(json_object_get(p, "laws")));
}

/* "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" in UTC, or "@SECONDS". */
static int parse_moment(const char *text, int64_t *t)
{
	struct civil_time c;
	char buf[32];
	if (text[0] == '@')
		return num_parse_i64(text + 1, 0, INT64_MAX / 2, t);
	if (strlen(text) == 10) {
		snprintf(buf, sizeof(buf), "%sT00:00", text);
		text = buf;
	}
	if (civil_parse(text, &c))
		return -1;
	*t = civil_to_seconds(&c);
	return 0;
}

static void print_json(const json_t *out)
{
	char *text = json_dumps(out, JSON_INDENT(2));
	puts(text);
	free(text);
}

static void moment(int64_t t, char *buf, size_t size)
{
	char when[64];
	snprintf(buf, size, "%s", cli_when(t, when));
}

/* pnyx polity pool|draw|renew */
static int lot_command(const char *what, const char *slug, const char *db, const char *seed,
		       const char *at_text, int64_t renewal, const char *token, int json)
{
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	int64_t at = 0, made = 0;
	int pool = !strcmp(what, "pool"), draw = !strcmp(what, "draw");
	int rc;
	char when[64];
	if (!pool && !draw && !at_text)
		return cli_errorf("polity", CLI_USAGE, "renew needs --at DATE");
	if (at_text && parse_moment(at_text, &at))
		return cli_errorf("polity", CLI_USAGE, "--at is YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]"
				  " (UTC) or @UNIXSECONDS, not '%s'", at_text);
	if (draw && !seed)
		return cli_errorf("polity", CLI_USAGE, "draw needs --seed TEXT");
	if (draw && !token)
		token = getenv("PNYX_TOKEN");
	if (draw && (!token || !*token))
		return cli_errorf("polity", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a witness's session token)");
	if (store_open(cli_db_path(db), pool ? STORE_READONLY : 0, &s, &err))
		return cli_report("polity", &err);
	int64_t wall = (int64_t)time(NULL);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = lot_clock_now(s, wall) };
	if (pool) {
		rc = gov_polity_pool(&ctx, slug, &out, &err);
	} else if (draw) {
		if (gov_session_lookup(&ctx, token)) {
			rc = cli_errorf("polity", CLI_USAGE, "that token signs nobody in (expired,"
					" or from another database)");
			goto out;
		}
		if (!renewal) {
			json_t *list = NULL;
			size_t i;
			json_t *r;
			if ((rc = gov_renewal_list(&ctx, slug, &list, &err)))
				goto report;
			json_array_foreach(json_object_get(list, "renewals"), i, r)
				if (!strcmp(json_string_value(json_object_get(r, "status")),
					    "committed"))
					renewal = json_integer_value(json_object_get(r, "id"));
			json_decref(list);
			if (!renewal) {
				rc = cli_errorf("polity", 1, "%s has no renewal waiting for its seed",
						slug);
				goto out;
			}
		}
		rc = gov_renewal_seed(&ctx, renewal, seed, &out, &err);
	} else {
		ctx.now = wall;
		ctx.operator = 1;
		rc = gov_lot_renew(&ctx, slug, at, &made, &err);
		/* the reviews of remedies due on the clock's new time */
		int64_t reviews = 0;
		ctx.now = lot_clock_now(s, wall);
		ctx.operator = 0;
		if (!rc)
			rc = gov_cases_clock(&ctx, &reviews, &err);
		made += reviews;
	}
report:
	if (rc) {
		rc = cli_report_store("polity", &err, s);
		goto out;
	}
	if (json && out) {
		print_json(out);
	} else if (pool) {
		moment(json_integer_value(json_object_get(out, "draw_at")), when, sizeof(when));
		printf(_("next renewal: cohort %lld, %lld seats, drawn from %s\n"),
		       (long long)json_integer_value(json_object_get(out, "cohort")),
		       (long long)json_integer_value(json_object_get(out, "seats")), when);
		printf(_("pool now: %lld citizens\n"),
		       (long long)json_integer_value(json_object_get(out, "pool_size")));
		if (json_is_string(json_object_get(out, "commitment")))
			printf(_("committed: renewal %lld, %lld in its pool, commitment %s\n"),
			       (long long)json_integer_value(json_object_get(out, "renewal")),
			       (long long)json_integer_value(json_object_get(out,
							     "committed_pool_size")),
			       json_string_value(json_object_get(out, "commitment")));
		else
			puts(_("not committed yet"));
	} else if (draw) {
		size_t i;
		json_t *d;
		if (json_is_string(json_object_get(out, "seed"))) {
			printf(_("drawn: seed %s\n"), json_string_value(json_object_get(out, "seed")));
			json_array_foreach(json_object_get(out, "drawn"), i, d)
				printf("  %lld. %s %s\n",
				       (long long)json_integer_value(json_object_get(d, "rank")),
				       json_string_value(json_object_get(d, "leaf")),
				       json_string_value(json_object_get(d, "state")));
		} else {
			printf(_("your seed is entered; the draw waits for %lld witnesses"
				 " entering the same text\n"), (long long)json_integer_value(
			       json_object_get(out, "witnesses_needed")));
		}
	} else {
		moment(at, when, sizeof(when));
		printf(_("clock at %s: %lld steps of the renewals of %s\n"), when, (long long)made,
		       slug);
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}

int cmd_polity(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "verify"))
		return cmd_polity_verify(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "civil-servant"))
		return cmd_polity_civil_servant(argc - 1, argv + 1);
	const char *db = NULL, *pos[2];
	struct polity_add in = { 0 };
	int64_t seats = -1, cohorts = 0, renewal = 0;
	const char *seed = NULL, *at = NULL, *token = NULL;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "name", OPT_STRING, &in.name, 0, 0 },
		{ "description", OPT_STRING, &in.description, 0, 0 },
		{ "region", OPT_STRING, &in.region, 0, 0 },
		{ "seats", OPT_INT, &seats, INT32_MIN, INT32_MAX },
		{ "cohorts", OPT_INT, &cohorts, INT32_MIN, INT32_MAX },
		{ "widest", OPT_FLAG, &in.widest, 0, 0 },
		{ "seed-source", OPT_STRING, &in.seed_source, 0, 0 },
		{ "quotas", OPT_STRING, &in.quotas, 0, 0 },
		{ "seed", OPT_STRING, &seed, 0, 0 },
		{ "at", OPT_STRING, &at, 0, 0 },
		{ "renewal", OPT_INT, &renewal, 1, INT64_MAX },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("polity"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int add = npos == 2 && !strcmp(pos[0], "add");
	int show = npos == 2 && !strcmp(pos[0], "show");
	int list = npos == 1 && !strcmp(pos[0], "list");
	int lot = npos == 2 && (!strcmp(pos[0], "pool") || !strcmp(pos[0], "draw") ||
				!strcmp(pos[0], "renew"));
	if ((seed || token || renewal) && !(lot && !strcmp(pos[0], "draw")))
		return cli_errorf("polity", CLI_USAGE, "--seed, --renewal and --token go with draw");
	if (at && !(lot && !strcmp(pos[0], "renew")))
		return cli_errorf("polity", CLI_USAGE, "--at goes with renew");
	if (lot && !in.name && !in.description && !in.region && seats == -1 && !cohorts &&
	    !in.widest && !in.seed_source && !in.quotas)
		return lot_command(pos[0], pos[1], db, seed, at, renewal, token, json);
	if (!add && !show && !list)
		return cli_errorf("polity", CLI_USAGE, "say 'add SLUG --name NAME --description"
				  " TEXT --region REGION --seats S', 'list', 'show SLUG', 'pool SLUG',"
				  " 'draw SLUG --seed TEXT' or 'renew SLUG --at DATE'");
	if (add && (!in.name || !in.description || !in.region || seats == -1))
		return cli_errorf("polity", CLI_USAGE, "add needs --name, --description,"
				  " --region and --seats");
	if (!add && (in.name || in.description || in.region || seats != -1 || cohorts ||
		     in.widest || in.seed_source || in.quotas))
		return cli_errorf("polity", CLI_USAGE, "--name, --description, --region,"
				  " --seats, --cohorts, --widest, --seed-source and --quotas go"
				  " with add");
	in.slug = add ? pos[1] : NULL;
	in.seats = seats;
	in.cohorts = cohorts;

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), add ? 0 : STORE_READONLY, &s, &err))
		return cli_report("polity", &err);
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL), .operator = 1,
			       .lang = cli_lang() };
	rc = add ? gov_polity_add(&ctx, &in, &out, &err)
	     : show ? gov_polity_get(&ctx, pos[1], &out, &err)
		    : gov_polity_list(&ctx, &out, &err);
	if (rc) {
		rc = cli_report_store("polity", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (add) {
		printf(_("registered polity %s and its assembly: %lld seats in %lld cohorts\n"),
		       pos[1], (long long)json_integer_value(json_object_get(out, "seats")),
		       (long long)json_integer_value(json_object_get(out, "cohorts")));
	} else if (show) {
		print_polity(out);
	} else {
		size_t i;
		json_t *p;
		printf("%-*s %-*s %-*s %*s %*s %*s\n", cli_pad(_("SLUG"), 20), _("SLUG"),
		       cli_pad(_("NAME"), 30), _("NAME"), cli_pad(_("REGION"), 16), _("REGION"),
		       cli_pad(_("SEATS"), 5),
		       _("SEATS"), cli_pad(_("RESIDENTS"), 9), _("RESIDENTS"),
		       cli_pad(_("CITIZENS"), 8), _("CITIZENS"));
		json_array_foreach(out, i, p)
			printf("%-*s %-*s %-*s %5lld %9lld %8lld\n",
			       cli_pad(json_string_value(json_object_get(p, "slug")), 20),
			       json_string_value(json_object_get(p, "slug")),
			       cli_pad(json_string_value(json_object_get(p, "name")), 30),
			       json_string_value(json_object_get(p, "name")),
			       cli_pad(json_string_value(json_object_get(p, "region")), 16),
			       json_string_value(json_object_get(p, "region")),
			       (long long)json_integer_value(json_object_get(p, "seats")),
			       (long long)json_integer_value(json_object_get(p, "residents")),
			       (long long)json_integer_value(json_object_get(p, "citizens")));
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}
