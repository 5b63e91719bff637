/* Unit tests for src/http/events_diff.c: what changed between two readings
 * of a live meeting (or proposal), as the small events streams receive. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <jansson.h>

#include "http/events_diff.h"

struct got {
	enum ev_kind kind[16];
	int64_t key[16];
	char *data[16];
	size_t n;
};

static int keep(void *arg, enum ev_kind kind, int64_t key, json_t *data)
{
	struct got *g = arg;
	assert_true(g->n < 16);
	g->kind[g->n] = kind;
	g->key[g->n] = key;
	g->data[g->n++] = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(data);
	return 0;
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->data[i]);
}

/* The differences from old to now, both given as JSON text. */
static void diff(enum events_topic t, const char *old, const char *now, struct got *g)
{
	json_t *a = json_loads(old, 0, NULL), *b = json_loads(now, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	memset(g, 0, sizeof(*g));
	assert_int_equal(ev_diff(t, a, b, keep, g), 0);
	json_decref(a);
	json_decref(b);
}

#define AGENDA "\"agenda\":[{\"id\":1,\"status\":\"voting\"},{\"id\":2,\"status\":\"submitted\"}]"
#define MEETING(extra) "{\"meeting\":{\"id\":9,\"state\":\"open\",\"attendance\":1," \
	"\"present\":[{\"handle\":\"ana\",\"display_name\":\"Ana\"}],\"departed\":[]," AGENDA extra "},"

static void test_nothing_changed_is_no_event(void **state)
{
	(void)state;
	struct got g;
	const char *r = MEETING("") "\"votes\":[{\"motion\":1,\"voted\":0}]}";
	diff(EVENTS_MEETING, r, r, &g);
	assert_int_equal(g.n, 0);
}

static void test_a_vote_is_the_counts_of_its_motion_only(void **state)
{
	(void)state;
	struct got g;
	diff(EVENTS_MEETING, MEETING("") "\"votes\":[{\"motion\":1,\"voted\":0}]}",
	     MEETING("") "\"votes\":[{\"motion\":1,\"voted\":1}]}", &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.kind[0], EV_COUNTS);
	assert_int_equal(g.key[0], 1);
	assert_string_equal(g.data[0], "{\"motion\":1,\"voted\":1}");
	assert_true(ev_last_wins(EV_COUNTS));
	got_free(&g);
}

static void test_a_closed_vote_ends_and_its_item_changes(void **state)
{
	(void)state;
	struct got g;
	diff(EVENTS_MEETING, MEETING("") "\"votes\":[{\"motion\":1,\"voted\":3}]}",
	     "{\"meeting\":{\"id\":9,\"state\":\"open\",\"attendance\":1,"
	     "\"present\":[{\"handle\":\"ana\",\"display_name\":\"Ana\"}],\"departed\":[],"
	     "\"agenda\":[{\"id\":1,\"status\":\"adopted\"},{\"id\":2,\"status\":\"submitted\"}]},"
	     "\"votes\":[]}", &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.kind[0], EV_ITEM);
	assert_int_equal(g.key[0], 1);
	assert_string_equal(g.data[0], "{\"id\":1,\"status\":\"adopted\"}");
	assert_int_equal(g.kind[1], EV_COUNTS);
	assert_string_equal(g.data[1], "{\"ended\":true,\"motion\":1}");
	got_free(&g);
}

static void test_a_reordered_agenda_is_sent_whole(void **state)
{
	(void)state;
	struct got g;
	diff(EVENTS_MEETING, MEETING("") "\"votes\":[]}",
	     "{\"meeting\":{\"id\":9,\"state\":\"open\",\"attendance\":1,"
	     "\"present\":[{\"handle\":\"ana\",\"display_name\":\"Ana\"}],\"departed\":[],"
	     "\"agenda\":[{\"id\":2,\"status\":\"submitted\"},{\"id\":1,\"status\":\"voting\"}]},"
	     "\"votes\":[]}", &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.kind[0], EV_AGENDA);
	assert_non_null(strstr(g.data[0], "\"agenda\":[{\"id\":2"));
	got_free(&g);
}

static void test_arrivals_and_departures_name_only_who_moved(void **state)
{
	(void)state;
	struct got g;
	diff(EVENTS_MEETING, MEETING("") "\"votes\":[]}",
	     "{\"meeting\":{\"id\":9,\"state\":\"open\",\"attendance\":1,"
	     "\"present\":[{\"handle\":\"ben\",\"display_name\":\"Ben\"}],"
	     "\"departed\":[{\"handle\":\"ana\",\"display_name\":\"Ana\",\"left_at\":5,"
	     "\"reason\":\"left\"}]," AGENDA "},\"votes\":[]}", &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.kind[0], EV_PRESENT);
	assert_string_equal(g.data[0],
		"{\"arrived\":[{\"display_name\":\"Ben\",\"handle\":\"ben\"}],\"count\":1,"
		"\"left\":[{\"display_name\":\"Ana\",\"handle\":\"ana\",\"left_at\":5,"
		"\"reason\":\"left\"}]}");
	assert_false(ev_last_wins(EV_PRESENT));
	got_free(&g);
}

static void test_state_names_changed_fields_and_nulls_gone_ones(void **state)
{
	(void)state;
	struct got g;
	/* the meeting closes; its "closing" conditions go; past the names
	 * limit the lists go too (attendance counts) */
	diff(EVENTS_MEETING, MEETING(",\"closing\":{\"allowed\":false}") "\"votes\":[]}",
	     "{\"meeting\":{\"id\":9,\"state\":\"closed\",\"attendance\":1," AGENDA "},"
	     "\"votes\":[]}", &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.kind[0], EV_STATE);
	assert_string_equal(g.data[0],
		"{\"closing\":null,\"departed\":null,\"present\":null,\"state\":\"closed\"}");
	got_free(&g);
}

static void test_a_proposal_sends_its_whole_status_when_it_changed(void **state)
{
	(void)state;
	struct got g;
	diff(EVENTS_PROPOSAL, "{\"id\":3,\"met\":false}", "{\"id\":3,\"met\":false}", &g);
	assert_int_equal(g.n, 0);
	diff(EVENTS_PROPOSAL, "{\"id\":3,\"met\":false}", "{\"id\":3,\"met\":true}", &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.kind[0], EV_PROPOSAL);
	assert_string_equal(g.data[0], "{\"id\":3,\"met\":true}");
	assert_string_equal(ev_name(EV_PROPOSAL), "proposal");
	assert_int_equal(ev_snapshot_kind(EVENTS_MEETING), EV_MEETING);
	got_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_changed_is_no_event),
		cmocka_unit_test(test_a_vote_is_the_counts_of_its_motion_only),
		cmocka_unit_test(test_a_closed_vote_ends_and_its_item_changes),
		cmocka_unit_test(test_a_reordered_agenda_is_sent_whole),
		cmocka_unit_test(test_arrivals_and_departures_name_only_who_moved),
		cmocka_unit_test(test_state_names_changed_fields_and_nulls_gone_ones),
		cmocka_unit_test(test_a_proposal_sends_its_whole_status_when_it_changed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
