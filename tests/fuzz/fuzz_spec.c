/*
 * fuzz_spec.c: libFuzzer target for the JSON body validator
 * (src/http/spec.c), the parser every request body goes through.
 *
 * The first input byte picks a spec (a synthetic one with every field type,
 * or one of the server's real route specs); the rest is the body. Checks,
 * beyond the sanitizers': a refusal always names a registered code; an
 * acceptance fills every required field; strings written into the struct
 * respect their bounds.
 *
 * Seeds are in tests/fuzz/corpus_spec (first byte: the spec). libFuzzer
 * writes new inputs into its first corpus directory, so run it on a copy:
 *   make fuzz && cp -r tests/fuzz/corpus_spec /tmp/c &&
 *   build/fuzz/fuzz_spec /tmp/c -max_total_time=30 -max_len=4096
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "http/api.h"
#include "http/spec.h"

struct fz {
	const char *s;
	const char *opt;
	int64_t i;
	int b;
	const json_t *o;
	const char *e;
};

static const char *const vals[] = { "lives", "works", "", NULL };

static const struct spec_field fz_fields[] = {
	SPEC_STR(struct fz, s, 1, 1, 8),
	SPEC_STR(struct fz, opt, 0, 0, 3),
	SPEC_INT(struct fz, i, 0, -5, 5),
	SPEC_BOOL(struct fz, b, 0),
	SPEC_OBJ(struct fz, o, 0),
	SPEC_ENUM(struct fz, e, 0, vals),
	SPEC_END,
};
static const struct body_spec fz_spec = { fz_fields, sizeof(struct fz) };

static const struct body_spec *const specs[] = {
	&fz_spec,
	&spec_account_create,
	&spec_session_create,
	&spec_body_found,
	&spec_member_join,
};

static void check_accepted(const struct body_spec *spec, const void *dest)
{
	for (const struct spec_field *f = spec->fields; f->name; f++) {
		const char *d = (const char *)dest + f->offset;
		if (f->type == SPEC_STRING || f->type == SPEC_ENUM) {
			const char *s;
			memcpy(&s, d, sizeof(s));
			if (f->required && !s)
				abort();
			if (s && f->type == SPEC_STRING) {
				size_t n = spec_utf8_length(s, strlen(s));
				if ((int64_t)n < f->min || (int64_t)n > f->max)
					abort();
			}
		} else if (f->type == SPEC_OBJECT) {
			const json_t *o;
			memcpy(&o, d, sizeof(o));
			if (f->required && !json_is_object(o))
				abort();
		} else if (f->type == SPEC_INT) {
			int64_t v;
			memcpy(&v, d, sizeof(v));
			if (v != 0 && (v < f->min || v > f->max))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct body_spec *spec =
		specs[data[0] % (sizeof(specs) / sizeof(specs[0]))];
	void *dest = calloc(1, spec->size);
	if (!dest)
		return 0;
	json_t *root = NULL;
	struct px_error err;
	px_error_clear(&err);
	int rc = spec_parse(spec->fields, (const char *)data + 1, size - 1,
			    dest, &root, &err);
	if (rc) {
		if (rc != err.code || rc <= 0 || rc >= PX_E__COUNT)
			abort();
		if (err.field)
			(void)strlen(err.field); /* must be readable */
	} else {
		check_accepted(spec, dest);
	}
	json_decref(root);
	free(dest);
	return 0;
}
