/*
 * ballots.h: a set of ranked ballots, stored as distinct ballots with
 * weights, so memory grows with the number of distinct orders and never
 * with the number of voters.
 *
 * A ballot is a sequence of entries (candidate, level): level 0 is the
 * first preference, entries of equal level are ranked equally, levels
 * appear in non-decreasing order and without gaps. Candidates absent from
 * a ballot are unranked: below every ranked candidate and equal among
 * themselves. A ballot ranks each candidate at most once.
 *
 * Ownership: the caller embeds the struct; ballots_init() allocates the
 * candidate tables, ballots_add() grows the ballot arrays, and
 * ballots_release() frees everything, leaving a set that may be
 * initialised again. Names and title are heap strings owned by the set.
 */
#ifndef PNYX_BALLOTS_H
#define PNYX_BALLOTS_H

#include <stddef.h>
#include <stdint.h>

#define BALLOTS_MAX_CAND 4096u
/* At most 2^33 (8.5 billion) ballots in all, so that a count in units of
 * 10^-9 (Meek) still fits in 63 bits. */
#define BALLOTS_MAX_WEIGHT ((uint64_t)1 << 33)
#define BALLOTS_MAX_MAJORITY 64

/* What a Debian tally sheet's header says (all optional). */
struct ballot_majority {
	uint32_t option; /* 0-based */
	uint32_t ratio;  /* N of N:1 */
};

struct ballot_meta {
	uint32_t default_option; /* 1-based; 0 when not given */
	char quorum[48];         /* R as written ("44.64"), "" when not given */
	int rules;               /* 10, 11 or 16 (v1.0, v1.1-1.5, v1.6+); 0 unknown */
	struct ballot_majority majority[BALLOTS_MAX_MAJORITY];
	size_t nmajority;
};

struct ballot_set {
	size_t ncand;
	char **names;             /* ncand names as written in the file */
	char **nicks;             /* BLT [nick] names, or NULL */
	char *title;              /* NULL when the file gives none */
	size_t seats;             /* 0 when the file does not say */
	unsigned char *withdrawn; /* ncand flags */
	uint32_t *tie_order;      /* BLT [tie]: candidates, most favoured first */
	size_t ntie;

	size_t n;                 /* distinct ballots */
	uint64_t *weight;         /* n weights (identical ballots merged) */
	size_t *off;              /* n+1 offsets: ballot i is [off[i], off[i+1]) */
	uint16_t *cand;           /* entries: candidate index */
	uint16_t *level;          /* entries: rank level, 0 first */
	uint64_t total;           /* sum of weights of non-empty ballots */
	uint64_t empty;           /* weight of ballots that rank nobody */
	int has_ties;             /* some ballot ranks two candidates equally */

	struct ballot_meta meta;

	/* private: aggregation table and capacities */
	uint32_t *slots;
	size_t nslots, cap, ecap;
};

/* Allocate tables for ncand candidates (1..BALLOTS_MAX_CAND), named
 * "1".."n" until ballots_set_name() is called. */
int ballots_init(struct ballot_set *bs, size_t ncand);
void ballots_release(struct ballot_set *bs);

/* Replace the name of candidate i (a copy of len bytes is made). */
int ballots_set_name(struct ballot_set *bs, size_t i, const char *name,
		     size_t len);

/*
 * Add weight identical ballots. cand/level hold len entries in the form
 * described above; the caller has checked ranges and duplicates. An empty
 * ballot only adds to bs->empty. Returns 0, PX_E_NOMEM, or
 * PX_E_OUT_OF_RANGE when the total weight would pass BALLOTS_MAX_WEIGHT.
 */
int ballots_add(struct ballot_set *bs, const uint16_t *cand,
		const uint16_t *level, size_t len, uint64_t weight);

/* Free the aggregation table once no more ballots will be added. */
void ballots_seal(struct ballot_set *bs);

#endif
