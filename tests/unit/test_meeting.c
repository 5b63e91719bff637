/* The sovereign meeting (issue 12, section 1), through the domain layer
 * with a clock the test controls, in an assembly with a quorum of 3:
 * nobody ends a meeting alone (quorum present and nothing undecided, or an
 * adopted motion to adjourn); presence ends at once when membership ends,
 * for every count, and the record of the stay is kept with why it ended;
 * whoever closes a vote is told how many present have not voted and is
 * named in the journal. Each refusal is checked to change nothing. */
#define FX_PEOPLE 5
static const char *const people[] = { "amara", "bruno", "chen", "dora", "emil" };
#include "meeting_fixture.h"

#define WEEK (7 * 86400LL)

enum { AMARA, BRUNO, CHEN, DORA, EMIL };

/* as, at the moment now */
static void as_at(struct fx *f, struct gov_ctx *c, int who, int64_t now)
{
	f->now = now;
	as(f, c, who);
}

static int64_t scalar(struct fx *f, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = store_stmt(f->s, sql);
	sqlite3_bind_int64(st, 1, arg);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static int64_t journal_len(struct fx *f)
{
	return scalar(f, "SELECT count(*) + 0 * ? FROM journal", 0);
}

/* Harbour with a quorum of 3; amara founds it, bruno to dora join (emil
 * has an account, not a membership). */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || fx_harbour(f, "meet", "{\"default\":{\"kind\":\"simple_majority\","
			     "\"quorum\":{\"count\":3}}}",
			     "{\"rrule\":\"FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0\","
			     "\"tz\":\"Europe/Berlin\",\"place\":\"Fishermen's Hall\"}",
			     DORA + 1))
		return -1;
	*state = f;
	return 0;
}

static int64_t submit_as(struct fx *f, int who, int64_t now, const char *kind,
			 const char *title, const char *text, const char *params,
			 struct px_error *err)
{
	struct gov_ctx c;
	json_t *out = NULL, *p = params ? json_loads(params, 0, NULL) : NULL;
	struct motion_submit in = { kind, title, text, p, 0, 0 };
	as_at(f, &c, who, now);
	memset(err, 0, sizeof(*err));
	int rc = gov_motion_submit(&c, "harbour", &in, &out, err);
	json_decref(p);
	int64_t id = rc ? -rc : json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

static int64_t submit(struct fx *f, int who, int64_t now, const char *kind,
		      const char *title, const char *text, const char *params)
{
	struct px_error err;
	int64_t id = submit_as(f, who, now, kind, title, text, params, &err);
	if (id <= 0)
		fail_msg("submit %s: %s", kind, px_error_message(&err));
	return id;
}

/* who checks in at the first meeting with the code someone may read */
static void arrive(struct fx *f, int who, int64_t now)
{
	struct gov_ctx c;
	struct px_error err = { 0 };
	json_t *out = NULL;
	char code[16];
	as_at(f, &c, who, now);
	if (gov_meeting_code(&c, f->meeting, &out, &err)) {
		/* the room has started: someone in it reads the code */
		as_at(f, &c, AMARA, now);
		assert_int_equal(gov_meeting_code(&c, f->meeting, &out, &err), 0);
	}
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(out, "code")));
	json_decref(out);
	as_at(f, &c, who, now);
	assert_int_equal(gov_meeting_checkin(&c, f->meeting, code, &out, &err), 0);
	json_decref(out);
}

static int act_at(struct fx *f, int who, int64_t now, int64_t motion, const char *what,
	       const char *arg, struct px_error *err)
{
	struct gov_ctx c;
	json_t *out = NULL;
	int rc;
	struct px_error ignored;
	if (!err)
		err = &ignored;
	memset(err, 0, sizeof(*err));
	as_at(f, &c, who, now);
	if (!strcmp(what, "open"))
		rc = gov_vote_open(&c, motion, arg, &out, err);
	else if (!strcmp(what, "vote"))
		rc = gov_vote_cast(&c, motion, arg, &out, err);
	else if (!strcmp(what, "close"))
		rc = gov_vote_close(&c, motion, &out, err);
	else {
		json_t *counts = json_loads(arg, 0, NULL);
		rc = gov_vote_record_hands(&c, motion, counts, &out, err);
		json_decref(counts);
	}
	json_decref(out);
	return rc;
}

static int close_meeting(struct fx *f, int who, int64_t now, struct px_error *err,
			 char **minutes)
{
	struct gov_ctx c;
	json_t *out = NULL;
	memset(err, 0, sizeof(*err));
	as_at(f, &c, who, now);
	int rc = gov_meeting_close(&c, f->meeting, &out, err);
	if (!rc && minutes)
		*minutes = strdup(json_string_value(json_object_get(out, "minutes")));
	json_decref(out);
	return rc;
}

static const char *status_of(struct fx *f, int64_t motion)
{
	static char buf[32];
	sqlite3_stmt *st = store_stmt(f->s, "SELECT status FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return buf;
}

static int64_t closed_at(struct fx *f)
{
	return scalar(f, "SELECT coalesce(closed_at, 0) FROM meetings WHERE id = ?", f->meeting);
}

static json_t *meeting(struct fx *f, int who, int64_t now)
{
	struct gov_ctx c;
	struct px_error err = { 0 };
	json_t *out = NULL;
	as_at(f, &c, who, now);
	assert_int_equal(gov_meeting_get(&c, f->meeting, &out, &err), 0);
	return out;
}

static int leave(struct fx *f, int who, int64_t now)
{
	struct gov_ctx c;
	struct px_error err = { 0 };
	as_at(f, &c, who, now);
	return gov_member_leave(&c, "harbour", &err);
}

/* The case: the first to arrive, alone, cannot close the meeting;
 * nor can three while a motion is undecided; it closes once decided. */
static void test_meeting_one_member_alone_cannot_close_it(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t t = MEETING1 + 60;
	int64_t mo = submit(f, BRUNO, T0, "resolution", "Greet", "Hello.", NULL);
	arrive(f, AMARA, t);
	int64_t before = journal_len(f);
	assert_int_equal(close_meeting(f, AMARA, t + 1, &err, NULL), PX_E_MEETING_NO_QUORUM);
	assert_non_null(strstr(px_error_message(&err), "1 present and the quorum is 3"));
	assert_int_equal(journal_len(f), before);
	assert_int_equal(closed_at(f), 0);
	json_t *j = meeting(f, AMARA, t + 1);
	json_t *cl = json_object_get(j, "closing");
	assert_false(json_boolean_value(json_object_get(cl, "allowed")));
	assert_string_equal(json_string_value(json_object_get(cl, "code")), "meeting_no_quorum");
	assert_int_equal(json_integer_value(json_object_get(cl, "quorum")), 3);
	assert_string_equal(json_string_value(json_object_get(j, "state")), "open");
	json_decref(j);

	arrive(f, BRUNO, t + 2);
	arrive(f, CHEN, t + 3);
	assert_int_equal(close_meeting(f, AMARA, t + 4, &err, NULL), PX_E_MEETING_UNDECIDED);
	assert_int_equal(journal_len(f), before + 2); /* the two check-ins */
	assert_int_equal(closed_at(f), 0);
	j = meeting(f, AMARA, t + 4);
	cl = json_object_get(j, "closing");
	assert_string_equal(json_string_value(json_object_get(cl, "code")), "meeting_undecided");
	assert_int_equal(json_integer_value(json_object_get(cl, "undecided")), 1);
	json_decref(j);
	/* nor while its vote runs */
	assert_int_equal(act_at(f, AMARA, t + 5, mo, "open", "devices", NULL), 0);
	assert_int_equal(close_meeting(f, AMARA, t + 6, &err, NULL), PX_E_CONFLICT);
	for (int i = AMARA; i <= CHEN; i++)
		assert_int_equal(act_at(f, i, t + 7, mo, "vote", "yes", NULL), 0);
	assert_int_equal(act_at(f, BRUNO, t + 8, mo, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, mo), "adopted");
	j = meeting(f, DORA, t + 9);
	assert_true(json_boolean_value(json_object_get(json_object_get(j, "closing"), "allowed")));
	json_decref(j);
	/* dora, at home, holds no duty there; chen in the room does */
	assert_int_equal(close_meeting(f, DORA, t + 9, &err, NULL), PX_E_FORBIDDEN);
	assert_int_equal(close_meeting(f, CHEN, t + 10, &err, NULL), 0);
	assert_int_equal(closed_at(f), t + 10);
}

/* Without quorum the meeting stays open until it lapses; then it can be
 * closed (its minutes written), and nothing was decided at it. */
static void test_meeting_without_quorum_stays_open_until_it_lapses(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t mo = submit(f, BRUNO, T0, "resolution", "Greet", "Hello.", NULL);
	arrive(f, AMARA, MEETING1 + 60);
	int64_t last = MEETING1 + MEETING_OPEN_HOURS * 3600 - 1;
	assert_int_equal(close_meeting(f, AMARA, last, &err, NULL), PX_E_MEETING_NO_QUORUM);
	char *md = NULL;
	assert_int_equal(close_meeting(f, AMARA, last + 1, &err, &md), 0);
	assert_non_null(strstr(md, "not reached; carried to the next meeting"));
	free(md);
	/* the motion went to the next meeting */
	assert_int_not_equal(scalar(f, "SELECT meeting_id FROM motions WHERE id = ?", mo), f->meeting);
	assert_string_equal(status_of(f, mo), "submitted");
}

/* A motion to adjourn goes on the agenda of the meeting in session (this
 * assembly takes no other motion from the floor), is decided under the
 * assembly's rule, and adopted closes the meeting with its minutes; what
 * was not decided goes to the next meeting. */
static void test_meeting_adjourn_closes_it_and_carries_the_rest(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t t = MEETING1 + 60;
	int64_t left = submit(f, BRUNO, T0, "resolution", "Later", "Not today.", NULL);
	/* before the meeting there is nothing to adjourn */
	int64_t before = journal_len(f);
	assert_int_equal(submit_as(f, AMARA, T0 + 5, "adjourn", "Adjourn", "", NULL, &err),
			 -PX_E_NOT_OPEN);
	assert_string_equal(err.field, "kind");
	assert_int_equal(submit_as(f, AMARA, t, "adjourn", "Adjourn", "",
				   "{\"until\":\"never\"}", &err), -PX_E_UNKNOWN_FIELD);
	assert_string_equal(err.field, "params");
	assert_int_equal(journal_len(f), before);

	arrive(f, AMARA, t);
	arrive(f, BRUNO, t);
	arrive(f, CHEN, t);
	/* a floor motion of another kind goes to the next meeting */
	int64_t other = submit(f, CHEN, t + 1, "resolution", "Other", "Next time.", NULL);
	assert_int_not_equal(scalar(f, "SELECT meeting_id FROM motions WHERE id = ?", other), f->meeting);
	int64_t adj = submit(f, AMARA, t + 2, "adjourn", "Adjourn", "", NULL);
	assert_int_equal(scalar(f, "SELECT meeting_id FROM motions WHERE id = ?", adj), f->meeting);

	/* rejected: the meeting goes on */
	assert_int_equal(act_at(f, AMARA, t + 3, adj, "open", "devices", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 4, adj, "vote", "yes", NULL), 0);
	assert_int_equal(act_at(f, BRUNO, t + 4, adj, "vote", "no", NULL), 0);
	assert_int_equal(act_at(f, CHEN, t + 4, adj, "vote", "no", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 5, adj, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, adj), "rejected");
	assert_int_equal(closed_at(f), 0);

	int64_t adj2 = submit(f, BRUNO, t + 6, "adjourn", "Adjourn now", "", NULL);
	assert_int_equal(act_at(f, BRUNO, t + 7, adj2, "open", "devices", NULL), 0);
	for (int i = AMARA; i <= CHEN; i++)
		assert_int_equal(act_at(f, i, t + 8, adj2, "vote", "yes", NULL), 0);
	assert_int_equal(act_at(f, CHEN, t + 9, adj2, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, adj2), "adopted");
	assert_int_equal(closed_at(f), t + 9);
	/* the minutes record the adjournment as adopted */
	char *md = NULL;
	struct gov_ctx c;
	as_at(f, &c, DORA, t + 10);
	assert_int_equal(gov_meeting_minutes(&c, f->meeting, "md", &md, &err), 0);
	assert_non_null(strstr(md, "Adjourn now"));
	assert_non_null(strstr(md, "**Status: not reached; carried to the next meeting.**"));
	free(md);
	assert_int_not_equal(scalar(f, "SELECT meeting_id FROM motions WHERE id = ?", left), f->meeting);
	assert_string_equal(status_of(f, left), "submitted");
	/* the journal: the close names the decision and who closed the vote */
	assert_int_equal(scalar(f, "SELECT json_extract(payload, '$.adjourned_by') FROM journal"
				" WHERE action = 'meeting.close' AND json_extract(payload,"
				" '$.meeting') = ?", f->meeting), adj2);
	assert_int_equal(scalar(f, "SELECT count(*) FROM journal WHERE action = 'motion.decide'"
				" AND actor = 'chen' AND json_extract(payload, '$.motion') = ?",
				adj2), 1);
	/* nothing more is decided there */
	assert_int_equal(close_meeting(f, AMARA, t + 11, &err, NULL), PX_E_NOT_OPEN);
}

/* The case: three check in, two leave the assembly, and the one
 * left cannot enact a law under a quorum of 3. The stays are kept. */
static void test_meeting_members_who_leave_stop_counting_at_once(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	struct gov_ctx c;
	json_t *out = NULL;
	int64_t t = MEETING1 + 60;
	int64_t law = submit(f, AMARA, T0, "enact_law", "Quiet hours", "No noise after 22:00.", NULL);
	arrive(f, AMARA, t);
	arrive(f, BRUNO, t);
	arrive(f, CHEN, t);
	assert_int_equal(act_at(f, AMARA, t + 1, law, "open", "devices", NULL), 0);
	assert_int_equal(act_at(f, CHEN, t + 2, law, "vote", "no", NULL), 0);
	as_at(f, &c, AMARA, t + 2);
	assert_int_equal(gov_vote_counts(&c, law, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "not_voted")), 2);
	json_decref(out);
	assert_int_equal(leave(f, BRUNO, t + 3), 0);
	assert_int_equal(leave(f, CHEN, t + 4), 0);
	/* chen's open ballot is taken back with their presence */
	assert_int_equal(scalar(f, "SELECT count(*) FROM votes WHERE motion_id = ?", law), 0);
	assert_int_equal(scalar(f, "SELECT json_extract(payload, '$.withdrawn') FROM journal"
				" WHERE action = 'meeting.depart' AND actor = 'chen' AND ? > 0",
				1), 1);
	as_at(f, &c, AMARA, t + 5);
	assert_int_equal(gov_vote_counts(&c, law, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "present")), 1);
	assert_int_equal(json_integer_value(json_object_get(out, "not_voted")), 1);
	json_decref(out);
	assert_int_equal(act_at(f, AMARA, t + 5, law, "vote", "yes", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 6, law, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, law), "no_quorum");
	assert_int_equal(scalar(f, "SELECT count(*) FROM laws WHERE ? > 0", 1), 0);

	/* the record: both stays kept, ended, with why */
	assert_int_equal(scalar(f, "SELECT count(*) FROM attendance WHERE meeting_id = ?", f->meeting), 3);
	assert_int_equal(scalar(f, "SELECT count(*) FROM attendance WHERE meeting_id = ?"
				" AND left_reason = 'left' AND left_at IS NOT NULL", f->meeting), 2);
	json_t *j = meeting(f, AMARA, t + 7);
	assert_int_equal(json_array_size(json_object_get(j, "present")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "attendance")), 1);
	json_t *gone = json_object_get(j, "departed");
	assert_int_equal(json_array_size(gone), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(gone, 0), "reason")),
			    "left");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(gone, 0), "left_at")),
			 t + 3);
	/* and the one left cannot close the meeting either */
	assert_false(json_boolean_value(json_object_get(json_object_get(j, "closing"), "allowed")));
	json_decref(j);
	assert_int_equal(close_meeting(f, AMARA, t + 8, &err, NULL), PX_E_MEETING_NO_QUORUM);

	/* chen joins again and checks in again: a second stay */
	as_at(f, &c, CHEN, t + 9);
	assert_int_equal(gov_member_join(&c, "harbour", 1, "lives", &out, &err), 0);
	json_decref(out);
	arrive(f, CHEN, t + 10);
	assert_int_equal(scalar(f, "SELECT count(*) FROM attendance WHERE meeting_id = ?", f->meeting), 4);
	j = meeting(f, AMARA, t + 11);
	assert_int_equal(json_array_size(json_object_get(j, "present")), 2);
	json_decref(j);
	/* the minutes show who arrived and who left, and why */
	arrive(f, DORA, t + 12);
	char *md = NULL;
	assert_int_equal(close_meeting(f, AMARA, MEETING1 + MEETING_OPEN_HOURS * 3600, &err,
				       &md), 0);
	/* (times in the assembly's zone: 18:01 UTC is 19:01 in Berlin) */
	assert_non_null(strstr(md, "bruno (@bruno), arrived Tuesday 3 March 2026 at 19:01;"
			       " left Tuesday 3 March 2026 at 19:01: left the assembly"));
	assert_non_null(strstr(md, "3 members present at the close; 2 stays ended"));
	free(md);
}

/* An exclusion ends presence but never deletes the stay: the minutes list
 * everyone whose votes they show. */
static void test_meeting_exclusion_keeps_the_record(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t t = MEETING1 + 60;
	/* secret ballot by default for exclusions */
	int64_t ex = submit(f, AMARA, T0, "exclude_member", "Exclude dora", "",
			    "{\"member\":\"dora\",\"reasons\":\"Works to restore class"
			    " inequality.\",\"hearing\":\"Dora spoke on 1 March.\"}");
	for (int i = AMARA; i <= DORA; i++)
		arrive(f, i, t);
	assert_int_equal(act_at(f, AMARA, t + 1, ex, "open", "devices", NULL), 0);
	for (int i = AMARA; i <= DORA; i++)
		assert_int_equal(act_at(f, i, t + 2, ex, "vote", i == DORA ? "no" : "yes", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 3, ex, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, ex), "adopted");
	assert_int_equal(scalar(f, "SELECT count(*) FROM attendance WHERE meeting_id = ?", f->meeting), 4);
	assert_int_equal(scalar(f, "SELECT count(*) FROM attendance WHERE meeting_id = ?"
				" AND left_reason = 'excluded'", f->meeting), 1);
	assert_int_equal(scalar(f, "SELECT count(*) FROM journal WHERE action = 'meeting.depart'"
				" AND json_extract(payload, '$.reason') = 'excluded'"
				" AND json_extract(payload, '$.motion') = ?", ex), 1);
	json_t *j = meeting(f, AMARA, t + 4);
	assert_int_equal(json_integer_value(json_object_get(j, "attendance")), 3);
	json_decref(j);
	char *md = NULL;
	assert_int_equal(close_meeting(f, AMARA, t + 5, &err, &md), 0);
	assert_non_null(strstr(md, "dora (@dora), arrived"));
	assert_non_null(strstr(md, "was excluded by decision of the assembly"));
	free(md);
}

/* A secret ballot cannot be taken back: when its voter leaves, it stands
 * and they count as present for that vote alone; an open ballot is taken
 * back (above). */
static void test_meeting_secret_ballot_of_one_who_left_stands(void **state)
{
	struct fx *f = *state;
	int64_t t = MEETING1 + 60;
	int64_t ex = submit(f, AMARA, T0, "exclude_member", "Exclude dora", "",
			    "{\"member\":\"dora\",\"reasons\":\"Works to restore class"
			    " inequality.\",\"hearing\":\"Dora spoke on 1 March.\"}");
	arrive(f, AMARA, t);
	arrive(f, BRUNO, t);
	arrive(f, CHEN, t);
	assert_int_equal(act_at(f, AMARA, t + 1, ex, "open", "devices", NULL), 0);
	for (int i = AMARA; i <= CHEN; i++)
		assert_int_equal(act_at(f, i, t + 2, ex, "vote", "yes", NULL), 0);
	assert_int_equal(leave(f, CHEN, t + 3), 0);
	int64_t n = 0;
	assert_int_equal(meeting_present_for_vote(f->s, f->meeting, ex, 1, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(meeting_attendance(f->s, f->meeting, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(act_at(f, AMARA, t + 4, ex, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, ex), "adopted");
}

/* The ceiling of a show of hands is who is present now; hands counted
 * before someone left are counted again. */
static void test_meeting_show_of_hands_counts_only_who_is_present(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t t = MEETING1 + 60;
	int64_t mo = submit(f, AMARA, T0, "resolution", "Hands", "By hands.", NULL);
	for (int i = AMARA; i <= DORA; i++)
		arrive(f, i, t);
	assert_int_equal(act_at(f, AMARA, t + 1, mo, "open", "hands", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 2, mo, "hands", "{\"yes\":4}", NULL), 0);
	assert_int_equal(leave(f, DORA, t + 3), 0);
	int64_t before = journal_len(f);
	assert_int_equal(act_at(f, AMARA, t + 4, mo, "close", NULL, &err), PX_E_CONFLICT);
	assert_non_null(strstr(px_error_message(&err), "record the show of hands again"));
	assert_int_equal(journal_len(f), before);
	assert_string_equal(status_of(f, mo), "voting");
	assert_int_equal(act_at(f, AMARA, t + 5, mo, "hands", "{\"yes\":4}", &err),
			 PX_E_OUT_OF_RANGE);
	assert_string_equal(err.field, "counts");
	assert_int_equal(act_at(f, AMARA, t + 6, mo, "hands", "{\"yes\":3}", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 7, mo, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, mo), "adopted");
}

/* Presence at a meeting that already closed is history: leaving later
 * changes nothing there. */
static void test_meeting_leaving_after_the_close_changes_no_record(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t t = MEETING1 + 60;
	for (int i = AMARA; i <= CHEN; i++)
		arrive(f, i, t);
	assert_int_equal(close_meeting(f, AMARA, t + 1, &err, NULL), 0);
	int64_t before = journal_len(f);
	assert_int_equal(leave(f, CHEN, t + 2), 0);
	assert_int_equal(journal_len(f), before + 1); /* member.leave only */
	assert_int_equal(scalar(f, "SELECT count(*) FROM attendance WHERE meeting_id = ?"
				" AND left_at IS NULL", f->meeting), 3);
}

/* A motion to adjourn adopted while another vote still runs cannot close
 * the meeting: its effect is void, with the reason, and the meeting goes
 * on; a meeting not yet begun cannot be closed at all. */
static void test_meeting_adjourn_is_void_while_another_vote_runs(void **state)
{
	struct fx *f = *state;
	struct px_error err;
	int64_t t = MEETING1 + 60;
	assert_int_equal(close_meeting(f, AMARA, MEETING1 - 60, &err, NULL), PX_E_NOT_OPEN);
	int64_t mo = submit(f, BRUNO, T0, "resolution", "Greet", "Hello.", NULL);
	for (int i = AMARA; i <= CHEN; i++)
		arrive(f, i, t);
	int64_t adj = submit(f, AMARA, t + 1, "adjourn", "Adjourn", "", NULL);
	assert_int_equal(act_at(f, AMARA, t + 2, mo, "open", "devices", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 3, adj, "open", "devices", NULL), 0);
	for (int i = AMARA; i <= CHEN; i++)
		assert_int_equal(act_at(f, i, t + 4, adj, "vote", "yes", NULL), 0);
	assert_int_equal(act_at(f, AMARA, t + 5, adj, "close", NULL, NULL), 0);
	assert_string_equal(status_of(f, adj), "void");
	assert_int_equal(closed_at(f), 0);
	assert_string_equal(status_of(f, mo), "voting");
	assert_int_equal(scalar(f, "SELECT count(*) FROM journal WHERE action = 'meeting.close'"
				" AND ? > 0", 1), 0);
}

/* Whoever leaves the assembly leaves the speakers' queue with their
 * presence (the journal says so), and one who had the floor has it no
 * more; those still present keep their places. */
static void test_meeting_leaving_ends_a_place_in_the_speakers_queue(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	struct gov_ctx c;
	json_t *out = NULL;
	int64_t t = MEETING1 + 60;
	for (int i = AMARA; i <= DORA; i++)
		arrive(f, i, t);
	/* bruno has the floor; chen and dora wait */
	as_at(f, &c, BRUNO, t + 1);
	assert_int_equal(gov_speaker_join(&c, f->meeting, &out, &err), 0);
	json_decref(out);
	as_at(f, &c, AMARA, t + 2);
	assert_int_equal(gov_speaker_next(&c, f->meeting, &out, &err), 0);
	json_decref(out);
	as_at(f, &c, CHEN, t + 3);
	assert_int_equal(gov_speaker_join(&c, f->meeting, &out, &err), 0);
	json_decref(out);
	as_at(f, &c, DORA, t + 4);
	assert_int_equal(gov_speaker_join(&c, f->meeting, &out, &err), 0);
	json_decref(out);
	assert_int_equal(leave(f, CHEN, t + 5), 0);
	assert_int_equal(leave(f, BRUNO, t + 6), 0);
	as_at(f, &c, AMARA, t + 7);
	assert_int_equal(gov_speaker_list(&c, f->meeting, &out, &err), 0);
	json_t *queue = json_object_get(out, "queue");
	assert_int_equal(json_array_size(queue), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(queue, 0),
			    "handle")), "dora");
	assert_true(json_is_null(json_object_get(out, "speaking")));
	json_decref(out);
	assert_int_equal(scalar(f, "SELECT count(*) FROM journal WHERE action = 'meeting.depart'"
				" AND actor = 'chen' AND json_extract(payload, '$.left_queue')"
				" AND ? > 0", 1), 1);
	/* bruno had been called, not waiting: nothing to give up */
	assert_int_equal(scalar(f, "SELECT count(*) FROM journal WHERE action = 'meeting.depart'"
				" AND actor = 'bruno' AND json_extract(payload, '$.left_queue')"
				" IS NULL AND ? > 0", 1), 1);
	/* the next called is dora, the one still waiting */
	assert_int_equal(gov_speaker_next(&c, f->meeting, &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(out,
			    "speaking"), "handle")), "dora");
	json_decref(out);
}

static int deny_journal(void *arg, int action, const char *a1, const char *a2,
			const char *db, const char *trigger)
{
	(void)arg, (void)a2, (void)db, (void)trigger;
	return action == SQLITE_READ && a1 && !strcmp(a1, "journal") ? SQLITE_DENY : SQLITE_OK;
}

/* A motion changed by an adopted amendment keeps its text as submitted in
 * its own row: reading the motion finds it without reading the journal
 * (reads of the journal are refused here while it is read). */
static void test_meeting_original_text_is_read_without_the_journal(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	struct gov_ctx c;
	json_t *out = NULL;
	int64_t t = MEETING1 + 60;
	int64_t law = submit(f, AMARA, T0, "enact_law", "Quiet hours", "No noise after 22:00.",
			     NULL);
	struct motion_submit in = { "amendment", "Later", "No noise after 23:00.", NULL, law, 0 };
	as_at(f, &c, BRUNO, T0);
	assert_int_equal(gov_motion_submit(&c, "harbour", &in, &out, &err), 0);
	int64_t amd = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	for (int i = AMARA; i <= CHEN; i++)
		arrive(f, i, t);
	f->now = t; /* act() moves the clock a second per step */
	assert_int_equal(act(f, AMARA, amd, "open", "devices", &err), 0);
	for (int i = AMARA; i <= CHEN; i++)
		assert_int_equal(act(f, i, amd, "vote", "yes", &err), 0);
	assert_int_equal(act(f, AMARA, amd, "close", NULL, &err), 0);
	assert_string_equal(status_of(f, amd), "adopted");
	sqlite3_set_authorizer(store_db(f->s), deny_journal, NULL);
	as_at(f, &c, AMARA, f->now + 1);
	int rc = gov_motion_get(&c, law, &out, &err);
	sqlite3_set_authorizer(store_db(f->s), NULL, NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(json_string_value(json_object_get(out, "text")),
			    "No noise after 23:00.");
	assert_string_equal(json_string_value(json_object_get(out, "original_text")),
			    "No noise after 22:00.");
	assert_int_equal(json_array_size(json_object_get(out, "amended_by")), 1);
	json_decref(out);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_meeting_one_member_alone_cannot_close_it),
		T(test_meeting_without_quorum_stays_open_until_it_lapses),
		T(test_meeting_adjourn_closes_it_and_carries_the_rest),
		T(test_meeting_members_who_leave_stop_counting_at_once),
		T(test_meeting_exclusion_keeps_the_record),
		T(test_meeting_secret_ballot_of_one_who_left_stands),
		T(test_meeting_show_of_hands_counts_only_who_is_present),
		T(test_meeting_leaving_after_the_close_changes_no_record),
		T(test_meeting_adjourn_is_void_while_another_vote_runs),
		T(test_meeting_leaving_ends_a_place_in_the_speakers_queue),
		T(test_meeting_original_text_is_read_without_the_journal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
