/*
 * cmd_verify_round_ps.c: `pnyx verify round FILE` for a round of
 * alternatives shared by probabilistic serial (docs/sharing.md section
 * 5): from the record alone, the commitment over every alternative's
 * supply and every ranking (core/ps_record.c), the seed from the named
 * public source, every exact share by eating (core/probserial.c), who
 * received what by the dependent rounding drawn from the seed, and the
 * result's hash. With a receipt, one's own request. cmd_verify_round
 * hands a record whose policy is probabilistic_serial here.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/pool.h"
#include "core/probserial.h"
#include "core/ps_record.h"
#include "core/ration.h"
#include "cli.h"
#include "verify.h"
#include "banned.h"

/* The verdict, saying what a round of alternatives checks. */
static int say(int json, int ok, const char *what, int64_t round, size_t n)
{
	return verify_round_verdict(json, ok, what, round, n,
		trn(cli_lang(), "verified: round %lld, %zu request: the commitment, the"
		    " seed, every share, who received what and the result's hash are what"
		    " the record's inputs give\n", "verified: round %lld, %zu requests: the"
		    " commitment, the seed, every share, who received what and the result's"
		    " hash are what the record's inputs give\n", n));
}

int verify_round_ps(const json_t *rec, const char *path, const char *receipt,
		    const char *salt_hex, int json)
{
	const json_t *ja = json_object_get(rec, "alternatives"), *jr = json_object_get(rec,
										   "requests");
	int64_t round = json_integer_value(json_object_get(rec, "id"));
	size_t m = json_array_size(ja), n = json_array_size(jr), total = 0, i, k;
	const json_t *x, *y;
	unsigned char want[32], inputs[32], commitment[32], seed[32], hash[32];
	char what[200];
	struct px_error err = { 0 };
	int rc = CLI_USAGE;
	if (!m || !json_is_array(jr) || !verify_hex32(json_object_get(rec, "commitment"), want))
		return cli_errorf("verify", CLI_USAGE, "%s: a round's record has its"
				  " alternatives, commitment and requests (a closed round)", path);
	json_array_foreach(jr, i, x)
		total += json_array_size(json_object_get(x, "ranking"));
	char (*idtext)[24] = calloc(m, sizeof(*idtext));
	const char **ids = calloc(m, sizeof(*ids));
	int64_t *supply = calloc(m, sizeof(*supply)), *assigned = calloc(n + 1, sizeof(int64_t));
	struct px_ps_agent *agents = calloc(n + 1, sizeof(*agents));
	uint32_t *ranked = calloc(total + 1, sizeof(*ranked));
	unsigned char (*leaves)[32] = calloc(n + 1, sizeof(*leaves));
	struct px_ration_q *shares = calloc(total + 1, sizeof(*shares));
	if (!idtext || !ids || !supply || !assigned || !agents || !ranked || !leaves || !shares) {
		rc = cli_errorf("verify", CLI_FAIL, "out of memory");
		goto out;
	}
	json_array_foreach(ja, i, x) {
		snprintf(idtext[i], sizeof(idtext[i]), "%lld",
			 (long long)json_integer_value(json_object_get(x, "id")));
		ids[i] = idtext[i];
		supply[i] = json_integer_value(json_object_get(x, "supply"));
	}
	size_t at = 0;
	json_array_foreach(jr, i, x) {
		if (!verify_hex32(json_object_get(x, "leaf"), leaves[i])) {
			rc = cli_errorf("verify", CLI_USAGE, "%s: request %zu has no leaf", path,
					i + 1);
			goto out;
		}
		agents[i].ranked = ranked + at;
		json_array_foreach(json_object_get(x, "ranking"), k, y) {
			size_t j;
			for (j = 0; j < m; j++)
				if (json_integer_value(json_object_get(json_array_get(ja, j), "id")) ==
				    json_integer_value(y))
					break;
			if (j == m) {
				rc = cli_errorf("verify", CLI_USAGE, "%s: request %zu ranks a good"
						" that is no alternative", path, i + 1);
				goto out;
			}
			ranked[at++] = (uint32_t)j;
			agents[i].n_ranked++;
		}
	}
	/* 1. the commitment, published before the source existed */
	px_ps_inputs_hash(ids, supply, m, agents, (const unsigned char (*)[32])leaves, n, inputs);
	px_ration_round_commit((const unsigned char (*)[32])inputs, 1, commitment);
	if (memcmp(commitment, want, 32)) {
		rc = say(json, 0, N_("the commitment is not the one its inputs make"), round, n);
		goto out;
	}
	/* 2. the seed */
	const char *source = json_string_value(json_object_get(rec, "source"));
	if (!source) {
		rc = say(json, 0, N_("no source for the seed yet: the round is not drawn"), round, n);
		goto out;
	}
	px_seed_derive(commitment, source, strlen(source), seed);
	/* 3. the shares, who received what, the result's hash */
	if (px_ps_eat(agents, n, supply, m, shares, &err) ||
	    px_ps_draw(agents, n, supply, m, shares, seed, assigned, &err)) {
		rc = cli_report("verify", &err);
		goto out;
	}
	at = 0;
	json_array_foreach(jr, i, x) {
		const json_t *sh = json_object_get(x, "shares"), *as = json_object_get(x, "assigned");
		int64_t good = assigned[i] < 0 ? -1 : json_integer_value(json_object_get(
			json_array_get(ja, (size_t)assigned[i]), "id"));
		int same = json_array_size(sh) == agents[i].n_ranked &&
			   (good < 0 ? json_is_null(as) : json_integer_value(as) == good);
		for (k = 0; same && k < agents[i].n_ranked; k++)
			same = json_integer_value(json_array_get(json_array_get(sh, k), 0)) ==
			       shares[at + k].num &&
			       json_integer_value(json_array_get(json_array_get(sh, k), 1)) ==
			       shares[at + k].den;
		at += agents[i].n_ranked;
		if (!same) {
			/* the JSON's difference in English, the text in the reader's */
			snprintf(what, sizeof(what), json ? "request %zu (leaf %.16s...): its shares"
				 " or what it received are not what the record states"
				 : _("request %zu (leaf %.16s...): its shares or what it received"
				     " are not what the record states"), i + 1,
				 json_string_value(json_object_get(x, "leaf")));
			rc = say(json, 0, what, round, n);
			goto out;
		}
	}
	px_ps_result_hash(inputs, agents, n, shares, assigned, hash);
	if (!verify_hex32(json_object_get(rec, "result_hash"), want) || memcmp(hash, want, 32)) {
		rc = say(json, 0, N_("the result's hash is not the one the allocation makes"), round, n);
		goto out;
	}
	if (receipt) {
		unsigned char salt[PX_SALT_BYTES], leaf[32];
		size_t got = 0;
		if (strlen(salt_hex) != 2 * PX_SALT_BYTES || sodium_hex2bin(salt, sizeof(salt),
		    salt_hex, strlen(salt_hex), NULL, &got, NULL) || got != PX_SALT_BYTES) {
			rc = cli_errorf("verify", CLI_USAGE, "--salt is %d bytes in hex",
					PX_SALT_BYTES);
			goto out;
		}
		px_leaf(receipt, salt, leaf);
		for (i = 0; i < n && memcmp(leaves[i], leaf, 32); i++)
			;
		if (i == n) {
			rc = say(json, 0, N_("the receipt's request is not in this round"), round, n);
			goto out;
		}
		if (!json) {
			if (assigned[i] < 0)
				printf(_("your request: received none of the alternatives you ranked\n"));
			else
				printf(_("your request: received good %s\n"), ids[assigned[i]]);
		}
	}
	rc = say(json, 1, NULL, round, n);
out:
	free(idtext);
	free(ids);
	free(supply);
	free(assigned);
	free(agents);
	free(ranked);
	free(leaves);
	free(shares);
	return rc;
}
