/*
 * spec.h: declarative JSON body specs. A route that takes a body names a
 * struct body_spec: a list of fields (name, type, required, bounds) and,
 * for each, where in a handler-specific struct the value goes. The
 * dispatcher validates the body against the spec before any handler runs,
 * so a handler receives a filled struct and never looks at raw JSON.
 *
 * Rules, each refusal naming the field in err->field:
 *   - the body must be one JSON object (bad_json otherwise), with no
 *     duplicate keys;
 *   - a key the spec does not list is refused (unknown_field);
 *   - a required field that is absent or null is refused (missing_field);
 *     an optional field that is absent or null leaves its destination
 *     untouched (the zeroed struct: NULL, 0, false);
 *   - a value of the wrong JSON type is refused (bad_type); integers must
 *     be JSON integers (1.0 is not one);
 *   - strings: length in Unicode characters within [min, max]
 *     (out_of_range); enums: one of the listed values (bad_input);
 *     integers: value within [min, max] (out_of_range).
 *
 * Destinations by type:
 *   SPEC_STRING, SPEC_ENUM   const char *    (points into the parsed body)
 *   SPEC_INT                 int64_t
 *   SPEC_BOOL                int             (0 or 1)
 *   SPEC_OBJECT, SPEC_ARRAY  const json_t *  (borrowed from the parsed body;
 *                                            an array's length within [min, max])
 * The SPEC_* macros below check the destination's type at compile time.
 *
 * Lifetimes: pointers written into the struct, and err->field when it names
 * an unknown key, point into the parsed JSON value: they stay valid while
 * the caller holds that value.
 */
#ifndef PNYX_HTTP_SPEC_H
#define PNYX_HTTP_SPEC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/errors.h"

struct px_error;

enum spec_type {
	SPEC_STRING,
	SPEC_INT,
	SPEC_BOOL,
	SPEC_OBJECT,
	SPEC_ENUM,
	SPEC_ARRAY,
};

struct spec_field {
	const char *name;
	enum spec_type type;
	int required;
	int64_t min, max;          /* string length in characters, int value */
	const char *const *values; /* SPEC_ENUM: allowed values, NULL-ended */
	size_t offset;             /* destination in the handler's struct */
};

/* A route's body: its fields (ended by a row with name NULL) and the size
 * of the struct they fill. */
struct body_spec {
	const struct spec_field *fields;
	size_t size;
};

/* 0 * sizeof(a comparison of pointers): a compile-time error (distinct
 * pointer types) when the member's type is not the one the kind fills. */
#define SPEC_DEST_(st, m, type) \
	(offsetof(st, m) + 0 * sizeof(&((st *)0)->m == (type *)0))

#define SPEC_STR(st, m, req, lo, hi) \
	{ #m, SPEC_STRING, req, lo, hi, NULL, SPEC_DEST_(st, m, const char *) }
#define SPEC_INT(st, m, req, lo, hi) \
	{ #m, SPEC_INT, req, lo, hi, NULL, SPEC_DEST_(st, m, int64_t) }
#define SPEC_BOOL(st, m, req) \
	{ #m, SPEC_BOOL, req, 0, 0, NULL, SPEC_DEST_(st, m, int) }
#define SPEC_OBJ(st, m, req) \
	{ #m, SPEC_OBJECT, req, 0, 0, NULL, SPEC_DEST_(st, m, const json_t *) }
#define SPEC_ARR(st, m, req, lo, hi) \
	{ #m, SPEC_ARRAY, req, lo, hi, NULL, SPEC_DEST_(st, m, const json_t *) }
#define SPEC_ENUM(st, m, req, vals) \
	{ #m, SPEC_ENUM, req, 0, 0, vals, SPEC_DEST_(st, m, const char *) }
#define SPEC_END { NULL, SPEC_STRING, 0, 0, 0, NULL, 0 }

/* Validate the object body against fields, writing values into dest
 * (which the caller zeroed). Returns 0 or a PX_E_* code with err filled. */
int spec_validate(const struct spec_field *fields, const json_t *body,
		  void *dest, struct px_error *err) PX_MUST_CHECK;

/* Parse len bytes of JSON text (any bytes: NULs, invalid UTF-8 and deep
 * nesting are refused as bad_json) and validate it. Whenever the text
 * parsed, *root holds the value (a new reference the caller releases),
 * even when validation failed, since err->field may point into it; when
 * it did not parse, *root is NULL. */
int spec_parse(const struct spec_field *fields, const char *text, size_t len,
	       void *dest, json_t **root, struct px_error *err) PX_MUST_CHECK;

/* The name of a type as the API documents it ("string", "integer", ...). */
const char *spec_type_name(enum spec_type t);

/* The number of Unicode characters in a valid UTF-8 string. */
size_t spec_utf8_length(const char *s, size_t bytes);

#endif
