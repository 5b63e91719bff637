/*
 * lot_apply.h: internal to gov/lot. Each effect of the domain is applied
 * by one function from its journal payload, inside the caller's
 * transaction: the live path builds the payload, applies it and appends
 * it; replay applies the payload it reads. So the two cannot drift apart.
 */
#ifndef PNYX_GOV_LOT_APPLY_H
#define PNYX_GOV_LOT_APPLY_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"

struct store;

/* region.add {"slug","name","communities":[..],"regions":[..]} */
int lot_apply_region(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
/* polity.add {"slug","name","description","region","seats","cohorts",
 * "widest","rule","schedule"} */
int lot_apply_polity(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
/* citizen.residence {"person","community"} */
int lot_apply_residence(struct store *s, const json_t *p, int64_t at,
			struct px_error *err) PX_MUST_CHECK;
/* citizen.consent {"person","expires_at"} */
int lot_apply_consent(struct store *s, const json_t *p, int64_t at,
		      struct px_error *err) PX_MUST_CHECK;

/* The SQL of a region's closure: every region reachable from ?1 by its
 * parts, itself included, as the common table "down(id)". */
#define LOT_REGION_DOWN \
	"WITH RECURSIVE down(id) AS (SELECT ?1 UNION SELECT p.part_id" \
	" FROM region_parts p JOIN down ON p.region_id = down.id)"

/* The number of seats cohort c of a polity p has from its next renewal
 * committed: the polity's seats dealt as evenly as they go, the first
 * seats % cohorts cohorts one more (as the seats are dealt at
 * registration, seat n to cohort (n - 1) mod C + 1). p and c are SQL
 * expressions: a polities row's alias, a cohort number. */
#define LOT_COHORT_SEATS(p, c) \
	"(" p ".seats / " p ".cohorts + (" c " <= " p ".seats % " p ".cohorts))"

/* The id of a region by slug: PX_E_NOT_FOUND naming field. */
int lot_region_id(struct store *s, const char *slug, const char *field,
		  int64_t *id, struct px_error *err) PX_MUST_CHECK;

/* {"residents": N, "citizens": N} of the region's communities at now. */
int lot_region_counts(struct store *s, int64_t region_id, int64_t now,
		      int64_t *residents, int64_t *citizens) PX_MUST_CHECK;

/* ---- service by lot (renewal.c, summons.c) ---- */

/* A polity's settings (polity_settings; docs/polities.md). */
struct lot_settings {
	char seed_source[1024];
	int64_t commit_days, witnesses, alternates, answer_days;
	char excuse_reasons[2048]; /* a JSON array of strings */
	char excuse_rule[8];       /* "grant" or "refuse" */
	char no_answer[8];         /* "vacate" */
};
int lot_settings_get(struct store *s, int64_t polity_id, struct lot_settings *o) PX_MUST_CHECK;

/* The moment t plus years calendar years (29 February -> 1 March);
 * years may be negative. */
int64_t lot_years_after(int64_t t, int64_t years);

int lot_polity_by_slug(struct store *s, const char *slug, int64_t *id,
		       int64_t *region_id, int64_t *body_id, struct px_error *err) PX_MUST_CHECK;
int lot_account_id(struct store *s, const char *handle, int64_t *id,
		   struct px_error *err) PX_MUST_CHECK;

/* How many are in the pool of (polity, cohort) for draw_at, at now. */
int lot_pool_size(struct store *s, int64_t polity_id, int64_t region_id, int64_t cohort,
		  int64_t draw_at, int64_t now, int64_t *n) PX_MUST_CHECK;

/* A commitment computed ahead of its write transaction (renewal.c,
 * docs/polities.md "Scale"): the pool read from a snapshot, its salts and
 * leaves, and with quotas the strata (LEXIMIN), computed with no
 * transaction open. lot_commit takes it when the pool, the quotas, the
 * profiles and the seats are still the same in its transaction, and
 * computes them again otherwise. A list. */
struct lot_prep;
/* Prepare every commitment the clock would make at now (only_polity 0:
 * every polity): a read transaction, then the computation outside it. */
int lot_prepare_commits(struct store *s, int64_t now, int64_t only_polity,
			struct lot_prep **out, struct px_error *err) PX_MUST_CHECK;
void lot_prep_release(struct lot_prep *p);

/* Commit a renewal now (live only: it makes the salts), journalled; with
 * prep (may be NULL), what was prepared for it. */
int lot_commit(struct store *s, int64_t now, int64_t polity_id, int64_t cohort,
	       const char *kind, int64_t draw_at, int64_t term_ends, int64_t seats,
	       struct lot_prep *prep, int64_t *renewal_id,
	       struct px_error *err) PX_MUST_CHECK;

/* The clock, inside a transaction: commitments due, terms ended, summons
 * past their deadline. only_polity 0: every polity. */
int lot_clock_tick(struct store *s, int64_t now, int64_t only_polity, int64_t *made,
		   struct px_error *err) PX_MUST_CHECK;
/* The same, taking the commitments prepared (prep may be NULL). */
int lot_clock_tick_prepared(struct store *s, int64_t now, int64_t only_polity,
			    struct lot_prep *prep, int64_t *made,
			    struct px_error *err) PX_MUST_CHECK;
int lot_summons_tick(struct store *s, int64_t now, int64_t only_polity, int64_t *made,
		     struct px_error *err) PX_MUST_CHECK;

/* Give the next seat of a drawn renewal to the next person in rank order
 * still eligible at now (consent valid, no seat, no summons pending):
 * they are summoned; those passed over are marked skipped with why. Each
 * is appended to calls ({"rank","person","summons"} or {"rank","person",
 * "skipped"}). *exhausted = 1 when nobody is left. */
int lot_call_next(struct store *s, int64_t renewal_id, int64_t now, json_t *calls,
		  int *exhausted, struct px_error *err) PX_MUST_CHECK;
/* A vacancy in (polity, cohort): the latest drawn renewal's next. */
int lot_vacancy(struct store *s, int64_t polity_id, int64_t cohort, int64_t now,
		json_t *calls, struct px_error *err) PX_MUST_CHECK;
/* Replay: the calls an entry states are the ones the rules made. */
int lot_calls_match(const json_t *p, const json_t *calls, struct px_error *err) PX_MUST_CHECK;
/* Live, after an entry with calls: when a cohort's alternates ran out,
 * a supplementary renewal is committed at once. */
int lot_after_calls(struct store *s, int64_t now, int64_t polity_id, const json_t *calls,
		    struct px_error *err) PX_MUST_CHECK;

/* seats.c: a cohort's size from its next term: its regular renewal for
 * the term ending at ends, once committed (*found 0 before). */
int lot_cohort_next_size(struct store *s, int64_t polity_id, int64_t cohort, int64_t ends,
			 int64_t *size, int *found) PX_MUST_CHECK;
/* At the end of a cohort's term (every seat of it empty): give it size
 * seats for the term starts..ends, and the assembly's quorum with them. */
int lot_cohort_resize(struct store *s, int64_t polity_id, int64_t body_id, int64_t cohort,
		      int64_t starts, int64_t ends, int64_t size) PX_MUST_CHECK;
/* "seat_list" and "cohort_list" of a polity's JSON. */
int lot_seats_json(struct store *s, int64_t polity_id, json_t *p) PX_MUST_CHECK;

/* remove_seat adopted: the member of body_id's assembly leaves their seat
 * (summons removed), and the vacancy is filled; *polity_id is theirs. */
int lot_remove_seat(struct store *s, int64_t body_id, const char *handle, int64_t now,
		    json_t *calls, int64_t *polity_id, struct px_error *err) PX_MUST_CHECK;

/* The journal's renewal.commit entry of a commitment: full (with the
 * leaves, and with quotas each leaf's profile) less the record, plus the
 * pool's size and the profiles' hash. A new reference, NULL when out of
 * memory. */
json_t *lot_commit_entry(const json_t *full);
/* When strata names the hash of its profiles: whether the profiles it
 * holds (the published record's) have it. */
int lot_check_profiles(const json_t *strata, struct px_error *err) PX_MUST_CHECK;

/* renewal.commit, renewal.witness, renewal.draw, renewal.term */
int lot_apply_commit(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
int lot_apply_witness(struct store *s, const json_t *p, int64_t at,
		      struct px_error *err) PX_MUST_CHECK;
int lot_apply_draw(struct store *s, const json_t *p, int64_t at,
		   struct px_error *err) PX_MUST_CHECK;
int lot_apply_term(struct store *s, const json_t *p, int64_t at,
		   struct px_error *err) PX_MUST_CHECK;
/* summons.answer, summons.excuse, summons.lapse, seat.resign */
int lot_apply_answer(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
int lot_apply_excuse(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;
int lot_apply_lapse(struct store *s, const json_t *p, int64_t at,
		    struct px_error *err) PX_MUST_CHECK;
int lot_apply_resign(struct store *s, const json_t *p, int64_t at,
		     struct px_error *err) PX_MUST_CHECK;

/* ---- stratification by quotas (quota.c) ---- */

#define LOT_UNDECLARED "undeclared" /* the answer of those who gave none */
#define LOT_QUOTA_NAME_MAX 40       /* bytes of a category or an answer */

/* The categories of parsed quotas, in the order they first appear. */
json_t *lot_quota_categories(const json_t *q);
/* Whether quotas name value in category cat. */
int lot_quota_has(const json_t *quotas, const char *cat, const char *value);

/* Parse quotas "category: value min-max, ...; category: ..." (or "none":
 * *out NULL) into [{"category","value","min","max"}]; refuse quotas no
 * draw of seats_lo..seats_hi seats can meet. Errors name field. */
int lot_quotas_parse(const char *text, int64_t seats_lo, int64_t seats_hi, const char *field,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The text form of parsed quotas (malloc'd). */
char *lot_quotas_text(const json_t *q);
/* A polity's quotas, or *out NULL. */
int lot_quotas_get(struct store *s, int64_t polity_id, json_t **out) PX_MUST_CHECK;
/* citizen.profile {"person","profile":{category: value}} */
int lot_apply_profile(struct store *s, const json_t *p, int64_t at,
		      struct px_error *err) PX_MUST_CHECK;
/* Adds "profile" and "profile_categories" to a citizenship's JSON. */
int lot_profile_json(struct store *s, int64_t account, json_t *c) PX_MUST_CHECK;
/* At a commitment: the strata of a draw of k seats over leaves (hex, in
 * canonical order; account_at[i] the person of leaves[i]), or *out NULL
 * when the polity has no quotas. */
int lot_stratify(struct store *s, int64_t polity_id, int64_t cohort, const char *kind,
		 int64_t k, const json_t *leaves, const int64_t *account_at, json_t **out,
		 struct px_error *err) PX_MUST_CHECK;
/* The two halves of lot_stratify: what a draw's strata are made of,
 * read from the database ({"categories","quotas","profiles"}, or *out NULL
 * without quotas), and the strata computed from it alone (LEXIMIN and its
 * lottery: no database, so it runs outside any transaction). */
int lot_strata_inputs(struct store *s, int64_t polity_id, int64_t cohort, const char *kind,
		      int64_t k, size_t n, const int64_t *account_at,
		      json_t **out) PX_MUST_CHECK;
int lot_strata_compute(const json_t *in, int64_t k, const json_t *leaves, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
/* Check and store the "strata" of renewal.commit payload p. */
int lot_apply_strata(struct store *s, int64_t polity_id, int64_t renewal_id,
		     const json_t *p, struct px_error *err) PX_MUST_CHECK;
/* The ranked list of a draw: with a lottery, the panel the seed (from the
 * lottery's commitment) picks, then the rest ranked by that seed; without,
 * docs/sortition.md section 6 from the pool's commitment. *pick: the
 * panel's number from 1, 0 when uniform. */
int lot_strata_ranks(struct store *s, int64_t renewal_id, const unsigned char pool_com[32],
		     const char *text, size_t n, size_t seats, size_t r, uint32_t *ranks,
		     unsigned char seed[32], int64_t *pick, struct px_error *err) PX_MUST_CHECK;
/* Whether the person at place of a drawn renewal, seated now, keeps every
 * quota of the draw reachable (1 when the renewal has none). */
int lot_quota_fits(struct store *s, int64_t renewal_id, int64_t place, int *fits) PX_MUST_CHECK;
/* Adds "stratified", "quotas" (with the seats each value holds now),
 * "quotas_met", "quotas_unmet" and "lottery" to a renewal's JSON. */
int lot_strata_json(struct store *s, int64_t renewal_id, json_t *r) PX_MUST_CHECK;

#endif
