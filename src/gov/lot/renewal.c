/*
 * renewal.c: the verifiable renewal of a polity's cohort (docs/polities.md,
 * "Service by lot"; docs/sortition.md sections 2-6 for the draw itself).
 *
 * The timetable of a renewal of cohort c, draw date D (the day the
 * cohort's term ends):
 *   1. at D - commit_days, the clock builds the pool, gives each person a
 *      fresh secret salt (their receipt, never journalled), and journals
 *      the commitment and the leaves (renewal.commit);
 *   2. from D, witnesses enter the text of the named public source
 *      (renewal.witness); when `witnesses` of them entered the same bytes,
 *      the draw follows in the same transaction (renewal.draw): the
 *      ranked list of docs/sortition.md section 6, the first `seats`
 *      summoned, the rest alternates;
 *   3. at D the sitting cohort's terms end (renewal.term).
 * Nobody calls the clock: the server runs it (lot_clock_tick) with the
 * meetings of the schedules, and every operation on a renewal runs it
 * first, so nothing depends on when it last ran.
 *
 * Invariants: the leaves in the database are the journal's (replay
 * rebuilds renewal_leaves and checks they hash to the commitment); a
 * person's salt lives only in renewal_salts; a draw's ranks are
 * recomputed from the commitment and the seed text on replay, and an
 * entry whose leaves differ is refused.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/draw.h"
#include "core/errors.h"
#include "core/pool.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/lot/lot.h"
#include "gov/lot/lot_apply.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

#define DAY 86400

/* ---- the controlled clock ---- */

int64_t lot_clock_now(struct store *s, int64_t wall)
{
	int64_t offset = 0;
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT offset FROM sim_clock WHERE id = 1");
	if (!st || store_int64(st, &offset, &found) || !found)
		return wall;
	return wall + offset;
}

/* ---- helpers ---- */

static void hex32(const unsigned char *h, char out[65])
{
	sodium_bin2hex(out, 65, h, 32);
}

static int unhex32(const char *hex, unsigned char out[32])
{
	size_t n = 0;
	if (!hex || strlen(hex) != 64 ||
	    sodium_hex2bin(out, 32, hex, 64, NULL, &n, NULL) || n != 32)
		return -1;
	return 0;
}

int lot_settings_get(struct store *s, int64_t polity_id, struct lot_settings *o)
{
	int row = 0, rc;
	memset(o, 0, sizeof(*o));
	sqlite3_stmt *st = store_stmt(s, "SELECT seed_source, commit_days, witnesses,"
		" alternates, answer_days, excuse_reasons, excuse_rule, no_answer"
		" FROM polity_settings WHERE polity_id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	snprintf(o->seed_source, sizeof(o->seed_source), "%s",
		 (const char *)sqlite3_column_text(st, 0));
	o->commit_days = sqlite3_column_int64(st, 1);
	o->witnesses = sqlite3_column_int64(st, 2);
	o->alternates = sqlite3_column_int64(st, 3);
	o->answer_days = sqlite3_column_int64(st, 4);
	snprintf(o->excuse_reasons, sizeof(o->excuse_reasons), "%s",
		 (const char *)sqlite3_column_text(st, 5));
	snprintf(o->excuse_rule, sizeof(o->excuse_rule), "%s",
		 (const char *)sqlite3_column_text(st, 6));
	snprintf(o->no_answer, sizeof(o->no_answer), "%s",
		 (const char *)sqlite3_column_text(st, 7));
	sqlite3_reset(st);
	return 0;
}

int lot_polity_by_slug(struct store *s, const char *slug, int64_t *id,
		       int64_t *region_id, int64_t *body_id, struct px_error *err)
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, region_id, body_id FROM polities"
				      " WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug ? slug : "", -1, SQLITE_TRANSIENT);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "polity", "no polity '%s'",
			       slug ? slug : "");
	*id = sqlite3_column_int64(st, 0);
	if (region_id)
		*region_id = sqlite3_column_int64(st, 1);
	if (body_id)
		*body_id = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return 0;
}

static int polity_slug(struct store *s, int64_t id, char out[GOV_SLUG_SIZE])
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT slug FROM polities WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (!row)
		return PX_E_NOT_FOUND;
	snprintf(out, GOV_SLUG_SIZE, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int lot_account_id(struct store *s, const char *handle, int64_t *id, struct px_error *err)
{
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM accounts WHERE handle = ?");
	sqlite3_bind_text(st, 1, handle ? handle : "", -1, SQLITE_TRANSIENT);
	int rc = store_int64(st, id, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_NOT_FOUND, "person", "no account '%s'",
			       handle ? handle : "");
	return 0;
}

/* ---- the commitment ---- */

/* The pool of a renewal of (polity, cohort) with draw date draw_at, at
 * now: docs/polities.md, "The pool". Ids and handles, in handle order.
 * Whoever holds a seat is out, the outgoing cohort too: they leave a seat
 * of this polity on the draw date (docs/polities.md, choice 31). */
#define POOL_SQL \
	LOT_REGION_DOWN \
	" SELECT a.id, a.handle FROM accounts a" \
	" JOIN residences r ON r.account_id = a.id" \
	" JOIN consents c ON c.account_id = a.id" \
	" WHERE c.expires_at > ?2" \
	" AND r.community_id IN (SELECT community_id FROM region_communities" \
	"   WHERE region_id IN (SELECT id FROM down))" \
	" AND NOT EXISTS (SELECT 1 FROM polity_seats s WHERE s.holder_id = a.id)" \
	" AND NOT EXISTS (SELECT 1 FROM civil_servants v WHERE v.account_id = a.id" \
	"   AND v.polity_id = ?3)" \
	" AND NOT EXISTS (SELECT 1 FROM summons m WHERE m.account_id = a.id" \
	"   AND m.polity_id = ?3 AND m.state IN ('term_ended', 'resigned', 'removed')" \
	"   AND m.ended_at > ?5)" \
	" AND NOT EXISTS (SELECT 1 FROM summons m WHERE m.account_id = a.id" \
	"   AND m.state = 'deferred' AND m.resummoned = 0)" \
	" ORDER BY a.handle"

int lot_pool_size(struct store *s, int64_t polity_id, int64_t region_id, int64_t cohort,
		  int64_t draw_at, int64_t now, int64_t *n)
{
	int rc = 0;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, POOL_SQL);
	sqlite3_bind_int64(st, 1, region_id);
	sqlite3_bind_int64(st, 2, draw_at);
	sqlite3_bind_int64(st, 3, polity_id);
	sqlite3_bind_int64(st, 4, cohort);
	sqlite3_bind_int64(st, 5, lot_years_after(now, -LOT_TERM_YEARS));
	while (store_next(st, &rc))
		(*n)++;
	return rc;
}

/* Those who deferred a summons of this polity's cohort, still eligible
 * at the draw date (consent valid then, no seat): summoned again ahead of
 * the draw, in handle order, at most as many as the cohort's seats (the
 * others wait for its following renewal). */
#define DEFERRED_SQL \
	"SELECT m.id, a.handle, m.account_id FROM summons m JOIN accounts a" \
	" ON a.id = m.account_id JOIN consents c ON c.account_id = m.account_id" \
	" WHERE m.polity_id = ?1 AND m.cohort = ?2 AND m.state = 'deferred'" \
	" AND m.resummoned = 0 AND c.expires_at > ?3 AND NOT EXISTS (SELECT 1 FROM" \
	" polity_seats s WHERE s.holder_id = m.account_id) ORDER BY a.handle LIMIT ?4"

static int deferred_list(struct store *s, int64_t polity_id, int64_t cohort, int64_t draw_at,
			 int64_t seats, json_t *out)
{
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, DEFERRED_SQL);
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, draw_at);
	sqlite3_bind_int64(st, 4, seats);
	while (store_next(st, &rc))
		json_array_append_new(out, json_string((const char *)sqlite3_column_text(st, 1)));
	return rc;
}

static int resummon(struct store *s, const json_t *p, int64_t renewal_id, int64_t polity_id,
		    int64_t cohort, int64_t draw_at, int64_t at, struct px_error *err)
{
	const json_t *stated = json_object_get(p, "deferred");
	json_t *due = json_array();
	int64_t answer_days = 21;
	int regular = !strcmp(json_string_value(json_object_get(p, "kind")), "regular");
	/* the cohort's seats: those drawn and those summoned again */
	int64_t seats = json_integer_value(json_object_get(p, "seats")) +
			(int64_t)json_array_size(stated);
	int rc = regular ? deferred_list(s, polity_id, cohort, draw_at, seats, due) : 0;
	int found = 0;
	/* a regular renewal states them (an entry from before there were
	 * any may omit an empty list) */
	if (!rc && (stated ? !json_equal(due, (json_t *)stated) : json_array_size(due) > 0))
		rc = px_fail(err, PX_E_BAD_INPUT, "deferred", "the people summoned again are"
			     " not those who deferred");
	sqlite3_stmt *st = store_stmt(s, "SELECT answer_days FROM polity_settings WHERE"
				      " polity_id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	if (!rc && (rc = store_int64(st, &answer_days, &found)))
		rc = px_fail(err, rc, NULL, NULL);
	size_t i;
	json_t *v;
	json_array_foreach(due, i, v) {
		int64_t account = 0;
		if (rc || (rc = lot_account_id(s, json_string_value(v), &account, err)))
			break;
		st = store_stmt(s, "UPDATE summons SET resummoned = 1 WHERE polity_id = ? AND"
				" cohort = ? AND account_id = ? AND state = 'deferred'");
		sqlite3_bind_int64(st, 1, polity_id);
		sqlite3_bind_int64(st, 2, cohort);
		sqlite3_bind_int64(st, 3, account);
		if ((rc = store_run(st)))
			break;
		/* ranks below 1: ahead of the draw, outside its ranked list */
		st = store_stmt(s, "INSERT INTO summons(renewal_id, place, account_id, polity_id,"
				" cohort, state, summoned_at, deadline) VALUES (?, ?, ?, ?, ?,"
				" 'summoned', ?, ?)");
		sqlite3_bind_int64(st, 1, renewal_id);
		sqlite3_bind_int64(st, 2, -(int64_t)i);
		sqlite3_bind_int64(st, 3, account);
		sqlite3_bind_int64(st, 4, polity_id);
		sqlite3_bind_int64(st, 5, cohort);
		sqlite3_bind_int64(st, 6, at);
		sqlite3_bind_int64(st, 7, (draw_at > at ? draw_at : at) + answer_days * DAY);
		if ((rc = store_run(st)))
			break;
	}
	json_decref(due);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

/* The hash of a commitment's profiles: BLAKE2b-256 of the array of each
 * leaf's answers (one array of strings per leaf, in the leaves' order),
 * written as compact JSON. */
static int profiles_hash(const json_t *profiles, char hex[65])
{
	unsigned char h[32];
	char *text = json_dumps(profiles, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!text)
		return PX_E_NOMEM;
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, strlen(text), NULL, 0);
	free(text);
	hex32(h, hex);
	return 0;
}

int lot_check_profiles(const json_t *strata, struct px_error *err)
{
	const json_t *stated = json_object_get(strata, "profiles_hash");
	char hex[65];
	if (!stated)
		return 0; /* an older entry: the profiles are in it */
	const json_t *profiles = json_object_get(strata, "profiles");
	if (!json_is_array(profiles) || !json_is_string(stated))
		return px_fail(err, PX_E_BAD_INPUT, "strata", "the published record has no"
			       " profiles");
	if (profiles_hash(profiles, hex))
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if (strcmp(hex, json_string_value(stated)))
		return px_fail(err, PX_E_BAD_INPUT, "strata", "the published profiles do not"
			       " hash to the commitment's");
	return 0;
}

json_t *lot_commit_entry(const json_t *full)
{
	json_t *e = json_deep_copy(full);
	const json_t *strata = json_object_get(full, "strata");
	char hex[65];
	if (!e)
		return NULL;
	json_object_del(e, "leaves");
	json_object_set_new(e, "pool_size",
			    json_integer((json_int_t)json_array_size(json_object_get(full,
										    "leaves"))));
	if (json_is_object(strata) && json_object_get(strata, "profiles")) {
		json_t *st = json_object_get(e, "strata");
		if (profiles_hash(json_object_get(strata, "profiles"), hex)) {
			json_decref(e);
			return NULL;
		}
		json_object_del(st, "profiles");
		json_object_set_new(st, "profiles_hash", json_string(hex));
	}
	return e;
}

/* The entry with its record: the leaves, and the profiles when the
 * entry's strata name their hash. A new reference. */
static json_t *with_record(const json_t *entry, json_t *leaves, json_t *profiles)
{
	json_t *f = json_deep_copy(entry);
	if (!f)
		return NULL;
	json_object_set(f, "leaves", leaves);
	json_t *strata = json_object_get(f, "strata");
	if (json_is_object(strata) && json_object_get(strata, "profiles_hash") && profiles)
		json_object_set(strata, "profiles", profiles);
	return f;
}

int lot_commit_with_record(struct store *records, const json_t *p, json_t **full)
{
	int rc = 0;
	*full = NULL;
	if (json_object_get(p, "leaves"))
		return 0; /* an older entry carries its leaves */
	json_t *leaves = json_array(), *profiles = json_array();
	sqlite3_stmt *st = store_stmt(records, "SELECT leaf, profile FROM renewal_leaves"
				      " WHERE renewal_id = ? ORDER BY position");
	if (!leaves || !profiles || !st) {
		rc = st ? PX_E_NOMEM : PX_E_DB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(p, "renewal")));
	while (store_next(st, &rc)) {
		const char *prof = (const char *)sqlite3_column_text(st, 1);
		json_array_append_new(leaves, json_string((const char *)sqlite3_column_text(st, 0)));
		json_array_append_new(profiles, prof ? json_loads(prof, 0, NULL) : json_null());
	}
	if (!rc && !(*full = with_record(p, leaves, profiles)))
		rc = PX_E_NOMEM;
out:
	json_decref(leaves);
	json_decref(profiles);
	return rc;
}

int lot_apply_commit(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "polity"));
	const char *kind = json_string_value(json_object_get(p, "kind"));
	const char *source = json_string_value(json_object_get(p, "seed_source"));
	const char *commitment = json_string_value(json_object_get(p, "commitment"));
	const json_t *leaves = json_object_get(p, "leaves");
	int64_t id = json_integer_value(json_object_get(p, "renewal"));
	int64_t cohort = json_integer_value(json_object_get(p, "cohort"));
	int64_t draw_at = json_integer_value(json_object_get(p, "draw_at"));
	int64_t term_ends = json_integer_value(json_object_get(p, "term_ends"));
	int64_t seats = json_integer_value(json_object_get(p, "seats"));
	int64_t alternates = json_integer_value(json_object_get(p, "alternates"));
	int64_t witnesses = json_integer_value(json_object_get(p, "witnesses"));
	int64_t polity_id, next = 0;
	unsigned char (*lv)[PX_HASH_BYTES] = NULL, com[PX_HASH_BYTES], want[PX_HASH_BYTES];
	size_t n = json_array_size(leaves), i;
	json_t *v;
	int rc;

	if (!kind || (strcmp(kind, "regular") && strcmp(kind, "supplementary")) ||
	    !source || !json_is_array(leaves) || unhex32(commitment, want) ||
	    cohort < 1 || seats < 0 || alternates < 0 || witnesses < 1 ||
	    term_ends <= at)
		return px_fail(err, PX_E_BAD_INPUT, NULL, "a renewal.commit entry needs"
			       " polity, renewal, cohort, kind, draw_at, term_ends, seats,"
			       " alternates, witnesses, seed_source, commitment and leaves");
	/* the entry states the pool's size and, with quotas, the hash of
	 * the profiles; the record (leaves, profiles) is the published one
	 * (lot_commit_with_record), checked here against them. An older entry
	 * carries its leaves itself. */
	const json_t *size = json_object_get(p, "pool_size");
	if (size && (!json_is_integer(size) || json_integer_value(size) != (json_int_t)n))
		return px_fail(err, PX_E_BAD_INPUT, "leaves", "the published record has %zu"
			       " leaves, the commitment %lld", n,
			       (long long)json_integer_value(size));
	if ((rc = lot_check_profiles(json_object_get(p, "strata"), err)))
		return rc;
	if ((rc = lot_polity_by_slug(s, slug, &polity_id, NULL, NULL, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(id), 0) + 1 FROM renewals");
	if ((rc = store_int64(st, &next, NULL)))
		return px_fail(err, rc, NULL, NULL);
	if (id != next)
		return px_fail(err, PX_E_BAD_INPUT, "renewal", "the renewal is number %lld,"
			       " not %lld", (long long)next, (long long)id);
	if (n && !(lv = calloc(n, sizeof(*lv))))
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_array_foreach(leaves, i, v) {
		if (unhex32(json_string_value(v), lv[i]) ||
		    (i && memcmp(lv[i - 1], lv[i], PX_HASH_BYTES) >= 0)) {
			free(lv);
			return px_fail(err, PX_E_BAD_INPUT, "leaves", "the leaves are not"
				       " distinct hashes in canonical order");
		}
	}
	px_commit_leaves((const unsigned char (*)[PX_HASH_BYTES])lv, n, com);
	free(lv);
	if (memcmp(com, want, PX_HASH_BYTES))
		return px_fail(err, PX_E_BAD_INPUT, "commitment", "the leaves do not hash"
			       " to the commitment");
	st = store_stmt(s, "INSERT INTO renewals(id, polity_id, cohort, kind, committed_at,"
			" draw_at, term_ends, seats, alternates, witnesses, seed_source,"
			" commitment, pool_size) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, polity_id);
	sqlite3_bind_int64(st, 3, cohort);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, at);
	sqlite3_bind_int64(st, 6, draw_at);
	sqlite3_bind_int64(st, 7, term_ends);
	sqlite3_bind_int64(st, 8, seats);
	sqlite3_bind_int64(st, 9, alternates);
	sqlite3_bind_int64(st, 10, witnesses);
	sqlite3_bind_text(st, 11, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 12, commitment, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 13, (int64_t)n);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	if ((rc = resummon(s, p, id, polity_id, cohort, draw_at, at, err)))
		return rc;
	json_array_foreach(leaves, i, v) {
		st = store_stmt(s, "INSERT INTO renewal_leaves(renewal_id, position, leaf)"
				" VALUES (?, ?, lower(?))");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, json_string_value(v), -1, SQLITE_TRANSIENT);
		if ((rc = store_run(st)))
			return px_fail(err, rc, NULL, NULL);
	}
	/* with quotas: the profiles and the lottery, checked (quota.c) */
	return lot_apply_strata(s, polity_id, id, p, err);
}

/* A cohort's current term (the clock's list, due_list). */
struct due {
	int64_t polity_id, cohort, ends, seats, commit_days, committed;
};

/* ---- a pool's snapshot: what a commitment is computed from ---- */

struct snap {
	size_t n;
	int64_t *ids, *account_at; /* account_at: the person of each leaf */
	char **handles;
	unsigned char (*salts)[PX_SALT_BYTES];
	struct px_person *people;
	struct px_pool pool;
	json_t *leaves;  /* hex, canonical order */
	json_t *deferred;
	int64_t k;       /* the seats drawn: the cohort's, less those deferred */
	json_t *inputs;  /* the strata's (lot_strata_inputs), or NULL */
};

static void snap_release(struct snap *x)
{
	if (x->salts)
		sodium_memzero(x->salts, x->n * sizeof(*x->salts));
	free(x->salts);
	free(x->people);
	for (size_t i = 0; x->handles && i < x->n; i++)
		free(x->handles[i]);
	free(x->handles);
	free(x->ids);
	free(x->account_at);
	px_pool_release(&x->pool);
	json_decref(x->leaves);
	json_decref(x->deferred);
	json_decref(x->inputs);
	memset(x, 0, sizeof(*x));
}

/* The pool of (polity, cohort) for draw_at at now, in handle order:
 * x->n, ids, handles. */
static int snap_pool(struct store *s, int64_t polity_id, int64_t draw_at, int64_t now,
		     struct snap *x)
{
	int64_t region_id = 0;
	size_t cap = 0;
	int rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT region_id FROM polities WHERE id = ?");
	sqlite3_bind_int64(st, 1, polity_id);
	if ((rc = store_int64(st, &region_id, NULL)))
		return rc;
	st = store_stmt(s, POOL_SQL);
	sqlite3_bind_int64(st, 1, region_id);
	sqlite3_bind_int64(st, 2, draw_at);
	sqlite3_bind_int64(st, 3, polity_id);
	sqlite3_bind_int64(st, 5, lot_years_after(now, -LOT_TERM_YEARS));
	while (store_next(st, &rc)) {
		size_t room = cap;
		int64_t *i2 = px_grow(x->ids, &room, x->n, sizeof(*x->ids));
		if (i2)
			x->ids = i2;
		char **h2 = i2 ? px_grow(x->handles, &cap, x->n, sizeof(*x->handles)) : NULL;
		if (!h2) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
		x->handles = h2;
		x->ids[x->n] = sqlite3_column_int64(st, 0);
		if (!(x->handles[x->n] = strdup((const char *)sqlite3_column_text(st, 1)))) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
		x->n++;
	}
	return rc;
}

/* Fresh salts, the leaves and the commitment of x's pool. */
static int snap_build(struct snap *x, struct px_error *err)
{
	size_t n = x->n, i;
	if (n && (!(x->people = calloc(n, sizeof(*x->people))) ||
		  !(x->salts = calloc(n, sizeof(*x->salts)))))
		return PX_E_NOMEM;
	for (i = 0; i < n; i++) {
		randombytes_buf(x->salts[i], PX_SALT_BYTES);
		x->people[i].id = x->handles[i];
		x->people[i].salt = x->salts[i];
		x->people[i].row = i;
	}
	int rc = px_pool_build(&x->pool, x->people, n, NULL, NULL, err);
	if (rc)
		return rc;
	if (!(x->leaves = json_array()) ||
	    (x->pool.n && !(x->account_at = calloc(x->pool.n, sizeof(*x->account_at)))))
		return PX_E_NOMEM;
	for (i = 0; i < x->pool.n; i++) {
		char hex[65];
		hex32(x->pool.leaves[i], hex);
		json_array_append_new(x->leaves, json_string(hex));
		x->account_at[i] = x->ids[x->pool.people[i].row];
	}
	return 0;
}

/* Those summoned again ahead of the draw, the seats drawn, and what the
 * strata are made of. */
static int snap_inputs(struct store *s, int64_t polity_id, int64_t cohort, const char *kind,
		       int64_t draw_at, int64_t seats, struct snap *x)
{
	int rc;
	if (!(x->deferred = json_array()))
		return PX_E_NOMEM;
	if (!strcmp(kind, "regular") &&
	    (rc = deferred_list(s, polity_id, cohort, draw_at, seats, x->deferred)))
		return rc;
	x->k = seats - (int64_t)json_array_size(x->deferred);
	if (x->k < 0)
		x->k = 0;
	return lot_strata_inputs(s, polity_id, cohort, kind, x->k, x->pool.n, x->account_at,
				 &x->inputs);
}

/* ---- commitments prepared outside the write transaction ---- */

struct lot_prep {
	int64_t polity_id, cohort, draw_at;
	char kind[16];
	struct snap x;
	int64_t k;      /* the seats drawn, and what the strata were made of */
	json_t *inputs;
	json_t *strata; /* computed from inputs, or NULL */
	int used;       /* taken by a commitment (a transaction tried again
			 * computes anew) */
	struct lot_prep *next;
};

void lot_prep_release(struct lot_prep *p)
{
	while (p) {
		struct lot_prep *next = p->next;
		snap_release(&p->x);
		json_decref(p->inputs);
		json_decref(p->strata);
		free(p);
		p = next;
	}
}

/* The prepared commitment for x's pool now, when the pool (the same
 * people: the same handles, so the same leaves with the prepared salts),
 * the seats drawn and the strata's inputs are still those it was
 * computed from. */
static struct lot_prep *prep_for(struct lot_prep *list, int64_t polity_id, int64_t cohort,
				 const char *kind, int64_t draw_at, const struct snap *x)
{
	for (struct lot_prep *p = list; p; p = p->next) {
		if (p->used || p->polity_id != polity_id || p->cohort != cohort ||
		    p->draw_at != draw_at || strcmp(p->kind, kind) || p->x.n != x->n)
			continue;
		size_t i = 0;
		while (i < x->n && p->x.ids[i] == x->ids[i] &&
		       !strcmp(p->x.handles[i], x->handles[i]))
			i++;
		if (i == x->n)
			return p;
	}
	return NULL;
}

static int due_list(struct store *s, int64_t only_polity, struct due **out, size_t *count);

struct prep_args {
	int64_t now, only_polity;
	struct lot_prep *list;
	struct px_error *err;
};

static int prep_read(struct store *s, void *arg)
{
	struct prep_args *a = arg;
	struct due *due = NULL;
	size_t n = 0;
	int rc = due_list(s, a->only_polity, &due, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		struct due *d = &due[i];
		if (d->committed || a->now < d->ends - d->commit_days * DAY)
			continue;
		struct lot_prep *p = calloc(1, sizeof(*p));
		if (!p) {
			rc = PX_E_NOMEM;
			break;
		}
		p->polity_id = d->polity_id;
		p->cohort = d->cohort;
		p->draw_at = d->ends;
		snprintf(p->kind, sizeof(p->kind), "regular");
		p->next = a->list;
		a->list = p;
		if ((rc = snap_pool(s, d->polity_id, d->ends, a->now, &p->x)) ||
		    (rc = snap_build(&p->x, a->err)) ||
		    (rc = snap_inputs(s, d->polity_id, d->cohort, "regular", d->ends, d->seats,
				      &p->x)))
			break;
	}
	free(due);
	return rc;
}

int lot_prepare_commits(struct store *s, int64_t now, int64_t only_polity,
			struct lot_prep **out, struct px_error *err)
{
	struct prep_args a = { now, only_polity, NULL, err };
	*out = NULL;
	/* a consistent snapshot of the pools, read in one read transaction */
	int rc = store_read(s, prep_read, &a);
	/* then LEXIMIN, with no transaction open: nothing waits for it */
	for (struct lot_prep *p = a.list; !rc && p; p = p->next) {
		p->k = p->x.k;
		p->inputs = json_incref(p->x.inputs);
		if (p->inputs)
			rc = lot_strata_compute(p->inputs, p->k, p->x.leaves, &p->strata, err);
	}
	if (rc) {
		lot_prep_release(a.list);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.list;
	return 0;
}

int lot_commit(struct store *s, int64_t now, int64_t polity_id, int64_t cohort,
	       const char *kind, int64_t draw_at, int64_t term_ends, int64_t seats,
	       struct lot_prep *prep, int64_t *renewal_id, struct px_error *err)
{
	struct lot_settings set;
	struct snap x = { 0 };
	struct lot_prep *ready = NULL;
	int64_t next = 0;
	char slug[GOV_SLUG_SIZE], hex[65], shex[65];
	size_t i;
	json_t *payload = NULL, *strata = NULL, *entry = NULL, *applied = NULL;
	int rc;

	if ((rc = lot_settings_get(s, polity_id, &set)) || (rc = polity_slug(s, polity_id, slug)))
		goto out;
	/* the pool now; with the salts prepared for it, when it is the same */
	if ((rc = snap_pool(s, polity_id, draw_at, now, &x)))
		goto out;
	ready = prep_for(prep, polity_id, cohort, kind, draw_at, &x);
	if (ready) {
		/* the same people: the prepared salts, leaves and commitment are
		 * this pool's; what depends on more than the people is read again */
		struct snap fresh = x;
		x = ready->x;
		ready->x = fresh;
		ready->used = 1;
		json_decref(x.deferred);
		json_decref(x.inputs);
		x.deferred = x.inputs = NULL;
	} else if ((rc = snap_build(&x, err))) {
		goto out;
	}
	if ((rc = snap_inputs(s, polity_id, cohort, kind, draw_at, seats, &x)))
		goto out;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(id), 0) + 1 FROM renewals");
	if ((rc = store_int64(st, &next, NULL)))
		goto out;
	hex32(x.pool.commitment, hex);
	int64_t alternates = set.alternates ? set.alternates : (seats > 5 ? seats : 5);
	/* with quotas: LEXIMIN and its lottery over the pool's profiles,
	 * computed before the transaction when nothing it depends on changed
	 * since (the same leaves, seats, quotas and profiles), here otherwise */
	if (x.inputs && ready && ready->strata && ready->k == x.k &&
	    json_equal(ready->inputs, x.inputs))
		strata = json_incref(ready->strata);
	else if (x.inputs && (rc = lot_strata_compute(x.inputs, x.k, x.leaves, &strata, err)))
		goto out;
	payload = json_pack("{s:s, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s, s:O,"
			    " s:O}",
			    "polity", slug, "renewal", (json_int_t)next,
			    "cohort", (json_int_t)cohort, "kind", kind,
			    "draw_at", (json_int_t)draw_at, "term_ends", (json_int_t)term_ends,
			    "seats", (json_int_t)x.k, "alternates", (json_int_t)alternates,
			    "witnesses", (json_int_t)set.witnesses, "seed_source", set.seed_source,
			    "commitment", hex, "leaves", x.leaves, "deferred", x.deferred);
	if (!payload) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (strata)
		json_object_set(payload, "strata", strata);
	/* the journal holds the commitment, the pool's size and the hash of
	 * the profiles; the record itself (leaves, profiles) is published
	 * beside it (renewal_leaves: GET /renewals/{id}/record and /lottery)
	 * and checked against them, live and in replay */
	if (!(entry = lot_commit_entry(payload)) ||
	    !(applied = with_record(entry, x.leaves, json_object_get(strata, "profiles")))) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* applied as replay applies it: the entry with the record */
	if ((rc = lot_apply_commit(s, applied, now, err)))
		goto out;
	/* the receipts: private, beside the published leaves */
	for (i = 0; i < x.pool.n; i++) {
		size_t row = x.pool.people[i].row;
		hex32(x.pool.leaves[i], hex);
		hex32(x.salts[row], shex);
		st = store_stmt(s, "INSERT INTO renewal_salts(renewal_id, account_id, leaf,"
				" salt) VALUES (?, ?, ?, ?)");
		sqlite3_bind_int64(st, 1, next);
		sqlite3_bind_int64(st, 2, x.ids[row]);
		sqlite3_bind_text(st, 3, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, shex, -1, SQLITE_TRANSIENT);
		if ((rc = store_run(st)))
			goto out;
	}
	rc = journal_append(s, now, "operator", slug, "renewal.commit", entry, NULL);
	if (!rc && renewal_id)
		*renewal_id = next;
out:
	sodium_memzero(shex, sizeof(shex));
	snap_release(&x);
	json_decref(strata);
	json_decref(payload);
	json_decref(entry);
	json_decref(applied);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

/* ---- the end of a cohort's term ---- */

int lot_apply_term(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	const char *slug = json_string_value(json_object_get(p, "polity"));
	int64_t cohort = json_integer_value(json_object_get(p, "cohort"));
	int64_t ended = json_integer_value(json_object_get(p, "ended_at"));
	int64_t term_ends = json_integer_value(json_object_get(p, "term_ends"));
	const json_t *who = json_object_get(p, "ended");
	int64_t polity_id, body_id;
	int rc = lot_polity_by_slug(s, slug, &polity_id, NULL, &body_id, err);
	if (rc)
		return rc;
	if (at < ended || term_ends <= ended || !json_is_array(who))
		return px_fail(err, PX_E_BAD_INPUT, "ended_at", "a term ends on its date,"
			       " not before");
	/* those who held the seats are the ones the entry names */
	json_t *held = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle FROM polity_seats ps JOIN accounts a"
		" ON a.id = ps.holder_id WHERE ps.polity_id = ? AND ps.cohort = ?"
		" AND ps.term_ends = ? ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, ended);
	while (store_next(st, &rc))
		json_array_append_new(held, json_string((const char *)sqlite3_column_text(st, 0)));
	int same = !rc && json_equal(held, (json_t *)who);
	json_decref(held);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!same)
		return px_fail(err, PX_E_BAD_INPUT, "ended", "the entry names others than"
			       " the holders of the seats");
	st = store_stmt(s, "UPDATE summons SET state = 'term_ended', ended_at = ?3"
			" WHERE state = 'accepted' AND polity_id = ?1 AND cohort = ?2");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, ended);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE memberships SET status = 'left' WHERE body_id = ?1"
			" AND status = 'active' AND account_id IN (SELECT holder_id FROM"
			" polity_seats WHERE polity_id = ?2 AND cohort = ?3 AND term_ends = ?4)");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_int64(st, 2, polity_id);
	sqlite3_bind_int64(st, 3, cohort);
	sqlite3_bind_int64(st, 4, ended);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	st = store_stmt(s, "UPDATE polity_seats SET holder_id = NULL, term_starts = ?4,"
			" term_ends = ?5 WHERE polity_id = ?1 AND cohort = ?2 AND term_ends = ?3");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, ended);
	sqlite3_bind_int64(st, 4, ended);
	sqlite3_bind_int64(st, 5, term_ends);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	/* the cohort's seats for the new term: as many as its renewal
	 * committed (docs/polities.md, choice 38); an entry states them */
	int64_t size = 0;
	int found = 0;
	const json_t *stated = json_object_get(p, "seats");
	if ((rc = lot_cohort_next_size(s, polity_id, cohort, ended, &size, &found)))
		return px_fail(err, rc, NULL, NULL);
	if (stated && (!found || json_integer_value(stated) != size))
		return px_fail(err, PX_E_BAD_INPUT, "seats", "the cohort's renewal committed"
			       " %lld seats", (long long)size);
	if (found && (rc = lot_cohort_resize(s, polity_id, body_id, cohort, ended, term_ends,
					     size)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

static int end_term(struct store *s, int64_t now, int64_t polity_id, int64_t cohort,
		    int64_t ended, struct px_error *err)
{
	char slug[GOV_SLUG_SIZE];
	json_t *who = json_array(), *p = NULL;
	int rc = polity_slug(s, polity_id, slug);
	if (rc)
		goto out;
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle FROM polity_seats ps JOIN accounts a"
		" ON a.id = ps.holder_id WHERE ps.polity_id = ? AND ps.cohort = ?"
		" AND ps.term_ends = ? ORDER BY a.handle");
	sqlite3_bind_int64(st, 1, polity_id);
	sqlite3_bind_int64(st, 2, cohort);
	sqlite3_bind_int64(st, 3, ended);
	while (store_next(st, &rc))
		json_array_append_new(who, json_string((const char *)sqlite3_column_text(st, 0)));
	if (rc)
		goto out;
	p = json_pack("{s:s, s:I, s:I, s:I, s:O}", "polity", slug, "cohort", (json_int_t)cohort,
		      "ended_at", (json_int_t)ended,
		      "term_ends", (json_int_t)lot_years_after(ended, LOT_TERM_YEARS), "ended", who);
	int64_t size = 0;
	int found = 0;
	if (p && (rc = lot_cohort_next_size(s, polity_id, cohort, ended, &size, &found)))
		goto out;
	if (p && found)
		json_object_set_new(p, "seats", json_integer(size));
	if (!p) {
		rc = PX_E_NOMEM;
		goto out;
	}
	if (!(rc = lot_apply_term(s, p, now, err)))
		rc = journal_append(s, now, "operator", slug, "renewal.term", p, NULL);
out:
	json_decref(who);
	json_decref(p);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

/* ---- the clock ---- */

int lot_clock_tick(struct store *s, int64_t now, int64_t only_polity, int64_t *made,
		   struct px_error *err)
{
	return lot_clock_tick_prepared(s, now, only_polity, NULL, made, err);
}

/* Each cohort's current term, and whether its renewal is committed: a
 * renewal commits the seats the polity's seats give the cohort now
 * (docs/polities.md, choice 38: a change decided takes effect at each
 * cohort's next renewal). *out is malloc'd. */
static int due_list(struct store *s, int64_t only_polity, struct due **out, size_t *count)
{
	struct due *due = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT t.polity_id, t.cohort, t.ends, "
		LOT_COHORT_SEATS("p", "t.cohort") ","
		" st.commit_days, EXISTS (SELECT 1 FROM renewals r WHERE"
		" r.polity_id = t.polity_id AND r.cohort = t.cohort AND r.kind = 'regular'"
		" AND r.draw_at = t.ends) FROM (SELECT polity_id, cohort, min(term_ends) AS ends"
		" FROM polity_seats WHERE ?1 = 0 OR polity_id = ?1"
		" GROUP BY polity_id, cohort) t JOIN polity_settings st"
		" ON st.polity_id = t.polity_id JOIN polities p ON p.id = t.polity_id"
		" ORDER BY 1, 2");
	sqlite3_bind_int64(st, 1, only_polity);
	while (store_next(st, &rc)) {
		struct due *d2 = px_grow(due, &cap, n, sizeof(*due));
		if (!d2) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
		due = d2;
		due[n].polity_id = sqlite3_column_int64(st, 0);
		due[n].cohort = sqlite3_column_int64(st, 1);
		due[n].ends = sqlite3_column_int64(st, 2);
		due[n].seats = sqlite3_column_int64(st, 3);
		due[n].commit_days = sqlite3_column_int64(st, 4);
		due[n].committed = sqlite3_column_int64(st, 5);
		n++;
	}
	*out = due;
	*count = n;
	return rc;
}

int lot_clock_tick_prepared(struct store *s, int64_t now, int64_t only_polity,
			    struct lot_prep *prep, int64_t *made, struct px_error *err)
{
	struct due *due = NULL;
	size_t n = 0;
	int rc = due_list(s, only_polity, &due, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		struct due *d = &due[i];
		if (!d->committed && now >= d->ends - d->commit_days * DAY) {
			rc = lot_commit(s, now, d->polity_id, d->cohort, "regular", d->ends,
					lot_years_after(d->ends, LOT_TERM_YEARS), d->seats, prep,
					NULL, err);
			if (!rc && made)
				(*made)++;
		}
		if (!rc && now >= d->ends) {
			rc = end_term(s, now, d->polity_id, d->cohort, d->ends, err);
			if (!rc && made)
				(*made)++;
		}
	}
	free(due);
	if (!rc)
		rc = lot_summons_tick(s, now, only_polity, made, err);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

struct tick_args {
	int64_t now, polity;
	struct lot_prep *prep;
	int64_t made;
	struct px_error *err;
};

static int tick_tx(struct store *s, void *arg)
{
	struct tick_args *a = arg;
	a->made = 0;
	return lot_clock_tick_prepared(s, a->now, a->polity, a->prep, &a->made, a->err);
}

/* The clock at now: its commitments prepared first, with no write
 * transaction open (LEXIMIN may take seconds on a large pool), then
 * everything in one short transaction that takes what is still valid. */
static int run_clock(struct store *s, int64_t now, int64_t polity, int64_t *made,
		     struct px_error *err)
{
	struct lot_prep *prep = NULL;
	int rc = lot_prepare_commits(s, now, polity, &prep, err);
	if (rc)
		return rc;
	struct tick_args a = { now, polity, prep, 0, err };
	rc = store_tx(s, tick_tx, &a);
	lot_prep_release(prep);
	if (made)
		*made = a.made;
	return rc && err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
}

int gov_lot_clock(const struct gov_ctx *ctx, int64_t *made, struct px_error *err)
{
	return run_clock(ctx->db, ctx->now, 0, made, err);
}

int gov_lot_renew(const struct gov_ctx *ctx, const char *slug, int64_t at, int64_t *made,
		  struct px_error *err)
{
	int found = 0;
	int64_t offset = 0, polity_id;
	if (!ctx->operator)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "only the operator runs the clock"
			       " of a simulation");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT offset FROM sim_clock WHERE id = 1");
	int rc = store_int64(st, &offset, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!found)
		return px_fail(err, PX_E_FORBIDDEN, NULL, "this server's clock is the real"
			       " one: renewals run by themselves on their dates (a controlled"
			       " clock is made by 'pnyx init --controlled-clock', for"
			       " simulation and tests only)");
	if ((rc = lot_polity_by_slug(ctx->db, slug, &polity_id, NULL, NULL, err)))
		return rc;
	/* the clock never goes back: a moment already past runs the
	 * renewals at the clock's own time */
	if (at < ctx->now + offset)
		at = ctx->now + offset;
	st = store_stmt(ctx->db, "UPDATE sim_clock SET offset = ? WHERE id = 1");
	sqlite3_bind_int64(st, 1, at - ctx->now);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	if ((rc = run_clock(ctx->db, at, polity_id, made, err)))
		return rc;
	/* the meetings of the schedules, as the server's clock makes them
	 * a year ahead of its time */
	struct gov_ctx at_ctx = *ctx;
	int64_t meetings = 0;
	at_ctx.now = at;
	return gov_meetings_materialise(&at_ctx, &meetings, err);
}

/* ---- witnesses and the draw ---- */

int lot_apply_witness(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	int64_t id = json_integer_value(json_object_get(p, "renewal")), account;
	const char *text = json_string_value(json_object_get(p, "text"));
	int rc = lot_account_id(s, json_string_value(json_object_get(p, "person")), &account,
				err);
	if (rc)
		return rc;
	if (!text)
		return px_fail(err, PX_E_BAD_INPUT, "text", "a witness enters a text");
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO renewal_witnesses(renewal_id,"
				      " account_id, text, at) SELECT id, ?2, ?3, ?4 FROM renewals"
				      " WHERE id = ?1 AND seed IS NULL AND draw_at <= ?4"
				      " ON CONFLICT DO NOTHING");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, at);
	if ((rc = store_run(st)))
		return px_fail(err, rc, NULL, NULL);
	if (sqlite3_changes(store_db(s)) != 1)
		return px_fail(err, PX_E_CONFLICT, "renewal", "no renewal %lld waiting for"
			       " its seed, or this witness entered it already", (long long)id);
	return 0;
}

/* The ranked list of a committed renewal for a seed text: positions in
 * canonical order. */
static int rank_of(struct store *s, int64_t id, const char *text, unsigned char seed[32],
		   int64_t *n_out, int64_t *r_out, int64_t *seats_out, uint32_t **ranks,
		   struct px_error *err)
{
	int row = 0, rc;
	unsigned char com[32];
	sqlite3_stmt *st = store_stmt(s, "SELECT commitment, pool_size, seats, alternates"
				      " FROM renewals WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, "renewal", "no renewal %lld", (long long)id);
	int bad = unhex32((const char *)sqlite3_column_text(st, 0), com);
	int64_t n = sqlite3_column_int64(st, 1), seats = sqlite3_column_int64(st, 2);
	int64_t alt = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	if (bad)
		return px_fail(err, PX_E_INTERNAL, NULL, "a renewal's commitment is not hex");
	int64_t r = seats + alt < n ? seats + alt : n, pick = 0;
	*ranks = calloc(r ? (size_t)r : 1, sizeof(**ranks));
	if (!*ranks)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	/* uniform, or with quotas the panel the lottery gives (quota.c) */
	if ((rc = lot_strata_ranks(s, id, com, text, (size_t)n,
				   (size_t)(seats < n ? seats : n), (size_t)r, *ranks, seed,
				   &pick, err))) {
		free(*ranks);
		*ranks = NULL;
		return rc;
	}
	*n_out = n;
	*r_out = r;
	*seats_out = seats < n ? seats : n;
	return 0;
}

static int leaf_at(struct store *s, int64_t id, uint32_t pos, char out[65])
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT leaf FROM renewal_leaves WHERE renewal_id = ?"
				      " AND position = ?");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, pos);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row)
		return PX_E_INTERNAL;
	snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

/* lot_apply_draw's work; calls receives who was summoned and skipped. */
static int apply_draw(struct store *s, const json_t *p, int64_t at, json_t *calls,
		      struct px_error *err)
{
	int64_t id = json_integer_value(json_object_get(p, "renewal"));
	const char *text = json_string_value(json_object_get(p, "seed_text"));
	const char *seed_hex = json_string_value(json_object_get(p, "seed"));
	const json_t *lists[2] = { json_object_get(p, "drawn"), json_object_get(p, "alternates") };
	unsigned char seed[32];
	char hex[65], leaf[65];
	uint32_t *ranks = NULL;
	int64_t n, r, seats, drawn_at = 0;
	int rc, found = 0;
	if (!text)
		return px_fail(err, PX_E_BAD_INPUT, "seed_text", "a draw names its seed text");
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(drawn_at, 0) FROM renewals WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_int64(st, &drawn_at, &found)))
		return px_fail(err, rc, NULL, NULL);
	if (!found || drawn_at)
		return px_fail(err, PX_E_CONFLICT, "renewal", "renewal %lld is not waiting for"
			       " its draw", (long long)id);
	if ((rc = rank_of(s, id, text, seed, &n, &r, &seats, &ranks, err)))
		return rc;
	hex32(seed, hex);
	if (!seed_hex || strcmp(seed_hex, hex) ||
	    json_array_size(lists[0]) != (size_t)seats ||
	    json_array_size(lists[1]) != (size_t)(r - seats)) {
		rc = px_fail(err, PX_E_BAD_INPUT, "seed", "the draw is not what the"
			     " commitment and the seed text give");
		goto out;
	}
	for (int64_t k = 0; k < r; k++) {
		const json_t *e = json_array_get(lists[k < seats ? 0 : 1], k < seats ? k : k - seats);
		const char *person = json_string_value(json_object_get(e, "person"));
		const char *l = json_string_value(json_object_get(e, "leaf"));
		int64_t account;
		if ((rc = leaf_at(s, id, ranks[k], leaf)))
			goto out;
		if (!l || strcmp(l, leaf)) {
			rc = px_fail(err, PX_E_BAD_INPUT, "drawn", "rank %lld is not the leaf"
				     " the seed gives", (long long)k + 1);
			goto out;
		}
		if ((rc = lot_account_id(s, person, &account, err)))
			goto out;
		st = store_stmt(s, "INSERT INTO renewal_ranks(renewal_id, place, account_id,"
				" leaf, drawn, state) VALUES (?, ?, ?, ?, ?, 'waiting')");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, k + 1);
		sqlite3_bind_int64(st, 3, account);
		sqlite3_bind_text(st, 4, leaf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 5, k < seats);
		if ((rc = store_run(st)))
			goto out;
	}
	st = store_stmt(s, "UPDATE renewals SET seed_text = ?, seed = ?, drawn_at = ?"
			" WHERE id = ?");
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_int64(st, 4, id);
	if ((rc = store_run(st)))
		goto out;
	/* the seats: each goes to the next one in rank order who is still
	 * eligible (the drawn first, then the alternates) */
	for (int64_t k = 0; k < seats && !rc; k++) {
		int exhausted = 0;
		rc = lot_call_next(s, id, at, calls, &exhausted, err);
		if (exhausted)
			break;
	}
out:
	free(ranks);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

int lot_apply_draw(struct store *s, const json_t *p, int64_t at, struct px_error *err)
{
	json_t *calls = json_array();
	int rc = apply_draw(s, p, at, calls, err);
	if (!rc)
		rc = lot_calls_match(p, calls, err);
	json_decref(calls);
	return rc;
}

/* Who may witness renewal id's draw: a citizen of its polity (living in
 * its region, consent valid now) or a member of its assembly. */
static int may_witness(struct store *s, int64_t account, int64_t polity_id,
		       int64_t region_id, int64_t now, int *yes)
{
	sqlite3_stmt *st = store_stmt(s, LOT_REGION_DOWN
		" SELECT 1 FROM residences r JOIN consents c ON c.account_id = r.account_id"
		" WHERE r.account_id = ?2 AND c.expires_at > ?3 AND r.community_id IN"
		" (SELECT community_id FROM region_communities WHERE region_id IN"
		"  (SELECT id FROM down))"
		" UNION ALL SELECT 1 FROM polity_seats WHERE polity_id = ?4 AND holder_id = ?2");
	sqlite3_bind_int64(st, 1, region_id);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, polity_id);
	return store_exists(st, yes);
}

struct seed_args {
	const struct gov_ctx *ctx;
	int64_t id;
	const char *text;
	json_t *out;
	struct px_error *err;
};

static int seed_tx(struct store *s, void *arg)
{
	struct seed_args *a = arg;
	const struct gov_ctx *ctx = a->ctx;
	int64_t now = ctx->now, polity_id = 0, region_id = 0, draw_at = 0, needed = 0, agree = 0;
	char slug[GOV_SLUG_SIZE];
	json_t *w = NULL, *d = NULL, *drawn = NULL, *alts = NULL, *calls = NULL;
	uint32_t *ranks = NULL;
	int rc, row = 0, yes = 0, drawn_already = 0;
	json_decref(a->out);
	a->out = NULL;
	/* the clock first: a cohort whose term ended today is empty before
	 * anyone is drawn into it */
	if ((rc = lot_clock_tick(s, now, 0, NULL, a->err)))
		return rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT r.polity_id, p.region_id, r.draw_at,"
		" r.witnesses, r.seed IS NOT NULL, p.slug FROM renewals r JOIN polities p"
		" ON p.id = r.polity_id WHERE r.id = ?");
	sqlite3_bind_int64(st, 1, a->id);
	if ((rc = store_step(st, &row)))
		return px_fail(a->err, rc, NULL, NULL);
	if (!row)
		return px_fail(a->err, PX_E_NOT_FOUND, NULL, "no renewal %lld", (long long)a->id);
	polity_id = sqlite3_column_int64(st, 0);
	region_id = sqlite3_column_int64(st, 1);
	draw_at = sqlite3_column_int64(st, 2);
	needed = sqlite3_column_int64(st, 3);
	drawn_already = sqlite3_column_int(st, 4);
	snprintf(slug, sizeof(slug), "%s", (const char *)sqlite3_column_text(st, 5));
	sqlite3_reset(st);
	if (drawn_already)
		return px_fail(a->err, PX_E_CONFLICT, NULL, "this renewal was drawn already");
	if (now < draw_at)
		return px_fail(a->err, PX_E_LOT_NOT_YET, NULL, "the seed is the result of an"
			       " event on the draw date: witnesses enter it from then on, never"
			       " before");
	if (ctx->operator)
		return px_fail(a->err, PX_E_LOT_NOT_WITNESS, NULL, "the operator is not a"
			       " witness: citizens and members of the assembly are");
	if ((rc = may_witness(s, ctx->account_id, polity_id, region_id, now, &yes)))
		return px_fail(a->err, rc, NULL, NULL);
	if (!yes)
		return px_fail(a->err, PX_E_LOT_NOT_WITNESS, NULL, NULL);
	st = store_stmt(s, "SELECT 1 FROM renewal_witnesses WHERE renewal_id = ? AND"
			" account_id = ?");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_int64(st, 2, ctx->account_id);
	if ((rc = store_exists(st, &yes)))
		return px_fail(a->err, rc, NULL, NULL);
	if (yes)
		return px_fail(a->err, PX_E_EXISTS, NULL, "you entered this draw's seed"
			       " already: each witness enters it once");
	w = json_pack("{s:I, s:s, s:s}", "renewal", (json_int_t)a->id, "person", ctx->handle,
		      "text", a->text);
	if (!w)
		return px_fail(a->err, PX_E_NOMEM, NULL, NULL);
	if ((rc = lot_apply_witness(s, w, now, a->err)) ||
	    (rc = journal_append(s, now, gov_actor(ctx), slug, "renewal.witness", w, NULL)))
		goto out;
	st = store_stmt(s, "SELECT count(*) FROM renewal_witnesses WHERE renewal_id = ?"
			" AND text = ?");
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_text(st, 2, a->text, -1, SQLITE_TRANSIENT);
	if ((rc = store_int64(st, &agree, NULL)))
		goto out;
	if (agree >= needed) {
		unsigned char seed[32];
		char hex[65], leaf[65];
		int64_t n, r, seats;
		if ((rc = rank_of(s, a->id, a->text, seed, &n, &r, &seats, &ranks, a->err)))
			goto out;
		hex32(seed, hex);
		drawn = json_array();
		alts = json_array();
		for (int64_t k = 0; k < r && !rc; k++) {
			if ((rc = leaf_at(s, a->id, ranks[k], leaf)))
				break;
			struct strbuf h;
			int found = 0;
			sb_init(&h, 64);
			st = store_stmt(s, "SELECT a.handle FROM renewal_salts x JOIN accounts a"
					" ON a.id = x.account_id WHERE x.renewal_id = ? AND x.leaf = ?");
			sqlite3_bind_int64(st, 1, a->id);
			sqlite3_bind_text(st, 2, leaf, -1, SQLITE_TRANSIENT);
			if (!(rc = store_text(st, &h, &found)) && !found)
				rc = px_fail(a->err, PX_E_INTERNAL, NULL, "a leaf has no receipt");
			if (!rc)
				json_array_append_new(k < seats ? drawn : alts, json_pack("{s:s, s:s}",
					"person", h.buf, "leaf", leaf));
			sb_release(&h);
		}
		if (rc)
			goto out;
		d = json_pack("{s:I, s:s, s:s, s:O, s:O}", "renewal", (json_int_t)a->id,
			      "seed_text", a->text, "seed", hex, "drawn", drawn, "alternates", alts);
		calls = json_array();
		if (!d || !calls) {
			rc = PX_E_NOMEM;
			goto out;
		}
		if ((rc = apply_draw(s, d, now, calls, a->err)))
			goto out;
		json_object_set(d, "calls", calls);
		if ((rc = journal_append(s, now, "operator", slug, "renewal.draw", d, NULL)) ||
		    (rc = lot_after_calls(s, now, polity_id, calls, a->err)))
			goto out;
	}
	rc = gov_renewal_get(ctx, a->id, &a->out, a->err);
out:
	free(ranks);
	json_decref(w);
	json_decref(d);
	json_decref(drawn);
	json_decref(alts);
	json_decref(calls);
	if (rc && a->err && !a->err->code)
		px_fail(a->err, rc, NULL, NULL);
	return rc;
}

/* A seed text as docs/sortition.md section 3 takes it. */
static int seed_text_ok(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (!n || n > 4000 || text_utf8_chars(t) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return 0;
	}
	return 1;
}

int gov_renewal_seed(const struct gov_ctx *ctx, int64_t id, const char *text, json_t **out,
		     struct px_error *err)
{
	*out = NULL;
	int rc = ctx->operator ? 0 : gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (!seed_text_ok(text))
		return px_fail(err, PX_E_BAD_INPUT, "text", "the seed is the published text of"
			       " the source: 1 to 4,000 bytes of UTF-8, without control"
			       " characters other than tab and line ends");
	struct seed_args a = { ctx, id, text, NULL, err };
	rc = store_tx(ctx->db, seed_tx, &a);
	if (rc) {
		json_decref(a.out);
		return err && !err->code ? px_fail(err, rc, NULL, NULL) : rc;
	}
	*out = a.out;
	return 0;
}
