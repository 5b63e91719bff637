/*
 * solver.c: releasing GLPK's per-thread environment (solver.h).
 */
#include <glpk.h>

#include "solver.h"
#include "banned.h"

void px_solver_thread_release(void)
{
	glp_free_env();
}
