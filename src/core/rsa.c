/*
 * rsa.c: RSA signatures with libcrypto (rsa.h). Every key is read from
 * its PEM at each call: the node signs a few requests a second at most,
 * and nothing here keeps state between calls.
 */
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <string.h>

#include "core/rsa.h"
#include "core/strbuf.h"
#include "banned.h"

static EVP_PKEY *read_public(const char *pem)
{
	BIO *b = pem ? BIO_new_mem_buf(pem, -1) : NULL;
	EVP_PKEY *k = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!k)
		ERR_clear_error(); /* leave no failure behind for libcurl's TLS */
	return k;
}

static EVP_PKEY *read_private(const char *pem)
{
	BIO *b = pem ? BIO_new_mem_buf(pem, -1) : NULL;
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!k)
		ERR_clear_error();
	if (k && EVP_PKEY_base_id(k) != EVP_PKEY_RSA) {
		EVP_PKEY_free(k);
		k = NULL;
	}
	return k;
}

enum pubkey_kind rsa_pem_kind(const char *pem)
{
	EVP_PKEY *k = read_public(pem);
	enum pubkey_kind kind = PUBKEY_NONE;
	if (k && EVP_PKEY_base_id(k) == EVP_PKEY_RSA)
		kind = PUBKEY_RSA;
	else if (k && EVP_PKEY_base_id(k) == EVP_PKEY_ED25519)
		kind = PUBKEY_ED25519;
	EVP_PKEY_free(k);
	return kind;
}

int rsa_public_pem(const char *priv_pem, struct strbuf *out)
{
	EVP_PKEY *k = read_private(priv_pem);
	BIO *b = k ? BIO_new(BIO_s_mem()) : NULL;
	int rc = PX_E_BAD_INPUT;
	char *data = NULL;
	if (b && PEM_write_bio_PUBKEY(b, k) == 1) {
		long n = BIO_get_mem_data(b, &data);
		rc = n > 0 ? sb_add(out, data, (size_t)n) : PX_E_INTERNAL;
	}
	BIO_free(b);
	EVP_PKEY_free(k);
	return rc;
}

int rsa_sign_b64(const char *priv_pem, const void *msg, size_t len, struct strbuf *out)
{
	EVP_PKEY *k = read_private(priv_pem);
	EVP_MD_CTX *c = k ? EVP_MD_CTX_new() : NULL;
	unsigned char sig[1024];
	size_t n = sizeof(sig);
	int rc = k ? PX_E_INTERNAL : PX_E_BAD_INPUT;
	if (c && EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestSign(c, sig, &n, msg, len) == 1) {
		char b64[sodium_base64_ENCODED_LEN(sizeof(sig), sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), sig, n, sodium_base64_VARIANT_ORIGINAL);
		rc = sb_adds(out, b64);
	}
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return rc;
}

int rsa_verify(const char *pub_pem, const void *msg, size_t len, const unsigned char *sig,
	       size_t sig_len)
{
	EVP_PKEY *k = read_public(pub_pem);
	EVP_MD_CTX *c = NULL;
	int rc = PX_E_BAD_SIGNATURE;
	if (!k || EVP_PKEY_base_id(k) != EVP_PKEY_RSA || EVP_PKEY_get_bits(k) < RSA_MIN_BITS)
		goto out;
	c = EVP_MD_CTX_new();
	if (!c) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, k) == 1 &&
	    EVP_DigestVerify(c, sig, sig_len, msg, len) == 1)
		rc = 0;
	else
		ERR_clear_error();
out:
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return rc;
}
