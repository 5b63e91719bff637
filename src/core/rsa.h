/*
 * rsa.h: RSA keys as the fediverse uses them (RSASSA-PKCS1-v1_5 with
 * SHA-256, "rsa-sha256" in HTTP signatures), by OpenSSL's libcrypto.
 *
 * Mastodon and most ActivityPub servers sign and verify requests only
 * with RSA: a pnyx node keeps one RSA key, beside its Ed25519 key, for
 * what it says to them (docs/nodes.md, "Keys"), and verifies what they
 * send with theirs. Keys travel as PEM: a private key as PKCS#8 ("BEGIN
 * PRIVATE KEY", or the older "BEGIN RSA PRIVATE KEY"), a public one as a
 * SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"). Everything here is pure: no
 * files, no randomness (a key is made by the store, which owns the node's
 * key files).
 */
#ifndef PNYX_CORE_RSA_H
#define PNYX_CORE_RSA_H

#include <stddef.h>

#include "core/errors.h"

struct strbuf;

/* The smallest modulus taken from others, in bits: 2048, as NIST and the
 * fediverse's servers use. */
#define RSA_MIN_BITS 2048

/* What a PEM SubjectPublicKeyInfo holds. */
enum pubkey_kind { PUBKEY_NONE, PUBKEY_ED25519, PUBKEY_RSA };
enum pubkey_kind rsa_pem_kind(const char *pem);

/* The public key (PEM SubjectPublicKeyInfo) of the private key priv_pem,
 * appended to out. PX_E_BAD_INPUT when priv_pem is no RSA private key. */
int rsa_public_pem(const char *priv_pem, struct strbuf *out) PX_MUST_CHECK;

/* The base64 RSASSA-PKCS1-v1_5 SHA-256 signature of msg with priv_pem,
 * appended to out. */
int rsa_sign_b64(const char *priv_pem, const void *msg, size_t len,
		 struct strbuf *out) PX_MUST_CHECK;

/* 0 when sig (sig_len bytes) is pub_pem's RSASSA-PKCS1-v1_5 SHA-256
 * signature of msg; PX_E_BAD_SIGNATURE when it is not, or the key is not
 * an RSA public key of at least RSA_MIN_BITS. */
int rsa_verify(const char *pub_pem, const void *msg, size_t len, const unsigned char *sig,
	       size_t sig_len) PX_MUST_CHECK;

#endif
