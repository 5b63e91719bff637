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

#include "core/errors.h"

struct gov_ctx;
struct px_error;

/* How many posts an outbox page holds. */
#define NODES_OUTBOX_PAGE 20

/* The ActivityStreams actor document of the body slug (type Group). */
int nodes_body_actor(const struct gov_ctx *ctx, const char *base, const char *slug,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;

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

/* A body's followers: an OrderedCollection (empty until following across
 * nodes exists). */
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

#endif
