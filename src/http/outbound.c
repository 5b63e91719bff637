/*
 * outbound.c: the address guard of outgoing requests (outbound.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <time.h>

#include "core/httpsig.h"
#include "core/netaddr.h"
#include "core/strbuf.h"
#include "gov/nodes/nodes.h"
#include "outbound.h"
#include "banned.h"

static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct outbound *g = arg;
	(void)purpose;
	if (g->public_only) {
		const void *bytes = NULL;
		if (a->family == AF_INET)
			bytes = &((const struct sockaddr_in *)(const void *)&a->addr)->sin_addr;
		else if (a->family == AF_INET6)
			bytes = &((const struct sockaddr_in6 *)(const void *)&a->addr)->sin6_addr;
		if (!bytes || !netaddr_is_public(a->family, bytes)) {
			g->refused = 1;
			if (!bytes || !inet_ntop(a->family, bytes, g->address, sizeof g->address))
				snprintf(g->address, sizeof g->address, "an address of family %d",
					 a->family);
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

void outbound_guard(CURL *c, struct outbound *g)
{
	g->refused = 0;
	g->address[0] = '\0';
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, g);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (g->public_only)
		curl_easy_setopt(c, CURLOPT_PROXY, "");
}

void outbound_why(const struct outbound *g, CURLcode cc, const char *url,
		  char *why, size_t n)
{
	if (g->refused)
		snprintf(why, n, "%.200s: not fetched: %s is not a public address"
			 " (peer-addresses = public)", url, g->address);
	else
		snprintf(why, n, "%.200s: %s", url, curl_easy_strerror(cc));
}

int outbound_sign_get(struct store *db, const char *base, int rsa, const char *url,
		      struct curl_slist **h)
{
	char origin[NODES_ORIGIN_MAX], date[64], digest[HTTPSIG_DIGEST_SIZE], key_id[700];
	char line[5000];
	if (!db || !base || nodes_origin(url, origin))
		return -1;
	const char *host = strstr(origin, "://") + 3;
	const char *target = url + strlen(origin);
	if (!*target)
		target = "/";
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	httpsig_digest("", 0, digest);
	struct httpsig_header hdrs[] = {
		{ "host", host }, { "date", date }, { "digest", digest },
	};
	snprintf(key_id, sizeof key_id, "%s/actor#%s", base, rsa ? "main-key" : "ed25519-key");
	struct strbuf sig;
	sb_init(&sig, 4096);
	int rc = rsa ? nodes_sign_request_rsa(db, key_id, "GET", target, hdrs, 3, &sig)
		     : nodes_sign_request(db, key_id, "GET", target, hdrs, 3, &sig);
	struct curl_slist *n = *h;
	if (!rc) {
		snprintf(line, sizeof line, "Date: %s", date);
		n = curl_slist_append(n, line);
		snprintf(line, sizeof line, "Digest: %s", digest);
		n = n ? curl_slist_append(n, line) : NULL;
		snprintf(line, sizeof line, "Signature: %s", sig.buf);
		n = n ? curl_slist_append(n, line) : NULL;
	}
	sb_release(&sig);
	if (rc || !n)
		return -1;
	*h = n;
	return 0;
}
