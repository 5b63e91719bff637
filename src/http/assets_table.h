/*
 * assets_table.h: the shape of the table that tools/embed.c generates from
 * web/ at build time. Paths start with "/"; data is followed by a NUL that
 * len does not count.
 */
#ifndef PNYX_ASSETS_TABLE_H
#define PNYX_ASSETS_TABLE_H

#include <stddef.h>

struct web_asset {
	const char *path;
	const unsigned char *data;
	long len;
};

extern const struct web_asset web_assets[];
/* The same files compressed by gzip, each at its path with ".gz" added
 * (a file gzip does not make smaller is served as it is). */
extern const struct web_asset web_assets_gz[];

#endif
