/*
 * evidence.c: evidence on a case in hearing (docs/cases.md, "Evidence"),
 * and the rules of a polity's cases its assembly sets.
 *
 * Anyone signed in submits a piece of evidence: a text in Markdown and up
 * to CASE_FILES_MAX files, each of a type of the allow list whose first
 * bytes say it is one (gov/evidence.c, which requests of need share). The journal entry (case.evidence) carries the
 * size, type and BLAKE2b-256 hash of the text and of each file, never
 * their bytes or names: a piece the assembly seals must stay out of the
 * public's sight, and the journal is public. The bytes and names are in
 * case_evidence_content, written in the same transaction; replay copies
 * them from the live database, each only when it hashes to what its entry
 * says (cases_copy_content, by evidence_copy_content), so a byte changed is a difference that
 * `pnyx journal verify --state` names.
 *
 * A piece is named by its submitter's name, or "anonymous" when the
 * polity's assembly allows it and the submitter asks: the entry's actor
 * is then "anonymous" and nothing keeps the account. The assembly's
 * members (seated: an active membership of the polity's assembly) see
 * every piece; everyone else sees what the assembly did not seal, and of a
 * sealed piece only when and why it was sealed.
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
#include "gov/cases/cases.h"
#include "gov/cases/cases_apply.h"
#include "banned.h"

/* ---- helpers ---- */

static const char *str(const json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

static int64_t num(const json_t *p, const char *key)
{
	return json_integer_value(json_object_get(p, key));
}

/* The rules of the polity's cases: who may petition ("citizens",
 * "members", "residents") and whether evidence may be anonymous. */
int case_rules(struct store *s, int64_t polity_id, char petitioners[16], int *anonymous)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT petitioners, anonymous_evidence FROM"
				      " polity_case_rules WHERE polity_id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return rc;
	snprintf(petitioners, 16, "%s", row ? (const char *)sqlite3_column_text(st, 0)
					  : "citizens");
	*anonymous = row ? sqlite3_column_int(st, 1) : 0;
	if (row)
		sqlite3_reset(st);
	return 0;
}

/* Whether account holds a seat of the assembly body_id. */
int case_seated(struct store *s, int64_t body_id, int64_t account, int *yes)
{
	*yes = 0;
	if (!account)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM memberships WHERE body_id = ?"
				      " AND account_id = ? AND status = 'active'");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, account);
	return store_exists(st, yes);
}

/* ---- the effect, live and in replay ---- */

/* case.evidence {"case","evidence","person"|null,"items":[{"n","type","size",
 * "hash"}]}: item 0 is the text (text/markdown), then the files. */
int cases_apply_evidence(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	struct case_row c;
	int rc = case_load(s, num(p, "case"), NULL, &c, err);
	if (rc)
		return rc;
	if (strcmp(c.state, "hearing"))
		return case_state_fail(err, c.state, CASE_NEEDS_HEARING);
	int64_t account = 0, brief = 0;
	const char *person = str(p, "person");
	int is_brief = json_is_true(json_object_get(p, "brief"));
	if (person) {
		sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
		sqlite3_bind_text(st, 1, person, -1, SQLITE_TRANSIENT);
		int found = 0;
		if ((rc = store_int64(st, &account, &found)))
			return px_fail(err, rc, NULL, NULL);
		if (!found)
			return px_fail(err, PX_E_NOT_FOUND, "person", "no person '%s'", person);
	} else {
		char who[16];
		int anonymous = 0;
		if ((rc = case_rules(s, c.polity_id, who, &anonymous)))
			return px_fail(err, rc, NULL, NULL);
		if (!anonymous)
			return px_fail(err, PX_E_FORBIDDEN, "anonymous", "the polity's assembly has"
				       " not allowed anonymous evidence: it is submitted in your name");
	}
	/* the brief the assembly asked for: a civil servant of the polity
	 * submits it, in their name */
	if (is_brief) {
		int servant = 0;
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM civil_servants WHERE"
					      " polity_id = ? AND account_id = ?");
		sqlite3_bind_int64(st, 1, c.polity_id);
		sqlite3_bind_int64(st, 2, account);
		if ((rc = store_exists(st, &servant)))
			return px_fail(err, rc, NULL, NULL);
		if (!person || !servant)
			return px_fail(err, PX_E_FORBIDDEN, "brief", "only a civil servant of the"
				       " case's polity submits its evidence brief, in their name");
		st = store_stmt(s, "SELECT id FROM case_briefs WHERE case_id = ? AND evidence_id"
				" IS NULL");
		sqlite3_bind_int64(st, 1, c.id);
		int found = 0;
		if ((rc = store_int64(st, &brief, &found)))
			return px_fail(err, rc, NULL, NULL);
		if (!found)
			return px_fail(err, PX_E_CONFLICT, "brief", "the assembly has asked for no"
				       " evidence brief on this case");
	}
	const json_t *items = json_object_get(p, "items");
	size_t bad = 0;
	if (!evidence_items_ok(items, &bad))
		return px_fail(err, PX_E_BAD_INPUT, "items", "item %zu is not a text or a"
			       " file of an allowed type and size", bad);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO case_evidence(id, case_id, submitter_id,"
				      " submitted_at, brief) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, num(p, "evidence"));
	sqlite3_bind_int64(st, 2, c.id);
	if (account)
		sqlite3_bind_int64(st, 3, account);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_int(st, 5, is_brief);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	if (brief) {
		st = store_stmt(s, "UPDATE case_briefs SET evidence_id = ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, num(p, "evidence"));
		sqlite3_bind_int64(st, 2, brief);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *type = str(it, "type"), *hash = str(it, "hash");
		int64_t size = num(it, "size");
		st = store_stmt(s, "INSERT INTO case_evidence_files(evidence_id, n, type, size,"
				" hash) VALUES (?, ?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, num(p, "evidence"));
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, type, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, size);
		sqlite3_bind_text(st, 5, hash, -1, SQLITE_TRANSIENT);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	rc = case_step(s, c.id, is_brief ? "brief_submitted" : "evidence", at,
		       person ? person : "anonymous", 0, NULL);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

/* ---- the live act ---- */

struct evidence_args {
	const struct gov_ctx *ctx;
	const struct case_evidence_in *in;
	json_t *payload;
	char body[GOV_SLUG_SIZE];
	int64_t id;
	struct px_error *err;
};

static int content_row(struct store *s, int64_t id, int64_t n, const char *name,
		       const void *data, size_t size)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO case_evidence_content(evidence_id, n,"
				      " name, bytes) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(st, 4, data ? data : "", size, SQLITE_STATIC);
	return store_run(st);
}

static int evidence_tx(struct store *s, void *arg)
{
	struct evidence_args *a = arg;
	int64_t id = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(id), 0) + 1 FROM case_evidence");
	int rc = store_int64(st, &id, NULL);
	if (rc)
		return px_fail(a->err, rc, NULL, NULL);
	a->id = id;
	json_object_set_new(a->payload, "evidence", json_integer(id));
	if ((rc = cases_apply_evidence(s, a->payload, a->ctx->now, a->err)))
		return rc;
	if ((rc = content_row(s, id, 0, "", a->in->text, strlen(a->in->text))))
		return px_fail(a->err, rc, NULL, NULL);
	for (size_t i = 0; i < a->in->nfiles; i++)
		if ((rc = content_row(s, id, (int64_t)i + 1, a->in->files[i].name,
				      a->in->files[i].data, a->in->files[i].size)))
			return px_fail(a->err, rc, NULL, NULL);
	const char *person = str(a->payload, "person");
	if ((rc = journal_append(s, a->ctx->now, person ? person : "anonymous", a->body,
				 "case.evidence", a->payload, NULL)))
		return px_fail(a->err, rc, NULL, NULL);
	return 0;
}

static int case_slug(struct store *s, int64_t case_id, char slug[GOV_SLUG_SIZE],
		     struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT p.slug FROM cases c JOIN polities p"
				      " ON p.id = c.polity_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, case_id);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no case %lld", (long long)case_id);
	snprintf(slug, GOV_SLUG_SIZE, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int gov_case_evidence_submit(const struct gov_ctx *ctx, int64_t case_id,
			     const struct case_evidence_in *in, json_t **out,
			     struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!in->text || text_check_block(in->text, 1, CASE_TEXT_MAX))
		return px_fail(err, PX_E_BAD_INPUT, "text", "1 to 50,000 characters of text");
	if (in->brief && in->anonymous)
		return px_fail(err, PX_E_BAD_INPUT, "anonymous", "the civil service submits its"
			       " evidence brief in its name");
	if ((rc = evidence_check_files(in->files, in->nfiles, err)))
		return rc;
	struct evidence_args a = { .ctx = ctx, .in = in, .err = err };
	if ((rc = case_slug(ctx->db, case_id, a.body, err)))
		return rc;
	json_t *items = evidence_items(in->text, in->files, in->nfiles);
	if (!items)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	a.payload = json_pack("{s:I, s:o, s:o}", "case", (json_int_t)case_id, "person",
			      in->anonymous ? json_null() : json_string(ctx->handle),
			      "items", items);
	if (a.payload && in->brief)
		json_object_set_new(a.payload, "brief", json_true());
	if (!a.payload)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rc = store_tx(ctx->db, evidence_tx, &a);
	json_decref(a.payload);
	if (rc)
		return err->code ? rc : px_fail(err, rc, NULL, NULL);
	json_t *list = NULL;
	if ((rc = gov_case_evidence_list(ctx, case_id, &list, err)))
		return rc;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(list, "evidence"), i, e)
		if (json_integer_value(json_object_get(e, "id")) == a.id)
			*out = json_incref(e);
	json_decref(list);
	return *out ? 0 : px_fail(err, PX_E_INTERNAL, NULL, NULL);
}

/* ---- reading ---- */

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/* Whether the caller sees sealed pieces: a member of the case's assembly. */
static int sees_sealed(const struct gov_ctx *ctx, const struct case_row *c, int *yes)
{
	return case_seated(ctx->db, c->body_id, ctx->account_id, yes);
}

int gov_case_evidence_list(const struct gov_ctx *ctx, int64_t case_id, json_t **out,
			   struct px_error *err)
{
	struct case_row c;
	*out = NULL;
	int rc = case_load(ctx->db, case_id, NULL, &c, err), member = 0, anonymous = 0;
	char who[16];
	if (rc)
		return rc;
	if ((rc = sees_sealed(ctx, &c, &member)) ||
	    (rc = case_rules(ctx->db, c.polity_id, who, &anonymous)))
		return px_fail(err, rc, NULL, NULL);
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT e.id, e.submitted_at, a.handle,"
		" a.display_name, e.sealed_at, e.sealed_motion, e.sealed_reasons, x.bytes, e.brief"
		" FROM case_evidence e LEFT JOIN accounts a ON a.id = e.submitter_id"
		" LEFT JOIN case_evidence_content x ON x.evidence_id = e.id AND x.n = 0"
		" WHERE e.case_id = ? ORDER BY e.id");
	sqlite3_bind_int64(st, 1, case_id);
	while (store_next(st, &rc)) {
		int sealed = sqlite3_column_type(st, 4) != SQLITE_NULL;
		json_t *e = json_pack("{s:I, s:I, s:o, s:b}", "id",
			(json_int_t)sqlite3_column_int64(st, 0), "submitted_at",
			(json_int_t)sqlite3_column_int64(st, 1), "submitter",
			sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
			: json_pack("{s:s, s:s}", "handle", col(st, 2), "name", col(st, 3)),
			"sealed", sealed);
		json_object_set_new(e, "brief", json_boolean(sqlite3_column_int(st, 8)));
		if (sealed)
			json_object_set_new(e, "seal", json_pack("{s:I, s:I, s:s}", "at",
				(json_int_t)sqlite3_column_int64(st, 4), "motion",
				(json_int_t)sqlite3_column_int64(st, 5), "reasons", col(st, 6)));
		if (!sealed || member) {
			const void *b = sqlite3_column_blob(st, 7);
			int n = sqlite3_column_bytes(st, 7);
			json_object_set_new(e, "text", json_stringn(b ? b : "", (size_t)n));
		}
		json_array_append_new(list, e);
	}
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	/* the text's hash and the files of each piece the caller may see */
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		if (rc)
			break;
		if (!json_object_get(e, "text"))
			continue;
		json_t *files = json_array();
		st = store_stmt(ctx->db, "SELECT f.n, f.type, f.size, f.hash, x.name FROM"
			" case_evidence_files f LEFT JOIN case_evidence_content x ON"
			" x.evidence_id = f.evidence_id AND x.n = f.n WHERE f.evidence_id = ?"
			" ORDER BY f.n");
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(e, "id")));
		while (store_next(st, &rc)) {
			if (!sqlite3_column_int64(st, 0)) {
				json_object_set_new(e, "text_hash", json_string(col(st, 3)));
				continue;
			}
			json_array_append_new(files, json_pack("{s:I, s:s, s:s, s:I, s:s}", "n",
				(json_int_t)sqlite3_column_int64(st, 0), "name", col(st, 4),
				"type", col(st, 1), "size", (json_int_t)sqlite3_column_int64(st, 2),
				"hash", col(st, 3)));
		}
		json_object_set_new(e, "files", files);
	}
	if (rc) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	/* the evidence brief the civil service owes, if any */
	json_t *owed = json_null();
	st = store_stmt(ctx->db, "SELECT requested_at, deadline, instructions, motion_id FROM"
			" case_briefs WHERE case_id = ? AND evidence_id IS NULL");
	sqlite3_bind_int64(st, 1, case_id);
	int row = 0;
	if ((rc = store_step(st, &row))) {
		json_decref(list);
		return px_fail(err, rc, NULL, NULL);
	}
	if (row) {
		int64_t due = sqlite3_column_int64(st, 1);
		owed = json_pack("{s:I, s:I, s:o, s:I, s:b}", "requested_at",
			(json_int_t)sqlite3_column_int64(st, 0), "deadline", (json_int_t)due,
			"instructions", sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
			: json_string(col(st, 2)), "motion", (json_int_t)sqlite3_column_int64(st, 3),
			"overdue", due < ctx->now);
		sqlite3_reset(st);
	}
	*out = json_pack("{s:o, s:o, s:b, s:b, s:b, s:o}", "evidence", list, "brief_owed", owed,
			 "sees_sealed", member,
			 "anonymous_allowed", anonymous, "open", !strcmp(c.state, "hearing"),
			 "types", evidence_types_json());
	json_object_set_new(*out, "limits", evidence_limits_json());
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

int gov_case_evidence_file(const struct gov_ctx *ctx, int64_t case_id, int64_t evidence,
			   int64_t n, struct evidence_file_out *f, struct px_error *err)
{
	struct case_row c;
	memset(f, 0, sizeof(*f));
	int rc = case_load(ctx->db, case_id, NULL, &c, err), member = 0;
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT e.sealed_at IS NOT NULL, f.type,"
		" f.hash, x.name, x.bytes FROM case_evidence e JOIN case_evidence_files f"
		" ON f.evidence_id = e.id JOIN case_evidence_content x ON x.evidence_id = e.id"
		" AND x.n = f.n WHERE e.id = ? AND e.case_id = ? AND f.n = ?");
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, case_id);
	sqlite3_bind_int64(st, 3, n);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "case %lld has no file %lld in its"
			       " evidence %lld", (long long)case_id, (long long)n,
			       (long long)evidence);
	int sealed = sqlite3_column_int(st, 0);
	snprintf(f->type, sizeof(f->type), "%s", col(st, 1));
	snprintf(f->hash, sizeof(f->hash), "%s", col(st, 2));
	if (n)
		snprintf(f->name, sizeof(f->name), "%s", col(st, 3));
	else
		snprintf(f->name, sizeof(f->name), "case-%lld-evidence-%lld.md",
			 (long long)case_id, (long long)evidence);
	f->size = (size_t)sqlite3_column_bytes(st, 4);
	f->data = malloc(f->size ? f->size : 1);
	if (f->data && f->size)
		memcpy(f->data, sqlite3_column_blob(st, 4), f->size);
	sqlite3_reset(st);
	if (!f->data)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (sealed && !(rc = sees_sealed(ctx, &c, &member)) && !member)
		rc = px_fail(err, PX_E_FORBIDDEN, NULL, "this evidence was sealed by the"
			     " assembly: only its members see it");
	else if (rc)
		rc = px_fail(err, rc, NULL, NULL);
	if (rc) {
		free(f->data);
		f->data = NULL;
	}
	return rc;
}

/* ---- replay: the bytes, checked against their entries ---- */

int cases_copy_content(struct store *live, struct store *out)
{
	/* a database read as it is, before migration 28, has none */
	return evidence_copy_content(live, out, "case_evidence_content",
		"SELECT evidence_id, n, name, bytes FROM case_evidence_content ORDER BY 1, 2",
		"SELECT 1 FROM case_evidence_files WHERE evidence_id = ? AND n = ? AND hash = ?"
		" AND size = ?",
		"INSERT INTO case_evidence_content(evidence_id, n, name, bytes) VALUES"
		" (?, ?, ?, ?)");
}

/* ---- the polity's rules: set_case_rules, a decision of its assembly ---- */

int case_set_rules(struct store *s, int64_t polity_id, const char *petitioners,
		   int anonymous, int64_t motion_id, int64_t at)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO polity_case_rules(polity_id, petitioners,"
		" anonymous_evidence, motion_id, since) VALUES (?, ?, ?, ?, ?) ON CONFLICT"
		" (polity_id) DO UPDATE SET petitioners = excluded.petitioners,"
		" anonymous_evidence = excluded.anonymous_evidence, motion_id = excluded.motion_id,"
		" since = excluded.since");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_text(st, 2, petitioners, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, anonymous);
	sqlite3_bind_int64(st, 4, motion_id);
	sqlite3_bind_int64(st, 5, at);
	return store_run(st);
}
