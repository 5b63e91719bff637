/*
 * api_accounts.c: accounts and sessions. Signing in is rate-limited here,
 * at the edge, because only the edge knows the client's address: each
 * attempt is counted per handle and address, per address and per handle
 * before the password is checked (see ratelimit.h); a success clears the
 * first and gives the others their attempt back. Creating accounts is
 * limited per address.
 *
 * The session token reaches the browser only as an HttpOnly,
 * SameSite=Strict cookie (and Secure behind TLS, --secure-cookies); the
 * same token is in the JSON reply for scripts, which send it as
 * "Authorization: Bearer TOKEN".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "gov/lot/lot.h"
#include "gov/people/people.h"
#include "api.h"
#include "ratelimit.h"
#include "request.h"
#include "server.h"
#include "banned.h"

static const struct spec_field account_create_fields[] = {
	SPEC_STR(struct in_account_create, handle, 1, 3, GOV_HANDLE_MAX),
	SPEC_STR(struct in_account_create, display_name, 1, 1, 80),
	SPEC_STR(struct in_account_create, password, 1, 10, 1024),
	SPEC_END,
};
const struct body_spec spec_account_create = {
	account_create_fields, sizeof(struct in_account_create)
};

/* "" lets the browser's languages decide again */
static const struct spec_field me_language_fields[] = {
	SPEC_STR(struct in_me_language, language, 1, 0, 16),
	SPEC_END,
};
const struct body_spec spec_me_language = {
	me_language_fields, sizeof(struct in_me_language)
};

/* Sign-in takes any handle and password up to the lengths that can
 * exist: the refusal of a wrong one must not say which part was wrong. */
static const struct spec_field session_create_fields[] = {
	SPEC_STR(struct in_session_create, handle, 1, 1, GOV_HANDLE_MAX),
	SPEC_STR(struct in_session_create, password, 1, 1, 1024),
	SPEC_END,
};
const struct body_spec spec_session_create = {
	session_create_fields, sizeof(struct in_session_create)
};

int api_account_create(struct http_req *req, void *in)
{
	const struct in_account_create *a = in;
	json_t *out = NULL;
	char akey[80];
	/* Each account is a permanent journal entry: an address creates a
	 * few an hour. Counted before, given back when nothing was made. */
	snprintf(akey, sizeof(akey), "s:%s", req->client);
	int64_t wait = ratelimit_take(req->srv->signups, akey, req->ctx.now);
	if (wait)
		return http_too_many(req, wait, NULL,
				     "too many accounts created from this address");
	int rc = gov_account_create(&req->ctx, a->handle, a->display_name,
				    a->password, &out, &req->err);
	if (rc) {
		ratelimit_give_back(req->srv->signups, akey);
		return rc;
	}
	return http_reply(req, 201, out);
}

static int too_many(struct http_req *req, int64_t wait)
{
	return http_too_many(req, wait, NULL, "too many sign-in attempts");
}

static int session_cookie(struct http_req *req, const char *token,
			  long max_age)
{
	char cookie[160];
	snprintf(cookie, sizeof(cookie),
		 "pnyx_session=%s; HttpOnly; SameSite=Strict; Path=/; "
		 "Max-Age=%ld%s", token, max_age,
		 req->srv->secure_cookies ? "; Secure" : "");
	return http_header(req, "Set-Cookie", cookie);
}

/* Sign-in attempts are counted on three keys: the handle from this
 * address, this address, and the handle from everywhere (a slower
 * ceiling). A stranger spends only the first two: the owner, signing in
 * from another address, is refused only once the third is spent, which
 * takes many addresses. */
int api_session_create(struct http_req *req, void *in)
{
	const struct in_session_create *s = in;
	struct http_server *srv = req->srv;
	char hkey[GOV_HANDLE_MAX + 3], akey[80], pkey[GOV_HANDLE_MAX + 80];
	/* Handles are lower case; fold so "Alice" and "alice" share a
	 * count. */
	size_t n = 0;
	hkey[n++] = 'h';
	hkey[n++] = ':';
	for (const char *p = s->handle; *p && n + 1 < sizeof(hkey); p++)
		hkey[n++] = (char)tolower((unsigned char)*p);
	hkey[n] = '\0';
	snprintf(akey, sizeof(akey), "a:%s", req->client);
	snprintf(pkey, sizeof(pkey), "p:%s|%s", hkey + 2, req->client);

	int64_t now = req->ctx.now;
	int64_t wait = ratelimit_take(srv->by_address, akey, now);
	if (wait)
		return too_many(req, wait);
	wait = ratelimit_take(srv->by_pair, pkey, now);
	if (wait) {
		ratelimit_give_back(srv->by_address, akey);
		return too_many(req, wait);
	}
	wait = ratelimit_take(srv->by_handle, hkey, now);
	if (wait) {
		ratelimit_give_back(srv->by_pair, pkey);
		ratelimit_give_back(srv->by_address, akey);
		return too_many(req, wait);
	}

	char token[SESSION_TOKEN_LEN + 1];
	json_t *account = NULL;
	int rc = gov_session_create(&req->ctx, s->handle, s->password, token,
				    &account, &req->err);
	if (rc) {
		/* Only a wrong handle or password counts against the
		 * limits; a busy database is not the caller's failure. */
		if (rc != PX_E_BAD_CREDENTIALS) {
			ratelimit_give_back(srv->by_handle, hkey);
			ratelimit_give_back(srv->by_pair, pkey);
			ratelimit_give_back(srv->by_address, akey);
		}
		return rc;
	}
	ratelimit_clear(srv->by_pair, pkey);
	ratelimit_give_back(srv->by_handle, hkey);
	ratelimit_give_back(srv->by_address, akey);
	arena_json(&req->arena, account);
	rc = session_cookie(req, token, SESSION_TTL_SECONDS);
	if (rc)
		return px_fail(&req->err, rc, NULL, NULL);
	return http_reply(req, 201, json_pack("{s:s,s:O}", "token", token,
					      "account", account));
}

int api_session_delete(struct http_req *req, void *in)
{
	(void)in;
	int rc = gov_session_delete(&req->ctx, req->token);
	if (rc)
		return px_fail(&req->err, rc, NULL, NULL);
	session_cookie(req, "", 0);
	return http_reply(req, 204, NULL);
}

int api_me(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	json_t *citizenship = NULL;
	int rc = gov_me(&req->ctx, &out, &req->err);
	if (rc)
		return rc;
	/* residence, citizenship and its expiry (src/gov/lot) */
	if ((rc = gov_citizenship(&req->ctx, &citizenship, &req->err))) {
		json_decref(out);
		return rc;
	}
	const char *text = req->srv->insurance;
	json_object_set_new(citizenship, "insurance", text ? json_string(text) : json_null());
	json_object_set_new(out, "citizenship", citizenship);
	return http_reply(req, 200, out);
}

int api_me_language(struct http_req *req, void *in)
{
	const struct in_me_language *b = in;
	int rc = gov_me_language(&req->ctx, b->language, &req->err);
	if (rc)
		return rc;
	return http_reply(req, 200, json_pack("{s:s?}", "language",
		*b->language ? b->language : NULL));
}
