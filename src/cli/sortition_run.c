/*
 * sortition_run.c: printing a draw. Text output is one labelled line for
 * the commitment and the seed, then "drawn" and "alternates" sections with
 * one id per line after its rank, so it reads well and greps easily; JSON
 * output is the shape docs/sortition.md gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/alloc.h"
#include "core/draw.h"
#include "core/errors.h"
#include "cli.h"
#include "sortition_io.h"
#include "sortition_run.h"
#include "banned.h"

int sr_draw(const char *cmd, const struct px_pool *pool, const char *source,
	    size_t seats, size_t alternates, struct sr_draw_result *res)
{
	struct px_error err = { 0 };
	memset(res, 0, sizeof(*res));
	if (!sio_text_ok(source, strlen(source)) || !*source)
		return cli_errorf(cmd, CLI_USAGE,
				  "--seed must be non-empty UTF-8 text without control characters");
	if (seats > pool->n)
		return cli_errorf(cmd, CLI_USAGE,
				  "--seats %zu is more than the %zu people in the pool",
				  seats, pool->n);
	if (alternates > pool->n - seats)
		alternates = pool->n - seats;
	px_seed_derive(pool->commitment, source, strlen(source), res->seed);
	res->r = seats + alternates;
	res->seats = seats;
	res->rank = px_mallocarray(res->r ? res->r : 1, sizeof(*res->rank));
	if (!res->rank)
		return cli_errorf(cmd, CLI_FAIL, "out of memory");
	int rc = px_draw_rank(res->seed, pool->n, res->r, res->rank, &err);
	if (rc)
		return cli_report(cmd, &err);
	return 0;
}


int sr_print_draw(const struct px_pool *pool, const struct sr_draw_result *res,
		  int json)
{
	char c[65], s[65];
	sio_hex32(pool->commitment, c);
	sio_hex32(res->seed, s);
	if (!json) {
		printf("commitment %s\nseed %s\ndrawn %zu\n", c, s, res->seats);
		for (size_t i = 0; i < res->seats; i++)
			printf("%zu %s\n", i + 1, pool->people[res->rank[i]].id);
		printf("alternates %zu\n", res->r - res->seats);
		for (size_t i = res->seats; i < res->r; i++)
			printf("%zu %s\n", i - res->seats + 1,
			       pool->people[res->rank[i]].id);
		return 0;
	}
	json_t *o = json_object(), *d = json_array(), *a = json_array();
	json_t *dl = json_array(), *al = json_array();
	int rc = -1;
	if (!o || !d || !a || !dl || !al)
		goto out;
	for (size_t i = 0; i < res->r; i++) {
		char lh[65];
		sio_hex32(pool->leaves[res->rank[i]], lh);
		json_array_append_new(i < res->seats ? d : a,
				      json_string(pool->people[res->rank[i]].id));
		json_array_append_new(i < res->seats ? dl : al, json_string(lh));
	}
	json_object_set_new(o, "commitment", json_string(c));
	json_object_set_new(o, "seed", json_string(s));
	json_object_set(o, "drawn", d);
	json_object_set(o, "alternates", a);
	json_object_set(o, "drawn_leaves", dl);
	json_object_set(o, "alternate_leaves", al);
	if (json_dumpf(o, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0) {
		fputc('\n', stdout);
		rc = 0;
	}
out:
	json_decref(o);
	json_decref(d);
	json_decref(a);
	json_decref(dl);
	json_decref(al);
	return rc;
}
