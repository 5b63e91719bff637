/*
 * notice_person.c: what a person reads of their notifications and what
 * they set: the list, the unread count, marking read, the e-mail address
 * and whether to receive mail. Each acts on the caller's own rows only:
 * nobody reads or marks another person's notifications.
 */
#include <string.h>

#include "store/store.h"
#include "notice.h"
#include "banned.h"

static int unread_of(struct store *s, int64_t account, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM notifications"
					 " WHERE account_id = ? AND read_at IS NULL");
	if (st)
		sqlite3_bind_int64(st, 1, account);
	return store_int64(st, n, NULL);
}

static json_t *row_json(sqlite3_stmt *st)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:s, s:b}",
		"id", (json_int_t)sqlite3_column_int64(st, 0),
		"what", (const char *)sqlite3_column_text(st, 1),
		"at", (json_int_t)sqlite3_column_int64(st, 2),
		"text", (const char *)sqlite3_column_text(st, 3),
		"link", (const char *)sqlite3_column_text(st, 4),
		"read", sqlite3_column_type(st, 5) != SQLITE_NULL);
	return j;
}

struct list_args {
	int64_t account, before, limit;
	json_t *list;
	int64_t unread, next;
};

static int list_read(struct store *s, void *arg)
{
	struct list_args *a = arg;
	int rc = 0;
	json_array_clear(a->list);
	a->next = 0;
	sqlite3_stmt *st = store_stmt(s,
		"SELECT id, what, at, text, link, read_at FROM notifications"
		" WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->account);
	sqlite3_bind_int64(st, 2, a->before > 0 ? a->before : INT64_MAX);
	sqlite3_bind_int64(st, 3, a->limit + 1);
	int64_t n = 0;
	while (store_next(st, &rc)) {
		if (n++ == a->limit) {
			/* one more than asked: there is a next page */
			a->next = (int64_t)json_integer_value(json_object_get(
				json_array_get(a->list, json_array_size(a->list) - 1), "id"));
			continue;
		}
		json_t *j = row_json(st);
		if (!j || json_array_append_new(a->list, j)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	return rc ? rc : unread_of(s, a->account, &a->unread);
}

int gov_notice_list(const struct gov_ctx *ctx, int64_t before, int64_t limit,
		    json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (before < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "before", "before is an id (1 or more)");
	if (limit < 1 || limit > NOTICE_PAGE_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "limit",
			       "limit is 1 to %d", NOTICE_PAGE_MAX);
	struct list_args a = { ctx->account_id, before, limit, json_array(), 0, 0 };
	if (!a.list)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	if ((rc = list_read(ctx->db, &a))) { /* a GET runs in one read transaction */
		json_decref(a.list);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = json_pack("{s:o, s:I, s:o}", "notifications", a.list,
			 "unread", (json_int_t)a.unread,
			 "next", a.next ? json_integer(a.next) : json_null());
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

int gov_notice_count(const struct gov_ctx *ctx, json_t **out,
		     struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	int64_t n = 0;
	if ((rc = unread_of(ctx->db, ctx->account_id, &n)))
		return px_fail(err, rc, NULL, NULL);
	*out = json_pack("{s:I}", "unread", (json_int_t)n);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

struct mark_args {
	int64_t account, id, up_to, now;
	int64_t marked, unread;
	int missing;
};

static int mark_tx(struct store *s, void *arg)
{
	struct mark_args *a = arg;
	int yes = 0, rc;
	a->missing = 0;
	if (a->id > 0) {
		sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM notifications"
						 " WHERE id = ? AND account_id = ?");
		if (st) {
			sqlite3_bind_int64(st, 1, a->id);
			sqlite3_bind_int64(st, 2, a->account);
		}
		if ((rc = store_exists(st, &yes)))
			return rc;
		if (!yes) {
			a->missing = 1;
			return PX_E_NOT_FOUND;
		}
	}
	sqlite3_stmt *st = store_stmt(s, "UPDATE notifications SET read_at = ?"
		" WHERE account_id = ? AND read_at IS NULL"
		" AND (id = ? OR (? > 0 AND id <= ?))");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->now);
	sqlite3_bind_int64(st, 2, a->account);
	sqlite3_bind_int64(st, 3, a->id);
	sqlite3_bind_int64(st, 4, a->up_to);
	sqlite3_bind_int64(st, 5, a->up_to);
	if ((rc = store_run(st)))
		return rc;
	a->marked = sqlite3_changes(store_db(s));
	return unread_of(s, a->account, &a->unread);
}

int gov_notice_mark_read(const struct gov_ctx *ctx, int64_t id, int64_t up_to,
			 json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (id < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "id", "id is a notification's number");
	if (up_to < 0)
		return px_fail(err, PX_E_OUT_OF_RANGE, "up_to",
			       "up_to is a notification's number");
	if ((id > 0) == (up_to > 0))
		return px_fail(err, PX_E_BAD_INPUT, "id",
			       "give either id (one notification) or up_to (all up to it)");
	struct mark_args a = { ctx->account_id, id, up_to, ctx->now, 0, 0, 0 };
	rc = store_tx(ctx->db, mark_tx, &a);
	if (rc && a.missing)
		return px_fail(err, PX_E_NOT_FOUND, "id", "you have no notification %lld",
			       (long long)id);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	*out = json_pack("{s:I, s:I}", "marked", (json_int_t)a.marked,
			 "unread", (json_int_t)a.unread);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

int notice_email_ok(const char *text)
{
	size_t len = text ? strlen(text) : 0;
	if (len < 3 || len > NOTICE_EMAIL_MAX)
		return 0;
	const char *at = strchr(text, '@');
	if (!at || at == text || strchr(at + 1, '@'))
		return 0;
	const char *domain = at + 1;
	const char *dot = strchr(domain, '.');
	if (!dot || dot == domain || domain[strlen(domain) - 1] == '.')
		return 0;
	if (at - text > 64)
		return 0;
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
			return 0;
	}
	return 1;
}

static int settings_read(struct store *s, int64_t account, json_t **out)
{
	int row = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT email, mail FROM notice_settings"
					 " WHERE account_id = ?");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, account);
	int rc = store_step(st, &row);
	if (rc)
		return rc;
	if (!row) {
		*out = json_pack("{s:n, s:b}", "email", "mail", 0);
	} else {
		const char *email = (const char *)sqlite3_column_text(st, 0);
		*out = json_pack("{s:o, s:b}", "email",
				 email ? json_string(email) : json_null(), "mail",
				 sqlite3_column_int(st, 1));
		sqlite3_reset(st);
	}
	return *out ? 0 : PX_E_NOMEM;
}

int gov_notice_settings_get(const struct gov_ctx *ctx, json_t **out,
			    struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if ((rc = settings_read(ctx->db, ctx->account_id, out)))
		return px_fail(err, rc, NULL, NULL);
	return 0;
}

struct settings_args {
	int64_t account;
	const char *email;
	int mail;
	int no_address;
	json_t *out;
};

static int settings_tx(struct store *s, void *arg)
{
	struct settings_args *a = arg;
	a->no_address = 0;
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO notice_settings(account_id, email, mail) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (account_id) DO UPDATE SET email = ?2, mail = ?3");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->account);
	if (a->email && *a->email)
		sqlite3_bind_text(st, 2, a->email, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, a->mail);
	int rc = store_run(st);
	if (rc)
		return rc;
	/* mail on needs an address; the whole change is refused otherwise */
	st = store_stmt(s, "SELECT 1 FROM notice_settings WHERE account_id = ?"
			   " AND mail = 1 AND email IS NULL");
	int yes = 0;
	if (st)
		sqlite3_bind_int64(st, 1, a->account);
	if ((rc = store_exists(st, &yes)))
		return rc;
	if (yes) {
		a->no_address = 1;
		return PX_E_BAD_INPUT;
	}
	/* turning mail off: what waits for the next message is not sent */
	st = store_stmt(s, "UPDATE notifications SET mailed = 1 WHERE account_id = ?"
			   " AND mailed = 0 AND NOT EXISTS (SELECT 1 FROM notice_settings"
			   "  WHERE account_id = ?1 AND mail = 1)");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_int64(st, 1, a->account);
	if ((rc = store_run(st)))
		return rc;
	json_decref(a->out);
	a->out = NULL;
	return settings_read(s, a->account, &a->out);
}

int gov_notice_settings_set(const struct gov_ctx *ctx, const char *email,
			    int mail, json_t **out, struct px_error *err)
{
	*out = NULL;
	int rc = gov_require_account(ctx, err);
	if (rc)
		return rc;
	if (email && *email && !notice_email_ok(email))
		return px_fail(err, PX_E_BAD_INPUT, "email",
			       "email is not an e-mail address (name@example.org)");
	if (mail < 0 || mail > 1)
		return px_fail(err, PX_E_OUT_OF_RANGE, "mail", "mail is true or false");
	struct settings_args a = { ctx->account_id, email, mail, 0, NULL };
	rc = store_tx(ctx->db, settings_tx, &a);
	if (rc && a.no_address)
		return px_fail(err, PX_E_BAD_INPUT, "mail",
			       "give an e-mail address to receive mail");
	if (rc) {
		json_decref(a.out);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = a.out;
	return 0;
}
