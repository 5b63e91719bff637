/* Unit tests for src/core/markdown.c: comments, laws and minutes are
 * written by people and shown to everyone, so what cmark renders must
 * never carry markup or script a writer put there: raw HTML (blocks and
 * inline) is dropped, and links or images to javascript:, vbscript:,
 * file: and non-image data: lose their address while keeping their
 * words. Ordinary Markdown still renders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/markdown.h"

static char *render(const char *md)
{
	char *html = markdown_html(md, strlen(md));
	assert_non_null(html);
	return html;
}

static void assert_lacks(const char *html, const char *what)
{
	if (strstr(html, what))
		fail_msg("\"%s\" found in: %s", what, html);
}

static void test_markdown_ordinary_text_renders(void **state)
{
	(void)state;
	char *h = render("We need **shade** and a *tap*.\n\n- one\n- two\n\n"
			 "[the plan](https://example.org/plan)");
	assert_non_null(strstr(h, "<strong>shade</strong>"));
	assert_non_null(strstr(h, "<em>tap</em>"));
	assert_non_null(strstr(h, "<li>one</li>"));
	assert_non_null(strstr(h, "<a href=\"https://example.org/plan\">the plan</a>"));
	free(h);
}

static void test_markdown_raw_html_block_and_inline_are_dropped(void **state)
{
	(void)state;
	char *h = render("<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)>"
			 " and <b onclick=\"x()\">bold</b>.\n\n<iframe src=\"https://evil\">"
			 "</iframe>");
	assert_lacks(h, "<script");
	assert_lacks(h, "<img");
	assert_lacks(h, "onerror");
	assert_lacks(h, "onclick");
	assert_lacks(h, "<iframe");
	assert_lacks(h, "<b ");
	assert_non_null(strstr(h, "raw HTML omitted"));
	free(h);
}

static void test_markdown_dangerous_links_lose_their_address(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"[click](javascript:alert(1))",
		"[click](JaVaScRiPt:alert(1))",
		"[click](vbscript:msgbox(1))",
		"[click](file:///etc/passwd)",
		"[click](data:text/html;base64,PHNjcmlwdD4=)",
		"<javascript:alert(1)>",
		"![pic](javascript:alert(1))",
		"[click][r]\n\n[r]: javascript:alert(1)",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char *h = render(inputs[i]);
		size_t addresses = 0;
		for (char *p = h; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		/* every address (href, src) is empty: the text may still say
		 * "javascript:", as words, which is inert */
		static const char *const attrs[] = { "href=\"", "src=\"" };
		for (size_t a = 0; a < 2; a++)
			for (const char *p = h; (p = strstr(p, attrs[a])); p++) {
				if (p[strlen(attrs[a])] != '"')
					fail_msg("an address is left in: %s", h);
				addresses++;
			}
		if (!addresses)
			fail_msg("no link or image left in: %s", h);
		free(h);
	}
	char *h = render("[click](javascript:alert(1))");
	assert_non_null(strstr(h, ">click</a>")); /* the words stay */
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_ordinary_text_renders),
		cmocka_unit_test(test_markdown_raw_html_block_and_inline_are_dropped),
		cmocka_unit_test(test_markdown_dangerous_links_lose_their_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
