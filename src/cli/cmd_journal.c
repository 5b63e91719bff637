/*
 * cmd_journal.c: `pnyx journal show|verify`. Verification recomputes the
 * whole chain and checks the signed head; it exits 1 and names the first
 * broken entry when anything was changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/errors.h"
#include "../store/journal.h"
#include "../store/store.h"
#include "cli.h"
#include "commands.h"
#include "../banned.h"

const char cmd_journal_usage[] =
	"usage: pnyx journal show [--after N] [--limit N] [--json] [--db PATH]\n"
	"       pnyx journal verify [--public-key HEX] [--json] [--db PATH]\n\n"
	"show: the entries after sequence number N (default 0: all), oldest first.\n"
	"verify: recompute every entry's BLAKE2b-256 hash and the chain, and check\n"
	"the node's Ed25519 signature of the head. With --public-key, also check\n"
	"that the node key is the one you expect (as published by the operator).\n"
	"Exit 0 when intact; 1 naming the first broken entry otherwise.\n"
	"docs/journal.md specifies the encoding for independent verifiers.\n";

struct show_state {
	int json;
	json_t *list;
};

static int show_one(const struct journal_entry *e, void *arg)
{
	struct show_state *st = arg;
	json_t *j = journal_entry_json(e);
	if (!j)
		return PX_E_NOMEM;
	if (st->json) {
		json_array_append_new(st->list, j);
		return 0;
	}
	printf("%6lld  %s  %-16s %-22s %s\n", (long long)e->seq,
	       json_string_value(json_object_get(j, "time")), e->actor, e->action,
	       e->body ? e->body : "-");
	printf("        %s\n", e->payload);
	json_decref(j);
	return 0;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int verify(struct store *s, const char *expect_key, int json)
{
	struct journal_report r;
	char pk[65], head[65];
	int rc = journal_verify(s, &r);
	if (rc) {
		struct px_error err = { .code = rc };
		return cli_report("journal", &err);
	}
	to_hex(r.public_key, 32, pk);
	to_hex(r.head_hash, 32, head);
	if (r.ok && expect_key && strcmp(expect_key, pk)) {
		r.ok = 0;
		snprintf(r.reason, sizeof(r.reason),
			 "the node key is %s, not the expected one", pk);
	}
	if (json) {
		json_t *j = json_pack("{s:b, s:I, s:I, s:s, s:s}", "ok", r.ok,
				      "entries", (json_int_t)r.entries,
				      "head_seq", (json_int_t)r.head_seq,
				      "head_hash", head, "public_key", pk);
		if (!r.ok) {
			json_object_set_new(j, "broken_seq", json_integer(r.broken_seq));
			json_object_set_new(j, "reason", json_string(r.reason));
		}
		char *text = json_dumps(j, JSON_INDENT(2));
		puts(text);
		free(text);
		json_decref(j);
	} else if (r.ok) {
		printf("journal intact: %lld entries, head %s\nsigned by node key %s\n",
		       (long long)r.entries, head, pk);
	} else if (r.broken_seq) {
		printf("journal BROKEN at entry %lld: %s\n", (long long)r.broken_seq,
		       r.reason);
	} else {
		printf("journal BROKEN: %s\n", r.reason);
	}
	return r.ok ? CLI_OK : CLI_FAIL;
}

int cmd_journal(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *pos[1];
	int64_t after = 0, limit = 0;
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "after", OPT_INT, &after, 0, INT64_MAX },
		{ "limit", OPT_INT, &limit, 0, INT64_MAX },
		{ "public-key", OPT_STRING, &key, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("journal"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || (strcmp(pos[0], "show") && strcmp(pos[0], "verify")))
		return cli_errorf("journal", CLI_USAGE, "say 'show' or 'verify'");
	if (key && (strlen(key) != 64 || strspn(key, "0123456789abcdef") != 64))
		return cli_errorf("journal", CLI_USAGE,
				  "--public-key takes 64 lower-case hex digits");

	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("journal", &err);
	if (!strcmp(pos[0], "verify")) {
		rc = verify(s, key, json);
		goto out;
	}
	struct show_state st = { json, json ? json_array() : NULL };
	rc = journal_each(s, after, limit, show_one, &st);
	if (!rc && json) {
		char *text = json_dumps(st.list, JSON_INDENT(2));
		puts(text);
		free(text);
	}
	json_decref(st.list);
	if (rc) {
		err.code = rc;
		rc = cli_report("journal", &err);
	}
out:
	store_close(s);
	return rc;
}
