/* Enterprises through the domain layer (src/gov/economy, docs/economy.md):
 * founded by a member of the local assembly, who is its first member;
 * co-founders admitted and joining by their own act, once; the slug made
 * from the name; each refusal of the founding; the basis "works" of the
 * local assembly naming an enterprise of its community the person works
 * in, and nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/people/people.h"
#include "gov/assembly/assembly.h"
#include "gov/economy/economy.h"
#include "store/journal.h"
#include "store/store.h"

/* Monday 2 March 2026, 10:00 UTC. */
#define T0 1772445600LL

struct fx {
	char dir[64], path[128];
	struct store *s;
	int64_t ids[4];
};

/* amara founds the Harbour assembly, bruno joins it; chen and dora do not */
static const char *const people[] = { "amara", "bruno", "chen", "dora" };

static void as(struct fx *f, struct gov_ctx *c, int who, int64_t now)
{
	memset(c, 0, sizeof(*c));
	c->db = f->s;
	c->now = now;
	if (who >= 0) {
		c->account_id = f->ids[who];
		snprintf(c->handle, sizeof(c->handle), "%s", people[who]);
	}
}

static json_t *rule(void)
{
	return json_loads("{\"default\":{\"kind\":\"consent\"}}", 0, NULL);
}

static json_t *schedule(void)
{
	return json_pack("{s:s, s:s, s:s}", "rrule", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=7;BYMINUTE=0",
			 "tz", "Europe/Lisbon", "place", "The bakehouse");
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct px_error err = { 0 };
	struct gov_ctx c;
	json_t *out;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pnyx-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/e.db", f->dir);
	if (store_open(f->path, STORE_CREATE, &f->s, &err))
		return -1;
	as(f, &c, -1, T0);
	c.operator = 1;
	if (gov_community_add(&c, "harbour", "Harbour", 18400, &out, &err))
		return -1;
	json_decref(out);
	if (gov_community_add(&c, "hill", "Hill", 900, &out, &err))
		return -1;
	json_decref(out);
	c.operator = 0;
	for (int i = 0; i < 4; i++) {
		if (gov_account_create(&c, people[i], people[i], "a long passphrase", &out, &err))
			return -1;
		json_decref(out);
		sqlite3_stmt *st = store_stmt(f->s, "SELECT id FROM accounts WHERE handle = ?");
		sqlite3_bind_text(st, 1, people[i], -1, SQLITE_STATIC);
		sqlite3_step(st);
		f->ids[i] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	json_t *r = rule(), *sched = schedule();
	struct body_found in = { "Harbour Assembly", NULL, "harbour", "We meet as equals.",
				 r, sched, NULL, NULL };
	as(f, &c, 0, T0);
	int rc = gov_body_found(&c, &in, &out, &err);
	json_decref(out);
	if (!rc) {
		as(f, &c, 1, T0);
		rc = gov_member_join(&c, "harbour", 1, "lives", &out, &err);
		json_decref(out);
	}
	json_decref(r);
	json_decref(sched);
	if (rc)
		return -1;
	*state = f;
	return 0;
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

/* who founds "The Corner Bakery" in community with founders; *out set */
static int found(struct fx *f, int who, const char *community, const char *slug,
		 const char *founders, json_t **out, struct px_error *err)
{
	struct gov_ctx c;
	json_t *r = rule(), *sched = schedule();
	json_t *fs = founders ? json_loads(founders, 0, NULL) : NULL;
	struct enterprise_found in = { "The Corner Bakery", slug, community,
		"Bread for the harbour.", "Bread, 400 loaves a day", r, sched, fs };
	as(f, &c, who, T0 + 60);
	int rc = gov_enterprise_found(&c, &in, out, err);
	json_decref(r);
	json_decref(sched);
	json_decref(fs);
	return rc;
}

static int64_t journal_length(struct fx *f)
{
	int64_t n = 0;
	sqlite3_stmt *st = store_stmt(f->s, "SELECT count(*) FROM journal");
	assert_int_equal(store_int64(st, &n, NULL), 0);
	return n;
}

static void test_economy_founder_is_first_member_and_cofounders_are_admitted(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	json_t *out = NULL;
	assert_int_equal(found(f, 1, "harbour", NULL, "[\"chen\"]", &out, &err), 0);
	/* the slug from the name */
	assert_string_equal(json_string_value(json_object_get(out, "slug")),
			    "the-corner-bakery");
	json_t *members = json_object_get(out, "member_list");
	assert_int_equal(json_array_size(members), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(members, 0),
							       "handle")), "bruno");
	json_t *admitted = json_object_get(out, "admitted");
	assert_int_equal(json_array_size(admitted), 1);
	assert_true(json_is_null(json_object_get(json_array_get(admitted, 0), "motion")));
	json_decref(out);

	/* chen joins once on the admission; dora, never admitted, cannot */
	struct gov_ctx c;
	as(f, &c, 2, T0 + 120);
	assert_int_equal(gov_member_join(&c, "the-corner-bakery", 1, "works", &out, &err), 0);
	json_decref(out);
	as(f, &c, 2, T0 + 180);
	assert_int_equal(gov_member_leave(&c, "the-corner-bakery", &err), 0);
	int64_t n = journal_length(f);
	err = (struct px_error){ 0 };
	assert_int_equal(gov_member_join(&c, "the-corner-bakery", 1, "works", &out, &err),
			 PX_E_ENTERPRISE_NOT_ADMITTED);
	as(f, &c, 3, T0 + 180);
	assert_int_equal(gov_member_join(&c, "the-corner-bakery", 1, "works", &out, &err),
			 PX_E_ENTERPRISE_NOT_ADMITTED);
	assert_int_equal(journal_length(f), n);
}

static void test_economy_founding_refusals(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	json_t *out = NULL;
	int64_t n = journal_length(f);
	/* chen is no member of Harbour's assembly */
	assert_int_equal(found(f, 2, "harbour", "bakery", NULL, &out, &err),
			 PX_E_ENTERPRISE_NOT_LOCAL);
	assert_string_equal(err.field, "community");
	/* Hill has no assembly yet */
	err = (struct px_error){ 0 };
	assert_int_equal(found(f, 0, "hill", "bakery", NULL, &out, &err),
			 PX_E_ENTERPRISE_NO_ASSEMBLY);
	err = (struct px_error){ 0 };
	assert_int_equal(found(f, 0, "nowhere", "bakery", NULL, &out, &err), PX_E_NOT_FOUND);
	assert_string_equal(err.field, "community");
	/* the founder among the founders, someone unknown, a slug taken */
	err = (struct px_error){ 0 };
	assert_int_equal(found(f, 0, "harbour", "bakery", "[\"amara\"]", &out, &err),
			 PX_E_BAD_INPUT);
	assert_string_equal(err.field, "founders");
	err = (struct px_error){ 0 };
	assert_int_equal(found(f, 0, "harbour", "bakery", "[\"nobody\"]", &out, &err),
			 PX_E_NOT_FOUND);
	assert_string_equal(err.field, "founders");
	err = (struct px_error){ 0 };
	assert_int_equal(found(f, 0, "harbour", "harbour", NULL, &out, &err), PX_E_EXISTS);
	assert_string_equal(err.field, "slug");
	/* nobody signed in */
	struct gov_ctx c;
	json_t *r = rule(), *sched = schedule();
	struct enterprise_found in = { "X", "x-works", "harbour", "P", "Q", r, sched, NULL };
	as(f, &c, -1, T0);
	err = (struct px_error){ 0 };
	assert_int_equal(gov_enterprise_found(&c, &in, &out, &err), PX_E_UNAUTHENTICATED);
	json_decref(r);
	json_decref(sched);
	assert_null(out);
	assert_int_equal(journal_length(f), n);
}

static void test_economy_works_names_an_enterprise_of_the_community(void **state)
{
	struct fx *f = *state;
	struct px_error err = { 0 };
	json_t *out = NULL;
	assert_int_equal(found(f, 0, "harbour", "bakery", "[\"dora\"]", &out, &err), 0);
	json_decref(out);
	struct gov_ctx c;
	/* dora is not yet a member of the bakery: no basis there */
	as(f, &c, 3, T0 + 120);
	assert_int_equal(gov_member_join_as(&c, "harbour", 1, "works", "bakery", &out, &err),
			 PX_E_CONFLICT);
	assert_string_equal(err.field, "enterprise");
	assert_int_equal(gov_member_join(&c, "bakery", 1, "works", &out, &err), 0);
	json_decref(out);
	/* "lives" naming an enterprise, and an enterprise that is not one */
	err = (struct px_error){ 0 };
	assert_int_equal(gov_member_join_as(&c, "harbour", 1, "lives", "bakery", &out, &err),
			 PX_E_BAD_INPUT);
	err = (struct px_error){ 0 };
	assert_int_equal(gov_member_join_as(&c, "harbour", 1, "works", "harbour", &out, &err),
			 PX_E_NOT_FOUND);
	assert_int_equal(gov_member_join_as(&c, "harbour", 1, "works", "bakery", &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(out, "enterprise")), "bakery");
	json_decref(out);
	assert_int_equal(gov_member_list(&c, "harbour", &out, &err), 0);
	size_t i;
	json_t *m;
	int seen = 0;
	json_array_foreach(out, i, m)
		if (!strcmp(json_string_value(json_object_get(m, "handle")), "dora")) {
			assert_string_equal(json_string_value(json_object_get(m, "enterprise")),
					    "bakery");
			seen = 1;
		}
	assert_true(seen);
	json_decref(out);
	/* an enterprise is joined on the basis "works" only */
	as(f, &c, 2, T0 + 200);
	err = (struct px_error){ 0 };
	assert_int_equal(gov_member_join(&c, "bakery", 1, "lives", &out, &err), PX_E_BAD_INPUT);
	assert_string_equal(err.field, "basis");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_economy_founder_is_first_member_and_cofounders_are_admitted,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_economy_founding_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_economy_works_names_an_enterprise_of_the_community, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
