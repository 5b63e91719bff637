/*
 * cmd_verify.c: `pnyx verify`, the recomputation anyone can run from the
 * published files alone. Three checks share the command:
 *   - a uniform draw (--pool, --seats, --seed, --result from pnyx draw);
 *   - a panel lottery (--result from pnyx select, --seed): the lottery's
 *     commitment, the seed, the uniform pick and the quotas;
 *   - the same draw from the public record of a private pool (--record
 *     instead of --pool): the leaves of those drawn, by position;
 *   - a receipt (--record, --receipt ID, --salt HEX): the person's leaf is
 *     in the published record and the record hashes to its commitment.
 * Exit 0 when everything matches, 1 at the first difference (named on
 * stderr), 2 for bad usage or unreadable files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/alloc.h"
#include "core/pool.h"
#include "cli.h"
#include "commands.h"
#include "sortition_io.h"
#include "sortition_run.h"
#include "banned.h"

const char cmd_verify_usage[] =
	"usage: pnyx verify --pool FILE --seats K --seed SOURCE --result FILE\n"
	"       pnyx verify --result FILE --seed SOURCE [--categories FILE\n"
	"                   --respondents FILE]\n"
	"       pnyx verify --record FILE --seats K --seed SOURCE --result FILE\n"
	"       pnyx verify --record FILE --receipt ID [--salt HEX]\n"
	"\n"
	"Recompute a published sortition and say whether it is exactly what the\n"
	"rules of docs/sortition.md give. Exit 0 when it is, 1 when it is not.\n"
	"\n"
	"  --result FILE     the output of pnyx draw (text or --json) or of\n"
	"                    pnyx select --json (a panel lottery)\n"
	"  --pool, --seats, --seed, --id-column  as for pnyx draw\n"
	"  --categories, --respondents  with a lottery: also check every panel\n"
	"                    against the quotas and the pool\n"
	"  --record FILE     a pool record written by pnyx commit --record: with\n"
	"                    --result (pnyx draw --json), checks the draw from the\n"
	"                    record alone, by the leaves of those drawn\n"
	"  --receipt ID --salt HEX  a person's receipt: check they are in it\n";

/* A published draw, read from JSON or from the text output. */
struct published {
	char *commitment, *seed; /* NULL when absent */
	char **drawn, **alt;
	size_t ndrawn, nalt;
	json_t *json;            /* owns the strings when read from JSON */
	char *text;              /* owns them when read from text */
};

static void published_release(struct published *p)
{
	free(p->drawn);
	free(p->alt);
	json_decref(p->json);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

static int json_ids(json_t *arr, char ***out, size_t *n)
{
	if (!json_is_array(arr))
		return -1;
	*n = json_array_size(arr);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_string(v))
			return -1;
		(*out)[i] = (char *)json_string_value(v);
	}
	return 0;
}

/* The text format of sr_print_draw: "commitment HEX", "seed HEX",
 * "drawn N" and N lines "RANK ID", "alternates N" and N lines. */
static int parse_text(char *text, struct published *p, size_t *bad_line)
{
	char *line = text, *next;
	size_t ln = 0, want = 0, *count = NULL;
	char ***dest = NULL;
	p->text = text;
	for (; line && *line; line = next) {
		ln++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		char *sp = strchr(line, ' ');
		if (!sp) {
			if (!*line)
				continue;
			*bad_line = ln;
			return -1;
		}
		*sp = '\0';
		char *val = sp + 1;
		if (want) {
			(*dest)[(*count)++] = val;
			want--;
			continue;
		}
		if (!strcmp(line, "commitment"))
			p->commitment = val;
		else if (!strcmp(line, "seed"))
			p->seed = val;
		else if (!strcmp(line, "drawn") || !strcmp(line, "alternates")) {
			char *end;
			unsigned long long n = strtoull(val, &end, 10);
			if (*end || n > 100000000ULL) {
				*bad_line = ln;
				return -1;
			}
			int d = line[0] == 'd';
			dest = d ? &p->drawn : &p->alt;
			count = d ? &p->ndrawn : &p->nalt;
			if (*dest) {
				*bad_line = ln;
				return -1;
			}
			*dest = calloc(n ? n : 1, sizeof(char *));
			if (!*dest)
				return -1;
			want = n;
		} else {
			*bad_line = ln;
			return -1;
		}
	}
	if (want) {
		*bad_line = ln;
		return -1;
	}
	return 0;
}

static int load_published(const char *path, struct published *p, json_t **whole)
{
	char *buf;
	size_t len, bad = 0;
	memset(p, 0, sizeof(*p));
	*whole = NULL;
	int rc = sio_read_file("verify", path, (size_t)1 << 30, &buf, &len);
	if (rc)
		return rc;
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
		i++;
	if (i < len && buf[i] == '{') {
		json_error_t je;
		p->json = json_loadb(buf, len, 0, &je);
		free(buf);
		if (!p->json)
			return cli_errorf("verify", CLI_USAGE, "%s:%d: %s", path,
					  je.line, je.text);
		if (json_object_get(p->json, "panels")) {
			*whole = p->json;
			return 0;
		}
		json_t *c = json_object_get(p->json, "commitment");
		json_t *s = json_object_get(p->json, "seed");
		p->commitment = json_is_string(c) ? (char *)json_string_value(c) : NULL;
		p->seed = json_is_string(s) ? (char *)json_string_value(s) : NULL;
		if (!json_object_get(p->json, "drawn") &&
		    json_object_get(p->json, "drawn_leaves"))
			return 0; /* leaves only: checked against a record */
		if (json_ids(json_object_get(p->json, "drawn"), &p->drawn, &p->ndrawn) ||
		    (json_object_get(p->json, "alternates") &&
		     json_ids(json_object_get(p->json, "alternates"), &p->alt, &p->nalt)))
			return cli_errorf("verify", CLI_USAGE,
					  "%s: \"drawn\" and \"alternates\" must be arrays of ids",
					  path);
		return 0;
	}
	if (parse_text(buf, p, &bad))
		return cli_errorf("verify", CLI_USAGE,
				  "%s:%zu: not a line of pnyx draw's output", path, bad);
	return 0;
}

static int verify_draw(const char *pool_path, const char *id_column,
		       int64_t seats, const char *source, struct published *pub)
{
	struct sio_pool sp;
	struct sr_draw_result res = { 0 };
	char hex[65];
	int rc = sio_load_pool("verify", pool_path, id_column, &sp);
	if (rc)
		goto out;
	sio_hex32(sp.pool.commitment, hex);
	if (pub->commitment && strcmp(pub->commitment, hex)) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the pool's commitment is %s, the result says %s",
				hex, pub->commitment);
		goto out;
	}
	if (pub->ndrawn != (size_t)seats) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the result lists %zu drawn, --seats is %lld",
				pub->ndrawn, (long long)seats);
		goto out;
	}
	if (pub->nalt > sp.pool.n - (size_t)seats) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the result lists %zu alternates, the pool has only %zu more people",
				pub->nalt, sp.pool.n - (size_t)seats);
		goto out;
	}
	rc = sr_draw("verify", &sp.pool, source, (size_t)seats, pub->nalt, &res);
	if (rc)
		goto out;
	sio_hex32(res.seed, hex);
	if (pub->seed && strcmp(pub->seed, hex)) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the seed from this source is %s, the result says %s",
				hex, pub->seed);
		goto out;
	}
	for (size_t i = 0; i < res.r; i++) {
		const char *want = sp.pool.people[res.rank[i]].id;
		int d = i < res.seats;
		const char *got = d ? pub->drawn[i] : pub->alt[i - res.seats];
		if (strcmp(want, got)) {
			rc = cli_errorf("verify", CLI_FAIL,
					"%s %zu is '%s' in the result but '%s' by the rules",
					d ? "drawn" : "alternate",
					d ? i + 1 : i - res.seats + 1, got, want);
			goto out;
		}
	}
	printf("verified: the %zu drawn and %zu alternates are exactly the draw\n",
	       res.seats, res.r - res.seats);
out:
	free(res.rank);
	sio_pool_release(&sp);
	return rc;
}

/* A pool record: the commitment line and the leaves, checked to be in
 * canonical order and to hash to the commitment. */
struct record {
	unsigned char commitment[32];
	unsigned char (*leaves)[32];
	size_t n;
};

static int read_record(const char *path, struct record *r)
{
	char *buf = NULL;
	size_t len, cap = 0, ln = 0;
	unsigned char got[32];
	int have_commit = 0;
	memset(r, 0, sizeof(*r));
	if (sodium_init() < 0)
		return cli_errorf("verify", CLI_FAIL, "libsodium failed to start");
	int rc = sio_read_file("verify", path, (size_t)1 << 30, &buf, &len);
	if (rc)
		return rc;
	for (char *line = buf, *next; line && *line; line = next) {
		ln++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (!l || line[0] == '#')
			continue;
		if (!strncmp(line, "commitment ", 11)) {
			if (sio_unhex32(line + 11, r->commitment))
				goto bad;
			have_commit = 1;
			continue;
		}
		if (r->n == cap) {
			cap = cap ? cap * 2 : 1024;
			void *p = px_reallocarray(r->leaves, cap, sizeof(*r->leaves));
			if (!p) {
				rc = cli_errorf("verify", CLI_FAIL, "out of memory");
				goto out;
			}
			r->leaves = p;
		}
		if (sio_unhex32(line, r->leaves[r->n]))
			goto bad;
		if (r->n && memcmp(r->leaves[r->n - 1], r->leaves[r->n], 32) >= 0) {
			rc = cli_errorf("verify", CLI_FAIL,
					"%s:%zu: the leaves are not in canonical (ascending) order",
					path, ln);
			goto out;
		}
		r->n++;
	}
	if (!have_commit) {
		rc = cli_errorf("verify", CLI_USAGE, "%s: no commitment line", path);
		goto out;
	}
	px_commit_leaves((const unsigned char (*)[32])r->leaves, r->n, got);
	if (memcmp(got, r->commitment, 32))
		rc = cli_errorf("verify", CLI_FAIL,
				"the record's leaves do not hash to its commitment");
	goto out;
bad:
	rc = cli_errorf("verify", CLI_USAGE,
			"%s:%zu: expected 64 hexadecimal digits", path, ln);
out:
	free(buf);
	if (rc) {
		free(r->leaves);
		r->leaves = NULL;
	}
	return rc;
}

static int verify_receipt(const char *path, const char *id, const char *salt_hex)
{
	struct record r;
	unsigned char salt[32], leaf[32];
	if (salt_hex && sio_unhex32(salt_hex, salt))
		return cli_errorf("verify", CLI_USAGE, "--salt must be 64 hexadecimal digits");
	int rc = read_record(path, &r);
	if (rc)
		return rc;
	px_leaf(id, salt_hex ? salt : NULL, leaf);
	int found = 0;
	for (size_t i = 0; i < r.n && !found; i++)
		found = !memcmp(r.leaves[i], leaf, 32);
	if (found)
		printf("verified: '%s' is one of the %zu people committed to\n", id, r.n);
	else
		rc = cli_errorf("verify", CLI_FAIL,
				"the receipt of '%s' is not in the record", id);
	free(r.leaves);
	return rc;
}

/* A draw checked from the public record alone: the published leaves of
 * the people drawn and the alternates must be those at the positions the
 * seed ranks. Ids stay private; each person matches their own leaf with
 * their receipt. */
static int verify_draw_record(const char *path, int64_t seats,
			      const char *source, json_t *res)
{
	struct record r;
	struct px_pool pool = { 0 };
	struct sr_draw_result d = { 0 };
	char hex[65];
	json_t *dl = json_object_get(res, "drawn_leaves");
	json_t *al = json_object_get(res, "alternate_leaves");
	int rc = read_record(path, &r);
	if (rc)
		return rc;
	if (!json_is_array(dl) || (al && !json_is_array(al))) {
		rc = cli_errorf("verify", CLI_USAGE,
				"checking a draw against a record needs the result's \"drawn_leaves\" (pnyx draw --json)");
		goto out;
	}
	size_t nd = json_array_size(dl), na = al ? json_array_size(al) : 0;
	json_t *c = json_object_get(res, "commitment");
	sio_hex32(r.commitment, hex);
	if (json_is_string(c) && strcmp(json_string_value(c), hex)) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the record's commitment is %s, the result says %s",
				hex, json_string_value(c));
		goto out;
	}
	if (nd != (size_t)seats || na > r.n - (nd < r.n ? nd : r.n)) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the result lists %zu drawn and %zu alternates for --seats %lld of %zu",
				nd, na, (long long)seats, r.n);
		goto out;
	}
	/* The draw needs only the number of people and the commitment. */
	pool.n = r.n;
	memcpy(pool.commitment, r.commitment, 32);
	rc = sr_draw("verify", &pool, source, nd, na, &d);
	if (rc)
		goto out;
	sio_hex32(d.seed, hex);
	json_t *s = json_object_get(res, "seed");
	if (json_is_string(s) && strcmp(json_string_value(s), hex)) {
		rc = cli_errorf("verify", CLI_FAIL,
				"the seed from this source is %s, the result says %s",
				hex, json_string_value(s));
		goto out;
	}
	for (size_t i = 0; i < d.r; i++) {
		int drawn = i < nd;
		json_t *v = json_array_get(drawn ? dl : al, drawn ? i : i - nd);
		sio_hex32(r.leaves[d.rank[i]], hex);
		if (!json_is_string(v) || strcmp(json_string_value(v), hex)) {
			rc = cli_errorf("verify", CLI_FAIL,
					"%s %zu is not the leaf the rules give (%s)",
					drawn ? "drawn" : "alternate",
					drawn ? i + 1 : i - nd + 1, hex);
			goto out;
		}
	}
	printf("verified: the %zu drawn and %zu alternates are exactly the draw from the record\n",
	       nd, na);
out:
	free(d.rank);
	free(r.leaves);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	const char *pool = NULL, *id_column = NULL, *source = NULL,
		   *result = NULL, *record = NULL, *receipt = NULL, *salt = NULL,
		   *categories = NULL, *respondents = NULL;
	int64_t seats = -1;
	int rc;
	size_t npos;
	struct published pub = { 0 };
	json_t *lottery = NULL;
	const struct cli_opt opts[] = {
		{ "pool", OPT_STRING, &pool, 0, 0 },
		{ "id-column", OPT_STRING, &id_column, 0, 0 },
		{ "seats", OPT_INT, &seats, 0, UINT32_MAX },
		{ "seed", OPT_STRING, &source, 0, 0 },
		{ "result", OPT_STRING, &result, 0, 0 },
		{ "record", OPT_STRING, &record, 0, 0 },
		{ "receipt", OPT_STRING, &receipt, 0, 0 },
		{ "salt", OPT_STRING, &salt, 0, 0 },
		{ "categories", OPT_STRING, &categories, 0, 0 },
		{ "respondents", OPT_STRING, &respondents, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	rc = cli_parse(cli_find("verify"), opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (receipt) {
		if (!record)
			return cli_errorf("verify", CLI_USAGE,
					  "--receipt ID needs --record FILE");
		return verify_receipt(record, receipt, salt);
	}
	if (!result || !source)
		return cli_errorf("verify", CLI_USAGE,
				  "--result FILE and --seed SOURCE are required (see pnyx help verify)");
	rc = load_published(result, &pub, &lottery);
	if (rc)
		goto out;
	if (lottery) {
		rc = sr_verify_lottery("verify", lottery, source, categories,
				       respondents, id_column);
		goto out;
	}
	if (record && seats >= 0 && pub.json) {
		rc = verify_draw_record(record, seats, source, pub.json);
		goto out;
	}
	if (!pool || seats < 0) {
		rc = cli_errorf("verify", CLI_USAGE,
				"verifying a draw needs --pool FILE (or --record FILE) and --seats K");
		goto out;
	}
	rc = verify_draw(pool, id_column, seats, source, &pub);
out:
	published_release(&pub);
	return rc;
}
