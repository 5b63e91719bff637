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
	/* the reader's language ("es"), in which a read writes the words it
	 * makes from codes and numbers (why a vote cannot open, why a meeting
	 * cannot close yet, a result): the request's, the command line's;
	 * NULL reads in English. Never what is journalled or stored. */
	const char *lang;
	/* how hard a new password's hash is to compute (gov_password_cost):
	 * 0, the default, is GOV_PASSWORD_INTERACTIVE */
	int password_cost;
};

/* The costs of a password's hash an operator may choose (`pnyx serve
 * --password-cost`): libsodium's argon2id limits. A hash keeps its own
 * cost, so a change applies to passwords set, or signed in with, after. */
enum gov_password_cost {
	GOV_PASSWORD_INTERACTIVE = 0, /* 64 MiB, 2 passes: the default */
	GOV_PASSWORD_MODERATE,        /* 256 MiB, 3 passes */
	GOV_PASSWORD_MINIMUM,         /* 8 KiB, 1 pass: test suites only */
};

/* The cost named NAME ("interactive", "moderate", "minimum"), or -1. */
int gov_password_cost(const char *name);

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
	GOV_SUBJECT_ECONOMY,   /* key: a sharing economy's slug (src/gov/sharing) */
};

/* *yes: 1 when the subject named by key (and key2, for the subjects that
 * need two) exists (anyone may know it: the pages of these subjects are
 * public); a key that cannot name one (not a number, empty, NULL) names
 * nothing. 0, or a database error code. */
int gov_subject_exists(const struct gov_ctx *ctx, enum gov_subject what,
		       const char *key, const char *key2, int *yes) PX_MUST_CHECK;

/* PX_E_UNAUTHENTICATED unless someone is signed in. */
int gov_require_account(const struct gov_ctx *ctx, struct px_error *err) PX_MUST_CHECK;

/* Terms several assemblies adopt alike, each by its own decision (a union
 * of communities, a militia): the statements of one such register. */
struct gov_joint {
	/* ?1 the terms' id, ?2 the terms (JSON with "assemblies", slugs):
	 * a row per assembly named, none adopted yet */
	const char *name_assemblies;
	/* ?1 the adopting motion, ?2 when, ?3 the terms' id, ?4 the assembly */
	const char *mark_adopted;
	/* ?1 the terms' id: how many named assemblies have not adopted yet */
	const char *count_waiting;
};

/* Assembly assembly_id adopts the terms id by motion motion_id at now; new:
 * 1 when the terms were recorded just now (their assemblies are named
 * first). *waiting: the assemblies that have not adopted them yet (0: all
 * have, and the caller brings the terms into effect). A store code. */
int gov_joint_adopt(struct store *s, const struct gov_joint *q, int64_t id, int new,
		    const char *terms, int64_t motion_id, int64_t assembly_id, int64_t now,
		    int64_t *waiting) PX_MUST_CHECK;

#endif
