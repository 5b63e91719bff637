/*
 * api.h: the route handlers and the body specs they take, one file per
 * family of routes (api_system.c, api_accounts.c, api_bodies.c). The
 * table that binds them to methods and paths is routes.c.
 *
 * Each handler builds nothing but a reply: it calls one gov_* function
 * with req->ctx (the caller and the moment) and turns the result into
 * JSON. Governance rules live in src/gov only.
 */
#ifndef PNYX_HTTP_API_H
#define PNYX_HTTP_API_H

#include <jansson.h>
#include <stdint.h>

#include "spec.h"

struct http_req;

/* Bodies, filled by the dispatcher from the specs below. */
struct in_account_create {
	const char *handle;
	const char *display_name;
	const char *password;
};

struct in_session_create {
	const char *handle;
	const char *password;
};

struct in_body_found {
	const char *name;
	const char *slug;
	const char *community;
	const char *statement;
	const json_t *rule;
	const json_t *schedule;
	const char *basis;
	const char *language;
};

struct in_community_choose {
	const char *community;
};

struct in_member_join {
	int affirm;
	const char *basis;
	const char *enterprise;
};

struct in_enterprise_found {
	const char *name;
	const char *slug;
	const char *community;
	const char *purpose;
	const char *provides;
	const json_t *rule;
	const json_t *schedule;
	const json_t *founders;
};

struct in_checkin {
	const char *code;
	const char *member;
};

struct in_agenda {
	const json_t *order;
};

struct in_motion {
	const char *kind;
	const char *title;
	const char *text;
	const json_t *params;
	int64_t amends;
	int64_t committee;
	int64_t meeting;
};

struct in_vote {
	const char *position;  /* or */
	const json_t *ranking; /* candidates' handles, first preference first */
};

struct in_voting {
	const char *mode;
};

struct in_hands {
	const json_t *counts;
};

struct in_notice_read {
	int64_t id;
	int64_t up_to;
};

struct in_residence {
	const char *community;
};

struct in_consent {
	int affirm;
};

struct in_profile {
	const json_t *profile;
};

struct in_seed {
	const char *text;
};

struct in_answer {
	const char *answer;
	const char *reason;
};

struct in_excuse {
	int grant;
	const char *reason;
};

struct in_resign {
	const char *polity;
};

struct in_petition {
	int64_t law;
	const char *absence, *title, *statement;
};

struct in_recommend {
	int64_t law;
	const char *title, *text, *rationale, *effect, *measures, *alternatives;
};

struct in_evidence {
	const char *text;
	int anonymous, brief;
	const json_t *files;
};

struct in_case_report {
	const char *text;
};

struct in_testimony {
	const char *outcome, *summary;
};

struct in_notice_settings {
	const char *email;
	int mail;
};

struct in_me_language {
	const char *language;
};

struct in_advice {
	const char *position;
	const char *comment;
};

struct in_comment {
	const char *text;
	int64_t reply_to; /* 0: a comment, not a reply */
};

struct in_tally {
	const char *method;
	int64_t seats;
	const char *ballots;
	const char *format;
	const char *name;
	const char *seed;
};

extern const struct body_spec spec_account_create;
extern const struct body_spec spec_session_create;
extern const struct body_spec spec_body_found;
extern const struct body_spec spec_member_join;
extern const struct body_spec spec_checkin;
extern const struct body_spec spec_agenda;
extern const struct body_spec spec_motion;
extern const struct body_spec spec_vote;
extern const struct body_spec spec_voting;
extern const struct body_spec spec_hands;
extern const struct body_spec spec_advice;
extern const struct body_spec spec_tally;
extern const struct body_spec spec_notice_read;
extern const struct body_spec spec_notice_settings;
extern const struct body_spec spec_me_language;
extern const struct body_spec spec_comment;

/* api_discussion.c */
int api_motion_comments(struct http_req *req, void *in);
int api_motion_comment(struct http_req *req, void *in);
int api_proposal_comments(struct http_req *req, void *in);
int api_proposal_comment(struct http_req *req, void *in);
int api_comment_withdraw(struct http_req *req, void *in);

/* api_system.c */
int api_health(struct http_req *req, void *in);
int api_journal_list(struct http_req *req, void *in);
int api_journal_verify(struct http_req *req, void *in);

/* api_accounts.c */
int api_account_create(struct http_req *req, void *in);
int api_session_create(struct http_req *req, void *in);
int api_session_delete(struct http_req *req, void *in);
int api_me(struct http_req *req, void *in);
int api_me_language(struct http_req *req, void *in);

/* api_community.c: a community divided or united by its own decisions */
extern const struct body_spec spec_community_choose;
int api_community_choices(struct http_req *req, void *in);
int api_community_choose(struct http_req *req, void *in);
int api_community_division(struct http_req *req, void *in);
int api_union_get(struct http_req *req, void *in);

/* api_lot.c: regions, polities, the caller's citizenship */
extern const struct body_spec spec_residence, spec_consent, spec_profile;
extern const struct body_spec spec_seed, spec_answer, spec_excuse, spec_resign;
int api_region_list(struct http_req *req, void *in);
int api_region_get(struct http_req *req, void *in);
int api_polity_list(struct http_req *req, void *in);
int api_polity_get(struct http_req *req, void *in);
int api_residence_put(struct http_req *req, void *in);
int api_consent_post(struct http_req *req, void *in);
int api_profile_put(struct http_req *req, void *in);
int api_renewal_lottery(struct http_req *req, void *in);
int api_renewal_list(struct http_req *req, void *in);
int api_polity_excuses(struct http_req *req, void *in);
int api_renewal_get(struct http_req *req, void *in);
int api_renewal_record(struct http_req *req, void *in);
int api_renewal_result(struct http_req *req, void *in);
int api_renewal_seed(struct http_req *req, void *in);
int api_my_summons(struct http_req *req, void *in);
int api_summons_answer(struct http_req *req, void *in);
int api_summons_excuse(struct http_req *req, void *in);
int api_seat_resign(struct http_req *req, void *in);
/* api_cases.c: the harm question (src/gov/cases) */
extern const struct body_spec spec_petition, spec_recommend, spec_case_report,
	spec_evidence, spec_testimony;
int api_case_testimony(struct http_req *req, void *in);
int api_meeting_testimony(struct http_req *req, void *in);
int api_case_list(struct http_req *req, void *in);
int api_case_petition(struct http_req *req, void *in);
int api_case_get(struct http_req *req, void *in);
int api_case_recommend(struct http_req *req, void *in);
int api_case_report(struct http_req *req, void *in);
int api_case_calendar(struct http_req *req, void *in);
/* evidence with its files takes a larger body than the server's default:
 * 4 MiB of files in base64 and a text of 50,000 characters, escaped */
#define EVIDENCE_BODY_MAX ((size_t)8 << 20)
int api_case_evidence_submit(struct http_req *req, void *in);
/* Each file {"name","type","data" (base64)} of a body's "files" decoded
 * into the request's arena (api_cases.c), for a case's evidence and a
 * request's evidence of need alike; the rules on names, types and sizes
 * are the domain's (gov/evidence.c). */
struct evidence_file;
int api_evidence_files(struct http_req *req, const json_t *files, struct evidence_file **out,
		       size_t *n);
/* the attachment header of a download (api_cases.c) */
void api_content_disposition(const char *name, char *out, size_t n);
/* One item of evidence (a case's, a request's) answered as a download with
 * its hash in X-Content-Hash; frees f->data. */
struct evidence_file_out;
int api_evidence_download(struct http_req *req, struct evidence_file_out *f);
int api_case_evidence_list(struct http_req *req, void *in);
int api_case_evidence_file(struct http_req *req, void *in);

/* api_economy.c: enterprises (src/gov/economy) */
extern const struct body_spec spec_enterprise_found;
int api_enterprise_found(struct http_req *req, void *in);
int api_enterprise_list(struct http_req *req, void *in);
int api_enterprise_get(struct http_req *req, void *in);
/* api_militia.c: volunteer militias (src/gov/economy/militia.c) */
int api_militia_list(struct http_req *req, void *in);
int api_militia_get(struct http_req *req, void *in);

/* api_sharing.c: the sharing economy (src/gov/sharing) */
extern const struct body_spec spec_good;
extern const struct body_spec spec_stock;
extern const struct body_spec spec_take;
extern const struct body_spec spec_return;
extern const struct body_spec spec_sharing_opt;
int api_sharing_list(struct http_req *req, void *in);
int api_sharing_get(struct http_req *req, void *in);
int api_good_offer(struct http_req *req, void *in);
int api_good_get(struct http_req *req, void *in);
int api_good_stock(struct http_req *req, void *in);
int api_good_take(struct http_req *req, void *in);
int api_good_return(struct http_req *req, void *in);
int api_good_renew(struct http_req *req, void *in);
int api_good_loans(struct http_req *req, void *in);
int api_good_collect(struct http_req *req, void *in);
int api_sharing_me(struct http_req *req, void *in);
int api_sharing_opt(struct http_req *req, void *in);
int api_sharing_takes(struct http_req *req, void *in);
extern const struct body_spec spec_round_request;
extern const struct body_spec spec_round_draw;
int api_round_request(struct http_req *req, void *in);
int api_round_get(struct http_req *req, void *in);
int api_round_close(struct http_req *req, void *in);
int api_round_draw(struct http_req *req, void *in);
extern const struct body_spec spec_round_review;
int api_round_review(struct http_req *req, void *in);
int api_round_evidence(struct http_req *req, void *in);
int api_round_evidence_file(struct http_req *req, void *in);
int api_economy_dashboard(struct http_req *req, void *in);
extern const struct body_spec spec_round_rank;
int api_round_rank(struct http_req *req, void *in);
int api_rounds_close_due(struct http_req *req, void *in);
int api_rounds_draw_due(struct http_req *req, void *in);

/* api_household.c: households, allotments and barter (src/gov/sharing) */
extern const struct body_spec spec_household;
extern const struct body_spec spec_household_invite;
extern const struct body_spec spec_barter;
int api_household_declare(struct http_req *req, void *in);
int api_household_get(struct http_req *req, void *in);
int api_household_mine(struct http_req *req, void *in);
int api_household_invite(struct http_req *req, void *in);
int api_household_join(struct http_req *req, void *in);
int api_household_leave(struct http_req *req, void *in);
int api_barter_record(struct http_req *req, void *in);
int api_barter_get(struct http_req *req, void *in);
int api_barter_confirm(struct http_req *req, void *in);
int api_barter_withdraw(struct http_req *req, void *in);
int api_barter_decline(struct http_req *req, void *in);
int api_allotments(struct http_req *req, void *in);

/* api_standing.c: good standing, contributions and reputation (src/gov/economy) */
extern const struct body_spec spec_delivery;
extern const struct body_spec spec_correction;
extern const struct body_spec spec_appreciation;
extern const struct body_spec spec_standing_basis;
int api_delivery_record(struct http_req *req, void *in);
int api_delivery_correct(struct http_req *req, void *in);
int api_appreciation_add(struct http_req *req, void *in);
int api_contributions_get(struct http_req *req, void *in);
int api_valueflows(struct http_req *req, void *in);
int api_standing_enterprise(struct http_req *req, void *in);
int api_standing_person(struct http_req *req, void *in);
int api_standing_review(struct http_req *req, void *in);
int api_standing_basis(struct http_req *req, void *in);

/* api_bodies.c */
int api_community_list(struct http_req *req, void *in);
int api_community_get(struct http_req *req, void *in);
int api_body_found(struct http_req *req, void *in);
int api_body_list(struct http_req *req, void *in);
int api_body_get(struct http_req *req, void *in);
int api_member_join(struct http_req *req, void *in);
int api_member_list(struct http_req *req, void *in);
int api_member_leave(struct http_req *req, void *in);

/* api_meetings.c */
int api_meeting_list(struct http_req *req, void *in);
int api_meeting_calendar(struct http_req *req, void *in);
int api_meeting_get(struct http_req *req, void *in);
int api_meeting_code(struct http_req *req, void *in);
int api_meeting_checkin(struct http_req *req, void *in);
int api_meeting_close(struct http_req *req, void *in);
int api_meeting_minutes(struct http_req *req, void *in);
int api_agenda_reorder(struct http_req *req, void *in);
int api_speaker_list(struct http_req *req, void *in);
int api_speaker_join(struct http_req *req, void *in);
int api_speaker_leave(struct http_req *req, void *in);
int api_speaker_next(struct http_req *req, void *in);
int api_meeting_events(struct http_req *req, void *in);

/* api_motions.c */
int api_motion_submit(struct http_req *req, void *in);
int api_motion_list(struct http_req *req, void *in);
int api_motion_kinds(struct http_req *req, void *in);
int api_motion_get(struct http_req *req, void *in);
int api_motion_withdraw(struct http_req *req, void *in);
int api_motion_advise(struct http_req *req, void *in);
int api_vote_open(struct http_req *req, void *in);
int api_vote_cast(struct http_req *req, void *in);
int api_vote_hands(struct http_req *req, void *in);
int api_vote_close(struct http_req *req, void *in);
int api_vote_counts(struct http_req *req, void *in);

/* api_laws.c */
int api_law_list(struct http_req *req, void *in);
int api_law_export(struct http_req *req, void *in);
int api_law_get(struct http_req *req, void *in);
int api_law_diff(struct http_req *req, void *in);
int api_body_offices(struct http_req *req, void *in);

/* api_qr.c */
int api_meeting_code_svg(struct http_req *req, void *in);

/* api_tally.c */
int api_tally(struct http_req *req, void *in);

/* api_federation.c */
int api_body_federations(struct http_req *req, void *in);
int api_body_delegations(struct http_req *req, void *in);
int api_body_declarations(struct http_req *req, void *in);
int api_body_proposals(struct http_req *req, void *in);
int api_proposal_get(struct http_req *req, void *in);
int api_proposal_status(struct http_req *req, void *in);
int api_proposal_events(struct http_req *req, void *in);

/* api_notice.c: the signed-in person's notifications and settings */
int api_notice_list(struct http_req *req, void *in);
int api_notice_count(struct http_req *req, void *in);
int api_notice_read(struct http_req *req, void *in);
int api_notice_settings_get(struct http_req *req, void *in);
int api_notice_settings_put(struct http_req *req, void *in);

/* api_nodes.c: the node seen from the fediverse (gov/nodes) */
int api_ap_body(struct http_req *req, void *in);
int api_ap_person(struct http_req *req, void *in);
int api_ap_node(struct http_req *req, void *in);
/* Under authorized fetch (--authorized-fetch), 0 when the GET is signed by
 * a key that verifies, else the refusal (401 bad_signature); 0 always
 * without it (api_follow.c). */
int api_fetch_allowed(struct http_req *req) PX_MUST_CHECK;
int api_ap_outbox(struct http_req *req, void *in);
int api_ap_followers(struct http_req *req, void *in);
int api_ap_post(struct http_req *req, void *in);
int api_webfinger(struct http_req *req, void *in);
int api_ap_inbox(struct http_req *req, void *in);
/* api_follow.c: a Follow or an Undo from the fediverse at the inbox of
 * body slug (NULL: the shared inbox); the shared inbox itself. */
int api_fedi_inbox(struct http_req *req, const char *slug);
int api_shared_inbox(struct http_req *req, void *in);
int api_body_remote(struct http_req *req, void *in);
int api_body_remote_vote(struct http_req *req, void *in);
struct in_remote_vote {
	const char *actor;
	int64_t motion;
	const char *position;
};
extern const struct body_spec spec_remote_vote;
int api_nodeinfo_links(struct http_req *req, void *in);
int api_nodeinfo(struct http_req *req, void *in);

#endif
