/*
 * sortition_lottery.c: `pnyx verify` for a panel lottery published by
 * `pnyx select --json`: recompute the lottery's commitment from its
 * panels, the seed from the source, the uniform pick, and compare with
 * the published panel; with the categories and respondents files, also
 * check that every panel of the lottery seats real, distinct people and
 * meets every quota. Nothing here trusts a number it can recompute.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/errors.h"
#include "core/lottery.h"
#include "core/pool.h"
#include "core/quota.h"
#include "cli.h"
#include "sortition_io.h"
#include "sortition_run.h"
#include "banned.h"

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Check every panel against the quotas: counts per type must meet them. */
static int check_quotas(const char *cmd, const struct px_lottery *l,
			const char *cats, const char *resp, const char *id_column)
{
	struct csv_table ct = { 0 }, rt = { 0 };
	struct px_quota q = { 0 };
	struct px_error err = { 0 };
	const char **sorted = NULL;
	size_t *person = NULL;
	int *counts = NULL, which, rc;
	size_t line;
	if ((rc = sio_read_csv(cmd, cats, &ct)) || (rc = sio_read_csv(cmd, resp, &rt)))
		goto out;
	rc = px_quota_load(&q, &ct, &rt, id_column, l->npanels ? l->size[0] : 1,
			   &which, &line, &err);
	if (rc) {
		rc = cli_errorf(cmd, CLI_USAGE, "%s:%zu: %s", which ? resp : cats,
				line, px_error_message(&err));
		goto out;
	}
	sorted = px_mallocarray(q.npeople, sizeof(char *));
	person = px_mallocarray(q.npeople, sizeof(size_t));
	counts = px_mallocarray(q.ntypes, sizeof(int));
	if (!sorted || !person || !counts) {
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	memcpy(sorted, q.ids, q.npeople * sizeof(char *));
	qsort(sorted, q.npeople, sizeof(char *), by_str);
	for (size_t i = 0; i < q.npeople; i++) {
		const char **hit = bsearch(&q.ids[i], sorted, q.npeople,
					   sizeof(char *), by_str);
		person[hit - sorted] = i;
	}
	for (size_t p = 0; p < l->npanels; p++) {
		memset(counts, 0, q.ntypes * sizeof(int));
		for (size_t i = 0; i < l->size[p]; i++) {
			if (i && !strcmp(l->members[p][i - 1], l->members[p][i])) {
				rc = cli_errorf(cmd, CLI_FAIL,
						"panel %zu seats '%s' twice", p + 1,
						l->members[p][i]);
				goto out;
			}
			const char **hit = bsearch(&l->members[p][i], sorted, q.npeople,
						   sizeof(char *), by_str);
			if (!hit) {
				rc = cli_errorf(cmd, CLI_FAIL,
						"panel %zu seats '%s', who is not among the respondents",
						p + 1, l->members[p][i]);
				goto out;
			}
			counts[q.person_type[person[hit - sorted]]]++;
		}
		if (l->size[p] != q.k || !px_quota_panel_ok(&q, counts)) {
			rc = cli_errorf(cmd, CLI_FAIL,
					"panel %zu of the lottery does not meet the quotas",
					p + 1);
			goto out;
		}
	}
	printf(_("verified: all %zu panels of the lottery meet the quotas\n"), l->npanels);
out:
	free(sorted);
	free(person);
	free(counts);
	px_quota_release(&q);
	csv_table_release(&ct);
	csv_table_release(&rt);
	return rc;
}

int sr_load_lottery(const char *cmd, json_t *result, struct px_lottery *l)
{
	json_t *panels = json_object_get(result, "panels");
	json_t *lot = json_object_get(result, "lottery");
	size_t np = json_array_size(panels);
	size_t *tickets = calloc(np ? np : 1, sizeof(size_t));
	size_t *size = calloc(np ? np : 1, sizeof(size_t));
	const char ***members = calloc(np ? np : 1, sizeof(*members));
	struct px_error err = { 0 };
	char hex[65];
	int rc = 0;
	memset(l, 0, sizeof(*l));
	if (!tickets || !size || !members) {
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	if (sodium_init() < 0) {
		rc = cli_errorf(cmd, CLI_FAIL, "libsodium failed to start");
		goto out;
	}
	if (!json_is_array(panels) || !np) {
		rc = cli_errorf(cmd, CLI_USAGE, "\"panels\" must be a non-empty array");
		goto out;
	}
	for (size_t p = 0; p < np; p++) {
		json_t *pj = json_array_get(panels, p);
		json_t *t = json_object_get(pj, "tickets");
		json_t *mem = json_object_get(pj, "members");
		if (!json_is_integer(t) || json_integer_value(t) < 1 ||
		    json_integer_value(t) > 1000000 || !json_is_array(mem)) {
			rc = cli_errorf(cmd, CLI_USAGE,
					"panel %zu needs \"tickets\" (a positive whole number) and \"members\"",
					p + 1);
			goto out;
		}
		tickets[p] = (size_t)json_integer_value(t);
		size[p] = json_array_size(mem);
		members[p] = calloc(size[p] ? size[p] : 1, sizeof(char *));
		if (!members[p]) {
			rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < size[p]; i++) {
			json_t *v = json_array_get(mem, i);
			if (!json_is_string(v)) {
				rc = cli_errorf(cmd, CLI_USAGE,
						"panel %zu: members must be ids (strings)", p + 1);
				goto out;
			}
			members[p][i] = json_string_value(v);
		}
	}
	rc = px_lottery_from(np, tickets, size, (const char *const *const *)members,
			     l, &err);
	if (rc) {
		rc = cli_report(cmd, &err);
		goto out;
	}
	sio_hex32(l->commitment, hex);
	json_t *c = json_object_get(lot, "commitment");
	json_t *m = json_object_get(lot, "tickets");
	if (json_is_integer(m) && (size_t)json_integer_value(m) != l->m) {
		rc = cli_errorf(cmd, CLI_FAIL,
				"the panels hold %zu tickets, the lottery says %lld",
				l->m, (long long)json_integer_value(m));
		goto out;
	}
	if (!json_is_string(c) || strcmp(json_string_value(c), hex)) {
		rc = cli_errorf(cmd, CLI_FAIL,
				"the panels' commitment is %s, the lottery says %s",
				hex, json_is_string(c) ? json_string_value(c) : "nothing");
		goto out;
	}
out:
	if (members)
		for (size_t p = 0; p < np; p++)
			free(members[p]);
	free(members);
	free(tickets);
	free(size);
	if (rc)
		px_lottery_release(l);
	return rc;
}

int sr_verify_lottery(const char *cmd, json_t *result, const char *source,
		      const char *categories, const char *respondents,
		      const char *id_column)
{
	const char **panel = NULL;
	struct px_lottery l = { 0 };
	unsigned char seed[32];
	char hex[65];
	int rc = sr_load_lottery(cmd, result, &l);
	if (rc)
		return rc;
	px_seed_derive(l.commitment, source, strlen(source), seed);
	sio_hex32(seed, hex);
	json_t *s = json_object_get(result, "seed");
	if (json_is_string(s) && strcmp(json_string_value(s), hex)) {
		rc = cli_errorf(cmd, CLI_FAIL,
				"the seed from this source is %s, the result says %s",
				hex, json_string_value(s));
		goto out;
	}
	size_t pick = px_lottery_pick(&l, seed);
	json_t *pj = json_object_get(result, "panel");
	if (!json_is_array(pj)) {
		rc = cli_errorf(cmd, CLI_USAGE, "the result has no \"panel\" to verify");
		goto out;
	}
	size_t n = json_array_size(pj);
	panel = calloc(n ? n : 1, sizeof(char *));
	if (!panel) {
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(pj, i);
		panel[i] = json_is_string(v) ? json_string_value(v) : "";
	}
	qsort(panel, n, sizeof(char *), by_str);
	int same = n == l.size[pick];
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(panel[i], l.members[pick][i]);
	if (!same) {
		rc = cli_errorf(cmd, CLI_FAIL,
				"the seed picks panel %zu of the lottery, which is not the published panel",
				pick + 1);
		goto out;
	}
	printf(_("verified: the seed picks panel %zu of %zu (%zu tickets), exactly the published panel\n"),
	       pick + 1, l.npanels, l.m);
	if (categories || respondents) {
		if (!categories || !respondents) {
			rc = cli_errorf(cmd, CLI_USAGE,
					"--categories and --respondents go together");
			goto out;
		}
		rc = check_quotas(cmd, &l, categories, respondents, id_column);
	}
out:
	free(panel);
	px_lottery_release(&l);
	return rc;
}
