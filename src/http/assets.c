/*
 * assets.c: looking up the files of the browser interface and their MIME
 * types. The MIME table is the only place that decides how a browser will
 * interpret a file; with X-Content-Type-Options: nosniff set on every
 * response, the browser does not second-guess it.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.h"
#include "arena.h"
#include "assets.h"
#include "assets_table.h"
#include "banned.h"

static const struct {
	const char *ext;
	const char *mime;
} mime_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "webmanifest", "application/manifest+json" },
	{ "map", "application/json" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "ico", "image/x-icon" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "md", "text/markdown; charset=utf-8" },
	{ "ics", "text/calendar; charset=utf-8" },
	{ "xml", "application/xml" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
};

const char *asset_mime(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (dot) {
		for (size_t i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++)
			if (!strcasecmp(mime_types[i].ext, dot + 1))
				return mime_types[i].mime;
	}
	return "application/octet-stream";
}

int asset_path_safe(const char *path)
{
	if (path[0] != '/')
		return 0;
	if (strchr(path, '\\'))
		return 0;
	const char *seg = path + 1;
	for (;;) {
		size_t l = strcspn(seg, "/");
		int last = seg[l] == '\0';
		/* The last segment may be empty ("/", "/dir/": index.html). */
		if (l == 0 && !last)
			return 0;
		if (l > 0 && seg[0] == '.')
			return 0; /* ".", "..", and hidden files */
		for (size_t i = 0; i < l; i++)
			if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f)
				return 0;
		if (last)
			return 1;
		seg += l + 1;
	}
}

/* The compressed copy of file, when gzip made it smaller. */
static void gz_of(const char *file, struct asset *a)
{
	size_t n = strlen(file);
	a->gz = NULL;
	a->gz_len = 0;
	for (const struct web_asset *w = web_assets_gz; w->path; w++)
		if (!strncmp(w->path, file, n) && !strcmp(w->path + n, ".gz")) {
			if ((size_t)w->len < a->len) {
				a->gz = w->data;
				a->gz_len = (size_t)w->len;
			}
			return;
		}
}

static int from_table(const char *file, struct asset *a)
{
	for (const struct web_asset *w = web_assets; w->path; w++) {
		if (!strcmp(w->path, file)) {
			a->data = w->data;
			a->len = (size_t)w->len;
			a->fd = -1;
			a->mime = asset_mime(file);
			gz_of(file, a);
			return 0;
		}
	}
	return PX_E_NOT_FOUND;
}

int asset_accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding;
	while (p && *p) {
		p += strspn(p, " \t,");
		size_t item = strcspn(p, ",");
		size_t name = strcspn(p, " \t;,");
		if (name == 4 && !strncasecmp(p, "gzip", 4)) {
			/* refused only by a weight of zero ("gzip;q=0", "q=0.0") */
			char buf[64];
			size_t n = item < sizeof(buf) - 1 ? item : sizeof(buf) - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			const char *q = strstr(buf, "q=");
			if (!q)
				q = strstr(buf, "Q=");
			return !q || strtod(q + 2, NULL) > 0;
		}
		p += item;
	}
	return 0;
}

static int from_disk(const char *web_dir, const char *file, struct arena *ar,
		     struct asset *a)
{
	char *joined = arena_printf(ar, "%s%s", web_dir, file);
	if (!joined)
		return PX_E_NOMEM;
	char real[PATH_MAX];
	if (!realpath(joined, real))
		return PX_E_NOT_FOUND;
	size_t dl = strlen(web_dir);
	/* Inside the directory: the root itself never names a file. */
	if (strncmp(real, web_dir, dl) || real[dl] != '/')
		return PX_E_NOT_FOUND;
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return PX_E_NOT_FOUND;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return PX_E_NOT_FOUND;
	}
	a->data = NULL;
	a->len = (size_t)st.st_size;
	a->fd = fd;
	a->gz = NULL;
	a->gz_len = 0;
	a->mime = asset_mime(file);
	return 0;
}

int asset_find(const char *web_dir, const char *path, struct arena *ar,
	       struct asset *a)
{
	if (!asset_path_safe(path))
		return PX_E_NOT_FOUND;
	const char *file = path;
	size_t len = strlen(path);
	if (path[len - 1] == '/') {
		file = arena_printf(ar, "%sindex.html", path);
		if (!file)
			return PX_E_NOMEM;
	}
	return web_dir ? from_disk(web_dir, file, ar, a) : from_table(file, a);
}
