/* Unit tests for the message catalogues (src/core/i18n.c): lookups in the
 * Spanish catalogue the build compiled from po/es.po, plural forms, the
 * choice of a language from a tag or an Accept-Language header, ICU's
 * dates, and the texts of rules and errors in a language. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/i18n.h"
#include "core/rule.h"
#include "core/strbuf.h"

static void test_i18n_lookup_and_fallback(void **state)
{
	(void)state;
	assert_string_equal(tr("es", "Attendance"), "Asistencia");
	/* English is the msgid itself, as are a language not carried and a
	 * message the catalogue lacks */
	assert_string_equal(tr("en", "Attendance"), "Attendance");
	assert_string_equal(tr("fr", "Attendance"), "Attendance");
	assert_string_equal(tr(NULL, "Attendance"), "Attendance");
	assert_string_equal(tr("es", "no catalogue has this sentence"),
			    "no catalogue has this sentence");
	/* the header entry is never a translation */
	assert_string_equal(tr("es", ""), "");
}

static void test_i18n_plural_forms(void **state)
{
	(void)state;
	const char *one = "\n%d member present at the close";
	const char *many = "\n%d members present at the close";
	assert_string_equal(trn("es", one, many, 1), "\n%d miembro presente al cierre");
	assert_string_equal(trn("es", one, many, 0), "\n%d miembros presentes al cierre");
	assert_string_equal(trn("es", one, many, 2), "\n%d miembros presentes al cierre");
	assert_ptr_equal(trn("en", one, many, 1), one);
	assert_ptr_equal(trn("en", one, many, 5), many);
	assert_string_equal(trn("es", "no such one", "no such many", 3), "no such many");
	assert_string_equal(trn("es", "no such one", "no such many", 1), "no such one");
}

/* A .mo file (GNU gettext manual, "The Format of GNU MO Files") of n
 * entries, originals given in byte order, built in buf: its length. */
struct mo_entry {
	const char *orig, *trans;
	size_t olen, tlen; /* with the NULs inside plural entries */
};

static long mo_build(unsigned char *buf, size_t size, const struct mo_entry *e, uint32_t n)
{
	uint32_t head[7] = { 0x950412deu, 0, n, 28, 28 + 8 * n, 0, 0 };
	size_t at = 28 + 16 * (size_t)n;
	memset(buf, 0, size);
	memcpy(buf, head, sizeof head);
	for (int table = 0; table < 2; table++)
		for (uint32_t i = 0; i < n; i++) {
			const char *str = table ? e[i].trans : e[i].orig;
			uint32_t len = (uint32_t)(table ? e[i].tlen : e[i].olen);
			uint32_t off = (uint32_t)at;
			assert_true(at + len + 1 <= size);
			memcpy(buf + at, str, len);
			at += len + 1;
			memcpy(buf + head[3 + table] + 8 * i, &len, 4);
			memcpy(buf + head[3 + table] + 8 * i + 4, &off, 4);
		}
	return (long)at;
}

#define POLISH "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && " \
	"(n%100<10 || n%100>=20) ? 1 : 2);"
#define RUSSIAN "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && " \
	"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"

static void test_i18n_plural_rules_of_the_catalogue(void **state)
{
	(void)state;
	static const struct {
		const char *rule;
		uint64_t n;
		unsigned form;
	} cases[] = {
		/* English and Spanish: one, and every other number */
		{ "nplurals=2; plural=(n != 1);", 1, 0 },
		{ "nplurals=2; plural=(n != 1);", 0, 1 },
		{ "nplurals=2; plural=n != 1;", 21, 1 },
		/* French: 0 and 1 are singular */
		{ "nplurals=2; plural=(n > 1);", 0, 0 },
		{ "nplurals=2; plural=(n > 1);", 2, 1 },
		/* Polish: 1; 2-4, 22-24...; the rest, 12-14 and 5-21 among them */
		{ POLISH, 1, 0 }, { POLISH, 2, 1 }, { POLISH, 4, 1 }, { POLISH, 5, 2 },
		{ POLISH, 12, 2 }, { POLISH, 21, 2 }, { POLISH, 22, 1 }, { POLISH, 112, 2 },
		{ POLISH, 1004, 1 }, { POLISH, 0, 2 },
		/* Russian: 1, 21, 101 (not 11); 2-4, 22-24 (not 12-14); the rest */
		{ RUSSIAN, 1, 0 }, { RUSSIAN, 11, 2 }, { RUSSIAN, 21, 0 }, { RUSSIAN, 101, 0 },
		{ RUSSIAN, 3, 1 }, { RUSSIAN, 13, 2 }, { RUSSIAN, 23, 1 }, { RUSSIAN, 5, 2 },
		/* Japanese: one form */
		{ "nplurals=1; plural=0;", 7, 0 },
		/* Arabic's six forms, the longest rule in common use */
		{ "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
		  "n%100<=10 ? 3 : n%100>=11 ? 4 : 5;", 0, 0 },
		{ "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
		  "n%100<=10 ? 3 : n%100>=11 ? 4 : 5;", 103, 3 },
		{ "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
		  "n%100<=10 ? 3 : n%100>=11 ? 4 : 5;", 111, 4 },
		{ "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
		  "n%100<=10 ? 3 : n%100>=11 ? 4 : 5;", 200, 5 },
		/* arithmetic, precedence and negation */
		{ "nplurals=3; plural=!(n-1) ? 0 : n*2/4+1 == 3 ? 1 : 2;", 1, 0 },
		{ "nplurals=3; plural=!(n-1) ? 0 : n*2/4+1 == 3 ? 1 : 2;", 4, 1 },
		{ "nplurals=3; plural=!(n-1) ? 0 : n*2/4+1 == 3 ? 1 : 2;", 9, 2 },
		/* damaged rules read as English's; a form past the last as the first */
		{ "nplurals=2; plural=(n != 1;", 1, 0 },
		{ "nplurals=2; plural=(n != 1;", 5, 1 },
		{ "nplurals=2; plural=n ? ;", 5, 1 },
		{ "nplurals=2; plural=n / 0;", 5, 0 },
		{ "nplurals=2; plural=x;", 1, 0 },
		{ "nplurals=2; plural=((((((((((((((((((((((((((((((((((((((((((((((((((((("
		  "((((((((((((((((((n))))))))))))))))))))))))))))))))))))))))))))))))))))))"
		  "))))))))))))))));", 1, 0 },
		{ "nplurals=2; plural=n + 3;", 5, 0 },
		{ "nplurals=0; plural=0;", 5, 1 },
	};
	char header[400];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(header, sizeof header, "Content-Type: text/plain; charset=UTF-8\n"
			 "Plural-Forms: %s\n", cases[i].rule);
		unsigned got = i18n_plural(header, cases[i].n);
		if (got != cases[i].form)
			fail_msg("%s with n = %llu: form %u, not %u", cases[i].rule,
				 (unsigned long long)cases[i].n, got, cases[i].form);
	}
	assert_int_equal(i18n_plural(NULL, 1), 0);
	assert_int_equal(i18n_plural("Content-Type: text/plain\n", 2), 1);
}

static void test_i18n_three_forms_from_a_test_catalogue(void **state)
{
	(void)state;
	static const char hdr[] = "Content-Type: text/plain; charset=UTF-8\n"
				  "Plural-Forms: " POLISH "\n";
	static const char key[] = "%d file\0%d files";
	static const char forms[] = "%d plik\0%d pliki\0%d plik\xc3\xb3w";
	const struct mo_entry e[] = {
		{ "", hdr, 0, sizeof hdr - 1 },
		{ key, forms, sizeof key - 1, sizeof forms - 1 },
	};
	unsigned char buf[1024];
	struct i18n_blob pl = { "/pl", buf, 0 };
	pl.len = mo_build(buf, sizeof buf, e, 2);
	const char *one = "%d file", *many = "%d files";
	assert_string_equal(i18n_trn_in(&pl, one, many, 1), "%d plik");
	assert_string_equal(i18n_trn_in(&pl, one, many, 3), "%d pliki");
	assert_string_equal(i18n_trn_in(&pl, one, many, 5), "%d plik\xc3\xb3w");
	assert_string_equal(i18n_trn_in(&pl, one, many, 22), "%d pliki");
	assert_string_equal(i18n_trn_in(&pl, one, many, 12), "%d plik\xc3\xb3w");
	/* a message it lacks: English */
	assert_string_equal(i18n_trn_in(&pl, "%d day", "%d days", 3), "%d days");
	assert_string_equal(i18n_trn_in(NULL, one, many, 1), one);
	/* a catalogue that cut its forms short: the English for the missing one */
	static const char short_forms[] = "%d plik\0%d pliki";
	const struct mo_entry e2[] = {
		{ "", hdr, 0, sizeof hdr - 1 },
		{ key, short_forms, sizeof key - 1, sizeof short_forms - 1 },
	};
	pl.len = mo_build(buf, sizeof buf, e2, 2);
	assert_string_equal(i18n_trn_in(&pl, one, many, 3), "%d pliki");
	assert_string_equal(i18n_trn_in(&pl, one, many, 5), many);
}

static void test_i18n_numbers_by_icu(void **state)
{
	(void)state;
	char out[40];
	assert_int_equal(i18n_number("es", 1234567, out, sizeof out), 0);
	assert_string_equal(out, "1.234.567");
	assert_int_equal(i18n_number("en", 1234567, out, sizeof out), 0);
	assert_string_equal(out, "1,234,567");
	/* Spanish groups four digits no more (CLDR's minimum grouping) */
	assert_int_equal(i18n_number("es", 1000, out, sizeof out), 0);
	assert_string_equal(out, "1000");
	assert_int_equal(i18n_number("es", -25000, out, sizeof out), 0);
	assert_string_equal(out, "-25.000");
	assert_int_equal(i18n_number(NULL, 7, out, sizeof out), 0);
	assert_string_equal(out, "7");
	/* too small a buffer: C's digits if they fit, else "" */
	char small[6];
	assert_int_equal(i18n_number("en", 12345, small, sizeof small), -1);
	assert_string_equal(small, "12345");
	assert_int_equal(i18n_number("en", 1234567, small, sizeof small), -1);
	assert_string_equal(small, "");
}

static void test_i18n_decimals_keep_every_place(void **state)
{
	(void)state;
	char out[64];
	/* the quota of Dublin North 2002 under the Scottish rules */
	assert_int_equal(i18n_decimal("es", "8789.00000", out, sizeof out), 0);
	assert_string_equal(out, "8789,00000");
	assert_int_equal(i18n_decimal("en", "8789.00000", out, sizeof out), 0);
	assert_string_equal(out, "8,789.00000");
	/* no rounding through a double: nine places and eighteen digits */
	assert_int_equal(i18n_decimal("en", "123456789.123456789", out, sizeof out), 0);
	assert_string_equal(out, "123,456,789.123456789");
	assert_int_equal(i18n_decimal("es", "-0.5", out, sizeof out), 0);
	assert_string_equal(out, "-0,5");
	assert_int_equal(i18n_decimal("es", "12000", out, sizeof out), 0);
	assert_string_equal(out, "12.000");
	/* what is not a decimal is given back as it is, and said */
	assert_int_equal(i18n_decimal("es", "x1", out, sizeof out), -1);
	assert_string_equal(out, "x1");
	char small[4];
	assert_int_equal(i18n_decimal("en", "8789.00000", small, sizeof small), -1);
	assert_string_equal(small, "");
}

static void test_i18n_a_date_alone(void **state)
{
	(void)state;
	char out[64];
	/* 8 December 2026 18:00 (the command line turns an instant into an
	 * assembly's local time with the system's zone files, docs/schedule.md,
	 * then ICU writes it: tests/cli/test_cli_spanish_reports.py) */
	int64_t t = 1796752800;
	assert_int_equal(i18n_date("es", t, out, sizeof out), 0);
	assert_string_equal(out, "8 dic 2026");
	assert_int_equal(i18n_date("en", t, out, sizeof out), 0);
	assert_string_equal(out, "8 Dec 2026");
	assert_int_equal(i18n_date_time("es", t, out, sizeof out), 0);
	assert_string_equal(out, "8 dic 2026, 18:00");
}

static void test_i18n_languages_carried(void **state)
{
	(void)state;
	assert_string_equal(i18n_lang_at(0), "en");
	assert_string_equal(i18n_lang_at(1), "es");
	assert_null(i18n_lang_at(2));
	assert_string_equal(i18n_lang("es"), "es");
	assert_string_equal(i18n_lang("es-ES"), "es");
	assert_string_equal(i18n_lang("es_AR.UTF-8"), "es");
	assert_string_equal(i18n_lang("ES"), "es");
	assert_string_equal(i18n_lang("en_GB"), "en");
	assert_null(i18n_lang("fr"));
	assert_null(i18n_lang("e"));
	assert_null(i18n_lang(""));
	assert_null(i18n_lang(NULL));
	assert_null(i18n_lang("esperanto"));
	assert_string_equal(i18n_lang_name("es"), "Español");
	assert_string_equal(i18n_lang_name("en"), "English");
}

static void test_i18n_accept_language(void **state)
{
	(void)state;
	assert_string_equal(i18n_accept("es-ES,es;q=0.9,en;q=0.8"), "es");
	assert_string_equal(i18n_accept("fr-FR, es;q=0.5, en;q=0.9"), "en");
	assert_string_equal(i18n_accept("es;q=0.5, en;q=0.4"), "es");
	assert_string_equal(i18n_accept("de, es-MX"), "es");
	assert_string_equal(i18n_accept("  es  "), "es");
	/* q=0 means "not this one" */
	assert_null(i18n_accept("es;q=0"));
	assert_null(i18n_accept("fr, de;q=0.5"));
	assert_null(i18n_accept(""));
	assert_null(i18n_accept(NULL));
	assert_string_equal(i18n_accept("*;q=0.1, es;q=0.2"), "es");
}

static void test_i18n_dates_by_icu(void **state)
{
	(void)state;
	char out[96];
	/* Tuesday 8 December 2026, 19:00 local */
	int64_t t = 1796756400;
	assert_int_equal(i18n_when("en", t, out, sizeof(out)), 0);
	assert_string_equal(out, "Tuesday 8 December 2026 at 19:00");
	assert_int_equal(i18n_when("es", t, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "martes"));
	assert_non_null(strstr(out, "8 de diciembre de 2026"));
	assert_non_null(strstr(out, "19:00"));
	/* a buffer too small holds nothing rather than half a date */
	char small[8];
	assert_int_equal(i18n_when("es", t, small, sizeof(small)), -1);
	assert_string_equal(small, "");
}

static void test_i18n_rules_and_results_in_spanish(void **state)
{
	(void)state;
	struct decision_rule r = { .kind = RULE_SUPERMAJORITY, .fraction = { 2, 3 },
				   .base = RULE_BASE_CAST, .rounds = 0,
				   .quorum = { .kind = RULE_QUORUM_COUNT, .count = 5 } };
	struct strbuf sb;
	sb_init(&sb, 1024);
	assert_int_equal(rule_describe_in(&r, "es", &sb), 0);
	assert_string_equal(sb.buf, "al menos dos tercios de los votos emitidos a favor,"
			    " con un quórum de 5 miembros");
	sb_reset(&sb);
	/* English reads as it always did */
	assert_int_equal(rule_describe(&r, &sb), 0);
	assert_string_equal(sb.buf, "at least two thirds of votes cast in favour,"
			    " with a quorum of 5 members");
	sb_reset(&sb);
	struct rule_result res = { .outcome = RULE_ADOPTED, .applied = RULE_SUPERMAJORITY,
				   .quorum = 5, .present = 9, .base = 9, .threshold = 6,
				   .yes = 7 };
	assert_int_equal(rule_result_describe_in(&res, "es", &sb), 0);
	assert_string_equal(sb.buf, "aprobada: 7 a favor de 9, se necesitaban al menos 6;"
			    " 9 presentes, quórum 5");
	sb_reset(&sb);
	assert_int_equal(rule_result_describe(&res, &sb), 0);
	assert_string_equal(sb.buf, "adopted: 7 yes of 9, at least 6 needed; 9 present,"
			    " quorum 5");
	sb_release(&sb);
}

static void test_i18n_error_messages(void **state)
{
	(void)state;
	struct px_error e = { 0 };
	char buf[256];
	px_fail(&e, PX_E_UNAUTHENTICATED, NULL, NULL);
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)), "entra primero");
	assert_string_equal(px_error_message_in(&e, "en", buf, sizeof(buf)), "sign in first");
	/* a detail without values is translated as a whole */
	px_fail(&e, PX_E_BAD_INPUT, "language", "language is a language pnyx speaks,"
		" written as its code (en, es)");
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)), tr("es", e.fmt));
	assert_string_not_equal(px_error_message_in(&e, "es", buf, sizeof(buf)), e.detail);
	/* values read back from the English and written into the Spanish */
	px_fail(&e, PX_E_OUT_OF_RANGE, "handle", "%s must be %lld to %lld characters long",
		"handle", 3LL, 32LL);
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)),
			    "handle debe tener de 3 a 32 caracteres");
	assert_string_equal(px_error_message_in(&e, "en", buf, sizeof(buf)),
			    "handle must be 3 to 32 characters long");
	/* a value that holds the format's own words is still read back */
	px_fail(&e, PX_E_OUT_OF_RANGE, "x", "%s must be %lld to %lld characters long",
		"a must be 1 to 2", 3LL, 32LL);
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)),
			    "a must be 1 to 2 debe tener de 3 a 32 caracteres");
	/* a buffer too small: the English, whole */
	char small[8];
	assert_string_equal(px_error_message_in(&e, "es", small, sizeof(small)), e.detail);
	/* a format not in the catalogue stays as it was written */
	px_fail(&e, PX_E_OUT_OF_RANGE, "seats", "seats must be %d or more, said %s", 1, "x");
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)),
			    "seats must be 1 or more, said x");
	/* a detail cut short by its buffer cannot be read back: as written */
	char longer[300];
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	px_fail(&e, PX_E_OUT_OF_RANGE, "handle", "%s must be %lld to %lld characters long",
		longer, 3LL, 32LL);
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)), e.detail);
}

/* A message chosen from a table at run time (px_fail_text): translated as
 * a literal one; NULL is the registry's. */
static void test_i18n_error_messages_from_a_table(void **state)
{
	(void)state;
	static const char *const table[] = {
		"this summons is accepted already: it takes no answer now",
		"the motion is void: its effect could not apply",
	};
	struct px_error e = { 0 };
	char buf[256];
	assert_int_equal(px_fail_text(&e, PX_E_CONFLICT, "answer", table[0]), PX_E_CONFLICT);
	assert_int_equal(e.code, PX_E_CONFLICT);
	assert_string_equal(e.field, "answer");
	assert_string_equal(px_error_message(&e), table[0]);
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)),
			    "esta citación ya está aceptada: ahora no admite respuesta");
	assert_string_equal(px_error_message_in(&e, "en", buf, sizeof(buf)), table[0]);
	px_fail_text(&e, PX_E_CONFLICT, NULL, table[1]);
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)),
			    "la moción es nula: su efecto no pudo aplicarse");
	assert_null(e.field);
	px_fail_text(&e, PX_E_NOT_VOTING, NULL, NULL);
	assert_string_equal(px_error_message(&e), px_code_message(PX_E_NOT_VOTING));
	assert_string_equal(px_error_message_in(&e, "es", buf, sizeof(buf)),
			    tr("es", px_code_message(PX_E_NOT_VOTING)));
	assert_int_equal(px_fail_text(NULL, PX_E_CONFLICT, NULL, table[0]), PX_E_CONFLICT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i18n_lookup_and_fallback),
		cmocka_unit_test(test_i18n_plural_forms),
		cmocka_unit_test(test_i18n_plural_rules_of_the_catalogue),
		cmocka_unit_test(test_i18n_three_forms_from_a_test_catalogue),
		cmocka_unit_test(test_i18n_numbers_by_icu),
		cmocka_unit_test(test_i18n_decimals_keep_every_place),
		cmocka_unit_test(test_i18n_a_date_alone),
		cmocka_unit_test(test_i18n_languages_carried),
		cmocka_unit_test(test_i18n_accept_language),
		cmocka_unit_test(test_i18n_dates_by_icu),
		cmocka_unit_test(test_i18n_rules_and_results_in_spanish),
		cmocka_unit_test(test_i18n_error_messages),
		cmocka_unit_test(test_i18n_error_messages_from_a_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
