/*
 * cmd_verify_round.c: `pnyx verify round FILE [--receipt HANDLE --salt HEX]
 * [--json]`: recompute a round of a scarce good from its published record
 * alone (the JSON of GET /api/v1/rounds/{id}; docs/sharing.md section 6):
 * the commitment from the policy, the supply and every request; the seed
 * from the commitment and the named public source (units); every
 * allocation and place; the result's hash. With a receipt (the handle and
 * the salt the person received when asking), find one's own request and
 * say what it received. Exit 0 when everything matches, 1 at the first
 * difference (named), 2 for unreadable input. No database is read: a
 * verifier needs nothing from the server but the record.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/pool.h"
#include "core/ration.h"
#include "cli.h"
#include "commands.h"
#include "verify.h"
#include "banned.h"

int verify_hex32(const json_t *v, unsigned char out[32])
{
	const char *hex = json_string_value(v);
	size_t got = 0;
	return hex && strlen(hex) == 64 && !sodium_hex2bin(out, 32, hex, 64, NULL, &got, NULL)
		&& got == 32;
}

int verify_round_verdict(int json, int ok, const char *what, int64_t round, size_t n,
			 const char *verified_fmt)
{
	if (json) {
		json_t *j = json_pack("{s:b, s:I, s:I, s:s?}", "verified", ok,
				      "round", (json_int_t)round, "requests", (json_int_t)n,
				      "difference", ok ? NULL : what);
		char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
		if (text)
			puts(text);
		free(text);
		json_decref(j);
	} else if (ok) {
		/* verified_fmt: the sentence of what was checked, in the
		 * reader's language, with the round (%lld) and the requests (%zu) */
		printf(verified_fmt, (long long)round, n);
	} else {
		/* what: a msgid (N_) or a sentence already in the reader's language */
		printf(_("NOT verified: round %lld: %s\n"), (long long)round, _(what));
	}
	return ok ? CLI_OK : CLI_FAIL;
}

/* The verdict, saying what a round of a single good checks. */
static int verdict(int json, int ok, const char *what, int64_t round, size_t n)
{
	return verify_round_verdict(json, ok, what, round, n,
		trn(cli_lang(), "verified: round %lld, %zu request: the commitment, the"
		    " seed, every allocation and the result's hash are what the record's"
		    " inputs give\n", "verified: round %lld, %zu requests: the commitment,"
		    " the seed, every allocation and the result's hash are what the"
		    " record's inputs give\n", n));
}

int cmd_verify_round(int argc, char **argv)
{
	const char *receipt = NULL, *salt_hex = NULL, *pos[1];
	int json = 0;
	size_t npos;
	const struct cli_opt opts[] = {
		{ "receipt", OPT_STRING, &receipt, 0, 0 },
		{ "salt", OPT_STRING, &salt_hex, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	int rc = cli_parse(cli_find("verify"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1)
		return cli_errorf("verify", CLI_USAGE, "verify round FILE: the round's record"
				  " (GET /api/v1/rounds/ID)");
	if (!receipt != !salt_hex)
		return cli_errorf("verify", CLI_USAGE, "--receipt HANDLE goes with --salt HEX");
	json_error_t jerr;
	json_t *rec = json_load_file(pos[0], 0, &jerr);
	if (!json_is_object(rec)) {
		json_decref(rec);
		return cli_errorf("verify", CLI_USAGE, "%s: not a round's record (%s)", pos[0],
				  jerr.text);
	}
	const char *policy = json_string_value(json_object_get(rec, "policy"));
	if (policy && !strcmp(policy, "probabilistic_serial")) {
		rc = verify_round_ps(rec, pos[0], receipt, salt_hex, json);
		json_decref(rec);
		return rc;
	}
	struct px_ration_category cats[PX_RATION_MAX_CATEGORIES];
	uint32_t flow[PX_RATION_MAX_CATEGORIES];
	struct px_ration_request *reqs = NULL;
	struct px_ration_result res = { 0 };
	struct px_error err = { 0 };
	unsigned char commitment[32], want[32], gh[32], seed[32] = { 0 }, hash[32];
	char gid[24], what[200];
	const json_t *jc = json_object_get(rec, "categories"), *jr = json_object_get(rec,
										   "requests");
	int64_t round = json_integer_value(json_object_get(rec, "id"));
	int units = !strcmp(json_string_value(json_object_get(rec, "kind")) ?
			    json_string_value(json_object_get(rec, "kind")) : "", "units");
	size_t nc = json_array_size(jc), n = json_array_size(jr), i;
	const json_t *x;
	rc = CLI_USAGE;
	if (!nc || nc > PX_RATION_MAX_CATEGORIES || !json_is_array(jr) ||
	    !json_is_integer(json_object_get(rec, "supply")) ||
	    !verify_hex32(json_object_get(rec, "commitment"), want)) {
		rc = cli_errorf("verify", CLI_USAGE, "%s: a round's record has its categories,"
				" supply, commitment and requests (a closed round)", pos[0]);
		goto out;
	}
	json_array_foreach(jc, i, x) {
		cats[i].share = json_integer_value(json_object_get(x, "share"));
		cats[i].cap = json_integer_value(json_object_get(rec, "cap"));
		flow[i] = (uint32_t)i;
	}
	/* requests moved at the close out of a category whose evidence was
	 * not accepted, into one past the policy's: the unreserved rest,
	 * reserving nothing, last in the flow (docs/sharing.md section 6) */
	if (json_is_true(json_object_get(rec, "rest_category"))) {
		if (nc == PX_RATION_MAX_CATEGORIES) {
			rc = cli_errorf("verify", CLI_USAGE, "%s: too many categories", pos[0]);
			goto out;
		}
		cats[nc].share = 0;
		cats[nc].cap = json_integer_value(json_object_get(rec, "cap"));
		flow[nc] = (uint32_t)nc;
		nc++;
	}
	if (!(reqs = calloc(n + 1, sizeof(*reqs)))) {
		rc = cli_errorf("verify", CLI_FAIL, "out of memory");
		goto out;
	}
	json_array_foreach(jr, i, x) {
		if (!verify_hex32(json_object_get(x, "leaf"), reqs[i].leaf)) {
			rc = cli_errorf("verify", CLI_USAGE, "%s: request %zu has no leaf", pos[0],
					i + 1);
			goto out;
		}
		reqs[i].category = (uint32_t)json_integer_value(json_object_get(x, "category"));
		reqs[i].amount = json_integer_value(json_object_get(x, "amount"));
	}
	snprintf(gid, sizeof(gid), "%lld", (long long)json_integer_value(json_object_get(rec,
											 "good")));
	struct px_ration_good g = {
		.id = gid, .kind = units ? PX_RATION_UNITS : PX_RATION_DIVISIBLE,
		.supply = json_integer_value(json_object_get(rec, "supply")),
		.policy = { .n_categories = nc, .categories = cats, .share_den = 100,
			    .flow = flow },
		.requests = reqs, .n = n,
	};
	/* 1. the commitment published when the round closed */
	if (px_ration_good_hash(&g, gh, &err)) {
		rc = cli_report("verify", &err);
		goto out;
	}
	px_ration_round_commit((const unsigned char (*)[32])gh, 1, commitment);
	if (memcmp(commitment, want, 32)) {
		rc = verdict(json, 0, N_("the commitment is not the one its inputs make"), round, n);
		goto out;
	}
	/* 2. the seed, from the public source named (units only) */
	const char *source = json_string_value(json_object_get(rec, "source"));
	if (units) {
		if (!source) {
			rc = verdict(json, 0, N_("no source for the seed yet: the round is not drawn"),
				     round, n);
			goto out;
		}
		px_seed_derive(commitment, source, strlen(source), seed);
	}
	/* 3. the allocation, request by request, and the result's hash */
	if (px_ration_run(&g, seed, &res, &err)) {
		rc = cli_report("verify", &err);
		goto out;
	}
	json_array_foreach(jr, i, x) {
		if (json_integer_value(json_object_get(x, "num")) != res.alloc[i].num ||
		    json_integer_value(json_object_get(x, "den")) != res.alloc[i].den ||
		    json_integer_value(json_object_get(x, "place")) !=
		    (json_int_t)(res.rank ? res.rank[i] : 0)) {
			/* the JSON's difference in English, the text in the reader's */
			snprintf(what, sizeof(what), json ? "request %zu (leaf %.16s...) received"
				 " %lld/%lld at place %u, not what the record states"
				 : _("request %zu (leaf %.16s...) received %lld/%lld at place %u,"
				     " not what the record states"), i + 1,
				 json_string_value(json_object_get(x, "leaf")),
				 (long long)res.alloc[i].num, (long long)res.alloc[i].den,
				 res.rank ? res.rank[i] : 0);
			rc = verdict(json, 0, what, round, n);
			goto out;
		}
	}
	px_ration_result_hash(&res, gh, hash);
	if (!verify_hex32(json_object_get(rec, "result_hash"), want) || memcmp(hash, want, 32)) {
		rc = verdict(json, 0, N_("the result's hash is not the one the allocation makes"),
			     round, n);
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
		for (i = 0; i < n && memcmp(reqs[i].leaf, leaf, 32); i++)
			;
		if (i == n) {
			rc = verdict(json, 0, N_("the receipt's request is not in this round"), round, n);
			goto out;
		}
		if (!json)
			printf(_("your request: category %u, asked %lld, received %lld/%lld, place"
				 " %u\n"), reqs[i].category, (long long)reqs[i].amount,
			       (long long)res.alloc[i].num, (long long)res.alloc[i].den,
			       res.rank ? res.rank[i] : 0);
	}
	rc = verdict(json, 1, NULL, round, n);
out:
	px_ration_result_release(&res);
	free(reqs);
	json_decref(rec);
	return rc;
}
