/*
 * diff.h: a line diff of two texts (Myers' O(ND) algorithm, "An O(ND)
 * Difference Algorithm and Its Variations", Algorithmica 1, 1986), for
 * showing what a new version of a law changed.
 *
 * Ownership: diff_lines() fills a struct diff the caller embeds and
 * releases with diff_release(). The op text pointers point into the two
 * input strings, which must outlive the diff.
 */
#ifndef PNYX_DIFF_H
#define PNYX_DIFF_H

#include <stddef.h>

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_ADD };

struct diff_line {
	enum diff_op op;
	const char *text; /* the line, without its newline */
	size_t len;
};

struct diff {
	struct diff_line *lines;
	size_t n;
	size_t added, deleted;
};

/* The most edits looked for; past it the texts are shown as all deleted
 * then all added (still correct, just not minimal). */
#define DIFF_MAX_EDITS 1000 /* memory grows with its square */

/* 0, or PX_E_NOMEM / PX_E_TOO_LARGE (more than 1,000,000 lines). */
int diff_lines(const char *a, const char *b, struct diff *out);
void diff_release(struct diff *d);

#endif
