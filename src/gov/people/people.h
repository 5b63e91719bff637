/*
 * gov/people/people.h: the public face of the people domain: people and the places they live: accounts (sign-in, sessions) and
 * communities (the infrastructure the operator registers).
 *
 * http/, cli/ and the other domains include this header and nothing
 * else of gov/people/; the rest of the folder is its own business.
 */
#ifndef PNYX_GOV_PEOPLE_H
#define PNYX_GOV_PEOPLE_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"

/* ------------------------------------------------------------------ */
/*
 * account.c: accounts and sign-in sessions.
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
#define SESSION_TOKEN_LEN 43
#define SESSION_TTL_SECONDS (30 * 24 * 3600)

/* Create an account. Errors name the field: handle, display_name,
 * password; PX_E_HANDLE_TAKEN for a duplicate. *out: the account. */
int gov_account_create(const struct gov_ctx *ctx, const char *handle,
		       const char *display_name, const char *password,
		       json_t **out, struct px_error *err) PX_MUST_CHECK;

/* Check handle and password; on success create a session and write its
 * token (NUL-terminated) to token. PX_E_BAD_CREDENTIALS on any mismatch,
 * without saying which. Rate limiting is the edge's job (it knows the
 * address); it must call this only when the limit allows. */
int gov_session_create(const struct gov_ctx *ctx, const char *handle,
		       const char *password,
		       char token[SESSION_TOKEN_LEN + 1], json_t **account,
		       struct px_error *err) PX_MUST_CHECK;

/* Resolve a token to the account it signs in, filling ctx->account_id and
 * ctx->handle. PX_E_UNAUTHENTICATED when unknown or expired. */
int gov_session_lookup(struct gov_ctx *ctx, const char *token);

/* End the session of token. */
int gov_session_delete(const struct gov_ctx *ctx, const char *token);

/* The signed-in account with its memberships and "language" (null when
 * the person chose none). */
int gov_me(const struct gov_ctx *ctx, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The signed-in person's language of the pages: a code this build carries
 * ("es"), or NULL or "" to let the browser decide again. A preference, as
 * the e-mail address is: kept, not journalled (docs/translating.md). */
int gov_me_language(const struct gov_ctx *ctx, const char *language,
		    struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * community.c: communities, the local areas the operator registers. They
 * are infrastructure, not governance: adding one decides nothing, but it
 * is journaled like everything else.
 *
 * Slugs everywhere in pnyx: 2 to 64 characters, lower-case letters,
 * digits and '-', starting with a letter or digit.
 */
/* Operator only (ctx->operator). Fields: slug, name (1-120), population
 * (0 to 100,000,000). */
int gov_community_add(const struct gov_ctx *ctx, const char *slug,
		      const char *name, int64_t population, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
/* [{"slug","name","population","assembly": slug or null}, ...] */
int gov_community_list(const struct gov_ctx *ctx, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
int gov_community_get(const struct gov_ctx *ctx, const char *slug,
		      json_t **out, struct px_error *err) PX_MUST_CHECK;

/* Whether s is a valid slug. */
int gov_slug_valid(const char *s);

#endif
