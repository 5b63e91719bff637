/*
 * rule.c: the table of decision-rule kinds, their validation and their
 * evaluation over a tally, rule comparison and human descriptions.
 *
 * Invariants: a checked rule has exactly the parameters its kind takes
 * (others are zero); every count is 0..RULE_TALLY_MAX (< 2^53) and every
 * fraction term at most INT32_MAX, so products such as yes * den or
 * num * members stay below 2^84: they are taken in 128 bits (GCC and
 * Clang's __int128), and no step can overflow or round. Evaluation reads only the
 * rule and the tally: no I/O, no clock, no floating point.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "i18n.h"
#include "rule.h"
#include "strbuf.h"
#include "banned.h"

/* ---- evaluation of each kind -------------------------------------- */

__extension__ typedef __int128 i128;

/* ceil(num * x / den) for 0 <= num <= den <= INT32_MAX, 0 <= x <=
 * RULE_TALLY_MAX: the product needs up to 84 bits, the quotient is at
 * most x. */
static int64_t ceil_frac(int64_t num, int64_t x, int64_t den)
{
	i128 p = (i128)num * x;
	return (int64_t)((p + den - 1) / den);
}

static int64_t base_count(enum rule_base base, const struct rule_tally *t)
{
	switch (base) {
	case RULE_BASE_CAST:
		return t->yes + t->no;
	case RULE_BASE_PRESENT:
		return t->present;
	case RULE_BASE_MEMBERS:
		return t->members;
	default:
		return 0;
	}
}

/* More than half of base: yes >= floor(base/2) + 1. */
static void more_than_half(int64_t base, const struct rule_tally *t,
			   struct rule_result *res)
{
	res->base = base;
	res->threshold = base / 2 + 1;
	res->outcome = t->yes >= res->threshold ? RULE_ADOPTED : RULE_REJECTED;
}

static void eval_simple(const struct decision_rule *r,
			const struct rule_tally *t, struct rule_result *res)
{
	(void)r;
	more_than_half(t->yes + t->no, t, res); /* yes > no */
}

static void eval_absolute(const struct decision_rule *r,
			  const struct rule_tally *t, struct rule_result *res)
{
	(void)r;
	more_than_half(t->members, t, res);
}

/* yes * den >= num * base, and at least one yes: the least such yes is
 * max(1, ceil(num * base / den)). */
static void eval_super(const struct decision_rule *r,
		       const struct rule_tally *t, struct rule_result *res)
{
	int64_t base = base_count(r->base, t);
	int64_t need = ceil_frac(r->fraction.num, base, r->fraction.den);

	res->applied = RULE_SUPERMAJORITY;
	res->base = base;
	res->threshold = need < 1 ? 1 : need;
	res->outcome = t->yes >= res->threshold ? RULE_ADOPTED : RULE_REJECTED;
}

static void eval_consensus(const struct decision_rule *r,
			   const struct rule_tally *t, struct rule_result *res)
{
	(void)r;
	res->applied = RULE_CONSENSUS;
	res->threshold = 1;
	res->vetoes = t->blocks;
	res->outcome = t->blocks == 0 && t->yes >= 1 ? RULE_ADOPTED
						      : RULE_REJECTED;
}

static void eval_consent(const struct decision_rule *r,
			 const struct rule_tally *t, struct rule_result *res)
{
	(void)r;
	res->vetoes = t->objections;
	res->outcome = t->objections == 0 ? RULE_ADOPTED : RULE_REJECTED;
}

static void eval_unanimity(const struct decision_rule *r,
			   const struct rule_tally *t, struct rule_result *res)
{
	(void)r;
	res->base = t->present;
	res->threshold = t->present;
	res->outcome = t->yes == t->present ? RULE_ADOPTED : RULE_REJECTED;
}

static void eval_hybrid(const struct decision_rule *r,
			const struct rule_tally *t, struct rule_result *res)
{
	if (t->round <= r->rounds) {
		eval_consensus(r, t, res);
		if (res->outcome != RULE_ADOPTED)
			res->outcome = RULE_NEXT_ROUND;
	} else {
		eval_super(r, t, res);
	}
}

#define POS_MAJORITY (RULE_POS_YES | RULE_POS_NO | RULE_POS_ABSTAIN)
#define POS_CONSENSUS (RULE_POS_YES | RULE_POS_STAND_ASIDE | RULE_POS_BLOCK)
#define POS_CONSENT (RULE_POS_YES | RULE_POS_ABSTAIN | RULE_POS_OBJECTION)

static const struct rule_kind_info kinds[RULE_KIND__COUNT] = {
	[RULE_SIMPLE_MAJORITY] = { "simple_majority", 0, POS_MAJORITY,
				   eval_simple },
	[RULE_ABSOLUTE_MAJORITY] = { "absolute_majority", 0, POS_MAJORITY,
				     eval_absolute },
	[RULE_SUPERMAJORITY] = { "supermajority",
				 RULE_P_FRACTION | RULE_P_BASE, POS_MAJORITY,
				 eval_super },
	[RULE_CONSENSUS] = { "consensus", 0, POS_CONSENSUS, eval_consensus },
	[RULE_CONSENT] = { "consent", 0, POS_CONSENT, eval_consent },
	[RULE_UNANIMITY] = { "unanimity", 0, POS_MAJORITY, eval_unanimity },
	[RULE_HYBRID] = { "hybrid",
			  RULE_P_FRACTION | RULE_P_BASE | RULE_P_ROUNDS,
			  POS_CONSENSUS, eval_hybrid },
};

static const char *const base_names[RULE_BASE__COUNT] = {
	[RULE_BASE_NONE] = "none",
	[RULE_BASE_CAST] = "cast",
	[RULE_BASE_PRESENT] = "present",
	[RULE_BASE_MEMBERS] = "members",
};

static const char *const outcome_names[RULE_OUTCOME__COUNT] = {
	[RULE_ADOPTED] = "adopted",
	[RULE_REJECTED] = "rejected",
	[RULE_NO_QUORUM] = "no_quorum",
	[RULE_NEXT_ROUND] = "next_round",
};

const struct rule_kind_info *rule_kind_info(enum rule_kind kind)
{
	if ((int)kind < 0 || kind >= RULE_KIND__COUNT)
		return NULL;
	return &kinds[kind];
}

int rule_kind_by_name(const char *name)
{
	for (int i = 0; i < RULE_KIND__COUNT; i++)
		if (!strcmp(kinds[i].name, name))
			return i;
	return -1;
}

const char *rule_base_name(enum rule_base base)
{
	if ((int)base < 0 || base >= RULE_BASE__COUNT)
		return "none";
	return base_names[base];
}

int rule_base_by_name(const char *name)
{
	for (int i = RULE_BASE_CAST; i < RULE_BASE__COUNT; i++)
		if (!strcmp(base_names[i], name))
			return i;
	return -1;
}

const char *rule_outcome_name(enum rule_outcome o)
{
	if ((int)o < 0 || o >= RULE_OUTCOME__COUNT)
		return "unknown";
	return outcome_names[o];
}

/* ---- field names for errors ----------------------------------------- */

#define FIELD_ROW(p) { p, { p, p ".kind", p ".fraction", p ".base", \
	p ".rounds", p ".quorum", p ".quorum.count", p ".quorum.fraction", \
	p ".default", p ".by_kind" } }

static const struct {
	const char *prefix;
	const char *names[RULE_F__COUNT];
} field_rows[] = {
	FIELD_ROW("rule"),
	FIELD_ROW("rules"),
	FIELD_ROW("rule.default"),
	FIELD_ROW("rules.default"),
	FIELD_ROW("rule.by_kind.*"),
	FIELD_ROW("rules.by_kind.*"),
	/* a rule set inside the parameters of a change_rules motion */
	FIELD_ROW("params.rules"),
	FIELD_ROW("params.rules.default"),
	FIELD_ROW("params.rules.by_kind.*"),
};

const char *const *rule_field_names(const char *prefix)
{
	size_t n = sizeof(field_rows) / sizeof(field_rows[0]);
	for (size_t i = 0; prefix && i < n; i++)
		if (!strcmp(field_rows[i].prefix, prefix))
			return field_rows[i].names;
	return field_rows[0].names;
}

/* ---- construction and validation ------------------------------------ */

void rule_init(struct decision_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = RULE_SIMPLE_MAJORITY;
	r->base = RULE_BASE_NONE;
	r->quorum.kind = RULE_QUORUM_NONE;
}

static int fraction_equal(const struct rule_fraction *a,
			  const struct rule_fraction *b)
{
	return a->num == b->num && a->den == b->den;
}

int rule_equal(const struct decision_rule *a, const struct decision_rule *b)
{
	return a->kind == b->kind && fraction_equal(&a->fraction, &b->fraction)
		&& a->base == b->base && a->rounds == b->rounds
		&& a->quorum.kind == b->quorum.kind
		&& a->quorum.count == b->quorum.count
		&& fraction_equal(&a->quorum.fraction, &b->quorum.fraction);
}

static int fraction_zero(const struct rule_fraction *f)
{
	return f->num == 0 && f->den == 0;
}

/* 0 <= num <= den, 1 <= den <= INT32_MAX. */
static int fraction_valid(const struct rule_fraction *f)
{
	return f->den >= 1 && f->den <= INT32_MAX && f->num >= 0
		&& f->num <= f->den;
}

static int check_quorum(const struct rule_quorum *q,
			const char *const *names, struct px_error *err)
{
	switch (q->kind) {
	case RULE_QUORUM_NONE:
		if (q->count || !fraction_zero(&q->fraction))
			return px_fail(err, PX_E_BAD_INPUT, names[RULE_F_QUORUM],
				       "%s: no quorum takes no count or fraction",
				       names[RULE_F_QUORUM]);
		return 0;
	case RULE_QUORUM_COUNT:
		if (q->count < 1 || q->count > RULE_COUNT_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE,
				       names[RULE_F_QUORUM_COUNT],
				       "%s must be 1 to %lld members",
				       names[RULE_F_QUORUM_COUNT],
				       (long long)RULE_COUNT_MAX);
		if (!fraction_zero(&q->fraction))
			return px_fail(err, PX_E_BAD_INPUT, names[RULE_F_QUORUM],
				       "%s is a count or a fraction, not both",
				       names[RULE_F_QUORUM]);
		return 0;
	case RULE_QUORUM_FRACTION:
		if (!fraction_valid(&q->fraction) || q->fraction.num == 0)
			return px_fail(err, PX_E_OUT_OF_RANGE,
				       names[RULE_F_QUORUM_FRACTION],
				       "%s must be more than 0 and at most 1",
				       names[RULE_F_QUORUM_FRACTION]);
		if (q->count)
			return px_fail(err, PX_E_BAD_INPUT, names[RULE_F_QUORUM],
				       "%s is a count or a fraction, not both",
				       names[RULE_F_QUORUM]);
		return 0;
	}
	return px_fail(err, PX_E_OUT_OF_RANGE, names[RULE_F_QUORUM],
		       "%s: unknown form of quorum", names[RULE_F_QUORUM]);
}

int rule_check(const struct decision_rule *r, const char *const *names,
	       struct px_error *err)
{
	const struct rule_kind_info *info = rule_kind_info(r->kind);

	if (!names)
		names = rule_field_names(NULL);
	if (!info)
		return px_fail(err, PX_E_RULE_KIND, names[RULE_F_KIND], NULL);

	if (info->params & RULE_P_FRACTION) {
		if (fraction_zero(&r->fraction))
			return px_fail(err, PX_E_MISSING_FIELD,
				       names[RULE_F_FRACTION],
				       "%s is required for %s",
				       names[RULE_F_FRACTION], info->name);
		/* More than one half, so that a motion and its contrary can
		 * never both be adopted. */
		if (!fraction_valid(&r->fraction)
		    || 2 * r->fraction.num <= r->fraction.den)
			return px_fail(err, PX_E_OUT_OF_RANGE,
				       names[RULE_F_FRACTION],
				       "%s must be more than 1/2 and at most 1",
				       names[RULE_F_FRACTION]);
	} else if (!fraction_zero(&r->fraction)) {
		return px_fail(err, PX_E_RULE_PARAM, names[RULE_F_FRACTION],
			       "%s does not apply to %s",
			       names[RULE_F_FRACTION], info->name);
	}

	if (info->params & RULE_P_BASE) {
		if (r->base == RULE_BASE_NONE)
			return px_fail(err, PX_E_MISSING_FIELD,
				       names[RULE_F_BASE],
				       "%s is required for %s",
				       names[RULE_F_BASE], info->name);
		if ((int)r->base < 0 || r->base >= RULE_BASE__COUNT)
			return px_fail(err, PX_E_OUT_OF_RANGE,
				       names[RULE_F_BASE],
				       "%s must be cast, present or members",
				       names[RULE_F_BASE]);
	} else if (r->base != RULE_BASE_NONE) {
		return px_fail(err, PX_E_RULE_PARAM, names[RULE_F_BASE],
			       "%s does not apply to %s",
			       names[RULE_F_BASE], info->name);
	}

	if (info->params & RULE_P_ROUNDS) {
		if (r->rounds == 0)
			return px_fail(err, PX_E_MISSING_FIELD,
				       names[RULE_F_ROUNDS],
				       "%s is required for %s",
				       names[RULE_F_ROUNDS], info->name);
		if (r->rounds < 1 || r->rounds > RULE_ROUNDS_MAX)
			return px_fail(err, PX_E_OUT_OF_RANGE,
				       names[RULE_F_ROUNDS],
				       "%s must be 1 to %d",
				       names[RULE_F_ROUNDS], RULE_ROUNDS_MAX);
	} else if (r->rounds != 0) {
		return px_fail(err, PX_E_RULE_PARAM, names[RULE_F_ROUNDS],
			       "%s does not apply to %s",
			       names[RULE_F_ROUNDS], info->name);
	}

	return check_quorum(&r->quorum, names, err);
}

/* ---- evaluation ----------------------------------------------------- */

unsigned rule_positions(const struct decision_rule *r, int32_t round)
{
	const struct rule_kind_info *info = rule_kind_info(r->kind);
	if (!info)
		return 0;
	if (r->kind == RULE_HYBRID && round > r->rounds)
		return POS_MAJORITY;
	return info->positions;
}

int64_t rule_quorum_needed(const struct decision_rule *r, int64_t members)
{
	int64_t need = 1;

	if (r->quorum.kind == RULE_QUORUM_COUNT)
		need = r->quorum.count;
	else if (r->quorum.kind == RULE_QUORUM_FRACTION && members > 0)
		need = ceil_frac(r->quorum.fraction.num, members,
				 r->quorum.fraction.den);
	return need < 1 ? 1 : need;
}

static const struct {
	const char *field;
	size_t offset;
	unsigned position; /* 0: not a vote position */
	const char *position_name;
} tally_fields[] = {
	{ "tally.members", offsetof(struct rule_tally, members), 0, NULL },
	{ "tally.present", offsetof(struct rule_tally, present), 0, NULL },
	{ "tally.yes", offsetof(struct rule_tally, yes), RULE_POS_YES, "yes" },
	{ "tally.no", offsetof(struct rule_tally, no), RULE_POS_NO, "no" },
	{ "tally.abstain", offsetof(struct rule_tally, abstain),
	  RULE_POS_ABSTAIN, "abstain" },
	{ "tally.blocks", offsetof(struct rule_tally, blocks),
	  RULE_POS_BLOCK, "block" },
	{ "tally.stand_asides", offsetof(struct rule_tally, stand_asides),
	  RULE_POS_STAND_ASIDE, "stand_aside" },
	{ "tally.objections", offsetof(struct rule_tally, objections),
	  RULE_POS_OBJECTION, "objection" },
};

#define NTALLY (sizeof(tally_fields) / sizeof(tally_fields[0]))

static int64_t tally_get(const struct rule_tally *t, size_t offset)
{
	int64_t v;
	memcpy(&v, (const char *)t + offset, sizeof(v));
	return v;
}

unsigned rule_position_by_name(const char *name)
{
	for (size_t i = 0; name && i < NTALLY; i++)
		if (tally_fields[i].position_name
		    && !strcmp(tally_fields[i].position_name, name))
			return tally_fields[i].position;
	return 0;
}

const char *rule_position_name(unsigned pos)
{
	for (size_t i = 0; i < NTALLY; i++)
		if (tally_fields[i].position && tally_fields[i].position == pos)
			return tally_fields[i].position_name;
	return NULL;
}

int rule_tally_add(struct rule_tally *t, unsigned pos, int64_t n,
		   struct px_error *err)
{
	for (size_t i = 0; i < NTALLY; i++) {
		int64_t v;
		if (!tally_fields[i].position || tally_fields[i].position != pos)
			continue;
		v = tally_get(t, tally_fields[i].offset);
		if (n < 0 || v < 0 || n > RULE_TALLY_MAX - v)
			return px_fail(err, PX_E_RULE_TALLY,
				       tally_fields[i].field,
				       "%s would pass %lld",
				       tally_fields[i].field,
				       (long long)RULE_TALLY_MAX);
		v += n;
		memcpy((char *)t + tally_fields[i].offset, &v, sizeof(v));
		return 0;
	}
	return px_fail(err, PX_E_RULE_POSITION, "position",
		       "no such position");
}

static int check_tally(const struct decision_rule *r,
		       const struct rule_tally *t, struct px_error *err)
{
	size_t n = NTALLY;
	unsigned offered;
	int64_t votes = 0;

	if (r->kind == RULE_HYBRID && t->round < 1)
		return px_fail(err, PX_E_RULE_TALLY, "tally.round",
			       "a hybrid rule needs the round, from 1");
	offered = rule_positions(r, t->round);
	for (size_t i = 0; i < n; i++) {
		int64_t v = tally_get(t, tally_fields[i].offset);
		if (v < 0 || v > RULE_TALLY_MAX)
			return px_fail(err, PX_E_RULE_TALLY,
				       tally_fields[i].field,
				       "%s must be 0 to %lld",
				       tally_fields[i].field,
				       (long long)RULE_TALLY_MAX);
		if (!tally_fields[i].position)
			continue;
		if (v && !(tally_fields[i].position & offered))
			return px_fail(err, PX_E_RULE_POSITION,
				       tally_fields[i].field,
				       "%s: %s offers no such position",
				       tally_fields[i].field,
				       kinds[r->kind].name);
		votes += v; /* at most 6 * 2^53: no overflow */
	}
	if (t->present > t->members)
		return px_fail(err, PX_E_RULE_TALLY, "tally.present",
			       "%lld present but only %lld members",
			       (long long)t->present, (long long)t->members);
	if (votes > t->present)
		return px_fail(err, PX_E_RULE_TALLY, "tally.present",
			       "%lld votes but only %lld present",
			       (long long)votes, (long long)t->present);
	return 0;
}

int rule_evaluate(const struct decision_rule *r, const struct rule_tally *t,
		  struct rule_result *res, struct px_error *err)
{
	int rc = rule_check(r, NULL, err);
	if (rc)
		return rc;
	rc = check_tally(r, t, err);
	if (rc)
		return rc;

	memset(res, 0, sizeof(*res));
	res->applied = r->kind;
	res->quorum = rule_quorum_needed(r, t->members);
	res->present = t->present;
	res->yes = t->yes;
	if (t->present < res->quorum) {
		res->outcome = RULE_NO_QUORUM;
		return 0;
	}
	kinds[r->kind].eval(r, t, res);
	return 0;
}

/* ---- comparison ----------------------------------------------------- */

/* The majority rules as "yes/base > f" (strict) or ">= f", with bases
 * ordered cast <= present <= members for any one tally. */
struct majority_form {
	int base; /* enum rule_base: a larger base is harder to reach */
	struct rule_fraction f;
	int strict;
};

static int majority_form(const struct decision_rule *r,
			 struct majority_form *m)
{
	static const struct rule_fraction half = { 1, 2 }, all = { 1, 1 };

	switch (r->kind) {
	case RULE_SIMPLE_MAJORITY:
		*m = (struct majority_form){ RULE_BASE_CAST, half, 1 };
		return 1;
	case RULE_ABSOLUTE_MAJORITY:
		*m = (struct majority_form){ RULE_BASE_MEMBERS, half, 1 };
		return 1;
	case RULE_UNANIMITY:
		*m = (struct majority_form){ RULE_BASE_PRESENT, all, 0 };
		return 1;
	case RULE_SUPERMAJORITY:
	case RULE_HYBRID: /* its fallback, compared by the caller */
		*m = (struct majority_form){ (int)r->base, r->fraction, 0 };
		return 1;
	default:
		return 0;
	}
}

static int cmp_fraction(const struct rule_fraction *a,
			const struct rule_fraction *b)
{
	int64_t x = a->num * b->den, y = b->num * a->den;
	return (x > y) - (x < y);
}

/* a is at least as strict as b: every tally a adopts, b adopts. */
static int majority_implies(const struct majority_form *a,
			    const struct majority_form *b)
{
	int c = cmp_fraction(&a->f, &b->f);
	return a->base >= b->base && (c > 0 || (c == 0 && a->strict >= b->strict));
}

static enum rule_order order_of(int a_implies_b, int b_implies_a)
{
	if (a_implies_b && b_implies_a)
		return RULE_ORDER_SAME;
	if (a_implies_b)
		return RULE_ORDER_STRICTER;
	if (b_implies_a)
		return RULE_ORDER_WEAKER;
	return RULE_ORDER_INCOMPARABLE;
}

static enum rule_order compare_votes(const struct decision_rule *a,
				     const struct decision_rule *b)
{
	struct majority_form ma, mb;

	if (a->kind == RULE_HYBRID || b->kind == RULE_HYBRID) {
		if (a->kind != b->kind || a->rounds != b->rounds)
			return RULE_ORDER_INCOMPARABLE;
	} else if (a->kind == RULE_CONSENSUS || a->kind == RULE_CONSENT
		   || b->kind == RULE_CONSENSUS || b->kind == RULE_CONSENT) {
		return a->kind == b->kind ? RULE_ORDER_SAME
					  : RULE_ORDER_INCOMPARABLE;
	}
	if (!majority_form(a, &ma) || !majority_form(b, &mb))
		return RULE_ORDER_INCOMPARABLE;
	return order_of(majority_implies(&ma, &mb), majority_implies(&mb, &ma));
}

/* A quorum as "present >= count" or ">= fraction of members"; no quorum
 * is a count of 1, and a count of 1 is implied by every quorum. */
static int quorum_implies(const struct rule_quorum *a,
			  const struct rule_quorum *b)
{
	int64_t ca = a->kind == RULE_QUORUM_COUNT ? a->count : 1;
	int64_t cb = b->kind == RULE_QUORUM_COUNT ? b->count : 1;

	if (b->kind != RULE_QUORUM_FRACTION && cb == 1)
		return 1;
	if (a->kind == RULE_QUORUM_FRACTION && b->kind == RULE_QUORUM_FRACTION)
		return cmp_fraction(&a->fraction, &b->fraction) >= 0;
	if (a->kind != RULE_QUORUM_FRACTION && b->kind != RULE_QUORUM_FRACTION)
		return ca >= cb;
	return 0;
}

enum rule_order rule_compare(const struct decision_rule *a,
			     const struct decision_rule *b)
{
	enum rule_order v = compare_votes(a, b);
	enum rule_order q = order_of(quorum_implies(&a->quorum, &b->quorum),
				     quorum_implies(&b->quorum, &a->quorum));

	if (v == RULE_ORDER_INCOMPARABLE || q == RULE_ORDER_INCOMPARABLE)
		return RULE_ORDER_INCOMPARABLE;
	if (v == q || q == RULE_ORDER_SAME)
		return v;
	if (v == RULE_ORDER_SAME)
		return q;
	return RULE_ORDER_INCOMPARABLE;
}

/* ---- descriptions --------------------------------------------------- */

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* "two thirds", "one half", "three quarters", "7/20", in lang. */
static int add_fraction(struct strbuf *sb, const struct rule_fraction *f,
			const char *lang)
{
	static const char *const ones[] = { N_("zero"), N_("one"), N_("two"),
		N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"),
		N_("eight"), N_("nine"), N_("ten") };
	static const char *const nths[][2] = {
		{ NULL, NULL }, { NULL, NULL }, { N_("half"), N_("halves") },
		{ N_("third"), N_("thirds") }, { N_("quarter"), N_("quarters") },
		{ N_("fifth"), N_("fifths") }, { N_("sixth"), N_("sixths") },
		{ N_("seventh"), N_("sevenths") }, { N_("eighth"), N_("eighths") },
		{ N_("ninth"), N_("ninths") }, { N_("tenth"), N_("tenths") } };
	int64_t g = gcd64(f->num, f->den);
	int64_t n = g ? f->num / g : f->num, d = g ? f->den / g : f->den;

	if (n == d)
		return sb_adds(sb, tr(lang, "all"));
	if (d >= 2 && d <= 10 && n >= 1 && n <= 10)
		/* TRANSLATORS: a fraction in words: "two" "thirds" */
		return sb_addf(sb, tr(lang, "%s %s"), tr(lang, ones[n]),
			       tr(lang, nths[d][n > 1]));
	return sb_addf(sb, "%lld/%lld", (long long)n, (long long)d);
}

static const char *const base_phrase[RULE_BASE__COUNT] = {
	[RULE_BASE_NONE] = "",
	[RULE_BASE_CAST] = N_("votes cast"),
	[RULE_BASE_PRESENT] = N_("members present"),
	[RULE_BASE_MEMBERS] = N_("all members"),
};

static const char *const every_phrase[RULE_BASE__COUNT] = {
	[RULE_BASE_NONE] = "",
	[RULE_BASE_CAST] = N_("every vote cast"),
	[RULE_BASE_PRESENT] = N_("every member present"),
	[RULE_BASE_MEMBERS] = N_("every member"),
};

/* "at least two thirds of votes cast in favour"; a fraction of 1 reads
 * "every vote cast in favour". */
static int add_super(struct strbuf *sb, const struct decision_rule *r,
		     const char *lang)
{
	int rc;

	if (r->fraction.num == r->fraction.den)
		return sb_addf(sb, tr(lang, "%s in favour"),
			       tr(lang, every_phrase[r->base]));
	rc = sb_adds(sb, tr(lang, "at least "));
	if (!rc)
		rc = add_fraction(sb, &r->fraction, lang);
	if (!rc)
		rc = sb_addf(sb, tr(lang, " of %s in favour"),
			     tr(lang, base_phrase[r->base]));
	return rc;
}

static int add_quorum(struct strbuf *sb, const struct rule_quorum *q,
		      const char *lang)
{
	int rc;

	switch (q->kind) {
	case RULE_QUORUM_COUNT:
		return sb_addf(sb, trn(lang, ", with a quorum of %lld member",
				       ", with a quorum of %lld members",
				       (uint64_t)q->count), (long long)q->count);
	case RULE_QUORUM_FRACTION:
		if (q->fraction.num == q->fraction.den)
			return sb_adds(sb, tr(lang, ", with a quorum of all members"));
		rc = sb_adds(sb, tr(lang, ", with a quorum of "));
		if (!rc)
			rc = add_fraction(sb, &q->fraction, lang);
		if (!rc)
			rc = sb_adds(sb, tr(lang, " of all members"));
		return rc;
	default:
		return sb_adds(sb, tr(lang, ", with no quorum"));
	}
}

int rule_describe(const struct decision_rule *r, struct strbuf *sb)
{
	return rule_describe_in(r, I18N_DEFAULT, sb);
}

int rule_describe_in(const struct decision_rule *r, const char *lang,
		     struct strbuf *sb)
{
	int rc = 0;

	switch (r->kind) {
	case RULE_SIMPLE_MAJORITY:
		rc = sb_adds(sb, tr(lang, "a simple majority: more yes than no votes "
				    "(abstentions not counted)"));
		break;
	case RULE_ABSOLUTE_MAJORITY:
		rc = sb_adds(sb, tr(lang, "an absolute majority: yes from more than "
				    "half of all members"));
		break;
	case RULE_SUPERMAJORITY:
		rc = add_super(sb, r, lang);
		break;
	case RULE_CONSENSUS:
		rc = sb_adds(sb, tr(lang, "consensus: no block and at least one yes "
				    "(stand-asides allowed)"));
		break;
	case RULE_CONSENT:
		rc = sb_adds(sb, tr(lang, "consent: no objection"));
		break;
	case RULE_UNANIMITY:
		rc = sb_adds(sb, tr(lang, "unanimity: every member present votes yes"));
		break;
	case RULE_HYBRID:
		rc = sb_addf(sb, trn(lang, "consensus sought for %d round, then ",
				     "consensus sought for %d rounds, then ",
				     (uint64_t)r->rounds), (int)r->rounds);
		if (!rc)
			rc = add_super(sb, r, lang);
		break;
	default:
		return PX_E_RULE_KIND;
	}
	if (!rc)
		rc = add_quorum(sb, &r->quorum, lang);
	return rc;
}

int rule_result_describe(const struct rule_result *res, struct strbuf *sb)
{
	return rule_result_describe_in(res, I18N_DEFAULT, sb);
}

/* The outcomes as rule_result_describe writes them (the names). */
static const char *const outcome_words[RULE_OUTCOME__COUNT] = {
	[RULE_ADOPTED] = N_("adopted"), [RULE_REJECTED] = N_("rejected"),
	[RULE_NO_QUORUM] = N_("no quorum"), [RULE_NEXT_ROUND] = N_("next round"),
};

int rule_result_describe_in(const struct rule_result *res, const char *lang,
			    struct strbuf *sb)
{
	/* in English the outcome's name, as it always read */
	int rc = sb_adds(sb, res->outcome < RULE_OUTCOME__COUNT &&
			 lang && strcmp(lang, I18N_DEFAULT)
			 ? tr(lang, outcome_words[res->outcome])
			 : rule_outcome_name(res->outcome));

	if (rc)
		return rc;
	if (res->outcome == RULE_NO_QUORUM)
		return sb_addf(sb, tr(lang, ": %lld present, quorum %lld"),
			       (long long)res->present, (long long)res->quorum);
	switch (res->applied) {
	case RULE_CONSENSUS:
		rc = sb_addf(sb, trn(lang, ": %lld yes, %lld block", ": %lld yes, %lld blocks",
				     (uint64_t)res->vetoes),
			     (long long)res->yes, (long long)res->vetoes);
		break;
	case RULE_CONSENT:
		rc = sb_addf(sb, trn(lang, ": %lld objection", ": %lld objections",
				     (uint64_t)res->vetoes), (long long)res->vetoes);
		break;
	default:
		rc = sb_addf(sb, tr(lang, ": %lld yes of %lld, at least %lld needed"),
			     (long long)res->yes, (long long)res->base,
			     (long long)res->threshold);
		break;
	}
	if (!rc)
		rc = sb_addf(sb, tr(lang, "; %lld present, quorum %lld"),
			     (long long)res->present, (long long)res->quorum);
	return rc;
}

/* ---- rule sets ------------------------------------------------------ */

void rule_set_init(struct rule_set *s)
{
	memset(s, 0, sizeof(*s));
	rule_init(&s->def);
}

int rule_motion_kind_valid(const char *name)
{
	size_t i;
	for (i = 0; name[i]; i++)
		if (i >= RULE_MOTION_KIND_MAX
		    || !((name[i] >= 'a' && name[i] <= 'z') || name[i] == '_'))
			return 0;
	return i > 0;
}

const struct decision_rule *rule_set_lookup(const struct rule_set *s,
					    const char *motion_kind)
{
	for (size_t i = 0; motion_kind && i < s->n && i < RULE_SET_MAX; i++)
		if (!strcmp(s->by_kind[i].motion_kind, motion_kind))
			return &s->by_kind[i].rule;
	return &s->def;
}

int rule_set_put(struct rule_set *s, const char *motion_kind,
		 const struct decision_rule *r, struct px_error *err)
{
	size_t i;
	int c = 1;

	if (!rule_motion_kind_valid(motion_kind))
		return px_fail(err, PX_E_RULE_MOTION_KIND, "rules.by_kind",
			       "\"%.60s\" is not a name of a kind of motion "
			       "(1-40 characters a-z or _)", motion_kind);
	for (i = 0; i < s->n; i++) {
		c = strcmp(s->by_kind[i].motion_kind, motion_kind);
		if (c >= 0)
			break;
	}
	if (i < s->n && c == 0) {
		s->by_kind[i].rule = *r;
		return 0;
	}
	if (s->n >= RULE_SET_MAX)
		return px_fail(err, PX_E_TOO_LARGE, "rules.by_kind",
			       "at most %d kinds of motion may have their "
			       "own rule", RULE_SET_MAX);
	memmove(&s->by_kind[i + 1], &s->by_kind[i],
		(s->n - i) * sizeof(s->by_kind[0]));
	memset(&s->by_kind[i], 0, sizeof(s->by_kind[i]));
	memcpy(s->by_kind[i].motion_kind, motion_kind, strlen(motion_kind));
	s->by_kind[i].rule = *r;
	s->n++;
	return 0;
}

/* The field names of per-kind rules read "rules.by_kind.*.fraction": in
 * the detail, put the kind of motion in place of the "*". */
void rule_error_name_kind(struct px_error *err, const char *kind)
{
	char detail[sizeof(err->detail)];
	const char *msg, *star;

	if (!err)
		return;
	msg = px_error_message(err);
	star = strstr(msg, "by_kind.*");
	if (star) {
		star += strlen("by_kind.");
		snprintf(detail, sizeof(detail), "%.*s%s%s",
			 (int)(star - msg), msg, kind, star + 1);
	} else {
		snprintf(detail, sizeof(detail), "%s (%s)", msg, kind);
	}
	memcpy(err->detail, detail, sizeof(detail));
}

int rule_set_check(const struct rule_set *s, const char *prefix,
		   struct px_error *err)
{
	char buf[64];
	const char *const *top, *const *def_names, *const *kind_names;
	int rc;

	if (!prefix)
		prefix = "rules";
	top = rule_field_names(prefix);
	snprintf(buf, sizeof(buf), "%s.default", prefix);
	def_names = rule_field_names(buf);
	snprintf(buf, sizeof(buf), "%s.by_kind.*", prefix);
	kind_names = rule_field_names(buf);

	rc = rule_check(&s->def, def_names, err);
	if (rc)
		return rc;
	if (s->n > RULE_SET_MAX)
		return px_fail(err, PX_E_TOO_LARGE, top[RULE_F_BY_KIND], NULL);
	for (size_t i = 0; i < s->n; i++) {
		const struct rule_set_entry *e = &s->by_kind[i];
		if (!rule_motion_kind_valid(e->motion_kind))
			return px_fail(err, PX_E_RULE_MOTION_KIND,
				       top[RULE_F_BY_KIND], NULL);
		if (i && strcmp(s->by_kind[i - 1].motion_kind,
				e->motion_kind) >= 0)
			return px_fail(err, PX_E_BAD_INPUT, top[RULE_F_BY_KIND],
				       "%s: kinds of motion must be unique",
				       top[RULE_F_BY_KIND]);
		rc = rule_check(&e->rule, kind_names, err);
		if (rc) {
			rule_error_name_kind(err, e->motion_kind);
			return rc;
		}
		if (rule_compare(&e->rule, &s->def) == RULE_ORDER_WEAKER)
			return px_fail(err, PX_E_RULE_WEAKER,
				       top[RULE_F_BY_KIND],
				       "%s.%s is weaker than the default rule",
				       top[RULE_F_BY_KIND], e->motion_kind);
	}
	return 0;
}

int rule_set_describe(const struct rule_set *s, struct strbuf *sb)
{
	int rc = rule_describe(&s->def, sb);

	for (size_t i = 0; !rc && i < s->n; i++) {
		rc = sb_addf(sb, "; for %s: ", s->by_kind[i].motion_kind);
		if (!rc)
			rc = rule_describe(&s->by_kind[i].rule, sb);
	}
	return rc;
}
