/*
 * sortition_run.h: the draw as the commands run it (cmd_draw.c computes,
 * cmd_verify.c recomputes), and its printing.
 *
 * Ownership: struct sr_draw_result owns rank; free() it.
 */
#ifndef PNYX_SORTITION_RUN_H
#define PNYX_SORTITION_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "core/pool.h"

struct sr_draw_result {
	unsigned char seed[32];
	size_t seats;    /* the first seats of rank are drawn */
	size_t r;        /* seats + alternates */
	uint32_t *rank;  /* positions in the pool's canonical order */
};

/* Compute the draw; reports problems as cmd and returns an exit status. */
int sr_draw(const char *cmd, const struct px_pool *pool, const char *source,
	    size_t seats, size_t alternates, struct sr_draw_result *res);

/* Print the result as text or JSON on stdout; returns 0 or -1. */
int sr_print_draw(const struct px_pool *pool, const struct sr_draw_result *res,
		  int json);


#include <jansson.h>

struct px_lottery;
/* Build a lottery from the JSON of pnyx select and check that its panels
 * hash to its commitment; reports and returns an exit status. */
int sr_load_lottery(const char *cmd, json_t *result, struct px_lottery *l);

/* Verify a panel lottery published by pnyx select --json (sortition_lottery.c). */
int sr_verify_lottery(const char *cmd, json_t *result, const char *source,
		      const char *categories, const char *respondents,
		      const char *id_column);

#endif
