/*
 * meeting_fixture.h: what the domain tests of federations share: a
 * database in a temporary folder, a clock the test controls, people who
 * act by name, and the steps of a decision at a meeting in session
 * (submit, check in with the room code, open, vote, close).
 *
 * The including test defines FX_PEOPLE and, before including this, the
 * people[] handles indexed like struct fx's ids; it writes its own
 * setup(). Everything here is static: each test binary has its copy.
 */
#ifndef PNYX_TEST_MEETING_FIXTURE_H
#define PNYX_TEST_MEETING_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gov/gov.h"
#include "gov/procedure/procedure.h"
#include "store/journal.h"
#include "store/store.h"

/* Monday 2 March 2026, 10:00 UTC; the meetings are Tuesdays 19:00 in
 * Berlin (18:00 UTC), the first on 3 March. */
#define T0 1772445600LL
#define MEETING1 (T0 + 32 * 3600)

struct fx {
	char dir[64], path[128];
	struct store *s;
	int64_t ids[FX_PEOPLE];
	int64_t now;
};

static const char rule[] = "{\"default\":{\"kind\":\"simple_majority\"}}";
static const char sched[] = "{\"rrule\":\"FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0\","
	"\"tz\":\"Europe/Berlin\",\"place\":\"Hall\",\"floor_motions\":true}";

static void as(struct fx *f, struct gov_ctx *c, int who)
{
	memset(c, 0, sizeof(*c));
	c->db = f->s;
	c->now = f->now;
	if (who >= 0) {
		c->account_id = f->ids[who];
		snprintf(c->handle, sizeof(c->handle), "%s", people[who]);
	}
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[200];
	struct journal_report r;
	int ok = journal_verify(f->s, &r) == 0 && r.ok;
	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0 || !ok)
		return -1;
	free(f);
	return 0;
}

/* Submit; returns the code, *id the motion, err the refusal. */
static int submit_rc(struct fx *f, const char *slug, int who, const char *kind,
		     const char *title, const char *text, const char *params,
		     int64_t *id, struct px_error *err)
{
	struct gov_ctx c;
	json_t *out = NULL, *p = params ? json_loads(params, 0, NULL) : NULL;
	struct motion_submit in = { kind, title, text, p, 0, 0 };
	f->now++;
	as(f, &c, who);
	memset(err, 0, sizeof(*err));
	int rc = gov_motion_submit(&c, slug, &in, &out, err);
	json_decref(p);
	if (!rc && id)
		*id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return rc;
}

static int64_t meeting_of(struct fx *f, int64_t motion)
{
	sqlite3_stmt *st = store_stmt(f->s, "SELECT meeting_id FROM motions WHERE id = ?");
	sqlite3_bind_int64(st, 1, motion);
	sqlite3_step(st);
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* The room code of meeting m, read as the domain allows: by the caller,
 * or once someone is checked in, by someone in the room. */
static json_t *code_for(struct fx *f, struct gov_ctx *c, int64_t m)
{
	struct px_error err = { 0 };
	json_t *out = NULL;
	if (!gov_meeting_code(c, m, &out, &err))
		return out;
	struct gov_ctx in_room = *c;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT account_id FROM attendance"
				      " WHERE meeting_id = ? LIMIT 1");
	sqlite3_bind_int64(st, 1, m);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	in_room.account_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gov_meeting_code(&in_room, m, &out, &err), 0);
	return out;
}

/* who checks in at the motion's meeting (again is harmless) */
static void attend(struct fx *f, int who, int64_t motion)
{
	struct gov_ctx c;
	struct px_error err = { 0 };
	json_t *out = NULL;
	int64_t m = meeting_of(f, motion);
	as(f, &c, who);
	out = code_for(f, &c, m);
	char code[16];
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(out, "code")));
	json_decref(out);
	out = NULL;
	assert_int_equal(gov_meeting_checkin(&c, m, code, &out, &err), 0);
	json_decref(out);
}

static int act(struct fx *f, int who, int64_t motion, const char *what, const char *arg,
	       struct px_error *err)
{
	struct gov_ctx c;
	json_t *out = NULL;
	int rc;
	f->now++;
	as(f, &c, who);
	memset(err, 0, sizeof(*err));
	if (!strcmp(what, "open"))
		rc = gov_vote_open(&c, motion, arg, &out, err);
	else if (!strcmp(what, "vote"))
		rc = gov_vote_cast(&c, motion, arg, &out, err);
	else
		rc = gov_vote_close(&c, motion, &out, err);
	json_decref(out);
	return rc;
}

#endif
