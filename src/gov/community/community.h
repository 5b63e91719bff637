/*
 * gov/community/community.h: the public face of the community domain: a
 * community's bounds changed by its own assembly's decisions. A local
 * assembly divides into new communities (divide_community), or several
 * unite into one (unite_communities); the members of a divided assembly
 * choose their new community; every register, office and federation
 * membership follows as docs/communities.md says.
 *
 * Why a domain of its own and not gov/assembly: a division touches the
 * people (communities), the assemblies (bodies, laws, offices), the
 * federation (a regional delegate assembly, memberships passed on) and
 * procedure (what a divided assembly may still do); it composes those
 * domains through their public headers, as gov/economy and gov/lot do,
 * rather than making gov/assembly depend on gov/federation.
 *
 * http/, cli/ and the other domains include this header and nothing
 * else of gov/community/.
 */
#ifndef PNYX_GOV_COMMUNITY_H
#define PNYX_GOV_COMMUNITY_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

struct store;
struct px_error;

/* How many new communities one division makes at most, and the fewest. */
#define COMMUNITY_DIVIDE_MIN 2
#define COMMUNITY_DIVIDE_MAX 50
/* How long after the division a member may change their choice once
 * (freely after it): 30 days. */
#define COMMUNITY_CHOICE_WINDOW (30 * 86400)

/* 0 while body_id may still decide; PX_E_DIVIDED or PX_E_UNITED (naming
 * no field) once it divided or united by its own decision. Every path to
 * a decision (submitting a motion, opening or closing a vote, joining)
 * asks it. */
int community_body_decides(struct store *s, int64_t body_id,
			   struct px_error *err) PX_MUST_CHECK;

/* *ended: 1 when body_id ended by dividing or uniting. */
int community_body_ended(struct store *s, int64_t body_id, int *ended) PX_MUST_CHECK;

/* What a body became and where it came from, for its page:
 * {"ended": null | {"how","motion","at"}, "became": [{"slug","name",
 * "kind","how"}], "came_from": [{"slug","name","how","motion"}]} */
int community_lineage_json(struct store *s, int64_t body_id, json_t **out) PX_MUST_CHECK;

/* The caller's choices still to make or made: [{"from":{"slug","name"},
 * "chosen": slug|null, "choices":[{"slug","name","areas"}],
 * "changes_left", "window_ends"}] */
int gov_community_choices(const struct gov_ctx *ctx, json_t **out,
			  struct px_error *err) PX_MUST_CHECK;

/* The caller, a member of the divided assembly from, chooses the new
 * community to: a member there (on the basis they had, affirming the
 * statement of values they affirmed). */
int gov_community_choose(const struct gov_ctx *ctx, const char *from,
			 const char *to, json_t **out,
			 struct px_error *err) PX_MUST_CHECK;

/* The members of a divided assembly still to choose, and those who
 * chose: {"to_choose":[handles], "chosen":[{"handle","community"}]} */
int gov_community_division(const struct gov_ctx *ctx, const char *slug,
			   json_t **out, struct px_error *err) PX_MUST_CHECK;

/* Replay of a member's choice (journal action community.choose): the
 * same rows as the live path. */
int community_choice_apply(struct store *s, const char *from, const char *to,
			   const char *handle, int64_t at,
			   struct px_error *err) PX_MUST_CHECK;

/* A union of communities, under way or done: its terms ({"slug","name",
 * "areas","statement","rule","schedule"}), "status" ("adopting" or
 * "united") and "assemblies":[{"slug","name","adopted_by","at"}] (null
 * until adopted). PX_E_NOT_FOUND. */
int gov_union_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		  struct px_error *err) PX_MUST_CHECK;

/* May account join body_id? PX_E_DIVIDED/PX_E_UNITED for an ended
 * body; PX_E_CONFLICT naming "community" for one of the assemblies a
 * division made when account was a member of the divided one (they come
 * by choosing, into one of them only). */
int community_join_check(struct store *s, int64_t body_id, int64_t account_id,
			 struct px_error *err) PX_MUST_CHECK;

/* The kinds of motion of this domain (community_kinds.c). */
extern const struct motion_kind community_kinds[];

#endif
