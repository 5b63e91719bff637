/*
 * wire.c: the errors libmicrohttpd answers by itself, in pnyx's JSON.
 *
 * Some requests never reach pnyx's dispatcher: a malformed request line or
 * header, a bad chunk or a chunk too large, headers over the memory limit
 * (431), an address too long (414), an unsupported HTTP version (505).
 * libmicrohttpd 0.9.75 answers those with fixed HTML pages and has no hook
 * to change them. It does queue them through its own public
 * MHD_queue_response, called through the library's PLT, so a definition
 * in the program takes its place (ordinary ELF symbol interposition, the
 * way malloc is replaced). This one passes pnyx's own replies through
 * unchanged (the server marks them, see wire_queue) and swaps the
 * library's error pages for the JSON error body every API error has:
 * {"error":{"code","message","field"}}, with the security headers.
 *
 * tests/api/test_abuse.py checks each of those errors on the wire, so a
 * libmicrohttpd that stopped calling through its PLT would fail the tests
 * rather than quietly answer HTML again.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "request.h"
#include "server.h"
#include "wire.h"
#include "banned.h"

typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int,
				    struct MHD_Response *);

static queue_fn real_queue;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;
/* Set while pnyx queues a reply of its own on this thread. */
static _Thread_local int ours;

static void find_real(void)
{
	/* POSIX leaves converting a data pointer to a function pointer to
	 * the platform; dlsym's contract is that it works. */
	void *p = dlsym(RTLD_NEXT, "MHD_queue_response");
	memcpy(&real_queue, &p, sizeof(real_queue));
}

/* The registry's code for a status libmicrohttpd answers itself. */
static int code_of(unsigned int status)
{
	static const struct {
		unsigned int status;
		int code;
	} map[] = {
		{ 400, PX_E_BAD_HTTP },
		{ 413, PX_E_TOO_LARGE },
		{ 414, PX_E_URI_TOO_LONG },
		{ 431, PX_E_HEADERS_TOO_LARGE },
		{ 500, PX_E_INTERNAL },
		{ 505, PX_E_HTTP_VERSION },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].status == status)
			return map[i].code;
	return status >= 500 ? PX_E_INTERNAL : PX_E_BAD_HTTP;
}

static struct MHD_Response *json_error(unsigned int status)
{
	struct px_error err;
	px_error_clear(&err);
	px_fail(&err, code_of(status), NULL, NULL);
	/* before any request is read: in English */
	json_t *body = http_error_json(&err, I18N_DEFAULT);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return NULL;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return NULL;
	}
	server_common_headers(r);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return r;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection,
				   unsigned int status_code,
				   struct MHD_Response *response)
{
	pthread_once(&real_once, find_real);
	if (!real_queue)
		return MHD_NO;
	if (ours || status_code < 400)
		return real_queue(connection, status_code, response);
	/* libmicrohttpd's own error page: answer in JSON instead. Its
	 * response stays the caller's to destroy. */
	struct MHD_Response *j = json_error(status_code);
	if (!j)
		return real_queue(connection, status_code, response);
	enum MHD_Result r = real_queue(connection, status_code, j);
	MHD_destroy_response(j);
	return r;
}

enum MHD_Result wire_queue(struct MHD_Connection *conn, unsigned int status,
			   struct MHD_Response *resp)
{
	ours = 1;
	enum MHD_Result r = MHD_queue_response(conn, status, resp);
	ours = 0;
	return r;
}
