/*
 * httpsig.c: HTTP signatures with Ed25519 and the Digest header
 * (httpsig.h).
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/httpsig.h"
#include "core/num.h"
#include "core/rsa.h"
#include "core/strbuf.h"
#include "banned.h"

void httpsig_digest(const void *body, size_t len, char out[HTTPSIG_DIGEST_SIZE])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, body, len);
	memcpy(out, "SHA-256=", 8);
	sodium_bin2base64(out + 8, HTTPSIG_DIGEST_SIZE - 8, h, sizeof(h),
			  sodium_base64_VARIANT_ORIGINAL);
}

/* The value of header name (len bytes) in hdrs, or NULL. */
static const char *header(const struct httpsig_header *hdrs, size_t n, const char *name,
			  size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(hdrs[i].name) == len && !strncasecmp(hdrs[i].name, name, len))
			return hdrs[i].value;
	return NULL;
}

/* Append value without leading and trailing white space. */
static int add_trimmed(struct strbuf *out, const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	size_t len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	return sb_add(out, v, len);
}

int httpsig_signing_string(const char *method, const char *target,
			   const struct httpsig_header *hdrs, size_t n,
			   const char *list, struct strbuf *out)
{
	int rc = 0, lines = 0;
	const char *p = list;
	while (!rc && *p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (lines++ && (rc = sb_addc(out, '\n')))
			return rc;
		char name[64];
		if (len >= sizeof(name))
			return PX_E_BAD_INPUT;
		for (size_t i = 0; i < len; i++)
			name[i] = (char)tolower((unsigned char)p[i]);
		name[len] = '\0';
		if (!strcmp(name, "(request-target)")) {
			if ((rc = sb_adds(out, "(request-target): ")))
				return rc;
			for (const char *m = method; *m; m++)
				if ((rc = sb_addc(out, (char)tolower((unsigned char)*m))))
					return rc;
			rc = sb_addf(out, " %s", target);
		} else {
			const char *v = header(hdrs, n, name, len);
			if (!v)
				return PX_E_BAD_INPUT;
			if (!(rc = sb_adds(out, name)) && !(rc = sb_adds(out, ": ")))
				rc = add_trimmed(out, v);
		}
		p += len;
	}
	return rc ? rc : lines ? 0 : PX_E_BAD_INPUT;
}

int httpsig_sign(const char *method, const char *target,
		 const struct httpsig_header *hdrs, size_t n, const char *list,
		 const char *key_id, const unsigned char sk[64], struct strbuf *out)
{
	struct strbuf s;
	sb_init(&s, 64 * 1024);
	int rc = httpsig_signing_string(method, target, hdrs, n, list, &s);
	if (!rc) {
		unsigned char sig[crypto_sign_BYTES];
		char b64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES,
						   sodium_base64_VARIANT_ORIGINAL)];
		crypto_sign_detached(sig, NULL, (const unsigned char *)s.buf, s.len, sk);
		sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig),
				  sodium_base64_VARIANT_ORIGINAL);
		rc = sb_addf(out, "keyId=\"%s\",algorithm=\"hs2019\",headers=\"%s\","
			     "signature=\"%s\"", key_id, list, b64);
	}
	sb_release(&s);
	return rc;
}

int httpsig_parse(const char *value, struct httpsig_params *p)
{
	memset(p, 0, sizeof(*p));
	size_t len = value ? strlen(value) : 0;
	if (!len || len >= sizeof(p->buf))
		return PX_E_BAD_INPUT;
	memcpy(p->buf, value, len + 1);
	char *s = p->buf;
	while (*s) {
		while (*s == ' ' || *s == ',')
			s++;
		if (!*s)
			break;
		char *name = s;
		while (*s && *s != '=')
			s++;
		if (*s != '=')
			return PX_E_BAD_INPUT;
		*s++ = '\0';
		char *val;
		if (*s == '"') {
			val = ++s;
			while (*s && *s != '"')
				s++;
			if (*s != '"')
				return PX_E_BAD_INPUT;
			*s++ = '\0';
			if (*s && *s != ',' && *s != ' ')
				return PX_E_BAD_INPUT;
		} else {
			val = s;
			while (*s && *s != ',' && *s != ' ')
				s++;
			if (*s)
				*s++ = '\0';
		}
		if (!strcmp(name, "keyId"))
			p->key_id = val;
		else if (!strcmp(name, "algorithm"))
			p->algorithm = val;
		else if (!strcmp(name, "headers"))
			p->headers = val;
		else if (!strcmp(name, "signature"))
			p->signature = val;
		else if (!strcmp(name, "created") || !strcmp(name, "expires")) {
			int64_t t;
			if (num_parse_i64(val, 1, INT64_MAX, &t))
				return PX_E_BAD_INPUT;
			*(name[0] == 'c' ? &p->created : &p->expires) = t;
		}
		/* other parameters are ignored, as the draft says */
	}
	if (!p->key_id || !*p->key_id || !p->signature || !*p->signature)
		return PX_E_BAD_INPUT;
	if (!p->headers)
		p->headers = "(created)";
	return 0;
}

/* Whether the space-separated list names name. */
static int lists(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == n && !strncasecmp(p, name, n))
			return 1;
		p += len;
	}
	return 0;
}

/* An HTTP date (RFC 7231, IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT")
 * as Unix seconds, or -1. */
static int64_t http_date(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char wd[4], mon[4], gmt[4];
	int d, y, h, mi, sec;
	if (!s || sscanf(s, "%3s, %2d %3s %4d %2d:%2d:%2d %3s", wd, &d, mon, &y, &h, &mi,
			 &sec, gmt) != 8 || strcmp(gmt, "GMT"))
		return -1;
	const char *m = strstr(months, mon);
	if (!m || (m - months) % 3 || d < 1 || d > 31 || y < 1970 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	int mo = (int)(m - months) / 3 + 1;
	/* days from the civil date (proleptic Gregorian) */
	int yy = y - (mo <= 2);
	int64_t era = yy / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + h * 3600 + mi * 60 + sec;
}

int httpsig_check(const struct httpsig_params *p, const char *method, const char *target,
		  const struct httpsig_header *hdrs, size_t n, const void *body,
		  size_t body_len, const unsigned char pk[32], int64_t now, int64_t skew,
		  struct px_error *err)
{
	struct httpsig_key k = { pk, NULL };
	return httpsig_check_key(p, method, target, hdrs, n, body, body_len, &k, now, skew, err);
}

int httpsig_check_key(const struct httpsig_params *p, const char *method, const char *target,
		      const struct httpsig_header *hdrs, size_t n, const void *body,
		      size_t body_len, const struct httpsig_key *key, int64_t now,
		      int64_t skew, struct px_error *err)
{
	const unsigned char *pk = key->ed25519;
	if (pk && p->algorithm && strcmp(p->algorithm, "hs2019") &&
	    strcmp(p->algorithm, "ed25519"))
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the algorithm %s is not taken: hs2019 with an Ed25519 key",
			       p->algorithm);
	if (!pk && !key->rsa_pem)
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature", "no key to check with");
	if (!pk && p->algorithm && strcmp(p->algorithm, "hs2019") &&
	    strcmp(p->algorithm, "rsa-sha256"))
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the algorithm %s is not taken with an RSA key: rsa-sha256 or"
			       " hs2019", p->algorithm);
	static const char *const needed[] = { "(request-target)", "host", "date" };
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!lists(p->headers, needed[i]))
			return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
				       "the signature must cover %s", needed[i]);
	if (body) {
		char want[HTTPSIG_DIGEST_SIZE];
		const char *got = header(hdrs, n, "digest", 6);
		if (!lists(p->headers, "digest"))
			return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
				       "the signature must cover the body's digest");
		httpsig_digest(body, body_len, want);
		if (!got || strcmp(got, want))
			return px_fail(err, PX_E_BAD_SIGNATURE, "digest",
				       "the Digest header is not the body's SHA-256");
	}
	int64_t when = http_date(header(hdrs, n, "date", 4));
	if (when < 0)
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the Date header is not an HTTP date");
	if (when > now + skew || when < now - skew)
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			       "the request's date is more than %lld seconds from now",
			       (long long)skew);
	if (p->expires && p->expires < now)
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature", "the signature has expired");
	unsigned char sig[1024]; /* an RSA signature of up to 8192 bits */
	size_t sig_len = 0;
	if (sodium_base642bin(sig, sizeof(sig), p->signature, strlen(p->signature), NULL,
			      &sig_len, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    (pk && sig_len != crypto_sign_BYTES))
		return px_fail(err, PX_E_BAD_SIGNATURE, "signature", pk
			       ? "the signature is not 64 bytes in base64"
			       : "the signature is not base64");
	struct strbuf s;
	sb_init(&s, 64 * 1024);
	int rc = 0;
	/* "(created)" and "(expires)" lines are not built here: they sign
	 * parameters, not headers, and pnyx neither sends nor needs them */
	if (lists(p->headers, "(created)") || lists(p->headers, "(expires)"))
		rc = px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			     "(created) and (expires) are not taken: sign the Date header");
	else if ((rc = httpsig_signing_string(method, target, hdrs, n, p->headers, &s)))
		rc = px_fail(err, rc == PX_E_BAD_INPUT ? PX_E_BAD_SIGNATURE : rc, "signature",
			     "a signed header is missing from the request");
	else if (pk ? crypto_sign_verify_detached(sig, (const unsigned char *)s.buf, s.len, pk)
		    : rsa_verify(key->rsa_pem, s.buf, s.len, sig, sig_len))
		rc = px_fail(err, PX_E_BAD_SIGNATURE, "signature",
			     "the signature does not verify with %s's key", p->key_id);
	sb_release(&s);
	return rc;
}

int httpsig_sign_rsa(const char *method, const char *target,
		     const struct httpsig_header *hdrs, size_t n, const char *list,
		     const char *key_id, const char *priv_pem, struct strbuf *out)
{
	struct strbuf s, sig;
	sb_init(&s, 64 * 1024);
	sb_init(&sig, 4096);
	int rc = httpsig_signing_string(method, target, hdrs, n, list, &s);
	if (!rc)
		rc = rsa_sign_b64(priv_pem, s.buf, s.len, &sig);
	if (!rc)
		rc = sb_addf(out, "keyId=\"%s\",algorithm=\"rsa-sha256\",headers=\"%s\","
			     "signature=\"%s\"", key_id, list, sig.buf);
	sb_release(&s);
	sb_release(&sig);
	return rc;
}
