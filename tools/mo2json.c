/*
 * mo2json.c: build tool that writes a compiled message catalogue (a .mo
 * file made by msgfmt from po/LANG.po) as the browser's JSON catalogue,
 * so the pages and the C code read the very same translations
 * (docs/translating.md).
 *
 * usage: mo2json IN.mo OUT.json
 * The JSON is one object: each msgid to its translation; a plural entry
 * under its singular msgid, as an array of the forms. Of the header entry
 * (msgid "") only the language's plural rule is kept, under the key "":
 * {"nplurals": N, "plural": "EXPR"}, the C expression of its Plural-Forms
 * line, which the pages evaluate (web/js/plural.js) to choose a form.
 * msgfmt has already left out what is untranslated or fuzzy, and checked
 * the file (msgfmt --check).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *data;
static long size;

static uint32_t word(long at)
{
	if (at < 0 || at + 4 > size) {
		fprintf(stderr, "mo2json: truncated catalogue\n");
		exit(1);
	}
	const unsigned char *p = data + at;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void json_str(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* String i of the table at toff: its bytes and length (NULs inside). */
static const char *str(uint32_t toff, uint32_t i, uint32_t *len)
{
	*len = word((long)toff + (long)i * 8);
	uint32_t off = word((long)toff + (long)i * 8 + 4);
	if ((long)off + (long)*len >= size) {
		fprintf(stderr, "mo2json: string out of bounds\n");
		exit(1);
	}
	return (const char *)data + off;
}

/*
 * The header's "Plural-Forms: nplurals=N; plural=EXPR;" as the entry ""
 * of the JSON; nothing when the header has no such line (English-like
 * two forms are then assumed by the pages).
 */
static void plural_rule(FILE *out, const char *h, uint32_t len, int *first)
{
	char *copy = malloc((size_t)len + 1);
	if (!copy) {
		perror("mo2json");
		exit(1);
	}
	memcpy(copy, h, len);
	copy[len] = '\0';
	const char *line = strstr(copy, "Plural-Forms:");
	const char *np = line ? strstr(line, "nplurals=") : NULL;
	const char *ex = line ? strstr(line, "plural=") : NULL;
	/* "nplurals=" contains "plural=": the expression is the one after it */
	if (ex && np && ex == np + 2)
		ex = strstr(ex + 1, "plural=");
	if (!np || !ex) {
		free(copy);
		return;
	}
	int n = atoi(np + 9);
	ex += 7;
	size_t elen = strcspn(ex, ";\n");
	if (n < 1 || elen == 0) {
		fprintf(stderr, "mo2json: malformed Plural-Forms line\n");
		exit(1);
	}
	fputs(*first ? "\n" : ",\n", out);
	*first = 0;
	fprintf(out, "\"\": {\"nplurals\": %d, \"plural\": ", n);
	json_str(out, ex, elen);
	fputs("}", out);
	free(copy);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: mo2json IN.mo OUT.json\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in || fseek(in, 0, SEEK_END) || (size = ftell(in)) < 28 ||
	    fseek(in, 0, SEEK_SET)) {
		perror(argv[1]);
		return 1;
	}
	data = malloc((size_t)size);
	if (!data || fread(data, 1, (size_t)size, in) != (size_t)size) {
		perror(argv[1]);
		return 1;
	}
	fclose(in);
	if (word(0) != 0x950412deu) {
		fprintf(stderr, "mo2json: %s is not a little-endian .mo file\n", argv[1]);
		return 1;
	}
	uint32_t n = word(8), orig = word(12), trans = word(16);
	FILE *out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	fputs("{", out);
	int first = 1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t olen, tlen;
		const char *o = str(orig, i, &olen), *t = str(trans, i, &tlen);
		if (!olen) {
			plural_rule(out, t, tlen, &first);
			continue;
		}
		fputs(first ? "\n" : ",\n", out);
		first = 0;
		size_t one = strlen(o);
		json_str(out, o, one);
		fputs(": ", out);
		if (one == olen) {
			json_str(out, t, tlen);
			continue;
		}
		fputs("[", out);
		for (const char *f = t; f <= t + tlen; f += strlen(f) + 1) {
			if (f != t)
				fputs(", ", out);
			json_str(out, f, strlen(f));
		}
		fputs("]", out);
	}
	fputs("\n}\n", out);
	if (fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
