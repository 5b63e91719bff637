/* Unit tests for src/http/spec.c: declarative JSON body specs. Every
 * refusal must carry the right code and name the field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "http/spec.h"

struct in_t {
	const char *name;
	const char *nick;
	int64_t age;
	int ok;
	const json_t *opts;
	const char *color;
};

static const char *const colors[] = { "red", "green", NULL };

static const struct spec_field fields[] = {
	SPEC_STR(struct in_t, name, 1, 2, 5),
	SPEC_STR(struct in_t, nick, 0, 1, 3),
	SPEC_INT(struct in_t, age, 0, 0, 150),
	SPEC_BOOL(struct in_t, ok, 1),
	SPEC_OBJ(struct in_t, opts, 0),
	SPEC_ENUM(struct in_t, color, 0, colors),
	SPEC_END,
};

/* Parse text against fields; return the code, leave err for checks. */
static int run(const char *text, struct in_t *in, struct px_error *err)
{
	json_t *root = NULL;
	memset(in, 0, sizeof(*in));
	px_error_clear(err);
	int rc = spec_parse(fields, text, strlen(text), in, &root, err);
	/* Keep the field name valid for the caller's checks: copy it. */
	static char field[64];
	if (err->field) {
		snprintf(field, sizeof(field), "%s", err->field);
		err->field = field;
	}
	json_decref(root);
	return rc;
}

static void expect(const char *text, int code, const char *field)
{
	struct in_t in;
	struct px_error err;
	int rc = run(text, &in, &err);
	assert_int_equal(rc, code);
	assert_int_equal(err.code, code);
	if (field)
		assert_string_equal(err.field, field);
	else
		assert_null(err.field);
}

static void test_spec_accepts_full_body_and_fills_struct(void **state)
{
	(void)state;
	const char *text = "{\"name\":\"abc\",\"nick\":\"x\",\"age\":150,"
			   "\"ok\":true,\"opts\":{\"a\":1},\"color\":\"green\"}";
	struct in_t in;
	memset(&in, 0, sizeof(in));
	json_t *root = NULL;
	struct px_error err;
	px_error_clear(&err);
	assert_int_equal(spec_parse(fields, text, strlen(text), &in, &root,
				    &err), 0);
	assert_string_equal(in.name, "abc");
	assert_string_equal(in.nick, "x");
	assert_int_equal(in.age, 150);
	assert_int_equal(in.ok, 1);
	assert_non_null(in.opts);
	assert_int_equal(json_integer_value(json_object_get(in.opts, "a")), 1);
	assert_string_equal(in.color, "green");
	json_decref(root);
}

static void test_spec_optional_absent_or_null_leaves_zero(void **state)
{
	(void)state;
	struct in_t in;
	struct px_error err;
	assert_int_equal(run("{\"name\":\"ab\",\"ok\":false,\"nick\":null}",
			     &in, &err), 0);
	assert_null(in.nick);
	assert_int_equal(in.age, 0);
	assert_int_equal(in.ok, 0);
	assert_null(in.opts);
	assert_null(in.color);
}

static void test_spec_missing_required_names_field(void **state)
{
	(void)state;
	expect("{\"ok\":true}", PX_E_MISSING_FIELD, "name");
	expect("{\"name\":\"abc\"}", PX_E_MISSING_FIELD, "ok");
}

static void test_spec_null_required_is_missing(void **state)
{
	(void)state;
	expect("{\"name\":null,\"ok\":true}", PX_E_MISSING_FIELD, "name");
}

static void test_spec_wrong_type_names_field(void **state)
{
	(void)state;
	expect("{\"name\":5,\"ok\":true}", PX_E_BAD_TYPE, "name");
	expect("{\"name\":\"ab\",\"ok\":1}", PX_E_BAD_TYPE, "ok");
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":\"3\"}", PX_E_BAD_TYPE,
	       "age");
	expect("{\"name\":\"ab\",\"ok\":true,\"opts\":[]}", PX_E_BAD_TYPE,
	       "opts");
	expect("{\"name\":\"ab\",\"ok\":true,\"color\":1}", PX_E_BAD_TYPE,
	       "color");
}

static void test_spec_real_is_not_an_integer(void **state)
{
	(void)state;
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":1.0}", PX_E_BAD_TYPE,
	       "age");
}

static void test_spec_string_length_bounds_in_characters(void **state)
{
	(void)state;
	expect("{\"name\":\"a\",\"ok\":true}", PX_E_OUT_OF_RANGE, "name");
	expect("{\"name\":\"abcdef\",\"ok\":true}", PX_E_OUT_OF_RANGE, "name");
	expect("{\"name\":\"\",\"ok\":true}", PX_E_OUT_OF_RANGE, "name");
	/* Five characters of two bytes each: ten bytes, but five long. */
	expect("{\"name\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\","
	       "\"ok\":true}", 0, NULL);
	/* Escapes count as the character they stand for. */
	expect("{\"name\":\"\\u00e9\\u00e9\",\"ok\":true}", 0, NULL);
	/* A character outside the BMP, as a surrogate pair: one. */
	expect("{\"name\":\"a\\ud83d\\ude00\",\"ok\":true}", 0, NULL);
}

/* An empty required text is "required", not a length to work out (issue
 * 12: "must be 1 to 20000 characters long" for a field left empty). */
static void test_spec_empty_string_says_required(void **state)
{
	(void)state;
	struct in_t in;
	struct px_error err;
	assert_int_equal(run("{\"name\":\"\",\"ok\":true}", &in, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(px_error_message(&err), "name is required");
	assert_int_equal(run("{\"name\":\"a\",\"ok\":true}", &in, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(px_error_message(&err), "name must be 2 to 5 characters long");
}

static void test_spec_int_bounds_inclusive(void **state)
{
	(void)state;
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":0}", 0, NULL);
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":150}", 0, NULL);
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":-1}", PX_E_OUT_OF_RANGE,
	       "age");
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":151}", PX_E_OUT_OF_RANGE,
	       "age");
	expect("{\"name\":\"ab\",\"ok\":true,\"age\":99999999999999999999}",
	       PX_E_BAD_JSON, NULL);
}

static void test_spec_enum_refuses_other_values(void **state)
{
	(void)state;
	expect("{\"name\":\"ab\",\"ok\":true,\"color\":\"blue\"}",
	       PX_E_BAD_INPUT, "color");
	expect("{\"name\":\"ab\",\"ok\":true,\"color\":\"RED\"}",
	       PX_E_BAD_INPUT, "color");
	expect("{\"name\":\"ab\",\"ok\":true,\"color\":\"re\"}",
	       PX_E_BAD_INPUT, "color");
	expect("{\"name\":\"ab\",\"ok\":true,\"color\":\"red\"}", 0, NULL);
}

static void test_spec_unknown_field_named(void **state)
{
	(void)state;
	expect("{\"name\":\"ab\",\"ok\":true,\"admin\":true}",
	       PX_E_UNKNOWN_FIELD, "admin");
	/* Refused even when a required field is also missing: a misspelt
	 * field is the likelier mistake. */
	expect("{\"nmae\":\"ab\",\"ok\":true}", PX_E_UNKNOWN_FIELD, "nmae");
}

static void test_spec_body_must_be_object(void **state)
{
	(void)state;
	expect("[]", PX_E_BAD_JSON, NULL);
	expect("\"x\"", PX_E_BAD_JSON, NULL);
	expect("null", PX_E_BAD_JSON, NULL);
	expect("17", PX_E_BAD_JSON, NULL);
}

static void test_spec_malformed_json_refused(void **state)
{
	(void)state;
	expect("", PX_E_BAD_JSON, NULL);
	expect("{", PX_E_BAD_JSON, NULL);
	expect("{\"name\":\"ab\",\"ok\":true}x", PX_E_BAD_JSON, NULL);
	expect("{'name':'ab'}", PX_E_BAD_JSON, NULL);
}

static void test_spec_duplicate_key_refused(void **state)
{
	(void)state;
	expect("{\"name\":\"ab\",\"ok\":true,\"name\":\"cd\"}", PX_E_BAD_JSON,
	       NULL);
}

static void test_spec_nul_and_bad_utf8_refused(void **state)
{
	(void)state;
	expect("{\"name\":\"a\\u0000b\",\"ok\":true}", PX_E_BAD_JSON, NULL);
	expect("{\"name\":\"a\xff\",\"ok\":true}", PX_E_BAD_JSON, NULL);
	/* A NUL byte in the text itself. */
	struct in_t in;
	memset(&in, 0, sizeof(in));
	json_t *root = NULL;
	struct px_error err;
	static const char text[] = "{\"name\":\"ab\",\"ok\":true}\0";
	assert_int_equal(spec_parse(fields, text, sizeof(text) - 1, &in,
				    &root, &err), PX_E_BAD_JSON);
	assert_null(root);
}

static void test_spec_unknown_key_name_lives_in_root(void **state)
{
	(void)state;
	const char *text = "{\"zzz\":1}";
	struct in_t in;
	memset(&in, 0, sizeof(in));
	json_t *root = NULL;
	struct px_error err;
	assert_int_equal(spec_parse(fields, text, strlen(text), &in, &root,
				    &err), PX_E_UNKNOWN_FIELD);
	assert_non_null(root);
	assert_string_equal(err.field, "zzz");
	json_decref(root);
}

static void test_spec_empty_spec_takes_only_empty_object(void **state)
{
	(void)state;
	static const struct spec_field none[] = { SPEC_END };
	json_t *root = NULL;
	struct px_error err;
	assert_int_equal(spec_parse(none, "{}", 2, NULL, &root, &err), 0);
	json_decref(root);
	assert_int_equal(spec_parse(none, "{\"a\":1}", 7, NULL, &root, &err),
			 PX_E_UNKNOWN_FIELD);
	json_decref(root);
}

static void test_spec_validate_refuses_non_object_value(void **state)
{
	(void)state;
	struct in_t in;
	struct px_error err;
	json_t *arr = json_array();
	assert_int_equal(spec_validate(fields, arr, &in, &err),
			 PX_E_BAD_JSON);
	json_decref(arr);
}

static void test_spec_utf8_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(spec_utf8_length("", 0), 0);
	assert_int_equal(spec_utf8_length("abc", 3), 3);
	assert_int_equal(spec_utf8_length("\xc3\xa9", 2), 1);
	assert_int_equal(spec_utf8_length("\xe2\x82\xac", 3), 1);
	assert_int_equal(spec_utf8_length("\xf0\x9f\x98\x80x", 5), 2);
}

static void test_spec_type_names(void **state)
{
	(void)state;
	assert_string_equal(spec_type_name(SPEC_STRING), "string");
	assert_string_equal(spec_type_name(SPEC_INT), "integer");
	assert_string_equal(spec_type_name(SPEC_BOOL), "boolean");
	assert_string_equal(spec_type_name(SPEC_OBJECT), "object");
	assert_string_equal(spec_type_name(SPEC_ENUM), "string");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_accepts_full_body_and_fills_struct),
		cmocka_unit_test(test_spec_optional_absent_or_null_leaves_zero),
		cmocka_unit_test(test_spec_missing_required_names_field),
		cmocka_unit_test(test_spec_null_required_is_missing),
		cmocka_unit_test(test_spec_wrong_type_names_field),
		cmocka_unit_test(test_spec_real_is_not_an_integer),
		cmocka_unit_test(test_spec_string_length_bounds_in_characters),
		cmocka_unit_test(test_spec_empty_string_says_required),
		cmocka_unit_test(test_spec_int_bounds_inclusive),
		cmocka_unit_test(test_spec_enum_refuses_other_values),
		cmocka_unit_test(test_spec_unknown_field_named),
		cmocka_unit_test(test_spec_body_must_be_object),
		cmocka_unit_test(test_spec_malformed_json_refused),
		cmocka_unit_test(test_spec_duplicate_key_refused),
		cmocka_unit_test(test_spec_nul_and_bad_utf8_refused),
		cmocka_unit_test(test_spec_unknown_key_name_lives_in_root),
		cmocka_unit_test(test_spec_empty_spec_takes_only_empty_object),
		cmocka_unit_test(test_spec_validate_refuses_non_object_value),
		cmocka_unit_test(test_spec_utf8_length_counts_code_points),
		cmocka_unit_test(test_spec_type_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
