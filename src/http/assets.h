/*
 * assets.h: the browser interface's files, from the table embedded at
 * build time (assets_table.h) or from a directory on disk (--web-dir).
 *
 * A request path maps to a file by: "/" and paths ending in "/" get
 * "index.html"; the path must be made of segments that are not empty,
 * ".", ".." or hidden (starting with '.'), without backslashes or NULs;
 * from disk, the resolved real path must lie inside the directory, so
 * neither "..", nor a symbolic link can lead outside it.
 */
#ifndef PNYX_HTTP_ASSETS_H
#define PNYX_HTTP_ASSETS_H

#include <stddef.h>

struct arena;

struct asset {
	const unsigned char *data; /* embedded: static; disk: NULL */
	size_t len;
	int fd;                    /* disk: an open file, else -1 */
	const char *mime;
	const unsigned char *gz;   /* embedded: the bytes gzip made, else NULL */
	size_t gz_len;
};

/* The MIME type for a file name, by its extension. */
const char *asset_mime(const char *name);

/* Whether an Accept-Encoding header's value accepts gzip (named, with a
 * weight above zero). */
int asset_accepts_gzip(const char *accept_encoding);

/* Whether path is safe to map to a file (see above). */
int asset_path_safe(const char *path);

/*
 * Find the file for path: from web_dir when not NULL (an absolute, real
 * directory path), else from the embedded table. Returns 0 and fills *a
 * (the caller closes a->fd when >= 0), or PX_E_NOT_FOUND.
 */
int asset_find(const char *web_dir, const char *path, struct arena *ar,
	       struct asset *a);

#endif
