/* Unit tests for src/core/csv.c: quoting, line ends, line numbers of
 * errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/csv.h"
#include "core/errors.h"

static int parse(const char *s, struct csv_table *t, size_t *line)
{
	struct px_error err = { 0 };
	return csv_parse(s, strlen(s), t, line, &err);
}

static void test_csv_plain_rows_and_header(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("id,name\na,Alice\nb,Bob\n", &t, &line), 0);
	assert_int_equal(t.nrows, 3);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(csv_cell(&t, 2, 1), "Bob");
	assert_int_equal(csv_column(&t, "NAME"), 1);
	assert_int_equal(csv_column(&t, "age"), -1);
	csv_table_release(&t);
}

static void test_csv_quoted_comma_quote_and_newline(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("id,note\n\"a,1\",\"say \"\"hi\"\"\"\n\"b\",\"two\nlines\"\nc,x\n",
			       &t, &line), 0);
	assert_int_equal(t.nrows, 4);
	assert_string_equal(csv_cell(&t, 1, 0), "a,1");
	assert_string_equal(csv_cell(&t, 1, 1), "say \"hi\"");
	assert_string_equal(csv_cell(&t, 2, 1), "two\nlines");
	assert_int_equal(t.lines[3], 5); /* the record after a two-line field */
	csv_table_release(&t);
}

static void test_csv_crlf_bom_blank_lines_and_no_final_newline(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("\xEF\xBB\xBFid,v\r\n\r\na,1\r\n\nb,\r\nc,3", &t, &line), 0);
	assert_int_equal(t.nrows, 4);
	assert_string_equal(csv_cell(&t, 0, 0), "id");
	assert_string_equal(csv_cell(&t, 2, 1), "");
	assert_string_equal(csv_cell(&t, 3, 1), "3");
	assert_int_equal(t.lines[1], 3);
	csv_table_release(&t);
}

static void test_csv_empty_quoted_field_and_trailing_empty_field(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("a,b,c\n\"\",x,\n", &t, &line), 0);
	assert_string_equal(csv_cell(&t, 1, 0), "");
	assert_string_equal(csv_cell(&t, 1, 2), "");
	csv_table_release(&t);
}

static void test_csv_wrong_field_count_names_its_line(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("a,b\n1,2\n3\n", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 3);
	assert_null(t.cells);
}

static void test_csv_unclosed_quote_names_where_it_opened(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("a\n1\n\"open\n\n", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 3);
}

static void test_csv_quote_inside_unquoted_field_is_refused(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("a\nab\"c\n", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 2);
}

static void test_csv_text_after_closing_quote_is_refused(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("a\n\"x\"y\n", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 2);
}

static void test_csv_empty_file_is_refused(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(parse("\n\r\n", &t, &line), PX_E_BAD_INPUT);
}

static void test_csv_nul_byte_is_refused(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	struct px_error err = { 0 };
	assert_int_equal(csv_parse("a\nx\0y\n", 6, &t, &line, &err), PX_E_BAD_INPUT);
	assert_int_equal(line, 2);
}

static void test_csv_cr_only_line_ends_are_refused(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	/* once read as one record holding "id\ra\rb": an empty pool */
	assert_int_equal(parse("id\ra\rb\r", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 1);
	assert_int_equal(parse("id,x\na,1\rb,2\n", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 2);
	assert_int_equal(parse("id,x\n\"a\",1\n\"b\"\r", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 3);
	/* inside quotes a CR is data, and CRLF still ends a line */
	assert_int_equal(parse("id,x\r\n\"a\rb\",1\r\n", &t, &line), 0);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(csv_cell(&t, 1, 0), "a\rb");
	csv_table_release(&t);
}

static void test_csv_spaces_are_kept(void **state)
{
	(void)state;
	struct csv_table t;
	size_t line;
	assert_int_equal(parse("id ,x\n a , b\n  \n", &t, &line), PX_E_BAD_INPUT);
	assert_int_equal(line, 3); /* a line of spaces is a record, not blank */
	assert_int_equal(parse("id ,x\n a , b\n", &t, &line), 0);
	assert_string_equal(csv_cell(&t, 1, 0), " a ");
	assert_int_equal(csv_column(&t, "id"), -1);
	assert_int_equal(csv_column(&t, "ID "), 0);
	csv_table_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_plain_rows_and_header),
		cmocka_unit_test(test_csv_quoted_comma_quote_and_newline),
		cmocka_unit_test(test_csv_crlf_bom_blank_lines_and_no_final_newline),
		cmocka_unit_test(test_csv_empty_quoted_field_and_trailing_empty_field),
		cmocka_unit_test(test_csv_wrong_field_count_names_its_line),
		cmocka_unit_test(test_csv_unclosed_quote_names_where_it_opened),
		cmocka_unit_test(test_csv_quote_inside_unquoted_field_is_refused),
		cmocka_unit_test(test_csv_text_after_closing_quote_is_refused),
		cmocka_unit_test(test_csv_empty_file_is_refused),
		cmocka_unit_test(test_csv_nul_byte_is_refused),
		cmocka_unit_test(test_csv_cr_only_line_ends_are_refused),
		cmocka_unit_test(test_csv_spaces_are_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
