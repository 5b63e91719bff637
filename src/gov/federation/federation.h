/*
 * gov/federation/federation.h: the public face of the federation domain: voluntary federation: delegate assemblies, delegates, proposals that
 * travel down and the answers of the assemblies beneath.
 *
 * http/, cli/ and the other domains include this header and nothing
 * else of gov/federation/; the rest of the folder is its own business.
 */
#ifndef PNYX_GOV_FEDERATION_H
#define PNYX_GOV_FEDERATION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "gov/gov.h"
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

/* ------------------------------------------------------------------ */
/*
 * federation.c: delegate assemblies, the assemblies that belong to them,
 * and the delegates they send.
 *
 * Every change here is the effect of an adopted motion (motion_kinds_fed.c)
 * and runs inside that decision's transaction; the functions below are its
 * building blocks and its readers. A delegate assembly's memberships rows
 * (basis 'delegate') are kept in step with the delegations only by
 * fed_sync_seat(): a person is an active member exactly while they hold an
 * unrecalled seat of a member assembly whose membership is active.
 */
struct store;
struct px_error;

/* The body's id and kind ("local" or "delegate") by slug; PX_E_NOT_FOUND
 * naming field. kind has room for 16 bytes. */
int fed_body_by_slug(struct store *s, const char *slug, const char *field,
		     int64_t *id, char kind[16], struct px_error *err) PX_MUST_CHECK;
/* *yes: 1 when body_id is a delegate assembly. */
int fed_is_delegate(struct store *s, int64_t body_id, int *yes) PX_MUST_CHECK;
/* The status of member in federation: "active", "left", "suspended", or
 * "" when it never joined. status has room for 16 bytes. */
int fed_member_status(struct store *s, int64_t federation, int64_t member,
		      char status[16]) PX_MUST_CHECK;

/* May a body of its kind decide a motion of this kind? The kind's row
 * says (decided_by, KIND_WRITES_LAW: motion_kind_refusal):
 * PX_E_FED_NO_LAWS / PX_E_FED_KIND naming "kind". */
int fed_kind_allowed(struct store *s, int64_t body_id, const char *kind,
		     struct px_error *err) PX_MUST_CHECK;

/* Federations nest at most this many memberships deep (a local assembly
 * in a district in a region ... : 32 levels), so that every walk up or
 * down the federation is bounded. */
#define FED_MAX_DEPTH 32

/* *yes: 1 when inner is beneath outer at any depth (or is outer),
 * following memberships that have not ended (active or suspended). */
int fed_contains(struct store *s, int64_t outer, int64_t inner, int *yes) PX_MUST_CHECK;

/* May member join federation without a chain of memberships longer than
 * FED_MAX_DEPTH? PX_E_CONFLICT naming "params.federation" if not. */
int fed_depth_check(struct store *s, int64_t federation, int64_t member,
		    struct px_error *err) PX_MUST_CHECK;

/* *yes: 1 when member's last change in federation was leaving while it
 * was suspended: rejoining does not end the suspension. */
int fed_left_suspended(struct store *s, int64_t federation, int64_t member,
		       int *yes) PX_MUST_CHECK;

/* Set member's status in federation (inserting the row on first join),
 * record the change with its motion, keep the closure of the federation
 * graph in step (fed_tree.h), and bring every seat of that member in
 * step. *delta receives +1 when the membership became active, -1 when
 * it stopped being active, else 0: the caller passes it on to
 * proposal_membership_changed(). */
int fed_set_member_status(struct store *s, int64_t federation, int64_t member,
			  const char *status, int64_t motion_id, int64_t now,
			  const char *actor, int64_t *withdrawn, int *delta) PX_MUST_CHECK;

/* Bring account's membership of federation in step with its seats; a
 * person who loses the seat has every vote withdrawn that they cast in a
 * vote of the federation still open, leaves any office there, and loses
 * the seats the federation gave them in wider assemblies (ended by
 * motion_id, the decision that caused it), at every depth. *withdrawn
 * (may be NULL) is increased by the votes withdrawn. actor (the one who
 * caused it: the decision's actor) is named in the journal entries of the
 * departures from meetings in session it makes; NULL names the person
 * themselves, whose own act it was. */
int fed_sync_seat(struct store *s, int64_t federation, int64_t account_id,
		  int64_t motion_id, int64_t now, const char *actor,
		  int64_t *withdrawn) PX_MUST_CHECK;

/* account is no longer an active member of body (left, excluded): the
 * seats body gave them stop counting at once (their memberships, votes
 * still open and offices there end). With a decision (motion_id, e.g. an
 * exclusion) the seats end by it; after a person's own leaving (0) they
 * stay on record, inert, until body recalls or replaces them. actor: as
 * for fed_sync_seat. */
int fed_person_left(struct store *s, int64_t body, int64_t account_id,
		    int64_t motion_id, int64_t now, const char *actor) PX_MUST_CHECK;

/* The population beneath a body: a local assembly's community, or the
 * distinct local assemblies beneath a delegate assembly. */
int fed_population(struct store *s, int64_t body_id, int64_t *n) PX_MUST_CHECK;

/*
 * The weighted counts of a vote in a delegate assembly. Each member
 * assembly with an active membership has a voice: 1, or its population,
 * as the federation's weighting says; its current delegates share it
 * equally (all weights scaled by a common factor so that every share is
 * whole, then divided by their greatest common divisor). counts receives
 * {position: weight}; *members the sum of every member assembly's voice;
 * *present the weight of the delegates checked in at the meeting (or,
 * for a vote held apart from a meeting, of those who voted).
 */
int fed_weighted_counts(struct store *s, int64_t federation, int64_t motion_id,
			int64_t round, int64_t meeting_id, int remote,
			json_t *counts, int64_t *members, int64_t *present) PX_MUST_CHECK;

/* The weight of each current delegate's vote in federation, as
 * fed_weighted_counts shares the voices: parallel arrays of n accounts and
 * weights (malloc'd, the caller frees both), and *members the sum of the
 * voices. */
int fed_seat_weights(struct store *s, int64_t federation, int64_t **accounts,
		     int64_t **weights, size_t *n, int64_t *members) PX_MUST_CHECK;

/* {"body","kind","memberships":[{"federation","name","purpose","region",
 * "status","since","delegates":[{"handle","mandate","elected_by","since"}]}],
 * and for a delegate assembly "purpose","region","weighting","members":[
 * {"body","name","kind","status","since","population","delegates":[...]}]} */
int gov_body_federations(const struct gov_ctx *ctx, const char *slug,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;
/* Every seat the body has held, current first: [{"federation","handle",
 * "mandate","elected_by","elected_at","recalled_by","recalled_at"}] */
int gov_body_delegations(const struct gov_ctx *ctx, const char *slug,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;
/*
 * Declarations the body adopted, and those about its decisions, newest
 * first, one page: those with id < before (0: from the newest), at most
 * limit in both lists together, only those about decision about when
 * about > 0. {"adopted": [...], "about_its_decisions": [...], "next": the
 * id to pass as before for the next page, or null}. Each is {"id",
 * "body", "body_name", "motion", "title", "text", "about": {...}, "at"}.
 * Bad before, limit or about: PX_E_OUT_OF_RANGE naming it.
 */
#define DECLARATIONS_PAGE_DEFAULT 50
#define DECLARATIONS_PAGE_MAX 200
int gov_body_declarations(const struct gov_ctx *ctx, const char *slug,
			  int64_t before, int64_t limit, int64_t about,
			  json_t **out, struct px_error *err) PX_MUST_CHECK;

/* fed_enterprise.c: federations of enterprises. *yes: 1 when body_id is
 * an enterprise or a delegate assembly that federates enterprises. */
int fed_of_enterprises(struct store *s, int64_t body_id, int *yes) PX_MUST_CHECK;
/* May member (the body deciding to join or found) belong to federation?
 * Enterprises with federations of enterprises, assemblies with
 * federations of assemblies: else PX_E_FED_MEMBERS naming
 * "params.federation". */
int fed_member_fits(struct store *s, int64_t federation, int64_t member,
		    struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * proposal.c: proposals that travel. A delegate assembly adopts a
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
struct store;
struct px_error;

/* Check a condition ({"kind":"at_least","n":N} | {"kind":
 * "share_of_assemblies"|"share_of_population","percent":P} | {"kind":
 * "all_of","assemblies":[local slugs]}) into its canonical form. Errors
 * name field. */
int proposal_condition_check(struct store *s, const json_t *in,
			     const char *field, json_t **canon,
			     struct px_error *err) PX_MUST_CHECK;

/* Effects. */
int proposal_create(struct store *s, int64_t body_id, const char *title,
		    const char *text, const char *rationale,
		    const json_t *condition, int64_t motion_id, int64_t now,
		    int64_t *id) PX_MUST_CHECK;
int proposal_new_version(struct store *s, int64_t proposal_id,
			 const char *title, const char *text,
			 const char *rationale, const json_t *condition,
			 int64_t motion_id, int64_t now, int64_t *version) PX_MUST_CHECK;
int proposal_answer(struct store *s, int64_t proposal_id, int64_t version,
		    int64_t body_id, const char *answer,
		    const char *counter_text, const char *reasons,
		    int64_t motion_id, int64_t now, const char *actor,
		    json_t *effect) PX_MUST_CHECK;
/* member joined federation: offer it what the federation offers its
 * members now (its own proposals' latest versions, and the versions it
 * accepted from above). */
int proposal_offer_to_new_member(struct store *s, int64_t federation,
				 int64_t member, int64_t now) PX_MUST_CHECK;
/* An answer of a member assembly on another node (an activity received,
 * gov/nodes) to a version body offered it changed what that member
 * contributes beneath body by dl local assemblies and dp people (+1 and
 * its population when it now accepts, -1 and what it reported when it no
 * longer does): the sums follow and the version is counted again. The
 * member's own register is on its node: nothing is written here but the
 * counts. */
int proposal_remote_answer(struct store *s, int64_t proposal, int64_t version, int64_t body,
			   int64_t dl, int64_t dp, int64_t now, const char *actor,
			   json_t *effect) PX_MUST_CHECK;
/* Delegate assembly body accepted, by motion_id, version of the proposal
 * at purl, offered it through its membership rel in a delegate assembly
 * on another node: the proposal is relayed here (made once per rel and
 * purl, *proposal, the version under its own number) and offered to
 * body's members, here and on other nodes. Its condition is counted
 * there; here it is met when that node says so (proposal_relay_met). */
int proposal_relay_version(struct store *s, int64_t body, int64_t rel, const char *purl,
			   int64_t version, const char *title, const char *text,
			   const char *rationale, const json_t *condition, int64_t motion_id,
			   int64_t now, int64_t *proposal) PX_MUST_CHECK;
/* The node above said the version's condition is met: the law enters
 * the registers of the accepting local assemblies beneath, here, and
 * those on other nodes are told. */
int proposal_relay_met(struct store *s, int64_t proposal, int64_t version, int64_t now,
		       const char *actor, json_t *effect) PX_MUST_CHECK;
/* A law of body_id was repealed by motion_id: if it came from a proposal,
 * the assembly's acceptance is withdrawn and the status recomputed. */
int proposal_law_repealed(struct store *s, int64_t body_id, int64_t law_number,
			  int64_t motion_id, int64_t now, const char *actor,
			  json_t *effect) PX_MUST_CHECK;

/* The membership member -> federation became active (delta +1) or
 * stopped being active (-1), as fed_set_member_status reported: the
 * running counts follow, and every proposal of the federation or of an
 * assembly above it is counted again (a law may enter the registers of
 * the local assemblies that now count). */
int proposal_membership_changed(struct store *s, int64_t federation, int64_t member,
				int delta, int64_t now, const char *actor,
				json_t *effect) PX_MUST_CHECK;

/* Facts the checks and readers need. */
/* The latest answer of body to a version: answer (room for 16) and its
 * motion, or "" and 0 when none. */
int proposal_latest_answer(struct store *s, int64_t proposal, int64_t version,
			   int64_t body, char answer[16], int64_t *motion) PX_MUST_CHECK;
/* The law of body that came from proposal (the latest such), if any: its
 * id in *law (0 when none), number, whether in force, and the proposal
 * version its text is from. */
int proposal_law_of(struct store *s, int64_t body, int64_t proposal, int64_t *law,
		    int64_t *number, int *in_force, int64_t *from_version) PX_MUST_CHECK;
/* The originating body of a proposal and its latest version; PX_E_NOT_FOUND. */
int proposal_find(struct store *s, int64_t id, int64_t *body_id,
		  int64_t *latest, struct px_error *err, const char *field) PX_MUST_CHECK;
/* *yes: 1 when version of proposal was offered to body_id. */
int proposal_offered(struct store *s, int64_t id, int64_t version,
		     int64_t body_id, int *yes) PX_MUST_CHECK;

/* Readers (API and CLI). */
/* The local assemblies beneath delegate assembly body and their
 * population, the denominator of a share condition it counts: those on
 * this node (the closure, each once) and those its members on other nodes
 * last reported (nodes_remote_size). What a delegate assembly here that
 * answers for the assemblies beneath it reports up as its totals. */
int fed_beneath_size(struct store *s, int64_t body, int64_t *locals,
		     int64_t *population) PX_MUST_CHECK;
/* {"id","body","versions":[{"version","title","text","rationale",
 * "condition","adopted_by","at"}],"answers":[{"body","version","answer",
 * "counter_text","reasons","motion","at"}]}: every answer, or with
 * version > 0 those to that version; with limit > 0 only the latest limit
 * of them, and "answers_total" says how many there are. */
int gov_proposal_get(const struct gov_ctx *ctx, int64_t id, int64_t version,
		     int64_t limit, json_t **out, struct px_error *err) PX_MUST_CHECK;
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
			json_t **out, struct px_error *err) PX_MUST_CHECK;
/* {"originated":[{"id","title","version","at"}],"offered":[{"id","title",
 * "from","version","answer"}]} */
int gov_body_proposals(const struct gov_ctx *ctx, const char *slug,
		       json_t **out, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* The kinds of motion of voluntary federation (motion_kinds_fed.c): rows for the
 * registry of procedure.h, listed in gov/kinds.c. */

extern const struct motion_kind federation_kinds[];

#endif
