/*
 * sharing_int.h: what the files of gov/sharing share among themselves
 * (nothing outside the folder includes it: sharing.h is the public face).
 */
#ifndef PNYX_GOV_SHARING_INT_H
#define PNYX_GOV_SHARING_INT_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#include "core/errors.h"
#include "core/pool.h"

struct store;
struct px_error;

/* A nullable column of the current row as JSON: its text (or integer),
 * or null when the column is NULL. A new reference, NULL when out of
 * memory (json_pack and json_object_set_new take it either way). */
json_t *sharing_text_or_null(sqlite3_stmt *st, int col);
json_t *sharing_int_or_null(sqlite3_stmt *st, int col);

/* A good's row, as the rules read it. */
struct good_row {
	int64_t id, economy, body, stock, holder;
	char kind[8];
	int withdrawn;
};
/* PX_E_NOT_FOUND (failed in err) when there is no such good. */
int sharing_good_row(struct store *s, int64_t id, struct good_row *g,
		     struct px_error *err) PX_MUST_CHECK;
int sharing_kind_valid(const char *kind);
/* *id: the account of handle, 0 when there is none. */
int sharing_account(struct store *s, const char *handle, int64_t *id) PX_MUST_CHECK;
/* The economy of the local assembly of the enterprise's community, 0: none. */
int sharing_economy_of_enterprise(struct store *s, int64_t enterprise,
				  int64_t *economy) PX_MUST_CHECK;
/* *yes: account is an active member of an assembly in economy now. */
int sharing_member_of(struct store *s, int64_t economy, int64_t account,
		      int *yes) PX_MUST_CHECK;
/* *yes: account's last act was to opt out. */
int sharing_opted_out(struct store *s, int64_t account, int *yes) PX_MUST_CHECK;
/* who may take from g: a member of an assembly of its economy, not opted
 * out, and (person) in good standing; the refusal failed in err. */
int sharing_may_take(struct store *s, const struct good_row *g, int64_t who, int person,
		     struct px_error *err) PX_MUST_CHECK;
/* PX_E_CONFLICT (failed in err) when who holds an item past its due date,
 * in any economy (a member pooled by a federation's policy borrows from
 * economies not their own): someone with an item overdue is lent no
 * other, wherever. */
int sharing_overdue(struct store *s, int64_t who, int64_t now,
		    struct px_error *err) PX_MUST_CHECK;
/* Open a round of good under scarcity from `from`, for days. */
int sharing_round_open(struct store *s, int64_t good, int64_t scarcity, int64_t from,
		       int64_t days) PX_MUST_CHECK;
int rounds_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		  const char *actor, struct px_error *err) PX_MUST_CHECK;
/* sealed.c: the commitments of a request's content and of a review
 * (docs/sharing.md "What the journal says of a request"). ranking and
 * items (the evidence's [{"type","size","hash"}]) may be NULL. */
void sharing_request_commitment(int64_t request, int64_t round, int64_t category,
				int64_t amount, const unsigned char leaf[32],
				const unsigned char salt[PX_SALT_BYTES], const json_t *ranking,
				const json_t *items, unsigned char out[32]);
void sharing_review_commitment(int64_t request, const unsigned char salt[PX_SALT_BYTES],
			       const char *verdict, const char *reason, unsigned char out[32]);
/* 0 when p's "commitment" is got; else PX_E_BAD_INPUT failed in err. */
int sharing_commitment_check(const json_t *p, const unsigned char got[32],
			     struct px_error *err) PX_MUST_CHECK;
struct kind_args;
struct motion_effect;
/* scarcity_kinds.c: declare_scarce and lift_scarcity as body_id decides
 * them; scarcity_fed.c reuses them for the good's assembly when a
 * federation's proposal takes effect there. */
int scarcity_check_declare(struct store *s, int64_t body_id, const struct kind_args *a,
			   json_t *canon, struct px_error *err) PX_MUST_CHECK;
int scarcity_apply_declare(struct store *s, const struct motion_effect *m, json_t *j,
			   struct px_error *err) PX_MUST_CHECK;
int scarcity_check_lift(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err) PX_MUST_CHECK;
int scarcity_apply_lift(struct store *s, const struct motion_effect *m, json_t *j,
			struct px_error *err) PX_MUST_CHECK;
/* scarcity_fed.c: a delegate assembly's propose_scarcity and
 * propose_lift_scarcity (rows in scarcity_kinds.c). */
int scarcity_check_propose(struct store *s, int64_t body_id, const struct kind_args *a,
			   json_t *canon, struct px_error *err) PX_MUST_CHECK;
int scarcity_apply_propose(struct store *s, const struct motion_effect *m, json_t *j,
			   struct px_error *err) PX_MUST_CHECK;
int scarcity_check_propose_lift(struct store *s, int64_t body_id,
				const struct kind_args *a, json_t *canon,
				struct px_error *err) PX_MUST_CHECK;
int scarcity_apply_propose_lift(struct store *s, const struct motion_effect *m, json_t *j,
				struct px_error *err) PX_MUST_CHECK;
/* May who ask in a round of g under scarcity: as sharing_may_take for a
 * person, except that a scarcity from a federation's proposal pools the
 * members of every local assembly holding its law in force (and of the
 * good's assembly), in whichever economy; anyone else PX_E_SHARING_NOT_POOLED. */
int sharing_may_request(struct store *s, const struct good_row *g, int64_t scarcity,
			int64_t who, struct px_error *err) PX_MUST_CHECK;
/* 1 when code is a refusal of the rules (who, what state, what input), 0
 * for a failure of the store, which no caller may turn into an answer. */
int sharing_refusal(int code);
/* The assemblies whose members ask in the rounds of a scarcity from a
 * proposal: [{"slug","name","declares"}] (empty for a local policy). */
int sharing_scarcity_pool(struct store *s, int64_t scarcity, json_t **out) PX_MUST_CHECK;
/* *yes: the good is scarce now (declared, not lifted). */
int sharing_good_scarce(struct store *s, int64_t good, int *yes) PX_MUST_CHECK;
/* One take {"id","good","good_name","unit","units","quantity","by",
 * "by_name","on_behalf","on_behalf_name","at","returned_at"}. */
int sharing_take_json(struct store *s, int64_t id, json_t **out) PX_MUST_CHECK;

/* Close a round (source NULL: commitment published, a product allocated)
 * or enter its seed (units allocated), and journal it, inside the
 * caller's transaction (rounds.c); *payload (the caller frees it) is the
 * entry's. requests (NULL: not wanted) is increased by the number of
 * requests the round allocated or committed to (a round of alternatives
 * adds 0). */
struct gov_ctx;
int sharing_round_settle(struct store *s, const struct gov_ctx *ctx, int64_t round,
			 const char *source, json_t **payload, int64_t *requests,
			 struct px_error *err) PX_MUST_CHECK;

/* Append a round's allocation (rounds.c): request ids[i] received
 * alloc[i] at place rank[i] (rank NULL: every place 0), into
 * round_allocations, ids ascending. */
struct px_ration_q;
int sharing_allocations_write(struct store *s, int64_t round, const int64_t *ids,
			      const struct px_ration_q *alloc, const uint32_t *rank,
			      size_t n) PX_MUST_CHECK;

/* Rounds of alternatives shared by probabilistic serial (ps.c). *alts:
 * the goods of the scarcity's group, its own first, or NULL when its
 * policy is the serial one. */
int ps_alternatives(struct store *s, int64_t scarcity, json_t **alts) PX_MUST_CHECK;
/* PX_E_BAD_INPUT naming "ranking": empty, a good outside alts, twice. */
int ps_check_ranking(const json_t *alts, const json_t *ranking,
		     struct px_error *err) PX_MUST_CHECK;
/* Close: the supplies (each alternative's stock) and the commitment,
 * checked against p's (replay) or written into fill (live). */
int ps_close(struct store *s, int64_t round, const json_t *alts, const json_t *p,
	     json_t *fill, int64_t now, struct px_error *err) PX_MUST_CHECK;
/* Draw: shares by eating, the assignment by dependent rounding from seed;
 * every figure kept, stocks lowered, items handed over. */
int ps_draw(struct store *s, int64_t round, const json_t *alts, const unsigned char seed[32],
	    const char *source, int64_t loan_days, int64_t now,
	    struct px_error *err) PX_MUST_CHECK;
/* A round's record gains "policy","alternatives" and, per request,
 * "ranking","shares","assigned" (nothing for a serial round). */
int ps_round_json(struct store *s, int64_t round, int64_t scarcity, json_t *o) PX_MUST_CHECK;
/* household.c: *id the household's (0: none); *yes when every member of
 * household hid opted out (and it has one); PX_E_BAD_INPUT naming field
 * when text names money. */
int household_id(struct store *s, const char *slug, int64_t *id) PX_MUST_CHECK;
int household_opted_out(struct store *s, int64_t hid, int *yes) PX_MUST_CHECK;
int sharing_money_check(const char *text, const char *field,
			struct px_error *err) PX_MUST_CHECK;
/* household.c, for barter.c: a write of the households' domain (apply,
 * journal, answer, in one transaction; payload consumed); the account of
 * actor (PX_E_UNAUTHENTICATED failed in err when none); *yes when account
 * has joined household hid and not left, or is an active member of body;
 * 1 when needle occurs in hay as whole words (or their plural), case
 * aside. barter.c: a household's barters, newest first; the replay of
 * barter.* entries. */
typedef int (*household_apply_fn)(struct store *s, const json_t *payload, int64_t now,
				  const char *actor, int64_t *id, struct px_error *err);
/* A table of entries (household.c, barter.c): each action and the
 * function that applies it, live and in replay; household_entry_find:
 * action's function in the n rows of t, NULL when none. */
struct household_entry {
	const char *action;
	household_apply_fn apply;
};
household_apply_fn household_entry_find(const struct household_entry *t, size_t n,
					const char *action);
struct gov_ctx;
typedef int (*household_answer_fn)(const struct gov_ctx *ctx, int64_t id, json_t **out,
				   struct px_error *err);
int household_write(const struct gov_ctx *ctx, const char *action, json_t *payload,
		    household_apply_fn apply, household_answer_fn answer, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
int household_actor(struct store *s, const char *actor, int64_t *who,
		    struct px_error *err) PX_MUST_CHECK;
int household_has(struct store *s, int64_t hid, int64_t account, int *yes) PX_MUST_CHECK;
int sharing_active_in(struct store *s, int64_t body, int64_t account,
		      int *yes) PX_MUST_CHECK;
int sharing_contains_words(const char *hay, const char *needle);
int barters_json(struct store *s, int64_t hid, json_t **out) PX_MUST_CHECK;
int barter_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		  const char *actor, struct px_error *err) PX_MUST_CHECK;
/* allot_kinds.c: the allotments of body_id (0: any) to household hid (0:
 * any), newest first. */
int sharing_allotments_json(struct store *s, int64_t body_id, int64_t hid,
			    json_t **out) PX_MUST_CHECK;
/* Lending single items (lending.c). A policy's terms for lending: its
 * loan_days, and (lending_terms) collect_days and buffer_days. */
struct lending_terms {
	int64_t loan_days, collect_days, buffer_days;
};
int lending_terms_set(struct store *s, int64_t scarcity, int64_t collect_days,
		      int64_t buffer_days) PX_MUST_CHECK;
int lending_terms_of(struct store *s, int64_t scarcity, struct lending_terms *t) PX_MUST_CHECK;
/* PX_E_CONFLICT (failed in err) while the item rests between loans. */
int lending_resting(struct store *s, int64_t good, int64_t now,
		    struct px_error *err) PX_MUST_CHECK;
/* The request won the item in round: its person holds it now, or (the
 * policy sets collect_days, or the item rests) it waits for them. */
int lending_won(struct store *s, int64_t good, int64_t scarcity, int64_t round,
		int64_t request, int64_t now) PX_MUST_CHECK;
/* The item was returned: it rests for its policy's buffer_days. */
int lending_returned(struct store *s, int64_t good, int64_t now) PX_MUST_CHECK;
/* Expire the holds whose date passed, each journalled (good.hold_expire),
 * inside the caller's transaction. */
int sharing_clock(struct store *s, int64_t now, int64_t *made,
		  struct px_error *err) PX_MUST_CHECK;
/* Adds "hold" (the waiting one or null, with "ready": collectable at
 * now), "holds" (the latest 50), "rests_until" and "resting" (at now) to
 * a good's object. */
int lending_good_json(struct store *s, int64_t good, int64_t now, json_t *o) PX_MUST_CHECK;
/* An item's loans (loans.c), written by whatever moves the item, inside
 * its entry: loan_start when someone comes to hold it (how: "take",
 * "round" or "hold"; round and due 0 when none), loan_renewed with its
 * new date, loan_end when its holder returns it, with their note on its
 * condition ("" for none). */
int loan_start(struct store *s, int64_t good, int64_t account, const char *how,
	       int64_t round, int64_t from, int64_t due) PX_MUST_CHECK;
int loan_renewed(struct store *s, int64_t good, int64_t due) PX_MUST_CHECK;
int loan_end(struct store *s, int64_t good, int64_t account, int64_t at,
	     const char *note) PX_MUST_CHECK;
int lending_owns(const char *action, size_t len);
int lending_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		   const char *actor, struct px_error *err) PX_MUST_CHECK;

/* Evidence of need (need.c). Parse declare_scarce's "evidence" text
 * ("Medical need = Care; ...") into cats (each named category gains
 * "evidence": {"committee","committee_name"}), each committee one of
 * body's in force at now; errors name params.evidence. */
int sharing_need_parse(struct store *s, int64_t body, int64_t now, const char *text,
		       const char *method, json_t *cats, struct px_error *err) PX_MUST_CHECK;
/* The committee reviewing category's evidence, 0: none. */
int64_t sharing_need_committee(const json_t *cats, int64_t category);
/* Whether moved requests go one past the policy's categories (its last
 * reserves a share, or asks evidence itself) rather than to its last. */
int sharing_need_rest(const json_t *cats);
/* A request (id request) under category with evidence (the entry's
 * {"items"} or NULL): refused when the category asks evidence and there is
 * none, or the reverse; its rows written. */
int sharing_need_request(struct store *s, const json_t *cats, int64_t category,
			 int64_t request, const json_t *evidence,
			 struct px_error *err) PX_MUST_CHECK;
/* The bytes, outside the journal (live only). */
struct need_evidence;
int sharing_need_content(struct store *s, int64_t request,
			 const struct need_evidence *ev) PX_MUST_CHECK;
/* {"items":[...]} for the entry, ev checked; NULL with err failed. */
json_t *sharing_need_payload(const struct need_evidence *ev, struct px_error *err);
/* At the close: every request of round whose evidence was not accepted
 * gets moved_to. */
int sharing_need_moves(struct store *s, int64_t round, const json_t *cats) PX_MUST_CHECK;
int sharing_need_replay(struct store *s, const json_t *p, int64_t at, const char *actor,
			struct px_error *err) PX_MUST_CHECK;
struct gov_ctx;
int sharing_need_round_json(const struct gov_ctx *ctx, int64_t round,
			    json_t *o) PX_MUST_CHECK;
int sharing_need_mine(struct store *s, int64_t request, json_t **out) PX_MUST_CHECK;

#endif
