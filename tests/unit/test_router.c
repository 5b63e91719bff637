/* Unit tests for src/http/router.c: pattern matching, 404 versus 405 with
 * the Allow list, and the soundness check of route tables, including the
 * server's own table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "http/router.h"
#include "http/server.h"
#include "http/spec.h"

static int h(struct http_req *req, void *in)
{
	(void)req;
	(void)in;
	return 0;
}

static const struct route table[] = {
	{ "GET", "/", h, AUTH_NONE, NULL, "root", 0, 0, 0, 0 },
	{ "GET", "/api/v1/things", h, AUTH_NONE, NULL, "list", 0, 0, 0, 0 },
	{ "POST", "/api/v1/things", h, AUTH_REQUIRED, NULL, "make", 0, 0, 0, 0 },
	{ "GET", "/api/v1/things/new", h, AUTH_NONE, NULL, "literal", 0, 0, 0, 0 },
	{ "GET", "/api/v1/things/{slug}", h, AUTH_OPTIONAL, NULL, "one", 0, 0, 0, 0 },
	{ "DELETE", "/api/v1/things/{slug}/parts/{part}", h, AUTH_REQUIRED,
	  NULL, "part", 0, 0, 0, 0 },
	{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
};

static void param_is(const struct route_params *p, size_t i,
		     const char *name, const char *value)
{
	assert_true(i < p->n);
	assert_int_equal(p->p[i].name_len, strlen(name));
	assert_memory_equal(p->p[i].name, name, strlen(name));
	assert_int_equal(p->p[i].value_len, strlen(value));
	assert_memory_equal(p->p[i].value, value, strlen(value));
}

static void test_router_matches_literal_path(void **state)
{
	(void)state;
	const struct route *r;
	struct route_params p;
	assert_int_equal(router_match(table, "GET", "/api/v1/things", &r, &p,
				      NULL, 0), ROUTE_FOUND);
	assert_string_equal(r->summary, "list");
	assert_int_equal(p.n, 0);
	assert_int_equal(router_match(table, "POST", "/api/v1/things", &r, &p,
				      NULL, 0), ROUTE_FOUND);
	assert_string_equal(r->summary, "make");
}

static void test_router_root_path(void **state)
{
	(void)state;
	const struct route *r;
	assert_int_equal(router_match(table, "GET", "/", &r, NULL, NULL, 0),
			 ROUTE_FOUND);
	assert_string_equal(r->summary, "root");
}

static void test_router_captures_params(void **state)
{
	(void)state;
	const struct route *r;
	struct route_params p;
	assert_int_equal(router_match(table, "GET", "/api/v1/things/abc", &r,
				      &p, NULL, 0), ROUTE_FOUND);
	assert_string_equal(r->summary, "one");
	assert_int_equal(p.n, 1);
	param_is(&p, 0, "slug", "abc");
	assert_int_equal(router_match(table, "DELETE",
				      "/api/v1/things/x-1/parts/7", &r, &p,
				      NULL, 0), ROUTE_FOUND);
	assert_int_equal(p.n, 2);
	param_is(&p, 0, "slug", "x-1");
	param_is(&p, 1, "part", "7");
}

static void test_router_earlier_literal_row_wins_over_param(void **state)
{
	(void)state;
	const struct route *r;
	struct route_params p;
	assert_int_equal(router_match(table, "GET", "/api/v1/things/new", &r,
				      &p, NULL, 0), ROUTE_FOUND);
	assert_string_equal(r->summary, "literal");
	assert_int_equal(p.n, 0);
}

static void test_router_param_needs_non_empty_segment(void **state)
{
	(void)state;
	const struct route *r;
	assert_int_equal(router_match(table, "GET", "/api/v1/things/", &r,
				      NULL, NULL, 0), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, "DELETE",
				      "/api/v1/things//parts/1", &r, NULL,
				      NULL, 0), ROUTE_NOT_FOUND);
}

static void test_router_unknown_path_is_not_found(void **state)
{
	(void)state;
	const struct route *r = table;
	char allow[64] = "junk";
	assert_int_equal(router_match(table, "GET", "/api/v1/nothing", &r,
				      NULL, allow, sizeof(allow)),
			 ROUTE_NOT_FOUND);
	assert_null(r);
	assert_string_equal(allow, "");
	assert_int_equal(router_match(table, "GET", "/api/v1/things/a/b", &r,
				      NULL, NULL, 0), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, "GET", "/api/v1", &r, NULL,
				      NULL, 0), ROUTE_NOT_FOUND);
}

static void test_router_trailing_slash_is_a_different_path(void **state)
{
	(void)state;
	const struct route *r;
	assert_int_equal(router_match(table, "GET", "/api/v1/things/", &r,
				      NULL, NULL, 0), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, "GET", "/api/v1/things//", &r,
				      NULL, NULL, 0), ROUTE_NOT_FOUND);
}

static void test_router_prefix_is_not_a_match(void **state)
{
	(void)state;
	const struct route *r;
	assert_int_equal(router_match(table, "GET", "/api/v1/thingsx", &r,
				      NULL, NULL, 0), ROUTE_NOT_FOUND);
	assert_int_equal(router_match(table, "GET", "/api/v1/thing", &r,
				      NULL, NULL, 0), ROUTE_NOT_FOUND);
}

static void test_router_wrong_method_lists_allowed(void **state)
{
	(void)state;
	const struct route *r;
	char allow[64];
	assert_int_equal(router_match(table, "PUT", "/api/v1/things", &r,
				      NULL, allow, sizeof(allow)),
			 ROUTE_METHOD);
	assert_null(r);
	assert_string_equal(allow, "GET, HEAD, POST");
	assert_int_equal(router_match(table, "GET",
				      "/api/v1/things/a/parts/b", &r, NULL,
				      allow, sizeof(allow)), ROUTE_METHOD);
	assert_string_equal(allow, "DELETE");
}

static void test_router_allow_lists_methods_once(void **state)
{
	(void)state;
	/* /api/v1/things/new matches the literal and the {slug} row, both
	 * GET: the Allow list names GET and HEAD once. */
	const struct route *r;
	char allow[64];
	assert_int_equal(router_match(table, "POST", "/api/v1/things/new", &r,
				      NULL, allow, sizeof(allow)),
			 ROUTE_METHOD);
	assert_string_equal(allow, "GET, HEAD");
}

static void test_router_allow_truncates_safely(void **state)
{
	(void)state;
	const struct route *r;
	char allow[5];
	assert_int_equal(router_match(table, "PUT", "/api/v1/things", &r,
				      NULL, allow, sizeof(allow)),
			 ROUTE_METHOD);
	assert_string_equal(allow, "GET");
}

static void test_router_head_matches_get(void **state)
{
	(void)state;
	const struct route *r;
	assert_int_equal(router_match(table, "HEAD", "/api/v1/things", &r,
				      NULL, NULL, 0), ROUTE_FOUND);
	assert_string_equal(r->method, "GET");
	/* but not a route that only takes POST */
	static const struct route post_only[] = {
		{ "POST", "/p", h, AUTH_NONE, NULL, "p", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	assert_int_equal(router_match(post_only, "HEAD", "/p", &r, NULL,
				      NULL, 0), ROUTE_METHOD);
}

static void test_router_methods_are_case_sensitive(void **state)
{
	(void)state;
	const struct route *r;
	assert_int_equal(router_match(table, "get", "/api/v1/things", &r,
				      NULL, NULL, 0), ROUTE_METHOD);
}

static void test_router_relative_path_never_matches(void **state)
{
	(void)state;
	assert_false(router_pattern_match("/a", "a", NULL));
	assert_false(router_pattern_match("a", "/a", NULL));
	assert_false(router_pattern_match("/a", "", NULL));
}

static void test_router_too_many_params_refused(void **state)
{
	(void)state;
	struct route_params p;
	assert_false(router_pattern_match("/{a}/{b}/{c}/{d}/{e}",
					  "/1/2/3/4/5", &p));
	assert_true(router_pattern_match("/{a}/{b}/{c}/{d}", "/1/2/3/4", &p));
	assert_int_equal(p.n, 4);
}

static void test_router_check_accepts_sound_table(void **state)
{
	(void)state;
	assert_int_equal(router_check_table(table), -1);
}

static void test_router_check_names_bad_rows(void **state)
{
	(void)state;
	static const struct spec_field none[] = { SPEC_END };
	static const struct body_spec spec = { none, 1 };
	static const struct route dup[] = {
		{ "GET", "/a", h, AUTH_NONE, NULL, "a", 0, 0, 0, 0 },
		{ "GET", "/a", h, AUTH_NONE, NULL, "a again", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route relative[] = {
		{ "GET", "a", h, AUTH_NONE, NULL, "a", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route brace[] = {
		{ "GET", "/a", h, AUTH_NONE, NULL, "a", 0, 0, 0, 0 },
		{ "GET", "/a/{b", h, AUTH_NONE, NULL, "b", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route mid_brace[] = {
		{ "GET", "/a/x{b}", h, AUTH_NONE, NULL, "b", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route empty_seg[] = {
		{ "GET", "/a//b", h, AUTH_NONE, NULL, "b", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route no_handler[] = {
		{ "GET", "/a", NULL, AUTH_NONE, NULL, "a", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route bad_method[] = {
		{ "FETCH", "/a", h, AUTH_NONE, NULL, "a", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route head_row[] = {
		{ "HEAD", "/a", h, AUTH_NONE, NULL, "a", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route get_body[] = {
		{ "GET", "/a", h, AUTH_NONE, &spec, "a", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route no_summary[] = {
		{ "GET", "/a", h, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	static const struct route many[] = {
		{ "GET", "/{a}/{b}/{c}/{d}/{e}", h, AUTH_NONE, NULL, "x", 0, 0, 0, 0 },
		{ NULL, NULL, NULL, AUTH_NONE, NULL, NULL, 0, 0, 0, 0 },
	};
	assert_int_equal(router_check_table(dup), 1);
	assert_int_equal(router_check_table(relative), 0);
	assert_int_equal(router_check_table(brace), 1);
	assert_int_equal(router_check_table(mid_brace), 0);
	assert_int_equal(router_check_table(empty_seg), 0);
	assert_int_equal(router_check_table(no_handler), 0);
	assert_int_equal(router_check_table(bad_method), 0);
	assert_int_equal(router_check_table(head_row), 0);
	assert_int_equal(router_check_table(get_body), 0);
	assert_int_equal(router_check_table(no_summary), 0);
	assert_int_equal(router_check_table(many), 0);
}

static void test_router_server_table_is_sound(void **state)
{
	(void)state;
	assert_int_equal(router_check_table(http_routes), -1);
}

static void test_router_server_table_has_no_shadowed_rows(void **state)
{
	(void)state;
	/* Every row is reachable: matching its own pattern (with each
	 * {param} filled in) by its own method finds that row. */
	for (const struct route *r = http_routes; r->pattern; r++) {
		char path[256];
		size_t n = 0;
		for (const char *p = r->pattern; *p && n + 2 < sizeof(path);) {
			if (*p == '{') {
				path[n++] = 'q';
				p = strchr(p, '}') + 1;
			} else {
				path[n++] = *p++;
			}
		}
		path[n] = '\0';
		const struct route *got;
		assert_int_equal(router_match(http_routes, r->method, path,
					      &got, NULL, NULL, 0),
				 ROUTE_FOUND);
		assert_ptr_equal(got, r);
	}
}

static void test_router_server_bodies_only_on_state_changes(void **state)
{
	(void)state;
	/* And every string field has an upper bound, so no field is
	 * unbounded even below the body size limit. */
	for (const struct route *r = http_routes; r->pattern; r++) {
		if (!r->body)
			continue;
		assert_string_not_equal(r->method, "GET");
		for (const struct spec_field *f = r->body->fields; f->name;
		     f++)
			if (f->type == SPEC_STRING)
				assert_true(f->max > 0 && f->min <= f->max);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_router_matches_literal_path),
		cmocka_unit_test(test_router_root_path),
		cmocka_unit_test(test_router_captures_params),
		cmocka_unit_test(test_router_earlier_literal_row_wins_over_param),
		cmocka_unit_test(test_router_param_needs_non_empty_segment),
		cmocka_unit_test(test_router_unknown_path_is_not_found),
		cmocka_unit_test(test_router_trailing_slash_is_a_different_path),
		cmocka_unit_test(test_router_prefix_is_not_a_match),
		cmocka_unit_test(test_router_wrong_method_lists_allowed),
		cmocka_unit_test(test_router_allow_lists_methods_once),
		cmocka_unit_test(test_router_allow_truncates_safely),
		cmocka_unit_test(test_router_head_matches_get),
		cmocka_unit_test(test_router_methods_are_case_sensitive),
		cmocka_unit_test(test_router_relative_path_never_matches),
		cmocka_unit_test(test_router_too_many_params_refused),
		cmocka_unit_test(test_router_check_accepts_sound_table),
		cmocka_unit_test(test_router_check_names_bad_rows),
		cmocka_unit_test(test_router_server_table_is_sound),
		cmocka_unit_test(test_router_server_table_has_no_shadowed_rows),
		cmocka_unit_test(test_router_server_bodies_only_on_state_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
