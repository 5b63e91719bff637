/*
 * rule_json.c: conversion of decision rules, rule sets, tallies and
 * results between JSON and the structs of core/rule.h.
 *
 * Parsing checks the shape here (types, known keys, which parameters the
 * kind takes) and leaves bounds and meaning to rule_check/rule_set_check,
 * so there is one definition of a valid rule. Every refusal names the
 * field. Output is canonical: the same rule always gives the same bytes
 * once the journal canonicalises key order.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/num.h"
#include "core/rule.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

/* A string value without embedded NULs, or NULL. */
static const char *plain_string(const json_t *v)
{
	const char *s = json_string_value(v);
	if (!s || strlen(s) != json_string_length(v))
		return NULL;
	return s;
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* "N/D" or "0" or "1", 0 <= N <= D, D >= 1; reduced to lowest terms. */
static int parse_fraction(const json_t *v, const char *field,
			  struct rule_fraction *out, struct px_error *err)
{
	const char *s = plain_string(v);
	int64_t num, den, g;
	int rc;

	if (!s)
		return px_fail(err, PX_E_BAD_TYPE, field,
			       "%s must be a string such as \"2/3\"", field);
	rc = num_parse_fraction(s, &num, &den);
	if (rc == PX_E_OUT_OF_RANGE)
		return px_fail(err, rc, field,
			       "%s must be N/D with 0 <= N <= D and D >= 1",
			       field);
	if (rc)
		return px_fail(err, PX_E_BAD_INPUT, field,
			       "%s must be a fraction such as \"2/3\"", field);
	g = gcd64(num, den);
	out->num = g ? num / g : num;
	out->den = g ? den / g : den;
	if (out->num == 0)
		out->den = 1;
	return 0;
}

static int parse_count(const json_t *v, const char *field, int64_t min,
		       int64_t max, int64_t *out, struct px_error *err)
{
	json_int_t n;

	if (!json_is_integer(v))
		return px_fail(err, PX_E_BAD_TYPE, field,
			       "%s must be an integer", field);
	n = json_integer_value(v);
	if (n < min || n > max)
		return px_fail(err, PX_E_OUT_OF_RANGE, field,
			       "%s must be %lld to %lld", field,
			       (long long)min, (long long)max);
	*out = (int64_t)n;
	return 0;
}

static int parse_quorum(const json_t *j, const char *const *names,
			struct rule_quorum *q, struct px_error *err)
{
	const char *key;
	json_t *v;
	int rc, seen = 0;

	memset(q, 0, sizeof(*q));
	q->kind = RULE_QUORUM_NONE;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j))
		return px_fail(err, PX_E_BAD_TYPE, names[RULE_F_QUORUM],
			       "%s must be an object: {\"count\": N} or "
			       "{\"fraction\": \"N/D\"}", names[RULE_F_QUORUM]);
	json_object_foreach((json_t *)j, key, v) {
		if (seen++)
			return px_fail(err, PX_E_BAD_INPUT, names[RULE_F_QUORUM],
				       "%s is a count or a fraction, not both",
				       names[RULE_F_QUORUM]);
		if (!strcmp(key, "count")) {
			int64_t n;
			rc = parse_count(v, names[RULE_F_QUORUM_COUNT], 0,
					 RULE_COUNT_MAX, &n, err);
			if (rc)
				return rc;
			if (n) {
				q->kind = RULE_QUORUM_COUNT;
				q->count = n;
			}
		} else if (!strcmp(key, "fraction")) {
			struct rule_fraction f;
			rc = parse_fraction(v, names[RULE_F_QUORUM_FRACTION],
					    &f, err);
			if (rc)
				return rc;
			if (f.num) {
				q->kind = RULE_QUORUM_FRACTION;
				q->fraction = f;
			}
		} else {
			return px_fail(err, PX_E_UNKNOWN_FIELD,
				       names[RULE_F_QUORUM],
				       "%s.%.40s: unknown field (a quorum is "
				       "a count or a fraction)",
				       names[RULE_F_QUORUM], key);
		}
	}
	if (!seen)
		return px_fail(err, PX_E_MISSING_FIELD, names[RULE_F_QUORUM],
			       "%s needs a count or a fraction",
			       names[RULE_F_QUORUM]);
	return 0;
}

/* The parameters a rule object may carry, and the kind bit each needs. */
static const struct {
	const char *key;
	enum rule_field field;
	unsigned needs; /* RULE_P_* bit; 0 for every kind */
} rule_keys[] = {
	{ "kind", RULE_F_KIND, 0 },
	{ "fraction", RULE_F_FRACTION, RULE_P_FRACTION },
	{ "base", RULE_F_BASE, RULE_P_BASE },
	{ "rounds", RULE_F_ROUNDS, RULE_P_ROUNDS },
	{ "quorum", RULE_F_QUORUM, 0 },
};

static int parse_rule(const json_t *j, struct decision_rule *out,
		      const char *const *names, struct px_error *err)
{
	struct decision_rule r;
	const struct rule_kind_info *info;
	const char *key, *s;
	json_t *v;
	int kind, rc;
	size_t nkeys = sizeof(rule_keys) / sizeof(rule_keys[0]);

	if (!j)
		return px_fail(err, PX_E_MISSING_FIELD, names[RULE_F_SELF],
			       "%s is required", names[RULE_F_SELF]);
	if (!json_is_object(j))
		return px_fail(err, PX_E_BAD_TYPE, names[RULE_F_SELF],
			       "%s must be an object such as "
			       "{\"kind\": \"simple_majority\"}",
			       names[RULE_F_SELF]);
	rule_init(&r);

	v = json_object_get(j, "kind");
	if (!v)
		return px_fail(err, PX_E_MISSING_FIELD, names[RULE_F_KIND],
			       "%s is required", names[RULE_F_KIND]);
	s = plain_string(v);
	if (!s)
		return px_fail(err, PX_E_BAD_TYPE, names[RULE_F_KIND],
			       "%s must be a string", names[RULE_F_KIND]);
	kind = rule_kind_by_name(s);
	if (kind < 0)
		return px_fail(err, PX_E_RULE_KIND, names[RULE_F_KIND],
			       "%s \"%.40s\" is unknown: simple_majority, "
			       "absolute_majority, supermajority, consensus, "
			       "consent, unanimity or hybrid",
			       names[RULE_F_KIND], s);
	r.kind = (enum rule_kind)kind;
	info = rule_kind_info(r.kind);

	json_object_foreach((json_t *)j, key, v) {
		size_t k;
		for (k = 0; k < nkeys; k++)
			if (!strcmp(rule_keys[k].key, key))
				break;
		if (k == nkeys)
			return px_fail(err, PX_E_UNKNOWN_FIELD,
				       names[RULE_F_SELF],
				       "%s.%.40s: unknown field",
				       names[RULE_F_SELF], key);
		if (rule_keys[k].needs && !(info->params & rule_keys[k].needs))
			return px_fail(err, PX_E_RULE_PARAM,
				       names[rule_keys[k].field],
				       "%s does not apply to %s",
				       names[rule_keys[k].field], info->name);
	}

	v = json_object_get(j, "fraction");
	if (v) {
		rc = parse_fraction(v, names[RULE_F_FRACTION], &r.fraction, err);
		if (rc)
			return rc;
	}
	v = json_object_get(j, "base");
	if (v) {
		int base;
		s = plain_string(v);
		if (!s)
			return px_fail(err, PX_E_BAD_TYPE, names[RULE_F_BASE],
				       "%s must be a string", names[RULE_F_BASE]);
		base = rule_base_by_name(s);
		if (base < 0)
			return px_fail(err, PX_E_OUT_OF_RANGE,
				       names[RULE_F_BASE],
				       "%s must be cast, present or members",
				       names[RULE_F_BASE]);
		r.base = (enum rule_base)base;
	}
	v = json_object_get(j, "rounds");
	if (v) {
		int64_t n;
		rc = parse_count(v, names[RULE_F_ROUNDS], 1, RULE_ROUNDS_MAX,
				 &n, err);
		if (rc)
			return rc;
		r.rounds = (int32_t)n;
	}
	rc = parse_quorum(json_object_get(j, "quorum"), names, &r.quorum, err);
	if (rc)
		return rc;
	rc = rule_check(&r, names, err);
	if (rc)
		return rc;
	*out = r;
	return 0;
}

int rule_from_json(const json_t *j, struct decision_rule *out,
		   const char *field_prefix, struct px_error *err)
{
	return parse_rule(j, out, rule_field_names(field_prefix), err);
}

static json_t *fraction_json(const struct rule_fraction *f)
{
	char buf[48];
	snprintf(buf, sizeof(buf), "%lld/%lld", (long long)f->num,
		 (long long)f->den);
	return json_string(buf);
}

/* json_object_set_new that remembers a failure instead of returning it. */
static void put(json_t *o, const char *key, json_t *v, int *failed)
{
	if (!v || json_object_set_new(o, key, v))
		*failed = 1;
}

json_t *rule_to_json(const struct decision_rule *r)
{
	const struct rule_kind_info *info = rule_kind_info(r->kind);
	json_t *o;
	int failed = 0;

	if (!info)
		return NULL;
	o = json_object();
	if (!o)
		return NULL;
	put(o, "kind", json_string(info->name), &failed);
	if (info->params & RULE_P_FRACTION)
		put(o, "fraction", fraction_json(&r->fraction), &failed);
	if (info->params & RULE_P_BASE)
		put(o, "base", json_string(rule_base_name(r->base)), &failed);
	if (info->params & RULE_P_ROUNDS)
		put(o, "rounds", json_integer(r->rounds), &failed);
	if (r->quorum.kind != RULE_QUORUM_NONE) {
		json_t *q = json_object();
		if (q && r->quorum.kind == RULE_QUORUM_COUNT)
			put(q, "count", json_integer(r->quorum.count), &failed);
		else if (q)
			put(q, "fraction", fraction_json(&r->quorum.fraction),
			    &failed);
		put(o, "quorum", q, &failed);
	}
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- rule sets ------------------------------------------------------ */

static const char *const *row_for(const char *prefix, const char *suffix)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s%s", prefix, suffix);
	return rule_field_names(buf);
}

int rule_set_from_json(const json_t *j, struct rule_set *out,
		       const char *field_prefix, struct px_error *err)
{
	const char *prefix = field_prefix ? field_prefix : "rule";
	const char *const *top = rule_field_names(prefix);
	const char *key;
	json_t *v, *by_kind;
	struct rule_set *s = NULL;
	int rc;

	if (!j)
		return px_fail(err, PX_E_MISSING_FIELD, top[RULE_F_SELF],
			       "%s is required", top[RULE_F_SELF]);
	if (!json_is_object(j))
		return px_fail(err, PX_E_BAD_TYPE, top[RULE_F_SELF],
			       "%s must be an object", top[RULE_F_SELF]);
	/* The struct is large (RULE_SET_MAX rules): build it on the heap so
	 * *out stays untouched on failure without a big stack frame. */
	s = malloc(sizeof(*s));
	if (!s)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	rule_set_init(s);

	if (!json_object_get(j, "default") && !json_object_get(j, "by_kind")) {
		rc = parse_rule(j, &s->def, top, err); /* a bare rule */
		goto done;
	}
	json_object_foreach((json_t *)j, key, v) {
		if (strcmp(key, "default") && strcmp(key, "by_kind")) {
			rc = px_fail(err, PX_E_UNKNOWN_FIELD, top[RULE_F_SELF],
				     "%s.%.40s: unknown field (a rule set has "
				     "default and by_kind)", top[RULE_F_SELF],
				     key);
			goto done;
		}
	}
	v = json_object_get(j, "default");
	if (!v) {
		rc = px_fail(err, PX_E_MISSING_FIELD, top[RULE_F_DEFAULT],
			     "%s is required", top[RULE_F_DEFAULT]);
		goto done;
	}
	rc = parse_rule(v, &s->def, row_for(prefix, ".default"), err);
	if (rc)
		goto done;

	by_kind = json_object_get(j, "by_kind");
	if (by_kind && !json_is_object(by_kind)) {
		rc = px_fail(err, PX_E_BAD_TYPE, top[RULE_F_BY_KIND],
			     "%s must be an object of kinds of motion",
			     top[RULE_F_BY_KIND]);
		goto done;
	}
	if (by_kind && json_object_size(by_kind) > RULE_SET_MAX) {
		rc = px_fail(err, PX_E_TOO_LARGE, top[RULE_F_BY_KIND],
			     "at most %d kinds of motion may have their own "
			     "rule", RULE_SET_MAX);
		goto done;
	}
	json_object_foreach(by_kind, key, v) {
		struct decision_rule r;
		if (!rule_motion_kind_valid(key)) {
			rc = px_fail(err, PX_E_RULE_MOTION_KIND,
				     top[RULE_F_BY_KIND],
				     "%s: \"%.40s\" is not a kind of motion "
				     "(1-40 characters a-z or _)",
				     top[RULE_F_BY_KIND], key);
			goto done;
		}
		rc = parse_rule(v, &r, row_for(prefix, ".by_kind.*"), err);
		if (rc) {
			rule_error_name_kind(err, key);
			goto done;
		}
		rc = rule_set_put(s, key, &r, err);
		if (rc)
			goto done;
	}
	rc = rule_set_check(s, prefix, err);
done:
	if (!rc)
		*out = *s;
	free(s);
	return rc;
}

json_t *rule_set_to_json(const struct rule_set *s)
{
	json_t *o = json_object(), *by = json_object();
	int failed = !o || !by;

	if (!failed)
		put(o, "default", rule_to_json(&s->def), &failed);
	for (size_t i = 0; !failed && i < s->n && i < RULE_SET_MAX; i++)
		put(by, s->by_kind[i].motion_kind,
		    rule_to_json(&s->by_kind[i].rule), &failed);
	if (!failed) {
		put(o, "by_kind", by, &failed);
		by = NULL;
	}
	json_decref(by);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- tallies and results ------------------------------------------- */

static const struct {
	const char *key;
	const char *field;
	size_t offset;
	int required;
} tally_keys[] = {
	{ "members", "tally.members", offsetof(struct rule_tally, members), 1 },
	{ "present", "tally.present", offsetof(struct rule_tally, present), 1 },
	{ "yes", "tally.yes", offsetof(struct rule_tally, yes), 0 },
	{ "no", "tally.no", offsetof(struct rule_tally, no), 0 },
	{ "abstain", "tally.abstain", offsetof(struct rule_tally, abstain), 0 },
	{ "blocks", "tally.blocks", offsetof(struct rule_tally, blocks), 0 },
	{ "stand_asides", "tally.stand_asides",
	  offsetof(struct rule_tally, stand_asides), 0 },
	{ "objections", "tally.objections",
	  offsetof(struct rule_tally, objections), 0 },
};

#define NTALLY (sizeof(tally_keys) / sizeof(tally_keys[0]))

int rule_tally_from_json(const json_t *j, struct rule_tally *out,
			 struct px_error *err)
{
	struct rule_tally t;
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(j))
		return px_fail(err, PX_E_BAD_TYPE, "tally",
			       "tally must be an object of counts");
	memset(&t, 0, sizeof(t));
	json_object_foreach((json_t *)j, key, v) {
		size_t k;
		int known = !strcmp(key, "round");
		for (k = 0; !known && k < NTALLY; k++)
			known = !strcmp(tally_keys[k].key, key);
		if (!known)
			return px_fail(err, PX_E_UNKNOWN_FIELD, "tally",
				       "tally.%.40s: unknown field", key);
	}
	for (size_t k = 0; k < NTALLY; k++) {
		int64_t n = 0;
		v = json_object_get(j, tally_keys[k].key);
		if (!v && tally_keys[k].required)
			return px_fail(err, PX_E_MISSING_FIELD,
				       tally_keys[k].field, "%s is required",
				       tally_keys[k].field);
		if (v) {
			rc = parse_count(v, tally_keys[k].field, 0,
					 RULE_TALLY_MAX, &n, err);
			if (rc)
				return rc;
		}
		memcpy((char *)&t + tally_keys[k].offset, &n, sizeof(n));
	}
	v = json_object_get(j, "round");
	if (v) {
		int64_t n;
		rc = parse_count(v, "tally.round", 1, INT32_MAX, &n, err);
		if (rc)
			return rc;
		t.round = (int32_t)n;
	}
	*out = t;
	return 0;
}

json_t *rule_tally_to_json(const struct rule_tally *t)
{
	json_t *o = json_object();
	int failed = !o;

	for (size_t k = 0; !failed && k < NTALLY; k++) {
		int64_t n;
		memcpy(&n, (const char *)t + tally_keys[k].offset, sizeof(n));
		put(o, tally_keys[k].key, json_integer(n), &failed);
	}
	if (!failed && t->round)
		put(o, "round", json_integer(t->round), &failed);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *rule_positions_to_json(unsigned positions)
{
	json_t *a = json_array();

	for (unsigned bit = 1; a && bit && bit <= RULE_POS_OBJECTION; bit <<= 1) {
		const char *name = rule_position_name(bit);
		if (!(positions & bit) || !name)
			continue;
		if (json_array_append_new(a, json_string(name))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *rule_result_to_json(const struct decision_rule *r,
			    const struct rule_result *res)
{
	const struct rule_kind_info *applied = rule_kind_info(res->applied);
	json_t *o = json_object();
	struct strbuf sb;
	int failed = !o || !applied;

	sb_init(&sb, 4096);
	if (failed)
		goto out;
	put(o, "outcome", json_string(rule_outcome_name(res->outcome)),
	    &failed);
	put(o, "applied", json_string(applied->name), &failed);
	put(o, "quorum", json_integer(res->quorum), &failed);
	put(o, "present", json_integer(res->present), &failed);
	put(o, "base", json_integer(res->base), &failed);
	put(o, "threshold", json_integer(res->threshold), &failed);
	put(o, "yes", json_integer(res->yes), &failed);
	put(o, "vetoes", json_integer(res->vetoes), &failed);
	put(o, "rule", rule_to_json(r), &failed);
	if (rule_describe(r, &sb))
		failed = 1;
	else
		put(o, "rule_text", json_string(sb.buf), &failed);
	sb_reset(&sb);
	if (rule_result_describe(res, &sb))
		failed = 1;
	else
		put(o, "text", json_string(sb.buf), &failed);
out:
	sb_release(&sb);
	if (failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}
