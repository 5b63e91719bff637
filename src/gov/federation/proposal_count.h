/*
 * proposal_count.c: the running counts of a proposal, kept per version
 * and assembly in proposal_sums so that its status is read without
 * walking the federation.
 *
 * For a version v and an assembly A: accepted(A) says A's latest answer
 * to v is accept; locals(A) and population(A) count the accepting local
 * assemblies beneath A reached through delegate assemblies that all
 * accepted v (once per path), and their population:
 *
 *   locals(A) = sum over active members C of A of
 *               C local:    accepted(C)
 *               C delegate: accepted(C) ? locals(C) : 0
 *
 * so the originator's locals is the number of local assemblies whose
 * acceptance counts whenever the assemblies beneath it form a tree
 * (fed_tree.h says when they do). An answer changes the sums of the
 * assemblies above it only, along the paths of accepting assemblies: one
 * answer updates its own path and nothing else.
 *
 * All functions run inside the deciding transaction.
 */
#ifndef PNYX_PROPOSAL_COUNT_H
#define PNYX_PROPOSAL_COUNT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"
#include "core/ratify.h"

struct store;

struct proposal_sum {
	int accepted;
	int64_t locals, population;
};

/* body's latest answer to version now is (accepted = 1) or is not an
 * acceptance. *changed (may be NULL) is set when accepted(body) changed. */
int proposal_count_answer(struct store *s, int64_t proposal, int64_t version,
			  int64_t body, int accepted, int *changed) PX_MUST_CHECK;

/* The membership member -> federation became active (+1) or stopped
 * being active (-1): member's contribution moves in or out of the sums
 * above it, for every version it has one for. */
int proposal_count_link(struct store *s, int64_t federation, int64_t member,
			int delta) PX_MUST_CHECK;

/* A member assembly of body on another node changed its contribution by
 * (dl, dp): added to body's sums, and carried up while body accepted. */
int proposal_count_remote(struct store *s, int64_t proposal, int64_t version,
			  int64_t body, int64_t dl, int64_t dp) PX_MUST_CHECK;

/* The row of body (zeros when it has none). */
int proposal_count_get(struct store *s, int64_t proposal, int64_t version,
		       int64_t body, struct proposal_sum *out) PX_MUST_CHECK;

/* The count of a version (originated by origin, with its canonical
 * condition): read from the sums when the assemblies beneath origin form
 * a tree, otherwise by walking them (each local assembly once, as
 * ratify_evaluate does). *slow (may be NULL) says which. */
int proposal_count_eval(struct store *s, int64_t proposal, int64_t version,
			int64_t origin, const json_t *condition,
			struct ratify_result *r, int *slow) PX_MUST_CHECK;

/* The same count, always by walking the assemblies beneath origin and
 * reading each one's latest answer: the reference the running counts
 * are checked against. */
int proposal_count_walk(struct store *s, int64_t proposal, int64_t version,
			int64_t origin, const json_t *condition,
			struct ratify_result *r) PX_MUST_CHECK;

/* *yes: 1 when the version reaches body from origin: along at least one
 * path of active memberships every delegate assembly strictly between
 * them accepted it (origin itself reaches itself). */
int proposal_count_reached(struct store *s, int64_t proposal, int64_t version,
			   int64_t origin, int64_t body, int *yes) PX_MUST_CHECK;

/* The local assemblies whose acceptance of the version counts, among
 * from (a local assembly) or those beneath from through accepting
 * delegate assemblies (from must be reached; origin's own answer does
 * not matter when from is origin). Sorted by id, each once; *ids is
 * malloc'd (NULL when none). */
int proposal_count_locals(struct store *s, int64_t proposal, int64_t version,
			  int64_t origin, int64_t from, int64_t **ids, size_t *n) PX_MUST_CHECK;

#endif
