/*
 * httpsig.h: HTTP message signatures as the fediverse uses them
 * (draft-cavage-http-signatures-12, the profile Mastodon and most
 * ActivityPub servers speak), with Ed25519 keys, and the Digest header
 * (RFC 3230, SHA-256) that ties the signature to the body.
 *
 * A signature covers a list of headers (the pseudo-header
 * "(request-target)", then e.g. host, date, digest, content-type): the
 * signing string is one line per name, "name: value", names in lower
 * case, values as sent (leading and trailing white space removed,
 * several values joined by ", "), lines joined by '\n' without a final
 * one. The Signature header carries keyId, algorithm ("hs2019", the
 * draft's name for "as the key says", which for pnyx keys is Ed25519;
 * "ed25519" is taken too), headers and the signature in base64.
 *
 * Everything here is pure: the caller supplies the request's headers
 * and the keys, and checks the date's freshness itself (httpsig_check
 * takes "now").
 */
#ifndef PNYX_CORE_HTTPSIG_H
#define PNYX_CORE_HTTPSIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"

struct strbuf;

/* A header of the request as received or about to be sent. */
struct httpsig_header {
	const char *name;  /* any case */
	const char *value;
};

/* The parameters of a Signature header, pointing into a copy the parse
 * keeps (buf). */
struct httpsig_params {
	char buf[2048];
	const char *key_id;
	const char *algorithm; /* NULL when absent */
	const char *headers;   /* the default, "(created)", when absent */
	const char *signature; /* base64 */
	int64_t created;       /* 0 when absent */
	int64_t expires;       /* 0 when absent */
};

/* "SHA-256=<base64 of the SHA-256 of body>" into out (at least
 * HTTPSIG_DIGEST_SIZE bytes). */
#define HTTPSIG_DIGEST_SIZE 60
void httpsig_digest(const void *body, size_t len, char out[HTTPSIG_DIGEST_SIZE]);

/* The signing string for the request (method, target: path and query as
 * sent) over the space-separated header names of list. PX_E_BAD_INPUT
 * when a name of list is not among hdrs (a signed header must be sent),
 * or list is empty. */
int httpsig_signing_string(const char *method, const char *target,
			   const struct httpsig_header *hdrs, size_t n,
			   const char *list, struct strbuf *out) PX_MUST_CHECK;

/* The value of a Signature header signing the request over list with the
 * Ed25519 secret key sk (64 bytes, libsodium's), named key_id. */
int httpsig_sign(const char *method, const char *target,
		 const struct httpsig_header *hdrs, size_t n, const char *list,
		 const char *key_id, const unsigned char sk[64],
		 struct strbuf *out) PX_MUST_CHECK;

/* Parse a Signature header's value. PX_E_BAD_INPUT when it is not a
 * comma-separated list of name="value" (created and expires unquoted
 * numbers), lacks keyId or signature, or is too long. */
int httpsig_parse(const char *value, struct httpsig_params *p) PX_MUST_CHECK;

/* Check a parsed signature against the request and the Ed25519 public
 * key pk (32 bytes) that keyId named: the algorithm is hs2019 or ed25519
 * (or absent); the signed headers include "(request-target)", "host" and
 * "date", and, when the request has a body (body not NULL), "digest",
 * whose header must be the body's SHA-256; the Date header is within
 * skew seconds of now, and "expires", when given, not past. 0 when it
 * verifies; PX_E_BAD_SIGNATURE with why in err when not. */
int httpsig_check(const struct httpsig_params *p, const char *method, const char *target,
		  const struct httpsig_header *hdrs, size_t n, const void *body,
		  size_t body_len, const unsigned char pk[32], int64_t now, int64_t skew,
		  struct px_error *err) PX_MUST_CHECK;

/* A key that verifies a signature: an Ed25519 public key (32 bytes) or
 * an RSA one (PEM SubjectPublicKeyInfo, core/rsa.h); one of the two. */
struct httpsig_key {
	const unsigned char *ed25519;
	const char *rsa_pem;
};

/* httpsig_check with either kind of key. With an RSA key the algorithm
 * is rsa-sha256 or hs2019 (or absent), as Mastodon and Fedify sign; with
 * an Ed25519 key, as httpsig_check says. */
int httpsig_check_key(const struct httpsig_params *p, const char *method, const char *target,
		      const struct httpsig_header *hdrs, size_t n, const void *body,
		      size_t body_len, const struct httpsig_key *key, int64_t now,
		      int64_t skew, struct px_error *err) PX_MUST_CHECK;

/* The value of a Signature header signing the request over list with the
 * RSA private key priv_pem (PEM), named key_id: algorithm="rsa-sha256",
 * what Mastodon and every fediverse server verify. */
int httpsig_sign_rsa(const char *method, const char *target,
		     const struct httpsig_header *hdrs, size_t n, const char *list,
		     const char *key_id, const char *priv_pem,
		     struct strbuf *out) PX_MUST_CHECK;

#endif
