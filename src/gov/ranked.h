/*
 * ranked.h: ranked ballots, for an election of several delegates at once
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
#ifndef PNYX_RANKED_H
#define PNYX_RANKED_H

#include <jansson.h>
#include <stdint.h>

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
		 struct px_error *err);

/* Keep account's ballot (ranking: ranked_check's canon) in the round:
 * with secret set, a voters row and a keyless ranked_secret row; else a
 * ranked_ballots row. PX_E_ALREADY_VOTED when they voted already. */
int ranked_store(struct store *s, int64_t motion, int64_t round, int64_t account,
		 int secret, const char *ranking, struct px_error *err);

/* The number of ballots cast in the round. */
int64_t ranked_voted(struct store *s, int64_t motion, int64_t round, int secret);

/* Open ballots of the round: [{"member", "ranking"}] by handle, as the
 * motion's "votes" list positions. */
json_t *ranked_open_json(struct store *s, int64_t motion, int64_t round);

/* Who counts towards the quorum of a ranked election: *members (at the
 * opening: members_at_open; in a delegate assembly the sum of the
 * voices), *present (checked in at the meeting, or for a vote held apart
 * from one those who voted, weighted in a delegate assembly) and
 * *ballots (how many voted). */
int ranked_presence(struct store *s, int64_t body_id, int64_t motion,
		    int64_t round, int64_t meeting_id, int remote, int secret,
		    int64_t members_at_open, int64_t *members, int64_t *present,
		    int64_t *ballots);

/* Count the ballots of the adopted election motion in body_id by its
 * method and seats, candidates flagged in withdrawn (one flag per
 * candidate, or NULL) taking no part (their ballots go to the next
 * preference). *count receives the count as tally_result_json gives it,
 * *elected the handles elected, in order of election. */
int ranked_count(struct store *s, int64_t motion, int64_t body_id,
		 const json_t *params, const unsigned char *withdrawn,
		 json_t **count, json_t **elected, struct px_error *err);

#endif
