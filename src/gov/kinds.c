/*
 * kinds.c: which domains contribute kinds of motion. The registry
 * (procedure/motion_kinds.c) walks these tables in order; a new domain adds
 * its table here and nowhere else. A kind's name is unique across tables
 * (tests/unit/test_kinds checks it).
 */
#include <stddef.h>

#include "gov/assembly/assembly.h"
#include "gov/community/community.h"
#include "gov/cases/cases.h"
#include "gov/economy/economy.h"
#include "gov/federation/federation.h"
#include "gov/lot/lot.h"
#include "gov/nodes/nodes.h"
#include "gov/procedure/procedure.h"
#include "gov/sharing/sharing.h"
#include "banned.h"

const struct motion_kind *const gov_kind_tables[] = {
	procedure_kinds,
	assembly_kinds,
	federation_kinds,
	lot_kinds,
	cases_kinds,
	economy_kinds,
	economy_local_kinds,
	contribution_kinds,
	standing_kinds,
	militia_kinds,
	community_kinds,
	nodes_kinds,
	sharing_kinds,
	scarcity_kinds,
	allot_kinds,
	NULL,
};
