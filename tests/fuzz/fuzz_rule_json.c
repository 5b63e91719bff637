/*
 * fuzz_rule_json.c: libFuzzer target for decision rules from JSON.
 *
 * The input is any bytes, read as JSON. It is tried as a rule and as a
 * rule set; whatever is accepted must survive a round trip (to JSON and
 * back gives the same rule) and must describe itself. An input of the
 * form {"rule": RULE, "tally": TALLY} is also evaluated, and the result
 * must be coherent (an adopted supermajority met its threshold). Any
 * violated property aborts so the fuzzer reports it.
 *
 * Build with `make fuzz`; run: build/fuzz/fuzz_rule_json -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/errors.h"
#include "core/rule.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rule_round_trip(const struct decision_rule *r)
{
	struct decision_rule back;
	struct px_error err;
	struct strbuf sb;
	json_t *j = rule_to_json(r);

	if (!j)
		abort();
	if (rule_from_json(j, &back, "rule", &err) || !rule_equal(r, &back))
		abort();
	json_decref(j);
	sb_init(&sb, 0);
	if (rule_describe(r, &sb))
		abort();
	sb_release(&sb);
}

static void check_set_round_trip(const struct rule_set *s)
{
	struct rule_set *back = malloc(sizeof(*back));
	struct px_error err;
	json_t *j = rule_set_to_json(s);

	if (!j || !back)
		abort();
	if (rule_set_from_json(j, back, "rules", &err) || back->n != s->n
	    || !rule_equal(&back->def, &s->def))
		abort();
	for (size_t i = 0; i < s->n; i++)
		if (!rule_equal(&back->by_kind[i].rule, &s->by_kind[i].rule))
			abort();
	json_decref(j);
	free(back);
}

static void check_evaluation(const json_t *root)
{
	struct decision_rule r;
	struct rule_tally t;
	struct rule_result res;
	struct px_error err;
	struct strbuf sb;
	json_t *out;

	if (rule_from_json(json_object_get(root, "rule"), &r, "rule", &err))
		return;
	if (rule_tally_from_json(json_object_get(root, "tally"), &t, &err))
		return;
	if (rule_evaluate(&r, &t, &res, &err))
		return;
	if (res.outcome == RULE_ADOPTED && res.present < res.quorum)
		abort();
	if (res.outcome == RULE_ADOPTED && res.applied != RULE_CONSENT
	    && res.yes < res.threshold)
		abort();
	if (res.outcome == RULE_NEXT_ROUND && r.kind != RULE_HYBRID)
		abort();
	sb_init(&sb, 0);
	if (rule_result_describe(&res, &sb))
		abort();
	sb_release(&sb);
	out = rule_result_to_json(&r, &res);
	if (!out)
		abort();
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *root = json_loadb((const char *)data, size, JSON_ALLOW_NUL,
				  &jerr);
	struct decision_rule r;
	struct rule_set *s;
	struct px_error err;

	if (!root)
		return 0;
	if (!rule_from_json(root, &r, "rule", &err))
		check_rule_round_trip(&r);
	s = malloc(sizeof(*s));
	if (!s)
		abort();
	if (!rule_set_from_json(root, s, "rules", &err))
		check_set_round_trip(s);
	free(s);
	if (json_is_object(root))
		check_evaluation(root);
	json_decref(root);
	return 0;
}
