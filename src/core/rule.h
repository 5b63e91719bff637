/*
 * rule.h: decision rules as data, and the pure functions that apply them.
 *
 * An assembly decides by the rule it chose (DESIGN.md 1.1). A rule is a
 * plain struct: a kind, the parameters that kind takes, and a quorum. A
 * rule set is a default rule plus rules for named kinds of motion (for
 * example two thirds to change the rules). Evaluation takes the counts of
 * one vote and returns the outcome with the numbers that decided it, so
 * the result can be explained in the minutes and recorded with the rule.
 *
 * Everything is integer arithmetic: counts are bounded by RULE_COUNT_MAX
 * and fractions by INT32_MAX, so every product fits in 64 bits and a
 * decision comes out the same on every machine. docs/rules.md is the
 * specification; the definitions are repeated at each function below.
 *
 * Ownership: nothing here allocates except the strbuf the describe
 * functions append to (the caller owns and releases it). All structs are
 * plain values the caller embeds and may copy.
 */
#ifndef PNYX_RULE_H
#define PNYX_RULE_H

#include <stddef.h>
#include <stdint.h>
#include "errors.h"

struct px_error;
struct strbuf;

/* Largest quorum count, and largest count a person types (pnyx rule). */
#define RULE_COUNT_MAX 1000000000LL
/* Largest count in a tally: members, present and each position. Weighted
 * votes (a delegate assembly's seats, core/shares.h) reach it; 2^53 - 1
 * keeps every count exact in any JSON reader, including JavaScript's
 * numbers. Products with a fraction term (< 2^31) are taken in 128 bits,
 * so evaluation is exact over the whole range. */
#define RULE_TALLY_MAX 9007199254740991LL
/* Most consensus rounds a hybrid rule may seek before its fallback. */
#define RULE_ROUNDS_MAX 100
/* A motion-kind name: 1-40 characters from [a-z_]. */
#define RULE_MOTION_KIND_MAX 40
/* Most per-kind rules in a rule set. */
#define RULE_SET_MAX 64

enum rule_kind {
	RULE_SIMPLE_MAJORITY,
	RULE_ABSOLUTE_MAJORITY,
	RULE_SUPERMAJORITY,
	RULE_CONSENSUS,
	RULE_CONSENT,
	RULE_UNANIMITY,
	RULE_HYBRID,
	RULE_KIND__COUNT
};

/* What a supermajority's fraction is taken of. Votes cast are yes + no:
 * abstentions are not votes cast. */
enum rule_base {
	RULE_BASE_NONE,    /* for kinds that take no base */
	RULE_BASE_CAST,    /* "cast" */
	RULE_BASE_PRESENT, /* "present": members checked in */
	RULE_BASE_MEMBERS, /* "members": all members */
	RULE_BASE__COUNT
};

enum rule_quorum_kind {
	RULE_QUORUM_NONE,     /* any attendance of at least one member */
	RULE_QUORUM_COUNT,    /* at least count members present */
	RULE_QUORUM_FRACTION, /* at least ceil(num * members / den) present */
};

/* An exact fraction num/den, 0 <= num <= den, 1 <= den <= INT32_MAX. */
struct rule_fraction {
	int64_t num;
	int64_t den;
};

struct rule_quorum {
	enum rule_quorum_kind kind;
	int64_t count;                 /* RULE_QUORUM_COUNT: 1..RULE_COUNT_MAX */
	struct rule_fraction fraction; /* RULE_QUORUM_FRACTION: 0 < f <= 1 */
};

struct decision_rule {
	enum rule_kind kind;
	/* supermajority, and hybrid's fallback: 1/2 < fraction <= 1 */
	struct rule_fraction fraction;
	enum rule_base base;
	/* hybrid: consensus is sought in rounds 1..rounds, then the
	 * supermajority decides; 1..RULE_ROUNDS_MAX */
	int32_t rounds;
	struct rule_quorum quorum;
};

/* Which parameters a kind takes (bits of rule_kind_info.params). */
enum {
	RULE_P_FRACTION = 1 << 0,
	RULE_P_BASE = 1 << 1,
	RULE_P_ROUNDS = 1 << 2,
};

/* The positions a member may take in a vote (bits of a position mask). */
enum {
	RULE_POS_YES = 1 << 0,
	RULE_POS_NO = 1 << 1,
	RULE_POS_ABSTAIN = 1 << 2,
	RULE_POS_BLOCK = 1 << 3,
	RULE_POS_STAND_ASIDE = 1 << 4,
	RULE_POS_OBJECTION = 1 << 5,
};

/* The counts of one vote. Every count is 0..RULE_TALLY_MAX; the votes
 * (all positions together) are at most present, present at most members.
 * A count for a position the rule does not offer must be 0. */
struct rule_tally {
	int64_t members;      /* all members entitled to vote */
	int64_t present;      /* members checked in */
	int64_t yes;
	int64_t no;
	int64_t abstain;
	int64_t blocks;       /* consensus */
	int64_t stand_asides; /* consensus */
	int64_t objections;   /* consent */
	int32_t round;        /* hybrid: 1-based round; ignored otherwise (0 ok) */
};

enum rule_outcome {
	RULE_ADOPTED,
	RULE_REJECTED,
	RULE_NO_QUORUM,  /* nothing was decided: too few present */
	RULE_NEXT_ROUND, /* hybrid: no consensus yet; hold the next round */
	RULE_OUTCOME__COUNT
};

/* The outcome and the numbers that decided it. */
struct rule_result {
	enum rule_outcome outcome;
	enum rule_kind applied; /* the kind evaluated: hybrid gives consensus
				 * in rounds 1..N, supermajority after */
	int64_t quorum;    /* least attendance required (1 when no quorum) */
	int64_t present;
	int64_t base;      /* what the threshold is a share of: votes cast,
			    * present or members; 0 for consensus/consent */
	int64_t threshold; /* least yes votes that adopt; 0 for consent */
	int64_t yes;
	int64_t vetoes;    /* blocks (consensus) or objections (consent) */
};

/* One row of the table of kinds. */
struct rule_kind_info {
	const char *name;     /* as in JSON: "supermajority" */
	unsigned params;      /* RULE_P_* bits */
	unsigned positions;   /* RULE_POS_* bits a vote under it offers */
	void (*eval)(const struct decision_rule *r, const struct rule_tally *t,
		     struct rule_result *res);
};

/* The table row of a kind, or NULL when out of range. */
const struct rule_kind_info *rule_kind_info(enum rule_kind kind);
/* Look a kind up by name; -1 when unknown. */
int rule_kind_by_name(const char *name);
const char *rule_base_name(enum rule_base base); /* "cast", ... */
int rule_base_by_name(const char *name);         /* -1 when unknown */
const char *rule_outcome_name(enum rule_outcome o); /* "adopted", ... */

/*
 * Names of the fields of a rule as the input spells them, for errors:
 * err->field must be a static string (struct px_error keeps only the
 * pointer), so the names are a static table with one row per prefix:
 * "rule", "rules", "rule.default", "rules.default", "rule.by_kind.*" and
 * "rules.by_kind.*" (row[RULE_F_FRACTION] is "rule.fraction", ...).
 * rule_field_names returns the row of a prefix; NULL or an unknown prefix
 * gives the "rule" row. Where a motion kind stands for the "*", the
 * error's detail names it (rule_error_name_kind).
 */
enum rule_field {
	RULE_F_SELF, RULE_F_KIND, RULE_F_FRACTION, RULE_F_BASE, RULE_F_ROUNDS,
	RULE_F_QUORUM, RULE_F_QUORUM_COUNT, RULE_F_QUORUM_FRACTION,
	RULE_F_DEFAULT, RULE_F_BY_KIND, /* of a rule set */
	RULE_F__COUNT
};
const char *const *rule_field_names(const char *prefix);

/* A simple majority with no quorum: what rule_init gives. Parameters a
 * kind does not take are zero (RULE_BASE_NONE, 0/0, 0 rounds). */
void rule_init(struct decision_rule *r);

/* 1 when every field of a and b is the same (a fraction 2/3 differs from
 * 4/6 here; the JSON conversion reduces fractions). */
int rule_equal(const struct decision_rule *a, const struct decision_rule *b);

/*
 * Check that a rule is well formed: a known kind; fraction, base and
 * rounds set exactly when the kind takes them (zero otherwise) and within
 * their bounds; a quorum within bounds. Returns 0 or PX_E_RULE_KIND,
 * PX_E_RULE_PARAM, PX_E_MISSING_FIELD or PX_E_OUT_OF_RANGE, with err->field
 * from the row names (NULL: the "rule" row).
 */
int rule_check(const struct decision_rule *r, const char *const *names,
	       struct px_error *err) PX_MUST_CHECK;

/* The positions a vote under r offers in the given round (hybrid changes
 * from consensus to supermajority after its rounds). RULE_POS_* bits. */
unsigned rule_positions(const struct decision_rule *r, int32_t round);

/* A position by its name ("yes", "no", "abstain", "block",
 * "stand_aside", "objection"): its RULE_POS_* bit, or 0 when unknown. */
unsigned rule_position_by_name(const char *name);
/* The name of one RULE_POS_* bit, or NULL. */
const char *rule_position_name(unsigned pos);
/* Add n votes of one position (a RULE_POS_* bit) to a tally: for counting
 * individual votes. PX_E_RULE_POSITION for an unknown position,
 * PX_E_RULE_TALLY past RULE_COUNT_MAX or for n < 0. Whether the rule
 * offers the position is checked by rule_evaluate (or by the caller with
 * rule_positions, before accepting a vote). */
int rule_tally_add(struct rule_tally *t, unsigned pos, int64_t n,
		   struct px_error *err) PX_MUST_CHECK;

/* Least attendance r requires of an assembly of members (at least 1). */
int64_t rule_quorum_needed(const struct decision_rule *r, int64_t members);

/*
 * Apply rule r (already checked) to tally t. Returns 0 and fills res, or
 * PX_E_RULE_TALLY (inconsistent counts) or PX_E_RULE_POSITION (a count for
 * a position r does not offer), with the field "tally.<name>".
 *
 * First the quorum: nothing is decided unless present >= 1 and present >=
 * the quorum (a count, or ceil(fraction * members)). Then, with cast =
 * yes + no (abstentions are not votes cast):
 *   simple majority    yes > no, i.e. yes >= floor(cast/2) + 1
 *   absolute majority  yes > members / 2, i.e. 2*yes > members
 *   supermajority      yes * den >= num * base and yes >= 1 ("at least
 *                      two thirds"), base = cast, present or members
 *   consensus          blocks == 0 and yes >= 1 (stand-asides allowed)
 *   consent            objections == 0
 *   unanimity          yes == present (no, abstain or silence defeats)
 *   hybrid             consensus in rounds 1..rounds: adopted, or
 *                      RULE_NEXT_ROUND; after: the supermajority
 */
int rule_evaluate(const struct decision_rule *r, const struct rule_tally *t,
		  struct rule_result *res, struct px_error *err) PX_MUST_CHECK;

/* How two rules compare: does a adopt in fewer cases than b? */
enum rule_order {
	RULE_ORDER_WEAKER = -1,  /* a adopts whenever b does, and more */
	RULE_ORDER_SAME = 0,
	RULE_ORDER_STRICTER = 1, /* b adopts whenever a does, and more */
	RULE_ORDER_INCOMPARABLE = 2,
};
/* Compares where the comparison holds for every tally: among the majority
 * rules (simple, absolute, supermajority, unanimity) by base and fraction,
 * and quorums of the same form. Consensus, consent and hybrid compare only
 * with their own kind; other pairs are incomparable. */
enum rule_order rule_compare(const struct decision_rule *a,
			     const struct decision_rule *b);

/* "at least two thirds of votes cast, with a quorum of 5 members" */
int rule_describe(const struct decision_rule *r, struct strbuf *sb);
/* "adopted: 14 yes of 20 votes cast, at least 14 needed; 22 present,
 * quorum 5" */
int rule_result_describe(const struct rule_result *res, struct strbuf *sb);
/* The same in lang (core/i18n.h): "en" writes what the two above write. */
int rule_describe_in(const struct decision_rule *r, const char *lang,
		     struct strbuf *sb);
int rule_result_describe_in(const struct rule_result *res, const char *lang,
			    struct strbuf *sb);

/* A rule set: the default rule and stricter rules per kind of motion. */
struct rule_set_entry {
	char motion_kind[RULE_MOTION_KIND_MAX + 1];
	struct decision_rule rule;
};

struct rule_set {
	struct decision_rule def;
	size_t n;                                    /* entries used */
	struct rule_set_entry by_kind[RULE_SET_MAX]; /* sorted by name */
};

/* A set with rule_init's default and no per-kind rules. */
void rule_set_init(struct rule_set *s);
/* 1 when name matches [a-z_]{1,40}. */
int rule_motion_kind_valid(const char *name);
/* The rule for a kind of motion: its own, or the default. Never NULL. */
const struct decision_rule *rule_set_lookup(const struct rule_set *s,
					    const char *motion_kind);
/* Add or replace the rule of a kind (kept sorted). PX_E_RULE_MOTION_KIND
 * for a bad name, PX_E_TOO_LARGE past RULE_SET_MAX. Does not check the
 * rule itself: rule_set_check does. */
int rule_set_put(struct rule_set *s, const char *motion_kind,
		 const struct decision_rule *r, struct px_error *err) PX_MUST_CHECK;
/*
 * Check every rule, every name, and that no per-kind rule is weaker than
 * the default (rule_compare says WEAKER): a stricter rule for a kind of
 * motion must not become a way round the default. Incomparable rules are
 * accepted. err->field: "<prefix>.default.*", "<prefix>.by_kind.*" (the
 * detail names the motion kind). prefix NULL means "rules".
 */
int rule_set_check(const struct rule_set *s, const char *prefix,
		   struct px_error *err) PX_MUST_CHECK;
/* Errors about per-kind rules name fields "rules.by_kind.*.fraction":
 * this puts the motion kind in place of the "*" in err's detail. */
void rule_error_name_kind(struct px_error *err, const char *motion_kind);
/* "two thirds of votes cast ...; for change_rules: ..." */
int rule_set_describe(const struct rule_set *s, struct strbuf *sb);

#endif
