/*
 * cmd_routes.c: `pnyx routes`, the API's route table as text or JSON.
 * It reads the same table the server dispatches on, so what it prints is
 * what the server answers; docs/api.md is tested against it.
 */
#include <jansson.h>
#include <stdio.h>

#include "http/router.h"
#include "http/server.h"
#include "http/spec.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_routes_usage[] = N_(
	"usage: pnyx routes [--json]\n"
	"\n"
	"List the routes of the HTTP API: method, path, authentication\n"
	"(none, optional, required) and summary. With --json, also each\n"
	"route's body fields (name, type, required, bounds, allowed values).\n"
	"docs/api.md describes each route in full.\n");

static const char *const auth_names[] = {
	[AUTH_NONE] = "none",
	[AUTH_OPTIONAL] = "optional",
	[AUTH_REQUIRED] = "required",
};

static json_t *field_json(const struct spec_field *f)
{
	json_t *j = json_pack("{s:s,s:s,s:b}", "name", f->name, "type",
			      f->type == SPEC_ENUM ? "enum"
						   : spec_type_name(f->type),
			      "required", f->required);
	if (!j)
		return NULL;
	if (f->type == SPEC_STRING || f->type == SPEC_INT) {
		json_object_set_new(j, "min", json_integer(f->min));
		json_object_set_new(j, "max", json_integer(f->max));
	}
	if (f->type == SPEC_ENUM) {
		json_t *vals = json_array();
		for (const char *const *v = f->values; v && *v; v++)
			json_array_append_new(vals, json_string(*v));
		json_object_set_new(j, "values", vals);
	}
	return j;
}

static json_t *routes_json(void)
{
	json_t *all = json_array();
	for (const struct route *r = http_routes; all && r->pattern; r++) {
		json_t *fields = json_array();
		for (const struct spec_field *f = r->body ? r->body->fields : NULL;
		     f && f->name; f++)
			json_array_append_new(fields, field_json(f));
		json_array_append_new(
			all, json_pack("{s:s,s:s,s:s,s:s,s:o}", "method",
				       r->method, "path", r->pattern, "auth",
				       auth_names[r->auth], "summary",
				       r->summary, "body", fields));
	}
	return all;
}

int cmd_routes(int argc, char **argv)
{
	int as_json = 0;
	const struct cli_opt opts[] = {
		{ "json", OPT_FLAG, &as_json, 0, 0 },
		{ NULL, OPT_FLAG, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("routes"), opts, argc, argv, NULL, 0,
			   &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (as_json) {
		json_t *all = routes_json();
		if (!all || json_dumpf(all, stdout, JSON_INDENT(2))) {
			json_decref(all);
			return cli_errorf("routes", CLI_FAIL, "out of memory");
		}
		putchar('\n');
		json_decref(all);
		return CLI_OK;
	}
	for (const struct route *r = http_routes; r->pattern; r++)
		printf("%-*s %-*s %-*s %s\n", cli_pad(r->method, 7), r->method,
		       cli_pad(r->pattern, 36), r->pattern,
		       cli_pad(auth_names[r->auth], 9),
		       auth_names[r->auth], r->summary);
	return CLI_OK;
}
