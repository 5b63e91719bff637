/*
 * fed_tree.c: the closure of the federation graph. For every delegate
 * assembly it keeps every assembly beneath it at any depth, with the
 * number of distinct paths of active memberships leading there, and on
 * the delegate assembly itself the distinct local assemblies beneath it,
 * their population, and how many assemblies beneath it are reached by
 * more than one path (0: the assemblies beneath it form a tree).
 *
 * The federation graph has no cycles (federation.c refuses them), so the
 * paths through a new membership F -> M number paths(X, F) * paths(M, Y)
 * for every X above F and Y beneath M, and one change touches only the
 * assemblies above F times those beneath M.
 *
 * fed_tree_link runs inside the deciding transaction, whenever a
 * membership becomes active (+1) or stops being active (-1).
 */
#ifndef PNYX_FED_TREE_H
#define PNYX_FED_TREE_H

#include <stdint.h>

#include "core/errors.h"

struct store;

int fed_tree_link(struct store *s, int64_t federation, int64_t member, int delta) PX_MUST_CHECK;

/* Whether body is a local assembly, and its community's population (0
 * for a delegate assembly). */
int fed_tree_body(struct store *s, int64_t body, int *local,
		  int64_t *population) PX_MUST_CHECK;

/* The counts kept on a delegate assembly (all 0 for a local one). */
int fed_tree_size(struct store *s, int64_t body, int64_t *locals,
		  int64_t *population, int64_t *shared) PX_MUST_CHECK;

/* *yes: 1 when inner is beneath outer through active memberships. */
int fed_tree_below(struct store *s, int64_t outer, int64_t inner, int *yes) PX_MUST_CHECK;

#endif
