/*
 * meeting_fixture.h: what the domain tests of federations share: a
 * database in a temporary folder, a clock the test controls, people who
 * act by name, and the steps of a decision at a meeting in session
 * (submit, check in with the room code, open, vote, close).
 *
 * The including test defines FX_PEOPLE and, before including this, the
 * people[] handles indexed like struct fx's ids; its setup() calls
 * fx_harbour for the common start (or writes its own). Everything here is
 * static, and a test need not use all of it: each test binary has its
 * copy.
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

#include "core/errors.h"
#include "gov/gov.h"
#include "gov/assembly/assembly.h"
#include "gov/people/people.h"
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
	int64_t meeting; /* the first meeting of harbour (fx_harbour) */
};

/* A test uses what it needs of these. */
#define FX_MAYBE_UNUSED __attribute__((unused))

FX_MAYBE_UNUSED static const char rule[] = "{\"default\":{\"kind\":\"simple_majority\"}}";
FX_MAYBE_UNUSED static const char sched[] = "{\"rrule\":\"FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0\","
	"\"tz\":\"Europe/Berlin\",\"place\":\"Hall\",\"floor_motions\":true}";

FX_MAYBE_UNUSED static void as(struct fx *f, struct gov_ctx *c, int who)
{
	memset(c, 0, sizeof(*c));
	c->db = f->s;
	c->now = f->now;
	if (who >= 0) {
		c->account_id = f->ids[who];
		snprintf(c->handle, sizeof(c->handle), "%s", people[who]);
	}
}

FX_MAYBE_UNUSED static int teardown(void **state)
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
FX_MAYBE_UNUSED static int submit_rc(struct fx *f, const char *slug, int who, const char *kind,
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

FX_MAYBE_UNUSED static int64_t meeting_of(struct fx *f, int64_t motion)
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
FX_MAYBE_UNUSED static json_t *code_for(struct fx *f, struct gov_ctx *c, int64_t m)
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
FX_MAYBE_UNUSED static void attend(struct fx *f, int who, int64_t motion)
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

FX_MAYBE_UNUSED static int act(struct fx *f, int who, int64_t motion, const char *what,
			       const char *arg, struct px_error *err)
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

FX_MAYBE_UNUSED static int fx_failed(const char *step, const struct px_error *err)
{
	fprintf(stderr, "setup: %s: %s\n", step, px_error_message(err));
	return -1;
}

/* The common start, at T0: a store in a new folder named after prefix,
 * the community harbour, an account for each of people[], the assembly
 * harbour founded by people[0] with the rule and schedule given (JSON
 * text), people[1..members-1] joining it; f->meeting its first meeting. */
FX_MAYBE_UNUSED static int fx_harbour(struct fx *f, const char *prefix, const char *rule_json,
				      const char *sched_json, int members)
{
	struct px_error err = { 0 };
	struct gov_ctx c;
	json_t *out = NULL;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-%s-XXXXXX", prefix);
	if (!mkdtemp(f->dir))
		return fx_failed("mkdtemp", &err);
	snprintf(f->path, sizeof(f->path), "%s/%s.db", f->dir, prefix);
	if (store_open(f->path, STORE_CREATE, &f->s, &err))
		return fx_failed("store_open", &err);
	f->now = T0;
	as(f, &c, -1);
	c.operator = 1;
	if (gov_community_add(&c, "harbour", "Harbour", 18400, &out, &err))
		return fx_failed("community", &err);
	json_decref(out);
	c.operator = 0;
	for (int i = 0; i < FX_PEOPLE; i++) {
		if (gov_account_create(&c, people[i], people[i], "a long passphrase", &out, &err))
			return fx_failed(people[i], &err);
		json_decref(out);
		sqlite3_stmt *st = store_stmt(f->s, "SELECT id FROM accounts WHERE handle = ?");
		sqlite3_bind_text(st, 1, people[i], -1, SQLITE_STATIC);
		if (store_int64(st, &f->ids[i], NULL))
			return fx_failed("account id", &err);
	}
	json_t *r = json_loads(rule_json, 0, NULL), *sc = json_loads(sched_json, 0, NULL);
	struct body_found in = { "Harbour Assembly", NULL, "harbour", "We meet as equals.",
				 r, sc, NULL, NULL };
	as(f, &c, 0);
	int rc = gov_body_found(&c, &in, &out, &err);
	json_decref(r);
	json_decref(sc);
	if (rc)
		return fx_failed("found", &err);
	json_decref(out);
	for (int i = 1; i < members; i++) {
		as(f, &c, i);
		if (gov_member_join(&c, "harbour", 1, "lives", &out, &err))
			return fx_failed("join", &err);
		json_decref(out);
	}
	as(f, &c, 0);
	if (gov_meeting_list(&c, "harbour", &out, &err))
		return fx_failed("meetings", &err);
	f->meeting = json_integer_value(json_object_get(json_array_get(
		json_object_get(out, "upcoming"), 0), "id"));
	json_decref(out);
	return 0;
}

#endif
