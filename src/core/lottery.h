/*
 * lottery.h: a uniform lottery over panels (docs/sortition.md section 8),
 * after Flanigan, Kehne and Procaccia, "Fair sortition made transparent"
 * (NeurIPS 2021): the LEXIMIN distribution is rounded to m tickets, each
 * ticket a concrete panel of people, so that the final draw is one uniform
 * pick among m that anyone can recompute.
 *
 * Rounding (rounding.h): a panel of probability p gets floor(m p) or one
 * more ticket, chosen by an integer program that minimises the largest
 * deviation of anyone's lottery probability from their probability in the
 * distribution (or by the older heuristic, on request or as a fallback).
 * Tickets then become people: within each type, members (in id order)
 * take the seats of successive tickets in turn, so everyone of a type is
 * on the same number of tickets, give or take one.
 *
 * Canonical order and commitment: a panel's encoding is u32(size) and its
 * ids in ascending byte order, each as u32(len) || bytes; distinct panels
 * are ordered by their encodings, and
 *     commitment = BLAKE2b-256("pnyx/sortition/v1/lottery" || u32(m) ||
 *                  u32(panels) || for each panel: u32(tickets) || encoding)
 * The pick is uniform_below(m) from the stream keyed by the seed derived
 * from this commitment (pool.h, px_seed_derive); tickets are numbered
 * through the panels in canonical order.
 *
 * Ownership: struct px_lottery owns its arrays (px_lottery_release());
 * ids are borrowed from the caller.
 */
#ifndef PNYX_LOTTERY_H
#define PNYX_LOTTERY_H

#include <stddef.h>
#include "errors.h"

struct px_quota;
struct px_dist;
struct px_error;
struct px_round_opts;
struct px_round_info;

struct px_lottery {
	size_t m;             /* tickets */
	size_t npanels;       /* distinct panels, in canonical order */
	size_t *tickets;      /* npanels */
	size_t *size;         /* npanels: people on each */
	const char ***members; /* npanels arrays of ids, ascending bytes */
	unsigned char commitment[32];
};

/*
 * How many tickets a lottery needs (docs/sortition.md 8.4): enough that
 * the least likely person (least positive probability p of d) would hold
 * PX_LOTTERY_LEAST_TICKETS tickets, M p >= 10, in steps of 1000, never
 * fewer than PX_LOTTERY_TICKETS (1000, the fixed number before) and never
 * more seats than PX_LOTTERY_MAX_SEATS (M k), nor more than 1,000,000.
 * The rounding's error is a couple of tickets whatever M (rounding.h), so
 * this keeps the least likely person on a ticket at least, and their
 * chance within about a fifth of LEXIMIN's. A distribution stopped by a
 * time limit (d->optimal 0) gets PX_LOTTERY_TICKETS: its least chances
 * are where the stop left them, and the limit bounds the lottery too.
 */
#define PX_LOTTERY_TICKETS 1000
#define PX_LOTTERY_LEAST_TICKETS 10
#define PX_LOTTERY_MAX_SEATS 3000000
size_t px_lottery_tickets(const struct px_quota *q, const struct px_dist *d);

/* Round d to m tickets of concrete panels of q's people. opts NULL: the
 * optimal rounding with default limits; info (may be NULL) tells which
 * rounding was used and its deviation (rounding.h). m == 0: as many as
 * px_lottery_tickets() says, doubled (within its caps) while the
 * rounding leaves someone of positive probability on no ticket; out->m
 * says how many. */
int px_lottery_round(const struct px_quota *q, const struct px_dist *d,
		     size_t m, const struct px_round_opts *opts,
		     struct px_round_info *info, struct px_lottery *out,
		     struct px_error *err) PX_MUST_CHECK;

/*
 * Build a lottery from panels given in any order (ids in any order; the
 * function sorts copies of the pointer arrays) and compute its canonical
 * order and commitment; used to verify a published lottery. Panels with
 * equal members must not be listed twice (PX_E_BAD_INPUT).
 */
int px_lottery_from(size_t npanels, const size_t *tickets, const size_t *size,
		    const char *const *const *members, struct px_lottery *out,
		    struct px_error *err) PX_MUST_CHECK;

/* The panel (index in canonical order) that the seed picks. */
size_t px_lottery_pick(const struct px_lottery *l, const unsigned char seed[32]);

void px_lottery_release(struct px_lottery *l);

#endif
