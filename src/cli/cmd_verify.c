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
 * Every thing a result states is checked (ids and leaves, rank by rank,
 * and the lists against each other), in the order docs/sortition.md 6.1
 * gives. Exit 0 when everything matches, 1 at the first difference (named
 * on stderr, and in the --json verdict), 2 for bad usage or unreadable
 * files.
 */
#include <stdarg.h>
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
#include "verify.h"
#include "banned.h"

const char cmd_verify_usage[] = N_(
	"usage: pnyx verify --pool FILE --seats K --seed SOURCE --result FILE [--json]\n"
	"       pnyx verify --result FILE --seed SOURCE [--categories FILE\n"
	"                   --respondents FILE]\n"
	"       pnyx verify --record FILE --seats K --seed SOURCE --result FILE [--json]\n"
	"       pnyx verify --record FILE --receipt ID [--salt HEX] [--json]\n"
	"       pnyx verify round FILE [--receipt HANDLE --salt HEX] [--json]\n"
	"\n"
	"Recompute a published sortition and say whether everything it states is\n"
	"exactly what the rules of docs/sortition.md give. Exit 0 when it is, 1\n"
	"when it is not (the first difference is named), 2 for unreadable input.\n"
	"\n"
	"  --seed-file FILE  instead of --seed: the source as the bytes of FILE\n"
	"  --json            the verdict as JSON: verified, mode, people, drawn,\n"
	"                    alternates, ids_checked, leaves_checked and, when not\n"
	"                    verified, failure {check, position, expected, found,\n"
	"                    message} (docs/sortition.md 6.1)\n"
	"  --result FILE     the output of pnyx draw (text or --json) or of\n"
	"                    pnyx select --json (a panel lottery)\n"
	"  --pool, --seats, --seed, --id-column  as for pnyx draw\n"
	"  --categories, --respondents  with a lottery: also check every panel\n"
	"                    against the quotas and the pool\n"
	"  --record FILE     a pool record written by pnyx commit --record: with\n"
	"                    --result (pnyx draw --json), checks the draw from the\n"
	"                    record alone, by the leaves of those drawn\n"
	"  --receipt ID --salt HEX  a person's receipt: check they are in it\n");

/* A published draw, read from JSON or from the text output. Each list is
 * NULL when the result does not state it. */
struct published {
	char *commitment, *seed;
	char **drawn, **alt, **drawn_leaves, **alt_leaves;
	size_t ndrawn, nalt, ndl, nal;
	json_t *json;            /* owns the strings when read from JSON */
	char *text;              /* owns them when read from text */
};

static void published_release(struct published *p)
{
	free(p->drawn);
	free(p->alt);
	free(p->drawn_leaves);
	free(p->alt_leaves);
	json_decref(p->json);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

/* The array of strings at key, or NULL when the key is absent. */
static int json_ids(json_t *obj, const char *key, char ***out, size_t *n)
{
	json_t *arr = json_object_get(obj, key);
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
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

/* A result given as the text buf (len bytes, NUL-terminated, owned by p
 * from here on), named path in messages. */
static int parse_published(const char *cmd, const char *path, char *buf, size_t len,
			   struct published *p, json_t **whole)
{
	size_t bad = 0;
	memset(p, 0, sizeof(*p));
	*whole = NULL;
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
		i++;
	if (i < len && buf[i] == '{') {
		json_error_t je;
		p->json = json_loadb(buf, len, 0, &je);
		free(buf);
		if (!p->json || !json_is_object(p->json))
			return cli_errorf(cmd, CLI_USAGE, "%s:%d: %s", path,
					  p->json ? 1 : je.line,
					  p->json ? "not a JSON object" : je.text);
		if (json_object_get(p->json, "panels")) {
			*whole = p->json;
			return 0;
		}
		json_t *c = json_object_get(p->json, "commitment");
		json_t *s = json_object_get(p->json, "seed");
		if ((c && !json_is_string(c)) || (s && !json_is_string(s)))
			return cli_errorf(cmd, CLI_USAGE,
					  "%s: \"commitment\" and \"seed\" must be strings", path);
		p->commitment = c ? (char *)json_string_value(c) : NULL;
		p->seed = s ? (char *)json_string_value(s) : NULL;
		if (json_ids(p->json, "drawn", &p->drawn, &p->ndrawn) ||
		    json_ids(p->json, "alternates", &p->alt, &p->nalt) ||
		    json_ids(p->json, "drawn_leaves", &p->drawn_leaves, &p->ndl) ||
		    json_ids(p->json, "alternate_leaves", &p->alt_leaves, &p->nal))
			return cli_errorf(cmd, CLI_USAGE,
					  "%s: \"drawn\", \"alternates\", \"drawn_leaves\" and"
					  " \"alternate_leaves\" must be arrays of strings", path);
		/* a published record states leaves and withholds the ids: empty
		 * lists of ids beside leaves say "not stated" (the API's result) */
		if (p->drawn && !p->ndrawn && p->drawn_leaves && p->ndl) {
			free(p->drawn);
			p->drawn = NULL;
			if (p->alt && !p->nalt) {
				free(p->alt);
				p->alt = NULL;
			}
		}
		if (!p->drawn && !p->drawn_leaves)
			return cli_errorf(cmd, CLI_USAGE,
					  "%s: the result has neither \"drawn\" nor \"drawn_leaves\"",
					  path);
		return 0;
	}
	if (parse_text(buf, p, &bad))
		return cli_errorf(cmd, CLI_USAGE,
				  "%s:%zu: not a line of pnyx draw's output", path, bad);
	if (!p->drawn)
		return cli_errorf(cmd, CLI_USAGE, "%s: no \"drawn\" section", path);
	return 0;
}

static int load_published(const char *path, struct published *p, json_t **whole)
{
	char *buf;
	size_t len;
	memset(p, 0, sizeof(*p));
	*whole = NULL;
	int rc = sio_read_file("verify", path, (size_t)1 << 30, &buf, &len);
	if (rc)
		return rc;
	return parse_published("verify", path, buf, len, p, whole);
}

/*
 * The outcome of verifying a draw: everything checked, or the first
 * difference. Printed at the end as a line of text (the difference on
 * stderr) or, with --json, as the object docs/sortition.md describes.
 */
struct verdict {
	const char *cmd;         /* the command, in messages: "verify", "polity" */
	const char *mode;        /* "pool" or "record" */
	size_t people, drawn, alternates;
	int ids_checked, leaves_checked;
	const char *check;       /* the check that failed, NULL when none */
	size_t position;         /* 1-based rank within drawn or alternates, or 0 */
	char expected[160], found[160];
	char message[512];       /* English, for --json's programs */
	char said[512];          /* the same in the reader's language */
};

static int differs(struct verdict *v, const char *check, size_t position,
		   const char *expected, const char *found, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int differs(struct verdict *v, const char *check, size_t position,
		   const char *expected, const char *found, const char *fmt, ...)
{
	va_list ap;
	v->check = check;
	v->position = position;
	snprintf(v->expected, sizeof(v->expected), "%s", expected ? expected : "");
	snprintf(v->found, sizeof(v->found), "%s", found ? found : "");
	va_list again;
	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(v->message, sizeof(v->message), fmt, ap);
	vsnprintf(v->said, sizeof(v->said), tr(cli_lang(), fmt), again);
	va_end(again);
	va_end(ap);
	return CLI_FAIL;
}

/* Print the verdict; returns rc unchanged. */
static int report(const struct verdict *v, int rc, int json)
{
	if (rc && !v->check)
		return rc; /* bad usage or input: already said on stderr */
	if (v->check)
		fprintf(stderr, "pnyx %s: %s\n", v->cmd ? v->cmd : "verify", v->said);
	if (json) {
		int draw = strcmp(v->mode, "receipt") != 0;
		json_t *o = json_pack("{s:b, s:s, s:I}", "verified", !v->check,
				      "mode", v->mode, "people", (json_int_t)v->people);
		if (o && draw) {
			json_object_set_new(o, "drawn", json_integer((json_int_t)v->drawn));
			json_object_set_new(o, "alternates",
					    json_integer((json_int_t)v->alternates));
			json_object_set_new(o, "ids_checked", json_boolean(v->ids_checked));
			json_object_set_new(o, "leaves_checked",
					    json_boolean(v->leaves_checked));
		}
		if (o && v->check) {
			json_t *f = json_pack("{s:s, s:s}", "check", v->check,
					      "message", v->message);
			if (f && v->position)
				json_object_set_new(f, "position", json_integer((json_int_t)v->position));
			if (f && *v->expected)
				json_object_set_new(f, "expected", json_string(v->expected));
			if (f && *v->found)
				json_object_set_new(f, "found", json_string(v->found));
			json_object_set_new(o, "failure", f);
		}
		if (!o || json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER))
			rc = CLI_FAIL;
		else
			fputc('\n', stdout);
		json_decref(o);
		return rc;
	}
	if (!v->check)
	{
		int rec = !strcmp(v->mode, "record");
		char drawn[32], alt[32];
		cli_number((int64_t)v->drawn, drawn);
		cli_number((int64_t)v->alternates, alt);
		if (rec && !v->ids_checked && v->drawn + v->alternates)
			printf(trn(cli_lang(), "verified: the %s drawn and %s alternate are exactly"
				   " the draw from the record (by their leaves: a record holds no"
				   " ids; each person checks their own with --receipt)\n",
				   "verified: the %s drawn and %s alternates are exactly the draw"
				   " from the record (by their leaves: a record holds no ids; each"
				   " person checks their own with --receipt)\n", v->alternates),
			       drawn, alt);
		else if (rec)
			printf(trn(cli_lang(), "verified: the %s drawn and %s alternate are exactly"
				   " the draw from the record\n", "verified: the %s drawn and %s"
				   " alternates are exactly the draw from the record\n",
				   v->alternates), drawn, alt);
		else
			printf(trn(cli_lang(), "verified: the %s drawn and %s alternate are exactly"
				   " the draw\n", "verified: the %s drawn and %s alternates are"
				   " exactly the draw\n", v->alternates), drawn, alt);
	}
	return rc;
}

/*
 * What a pool or a record gives: n leaves in canonical order, the
 * commitment and, from a pool, the ids of the same people (NULL from a
 * record).
 */
struct committed {
	size_t n;
	const unsigned char (*leaves)[32];
	const unsigned char *commitment;
	const struct px_person *people;
};

/*
 * The checks of a draw, in the order docs/sortition.md gives: the lists
 * agree with each other, the commitment, the numbers drawn and ranked,
 * the seed, then rank by rank each id and each leaf the result states.
 */
static int check_draw(const struct committed *c, int64_t seats, const char *source,
		      const struct published *pub, struct verdict *v)
{
	struct px_pool pool = { 0 };
	struct sr_draw_result d = { 0 };
	char hex[65], want[65];
	int rc;
	size_t nd = pub->drawn ? pub->ndrawn : pub->ndl;
	size_t na = pub->alt ? pub->nalt : pub->nal;
	v->people = c->n;
	v->drawn = nd;
	v->alternates = na;
	v->ids_checked = c->people && pub->drawn;
	v->leaves_checked = pub->drawn_leaves != NULL;
	/* a result that states both ids and leaves states them for the same
	 * people: a list missing on one side counts as empty */
	int has_ids = pub->drawn || pub->alt;
	int has_leaves = pub->drawn_leaves || pub->alt_leaves;
	if (has_ids && has_leaves && pub->ndrawn != pub->ndl)
		return differs(v, "lists", 0, NULL, NULL,
			       N_("the result lists %zu drawn but %zu drawn leaves"),
			       pub->ndrawn, pub->ndl);
	if (has_ids && has_leaves && pub->nalt != pub->nal)
		return differs(v, "lists", 0, NULL, NULL,
			       N_("the result lists %zu alternates but %zu alternate leaves"),
			       pub->nalt, pub->nal);
	sio_hex32(c->commitment, hex);
	if (pub->commitment && strcmp(pub->commitment, hex))
		return strcmp(v->mode, "record")
		       ? differs(v, "commitment", 0, hex, pub->commitment,
				 N_("the pool's commitment is %s, the result says %s"), hex,
				 pub->commitment)
		       : differs(v, "commitment", 0, hex, pub->commitment,
				 N_("the record's commitment is %s, the result says %s"), hex,
				 pub->commitment);
	if (nd != (size_t)seats)
		return differs(v, "seats", 0, NULL, NULL,
			       N_("the result lists %zu drawn, --seats is %lld"),
			       nd, (long long)seats);
	if (nd > c->n || na > c->n - nd)
		return differs(v, "alternates", 0, NULL, NULL,
			       N_("the result lists %zu drawn and %zu alternates, the pool has %zu"
				  " people"),
			       nd, na, c->n);
	/* The draw needs only the number of people and the commitment. */
	pool.n = c->n;
	memcpy(pool.commitment, c->commitment, 32);
	rc = sr_draw(v->cmd ? v->cmd : "verify", &pool, source, nd, na, &d);
	if (rc)
		goto out;
	sio_hex32(d.seed, hex);
	if (pub->seed && strcmp(pub->seed, hex)) {
		rc = differs(v, "seed", 0, hex, pub->seed,
			     N_("the seed from this source is %s, the result says %s"),
			     hex, pub->seed);
		goto out;
	}
	for (size_t i = 0; i < d.r; i++) {
		int dr = i < nd;
		size_t at = dr ? i : i - nd;
		char **ids = dr ? pub->drawn : pub->alt;
		char **leaves = dr ? pub->drawn_leaves : pub->alt_leaves;
		const char *what = dr ? "drawn" : "alternate";
		if (c->people && ids && strcmp(ids[at], c->people[d.rank[i]].id)) {
			rc = dr ? differs(v, what, at + 1, c->people[d.rank[i]].id, ids[at],
					  N_("drawn %zu is '%s' in the result but '%s' by the"
					     " rules"), at + 1, ids[at], c->people[d.rank[i]].id)
			     : differs(v, what, at + 1, c->people[d.rank[i]].id, ids[at],
				       N_("alternate %zu is '%s' in the result but '%s' by the"
					  " rules"), at + 1, ids[at], c->people[d.rank[i]].id);
			goto out;
		}
		sio_hex32(c->leaves[d.rank[i]], want);
		if (leaves && strcmp(leaves[at], want)) {
			rc = dr ? differs(v, "drawn_leaf", at + 1, want, leaves[at],
					  N_("drawn %zu is not the leaf the rules give (%s)"),
					  at + 1, want)
			     : differs(v, "alternate_leaf", at + 1, want, leaves[at],
				       N_("alternate %zu is not the leaf the rules give (%s)"),
				       at + 1, want);
			goto out;
		}
	}
out:
	free(d.rank);
	return rc;
}

static int verify_draw(const char *pool_path, const char *id_column,
		       int64_t seats, const char *source, struct published *pub,
		       struct verdict *v)
{
	struct sio_pool sp;
	int rc = sio_load_pool("verify", pool_path, id_column, &sp);
	if (rc)
		goto out;
	struct committed c = { sp.pool.n, (const unsigned char (*)[32])sp.pool.leaves,
			       sp.pool.commitment, sp.pool.people };
	rc = check_draw(&c, seats, source, pub, v);
out:
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

/* The record in buf (NUL-terminated, freed here), named path in messages. */
static int parse_record(const char *path, char *buf, struct record *r, struct verdict *v)
{
	const char *cmd = v->cmd ? v->cmd : "verify";
	size_t cap = 0, ln = 0;
	unsigned char got[32];
	int have_commit = 0, rc = 0;
	memset(r, 0, sizeof(*r));
	if (sodium_init() < 0) {
		free(buf);
		return cli_errorf(cmd, CLI_FAIL, "libsodium failed to start");
	}
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
			if (have_commit || sio_unhex32(line + 11, r->commitment))
				goto bad;
			have_commit = 1;
			continue;
		}
		if (r->n == cap) {
			cap = cap ? cap * 2 : 1024;
			void *p = px_reallocarray(r->leaves, cap, sizeof(*r->leaves));
			if (!p) {
				rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
				goto out;
			}
			r->leaves = p;
		}
		if (sio_unhex32(line, r->leaves[r->n]))
			goto bad;
		if (r->n && memcmp(r->leaves[r->n - 1], r->leaves[r->n], 32) >= 0) {
			rc = differs(v, "record", 0, NULL, NULL,
				     N_("%s:%zu: the leaves are not in canonical (ascending) order"),
				     path, ln);
			goto out;
		}
		r->n++;
	}
	if (!have_commit) {
		rc = cli_errorf(cmd, CLI_USAGE, "%s: no commitment line", path);
		goto out;
	}
	px_commit_leaves((const unsigned char (*)[32])r->leaves, r->n, got);
	if (memcmp(got, r->commitment, 32))
		rc = differs(v, "record", 0, NULL, NULL,
			     N_("the record's leaves do not hash to its commitment"));
	goto out;
bad:
	rc = cli_errorf(cmd, CLI_USAGE,
			"%s:%zu: expected 64 hexadecimal digits%s", path, ln,
			have_commit ? " (or a second commitment line)" : "");
out:
	free(buf);
	if (rc) {
		free(r->leaves);
		r->leaves = NULL;
	}
	return rc;
}

static int read_record(const char *path, struct record *r, struct verdict *v)
{
	char *buf = NULL;
	size_t len;
	memset(r, 0, sizeof(*r));
	int rc = sio_read_file("verify", path, (size_t)1 << 30, &buf, &len);
	if (rc)
		return rc;
	return parse_record(path, buf, r, v);
}

/* Whether the leaf of id with its salt is one of the record's. */
static int check_receipt(const struct record *r, const char *id, const char *salt_hex,
			 struct verdict *v)
{
	unsigned char salt[32], leaf[32];
	if (salt_hex && sio_unhex32(salt_hex, salt))
		return cli_errorf(v->cmd ? v->cmd : "verify", CLI_USAGE,
				  "--salt must be 64 hexadecimal digits");
	v->people = r->n;
	px_leaf(id, salt_hex ? salt : NULL, leaf);
	int found = 0;
	for (size_t i = 0; i < r->n && !found; i++)
		found = !memcmp(r->leaves[i], leaf, 32);
	if (!found)
		return differs(v, "receipt", 0, NULL, NULL,
			       N_("the receipt of '%s' is not in the record"), id);
	return 0;
}

static int verify_receipt(const char *path, const char *id, const char *salt_hex,
			  struct verdict *v)
{
	struct record r;
	if (salt_hex && strlen(salt_hex) != 64)
		return cli_errorf("verify", CLI_USAGE, "--salt must be 64 hexadecimal digits");
	int rc = read_record(path, &r, v);
	if (rc)
		return rc;
	rc = check_receipt(&r, id, salt_hex, v);
	free(r.leaves);
	return rc;
}

/* A draw checked from the public record alone: the published leaves of
 * the people drawn and the alternates must be those at the positions the
 * seed ranks. Ids stay private; each person matches their own leaf with
 * their receipt. */
static int check_draw_record(const struct record *r, int64_t seats, const char *source,
			     const struct published *pub, struct verdict *v)
{
	if (!pub->drawn_leaves)
		return cli_errorf(v->cmd ? v->cmd : "verify", CLI_USAGE,
				  "checking a draw against a record needs the result's"
				  " \"drawn_leaves\" (pnyx draw --json)");
	struct committed c = { r->n, (const unsigned char (*)[32])r->leaves,
			       r->commitment, NULL };
	return check_draw(&c, seats, source, pub, v);
}

static int verify_draw_record(const char *path, int64_t seats,
			      const char *source, struct published *pub,
			      struct verdict *v)
{
	struct record r;
	int rc = read_record(path, &r, v);
	if (rc)
		return rc;
	rc = check_draw_record(&r, seats, source, pub, v);
	free(r.leaves);
	return rc;
}

/* verify.h: the same checks over texts fetched from elsewhere. */
int verify_texts(const struct verify_texts *in)
{
	struct verdict v = { .cmd = in->cmd, .mode = "record" };
	struct published pub = { 0 };
	struct record r;
	json_t *lottery = NULL;
	char *result = in->result;
	int rc = parse_record(in->record_name, in->record, &r, &v);
	if (rc) {
		free(result);
		return report(&v, rc, in->json);
	}
	if (in->commitment) {
		char hex[65];
		sio_hex32(r.commitment, hex);
		if (strcmp(hex, in->commitment)) {
			rc = differs(&v, "commitment", 0, in->commitment, hex,
				     N_("the record's commitment is %s, the renewal published %s"),
				     hex, in->commitment);
			free(result);
			goto out;
		}
	}
	if (in->receipt) {
		free(result);
		v.mode = "receipt";
		rc = check_receipt(&r, in->receipt, in->salt, &v);
		if (!rc && !in->json)
			printf(_("verified: '%s' is one of the %zu people committed to\n"),
			       in->receipt, v.people);
		if (!rc && !in->json)
			goto out_quiet;
		goto out;
	}
	if (!result) {
		/* committed, not drawn yet: the record is what was committed */
		v.people = r.n;
		if (!in->json) {
			char hex[65];
			sio_hex32(r.commitment, hex);
			printf(_("verified: the record of %zu people hashes to its commitment %s;"
			       " nothing is drawn yet\n"), r.n, hex);
			goto out_quiet;
		}
		goto out;
	}
	rc = parse_published(in->cmd, in->result_name, result, strlen(result), &pub, &lottery);
	if (!rc && lottery)
		rc = cli_errorf(in->cmd, CLI_USAGE, "%s: a panel lottery, not a draw",
				in->result_name);
	if (!rc)
		rc = check_draw_record(&r, in->seats_at_most_pool && (uint64_t)in->seats > r.n
				       ? (int64_t)r.n : in->seats, in->source, &pub, &v);
out:
	rc = report(&v, rc, in->json);
out_quiet:
	published_release(&pub);
	free(r.leaves);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	const char *pool = NULL, *id_column = NULL, *seed = NULL, *seed_file = NULL,
		   *result = NULL, *record = NULL, *receipt = NULL, *salt = NULL,
		   *categories = NULL, *respondents = NULL;
	char *source = NULL;
	int64_t seats = -1;
	int rc, json = 0;
	size_t npos;
	struct published pub = { 0 };
	struct verdict v = { 0 };
	json_t *lottery = NULL;
	const struct cli_opt opts[] = {
		{ "pool", OPT_STRING, &pool, 0, 0 },
		{ "id-column", OPT_STRING, &id_column, 0, 0 },
		{ "seats", OPT_INT, &seats, 0, UINT32_MAX },
		{ "seed", OPT_STRING, &seed, 0, 0 },
		{ "seed-file", OPT_STRING, &seed_file, 0, 0 },
		{ "result", OPT_STRING, &result, 0, 0 },
		{ "record", OPT_STRING, &record, 0, 0 },
		{ "receipt", OPT_STRING, &receipt, 0, 0 },
		{ "salt", OPT_STRING, &salt, 0, 0 },
		{ "categories", OPT_STRING, &categories, 0, 0 },
		{ "respondents", OPT_STRING, &respondents, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	if (argc > 1 && !strcmp(argv[1], "round"))
		return cmd_verify_round(argc - 1, argv + 1);
	rc = cli_parse(cli_find("verify"), opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (receipt) {
		if (!record)
			return cli_errorf("verify", CLI_USAGE,
					  "--receipt ID needs --record FILE");
		v.mode = "receipt";
		rc = verify_receipt(record, receipt, salt, &v);
		if (!rc && !json)
			printf(_("verified: '%s' is one of the %zu people committed to\n"),
			       receipt, v.people);
		return json || rc ? report(&v, rc, json) : rc;
	}
	if (!result || (!seed && !seed_file))
		return cli_errorf("verify", CLI_USAGE,
				  "--result FILE and --seed SOURCE are required (see pnyx help verify)");
	if ((rc = sio_read_source("verify", seed, seed_file, &source)))
		return rc;
	rc = load_published(result, &pub, &lottery);
	if (rc)
		goto out;
	if (lottery) {
		if (json) {
			rc = cli_errorf("verify", CLI_USAGE,
					"--json is for draws and receipts; a lottery is"
					" verified in text");
			goto out;
		}
		rc = sr_verify_lottery("verify", lottery, source, categories,
				       respondents, id_column);
		goto out;
	}
	if (record && pool) {
		rc = cli_errorf("verify", CLI_USAGE, "give --pool or --record, not both");
		goto out;
	}
	if ((!pool && !record) || seats < 0) {
		rc = cli_errorf("verify", CLI_USAGE,
				"verifying a draw needs --pool FILE (or --record FILE) and --seats K");
		goto out;
	}
	if (record) {
		v.mode = "record";
		rc = verify_draw_record(record, seats, source, &pub, &v);
	} else {
		v.mode = "pool";
		rc = verify_draw(pool, id_column, seats, source, &pub, &v);
	}
	rc = report(&v, rc, json);
out:
	free(source);
	published_release(&pub);
	return rc;
}
