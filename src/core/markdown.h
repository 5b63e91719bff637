/*
 * markdown.h: rendering texts written in Markdown (laws, motions, minutes)
 * as HTML that is safe to put in a page: cmark in its safe mode drops raw
 * HTML and javascript:, vbscript:, file: and most data: links.
 */
#ifndef PNYX_MARKDOWN_H
#define PNYX_MARKDOWN_H

#include <stddef.h>

/* A new NUL-terminated HTML string (free() it), or NULL when out of
 * memory. */
char *markdown_html(const char *md, size_t len);

#endif
