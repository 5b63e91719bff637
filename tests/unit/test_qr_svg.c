/* Unit tests for src/core/qr_svg.c: the image's size follows the QR
 * version, the finder patterns sit inside the quiet zone, the label is
 * escaped, and empty, too long and size-limited output are refused
 * without leaving half an image behind. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/qr_svg.h"

static void test_qr_svg_short_url_is_version_1_or_2_with_quiet_zone(void **state)
{
	(void)state;
	struct strbuf sb;
	struct px_error err = { 0 };
	sb_init(&sb, SB_DEFAULT_MAX);
	assert_int_equal(qr_svg("123456", NULL, &sb, &err), 0);
	/* Six bytes at level M fit version 1: 21 modules + 2 x 4 quiet. */
	assert_non_null(strstr(sb.buf, "viewBox=\"0 0 29 29\""));
	assert_true(strncmp(sb.buf, "<svg ", 5) == 0);
	/* The top row of the top-left finder pattern: 7 dark modules at (4, 4). */
	assert_non_null(strstr(sb.buf, "d=\"M4 4h7v1h-7z"));
	/* ... and of the top-right one, at x = 4 + 21 - 7. */
	assert_non_null(strstr(sb.buf, "M18 4h7v1h-7z"));
	assert_null(strstr(sb.buf, "<title>"));
	assert_true(sb.buf[sb.len - 1] == '\n');
	sb_release(&sb);
}

static void test_qr_svg_longer_text_takes_a_larger_version(void **state)
{
	(void)state;
	struct strbuf sb;
	struct px_error err = { 0 };
	sb_init(&sb, SB_DEFAULT_MAX);
	assert_int_equal(qr_svg("http://127.0.0.1:8080/meeting.html?id=12&code=123456",
				NULL, &sb, &err), 0);
	/* 51 bytes at level M: version 4, 33 modules + 8. */
	assert_non_null(strstr(sb.buf, "viewBox=\"0 0 41 41\""));
	sb_release(&sb);
}

static void test_qr_svg_is_deterministic(void **state)
{
	(void)state;
	struct strbuf a, b;
	sb_init(&a, SB_DEFAULT_MAX);
	sb_init(&b, SB_DEFAULT_MAX);
	assert_int_equal(qr_svg("same text", "t", &a, NULL), 0);
	assert_int_equal(qr_svg("same text", "t", &b, NULL), 0);
	assert_string_equal(a.buf, b.buf);
	sb_release(&a);
	sb_release(&b);
}

static void test_qr_svg_label_is_escaped(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, SB_DEFAULT_MAX);
	assert_int_equal(qr_svg("x", "<script>&\"", &sb, NULL), 0);
	assert_non_null(strstr(sb.buf, "<title>&lt;script&gt;&amp;&quot;</title>"));
	assert_null(strstr(sb.buf, "<script>"));
	sb_release(&sb);
}

static void test_qr_svg_empty_text_refused(void **state)
{
	(void)state;
	struct strbuf sb;
	struct px_error err = { 0 };
	sb_init(&sb, SB_DEFAULT_MAX);
	assert_int_equal(qr_svg("", NULL, &sb, &err), PX_E_BAD_INPUT);
	assert_int_equal(qr_svg(NULL, NULL, &sb, &err), PX_E_BAD_INPUT);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
}

static void test_qr_svg_too_long_text_refused(void **state)
{
	(void)state;
	static char big[QR_SVG_TEXT_MAX + 2];
	struct strbuf sb;
	struct px_error err = { 0 };
	memset(big, 'a', sizeof(big) - 1);
	sb_init(&sb, SB_DEFAULT_MAX);
	assert_int_equal(qr_svg(big, NULL, &sb, &err), PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "text");
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
}

static void test_qr_svg_output_limit_leaves_buffer_unchanged(void **state)
{
	(void)state;
	struct strbuf sb;
	struct px_error err = { 0 };
	sb_init(&sb, 200);
	assert_int_equal(sb_adds(&sb, "kept"), 0);
	assert_int_equal(qr_svg("123456", NULL, &sb, &err), PX_E_TOO_LARGE);
	assert_string_equal(sb.buf, "kept");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_svg_short_url_is_version_1_or_2_with_quiet_zone),
		cmocka_unit_test(test_qr_svg_longer_text_takes_a_larger_version),
		cmocka_unit_test(test_qr_svg_is_deterministic),
		cmocka_unit_test(test_qr_svg_label_is_escaped),
		cmocka_unit_test(test_qr_svg_empty_text_refused),
		cmocka_unit_test(test_qr_svg_too_long_text_refused),
		cmocka_unit_test(test_qr_svg_output_limit_leaves_buffer_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
