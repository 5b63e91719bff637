/*
 * polity_strata.c: `pnyx polity verify` for a renewal drawn with quotas
 * (docs/polities.md, "Stratified renewals"; docs/sortition.md section 8).
 * From what the server publishes (the renewal, its record, its lottery
 * and its result) it recomputes, trusting no number it can recompute:
 *   1. the record: leaves in canonical order hashing to the commitment
 *      the renewal published;
 *   2. the problem: the lottery's respondents are exactly the record's
 *      leaves, each with a value of every category of the quotas;
 *   3. LEXIMIN over the pool's types, compared with the published
 *      probabilities within LEXIMIN_TOLERANCE (a linear program's
 *      floating point: docs/sortition.md 8.3);
 *   4. the lottery: every panel seats the draw's seats, distinct leaves
 *      of the pool, meeting every quota; the panels hash to the lottery's
 *      commitment; each type's share of the tickets is within the
 *      published rounding deviation (plus the tolerance) of its LEXIMIN
 *      probability;
 *   5. the draw: the seed from the lottery's commitment and the
 *      witnesses' text, the panel it picks exactly the leaves drawn, and
 *      the rest of the pool ranked by the same seed exactly the alternates.
 * The first difference is reported (exit 1); what cannot be read, exit 2.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/csv.h"
#include "core/draw.h"
#include "core/errors.h"
#include "core/leximin.h"
#include "core/lottery.h"
#include "core/pool.h"
#include "core/quota.h"
#include "cli.h"
#include "verify.h"
#include "banned.h"

#define LEXIMIN_TOLERANCE 1e-6
#define LEXIMIN_SECONDS 120

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The record's leaves (hex, lower case), in the record's order. */
static int record_leaves(const char *cmd, const char *record, json_t *leaves,
			 unsigned char com[32])
{
	const char *p = record;
	int have = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[80];
		if (n && p[n - 1] == '\r')
			n--;
		if (n && p[0] != '#') {
			size_t got = 0;
			if (n == 75 && !strncmp(p, "commitment ", 11) && !have) {
				if (sodium_hex2bin(com, 32, p + 11, 64, NULL, &got, NULL) || got != 32)
					return cli_errorf(cmd, CLI_USAGE, "the record's commitment"
							  " is not hex");
				have = 1;
			} else if (n == 64) {
				unsigned char b[32];
				if (sodium_hex2bin(b, 32, p, 64, NULL, &got, NULL) || got != 32)
					return cli_errorf(cmd, CLI_USAGE, "a record line is not a"
							  " leaf");
				sodium_bin2hex(line, sizeof(line), b, 32);
				json_array_append_new(leaves, json_string(line));
			} else {
				return cli_errorf(cmd, CLI_USAGE, "a record line is not a leaf");
			}
		}
		p += n + (p[n] == '\r') + (nl ? 1 : 0);
		if (!nl)
			break;
	}
	if (!have)
		return cli_errorf(cmd, CLI_USAGE, "the record has no commitment line");
	return CLI_OK;
}

static int stop_at(void *ctx, const struct px_fair_state *st)
{
	(void)st;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec >= *(const time_t *)ctx;
}

/* The type of q whose values are prof (an array of strings), or SIZE_MAX. */
static size_t type_of(const struct px_quota *q, const json_t *prof)
{
	for (size_t t = 0; t < q->ntypes; t++) {
		size_t c;
		for (c = 0; c < q->ncat; c++) {
			const char *v = json_string_value(json_array_get(prof, c));
			if (!v || strcmp(v, q->feat[q->type_feat[t * q->ncat + c]].value))
				break;
		}
		if (c == q->ncat && json_array_size(prof) == q->ncat)
			return t;
	}
	return (size_t)-1;
}

int verify_strata(const char *cmd, const json_t *renewal, const char *record,
		  const json_t *lot, const json_t *result)
{
	json_t *leaves = json_array();
	struct csv_table ct = { 0 }, rt = { 0 };
	struct px_quota q = { 0 };
	struct px_dist d = { 0 };
	struct px_lottery l = { 0 };
	struct px_error err = { 0 };
	unsigned char com[32], want[32], seed[32];
	char hex[65];
	size_t n, k, np = 0, line = 0, got = 0;
	size_t *tickets = NULL, *size = NULL;
	const char ***members = NULL, **panel = NULL;
	uint32_t *all = NULL;
	int *counts = NULL, which = 0, loaded = 0;
	int rc = record_leaves(cmd, record, leaves, com);
	if (rc)
		goto out;
	n = json_array_size(leaves);
	/* 1. the record */
	{
		unsigned char (*lv)[32] = calloc(n ? n : 1, 32);
		if (!lv) {
			rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			sodium_hex2bin(lv[i], 32, json_string_value(json_array_get(leaves, i)), 64,
				       NULL, &got, NULL);
			if (i && memcmp(lv[i - 1], lv[i], 32) >= 0) {
				free(lv);
				rc = cli_errorf(cmd, CLI_FAIL, "the record's leaves are not in"
						" canonical order");
				goto out;
			}
		}
		px_commit_leaves((const unsigned char (*)[32])lv, n, want);
		free(lv);
	}
	const char *pub = json_string_value(json_object_get(renewal, "commitment"));
	sodium_bin2hex(hex, sizeof(hex), want, 32);
	if (memcmp(want, com, 32) || !pub || strcmp(pub, hex)) {
		rc = cli_errorf(cmd, CLI_FAIL, "the record's leaves hash to %s, not to the"
				" commitment the renewal published", hex);
		goto out;
	}
	printf(_("verified: the record of %zu people hashes to the commitment %s\n"), n, hex);
	/* 2. the problem */
	const char *ctext = json_string_value(json_object_get(lot, "categories_csv"));
	const char *rtext = json_string_value(json_object_get(lot, "respondents_csv"));
	json_int_t seats = json_integer_value(json_object_get(lot, "seats"));
	if (!ctext || !rtext || seats < 1) {
		rc = cli_errorf(cmd, CLI_USAGE, "the lottery states no categories, respondents"
				" or seats");
		goto out;
	}
	k = (size_t)seats;
	if (csv_parse(ctext, strlen(ctext), &ct, &line, &err) ||
	    csv_parse(rtext, strlen(rtext), &rt, &line, &err) ||
	    px_quota_load(&q, &ct, &rt, "id", k, &which, &line, &err)) {
		rc = cli_errorf(cmd, CLI_USAGE, "the lottery's %s, line %zu: %s",
				which ? "respondents" : "categories", line, px_error_message(&err));
		goto out;
	}
	loaded = 1;
	if (q.npeople != n) {
		rc = cli_errorf(cmd, CLI_FAIL, "the lottery has %zu respondents, the record %zu"
				" people", q.npeople, n);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(q.ids[i], json_string_value(json_array_get(leaves, i)))) {
			rc = cli_errorf(cmd, CLI_FAIL, "respondent %zu of the lottery is not the"
					" record's leaf %zu", i + 1, i + 1);
			goto out;
		}
	printf(_("verified: the lottery's respondents are the record's %zu leaves, each with"
	       " a profile\n"), n);
	/* 3. LEXIMIN */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	time_t deadline = now.tv_sec + LEXIMIN_SECONDS;
	if (px_fair_dist(&q, PX_FAIR_LEXIMIN, stop_at, &deadline, &d, &err)) {
		rc = cli_errorf(cmd, CLI_FAIL, "LEXIMIN: %s", px_error_message(&err));
		goto out;
	}
	const json_t *types = json_object_get(lot, "types"), *ty;
	size_t i;
	double worst = 0;
	if (json_array_size(types) != q.ntypes) {
		rc = cli_errorf(cmd, CLI_FAIL, "the pool has %zu types, the lottery states %zu",
				q.ntypes, json_array_size(types));
		goto out;
	}
	json_array_foreach(types, i, ty) {
		size_t t = type_of(&q, json_object_get(ty, "profile"));
		double p = json_number_value(json_object_get(ty, "probability"));
		if (t == (size_t)-1 || (json_int_t)q.type_count[t] !=
		    json_integer_value(json_object_get(ty, "people"))) {
			rc = cli_errorf(cmd, CLI_FAIL, "type %zu of the lottery is not one of the"
					" pool's", i + 1);
			goto out;
		}
		if (fabs(p - d.type_prob[t]) > worst)
			worst = fabs(p - d.type_prob[t]);
	}
	int both_optimal = d.optimal && json_is_true(json_object_get(lot, "optimal"));
	if (both_optimal && worst > LEXIMIN_TOLERANCE) {
		rc = cli_errorf(cmd, CLI_FAIL, "LEXIMIN recomputed differs from the published"
				" probabilities by %.3g (more than %.0e)", worst, LEXIMIN_TOLERANCE);
		goto out;
	}
	if (both_optimal)
		printf(_("verified: LEXIMIN recomputed over %zu types; the published"
		       " probabilities agree within %.1e\n"), q.ntypes, worst);
	else
		printf(_("LEXIMIN was stopped before its end (here or on the server): the"
		       " probabilities differ by at most %.3g and are not compared\n"), worst);
	/* 4. the lottery */
	const json_t *panels = json_object_get(lot, "panels");
	np = json_array_size(panels);
	tickets = calloc(np ? np : 1, sizeof(*tickets));
	size = calloc(np ? np : 1, sizeof(*size));
	members = calloc(np ? np : 1, sizeof(*members));
	counts = calloc(q.ntypes ? q.ntypes : 1, sizeof(*counts));
	double *share = calloc(q.ntypes ? q.ntypes : 1, sizeof(double));
	if (!tickets || !size || !members || !counts || !share) {
		free(share);
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	for (size_t p = 0; p < np && !rc; p++) {
		const json_t *pj = json_array_get(panels, p), *mem = json_object_get(pj, "members");
		json_int_t t = json_integer_value(json_object_get(pj, "tickets"));
		size[p] = json_array_size(mem);
		tickets[p] = t > 0 ? (size_t)t : 0;
		members[p] = calloc(size[p] ? size[p] : 1, sizeof(char *));
		if (!members[p]) {
			rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
			break;
		}
		memset(counts, 0, q.ntypes * sizeof(*counts));
		for (size_t j = 0; j < size[p]; j++) {
			const char *id = json_string_value(json_array_get(mem, j));
			const char **hit = id ? bsearch(&id, q.ids, n, sizeof(char *), by_str) : NULL;
			if (!hit || (j && strcmp(members[p][j - 1], id) >= 0)) {
				rc = cli_errorf(cmd, CLI_FAIL, "panel %zu seats a leaf not in the"
						" pool, or twice", p + 1);
				break;
			}
			members[p][j] = id;
			counts[q.person_type[hit - q.ids]]++;
		}
		if (!rc && (!tickets[p] || size[p] != k || !px_quota_panel_ok(&q, counts)))
			rc = cli_errorf(cmd, CLI_FAIL, "panel %zu of the lottery does not seat %zu"
					" people meeting every quota", p + 1, k);
		for (size_t t2 = 0; !rc && t2 < q.ntypes; t2++)
			share[t2] += (double)tickets[p] * counts[t2];
	}
	if (!rc && px_lottery_from(np, tickets, size, (const char *const *const *)members, &l,
				   &err))
		rc = cli_errorf(cmd, CLI_FAIL, "the lottery: %s", px_error_message(&err));
	const char *lcom = json_string_value(json_object_get(json_object_get(lot, "lottery"),
							     "commitment"));
	if (!rc) {
		sodium_bin2hex(hex, sizeof(hex), l.commitment, 32);
		if (!lcom || strcmp(lcom, hex))
			rc = cli_errorf(cmd, CLI_FAIL, "the panels hash to %s, not to the lottery's"
					" commitment %s", hex, lcom ? lcom : "(none)");
	}
	double dev = json_number_value(json_object_get(lot, "max_deviation")), wdev = 0;
	for (size_t t = 0; !rc && t < q.ntypes; t++) {
		double avg = share[t] / (double)l.m / (double)q.type_count[t];
		/* members of a type hold floor or ceil of its tickets each */
		double slack = 1.0 / (double)l.m;
		if (fabs(avg - d.type_prob[t]) > wdev)
			wdev = fabs(avg - d.type_prob[t]);
		if (both_optimal && fabs(avg - d.type_prob[t]) > dev + slack + LEXIMIN_TOLERANCE)
			rc = cli_errorf(cmd, CLI_FAIL, "the lottery gives a type %.4g, LEXIMIN %.4g:"
					" more than the stated rounding", avg, d.type_prob[t]);
	}
	free(share);
	if (rc)
		goto out;
	printf(_("verified: all %zu panels of the lottery (%zu tickets) meet every quota and"
	       " hash to its commitment %s\n"), l.npanels, l.m, lcom);
	/* 5. the draw */
	const char *text = json_string_value(json_object_get(renewal, "seed_text"));
	if (!text || !result) {
		printf("%s\n", _("nothing is drawn yet"));
		goto out;
	}
	px_seed_derive(l.commitment, text, strlen(text), seed);
	sodium_bin2hex(hex, sizeof(hex), seed, 32);
	const char *s = json_string_value(json_object_get(renewal, "seed"));
	if (!s || strcmp(s, hex)) {
		rc = cli_errorf(cmd, CLI_FAIL, "the seed from the lottery's commitment and the"
				" text is %s, the renewal says %s", hex, s ? s : "nothing");
		goto out;
	}
	size_t pick = px_lottery_pick(&l, seed);
	const json_t *dl = json_object_get(result, "drawn_leaves");
	const json_t *al = json_object_get(result, "alternate_leaves");
	size_t nd = json_array_size(dl);
	panel = calloc(nd ? nd : 1, sizeof(char *));
	if (!panel) {
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < nd; i++)
		panel[i] = json_string_value(json_array_get(dl, i)) ?
			   json_string_value(json_array_get(dl, i)) : "";
	qsort(panel, nd, sizeof(char *), by_str);
	int same = nd == l.size[pick];
	for (i = 0; same && i < nd; i++)
		same = !strcmp(panel[i], l.members[pick][i]);
	if (!same) {
		rc = cli_errorf(cmd, CLI_FAIL, "the seed picks panel %zu of the lottery, which is"
				" not the leaves drawn", pick + 1);
		goto out;
	}
	printf(_("verified: the seed picks panel %zu of %zu, exactly the %zu leaves drawn\n"),
	       pick + 1, l.npanels, nd);
	if (!(all = calloc(n ? n : 1, sizeof(*all))) || px_draw_rank(seed, n, n, all, &err)) {
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	size_t at = 0, na = json_array_size(al);
	for (i = 0; i < n && at < na; i++) {
		const char *leaf = json_string_value(json_array_get(leaves, all[i]));
		if (bsearch(&leaf, l.members[pick], l.size[pick], sizeof(char *), by_str))
			continue;
		const char *stated = json_string_value(json_array_get(al, at));
		if (!stated || strcmp(stated, leaf)) {
			rc = cli_errorf(cmd, CLI_FAIL, "alternate %zu is not the leaf the seed ranks"
					" there", at + 1);
			goto out;
		}
		at++;
	}
	if (at != na) {
		rc = cli_errorf(cmd, CLI_FAIL, "the result states more alternates than the pool"
				" has left");
		goto out;
	}
	printf(_("verified: the seed ranks the rest of the pool; the %zu alternates are exactly"
	       " the first of them\n"), na);
out:
	if (members)
		for (size_t p = 0; p < np; p++)
			free(members[p]);
	free(members);
	free(tickets);
	free(size);
	free(counts);
	free(panel);
	free(all);
	px_lottery_release(&l);
	px_dist_release(&d);
	if (loaded)
		px_quota_release(&q);
	csv_table_release(&ct);
	csv_table_release(&rt);
	json_decref(leaves);
	return rc;
}
