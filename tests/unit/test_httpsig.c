/* Unit tests for src/core/httpsig.c: HTTP signatures with Ed25519. The
 * expected digest and signature were computed independently, with
 * Python's hashlib and python3-cryptography's Ed25519, from the same
 * seed (bytes 0..31) and signing string. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "core/strbuf.h"

#define BODY "{\"type\":\"Follow\"}"
#define DIGEST "SHA-256=GYwYnH3BiO6aICFt0ThC5bUIJ4byvqdpWtR8m5fNkww="
#define SIG "f/qpNHVBClhWXUsknYyqoIY9ZCwiQGlbtBDJugAQehvE2Rm2RNLNvfu7r3PfRFsBPsP1zmD/" \
	"u5h06CZBTBazDQ=="
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_httpsig_digest_and_signature_match_an_independent_one),
		cmocka_unit_test(test_httpsig_parse_takes_the_drafts_forms),
		cmocka_unit_test(test_httpsig_refuses_what_does_not_verify),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
