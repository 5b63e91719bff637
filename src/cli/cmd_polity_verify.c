/*
 * cmd_polity_verify.c: `pnyx polity verify SLUG [--renewal ID] --server
 * URL`, anyone's check of a polity's renewal from what a server publishes
 * (docs/polities.md, "How to verify"). It fetches the renewal (its seed's
 * source text, seats and commitment), its record (the salted leaves of
 * the pool, as `pnyx commit --record` writes them) and its result (the
 * leaves drawn and the alternates), and checks them with the code of
 * `pnyx verify --record` (cmd_verify.c, verify.h): the record hashes to
 * the commitment the renewal published, and the seed from that text ranks
 * exactly the leaves the result states. With --receipt and --salt, it
 * checks instead that a person's leaf is in the record. Exit 0 when
 * everything matches, 1 at the first difference, 2 when something cannot
 * be read (no such polity or renewal, a server that does not answer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "fetch.h"
#include "verify.h"
#include "banned.h"

enum { URL_MAX = 2048 };
#define SMALL_MAX ((size_t)16 << 20)  /* a renewal's JSON, its list */
#define LARGE_MAX ((size_t)4 << 30)   /* a record: 65 bytes a citizen */

static int slug_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int get_json(const char *server, const char *path, json_t **out)
{
	char url[URL_MAX], *body;
	size_t len;
	json_error_t je;
	*out = NULL;
	if ((size_t)snprintf(url, sizeof(url), "%s%s", server, path) >= sizeof(url))
		return cli_errorf("polity", CLI_USAGE, "--server is too long");
	int rc = cli_fetch("polity", url, "application/json", SMALL_MAX, &body, &len);
	if (rc)
		return rc;
	*out = json_loadb(body, len, 0, &je);
	free(body);
	if (!*out || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return cli_errorf("polity", CLI_USAGE, "%s: not a JSON object", url);
	}
	return CLI_OK;
}

/* The latest renewal of slug that was drawn, or else committed. */
static int latest_renewal(const char *server, const char *slug, json_int_t *id)
{
	char path[256];
	json_t *list;
	snprintf(path, sizeof(path), "/api/v1/polities/%s/renewals", slug);
	int rc = get_json(server, path, &list);
	if (rc)
		return rc;
	json_int_t best = 0, best_committed = 0;
	double best_at = 0, best_committed_at = 0;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(list, "renewals"), i, r) {
		json_t *rid = json_object_get(r, "id");
		const char *st = json_string_value(json_object_get(r, "status"));
		double at = json_number_value(json_object_get(r, "draw_at"));
		if (!json_is_integer(rid) || !st)
			continue;
		if (!strcmp(st, "drawn") && (!best || at > best_at ||
		    (at == best_at && json_integer_value(rid) > best))) {
			best = json_integer_value(rid);
			best_at = at;
		} else if (!strcmp(st, "committed") && (!best_committed ||
			   at > best_committed_at)) {
			best_committed = json_integer_value(rid);
			best_committed_at = at;
		}
	}
	json_decref(list);
	*id = best ? best : best_committed;
	if (!*id)
		return cli_errorf("polity", CLI_USAGE,
				  "no renewal of %s has been committed yet: nothing to verify", slug);
	return CLI_OK;
}

/* Verify renewal id of slug from the server at base. */
static int verify_one(const char *base, const char *slug, json_int_t id,
		      const char *receipt, const char *salt, int json)
{
	int rc;
	char path[256], url[URL_MAX], rname[URL_MAX], *record = NULL, *result = NULL;
	size_t len;
	json_t *r = NULL;
	snprintf(path, sizeof(path), "/api/v1/renewals/%lld", (long long)id);
	if ((rc = get_json(base, path, &r)))
		return rc;
	const char *of = json_string_value(json_object_get(json_object_get(r, "polity"), "slug"));
	const char *status = json_string_value(json_object_get(r, "status"));
	const char *commitment = json_string_value(json_object_get(r, "commitment"));
	const char *seed_text = json_string_value(json_object_get(r, "seed_text"));
	json_t *seats = json_object_get(r, "seats");
	if (!of || !status || !json_is_integer(seats)) {
		rc = cli_errorf("polity", CLI_USAGE, "%s%s: not a renewal", base, path);
		goto out;
	}
	if (strcmp(of, slug)) {
		rc = cli_errorf("polity", CLI_USAGE, "renewal %lld is of the polity %s, not %s",
				(long long)id, of, slug);
		goto out;
	}
	if (!strcmp(status, "scheduled") || !commitment) {
		rc = cli_errorf("polity", CLI_USAGE, "renewal %lld has no commitment yet",
				(long long)id);
		goto out;
	}
	int drawn = !strcmp(status, "drawn");
	if (drawn && !seed_text) {
		rc = cli_errorf("polity", CLI_USAGE, "renewal %lld is drawn but states no seed text",
				(long long)id);
		goto out;
	}
	if ((size_t)snprintf(rname, sizeof(rname), "%s%s/record", base, path) >= sizeof(rname) ||
	    (size_t)snprintf(url, sizeof(url), "%s%s/result", base, path) >= sizeof(url)) {
		rc = cli_errorf("polity", CLI_USAGE, "--server is too long");
		goto out;
	}
	if ((rc = cli_fetch("polity", rname, "text/plain", LARGE_MAX, &record, &len)))
		goto out;
	if (drawn && !receipt &&
	    (rc = cli_fetch("polity", url, "application/json", LARGE_MAX, &result, &len))) {
		free(record);
		goto out;
	}
	if (!json && !receipt)
		printf(drawn ? _("renewal %lld of %s, cohort %lld: drawn\n")
		       : _("renewal %lld of %s, cohort %lld: committed, not drawn yet\n"),
		       (long long)id, of,
		       (long long)json_integer_value(json_object_get(r, "cohort")));
	/* with quotas: LEXIMIN, the lottery and its pick (polity_strata.c) */
	if (!receipt && json_object_get(r, "lottery")) {
		json_t *lot = NULL, *res = NULL;
		snprintf(path, sizeof(path), "/api/v1/renewals/%lld/lottery", (long long)id);
		if (!(rc = get_json(base, path, &lot)) && result) {
			res = json_loads(result, 0, NULL);
			if (!res)
				rc = cli_errorf("polity", CLI_USAGE, "%s: not JSON", url);
		}
		if (!rc && json)
			rc = cli_errorf("polity", CLI_USAGE, "--json is not given for a renewal"
					" with quotas: its verdict is in text");
		if (!rc)
			rc = verify_strata("polity", r, record, lot, res);
		json_decref(lot);
		json_decref(res);
		free(record);
		free(result);
		goto out;
	}
	struct verify_texts in = {
		.cmd = "polity", .record_name = rname, .record = record,
		.result_name = url, .result = result, .commitment = commitment,
		/* a renewal draws every seat it can: all of a pool smaller than
		 * its seats (the rest wait for a supplementary renewal) */
		.seats = (int64_t)json_integer_value(seats), .seats_at_most_pool = 1,
		.source = seed_text,
		.receipt = receipt, .salt = salt, .json = json,
	};
	rc = verify_texts(&in);
out:
	json_decref(r);
	return rc;
}

/* Every renewal of slug committed so far, oldest first: a line each, and
 * the worst outcome (2 unreadable over 1 a difference over 0). */
static int verify_all(const char *base, const char *slug)
{
	char path[256];
	json_t *list;
	snprintf(path, sizeof(path), "/api/v1/polities/%s/renewals", slug);
	int rc = get_json(base, path, &list), worst = CLI_OK;
	if (rc)
		return rc;
	json_t *arr = json_object_get(list, "renewals");
	size_t n = json_array_size(arr), done = 0, bad = 0;
	json_int_t *ids = calloc(n ? n : 1, sizeof(*ids));
	if (!ids) {
		json_decref(list);
		return cli_errorf("polity", CLI_FAIL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		json_t *rid = json_object_get(json_array_get(arr, i), "id");
		if (json_is_integer(rid))
			ids[done++] = json_integer_value(rid);
	}
	json_decref(list);
	/* oldest first, whatever order the server lists them in */
	for (size_t i = 1; i < done; i++)
		for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
			json_int_t t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (size_t i = 0; i < done; i++) {
		rc = verify_one(base, slug, ids[i], NULL, NULL, 0);
		if (rc)
			bad++;
		if (rc == CLI_USAGE || (rc && worst == CLI_OK))
			worst = rc;
	}
	free(ids);
	if (!done)
		return cli_errorf("polity", CLI_USAGE,
				  "no renewal of %s has been committed yet: nothing to verify", slug);
	if (bad) {
		fputs("pnyx polity: ", stderr);
		fprintf(stderr, trn(cli_lang(), "%zu of the %zu renewal of %s did not verify\n",
				    "%zu of the %zu renewals of %s did not verify\n", done),
			bad, done, slug);
	}
	else
		printf(_("all %zu renewals of %s verified\n"), done, slug);
	return worst;
}

int cmd_polity_verify(int argc, char **argv)
{
	const char *server = NULL, *receipt = NULL, *salt = NULL, *pos[1];
	int64_t renewal = 0;
	int json = 0, all = 0;
	const struct cli_opt opts[] = {
		{ "server", OPT_STRING, &server, 0, 0 },
		{ "renewal", OPT_INT, &renewal, 1, INT64_MAX },
		{ "receipt", OPT_STRING, &receipt, 0, 0 },
		{ "salt", OPT_STRING, &salt, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "all", OPT_FLAG, &all, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("polity"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || !server)
		return cli_errorf("polity", CLI_USAGE,
				  "say 'verify SLUG [--renewal ID] --server URL'");
	if (!slug_ok(pos[0]))
		return cli_errorf("polity", CLI_USAGE, "'%s' is not a polity's name"
				  " (lower-case letters, digits and hyphens)", pos[0]);
	if (strncmp(server, "http://", 7) && strncmp(server, "https://", 8))
		return cli_errorf("polity", CLI_USAGE,
				  "--server must be an http:// or https:// address");
	if (salt && !receipt)
		return cli_errorf("polity", CLI_USAGE, "--salt goes with --receipt ID");
	if (all && (renewal || receipt || json))
		return cli_errorf("polity", CLI_USAGE,
				  "--all verifies every renewal: not with --renewal, --receipt or --json");
	/* the server's address without a final slash */
	char base[URL_MAX - 256];
	size_t blen = strlen(server);
	while (blen > 8 && server[blen - 1] == '/')
		blen--;
	if (blen >= sizeof(base))
		return cli_errorf("polity", CLI_USAGE, "--server is too long");
	memcpy(base, server, blen);
	base[blen] = '\0';

	json_int_t id = (json_int_t)renewal;
	if (all)
		return verify_all(base, pos[0]);
	if (!id && (rc = latest_renewal(base, pos[0], &id)))
		return rc;
	return verify_one(base, pos[0], id, receipt, salt, json);
}
