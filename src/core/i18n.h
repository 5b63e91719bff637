/*
 * i18n.h: the message catalogues of pnyx and the locale's way of writing
 * dates (docs/translating.md).
 *
 * Every string people read is written in English in the source, wrapped
 * in tr() (or a layer's _() shorthand, N_() where only marked), and looked
 * up in the catalogue of a language: po/LANG.po, compiled by msgfmt into a
 * .mo file that the build embeds in the binary (i18n_catalogs[], generated
 * by tools/embed.c). The same .po files become the browser's JSON
 * catalogues (/i18n/LANG.json).
 *
 * Why not glibc's gettext(): it picks the language from the process's
 * locale, which a server answering each request in its reader's language
 * cannot switch per request, and it needs the locale installed on the
 * machine; the .mo files are read here, by their documented format
 * (GNU gettext manual, "The Format of GNU MO Files").
 *
 * No global state: the language is an argument ("es"), as everywhere in
 * core/. An unknown language, or a msgid its catalogue lacks or leaves
 * untranslated, reads in English (the msgid itself).
 */
#ifndef PNYX_I18N_H
#define PNYX_I18N_H

#include <stddef.h>
#include <stdint.h>

/* The build's catalogues: path "/LANG", a .mo file's bytes. */
struct i18n_blob {
	const char *path;
	const unsigned char *data;
	long len;
};
extern const struct i18n_blob i18n_catalogs[];

#define I18N_DEFAULT "en"

/* msgid in lang; the returned string lives as long as the program. */
const char *tr(const char *lang, const char *msgid) __attribute__((format_arg(2)));
/* one (n == 1) or many in lang, by the language's plural rule. */
const char *trn(const char *lang, const char *one, const char *many, uint64_t n)
	__attribute__((format_arg(2))) __attribute__((format_arg(3)));
/* The same in the catalogue b (a .mo file's bytes), for a catalogue not
 * carried by the build (tests). */
const char *i18n_trn_in(const struct i18n_blob *b, const char *one, const char *many,
			uint64_t n) __attribute__((format_arg(2))) __attribute__((format_arg(3)));
/* The form n takes by a catalogue header's Plural-Forms (GNU gettext's
 * C-like expression: "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : ...)"),
 * 0-based; n != 1 when the header has no rule or a damaged one, the first
 * form when the rule names one past nplurals. */
unsigned i18n_plural(const char *header, uint64_t n);
/* Marks a literal for extraction where it is looked up later. */
#define N_(s) s
/* Marks a literal with a context (gettext's msgctxt), looked up by trp(). */
#define NC_(ctx, s) s

/* The language this build carries that a tag names ("es-ES", "es_ES.UTF-8",
 * "ES" -> "es"; "en" -> "en"), or NULL when it carries none. */
const char *i18n_lang(const char *tag);
/* The best language of an Accept-Language header (RFC 9110 12.5.4, quality
 * values honoured), or NULL when it names none this build carries. */
const char *i18n_accept(const char *header);
/* The i-th language carried, "en" first; NULL past the last. */
const char *i18n_lang_at(size_t i);
/* The language's own name of itself ("Español"), for choosers. */
const char *i18n_lang_name(const char *lang);

/* local (seconds of the local wall clock, as if it were UTC) written as
 * the locale writes a full date and time ("martes, 8 de diciembre de 2026,
 * 19:00"), by ICU. 0, or -1 when out does not hold it (out is then ""). */
int i18n_when(const char *lang, int64_t local, char *out, size_t size);

/* n written as the locale writes a whole number ("12.345" in Spanish,
 * "12,345" in English; CLDR's minimum grouping: "1000" in Spanish), by
 * ICU. 0, or -1 when out does not hold it (out then has n in C's digits,
 * or "" when even those do not fit). */
int i18n_number(const char *lang, int64_t n, char *out, size_t size);

/* msgid in lang within a context (gettext's msgctxt: "weekday" for the
 * "first" of "the first Tuesday"); msgid when the catalogue lacks it. */
const char *trp(const char *lang, const char *ctx, const char *msgid)
	__attribute__((format_arg(3)));

/* The columns s takes on a terminal (i18n_fmt.c): a combining mark or a
 * format character none, an East Asian wide or full-width character two,
 * any other one; invalid UTF-8 counts a byte a column. For padding a
 * column by what the reader sees ("%-*s" pads by bytes): see cli_col(). */
long i18n_width(const char *s);

/* The name of weekday w (0 = Monday ... 6 = Sunday) or month m (1..12)
 * as lang writes it inside a sentence ("martes", "diciembre"; "Tuesday"),
 * by ICU. 0, or -1 when out does not hold it (out is then ""). */
int i18n_weekday(const char *lang, int w, char *out, size_t size);
int i18n_month(const char *lang, int m, char *out, size_t size);

/* items[0..n) joined as lang joins a list ("lunes, martes y jueves";
 * English without the serial comma: "Monday, Tuesday and Thursday"),
 * with "and", or with "or" when or is set, by ICU. 0 or -1 (out ""). */
int i18n_list(const char *lang, const char *const *items, size_t n, int or,
	      char *out, size_t size);

/* A day of the year (day and month, no year: "8 de diciembre",
 * "8 December"), and a date and time in short ("7 dic 2026, 19:00",
 * "7 Dec 2026, 19:00"), of local (seconds of a wall clock, as if UTC),
 * by ICU. 0 or -1 (out ""). */
int i18n_day_month(const char *lang, int month, int day, char *out, size_t size);
int i18n_date_time(const char *lang, int64_t local, char *out, size_t size);
/* The date alone, in short ("7 dic 2026", "7 Dec 2026"). 0 or -1 (out ""). */
int i18n_date(const char *lang, int64_t local, char *out, size_t size);

/* dec, a decimal in C's digits ("8789.00000", "-0.5", "12"), as lang
 * writes it with the same fraction digits ("8789,00000"; English
 * "8,789.00000"), by ICU, exactly (no floating point). 0, or -1 when ICU
 * cannot (out then has dec as given, or "" when it does not fit). */
int i18n_decimal(const char *lang, const char *dec, char *out, size_t size);

#endif
