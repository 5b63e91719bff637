/*
 * gov/procedure/procedure.h: the public face of the procedure domain: how a body decides: meetings, motions and the table of their
 * kinds, votes (open, secret, ranked), speakers, minutes.
 *
 * http/, cli/ and the other domains include this header and nothing
 * else of gov/procedure/; the rest of the folder is its own business.
 */
#ifndef PNYX_GOV_PROCEDURE_H
#define PNYX_GOV_PROCEDURE_H

#include <jansson.h>
#include <stdint.h>

#include "core/tally.h"
#include "gov/gov.h"

/* ------------------------------------------------------------------ */
/*
 * meeting.c: the meetings of an assembly.
 *
 * Regular meetings follow the assembly's schedule and exist without
 * anyone calling them; nothing cancels one. They are kept as rows from 31
 * days back to 366 days ahead, made from the schedule when it is set and
 * by gov_meetings_materialise() (making them decides nothing, so it is not
 * journaled); reading them never writes. Extra meetings exist only
 * when an adopted motion declared them.
 *
 * A meeting is "scheduled" before its time, "open" from its time until the
 * clerk closes it (or MEETING_OPEN_HOURS pass: then "lapsed", and nothing
 * more can be decided at it), then "closed" with its minutes.
 *
 * Check-in: a member checks in with the short-lived room code the meeting
 * shows (eight digits, a new one every ROOM_CODE_SECONDS; the previous code
 * is still accepted), or the clerk checks them in. Attendance is the basis
 * of quorum.
 */
struct store;

#define MEETING_OPEN_HOURS 12
#define ROOM_CODE_SECONDS 120
#define ROOM_CODE_DIGITS 8
#define MEETINGS_BACK_DAYS 31
#define MEETINGS_AHEAD_DAYS 366

enum meeting_state {
	MEETING_SCHEDULED,
	MEETING_OPEN,
	MEETING_CLOSED,
	MEETING_LAPSED,
};

/* {"upcoming": [meeting...] (up to 12), "past": [...] (up to 12, newest
 * first)} for the body's slug. */
int gov_meeting_list(const struct gov_ctx *ctx, const char *slug,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;
/* One meeting with attendance, agenda and, once closed, minutes. */
/* 0 when meeting id exists, else PX_E_NOT_FOUND (or a storage error):
 * what a live stream checks before it opens, without reading the meeting. */
int gov_meeting_exists(const struct gov_ctx *ctx, int64_t id,
		       struct px_error *err) PX_MUST_CHECK;
int gov_meeting_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		    struct px_error *err) PX_MUST_CHECK;
/* When the state of a meeting (as gov_meeting_get gives it) next changes
 * by the clock alone: its start while scheduled, its lapse while open;
 * INT64_MAX once closed or lapsed, or when m is not a meeting. Live
 * streams wake then, though nothing was written. */
int64_t gov_meeting_state_ends(const json_t *m);
/* The current room code, for the projector: the clerk or facilitator (or,
 * while both offices are vacant, any active member). {"code", "expires_at"} */
int gov_meeting_code(const struct gov_ctx *ctx, int64_t id, json_t **out,
		     struct px_error *err) PX_MUST_CHECK;
/* The caller checks in with the room code. */
int gov_meeting_checkin(const struct gov_ctx *ctx, int64_t id,
			const char *code, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The clerk checks in another member. */
int gov_meeting_checkin_member(const struct gov_ctx *ctx, int64_t id,
			       const char *handle, json_t **out,
			       struct px_error *err) PX_MUST_CHECK;
/* The clerk closes the meeting; its minutes are written and journaled.
 * Before the meeting lapses: only with quorum present (PX_E_MEETING_NO_QUORUM)
 * and nothing on its agenda undecided (PX_E_MEETING_UNDECIDED; a motion to
 * adjourn closes it otherwise). A lapsed meeting can always be closed. */
int gov_meeting_close(const struct gov_ctx *ctx, int64_t id, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
/* The minutes as Markdown (format "md") or safe HTML ("html"). */
int gov_meeting_minutes(const struct gov_ctx *ctx, int64_t id,
			const char *format, char **out, struct px_error *err) PX_MUST_CHECK;
/* Every meeting in the kept window as an iCalendar feed. base_url (may be
 * NULL) makes URL properties. */
int gov_meeting_calendar(const struct gov_ctx *ctx, const char *slug,
			 const char *base_url, char **out, struct px_error *err) PX_MUST_CHECK;

/*
 * Make the rows of every body's regular meetings in the kept window (31
 * days back to MEETINGS_AHEAD_DAYS ahead of ctx->now), one transaction per
 * body; *made says how many rows were new. pnyx serve runs it at start and
 * then every hour; founding a body and changing its schedule do the same
 * for that body at once. Reads never make meetings: the horizon of a year
 * means a missed run leaves no gap.
 */
int gov_meetings_materialise(const struct gov_ctx *ctx, int64_t *made,
			     struct px_error *err);

/* Internal to gov/: */
/* Make the rows of regular meetings in the kept window. Inside a tx. */
int meeting_sync(struct store *s, int64_t body_id, int64_t now) PX_MUST_CHECK;
/* Forget future regular meetings of the old schedule that nothing refers
 * to, then sync with the new one. Inside a tx. */
int meeting_reschedule(struct store *s, int64_t body_id, int64_t now) PX_MUST_CHECK;
enum meeting_state meeting_state_at(int64_t starts_at, int has_closed,
				    int64_t now);
const char *meeting_state_name(enum meeting_state st);
/* PX_E_NOT_OPEN saying the meeting's state in a whole sentence (so that
 * it translates whole): "the meeting is closed". */
int meeting_state_fail(struct px_error *err, enum meeting_state st);
/* PX_E_CONFLICT saying a motion's status in a whole sentence: "the
 * motion was adopted". */
int motion_status_fail(struct px_error *err, const char *status);
/* Load a meeting's body, its slug (when slug is not NULL) and its state.
 * PX_E_NOT_FOUND when there is none. */
int meeting_load(struct store *s, int64_t id, int64_t now, int64_t *body_id,
		 enum meeting_state *state, char slug[GOV_SLUG_SIZE],
		 struct px_error *err) PX_MUST_CHECK;
/* Add to a journal payload p what replay needs to know of meeting id
 * (docs/journal.md, "Replay"): p[name] = id, p[name + "_at"] = its start,
 * p[name + "_place"] = its place. Meeting ids are not journalled when the
 * schedule makes the rows, so replay finds a meeting by its body and
 * start. */
int meeting_note(struct store *s, int64_t id, json_t *p, const char *name) PX_MUST_CHECK;
/* *yes: whether account is present at meeting (checked in and still
 * there); *n: how many are. */
int meeting_attended(struct store *s, int64_t meeting_id, int64_t account_id,
		     int *yes) PX_MUST_CHECK;
int meeting_attendance(struct store *s, int64_t meeting_id, int64_t *n) PX_MUST_CHECK;
/* *n: those present for a vote at the close: present now, and those who
 * cast a secret ballot in its round and have left since (a secret ballot
 * cannot be taken back, so its voter counts as present for that vote
 * alone; an open ballot is taken back when its voter's presence ends). */
int meeting_present_for_vote(struct store *s, int64_t meeting_id, int64_t motion_id,
			     int64_t round, int64_t *n) PX_MUST_CHECK;
/* *n: how many present have cast no ballot in the motion's round. */
int meeting_not_voted(struct store *s, int64_t meeting_id, int64_t motion_id,
		      int64_t round, int64_t *n) PX_MUST_CHECK;
/*
 * Presence ends when membership or a delegate's seat ends: account's
 * presence at every meeting of body in session ends now, for reason
 * ("left": left the assembly, "excluded", "seat_ended": a delegate's seat
 * ended). The attendance row is kept with left_at and the reason; their
 * open ballots in votes still running there are taken back; each
 * departure is journaled ("meeting.depart", by actor, or by the person
 * when actor is NULL; motion_id, when not 0, names the decision behind
 * it). Inside a tx.
 */
int meeting_presence_end(struct store *s, int64_t body_id, int64_t account_id,
			 int64_t now, const char *reason, const char *actor,
			 int64_t motion_id) PX_MUST_CHECK;
/* The minutes' words for a departure reason. */
const char *meeting_departure_words(const char *reason);
/* The meeting of body in session now, or PX_E_NOT_OPEN. */
int meeting_in_session(struct store *s, int64_t body_id, int64_t now,
		       int64_t *meeting_id, struct px_error *err) PX_MUST_CHECK;
/* Close the meeting now: void a vote left open at a lapsed meeting, write
 * the minutes, carry undecided motions to the next meeting's agenda,
 * journal "meeting.close" (with adjourned_by when a motion to adjourn
 * closed it). The caller checked who may and whether it may. Inside a tx. */
int meeting_close_now(struct store *s, int64_t meeting_id, int64_t body_id,
		      const char *slug, int64_t now, const char *actor,
		      int64_t adjourned_by) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * motion.c: motions, the only way an assembly decides anything.
 *
 * A motion has a kind (a row of a domain's table, found by motion_kind_find), a title, a
 * Markdown text stored as written, and parameters checked by its kind. It
 * is submitted to the agenda of a meeting: the next one whose agenda is
 * still open (a meeting's agenda closes when the meeting starts); motions
 * are taken in the order submitted unless the facilitator reorders them.
 * An amendment (kind "amendment") names the motion it amends and is
 * decided before it: adopted, it replaces the motion's text.
 *
 * A committee decides apart from meetings: a member of the committee
 * submits a motion of a kind the committee may decide, its members vote,
 * and the assembly's rule for that kind decides among them. Anything
 * outside its kinds, after its end date or after its revocation is
 * refused, and a vote still running then can no longer close: void.
 *
 * Voting opens at the meeting, on a motion of its agenda, with the rule in
 * force at that moment (recorded with the result). When the vote closes,
 * the rule decides; an adopted motion's effect is applied in the same
 * transaction as the result and journaled with it. There is no other route
 * to any of these effects.
 */
struct motion_submit {
	const char *kind;
	const char *title;
	const char *text;
	const json_t *params; /* may be NULL: {} */
	int64_t amends;       /* amendment: the motion amended; else 0 */
	int64_t committee;    /* a committee's decision: its id; else 0 */
};

int gov_motion_submit(const struct gov_ctx *ctx, const char *body_slug,
		      const struct motion_submit *in, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;
/* The same, for the agenda of the named meeting (the one a member submits
 * from): it must be the assembly's and its agenda open (not yet begun, or
 * in session when the assembly takes motions from the floor), else
 * PX_E_NOT_FOUND or PX_E_CONFLICT naming "meeting". meeting 0: as
 * gov_motion_submit. Not for amendments or a committee's decisions. */
int gov_motion_submit_to(const struct gov_ctx *ctx, const char *body_slug,
			 const struct motion_submit *in, int64_t meeting,
			 json_t **out, struct px_error *err) PX_MUST_CHECK;
int gov_motion_get(const struct gov_ctx *ctx, int64_t id, json_t **out,
		   struct px_error *err) PX_MUST_CHECK;
/* status: NULL for all, or one status name. */
int gov_motion_list(const struct gov_ctx *ctx, const char *body_slug,
		    const char *status, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The proposer withdraws a motion not yet voted on. */
int gov_motion_withdraw(const struct gov_ctx *ctx, int64_t id,
			struct px_error *err) PX_MUST_CHECK;
/* The facilitator sets the order of the undecided motions of a meeting:
 * ids lists every one of them exactly once. */
int gov_agenda_reorder(const struct gov_ctx *ctx, int64_t meeting_id,
		       const json_t *ids, json_t **out, struct px_error *err) PX_MUST_CHECK;

/* The positions a vote or an advice may take, NULL-ended: the names of
 * vote.c's one table of positions (yes, no, abstain, ...). */
extern const char *const vote_position_names[];

/* Advisory input from any active member before the vote: shown beside
 * the result, never counted. One per member per motion (replaced). */
int gov_motion_advise(const struct gov_ctx *ctx, int64_t id,
		      const char *position, const char *comment, json_t **out,
		      struct px_error *err) PX_MUST_CHECK;

/* Internal to gov/: *out, the motion as JSON (with votes as the ballot
 * allows); PX_E_NOT_FOUND when there is no such motion. */
int motion_json(struct store *s, int64_t id, int64_t viewer, json_t **out) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * motion_kinds.c: the registry of kinds of motion. A kind is ONE row:
 * its name and words for people, which bodies may decide it, whether it
 * needs a text and whether it writes a law, the parameters it takes (what
 * a form needs to ask for them), the check of its parameters at
 * submission (returning their canonical form) and its effect when the
 * motion is adopted. Every other part (submission, the federation's
 * limits, committees' grants, GET /api/v1/motion-kinds, the browser's
 * form) reads the row; adding a kind is adding a row.
 */
struct store;
struct px_error;

/* What an effect needs to know about the adopted motion. */
struct motion_effect {
	int64_t motion_id;
	int64_t body_id;
	const char *body_slug;
	const char *title;
	const char *text;
	const json_t *params; /* canonical, as checked at submission */
	int64_t now;
	const char *actor;
	/* the decision's result, which an effect may add to (a ranked
	 * election adds its count); may be NULL */
	json_t *result;
};

/* What a parameter's value is. The pickers name the list a value is
 * chosen from (a form offers that list; the check still decides). */
enum kind_param_type {
	KP_TEXT,       /* one line of text; min/max: its length */
	KP_MARKDOWN,   /* Markdown, several lines; min/max: its length */
	KP_INTEGER,    /* a whole number; min/max: its bounds */
	KP_TIME,       /* a moment, unix seconds; min/max: seconds after now */
	KP_CHOICE,     /* one of choices */
	KP_SLUG,       /* a new short name: lower-case letters, digits, '-' */
	KP_HANDLE,     /* a person's handle, typed (a form suggests members) */
	KP_MEMBER,     /* an active member's handle */
	KP_MEMBERS,    /* several active members' handles; min/max: how many */
	KP_OFFICE,     /* an office of the body, by name */
	KP_LAW,        /* a law of the body in force, by number */
	KP_COMMITTEE,  /* a committee of the body in force, by id */
	KP_MOTION,     /* an undecided motion of the body, by id */
	KP_DECISION,   /* a decided motion of another body, by id */
	KP_PROPOSAL,   /* a proposal, by id */
	KP_FEDERATION, /* a delegate assembly, by slug */
	KP_ASSEMBLY,   /* a member assembly of this delegate assembly, by slug */
	KP_KINDS,      /* a list of kinds of motion (those of kinds_by) */
	KP_RULES,      /* a rule set (docs/rules.md) */
	KP_SCHEDULE,   /* a meeting schedule {"rrule","tz","place",...} */
	KP_CONDITION,  /* a proposal's implementation condition */
	KP_COMMUNITIES, /* new communities: a list of objects, checked by the
			 * kind (src/gov/community); min/max: how many */
	KP_ASSEMBLIES, /* local assemblies, by slug: a list; min/max: how many */
	KP_WITNESSES,  /* witnesses of a case: a list of objects {"handle"|"name",
			* "at"}, checked by the kind (src/gov/cases); min/max: how many */
	KP_TYPE_COUNT
};

/* One parameter of a kind. choices are pairs of value and label, ended
 * by NULL: for KP_CHOICE the values allowed, for KP_TEXT suggestions.
 * label and help are for the form. */
/* The language a meeting speaks (its minutes, its projector): the one its
 * assembly had when the meeting began; a change decided during a meeting
 * counts from the next one (change_language, table body_languages). An
 * SQL expression over the aliases b (bodies) and m (meetings). */
#define MEETING_LANGUAGE_SQL \
	"coalesce((SELECT l.language FROM body_languages l WHERE l.body_id = b.id" \
	"  AND l.since <= m.starts_at ORDER BY l.since DESC, l.id DESC LIMIT 1)," \
	" (SELECT l.previous FROM body_languages l WHERE l.body_id = b.id" \
	"  AND l.since > m.starts_at ORDER BY l.since, l.id LIMIT 1), b.language)"

struct kind_param {
	const char *name;
	enum kind_param_type type;
	int required;
	int64_t min, max; /* see the type; max 0: no upper bound stated */
	const char *const *choices;
	unsigned kinds_by; /* KP_KINDS: only kinds these bodies decide (0: all) */
	const char *label;
	const char *help;
	/* a number or time outside min..max is refused in these words
	 * (NULL: "NAME is out of range") */
	const char *out_of_range;
};

/* Which bodies may decide a kind (decided_by). */
#define KIND_BY_LOCAL 1u     /* a local assembly */
#define KIND_BY_DELEGATE 2u  /* a delegate assembly */
#define KIND_BY_COMMITTEE 4u /* a committee granted it (create_committee) */
#define KIND_BY_POLITY 8u    /* a polity's assembly (src/gov/lot): never one that
			      * changes its members, nor federation's kinds */
#define KIND_BY_ENTERPRISE 16u /* an enterprise (src/gov/economy): never a kind
				* that writes a law register */
#define KIND_BY_MILITIA 32u  /* a volunteer militia (src/gov/economy/militia.c):
			      * its procedure and offices; never a law, never
			      * who is a member */
/* flags */
#define KIND_NEEDS_TEXT 1u   /* the text is the substance: not empty */
#define KIND_WRITES_LAW 2u   /* writes a law register (never a delegate
			      * assembly's) */
#define KIND_AMENDS 4u       /* names the motion it amends ("amends") */
#define KIND_IN_SESSION 8u   /* about the meeting in session: moved only
			      * while one is (a form offers it only then) */
#define KIND_SERIOUS 16u     /* among the most serious decisions (a community's
			      * bounds): without a rule of its own, decided by
			      * the strictest rule the assembly set
			      * (motion_rule_for) */

/* A motion's parameters as its row's spec checked them: one arg per
 * parameter of the row, in its order. */
#define KIND_PARAMS_MAX 12
struct kind_arg {
	const json_t *json; /* the value given, or NULL */
	int64_t num;        /* integer, time and by-number types: the value */
	const char *text;   /* text, choice and by-name types: the value, or "" */
};
struct kind_args {
	const struct motion_kind *kind;
	int64_t now;
	struct kind_arg arg[KIND_PARAMS_MAX];
};

struct motion_kind {
	const char *name;
	const char *summary; /* a sentence, for the docs and the pages */
	/* The kind's own rule about its parameters, run after the row's
	 * spec checked them (motion_kind_check_params): a holds them typed;
	 * canon holds those given, and the check adds what its canonical
	 * form adds (defaults, normalised values). Errors name
	 * "params.FIELD". motion_kind_spec_only: the spec says it all. */
	int (*check)(struct store *s, int64_t body_id, const struct kind_args *a,
		     json_t *canon, struct px_error *err);
	/* Apply the effect; it may add to *journal (an object) what the
	 * journal entry of the decision should say about the effect. */
	int (*apply)(struct store *s, const struct motion_effect *m,
		     json_t *journal, struct px_error *err);
	/* NULL for most kinds. The effect of a rejection, for the kinds whose
	 * question has an answer either way (the harm question of
	 * src/gov/cases: "no" finds no harm, or approves a remedy): run
	 * like apply, when the rule rejects the motion (never without a
	 * quorum); one that cannot apply leaves the motion void. */
	int (*reject)(struct store *s, const struct motion_effect *m,
		      json_t *journal, struct px_error *err);
	const char *label;     /* a few words, for a picker */
	unsigned decided_by;   /* KIND_BY_* */
	unsigned flags;        /* KIND_NEEDS_TEXT, KIND_WRITES_LAW, KIND_AMENDS,
				* KIND_IN_SESSION */
	const char *text_label; /* what the text is (NULL: "Text") */
	const struct kind_param *params; /* ended by a row with name NULL */
};

/* The row for name, or NULL. */
const struct motion_kind *motion_kind_find(const char *name);
/* The kind name in words in lang (its row's label, translated), for a
 * reader: the code itself when no row has it. Lives as long as the program
 * (or as name). */
const char *motion_kind_words(const char *name, const char *lang);
/* Check params (NULL: none) against k's spec, in the order of its
 * parameters: every key declared (else PX_E_UNKNOWN_FIELD naming
 * "params"), every required one given (PX_E_MISSING_FIELD), each of its
 * type (PX_E_BAD_TYPE), its length, count or value within the row's min
 * and max (for a time, seconds after now: PX_E_OUT_OF_RANGE), a choice
 * or a kind among those allowed and a slug well formed (PX_E_BAD_INPUT);
 * each error naming "params.NAME". Then k's check, with *canon the
 * canonical form (a new reference). */
int motion_kind_check_params(const struct motion_kind *k, struct store *s,
			     int64_t body_id, const json_t *params, int64_t now,
			     json_t **canon, struct px_error *err) PX_MUST_CHECK;
/* The check of a kind whose spec says all there is to check. */
int motion_kind_spec_only(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err);
/* The parameter name of a's kind, checked: its value given (NULL: not
 * given), as a number, as text ("" when not given). A name the row does
 * not declare is a programming error: NULL, 0, "". */
const json_t *kind_json(const struct kind_args *a, const char *name);
int64_t kind_num(const struct kind_args *a, const char *name);
const char *kind_text(const struct kind_args *a, const char *name);
/* adjourn.c: the motion to adjourn: no parameters (its row's check is
 * motion_kind_spec_only); adopted, it closes the
 * meeting on whose agenda it is (meeting_close_now), its effect void when
 * that meeting is not open or another vote still runs there. */
int adjourn_apply(struct store *s, const struct motion_effect *m, json_t *journal,
		  struct px_error *err);
/* Every domain's table of rows, each ended by a row with name NULL; the
 * list ends with NULL. Defined in gov/kinds.c. */
extern const struct motion_kind *const gov_kind_tables[];
/* The procedural rows (procedure_kinds.c): resolution, amendment,
 * authorise_remote_vote. */
extern const struct motion_kind procedure_kinds[];
/* The rule that decides a motion of kind under the rule set: the kind's
 * own, else for a KIND_SERIOUS kind the strictest of the set (the default,
 * replaced by each per-kind rule rule_compare finds stricter than the one
 * kept, in the order of their names), else the default. */
struct decision_rule;
struct rule_set;
const struct decision_rule *motion_rule_for(const struct rule_set *set, const char *kind);
/* The parameter of k named name, or NULL. */
const struct kind_param *motion_kind_param(const struct motion_kind *k,
					   const char *name);
/* The type's name as the API shows it ("text", "member", ...), or NULL. */
const char *motion_kind_type_name(enum kind_param_type t);
/* The KIND_BY_* bit of a body of kind body_kind ("local", "delegate",
 * "polity", "enterprise", "militia"); KIND_BY_LOCAL for anything else. */
unsigned motion_kind_decider(const char *body_kind);
/* 0 when a body whose KIND_BY_* bit is by may decide k; else
 * PX_E_ENTERPRISE_NO_LAWS (a law, in an enterprise: bound by its local
 * assembly's laws), PX_E_FED_NO_LAWS (a law, in an assembly without a
 * register of its own making: a delegate assembly, a polity's) or
 * PX_E_FED_KIND. */
int motion_kind_refusal(const struct motion_kind *k, unsigned by);
/* params has no key that k does not declare: else PX_E_UNKNOWN_FIELD
 * naming "params". */
int motion_kind_known_params(const struct motion_kind *k, const json_t *params,
			     struct px_error *err) PX_MUST_CHECK;
/* The row as GET /api/v1/motion-kinds shows it (a new reference). */
json_t *motion_kind_json(const struct motion_kind *k);

/* {"kinds": [row...]} in the order of the tables: all of them, or with
 * body_slug those that body may decide (and "body": {"slug","kind"});
 * PX_E_NOT_FOUND naming "body" when there is no such body. */
int gov_motion_kinds(const struct gov_ctx *ctx, const char *body_slug,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * vote.c: voting on a motion.
 *
 * At a meeting the chair (facilitator or clerk) opens the vote on a motion
 * of the agenda, by devices (each checked-in member votes once) or by a
 * show of hands (the clerk records the counts; no individual votes are
 * stored). The ballot is open or secret as the assembly decided for that
 * kind of motion. With a secret ballot, who voted is kept apart from the
 * counts, and no row anywhere links a person to a choice.
 *
 * Online or mail votes happen only for motions the assembly authorised,
 * within the window it set: any active member may vote, checked in or
 * not; the vote closes when the window ends.
 */
/* mode: "devices" or "hands" */
int gov_vote_open(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *mode, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* position: "yes", "no", "abstain", "block", "stand_aside", "objection"
 * (those the rule offers). */
int gov_vote_cast(const struct gov_ctx *ctx, int64_t motion_id,
		  const char *position, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* A ranked ballot in an election of several delegates (ranked.h):
 * ranking is a list of candidates' handles, first preference first. A
 * position on a ranked election, or a ranking on any other motion, is
 * refused; the first ballot is final. */
int gov_vote_cast_ranked(const struct gov_ctx *ctx, int64_t motion_id,
			 const json_t *ranking, json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The clerk records a show of hands: {"yes": N, "no": N, ...}. */
int gov_vote_record_hands(const struct gov_ctx *ctx, int64_t motion_id,
			  const json_t *counts, json_t **out,
			  struct px_error *err) PX_MUST_CHECK;
/* The chair closes the vote; the rule decides and, when adopted, the
 * effect applies. For an online vote, anyone may close it once its window
 * has ended. */
int gov_vote_close(const struct gov_ctx *ctx, int64_t motion_id,
		   json_t **out, struct px_error *err) PX_MUST_CHECK;
/* May a delegate of a member assembly on another node (gov/nodes) cast
 * position on motion_id now? The motion is body_id's, its vote is open
 * (at a meeting by devices, or online within its window), on an open
 * ballot, not ranked, and the rule offers the position: *round receives
 * the round. Refusals name "object" (the motion) or "position". */
int vote_remote_seat_check(struct store *s, int64_t motion_id, int64_t body_id,
			   const char *position, int64_t now, int64_t *round,
			   struct px_error *err) PX_MUST_CHECK;
/* The live counts (as far as the ballot allows): {"voted", "counts"}. */
int gov_vote_counts(const struct gov_ctx *ctx, int64_t motion_id,
		    json_t **out, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * ranked.c: ranked ballots, for an election of several delegates at once
 * by the single transferable vote (motion kind elect_delegates with
 * "seats" and "candidates"; docs/federation.md, "Delegates").
 *
 * A ranked election is voted on devices only, in one round, each voter
 * ranking some or all of the candidates; the first ballot is final (as a
 * position is). With an open ballot the ranking is kept with its voter
 * (ranked_ballots). With a secret ballot who voted goes to voters and the
 * ranking alone to ranked_secret under a random 16-byte key: no column,
 * row order or time links one to the other.
 *
 * At close the decision rule's quorum applies as for any motion; then the
 * ballots are counted by the election's STV method (src/core/tally.h) for
 * its seats. In a delegate assembly each ballot weighs what its delegate's
 * vote weighs on any motion there (fed_seat_weights).
 *
 * Ownership: returned json_t are new references; *canon strings are
 * malloc'd and freed by the caller.
 */
struct store;
struct px_error;

#define RANKED_SEATS_MIN 2
#define RANKED_SEATS_MAX 50
#define RANKED_CANDIDATES_MAX 200
#define RANKED_DEFAULT_METHOD "stv-meek"

/* 1 when a motion of this kind with these canonical params is decided by
 * ranked ballots (an elect_delegates with "seats"). */
int ranked_is(const char *kind, const json_t *params);
/* The same from the params' JSON text (NULL: 0). */
int ranked_is_text(const char *kind, const char *params);

/* 1 when name is an STV method of the tally library ranked elections use. */
int ranked_method_valid(const char *name);

/* Check a ranking for the election whose params are given: a list of 1 to
 * ncandidates distinct candidate handles, first preference first. Errors
 * name "ranking". *canon receives its compact JSON text. */
int ranked_check(const json_t *params, const json_t *ranking, char **canon,
		 struct px_error *err) PX_MUST_CHECK;

/* Keep account's ballot (ranking: ranked_check's canon) in the round:
 * with secret set, a voters row and a keyless ranked_secret row; else a
 * ranked_ballots row. PX_E_ALREADY_VOTED when they voted already. */
int ranked_store(struct store *s, int64_t motion, int64_t round, int64_t account,
		 int secret, const char *ranking, struct px_error *err) PX_MUST_CHECK;

/* *n: the number of ballots cast in the round. */
int ranked_voted(struct store *s, int64_t motion, int64_t round, int secret,
		 int64_t *n) PX_MUST_CHECK;

/* Open ballots of the round: [{"member", "ranking"}] by handle, as the
 * motion's "votes" list positions. */
json_t *ranked_open_json(struct store *s, int64_t motion, int64_t round);

/* Secret ballots of the round, for the journal at the close: their
 * rankings alone, [["handle", ...], ...], sorted by their canonical text
 * (so neither the order of casting nor the random keys show), which is
 * also the order ranked_count counts them in. NULL on error. */
json_t *ranked_secret_json(struct store *s, int64_t motion, int64_t round);

/* Replay: keep the journalled rankings of a secret round (ranked_secret_
 * json's list) as its ranked_secret rows, each checked by ranked_check
 * against the election's params; PX_E_BAD_INPUT (err says which) when one
 * is not a ranking of this election. */
int ranked_secret_restore(struct store *s, int64_t motion, int64_t round,
			  const json_t *params, const json_t *rankings,
			  struct px_error *err) PX_MUST_CHECK;

/* Who counts towards the quorum of a ranked election: *members (at the
 * opening: members_at_open; in a delegate assembly the sum of the
 * voices), *present (checked in at the meeting, or for a vote held apart
 * from one those who voted, weighted in a delegate assembly) and
 * *ballots (how many voted). */
int ranked_presence(struct store *s, int64_t body_id, int64_t motion,
		    int64_t round, int64_t meeting_id, int remote, int secret,
		    int64_t members_at_open, int64_t *members, int64_t *present,
		    int64_t *ballots) PX_MUST_CHECK;

/* Count the ballots of the adopted election motion in body_id by its
 * method and seats, candidates flagged in withdrawn (one flag per
 * candidate, or NULL) taking no part (their ballots go to the next
 * preference). *count receives the count as tally_result_json gives it,
 * *elected the handles elected, in order of election. */
int ranked_count(struct store *s, int64_t motion, int64_t body_id,
		 const json_t *params, const unsigned char *withdrawn,
		 json_t **count, json_t **elected, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * speaker.c: the speakers' queue of an open meeting. A member checked in
 * asks to speak and may withdraw the request; the facilitator gives the
 * floor to the next in line. The queue is procedure, not a decision, so
 * it is not journaled.
 */
/* {"speaking": {"handle","since"} or null, "queue": [{"handle","since"}]} */
int gov_speaker_list(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The caller joins the queue (once). */
int gov_speaker_join(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The caller leaves the queue. */
int gov_speaker_leave(const struct gov_ctx *ctx, int64_t meeting_id,
		      json_t **out, struct px_error *err) PX_MUST_CHECK;
/* The facilitator gives the floor to the next in line. */
int gov_speaker_next(const struct gov_ctx *ctx, int64_t meeting_id,
		     json_t **out, struct px_error *err) PX_MUST_CHECK;

/* ------------------------------------------------------------------ */
/*
 * tally_json.c: a count's result as JSON, the shape `pnyx tally --json`
 * prints and POST /api/v1/tally answers (docs/tally.md): method, seats,
 * ballots, quota, decimals, elected, ranking (levels; a level of several
 * is a tie), rounds (label, votes, state, transfers, non_transferable,
 * quota), pairwise, candidates, seed, lots, notes. Fixed-point values
 * are strings with their decimals, never floating point.
 */
/* A new reference, or NULL when out of memory. */
json_t *tally_result_json(const struct tally_result *r,
			  const struct ballot_set *bs);

#endif
