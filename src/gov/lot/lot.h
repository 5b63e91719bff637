/*
 * gov/lot/lot.h: the public face of the lot domain, distributed democracy
 * by lot (shared/DESIGN.md 1.2, docs/polities.md): regions, polities and
 * their assemblies' seats, residence and citizenship by yearly consent.
 *
 * Regions and polities are infrastructure the operator registers (ctx->
 * operator); nobody registers members, seats or decisions. Residence and
 * consent are acts of the person signed in, on themselves only.
 *
 * Every effect is one journal entry, applied by the same function live and
 * in replay (lot_replay): region.add, polity.add, citizen.residence,
 * citizen.consent. Results are new jansson references the caller frees.
 *
 * http/, cli/ and the other domains include this header and nothing else
 * of gov/lot/.
 */
#ifndef PNYX_GOV_LOT_H
#define PNYX_GOV_LOT_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"

struct store;

#define LOT_SEATS_MAX 150
#define LOT_TERM_YEARS 6
#define LOT_LIST_MAX 10000 /* communities, or regions, one region names */

/* ------------------------------------------------------------------ */
/*
 * region.c: a region is a named set of communities: those it names, and
 * those of the regions it is built from (nested, overlapping). Its
 * population is the sum over its distinct communities. A region is never
 * changed once added (a polity over it would silently change its people),
 * so a region can only be built from regions that exist: no cycle can
 * form; one naming itself is refused (PX_E_LOT_REGION_CYCLE).
 */
/* Operator only. communities and regions: arrays of slugs, at least one
 * of the two not empty, no slug twice. Errors name the field: slug, name,
 * communities, regions. */
int gov_region_add(const struct gov_ctx *ctx, const char *slug, const char *name,
		   const json_t *communities, const json_t *regions, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* [{"slug","name","regions":[slugs],"communities": N,"population": N}] */
int gov_region_list(const struct gov_ctx *ctx, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* {"slug","name","regions":[slugs], "named":[slugs it names itself],
 *  "communities":[{"slug","name","population"}], "population",
 *  "polities":[{"slug","name"}]} */
int gov_region_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * polity.c: a polity is an issue domain over a region, with one assembly
 * (a body of kind "polity", same slug) of seats 1..150 in cohorts 1, 2, 3
 * or 6 (default 6, or fewer when there are fewer seats). Terms are six
 * years; at the start cohort i's first term is i * 6 / cohorts years, so
 * renewals are staggered from the first. The assembly decides by a simple
 * majority with a quorum of half its seats (rounded up). Its members are
 * exactly the citizens seated; seats begin empty (the draws come next).
 */
struct polity_add {
	const char *slug, *name, *description, *region;
	int64_t seats;
	int64_t cohorts; /* 0: the default */
	int widest;
};
/* Operator only. Errors name the field: slug, name, description,
 * region, seats, cohorts, widest. */
int gov_polity_add(const struct gov_ctx *ctx, const struct polity_add *in,
		   json_t **out, struct px_error *err) PX_MUST_CHECK;
/* [{"slug","name","description","region","seats","cohorts","widest",
 *   "assembly","residents","citizens"}] */
int gov_polity_list(const struct gov_ctx *ctx, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* The list's fields, and "region" as gov_region_get gives it, "cohort_list":
 * [{"cohort","seats","held","term_starts","term_ends"}], "seat_list":
 * [{"seat","cohort","term_starts","term_ends","held"}], "laws":
 * [{"number","title","status"}], "rule": the assembly's rules. Counts, never who. */
int gov_polity_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * citizen.c: residence and citizenship. A person states the community
 * where they live (changeable). A resident becomes a citizen by consent,
 * valid one year from the moment given (the same date and time a year
 * later; 29 February gives 1 March); renewing is the same act and runs a
 * year from the renewal. Citizenship lapses by itself at expiry: status is
 * always computed from the stored expiry and the moment asked.
 */
/* The caller's residence: community (a slug). */
int gov_residence_set(const struct gov_ctx *ctx, const char *community, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
/* The caller consents (affirm must be 1), for a year from ctx->now. */
int gov_consent_give(const struct gov_ctx *ctx, int affirm, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* The caller's citizenship: {"status": "none"|"resident"|"citizen",
 * "residence": {"community","name","since"} or null, "consent_given_at",
 * "expires_at" (null when never given; a past expiry when lapsed),
 * "polities": [{"slug","name"}]} */
int gov_citizenship(const struct gov_ctx *ctx, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;

/* The moment one year after t (UTC calendar; 29 February -> 1 March). */
int64_t lot_one_year_after(int64_t t);

/* ------------------------------------------------------------------ */
/* For src/gov/replay: 1 when action is one of this domain's entries. */
int lot_owns(const char *action, size_t len);
/* Apply an entry of this domain, as the live path did. */
int lot_replay(struct store *s, const char *action, const json_t *payload,
	       int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;

#endif
