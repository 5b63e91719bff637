/* Unit tests for the word matching of barter and allotments
 * (src/gov/sharing/household.c, docs/sharing.md "Households, allotments
 * and barter"): the terms of membership match a class of goods, or a good
 * taken from the register, as whole words or their plural, case aside;
 * money is refused as a word or a sign, never as letters inside another
 * word (cashews are not cash). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/errors.h"
#include "gov/sharing/sharing_int.h"

static void test_whole_words_and_plurals(void **state)
{
	(void)state;
	assert_true(sharing_contains_words("Seed grain, winter rye", "seed grain"));
	assert_true(sharing_contains_words("two SEED GRAINS", "seed grain"));
	assert_true(sharing_contains_words("boxes", "box"));
	assert_true(sharing_contains_words("Medicine", "medicine"));
	assert_true(sharing_contains_words("Rye bread", "Rye bread"));
	assert_false(sharing_contains_words("steak", "tea"));
	assert_false(sharing_contains_words("teacups", "tea"));
	assert_false(sharing_contains_words("Medicinal herbs", "medicine"));
	assert_false(sharing_contains_words("seed", "seed grain"));
	assert_false(sharing_contains_words("anything", ""));
	assert_false(sharing_contains_words("", "tea"));
	/* a letter beyond ASCII belongs to the word it touches */
	assert_false(sharing_contains_words("t\xc3\xa9", "t"));
}

static void test_money_is_refused_as_a_word_or_a_sign(void **state)
{
	static const char *const money[] = { "10 euros", "Bread worth 5 dollars", "cash",
		"Eggs, paid in cash", "a price of 3", "20 EUR", "$4", "4 \xe2\x82\xac",
		"\xc2\xa3" "2", "wages for a week", NULL };
	static const char *const things[] = { "Cashew nuts", "A wagon", "European plums",
		"Spaid", "Priceless advice", "2 pounds of flour", "Apples", NULL };
	(void)state;
	for (const char *const *m = money; *m; m++) {
		struct px_error e = { 0 };
		assert_int_equal(sharing_money_check(*m, "other_gives", &e), PX_E_BAD_INPUT);
		assert_string_equal(e.field, "other_gives");
	}
	for (const char *const *t = things; *t; t++) {
		struct px_error e = { 0 };
		assert_int_equal(sharing_money_check(*t, "other_gives", &e), 0);
	}
	struct px_error e = { 0 };
	assert_int_equal(sharing_money_check(NULL, "unit", &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_words_and_plurals),
		cmocka_unit_test(test_money_is_refused_as_a_word_or_a_sign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
