/*
 * vote.h: what opening and casting (vote.c) share with closing
 * (vote_close.c). Internal to gov/procedure/: other folders use
 * procedure.h.
 */
#ifndef PNYX_GOV_PROCEDURE_VOTE_H
#define PNYX_GOV_PROCEDURE_VOTE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"
#include "core/rule.h"
#include "gov/gov.h"

struct store;

/* The positions, their bits in the rule module and their tally fields. */
struct vote_position {
	const char *name;
	unsigned bit;
	size_t offset;
};
#define VOTE_NPOS 6
extern const struct vote_position vote_positions[VOTE_NPOS];
/* The index of a position by name, or -1. */
int vote_position_index(const char *name);

/* Everything about a motion that voting needs. */
struct motion_row {
	int64_t id, body_id, meeting_id, parent_id, proposer, round, members, committee;
	char slug[80], kind[48], status[16], ballot[8], mode[8];
	char *title, *text, *params, *rule;
	int has_remote;
	int ranked; /* an election by ranked ballots (ranked.h) */
	int64_t opens_at, closes_at;
};

/* Load the motion (PX_E_NOT_FOUND naming none); release what it holds. */
int vote_row_load(struct store *s, int64_t id, struct motion_row *m,
		  struct px_error *err) PX_MUST_CHECK;
void vote_row_release(struct motion_row *m);
/* The rule copied into the motion when its vote opened. */
int vote_load_rule(const struct motion_row *m, struct decision_rule *r) PX_MUST_CHECK;
/* A secret ballot's zero counts for the positions offered in round. */
int vote_prepare_counts(struct store *s, int64_t motion, int64_t round,
			const struct decision_rule *rule) PX_MUST_CHECK;
/* The motion's meeting is in session and the caller an active member. */
int vote_at_open_meeting(struct store *s, const struct gov_ctx *ctx,
			 const struct motion_row *m, struct px_error *err) PX_MUST_CHECK;
/* Whether the motion itself lets its vote open now (whoever asks): 0, or
 * PX_E_CONFLICT with the reason in err (vote.c). */
int vote_open_blocked(struct store *s, const struct motion_row *m,
		      struct px_error *err) PX_MUST_CHECK;
/* The same for motion_id as a yes or no and, when no, the reason in why
 * (why_size bytes, in lang, the reader's language: core/i18n.h) and as
 * a code for the pages to say in their reader's language: "remote",
 * "amendments" (n of them undecided), "amended_closed", or NULL (a
 * reason without a code: the words only); an error code only when the
 * database failed or there is no such motion. */
int vote_open_possible(struct store *s, int64_t motion_id, const char *lang, int *yes,
		       char *why, size_t why_size, const char **code, int64_t *n) PX_MUST_CHECK;
/* Start an authorised online vote (if not started) with the rule in
 * force now. */
int vote_start_remote(struct store *s, const struct gov_ctx *ctx,
		      struct motion_row *m, struct px_error *err) PX_MUST_CHECK;

/* The arguments of every vote operation, run by vote_run in store_tx. */
struct vote_args {
	const struct gov_ctx *ctx;
	int64_t motion_id;
	const char *mode, *position;
	const json_t *counts, *ranking;
	json_t *out;
	struct px_error *err;
};
int vote_run(struct vote_args *a, int (*fn)(struct store *, void *)) PX_MUST_CHECK;

#endif
