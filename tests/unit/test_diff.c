/* Unit tests for src/core/diff.c: minimal line edits, every edge (empty
 * texts, no final newline, identical, all different), and a check that
 * applying the script to the old text always gives the new one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/diff.h"

/* Render as "=line", "-line", "+line" joined by '|'. */
static void render(const struct diff *d, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const char *sign = d->lines[i].op == DIFF_SAME ? "=" :
				   d->lines[i].op == DIFF_DEL ? "-" : "+";
		o += (size_t)snprintf(out + o, cap - o, "%s%s%.*s", i ? "|" : "", sign,
				      (int)d->lines[i].len, d->lines[i].text);
	}
}

static void check(const char *a, const char *b, const char *want, size_t edits)
{
	struct diff d;
	char got[512];
	assert_int_equal(diff_lines(a, b, &d), 0);
	render(&d, got, sizeof(got));
	assert_string_equal(got, want);
	assert_int_equal(d.added + d.deleted, edits);
	diff_release(&d);
}

static void test_diff_identical_texts_have_no_edits(void **state)
{
	(void)state;
	check("a\nb\n", "a\nb\n", "=a|=b", 0);
	check("", "", "", 0);
}

static void test_diff_one_line_changed(void **state)
{
	(void)state;
	check("a\nb\nc\n", "a\nB\nc\n", "=a|-b|+B|=c", 2);
}

static void test_diff_insert_and_delete_at_ends(void **state)
{
	(void)state;
	check("b\nc\n", "a\nb\nc\nd\n", "+a|=b|=c|+d", 2);
	check("a\nb\nc\n", "b\n", "-a|=b|-c", 2);
	check("", "x\n", "+x", 1);
	check("x\n", "", "-x", 1);
}

static void test_diff_missing_final_newline_is_same_line(void **state)
{
	(void)state;
	check("a\nb", "a\nb\n", "=a|=b", 0);
}

static void test_diff_is_minimal_on_classic_example(void **state)
{
	(void)state;
	/* Myers' paper: ABCABBA -> CBABAC needs 5 edits */
	struct diff d;
	assert_int_equal(diff_lines("A\nB\nC\nA\nB\nB\nA\n", "C\nB\nA\nB\nA\nC\n", &d), 0);
	assert_int_equal(d.added + d.deleted, 5);
	diff_release(&d);
}

static void test_diff_script_rebuilds_new_text(void **state)
{
	(void)state;
	const char *pairs[][2] = {
		{ "1\n2\n3\n4\n5\n6\n", "0\n2\n3\n5\n6\n7\n" },
		{ "x\nx\nx\n", "x\ny\nx\n" },
		{ "a\nb\n", "c\nd\n" },
	};
	for (size_t p = 0; p < 3; p++) {
		struct diff d;
		char rebuilt[256] = "", old[256] = "";
		assert_int_equal(diff_lines(pairs[p][0], pairs[p][1], &d), 0);
		for (size_t i = 0; i < d.n; i++) {
			char line[64];
			snprintf(line, sizeof(line), "%.*s\n", (int)d.lines[i].len, d.lines[i].text);
			if (d.lines[i].op != DIFF_DEL)
				strncat(rebuilt, line, sizeof(rebuilt) - strlen(rebuilt) - 1);
			if (d.lines[i].op != DIFF_ADD)
				strncat(old, line, sizeof(old) - strlen(old) - 1);
		}
		assert_string_equal(rebuilt, pairs[p][1]);
		assert_string_equal(old, pairs[p][0]);
		diff_release(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_identical_texts_have_no_edits),
		cmocka_unit_test(test_diff_one_line_changed),
		cmocka_unit_test(test_diff_insert_and_delete_at_ends),
		cmocka_unit_test(test_diff_missing_final_newline_is_same_line),
		cmocka_unit_test(test_diff_is_minimal_on_classic_example),
		cmocka_unit_test(test_diff_script_rebuilds_new_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
