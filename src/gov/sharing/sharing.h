/*
 * gov/sharing/sharing.h: the public face of the sharing economy (issue
 * 16, docs/sharing.md): what enterprises offer and what people take,
 * without prices or money anywhere.
 *
 * A sharing economy is joined by local assemblies, each by its own
 * decision (join_sharing_economy; the first to name a new one founds it)
 * and left the same way (leave_sharing_economy). Its register holds what
 * the enterprises of its communities offer while they are in good
 * standing (their local assembly's decide_standing, src/gov/economy):
 * products (a stock counted in a unit, "1 loaf", "12 loaves"), unique
 * items (a cargo bike: condition, location, who holds it now) and
 * services (a capacity: hours of a repair workshop). Each enterprise
 * keeps its own stock up to date. A member of an assembly of the economy
 * in good standing (or acting for their enterprise in good standing)
 * takes what is not scarce, with nothing but a record: who, what, how
 * much, when. A person may opt out of the economy by their own act, and
 * back in.
 *
 * This is a separate folder from gov/economy (enterprises, their
 * decisions and standing) because it is a separate concept with its own
 * tables and, next, its own rounds and allocation (core/ration.c); it
 * reads standing through economy.h, as every domain reads another's
 * public header.
 *
 * Every effect is one journal entry applied by the same function live
 * and in replay (sharing_replay): good.offer, good.stock, good.take,
 * good.return, sharing.opt; joining and leaving are the effects of
 * decisions (motion.decide). Results are new jansson references the
 * caller frees; errors name the field.
 */
#ifndef PNYX_GOV_SHARING_H
#define PNYX_GOV_SHARING_H

#include <jansson.h>
#include <stdint.h>

#include "gov/gov.h"
#include "gov/evidence.h"
#include "gov/procedure/procedure.h" /* struct motion_kind */

struct store;

#define SHARING_STOCK_MAX INT64_C(1000000000000) /* a trillion of a unit */

/*
 * Offering a good (POST /api/v1/enterprises/{slug}/goods), by an active
 * member of an enterprise in good standing whose local assembly joined
 * a sharing economy:
 *   kind         product | item | service
 *   name         1-120 characters;  description up to 2,000
 *   unit, units  what one and several are called ("loaf", "loaves");
 *                an item's default "item", "items"
 *   stock        how much there is (a service: its capacity), 0 to
 *                SHARING_STOCK_MAX; an item: 1 (0: not available yet)
 *   condition, location   an item's, up to 200 characters each
 */
struct good_in {
	const char *kind, *name, *description, *unit, *units, *condition, *location;
	int64_t stock;
};
/* The good, as gov_good_get shows it. PX_E_NOT_MEMBER for anyone but an
 * active member; PX_E_SHARING_STANDING (naming "enterprise") unless the
 * enterprise is in good standing; PX_E_SHARING_OUTSIDE unless its local
 * assembly is in a sharing economy. */
int gov_good_offer(const struct gov_ctx *ctx, const char *enterprise,
		   const struct good_in *in, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The enterprise's member sets what is there now (a product's stock, a
 * service's capacity; an item's is set by lending), with a note. */
int gov_good_stock(const struct gov_ctx *ctx, int64_t good, int64_t stock,
		   const char *note, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The caller takes quantity of a good that is not scarce (an item: 1,
 * which they then hold until they return it), for themselves or, with
 * on_behalf, for an enterprise they are an active member of. Refused:
 * PX_E_SHARING_OUTSIDE, PX_E_SHARING_OPTED_OUT, PX_E_SHARING_STANDING,
 * PX_E_SHARING_SCARCE, PX_E_CONFLICT naming "quantity" beyond the stock.
 * The result is the take {"id","good","quantity","by","on_behalf","at"}. */
int gov_good_take(const struct gov_ctx *ctx, int64_t good, int64_t quantity,
		  const char *on_behalf, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The holder of an item returns it, with a note on its condition (NULL
 * or "" for none; one line of up to 200 characters, else PX_E_BAD_INPUT
 * naming "condition"), kept in its loan history; the result is the good. */
int gov_good_return(const struct gov_ctx *ctx, int64_t good, const char *condition,
		    json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The holder of an item lent for a time (a scarce item whose policy set
 * loan_days) keeps it one more period; PX_E_CONFLICT while others asked
 * for it in its open round, or when it is not lent for a time. */
int gov_good_renew(const struct gov_ctx *ctx, int64_t good, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* The person an item won in a round waits for (a hold) collects it,
 * within the policy's collect_days; PX_E_FORBIDDEN for anyone else,
 * PX_E_CONFLICT while it rests between loans; the result is the good. */
int gov_good_collect(const struct gov_ctx *ctx, int64_t good, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* An item's loan history, newest first (public, like the good itself):
 * {"good","name","condition","location","economy","economy_name",
 * "enterprise","enterprise_name","offered_at","withdrawn_at","holder",
 * "due_at","loans":[{"id","holder","holder_name","how" (take | round |
 * hold),"round","from","due_at","renewals","returned_at","condition_note",
 * "open","late"}],"holds":[{"id","for","for_name","round","since","until",
 * "state" (waiting | collected | expired),"ended_at"}]}. PX_E_NOT_FOUND
 * for no such good; PX_E_CONFLICT for a product or a service. */
int gov_good_loans(const struct gov_ctx *ctx, int64_t good, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* The lending clock: each hold not collected by its date expires and
 * passes to the next by the round's lottery order (journalled). */
int gov_sharing_clock(const struct gov_ctx *ctx, int64_t *made,
		      struct px_error *err) PX_MUST_CHECK;
/* For the notifications' clock: the reminders due at now, [{"what":
 * loan_tomorrow | loan_due | hold_ready | hold_expiring, "good", "name",
 * "account", "at" (the loan's date, or the hold's id), "until"}]. */
int sharing_reminders(struct store *s, int64_t now, json_t **out) PX_MUST_CHECK;
/* The caller opts out of the sharing economy (1) or back in (0); the
 * result is gov_sharing_me's. PX_E_CONFLICT naming "opted_out" when that
 * is already so. */
int gov_sharing_opt(const struct gov_ctx *ctx, int opted_out, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;

/* [{"slug","name","founded_at","assemblies":[{"slug","name","since"}],
 * "goods"}] */
int gov_sharing_list(const struct gov_ctx *ctx, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* The register of one economy, filtered: q (words in the name or the
 * description), kind, enterprise (each may be NULL). {"slug","name",
 * "assemblies","goods":[good],"takes":[the latest 50]}. */
struct register_filter {
	const char *q, *kind, *enterprise;
};
int gov_sharing_get(const struct gov_ctx *ctx, const char *slug,
		    const struct register_filter *f, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* {"id","economy","economy_name","enterprise","enterprise_name","kind",
 * "name","description","unit","units","stock","condition","location",
 * "holder","holder_name","offered_at","scarce","takes":[...],"stock_history":
 * [...],"may_request" (whether the caller may ask in its rounds now: null
 * when nobody is signed in or it is not scarce),"why_not" (when not:
 * {"code","message"}, the refusal a request would meet)} */
int gov_good_get(const struct gov_ctx *ctx, int64_t good, json_t **out,
		 struct px_error *err) PX_MUST_CHECK;
/* The caller's place in the sharing economy: {"economy" (null when none
 * of their assemblies joined one),"opted_out","standing" (good,
 * probation, outside or null),"may_take","why_not" (an error code or
 * null),"enterprises" [{"slug","name","standing"}] (theirs: what they
 * may offer for), "takes"}. */
int gov_sharing_me(const struct gov_ctx *ctx, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* What a person took: {"handle","display_name","takes"}. */
int gov_sharing_takes(const struct gov_ctx *ctx, const char *handle, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;

/*
 * Rounds of a scarce good (rounds.c). The caller requests amount under
 * the policy's category (its name) in the round open now: one request a
 * round, by whoever may take; the answer is the receipt {"request",
 * "round","category","amount","leaf","handle","salt"}. Once its date has
 * passed a member of the assembly that declared it scarce closes the
 * round (the commitment is published; a product is allocated at once),
 * and for units enters the public source of the seed, which allocates it
 * (PX_E_CONFLICT after: an allocation is never changed). The round:
 * {"id","good","good_name","unit","units","assembly","assembly_name",
 * "kind" (divisible|units),"state" (open|due|waiting_for_seed|allocated),
 * "opens_at","closes_at","closed_at","allocated_at","categories","cap",
 * "supply","commitment","source","result_hash","figures" (per category:
 * reserve, demand, from_reserve, flowed, total, requests, full,
 * level_num, level_den),"requests" [{"category","amount","leaf","num",
 * "den","place"; moved: "moved_from"; the caller's own: "mine","request",
 * "salt","evidence" {"committee","verdict","reason"}}],"rest_category"
 * (a category past the policy's counted the moved requests),"to_review"
 * [{"request","category","amount","at","verdict","committee","reason"}]
 * (the requests the caller's committees review).
 *
 * Evidence of need (need.c, docs/sharing.md "Evidence of need"): under a
 * category whose need is shown by evidence, ev is required (NULL
 * otherwise): a text, files, or both (gov/evidence.h; errors name
 * evidence_text, evidence_files, files[i].*). A member of the committee
 * the policy names reviews it before the round closes (gov_round_review:
 * verdict "accepted" or "refused", reason one line; PX_E_FORBIDDEN for
 * anyone else and for one's own request, PX_E_CONFLICT once reviewed or
 * closed). Only the requester and the committee's members read it
 * (gov_round_evidence: {"request","round","good","category","committee":
 * {"id","name"},"requester":{"handle","name"},"submitted_at","text","text_hash","files":[{"n","name",
 * "type","size","hash"}],"verdict","reason","reviewed_by","reviewed_at",
 * "mine","may_review"}; PX_E_FORBIDDEN for others).
 */
#define NEED_TEXT_MAX 20000
#define NEED_REASON_MAX 500
struct need_evidence {
	const char *text; /* may be NULL or "" when there are files */
	const struct evidence_file *files;
	size_t nfiles;
};
int gov_round_review(const struct gov_ctx *ctx, int64_t request, const char *verdict,
		     const char *reason, json_t **out, struct px_error *err) PX_MUST_CHECK;
int gov_round_evidence(const struct gov_ctx *ctx, int64_t request, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
/* One item (n 0: the text, as text/markdown). */
int gov_round_evidence_file(const struct gov_ctx *ctx, int64_t request, int64_t n,
			    struct evidence_file_out *f, struct px_error *err) PX_MUST_CHECK;
/* Replay: the bytes of each request's evidence, copied from live into out
 * only where they hash to what its entry says. */
int sharing_copy_evidence(struct store *live, struct store *out) PX_MUST_CHECK;
struct need_evidence;
int gov_round_request(const struct gov_ctx *ctx, int64_t good, const char *category,
		      int64_t amount, const struct need_evidence *ev, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
int gov_round_close(const struct gov_ctx *ctx, int64_t round, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
int gov_round_draw(const struct gov_ctx *ctx, int64_t round, const char *source,
		   json_t **out, struct px_error *err) PX_MUST_CHECK;
int gov_round_get(const struct gov_ctx *ctx, int64_t round, json_t **out,
		  struct px_error *err) PX_MUST_CHECK;

/* What a person (body 0: their own takes and their shares of rounds) or an
 * enterprise (body: the takes for it) took from the sharing economy from
 * `from` to `to`, good by good (taken.c): {"since","count","goods":
 * [{"good","name","kind","unit","units","takes","quantity","rounds",
 * "received_num","received_den"}]}. What standing reviews read. */
int sharing_taken(struct store *s, int64_t account, int64_t body, int64_t from, int64_t to,
		  json_t **out) PX_MUST_CHECK;

/* The local assembly's kinds: join_sharing_economy, leave_sharing_economy
 * (listed in gov/kinds.c). */
extern const struct motion_kind sharing_kinds[];
/* The local assembly's kinds that declare a good of its community scarce
 * with a rationing policy, and lift it (scarcity_kinds.c): declare_scarce,
 * lift_scarcity. */
extern const struct motion_kind scarcity_kinds[];

/* A federation's proposal took effect in local assembly body, accepted
 * by its decision motion (src/gov/federation/proposal.c, where the law
 * enters its register): if the proposal is a rationing policy for a good
 * (scarcity_fed.c) and body is the good's own assembly, the good is
 * declared scarce (or its scarcity lifted) as by body's own decision,
 * naming the proposal, the first time the proposal takes effect there
 * only; entry (the law.from_proposal entry) gains "scarcity": {"good",
 * "action"[,"not_applied" (a code: scarce_already, withdrawn, not_scarce,
 * refused with "error" and "field")]}. Nothing for any other. */
int sharing_proposal_effect(struct store *s, int64_t proposal, int64_t body,
			    int64_t motion, int64_t now, json_t *entry) PX_MUST_CHECK;
/* The policy a proposal carries, for its readers: {"good","action",
 * "good_name","unit","units","economy","params"}, or *out NULL when it carries none. */
int sharing_proposal_policy(struct store *s, int64_t proposal, json_t **out) PX_MUST_CHECK;

/* For src/gov/replay: 1 when action is one of this domain's entries. */
int sharing_owns(const char *action, size_t len);
/* Apply an entry of this domain, as the live path did. */
int sharing_replay(struct store *s, const char *action, const json_t *payload,
		   int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;
/* The content a sealed round.request entry ({"good","round","request",
 * "commitment"}) or round.review entry ({"round","commitment"}) commits
 * to, read from records (the database verified: sealed.c, docs/sharing.md
 * "What the journal says of a request"): *full is the entry with its
 * content filled in, for sharing_replay (the caller frees it); NULL, and
 * 0, for an older entry that carries its content itself. A review's
 * record is the round's one made at `at` (the entry's moment) whose
 * content hashes to the commitment;
 * none does: PX_E_BAD_INPUT, failed in err. A request's commitment is
 * checked when the entry is applied. */
int sharing_request_record(struct store *records, const json_t *p, json_t **full,
			   struct px_error *err) PX_MUST_CHECK;
int sharing_review_record(struct store *records, const json_t *p, int64_t at,
			  json_t **full, struct px_error *err) PX_MUST_CHECK;
/* Replay --into: the receipts (round_salts) of requests journalled in
 * clear, copied from live into out where each makes its request's leaf,
 * so that a sealed review of such a request verifies there too. */
int sharing_copy_salts(struct store *live, struct store *out) PX_MUST_CHECK;

/*
 * Every round of the goods the assembly declared scarce whose date has
 * passed, closed together (rounds_batch.c), each exactly as
 * gov_round_close closes one and journalled the same way, in one
 * transaction (each: one transaction per round); and every round of it
 * waiting for its seed, drawn from one public source. A member of the
 * assembly does it. {"assembly","rounds","requests"}. PX_E_CONFLICT when
 * no round is due (waiting).
 */
int gov_rounds_close_due(const struct gov_ctx *ctx, const char *assembly, int each,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;
int gov_rounds_draw_due(const struct gov_ctx *ctx, const char *assembly, const char *source,
			int each, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The bench's seeding (bench/economy/round only; never the API): goods
 * goods declared scarce like the assembly's templates (a product and a
 * service with five categories of need), each with a round due at now,
 * and requests requests among them, generated from seed, written straight
 * into the tables (not journalled). {"goods","requests","people"}. */
int gov_sharing_seed_bench(struct store *s, const char *assembly, int64_t requests,
			   int64_t goods, const char *seed, int64_t now, json_t **out,
			   struct px_error *err) PX_MUST_CHECK;

/* One local assembly's economy (dashboard.c): {"assembly","assembly_name",
 * "economy","economy_name" (null when it joined none),"scarce_goods",
 * "rounds_allocated","goods":[{"id","name","kind","unit","units",
 * "enterprise","enterprise_name","scarce","categories","cap","round_days",
 * "decision","stock","open_round","rounds":[{"id","closed_at","supply",
 * "requested","shared","requests"}] (the latest 12 allocated, oldest
 * first)}],"unmet":[{"category","requests","met","partly","none",
 * "short"}]}. Anyone reads it; PX_E_NOT_FOUND naming "slug". */
int gov_economy_dashboard(const struct gov_ctx *ctx, const char *assembly, json_t **out,
			  struct px_error *err) PX_MUST_CHECK;

/* A request in a round of alternatives (a good declared scarce with the
 * policy probabilistic_serial): ranking, the goods' numbers the caller
 * would accept, best first (PX_E_BAD_INPUT naming "ranking" for a good
 * outside the group, one ranked twice, none). The receipt as
 * gov_round_request's, with the ranking. */
int gov_round_rank(const struct gov_ctx *ctx, int64_t good, const json_t *ranking,
		   json_t **out, struct px_error *err) PX_MUST_CHECK;

/*
 * Households, allotments and barter (household.c, allot_kinds.c; docs/
 * sharing.md "Households, allotments and barter"). A person declares a
 * household (slug, name, members: the handles of the others, each invited
 * and joining by their own act); a household is out of the sharing
 * economy when each of its members opted out (gov_sharing_opt). The
 * household: {"slug","name","declared_by","declared_at","opted_out",
 * "members":[{"handle","display_name","invited_at","joined_at" (null:
 * invited),"opted_out"}],"allotments":[allotment],"barters":[barter],
 * "mutual_aid":[what its members received by grant_mutual_aid: {"id",
 * "good","good_name","unit","units","quantity","by","by_name","at",
 * "mutual_aid" (the decision)}]}.
 */
int gov_household_declare(const struct gov_ctx *ctx, const char *slug, const char *name,
			  const json_t *members, json_t **out,
			  struct px_error *err) PX_MUST_CHECK;
int gov_household_invite(const struct gov_ctx *ctx, const char *slug, const char *person,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;
int gov_household_join(const struct gov_ctx *ctx, const char *slug, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
int gov_household_leave(const struct gov_ctx *ctx, const char *slug, json_t **out,
			struct px_error *err) PX_MUST_CHECK;
int gov_household_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
/* The caller's: {"household": the household or null, "invited":
 * [{"slug","name"}]}. */
int gov_household_mine(const struct gov_ctx *ctx, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
/* A barter between a household out of the economy and a member of it (a
 * handle) or an enterprise of it (a slug): what each side gives, how much,
 * in what unit; into_good (0: none), the enterprise's product that what it
 * receives adds to (else it joins the register as a new product).
 * Recorded by either side, confirmed by the other; checked when recorded
 * against the terms of membership (PX_E_CONFLICT naming "other_gives"
 * with the rule). The barter: {"id","household","household_name",
 * "member","member_name","enterprise","enterprise_name","household_gives",
 * "household_quantity","household_unit","other_gives","other_quantity",
 * "other_unit","recorded_by","recorded_side","recorded_at","confirmed_by",
 * "confirmed_at","good","ended" (null, "withdrawn" or "declined"),
 * "ended_by","ended_at"}. An open barter (neither confirmed nor ended) is
 * confirmed or declined by the other side (never who recorded it), or
 * withdrawn by the side that recorded it; any of the three ends it
 * (PX_E_CONFLICT naming "barter" after; PX_E_FORBIDDEN naming "barter"
 * for the wrong side). */
struct barter_in {
	const char *household, *member, *enterprise;
	const char *household_gives, *household_unit, *other_gives, *other_unit;
	int64_t household_quantity, other_quantity, into_good;
};
int gov_barter_record(const struct gov_ctx *ctx, const struct barter_in *in, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
int gov_barter_confirm(const struct gov_ctx *ctx, int64_t barter, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
int gov_barter_withdraw(const struct gov_ctx *ctx, int64_t barter, json_t **out,
			struct px_error *err) PX_MUST_CHECK;
int gov_barter_decline(const struct gov_ctx *ctx, int64_t barter, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;
int gov_barter_get(const struct gov_ctx *ctx, int64_t barter, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* A local assembly's allotments (newest first) and its terms of barter:
 * {"allotments":[{"id","assembly","assembly_name","decision",
 * "decision_title","household","household_name","workshop",
 * "workshop_name","what","quantity","unit","purpose","priority","until",
 * "at","revoked_by","revoked_at"}],"barter_terms":{"decision",
 * "taken_goods_refused","classes","at"} or null}. */
int gov_allotments(const struct gov_ctx *ctx, const char *assembly, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* The local assembly's kinds for those outside the economy (allot_kinds.c):
 * allot_means, revoke_allotment, set_barter_terms. */
extern const struct motion_kind allot_kinds[];
/* For src/gov/replay: household.* and barter.* entries. */
int household_replay(struct store *s, const char *action, const json_t *payload,
		     int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;

#endif
