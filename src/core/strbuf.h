/*
 * strbuf.h: the one growable string buffer of pnyx.
 *
 * A strbuf always holds a NUL-terminated string and never grows past the
 * maximum given at init: an append that would exceed it fails with
 * PX_E_TOO_LARGE and leaves the buffer unchanged, so input from outside can
 * never make pnyx allocate without bound.
 *
 * Ownership: the caller embeds the struct; sb_init() takes no memory,
 * sb_release() frees what appends allocated and leaves an empty buffer,
 * sb_detach() hands the heap string to the caller (free() it).
 */
#ifndef PNYX_STRBUF_H
#define PNYX_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;    /* never NULL after sb_init: points at "" when empty */
	size_t len;   /* bytes before the NUL */
	size_t alloc; /* bytes allocated, 0 when buf is the shared "" */
	size_t max;   /* most bytes len may reach */
};

#define SB_DEFAULT_MAX ((size_t)64 << 20)

void sb_init(struct strbuf *sb, size_t max);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
char *sb_detach(struct strbuf *sb, size_t *len);

int sb_add(struct strbuf *sb, const void *data, size_t len);
int sb_adds(struct strbuf *sb, const char *s);
int sb_addc(struct strbuf *sb, char c);
int sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s with the characters <, >, &, " and ' replaced by entities. */
int sb_add_html(struct strbuf *sb, const char *s);
/* Append bytes as lower-case hexadecimal. */
int sb_add_hex(struct strbuf *sb, const unsigned char *data, size_t len);

#endif
