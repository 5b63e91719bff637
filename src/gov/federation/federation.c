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

#include "core/errors.h"
#include "core/rule.h"
#include "store/store.h"
#include "gov/federation/fed_tree.h"
#include "gov/federation/federation.h"
#include "banned.h"


int fed_body_by_slug(struct store *s, const char *slug, const char *field,
		     int64_t *id, char kind[16], struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, kind FROM bodies WHERE slug = ?");
	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	return found ? 0 : px_fail(err, PX_E_NOT_FOUND, field, "no assembly '%s'", slug);
}

int fed_is_delegate(struct store *s, int64_t body_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT kind = 'delegate' FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int yes = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return yes;
}

void fed_member_status(struct store *s, int64_t federation, int64_t member,
		       char status[16])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT status FROM federation_members"
				      " WHERE federation_id = ? AND member_id = ?");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	status[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
}

/* What a delegate assembly may decide: its own procedure, its
 * federation's business and proposals; never a law, never who is a
 * member (delegates come and go by their assemblies' decisions). Every
 * kind not listed here is refused, so a kind added later is local-only
 * until someone decides otherwise. */
static const char *const delegate_kinds[] = {
	"resolution", "change_rules", "change_schedule", "declare_meeting",
	"create_office", "elect_holder", "recall_holder", "create_committee",
	"revoke_committee", "authorise_remote_vote", "amendment", "adjourn",
	"found_federation", "join_federation", "leave_federation",
	"elect_delegates", "recall_delegate", "declaration", "answer_proposal",
	"suspend_member", "restore_member", "adopt_proposal",
	"new_proposal_version", "change_weighting", NULL };
/* ... and of those, the kinds only a delegate assembly decides */
static const char *const delegate_only[] = {
	"suspend_member", "restore_member", "adopt_proposal",
	"new_proposal_version", "change_weighting", NULL };
/* the kinds that write a law register */
static const char *const law_kinds[] = { "enact_law", "amend_law", "repeal_law", NULL };

static int listed(const char *const *list, const char *kind)
{
	for (; *list; list++)
		if (!strcmp(*list, kind))
			return 1;
	return 0;
}

int fed_kind_allowed(struct store *s, int64_t body_id, const char *kind,
		     struct px_error *err)
{
	int delegate = fed_is_delegate(s, body_id);
	if (delegate && listed(law_kinds, kind))
		return px_fail(err, PX_E_FED_NO_LAWS, "kind", NULL);
	if (delegate && !listed(delegate_kinds, kind))
		return px_fail(err, PX_E_FED_KIND, "kind",
			       "a delegate assembly does not decide '%s'", kind);
	if (!delegate && listed(delegate_only, kind))
		return px_fail(err, PX_E_FED_KIND, "kind",
			       "only a delegate assembly decides '%s'", kind);
	return 0;
}

int fed_contains(struct store *s, int64_t outer, int64_t inner)
{
	if (outer == inner)
		return 1;
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
	int yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return yes;
}

/* The longest chain of memberships that have not ended above body (up)
 * or beneath it, in memberships; past FED_MAX_DEPTH it stops counting. */
static int64_t chain(struct store *s, int64_t body, int up)
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
	int64_t d = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return d;
}

int fed_depth_check(struct store *s, int64_t federation, int64_t member,
		    struct px_error *err)
{
	int64_t depth = chain(s, federation, 1) + 1 + chain(s, member, 0);
	if (depth > FED_MAX_DEPTH)
		return px_fail(err, PX_E_CONFLICT, "params.federation",
			       "federations nest at most %d memberships deep; this would"
			       " make %lld", FED_MAX_DEPTH, (long long)depth);
	return 0;
}

int fed_left_suspended(struct store *s, int64_t federation, int64_t member)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT status FROM federation_changes"
		" WHERE federation_id = ? AND member_id = ? ORDER BY id DESC LIMIT 2");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	int n = 0, yes = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(st, 0);
		yes = n == 0 ? !strcmp(status, "left") : yes && !strcmp(status, "suspended");
		n++;
	}
	sqlite3_reset(st);
	return n == 2 && yes;
}

static int sync_seat(struct store *s, int64_t federation, int64_t account_id,
		     int64_t motion_id, int64_t now, int64_t *withdrawn, int depth);

/* account stopped being a member of body: the seats body gave them in
 * wider assemblies stop counting too (a delegate assembly sends only its
 * own members upward); with a decision behind it, they end by it. */
static int end_seats_sent_by(struct store *s, int64_t body, int64_t account_id,
			     int64_t motion_id, int64_t now, int64_t *withdrawn, int depth)
{
	int64_t feds[64];
	size_t n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT DISTINCT federation_id FROM delegations"
		" WHERE member_id = ? AND account_id = ? AND recalled_by IS NULL LIMIT 64");
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, account_id);
	while (sqlite3_step(st) == SQLITE_ROW)
		feds[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	int rc = 0;
	if (n && motion_id) {
		st = store_stmt(s, "UPDATE delegations SET recalled_by = ?3, recalled_at = ?4"
			" WHERE member_id = ?1 AND account_id = ?2 AND recalled_by IS NULL");
		sqlite3_bind_int64(st, 1, body);
		sqlite3_bind_int64(st, 2, account_id);
		sqlite3_bind_int64(st, 3, motion_id);
		sqlite3_bind_int64(st, 4, now);
		if ((rc = store_code(sqlite3_step(st))))
			return rc;
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = sync_seat(s, feds[i], account_id, motion_id, now, withdrawn, depth + 1);
	return rc;
}

int fed_sync_seat(struct store *s, int64_t federation, int64_t account_id,
		  int64_t motion_id, int64_t now, int64_t *withdrawn)
{
	return sync_seat(s, federation, account_id, motion_id, now, withdrawn, 0);
}

static int sync_seat(struct store *s, int64_t federation, int64_t account_id,
		     int64_t motion_id, int64_t now, int64_t *withdrawn, int depth)
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
	int seated = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	int rc;
	if (seated) {
		st = store_stmt(s, "INSERT INTO memberships(body_id, account_id, status,"
			" basis, since) VALUES (?1, ?2, 'active', 'delegate', ?3)"
			" ON CONFLICT(body_id, account_id) DO UPDATE SET status = 'active',"
			" basis = 'delegate', since = ?3 WHERE memberships.status <> 'active'");
		sqlite3_bind_int64(st, 1, federation);
		sqlite3_bind_int64(st, 2, account_id);
		sqlite3_bind_int64(st, 3, now);
		return store_code(sqlite3_step(st));
	}
	st = store_stmt(s, "UPDATE memberships SET status = 'left', since = ?3"
		" WHERE body_id = ?1 AND account_id = ?2 AND status = 'active'");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, account_id);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = store_code(sqlite3_step(st))))
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
		if ((rc = store_code(sqlite3_step(st))))
			return rc;
		if (withdrawn)
			*withdrawn += sqlite3_changes(store_db(s));
	}
	st = store_stmt(s, "UPDATE offices SET holder_id = NULL WHERE body_id = ?"
			   " AND holder_id = ?");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, account_id);
	if ((rc = store_code(sqlite3_step(st))))
		return rc;
	/* nor are they present any more at a meeting in session there (the
	 * record of their stay is kept) */
	if ((rc = meeting_presence_end(s, federation, account_id, now, "seat_ended",
				       NULL, motion_id)))
		return rc;
	return depth < FED_MAX_DEPTH
		? end_seats_sent_by(s, federation, account_id, motion_id, now, withdrawn, depth)
		: 0;
}

int fed_set_member_status(struct store *s, int64_t federation, int64_t member,
			  const char *status, int64_t motion_id, int64_t now,
			  int64_t *withdrawn, int *delta)
{
	char before[16];
	fed_member_status(s, federation, member, before);
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
	int rc = store_code(sqlite3_step(st));
	if (rc)
		return rc;
	st = store_stmt(s, "INSERT INTO federation_changes(federation_id, member_id,"
			   " status, motion_id, at) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, motion_id);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = store_code(sqlite3_step(st))))
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
		if ((rc = store_code(sqlite3_step(st))))
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
		while (sqlite3_step(st) == SQLITE_ROW)
			accounts[n++] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		for (size_t i = 0; i < n && !rc; i++)
			rc = fed_sync_seat(s, federation, accounts[i], motion_id, now,
					   withdrawn);
		if (n)
			after = accounts[n - 1];
	} while (!rc && n == 64);
	return rc;
}

int fed_person_left(struct store *s, int64_t body, int64_t account_id,
		    int64_t motion_id, int64_t now)
{
	return end_seats_sent_by(s, body, account_id, motion_id, now, NULL, 0);
}

int64_t fed_population(struct store *s, int64_t body_id)
{
	/* a delegate assembly keeps the population beneath it (fed_tree.c) */
	sqlite3_stmt *st = store_stmt(s, "SELECT CASE b.kind WHEN 'local' THEN"
		" (SELECT population FROM communities c WHERE c.id = b.community_id)"
		" ELSE b.population_below END FROM bodies b WHERE b.id = ?");
	sqlite3_bind_int64(st, 1, body_id);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return n;
}

/* ---- weighted votes ---- */

struct seat {
	int64_t account, member, weight;
};

static int64_t gcd(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Every current seat of federation with the weight of its vote, and in
 * *members the sum of the voices (fed_weighted_counts says how). *out is
 * malloc'd (NULL when there are no seats). */
static int seat_weights(struct store *s, int64_t federation, struct seat **out,
			size_t *nout, int64_t *members)
{
	struct seat *seats = NULL;
	int64_t *voice = NULL, *member_ids = NULL, *nseats = NULL;
	size_t n_seats = 0, n_members = 0, cap = 0, mcap = 0;
	int rc = 0;
	int by_population = 0;

	sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(weighting, 'assembly') = 'population'"
				      " FROM bodies WHERE id = ?");
	sqlite3_bind_int64(st, 1, federation);
	if (sqlite3_step(st) == SQLITE_ROW)
		by_population = sqlite3_column_int(st, 0);
	sqlite3_reset(st);

	/* member assemblies with a voice, and how many seats each fills */
	st = store_stmt(s, "SELECT f.member_id, (SELECT count(*) FROM delegations d"
		" WHERE d.federation_id = f.federation_id AND d.member_id = f.member_id"
		" AND d.recalled_by IS NULL) FROM federation_members f"
		" WHERE f.federation_id = ? AND f.status = 'active' ORDER BY f.member_id");
	sqlite3_bind_int64(st, 1, federation);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n_members == mcap) {
			mcap = mcap ? 2 * mcap : 16;
			int64_t *a = realloc(member_ids, mcap * sizeof(*a));
			int64_t *b = a ? realloc(nseats, mcap * sizeof(*b)) : NULL;
			int64_t *c = b ? realloc(voice, mcap * sizeof(*c)) : NULL;
			if (a)
				member_ids = a;
			if (b)
				nseats = b;
			if (c)
				voice = c;
			if (!c) {
				rc = PX_E_NOMEM;
				break;
			}
		}
		member_ids[n_members] = sqlite3_column_int64(st, 0);
		nseats[n_members] = sqlite3_column_int64(st, 1);
		n_members++;
	}
	sqlite3_reset(st);
	if (rc)
		goto out;
	/* scale so that every member's voice divides evenly among its seats */
	int64_t scale = 1;
	for (size_t i = 0; i < n_members; i++)
		if (nseats[i] > 0 && scale % nseats[i])
			scale = scale / gcd(scale, nseats[i]) * nseats[i];
	int64_t g = 0;
	for (size_t i = 0; i < n_members; i++) {
		int64_t w = by_population ? fed_population(s, member_ids[i]) : 1;
		voice[i] = w * scale;
		if (nseats[i])
			g = gcd(g, voice[i] / nseats[i]);
		g = gcd(g, voice[i]);
	}
	if (g <= 0)
		g = 1;
	*members = 0;
	for (size_t i = 0; i < n_members; i++) {
		voice[i] /= g;
		*members += voice[i];
	}
	/* a rule counts up to RULE_COUNT_MAX: past it (populations in the
	 * millions, many seats), every share is divided by one factor and
	 * rounded down, the only place a weight is not exact */
	if (*members > RULE_COUNT_MAX) {
		int64_t k = *members / RULE_COUNT_MAX + 1;
		*members = 0;
		for (size_t i = 0; i < n_members; i++) {
			voice[i] = nseats[i] ? voice[i] / nseats[i] / k * nseats[i] : voice[i] / k;
			*members += voice[i];
		}
	}

	st = store_stmt(s, "SELECT d.account_id, d.member_id FROM delegations d"
		" JOIN federation_members f ON f.federation_id = d.federation_id AND"
		" f.member_id = d.member_id AND f.status = 'active'"
		" WHERE d.federation_id = ? AND d.recalled_by IS NULL");
	sqlite3_bind_int64(st, 1, federation);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n_seats == cap) {
			cap = cap ? 2 * cap : 16;
			struct seat *p = realloc(seats, cap * sizeof(*p));
			if (!p) {
				rc = PX_E_NOMEM;
				break;
			}
			seats = p;
		}
		struct seat *seat = &seats[n_seats++];
		seat->account = sqlite3_column_int64(st, 0);
		seat->member = sqlite3_column_int64(st, 1);
		seat->weight = 0;
		for (size_t i = 0; i < n_members; i++)
			if (member_ids[i] == seat->member && nseats[i])
				seat->weight = voice[i] / nseats[i];
	}
	sqlite3_reset(st);
out:
	free(voice);
	free(member_ids);
	free(nseats);
	if (rc) {
		free(seats);
		seats = NULL;
		n_seats = 0;
	}
	*out = seats;
	*nout = n_seats;
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
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t who = sqlite3_column_int64(st, 0), w = 0;
		const char *pos = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; i < n_seats; i++)
			if (seats[i].account == who)
				w = seats[i].weight;
		json_t *have = json_object_get(counts, pos);
		json_object_set_new(counts, pos, json_integer(json_integer_value(have) + w));
		voted += w;
	}
	sqlite3_reset(st);
	if (remote || !meeting_id) {
		*present = voted;
	} else {
		st = store_stmt(s, "SELECT account_id FROM attendance WHERE meeting_id = ?"
				   " AND left_at IS NULL");
		sqlite3_bind_int64(st, 1, meeting_id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int64_t who = sqlite3_column_int64(st, 0);
			for (size_t i = 0; i < n_seats; i++)
				if (seats[i].account == who)
					*present += seats[i].weight;
		}
		sqlite3_reset(st);
	}
	free(seats);
	return 0;
}

/* ---- reading ---- */

static json_t *seats_json(struct store *s, int64_t federation, int64_t member)
{
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT a.handle, d.mandate, d.elected_by,"
		" d.elected_at FROM delegations d JOIN accounts a ON a.id = d.account_id"
		" WHERE d.federation_id = ? AND d.member_id = ? AND d.recalled_by IS NULL"
		" ORDER BY d.id");
	sqlite3_bind_int64(st, 1, federation);
	sqlite3_bind_int64(st, 2, member);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I}",
			"handle", (const char *)sqlite3_column_text(st, 0),
			"mandate", (const char *)sqlite3_column_text(st, 1),
			"elected_by", (json_int_t)sqlite3_column_int64(st, 2),
			"since", (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	return list;
}

int gov_body_federations(const struct gov_ctx *ctx, const char *slug,
			 json_t **out, struct px_error *err)
{
	struct store *s = ctx->db;
	int64_t id;
	char kind[16];
	*out = NULL;
	int rc = fed_body_by_slug(s, slug, NULL, &id, kind, err);
	if (rc)
		return rc;
	json_t *j = json_pack("{s:s, s:s}", "body", slug, "kind", kind);
	json_t *mine = json_array();
	sqlite3_stmt *st = store_stmt(s, "SELECT b.id, b.slug, b.name, b.purpose, b.region,"
		" f.status, f.since FROM federation_members f JOIN bodies b"
		" ON b.id = f.federation_id WHERE f.member_id = ? ORDER BY b.name, b.slug");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(mine, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s, s:I}",
			"id", (json_int_t)sqlite3_column_int64(st, 0),
			"federation", (const char *)sqlite3_column_text(st, 1),
			"name", (const char *)sqlite3_column_text(st, 2),
			"purpose", (const char *)sqlite3_column_text(st, 3),
			"region", (const char *)sqlite3_column_text(st, 4),
			"status", (const char *)sqlite3_column_text(st, 5),
			"since", (json_int_t)sqlite3_column_int64(st, 6)));
	sqlite3_reset(st);
	size_t i;
	json_t *v;
	json_array_foreach(mine, i, v) {
		int64_t fid = json_integer_value(json_object_get(v, "id"));
		json_object_set_new(v, "delegates", seats_json(s, fid, id));
		json_object_del(v, "id");
	}
	json_object_set_new(j, "memberships", mine);
	if (!strcmp(kind, "delegate")) {
		st = store_stmt(s, "SELECT purpose, region, coalesce(weighting, 'assembly')"
				   " FROM bodies WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			json_object_set_new(j, "purpose", json_string((const char *)sqlite3_column_text(st, 0)));
			json_object_set_new(j, "region", json_string((const char *)sqlite3_column_text(st, 1)));
			json_object_set_new(j, "weighting", json_string((const char *)sqlite3_column_text(st, 2)));
		}
		sqlite3_reset(st);
		json_t *members = json_array();
		st = store_stmt(s, "SELECT b.id, b.slug, b.name, b.kind, f.status, f.since,"
			" f.changed_by FROM federation_members f JOIN bodies b ON b.id = f.member_id"
			" WHERE f.federation_id = ? ORDER BY b.name, b.slug");
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(members, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}",
				"id", (json_int_t)sqlite3_column_int64(st, 0),
				"body", (const char *)sqlite3_column_text(st, 1),
				"name", (const char *)sqlite3_column_text(st, 2),
				"kind", (const char *)sqlite3_column_text(st, 3),
				"status", (const char *)sqlite3_column_text(st, 4),
				"since", (json_int_t)sqlite3_column_int64(st, 5),
				"changed_by", (json_int_t)sqlite3_column_int64(st, 6)));
		sqlite3_reset(st);
		json_array_foreach(members, i, v) {
			int64_t mid = json_integer_value(json_object_get(v, "id"));
			json_object_set_new(v, "delegates", seats_json(s, id, mid));
			json_object_set_new(v, "population", json_integer(fed_population(s, mid)));
			json_object_del(v, "id");
		}
		json_object_set_new(j, "members", members);
		json_object_set_new(j, "population", json_integer(fed_population(s, id)));
	}
	*out = j;
	return 0;
}

int gov_body_delegations(const struct gov_ctx *ctx, const char *slug,
			 json_t **out, struct px_error *err)
{
	int64_t id;
	char kind[16];
	*out = NULL;
	int rc = fed_body_by_slug(ctx->db, slug, NULL, &id, kind, err);
	if (rc)
		return rc;
	json_t *list = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT b.slug, a.handle, d.mandate,"
		" d.elected_by, d.elected_at, d.recalled_by, d.recalled_at FROM delegations d"
		" JOIN bodies b ON b.id = d.federation_id JOIN accounts a ON a.id = d.account_id"
		" WHERE d.member_id = ? ORDER BY d.recalled_by IS NOT NULL, d.id DESC");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:I}",
			"federation", (const char *)sqlite3_column_text(st, 0),
			"handle", (const char *)sqlite3_column_text(st, 1),
			"mandate", (const char *)sqlite3_column_text(st, 2),
			"elected_by", (json_int_t)sqlite3_column_int64(st, 3),
			"elected_at", (json_int_t)sqlite3_column_int64(st, 4));
		if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
			json_object_set_new(d, "recalled_by", json_integer(sqlite3_column_int64(st, 5)));
			json_object_set_new(d, "recalled_at", json_integer(sqlite3_column_int64(st, 6)));
		}
		json_array_append_new(list, d);
	}
	sqlite3_reset(st);
	*out = list;
	return 0;
}

int gov_body_declarations(const struct gov_ctx *ctx, const char *slug,
			  json_t **out, struct px_error *err)
{
	int64_t id;
	char kind[16];
	*out = NULL;
	int rc = fed_body_by_slug(ctx->db, slug, NULL, &id, kind, err);
	if (rc)
		return rc;
	json_t *made = json_array(), *about = json_array();
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT d.motion_id, m.title, m.text,"
		" d.about_motion, ab.slug, am.title, d.at, b.slug FROM declarations d"
		" JOIN motions m ON m.id = d.motion_id JOIN motions am ON am.id = d.about_motion"
		" JOIN bodies ab ON ab.id = am.body_id JOIN bodies b ON b.id = d.body_id"
		" WHERE d.body_id = ?1 OR am.body_id = ?1 ORDER BY d.id DESC");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *by = (const char *)sqlite3_column_text(st, 7);
		json_t *d = json_pack("{s:s, s:I, s:s, s:s, s:{s:I, s:s, s:s}, s:I}",
			"body", by,
			"motion", (json_int_t)sqlite3_column_int64(st, 0),
			"title", (const char *)sqlite3_column_text(st, 1),
			"text", (const char *)sqlite3_column_text(st, 2),
			"about", "motion", (json_int_t)sqlite3_column_int64(st, 3),
			"body", (const char *)sqlite3_column_text(st, 4),
			"title", (const char *)sqlite3_column_text(st, 5),
			"at", (json_int_t)sqlite3_column_int64(st, 6));
		json_array_append_new(!strcmp(by, slug) ? made : about, d);
	}
	sqlite3_reset(st);
	*out = json_pack("{s:o, s:o}", "adopted", made, "about_its_decisions", about);
	return 0;
}
