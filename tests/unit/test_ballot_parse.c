/* Unit tests for src/core/ballot_parse.c and src/core/ballots.c: every
 * format's grammar, its extensions, its refusals with the line number, and
 * the merging of identical ballots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/ballot_parse.h"

static int parse(int fmt, const char *text, struct ballot_set *bs,
		 size_t *line, struct px_error *err)
{
	memset(err, 0, sizeof(*err));
	return ballot_parse_buffer(fmt, text, strlen(text), bs, line, err);
}

static void expect_error(int fmt, const char *text, size_t want_line,
			 const char *want)
{
	struct ballot_set bs;
	struct px_error err;
	size_t line = 0;
	assert_int_equal(parse(fmt, text, &bs, &line, &err),
			 PX_E_BALLOT_SYNTAX);
	assert_int_equal(line, want_line);
	if (!strstr(err.detail, want))
		fail_msg("detail '%s' lacks '%s'", err.detail, want);
}

static const char soi[] =
	"# TITLE: Test\n"
	"# NUMBER ALTERNATIVES: 3\n"
	"# ALTERNATIVE NAME 1: Ann\n"
	"# ALTERNATIVE NAME 2: Bob\n"
	"# ALTERNATIVE NAME 3: Cy\n"
	"5: 1,2\n"
	"3: 3\n"
	"2: 1,2\n";

static void test_soi_names_counts_and_merges_identical_ballots(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	(void)state;
	assert_int_equal(parse(BALLOT_SOI, soi, &bs, NULL, &err), 0);
	assert_int_equal(bs.ncand, 3);
	assert_string_equal(bs.names[1], "Bob");
	assert_string_equal(bs.title, "Test");
	assert_int_equal(bs.n, 2);          /* "1,2" merged */
	assert_int_equal(bs.weight[0], 7);
	assert_int_equal(bs.total, 10);
	assert_int_equal(bs.off[1] - bs.off[0], 2);
	assert_int_equal(bs.cand[0], 0);
	assert_int_equal(bs.level[1], 1);
	assert_false(bs.has_ties);
	ballots_release(&bs);
}

static void test_feeding_one_byte_at_a_time_gives_the_same_set(void **state)
{
	struct ballot_parser *p;
	struct ballot_set bs;
	struct px_error err = { 0 };
	(void)state;
	assert_int_equal(ballot_parser_new(BALLOT_SOI, &p), 0);
	for (size_t i = 0; soi[i]; i++)
		assert_int_equal(ballot_parser_feed(p, soi + i, 1, &err), 0);
	assert_int_equal(ballot_parser_finish(p, &bs, &err), 0);
	ballot_parser_free(p);
	assert_int_equal(bs.n, 2);
	assert_int_equal(bs.total, 10);
	ballots_release(&bs);
}

static void test_last_line_without_newline_is_read(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	(void)state;
	assert_int_equal(parse(BALLOT_SOI, "# NUMBER ALTERNATIVES: 2\n4: 2,1",
			       &bs, NULL, &err), 0);
	assert_int_equal(bs.total, 4);
	ballots_release(&bs);
}

static void test_toi_braces_rank_equally(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	(void)state;
	assert_int_equal(parse(BALLOT_TOI, "# NUMBER ALTERNATIVES: 4\n"
			       "2: 3,{1, 2}\n", &bs, NULL, &err), 0);
	assert_true(bs.has_ties);
	assert_int_equal(bs.level[0], 0);
	assert_int_equal(bs.level[1], 1);
	assert_int_equal(bs.level[2], 1);
	ballots_release(&bs);
}

static void test_preflib_refusals_name_the_line(void **state)
{
	(void)state;
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n1: 1\n1: {1,2}\n",
		     3, "not allowed in .soi");
	expect_error(BALLOT_SOC, "# NUMBER ALTERNATIVES: 3\n1: 1,2\n", 2,
		     "must rank all 3");
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n1: 1,4\n", 2,
		     "not between 1 and 3");
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n1: 1,2,1\n", 2,
		     "ranked twice");
	expect_error(BALLOT_SOI, "1: 1,2\n", 1, "NUMBER ALTERNATIVES");
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n1: 1,\n", 2,
		     "trailing");
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\nx: 1\n", 2,
		     "expected 'count");
	expect_error(BALLOT_TOI, "# NUMBER ALTERNATIVES: 3\n1: {1,2\n", 2,
		     "expected ',' or '}'");
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n"
		     "99999999999999999999: 1\n", 2, "too large");
	expect_error(BALLOT_SOI, "# NUMBER ALTERNATIVES: 3\n"
		     "# ALTERNATIVE NAME 2: \xff\xfe\n", 2, "UTF-8");
}

static const char blt[] =
	"4 2\n"
	"-4\n"
	"[nick a b c d]\n"
	"[tie c b a d]\n"
	"3 a b 0\n"
	"2 b=c a 0\n"
	"(x7) 1 2 0\n"
	"0\n"
	"\"Apple\"\n"
	"\"Banana\" \"Cherry\"\n"
	"\"Date\"\n"
	"\"Fruit vote\"\n";

static void test_blt_extensions_withdrawn_nick_tie_equal_and_title(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	(void)state;
	assert_int_equal(parse(BALLOT_BLT, blt, &bs, NULL, &err), 0);
	assert_int_equal(bs.ncand, 4);
	assert_int_equal(bs.seats, 2);
	assert_true(bs.withdrawn[3]);
	assert_false(bs.withdrawn[0]);
	assert_int_equal(bs.ntie, 4);
	assert_int_equal(bs.tie_order[0], 2);
	assert_string_equal(bs.names[2], "Cherry");
	assert_string_equal(bs.title, "Fruit vote");
	assert_int_equal(bs.n, 3);
	assert_int_equal(bs.total, 6);
	assert_true(bs.has_ties);
	ballots_release(&bs);
}

static void test_blt_refusals_name_the_line(void **state)
{
	(void)state;
	expect_error(BALLOT_BLT, "x\n", 1, "candidates seats");
	expect_error(BALLOT_BLT, "2 3\n", 1, "seats must be");
	expect_error(BALLOT_BLT, "2 1\n1 1 2\n", 2, "must end with 0");
	expect_error(BALLOT_BLT, "2 1\n1 1 3 0\n", 2, "not between");
	expect_error(BALLOT_BLT, "2 1\n1 zz 0\n", 2, "unknown candidate");
	expect_error(BALLOT_BLT, "2 1\n1 1= 0\n", 2, "'=' must join");
	expect_error(BALLOT_BLT, "2 1\n1 1 0 2\n", 2, "after the closing 0");
	expect_error(BALLOT_BLT, "2 1\n1 1 0\n[nick a b]\n", 3,
		     "before the ballots");
	expect_error(BALLOT_BLT, "2 1\n[nick a]\n", 2, "names 1 of 2");
	expect_error(BALLOT_BLT, "2 1\n[frob]\n", 2, "unknown directive");
	expect_error(BALLOT_BLT, "2 1\n1 1 0\n0\n\"A\"\n", 4,
		     "expected 2 candidate names");
	expect_error(BALLOT_BLT, "2 1\n1 1 0\n0\n\"A\"\n\"B\"\n\"T\"\n\"X\"\n",
		     7, "after the title");
	expect_error(BALLOT_BLT, "2 1\n1 1 0\n", 2, "missing the 0 line");
	expect_error(BALLOT_BLT, "2 1\n1 1 0\n0\n\"A\n", 4, "unterminated");
}

static const char debian[] =
	"# OPTION 1: Yes\n"
	"# OPTION 2: Other\n"
	"# OPTION 3: Further discussion\n"
	"# DEFAULT OPTION: 3\n"
	"# SUPERMAJORITY 3:1 OPTIONS: 1\n"
	"# QUORUM R: 44.5\n"
	"# RULES: v1.6-1.7 constitution A.6\n"
	"V: 213\n"
	"V: 1-1   trailing-token-ignored\n"
	"V: ---\n";

static void test_debian_headers_and_digit_ranks(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	(void)state;
	assert_int_equal(parse(BALLOT_DEBIAN, debian, &bs, NULL, &err), 0);
	assert_int_equal(bs.ncand, 3);
	assert_string_equal(bs.names[2], "Further discussion");
	assert_int_equal(bs.meta.default_option, 3);
	assert_int_equal(bs.meta.nmajority, 1);
	assert_int_equal(bs.meta.majority[0].option, 0);
	assert_int_equal(bs.meta.majority[0].ratio, 3);
	assert_string_equal(bs.meta.quorum, "44.5");
	assert_int_equal(bs.meta.rules, 16);
	/* "213": option 2 first, then 1, then 3. */
	assert_int_equal(bs.cand[0], 1);
	assert_int_equal(bs.cand[1], 0);
	assert_int_equal(bs.cand[2], 2);
	/* "1-1": options 1 and 3 equal, 2 unranked. */
	assert_int_equal(bs.off[2] - bs.off[1], 2);
	assert_int_equal(bs.level[bs.off[1]], bs.level[bs.off[1] + 1]);
	assert_int_equal(bs.empty, 1);      /* "---" ranks nobody */
	ballots_release(&bs);
}

static void test_debian_refusals_name_the_line(void **state)
{
	(void)state;
	expect_error(BALLOT_DEBIAN, "V: 12\nV: 123\n", 2, "has 3 options");
	expect_error(BALLOT_DEBIAN, "V: 1x\n", 1, "rank 'x'");
	expect_error(BALLOT_DEBIAN, "hello\n", 1, "V: ");
	expect_error(BALLOT_DEBIAN, "# DEFAULT OPTION: 5\nV: 12\n", 2,
		     "default option 5");
}

static void test_debian_unknown_quorum_means_none(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	(void)state;
	assert_int_equal(parse(BALLOT_DEBIAN, "# QUORUM R: unknown\nV: 12\n",
			       &bs, NULL, &err), 0);
	assert_string_equal(bs.meta.quorum, "");
	ballots_release(&bs);
}

static void test_nul_byte_and_overlong_line_are_refused(void **state)
{
	struct ballot_set bs;
	struct px_error err;
	size_t line;
	char *big = malloc(BALLOT_MAX_LINE + 10);
	(void)state;
	assert_int_equal(ballot_parse_buffer(BALLOT_DEBIAN, "V: 1\0\n", 6, &bs,
					     &line, &err), PX_E_BALLOT_SYNTAX);
	assert_non_null(strstr(err.detail, "NUL"));
	memset(big, '1', BALLOT_MAX_LINE + 10);
	assert_int_equal(ballot_parse_buffer(BALLOT_DEBIAN, big,
					     BALLOT_MAX_LINE + 10, &bs, &line,
					     &err), PX_E_BALLOT_SYNTAX);
	assert_non_null(strstr(err.detail, "longer than"));
	free(big);
}

static void test_format_guess_by_extension_then_content(void **state)
{
	(void)state;
	assert_int_equal(ballot_format_guess("x/a.soi", "", 0), BALLOT_SOI);
	assert_int_equal(ballot_format_guess("a.toc", "", 0), BALLOT_TOC);
	assert_int_equal(ballot_format_guess("a.blt", "", 0), BALLOT_BLT);
	assert_int_equal(ballot_format_guess("v.tally.txt", "", 0),
			 BALLOT_DEBIAN);
	assert_int_equal(ballot_format_guess("-", "# x\nV: 12\n", 10),
			 BALLOT_DEBIAN);
	assert_int_equal(ballot_format_guess("-", "hello\n", 6), -1);
	assert_int_equal(ballot_format_by_name("toi"), BALLOT_TOI);
	assert_int_equal(ballot_format_by_name("nope"), -1);
}

static void test_empty_input_is_refused(void **state)
{
	(void)state;
	expect_error(BALLOT_BLT, "", 0, "no candidates");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_soi_names_counts_and_merges_identical_ballots),
		cmocka_unit_test(test_feeding_one_byte_at_a_time_gives_the_same_set),
		cmocka_unit_test(test_last_line_without_newline_is_read),
		cmocka_unit_test(test_toi_braces_rank_equally),
		cmocka_unit_test(test_preflib_refusals_name_the_line),
		cmocka_unit_test(test_blt_extensions_withdrawn_nick_tie_equal_and_title),
		cmocka_unit_test(test_blt_refusals_name_the_line),
		cmocka_unit_test(test_debian_headers_and_digit_ranks),
		cmocka_unit_test(test_debian_refusals_name_the_line),
		cmocka_unit_test(test_debian_unknown_quorum_means_none),
		cmocka_unit_test(test_nul_byte_and_overlong_line_are_refused),
		cmocka_unit_test(test_format_guess_by_extension_then_content),
		cmocka_unit_test(test_empty_input_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
