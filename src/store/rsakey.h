/*
 * rsakey.h: the node's RSA key, for the fediverse's servers (Mastodon and
 * the others verify requests only with RSA keys; docs/nodes.md, "Keys").
 *
 * It lives beside the database as "<path>.rsa": an RSA-2048 private key
 * in PKCS#8 PEM, mode 0600, made at its first need (the first actor
 * document served) and kept like the Ed25519 key ("<path>.key"): not in
 * the backups. The
 * node's Ed25519 key stays its identity towards other pnyx nodes and its
 * journal; the RSA key only signs what the node's bodies say to their
 * followers on other servers. Losing it costs nothing lasting: a new one
 * is made at the next start, and the fediverse's servers fetch an actor's
 * key again when a signature does not verify with the one they held.
 */
#ifndef PNYX_STORE_RSAKEY_H
#define PNYX_STORE_RSAKEY_H

#include "core/errors.h"

struct store;
struct strbuf;
struct px_error;

/* Make "<db_path>.rsa" unless it exists. */
int store_rsa_ensure(const char *db_path, struct px_error *err) PX_MUST_CHECK;

/* The private key's PEM, appended to out, made first when there is none;
 * *found 0 when the store has no node key (a replayed database). */
int store_rsa_private(const struct store *s, struct strbuf *out, int *found) PX_MUST_CHECK;

/* The public key's PEM (SubjectPublicKeyInfo), appended to out; as
 * store_rsa_private. */
int store_rsa_public(const struct store *s, struct strbuf *out, int *found) PX_MUST_CHECK;

#endif
