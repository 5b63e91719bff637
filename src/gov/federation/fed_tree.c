/*
 * fed_tree.c: keeping the closure of the federation graph (fed_below) and
 * the sizes on each delegate assembly in step with its active
 * memberships (see fed_tree.h).
 *
 * Invariants: a row (X, Y, n) exists exactly when n > 0 paths of active
 * memberships lead from X down to Y; bodies.locals_below counts the local
 * assemblies among those Y, population_below their communities'
 * population, shared_below the rows with n > 1.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "store/store.h"
#include "gov/federation/fed_tree.h"
#include "banned.h"

struct end {
	int64_t id, paths, population;
	int local;
};

struct ends {
	struct end *e;
	size_t n, cap;
};

static int ends_push(struct ends *v, struct end e)
{
	struct end *p = px_grow(v->e, &v->cap, v->n, sizeof(*p));
	if (!p)
		return PX_E_NOMEM;
	v->e = p;
	v->e[v->n++] = e;
	return 0;
}

int fed_tree_body(struct store *s, int64_t body, int *local, int64_t *population)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT b.kind = 'local', coalesce(c.population, 0)"
		" FROM bodies b LEFT JOIN communities c ON c.id = b.community_id WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, body);
	*local = 0;
	*population = 0;
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	*local = sqlite3_column_int(st, 0);
	*population = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

/* the body itself and what fed_below says on one side of it */
static int load(struct store *s, int64_t body, int up, struct ends *v)
{
	struct end self = { .id = body, .paths = 1 };
	int rc = fed_tree_body(s, body, &self.local, &self.population);
	if (rc)
		return rc;
	rc = ends_push(v, self);
	sqlite3_stmt *st = store_stmt(s, up
		? "SELECT f.ancestor_id, f.paths, 0, 0 FROM fed_below f WHERE f.body_id = ?"
		: "SELECT f.body_id, f.paths, b.kind = 'local', coalesce(c.population, 0)"
		  " FROM fed_below f JOIN bodies b ON b.id = f.body_id"
		  " LEFT JOIN communities c ON c.id = b.community_id WHERE f.ancestor_id = ?");
	sqlite3_bind_int64(st, 1, body);
	while (store_next(st, &rc))
		rc = ends_push(v, (struct end){ .id = sqlite3_column_int64(st, 0),
			.paths = sqlite3_column_int64(st, 1),
			.local = sqlite3_column_int(st, 2),
			.population = sqlite3_column_int64(st, 3) });
	sqlite3_reset(st);
	return rc;
}

/* Add delta paths from x to y; *before and *after the counts. */
static int add_paths(struct store *s, int64_t x, int64_t y, int64_t delta,
		     int64_t *before, int64_t *after)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT paths FROM fed_below"
				      " WHERE ancestor_id = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, x);
	sqlite3_bind_int64(st, 2, y);
	int rc = store_int64(st, before, NULL);
	if (rc)
		return rc;
	*after = *before + delta;
	if (*after < 0)
		return PX_E_INTERNAL;
	if (*after == 0)
		st = store_stmt(s, "DELETE FROM fed_below WHERE ancestor_id = ?1 AND body_id = ?2");
	else if (*before == 0)
		st = store_stmt(s, "INSERT INTO fed_below(ancestor_id, body_id, paths)"
				   " VALUES (?1, ?2, ?3)");
	else
		st = store_stmt(s, "UPDATE fed_below SET paths = ?3"
				   " WHERE ancestor_id = ?1 AND body_id = ?2");
	sqlite3_bind_int64(st, 1, x);
	sqlite3_bind_int64(st, 2, y);
	if (*after)
		sqlite3_bind_int64(st, 3, *after);
	return store_run(st);
}

int fed_tree_link(struct store *s, int64_t federation, int64_t member, int delta)
{
	struct ends up = { 0 }, down = { 0 };
	int rc = load(s, federation, 1, &up);
	if (!rc)
		rc = load(s, member, 0, &down);
	for (size_t i = 0; !rc && i < up.n; i++) {
		int64_t locals = 0, population = 0, shared = 0;
		for (size_t j = 0; !rc && j < down.n; j++) {
			int64_t before = 0, after = 0;
			rc = add_paths(s, up.e[i].id, down.e[j].id,
				       delta * up.e[i].paths * down.e[j].paths, &before, &after);
			int appeared = !before && after, gone = before && !after;
			if (down.e[j].local && (appeared || gone)) {
				locals += appeared ? 1 : -1;
				population += appeared ? down.e[j].population : -down.e[j].population;
			}
			shared += (after > 1) - (before > 1);
		}
		if (rc || (!locals && !population && !shared))
			continue;
		sqlite3_stmt *st = store_stmt(s, "UPDATE bodies SET locals_below ="
			" locals_below + ?, population_below = population_below + ?,"
			" shared_below = shared_below + ? WHERE id = ?");
		sqlite3_bind_int64(st, 1, locals);
		sqlite3_bind_int64(st, 2, population);
		sqlite3_bind_int64(st, 3, shared);
		sqlite3_bind_int64(st, 4, up.e[i].id);
		rc = store_run(st);
	}
	free(up.e);
	free(down.e);
	return rc;
}

int fed_tree_size(struct store *s, int64_t body, int64_t *locals,
		  int64_t *population, int64_t *shared)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT locals_below, population_below,"
				      " shared_below FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body);
	*locals = *population = *shared = 0;
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	*locals = sqlite3_column_int64(st, 0);
	*population = sqlite3_column_int64(st, 1);
	*shared = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}

int fed_tree_below(struct store *s, int64_t outer, int64_t inner, int *yes)
{
	int64_t one = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM fed_below"
				      " WHERE ancestor_id = ? AND body_id = ?");
	sqlite3_bind_int64(st, 1, outer);
	sqlite3_bind_int64(st, 2, inner);
	return store_int64(st, &one, yes);
}
