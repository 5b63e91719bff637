/*
 * cases_apply.h: internal to gov/cases. Each effect is applied by one
 * function from its journal payload, inside the caller's transaction, by
 * the live path and by replay alike; the kinds' effects (cases_kinds.c)
 * share the helpers below.
 */
#ifndef PNYX_GOV_CASES_APPLY_H
#define PNYX_GOV_CASES_APPLY_H

#include <jansson.h>
#include <stdint.h>

#include "core/errors.h"

struct store;

#define CASE_DAY 86400

/* A case's row, as the rules read it. */
struct case_row {
	int64_t id, polity_id, body_id, law, deadline, review_at, remedy_id;
	int64_t review_harm; /* -1: no harm vote yet in this review */
	char state[32];
};

/* The case id: PX_E_NOT_FOUND naming field when there is none. */
int case_load(struct store *s, int64_t id, const char *field, struct case_row *c,
	      struct px_error *err) PX_MUST_CHECK;
/* A step the case's state does not allow: PX_E_CONFLICT, the message
 * saying where the case stands in words (not its state's code). what:
 * CASE_NEEDS_HEARING (evidence is heard only in hearing) or
 * CASE_NEEDS_REMEDY_ASKED (a remedy is recommended only when asked for). */
enum case_needs { CASE_NEEDS_HEARING, CASE_NEEDS_REMEDY_ASKED };
int case_state_fail(struct px_error *err, const char *state, enum case_needs what);
/* The case's new state (updated_at = at). */
int case_set_state(struct store *s, int64_t id, const char *state, int64_t at) PX_MUST_CHECK;
/* A step of the case's timeline (motion_id 0: none; note NULL: none). */
int case_step(struct store *s, int64_t id, const char *step, int64_t at, const char *actor,
	      int64_t motion_id, const char *note) PX_MUST_CHECK;
/* How many civil servants the polity has. */
int case_servants(struct store *s, int64_t polity_id, int64_t *n) PX_MUST_CHECK;
/* The latest version of law number in body: its number, title and text
 * (malloc'd), and whether in force; PX_E_NOT_FOUND when none. */
int case_law_latest(struct store *s, int64_t body_id, int64_t number, int64_t *version,
		    char **title, char **text, int *in_force) PX_MUST_CHECK;
/* One version's title and text (malloc'd); PX_E_NOT_FOUND when none. */
int case_law_version(struct store *s, int64_t body_id, int64_t number, int64_t version,
		     char **title, char **text) PX_MUST_CHECK;

/* The rules of the polity's cases (polity_case_rules; defaults without
 * a decision: "citizens", no anonymous evidence). */
int case_rules(struct store *s, int64_t polity_id, char petitioners[16],
	       int *anonymous) PX_MUST_CHECK;
int case_set_rules(struct store *s, int64_t polity_id, const char *petitioners,
		   int anonymous, int64_t motion_id, int64_t at) PX_MUST_CHECK;
/* Whether account holds a seat of the assembly body_id. */
int case_seated(struct store *s, int64_t body_id, int64_t account, int *yes) PX_MUST_CHECK;

/* civil_servant.add {"polity","person"} */
int cases_apply_servant(struct store *s, const json_t *p, int64_t at,
			struct px_error *err) PX_MUST_CHECK;
/* case.petition {"case","polity","law"|null,"absence"|null,"title","statement","person"} */
int cases_apply_petition(struct store *s, const json_t *p, int64_t at,
			 struct px_error *err) PX_MUST_CHECK;
/* case.recommend {"case","recommendation","person","law"|null,"title","text",
 * "rationale","effect","measures","alternatives"} */
int cases_apply_recommend(struct store *s, const json_t *p, int64_t at,
			  struct px_error *err) PX_MUST_CHECK;
/* case.report {"case","person","text"} */
int cases_apply_report(struct store *s, const json_t *p, int64_t at,
		       struct px_error *err) PX_MUST_CHECK;
/* case.review_open {"case","review_at"} */
int cases_apply_review_open(struct store *s, const json_t *p, int64_t at,
			    struct px_error *err) PX_MUST_CHECK;

/* case.evidence {"case","evidence","person"|null,"items":[{"n","type","size",
 * "hash"}]} */
int cases_apply_evidence(struct store *s, const json_t *p, int64_t at,
			 struct px_error *err) PX_MUST_CHECK;

/* case.testimony {"case","witness","outcome","summary"|null,"person"} */
int cases_apply_testimony(struct store *s, const json_t *p, int64_t at,
			  struct px_error *err) PX_MUST_CHECK;
/* The schedule_testimony decision: meeting (params.meeting) is one of
 * body_id's still to come (*starts_at: its start; canon gets its
 * "meeting_at" and "meeting_place"); the witnesses' list
 * well formed, each time within the meeting, none twice (*canon: the list
 * as kept). The rows of the witnesses. The witnesses of a case (meeting
 * 0) or at a meeting (case 0), by time, as a new array. */
int case_testimony_meeting(struct store *s, int64_t body_id, int64_t meeting, int64_t now,
			   json_t *canon, int64_t *starts_at, struct px_error *err) PX_MUST_CHECK;
/* At the decision: the meeting by its start (params.meeting_at, as the
 * check added it), made from its start and place when a replay has not
 * yet (a meeting is known by body and start); still to come. */
int case_testimony_meeting_at(struct store *s, int64_t body_id, const json_t *params,
			      int64_t now, int64_t *meeting, struct px_error *err) PX_MUST_CHECK;
int case_testimony_witnesses(struct store *s, const json_t *list, int64_t starts_at,
			     json_t **canon, struct px_error *err) PX_MUST_CHECK;
int case_testimony_schedule(struct store *s, int64_t case_id, int64_t motion_id,
			    int64_t meeting, const json_t *witnesses) PX_MUST_CHECK;
int case_testimony_json(struct store *s, int64_t case_id, int64_t meeting_id,
			json_t **out) PX_MUST_CHECK;

#endif
