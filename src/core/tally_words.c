/*
 * tally_words.c: what a stage of a count and a note of it say, as a code
 * and its values, and the sentence each code makes in a language.
 *
 * A count's record keeps its English (a stage's "label", the "notes"), as
 * it always has, so that programs reading it see what they saw; beside it,
 * each stage and note keeps its code and values, so that a reader's
 * language can write it when it is read (the command line, a page).
 * One table: a row per code, with its English, marked for translation,
 * and the kind of each value: 's' data written as given (a name, a seed),
 * 'n' a whole number, 'd' a decimal in C's digits, 'w' a word of pnyx
 * (why a tie was broken: "order of election", marked N_() where it is
 * given), translated, 'v' a number
 * of vacancies, written with its noun. The English of the record is the
 * same sentence written with lang NULL: C's digits, the words as they are.
 *
 * Language is an argument, as everywhere in core/ (i18n.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "tally.h"
#include "banned.h"

/* A plural pair, as ngettext takes it (xgettext -kNN_:1,2). */
#define NN_(one, many) one, many

const struct tally_word_row tally_word_rows[TW_COUNT] = {
	[TW_FIRST_PREFERENCES] = { "first_preferences", N_("first preferences"), NULL, -1, "" },
	[TW_APPROVALS] = { "approvals", N_("approvals"), NULL, -1, "" },
	[TW_BORDA_POINTS] = { "borda_points", N_("Borda points"), NULL, -1, "" },
	[TW_WINS] = { "wins", N_("wins over other candidates"), NULL, -1, "" },
	[TW_QUORUM_ROUND] = { "quorum",
		N_("quorum %s: votes preferring each option to the default"), NULL, -1, "d" },
	[TW_MAJORITY_LEFT] = { "majority_test", N_("options left after the majority test"),
		NULL, -1, "" },
	[TW_SCHWARTZ_FINAL] = { "schwartz_final", N_("Schwartz set without defeats"), NULL,
		-1, "" },
	[TW_SCHWARTZ_DROP] = { "schwartz_drop",
		N_("Schwartz set of %s; weakest defeats (%s to %s) dropped"), NULL, -1, "nnn" },
	[TW_MEEK_ELECTED] = { "meek_elected",
		N_("round %s (%s iterations): elected %s"), NULL, -1, "nns" },
	[TW_MEEK_DEFEATED] = { "meek_defeated",
		N_("round %s (%s iterations): defeated %s"), NULL, -1, "nns" },
	[TW_STV_FIRST] = { "stv_first", N_("stage %s: first preferences"), NULL, -1, "n" },
	[TW_STV_SURPLUS] = { "stv_surplus", N_("stage %s: surplus of %s"), NULL, -1, "ns" },
	[TW_STV_EXCLUSION] = { "stv_exclusion", N_("stage %s: exclusion of %s"), NULL, -1,
		"ns" },
	[TW_TIE_ORDER] = { "tie_order",
		N_("%s: tie between %s broken by the file's [tie] order: %s"), NULL, -1, "wss" },
	[TW_TIE_LOT] = { "tie_lot",
		N_("%s: tie between %s broken by lot (seed \"%s\", draw %s): %s"), NULL, -1,
		"wssns" },
	[TW_SPLIT_FIRST] = { "split_first",
		NN_("%s ballot ranks several candidates first and counts for none",
		    "%s ballots rank several candidates first and count for none"), 0, "n" },
	[TW_PATH_TIE] = { "path_tie",
		N_("%s and %s are tied: neither has a stronger path to the other"), NULL, -1,
		"ss" },
	[TW_DEBIAN_V1_0] = { "debian_v1_0",
		N_("this vote was held under constitution v1.0; it is counted here under A.6 "
		   "as amended (v1.1+)"), NULL, -1, "" },
	[TW_DEBIAN_DEFAULT] = { "debian_default",
		N_("default option: %s; majority test of constitution %s"), NULL, -1, "ss" },
	[TW_QUORUM_DROP] = { "quorum_drop",
		N_("%s dropped: %s votes prefer it to the default option, fewer than the "
		   "quorum %s"), NULL, -1, "snd" },
	[TW_MAJORITY_DROP] = { "majority_drop",
		N_("%s dropped: it does not defeat the default option by %s:1 (%s to %s)"),
		NULL, -1, "snnn" },
	[TW_WEAKEST_DROP] = { "weakest_drop",
		N_("weakest defeat dropped: %s over %s (%s to %s)"), NULL, -1, "ssnn" },
	[TW_CASTING_VOTE] = { "casting_vote",
		N_("the Schwartz set has %s options and no defeats: the casting vote of the "
		   "chair decides (A.6(8))"), NULL, -1, "n" },
	[TW_MEEK_STOPPED] = { "meek_stopped", N_("round %s stopped after %s iterations"),
		NULL, -1, "nn" },
	[TW_LOOK_BACK] = { "look_back", N_("%s: tie resolved by looking back to stage %s"),
		NULL, -1, "wn" },
	[TW_DEEMED_ELECTED] = { "deemed_elected",
		NN_("%s continuing candidate for %s: deemed elected%s",
		    "%s continuing candidates for %s: deemed elected%s"), 0, "nvs" },
};

int tally_words_vset(struct tally_words *w, enum tally_word code, va_list ap)
{
	const char *kinds;
	memset(w, 0, sizeof(*w));
	if (code <= TW_NONE || code >= TW_COUNT)
		return -1;
	w->code = code;
	kinds = tally_word_rows[code].kinds;
	for (size_t i = 0; kinds[i] && i < TALLY_WORD_ARGS; i++) {
		if (kinds[i] == 'n' || kinds[i] == 'v')
			snprintf(w->args[i], sizeof(w->args[i]), "%lld", va_arg(ap, long long));
		else
			snprintf(w->args[i], sizeof(w->args[i]), "%s", va_arg(ap, const char *));
		w->nargs = i + 1;
	}
	return 0;
}

int tally_words_set(struct tally_words *w, enum tally_word code, ...)
{
	va_list ap;
	va_start(ap, code);
	int rc = tally_words_vset(w, code, ap);
	va_end(ap);
	return rc;
}

/* A whole number given in C's digits, as lang writes it. */
static void number(const char *lang, const char *digits, char *out, size_t size)
{
	char *end;
	long long n = strtoll(digits, &end, 10);
	if (!lang || *end || i18n_number(lang, n, out, size))
		snprintf(out, size, "%s", digits);
}

static const char *row_text(const char *lang, const struct tally_word_row *row,
			    uint64_t n)
{
	if (!row->many)
		return lang ? tr(lang, row->one) : row->one;
	if (!lang)
		return n == 1 ? row->one : row->many;
	return trn(lang, row->one, row->many, n);
}

int tally_words_write(const char *lang, const struct tally_words *w, char *out,
		      size_t size)
{
	char vals[TALLY_WORD_ARGS][TALLY_WORD_ARG + 64];
	const struct tally_word_row *row;
	size_t len = 0, next = 0;
	uint64_t n = 0;
	if (!size)
		return -1;
	out[0] = 0;
	if (w->code <= TW_NONE || w->code >= TW_COUNT)
		return -1;
	row = &tally_word_rows[w->code];
	for (size_t i = 0; i < w->nargs; i++) {
		const char *a = w->args[i];
		char num[40];
		switch (row->kinds[i]) {
		case 'n':
			number(lang, a, vals[i], sizeof(vals[i]));
			break;
		case 'd':
			if (!lang || i18n_decimal(lang, a, vals[i], sizeof(vals[i])))
				snprintf(vals[i], sizeof(vals[i]), "%s", a);
			break;
		case 'w':
			snprintf(vals[i], sizeof(vals[i]), "%s", lang ? tr(lang, a) : a);
			break;
		case 'v': {
			uint64_t v = strtoull(a, NULL, 10);
			number(lang, a, num, sizeof(num));
			/* TRANSLATORS: in "2 continuing candidates for %s" */
			const char *f = lang ? trn(lang, "%s vacancy", "%s vacancies", v)
					: v == 1 ? "%s vacancy" : "%s vacancies";
			const char *p = strstr(f, "%s");
			if (p)
				snprintf(vals[i], sizeof(vals[i]), "%.*s%s%s", (int)(p - f), f,
					 num, p + 2);
			else
				snprintf(vals[i], sizeof(vals[i]), "%s", f);
			break;
		}
		default:
			snprintf(vals[i], sizeof(vals[i]), "%s", a);
		}
	}
	if (row->plural >= 0 && (size_t)row->plural < w->nargs)
		n = strtoull(w->args[row->plural], NULL, 10);
	/* The sentence's "%s" take the values in order; a translation may
	 * reorder them ("%2$s"); "%%" is a per cent sign. */
	for (const char *f = row_text(lang, row, n); *f && len + 1 < size; f++) {
		const char *v = NULL;
		if (f[0] == '%' && f[1] == '%') {
			v = "%";
			f++;
		} else if (f[0] == '%' && f[1] == 's') {
			v = next < w->nargs ? vals[next] : "";
			next++;
			f++;
		} else if (f[0] == '%' && f[1] >= '1' && f[1] <= '9' && f[2] == '$' &&
			   f[3] == 's') {
			size_t k = (size_t)(f[1] - '1');
			v = k < w->nargs ? vals[k] : "";
			f += 3;
		}
		if (!v) {
			out[len++] = *f;
			continue;
		}
		size_t l = strlen(v);
		if (len + l >= size)
			l = size - len - 1;
		memcpy(out + len, v, l);
		len += l;
	}
	out[len] = 0;
	return 0;
}

const char *tally_word_name(enum tally_word code)
{
	return code > TW_NONE && code < TW_COUNT ? tally_word_rows[code].name : NULL;
}
