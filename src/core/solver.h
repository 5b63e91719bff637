/*
 * solver.h: the per-thread state of the linear-programming library that
 * LEXIMIN and the rounding use (GLPK: leximin.c, rounding.c, panelip.c).
 * GLPK makes an environment for each thread at its first call and keeps
 * it until released; a thread that is done with them (a server's worker,
 * after a renewal's commitment) releases it, or it is lost when the
 * thread ends. No object of the library may be alive in the thread:
 * px_fair_dist and px_lottery_round leave none behind.
 */
#ifndef PNYX_SOLVER_H
#define PNYX_SOLVER_H

/* Release the calling thread's solver state; the next call makes it anew. */
void px_solver_thread_release(void);

#endif
