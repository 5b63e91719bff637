/* Unit tests for src/core/strbuf.c: the bound is never passed and a failed
 * append leaves the buffer as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/strbuf.h"

static void test_strbuf_appends_and_formats(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb_adds(&sb, "ab"), 0);
	assert_int_equal(sb_addc(&sb, 'c'), 0);
	assert_int_equal(sb_addf(&sb, "-%d-", 42), 0);
	assert_string_equal(sb.buf, "abc-42-");
	assert_int_equal(sb.len, 7);
	sb_release(&sb);
	assert_string_equal(sb.buf, "");
}

static void test_strbuf_long_format_grows(void **state)
{
	(void)state;
	struct strbuf sb;
	char big[1000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sb_init(&sb, 0);
	assert_int_equal(sb_addf(&sb, "<%s>", big), 0);
	assert_int_equal(sb.len, 1001);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[1000], '>');
	sb_release(&sb);
}

static void test_strbuf_refuses_past_max_and_keeps_content(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 5);
	assert_int_equal(sb_adds(&sb, "abcd"), 0);
	assert_int_equal(sb_adds(&sb, "ef"), PX_E_TOO_LARGE);
	assert_string_equal(sb.buf, "abcd");
	assert_int_equal(sb_addc(&sb, 'e'), 0);
	assert_int_equal(sb_addc(&sb, 'f'), PX_E_TOO_LARGE);
	assert_int_equal(sb_addf(&sb, "%d", 1), PX_E_TOO_LARGE);
	assert_string_equal(sb.buf, "abcde");
	sb_release(&sb);
}

static void test_strbuf_html_escapes_every_special(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_int_equal(sb_add_html(&sb, "<a href=\"x\">'&'</a>"), 0);
	assert_string_equal(sb.buf,
			    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	sb_release(&sb);
}

static void test_strbuf_hex_and_detach(void **state)
{
	(void)state;
	struct strbuf sb;
	const unsigned char bytes[] = { 0x00, 0xab, 0xff };
	size_t len;
	sb_init(&sb, 0);
	assert_int_equal(sb_add_hex(&sb, bytes, 3), 0);
	char *s = sb_detach(&sb, &len);
	assert_string_equal(s, "00abff");
	assert_int_equal(len, 6);
	assert_string_equal(sb.buf, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf_appends_and_formats),
		cmocka_unit_test(test_strbuf_long_format_grows),
		cmocka_unit_test(test_strbuf_refuses_past_max_and_keeps_content),
		cmocka_unit_test(test_strbuf_html_escapes_every_special),
		cmocka_unit_test(test_strbuf_hex_and_detach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
