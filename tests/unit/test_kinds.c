/* Unit tests for the registry of kinds of motion: each domain contributes
 * its own table (gov/kinds.c lists them); every row is complete (who
 * decides it, its words, its parameter spec), a name is found in exactly
 * one table, the registry finds every row by name, and what used to be
 * separate lists (kinds that need a text, that write a law, that only a
 * delegate assembly decides, that a committee may not be granted) is
 * exactly what the rows say. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "gov/assembly/assembly.h"
#include "gov/procedure/procedure.h"

/* Every row, in the order of the tables. */
#define EACH_KIND(k) \
	for (size_t t_ = 0; gov_kind_tables[t_]; t_++) \
		for (const struct motion_kind *k = gov_kind_tables[t_]; k->name; k++)

static int listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return 1;
	return 0;
}

/* The kinds for which pred holds are exactly those of list. */
static void assert_kinds_are(int (*pred)(const struct motion_kind *),
			     const char *const *list)
{
	size_t n = 0, want = 0;
	EACH_KIND(k) {
		int yes = pred(k);
		if (yes != listed(list, k->name))
			fail_msg("kind %s: %s", k->name, yes ? "not expected" : "missing");
		n += yes;
	}
	while (list[want])
		want++;
	assert_int_equal(n, want);
}

static void test_kinds_every_row_is_complete(void **state)
{
	(void)state;
	size_t rows = 0;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++) {
			assert_non_null(k->summary);
			assert_non_null(k->check);
			assert_non_null(k->apply);
			assert_non_null(k->label);
			assert_true(strlen(k->label) > 3);
			/* somebody decides it, and nothing but the known bodies */
			assert_true(k->decided_by & (KIND_BY_LOCAL | KIND_BY_DELEGATE |
						     KIND_BY_POLITY | KIND_BY_ENTERPRISE |
						     KIND_BY_MILITIA));
			assert_int_equal(k->decided_by & ~(unsigned)(KIND_BY_LOCAL |
					 KIND_BY_DELEGATE | KIND_BY_COMMITTEE | KIND_BY_POLITY |
					 KIND_BY_ENTERPRISE | KIND_BY_MILITIA), 0);
			rows++;
		}
	assert_true(rows >= 28); /* 3 of procedure, 13 of an assembly, 12 of federation */
}

static void test_kinds_names_are_unique_across_domains(void **state)
{
	(void)state;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++) {
			int seen = 0;
			for (size_t u = 0; gov_kind_tables[u]; u++)
				for (const struct motion_kind *l = gov_kind_tables[u]; l->name; l++)
					seen += !strcmp(k->name, l->name);
			assert_int_equal(seen, 1);
			assert_ptr_equal(motion_kind_find(k->name), k);
		}
}

static void test_kinds_find_refuses_unknown_and_null(void **state)
{
	(void)state;
	assert_null(motion_kind_find(NULL));
	assert_null(motion_kind_find(""));
	assert_null(motion_kind_find("enact_laws"));
	assert_non_null(motion_kind_find("enact_law"));
	assert_non_null(motion_kind_find("answer_proposal"));
}


/* Every parameter has a name, a type the API can name, a label for the
 * form; a choice lists its choices; no name twice in a row. */
static void test_kinds_every_param_is_specified(void **state)
{
	(void)state;
	size_t params = 0;
	EACH_KIND(k) {
		for (const struct kind_param *p = k->params; p && p->name; p++) {
			assert_non_null(motion_kind_type_name(p->type));
			assert_non_null(p->label);
			assert_true(strlen(p->label) > 1);
			if (p->type == KP_CHOICE) {
				assert_non_null(p->choices);
				assert_non_null(p->choices[0]);
				assert_non_null(p->choices[1]);
			}
			if (p->max)
				assert_true(p->min <= p->max);
			assert_true(p->min >= 0);
			assert_ptr_equal(motion_kind_param(k, p->name), p);
			params++;
		}
	}
	assert_true(params >= 50);
	assert_null(motion_kind_type_name(KP_TYPE_COUNT));
	for (int t = 0; t < KP_TYPE_COUNT; t++)
		assert_non_null(motion_kind_type_name((enum kind_param_type)t));
}

/* A kind that takes parameters says so: each kind whose effect reads
 * params has a spec (the ones with none take {}). */
static void test_kinds_without_params_are_the_ones_that_take_none(void **state)
{
	static const char *const none[] = { "resolution", "amendment", "enact_law",
					    "adjourn", "set_conditions", "leave_sharing_economy",
					    NULL };
	(void)state;
	size_t n = 0;
	EACH_KIND(k) {
		int empty = !k->params || !k->params[0].name;
		assert_int_equal(empty, listed(none, k->name));
		n += empty;
	}
	assert_int_equal(n, 6);
}

static int writes_law(const struct motion_kind *k) { return !!(k->flags & KIND_WRITES_LAW); }
static int needs_text(const struct motion_kind *k) { return !!(k->flags & KIND_NEEDS_TEXT); }
static int amends(const struct motion_kind *k) { return !!(k->flags & KIND_AMENDS); }
static int delegate_only(const struct motion_kind *k)
{
	return (k->decided_by & KIND_BY_DELEGATE) && !(k->decided_by & KIND_BY_LOCAL);
}
static int local_only(const struct motion_kind *k)
{
	return (k->decided_by & KIND_BY_LOCAL) && !(k->decided_by & KIND_BY_DELEGATE);
}
static int polity_only(const struct motion_kind *k)
{
	return k->decided_by == KIND_BY_POLITY;
}
static int enterprise_only(const struct motion_kind *k)
{
	return k->decided_by == KIND_BY_ENTERPRISE;
}
static int not_for_committees(const struct motion_kind *k)
{
	return !(k->decided_by & KIND_BY_COMMITTEE);
}

static void test_kinds_deciding_law_are_exactly_enact_amend_repeal(void **state)
{
	static const char *const law[] = { "enact_law", "amend_law", "repeal_law", NULL };
	(void)state;
	assert_kinds_are(writes_law, law);
}

static void test_kinds_needing_a_text_are_the_substantive_ones(void **state)
{
	static const char *const text[] = { "resolution", "enact_law", "amend_law",
		"amendment", "declaration", "adopt_proposal", "new_proposal_version",
		"set_conditions", "decide_standing",
		/* a scarcity's reasons, and why the assembly provides for someone
		 * outside the sharing economy (docs/sharing.md) */
		"declare_scarce", "grant_mutual_aid",
		/* a rationing policy proposed across a federation is a proposal's
		 * text, as adopt_proposal's (docs/sharing.md) */
		"propose_scarcity", "propose_lift_scarcity",
		/* why an allotment ends (docs/sharing.md) */
		"revoke_allotment", NULL };
	(void)state;
	assert_kinds_are(needs_text, text);
}

static void test_kinds_only_amendment_amends(void **state)
{
	static const char *const list[] = { "amendment", NULL };
	(void)state;
	assert_kinds_are(amends, list);
}

/* As docs/federation.md says: a delegate assembly never legislates and
 * never decides who is a member; five kinds are its alone, and the two
 * answers to an assembly of another node asking to join it, and the
 * suspension, restoration and end of such a membership (docs/nodes.md).
 * A proposal from another node is answered by a local assembly, or by a
 * delegate assembly that offers it on to its own members, as on one node
 * (answer_remote_proposal: both; docs/nodes.md, "Two levels across
 * nodes"). */
static void test_kinds_which_assembly_decides_each(void **state)
{
	static const char *const delegates[] = { "suspend_member", "restore_member",
		"adopt_proposal", "new_proposal_version", "change_weighting",
		"accept_remote_member", "refuse_remote_member", "remove_remote_member",
		"suspend_remote_member", "restore_remote_member",
		/* a rationing policy shared across a federation is a proposal
		 * (docs/sharing.md "Scarcity shared across a federation") */
		"propose_scarcity", "propose_lift_scarcity", NULL };
	static const char *const locals[] = { "enact_law", "amend_law", "repeal_law",
		"exclude_member", "readmit_member", "void_enterprise_decision",
		"decide_standing", "standing_cycle", "form_militia", "dissolve_militia",
		/* a community's bounds: its local assembly's (docs/communities.md) */
		"divide_community", "unite_communities",
		/* the sharing economy: joined, rationed and provided by the local
		 * assembly (docs/sharing.md) */
		"join_sharing_economy", "leave_sharing_economy", "declare_scarce",
		"lift_scarcity", "grant_mutual_aid",
		/* and allots means to those outside it, and sets its terms of
		 * barter (docs/sharing.md) */
		"allot_means", "revoke_allotment", "set_barter_terms", NULL };
	static const char *const enterprises[] = { "admit_member", "set_conditions",
		"state_commitment", NULL };
	/* a polity's assembly alone changes its settings of service by lot
	 * and removes a member from a seat (src/gov/lot/lot_kinds.c) */
	static const char *const polities[] = { "polity_settings", "remove_seat",
		"take_up_case", "harm_question", "charge_civil_service", "remedy_question",
		"review_case", "seal_evidence", "set_case_rules", "request_evidence_brief",
		"schedule_testimony", NULL };
	(void)state;
	assert_kinds_are(delegate_only, delegates);
	assert_kinds_are(local_only, locals);
	assert_kinds_are(enterprise_only, enterprises);
	assert_kinds_are(polity_only, polities);
}

/* A committee is never granted laws, meetings, rules, membership,
 * offices, committees, remote votes, amendments or hiding a comment (the
 * assembly's own decision, docs/discussion.md). */
static void test_kinds_a_committee_may_not_be_granted(void **state)
{
	static const char *const reserved[] = { "enact_law", "amend_law", "repeal_law",
		"declare_meeting", "change_rules", "change_schedule", "exclude_member",
		"readmit_member", "create_committee", "revoke_committee", "elect_holder",
		"recall_holder", "create_office", "authorise_remote_vote", "amendment",
		"adjourn", "hide_comment", "admit_member", "set_conditions",
		"void_enterprise_decision", "polity_settings", "remove_seat", "take_up_case",
		"harm_question", "charge_civil_service", "remedy_question", "review_case",
		/* what a case hears and who may bring one (src/gov/cases) */
		"seal_evidence", "set_case_rules", "request_evidence_brief",
		"schedule_testimony",
		"form_militia",
		"dissolve_militia",
		/* a standing is the assembly's own decision, at its meeting;
		 * a commitment the enterprise's (docs/economy.md) */
		"decide_standing", "standing_cycle", "state_commitment",
		/* a community's bounds are the whole assembly's business */
		"divide_community", "unite_communities",
		/* and so is the language of its minutes (docs/translating.md) */
		"change_language",
		/* and its place in the sharing economy, a scarcity's policy, and
		 * mutual aid (docs/sharing.md) */
		"join_sharing_economy", "leave_sharing_economy", "declare_scarce",
		"lift_scarcity", "grant_mutual_aid",
		/* and allots means to those outside it, and sets its terms of
		 * barter (docs/sharing.md) */
		"allot_means", "revoke_allotment", "set_barter_terms", NULL };
	(void)state;
	assert_kinds_are(not_for_committees, reserved);
}

/* A community's bounds are decided, without a rule of their own, by the
 * strictest rule the assembly set (docs/communities.md); every other kind
 * by its own rule, else the default. */
static void test_kinds_serious_kinds_take_the_strictest_rule(void **state)
{
	(void)state;
	struct rule_set set;
	json_t *j = json_loads("{\"default\": {\"kind\": \"simple_majority\"},"
		" \"by_kind\": {\"change_rules\": {\"kind\": \"supermajority\","
		" \"fraction\": \"2/3\", \"base\": \"cast\"}, \"exclude_member\":"
		" {\"kind\": \"supermajority\", \"fraction\": \"3/4\", \"base\":"
		" \"present\"}, \"resolution\": {\"kind\": \"consensus\"}}}", 0, NULL);
	assert_non_null(j);
	assert_int_equal(rule_set_from_json(j, &set, "rules", NULL), 0);
	const struct decision_rule *three_quarters = rule_set_lookup(&set, "exclude_member");
	assert_ptr_not_equal(three_quarters, &set.def);
	assert_ptr_equal(motion_rule_for(&set, "divide_community"), three_quarters);
	assert_ptr_equal(motion_rule_for(&set, "unite_communities"), three_quarters);
	/* the others: their own, or the default */
	assert_ptr_equal(motion_rule_for(&set, "resolution"), rule_set_lookup(&set, "resolution"));
	assert_ptr_equal(motion_rule_for(&set, "enact_law"), &set.def);
	json_decref(j);
	/* a rule of its own for the division stands, even a weaker one than
	 * another kind's; the union, without one, takes the strictest (three
	 * quarters of all members beats an absolute majority) */
	j = json_loads("{\"default\": {\"kind\": \"simple_majority\"}, \"by_kind\":"
		" {\"divide_community\": {\"kind\": \"absolute_majority\"},"
		" \"exclude_member\": {\"kind\": \"supermajority\", \"fraction\": \"3/4\","
		" \"base\": \"members\"}}}", 0, NULL);
	assert_int_equal(rule_set_from_json(j, &set, "rules", NULL), 0);
	assert_ptr_equal(motion_rule_for(&set, "divide_community"),
			 rule_set_lookup(&set, "divide_community"));
	assert_ptr_equal(motion_rule_for(&set, "unite_communities"),
			 rule_set_lookup(&set, "exclude_member"));
	json_decref(j);
	/* nothing stricter than the default: the default */
	j = json_loads("{\"kind\": \"consensus\"}", 0, NULL);
	assert_int_equal(rule_set_from_json(j, &set, "rules", NULL), 0);
	assert_ptr_equal(motion_rule_for(&set, "divide_community"), &set.def);
	json_decref(j);
}

static void test_kinds_refusal_follows_the_row(void **state)
{
	(void)state;
	const struct motion_kind *law = motion_kind_find("enact_law");
	const struct motion_kind *weigh = motion_kind_find("change_weighting");
	const struct motion_kind *res = motion_kind_find("resolution");
	const unsigned L = KIND_BY_LOCAL, D = KIND_BY_DELEGATE, P = KIND_BY_POLITY;
	assert_int_equal(motion_kind_refusal(law, L), 0);
	assert_int_equal(motion_kind_refusal(law, D), PX_E_FED_NO_LAWS);
	assert_int_equal(motion_kind_refusal(weigh, L), PX_E_FED_KIND);
	assert_int_equal(motion_kind_refusal(weigh, D), 0);
	assert_int_equal(motion_kind_refusal(res, L), 0);
	assert_int_equal(motion_kind_refusal(res, D), 0);
	/* a row that says it writes a law is refused a delegate assembly
	 * even if it claimed delegates decide it */
	struct motion_kind odd = *res;
	odd.flags |= KIND_WRITES_LAW;
	assert_int_equal(motion_kind_refusal(&odd, D), PX_E_FED_NO_LAWS);
	assert_int_equal(motion_kind_refusal(&odd, P), PX_E_FED_NO_LAWS);
	/* a row naming nobody is refused everywhere */
	odd = *res;
	odd.decided_by = KIND_BY_COMMITTEE;
	assert_int_equal(motion_kind_refusal(&odd, L), PX_E_FED_KIND);
	assert_int_equal(motion_kind_refusal(&odd, D), PX_E_FED_KIND);
	assert_int_equal(motion_kind_refusal(&odd, P), PX_E_FED_KIND);
	assert_int_equal(motion_kind_decider("local"), L);
	assert_int_equal(motion_kind_decider("delegate"), D);
	assert_int_equal(motion_kind_decider("polity"), P);
}

/* A polity's assembly (src/gov/lot): its members are seated by lot, so
 * no kind excludes or readmits them; its register changes only by
 * remedies, so no kind writes it; it joins no federation. The rest of
 * an assembly's procedure is its own. */
static void test_kinds_of_a_politys_assembly(void **state)
{
	(void)state;
	static const char *const allowed[] = { "resolution", "amendment",
		"authorise_remote_vote", "hide_comment", "adjourn", "change_rules",
		"change_schedule", "declare_meeting", "create_office", "elect_holder",
		"recall_holder", "create_committee", "revoke_committee", "polity_settings",
		"remove_seat", "take_up_case", "harm_question", "charge_civil_service",
		"remedy_question", "review_case", "seal_evidence", "set_case_rules",
		"request_evidence_brief", "schedule_testimony", "change_language", NULL };
	size_t n = 0;
	for (size_t t = 0; gov_kind_tables[t]; t++)
		for (const struct motion_kind *k = gov_kind_tables[t]; k->name; k++) {
			int in = 0;
			for (const char *const *a = allowed; *a; a++)
				in |= !strcmp(*a, k->name);
			int why = motion_kind_refusal(k, KIND_BY_POLITY);
			if (in)
				assert_int_equal(why, 0);
			else
				assert_int_not_equal(why, 0);
			n += in;
		}
	assert_int_equal(n, 25);
	assert_int_equal(motion_kind_refusal(motion_kind_find("exclude_member"),
					     KIND_BY_POLITY), PX_E_FED_KIND);
	assert_int_equal(motion_kind_refusal(motion_kind_find("enact_law"),
					     KIND_BY_POLITY), PX_E_FED_NO_LAWS);
	assert_int_equal(motion_kind_refusal(motion_kind_find("join_federation"),
					     KIND_BY_POLITY), PX_E_FED_KIND);
}

/* An enterprise (src/gov/economy, docs/economy.md): its own procedure,
 * its members' admission, conditions and exclusion, and its federations
 * (founding, joining, leaving, its delegates, its answers to proposals);
 * never a law (it is bound by its local assembly's), never a delegate
 * assembly's own business. Nothing here may rank one member above
 * another. */
static void test_kinds_of_an_enterprise(void **state)
{
	(void)state;
	static const char *const allowed[] = { "resolution", "amendment",
		"authorise_remote_vote", "hide_comment", "adjourn", "change_rules",
		"change_schedule", "declare_meeting", "create_office", "elect_holder",
		"recall_holder", "create_committee", "revoke_committee", "exclude_member",
		"readmit_member", "admit_member", "set_conditions", "state_commitment",
		"found_federation", "join_federation", "leave_federation", "elect_delegates",
		"recall_delegate", "answer_proposal", "change_language", NULL };
	size_t n = 0;
	EACH_KIND(k) {
		int in = listed(allowed, k->name);
		int why = motion_kind_refusal(k, KIND_BY_ENTERPRISE);
		if (in)
			assert_int_equal(why, 0);
		else
			assert_int_not_equal(why, 0);
		if (k->flags & KIND_WRITES_LAW)
			assert_int_equal(why, PX_E_ENTERPRISE_NO_LAWS);
		n += in;
	}
	assert_int_equal(n, 25);
	assert_int_equal(motion_kind_decider("enterprise"), KIND_BY_ENTERPRISE);
	/* a row claiming an enterprise decides a law is refused still */
	struct motion_kind odd = *motion_kind_find("resolution");
	odd.flags |= KIND_WRITES_LAW;
	assert_int_equal(motion_kind_refusal(&odd, KIND_BY_ENTERPRISE),
			 PX_E_ENTERPRISE_NO_LAWS);
	/* and a local assembly never decides an enterprise's own kinds */
	assert_int_equal(motion_kind_refusal(motion_kind_find("admit_member"),
					     KIND_BY_LOCAL), PX_E_FED_KIND);
}

/* A volunteer militia (src/gov/economy/militia.c): its procedure and its
 * offices, nothing else: no kind about anyone's membership (its officers
 * have duties only), no law, no federation's business; and only a local
 * assembly forms or dissolves one. */
static void test_kinds_of_a_militia(void **state)
{
	(void)state;
	static const char *const allowed[] = { "resolution", "amendment",
		"authorise_remote_vote", "hide_comment", "adjourn", "change_rules",
		"change_schedule", "declare_meeting", "create_office", "elect_holder",
		"recall_holder", "create_committee", "revoke_committee", "change_language",
		NULL };
	size_t n = 0;
	EACH_KIND(k) {
		int in = listed(allowed, k->name);
		int why = motion_kind_refusal(k, KIND_BY_MILITIA);
		if (in)
			assert_int_equal(why, 0);
		else
			assert_int_equal(why, k->flags & KIND_WRITES_LAW ? PX_E_MILITIA_NO_LAWS
					 : PX_E_FED_KIND);
		n += in;
	}
	assert_int_equal(n, 14);
	assert_int_equal(motion_kind_decider("militia"), KIND_BY_MILITIA);
	struct motion_kind odd = *motion_kind_find("resolution");
	odd.flags |= KIND_WRITES_LAW;
	assert_int_equal(motion_kind_refusal(&odd, KIND_BY_MILITIA), PX_E_MILITIA_NO_LAWS);
	for (const char *const *k = (const char *const[]){ "form_militia",
	     "dissolve_militia", NULL }; *k; k++) {
		assert_int_equal(motion_kind_refusal(motion_kind_find(*k), KIND_BY_LOCAL), 0);
		assert_int_equal(motion_kind_refusal(motion_kind_find(*k), KIND_BY_MILITIA),
				 PX_E_FED_KIND);
		assert_int_equal(motion_kind_refusal(motion_kind_find(*k), KIND_BY_ENTERPRISE),
				 PX_E_FED_KIND);
	}
}

static void test_kinds_known_params_refuses_undeclared_keys(void **state)
{
	(void)state;
	struct px_error err = { 0 };
	const struct motion_kind *k = motion_kind_find("declare_meeting");
	json_t *ok = json_pack("{s:i, s:s}", "starts_at", 1, "place", "hall");
	json_t *bad = json_pack("{s:i, s:s}", "starts_at", 1, "room", "hall");
	json_t *empty = json_object();
	assert_int_equal(motion_kind_known_params(k, ok, &err), 0);
	assert_int_equal(motion_kind_known_params(k, empty, &err), 0);
	assert_int_equal(motion_kind_known_params(k, bad, &err), PX_E_UNKNOWN_FIELD);
	assert_string_equal(err.field, "params");
	assert_non_null(strstr(err.detail, "room"));
	/* a kind that takes nothing refuses anything */
	err = (struct px_error){ 0 };
	assert_int_equal(motion_kind_known_params(motion_kind_find("resolution"), ok, &err),
			 PX_E_UNKNOWN_FIELD);
	json_decref(ok);
	json_decref(bad);
	json_decref(empty);
}

static void test_kinds_json_shows_the_row(void **state)
{
	(void)state;
	json_t *j = motion_kind_json(motion_kind_find("create_committee"));
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "create_committee");
	assert_true(json_is_false(json_object_get(j, "needs_text")));
	json_t *by = json_object_get(j, "decided_by");
	assert_int_equal(json_array_size(by), 5);
	assert_string_equal(json_string_value(json_array_get(by, 0)), "local");
	assert_string_equal(json_string_value(json_array_get(by, 1)), "delegate");
	assert_string_equal(json_string_value(json_array_get(by, 2)), "polity");
	assert_string_equal(json_string_value(json_array_get(by, 3)), "enterprise");
	assert_string_equal(json_string_value(json_array_get(by, 4)), "militia");
	json_t *params = json_object_get(j, "params");
	assert_int_equal(json_array_size(params), 5);
	/* decision_kinds offers exactly the kinds a committee may be granted */
	json_t *dk = json_array_get(params, 2);
	assert_string_equal(json_string_value(json_object_get(dk, "type")), "kinds");
	json_t *choices = json_object_get(dk, "choices");
	size_t i, grantable = 0;
	json_t *c;
	json_array_foreach(choices, i, c) {
		const struct motion_kind *k =
			motion_kind_find(json_string_value(json_object_get(c, "value")));
		assert_non_null(k);
		assert_true(k->decided_by & KIND_BY_COMMITTEE);
	}
	EACH_KIND(k)
		grantable += !!(k->decided_by & KIND_BY_COMMITTEE);
	assert_int_equal(json_array_size(choices), grantable);
	json_decref(j);

	j = motion_kind_json(motion_kind_find("answer_proposal"));
	json_t *answer = json_array_get(json_object_get(j, "params"), 2);
	assert_string_equal(json_string_value(json_object_get(answer, "name")), "answer");
	assert_int_equal(json_array_size(json_object_get(answer, "choices")), 3);
	json_decref(j);
}

/* A row's flags reach the API as they are: a kind about the meeting in
 * session says so (none of today's rows is; a motion to adjourn will be). */
static void test_kinds_json_carries_the_flags(void **state)
{
	(void)state;
	struct motion_kind k = *motion_kind_find("resolution");
	json_t *j = motion_kind_json(&k);
	assert_true(json_is_false(json_object_get(j, "in_session")));
	assert_true(json_is_true(json_object_get(j, "needs_text")));
	assert_true(json_is_false(json_object_get(j, "amends")));
	json_decref(j);
	k.flags = KIND_IN_SESSION;
	j = motion_kind_json(&k);
	assert_true(json_is_true(json_object_get(j, "in_session")));
	assert_true(json_is_false(json_object_get(j, "needs_text")));
	json_decref(j);
}

/* The procedural kinds are procedure's own table, not an assembly's. */
static void test_kinds_procedural_rows_live_in_procedure(void **state)
{
	(void)state;
	static const char *const mine[] = { "resolution", "amendment",
					    "authorise_remote_vote", "hide_comment",
					    "adjourn", NULL };
	size_t n = 0;
	for (const struct motion_kind *k = procedure_kinds; k->name; k++, n++)
		assert_true(listed(mine, k->name));
	assert_int_equal(n, 5);
	assert_ptr_equal(gov_kind_tables[0], procedure_kinds);
}

/* The one check of parameters reads the row's spec: for kinds of each
 * domain, a key not declared, a required one missing, a value of the
 * wrong type, out of range or not among those allowed is refused naming
 * the field, before the kind's own check runs (the store given is NULL:
 * a check that ran would crash). */
#define NOW 1000000000LL
static void test_kinds_spec_check_refuses_by_the_row(void **state)
{
	(void)state;
	char big[64];
	snprintf(big, sizeof(big), "{\"starts_at\":%lld,\"place\":\"hall\"}",
		 NOW + 3 * 366 * 86400LL);
	char early[64];
	snprintf(early, sizeof(early), "{\"starts_at\":%lld,\"place\":\"hall\"}", NOW - 1);
	char closes[160];
	snprintf(closes, sizeof(closes), "{\"motion\":1,\"mode\":\"online\",\"opens_at\":%lld,"
		 "\"closes_at\":%lld}", NOW, NOW + 60);
	const struct {
		const char *kind, *params;
		int code;
		const char *field;
	} bad[] = {
		/* procedure */
		{ "resolution", "{\"x\":1}", PX_E_UNKNOWN_FIELD, "params" },
		{ "adjourn", "{\"x\":1}", PX_E_UNKNOWN_FIELD, "params" },
		{ "authorise_remote_vote", "{}", PX_E_MISSING_FIELD, "params.motion" },
		{ "authorise_remote_vote", "{\"motion\":\"1\"}", PX_E_BAD_TYPE, "params.motion" },
		{ "authorise_remote_vote", "{\"motion\":0}", PX_E_OUT_OF_RANGE, "params.motion" },
		{ "authorise_remote_vote", "{\"motion\":1,\"mode\":\"fax\"}", PX_E_BAD_INPUT,
		  "params.mode" },
		{ "authorise_remote_vote", "{\"motion\":1,\"mode\":[]}", PX_E_BAD_TYPE,
		  "params.mode" },
		{ "authorise_remote_vote", "{\"motion\":1,\"mode\":\"mail\"}", PX_E_MISSING_FIELD,
		  "params.opens_at" },
		{ "authorise_remote_vote", closes, PX_E_OUT_OF_RANGE, "params.closes_at" },
		/* assembly */
		{ "declare_meeting", "{\"starts_at\":1000003600,\"room\":\"hall\"}",
		  PX_E_UNKNOWN_FIELD, "params" },
		{ "declare_meeting", "{\"starts_at\":1000003600}", PX_E_MISSING_FIELD,
		  "params.place" },
		{ "declare_meeting", "{\"starts_at\":1000003600,\"place\":7}", PX_E_BAD_TYPE,
		  "params.place" },
		{ "declare_meeting", "{\"starts_at\":1000003600,\"place\":\"\"}",
		  PX_E_OUT_OF_RANGE, "params.place" },
		{ "declare_meeting", "{\"starts_at\":1000003600,\"place\":\"a\\u0001b\"}",
		  PX_E_BAD_INPUT, "params.place" },
		{ "declare_meeting", "{\"starts_at\":2.5e9,\"place\":\"hall\"}", PX_E_BAD_TYPE,
		  "params.starts_at" },
		{ "declare_meeting", big, PX_E_OUT_OF_RANGE, "params.starts_at" },
		{ "declare_meeting", early, PX_E_OUT_OF_RANGE, "params.starts_at" },
		{ "amend_law", "{\"law\":2147483648}", PX_E_OUT_OF_RANGE, "params.law" },
		{ "change_rules", "{\"secret_ballot\":[]}", PX_E_MISSING_FIELD, "params.rules" },
		{ "change_rules", "{\"rules\":{},\"secret_ballot\":\"enact_law\"}",
		  PX_E_BAD_TYPE, "params.secret_ballot" },
		{ "change_rules", "{\"rules\":{},\"secret_ballot\":[\"no_such_kind\"]}",
		  PX_E_BAD_INPUT, "params.secret_ballot" },
		{ "create_committee", "{\"name\":\"C\",\"scope\":\"S\",\"decision_kinds\":[]}",
		  PX_E_OUT_OF_RANGE, "params.decision_kinds" },
		/* a committee is never granted what only the assembly decides */
		{ "create_committee", "{\"name\":\"C\",\"scope\":\"S\","
		  "\"decision_kinds\":[\"enact_law\"]}", PX_E_BAD_INPUT, "params.decision_kinds" },
		{ "create_committee", "{\"name\":\"C\",\"scope\":\"S\","
		  "\"decision_kinds\":[\"resolution\"],\"members\":\"amara\"}", PX_E_BAD_TYPE,
		  "params.members" },
		{ "create_committee", "{\"name\":\"C\",\"scope\":\"S\","
		  "\"decision_kinds\":[\"resolution\"],\"members\":[1]}", PX_E_BAD_TYPE,
		  "params.members" },
		/* federation */
		{ "found_federation", "{\"slug\":\"Not A Slug\"}", PX_E_BAD_INPUT, "params.slug" },
		{ "found_federation", "{\"slug\":\"x\"}", PX_E_OUT_OF_RANGE, "params.slug" },
		{ "change_weighting", "{}", PX_E_MISSING_FIELD, "params.weighting" },
		{ "change_weighting", "{\"weighting\":1}", PX_E_BAD_TYPE, "params.weighting" },
		{ "change_weighting", "{\"weighting\":\"wealth\"}", PX_E_BAD_INPUT,
		  "params.weighting" },
		{ "change_weighting", "{\"weighting\":\"assembly\",\"by\":1}", PX_E_UNKNOWN_FIELD,
		  "params" },
		{ "elect_delegates", "{\"federation\":\"t\"}", PX_E_OUT_OF_RANGE,
		  "params.federation" },
		{ "elect_delegates", "{\"federation\":\"transit\",\"seats\":51}",
		  PX_E_OUT_OF_RANGE, "params.seats" },
		{ "elect_delegates", "{\"federation\":\"transit\",\"method\":\"borda\"}",
		  PX_E_BAD_INPUT, "params.method" },
		{ "elect_delegates", "{\"federation\":\"transit\"}", PX_E_MISSING_FIELD,
		  "params.mandate" },
		{ "answer_proposal", "{\"proposal\":1,\"version\":0}", PX_E_OUT_OF_RANGE,
		  "params.version" },
		{ "declaration", "{\"motion\":\"5\"}", PX_E_BAD_TYPE, "params.motion" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct px_error err = { 0 };
		json_t *canon = (json_t *)&err; /* must be reset to NULL */
		json_t *p = json_loads(bad[i].params, 0, NULL);
		assert_non_null(p);
		int rc = motion_kind_check_params(motion_kind_find(bad[i].kind), NULL, 1, p, NOW,
						  &canon, &err);
		if (rc != bad[i].code || !err.field || strcmp(err.field, bad[i].field))
			fail_msg("case %zu (%s %s): %d %s (%s)", i, bad[i].kind, bad[i].params, rc,
				 err.field ? err.field : "-", px_error_message(&err));
		assert_null(canon);
		json_decref(p);
	}
}

/* The spec check holds every parameter of a row typed: no row has more
 * than it holds. */
static void test_kinds_rows_fit_the_spec_check(void **state)
{
	(void)state;
	EACH_KIND(k) {
		size_t n = 0;
		for (const struct kind_param *p = k->params; p && p->name; p++)
			n++;
		if (n > KIND_PARAMS_MAX)
			fail_msg("kind %s has %zu parameters, more than %d", k->name, n,
				 KIND_PARAMS_MAX);
	}
}

/* What the spec alone decides comes back as the canonical form, the
 * values as given. */
static void test_kinds_spec_check_passes_what_the_row_allows(void **state)
{
	(void)state;
	struct px_error err = { 0 };
	json_t *canon = NULL;
	assert_int_equal(motion_kind_check_params(motion_kind_find("resolution"), NULL, 1,
						  NULL, NOW, &canon, &err), 0);
	assert_int_equal(json_object_size(canon), 0);
	json_decref(canon);
	json_t *p = json_pack("{s:I, s:s}", "starts_at", (json_int_t)(NOW + 3600), "place",
			      "The hall");
	assert_int_equal(motion_kind_check_params(motion_kind_find("declare_meeting"), NULL, 1,
						  p, NOW, &canon, &err), 0);
	assert_true(json_equal(canon, p));
	assert_ptr_not_equal(canon, p);
	json_decref(canon);
	json_decref(p);
	/* (by population, the kind's check asks the store whether the
	 * federation's members are enterprises: tests/api/test_entfed.py) */
	p = json_pack("{s:s}", "weighting", "assembly");
	assert_int_equal(motion_kind_check_params(motion_kind_find("change_weighting"), NULL, 1,
						  p, NOW, &canon, &err), 0);
	assert_true(json_equal(canon, p));
	json_decref(canon);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_every_row_is_complete),
		cmocka_unit_test(test_kinds_names_are_unique_across_domains),
		cmocka_unit_test(test_kinds_find_refuses_unknown_and_null),
		cmocka_unit_test(test_kinds_every_param_is_specified),
		cmocka_unit_test(test_kinds_without_params_are_the_ones_that_take_none),
		cmocka_unit_test(test_kinds_deciding_law_are_exactly_enact_amend_repeal),
		cmocka_unit_test(test_kinds_needing_a_text_are_the_substantive_ones),
		cmocka_unit_test(test_kinds_only_amendment_amends),
		cmocka_unit_test(test_kinds_which_assembly_decides_each),
		cmocka_unit_test(test_kinds_a_committee_may_not_be_granted),
		cmocka_unit_test(test_kinds_refusal_follows_the_row),
		cmocka_unit_test(test_kinds_serious_kinds_take_the_strictest_rule),
		cmocka_unit_test(test_kinds_of_an_enterprise),
		cmocka_unit_test(test_kinds_of_a_militia),
		cmocka_unit_test(test_kinds_of_a_politys_assembly),
		cmocka_unit_test(test_kinds_known_params_refuses_undeclared_keys),
		cmocka_unit_test(test_kinds_spec_check_refuses_by_the_row),
		cmocka_unit_test(test_kinds_rows_fit_the_spec_check),
		cmocka_unit_test(test_kinds_spec_check_passes_what_the_row_allows),
		cmocka_unit_test(test_kinds_json_shows_the_row),
		cmocka_unit_test(test_kinds_json_carries_the_flags),
		cmocka_unit_test(test_kinds_procedural_rows_live_in_procedure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
