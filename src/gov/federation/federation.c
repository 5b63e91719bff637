/*
 * federation.c: delegate assemblies and their members, the seats of
 * delegates, the weighting of their votes, and reading all of it.
 *
 * Nothing here is reachable except from the effects of adopted motions
 * (motion_kinds_fed.c) and from readers. Invariants kept:
 * - a delegate assembly's active members are exactly the holders of
 *   unrecalled seats of member assemblies whose membership is active
 *   (fed_sync_seat is the only writer of those memberships rows);
 * - a seat lost ends at once: its holder's votes in votes still open are
 *   withdrawn in the same transaction;
 * - no federation contains itself at any depth (fed_contains is checked
 *   at submission and again when the joining decision takes effect).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/shares.h"
#include "core/rule.h"
#include "store/store.h"
#include "gov/federation/fed_tree.h"
#include "gov/federation/federation.h"
#include "gov/procedure/procedure.h"
#include "banned.h"


int fed_body_by_slug(struct store *s, const char *slug, const char *field,
		     int64_t *id, char kind[16], struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, kind FROM bodies WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int found = 0, rc = store_step(st, &found);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (found) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
	}
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, field, "no assembly '%s'", slug);
}

int fed_is_delegate(struct store *s, int64_t body_id, int *yes)
{
	int64_t v = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT kind = 'delegate' FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int rc = store_int64(st, &v, NULL);
	*yes = v != 0;
	return rc;
}

int fed_member_status(struct store *s, int64_t federation, int64_t member,
		      char status[16])
{
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT status FROM federation_members"
				      " WHERE federation_id = ? AND member_id = ?");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	status[0] = '\0';
	if ((rc = store_step(st, &row)) || !row)
		return rc;
	snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

/* What a delegate assembly may decide is in each kind's row (decided_by):
 * its own procedure, its federation's business and proposals; never a
 * law, never who is a member (delegates come and go by their assemblies'
 * decisions). A row that does not name delegate assemblies is refused
 * there, so a kind added later is local-only until its row says
 * otherwise. */
int fed_kind_allowed(struct store *s, int64_t body_id, const char *kind,
		     struct px_error *err)
{
	const struct motion_kind *k = motion_kind_find(kind);
	char body_kind[16] = "";
	int row = 0, rc;
	sqlite3_stmt *st = store_stmt(s, "SELECT kind FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	if ((rc = store_step(st, &row)))
		return rc;
	if (row) {
		snprintf(body_kind, sizeof(body_kind), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	if (!k)
		return px_fail(err, PX_E_BAD_INPUT, "kind", "no kind of motion '%s'", kind);
	unsigned by = motion_kind_decider(body_kind);
	int why = motion_kind_refusal(k, by);
	if (why == PX_E_FED_NO_LAWS || why == PX_E_ENTERPRISE_NO_LAWS ||
	    why == PX_E_MILITIA_NO_LAWS)
		return px_fail(err, why, "kind", NULL);
	if (why)
		return px_fail(err, why, "kind", by == KIND_BY_DELEGATE
			       ? "a delegate assembly does not decide '%s'"
			       : by == KIND_BY_POLITY
			       ? "a polity's assembly does not decide '%s': its members are"
				 " seated by lot, and it joins no federation"
			       : by == KIND_BY_ENTERPRISE
			       ? "an enterprise does not decide '%s': it decides its own"
				 " work, members, procedure and federations, bound by local"
				 " law"
			       : by == KIND_BY_MILITIA
			       ? "a militia does not decide '%s': its volunteers join and"
				 " leave freely, its officers have duties only, and it makes"
				 " no law"
			       : k->decided_by == KIND_BY_ENTERPRISE
			       ? "only an enterprise decides '%s', for itself"
			       : k->decided_by == KIND_BY_POLITY
			       ? "only a polity's assembly decides '%s', on its own polity"
			       : "only a delegate assembly decides '%s'", kind);
	return 0;
}

int fed_contains(struct store *s, int64_t outer, int64_t inner, int *yes)
{
	int64_t one = 0;
	*yes = 1;
	if (outer == inner)
		return 0;
	/* through delegate assemblies only (a local one has no members), a
	 * set of ids so that it ends whatever the depth */
	sqlite3_stmt *st = store_stmt(s, "WITH RECURSIVE below(id) AS ("
		" SELECT ?1"
		" UNION SELECT f.member_id FROM federation_members f"
		"  JOIN below b ON f.federation_id = b.id"
		"  JOIN bodies k ON k.id = f.member_id AND (k.kind = 'delegate' OR k.id = ?2)"
		"  WHERE f.status <> 'left')"
		" SELECT 1 FROM below WHERE id = ?2 LIMIT 1");
	sqlite3_bind_int64(st, 1, outer);
	sqlite3_bind_int64(st, 2, inner);
	return store_int64(st, &one, yes);
}

/* The longest chain of memberships that have not ended above body (up)
 * or beneath it, in memberships; past FED_MAX_DEPTH it stops counting. */
static int chain(struct store *s, int64_t body, int up, int64_t *d)
{
	sqlite3_stmt *st = store_stmt(s, up
		? "WITH RECURSIVE c(id, d) AS (SELECT ?1, 0"
		  " UNION SELECT f.federation_id, c.d + 1 FROM federation_members f"
		  "  JOIN c ON f.member_id = c.id WHERE f.status <> 'left' AND c.d <= ?2)"
		  " SELECT max(d) FROM c"
		: "WITH RECURSIVE c(id, d) AS (SELECT ?1, 0"
		  " UNION SELECT f.member_id, c.d + 1 FROM federation_members f"
		  "  JOIN c ON f.federation_id = c.id JOIN bodies k ON k.id = f.member_id"
		  "  AND k.kind = 'delegate' WHERE f.status <> 'left' AND c.d <= ?2)"
		  " SELECT max(d) + EXISTS (SELECT 1 FROM c JOIN federation_members f"
		  "  ON f.federation_id = c.id AND f.status <> 'left' JOIN bodies k"
		  "  ON k.id = f.member_id AND k.kind = 'local') FROM c");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int(st, 2, FED_MAX_DEPTH);
	return store_int64(st, d, NULL);
}

int fed_depth_check(struct store *s, int64_t federation, int64_t member,
		    struct px_error *err)
{
	int64_t above = 0, below = 0;
	int rc = chain(s, federation, 1, &above);
	if (rc || (rc = chain(s, member, 0, &below)))
		return px_fail(err, rc, NULL, NULL);
	int64_t depth = above + 1 + below;
	if (depth > FED_MAX_DEPTH)
		return px_fail(err, PX_E_CONFLICT, "params.federation",
			       "federations nest at most %d memberships deep; this would"
			       " make %lld", FED_MAX_DEPTH, (long long)depth);
	return 0;
}

int fed_left_suspended(struct store *s, int64_t federation, int64_t member, int *left)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT status FROM federation_changes"
		" WHERE federation_id = ? AND member_id = ? ORDER BY id DESC LIMIT 2");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	int n = 0, yes = 0, rc = 0;
	while (store_next(st, &rc)) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		yes = n == 0 ? !strcmp(status, "left") : yes && !strcmp(status, "suspended");
		n++;
	}
	*left = !rc && n == 2 && yes;
	return rc;
}

static int sync_seat(struct store *s, int64_t federation, int64_t account_id,
		     int64_t motion_id, int64_t now, const char *actor, int64_t *withdrawn,
		     int depth);

/* account stopped being a member of body: the seats body gave them in
 * wider assemblies stop counting too (a delegate assembly sends only its
 * own members upward); with a decision behind it, they end by it. */
static int end_seats_sent_by(struct store *s, int64_t body, int64_t account_id,
			     int64_t motion_id, int64_t now, const char *actor,
			     int64_t *withdrawn, int depth)
{
	int64_t feds[64];
	size_t n = 0;
	int rc = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT DISTINCT federation_id FROM delegations"
		" WHERE member_id = ? AND account_id = ? AND recalled_by IS NULL LIMIT 64");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, account_id);
	while (n < 64 && store_next(st, &rc))
		feds[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc)
		return rc;
	if (n && motion_id) {
		st = store_stmt(s, "UPDATE delegations SET recalled_by = ?3, recalled_at = ?4"
			" WHERE member_id = ?1 AND account_id = ?2 AND recalled_by IS NULL");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, account_id);
		sqlite3_bind_int64(st, 3, motion_id);
		sqlite3_bind_int64(st, 4, now);
		if ((rc = store_run(st)))
			return rc;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = sync_seat(s, feds[i], account_id, motion_id, now, actor, withdrawn,
			       depth + 1);
	return rc;
}

int fed_sync_seat(struct store *s, int64_t federation, int64_t account_id,
		  int64_t motion_id, int64_t now, const char *actor, int64_t *withdrawn)
{
	return sync_seat(s, federation, account_id, motion_id, now, actor, withdrawn, 0);
}

static int sync_seat(struct store *s, int64_t federation, int64_t account_id,
		     int64_t motion_id, int64_t now, const char *actor, int64_t *withdrawn,
		     int depth)
{
	/* seated: an unrecalled seat, of a member whose participation is
	 * active, held by someone still an active member of that member */
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM delegations d JOIN"
		" federation_members f ON f.federation_id = d.federation_id AND"
		" f.member_id = d.member_id AND f.status = 'active'"
		" JOIN memberships m ON m.body_id = d.member_id AND"
		" m.account_id = d.account_id AND m.status = 'active'"
		" WHERE d.federation_id = ? AND d.account_id = ? AND d.recalled_by IS NULL");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, account_id);
	int64_t one = 0;
	int seated = 0;
	int rc = store_int64(st, &one, &seated);
	if (rc)
		return rc;
	if (seated) {
		st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status,"
			" basis, since) VALUES (?1, ?2, 'active', 'delegate', ?3)"
			" ON CONFLICT(body_id, account_id) DO UPDATE SET status = 'active',"
			" basis = 'delegate', since = ?3 WHERE memberships.status <> 'active'");
		sqlite3_bind_int64(st, 1, federation);
		sqlite3_bind_int64(st, 2, account_id);
		sqlite3_bind_int64(st, 3, now);
		return store_run(st);
	}
	st = store_stmt(s, "UPDATE memberships SET status = 'left', since = ?3"
		" WHERE body_id = ?1 AND account_id = ?2 AND status = 'active'");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = store_run(st)))
		return rc;
	/* the seat is empty at once: what its holder cast in a vote still
	 * open no longer counts (ballots in a delegate assembly are open,
	 * so each vote, positions and rankings (ranked.c) alike, is a row
	 * that can be taken back) */
	static const char *const withdraw[] = {
		"DELETE FROM votes WHERE account_id = ?2 AND motion_id IN"
		" (SELECT id FROM motions WHERE body_id = ?1 AND status = 'voting')"
		" AND round = (SELECT round FROM motions WHERE id = motion_id)",
		"DELETE FROM ranked_ballots WHERE account_id = ?2 AND motion_id IN"
		" (SELECT id FROM motions WHERE body_id = ?1 AND status = 'voting')",
	};
	for (size_t i = 0; i < sizeof(withdraw) / sizeof(withdraw[0]); i++) {
		st = store_stmt(s, withdraw[i]);
		sqlite3_bind_int64(st, 1, federation);
		sqlite3_bind_int64(st, 2, account_id);
		if ((rc = store_run(st)))
			return rc;
		if (withdrawn)
			*withdrawn += sqlite3_changes(store_db(s));
	}
	st = store_stmt(s, "UPDATE offices SET holder_id = NULL WHERE body_id = ?"
			   " AND holder_id = ?");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, account_id);
	if ((rc = store_run(st)))
		return rc;
	/* nor are they present any more at a meeting in session there (the
	 * record of their stay is kept); the journal names whoever caused
	 * it (the decision's actor), not the delegate whose seat ended */
	if ((rc = meeting_presence_end(s, federation, account_id, now, "seat_ended",
				       actor, motion_id)))
		return rc;
	return depth < FED_MAX_DEPTH
		? end_seats_sent_by(s, federation, account_id, motion_id, now, actor, withdrawn,
				    depth)
		: 0;
}

int fed_set_member_status(struct store *s, int64_t federation, int64_t member,
			  const char *status, int64_t motion_id, int64_t now,
			  const char *actor, int64_t *withdrawn, int *delta)
{
	char before[16];
	int rc = fed_member_status(s, federation, member, before);
	if (rc)
		return rc;
	int was = !strcmp(before, "active"), is = !strcmp(status, "active");
	*delta = is - was;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO federation_members(federation_id,"
		" member_id, status, since, changed_by) VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT(federation_id, member_id) DO UPDATE SET status = ?3,"
		" since = ?4, changed_by = ?5");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, motion_id);
	if ((rc = store_run(st)))
		return rc;
	st = store_stmt(s, "INSERT INTO federation_changes(federation_id, member_id,"
			   " status, motion_id, at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, motion_id);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = store_run(st)))
		return rc;
	if (*delta && (rc = fed_tree_link(s, federation, member, *delta)))
		return rc;
	if (!strcmp(status, "left")) {
		/* leaving ends every seat the member held there */
		st = store_stmt(s, "UPDATE delegations SET recalled_by = ?, recalled_at = ?"
			" WHERE federation_id = ? AND member_id = ? AND recalled_by IS NULL");
		sqlite3_bind_int64(st, 1, motion_id);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_int64(st, 3, federation);
		sqlite3_bind_int64(st, 4, member);
		if ((rc = store_run(st)))
			return rc;
	}
	/* bring every seat the member ever held there in step */
	int64_t accounts[64];
	size_t n;
	int64_t after = 0;
	do {
		n = 0;
		st = store_stmt(s, "SELECT DISTINCT account_id FROM delegations WHERE"
			" federation_id = ? AND member_id = ? AND account_id > ?"
			" ORDER BY account_id LIMIT 64");
		sqlite3_bind_int64(st, 1, federation);
		sqlite3_bind_int64(st, 2, member);
		sqlite3_bind_int64(st, 3, after);
		while (n < 64 && store_next(st, &rc))
			accounts[n++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (size_t i = 0; i < n && !rc; i++)
			rc = fed_sync_seat(s, federation, accounts[i], motion_id, now,
					   actor, withdrawn);
		if (n)
			after = accounts[n - 1];
	} while (!rc && n == 64);
	return rc;
}

int fed_person_left(struct store *s, int64_t body, int64_t account_id,
		    int64_t motion_id, int64_t now, const char *actor)
{
	return end_seats_sent_by(s, body, account_id, motion_id, now, actor, NULL, 0);
}

int fed_population(struct store *s, int64_t body_id, int64_t *n)
{
	/* a delegate assembly keeps the population beneath it (fed_tree.c) */
	sqlite3_stmt *st = store_stmt(s, "SELECT CASE b.kind WHEN 'local' THEN"
		" (SELECT population FROM communities c WHERE c.id = b.community_id)"
		" ELSE b.population_below END FROM bodies b WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	return store_int64(st, n, NULL);
}

/* ---- weighted votes ---- */

struct seat {
	int64_t account, member, weight;
};

/* Whether federation weighs its members' voices by population. */
static int weighs_by_population(struct store *s, int64_t federation, int *yes)
{
	int64_t flag = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(weighting, 'assembly') = 'population'"
				      " FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, federation);
	int rc = store_int64(st, &flag, NULL);
	*yes = flag != 0;
	return rc;
}

/* Appends the rows of st (bound, not yet stepped) to the members: column
 * 0 the id, 1 the seats it fills, 2 (when voice_col is 2) its voice, else
 * a voice of 1. The arrays grow together, *cap their room. Resets st. */
static int append_voices(sqlite3_stmt *st, int voice_col, int64_t **ids,
			 struct shares_member **voices, size_t *n, size_t *cap)
{
	int rc = 0;
	while (store_next(st, &rc)) {
		size_t room = *cap;
		int64_t *a = px_grow(*ids, &room, *n, sizeof(*a));
		if (a)
			*ids = a;
		struct shares_member *b = a ? px_grow(*voices, cap, *n, sizeof(*b)) : NULL;
		if (!b) {
			rc = PX_E_NOMEM;
			break;
		}
		*voices = b;
		(*ids)[*n] = sqlite3_column_int64(st, 0);
		(*voices)[*n] = (struct shares_member){
			.voice = voice_col == 2 ? sqlite3_column_int64(st, 2) : 1,
			.seats = sqlite3_column_int64(st, 1) };
		(*n)++;
	}
	sqlite3_reset(st);
	return rc;
}

/* The member assemblies with a voice: their ids, each one's voice (1 or
 * its population) and how many seats it fills. Both arrays malloc'd. */
static int load_voices(struct store *s, int64_t federation, int by_population,
		       int64_t **ids, struct shares_member **voices, size_t *n)
{
	size_t cap = 0;
	*ids = NULL;
	*voices = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT f.member_id, (SELECT count(*) FROM delegations d"
		" WHERE d.federation_id = f.federation_id AND d.member_id = f.member_id"
		" AND d.recalled_by IS NULL) FROM federation_members f"
		" WHERE f.federation_id = ? AND f.status = 'active' ORDER BY f.member_id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, federation);
	int rc = append_voices(st, -1, ids, voices, n, &cap);
	for (size_t i = 0; !rc && by_population && i < *n; i++)
		rc = fed_population(s, (*ids)[i], &(*voices)[i].voice);
	if (rc)
		return rc;
	/* the member assemblies on other nodes (gov/nodes), known by the
	 * negated id of their relation: one voice, or the population their
	 * node last reported; their seats the credentials not recalled */
	st = store_stmt(s, "SELECT -r.id, (SELECT count(*) FROM node_credentials c WHERE"
		" c.relation_id = r.id AND c.recalled_at IS NULL), coalesce((SELECT a.population"
		" FROM node_answers a JOIN node_offers o ON o.id = a.offer_id WHERE"
		" o.relation_id = r.id AND o.side = 'sent' ORDER BY a.id DESC LIMIT 1), 0)"
		" FROM node_relations r WHERE r.body_id = ? AND r.side = 'host' AND"
		" r.status = 'active' AND r.suspended_by IS NULL ORDER BY r.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, federation);
	return append_voices(st, by_population ? 2 : -1, ids, voices, n, &cap);
}

/* Appends the seats st returns (bound, not yet stepped; column 0 the
 * account, 1 the member) to *out, each weighed as its member's voice says.
 * Resets st. */
static int append_seats(sqlite3_stmt *st, const int64_t *ids,
			const struct shares_member *voices, size_t n_members,
			struct seat **out, size_t *n, size_t *cap)
{
	int rc = 0;
	while (store_next(st, &rc)) {
		struct seat *p = px_grow(*out, cap, *n, sizeof(*p));
		if (!p) {
			rc = PX_E_NOMEM;
			break;
		}
		*out = p;
		struct seat *seat = &(*out)[(*n)++];
		seat->account = sqlite3_column_int64(st, 0);
		seat->member = sqlite3_column_int64(st, 1);
		seat->weight = 0;
		for (size_t i = 0; i < n_members; i++)
			if (ids[i] == seat->member && voices[i].seats)
				seat->weight = voices[i].seat_weight;
	}
	sqlite3_reset(st);
	return rc;
}

/* Every current seat of federation, weighed as its member's voices say. */
static int load_seats(struct store *s, int64_t federation, const int64_t *ids,
		      const struct shares_member *voices, size_t n_members,
		      struct seat **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT d.account_id, d.member_id FROM delegations d"
		" JOIN federation_members f ON f.federation_id = d.federation_id AND"
		" f.member_id = d.member_id AND f.status = 'active'"
		" WHERE d.federation_id = ? AND d.recalled_by IS NULL");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, federation);
	int rc = append_seats(st, ids, voices, n_members, out, n, &cap);
	if (rc)
		return rc;
	/* the seats of member assemblies on other nodes: a delegate there,
	 * known here by the negated id of their credential (no account here) */
	st = store_stmt(s, "SELECT -c.id, -r.id FROM node_credentials c JOIN node_relations r"
		" ON r.id = c.relation_id WHERE r.body_id = ? AND r.side = 'host' AND"
		" r.status = 'active' AND r.suspended_by IS NULL AND c.recalled_at IS NULL"
		" ORDER BY c.id");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, federation);
	return append_seats(st, ids, voices, n_members, out, n, &cap);
}

/* Every current seat of federation with the weight of its vote, and in
 * *members the sum of the voices (fed_weighted_counts says how): each
 * member's voice is shared equally among its seats, in the smallest whole
 * weights with exactly those proportions (core/shares.h), which a rule
 * counts exactly up to RULE_TALLY_MAX. *out is malloc'd (NULL when no seats). */
static int seat_weights(struct store *s, int64_t federation, struct seat **out,
			size_t *nout, int64_t *members)
{
	struct shares_member *voices = NULL;
	int64_t *ids = NULL;
	size_t n_members = 0;
	int by_population = 0, exact = 0;
	*out = NULL;
	*nout = 0;
	*members = 0;
	int rc = weighs_by_population(s, federation, &by_population);
	if (!rc)
		rc = load_voices(s, federation, by_population, &ids, &voices, &n_members);
	if (!rc)
		rc = shares_weigh(voices, n_members, RULE_TALLY_MAX, members, &exact);
	if (!rc)
		rc = load_seats(s, federation, ids, voices, n_members, out, nout);
	if (rc) {
		free(*out);
		*out = NULL;
		*nout = 0;
	}
	free(ids);
	free(voices);
	return rc;
}

int fed_seat_weights(struct store *s, int64_t federation, int64_t **accounts,
		     int64_t **weights, size_t *n, int64_t *members)
{
	struct seat *seats = NULL;
	size_t k = 0;
	*accounts = *weights = NULL;
	*n = 0;
	int rc = seat_weights(s, federation, &seats, &k, members);
	if (rc)
		return rc;
	int64_t *a = calloc(k ? k : 1, sizeof(*a)), *w = calloc(k ? k : 1, sizeof(*w));
	if (!a || !w) {
		free(a);
		free(w);
		free(seats);
		return PX_E_NOMEM;
	}
	for (size_t i = 0; i < k; i++) {
		a[i] = seats[i].account;
		w[i] = seats[i].weight;
	}
	free(seats);
	*accounts = a;
	*weights = w;
	*n = k;
	return 0;
}

int fed_weighted_counts(struct store *s, int64_t federation, int64_t motion_id,
			int64_t round, int64_t meeting_id, int remote,
			json_t *counts, int64_t *members, int64_t *present)
{
	struct seat *seats = NULL;
	size_t n_seats = 0;
	int rc = seat_weights(s, federation, &seats, &n_seats, members);
	if (rc)
		return rc;

	*present = 0;
	int64_t voted = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT account_id, position FROM votes WHERE motion_id = ?"
			   " AND round = ?");
	sqlite3_bind_int64(st, 1, motion_id);
	sqlite3_bind_int64(st, 2, round);
	while (store_next(st, &rc)) {
		int64_t who = sqlite3_column_int64(st, 0), w = 0;
		const char *pos = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; i < n_seats; i++)
			if (seats[i].account == who)
				w = seats[i].weight;
		json_t *have = json_object_get(counts, pos);
		json_object_set_new(counts, pos, json_integer(json_integer_value(have) + w));
		voted += w;
	}
	if (rc) {
		free(seats);
		return rc;
	}
	/* the votes of delegates of member assemblies on other nodes (gov/nodes),
	 * cast there and delivered signed: present by voting, as online */
	int64_t from_afar = 0;
	st = store_stmt(s, "SELECT -credential_id, position FROM node_votes WHERE"
			   " motion_id = ? AND round = ?");
	if (!st) {
		free(seats);
		return PX_E_INTERNAL;
	}
	sqlite3_bind_int64(st, 1, motion_id);
	sqlite3_bind_int64(st, 2, round);
	while (store_next(st, &rc)) {
		int64_t who = sqlite3_column_int64(st, 0), w = 0;
		const char *pos = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; i < n_seats; i++)
			if (seats[i].account == who)
				w = seats[i].weight;
		json_t *have = json_object_get(counts, pos);
		json_object_set_new(counts, pos, json_integer(json_integer_value(have) + w));
		voted += w;
		from_afar += w;
	}
	if (rc) {
		free(seats);
		return rc;
	}
	if (remote || !meeting_id) {
		*present = voted;
	} else {
		st = store_stmt(s, "SELECT account_id FROM attendance WHERE meeting_id = ?"
				   " AND left_at IS NULL");
		sqlite3_bind_int64(st, 1, meeting_id);
		while (store_next(st, &rc)) {
			int64_t who = sqlite3_column_int64(st, 0);
			for (size_t i = 0; i < n_seats; i++)
				if (seats[i].account == who)
					*present += seats[i].weight;
		}
		*present += from_afar;
	}
	free(seats);
	return rc;
}

/* ---- reading ---- */

/* What every read of a body's federations shares: the body named by slug
 * (*out NULL until the read succeeds), the rows of a query made into
 * JSON one by one, and the end that drops a half-made reply. */
static int read_body(const struct gov_ctx *ctx, const char *slug, int64_t *id, char *kind,
		     json_t **out, struct px_error *err)
{
	*out = NULL;
	return fed_body_by_slug(ctx->db, slug, NULL, id, kind, err);
}

/* Each row of st as row makes it, appended to list. 0 or the store's
 * error (PX_E_NOMEM when a row could not be made: no row is left out). */
static int collect(sqlite3_stmt *st, json_t *list,
		   json_t *(*row)(sqlite3_stmt *st, void *arg), void *arg)
{
	int rc = 0;
	while (store_next(st, &rc)) {
		json_t *j = row(st, arg);
		if (!j || json_array_append_new(list, j)) {
			sqlite3_reset(st);
			return PX_E_NOMEM;
		}
	}
	return rc;
}

static int read_done(int rc, json_t *made, json_t **out, struct px_error *err)
{
	if (rc) {
		json_decref(made);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = made;
	return made ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

static const char *text_at(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static json_t *seat_row(sqlite3_stmt *st, void *arg)
{
	(void)arg;
	return json_pack("{s:s, s:s, s:I, s:I}", "handle", text_at(st, 0),
			 "mandate", text_at(st, 1),
			 "elected_by", (json_int_t)sqlite3_column_int64(st, 2),
			 "since", (json_int_t)sqlite3_column_int64(st, 3));
}

/* v (a membership, with its "id") gets the seats member holds in
 * federation as "delegates"; its id is dropped. */
static int add_seats(struct store *s, json_t *v, int64_t federation, int64_t member)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, d.mandate, d.elected_by,"
		" d.elected_at FROM delegations d JOIN accounts a ON a.id = d.account_id"
		" WHERE d.federation_id = ? AND d.member_id = ? AND d.recalled_by IS NULL"
		" ORDER BY d.id");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	int rc = collect(st, list, seat_row, NULL);
	json_object_set_new(v, "delegates", list);
	json_object_del(v, "id");
	return rc;
}

static json_t *membership_row(sqlite3_stmt *st, void *arg)
{
	(void)arg;
	return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:I}",
			 "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "federation", text_at(st, 1), "name", text_at(st, 2),
			 "purpose", text_at(st, 3), "region", text_at(st, 4),
			 "status", text_at(st, 5),
			 "since", (json_int_t)sqlite3_column_int64(st, 6));
}

static json_t *member_row(sqlite3_stmt *st, void *arg)
{
	(void)arg;
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}",
			 "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "body", text_at(st, 1), "name", text_at(st, 2), "kind", text_at(st, 3),
			 "status", text_at(st, 4),
			 "since", (json_int_t)sqlite3_column_int64(st, 5),
			 "changed_by", (json_int_t)sqlite3_column_int64(st, 6));
}

/* A delegate assembly's own side: its purpose, region and weighting, its
 * members with their seats and populations, and its population. */
static int add_delegate_side(struct store *s, int64_t id, json_t *j)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT purpose, region, coalesce(weighting,"
				      " 'assembly') FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	int rc = store_step(st, &row);
	if (!rc && row) {
		json_object_set_new(j, "purpose", json_string(text_at(st, 0)));
		json_object_set_new(j, "region", json_string(text_at(st, 1)));
		json_object_set_new(j, "weighting", json_string(text_at(st, 2)));
		sqlite3_reset(st);
	}
	json_t *members = json_array(), *v;
	json_object_set_new(j, "members", members);
	st = store_stmt(s, "SELECT b.id, b.slug, b.name, b.kind, f.status, f.since,"
		" f.changed_by FROM federation_members f JOIN bodies b ON b.id = f.member_id"
		" WHERE f.federation_id = ? ORDER BY b.name, b.slug");
	sqlite3_bind_int64(st, 1, id);
	if (!rc)
		rc = collect(st, members, member_row, NULL);
	size_t i;
	json_array_foreach(members, i, v) {
		int64_t mid = json_integer_value(json_object_get(v, "id")), pop = 0;
		if (!rc)
			rc = add_seats(s, v, id, mid);
		if (!rc)
			rc = fed_population(s, mid, &pop);
		json_object_set_new(v, "population", json_integer(pop));
	}
	int64_t pop = 0;
	if (!rc)
		rc = fed_population(s, id, &pop);
	json_object_set_new(j, "population", json_integer(pop));
	return rc;
}

int gov_body_federations(const struct gov_ctx *ctx, const char *slug,
			 json_t **out, struct px_error *err)
{
	struct store *s = ctx->db;
	int64_t id;
	char kind[16];
	int rc = read_body(ctx, slug, &id, kind, out, err);
	if (rc)
		return rc;
	json_t *j = json_pack("{s:s, s:s}", "body", slug, "kind", kind);
	json_t *mine = json_array(), *v;
	json_object_set_new(j, "memberships", mine);
	sqlite3_stmt *st = store_stmt(s, "SELECT b.id, b.slug, b.name, b.purpose, b.region,"
		" f.status, f.since FROM federation_members f JOIN bodies b"
		" ON b.id = f.federation_id WHERE f.member_id = ? ORDER BY b.name, b.slug");
	sqlite3_bind_int64(st, 1, id);
	rc = collect(st, mine, membership_row, NULL);
	size_t i;
	json_array_foreach(mine, i, v)
		if (!rc)
			rc = add_seats(s, v, json_integer_value(json_object_get(v, "id")), id);
	if (!rc && !strcmp(kind, "delegate"))
		rc = add_delegate_side(s, id, j);
	int ent = 0;
	if (!rc && !strcmp(kind, "delegate") && !(rc = fed_of_enterprises(s, id, &ent)))
		json_object_set_new(j, "federates", json_string(ent ? "enterprises"
								       : "assemblies"));
	return read_done(rc, j, out, err);
}

static json_t *delegation_row(sqlite3_stmt *st, void *arg)
{
	(void)arg;
	json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:I}",
		"federation", text_at(st, 0), "handle", text_at(st, 1),
		"mandate", text_at(st, 2),
		"elected_by", (json_int_t)sqlite3_column_int64(st, 3),
		"elected_at", (json_int_t)sqlite3_column_int64(st, 4));
	if (d && sqlite3_column_type(st, 5) != SQLITE_NULL) {
		json_object_set_new(d, "recalled_by", json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(d, "recalled_at", json_integer(sqlite3_column_int64(st, 6)));
	}
	return d;
}

int gov_body_delegations(const struct gov_ctx *ctx, const char *slug,
			 json_t **out, struct px_error *err)
{
	int64_t id;
	char kind[16];
	int rc = read_body(ctx, slug, &id, kind, out, err);
	if (rc)
		return rc;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT b.slug, a.handle, d.mandate,"
		" d.elected_by, d.elected_at, d.recalled_by, d.recalled_at FROM delegations d"
		" JOIN bodies b ON b.id = d.federation_id JOIN accounts a ON a.id = d.account_id"
		" WHERE d.member_id = ? ORDER BY d.recalled_by IS NOT NULL, d.id DESC");
	sqlite3_bind_int64(st, 1, id);
	rc = collect(st, list, delegation_row, NULL);
	return read_done(rc, list, out, err);
}

static json_t *declaration_row(sqlite3_stmt *st, void *arg)
{
	(void)arg;
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:{s:I, s:s, s:s, s:s}, s:I}",
			 "id", (json_int_t)sqlite3_column_int64(st, 10),
			 "body", text_at(st, 7), "body_name", text_at(st, 8),
			 "motion", (json_int_t)sqlite3_column_int64(st, 0),
			 "title", text_at(st, 1), "text", text_at(st, 2),
			 "about", "motion", (json_int_t)sqlite3_column_int64(st, 3),
			 "body", text_at(st, 4), "body_name", text_at(st, 9),
			 "title", text_at(st, 5),
			 "at", (json_int_t)sqlite3_column_int64(st, 6));
}

int gov_body_declarations(const struct gov_ctx *ctx, const char *slug,
			  int64_t before, int64_t limit, int64_t about,
			  json_t **out, struct px_error *err)
{
	int64_t id;
	char kind[16];
	*out = NULL;
	if (before < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "before",
			       "before is a declaration's id (1 or more)");
	if (limit < 1 || limit > DECLARATIONS_PAGE_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "limit", "limit is 1 to %d",
			       DECLARATIONS_PAGE_MAX);
	if (about < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "about", "about is a motion's number");
	int rc = read_body(ctx, slug, &id, kind, out, err);
	if (rc)
		return rc;
	json_t *all = json_array(), *made = json_array(), *mine = json_array(), *v;
	json_t *j = json_pack("{s:o, s:o, s:n}", "adopted", made,
			      "about_its_decisions", mine, "next");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT d.motion_id, m.title, m.text,"
		" d.about_motion, ab.slug, am.title, d.at, b.slug, b.name, ab.name, d.id"
		" FROM declarations d"
		" JOIN motions m ON m.id = d.motion_id JOIN motions am ON am.id = d.about_motion"
		" JOIN bodies ab ON ab.id = am.body_id JOIN bodies b ON b.id = d.body_id"
		" WHERE (d.body_id = ?1 OR am.body_id = ?1) AND d.id < ?2"
		" AND (?3 = 0 OR d.about_motion = ?3) ORDER BY d.id DESC LIMIT ?4");
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, before > 0 ? before : INT64_MAX);
		sqlite3_bind_int64(st, 3, about);
		sqlite3_bind_int64(st, 4, limit + 1);
	}
	rc = !st ? PX_E_INTERNAL : j && all ? collect(st, all, declaration_row, NULL)
		: PX_E_NOMEM;
	/* one more than asked: there is a next page, after the last shown */
	if (!rc && (int64_t)json_array_size(all) > limit) {
		json_array_remove(all, (size_t)limit);
		if (json_object_set(j, "next", json_object_get(
			json_array_get(all, (size_t)limit - 1), "id")))
			rc = PX_E_NOMEM;
	}
	/* those it made, and those others made about its decisions */
	size_t i;
	json_array_foreach(all, i, v)
		if (!rc && json_array_append(!strcmp(json_string_value(json_object_get(v, "body")),
						     slug) ? made : mine, v))
			rc = PX_E_NOMEM;
	json_decref(all);
	return read_done(rc, j, out, err);
}
