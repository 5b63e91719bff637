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

#endif
