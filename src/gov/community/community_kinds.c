/*
 * community_kinds.c: the kinds of motion that change a community's
 * bounds. Both are decided by a local assembly alone (never a committee:
 * a community's bounds are the whole assembly's business) and are
 * KIND_SERIOUS: without a rule of their own in the assembly's rule set,
 * the strictest rule it has set decides them (motion_rule_for).
 */
#include <stddef.h>

#include "core/i18n.h"
#include "gov/community/community.h"
#include "gov/community/community_int.h"
#include "banned.h"

static const struct kind_param divide_params[] = {
	{ .name = "communities", .type = KP_COMMUNITIES, .required = 1,
	  .min = COMMUNITY_DIVIDE_MIN, .max = COMMUNITY_DIVIDE_MAX,
	  .label = N_("The new communities"),
	  .help = N_("For each: its name, a short name for its address, the neighbourhoods"
		  " or streets it covers, its share of the population (the shares add up"
		  " to the whole community) and its assembly's first meeting schedule.") },
	{ .name = "regional_name", .type = KP_TEXT, .required = 1, .min = 1, .max = 120,
	  .label = N_("Name of the regional assembly"),
	  .help = N_("The delegate assembly for the whole, which the new assemblies join.") },
	{ .name = "regional_slug", .type = KP_SLUG, .required = 1, .min = 2, .max = 64,
	  .label = N_("Short name of the regional assembly") },
	{ .name = "regional_schedule", .type = KP_SCHEDULE,
	  .label = N_("Meeting schedule of the regional assembly"),
	  .help = N_("Left out: this assembly's own schedule.") },
	{ .name = NULL },
};

static const struct kind_param unite_params[] = {
	{ .name = "with", .type = KP_ASSEMBLIES, .required = 1, .min = 1, .max = 49,
	  .label = N_("The other assemblies that unite with this one"),
	  .help = N_("Each adopts a motion with the same terms; the union takes place"
		  " when the last of them has.") },
	{ .name = "slug", .type = KP_SLUG, .required = 1, .min = 2, .max = 64,
	  .label = N_("Short name of the united community") },
	{ .name = "name", .type = KP_TEXT, .required = 1, .min = 1, .max = 120,
	  .label = N_("Name of the united community") },
	{ .name = "areas", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 4000,
	  .label = N_("The neighbourhoods or streets it covers") },
	{ .name = "statement", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("Statement of values of the united assembly") },
	{ .name = "rule", .type = KP_RULES, .required = 1, .label = N_("How it decides") },
	{ .name = "schedule", .type = KP_SCHEDULE, .required = 1,
	  .label = N_("When and where it meets") },
	{ .name = NULL },
};

const struct motion_kind community_kinds[] = {
	{ .name = "divide_community",
	  .label = N_("Divide the community into several, each with its own assembly"),
	  .summary = N_("divide the community into new communities, each with its own"
		     " assembly holding the laws in force, federated in a regional"
		     " assembly; this assembly then decides nothing more"),
	  .check = ck_check_divide, .apply = ck_apply_divide,
	  .decided_by = KIND_BY_LOCAL, .flags = KIND_SERIOUS,
	  .text_label = N_("Why, and how the new communities were drawn"),
	  .params = divide_params },
	{ .name = "unite_communities",
	  .label = N_("Unite the community with others, in one assembly"),
	  .summary = N_("unite with other communities: once every assembly named has adopted"
		     " the same terms, the united community and assembly exist with all"
		     " their members and laws, and the old assemblies decide nothing more"),
	  .check = ck_check_unite, .apply = ck_apply_unite,
	  .decided_by = KIND_BY_LOCAL, .flags = KIND_SERIOUS,
	  .text_label = N_("Why unite"),
	  .params = unite_params },
	{ .name = NULL },
};
