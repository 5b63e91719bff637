/*
 * cmd_demo.c: `pnyx demo` loads a small, realistic demonstration into an
 * empty database: communities with their populations, local assemblies
 * founded by residents with their own rules and schedules, and members.
 * Everything goes through the domain layer, exactly as if people had done
 * it through the API, so the journal records it all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/errors.h"
#include "../gov/account.h"
#include "../gov/body.h"
#include "../gov/community.h"
#include "../gov/member.h"
#include "../store/store.h"
#include "cli.h"
#include "commands.h"
#include "../banned.h"

#define DEMO_PASSWORD "demo-password"

const char cmd_demo_usage[] =
	"usage: pnyx demo [--db PATH]\n\n"
	"Load demonstration data into a database that has no communities yet:\n"
	"five communities, three local assemblies with their statements, rules\n"
	"and meeting schedules, and a dozen people who joined them. Every demo\n"
	"account signs in with the password '" DEMO_PASSWORD "'.\n";

static const struct {
	const char *slug, *name;
	int64_t population;
} communities[] = {
	{ "harbour", "Harbour", 18400 },
	{ "old-town", "Old Town", 23150 },
	{ "millbrook", "Millbrook", 9720 },
	{ "north-hill", "North Hill", 31080 },
	{ "eastfield", "Eastfield", 14260 },
};

static const struct {
	const char *handle, *name;
} people[] = {
	{ "amara", "Amara Okafor" },   { "bruno", "Bruno Ferreira" },
	{ "chen", "Chen Wei" },        { "dolores", "Dolores Ibarra" },
	{ "emeka", "Emeka Nwosu" },    { "freya", "Freya Lindqvist" },
	{ "gustav", "Gustav Berg" },   { "hana", "Hana Novak" },
	{ "ilse", "Ilse Vermeer" },    { "joao", "João Pereira" },
	{ "kiri", "Kiri Walker" },     { "leila", "Leila Haddad" },
};

static const char statement[] =
	"We, the people of %s, meet as equals. Every member has one voice.\n\n"
	"- We hold that all people are equal in dignity and in their claim\n"
	"  to what they need to live well.\n"
	"- We practise mutual aid: what we can give, we give; what we need,\n"
	"  we ask for without shame.\n"
	"- No one here rules another. Decisions are made in the open, by the\n"
	"  rules this assembly chose, and anyone may see how they were made.\n";

static const struct {
	const char *community, *name, *founder, *rules, *rrule, *tz, *place;
	const char *members; /* handles, space-separated; "h:works" for basis */
} assemblies[] = {
	{ "harbour", "Harbour Assembly", "amara",
	  "{\"default\":{\"kind\":\"simple_majority\",\"quorum\":{\"fraction\":\"1/10\"}},"
	  "\"by_kind\":{\"change_rules\":{\"kind\":\"supermajority\",\"fraction\":\"2/3\","
	  "\"base\":\"cast\",\"quorum\":{\"fraction\":\"1/10\"}}}}",
	  "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0", "Europe/Lisbon",
	  "Fishermen's Hall, 4 Quay Street",
	  "bruno chen dolores:works emeka" },
	{ "old-town", "Old Town Assembly", "freya",
	  "{\"default\":{\"kind\":\"hybrid\",\"rounds\":2,\"fraction\":\"3/4\","
	  "\"base\":\"cast\",\"quorum\":{\"count\":3}}}",
	  "FREQ=MONTHLY;BYDAY=1SA;BYHOUR=10;BYMINUTE=30", "Europe/Lisbon",
	  "The old library, Market Square",
	  "gustav hana ilse:works" },
	{ "millbrook", "Millbrook Assembly", "joao",
	  "{\"default\":{\"kind\":\"consensus\",\"quorum\":{\"count\":2}}}",
	  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=18;BYMINUTE=30", "Europe/Lisbon",
	  "Millbrook school gymnasium",
	  "kiri leila" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int64_t account_id(struct store *s, const char *handle)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

static void act_as(struct gov_ctx *ctx, struct store *s, const char *handle)
{
	ctx->operator = 0;
	ctx->account_id = account_id(s, handle);
	snprintf(ctx->handle, sizeof(ctx->handle), "%s", handle);
}

static int load(struct store *s, struct px_error *err)
{
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL), .operator = 1 };
	json_t *out = NULL;
	char buf[2048];
	size_t step = 0, steps = N(communities) + N(people) + N(assemblies);
	int rc = 0;

	for (size_t i = 0; i < N(communities) && !rc; i++) {
		rc = gov_community_add(&ctx, communities[i].slug, communities[i].name,
				       communities[i].population, &out, err);
		json_decref(out);
		cli_progress("demo", ++step, steps);
	}
	for (size_t i = 0; i < N(people) && !rc; i++) {
		rc = gov_account_create(&ctx, people[i].handle, people[i].name,
					DEMO_PASSWORD, &out, err);
		json_decref(out);
		cli_progress("demo", ++step, steps);
	}
	for (size_t i = 0; i < N(assemblies) && !rc; i++) {
		json_t *rules = json_loads(assemblies[i].rules, 0, NULL);
		json_t *sched = json_pack("{s:s, s:s, s:s}", "rrule", assemblies[i].rrule,
					  "tz", assemblies[i].tz, "place",
					  assemblies[i].place);
		const char *cname = NULL;
		for (size_t c = 0; c < N(communities); c++)
			if (!strcmp(communities[c].slug, assemblies[i].community))
				cname = communities[c].name;
		snprintf(buf, sizeof(buf), statement, cname);
		struct body_found in = {
			.name = assemblies[i].name, .community = assemblies[i].community,
			.statement = buf, .rule = rules, .schedule = sched,
		};
		act_as(&ctx, s, assemblies[i].founder);
		rc = gov_body_found(&ctx, &in, &out, err);
		json_decref(out);
		json_decref(rules);
		json_decref(sched);

		char list[256];
		snprintf(list, sizeof(list), "%s", assemblies[i].members);
		for (char *save = NULL, *h = strtok_r(list, " ", &save); h && !rc;
		     h = strtok_r(NULL, " ", &save)) {
			char *colon = strchr(h, ':');
			const char *basis = "lives";
			if (colon) {
				*colon = '\0';
				basis = colon + 1;
			}
			act_as(&ctx, s, h);
			rc = gov_member_join(&ctx, assemblies[i].community, 1, basis,
					     &out, err);
			json_decref(out);
		}
		cli_progress("demo", ++step, steps);
	}
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	const char *db = NULL;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("demo"), opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;

	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), 0, &s, &err))
		return cli_report("demo", &err);
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM communities");
	int empty = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
	sqlite3_reset(st);
	if (!empty) {
		rc = cli_errorf("demo", CLI_FAIL,
				"%s already has communities; the demo loads only into a new database",
				cli_db_path(db));
		goto out;
	}
	if (load(s, &err)) {
		rc = cli_report("demo", &err);
		goto out;
	}
	printf("demo loaded: %zu communities, %zu people, %zu assemblies\n"
	       "sign in as any of them (e.g. 'amara') with the password '%s'\n",
	       N(communities), N(people), N(assemblies), DEMO_PASSWORD);
	rc = CLI_OK;
out:
	store_close(s);
	return rc;
}
