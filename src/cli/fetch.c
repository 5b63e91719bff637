/*
 * fetch.c: GET a document from a server with libcurl (fetch.h). Redirects
 * are followed (at most 3, and never to another scheme than http or
 * https), the whole exchange is bounded by a timeout, and the body by a
 * size: a server cannot make the command wait or grow without end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli.h"
#include "fetch.h"
#include "banned.h"

enum { FETCH_CONNECT_TIMEOUT = 10, FETCH_TIMEOUT = 300 };

struct sink {
	char *buf;
	size_t len, cap, max;
	int over;
};

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct sink *k = arg;
	size_t add = size * n;
	if (add > k->max - k->len) {
		k->over = 1;
		return 0; /* ends the transfer */
	}
	if (k->len + add + 1 > k->cap) {
		size_t cap = k->cap ? k->cap : 16384;
		while (cap < k->len + add + 1)
			cap *= 2;
		char *p = realloc(k->buf, cap);
		if (!p)
			return 0;
		k->buf = p;
		k->cap = cap;
	}
	memcpy(k->buf + k->len, data, add);
	k->len += add;
	k->buf[k->len] = '\0';
	return add;
}

int cli_fetch(const char *cmd, const char *url, const char *accept, size_t max,
	      char **body, size_t *len)
{
	struct sink k = { .max = max };
	char errbuf[CURL_ERROR_SIZE] = "", hdr[128];
	long status = 0;
	int rc = CLI_USAGE;
	*body = NULL;
	*len = 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cli_errorf(cmd, CLI_FAIL, "libcurl did not start");
	CURL *c = curl_easy_init();
	struct curl_slist *headers = NULL;
	snprintf(hdr, sizeof(hdr), "Accept: %s", accept);
	headers = curl_slist_append(NULL, hdr);
	if (!c || !headers) {
		rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &k);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)FETCH_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)FETCH_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "pnyx");
	CURLcode cc = curl_easy_perform(c);
	if (k.over) {
		rc = cli_errorf(cmd, CLI_USAGE, "%s: larger than %zu bytes", url, max);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = cli_errorf(cmd, CLI_USAGE, "%s: %s", url,
				errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		json_t *e = k.buf ? json_loads(k.buf, 0, NULL) : NULL;
		const char *msg = json_string_value(json_object_get(json_object_get(e, "error"),
								     "message"));
		rc = cli_errorf(cmd, CLI_USAGE, "%s: the server answered %ld%s%s", url, status,
				msg ? ": " : "", msg ? msg : "");
		json_decref(e);
		goto out;
	}
	if (!k.buf) { /* an empty body */
		k.buf = calloc(1, 1);
		if (!k.buf) {
			rc = cli_errorf(cmd, CLI_FAIL, "out of memory");
			goto out;
		}
	}
	*body = k.buf;
	*len = k.len;
	k.buf = NULL;
	rc = CLI_OK;
out:
	free(k.buf);
	curl_slist_free_all(headers);
	if (c)
		curl_easy_cleanup(c);
	curl_global_cleanup();
	return rc;
}
