/*
 * cmd_proposal.c: `pnyx proposal status|show|list`: reading proposals
 * that travel between delegate and local assemblies. Proposals are made
 * and answered only by decisions taken at meetings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/num.h"
#include "gov/federation/federation.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_proposal_usage[] = N_(
	"usage: pnyx proposal status ID [--under SLUG] [--json] [--db PATH]\n"
	"       pnyx proposal show ID [--json] [--db PATH]\n"
	"       pnyx proposal list SLUG [--json] [--db PATH]\n\n"
	"status: the tree of assemblies beneath the delegate assembly that made\n"
	"proposal ID, each one's answer per version, how many local assemblies\n"
	"and how many people accepted, whether each version's condition is met,\n"
	"and the law it became in each register. The tree shows at most 400\n"
	"assemblies, breadth first; --under SLUG starts it at an assembly\n"
	"beneath the originator, to read further down a large federation.\n"
	"show: every version (text, rationale, condition) and every answer.\n"
	"list: the proposals the assembly SLUG made, and those offered to it.\n");

static void print_condition(const json_t *c)
{
	const char *kind = json_string_value(json_object_get(c, "kind"));
	long long pc = (long long)json_integer_value(json_object_get(c, "percent"));
	if (!strcmp(kind, "at_least"))
		printf(_("at least %lld local assemblies"),
		       (long long)json_integer_value(json_object_get(c, "n")));
	else if (!strcmp(kind, "all_of"))
		printf(_("all of %zu named assemblies"),
		       json_array_size(json_object_get(c, "assemblies")));
	else if (!strcmp(kind, "share_of_population"))
		printf(_("%lld%% of the population"), pc);
	else
		printf(_("%lld%% of the local assemblies"), pc);
}

/* An assembly's answer to a version, or a law's status, in words. */
static const char *answer_words(const char *answer)
{
	if (!answer)
		return _("no answer yet");
	return !strcmp(answer, "accept") ? _("accepted")
	       : !strcmp(answer, "reject") ? _("rejected")
	       : !strcmp(answer, "amend") ? _("asked to amend")
	       : !strcmp(answer, "repealed") ? _("repealed")
	       : !strcmp(answer, "in_force") ? _("in force") : answer;
}

static void print_node(const json_t *n, int depth)
{
	const char *key;
	json_t *v;
	size_t i;
	const char *kind = json_string_value(json_object_get(n, "kind"));
	printf("%*s%s (%s", depth * 2, "", json_string_value(json_object_get(n, "body")),
	       kind && !strcmp(kind, "local") ? _("local assembly") : _("delegate assembly"));
	if (json_object_get(n, "locals")) {
		long long locals = json_integer_value(json_object_get(n, "locals"));
		printf(trn(cli_lang(), ", %lld local assembly beneath",
			   ", %lld local assemblies beneath", (uint64_t)locals), locals);
	}
	if (json_object_get(n, "population"))
		printf(_(", %lld people"),
		       (long long)json_integer_value(json_object_get(n, "population")));
	printf(")");
	json_object_foreach((json_t *)json_object_get(n, "answers"), key, v)
		printf("  v%s %s", key, answer_words(json_string_value(v)));
	const json_t *law = json_object_get(n, "law");
	if (law)
		printf(_("  law %lld (version %lld, %s)"),
		       (long long)json_integer_value(json_object_get(law, "number")),
		       (long long)json_integer_value(json_object_get(law, "proposal_version")),
		       answer_words(json_string_value(json_object_get(law, "status"))));
	printf("\n");
	json_array_foreach(json_object_get(n, "children"), i, v)
		print_node(v, depth + 1);
	if (json_object_get(n, "children_omitted")) {
		printf("%*s", depth * 2 + 2, "");
		printf(_("... %lld more (pnyx proposal status ID --under %s)\n"),
		       (long long)json_integer_value(json_object_get(n, "children_omitted")),
		       json_string_value(json_object_get(n, "body")));
	}
}

static void print_status(const json_t *out)
{
	size_t i;
	json_t *v;
	printf(_("proposal %lld of %s: %s (latest version %lld)\n"),
	       (long long)json_integer_value(json_object_get(out, "id")),
	       json_string_value(json_object_get(out, "body")),
	       json_string_value(json_object_get(out, "title")),
	       (long long)json_integer_value(json_object_get(out, "latest")));
	json_array_foreach(json_object_get(out, "versions"), i, v) {
		printf(_("version %lld, condition "),
		       (long long)json_integer_value(json_object_get(v, "version")));
		print_condition(json_object_get(v, "condition"));
		printf(json_is_true(json_object_get(v, "met"))
		       ? _(": %lld of %lld local assemblies, %lld of %lld people accepted: met\n")
		       : _(": %lld of %lld local assemblies, %lld of %lld people accepted: not"
			   " met\n"),
		       (long long)json_integer_value(json_object_get(v, "locals_accepted")),
		       (long long)json_integer_value(json_object_get(v, "locals")),
		       (long long)json_integer_value(json_object_get(v, "population_accepted")),
		       (long long)json_integer_value(json_object_get(v, "population")));
	}
	print_node(json_object_get(out, "tree"), 0);
	json_array_foreach(json_object_get(out, "remote"), i, v) {
		const char *answer = json_string_value(json_object_get(v, "answer"));
		const char *decision = json_string_value(json_object_get(v, "decision"));
		const json_t *pop = json_object_get(v, "population");
		if (!i)
			puts(_("assemblies on other nodes, as each node reported (signed):"));
		/* its name, as its actor document gave it, before its address */
		const char *name = json_string_value(json_object_get(v, "assembly_name"));
		if (name)
			printf("  %s: ", name);
		else
			fputs("  ", stdout);
		printf(_("%s, version %lld: %s"), json_string_value(json_object_get(v, "assembly")),
		       (long long)json_integer_value(json_object_get(v, "version")),
		       answer_words(answer));
		if (json_is_integer(pop))
			printf(_(", for %lld people"), (long long)json_integer_value(pop));
		if (decision)
			printf(_(" (its decision: %s)"), decision);
		printf("\n");
		/* a delegate assembly on its node answers for those beneath it */
		const json_t *locals = json_object_get(v, "locals");
		size_t j;
		json_t *b;
		if (json_is_integer(locals))
			printf(trn(cli_lang(), "    %lld local assembly beneath it accepted\n",
				   "    %lld local assemblies beneath it accepted\n",
				   (uint64_t)json_integer_value(locals)),
			       (long long)json_integer_value(locals));
		/* of how many in all, as its node reported them: the whole a
		 * share is counted against */
		const json_t *totals = json_object_get(v, "totals");
		if (json_is_object(totals))
			printf(trn(cli_lang(), "    of %lld local assembly beneath it in all, %lld"
				   " people, as %s reported\n",
				   "    of %lld local assemblies beneath it in all, %lld people,"
				   " as %s reported\n",
				   (uint64_t)json_integer_value(json_object_get(totals, "locals"))),
			       (long long)json_integer_value(json_object_get(totals, "locals")),
			       (long long)json_integer_value(json_object_get(totals, "population")),
			       json_string_value(json_object_get(v, "node")));
		else if (json_is_integer(locals))
			printf(_("    its node did not say how many there are in all: counted as"
				 " those that accepted, at least one\n"));
		json_array_foreach(json_object_get(v, "beneath"), j, b)
			printf(_("    %s (on %s): %s, reported by %s\n"),
			       json_string_value(json_object_get(b, "assembly")),
			       json_string_value(json_object_get(b, "node")),
			       answer_words(json_string_value(json_object_get(b, "answer"))),
			       json_string_value(json_object_get(b, "reportedBy")));
	}
}

/* The rationing policy a proposal carries (docs/sharing.md "Scarcity
 * shared across a federation"). */
static void print_scarcity(const json_t *sc)
{
	const json_t *pp = json_object_get(sc, "params"), *c;
	long long good = (long long)json_integer_value(json_object_get(sc, "good"));
	const char *name = json_string_value(json_object_get(sc, "good_name"));
	size_t i;
	if (!sc)
		return;
	if (!strcmp(json_string_value(json_object_get(sc, "action")), "lift")) {
		printf(_("It proposes to lift the rationing of good %lld, %s.\n\n"), good, name);
		return;
	}
	printf(_("It proposes a rationing policy for good %lld, %s: rounds of %lld days,"
		 " at most %lld to one request (0: no cap), by need:\n"), good, name,
	       (long long)json_integer_value(json_object_get(pp, "round_days")),
	       (long long)json_integer_value(json_object_get(pp, "cap")));
	json_array_foreach(json_object_get(pp, "policy"), i, c)
		printf(_("  %s: %lld%% reserved\n"),
		       json_string_value(json_object_get(c, "name")),
		       (long long)json_integer_value(json_object_get(c, "share")));
	printf("\n");
}

static void print_show(const json_t *out)
{
	size_t i;
	json_t *v;
	print_scarcity(json_object_get(out, "scarcity"));
	json_array_foreach(json_object_get(out, "versions"), i, v) {
		printf(_("-- version %lld (motion %lld): %s\ncondition: "),
		       (long long)json_integer_value(json_object_get(v, "version")),
		       (long long)json_integer_value(json_object_get(v, "adopted_by")),
		       json_string_value(json_object_get(v, "title")));
		print_condition(json_object_get(v, "condition"));
		printf("\n%s\n", json_string_value(json_object_get(v, "text")));
		const char *why = json_string_value(json_object_get(v, "rationale"));
		if (why && *why)
			printf(_("rationale: %s\n"), why);
		printf("\n");
	}
	json_array_foreach(json_object_get(out, "answers"), i, v) {
		const char *counter = json_string_value(json_object_get(v, "counter_text"));
		printf(_("%s answered version %lld: %s (motion %lld)%s%s\n"),
		       json_string_value(json_object_get(v, "body")),
		       (long long)json_integer_value(json_object_get(v, "version")),
		       answer_words(json_string_value(json_object_get(v, "answer"))),
		       (long long)json_integer_value(json_object_get(v, "motion")),
		       counter ? ": " : "", counter ? counter : "");
	}
}

static void print_list(const json_t *out)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(out, "originated"), i, v) {
		const json_t *relayed = json_object_get(v, "relayed");
		if (json_is_object(relayed))
			printf(_("%4lld  relayed  v%-3lld %s (from %s)\n"),
			       (long long)json_integer_value(json_object_get(v, "id")),
			       (long long)json_integer_value(json_object_get(v, "version")),
			       json_string_value(json_object_get(v, "title")),
			       json_string_value(json_object_get(relayed, "from")));
		else
			printf(_("%4lld  made     v%-3lld %s\n"),
			       (long long)json_integer_value(json_object_get(v, "id")),
			       (long long)json_integer_value(json_object_get(v, "version")),
			       json_string_value(json_object_get(v, "title")));
	}
	json_array_foreach(json_object_get(out, "offered"), i, v) {
		const char *answer = json_string_value(json_object_get(v, "answer"));
		printf(_("%4lld  offered  v%-3lld %s (from %s): %s\n"),
		       (long long)json_integer_value(json_object_get(v, "id")),
		       (long long)json_integer_value(json_object_get(v, "version")),
		       json_string_value(json_object_get(v, "title")),
		       json_string_value(json_object_get(v, "from")),
		       answer ? answer_words(answer) : _("not answered"));
	}
}

struct proposal_read {
	const struct gov_ctx *ctx;
	int verb; /* 0 status, 1 show, 2 list */
	int64_t id;
	const char *under, *slug;
	json_t *out;
	struct px_error *err;
};

/* One read transaction, as the server's GETs: one moment, no writes. */
static int read_proposal(struct store *s, void *arg)
{
	struct proposal_read *r = arg;
	(void)s;
	json_decref(r->out); /* a busy read runs this again */
	r->out = NULL;
	switch (r->verb) {
	case 0: return gov_proposal_status(r->ctx, r->id, r->under, &r->out, r->err);
	case 1: return gov_proposal_get(r->ctx, r->id, 0, 0, &r->out, r->err);
	default: return gov_body_proposals(r->ctx, r->slug, &r->out, r->err);
	}
}

int cmd_proposal(int argc, char **argv)
{
	const char *db = NULL, *under = NULL, *pos[2];
	int json = 0;
	int64_t id = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "under", OPT_STRING, &under, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("proposal"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	static const char *const verbs[] = { "status", "show", "list", NULL };
	int verb = -1;
	for (int i = 0; npos == 2 && verbs[i]; i++)
		if (!strcmp(verbs[i], pos[0]))
			verb = i;
	if (verb < 0)
		return cli_errorf("proposal", CLI_USAGE,
				  "say 'status ID', 'show ID' or 'list SLUG'");
	if (verb < 2 && num_parse_i64(pos[1], 1, INT64_MAX, &id))
		return cli_errorf("proposal", CLI_USAGE, "a proposal is named by its number");

	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("proposal", &err);
	struct gov_ctx ctx = { .db = s, .lang = cli_lang(), .now = (int64_t)time(NULL) };
	struct proposal_read r = { &ctx, verb, id, under, pos[1], NULL, &err };
	rc = cli_read(s, read_proposal, &r, &err);
	out = r.out;
	if (rc) {
		rc = cli_report_store("proposal", &err, s);
		goto out;
	}
	if (json) {
		char *t = json_dumps(out, JSON_INDENT(2));
		puts(t);
		free(t);
	} else if (verb == 0) {
		print_status(out);
	} else if (verb == 1) {
		print_show(out);
	} else {
		print_list(out);
	}
	rc = CLI_OK;
out:
	json_decref(out);
	store_close(s);
	return rc;
}
