/*
 * cmd_me.c: `pnyx me show|residence|consent`: a person's own residence
 * and citizenship from the command line, as the person a session token
 * signs in (--token, or $PNYX_TOKEN), under exactly the rules the API
 * applies (src/gov/lot/citizen.c). Nobody acts for anyone else: there is
 * no way to name another person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/community/community.h"
#include "gov/lot/lot.h"
#include "gov/people/people.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_me_usage[] = N_(
	"usage: pnyx me show [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me residence COMMUNITY [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me consent --affirm [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me summons [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me answer ID accept|excuse|defer [--reason R] [--token TOKEN]\n"
	"                      [--json] [--db PATH]\n"
	"       pnyx me resign POLITY [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me profile [CATEGORY=VALUE ...] [--clear] [--token TOKEN] [--json]\n"
	"                       [--db PATH]\n"
	"       pnyx me excuses POLITY [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me excuse ID grant|refuse --reason R [--token TOKEN] [--json]\n"
	"                      [--db PATH]\n"
	"       pnyx me communities [--token TOKEN] [--json] [--db PATH]\n"
	"       pnyx me choose FROM COMMUNITY [--token TOKEN] [--json] [--db PATH]\n\n"
	"show: your residence, citizenship and its expiry, and the polities\n"
	"you belong to.\n"
	"residence: state the community where you live (you may change it).\n"
	"consent: become a citizen of the polities over your community for one\n"
	"year from now, or renew: citizens are in the pool for service by lot\n"
	"and have the social insurance the deployment lists. It lapses by\n"
	"itself a year later unless renewed. --affirm says you consent.\n"
	"summons: your summons to serve in a polity's assembly, drawn by lot,\n"
	"with their deadlines, and your receipts (the salt of each pool you were\n"
	"in: check your inclusion with pnyx verify --record --receipt --salt).\n"
	"answer: accept (you are seated at once), excuse --reason R (one of the\n"
	"polity's reasons) or defer (once per polity: you are summoned again at\n"
	"the cohort's next renewal).\n"
	"resign: leave your seat in POLITY's assembly; the next alternate is\n"
	"summoned.\n"
	"profile: declare your profile for the quotas of the polities' draws, a\n"
	"value for each category they use (e.g. 'age band=30-44'); it replaces\n"
	"the one declared before, and a category left out is undeclared.\n"
	"--clear leaves every category undeclared. Without values, it shows\n"
	"your profile and the categories offered. Only you see it.\n"
	"excuses: as the clerk of POLITY's assembly, the requests to be excused\n"
	"waiting for your decision (while nobody holds the office, its members\n"
	"see them; the polity's rule decides).\n"
	"excuse: as that clerk, grant or refuse the excuse asked in summons ID,\n"
	"with your reason (a refused person is summoned again until the deadline).\n"
	"communities: after your assembly divided by its decision, the new\n"
	"communities you choose among, and your choice.\n"
	"choose: say which new community of the divided assembly FROM you live or\n"
	"work in: you are a member of its assembly from now on. You may change\n"
	"once within 30 days of the division, and freely after.\n"
	"The token is --token or $PNYX_TOKEN (POST /api/v1/sessions gives one).\n");

static void day(int64_t t, char *buf, size_t size)
{
	char when[64];
	snprintf(buf, size, "%s", cli_when(t, when));
}

/* A summons' state in words (the same as the pages'). */
static const struct { const char *state, *words; } summons_states[] = {
	{ "summoned", N_("Summoned: an answer is awaited") },
	{ "accepted", N_("Accepted: seated") },
	{ "excuse_requested", N_("Asked to be excused: awaiting the clerk's decision") },
	{ "excused", N_("Excused") },
	{ "deferred", N_("Deferred to the next renewal") },
	{ "no_answer", N_("No answer by the deadline") },
	{ "term_ended", N_("Term ended") },
	{ "resigned", N_("Resigned") },
	{ "removed", N_("Removed by the assembly") },
};

static const char *summons_state(const char *state)
{
	for (size_t i = 0; state && i < sizeof(summons_states) / sizeof(summons_states[0]); i++)
		if (!strcmp(summons_states[i].state, state))
			return _(summons_states[i].words);
	return state ? state : "";
}

static void print_summons(const json_t *o)
{
	size_t i;
	json_t *m;
	char when[64];
	json_array_foreach(json_object_get(o, "summons"), i, m) {
		day(json_integer_value(json_object_get(m, "deadline")), when, sizeof(when));
		printf(_("summons %lld: %s, cohort %lld: %s"), (long long)json_integer_value(
		       json_object_get(m, "id")), json_string_value(json_object_get(
		       json_object_get(m, "polity"), "name")), (long long)json_integer_value(
		       json_object_get(m, "cohort")),
		       summons_state(json_string_value(json_object_get(m, "state"))));
		if (json_is_integer(json_object_get(m, "seat")))
			printf(_(", seat %lld"), (long long)json_integer_value(json_object_get(m, "seat")));
		if (!strcmp(json_string_value(json_object_get(m, "state")), "summoned"))
			printf(_(", answer by %s"), when);
		printf("\n");
		/* an excuse: the person's reason and the clerk's decision, both */
		const json_t *dec = json_object_get(m, "excuse_decision");
		const char *why = json_string_value(json_object_get(m, "reason"));
		if (why && (json_is_object(dec) ||
			    !strcmp(json_string_value(json_object_get(m, "state")), "excused") ||
			    !strcmp(json_string_value(json_object_get(m, "state")),
				    "excuse_requested")))
			printf(_("  you asked to be excused: %s\n"), why);
		if (json_is_object(dec))
			printf(strcmp(json_string_value(json_object_get(dec, "decision")), "granted")
			       ? _("  the clerk refused your excuse: %s\n")
			       : _("  the clerk granted your excuse: %s\n"),
			       json_string_value(json_object_get(dec, "reason")) ?
			       json_string_value(json_object_get(dec, "reason")) : "");
	}
	json_array_foreach(json_object_get(o, "receipts"), i, m)
		printf(_("receipt for renewal %lld (%s): id %s, salt %s\n"),
		       (long long)json_integer_value(json_object_get(m, "renewal")),
		       json_string_value(json_object_get(m, "polity")),
		       json_string_value(json_object_get(m, "id")),
		       json_string_value(json_object_get(m, "salt")));
}

static void print_citizenship(const json_t *c)
{
	const json_t *r = json_object_get(c, "residence");
	const char *status = json_string_value(json_object_get(c, "status"));
	char when[64];
	size_t i;
	json_t *p;
	if (json_is_object(r))
		printf(_("lives in %s (%s)\n"), json_string_value(json_object_get(r, "name")),
		       json_string_value(json_object_get(r, "community")));
	else
		puts(_("no residence stated"));
	if (json_is_integer(json_object_get(c, "expires_at"))) {
		day(json_integer_value(json_object_get(c, "expires_at")), when, sizeof(when));
		printf(!strcmp(status, "citizen") ? _("citizen: consent valid until %s\n")
		       : !strcmp(status, "resident") ? _("resident: consent lapsed on %s\n")
		       : _("no residence: consent lapsed on %s\n"), when);
	} else {
		puts(!strcmp(status, "resident") ? _("resident: no consent given")
		     : _("no residence: no consent given"));
	}
	json_array_foreach(json_object_get(c, "polities"), i, p)
		printf(_("polity %s: %s\n"), json_string_value(json_object_get(p, "slug")),
		       json_string_value(json_object_get(p, "name")));
	const char *cat;
	json_t *v;
	json_object_foreach(json_object_get(c, "profile"), cat, v)
		printf(_("profile: %s = %s\n"), cat, json_string_value(v));
	json_array_foreach(json_object_get(c, "profile_categories"), i, p) {
		json_t *x;
		size_t j;
		const char *name = json_string_value(json_object_get(p, "category"));
		if (json_object_get(json_object_get(c, "profile"), name))
			continue;
		printf(_("profile: %s undeclared ("), name);
		json_array_foreach(json_object_get(p, "values"), j, x)
			printf("%s%s", j ? ", " : "", json_string_value(x));
		printf(")\n");
	}
}

static void print_excuses(const json_t *o)
{
	size_t i;
	json_t *m;
	char when[64];
	const json_t *list = json_object_get(o, "requests");
	if (!json_is_true(json_object_get(o, "clerk_office_held")))
		puts(strcmp(json_string_value(json_object_get(o, "excuse_rule")), "grant")
		     ? _("nobody holds the clerk office: by the polity's rule, excuses are refused")
		     : _("nobody holds the clerk office: by the polity's rule, excuses are granted"));
	if (!json_array_size(list))
		puts(_("no excuse is waiting"));
	json_array_foreach(list, i, m) {
		day(json_integer_value(json_object_get(m, "deadline")), when, sizeof(when));
		printf(_("summons %lld: %s asks to be excused: %s (answer due %s)\n"),
		       (long long)json_integer_value(json_object_get(m, "summons")),
		       json_string_value(json_object_get(m, "person")),
		       json_string_value(json_object_get(m, "reason")), when);
	}
}

/* After a division: each divided assembly, the choice made, the choices. */
static void print_choices(const json_t *list)
{
	size_t i, j;
	json_t *c, *o;
	if (!json_array_size(list))
		puts(_("no division of an assembly of yours awaits your choice"));
	json_array_foreach(list, i, c) {
		const char *chosen = json_string_value(json_object_get(c, "chosen"));
		printf(_("%s divided: %s\n"), json_string_value(json_object_get(
		       json_object_get(c, "from"), "name")),
		       chosen ? chosen : _("you are to choose your new community"));
		json_array_foreach(json_object_get(c, "choices"), j, o) {
			const char *slug = json_string_value(json_object_get(o, "slug"));
			printf("  %-*s %s: %s\n", cli_pad(slug, 20), slug,
			       json_string_value(json_object_get(o, "name")),
			       json_string_value(json_object_get(o, "areas")));
		}
	}
}

int cmd_me(int argc, char **argv)
{
	const char *db = NULL, *token = NULL, *reason = NULL, *pos[17];
	int json = 0, affirm = 0, clear = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "affirm", OPT_FLAG, &affirm, 0, 0 },
		{ "reason", OPT_STRING, &reason, 0, 0 },
		{ "clear", OPT_FLAG, &clear, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("me"), opts, argc, argv, pos, 17, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int show = npos == 1 && !strcmp(pos[0], "show");
	int residence = npos == 2 && !strcmp(pos[0], "residence");
	int consent = npos == 1 && !strcmp(pos[0], "consent");
	int summons = npos == 1 && !strcmp(pos[0], "summons");
	int answer = npos == 3 && !strcmp(pos[0], "answer");
	int resign = npos == 2 && !strcmp(pos[0], "resign");
	int profile = npos >= 1 && !strcmp(pos[0], "profile");
	int excuses = npos == 2 && !strcmp(pos[0], "excuses");
	int excuse = npos == 3 && !strcmp(pos[0], "excuse");
	int communities = npos == 1 && !strcmp(pos[0], "communities");
	int choose = npos == 3 && !strcmp(pos[0], "choose");
	int64_t summons_id = 0;
	if (!show && !residence && !consent && !summons && !answer && !resign && !profile &&
	    !excuses && !excuse && !communities && !choose)
		return cli_errorf("me", CLI_USAGE, "say 'show', 'residence COMMUNITY',"
				  " 'consent --affirm', 'summons', 'answer ID accept|excuse|defer',"
				  " 'resign POLITY', 'profile CATEGORY=VALUE ...', 'excuses POLITY'"
				  ", 'excuse ID grant|refuse', 'communities' or"
				  " 'choose FROM COMMUNITY'");
	if (clear && (!profile || npos > 1))
		return cli_errorf("me", CLI_USAGE, "--clear goes with profile, without values");
	if (reason && !answer && !excuse)
		return cli_errorf("me", CLI_USAGE, "--reason goes with answer or excuse");
	if (excuse && strcmp(pos[2], "grant") && strcmp(pos[2], "refuse"))
		return cli_errorf("me", CLI_USAGE, "an excuse is granted or refused, not '%s'",
				  pos[2]);
	if (excuse && !reason)
		return cli_errorf("me", CLI_USAGE, "a decision on an excuse gives its reason:"
				  " --reason R");
	if ((answer || excuse) && num_parse_i64(pos[1], 1, INT64_MAX, &summons_id))
		return cli_errorf("me", CLI_USAGE, "a summons is named by its number, not '%s'",
				  pos[1]);
	if (affirm && !consent)
		return cli_errorf("me", CLI_USAGE, "--affirm goes with consent");
	if (!token)
		token = getenv("PNYX_TOKEN");
	if (!token || !*token)
		return cli_errorf("me", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a session token, from signing in)");
	json_t *declared = NULL;
	if (profile && (npos > 1 || clear)) {
		declared = json_object();
		for (size_t i = 1; i < npos; i++) {
			const char *eq = strchr(pos[i], '=');
			if (!eq || eq == pos[i] || !eq[1]) {
				json_decref(declared);
				return cli_errorf("me", CLI_USAGE, "a profile is given as CATEGORY=VALUE,"
						  " not '%s'", pos[i]);
			}
			char cat[128];
			snprintf(cat, sizeof(cat), "%.*s", (int)(eq - pos[i]), pos[i]);
			json_object_set_new(declared, cat, json_string(eq + 1));
		}
	}

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	int reading = show || summons || excuses || communities || (profile && !declared);
	if (store_open(cli_db_path(db), reading ? STORE_READONLY : 0, &s, &err)) {
		json_decref(declared);
		return cli_report("me", &err);
	}
	struct gov_ctx ctx = { .db = s, .now = lot_clock_now(s, (int64_t)time(NULL)),
			       .lang = cli_lang() };
	if (gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("me", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	rc = residence ? gov_residence_set(&ctx, pos[1], &out, &err)
	     : consent ? gov_consent_give(&ctx, affirm, &out, &err)
	     : summons ? gov_my_summons(&ctx, &out, &err)
	     : answer ? gov_summons_answer(&ctx, summons_id, pos[2], reason, &out, &err)
	     : resign ? gov_seat_resign(&ctx, pos[1], &out, &err)
	     : declared ? gov_profile_set(&ctx, declared, &out, &err)
	     : excuses ? gov_polity_excuses(&ctx, pos[1], &out, &err)
	     : excuse ? gov_summons_excuse(&ctx, summons_id, !strcmp(pos[2], "grant"), reason,
					   &out, &err)
	     : communities ? gov_community_choices(&ctx, &out, &err)
	     : choose ? gov_community_choose(&ctx, pos[1], pos[2], &out, &err)
		       : gov_citizenship(&ctx, &out, &err);
	if (rc) {
		rc = cli_report_store("me", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (communities) {
		print_choices(out);
	} else if (choose) {
		printf(_("you are a member of %s\n"), pos[2]);
	} else if (summons) {
		print_summons(out);
	} else if (excuses) {
		print_excuses(out);
	} else if (answer || resign || excuse) {
		printf(_("summons %lld: %s\n"), (long long)json_integer_value(json_object_get(out,
		       "id")), summons_state(json_string_value(json_object_get(out, "state"))));
	} else {
		print_citizenship(out);
	}
	rc = CLI_OK;
out:
	json_decref(declared);
	json_decref(out);
	store_close(s);
	return rc;
}
