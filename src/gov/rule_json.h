/*
 * rule_json.h: decision rules, rule sets, tallies and results as JSON.
 *
 * A rule:
 *   {"kind": "supermajority", "fraction": "2/3", "base": "cast",
 *    "quorum": {"count": 5}}
 *   {"kind": "hybrid", "rounds": 3, "fraction": "3/4", "base": "present",
 *    "quorum": {"fraction": "1/4"}}
 *   {"kind": "consensus"}
 * kind is one of simple_majority, absolute_majority, supermajority,
 * consensus, consent, unanimity, hybrid. fraction ("N/D" or "1") and base
 * ("cast", "present", "members") are required for supermajority and
 * hybrid and refused for other kinds; rounds (1-100) is required for
 * hybrid only. quorum is optional: absent, null, {"count": 0} or
 * {"fraction": "0"} mean no quorum. Any other key is refused.
 *
 * A rule set: {"default": RULE, "by_kind": {"change_rules": RULE, ...}},
 * where by_kind is optional and its keys match [a-z_]{1,40}. A bare rule
 * is accepted as a set with no per-kind rules. A per-kind rule provably
 * weaker than the default is refused (see rule_set_check in core/rule.h).
 *
 * Output is canonical: fractions in lowest terms, keys in a fixed order,
 * quorum left out when there is none, by_kind sorted by name, so the same
 * rule always serialises the same way (for the journal).
 *
 * Ownership: the *_to_json functions return a new reference (release with
 * json_decref) or NULL when out of memory. The *_from_json functions write
 * *out only when they succeed.
 *
 * field_prefix names where the rule sits in the input, for err->field: use
 * "rule" or "rules" (fields then read "rule.fraction",
 * "rule.default.quorum.count", "rule.by_kind.*.base" with the motion kind
 * named in the detail). NULL means "rule".
 */
#ifndef PNYX_RULE_JSON_H
#define PNYX_RULE_JSON_H

#include <jansson.h>

#include "core/rule.h"

struct px_error;

int rule_from_json(const json_t *j, struct decision_rule *out,
		   const char *field_prefix, struct px_error *err);
json_t *rule_to_json(const struct decision_rule *r);

int rule_set_from_json(const json_t *j, struct rule_set *out,
		       const char *field_prefix, struct px_error *err);
json_t *rule_set_to_json(const struct rule_set *s);

/*
 * A tally: {"members": 30, "present": 22, "yes": 14, "no": 6,
 * "abstain": 2, "blocks": 0, "stand_asides": 0, "objections": 0,
 * "round": 1}; members and present required, the rest default to 0.
 * Fields are "tally.<name>". Only the shape is checked here: consistency
 * is rule_evaluate's.
 */
int rule_tally_from_json(const json_t *j, struct rule_tally *out,
			 struct px_error *err);
json_t *rule_tally_to_json(const struct rule_tally *t);

/* The positions of a RULE_POS_* mask by name, in a fixed order:
 * ["yes", "no", "abstain"]; for showing a ballot. */
json_t *rule_positions_to_json(unsigned positions);

/*
 * What to record with a decision: {"outcome": "adopted", "applied":
 * "supermajority", "quorum": 5, "present": 22, "base": 20, "threshold": 14,
 * "yes": 14, "vetoes": 0, "rule": RULE, "rule_text": "at least two thirds
 * of votes cast in favour, ...", "text": "adopted: 14 yes of 20, ..."}.
 * r is the rule in force when voting opened.
 */
json_t *rule_result_to_json(const struct decision_rule *r,
			    const struct rule_result *res);

#endif
