/*
 * need.c: need shown by evidence a named committee reviews (issue 16,
 * docs/sharing.md "Evidence of need"). A policy may say, per category of
 * need, that the need is shown by evidence reviewed by a committee of the
 * declaring assembly (declare_scarce's "evidence": "Medical need = Care").
 * A request under such a category carries evidence: a text and up to four
 * files, checked and hashed as a case's (gov/evidence.h); the journal
 * holds only their hashes, and only the requester and the committee's
 * members see the bytes. A member of the committee reviews each request
 * before the round closes: accepted or refused, with a short reason. At
 * the close, a request whose evidence was not accepted does not hold the
 * category's reserve: it is counted under the policy's last category when
 * that reserves nothing and asks no evidence, else under one past the
 * policy's (the unreserved rest, last in the flow order); the round's
 * record names it by its leaf with the category it asked under.
 *
 * Entries: round.request commits to the evidence's items (rounds.c,
 *   sealed.c; before, it carried {"evidence":{"items":[...]}});
 *   round.review {"round","commitment"}: the verdict and reason, and
 *   which request, are the requester's and the committee's (before:
 *   {"request","verdict","reason"}).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/evidence.h"
#include "gov/assembly/assembly.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

static void trim(const char **b, const char **e)
{
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* The committee of body named by text: its number, or its name (one
 * committee of that name, not revoked). */
static int committee_named(struct store *s, int64_t body, int64_t now, const char *b,
			   const char *e, int64_t *id, char name[81], struct px_error *err)
{
	char text[81];
	int64_t n = 0;
	int digits = e > b, rc, row = 0;
	for (const char *c = b; c < e; c++)
		if (*c < '0' || *c > '9' || c - b > 9)
			digits = 0;
	if (e == b || e - b > 80)
		return px_fail(err, PX_E_BAD_INPUT, "params.evidence", "name each committee by"
			       " its name or number: 'Medical need = Care'");
	snprintf(text, sizeof(text), "%.*s", (int)(e - b), b);
	if (digits)
		n = strtoll(text, NULL, 10);
	/* of two committees of one name, the one in force, the newest */
	sqlite3_stmt *st = store_stmt(s, "SELECT id, name, revoked_by IS NOT NULL OR ends_at <= ?4"
		" FROM committees WHERE body_id = ?1 AND (id = ?2 OR name = ?3)"
		" ORDER BY revoked_by IS NOT NULL OR ends_at <= ?4, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "params.evidence", "this assembly has no"
			       " committee '%s'", text);
	*id = sqlite3_column_int64(st, 0);
	snprintf(name, 81, "%s", (const char *)sqlite3_column_text(st, 1));
	int closed = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	if (closed)
		return px_fail(err, PX_E_COMMITTEE_CLOSED, "params.evidence", "the committee"
			       " '%s' was revoked or its term has ended", text);
	return 0;
}

int sharing_need_parse(struct store *s, int64_t body, int64_t now, const char *text,
		       const char *method, json_t *cats, struct px_error *err)
{
	const char *p = text ? text : "";
	if (*p && method && !strcmp(method, "probabilistic_serial"))
		return px_fail(err, PX_E_BAD_INPUT, "params.evidence", "alternatives ranked by"
			       " probabilistic serial have no categories of need to show");
	while (*p) {
		const char *end = strchr(p, ';'), *eq;
		if (!end)
			end = p + strlen(p);
		const char *nb = p, *ne = end;
		trim(&nb, &ne);
		if (nb == ne && !*end)
			break; /* a trailing ';' */
		eq = memchr(nb, '=', (size_t)(ne - nb));
		if (!eq)
			return px_fail(err, PX_E_BAD_INPUT, "params.evidence", "write each category"
				       " whose need is shown by evidence as 'Category = committee',"
				       " separated by ';'");
		const char *cb = nb, *ce = eq, *kb = eq + 1, *ke = ne;
		trim(&cb, &ce);
		trim(&kb, &ke);
		size_t i;
		json_t *c, *found = NULL;
		json_array_foreach(cats, i, c) {
			const char *name = json_string_value(json_object_get(c, "name"));
			if (strlen(name) == (size_t)(ce - cb) && !memcmp(name, cb, (size_t)(ce - cb)))
				found = c;
		}
		if (!found)
			return px_fail(err, PX_E_NOT_FOUND, "params.evidence", "the policy has no"
				       " category '%.*s'", (int)(ce - cb), cb);
		if (json_object_get(found, "evidence"))
			return px_fail(err, PX_E_BAD_INPUT, "params.evidence", "the category '%.*s'"
				       " is named twice", (int)(ce - cb), cb);
		int64_t id = 0;
		char name[81];
		int rc = committee_named(s, body, now, kb, ke, &id, name, err);
		if (rc)
			return rc;
		json_object_set_new(found, "evidence", json_pack("{s:I, s:s}", "committee",
							       (json_int_t)id, "committee_name", name));
		p = *end ? end + 1 : end;
	}
	return 0;
}

int64_t sharing_need_committee(const json_t *cats, int64_t category)
{
	const json_t *e = json_object_get(json_array_get(cats, (size_t)category), "evidence");
	return json_integer_value(json_object_get(e, "committee"));
}

int sharing_need_rest(const json_t *cats)
{
	size_t n = json_array_size(cats);
	const json_t *last = json_array_get(cats, n - 1);
	return json_integer_value(json_object_get(last, "share")) != 0 ||
	       json_object_get(last, "evidence") != NULL;
}

int sharing_need_request(struct store *s, const json_t *cats, int64_t category,
			 int64_t request, const json_t *evidence, struct px_error *err)
{
	int64_t committee = sharing_need_committee(cats, category);
	const json_t *items = json_object_get(evidence, "items");
	size_t bad = 0, i;
	json_t *it;
	int rc;
	if (!committee && evidence)
		return px_fail(err, PX_E_BAD_INPUT, "evidence_text", "the need of this category"
			       " is shown by your statement: it takes no evidence");
	if (!committee)
		return 0;
	if (!evidence)
		return px_fail(err, PX_E_MISSING_FIELD, "evidence_text", "the need of this"
			       " category is shown by evidence its committee reviews: a text,"
			       " files, or both");
	if (!evidence_items_ok(items, &bad))
		return px_fail(err, PX_E_BAD_INPUT, "files", "item %zu is not a text or"
			       " a file of an allowed type and size", bad);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO round_evidence(request_id, committee_id)"
				      " VALUES (?, ?)");
	sqlite3_bind_int64(st, 1, request);
	sqlite3_bind_int64(st, 2, committee);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	json_array_foreach(items, i, it) {
		st = store_stmt(s, "INSERT INTO round_evidence_files(request_id, n, type, size,"
				" hash) VALUES (?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, request);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(it, "type")), -1,
				  SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, json_integer_value(json_object_get(it, "size")));
		sqlite3_bind_text(st, 5, json_string_value(json_object_get(it, "hash")), -1,
				  SQLITE_TRANSIENT);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}

int sharing_need_content(struct store *s, int64_t request, const struct need_evidence *ev)
{
	int rc = 0;
	for (size_t i = 0; !rc && i <= ev->nfiles; i++) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO round_evidence_content(request_id,"
					      " n, name, bytes) VALUES (?, ?, ?, ?)");
		const char *text = ev->text ? ev->text : "";
		sqlite3_bind_int64(st, 1, request);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, i ? ev->files[i - 1].name : "", -1, SQLITE_TRANSIENT);
		if (i)
			sqlite3_bind_blob64(st, 4, ev->files[i - 1].data, ev->files[i - 1].size,
					    SQLITE_STATIC);
		else
			sqlite3_bind_blob64(st, 4, text, strlen(text), SQLITE_STATIC);
		rc = store_run(st);
	}
	return rc;
}

json_t *sharing_need_payload(const struct need_evidence *ev, struct px_error *err)
{
	const char *text = ev->text ? ev->text : "";
	if (!*text && !ev->nfiles) {
		px_fail(err, PX_E_MISSING_FIELD, "evidence_text", "evidence is a text, files,"
			" or both");
		return NULL;
	}
	if (*text && text_check_block(text, 1, NEED_TEXT_MAX)) {
		px_fail(err, PX_E_BAD_INPUT, "evidence_text", "1 to %d characters of text",
			NEED_TEXT_MAX);
		return NULL;
	}
	if (evidence_check_files(ev->files, ev->nfiles, err))
		return NULL;
	json_t *items = evidence_items(text, ev->files, ev->nfiles);
	json_t *o = items ? json_pack("{s:o}", "items", items) : NULL;
	if (!o)
		px_fail(err, PX_E_NOMEM, NULL, NULL);
	return o;
}

/* ---- the close: requests whose evidence was not accepted move ---- */

int sharing_need_moves(struct store *s, int64_t round, const json_t *cats)
{
	size_t n = json_array_size(cats), i;
	const json_t *c;
	int asks = 0;
	/* most policies ask no evidence: nothing to look at */
	json_array_foreach(cats, i, c)
		asks |= json_object_get(c, "evidence") != NULL;
	if (!asks)
		return 0;
	int64_t to = sharing_need_rest(cats) ? (int64_t)n : (int64_t)n - 1;
	sqlite3_stmt *st = store_stmt(s, "UPDATE round_requests SET moved_to = ?1 WHERE"
		" round_id = ?2 AND category <> ?1 AND id IN (SELECT e.request_id FROM"
		" round_evidence e JOIN round_requests q ON q.id = e.request_id WHERE"
		" q.round_id = ?2 AND e.verdict IS NOT 'accepted')");
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, round);
	return store_run(st);
}

/* ---- round.review ---- */

struct req_row {
	int64_t id, round, account, committee, body, category, good;
	int64_t closed, reviewed;
};

static int req_load(struct store *s, int64_t id, struct req_row *q, struct px_error *err)
{
	int row = 0, rc;
	memset(q, 0, sizeof(*q));
	sqlite3_stmt *st = store_stmt(s, "SELECT q.round_id, q.account_id, e.committee_id,"
		" k.body_id, q.category, r.good_id, coalesce(r.closed_at, 0),"
		" e.verdict IS NOT NULL FROM round_requests q JOIN round_evidence e ON"
		" e.request_id = q.id JOIN rounds r ON r.id = q.round_id JOIN scarcities k ON"
		" k.id = r.scarcity_id WHERE q.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no request %lld with evidence of need",
			       (long long)id);
	q->id = id;
	q->round = sqlite3_column_int64(st, 0);
	q->account = sqlite3_column_int64(st, 1);
	q->committee = sqlite3_column_int64(st, 2);
	q->body = sqlite3_column_int64(st, 3);
	q->category = sqlite3_column_int64(st, 4);
	q->good = sqlite3_column_int64(st, 5);
	q->closed = sqlite3_column_int64(st, 6);
	q->reviewed = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	return 0;
}

static int apply_review(struct store *s, const json_t *p, int64_t now, const char *actor,
			struct px_error *err)
{
	struct req_row q;
	int64_t who = 0;
	const char *verdict = json_string_value(json_object_get(p, "verdict"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	int rc = req_load(s, json_integer_value(json_object_get(p, "request")), &q, err);
	if (rc)
		return rc;
	if (!verdict || (strcmp(verdict, "accepted") && strcmp(verdict, "refused")))
		return px_fail(err, PX_E_BAD_INPUT, "verdict", "'accepted' or 'refused'");
	if (!reason || text_check_line(reason, 1, NEED_REASON_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "reason", "a short reason: 1 to %d"
			       " characters on one line", NEED_REASON_MAX);
	if ((rc = sharing_account(s, actor, &who)))
		return px_fail(err, rc, NULL, NULL);
	if ((rc = committee_check(s, q.body, q.committee, who, NULL, now, err))) {
		if (err->code == PX_E_FORBIDDEN)
			return px_fail(err, PX_E_FORBIDDEN, NULL, "only a member of the committee"
				       " the policy names reviews this evidence");
		return rc;
	}
	if (who == q.account)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "nobody reviews their own request");
	if (q.closed)
		return px_fail(err, PX_E_CONFLICT, NULL, "the round is closed: its evidence was"
			       " reviewed before, or not at all");
	if (q.reviewed)
		return px_fail(err, PX_E_CONFLICT, NULL, "this evidence was reviewed already");
	sqlite3_stmt *st = store_stmt(s, "UPDATE round_evidence SET verdict = ?, reason = ?,"
				      " reviewed_by = ?, reviewed_at = ? WHERE request_id = ?");
	sqlite3_bind_text(st, 1, verdict, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, who);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, q.id);
	return (rc = store_run(st)) ? px_fail(err, rc, NULL, NULL) : 0;
}

int sharing_need_replay(struct store *s, const json_t *p, int64_t at, const char *actor,
			struct px_error *err)
{
	return apply_review(s, p, at, actor, err);
}

struct review_args {
	const struct gov_ctx *ctx;
	json_t *payload;
	struct px_error *err;
};

/* The public entry of a review: a member of the committee reviewed a
 * request in round; the verdict, the reason and which request are
 * committed to with the request's salt (sealed.c), never said. */
static int review_sealed(struct store *s, const json_t *p, json_t **sealed)
{
	int64_t request = json_integer_value(json_object_get(p, "request"));
	unsigned char com[32];
	char hex[65];
	int row = 0, rc;
	*sealed = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT q.round_id, s.salt FROM round_requests q JOIN"
				      " round_salts s ON s.request_id = q.id WHERE q.id = ?");
	sqlite3_bind_int64(st, 1, request);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row || sqlite3_column_bytes(st, 1) != PX_SALT_BYTES) {
		sqlite3_reset(st);
		return PX_E_INTERNAL; /* every request keeps its salt (rounds.c) */
	}
	sharing_review_commitment(request, sqlite3_column_blob(st, 1),
				  json_string_value(json_object_get(p, "verdict")),
				  json_string_value(json_object_get(p, "reason")), com);
	sodium_bin2hex(hex, sizeof(hex), com, 32);
	*sealed = json_pack("{s:I, s:s}", "round", (json_int_t)sqlite3_column_int64(st, 0),
			    "commitment", hex);
	sqlite3_reset(st);
	return *sealed ? 0 : PX_E_NOMEM;
}

static int review_tx(struct store *s, void *arg)
{
	struct review_args *a = arg;
	json_t *sealed = NULL;
	int rc = apply_review(s, a->payload, a->ctx->now, a->ctx->handle, a->err);
	if (!rc && ((rc = review_sealed(s, a->payload, &sealed)) ||
		    (rc = journal_append(s, a->ctx->now, gov_actor(a->ctx), NULL,
					 "round.review", sealed, NULL))))
		rc = px_fail(a->err, rc, NULL, NULL);
	json_decref(sealed);
	return rc;
}

int gov_round_review(const struct gov_ctx *ctx, int64_t request, const char *verdict,
		     const char *reason, json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	struct review_args a = { .ctx = ctx, .err = err };
	a.payload = json_pack("{s:I, s:s, s:s}", "request", (json_int_t)request, "verdict",
			      verdict ? verdict : "", "reason", reason ? reason : "");
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, review_tx, &a);
	json_decref(a.payload);
	if (rc)
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	return gov_round_evidence(ctx, request, out, err);
}

/* ---- reading: only the requester and the committee's members ---- */

static int may_see(const struct gov_ctx *ctx, const struct req_row *q, int *reviewer,
		   struct px_error *err)
{
	int yes = 0, rc;
	*reviewer = 0;
	if ((rc = gov_require_account(ctx, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT 1 FROM committee_members WHERE"
				      " committee_id = ? AND account_id = ?");
	sqlite3_bind_int64(st, 1, q->committee);
	sqlite3_bind_int64(st, 2, ctx->account_id);
	if ((rc = store_exists(st, &yes)))
		return px_fail(err, rc, NULL, NULL);
	*reviewer = yes && ctx->account_id != q->account;
	if (!yes && ctx->account_id != q->account)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only the requester and the members of"
			       " the committee that reviews it see a request's evidence");
	return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

int gov_round_evidence(const struct gov_ctx *ctx, int64_t request, json_t **out,
		       struct px_error *err)
{
	struct req_row q;
	int reviewer = 0, row = 0, rc;
	*out = NULL;
	if ((rc = req_load(ctx->db, request, &q, err)) || (rc = may_see(ctx, &q, &reviewer, err)))
		return rc;
	/* the committee reviews a person's need: it reads who asked */
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT c.name, e.verdict, e.reason,"
		" a.handle, e.reviewed_at, x.bytes, q.at, p.handle, p.display_name FROM"
		" round_evidence e JOIN round_requests q ON q.id = e.request_id JOIN accounts p"
		" ON p.id = q.account_id JOIN committees c ON c.id = e.committee_id LEFT JOIN"
		" accounts a ON a.id = e.reviewed_by LEFT JOIN round_evidence_content x ON"
		" x.request_id = e.request_id AND x.n = 0 WHERE e.request_id = ?");
	sqlite3_bind_int64(st, 1, request);
	if ((rc = store_step(st, &row)) || !row)
		return px_fail(err, rc ? rc : PX_E_INTERNAL, NULL, NULL);
	const void *b = sqlite3_column_blob(st, 5);
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:{s:I, s:s}, s:I, s:o, s:o, s:o, s:o,"
		" s:b, s:b}", "request", (json_int_t)q.id, "round", (json_int_t)q.round,
		"good", (json_int_t)q.good, "category", (json_int_t)q.category,
		"committee", "id", (json_int_t)q.committee, "name", col(st, 0),
		"submitted_at", (json_int_t)sqlite3_column_int64(st, 6),
		"verdict", sharing_text_or_null(st, 1),
		"reason", sharing_text_or_null(st, 2),
		"reviewed_by", sharing_text_or_null(st, 3),
		"reviewed_at", sharing_int_or_null(st, 4),
		"mine", ctx->account_id == q.account,
		"may_review", reviewer && !q.closed && !q.reviewed);
	if (o) {
		json_object_set_new(o, "text", json_stringn(b ? b : "",
						(size_t)sqlite3_column_bytes(st, 5)));
		json_object_set_new(o, "requester", json_pack("{s:s, s:s}", "handle", col(st, 7),
							      "name", col(st, 8)));
	}
	sqlite3_reset(st);
	json_t *files = json_array();
	if (!o || !files) {
		json_decref(o);
		json_decref(files);
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	json_object_set_new(o, "files", files);
	st = store_stmt(ctx->db, "SELECT f.n, f.type, f.size, f.hash, x.name FROM"
		" round_evidence_files f LEFT JOIN round_evidence_content x ON x.request_id ="
		" f.request_id AND x.n = f.n WHERE f.request_id = ? ORDER BY f.n");
	sqlite3_bind_int64(st, 1, request);
	while (store_next(st, &rc)) {
		if (!sqlite3_column_int64(st, 0)) {
			json_object_set_new(o, "text_hash", json_string(col(st, 3)));
			continue;
		}
		json_array_append_new(files, json_pack("{s:I, s:s, s:s, s:I, s:s}", "n",
			(json_int_t)sqlite3_column_int64(st, 0), "name", col(st, 4), "type",
			col(st, 1), "size", (json_int_t)sqlite3_column_int64(st, 2), "hash",
			col(st, 3)));
	}
	if (rc) {
		json_decref(o);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = o;
	return 0;
}

int gov_round_evidence_file(const struct gov_ctx *ctx, int64_t request, int64_t n,
			    struct evidence_file_out *f, struct px_error *err)
{
	struct req_row q;
	int reviewer = 0, row = 0, rc;
	memset(f, 0, sizeof(*f));
	if ((rc = req_load(ctx->db, request, &q, err)) || (rc = may_see(ctx, &q, &reviewer, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT f.type, f.hash, x.name, x.bytes FROM"
		" round_evidence_files f JOIN round_evidence_content x ON x.request_id ="
		" f.request_id AND x.n = f.n WHERE f.request_id = ? AND f.n = ?");
	sqlite3_bind_int64(st, 1, request);
	sqlite3_bind_int64(st, 2, n);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "request %lld has no file %lld in its"
			       " evidence", (long long)request, (long long)n);
	snprintf(f->type, sizeof(f->type), "%s", col(st, 0));
	snprintf(f->hash, sizeof(f->hash), "%s", col(st, 1));
	if (n)
		snprintf(f->name, sizeof(f->name), "%s", col(st, 2));
	else
		snprintf(f->name, sizeof(f->name), "request-%lld-evidence.md", (long long)request);
	f->size = (size_t)sqlite3_column_bytes(st, 3);
	f->data = malloc(f->size ? f->size : 1);
	if (f->data && f->size)
		memcpy(f->data, sqlite3_column_blob(st, 3), f->size);
	sqlite3_reset(st);
	return f->data ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

/* The round's page: for the caller's own request, the state of its
 * evidence; for a member of a committee the policy names, the requests
 * it has to review. */
int sharing_need_round_json(const struct gov_ctx *ctx, int64_t round, json_t *o)
{
	int rc = 0;
	json_t *list = json_array();
	if (!list)
		return PX_E_NOMEM;
	json_object_set_new(o, "to_review", list);
	if (!ctx->account_id)
		return 0;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT q.id, q.category, q.amount, q.at,"
		" e.verdict, c.name, e.reason FROM round_evidence e JOIN round_requests q ON"
		" q.id = e.request_id JOIN committees c ON c.id = e.committee_id JOIN"
		" committee_members m ON m.committee_id = e.committee_id AND m.account_id = ?2"
		" WHERE q.round_id = ?1 AND q.account_id <> ?2 ORDER BY q.id");
	sqlite3_bind_int64(st, 1, round);
	sqlite3_bind_int64(st, 2, ctx->account_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:I, s:I, s:I, s:I, s:o, s:s, s:o}",
			"request", (json_int_t)sqlite3_column_int64(st, 0),
			"category", (json_int_t)sqlite3_column_int64(st, 1),
			"amount", (json_int_t)sqlite3_column_int64(st, 2),
			"at", (json_int_t)sqlite3_column_int64(st, 3),
			"verdict", sharing_text_or_null(st, 4),
			"committee", col(st, 5),
			"reason", sharing_text_or_null(st, 6)));
	return rc;
}

/* The caller's own request's evidence: {"committee","verdict","reason"},
 * or NULL when it carries none. */
int sharing_need_mine(struct store *s, int64_t request, json_t **out)
{
	int row = 0, rc;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT c.name, e.verdict, e.reason FROM"
		" round_evidence e JOIN committees c ON c.id = e.committee_id WHERE"
		" e.request_id = ?");
	sqlite3_bind_int64(st, 1, request);
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	*out = json_pack("{s:s, s:o, s:o}", "committee", col(st, 0), "verdict",
		sharing_text_or_null(st, 1),
		"reason", sharing_text_or_null(st, 2));
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

int sharing_copy_evidence(struct store *live, struct store *out)
{
	return evidence_copy_content(live, out, "round_evidence_content",
		"SELECT request_id, n, name, bytes FROM round_evidence_content ORDER BY 1, 2",
		"SELECT 1 FROM round_evidence_files WHERE request_id = ? AND n = ? AND hash = ?"
		" AND size = ?",
		"INSERT INTO round_evidence_content(request_id, n, name, bytes) VALUES"
		" (?, ?, ?, ?)");
}
