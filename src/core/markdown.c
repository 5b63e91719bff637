/*
 * markdown.c: Markdown to safe HTML through cmark (CommonMark's reference
 * implementation). The text is always stored as written; this renders it.
 */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "banned.h"

char *markdown_html(const char *md, size_t len)
{
	/* cmark 0.29 and later are safe by default: CMARK_OPT_UNSAFE would
	 * be needed to pass raw HTML through, and is never given. */
	char *html = cmark_markdown_to_html(md, len, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
	if (!html)
		return NULL;
	/* cmark allocates with its default allocator (malloc); hand back a
	 * copy the caller frees with free() whatever the allocator */
	char *copy = strdup(html);
	cmark_get_default_mem_allocator()->free(html);
	return copy;
}
