/*
 * nodes_int.h: what the files of gov/nodes share and nobody else sees:
 * addresses, the outbox's writer and the relations between this node's
 * assemblies and those of other nodes (federate.c).
 */
#ifndef PNYX_GOV_NODES_INT_H
#define PNYX_GOV_NODES_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"
#include "gov/procedure/procedure.h"

struct store;
struct px_error;

#define NODES_ORIGIN_SIZE NODES_ORIGIN_MAX
#define NODES_URL_SIZE 600
#include "gov/nodes/nodes.h"

/* The origin of an http(s) URL (scheme://host[:port]) into out; -1 when
 * url is not one pnyx sends to (no scheme, no host, user info, spaces). */
int nodes_origin(const char *url, char out[NODES_ORIGIN_SIZE]);

/* *slug (room for 65) the body an actor URL names when it is
 * ORIGIN/bodies/SLUG; -1 when it is not of that form. */
int nodes_actor_slug(const char *url, const char *origin, char *slug);

/* The address this node serves at (node_self), "" when serve never
 * wrote it (a database only replayed or used by the command line). */
int nodes_self_base(struct store *s, char base[NODES_URL_SIZE]) PX_MUST_CHECK;

/* Queue an activity for the node of to_actor: its id BASE/activities/
 * name, type, actor (BASE/bodies/slug), object (taken), the decision it
 * carries out (motion, title) and this node's journal head, signed over
 * its canonical form (RFC 8785) with the node key. Nothing when the store
 * is a replay: the activity was sent when the decision was taken. */
int nodes_enqueue(struct store *s, const char *type, const char *slug,
		  const char *to_actor, json_t *object, const char *name,
		  int64_t motion, const char *title, int64_t now) PX_MUST_CHECK;

/* nodes_enqueue, with extra members (taken, may be NULL) added to the
 * activity before it is signed. */
int nodes_enqueue_with(struct store *s, const char *type, const char *slug,
		       const char *to_actor, json_t *object, const char *name,
		       int64_t motion, const char *title, json_t *extra,
		       int64_t now) PX_MUST_CHECK;

/* actor.c: the Create of the Note of a body's post (what: "motion" or
 * "meeting"), as its outbox lists it; NULL when out of memory. */
json_t *nodes_post_create(const char *base, const char *slug, const char *what, int64_t id,
			  int64_t at, const char *title);
/* follow.c: give actor document a (of this node, served at base) the
 * node's keys as the fediverse reads them: publicKey the RSA key (when
 * the node has one), assertionMethod the Ed25519 key as a Multikey, and
 * the shared inbox. */
int nodes_actor_keys(struct store *db, const char *base, json_t *a) PX_MUST_CHECK;

/* proposals.c: the inbox's part for proposals. Each check runs after the
 * signatures and the peer's trust held, for act sent by actor (of node
 * origin) to the inbox of body slug on this node at base; it fills eff
 * with what the apply needs, or refuses naming the field. The applies
 * run live and in replay, from act and eff alone. */
struct nodes_msg {
	const json_t *act;
	const char *origin, *actor, *base, *slug;
	struct px_error *err;
};
int nodes_offer_check(struct store *s, const struct nodes_msg *m, json_t *eff) PX_MUST_CHECK;
int nodes_answer_check(struct store *s, const struct nodes_msg *m, json_t *eff) PX_MUST_CHECK;
int nodes_met_check(struct store *s, const struct nodes_msg *m, json_t *eff) PX_MUST_CHECK;
int nodes_offer_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		      struct px_error *err) PX_MUST_CHECK;
int nodes_answer_apply(struct store *s, const json_t *act, const char *peer,
		       const json_t *eff, int64_t at, struct px_error *err) PX_MUST_CHECK;
int nodes_met_apply(struct store *s, const json_t *eff, int64_t at,
		    struct px_error *err) PX_MUST_CHECK;
/* votes.c: a delegate's vote from another node (Create of a pnyx:Vote),
 * checked at now; applied; and a recall's withdrawal of the votes of
 * credential still open. */
int nodes_vote_check(struct store *s, const struct nodes_msg *m, int64_t now,
		     json_t *eff) PX_MUST_CHECK;
int nodes_vote_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
int nodes_votes_withdraw(struct store *s, int64_t credential) PX_MUST_CHECK;

/* A member assembly on another node was just accepted (relation rel of
 * delegate assembly body): offer it what body offers its members now. */
int nodes_offer_existing(struct store *s, int64_t body, int64_t rel, int64_t now) PX_MUST_CHECK;

/* The offers of relation rel, newest first, each with its answers:
 * o["offers"]. */
int nodes_offers_of(struct store *s, int64_t rel, json_t *o) PX_MUST_CHECK;

/* The kind a member assembly answers an offer from another node with. */
int nodes_check_answer_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err) PX_MUST_CHECK;
int nodes_apply_answer_remote(struct store *s, const struct motion_effect *m, json_t *j,
			      struct px_error *err) PX_MUST_CHECK;

/* leave.c: a membership across nodes ends by decision. The kinds
 * (leave_remote_federation, remove_remote_member); whether act is a
 * removal of a member (a Remove whose object is an assembly of the node
 * at base) rather than a recall; and the inbox's check and apply of a
 * Leave or such a Remove (eff: "relation", "ended"). */
int nodes_check_leave_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			     json_t *canon, struct px_error *err) PX_MUST_CHECK;
int nodes_apply_leave_remote(struct store *s, const struct motion_effect *m, json_t *j,
			     struct px_error *err) PX_MUST_CHECK;
int nodes_check_remove_remote(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err) PX_MUST_CHECK;
int nodes_apply_remove_remote(struct store *s, const struct motion_effect *m, json_t *j,
			      struct px_error *err) PX_MUST_CHECK;
int nodes_is_membership_removal(const json_t *act, const char *base);
/* The acceptances the member of relation rel last sent to the versions
 * offered through it stop (sign -1) or start again (+1) counting beneath
 * its delegate assembly: it left, was suspended or restored. */
int nodes_relation_counts(struct store *s, int64_t rel, int sign, int64_t now,
			  const char *actor) PX_MUST_CHECK;
int nodes_leave_check(struct store *s, const struct nodes_msg *m, json_t *eff) PX_MUST_CHECK;
int nodes_leave_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		      struct px_error *err) PX_MUST_CHECK;

/* declare.c: declarations and suspensions across nodes. The kinds
 * (suspend_remote_member, restore_remote_member); whether act is a
 * notice (a Create of a pnyx:Declaration, an Update of a
 * pnyx:Membership); its check and apply on the member's node (eff:
 * "relation", "notice", "membership"); and the declarations a relation
 * received, o["declarations"]. */
/* The check of both kinds, the state wanted read from a's kind:
 * suspend_remote_member wants the member not suspended yet,
 * restore_remote_member wants it suspended. */
int nodes_check_remote_status(struct store *s, int64_t body_id, const struct kind_args *a,
			      json_t *canon, struct px_error *err) PX_MUST_CHECK;
int nodes_apply_suspend_remote(struct store *s, const struct motion_effect *m, json_t *j,
			       struct px_error *err) PX_MUST_CHECK;
int nodes_apply_restore_remote(struct store *s, const struct motion_effect *m, json_t *j,
			       struct px_error *err) PX_MUST_CHECK;
int nodes_is_notice(const json_t *act);
int nodes_notice_check(struct store *s, const struct nodes_msg *m, json_t *eff) PX_MUST_CHECK;
int nodes_notice_apply(struct store *s, const json_t *act, const json_t *eff, int64_t at,
		       struct px_error *err) PX_MUST_CHECK;
int nodes_declarations_of(struct store *s, int64_t rel, json_t *o) PX_MUST_CHECK;
/* The delegate assembly m->body_id just accepted actor again (relation
 * rel): when its membership before ended while suspended, the new one is
 * suspended too (*still = 1), and its node told. */
int nodes_still_suspended(struct store *s, const struct motion_effect *m, int64_t rel,
			  const char *actor, int *still) PX_MUST_CHECK;

/* keys.c: a peer's key rotation (an Update of a pnyx:KeyRotation):
 * whether act is one; the keys to check it with (pk: the key pinned in,
 * the key the activity's signature is checked with out; http_pk: the new
 * key, which signs the request); its check (eff "rotation": {"from",
 * "to"}) and apply (the new key pinned, the old kept as refused). */
int nodes_is_rotation(const json_t *act);
int nodes_rotation_keys(struct store *s, const char *origin, const json_t *act,
			unsigned char pk[32], unsigned char http_pk[32],
			struct px_error *err) PX_MUST_CHECK;
int nodes_rotation_check(struct store *s, const struct nodes_msg *m, json_t *eff) PX_MUST_CHECK;
int nodes_rotation_apply(struct store *s, const json_t *act, const char *peer,
			 const json_t *eff, int64_t at, struct px_error *err) PX_MUST_CHECK;

/* What the assemblies beneath a relayed proposal's origin answered to
 * version (relay.c): *locals of them accepted, of *population people;
 * *beneath each answer with its node, as JSON (the caller frees it). */
int nodes_relay_figures(struct store *s, int64_t proposal, int64_t version,
			int64_t *locals, int64_t *population, char **beneath) PX_MUST_CHECK;

#endif
