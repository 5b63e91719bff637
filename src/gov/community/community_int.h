/*
 * gov/community/community_int.h: what the files of gov/community share
 * among themselves (divide.c, unite.c, choose.c, lineage.c). Not public.
 */
#ifndef PNYX_GOV_COMMUNITY_INT_H
#define PNYX_GOV_COMMUNITY_INT_H

#include <jansson.h>
#include <stdint.h>

#include "gov/procedure/procedure.h"

struct store;
struct px_error;
struct kind_args;

/* What a new assembly inherits from the one it comes from. */
struct old_body_view {
	int64_t id, community;
	char *statement, *rules, *schedule, *secret_kinds, *language, *name;
};
int community_old_body(struct store *s, int64_t body_id, struct old_body_view *v) PX_MUST_CHECK;
void community_old_body_free(struct old_body_view *v);
int community_proposer(struct store *s, int64_t motion, int64_t *id) PX_MUST_CHECK;

/* A new community and its local assembly (statement, rules, ballots and
 * language of old; schedule as given), its meetings made. */
int community_make_local(struct store *s, const struct old_body_view *old,
			 const char *slug, const char *name, const char *areas,
			 int64_t population, const json_t *schedule, int64_t founder,
			 int64_t motion, int64_t now, int64_t *body) PX_MUST_CHECK;
int community_lineage_add(struct store *s, int64_t from, int64_t to, const char *how,
			  int64_t motion) PX_MUST_CHECK;
/* body decides nothing more: offices empty, committees revoked, motions
 * still undecided void, future regular meetings gone, body_ends row. */
int community_end_body(struct store *s, const struct motion_effect *m, int64_t body,
		       const char *how) PX_MUST_CHECK;
int community_fed_status(struct store *s, const struct motion_effect *m, int64_t fed,
			 int64_t member, const char *status) PX_MUST_CHECK;
/* old's federation memberships pass to heir (names appended to list). */
int community_pass_memberships(struct store *s, const struct motion_effect *m,
			       int64_t old, int64_t heir, json_t *list) PX_MUST_CHECK;
/* Every active member of the divided body is to choose (choose.c). */
int community_choices_open(struct store *s, int64_t body) PX_MUST_CHECK;

/* The rows of community_kinds.c. */
int ck_check_divide(struct store *s, int64_t body_id, const struct kind_args *a,
		    json_t *canon, struct px_error *err);
int ck_apply_divide(struct store *s, const struct motion_effect *m, json_t *j,
		    struct px_error *err);
int ck_check_unite(struct store *s, int64_t body_id, const struct kind_args *a,
		   json_t *canon, struct px_error *err);
int ck_apply_unite(struct store *s, const struct motion_effect *m, json_t *j,
		   struct px_error *err);

#endif
