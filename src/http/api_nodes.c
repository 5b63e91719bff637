/*
 * api_nodes.c: how this node is seen from the fediverse (src/gov/nodes,
 * docs/nodes.md): actor documents at /bodies/{slug} and /people/{handle},
 * a body's outbox and followers, WebFinger and NodeInfo. These paths are
 * outside /api/v1 because other servers look for them there (WebFinger
 * and NodeInfo at fixed places; an actor at the address it is known by).
 *
 * An actor's address is also a link people follow: asked for HTML (no
 * ActivityStreams type in Accept), it answers 303 to the body's page.
 */
#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "gov/nodes/nodes.h"
#include "gov/procedure/procedure.h"
#include "api.h"
#include "deliver.h"
#include "request.h"
#include "server.h"
#include "banned.h"

#ifndef PNYX_VERSION
#define PNYX_VERSION "0.1.0"
#endif

#define AS_TYPE "application/activity+json; charset=utf-8"

/* The node's address as others reach it: --public-url, or the address it
 * listens at; without a trailing slash. */
static void node_base(struct http_req *req, char *out, size_t n)
{
	const char *u = req->srv->public_url[0] ? req->srv->public_url : req->srv->url;
	size_t len = strlen(u);
	while (len > 0 && u[len - 1] == '/')
		len--;
	snprintf(out, n, "%.*s", (int)len, u);
}

/* Whether the caller asked for ActivityStreams (or any JSON) rather than
 * a page. */
static int wants_activity(struct http_req *req)
{
	const char *a = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_ACCEPT);
	return a && (strstr(a, "application/activity+json") ||
		     strstr(a, "application/ld+json") || strstr(a, "application/json"));
}

/* Reply with doc (taken) as type. */
static int reply_as(struct http_req *req, json_t *doc, const char *type)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return PX_E_NOMEM;
	int rc = http_reply_text(req, 200, type, text);
	free(text);
	return rc;
}

int api_ap_body(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = wants_activity(req) ? api_fetch_allowed(req) : 0;
	if (rc)
		return rc;
	rc = nodes_body_actor(&req->ctx, base, http_param(req, "slug"), &out, &req->err);
	if (rc)
		return rc;
	if (!wants_activity(req)) {
		const char *page = json_string_value(json_object_get(out, "url"));
		rc = http_header(req, MHD_HTTP_HEADER_LOCATION, page ? page : "/");
		json_decref(out);
		return rc ? rc : http_reply_text(req, 303, "text/plain; charset=utf-8",
						 "See the body's page.\n");
	}
	return reply_as(req, out, AS_TYPE);
}

int api_ap_person(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = api_fetch_allowed(req);
	if (rc)
		return rc;
	rc = nodes_person_actor(&req->ctx, base, http_param(req, "handle"), &out, &req->err);
	if (rc)
		return rc;
	return reply_as(req, out, AS_TYPE);
}

/* Never behind authorized fetch: a server that checks a signed fetch of
 * this node reads the key here (and would loop otherwise). */
int api_ap_node(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = nodes_node_actor(&req->ctx, base, &out, &req->err);
	if (rc)
		return rc;
	return reply_as(req, out, AS_TYPE);
}

int api_ap_outbox(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	int64_t page = 0;
	int rc = api_fetch_allowed(req);
	if (!rc)
		rc = http_query_int(req, "page", 1, INT32_MAX, 0, &page);
	if (rc)
		return rc;
	json_t *out = NULL;
	if ((rc = nodes_body_outbox(&req->ctx, base, http_param(req, "slug"), page, &out,
				    &req->err)))
		return rc;
	return reply_as(req, out, AS_TYPE);
}

int api_ap_post(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = api_fetch_allowed(req);
	if (!rc)
		rc = nodes_body_post(&req->ctx, base, http_param(req, "slug"),
				     http_param(req, "post"), &out, &req->err);
	if (rc)
		return rc;
	return reply_as(req, out, AS_TYPE);
}

int api_ap_followers(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = api_fetch_allowed(req);
	if (!rc)
		rc = nodes_body_followers(&req->ctx, base, http_param(req, "slug"), &out,
					  &req->err);
	if (rc)
		return rc;
	return reply_as(req, out, AS_TYPE);
}

int api_webfinger(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = nodes_webfinger(&req->ctx, base, http_query(req, "resource"), &out,
				 &req->err);
	if (rc)
		return rc;
	/* WebFinger is read by scripts of other sites (RFC 7033, 5) */
	if ((rc = http_header(req, "Access-Control-Allow-Origin", "*"))) {
		json_decref(out);
		return rc;
	}
	return reply_as(req, out, "application/jrd+json; charset=utf-8");
}

int api_nodeinfo_links(struct http_req *req, void *in)
{
	(void)in;
	char base[600];
	node_base(req, base, sizeof(base));
	json_t *out = NULL;
	int rc = nodes_nodeinfo_links(base, &out, &req->err);
	if (rc)
		return rc;
	return reply_as(req, out, "application/json; charset=utf-8");
}

int api_nodeinfo(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = nodes_nodeinfo(&req->ctx, PNYX_VERSION, &out, &req->err);
	if (rc)
		return rc;
	return reply_as(req, out, "application/json; profile=\"http://nodeinfo.diaspora"
			".software/ns/schema/2.1#\"; charset=utf-8");
}

/* ---- activities from other nodes ---- */

#define INBOX_HEADERS_MAX 48

struct header_list {
	struct httpsig_header h[INBOX_HEADERS_MAX];
	size_t n;
};

static enum MHD_Result add_header(void *arg, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct header_list *l = arg;
	(void)kind;
	if (l->n < INBOX_HEADERS_MAX && key && value) {
		l->h[l->n].name = key;
		l->h[l->n].value = value;
		l->n++;
	}
	return MHD_YES;
}

int api_ap_inbox(struct http_req *req, void *in)
{
	(void)in;
	/* people of the fediverse following the body (api_follow.c) */
	if (nodes_follow_wanted(req->body, req->body_len))
		return api_fedi_inbox(req, http_param(req, "slug"));
	char base[600];
	node_base(req, base, sizeof(base));
	struct header_list l = { .n = 0 };
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, add_header, &l);
	const char *sig = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Signature");
	/* a node not known yet may ask to join: its key is read from its
	 * actor document, before any transaction */
	char key_url[NODES_KEY_URL_SIZE], origin[NODES_ORIGIN_MAX], why[300];
	char name[NODES_ACTOR_NAME_MAX + 1] = "";
	unsigned char pk[32], fetched[32];
	const unsigned char *fk = NULL;
	int join = 0, found = 0, rc;
	if (!nodes_inbox_peek(req->body, req->body_len, sig, key_url, &join) && join &&
	    !nodes_origin(key_url, origin)) {
		if ((rc = nodes_peer_key(req->ctx.db, origin, pk, &found)))
			return rc;
		if (!found && !deliver_fetch_key_name(req->ctx.db, base, key_url,
						      req->srv->peer_public_only, fetched, name,
						      sizeof name, why, sizeof why))
			fk = fetched;
		else if (!found)
			fprintf(stderr, "pnyx serve: inbox of %s: the key of a node asking to"
				" join: %s\n", http_param(req, "slug"), why);
	}
	struct nodes_inbound inb = {
		.base = base, .slug = http_param(req, "slug"), .method = req->method,
		.target = req->target, .hdrs = l.h, .n = l.n, .body = req->body,
		.len = req->body_len, .fetched_key = fk,
	};
	json_t *out = NULL;
	if ((rc = nodes_inbox_receive(&req->ctx, &inb, &out, &req->err)))
		return rc;
	/* the name of an assembly taken as asking to join, shown with it */
	if (fk && *name && nodes_actor_name_keep(req->ctx.db, key_url, name, req->ctx.now))
		fprintf(stderr, "pnyx serve: cannot keep the name of %s\n", key_url);
	return http_reply(req, 202, out);
}

int api_body_remote(struct http_req *req, void *in)
{
	(void)in;
	json_t *out = NULL;
	int rc = nodes_body_relations(&req->ctx, http_param(req, "slug"), &out, &req->err);
	return rc ? rc : http_reply(req, 200, out);
}

static const struct spec_field remote_vote_fields[] = {
	SPEC_STR(struct in_remote_vote, actor, 1, 12, 500),
	SPEC_INT(struct in_remote_vote, motion, 1, 1, INT64_MAX),
	SPEC_ENUM(struct in_remote_vote, position, 1, vote_position_names),
	SPEC_END,
};
const struct body_spec spec_remote_vote = { remote_vote_fields,
					    sizeof(struct in_remote_vote) };

int api_body_remote_vote(struct http_req *req, void *in)
{
	const struct in_remote_vote *v = in;
	json_t *out = NULL;
	int rc = nodes_remote_vote(&req->ctx, http_param(req, "slug"), v->actor, v->motion,
				   v->position, &out, &req->err);
	return rc ? rc : http_reply(req, 202, out);
}
