/*
 * fuzz_httpsig.c: libFuzzer target for what a node reads from another:
 * a Signature header's value (src/core/httpsig.c) and a JSON activity's
 * canonical form (src/core/jcs.c).
 *
 * The input is any bytes. As a Signature header: whatever parses names a
 * key and a signature, and checking it against a fixed request and key
 * never verifies by accident (it was not signed by that key). As JSON:
 * whatever canonicalises must read back as the same value, and its
 * canonical form must be a fixed point (canonicalising it again gives the
 * same bytes). Any violated property aborts so the fuzzer reports it.
 *
 * Build with `make fuzz`; run: build/fuzz/fuzz_httpsig -max_total_time=60
 */
#include <jansson.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "core/jcs.h"
#include "core/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void signature(const char *s)
{
	struct httpsig_params p;
	if (httpsig_parse(s, &p))
		return;
	if (!p.key_id || !*p.key_id || !p.signature || !*p.signature || !p.headers)
		abort();
	static const struct httpsig_header hdrs[] = {
		{ "Host", "pnyx.example" },
		{ "Date", "Sun, 06 Dec 2026 12:00:00 GMT" },
	};
	unsigned char pk[32] = { 0 };
	unsigned char seed[32] = { 1 };
	unsigned char sk[64];
	crypto_sign_seed_keypair(pk, sk, seed);
	struct px_error err = { 0 };
	if (!httpsig_check(&p, "POST", "/inbox", hdrs, 2, NULL, 0, pk, 1796558400, 300, &err))
		abort();
}

static void canonical(const char *s, size_t size)
{
	json_error_t e;
	json_t *v = json_loadb(s, size, JSON_DECODE_ANY, &e);
	if (!v)
		return;
	struct strbuf a, b;
	sb_init(&a, 1 << 20);
	sb_init(&b, 1 << 20);
	if (!jcs_append(v, &a)) {
		json_t *back = json_loadb(a.buf, a.len, JSON_DECODE_ANY, &e);
		if (!back || !json_equal(back, v) || jcs_append(back, &b) ||
		    a.len != b.len || memcmp(a.buf, b.buf, a.len))
			abort();
		json_decref(back);
	}
	sb_release(&a);
	sb_release(&b);
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sodium_init() < 0)
		abort();
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	signature(s);
	canonical(s, size);
	free(s);
	return 0;
}
