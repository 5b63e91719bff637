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

#include "core/errors.h"
#include "gov/people/people.h"
#include "gov/assembly/assembly.h"
#include "gov/procedure/procedure.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

#define DEMO_PASSWORD "demo-password"

const char cmd_demo_usage[] =
	"usage: pnyx demo [--db PATH]\n\n"
	"Load demonstration data into a database that has no communities yet:\n"
	"five communities, three local assemblies with their statements, rules\n"
	"and meeting schedules, and a dozen people who joined them. The Harbour\n"
	"Assembly has already met twice: its minutes, decisions and a small law\n"
	"register (one law amended since) are there. It founded the Coast\n"
	"Transport Federation, which has a proposal in flight (Night ferries)\n"
	"offered to it and not yet answered. Every demo account signs in\n"
	"with the password '" DEMO_PASSWORD "'.\n";

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

/* Act as handle from now on (an unknown handle acts as nobody, and the
 * next step is refused for it). */
static int act_as(struct gov_ctx *ctx, struct store *s, const char *handle,
		  struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	ctx->operator = 0;
	snprintf(ctx->handle, sizeof(ctx->handle), "%s", handle);
	int rc = store_int64(st, &ctx->account_id, NULL);
	return rc ? px_fail(err, rc, NULL, "cannot look up %s", handle) : 0;
}

/* ---- a past meeting of the Harbour Assembly ---- */

static int64_t motion(struct gov_ctx *ctx, struct store *s, const char *who,
		      const char *kind, const char *title, const char *text,
		      const char *params, int64_t amends, struct px_error *err)
{
	json_t *p = params ? json_loads(params, 0, NULL) : NULL, *out = NULL;
	struct motion_submit in = { kind, title, text, p, amends, 0 };
	int rc = act_as(ctx, s, who, err);
	if (!rc)
		rc = gov_motion_submit(ctx, "harbour", &in, &out, err);
	int64_t id = rc ? 0 : json_integer_value(json_object_get(out, "id"));
	json_decref(p);
	json_decref(out);
	return id;
}

/* Open the vote, let each of the voters take their position, close. */
static int decide(struct gov_ctx *ctx, struct store *s, int64_t id,
		  const char *const *votes, struct px_error *err)
{
	json_t *out = NULL;
	int rc = act_as(ctx, s, "amara", err);
	if (!rc)
		rc = gov_vote_open(ctx, id, "devices", &out, err);
	json_decref(out);
	for (size_t i = 0; !rc && votes[i]; i += 2) {
		out = NULL;
		if (!(rc = act_as(ctx, s, votes[i], err)))
			rc = gov_vote_cast(ctx, id, votes[i + 1], &out, err);
		json_decref(out);
		ctx->now += 20;
	}
	out = NULL;
	if (!rc && !(rc = act_as(ctx, s, "amara", err)))
		rc = gov_vote_close(ctx, id, &out, err);
	json_decref(out);
	ctx->now += 300;
	return rc;
}

static int64_t next_meeting(struct gov_ctx *ctx, struct px_error *err)
{
	json_t *out = NULL;
	int64_t id = 0;
	if (!gov_meeting_list(ctx, "harbour", &out, err))
		id = json_integer_value(json_object_get(
			json_array_get(json_object_get(out, "upcoming"), 0), "id"));
	json_decref(out);
	return id;
}

static int hold(struct gov_ctx *ctx, struct store *s, int64_t meeting,
		const char *const *present, struct px_error *err)
{
	json_t *out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT starts_at FROM meetings WHERE id = ?");
	sqlite3_bind_int64(st, 1, meeting);
	int rc = store_int64(st, &ctx->now, NULL);
	ctx->now += 300;
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!(rc = act_as(ctx, s, "amara", err)))
		rc = gov_meeting_code(ctx, meeting, &out, err);
	char code[8] = "";
	if (!rc)
		snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(out, "code")));
	json_decref(out);
	for (size_t i = 0; !rc && present[i]; i++) {
		out = NULL;
		if (!(rc = act_as(ctx, s, present[i], err)))
			rc = gov_meeting_checkin(ctx, meeting, code, &out, err);
		json_decref(out);
		ctx->now += 15;
	}
	return rc;
}

static int close_meeting(struct gov_ctx *ctx, struct store *s, int64_t meeting,
			 struct px_error *err)
{
	json_t *out = NULL;
	int rc = act_as(ctx, s, "amara", err);
	if (!rc)
		rc = gov_meeting_close(ctx, meeting, &out, err);
	json_decref(out);
	return rc;
}

/* ---- the Coast Transport Federation ---- */

/* Founded by the Harbour Assembly at its second meeting, with Amara as its
 * delegate; it meets at the same hour as Harbour and takes motions from
 * the floor. */
static const char federation_params[] =
	"{\"slug\":\"coast-transport\",\"name\":\"Coast Transport Federation\","
	"\"purpose\":\"transport\",\"region\":\"the coast and the islands\","
	"\"statement\":\"Assemblies of the coast coordinate their transport as"
	" equals. This federation makes no laws: it proposes, and each assembly"
	" decides.\",\"rule\":{\"default\":{\"kind\":\"simple_majority\"}},"
	"\"schedule\":{\"rrule\":\"FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0\","
	"\"tz\":\"Europe/Lisbon\",\"place\":\"Ferry terminal, upstairs room\","
	"\"floor_motions\":true},\"delegate\":\"amara\",\"mandate\":\"Press for"
	" night ferries; accept nothing that raises fares.\"}";

/* Right after, the federation, in session at the same hour as Harbour,
 * adopts a proposal: it is offered to Harbour, still unanswered. */
static int federation_story(struct gov_ctx *ctx, struct store *s, struct px_error *err)
{
	json_t *p = json_loads("{\"rationale\":\"Port and hospital shifts end after"
		" midnight and the islands have no other way home.\",\"condition\":"
		"{\"kind\":\"share_of_population\",\"percent\":50}}", 0, NULL);
	json_t *out = NULL;
	struct motion_submit in = { "adopt_proposal", "Night ferries",
		"A ferry leaves the harbour for the islands every hour through the"
		" night, and comes back.\n\n- Crews are volunteers from the member"
		" assemblies, on rotas they set themselves.\n- Nobody is charged.",
		p, 0, 0 };
	int rc = act_as(ctx, s, "amara", err);
	if (!rc)
		rc = gov_motion_submit(ctx, "coast-transport", &in, &out, err);
	json_decref(p);
	int64_t id = rc ? 0 : json_integer_value(json_object_get(out, "id"));
	int64_t meeting = rc ? 0 : json_integer_value(json_object_get(out, "meeting"));
	json_decref(out);
	out = NULL;
	if (!rc)
		rc = gov_meeting_code(ctx, meeting, &out, err);
	char code[8] = "";
	if (!rc)
		snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(out, "code")));
	json_decref(out);
	out = NULL;
	if (!rc)
		rc = gov_meeting_checkin(ctx, meeting, code, &out, err);
	json_decref(out);
	static const char *const yes[] = { "amara", "yes", NULL };
	return rc ? rc : decide(ctx, s, id, yes, err);
}

static int history(struct gov_ctx *ctx, struct store *s, struct px_error *err)
{
	static const char *const present[] = { "amara", "bruno", "chen", "dolores",
					       "emeka", NULL };
	static const char *const all_yes[] = { "amara", "yes", "bruno", "yes", "chen",
					       "yes", "dolores", "yes", "emeka", "yes", NULL };
	static const char *const split[] = { "amara", "yes", "bruno", "no", "chen", "yes",
					     "dolores", "yes", "emeka", "abstain", NULL };
	static const char *const close_call[] = { "amara", "no", "bruno", "yes", "chen",
						  "yes", "dolores", "no", "emeka", "yes", NULL };
	int rc;
	ctx->now += 3600;
	int64_t quiet = motion(ctx, s, "amara", "enact_law", "Quiet hours",
		"Between 22:00 and 07:00 nobody makes noise that carries into"
		" neighbours' homes.\n\nThe assembly hears any complaint at its next"
		" meeting.", NULL, 0, err);
	int64_t tools = motion(ctx, s, "bruno", "enact_law", "Shared tool library",
		"The old net loft on Quay Street becomes a tool library.\n\n- Anyone"
		" may borrow a tool for up to two weeks.\n- Scarce tools are lent by"
		" lot when more than one person asks on the same day.", NULL, 0, err);
	int64_t office = motion(ctx, s, "chen", "create_office", "A clerk", "",
		"{\"name\":\"clerk\",\"duties\":\"Keeps the minutes, checks members in"
		" and counts a show of hands.\"}", 0, err);
	if (!quiet || !tools || !office)
		return err->code ? err->code : PX_E_INTERNAL;
	ctx->now += 3600;
	int64_t amend = motion(ctx, s, "dolores", "amendment", "Later quiet hours on weekends",
		"Between 22:00 and 07:00 nobody makes noise that carries into"
		" neighbours' homes; on Friday and Saturday nights, from 23:00.\n\n"
		"The assembly hears any complaint at its next meeting.", NULL, quiet, err);
	if (!amend)
		return err->code ? err->code : PX_E_INTERNAL;

	int64_t m1 = next_meeting(ctx, err);
	if (!m1 || (rc = hold(ctx, s, m1, present, err)))
		return m1 ? rc : PX_E_INTERNAL;
	if ((rc = decide(ctx, s, office, all_yes, err)) ||
	    (rc = decide(ctx, s, amend, split, err)) ||
	    (rc = decide(ctx, s, quiet, all_yes, err)) ||
	    (rc = decide(ctx, s, tools, close_call, err)) ||
	    (rc = close_meeting(ctx, s, m1, err)))
		return rc;

	ctx->now += 86400;
	int64_t lending = motion(ctx, s, "bruno", "amend_law", "Shared tool library",
		"The old net loft on Quay Street becomes a tool library.\n\n- Anyone"
		" may borrow a tool for up to three weeks.\n- Scarce tools are lent by"
		" lot when more than one person asks on the same day.\n- Broken tools"
		" are brought back all the same, and mended together.",
		"{\"law\":2}", 0, err);
	int64_t elect = motion(ctx, s, "amara", "elect_holder", "Chen as clerk", "",
		"{\"office\":\"clerk\",\"holder\":\"chen\"}", 0, err);
	int64_t fed = motion(ctx, s, "amara", "found_federation",
		"Found the Coast Transport Federation", "", federation_params, 0, err);
	if (!lending || !elect || !fed)
		return err->code ? err->code : PX_E_INTERNAL;
	int64_t m2 = next_meeting(ctx, err);
	if (!m2 || (rc = hold(ctx, s, m2, present, err)))
		return m2 ? rc : PX_E_INTERNAL;
	if ((rc = decide(ctx, s, lending, all_yes, err)) ||
	    (rc = decide(ctx, s, elect, all_yes, err)) ||
	    (rc = decide(ctx, s, fed, all_yes, err)) ||
	    (rc = federation_story(ctx, s, err)))
		return rc;
	/* chen is clerk now: the clerk closes */
	json_t *out = NULL;
	if (!(rc = act_as(ctx, s, "chen", err)))
		rc = gov_meeting_close(ctx, m2, &out, err);
	json_decref(out);
	return rc;
}

static int load(struct store *s, struct px_error *err)
{
	/* The story starts 20 days ago, so the Harbour Assembly already held
	 * two meetings; every action carries its own moment. */
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL) - 20 * 86400,
			       .operator = 1 };
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
		if (!(rc = act_as(&ctx, s, assemblies[i].founder, err)))
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
			if ((rc = act_as(&ctx, s, h, err)))
				break;
			rc = gov_member_join(&ctx, assemblies[i].community, 1, basis,
					     &out, err);
			json_decref(out);
		}
		cli_progress("demo", ++step, steps);
	}
	if (!rc)
		rc = history(&ctx, s, err);
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
	int64_t communities_now = 0;
	if ((rc = store_int64(st, &communities_now, NULL))) {
		px_fail(&err, rc, NULL, NULL);
		rc = cli_report("demo", &err);
		goto out;
	}
	if (communities_now) {
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
