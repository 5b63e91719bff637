/*
 * cmd_journal.c: `pnyx journal show|verify|replay`. Verification recomputes
 * the whole chain and checks the signed head; it exits 1 and names the
 * first broken entry when anything was changed. With --state it also
 * replays the journal into a database in memory (gov/replay) and compares
 * every governance table with the live one, naming the first difference.
 * replay writes that rebuilt database to a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"
#include "core/num.h"
#include "store/journal.h"
#include "store/store.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/replay/replay.h"
#include "cli.h"
#include "commands.h"
#include "fetch.h"
#include "banned.h"

const char cmd_journal_usage[] = N_(
	"usage: pnyx journal show [--after N] [--limit N] [--json] [--db PATH]\n"
	"       pnyx journal verify [--state] [--public-key HEX] [--head SEQ:HASH] [--json]\n"
	"                           [--db PATH]\n"
	"       pnyx journal replay --into NEW.db [--json] [--db PATH]\n"
	"       pnyx journal audit PEER-URL [--json] [--db PATH]\n\n"
	"show: the entries after sequence number N (default 0: all), oldest first.\n"
	"verify: recompute every entry's BLAKE2b-256 hash and the chain, and check\n"
	"the node's Ed25519 signature of the head. With --public-key, also check\n"
	"that the node key is the one you expect (as published by the operator).\n"
	"With --head, also check that entry SEQ still has the hash HASH, as it\n"
	"had when you (or anyone) noted the head: a journal cut back to an older\n"
	"copy, or rewritten with the key, then fails.\n"
	"With --state, also rebuild every governance table from the journal alone\n"
	"(in memory) and compare it with the database: the first difference is\n"
	"named (table, row, column, both values). A direct edit of a table\n"
	"(a membership, a vote, a law) is caught this way.\n"
	"replay: rebuild the governance tables from the journal alone into a new\n"
	"database NEW.db (which must not exist), with the journal copied as it is.\n"
	"audit: every activity another pnyx node (PEER-URL, its address) sent here\n"
	"carried that node's journal head (sequence and hash); check that its\n"
	"journal, as it publishes it now (GET /api/v1/journal), still has each of\n"
	"those entries with the same hash. Exits 1 naming the first head it no\n"
	"longer has: that node rolled back or rewrote history it had shown.\n"
	"Accounts there have no password, and NEW.db has no key file.\n"
	"Long replays show their progress on stderr when it is a terminal.\n"
	"Exit 0 when intact; 1 naming the first broken entry otherwise.\n"
	"docs/journal.md specifies the encoding for independent verifiers.\n");

/* What each kind of entry records, in words: the journal page's
 * (JOURNAL_ACTIONS in web/js/text.js); tests/cli/test_journal_words.py
 * checks that both say the same. */
static const struct {
	const char *action, *words;
} action_words[] = {
	{ "account.create", N_("Account created") },
	{ "community.add", N_("Community added") },
	{ "body.found", N_("Assembly founded") },
	{ "member.join", N_("Member joined") },
	{ "member.leave", N_("Member left") },
	{ "meeting.checkin", N_("Checked in at a meeting") },
	{ "meeting.close", N_("Meeting closed") },
	{ "meeting.depart", N_("Presence at a meeting ended") },
	{ "motion.submit", N_("Motion submitted") },
	{ "motion.withdraw", N_("Motion withdrawn") },
	{ "motion.advise", N_("Advice given on a motion") },
	{ "comment.add", N_("Comment posted") },
	{ "comment.withdraw", N_("Comment withdrawn") },
	{ "agenda.reorder", N_("Agenda reordered") },
	{ "vote.open", N_("Vote opened") },
	{ "vote.cast", N_("Ballot cast") },
	{ "vote.change", N_("Vote changed") },
	{ "vote.hands", N_("Show of hands recorded") },
	{ "vote.round", N_("Round of voting counted") },
	{ "motion.decide", N_("Motion decided") },
	{ "federation.found", N_("Federation founded") },
	{ "law.from_proposal", N_("Law made from a proposal") },
	{ "region.add", N_("Region added") },
	{ "polity.add", N_("Polity registered, with its assembly") },
	{ "citizen.residence", N_("Residence stated") },
	{ "citizen.consent", N_("Consent to citizenship given") },
	{ "citizen.profile", N_("Profile for the quotas declared") },
	{ "renewal.commit", N_("Pool of a renewal committed") },
	{ "renewal.witness", N_("Seed of a draw entered by a witness") },
	{ "renewal.draw", N_("Renewal drawn by lot") },
	{ "renewal.term", N_("Term of a cohort ended") },
	{ "summons.answer", N_("Summons answered") },
	{ "summons.excuse", N_("Excuse decided by the clerk") },
	{ "summons.lapse", N_("Summons reached its deadline") },
	{ "seat.resign", N_("Seat resigned") },
	{ "enterprise.found", N_("Enterprise founded") },
	{ "delivery.record", N_("Delivery recorded by an enterprise") },
	{ "appreciation.add", N_("Appreciation of a delivery") },
	{ "standing.basis", N_("Basis for contributing reasonably recorded") },
	{ "delivery.correct", N_("Delivery recorded by mistake, corrected") },
	{ "good.offer", N_("Good offered to the sharing economy") },
	{ "good.stock", N_("Stock of a good updated by its enterprise") },
	{ "good.take", N_("Taken freely from the sharing economy") },
	{ "good.return", N_("Item returned to the sharing economy") },
	{ "good.renew", N_("Loan of an item renewed") },
	{ "good.collect", N_("Lent item collected by whoever it waited for") },
	{ "good.hold_expire", N_("Hold on a lent item expired: passed to the next by lot") },
	{ "sharing.opt", N_("Opted out of the sharing economy, or back in") },
	{ "round.request", N_("Requested in a round of a scarce good") },
	{ "round.close", N_("Round of a scarce good closed, its commitment published") },
	{ "round.draw", N_("Round of a scarce good allocated by lot") },
	{ "round.review", N_("Evidence of need reviewed by a committee") },
	{ "node.receive", N_("Message from another node received") },
	{ "node.refuse", N_("Message from another node refused") },
	{ "node.rotate_key", N_("Signing key of this node renewed") },
	{ "civil_servant.add", N_("Civil servant registered for a polity") },
	{ "case.petition", N_("Case petitioned: does a law allow harm?") },
	{ "case.recommend", N_("Remedy recommended by the civil service") },
	{ "case.report", N_("Report on a remedy under review") },
	{ "case.review_open", N_("Review of a remedy opened on its date") },
	{ "case.evidence", N_("Evidence submitted to a case") },
	{ "case.testimony", N_("Testimony recorded by the clerk at a meeting") },
	{ "community.choose", N_("New community chosen after a division") },
	{ "household.declare", N_("Household declared") },
	{ "household.invite", N_("Invited to a household") },
	{ "household.join", N_("Household joined") },
	{ "household.leave", N_("Household left, or its invitation declined") },
	{ "barter.record", N_("Barter recorded") },
	{ "barter.confirm", N_("Barter confirmed by the other side") },
	{ "barter.withdraw", N_("Barter withdrawn by the side that recorded it") },
	{ "barter.decline", N_("Barter declined by the other side") },
};

/* A summons that reached its deadline: what it became (LAPSE_OUTCOMES in
 * web/js/text.js; an entry without "outcome" vacated the seat). */
static const struct {
	const char *outcome, *words;
} lapse_words[] = {
	{ "no_answer", N_("Summons unanswered by its deadline: the seat goes to the next alternate") },
	{ "deferred", N_("Summons unanswered by its deadline: deferred to the next renewal") },
	{ "excused", N_("Excuse undecided by the deadline: granted, the seat goes to the next alternate") },
};

/* A law from a proposal whose rationing policy could not apply there:
 * why (NOT_APPLIED in web/js/text.js; the codes of not_applied in
 * src/gov/sharing/scarcity_fed.c). */
static const struct {
	const char *code, *words;
} not_applied_words[] = {
	{ "scarce_already", N_("Law made from a proposal; its rationing policy not applied: the good was scarce already") },
	{ "withdrawn", N_("Law made from a proposal; its rationing policy not applied: the good was no longer offered") },
	{ "not_scarce", N_("Law made from a proposal; its lifting not applied: the good was not scarce") },
	{ "refused", N_("Law made from a proposal; its rationing policy not applied: the rules refused it") },
};

static const char *entry_words(const char *action, const json_t *payload)
{
	if (!strcmp(action, "law.from_proposal")) {
		const char *c = json_string_value(json_object_get(json_object_get(payload,
							"scarcity"), "not_applied"));
		for (size_t i = 0; c && i < sizeof(not_applied_words) /
						 sizeof(not_applied_words[0]); i++)
			if (!strcmp(not_applied_words[i].code, c))
				return _(not_applied_words[i].words);
	}
	if (!strcmp(action, "summons.lapse")) {
		const char *o = json_string_value(json_object_get(payload, "outcome"));
		for (size_t i = 0; i < sizeof(lapse_words) / sizeof(lapse_words[0]); i++)
			if (!strcmp(lapse_words[i].outcome, o ? o : "no_answer"))
				return _(lapse_words[i].words);
	}
	for (size_t i = 0; i < sizeof(action_words) / sizeof(action_words[0]); i++)
		if (!strcmp(action_words[i].action, action))
			return _(action_words[i].words);
	return _("An entry of a kind this program does not know");
}

struct show_state {
	int json;
	json_t *list;
};

static int show_one(const struct journal_entry *e, void *arg)
{
	struct show_state *st = arg;
	json_t *j = journal_entry_json(e);
	if (!j)
		return PX_E_NOMEM;
	if (st->json) {
		json_array_append_new(st->list, j);
		return 0;
	}
	char when[64];
	cli_when(e->at, when);
	printf("%6lld  %-*s  %-*s %-*s %s\n", (long long)e->seq, cli_pad(when, 24), when,
	       cli_pad(e->actor, 16), e->actor,
	       cli_pad(e->action, 22), e->action,
	       e->body ? e->body : "-");
	printf("        %s\n", entry_words(e->action, json_object_get(j, "payload")));
	printf("        %s\n", e->payload);
	json_decref(j);
	return 0;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* *ok: whether entry seq has hash hex (64 lower-case digits). */
static int entry_has_hash(struct store *s, int64_t seq, const char *hex, int *ok)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT hash FROM journal WHERE seq = ?");
	sqlite3_bind_int64(st, 1, seq);
	int row = 0, rc = store_step(st, &row);
	*ok = 0;
	if (rc || !row)
		return rc;
	if (sqlite3_column_bytes(st, 0) == 32) {
		char have[65];
		to_hex(sqlite3_column_blob(st, 0), 32, have);
		*ok = !strcmp(have, hex);
	}
	sqlite3_reset(st);
	return 0;
}

static int verify_read(struct store *s, void *r)
{
	return journal_verify(s, r);
}

static void progress(int64_t done, int64_t total, void *arg)
{
	(void)arg;
	fputc('\r', stderr);
	fprintf(stderr, _("replaying the journal: %lld of %lld entries"), (long long)done,
		(long long)total);
	if (done >= total)
		fputc('\n', stderr);
}

/* Replay s's journal into out and, when compare is set, compare. On a
 * failure r or d says what; the return is an error of the stores. Run in
 * one read transaction of s (read_replay). */
static int replay_into(struct store *s, struct store *out, struct replay_report *r,
		       struct replay_diff *d, int compare)
{
	int rc = replay_run(s, out, r, isatty(2) ? progress : NULL, NULL);
	if (!rc && r->ok && compare)
		rc = replay_compare(s, out, d);
	return rc;
}

static json_t *state_json(const struct replay_report *r, const struct replay_diff *d)
{
	json_t *j = json_pack("{s:b, s:I}", "ok", r->ok && !d->differs,
			      "replayed", (json_int_t)r->entries);
	if (!r->ok)
		json_object_set_new(j, "replay", json_pack("{s:I, s:s, s:s}",
			"seq", (json_int_t)r->failed_seq, "action", r->action,
			"reason", r->reason));
	else if (d->differs)
		json_object_set_new(j, "difference", json_pack("{s:s, s:s, s:s, s:s, s:s}",
			"table", d->table, "key", d->key, "column", d->column,
			"live", d->live, "replayed", d->replayed));
	else
		json_object_set_new(j, "rows", json_integer(d->rows));
	return j;
}

static void state_print(const struct replay_report *r, const struct replay_diff *d)
{
	if (!r->ok)
		printf(_("state CANNOT BE REBUILT at entry %lld (%s): %s\n"),
		       (long long)r->failed_seq, r->action, r->reason);
	else if (d->differs)
		printf(_("state DIFFERS from the journal: table %s, row %s, column %s:"
			 " live %s, replayed %s\n"), d->table, d->key, d->column, d->live,
		       d->replayed);
	else
		printf(trn(cli_lang(), "state matches the journal: %lld entry replayed, %lld"
			   " rows compared\n", "state matches the journal: %lld entries replayed,"
			   " %lld rows compared\n", (uint64_t)r->entries),
		       (long long)r->entries, (long long)d->rows);
}

struct replay_read {
	struct store *out;
	struct replay_report *report;
	struct replay_diff *diff;
	int compare;
};

/* The journal replayed and the state compared in one read transaction of
 * the source (store_read, not a bare BEGIN: query-only, retried when
 * busy): a decision committed meanwhile is in both or in neither. A
 * failed replay rolls back what it wrote into out, so it may run again. */
static int read_replay(struct store *s, void *arg)
{
	struct replay_read *r = arg;
	return replay_into(s, r->out, r->report, r->diff, r->compare);
}

static int verify(struct store *s, const char *expect_key, int64_t head_seq,
		  const char *head_hash, int state, int json)
{
	struct replay_report rr = { .ok = 1 };
	struct replay_diff rd = { 0 };
	struct journal_report r;
	char pk[65], head[65];
	/* one moment: the entries and the signed head of the same snapshot,
	 * even while the server adds entries */
	int rc = store_read(s, verify_read, &r);
	if (rc) {
		struct px_error err = { .code = rc };
		return cli_report_store("journal", &err, s);
	}
	to_hex(r.public_key, 32, pk);
	to_hex(r.head_hash, 32, head);
	if (r.ok && expect_key && strcmp(expect_key, pk)) {
		r.ok = 0;
		snprintf(r.reason, sizeof(r.reason),
			 "the node key is %s, not the expected one", pk);
	}
	int has = 0;
	if (r.ok && head_hash && (rc = entry_has_hash(s, head_seq, head_hash, &has))) {
		struct px_error err = { .code = rc };
		return cli_report("journal", &err);
	}
	if (r.ok && head_hash && !has) {
		r.ok = 0;
		r.broken_seq = head_seq;
		snprintf(r.reason, sizeof(r.reason), "%s", head_seq > r.entries
			 ? "the journal was cut back before this entry"
			 : "this entry is not the one noted: the journal was rewritten");
	}
	if (r.ok && state) {
		struct px_error err = { 0 };
		struct store *out = NULL;
		if ((rc = store_open(":memory:", STORE_CREATE | STORE_REPLAY, &out, &err)))
			return cli_report("journal", &err);
		struct replay_read rp = { out, &rr, &rd, 1 };
		rc = cli_read(s, read_replay, &rp, &err);
		store_close(out);
		if (rc)
			return cli_report_store("journal", &err, s);
	}
	int state_ok = rr.ok && !rd.differs;
	if (json) {
		json_t *j = json_pack("{s:b, s:I, s:I, s:s, s:s}", "ok", r.ok,
				      "entries", (json_int_t)r.entries,
				      "head_seq", (json_int_t)r.head_seq,
				      "head_hash", head, "public_key", pk);
		if (!r.ok) {
			json_object_set_new(j, "broken_seq", json_integer(r.broken_seq));
			json_object_set_new(j, "reason", json_string(r.reason));
		}
		if (r.ok && state) {
			json_object_set_new(j, "state", state_json(&rr, &rd));
			json_object_set(j, "ok", json_boolean(state_ok));
		}
		char *text = json_dumps(j, JSON_INDENT(2));
		puts(text);
		free(text);
		json_decref(j);
	} else if (r.ok) {
		printf(trn(cli_lang(), "journal intact: %lld entry, head %s\nsigned by node key"
			   " %s\n", "journal intact: %lld entries, head %s\nsigned by node key"
			   " %s\n", (uint64_t)r.entries),
		       (long long)r.entries, head, pk);
		if (state)
			state_print(&rr, &rd);
	} else if (r.broken_seq) {
		printf(_("journal BROKEN at entry %lld: %s\n"), (long long)r.broken_seq,
		       r.reason);
	} else {
		printf(_("journal BROKEN: %s\n"), r.reason);
	}
	return r.ok && state_ok ? CLI_OK : CLI_FAIL;
}

static int replay(struct store *s, const char *into, int json)
{
	struct px_error err = { 0 };
	struct replay_report r;
	struct replay_diff d = { 0 };
	struct store *out = NULL;
	if (store_open(into, STORE_CREATE | STORE_REPLAY, &out, &err))
		return cli_report("journal", &err);
	struct replay_read rp = { out, &r, &d, 0 };
	int rc = cli_read(s, read_replay, &rp, &err);
	store_close(out);
	if (rc)
		return cli_report_store("journal", &err, s);
	if (json) {
		json_t *j = json_pack("{s:b, s:I, s:I, s:s}", "ok", r.ok, "replayed",
				      (json_int_t)r.entries, "entries", (json_int_t)r.total,
				      "into", into);
		if (!r.ok)
			json_object_set_new(j, "replay", json_pack("{s:I, s:s, s:s}",
				"seq", (json_int_t)r.failed_seq, "action", r.action,
				"reason", r.reason));
		char *text = json_dumps(j, JSON_INDENT(2));
		puts(text);
		free(text);
		json_decref(j);
	} else if (r.ok) {
		printf(trn(cli_lang(), "replayed %lld entry into %s\n", "replayed %lld entries"
			   " into %s\n", (uint64_t)r.entries), (long long)r.entries, into);
	} else {
		printf(_("replay STOPPED at entry %lld (%s): %s\n%s holds the state before it\n"),
		       (long long)r.failed_seq, r.action, r.reason, into);
	}
	return r.ok ? CLI_OK : CLI_FAIL;
}

/* `journal audit`: the heads peer showed, against its journal now. */
static int audit(struct store *s, const char *peer, int json)
{
	char origin[NODES_ORIGIN_MAX];
	struct px_error err = { 0 };
	json_t *seen = NULL, *problems = json_array();
	int rc;
	if (nodes_origin(peer, origin)) {
		json_decref(problems);
		return cli_errorf("journal", CLI_USAGE, "audit takes a node's address,"
				  " http(s)://HOST[:PORT]");
	}
	struct gov_ctx ctx = { .db = s };
	if (nodes_heads_seen(&ctx, origin, &seen, &err)) {
		json_decref(problems);
		return cli_report_store("journal", &err, s);
	}
	size_t i;
	json_t *h;
	int64_t checked = 0;
	rc = CLI_OK;
	json_array_foreach(json_object_get(seen, "heads"), i, h) {
		int64_t seq = json_integer_value(json_object_get(h, "seq"));
		const char *want = json_string_value(json_object_get(h, "hash"));
		char url[NODES_ORIGIN_MAX + 80];
		char *body = NULL;
		size_t len = 0;
		if (seq < 1)
			continue; /* an empty journal: nothing to lose */
		snprintf(url, sizeof url, "%s/api/v1/journal?after=%lld&limit=1", origin,
			 (long long)(seq - 1));
		if ((rc = cli_fetch("journal", url, "application/json", 1 << 24, &body, &len)))
			break;
		json_t *page = json_loadb(body, len, 0, NULL);
		free(body);
		json_t *e = json_array_get(json_object_get(page, "entries"), 0);
		const char *have = json_string_value(json_object_get(e, "hash"));
		if (json_integer_value(json_object_get(e, "seq")) != seq || !have ||
		    strcmp(have, want))
			json_array_append_new(problems, json_pack("{s:I, s:s, s:s?, s:O}",
				"seq", (json_int_t)seq, "seen", want, "now", have,
				"activity", json_object_get(h, "activity")));
		json_decref(page);
		checked++;
	}
	if (rc == CLI_OK) {
		size_t bad = json_array_size(problems);
		if (json) {
			json_t *out = json_pack("{s:s, s:I, s:b, s:O}", "peer", origin, "heads",
						(json_int_t)checked, "ok", !bad, "rolled_back",
						problems);
			char *text = json_dumps(out, JSON_INDENT(2));
			puts(text);
			free(text);
			json_decref(out);
		} else if (!bad) {
			printf(trn(cli_lang(), "%s: %lld journal head it showed here, still in its"
				   " journal with the same hash\n", "%s: %lld journal heads it showed"
				   " here, each still in its journal with the same hash\n",
				   (uint64_t)checked), origin, (long long)checked);
		} else {
			json_t *p = json_array_get(problems, 0);
			const char *now = json_string_value(json_object_get(p, "now"));
			printf(now ? _("%s ROLLED BACK or rewrote its journal: entry %lld had hash %s"
				       " when it sent %s; now it has %s (%zu of %lld heads)\n")
			       : _("%s ROLLED BACK or rewrote its journal: entry %lld had hash %s when"
				   " it sent %s; now it has no such entry%s (%zu of %lld heads)\n"),
			       origin, (long long)json_integer_value(json_object_get(p, "seq")),
			       json_string_value(json_object_get(p, "seen")),
			       json_string_value(json_object_get(p, "activity")), now ? now : "",
			       bad, (long long)checked);
		}
		rc = bad ? CLI_FAIL : CLI_OK;
	}
	json_decref(seen);
	json_decref(problems);
	return rc;
}

int cmd_journal(int argc, char **argv)
{
	const char *db = NULL, *key = NULL, *head = NULL, *into = NULL, *pos[2];
	int64_t head_seq = 0;
	char head_hash[65] = "";
	int64_t after = 0, limit = 0;
	int json = 0, state = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "after", OPT_INT, &after, 0, INT64_MAX },
		{ "limit", OPT_INT, &limit, 0, INT64_MAX },
		{ "public-key", OPT_STRING, &key, 0, 0 },
		{ "head", OPT_STRING, &head, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ "state", OPT_FLAG, &state, 0, 0 },
		{ "into", OPT_STRING, &into, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("journal"), opts, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos == 2 && !strcmp(pos[0], "audit")) {
		struct px_error aerr = { 0 };
		struct store *as = NULL;
		if (store_open(cli_db_path(db), STORE_READONLY, &as, &aerr))
			return cli_report("journal", &aerr);
		rc = audit(as, pos[1], json);
		store_close(as);
		return rc;
	}
	if (npos != 1 || (strcmp(pos[0], "show") && strcmp(pos[0], "verify") &&
			  strcmp(pos[0], "replay")))
		return cli_errorf("journal", CLI_USAGE, npos >= 1 && !strcmp(pos[0], "audit")
				  ? "audit takes the address of another node"
				  : "say 'show', 'verify', 'replay' or 'audit URL'");
	if (!strcmp(pos[0], "replay") && !into)
		return cli_errorf("journal", CLI_USAGE, "replay needs --into NEW.db");
	if (into && strcmp(pos[0], "replay"))
		return cli_errorf("journal", CLI_USAGE, "--into is for replay");
	if (state && strcmp(pos[0], "verify"))
		return cli_errorf("journal", CLI_USAGE, "--state is for verify");
	if (into && !strcmp(into, cli_db_path(db)))
		return cli_errorf("journal", CLI_USAGE, "--into names a new database,"
				  " not the one replayed");
	if (key && (strlen(key) != 64 || strspn(key, "0123456789abcdef") != 64))
		return cli_errorf("journal", CLI_USAGE,
				  "--public-key takes 64 lower-case hex digits");

	if (head) {
		const char *colon = strchr(head, ':');
		char num[24];
		size_t n = colon ? (size_t)(colon - head) : 0;
		if (!colon || n == 0 || n >= sizeof(num) || strlen(colon + 1) != 64 ||
		    strspn(colon + 1, "0123456789abcdef") != 64)
			return cli_errorf("journal", CLI_USAGE,
					  "--head takes SEQ:HASH (64 lower-case hex digits)");
		memcpy(num, head, n);
		num[n] = '\0';
		if (num_parse_i64(num, 1, INT64_MAX, &head_seq))
			return cli_errorf("journal", CLI_USAGE, "--head: SEQ is a sequence number");
		memcpy(head_hash, colon + 1, 65);
	}

	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), STORE_READONLY, &s, &err))
		return cli_report("journal", &err);
	if (!strcmp(pos[0], "verify")) {
		rc = verify(s, key, head_seq, head ? head_hash : NULL, state, json);
		goto out;
	}
	if (!strcmp(pos[0], "replay")) {
		rc = replay(s, into, json);
		goto out;
	}
	struct show_state st = { json, json ? json_array() : NULL };
	rc = journal_each(s, after, limit, show_one, &st);
	if (!rc && json) {
		char *text = json_dumps(st.list, JSON_INDENT(2));
		puts(text);
		free(text);
	}
	json_decref(st.list);
	if (rc) {
		err.code = rc;
		rc = cli_report_store("journal", &err, s);
	}
out:
	store_close(s);
	return rc;
}
