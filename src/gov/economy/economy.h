/*
 * gov/economy/economy.h: the public face of the economy domain:
 * workplaces that govern themselves (issue 15, docs/economy.md), their
 * foundation: enterprises.
 *
 * An enterprise is a body of kind "enterprise", located in a community
 * and bound by the laws of that community's local assembly. It meets,
 * moves and votes with the machinery every assembly uses (procedure.h);
 * it decides its own rule, schedule, offices, committees and exclusions
 * (the kinds of assembly_kinds.c it shares), and two kinds of its own
 * (economy_kinds.c): admit_member, set_conditions. It never decides a
 * kind that writes a law register (motion_kind_refusal).
 *
 * No wage labour, by construction: a member of an enterprise is a row of
 * memberships like any other, one person, one equal vote; there is no
 * employee, employer, wage or hiring anywhere, and no kind, office or
 * field ranks a member above another (tests/api/test_economy.py walks
 * the kinds, the routes and the schema to keep it so).
 *
 * Joining is by the enterprise's decision: an admission (made by an
 * adopted admit_member, or by the founders at the founding) lets the
 * person named join, once, by their own act (POST .../members, as for
 * any body); without one, joining is refused. Leaving is always free and
 * immediate (member.c's leave, unchanged).
 *
 * Every effect is one journal entry, applied by the same function live
 * and in replay (economy_replay): enterprise.found. The admissions are
 * the effects of decisions (motion.decide) and of the founding; the join
 * that takes one is member.join. Results are new jansson references the
 * caller frees.
 *
 * http/, cli/ and the other domains include this header and nothing else
 * of gov/economy/.
 */
#ifndef PNYX_GOV_ECONOMY_H
#define PNYX_GOV_ECONOMY_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

struct store;

#define ECONOMY_FOUNDERS_MAX 50 /* people the founder names beside themselves */
#define ECONOMY_LIST_MAX 10000

/* ------------------------------------------------------------------ */
/*
 * enterprise.c: founding, listing and showing enterprises.
 *
 * Founding input (POST /api/v1/enterprises):
 *   name       1-120 characters
 *   slug       optional; derived from the name when absent
 *   community  the community's slug: it must have a local assembly of
 *              which the founder is an active member
 *   purpose    what the enterprise is for, 1-4,000 characters of Markdown
 *   provides   what it produces or provides, 1-2,000 characters
 *   rule       its decision rule set (docs/rules.md)
 *   schedule   its regular meetings {"rrule","tz","place"}
 *   founders   optional: the handles of the people founding it with the
 *              caller; each is admitted at once and joins by their own act
 */
struct enterprise_found {
	const char *name;
	const char *slug; /* may be NULL */
	const char *community;
	const char *purpose;
	const char *provides;
	const json_t *rule;
	const json_t *schedule;
	const json_t *founders; /* may be NULL: an array of handles */
};
/* Errors name the field: name, slug, community, purpose, provides, rule,
 * schedule, founders. */
int gov_enterprise_found(const struct gov_ctx *ctx, const struct enterprise_found *in,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;
/* [{"slug","name","community","community_name","provides","members"}],
 * of one community when community is not NULL (PX_E_NOT_FOUND naming
 * "community" when there is none). */
int gov_enterprise_list(const struct gov_ctx *ctx, const char *community, json_t **out,
			struct px_error *err) PX_MUST_CHECK;
/* The list's fields and "purpose", "rules", "schedule", "schedule_text",
 * "founded_at", "assembly" (the local assembly's slug and name, whose
 * laws bind it), "conditions" {"text","motion","at"} (text "" until set),
 * "member_list" [{"handle","display_name","since"}] (active members, all
 * equal), "offices" [{"name","duties","holder"}], "admitted"
 * [{"handle","display_name","at","motion"}] (admitted, not yet joined),
 * "voided" [{"decision","title","kind","by","law","law_title","reasons",
 * "at"}] (its decisions the local assembly declared void under a law). */
int gov_enterprise_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* Internal to gov/ (member.c and replay call these inside their tx). */

/* account joins the enterprise body: take their waiting admission (its
 * joined_at is set to now), else PX_E_ENTERPRISE_NOT_ADMITTED. */
int economy_admission_take(struct store *s, int64_t body_id, int64_t account_id,
			   int64_t now, struct px_error *err) PX_MUST_CHECK;
/* A membership of the local assembly local_id on the basis "works" that
 * names enterprise (a slug): *enterprise_id when it is an enterprise
 * located in the assembly's community and account is an active member
 * of it; else PX_E_NOT_FOUND or PX_E_CONFLICT naming "enterprise". */
int economy_works_in(struct store *s, int64_t local_id, int64_t account_id,
		     const char *enterprise, int64_t *enterprise_id,
		     struct px_error *err) PX_MUST_CHECK;
/* *yes: 1 when body is an enterprise. */
int economy_is_enterprise(struct store *s, int64_t body_id, int *yes) PX_MUST_CHECK;

/* The kinds of motion of an enterprise's own (economy_kinds.c), and the
 * local assembly's kind that declares one of its decisions void under a
 * law (void.c: void_enterprise_decision), listed in gov/kinds.c. */
extern const struct motion_kind economy_kinds[];
extern const struct motion_kind economy_local_kinds[];

/* ------------------------------------------------------------------ */
/*
 * militia.c: volunteer militias, formed by the same decision of one or
 * more local assemblies (form_militia), joined and left freely by the
 * members of those assemblies (basis "volunteer"), dissolved by any of
 * them (dissolve_militia); nothing a militia decides is law.
 */
/* [{"slug","name","purpose","status":"forming"|"active"|"dissolved",
 * "proposed_at","formed_at","dissolved_by","dissolved_at","members",
 * "assemblies":[{"slug","name","adopted_by","at"}]}] */
int gov_militia_list(const struct gov_ctx *ctx, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* The list's fields and, once formed, "member_list" [{"handle",
 * "display_name","since"}], "offices" [{"name","duties","holder"}],
 * "rules", "schedule", "schedule_text". PX_E_NOT_FOUND. */
int gov_militia_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* account joins body on basis (member.c, inside its tx): for a militia,
 * the basis is "volunteer", it is not dissolved, and account is an
 * active member of an assembly that formed it; for any other body the
 * basis "volunteer" is refused. */
int militia_join_check(struct store *s, int64_t body_id, int64_t account_id,
		       const char *basis, struct px_error *err) PX_MUST_CHECK;
/* The local assembly's kinds that form and dissolve a militia. */
extern const struct motion_kind militia_kinds[];

/* For src/gov/replay: 1 when action is one of this domain's entries. */
int economy_owns(const char *action, size_t len);
/* Apply an entry of this domain, as the live path did. */
int economy_replay(struct store *s, const char *action, const json_t *payload,
		   int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * contributions.c: contributions and reputation without prices, on the
 * ValueFlows model (docs/economy.md). A commitment is the enterprise's
 * decision (the kind state_commitment); a delivery is recorded by any of
 * its active members (delivery.record); an appreciation of a delivery by
 * whoever took it (appreciation.add).
 *
 * Delivery input (POST /api/v1/enterprises/{slug}/deliveries):
 *   commitment     optional: one of the enterprise's commitments, whose
 *                  action, what and unit are the defaults
 *   action         deliverService | produce | transfer
 *   what           1-200 characters;  quantity 1-1,000,000;  unit 1-40
 *   to             optional: the handle of the person who took it
 *   to_enterprise  optional: the enterprise that took it (not both)
 *   at             optional: when, between the founding and now (now)
 *   note           optional, up to 2,000 characters
 */
struct delivery_in {
	int64_t commitment; /* 0: none */
	const char *action, *what, *unit, *to, *to_enterprise, *note;
	int64_t quantity;
	int64_t at;
	int has_at;
};
/* The delivery recorded {"id","commitment","action","what","quantity",
 * "unit","to","to_name","to_enterprise","to_enterprise_name","note","at",
 * "recorded_by","recorded_at","enterprise","enterprise_name"}.
 * PX_E_NOT_MEMBER unless the caller is an active member; errors name
 * the field. */
int gov_delivery_record(const struct gov_ctx *ctx, const char *slug,
			const struct delivery_in *in, json_t **out,
			struct px_error *err) PX_MUST_CHECK;
/* A delivery recorded by mistake is corrected by the member who recorded
 * it, within DELIVERY_CORRECTION_WINDOW of recording it, once, and not
 * after a standing decision of the local assembly read it: a new record
 * points at it (in: what did happen, the fields not given being the old
 * record's; NULL: nothing happened), with the reason; the old record
 * stays, marked corrected, and the record the assembly reads is the
 * corrected one. An appreciation of it follows to its replacement (which
 * keeps its taker); one appreciated cannot be said not to have happened.
 * The result is the old delivery, with "corrected". PX_E_FORBIDDEN for
 * anyone but its recorder; PX_E_CONFLICT naming "delivery" when corrected
 * already, a correction itself, too old, or read by a standing decision. */
#define DELIVERY_CORRECTION_WINDOW (7 * 86400)
int gov_delivery_correct(const struct gov_ctx *ctx, const char *slug, int64_t delivery,
			 const char *reason, const struct delivery_in *in, json_t **out,
			 struct px_error *err) PX_MUST_CHECK;
/* Appreciation input: text 1-1,000 characters, met_need, delivery
 * (0: the latest to the caller not yet appreciated), on_behalf (NULL, or
 * an enterprise the caller is an active member of, which took it). */
struct appreciation_in {
	const char *text;
	int met_need;
	int64_t delivery;
	const char *on_behalf;
};
/* PX_E_APPRECIATION_NOTHING_TAKEN when nothing was delivered to the
 * caller (or the enterprise they speak for); PX_E_FORBIDDEN for its own
 * members. */
int gov_appreciation_add(const struct gov_ctx *ctx, const char *slug,
			 const struct appreciation_in *in, json_t **out,
			 struct px_error *err) PX_MUST_CHECK;
/* {"enterprise","commitments","deliveries","took","appreciations",
 * "record"}: the record is the last twelve months, month by month. */
int gov_contributions_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
			  struct px_error *err) PX_MUST_CHECK;
/* The same as JSON-LD in the ValueFlows vocabulary (vf:Commitment,
 * vf:EconomicEvent, vf:Appreciation). */
int gov_valueflows(const struct gov_ctx *ctx, const char *slug, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * standing.c: good standing in the sharing economy, decided by the local
 * assembly (decide_standing, standing_cycle); a person's basis
 * (standing.basis).
 */
/* The bases that count as contributing reasonably, NULL-ended. */
extern const char *const standing_bases[];
/* {"enterprise","name","community","assembly","standing" (the current
 * decision or null),"cycle","due_at","review_open","history"}. */
int gov_standing_enterprise(const struct gov_ctx *ctx, const char *slug, json_t **out,
			    struct px_error *err) PX_MUST_CHECK;
/* {"handle","display_name","standing" {"standing","source" (by_name,
 * basis, enterprise, none),...},"basis","enterprises","history"}. */
int gov_standing_person(const struct gov_ctx *ctx, const char *handle, json_t **out,
			struct px_error *err) PX_MUST_CHECK;
/* A local assembly's standing review: {"assembly","name","community",
 * "community_name","cycle","enterprises" [with standing, due_at,
 * review_open, record (with months), appreciations],"people","bases",
 * "pending"}. */
int gov_standing_review(const struct gov_ctx *ctx, const char *slug, json_t **out,
			struct px_error *err) PX_MUST_CHECK;
/* The standing reviews that opened in (from, to], for the notifier's
 * clock (src/gov/notice): [{"enterprise" (its id) | "person" (an account
 * id), "name", "assembly" (the local assembly's id), "assembly_slug",
 * "assembly_name", "due_at"}]: an enterprise's review on its date; a
 * person on probation by name, on the date the decision set, while it is
 * still their standing. A new reference in *out. */
int standing_reviews_opened(struct store *s, int64_t from, int64_t to,
			    json_t **out) PX_MUST_CHECK;
/* The caller records their basis (one of standing_bases) with a note, or
 * clears it (basis NULL or "none"); the result is gov_standing_person's. */
int gov_standing_basis(const struct gov_ctx *ctx, const char *basis, const char *note,
		       json_t **out, struct px_error *err) PX_MUST_CHECK;

/* Internal to gov/economy. */
int economy_action_valid(const char *action);
int economy_enterprise_id(struct store *s, const char *slug, int64_t *id) PX_MUST_CHECK;
/* The record of an enterprise over [from, to]: its commitments against
 * deliveries, other deliveries, appreciations, what it took; month by
 * month when with_months. A new reference in *out. */
int economy_record(struct store *s, int64_t body_id, int64_t from, int64_t to,
		   int with_months, json_t **out) PX_MUST_CHECK;
int standing_apply_basis(struct store *s, const json_t *p, int64_t at, const char *actor,
			 struct px_error *err) PX_MUST_CHECK;
/* Standing as the sharing economy (src/gov/sharing) reads it: *rank is
 * ECONOMY_GOOD, ECONOMY_PROBATION, ECONOMY_OUTSIDE or 0 (none decided).
 * An enterprise's is its local assembly's latest decision; a person's
 * follows gov_standing_person (by name, a basis, their enterprises). */
#define ECONOMY_GOOD 3
#define ECONOMY_PROBATION 2
#define ECONOMY_OUTSIDE 1
int economy_enterprise_standing(struct store *s, int64_t enterprise, int *rank) PX_MUST_CHECK;
int economy_person_standing(struct store *s, int64_t account, int *rank) PX_MUST_CHECK;
/* The kinds: an enterprise's state_commitment; the local assembly's
 * decide_standing and standing_cycle (listed in gov/kinds.c). */
extern const struct motion_kind contribution_kinds[];
extern const struct motion_kind standing_kinds[];
/* For src/gov/replay: delivery.record, delivery.correct, appreciation.add,
 * standing.basis. */
int contributions_owns(const char *action, size_t len);
int contributions_replay(struct store *s, const char *action, const json_t *payload,
			 int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;

#endif
