/*
 * router.c: matching request paths against the route table.
 *
 * Patterns and paths are compared segment by segment; a {param} segment
 * takes any non-empty path segment. Nothing is copied: parameters point
 * into the path. The table is small (tens of rows), so a linear scan is
 * both the simplest and, in practice, the fastest choice.
 */
#include <string.h>

#include "router.h"
#include "banned.h"

static const char *const known_methods[] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", NULL,
};

/* Length of the segment starting at s (up to '/' or the end). */
static size_t seg_len(const char *s)
{
	return strcspn(s, "/");
}

static int is_param(const char *seg, size_t len)
{
	return len >= 3 && seg[0] == '{' && seg[len - 1] == '}';
}

int router_pattern_match(const char *pattern, const char *path,
			 struct route_params *params)
{
	if (params)
		params->n = 0;
	if (pattern[0] != '/' || path[0] != '/')
		return 0;
	const char *p = pattern + 1, *q = path + 1;
	for (;;) {
		size_t pl = seg_len(p), ql = seg_len(q);
		if (is_param(p, pl)) {
			if (ql == 0)
				return 0;
			if (params) {
				if (params->n == ROUTE_PARAMS_MAX)
					return 0;
				params->p[params->n].name = p + 1;
				params->p[params->n].name_len = pl - 2;
				params->p[params->n].value = q;
				params->p[params->n].value_len = ql;
				params->n++;
			}
		} else if (pl != ql || memcmp(p, q, pl)) {
			return 0;
		}
		p += pl;
		q += ql;
		if (*p == '\0' || *q == '\0')
			return *p == '\0' && *q == '\0';
		p++; /* both at '/' */
		q++;
	}
}

static void allow_add(char *allow, size_t size, size_t *used, const char *m)
{
	/* Already listed? */
	size_t ml = strlen(m);
	for (const char *s = allow; s && *s;) {
		size_t l = strcspn(s, ",");
		if (l == ml && !memcmp(s, m, ml))
			return;
		s += l;
		while (*s == ',' || *s == ' ')
			s++;
	}
	size_t need = (*used ? 2 : 0) + ml;
	if (*used + need + 1 > size)
		return;
	if (*used) {
		memcpy(allow + *used, ", ", 2);
		*used += 2;
	}
	memcpy(allow + *used, m, ml);
	*used += ml;
	allow[*used] = '\0';
}

enum route_result router_match(const struct route *table, const char *method,
			       const char *path, const struct route **out,
			       struct route_params *params, char *allow,
			       size_t allow_size)
{
	int path_known = 0;
	size_t used = 0;
	*out = NULL;
	if (params)
		params->n = 0;
	if (allow && allow_size)
		allow[0] = '\0';
	/* HEAD is GET without the body; libmicrohttpd drops the body. */
	const char *want = strcmp(method, "HEAD") ? method : "GET";
	for (const struct route *r = table; r->pattern; r++) {
		if (!router_pattern_match(r->pattern, path, NULL))
			continue;
		if (!strcmp(r->method, want)) {
			router_pattern_match(r->pattern, path, params);
			*out = r;
			return ROUTE_FOUND;
		}
		path_known = 1;
		if (allow && allow_size) {
			allow_add(allow, allow_size, &used, r->method);
			if (!strcmp(r->method, "GET"))
				allow_add(allow, allow_size, &used, "HEAD");
		}
	}
	return path_known ? ROUTE_METHOD : ROUTE_NOT_FOUND;
}

static int method_known(const char *m)
{
	for (const char *const *k = known_methods; *k; k++)
		if (!strcmp(*k, m))
			return 1;
	return 0;
}

static int pattern_sound(const char *pattern)
{
	if (pattern[0] != '/')
		return 0;
	size_t params = 0;
	const char *p = pattern + 1;
	for (;;) {
		size_t l = seg_len(p);
		if (l == 0 && p[l] == '/')
			return 0; /* empty segment */
		for (size_t i = 0; i < l; i++) {
			char c = p[i];
			if ((c == '{' && i != 0) || (c == '}' && i != l - 1))
				return 0;
		}
		if (l && (p[0] == '{' || p[l - 1] == '}')) {
			if (!is_param(p, l))
				return 0;
			params++;
		}
		p += l;
		if (*p == '\0')
			break;
		p++;
	}
	return params <= ROUTE_PARAMS_MAX;
}

long router_check_table(const struct route *table)
{
	for (const struct route *r = table; r->pattern; r++) {
		long i = (long)(r - table);
		if (!r->method || !method_known(r->method) ||
		    !strcmp(r->method, "HEAD") || !r->handler ||
		    !pattern_sound(r->pattern) || !r->summary)
			return i;
		if (r->body && !strcmp(r->method, "GET"))
			return i;
		for (const struct route *o = table; o < r; o++)
			if (!strcmp(o->method, r->method) &&
			    !strcmp(o->pattern, r->pattern))
				return i;
	}
	return -1;
}
