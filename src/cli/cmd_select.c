/*
 * cmd_select.c: `pnyx select`, a stratified panel: LEXIMIN (or MAXIMIN)
 * selection probabilities over quota-respecting panels, rounded to a
 * uniform lottery of M tickets whose commitment can be published, and,
 * given a seed, the panel that lottery picks (docs/sortition.md
 * section 8). The work is in core (quota, leximin, lottery); this file
 * reads the files, shows progress and prints.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/errors.h"
#include "core/legacy.h"
#include "core/leximin.h"
#include "core/lottery.h"
#include "core/pool.h"
#include "core/quota.h"
#include "core/rounding.h"
#include "cli.h"
#include "commands.h"
#include "sortition_io.h"
#include "sortition_run.h"
#include "banned.h"

const char cmd_select_usage[] = N_(
	"usage: pnyx select --categories FILE --respondents FILE --panel-size K\n"
	"                   [--algorithm leximin|maximin|legacy] [--panels M]\n"
	"                   [--rounding optimal|heuristic] [--time-limit SECONDS]\n"
	"                   [--seed SOURCE] [--id-column NAME] [--json]\n"
	"       pnyx select --lottery FILE --seed SOURCE [--json]\n"
	"\n"
	"Choose a panel of K people meeting quotas, as fairly as possible: the\n"
	"LEXIMIN distribution (Flanigan et al., Nature 2021) gives the least\n"
	"likely person the highest possible chance, then the next, and so on.\n"
	"It is rounded to a lottery of M equally likely panels whose commitment\n"
	"you publish before the seed exists; with --seed, the panel the lottery\n"
	"picks is printed, and pnyx verify checks it.\n"
	"\n"
	"  --categories FILE   features.csv (feature,value,min,max[,min_flex,max_flex])\n"
	"                      or categories.csv (category,feature,min,max)\n"
	"  --respondents FILE  one row per person, one column per category, and\n"
	"                      an id column (id, *_id, or --id-column); without\n"
	"                      one, people are numbered from 1 in file order\n"
	"  --algorithm A       leximin (default), maximin, or legacy (the Sortition\n"
	"                      Foundation's original greedy method, for comparison:\n"
	"                      M panels sampled by it, probabilities their shares)\n"
	"  --panels M          tickets in the lottery; by default 1000, or more\n"
	"                      on a large pool: enough that the least likely\n"
	"                      person holds about 10 tickets (at most 3,000,000\n"
	"                      seats in all); 1000 after --time-limit stopped\n"
	"                      LEXIMIN, and with legacy\n"
	"  --time-limit S      stop LEXIMIN or MAXIMIN after S seconds with the\n"
	"                      best distribution found so far; the output says\n"
	"                      it is not proven optimal (\"optimal\": false);\n"
	"                      the rounding then has what is left (at least 1 s).\n"
	"                      Progress goes to standard error: a running line on\n"
	"                      a terminal, otherwise a line every 5 seconds\n"
	"  --rounding R        how the distribution becomes M tickets: optimal\n"
	"                      (default; an integer program minimising the largest\n"
	"                      change of anyone's probability, Flanigan, Kehne and\n"
	"                      Procaccia, NeurIPS 2021) or heuristic (largest\n"
	"                      remainders and a few moves); optimal falls back to\n"
	"                      heuristic when its search is too long, and the\n"
	"                      output says which was used\n"
	"  --rounding-nodes N  branch-and-bound nodes each integer program may\n"
	"                      explore (default 1000); past that the search stops\n"
	"                      and keeps the best rounding found (\"improved\")\n"
	"  --lottery FILE      pick from a lottery published earlier (the --json\n"
	"                      output of pnyx select) instead of computing it again\n"
	"  --json              {\"probabilities\": {id: p}, \"min_probability\",\n"
	"                      \"panels\": [{\"probability\", \"tickets\", \"members\"}],\n"
	"                      \"lottery\": {...}, \"seed\", \"panel\": [ids]}\n");

/* Progress of LEXIMIN on standard error, and the time limit. */
struct watch {
	double start, last, limit; /* seconds (CLOCK_MONOTONIC); limit 0: none */
	int tty, stopped;
	const char *algo;
	struct px_fair_state st;   /* the latest */
};

#define WATCH_EVERY 5.0 /* seconds between lines when not a terminal */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int progress(void *ctx, const struct px_fair_state *st)
{
	struct watch *w = ctx;
	double t = now_s();
	w->st = *st;
	if (w->tty) {
		fputc('\r', stderr);
		if (st->level)
			fprintf(stderr, _("%s: level %zu, %zu/%zu types fixed, %zu panels, "
				"minimum %.6f, %.0f s"), w->algo, st->level, st->fixed,
				st->ntypes, st->panels, st->minimum, t - w->start);
		else
			fprintf(stderr, _("%s: first panels %zu"), w->algo, st->panels);
		fputs("   ", stderr); /* over what a longer line left */
		fflush(stderr);
	} else if (t - w->last >= WATCH_EVERY) {
		w->last = t;
		fprintf(stderr, _("pnyx select: %s: level %zu, %zu/%zu types fixed, %zu panels,"
			" minimum %.6f, %.0f s\n"), w->algo, st->level, st->fixed, st->ntypes,
			st->panels, st->minimum, t - w->start);
	}
	if (w->limit > 0 && t - w->start >= w->limit)
		w->stopped = 1;
	return w->stopped;
}

/* The last line: how it ended, whether or not on a terminal. */
static void watch_end(const struct watch *w, const struct px_dist *d)
{
	double t = now_s() - w->start;
	if (w->tty)
		fputc('\n', stderr);
	if (d->optimal)
		fprintf(stderr, _("pnyx select: %s: done in %.1f s: %zu levels, %zu panels"
			" generated\n"), w->algo, t, d->levels, d->columns);
	else
		fprintf(stderr, _("pnyx select: %s: stopped by --time-limit after %.1f s at"
			" level %zu (%zu of %zu types fixed): the best distribution found so"
			" far, NOT proven optimal\n"), w->algo, t, w->st.level, w->st.fixed,
			w->st.ntypes);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Seats of each value on a panel given by ids (found by binary search in
 * sorted, the ids in byte order, with person[] mapping back to rows). */
static void count_seats(const struct px_quota *q, const char *const *members,
			size_t n, const char **sorted, const size_t *person,
			int64_t *seats)
{
	memset(seats, 0, q->nfeat * sizeof(int64_t));
	for (size_t i = 0; i < n; i++) {
		const char **hit = bsearch(&members[i], sorted, q->npeople,
					   sizeof(char *), by_str);
		if (!hit)
			continue;
		size_t t = q->person_type[person[hit - sorted]];
		for (size_t c = 0; c < q->ncat; c++)
			seats[q->type_feat[t * q->ncat + c]]++;
	}
}

/* Print the result. d is the LEXIMIN/MAXIMIN distribution, or NULL for
 * LEGACY, whose probabilities are the lottery's own. */
/* What emit() reports, gathered step by step. */
struct report {
	const struct px_quota *q;
	const struct px_dist *d;      /* NULL: the lottery alone */
	const struct px_lottery *l;
	const struct px_round_info *ri;
	const char *algo, *source;    /* source NULL: no pick */
	double *lot;                  /* each person's chance in the lottery */
	double min_lex, min_lot;
	char hex[65], shex[65];       /* the commitment, the seed */
	size_t pick;
	int64_t *seats;               /* per feature, on the panel picked */
	int quotas_ok;
};

/* Each person's chance in the lottery: their tickets over m, in file
 * order. Ids are found by binary search over the ids in byte order. */
static int lottery_chances(struct report *r)
{
	const struct px_quota *q = r->q;
	const struct px_lottery *l = r->l;
	const char **sorted = px_mallocarray(q->npeople ? q->npeople : 1, sizeof(char *));
	double *byfile = calloc(q->npeople ? q->npeople : 1, sizeof(double));
	if (!sorted || !byfile) {
		free(sorted);
		free(byfile);
		return -1;
	}
	memcpy(sorted, q->ids, q->npeople * sizeof(char *));
	qsort(sorted, q->npeople, sizeof(char *), by_str);
	for (size_t p = 0; p < l->npanels; p++)
		for (size_t i = 0; i < l->size[p]; i++) {
			const char **hit = bsearch(&l->members[p][i], sorted,
						   q->npeople, sizeof(char *), by_str);
			if (hit)
				r->lot[hit - sorted] += (double)l->tickets[p] / (double)l->m;
		}
	/* lot[] is in id order so far; put it in file order. */
	for (size_t i = 0; i < q->npeople; i++) {
		const char **hit = bsearch(&q->ids[i], sorted, q->npeople,
					   sizeof(char *), by_str);
		byfile[i] = r->lot[hit - sorted];
	}
	memcpy(r->lot, byfile, q->npeople * sizeof(double));
	free(byfile);
	for (size_t i = 0; i < q->npeople; i++)
		if (r->lot[i] < r->min_lot)
			r->min_lot = r->lot[i];
	free(sorted);
	return 0;
}

/* The pick for the seed source, every quota checked on the panel drawn. */
static int draw_panel(struct report *r)
{
	const struct px_quota *q = r->q;
	const struct px_lottery *l = r->l;
	unsigned char seed[32];
	px_seed_derive(l->commitment, r->source, strlen(r->source), seed);
	r->pick = px_lottery_pick(l, seed);
	sio_hex32(seed, r->shex);
	const char **sorted = px_mallocarray(q->npeople ? q->npeople : 1, sizeof(char *));
	size_t *person = px_mallocarray(q->npeople ? q->npeople : 1, sizeof(size_t));
	r->seats = calloc(q->nfeat, sizeof(int64_t));
	if (!sorted || !person || !r->seats) {
		free(sorted);
		free(person);
		return -1;
	}
	for (size_t i = 0; i < q->npeople; i++)
		sorted[i] = q->ids[i];
	qsort(sorted, q->npeople, sizeof(char *), by_str);
	for (size_t i = 0; i < q->npeople; i++) {
		const char **hit = bsearch(&q->ids[i], sorted, q->npeople,
					   sizeof(char *), by_str);
		person[hit - sorted] = i;
	}
	count_seats(q, l->members[r->pick], l->size[r->pick], sorted, person, r->seats);
	free(sorted);
	free(person);
	for (size_t f = 0; f < q->nfeat; f++)
		if (r->seats[f] < q->feat[f].min || r->seats[f] > q->feat[f].max)
			r->quotas_ok = 0;
	return 0;
}

/* A probability as the reader's language writes it, to nine places. */
static const char *prob(double p, char buf[64])
{
	char c[40];
	snprintf(c, sizeof(c), "%.9f", p);
	return cli_decimal(c, buf);
}

/* The lottery's line and, after a draw, the panel it picked. */
static void print_lottery(const struct px_lottery *l, const char *hex)
{
	char a[32], b[32];
	printf(_("lottery of %s tickets over %s panels, commitment %s\n"),
	       cli_number((int64_t)l->m, a), cli_number((int64_t)l->npanels, b), hex);
}

static void print_pick(const struct px_lottery *l, const char *shex, size_t pick)
{
	char a[32], b[32];
	printf(_("seed %s\n"), shex);
	printf(_("pick %s: a panel of %s\n"), cli_number((int64_t)pick + 1, a),
	       cli_number((int64_t)l->size[pick], b));
	for (size_t i = 0; i < l->size[pick]; i++)
		printf("%s\n", l->members[pick][i]);
}

static void print_text(const struct report *r)
{
	const struct px_quota *q = r->q;
	const struct px_dist *d = r->d;
	const struct px_lottery *l = r->l;
	const struct px_round_info *ri = r->ri;
	char a[64], b[64], c[64], e[64];
	printf(_("algorithm %s\n"), r->algo);
	printf(_("people %s, types %s, panel size %s\n"), cli_number((int64_t)q->npeople, a),
	       cli_number((int64_t)q->ntypes, b), cli_number((int64_t)q->k, c));
	printf(_("lowest probability %s\n"), prob(r->min_lex, a));
	if (d)
		printf(_("levels %s, panels generated %s, panels used %s\n"),
		       cli_number((int64_t)d->levels, a), cli_number((int64_t)d->columns, b),
		       cli_number((int64_t)d->npanels, c));
	if (d && !d->optimal)
		printf("%s\n", _("optimal no: stopped by --time-limit, the best distribution"
				 " found so far"));
	print_lottery(l, r->hex);
	printf(_("lowest probability in the lottery %s\n"), prob(r->min_lot, a));
	if (d) {
		char dev[40];
		snprintf(dev, sizeof(dev), "%.4f", ri->deviation);
		cli_decimal(dev, a);
		snprintf(dev, sizeof(dev), "%.4f", ri->heuristic_deviation);
		cli_decimal(dev, c);
		cli_number((int64_t)l->m, b);
		/* the rounding's name in words (its code is the JSON's "rounding") */
		static const char *const rounding_words[] = {
			NC_("rounding", "optimal"), NC_("rounding", "heuristic"),
			NC_("rounding", "improved"),
		};
		const char *name = px_rounding_name(ri->used);
		for (size_t k = 0; k < sizeof(rounding_words) / sizeof(rounding_words[0]); k++)
			if (!strcmp(name, rounding_words[k]))
				name = trp(cli_lang(), "rounding", rounding_words[k]);
		printf(_("rounding %s, largest deviation %s/%s (the heuristic's %s/%s)\n"),
		       name, a, b, c, b);
		if (ri->fallback)
			printf(_("rounding fell back to the heuristic: %s\n"), _(ri->fallback));
	}
	if (r->source) {
		print_pick(l, r->shex, r->pick);
		printf("%s\n", r->quotas_ok ? _("quotas: all met") : _("quotas: NOT MET"));
		for (size_t f = 0; f < q->nfeat; f++)
			printf(_("%s=%s %s..%s: %s\n"), q->cats[q->feat[f].cat], q->feat[f].value,
			       cli_number(q->feat[f].min, a), cli_number(q->feat[f].max, b),
			       cli_number(r->seats[f], e));
	}
	printf(_("probabilities of %s people\n"), cli_number((int64_t)q->npeople, a));
	for (size_t i = 0; i < q->npeople; i++)
		printf("%s %s\n", q->ids[i],
		       prob(d ? d->type_prob[q->person_type[i]] : r->lot[i], a));
}

/* The lottery as JSON: its panels, tickets and how it was rounded. */
static json_t *lottery_json(const struct report *r)
{
	const struct px_dist *d = r->d;
	const struct px_lottery *l = r->l;
	const struct px_round_info *ri = r->ri;
	json_t *lotj = json_object();
	json_object_set_new(lotj, "tickets", json_integer((json_int_t)l->m));
	json_object_set_new(lotj, "commitment", json_string(r->hex));
	json_object_set_new(lotj, "min_probability", json_real(r->min_lot));
	if (d) {
		json_object_set_new(lotj, "levels", json_integer((json_int_t)d->levels));
		json_object_set_new(lotj, "panels_generated", json_integer((json_int_t)d->columns));
		json_object_set_new(lotj, "max_deviation", json_real(ri->deviation / (double)l->m));
		json_object_set_new(lotj, "heuristic_max_deviation",
				    json_real(ri->heuristic_deviation / (double)l->m));
		if (ri->lower_bound > 0)
			json_object_set_new(lotj, "rounding_lower_bound",
					    json_real(ri->lower_bound / (double)l->m));
		if (ri->fallback)
			json_object_set_new(lotj, "rounding_fallback", json_string(ri->fallback));
	}
	return lotj;
}

/* The pick, the panel and each quota on it, into o. */
static void pick_json(const struct report *r, json_t *o)
{
	const struct px_quota *q = r->q;
	const struct px_lottery *l = r->l;
	json_t *panel = json_array();
	for (size_t i = 0; i < l->size[r->pick]; i++)
		json_array_append_new(panel, json_string(l->members[r->pick][i]));
	json_object_set_new(o, "source", json_string(r->source));
	json_object_set_new(o, "seed", json_string(r->shex));
	json_object_set_new(o, "pick", json_integer((json_int_t)r->pick + 1));
	json_object_set_new(o, "panel", panel);
	json_t *qs = json_array();
	for (size_t f = 0; f < q->nfeat; f++) {
		json_t *qj = json_object();
		json_object_set_new(qj, "category", json_string(q->cats[q->feat[f].cat]));
		json_object_set_new(qj, "value", json_string(q->feat[f].value));
		json_object_set_new(qj, "min", json_integer(q->feat[f].min));
		json_object_set_new(qj, "max", json_integer(q->feat[f].max));
		json_object_set_new(qj, "seats", json_integer(r->seats[f]));
		json_array_append_new(qs, qj);
	}
	json_object_set_new(o, "quotas", qs);
	json_object_set_new(o, "quotas_met", json_boolean(r->quotas_ok));
}

static int print_json(const struct report *r)
{
	const struct px_quota *q = r->q;
	const struct px_dist *d = r->d;
	const struct px_lottery *l = r->l;
	int rc = -1;
	json_t *o = json_object();
	json_t *probs = json_object(), *panels = json_array();
	json_object_set_new(o, "algorithm", json_string(r->algo));
	if (d) {
		json_object_set_new(o, "rounding", json_string(px_rounding_name(r->ri->used)));
		/* false: stopped by --time-limit, the best found so far */
		json_object_set_new(o, "optimal", json_boolean(d->optimal));
	}
	for (size_t i = 0; i < q->npeople; i++)
		json_object_set_new(probs, q->ids[i],
				    json_real(d ? d->type_prob[q->person_type[i]] : r->lot[i]));
	json_object_set_new(o, "probabilities", probs);
	json_object_set_new(o, "min_probability", json_real(r->min_lex));
	for (size_t p = 0; p < l->npanels; p++) {
		json_t *pj = json_object(), *mem = json_array();
		for (size_t i = 0; i < l->size[p]; i++)
			json_array_append_new(mem, json_string(l->members[p][i]));
		json_object_set_new(pj, "probability", json_real((double)l->tickets[p] / (double)l->m));
		json_object_set_new(pj, "tickets", json_integer((json_int_t)l->tickets[p]));
		json_object_set_new(pj, "members", mem);
		json_array_append_new(panels, pj);
	}
	json_object_set_new(o, "panels", panels);
	json_object_set_new(o, "lottery", lottery_json(r));
	if (r->source)
		pick_json(r, o);
	if (json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) == 0) {
		fputc('\n', stdout);
		rc = 0;
	}
	json_decref(o);
	return rc;
}

static int emit(const struct px_quota *q, const struct px_dist *d,
		const struct px_lottery *l, const struct px_round_info *ri,
		const char *algo, const char *source, int json)
{
	struct report r = { .q = q, .d = d, .l = l, .ri = ri, .algo = algo,
			    .source = source, .min_lex = 1, .min_lot = 1, .quotas_ok = 1 };
	int rc = -1;
	r.lot = calloc(q->npeople ? q->npeople : 1, sizeof(double));
	if (!r.lot || lottery_chances(&r))
		goto out;
	for (size_t i = 0; i < q->npeople; i++) {
		double p = d ? d->type_prob[q->person_type[i]] : r.lot[i];
		if (p < r.min_lex)
			r.min_lex = p;
	}
	sio_hex32(l->commitment, r.hex);
	if (source && draw_panel(&r))
		goto out;
	if (json) {
		rc = print_json(&r);
	} else {
		print_text(&r);
		rc = 0;
	}
out:
	free(r.lot);
	free(r.seats);
	if (rc == 0 && !r.quotas_ok)
		rc = -1; /* cannot happen: every panel of the lottery meets them */
	return rc;
}

/* pnyx select --lottery FILE --seed SOURCE: the pick from a lottery
 * published earlier, without computing anything but the pick, so a newer
 * pnyx or another machine cannot change the lottery in between. */
static int pick_from(const char *path, const char *source, int json)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	struct px_lottery l = { 0 };
	unsigned char seed[32];
	char hex[65], shex[65];
	int rc;
	if (!o)
		return cli_errorf("select", CLI_USAGE, "%s:%d: %s", path, je.line, je.text);
	rc = sr_load_lottery("select", o, &l);
	if (rc)
		goto out;
	px_seed_derive(l.commitment, source, strlen(source), seed);
	size_t pick = px_lottery_pick(&l, seed);
	sio_hex32(l.commitment, hex);
	sio_hex32(seed, shex);
	if (!json) {
		print_lottery(&l, hex);
		print_pick(&l, shex, pick);
		goto out;
	}
	json_t *panel = json_array();
	for (size_t i = 0; i < l.size[pick]; i++)
		json_array_append_new(panel, json_string(l.members[pick][i]));
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "seed", json_string(shex));
	json_object_set_new(o, "pick", json_integer((json_int_t)pick + 1));
	json_object_set_new(o, "panel", panel);
	json_object_del(o, "quotas");
	json_object_del(o, "quotas_met");
	if (json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)))
		rc = CLI_FAIL;
	else
		fputc('\n', stdout);
out:
	px_lottery_release(&l);
	json_decref(o);
	return rc;
}

int cmd_select(int argc, char **argv)
{
	const char *cats = NULL, *resp = NULL, *algo = "leximin", *source = NULL,
		   *id_column = NULL, *lottery = NULL, *rounding = "optimal";
	int64_t k = -1, m = 0, nodes = PX_ROUND_NODE_LIMIT, limit = 0;
	int json = 0, rc, which;
	size_t npos, line;
	struct csv_table ct = { 0 }, rt = { 0 };
	struct px_quota q = { 0 };
	struct px_dist d = { 0 };
	struct px_lottery l = { 0 };
	struct px_error err = { 0 };
	struct px_round_opts ro = { PX_ROUND_OPTIMAL, 0, 0, 0 };
	struct px_round_info ri = { 0 };
	const struct cli_opt opts[] = {
		{ "categories", OPT_STRING, &cats, 0, 0 },
		{ "respondents", OPT_STRING, &resp, 0, 0 },
		{ "panel-size", OPT_INT, &k, 1, 100000 },
		{ "algorithm", OPT_STRING, &algo, 0, 0 },
		{ "panels", OPT_INT, &m, 1, 1000000 },
		{ "seed", OPT_STRING, &source, 0, 0 },
		{ "id-column", OPT_STRING, &id_column, 0, 0 },
		{ "lottery", OPT_STRING, &lottery, 0, 0 },
		{ "rounding", OPT_STRING, &rounding, 0, 0 },
		{ "rounding-nodes", OPT_INT, &nodes, 1, 100000000 },
		{ "time-limit", OPT_INT, &limit, 1, 31536000 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	rc = cli_parse(cli_find("select"), opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (lottery) {
		if (!source)
			return cli_errorf("select", CLI_USAGE, "--lottery FILE needs --seed SOURCE");
		if (!sio_source_ok(source, strlen(source)))
			return cli_errorf("select", CLI_USAGE,
					  "--seed must be non-empty UTF-8 text without control"
					  " characters other than tab, line feed and carriage return");
		return pick_from(lottery, source, json);
	}
	if (!cats || !resp || k < 0)
		return cli_errorf("select", CLI_USAGE,
				  "--categories FILE, --respondents FILE and --panel-size K are required");
	int how;
	if (!strcmp(algo, "leximin"))
		how = PX_FAIR_LEXIMIN;
	else if (!strcmp(algo, "maximin"))
		how = PX_FAIR_MAXIMIN;
	else if (!strcmp(algo, "legacy"))
		how = -1;
	else
		return cli_errorf("select", CLI_USAGE,
				  "--algorithm must be leximin, maximin or legacy, not '%s'", algo);
	ro.node_limit = (size_t)nodes;
	if (!strcmp(rounding, "heuristic"))
		ro.method = PX_ROUND_HEURISTIC;
	else if (strcmp(rounding, "optimal"))
		return cli_errorf("select", CLI_USAGE,
				  "--rounding must be optimal or heuristic, not '%s'", rounding);
	if (source && !sio_source_ok(source, strlen(source)))
		return cli_errorf("select", CLI_USAGE,
				  "--seed must be non-empty UTF-8 text without control"
				  " characters other than tab, line feed and carriage return");
	if (sodium_init() < 0)
		return cli_errorf("select", CLI_FAIL, "libsodium failed to start");
	if ((rc = sio_read_csv("select", cats, &ct)) ||
	    (rc = sio_read_csv("select", resp, &rt)))
		goto out;
	rc = px_quota_load(&q, &ct, &rt, id_column, (size_t)k, &which, &line, &err);
	if (rc) {
		if (line)
			rc = cli_errorf("select", rc == PX_E_NOMEM ? CLI_FAIL : CLI_USAGE,
					"%s:%zu: %s", which ? resp : cats, line,
					px_error_message(&err));
		else
			rc = cli_report("select", &err);
		goto out;
	}
	if (how < 0)
		rc = px_legacy_lottery(&q, m ? (size_t)m : PX_LOTTERY_TICKETS, &l, &err);
	else {
		struct watch w = { .start = now_s(), .limit = (double)limit,
				   .tty = isatty(STDERR_FILENO), .algo = algo };
		w.last = w.start;
		fprintf(stderr, _("pnyx select: %s: %zu people of %zu types, panels of %zu%s\n"),
			algo, q.npeople, q.ntypes, q.k, w.tty ? "" : _("; a line every 5 s"));
		rc = px_fair_dist(&q, (enum px_fair)how, progress, &w, &d, &err);
		if (!rc)
			watch_end(&w, &d);
		/* --time-limit bounds the whole run: the rounding's integer
		 * programs get what is left (at least a second), then keep the
		 * best rounding found */
		if (limit > 0) {
			double left = w.start + (double)limit - now_s();
			ro.total_ms = left > 1 ? (int)(left * 1000) : 1000;
		}
	}
	if (rc == PX_E_INFEASIBLE) {
		char why[4096];
		px_quota_explain(&q, why, sizeof(why));
		fprintf(stderr, _("pnyx select: no panel of %zu can meet the quotas:\n%s"),
			q.k, why);
		rc = CLI_USAGE;
		goto out;
	}
	if (rc) {
		rc = cli_report("select", &err);
		goto out;
	}
	if (how >= 0)
		rc = px_lottery_round(&q, &d, (size_t)m, &ro, &ri, &l, &err);
	if (rc) {
		rc = cli_report("select", &err);
		goto out;
	}
	rc = emit(&q, how >= 0 ? &d : NULL, &l, &ri, algo, source, json) ? CLI_FAIL : 0;
out:
	px_lottery_release(&l);
	px_dist_release(&d);
	px_quota_release(&q);
	csv_table_release(&ct);
	csv_table_release(&rt);
	return rc;
}
