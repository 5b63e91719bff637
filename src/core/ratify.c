/*
 * ratify.c: evaluating a proposal's implementation condition over the
 * tree of assemblies beneath its originator (see ratify.h).
 *
 * Invariants: a node's parent comes before it, so one pass from the root
 * settles every path; locals are then deduplicated by id after sorting,
 * so the counts never depend on how often an assembly appears.
 */
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "ratify.h"
#include "banned.h"

static const char *const kind_names[] = {
	[RATIFY_AT_LEAST] = "at_least",
	[RATIFY_SHARE_ASSEMBLIES] = "share_of_assemblies",
	[RATIFY_SHARE_POPULATION] = "share_of_population",
	[RATIFY_ALL_OF] = "all_of",
};

const char *ratify_kind_name(enum ratify_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "";
}

int ratify_kind_parse(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(kind_names[i], name))
			return (int)i;
	return -1;
}

struct local {
	int64_t id, population;
	unsigned char counts;
};

static int by_id(const void *a, const void *b)
{
	const struct local *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int id_listed(const struct local *l, size_t n, int64_t id, int *counts)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l[mid].id == id) {
			*counts = l[mid].counts;
			return 1;
		}
		if (l[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int condition_valid(const struct ratify_condition *c)
{
	switch (c->kind) {
	case RATIFY_AT_LEAST:
		return c->n >= 1;
	case RATIFY_SHARE_ASSEMBLIES:
	case RATIFY_SHARE_POPULATION:
		return c->percent >= 1 && c->percent <= 100;
	case RATIFY_ALL_OF:
		return c->n_named >= 1 && c->named;
	}
	return 0;
}

int ratify_evaluate(struct ratify_node *nodes, size_t n,
		    const struct ratify_condition *c, struct ratify_result *r)
{
	unsigned char *path = NULL;
	struct local *locals = NULL;
	size_t nl = 0;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!condition_valid(c) || n == 0 || nodes[0].parent != -1)
		return PX_E_BAD_INPUT;
	path = calloc(n, 1);
	locals = calloc(n, sizeof(*locals));
	if (!path || !locals) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* path[i]: every delegate assembly between the originator and node
	 * i accepted, so node i was offered the proposal */
	nodes[0].counts = 0;
	for (size_t i = 1; i < n; i++) {
		int32_t p = nodes[i].parent;
		if (p < 0 || (size_t)p >= i || nodes[p].local || nodes[i].population < 0) {
			rc = PX_E_BAD_INPUT;
			goto out;
		}
		path[i] = p == 0 ? 1 : (path[p] && nodes[p].accepted);
		nodes[i].counts = nodes[i].local && path[i] && nodes[i].accepted;
		if (nodes[i].local)
			locals[nl++] = (struct local){ nodes[i].id, nodes[i].population,
						       nodes[i].counts };
	}
	qsort(locals, nl, sizeof(*locals), by_id);
	size_t w = 0;
	for (size_t i = 0; i < nl; i++) {
		if (w && locals[w - 1].id == locals[i].id) {
			locals[w - 1].counts |= locals[i].counts;
			continue;
		}
		locals[w++] = locals[i];
	}
	nl = w;
	for (size_t i = 0; i < nl; i++) {
		r->locals++;
		r->population += locals[i].population;
		if (locals[i].counts) {
			r->locals_accepted++;
			r->population_accepted += locals[i].population;
		}
	}
	/* a local counted through one path counts wherever it appears */
	for (size_t i = 1; i < n; i++) {
		int counts;
		if (nodes[i].local && id_listed(locals, nl, nodes[i].id, &counts))
			nodes[i].counts = (unsigned char)counts;
	}
	if (c->kind == RATIFY_ALL_OF)
		for (size_t i = 0; i < c->n_named; i++) {
			int counts = 0;
			if (id_listed(locals, nl, c->named[i], &counts) && counts)
				r->named_accepted++;
		}
	r->met = ratify_met(c, r);
out:
	free(path);
	free(locals);
	return rc;
}

int ratify_met(const struct ratify_condition *c, const struct ratify_result *r)
{
	switch (c->kind) {
	case RATIFY_AT_LEAST:
		return r->locals_accepted >= c->n;
	case RATIFY_SHARE_ASSEMBLIES:
		return r->locals_accepted > 0 && r->locals_accepted * 100 >= c->percent * r->locals;
	case RATIFY_SHARE_POPULATION:
		/* population figures stay far below 2^63 / 100 */
		return r->population_accepted > 0 &&
		       r->population_accepted * 100 >= c->percent * r->population;
	case RATIFY_ALL_OF:
		return c->n_named > 0 && r->named_accepted == (int64_t)c->n_named;
	}
	return 0;
}
