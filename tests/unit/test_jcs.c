/* Unit tests for src/core/jcs.c: RFC 8785 canonical JSON. The sorting
 * case is the property names of RFC 8785, section 3.2.3 (names compared
 * as UTF-16 code units, so U+1F600 comes before U+FB33 although its code
 * point is greater). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "core/errors.h"
#include "core/jcs.h"
#include "core/strbuf.h"

static void expect(const char *json, const char *canonical)
{
	json_error_t e;
	json_t *v = json_loads(json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	assert_non_null(v);
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(jcs_append(v, &sb), 0);
	assert_string_equal(sb.buf, canonical);
	sb_release(&sb);
	json_decref(v);
}

static void refused(json_t *v)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(jcs_append(v, &sb), PX_E_BAD_INPUT);
	sb_release(&sb);
	json_decref(v);
}

static void test_jcs_sorts_names_as_utf16(void **state)
{
	(void)state;
	expect("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
	       " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
	       " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
	       " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
	       "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
	       "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	       "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	       "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
	/* a name that is a prefix of another comes first; nesting sorts too */
	expect("{\"ab\": 1, \"a\": {\"z\": [], \"y\": {}}}",
	       "{\"a\":{\"y\":{},\"z\":[]},\"ab\":1}");
}

static void test_jcs_writes_strings_as_ecmascript(void **state)
{
	(void)state;
	/* the short escapes, \u00xx in lower case for other controls, and
	 * everything else as it is: '/', DEL, U+2028, non-ASCII */
	expect("\"\\b\\t\\n\\f\\r\\u000f\\u001F \\\" \\\\ / \\u007f \\u2028 \\u00e9\"",
	       "\"\\b\\t\\n\\f\\r\\u000f\\u001f \\\" \\\\ / \x7f \xe2\x80\xa8 \xc3\xa9\"");
	expect("[true,false,null,\"\"]", "[true,false,null,\"\"]");
}

static void test_jcs_numbers_integers_only(void **state)
{
	(void)state;
	expect("[0, -1, 42, 9007199254740992, -9007199254740992]",
	       "[0,-1,42,9007199254740992,-9007199254740992]");
	refused(json_integer(9007199254740993LL));
	refused(json_real(1.5));
	refused(json_pack("{s:[f]}", "a", 0.1));
	/* an embedded NUL is not taken in a name or a value */
	refused(json_stringn("a\0b", 3));
}

static void test_jcs_bounded_by_the_buffer(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:s}", "name", "a value longer than ten bytes");
	struct strbuf sb;
	sb_init(&sb, 10);
	assert_int_equal(jcs_append(v, &sb), PX_E_TOO_LARGE);
	sb_release(&sb);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jcs_sorts_names_as_utf16),
		cmocka_unit_test(test_jcs_writes_strings_as_ecmascript),
		cmocka_unit_test(test_jcs_numbers_integers_only),
		cmocka_unit_test(test_jcs_bounded_by_the_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
