/*
 * ratify.h: whether a proposal's implementation condition is met, from
 * the tree of assemblies beneath the delegate assembly that made it.
 *
 * The tree is given flat, parents before children: node 0 is the
 * originating delegate assembly, every other node names its parent's
 * index. A local assembly's acceptance counts only when every delegate
 * assembly on its path below the originator accepted too (a delegate
 * assembly passes a proposal to its own members only by accepting it).
 * A local assembly reached by several paths (it belongs to two
 * federations beneath the originator) is counted once, and counts if any
 * of its paths does.
 *
 * Pure: no I/O, no clock, exact integer arithmetic. A share is met when
 * accepted * 100 >= percent * total (and at least one accepted).
 */
#ifndef PNYX_RATIFY_H
#define PNYX_RATIFY_H

#include <stddef.h>
#include <stdint.h>

enum ratify_kind {
	RATIFY_AT_LEAST,          /* at least n local assemblies */
	RATIFY_SHARE_ASSEMBLIES,  /* percent of the local assemblies beneath */
	RATIFY_SHARE_POPULATION,  /* percent of their population */
	RATIFY_ALL_OF,            /* every one of a named set of locals */
};

struct ratify_condition {
	enum ratify_kind kind;
	int64_t n;                /* RATIFY_AT_LEAST: 1 or more */
	int64_t percent;          /* the shares: 1..100 */
	const int64_t *named;     /* RATIFY_ALL_OF: ids of local assemblies */
	size_t n_named;
};

struct ratify_node {
	int64_t id;        /* the assembly; the same id may appear twice */
	int32_t parent;    /* index of the parent; -1 for node 0 */
	unsigned char local;
	unsigned char accepted; /* its current answer is accept */
	int64_t population;     /* local assemblies only */
	unsigned char counts;   /* out: a local whose acceptance counts */
};

struct ratify_result {
	int64_t locals, locals_accepted;
	int64_t population, population_accepted;
	int64_t named_accepted;
	int met;
};

/*
 * Evaluate c over nodes[0..n). Fills every node's counts and *r.
 * Returns 0, or PX_E_BAD_INPUT if the tree is not parent-first, a
 * population is negative or the condition is out of range; PX_E_NOMEM.
 */
int ratify_evaluate(struct ratify_node *nodes, size_t n,
		    const struct ratify_condition *c, struct ratify_result *r);

/* Whether r's counts meet c (r->named_accepted: how many of c->named
 * counted, each named assembly once). Lets a caller that keeps its own
 * running counts decide exactly as ratify_evaluate does. */
int ratify_met(const struct ratify_condition *c, const struct ratify_result *r);

/* "at_least", "share_of_assemblies", "share_of_population", "all_of";
 * ratify_kind_parse returns -1 for an unknown name. */
const char *ratify_kind_name(enum ratify_kind k);
int ratify_kind_parse(const char *name);

#endif
