/*
 * tally.h: counting ballots by the rules of a named method. Every method
 * is a row of one table (tally.c); each takes a ballot set and options and
 * fills a result: who is elected and in which order, a ranking with ties
 * shown as shared levels, and one row per stage of the count.
 *
 * Arithmetic is exact: counts are integers in units of 10^-decimals
 * (decimals = 0 for whole votes, 5 for the Scottish rules, 4 for WIGM, 9
 * for Meek). Nothing here uses floating point. Where a rule calls for a
 * lot, a stream derived from the seed decides (tally_lot()), every draw is
 * recorded in the notes and the seed is part of the result.
 *
 * Work: a caller that counts for strangers (the server's anonymous
 * counting) bounds what one count may cost with opts.work_max, in units
 * of work that grow as the methods' costs do: one unit per ballot (and
 * per candidate) read in each stage of STV and in each iteration of
 * Meek; for the Condorcet methods, one per ballot entry and candidate,
 * per ballot and candidate, and per candidate triple (the paths). Past it tally_run() stops and answers
 * PX_E_TOO_LARGE naming "ballots". A count of work, not of time, so that
 * the same file gets the same answer on every machine and under any load.
 *
 * Ownership: tally_run() fills a result the caller embeds; tally_result_
 * release() frees it. The result refers to candidates by index into the
 * ballot set, which must outlive it only for printing names.
 */
#ifndef PNYX_TALLY_H
#define PNYX_TALLY_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ballots.h"
#include "errors.h"
#include "strbuf.h"

#define TALLY_DEFAULT_SEED "pnyx-tally"

enum tally_state { T_HOPEFUL, T_ELECTED, T_EXCLUDED, T_WITHDRAWN };

struct tally_opts {
	size_t seats;             /* 0: the file's, else 1 */
	const char *seed;         /* NULL: TALLY_DEFAULT_SEED */
	/* Debian method; 0 / "" / empty means "take the file's header" */
	uint32_t default_option;  /* 1-based */
	const char *quorum;       /* decimal R */
	int rules;                /* 11 or 16 */
	struct ballot_majority majority[BALLOTS_MAX_MAJORITY];
	size_t nmajority;
	uint64_t work_max;        /* 0: unbounded; else see "Work" above */
};

/* What a stage or a note says, as a code and its values (tally_words.c):
 * the record's English is written from them, and a reader's language can
 * write them too. */
enum tally_word {
	TW_NONE,
	TW_FIRST_PREFERENCES, TW_APPROVALS, TW_BORDA_POINTS, TW_WINS, TW_QUORUM_ROUND,
	TW_MAJORITY_LEFT, TW_SCHWARTZ_FINAL, TW_SCHWARTZ_DROP, TW_MEEK_ELECTED,
	TW_MEEK_DEFEATED, TW_STV_FIRST, TW_STV_SURPLUS, TW_STV_EXCLUSION,
	/* notes */
	TW_TIE_ORDER, TW_TIE_LOT, TW_SPLIT_FIRST, TW_PATH_TIE, TW_DEBIAN_V1_0,
	TW_DEBIAN_DEFAULT, TW_QUORUM_DROP, TW_MAJORITY_DROP, TW_WEAKEST_DROP,
	TW_CASTING_VOTE, TW_MEEK_STOPPED, TW_LOOK_BACK, TW_DEEMED_ELECTED,
	TW_COUNT
};

#define TALLY_WORD_ARGS 5
#define TALLY_WORD_ARG 320

struct tally_words {
	enum tally_word code;
	size_t nargs;
	char args[TALLY_WORD_ARGS][TALLY_WORD_ARG]; /* as the record writes them */
};

struct tally_word_row {
	const char *name;       /* the code in the JSON: "stv_surplus" */
	const char *one, *many; /* English, marked; many NULL unless plural */
	int plural;             /* the value choosing one or many, or -1 */
	const char *kinds;      /* a letter per value (tally_words.c) */
};
extern const struct tally_word_row tally_word_rows[TW_COUNT];

/* Fill w with code and its values, as many as its row's kinds: a long
 * long for 'n' and 'v', a string for the others. -1 for an unknown code. */
int tally_words_set(struct tally_words *w, enum tally_word code, ...);
int tally_words_vset(struct tally_words *w, enum tally_word code, va_list ap);
/* w as lang writes it (numbers by ICU, words from the catalogue), or as the
 * record's English when lang is NULL; into out (cut to size). 0 or -1. */
int tally_words_write(const char *lang, const struct tally_words *w, char *out,
		      size_t size);
/* The code's name in the JSON ("stv_surplus"), or NULL. */
const char *tally_word_name(enum tally_word code);

struct tally_round {
	char label[128];          /* the record's English of words */
	struct tally_words words;
	int64_t *votes;           /* ncand values, or NULL */
	unsigned char *state;     /* ncand enum tally_state, or NULL */
	int64_t nontransferable;  /* -1 when not applicable */
	int64_t quota;            /* -1 when not applicable */
};

struct tally_result {
	const char *method;
	size_t ncand, seats;
	int decimals;             /* units of votes and quota: 10^-decimals */
	int64_t quota;            /* -1 when the method has none */
	uint64_t ballots;         /* weight counted */
	size_t *elected;          /* in order of election */
	size_t nelected;
	size_t *ranking;          /* candidates, best first */
	size_t *rank_level;       /* equal levels are ties */
	size_t nranking;
	struct tally_round *rounds;
	size_t nrounds, rounds_alloc;
	int64_t *pairwise;        /* ncand x ncand (Condorcet methods), or NULL */
	int64_t *paths;           /* strongest paths (Schulze), or NULL */
	char seed[128];
	size_t lots;              /* lots drawn */
	uint64_t work, work_max;  /* units of work done, and the bound (0: none) */
	struct strbuf notes;      /* one note per line, the record's English */
	struct tally_words *note_words; /* the same notes as codes and values */
	size_t nnotes, notes_alloc;
	/* private: the lot stream */
	unsigned char lot_key[32];
	uint64_t lot_block;
	unsigned char lot_buf[64];
	size_t lot_used;
};

struct tally_method {
	const char *name;
	const char *summary;
	int multi_seat;           /* takes --seats */
	int (*count)(const struct ballot_set *bs, const struct tally_opts *o,
		     struct tally_result *r, struct px_error *err);
};

/* The table, ended by a row with name NULL. */
extern const struct tally_method tally_methods[];
const struct tally_method *tally_method_find(const char *name);

int tally_run(const struct tally_method *m, const struct ballot_set *bs,
	      const struct tally_opts *o, struct tally_result *r,
	      struct px_error *err) PX_MUST_CHECK;
void tally_result_release(struct tally_result *r);

/* ---- for the method files ---- */

int tally_result_init(struct tally_result *r, const char *method,
		      const struct ballot_set *bs, const struct tally_opts *o);
/* Append a round saying w; votes/state are copied when not NULL. */
int tally_add_round(struct tally_result *r, const struct tally_words *w,
		    const int64_t *votes, const unsigned char *state,
		    int64_t nontransferable, int64_t quota);
/* Append a note: code and its values, as tally_words_set() takes them. */
int tally_note(struct tally_result *r, enum tally_word code, ...);
/* A uniform draw in [0, n) from the seeded stream (ChaCha20 keyed by
 * BLAKE2b-256 of the seed), by rejection sampling. */
uint32_t tally_lot(struct tally_result *r, uint32_t n);
/* Choose one of the n candidates in set (sorted here by index) by lot, or
 * by the file's [tie] order when it has one (most favoured = listed first:
 * pick_low picks the least favoured). Records a note. */
size_t tally_pick(struct tally_result *r, const struct ballot_set *bs,
		  size_t *set, size_t n, int pick_low, const char *why);
/* Fill ranking from scores (higher is better, ties share a level) over the
 * candidates that are not withdrawn, and elect the top seats, breaking a
 * tie that straddles the last seat by lot. */
int tally_rank_by_score(struct tally_result *r, const struct ballot_set *bs,
			const int64_t *score);
/* Account for units of work; PX_E_TOO_LARGE once past r->work_max. */
int tally_work(struct tally_result *r, uint64_t units) PX_MUST_CHECK;
/* Write value in units of 10^-decimals as a decimal string. */
void tally_format(char *buf, size_t size, int64_t v, int decimals);

int tally_plurality(const struct ballot_set *, const struct tally_opts *,
		    struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_approval(const struct ballot_set *, const struct tally_opts *,
		   struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_borda(const struct ballot_set *, const struct tally_opts *,
		struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_schulze(const struct ballot_set *, const struct tally_opts *,
		  struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_debian(const struct ballot_set *, const struct tally_opts *,
		 struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_stv_scottish(const struct ballot_set *, const struct tally_opts *,
		       struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_stv_wigm(const struct ballot_set *, const struct tally_opts *,
		   struct tally_result *, struct px_error *) PX_MUST_CHECK;
int tally_stv_meek(const struct ballot_set *, const struct tally_opts *,
		   struct tally_result *, struct px_error *) PX_MUST_CHECK;

/* Pairwise counts: d[a*n+b] = weight of ballots ranking a above b. */
int tally_pairwise(const struct ballot_set *bs, int64_t *d);

#endif
