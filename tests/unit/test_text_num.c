/* Unit tests for src/core/text.c (UTF-8 checks) and src/core/num.c
 * (whole-string number parsing). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/errors.h"
#include "core/num.h"
#include "core/text.h"

static void test_text_counts_code_points_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_chars("abc"), 3);
	assert_int_equal(text_utf8_chars("Jo\xc3\xa3o"), 4);       /* João */
	assert_int_equal(text_utf8_chars("\xf0\x9f\x8c\xbb"), 1);  /* U+1F33B */
	assert_int_equal(text_utf8_chars(""), 0);
}

static void test_text_rejects_invalid_utf8(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_chars("\xc0\xaf"), -1);         /* overlong */
	assert_int_equal(text_utf8_chars("\xed\xa0\x80"), -1);     /* surrogate */
	assert_int_equal(text_utf8_chars("\xf4\x90\x80\x80"), -1); /* > U+10FFFF */
	assert_int_equal(text_utf8_chars("\xe2\x82"), -1);         /* truncated */
	assert_int_equal(text_utf8_chars("\xff"), -1);
	assert_int_equal(text_check_line("\xc3", 1, 10), PX_E_BAD_INPUT);
}

static void test_text_line_refuses_controls_block_allows_newlines(void **state)
{
	(void)state;
	assert_int_equal(text_check_line("a\nb", 1, 10), PX_E_BAD_INPUT);
	assert_int_equal(text_check_line("a\x7f", 1, 10), PX_E_BAD_INPUT);
	assert_int_equal(text_check_block("a\nb\tc", 1, 10), 0);
	assert_int_equal(text_check_block("a\x01", 1, 10), PX_E_BAD_INPUT);
}

static void test_text_length_bounds_exact(void **state)
{
	(void)state;
	assert_int_equal(text_check_line("abc", 3, 3), 0);
	assert_int_equal(text_check_line("ab", 3, 5), PX_E_OUT_OF_RANGE);
	assert_int_equal(text_check_line("abcdef", 3, 5), PX_E_OUT_OF_RANGE);
	assert_int_equal(text_check_line("", 1, 5), PX_E_OUT_OF_RANGE);
}

static void test_num_whole_string_only(void **state)
{
	(void)state;
	int64_t v;
	uint64_t u;
	assert_int_equal(num_parse_i64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(num_parse_i64("-7", -10, 10, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(num_parse_i64(" 4", 0, 100, &v), PX_E_BAD_INPUT);
	assert_int_equal(num_parse_i64("4x", 0, 100, &v), PX_E_BAD_INPUT);
	assert_int_equal(num_parse_i64("", 0, 100, &v), PX_E_BAD_INPUT);
	assert_int_equal(num_parse_i64("101", 0, 100, &v), PX_E_OUT_OF_RANGE);
	assert_int_equal(num_parse_i64("99999999999999999999", 0, INT64_MAX, &v),
			 PX_E_OUT_OF_RANGE);
	assert_int_equal(num_parse_u64("-1", 10, &u), PX_E_BAD_INPUT);
	assert_int_equal(num_parse_u64("10", 10, &u), 0);
	assert_int_equal(u, 10);
}

static void test_num_fraction(void **state)
{
	(void)state;
	int64_t n, d;
	assert_int_equal(num_parse_fraction("2/3", &n, &d), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d, 3);
	assert_int_equal(num_parse_fraction("1", &n, &d), 0);
	assert_int_equal(n * 1, d);
	assert_int_equal(num_parse_fraction("4/3", &n, &d), PX_E_OUT_OF_RANGE);
	assert_int_equal(num_parse_fraction("1/0", &n, &d), PX_E_OUT_OF_RANGE);
	assert_int_equal(num_parse_fraction("/3", &n, &d), PX_E_BAD_INPUT);
	assert_int_equal(num_parse_fraction("a/b", &n, &d), PX_E_BAD_INPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_counts_code_points_not_bytes),
		cmocka_unit_test(test_text_rejects_invalid_utf8),
		cmocka_unit_test(test_text_line_refuses_controls_block_allows_newlines),
		cmocka_unit_test(test_text_length_bounds_exact),
		cmocka_unit_test(test_num_whole_string_only),
		cmocka_unit_test(test_num_fraction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
