/*
 * cmd_tally.c: `pnyx tally`, counting a ballot file by a named method and
 * printing the result and every stage, as text or JSON. The file is read
 * in chunks and fed to the streaming parser, so only its distinct ballots
 * are held in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/ballot_parse.h"
#include "core/num.h"
#include "core/tally.h"
#include "gov/procedure/procedure.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_tally_usage[] = N_(
"usage: pnyx tally --method M [--seats N] [--json] [--format F] [--seed S]\n"
"                  [--default K] [--quorum R] [--majority K:N]...\n"
"                  [--rules 1.1|1.6] FILE\n"
"\n"
"Count the ballots in FILE (\"-\" for standard input) and print the result,\n"
"then a table of every stage. Arithmetic is exact (fixed point).\n"
"\n"
"Methods:\n"
"  plurality     first preferences\n"
"  approval      every ranked candidate counts as approved\n"
"  borda         a point for each candidate ranked below\n"
"  schulze       Schulze, winning votes; full ranking, ties reported\n"
"  debian        Debian constitution A.6: quorum, majority, CSSD\n"
"  stv-scottish  STV, Scottish Local Government Elections Order 2007\n"
"  stv-wigm      STV, weighted inclusive Gregory (PRF reference rule)\n"
"  stv-meek      STV, Meek (PRF reference rule), 9 decimals\n"
"\n"
"Formats (from the file name, or --format): soc, soi, toc, toi (PrefLib),\n"
"blt (OpenSTV/Droop, with [nick], [withdrawn], [tie], a=b), debian (a\n"
"tally sheet of V: lines; # headers give options, default option, 3:1\n"
"options, quorum R and rules).\n"
"\n"
"Options:\n"
"  --method M     one of the methods above (required)\n"
"  --seats N      seats to fill (default: the file's, else 1)\n"
"  --json         print {method, seats, quota, elected, ranking, rounds}\n"
"  --format F     the file format, when the name does not tell\n"
"  --seed S       seed of the lot for ties (default \"pnyx-tally\");\n"
"                 the seed is always printed\n"
"  --default K    Debian: the default option (default: the header's, else\n"
"                 the last)\n"
"  --quorum R     Debian: the quorum R (a decimal)\n"
"  --majority K:N Debian: option K needs an N:1 majority (repeatable)\n"
"  --rules V      Debian: majority test of constitution 1.1 (V(A,D) >\n"
"                 N V(D,A)) or 1.6 (V(A,D) >= N V(D,A) and V(A,D) > V(D,A))\n"
"\n"
"Exit status: 0 counted, 2 bad usage or a malformed file (FILE:LINE:\n"
"reason on standard error).\n");

/* The usage names the default seed as a literal (one message of the
 * catalogue): it must stay TALLY_DEFAULT_SEED (tests/cli/test_tally.py). */

/* TRANSLATORS: a candidate's outcome in the last column of a count */
static const char *const state_name[] = {
	[T_HOPEFUL] = NC_("candidate", "not elected"), [T_ELECTED] = NC_("candidate", "elected"),
	[T_EXCLUDED] = NC_("candidate", "excluded"), [T_WITHDRAWN] = NC_("candidate", "withdrawn"),
};

static int read_ballots(const char *path, int format, struct ballot_set *bs)
{
	struct ballot_parser *p = NULL;
	struct px_error err = { 0 };
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = malloc(1 << 16);
	int rc = CLI_USAGE, prc;

	if (!f) {
		cli_errorf("tally", CLI_USAGE, "%s: cannot open", path);
		goto out;
	}
	if (!buf) {
		rc = CLI_FAIL;
		goto out;
	}
	size_t got = fread(buf, 1, 1 << 16, f);
	if (format < 0)
		format = ballot_format_guess(path, buf, got);
	if (format < 0) {
		cli_errorf("tally", CLI_USAGE, "%s: unknown format; give "
			   "--format soc|soi|toc|toi|blt|debian", path);
		goto out;
	}
	if (ballot_parser_new(format, &p)) {
		rc = CLI_FAIL;
		goto out;
	}
	prc = 0;
	while (got && !prc) {
		prc = ballot_parser_feed(p, buf, got, &err);
		got = prc ? 0 : fread(buf, 1, 1 << 16, f);
	}
	if (!prc && ferror(f)) {
		cli_errorf("tally", CLI_USAGE, "%s: read error", path);
		goto out;
	}
	if (!prc)
		prc = ballot_parser_finish(p, bs, &err);
	if (prc == PX_E_BALLOT_SYNTAX) {
		cli_errorf("tally", CLI_USAGE, "%s:%zu: %s", path,
			   ballot_parser_line(p), px_error_message(&err));
		goto out;
	}
	if (prc) {
		rc = cli_report("tally", &err);
		if (!err.code)
			rc = CLI_FAIL;
		goto out;
	}
	rc = 0;
out:
	ballot_parser_free(p);
	free(buf);
	if (f && f != stdin)
		fclose(f);
	return rc;
}

static int parse_majority(const char *s, struct ballot_majority *m)
{
	char opt[24];
	const char *colon = strchr(s, ':');
	int64_t k, n;
	if (!colon || (size_t)(colon - s) >= sizeof(opt))
		return -1;
	memcpy(opt, s, (size_t)(colon - s));
	opt[colon - s] = '\0';
	if (num_parse_i64(opt, 1, BALLOTS_MAX_CAND, &k) ||
	    num_parse_i64(colon + 1, 1, 1000000, &n))
		return -1;
	m->option = (uint32_t)(k - 1);
	m->ratio = (uint32_t)n;
	return 0;
}

/* ---- text ---- */

/* v (units of 10^-decimals) as the reader's language writes a decimal
 * ("8789,00000"; "8,789.00000"), in buf (64 bytes). */
static const char *value_text(const struct tally_result *r, int64_t v, char buf[64])
{
	char c[48];
	tally_format(c, sizeof(c), v, r->decimals);
	return cli_decimal(c, buf);
}

static void print_value(FILE *out, const struct tally_result *r, int64_t v,
			int width)
{
	char buf[64];
	value_text(r, v, buf);
	fprintf(out, " %*s", cli_pad(buf, width), buf);
}

/* A stage or a note in the reader's language (the record keeps English). */
static void print_words(const char *prefix, const struct tally_words *w)
{
	char buf[1024];
	(void)tally_words_write(cli_lang(), w, buf, sizeof(buf));
	printf("%s%s\n", prefix, buf);
}

/* The change each stage made: what its transfer moved to each candidate
 * and to the non-transferable papers. */
static void print_transfers(const struct tally_result *r,
			    const struct ballot_set *bs, int namew, int w)
{
	char buf[64];
	printf("\n%s\n%-*.*s", _("Transfers (change at each stage):"), namew, namew, "");
	for (size_t k = 1; k < r->nrounds; k++)
		printf(" %*zu", w, k + 1);
	printf("\n");
	for (size_t c = 0; c <= r->ncand; c++) {
		const char *name = c < r->ncand ? bs->names[c] : _("non-transferable");
		printf("%-*.*s", cli_pad(name, namew), cli_pad(name, namew), name);
		for (size_t k = 1; k < r->nrounds; k++) {
			const struct tally_round *a = &r->rounds[k - 1];
			const struct tally_round *b = &r->rounds[k];
			int64_t d = c < r->ncand ? b->votes[c] - a->votes[c]
				    : b->nontransferable - a->nontransferable;
			value_text(r, d, buf);
			printf(" %*s%s", w - (int)i18n_width(buf) - (d > 0), "",
			       d > 0 ? "+" : "");
			printf("%s", buf);
		}
		printf("\n");
	}
}

static void print_stages(const struct tally_result *r,
			 const struct ballot_set *bs)
{
	int namew = 16, w = 1;
	char buf[64];
	for (size_t c = 0; c < r->ncand; c++) {
		int l = (int)strlen(bs->names[c]);
		if (l > namew)
			namew = l > 32 ? 32 : l;
	}
	for (size_t k = 0; k < r->nrounds; k++)
		for (size_t c = 0; r->rounds[k].votes && c < r->ncand; c++) {
			value_text(r, r->rounds[k].votes[c], buf);
			if ((int)i18n_width(buf) > w)
				w = (int)i18n_width(buf);
		}
	if (w < 3)
		w = 3; /* room for "in" and "out" */
	printf("\n%s\n", _("Stages:"));
	for (size_t k = 0; k < r->nrounds; k++) {
		char n[40];
		snprintf(n, sizeof(n), "  %zu. ", k + 1);
		print_words(n, &r->rounds[k].words);
	}
	printf("\n%-*.*s", namew, namew, "");
	for (size_t k = 0; k < r->nrounds; k++)
		printf(" %*zu", w, k + 1);
	printf("\n");
	for (size_t c = 0; c < r->ncand; c++) {
		printf("%-*.*s", cli_pad(bs->names[c], namew), cli_pad(bs->names[c], namew),
		       bs->names[c]);
		for (size_t k = 0; k < r->nrounds; k++) {
			const struct tally_round *t = &r->rounds[k];
			if (t->votes)
				print_value(stdout, r, t->votes[c], w);
			else
				/* TRANSLATORS: a candidate out of the count, or still in it */
				printf(" %*s", w, t->state && t->state[c] ==
				       T_EXCLUDED ? _("out") : _("in"));
		}
		const struct tally_round *last = &r->rounds[r->nrounds - 1];
		/* The outcome column: only where stages carry votes (STV). */
		if (last->state && last->votes)
			printf("  %s", trp(cli_lang(), "candidate", state_name[last->state[c]]));
		printf("\n");
	}
	if (r->nrounds && r->rounds[0].nontransferable >= 0) {
		const char *nt = _("non-transferable");
		printf("%-*.*s", cli_pad(nt, namew), cli_pad(nt, namew), nt);
		for (size_t k = 0; k < r->nrounds; k++)
			print_value(stdout, r, r->rounds[k].nontransferable, w);
		printf("\n");
	}
	if (r->nrounds && r->rounds[0].quota >= 0) {
		/* TRANSLATORS: the row of the quota in a count's table */
		const char *q = _("quota");
		printf("%-*.*s", cli_pad(q, namew), cli_pad(q, namew), q);
		for (size_t k = 0; k < r->nrounds; k++)
			print_value(stdout, r, r->rounds[k].quota, w);
		printf("\n");
	}
	if (r->nrounds > 1 && r->rounds[0].votes &&
	    r->rounds[0].nontransferable >= 0)
		print_transfers(r, bs, namew, w + 1);
}

static void print_pairwise(const struct tally_result *r,
			   const struct ballot_set *bs)
{
	size_t n = r->ncand;
	printf("\n%s\n%6s", _("Pairwise (row over column):"), "");
	for (size_t j = 0; j < n; j++)
		printf(" %6zu", j + 1);
	printf("\n");
	for (size_t i = 0; i < n; i++) {
		printf("%6zu", i + 1);
		for (size_t j = 0; j < n; j++)
			if (i == j)
				printf(" %6s", "-");
			else
				printf(" %6lld", (long long)r->pairwise[i * n + j]);
		printf("  %s\n", bs->names[i]);
	}
}

/* "Method:  " and the rest, the labels padded to the widest. */
static void print_field(const char *label, int w, const char *value)
{
	printf("%-*s%s\n", cli_pad(label, w), label, value);
}

static void print_text(const struct tally_result *r,
		       const struct ballot_set *bs)
{
	char buf[64], num[32];
	const char *labels[] = { _("Method:"), _("Seats:"), _("Ballots:"), _("Quota:"),
				 _("Seed:") };
	int w = 9;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if ((int)i18n_width(labels[i]) + 1 > w)
			w = (int)i18n_width(labels[i]) + 1;
	if (bs->title)
		printf("%s\n", bs->title);
	print_field(labels[0], w, r->method);
	print_field(labels[1], w, cli_number((int64_t)r->seats, num));
	print_field(labels[2], w, cli_number((int64_t)r->ballots, num));
	if (r->quota >= 0) {
		print_field(labels[3], w, value_text(r, r->quota, buf));
	}
	printf("%s", _("Elected:"));
	for (size_t i = 0; i < r->nelected; i++)
		printf("%s %s", i ? ";" : "", bs->names[r->elected[i]]);
	if (r->nelected)
		printf("\n");
	else
		/* TRANSLATORS: after "Elected:", when nobody is */
		printf(" %s\n", _("none"));
	printf("%s\n", _("Ranking:"));
	for (size_t i = 0, pos = 1; i < r->nranking; i++) {
		int tied = (i + 1 < r->nranking &&
			    r->rank_level[i + 1] == r->rank_level[i]) ||
			   (i && r->rank_level[i - 1] == r->rank_level[i]);
		if (i && r->rank_level[i] != r->rank_level[i - 1])
			pos = i + 1;
		printf("  %zu%s %s\n", pos, tied ? "=" : ".",
		       bs->names[r->ranking[i]]);
	}
	printf("%-*s", cli_pad(labels[4], w), labels[4]);
	printf(trn(cli_lang(), "%s (%s lot drawn)\n", "%s (%s lots drawn)\n", r->lots), r->seed,
	       cli_number((int64_t)r->lots, num));
	if (r->nnotes)
		printf("%s\n", _("Notes:"));
	for (size_t i = 0; i < r->nnotes; i++)
		print_words("  ", &r->note_words[i]);
	if (r->pairwise)
		print_pairwise(r, bs);
	if (r->nrounds)
		print_stages(r, bs);
}

int cmd_tally(int argc, char **argv)
{
	const struct cli_cmd *cmd = cli_find("tally");
	const char *method = NULL, *format = NULL, *seed = NULL;
	const char *quorum = NULL, *rules = NULL, *pos[1];
	int64_t seats = 0, def = 0;
	int json = 0, rc, fmt = -1;
	struct cli_list majority = { .n = 0 };
	struct tally_opts o = { 0 };
	struct ballot_set bs = { 0 };
	struct tally_result r = { 0 };
	struct px_error err = { 0 };
	size_t npos;
	const struct cli_opt opts[] = {
		{ "method", OPT_STRING, &method, 0, 0 },
		{ "seats", OPT_INT, &seats, 1, BALLOTS_MAX_CAND },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "format", OPT_STRING, &format, 0, 0 },
		{ "seed", OPT_STRING, &seed, 0, 0 },
		{ "default", OPT_INT, &def, 1, BALLOTS_MAX_CAND },
		{ "quorum", OPT_STRING, &quorum, 0, 0 },
		{ "majority", OPT_LIST, &majority, 0, 0 },
		{ "rules", OPT_STRING, &rules, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	const struct tally_method *m;

	rc = cli_parse(cmd, opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (!method)
		return cli_errorf("tally", CLI_USAGE, "--method is required "
				  "(see pnyx help tally)");
	if (!(m = tally_method_find(method)))
		return cli_errorf("tally", CLI_USAGE, "no method '%s' (see pnyx "
				  "help tally)", method);
	if (npos != 1)
		return cli_errorf("tally", CLI_USAGE, "give one ballot FILE");
	if (format && (fmt = ballot_format_by_name(format)) < 0)
		return cli_errorf("tally", CLI_USAGE, "no format '%s'", format);
	if (seats > 1 && !m->multi_seat)
		return cli_errorf("tally", CLI_USAGE, "--seats: %s fills one "
				  "seat", method);
	if (rules) {
		if (!strcmp(rules, "1.1"))
			o.rules = 11;
		else if (!strcmp(rules, "1.6"))
			o.rules = 16;
		else
			return cli_errorf("tally", CLI_USAGE, "--rules takes 1.1 "
					  "or 1.6, not '%s'", rules);
	}
	for (size_t i = 0; i < majority.n; i++)
		if (parse_majority(majority.items[i], &o.majority[o.nmajority++]))
			return cli_errorf("tally", CLI_USAGE, "--majority takes "
					  "K:N (option K needs N:1), not '%s'",
					  majority.items[i]);
	if (quorum) {
		const char *q = quorum;
		int digits = 0, dots = 0;
		for (; *q; q++) {
			digits += *q >= '0' && *q <= '9';
			dots += *q == '.';
			if ((*q < '0' || *q > '9') && *q != '.')
				break;
		}
		if (*q || !digits || dots > 1 || strlen(quorum) > 40)
			return cli_errorf("tally", CLI_USAGE, "--quorum takes a "
					  "decimal number, not '%s'", quorum);
	}
	o.seats = (size_t)seats;
	o.seed = seed;
	o.default_option = (uint32_t)def;
	o.quorum = quorum;

	if ((rc = read_ballots(pos[0], fmt, &bs)))
		return rc;
	rc = tally_run(m, &bs, &o, &r, &err);
	if (rc) {
		if (!err.code)
			px_fail(&err, rc, NULL, NULL);
		rc = cli_report("tally", &err);
		goto out;
	}
	if (json) {
		json_t *j = tally_result_json(&r, &bs);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
		rc = s ? CLI_OK : CLI_FAIL;
	} else {
		print_text(&r, &bs);
		rc = CLI_OK;
	}
out:
	tally_result_release(&r);
	ballots_release(&bs);
	return rc;
}
