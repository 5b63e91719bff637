/*
 * account.h: accounts and sign-in sessions.
 *
 * Handles: 3 to 32 characters, lower-case letters, digits, '-' and '_',
 * starting with a letter. Display names: 1 to 80 characters of UTF-8.
 * Passwords: 10 to 1024 bytes, stored only as an argon2id hash (libsodium,
 * interactive limits).
 *
 * A session is a random 32-byte token, given to the client base64url-
 * encoded (43 characters). The store keeps only its BLAKE2b-256 hash, so a
 * copy of the database does not let anyone sign in. Sessions last 30 days.
 */
#ifndef PNYX_ACCOUNT_H
#define PNYX_ACCOUNT_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

#define SESSION_TOKEN_LEN 43
#define SESSION_TTL_SECONDS (30 * 24 * 3600)

/* Create an account. Errors name the field: handle, display_name,
 * password; PX_E_HANDLE_TAKEN for a duplicate. *out: the account. */
int gov_account_create(const struct gov_ctx *ctx, const char *handle,
		       const char *display_name, const char *password,
		       json_t **out, struct px_error *err);

/* Check handle and password; on success create a session and write its
 * token (NUL-terminated) to token. PX_E_BAD_CREDENTIALS on any mismatch,
 * without saying which. Rate limiting is the edge's job (it knows the
 * address); it must call this only when the limit allows. */
int gov_session_create(const struct gov_ctx *ctx, const char *handle,
		       const char *password,
		       char token[SESSION_TOKEN_LEN + 1], json_t **account,
		       struct px_error *err);

/* Resolve a token to the account it signs in, filling ctx->account_id and
 * ctx->handle. PX_E_UNAUTHENTICATED when unknown or expired. */
int gov_session_lookup(struct gov_ctx *ctx, const char *token);

/* End the session of token. */
int gov_session_delete(const struct gov_ctx *ctx, const char *token);

/* The signed-in account with its memberships. */
int gov_me(const struct gov_ctx *ctx, json_t **out, struct px_error *err);

#endif
