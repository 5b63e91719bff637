/*
 * gov/cases/cases.h: the public face of the cases domain, the harm
 * question of distributed democracy (shared/DESIGN.md 1.2, docs/cases.md).
 *
 * A case asks a polity's assembly whether a law of the polity's register
 * (or the absence of one) allows harm. A citizen of the polity petitions;
 * every later step is a decision of the polity's assembly, taken by a
 * vote at a meeting (the kinds of cases_kinds.c), except the civil
 * service's recommendation, and the opening of a review, which the clock
 * does on its date. The only path by which a polity's law register
 * changes is a remedy approved by the assembly's vote (law_remedy, called
 * from that vote's effect, in its transaction).
 *
 * The civil service of a polity: accounts the operator registers. They
 * are staff, never members: never in a pool of the polity's draws, never
 * seated, so they never vote, decide or move a motion there.
 *
 * Every effect is one journal entry applied by the same function live and
 * in replay (cases_replay): civil_servant.add, case.petition,
 * case.recommend, case.review_open, case.evidence, case.testimony; the assembly's decisions are its
 * motions' (motion.decide). Results are new jansson references.
 */
#ifndef PNYX_GOV_CASES_H
#define PNYX_GOV_CASES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "gov/gov.h"
#include "gov/evidence.h"
#include "gov/procedure/procedure.h" /* struct motion_kind, for the kinds table */

struct store;

#define CASE_TITLE_MAX 200
#define CASE_TEXT_MAX 50000
#define CASE_REVIEW_DEFAULT_YEARS 1

/* Operator only: handle becomes a civil servant of polity slug. Refused
 * for a person holding a seat of that polity's assembly or summoned to
 * one. {"polity","handle","name","added_at"} */
int gov_civil_servant_add(const struct gov_ctx *ctx, const char *polity, const char *handle,
			  json_t **out, struct px_error *err) PX_MUST_CHECK;

/* A petition. law 0: the case is about an absence (absence names what
 * the law says nothing about); else law is the number of a law in force
 * in the polity's register. Errors name the field: law, absence, title,
 * statement. The case, as gov_case_get gives it. */
struct case_petition {
	int64_t law;
	const char *absence, *title, *statement;
};
int gov_case_petition(const struct gov_ctx *ctx, const char *polity,
		      const struct case_petition *in, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;

/* A recommendation of the civil service on a case whose remedy was
 * requested. law: "amend" (the case's law, or the law named by number)
 * or "new". The case. */
struct case_recommendation {
	int64_t law; /* 0: a new law */
	const char *title, *text, *rationale, *effect, *measures, *alternatives;
};
int gov_case_recommend(const struct gov_ctx *ctx, int64_t case_id,
		       const struct case_recommendation *in, json_t **out,
		       struct px_error *err) PX_MUST_CHECK;

/* A civil servant of the case's polity reports on the measures of the
 * remedy under review (the case must be under review). The case. */
int gov_case_report(const struct gov_ctx *ctx, int64_t case_id, const char *text,
		    json_t **out, struct px_error *err) PX_MUST_CHECK;

/* {"polity":{"slug","name","assembly"},"civil_service":[{"handle","name"}],
 *  "cases":[{"id","title","state","law","absence","opened_at","updated_at",
 *  "overdue","review_at","review_due"}], "dashboard":{"in_force":[..],
 *  "reviews_due":[..],"overdue":[..],"by_state":{state: n}}}; state
 *  filters the list ("" or NULL: every case). */
int gov_case_list(const struct gov_ctx *ctx, const char *polity, const char *state,
		  json_t **out, struct px_error *err) PX_MUST_CHECK;
/* One case, with its steps, its recommendations (each with its diff) and
 * the law as it stands. */
int gov_case_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		 struct px_error *err) PX_MUST_CHECK;

/* The iCalendar feed of the polity's hearings (each meeting where a step
 * of a case is on the agenda or was decided), reviews to come and
 * recommendations due; events link to base_url's case pages when given.
 * *out is malloc'd. */
int gov_case_calendar(const struct gov_ctx *ctx, const char *polity, const char *base_url,
		      char **out, struct px_error *err) PX_MUST_CHECK;

/* The clock (at ctx->now): every remedy in force whose review date has
 * come goes under review, in one transaction; nobody can skip one. */
int gov_cases_clock(const struct gov_ctx *ctx, int64_t *made,
		    struct px_error *err) PX_MUST_CHECK;

/* Evidence (evidence.c): a text in Markdown and up to CASE_FILES_MAX
 * files, each 1 byte to CASE_FILE_MAX, CASE_FILES_TOTAL together, of a
 * type of evidence_file_types (gov/evidence.h) whose first bytes say it is one. */
#define CASE_FILES_MAX EVIDENCE_FILES_MAX
#define CASE_FILE_MAX EVIDENCE_FILE_MAX
#define CASE_FILES_TOTAL EVIDENCE_FILES_TOTAL
#define CASE_FILE_NAME_MAX EVIDENCE_FILE_NAME_MAX
#define CASE_HASH_HEX EVIDENCE_HASH_HEX
struct case_evidence_in {
	const char *text;
	int anonymous; /* the submitter's name withheld (if the polity allows it) */
	int brief;     /* the evidence brief the assembly asked of the civil service */
	const struct evidence_file *files;
	size_t nfiles;
};
/* Anyone signed in, on a case in hearing. Errors name the field: text,
 * anonymous, brief, files, files[i].name, files[i].type, files[i].data
 * (too large, or not what its type says). The piece as the list gives it. */
int gov_case_evidence_submit(const struct gov_ctx *ctx, int64_t case_id,
			     const struct case_evidence_in *in, json_t **out,
			     struct px_error *err) PX_MUST_CHECK;
/* {"evidence":[{"id","submitted_at","submitter":{"handle","name"}|null,
 *  "brief","sealed","seal":{"at","motion","reasons"},"text","text_hash","files":[{"n",
 *  "name","type","size","hash"}]}],"brief_owed":{"requested_at","deadline",
 *  "instructions","motion","overdue"}|null,"sees_sealed","anonymous_allowed","open",
 *  "types","limits"}: a sealed piece has no text nor files unless the
 *  caller is a member of the case's assembly. */
int gov_case_evidence_list(const struct gov_ctx *ctx, int64_t case_id, json_t **out,
			   struct px_error *err) PX_MUST_CHECK;
/* One file of a piece (n 0: its text, as text/markdown): PX_E_FORBIDDEN
 * when it is sealed and the caller is no member of the assembly. */
int gov_case_evidence_file(const struct gov_ctx *ctx, int64_t case_id, int64_t evidence,
			   int64_t n, struct evidence_file_out *f,
			   struct px_error *err) PX_MUST_CHECK;

/* Testimony (testimony.c): the witnesses a decision of the assembly
 * (schedule_testimony) scheduled at one of its meetings; at that meeting,
 * while it is open, the clerk (or, the office vacant or its holder not in
 * the room, a member checked in) records of each whether they testified
 * ("testified") or did not appear ("absent"), with an optional summary.
 * Errors name outcome, summary, witness. The witness as the lists give it:
 * {"id","case","case_title","meeting","meeting_at","at","handle"|null,
 * "name","outcome"|null,"summary"|null,"recorded_at"|null,"recorded_by"|null,
 * "motion"}. */
#define CASE_TESTIMONY_SUMMARY_MAX 2000
int gov_case_testimony_record(const struct gov_ctx *ctx, int64_t case_id, int64_t witness,
			      const char *outcome, const char *summary, json_t **out,
			      struct px_error *err) PX_MUST_CHECK;
/* {"meeting","open","may_record","witnesses":[witness...]}: the witnesses
 * scheduled at a meeting, by time; may_record: the caller may record now. */
int gov_meeting_testimony(const struct gov_ctx *ctx, int64_t meeting_id, json_t **out,
			  struct px_error *err) PX_MUST_CHECK;

/* The kinds only a polity's assembly decides (cases_kinds.c). */
extern const struct motion_kind cases_kinds[];

/* For src/gov/replay. */
int cases_owns(const char *action, size_t len);
int cases_replay(struct store *s, const char *action, const json_t *payload,
		 int64_t at, const char *actor, struct px_error *err) PX_MUST_CHECK;
/* After the entries: the bytes of each piece of evidence copied from live
 * into out, each only when it hashes to what its entry says. */
int cases_copy_content(struct store *live, struct store *out) PX_MUST_CHECK;

#endif
