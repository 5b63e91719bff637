/*
 * request.c: the helpers route handlers reply with (request.h): path and
 * query parameters, the reply and its headers, the JSON error body.
 * Everything they allocate lives in the request's arena.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/num.h"
#include "request.h"
#include "server.h"
#include "banned.h"

int http_base_url(struct http_req *req, char *out, size_t size)
{
	const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Host");
	size_t n = h ? strlen(h) : 0;
	out[0] = '\0';
	if (!n || n > 255)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == ':' || c == '[' || c == ']'))
			return -1;
	}
	int w = snprintf(out, size, "%s://%s",
			 req->srv->secure_cookies ? "https" : "http", h);
	if (w < 0 || (size_t)w >= size) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

json_t *http_error_json(const struct px_error *err, const char *lang)
{
	char buf[512];
	return json_pack("{s:{s:s,s:s,s:s?}}", "error", "code",
			 px_code_name(err->code), "message",
			 px_error_message_in(err, lang, buf, sizeof(buf)), "field", err->field);
}

const char *http_lang(struct http_req *req)
{
	const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						    "Accept-Language");
	const char *lang = i18n_accept(h);
	return lang ? lang : I18N_DEFAULT;
}

const char *http_param(struct http_req *req, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < req->params.n; i++) {
		if (req->params.p[i].name_len == nl &&
		    !memcmp(req->params.p[i].name, name, nl)) {
			const char *v = arena_strndup(
				&req->arena, req->params.p[i].value,
				req->params.p[i].value_len);
			return v ? v : "";
		}
	}
	return "";
}

const char *http_query(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn,
					   MHD_GET_ARGUMENT_KIND, name);
}

int http_query_int(struct http_req *req, const char *name, int64_t min,
		   int64_t max, int64_t def, int64_t *out)
{
	const char *v = http_query(req, name);
	*out = def;
	if (!v)
		return 0;
	int rc = num_parse_i64(v, min, max, out);
	if (rc == PX_E_OUT_OF_RANGE)
		return px_fail(&req->err, rc, name,
			       "%s must be between %lld and %lld", name,
			       (long long)min, (long long)max);
	if (rc)
		return px_fail(&req->err, PX_E_BAD_TYPE, name,
			       "%s must be a whole number", name);
	return 0;
}

/* A path names a thing by one spelling only: digits without sign, space
 * or leading zero ("+1", "01" and " 1" name nothing). */
static int canonical_number(const char *s)
{
	if (s[0] < '1' || s[0] > '9')
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

int http_param_number(struct http_req *req, const char *name, int64_t max,
		      int64_t *out)
{
	const char *v = http_param(req, name);
	if (!canonical_number(v) || num_parse_i64(v, 1, max, out))
		return px_fail(&req->err, PX_E_NOT_FOUND, NULL,
			       "%s must be a number", name);
	return 0;
}

int http_param_id(struct http_req *req, const char *name, int64_t *out)
{
	return http_param_number(req, name, INT64_MAX, out);
}

int http_reply(struct http_req *req, int status, json_t *body)
{
	req->status = status;
	req->reply = arena_json(&req->arena, body);
	if (!req->reply && status != 204)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	return 0;
}

int http_reply_text(struct http_req *req, int status, const char *type,
		    const char *text)
{
	req->status = status;
	req->text = arena_strdup(&req->arena, text);
	req->text_type = type;
	if (!req->text)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	return 0;
}

int http_reply_bytes(struct http_req *req, int status, const char *type,
		     const void *data, size_t len)
{
	char *copy = arena_alloc(&req->arena, len + 1);
	if (!copy)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	memcpy(copy, data, len);
	copy[len] = '\0';
	req->status = status;
	req->text = copy;
	req->text_len = len;
	req->text_type = type;
	return 0;
}

int http_header(struct http_req *req, const char *name, const char *value)
{
	if (req->nheaders == HTTP_HEADERS_MAX)
		return PX_E_INTERNAL;
	const char *n = arena_strdup(&req->arena, name);
	const char *v = arena_strdup(&req->arena, value);
	if (!n || !v)
		return PX_E_NOMEM;
	req->headers[req->nheaders].name = n;
	req->headers[req->nheaders].value = v;
	req->nheaders++;
	return 0;
}

int http_too_many(struct http_req *req, int64_t wait, const char *field,
		  const char *what)
{
	char secs[24];
	if (wait < 1)
		wait = 1;
	snprintf(secs, sizeof(secs), "%lld", (long long)wait);
	http_header(req, "Retry-After", secs);
	return px_fail(&req->err, PX_E_RATE_LIMITED, field,
		       "%s; try again in %lld seconds", what, (long long)wait);
}
