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
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

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
	const char *seed_source; /* NULL: LOT_SEED_SOURCE_DEFAULT */
	const char *quotas;      /* NULL: none; "category: value min-max, ..." */
};
#define LOT_SEED_SOURCE_DEFAULT "Dice thrown at the public drawing session on the draw" \
	" date, entered by its witnesses"
#define LOT_EXCUSE_REASONS_DEFAULT "[\"illness\",\"care of a dependant\",\"hardship\"," \
	"\"conflict of interest\"]"
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

/* The caller's profile (quota.c): {category: value}, replacing the one
 * declared before; each category and value one that some polity's quotas
 * name (a category left out is undeclared). The citizenship. */
int gov_profile_set(const struct gov_ctx *ctx, const json_t *profile, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* A renewal drawn with quotas: the quotas, the pool's profiles and the
 * lottery, as `pnyx polity verify` reads them (docs/polities.md). */
int gov_renewal_lottery(const struct gov_ctx *ctx, int64_t id, json_t **out,
			struct px_error *err) PX_MUST_CHECK;

/* The moment one year after t (UTC calendar; 29 February -> 1 March). */
int64_t lot_one_year_after(int64_t t);

/* ------------------------------------------------------------------ */
/*
 * renewal.c, summons.c: service by lot (docs/polities.md, "Service by
 * lot"). The clock commits each cohort's renewal commit_days before its
 * draw date, ends terms on it, and lapses unanswered summons; witnesses
 * enter the seed from the draw date; the draw summons the first seats in
 * rank order, alternates fill every vacancy. Entries: renewal.commit,
 * renewal.witness, renewal.draw, renewal.term, summons.answer,
 * summons.excuse, summons.lapse, seat.resign.
 */
/* The server's time for a database: the wall's, or the controlled
 * clock's (pnyx init --controlled-clock: simulation and tests). */
int64_t lot_clock_now(struct store *s, int64_t wall);
/* Run the clock at ctx->now (the server's time: lot_clock_now), in its
 * own transaction. */
int gov_lot_clock(const struct gov_ctx *ctx, int64_t *made, struct px_error *err) PX_MUST_CHECK;
/* Operator, controlled clock only: move it forward to at and run the
 * clock of polity slug there. ctx->now is the wall's time. */
int gov_lot_renew(const struct gov_ctx *ctx, const char *slug, int64_t at, int64_t *made,
		  struct px_error *err) PX_MUST_CHECK;
/* A witness enters the seed text (from the draw date; once each). The
 * renewal as gov_renewal_get gives it. */
int gov_renewal_seed(const struct gov_ctx *ctx, int64_t id, const char *text, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* {"renewals":[{"id","cohort","kind","status","draw_at","commit_at",
 *  "pool_size","seats"}]}, the next scheduled one first (id null). */
int gov_renewal_list(const struct gov_ctx *ctx, const char *slug, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* One renewal, as docs/api.md shows it. */
int gov_renewal_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* The record file (docs/sortition.md section 2): *text is malloc'd. */
int gov_renewal_record(const struct gov_ctx *ctx, int64_t id, char **text,
		       struct px_error *err) PX_MUST_CHECK;
/* The result pnyx verify --result reads (ids empty: by leaves). */
int gov_renewal_result(const struct gov_ctx *ctx, int64_t id, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
/* The pool now for the polity's next renewal: {"polity","cohort",
 * "draw_at","commit_at","pool_size","renewal": id or null,
 * "commitment": hex or null}. */
int gov_polity_pool(const struct gov_ctx *ctx, const char *slug, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* Adds "settings", "next_renewal" and "renewals" to a polity's JSON. */
int lot_polity_renewals_json(const struct gov_ctx *ctx, int64_t polity_id, json_t *p,
			     struct px_error *err) PX_MUST_CHECK;
/* The caller's summons and receipts. */
int gov_my_summons(const struct gov_ctx *ctx, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The caller answers their summons: "accept", "excuse" (reason from the
 * polity's list) or "defer". The summons. */
int gov_summons_answer(const struct gov_ctx *ctx, int64_t id, const char *answer,
		       const char *reason, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The holder of the polity assembly's clerk office grants or refuses a
 * requested excuse. */
int gov_summons_excuse(const struct gov_ctx *ctx, int64_t id, int grant, const char *reason,
		       json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The excuses waiting for a decision in polity slug: {"polity",
 * "clerk_office_held", "decided_by": "clerk"|"rule", "excuse_rule",
 * "reasons", "requests": [{"summons","person","name","cohort","reason",
 * "summoned_at","deadline","renewal"}]}. Only the holder of the clerk
 * office of its assembly sees them; while the office is vacant, the
 * members of the assembly. */
int gov_polity_excuses(const struct gov_ctx *ctx, const char *slug, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
/* The caller resigns their seat in polity slug. */
int gov_seat_resign(const struct gov_ctx *ctx, const char *slug, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;

/* lot_kinds.c: polity_settings and remove_seat, decided by a polity's
 * assembly only (gov/kinds.c lists the table). */
extern const struct motion_kind lot_kinds[];

/* ------------------------------------------------------------------ */
/* For src/gov/replay: a renewal.commit entry holds the commitment, the
 * pool's size and the hash of the profiles, not the record; *full is the
 * entry with the published record (the leaves and, with quotas, their
 * profiles) read from records, the database replayed, for lot_replay to
 * check against them (*full NULL: the entry carries its leaves). */
int lot_commit_with_record(struct store *records, const json_t *p,
			   json_t **full) PX_MUST_CHECK;
/* For src/gov/replay: 1 when action is one of this domain's entries. */
int lot_owns(const char *action, size_t len);
/* Apply an entry of this domain, as the live path did. */
int lot_replay(struct store *s, const char *action, const json_t *payload,
	       int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;

#endif
