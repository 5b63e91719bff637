/*
 * actor.c: bodies and people as ActivityPub actors, WebFinger, NodeInfo
 * (nodes.h). Read-only: every answer is built from the registers as they
 * stand, in one read.
 *
 * The documents follow ActivityStreams 2.0 and what the fediverse's
 * servers expect of an actor (preferredUsername, inbox, outbox,
 * followers, publicKey with publicKeyPem). The key is the node's Ed25519
 * signing key, the one that signs its journal, as a SubjectPublicKeyInfo
 * in PEM (RFC 8410); every actor of the node names it, as "#main-key" of
 * its own address.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/num.h"
#include "core/strbuf.h"
#include "gov/assembly/assembly.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "gov/nodes/nodes_int.h"
#include "store/store.h"
#include "banned.h"

#define AS_CONTEXT "https://www.w3.org/ns/activitystreams"
#define SEC_CONTEXT "https://w3id.org/security/v1"
#define PUBLIC_AUDIENCE "https://www.w3.org/ns/activitystreams#Public"

/* The page a person reads for a body of each kind. */
static const struct {
	const char *kind;
	const char *page;
} body_pages[] = {
	{ "local", "/assembly.html?slug=" },
	{ "delegate", "/assembly.html?slug=" },
	{ "polity", "/assembly.html?slug=" },
	{ "enterprise", "/enterprise.html?slug=" },
	{ "militia", "/militia.html?slug=" },
};

static const char *body_page(const char *kind)
{
	for (size_t i = 0; i < sizeof(body_pages) / sizeof(body_pages[0]); i++)
		if (!strcmp(body_pages[i].kind, kind))
			return body_pages[i].page;
	return "/assembly.html?slug=";
}

/* A moment as ActivityStreams writes it (xsd:dateTime, UTC). */
static json_t *when_json(int64_t at)
{
	time_t tt = (time_t)at;
	struct tm tm;
	char buf[32] = "1970-01-01T00:00:00Z";
	if (gmtime_r(&tt, &tm))
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

/* "BASE" + the parts, as a new JSON string (NULL when out of memory). */
static json_t *url(const char *base, const char *a, const char *b, const char *c)
{
	struct strbuf sb;
	sb_init(&sb, 4096);
	json_t *s = NULL;
	if (!sb_adds(&sb, base) && !sb_adds(&sb, a) && (!b || !sb_adds(&sb, b)) &&
	    (!c || !sb_adds(&sb, c)))
		s = json_string(sb.buf);
	sb_release(&sb);
	return s;
}

/* The node's key as a PEM SubjectPublicKeyInfo (RFC 8410: the 12 bytes of
 * the Ed25519 algorithm identifier, then the 32 of the key). */
static int base_host(const char *base, char *out, size_t n);

static json_t *public_key_pem(struct store *db)
{
	static const unsigned char spki_prefix[12] = {
		0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	};
	const unsigned char *pk = store_public_key(db);
	if (!pk)
		return NULL;
	unsigned char der[44];
	memcpy(der, spki_prefix, sizeof(spki_prefix));
	memcpy(der + sizeof(spki_prefix), pk, 32);
	char b64[sodium_base64_ENCODED_LEN(sizeof(der), sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
	char pem[160];
	snprintf(pem, sizeof(pem), "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n",
		 b64);
	return json_string(pem);
}

/* The parts every actor has: addresses, names, key. id is the actor's
 * address; NULL when out of memory or the node has no key. */
static json_t *actor_base(struct store *db, const char *type, const char *id,
			  const char *username, const char *name)
{
	json_t *pem = public_key_pem(db);
	if (!pem)
		return NULL;
	json_t *a = json_pack("{s:[s,s], s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o,"
			      " s:{s:o, s:s, s:o}}",
			      "@context", AS_CONTEXT, SEC_CONTEXT,
			      "id", id, "type", type,
			      "preferredUsername", username, "name", name,
			      "inbox", url(id, "/inbox", NULL, NULL),
			      "outbox", url(id, "/outbox", NULL, NULL),
			      "followers", url(id, "/followers", NULL, NULL),
			      "following", url(id, "/following", NULL, NULL),
			      "publicKey", "id", url(id, "#main-key", NULL, NULL),
			      "owner", id, "publicKeyPem", pem);
	return a;
}

int nodes_body_actor(const struct gov_ctx *ctx, const char *base, const char *slug,
		     json_t **out, struct px_error *err)
{
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT b.slug, b.kind, b.name, b.statement, b.founded_at,"
		" coalesce(b.purpose, ''), coalesce(c.name, '')"
		" FROM bodies b LEFT JOIN communities c ON c.id = b.community_id"
		" WHERE b.slug = ?");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_text(st, 1, slug ? slug : "", -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no body '%s'", slug ? slug : "");
	json_t *id = url(base, "/bodies/", (const char *)sqlite3_column_text(st, 0), NULL);
	const char *kind = (const char *)sqlite3_column_text(st, 1);
	json_t *a = id ? actor_base(ctx->db, "Group", json_string_value(id),
				    (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 2)) : NULL;
	if (a) {
		/* what the body says of itself, and where people read it */
		const char *statement = (const char *)sqlite3_column_text(st, 3);
		const char *purpose = (const char *)sqlite3_column_text(st, 5);
		struct strbuf sum;
		sb_init(&sum, 64 * 1024);
		if (!sb_adds(&sum, "<p>") && !sb_add_html(&sum, *purpose ? purpose : statement) &&
		    !sb_adds(&sum, "</p>"))
			json_object_set_new(a, "summary", json_string(sum.buf));
		sb_release(&sum);
		json_object_set_new(a, "url", url(base, body_page(kind),
						  (const char *)sqlite3_column_text(st, 0), NULL));
		json_object_set_new(a, "published",
				    when_json(sqlite3_column_int64(st, 4)));
		json_object_set_new(a, "manuallyApprovesFollowers", json_false());
		json_object_set_new(a, "discoverable", json_true());
		json_object_set_new(a, "pnyx:kind", json_string(kind));
		const char *community = (const char *)sqlite3_column_text(st, 6);
		if (*community)
			json_object_set_new(a, "pnyx:community", json_string(community));
	}
	sqlite3_reset(st);
	json_decref(id);
	if (!a)
		return px_fail(err, store_public_key(ctx->db) ? PX_E_NOMEM : PX_E_NO_KEY, NULL, NULL);
	if ((rc = nodes_actor_keys(ctx->db, base, a))) {
		json_decref(a);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = a;
	return 0;
}

int nodes_actor_name_keep(struct store *s, const char *actor, const char *name, int64_t now)
{
	if (!actor || !name || !*name)
		return 0;
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO node_actor_names(actor, name, fetched_at)"
				      " VALUES (?, substr(?, 1, ?), ?) ON CONFLICT(actor) DO UPDATE"
				      " SET name = excluded.name, fetched_at = excluded.fetched_at");
	if (!st)
		return PX_E_INTERNAL;
	sqlite3_bind_text(st, 1, actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, NODES_ACTOR_NAME_MAX);
	sqlite3_bind_int64(st, 4, now);
	return store_run(st);
}

int nodes_node_actor(const struct gov_ctx *ctx, const char *base, json_t **out,
		     struct px_error *err)
{
	*out = NULL;
	char host[300];
	json_t *id = url(base, "/actor", NULL, NULL);
	json_t *a = id && !base_host(base, host, sizeof host)
		? actor_base(ctx->db, "Application", json_string_value(id), host, host) : NULL;
	json_decref(id);
	if (!a)
		return px_fail(err, store_public_key(ctx->db) ? PX_E_NOMEM : PX_E_NO_KEY, NULL, NULL);
	/* it posts nothing and follows nobody: its inbox is the node's */
	json_object_del(a, "outbox");
	json_object_del(a, "followers");
	json_object_del(a, "following");
	json_object_set_new(a, "inbox", url(base, "/inbox", NULL, NULL));
	int rc = nodes_actor_keys(ctx->db, base, a);
	if (rc) {
		json_decref(a);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = a;
	return 0;
}

int nodes_person_actor(const struct gov_ctx *ctx, const char *base, const char *handle,
		       json_t **out, struct px_error *err)
{
	*out = NULL;
	sqlite3_stmt *st = store_stmt(ctx->db,
		"SELECT handle, display_name, created_at FROM accounts WHERE handle = ?");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_text(st, 1, handle ? handle : "", -1, SQLITE_TRANSIENT);
	int row = 0, rc = store_step(st, &row);
	if (rc)
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no person '%s'",
			       handle ? handle : "");
	json_t *id = url(base, "/people/", (const char *)sqlite3_column_text(st, 0), NULL);
	json_t *a = id ? actor_base(ctx->db, "Person", json_string_value(id),
				    (const char *)sqlite3_column_text(st, 0),
				    (const char *)sqlite3_column_text(st, 1)) : NULL;
	if (a)
		json_object_set_new(a, "published", when_json(sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	json_decref(id);
	if (!a)
		return px_fail(err, store_public_key(ctx->db) ? PX_E_NOMEM : PX_E_NO_KEY, NULL, NULL);
	if ((rc = nodes_actor_keys(ctx->db, base, a))) {
		json_decref(a);
		return px_fail(err, rc, NULL, NULL);
	}
	*out = a;
	return 0;
}

/* ---- the outbox -------------------------------------------------------- */

/* A post of the body's record: its Note and the Create that published
 * it, addressed to the public and the body's followers. The Note's id is
 * an address of this node that answers with it (nodes_body_post). */
struct record_row {
	const char *what; /* "motion" or "meeting" */
	int64_t id;
	int64_t at;
	const char *title; /* a motion's; NULL for a meeting */
};

/* The text of a post, in HTML as ActivityPub's content is: escaped. */
static int post_html(struct strbuf *sb, const char *lead, const char *title,
		     const char *link, const char *link_text)
{
	int rc;
	if ((rc = sb_adds(sb, "<p>")) || (rc = sb_add_html(sb, lead)) ||
	    (title && ((rc = sb_adds(sb, " “")) || (rc = sb_add_html(sb, title)) ||
		       (rc = sb_adds(sb, "”")))) ||
	    (rc = sb_adds(sb, "</p><p><a href=\"")) || (rc = sb_add_html(sb, link)) ||
	    (rc = sb_adds(sb, "\">")) || (rc = sb_add_html(sb, link_text)) ||
	    (rc = sb_adds(sb, "</a></p>")))
		return rc;
	return 0;
}

/* The Note of r, or the Create of it (create = 1); NULL when out of memory. */
static json_t *post(const char *actor, const char *base, const struct record_row *r,
		    int create)
{
	char name[48];
	snprintf(name, sizeof(name), "/posts/%s-%lld", r->what, (long long)r->id);
	struct strbuf html, link;
	sb_init(&html, 64 * 1024);
	sb_init(&link, 4096);
	int motion = !strcmp(r->what, "motion");
	json_t *note_id = url(actor, name, NULL, NULL);
	json_t *followers = url(actor, "/followers", NULL, NULL);
	json_t *when = when_json(r->at);
	json_t *note = NULL, *p = NULL;
	if (sb_addf(&link, "%s/%s.html?id=%lld", base, r->what, (long long)r->id) ||
	    (motion ? post_html(&html, "Adopted:", r->title, link.buf, "The motion and its vote")
		    : post_html(&html, "A meeting closed; its minutes are kept.", NULL,
				link.buf, "The meeting and its minutes")))
		goto out;
	if (note_id && followers && when)
		note = json_pack("{s:O, s:s, s:s, s:O, s:s, s:s, s:[s], s:[O]}",
				 "id", note_id, "type", "Note", "attributedTo", actor,
				 "published", when, "url", link.buf, "content", html.buf,
				 "to", PUBLIC_AUDIENCE, "cc", followers);
	if (!note || !create) {
		p = note;
		goto out;
	}
	json_t *activity_id = url(json_string_value(note_id), "#create", NULL, NULL);
	if (activity_id)
		p = json_pack("{s:o, s:s, s:s, s:O, s:[s], s:[O], s:o}",
			      "id", activity_id, "type", "Create", "actor", actor,
			      "published", when, "to", PUBLIC_AUDIENCE, "cc", followers,
			      "object", note);
	else
		json_decref(note);
out:
	sb_release(&html);
	sb_release(&link);
	json_decref(note_id);
	json_decref(followers);
	json_decref(when);
	return p;
}

/* The body's public record, newest first: motions adopted (decided_at)
 * and meetings closed (closed_at). */
#define RECORD_SQL \
	" FROM (SELECT 'motion' AS what, m.id AS id, m.decided_at AS at, m.title AS title" \
	" FROM motions m WHERE m.body_id = ?1 AND m.status = 'adopted'" \
	" AND m.decided_at IS NOT NULL" \
	" UNION ALL SELECT 'meeting', g.id, g.closed_at, NULL FROM meetings g" \
	" WHERE g.body_id = ?1 AND g.closed_at IS NOT NULL)"

static int outbox_items(struct store *db, const char *base, const char *actor,
			int64_t body, int64_t page, json_t *items, struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(db, "SELECT what, id, at, title" RECORD_SQL
				      " ORDER BY at DESC, what, id DESC LIMIT ?2 OFFSET ?3");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_int64(st, 2, NODES_OUTBOX_PAGE);
	sqlite3_bind_int64(st, 3, (page - 1) * NODES_OUTBOX_PAGE);
	int rc = 0;
	while (store_next(st, &rc)) {
		struct record_row r = {
			(const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3),
		};
		json_t *p = post(actor, base, &r, 1);
		if (!p || json_array_append_new(items, p)) {
			rc = PX_E_NOMEM;
			sqlite3_reset(st);
			break;
		}
	}
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

json_t *nodes_post_create(const char *base, const char *slug, const char *what, int64_t id,
			  int64_t at, const char *title)
{
	json_t *actor = url(base, "/bodies/", slug, NULL);
	struct record_row r = { what, id, at, title };
	json_t *p = actor ? post(json_string_value(actor), base, &r, 1) : NULL;
	json_decref(actor);
	return p;
}

int nodes_body_post(const struct gov_ctx *ctx, const char *base, const char *slug,
		    const char *name, json_t **out, struct px_error *err)
{
	*out = NULL;
	int64_t body = 0, id = 0;
	int rc = body_id_by_slug(ctx->db, slug, &body, err);
	if (rc)
		return rc;
	const char *what = NULL;
	if (name && !strncmp(name, "motion-", 7))
		what = "motion";
	else if (name && !strncmp(name, "meeting-", 8))
		what = "meeting";
	const char *num = what ? name + strlen(what) + 1 : "";
	if (!what || num_parse_i64(num, 1, INT64_MAX, &id))
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no post '%s'", name ? name : "");
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT at, title" RECORD_SQL
				      " WHERE what = ?2 AND id = ?3");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_int64(st, 1, body);
	sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (!row)
		return px_fail(err, PX_E_NOT_FOUND, NULL, "no post '%s'", name);
	json_t *actor = url(base, "/bodies/", slug, NULL);
	struct record_row r = { what, id, sqlite3_column_int64(st, 0),
				(const char *)sqlite3_column_text(st, 1) };
	json_t *p = actor ? post(json_string_value(actor), base, &r, 0) : NULL;
	sqlite3_reset(st);
	json_decref(actor);
	if (!p)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	json_object_set_new(p, "@context", json_string(AS_CONTEXT));
	*out = p;
	return 0;
}

int nodes_body_outbox(const struct gov_ctx *ctx, const char *base, const char *slug,
		      int64_t page, json_t **out, struct px_error *err)
{
	*out = NULL;
	int64_t body = 0, total = 0;
	int rc, found = 0;
	if (page < 0)
		return px_fail(err, PX_E_BAD_INPUT, "page", "a page is a number from 1");
	if ((rc = body_id_by_slug(ctx->db, slug, &body, err)))
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT count(*)" RECORD_SQL);
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_int64(st, 1, body);
	if ((rc = store_int64(st, &total, &found)))
		return px_fail(err, rc, NULL, NULL);
	json_t *actor = url(base, "/bodies/", slug, NULL);
	json_t *self = actor ? url(json_string_value(actor), "/outbox", NULL, NULL) : NULL;
	json_t *o = NULL;
	char q[48];
	if (!self)
		goto nomem;
	if (page == 0) {
		o = json_pack("{s:s, s:O, s:s, s:I, s:o}", "@context", AS_CONTEXT,
			      "id", self, "type", "OrderedCollection",
			      "totalItems", (json_int_t)total,
			      "first", url(json_string_value(self), "?page=1", NULL, NULL));
		if (!o)
			goto nomem;
	} else {
		json_t *items = json_array();
		snprintf(q, sizeof(q), "?page=%lld", (long long)page);
		o = items ? json_pack("{s:s, s:o, s:s, s:O, s:o}", "@context", AS_CONTEXT,
				      "id", url(json_string_value(self), q, NULL, NULL),
				      "type", "OrderedCollectionPage", "partOf", self,
				      "orderedItems", items) : NULL;
		if (!o)
			goto nomem;
		if ((rc = outbox_items(ctx->db, base, json_string_value(actor), body, page,
				       items, err)))
			goto fail;
		if (page * NODES_OUTBOX_PAGE < total) {
			snprintf(q, sizeof(q), "?page=%lld", (long long)page + 1);
			json_object_set_new(o, "next", url(json_string_value(self), q, NULL, NULL));
		}
		if (page > 1) {
			snprintf(q, sizeof(q), "?page=%lld", (long long)page - 1);
			json_object_set_new(o, "prev", url(json_string_value(self), q, NULL, NULL));
		}
	}
	json_decref(actor);
	json_decref(self);
	*out = o;
	return 0;
nomem:
	rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
fail:
	json_decref(actor);
	json_decref(self);
	json_decref(o);
	return rc;
}

/* ---- WebFinger and NodeInfo -------------------------------------------- */

/* The host part of base ("https://host[:port]/..." -> "host[:port]"), in
 * out (size n): 0, or -1 when base has no scheme. */
static int base_host(const char *base, char *out, size_t n)
{
	const char *p = strstr(base, "://");
	if (!p)
		return -1;
	p += 3;
	size_t len = strcspn(p, "/");
	if (!len || len >= n)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int exists(struct store *db, const char *sql, const char *key, int *yes,
		  struct px_error *err)
{
	sqlite3_stmt *st = store_stmt(db, sql);
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = store_exists(st, yes);
	return rc ? px_fail(err, rc, NULL, NULL) : 0;
}

int nodes_webfinger(const struct gov_ctx *ctx, const char *base, const char *resource,
		    json_t **out, struct px_error *err)
{
	*out = NULL;
	char host[256], name[GOV_SLUG_SIZE + GOV_HANDLE_MAX];
	if (base_host(base, host, sizeof(host)))
		return px_fail(err, PX_E_INTERNAL, NULL, "the node has no address");
	if (!resource || !*resource)
		return px_fail(err, PX_E_MISSING_FIELD, "resource",
			       "resource names whom to find: acct:NAME@HOST or an actor's address");
	const char *kind = NULL; /* "bodies" or "people", when the address says */
	size_t blen = strlen(base);
	if (!strncmp(resource, "acct:", 5)) {
		const char *at = strrchr(resource + 5, '@');
		size_t len = at ? (size_t)(at - (resource + 5)) : 0;
		if (!at || !len || len >= sizeof(name))
			return px_fail(err, PX_E_BAD_INPUT, "resource",
				       "an acct: resource is acct:NAME@HOST");
		if (strcmp(at + 1, host))
			return px_fail(err, PX_E_NOT_FOUND, "resource",
				       "%s is not this node (%s)", at + 1, host);
		memcpy(name, resource + 5, len);
		name[len] = '\0';
	} else if (!strncmp(resource, base, blen) && resource[blen] == '/') {
		const char *rest = resource + blen + 1;
		if (!strncmp(rest, "bodies/", 7))
			kind = "bodies";
		else if (!strncmp(rest, "people/", 7))
			kind = "people";
		else
			return px_fail(err, PX_E_NOT_FOUND, "resource",
				       "that address is no actor of this node");
		rest += 7;
		if (!*rest || strlen(rest) >= sizeof(name) || strchr(rest, '/'))
			return px_fail(err, PX_E_NOT_FOUND, "resource",
				       "that address is no actor of this node");
		snprintf(name, sizeof(name), "%s", rest);
	} else {
		return px_fail(err, PX_E_BAD_INPUT, "resource",
			       "resource is acct:NAME@HOST or an actor's address on this node");
	}
	int body = 0, person = 0, rc;
	if ((!kind || !strcmp(kind, "bodies")) &&
	    (rc = exists(ctx->db, "SELECT 1 FROM bodies WHERE slug = ?", name, &body, err)))
		return rc;
	/* a body's slug and a person's handle may be the same word: acct:
	 * finds the body then (docs/nodes.md, choice 1); the person's own
	 * address always finds the person */
	if (!body && (!kind || !strcmp(kind, "people")) &&
	    (rc = exists(ctx->db, "SELECT 1 FROM accounts WHERE handle = ?", name, &person,
			 err)))
		return rc;
	if (!body && !person)
		return px_fail(err, PX_E_NOT_FOUND, "resource", "nobody here is called '%s'",
			       name);
	json_t *actor = url(base, body ? "/bodies/" : "/people/", name, NULL);
	char subject[sizeof(name) + sizeof(host) + 8];
	snprintf(subject, sizeof(subject), "acct:%s@%s", name, host);
	json_t *o = actor ? json_pack("{s:s, s:[O], s:[{s:s, s:s, s:O}]}",
				      "subject", subject, "aliases", actor, "links",
				      "rel", "self", "type", "application/activity+json",
				      "href", actor) : NULL;
	json_decref(actor);
	if (!o)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	*out = o;
	return 0;
}

int nodes_nodeinfo_links(const char *base, json_t **out, struct px_error *err)
{
	*out = json_pack("{s:[{s:s, s:o}]}", "links",
			 "rel", "http://nodeinfo.diaspora.software/ns/schema/2.1",
			 "href", url(base, "/nodeinfo/2.1", NULL, NULL));
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}

int nodes_nodeinfo(const struct gov_ctx *ctx, const char *version, json_t **out,
		   struct px_error *err)
{
	*out = NULL;
	int64_t people = 0, bodies = 0, posts = 0;
	int rc;
	sqlite3_stmt *st = store_stmt(ctx->db, "SELECT (SELECT count(*) FROM accounts),"
				      " (SELECT count(*) FROM bodies),"
				      " (SELECT count(*) FROM motions WHERE status = 'adopted')");
	if (!st)
		return px_fail(err, PX_E_INTERNAL, NULL, NULL);
	int row = 0;
	if ((rc = store_step(st, &row)))
		return px_fail(err, rc, NULL, NULL);
	if (row) {
		people = sqlite3_column_int64(st, 0);
		bodies = sqlite3_column_int64(st, 1);
		posts = sqlite3_column_int64(st, 2);
		sqlite3_reset(st);
	}
	*out = json_pack("{s:s, s:{s:s, s:s}, s:[s], s:{s:[], s:[]}, s:b,"
			 " s:{s:{s:I}, s:I}, s:{s:s, s:I}}",
			 "version", "2.1",
			 "software", "name", "pnyx", "version", version,
			 "protocols", "activitypub",
			 "services", "inbound", "outbound",
			 "openRegistrations", 1,
			 "usage", "users", "total", (json_int_t)people,
			 "localPosts", (json_int_t)posts,
			 "metadata", "nodeName", "pnyx", "bodies", (json_int_t)bodies);
	return *out ? 0 : px_fail(err, PX_E_NOMEM, NULL, NULL);
}
