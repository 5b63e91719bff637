/*
 * gov/assembly/assembly.h: the public face of the assembly domain: assemblies: bodies, their members, offices, committees, laws, the
 * decision rules they chose and the time zones of their schedules.
 *
 * http/, cli/ and the other domains include this header and nothing
 * else of gov/assembly/; the rest of the folder is its own business.
 */
#ifndef PNYX_GOV_ASSEMBLY_H
#define PNYX_GOV_ASSEMBLY_H

#include <jansson.h>
#include <stdint.h>

#include "core/rule.h"
#include "gov/gov.h"
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

/* ------------------------------------------------------------------ */
/*
 * body.c: bodies (assemblies). For now, local assemblies: one per
 * community, founded by any account, which becomes the first member.
 *
 * Founding input (POST /api/v1/bodies):
 *   name       1-120 characters
 *   slug       optional; derived from the community's slug when absent
 *   community  the community's slug
 *   statement  the statement of values, 1-20,000 characters of Markdown
 *   rule       the initial decision rule, a JSON object (see docs/rules.md)
 *   schedule   {"rrule": "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0",
 *               "tz": "Europe/Madrid", "place": "..."}
 *   basis      optional: the founder's basis of membership, "lives"
 *              (default) or "works"
 */
struct body_found {
	const char *name;
	const char *slug; /* may be NULL */
	const char *community;
	const char *statement;
	const json_t *rule;
	const json_t *schedule;
	const char *basis; /* the founder's basis: "lives" (default) or "works" */
	const char *language; /* of its minutes: a language carried; NULL: "en" */
};

int gov_body_found(const struct gov_ctx *ctx, const struct body_found *in,
		   json_t **out, struct px_error *err) PX_MUST_CHECK;
/* [{"slug","name","kind","community","members": N, "ended"?: {"how","at"}},
 * ...]; "ended": the assembly divided or united (src/gov/community) */
int gov_body_list(const struct gov_ctx *ctx, json_t **out,
		  struct px_error *err) PX_MUST_CHECK;
/* The body with statement, rule, schedule, member count. */
int gov_body_get(const struct gov_ctx *ctx, const char *slug, json_t **out,
		 struct px_error *err) PX_MUST_CHECK;

/* {"offices": [{"name","duties","holder"}], "committees": [{"id","name",
 * "scope","decision_kinds","members","ends_at","state"}]} */
int gov_body_offices(const struct gov_ctx *ctx, const char *slug, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;

/* Internal to gov/: the id of the body called slug, or PX_E_NOT_FOUND
 * ("no body 'slug'"). */
struct store;
int body_id_by_slug(struct store *s, const char *slug, int64_t *id,
		    struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * body_input.c: validation of the structured parts of a body's founding
 * input, its decision rules and its meeting schedule, into the canonical
 * JSON stored with the body and written to the journal.
 */
struct px_error;
struct strbuf;

/* On success *out is a new reference to the canonical rule set. Errors
 * name the field ("rule", "rule.kind", ...). */
int body_check_rules(const json_t *rule, json_t **out, struct px_error *err) PX_MUST_CHECK;

/* The most meetings a schedule may make in any SCHEDULE_SPAN_DAYS (the
 * month back and the year ahead that pnyx keeps on the calendar): two a
 * day, and as many as gov_meetings_materialise() keeps at once. Checked
 * over the first SCHEDULE_CHECK_YEARS years from its start, together with
 * "at least one meeting in those years". */
#define SCHEDULE_MEETINGS_MAX 800
#define SCHEDULE_SPAN_DAYS 397
#define SCHEDULE_CHECK_YEARS 4

/* On success *out is a new reference to {"rrule","tz","place","since"}:
 * the rule in canonical text, and since the local date (in tz) of now
 * unless the input names a later one. Errors name the field
 * ("schedule", "schedule.rrule", ...). */
int body_check_schedule(const json_t *schedule, int64_t now, json_t **out,
			struct px_error *err) PX_MUST_CHECK;

/* Append a description of a stored schedule ("every Tuesday at 19:00") in
 * lang (NULL: English), rrule_describe_in(). */
int body_schedule_describe(const json_t *schedule, const char *lang, struct strbuf *out);

/* ------------------------------------------------------------------ */
/*
 * committee.c: committees of an assembly. A committee is created and
 * revoked only by the assembly's decisions (assembly_kinds.c); it decides
 * only the kinds of motion it was given, only until its end date, and
 * only while not revoked. Its members are fixed by the decision that
 * created it.
 */
struct store;
struct px_error;

/*
 * 0 when committee id exists in body, is in force at now, account is one
 * of its members, and kind (unless NULL) is among the kinds it decides.
 * Otherwise PX_E_NOT_FOUND (field "committee"), PX_E_COMMITTEE_CLOSED,
 * PX_E_FORBIDDEN (not a member) or PX_E_OUT_OF_SCOPE.
 */
int committee_check(struct store *s, int64_t body_id, int64_t id,
		    int64_t account_id, const char *kind, int64_t now,
		    struct px_error *err) PX_MUST_CHECK;
/* *n: the number of the committee's members. */
int committee_size(struct store *s, int64_t id, int64_t *n) PX_MUST_CHECK;
/* [{"id","name","scope","decision_kinds","members","ends_at","state"}] */
json_t *committee_list_json(struct store *s, int64_t body_id, int64_t now);

/* ------------------------------------------------------------------ */
/*
 * office.c: offices of an assembly (clerk, facilitator, ...). Offices carry
 * procedural duties, never power over decisions. They are created, filled
 * and emptied only by adopted motions (see assembly_kinds.c).
 *
 * Who performs a procedural duty at a meeting: the holder of the office
 * that carries it. While that office does not exist or is vacant, any
 * member checked in at the meeting may perform it, so an assembly can
 * always hold its meeting (the room chooses who does it). A recalled
 * holder loses the duty at once.
 */
struct store;

/* The offices whose duties the code knows. */
#define OFFICE_CLERK "clerk"
#define OFFICE_FACILITATOR "facilitator"

/*
 * PX_OK when account may perform the duties of office `name` in body at
 * meeting (0 = outside any meeting: only a holder). PX_E_FORBIDDEN with a
 * detail otherwise. Must run inside the operation's transaction.
 */
int office_may_act(struct store *s, int64_t body_id, const char *name,
		   int64_t account_id, int64_t meeting_id, struct px_error *err) PX_MUST_CHECK;

/* *yes: 1 when account holds office name in body (and is an active member). */
int office_holds(struct store *s, int64_t body_id, const char *name,
		 int64_t account_id, int *yes) PX_MUST_CHECK;

/* Either office: "clerk or facilitator" duties (reordering the agenda,
 * opening and closing a vote). */
int office_may_chair(struct store *s, int64_t body_id, int64_t account_id,
		     int64_t meeting_id, struct px_error *err) PX_MUST_CHECK;

/* [{"name","duties","holder": handle or null}] */
json_t *office_list_json(struct store *s, int64_t body_id);

/* ------------------------------------------------------------------ */
/*
 * member.c: membership of a body. A person joins by affirming the
 * statement of values and stating the basis of membership ("lives": lives
 * in the community; "works": works in an enterprise there). Leaving is
 * always free. Statuses: active, left, excluded. Exclusion is a decision
 * of the assembly (motions); no route or command changes another person's
 * membership directly.
 */
/* The caller joins (or rejoins after leaving). PX_E_NOT_AFFIRMED unless
 * affirm; PX_E_EXCLUDED when excluded; PX_E_ALREADY_MEMBER when active.
 * An enterprise (src/gov/economy) is joined on the basis "works" only,
 * by someone it admitted and who has not joined on that admission yet
 * (else PX_E_ENTERPRISE_NOT_ADMITTED). */
int gov_member_join(const struct gov_ctx *ctx, const char *body_slug,
		    int affirm, const char *basis, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* The same, and for a local assembly on the basis "works", enterprise
 * (may be NULL) names the enterprise of its community the caller works
 * in, as an active member (else PX_E_NOT_FOUND or PX_E_CONFLICT naming
 * "enterprise"); the membership then points at it. Work in a place not
 * registered here stays a basis without one (docs/economy.md). */
int gov_member_join_as(const struct gov_ctx *ctx, const char *body_slug,
		       int affirm, const char *basis, const char *enterprise,
		       json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The caller leaves. PX_E_NOT_MEMBER unless active; PX_E_EXCLUDED when
 * excluded (the record of exclusion stays). */
int gov_member_leave(const struct gov_ctx *ctx, const char *body_slug,
		     struct px_error *err) PX_MUST_CHECK;
/* [{"handle","display_name","status","basis","since"}, ...], and
 * "enterprise" (its slug) and "enterprise_name" for a membership on the
 * basis "works" that names one. */
int gov_member_list(const struct gov_ctx *ctx, const char *body_slug,
		    json_t **out, struct px_error *err) PX_MUST_CHECK;

/*
 * The check every action in a body starts with: PX_E_UNAUTHENTICATED,
 * PX_E_EXCLUDED or PX_E_NOT_MEMBER unless the caller is an active member.
 * Must run inside the operation's transaction. *body_id receives the id.
 */
int gov_require_active_member(const struct gov_ctx *ctx, const char *body_slug,
			      int64_t *body_id, struct px_error *err) PX_MUST_CHECK;

/* Internal to gov/: someone who leaves or is excluded gives up the
 * offices they hold and their committee seats. Inside a tx. */
struct store;
int member_release_duties(struct store *s, int64_t body_id, int64_t account_id) PX_MUST_CHECK;
/* The account of handle, *id, when its membership of body has status
 * ("active", "left", "excluded"): else PX_E_NOT_FOUND (no such account)
 * or PX_E_CONFLICT, naming field (a static name). What the kinds of
 * motion check of the people they name. */
int member_by_handle(struct store *s, int64_t body_id, const char *handle,
		     const char *status, const char *field, int64_t *id,
		     struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * law.c: the register of an assembly's laws. A law has a number (1, 2, ...
 * per assembly) and versions; every version is linked to the adopted
 * motion that made it (enact, amend or repeal). Repealed laws stay in the
 * register. Only motion effects (assembly_kinds.c) write here.
 */
struct store;

/* Effects (inside the decision's transaction). */
int law_enact(struct store *s, int64_t body_id, const char *title,
	      const char *text, int64_t motion_id, int64_t now,
	      int64_t *number) PX_MUST_CHECK;
int law_amend(struct store *s, int64_t body_id, int64_t number,
	      const char *title, const char *text, int64_t motion_id,
	      int64_t now, int64_t *version, struct px_error *err) PX_MUST_CHECK;
int law_repeal(struct store *s, int64_t body_id, int64_t number,
	       int64_t motion_id, int64_t now, int64_t *version,
	       struct px_error *err) PX_MUST_CHECK;
/* A polity's register (src/gov/cases): the only writer is a remedy the
 * polity's assembly approved, or its withdrawal after a review. *number
 * 0 enacts a new law (text not NULL); otherwise a new version of law
 * *number with title (NULL: the same) and text, or, text NULL, its
 * repeal. change: "remedy" or "withdrawal" (the version's case_change;
 * its change is enact, amend or repeal). The version links motion_id and
 * case_id. Refused (PX_E_FED_NO_LAWS) for any body but a polity's. */
int law_remedy(struct store *s, int64_t body_id, int64_t *number, const char *title,
	       const char *text, const char *change, int64_t motion_id, int64_t case_id,
	       int64_t now, int64_t *version, struct px_error *err) PX_MUST_CHECK;
/* PX_E_NOT_FOUND (field) unless law number exists in body; *in_force. */
int law_exists(struct store *s, int64_t body_id, int64_t number,
	       int *in_force, struct px_error *err, const char *field) PX_MUST_CHECK;

/* [{"number","title","status","version","updated_at"}] */
int gov_law_list(const struct gov_ctx *ctx, const char *body_slug,
		 json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The law with every version: {"number","status","versions":[{"version",
 * "title","text","change","motion","at"}]} */
int gov_law_get(const struct gov_ctx *ctx, const char *body_slug,
		int64_t number, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* What changed between two versions of a law (from < to; 0 means "the
 * version before to"): {"number","from","to","added","deleted",
 * "lines":[{"op":"same"|"del"|"add","text"}]} */
int gov_law_diff(const struct gov_ctx *ctx, const char *body_slug,
		 int64_t number, int64_t from, int64_t to, json_t **out,
		 struct px_error *err) PX_MUST_CHECK;
/* The register as one Markdown document (laws in force, then repealed). */
int gov_law_export(const struct gov_ctx *ctx, const char *body_slug,
		   char **out, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * rule_json.c: decision rules, rule sets, tallies and results as JSON.
 *
 * A rule:
 *   {"kind": "supermajority", "fraction": "2/3", "base": "cast",
 *    "quorum": {"count": 5}}
 *   {"kind": "hybrid", "rounds": 3, "fraction": "3/4", "base": "present",
 *    "quorum": {"fraction": "1/4"}}
 *   {"kind": "consensus"}
 * kind is one of simple_majority, absolute_majority, supermajority,
 * consensus, consent, unanimity, hybrid. fraction ("N/D" or "1") and base
 * ("cast", "present", "members") are required for supermajority and
 * hybrid and refused for other kinds; rounds (1-100) is required for
 * hybrid only. quorum is optional: absent, null, {"count": 0} or
 * {"fraction": "0"} mean no quorum. Any other key is refused.
 *
 * A rule set: {"default": RULE, "by_kind": {"change_rules": RULE, ...}},
 * where by_kind is optional and its keys match [a-z_]{1,40}. A bare rule
 * is accepted as a set with no per-kind rules. A per-kind rule provably
 * weaker than the default is refused (see rule_set_check in core/rule.h).
 *
 * Output is canonical: fractions in lowest terms, keys in a fixed order,
 * quorum left out when there is none, by_kind sorted by name, so the same
 * rule always serialises the same way (for the journal).
 *
 * Ownership: the *_to_json functions return a new reference (release with
 * json_decref) or NULL when out of memory. The *_from_json functions write
 * *out only when they succeed.
 *
 * field_prefix names where the rule sits in the input, for err->field: use
 * "rule" or "rules" (fields then read "rule.fraction",
 * "rule.default.quorum.count", "rule.by_kind.*.base" with the motion kind
 * named in the detail). NULL means "rule".
 */
struct px_error;

int rule_from_json(const json_t *j, struct decision_rule *out,
		   const char *field_prefix, struct px_error *err) PX_MUST_CHECK;
json_t *rule_to_json(const struct decision_rule *r);

int rule_set_from_json(const json_t *j, struct rule_set *out,
		       const char *field_prefix, struct px_error *err) PX_MUST_CHECK;
json_t *rule_set_to_json(const struct rule_set *s);

/*
 * A tally: {"members": 30, "present": 22, "yes": 14, "no": 6,
 * "abstain": 2, "blocks": 0, "stand_asides": 0, "objections": 0,
 * "round": 1}; members and present required, the rest default to 0.
 * Fields are "tally.<name>". Only the shape is checked here: consistency
 * is rule_evaluate's.
 */
int rule_tally_from_json(const json_t *j, struct rule_tally *out,
			 struct px_error *err) PX_MUST_CHECK;
json_t *rule_tally_to_json(const struct rule_tally *t);

/* The positions of a RULE_POS_* mask by name, in a fixed order:
 * ["yes", "no", "abstain"]; for showing a ballot. */
json_t *rule_positions_to_json(unsigned positions);

/*
 * What to record with a decision: {"outcome": "adopted", "applied":
 * "supermajority", "quorum": 5, "present": 22, "base": 20, "threshold": 14,
 * "yes": 14, "vetoes": 0, "rule": RULE, "rule_text": "at least two thirds
 * of votes cast in favour, ...", "text": "adopted: 14 yes of 20, ..."}.
 * r is the rule in force when voting opened.
 */
json_t *rule_result_to_json(const struct decision_rule *r,
			    const struct rule_result *res);

/* ------------------------------------------------------------------ */
/*
 * tzdb.c: time zones by IANA name ("Europe/Berlin") from the system's tz
 * database (/usr/share/zoneinfo, Debian package tzdata).
 *
 * Names are checked before any file is opened: only [A-Za-z0-9/_+-], no
 * leading '/', no empty component, no "..", at most TZDB_NAME_MAX bytes,
 * so a name can never reach outside the database directory.
 *
 * Ownership and threads: tzdb_get() returns a zone owned by a process-wide
 * cache, parsed once on first use and never changed or freed until
 * tzdb_clear(); any number of threads may call tzdb_get() and read the
 * zones at once. tzdb_clear() is for orderly shutdown (and tests): no
 * thread may hold a zone from the cache when it is called.
 */
struct px_error;
struct tz_zone;

#define TZDB_NAME_MAX 64
#define TZDB_DIR "/usr/share/zoneinfo"

/* 1 when name has the allowed shape (it may still not exist). */
int tzdb_name_ok(const char *name);

/* The zone called name. Errors: PX_E_UNKNOWN_ZONE (bad shape, no such
 * zone, or a file that is no usable zone; field "time_zone"), PX_E_IO,
 * PX_E_NOMEM. */
int tzdb_get(const char *name, const struct tz_zone **out,
	     struct px_error *err) PX_MUST_CHECK;

/* Uncached: parse the zone `name` under directory `dir` (for tests and
 * tools that use another copy of the database). Free with tz_free(). */
int tzdb_load(const char *dir, const char *name, struct tz_zone **out,
	      struct px_error *err) PX_MUST_CHECK;

/* The canonical zone names of the database (those in zone1970.tab, plus
 * "UTC"), sorted, one per line, each ending in '\n': the choices to
 * offer a person picking a zone. Errors: PX_E_IO, PX_E_NOMEM,
 * PX_E_TOO_LARGE (from out). */
struct strbuf;
int tzdb_names(struct strbuf *out, struct px_error *err) PX_MUST_CHECK;

/* Free every cached zone. */
void tzdb_clear(void);

/* ------------------------------------------------------------------ */
/* The kinds of motion of a local assembly's own business (assembly_kinds.c): rows for the
 * registry of procedure.h, listed in gov/kinds.c. */

extern const struct motion_kind assembly_kinds[];

#endif
