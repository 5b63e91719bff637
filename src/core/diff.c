/*
 * diff.c: Myers' greedy shortest edit script over lines, keeping the
 * furthest-reaching array of each step (O(D^2) memory for D edits) so the
 * path can be walked back. Lines compare by content.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "errors.h"
#include "banned.h"

#define MAX_LINES 1000000

struct lines {
	const char **p;
	size_t *len;
	size_t n;
};

static int split(const char *s, struct lines *l)
{
	size_t n = 0;
	for (const char *c = s; *c; c++)
		n += *c == '\n';
	if (*s && s[strlen(s) - 1] != '\n')
		n++;
	if (n > MAX_LINES)
		return PX_E_TOO_LARGE;
	l->p = calloc(n + 1, sizeof(*l->p));
	l->len = calloc(n + 1, sizeof(*l->len));
	if (!l->p || !l->len)
		return PX_E_NOMEM;
	l->n = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		l->p[l->n] = s;
		l->len[l->n++] = len;
		s += len + (nl ? 1 : 0);
	}
	return 0;
}

static void lines_free(struct lines *l)
{
	free(l->p);
	free(l->len);
}

static int eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->p[i], b->p[j], a->len[i]);
}

static int push(struct diff *d, enum diff_op op, const char *text, size_t len)
{
	d->lines[d->n].op = op;
	d->lines[d->n].text = text;
	d->lines[d->n].len = len;
	d->n++;
	if (op == DIFF_ADD)
		d->added++;
	else if (op == DIFF_DEL)
		d->deleted++;
	return 0;
}

int diff_lines(const char *a_text, const char *b_text, struct diff *out)
{
	struct lines a = { 0 }, b = { 0 };
	long **trace = NULL;
	long d_found = -1, ntrace = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = split(a_text, &a)) || (rc = split(b_text, &b)))
		goto out;
	long n = (long)a.n, m = (long)b.n, max = n + m;
	long limit = max < DIFF_MAX_EDITS ? max : DIFF_MAX_EDITS;
	out->lines = calloc((size_t)(n + m) + 1, sizeof(*out->lines));
	trace = calloc((size_t)limit + 1, sizeof(*trace));
	if (!out->lines || !trace) {
		rc = PX_E_NOMEM;
		goto out;
	}
	/* v[k] for diagonal k in -d..d is stored at index k + d */
	long *prev = NULL;
	for (long d = 0; d <= limit; d++) {
		long *v = calloc((size_t)(2 * d + 1), sizeof(*v));
		if (!v) {
			rc = PX_E_NOMEM;
			goto out;
		}
		trace[d] = v;
		ntrace = d + 1;
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (d == 0)
				x = 0;
			else if (k == -d || (k != d && prev[k - 1 + (d - 1)] < prev[k + 1 + (d - 1)]))
				x = prev[k + 1 + (d - 1)];       /* down: an insertion */
			else
				x = prev[k - 1 + (d - 1)] + 1;   /* right: a deletion */
			long y = x - k;
			while (x < n && y < m && eq(&a, (size_t)x, &b, (size_t)y))
				x++, y++;
			v[k + d] = x;
			if (x >= n && y >= m) {
				d_found = d;
				break;
			}
		}
		if (d_found >= 0)
			break;
		prev = v;
	}

	if (d_found < 0) {
		/* too different: all of a, then all of b */
		for (long i = 0; i < n; i++)
			push(out, DIFF_DEL, a.p[i], a.len[i]);
		for (long j = 0; j < m; j++)
			push(out, DIFF_ADD, b.p[j], b.len[j]);
		goto out;
	}

	/* walk back from (n, m), collecting ops in reverse */
	struct diff_line *rev = calloc((size_t)(n + m) + 1, sizeof(*rev));
	size_t nrev = 0;
	if (!rev) {
		rc = PX_E_NOMEM;
		goto out;
	}
	long x = n, y = m;
	for (long d = d_found; d > 0; d--) {
		long *pv = trace[d - 1];
		long k = x - y, pk;
		if (k == -d || (k != d && pv[k - 1 + (d - 1)] < pv[k + 1 + (d - 1)]))
			pk = k + 1;
		else
			pk = k - 1;
		long px = pv[pk + (d - 1)], py = px - pk;
		while (x > px && y > py) {
			x--, y--;
			rev[nrev++] = (struct diff_line){ DIFF_SAME, a.p[x], a.len[x] };
		}
		if (pk == k + 1) {
			y--;
			rev[nrev++] = (struct diff_line){ DIFF_ADD, b.p[y], b.len[y] };
		} else {
			x--;
			rev[nrev++] = (struct diff_line){ DIFF_DEL, a.p[x], a.len[x] };
		}
	}
	while (x > 0 && y > 0) {
		x--, y--;
		rev[nrev++] = (struct diff_line){ DIFF_SAME, a.p[x], a.len[x] };
	}
	while (nrev)
		push(out, rev[nrev - 1].op, rev[nrev - 1].text, rev[nrev - 1].len), nrev--;
	free(rev);
out:
	for (long d = 0; d < ntrace; d++)
		free(trace[d]);
	free(trace);
	lines_free(&a);
	lines_free(&b);
	if (rc)
		diff_release(out);
	return rc;
}

void diff_release(struct diff *d)
{
	free(d->lines);
	memset(d, 0, sizeof(*d));
}
