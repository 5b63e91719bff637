/*
 * ballot_parse.c: the ballot file readers. One table row per format gives
 * its line handler; the driver splits the input into lines (buffering a
 * line cut between two chunks), counts them for error messages and hands
 * complete lines to the handler. Handlers never see the newline.
 *
 * Invariants: p->lineno is the number of the line being handled; the
 * ballot set exists once the number of candidates is known; every ballot
 * passed to ballots_add() has candidates in range, each at most once, and
 * levels without gaps starting at 0.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ballot_parse.h"
#include "strbuf.h"
#include "banned.h"

enum { ST_HEAD, ST_BODY, ST_NAMES, ST_DONE };

struct ballot_parser {
	int format;
	struct ballot_set bs;
	int have_bs;
	struct strbuf partial;
	size_t lineno;
	int state;
	size_t declared;      /* PrefLib NUMBER ALTERNATIVES; 0 unknown */
	char **pending;       /* names seen before the set exists (1-based k-1) */
	size_t npending;      /* highest k seen */
	char *title;
	uint16_t *cand, *level;
	uint32_t *seen, stamp;
	size_t names_read;    /* BLT */
	int blt_ballots;      /* BLT: a ballot line was read */
	struct ballot_meta meta;
};

struct format_row {
	const char *name;
	const char *ext;
	int (*line)(struct ballot_parser *p, const char *s, const char *e,
		    struct px_error *err);
};

static int preflib_line(struct ballot_parser *, const char *, const char *,
			struct px_error *);
static int blt_line(struct ballot_parser *, const char *, const char *,
		    struct px_error *);
static int debian_line(struct ballot_parser *, const char *, const char *,
		       struct px_error *);

static const struct format_row formats[BALLOT__COUNT] = {
	[BALLOT_SOC] = { "soc", ".soc", preflib_line },
	[BALLOT_SOI] = { "soi", ".soi", preflib_line },
	[BALLOT_TOC] = { "toc", ".toc", preflib_line },
	[BALLOT_TOI] = { "toi", ".toi", preflib_line },
	[BALLOT_BLT] = { "blt", ".blt", blt_line },
	[BALLOT_DEBIAN] = { "debian", ".tally.txt", debian_line },
};

static int bad(struct px_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int bad(struct px_error *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = PX_E_BALLOT_SYNTAX;
		err->field = NULL;
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return PX_E_BALLOT_SYNTAX;
}

int ballot_format_by_name(const char *name)
{
	for (int i = 0; i < BALLOT__COUNT; i++)
		if (!strcmp(formats[i].name, name))
			return i;
	return -1;
}

const char *ballot_format_name(int format)
{
	return format >= 0 && format < BALLOT__COUNT ? formats[format].name
						     : "?";
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

int ballot_format_guess(const char *path, const char *head, size_t len)
{
	for (int i = 0; path && i < BALLOT__COUNT; i++)
		if (ends_with(path, formats[i].ext))
			return i;
	/* The first line that is neither blank nor a # comment. */
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && head[j] != '\n')
			j++;
		if (j > i && head[i] != '#' && head[i] != '\r')
			return (j - i >= 2 && head[i] == 'V' && head[i + 1] == ':')
				       ? BALLOT_DEBIAN : -1;
		i = j + 1;
	}
	return -1;
}

/* ---- small scanners over [s, e) ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static const char *skip_ws(const char *s, const char *e)
{
	while (s < e && is_space(*s))
		s++;
	return s;
}

static const char *trim_end(const char *s, const char *e)
{
	while (e > s && is_space(e[-1]))
		e--;
	return e;
}

/* Digits at *s into *v (at most max); advances *s. */
static int scan_uint(const char **s, const char *e, uint64_t max, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	if (p == e || *p < '0' || *p > '9')
		return -1;
	while (p < e && *p >= '0' && *p <= '9') {
		x = x * 10 + (uint64_t)(*p - '0');
		if (x > max)
			return -2;
		p++;
	}
	*s = p;
	*v = x;
	return 0;
}

static int starts(const char *s, const char *e, const char *word)
{
	size_t n = strlen(word);
	return (size_t)(e - s) >= n && !memcmp(s, word, n);
}

/* Well-formed UTF-8 without control characters (names go into JSON). */
static int valid_text(const char *s, const char *e)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *q = (const unsigned char *)e;
	while (p < q) {
		unsigned c = *p;
		size_t n;
		if (c < 0x20 && c != '\t')
			return 0;
		if (c < 0x80) { p++; continue; }
		if (c >= 0xc2 && c <= 0xdf) n = 1;
		else if (c >= 0xe0 && c <= 0xef) n = 2;
		else if (c >= 0xf0 && c <= 0xf4) n = 3;
		else return 0;
		if ((size_t)(q - p) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

static int set_pending(struct ballot_parser *p, uint64_t k, const char *s,
		       const char *e, struct px_error *err)
{
	if (k == 0 || k > BALLOTS_MAX_CAND)
		return bad(err, "candidate number %llu is out of range",
			   (unsigned long long)k);
	if (!valid_text(s, e))
		return bad(err, "name is not valid UTF-8 text");
	if (p->have_bs) {
		if (k > p->bs.ncand)
			return bad(err, "candidate %llu is beyond the %zu "
				   "candidates", (unsigned long long)k,
				   p->bs.ncand);
		return ballots_set_name(&p->bs, k - 1, s, (size_t)(e - s))
			       ? PX_E_NOMEM : 0;
	}
	if (!p->pending) {
		p->pending = calloc(BALLOTS_MAX_CAND, sizeof(*p->pending));
		if (!p->pending)
			return PX_E_NOMEM;
	}
	char *copy = malloc((size_t)(e - s) + 1);
	if (!copy)
		return PX_E_NOMEM;
	memcpy(copy, s, (size_t)(e - s));
	copy[e - s] = '\0';
	free(p->pending[k - 1]);
	p->pending[k - 1] = copy;
	if (k > p->npending)
		p->npending = k;
	return 0;
}

/* Create the ballot set once the number of candidates is known. */
static int make_set(struct ballot_parser *p, size_t ncand,
		    struct px_error *err)
{
	if (ncand == 0 || ncand > BALLOTS_MAX_CAND)
		return bad(err, "%zu candidates: must be 1 to %u", ncand,
			   BALLOTS_MAX_CAND);
	if (p->npending > ncand)
		return bad(err, "a name is given for candidate %zu of %zu",
			   p->npending, ncand);
	if (ballots_init(&p->bs, ncand))
		return PX_E_NOMEM;
	p->have_bs = 1;
	p->cand = px_mallocarray(ncand, sizeof(*p->cand));
	p->level = px_mallocarray(ncand, sizeof(*p->level));
	p->seen = calloc(ncand, sizeof(*p->seen));
	if (!p->cand || !p->level || !p->seen)
		return PX_E_NOMEM;
	for (size_t i = 0; i < p->npending; i++) {
		if (!p->pending[i])
			continue;
		free(p->bs.names[i]);
		p->bs.names[i] = p->pending[i];
		p->pending[i] = NULL;
	}
	return 0;
}

/* Start a ballot: a fresh stamp marks candidates seen on it. */
static void ballot_begin(struct ballot_parser *p)
{
	if (++p->stamp == 0) {
		memset(p->seen, 0, p->bs.ncand * sizeof(*p->seen));
		p->stamp = 1;
	}
}

static int ballot_put(struct ballot_parser *p, size_t *n, uint64_t c,
		      uint16_t level, struct px_error *err)
{
	if (c == 0 || c > p->bs.ncand)
		return bad(err, "candidate %llu is not between 1 and %zu",
			   (unsigned long long)c, p->bs.ncand);
	if (p->seen[c - 1] == p->stamp)
		return bad(err, "candidate %llu is ranked twice",
			   (unsigned long long)c);
	p->seen[c - 1] = p->stamp;
	p->cand[*n] = (uint16_t)(c - 1);
	p->level[*n] = level;
	(*n)++;
	return 0;
}

static int add_ballot(struct ballot_parser *p, size_t n, uint64_t w,
		      struct px_error *err)
{
	int rc = ballots_add(&p->bs, p->cand, p->level, n, w);
	if (rc == PX_E_OUT_OF_RANGE)
		return bad(err, "the total weight of ballots passes %llu",
			   (unsigned long long)BALLOTS_MAX_WEIGHT);
	return rc;
}

/* ---- PrefLib: "# ALTERNATIVE NAME k: name", "count: a,{b,c},d" ---- */

static int preflib_header(struct ballot_parser *p, const char *s,
			  const char *e, struct px_error *err)
{
	s = skip_ws(s + 1, e);
	if (starts(s, e, "NUMBER ALTERNATIVES:")) {
		uint64_t n;
		s = skip_ws(s + 20, e);
		if (scan_uint(&s, e, BALLOTS_MAX_CAND, &n) || skip_ws(s, e) != e
		    || n == 0)
			return bad(err, "NUMBER ALTERNATIVES must be 1 to %u",
				   BALLOTS_MAX_CAND);
		if (p->have_bs)
			return bad(err, "NUMBER ALTERNATIVES after the ballots");
		p->declared = n;
	} else if (starts(s, e, "ALTERNATIVE NAME ")) {
		uint64_t k;
		s += 17;
		if (scan_uint(&s, e, BALLOTS_MAX_CAND, &k) || s == e ||
		    *s != ':')
			return bad(err, "expected '# ALTERNATIVE NAME k: name'");
		s = skip_ws(s + 1, e);
		return set_pending(p, k, s, e, err);
	} else if (starts(s, e, "TITLE:")) {
		s = skip_ws(s + 6, e);
		if (!valid_text(s, e))
			return bad(err, "title is not valid UTF-8 text");
		free(p->title);
		p->title = malloc((size_t)(e - s) + 1);
		if (!p->title)
			return PX_E_NOMEM;
		memcpy(p->title, s, (size_t)(e - s));
		p->title[e - s] = '\0';
	}
	return 0;
}

static int preflib_line(struct ballot_parser *p, const char *s, const char *e,
			struct px_error *err)
{
	int ties = p->format == BALLOT_TOC || p->format == BALLOT_TOI;
	int complete = p->format == BALLOT_SOC || p->format == BALLOT_TOC;
	uint64_t w, c;
	size_t n = 0;
	uint16_t level = 0;
	int rc;

	e = trim_end(s, e);
	if (s == e)
		return 0;
	if (*s == '#')
		return preflib_header(p, s, e, err);
	if (!p->have_bs) {
		if (!p->declared)
			return bad(err, "ballots before the '# NUMBER "
				   "ALTERNATIVES' header");
		if ((rc = make_set(p, p->declared, err)))
			return rc;
	}
	rc = scan_uint(&s, e, BALLOTS_MAX_WEIGHT, &w);
	if (rc)
		return bad(err, rc == -2 ? "ballot count is too large"
				      : "expected 'count: a,b,...'");
	s = skip_ws(s, e);
	if (s == e || *s != ':')
		return bad(err, "expected ':' after the ballot count");
	s = skip_ws(s + 1, e);
	ballot_begin(p);
	while (s < e) {
		if (*s == '{') {
			size_t before = n;
			if (!ties)
				return bad(err, "equal ranks '{...}' are not "
					   "allowed in .%s", formats[p->format].name);
			s = skip_ws(s + 1, e);
			for (;;) {
				if (scan_uint(&s, e, BALLOTS_MAX_CAND, &c))
					return bad(err, "expected a candidate "
						   "number inside '{...}'");
				if ((rc = ballot_put(p, &n, c, level, err)))
					return rc;
				s = skip_ws(s, e);
				if (s < e && *s == ',') {
					s = skip_ws(s + 1, e);
					continue;
				}
				if (s < e && *s == '}')
					break;
				return bad(err, "expected ',' or '}'");
			}
			s++;
			if (n == before)
				return bad(err, "empty '{}'");
		} else {
			if (scan_uint(&s, e, BALLOTS_MAX_CAND, &c))
				return bad(err, "expected a candidate number");
			if ((rc = ballot_put(p, &n, c, level, err)))
				return rc;
		}
		level++;
		s = skip_ws(s, e);
		if (s == e)
			break;
		if (*s != ',')
			return bad(err, "expected ',' between candidates");
		s = skip_ws(s + 1, e);
		if (s == e)
			return bad(err, "trailing ','");
	}
	if (complete && n != p->bs.ncand)
		return bad(err, "a .%s ballot must rank all %zu candidates "
			   "(this one ranks %zu)", formats[p->format].name,
			   p->bs.ncand, n);
	return add_ballot(p, n, w, err);
}

/* ---- BLT ---- */

/* One candidate token: a number or a [nick] name. 0 if none matches. */
static uint64_t blt_cand(const struct ballot_parser *p, const char *s,
			 const char *e)
{
	const char *q = s;
	uint64_t c;
	if (!scan_uint(&q, e, BALLOTS_MAX_CAND + 1, &c) && q == e)
		return c;
	for (size_t i = 0; p->bs.nicks && i < p->bs.ncand; i++)
		if (strlen(p->bs.nicks[i]) == (size_t)(e - s) &&
		    !memcmp(p->bs.nicks[i], s, (size_t)(e - s)))
			return i + 1;
	return 0;
}

static const char *token_end(const char *s, const char *e)
{
	while (s < e && !is_space(*s) && *s != ']')
		s++;
	return s;
}

static int blt_directive(struct ballot_parser *p, const char *s,
			 const char *e, struct px_error *err)
{
	const char *close = memchr(s, ']', (size_t)(e - s));
	if (!close || skip_ws(close + 1, e) != e)
		return bad(err, "a '[...]' directive must end with ']'");
	if (p->blt_ballots)
		return bad(err, "'[...]' directives must come before the "
			   "ballots");
	const char *t = s + 1, *te = token_end(t, close);
	size_t n = 0;
	if (te - t == 4 && !memcmp(t, "nick", 4)) {
		if (p->bs.nicks)
			return bad(err, "[nick] given twice");
		p->bs.nicks = calloc(p->bs.ncand, sizeof(*p->bs.nicks));
		if (!p->bs.nicks)
			return PX_E_NOMEM;
		for (t = skip_ws(te, close); t < close; t = skip_ws(te, close)) {
			te = token_end(t, close);
			if (n == p->bs.ncand)
				return bad(err, "[nick] names more than %zu "
					   "candidates", p->bs.ncand);
			if (!valid_text(t, te) || memchr(t, '=', (size_t)(te - t)))
				return bad(err, "bad nick");
			p->bs.nicks[n] = malloc((size_t)(te - t) + 1);
			if (!p->bs.nicks[n])
				return PX_E_NOMEM;
			memcpy(p->bs.nicks[n], t, (size_t)(te - t));
			p->bs.nicks[n][te - t] = '\0';
			n++;
		}
		if (n != p->bs.ncand)
			return bad(err, "[nick] names %zu of %zu candidates", n,
				   p->bs.ncand);
		return 0;
	}
	int is_tie = te - t == 3 && !memcmp(t, "tie", 3);
	int is_wd = te - t == 9 && !memcmp(t, "withdrawn", 9);
	if (!is_tie && !is_wd)
		return bad(err, "unknown directive '[%.*s'", (int)(te - t), t);
	if (is_tie) {
		if (p->bs.tie_order)
			return bad(err, "[tie] given twice");
		p->bs.tie_order = px_mallocarray(p->bs.ncand, sizeof(uint32_t));
		if (!p->bs.tie_order)
			return PX_E_NOMEM;
	}
	ballot_begin(p);
	for (t = skip_ws(te, close); t < close; t = skip_ws(te, close)) {
		te = token_end(t, close);
		uint64_t c = blt_cand(p, t, te);
		if (c == 0 || c > p->bs.ncand)
			return bad(err, "unknown candidate '%.*s'", (int)(te - t), t);
		if (p->seen[c - 1] == p->stamp)
			return bad(err, "candidate '%.*s' listed twice",
				   (int)(te - t), t);
		p->seen[c - 1] = p->stamp;
		if (is_tie)
			p->bs.tie_order[p->bs.ntie++] = (uint32_t)(c - 1);
		else
			p->bs.withdrawn[c - 1] = 1;
	}
	return 0;
}

static int blt_ballot(struct ballot_parser *p, const char *s, const char *e,
		      struct px_error *err)
{
	uint64_t w;
	size_t n = 0;
	uint16_t level = 0;
	int rc, ended = 0;

	if (*s == '(') { /* an optional ballot id "(id)" */
		const char *close = memchr(s, ')', (size_t)(e - s));
		if (!close)
			return bad(err, "unclosed '(' ballot id");
		s = skip_ws(close + 1, e);
	}
	rc = scan_uint(&s, e, BALLOTS_MAX_WEIGHT, &w);
	if (rc || (s < e && !is_space(*s)))
		return bad(err, rc == -2 ? "ballot weight is too large"
				      : "expected a ballot 'weight c1 c2 ... 0'");
	ballot_begin(p);
	for (s = skip_ws(s, e); s < e; s = skip_ws(s, e)) {
		const char *te = s;
		while (te < e && !is_space(*te))
			te++;
		if (ended)
			return bad(err, "text after the closing 0");
		if (te - s == 1 && *s == '0') {
			ended = 1;
			s = te;
			continue;
		}
		while (s < te) {
			const char *ce = s;
			while (ce < te && *ce != '=')
				ce++;
			uint64_t c = blt_cand(p, s, ce);
			if (c == 0)
				return bad(err, "unknown candidate '%.*s'",
					   (int)(ce - s), s);
			if ((rc = ballot_put(p, &n, c, level, err)))
				return rc;
			s = ce < te ? ce + 1 : ce;
			if (ce < te && s == te)
				return bad(err, "'=' must join two candidates");
		}
		level++;
	}
	if (!ended)
		return bad(err, "a ballot line must end with 0");
	p->blt_ballots = 1;
	return add_ballot(p, n, w, err);
}

static int blt_name(struct ballot_parser *p, const char *s, const char *e,
		    struct px_error *err)
{
	if (!valid_text(s, e))
		return bad(err, "name is not valid UTF-8 text");
	if (p->names_read < p->bs.ncand)
		return ballots_set_name(&p->bs, p->names_read++, s,
					(size_t)(e - s)) ? PX_E_NOMEM : 0;
	if (p->bs.title)
		return bad(err, "unexpected text after the title");
	p->bs.title = malloc((size_t)(e - s) + 1);
	if (!p->bs.title)
		return PX_E_NOMEM;
	memcpy(p->bs.title, s, (size_t)(e - s));
	p->bs.title[e - s] = '\0';
	return 0;
}

static int blt_line(struct ballot_parser *p, const char *s, const char *e,
		    struct px_error *err)
{
	int rc;
	s = skip_ws(s, e);
	e = trim_end(s, e);
	if (s == e || *s == '#')
		return 0;
	switch (p->state) {
	case ST_HEAD: {
		uint64_t n, seats;
		if (scan_uint(&s, e, BALLOTS_MAX_CAND, &n))
			return bad(err, "expected 'candidates seats' on the "
				   "first line");
		s = skip_ws(s, e);
		if (scan_uint(&s, e, BALLOTS_MAX_CAND, &seats) ||
		    skip_ws(s, e) != e)
			return bad(err, "expected 'candidates seats' on the "
				   "first line");
		if (seats == 0 || seats > n)
			return bad(err, "seats must be 1 to the number of "
				   "candidates");
		if ((rc = make_set(p, n, err)))
			return rc;
		p->bs.seats = seats;
		p->state = ST_BODY;
		return 0;
	}
	case ST_BODY:
		if (*s == '[')
			return blt_directive(p, s, e, err);
		if (*s == '-') {
			if (p->blt_ballots)
				return bad(err, "withdrawn candidates must come "
					   "before the ballots");
			while (s < e) {
				uint64_t c;
				if (*s != '-')
					return bad(err, "expected -k for a "
						   "withdrawn candidate");
				s++;
				if (scan_uint(&s, e, BALLOTS_MAX_CAND, &c) ||
				    c == 0 || c > p->bs.ncand)
					return bad(err, "withdrawn candidate "
						   "out of range");
				p->bs.withdrawn[c - 1] = 1;
				s = skip_ws(s, e);
			}
			return 0;
		}
		if (e - s == 1 && *s == '0') {
			p->state = ST_NAMES;
			return 0;
		}
		return blt_ballot(p, s, e, err);
	case ST_NAMES:
		while (s < e) {
			const char *q;
			if (*s != '"')
				return blt_name(p, s, e, err); /* unquoted */
			q = memchr(s + 1, '"', (size_t)(e - s - 1));
			if (!q)
				return bad(err, "unterminated quoted name");
			if ((rc = blt_name(p, s + 1, q, err)))
				return rc;
			s = skip_ws(q + 1, e);
		}
		return 0;
	}
	return bad(err, "unexpected text");
}

/* ---- Debian tally sheet ---- */

static int debian_header(struct ballot_parser *p, const char *s,
			 const char *e, struct px_error *err)
{
	uint64_t k;
	s = skip_ws(s + 1, e);
	if (starts(s, e, "OPTION ")) {
		s += 7;
		if (scan_uint(&s, e, BALLOTS_MAX_CAND, &k) || s == e || *s != ':')
			return bad(err, "expected '# OPTION k: name'");
		if (p->have_bs)
			return bad(err, "option names must come before the "
				   "ballots");
		return set_pending(p, k, skip_ws(s + 1, e), e, err);
	}
	if (starts(s, e, "DEFAULT OPTION:")) {
		s = skip_ws(s + 15, e);
		if (scan_uint(&s, e, BALLOTS_MAX_CAND, &k) || s != e || !k)
			return bad(err, "expected '# DEFAULT OPTION: k'");
		p->meta.default_option = (uint32_t)k;
		return 0;
	}
	if (starts(s, e, "SUPERMAJORITY 3:1 OPTIONS:")) {
		s = skip_ws(s + 26, e);
		if (starts(s, e, "none") && s + 4 == e)
			return 0;
		while (s < e) {
			if (scan_uint(&s, e, BALLOTS_MAX_CAND, &k) || !k)
				return bad(err, "expected option numbers "
					   "separated by ','");
			if (p->meta.nmajority == BALLOTS_MAX_MAJORITY)
				return bad(err, "too many 3:1 options");
			p->meta.majority[p->meta.nmajority].option =
				(uint32_t)(k - 1);
			p->meta.majority[p->meta.nmajority++].ratio = 3;
			s = skip_ws(s, e);
			if (s < e && *s == ',')
				s = skip_ws(s + 1, e);
		}
		return 0;
	}
	if (starts(s, e, "QUORUM R:")) {
		s = skip_ws(s + 9, e);
		/* "None" or "unknown": the sheet gives no quorum. */
		if (s < e && ((*s >= 'a' && *s <= 'z') ||
			      (*s >= 'A' && *s <= 'Z')))
			return 0;
		if ((size_t)(e - s) >= sizeof(p->meta.quorum))
			return bad(err, "quorum is too long");
		for (const char *q = s; q < e; q++)
			if ((*q < '0' || *q > '9') && *q != '.')
				return bad(err, "quorum must be a decimal "
					   "number");
		memcpy(p->meta.quorum, s, (size_t)(e - s));
		p->meta.quorum[e - s] = '\0';
		return 0;
	}
	if (starts(s, e, "RULES:")) {
		s = skip_ws(s + 6, e);
		if (starts(s, e, "v1.0"))
			p->meta.rules = 10;
		else if (starts(s, e, "v1.6") || starts(s, e, "v1.7") ||
			 starts(s, e, "v1.8") || starts(s, e, "v1.9"))
			p->meta.rules = 16;
		else
			p->meta.rules = 11;
	}
	return 0;
}

static int debian_line(struct ballot_parser *p, const char *s, const char *e,
		       struct px_error *err)
{
	size_t n = 0, len, byrank[10] = { 0 };
	int rc;

	e = trim_end(s, e);
	if (s == e)
		return 0;
	if (*s == '#')
		return debian_header(p, s, e, err);
	if (!starts(s, e, "V:"))
		return bad(err, "expected a 'V: ' ballot line");
	s = skip_ws(s + 2, e);
	const char *v = s;
	while (s < e && !is_space(*s))
		s++;
	len = (size_t)(s - v);
	if (len == 0)
		return bad(err, "empty ballot after 'V:'");
	if (!p->have_bs && (rc = make_set(p, p->npending ? p->npending : len,
					  err)))
		return rc;
	if (len != p->bs.ncand)
		return bad(err, "ballot has %zu options, expected %zu", len,
			   p->bs.ncand);
	/* Counting sort by the digit: equal digits share a level. */
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '-')
			continue;
		if (v[i] < '1' || v[i] > '9')
			return bad(err, "rank '%c' for option %zu: use 1-9 or '-'",
				   v[i], i + 1);
		byrank[v[i] - '0']++;
	}
	uint16_t level = 0;
	for (int d = 1; d <= 9; d++) {
		if (!byrank[d])
			continue;
		for (size_t i = 0; i < len; i++)
			if (v[i] == '0' + d) {
				p->cand[n] = (uint16_t)i;
				p->level[n++] = level;
			}
		level++;
	}
	return add_ballot(p, n, 1, err);
}

/* ---- driver ---- */

int ballot_parser_new(int format, struct ballot_parser **out)
{
	struct ballot_parser *p;
	if (format < 0 || format >= BALLOT__COUNT)
		return PX_E_BAD_INPUT;
	p = calloc(1, sizeof(*p));
	if (!p)
		return PX_E_NOMEM;
	p->format = format;
	sb_init(&p->partial, BALLOT_MAX_LINE);
	*out = p;
	return 0;
}

void ballot_parser_free(struct ballot_parser *p)
{
	if (!p)
		return;
	if (p->have_bs)
		ballots_release(&p->bs);
	for (size_t i = 0; p->pending && i < p->npending; i++)
		free(p->pending[i]);
	free(p->pending);
	free(p->title);
	free(p->cand);
	free(p->level);
	free(p->seen);
	sb_release(&p->partial);
	free(p);
}

size_t ballot_parser_line(const struct ballot_parser *p)
{
	return p->lineno;
}

static int handle(struct ballot_parser *p, const char *s, size_t len,
		  struct px_error *err)
{
	p->lineno++;
	if (memchr(s, '\0', len))
		return bad(err, "the line holds a NUL byte");
	return formats[p->format].line(p, s, s + len, err);
}

int ballot_parser_feed(struct ballot_parser *p, const char *data, size_t len,
		       struct px_error *err)
{
	int rc;
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		if (p->partial.len || !nl) {
			if (sb_add(&p->partial, data, take)) {
				p->lineno++;
				return bad(err, "line longer than %zu bytes",
					   BALLOT_MAX_LINE);
			}
			if (!nl)
				return 0;
			rc = handle(p, p->partial.buf, p->partial.len, err);
			sb_reset(&p->partial);
		} else {
			rc = handle(p, data, take, err);
		}
		if (rc)
			return rc;
		data += take + 1;
		len -= take + 1;
	}
	return 0;
}

int ballot_parser_finish(struct ballot_parser *p, struct ballot_set *out,
			 struct px_error *err)
{
	int rc;
	if (p->partial.len) {
		rc = handle(p, p->partial.buf, p->partial.len, err);
		sb_reset(&p->partial);
		if (rc)
			return rc;
	}
	if (!p->have_bs) {
		if (p->format == BALLOT_DEBIAN && p->npending) {
			if ((rc = make_set(p, p->npending, err)))
				return rc;
		} else if (p->format <= BALLOT_TOI && p->declared) {
			if ((rc = make_set(p, p->declared, err)))
				return rc;
		} else {
			return bad(err, "no candidates and no ballots");
		}
	}
	if (p->format == BALLOT_BLT) {
		if (p->state != ST_NAMES)
			return bad(err, "missing the 0 line that ends the "
				   "ballots");
		if (p->names_read != p->bs.ncand)
			return bad(err, "expected %zu candidate names, found %zu",
				   p->bs.ncand, p->names_read);
	}
	if (p->format == BALLOT_DEBIAN) {
		if (p->meta.default_option > p->bs.ncand)
			return bad(err, "the default option %u is not one of "
				   "the %zu options", p->meta.default_option,
				   p->bs.ncand);
		for (size_t i = 0; i < p->meta.nmajority; i++)
			if (p->meta.majority[i].option >= p->bs.ncand)
				return bad(err, "a 3:1 option is not one of the "
					   "%zu options", p->bs.ncand);
		p->bs.meta = p->meta;
	}
	if (p->title && !p->bs.title) {
		p->bs.title = p->title;
		p->title = NULL;
	}
	ballots_seal(&p->bs);
	*out = p->bs;
	memset(&p->bs, 0, sizeof(p->bs));
	p->have_bs = 0;
	return 0;
}

int ballot_parse_buffer(int format, const char *buf, size_t len,
			struct ballot_set *out, size_t *line,
			struct px_error *err)
{
	struct ballot_parser *p = NULL;
	int rc = ballot_parser_new(format, &p);
	if (rc)
		return rc;
	rc = ballot_parser_feed(p, buf, len, err);
	if (!rc)
		rc = ballot_parser_finish(p, out, err);
	if (line)
		*line = ballot_parser_line(p);
	ballot_parser_free(p);
	return rc;
}
