/*
 * procedure_kinds.c: the kinds of motion that are procedure, the
 * meeting's own business rather than an assembly's: the motion to adjourn
 * (adjourn.c). The registry (motion_kinds.c) finds them through
 * gov/kinds.c.
 */
#include <stddef.h>

#include "gov/procedure/procedure.h"
#include "banned.h"

const struct motion_kind procedure_kinds[] = {
	{ "adjourn", "adjourn the meeting in session: it closes at once, with its"
	  " minutes, and what it did not decide goes to the next meeting",
	  adjourn_check, adjourn_apply },
	{ NULL, NULL, NULL, NULL },
};
