/*
 * deliver.h: the delivery thread that sends this node's activities to
 * other nodes (docs/nodes.md, "Delivery"), and the one fetch an inbox
 * makes: the key of a node not known yet.
 *
 * The queue is the database's (node_outbox, gov/nodes): one ordered queue
 * per peer node, whose head alone is tried, so a peer receives what this
 * node sent in the order it was decided. Each attempt is a POST of the
 * activity, signed with HTTP Signatures (hs2019, the node's Ed25519 key,
 * over (request-target) host date digest). The outcome is recorded at
 * once: 2xx delivered; 4xx but 408 and 429 refused for good (the next
 * goes); anything else tried again after base, 2 base, 4 base ... at most
 * cap; a peer failing for unavailable_after seconds is unavailable, tried
 * once per cap until it answers (or sends something here). A crash or a
 * stop loses nothing: what was not recorded delivered is sent again, and
 * the receiver drops what it already has.
 */
#ifndef PNYX_HTTP_DELIVER_H
#define PNYX_HTTP_DELIVER_H

#include <stdint.h>

#include "core/errors.h"
#include "gov/nodes/nodes.h"

struct deliver;
struct px_error;
struct store;

struct deliver_options {
	const char *db_path;
	struct nodes_backoff backoff;
	int64_t timeout;   /* seconds for one exchange */
	int public_only;   /* peer-addresses = public (outbound.h) */
};

/* The schedule (docs/nodes.md): the first retry after 30 s, doubled at
 * each attempt up to 6 hours; unavailable after 3 days; 20 s for one
 * exchange. */
#define DELIVER_RETRY_MS_DEFAULT 30000
#define DELIVER_CAP_DEFAULT (6 * 3600)
#define DELIVER_UNAVAILABLE_DEFAULT (3 * 86400)
#define DELIVER_TIMEOUT_DEFAULT 20

/* Fill o's schedule with the defaults, or with the test hook's: the
 * environment's PNYX_TEST_PEER_SCHEDULE="BASE_MS,CAP_MS,UNAVAILABLE_S"
 * (the tests of delivery, which must not wait hours: never set it on a
 * node in use). */
void deliver_defaults(struct deliver_options *o);

int deliver_start(const struct deliver_options *o, struct deliver **out,
		  struct px_error *err) PX_MUST_CHECK;
/* Stop the thread (an exchange in progress is cut) and free; NULL is
 * allowed. */
void deliver_stop(struct deliver *d);

/* Fetch the actor document at url (an http(s) address) and the Ed25519
 * key its publicKey gives; the document's id must be url. The GET is
 * signed as this node (base, its address; db, its key: outbound.h). With
 * public_only, only from a public address. 0, or -1 with why (size n). */
int deliver_fetch_key(struct store *db, const char *base, const char *url, int public_only,
		      unsigned char pk[32], char *why, size_t n);
/* The same, keeping the actor's name (its "name", else its
 * preferredUsername) for it (nodes_actor_name_keep). */
int deliver_fetch_key_named(struct store *db, const char *base, const char *url,
			    int public_only, unsigned char pk[32], char *why, size_t n);
/* The same, giving the name in name (size name_n) instead of keeping it. */
int deliver_fetch_key_name(struct store *db, const char *base, const char *url,
			   int public_only, unsigned char pk[32], char *name, size_t name_n,
			   char *why, size_t n);

#endif
