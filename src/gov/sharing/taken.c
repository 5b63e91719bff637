/*
 * taken.c: what a person or an enterprise took from the sharing economy
 * over a period, good by good (sharing.h, docs/sharing.md "Takes are
 * public"): the record standing reviews read beside the contributions
 * (src/gov/economy/standing.c). Free takes and mutual aid are counted with
 * their quantities; what rounds of scarce goods allocated is counted as
 * the requests that received something and the exact amount received (a
 * divisible good's equal shares may be fractions: kept as num/den).
 */
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/sharing/sharing.h"
#include "gov/sharing/sharing_int.h"
#include "banned.h"

__extension__ typedef __int128 i128;

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a < 0 ? -a : a;
}

/* num/den += n/d, reduced; 0, or 1 when it would overflow (the sum is
 * then left as it was). */
static int add_fraction(int64_t *num, int64_t *den, int64_t n, int64_t d)
{
	i128 a = (i128)*num * d + (i128)n * *den, b = (i128)*den * d;
	while (b > INT64_MAX || a > INT64_MAX) {
		i128 g = a, h = b;
		while (h) {
			i128 t = g % h;
			g = h;
			h = t;
		}
		if (g <= 1)
			return 1;
		a /= g;
		b /= g;
	}
	int64_t g = gcd64((int64_t)a, (int64_t)b);
	*num = (int64_t)a / (g ? g : 1);
	*den = (int64_t)b / (g ? g : 1);
	return 0;
}

/* The entry of good in list, made when missing. */
static json_t *good_entry(json_t *list, sqlite3_stmt *st)
{
	int64_t good = sqlite3_column_int64(st, 0);
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
		if (json_integer_value(json_object_get(x, "good")) == good)
			return x;
	x = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}",
		"good", (json_int_t)good,
		"name", (const char *)sqlite3_column_text(st, 1),
		"kind", (const char *)sqlite3_column_text(st, 2),
		"unit", (const char *)sqlite3_column_text(st, 3),
		"units", (const char *)sqlite3_column_text(st, 4),
		"takes", (json_int_t)0, "quantity", (json_int_t)0, "rounds", (json_int_t)0,
		"received_num", (json_int_t)0, "received_den", (json_int_t)1);
	if (x)
		json_array_append_new(list, x);
	return x;
}

int sharing_taken(struct store *s, int64_t account, int64_t body, int64_t from, int64_t to,
		  json_t **out)
{
	int rc = 0;
	int64_t count = 0;
	json_t *goods = json_array();
	*out = NULL;
	if (!goods)
		return PX_E_NOMEM;
	/* takes: the person's own (body 0), or those for the enterprise */
	sqlite3_stmt *st = store_stmt(s, "SELECT g.id, g.name, g.kind, g.unit, g.units,"
		" count(*), sum(t.quantity) FROM takes t JOIN goods g ON g.id = t.good_id"
		" WHERE t.at >= ?3 AND t.at <= ?4 AND (CASE WHEN ?2 > 0 THEN t.body_id = ?2"
		" ELSE t.account_id = ?1 AND t.body_id IS NULL END) GROUP BY g.id"
		" ORDER BY g.name, g.id");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, body);
	sqlite3_bind_int64(st, 3, from);
	sqlite3_bind_int64(st, 4, to);
	while (store_next(st, &rc)) {
		json_t *x = good_entry(goods, st);
		if (!x)
			continue;
		json_object_set_new(x, "takes", json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(x, "quantity", json_integer(sqlite3_column_int64(st, 6)));
		count += sqlite3_column_int64(st, 5);
	}
	if (rc || body)
		goto out;
	/* a person's share of rounds allocated in the period */
	st = store_stmt(s, "SELECT g.id, g.name, g.kind, g.unit, g.units, a.num, a.den"
		" FROM round_requests q JOIN round_allocations a ON a.round_id = q.round_id"
		" AND a.request_id = q.id JOIN rounds r ON r.id = q.round_id JOIN goods g"
		" ON g.id = r.good_id WHERE q.account_id = ?1 AND a.num > 0"
		" AND r.allocated_at >= ?2 AND r.allocated_at <= ?3 ORDER BY q.id");
	sqlite3_bind_int64(st, 1, account);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while (store_next(st, &rc)) {
		json_t *x = good_entry(goods, st);
		if (!x)
			continue;
		int64_t num = json_integer_value(json_object_get(x, "received_num"));
		int64_t den = json_integer_value(json_object_get(x, "received_den"));
		if (add_fraction(&num, &den, sqlite3_column_int64(st, 5),
				 sqlite3_column_int64(st, 6)))
			continue;
		json_object_set_new(x, "received_num", json_integer(num));
		json_object_set_new(x, "received_den", json_integer(den));
		json_object_set_new(x, "rounds", json_integer(json_integer_value(
			json_object_get(x, "rounds")) + 1));
		count++;
	}
out:
	if (rc) {
		json_decref(goods);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:o}", "since", (json_int_t)from, "count",
			 (json_int_t)count, "goods", goods);
	return *out ? 0 : PX_E_NOMEM;
}
