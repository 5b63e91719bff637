/* Unit tests for the pure parts of src/gov/nodes/federate.c: the origin
 * of an address (what a signing node may speak for), and the Ed25519 key
 * of a PEM SubjectPublicKeyInfo (RFC 8410) as actor documents give it.
 * The PEM below was written by python3-cryptography for the key whose 32
 * bytes are 0x00..0x1f, not by pnyx. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "gov/nodes/nodes.h"

static void origins(void **state)
{
	(void)state;
	char o[NODES_ORIGIN_MAX];
	assert_int_equal(nodes_origin("https://b.example/bodies/coast", o), 0);
	assert_string_equal(o, "https://b.example");
	assert_int_equal(nodes_origin("http://127.0.0.1:8080/bodies/x#main-key", o), 0);
	assert_string_equal(o, "http://127.0.0.1:8080");
	assert_int_equal(nodes_origin("https://b.example", o), 0);
	assert_string_equal(o, "https://b.example");
	assert_int_equal(nodes_origin("https://b.example?x", o), 0);
	assert_string_equal(o, "https://b.example");
	/* not an address pnyx sends to or takes a key from */
	assert_int_equal(nodes_origin("ftp://b.example/x", o), -1);
	assert_int_equal(nodes_origin("https:///bodies/x", o), -1);
	assert_int_equal(nodes_origin("https://user@b.example/x", o), -1);
	assert_int_equal(nodes_origin("https://b.example/a b", o), -1);
	assert_int_equal(nodes_origin("b.example/bodies/x", o), -1);
	assert_int_equal(nodes_origin(NULL, o), -1);
	char longer[NODES_ORIGIN_MAX + 20] = "https://";
	memset(longer + 8, 'a', NODES_ORIGIN_MAX);
	longer[NODES_ORIGIN_MAX + 8] = '\0';
	assert_int_equal(nodes_origin(longer, o), -1);
}

static void pem_keys(void **state)
{
	(void)state;
	static const char pem[] =
		"-----BEGIN PUBLIC KEY-----\n"
		"MCowBQYDK2VwAyEAAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		"-----END PUBLIC KEY-----\n";
	unsigned char pk[32], want[32];
	for (int i = 0; i < 32; i++)
		want[i] = (unsigned char)i;
	assert_int_equal(nodes_pem_key(pem, pk), 0);
	assert_memory_equal(pk, want, 32);
	/* another algorithm's identifier, a truncated body, no armour: no key */
	static const char rsa[] =
		"-----BEGIN PUBLIC KEY-----\n"
		"MCowBQYDK2VxAyEAAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		"-----END PUBLIC KEY-----\n";
	assert_int_equal(nodes_pem_key(rsa, pk), -1); /* OID 1.3.101.113 */
	assert_int_equal(nodes_pem_key("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2Vw\n"
				       "-----END PUBLIC KEY-----\n", pk), -1);
	assert_int_equal(nodes_pem_key("MCowBQYDK2VwAyEA", pk), -1);
	assert_int_equal(nodes_pem_key(NULL, pk), -1);
}

/* A Multikey (FEP-521a) and its key, made by the test's own base58 in
 * Python from a key python3-cryptography made. */
static const char mk_text[] = "z6Mkrsf6hwvPEgEVyYkzyz8UWusdfsoecDy6P7xAWPWyU6vr";
static const char mk_hex[] = "b88c3fdc37f101e4f18bf9f407ba1a69cd59d990c090d758805ae53623992fbf";

static void multikeys(void **state)
{
	(void)state;
	unsigned char pk[32];
	char hex[65];
	json_t *doc = json_pack("{s:[{s:s, s:s}]}", "assertionMethod", "type", "Multikey",
				"publicKeyMultibase", mk_text);
	assert_int_equal(nodes_actor_ed25519(doc, pk), 0);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", pk[i]);
	assert_string_equal(hex, mk_hex);
	/* one changed letter, another prefix, not base58: no key */
	char bad[80];
	snprintf(bad, sizeof bad, "%s", mk_text);
	bad[10] = bad[10] == 'a' ? 'b' : 'a';
	json_t *k = json_array_get(json_object_get(doc, "assertionMethod"), 0);
	json_object_set_new(k, "publicKeyMultibase", json_string(bad));
	unsigned char other[32];
	int got = nodes_actor_ed25519(doc, other);
	assert_true(got == -1 || memcmp(other, pk, 32) != 0);
	json_object_set_new(k, "publicKeyMultibase", json_string("z0OIl"));
	assert_int_equal(nodes_actor_ed25519(doc, pk), -1);
	json_object_set_new(k, "publicKeyMultibase", json_string("uAAAA"));
	assert_int_equal(nodes_actor_ed25519(doc, pk), -1);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(origins),
		cmocka_unit_test(pem_keys),
		cmocka_unit_test(multikeys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
