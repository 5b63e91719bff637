/*
 * gov/nodes/nodes.h: the public face of the nodes domain: how this node
 * and what lives on it are seen from other servers (issue 17,
 * docs/nodes.md).
 *
 * This first part is identity, read-only: every body is an ActivityPub
 * actor of type Group at BASE/bodies/SLUG and every person one of type
 * Person at BASE/people/HANDLE, found by WebFinger (RFC 7033) as
 * acct:NAME@HOST, with the node's Ed25519 key as their public key; a
 * body's outbox lists its public record (motions adopted, meetings
 * closed) as posts, newest first; the node describes itself by NodeInfo
 * 2.1. Nothing here writes: the inbox, delivery and the signed messages
 * between nodes are the next parts of the issue.
 *
 * BASE is the node's public address (serve --public-url, or the address
 * it listens at), without a trailing slash, given by the edge: the domain
 * does not read the server's options. Results are new jansson references
 * the caller frees; an unknown body or person is PX_E_NOT_FOUND.
 *
 * http/ includes this header and nothing else of gov/nodes/.
 */
#ifndef PNYX_GOV_NODES_H
#define PNYX_GOV_NODES_H

#include <jansson.h>
#include <stdint.h>

#include <stddef.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

struct gov_ctx;
struct px_error;

/* How many posts an outbox page holds. */
#define NODES_OUTBOX_PAGE 20

/* The ActivityStreams actor document of the body slug (type Group). */
int nodes_body_actor(const struct gov_ctx *ctx, const char *base, const char *slug,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;

/* Keep name as what the actor document at actor (another node's) calls
 * it, fetched at now: shown with the address where the assembly is
 * listed. Operational: neither journalled nor replayed. */
#define NODES_ACTOR_NAME_MAX 200
int nodes_actor_name_keep(struct store *s, const char *actor, const char *name,
			  int64_t now) PX_MUST_CHECK;

/* The node's own actor, BASE/actor (type Application): the keys it signs
 * its fetches with, served to anyone, signed or not (docs/nodes.md,
 * "Signed fetches"). */
int nodes_node_actor(const struct gov_ctx *ctx, const char *base, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;

/* The actor document of the person handle (type Person). */
int nodes_person_actor(const struct gov_ctx *ctx, const char *base, const char *handle,
		       json_t **out, struct px_error *err) PX_MUST_CHECK;

/* A body's outbox: page 0 is the OrderedCollection (totalItems and the
 * first page's address); page N >= 1 the OrderedCollectionPage of posts
 * N (NODES_OUTBOX_PAGE to a page, newest first), each a Create of a Note. */
int nodes_body_outbox(const struct gov_ctx *ctx, const char *base, const char *slug,
		      int64_t page, json_t **out, struct px_error *err) PX_MUST_CHECK;

/* One post of a body's outbox, the Note itself: name is "motion-ID" or
 * "meeting-ID", a motion adopted or a meeting closed of that body. */
int nodes_body_post(const struct gov_ctx *ctx, const char *base, const char *slug,
		    const char *name, json_t **out, struct px_error *err) PX_MUST_CHECK;

/* A body's followers on other servers (follow.c): an OrderedCollection
 * of their actors' addresses, newest first (at most 1000 listed;
 * totalItems counts all). */
int nodes_body_followers(const struct gov_ctx *ctx, const char *base, const char *slug,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;

/* The WebFinger answer (a JSON Resource Descriptor) for resource:
 * "acct:NAME@HOST" (HOST the node's, NAME a body's slug or, when no body
 * has it, a person's handle) or an actor's own address. PX_E_BAD_INPUT
 * (field "resource") when it is neither form; PX_E_NOT_FOUND when it
 * names nobody here. */
int nodes_webfinger(const struct gov_ctx *ctx, const char *base, const char *resource,
		    json_t **out, struct px_error *err) PX_MUST_CHECK;

/* NodeInfo 2.1 of this node (software, protocols, usage), and the
 * discovery document that points to it. */
int nodes_nodeinfo(const struct gov_ctx *ctx, const char *version, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
int nodes_nodeinfo_links(const char *base, json_t **out, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * federate.c: activities between nodes (docs/nodes.md, "Messages"). The
 * edge (http/) receives and sends the bytes; every rule is here.
 */
struct strbuf;

/* An activity as it arrived at BASE/bodies/SLUG/inbox. fetched_key: the
 * key the actor document at the signature's keyId gave, fetched by the
 * edge only when the sender is not known yet and the activity is a
 * request to join (nodes_inbox_peek says when); NULL otherwise. */
struct nodes_inbound {
	const char *base;   /* this node's address, without a trailing '/' */
	const char *slug;   /* the inbox's body */
	const char *method, *target; /* as sent: "POST", path and query */
	const struct httpsig_header *hdrs;
	size_t n;
	const char *body;
	size_t len;
	const unsigned char *fetched_key;
};

/* Check and take an activity: its HTTP signature and its own signature
 * over its canonical form first, then the sending node's trust, then its
 * content; journal it (node.receive) with its effect, or journal the
 * refusal (node.refuse). *out: {"id","type","effect"} or, for an
 * activity already taken, {"id","duplicate":true}. Refusals:
 * PX_E_BAD_SIGNATURE, PX_E_UNKNOWN_PEER, PX_E_FOREIGN_EFFECT,
 * PX_E_BAD_JSON, PX_E_BAD_INPUT, PX_E_CONFLICT, PX_E_NOT_FOUND, each
 * naming the field. */
int nodes_inbox_receive(const struct gov_ctx *ctx, const struct nodes_inbound *in,
			json_t **out, struct px_error *err) PX_MUST_CHECK;

/* What the edge needs before nodes_inbox_receive: the address of the
 * signature's key (the actor document, keyId without its fragment) and
 * whether the activity is a request to join (*join). -1 when the
 * Signature header cannot be read (nodes_inbox_receive then refuses). */
#define NODES_KEY_URL_SIZE 600
int nodes_inbox_peek(const char *body, size_t len, const char *signature,
		     char key_url[NODES_KEY_URL_SIZE], int *join);

/* The key pinned for origin (*found 0 when none). */
int nodes_peer_key(struct store *s, const char *origin, unsigned char pk[32],
		   int *found) PX_MUST_CHECK;
/* Pin pk as origin's key, learnt from its actor document when sending to
 * it first; PX_E_BAD_SIGNATURE when origin is known by another key. */
int nodes_peer_pin(struct store *s, const char *origin, const unsigned char pk[32],
		   int64_t now, struct px_error *err) PX_MUST_CHECK;
/* The Ed25519 key of a PEM SubjectPublicKeyInfo (RFC 8410); -1 if not one. */
int nodes_pem_key(const char *pem, unsigned char pk[32]);
/* The origin (scheme://host:port) of url, -1 when not an http(s) URL. */
#define NODES_ORIGIN_MAX 300
int nodes_origin(const char *url, char out[NODES_ORIGIN_MAX]);

/* Record the address this node serves at (serve, at start). */
int nodes_set_base(struct store *s, const char *base, struct px_error *err) PX_MUST_CHECK;

/* The head of a peer's queue that is due, for the delivery thread. */
struct nodes_delivery {
	int64_t id;
	char peer[NODES_ORIGIN_MAX];
	char inbox[700];
	char *activity;  /* malloc'd: the caller frees */
	int64_t attempts;
	int key_known;   /* the peer's key is pinned */
	int rsa;         /* for a fediverse server: signed with the RSA key */
};
/* The retry schedule: base_ms doubled at each attempt, at most cap_ms; a
 * peer failing for unavailable_after seconds is marked unavailable (and
 * tried once per cap_ms until it answers). */
struct nodes_backoff {
	int64_t base_ms, cap_ms, unavailable_after;
};
int nodes_outbox_next(struct store *s, int64_t now_ms, struct nodes_delivery *d,
		      int *found) PX_MUST_CHECK;
/* Record an attempt: status the HTTP status (0: no answer), error what
 * went wrong. 2xx delivered; 4xx but 408 and 429 refused for good (the
 * next in the queue goes); otherwise tried again later. */
int nodes_outbox_result(struct store *s, const struct nodes_delivery *d, int64_t now_ms,
			long status, const char *error, const struct nodes_backoff *b) PX_MUST_CHECK;
/* The Signature header's value for a request signed with the node key
 * over (request-target) host date digest. */
int nodes_sign_request(struct store *s, const char *key_id, const char *method,
		       const char *target, const struct httpsig_header *hdrs, size_t n,
		       struct strbuf *out) PX_MUST_CHECK;

/* Readers: {"peers":[{"origin","state","key","failing_since",
 * "last_success","last_error","first_seen","queued","relations"}]};
 * {"outbox":[{"id","peer","inbox","activity","type","created_at",
 * "attempts","next_ms","status","done_at","last_status","last_error"}]},
 * newest first, at most limit; {"body","relations":[{"id","remote",
 * "side","status","request","motion","decided_by","since",
 * "changed_at"}]}. */
int nodes_peers(const struct gov_ctx *ctx, json_t **out, struct px_error *err) PX_MUST_CHECK;
int nodes_outbox_list(const struct gov_ctx *ctx, int64_t limit, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
int nodes_body_relations(const struct gov_ctx *ctx, const char *slug, json_t **out,
			 struct px_error *err) PX_MUST_CHECK;

/* The journal heads (sequence and hash) the node at origin carried in
 * the activities taken from it, lowest first: {"peer", "heads": [{"seq",
 * "hash", "activity", "type", "received_at"}]}; what `pnyx journal audit`
 * checks against the journal it publishes now. */
int nodes_heads_seen(const struct gov_ctx *ctx, const char *origin, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * proposals.c: proposals and answers between nodes (docs/nodes.md,
 * "Proposals across nodes"). The federation domain calls these inside
 * the deciding transaction; nothing here writes a law register but the
 * completion of a member assembly's own acceptance.
 */

/* Version of proposal was offered by body from to its members: offer it
 * too to every member assembly of from on another node (only relation
 * rel when rel > 0), as a signed Offer. */
int nodes_offer_remote(struct store *s, int64_t proposal, int64_t version, int64_t from,
		       int64_t rel, int64_t now) PX_MUST_CHECK;
/* The version's condition is met: tell each member assembly on another
 * node whose latest answer to it is an acceptance, once (Announce). */
int nodes_proposal_met(struct store *s, int64_t proposal, int64_t version,
		       int64_t now) PX_MUST_CHECK;
/* Whether proposal was relayed from a delegate assembly on another node
 * (*relayed), and whether that node said the version's condition is met
 * (*met). */
int nodes_relay_state(struct store *s, int64_t proposal, int64_t version, int *relayed,
		      int *met) PX_MUST_CHECK;
/* A relayed proposal's version was counted again here: when what the
 * assemblies beneath answered differs from what was last reported, and
 * the relaying assembly still accepts the version, report it up (an
 * Accept carrying the local assemblies that accepted, their population
 * and each answer with the node that reported it). */
int nodes_relay_report(struct store *s, int64_t proposal, int64_t version,
		       int64_t now) PX_MUST_CHECK;
/* The member assemblies on other nodes of origin and of the delegate
 * assemblies beneath it, as each last reported itself: a local assembly
 * is one, of its population; a delegate assembly is the local assemblies
 * beneath it in all and their population (totalLocals, totalPopulation
 * of its report), or, for a report without them (made before they were
 * sent), as many as it reported accepting (at least one) and their
 * population (docs/nodes.md, "Shares across two levels"). */
int nodes_remote_size(struct store *s, int64_t origin, int64_t *locals,
		      int64_t *population) PX_MUST_CHECK;
/* What the member assemblies on other nodes answered to proposal, each
 * as its node reported it: [{"assembly","node","body","version","answer",
 * "counter_text","reasons","population","decision","activity","at",
 * "told_met"}] (the latest answer of each per version; a new reference);
 * a delegate assembly's also "locals", "beneath" and "totals" ({"locals",
 * "population"} in all beneath it, or null for a report without them). */
int nodes_proposal_remote(struct store *s, int64_t proposal, json_t **out) PX_MUST_CHECK;

/* votes.c: the caller, a delegate of assembly slug to the delegate
 * assembly at actor on another node (by its decision, not recalled),
 * casts position on that assembly's motion there: the vote is sent
 * signed, naming their credential; *out {"queued","to","motion",
 * "position"}. Refusals: PX_E_NOT_FOUND ("slug"), PX_E_BAD_INPUT and
 * PX_E_CONFLICT ("actor"), PX_E_FORBIDDEN (no seat there). */
int nodes_remote_vote(const struct gov_ctx *ctx, const char *slug, const char *actor,
		      int64_t motion, const char *position, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
/* declare.c: the delegate assembly body (slug) adopted, by decision
 * motion, a declaration (title, text) about decision about: send it to
 * each of its member assemblies on other nodes, signed (a Create of a
 * pnyx:Declaration). Nothing when replaying. */
int nodes_declare_remote(struct store *s, int64_t body, const char *slug, int64_t motion,
			 int64_t about, const char *title, const char *text,
			 int64_t now) PX_MUST_CHECK;

/* The votes delegates from other nodes cast on motion in round, as they
 * count: [{"delegate","assembly","position","at"}] (a new reference). */
int nodes_motion_votes(struct store *s, int64_t motion, int64_t round,
		       json_t **out) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * follow.c: people of other servers follow a body (docs/nodes.md,
 * "Followers"): Follow and Undo at a body's inbox or the shared inbox
 * /inbox, and the posts queued for the followers. Not governance: no
 * journal entry, no replay (the tables are operational).
 */

/* Whether an activity is one follow.c takes (a Follow, or an Undo of
 * one): the edge then fetches the sender's key and calls
 * nodes_follow_receive instead of nodes_inbox_receive. */
int nodes_follow_wanted(const char *body, size_t len);

/* The sender of a Follow, as its actor document says, with the key its
 * Signature names (keyId): an RSA or Ed25519 public key in PEM, or an
 * Ed25519 Multikey. */
struct nodes_remote_actor {
	char id[600], inbox[600], shared_inbox[600];
	char key_id[600], owner[600];
	char key_pem[4096];          /* "" when the key is a Multikey */
	unsigned char ed25519[32];
	int has_ed25519;
};

/* Read the document fetched at key_id (without its fragment) into a: 0
 * when a is complete; 1 when it was a key document of its own (a->owner:
 * fetch that actor and call again with a as it is); -1 with why. */
int nodes_remote_actor_read(const char *doc, size_t len, const char *key_id,
			    struct nodes_remote_actor *a, char *why, size_t n);

/* Take a Follow or an Undo: in->slug the body whose inbox it came to (NULL:
 * the shared inbox); ra the sender's actor as fetched (NULL when it could
 * not be, with why). The HTTP signature is checked first, with ra's key,
 * then that the activity's actor owns it, then what it asks: a Follow of
 * a body here records the follower and queues an Accept; an Undo forgets
 * the follow. *out: {"followed","actor","accept"} or {"unfollowed",
 * "removed"}. Refusals: PX_E_BAD_SIGNATURE ("signature", "digest"),
 * PX_E_FORBIDDEN ("actor", "object"), PX_E_BAD_JSON ("body"),
 * PX_E_BAD_INPUT ("id", "object", "type"), PX_E_NOT_FOUND; none changes
 * anything. */
int nodes_follow_receive(const struct gov_ctx *ctx, const struct nodes_inbound *in,
			 const struct nodes_remote_actor *ra, const char *why, json_t **out,
			 struct px_error *err) PX_MUST_CHECK;

/* A GET of one of this node's actor documents under authorized fetch
 * (docs/nodes.md, "Signed fetches"): its HTTP signature, over at least
 * (request-target) host date, checked with the key of ra, the actor
 * fetched at its keyId (NULL when it could not be, with why). 0, or
 * PX_E_BAD_SIGNATURE ("signature"). Reads nothing, changes nothing. */
int nodes_fetch_check(const struct gov_ctx *ctx, const struct nodes_inbound *in,
		      const struct nodes_remote_actor *ra, const char *why,
		      struct px_error *err) PX_MUST_CHECK;

/* Queue, for their followers, the posts of what followed bodies decided
 * since their first follower came (motions adopted, meetings closed),
 * each once; *queued: the deliveries queued. The delivery thread calls it. */
int nodes_posts_queue(struct store *s, int *queued) PX_MUST_CHECK;

/* The Signature header's value for a request to a fediverse server,
 * signed with the node's RSA key (rsa-sha256) over (request-target) host
 * date digest. PX_E_NO_KEY when the node has no RSA key. */
int nodes_sign_request_rsa(struct store *s, const char *key_id, const char *method,
			   const char *target, const struct httpsig_header *hdrs, size_t n,
			   struct strbuf *out) PX_MUST_CHECK;

/* The Ed25519 key an actor document gives: a Multikey of assertionMethod
 * (what pnyx publishes) or an Ed25519 PEM in publicKey. 0, or -1. */
int nodes_actor_ed25519(const json_t *doc, unsigned char pk[32]);
/* keys.c: rotate the node's key (`pnyx node rotate-key`: the operator's
 * act, journalled as node.rotate_key): a new key, announced to every node
 * an assembly here has a relationship with by an activity signed with the
 * old; what waits in the outbox signed again with the new, behind it.
 * *out {"old_key","new_key","told":[origins],"resigned"}. */
int nodes_rotate_key(const struct gov_ctx *ctx, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;

/* Replay (gov/replay): node.receive makes again the rows the activity
 * made, after checking its signature again; node.refuse makes none. */
int nodes_replay(struct store *s, const char *action, const json_t *payload, int64_t at,
		 struct px_error *err) PX_MUST_CHECK;

/* The kinds of motion about assemblies on other nodes (nodes_kinds.c). */
extern const struct motion_kind nodes_kinds[];

#endif
