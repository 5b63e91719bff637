/*
 * outbound.c: the address guard of outgoing requests (outbound.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/netaddr.h"
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
