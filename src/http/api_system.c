/*
 * api_system.c: routes about the server itself: health, and the journal
 * (read and verify). Anyone may read and verify the journal: it is the
 * public record of every governance effect.
 */
#include <stdint.h>

#include "core/errors.h"
#include "core/strbuf.h"
#include "gov/notice/notice.h"
#include "store/journal.h"
#include "store/store.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include "banned.h"

#define JOURNAL_PAGE_DEFAULT 100
#define JOURNAL_PAGE_MAX 1000

int api_health(struct http_req *req, void *in)
{
	(void)in;
	int64_t entries;
	int rc = journal_last_seq(req->ctx.db, &entries);
	if (rc)
		return px_fail(&req->err, rc, NULL, NULL);
	/* the mail queue, read from the database: health stays as fast
	 * when the mail server hangs, and says so here, never to voters */
	json_t *mail = NULL;
	if ((rc = gov_mail_health(&req->ctx, &mail, &req->err)))
		return rc;
	json_object_set_new(mail, "configured", json_boolean(req->srv->mail));
	return http_reply(req, 200,
			  json_pack("{s:s,s:i,s:{s:I},s:o}", "status", "ok",
				    "schema",
				    store_schema_version(req->ctx.db),
				    "journal", "entries", (json_int_t)entries,
				    "mail", mail));
}

static int add_entry(const struct journal_entry *e, void *arg)
{
	json_t *j = journal_entry_json(e);
	if (!j || json_array_append_new(arg, j))
		return PX_E_NOMEM;
	return 0;
}

int api_journal_list(struct http_req *req, void *in)
{
	(void)in;
	int64_t after, limit;
	int rc = http_query_int(req, "after", 0, INT64_MAX, 0, &after);
	if (!rc)
		rc = http_query_int(req, "limit", 1, JOURNAL_PAGE_MAX,
				    JOURNAL_PAGE_DEFAULT, &limit);
	if (rc)
		return rc;
	json_t *entries = arena_json(&req->arena, json_array());
	if (!entries)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	rc = journal_each(req->ctx.db, after, limit, add_entry, entries);
	if (rc)
		return px_fail(&req->err, rc, NULL, NULL);
	return http_reply(req, 200, json_pack("{s:O}", "entries", entries));
}

static json_t *hex_json(const unsigned char *data, size_t len)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	json_t *j = NULL;
	if (!sb_add_hex(&sb, data, len))
		j = json_string(sb.buf);
	sb_release(&sb);
	return j;
}

int api_journal_verify(struct http_req *req, void *in)
{
	(void)in;
	struct journal_report r = { 0 };
	int rc = journal_verify(req->ctx.db, &r);
	if (rc)
		return px_fail(&req->err, rc, NULL, NULL);
	json_t *out = json_pack(
		"{s:b,s:I,s:I,s:o,s:o,s:o,s:o}", "ok", r.ok, "entries",
		(json_int_t)r.entries, "head_seq", (json_int_t)r.head_seq,
		"broken_seq",
		r.broken_seq ? json_integer(r.broken_seq) : json_null(),
		"reason", r.ok ? json_null() : json_string(r.reason),
		"head_hash", hex_json(r.head_hash, sizeof(r.head_hash)),
		"public_key", hex_json(r.public_key, sizeof(r.public_key)));
	return http_reply(req, 200, out);
}
