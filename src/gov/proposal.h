/*
 * proposal.h: proposals that travel. A delegate assembly adopts a
 * proposal (motion kind adopt_proposal) and may issue new versions
 * (new_proposal_version); each version is offered to its member
 * assemblies, and each member answers by its own decision
 * (answer_proposal): accept, reject, or amend with a counter-text. A
 * delegate assembly that accepts passes the version on to its members.
 *
 * When a version's condition (src/core/ratify.h) is met over the tree of
 * assemblies beneath the originator, the law enters the register of every
 * local assembly whose acceptance counts, linked to the proposal version
 * and to that assembly's own accepting decision. Assemblies that did not
 * accept are untouched; one that accepts later joins when its decision
 * takes effect; one that repeals the law leaves (its acceptance is
 * recorded as withdrawn). The delegate assembly itself never writes any
 * register: the law's authority is each local assembly's decision.
 *
 * The effect functions run inside the deciding transaction. Readers
 * return new json references.
 */
#ifndef PNYX_PROPOSAL_H
#define PNYX_PROPOSAL_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

struct store;
struct px_error;

/* Check a condition ({"kind":"at_least","n":N} | {"kind":
 * "share_of_assemblies"|"share_of_population","percent":P} | {"kind":
 * "all_of","assemblies":[local slugs]}) into its canonical form. Errors
 * name field. */
int proposal_condition_check(struct store *s, const json_t *in,
			     const char *field, json_t **canon,
			     struct px_error *err);

/* Effects. */
int proposal_create(struct store *s, int64_t body_id, const char *title,
		    const char *text, const char *rationale,
		    const json_t *condition, int64_t motion_id, int64_t now,
		    int64_t *id);
int proposal_new_version(struct store *s, int64_t proposal_id,
			 const char *title, const char *text,
			 const char *rationale, const json_t *condition,
			 int64_t motion_id, int64_t now, int64_t *version);
int proposal_answer(struct store *s, int64_t proposal_id, int64_t version,
		    int64_t body_id, const char *answer,
		    const char *counter_text, const char *reasons,
		    int64_t motion_id, int64_t now, const char *actor,
		    json_t *effect);
/* member joined federation: offer it what the federation offers its
 * members now (its own proposals' latest versions, and the versions it
 * accepted from above). */
int proposal_offer_to_new_member(struct store *s, int64_t federation,
				 int64_t member, int64_t now);
/* A law of body_id was repealed by motion_id: if it came from a proposal,
 * the assembly's acceptance is withdrawn and the status recomputed. */
int proposal_law_repealed(struct store *s, int64_t body_id, int64_t law_number,
			  int64_t motion_id, int64_t now, const char *actor,
			  json_t *effect);

/* The membership member -> federation became active (delta +1) or
 * stopped being active (-1), as fed_set_member_status reported: the
 * running counts follow, and every proposal of the federation or of an
 * assembly above it is counted again (a law may enter the registers of
 * the local assemblies that now count). */
int proposal_membership_changed(struct store *s, int64_t federation, int64_t member,
				int delta, int64_t now, const char *actor,
				json_t *effect);

/* Facts the checks and readers need. */
/* The latest answer of body to a version: answer (room for 16) and its
 * motion, or "" and 0 when none. */
void proposal_latest_answer(struct store *s, int64_t proposal, int64_t version,
			    int64_t body, char answer[16], int64_t *motion);
/* The law of body that came from proposal (the latest such), if any: its
 * id (0 when none), number, whether in force, and the proposal version
 * its text is from. */
int64_t proposal_law_of(struct store *s, int64_t body, int64_t proposal,
			int64_t *number, int *in_force, int64_t *from_version);
/* The originating body of a proposal and its latest version; PX_E_NOT_FOUND. */
int proposal_find(struct store *s, int64_t id, int64_t *body_id,
		  int64_t *latest, struct px_error *err, const char *field);
/* 1 when version of proposal was offered to body_id. */
int proposal_offered(struct store *s, int64_t id, int64_t version,
		     int64_t body_id);

/* Readers (API and CLI). */
/* {"id","body","versions":[{"version","title","text","rationale",
 * "condition","adopted_by","at"}],"answers":[{"body","version","answer",
 * "counter_text","reasons","motion","at"}]}: every answer, or with
 * version > 0 those to that version; with limit > 0 only the latest limit
 * of them, and "answers_total" says how many there are. */
int gov_proposal_get(const struct gov_ctx *ctx, int64_t id, int64_t version,
		     int64_t limit, json_t **out, struct px_error *err);
/* {"id","body","title","latest","counted":"sums"|"walk","versions":[
 * {"version","condition","locals","locals_accepted","population",
 * "population_accepted","met","named_accepted"?}] (the 16 latest),
 * "tree":{"body","name","kind","answers":{"1":"accept",...},
 * "counts":[versions where its acceptance counts],
 * local: "population","law":{"number","proposal_version","status"}?;
 * delegate: "locals","population" (beneath it),"members","sums":{"1":
 * {"locals_accepted","population_accepted"}},"children":[...],
 * "children_omitted"?}}. The tree starts at the originator, or at under
 * (a slug beneath it; else PX_E_NOT_FOUND naming "under"), and shows at
 * most 400 assemblies, breadth first. */
int gov_proposal_status(const struct gov_ctx *ctx, int64_t id, const char *under,
			json_t **out, struct px_error *err);
/* {"originated":[{"id","title","version","at"}],"offered":[{"id","title",
 * "from","version","answer"}]} */
int gov_body_proposals(const struct gov_ctx *ctx, const char *slug,
		       json_t **out, struct px_error *err);

#endif
