/*
 * gov.h: what every domain operation takes: the caller and the moment.
 *
 * The domain layer is the only place where governance rules live. Each
 * operation validates its input, checks the caller's authority, applies
 * its effect and writes its journal entry in one store_tx() transaction.
 * The edges (http/, cli/) build a gov_ctx and turn returned codes into
 * responses; they never decide who may do what.
 *
 * Results are returned as jansson objects (new references the caller
 * releases with json_decref), in the shape the API documents.
 */
#ifndef PNYX_GOV_H
#define PNYX_GOV_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"

struct store;
struct px_error;

#define GOV_HANDLE_MAX 32
#define GOV_SLUG_SIZE 65 /* a slug (2-64 characters) and its NUL */

struct gov_ctx {
	struct store *db;
	int64_t now;        /* Unix seconds, UTC; the edge reads the clock */
	int64_t account_id; /* 0 when nobody is signed in */
	char handle[GOV_HANDLE_MAX + 1]; /* the caller's handle, or "" */
	int operator;       /* 1 for commands run by the server's operator */
};

/* The actor named in journal entries: the handle, or "operator". */
const char *gov_actor(const struct gov_ctx *ctx);

/* What a page of the browser interface is about (gov_subject_exists). */
enum gov_subject {
	GOV_SUBJECT_MEETING,   /* key: a meeting's id */
	GOV_SUBJECT_MOTION,    /* key: a motion's id */
	GOV_SUBJECT_PROPOSAL,  /* key: a proposal's id */
	GOV_SUBJECT_BODY,      /* key: an assembly's slug */
	GOV_SUBJECT_COMMUNITY, /* key: a community's slug */
	GOV_SUBJECT_LAW,       /* key: the assembly's slug; key2: the law's number */
	GOV_SUBJECT_POLITY,    /* key: a polity's slug */
	GOV_SUBJECT_RENEWAL,   /* key: a renewal's id */
	GOV_SUBJECT_ENTERPRISE, /* key: an enterprise's slug */
	GOV_SUBJECT_LOCAL,     /* key: a local assembly's slug (its standing review) */
	GOV_SUBJECT_MILITIA,   /* key: a militia's slug (formed or being formed) */
	GOV_SUBJECT_CASE,      /* key: a case's id (src/gov/cases) */
};

/* *yes: 1 when the subject named by key (and key2, for the subjects that
 * need two) exists (anyone may know it: the pages of these subjects are
 * public); a key that cannot name one (not a number, empty, NULL) names
 * nothing. 0, or a database error code. */
int gov_subject_exists(const struct gov_ctx *ctx, enum gov_subject what,
		       const char *key, const char *key2, int *yes) PX_MUST_CHECK;

/* PX_E_UNAUTHENTICATED unless someone is signed in. */
int gov_require_account(const struct gov_ctx *ctx, struct px_error *err) PX_MUST_CHECK;

#endif
