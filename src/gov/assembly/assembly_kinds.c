/*
 * assembly_kinds.c: the kinds of motion of a local assembly's own business
 * (laws, rules, schedule, members, offices, committees), each one row:
 * who decides it, what it takes, the check of its parameters and its
 * effect. The registry (procedure/motion_kinds.c) finds them through
 * gov/kinds.c; the procedural kinds (resolution, amendment, remote votes)
 * are procedure/procedure_kinds.c's.
 * Effects run inside the transaction that records the decision, so a
 * decision and its effect are never apart.
 *
 * Parameters per kind (all others refused):
 *   enact_law              {}                 title and text are the law
 *   amend_law              {"law": N}         text is the new text; title
 *                                             the new title
 *   repeal_law             {"law": N}
 *   change_rules           {"rules": RULE SET, "secret_ballot": [kinds]?}
 *   change_schedule        {"schedule": {"rrule","tz","place","since"?}}
 *   declare_meeting        {"starts_at": unix seconds, "place": text}
 *   exclude_member         {"member": handle, "reasons": text, "hearing": text}
 *   readmit_member         {"member": handle}
 *   create_office          {"name": text, "duties": text}
 *   elect_holder           {"office": name, "holder": handle}
 *   recall_holder          {"office": name}
 *   create_committee       {"name", "scope", "decision_kinds": [kinds],
 *                           "members": [handles], "ends_at": unix seconds}
 *   revoke_committee       {"committee": id}
 *   change_language        {"language": code} a language pnyx speaks, not
 *                                             the assembly's own already
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "store/store.h"
#include "gov/assembly/assembly.h"
#include "gov/procedure/procedure.h"
#include "gov/federation/federation.h"
#include "banned.h"

/* ---- helpers ---- */

/* ---- the kinds ---- */

/* The BLAKE2b-256 of a law's text, in hex, for the journal: the register
 * can then be checked against the journal, not only the chain. */
static json_t *text_hash(const char *text)
{
	unsigned char h[32];
	char hex[65];
	crypto_generichash(h, sizeof(h), (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return json_string(hex);
}

static int apply_enact(struct store *s, const struct motion_effect *m,
		       json_t *j, struct px_error *err)
{
	int64_t number;
	(void)err;
	int rc = law_enact(s, m->body_id, m->title, m->text, m->motion_id, m->now, &number);
	if (!rc)
		json_object_set_new(j, "law", json_pack("{s:I, s:I, s:o}", "number",
				    (json_int_t)number, "version", (json_int_t)1,
				    "text_blake2b", text_hash(m->text)));
	return rc;
}

static int check_law(struct store *s, int64_t body_id, const struct kind_args *a,
		     json_t *canon, struct px_error *err)
{
	int64_t n = kind_num(a, "law");
	int in_force;
	(void)canon;
	int rc = law_exists(s, body_id, n, &in_force, err, "params.law");
	if (!rc && !in_force)
		rc = px_fail(err, PX_E_CONFLICT, "params.law",
			     "law %lld was repealed", (long long)n);
	return rc;
}

static int apply_amend(struct store *s, const struct motion_effect *m,
		       json_t *j, struct px_error *err)
{
	int64_t n = json_integer_value(json_object_get(m->params, "law")), v;
	int rc = law_amend(s, m->body_id, n, m->title, m->text, m->motion_id, m->now,
			   &v, err);
	if (!rc)
		json_object_set_new(j, "law", json_pack("{s:I, s:I, s:o}", "number",
				    (json_int_t)n, "version", (json_int_t)v,
				    "text_blake2b", text_hash(m->text)));
	return rc;
}

static int apply_repeal(struct store *s, const struct motion_effect *m,
			json_t *j, struct px_error *err)
{
	int64_t n = json_integer_value(json_object_get(m->params, "law")), v;
	int rc = law_repeal(s, m->body_id, n, m->motion_id, m->now, &v, err);
	if (!rc)
		json_object_set_new(j, "law", json_pack("{s:I, s:I, s:s}", "number",
				    (json_int_t)n, "version", (json_int_t)v,
				    "status", "repealed"));
	/* a law that came from a federation: the assembly leaves it */
	if (!rc)
		rc = proposal_law_repealed(s, m->body_id, n, m->motion_id, m->now,
					   m->actor, j);
	return rc;
}

/* The rule set, normalised; the secret ballot's kinds (none when left
 * out). */
static int check_rules(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	struct rule_set set;
	(void)s, (void)body_id;
	int rc = rule_set_from_json(kind_json(a, "rules"), &set, "params.rules", err);
	if (rc)
		return rc;
	json_object_set_new(canon, "rules", rule_set_to_json(&set));
	if (!kind_json(a, "secret_ballot"))
		json_object_set_new(canon, "secret_ballot", json_array());
	return 0;
}

static int apply_rules(struct store *s, const struct motion_effect *m,
		       json_t *j, struct px_error *err)
{
	(void)err;
	char *rules = json_dumps(json_object_get(m->params, "rules"),
				 JSON_COMPACT | JSON_SORT_KEYS);
	char *secret = json_dumps(json_object_get(m->params, "secret_ballot"),
				  JSON_COMPACT);
	sqlite3_stmt *st = store_stmt(s, "UPDATE bodies SET rules = ?, secret_kinds = ?"
					 " WHERE id = ?");
	sqlite3_bind_text(st, 1, rules, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, secret, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, m->body_id);
	int rc = store_run(st);
	sqlite3_reset(st);
	free(rules);
	free(secret);
	if (!rc)
		json_object_set(j, "rules", json_object_get(m->params, "rules"));
	return rc;
}

static int check_schedule(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err)
{
	json_t *sched = NULL;
	(void)s, (void)body_id;
	int rc = body_check_schedule(kind_json(a, "schedule"), a->now, &sched, err);
	if (rc) {
		if (err && err->field && !strncmp(err->field, "schedule", 8)) {
			static const char *const fields[][2] = {
				{ "schedule", "params.schedule" },
				{ "schedule.rrule", "params.schedule.rrule" },
				{ "schedule.tz", "params.schedule.tz" },
				{ "schedule.place", "params.schedule.place" },
				{ "schedule.since", "params.schedule.since" },
			};
			for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
				if (!strcmp(err->field, fields[i][0]))
					err->field = fields[i][1];
		}
		return rc;
	}
	json_object_set_new(canon, "schedule", sched);
	return 0;
}

static int apply_schedule(struct store *s, const struct motion_effect *m,
			  json_t *j, struct px_error *err)
{
	(void)err;
	const json_t *sched = json_object_get(m->params, "schedule");
	char *text = json_dumps(sched, JSON_COMPACT | JSON_SORT_KEYS);
	sqlite3_stmt *st = store_stmt(s, "UPDATE bodies SET schedule = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->body_id);
	int rc = store_run(st);
	sqlite3_reset(st);
	free(text);
	if (!rc)
		rc = meeting_reschedule(s, m->body_id, m->now);
	if (!rc)
		json_object_set(j, "schedule", (json_t *)sched);
	return rc;
}

static int apply_declare(struct store *s, const struct motion_effect *m,
			 json_t *j, struct px_error *err)
{
	unsigned char secret[32];
	int64_t at = json_integer_value(json_object_get(m->params, "starts_at"));
	if (at <= m->now)
		return px_fail(err, PX_E_CONFLICT, "params.starts_at",
			       "the meeting's time has passed");
	randombytes_buf(secret, sizeof(secret));
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO meetings(body_id, starts_at, kind,"
		" place, declared_by, code_secret) VALUES (?, ?, 'extra', ?, ?, ?)"
		" ON CONFLICT(body_id, starts_at) DO NOTHING RETURNING id");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(m->params, "place")),
			  -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->motion_id);
	sqlite3_bind_blob(st, 5, secret, sizeof(secret), SQLITE_STATIC);
	int64_t id = 0;
	int rc = store_int64(st, &id, NULL);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!id)
		return px_fail(err, PX_E_CONFLICT, "params.starts_at",
			       "a meeting is already set for that moment");
	json_object_set_new(j, "meeting", json_integer(id));
	return 0;
}

/* The language of the minutes and the projector (docs/translating.md):
 * one this build carries, written as its code, other than the one the
 * assembly speaks now. */
static int check_language(struct store *s, int64_t body_id, const struct kind_args *a,
			  json_t *canon, struct px_error *err)
{
	const char *want = kind_text(a, "language");
	const char *lang = want ? i18n_lang(want) : NULL;
	(void)canon;
	if (!lang || strcmp(lang, want))
		return px_fail(err, PX_E_BAD_INPUT, "params.language",
			       "language is a language pnyx speaks, written as"
			       " its code (en, es)");
	struct strbuf now;
	sb_init(&now, 0);
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT language FROM bodies WHERE id = ?");
	if (st)
		sqlite3_bind_int64(st, 1, body_id);
	int rc = store_text(st, &now, &found);
	if (!rc && found && !strcmp(now.buf, lang))
		rc = px_fail(err, PX_E_CONFLICT, "params.language",
			     "the assembly already speaks %s", i18n_lang_name(lang));
	else if (rc)
		rc = px_fail(err, rc, NULL, NULL);
	sb_release(&now);
	return rc;
}

/* From the decision on, the assembly speaks the new language; the meeting
 * under way, if any, keeps the one it began with (body_languages). */
static int apply_language(struct store *s, const struct motion_effect *m,
			  json_t *j, struct px_error *err)
{
	const char *lang = json_string_value(json_object_get(m->params, "language"));
	struct strbuf before;
	sb_init(&before, 0);
	int found = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT language FROM bodies WHERE id = ?");
	if (st)
		sqlite3_bind_int64(st, 1, m->body_id);
	int rc = store_text(st, &before, &found);
	if (!rc && !found)
		rc = PX_E_NOT_FOUND;
	/* decided meanwhile by another motion: nothing changes, and it says so */
	if (!rc && !strcmp(before.buf, lang)) {
		sb_release(&before);
		return px_fail(err, PX_E_CONFLICT, "params.language",
			       "the assembly already speaks %s", i18n_lang_name(lang));
	}
	if (!rc) {
		st = store_stmt(s, "INSERT INTO body_languages(body_id, since, language,"
				   " previous, motion_id) VALUES (?, ?, ?, ?, ?)");
		if (!st)
			rc = PX_E_INTERNAL;
	}
	if (!rc) {
		sqlite3_bind_int64(st, 1, m->body_id);
		sqlite3_bind_int64(st, 2, m->now);
		sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, before.buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, m->motion_id);
		rc = store_run(st);
	}
	if (!rc) {
		st = store_stmt(s, "UPDATE bodies SET language = ? WHERE id = ?");
		if (!st)
			rc = PX_E_INTERNAL;
	}
	if (!rc) {
		sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, m->body_id);
		rc = store_run(st);
	}
	if (!rc)
		json_object_set_new(j, "language", json_pack("{s:s, s:s}", "from", before.buf,
							     "to", lang));
	sb_release(&before);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

/* An active member, or one who left: leaving does not escape an
 * exclusion. */
static int check_exclude(struct store *s, int64_t body_id, const struct kind_args *a,
			 json_t *canon, struct px_error *err)
{
	const char *member = kind_text(a, "member");
	int64_t id;
	(void)canon;
	if (!member_by_handle(s, body_id, member, "active", "params.member", &id, NULL))
		return 0;
	return member_by_handle(s, body_id, member, "left", "params.member", &id, err);
}

static int set_status(struct store *s, const struct motion_effect *m,
		      const char *from, const char *to, json_t *j,
		      struct px_error *err)
{
	const char *handle = json_string_value(json_object_get(m->params, "member"));
	int64_t id;
	int rc = member_by_handle(s, m->body_id, handle, from, "params.member", &id, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE memberships SET status = ?, since = ?"
					 " WHERE body_id = ? AND account_id = ?");
	sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, m->now);
	sqlite3_bind_int64(st, 3, m->body_id);
	sqlite3_bind_int64(st, 4, id);
	rc = store_run(st);
	sqlite3_reset(st);
	if (!rc && !strcmp(to, "excluded")) {
		/* an excluded person holds no office, sits on no committee and
		 * is no longer counted present at a meeting still running */
		rc = member_release_duties(s, m->body_id, id);
		if (!rc)
			rc = meeting_presence_end(s, m->body_id, id, m->now, "excluded",
						  m->actor, m->motion_id);
	}
	if (!rc)
		json_object_set_new(j, "member", json_pack("{s:s, s:s}", "handle", handle,
				    "status", to));
	return rc;
}

static int apply_exclude(struct store *s, const struct motion_effect *m,
			 json_t *j, struct px_error *err)
{
	const char *handle = json_string_value(json_object_get(m->params, "member"));
	int64_t id;
	const char *from = member_by_handle(s, m->body_id, handle, "active", "params.member",
					    &id, NULL) ? "left" : "active";
	int rc = set_status(s, m, from, "excluded", j, err);
	if (rc)
		return rc;
	/* an excluded person's seats in delegate assemblies end with it */
	rc = member_by_handle(s, m->body_id, handle, "excluded", "params.member", &id, err);
	return rc ? rc : fed_person_left(s, m->body_id, id, m->motion_id, m->now, m->actor);
}

static int check_readmit(struct store *s, int64_t body_id, const struct kind_args *a,
			 json_t *canon, struct px_error *err)
{
	int64_t id;
	(void)canon;
	return member_by_handle(s, body_id, kind_text(a, "member"), "excluded",
				"params.member", &id, err);
}

static int apply_readmit(struct store *s, const struct motion_effect *m,
			 json_t *j, struct px_error *err)
{
	return set_status(s, m, "excluded", "active", j, err);
}

static int check_office(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	const char *name = kind_text(a, "name");
	(void)canon;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM offices WHERE body_id = ? AND name = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int exists = 0, rc;
	if ((rc = store_exists(st, &exists)))
		return px_fail(err, rc, NULL, NULL);
	if (exists)
		return px_fail(err, PX_E_EXISTS, "params.name", "the office '%s' exists", name);
	return 0;
}

static int apply_office(struct store *s, const struct motion_effect *m,
			json_t *j, struct px_error *err)
{
	const char *name = json_string_value(json_object_get(m->params, "name"));
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO offices(body_id, name, duties,"
				      " created_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(m->params, "duties")),
			  -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->motion_id);
	int rc = store_run(st);
	sqlite3_reset(st);
	if (!rc && !sqlite3_changes(store_db(s)))
		rc = px_fail(err, PX_E_EXISTS, "params.name", "the office '%s' exists", name);
	if (!rc)
		json_object_set_new(j, "office", json_string(name));
	return rc;
}

static int office_exists(struct store *s, int64_t body_id, const char *name,
			 struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM offices WHERE body_id = ? AND name = ?");
	sqlite3_bind_int64(st, 1, body_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	int exists = 0, rc = store_exists(st, &exists);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	return exists ? 0 : px_fail(err, PX_E_NOT_FOUND, "params.office",
				    "no office '%s' (create it first)", name);
}

static int check_elect(struct store *s, int64_t body_id, const struct kind_args *a,
		       json_t *canon, struct px_error *err)
{
	int64_t id;
	(void)canon;
	int rc = office_exists(s, body_id, kind_text(a, "office"), err);
	if (!rc)
		rc = member_by_handle(s, body_id, kind_text(a, "holder"), "active",
				      "params.holder", &id, err);
	return rc;
}

static int set_holder(struct store *s, const struct motion_effect *m,
		      const char *holder, json_t *j, struct px_error *err)
{
	const char *office = json_string_value(json_object_get(m->params, "office"));
	int64_t id = 0;
	int rc = holder ? member_by_handle(s, m->body_id, holder, "active", "params.holder",
					   &id, err) : 0;
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, "UPDATE offices SET holder_id = ?"
					 " WHERE body_id = ? AND name = ?");
	if (holder)
		sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, m->body_id);
	sqlite3_bind_text(st, 3, office, -1, SQLITE_STATIC);
	rc = store_run(st);
	sqlite3_reset(st);
	if (!rc && !sqlite3_changes(store_db(s)))
		rc = px_fail(err, PX_E_NOT_FOUND, "params.office", "no office '%s'", office);
	if (!rc)
		json_object_set_new(j, "office", json_pack("{s:s, s:s?}", "name", office,
				    "holder", holder));
	return rc;
}

static int apply_elect(struct store *s, const struct motion_effect *m,
		       json_t *j, struct px_error *err)
{
	return set_holder(s, m, json_string_value(json_object_get(m->params, "holder")),
			  j, err);
}

static int check_recall(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	(void)canon;
	return office_exists(s, body_id, kind_text(a, "office"), err);
}

static int apply_recall(struct store *s, const struct motion_effect *m,
			json_t *j, struct px_error *err)
{
	return set_holder(s, m, NULL, j, err);
}

/* The spec checked the kinds it may be granted (only those a committee
 * may decide: never laws, meetings, rules, membership, offices or
 * committees); its members are active members. */
static int check_committee(struct store *s, int64_t body_id, const struct kind_args *a,
			   json_t *canon, struct px_error *err)
{
	size_t i;
	json_t *v;
	int64_t id;
	int rc = 0;
	(void)canon;
	json_array_foreach(kind_json(a, "members"), i, v)
		if ((rc = member_by_handle(s, body_id, json_string_value(v), "active",
					   "params.members", &id, err)))
			break;
	return rc;
}

static int apply_committee(struct store *s, const struct motion_effect *m,
			   json_t *j, struct px_error *err)
{
	char *kinds = json_dumps(json_object_get(m->params, "decision_kinds"), JSON_COMPACT);
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO committees(body_id, name, scope,"
		" decision_kinds, ends_at, created_by) VALUES (?,?,?,?,?,?) RETURNING id");
	sqlite3_bind_int64(st, 1, m->body_id);
	sqlite3_bind_text(st, 2, json_string_value(json_object_get(m->params, "name")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 3, json_string_value(json_object_get(m->params, "scope")), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kinds, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(m->params, "ends_at")));
	sqlite3_bind_int64(st, 6, m->motion_id);
	int64_t id = 0;
	int rc = store_int64(st, &id, NULL);
	free(kinds);
	if (rc)
		return rc;
	if (!id)
		return PX_E_DB;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(m->params, "members"), i, v) {
		int64_t aid;
		if ((rc = member_by_handle(s, m->body_id, json_string_value(v), "active",
					   "params.members", &aid, err)))
			return rc;
		st = store_stmt(s, "INSERT OR IGNORE INTO committee_members(committee_id,"
				   " account_id) VALUES (?, ?)");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, aid);
		if ((rc = store_run(st)))
			return rc;
		sqlite3_reset(st);
	}
	json_object_set_new(j, "committee", json_integer(id));
	return 0;
}

static int check_revoke(struct store *s, int64_t body_id, const struct kind_args *a,
			json_t *canon, struct px_error *err)
{
	int64_t id = kind_num(a, "committee");
	(void)canon;
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM committees WHERE id = ?"
					 " AND body_id = ? AND revoked_by IS NULL");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, body_id);
	int ok = 0, rc;
	if ((rc = store_exists(st, &ok)))
		return px_fail(err, rc, NULL, NULL);
	if (!ok)
		return px_fail(err, PX_E_NOT_FOUND, "params.committee",
			       "no committee %lld in force", (long long)id);
	return 0;
}

static int apply_revoke(struct store *s, const struct motion_effect *m,
			json_t *j, struct px_error *err)
{
	int64_t id = json_integer_value(json_object_get(m->params, "committee"));
	sqlite3_stmt *st = store_stmt(s, "UPDATE committees SET revoked_by = ?"
		" WHERE id = ? AND body_id = ? AND revoked_by IS NULL");
	sqlite3_bind_int64(st, 1, m->motion_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, m->body_id);
	int rc = store_run(st);
	sqlite3_reset(st);
	if (!rc && !sqlite3_changes(store_db(s)))
		rc = px_fail(err, PX_E_CONFLICT, "params.committee",
			     "committee %lld was already revoked", (long long)id);
	if (!rc)
		json_object_set_new(j, "committee", json_integer(id));
	return rc;
}

/* ---- the rows ---- */

#define YEAR (366LL * 86400)

static const struct kind_param law_params[] = {
	{ .name = "law", .type = KP_LAW, .required = 1, .min = 1, .max = INT32_MAX,
	  .label = N_("The law"), .help = N_("A law of this assembly in force, by number.") },
	{ .name = NULL },
};

static const struct kind_param rules_params[] = {
	{ .name = "rules", .type = KP_RULES, .required = 1, .label = N_("The decision rules"),
	  .help = N_("The rule for every decision, and stricter rules for some kinds"
		  " (docs/rules.md).") },
	{ .name = "secret_ballot", .type = KP_KINDS, .label = N_("Decided by secret ballot"),
	  .help = N_("The kinds of motion voted by secret ballot; none when left empty.") },
	{ .name = NULL },
};

static const struct kind_param schedule_params[] = {
	{ .name = "schedule", .type = KP_SCHEDULE, .required = 1,
	  .label = N_("The regular meetings"),
	  .help = N_("How often, on which day, at what time, in which time zone and"
		  " where. Future meetings follow the new schedule.") },
	{ .name = NULL },
};

static const struct kind_param declare_params[] = {
	{ .name = "starts_at", .type = KP_TIME, .required = 1, .min = 0, .max = 2 * YEAR,
	  .label = N_("Starts"), .help = N_("From now to two years ahead.") },
	{ .name = "place", .type = KP_TEXT, .required = 1, .min = 1, .max = 200,
	  .label = N_("Place") },
	{ .name = NULL },
};

static const struct kind_param exclude_params[] = {
	{ .name = "member", .type = KP_HANDLE, .required = 1, .min = 1, .max = 32,
	  .label = N_("The member (handle)"),
	  .help = N_("An active member, or one who left: leaving does not escape an"
		  " exclusion.") },
	{ .name = "reasons", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("Reasons") },
	{ .name = "hearing", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 20000,
	  .label = N_("The hearing given to the member"),
	  .help = N_("When and how the member was heard.") },
	{ .name = NULL },
};

static const struct kind_param readmit_params[] = {
	{ .name = "member", .type = KP_HANDLE, .required = 1, .min = 1, .max = 32,
	  .label = N_("The person (handle)"), .help = N_("A person this assembly excluded.") },
	{ .name = NULL },
};

static const struct kind_param office_params[] = {
	{ .name = "name", .type = KP_TEXT, .required = 1, .min = 1, .max = 60,
	  .label = N_("Name of the office") },
	{ .name = "duties", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 5000,
	  .label = N_("Its duties"), .help = N_("Procedural duties: an office carries no power"
	  " over decisions.") },
	{ .name = NULL },
};

static const struct kind_param elect_params[] = {
	{ .name = "office", .type = KP_OFFICE, .required = 1, .min = 1, .max = 60,
	  .label = N_("The office") },
	{ .name = "holder", .type = KP_MEMBER, .required = 1, .min = 1, .max = 32,
	  .label = N_("Who"), .help = N_("An active member.") },
	{ .name = NULL },
};

static const struct kind_param recall_params[] = {
	{ .name = "office", .type = KP_OFFICE, .required = 1, .min = 1, .max = 60,
	  .label = N_("The office"), .help = N_("Its holder is recalled at once.") },
	{ .name = NULL },
};

static const struct kind_param committee_params[] = {
	{ .name = "name", .type = KP_TEXT, .required = 1, .min = 1, .max = 120,
	  .label = N_("Name of the committee") },
	{ .name = "scope", .type = KP_MARKDOWN, .required = 1, .min = 1, .max = 5000,
	  .label = N_("Its scope"), .help = N_("What the committee is for.") },
	{ .name = "decision_kinds", .type = KP_KINDS, .required = 1, .min = 1,
	  .kinds_by = KIND_BY_COMMITTEE, .label = N_("The kinds of motion it may decide"),
	  .help = N_("Never laws, meetings, rules, membership, offices or committees.") },
	{ .name = "members", .type = KP_MEMBERS, .required = 1, .min = 1,
	  .label = N_("Its members"), .help = N_("Active members of the assembly.") },
	{ .name = "ends_at", .type = KP_TIME, .required = 1, .min = 1, .max = 10 * YEAR,
	  .label = N_("It ends"), .help = N_("Its powers end then, if not revoked before: a moment still to"
		  " come, at most ten years ahead."),
	  .out_of_range = "a committee's end must lie in the future, at most ten years ahead" },
	{ .name = NULL },
};

static const struct kind_param language_params[] = {
	{ .name = "language", .type = KP_TEXT, .required = 1, .min = 2, .max = 8,
	  .label = N_("The language (its code: en, es)"),
	  .help = N_("The language of the minutes and of the projector, from the next"
		     " meeting on: a meeting under way keeps its own.") },
	{ .name = NULL },
};

static const struct kind_param revoke_params[] = {
	{ .name = "committee", .type = KP_COMMITTEE, .required = 1, .min = 1,
	  .max = INT64_MAX, .label = N_("The committee"), .help = N_("A committee in force.") },
	{ .name = NULL },
};

/* Who decides: a local assembly alone, or any body that meets (a
 * polity's assembly too: its members, seated by lot, are never excluded or
 * readmitted by these kinds, and its register is not theirs to write; an
 * enterprise too: it excludes and readmits its members as an assembly
 * does, and writes no law). */
#define LOCAL KIND_BY_LOCAL
#define MEMBERS (KIND_BY_LOCAL | KIND_BY_ENTERPRISE)
#define ANY (KIND_BY_LOCAL | KIND_BY_DELEGATE | KIND_BY_POLITY | KIND_BY_ENTERPRISE | \
	     KIND_BY_MILITIA)

const struct motion_kind assembly_kinds[] = {
	{ .name = "enact_law", .label = N_("Enact a new law"),
	  .summary = N_("enact a new law (the title and text are the law's)"),
	  .check = motion_kind_spec_only, .apply = apply_enact, .decided_by = LOCAL,
	  .flags = KIND_NEEDS_TEXT | KIND_WRITES_LAW, .text_label = N_("The law's text") },
	{ .name = "amend_law", .label = N_("Amend a law (the text is its new text)"),
	  .summary = N_("replace the text of a law with a new version"),
	  .check = check_law, .apply = apply_amend, .decided_by = LOCAL,
	  .flags = KIND_NEEDS_TEXT | KIND_WRITES_LAW, .text_label = N_("The law's new text"),
	  .params = law_params },
	{ .name = "repeal_law", .label = N_("Repeal a law"),
	  .summary = N_("repeal a law (it stays in the register as repealed)"),
	  .check = check_law, .apply = apply_repeal, .decided_by = LOCAL,
	  .flags = KIND_WRITES_LAW, .params = law_params },
	{ .name = "change_rules", .label = N_("Change the decision rules"),
	  .summary = N_("change the decision rules and which kinds use a secret ballot"),
	  .check = check_rules, .apply = apply_rules, .decided_by = ANY,
	  .params = rules_params },
	{ .name = "change_schedule", .label = N_("Change the regular meeting schedule"),
	  .summary = N_("change the regular meeting schedule"),
	  .check = check_schedule, .apply = apply_schedule, .decided_by = ANY,
	  .params = schedule_params },
	{ .name = "declare_meeting", .label = N_("Declare an extra meeting"),
	  .summary = N_("declare an extra meeting"),
	  .check = motion_kind_spec_only, .apply = apply_declare, .decided_by = ANY,
	  .params = declare_params },
	{ .name = "exclude_member", .label = N_("Exclude a member"),
	  .summary = N_("exclude a member, with the reasons and their hearing"),
	  .check = check_exclude, .apply = apply_exclude, .decided_by = MEMBERS,
	  .params = exclude_params },
	{ .name = "readmit_member", .label = N_("Readmit a former member"),
	  .summary = N_("readmit an excluded person"),
	  .check = check_readmit, .apply = apply_readmit, .decided_by = MEMBERS,
	  .params = readmit_params },
	{ .name = "create_office", .label = N_("Create an office"),
	  .summary = N_("create an office with its procedural duties"),
	  .check = check_office, .apply = apply_office, .decided_by = ANY,
	  .params = office_params },
	{ .name = "elect_holder", .label = N_("Elect the holder of an office"),
	  .summary = N_("elect the holder of an office"),
	  .check = check_elect, .apply = apply_elect, .decided_by = ANY,
	  .params = elect_params },
	{ .name = "recall_holder", .label = N_("Recall the holder of an office"),
	  .summary = N_("recall the holder of an office, at once"),
	  .check = check_recall, .apply = apply_recall, .decided_by = ANY,
	  .params = recall_params },
	{ .name = "create_committee", .label = N_("Create a committee"),
	  .summary = N_("create a committee with limited powers and an end date"),
	  .check = check_committee, .apply = apply_committee, .decided_by = ANY,
	  .params = committee_params },
	{ .name = "revoke_committee", .label = N_("Revoke a committee"),
	  .summary = N_("revoke a committee"),
	  .check = check_revoke, .apply = apply_revoke, .decided_by = ANY,
	  .params = revoke_params },
	{ .name = "change_language", .label = N_("Change the language of the minutes"),
	  .summary = N_("change the language of the minutes and the projector"),
	  .check = check_language, .apply = apply_language, .decided_by = ANY,
	  .params = language_params },
	{ .name = NULL },
};
