/* Unit tests for src/core/httpsig.c: HTTP signatures with Ed25519 and
 * RSA. The expected digest and signatures were computed independently,
 * with Python's hashlib and python3-cryptography's Ed25519 (from the seed
 * bytes 0..31) and RSA (a 2048-bit key made for this test; RSASSA-PKCS1-v1_5
 * is deterministic, so pnyx's signature must be the same bytes), over the
 * same signing string. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "core/rsa.h"
#include "core/strbuf.h"

#define BODY "{\"type\":\"Follow\"}"
#define DIGEST "SHA-256=GYwYnH3BiO6aICFt0ThC5bUIJ4byvqdpWtR8m5fNkww="
#define SIG "f/qpNHVBClhWXUsknYyqoIY9ZCwiQGlbtBDJugAQehvE2Rm2RNLNvfu7r3PfRFsBPsP1zmD/" \
	"u5h06CZBTBazDQ=="
/* made by python3-cryptography (an independent RSA) */
static const char rsa_priv[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCvZ12raP0M8n1p\n"
	"ynBRTr5m+SG1VEtnPmkdsF7x/aPXnrsj/iLztbjfEJNb8//X4250lrxBinA1Cpr4\n"
	"f+i2POb0D0sbveKblx/Yay/E6NhoZ2GoACA6ZP2m6mlJN1UzpCY7HBFNcTLOBLA9\n"
	"celpviWouKzCVfEhzYaAj4EW332VHESgiK4hH2qwgnCkYlK/7h06OLrW5/JXhQxE\n"
	"lM9urpJRVGcxCekbfsX8GAVQ8srY3Q6i2kWdYNFomsj+xT27fjRl/7fQiiyFU4ih\n"
	"CKMuWbzkXFvhVX0J7801+sP7RPrSukyTr8fqKPkmvW1ruD4VkrfVsCr/Zi2HPHQE\n"
	"enQrglCPAgMBAAECggEAT1ETMvVdZLLs0l9oLeRJRmBHBWvSUyQOPY4pSQ10vwa4\n"
	"wlxj6sfUiw5ATJcILNRb+N3G0G5tMhcTH+cbUPk2SMv3n1pc9BXBIUjLB6RxY7jI\n"
	"GMPBzxYm+4lJxgF/BkSmwxj8nAPhwPauyYJO1fHVrref65sYWLxLI6yA59p1O+0U\n"
	"Vfe+Libd7SrjkoK2rBb/Vtesr5xyYXNuqxmwt3Z+CnlEZFzhGo2l/1TD128cuQ0x\n"
	"rT4HFIhMRBjsAgwhs35yDrKUgXO4lIeczSsf+mApb5Gjs5T03KxF8WqzUOBJIv3E\n"
	"NLAZL939/pfuOHKOlc/GwPABZ72yvc/MvwiPBK5m4QKBgQD036jo3wnXYo1gIdaO\n"
	"TB0nH7uykPdjZC+dLtEEvePSHG9lJXf1AODOj6Wv75zXfcgeIaTQe9w7ZdCOwj4p\n"
	"r0sma/vl0Yg+Do9fCobTJpqKCmvXphwYXKxlFpyjr2WG/Ts+KZFs3GZrCTPBLD4D\n"
	"nE45Ka52KG1KGETuzeGtc/DW4QKBgQC3X6QOnYqwNlZk8zipQab5vde3gc5iqbPb\n"
	"p7Jr91N9lYhilej0T9b2JBlDO9iRndAz4BKe8JHyY8DMQiH4JRf9ioGinWWx33Bl\n"
	"/1MgL1f0l9sgM86OLsNWukoyE9/Qrz4T0FiEswErxInD4Ql2wu6Hwwi7DqLu6wDy\n"
	"1Iyw2frFbwKBgG/k/+8hdALK0uVZsQwm9a9aDc/j9FejgSpnKTXse30YZ0Kl43G+\n"
	"K/vXohOJ/3Zs0JQMNZ7a6mDt/mYtlnA/3Kw67ckvfP02dAcu7TrxSe7IIk1RZ0cu\n"
	"mcw7j+owDMmpT3fxULWY5OgGNXMQ/2lw9EGkrUbq5D3WZzFkPLqg3y2hAoGBAKmP\n"
	"TmwVUQDPveNq46Heiz+zQ5zz8ptYwG8ECf+7mwAtHQfMBrSifurrRlDdLcy4WKUf\n"
	"NRiy6sFva/9zx2VlJ2HSiTyMvlRTf+NQzNSd8n7BTGXigcUHiKjRaXoU1ohpAsXf\n"
	"iXpq61JFUf5GQDII3fe7aH9PcWnq892WnOGLLk8RAoGAQg7wa9OkqsSQd51TAhc4\n"
	"IYFsNUeIUX9i+AIDgpomTKyn5+AnIfFsuUl4RWesU2SpJoevEQ5GyK4L2118jgIK\n"
	"nU0EZuqt/DKTE+kcbsfWNgL+exYOzc2BKIbrBMa9GA/TWa6Knw2UCvSBfzbt2aMj\n"
	"PphFSr8JLlmcrqcpeW7DyiA=\n"
	"-----END PRIVATE KEY-----\n";
static const char rsa_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr2ddq2j9DPJ9acpwUU6+\n"
	"ZvkhtVRLZz5pHbBe8f2j1567I/4i87W43xCTW/P/1+NudJa8QYpwNQqa+H/otjzm\n"
	"9A9LG73im5cf2GsvxOjYaGdhqAAgOmT9puppSTdVM6QmOxwRTXEyzgSwPXHpab4l\n"
	"qLiswlXxIc2GgI+BFt99lRxEoIiuIR9qsIJwpGJSv+4dOji61ufyV4UMRJTPbq6S\n"
	"UVRnMQnpG37F/BgFUPLK2N0OotpFnWDRaJrI/sU9u340Zf+30IoshVOIoQijLlm8\n"
	"5Fxb4VV9Ce/NNfrD+0T60rpMk6/H6ij5Jr1ta7g+FZK31bAq/2Ythzx0BHp0K4JQ\n"
	"jwIDAQAB\n"
	"-----END PUBLIC KEY-----\n";
static const char rsa_sig[] = "kV/5aBTADHaXQOckUnpNN5pJOjz7iXpMSOvb06RwXcvhLagtb/s3L9XfmKjpQP9KB6QIqFLXOcpPDL0pT2xKXUNNz/gbstAA8sben0SJ4Kg9hNjmdzrqJbsqNvDhNExmUvSr3GUpMWJ52lf1Hz/aFNQBXgUN5JAvYvuQV+oP0OrYlVMtQHzJR8q+Jv+TV83TF+QkobuaCHJRfuvT1HkXJHj9vi4GGd7AIPQlvlvKDu6GAwGxHlmh4qmlLd+sL5xNtVmAiIADdi+coHUx379+SO2QunuQ3/5dVqN2NRAw4NykXehSpTwsvDcqzwr5cZQoQ8fVAol0t62sppFQF7yGOw==";
#define NOW 1796558400 /* Sun, 06 Dec 2026 12:00:00 GMT */
#define LIST "(request-target) host date digest"
#define TARGET "/bodies/harbour/inbox"

static unsigned char pk[32], sk[64];

static struct httpsig_header hdrs[] = {
	{ "Host", "pnyx.example" },
	{ "Date", "Sun, 06 Dec 2026 12:00:00 GMT" },
	{ "Digest", DIGEST },
	{ "Content-Type", "application/activity+json" },
};
#define NH (sizeof(hdrs) / sizeof(hdrs[0]))

static int setup(void **state)
{
	(void)state;
	unsigned char seed[32];
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)i;
	if (sodium_init() < 0)
		return -1;
	return crypto_sign_seed_keypair(pk, sk, seed);
}

static int check(const char *value, const struct httpsig_header *h, size_t n,
		 const char *body, int64_t now)
{
	struct httpsig_params p;
	int rc = httpsig_parse(value, &p);
	if (rc)
		return rc;
	struct px_error err = { 0 };
	return httpsig_check(&p, "POST", TARGET, h, n, body, body ? strlen(body) : 0, pk, now,
			     300, &err);
}

static void test_httpsig_digest_and_signature_match_an_independent_one(void **state)
{
	(void)state;
	char d[HTTPSIG_DIGEST_SIZE];
	httpsig_digest(BODY, strlen(BODY), d);
	assert_string_equal(d, DIGEST);
	struct strbuf s;
	sb_init(&s, 0);
	assert_int_equal(httpsig_signing_string("POST", TARGET, hdrs, NH, LIST, &s), 0);
	assert_string_equal(s.buf, "(request-target): post /bodies/harbour/inbox\n"
			    "host: pnyx.example\ndate: Sun, 06 Dec 2026 12:00:00 GMT\n"
			    "digest: " DIGEST);
	sb_reset(&s);
	assert_int_equal(httpsig_sign("POST", TARGET, hdrs, NH, LIST,
				      "https://pnyx.example/bodies/harbour#main-key", sk, &s), 0);
	assert_string_equal(s.buf, "keyId=\"https://pnyx.example/bodies/harbour#main-key\","
			    "algorithm=\"hs2019\",headers=\"" LIST "\",signature=\"" SIG "\"");
	assert_int_equal(check(s.buf, hdrs, NH, BODY, NOW), 0);
	sb_release(&s);
}

static void test_httpsig_parse_takes_the_drafts_forms(void **state)
{
	(void)state;
	struct httpsig_params p;
	assert_int_equal(httpsig_parse("keyId=\"k\", algorithm=\"rsa-sha256\", "
				       "headers=\"date\", signature=\"c2ln\", created=1, "
				       "expires=2, extra=\"x\"", &p), 0);
	assert_string_equal(p.key_id, "k");
	assert_string_equal(p.algorithm, "rsa-sha256");
	assert_string_equal(p.headers, "date");
	assert_string_equal(p.signature, "c2ln");
	assert_int_equal(p.created, 1);
	assert_int_equal(p.expires, 2);
	assert_int_equal(httpsig_parse("keyId=\"k\",signature=\"s\"", &p), 0);
	assert_string_equal(p.headers, "(created)");
	static const char *const bad[] = {
		"", "keyId=\"k\"", "signature=\"s\"", "keyId=\"k,signature=\"s\"",
		"keyId=\"k\"x,signature=\"s\"", "keyId=\"k\",signature=\"s\",created=x",
		"keyId", "keyId=\"\",signature=\"s\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(httpsig_parse(bad[i], &p), PX_E_BAD_INPUT);
	char big[3000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(httpsig_parse(big, &p), PX_E_BAD_INPUT);
}

static void test_httpsig_refuses_what_does_not_verify(void **state)
{
	(void)state;
	struct strbuf s;
	sb_init(&s, 0);
	assert_int_equal(httpsig_sign("POST", TARGET, hdrs, NH, LIST, "k", sk, &s), 0);
	/* a changed body, digest, header, target, date out of the window */
	assert_int_equal(check(s.buf, hdrs, NH, "{\"type\":\"Undo\"}", NOW), PX_E_BAD_SIGNATURE);
	struct httpsig_header other[NH];
	memcpy(other, hdrs, sizeof(other));
	other[0].value = "elsewhere.example";
	assert_int_equal(check(s.buf, other, NH, BODY, NOW), PX_E_BAD_SIGNATURE);
	assert_int_equal(check(s.buf, hdrs, NH, BODY, NOW + 301), PX_E_BAD_SIGNATURE);
	assert_int_equal(check(s.buf, hdrs, NH, BODY, NOW - 301), PX_E_BAD_SIGNATURE);
	assert_int_equal(check(s.buf, hdrs, NH, BODY, NOW + 299), 0);
	/* a missing signed header */
	assert_int_equal(check(s.buf, hdrs, 2, BODY, NOW), PX_E_BAD_SIGNATURE);
	/* a signature that leaves out the digest, the host or the date */
	static const char *const partial[] = {
		"(request-target) host date", "(request-target) date digest",
		"(request-target) host digest", "host date digest",
	};
	for (size_t i = 0; i < sizeof(partial) / sizeof(partial[0]); i++) {
		sb_reset(&s);
		assert_int_equal(httpsig_sign("POST", TARGET, hdrs, NH, partial[i], "k", sk, &s),
				 0);
		assert_int_equal(check(s.buf, hdrs, NH, BODY, NOW), PX_E_BAD_SIGNATURE);
	}
	/* another algorithm; a flipped signature byte */
	assert_int_equal(check("keyId=\"k\",algorithm=\"rsa-sha256\",headers=\"" LIST "\","
			       "signature=\"" SIG "\"", hdrs, NH, BODY, NOW), PX_E_BAD_SIGNATURE);
	assert_int_equal(check("keyId=\"k\",headers=\"" LIST "\",signature=\"" SIG "\"",
			       hdrs, NH, BODY, NOW), 0);
	char flipped[] = "keyId=\"k\",headers=\"" LIST "\",signature=\"" SIG "\"";
	char *at = strstr(flipped, "signature=\"") + 11;
	*at = *at == 'A' ? 'B' : 'A';
	assert_int_equal(check(flipped, hdrs, NH, BODY, NOW), PX_E_BAD_SIGNATURE);
	/* expired, and a date that is no HTTP date */
	assert_int_equal(check("keyId=\"k\",headers=\"" LIST "\",expires=1,signature=\"" SIG "\"",
			       hdrs, NH, BODY, NOW), PX_E_BAD_SIGNATURE);
	memcpy(other, hdrs, sizeof(other));
	other[1].value = "yesterday";
	assert_int_equal(check(s.buf, other, NH, BODY, NOW), PX_E_BAD_SIGNATURE);
	sb_release(&s);
}

static int check_rsa(const char *value, const char *pem, int64_t now)
{
	struct httpsig_params p;
	struct px_error err = { 0 };
	struct httpsig_key k = { NULL, pem };
	if (httpsig_parse(value, &p))
		return PX_E_BAD_INPUT;
	return httpsig_check_key(&p, "POST", TARGET, hdrs, NH, BODY, strlen(BODY), &k, now, 300,
				 &err);
}

static void test_httpsig_rsa_signs_and_checks_as_mastodon_does(void **state)
{
	(void)state;
	struct strbuf s;
	char want[1024];
	sb_init(&s, 0);
	assert_int_equal(httpsig_sign_rsa("POST", TARGET, hdrs, NH, LIST, "k", rsa_priv, &s), 0);
	snprintf(want, sizeof want, "keyId=\"k\",algorithm=\"rsa-sha256\",headers=\"%s\","
		 "signature=\"%s\"", LIST, rsa_sig);
	assert_string_equal(s.buf, want);
	assert_int_equal(check_rsa(s.buf, rsa_pub, NOW), 0);
	/* hs2019 and no algorithm are taken with an RSA key; ed25519 is not */
	snprintf(want, sizeof want, "keyId=\"k\",algorithm=\"hs2019\",headers=\"%s\","
		 "signature=\"%s\"", LIST, rsa_sig);
	assert_int_equal(check_rsa(want, rsa_pub, NOW), 0);
	snprintf(want, sizeof want, "keyId=\"k\",algorithm=\"ed25519\",headers=\"%s\","
		 "signature=\"%s\"", LIST, rsa_sig);
	assert_int_equal(check_rsa(want, rsa_pub, NOW), PX_E_BAD_SIGNATURE);
	/* a flipped byte, a stale date, another key (an Ed25519 one in PEM) */
	snprintf(want, sizeof want, "keyId=\"k\",headers=\"%s\",signature=\"%s\"", LIST,
		 rsa_sig);
	char *at = strstr(want, "signature=\"") + 11;
	*at = *at == 'A' ? 'B' : 'A';
	assert_int_equal(check_rsa(want, rsa_pub, NOW), PX_E_BAD_SIGNATURE);
	assert_int_equal(check_rsa(s.buf, rsa_pub, NOW + 301), PX_E_BAD_SIGNATURE);
	static const char ed_pem[] = "-----BEGIN PUBLIC KEY-----\n"
		"MCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
		"-----END PUBLIC KEY-----\n";
	assert_int_equal(check_rsa(s.buf, ed_pem, NOW), PX_E_BAD_SIGNATURE);
	assert_int_equal(rsa_pem_kind(ed_pem), PUBKEY_ED25519);
	assert_int_equal(rsa_pem_kind(rsa_pub), PUBKEY_RSA);
	assert_int_equal(rsa_pem_kind("not a key"), PUBKEY_NONE);
	/* the public key of the private one is the independent one */
	sb_reset(&s);
	assert_int_equal(rsa_public_pem(rsa_priv, &s), 0);
	assert_string_equal(s.buf, rsa_pub);
	sb_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_httpsig_digest_and_signature_match_an_independent_one),
		cmocka_unit_test(test_httpsig_parse_takes_the_drafts_forms),
		cmocka_unit_test(test_httpsig_refuses_what_does_not_verify),
		cmocka_unit_test(test_httpsig_rsa_signs_and_checks_as_mastodon_does),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
