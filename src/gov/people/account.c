/*
 * account.c: accounts and sessions. Passwords are hashed with argon2id
 * (libsodium's crypto_pwhash_str, at the limits the operator chose:
 * interactive by default) before the transaction starts, since hashing
 * takes a tenth of a second and must not hold the write lock. A sign-in
 * whose stored hash has other limits stores it again at the chosen ones.
 * Session tokens are stored only as BLAKE2b-256 hashes.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/people/people.h"
#include "banned.h"

#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024

/* libsodium's limits for each cost, in the order of enum gov_password_cost */
static const struct {
	const char *name;
	unsigned long long ops;
	size_t mem;
} costs[] = {
	{ "interactive", crypto_pwhash_OPSLIMIT_INTERACTIVE,
	  crypto_pwhash_MEMLIMIT_INTERACTIVE },
	{ "moderate", crypto_pwhash_OPSLIMIT_MODERATE,
	  crypto_pwhash_MEMLIMIT_MODERATE },
	{ "minimum", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN },
};

int gov_password_cost(const char *name)
{
	for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++)
		if (!strcmp(name, costs[i].name))
			return (int)i;
	return -1;
}

/* Hash password at the cost ctx names into out. */
static int password_hash(const struct gov_ctx *ctx, const char *password,
			 char out[crypto_pwhash_STRBYTES])
{
	int c = ctx->password_cost;
	if (c < 0 || (size_t)c >= sizeof(costs) / sizeof(costs[0]))
		c = GOV_PASSWORD_INTERACTIVE;
	return crypto_pwhash_str(out, password, strlen(password), costs[c].ops,
				 costs[c].mem);
}

/* 1 when a stored hash has other limits than the cost ctx names. */
static int password_stale(const struct gov_ctx *ctx, const char *stored)
{
	int c = ctx->password_cost;
	if (c < 0 || (size_t)c >= sizeof(costs) / sizeof(costs[0]))
		c = GOV_PASSWORD_INTERACTIVE;
	return crypto_pwhash_str_needs_rehash(stored, costs[c].ops, costs[c].mem) != 0;
}

static int handle_valid(const char *h)
{
	size_t n = strlen(h);
	if (n < 3 || n > GOV_HANDLE_MAX || !(h[0] >= 'a' && h[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* The public view of an account. */
static int account_json(struct store *s, int64_t id, json_t **out)
{
	int row = 0, rc;
	*out = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT handle, display_name, created_at"
					 " FROM accounts WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	*out = json_pack("{s:s, s:s, s:I}",
			      "handle", (const char *)sqlite3_column_text(st, 0),
			      "display_name", (const char *)sqlite3_column_text(st, 1),
			      "created_at", (json_int_t)sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return *out ? 0 : PX_E_NOMEM;
}

struct create_args {
	const struct gov_ctx *ctx;
	const char *handle, *display_name;
	char hash[crypto_pwhash_STRBYTES];
	json_t *out;
	struct px_error *err;
};

static int create_tx(struct store *s, void *arg)
{
	struct create_args *a = arg;
	json_decref(a->out); /* store_tx may run this again */
	a->out = NULL;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO accounts(handle, display_name,"
					 " password_hash, created_at) VALUES (?,?,?,?)"
					 " ON CONFLICT(handle) DO NOTHING");
	sqlite3_bind_text(st, 1, a->handle, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->display_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, a->ctx->now);
	int rc = store_run(st);
	if (rc)
		return rc;
	if (sqlite3_changes(store_db(s)) == 0)
		return px_fail(a->err, PX_E_HANDLE_TAKEN, "handle", NULL);
	int64_t id = sqlite3_last_insert_rowid(store_db(s));
	json_t *payload = json_pack("{s:s, s:s}", "handle", a->handle,
				    "display_name", a->display_name);
	rc = journal_append(s, a->ctx->now, a->handle, NULL, "account.create",
			    payload, NULL);
	json_decref(payload);
	if (rc)
		return rc;
	rc = account_json(s, id, &a->out);
	return rc == PX_E_NOT_FOUND ? PX_E_DB : rc;
}

int gov_account_create(const struct gov_ctx *ctx, const char *handle,
		       const char *display_name, const char *password,
		       json_t **out, struct px_error *err)
{
	struct create_args a = { .ctx = ctx, .handle = handle,
				 .display_name = display_name, .err = err };
	*out = NULL;
	if (!handle_valid(handle))
		return px_fail(err, PX_E_BAD_INPUT, "handle",
			       "a handle has 3 to 32 characters: lower-case letters,"
			       " digits, '-' and '_', starting with a letter");
	int rc = text_check_line(display_name, 1, 80);
	if (rc)
		return px_fail(err, rc, "display_name",
			       "a display name has 1 to 80 characters on one line");
	size_t plen = strlen(password);
	if (plen < PASSWORD_MIN || plen > PASSWORD_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "password",
			       "a password has %d to %d bytes", PASSWORD_MIN,
			       PASSWORD_MAX);
	if (password_hash(ctx, password, a.hash))
		return px_fail(err, PX_E_NOMEM, NULL, "password hashing failed");
	rc = store_tx(ctx->db, create_tx, &a);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	*out = a.out;
	return rc;
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token),
			   NULL, 0);
}

struct session_args {
	const struct gov_ctx *ctx;
	int64_t account_id;
	unsigned char hash[32];
	char rehash[crypto_pwhash_STRBYTES]; /* the password at today's cost, or "" */
};

static int session_tx(struct store *s, void *arg)
{
	struct session_args *a = arg;
	/* sweep this account's expired sessions while we are here */
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM sessions WHERE account_id = ?"
					 " AND expires_at <= ?");
	sqlite3_bind_int64(st, 1, a->account_id);
	sqlite3_bind_int64(st, 2, a->ctx->now);
	int rc = store_run(st);
	if (rc)
		return rc;
	if (a->rehash[0]) {
		st = store_stmt(s, "UPDATE accounts SET password_hash = ? WHERE id = ?");
		sqlite3_bind_text(st, 1, a->rehash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, a->account_id);
		if ((rc = store_run(st)))
			return rc;
	}
	st = store_stmt(s, "INSERT INTO sessions(token_hash, account_id, created_at,"
			   " expires_at) VALUES (?,?,?,?)");
	sqlite3_bind_blob(st, 1, a->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a->account_id);
	sqlite3_bind_int64(st, 3, a->ctx->now);
	sqlite3_bind_int64(st, 4, a->ctx->now + SESSION_TTL_SECONDS);
	return store_run(st);
}

int gov_session_create(const struct gov_ctx *ctx, const char *handle,
		       const char *password,
		       char token[SESSION_TOKEN_LEN + 1], json_t **account,
		       struct px_error *err)
{
	char stored[crypto_pwhash_STRBYTES] = "";
	struct session_args a = { .ctx = ctx };
	unsigned char raw[32];

	*account = NULL;
	token[0] = '\0';
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT id, password_hash FROM accounts"
					       " WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle, -1, SQLITE_STATIC);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		a.account_id = sqlite3_column_int64(st, 0);
		const char *h = (const char *)sqlite3_column_text(st, 1);
		if (h && strlen(h) < sizeof(stored))
			memcpy(stored, h, strlen(h) + 1);
		sqlite3_reset(st);
	}
	if (!a.account_id) {
		/* spend the same effort as a real check, so timing does not
		 * tell which handles exist */
		char dummy[crypto_pwhash_STRBYTES];
		int ignored = password_hash(ctx, password, dummy);
		(void)ignored;
		return px_fail(err, PX_E_BAD_CREDENTIALS, NULL, NULL);
	}
	if (crypto_pwhash_str_verify(stored, password, strlen(password)))
		return px_fail(err, PX_E_BAD_CREDENTIALS, NULL, NULL);
	/* the operator chose another cost since: the password is known right
	 * now, so its hash is made again at that cost (a hash that cannot be
	 * made leaves the old one, which still checks) */
	if (password_stale(ctx, stored) && password_hash(ctx, password, a.rehash))
		a.rehash[0] = '\0';

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, SESSION_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_hash(token, a.hash);
	rc = store_tx(ctx->db, session_tx, &a);
	if (!rc)
		rc = account_json(ctx->db, a.account_id, account);
	if (rc) {
		token[0] = '\0';
		return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}

static int token_shape_ok(const char *token)
{
	if (strlen(token) != SESSION_TOKEN_LEN)
		return 0;
	for (const char *p = token; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

int gov_session_lookup(struct gov_ctx *ctx, const char *token)
{
	unsigned char h[32];
	if (!token || !token_shape_ok(token))
		return PX_E_UNAUTHENTICATED;
	token_hash(token, h);
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT a.id, a.handle FROM sessions s JOIN accounts a"
		" ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires_at > ?");
	sqlite3_bind_blob(st, 1, h, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ctx->now);
	int row = 0, rc = store_step(st, &row);
	if (rc) {
		/* a database failure is not a wrong token: say so */
		fprintf(stderr, "pnyx: session lookup: %s\n", sqlite3_errmsg(store_db(ctx->db)));
	} else if (!row) {
		rc = PX_E_UNAUTHENTICATED;
	} else {
		rc = PX_E_UNAUTHENTICATED;
		const char *handle = (const char *)sqlite3_column_text(st, 1);
		size_t n = strlen(handle);
		if (n <= GOV_HANDLE_MAX) {
			ctx->account_id = sqlite3_column_int64(st, 0);
			memcpy(ctx->handle, handle, n + 1);
			rc = 0;
		}
	}
	sqlite3_reset(st);
	return rc;
}

struct delete_args {
	unsigned char hash[32];
};

static int delete_tx(struct store *s, void *arg)
{
	struct delete_args *a = arg;
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM sessions WHERE token_hash = ?");
	sqlite3_bind_blob(st, 1, a->hash, 32, SQLITE_STATIC);
	return store_run(st);
}

int gov_session_delete(const struct gov_ctx *ctx, const char *token)
{
	struct delete_args a;
	if (!token || !token_shape_ok(token))
		return PX_E_UNAUTHENTICATED;
	token_hash(token, a.hash);
	return store_tx(ctx->db, delete_tx, &a);
}

int gov_me(const struct gov_ctx *ctx, json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	json_t *me = NULL;
	if ((rc = account_json(ctx->db, ctx->account_id, &me)))
		return px_fail(err, rc == PX_E_NOT_FOUND ? PX_E_UNAUTHENTICATED : rc, NULL, NULL);
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT b.slug, b.name, b.kind, m.status, m.basis, m.since"
		" FROM memberships m JOIN bodies b ON b.id = m.body_id"
		" WHERE m.account_id = ? ORDER BY b.name");
	sqlite3_bind_int64(st, 1, ctx->account_id);
	while (store_next(st, &rc))
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}",
			"body", (const char *)sqlite3_column_text(st, 0),
			"name", (const char *)sqlite3_column_text(st, 1),
			"kind", (const char *)sqlite3_column_text(st, 2),
			"status", (const char *)sqlite3_column_text(st, 3),
			"basis", (const char *)sqlite3_column_text(st, 4),
			"since", (json_int_t)sqlite3_column_int64(st, 5)));
	json_object_set_new(me, "memberships", list);
	/* the language of the pages chosen, or null: the browser's decide */
	st = rc ? NULL : store_stmt(ctx->db,
		"SELECT language FROM person_languages WHERE account_id = ?");
	int row = 0;
	if (st) {
		sqlite3_bind_int64(st, 1, ctx->account_id);
		if (!(rc = store_step(st, &row)))
			json_object_set_new(me, "language", row ? json_string(
				(const char *)sqlite3_column_text(st, 0)) : json_null());
		if (row)
			sqlite3_reset(st);
	} else if (!rc) {
		rc = PX_E_DB;
	}
	if (rc) {
		json_decref(me);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = me;
	return 0;
}

struct language_args {
	int64_t account;
	const char *language; /* NULL: forget the choice */
};

static int language_tx(struct store *s, void *arg)
{
	const struct language_args *a = arg;
	sqlite3_stmt *st = store_stmt(s, a->language
		? "INSERT INTO person_languages(account_id, language) VALUES (?, ?)"
		  " ON CONFLICT(account_id) DO UPDATE SET language = excluded.language"
		: "DELETE FROM person_languages WHERE account_id = ?");
	if (!st)
		return PX_E_DB;
	sqlite3_bind_int64(st, 1, a->account);
	if (a->language)
		sqlite3_bind_text(st, 2, a->language, -1, SQLITE_STATIC);
	return store_run(st);
}

int gov_me_language(const struct gov_ctx *ctx, const char *language,
		    struct px_error *err)
{
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	struct language_args a = { ctx->account_id, NULL };
	if (language && *language) {
		a.language = i18n_lang(language);
		if (!a.language || strcmp(a.language, language))
			return px_fail(err, PX_E_BAD_INPUT, "language",
				       "language is a language pnyx speaks, written as"
				       " its code (en, es)");
	}
	if ((rc = store_tx(ctx->db, language_tx, &a)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}
