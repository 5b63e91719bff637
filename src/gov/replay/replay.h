/*
 * replay.h: the journal proves the state, not only itself.
 *
 * replay_run rebuilds every governance table of a database from its
 * journal alone, into a fresh database; replay_compare then walks the
 * governance tables of both, in key order, and names the first
 * difference. `pnyx journal replay` and `pnyx journal verify --state` are
 * the two uses. docs/journal.md ("Replay") specifies, for each kind of
 * entry, the payload fields replay reads and the rows it produces, and
 * which tables are governance state (rebuilt and compared), derived
 * (rebuilt by the same code as the live path, and compared) or operational
 * (neither).
 */
#ifndef PNYX_GOV_REPLAY_H
#define PNYX_GOV_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"

struct store;

/* Why a replay stopped: the entry it could not apply, and the reason. */
struct replay_report {
	int ok;              /* 1 when every entry was applied */
	int64_t entries;     /* entries applied */
	int64_t total;       /* entries in the journal */
	int64_t failed_seq;  /* the entry that could not be applied, or 0 */
	char action[48];     /* its action */
	char reason[300];
};

/* Called every so many entries while replaying (may be NULL). */
typedef void (*replay_progress_fn)(int64_t done, int64_t total, void *arg);

/*
 * Replay the journal of live (read only) into out, a database just created
 * with STORE_CREATE | STORE_REPLAY: its governance tables are rebuilt, and
 * the node row, the journal's entries and its signed head are copied as
 * they are, so that out verifies like live. Returns 0 when the replay
 * could run to its end or stopped at an entry it could not apply (see
 * r->ok), or an error of the stores.
 */
int replay_run(struct store *live, struct store *out, struct replay_report *r,
	       replay_progress_fn progress, void *arg) PX_MUST_CHECK;

/* The first difference between the governance tables of live and out. */
struct replay_diff {
	int differs;         /* 0 when every compared table is the same */
	int64_t rows;        /* rows compared */
	char table[40];
	char key[200];       /* "col=value, col=value" */
	char column[40];     /* the column, or "(row)" when one side lacks it */
	char live[200];      /* the value in live (or "absent") */
	char replayed[200];  /* the value replayed (or "absent") */
};

int replay_compare(struct store *live, struct store *out,
		   struct replay_diff *d) PX_MUST_CHECK;

/*
 * Every table of s and each of its columns must be either compared or
 * declared operational, with its reason. Writes the first that is neither
 * to what (size n) and returns 1; 0 when all are classified. For the
 * tests: a new table or column must be placed on one side.
 */
int replay_unclassified(struct store *s, char *what, size_t n);

#endif
