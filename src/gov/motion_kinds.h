/*
 * motion_kinds.h: the table of kinds of motion. Each row names the kind,
 * checks its parameters at submission (returning their canonical form)
 * and applies its effect when the motion is adopted. Adding a kind is
 * adding a row.
 */
#ifndef PNYX_MOTION_KINDS_H
#define PNYX_MOTION_KINDS_H

#include <jansson.h>
#include <stdint.h>

struct store;
struct px_error;

/* What an effect needs to know about the adopted motion. */
struct motion_effect {
	int64_t motion_id;
	int64_t body_id;
	const char *body_slug;
	const char *title;
	const char *text;
	const json_t *params; /* canonical, as checked at submission */
	int64_t now;
	const char *actor;
	/* the decision's result, which an effect may add to (a ranked
	 * election adds its count); may be NULL */
	json_t *result;
};

struct motion_kind {
	const char *name;
	const char *summary; /* for the docs and the pages */
	/* Check params of a motion in body; *canon receives the canonical
	 * form (a new reference). Errors name "params.FIELD". */
	int (*check)(struct store *s, int64_t body_id, const json_t *params,
		     int64_t now, json_t **canon, struct px_error *err);
	/* Apply the effect; it may add to *journal (an object) what the
	 * journal entry of the decision should say about the effect. */
	int (*apply)(struct store *s, const struct motion_effect *m,
		     json_t *journal, struct px_error *err);
};

/* The row for name, or NULL. */
const struct motion_kind *motion_kind_find(const char *name);
/* The whole table, ended by a row with name NULL. */
extern const struct motion_kind motion_kinds[];

#endif
