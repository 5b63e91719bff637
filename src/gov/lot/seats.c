/*
 * seats.c: the number of seats of a polity's assembly, changed by its own
 * decision (polity_settings, "seats"; docs/polities.md, choice 38).
 *
 * The decision changes polities.seats at once: that is the number every
 * renewal from then on commits, dealt to the cohorts as evenly as they go
 * (LOT_COHORT_SEATS). A cohort's size for its next term is fixed when its
 * renewal is committed (the seats drawn and those who deferred, summoned
 * again ahead of the draw); when its term ends the cohort is given that
 * many seats: new ones numbered after the polity's highest, or its
 * highest-numbered ones closed. Nobody sits in them at that moment (the
 * term just ended for all of them), so no seated person's term is ever
 * cut. The assembly's quorum, half its seats, follows the seats that
 * exist, unless the assembly set another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "banned.h"

int lot_cohort_next_size(struct store *s, int64_t polity_id, int64_t cohort, int64_t ends,
			 int64_t *size, int *found)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT r.seats + (SELECT count(*) FROM summons m"
		" WHERE m.renewal_id = r.id AND m.place <= 0) FROM renewals r WHERE"
		" r.polity_id = ? AND r.cohort = ? AND r.kind = 'regular' AND r.draw_at = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, ends);
	return store_int64(st, size, found);
}

/* The assembly's quorum follows its seats: half of them, rounded up,
 * when it is still the half of the seats before (an assembly that set
 * another quorum keeps it). */
static int follow_quorum(struct store *s, int64_t body_id, int64_t before, int64_t after)
{
	int row = 0, rc;
	json_t *rules = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT rules FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		rules = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		sqlite3_reset(st);
	}
	json_t *quorum = json_object_get(json_object_get(rules, "default"), "quorum");
	json_t *count = json_object_get(quorum, "count");
	if (!json_is_integer(count) || json_integer_value(count) != (before + 1) / 2 ||
	    before == after) {
		json_decref(rules);
		return 0;
	}
	json_object_set_new(quorum, "count", json_integer((after + 1) / 2));
	char *text = journal_canonical(rules);
	json_decref(rules);
	if (!text)
		return PX_E_NOMEM;
	st = store_stmt(s, "UPDATE bodies SET rules = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, body_id);
	rc = store_run(st);
	free(text);
	return rc;
}

int lot_cohort_resize(struct store *s, int64_t polity_id, int64_t body_id, int64_t cohort,
		      int64_t starts, int64_t ends, int64_t size)
{
	int64_t rows = 0, total = 0;
	int rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FILTER (WHERE cohort = ?2), count(*)"
				      " FROM polity_seats WHERE polity_id = ?1");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		rows = sqlite3_column_int64(st, 0);
		total = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
	}
	if (size < 1 || size == rows)
		return 0;
	if (size < rows) {
		/* the highest-numbered seats close; all are empty now */
		st = store_stmt(s, "DELETE FROM polity_seats WHERE polity_id = ?1 AND"
			" cohort = ?2 AND holder_id IS NULL AND seat IN (SELECT seat FROM"
			" polity_seats WHERE polity_id = ?1 AND cohort = ?2 ORDER BY seat DESC"
			" LIMIT ?3)");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, cohort);
		sqlite3_bind_int64(st, 3, rows - size);
		if ((rc = store_run(st)))
			return rc;
		if (sqlite3_changes(store_db(s)) != rows - size)
			return PX_E_INTERNAL; /* a seat of the cohort still held */
	}
	for (int64_t k = rows; k < size; k++) {
		st = store_stmt(s, "INSERT INTO polity_seats(polity_id, seat, cohort, term_starts,"
			" term_ends) SELECT ?1, coalesce(max(seat), 0) + 1, ?2, ?3, ?4 FROM"
			" polity_seats WHERE polity_id = ?1");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, cohort);
		sqlite3_bind_int64(st, 3, starts);
		sqlite3_bind_int64(st, 4, ends);
		if ((rc = store_run(st)))
			return rc;
	}
	return follow_quorum(s, body_id, total, total - rows + size);
}

/* Each cohort of polity ?1 with the end of its term and its size from
 * then on: fixed by its renewal once committed, else what the polity's
 * seats give it now. */
#define COHORTS_NEXT \
	"WITH t AS (SELECT cohort, max(term_ends) AS ends FROM polity_seats" \
	" WHERE polity_id = ?1 GROUP BY cohort), c AS (SELECT t.cohort, t.ends," \
	" coalesce((SELECT r.seats + (SELECT count(*) FROM summons m WHERE" \
	" m.renewal_id = r.id AND m.place <= 0) FROM renewals r WHERE r.polity_id = ?1" \
	" AND r.cohort = t.cohort AND r.kind = 'regular' AND r.draw_at = t.ends), " \
	LOT_COHORT_SEATS("p", "t.cohort") ") AS next FROM t JOIN polities p ON p.id = ?1)"

int lot_seats_json(struct store *s, int64_t polity_id, json_t *p)
{
	json_t *seats = json_array(), *cohorts = json_array();
	int rc = 0;
	/* a seat closes at its cohort's next renewal when the cohort has
	 * more seats than it will have then (the highest-numbered close) */
	sqlite3_stmt *st = store_stmt(s, COHORTS_NEXT
		" SELECT s.seat, s.cohort, s.term_starts, s.term_ends, s.holder_id IS NOT NULL,"
		" row_number() OVER (PARTITION BY s.cohort ORDER BY s.seat) > c.next"
		" FROM polity_seats s JOIN c ON c.cohort = s.cohort WHERE s.polity_id = ?1"
		" ORDER BY s.seat");
	sqlite3_bind_int64(st, 1, polity_id);
	while (store_next(st, &rc))
		json_array_append_new(seats, json_pack("{s:I, s:I, s:I, s:I, s:b, s:b}",
			"seat", (json_int_t)sqlite3_column_int64(st, 0),
			"cohort", (json_int_t)sqlite3_column_int64(st, 1),
			"term_starts", (json_int_t)sqlite3_column_int64(st, 2),
			"term_ends", (json_int_t)sqlite3_column_int64(st, 3),
			"held", sqlite3_column_int(st, 4),
			"closing", sqlite3_column_int(st, 5)));
	if (!rc) {
		st = store_stmt(s, COHORTS_NEXT " SELECT s.cohort, count(*), count(s.holder_id),"
			" min(s.term_starts), max(s.term_ends), c.next FROM polity_seats s JOIN c"
			" ON c.cohort = s.cohort WHERE s.polity_id = ?1 GROUP BY s.cohort"
			" ORDER BY s.cohort");
		sqlite3_bind_int64(st, 1, polity_id);
		while (store_next(st, &rc))
			json_array_append_new(cohorts, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}",
				"cohort", (json_int_t)sqlite3_column_int64(st, 0),
				"seats", (json_int_t)sqlite3_column_int64(st, 1),
				"held", (json_int_t)sqlite3_column_int64(st, 2),
				"term_starts", (json_int_t)sqlite3_column_int64(st, 3),
				"term_ends", (json_int_t)sqlite3_column_int64(st, 4),
				"next_seats", (json_int_t)sqlite3_column_int64(st, 5)));
	}
	json_object_set_new(p, "seat_list", seats);
	json_object_set_new(p, "cohort_list", cohorts);
	return rc;
}
