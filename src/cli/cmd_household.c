/*
 * cmd_household.c: `pnyx economy household|barter|confirm|allotments ...`:
 * households, barter and allotments (src/gov/sharing/household.c and
 * allot_kinds.c, docs/sharing.md "Households, allotments and barter").
 * cmd_economy hands these verbs here. Reading is anyone's (a household,
 * a barter, an assembly's allotments); declaring, joining, leaving,
 * inviting, recording, confirming, withdrawing and declining a barter act
 * as a signed-in person (--token,
 * or $PNYX_TOKEN), under exactly the rules the API applies. Allotting and
 * the terms of barter are a local assembly's decisions (allot_means,
 * revoke_allotment, set_barter_terms), never a command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "gov/people/people.h"
#include "gov/sharing/sharing.h"
#include "store/store.h"
#include "cli.h"
#include "cmd_household.h"
#include "commands.h"
#include "banned.h"

static const char usage[] = N_(
	"usage: pnyx economy household [SLUG]\n"
	"       pnyx economy household declare SLUG --name NAME [--member HANDLE]...\n"
	"       pnyx economy household invite SLUG --member HANDLE\n"
	"       pnyx economy household join|leave SLUG\n"
	"       pnyx economy barter ID\n"
	"       pnyx economy barter --household SLUG (--member HANDLE | --enterprise SLUG)\n"
	"                    --household-gives TEXT --household-quantity N --household-unit U\n"
	"                    --other-gives TEXT --other-quantity N --other-unit U\n"
	"                    [--into-good ID]\n"
	"       pnyx economy confirm ID\n"
	"       pnyx economy barter withdraw|decline ID\n"
	"       pnyx economy allotments ASSEMBLY\n\n"
	"Households outside the sharing economy, what they barter, and the land and\n"
	"means of production a local assembly allots them (docs/sharing.md).\n"
	"household: yours (with a token) or the one named. declare makes a household\n"
	"with you in it and invites each --member; they join by their own act. A\n"
	"household is out of the economy when each member opted out (pnyx economy\n"
	"opt-out). barter records what for what between a household and a member or\n"
	"an enterprise of the economy; the other side confirms it, or declines it; the\n"
	"side that recorded it may withdraw it until then. allotments: a local\n"
	"assembly's allotments, with their decisions, and its terms of barter.\n"
	"Acting takes --token or $PNYX_TOKEN. Every command takes --db PATH and --json.\n");

static const char *const verbs[] = { "household", "barter", "confirm", "allotments", NULL };

int economy_household_verb(int argc, char **argv)
{
	/* the first argument that is not an option, nor an option's value */
	static const char *const flags[] = { "--json", "--help", "-h", NULL };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			return 0;
		if (!strncmp(a, "--", 2) || !strcmp(a, "-h")) {
			int flag = strchr(a, '=') != NULL;
			for (const char *const *f = flags; *f; f++)
				flag |= !strcmp(*f, a);
			if (!flag)
				i++;
			continue;
		}
		for (const char *const *v = verbs; *v; v++)
			if (!strcmp(*v, a))
				return 1;
		return 0;
	}
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

static void print_barter(const json_t *b)
{
	const char *other = json_is_string(json_object_get(b, "member"))
		? str(b, "member_name") : str(b, "enterprise_name");
	printf(_("barter %lld: %s gives %lld %s of %s; %s gives %lld %s of %s (%s)\n"),
	       num(b, "id"), str(b, "household_name"), num(b, "household_quantity"),
	       str(b, "household_unit"), str(b, "household_gives"), other,
	       num(b, "other_quantity"), str(b, "other_unit"), str(b, "other_gives"),
	       json_is_integer(json_object_get(b, "confirmed_at")) ? _("confirmed")
	       : !strcmp(str(b, "ended"), "withdrawn") ? _("withdrawn by the side that recorded it")
	       : !strcmp(str(b, "ended"), "declined") ? _("declined by the other side")
	       : _("waiting for the other side to confirm"));
}

static void print_allotment(const json_t *a)
{
	const char *to = json_is_string(json_object_get(a, "household"))
		? str(a, "household_name") : str(a, "workshop_name");
	printf(_("allotment %lld: %s to %s, for %s (decision %lld)%s\n"), num(a, "id"),
	       str(a, "what"), to, str(a, "purpose"), num(a, "decision"),
	       json_is_integer(json_object_get(a, "revoked_at")) ? _(", revoked") : "");
}

static void print_household(const json_t *h)
{
	size_t i;
	const json_t *x;
	printf(_("%s (%s): %s\n"), str(h, "name"), str(h, "slug"),
	       json_is_true(json_object_get(h, "opted_out"))
	       ? _("out of the sharing economy") : _("in the sharing economy"));
	json_array_foreach(json_object_get(h, "members"), i, x)
		printf("  @%s %s%s\n", str(x, "handle"), str(x, "display_name"),
		       !json_is_integer(json_object_get(x, "joined_at")) ? _(" (invited)")
		       : json_is_true(json_object_get(x, "opted_out")) ? _(" (opted out)") : "");
	json_array_foreach(json_object_get(h, "allotments"), i, x)
		print_allotment(x);
	json_array_foreach(json_object_get(h, "barters"), i, x)
		print_barter(x);
}

int economy_household(int argc, char **argv)
{
	const char *db = NULL, *token = NULL, *name = NULL, *household = NULL, *ent = NULL;
	const char *hg = NULL, *hu = NULL, *og = NULL, *ou = NULL, *pos[3];
	struct cli_list members = { { 0 }, 0 };
	int64_t hq = 0, oq = 0, into = 0;
	int json = 0, help = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "name", OPT_STRING, &name, 0, 0 },
		{ "member", OPT_LIST, &members, 0, 0 },
		{ "household", OPT_STRING, &household, 0, 0 },
		{ "enterprise", OPT_STRING, &ent, 0, 0 },
		{ "household-gives", OPT_STRING, &hg, 0, 0 },
		{ "household-quantity", OPT_INT, &hq, 1, SHARING_STOCK_MAX },
		{ "household-unit", OPT_STRING, &hu, 0, 0 },
		{ "other-gives", OPT_STRING, &og, 0, 0 },
		{ "other-quantity", OPT_INT, &oq, 1, SHARING_STOCK_MAX },
		{ "other-unit", OPT_STRING, &ou, 0, 0 },
		{ "into-good", OPT_INT, &into, 1, INT32_MAX },
		{ NULL, 0, NULL, 0, 0 },
	};
	for (int i = 1; i < argc; i++)
		help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
	if (help) {
		fputs(_(usage), stdout);
		return CLI_OK;
	}
	size_t npos = 0;
	int rc = cli_parse(cli_find("economy"), opts, argc, argv, pos, 3, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	const char *verb = pos[0], *sub = npos > 1 ? pos[1] : NULL;
	int64_t id = 0;
	int act = 0;
	enum { SHOW, MINE, DECLARE, INVITE, JOIN, LEAVE, BARTER_SHOW, BARTER, CONFIRM,
	       WITHDRAW, DECLINE, ALLOTMENTS } what = SHOW;
	if (!strcmp(verb, "household")) {
		if (npos == 1) {
			what = MINE;
			act = 1;
		} else if (npos == 2) {
			what = SHOW;
		} else if (!strcmp(sub, "declare") || !strcmp(sub, "invite") ||
			   !strcmp(sub, "join") || !strcmp(sub, "leave")) {
			what = !strcmp(sub, "declare") ? DECLARE : !strcmp(sub, "invite") ? INVITE
				: !strcmp(sub, "join") ? JOIN : LEAVE;
			act = 1;
		} else {
			return cli_errorf("economy", CLI_USAGE, "see pnyx economy household --help");
		}
	} else if (!strcmp(verb, "barter")) {
		what = npos == 2 ? BARTER_SHOW : BARTER;
		if (npos == 3 && (!strcmp(sub, "withdraw") || !strcmp(sub, "decline")))
			what = !strcmp(sub, "withdraw") ? WITHDRAW : DECLINE;
		else if (npos > 2)
			return cli_errorf("economy", CLI_USAGE, "see pnyx economy household --help");
		act = what != BARTER_SHOW;
	} else if (!strcmp(verb, "confirm") || !strcmp(verb, "allotments")) {
		what = !strcmp(verb, "confirm") ? CONFIRM : ALLOTMENTS;
		act = what == CONFIRM;
		if (npos != 2)
			return cli_errorf("economy", CLI_USAGE, "see pnyx economy household --help");
	}
	if (what == BARTER_SHOW || what == CONFIRM || what == WITHDRAW || what == DECLINE) {
		char *end = NULL;
		long long v = strtoll(pos[npos - 1], &end, 10);
		if (!end || *end || v < 1)
			return cli_errorf("economy", CLI_USAGE, "ID is a barter's number");
		id = v;
	}
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
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL) };
	if (act && gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("economy", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	const char *member = members.n ? members.items[0] : NULL;
	if (member && *member == '@')
		member++;
	switch (what) {
	case MINE:
		rc = gov_household_mine(&ctx, &out, &err);
		break;
	case SHOW:
		rc = gov_household_get(&ctx, pos[1], &out, &err);
		break;
	case DECLARE: {
		json_t *list = json_array();
		for (size_t i = 0; i < members.n; i++)
			json_array_append_new(list, json_string(members.items[i][0] == '@'
				? members.items[i] + 1 : members.items[i]));
		rc = gov_household_declare(&ctx, pos[2], name, list, &out, &err);
		json_decref(list);
		break;
	}
	case INVITE:
		rc = gov_household_invite(&ctx, pos[2], member, &out, &err);
		break;
	case JOIN:
		rc = gov_household_join(&ctx, pos[2], &out, &err);
		break;
	case LEAVE:
		rc = gov_household_leave(&ctx, pos[2], &out, &err);
		break;
	case BARTER_SHOW:
		rc = gov_barter_get(&ctx, id, &out, &err);
		break;
	case BARTER: {
		struct barter_in b = { household, member, ent, hg, hu, og, ou, hq, oq, into };
		if (!hq)
			rc = px_fail(&err, PX_E_MISSING_FIELD, "household_quantity", "how much"
				     " the household gives: --household-quantity N");
		else if (!oq)
			rc = px_fail(&err, PX_E_MISSING_FIELD, "other_quantity", "how much the"
				     " other side gives: --other-quantity N");
		else
			rc = gov_barter_record(&ctx, &b, &out, &err);
		break;
	}
	case CONFIRM:
		rc = gov_barter_confirm(&ctx, id, &out, &err);
		break;
	case WITHDRAW:
		rc = gov_barter_withdraw(&ctx, id, &out, &err);
		break;
	case DECLINE:
		rc = gov_barter_decline(&ctx, id, &out, &err);
		break;
	case ALLOTMENTS:
		rc = gov_allotments(&ctx, pos[1], &out, &err);
		break;
	}
	if (rc) {
		rc = cli_report_store("economy", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (what == BARTER_SHOW || what == BARTER || what == CONFIRM ||
		   what == WITHDRAW || what == DECLINE) {
		print_barter(out);
	} else if (what == ALLOTMENTS) {
		size_t i;
		const json_t *x;
		const json_t *t = json_object_get(out, "barter_terms");
		json_array_foreach(json_object_get(out, "allotments"), i, x)
			print_allotment(x);
		if (!json_array_size(json_object_get(out, "allotments")))
			printf("%s\n", _("no allotment yet"));
		if (json_is_object(t)) {
			printf(_("terms of barter (decision %lld): goods taken from the economy %s"),
			       num(t, "decision"), json_is_true(json_object_get(t,
			       "taken_goods_refused")) ? _("are not bartered") : _("may be bartered"));
			json_array_foreach(json_object_get(t, "classes"), i, x)
				printf("%s%s", i ? ", " : _("; nor "), json_string_value(x));
			printf("\n");
		}
	} else if (what == MINE) {
		const json_t *h = json_object_get(out, "household");
		size_t i;
		const json_t *x;
		if (json_is_object(h))
			print_household(h);
		else
			printf("%s\n", _("you are in no household"));
		json_array_foreach(json_object_get(out, "invited"), i, x)
			printf(_("invited to %s (%s): pnyx economy household join %s\n"),
			       str(x, "name"), str(x, "slug"), str(x, "slug"));
	} else {
		print_household(out);
	}
out:
	json_decref(out);
	store_close(s);
	return rc;
}
