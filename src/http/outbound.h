/*
 * outbound.h: the guard on every request this node makes to another
 * server (deliveries, the fetch of a node's key, of a follower's actor):
 * with the setting peer-addresses = public, no connection is opened to
 * an address that is not the public Internet's (core/netaddr.h), so a
 * sender cannot make the node reach its own machine or network by
 * naming it in a keyId or an inbox (docs/nodes.md, "Which addresses a
 * node reaches").
 *
 * The check is on the address libcurl is about to connect to, after the
 * name was resolved (CURLOPT_OPENSOCKETFUNCTION): a name that resolves
 * to a public address when asked once and to a private one the next
 * time (DNS rebinding) is judged by the one connected to. Redirects are
 * never followed, and no proxy from the environment is used: the guard
 * sees the peer's own address.
 */
#ifndef PNYX_HTTP_OUTBOUND_H
#define PNYX_HTTP_OUTBOUND_H

#include <curl/curl.h>

struct store;

struct outbound {
	int public_only;     /* set by the caller */
	int refused;         /* set when a connection was refused */
	char address[64];    /* the address refused, as text */
};

/* Set c's guard, which writes into g (which must outlive the transfer). */
void outbound_guard(CURL *c, struct outbound *g);

/* Why a transfer that failed with cc failed, into why (size n): the
 * refused address when the guard refused it, curl's words otherwise. */
void outbound_why(const struct outbound *g, CURLcode cc, const char *url,
		  char *why, size_t n);

/* Sign a GET of url as this node (authorized fetch, Mastodon's "secure
 * mode"): append to *h the Date, Digest (of the empty body) and Signature
 * headers, signed over (request-target) host date digest by the node's
 * actor BASE/actor: with its RSA key (#main-key, what Mastodon verifies)
 * when rsa, else its Ed25519 key (#ed25519-key, between pnyx nodes).
 * base is this node's address without a final '/'. -1 when it cannot be
 * signed (then the GET goes unsigned, as before). */
int outbound_sign_get(struct store *db, const char *base, int rsa, const char *url,
		      struct curl_slist **h);

#endif
