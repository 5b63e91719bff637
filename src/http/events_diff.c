/*
 * events_diff.c: the readings of a live topic and their differences (see
 * events_diff.h). A reading of a meeting is {"meeting": M, "votes": [C]}
 * (the stream's snapshot); the differences are the events "state",
 * "agenda"/"item", "present" and "counts" of events.h, in that order, so
 * that a page applying them in turn holds what the snapshot of the new
 * reading would have given it.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "core/errors.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "events_diff.h"
#include "banned.h"

static const char *const names[] = {
	[EV_MEETING] = "meeting", [EV_PROPOSAL] = "proposal", [EV_STATE] = "state",
	[EV_PRESENT] = "present", [EV_AGENDA] = "agenda",     [EV_ITEM] = "item",
	[EV_COUNTS] = "counts",
};

const char *ev_name(enum ev_kind k)
{
	return names[k];
}

int ev_last_wins(enum ev_kind k)
{
	return k == EV_COUNTS || k == EV_ITEM || k == EV_AGENDA || k == EV_PROPOSAL;
}

enum ev_kind ev_snapshot_kind(enum events_topic t)
{
	return t == EVENTS_MEETING ? EV_MEETING : EV_PROPOSAL;
}

/* The counts of each motion (or amendment) of the agenda being voted on. */
static int add_votes(const struct gov_ctx *ctx, const json_t *agenda, json_t *votes)
{
	size_t i;
	const json_t *item;
	json_array_foreach(agenda, i, item) {
		const char *status = json_string_value(json_object_get(item, "status"));
		if (status && !strcmp(status, "voting")) {
			json_t *c = NULL;
			int rc = gov_vote_counts(ctx, json_integer_value(json_object_get(item, "id")),
						 &c, NULL);
			if (rc)
				return rc;
			if (json_array_append_new(votes, c))
				return PX_E_NOMEM;
		}
		int rc = add_votes(ctx, json_object_get(item, "amendments"), votes);
		if (rc)
			return rc;
	}
	return 0;
}

void ev_unname(json_t *meeting)
{
	if (json_integer_value(json_object_get(meeting, "attendance")) > EVENTS_NAMES_MAX) {
		json_object_del(meeting, "present");
		json_object_del(meeting, "departed");
	}
}

json_t *ev_read(const struct gov_ctx *ctx, enum events_topic t, int64_t id,
		int64_t *until, int *rc)
{
	json_t *m = NULL, *votes = NULL, *out = NULL;
	*until = INT64_MAX;
	*rc = 0;
	if (t == EVENTS_PROPOSAL) {
		/* a proposal's status changes only by answers */
		*rc = gov_proposal_status(ctx, id, NULL, &m, NULL);
		if (*rc == PX_E_NOT_FOUND)
			*rc = 0;
		return *rc ? NULL : m;
	}
	/* the stream is public: no caller, so no "checked_in" */
	struct gov_ctx anon = *ctx;
	anon.account_id = 0;
	*rc = gov_meeting_get(&anon, id, &m, NULL);
	if (*rc) {
		if (*rc == PX_E_NOT_FOUND)
			*rc = 0;
		goto out;
	}
	*until = gov_meeting_state_ends(m);
	ev_unname(m);
	votes = json_array();
	if (!votes) {
		*rc = PX_E_NOMEM;
		goto out;
	}
	*rc = add_votes(&anon, json_object_get(m, "agenda"), votes);
	if (*rc)
		goto out;
	out = json_pack("{s:O, s:O}", "meeting", m, "votes", votes);
	if (!out)
		*rc = PX_E_NOMEM;
out:
	json_decref(m);
	json_decref(votes);
	return out;
}

/* ---- differences ----------------------------------------------------- */

static int is_list_field(const char *key)
{
	return !strcmp(key, "present") || !strcmp(key, "departed") || !strcmp(key, "agenda");
}

/* The meeting's own fields that changed (a field gone is null). */
static int diff_state(const json_t *old, const json_t *now, ev_emit_fn emit, void *arg)
{
	json_t *set = json_object();
	if (!set)
		return PX_E_NOMEM;
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)now, key, v) {
		if (!is_list_field(key) && !json_equal(v, json_object_get(old, key)))
			json_object_set(set, key, v);
	}
	json_object_foreach((json_t *)old, key, v) {
		/* the lists of names go when the meeting grows too large */
		if (strcmp(key, "agenda") && !json_object_get(now, key))
			json_object_set_new(set, key, json_null());
	}
	if (!json_object_size(set)) {
		json_decref(set);
		return 0;
	}
	return emit(arg, EV_STATE, 0, set);
}

static int same_order(const json_t *a, const json_t *b)
{
	if (json_array_size(a) != json_array_size(b))
		return 0;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (!json_equal(json_object_get(json_array_get(a, i), "id"),
				json_object_get(json_array_get(b, i), "id")))
			return 0;
	return 1;
}

/* The whole agenda when items came, went or moved; else each item that
 * changed (its status, its amendments). */
static int diff_agenda(const json_t *old, const json_t *now, ev_emit_fn emit, void *arg)
{
	if (!same_order(old, now)) {
		json_t *a = json_pack("{s:O}", "agenda", now ? now : json_null());
		return a ? emit(arg, EV_AGENDA, 0, a) : PX_E_NOMEM;
	}
	for (size_t i = 0; i < json_array_size(now); i++) {
		json_t *item = json_array_get(now, i);
		if (json_equal(item, json_array_get(old, i)))
			continue;
		int rc = emit(arg, EV_ITEM, json_integer_value(json_object_get(item, "id")),
			      json_incref(item));
		if (rc)
			return rc;
	}
	return 0;
}

/* handle -> entry, of a list of attendees */
static json_t *by_handle(const json_t *list)
{
	json_t *map = json_object();
	size_t i;
	json_t *p;
	if (!map)
		return NULL;
	json_array_foreach(list, i, p) {
		const char *h = json_string_value(json_object_get(p, "handle"));
		if (h && json_object_set(map, h, p)) {
			json_decref(map);
			return NULL;
		}
	}
	return map;
}

/* Who arrived and who left since the last reading, and how many are
 * present: a check-in costs its own line, not the whole list. */
static int diff_present(const json_t *old, const json_t *now, ev_emit_fn emit, void *arg)
{
	const json_t *was = json_object_get(old, "present"), *is = json_object_get(now, "present");
	if (!is || json_equal(was, is))
		return 0; /* no names (a large meeting): "attendance" counts */
	int rc = PX_E_NOMEM;
	json_t *was_map = by_handle(was), *is_map = by_handle(is);
	json_t *gone_map = by_handle(json_object_get(now, "departed"));
	json_t *arrived = json_array(), *left = json_array(), *ev = NULL;
	if (!was_map || !is_map || !gone_map || !arrived || !left)
		goto out;
	size_t i;
	json_t *p;
	json_array_foreach(is, i, p) {
		const char *h = json_string_value(json_object_get(p, "handle"));
		if (h && !json_object_get(was_map, h) && json_array_append(arrived, p))
			goto out;
	}
	json_array_foreach(was, i, p) {
		const char *h = json_string_value(json_object_get(p, "handle"));
		if (!h || json_object_get(is_map, h))
			continue;
		json_t *d = json_object_get(gone_map, h);
		if (d ? json_array_append(left, d)
		      : json_array_append_new(left, json_pack("{s:s}", "handle", h)))
			goto out;
	}
	ev = json_pack("{s:I, s:O, s:O}", "count", (json_int_t)json_array_size(is),
		       "arrived", arrived, "left", left);
	if (ev)
		rc = emit(arg, EV_PRESENT, 0, ev);
out:
	json_decref(was_map);
	json_decref(is_map);
	json_decref(gone_map);
	json_decref(arrived);
	json_decref(left);
	return rc;
}

static const json_t *counts_of(const json_t *votes, json_int_t motion)
{
	size_t i;
	const json_t *c;
	json_array_foreach(votes, i, c) {
		if (json_integer_value(json_object_get(c, "motion")) == motion)
			return c;
	}
	return NULL;
}

/* The counts of each motion whose count moved or whose vote opened; an
 * end for each vote no longer open. */
static int diff_votes(const json_t *old, const json_t *now, ev_emit_fn emit, void *arg)
{
	size_t i;
	json_t *c;
	json_array_foreach(now, i, c) {
		json_int_t m = json_integer_value(json_object_get(c, "motion"));
		if (json_equal(c, counts_of(old, m)))
			continue;
		int rc = emit(arg, EV_COUNTS, m, json_incref(c));
		if (rc)
			return rc;
	}
	json_array_foreach(old, i, c) {
		json_int_t m = json_integer_value(json_object_get(c, "motion"));
		if (counts_of(now, m))
			continue;
		json_t *end = json_pack("{s:I, s:b}", "motion", m, "ended", 1);
		int rc = end ? emit(arg, EV_COUNTS, m, end) : PX_E_NOMEM;
		if (rc)
			return rc;
	}
	return 0;
}

int ev_diff(enum events_topic t, const json_t *old, const json_t *now,
	    ev_emit_fn emit, void *arg)
{
	if (t == EVENTS_PROPOSAL)
		return json_equal(old, now) ? 0
			: emit(arg, EV_PROPOSAL, 0, json_incref((json_t *)now));
	const json_t *om = json_object_get(old, "meeting"), *nm = json_object_get(now, "meeting");
	int rc = diff_state(om, nm, emit, arg);
	if (!rc)
		rc = diff_agenda(json_object_get(om, "agenda"), json_object_get(nm, "agenda"),
				 emit, arg);
	if (!rc)
		rc = diff_present(om, nm, emit, arg);
	if (!rc)
		rc = diff_votes(json_object_get(old, "votes"), json_object_get(now, "votes"),
				emit, arg);
	return rc;
}
