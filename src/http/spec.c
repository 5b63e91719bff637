/*
 * spec.c: validation of JSON bodies against declarative field specs (see
 * spec.h for the rules). This is the one place where request bodies are
 * checked for shape; the domain layer then checks meaning (a handle's
 * alphabet, whether a community exists).
 *
 * Invariant: on failure nothing is promised about dest (the dispatcher
 * discards it); on success every listed field present in the body has been
 * written and checked.
 */
#include <stdint.h>
#include <string.h>

#include "core/errors.h"
#include "spec.h"
#include "banned.h"

const char *spec_type_name(enum spec_type t)
{
	static const char *const names[] = {
		[SPEC_STRING] = "string",
		[SPEC_INT] = "integer",
		[SPEC_BOOL] = "boolean",
		[SPEC_OBJECT] = "object",
		[SPEC_ENUM] = "string",
		[SPEC_ARRAY] = "array",
	};
	if ((size_t)t >= sizeof(names) / sizeof(names[0]))
		return "value";
	return names[t];
}

size_t spec_utf8_length(const char *s, size_t bytes)
{
	size_t n = 0;
	for (size_t i = 0; i < bytes; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static const struct spec_field *find_field(const struct spec_field *fields,
					   const char *name)
{
	for (const struct spec_field *f = fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

static int check_string(const struct spec_field *f, const json_t *v,
			struct px_error *err)
{
	size_t chars = spec_utf8_length(json_string_value(v),
					json_string_length(v));
	if ((int64_t)chars < f->min || (int64_t)chars > f->max) {
		if (chars == 0)
			return px_fail(err, PX_E_OUT_OF_RANGE, f->name, "%s is required",
				       f->name);
		if (f->min == f->max)
			return px_fail(err, PX_E_OUT_OF_RANGE, f->name,
				       "%s must be %lld characters long", f->name,
				       (long long)f->min);
		return px_fail(err, PX_E_OUT_OF_RANGE, f->name,
			       "%s must be %lld to %lld characters long",
			       f->name, (long long)f->min, (long long)f->max);
	}
	return 0;
}

static int check_enum(const struct spec_field *f, const json_t *v,
		      struct px_error *err)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	for (const char *const *p = f->values; p && *p; p++)
		if (strlen(*p) == len && !memcmp(*p, s, len))
			return 0;
	/* Name the allowed values, as many as fit in the detail. */
	char list[120];
	size_t used = 0;
	list[0] = '\0';
	for (const char *const *p = f->values; p && *p; p++) {
		size_t l = strlen(*p);
		if (used + l + 5 >= sizeof(list))
			break;
		if (used) {
			memcpy(list + used, ", ", 2);
			used += 2;
		}
		list[used++] = '"';
		memcpy(list + used, *p, l);
		used += l;
		list[used++] = '"';
		list[used] = '\0';
	}
	return px_fail(err, PX_E_BAD_INPUT, f->name, "%s must be one of %s",
		       f->name, list);
}

static int store_value(const struct spec_field *f, const json_t *v,
		       void *dest, struct px_error *err)
{
	char *d = (char *)dest + f->offset;
	int rc;
	switch (f->type) {
	case SPEC_STRING:
	case SPEC_ENUM: {
		if (!json_is_string(v))
			break;
		rc = f->type == SPEC_STRING ? check_string(f, v, err)
					    : check_enum(f, v, err);
		if (rc)
			return rc;
		const char *s = json_string_value(v);
		memcpy(d, &s, sizeof(s));
		return 0;
	}
	case SPEC_INT: {
		if (!json_is_integer(v))
			break;
		int64_t i = (int64_t)json_integer_value(v);
		if (i < f->min || i > f->max)
			return px_fail(err, PX_E_OUT_OF_RANGE, f->name,
				       "%s must be between %lld and %lld",
				       f->name, (long long)f->min,
				       (long long)f->max);
		memcpy(d, &i, sizeof(i));
		return 0;
	}
	case SPEC_BOOL: {
		if (!json_is_boolean(v))
			break;
		int b = json_is_true(v);
		memcpy(d, &b, sizeof(b));
		return 0;
	}
	case SPEC_OBJECT: {
		if (!json_is_object(v))
			break;
		const json_t *o = v;
		memcpy(d, &o, sizeof(o));
		return 0;
	}
	case SPEC_ARRAY: {
		if (!json_is_array(v))
			break;
		size_t n = json_array_size(v);
		if ((int64_t)n < f->min || (int64_t)n > f->max)
			return px_fail(err, PX_E_OUT_OF_RANGE, f->name,
				       "%s must have %lld to %lld items", f->name,
				       (long long)f->min, (long long)f->max);
		const json_t *o = v;
		memcpy(d, &o, sizeof(o));
		return 0;
	}
	}
	return px_fail(err, PX_E_BAD_TYPE, f->name, "%s must be a %s", f->name,
		       spec_type_name(f->type));
}

int spec_validate(const struct spec_field *fields, const json_t *body,
		  void *dest, struct px_error *err)
{
	if (!json_is_object(body))
		return px_fail(err, PX_E_BAD_JSON, NULL,
			       "the body must be a JSON object");
	/* Unknown keys first: a misspelt optional field must not pass
	 * silently as "absent". */
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		if (!find_field(fields, key))
			return px_fail(err, PX_E_UNKNOWN_FIELD, key,
				       "this route takes no field \"%.60s\"",
				       key);
	}
	for (const struct spec_field *f = fields; f->name; f++) {
		v = json_object_get(body, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				return px_fail(err, PX_E_MISSING_FIELD,
					       f->name, "%s is required",
					       f->name);
			continue;
		}
		int rc = store_value(f, v, dest, err);
		if (rc)
			return rc;
	}
	return 0;
}

int spec_parse(const struct spec_field *fields, const char *text, size_t len,
	       void *dest, json_t **root, struct px_error *err)
{
	*root = NULL;
	json_error_t jerr;
	/* Duplicate keys are refused: which one would count is a classic
	 * source of disagreement between a proxy and the server. */
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return px_fail(err, PX_E_BAD_JSON, NULL,
			       "the body is not valid JSON: %.100s at line %d "
			       "column %d", jerr.text, jerr.line, jerr.column);
	/* Returned even when validation fails: err->field may name an
	 * unknown key, which lives in j. */
	*root = j;
	return spec_validate(fields, j, dest, err);
}
