/*
 * api_follow.c: Follow and Undo from the fediverse (gov/nodes/follow.c,
 * docs/nodes.md, "Followers"), at a body's inbox or the node's shared
 * inbox (POST /inbox).
 *
 * The edge's part is what needs the network and the server: an address
 * may send so many a minute (each costs a fetch), a body so large; the
 * sender's actor document is fetched at the signature's keyId, before any
 * transaction, with a 10-second limit; then the domain checks and takes
 * it. A refusal changes nothing and is written to the server's log (a
 * follow is no governance act: it is not journalled, and neither is its
 * refusal).
 */
#include <curl/curl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/httpsig.h"
#include "core/strbuf.h"
#include "gov/nodes/nodes.h"
#include "api.h"
#include "outbound.h"
#include "ratelimit.h"
#include "request.h"
#include "server.h"
#include "banned.h"

/* The largest Follow or Undo taken: Mastodon's are under 1 kB. */
#define FOLLOW_BODY_MAX (64 * 1024)
#define DOC_MAX (256 * 1024)

static void node_base(struct http_req *req, char *out, size_t n)
{
	const char *u = req->srv->public_url[0] ? req->srv->public_url : req->srv->url;
	size_t len = strlen(u);
	while (len > 0 && u[len - 1] == '/')
		len--;
	snprintf(out, n, "%.*s", (int)len, u);
}

static size_t collect(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct strbuf *sb = arg;
	size_t n = size * nmemb;
	return sb_add(sb, buf, n) ? 0 : n; /* too large: the transfer fails */
}

/* GET url as ActivityStreams into doc; 0, or -1 with why. */
static int fetch(struct http_req *req, const char *url, struct strbuf *doc, char *why,
		 size_t n)
{
	int public_only = req->srv->peer_public_only;
	char base[600];
	node_base(req, base, sizeof base);
	struct outbound guard = { .public_only = public_only };
	struct curl_slist *h = curl_slist_append(
		NULL, "Accept: application/activity+json, application/ld+json");
	CURL *c = curl_easy_init();
	int rc = -1;
	long status = 0;
	char origin[NODES_ORIGIN_MAX];
	if (!c || !h || nodes_origin(url, origin)) {
		snprintf(why, n, "cannot fetch %.200s", url);
		goto out;
	}
	/* signed with the node's RSA key, which Mastodon in secure mode
	 * checks; unsigned when it cannot be */
	(void)outbound_sign_get(req->ctx.db, base, 1, url, &h);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, doc);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "pnyx");
	outbound_guard(c, &guard);
	CURLcode cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		outbound_why(&guard, cc, url, why, n);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		snprintf(why, n, "%.200s answered %ld", url, status);
		goto out;
	}
	rc = 0;
out:
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return rc;
}

/* The sender's actor, from the key the Signature names: 0, or -1 with why. */
static int sender(struct http_req *req, const char *signature,
		  struct nodes_remote_actor *a, char *why, size_t n)
{
	struct httpsig_params p;
	memset(a, 0, sizeof *a);
	if (!signature || httpsig_parse(signature, &p)) {
		snprintf(why, n, "no readable Signature header");
		return -1;
	}
	char url[600];
	size_t len = strcspn(p.key_id, "#");
	if (len >= sizeof url) {
		snprintf(why, n, "the keyId is too long");
		return -1;
	}
	snprintf(url, sizeof url, "%.*s", (int)len, p.key_id);
	int rc = -1;
	/* a key document names its owner, fetched next; never more */
	for (int hop = 0; hop < 2; hop++) {
		struct strbuf doc;
		sb_init(&doc, DOC_MAX);
		rc = fetch(req, url, &doc, why, n);
		if (!rc)
			rc = nodes_remote_actor_read(doc.buf, doc.len, p.key_id, a, why, n);
		sb_release(&doc);
		if (rc != 1)
			break;
		snprintf(url, sizeof url, "%s", a->owner);
		rc = -1;
	}
	return rc ? -1 : 0;
}

#define HEADERS_MAX 48

struct header_list {
	struct httpsig_header h[HEADERS_MAX];
	size_t n;
};

static enum MHD_Result add_header(void *arg, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct header_list *l = arg;
	(void)kind;
	if (l->n < HEADERS_MAX && key && value) {
		l->h[l->n].name = key;
		l->h[l->n].value = value;
		l->n++;
	}
	return MHD_YES;
}

int api_fedi_inbox(struct http_req *req, const char *slug)
{
	char base[600], why[400] = "";
	char key[80];
	snprintf(key, sizeof key, "f:%s", req->client);
	int64_t wait = ratelimit_take(req->srv->fedi_inbox, key, req->ctx.now);
	if (wait)
		return http_too_many(req, wait, NULL, "too many follows from this address");
	if (req->body_len > FOLLOW_BODY_MAX)
		return px_fail(&req->err, PX_E_TOO_LARGE, "body",
			       "a Follow or an Undo is at most 64 kB");
	node_base(req, base, sizeof(base));
	struct header_list l = { .n = 0 };
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, add_header, &l);
	const char *sig = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Signature");
	struct nodes_remote_actor *ra = calloc(1, sizeof *ra);
	if (!ra)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	int have = sig && !sender(req, sig, ra, why, sizeof why);
	struct nodes_inbound inb = {
		.base = base, .slug = slug, .method = req->method, .target = req->target,
		.hdrs = l.h, .n = l.n, .body = req->body, .len = req->body_len,
	};
	json_t *out = NULL;
	int rc = nodes_follow_receive(&req->ctx, &inb, have ? ra : NULL, why, &out, &req->err);
	free(ra);
	if (rc) {
		fprintf(stderr, "pnyx serve: inbox%s%s: refused an activity from %s: %s\n",
			slug ? " of " : "", slug ? slug : "", req->client,
			px_error_message(&req->err));
		return rc;
	}
	return http_reply(req, 202, out);
}

int api_fetch_allowed(struct http_req *req)
{
	if (!req->srv->authorized_fetch)
		return 0;
	const char *sig = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Signature");
	if (!sig)
		return px_fail(&req->err, PX_E_BAD_SIGNATURE, "signature",
			       "this node answers signed requests only (authorized fetch):"
			       " sign the GET with your server's key");
	/* each costs a fetch of the signer's key, like a follow */
	char key[80], why[300] = "";
	snprintf(key, sizeof key, "f:%s", req->client);
	int64_t wait = ratelimit_take(req->srv->fedi_inbox, key, req->ctx.now);
	if (wait)
		return http_too_many(req, wait, NULL, "too many signed requests from this address");
	struct header_list l = { .n = 0 };
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, add_header, &l);
	struct nodes_remote_actor *ra = calloc(1, sizeof *ra);
	if (!ra)
		return px_fail(&req->err, PX_E_NOMEM, NULL, NULL);
	int have = !sender(req, sig, ra, why, sizeof why);
	struct nodes_inbound inb = {
		.method = req->method, .target = req->target, .hdrs = l.h, .n = l.n,
	};
	int rc = nodes_fetch_check(&req->ctx, &inb, have ? ra : NULL, why, &req->err);
	free(ra);
	return rc;
}

int api_shared_inbox(struct http_req *req, void *in)
{
	(void)in;
	if (!nodes_follow_wanted(req->body, req->body_len))
		return px_fail(&req->err, PX_E_BAD_INPUT, "type",
			       "the shared inbox takes Follow and Undo; activities between pnyx"
			       " nodes go to the body's inbox");
	return api_fedi_inbox(req, NULL);
}
