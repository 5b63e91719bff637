/*
 * cmd_enterprise.c: `pnyx enterprise list|show|found|join|leave|correct`:
 * enterprises, workplaces that govern themselves (src/gov/economy,
 * docs/economy.md). Reading is anyone's. Founding, joining and leaving
 * are a person's own acts, as the person a session token signs in
 * (--token, or $PNYX_TOKEN), under exactly the rules the API applies:
 * joining takes the admission the enterprise decided (its motion
 * admit_member); nobody joins or leaves for anyone else. Correcting a
 * delivery recorded by mistake is its recorder's act, within 7 days.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "gov/federation/federation.h"
#include "gov/people/people.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_enterprise_usage[] = N_(
	"usage: pnyx enterprise list [--community SLUG] [--db PATH] [--json]\n"
	"       pnyx enterprise show SLUG [--db PATH] [--json]\n"
	"       pnyx enterprise found SLUG --name NAME --community SLUG --purpose TEXT\n"
	"                       --provides TEXT --schedule JSON [--rule JSON]\n"
	"                       [--founders H1,H2] [--token TOKEN] [--db PATH] [--json]\n"
	"       pnyx enterprise join SLUG --affirm [--token TOKEN] [--db PATH]\n"
	"       pnyx enterprise leave SLUG [--token TOKEN] [--db PATH]\n"
	"       pnyx enterprise correct SLUG DELIVERY --reason TEXT [--quantity N]\n"
	"                       [--what TEXT] [--unit TEXT] [--did-not-happen]\n"
	"                       [--token TOKEN] [--db PATH] [--json]\n\n"
	"An enterprise is a workplace its workers govern as equal members, located\n"
	"in a community and bound by its local assembly's laws (docs/economy.md).\n"
	"found: you must be an active member of the community's local assembly;\n"
	"you are its first member, and the people named in --founders are admitted\n"
	"and join by their own act. --schedule is its regular meetings, as for an\n"
	"assembly ({\"rrule\": \"FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0\", \"tz\":\n"
	"\"Europe/Lisbon\", \"place\": \"The bakehouse\"}); --rule its decision rule\n"
	"(docs/rules.md; default a simple majority).\n"
	"join: once the enterprise has admitted you (a motion admit_member);\n"
	"--affirm says you affirm its purpose. leave: always free, at once.\n"
	"correct: a delivery you recorded by mistake, within 7 days and once: a new\n"
	"record with what did happen (what is not given stays as it was), or\n"
	"--did-not-happen; the old record stays, marked corrected, with the reason.\n"
	"The token is --token or $PNYX_TOKEN (POST /api/v1/sessions gives one).\n");

static const char default_rule[] = "{\"default\": {\"kind\": \"simple_majority\"}}";

/* A membership of a federation in words. */
static const char *membership_words(const char *status)
{
	if (status && !strcmp(status, "active"))
		return _("a member");
	if (status && !strcmp(status, "suspended"))
		return _("suspended");
	if (status && !strcmp(status, "left"))
		return _("left");
	return status ? status : "";
}

static void print_enterprise(const json_t *e)
{
	size_t i;
	json_t *v;
	const json_t *a = json_object_get(e, "assembly");
	printf("%s: %s\n", json_string_value(json_object_get(e, "slug")),
	       json_string_value(json_object_get(e, "name")));
	printf(_("in %s, bound by the laws of %s\n"),
	       json_string_value(json_object_get(e, "community_name")),
	       json_is_object(a) ? json_string_value(json_object_get(a, "name")) : "-");
	printf(_("purpose: %s\n"), json_string_value(json_object_get(e, "purpose")));
	printf(_("provides: %s\n"), json_string_value(json_object_get(e, "provides")));
	const char *sched = json_string_value(json_object_get(e, "schedule_text"));
	if (sched)
		printf(_("meets %s\n"), sched);
	const char *cond = json_string_value(json_object_get(json_object_get(e, "conditions"),
							     "text"));
	printf(_("conditions of membership: %s\n"), cond && *cond ? cond : _("none set yet"));
	printf(_("members (%lld, each one equal vote):\n"),
	       (long long)json_integer_value(json_object_get(e, "members")));
	json_array_foreach(json_object_get(e, "member_list"), i, v)
		printf("  %s (%s)\n", json_string_value(json_object_get(v, "display_name")),
		       json_string_value(json_object_get(v, "handle")));
	json_array_foreach(json_object_get(e, "offices"), i, v) {
		const char *holder = json_string_value(json_object_get(v, "holder"));
		printf(_("office %s: %s\n"), json_string_value(json_object_get(v, "name")),
		       holder ? holder : _("vacant"));
	}
	json_array_foreach(json_object_get(e, "admitted"), i, v)
		printf(_("admitted, not yet joined: %s\n"),
		       json_string_value(json_object_get(v, "handle")));
}

/* "a,b,c" as a JSON array of strings, or NULL (none given). */
static json_t *split_handles(const char *list)
{
	json_t *out = json_array();
	const char *p = list;
	while (out && p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		json_array_append_new(out, json_stringn(p, n));
		p = comma ? comma + 1 : NULL;
	}
	return out;
}

int cmd_enterprise(int argc, char **argv)
{
	const char *db = NULL, *token = NULL, *pos[3], *community = NULL;
	const char *reason = NULL, *what = NULL, *unit = NULL;
	int64_t quantity = 0;
	int not_happened = 0;
	const char *rule_text = NULL, *sched_text = NULL, *founders = NULL;
	struct enterprise_found in = { 0 };
	int json = 0, affirm = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "token", OPT_STRING, &token, 0, 0 },
		{ "name", OPT_STRING, &in.name, 0, 0 },
		{ "community", OPT_STRING, &community, 0, 0 },
		{ "purpose", OPT_STRING, &in.purpose, 0, 0 },
		{ "provides", OPT_STRING, &in.provides, 0, 0 },
		{ "rule", OPT_STRING, &rule_text, 0, 0 },
		{ "schedule", OPT_STRING, &sched_text, 0, 0 },
		{ "founders", OPT_STRING, &founders, 0, 0 },
		{ "affirm", OPT_FLAG, &affirm, 0, 0 },
		{ "reason", OPT_STRING, &reason, 0, 0 },
		{ "quantity", OPT_INT, &quantity, 1, 1000000 },
		{ "what", OPT_STRING, &what, 0, 0 },
		{ "unit", OPT_STRING, &unit, 0, 0 },
		{ "did-not-happen", OPT_FLAG, &not_happened, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("enterprise"), opts, argc, argv, pos, 3, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	int list = npos == 1 && !strcmp(pos[0], "list");
	int show = npos == 2 && !strcmp(pos[0], "show");
	int found = npos == 2 && !strcmp(pos[0], "found");
	int join = npos == 2 && !strcmp(pos[0], "join");
	int leave = npos == 2 && !strcmp(pos[0], "leave");
	int correct = npos == 3 && !strcmp(pos[0], "correct");
	if (!list && !show && !found && !join && !leave && !correct)
		return cli_errorf("enterprise", CLI_USAGE, "say 'list', 'show SLUG', 'found"
				  " SLUG ...', 'join SLUG --affirm', 'leave SLUG' or 'correct"
				  " SLUG DELIVERY --reason TEXT'");
	int64_t delivery = 0;
	if (correct) {
		char *end = NULL;
		delivery = strtoll(pos[2], &end, 10);
		if (!end || *end || delivery < 1)
			return cli_errorf("enterprise", CLI_USAGE, "DELIVERY is a delivery's"
					  " number (its id)");
		if (!reason)
			return cli_errorf("enterprise", CLI_USAGE, "correct needs --reason: what"
					  " the mistake was");
		if (not_happened && (quantity || what || unit))
			return cli_errorf("enterprise", CLI_USAGE, "--did-not-happen has nothing"
					  " else to correct");
	} else if (reason || quantity || what || unit || not_happened) {
		return cli_errorf("enterprise", CLI_USAGE, "--reason, --quantity, --what, --unit"
				  " and --did-not-happen go with correct");
	}
	if (found && (!in.name || !community || !in.purpose || !in.provides || !sched_text))
		return cli_errorf("enterprise", CLI_USAGE, "found needs --name, --community,"
				  " --purpose, --provides and --schedule");
	if (!found && (in.name || in.purpose || in.provides || rule_text || sched_text ||
		       founders))
		return cli_errorf("enterprise", CLI_USAGE, "--name, --purpose, --provides,"
				  " --rule, --schedule and --founders go with found");
	if (community && !found && !list)
		return cli_errorf("enterprise", CLI_USAGE, "--community goes with found or list");
	if (affirm && !join)
		return cli_errorf("enterprise", CLI_USAGE, "--affirm goes with join");
	int acts = found || join || leave || correct;
	if (acts && !token)
		token = getenv("PNYX_TOKEN");
	if (acts && (!token || !*token))
		return cli_errorf("enterprise", CLI_USAGE, "say who you are: --token TOKEN or"
				  " $PNYX_TOKEN (a session token, from signing in)");
	json_t *rule = NULL, *sched = NULL, *names = NULL, *out = NULL;
	if (found) {
		json_error_t jerr;
		rule = json_loads(rule_text ? rule_text : default_rule, 0, &jerr);
		if (!rule)
			return cli_errorf("enterprise", CLI_USAGE, "--rule is not JSON: %s",
					  jerr.text);
		sched = json_loads(sched_text, 0, &jerr);
		if (!sched) {
			json_decref(rule);
			return cli_errorf("enterprise", CLI_USAGE, "--schedule is not JSON: %s",
					  jerr.text);
		}
		names = founders ? split_handles(founders) : NULL;
		in.slug = pos[1];
		in.community = community;
		in.rule = rule;
		in.schedule = sched;
		in.founders = names;
	}

	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), acts ? 0 : STORE_READONLY, &s, &err)) {
		rc = cli_report("enterprise", &err);
		goto done;
	}
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	if (acts && gov_session_lookup(&ctx, token)) {
		rc = cli_errorf("enterprise", CLI_USAGE, "that token signs nobody in (expired,"
				" or from another database)");
		goto out;
	}
	struct delivery_in fix = { .what = what, .unit = unit, .quantity = quantity };
	rc = correct ? gov_delivery_correct(&ctx, pos[1], delivery, reason,
					    not_happened ? NULL : &fix, &out, &err)
	     : list ? gov_enterprise_list(&ctx, community, &out, &err)
	     : show ? gov_enterprise_get(&ctx, pos[1], &out, &err)
	     : found ? gov_enterprise_found(&ctx, &in, &out, &err)
	     : join ? gov_member_join(&ctx, pos[1], affirm, "works", &out, &err)
		    : gov_member_leave(&ctx, pos[1], &err);
	if (rc) {
		rc = cli_report_store("enterprise", &err, s);
		goto out;
	}
	if (json && out) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else if (show) {
		print_enterprise(out);
		/* the federations of enterprises it joined by its decisions */
		json_t *feds = NULL;
		if (gov_body_federations(&ctx, pos[1], &feds, &err)) {
			rc = cli_report_store("enterprise", &err, s);
			goto out;
		}
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(feds, "memberships"), i, f)
			printf(_("federation %s (%s): %s\n"),
			       json_string_value(json_object_get(f, "name")),
			       json_string_value(json_object_get(f, "federation")),
			       membership_words(json_string_value(json_object_get(f, "status"))));
		json_decref(feds);
	} else if (found) {
		printf(_("founded enterprise %s in %s: you are its first member\n"),
		       json_string_value(json_object_get(out, "slug")), community);
	} else if (join) {
		printf(_("you are a member of %s\n"), pos[1]);
	} else if (leave) {
		printf(_("you have left %s\n"), pos[1]);
	} else if (correct) {
		const json_t *k = json_object_get(out, "corrected");
		const json_t *by = json_object_get(k, "replacement");
		if (json_is_integer(by))
			printf(_("delivery %lld corrected: what happened is delivery %lld\n"),
			       (long long)delivery, (long long)json_integer_value(by));
		else
			printf(_("delivery %lld corrected: it did not happen\n"), (long long)delivery);
	} else {
		size_t i;
		json_t *e;
		printf("%-*s %-*s %-*s %*s\n", cli_pad(_("SLUG"), 20), _("SLUG"),
		       cli_pad(_("NAME"), 30), _("NAME"), cli_pad(_("COMMUNITY"), 16),
		       _("COMMUNITY"),
		       cli_pad(_("MEMBERS"), 7),
		       _("MEMBERS"));
		json_array_foreach(out, i, e)
			printf("%-*s %-*s %-*s %7lld\n",
			       cli_pad(json_string_value(json_object_get(e, "slug")), 20),
			       json_string_value(json_object_get(e, "slug")),
			       cli_pad(json_string_value(json_object_get(e, "name")), 30),
			       json_string_value(json_object_get(e, "name")),
			       cli_pad(json_string_value(json_object_get(e, "community")), 16),
			       json_string_value(json_object_get(e, "community")),
			       (long long)json_integer_value(json_object_get(e, "members")));
	}
	rc = CLI_OK;
out:
	store_close(s);
done:
	json_decref(out);
	json_decref(rule);
	json_decref(sched);
	json_decref(names);
	return rc;
}
