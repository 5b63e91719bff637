/*
 * fuzz_router.c: libFuzzer target for request paths: the matcher of the
 * server's route table (src/http/router.c), the id parser every {id}
 * goes through (http_param_id), and the check of asset paths
 * (asset_path_safe in src/http/assets.c).
 *
 * Input: the first byte picks a method, the rest is the path (cut at the
 * first NUL, as libmicrohttpd hands it over). Checks, beyond the
 * sanitizers': a found route's pattern matches the path and its method is
 * the one asked (HEAD served by GET); every parameter is a non-empty
 * segment inside the path without '/'; an id accepted is positive; a
 * "method not allowed" lists an Allow header naming only known methods;
 * an asset path accepted names no "." or ".." segment.
 *
 * Seeds: tests/fuzz/corpus_router. Run on a copy:
 *   make fuzz && cp -r tests/fuzz/corpus_router /tmp/c &&
 *   build/fuzz/fuzz_router /tmp/c -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/arena.h"
#include "http/assets.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = { "GET", "HEAD", "POST", "PUT",
				       "PATCH", "DELETE", "OPTIONS", "get" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	const char *method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	char *path = malloc(size);
	if (!path)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	size_t plen = strlen(path);

	struct http_req req;
	memset(&req, 0, sizeof(req));
	arena_init(&req.arena, 1 << 20);
	char allow[128];
	const struct route *r = NULL;
	enum route_result res = router_match(http_routes, method, path, &r,
					     &req.params, allow, sizeof(allow));
	if (res == ROUTE_FOUND) {
		if (!r || !router_pattern_match(r->pattern, path, NULL))
			abort();
		if (strcmp(r->method, method) &&
		    !(!strcmp(method, "HEAD") && !strcmp(r->method, "GET")))
			abort();
		for (size_t i = 0; i < req.params.n; i++) {
			const char *v = req.params.p[i].value;
			size_t l = req.params.p[i].value_len;
			if (l == 0 || v < path || v + l > path + plen ||
			    memchr(v, '/', l))
				abort();
			char name[64];
			size_t nl = req.params.p[i].name_len;
			if (nl >= sizeof(name))
				abort();
			memcpy(name, req.params.p[i].name, nl);
			name[nl] = '\0';
			if (strlen(http_param(&req, name)) > l)
				abort();
			int64_t id = 0;
			if (http_param_id(&req, name, &id) == 0 && id < 1)
				abort();
		}
	} else if (res == ROUTE_METHOD) {
		if (!allow[0])
			abort();
		for (const char *a = allow; *a;) {
			size_t l = strcspn(a, ",");
			if (!((l == 3 && !memcmp(a, "GET", 3)) ||
			      (l == 4 && !memcmp(a, "HEAD", 4)) ||
			      (l == 4 && !memcmp(a, "POST", 4)) ||
			      (l == 3 && !memcmp(a, "PUT", 3)) ||
			      (l == 5 && !memcmp(a, "PATCH", 5)) ||
			      (l == 6 && !memcmp(a, "DELETE", 6))))
				abort();
			a += l;
			while (*a == ',' || *a == ' ')
				a++;
		}
	} else if (r) {
		abort();
	}
	if (asset_path_safe(path)) {
		if (path[0] != '/' || strstr(path, "/.") || strchr(path, '\\'))
			abort();
	}
	arena_release(&req.arena);
	free(path);
	return 0;
}
